/* window.h - window-agg's windows: each record is assigned to its
 * windows (tumbling, hopping, cumulating or session), an entry per
 * (window, key)
 * keeps the aggregates, found by hash, and a heap orders the entries by
 * their next deadline (the watermark at which the entry is emitted, or
 * later freed). The caller moves the watermark; rows go out through
 * its emit callback, in order of window_end, key and window_start. */
#ifndef WINDOW_H
#define WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "heap.h"

#define WIN_MAXHOP	1000		/* windows a record may fall in */
#define WM_NONE		INT64_MIN	/* no watermark yet */

enum { W_TUMBLE, W_HOP, W_SESSION, W_CUMULATE };

struct ent {
	struct ent	*hnext;
	uint64_t	 hash;
	int64_t		 start, end;
	int64_t		 deadline;	/* heap order */
	size_t		 heapi;		/* its place in the heap */
	int		 emitted;	/* fired once; kept for lateness */
	uint8_t		 dirty;		/* changed since its last row */
	uint8_t		 shown;		/* a row of it was written (caller's) */
	uint8_t		 rebuilt;	/* written before the run began: its
					   last row not yet taken (snap) */
	int32_t		 src;		/* the caller's source of its records
					   (win's src), or WIN_MIXED */
	uint32_t	 keylen;
	char		*prev;		/* the caller's: its last row, freed
					   with the entry */
	uint32_t	 prevlen, prevcap;
	struct agg_state *agg;		/* nagg states */
	struct agg_state *shadow;	/* rebuilt, while replay is set: the
					   states without the new records */
	char		 key[];		/* the key fields, as output JSON */
};

struct store {
	struct ent	**tab;
	size_t		  mask, n;
	struct heap	  heap;		/* of entries, by deadline, then end */
	const struct aggdef *agg;
	int		  nagg;
};

struct win {
	/* the plan, set by the caller before win_start() */
	int		 kind;
	int64_t		 size, slide, align;	/* slide: hop or cumulate step
						   (tumble: size) */
	int64_t		 lateness;
	int64_t		 early;		/* --emit-every: early rows, 0: none */
	int		 event;		/* event time: late records exist */
	size_t		 max_keys;	/* 0: no limit */
	int64_t		 floor;		/* windows ending at or before it were
					   written already: skipped, the
					   record not late (WM_NONE: none;
					   fixed windows; set per record) */
	int64_t		 wfloor;	/* windows with end + lateness at or
					   before it are closed for good, and
					   those up to floor still open were
					   written: rebuilt (WM_NONE: not
					   known; fixed windows; per record) */
	int		 old;		/* the record was read before the
					   position the run started from: it
					   is in the rows written already, so
					   it changes no row (per record) */
	int		 replay;	/* rows of rebuilt windows held back
					   until win_replayed() */
	int		 sync_early;	/* --emit-every on an exactly-once
					   stream with --row-kind: a round of
					   early rows after each batch of final
					   ones, so that at every position each
					   open window's last row is what it
					   holds, and a restart rebuilds it
					   as shown */
	int32_t		 src;		/* the record's source (an input
					   partition), kept per entry; -1 */
	const struct aggdef *agg;
	int		 nagg;
	/* called for each row, with e still valid; kind WIN_FINAL when
	 * the window closes, WIN_EARLY before, WIN_UPDATE after (a late
	 * record under lateness) */
	void		(*emit)(void *arg, struct ent *e, int kind);
	/* NULL, or called at the end of each win_advance() */
	void		(*flush)(void *arg);
	/* NULL, or called with a rebuilt entry's states as they were
	 * last written, before a new record changes them */
	void		(*snap)(void *arg, struct ent *e);
	void		*arg;
	/* the run */
	struct store	 st;
	int64_t		 wm;		/* watermark, never back */
	int		 collects;	/* an aggregate keeps values */
	int		 toobig;	/* WIN_TOOBIG: which aggregate */
	uint64_t	 seq;		/* arrival number of the last record */
	int64_t		 next_early;	/* watermark of the next early rows */
	struct ent	**due;
	size_t		 ndue, duecap;
	struct {			/* the windows of one record */
		struct ent	**hit;
		int64_t		 *start, *end;
		uint64_t	 *hash;
	} slot;
};

