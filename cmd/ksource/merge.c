/* merge.c - ksource --ordered: the partitions merged by timestamp.
 *
 * A binary heap of the lanes that hold messages, keyed by their head, so a
 * pop costs log(partitions) and no allocation; a count of the lanes that
 * wait empty, so the exact merge knows at once whether it may go on. */
#include <err.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "merge.h"
#include "meta.h"
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
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
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
	l->pushed = 0;
	l->checked = l->stall = 0;
	l->quiet = 0;
	if (l->speak)
		g->nspeak--;
	l->speak = 0;
	l->said = l->back = 0;
	l->seq++;	/* an answer on its way is for the old assignment */
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
	if (g->nspeak > 0)	/* lanes back from a stall: quiet from now */
		for (i = 0; i < g->nlanes; i++)
			if (g->lanes[i]->speak) {
				g->lanes[i]->speak = 0;
				g->lanes[i]->heard = tu_mono_ms();
				g->nspeak--;
			}
	e = &l->ring[(l->head + l->n) % l->cap];
	e->m = m;
	e->ts = rd_kafka_message_timestamp(m, NULL);
	l->last_ts = e->ts;
	if (e->ts > g->maxts)
		g->maxts = e->ts;
	l->seen = 1;
	l->caught = 0;
	l->checked = 0;
	l->seq++;	/* an answer on its way is for an empty lane */
	if (l->said)
		warnx("--ordered: %s/%" PRId32 " goes on after a stall of "
		    "%lld s", l->topic, l->part, (long long)(tu_mono_ms() -
		    l->stall) / 1000);
	l->stall = 0;
	l->quiet = 0;
	l->said = 0;
	l->back = 0;
	if (!g->exact)
		l->heard = l->pushed = tu_mono_ms();
	l->n++;
	g->held++;
	if (l->n == 1)
		hp_push(&g->heap, l);
	g->nwait += waiting(l) - w;
	if (l->n >= MG_HIGH && !l->paused && !l->ended)
		pause_lane(g, l, 1);
}

void
mg_upset(struct merge *g)
{
	g->upset = tu_mono_ms();
}

void
mg_end(struct merge *g, struct mg_lane *l)
{
	int w = waiting(l);

	l->ended = 1;
	g->nwait += waiting(l) - w;
}

/* ---- the asker ---------------------------------------------------- */

/* The asking handle learns a partition's leader only when told (it
 * fetches nothing): after a failover it would ask the old one ("Not
 * leader") until its metadata is refreshed, minutes later. A failed
 * question refreshes the topic's metadata there (bounded in time). */
static void
relearn(rd_kafka_t *rk, const char *topic)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *t;

	if ((t = rd_kafka_topic_new(rk, topic, NULL)) == NULL)
		return;
	if (rd_kafka_metadata(rk, 0, t, &md, MG_ASK_MS) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(t);
}

/* Ask l's leader for its watermarks into l->q (q.hi, seq and t0 are the
 * poster's). Takes about MG_ASK_MS at most when the leader is down:
 * meta_marks() keeps to its time, where librdkafka's watermark query
 * waits for a dead leader forever. A failed question is asked once more
 * of the leader looked up again: one that answers at once then is no
 * stall (the asking handle's own metadata was old: it asks a leader only
 * when told, and a partition with messages flowing is not asked), so its
 * t0 becomes that of the second question. */
static void
ask(struct merge *g, struct mg_lane *l, struct mg_q *a)
{
	rd_kafka_t *rk = g->ask != NULL ? g->ask : g->rk;
	int64_t t;

	a->err = meta_marks(rk, l->topic, l->part, MG_ASK_MS, &a->qlo,
	    &a->qhi);
	if (a->err) {
		relearn(rk, l->topic);
		t = tu_mono_ms();
		if ((a->err = meta_marks(rk, l->topic, l->part, MG_ASK_MS,
		    &a->qlo, &a->qhi)) == RD_KAFKA_RESP_ERR_NO_ERROR)
			a->t0 = t;
		else
			relearn(rk, l->topic);
	}
	a->t1 = tu_mono_ms();
	a->state = MQ_DONE;
}

/* The asker's thread: the questions in the order posted, one at a time,
 * until told to end; each answer wakes the caller's queue. */
