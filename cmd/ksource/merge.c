/* merge.c - ksource --ordered: the partitions merged by timestamp.
 *
 * A binary heap of the lanes that hold messages, keyed by their head, so a
 * pop costs log(partitions) and no allocation; a count of the lanes that
 * wait empty, so the exact merge knows at once whether it may go on. */
#include <err.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "merge.h"
#include "timeu.h"

/* The heap's order: by the heads' timestamps, then topic and partition. */
static int
before(const void *x, const void *y)
{
	const struct mg_lane *a = x, *b = y;
	int64_t s = a->ring[a->head].ts, t = b->ring[b->head].ts;
	int c;

	if (s != t)
		return s < t;
	if (a->topic != b->topic && (c = strcmp(a->topic, b->topic)) != 0)
		return c < 0;
	return a->part < b->part;
}

void
mg_init(struct merge *g, rd_kafka_t *rk, int exact, int64_t idle_ms)
{
	memset(g, 0, sizeof(*g));
	g->rk = rk;
	g->exact = exact;
	g->idle = idle_ms;
	g->maxts = INT64_MIN;
	hp_init(&g->heap, before, offsetof(struct mg_lane, hi));
}

struct mg_lane *
mg_lane(struct merge *g, const char *topic, int ti, int32_t part)
{
	struct mg_lane *l = kp_xmalloc(sizeof(*l));

	memset(l, 0, sizeof(*l));
	l->topic = topic;
	l->ti = ti;
	l->part = part;
	l->hi = HP_NONE;
	g->lanes = kp_xrealloc(g->lanes, (g->nlanes + 1) * sizeof(*g->lanes));
	g->lanes[g->nlanes++] = l;
	return l;
}

/* ---- lanes -------------------------------------------------------- */

static int
waiting(const struct mg_lane *l)
{
	return l->active && !l->ended && l->n == 0;
}

static void
pause_lane(struct merge *g, struct mg_lane *l, int on)
{
	rd_kafka_topic_partition_list_t *tl;

	tl = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(tl, l->topic, l->part);
	if (on) {
		rd_kafka_pause_partitions(g->rk, tl);
		g->pauses++;
	} else {
		rd_kafka_resume_partitions(g->rk, tl);
		/* the merge held the input back (its lanes full, waiting on
		 * a quiet one): no silence of the input until now */
		if (g->lastpush > 0)
			g->lastpush = tu_mono_ms();
	}
	rd_kafka_topic_partition_list_destroy(tl);
	l->paused = on;
}

static void
drop(struct merge *g, struct mg_lane *l)
{
	while (l->n > 0) {
		rd_kafka_message_destroy(l->ring[l->head].m);
		l->head = (l->head + 1) % l->cap;
		l->n--;
		g->held--;
	}
	hp_remove(&g->heap, l);
}

void
mg_assign(struct merge *g, struct mg_lane *l, int on, int64_t start)
{
	int w = waiting(l);

	if (l->active)
		l->again = 1;	/* the consumer's cached end may be old */
	l->start = start;

	drop(g, l);
	l->active = on != 0;
	l->ended = l->seen = l->paused = l->caught = 0;	/* a new
							   assignment resumes */
	l->heard = tu_mono_ms();
	l->checked = l->stall = 0;
	l->said = l->back = 0;
	g->nwait += waiting(l) - w;
}

/* Live, a message after a silence of the whole input as long as the
 * idle time (a producer's pause, a broker failing over, a bursty
 * producer): the silence is no lane's idleness, so every lane's quiet
 * time starts again; a lane is idle only when quiet for the idle time
 * while others speak (window-agg --idle's rule). */
static void
silence(struct merge *g)
{
	int64_t now = tu_mono_ms(), gap = now - g->lastpush;
	size_t i;

	if (g->lastpush > 0 && gap >= g->idle) {
		for (i = 0; i < g->nlanes; i++) {
			if (g->lanes[i]->heard + gap < now)
				g->lanes[i]->heard += gap;
			else
				g->lanes[i]->heard = now;
		}
	}
	g->lastpush = now;
}

