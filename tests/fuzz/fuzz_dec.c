/* libFuzzer harness: decimal parsing and printing. Property: for every
 * text that parses, print(parse(x)) parses back to the same value and
 * prints the same text; arithmetic on it never crashes. */
#include <stdlib.h>
#include <string.h>

#include "dec.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct dec a, b, r;
	char t1[DEC_FMT_MAX], t2[DEC_FMT_MAX];
	size_t n1, n2, half = size / 2;

	if (dec_parse(&a, (const char *)data, size) == DEC_OK) {
		n1 = dec_fmt(&a, t1);
		if (dec_parse(&b, t1, n1) != DEC_OK || dec_cmp(&a, &b) != 0)
			abort();
		n2 = dec_fmt(&b, t2);
		if (n1 != n2 || memcmp(t1, t2, n1) != 0)
			abort();
	}
	if (dec_parse(&a, (const char *)data, half) == DEC_OK &&
	    dec_parse(&b, (const char *)data + half, size - half) == DEC_OK) {
		(void)dec_add(&r, &a, &b);
		(void)dec_mul(&r, &a, &b);
		(void)dec_div(&r, &a, &b);
		dec_round(&r, 2);
		(void)dec_fmt(&r, t1);
		(void)dec_to_double(&r);
	}
	return 0;
}
