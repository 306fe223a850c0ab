/* envelope.c - the -J envelope, read from the fields jr_parse() captured:
 * its scalars as values, its payload, when an object or an array, as the
 * span of the line it stands in, its headers as the elements of an array
 * (both read whole, see struct jrec). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "envelope.h"
#include "jrec.h"
#include "kp.h"

enum {
	F_TOPIC, F_PARTITION, F_TSTYPE, F_TS, F_KEY, F_KEYB64, F_PAYLOAD,
	F_PAYB64, F_HEADERS
};

#define T(x)	(1u << (x))
#define ANY	(T(JR_NULL) | T(JR_BOOL) | T(JR_NUM) | T(JR_STR) | T(JR_OBJ) | \
		 T(JR_ARR))

/* Each field's name, the JR_ types it accepts, and their name. */
static const struct {
	const char	*name;
	unsigned	 ok;
	const char	*want;
} field[ENV_NFIELDS] = {
	{ "topic", T(JR_STR) | T(JR_NULL), "a string" },
	{ "partition", T(JR_NUM) | T(JR_NULL), "a number" },
	{ "tstype", T(JR_STR) | T(JR_NULL), "a string" },
	{ "ts", T(JR_NUM) | T(JR_NULL), "a number" },
	{ "key", T(JR_STR) | T(JR_NULL), "a string or null" },
	{ "key_base64", T(JR_STR), "a string" },
	{ "payload", ANY, "" },
	{ "payload_base64", T(JR_STR), "a string" },
	{ "headers", T(JR_ARR) | T(JR_NULL), "an array" },
};

void
env_init(struct envelope *e, struct jrec *jr)
{
	int f;

	memset(e, 0, sizeof(*e));
	for (f = 0; f < ENV_NFIELDS; f++)
		e->path[f] = jr_addpath(jr, field[f].name);
	jr->whole |= 1u << e->path[F_PAYLOAD] | 1u << e->path[F_HEADERS] |
	    1u << e->path[F_KEY];
}

void
env_free(struct envelope *e)
{
	buf_free(&e->data);
	buf_free(&e->hspan);
}