void
mg_push(struct merge *g, struct mg_lane *l, rd_kafka_message_t *m)
{
	struct mg_ent *e;
	size_t i;
	int w = waiting(l);

	if (l->n == l->cap) {	/* grow the ring, unwrapping it */
		e = kp_xmalloc((l->cap ? l->cap * 2 : 64) * sizeof(*e));
		for (i = 0; i < l->n; i++)
			e[i] = l->ring[(l->head + i) % l->cap];
		free(l->ring);
		l->ring = e;
		l->head = 0;
		l->cap = l->cap ? l->cap * 2 : 64;
	}
	if (!g->exact)
		silence(g);
	e = &l->ring[(l->head + l->n) % l->cap];
	e->m = m;
	e->ts = rd_kafka_message_timestamp(m, NULL);
	l->last_ts = e->ts;
	if (e->ts > g->maxts)
		g->maxts = e->ts;
	l->seen = 1;
	l->caught = 0;
	l->checked = 0;
	if (l->said)
		warnx("--ordered: %s/%" PRId32 " goes on after a stall of "
		    "%lld s", l->topic, l->part, (long long)(tu_mono_ms() -
		    l->stall) / 1000);
	l->stall = 0;
	l->said = 0;
	l->back = 0;
	if (!g->exact)
		l->heard = tu_mono_ms();
	l->n++;
	g->held++;
	if (l->n == 1)
		hp_push(&g->heap, l);
	g->nwait += waiting(l) - w;
	if (l->n >= MG_HIGH && !l->paused && !l->ended)
		pause_lane(g, l, 1);
}

void
mg_end(struct merge *g, struct mg_lane *l)
{
	int w = waiting(l);

	l->ended = 1;
	g->nwait += waiting(l) - w;
}

/* The asking handle learns a partition's leader only when told (it
 * fetches nothing): after a failover it would ask the old one ("Not
 * leader") until its metadata is refreshed, minutes later. A failed
 * question refreshes the topic's metadata there. */
static void
relearn(struct merge *g, struct mg_lane *l)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *t;

	if (g->ask == NULL || (t = rd_kafka_topic_new(g->ask, l->topic,
	    NULL)) == NULL)
		return;
	if (rd_kafka_metadata(g->ask, 0, t, &md, MG_ASK_MS) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(t);
}

/* Is lane l caught up, for a head at ts? Its partition's leader is asked
 * for the end (the last stable offset under read_committed) again after
 * MG_RECHECK ms, or for a head later than every message the merge had got
 * when it was last asked (so a leader lost since stops what came since);
 * caught up when it answers within MG_ASK_MS with an end
 * no further than the high watermark of the consumer's last fetch
 * response: the fetcher has seen the end, and nothing came since. No
 * fetch response yet, no answer (the leader down, being elected), or
 * more at the broker: stalled. */
