/* jrec.c - a record's fields captured by path: first by a reader of the
 * quick scanner (js_walk()), else by yajl callbacks, which also
 * re-serialise the record compactly. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "jrec.h"
#include "jswalk.h"
#include "jw.h"

#define ST_ARRAY	1
#define ST_MEMBERS	2

static const yajl_callbacks jr_callbacks;

void
jr_init(struct jrec *jr)
{
	memset(jr, 0, sizeof(*jr));
}

void
jr_free(struct jrec *jr)
{
	int i, c;

	if (jr->h != NULL)
		yajl_free(jr->h);
	for (i = 0; i < jr->npaths; i++)
		for (c = 0; c < jr->path[i].n; c++)
			free(jr->path[i].comp[c]);
	buf_free(&jr->scratch);
	buf_free(&jr->stack);
	buf_free(&jr->elems);
	jr->h = NULL;
	jr->npaths = 0;
}

int
jr_addpath(struct jrec *jr, const char *dotpath)
{
	struct jr_path *p;
	const char *s = dotpath, *dot;

	if (jr->npaths == JR_MAXPATHS)
		errx(EX_USAGE, "too many fields (at most %d)", JR_MAXPATHS);
	p = &jr->path[jr->npaths];
	p->n = 0;
	for (;;) {
		dot = strchr(s, '.');
		if ((dot ? (size_t)(dot - s) : strlen(s)) == 0)
			errx(EX_USAGE, "field '%s': empty name in dot path",
			    dotpath);
		if (p->n == JR_MAXCOMP)
			errx(EX_USAGE, "field '%s': more than %d parts",
			    dotpath, JR_MAXCOMP);
		p->clen[p->n] = dot ? (size_t)(dot - s) : strlen(s);
		p->comp[p->n] = strndup(s, p->clen[p->n]);
		if (p->comp[p->n] == NULL)
			err(EX_OSERR, "strndup");
		p->n++;
		if (dot == NULL)
			break;
		s = dot + 1;
	}
	return jr->npaths++;
}

const char *
jr_lastname(const struct jrec *jr, int i)
{
	return jr->path[i].comp[jr->path[i].n - 1];
}

const char *
jr_typename(int type)
{
	switch (type) {
	case JR_NULL: return "null";
	case JR_BOOL: return "a boolean";
	case JR_NUM: return "a number";
	case JR_STR: return "a string";
	case JR_OBJ: return "an object";
	case JR_ARR: return "an array";
	default: return "missing";
	}
}

/* ---- paths -------------------------------------------------------- */

/* A field the tool reads must appear once, since readers of the record
 * disagree about which copy counts: -1, with jr->err saying so for path
 * i. */
static int __attribute__((noinline))
twice(struct jrec *jr, int i)
{
	const struct jr_path *p = &jr->path[i];
	int c, n;

	n = snprintf(jr->err, sizeof(jr->err), "field ");
	for (c = 0; c < p->n && n < (int)sizeof(jr->err); c++)
		n += snprintf(jr->err + n, sizeof(jr->err) - n, "%s%s",
		    c > 0 ? "." : "", p->comp[c]);
	if (n < (int)sizeof(jr->err))
		snprintf(jr->err + n, sizeof(jr->err) - n, ": given twice");
	return -1;
}

/* For the two readers of a record (the scanner's and the yajl
 * callbacks): the paths in cand that end at depth take the value (type,
 * s, len) and are put in *got; 0, or -1 (twice()) when one of them has a
 * value already. */
static inline __attribute__((always_inline)) int
claim(struct jrec *jr, uint32_t cand, int depth, int type, const char *s,
    size_t len, uint32_t *got)
{
	uint32_t m = 0;
	int i;

	for (; cand != 0; cand &= cand - 1) {
		i = __builtin_ctz(cand);
		if (jr->path[i].n != depth)
			continue;
		if (jr->val[i].type != JR_NONE) {
			*got = 0;
			return twice(jr, i);
		}
		jr->val[i].type = type;
		jr->val[i].s = s;
		jr->val[i].len = len;
		m |= (uint32_t)1 << i;
	}
	*got = m;
	return 0;
}

