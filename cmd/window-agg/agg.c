/* agg.c - the aggregate functions of window-agg, as one table. */
#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agg.h"
#include "jw.h"

/* What a function reads from its field. */
enum {
	IN_ANY,		/* any value: only whether it is there */
	IN_NUM,		/* a number, parsed into in->d */
	IN_VALUE,	/* a scalar, as JSON text in in->t */
	IN_STR,		/* a scalar, as text: a string's bytes unescaped */
	IN_KEY,		/* a scalar, as canonical JSON text (1.0 is 1) */
	IN_ORD		/* a number (in->d) or a string (bytes in in->t) */
};

/* The argument after the field. */
enum {
	A2_NONE,
	A2_SEP,		/* optional separator, a quoted string */
	A2_FRAC,	/* a fraction 0..1, required */
	A2_HALF		/* none: the fraction is 0.5 (median) */
};

/* aggfn flags: which variant of a shared update or emit */
#define F_MAX		0x1	/* min/max: the largest, not the smallest */
#define F_SAMPLE	0x2	/* var/stddev: of a sample (n - 1), not of
				   the population (n) */
#define F_SQRT		0x4	/* var/stddev: the standard deviation */

struct aggfn {
	const char	*name;
	int		 in;
	int		 nofield;	/* 1: may be called with no field */
	int		 arg2;
	int		 flags;		/* the function's own variant: F_* */
	/* fold one value into s (s->n is the count before it) */
	void		(*update)(const struct aggdef *, struct agg_state *s,
			    const struct agg_in *, uint64_t seq);
	/* fold b (b->n > 0) into a (a->n may be 0) */
	void		(*merge)(const struct aggdef *, struct agg_state *a,
			    const struct agg_state *b);
	/* the value as JSON; -1 when it cannot be written (null written) */
	int		(*emit)(const struct aggdef *, const struct agg_state *,
			    struct buf *);
	/* values kept, for --max-values; NULL: bounded memory */
	size_t		(*held)(const struct agg_state *);
	/* free what s->p holds; NULL: free(s->p) */
	void		(*free)(struct agg_state *);
};

/* ---- helpers ------------------------------------------------------- */

static void
put_dec(struct buf *b, const struct dec *d)
{
	char t[DEC_FMT_MAX];

	buf_add(b, t, dec_fmt(d, t));
}

/* Room for more bytes after s->p[len]. */
static void
grow(struct agg_state *s, size_t more)
{
	size_t cap = s->cap;

	if (cap - s->len >= more)
		return;
	if ((size_t)s->len + more > UINT32_MAX)
		errx(EX_SOFTWARE, "one aggregate's state is over 4 GiB");
	while (cap - s->len < more)
		cap = cap ? cap * 2 : 64;
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	s->p = kp_xrealloc(s->p, cap);
	s->cap = (uint32_t)cap;
}

static void
put(struct agg_state *s, const void *p, size_t n)
{
	grow(s, n);
	if (n > 0)
		memcpy(s->p + s->len, p, n);
	s->len += (uint32_t)n;
}

static void
set_text(struct agg_state *s, const char *p, size_t n, uint64_t seq)
{
	s->len = 0;
	put(s, p, n);
	s->seq = seq;
}

static uint64_t
hash64(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 0x100000001b3ULL;
	h ^= h >> 33;		/* murmur3's finaliser: HyperLogLog */
	h *= 0xff51afd7ed558ccdULL;	/* needs every bit mixed */
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
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

static size_t
held_n(const struct agg_state *s)
{
	return (size_t)s->n;
}

/* ---- count, sum, avg ----------------------------------------------- */

static int
count_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	jw_i64(b, s->n);
	return 0;
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

/* sum: the decimal, or null over no value */
static int
dec_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	if (s->n == 0)
		buf_adds(b, "null");
	else
		put_dec(b, &s->d);
	return 0;
}

/* A double, or null and -1 when it overflows. */
static int
put_dbl(struct buf *b, double x)
{
	if (!isfinite(x)) {
		buf_adds(b, "null");
		return -1;
	}
	jw_dbl(b, x);
	return 0;
}

