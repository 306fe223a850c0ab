/* jscan.c - the scanner's functions out of line: the quick check, the
 * classifier, and what a reader of the walk calls. */
#include <stdint.h>
#include <string.h>

#include "jscan.h"
#include "jswalk.h"

#if JS_BLOCK == 16
/* js_classify()'s block: into acc[0..3) the bytes above 127, the
 * backslashes, the bytes at or below ' ' (by their high bits) */
typedef __m128i acc_t;
#define ACC_ZERO	_mm_setzero_si128()
#define ACC_ANY(a)	(_mm_movemask_epi8(a) != 0)

static inline __attribute__((always_inline)) void
classblock(const unsigned char *p, acc_t *acc)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

	acc[0] = _mm_or_si128(acc[0], x);
	acc[1] = _mm_or_si128(acc[1], _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
	acc[2] = _mm_or_si128(acc[2], _mm_andnot_si128(x,
	    _mm_cmplt_epi8(x, _mm_set1_epi8(' ' + 1))));
}
#elif JS_BLOCK == 8
/* (the same, by the high bits of each byte) */
typedef uint64_t acc_t;
#define ACC_ZERO	0
#define ACC_ANY(a)	(((a) & JS_HIGHS) != 0)

/* (no false negatives: a borrow flags a byte only above a flagged one) */
static inline __attribute__((always_inline)) void
classblock(const unsigned char *p, acc_t *acc)
{
	uint64_t w, b;

	memcpy(&w, p, 8);
	b = w ^ (JS_ONES * '\\');
	acc[0] |= w;
	acc[1] |= (b - JS_ONES) & ~b;
	acc[2] |= (w - JS_ONES * (' ' + 1)) & ~w;
}
#endif

unsigned
js_classify(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	unsigned r = 0;
#if JS_BLOCK
	acc_t acc[3] = { ACC_ZERO, ACC_ZERO, ACC_ZERO };

	if (n >= JS_BLOCK) {
		for (; e - p >= JS_BLOCK; p += JS_BLOCK)
			classblock(p, acc);
		if (p < e)	/* the rest, in the last block again */
			classblock(e - JS_BLOCK, acc);
		return (ACC_ANY(acc[0]) ? JS_HIGH : 0) |
		    (ACC_ANY(acc[1]) ? JS_BSL : 0) |
		    (ACC_ANY(acc[2]) ? JS_CTL : 0);
	}
#endif
	for (; p < e; p++)
		r |= (*p >= 0x80 ? JS_HIGH : 0) | (*p == '\\' ? JS_BSL : 0) |
		    (*p <= ' ' ? JS_CTL : 0);
	return r;
}

size_t
js_unescape(char *out, const char *s, const char *end)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *e = (const unsigned char *)end;
	unsigned u;
	char *o = out;

	/* (no surrogate escape: string() leaves those undecided, for yajl
	 * pairs them its own way) */
	while (p < e) {
		if (*p != '\\')
			*o++ = (char)*p++;
		else if (p[1] != 'u') {
			*o++ = strchr(esc, p[1])[1];
			p += 2;
		} else {
			js_hex4((const char *)p + 2, &u);
			p += 6;
			if (u < 0x80)
				*o++ = (char)u;
			else if (u < 0x800) {
				*o++ = (char)(0xc0 | u >> 6);
				*o++ = (char)(0x80 | (u & 0x3f));
			} else {
				*o++ = (char)(0xe0 | u >> 12);
				*o++ = (char)(0x80 | (u >> 6 & 0x3f));
				*o++ = (char)(0x80 | (u & 0x3f));
			}
		}
	}
	return (size_t)(o - out);
}

const char *
js_end(const char *p)
{
	int depth = 0;

	for (;; p++)
		switch (*p) {
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return p + 1;
			break;
		case '"':	/* to the closing quote */
			for (p++; *p != '"'; p++)
				if (*p == '\\')
					p++;
			break;
		}
}

/* The string whose opening quote is at p[-1] when it holds no escape, no
 * control character and no byte above 127: the position after its
 * closing quote; else NULL. */
static inline __attribute__((always_inline)) const unsigned char *
plain_string(const unsigned char *p, const unsigned char *b,
    const unsigned char *e)
{
	const unsigned char *q;

	if ((q = js_scanto(p, b, e, 0)) != NULL)
		p = q;
	else
		while (p < e && !js_stop[*p])
			p++;
	return p < e && *p == '"' ? p + 1 : NULL;
}

/* 1 when s[0..n) is an object of members whose keys and string values
 * are plain (plain_string()) and whose other values are numbers, true,
 * false or null, with no white space anywhere: the usual record, all of
 * which js_walk() accepts too; 0 for anything else, which js_walk()
 * then judges. One loop with none of the walk's depth and white space
 * tests. */
static int
flat(const char *s, size_t n)
{
	const unsigned char *b = (const unsigned char *)s, *p = b, *e = b + n;

	if (n < 2 || *p++ != '{')
		return 0;
	if (*p == '}')
		return p + 1 == e;
	for (;;) {
		if (*p != '"' || (p = plain_string(p + 1, b, e)) == NULL ||
		    e - p < 2 || *p++ != ':')
			return 0;
		switch (*p) {
		case '"':
			p = plain_string(p + 1, b, e);
			break;
		case 't':
			p = e - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
			break;
		case 'f':
			p = e - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
			break;
		case 'n':
			p = e - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
			break;
		default:
			p = js_number(p, b, e);
			break;
		}
		if (p == NULL || p == e)
			return 0;
		if (*p == '}')
			return p + 1 == e;
		if (*p++ != ',' || p == e)
			return 0;
	}
}

int
js_quick(const char *s, size_t n)
{
	return flat(s, n) || js_walk(s, n, 1, 0, NULL, NULL);
}