static void *
asker(void *arg)
{
	struct merge *g = arg;
	struct mg_lane *l;
	struct mg_q a;

	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (!g->quit && g->qhead == NULL)
			pthread_cond_wait(&g->cv, &g->mu);
		if (g->quit)
			break;
		l = g->qhead;
		if ((g->qhead = l->q.next) == NULL)
			g->qtail = NULL;
		a = l->q;
		pthread_mutex_unlock(&g->mu);
		ask(g, l, &a);
		pthread_mutex_lock(&g->mu);
		l->q = a;
		if (g->wake != NULL)
			rd_kafka_queue_yield(g->wake);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

/* Post a question about l (the caller holds the lock); the asker starts
 * at the first, with every signal blocked (they are the caller's). No
 * thread to be had: asked at once, as a last resort. */
static void
post(struct merge *g, struct mg_lane *l)
{
	sigset_t all, old;

	l->q.state = MQ_OUT;
	l->q.next = NULL;
	if (!g->running) {
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		g->running = pthread_create(&g->asker, NULL, asker, g) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!g->running) {
			ask(g, l, &l->q);
			return;
		}
	}
	if (g->qtail != NULL)
		g->qtail->q.next = l;
	else
		g->qhead = l;
	g->qtail = l;
	pthread_cond_signal(&g->cv);
}

/* End the asker, after the question it is asking. */
static void
stop_asker(struct merge *g)
{
	if (!g->running)
		return;
	pthread_mutex_lock(&g->mu);
	g->quit = 1;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->asker, NULL);
	g->running = 0;
	g->qhead = g->qtail = NULL;
}

/* A stall of l, MG_SAY_MS long by now, is said once. */
static void
say_stall(struct mg_lane *l, int64_t now)
{
	if (l->stall == 0 || l->said || now - l->stall < MG_SAY_MS)
		return;
	warnx("--ordered: %s/%" PRId32 " stalled for %lld s (its "
	    "leader does not answer, or its messages are not fetched "
	    "yet): the merge waits for it", l->topic, l->part,
	    (long long)(now - l->stall) / 1000);
	l->said = 1;
}

/* ---- idle or stalled ----------------------------------------------- */

/* The leader's answer a about lane l: caught up or stalled, and a lane
 * back from a stall made quiet for a while before it may be idle. */
static void
answered(struct merge *g, struct mg_lane *l, const struct mg_q *a)
{
	int back;

	if (a->err)
		l->caught = 0;		/* no answer: stalled */
	else if (!l->seen && (a->qhi <= a->qlo || (l->start >= 0 &&
	    a->qhi <= l->start)))
		l->caught = 1;		/* nothing to read from its start */
	else if (!l->seen && (l->start >= 0 || l->again))
		l->caught = 0;		/* its messages not fetched yet */
	else			/* all up to the end handed out */
		l->caught = a->hi >= 0 && a->qhi <= a->hi;
	l->checked = a->t1;
	g->stalled += !l->caught;
	/* an answer later than MG_ASK_MS is a stall too: the leader was
	 * down, or being elected; and so is an answer to a lane quiet since
	 * a broker was lost (its leader may have moved unasked) */
	back = l->stall != 0 || a->t1 - a->t0 >= MG_ASK_MS ||
	    (g->upset != 0 && l->heard < g->upset);
	if (l->caught && back) {
		/* back from a stall: what its producers held back comes
		 * now, and may reach the leader after this answer (a
		 * producer finds a new leader in its own time); quiet for
		 * the idle time from then, or as long as the stall if longer,
		 * then asked again */
		l->heard = l->checked;
		l->back = 1;
		l->quiet = l->checked - (l->stall != 0 ? l->stall : a->t0);
		if (!l->speak)
			g->nspeak++;
		l->speak = 1;
	}
	if (l->caught)
		l->stall = 0;
	else if (l->stall == 0)
		l->stall = back ? a->t0 : l->checked;
	else
		say_stall(l, l->checked);
}

/* The offset after the last message of l's partition the consumer has
 * handed out (control records, which close each transaction, count: it
 * steps past them as they are polled), or -1. Not its fetcher's end: a
 * fetch response's end is taken before its messages are parsed and
 * queued, so a partition looked caught up while they were on their way,
 * and the merge let the others run ahead of them. */
