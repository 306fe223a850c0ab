/* rows.c - window-agg's rows: a (window, key) entry written as one
 * NDJSON line (the keys, window_start and window_end, the aggregates,
 * --row-kind, --early-field), --having applied to it, --retract's -U rows,
 * --top's rows held until their window's last and written best first, and
 * --position-field's position on the last row of each batch. */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "jw.h"
#include "timeu.h"
#include "wa.h"

static void
put_time(struct wa *w, int64_t ms)
{
	char t[TU_FMT_MAX];
	size_t n = tu_fmt(ms, w->tfmt, w->local, t);

	if (w->tfmt == TF_MS)
		buf_add(&w->row, t, n);
	else
		jw_str(&w->row, t, n);
}

/* Aggregate i of e cannot be written (a double overflows): an error
 * under --on-error; the row has null. */
static void
overflow(struct wa *w, const struct ent *e, int i)
{
	char t[TU_FMT_MAX];

	t[tu_fmt(e->end, TF_ISO, 0, t)] = '\0';
	if (pol_reject(&w->pol, w->rd.lineno, NULL, 0, "aggregate %s of the "
	    "row for {%.*s} ending %s is beyond the range of a double "
	    "(written as null)", w->agg[i].name, (int)e->keylen, e->key, t) < 0)
		w->failed = 1;
}

/* --top: the rows of one window, held until the window's last. */
struct ranked {
	size_t		 off, len;	/* in w->held */
	struct dec	 v;
	int		 null;
	size_t		 i;		/* arrival, for ties */
};

static int
rank_cmp(const void *a, const void *b, void *arg)
{
	const struct ranked *x = a, *y = b;
	int asc = *(int *)arg, c;

	if (x->null != y->null)
		return x->null ? 1 : -1;	/* nulls last */
	c = x->null ? 0 : dec_cmp(&x->v, &y->v);
	if (c != 0)
		return asc ? c : -c;
	return x->i < y->i ? -1 : 1;
}

static void
put_row(struct wa *w, const char *p, size_t n)
{
	if (out_write(&w->out, p, n) < 0)
		out_die(&w->out);
	w->out.records++;
}

/* Write the --top rows held, best first. */
static void position_line(struct wa *, int64_t);

void
row_flush_top(void *arg)
{
	struct wa *w = arg;
	size_t i;

	if (w->nranked > 1)
		qsort_r(w->ranked, w->nranked, sizeof(*w->ranked), rank_cmp,
		    &w->asc);
	for (i = 0; i < w->nranked && i < w->top; i++)
		put_row(w, w->held.p + w->ranked[i].off, w->ranked[i].len);
	w->nranked = 0;
	w->held.len = 0;
	if (w->pospending) {	/* after the rows it covers */
		w->pospending = 0;
		position_line(w, w->posend);
	}
}

/* Hold a final row for --top, its rank value from the row's field. */
static void
hold(struct wa *w, const struct ent *e)
{
	const struct jr_val *v = &w->rowjr.val[w->bypath];
	struct ranked *r;

	if (w->nranked > 0 && (e->start != w->hstart || e->end != w->hend))
		row_flush_top(w);
	w->hstart = e->start;
	w->hend = e->end;
	if (w->nranked == w->rankcap) {
		w->rankcap = w->rankcap ? w->rankcap * 2 : 64;
		w->ranked = kp_xrealloc(w->ranked, w->rankcap *
		    sizeof(*w->ranked));
	}
	r = &w->ranked[w->nranked];
	r->i = w->nranked++;
	r->off = w->held.len;
	r->len = w->row.len;
	r->null = v->type != JR_NUM || dec_parse(&r->v, v->s, v->len) !=
	    DEC_OK;
	buf_add(&w->held, w->row.p, w->row.len);
}

/* --position-field: where the job stands once the batch of rows that
 * ends with window end is out, appended to b as ,"F":"POSITION". */
static void
add_position(struct wa *w, struct buf *b, int64_t end)
{
	hold_release(&w->posh, w->win.wm);
	buf_add(b, w->poskey.p, w->poskey.len);
	buf_addc(b, '"');
	hold_write(&w->posh, b, end, w->win.wm, NULL);
	buf_addc(b, '"');
}

/* The position as a control line of its own (ctl.h), after the rows of
 * the batch that ends with window end; w->row is used. */
static void
position_line(struct wa *w, int64_t end)
{
	w->row.len = 0;
	buf_adds(&w->row, POS_CONTROL "\"position\"");
	add_position(w, &w->row, end);
	buf_adds(&w->row, "}\n");
	if (out_write(&w->out, w->row.p, w->row.len) < 0)
		out_die(&w->out);
}

