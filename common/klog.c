/* klog.c - librdkafka's log and error lines, summarised (klog.h). */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "klog.h"
#include "timeu.h"

/* Lines of a cluster that is busy or moving, which librdkafka retries on
 * its own: held back. */
static const char *const transient[] = {
	"Coordinator load in progress",
	"Failed to acquire idempotence PID",
	"Not coordinator",
	"Coordinator not available",
	"Leader not available",
	"Not leader for partition",
	"Not leader or follower",
	"Not enough in-sync replicas",
	"Concurrent transactions",
	"Broker transport failure",
	"Disconnected",
	"Connection refused",
	"Connect to ",
	"Receive failed",
	"Send failed",
	"brokers are down",
	"Timed out",
	NULL
};

/* A failed offset commit at a rebalance: harmless where the positions
 * live elsewhere (ksource --from-group). */
static const char *const commits[] = {
	"Unknown member",
	"generation id is not valid",
	"Rebalance in progress",
	NULL
};

static int
matches(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strstr(s, *list) != NULL)
			return 1;
	return 0;
}

static int
transient_err(int err)
{
	switch (err) {
	case RD_KAFKA_RESP_ERR__TRANSPORT:
	case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
	case RD_KAFKA_RESP_ERR__TIMED_OUT:
	case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
	case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
	case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
	case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
	case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
	case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
	case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
	case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
	case RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS:
		return 1;
	}
	return 0;
}

/* buf without its "[thrd:NAME]: " and without librdkafka's guess that a
 * connection closed during the version request means a TLS listener or
 * a broker older than 0.10 (a broker that restarts does it too). */
static const char *
clean(const char *buf, char *out, size_t n)
{
	static const char *const guess[][2] = {
		{ ": might be caused by incorrect security.protocol",
		    "(see api.version.request)" },
		{ ": verify that security.protocol is correctly configured",
		    "might require SASL authentication" },
	};
	const char *g, *e;
	size_t i;

	if (strncmp(buf, "[thrd:", 6) == 0 && strstr(buf, "]: ") != NULL)
		buf = strstr(buf, "]: ") + 3;
	for (i = 0; i < sizeof(guess) / sizeof(guess[0]); i++) {
		if ((g = strstr(buf, guess[i][0])) == NULL)
			continue;
		e = strstr(g, guess[i][1]);
		snprintf(out, n, "%.*s%s", (int)(g - buf), buf,
		    e != NULL ? e + strlen(guess[i][1]) : "");
		return out;
	}
	return buf;
}

static int
is_transient(const struct klog *l, const char *s)
{
	return matches(transient, s) ||
	    (l != NULL && l->commits_elsewhere && matches(commits, s));
}

/* A transient line: held back (kl_tick() says them when they last). */
static void
hold(struct klog *l, const char *s)
{
	int64_t now = tu_mono_ms();

	pthread_mutex_lock(&l->lock);
	if (l->n == 0) {
		l->first = now;
		l->said = 0;
	}
	l->n++;
	l->held++;
	l->last = now;
	snprintf(l->text, sizeof(l->text), "%s", s);
	pthread_mutex_unlock(&l->lock);
}

void
kl_tick(struct klog *l, int waiting)
{
	int64_t now = tu_mono_ms();

	pthread_mutex_lock(&l->lock);
	if (!waiting)
		l->n = 0;	/* over */
	else if (l->n > 0 && now - l->first >= KL_LAST_MS &&
	    now - l->said >= KL_LAST_MS) {
		warnx("kafka: retrying for %lld s (%lu messages; -v shows "
		    "them): %s", (long long)(now - l->first) / 1000, l->n,
		    l->text);
		l->said = now;
	}
	pthread_mutex_unlock(&l->lock);
}

/* A line to show: the same one again within KL_LAST_MS is not. */
static void
show(struct klog *l, const char *s)
{
	int64_t now = tu_mono_ms();

	pthread_mutex_lock(&l->lock);
	if (l->shownat == 0 || now - l->shownat >= KL_LAST_MS ||
	    strcmp(l->shown, s) != 0) {
		warnx("kafka: %s", s);
		snprintf(l->shown, sizeof(l->shown), "%s", s);
		l->shownat = now;
	}
	pthread_mutex_unlock(&l->lock);
}

void
kl_init(struct klog *l, int verbose, const rd_kafka_conf_t *conf)
{
	char dbg[8];
	size_t n = sizeof(dbg);

	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
	l->verbose = verbose;
	l->debug = conf != NULL && rd_kafka_conf_get(conf, "debug", dbg, &n) ==
	    RD_KAFKA_CONF_OK && n > 1;
}

void
kl_log(struct klog *l, int level, const char *fac, const char *buf)
{
	char tmp[1024];
	const char *s;

	if (l->debug || level >= 7 || (l->verbose && level <= 6)) {
		warnx("kafka: %s: %s", fac, buf);
		return;
	}
	/* errors come through the error callback, which says them */
	if (level > 4 || strcmp(fac, "FAIL") == 0 || strcmp(fac, "ERROR") == 0)
		return;
	if (l->purging && strstr(buf, "Purged") != NULL)
		return;
	s = clean(buf, tmp, sizeof(tmp));
	if (is_transient(l, s))
		hold(l, s);
	else
		show(l, s);
}

void
kl_error(struct klog *l, int err, const char *reason)
{
	char tmp[1024];
	const char *s;

	if (err == RD_KAFKA_RESP_ERR__FATAL || l->verbose || l->debug) {
		warnx("kafka: %s", reason);
		return;
	}
	if ((err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
	    err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) && l->purging)
		return;
	s = clean(reason, tmp, sizeof(tmp));
	if (transient_err(err) || is_transient(l, s))
		hold(l, s);
	else
		show(l, s);
}

int
kl_shown(const struct klog *l, rd_kafka_resp_err_t err)
{
	return l->verbose || !(l->purging && (err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
	    err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT));
}

void
kl_done(struct klog *l, int status)
{
	pthread_mutex_lock(&l->lock);
	if (status != 0 && l->held > 0)
		warnx("kafka: %lu transient messages not shown (-v shows "
		    "them); the last: %s", l->held, l->text);
	pthread_mutex_unlock(&l->lock);
}

void
kl_plain(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	char tmp[1024];
	const char *s;

	(void)rk;
	if (level >= 7) {
		warnx("kafka: %s: %s", fac, buf);
		return;
	}
	if (level > 4)
		return;
	s = clean(buf, tmp, sizeof(tmp));
	if (!is_transient(NULL, s))
		warnx("kafka: %s", s);
}

void
kl_free(struct klog *l)
{
	pthread_mutex_destroy(&l->lock);
}
