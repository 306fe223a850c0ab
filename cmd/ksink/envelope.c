/* envelope.c - the -J envelope parsed with yajl's callback interface.
 * A payload that is not a string is taken from the line as written: its
 * span is found with yajl_get_bytes_consumed(), which yajl keeps at the
 * end of the token being reported while a callback runs (the whole line
 * is handed to one yajl_parse() call). */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "envelope.h"
#include "jrec.h"
#include "kp.h"

enum {
	F_TOPIC, F_PARTITION, F_TSTYPE, F_TS, F_KEY, F_KEYB64, F_PAYLOAD,
	F_PAYB64, F_HEADERS, F_NFIELDS, F_OTHER = -1
};

static const char *const fieldname[F_NFIELDS] = {
	"topic", "partition", "tstype", "ts", "key", "key_base64", "payload",
	"payload_base64", "headers"
};

/* what env->set[field] holds */
enum { V_NONE, V_STR, V_NULL, V_NUM, V_RAW, V_ARR, V_OBJ };

/* The types each field accepts, as a bit set of V_*, and their name. */
static const struct {
	unsigned	 ok;
	const char	*want;
} ftype[F_NFIELDS] = {
	{ 1 << V_STR | 1 << V_NULL, "a string" },
	{ 1 << V_NUM | 1 << V_NULL, "a number" },
	{ 1 << V_STR | 1 << V_NULL, "a string" },
	{ 1 << V_NUM | 1 << V_NULL, "a number" },
	{ 1 << V_STR | 1 << V_NULL, "a string or null" },
	{ 1 << V_STR, "a string" },
	{ 1 << V_STR | 1 << V_NULL | 1 << V_RAW, "" },
	{ 1 << V_STR, "a string" },
	{ 1 << V_ARR | 1 << V_NULL, "an array" },
};

static const char *const vname[] = {
	"nothing", "a string", "null", "a number", "a value", "an array",
	"an object"
};

void
env_init(struct envelope *e)
{
	memset(e, 0, sizeof(*e));
}

void
env_free(struct envelope *e)
{
	if (e->h != NULL)
		yajl_free(e->h);
	e->h = NULL;
	buf_free(&e->data);
	buf_free(&e->hspan);
	buf_free(&e->harr);
}

/* Record why the envelope is bad; 0, for a callback to return. */
static int __attribute__((format(printf, 2, 3)))
fail(struct envelope *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
	return 0;
}

/* A value of type t for the current field at depth 1. */
static int
field_value(struct envelope *e, int t)
{
	if (e->field == F_OTHER)
		return 1;
	if ((ftype[e->field].ok & 1u << t) == 0)
		return fail(e, "envelope field %s: expected %s",
		    fieldname[e->field], ftype[e->field].want);
	e->set[e->field] = t;
	return 1;
}

/* Store a string's bytes, NUL-terminated, in data; returns its offset. */
static size_t
keep(struct envelope *e, const char *s, size_t n)
{
	size_t off = e->data.len;

	buf_add(&e->data, s, n);
	buf_addc(&e->data, '\0');
	return off;
}

/* A header array element: (data offset, length, is-null) in harr. */
static int
header_elem(struct envelope *e, const char *s, size_t n)
{
	size_t v[3];

	if (s == NULL && (e->inhdr & 1) == 1)
		return fail(e, "envelope headers: a header name is null");
	v[0] = s != NULL ? keep(e, s, n) : 0;
	v[1] = n;
	v[2] = s == NULL;
	buf_add(&e->harr, v, sizeof(v));
	e->inhdr++;
	return 1;
}

static int
scalar(struct envelope *e, int t, const char *s, size_t n)
{
	if (e->depth == 2 && e->field == F_HEADERS && e->inhdr > 0) {
		if (t != V_STR && t != V_NULL)
			return fail(e, "envelope headers: expected strings "
			    "and nulls, got %s", vname[t]);
		return header_elem(e, t == V_STR ? s : NULL, n);
	}
	if (e->depth != 1)
		return 1;
	if (e->field == F_PAYLOAD && t != V_STR && t != V_NULL) {
		e->pend = yajl_get_bytes_consumed(e->h);
		t = V_RAW;
	}
	if (!field_value(e, t))
		return 0;
	if (e->field != F_OTHER && (t == V_STR || t == V_NUM)) {
		e->at[e->field][0] = keep(e, s, n);
		e->at[e->field][1] = n;
	}
	return 1;
}

