/* position.c - window-agg --position-field: each record's partition and
 * offset held (hold.c) until the last window it is in is written, and the
 * control lines of ksource -J --from-group: an assign gives a partition's
 * starting offset and the end of the windows its earlier owner wrote; a
 * revoke drops every open window and answers with the position to rebuild
 * them from, under the revoke's fence (see pos.h). */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "wa.h"

/* the fields of a control line (pos.h) */
enum { C_KIND, C_TOPIC, C_PART, C_OFF, C_AFTER, C_FENCE, C_WM, C_NEXT,
    C_GO };

/* A record of partition hp at offset off and event time ts, held until
 * the last window it is in is closed (its end, and --lateness). */
static void
held(struct wa *w, struct hold_part *hp, int64_t off, int64_t ts)
{
	struct win *win = &w->win;
	int64_t until, last;
	int keep;

	/* the end of the last window the record is in; those up to the
	 * partition's own after were written by its earlier owner (and
	 * are rebuilt when still open: hp->wm known) */
	last = win->kind == W_CUMULATE ? win_grid(win, ts, win->size) +
	    win->size : win_grid(win, ts, win->slide) + win->size;
	until = last + win->lateness;
	win->floor = hp->after == POS_NOAFTER ? WM_NONE : hp->after;
	if (w->has_after && w->after > win->floor)
		win->floor = w->after;
	win->wfloor = hp->wm;
	win->old = hp->upto >= 0 && off < hp->upto;
	win->src = (int32_t)(hp - w->posh.p);	/* its windows' partition */
	keep = win->wfloor != WM_NONE ? until > win->wfloor : last > win->floor;
	hold_add(hp, off, until, (win->wm == WM_NONE || until > win->wm) &&
	    keep);
}

/* --position-field: note which partition and offset the record held in
 * its windows comes from (ksource -J's topic, partition and offset). 0,
 * or the reject() result. */
int
wpos_record(struct wa *w, const char *line, size_t len, int64_t ts)
{
	const struct jr_val *t = &w->jr.val[w->pospath], *p = t + 1, *o = t + 2;
	long long part, off;
	int ti;

	if (t->type != JR_STR || p->type != JR_NUM || o->type != JR_NUM ||
	    kp_int(p->s, p->len, 0, INT32_MAX, &part) < 0 ||
	    kp_int(o->s, o->len, 0, INT64_MAX, &off) < 0)
		return wa_reject(w, line, len, "--position-field: no topic, "
		    "partition and offset (read ksource -J)");
	if ((ti = hold_topic(&w->posh, t->s, t->len)) != 0)
		return wa_reject(w, line, len, "--position-field: topic %.*s: "
		    "one topic only (%s before; ksource --exactly-once reads "
		    "several)", (int)t->len, t->s, w->posh.names.topic[0]);
	held(w, hold_part(&w->posh, ti, (int32_t)part), off, ts);
	return 0;
}

/* After the record or skip line of wpos_next() is taken: once every
 * partition has been read again up to where the position it was
 * assigned from had read it, the rebuilt windows' rows held back go out
 * and the watermark moves again. */
void
wpos_replayed(struct wa *w)
{
	if (!w->passed)
		return;
	w->passed = 0;
	if (--w->replaying > 0)
		return;
	win_replayed(&w->win);
	win_advance(&w->win, wm_event(w));
}

/* An exactly-once stream (ctl.h): the record below the last at line
 * takes the next offset of its partition, held in its windows when in
 * (ok: not rejected, not left out by --where), else only passed. 0, or
 * the reject() result (a record before any at line). */
int
wpos_next(struct wa *w, const char *line, size_t len, int64_t ts, int ok)
{
	struct hold_part *hp;

	if (!w->at_set)
		return wa_reject(w, line, len, "a record before the first at "
		    "line of an exactly-once stream (one window-agg takes "
		    "them, between ksource and ksink --exactly-once)");
	hp = hold_part(&w->posh, w->at_t, w->at_part);
	if (ok)
		held(w, hp, w->at_next, ts);
	else
		hold_add(hp, w->at_next, 0, 0);
	w->at_next++;
	if (hp->replay && hp->next >= hp->upto) {
		hp->replay = 0;	/* read again up to upto: wpos_replayed() */
		w->passed = 1;
	}
	return 0;
}

/* The job line of an exactly-once stream (ksource --exactly-once): from
 * here on window-agg keeps the positions (as --position-field does), and
 * writes them as position lines for ksink --exactly-once. What it cannot
 * yet do so is refused (64). The line itself is passed on. */