static int
avg_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	struct dec n, avg;

	if (s->n == 0) {
		buf_adds(b, "null");
		return 0;
	}
	dec_from_i64(&n, s->n);
	if (dec_div(&avg, &s->d, &n) != DEC_OK) {
		buf_adds(b, "null");
		return -1;
	}
	return put_dbl(b, dec_to_double(&avg));
}

/* ---- min, max: numbers, then strings in byte order ----------------- */

/* The state's value against the input: <0, 0, >0. A string (seq 1 in
 * the state, in->str) is above every number. */
static int
ord_cmp(const struct agg_state *s, int str, const struct dec *d,
    const char *t, size_t n)
{
	size_t m;
	int c;

	if (s->seq != (uint64_t)str)
		return s->seq ? 1 : -1;
	if (!str)
		return dec_cmp(&s->d, d);
	m = s->len < n ? s->len : n;
	if ((c = m > 0 ? memcmp(s->p, t, m) : 0) != 0)
		return c;
	return s->len < n ? -1 : s->len > n;
}

static void
ord_take(struct agg_state *s, int str, const struct dec *d, const char *t,
    size_t n)
{
	s->seq = (uint64_t)str;
	if (str) {
		s->len = 0;
		put(s, t, n);
	} else
		s->d = *d;
}

/* 1 to keep the smaller (min), -1 the larger (max) */
static int
ord_sign(const struct aggdef *a)
{
	return a->fn->flags & F_MAX ? -1 : 1;
}

static void
ord_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	if (s->n == 0 || ord_cmp(s, in->str, &in->d, in->t, in->tlen) *
	    ord_sign(a) > 0)
		ord_take(s, in->str, &in->d, in->t, in->tlen);
}

static void
ord_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	if (x->n == 0 || ord_cmp(x, (int)y->seq, &y->d, y->p, y->len) *
	    ord_sign(a) > 0)
		ord_take(x, (int)y->seq, &y->d, y->p, y->len);
}

static int
ord_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	if (s->n > 0 && s->seq)
		jw_str(b, s->p, s->len);
	else
		dec_emit(a, s, b);
	return 0;
}

/* ---- first, last, collect, listagg --------------------------------- */

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

static int
text_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	if (s->n == 0)
		buf_adds(b, "null");
	else
		buf_add(b, s->p, s->len);
	return 0;
}

/* collect and listagg: values joined (collect: by ',', listagg: by its
 * separator). Merged sessions: the one that began first comes first. */
static void
join_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	if (s->n == 0)
		s->seq = seq;
	else
		put(s, a->sep, a->seplen);
	put(s, in->t, in->tlen);
}

static void
join_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	struct agg_state t;

	if (x->n == 0) {
		put(x, y->p, y->len);
		x->seq = y->seq;
		return;
	}
	if (y->seq > x->seq) {
		put(x, a->sep, a->seplen);
		put(x, y->p, y->len);
		return;
	}
	memset(&t, 0, sizeof(t));	/* y's values go first */
	put(&t, y->p, y->len);
	put(&t, a->sep, a->seplen);
	put(&t, x->p, x->len);
	free(x->p);
	x->p = t.p;
	x->len = t.len;
	x->cap = t.cap;
	x->seq = y->seq;
}

static int
collect_emit(const struct aggdef *a, const struct agg_state *s,
    struct buf *b)
{
	buf_addc(b, '[');
	buf_add(b, s->p, s->len);
	buf_addc(b, ']');
	return 0;
}

static int
listagg_emit(const struct aggdef *a, const struct agg_state *s,
    struct buf *b)
{
	if (s->n == 0)
		buf_adds(b, "null");
	else
		jw_str(b, s->p, s->len);
	return 0;
}

/* ---- count_distinct: a hash set of canonical texts ------------------ */

struct dset {
	uint64_t	*h;	/* 0: empty slot */
	uint32_t	*off;	/* of the text in txt: 4-byte length, bytes */
	size_t		 n, mask;
	struct buf	 txt;
};