static int
cb_null(void *ctx)
{
	return scalar(ctx, V_NULL, NULL, 0);
}

static int
cb_bool(void *ctx, int v)
{
	return scalar(ctx, V_RAW, v ? "true" : "false", v ? 4 : 5);
}

static int
cb_number(void *ctx, const char *s, size_t n)
{
	return scalar(ctx, V_NUM, s, n);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t n)
{
	return scalar(ctx, V_STR, (const char *)s, n);
}

static int
open_container(struct envelope *e, int isarray)
{
	if (e->depth == 1) {
		if (!field_value(e, e->field == F_PAYLOAD ? V_RAW :
		    isarray ? V_ARR : V_OBJ))
			return 0;
		if (e->field == F_HEADERS) {
			e->harr.len = 0;
			e->inhdr = 1;	/* counts elements + 1 */
		}
	} else if (e->depth == 2 && e->field == F_HEADERS && e->inhdr > 0)
		return fail(e, "envelope headers: expected strings and "
		    "nulls");
	e->depth++;
	return 1;
}

static int
close_container(struct envelope *e)
{
	if (--e->depth == 1 && e->field == F_PAYLOAD)
		e->pend = yajl_get_bytes_consumed(e->h);
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return open_container(ctx, 0);
}

static int
cb_start_array(void *ctx)
{
	return open_container(ctx, 1);
}

static int
cb_end(void *ctx)
{
	return close_container(ctx);
}

static int
cb_map_key(void *ctx, const unsigned char *k, size_t n)
{
	struct envelope *e = ctx;
	int f;

	if (e->depth != 1)
		return 1;
	e->field = F_OTHER;
	for (f = 0; f < F_NFIELDS; f++)
		if (strlen(fieldname[f]) == n && memcmp(fieldname[f], k, n) == 0)
			e->field = f;
	if (e->field == F_PAYLOAD)
		e->pbeg = yajl_get_bytes_consumed(e->h);
	return 1;
}

static const yajl_callbacks env_callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end
};

/* ---- after the parse ---------------------------------------------- */

static const char *
str(struct envelope *e, int f)
{
	return e->set[f] == V_STR || e->set[f] == V_NUM ?
	    e->data.p + e->at[f][0] : NULL;
}

static int
integer(struct envelope *e, int f, int64_t min, int64_t max, int64_t *v)
{
	long long n;

	if (kp_int(str(e, f), e->at[f][1], min, max, &n) < 0) {
		snprintf(e->err, sizeof(e->err), "envelope field %s: '%s' is "
		    "not a whole number in %lld..%lld", fieldname[f],
		    str(e, f), (long long)min, (long long)max);
		return -1;
	}
	*v = n;
	return 0;
}

/* Decode base64 field f into data; 0, or -1 when it is not base64. */
static int
unbase64(struct envelope *e, int f)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *s = str(e, f), *p;
	size_t n = e->at[f][1], i, off = e->data.len;
	unsigned acc = 0, bits = 0, pad = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' && i + 2 >= n && n % 4 == 0) {
			pad++;
			continue;
		}
		if (pad > 0 || s[i] == '\0' || (p = strchr(abc, s[i])) == NULL)
			goto bad;
		acc = acc << 6 | (unsigned)(p - abc);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(&e->data, (char)(acc >> bits & 0xff));
			s = str(e, f);	/* data may have moved */
		}
	}
	if (bits >= 6 || (acc & ((1u << bits) - 1)) != 0)
		goto bad;
	e->at[f][0] = off;
	e->at[f][1] = e->data.len - off;
	buf_addc(&e->data, '\0');
	return 0;
bad:
	snprintf(e->err, sizeof(e->err), "envelope field %s: not base64",
	    fieldname[f]);
	return -1;
}

