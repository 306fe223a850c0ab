/* libFuzzer harness: one NDJSON record through the record parser, with
 * and without the compact copy. Properties: no crash, no read outside
 * the input; a record that parses re-parses from its copy to the same
 * copy (the copy is valid, compact JSON). */
#include <stdlib.h>
#include <string.h>

#include "jrec.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct jrec jr, jr2;
	static struct buf copy, copy2;
	static int ready;
	char *line = malloc(size ? size : 1);

	if (!ready) {
		jr_init(&jr);
		jr_init(&jr2);
		jr_addpath(&jr, "a");
		jr_addpath(&jr, "a.b");
		jr_addpath(&jr, "k");
		jr2.any_root = 1;
		ready = 1;
	}
	memcpy(line, data, size);
	jr.copy = NULL;
	(void)jr_parse(&jr, line, size);
	jr.copy = &copy;
	if (jr_parse(&jr, line, size) == 0) {
		jr2.copy = &copy2;
		if (jr_parse(&jr2, copy.p, copy.len) != 0)
			abort();	/* the copy must be valid JSON */
		if (copy2.len != copy.len ||
		    memcmp(copy2.p, copy.p, copy.len) != 0)
			abort();	/* and already compact */
	}
	free(line);
	return 0;
}
