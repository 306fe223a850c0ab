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
};

struct hold_part {
	int32_t		 id;
	int64_t		 next;		/* past the highest offset seen */
	struct hold_ent	*e;
	size_t		 n, cap;
};

struct hold {
	char		*topic;		/* of the first record */
	size_t		 tlen;
	struct hold_part *p;
	size_t		 np;
	struct pos_part	*out;		/* hold_write()'s scratch */
};

/* A record of topic t, partition part at offset off, in windows up to
 * until; held is 0 for a record dropped (late), which only moves the
 * partition on. 0, or -1 when t is not the first record's topic. */
int	hold_add(struct hold *, const char *t, size_t tlen, int32_t part,
	    int64_t off, int64_t until, int held);
/* Every window ending at or before wm has been written. */
void	hold_release(struct hold *, int64_t wm);
/* Append the position text: after, and per partition the lowest offset
 * held or, holding none, the next one. */
void	hold_write(struct hold *, struct buf *, int64_t after);
void	hold_free(struct hold *);

#endif
