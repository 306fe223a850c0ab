/* create.h - ksink --partitions N [--replication R]: the topic made
 * through librdkafka's admin API (CreateTopics) when it does not exist;
 * one that exists is left as it is. */
#ifndef KCREATE_H
#define KCREATE_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

#define KCREATE_MAXPARTS	100000

/* Ask the cluster to create topic with parts partitions and repl
 * replicas (-1: the broker's default.replication.factor), waiting up to
 * ms. 1 created, 0 it existed already, -1 refused or not answered: why
 * says why. */
int	kcreate_topic(rd_kafka_t *rk, const char *topic, int parts, int repl,
	    int ms, char *why, size_t n);

#endif
