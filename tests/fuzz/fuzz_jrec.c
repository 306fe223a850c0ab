/* libFuzzer harness: one NDJSON record through the record parser, with
 * and without the compact copy. Properties: no crash, no read outside
 * the input; the line is accepted or rejected alike with and without the
 * copy (the fast scanner used without it agrees with yajl), with the
 * same values captured for every path; a record that parses re-parses
 * from its copy to the same copy (the copy is valid, compact JSON). */
#include <stdlib.h>
#include <string.h>

#include "jrec.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static const char *paths[] = { "a", "a.b", "k", "a.b.c", "k", "é.x" };
#define NPATHS	(sizeof(paths) / sizeof(paths[0]))

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct jrec jr, jr2;
	static struct buf copy, copy2, saved;
	static int ready;
	struct jr_val v[NPATHS];
	size_t i, off[NPATHS];
	char *line = malloc(size ? size : 1);
	int rc;

	if (!ready) {
		jr_init(&jr);
		jr_init(&jr2);
		for (i = 0; i < NPATHS; i++)
			jr_addpath(&jr, paths[i]);
		jr2.any_root = 1;
		ready = 1;
	}
	memcpy(line, data, size);
	jr.copy = NULL;
	rc = jr_parse(&jr, line, size);
	saved.len = 0;
	for (i = 0; i < NPATHS; i++) {
		v[i] = jr.val[i];
		off[i] = saved.len;
		if (rc == 0 && v[i].type != JR_NONE && v[i].s != NULL)
			buf_add(&saved, v[i].s, v[i].len);
	}
	jr.copy = &copy;
	if (jr_parse(&jr, line, size) != rc)
		abort();	/* fast scanner and yajl disagree */
	if (rc == 0) {
		for (i = 0; i < NPATHS; i++) {
			if (jr.val[i].type != v[i].type)
				abort();
			if (v[i].type == JR_NONE)
				continue;
			if ((jr.val[i].s == NULL) != (v[i].s == NULL) ||
			    jr.val[i].len != v[i].len || (v[i].len > 0 &&
			    memcmp(jr.val[i].s, saved.p + off[i], v[i].len)))
				abort();
		}
		jr2.copy = &copy2;
		if (jr_parse(&jr2, copy.p, copy.len) != 0)
			abort();	/* the copy must be valid JSON */
		if (copy2.len != copy.len ||
		    memcmp(copy2.p, copy.p, copy.len) != 0)
			abort();	/* and already compact */
		jr2.copy = NULL;
		if (jr_parse(&jr2, line, size) != 0)
			abort();	/* any value parses with any_root */
	}
	free(line);
	return 0;
}
