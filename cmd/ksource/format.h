/* format.h - kcat's output: the -J envelope, and the -f format, a format
 * string parsed once into a list of tokens, then each message written
 * with one pass over them.
 * Tokens: %t topic, %p partition, %o offset, %k key, %K key length (-1
 * without a key), %s payload, %S payload length (-1 without a value), %R
 * the same as a big-endian 32-bit integer, %T timestamp (ms), %h headers
 * as name=value,..., %e why the payload is not JSON (empty when it is),
 * %% a percent sign; \n \r \t \\ \xHH and \NNN (decimal) escapes. */
#ifndef FORMAT_H
#define FORMAT_H

#include <getopt.h>

#include <librdkafka/rdkafka.h>

#include "kp.h"

#define FMT_MAXTOK	128

enum { FT_STR, FT_TOPIC, FT_PART, FT_OFF, FT_KEY, FT_KLEN, FT_PAYLOAD,
    FT_PLEN, FT_PLEN_BE, FT_TS, FT_HDRS, FT_ERR };

struct fmt {
	struct ftok {
		int	 type;
		size_t	 off, len;	/* FT_STR: text[off..off+len) */
	} tok[FMT_MAXTOK];
	int		 ntok;
	struct buf	 text;		/* the literal parts, unescaped */
	int		 null;		/* -Z: an empty key or payload is NULL */
	int		 need_err;	/* %e is used */
};

/* Parse spec into f (zeroed by the caller, or freed and zeroed). NULL, or
 * the reason it is refused ("unknown token %x", ...), in a static buffer. */
const char *fmt_parse(struct fmt *f, const char *spec);
/* Add one token; lit, for FT_STR, is unescaped first. At most a few
 * (the caller's own default format): FMT_MAXTOK is not checked. */
void	fmt_add(struct fmt *f, int type, const char *lit);
/* Append message m of topic to out as f says; err is the %e text. */
void	fmt_msg(const struct fmt *f, struct buf *out, const char *topic,
	    const rd_kafka_message_t *m, const char *err);
/* kcat's -J envelope of m into r: pre is '{"topic":NAME,"partition":'
 * (pt_topic()'s jpre); the payload is json[0..jn) as it is when json is
 * not NULL (the caller checked it is JSON), else a string, or base64 in
 * "payload_base64" when it is not UTF-8 (so is the key, in "key_base64");
 * header bytes that are not UTF-8 become U+FFFD. */
void	fmt_envelope(struct buf *r, const struct buf *pre,
	    const rd_kafka_message_t *m, const char *json, size_t jn);
/* The same with the key decoded (-s key=avro): kjson[0..kjn) as it is
 * when kjson is not NULL; and, when kid or vid is not -1,
 * "key_schema_id" and "value_schema_id" as kcat writes them. */
void	fmt_envelope_sr(struct buf *r, const struct buf *pre,
	    const rd_kafka_message_t *m, const char *kjson, size_t kjn,
	    const char *json, size_t jn, int64_t kid, int64_t vid);
void	fmt_free(struct fmt *f);

/* --avro-unions plain|wrapped and --avro-time number|iso8601: how -s avro
 * writes unions and the date and time logical types (avro.h's AV_WRAP
 * and AV_ISOTIME) */
enum { FMT_AVUNIONS = 400, FMT_AVTIME };
/* Option ch (FMT_AVUNIONS or FMT_AVTIME) with value arg into *flags;
 * exits 64 on a value it does not name. */
void	fmt_avro_option(int *flags, int ch, const char *arg);

#endif
