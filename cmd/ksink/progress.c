/* progress.c - ksink's positions: strip them, commit them with the rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

int
pg_take(struct progress *pg, struct jrec *jr, const char *line, size_t len,
    const char **value, size_t *n)
{
	const struct jr_val *v = &jr->val[pg->path];
	size_t klen = strlen(pg->field) + 3, from, to;	/* "F": */
	struct pos t;

	*value = line;
	*n = len;
	pg->point = 0;
	if (v->type == JR_NONE)
		return 1;
	if (v->type != JR_STR || pos_parse(&pg->tmp, v->s, v->len) < 0)
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
	pg->value.len = 0;
	buf_add(&pg->value, jr->text, from);
	buf_add(&pg->value, jr->text + to, jr->tlen - to);
	*value = pg->value.p;
	*n = pg->value.len;
	t = pg->pos;	/* swap: the old array is reused next time */
	pg->pos = pg->tmp;
	pg->tmp = t;
	pg->point = pg->have = 1;
	return 0;
}

rd_kafka_error_t *
pg_send(struct progress *pg, rd_kafka_t *rk, int timeout_ms)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_partition_t *e;
	rd_kafka_error_t *err;
	char after[32];
	size_t i;

	if (!pg->have)
		return NULL;
	if (pg->cgmd == NULL)
		pg->cgmd = rd_kafka_consumer_group_metadata_new(pg->group);
	snprintf(after, sizeof(after), "%lld", (long long)pg->pos.after);
	l = rd_kafka_topic_partition_list_new((int)pg->pos.n);
	for (i = 0; i < pg->pos.n; i++) {
		e = rd_kafka_topic_partition_list_add(l, pg->pos.topic,
		    pg->pos.p[i].part);
		e->offset = pg->pos.p[i].off;
		e->metadata = strdup(after);	/* freed with the list */
		e->metadata_size = strlen(after);
	}
	err = l->cnt > 0 ? rd_kafka_send_offsets_to_transaction(rk, l,
	    pg->cgmd, timeout_ms) : NULL;
	rd_kafka_topic_partition_list_destroy(l);
	if (err == NULL)
		pg->have = 0;
	return err;
}

void
pg_free(struct progress *pg)
{
	pos_free(&pg->pos);
	pos_free(&pg->tmp);
	buf_free(&pg->copy);
	buf_free(&pg->value);
	if (pg->cgmd != NULL)
		rd_kafka_consumer_group_metadata_destroy(pg->cgmd);
}
