/* wa.h - what window-agg's files share: the job's state (struct wa: the
 * plan, set by plan() and read-only after, then the run) and the
 * functions one file calls in another: wa.c (a bad record reported),
 * window-agg.c (main, the options, one record, the loop), rows.c (the rows written: --top,
 * --retract, the position on a batch's last row), watermark.c (event time:
 * the per-partition table, --idle, --idle-advance), position.c
 * (--position-field: the offsets held in open windows, the control
 * lines). */
#ifndef WA_H
#define WA_H

#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "expr.h"
#include "hold.h"
#include "jrec.h"
#include "kp.h"
#include "ndjson.h"
#include "out.h"
#include "policy.h"
#include "progress.h"
#include "window.h"

/* "nothing written": the position's after before the first window */
#define NOTHING		(INT64_MIN + 1)

struct wm_part {		/* one --partition-field value, for the
				   watermark (an input partition's offsets
				   are hold.h's hold_part) */
	char	*id;
	size_t	 len;
	int64_t	 max;		/* largest event time seen */
	int64_t	 seen;		/* monotonic ms of its last record */
};

struct ranked;			/* --top: a row held (rows.c) */

struct wa {
	/* the plan */
	int		 tpath, unit, ppath;
	int64_t		 delay, idle;	/* --idle: a partition's silence */
	int64_t		 advance;	/* --idle-advance: the input's */
	int		 tfmt, local;
	int		 wstart, wend;	/* --window-fields */
	size_t		 npartitions;	/* --partitions: wait for them */
	int		 has_after;
	int64_t		 after;
	struct buf	 poskey;	/* --position-field: ',"F":' */
	int		 pospath;	/* topic; partition, offset follow */
	int		 nkeys, keypath[JR_MAXPATHS];
	struct buf	 keyname[JR_MAXPATHS];	/* ',"name":' of each key */
	struct aggdef	 agg[AGG_MAX];
	struct expr	*where, *having;
	struct jrec	 rowjr;		/* --having, --by: the rows' fields */
	struct buf	 kindkey;	/* --row-kind: ',"name":' */
	struct buf	 earlykey;	/* --early-field: ',"name":' */
	int		 retract;	/* --retract */
	size_t		 top;		/* --top N */
	int		 asc, bypath;	/* --asc; --by in rowjr */
	int		 nagg;
	const char	*latepath;
	/* the run */
	/* --top: the rows of the window being written */
	struct ranked	*ranked;
	size_t		 nranked, rankcap;
	struct buf	 held;
	int64_t		 hstart, hend;
	struct jrec	 jr;
	struct win	 win;		/* its plan too */
	struct out	 out;
	struct nd_reader rd;
	struct policy	 pol;
	FILE		*late;
	unsigned long long nlate, nrec;
	unsigned long long nwritten;	/* in windows written already */
	unsigned long long ngap;	/* between hopping windows */
	unsigned long long nafter;	/* session rows --after skipped */
	unsigned long long nrevoked;	/* held in windows dropped at a
					   revoke */
	size_t		 tailn;		/* end of input, --position-field:
					   rows written without a position */
	int64_t		 tail0, tail1;	/* their first and last window end */
	int		 tail;
	int		 seen[AGG_MAX];	/* the aggregate's field appeared */
	int		 failed;	/* a row failed under --on-error=abort */
	int64_t		 maxts, lastinput, started;
	struct wm_part	*parts;
	size_t		 nparts;
	struct buf	 key, row;
	struct agg_in	 in[AGG_MAX];	/* this record's values */
	struct progress	 pg;		/* --progress */
	struct hold	 posh;		/* --position-field */
	struct jrec	 ctl;		/* control lines (ksource -J
					   --from-group) */
	int64_t		 lastend;	/* every window up to here written */
	int		 ctlnote;	/* said that control lines are
					   skipped without a position */
	/* an exactly-once stream (ctl.h): its job line seen, the
	 * partition and offset of the next record (its at line) */
	int		 eo, at_set;
	int		 pospending;	/* --top: a position line due after
					   the ranked rows (rows.c) */
	int64_t		 posend;
	int		 at_t;		/* hold_topic() of the at line */
	int32_t		 at_part;
	int64_t		 at_next;
	size_t		 replaying;	/* partitions read again, not yet up
					   to where their position had read
					   them (hold_part's replay) */
	int		 passed;	/* one of them just got there */
};

/* wa.c: report a bad record; 1 to skip it, -1 to stop (--on-error=abort). */
int	wa_reject(struct wa *, const char *, size_t, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

/* rows.c: win's emit and flush callbacks (arg is the struct wa). */
void	row_emit(void *, struct ent *, int);
void	row_flush_top(void *);
/* win's snap: --retract, a rebuilt window's row as it was written. */
void	row_snap(void *, struct ent *);

/* watermark.c: event time. */
int64_t	wm_event(struct wa *);
int64_t	wm_advance(struct wa *);
void	wm_stalled(struct wa *, int64_t);
void	wm_see(struct wa *, const struct jr_val *, int64_t);
int64_t	wm_timer(struct wa *, int64_t, int64_t);
void	wm_reset(struct wa *);

/* position.c: --position-field. */
int	wpos_record(struct wa *, const char *, size_t, int64_t);
int	wpos_control(struct wa *, const char *, size_t);
int	wpos_next(struct wa *, const char *, size_t, int64_t, int);
void	wpos_init(struct wa *);
void	wpos_replayed(struct wa *);

#endif
