/* kconf.c - kcat-compatible Kafka configuration. */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconf.h"
#include "klog.h"
#include "kp.h"

void
kc_init(struct kconf *kc)
{
	memset(kc, 0, sizeof(*kc));
}

int
kc_option(struct kconf *kc, int ch, const char *arg)
{
	const char *eq;

	switch (ch) {
	case 'b':
		kc->brokers = arg;
		return 1;
	case 'F':
		kc->file = arg;
		return 1;
	case 'X':
		if (strcmp(arg, "list") == 0) {
			rd_kafka_conf_properties_show(stdout);
			exit(fflush(stdout) == 0 ? 0 : EX_IOERR);
		}
		if (strcmp(arg, "dump") == 0) {
			kc->dump = 1;
			return 1;
		}
		eq = strchr(arg, '=');
		if (eq == NULL || eq == arg)
			errx(EX_USAGE, "-X %s: expected prop=value", arg);
		if (kc->nx == KC_MAXX)
			errx(EX_USAGE, "-X: at most %d properties", KC_MAXX);
		if (memmem(arg, (size_t)(eq - arg), "password", 8) != NULL ||
		    memmem(arg, (size_t)(eq - arg), "secret", 6) != NULL ||
		    memmem(arg, (size_t)(eq - arg), "user.info", 9) != NULL)
			warnx("warning: -X %.*s: other users can read the "
			    "command line (ps); keep secrets in a -F file",
			    (int)(eq - arg), arg);
		kc->x[kc->nx++] = arg;
		return 1;
	}
	return 0;
}

void
kc_set(rd_kafka_conf_t *conf, const char *prop, const char *value,
    const char *origin)
{
	char errstr[512];

	if (rd_kafka_conf_set(conf, prop, value, errstr, sizeof(errstr)) !=
	    RD_KAFKA_CONF_OK)
		errx(EX_USAGE, "%s: %s", origin, errstr);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* schema.registry.* is ours, not librdkafka's: 1 when prop was one */
static int
sr_prop(struct kconf *kc, const char *prop, const char *value,
    const char *origin)
{
	if (strncmp(prop, "schema.registry.", 16) != 0)
		return 0;
	if (strcmp(prop, "schema.registry.url") == 0)
		snprintf(kc->sr_url, sizeof(kc->sr_url), "%s", value);
	else if (strcmp(prop, "schema.registry.basic.auth.user.info") == 0)
		snprintf(kc->sr_auth, sizeof(kc->sr_auth), "%s", value);
	else
		errx(EX_USAGE, "%s: unknown property %s (schema.registry.url "
		    "and schema.registry.basic.auth.user.info are known)",
		    origin, prop);
	return 1;
}

/* Read a kcat config file into conf; returns its bootstrap.servers
 * (malloc'd) or NULL. */
static char *
read_file(struct kconf *kc, rd_kafka_conf_t *conf, const char *path, int must)
{
	char line[8192], origin[1100], *s, *eq, *bs = NULL;
	struct stat st;
	unsigned long n = 0;
	int secret = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		if (!must && errno == ENOENT)
			return NULL;
		err(EX_NOINPUT, "config file %s", path);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL)
			errx(EX_USAGE, "%s:%lu: expected prop=value", path, n);
		*eq = '\0';
		snprintf(origin, sizeof(origin), "%s:%lu", path, n);
		if (strstr(s, "password") != NULL || strstr(s, "secret") != NULL ||
		    strstr(s, "user.info") != NULL)
			secret = 1;
		if (strcmp(trim(s), "bootstrap.servers") == 0 ||
		    strcmp(trim(s), "metadata.broker.list") == 0) {
			free(bs);
			bs = kp_xstrdup(trim(eq + 1));
		}
		if (!sr_prop(kc, trim(s), trim(eq + 1), origin))
			kc_set(conf, trim(s), trim(eq + 1), origin);
	}
	if (secret && fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0)
		warnx("warning: %s holds a password but is readable by "
		    "others (chmod 600 %s)", path, path);
	fclose(f);
	return bs;
}

