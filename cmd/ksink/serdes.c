/* serdes.c - ksink's Avro encoding in Confluent's wire format (serdes.h):
 * the schema registered or looked up once at the start, then each line
 * parsed (common/jtree.c) and encoded (common/avro.c) into reused
 * buffers behind the 5-byte header: no allocation per line. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro.h"
#include "jtree.h"
#include "kconf.h"
#include "kp.h"
#include "serdes.h"
#include "sreg.h"

int
ksd_option(struct ksd *d, int ch, const char *arg)
{
	const char *fmt = arg;

	switch (ch) {
	case 's':
		if (strncmp(arg, "value=", 6) == 0)
			fmt = arg + 6;
		else if (strncmp(arg, "key=", 4) == 0)
			errx(EX_USAGE, "-s %s: ksink encodes values only "
			    "(keys stay text from -k or -K)", arg);
		if (strcmp(fmt, "avro") == 0)
			d->vavro = 1;
		else if (strcmp(fmt, "protobuf") == 0 || strcmp(fmt, "json") == 0)
			errx(EX_USAGE, "-s %s: %s in Confluent's framing is not "
			    "encoded yet; only avro is", arg, fmt);
		else
			errx(EX_USAGE, "-s %s: expected avro or value=avro", arg);
		return 1;
	case 'r':
		d->url = arg;
		return 1;
	case KSD_VSCHEMA:
		d->file = arg;
		return 1;
	case KSD_VSUBJECT:
		if (*arg == '\0')
			errx(EX_USAGE, "--value-subject: empty subject");
		d->subject = arg;
		return 1;
	}
	return 0;
}

void
ksd_check(struct ksd *d, int envelope)
{
	if (!d->vavro && (d->url != NULL || d->file != NULL ||
	    d->subject != NULL))
		errx(EX_USAGE, "-r, --value-schema and --value-subject go "
		    "with -s value=avro");
	if (d->vavro && envelope)
		errx(EX_USAGE, "-s value=avro -J: envelopes are not encoded "
		    "yet; give -t topic");
}

static char *
slurp(const char *path)
{
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		err(EX_NOINPUT, "--value-schema %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f))
		err(EX_NOINPUT, "--value-schema %s", path);
	fclose(f);
	buf_cstr(&b);
	return b.p;
}

void
ksd_start(struct ksd *d, const struct kconf *kc, const char *topic)
{
	struct av_schema check;
	char *js;
	const char *url = d->url ? d->url : kc->sr_url;

	if (!d->vavro)
		return;
	if (*url == '\0')
		errx(EX_USAGE, "-s value=avro needs the schema registry: -r "
		    "URL, or schema.registry.url in -F or -X");
	if (d->subject == NULL) {	/* TopicNameStrategy */
		buf_add(&d->subj, topic, strlen(topic));
		buf_adds(&d->subj, "-value");
		d->subject = buf_cstr(&d->subj);
	}
	sreg_open(&d->sr, url, kc->sr_auth[0] ? kc->sr_auth : NULL);
	if (d->file != NULL) {
		js = slurp(d->file);
		if (av_compile(&check, js, d->why, sizeof(d->why)) < 0)
			errx(EX_DATAERR, "--value-schema %s: %s", d->file,
			    d->why);
		av_free(&check);
		d->id = sreg_register(&d->sr, d->subject, js, d->why,
		    sizeof(d->why));
		free(js);
		if (d->id < 0)
			errx(EX_DATAERR, "schema registry %s: subject %s "
			    "refused --value-schema %s: %s", d->sr.url,
			    d->subject, d->file, d->why);
	} else {
		d->id = sreg_latest(&d->sr, d->subject, d->why, sizeof(d->why));
		if (d->id < 0)
			errx(EX_DATAERR, "schema registry %s: subject %s: %s "
			    "(give --value-schema FILE.avsc to register one)",
			    d->sr.url, d->subject, d->why);
	}
	if ((d->s = sreg_schema(&d->sr, d->id, d->why, sizeof(d->why))) == NULL)
		errx(EX_DATAERR, "schema registry %s: %s", d->sr.url, d->why);
}

int
ksd_encode(struct ksd *d, const char *v, size_t n, const char **out,
    size_t *outn)
{
	unsigned char h[SR_HDR];

	if (jt_parse(&d->jt, v, n) < 0) {
		snprintf(d->why, sizeof(d->why), "%s", d->jt.err);
		return -1;
	}
	d->enc.len = 0;
	sreg_header(h, d->id);
	buf_add(&d->enc, h, SR_HDR);
	*out = d->enc.p;
	*outn = d->enc.len;
	if (av_encode(d->s, &d->jt, &d->enc, d->why, sizeof(d->why)) < 0)
		return -1;
	*out = d->enc.p;
	*outn = d->enc.len;
	return 0;
}

void
ksd_free(struct ksd *d)
{
	if (d->sr.url != NULL)
		sreg_close(&d->sr);
	jt_free(&d->jt);
	buf_free(&d->enc);
	buf_free(&d->subj);
}