/* The paths in cand that go deeper than depth (into an object there). */
static inline uint32_t
deeper(const struct jrec *jr, uint32_t cand, int depth)
{
	uint32_t next = 0;
	int i;

	for (; cand != 0; cand &= cand - 1) {
		i = __builtin_ctz(cand);
		if (jr->path[i].n > depth)
			next |= (uint32_t)1 << i;
	}
	return next;
}

/* The paths in cand whose part at depth (1 on) is the key k[0..len). */
static inline uint32_t
keyed(const struct jrec *jr, uint32_t cand, int depth, const char *k,
    size_t len)
{
	uint32_t m = 0;
	int i;

	for (; cand != 0; cand &= cand - 1) {
		i = __builtin_ctz(cand);
		if (jr->path[i].clen[depth - 1] == len &&
		    memcmp(jr->path[i].comp[depth - 1], k, len) == 0)
			m |= (uint32_t)1 << i;
	}
	return m;
}

/* ---- callbacks ---------------------------------------------------- */

static unsigned char *
top(struct jrec *jr)
{
	return (unsigned char *)jr->stack.p + jr->depth - 1;
}

/* Bookkeeping before any value: root check, array commas, matches. */
static inline int
value_begin(struct jrec *jr, int type)
{
	unsigned char *t;

	if (jr->depth == 0) {
		if (++jr->roots > 1) {
			snprintf(jr->err, sizeof(jr->err),
			    "trailing data after the JSON value");
			return 0;
		}
		if (type != JR_OBJ && !jr->any_root) {
			snprintf(jr->err, sizeof(jr->err),
			    "expected a JSON object, got %s",
			    jr_typename(type));
			return 0;
		}
		jr->cur = 0;
		return 1;
	}
	t = top(jr);
	if (*t & ST_ARRAY) {
		if (jr->w != NULL && (*t & ST_MEMBERS))
			buf_addc(jr->w, ',');
		*t |= ST_MEMBERS;
		/* an element of an array read whole: capture() takes it */
		jr->cur = jr->depth == jr->edepth ? jr->whole : 0;
	}
	return 1;
}

#define SOFF_NONE	((size_t)-1)	/* no text */
#define SOFF_LINE	((size_t)-2)	/* s is in the line already */

/* An element of the array read whole that is open (its bytes are kept
 * in scratch; jr_parse() points s at them). */
static int
elem(struct jrec *jr, int type, const char *s, size_t len)
{
	struct jr_elem el = { jr->epath, type, NULL, len, SOFF_NONE };

	if (s != NULL) {
		el.soff = jr->scratch.len;
		buf_add(&jr->scratch, s, len);
	}
	if (jr->nelem++ == 0)
		jr->elems.len = 0;
	buf_add(&jr->elems, &el, sizeof(el));
	jr->cur = 0;	/* (its members are nobody's) */
	return 1;
}

/* An array opens at a path ending here: if one read whole, its elements
 * are to be kept. */
static void
whole_array(struct jrec *jr)
{
	uint32_t m;
	int i;

	for (m = jr->cur & jr->whole; m != 0; m &= m - 1) {
		i = __builtin_ctz(m);
		if (jr->path[i].n == jr->depth) {
			jr->edepth = jr->depth + 1;
			jr->epath = i;
		}
	}
}

/* Record the value for every path that ends here, at [off, end) in
 * text (a container's end is set when it closes). 0 on a field given
 * twice. */
