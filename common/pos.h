/* pos.h - the position of a job in its input, as window-agg writes it on
 * a row (--position-field) and ksink commits it (--progress-group):
 * "TOPIC AFTER P:OFF P:OFF ...", where AFTER is the window_end (epoch ms)
 * up to which every window has been written, and OFF the offset in
 * partition P from which the input must be read again to rebuild every
 * window still open. A Kafka topic name has no space, so the text needs
 * no escaping inside a JSON string. */
#ifndef POS_H
#define POS_H

#include <stddef.h>
#include <stdint.h>

#include "kp.h"

struct pos_part {
	int32_t		 part;
	int64_t		 off;
};

struct pos {
	char		 topic[256];
	int64_t		 after;
	struct pos_part	*p;
	size_t		 n, cap;
};

/* Append the text of a position to b (no quotes). */
void	pos_write(struct buf *b, const char *topic, size_t tlen, int64_t after,
	    const struct pos_part *p, size_t n);
/* Parse s[0..n) into *ps (its array reused). 0 ok; -1 not a position. */
int	pos_parse(struct pos *ps, const char *s, size_t n);
void	pos_free(struct pos *);

#endif
