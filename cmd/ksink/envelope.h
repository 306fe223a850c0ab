/* envelope.h - ksource's (and kcat's) -J envelope read back:
 *	{"topic":T,"partition":P,"offset":O,"tstype":"create","ts":MS,
 *	 "broker":B,"headers":[NAME,VALUE,...],"key":K,"payload":V}
 * with key_base64 / payload_base64 instead of key / payload for bytes
 * that are not UTF-8. offset and broker, and fields not named here, are
 * ignored. A string payload stands for its bytes (kcat writes every
 * payload so); any other JSON payload stands for its text exactly as it
 * is written in the line.
 *
 * The envelope's fields are paths of the caller's struct jrec, so one
 * parse of the line, with jr_parse()'s checks and messages, reads it. */
#ifndef ENVELOPE_H
#define ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "jrec.h"
#include "kp.h"

#define ENV_NFIELDS	9

struct env_hdr {
	const char	*name;
	size_t		 nlen;
	const char	*value;		/* NULL: a null header value */
	size_t		 vlen;
};

struct envelope {
	/* the last env_parse() result; valid until the next call (and the
	 * next jr_parse() of its jrec) */
	const char	*topic;		/* NUL-terminated; NULL: no topic */
	int32_t		 partition;	/* -1: none */
	int64_t		 ts;		/* 0: none (or tstype "none") */
	const char	*key;		/* NULL: null key */
	size_t		 key_len;
	const char	*payload;	/* NULL: null payload (a tombstone) */
	size_t		 payload_len;
	int		 key_type;	/* JR_STR, JR_NULL... as read; */
	int		 payload_type;	/* JR_NONE from *_base64 */
	struct env_hdr	*hdr;
	int		 nhdr;
	char		 err[160];
	int		 path[ENV_NFIELDS];	/* the fields' paths in jr */
	int		 anykey;	/* set by the caller: a key of any
					 * JSON type, as its text (an object
					 * or array as the line writes it) */
	struct buf	 data, hspan;
};

/* Add the envelope's fields to jr's paths (to be read whole where they
 * are arrays or objects). */
void	env_init(struct envelope *, struct jrec *jr);
void	env_free(struct envelope *);
/* The envelope in the line jr_parse() has just read with jr, a JSON
 * object. 0 ok; -1 not an envelope, with e->err the reason. */
int	env_parse(struct envelope *, const struct jrec *jr, const char *line);

#endif