static int
capture(struct jrec *jr, int type, const char *s, size_t len, size_t off,
    size_t end)
{
	uint32_t m;
	int i;

	if (claim(jr, jr->cur, jr->depth, type, s, len, &m) < 0)
		return 0;
	if (m == 0 && jr->depth == jr->edepth)	/* (no path ends there) */
		return elem(jr, type, s, len);
	for (; m != 0; m &= m - 1) {
		i = __builtin_ctz(m);
		jr->soff[i] = jr->scratch.len;
		if (s == NULL)
			jr->soff[i] = SOFF_NONE;
		else if (jr->inplace) {
			/* the value as it stands in the line */
			jr->soff[i] = SOFF_LINE;
			jr->val[i].s = jr->line + off + (type == JR_STR);
		} else
			buf_add(&jr->scratch, s, len);
		jr->val[i].off = off;
		jr->val[i].end = end;
	}
	return 1;
}

/* yajl checks only the shape of a UTF-8 sequence, so overlong forms,
 * surrogates and code points above U+10FFFF get through (as does a lone
 * low surrogate escape, which it decodes to one): invalid UTF-8 is
 * invalid input, and must not reach the output. 1 ok, else 0 with
 * jr->err set. A plain line (SC_PLAIN, see scan()) has nothing to check. */
static int
utf8(struct jrec *jr, const char *s, size_t len)
{
	if (jr->plain || jw_utf8ok(s, len))
		return 1;
	/* (the first bad byte of the line is in a string: yajl rejects
	 * one elsewhere, and decodes every escape to valid UTF-8) */
	snprintf(jr->err, sizeof(jr->err), "invalid JSON near byte %zu: "
	    "lexical error: invalid bytes in UTF8 string.", jw_utf8bad(jr->line, jr->llen) + 1);
	return 0;
}

static inline int
scalar(struct jrec *jr, int type, const char *s, size_t len)
{
	size_t off = 0, end = 0;

	if (!value_begin(jr, type))
		return 0;
	if (type == JR_STR && !utf8(jr, s, len))
		return 0;
	if (jr->w != NULL) {
		off = jr->w->len;
		if (type == JR_STR)
			jw_str(jr->w, s, len);
		else
			buf_add(jr->w, s, len);
		end = jr->w->len;
	} else if (jr->inplace && jr->cur != 0 && !jr->late) {
		/* the token just read, as it stands in the line */
		end = yajl_get_bytes_consumed(jr->h);
		off = end - len - (type == JR_STR ? 2 : 0);
	}
	if (jr->locate)
		jr->vend = yajl_get_bytes_consumed(jr->h);
	return jr->cur == 0 || capture(jr, type, s, len, off, end);
}

static int
cb_null(void *ctx)
{
	return scalar(ctx, JR_NULL, "null", 4);
}

static int
cb_bool(void *ctx, int v)
{
	return scalar(ctx, JR_BOOL, v ? "true" : "false", v ? 4 : 5);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	return scalar(ctx, JR_NUM, s, len);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return scalar(ctx, JR_STR, (const char *)s, len);
}

static inline int
open_container(struct jrec *jr, int type)
{
	uint32_t next = 0;
	size_t off;

	if (!value_begin(jr, type))
		return 0;
	if (jr->cur != 0) {
		off = jr->w != NULL ? jr->w->len :
		    jr->inplace || (jr->cur & jr->whole) != 0 ?
		    yajl_get_bytes_consumed(jr->h) - 1 : 0;
		if (!capture(jr, type, NULL, 0, off, off))
			return 0;
		if (type == JR_ARR && (jr->cur & jr->whole) != 0)
			whole_array(jr);
	}
	if (jr->depth == 0)
		next = jr->npaths == 32 ? 0xffffffffu :
		    ((uint32_t)1 << jr->npaths) - 1;
	else if (type == JR_OBJ && jr->depth < JR_MAXCOMP)
		next = deeper(jr, jr->cur, jr->depth);
	if (jr->w != NULL)
		buf_addc(jr->w, type == JR_OBJ ? '{' : '[');
	if ((size_t)jr->depth >= jr->stack.len)
		buf_addc(&jr->stack, 0);
	jr->depth++;
	*top(jr) = type == JR_ARR ? ST_ARRAY : 0;
	if (jr->depth <= JR_MAXCOMP + 1)
		jr->pm[jr->depth] = type == JR_OBJ ? next : 0;
	jr->cur = 0;
	return 1;
}

