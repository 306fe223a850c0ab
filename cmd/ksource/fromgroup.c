/* fromgroup.c - ksource --from-group, --show-position, and the control
 * lines of an exactly-once group job (see fromgroup.h). */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "fromgroup.h"
#include "kp.h"
#include "pos.h"
#include "timeu.h"

#define FG_MS	60000	/* bound on the committed offsets request: it
			   waits while a transaction that commits offsets
			   to the group is open (a killed ksink's, until
			   the broker aborts it); and on Not coordinator
			   or coordinator loading, tried again until then */
#define FG_SECS		"60"	/* FG_MS, said */
#define FG_NOTE_MS	2000	/* a longer wait is said */
#define FG_BACKOFF_MS	500	/* between tries */

/* A handle to read group's committed offsets with, never joining it. */
static rd_kafka_t *
reader(struct kconf *kc, const char *group)
{
	rd_kafka_conf_t *conf = kc_build(kc);
	rd_kafka_t *rk;
	char errstr[512];

	kc_set(conf, "group.id", group, "--from-group");
	kc_set(conf, "enable.auto.commit", "false", "--from-group");
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    sizeof(errstr))) == NULL)
		errx(EX_USAGE, "%s", errstr);
	return rk;
}

/* An error of the committed-offsets request worth another try: the
 * group's coordinator moving or loading (a broker just started or gone),
 * a broker that went away. */
static int
retriable(rd_kafka_resp_err_t err)
{
	switch (err) {
	case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
	case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
	case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
	case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
	case RD_KAFKA_RESP_ERR__TRANSPORT:
	case RD_KAFKA_RESP_ERR__WAIT_COORD:
		return 1;
	default:
		return 0;
	}
}

void
fg_offsets(struct kconf *kc, const char *group,
    rd_kafka_topic_partition_list_t *l, int64_t dflt)
{
	rd_kafka_t *rk = reader(kc, group);
	rd_kafka_resp_err_t err;
	int64_t t0 = tu_mono_ms(), end = t0 + FG_MS;
	int i, said = 0;

	/* retriable errors tried again until FG_MS, the wait said */
	while ((err = rd_kafka_committed(rk, l, (int)(end - tu_mono_ms()))) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR && retriable(err) && !kp_stop &&
	    tu_mono_ms() < end - FG_BACKOFF_MS) {
		if (!said && tu_mono_ms() - t0 >= FG_NOTE_MS) {
			warnx("--from-group %s: waiting for its coordinator "
			    "(%s): retrying for up to " FG_SECS " s", group,
			    rd_kafka_err2str(err));
			said = 1;
		}
		usleep(FG_BACKOFF_MS * 1000);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		errx(EX_UNAVAILABLE, "--from-group %s: cannot read its "
		    "offsets at %s: %s%s", group, kc->used,
		    rd_kafka_err2str(err), retriable(err) && !kp_stop ?
		    " (tried for " FG_SECS " s)" : "");
	for (i = 0; i < l->cnt; i++)
		if (l->elems[i].err || l->elems[i].offset < 0) {
			l->elems[i].offset = dflt;
			l->elems[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
		}
	rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

int64_t
fg_after(const rd_kafka_topic_partition_t *e, char *fence)
{
	struct pos_part p;

	return fg_meta(e, &p, fence);
}

int64_t
fg_meta(const rd_kafka_topic_partition_t *e, struct pos_part *p, char *fence)
{
	int64_t after;

	if (e->offset < 0 || pos_meta_parse(e->metadata, e->metadata_size,
	    &after, &p->wm, &p->next, fence) < 0) {
		p->wm = POS_NOAFTER;
		p->next = -1;
		return INT64_MIN;
	}
	return after;
}

void
fg_show(const rd_kafka_topic_partition_list_t *l)
{
	struct pos_part *p;
	struct pos names = { 0 };	/* the topic's name only */
	struct buf b = { 0 };
	int64_t after = INT64_MAX;
	size_t n = 0;
	int i;

	p = kp_xmalloc((size_t)(l->cnt + 1) * sizeof(*p));
	for (i = 0; i < l->cnt; i++)
		if (l->elems[i].offset >= 0) {
			p[n].t = 0;
			p[n].part = l->elems[i].partition;
			p[n].off = l->elems[i].offset;
			p[n].after = fg_meta(&l->elems[i], &p[n], NULL);
			if (p[n].after != INT64_MIN && p[n].after < after)
				after = p[n].after;
			n++;
		}
	if (after != INT64_MAX) {
		(void)pos_topic(&names, l->elems[0].topic,
		    strlen(l->elems[0].topic));
		pos_write(&b, &names, after, p, n, NULL);
		printf("%.*s\n", (int)b.len, b.p);
	}
	buf_free(&b);
	pos_free(&names);
	free(p);
}

void
fg_assign_lines(struct buf *b, const rd_kafka_topic_partition_list_t *l)
{
	const rd_kafka_topic_partition_t *e;
	struct pos_part p;
	int64_t after;
	int i;

	for (i = 0; i < l->cnt; i++) {
		e = &l->elems[i];
		after = fg_meta(e, &p, NULL);
		ctl_assign(b, e->topic, e->partition, e->offset, after, p.wm,
		    p.next);
	}
}

int
fg_fence(struct kconf *kc, const char *group,
    const rd_kafka_topic_partition_list_t *l, const char *fence, int64_t ms)
{
	rd_kafka_topic_partition_list_t *c;
	rd_kafka_t *rk = reader(kc, group);
	int64_t end = tu_mono_ms() + ms;
	char got[POS_FENCEMAX];
	int i, rc = -1;

	do {	/* asked once at least (ms 0: only once) */
		c = rd_kafka_topic_partition_list_copy(l);
		if (rd_kafka_committed(rk, c, (int)(end - tu_mono_ms() > 5000 ?
		    end - tu_mono_ms() : 5000)) == RD_KAFKA_RESP_ERR_NO_ERROR)
			for (i = 0; i < c->cnt && rc < 0; i++) {
				(void)fg_after(&c->elems[i], got);
				if (strcmp(got, fence) == 0)
					rc = 0;
			}
		rd_kafka_topic_partition_list_destroy(c);
		if (rc < 0 && tu_mono_ms() < end)
			usleep(100 * 1000);
	} while (rc < 0 && tu_mono_ms() < end);
	rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	return rc;
}
