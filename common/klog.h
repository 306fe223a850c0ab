/* klog.h - librdkafka's log and error lines as every Kafka tool shows
 * them. Fatal and lasting trouble is said; transient lines (a
 * coordinator loading, an idempotent producer's PID retried, a broker
 * that restarts, a leader that moves, a rebalance's failed commit when
 * the positions live elsewhere) are held back, and said in one line
 * only when the tool has waited on the cluster through them for
 * KL_LAST_MS (kl_tick()), or at an exit that failed; the purges that
 * follow an abort or purge the tool started are not shown;
 * librdkafka's guesses that a closed connection means a wrong
 * security.protocol are cut. -v shows every line as it comes, -X
 * debug=... every line with its facility. librdkafka calls from its own
 * threads: a klog locks. */
#ifndef KLOG_H
#define KLOG_H

#include <pthread.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#define KL_LAST_MS	10000	/* transient lines this long: said */

struct klog {
	int		 verbose;	/* -v */
	int		 debug;		/* -X debug=... */
	int		 commits_elsewhere; /* a failed offset commit is
					   harmless: positions live elsewhere */
	volatile int	 purging;	/* the tool purges or aborts */
	pthread_mutex_t	 lock;
	int64_t		 first, last, said;	/* the transient lines now */
	unsigned long	 n, held;	/* held back: now, in all */
	char		 text[512];	/* the last held back */
	char		 shown[512];	/* the last shown, at shownat */
	int64_t		 shownat;
};

/* Before rd_kafka_new(): verbose from -v, debug from conf's "debug". */
void	kl_init(struct klog *, int verbose, const rd_kafka_conf_t *conf);
/* A line of librdkafka's log callback: shown, held back or dropped. */
void	kl_log(struct klog *, int level, const char *fac, const char *buf);
/* An error of librdkafka's error callback (once the tool runs): shown,
 * or held back when transient. A fatal error is always shown. */
void	kl_error(struct klog *, int err, const char *reason);
/* From the tool's loop, often: waiting is whether it now waits on the
 * cluster (records not yet acknowledged, no broker up). While it waits,
 * transient lines held back for KL_LAST_MS are said in one line, and
 * again each KL_LAST_MS; once it does not, they are over. */
void	kl_tick(struct klog *, int waiting);
/* A delivery report's error: 0 when it is a purge the tool started (set
 * purging first), which is not to be reported; else 1. */
int	kl_shown(const struct klog *, rd_kafka_resp_err_t err);
/* At exit: with status not 0 and lines held back, one line saying how
 * many and the last. */
void	kl_done(struct klog *, int status);
/* librdkafka's log callback for a handle that has none of its own
 * (kc_build() installs it): transient lines dropped, the rest shown. */
void	kl_plain(const rd_kafka_t *, int level, const char *fac,
	    const char *buf);
void	kl_free(struct klog *);

#endif