static inline int
close_container(struct jrec *jr, int type)
{
	size_t end;
	int i;

	if (jr->locate)
		jr->vend = yajl_get_bytes_consumed(jr->h);
	if (--jr->depth == 0)
		jr->rootend = yajl_get_bytes_consumed(jr->h);
	if (jr->w != NULL) {
		buf_addc(jr->w, type == JR_OBJ ? '}' : ']');
		end = jr->w->len;
	} else if (jr->inplace || jr->whole != 0)
		end = jr->depth == 0 ? jr->rootend :
		    yajl_get_bytes_consumed(jr->h);
	else
		return 1;
	/* a captured container's span ends here (its end was left at off,
	 * and only one container is open at each depth) */
	for (i = 0; i < jr->npaths; i++)
		if (jr->val[i].type == type && jr->path[i].n == jr->depth &&
		    jr->val[i].end == jr->val[i].off) {
			jr->val[i].end = end;
			if (jr->depth + 1 == jr->edepth)
				jr->edepth = 0;	/* an array read whole */
		}
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return open_container(ctx, JR_OBJ);
}

static int
cb_end_map(void *ctx)
{
	return close_container(ctx, JR_OBJ);
}

static int
cb_start_array(void *ctx)
{
	return open_container(ctx, JR_ARR);
}

static int
cb_end_array(void *ctx)
{
	return close_container(ctx, JR_ARR);
}

/* A key's UTF-8 check, and its part of the copy. 1, or 0 if invalid.
 * Out of line: most keys need neither. */
static int __attribute__((noinline))
key_slow(struct jrec *jr, const unsigned char *k, size_t len)
{
	unsigned char *t;

	if (!utf8(jr, (const char *)k, len))
		return 0;
	if (jr->w != NULL) {
		t = top(jr);
		if (*t & ST_MEMBERS)
			buf_addc(jr->w, ',');
		*t |= ST_MEMBERS;
		jw_key(jr->w, (const char *)k, len);
	}
	return 1;
}

static int
cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct jrec *jr = ctx;
	int d = jr->depth;

	if ((!jr->plain || jr->w != NULL) && !key_slow(jr, k, len))
		return 0;
	jr->cur = d <= JR_MAXCOMP ? keyed(jr, jr->pm[d], d,
	    (const char *)k, len) : 0;
	return 1;
}

static const yajl_callbacks jr_callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array
};

/* ---- the quick pass: a reader of js_walk() ------------------------ */

/* The string s[0..len) with escapes, decoded onto scratch: its offset
 * there, and its length in *n. */
static size_t
unescaped(struct jrec *jr, const char *s, size_t len, size_t *n)
{
	size_t off;

	/* (decoded, it is no longer) */
	if (jr->scratch.cap - jr->scratch.len < len)
		buf_grow(&jr->scratch, len);
	off = jr->scratch.len;
	*n = js_unescape(jr->scratch.p + off, s, s + len);
	jr->scratch.len += *n;
	return off;
}

/* An element of an array read whole for path i: a string or null, all
 * that a reader of elements takes (0 for anything else: yajl's reader
 * says why). A decoded string's s is NULL, and soff its place in scratch
 * until the pass is done. */
static int __attribute__((noinline))
quick_elem(struct jrec *jr, int i, int type, const char *s, size_t len,
    int esc)
{
	struct jr_elem el = { i, type, NULL, 0, SOFF_NONE };

	if (type == JR_STR) {
		el.len = len;
		if (esc)
			el.soff = unescaped(jr, s, len, &el.len);
		else
			el.s = s;
	} else if (type != JR_NULL)
		return 0;
	if (jr->nelem++ == 0)
		jr->elems.len = 0;
	buf_add(&jr->elems, &el, sizeof(el));
	return 1;
}

