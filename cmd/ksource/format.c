/* format.c - kcat's -f output format: see format.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro.h"
#include "format.h"
#include "jw.h"
#include "kconf.h"
#include "opt.h"

static const char *
add(struct fmt *f, int type, size_t off, size_t len)
{
	if (f->ntok == FMT_MAXTOK)
		return "too many tokens";
	f->tok[f->ntok].type = type;
	f->tok[f->ntok].off = off;
	f->tok[f->ntok].len = len;
	f->ntok++;
	return NULL;
}

void
fmt_add(struct fmt *f, int type, const char *lit)
{
	size_t off = f->text.len;

	if (type == FT_STR)
		(void)add(f, type, off, kc_unescape(&f->text, lit,
		    strlen(lit)));
	else
		(void)add(f, type, 0, 0);
}

const char *
fmt_parse(struct fmt *f, const char *spec)
{
	static char why[64];
	static const char letters[] = "tpokKsSRThe";
	static const int types[] = { FT_TOPIC, FT_PART, FT_OFF, FT_KEY,
	    FT_KLEN, FT_PAYLOAD, FT_PLEN, FT_PLEN_BE, FT_TS, FT_HDRS, FT_ERR };
	const char *s = spec, *pct, *r, *c;
	size_t off;

	while (*s != '\0') {
		pct = strchr(s, '%');
		if (pct == NULL)
			pct = s + strlen(s);
		if (pct > s) {
			off = f->text.len;
			if ((r = add(f, FT_STR, off, kc_unescape(&f->text, s,
			    (size_t)(pct - s)))) != NULL)
				return r;
		}
		if (*pct == '\0')
			break;
		s = pct + 1;
		if (*s == '%') {
			off = f->text.len;
			buf_addc(&f->text, '%');
			r = add(f, FT_STR, off, 1);
		} else if (*s != '\0' && (c = strchr(letters, *s)) != NULL &&
		    c - letters < (long)(sizeof(types) / sizeof(types[0]))) {
			r = add(f, types[c - letters], 0, 0);
			f->need_err |= *s == 'e';
		} else {
			snprintf(why, sizeof(why), *s ? "unknown token %%%c" :
			    "a lone %% at the end", *s);
			return why;
		}
		if (r != NULL)
			return r;
		s++;
	}
	return NULL;
}

static void
num(struct buf *b, int64_t v)
{
	char t[24];

	buf_add(b, t, (size_t)snprintf(t, sizeof(t), "%" PRId64, v));
}

/* A key's or a payload's bytes p[0..n): none or empty writes nothing,
 * or NULL with -Z. */
static void
bytes(const struct fmt *f, struct buf *b, const void *p, size_t n)
{
	if (n > 0)
		buf_add(b, p, n);
	else if (f->null)
		buf_adds(b, "NULL");
}

/* A key's or a payload's length: -1 for none. */
static int64_t
length(const void *p, size_t n)
{
	return p != NULL ? (int64_t)n : -1;
}

/* s as a JSON string; bytes that are not UTF-8 become U+FFFD (header
 * names and values only: keys and payloads go to *_base64 instead). */
static void
str_lossy(struct buf *b, const char *s, size_t n)
{
	struct buf t = { 0 };
	size_t i = 0, j;
	int len;
	unsigned char c;

	if (jw_utf8ok(s, n)) {
		jw_str(b, s, n);
		return;
	}
	while (i < n) {
		c = (unsigned char)s[i];
		len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 :
		    (c >> 3) == 30 ? 4 : 0;
		for (j = 1; len > 1 && (int)j < len; j++)
			if (i + j >= n || ((unsigned char)s[i + j] >> 6) != 2)
				len = 0;
		if (len > 0 && jw_utf8ok(s + i, (size_t)len)) {
			buf_add(&t, s + i, (size_t)len);
			i += (size_t)len;
		} else {
			buf_adds(&t, "\xef\xbf\xbd");
			i++;
		}
	}
	jw_str(b, t.p, t.len);
	buf_free(&t);
}

/* The headers hdrs: as JSON strings NAME,VALUE,... (json, -J's), or
 * name=value,... (-f %h) with NULL for a null value. */
static void
hdr_list(struct buf *b, rd_kafka_headers_t *hdrs, int json)
{
	const char *name;
	const void *value;
	size_t size, i;

	for (i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value,
	    &size) == RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
		if (i > 0)
			buf_addc(b, ',');
		if (json)
			str_lossy(b, name, strlen(name));
		else
			buf_add(b, name, strlen(name));
		buf_addc(b, json ? ',' : '=');
		if (value == NULL && json)
			buf_adds(b, "null");
		else if (value == NULL)
			buf_adds(b, "NULL");
		else if (json)
			str_lossy(b, value, size);
		else
			buf_add(b, value, size);
	}
}

