/* libFuzzer harness: window-agg's windows (window.c) and aggregates
 * (agg.c), linked as the tool links them. The first byte picks one of
 * sixteen plans (tumble, hop, session, cumulate; event or processing
 * time; delay,
 * lateness, --max-keys); the rest is records of three bytes: a time step
 * (signed in event time, in ms times the plan's tick; processing time,
 * the wall clock, only goes forward), a key (one of five) and a value
 * (-64..63, or null when the top bit is set). Each record goes through
 * agg_read() and win_add(); the watermark moves as window-agg moves it
 * (event time: the largest time minus the delay; processing time: the
 * record's time, before it is added).
 * Properties, beyond no crash, no exit and no leak:
 * - no more than --max-keys entries are ever open, and none is left
 *   after the end of input;
 * - each row is on the grid (end - start is the size, at least the gap
 *   for sessions; start on the slide grid);
 * - without lateness each (window, key) is emitted once, rows in order
 *   of window_end, key and window_start; with it, a row emitted again
 *   has a larger count;
 * - tumbling windows without lateness are checked against a model kept
 *   here: each record win_add() took goes to the window holding its time,
 *   so count(), count(v), sum(v), first(v) and last(v) of each row equal
 *   the model's; for every plan, min <= avg <= max;
 * - for tumbling and session windows without lateness, count() sums to
 *   the records taken;
 * - early rows (two plans) come only for open windows, before their end;
 * - a run is a replay: the same input gives the same rows.
 * fuzz-sources: cmd/window-agg/window.c cmd/window-agg/agg.c
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "../../cmd/window-agg/window.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

struct plan {
	int	 kind;
	int64_t	 size, slide, align, lateness, delay, tick;
	int	 event;
	size_t	 max_keys;
	int64_t	 early;		/* --emit-every */
};

static const struct plan plans[16] = {
	{ W_TUMBLE, 1000, 1000, 0, 0, 0, 100, 1, 0 },
	{ W_TUMBLE, 1000, 1000, 0, 0, 300, 100, 1, 0, 300 },
	{ W_TUMBLE, 1000, 1000, 250, 0, 500, 37, 1, 3 },
	{ W_TUMBLE, 1000, 1000, 0, 1000, 200, 100, 1, 0 },
	{ W_HOP, 3000, 1000, 0, 0, 1000, 100, 1, 0 },
	{ W_HOP, 1000, 1500, 0, 0, 0, 100, 1, 0 },
	{ W_HOP, 2000, 500, 100, 700, 300, 50, 1, 4 },
	{ W_SESSION, 500, 0, 0, 0, 300, 50, 1, 0 },
	{ W_SESSION, 1000, 0, 0, 700, 200, 100, 1, 0, 500 },
	{ W_SESSION, 1000, 0, 0, 500, 0, 100, 1, 2 },
	{ W_TUMBLE, 1000, 1000, 0, 0, 0, 100, 0, 0 },
	{ W_HOP, 2000, 1000, 0, 0, 0, 100, 0, 0 },
	{ W_SESSION, 1000, 0, 0, 0, 0, 100, 0, 0 },
	{ W_CUMULATE, 3000, 1000, 0, 0, 500, 100, 1, 0 },
	{ W_CUMULATE, 2000, 500, 250, 700, 0, 50, 1, 3 },
	{ W_TUMBLE, 1000, 1000, 0, 0, 1000, 1, 1, 2 },
};

/* the aggregates, in this order */
static const char *specs[] = { "n=count()", "c=count(v)", "s=sum(v)",
    "a=avg(v)", "lo=min(v)", "hi=max(v)", "f=first(v)", "l=last(v)",
    "cd=count_distinct(v)", "h=approx_count_distinct(v)", "la=listagg(v)",
    "co=collect(v)", "m=percentile(v, 0.3)", "ap=approx_percentile(v, 0.9)",
    "vs=stddev_samp(v)" };
enum { A_N, A_C, A_S, A_AVG, A_MIN, A_MAX, A_F, A_L, NAGG = 15 };

struct row {
	int64_t		 start, end, n;
	char		 key[8];
};

/* one tumbling window of one key in the model */
struct cell {
	int64_t		 start;
	int		 key;
	int64_t		 n, c;
	struct dec	 s;
	int		 f, l;		/* value index of first, last */
	int		 used;
};

struct run {
	const struct plan *p;
	struct win	 w;
	struct buf	 rows;		/* the rows as text, for the replay */
	struct row	*row;
	size_t		 nrow, rowcap;
	struct cell	*cell;
	size_t		 ncell, cellcap;
	const char	*vtext[256];	/* text of each value */
	int64_t		 taken;		/* records win_add() took */
};

static struct aggdef agg[NAGG];
static struct jrec jr;

