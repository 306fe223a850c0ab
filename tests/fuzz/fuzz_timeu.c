/* libFuzzer harness: durations, ISO-8601 and epoch times. Property: an
 * ISO time that parses prints (as iso, expanded years too) to a text that
 * parses back to the same instant. */
#include <stdlib.h>
#include <string.h>

#include "timeu.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char s[256], out[TU_FMT_MAX];
	int64_t ms, back;
	size_t n;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)tu_duration(s, &ms);
	(void)tu_from_num(s, size, TU_S, &ms);
	(void)tu_from_num(s, size, TU_US, &ms);
	if (tu_from_iso(s, size, &ms) == 0) {
		n = tu_fmt(ms, TF_ISO, 0, out);
		if (tu_from_iso(out, n, &back) != 0 || back != ms)
			abort();
		(void)tu_fmt(ms, TF_SQL, 0, out);
	}
	return 0;
}
