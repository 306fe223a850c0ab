/* libFuzzer harness: one NDJSON record through the record parser, with
 * and without the compact copy. Properties: no crash, no read outside
 * the input; a record that parses re-parses from its copy to the same
 * copy (the copy is valid, compact JSON); with reuse, the same outcome,
 * text and value spans as with the copy (each mode has its own parser,
 * as yajl may carry state from one line to the next). */
#include <stdlib.h>
#include <string.h>

#include "jrec.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct jrec jr, jrc, jrr, jr2;
	static struct buf copy, copyr, copy2;
	static int ready;
	char *line = malloc(size ? size : 1);
	int i, rc;

	if (!ready) {
		jr_init(&jr);
		jr_init(&jrc);
		jr_init(&jrr);
		jr_init(&jr2);
		jr_addpath(&jr, "a");
		jr_addpath(&jr, "a.b");
		jr_addpath(&jr, "k");
		jr_addpath(&jrc, "a");
		jr_addpath(&jrc, "a.b");
		jr_addpath(&jrc, "k");
		jr_addpath(&jrr, "a");
		jr_addpath(&jrr, "a.b");
		jr_addpath(&jrr, "k");
		jrc.copy = &copy;
		jrr.copy = &copyr;
		jrr.reuse = 1;
		jr2.any_root = 1;
		jr2.copy = &copy2;
		ready = 1;
	}
	memcpy(line, data, size);
	(void)jr_parse(&jr, line, size);
	rc = jr_parse(&jrc, line, size);
	if (jr_parse(&jrr, line, size) != rc)
		abort();	/* the same outcome with reuse */
	if (rc == 0) {
		if (jr_parse(&jr2, copy.p, copy.len) != 0)
			abort();	/* the copy must be valid JSON */
		if (copy2.len != copy.len ||
		    memcmp(copy2.p, copy.p, copy.len) != 0)
			abort();	/* and already compact */
		if (jrr.tlen != copy.len || (copy.len > 0 &&
		    memcmp(jrr.text, copy.p, copy.len) != 0))
			abort();	/* reuse: the same copy, or the line */
		for (i = 0; i < jrc.npaths; i++)
			if (jrr.val[i].type != jrc.val[i].type ||
			    (jrc.val[i].type != JR_NONE &&
			    (jrr.val[i].off != jrc.val[i].off ||
			    jrr.val[i].end != jrc.val[i].end ||
			    jrr.val[i].len != jrc.val[i].len ||
			    (jrc.val[i].s != NULL &&
			    memcmp(jrr.val[i].s, jrc.val[i].s,
			    jrc.val[i].len) != 0))))
				abort();
	}
	free(line);
	return 0;
}