/* A string with escapes for the paths in want: decoded, their val[].off
 * holds its offset in scratch until the pass is done. */
static int __attribute__((noinline))
quick_escaped(struct jrec *jr, uint32_t want, int depth, const char *s,
    size_t len)
{
	size_t off = unescaped(jr, s, len, &len);
	uint32_t m;

	if (claim(jr, want, depth, JR_STR, NULL, len, &m) < 0)
		return 0;
	jr->escm |= m;
	for (; m != 0; m &= m - 1)
		jr->val[__builtin_ctz(m)].off = off;
	return 1;
}

/* An object or array for the paths in want: those read whole have the
 * start of its span in val[].off (the end comes when the pass is done). */
static int __attribute__((noinline))
quick_container(struct jrec *jr, uint32_t want, int depth, int type,
    const char *s)
{
	uint32_t m;

	if (claim(jr, want, depth, type, NULL, 0, &m) < 0)
		return 0;
	m &= jr->whole;
	jr->wmask |= m;
	for (; m != 0; m &= m - 1)
		jr->val[__builtin_ctz(m)].off = (size_t)(s - jr->line);
	return 1;
}

/* (inlined into the walk, as are the next two) */
static inline __attribute__((always_inline)) int
quick_value(void *ctx, uint32_t want, int depth, int in, int type,
    const char *s, size_t len, int esc)
{
	struct jrec *jr = ctx;
	uint32_t m;

	if (in == JS_ARR)	/* (only arrays read whole are followed) */
		return quick_elem(jr, __builtin_ctz(want), type, s, len, esc);
	if (type == JR_OBJ || type == JR_ARR)
		return quick_container(jr, want, depth, type, s);
	if (esc)
		return quick_escaped(jr, want, depth, s, len);
	return claim(jr, want, depth, type, s, len, &m) == 0;
}

/* Into an object: the paths that go deeper; into an array: the last of
 * the paths that read it whole and end there (as yajl's reader), whose
 * elements are kept. */
static inline __attribute__((always_inline)) uint32_t
quick_inner(void *ctx, uint32_t want, int depth, int type)
{
	struct jrec *jr = ctx;
	uint32_t m, last = 0;

	if (type == JR_OBJ)
		return deeper(jr, want, depth);
	for (m = want & jr->whole; m != 0; m &= m - 1)
		if (jr->path[__builtin_ctz(m)].n == depth)
			last = m & -m;
	return last;
}

static inline __attribute__((always_inline)) uint32_t
quick_member(void *ctx, uint32_t want, int depth, const char *k, size_t kn)
{
	return keyed(ctx, want, depth, k, kn);
}

/* The pass ended well: what was kept in scratch in place, the spans of
 * what was read whole closed. */
static void
quick_done(void *ctx)
{
	struct jrec *jr = ctx;
	struct jr_elem *el;
	uint32_t m;
	size_t i;

	for (m = jr->escm; m != 0; m &= m - 1) {
		i = (size_t)__builtin_ctz(m);
		jr->val[i].s = jr->scratch.p + jr->val[i].off;
	}
	for (m = jr->wmask; m != 0; m &= m - 1) {
		i = (size_t)__builtin_ctz(m);
		jr->val[i].end = (size_t)(js_end(jr->line + jr->val[i].off) -
		    jr->line);
	}
	if (jr->nelem == 0)
		return;
	jr->elem = el = (struct jr_elem *)(void *)jr->elems.p;
	for (i = 0; i < jr->nelem; i++)
		if (el[i].soff != SOFF_NONE)
			el[i].s = jr->scratch.p + el[i].soff;
}

static const struct js_reader quick = {
	quick_value, quick_inner, quick_member, quick_done
};

int
jr_scan(struct jrec *jr, const char *line, size_t len)
{
	jr->line = line;
	jr->escm = jr->wmask = 0;
	return js_walk(line, len, jr->any_root, jr->npaths == 32 ?
	    0xffffffffu : ((uint32_t)1 << jr->npaths) - 1, &quick, jr);
}

