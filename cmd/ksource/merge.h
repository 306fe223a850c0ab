/* merge.h - ksource --ordered: the messages of all partitions merged in
 * order of their timestamps.
 *
 * Each partition is a lane holding the messages taken from the consumer
 * and not yet written, in offset order. mg_pop() hands out the lane head
 * with the smallest (timestamp, topic, partition) once no lane that might
 * still deliver an earlier message is empty. Exact (ksource -e): an empty
 * lane holds the merge until its next message or its end, so the output
 * does not depend on timing. Live: an empty lane holds back only messages
 * later than its own last one, and only until it is idle: it has said
 * nothing for the idle time and it is caught up, its partition's leader
 * answering (asked at most MG_RECHECK ms before, and since the merge got
 * a message later than the one to go) with an end no further than the
 * offset the consumer has handed out up to. The leaders are asked from a
 * thread of the merge's own, so the caller never waits on the cluster:
 * a lane stays held while its question is out. A lane whose leader
 * does not answer (within MG_ASK_MS), whose fetch has not begun, or with
 * messages at the broker not fetched yet is stalled, not idle: it holds
 * the merge however long that lasts, so a broker failover lets no lane
 * run ahead; back from a stall, it must be quiet for the idle time (or
 * as long as the stall, if longer: its producers find the new leader in
 * their own time) from the merge's next message, or MG_SILENT_MS if none
 * comes, and is asked again at its end; a lane whose last message came
 * less than MG_SILENT_MS after a broker connection was lost must be
 * quiet that long (its producers send again what was in flight to the
 * lost leader only once settled with the new one). A lane
 * holding MG_HIGH messages is paused at the broker until it is down to
 * MG_LOW. */
#ifndef MERGE_H
#define MERGE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "heap.h"

#define MG_HIGH	8192
#define MG_LOW	2048
#define MG_RECHECK	1000	/* ms an idle verdict stays good */
#define MG_ASK_MS	500	/* how long the leader may take to answer */
#define MG_SAY_MS	10000	/* a stall this long is said on stderr */
#define MG_SILENT_MS	30000	/* back from a stall, or quiet since
				   shortly after a broker was lost: a
				   silence this long is idleness */

struct mg_ent {
	rd_kafka_message_t *m;
	int64_t		 ts;
};

/* A lane's question to its partition's leader: posted by the caller's
 * thread, answered by the asker's; under the merge's lock. */
struct mg_q {
	int		 state;		/* MQ_NONE, MQ_OUT, MQ_DONE */
	unsigned	 seq;		/* the lane's seq when posted */
	int64_t		 t0, t1;	/* mono ms: posted, answered */
	int64_t		 hi;		/* handed out up to, when posted */
	int64_t		 qlo, qhi;	/* the leader's answer */
	rd_kafka_resp_err_t err;	/* or why there is none */
	struct mg_lane	*next;		/* in the asker's queue */
};
#define MQ_NONE	0
#define MQ_OUT	1
#define MQ_DONE	2

struct mg_lane {
	struct mg_ent	*ring;		/* cap entries, n of them from head */
	size_t		 head, n, cap;
	const char	*topic;		/* not owned; outlives the lane */
	int		 ti;		/* the caller's topic index */
	int32_t		 part;
	int64_t		 last_ts;	/* of the last message pushed */
	int64_t		 heard;		/* mono ms: last push or assignment */
	int64_t		 pushed;	/* mono ms: last push; 0 none */
	int64_t		 checked;	/* mono ms: the leader asked; 0 never */
	int64_t		 upto;		/* the latest timestamp pushed to any
					   lane when asked: the verdict holds
					   for heads up to it */
	int64_t		 stall;		/* mono ms: found stalled first; 0 */
	int64_t		 quiet;		/* ms: back from a stall, how long it
					   was (quiet that long to be idle) */
	int64_t		 start;		/* offset it was assigned at; < 0:
					   not known */
	size_t		 hi;		/* place in the heap; HP_NONE: out */
	unsigned	 seq;		/* bumped by a push or an assignment:
					   an answer to an older question is
					   thrown away */
	struct mg_q	 q;
	unsigned	 active:1, ended:1, seen:1, paused:1;
	unsigned	 caught:1;	/* caught up when checked */
	unsigned	 said:1;	/* its stall was said */
	unsigned	 again:1;	/* assigned before (the consumer's
					   cached end may be that time's) */
	unsigned	 back:1;	/* found caught up after a stall: asked
					   again at the end of its quiet time */
	unsigned	 asking:1;	/* its question posted, the answer not
					   taken yet */
	unsigned	 speak:1;	/* back from a stall, and the merge got
					   no message since: not idle yet */
};

