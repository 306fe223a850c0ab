/* heap.c - an indexed binary min-heap (see heap.h). */
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "kp.h"

static size_t *
place(const struct heap *h, void *item)
{
	return (size_t *)(void *)((char *)item + h->at);
}

static void
set(struct heap *h, size_t i, void *item)
{
	h->a[i] = item;
	*place(h, item) = i;
}

static void
up(struct heap *h, size_t i)
{
	void *x = h->a[i];

	while (i > 0 && h->before(x, h->a[(i - 1) / 2])) {
		set(h, i, h->a[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	set(h, i, x);
}

static void
down(struct heap *h, size_t i)
{
	void *x = h->a[i];
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->before(h->a[c + 1], h->a[c]))
			c++;
		if (!h->before(h->a[c], x))
			break;
		set(h, i, h->a[c]);
		i = c;
	}
	set(h, i, x);
}

/* The item at i to its place, up or down. */
static void
fix(struct heap *h, size_t i)
{
	if (i > 0 && h->before(h->a[i], h->a[(i - 1) / 2]))
		up(h, i);
	else
		down(h, i);
}

void
hp_init(struct heap *h, int (*before)(const void *, const void *),
    size_t at)
{
	memset(h, 0, sizeof(*h));
	h->before = before;
	h->at = at;
}

void
hp_free(struct heap *h)
{
	free(h->a);
	memset(h, 0, sizeof(*h));
}

void
hp_push(struct heap *h, void *item)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->a = kp_xrealloc(h->a, h->cap * sizeof(*h->a));
	}
	set(h, h->n++, item);
	up(h, h->n - 1);
}

void
hp_remove(struct heap *h, void *item)
{
	size_t i = *place(h, item);

	if (i == HP_NONE)
		return;
	*place(h, item) = HP_NONE;
	if (i == --h->n)
		return;
	set(h, i, h->a[h->n]);
	fix(h, i);
}

void
hp_fix(struct heap *h, void *item)
{
	size_t i = *place(h, item);

	if (i == HP_NONE)
		hp_push(h, item);
	else
		fix(h, i);
}