/* ---- parse -------------------------------------------------------- */

#define SC_PLAIN	1	/* all ASCII, without a backslash */
#define SC_COMPACT	2	/* no backslash, no whitespace outside strings */

/* Outside strings, from p: 1 when no byte is whitespace (or another
 * control character), 0 else. p has no backslash. */
static int
bare(const char *p, const char *e)
{
	for (;;) {
		while (p < e && *p != '"') {
			if ((unsigned char)*p <= ' ')
				return 0;
			p++;
		}
		if (p == e)
			return 1;
		/* the closing quote: yajl rejects an unterminated string */
		if ((p = memchr(p + 1, '"', (size_t)(e - p - 1))) == NULL)
			return 0;
		p++;
	}
}

/* What a line is, as SC_ bits, from js_classify(). SC_PLAIN: then so is
 * every string yajl hands over. SC_COMPACT: then a compact copy would be
 * the line itself (strings without escapes, written back as they
 * stand). */
static int
scan(const char *p, size_t n)
{
	unsigned c = js_classify(p, n);
	int r;

	if (c & JS_BSL)
		return 0;
	r = (c & JS_HIGH) ? 0 : SC_PLAIN;
	if (!(c & JS_CTL) || bare(p, p + n))
		r |= SC_COMPACT;
	return r;
}

/* yajl turns the \u escape of a lone high surrogate into '?', and that of
 * a lone low one into bytes that are not UTF-8: neither is a character.
 * The offset of the first such escape plus one, or 0. */
static size_t
lone_surrogate(const char *p, size_t n)
{
	const char *s = p, *e = p + n;
	unsigned u, v;

	while (s < e && (s = memchr(s, '\\', (size_t)(e - s))) != NULL) {
		if (e - s >= 6 && s[1] == 'u' && js_hex4(s + 2, &u) &&
		    u >= 0xd800 && u <= 0xdfff) {
			if (u < 0xdc00 && e - s >= 12 && s[6] == '\\' &&
			    s[7] == 'u' && js_hex4(s + 8, &v) && v >= 0xdc00 &&
			    v <= 0xdfff) {
				s += 12;
				continue;
			}
			return (size_t)(s - p) + 1;
		}
		s += 2;
	}
	return 0;
}

/* After a pass that did not end well, or before another. */
static void
reset(struct jrec *jr)
{
	if (jr->h != NULL)
		yajl_free(jr->h);
	jr->h = NULL;
	jr->nelem = 0;
	jr->edepth = 0;	/* (a parse that ends well closes the array) */
}

/* After yajl_parse() took the line: a newline, then the end. */
static yajl_status
finish(yajl_handle h, int *atend)
{
	yajl_status st;

	st = yajl_parse(h, (const unsigned char *)"\n", 1);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	*atend = st == yajl_status_error;
	return st;
}

yajl_status
jr_yajl_line(yajl_handle h, const char *line, size_t len, int *atend)
{
	yajl_status st;

	*atend = 0;
	st = yajl_parse(h, (const unsigned char *)line, len);
	if (st == yajl_status_ok)
		st = finish(h, atend);
	return st;
}

