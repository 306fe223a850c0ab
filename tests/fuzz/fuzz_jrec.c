/* libFuzzer harness: one NDJSON record through the record parser in its
 * three modes: without a copy (the quick scanner, yajl for the rest),
 * with the compact copy, and with the copy reusing a line that is compact
 * already (each mode with its own parser). Properties: no crash, no read
 * outside the input; every mode accepts or rejects the line alike; the
 * quick scanner captures the same values as yajl; reuse gives the same
 * text and value spans as the copy; the copy is valid, compact JSON; a
 * line that parses is a value to a parser taking any root. */
#include <stdlib.h>
#include <string.h>

#include "jrec.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static const char *paths[] = { "a", "a.b", "k", "a.b.c", "k", "é.x" };
#define NPATHS	(sizeof(paths) / sizeof(paths[0]))

static int
same(const struct jr_val *a, const struct jr_val *b)
{
	if (a->type != b->type)
		return 0;
	if (a->type == JR_NONE)
		return 1;
	return (a->s == NULL) == (b->s == NULL) && a->len == b->len &&
	    (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct jrec jr, jrc, jrr, jr2;
	static struct buf copy, copyr, copy2;
	static int ready;
	char *line = malloc(size ? size : 1);
	size_t i;
	int rc;

	if (!ready) {
		jr_init(&jr);
		jr_init(&jrc);
		jr_init(&jrr);
		jr_init(&jr2);
		for (i = 0; i < NPATHS; i++) {
			jr_addpath(&jr, paths[i]);
			jr_addpath(&jrc, paths[i]);
			jr_addpath(&jrr, paths[i]);
		}
		jrc.copy = &copy;
		jrr.copy = &copyr;
		jrr.reuse = 1;
		jr2.any_root = 1;
		ready = 1;
	}
	memcpy(line, data, size);
	rc = jr_parse(&jr, line, size);
	if (jr_parse(&jrc, line, size) != rc)
		abort();	/* the quick scanner and yajl disagree */
	if (jr_parse(&jrr, line, size) != rc)
		abort();	/* the same outcome with reuse */
	if (rc == 0) {
		for (i = 0; i < NPATHS; i++)
			if (!same(&jr.val[i], &jrc.val[i]))
				abort();	/* the same values captured */
		if (jrr.tlen != copy.len || (copy.len > 0 &&
		    memcmp(jrr.text, copy.p, copy.len) != 0))
			abort();	/* reuse: the same copy, or the line */
		for (i = 0; i < NPATHS; i++)
			if (!same(&jrr.val[i], &jrc.val[i]) ||
			    (jrc.val[i].type != JR_NONE &&
			    (jrr.val[i].off != jrc.val[i].off ||
			    jrr.val[i].end != jrc.val[i].end)))
				abort();
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
