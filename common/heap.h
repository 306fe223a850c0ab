/* heap.h - a binary min-heap of pointers to the caller's items. Each item
 * keeps its own place in the heap, a size_t at a given offset in it
 * (HP_NONE while it is out), so an item is taken out, or moved after its
 * key changed, in log n. The caller's before() orders the items; the heap
 * never frees them. */
#ifndef HEAP_H
#define HEAP_H

#include <stddef.h>

#define HP_NONE	((size_t)-1)

struct heap {
	void	**a;		/* a[0] comes first */
	size_t	  n, cap;
	int	(*before)(const void *, const void *);
	size_t	  at;		/* offset of an item's place */
};

/* An empty heap ordered by before(x, y): x comes before y. at is the
 * offset of the size_t in an item that holds its place. */
void	hp_init(struct heap *, int (*before)(const void *, const void *),
	    size_t at);
/* Free the heap's array (not the items); hp_init() before reuse. */
void	hp_free(struct heap *);
/* Add an item that is out of the heap; the array grows by doubling. */
void	hp_push(struct heap *, void *item);
/* Take an item out of the heap (nothing if it is out). */
void	hp_remove(struct heap *, void *item);
/* Move an item to its place after its key changed, or add it if out. */
void	hp_fix(struct heap *, void *item);

/* The item that comes first, or NULL when the heap is empty. */
static inline void *
hp_top(const struct heap *h)
{
	return h->n > 0 ? h->a[0] : NULL;
}

#endif
