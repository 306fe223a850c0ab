/* window.c - window assignment, the (window, key) hash table and the
 * deadline heap. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "window.h"

/* ---- the store ----------------------------------------------------- */

static int	before(const void *, const void *);	/* the heap's order */

static struct ent **
table(size_t n)
{
	struct ent **t = kp_xmalloc(n * sizeof(*t));

	memset(t, 0, n * sizeof(*t));
	return t;
}

void
st_init(struct store *s, const struct aggdef *agg, int nagg)
{
	memset(s, 0, sizeof(*s));
	s->agg = agg;
	s->nagg = nagg;
	s->mask = 1023;
	s->tab = table(s->mask + 1);
	hp_init(&s->heap, before, offsetof(struct ent, heapi));
}

static void
ent_free(struct store *s, struct ent *e)
{
	if (e->shadow != NULL) {
		agg_free(s->agg, s->nagg, e->shadow);
		free(e->shadow);
	}
	agg_free(s->agg, s->nagg, e->agg);
	free(e->prev);
	free(e);
}

void
st_free(struct store *s)
{
	size_t i;
	struct ent *e, *n;

	for (i = 0; i <= s->mask; i++)
		for (e = s->tab[i]; e != NULL; e = n) {
			n = e->hnext;
			ent_free(s, e);
		}
	free(s->tab);
	hp_free(&s->heap);
	memset(s, 0, sizeof(*s));
}

/* Eight bytes at a time, each folded in with a multiply, then a final
 * mix (a byte-at-a-time FNV-1a cost twice as much on the usual key). */
