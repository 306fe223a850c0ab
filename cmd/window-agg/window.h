/* window.h - window-agg's state: one entry per (window, key), found by
 * hash, and a heap of entries ordered by their next deadline (the
 * watermark at which the entry is emitted, or later freed). */
#ifndef WINDOW_H
#define WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "dec.h"

/* The running value of one aggregate in one entry. */
struct agg_state {
	struct dec	 d;	/* sum, min, max; the sum for avg */
	int64_t		 n;	/* values seen (count, avg) */
	uint64_t	 seq;	/* first/last: arrival number of txt */
	char		*txt;	/* first/last: the value's JSON text */
	uint32_t	 len, cap;
};

struct ent {
	struct ent	*hnext;
	uint64_t	 hash;
	int64_t		 start, end;
	int64_t		 deadline;	/* heap order */
	size_t		 heapi;
	int		 emitted;	/* fired once; kept for lateness */
	uint32_t	 keylen;
	struct agg_state *agg;		/* nagg states */
	char		 key[];		/* the key fields, as output JSON */
};

struct store {
	struct ent	**tab;
	size_t		  mask, n;
	struct ent	**heap;
	size_t		  hn, hcap;
	int		  nagg;
};

void	st_init(struct store *, int nagg);
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