static int
job(struct wa *w, const char *line, size_t len)
{
	struct ctl_job j;
	char why[160];

	if (w->eo)
		return 0;	/* one job, its line seen already */
	if (w->poskey.len > 0)
		errx(EX_USAGE, "<stdin>:%llu: an exactly-once stream (ksource "
		    "--exactly-once) keeps its positions in control lines: "
		    "no --position-field", (unsigned long long)w->rd.lineno);
	if (!w->win.event || w->win.kind == W_SESSION)
		errx(EX_USAGE, "<stdin>:%llu: an exactly-once stream (ksource "
		    "--exactly-once) needs event time (--time-field) and "
		    "--tumble, --hop or --cumulate; not yet --session",
		    (unsigned long long)w->rd.lineno);
	if (w->advance > 0)
		errx(EX_USAGE, "<stdin>:%llu: an exactly-once stream (ksource "
		    "--exactly-once) moves event time by its records only: "
		    "--idle-advance would close windows by the clock, "
		    "differently in a restart", (unsigned long long)
		    w->rd.lineno);
	if (ctl_job_parse(line, len, &j, why, sizeof(why)) < 0)
		return wa_reject(w, line, len, "%s", why);
	buf_adds(&w->poskey, CTL_POSITION_KEY);
	wpos_init(w);
	/* windows open after they are written: the position says up to
	 * where they closed and what was read (pos.h's WM and NEXT) */
	w->posh.extra = w->win.lateness > 0 || w->win.early > 0;
	/* early rows updated by --row-kind: at each position every open
	 * window's last row is what it holds (window.h's sync_early) */
	if (w->win.early > 0 && w->kindkey.len > 0) {
		w->win.sync_early = 1;
		w->win.flush = row_flush_top;
	}
	/* the topic of an at line that names none (a pattern is not one:
	 * then every at line names its own) */
	w->at_t = hold_topic(&w->posh, j.topic, strlen(j.topic));
	w->eo = 1;
	return 0;
}

/* The fence line: the position of every partition (gone: of those
 * revoked only), under the revoke's fence token. */
static void
fence_line(struct wa *w, const char *fence, int gone)
{
	w->row.len = 0;
	buf_adds(&w->row, POS_CONTROL "\"fence\"");
	buf_add(&w->row, w->poskey.p, w->poskey.len);
	buf_addc(&w->row, '"');
	if (gone)
		hold_write_gone(&w->posh, &w->row, w->lastend, w->win.wm,
		    fence);
	else
		hold_write(&w->posh, &w->row, w->lastend, w->win.wm, fence);
	buf_adds(&w->row, "\"}\n");
	if (out_write(&w->out, w->row.p, w->row.len) < 0)
		out_die(&w->out);
	out_sync(&w->out);
	pg_break(&w->pg);
}

/* A revoke's go, "T:P ...": marks those partitions gone, their indexes
 * in gone[] (np of them at most). How many there are when only they can
 * go, their windows dropped and the others' kept: some partition kept,
 * no window with records of several partitions, no restart's records
 * read again yet; else 0 (every mark cleared). */
static size_t
mark_gone(struct wa *w, const struct jr_val *go, int32_t *gone)
{
	struct hold *h = &w->posh;
	const char *s = go->s, *e = go->s + go->len, *c, *sp;
	long long part;
	size_t i, n = 0, kept = 0;
	int t;

	for (; go->type == JR_STR && s < e; s = sp + 1) {
		if ((sp = memchr(s, ' ', (size_t)(e - s))) == NULL)
			sp = e;
		if ((c = memchr(s, ':', (size_t)(sp - s))) == NULL ||
		    (t = hold_topic(h, s, (size_t)(c - s))) < 0 ||
		    kp_int(c + 1, (size_t)(sp - c - 1), 0, INT32_MAX,
		    &part) < 0)
			goto full;
		for (i = 0; i < h->np; i++)
			if (h->p[i].t == (uint32_t)t && h->p[i].id == part &&
			    !h->p[i].gone) {
				h->p[i].gone = 1;
				gone[n++] = (int32_t)i;
			}
	}
	for (i = 0; i < h->np; i++)
		kept += h->p[i].known && !h->p[i].gone;
	if (n > 0 && kept > 0 && w->replaying == 0 && !win_mixed(&w->win))
		return n;
full:
	for (i = 0; i < h->np; i++)
		h->p[i].gone = 0;
	return 0;
}

