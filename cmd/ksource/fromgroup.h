/* fromgroup.h - ksource --from-group: where a job restarts, from the
 * offsets that ksink --progress-group committed with its rows (see
 * pos.h), read with a handle of its own that never joins the group. */
#ifndef FROMGROUP_H
#define FROMGROUP_H

#include <stdint.h>

#include <librdkafka/rdkafka.h>

#include "kconf.h"

/* Set each partition of l to group's committed offset, or to dflt
 * where it has none. Returns the largest window end committed with
 * them (INT64_MIN: none). Exits 69 when the group cannot be asked. */
int64_t	fg_offsets(struct kconf *, const char *group,
	    rd_kafka_topic_partition_list_t *l, int64_t dflt);
/* Print the position text of l (pos.h) on stdout: topic, after, and
 * the partitions with an offset; nothing when after is INT64_MIN. */
void	fg_show(const rd_kafka_topic_partition_list_t *l, int64_t after);

#endif
