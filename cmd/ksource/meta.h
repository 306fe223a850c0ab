/* meta.h - ksource -L and -Q: what the cluster knows rather than its
 * messages. Each writes its answer on out, as text or (json) as one JSON
 * object a line, and returns 0, or the librdkafka error that kept it from
 * asking (the caller then says Kafka cannot be reached); *status is the
 * exit status of what was asked (69 for a missing topic or partition). */
#ifndef META_H
#define META_H

#include <stdio.h>

#include <librdkafka/rdkafka.h>

/* -L: brokers, topics (all, or the n named), partitions with leader,
 * replicas, in-sync replicas and low/high watermarks, in kcat's -L form
 * and, with json, kcat's -L -J field names plus "low" and "high". With
 * group (rk's group.id): the group's committed offset, the end offset
 * and the lag of each partition, and the total lag. */
rd_kafka_resp_err_t meta_list(rd_kafka_t *rk, FILE *out,
	    const char *const *topics, int n, const char *group, int json,
	    int timeout_ms, int *status);
/* -Q: the first offset at or after each time, from specs written
 * topic:partition:ms, as kcat -Q prints them (-1: no message that
 * recent). */
rd_kafka_resp_err_t meta_query(rd_kafka_t *rk, FILE *out,
	    const char *const *specs, int n, int json, int timeout_ms,
	    int *status);
/* A partition's low and high watermarks (the last stable offset under
 * read_committed) from its leader, in about ms (twice that at most); -1
 * each and the error when it does not answer. Unlike librdkafka 2.0's
 * rd_kafka_query_watermark_offsets(), which waits as long as the leader
 * is down, whatever its timeout (forever for a broker lost). */
rd_kafka_resp_err_t meta_marks(rd_kafka_t *rk, const char *topic,
	    int32_t part, int ms, int64_t *lo, int64_t *hi);
/* Check one -Q spec, topic:partition:time (the time in epoch ms or
 * ISO-8601, colons and all); NULL and *keylen, the length of its
 * "topic:partition:", or why it is not one. */
const char *meta_spec_ok(const char *spec, size_t *keylen);

#endif