static void
dset_add(struct dset *d, uint64_t h, const char *t, size_t n, int grow_ok)
{
	size_t i;
	uint32_t len;

	h |= 1;		/* never 0 */
	for (i = h & d->mask; d->h[i] != 0; i = (i + 1) & d->mask) {
		memcpy(&len, d->txt.p + d->off[i], 4);
		if (d->h[i] == h && len == n &&
		    memcmp(d->txt.p + d->off[i] + 4, t, n) == 0)
			return;
	}
	d->h[i] = h;
	d->off[i] = (uint32_t)d->txt.len;
	len = (uint32_t)n;
	buf_add(&d->txt, &len, 4);
	buf_add(&d->txt, t, n);
	d->n++;
	if (grow_ok && d->n * 2 > d->mask) {
		/* rehash into twice the slots, from the texts */
		struct dset e = *d;
		size_t o;

		e.mask = d->mask * 2 + 1;
		e.h = kp_xmalloc((e.mask + 1) * sizeof(*e.h));
		e.off = kp_xmalloc((e.mask + 1) * sizeof(*e.off));
		memset(e.h, 0, (e.mask + 1) * sizeof(*e.h));
		memset(&e.txt, 0, sizeof(e.txt));
		e.n = 0;
		for (o = 0; o < d->txt.len; o += 4 + len) {
			memcpy(&len, d->txt.p + o, 4);
			dset_add(&e, hash64(d->txt.p + o + 4, len),
			    d->txt.p + o + 4, len, 0);
		}
		free(d->h);
		free(d->off);
		buf_free(&d->txt);
		*d = e;
	}
}

static struct dset *
dset_of(struct agg_state *s)
{
	struct dset *d = (struct dset *)(void *)s->p;

	if (d == NULL) {
		d = kp_xmalloc(sizeof(*d));
		memset(d, 0, sizeof(*d));
		d->mask = 15;
		d->h = kp_xmalloc(16 * sizeof(*d->h));
		d->off = kp_xmalloc(16 * sizeof(*d->off));
		memset(d->h, 0, 16 * sizeof(*d->h));
		s->p = (char *)d;
	}
	return d;
}

static void
distinct_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	dset_add(dset_of(s), hash64(in->t, in->tlen), in->t, in->tlen, 1);
}

static void
distinct_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	const struct dset *e = (const struct dset *)(const void *)y->p;
	struct dset *d = dset_of(x);
	uint32_t len;
	size_t o;

	for (o = 0; o < e->txt.len; o += 4 + len) {
		memcpy(&len, e->txt.p + o, 4);
		dset_add(d, hash64(e->txt.p + o + 4, len), e->txt.p + o + 4,
		    len, 1);
	}
}

static size_t
distinct_held(const struct agg_state *s)
{
	return s->p ? ((const struct dset *)(const void *)s->p)->n : 0;
}

static int
distinct_emit(const struct aggdef *a, const struct agg_state *s,
    struct buf *b)
{
	jw_u64(b, distinct_held(s));
	return 0;
}

static void
distinct_free(struct agg_state *s)
{
	struct dset *d = (struct dset *)(void *)s->p;

	if (d == NULL)
		return;
	free(d->h);
	free(d->off);
	buf_free(&d->txt);
	free(d);
}

/* ---- approx_count_distinct: HyperLogLog ---------------------------- */

#define HLL_P	12		/* 4096 one-byte registers */
#define HLL_M	(1u << HLL_P)

static void
hll_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	uint64_t h = hash64(in->t, in->tlen);
	uint64_t rest = (h << HLL_P) | (1ULL << (HLL_P - 1));
	unsigned char r = (unsigned char)(__builtin_clzll(rest) + 1);

	if (s->p == NULL) {
		grow(s, HLL_M);
		memset(s->p, 0, HLL_M);
		s->len = HLL_M;
	}
	if ((unsigned char)s->p[h >> (64 - HLL_P)] < r)
		s->p[h >> (64 - HLL_P)] = (char)r;
}

static void
hll_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	size_t i;

	if (x->p == NULL) {
		put(x, y->p, y->len);
		return;
	}
	for (i = 0; i < HLL_M; i++)
		if ((unsigned char)x->p[i] < (unsigned char)y->p[i])
			x->p[i] = y->p[i];
}

static int
hll_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	double m = HLL_M, sum = 0, e;
	size_t i, zeros = 0;

	if (s->p == NULL) {
		jw_i64(b, 0);
		return 0;
	}
	for (i = 0; i < HLL_M; i++) {
		sum += ldexp(1, -(int)(unsigned char)s->p[i]);
		zeros += s->p[i] == 0;
	}
	e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (e <= 2.5 * m && zeros > 0)	/* small range: linear counting */
		e = m * log(m / (double)zeros);
	jw_i64(b, (int64_t)llround(e));
	return 0;
}