struct merge {
	rd_kafka_t	*rk;
	rd_kafka_t	*ask;		/* live: the caller's handle of its own
					   for asking leaders (rk's connection
					   waits behind its fetch's long poll);
					   NULL: rk */
	rd_kafka_queue_t *wake;		/* the caller's queue, woken when an
					   answer comes; NULL: none */
	pthread_t	 asker;		/* asks the leaders, once started */
	pthread_mutex_t	 mu;		/* the questions and the queue */
	pthread_cond_t	 cv;		/* a question for the asker */
	struct mg_lane	*qhead, *qtail;	/* questions not taken yet */
	int		 running, quit;	/* the asker started; told to end */
	int		 exact;
	int64_t		 idle;		/* live: ms */
	struct mg_lane	**lanes;
	size_t		 nlanes;
	struct heap	 heap;		/* the lanes holding messages, by
					   their heads */
	size_t		 nwait;		/* active, not ended, empty */
	size_t		 held;		/* messages in all lanes */
	size_t		 nspeak;	/* lanes with speak set */
	int64_t		 maxts;		/* the latest timestamp pushed */
	int64_t		 lastpush;	/* live: when a lane last got one */
	int64_t		 upset;		/* mono ms: a broker connection lost
					   last (mg_upset()); 0 never */
	unsigned long	 asked, stalled;	/* leader asked; not caught up */
	unsigned long	 pauses;	/* lanes paused (what librdkafka had
					   fetched for them is dropped) */
};

void	mg_init(struct merge *, rd_kafka_t *rk, int exact, int64_t idle_ms);
/* A new lane, not active. topic must live as long as the merge. */
struct mg_lane *mg_lane(struct merge *, const char *topic, int ti,
	    int32_t part);
/* Assigned (on) at offset start (< 0: not known) or taken away; taking
 * it away destroys what it holds. */
void	mg_assign(struct merge *, struct mg_lane *, int on, int64_t start);
/* The lane owns m from now on. */
void	mg_push(struct merge *, struct mg_lane *, rd_kafka_message_t *);
/* The consumer lost a broker connection now (a failover, maybe): a lane
 * quiet since before is, at its next answer, back from a stall (the
 * leader it waited on may have moved while nothing asked it). */
void	mg_upset(struct merge *);
/* The lane gets no more messages (end of partition, or e@). */
void	mg_end(struct merge *, struct mg_lane *);
/* The next message in order, or NULL when the merge must wait. The caller
 * owns it; *from says its lane. settled: the caller has no message taken
 * from the consumer and not pushed, so that a lane found caught up is
 * really empty; unsettled, no lane counts as idle. */
rd_kafka_message_t *mg_pop(struct merge *, struct mg_lane **from,
	    int settled);
/* Destroy every held message and end the asker (after its question in
 * flight, bounded in time); the lanes stay. Call before the handle is
 * closed (it waits for the messages it handed out) and before wake and
 * ask go. */
void	mg_drop(struct merge *);
/* mg_drop(), then free the lanes; after the handle is gone (a rebalance
 * callback during its close still finds them). */
void	mg_free(struct merge *);

#endif