static struct cell *
cell(struct run *r, int64_t start, int key)
{
	size_t i;

	for (i = 0; i < r->ncell; i++)
		if (r->cell[i].start == start && r->cell[i].key == key)
			return &r->cell[i];
	if (r->ncell == r->cellcap) {
		r->cellcap = r->cellcap ? r->cellcap * 2 : 64;
		r->cell = kp_xrealloc(r->cell, r->cellcap * sizeof(*r->cell));
	}
	memset(&r->cell[r->ncell], 0, sizeof(r->cell[0]));
	r->cell[r->ncell].start = start;
	r->cell[r->ncell].key = key;
	return &r->cell[r->ncell++];
}

static int
text_is(const struct agg_state *s, const char *t)
{
	return s->len == strlen(t) && memcmp(s->p, t, s->len) == 0;
}

/* min <= avg <= max, within double rounding */
static void
check_avg(const struct agg_state *s)
{
	struct buf b = { 0 };
	double avg, lo, hi, tol;

	if (s[A_C].n == 0)
		return;
	agg_emit(&agg[A_AVG], 1, &s[A_AVG], &b);
	avg = strtod(buf_cstr(&b) + strlen(",\"a\":"), NULL);
	buf_free(&b);
	lo = dec_to_double(&s[A_MIN].d);
	hi = dec_to_double(&s[A_MAX].d);
	tol = 1e-9 * fmax(fabs(lo), fabs(hi));
	if (isfinite(avg) && (avg < lo - tol || avg > hi + tol))
		abort();
}

static void
emit(void *arg, struct ent *e, int kind)
{
	struct run *r = arg;
	const struct plan *p = r->p;
	const struct agg_state *s = e->agg;
	struct row *x;
	struct cell *c;
	int64_t grid = p->kind == W_CUMULATE ? p->size : r->w.slide;
	int key;

	if (kind == WIN_EARLY) {	/* before its end: open, changed */
		if (e->emitted || e->end <= r->w.wm || r->w.wm == INT64_MAX ||
		    e->agg[A_N].n < 1)
			abort();
		jw_i64(&r->rows, e->end);
		agg_emit(agg, NAGG, e->agg, &r->rows);
		buf_adds(&r->rows, " early\n");
		return;
	}
	if (kind == WIN_UPDATE && (p->lateness == 0 || e->end > r->w.wm))
		abort();	/* an update: only under lateness, once closed */
	if (p->kind == W_SESSION ? e->end - e->start < p->size :
	    p->kind == W_CUMULATE ? e->end - e->start > p->size ||
	    (e->end - e->start) % p->slide != 0 || e->end == e->start :
	    e->end - e->start != p->size)
		abort();	/* not the window's size */
	if (p->kind != W_SESSION && ((e->start - r->w.align) % grid + grid) %
	    grid != 0)
		abort();	/* not on the grid */
	if (s[A_N].n < 1 || s[A_C].n > s[A_N].n || (s[A_C].n == 0) !=
	    (s[A_F].n == 0) || s[A_C].n != s[A_S].n)
		abort();
	check_avg(s);
	if (e->keylen >= sizeof(x->key))
		abort();
	if (r->nrow == r->rowcap) {
		r->rowcap = r->rowcap ? r->rowcap * 2 : 64;
		r->row = kp_xrealloc(r->row, r->rowcap * sizeof(*r->row));
	}
	x = &r->row[r->nrow++];
	x->start = e->start;
	x->end = e->end;
	x->n = s[A_N].n;
	memcpy(x->key, e->key, e->keylen);
	x->key[e->keylen] = '\0';
	/* the model: tumbling windows without lateness */
	if (p->kind == W_TUMBLE && p->lateness == 0) {
		key = x->key[4] - '0';
		c = cell(r, e->start, key);
		if (c->used++ || c->n != s[A_N].n || c->c != s[A_C].n ||
		    (c->c > 0 && (dec_cmp(&c->s, &s[A_S].d) != 0 ||
		    !text_is(&s[A_F], r->vtext[c->f]) ||
		    !text_is(&s[A_L], r->vtext[c->l]))))
			abort();
	}
	jw_i64(&r->rows, e->start);
	buf_addc(&r->rows, ' ');
	jw_i64(&r->rows, e->end);
	buf_add(&r->rows, e->key, e->keylen);
	agg_emit(agg, NAGG, s, &r->rows);
	buf_addc(&r->rows, '\n');
}

/* Rows in order of end, then key (the keys are "k":0 to "k":4, one byte
 * apart), then start; or, with lateness, a row again only with more. */