/* ---- percentile, median: exact; the values kept -------------------- */

static void
values_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	put(s, &in->d, sizeof(in->d));
}

static void
values_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	put(x, y->p, y->len);
}

static int
dec_qcmp(const void *a, const void *b)
{
	return dec_cmp(a, b);
}

/* Continuous percentile (PostgreSQL's percentile_cont, Flink's
 * PERCENTILE): the value at rank f*(n-1), interpolated linearly between
 * the two closest values. */
static int
percentile_emit(const struct aggdef *a, const struct agg_state *s,
    struct buf *b)
{
	struct dec *v = (struct dec *)(void *)s->p, pos, lo, frac, diff, r;
	int64_t i;

	if (s->n == 0) {
		buf_adds(b, "null");
		return 0;
	}
	qsort(v, (size_t)s->n, sizeof(*v), dec_qcmp);	/* order is free */
	dec_from_i64(&pos, s->n - 1);
	dec_mul(&pos, &pos, &a->frac);
	dec_floor_i64(&pos, &i);
	dec_from_i64(&lo, i);
	lo.neg = lo.m != 0;		/* pos - floor(pos) */
	dec_add(&frac, &pos, &lo);
	r = v[i];
	if (!dec_iszero(&frac) && i + 1 < s->n) {
		diff = v[i];
		diff.neg = diff.m != 0 && !diff.neg;
		dec_add(&diff, &v[i + 1], &diff);
		dec_mul(&diff, &diff, &frac);
		dec_add(&r, &r, &diff);
	}
	put_dec(b, &r);
	return 0;
}

/* ---- approx_percentile: a DDSketch ---------------------------------- */

/* Values in buckets of relative width 2%: bucket i holds magnitudes in
 * (g^(i-1), g^i], g = 1.02/0.98, and is read back as 2g^i/(g+1), within
 * 1% of every value in it. At most SK_MAX buckets a sign (16 KiB, grown
 * as buckets are used); past
 * that the two smallest magnitudes merge, so the error stays bounded for
 * the larger values. */
#define SK_ALPHA	0.01
#define SK_MAX		1024

struct bucket {
	int32_t		 i;
	uint32_t	 n;
};

struct sketch {
	uint64_t	 zero;
	uint32_t	 nb[2];		/* buckets in use: positive, negative */
	uint32_t	 cap[2];
	struct bucket	*b[2];		/* each sorted by i */
};

static struct sketch *
sketch_of(struct agg_state *s)
{
	if (s->p == NULL) {
		s->p = kp_xmalloc(sizeof(struct sketch));
		memset(s->p, 0, sizeof(struct sketch));
	}
	return (struct sketch *)(void *)s->p;
}

static void
sketch_free(struct agg_state *s)
{
	struct sketch *k = (struct sketch *)(void *)s->p;

	if (k != NULL) {
		free(k->b[0]);
		free(k->b[1]);
		free(k);
	}
}

static void
sk_add(struct sketch *k, int neg, int32_t i, uint32_t n)
{
	struct bucket *b;
	uint32_t lo = 0, hi = k->nb[neg];

	if (k->nb[neg] == k->cap[neg] && k->cap[neg] < SK_MAX) {
		k->cap[neg] = k->cap[neg] ? k->cap[neg] * 4 : 16;
		k->b[neg] = kp_xrealloc(k->b[neg], k->cap[neg] *
		    sizeof(*k->b[neg]));
	}
	b = k->b[neg];
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (b[mid].i < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < k->nb[neg] && b[lo].i == i) {
		b[lo].n += n;
		return;
	}
	if (k->nb[neg] == SK_MAX) {	/* merge the two smallest */
		b[1].n += b[0].n;
		memmove(b, b + 1, (SK_MAX - 1) * sizeof(*b));
		k->nb[neg]--;
		if (lo == 0) {
			b[0].n += n;
			return;
		}
		lo--;
	}
	memmove(b + lo + 1, b + lo, (k->nb[neg] - lo) * sizeof(*b));
	b[lo].i = i;
	b[lo].n = n;
	k->nb[neg]++;
}

