/* jrec.c - yajl callbacks that capture fields by path and optionally
 * re-serialise the record compactly. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "jrec.h"
#include "jscan.h"
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
			err(71, "strndup");
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

/* ---- callbacks ---------------------------------------------------- */

static unsigned char *
top(struct jrec *jr)
{
	return (unsigned char *)jr->stack.p + jr->depth - 1;
}

/* Bookkeeping before any value: root check, array commas, matches. */
static int
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
		if (jr->copy != NULL && (*t & ST_MEMBERS))
			buf_addc(jr->copy, ',');
		*t |= ST_MEMBERS;
		jr->cur = 0;
	}
	return 1;
}

/* Record the value for every path that ends here. */
static void
capture(struct jrec *jr, int type, const char *s, size_t len, size_t off)
{
	uint32_t m = jr->cur;
	int i;

	while (m != 0) {
		i = __builtin_ctz(m);
		m &= m - 1;
		if (jr->path[i].n != jr->depth)
			continue;
		jr->val[i].type = type;
		jr->val[i].len = len;
		jr->soff[i] = jr->scratch.len;
		if (s != NULL)
			buf_add(&jr->scratch, s, len);
		else
			jr->soff[i] = (size_t)-1;
		jr->val[i].off = off;
		if (jr->copy != NULL)
			jr->val[i].end = jr->copy->len;
	}
}

/* yajl checks only the shape of a UTF-8 sequence, so overlong forms,
 * surrogates and code points above U+10FFFF get through (as does a lone
 * low surrogate escape, which it decodes to one): invalid UTF-8 is
 * invalid input, and must not reach the output. 1 ok, else 0 with
 * jr->err set. A plain line (see plain()) has nothing to check. */
static int
utf8(struct jrec *jr, const char *s, size_t len)
{
	if (jr->plain || jw_utf8ok(s, len))
		return 1;
	snprintf(jr->err, sizeof(jr->err), "invalid JSON near byte %zu: "
	    "lexical error: invalid bytes in UTF8 string.",
	    yajl_get_bytes_consumed(jr->h));
	return 0;
}

static int
scalar(struct jrec *jr, int type, const char *s, size_t len)
{
	size_t off;

	if (!value_begin(jr, type))
		return 0;
	if (type == JR_STR && !utf8(jr, s, len))
		return 0;
	off = jr->copy ? jr->copy->len : 0;
	if (jr->copy != NULL) {
		if (type == JR_STR)
			jw_str(jr->copy, s, len);
		else
			buf_add(jr->copy, s, len);
	}
	if (jr->cur != 0)
		capture(jr, type, s, len, off);
	return 1;
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

static int
open_container(struct jrec *jr, int type)
{
	uint32_t next = 0, m;
	int i;

	if (!value_begin(jr, type))
		return 0;
	if (jr->cur != 0)
		capture(jr, type, NULL, 0, jr->copy ? jr->copy->len : 0);
	if (jr->depth == 0)
		next = jr->npaths == 32 ? 0xffffffffu :
		    ((uint32_t)1 << jr->npaths) - 1;
	else if (type == JR_OBJ && jr->depth < JR_MAXCOMP) {
		for (m = jr->cur; m != 0; m &= m - 1) {
			i = __builtin_ctz(m);
			if (jr->path[i].n > jr->depth)
				next |= (uint32_t)1 << i;
		}
	}
	if (jr->copy != NULL)
		buf_addc(jr->copy, type == JR_OBJ ? '{' : '[');
	if ((size_t)jr->depth >= jr->stack.len)
		buf_addc(&jr->stack, 0);
	jr->depth++;
	*top(jr) = type == JR_ARR ? ST_ARRAY : 0;
	if (jr->depth <= JR_MAXCOMP + 1)
		jr->pm[jr->depth] = type == JR_OBJ ? next : 0;
	jr->cur = 0;
	return 1;
}

static int
close_container(struct jrec *jr, int type)
{
	int i;

	jr->depth--;
	if (jr->copy == NULL)
		return 1;
	buf_addc(jr->copy, type == JR_OBJ ? '}' : ']');
	/* a captured container's span ends here (its end was left at off,
	 * and only one container is open at each depth) */
	for (i = 0; i < jr->npaths; i++)
		if (jr->val[i].type == type && jr->path[i].n == jr->depth &&
		    jr->val[i].end == jr->val[i].off)
			jr->val[i].end = jr->copy->len;
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

static int
cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct jrec *jr = ctx;
	unsigned char *t = top(jr);
	uint32_t m, cur = 0;
	int i, d = jr->depth;

	if (!utf8(jr, (const char *)k, len))
		return 0;
	if (jr->copy != NULL) {
		if (*t & ST_MEMBERS)
			buf_addc(jr->copy, ',');
		jw_key(jr->copy, (const char *)k, len);
	}
	*t |= ST_MEMBERS;
	if (d <= JR_MAXCOMP) {
		for (m = jr->pm[d]; m != 0; m &= m - 1) {
			i = __builtin_ctz(m);
			if (jr->path[i].clen[d - 1] == len &&
			    memcmp(jr->path[i].comp[d - 1], k, len) == 0)
				cur |= (uint32_t)1 << i;
		}
	}
	jr->cur = cur;
	return 1;
}

static const yajl_callbacks jr_callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array
};