static int
finish(struct envelope *e)
{
	const size_t *v;
	struct env_hdr *h;
	int64_t n;
	int i;

	e->topic = str(e, F_TOPIC);
	e->partition = -1;
	if (e->set[F_PARTITION] == V_NUM) {
		if (integer(e, F_PARTITION, -1, INT32_MAX, &n) < 0)
			return -1;
		e->partition = (int32_t)n;
	}
	e->ts = 0;
	if (e->set[F_TS] == V_NUM && (str(e, F_TSTYPE) == NULL ||
	    strcmp(str(e, F_TSTYPE), "none") != 0)) {
		if (integer(e, F_TS, -1, INT64_MAX, &e->ts) < 0)
			return -1;
		if (e->ts < 0)
			e->ts = 0;
	}
	if (e->set[F_KEYB64] == V_STR && unbase64(e, F_KEYB64) < 0)
		return -1;
	if (e->set[F_PAYB64] == V_STR && unbase64(e, F_PAYB64) < 0)
		return -1;
	i = e->set[F_KEYB64] == V_STR ? F_KEYB64 : F_KEY;
	e->key = str(e, i);
	e->key_len = e->key != NULL ? e->at[i][1] : 0;
	if (e->set[F_PAYB64] == V_STR) {
		e->payload = str(e, F_PAYB64);
		e->payload_len = e->at[F_PAYB64][1];
	} else if (e->set[F_PAYLOAD] == V_RAW) {
		while (e->pbeg < e->pend && strchr(" \t\r\n:",
		    e->line[e->pbeg]) != NULL)
			e->pbeg++;
		e->payload = e->line + e->pbeg;
		e->payload_len = e->pend - e->pbeg;
	} else if (e->set[F_PAYLOAD] == V_STR) {
		e->payload = str(e, F_PAYLOAD);
		e->payload_len = e->at[F_PAYLOAD][1];
	} else if (e->set[F_PAYLOAD] == V_NULL) {
		e->payload = NULL;
		e->payload_len = 0;
	} else {
		snprintf(e->err, sizeof(e->err), "envelope without a payload "
		    "(or payload_base64) field");
		return -1;
	}
	e->nhdr = 0;
	if (e->set[F_HEADERS] == V_ARR && e->inhdr > 1) {
		if ((e->inhdr - 1) % 2 != 0) {
			snprintf(e->err, sizeof(e->err), "envelope headers: "
			    "a name without a value (odd length)");
			return -1;
		}
		e->nhdr = (e->inhdr - 1) / 2;
		e->hspan.len = 0;
		buf_grow(&e->hspan, (size_t)e->nhdr * sizeof(*h));
		h = (struct env_hdr *)e->hspan.p;
		v = (const size_t *)e->harr.p;
		for (i = 0; i < e->nhdr; i++, v += 6) {
			h[i].name = e->data.p + v[0];
			h[i].nlen = v[1];
			h[i].value = v[5] ? NULL : e->data.p + v[3];
			h[i].vlen = v[4];
		}
		e->hdr = h;
	}
	return 0;
}

int
env_parse(struct envelope *e, const char *line, size_t len)
{
	int atend;

	if (e->h == NULL) {
		e->h = yajl_alloc(&env_callbacks, NULL, e);
		if (e->h == NULL)
			errx(EX_OSERR, "yajl_alloc");
		yajl_config(e->h, yajl_allow_multiple_values, 1);
	}
	memset(e->set, 0, sizeof(e->set));
	e->data.len = e->harr.len = 0;
	e->depth = e->inhdr = 0;
	e->field = F_OTHER;
	e->line = line;
	e->err[0] = '\0';
	/* the line passed jr_parse(), which reports bad JSON; yajl, its
	 * parser too, finds none here */
	if (jr_yajl_line(e->h, line, len, &atend) != yajl_status_ok) {
		if (e->err[0] == '\0')
			snprintf(e->err, sizeof(e->err), "invalid JSON");
		yajl_free(e->h);
		e->h = NULL;
		return -1;
	}
	return finish(e);
}
