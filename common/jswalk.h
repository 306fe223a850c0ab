/* jswalk.h - the scanner's walk, js_walk() (see jscan.h), inline: a
 * reader whose hooks must inline into it, on the hot path, includes this
 * (jrec.c); anyone else calls js_quick(). */
#ifndef JSWALK_H
#define JSWALK_H

#include <stdint.h>
#include <string.h>

#include "jsdef.h"
#include "jw.h"

/* Bytes that end the quick scan of a string: '"', '\\', control
 * characters (invalid, or a line break), and non-ASCII (to be checked
 * as UTF-8). */
static const unsigned char js_stop[256] = {
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

/* The one byte classifier, a block of bytes at a time: js_stopbits() and
 * js_nondigits() flag the bytes of p[0..JS_BLOCK) that js_stop[] flags, or that
 * are not digits, with JS_BPB bits a byte from the lowest up (jscan.c's classblock()
 * gathers what js_classify() tells about a whole line). */
#if defined(__SSE2__)
#include <emmintrin.h>

#define JS_BLOCK	16
#define JS_BPB	1
typedef unsigned js_bits_t;

static inline __attribute__((always_inline)) js_bits_t
js_stopbits(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

	/* signed: bytes from 0x80 up are below 0x20 too */
	return (js_bits_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
	    _mm_cmplt_epi8(x, _mm_set1_epi8(0x20))));
}

static inline __attribute__((always_inline)) js_bits_t
js_nondigits(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

	return ~(js_bits_t)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
	    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)))) & 0xffff;
}

#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JS_BLOCK	8
#define JS_BPB	8
#define JS_ONES	0x0101010101010101ULL
#define JS_HIGHS	0x8080808080808080ULL
typedef uint64_t js_bits_t;

/* Exact for the first flagged byte only: a borrow or a carry may flag a
 * later one. That is enough: a byte flagged wrongly ends the quick scan
 * of a string or a number early, and the text is left undecided. */
static inline __attribute__((always_inline)) js_bits_t
js_stopbits(const unsigned char *p)
{
	uint64_t w, q, b;

	memcpy(&w, p, 8);
	q = w ^ (JS_ONES * '"');
	b = w ^ (JS_ONES * '\\');
	return (((q - JS_ONES) & ~q) | ((b - JS_ONES) & ~b) |
	    ((w - JS_ONES * 0x20) & ~w) | w) & JS_HIGHS;
}

static inline __attribute__((always_inline)) js_bits_t
js_nondigits(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	w ^= JS_ONES * '0';	/* digits become 0..9 */
	return ((w + JS_ONES * (0x7f - 9)) | w) & JS_HIGHS;
}

#else
#define JS_BLOCK	0	/* a byte at a time */
#define JS_BPB	1
typedef unsigned js_bits_t;
#define js_stopbits(p)	0
#define js_nondigits(p)	0
#endif


/* The first byte of p[0..e) that js_stop[] flags (digit 0), or that is not
 * a digit (digit 1); e when none. The text starts at b: near its end the
 * last block of it is tested. NULL: too short, go a byte at a time. */
static inline __attribute__((always_inline)) const unsigned char *
js_scanto(const unsigned char *p, const unsigned char *b, const unsigned char *e,
    int digit)
{
	js_bits_t m;
	size_t back;

	if (!JS_BLOCK)
		return NULL;
	while (e - p >= JS_BLOCK) {
		m = digit ? js_nondigits(p) : js_stopbits(p);
		if (m != 0)
			return p + (unsigned)__builtin_ctzll(m) / JS_BPB;
		p += JS_BLOCK;
	}
	if (p == e || e - b < JS_BLOCK)
		return p == e ? e : NULL;
	back = (size_t)(JS_BLOCK - (e - p));
	m = (digit ? js_nondigits(e - JS_BLOCK) : js_stopbits(e - JS_BLOCK)) >>
	    (back * JS_BPB);
	return m != 0 ? p + (unsigned)__builtin_ctzll(m) / JS_BPB : e;
}

/* The string whose opening quote is at p[-1]: the position after its
 * closing quote, or NULL. *hi is set when it holds non-ASCII bytes,
 * *esc when it holds an escape. */
