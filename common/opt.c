/* opt.c - command-line helpers: see opt.h. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "opt.h"
#include "timeu.h"

/* Edit distance of a[0..n) and b (insertions, deletions, substitutions,
 * and swaps of neighbours), up to 32 letters; larger is "far". */
static int
distance(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b), i, j;
	int d[33][33], c, v;

	if (n > 32 || m > 32)
		return 99;
	for (i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			c = a[i - 1] != b[j - 1];
			v = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

int
kp_getopt(int argc, char *const argv[], const char *shortopts,
    const struct option *longopts)
{
	const struct option *o, *best = NULL;
	const char *arg;
	size_t n;
	int ch, d, bestd = 99;

	ch = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (ch != '?' || optind < 1 || optind > argc)
		return ch;
	arg = argv[optind - 1];
	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
		return ch;
	arg += 2;
	n = strcspn(arg, "=");
	for (o = longopts; o->name != NULL; o++) {
		if (strncmp(o->name, arg, n) == 0 && o->name[n] == '\0')
			return ch;	/* known: a missing or extra argument */
		d = distance(arg, n, o->name);
		if (d < bestd) {
			bestd = d;
			best = o;
		}
	}
	if (best != NULL && bestd <= (n < 6 ? 1 : 2))
		warnx("did you mean --%s?", best->name);
	return ch;
}

void
kp_usage(FILE *f, const char *synopsis, const struct kp_optdoc *docs)
{
	const struct kp_optdoc *d;

	fputs(synopsis, f);
	if (f != stdout)
		exit(EX_USAGE);
	putchar('\n');
	for (d = docs; d->opt != NULL; d++)
		printf("  %-27s %s\n", d->opt, d->text);
	printf("\nSee %s(1) for the whole story: man %s\n",
	    program_invocation_short_name, program_invocation_short_name);
	exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : EX_IOERR);
}

int
kp_choice(const char *s, const char *const *names, const char *what)
{
	struct buf list = { 0 };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	for (i = 0; names[i] != NULL; i++) {
		if (i > 0)
			buf_add(&list, names[i + 1] != NULL ? ", " : " or ",
			    names[i + 1] != NULL ? 2 : 4);
		buf_add(&list, names[i], strlen(names[i]));
	}
	errx(EX_USAGE, "%s: '%s' is not %s", what, s, buf_cstr(&list));
}

/* ---- options as data ---------------------------------------------- */

const char *
kp_opt_display(const struct kp_opt *o)
{
	static char s[2][64];
	static int i;

	i = !i;
	if (o->letter != 0)
		snprintf(s[i], sizeof(s[i]), "-%c", o->letter);
	else
		snprintf(s[i], sizeof(s[i]), "--%s", o->name);
	return s[i];
}

/* The row of long name name[0..n), or NULL. */
static const struct kp_opt *
row(const struct kp_opt *tab, const char *name, size_t n)
{
	for (; tab->name != NULL; tab++)
		if (strncmp(tab->name, name, n) == 0 && tab->name[n] == '\0')
			return tab;
	return NULL;
}

/* Each row of the list (long names, spaces between) in *o, in turn:
 * 1, or 0 at its end. A name not in the table is the table's mistake. */
static int
each(const struct kp_opt *tab, const char **list, const struct kp_opt **o)
{
	const char *s = *list;
	size_t n;

	while (s != NULL && *s == ' ')
		s++;
	if (s == NULL || *s == '\0')
		return 0;
	n = strcspn(s, " ");
	if ((*o = row(tab, s, n)) == NULL)
		errx(EX_SOFTWARE, "option table: no option %.*s", (int)n, s);
	*list = s + n;
	return 1;
}

void
kp_opt_init(struct kp_optp *p, const struct kp_opt *tab, void *base,
    void (*usage)(FILE *), int argc, char **argv)
{
	const struct kp_opt *o, *x;
	const char *l;
	char *so;
	int i;

	memset(p, 0, sizeof(*p));
	p->tab = tab;
	p->base = base;
	p->usage = usage;
	p->argc = argc;
	p->argv = argv;
	so = p->so;
	for (i = 0, o = tab; o->name != NULL; i++, o++) {
		if (i == KP_OPTMAX)
			errx(EX_SOFTWARE, "option table: over %d rows",
			    KP_OPTMAX);
		p->lo[i].name = o->name;
		p->lo[i].has_arg = o->kind == KA_NONE ? no_argument :
		    required_argument;
		p->lo[i].val = o->letter != 0 ? o->letter : 256 + i;
		if (o->letter != 0) {
			*so++ = (char)o->letter;
			if (o->kind != KA_NONE)
				*so++ = ':';
		}
		for (l = o->needs; each(tab, &l, &x);)
			;
		for (l = o->excludes; each(tab, &l, &x);)
			;
	}
	*so = '\0';
}