/* One pass of yajl over the line, from a clean parse state. */
static yajl_status
pass(struct jrec *jr, const char *line, size_t len, int *atend)
{
	yajl_status st;
	int i;

	if (jr->h == NULL) {
		jr->h = yajl_alloc(&jr_callbacks, NULL, jr);
		if (jr->h == NULL)
			errx(EX_OSERR, "yajl_alloc");
		yajl_config(jr->h, yajl_allow_multiple_values, 1);
	}
	for (i = 0; i < jr->npaths; i++)
		jr->val[i].type = JR_NONE;
	jr->scratch.len = 0;
	jr->depth = jr->roots = 0;
	jr->rootend = 0;
	jr->late = 0;
	jr->line = line;
	jr->llen = len;
	jr->vend = 0;
	jr->err[0] = '\0';
	if (jr->copy != NULL)
		jr->copy->len = 0;

	*atend = 0;
	st = yajl_parse(jr->h, (const unsigned char *)line, len);
	/* A root object or array closed by the line's last byte leaves
	 * yajl nothing to finish (it saw the whole line, and no token is
	 * pending). Anything else may: a number at the end, a second
	 * value, a truncated one, a token the line ends in (see
	 * jr_yajl_line()). */
	if (st == yajl_status_ok && (jr->roots != 1 || jr->depth != 0 ||
	    jr->rootend != len)) {
		/* (a number it finishes is not at an offset in the line:
		 * the line is then not the copy, or not valid) */
		jr->late = 1;
		st = finish(jr->h, atend);
	}
	return st;
}

#define WS(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* Where yajl's error msg is, as a 1-based byte number: the offending
 * byte. yajl's count of bytes consumed is past it for a parse error (a
 * token out of place ends there), at it for a bad character, before it
 * for other lexical errors (somewhere in a bad UTF-8 sequence), and for an "I expect" error it goes back
 * some way into the token: that token is the first after the last
 * value. */
static size_t
errpos(const struct jrec *jr, const char *line, size_t len,
    const char *msg)
{
	size_t c = yajl_get_bytes_consumed(jr->h), i;

	if (strstr(msg, "UTF8") != NULL)	/* the sequence's first byte */
		i = jw_utf8bad(line, len);
	else if (strncmp(msg, "lexical", 7) == 0)
		i = strstr(msg, "invalid char in") != NULL && c > 0 ? c - 1 : c;
	else if (strstr(msg, "I expect") != NULL)
		for (i = jr->vend; i < len && WS(line[i]); i++)
			;
	else if (c == 0)
		i = 0;
	else if (line[i = c - 1] == '"') {	/* back to the opening quote */
		while (i > 0) {
			for (i--; i > 0 && line[i] != '"'; i--)
				;
			for (c = i; c > 0 && line[c - 1] == '\\'; c--)
				;
			if ((i - c) % 2 == 0)
				break;
		}
	} else	/* back to the start of a word or number */
		while (i > 0 && strchr("{}[],:\" \t\r\n", line[i - 1]) == NULL &&
		    strchr("{}[],:", line[i]) == NULL)
			i--;
	return (i < len ? i : len) + 1;
}

/* The first byte outside RFC 8259's white space (space, tab, CR, LF)
 * that yajl skips as white space: a vertical tab or a form feed. (Inside
 * a string, yajl rejects it.) Its offset, or len. */
static size_t
badspace(const char *line, size_t len)
{
	const char *v = memchr(line, '\v', len), *f = memchr(line, '\f', len);

	if (v == NULL || (f != NULL && f < v))
		v = f;
	return v != NULL ? (size_t)(v - line) : len;
}

/* Where bytes kept at off in scratch are after the parse. */
static const char *
kept(const struct jrec *jr, size_t off)
{
	if (off == SOFF_NONE)
		return NULL;
	/* only empty strings seen: nothing allocated yet */
	return jr->scratch.p != NULL ? jr->scratch.p + off : "";
}

#define TRUNCATED	"invalid JSON: truncated (the line ends inside a value)"

/* Why yajl's pass over the line failed (st, atend from pass()), in
 * jr->err, unless a callback said it already. */
