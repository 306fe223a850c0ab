/* kconf.h - librdkafka configuration as kcat builds it: a config file
 * of prop=value lines (-F, else $KCAT_CONFIG, else ~/.config/kcat.conf
 * when present), then -X prop=value options, and bootstrap.servers from
 * -b, else $KAFKA_BROKERS, else the file, else localhost:9092. A tool's
 * own defaults go first, so the file and -X override them. */
#ifndef KCONF_H
#define KCONF_H

#include <librdkafka/rdkafka.h>

#include "kp.h"

#define KC_MAXX	128

struct kconf {
	const char	*brokers;	/* -b, or NULL */
	const char	*file;		/* -F, or NULL */
	const char	*x[KC_MAXX];	/* -X prop=value, in order */
	int		 nx;
	const char *const *defaults;	/* NULL-terminated prop=value list
					   applied before the file, or NULL */
	char		 used[1024];	/* the bootstrap list finally used */
	int		 dump;		/* -X dump */
	/* schema.registry.url and schema.registry.basic.auth.user.info
	 * (kcat's names), from the file or -X: kc_build() keeps them
	 * here, not in librdkafka's configuration; "" when not given */
	char		 sr_url[1024];
	char		 sr_auth[512];
};

/* The Kafka tools' rows of an option table (opt.h), handled by
 * kc_option(). */
#define KC_OPTS \
	{ "brokers", 'b', KA_STR, 0, 0, .id = 'b' }, \
	{ "property", 'X', KA_STR, 0, 0, .id = 'X' }, \
	{ "config", 'F', KA_STR, 0, 0, .id = 'F' }

void	kc_init(struct kconf *);
/* -b, -X prop=value (exits 64 when it has no '='), -X dump, -F: 1 when
 * ch was one of them, else 0. -X list prints librdkafka's properties and
 * exits 0. */
int	kc_option(struct kconf *, int ch, const char *arg);
/* Apply one prop=value; exits 64 with librdkafka's reason when
 * rejected. origin names where it came from in the message. */
void	kc_set(rd_kafka_conf_t *, const char *prop, const char *value,
	    const char *origin);
/* Build the configuration described above. Exits 64 on a bad property
 * and 66 on an unreadable -F file; warns when a file that holds a
 * password is readable by group or others. The caller owns the result
 * (rd_kafka_new() takes it). */
rd_kafka_conf_t *kc_build(struct kconf *);
/* rd_kafka_new() with conf (which it takes), exiting 64 with librdkafka's
 * reason when refused; under -X dump, print conf as kcat does (prop =
 * value lines) and exit 0 instead. */
rd_kafka_t *kc_new(struct kconf *, rd_kafka_type_t, rd_kafka_conf_t *conf);
/* Startup: when librdkafka's failure text (a FAIL log line or an error
 * callback's reason) shows that no broker will answer however long one
 * waits (a refused connection, a host name that does not resolve), the
 * explanation with a hint, in buf; else NULL. */
#define KC_HOPELESS_MS	1500	/* wait this long before believing it */
const char *kc_hopeless(const struct kconf *, const char *failure,
	    char *buf, size_t n);
/* Unescape s[0..n) as kcat does for -f, -K and -D: \n \r \t, \xHH
 * (hexadecimal), \NNN (decimal, 0NN octal), any other \c is c. Appends
 * to b; returns the number of bytes added. */
size_t	kc_unescape(struct buf *b, const char *s, size_t n);

#endif