int
kp_opt_given(const struct kp_optp *p, const char *name)
{
	const struct kp_opt *o = row(p->tab, name, strlen(name));

	if (o == NULL)
		errx(EX_SOFTWARE, "option table: no option %s", name);
	return p->given[o - p->tab];
}

/* The value of the row just read, into the tool's struct. */
static void
store(struct kp_optp *p, const struct kp_opt *o)
{
	char *at = (char *)p->base + o->off - 1;
	int8_t i8;
	int16_t i16;
	int32_t i32;
	int64_t i64;

	if (o->off == 0 || p->base == NULL)
		return;
	if (o->kind == KA_STR) {
		memcpy(at, &p->arg, sizeof(p->arg));
		return;
	}
	switch (o->size) {
	case 1:
		i8 = (int8_t)p->num;
		memcpy(at, &i8, 1);
		break;
	case 2:
		i16 = (int16_t)p->num;
		memcpy(at, &i16, 2);
		break;
	case 4:
		i32 = (int32_t)p->num;
		memcpy(at, &i32, 4);
		break;
	case 8:
		i64 = (int64_t)p->num;
		memcpy(at, &i64, 8);
		break;
	default:
		errx(EX_SOFTWARE, "option table: --%s: no integer of %zu "
		    "bytes", o->name, o->size);
	}
}

void
kp_opt_rules(const struct kp_optp *p)
{
	const struct kp_opt *o, *x;
	const char *l;

	for (o = p->tab; o->name != NULL; o++) {
		if (!p->given[o - p->tab])
			continue;
		for (l = o->needs; each(p->tab, &l, &x);) {
			if (p->given[x - p->tab])
				continue;
			if (o->why != NULL)
				errx(EX_USAGE, "%s", o->why);
			errx(EX_USAGE, "%s goes with %s", kp_opt_display(o),
			    kp_opt_display(x));
		}
		for (l = o->excludes; each(p->tab, &l, &x);) {
			if (!p->given[x - p->tab])
				continue;
			if (o->xwhy != NULL)
				errx(EX_USAGE, "%s", o->xwhy);
			errx(EX_USAGE, "%s cannot be used with %s",
			    kp_opt_display(o), kp_opt_display(x));
		}
	}
}

int
kp_opt_next(struct kp_optp *p)
{
	const struct kp_opt *o;
	const char *name;
	int ch;

	ch = kp_getopt(p->argc, p->argv, p->so, p->lo);
	if (ch == -1) {
		if (optind != p->argc)
			p->usage(stderr);
		return -1;
	}
	if (ch >= 256)
		o = &p->tab[ch - 256];
	else {
		for (o = p->tab; o->name != NULL && o->letter != ch; o++)
			;
		if (o->name == NULL)	/* '?': unknown, or no argument */
			p->usage(stderr);
	}
	if (o->letter == 'h' && o->kind == KA_NONE)
		p->usage(stdout);
	if (o->letter == 'V' && o->kind == KA_NONE)
		kp_version();
	if (p->given[o - p->tab] < UCHAR_MAX)
		p->given[o - p->tab]++;
	p->opt = o;
	p->arg = optarg;
	name = kp_opt_display(o);
	switch (o->kind) {
	case KA_NONE:
		p->num = 1;
		break;
	case KA_INT:
		p->num = kp_num(optarg, o->min, o->max, name);
		break;
	case KA_DUR:
		p->num = tu_duration_opt(optarg, name, o->min);
		break;
	case KA_TIME:
		p->num = tu_time_opt(optarg, name, o->min);
		break;
	case KA_ENUM:
		p->num = kp_choice(optarg, o->names, name);
		break;
	default:
		p->num = 0;
	}
	store(p, o);
	return o->id != 0 ? o->id : o->letter;
}
