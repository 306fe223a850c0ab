/* position.c - ksink's positions: strip them, commit them with the rows. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jw.h"
#include "position.h"
#include "timeu.h"

int
kpos_take(struct kpos *kp, struct jrec *jr, const char *line, size_t len,
    const char **value, size_t *n)
{
	const struct jr_val *v = &jr->val[kp->path];
	size_t klen = strlen(kp->field) + 3, from, to;	/* "F": */
	struct pos t;

	*value = line;
	*n = len;
	kp->point = 0;
	if (v->type == JR_NONE)
		return 1;
	if (v->type != JR_STR || pos_parse(&kp->tmp, v->s, v->len) < 0)
		return -1;
	/* the member in the compact text: ,"F":V or "F":V, */
	if (v->off < klen + 1)
		return -1;
	from = v->off - klen;
	to = v->end;
	if (jr->text[from - 1] == ',')
		from--;
	else if (to < jr->tlen && jr->text[to] == ',')
		to++;
	kp->value.len = 0;
	buf_add(&kp->value, jr->text, from);
	buf_add(&kp->value, jr->text + to, jr->tlen - to);
	*value = kp->value.p;
	*n = kp->value.len;
	t = kp->pos;	/* swap: the old array is reused next time */
	kp->pos = kp->tmp;
	kp->tmp = t;
	kp->point = kp->have = 1;
	return 0;
}

rd_kafka_error_t *
kpos_send(struct kpos *kp, rd_kafka_t *rk, int64_t end, struct waitnote *wn)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_partition_t *e;
	rd_kafka_error_t *err = NULL;
	struct buf md = { 0 };
	int64_t after, t0 = tu_mono_ms(), left;
	size_t i;

	if (!kp->have)
		return NULL;
	if (kp->cgmd == NULL)
		kp->cgmd = rd_kafka_consumer_group_metadata_new(kp->group);
	l = rd_kafka_topic_partition_list_new((int)kp->pos.n);
	for (i = 0; i < kp->pos.n; i++) {
		e = rd_kafka_topic_partition_list_add(l, kp->pos.topic,
		    kp->pos.p[i].part);
		e->offset = kp->pos.p[i].off;
		/* the metadata: "AFTER" of the partition, " !FENCE" */
		md.len = 0;
		if ((after = pos_after(&kp->pos, i)) > INT64_MIN + 1)
			jw_i64(&md, after);	/* else nothing written yet */
		if (kp->pos.fence[0] != '\0') {
			buf_adds(&md, " !");
			buf_add(&md, kp->pos.fence, strlen(kp->pos.fence));
		}
		if (md.len > 0) {	/* freed with the list */
			e->metadata = kp_xmalloc(md.len);
			memcpy(e->metadata, md.p, md.len);
			e->metadata_size = md.len;
		}
	}
	buf_free(&md);
	/* librdkafka retries Not coordinator, coordinator loading and
	 * concurrent transactions itself until the timeout (after which the
	 * transaction must be aborted); what it returns as retriable (a
	 * broker gone) is tried again here until end */
	while (l->cnt > 0) {
		left = end - tu_mono_ms();
		wn_begin(wn, KPOS_NOTE_MS, "transaction: waiting for Kafka to "
		    "take the position for group %s (for up to %.0f s)",
		    kp->group, (double)left / 1000);
		err = rd_kafka_send_offsets_to_transaction(rk, l, kp->cgmd,
		    (int)(left > 100 ? left : 100));
		wn_end(wn);
		if (err == NULL || !rd_kafka_error_is_retriable(err) ||
		    rd_kafka_error_txn_requires_abort(err))
			break;
		if (tu_mono_ms() >= end) {
			warnx("transaction: Kafka did not take the position for "
			    "group %s in %.0f s", kp->group,
			    (double)(tu_mono_ms() - t0) / 1000);
			break;
		}
		rd_kafka_error_destroy(err);
		err = NULL;
		usleep(KPOS_BACKOFF_MS * 1000);
	}
	rd_kafka_topic_partition_list_destroy(l);
	if (err == NULL)
		kp->have = 0;
	return err;
}

void
kpos_free(struct kpos *kp)
{
	pos_free(&kp->pos);
	pos_free(&kp->tmp);
	buf_free(&kp->copy);
	buf_free(&kp->value);
	if (kp->cgmd != NULL)
		rd_kafka_consumer_group_metadata_destroy(kp->cgmd);
}
