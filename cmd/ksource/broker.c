/* broker.c - ksource and the brokers: at startup, wait until one answers
 * or say why none can (the cause kept from librdkafka's error and log
 * callbacks); running, give up after --broker-timeout without any. */
#include <err.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "ksource.h"
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
