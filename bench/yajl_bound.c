/* yajl_bound - the parse bound for make bench: read NDJSON on stdin and
 * run yajl's callback parser over every line with callbacks that do
 * nothing. A tool that parses its input cannot be faster than this. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

static int
nop(void *ctx)
{
	(void)ctx;
	return 1;
}

static int
nop_str(void *ctx, const unsigned char *s, size_t n)
{
	(void)ctx, (void)s, (void)n;
	return 1;
}

static int
nop_num(void *ctx, const char *s, size_t n)
{
	(void)ctx, (void)s, (void)n;
	return 1;
}

static int
nop_bool(void *ctx, int b)
{
	(void)ctx, (void)b;
	return 1;
}

static const yajl_callbacks cb = {
	nop, nop_bool, NULL, NULL, nop_num, nop_str, nop, nop_str, nop, nop,
	nop
};

int
main(void)
{
	static char buf[1 << 16];
	yajl_handle h = yajl_alloc(&cb, NULL, NULL);
	size_t n;

	yajl_config(h, yajl_allow_multiple_values, 1);
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (yajl_parse(h, (unsigned char *)buf, n) != yajl_status_ok)
			return 1;
	if (yajl_complete_parse(h) != yajl_status_ok)
		return 1;
	yajl_free(h);
	return 0;
}
