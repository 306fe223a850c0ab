/* jw.c - compact JSON value writers. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"

static const char hex[] = "0123456789abcdef";

/* the bytes a JSON string must escape: controls, '"' and '\\' */
static const unsigned char must_escape[256] = {
	[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1
};

void
jw_str(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, run;
	unsigned char c;

	/* room for the usual case, a string with nothing to escape */
	if (b->cap - b->len < n + 2)
		buf_grow(b, n + 2);
	b->p[b->len++] = '"';
	for (;;) {
		run = i;
		while (i < n && !must_escape[(unsigned char)s[i]])
			i++;
		buf_add(b, s + run, i - run);
		if (i == n)
			break;
		c = (unsigned char)s[i++];
		buf_addc(b, '\\');
		switch (c) {
		case '"': buf_addc(b, '"'); break;
		case '\\': buf_addc(b, '\\'); break;
		case '\n': buf_addc(b, 'n'); break;
		case '\r': buf_addc(b, 'r'); break;
		case '\t': buf_addc(b, 't'); break;
		case '\b': buf_addc(b, 'b'); break;
		case '\f': buf_addc(b, 'f'); break;
		default:
			buf_adds(b, "u00");
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
	buf_addc(b, '"');
}

void
jw_key(struct buf *b, const char *s, size_t n)
{
	jw_str(b, s, n);
	buf_addc(b, ':');
}

size_t
jw_fmt_u64(char *out, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

void
jw_u64(struct buf *b, uint64_t v)
{
	char tmp[20];

	buf_add(b, tmp, jw_fmt_u64(tmp, v));
}

void
jw_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_addc(b, '-');
		jw_u64(b, (uint64_t)0 - (uint64_t)v);
	} else
		jw_u64(b, (uint64_t)v);
}

void
jw_dbl(struct buf *b, double d)
{
	char tmp[40];
	int prec, n = 0;

	if (!isfinite(d)) {
		buf_adds(b, "null");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_add(b, tmp, (size_t)n);
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int
jw_unb64(const char *s, struct buf *o, int loose)
{
	unsigned acc = 0;
	int bits = 0, v;

	for (; *s != '\0'; s++) {
		if (*s == '=' && !loose)
			break;
		if (loose && (*s == '=' || isspace((unsigned char)*s)))
			continue;
		if ((v = b64val((unsigned char)*s)) < 0)
			return -1;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(o, (char)(acc >> bits & 0xff));
		}
	}
	return 0;
}

void
jw_b64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	uint32_t v;

	buf_addc(b, '"');
	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_addc(b, t[v >> 18]);
		buf_addc(b, t[(v >> 12) & 63]);
		buf_addc(b, t[(v >> 6) & 63]);
		buf_addc(b, t[v & 63]);
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		buf_addc(b, t[v >> 18]);
		buf_addc(b, t[(v >> 12) & 63]);
		buf_adds(b, "==");
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		buf_addc(b, t[v >> 18]);
		buf_addc(b, t[(v >> 12) & 63]);
		buf_addc(b, t[(v >> 6) & 63]);
		buf_addc(b, '=');
	}
	buf_addc(b, '"');
}

size_t
jw_utf8bad(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	const unsigned char *at;
	unsigned c, need;
	uint32_t cp, min;
	uint64_t w;

	while (p < e) {
		/* ASCII eight bytes at a time */
		while (e - p >= 8) {
			memcpy(&w, p, 8);
			if (w & 0x8080808080808080ULL)
				break;
			p += 8;
		}
		if (p == e)
			break;
		at = p;
		c = *p++;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return (size_t)(at - (const unsigned char *)s);
		if ((size_t)(e - p) < need)
			return (size_t)(at - (const unsigned char *)s);
		while (need-- > 0) {
			if ((*p & 0xc0) != 0x80)
				return (size_t)(at - (const unsigned char *)s);
			cp = cp << 6 | (*p++ & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (size_t)(at - (const unsigned char *)s);
	}
	return n;
}
