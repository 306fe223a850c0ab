/* Unit tests for common/heap.c: random pushes, removals and key changes
 * against a plain scan for the least item. */
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "heap.h"

struct item {
	int	 key, id;
	size_t	 at;
};

static int
before(const void *x, const void *y)
{
	const struct item *a = x, *b = y;

	return a->key < b->key || (a->key == b->key && a->id < b->id);
}

/* Every item in the heap is where its place says, none after its
 * parent, and the top is the least of those in. */
static int
sound(const struct heap *h, const struct item *it, int n)
{
	const struct item *least = NULL;
	size_t i;
	int k, in = 0;

	for (i = 0; i < h->n; i++)
		if (((struct item *)h->a[i])->at != i ||
		    (i > 0 && before(h->a[i], h->a[(i - 1) / 2])))
			return 0;
	for (k = 0; k < n; k++) {
		if (it[k].at == HP_NONE)
			continue;
		in++;
		if (least == NULL || before(&it[k], least))
			least = &it[k];
	}
	return (size_t)in == h->n && hp_top(h) == least;
}

int
main(void)
{
	enum { N = 200 };
	struct item it[N];
	struct heap h;
	uint32_t r = 12345;
	int k, step, ok = 1;

	hp_init(&h, before, offsetof(struct item, at));
	check(hp_top(&h) == NULL);
	for (k = 0; k < N; k++) {
		it[k].id = k;
		it[k].key = 0;
		it[k].at = HP_NONE;
	}
	hp_remove(&h, &it[0]);	/* out already: nothing */
	check(h.n == 0 && it[0].at == HP_NONE);
	for (step = 0; step < 20000 && ok; step++) {
		r = r * 1103515245 + 12345;
		k = (int)(r >> 8) % N;
		switch ((r >> 24) % 4) {
		case 0:
			if (it[k].at == HP_NONE)
				hp_push(&h, &it[k]);
			break;
		case 1:
			hp_remove(&h, &it[k]);
			check(it[k].at == HP_NONE);
			break;
		default:	/* a new key, up or down, in or out */
			it[k].key = (int)(r >> 12) % 50;
			hp_fix(&h, &it[k]);
			check(it[k].at != HP_NONE);
			break;
		}
		ok = sound(&h, it, N);
	}
	check(ok);
	/* popping gives the items in order */
	for (k = 0; hp_top(&h) != NULL; k++) {
		struct item *t = hp_top(&h);

		hp_remove(&h, t);
		check(hp_top(&h) == NULL || !before(hp_top(&h), t));
	}
	check(k > 0 && h.n == 0);
	hp_free(&h);
	return check_done("heap");
}
