/* libFuzzer harness: js_quick() against jr_parse(). Property: whatever
 * js_quick() vouches for, jr_parse() (any_root) accepts; and neither
 * reads outside the input. */
#include <stdlib.h>
#include <string.h>

#include "jrec.h"
#include "jscan.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct jrec jr;
	static int ready;
	char *text = malloc(size ? size : 1);

	if (!ready) {
		jr_init(&jr);
		jr.any_root = 1;
		ready = 1;
	}
	memcpy(text, data, size);
	if (js_quick(text, size) && jr_parse(&jr, text, size) != 0)
		abort();	/* vouched for what yajl rejects */
	free(text);
	return 0;
}
