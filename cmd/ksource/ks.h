/* ks.h - what ksource's files share: the plan (the options), the run
 * (struct ks), and the functions one file calls in another: ks.c (the
 * output and its offsets, the merge's lanes), ksource.c (the loop),
 * broker.c (reaching the brokers, the librdkafka error and log
 * callbacks), group.c (the -G rebalance). */
#ifndef KS_H
#define KS_H

#include <pthread.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "format.h"
#include "jrec.h"
#include "kconf.h"
#include "klog.h"
#include "kp.h"
#include "merge.h"
#include "offsets.h"
#include "out.h"
#include "policy.h"
#include "progress.h"
#include "sreg.h"

#define MAXTOPICS	64
#define META_MS		10000	/* bound on the startup metadata requests */
#define WAIT_MS		200	/* poll wait: how soon a signal is seen */
#define BATCH		1024	/* messages taken from the queue at once */
#define WAITNOTE_MS	3000	/* -G: unassigned this long, say why */
#define IDLE_MS		2000	/* --ordered, live: --idle's default */
#define BROKERWAIT	"60s"	/* --broker-timeout's default */
#define BROKERWAIT_MS	60000
#define FENCE_MS	60000	/* -G --from-group -J: a revoke waits this
				   long for the job's answering position */

enum { M_CONSUME, M_LIST, M_QUERY };	/* the default, -L, -Q */
enum { OFF_BEGIN, OFF_END, OFF_STORED, OFF_ABS, OFF_TAIL, OFF_TIME };

/* What the options ask for; set by plan(), read-only after. */
struct plan {
	int		 mode;		/* M_CONSUME, or -L, -Q */
	const char	*topics[MAXTOPICS];
	int		 ntopics;
	int32_t		 part;		/* -p; -1: all */
	int		 offkind;
	int64_t		 offval;
	const char	*offarg;	/* the start -o as given, or NULL */
	int64_t		 stop_ts;	/* e@MS; -1: none */
	int		 eof_exit;	/* -e */
	long long	 count;		/* -c; -1: no limit */
	const char	*group;		/* -G */
	int		 json;		/* -J */
	int		 strpay;	/* --payload-string: kcat's -J payload */
	int		 null;		/* -Z */
	int		 raw;		/* -f, -K, -D or -O: kcat's output */
	const char	*format, *kdelim, *delimarg;	/* -f, -K, -D */
	int		 offsets;	/* -O */
	struct fmt	 fmt;		/* what -f, -K, -D and -O ask for */
	struct buf	 delim;		/* -D: after each -J envelope */
	int		 progress;
	int		 verbose;	/* -v: librdkafka's every line */
	int		 ordered;	/* --ordered */
	int64_t		 idle;		/* --idle, ms */
	int64_t		 brokerwait;	/* --broker-timeout, ms; 0 forever */
	const char	*brokerwait_arg;	/* as given */
	const char	*fromgroup;	/* --from-group */
	int		 showpos;	/* --show-position */
	int		 exactly;	/* --exactly-once (ctl.h): plain
					   records, at lines, the position in
					   the -G group itself */
	int		 kavro, vavro;	/* -s key=, -s value= (avro or protobuf) */
	int		 kkind, vkind;	/* SR_AVRO or SR_PROTOBUF */
	const char	*srurl;		/* -r, or NULL */
	int		 avflags;	/* --avro-unions, --avro-time */
	struct kconf	 kc;
};

