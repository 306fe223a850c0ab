/* pos.h - the position of a job in its input, as window-agg writes it on
 * a row (--position-field) and ksink commits it (--progress-group):
 * "TOPIC AFTER P:OFF[:PAFTER][@WM][+NEXT] ... [TOPIC P:OFF...] ... [!FENCE]",
 * where AFTER is the window_end (epoch ms) up to which every window has
 * been written, OFF the offset in partition P of the topic named last
 * from which the input must be read again to rebuild every window still
 * open, PAFTER, when given, a later AFTER for the windows of P alone
 * (written by an earlier owner of P in a consumer group); for a job whose
 * windows stay open after they are written (window-agg --lateness,
 * --emit-every), WM the watermark then, up to which windows ended with
 * their lateness (each window ending at E with E + lateness <= WM is
 * closed for good), and NEXT the offset past the last record read (those
 * below it are in the rows written already, or counted late); and FENCE the
 * token of a revoke (ksource -G): the position is then the last one of
 * that member for those partitions. A job that reads several topics names
 * each before its partitions (a name has no ':', a partition has one). A
 * Kafka topic name has no space, so the text needs no escaping inside a
 * JSON string. */
#ifndef POS_H
#define POS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kp.h"

#define POS_NOAFTER	INT64_MIN	/* pos_part.after: none of its own */
#define POS_FENCEMAX	64		/* a fence token's bytes, and '\0' */

struct pos_part {
	uint32_t	 t;		/* its topic: struct pos' topic[t] */
	int32_t		 part;
	int64_t		 off;
	int64_t		 after;		/* PAFTER, or POS_NOAFTER */
	int64_t		 wm;		/* WM, or POS_NOAFTER */
	int64_t		 next;		/* NEXT, or -1 */
};

#define POS_TOPICMAX	256	/* a topic name's bytes, and '\0' */

struct pos {
	char		(*topic)[POS_TOPICMAX];	/* topic[0]: the first named */
	size_t		 nt, tcap;
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

/* Append the text of a position to b (no quotes): names->topic[] the
 * topic names (the first written first, with or without partitions),
 * p[0..n) the partitions, each topic's together; fence NULL or "" for
 * none. A part's after is written only when later than after. */
void	pos_write(struct buf *b, const struct pos *names, int64_t after,
	    const struct pos_part *p, size_t n, const char *fence);
/* A partition's commit metadata (ksink writes it, ksource reads it):
 * "[AFTER][@WM][+NEXT][ !FENCE]", each part as in the position text
 * (after POS_NOAFTER or INT64_MIN + 1, wm POS_NOAFTER and next < 0 are
 * not written; fence NULL or "": none). */
void	pos_meta_write(struct buf *, int64_t after, int64_t wm, int64_t next,
	    const char *fence);
/* Parse metadata s[0..n) (NULL or empty: nothing): *after (INT64_MIN
 * when none), *wm (POS_NOAFTER), *next (-1), fence (POS_FENCEMAX bytes,
 * "" when none; may be NULL). 0, or -1 when it is not such metadata
 * (every part then left none). */
int	pos_meta_parse(const char *s, size_t n, int64_t *after, int64_t *wm,
	    int64_t *next, char *fence);
/* The index of topic s[0..n) in ps->topic, added when new; -1 when s is
 * not a topic name. */
int	pos_topic(struct pos *ps, const char *s, size_t n);
/* The after of one partition: its own, or the position's. */
int64_t	pos_after(const struct pos *, size_t i);
/* s[0..n) is a Kafka topic name or a fence token: 1 to 249 bytes of
 * a-z, A-Z, 0-9, '.', '_' and '-' (the length the caller checks). */
int	pos_name_ok(const char *s, size_t n);
/* Parse s[0..n) into *ps (its array reused). 0 ok; -1 not a position. */
int	pos_parse(struct pos *ps, const char *s, size_t n);
void	pos_free(struct pos *);

#endif
