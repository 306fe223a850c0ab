/* serdes.c - ksink's Avro encoding in Confluent's wire format (serdes.h):
 * the schema registered or looked up once at the start, then each line
 * parsed (common/jtree.c) and encoded (common/avro.c) into reused
 * buffers behind the 5-byte header: no allocation per line. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro.h"
#include "envelope.h"
#include "jrec.h"
#include "jtree.h"
#include "jw.h"
#include "kconf.h"
#include "kp.h"
#include "serdes.h"
#include "sreg.h"

int
ksd_option(struct ksd *d, int ch, const char *arg)
{
	const char *fmt = arg;
	int key = 0;

	switch (ch) {
	case 's':
		if (strncmp(arg, "value=", 6) == 0)
			fmt = arg + 6;
		else if (strncmp(arg, "key=", 4) == 0) {
			fmt = arg + 4;
			key = 1;
		}
		if (strcmp(fmt, "avro") == 0) {
			if (key)
				d->kavro = d->k.on = 1;
			else
				d->vavro = d->v.on = 1;
		} else if (strcmp(fmt, "protobuf") == 0 || strcmp(fmt, "json") == 0)
			errx(EX_USAGE, "-s %s: %s in Confluent's framing is not "
			    "encoded yet; only avro is", arg, fmt);
		else
			errx(EX_USAGE, "-s %s: expected avro, key=avro or "
			    "value=avro", arg);
		return 1;
	case 'r':
		d->url = arg;
		return 1;
	case KSD_VSCHEMA:
	case KSD_KSCHEMA:
		(ch == KSD_VSCHEMA ? &d->v : &d->k)->file = arg;
		return 1;
	case KSD_VSUBJECT:
	case KSD_KSUBJECT:
		if (*arg == '\0')
			errx(EX_USAGE, "--%s-subject: empty subject",
			    ch == KSD_VSUBJECT ? "value" : "key");
		(ch == KSD_VSUBJECT ? &d->v : &d->k)->subject = arg;
		return 1;
	}
	return 0;
}

void
ksd_check(struct ksd *d, int envelope, const char *kfield,
    const char *topic)
{
	if (!d->vavro && (d->v.file != NULL || d->v.subject != NULL))
		errx(EX_USAGE, KSD_VAVRO);
	if (!d->kavro && (d->k.file != NULL || d->k.subject != NULL))
		errx(EX_USAGE, KSD_KAVRO);
	if (!d->vavro && !d->kavro && d->url != NULL)
		errx(EX_USAGE, "-r: the schema registry is for -s avro");
	if (envelope && topic == NULL && ((d->vavro && d->v.subject == NULL) ||
	    (d->kavro && d->k.subject == NULL)))
		errx(EX_USAGE, "-J -s avro without -t: name the subject with "
		    "--value-subject (and --key-subject for key=avro), as the "
		    "envelopes' topics may differ");
	if (d->kavro && kfield == NULL && !envelope)
		errx(EX_USAGE, "-s key=avro encodes the -k field: give -k "
		    "field");
	d->kfield = kfield;
}

static char *
slurp(const char *path, const char *what)
{
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		err(EX_NOINPUT, "--%s-schema %s", what, path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f))
		err(EX_NOINPUT, "--%s-schema %s", what, path);
	fclose(f);
	buf_cstr(&b);
	return b.p;
}

/* one side's schema: registered from its file, else the subject's latest */
static void
side_start(struct ksd *d, struct ksd_side *sd, const char *topic,
    const char *what)
{
	struct av_schema check;
	char *js;

	if (!sd->on)
		return;
	if (sd->subject == NULL) {	/* TopicNameStrategy */
		buf_add(&sd->subj, topic, strlen(topic));
		buf_addc(&sd->subj, '-');
		buf_add(&sd->subj, what, strlen(what));
		sd->subject = buf_cstr(&sd->subj);
	}
	if (sd->file != NULL) {
		js = slurp(sd->file, what);
		if (av_compile(&check, js, d->why, sizeof(d->why)) < 0)
			errx(EX_DATAERR, "--%s-schema %s: %s%s", what, sd->file,
			    d->why, strncmp(d->why, "unknown type ", 13) != 0 ?
			    "" : " (a schema using the types of other "
			    "subjects is not registered from a file: register "
			    "it with its references, then leave out the file "
			    "to use the subject's latest version)");
		av_free(&check);
		sd->id = sreg_register(&d->sr, sd->subject, js, d->why,
		    sizeof(d->why));
		free(js);
		if (sd->id < 0)
			errx(EX_DATAERR, "schema registry %s: subject %s "
			    "refused --%s-schema %s: %s", d->sr.url,
			    sd->subject, what, sd->file, d->why);
	} else {
		sd->id = sreg_latest(&d->sr, sd->subject, d->why,
		    sizeof(d->why));
		if (sd->id < 0)
			errx(EX_DATAERR, "schema registry %s: subject %s: %s "
			    "(give --%s-schema FILE.avsc to register one)",
			    d->sr.url, sd->subject, d->why, what);
	}
	if ((sd->s = sreg_schema(&d->sr, sd->id, d->why, sizeof(d->why))) ==
	    NULL)
		errx(EX_DATAERR, "schema registry %s: %s", d->sr.url, d->why);
}

