/* pos.h - the position of a job in its input, as window-agg writes it on
 * a row (--position-field) and ksink commits it (--progress-group):
 * "TOPIC AFTER P:OFF[:PAFTER] ... [!FENCE]", where AFTER is the
 * window_end (epoch ms) up to which every window has been written, OFF
 * the offset in partition P from which the input must be read again to
 * rebuild every window still open, PAFTER, when given, a later AFTER for
 * the windows of P alone (written by an earlier owner of P in a consumer
 * group), and FENCE the token of a revoke (ksource -G): the position is
 * then the last one of that member for those partitions. A Kafka topic
 * name has no space, so the text needs no escaping inside a JSON string. */
#ifndef POS_H
#define POS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kp.h"

#define POS_NOAFTER	INT64_MIN	/* pos_part.after: none of its own */
#define POS_FENCEMAX	64		/* a fence token's bytes, and '\0' */

struct pos_part {
	int32_t		 part;
	int64_t		 off;
	int64_t		 after;		/* PAFTER, or POS_NOAFTER */
};

struct pos {
	char		 topic[256];
	int64_t		 after;
	char		 fence[POS_FENCEMAX];	/* "" none */
	struct pos_part	*p;
	size_t		 n, cap;
};

/* A control line of an exactly-once job (ksource -J --from-group, and
 * window-agg's answer to a revoke; kappa-pipes(7), Control lines) begins
 * so: it is not a record, and every tool passes or takes it as such. */
#define POS_CONTROL	"{\"kp_control\":"

static inline int
pos_control(const char *line, size_t len)
{
	return len >= sizeof(POS_CONTROL) - 1 &&
	    memcmp(line, POS_CONTROL, sizeof(POS_CONTROL) - 1) == 0;
}

/* Append the text of a position to b (no quotes); fence NULL or "" for
 * none. A part's after is written only when later than after. */
void	pos_write(struct buf *b, const char *topic, size_t tlen, int64_t after,
	    const struct pos_part *p, size_t n, const char *fence);
/* The after of one partition: its own, or the position's. */
int64_t	pos_after(const struct pos *, size_t i);
/* s[0..n) is a Kafka topic name or a fence token: 1 to 249 bytes of
 * a-z, A-Z, 0-9, '.', '_' and '-' (the length the caller checks). */
int	pos_name_ok(const char *s, size_t n);
/* Parse s[0..n) into *ps (its array reused). 0 ok; -1 not a position. */
int	pos_parse(struct pos *ps, const char *s, size_t n);
void	pos_free(struct pos *);

#endif