rd_kafka_conf_t *
kc_build(struct kconf *kc)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char path[1024], prop[512], origin[600], *fbs = NULL, *xbs = NULL;
	const char *bs, *home, *env;
	size_t k;
	int i;

	/* a tool's handles log as klog.h says (its main one installs its
	 * own callback over this) */
	rd_kafka_conf_set_log_cb(conf, kl_plain);
	for (i = 0; kc->defaults != NULL && kc->defaults[i] != NULL; i++) {
		k = strcspn(kc->defaults[i], "=");
		snprintf(prop, sizeof(prop), "%.*s", (int)k, kc->defaults[i]);
		kc_set(conf, prop, kc->defaults[i] + k + 1, "default");
	}
	if (kc->file != NULL)
		fbs = read_file(kc, conf, kc->file, 1);
	else if ((env = getenv("KCAT_CONFIG")) != NULL && *env != '\0')
		fbs = read_file(kc, conf, env, 1);
	else if ((home = getenv("HOME")) != NULL) {
		snprintf(path, sizeof(path), "%s/.config/kcat.conf", home);
		fbs = read_file(kc, conf, path, 0);
	}
	for (i = 0; i < kc->nx; i++) {
		k = (size_t)(strchr(kc->x[i], '=') - kc->x[i]);
		if (k >= sizeof(prop))
			errx(EX_USAGE, "-X %s: property name too long", kc->x[i]);
		memcpy(prop, kc->x[i], k);
		prop[k] = '\0';
		snprintf(origin, sizeof(origin), "-X %s", prop);
		if (sr_prop(kc, prop, kc->x[i] + k + 1, origin))
			continue;
		kc_set(conf, prop, kc->x[i] + k + 1, origin);
		if (strcmp(prop, "bootstrap.servers") == 0 ||
		    strcmp(prop, "metadata.broker.list") == 0) {
			free(xbs);
			xbs = kp_xstrdup(kc->x[i] + k + 1);
		}
	}
	if (kc->brokers != NULL)
		bs = kc->brokers;
	else if (xbs != NULL)
		bs = xbs;
	else if ((env = getenv("KAFKA_BROKERS")) != NULL && *env != '\0')
		bs = env;
	else if (fbs != NULL)
		bs = fbs;
	else
		bs = "localhost:9092";
	snprintf(kc->used, sizeof(kc->used), "%s", bs);
	kc_set(conf, "bootstrap.servers", kc->used, "-b");
	free(fbs);
	free(xbs);
	return conf;
}

static void
dump(const char *title, const char **d, size_t n)
{
	size_t i;

	printf("# %s\n", title);
	for (i = 0; i + 1 < n; i += 2)
		printf("%s = %s\n", d[i], d[i + 1]);
}

rd_kafka_t *
kc_new(struct kconf *kc, rd_kafka_type_t type, rd_kafka_conf_t *conf)
{
	rd_kafka_topic_conf_t *tc;
	rd_kafka_t *rk;
	const char **d;
	char errstr[512];
	size_t n;

	if (kc->dump) {
		d = rd_kafka_conf_dump(conf, &n);
		dump("Global config", d, n);
		rd_kafka_conf_dump_free(d, n);
		if ((tc = rd_kafka_conf_get_default_topic_conf(conf)) != NULL) {
			d = rd_kafka_topic_conf_dump(tc, &n);
			dump("Topic config", d, n);
			rd_kafka_conf_dump_free(d, n);
		}
		rd_kafka_conf_destroy(conf);
		exit(fflush(stdout) == 0 ? 0 : EX_IOERR);
	}
	rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
	if (rk == NULL)
		errx(EX_USAGE, "%s", errstr);
	return rk;
}

size_t
kc_unescape(struct buf *b, const char *s, size_t n)
{
	size_t i, len0 = b->len;
	unsigned long v;
	char *end, num[8];
	int base, k;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			buf_addc(b, s[i]);
			continue;
		}
		switch (s[++i]) {
		case 'n':
			buf_addc(b, '\n');
			break;
		case 'r':
			buf_addc(b, '\r');
			break;
		case 't':
			buf_addc(b, '\t');
			break;
		case 'x':
		case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			/* \xHH hexadecimal, \NNN decimal (0NN octal), as
			 * strtoul reads them, at most 3 digits */
			base = s[i] == 'x' ? 16 : 0;
			if (base == 16)
				i++;
			for (k = 0; k < 3 && i + (size_t)k < n; k++)
				num[k] = s[i + k];
			num[k] = '\0';
			v = strtoul(num, &end, base);
			if (end == num) {	/* \x without digits */
				buf_addc(b, 'x');
				i--;
				break;
			}
			buf_addc(b, (char)v);
			i += (size_t)(end - num) - 1;
			break;
		default:
			buf_addc(b, s[i]);
		}
	}
	return b->len - len0;
}

const char *
kc_hopeless(const struct kconf *kc, const char *failure, char *buf,
    size_t n)
{
	const char *r;

	if (strstr(failure, "Connection refused") != NULL)
		snprintf(buf, n, "nothing listens on %s (connection refused); "
		    "scripts/kafka-local start runs a local broker", kc->used);
	else if ((r = strstr(failure, "Failed to resolve")) != NULL)
		snprintf(buf, n, "%.*s; check -b, $KAFKA_BROKERS or "
		    "bootstrap.servers", strstr(r, " (after") != NULL ?
		    (int)(strstr(r, " (after") - r) : (int)strlen(r), r);
	else
		return NULL;
	return buf;
}
