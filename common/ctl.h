/* ctl.h - the control lines of an exactly-once stream, written and read
 * here only (kappa-pipes(7), EXACTLY ONCE, states the grammar). A control
 * line is one JSON object whose first member is "kp_control", written
 * compact in this order, so that a reader tells it from a record by its
 * first bytes (pos_control()) and its kind by the next ones:
 *
 *   {"kp_control":"job","group":G,"topic":T,"txn":ID}   first, once
 *   {"kp_control":"member","gm":B64}      the consumer's group metadata
 *   {"kp_control":"assign","topic":T,"partition":P[,"offset":O][,"after":A]
 *       [,"wm":W][,"next":N]}   (W and N: pos.h's WM and NEXT)
 *   {"kp_control":"revoke","topic":T,"fence":F[,"go":"T:P ..."]}   go:
 *       the partitions taken away when the member keeps others
 *       (cooperative); without it, all of them
 *   {"kp_control":"at"[,"topic":T],"partition":P,"offset":O}   the
 *       records below, to the next at line, are P's from O on, one offset
 *       each; T is written when it is not the topic of the at line before
 *       (the job line's topic for the first)
 *   {"kp_control":"skip"}                 a record dropped on the way: it
 *       takes its offset as a record would
 *   {"kp_control":"position","position":TEXT}   (pos.h) where a restart
 *       reads from, everything above it complete
 *   {"kp_control":"fence","position":TEXT}   the same, answering a
 *       revoke: TEXT ends with its fence token (CTL_POSITION too)
 *
 * A filter passes the lines it does not take part in, in their place.
 * A last line with no newline was cut short by a writer that died in the
 * middle of it (an at line's offset may have lost digits): it is not
 * taken, passed on or counted (nd_reader's torn). */
#ifndef CTL_H
#define CTL_H

#include <stddef.h>
#include <stdint.h>

#include "kp.h"

enum ctl_kind {
	CTL_NONE,	/* a record */
	CTL_JOB, CTL_MEMBER, CTL_ASSIGN, CTL_REVOKE, CTL_AT, CTL_SKIP,
	CTL_POSITION,
	CTL_OTHER	/* a control line of another kind */
};

#define CTL_POSITION_KEY	",\"position\":"	/* its member, as
							   window-agg adds it */
#define CTL_SKIP_LINE		"{\"kp_control\":\"skip\"}\n"

/* The kind of line[0..len): CTL_NONE for a record. */
enum ctl_kind ctl_kind(const char *line, size_t len);

/* Append a line (with its '\n') to b. */
void	ctl_job(struct buf *, const char *group, const char *topic,
	    const char *txn);
void	ctl_member(struct buf *, const void *gm, size_t n);
/* off < 0, after INT64_MIN, wm INT64_MIN and next < 0: not written */
void	ctl_assign(struct buf *, const char *topic, int32_t part, int64_t off,
	    int64_t after, int64_t wm, int64_t next);
/* go NULL or "": all of the member's partitions */
void	ctl_revoke(struct buf *, const char *topic, const char *fence,
	    const char *go);
/* topic NULL: that of the at line before */
void	ctl_at(struct buf *, const char *topic, int32_t part, int64_t off);

/* An at line's topic (*topic NULL when it has none), partition and
 * offset: 0, or -1 when it is not one. */
int	ctl_at_parse(const char *line, size_t len, const char **topic,
	    size_t *tlen, int32_t *part, int64_t *off);

/* In an exactly-once stream (eo), a last line with no newline (nd_reader's
 * torn) was cut short by a stage that died: 1 when so, said on stderr
 * with its line number (the caller drops it), else 0. */
int	ctl_torn(int eo, int torn, unsigned long long lineno);

/* A job line read: its strings, NUL-terminated, in static-size fields. */
struct ctl_job {
	char	 group[256], topic[256], txn[512];
};
/* 0, or -1 with a reason in why[n]. */
int	ctl_job_parse(const char *line, size_t len, struct ctl_job *,
	    char *why, size_t n);
/* A member line's group metadata, decoded into o (emptied first): 0, or
 * -1 when it is not one. */
int	ctl_member_parse(const char *line, size_t len, struct buf *o);

#endif