uint64_t
st_hash(const char *key, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, v;

	for (; len >= 8; key += 8, len -= 8) {
		memcpy(&v, key, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (len > 0) {
		v = 0;
		memcpy(&v, key, len);
		h = (h ^ v) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

struct ent *
st_find(struct store *s, uint64_t h, int64_t start, int64_t end,
    const char *key, uint32_t keylen)
{
	struct ent *e;

	for (e = s->tab[h & s->mask]; e != NULL; e = e->hnext)
		if (e->hash == h && e->start == start && e->end == end &&
		    e->keylen == keylen &&
		    (keylen == 0 || memcmp(e->key, key, keylen) == 0))
			return e;
	return NULL;
}

struct ent *
st_chain(struct store *s, uint64_t h, struct ent *prev)
{
	struct ent *e = prev ? prev->hnext : s->tab[h & s->mask];

	while (e != NULL && e->hash != h)
		e = e->hnext;
	return e;
}

static void
rehash(struct store *s)
{
	size_t nmask = s->mask * 2 + 1, i;
	struct ent **nt = table(nmask + 1), *e, *n;

	for (i = 0; i <= s->mask; i++)
		for (e = s->tab[i]; e != NULL; e = n) {
			n = e->hnext;
			e->hnext = nt[e->hash & nmask];
			nt[e->hash & nmask] = e;
		}
	free(s->tab);
	s->tab = nt;
	s->mask = nmask;
}

/* ---- heap by deadline, then end ------------------------------------ */

static int
before(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;

	return a->deadline < b->deadline ||
	    (a->deadline == b->deadline && a->end < b->end);
}

void
st_push(struct store *s, struct ent *e)
{
	hp_push(&s->heap, e);
}

void
st_unheap(struct store *s, struct ent *e)
{
	hp_remove(&s->heap, e);
}

void
st_fix(struct store *s, struct ent *e)
{
	hp_fix(&s->heap, e);
}

struct ent *
st_top(struct store *s)
{
	return hp_top(&s->heap);
}

struct ent *
st_add(struct store *s, uint64_t h, int64_t start, int64_t end,
    const char *key, uint32_t keylen, int64_t deadline)
{
	size_t off = (sizeof(struct ent) + keylen + 15) & ~(size_t)15;
	struct ent *e;

	e = kp_xmalloc(off + (size_t)s->nagg * sizeof(struct agg_state));
	memset(e, 0, sizeof(*e));
	e->agg = (struct agg_state *)((char *)e + off);
	memset(e->agg, 0, (size_t)s->nagg * sizeof(struct agg_state));
	e->hash = h;
	e->start = start;
	e->end = end;
	e->deadline = deadline;
	e->keylen = keylen;
	if (keylen > 0)
		memcpy(e->key, key, keylen);
	if (s->n >= s->mask)
		rehash(s);
	e->hnext = s->tab[h & s->mask];
	s->tab[h & s->mask] = e;
	s->n++;
	st_push(s, e);
	return e;
}

void
st_del(struct store *s, struct ent *e)
{
	struct ent **pp;

	st_unheap(s, e);
	for (pp = &s->tab[e->hash & s->mask]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	s->n--;
	ent_free(s, e);
}

/* ---- windows ------------------------------------------------------- */

void
win_start(struct win *w)
{
	int i;

	st_init(&w->st, w->agg, w->nagg);
	w->slot.hit = kp_xmalloc(WIN_MAXHOP * sizeof(*w->slot.hit));
	w->slot.start = kp_xmalloc(WIN_MAXHOP * sizeof(*w->slot.start));
	w->slot.end = kp_xmalloc(WIN_MAXHOP * sizeof(*w->slot.end));
	w->slot.hash = kp_xmalloc(WIN_MAXHOP * sizeof(*w->slot.hash));
	w->collects = 0;
	for (i = 0; i < w->nagg; i++)
		w->collects |= agg_collects(&w->agg[i]);
	w->wm = WM_NONE;
	w->floor = WM_NONE;
	w->wfloor = WM_NONE;
	w->old = w->replay = 0;
	w->src = -1;
	w->next_early = WM_NONE;
	w->seq = 0;
	w->ndue = 0;
}

/* Emission order: end, key, start. */
static int
due_cmp(const void *a, const void *b)
{
	const struct ent *x = *(struct ent *const *)a;
	const struct ent *y = *(struct ent *const *)b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	c = n > 0 ? memcmp(x->key, y->key, n) : 0;
	if (c != 0)
		return c;
	if (x->keylen != y->keylen)
		return x->keylen < y->keylen ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void
due(struct win *w, struct ent *e)
{
	if (w->ndue == w->duecap) {
		w->duecap = w->duecap ? w->duecap * 2 : 256;
		w->due = kp_xrealloc(w->due, w->duecap * sizeof(*w->due));
	}
	w->due[w->ndue++] = e;
}

/* Early rows: every open entry changed since its last row. */
static void
early(struct win *w)
{
	struct ent *e;
	size_t i;

	w->ndue = 0;
	for (i = 0; i < w->st.heap.n; i++) {
		e = w->st.heap.a[i];
		if (!e->emitted && e->dirty)
			due(w, e);
	}
	if (w->ndue > 1)
		qsort(w->due, w->ndue, sizeof(*w->due), due_cmp);
	for (i = 0; i < w->ndue; i++) {
		w->due[i]->dirty = 0;
		w->emit(w->arg, w->due[i], WIN_EARLY);
	}
}

/* The first multiple of early above the watermark (INT64_MAX: none). */
static int64_t
next_tick(const struct win *w)
{
	int64_t t = w->wm - (w->wm % w->early + w->early) % w->early;

	return t > INT64_MAX - w->early ? INT64_MAX : t + w->early;
}

int64_t
win_next_early(const struct win *w)
{
	return w->early > 0 && w->st.n > 0 && w->next_early != WM_NONE ?
	    w->next_early : INT64_MAX;
}

static void	snap(struct win *, struct ent *);

void
win_advance(struct win *w, int64_t wm)
{
	struct ent *e;
	size_t i;
	int fired;

	if (w->replay) {	/* the watermark waits for the records read
				   again; the end of input ends that */
		if (wm != INT64_MAX)
			return;
		win_replayed(w);
	}
	if (wm > w->wm)
		w->wm = wm;
	if (w->early > 0 && w->wm != WM_NONE && w->next_early == WM_NONE)
		w->next_early = next_tick(w);
	w->ndue = 0;
	while ((e = st_top(&w->st)) != NULL && e->deadline <= w->wm) {
		st_unheap(&w->st, e);
		if (e->emitted) {
			st_del(&w->st, e);
			continue;
		}
		due(w, e);
	}
	if (w->ndue > 1)
		qsort(w->due, w->ndue, sizeof(*w->due), due_cmp);
	fired = w->ndue > 0;
	for (i = 0; i < w->ndue; i++) {
		e = w->due[i];
		e->dirty = 0;
		if (e->rebuilt)	/* its row as written, to withdraw */
			snap(w, e);
		w->emit(w->arg, e, WIN_FINAL);
		if (w->lateness > 0 && w->wm != INT64_MAX &&
		    e->end + w->lateness > w->wm) {
			e->emitted = 1;
			e->deadline = e->end + w->lateness;
			st_push(&w->st, e);
		} else
			st_del(&w->st, e);
	}
	if (w->sync_early && fired && w->wm != INT64_MAX)
		early(w);	/* before the batch's position */
	if (w->early > 0 && w->wm != INT64_MAX && w->next_early != WM_NONE &&
	    w->wm >= w->next_early) {
		early(w);
		w->next_early = next_tick(w);
	}
	if (w->flush != NULL)
		w->flush(w->arg);
}

/* An entry was updated after its window fired: emit it again (held
 * back while replay is set: its rebuild may not be complete yet). */
static void
refire(struct win *w, struct ent *e)
{
	if ((!e->emitted && e->end > w->wm) || w->replay)
		return;
	e->dirty = 0;
	w->emit(w->arg, e, WIN_UPDATE);
	e->emitted = 1;
	e->deadline = e->end + w->lateness;
	st_fix(&w->st, e);
}

static int
full(const struct win *w, size_t more)
{
	return w->max_keys > 0 && w->st.n + more > w->max_keys;
}

/* The latest point at or before ts on the grid of step ms from --align:
 * a window start. */
int64_t
win_grid(const struct win *w, int64_t ts, int64_t step)
{
	return ts - (((ts - w->align) % step) + step) % step;
}

/* A rebuilt entry's first new record: its last row written is what it
 * holds now, or (replay set: another partition's old records may come
 * yet) a copy of it, kept up with the old records, taken at
 * win_replayed(). */
static void
snap(struct win *w, struct ent *e)
{
	if (!w->replay) {
		w->snap(w->arg, e);
		e->rebuilt = 0;
	} else if (e->shadow == NULL) {
		e->shadow = kp_xmalloc((size_t)w->nagg *
		    sizeof(struct agg_state));
		memset(e->shadow, 0, (size_t)w->nagg *
		    sizeof(struct agg_state));
		agg_merge(w->agg, w->nagg, e->shadow, e->agg);
	}
}

/* The fixed windows that hold ts into starts[] and ends[]: how many
 * (0: ts falls in a gap between hopping windows). */
static size_t
windows_of(const struct win *w, int64_t ts, int64_t *starts, int64_t *ends)
{
	int64_t s, e;
	size_t all = 0;

	if (w->kind == W_CUMULATE) {
		/* [S, S + k*step) for the S of ts on the size grid, each k
		 * whose window holds ts, the largest last */
		s = win_grid(w, ts, w->size);
		e = s + (ts - s) / w->slide * w->slide + w->slide;
		for (; e <= s + w->size && all < WIN_MAXHOP; e += w->slide)
			starts[all] = s, ends[all++] = e;
	} else {
		/* the latest window start at or before ts on the slide
		 * grid, back to the earliest window that holds ts */
		for (s = win_grid(w, ts, w->slide); s > ts - w->size &&
		    all < WIN_MAXHOP; s -= w->slide)
			starts[all] = s, ends[all++] = s + w->size;
	}
	return all;
}

static int
assign_fixed(struct win *w, int64_t ts, const char *key, size_t keylen,
    const struct agg_in *in)
{
	struct ent **hit = w->slot.hit;
	int64_t *starts = w->slot.start, *ends = w->slot.end;
	uint64_t kh = st_hash(key, keylen), *h = w->slot.hash;
	size_t n = 0, all, fresh = 0, closed = 0, written = 0, i;

	if ((all = windows_of(w, ts, starts, ends)) == 0)
		return WIN_GAP;	/* a gap between hops */
	for (i = 0; i < all; i++) {
		if (w->wfloor != WM_NONE && ends[i] + w->lateness <= w->wfloor) {
			if (w->old)
				written++;	/* in the rows written */
			else
				closed++;	/* closed for good */
			continue;
		}
		if (ends[i] <= w->floor && w->wfloor == WM_NONE) {
			written++;
			continue;	/* written already */
		}
		if (w->event && w->wm != WM_NONE &&
		    ends[i] + w->lateness <= w->wm) {
			closed++;
			continue;	/* that window is closed */
		}
		starts[n] = starts[i];
		ends[n] = ends[i];
		h[n] = kh ^ ((uint64_t)starts[n] * 0x9e3779b97f4a7c15ULL) ^
		    ((uint64_t)(ends[n] - starts[n]) * 0xc2b2ae3d27d4eb4fULL);
		hit[n] = st_find(&w->st, h[n], starts[n], ends[n], key,
		    (uint32_t)keylen);
		fresh += hit[n] == NULL;
		n++;
	}
	if (n == 0)
		return closed > 0 ? WIN_LATE : written > 0 ? WIN_WRITTEN :
		    WIN_OK;
	if (full(w, fresh))
		return WIN_FULL;
	for (i = 0; w->collects && i < n; i++)
		if (hit[i] != NULL && (w->toobig = agg_fits(w->agg, w->nagg,
		    hit[i]->agg)) >= 0)
			return WIN_TOOBIG;
	w->seq++;
	for (i = n; i-- > 0;) {		/* oldest window first */
		if (hit[i] == NULL) {
			hit[i] = st_add(&w->st, h[i], starts[i], ends[i], key,
			    (uint32_t)keylen, ends[i]);
			hit[i]->src = w->src;
		} else if (hit[i]->src != w->src)
			hit[i]->src = WIN_MIXED;
		if (hit[i]->end <= w->floor && !hit[i]->emitted) {
			/* written before the run began: rebuilt, its next
			 * row an update of the one written */
			hit[i]->emitted = hit[i]->shown = 1;
			hit[i]->rebuilt = w->snap != NULL;
			hit[i]->deadline = hit[i]->end + w->lateness;
			st_fix(&w->st, hit[i]);
		} else if (w->old && w->sync_early && !hit[i]->shown) {
			/* open, its early row written with the record in
			 * (sync_early): rebuilt, its next row an update */
			hit[i]->shown = 1;
			hit[i]->rebuilt = w->snap != NULL;
		}
		if (hit[i]->rebuilt && !w->old)	/* before the new record */
			snap(w, hit[i]);
		agg_update(w->agg, w->nagg, hit[i]->agg, in, w->seq);
		if (w->old && hit[i]->shadow != NULL)
			agg_update(w->agg, w->nagg, hit[i]->shadow, in,
			    w->seq);
		if (w->old)
			continue;	/* its rows say it already */
		hit[i]->dirty = 1;
		if (w->event)
			refire(w, hit[i]);
	}
	return WIN_OK;
}

static int
assign_session(struct win *w, int64_t ts, const char *key, size_t keylen,
    const struct agg_in *in)
{
	uint64_t h = st_hash(key, keylen);
	int64_t end = ts + w->size;
	struct ent *e, *next, *into = NULL;

	if (w->event && w->wm != WM_NONE && end + w->lateness <= w->wm)
		return WIN_LATE;
	/* Flink's rule: [ts, ts + gap) merges with every session of the
	 * key it overlaps or touches */
	for (e = st_chain(&w->st, h, NULL); e != NULL; e = next) {
		next = st_chain(&w->st, h, e);
		if (e->keylen != keylen || (keylen > 0 &&
		    memcmp(e->key, key, keylen) != 0) ||
		    e->start > end || e->end < ts)
			continue;
		if (e->emitted && e->end + w->lateness <= w->wm)
			continue;
		if (into == NULL) {
			into = e;
			continue;
		}
		agg_merge(w->agg, w->nagg, into->agg, e->agg);
		if (e->src != into->src)
			into->src = WIN_MIXED;
		if (e->start < into->start)
			into->start = e->start;
		if (e->end > into->end)
			into->end = e->end;
		st_del(&w->st, e);
	}
	if (into == NULL) {
		if (full(w, 1))
			return WIN_FULL;
		into = st_add(&w->st, h, ts, end, key, (uint32_t)keylen, end);
		into->src = w->src;
	} else if (w->collects && (w->toobig = agg_fits(w->agg, w->nagg,
	    into->agg)) >= 0) {
		return WIN_TOOBIG;
	} else {
		if (into->src != w->src)
			into->src = WIN_MIXED;
		if (ts < into->start)
			into->start = ts;
		if (end > into->end)
			into->end = end;
		if (!into->emitted || into->end > w->wm) {
			into->emitted = 0;
			into->deadline = into->end;
		}
		st_fix(&w->st, into);
	}
	w->seq++;
	agg_update(w->agg, w->nagg, into->agg, in, w->seq);
	into->dirty = 1;
	if (w->event)
		refire(w, into);
	return WIN_OK;
}

int
win_add(struct win *w, int64_t ts, const char *key, size_t keylen,
    const struct agg_in *in)
{
	return w->kind == W_SESSION ? assign_session(w, ts, key, keylen, in) :
	    assign_fixed(w, ts, key, keylen, in);
}

void
win_replayed(struct win *w)
{
	struct agg_state *sw;
	struct ent *e;
	size_t i;

	w->replay = 0;
	w->ndue = 0;
	for (i = 0; i < w->st.heap.n; i++) {
		e = w->st.heap.a[i];
		if (e->shadow != NULL) {	/* its last row written */
			sw = e->agg;
			e->agg = e->shadow;
			w->snap(w->arg, e);
			e->agg = sw;
			agg_free(w->agg, w->nagg, e->shadow);
			free(e->shadow);
			e->shadow = NULL;
			e->rebuilt = 0;
		}
		if (e->emitted && e->dirty)
			due(w, e);
	}
	if (w->ndue > 1)
		qsort(w->due, w->ndue, sizeof(*w->due), due_cmp);
	for (i = 0; i < w->ndue; i++)
		refire(w, w->due[i]);
	if (w->flush != NULL)
		w->flush(w->arg);
}

size_t
win_drop(struct win *w)
{
	struct ent *e;
	size_t open = 0;

	while ((e = st_top(&w->st)) != NULL) {
		open += !e->emitted;
		st_del(&w->st, e);
	}
	return open;
}

int
win_mixed(const struct win *w)
{
	size_t i;

	for (i = 0; i < w->st.heap.n; i++)
		if (((struct ent *)w->st.heap.a[i])->src == WIN_MIXED)
			return 1;
	return 0;
}

size_t
win_drop_src(struct win *w, const int32_t *gone, size_t n)
{
	struct ent *e;
	size_t i, j, open = 0;

	w->ndue = 0;	/* found first: a removal reorders the heap */
	for (i = 0; i < w->st.heap.n; i++) {
		e = w->st.heap.a[i];
		for (j = 0; j < n && gone[j] != e->src; j++)
			;
		if (j < n)
			due(w, e);
	}
	for (i = 0; i < w->ndue; i++) {
		open += !w->due[i]->emitted;
		st_del(&w->st, w->due[i]);
	}
	w->ndue = 0;
	return open;
}

void
win_free(struct win *w)
{
	st_free(&w->st);
	free(w->slot.hit);
	free(w->slot.start);
	free(w->slot.end);
	free(w->slot.hash);
	memset(&w->slot, 0, sizeof(w->slot));
	free(w->due);
	w->due = NULL;
	w->duecap = w->ndue = 0;
}
