/* fromgroup.h - ksource --from-group: where a job restarts, from the
 * offsets that ksink --progress-group committed with its rows (see
 * pos.h), read with a handle of its own that never joins the group.
 * Each committed offset carries, as its metadata, "AFTER" or "AFTER
 * !FENCE": the window end up to which the windows of that partition were
 * written, and the token of the revoke that committed it last, if any.
 *
 * With -J the assignment goes down the pipe as control lines (one a
 * partition; kappa-pipes(7), Control lines):
 *   {"kp_control":"assign","topic":T,"partition":P,"offset":O,"after":A}
 * and with -G a revoke as
 *   {"kp_control":"revoke","topic":T,"fence":F[,"go":"T:P ..."]}
 * after which the member waits until the job downstream has committed
 * the position window-agg answers it with (fg_fence()). */
#ifndef FROMGROUP_H
#define FROMGROUP_H

#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "kconf.h"
#include "kp.h"
#include "pos.h"

/* Set each partition of l to group's committed offset (its metadata
 * kept in l), or to dflt where it has none. Exits 69 when the group
 * cannot be asked. */
void	fg_offsets(struct kconf *, const char *group,
	    rd_kafka_topic_partition_list_t *l, int64_t dflt);
/* The window end committed with e (INT64_MIN: none); fence, when not
 * NULL, gets its fence token ("" none; POS_FENCEMAX bytes). */
int64_t	fg_after(const rd_kafka_topic_partition_t *e, char *fence);
/* The same, and the partition's WM and NEXT (pos.h) into p->wm and
 * p->next (none: POS_NOAFTER and -1). */
int64_t	fg_meta(const rd_kafka_topic_partition_t *e, struct pos_part *p,
	    char *fence);
/* Print the position text of l (pos.h) on stdout: topic, the smallest
 * after, and the partitions with an offset, each with its own after
 * where larger; nothing when no partition has one. */
void	fg_show(const rd_kafka_topic_partition_list_t *l);
/* Append the assign control lines of l (after fg_offsets()). */
void	fg_assign_lines(struct buf *, const rd_kafka_topic_partition_list_t *l);
/* Wait until group's committed metadata on a partition of l carries
 * fence: the position answering the revoke is committed. 0 done, -1
 * not within ms (0: asked once). */
int	fg_fence(struct kconf *, const char *group,
	    const rd_kafka_topic_partition_list_t *l, const char *fence,
	    int64_t ms);

#endif
