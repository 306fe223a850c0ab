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
/* Check one -Q spec, topic:partition:time (the time in epoch ms or
 * ISO-8601, colons and all); NULL and *keylen, the length of its
 * "topic:partition:", or why it is not one. */
const char *meta_spec_ok(const char *spec, size_t *keylen);

#endif
