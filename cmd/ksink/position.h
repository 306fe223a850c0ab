/* position.h - ksink --position-field and --progress-group: each row that
 * carries a position (window-agg --position-field, see pos.h) marks a
 * point where everything before it is complete; ksink strips the field
 * from the message and commits transactions only at such points, with
 * the position sent in the same transaction as the offsets of the
 * progress group (a group no consumer joins), so the rows and the
 * position a restart starts from are committed together or not at all. */
#ifndef KPOS_H
#define KPOS_H

#include <librdkafka/rdkafka.h>

#include "jrec.h"
#include "kp.h"
#include "pos.h"
#include "waitnote.h"

/* --exactly-once: where the positions come from, learnt from the
 * stream (ctl.h): position lines (a window-agg upstream), or at lines
 * (a stateless line: ksink counts the records itself) */
enum { KPOS_NONE, KPOS_LINES, KPOS_AT };

struct kpos {
	const char	*field;		/* --position-field */
	const char	*group;		/* --progress-group */
	int		 eo;		/* --exactly-once */
	int		 mode;		/* KPOS_*, with eo */
	int		 urgent;	/* commit at once (a revoke's answer) */
	size_t		 cur;		/* KPOS_AT: pos.p[cur] the partition
					   of the records below its at line */
	int		 curset;
	int		 curt;		/* KPOS_AT: the topic of the last at
					   line (pos.topic[curt]); -1 none */
	int		 path;		/* its jrec path */
	int		 point;		/* the last row carried a position */
	int		 have;		/* pos holds one not yet committed */
	struct pos	 pos, tmp;
	struct buf	 value;		/* the row without the field */
	struct buf	 copy;		/* the compact row, when not the line */
	rd_kafka_consumer_group_metadata_t *cgmd;
};

/* After jr_parse() of line (jr->copy set): *value and *n the record to
 * send, without the position member. 0 ok, 1 no position on the row,
 * -1 a position that does not parse (kp->pos is then unchanged). */
int	kpos_take(struct kpos *, struct jrec *, const char *line,
	    size_t len, const char **value, size_t *n);
#define KPOS_NOTE_MS	2000	/* a wait longer than this is said */
#define KPOS_BACKOFF_MS	200	/* between tries of a transaction call */

/* Send the last position taken, if any, with the open transaction,
 * retrying retriable errors until end (tu_mono_ms() time; a wait of
 * KPOS_NOTE_MS is said on stderr through wn). NULL or the error (the
 * caller aborts). */
rd_kafka_error_t *kpos_send(struct kpos *, rd_kafka_t *, int64_t end,
	    struct waitnote *wn);
void	kpos_free(struct kpos *);

/* --exactly-once: a control line of the stream (ctl.h, of kind kind)
 * taken. 0, or -1 with a reason in why[n] (a bad line, or one that
 * does not belong here). */
int	kpos_control(struct kpos *, int kind, const char *line, size_t len,
	    char *why, size_t n);
/* --exactly-once: a record (or a skip line) went by. */
void	kpos_count(struct kpos *);
/* After a commit of a revoke's answer: the partitions are gone. */
void	kpos_committed(struct kpos *);

#endif
