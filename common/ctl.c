/* ctl.c - the control lines of an exactly-once stream (see ctl.h). */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "jrec.h"
#include "jw.h"
#include "pos.h"

static const struct {
	const char	*name;
	size_t		 len;
	enum ctl_kind	 kind;
} kinds[] = {
	{ "at\"", 3, CTL_AT },
	{ "skip\"", 5, CTL_SKIP },
	{ "position\"", 9, CTL_POSITION },
	{ "fence\"", 6, CTL_POSITION },	/* a revoke's answer */
	{ "assign\"", 7, CTL_ASSIGN },
	{ "revoke\"", 7, CTL_REVOKE },
	{ "member\"", 7, CTL_MEMBER },
	{ "job\"", 4, CTL_JOB },
};

enum ctl_kind
ctl_kind(const char *line, size_t len)
{
	const size_t pre = sizeof(POS_CONTROL) - 1;
	size_t i;

	if (!pos_control(line, len))
		return CTL_NONE;
	if (len <= pre || line[pre] != '"')
		return CTL_OTHER;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (len - pre - 1 >= kinds[i].len &&
		    memcmp(line + pre + 1, kinds[i].name, kinds[i].len) == 0)
			return kinds[i].kind;
	return CTL_OTHER;
}

static void
kind(struct buf *b, const char *k)
{
	buf_adds(b, POS_CONTROL "\"");
	buf_add(b, k, strlen(k));
	buf_addc(b, '"');
}

/* ,"key":"s" and ,"key":v, the members after the kind */
static void
str(struct buf *b, const char *key, const char *s)
{
	buf_addc(b, ',');
	jw_key(b, key, strlen(key));
	jw_str(b, s, strlen(s));
}

static void
num(struct buf *b, const char *key, int64_t v)
{
	buf_addc(b, ',');
	jw_key(b, key, strlen(key));
	jw_i64(b, v);
}

void
ctl_job(struct buf *b, const char *group, const char *topic, const char *txn)
{
	kind(b, "job");
	str(b, "group", group);
	str(b, "topic", topic);
	str(b, "txn", txn);
	buf_adds(b, "}\n");
}

void
ctl_member(struct buf *b, const void *gm, size_t n)
{
	kind(b, "member");
	buf_adds(b, ",\"gm\":");
	jw_b64(b, gm, n);
	buf_adds(b, "}\n");
}

void
ctl_assign(struct buf *b, const char *topic, int32_t part, int64_t off,
    int64_t after, int64_t wm, int64_t next)
{
	kind(b, "assign");
	str(b, "topic", topic);
	num(b, "partition", part);
	if (off >= 0)
		num(b, "offset", off);
	if (after != INT64_MIN)
		num(b, "after", after);
	if (wm != INT64_MIN)
		num(b, "wm", wm);
	if (next >= 0)
		num(b, "next", next);
	buf_adds(b, "}\n");
}

void
ctl_revoke(struct buf *b, const char *topic, const char *fence,
    const char *go)
{
	kind(b, "revoke");
	str(b, "topic", topic);
	str(b, "fence", fence);
	if (go != NULL && *go != '\0')
		str(b, "go", go);
	buf_adds(b, "}\n");
}

void
ctl_at(struct buf *b, const char *topic, int32_t part, int64_t off)
{
	kind(b, "at");
	if (topic != NULL)
		str(b, "topic", topic);
	num(b, "partition", part);
	num(b, "offset", off);
	buf_adds(b, "}\n");
}

/* A decimal number at *p of at most max, up to the byte stop. */
static int
number(const char **p, const char *end, char stop, long long max,
    long long *v)
{
	const char *s = *p;

	while (*p < end && **p != stop)
		(*p)++;
	if (*p == end || kp_int(s, (size_t)(*p - s), 0, max, v) < 0)
		return -1;
	(*p)++;
	return 0;
}