/* The batch that ends with window end is out, or (--top) will be once
 * row_flush_top() has written its ranked rows, or (sync_early) once the
 * early rows that follow it are out: its position line then. */
static void
position_due(struct wa *w, int64_t end)
{
	if (w->top > 0 || w->win.sync_early) {	/* after the early rows */
		w->posend = end;
		w->pospending = 1;
	} else
		position_line(w, end);
}

/* The row's body in w->row, with no closing brace: the key fields,
 * window_start and window_end (as --window-fields says), the aggregates
 * (one beyond a double's range said when loud). Returns its length. */
static size_t
body_of(struct wa *w, const struct ent *e, int loud)
{
	int bad;

	w->row.len = 0;
	buf_addc(&w->row, '{');
	buf_add(&w->row, e->key, e->keylen);
	if (w->wstart) {
		if (e->keylen > 0)
			buf_addc(&w->row, ',');
		buf_adds(&w->row, "\"window_start\":");
		put_time(w, e->start);
	}
	if (w->wend) {
		if (e->keylen > 0 || w->wstart)
			buf_addc(&w->row, ',');
		buf_adds(&w->row, "\"window_end\":");
		put_time(w, e->end);
	}
	if ((bad = agg_emit(w->agg, w->nagg, e->agg, &w->row)) >= 0 && loud)
		overflow(w, e, bad);
	return w->row.len;
}

/* --retract: w->row[0..body) is e's row as written, the one a later row
 * withdraws. */
static void
keep_prev(struct wa *w, struct ent *e, size_t body)
{
	if (e->prevcap < body) {
		e->prev = kp_xrealloc(e->prev, body);
		e->prevcap = (uint32_t)body;
	}
	memcpy(e->prev, w->row.p, body);
	e->prevlen = (uint32_t)body;
}

void
row_snap(void *arg, struct ent *e)
{
	struct wa *w = arg;

	keep_prev(w, e, body_of(w, e, 0));
}

/* One row: the key fields, window_start and window_end (as
 * --window-fields says), the aggregates, then --row-kind and
 * --early-field. With --retract, a row that replaces an earlier one
 * comes after that one again, marked -U. */
void
row_emit(void *arg, struct ent *e, int kind)
{
	struct wa *w = arg;
	size_t body;
	int posdue;

	if (kind == WIN_FINAL && e->end > w->lastend)
		w->lastend = e->end;
	if (w->has_after && e->end <= w->after) {
		w->nafter += kind == WIN_FINAL;
		return;
	}
	body = body_of(w, e, 1);
	buf_addc(&w->row, '}');
	if ((w->having != NULL || w->top > 0) && jr_parse(&w->rowjr,
	    w->row.p, w->row.len) < 0)
		errx(EX_SOFTWARE, "a row does not read back: %.*s",
		    (int)w->row.len, w->row.p);
	posdue = w->poskey.len > 0 && kind == WIN_FINAL &&
	    e == w->win.due[w->win.ndue - 1];
	if (w->having != NULL && !ex_match(w->having, w->rowjr.val)) {
		if (posdue)	/* the position goes on without its row */
			position_due(w, e->end);
		return;
	}
	if (w->tail && kind == WIN_FINAL) {
		if (w->tailn++ == 0)
			w->tail0 = e->end;
		w->tail1 = e->end;
	}
	w->row.len = body;
	if (w->retract && e->shown) {	/* the row it replaces, withdrawn */
		buf_add(&w->row, e->prev, e->prevlen);
		buf_add(&w->row, w->kindkey.p, w->kindkey.len);
		buf_adds(&w->row, "\"-U\"}\n");
		put_row(w, w->row.p + body, w->row.len - body);
		w->row.len = body;
	}
	if (w->retract)
		keep_prev(w, e, body);
	if (w->kindkey.len > 0) {
		buf_add(&w->row, w->kindkey.p, w->kindkey.len);
		if (e->shown)
			buf_adds(&w->row, "\"+U\"");
		else
			buf_adds(&w->row, "\"+I\"");
	}
	if (w->earlykey.len > 0) {
		buf_add(&w->row, w->earlykey.p, w->earlykey.len);
		if (kind == WIN_EARLY)
			buf_adds(&w->row, "true");
		else
			buf_adds(&w->row, "false");
	}
	/* the last row of a batch (those --after skips come first): where
	 * the job stands once it is out */
	if (posdue && !w->eo)
		add_position(w, &w->row, e->end);
	buf_adds(&w->row, "}\n");
	e->shown = 1;
	if (w->top > 0 && kind == WIN_FINAL)
		hold(w, e);
	else
		put_row(w, w->row.p, w->row.len);
	if (posdue && w->eo)	/* an exactly-once stream: its own line */
		position_due(w, e->end);
}