#define WIN_MIXED	(-2)	/* ent's src: records of several sources */

/* What win_add() did with a record. */
enum { WIN_OK, WIN_LATE, WIN_FULL, WIN_TOOBIG, WIN_WRITTEN, WIN_GAP };

/* What a row is. */
enum { WIN_FINAL, WIN_EARLY, WIN_UPDATE };

/* Ready w (its plan set) with no entry and no watermark. */
void	win_start(struct win *);
/* Add one record at time ts with key (the key fields as output JSON)
 * and its values in[0..nagg). WIN_OK, WIN_GAP: it falls in a gap
 * between hopping windows, WIN_WRITTEN: every window it falls in ends
 * at or before floor, WIN_LATE: each window it falls in is closed or at
 * or before floor, one at least closed (for these three the caller counts
 * it; nothing changed), WIN_FULL: it would open more than
 * max_keys entries, WIN_TOOBIG: an aggregate (number toobig) of one of
 * its entries holds its max_values already; for both, nothing changed.
 * In event time an entry already
 * emitted is emitted again with the record in it. */
int	win_add(struct win *, int64_t ts, const char *key, size_t keylen,
	    const struct agg_in *in);
/* Move the watermark to wm (never back; INT64_MAX: end of input) and
 * emit every window whose end it reached, in order of end, key and
 * start; free what is past end + lateness. With early set, when the
 * watermark passes a multiple of early, the open entries changed since
 * their last row are emitted as early rows, in the same order. */
void	win_advance(struct win *, int64_t wm);
/* The records read again are all in: write the rows of rebuilt windows
 * that new records changed meanwhile (WIN_UPDATE), and clear replay. */
void	win_replayed(struct win *);
/* The latest point at or before ts on the grid of step ms (the slide,
 * or a cumulating window's size) from the plan's align: a window start. */
int64_t	win_grid(const struct win *, int64_t ts, int64_t step);
/* The watermark at which the next early rows are due, or INT64_MAX. */
int64_t	win_next_early(const struct win *);
/* Free every entry; returns how many were never emitted. */
size_t	win_drop(struct win *);
/* 1 when an entry holds records of several sources. */
int	win_mixed(const struct win *);
/* Free the entries whose src is one of the gone[0..n); returns how many
 * were never emitted. */
size_t	win_drop_src(struct win *, const int32_t *gone, size_t n);
void	win_free(struct win *);

/* The entry store, for win_*() and tests. */
void	st_init(struct store *, const struct aggdef *, int nagg);
/* Free every entry and the tables. */
void	st_free(struct store *);
uint64_t st_hash(const char *key, size_t len);
/* The entry for (start, end, key) with hash h, or NULL. */
struct ent *st_find(struct store *, uint64_t h, int64_t start, int64_t end,
	    const char *key, uint32_t keylen);
/* A new entry with zeroed aggregates, in the hash and the heap (keyed
 * by deadline). */
struct ent *st_add(struct store *, uint64_t h, int64_t start, int64_t end,
	    const char *key, uint32_t keylen, int64_t deadline);
/* Walk the hash chain for h: pass NULL first, then the previous result. */
struct ent *st_chain(struct store *, uint64_t h, struct ent *prev);
/* After changing e->deadline. */
void	st_fix(struct store *, struct ent *);
/* The entry with the smallest deadline, or NULL. */
struct ent *st_top(struct store *);
/* Remove e from the hash and the heap and free it. */
void	st_del(struct store *, struct ent *);
/* Remove e from the heap only (it stays findable). */
void	st_unheap(struct store *, struct ent *);
void	st_push(struct store *, struct ent *);

#endif
