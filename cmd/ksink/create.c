/* create.c - ksink --partitions: CreateTopics through librdkafka's admin
 * API (create.h). */
#include <stdio.h>

#include "create.h"

int
kcreate_topic(rd_kafka_t *rk, const char *topic, int parts, int repl, int ms,
    char *why, size_t n)
{
	rd_kafka_NewTopic_t *nt;
	rd_kafka_AdminOptions_t *o;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	const rd_kafka_CreateTopics_result_t *res;
	const rd_kafka_topic_result_t **tr;
	rd_kafka_resp_err_t err;
	size_t cnt = 0;
	int rc = -1;

	if ((nt = rd_kafka_NewTopic_new(topic, parts, repl, why, n)) == NULL)
		return -1;
	o = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	/* the broker answers once the topic is made, within ms */
	if (rd_kafka_AdminOptions_set_operation_timeout(o, ms, why, n) ||
	    rd_kafka_AdminOptions_set_request_timeout(o, ms, why, n)) {
		rd_kafka_AdminOptions_destroy(o);
		rd_kafka_NewTopic_destroy(nt);
		return -1;
	}
	q = rd_kafka_queue_new(rk);
	rd_kafka_CreateTopics(rk, &nt, 1, o, q);
	ev = rd_kafka_queue_poll(q, ms + 1000);
	if (ev == NULL)
		snprintf(why, n, "no answer within %d ms", ms);
	else if ((err = rd_kafka_event_error(ev)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		snprintf(why, n, "%s", rd_kafka_event_error_string(ev));
	else if ((res = rd_kafka_event_CreateTopics_result(ev)) == NULL ||
	    (tr = rd_kafka_CreateTopics_result_topics(res, &cnt)) == NULL ||
	    cnt != 1)
		snprintf(why, n, "no result for the topic");
	else if ((err = rd_kafka_topic_result_error(tr[0])) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR)
		rc = 1;
	else if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
		rc = 0;
	else
		snprintf(why, n, "%s", rd_kafka_topic_result_error_string(
		    tr[0]) != NULL ? rd_kafka_topic_result_error_string(tr[0]) :
		    rd_kafka_err2str(err));
	if (ev != NULL)
		rd_kafka_event_destroy(ev);
	rd_kafka_queue_destroy(q);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_NewTopic_destroy(nt);
	return rc;
}
