/* broker.c - ksource and the brokers: at startup, wait until one answers
 * or say why none can (the cause kept from librdkafka's error and log
 * callbacks); running, give up after --broker-timeout without any. */
#include <err.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "ks.h"
#include "timeu.h"

void
ks_on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct ks *k = opaque;

	(void)rk;
	if (!k->started) {
		/* kept for "cannot reach Kafka"; the first real cause wins
		 * over the "all brokers are down" that follows it */
		if (k->lasterr[0] == '\0' ||
		    (err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN &&
		    strstr(k->lasterr, "brokers are down") != NULL))
			snprintf(k->lasterr, sizeof(k->lasterr), "%s", reason);
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && k->down == 0)
		k->down = tu_mono_ms();
	if (err == RD_KAFKA_RESP_ERR__TRANSPORT ||
	    err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		mg_upset(&k->mg);	/* a broker lost: a failover, maybe */
	kl_error(&k->log, err, reason);
}

/* librdkafka's own log lines: at startup the cause of "cannot reach"
 * kept; shown, held back or dropped as klog.h says. */
void
ks_on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct ks *k = rd_kafka_opaque(rk);

	if (!k->started && strcmp(fac, "FAIL") == 0) {
		/* from a broker thread: the cause of "cannot reach" */
		if (strncmp(buf, "[thrd:", 6) == 0 && strstr(buf, "]: ") != NULL)
			buf = strstr(buf, "]: ") + 3;
		pthread_mutex_lock(&k->lock);
		if (k->failure[0] == '\0')
			snprintf(k->failure, sizeof(k->failure), "%s", buf);
		pthread_mutex_unlock(&k->lock);
	}

	kl_log(&k->log, level, fac, buf);
}

void
ks_unreachable(struct ks *k, rd_kafka_resp_err_t err)
{
	rd_kafka_message_t *m;
	int i;

	/* serve the queued error events: they hold the cause */
	for (i = 0; i < 5; i++)
		if (k->q != NULL)
			rd_kafka_poll(k->rk, 10);
		else if ((m = rd_kafka_consumer_poll(k->rk, 10)) != NULL)
			rd_kafka_message_destroy(m);
	pthread_mutex_lock(&k->lock);
	errx(EX_UNAVAILABLE, "cannot reach Kafka at %s: %s", k->pl->kc.used,
	    k->lasterr[0] ? k->lasterr : k->failure[0] ? k->failure :
	    rd_kafka_err2str(err));
}

/* Wait until a broker answers: exits 69 at once when librdkafka finds
 * that none can (nothing listens, no such host), or after META_MS. */
void
ks_reach(struct ks *k)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err;
	int64_t t0 = tu_mono_ms();
	const char *why;
	char hint[600];

	for (;;) {
		err = rd_kafka_metadata(k->rk, 0, NULL, &md, 250);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			rd_kafka_metadata_destroy(md);
			return;
		}
		if (tu_mono_ms() - t0 >= KC_HOPELESS_MS) {
			pthread_mutex_lock(&k->lock);
			why = kc_hopeless(&k->pl->kc, k->failure, hint,
			    sizeof(hint));
			pthread_mutex_unlock(&k->lock);
			if (why != NULL)
				errx(EX_UNAVAILABLE, "cannot reach Kafka at %s: "
				    "%s", k->pl->kc.used, why);
		}
		if (tu_mono_ms() - t0 >= META_MS || kp_stop)
			ks_unreachable(k, err);
	}
}

/* No broker answered since k->down: when that has lasted --broker-timeout,
 * ask the cluster once more; EX_UNAVAILABLE when it still does not answer,
 * else 0 (it is back, or the wait goes on). */
