/* window.c - the (window, key) hash table and the deadline heap. */
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "window.h"

void
st_init(struct store *s, int nagg)
{
	memset(s, 0, sizeof(*s));
	s->nagg = nagg;
	s->mask = 1023;
	s->tab = calloc(s->mask + 1, sizeof(*s->tab));
	if (s->tab == NULL)
		abort();
}

static void
ent_free(struct store *s, struct ent *e)
{
	int i;

	for (i = 0; i < s->nagg; i++)
		free(e->agg[i].txt);
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
	free(s->heap);
	memset(s, 0, sizeof(*s));
}

/* FNV-1a, then a final mix: keys are short. */
uint64_t
st_hash(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001b3ULL;
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
	struct ent **nt = calloc(nmask + 1, sizeof(*nt)), *e, *n;

	if (nt == NULL)
		abort();
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
before(const struct ent *a, const struct ent *b)
{
	return a->deadline < b->deadline ||
	    (a->deadline == b->deadline && a->end < b->end);
}

static void
hset(struct store *s, size_t i, struct ent *e)
{
	s->heap[i] = e;
	e->heapi = i;
}

static void
up(struct store *s, size_t i)
{
	struct ent *e = s->heap[i];

	while (i > 0 && before(e, s->heap[(i - 1) / 2])) {
		hset(s, i, s->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	hset(s, i, e);
}

static void
down(struct store *s, size_t i)
{
	struct ent *e = s->heap[i];
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= s->hn)
			break;
		if (c + 1 < s->hn && before(s->heap[c + 1], s->heap[c]))
			c++;
		if (!before(s->heap[c], e))
			break;
		hset(s, i, s->heap[c]);
		i = c;
	}
	hset(s, i, e);
}

void
st_push(struct store *s, struct ent *e)
{
	if (s->hn == s->hcap) {
		s->hcap = s->hcap ? s->hcap * 2 : 1024;
		s->heap = kp_xrealloc(s->heap, s->hcap * sizeof(*s->heap));
	}
	hset(s, s->hn++, e);
	up(s, e->heapi);
}

void
st_unheap(struct store *s, struct ent *e)
{
	size_t i = e->heapi;

	if (i == (size_t)-1)
		return;
	e->heapi = (size_t)-1;
	if (--s->hn == i)
		return;
	hset(s, i, s->heap[s->hn]);
	up(s, i);
	down(s, s->heap[i]->heapi);
}

void
st_fix(struct store *s, struct ent *e)
{
	if (e->heapi == (size_t)-1) {
		st_push(s, e);
		return;
	}
	up(s, e->heapi);
	down(s, e->heapi);
}

struct ent *
st_top(struct store *s)
{
	return s->hn > 0 ? s->heap[0] : NULL;
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