void
fmt_msg(const struct fmt *f, struct buf *b, const char *topic,
    const rd_kafka_message_t *m, const char *err)
{
	rd_kafka_headers_t *hdrs;
	rd_kafka_timestamp_type_t tstype;
	uint32_t be;
	int i;

	for (i = 0; i < f->ntok; i++) {
		switch (f->tok[i].type) {
		case FT_STR:
			buf_add(b, f->text.p + f->tok[i].off, f->tok[i].len);
			break;
		case FT_TOPIC:
			buf_add(b, topic, strlen(topic));
			break;
		case FT_PART:
			num(b, m->partition);
			break;
		case FT_OFF:
			num(b, m->offset);
			break;
		case FT_KEY:
			bytes(f, b, m->key, m->key_len);
			break;
		case FT_KLEN:
			num(b, length(m->key, m->key_len));
			break;
		case FT_PAYLOAD:
			bytes(f, b, m->payload, m->len);
			break;
		case FT_PLEN:
			num(b, length(m->payload, m->len));
			break;
		case FT_PLEN_BE:	/* (-1 is UINT32_MAX) */
			be = (uint32_t)length(m->payload, m->len);
			buf_addc(b, (char)(be >> 24));
			buf_addc(b, (char)(be >> 16));
			buf_addc(b, (char)(be >> 8));
			buf_addc(b, (char)be);
			break;
		case FT_TS:
			num(b, rd_kafka_message_timestamp(m, &tstype));
			break;
		case FT_HDRS:
			if (rd_kafka_message_headers(m, &hdrs) ==
			    RD_KAFKA_RESP_ERR_NO_ERROR)
				hdr_list(b, hdrs, 0);
			break;
		case FT_ERR:
			if (err != NULL)
				buf_add(b, err, strlen(err));
			break;
		}
	}
}

void
fmt_envelope(struct buf *r, const struct buf *pre, const rd_kafka_message_t *m,
    const char *json, size_t jn)
{
	fmt_envelope_sr(r, pre, m, NULL, 0, json, jn, -1, -1);
}

/* ,"tstype":T,"ts":MS when m has a timestamp */
static void
env_ts(struct buf *r, const rd_kafka_message_t *m)
{
	rd_kafka_timestamp_type_t tstype;
	int64_t ts = rd_kafka_message_timestamp(m, &tstype);

	if (tstype == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE)
		return;
	if (tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME)
		buf_adds(r, ",\"tstype\":\"create\",\"ts\":");
	else if (tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME)
		buf_adds(r, ",\"tstype\":\"logappend\",\"ts\":");
	else
		buf_adds(r, ",\"tstype\":\"unknown\",\"ts\":");
	jw_i64(r, ts);
}

/* ,"headers":[NAME,VALUE,...] when m has headers */
static void
env_headers(struct buf *r, const rd_kafka_message_t *m)
{
	rd_kafka_headers_t *hdrs;

	if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	buf_adds(r, ",\"headers\":[");
	hdr_list(r, hdrs, 1);
	buf_addc(r, ']');
}

/* A key or a payload p[0..n) after name (',"key":') or b64name
 * (',"key_base64":'): null for none, json[0..jn) as it is when json is
 * not NULL, a string when UTF-8, else base64 after b64name. */
static void
env_bytes(struct buf *r, const char *name, const char *b64name,
    const void *p, size_t n, const char *json, size_t jn)
{
	if (p != NULL && json == NULL && !jw_utf8ok(p, n)) {
		buf_add(r, b64name, strlen(b64name));
		jw_b64(r, p, n);
		return;
	}
	buf_add(r, name, strlen(name));
	if (p == NULL)
		buf_adds(r, "null");
	else if (json != NULL)
		buf_add(r, json, jn);
	else
		jw_str(r, p, n);
}

void
fmt_envelope_sr(struct buf *r, const struct buf *pre,
    const rd_kafka_message_t *m, const char *kjson, size_t kjn,
    const char *json, size_t jn, int64_t kid, int64_t vid)
{
	buf_add(r, pre->p, pre->len);
	jw_i64(r, m->partition);
	buf_adds(r, ",\"offset\":");
	jw_i64(r, m->offset);
	env_ts(r, m);
	buf_adds(r, ",\"broker\":");
	jw_i64(r, rd_kafka_message_broker_id(m));
	env_headers(r, m);
	env_bytes(r, ",\"key\":", ",\"key_base64\":", m->key, m->key_len,
	    kjson, kjn);
	env_bytes(r, ",\"payload\":", ",\"payload_base64\":", m->payload,
	    m->len, json, jn);
	if (kid >= 0) {
		buf_adds(r, ",\"key_schema_id\":");
		jw_i64(r, kid);
	}
	if (vid >= 0) {
		buf_adds(r, ",\"value_schema_id\":");
		jw_i64(r, vid);
	}
	buf_addc(r, '}');
}

void
fmt_avro_option(int *flags, int ch, const char *arg)
{
	static const char *const unions[] = { "plain", "wrapped", NULL },
	    *const times[] = { "number", "iso8601", NULL };
	int bit = ch == FMT_AVUNIONS ? AV_WRAP : AV_ISOTIME;

	if (kp_choice(arg, ch == FMT_AVUNIONS ? unions : times,
	    ch == FMT_AVUNIONS ? "--avro-unions" : "--avro-time") == 1)
		*flags |= bit;
	else
		*flags &= ~bit;
}

void
fmt_free(struct fmt *f)
{
	buf_free(&f->text);
	memset(f, 0, sizeof(*f));
}
