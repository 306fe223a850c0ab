/* envelope.h - ksource's (and kcat's) -J envelope read back:
 *	{"topic":T,"partition":P,"offset":O,"tstype":"create","ts":MS,
 *	 "broker":B,"headers":[NAME,VALUE,...],"key":K,"payload":V}
 * with key_base64 / payload_base64 instead of key / payload for bytes
 * that are not UTF-8. offset and broker, and fields not named here, are
 * ignored. A string payload stands for its bytes (kcat writes every
 * payload so); any other JSON payload stands for its text exactly as it
 * is written in the line. */
#ifndef ENVELOPE_H
#define ENVELOPE_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_parse.h>

#include "kp.h"

struct env_hdr {
	const char	*name;		/* NUL-terminated too */
	size_t		 nlen;
	const char	*value;		/* NULL: a null header value */
	size_t		 vlen;
};

struct envelope {
	/* the last env_parse() result; valid until the next call */
	const char	*topic;		/* NUL-terminated; NULL: no topic */
	int32_t		 partition;	/* -1: none */
	int64_t		 ts;		/* 0: none (or tstype "none") */
	const char	*key;		/* NULL: null key */
	size_t		 key_len;
	const char	*payload;	/* NULL: null payload (a tombstone) */
	size_t		 payload_len;
	struct env_hdr	*hdr;
	int		 nhdr;
	char		 err[160];
	/* parse state */
	yajl_handle	 h;
	const char	*line;
	struct buf	 data, hspan, harr;
	size_t		 at[9][2];	/* per field: data offset, length */
	int		 set[9];
	int		 depth, field, inhdr;
	size_t		 pbeg, pend;	/* a raw payload's span in line */
};

void	env_init(struct envelope *);
void	env_free(struct envelope *);
/* Read one envelope line, which jr_parse() found to be a JSON object
 * (ksink checks every line so, with one set of messages). 0 ok; -1 not
 * an envelope, with e->err the reason. */
int	env_parse(struct envelope *, const char *line, size_t len);

#endif