/* Partitions of the input are revoked (ksource -G): every open window
 * is dropped unwritten, the position from which they can be rebuilt
 * goes down the pipe with the revoke's fence (ksink commits it, and
 * ksource waits for that before letting the partitions go), and the
 * job starts again from nothing, for the assignment that follows. When
 * the revoke names the partitions that go (go: the member keeps others,
 * cooperative rebalancing) and each window holds records of one
 * partition, only theirs are dropped, and the position of only those
 * goes with the fence: the others go on, and ksource does not read them
 * again (it reads again those the fence names). */
static void
revoked(struct wa *w, const struct jr_val *v)
{
	char fence[POS_FENCEMAX];
	unsigned long long held;
	size_t open, n;
	int32_t *gone;

	memcpy(fence, v[C_FENCE].s, v[C_FENCE].len);	/* checked */
	fence[v[C_FENCE].len] = '\0';
	hold_release(&w->posh, w->win.wm);
	gone = kp_xmalloc((w->posh.np + 1) * sizeof(*gone));
	if ((n = mark_gone(w, &v[C_GO], gone)) > 0) {
		open = win_drop_src(&w->win, gone, n);
		held = hold_count(&w->posh, 1);
		w->nrevoked += held;
		fence_line(w, fence, 1);
		warnx("revoked at line %llu: %zu partitions: %zu open (window, "
		    "key) rows of %llu records dropped, for their next owner; "
		    "the partitions kept go on", (unsigned long long)
		    w->rd.lineno, n, open, held);
		hold_forget_gone(&w->posh);
		free(gone);
		return;
	}
	free(gone);
	open = win_drop(&w->win);
	held = hold_count(&w->posh, 0);
	w->nrevoked += held;
	fence_line(w, fence, 0);
	warnx("revoked at line %llu: %zu open (window, key) rows of %llu "
	    "records dropped, for the next owner of the partitions",
	    (unsigned long long)w->rd.lineno, open, held);
	hold_reset(&w->posh);
	w->replaying = 0;
	w->passed = 0;
	w->win.replay = 0;
	w->win.wm = WM_NONE;
	w->win.next_early = WM_NONE;
	wm_reset(w);
	w->lastend = w->has_after ? w->after : NOTHING;
}

/* The paths of the control lines read (assign, revoke). */
void
wpos_init(struct wa *w)
{
	jr_init(&w->ctl);
	(void)jr_addpath(&w->ctl, "kp_control");
	(void)jr_addpath(&w->ctl, "topic");
	(void)jr_addpath(&w->ctl, "partition");
	(void)jr_addpath(&w->ctl, "offset");
	(void)jr_addpath(&w->ctl, "after");
	(void)jr_addpath(&w->ctl, "fence");
	(void)jr_addpath(&w->ctl, "wm");
	(void)jr_addpath(&w->ctl, "next");
	(void)jr_addpath(&w->ctl, "go");
}

/* A control line passed on as it is, at once. */
static void
pass(struct wa *w, const char *line, size_t len)
{
	if (out_write(&w->out, line, len) < 0 || out_write(&w->out, "\n",
	    1) < 0)
		out_die(&w->out);
	out_sync(&w->out);
}

/* An at line (ctl.h): the records below it are its partition's, from
 * its offset on. 0, or the reject() result. */
static int
at(struct wa *w, const char *line, size_t len)
{
	const char *tn;
	size_t tl;
	int32_t p32;
	int64_t o64;

	if (ctl_at_parse(line, len, &tn, &tl, &p32, &o64) < 0)
		return wa_reject(w, line, len, "at line: no partition and "
		    "offset");
	if (tn != NULL)
		w->at_t = hold_topic(&w->posh, tn, tl);
	if (w->at_t < 0)
		return wa_reject(w, line, len, "at line: no topic named "
		    "before");
	w->at_set = 1;
	w->at_part = p32;
	w->at_next = o64;
	return 0;
}

/* Field v of a control line as a whole number in [min, max] into *n,
 * left as it is when absent: 0, or -1 when not such a number. */
static int
field(const struct jr_val *v, long long min, long long max, int64_t *n)
{
	long long x;

	if (v->type == JR_NONE)
		return 0;
	if (v->type != JR_NUM || kp_int(v->s, v->len, min, max, &x) < 0)
		return -1;
	*n = x;
	return 0;
}

/* An assign line, its fields in v: the partition's starting offset, the
 * end of the windows its earlier owner wrote and, for windows open after
 * they are written, the watermark and the next offset of that owner's
 * position (pos.h). 0, or the reject() result. */
