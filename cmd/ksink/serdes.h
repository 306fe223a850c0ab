/* serdes.h - ksink -s value=avro: each JSON line encoded as Avro in
 * Confluent's wire format, with a schema registered under the subject
 * (--value-schema FILE.avsc) or the subject's latest version; -s
 * key=avro: the -k field's value likewise (--key-schema, TOPIC-key). */
#ifndef KSINK_SERDES_H
#define KSINK_SERDES_H

#include <stdint.h>

#include "avro.h"
#include "envelope.h"
#include "jtree.h"
#include "kconf.h"
#include "kp.h"
#include "sreg.h"

enum { KSD_VSCHEMA = 300, KSD_VSUBJECT, KSD_KSCHEMA, KSD_KSUBJECT };

/* -s, -r and the schema options as rows of an option table (opt.h),
 * handled by ksd_option(). */
#define KSD_VAVRO	"--value-schema and --value-subject go with -s " \
			    "value=avro"
#define KSD_KAVRO	"--key-schema and --key-subject go with -s key=avro"
#define KSD_OPTS \
	{ "serdes", 's', KA_STR, 0, 0, .id = 's' }, \
	{ "schema-registry", 'r', KA_STR, 0, 0, .needs = "serdes", \
	    .why = "-r: the schema registry is for -s avro", .id = 'r' }, \
	{ "value-schema", 0, KA_STR, 0, 0, .needs = "serdes", \
	    .why = KSD_VAVRO, .id = KSD_VSCHEMA }, \
	{ "value-subject", 0, KA_STR, 0, 0, .needs = "serdes", \
	    .why = KSD_VAVRO, .id = KSD_VSUBJECT }, \
	{ "key-schema", 0, KA_STR, 0, 0, .needs = "serdes", \
	    .why = KSD_KAVRO, .id = KSD_KSCHEMA }, \
	{ "key-subject", 0, KA_STR, 0, 0, .needs = "serdes", \
	    .why = KSD_KAVRO, .id = KSD_KSUBJECT }

/* the key's or the value's schema */
struct ksd_side {
	int		 on;		/* -s key=avro, -s value=avro */
	const char	*file;		/* --key-schema, --value-schema */
	const char	*subject;	/* --key-subject, --value-subject */
	struct buf	 subj;		/* TOPIC-key, TOPIC-value */
	const struct av_schema *s;
	int32_t		 id;
	struct buf	 enc;		/* a record encoded */
};

struct ksd {
	int		 vavro;		/* -s value=avro (v.on) */
	int		 kavro;		/* -s key=avro (k.on) */
	const char	*url;		/* -r, or NULL */
	const char	*kfield;	/* -k, for key=avro */
	struct ksd_side	 v, k;
	struct sreg	 sr;
	struct jtree	 jt;		/* the line parsed */
	struct buf	 js;		/* -J: a string key or payload as JSON */
	char		 why[600];
};

/* -s, -r, --value-schema, --value-subject: 1 when ch was one of them.
 * Exits 64 on -s protobuf, json or key=. */
int	ksd_option(struct ksd *, int ch, const char *arg);
/* After the options: exits 64 when they do not go together (key=avro
 * needs kfield, the -k field, or envelopes; envelopes without topic, the
 * -t topic, need the subjects named). */
void	ksd_check(struct ksd *, int envelope, const char *kfield,
	    const char *topic);
/* Reach the registry (exit 69), register or look up the schema (exit 65
 * with the registry's message when it refuses it, 66 when the file
 * cannot be read). */
void	ksd_start(struct ksd *, const struct kconf *, const char *topic);
/* Encode the JSON value v[0..n): 0 with the framed bytes in *out, *outn;
 * -1 with the reason in k->why ("amount_usd: expected double, got
 * string"). */
int	ksd_encode(struct ksd *, const char *v, size_t n, const char **out,
	    size_t *outn);
/* Encode the -k field of the JSON record v[0..n) with the key schema:
 * 0 with the framed bytes in *out, *outn (none for a null or missing
 * field that the schema does not take); -1 with the reason in k->why. */
int	ksd_key(struct ksd *, const char *v, size_t n, const char **out,
	    size_t *outn);
/* -J: the envelope e's payload (-s value=avro) and key (-s key=avro: the
 * envelope's key, or the -k field of the envelope line[0..n)) encoded,
 * each a JSON value (a string one the string), in place of *val, *vlen
 * and *key, *klen; a null payload or key stays null. 0, or -1 with the
 * reason in d->why. */
int	ksd_envelope(struct ksd *, const struct envelope *e, const char *line,
	    size_t n, const char **key, size_t *klen, const char **val,
	    size_t *vlen);
void	ksd_free(struct ksd *);

#endif