int
ks_brokers_gone(struct ks *k)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err;

	if (k->down == 0 || k->pl->brokerwait == 0 ||
	    tu_mono_ms() - k->down < k->pl->brokerwait)
		return 0;
	err = rd_kafka_metadata(k->rk, 0, NULL, &md, WAIT_MS * 5);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_metadata_destroy(md);
		k->down = 0;
		return 0;
	}
	pg_break(&k->pg);
	warnx("no Kafka broker reachable at %s for %s (--broker-timeout): "
	    "giving up", k->pl->kc.used, k->pl->brokerwait_arg);
	return EX_UNAVAILABLE;
}

/* ---- read-ahead --------------------------------------------------- */

/*
 * librdkafka (2.0) stops fetching a partition once the queue it feeds
 * holds queued.min.messages, or queued.max.messages.kbytes of values, and
 * decides again only when its broker thread wakes: at a reply, an
 * operation, or after up to a second. With small bounds the reader
 * empties the queue long before that, and waits: bounded memory cost
 * throughput (10,000,000 records with the bound at 100,000: 30 s, not
 * 9). So when the reader has seen the queue at a bound, and the queue
 * has gone below half of both, it wakes the fetchers itself (it looks
 * every BATCH messages taken, so "at a bound" is within BATCH of it): a
 * ListOffsets request to the leader of every partition read (the
 * latest offsets, rd_kafka_offsets_for_times() with -1), a question
 * that changes nothing and whose sending wakes each broker's thread.
 * The bytes are estimated: messages queued times the mean size (value
 * and key) of those taken so far.
 *
 * The queue also empties without the reader taking from it: librdkafka
 * drops what it fetched for a partition paused (the --ordered merge's
 * full lane), to fetch it again on resume, so a queue that filled and
 * emptied that way was never seen full. A lane paused since the last
 * look counts as the queue seen full.
 */

void
ks_readahead_init(struct ks *k, const rd_kafka_conf_t *conf)
{
	char v[64];
	size_t n = sizeof(v);

	k->ra_max = 100000;	/* librdkafka's defaults */
	k->ra_bytes = 65536.0 * 1024;
	if (rd_kafka_conf_get(conf, "queued.min.messages", v, &n) ==
	    RD_KAFKA_CONF_OK)
		k->ra_max = strtoul(v, NULL, 10);
	n = sizeof(v);
	if (rd_kafka_conf_get(conf, "queued.max.messages.kbytes", v, &n) ==
	    RD_KAFKA_CONF_OK)
		k->ra_bytes = strtod(v, NULL) * 1024;
}

static void
wake(struct ks *k)
{
	rd_kafka_topic_partition_list_t *l;
	const struct ptopic *t;
	int i;
	int32_t j;

	l = rd_kafka_topic_partition_list_new(k->pt.nassigned + 1);
	for (i = 0; i < k->pt.ntp; i++) {
		t = &k->pt.tp[i];
		for (j = 0; j < t->np; j++)
			if (t->p[j].assigned && !t->p[j].fin)
				rd_kafka_topic_partition_list_add(l, t->name,
				    j)->offset = RD_KAFKA_OFFSET_END;
	}
	/* the answer is not needed: no wait for it past its sending */
	if (l->cnt > 0)
		(void)rd_kafka_offsets_for_times(k->rk, l, 100);
	rd_kafka_topic_partition_list_destroy(l);
}

void
ks_readahead(struct ks *k)
{
	size_t n;
	double mean = k->ra_taken > 0 ? k->ra_size / k->ra_taken : 0;

	if (k->rq == NULL)
		return;
	n = rd_kafka_queue_length(k->rq);
	if (k->mg.pauses != k->ra_pauses) {
		k->ra_pauses = k->mg.pauses;
		k->ra_full = 1;
	}
	if (k->ra_full && n < k->ra_max / 2 && n * mean < k->ra_bytes / 2) {
		k->ra_full = 0;
		wake(k);
	}
	/* up to BATCH were taken since the last look */
	if (n + BATCH >= k->ra_max || (n + BATCH) * mean >= k->ra_bytes)
		k->ra_full = 1;
}
