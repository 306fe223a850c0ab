/* libFuzzer harness: a job's position (common/pos.c), the text window-agg
 * writes on its rows and ksink parses before committing it. Property:
 * every text that parses (one topic or several) is written back by
 * pos_write() to a text that parses to the same position, and that text
 * is written back the same. */
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "pos.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static int
same(const struct pos *a, const struct pos *b)
{
	size_t i;

	if (a->nt != b->nt || a->after != b->after ||
	    strcmp(a->fence, b->fence) != 0 || a->n != b->n)
		return 0;
	for (i = 0; i < a->nt; i++)
		if (strcmp(a->topic[i], b->topic[i]) != 0)
			return 0;
	for (i = 0; i < a->n; i++)
		if (a->p[i].t != b->p[i].t || a->p[i].part != b->p[i].part ||
		    a->p[i].off != b->p[i].off ||
		    a->p[i].wm != b->p[i].wm || a->p[i].next != b->p[i].next ||
		    pos_after(a, i) != pos_after(b, i))
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct pos a = { 0 }, b = { 0 };
	struct buf t1 = { 0 }, t2 = { 0 };
	int64_t af, wm, nx, af2, wm2, nx2;
	char f[POS_FENCEMAX], f2[POS_FENCEMAX];

	/* the same data as a partition's commit metadata */
	if (pos_meta_parse((const char *)data, size, &af, &wm, &nx, f) == 0) {
		pos_meta_write(&t1, af, wm, nx, f);
		if (pos_meta_parse(t1.p, t1.len, &af2, &wm2, &nx2, f2) != 0 ||
		    (af != af2 && !(af == INT64_MIN + 1 && af2 == INT64_MIN)) ||
		    wm != wm2 || nx != nx2 || strcmp(f, f2) != 0)
			abort();
		t1.len = 0;
	}

	if (pos_parse(&a, (const char *)data, size) == 0) {
		pos_write(&t1, &a, a.after, a.p, a.n, a.fence);
		if (pos_parse(&b, t1.p, t1.len) != 0 || !same(&a, &b))
			abort();
		pos_write(&t2, &b, b.after, b.p, b.n, b.fence);
		if (t1.len != t2.len || memcmp(t1.p, t2.p, t1.len) != 0)
			abort();
	}
	pos_free(&a);
	pos_free(&b);
	buf_free(&t1);
	buf_free(&t2);
	return 0;
}