int
ctl_at_parse(const char *line, size_t len, const char **topic, size_t *tlen,
    int32_t *part, int64_t *off)
{
	static const char a[] = POS_CONTROL "\"at\",", t[] = "\"topic\":\"",
	    pa[] = "\"partition\":", o[] = "\"offset\":";
	const char *p = line + sizeof(a) - 1, *end = line + len, *q;
	long long v, w;

	if (len < sizeof(a) - 1 || memcmp(line, a, sizeof(a) - 1) != 0)
		return -1;
	*topic = NULL;
	*tlen = 0;
	if ((size_t)(end - p) >= sizeof(t) - 1 &&
	    memcmp(p, t, sizeof(t) - 1) == 0) {
		p += sizeof(t) - 1;
		for (q = p; q < end && *q != '"'; q++)
			;
		if (end - q < 2 || q[1] != ',' || q == p || (size_t)(q - p) >=
		    POS_TOPICMAX || !pos_name_ok(p, (size_t)(q - p)))
			return -1;
		*topic = p;
		*tlen = (size_t)(q - p);
		p = q + 2;
	}
	if ((size_t)(end - p) < sizeof(pa) - 1 ||
	    memcmp(p, pa, sizeof(pa) - 1) != 0)
		return -1;
	p += sizeof(pa) - 1;
	if (number(&p, end, ',', INT32_MAX, &v) < 0 ||
	    (size_t)(end - p) < sizeof(o) - 1 ||
	    memcmp(p, o, sizeof(o) - 1) != 0)
		return -1;
	p += sizeof(o) - 1;
	if (number(&p, end, '}', INT64_MAX, &w) < 0 || p != end)
		return -1;
	*part = (int32_t)v;
	*off = w;
	return 0;
}

int
ctl_torn(int eo, int torn, unsigned long long lineno)
{
	if (!eo || !torn)
		return 0;
	warnx("<stdin>:%llu: the last line has no newline, cut short by a "
	    "stage that died: dropped (the next run reads it again)", lineno);
	return 1;
}

/* s[0..n) into a NUL-terminated field of size max: 0, or -1 too long or
 * empty. */
static int
field(char *to, size_t max, const struct jr_val *v)
{
	if (v->type != JR_STR || v->len == 0 || v->len >= max)
		return -1;
	memcpy(to, v->s, v->len);
	to[v->len] = '\0';
	return 0;
}

int
ctl_job_parse(const char *line, size_t len, struct ctl_job *j, char *why,
    size_t n)
{
	struct jrec jr;
	int rc = -1;

	jr_init(&jr);
	(void)jr_addpath(&jr, "group");
	(void)jr_addpath(&jr, "topic");
	(void)jr_addpath(&jr, "txn");
	if (ctl_kind(line, len) != CTL_JOB)
		snprintf(why, n, "not a job line");
	else if (jr_parse(&jr, line, len) < 0)
		snprintf(why, n, "job line: %s", jr.err);
	else if (field(j->group, sizeof(j->group), &jr.val[0]) < 0 ||
	    field(j->topic, sizeof(j->topic), &jr.val[1]) < 0 ||
	    field(j->txn, sizeof(j->txn), &jr.val[2]) < 0)
		snprintf(why, n, "job line: no group, topic or txn");
	else
		rc = 0;
	jr_free(&jr);
	return rc;
}

int
ctl_member_parse(const char *line, size_t len, struct buf *o)
{
	struct jrec jr;
	struct buf t = { 0 };
	int rc = -1;

	jr_init(&jr);
	(void)jr_addpath(&jr, "gm");
	o->len = 0;
	if (ctl_kind(line, len) == CTL_MEMBER && jr_parse(&jr, line, len) == 0 &&
	    jr.val[0].type == JR_STR) {
		buf_add(&t, jr.val[0].s, jr.val[0].len);
		rc = jw_unb64(buf_cstr(&t), o, 0) < 0 ? -1 : 0;
	}
	buf_free(&t);
	jr_free(&jr);
	return rc;
}
