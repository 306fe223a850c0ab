/* hold.h - window-agg --position-field: for each input partition, the
 * lowest offset still held in an open window, so that every row can say
 * from where a restart must read the input again (see pos.h).
 *
 * A record is held until the last window it belongs to is written: its
 * "until" is that window's end. Per partition, the records are kept as
 * (until, lowest offset) pairs, one per open window end, in order of
 * until; hold_release() lets go of those the watermark passed. */
#ifndef HOLD_H
#define HOLD_H

#include <stddef.h>
#include <stdint.h>

#include "kp.h"
#include "pos.h"

struct hold_ent {
	int64_t		 until, off;
	uint64_t	 n;		/* records held to until */
};

struct hold_part {
	uint32_t	 t;		/* its topic: hold's names.topic[t] */
	int32_t		 id;
	int		 known;		/* next is known (a record, or an
					   assignment with an offset) */
	int64_t		 next;		/* past the highest offset seen */
	int64_t		 after;		/* its windows up to here were
					   written (POS_NOAFTER: none) */
	int64_t		 wm;		/* the watermark of the position it
					   was assigned from (POS_NOAFTER) */
	int64_t		 upto;		/* that position's NEXT: its records
					   below were read then (-1: none) */
	int		 replay;	/* it is read again below upto */
	int		 gone;		/* revoked (the member keeps others):
					   hold_write()'s only ones */
	struct hold_ent	*e;
	size_t		 n, cap;
};

struct hold {
	struct pos	 names;		/* its topic names only */
	struct hold_part *p;
	size_t		 np;
	struct pos_part	*out;		/* hold_write()'s scratch */
	int		 extra;		/* write each partition's WM and NEXT
					   (windows open after they are
					   written) */
};

/* The index of topic s[0..n), added when new; -1 when not a topic name.
 * The first added is written first. */
int	hold_topic(struct hold *, const char *s, size_t n);
/* Partition id of topic t (a hold_topic() index), added when new. Valid
 * until the next hold_part(). */
struct hold_part *hold_part(struct hold *, int t, int32_t id);
/* A record at offset off of p, in windows up to until; held is 0 for a
 * record dropped (late, or in windows written already), which only
 * moves the partition on. */
void	hold_add(struct hold_part *, int64_t off, int64_t until, int held);
/* Every window ending at or before wm has been written. */
void	hold_release(struct hold *, int64_t wm);
/* Append the position text: after, and per partition the lowest offset
 * held or, holding none, the next one, and its own after where later;
 * with extra, its WM (the later of wm and the one it was assigned with)
 * and NEXT; fence NULL, or the token of the revoke this position
 * answers. */
void	hold_write(struct hold *, struct buf *, int64_t after, int64_t wm,
	    const char *fence);
/* The same for the partitions marked gone only. */
void	hold_write_gone(struct hold *, struct buf *, int64_t after,
	    int64_t wm, const char *fence);
/* Forget the partitions marked gone: they hold nothing, are not
 * written, and start again as new when assigned again. */
void	hold_forget_gone(struct hold *);
/* How many records are held (hold_add()s with held set, not released);
 * gone: by the partitions marked gone only. */
uint64_t hold_count(const struct hold *, int gone);
/* Forget every partition (a revoke: the windows were dropped); the
 * topics stay. */
void	hold_reset(struct hold *);
void	hold_free(struct hold *);

#endif