static void
yajl_says(struct jrec *jr, const char *line, size_t len, yajl_status st,
    int atend)
{
	unsigned char *msg;
	char why[128];

	if (atend && jr->err[0] == '\0') {
		snprintf(jr->err, sizeof(jr->err), "%s", jr->depth > 0 ||
		    jr->roots == 0 ? TRUNCATED : "trailing data after the "
		    "JSON value");
		return;
	}
	if (st != yajl_status_error && jr->err[0] != '\0')
		return;
	msg = yajl_get_error(jr->h, 0, (const unsigned char *)line, len);
	snprintf(why, sizeof(why), "%.*s", (int)strcspn((char *)msg, "\n"),
	    (char *)msg);
	yajl_free_error(jr->h, msg);
	if (strstr(why, "I expect") != NULL) {
		/* again, noting where each value ends */
		reset(jr);
		jr->locate = 1;
		pass(jr, line, len, &atend);
		jr->locate = 0;
	}
	if (strstr(why, "premature EOF") != NULL)
		snprintf(jr->err, sizeof(jr->err), TRUNCATED);
	else
		snprintf(jr->err, sizeof(jr->err), "invalid JSON near byte "
		    "%zu: %s", errpos(jr, line, len, why), why);
}

/* After a pass that ended well: the values and elements kept in scratch
 * in place, and the copy's text. */
static void
settle(struct jrec *jr, const char *line, size_t len)
{
	struct jr_elem *el;
	size_t j;
	int i;

	for (i = 0; i < jr->npaths; i++)
		if (jr->val[i].type != JR_NONE && jr->soff[i] != SOFF_LINE)
			jr->val[i].s = kept(jr, jr->soff[i]);
	if (jr->nelem > 0) {
		jr->elem = el = (struct jr_elem *)(void *)jr->elems.p;
		for (j = 0; j < jr->nelem; j++)
			el[j].s = kept(jr, el[j].soff);
	}
	if (jr->copy != NULL) {
		jr->text = jr->inplace ? line : jr->copy->p;
		jr->tlen = jr->inplace ? len : jr->copy->len;
	}
}

int
jr_parse(struct jrec *jr, const char *line, size_t len)
{
	yajl_status st;
	size_t at, ws;
	int i, sc, atend;

	for (i = 0; i < jr->npaths; i++)
		jr->val[i].type = JR_NONE;
	jr->nelem = 0;
	jr->err[0] = '\0';
	/* the usual record, without a copy to write: one quick pass */
	if (jr->copy == NULL) {
		jr->scratch.len = 0;
		if (jr_scan(jr, line, len))
			return 0;
		jr->nelem = 0;	/* (what it read before it gave up) */
	}
	sc = scan(line, len);
	jr->plain = sc & SC_PLAIN;
	if (!jr->plain && (at = lone_surrogate(line, len)) != 0) {
		snprintf(jr->err, sizeof(jr->err), "invalid JSON near byte "
		    "%zu: \\%.5s is half a surrogate pair, not a character",
		    at, line + at);
		return -1;
	}
	ws = (sc & SC_COMPACT) ? len : badspace(line, len);
	jr->inplace = jr->copy != NULL && jr->reuse && (sc & SC_COMPACT);
	jr->w = jr->inplace ? NULL : jr->copy;
	st = pass(jr, line, len, &atend);
	if (st == yajl_status_ok && jr->inplace && jr->rootend != len) {
		/* not the compact copy after all (white space after the
		 * root): write the copy */
		jr->inplace = 0;
		reset(jr);
		jr->w = jr->copy;
		st = pass(jr, line, len, &atend);
	}
	if (ws < len && (st == yajl_status_ok || atend ||
	    yajl_get_bytes_consumed(jr->h) > ws)) {
		/* before whatever else yajl found (it stops near its error) */
		snprintf(jr->err, sizeof(jr->err), "invalid JSON near byte %zu: "
		    "%s is not JSON white space (only space, tab, CR and LF "
		    "are)", ws + 1, line[ws] == '\v' ? "\\v" : "\\f");
		reset(jr);
		return -1;
	}
	/* no value: yajl says so only to a handle that has not had one */
	if (st == yajl_status_ok && jr->roots == 0) {
		snprintf(jr->err, sizeof(jr->err), TRUNCATED);
		reset(jr);
		return -1;
	}
	if (st != yajl_status_ok) {
		yajl_says(jr, line, len, st, atend);
		reset(jr);
		return -1;
	}
	settle(jr, line, len);
	return 0;
}