static void
sketch_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	struct sketch *k = sketch_of(s);
	double x = dec_to_double(&in->d), g = (1 + SK_ALPHA) / (1 - SK_ALPHA);

	if (x == 0 || !isfinite(x) || fabs(x) < 1e-300) {
		k->zero++;
		return;
	}
	sk_add(k, x < 0, (int32_t)ceil(log(fabs(x)) / log(g)), 1);
}

static void
sketch_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	const struct sketch *f = (const struct sketch *)(const void *)y->p;
	struct sketch *k = sketch_of(x);
	uint32_t i;
	int neg;

	k->zero += f->zero;
	for (neg = 0; neg < 2; neg++)
		for (i = 0; i < f->nb[neg]; i++)
			sk_add(k, neg, f->b[neg][i].i, f->b[neg][i].n);
}

/* The value at rank P*(n-1), counted from the most negative. */
static int
sketch_emit(const struct aggdef *a, const struct agg_state *s,
    struct buf *b)
{
	const struct sketch *k = (const struct sketch *)(const void *)s->p;
	double g = (1 + SK_ALPHA) / (1 - SK_ALPHA), rank;
	uint64_t seen = 0;
	uint32_t i;

	if (s->n == 0) {
		buf_adds(b, "null");
		return 0;
	}
	rank = floor(dec_to_double(&a->frac) * (double)(s->n - 1));
	for (i = k->nb[1]; i-- > 0;)
		if ((double)(seen += k->b[1][i].n) > rank)
			return put_dbl(b, -2 * pow(g, k->b[1][i].i) / (g + 1));
	if ((double)(seen += k->zero) > rank) {
		jw_i64(b, 0);
		return 0;
	}
	for (i = 0; i < k->nb[0]; i++)
		if ((double)(seen += k->b[0][i].n) > rank)
			return put_dbl(b, 2 * pow(g, k->b[0][i].i) / (g + 1));
	return put_dbl(b, k->nb[0] == 0 ? 0 :
	    2 * pow(g, k->b[0][k->nb[0] - 1].i) / (g + 1));
}

/* ---- var_pop, var_samp, stddev_pop, stddev_samp -------------------- */

/* d: the sum; p: the sum of squares (a struct dec). The flags: F_SAMPLE,
 * F_SQRT. */
static void
var_update(const struct aggdef *a, struct agg_state *s,
    const struct agg_in *in, uint64_t seq)
{
	struct dec sq, *q;

	if (s->p == NULL) {
		grow(s, sizeof(*q));
		s->len = sizeof(*q);
		memset(s->p, 0, sizeof(*q));
	}
	q = (struct dec *)(void *)s->p;
	sum_update(a, s, in, seq);
	dec_mul(&sq, &in->d, &in->d);
	dec_add(q, q, &sq);
}

static void
var_merge(const struct aggdef *a, struct agg_state *x,
    const struct agg_state *y)
{
	if (x->p == NULL) {
		put(x, y->p, y->len);
		x->d = y->d;
		return;
	}
	sum_merge(a, x, y);
	dec_add((struct dec *)(void *)x->p, (struct dec *)(void *)x->p,
	    (const struct dec *)(const void *)y->p);
}

static int
var_emit(const struct aggdef *a, const struct agg_state *s, struct buf *b)
{
	struct dec n, num, t, den;
	double v;
	int samp;

	samp = (a->fn->flags & F_SAMPLE) != 0;
	if (s->n < 1 + samp) {
		buf_adds(b, "null");	/* SQL: samp of one value is null */
		return 0;
	}
	/* (n * sumsq - sum^2) / (n * n) or / (n * (n - 1)) */
	dec_from_i64(&n, s->n);
	dec_mul(&num, &n, (const struct dec *)(const void *)s->p);
	dec_mul(&t, &s->d, &s->d);
	t.neg = t.m != 0;
	dec_add(&num, &num, &t);
	dec_from_i64(&den, s->n - samp);
	dec_mul(&den, &den, &n);
	if (dec_div(&t, &num, &den) != DEC_OK)
		return put_dbl(b, INFINITY);
	v = t.neg ? 0 : dec_to_double(&t);
	return put_dbl(b, a->fn->flags & F_SQRT ? sqrt(v) : v);
}