static inline __attribute__((always_inline)) const unsigned char *
js_string(const unsigned char *p, const unsigned char *b,
    const unsigned char *e, int *hi, int *esc)
{
	const unsigned char *q;
	unsigned cp;

	for (;;) {
		if ((q = js_scanto(p, b, e, 0)) != NULL)
			p = q;
		else
			while (p < e && !js_stop[*p])
				p++;
		if (p == e)
			return NULL;
		if (*p == '"')
			return p + 1;
		if (*p >= 0x80) {
			*hi = 1;
			p++;
			continue;
		}
		if (*p != '\\' || e - p < 2)
			return NULL;	/* a control character */
		*esc = 1;
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			p += 2;
			break;
		case 'u':
			if (e - p < 6 || !js_hex4((const char *)p + 2, &cp))
				return NULL;
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
js_digits(const unsigned char *p, const unsigned char *b, const unsigned char *e)
{
	const unsigned char *q;

	if ((q = js_scanto(p, b, e, 1)) != NULL)
		return q;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* The number that starts at p: the position after it, or NULL. */
static inline __attribute__((always_inline)) const unsigned char *
js_number(const unsigned char *p, const unsigned char *b,
    const unsigned char *e)
{
	const unsigned char *q;

	if (*p == '-' && ++p == e)
		return NULL;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p = js_digits(p + 1, b, e);
	else
		return NULL;
	if (p < e && *p == '.') {
		q = p + 1;
		if ((p = js_digits(q, b, e)) == q)
			return NULL;
	}
	if (p < e && (*p | 0x20) == 'e') {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		q = p;
		if ((p = js_digits(q, b, e)) == q)
			return NULL;
	}
	return p;
}

#define JS_SKIPWS(p, e)	while ((p) < (e) && (*(p) == ' ' || *(p) == '\t')) (p)++

/* (in js_walk()) the type of the container that holds the value at
 * depth (> 0), and what follows into the container at depth d */
#define JS_IN(d)	(stack[(d) - 1] == '{' ? JS_OBJ : JS_ARR)
#define JS_NEXT(d)	((d) <= JS_MAXFOLLOW ? next[d] : 0)
/* (with no reader, nothing is followed: a constant rd of NULL, as
 * js_quick()'s, leaves next[] and its reads out of the walk) */
#define JS_FOLLOW(d)	(rd != NULL ? JS_NEXT(d) : 0)

/* 1 when p[0..n) is one JSON value (an object, or any type with
 * any_root), optionally surrounded by spaces and tabs, on one line (no CR
 * or LF anywhere), with strictly valid UTF-8 and no \u escape of a
 * surrogate, and rd's hooks (NULL: none) all returned 1; 0: undecided.
 * root: what is followed into the members of the root object. */
static inline __attribute__((always_inline)) int
js_walk(const char *s, size_t n, int any_root, uint32_t root,
    const struct js_reader *rd, void *ctx)
{
	const unsigned char *b = (const unsigned char *)s, *p = b, *e = b + n;
	const unsigned char *v, *k;
	unsigned char stack[JS_MAXDEPTH];	/* '{' or '[' per depth */
	uint32_t next[JS_MAXFOLLOW + 1];	/* per container depth */
	uint32_t want = 0, m;	/* (nothing ends at the root) */
	const char *lit;
	size_t kn, ln;
	int depth = 0, hi = 0, esc, type;

	if (!any_root) {
		JS_SKIPWS(p, e);
		if (p == e || *p != '{')
			return 0;
	}
value:	/* at a value; want: what follows it */
	JS_SKIPWS(p, e);
	if (p == e)
		return 0;
	v = p;
	switch (*p) {
	case '{':
	case '[':	/* (its closing byte is 2 on: '}' or ']') */
		if (depth == JS_MAXDEPTH)
			return 0;
		type = *p == '{' ? JS_OBJ : JS_ARR;
		m = 0;
		if (depth == 0)
			m = type == JS_OBJ ? root : 0;
		else if (want != 0) {
			if (!rd->value(ctx, want, depth, JS_IN(depth), type,
			    (const char *)p, 0, 0))
				return 0;
			m = rd->inner(ctx, want, depth, type);
		}
		if (rd != NULL && depth <= JS_MAXFOLLOW)
			next[depth] = m;
		stack[depth++] = *p++;
		JS_SKIPWS(p, e);
		if (p < e && *p == stack[depth - 1] + 2) {
			depth--;
			p++;
			goto after;
		}
		if (type == JS_OBJ)
			goto key;
		want = JS_FOLLOW(depth - 1);
		goto value;
	case '"':
		esc = 0;
		if ((p = js_string(p + 1, b, e, &hi, &esc)) == NULL)
			return 0;
		if (want != 0 && !rd->value(ctx, want, depth, JS_IN(depth),
		    JS_STR, (const char *)v + 1, (size_t)(p - v - 2), esc))
			return 0;
		goto after;
	case 't':
	case 'f':
	case 'n':
		lit = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
		ln = *p == 'f' ? 5 : 4;
		if ((size_t)(e - p) < ln || memcmp(p, lit, ln) != 0)
			return 0;
		p += ln;
		if (want != 0 && !rd->value(ctx, want, depth, JS_IN(depth),
		    *v == 'n' ? JS_NULL : JS_BOOL, (const char *)v, ln, 0))
			return 0;
		goto after;
	default:
		if ((p = js_number(p, b, e)) == NULL)
			return 0;
		if (want != 0 && !rd->value(ctx, want, depth, JS_IN(depth),
		    JS_NUM, (const char *)v, (size_t)(p - v), 0))
			return 0;
		goto after;
	}

key:	/* at the key of an object member (spaces skipped) */
	if (p == e || *p != '"')
		return 0;
	k = p + 1;
	esc = 0;
	if ((p = js_string(p + 1, b, e, &hi, &esc)) == NULL)
		return 0;
	kn = (size_t)(p - k - 1);
	JS_SKIPWS(p, e);
	if (p == e || *p++ != ':')
		return 0;
	/* the object is at depth - 1 */
	want = 0;
	if ((m = JS_FOLLOW(depth - 1)) != 0) {
		if (esc)
			return 0;	/* compared decoded, by yajl */
		want = rd->member(ctx, m, depth, (const char *)k, kn);
	}
	goto value;

after:	/* after a value */
	JS_SKIPWS(p, e);
	if (depth == 0) {
		if (p != e || (hi && !jw_utf8ok(s, n)))
			return 0;
		if (rd != NULL && rd->done != NULL)
			rd->done(ctx);
		return 1;
	}
	if (p == e)
		return 0;
	if (*p == ',') {
		p++;
		if (stack[depth - 1] == '[') {
			want = JS_FOLLOW(depth - 1);
			goto value;
		}
		JS_SKIPWS(p, e);
		goto key;
	}
	if (*p != stack[depth - 1] + 2)
		return 0;
	depth--;
	p++;
	goto after;
}

#endif
