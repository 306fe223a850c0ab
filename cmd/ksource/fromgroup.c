/* fromgroup.c - ksource --from-group and --show-position. */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "pos.h"
#include "fromgroup.h"

#define FG_MS	60000	/* bound on the committed offsets request: it
			   waits while a transaction that commits offsets
			   to the group is open (a killed ksink's, until
			   the broker aborts it) */

int64_t
fg_offsets(struct kconf *kc, const char *group,
    rd_kafka_topic_partition_list_t *l, int64_t dflt)
{
	rd_kafka_conf_t *conf = kc_build(kc);
	rd_kafka_resp_err_t err;
	rd_kafka_t *rk;
	long long v;
	int64_t after = INT64_MIN;
	char errstr[512];
	int i;

	kc_set(conf, "group.id", group, "--from-group");
	kc_set(conf, "enable.auto.commit", "false", "--from-group");
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    sizeof(errstr))) == NULL)
		errx(EX_USAGE, "%s", errstr);
	if ((err = rd_kafka_committed(rk, l, FG_MS)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		errx(EX_UNAVAILABLE, "--from-group %s: cannot read its "
		    "offsets at %s: %s", group, kc->used, rd_kafka_err2str(err));
	for (i = 0; i < l->cnt; i++) {
		if (l->elems[i].err || l->elems[i].offset < 0) {
			l->elems[i].offset = dflt;
			l->elems[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
			continue;
		}
		if (l->elems[i].metadata != NULL && kp_int(l->elems[i].metadata,
		    l->elems[i].metadata_size, INT64_MIN + 1, INT64_MAX,
		    &v) == 0 && v > after)
			after = v;
	}
	rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	return after;
}

void
fg_show(const rd_kafka_topic_partition_list_t *l, int64_t after)
{
	struct pos_part *p;
	struct buf b = { 0 };
	size_t n = 0;
	int i;

	if (after == INT64_MIN || l->cnt == 0)
		return;
	p = kp_xmalloc((size_t)l->cnt * sizeof(*p));
	for (i = 0; i < l->cnt; i++)
		if (l->elems[i].offset >= 0) {
			p[n].part = l->elems[i].partition;
			p[n++].off = l->elems[i].offset;
		}
	pos_write(&b, l->elems[0].topic, strlen(l->elems[0].topic), after, p,
	    n);
	printf("%.*s\n", (int)b.len, b.p);
	buf_free(&b);
	free(p);
}