static void
check_order(const struct run *r)
{
	const struct row *a, *b;
	size_t i, j;

	for (i = 1; i < r->nrow; i++) {
		a = &r->row[i - 1];
		b = &r->row[i];
		if (r->p->lateness > 0)
			break;
		if (a->end > b->end || (a->end == b->end &&
		    (strcmp(a->key, b->key) > 0 ||
		    (strcmp(a->key, b->key) == 0 && a->start >= b->start))))
			abort();
	}
	if (r->p->lateness == 0)
		return;
	for (i = 0; i < r->nrow; i++)
		for (j = i + 1; j < r->nrow && j < i + 64; j++) {
			a = &r->row[i];
			b = &r->row[j];
			if (a->start == b->start && a->end == b->end &&
			    strcmp(a->key, b->key) == 0 && b->n <= a->n)
				abort();
		}
}

static void
one(struct run *r, const unsigned char *data, size_t size)
{
	const struct plan *p = r->p;
	struct agg_in in[NAGG];
	struct jr_val v;
	char key[8], num[8];
	int64_t ts = 1000000, maxts = WM_NONE, start;
	size_t i, nv = 0;
	int rc, k, j, step;
	struct cell *c;

	memset(in, 0, sizeof(in));
	memset(&r->w, 0, sizeof(r->w));
	r->w.kind = p->kind;
	r->w.size = p->size;
	r->w.slide = p->kind == W_TUMBLE ? p->size : p->slide;
	if (p->kind == W_CUMULATE)
		r->w.align = p->align % p->size;
	r->w.align = p->align;
	r->w.lateness = p->lateness;
	r->w.early = p->early;
	r->w.event = p->event;
	r->w.max_keys = p->max_keys;
	r->w.agg = agg;
	r->w.nagg = NAGG;
	r->w.emit = emit;
	r->w.arg = r;
	win_start(&r->w);
	for (i = 0; i + 3 <= size; i += 3) {
		step = (signed char)data[i];
		ts += (p->event ? step : abs(step)) * p->tick;
		k = data[i + 1] % 5;
		snprintf(key, sizeof(key), "\"k\":%d", k);
		memset(&v, 0, sizeof(v));
		v.type = data[i + 2] & 128 ? JR_NULL : JR_NUM;
		snprintf(num, sizeof(num), "%d", (data[i + 2] & 127) - 64);
		v.s = r->vtext[nv] = kp_xstrdup(num);
		v.len = strlen(v.s);
		for (j = 0; j < NAGG; j++)
			if (agg[j].path >= 0 && agg_read(&agg[j], &v,
			    &in[j]) != 0)
				abort();
		if (!p->event)
			win_advance(&r->w, ts);
		rc = win_add(&r->w, ts, key, strlen(key), in);
		if (p->max_keys > 0 && r->w.st.n > p->max_keys)
			abort();
		if (rc == WIN_OK && p->kind == W_TUMBLE && p->lateness == 0) {
			start = ts - ((ts - p->align) % p->size + p->size) %
			    p->size;
			c = cell(r, start, k);
			c->n++;
			if (v.type == JR_NUM) {
				if (c->c++ == 0)
					c->f = (int)nv;
				c->l = (int)nv;
				dec_add(&c->s, &c->s, &in[A_S].d);
			}
		}
		r->taken += rc == WIN_OK;
		nv++;
		if (p->event) {
			if (ts > maxts)
				maxts = ts;
			win_advance(&r->w, maxts - p->delay);
		}
		if (nv == 256)
			break;
	}
	win_advance(&r->w, INT64_MAX);
	if (r->w.st.n != 0 || r->w.st.heap.n != 0)
		abort();	/* a (window, key) state outlived the input */
	for (j = 0; j < NAGG; j++)
		buf_free(&in[j].tb);
	for (i = 0; i < nv; i++)
		free((char *)r->vtext[i]);
	win_free(&r->w);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct run a, b;
	int64_t n;
	size_t i;
	int j;

	if (size < 1)
		return 0;
	if (jr.npaths == 0) {
		jr_init(&jr);
		for (j = 0; j < NAGG; j++)
			agg_parse(&agg[j], specs[j], &jr);
	}
	a.p = b.p = &plans[data[0] & 15];
	a.rows.len = b.rows.len = 0;
	a.nrow = b.nrow = a.ncell = b.ncell = 0;
	a.taken = b.taken = 0;
	one(&a, data + 1, size - 1);
	check_order(&a);
	for (i = 0; i < a.ncell; i++)
		if (!a.cell[i].used)
			abort();	/* a window the model has is missing */
	if (a.p->lateness == 0 && a.p->kind != W_HOP &&
	    a.p->kind != W_CUMULATE) {
		for (n = 0, i = 0; i < a.nrow; i++)
			n += a.row[i].n;
		if (n != a.taken)
			abort();	/* records lost or counted twice */
	}
	one(&b, data + 1, size - 1);
	if (a.rows.len != b.rows.len || (a.rows.len > 0 &&
	    memcmp(a.rows.p, b.rows.p, a.rows.len) != 0))
		abort();	/* not a replay */
	return 0;
}