static int
caught_up(struct merge *g, struct mg_lane *l, int64_t ts, int64_t now)
{
	int64_t lo, hi, qlo, qhi, t0;
	int back;

	if (l->checked > 0 && !l->back && now - l->checked < MG_RECHECK &&
	    ts <= l->upto)
		return l->caught;
	l->back = 0;
	g->asked++;
	t0 = tu_mono_ms();
	l->upto = g->maxts;
	/* the consumer's end first: one a fetch brings while the leader is
	 * asked comes with messages not handed out yet */
	if (rd_kafka_get_watermark_offsets(g->rk, l->topic, l->part, &lo,
	    &hi) != RD_KAFKA_RESP_ERR_NO_ERROR)
		hi = -1;
	if (rd_kafka_query_watermark_offsets(g->ask ? g->ask : g->rk,
	    l->topic, l->part, &qlo, &qhi, MG_ASK_MS) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		l->caught = 0;		/* no answer: stalled */
		relearn(g, l);
	}
	else if (!l->seen && (qhi <= qlo || (l->start >= 0 &&
	    qhi <= l->start)))
		l->caught = 1;		/* nothing to read from its start */
	else if (!l->seen && (l->start >= 0 || l->again))
		l->caught = 0;		/* its messages not fetched yet */
	else			/* the fetcher has seen the end */
		l->caught = hi >= 0 && qhi <= hi;
	l->checked = tu_mono_ms();
	g->stalled += !l->caught;
	/* an answer later than MG_ASK_MS is a stall too: librdkafka's
	 * query waits for a leader that is down until it is back */
	back = l->stall != 0 || l->checked - t0 >= MG_ASK_MS;
	if (l->caught && back) {
		/* back from a stall: what its producers held back comes
		 * now, and may reach the leader after this answer; quiet for
		 * the idle time from now, then asked again */
		l->heard = l->checked;
		l->back = 1;
	}
	if (l->caught)
		l->stall = 0;
	else if (l->stall == 0)
		l->stall = back ? t0 : l->checked;
	else if (l->checked - l->stall >= MG_SAY_MS && !l->said) {
		warnx("--ordered: %s/%" PRId32 " stalled for %lld s (its "
		    "leader does not answer, or its messages are not fetched "
		    "yet): the merge waits for it", l->topic, l->part,
		    (long long)(l->checked - l->stall) / 1000);
		l->said = 1;
	}
	return l->caught;
}

/* Live: may the head h go while lane l waits empty? Yes when l's next
 * message is unlikely to be earlier (its last one was not earlier than
 * h), or l is idle: quiet for the idle time, and caught up; a lane found
 * caught up after a stall (its leader back) is quiet for the idle time
 * from then and found caught up again at its end, so that records its
 * producers held back during the outage come first (one that reached the
 * leader in that time and is not fetched yet holds it). */
static int
holds(struct merge *g, struct mg_lane *l, const struct mg_lane *h,
    int64_t now, int settled)
{
	if (l->seen && l->last_ts >= h->ring[h->head].ts)
		return 0;
	if (!settled || now - l->heard < g->idle)
		return 1;
	if (!caught_up(g, l, h->ring[h->head].ts, now))
		return 1;
	/* a stall that just ended starts its quiet time again */
	return tu_mono_ms() - l->heard < g->idle;
}

rd_kafka_message_t *
mg_pop(struct merge *g, struct mg_lane **from, int settled)
{
	struct mg_lane *l;
	rd_kafka_message_t *m;
	int64_t now;
	size_t i;

	if ((l = hp_top(&g->heap)) == NULL)
		return NULL;
	if (g->nwait > 0) {
		if (g->exact)
			return NULL;
		now = tu_mono_ms();
		for (i = 0; i < g->nlanes; i++)
			if (waiting(g->lanes[i]) &&
			    holds(g, g->lanes[i], l, now, settled))
				return NULL;
	}
	m = l->ring[l->head].m;
	l->head = (l->head + 1) % l->cap;
	l->n--;
	g->held--;
	if (l->n == 0) {
		hp_remove(&g->heap, l);
		if (waiting(l))
			g->nwait++;
	} else
		hp_fix(&g->heap, l);	/* by its next head */
	if (l->paused && l->n <= MG_LOW && !l->ended)
		pause_lane(g, l, 0);
	*from = l;
	return m;
}

void
mg_drop(struct merge *g)
{
	size_t i;

	for (i = 0; i < g->nlanes; i++)
		drop(g, g->lanes[i]);
}

void
mg_free(struct merge *g)
{
	size_t i;

	mg_drop(g);
	for (i = 0; i < g->nlanes; i++) {
		free(g->lanes[i]->ring);
		free(g->lanes[i]);
	}
	free(g->lanes);
	hp_free(&g->heap);
	memset(g, 0, sizeof(*g));
}
