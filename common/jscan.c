/* jscan.c - a one-pass JSON recogniser for the common case; everything
 * unusual is left to yajl through jr_parse(). */
#include <stdint.h>
#include <string.h>

#include "jscan.h"
#include "jw.h"

/* Bytes that end the quick scan of a string: '"', '\\', control
 * characters (invalid, or a line break), and non-ASCII (to be checked
 * as UTF-8). */
static const unsigned char stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,	/* '\\' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight bytes at a time: the offset of the first byte in p[0..8) that
 * stop[] or nondigit() flags, 8 when none. A flag is exact for the first
 * flagged byte (borrows and carries only reach later bytes). */
static inline __attribute__((always_inline)) unsigned
first(uint64_t flags)
{
	return flags ? (unsigned)__builtin_ctzll(flags) / 8 : 8;
}

static inline __attribute__((always_inline)) unsigned
stop8(const unsigned char *p)
{
	uint64_t w, q, b;

	memcpy(&w, p, 8);
	q = w ^ (ONES * '"');
	b = w ^ (ONES * '\\');
	return first((((q - ONES) & ~q) | ((b - ONES) & ~b) |
	    ((w - ONES * 0x20) & ~w) | w) & HIGHS);
}

static inline __attribute__((always_inline)) unsigned
nondigit8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	w ^= ONES * '0';	/* digits become 0..9 */
	return first(((w + ONES * (0x7f - 9)) | w) & HIGHS);
}
#define SWAR	1
#else
#define SWAR	0
#endif

static inline int
hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	return -1;
}

/* The string whose opening quote is at p[-1]: the position after its
 * closing quote, or NULL. *hi is set when it holds non-ASCII bytes. */
static inline __attribute__((always_inline)) const unsigned char *
string(const unsigned char *p, const unsigned char *e, int *hi)
{
	unsigned cp;
	int i, h;

	for (;;) {
		if (SWAR && e - p >= 8) {
			if ((i = (int)stop8(p)) == 8) {
				p += 8;
				continue;
			}
			p += i;
		} else {
			while (p < e && !stop[*p])
				p++;
			if (p == e)
				return NULL;
		}
		if (*p == '"')
			return p + 1;
		if (*p >= 0x80) {
			*hi = 1;
			p++;
			continue;
		}
		if (*p != '\\' || e - p < 2)
			return NULL;	/* a control character */
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			p += 2;
			break;
		case 'u':
			if (e - p < 6)
				return NULL;
			for (cp = 0, i = 2; i < 6; i++) {
				if ((h = hexval(p[i])) < 0)
					return NULL;
				cp = cp << 4 | (unsigned)h;
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				return NULL;	/* yajl pairs these its own way */
			p += 6;
			break;
		default:
			return NULL;
		}
	}
}

static inline __attribute__((always_inline)) const unsigned char *
digits(const unsigned char *p, const unsigned char *e)
{
	unsigned i;

	while (SWAR && e - p >= 8 && (i = nondigit8(p)) == 8)
		p += 8;
	if (SWAR && e - p >= 8)
		return p + i;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* The number that starts at p: the position after it, or NULL. */
static inline __attribute__((always_inline)) const unsigned char *
number(const unsigned char *p, const unsigned char *e)
{
	const unsigned char *q;

	if (*p == '-' && ++p == e)
		return NULL;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p = digits(p + 1, e);
	else
		return NULL;
	if (p < e && *p == '.') {
		q = p + 1;
		if ((p = digits(q, e)) == q)
			return NULL;
	}
	if (p < e && (*p | 0x20) == 'e') {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		q = p;
		if ((p = digits(q, e)) == q)
			return NULL;
	}
	return p;
}

#define SKIPWS(p, e)	while ((p) < (e) && (*(p) == ' ' || *(p) == '\t')) (p)++

int
js_quick(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	unsigned char stack[JS_MAXDEPTH];	/* '{' or '[' per depth */
	int depth = 0, hi = 0;

value:
	SKIPWS(p, e);
	if (p == e)
		return 0;
	switch (*p) {
	case '{':
		if (depth == JS_MAXDEPTH)
			return 0;
		stack[depth++] = '{';
		p++;
		SKIPWS(p, e);
		if (p < e && *p == '}') {
			depth--;
			p++;
			goto after;
		}
		goto key;
	case '[':
		if (depth == JS_MAXDEPTH)
			return 0;
		stack[depth++] = '[';
		p++;
		SKIPWS(p, e);
		if (p < e && *p == ']') {
			depth--;
			p++;
			goto after;
		}
		goto value;
	case '"':
		if ((p = string(p + 1, e, &hi)) == NULL)
			return 0;
		goto after;
	case 't':
		if (e - p < 4 || memcmp(p, "true", 4) != 0)
			return 0;
		p += 4;
		goto after;
	case 'f':
		if (e - p < 5 || memcmp(p, "false", 5) != 0)
			return 0;
		p += 5;
		goto after;
	case 'n':
		if (e - p < 4 || memcmp(p, "null", 4) != 0)
			return 0;
		p += 4;
		goto after;
	default:
		if ((p = number(p, e)) == NULL)
			return 0;
		goto after;
	}

key:	/* at the key of an object member (spaces skipped) */
	if (p == e || *p != '"' || (p = string(p + 1, e, &hi)) == NULL)
		return 0;
	SKIPWS(p, e);
	if (p == e || *p++ != ':')
		return 0;
	goto value;

after:	/* after a value */
	SKIPWS(p, e);
	if (depth == 0) {
		if (p != e)
			return 0;
		return !hi || jw_utf8ok(s, n);
	}
	if (p == e)
		return 0;
	if (*p == ',') {
		p++;
		if (stack[depth - 1] == '[')
			goto value;
		SKIPWS(p, e);
		goto key;
	}
	if (*p != (stack[depth - 1] == '{' ? '}' : ']'))
		return 0;
	depth--;
	p++;
	goto after;
}