void
ksd_start(struct ksd *d, const struct kconf *kc, const char *topic)
{
	const char *url = d->url ? d->url : kc->sr_url;

	if (!d->vavro && !d->kavro)
		return;
	if (*url == '\0')
		errx(EX_USAGE, "-s avro needs the schema registry: -r "
		    "URL, or schema.registry.url in -F or -X");
	sreg_open(&d->sr, url, kc->sr_auth[0] ? kc->sr_auth : NULL);
	side_start(d, &d->k, topic, "key");
	side_start(d, &d->v, topic, "value");
}

/* encode the value at node i of d->jt with sd's schema */
static int
side_encode(struct ksd *d, struct ksd_side *sd, int i, const char **out,
    size_t *outn)
{
	unsigned char h[SR_HDR];

	sd->enc.len = 0;
	sreg_header(h, sd->id);
	buf_add(&sd->enc, h, SR_HDR);
	if (av_encode_at(sd->s, &d->jt, i, &sd->enc, d->why,
	    sizeof(d->why)) < 0)
		return -1;
	*out = sd->enc.p;
	*outn = sd->enc.len;
	return 0;
}

int
ksd_encode(struct ksd *d, const char *v, size_t n, const char **out,
    size_t *outn)
{
	if (jt_parse(&d->jt, v, n) < 0) {
		snprintf(d->why, sizeof(d->why), "%s", d->jt.err);
		return -1;
	}
	return side_encode(d, &d->v, 0, out, outn);
}

int
ksd_key(struct ksd *d, const char *v, size_t n, const char **out,
    size_t *outn)
{
	const char *p = d->kfield, *dot;
	char part[256];
	size_t len;
	int i = 0;
	char why[600];

	if (jt_parse(&d->jt, v, n) < 0) {
		snprintf(d->why, sizeof(d->why), "%s", d->jt.err);
		return -1;
	}
	/* the dotted path, as -k reads it */
	while (i >= 0 && *p != '\0') {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		snprintf(part, sizeof(part), "%.*s", (int)len, p);
		i = jt_get(&d->jt, i, part);
		p += len + (dot != NULL);
	}
	if (side_encode(d, &d->k, i, out, outn) < 0) {
		snprintf(why, sizeof(why), "%s", d->why);
		snprintf(d->why, sizeof(d->why), "key field %s: %s", d->kfield,
		    why);
		return -1;
	}
	return 0;
}

/* the JSON text of an envelope's key or payload p[0..n) of type type
 * (JR_*) into *js, *jn; -1 when it is bytes (*_base64), not JSON */
static int
env_json(struct ksd *d, int type, const char *p, size_t n, const char **js,
    size_t *jn)
{
	if (type == JR_NONE)
		return -1;
	if (type == JR_STR) {
		d->js.len = 0;
		jw_str(&d->js, p, n);
		p = d->js.p;
		n = d->js.len;
	}
	*js = p;
	*jn = n;
	return 0;
}

int
ksd_envelope(struct ksd *d, const struct envelope *e, const char *line,
    size_t n, const char **key, size_t *klen, const char **val, size_t *vlen)
{
	const char *js;
	size_t jn;
	char why[600];

	if (d->kavro && d->kfield != NULL) {
		if (ksd_key(d, line, n, key, klen) < 0)
			return -1;
	} else if (d->kavro && e->key != NULL) {
		if (env_json(d, e->key_type, e->key, e->key_len, &js, &jn) < 0) {
			snprintf(d->why, sizeof(d->why), "key_base64: bytes, "
			    "not a JSON value to encode with -s key=avro");
			return -1;
		}
		if (jt_parse(&d->jt, js, jn) < 0) {
			snprintf(d->why, sizeof(d->why), "key: %s", d->jt.err);
			return -1;
		}
		if (side_encode(d, &d->k, 0, key, klen) < 0) {
			snprintf(why, sizeof(why), "%s", d->why);
			snprintf(d->why, sizeof(d->why), "key: %s", why);
			return -1;
		}
	}
	if (d->vavro && e->payload != NULL) {
		if (env_json(d, e->payload_type, e->payload, e->payload_len,
		    &js, &jn) < 0) {
			snprintf(d->why, sizeof(d->why), "payload_base64: bytes, "
			    "not a JSON value to encode with -s value=avro");
			return -1;
		}
		if (ksd_encode(d, js, jn, val, vlen) < 0) {
			snprintf(why, sizeof(why), "%s", d->why);
			snprintf(d->why, sizeof(d->why), "payload: %s", why);
			return -1;
		}
	}
	return 0;
}

void
ksd_free(struct ksd *d)
{
	buf_free(&d->js);
	if (d->sr.url != NULL)
		sreg_close(&d->sr);
	jt_free(&d->jt);
	buf_free(&d->v.enc);
	buf_free(&d->v.subj);
	buf_free(&d->k.enc);
	buf_free(&d->k.subj);
}
