/* jscan.c - a one-pass JSON recogniser for the common case; everything
 * unusual is left to yajl through jr_parse(). */
#include <stdint.h>
#include <string.h>

#include "jrec.h"
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

/* The one byte classifier, a block of bytes at a time: stopbits() and
 * nondigitbits() flag the bytes of p[0..BLOCK) that stop[] flags, or that
 * are not digits, with BPB bits a byte from the lowest up; classblock()
 * gathers what js_classify() tells about a whole line. */
#if defined(__SSE2__)
#include <emmintrin.h>

#define BLOCK	16
#define BPB	1
typedef unsigned bits_t;

static inline __attribute__((always_inline)) bits_t
stopbits(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

	/* signed: bytes from 0x80 up are below 0x20 too */
	return (bits_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
	    _mm_cmplt_epi8(x, _mm_set1_epi8(0x20))));
}

static inline __attribute__((always_inline)) bits_t
nondigitbits(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

	return ~(bits_t)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
	    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)))) & 0xffff;
}

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
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BLOCK	8
#define BPB	8
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
typedef uint64_t bits_t;

/* Exact for the first flagged byte only: a borrow or a carry may flag a
 * later one. That is enough: a byte flagged wrongly ends the quick scan
 * of a string or a number early, and the text goes to jr_parse(). */
static inline __attribute__((always_inline)) bits_t
stopbits(const unsigned char *p)
{
	uint64_t w, q, b;

	memcpy(&w, p, 8);
	q = w ^ (ONES * '"');
	b = w ^ (ONES * '\\');
	return (((q - ONES) & ~q) | ((b - ONES) & ~b) |
	    ((w - ONES * 0x20) & ~w) | w) & HIGHS;
}

static inline __attribute__((always_inline)) bits_t
nondigitbits(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	w ^= ONES * '0';	/* digits become 0..9 */
	return ((w + ONES * (0x7f - 9)) | w) & HIGHS;
}

typedef uint64_t acc_t;
#define ACC_ZERO	0
#define ACC_ANY(a)	(((a) & HIGHS) != 0)

/* (no false negatives: a borrow flags a byte only above a flagged one) */
static inline __attribute__((always_inline)) void
classblock(const unsigned char *p, acc_t *acc)
{
	uint64_t w, b;

	memcpy(&w, p, 8);
	b = w ^ (ONES * '\\');
	acc[0] |= w;
	acc[1] |= (b - ONES) & ~b;
	acc[2] |= (w - ONES * (' ' + 1)) & ~w;
}
#else
#define BLOCK	0	/* a byte at a time */
#define BPB	1
typedef unsigned bits_t;
#define stopbits(p)	0
#define nondigitbits(p)	0
#endif

