/* watermark.c - window-agg's event time: the watermark from the event
 * times seen, less --delay; with --partition-field the smallest of the
 * partitions' own (a table of them, one entry per value seen), leaving
 * out those silent for --idle; with --idle-advance, running on with the
 * wall clock while the whole input is quiet. win_advance() (window.c)
 * moves the windows to what these say. */
#include <stdlib.h>
#include <string.h>

#include "timeu.h"
#include "wa.h"

/* --idle-advance, the whole input quiet that long: event time runs on
 * from the latest record as the wall clock does, so a live stream's
 * windows close on time, while a backlog that pauses (a -G member waiting
 * for its rebalance) moves only as long as the pause; before the first
 * record it does not run at all. A stall upstream longer than the
 * duration closes windows whose records are still to come: they come
 * late. */
int64_t
wm_advance(struct wa *w)
{
	if (w->maxts == WM_NONE)
		return WM_NONE;
	return w->maxts + (tu_mono_ms() - w->lastinput) - w->delay;
}

/* The event-time watermark from what was seen (win_advance() keeps it
 * from going back): the largest event time minus --delay; with
 * --partition-field the smallest of the partitions' own, leaving out
 * those silent for --idle (Flink's source idle-timeout). When every
 * partition is idle, or some of --partitions have not spoken yet, it is
 * WM_NONE: the watermark stays where it is. Never the wall clock. */
int64_t
wm_event(struct wa *w)
{
	int64_t min = INT64_MAX, now;
	size_t i;

	if (w->ppath < 0)
		return w->maxts == WM_NONE ? WM_NONE : w->maxts - w->delay;
	now = tu_mono_ms();
	for (i = 0; i < w->nparts; i++) {
		if (w->idle > 0 && now - w->parts[i].seen >= w->idle)
			continue;	/* an idle partition holds nothing back */
		if (w->parts[i].max < min)
			min = w->parts[i].max;
	}
	/* not every partition has spoken yet; with --idle, one that has
	 * said nothing since the first record is idle (a key-partitioned
	 * topic may have partitions that never get a record) */
	if (w->nparts < w->npartitions && !(w->idle > 0 && w->started > 0 &&
	    now - w->started >= w->idle))
		return WM_NONE;
	if (min == INT64_MAX)	/* none seen, or all idle: no move */
		return WM_NONE;
	return min - w->delay;
}

/* --idle: the whole input was silent for gap ms (gap >= --idle), and
 * speaks again. A stall of everything (a producer paused, a broker
 * failing over) is no partition's idleness: the time does not count, so
 * a partition that was live before it holds the watermark again until it
 * has been silent for --idle while others spoke. */
void
wm_stalled(struct wa *w, int64_t gap)
{
	size_t i;

	for (i = 0; i < w->nparts; i++)
		w->parts[i].seen += gap;
	if (w->started > 0)
		w->started += gap;
}

void
wm_see(struct wa *w, const struct jr_val *v, int64_t ts)
{
	const char *id = v->type == JR_NONE ? "" : v->s ? v->s : "null";
	size_t len = v->type == JR_NONE ? 0 : v->s ? v->len : 4, i;
	struct wm_part *p;

	for (i = 0; i < w->nparts; i++)
		if (w->parts[i].len == len &&
		    memcmp(w->parts[i].id, id, len) == 0)
			break;
	if (i == w->nparts) {
		w->parts = kp_xrealloc(w->parts, (w->nparts + 1) *
		    sizeof(*w->parts));
		p = &w->parts[w->nparts++];
		p->id = kp_xmalloc(len + 1);
		memcpy(p->id, id, len);
		p->len = len;
		p->max = ts;
	}
	p = &w->parts[i];
	if (ts > p->max)
		p->max = ts;
	p->seen = tu_mono_ms();
}

/* The monotonic time, before t (INT64_MAX: none), at which the watermark
 * may move with no record: the next partition turning idle (--idle), or
 * the input turning quiet and then the moment the running watermark
 * reaches next, the watermark due next (--idle-advance). */
int64_t
wm_timer(struct wa *w, int64_t next, int64_t now)
{
	int64_t t = INT64_MAX;
	size_t i;

	if (w->idle > 0 && w->ppath >= 0 && next != INT64_MAX) {
		for (i = 0; i < w->nparts; i++)
			if (w->parts[i].seen + w->idle > now &&
			    w->parts[i].seen + w->idle < t)
				t = w->parts[i].seen + w->idle;
		if (w->nparts < w->npartitions && w->started > 0 &&
		    w->started + w->idle > now && w->started + w->idle < t)
			t = w->started + w->idle;
	}
	if (w->advance > 0 && w->maxts != WM_NONE && next != INT64_MAX) {
		if (now - w->lastinput < w->advance) {
			if (w->lastinput + w->advance < t)
				t = w->lastinput + w->advance;
		} else if (next > INT64_MAX / 2) {
			if (now + 60000 < t)
				t = now + 60000;
		} else if (w->lastinput + (next + w->delay - w->maxts) < t)
			t = w->lastinput + (next + w->delay - w->maxts);
	}
	return t;
}

/* Forget every partition and the time seen (a revoke): event time
 * starts again from nothing. The table's memory is kept. */
void
wm_reset(struct wa *w)
{
	size_t i;

	w->maxts = WM_NONE;
	w->started = 0;
	for (i = 0; i < w->nparts; i++)
		free(w->parts[i].id);
	w->nparts = 0;
}