static int64_t
handed_out(struct merge *g, const struct mg_lane *l)
{
	rd_kafka_topic_partition_list_t *tl;
	int64_t off = -1;

	tl = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(tl, l->topic, l->part);
	if (rd_kafka_position(g->rk, tl) == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    tl->elems[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    tl->elems[0].offset >= 0)
		off = tl->elems[0].offset;
	rd_kafka_topic_partition_list_destroy(tl);
	return off;
}

/* Is lane l caught up, for a head at ts? Its partition's leader is asked
 * for the end (the last stable offset under read_committed) again after
 * MG_RECHECK ms, or for a head later than every message the merge had got
 * when it was last asked (so a leader lost since stops what came since);
 * caught up when it answers within MG_ASK_MS with an end
 * no further than the offset the consumer has handed out up to
 * (handed_out()): every message up to the end is here, and nothing came
 * since. Nothing handed out yet, no answer (the leader down, being
 * elected), or more at the broker: stalled. The question goes to the asker; until its
 * answer the lane holds (an answer that is late, or for a lane pushed or
 * assigned since, is a stall, or thrown away). */
static int
caught_up(struct merge *g, struct mg_lane *l, int64_t ts, int64_t now)
{
	struct mg_q a;
	int64_t hi;

	if (!l->asking && l->checked > 0 && !l->back &&
	    now - l->checked < MG_RECHECK &&
	    ts <= l->upto)
		return l->caught;
	if (!l->asking) {
		/* what the consumer has handed out first: a fetch that
		 * comes while the leader is asked is not counted */
		hi = handed_out(g, l);
		l->upto = g->maxts;
		l->back = 0;
		g->asked++;
	}
	pthread_mutex_lock(&g->mu);
	if (!l->asking && !g->quit) {
		l->q.hi = hi;
		l->q.seq = l->seq;
		l->q.t0 = tu_mono_ms();
		post(g, l);
		l->asking = 1;
	}
	a = l->q;
	if (a.state == MQ_DONE) {
		l->q.state = MQ_NONE;
		l->asking = 0;
	}
	pthread_mutex_unlock(&g->mu);
	if (a.state != MQ_DONE) {
		/* no answer yet: one later than the asker's two questions
		 * and two lookups of the leader (MG_ASK_MS each) is a stall */
		if (a.state == MQ_OUT && now - a.t0 >= 4 * MG_ASK_MS) {
			l->caught = 0;
			if (l->stall == 0)
				l->stall = a.t0;
			say_stall(l, now);
		}
		return 0;
	}
	if (a.seq != l->seq)	/* for an older state of the lane */
		return caught_up(g, l, ts, now);
	answered(g, l, &a);
	return l->caught;
}

/* How long lane l must be quiet to be idle: the idle time, or after a
 * stall as long as that stall was. */
static int64_t
quiet(const struct merge *g, const struct mg_lane *l)
{
	return l->quiet > g->idle ? l->quiet : g->idle;
}

/* Has lane l been quiet long enough to be idle, at time t? For the idle
 * time; back from a stall, as long as the stall (at least the idle time)
 * from the first message the merge got after it (see mg_push()), or for
 * MG_SILENT_MS when none comes: a producer that held its records back
 * through the outage (a broker failing over stops it on every partition,
 * or its own flush waits on this one) sends nothing anywhere until it
 * finds the new leader, and a short silence of the whole input is no
 * proof. And for MG_SILENT_MS when its last message came less than
 * MG_SILENT_MS after a broker connection was lost: a producer sends
 * again what it had in flight to the lost leader only once it has
 * settled that with the new one, seconds after it went on with the other
 * partitions and with this one (traced in a leader kill: a partition's
 * last message 4.6 s after the loss, its next one 2.1 s later, 40 s of
 * event time behind the others). A lane quiet since before the loss is
 * back from a stall, or asked again (answered()). */
static int
quiet_enough(const struct merge *g, const struct mg_lane *l, int64_t t)
{
	int64_t q = quiet(g, l);

	if (l->speak && q < MG_SILENT_MS)
		q = MG_SILENT_MS;
	if (g->upset != 0 && l->pushed >= g->upset &&
	    l->pushed - g->upset < MG_SILENT_MS && q < MG_SILENT_MS)
		q = MG_SILENT_MS;
	return t - l->heard >= q;
}

/* Live: may the head h go while lane l waits empty? Yes when l's next
 * message is unlikely to be earlier (its last one was not earlier than
 * h), or l is idle: quiet long enough, and caught up; a lane found
 * caught up after a stall (its leader back) is quiet long enough from
 * then and found caught up again at its end, so that records its
 * producers held back during the outage come first (one that reached the
 * leader in that time and is not fetched yet holds it). */
static int
holds(struct merge *g, struct mg_lane *l, const struct mg_lane *h,
    int64_t now, int settled)
{
	if (l->seen && l->last_ts >= h->ring[h->head].ts)
		return 0;
	if (!settled || !quiet_enough(g, l, now))
		return 1;
	if (!caught_up(g, l, h->ring[h->head].ts, now))
		return 1;
	/* a stall that just ended starts its quiet time again */
	return !quiet_enough(g, l, tu_mono_ms());
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

	stop_asker(g);
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
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	memset(g, 0, sizeof(*g));
}
