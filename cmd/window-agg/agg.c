/* agg.c - the aggregate functions of window-agg, as one table. */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agg.h"
#include "jw.h"

/* What a function reads from its field. */
enum {
	IN_ANY,		/* any value: only whether it is there */
	IN_NUM,		/* a number, parsed into in->d */
	IN_VALUE	/* a scalar, as JSON text in in->t */
};

struct aggfn {
	const char	*name;
	int		 in;
	int		 nofield;	/* 1: may be called with no field */
	/* fold one value into s (s->n is the count before it) */
	void		(*update)(const struct aggdef *, struct agg_state *s,
			    const struct agg_in *, uint64_t seq);
	/* fold b (b->n > 0) into a (a->n may be 0) */
	void		(*merge)(const struct aggdef *, struct agg_state *a,
			    const struct agg_state *b);
	/* the value as JSON */
	void		(*emit)(const struct aggdef *, const struct agg_state *,
			    struct buf *);
};

/* ---- the functions ------------------------------------------------- */

static void
put_dec(struct buf *b, const struct dec *d)
{
	char t[DEC_FMT_MAX];

	buf_add(b, t, dec_fmt(d, t));
}

static void
set_text(struct agg_state *s, const char *p, size_t n, uint64_t seq)
{
	if (s->cap < n) {
		s->p = kp_xrealloc(s->p, n);
		s->cap = (uint32_t)n;
	}
	memcpy(s->p, p, n);
	s->len = (uint32_t)n;
	s->seq = seq;
}

static void
nothing_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
}

static void
nothing_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
}

static void
count_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	jw_i64(b, s->n);
}

static void
sum_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	if (s->n == 0)
		s->d = in->d;
	else
		dec_add(&s->d, &s->d, &in->d);
}

static void
sum_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	if (x->n == 0)
		x->d = y->d;
	else
		dec_add(&x->d, &x->d, &y->d);
}

/* sum, min, max: the decimal, or null over no value */
static void
dec_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	if (s->n == 0)
		buf_adds(b, "null");
	else
		put_dec(b, &s->d);
}

static void
avg_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	struct dec n, avg;

	dec_from_i64(&n, s->n);
	if (s->n == 0 || dec_div(&avg, &s->d, &n) != DEC_OK)
		buf_adds(b, "null");
	else
		jw_dbl(b, dec_to_double(&avg));
}

static void
min_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	if (s->n == 0 || dec_cmp(&in->d, &s->d) < 0)
		s->d = in->d;
}

static void
min_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	if (x->n == 0 || dec_cmp(&y->d, &x->d) < 0)
		x->d = y->d;
}

static void
max_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	if (s->n == 0 || dec_cmp(&in->d, &s->d) > 0)
		s->d = in->d;
}

static void
max_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	if (x->n == 0 || dec_cmp(&y->d, &x->d) > 0)
		x->d = y->d;
}

static void
first_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	if (s->n == 0 || seq < s->seq)
		set_text(s, in->t, in->tlen, seq);
}

static void
first_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	if (x->n == 0 || y->seq < x->seq)
		set_text(x, y->p, y->len, y->seq);
}

static void
last_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	if (s->n == 0 || seq > s->seq)
		set_text(s, in->t, in->tlen, seq);
}

static void
last_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	if (x->n == 0 || y->seq > x->seq)
		set_text(x, y->p, y->len, y->seq);
}

static void
text_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	if (s->n == 0)
		buf_adds(b, "null");
	else
		buf_add(b, s->p, s->len);
}

static const struct aggfn fns[] = {
	{ "sum", IN_NUM, 0, sum_update, sum_merge, dec_emit },
	{ "count", IN_ANY, 1, nothing_update, nothing_merge, count_emit },
	{ "avg", IN_NUM, 0, sum_update, sum_merge, avg_emit },
	{ "min", IN_NUM, 0, min_update, min_merge, dec_emit },
	{ "max", IN_NUM, 0, max_update, max_merge, dec_emit },
	{ "first", IN_VALUE, 0, first_update, first_merge, text_emit },
	{ "last", IN_VALUE, 0, last_update, last_merge, text_emit },
};
#define NFNS	(sizeof(fns) / sizeof(fns[0]))

/* ---- the plan ------------------------------------------------------ */