static const struct aggfn fns[] = {
	{ "sum", IN_NUM, 0, A2_NONE, 0, sum_update, sum_merge, dec_emit,
	    NULL, NULL },
	{ "count", IN_ANY, 1, A2_NONE, 0, nothing_update, nothing_merge,
	    count_emit, NULL, NULL },
	{ "avg", IN_NUM, 0, A2_NONE, 0, sum_update, sum_merge, avg_emit,
	    NULL, NULL },
	{ "min", IN_ORD, 0, A2_NONE, 0, ord_update, ord_merge, ord_emit,
	    NULL, NULL },
	{ "max", IN_ORD, 0, A2_NONE, F_MAX, ord_update, ord_merge, ord_emit,
	    NULL, NULL },
	{ "first", IN_VALUE, 0, A2_NONE, 0, first_update, first_merge,
	    text_emit, NULL, NULL },
	{ "last", IN_VALUE, 0, A2_NONE, 0, last_update, last_merge,
	    text_emit, NULL, NULL },
	{ "count_distinct", IN_KEY, 0, A2_NONE, 0, distinct_update,
	    distinct_merge, distinct_emit, distinct_held, distinct_free },
	{ "approx_count_distinct", IN_KEY, 0, A2_NONE, 0, hll_update,
	    hll_merge, hll_emit, NULL, NULL },
	{ "listagg", IN_STR, 0, A2_SEP, 0, join_update, join_merge,
	    listagg_emit, held_n, NULL },
	{ "collect", IN_VALUE, 0, A2_NONE, 0, join_update, join_merge,
	    collect_emit, held_n, NULL },
	{ "median", IN_NUM, 0, A2_HALF, 0, values_update, values_merge,
	    percentile_emit, held_n, NULL },
	{ "percentile", IN_NUM, 0, A2_FRAC, 0, values_update, values_merge,
	    percentile_emit, held_n, NULL },
	{ "approx_percentile", IN_NUM, 0, A2_FRAC, 0, sketch_update,
	    sketch_merge, sketch_emit, NULL, sketch_free },
	{ "var_pop", IN_NUM, 0, A2_NONE, 0, var_update, var_merge, var_emit,
	    NULL, NULL },
	{ "var_samp", IN_NUM, 0, A2_NONE, F_SAMPLE, var_update, var_merge,
	    var_emit, NULL, NULL },
	{ "stddev_pop", IN_NUM, 0, A2_NONE, F_SQRT, var_update, var_merge,
	    var_emit, NULL, NULL },
	{ "stddev_samp", IN_NUM, 0, A2_NONE, F_SAMPLE | F_SQRT, var_update,
	    var_merge, var_emit, NULL, NULL },
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

/* The argument after the field, text from p to the closing ')'. */
static void
arg2(struct aggdef *a, const char *spec, const char *p, size_t n)
{
	char t[64];
	int have = n > 0;

	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	switch (a->fn->arg2) {
	case A2_SEP:
		if (!have)
			return;
		if (n < 2 || (p[0] != '\'' && p[0] != '"') || p[n - 1] != p[0])
			errx(EX_USAGE, "-a %s: the separator is a quoted "
			    "string, as in listagg(f, '; ')", spec);
		if (!jw_utf8ok(p + 1, n - 2))
			errx(EX_USAGE, "-a %s: the separator is not UTF-8",
			    spec);
		a->sep = kp_xmalloc(n - 2 + 1);
		memcpy(a->sep, p + 1, n - 2);
		a->seplen = n - 2;
		return;
	case A2_FRAC:
		if (n == 0 || n >= sizeof(t) || dec_parse(&a->frac, p, n) !=
		    DEC_OK || a->frac.neg || dec_cmp(&a->frac, &(struct dec){
		    .m = 1 }) > 0)
			errx(EX_USAGE, "-a %s: %s(FIELD, P) takes a fraction P "
			    "from 0 to 1, as in percentile(f, 0.95)", spec,
			    a->fn->name);
		return;
	default:
		if (have)
			errx(EX_USAGE, "-a %s: %s() takes one field", spec,
			    a->fn->name);
	}
}

void
agg_parse(struct aggdef *a, const char *spec, struct jrec *jr)
{
	const char *eq = strchr(spec, '='), *lp, *rp, *comma;
	char field[256];
	struct buf names = { 0 };
	size_t n, i;

	memset(a, 0, sizeof(*a));
	lp = eq ? strchr(eq, '(') : NULL;
	rp = spec + strlen(spec) - 1;
	if (eq == NULL || eq == spec || lp == NULL || rp < lp || *rp != ')')
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
	if (strncasecmp(lp + 1, "distinct ", 9) == 0)
		errx(EX_USAGE, "-a %s: no DISTINCT inside a function; write "
		    "%.*s=count_distinct(%.*s)%s", spec, (int)(eq - spec), spec,
		    (int)(rp - lp - 10), lp + 10, a->fn == &fns[1] ? "" :
		    " (count_distinct is the only distinct aggregate)");
	a->name = kp_xmalloc((size_t)(eq - spec) + 1);
	memcpy(a->name, spec, (size_t)(eq - spec));
	a->name[eq - spec] = '\0';
	a->sep = kp_xstrdup(",");
	a->seplen = 1;
	if (a->fn->arg2 == A2_HALF)
		dec_parse(&a->frac, "0.5", 3);
	comma = memchr(lp, ',', (size_t)(rp - lp));
	n = (size_t)((comma ? comma : rp) - lp - 1);
	if (comma != NULL && a->fn->arg2 == A2_SEP)
		free(a->sep), a->sep = NULL, a->seplen = 0;
	arg2(a, spec, comma ? comma + 1 : rp, comma ?
	    (size_t)(rp - comma - 1) : 0);
	if (comma == NULL && a->fn->arg2 == A2_FRAC)
		arg2(a, spec, rp, 0);
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
	a->field = kp_xstrdup(field);
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
	char t[DEC_FMT_MAX];

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
	case IN_ORD:
		in->str = v->type == JR_STR;
		if (in->str) {
			in->t = v->s;
			in->tlen = v->len;
			break;
		}
		if (v->type != JR_NUM)
			return AGG_NOTORD;
		if (dec_parse(&in->d, v->s, v->len) != DEC_OK)
			return AGG_RANGE;
		break;
	case IN_VALUE:
	case IN_STR:
	case IN_KEY:
		if (v->type == JR_OBJ || v->type == JR_ARR)
			return AGG_NOTVAL;
		in->t = v->s;
		in->tlen = v->len;
		if (v->type == JR_STR && a->fn->in != IN_STR) {
			in->tb.len = 0;
			jw_str(&in->tb, v->s, v->len);
			in->t = in->tb.p;
			in->tlen = in->tb.len;
		} else if (v->type == JR_NUM && a->fn->in == IN_KEY &&
		    dec_parse(&in->d, v->s, v->len) == DEC_OK) {
			in->tb.len = 0;	/* one text per number: 1.0 is 1 */
			buf_add(&in->tb, t, dec_fmt(&in->d, t));
			in->t = in->tb.p;
			in->tlen = in->tb.len;
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
	case AGG_NOTORD:
		return "expected a number or a string, got";
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

int
agg_emit(const struct aggdef *a, int n, const struct agg_state *s,
    struct buf *out)
{
	int i, bad = -1;

	for (i = 0; i < n; i++) {
		buf_addc(out, ',');
		jw_key(out, a[i].name, strlen(a[i].name));
		if (a[i].fn->emit(&a[i], &s[i], out) < 0 && bad < 0)
			bad = i;
	}
	return bad;
}

int
agg_fits(const struct aggdef *a, int n, const struct agg_state *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (a[i].fn->held != NULL && a[i].max_values > 0 &&
		    a[i].fn->held(&s[i]) >= a[i].max_values)
			return i;
	return -1;
}

int
agg_collects(const struct aggdef *a)
{
	return a->fn->held != NULL;
}

void
agg_free(const struct aggdef *a, int n, struct agg_state *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (a[i].fn->free != NULL)
			a[i].fn->free(&s[i]);
		else
			free(s[i].p);
}

void
agg_clear(struct aggdef *a)
{
	free(a->name);
	free(a->sep);
	free(a->field);
}