/* Record why the envelope is bad; -1. */
static int __attribute__((format(printf, 2, 3)))
fail(struct envelope *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int
integer(struct envelope *e, const struct jr_val *v, int f, int64_t min,
    int64_t max, int64_t *n)
{
	long long x;

	if (kp_int(v->s, v->len, min, max, &x) < 0)
		return fail(e, "envelope field %s: '%.*s' is not a whole "
		    "number in %lld..%lld", field[f].name, (int)v->len, v->s,
		    (long long)min, (long long)max);
	*n = x;
	return 0;
}

/* Decode base64 field f into data, from offset *off for *n bytes; 0, or
 * -1 when it is not base64. */
static int
unbase64(struct envelope *e, const struct jr_val *v, int f, size_t *off,
    size_t *n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *s = v->s, *p;
	size_t i;
	unsigned acc = 0, bits = 0, pad = 0;

	*off = e->data.len;
	for (i = 0; i < v->len; i++) {
		if (s[i] == '=' && i + 2 >= v->len && v->len % 4 == 0) {
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
		}
	}
	if (bits >= 6 || (acc & ((1u << bits) - 1)) != 0)
		goto bad;
	*n = e->data.len - *off;
	return 0;
bad:
	return fail(e, "envelope field %s: not base64", field[f].name);
}

/* The headers: the elements of the headers array, names and values. */
static int
headers(struct envelope *e, const struct jrec *jr)
{
	static const struct env_hdr none;
	const struct jr_elem *el;
	struct env_hdr *h;
	size_t i;
	int n = 0;

	e->hspan.len = 0;
	for (i = 0; i < jr->nelem; i++) {
		el = &jr->elem[i];
		if (el->path != e->path[F_HEADERS])
			continue;
		if (el->type != JR_STR && el->type != JR_NULL)
			return fail(e, "envelope headers: expected strings "
			    "and nulls, got %s", jr_typename(el->type));
		if (n % 2 == 0 && el->type == JR_NULL)
			return fail(e, "envelope headers: a header name is "
			    "null");
		if (n % 2 == 0)
			buf_add(&e->hspan, &none, sizeof(none));
		h = (struct env_hdr *)(void *)e->hspan.p + n / 2;
		if (n++ % 2 == 0) {
			h->name = el->s;
			h->nlen = el->len;
		} else {
			h->value = el->type == JR_STR ? el->s : NULL;
			h->vlen = el->type == JR_STR ? el->len : 0;
		}
	}
	if (n % 2 != 0)
		return fail(e, "envelope headers: a name without a value (odd "
		    "length)");
	e->hdr = (struct env_hdr *)(void *)e->hspan.p;
	e->nhdr = n / 2;
	return 0;
}

/* Each field's value into v[], of a type the field accepts. */
static int
fields(struct envelope *e, const struct jrec *jr, const struct jr_val **v)
{
	int f;

	for (f = 0; f < ENV_NFIELDS; f++) {
		v[f] = &jr->val[e->path[f]];
		if (v[f]->type != JR_NONE && (field[f].ok & T(v[f]->type)) == 0 &&
		    !(f == F_KEY && e->anykey))
			return fail(e, "envelope field %s: expected %s",
			    field[f].name, field[f].want);
	}
	return 0;
}

/* The topic (first in data), the partition and the timestamp. */
static int
where(struct envelope *e, const struct jr_val *const *v)
{
	const struct jr_val *tt = v[F_TSTYPE];
	int64_t n;

	if (v[F_TOPIC]->type == JR_STR) {
		buf_add(&e->data, v[F_TOPIC]->s, v[F_TOPIC]->len);
		buf_addc(&e->data, '\0');
	}
	e->partition = -1;
	if (v[F_PARTITION]->type == JR_NUM) {
		if (integer(e, v[F_PARTITION], F_PARTITION, -1, INT32_MAX,
		    &n) < 0)
			return -1;
		e->partition = (int32_t)n;
	}
	e->ts = 0;
	if (v[F_TS]->type == JR_NUM && (tt->type != JR_STR || tt->len != 4 ||
	    memcmp(tt->s, "none", 4) != 0)) {
		if (integer(e, v[F_TS], F_TS, -1, INT64_MAX, &e->ts) < 0)
			return -1;
		if (e->ts < 0)
			e->ts = 0;
	}
	return 0;
}

/* A key's or a payload's bytes into *p, *len: those of its base64 field
 * b64 when given (decoded at data + off, n bytes), else of its value v
 * as the line writes it: an object's or an array's span, a string's
 * bytes, a number's or a boolean's text; NULL for null or none. */
static void
span(const struct envelope *e, const struct jr_val *b64, size_t off,
    size_t n, const struct jr_val *v, const char *line, const char **p,
    size_t *len)
{
	if (b64->type == JR_STR) {
		*p = e->data.p + off;
		*len = n;
	} else if (v->type == JR_OBJ || v->type == JR_ARR) {
		*p = line + v->off;
		*len = v->end - v->off;
	} else if (v->type != JR_NONE && v->type != JR_NULL) {
		*p = v->s;
		*len = v->len;
	} else {
		*p = NULL;
		*len = 0;
	}
}

int
env_parse(struct envelope *e, const struct jrec *jr, const char *line)
{
	const struct jr_val *v[ENV_NFIELDS];
	size_t kb = 0, kn = 0, pb = 0, pn = 0;

	e->err[0] = '\0';
	e->data.len = 0;
	e->nhdr = 0;
	if (fields(e, jr, v) < 0 || where(e, v) < 0)
		return -1;
	if (v[F_KEYB64]->type == JR_STR &&
	    unbase64(e, v[F_KEYB64], F_KEYB64, &kb, &kn) < 0)
		return -1;
	if (v[F_PAYB64]->type == JR_STR &&
	    unbase64(e, v[F_PAYB64], F_PAYB64, &pb, &pn) < 0)
		return -1;
	/* (data is whole now: the pointers into it stay) */
	e->topic = v[F_TOPIC]->type == JR_STR ? e->data.p : NULL;
	span(e, v[F_KEYB64], kb, kn, v[F_KEY], line, &e->key, &e->key_len);
	e->key_type = v[F_KEYB64]->type == JR_STR ? JR_NONE : v[F_KEY]->type;
	e->payload_type = v[F_PAYB64]->type == JR_STR ? JR_NONE :
	    v[F_PAYLOAD]->type;
	if (v[F_PAYB64]->type != JR_STR && v[F_PAYLOAD]->type == JR_NONE)
		return fail(e, "envelope without a payload (or "
		    "payload_base64) field");
	span(e, v[F_PAYB64], pb, pn, v[F_PAYLOAD], line, &e->payload,
	    &e->payload_len);
	if (v[F_HEADERS]->type == JR_ARR)
		return headers(e, jr);
	return 0;
}