static const struct aggfn *
lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NFNS; i++)
		if (strlen(fns[i].name) == n &&
		    strncasecmp(name, fns[i].name, n) == 0)
			return &fns[i];
	return NULL;
}

void
agg_parse(struct aggdef *a, const char *spec, struct jrec *jr)
{
	const char *eq = strchr(spec, '='), *lp, *rp;
	char field[256];
	struct buf names = { 0 };
	size_t n, i;

	lp = eq ? strchr(eq, '(') : NULL;
	rp = lp ? strchr(lp, ')') : NULL;
	if (eq == NULL || eq == spec || lp == NULL || rp == NULL ||
	    rp[1] != '\0')
		errx(EX_USAGE, "-a %s: expected NAME=FUNC(FIELD), as in "
		    "window_sales=sum(amount_usd) or n=count()", spec);
	if ((a->fn = lookup(eq + 1, (size_t)(lp - eq - 1))) == NULL) {
		for (i = 0; i < NFNS; i++) {
			if (i > 0)
				buf_adds(&names, ", ");
			buf_add(&names, fns[i].name, strlen(fns[i].name));
		}
		errx(EX_USAGE, "-a %s: unknown function '%.*s' (%s)", spec,
		    (int)(lp - eq - 1), eq + 1, buf_cstr(&names));
	}
	a->name = kp_xmalloc((size_t)(eq - spec) + 1);
	memcpy(a->name, spec, (size_t)(eq - spec));
	a->name[eq - spec] = '\0';
	n = (size_t)(rp - lp - 1);
	if (n >= sizeof(field))
		errx(EX_USAGE, "-a %s: field name too long", spec);
	memcpy(field, lp + 1, n);
	field[n] = '\0';
	if (n == 0) {
		if (!a->fn->nofield)
			errx(EX_USAGE, "-a %s: %s() needs a field", spec,
			    a->fn->name);
		a->path = -1;
	} else
		a->path = jr_addpath(jr, field);
}

int
agg_nofield(const struct aggdef *a)
{
	return a->path < 0;
}

/* ---- the run ------------------------------------------------------- */

int
agg_read(const struct aggdef *a, const struct jr_val *v, struct agg_in *in)
{
	in->has = 0;
	if (v->type == JR_NONE || v->type == JR_NULL)
		return 0;
	switch (a->fn->in) {
	case IN_NUM:
		if (v->type != JR_NUM)
			return AGG_NOTNUM;
		if (dec_parse(&in->d, v->s, v->len) != DEC_OK)
			return AGG_RANGE;
		break;
	case IN_VALUE:
		if (v->type == JR_OBJ || v->type == JR_ARR)
			return AGG_NOTVAL;
		if (v->type == JR_STR) {
			in->tb.len = 0;
			jw_str(&in->tb, v->s, v->len);
			in->t = in->tb.p;
			in->tlen = in->tb.len;
		} else {
			in->t = v->s;
			in->tlen = v->len;
		}
		break;
	}
	in->has = 1;
	return 0;
}

const char *
agg_why(int rc)
{
	switch (rc) {
	case AGG_NOTNUM:
		return "expected a number, got";
	case AGG_NOTVAL:
		return "expected a value, got";
	default:
		return "number out of range";
	}
}

void
agg_update(const struct aggdef *a, int n, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	int i;

	for (i = 0; i < n; i++) {
		if (a[i].path >= 0 && !in[i].has)
			continue;
		a[i].fn->update(&a[i], &s[i], &in[i], seq);
		s[i].n++;
	}
}

void
agg_merge(const struct aggdef *a, int n, struct agg_state *x,
    const struct agg_state *y)
{
	int i;

	for (i = 0; i < n; i++) {
		if (y[i].n == 0)
			continue;
		a[i].fn->merge(&a[i], &x[i], &y[i]);
		x[i].n += y[i].n;
	}
}

void
agg_emit(const struct aggdef *a, int n, const struct agg_state *s,
    struct buf *out)
{
	int i;

	for (i = 0; i < n; i++) {
		buf_addc(out, ',');
		jw_key(out, a[i].name, strlen(a[i].name));
		a[i].fn->emit(&a[i], &s[i], out);
	}
}

void
agg_free(const struct aggdef *a, int n, struct agg_state *s)
{
	int i;

	for (i = 0; i < n; i++)
		free(s[i].p);
}
