/* sreg.h - a Confluent Schema Registry client (libcurl) and Confluent's
 * wire format: byte 0 is 0, bytes 1-4 the schema id (big-endian), then
 * the Avro datum. Schemas are fetched once per id and kept, compiled, for
 * the run; an id the registry does not know is remembered as unknown.
 * A schema's references (Confluent's "references": Avro named types and
 * Protobuf imports from other subjects) are fetched with it, each
 * subject version once, recursively; a cycle is refused.
 * One curl handle is reused, so connections are kept alive.
 * A registry that cannot be reached (no connection, a timeout, a 5xx
 * answer) ends the program: exit 69 naming the URL. */
#ifndef SREG_H
#define SREG_H

#include <stdint.h>

#include "avro.h"
#include "kp.h"
#include "proto.h"

#define SR_MAGIC	0
#define SR_HDR		5	/* magic byte and id */
enum { SR_AVRO, SR_PROTOBUF, SR_JSON };	/* what follows the header */

struct sreg_ent {
	int32_t		 id;
	int		 ok;		/* 0: the registry does not know it */
	char		*why;		/* when not ok */
	int		 kind;		/* SR_AVRO, SR_PROTOBUF or SR_JSON */
	struct av_schema s;
	struct pb_schema pb;
};

/* a referenced subject version, fetched once */
struct sreg_ref {
	char		*key;		/* subject, '\n', version */
	void		*tree;		/* the registry's answer (yajl_val) */
	const char	*schema;	/* its text, in tree */
	int		 busy;		/* being resolved: met again, a cycle */
};

struct sreg {
	char		*url;		/* without a trailing '/' */
	char		*auth;		/* user:password, or NULL */
	void		*curl;
	struct buf	 resp;
	long		 status;	/* the last answer's HTTP status */
	struct sreg_ent	*ent;
	int		 nent, cap;
	struct sreg_ref	*ref;
	int		 nref;
	int		 avflags;	/* av_decode's: AV_WRAP, AV_ISOTIME */
	int		 up;		/* it has answered once */
};

#define SREG_TRIES	4	/* tries of a request once the registry is up */

/* Ready to use the registry at url (auth "user:password" or NULL); asks
 * it once (GET /subjects) and exits 69 when it does not answer. */
void	sreg_open(struct sreg *, const char *url, const char *auth);
void	sreg_close(struct sreg *);
/* The Avro schema of id, fetched and compiled on first use; NULL with
 * the reason in why when the registry does not know it or it is not
 * Avro. */
const struct av_schema *sreg_schema(struct sreg *, int32_t id,
	    char *why, size_t whyn);
/* Decode the framed payload p[0..n), Avro or (SR_PROTOBUF) Protobuf
 * with its message indexes, into JSON text appended to out (SR_JSON: the
 * bytes after the header as they are, for the caller to check), its schema
 * id in *id. 0, or -1 with the reason in why (no magic byte, an unknown
 * id, a schema of the other kind, data that does not fit the schema). */
int	sreg_decode(struct sreg *, int kind, const void *p, size_t n,
	    struct buf *out, int32_t *id, char *why, size_t whyn);
/* Register the schema text js under subject (an identical schema keeps
 * its id): its id, or -1 with the registry's message in why (*status
 * 65 when the registry refused the schema: incompatible, invalid). */
int32_t	sreg_register(struct sreg *, const char *subject, const char *js,
	    char *why, size_t whyn);
/* The id of subject's latest version, or -1 with the reason in why. */
int32_t	sreg_latest(struct sreg *, const char *subject, char *why,
	    size_t whyn);
/* The 5 header bytes of id into h. */
void	sreg_header(unsigned char h[SR_HDR], int32_t id);

#endif
