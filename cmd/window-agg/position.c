/* position.c - window-agg --position-field: each record's partition and
 * offset held (hold.c) until the last window it is in is written, and the
 * control lines of ksource -J --from-group: an assign gives a partition's
 * starting offset and the end of the windows its earlier owner wrote; a
 * revoke drops every open window and answers with the position to rebuild
 * them from, under the revoke's fence (see pos.h). */
#include <err.h>
#include <string.h>

#include "window-agg.h"

/* the fields of a control line (pos.h) */
enum { C_KIND, C_TOPIC, C_PART, C_OFF, C_AFTER, C_FENCE };

/* --position-field: note which partition and offset the record held in
 * its windows comes from (ksource -J's topic, partition and offset). 0,
 * or the reject() result. */
int
wpos_record(struct wa *w, const char *line, size_t len, int64_t ts)
{
	const struct jr_val *t = &w->jr.val[w->pospath], *p = t + 1, *o = t + 2;
	struct win *win = &w->win;
	struct hold_part *hp;
	long long part, off;
	int64_t until;

	if (t->type != JR_STR || p->type != JR_NUM || o->type != JR_NUM ||
	    kp_int(p->s, p->len, 0, INT32_MAX, &part) < 0 ||
	    kp_int(o->s, o->len, 0, INT64_MAX, &off) < 0)
		return wa_reject(w, line, len, "--position-field: no topic, "
		    "partition and offset (read ksource -J)");
	if ((hp = hold_part(&w->posh, t->s, t->len, (int32_t)part)) == NULL)
		return wa_reject(w, line, len, "--position-field: topic %.*s: "
		    "one topic only (%s before)", (int)t->len, t->s,
		    w->posh.topic);
	/* the end of the last window the record is in; those up to the
	 * partition's own after were written by its earlier owner */
	until = win_grid(win, ts, win->slide) + win->size;
	win->floor = hp->after == POS_NOAFTER ? WM_NONE : hp->after;
	if (w->has_after && w->after > win->floor)
		win->floor = w->after;
	hold_add(hp, off, until, (win->wm == WM_NONE || until > win->wm) &&
	    until > win->floor);
	return 0;
}

/* A partition of the input is revoked (ksource -G): every open window
 * is dropped unwritten, the position from which they can be rebuilt
 * goes down the pipe with the revoke's fence (ksink commits it, and
 * ksource waits for that before letting the partitions go), and the
 * job starts again from nothing, for the assignment that follows. */
static void
revoked(struct wa *w, const struct jr_val *v)
{
	char fence[POS_FENCEMAX];
	unsigned long long held;
	size_t open;

	memcpy(fence, v->s, v->len);	/* shorter: control() checked */
	fence[v->len] = '\0';
	open = win_drop(&w->win);
	hold_release(&w->posh, w->win.wm);
	held = hold_count(&w->posh);
	w->nrevoked += held;
	w->row.len = 0;
	buf_adds(&w->row, POS_CONTROL "\"fence\"");
	buf_add(&w->row, w->poskey.p, w->poskey.len);
	buf_addc(&w->row, '"');
	hold_write(&w->posh, &w->row, w->lastend, fence);
	buf_adds(&w->row, "\"}\n");
	if (out_write(&w->out, w->row.p, w->row.len) < 0)
		out_die(&w->out);
	out_sync(&w->out);
	pg_break(&w->pg);
	warnx("revoked at line %llu: %zu open (window, key) rows of %llu "
	    "records dropped, for the next owner of the partitions",
	    (unsigned long long)w->rd.lineno, open, held);
	hold_reset(&w->posh);
	w->win.wm = WM_NONE;
	w->win.next_early = WM_NONE;
	wm_reset(w);
	w->lastend = w->has_after ? w->after : NOTHING;
}

/* A control line: 0, or the reject() result. */
int
wpos_control(struct wa *w, const char *line, size_t len)
{
	const struct jr_val *v;
	struct hold_part *hp;
	long long part, off, after;

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
		revoked(w, &v[C_FENCE]);
		return 0;
	}
	if (v[C_KIND].len != 6 || memcmp(v[C_KIND].s, "assign", 6) != 0)
		return wa_reject(w, line, len, "control line: %.*s: not assign "
		    "or revoke", (int)v[C_KIND].len, v[C_KIND].s);
	if (v[C_PART].type != JR_NUM || kp_int(v[C_PART].s, v[C_PART].len, 0,
	    INT32_MAX, &part) < 0 || (v[C_OFF].type != JR_NONE &&
	    (v[C_OFF].type != JR_NUM || kp_int(v[C_OFF].s, v[C_OFF].len, 0,
	    INT64_MAX, &off) < 0)) || (v[C_AFTER].type != JR_NONE &&
	    (v[C_AFTER].type != JR_NUM || kp_int(v[C_AFTER].s,
	    v[C_AFTER].len, INT64_MIN + 1, INT64_MAX, &after) < 0)))
		return wa_reject(w, line, len, "assign: no partition, or a bad "
		    "offset or after");
	if ((hp = hold_part(&w->posh, v[C_TOPIC].s, v[C_TOPIC].len,
	    (int32_t)part)) == NULL)
		return wa_reject(w, line, len, "--position-field: topic %.*s: "
		    "one topic only (%s before)", (int)v[C_TOPIC].len,
		    v[C_TOPIC].s, w->posh.topic);
	if (v[C_OFF].type == JR_NUM && !hp->known) {
		hp->next = off;
		hp->known = 1;
	}
	if (v[C_AFTER].type == JR_NUM)
		hp->after = after;
	return 0;
}