static int
assigned(struct wa *w, const struct jr_val *v, const char *line, size_t len)
{
	struct hold_part *hp;
	int64_t part = -1, off = -1, after = POS_NOAFTER, wm = POS_NOAFTER;
	int64_t next = -1;
	int t;

	if (field(&v[C_PART], 0, INT32_MAX, &part) < 0 || part < 0 ||
	    field(&v[C_OFF], 0, INT64_MAX, &off) < 0 ||
	    field(&v[C_AFTER], INT64_MIN + 1, INT64_MAX, &after) < 0 ||
	    field(&v[C_WM], INT64_MIN + 1, INT64_MAX, &wm) < 0 ||
	    field(&v[C_NEXT], 0, INT64_MAX, &next) < 0)
		return wa_reject(w, line, len, "assign: no partition, or a bad "
		    "offset, after, wm or next");
	if ((t = hold_topic(&w->posh, v[C_TOPIC].s, v[C_TOPIC].len)) < 0 ||
	    (!w->eo && t != 0))
		return wa_reject(w, line, len, "--position-field: topic %.*s: "
		    "one topic only (%s before; ksource --exactly-once reads "
		    "several)", (int)v[C_TOPIC].len, v[C_TOPIC].s,
		    w->posh.names.nt > 0 ? w->posh.names.topic[0] : "none");
	hp = hold_part(&w->posh, t, (int32_t)part);
	if (off >= 0 && !hp->known) {
		hp->next = off;
		hp->known = 1;
	}
	if (after != POS_NOAFTER)
		hp->after = after;
	if (!w->posh.extra)
		return 0;	/* the windows close as they are written */
	if (wm != POS_NOAFTER)
		hp->wm = wm;
	if (next >= 0 && hp->known && next > hp->next && !hp->replay) {
		hp->upto = next;	/* read again up to there */
		hp->replay = 1;
		w->replaying++;
		w->win.replay = 1;
	}
	return 0;
}

/* An assign or revoke line (ksource -J --from-group, or an exactly-once
 * stream). 0, or the reject() result. */
static int
assign_revoke(struct wa *w, const char *line, size_t len)
{
	const struct jr_val *v;

	if (w->poskey.len == 0) {
		if (!w->ctlnote++)
			warnx("<stdin>:%llu: control lines (ksource -J "
			    "--from-group) are skipped without "
			    "--position-field", (unsigned long long)
			    w->rd.lineno);
		return 0;
	}
	if (jr_parse(&w->ctl, line, len) < 0)
		return wa_reject(w, line, len, "%s", w->ctl.err);
	v = w->ctl.val;
	if (v[C_KIND].type != JR_STR || v[C_TOPIC].type != JR_STR)
		return wa_reject(w, line, len, "control line: no kp_control or "
		    "topic");
	if (v[C_KIND].len == 6 && memcmp(v[C_KIND].s, "revoke", 6) == 0) {
		if (v[C_FENCE].type != JR_STR || v[C_FENCE].len >=
		    POS_FENCEMAX || !pos_name_ok(v[C_FENCE].s, v[C_FENCE].len))
			return wa_reject(w, line, len, "revoke: no fence token");
		revoked(w, v);
		return 0;
	}
	if (v[C_KIND].len != 6 || memcmp(v[C_KIND].s, "assign", 6) != 0)
		return wa_reject(w, line, len, "control line: %.*s: not assign "
		    "or revoke", (int)v[C_KIND].len, v[C_KIND].s);
	return assigned(w, v, line, len);
}

/* A control line: 0, or the reject() result. */
int
wpos_control(struct wa *w, const char *line, size_t len)
{
	int rc;

	switch (ctl_kind(line, len)) {
	case CTL_JOB:
		if ((rc = job(w, line, len)) == 0)
			pass(w, line, len);
		return rc;
	case CTL_AT:
		if (w->eo)
			return at(w, line, len);
		break;
	case CTL_SKIP:
		if (!w->eo)
			break;
		rc = wpos_next(w, line, len, 0, 0);
		wpos_replayed(w);
		return rc;
	case CTL_POSITION:
		if (w->eo)
			return wa_reject(w, line, len, "a position line in the "
			    "input: one window-agg between ksource "
			    "--exactly-once and ksink --exactly-once");
		break;
	case CTL_ASSIGN:
	case CTL_REVOKE:
		break;
	default:
		if (w->eo) {	/* another's, e.g. member */
			pass(w, line, len);
			return 0;
		}
	}
	return assign_revoke(w, line, len);
}