unsigned
js_classify(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	unsigned r = 0;
#if BLOCK
	acc_t acc[3] = { ACC_ZERO, ACC_ZERO, ACC_ZERO };

	if (n >= BLOCK) {
		for (; e - p >= BLOCK; p += BLOCK)
			classblock(p, acc);
		if (p < e)	/* the rest, in the last block again */
			classblock(e - BLOCK, acc);
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

/* The first byte of p[0..e) that stop[] flags (digit 0), or that is not
 * a digit (digit 1); e when none. The text starts at b: near its end the
 * last block of it is tested. NULL: too short, go a byte at a time. */
static inline __attribute__((always_inline)) const unsigned char *
scan(const unsigned char *p, const unsigned char *b, const unsigned char *e,
    int digit)
{
	bits_t m;
	size_t back;

	if (!BLOCK)
		return NULL;
	while (e - p >= BLOCK) {
		m = digit ? nondigitbits(p) : stopbits(p);
		if (m != 0)
			return p + (unsigned)__builtin_ctzll(m) / BPB;
		p += BLOCK;
	}
	if (p == e || e - b < BLOCK)
		return p == e ? e : NULL;
	back = (size_t)(BLOCK - (e - p));
	m = (digit ? nondigitbits(e - BLOCK) : stopbits(e - BLOCK)) >>
	    (back * BPB);
	return m != 0 ? p + (unsigned)__builtin_ctzll(m) / BPB : e;
}

int
js_hex4(const char *s, unsigned *u)
{
	int i, c;

	*u = 0;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return 0;
		*u = *u << 4 | (unsigned)c;
	}
	return 1;
}

/* The string whose opening quote is at p[-1]: the position after its
 * closing quote, or NULL. *hi is set when it holds non-ASCII bytes,
 * *esc when it holds an escape. */
static inline __attribute__((always_inline)) const unsigned char *
string(const unsigned char *p, const unsigned char *b,
    const unsigned char *e, int *hi, int *esc)
{
	const unsigned char *q;
	unsigned cp;

	for (;;) {
		if ((q = scan(p, b, e, 0)) != NULL)
			p = q;
		else
			while (p < e && !stop[*p])
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
digits(const unsigned char *p, const unsigned char *b, const unsigned char *e)
{
	const unsigned char *q;

	if ((q = scan(p, b, e, 1)) != NULL)
		return q;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* The number that starts at p: the position after it, or NULL. */
static inline __attribute__((always_inline)) const unsigned char *
number(const unsigned char *p, const unsigned char *b,
    const unsigned char *e)
{
	const unsigned char *q;

	if (*p == '-' && ++p == e)
		return NULL;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p = digits(p + 1, b, e);
	else
		return NULL;
	if (p < e && *p == '.') {
		q = p + 1;
		if ((p = digits(q, b, e)) == q)
			return NULL;
	}
	if (p < e && (*p | 0x20) == 'e') {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		q = p;
		if ((p = digits(q, b, e)) == q)
			return NULL;
	}
	return p;
}

#define SKIPWS(p, e)	while ((p) < (e) && (*(p) == ' ' || *(p) == '\t')) (p)++

/* Record the value at depth for the paths in cand that end there. 0
 * when one of them was seen already (jr_parse() says so). */
static inline __attribute__((always_inline)) int
capture(struct jrec *jr, uint32_t cand, int depth, int type, const char *s,
    size_t len)
{
	uint32_t got;

	return jr_claim(jr, cand, depth, type, s, len, &got) == 0;
}

/* The text p[0..e) of a string that string() found valid and holding
 * escapes, decoded onto jr->scratch (no surrogate escape: string() leaves
 * those to yajl, which pairs them its own way); its offset there. */
static size_t
decode(struct jrec *jr, const unsigned char *p, const unsigned char *e)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t off;
	unsigned u;
	char *o;

	/* (decoded, it is no longer) */
	if (jr->scratch.cap - jr->scratch.len < (size_t)(e - p))
		buf_grow(&jr->scratch, (size_t)(e - p));
	off = jr->scratch.len;
	o = jr->scratch.p + off;
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
	jr->scratch.len = (size_t)(o - jr->scratch.p);
	return off;
}

/* A string with escapes, p[0..e), for the paths in cand that end at
 * depth: decoded, their val[].off holds its offset in scratch until
 * js_scan() ends well, and *got the paths. 0 when one was seen already. */
static int __attribute__((noinline))
capture_escaped(struct jrec *jr, uint32_t cand, int depth,
    const unsigned char *p, const unsigned char *e, uint32_t *got)
{
	size_t off = decode(jr, p, e);
	uint32_t m;

	if (jr_claim(jr, cand, depth, JR_STR, NULL, jr->scratch.len - off,
	    &m) < 0)
		return 0;
	*got |= m;
	for (; m != 0; m &= m - 1)
		jr->val[__builtin_ctz(m)].off = off;
	return 1;
}

/* The elements of the array at v, read whole for path i, into jr->elem[]
 * (a decoded string's s is NULL and soff its place in scratch until
 * js_scan() ends well): 0 unless they are strings and nulls, all that a
 * reader of elements takes, and valid (else yajl's reader says why).
 * js_scan() goes over them again. */
static int
elements(struct jrec *jr, int i, const unsigned char *b,
    const unsigned char *v, const unsigned char *e)
{
	struct jr_elem el = { i, JR_NULL, NULL, 0, (size_t)-1 };
	const unsigned char *p = v + 1, *q;
	int hi, esc;

	for (;;) {
		SKIPWS(p, e);
		if (p == e)
			return 0;
		if (*p == '"') {
			esc = 0;
			if ((q = string(p + 1, b, e, &hi, &esc)) == NULL)
				return 0;
			el.type = JR_STR;
			el.s = esc ? NULL : (const char *)p + 1;
			el.len = (size_t)(q - p - 2);
			if (esc) {
				el.soff = decode(jr, p + 1, q - 1);
				el.len = jr->scratch.len - el.soff;
			}
			p = q;
		} else if (e - p >= 4 && memcmp(p, "null", 4) == 0) {
			el.type = JR_NULL;
			el.s = NULL;
			el.len = 0;
			p += 4;
		} else
			return 0;
		if (jr->nelem++ == 0)
			jr->elems.len = 0;
		buf_add(&jr->elems, &el, sizeof(el));
		el.soff = (size_t)-1;
		SKIPWS(p, e);
		if (p < e && *p == ']')
			return 1;
		if (p == e || *p++ != ',')
			return 0;
	}
}

/* An object or array at v, at depth, with paths read whole among those
 * in cand ending there: captured, with the start of its span in val[].off
 * (js_scan() finds its end when the line is through, for the paths it
 * adds to *wmask), and an array's elements. 0: leave the line to
 * jr_parse() (a field given twice, elements other than strings and
 * nulls). */
static int __attribute__((noinline))
capture_whole(struct jrec *jr, uint32_t cand, int depth, int type,
    const unsigned char *b, const unsigned char *v, const unsigned char *e,
    uint32_t *wmask)
{
	const unsigned char *q = v + 1;
	uint32_t m;
	int i;

	if (jr_claim(jr, cand, depth, type, NULL, 0, &m) < 0)
		return 0;
	if ((m &= jr->whole) == 0)
		return 1;
	SKIPWS(q, e);
	*wmask |= m;
	for (; m != 0; m &= m - 1) {
		i = __builtin_ctz(m);
		jr->val[i].off = (size_t)(v - b);
		if (type == JR_ARR && (q == e || *q != ']') &&
		    !elements(jr, i, b, v, e))
			return 0;
	}
	return 1;
}

/* The elements' strings decoded onto scratch, in place now. */
static void __attribute__((noinline))
elements_done(struct jrec *jr)
{
	struct jr_elem *el = (struct jr_elem *)(void *)jr->elems.p;
	size_t i;

	jr->elem = el;
	for (i = 0; i < jr->nelem; i++)
		if (el[i].soff != (size_t)-1)
			el[i].s = jr->scratch.p + el[i].soff;
}

/* The end of the valid JSON object or array that starts at p: past its
 * closing byte. */
static const unsigned char *
close_of(const unsigned char *p)
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

int
js_scan(const char *s, size_t n, struct jrec *jr)
{
	const unsigned char *b = (const unsigned char *)s, *p = b, *e = b + n;
	const unsigned char *v, *k = NULL;
	const struct jr_path *jp;
	unsigned char stack[JS_MAXDEPTH];	/* '{' or '[' per depth */
	uint32_t next[JR_MAXCOMP + 1];	/* per object depth: its paths */
	uint32_t cand, m, escm = 0, wmask = 0;
	const char *lit;
	size_t kn = 0, ln;
	int depth = 0, hi = 0, esc, i;

	cand = jr == NULL || jr->npaths == 0 ? 0 : jr->npaths == 32 ?
	    0xffffffffu : ((uint32_t)1 << jr->npaths) - 1;
	if (jr != NULL && !jr->any_root) {
		SKIPWS(p, e);
		if (p == e || *p != '{')
			return 0;
	}
value:	/* at a value; cand: the paths that would end in it */
	SKIPWS(p, e);
	if (p == e)
		return 0;
	v = p;
	switch (*p) {
	case '{':
	case '[':	/* (its closing byte is 2 on: '}' or ']') */
		if (depth == JS_MAXDEPTH)
			return 0;
		/* (no path ends at the root) */
		if (depth > 0 && cand != 0 && ((cand & jr->whole) != 0 ?
		    !capture_whole(jr, cand, depth, *p == '{' ? JR_OBJ :
		    JR_ARR, b, p, e, &wmask) :
		    !capture(jr, cand, depth, *p == '{' ? JR_OBJ : JR_ARR,
		    NULL, 0)))
			return 0;
		if (*p == '{' && depth <= JR_MAXCOMP)
			next[depth] = jr_deeper(jr, cand, depth);
		stack[depth++] = *p++;
		SKIPWS(p, e);
		if (p < e && *p == stack[depth - 1] + 2) {
			depth--;
			p++;
			goto after;
		}
		if (stack[depth - 1] == '{')
			goto key;
		cand = 0;	/* no path goes into an array */
		goto value;
	case '"':
		esc = 0;
		if ((p = string(p + 1, b, e, &hi, &esc)) == NULL)
			return 0;
		if (cand != 0 && !(esc ? capture_escaped(jr, cand, depth,
		    v + 1, p - 1, &escm) : capture(jr, cand, depth, JR_STR,
		    (const char *)v + 1, (size_t)(p - v - 2))))
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
		if (cand != 0 && !capture(jr, cand, depth, *v == 'n' ?
		    JR_NULL : JR_BOOL, (const char *)v, ln))
			return 0;
		goto after;
	default:
		if ((p = number(p, b, e)) == NULL)
			return 0;
		if (cand != 0 && !capture(jr, cand, depth, JR_NUM,
		    (const char *)v, (size_t)(p - v)))
			return 0;
		goto after;
	}

key:	/* at the key of an object member (spaces skipped) */
	if (p == e || *p != '"')
		return 0;
	k = p + 1;
	esc = 0;
	if ((p = string(p + 1, b, e, &hi, &esc)) == NULL)
		return 0;
	kn = (size_t)(p - k - 1);
	SKIPWS(p, e);
	if (p == e || *p++ != ':')
		return 0;
	/* the member's value ends the paths whose part at this depth is
	 * the key (the object is at depth - 1) */
	cand = 0;
	if (depth <= JR_MAXCOMP && (m = next[depth - 1]) != 0) {
		if (esc)
			return 0;	/* compared decoded, by yajl */
		for (; m != 0; m &= m - 1) {
			i = __builtin_ctz(m);
			jp = &jr->path[i];
			if (jp->clen[depth - 1] == kn &&
			    memcmp(jp->comp[depth - 1], k, kn) == 0)
				cand |= (uint32_t)1 << i;
		}
	}
	goto value;

after:	/* after a value */
	SKIPWS(p, e);
	if (depth == 0) {
		if (p != e || (hi && !jw_utf8ok(s, n)))
			return 0;
		for (; escm != 0; escm &= escm - 1) {	/* decoded: in place */
			i = __builtin_ctz(escm);
			jr->val[i].s = jr->scratch.p + jr->val[i].off;
		}
		for (; wmask != 0; wmask &= wmask - 1) {	/* read whole */
			i = __builtin_ctz(wmask);
			jr->val[i].end = (size_t)(close_of(b +
			    jr->val[i].off) - b);
		}
		if (jr != NULL && jr->nelem > 0)
			elements_done(jr);
		return 1;
	}
	if (p == e)
		return 0;
	if (*p == ',') {
		p++;
		if (stack[depth - 1] == '[') {
			cand = 0;
			goto value;
		}
		SKIPWS(p, e);
		goto key;
	}
	if (*p != stack[depth - 1] + 2)
		return 0;
	depth--;
	p++;
	goto after;
}

int
js_quick(const char *s, size_t n)
{
	return js_scan(s, n, NULL);
}