/* The run: the consumer, the partitions, the output. */
struct ks {
	const struct plan *pl;
	struct policy	 pol;		/* --on-error, --dead-letter */
	rd_kafka_t	*rk;
	rd_kafka_queue_t *q;		/* without -G: all partitions' queue */
	rd_kafka_message_t *batch[BATCH];	/* taken from q, from bi on */
	ssize_t		 bi, bn;		/* not yet handled */
	struct parts	 pt;
	int		 coop;		/* cooperative rebalancing */
	/* startup: the cause of "cannot reach Kafka" */
	int		 started;	/* startup checks passed */
	char		 lasterr[512];	/* error callback */
	pthread_mutex_t	 lock;		/* guards failure */
	char		 failure[512];	/* first FAIL log */
	struct klog	 log;		/* librdkafka's lines, once started */
	/* output */
	struct out	 out;
	struct jrec	 jr;
	struct buf	 copy, rec;
	/* -s: the schema registry, the decoded key and value */
	struct sreg	 sr;
	struct buf	 dk, dv;
	int32_t		 kid, vid;
	char		 why[512];	/* why a message could not be decoded */
	unsigned long long written;
	unsigned long long tombs;	/* null values skipped (no -Z) */
	int		 werr;		/* errno of a failed write; 0 */
	struct progress	 pg;		/* --progress */
	int64_t		 waitnote;	/* -G: when to say it waits; 0 said */
	struct merge	 mg;		/* --ordered */
	rd_kafka_t	*ask;		/* live --ordered: the merge asks
					   leaders through it */
	int64_t		 down;		/* when all brokers went down; 0 up */
	/* -J --from-group: control lines (fromgroup.h) */
	int		 control;
	unsigned long long since;	/* written at the last assignment */
	int		 known;		/* it gave a partition an offset */
	unsigned	 nfence;	/* revokes so far */
	/* --exactly-once: the record written last (at_line()) */
	int		 at_ti;		/* its topic; -1 none */
	int32_t		 at_part;
	int64_t		 at_next;	/* its offset + 1 */
	char		 at_topic[256];	/* the topic of the last at line
					   ("": the job line's) */
	struct buf	 ctlb;		/* a control line */
	/* read-ahead (ks_readahead()): the queue of fetched messages,
	 * its bounds, the mean size of a message taken, full seen */
	rd_kafka_queue_t *rq;
	size_t		 ra_max;	/* queued.min.messages */
	double		 ra_bytes;	/* queued.max.messages.kbytes * 1024 */
	double		 ra_taken, ra_size;	/* messages, their bytes */
	unsigned long	 ra_pauses;	/* the merge's lanes paused, seen */
	int		 ra_full;
};

/* ks.c */
/* Write out what is buffered; then, and only then, store its offsets.
 * After a failed write nothing is ever stored again. */
int	ks_flush_store(struct ks *);
/* Append one record of n bytes, then the en bytes of its end. */
int	ks_put(struct ks *, const char *p, size_t n, const char *end,
	    size_t en);
/* --ordered: the lanes of l follow their assignment (on), or every lane
 * is taken away (l NULL). */
void	ks_lanes(struct ks *, const rd_kafka_topic_partition_list_t *l,
	    int on);

/* broker.c */
void	ks_on_error(rd_kafka_t *, int err, const char *reason, void *opaque);
void	ks_on_log(const rd_kafka_t *, int level, const char *fac,
	    const char *buf);
/* Wait until a broker answers; exits 69 when none can, or after META_MS. */
void	ks_reach(struct ks *);
/* Exit 69 with the cause of err, the error events served first. */
void	ks_unreachable(struct ks *, rd_kafka_resp_err_t err)
	    __attribute__((noreturn));
/* EX_UNAVAILABLE once no broker answered for --broker-timeout, else 0. */
int	ks_brokers_gone(struct ks *);
/* The read-ahead bounds from conf (before rd_kafka_new() takes it). */
void	ks_readahead_init(struct ks *, const rd_kafka_conf_t *conf);
/* Before taking messages from k->rq: wake the fetchers when the queue
 * was full and has gone below half its bounds (see broker.c). */
void	ks_readahead(struct ks *);

/* group.c */
/* -J --from-group: the assignment l (with -G or without), as assign
 * control lines down the pipe. */
void	ks_tell_assign(struct ks *, const rd_kafka_topic_partition_list_t *l);
/* -G, no partitions for WAITNOTE_MS: when the group waits in a rebalance
 * on a member other than this one (one that ended without leaving holds
 * its partitions until its session ends), say so and return 1; else 0
 * (a member among live ones that got no partition, a topic not there
 * yet: nothing to say). */
int	ks_waitnote(struct ks *);
void	ks_on_rebalance(rd_kafka_t *, rd_kafka_resp_err_t err,
	    rd_kafka_topic_partition_list_t *l, void *opaque);

#endif