/* ---- parse -------------------------------------------------------- */

/* 1 when the line is all ASCII, without a backslash: then so is every
 * string yajl hands over (the usual case, checked eight bytes at a time). */
static int
plain(const char *p, size_t n)
{
	uint64_t w, any = 0;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		any |= w;
	}
	for (; i < n; i++)
		any |= (unsigned char)p[i];
	return (any & 0x8080808080808080u) == 0 && memchr(p, '\\', n) == NULL;
}

static int
hex4(const char *s, unsigned *u)
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

/* yajl turns the \u escape of a lone high surrogate into '?', and that of
 * a lone low one into bytes that are not UTF-8: neither is a character.
 * The offset of the first such escape plus one, or 0. */
static size_t
lone_surrogate(const char *p, size_t n)
{
	const char *s = p, *e = p + n;
	unsigned u, v;

	while (s < e && (s = memchr(s, '\\', (size_t)(e - s))) != NULL) {
		if (e - s >= 6 && s[1] == 'u' && hex4(s + 2, &u) &&
		    u >= 0xd800 && u <= 0xdfff) {
			if (u < 0xdc00 && e - s >= 12 && s[6] == '\\' &&
			    s[7] == 'u' && hex4(s + 8, &v) && v >= 0xdc00 &&
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

static void
reset(struct jrec *jr)
{
	if (jr->h != NULL)
		yajl_free(jr->h);
	jr->h = NULL;
}

yajl_status
jr_yajl_line(yajl_handle h, const char *line, size_t len, int *atend)
{
	yajl_status st;

	*atend = 0;
	st = yajl_parse(h, (const unsigned char *)line, len);
	if (st == yajl_status_ok) {
		st = yajl_parse(h, (const unsigned char *)"\n", 1);
		*atend = st == yajl_status_error;
	}
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		*atend = st == yajl_status_error;
	}
	return st;
}

int
jr_parse(struct jrec *jr, const char *line, size_t len)
{
	yajl_status st;
	unsigned char *msg;
	size_t at;
	int i, atend;

	if (jr->h == NULL) {
		jr->h = yajl_alloc(&jr_callbacks, NULL, jr);
		if (jr->h == NULL)
			errx(71, "yajl_alloc");
		yajl_config(jr->h, yajl_allow_multiple_values, 1);
	}
	for (i = 0; i < jr->npaths; i++)
		jr->val[i].type = JR_NONE;
	jr->err[0] = '\0';
	/* the usual record, without a copy to write: one quick pass */
	if (jr->copy == NULL && js_scan(line, len, jr))
		return 0;
	for (i = 0; i < jr->npaths; i++)
		jr->val[i].type = JR_NONE;
	jr->scratch.len = 0;
	jr->depth = jr->roots = 0;
	jr->plain = plain(line, len);
	jr->err[0] = '\0';
	if (jr->copy != NULL)
		jr->copy->len = 0;

	if (!jr->plain && (at = lone_surrogate(line, len)) != 0) {
		snprintf(jr->err, sizeof(jr->err), "invalid JSON near byte "
		    "%zu: \\%.5s is half a surrogate pair, not a character",
		    at, line + at);
		return -1;
	}
	st = jr_yajl_line(jr->h, line, len, &atend);
	if (st != yajl_status_ok) {
		if (atend && jr->err[0] == '\0')
			snprintf(jr->err, sizeof(jr->err), "%s", jr->depth > 0 ||
			    jr->roots == 0 ? "invalid JSON: truncated (the line "
			    "ends inside a value)" : "trailing data after the "
			    "JSON value");
		else if (st == yajl_status_error || jr->err[0] == '\0') {
			at = yajl_get_bytes_consumed(jr->h);
			msg = yajl_get_error(jr->h, 0,
			    (const unsigned char *)line, len);
			i = (int)strcspn((char *)msg, "\n");
			if (strstr((char *)msg, "premature EOF") != NULL)
				snprintf(jr->err, sizeof(jr->err),
				    "invalid JSON: truncated (the line ends "
				    "inside a value)");
			else
				snprintf(jr->err, sizeof(jr->err),
				    "invalid JSON near byte %zu: %.*s",
				    at + 1, i, (char *)msg);
			yajl_free_error(jr->h, msg);
		}
		reset(jr);
		return -1;
	}
	for (i = 0; i < jr->npaths; i++) {
		if (jr->val[i].type == JR_NONE)
			continue;
		if (jr->soff[i] == (size_t)-1)
			jr->val[i].s = NULL;
		else	/* only empty strings seen: nothing allocated yet */
			jr->val[i].s = jr->scratch.p != NULL ?
			    jr->scratch.p + jr->soff[i] : "";
	}
	return 0;
}
