/* jtree.c - a JSON text into a flat tree in reusable arrays (jtree.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jtree.h"
#include "jw.h"
#include "kp.h"

struct jp {
	struct jtree	*t;
	const char	*p, *e, *s0;
};

static int
jfail(struct jp *j, const char *why)
{
	snprintf(j->t->err, sizeof(j->t->err), "invalid JSON at byte %zu: %s",
	    (size_t)(j->p - j->s0) + 1, why);
	return -1;
}

static void
ws(struct jp *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
node(struct jtree *t, int type)
{
	if (t->nn == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->nd = kp_xrealloc(t->nd, (size_t)t->cap * sizeof(*t->nd));
	}
	memset(&t->nd[t->nn], 0, sizeof(t->nd[0]));
	t->nd[t->nn].type = type;
	t->nd[t->nn].next = -1;
	return t->nn++;
}

static void
utf8(struct buf *b, unsigned u)
{
	if (u < 0x80)
		buf_addc(b, (char)u);
	else if (u < 0x800) {
		buf_addc(b, (char)(0xc0 | u >> 6));
		buf_addc(b, (char)(0x80 | (u & 0x3f)));
	} else if (u < 0x10000) {
		buf_addc(b, (char)(0xe0 | u >> 12));
		buf_addc(b, (char)(0x80 | (u >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (u & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | u >> 18));
		buf_addc(b, (char)(0x80 | (u >> 12 & 0x3f)));
		buf_addc(b, (char)(0x80 | (u >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (u & 0x3f)));
	}
}

/* a string at j->p (its opening quote) into t->str: *off, *len */
static int
string(struct jp *j, size_t *off, size_t *len)
{
	struct buf *b = &j->t->str;
	const char *s;
	unsigned u, lo;

	j->p++;
	*off = b->len;
	for (;;) {
		s = j->p;
		while (j->p < j->e && *j->p != '"' && *j->p != '\\' &&
		    (unsigned char)*j->p >= 0x20)
			j->p++;
		buf_add(b, s, (size_t)(j->p - s));
		if (j->p == j->e)
			return jfail(j, "an unterminated string");
		if (*j->p == '"')
			break;
		if (*j->p != '\\')
			return jfail(j, "a control character in a string");
		if (j->e - j->p < 2)
			return jfail(j, "an unterminated string");
		switch (j->p[1]) {
		case '"': case '\\': case '/':
			buf_addc(b, j->p[1]);
			break;
		case 'b': buf_addc(b, '\b'); break;
		case 'f': buf_addc(b, '\f'); break;
		case 'n': buf_addc(b, '\n'); break;
		case 'r': buf_addc(b, '\r'); break;
		case 't': buf_addc(b, '\t'); break;
		case 'u':
			if (j->e - j->p < 6 || !js_hex4(j->p + 2, &u))
				return jfail(j, "a bad \\u escape");
			if (u >= 0xdc00 && u <= 0xdfff)
				return jfail(j, "a lone low surrogate");
			if (u >= 0xd800 && u <= 0xdbff) {
				if (j->e - j->p < 12 || j->p[6] != '\\' ||
				    j->p[7] != 'u' || !js_hex4(j->p + 8, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					return jfail(j, "a lone high surrogate");
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				j->p += 6;
			}
			utf8(b, u);
			j->p += 4;
			break;
		default:
			return jfail(j, "a bad escape");
		}
		j->p += 2;
	}
	j->p++;
	*len = b->len - *off;
	if (*len > 0 && !jw_utf8ok(b->p + *off, *len))
		return jfail(j, "a string that is not UTF-8");
	buf_addc(b, '\0');
	return 0;
}

static int
number(struct jp *j, int i)
{
	const char *s = j->p;
	struct jtree *t = j->t;
	int isint = 1;

	if (j->p < j->e && *j->p == '-')
		j->p++;
	if (j->p < j->e && *j->p == '0')
		j->p++;
	else if (j->p < j->e && *j->p >= '1' && *j->p <= '9')
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	else
		return jfail(j, "a bad number");
	if (j->p < j->e && *j->p == '.') {
		isint = 0;
		j->p++;
		if (j->p == j->e || *j->p < '0' || *j->p > '9')
			return jfail(j, "a bad number");
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
		isint = 0;
		j->p++;
		if (j->p < j->e && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p == j->e || *j->p < '0' || *j->p > '9')
			return jfail(j, "a bad number");
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	t->nd[i].off = t->str.len;
	t->nd[i].len = (size_t)(j->p - s);
	t->nd[i].isint = isint;
	buf_add(&t->str, s, (size_t)(j->p - s));
	buf_addc(&t->str, '\0');
	return 0;
}

static int
value(struct jp *j, int depth)
{
	struct jtree *t = j->t;
	int i, last, k;
	size_t koff = 0, klen = 0;

	if (depth > JT_MAXDEPTH)
		return jfail(j, "nested too deeply");
	ws(j);
	if (j->p == j->e)
		return jfail(j, "a value expected");
	switch (*j->p) {
	case '{':
	case '[':
		i = node(t, *j->p == '{' ? JT_OBJ : JT_ARR);
		j->p++;
		last = -1;
		for (;;) {
			ws(j);
			if (j->p < j->e && *j->p == (t->nd[i].type == JT_OBJ ?
			    '}' : ']') && t->nd[i].n == 0)
				break;
			if (t->nd[i].type == JT_OBJ) {
				if (j->p == j->e || *j->p != '"')
					return jfail(j, "a key expected");
				if (string(j, &koff, &klen) < 0)
					return -1;
				ws(j);
				if (j->p == j->e || *j->p != ':')
					return jfail(j, "':' expected");
				j->p++;
			}
			if ((k = value(j, depth + 1)) < 0)
				return -1;
			t->nd[k].koff = koff;
			t->nd[k].klen = klen;
			if (last >= 0)
				t->nd[last].next = k;
			last = k;
			t->nd[i].n++;
			ws(j);
			if (j->p < j->e && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->e && *j->p == (t->nd[i].type == JT_OBJ ?
			    '}' : ']'))
				break;
			return jfail(j, "',' or a closing bracket expected");
		}
		j->p++;
		return i;
	case '"':
		i = node(t, JT_STR);
		if (string(j, &t->nd[i].off, &t->nd[i].len) < 0)
			return -1;
		return i;
	case 't':
	case 'f':
	case 'n':
		if (j->e - j->p >= 4 && memcmp(j->p, "true", 4) == 0) {
			j->p += 4;
			return node(t, JT_TRUE);
		}
		if (j->e - j->p >= 5 && memcmp(j->p, "false", 5) == 0) {
			j->p += 5;
			return node(t, JT_FALSE);
		}
		if (j->e - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
			j->p += 4;
			return node(t, JT_NULL);
		}
		return jfail(j, "a bad literal");
	default:
		i = node(t, JT_NUM);
		if (number(j, i) < 0)
			return -1;
		return i;
	}
}

int
jt_parse(struct jtree *t, const char *p, size_t n)
{
	struct jp j = { t, p, p + n, p };

	t->nn = 0;
	t->str.len = 0;
	t->err[0] = '\0';
	if (value(&j, 0) < 0)
		return -1;
	ws(&j);
	if (j.p != j.e)
		return jfail(&j, "text after the value");
	return 0;
}

void
jt_free(struct jtree *t)
{
	free(t->nd);
	buf_free(&t->str);
	memset(t, 0, sizeof(*t));
}

int
jt_get(const struct jtree *t, int o, const char *key)
{
	int i, k;

	if (t->nd[o].type != JT_OBJ)
		return -1;
	for (i = 0, k = o + 1; i < t->nd[o].n; i++, k = t->nd[k].next)
		if (strcmp(jt_key(t, k), key) == 0)
			return k;
	return -1;
}
