/* offsets.h - ksource's partitions and their offsets: which partitions
 * are assigned, where each stands, which have finished, and which were
 * handled since the last flush of standard output, so that their offsets
 * are stored (and so committed by the group) only once that output is out.
 * Names are looked up by topic index (ti) and partition number. */
#ifndef OFFSETS_H
#define OFFSETS_H

#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "kp.h"

struct mg_lane;

struct part {			/* one partition */
	int64_t		 pend;	/* offset after the last handled message */
	int64_t		 stored;	/* last offset given to offsets_store */
	int64_t		 next;	/* next offset to consume; -1 unknown */
	int64_t		 start;	/* its assigned offset (--progress lag
				   before a message); -1 unknown */
	int64_t		 seek_ts;	/* s@ fallback: skip older; -1 off */
	struct mg_lane	*lane;		/* --ordered: its messages held */
	unsigned	 assigned:1, fin:1, done:1, dirty:1;
};

struct ptopic {
	char		*name;
	rd_kafka_topic_t *rkt;	/* without -G: its consumer handle */
	struct part	*p;
	int32_t		 np;
	struct buf	 jpre;	/* {"topic":"NAME","partition": */
};

struct parts {
	struct ptopic	*tp;
	int		 ntp, cur;	/* cur: the last one looked up */
	struct pdirty { int ti; int32_t part; } *dirty;
	size_t		 ndirty, dirtycap;
	int		 nassigned, nfin;
	int		 storing;	/* -G: store flushed offsets */
};

/* The index of topic name, added when new. */
int	pt_topic(struct parts *, const char *name);
/* The topic of a message: by its handle when that is one we hold (its
 * address cannot be reused meanwhile), else by name. */
int	pt_of(struct parts *, rd_kafka_topic_t *);
/* Partition part of topic ti, added (unassigned, offsets -1) when new.
 * The pointer is valid until the next pt_part() of the same topic. */
struct part *pt_part(struct parts *, int ti, int32_t part);
/* A message (written, skipped or rejected) was handled: its offset is
 * stored at the next pt_store() when storing. */
void	pt_handled(struct parts *, int ti, int32_t part, struct part *,
	    int64_t offset);
/* The partition has nothing more to give (-e at its end, e@ reached). */
void	pt_finished(struct parts *, struct part *);
/* Mark the partitions of l assigned (on) or not, from scratch. */
void	pt_assign(struct parts *, const rd_kafka_topic_partition_list_t *,
	    int on);
/* Mark every partition unassigned (an eager rebalance's new assignment). */
void	pt_unassign_all(struct parts *);
/* Count the assigned and the finished partitions again. */
void	pt_recount(struct parts *);
/* Store the offset after the last handled message of every partition
 * handled since the last call. Only right after stdout was flushed. */
void	pt_store(struct parts *, rd_kafka_t *);
/* Messages not yet read, summed over the assigned partitions whose
 * high watermark is known; *known says how many those are, *nend how
 * many have nothing left to read, and at gets their names ("partition
 * 0, 2", "t/0, u/1", or "9 partitions"). */
int64_t	pt_lag(const struct parts *, rd_kafka_t *, int *known, int *nend,
	    struct buf *at);
/* Stop the consumers started with rd_kafka_consume_start_queue(), and
 * destroy the topic handles. */
void	pt_stop(struct parts *);
void	pt_free(struct parts *);

#endif
