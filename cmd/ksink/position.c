/* position.c - ksink's positions: strip them, commit them with the rows. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jw.h"
#include "ctl.h"
#include "position.h"
#include "timeu.h"

/* The position text s[0..n) taken as the one to commit next. */
static int
take(struct kpos *kp, const char *s, size_t n)
{
	struct pos t;

	if (pos_parse(&kp->tmp, s, n) < 0)
		return -1;
	t = kp->pos;	/* swap: the old array is reused next time */
	kp->pos = kp->tmp;
	kp->tmp = t;
	kp->point = kp->have = 1;
	return 0;
}

int
kpos_take(struct kpos *kp, struct jrec *jr, const char *line, size_t len,
    const char **value, size_t *n)
{
	const struct jr_val *v = &jr->val[kp->path];
	size_t klen = strlen(kp->field) + 3, from, to;	/* "F": */

	*value = line;
	*n = len;
	kp->point = 0;
	if (v->type == JR_NONE)
		return 1;
	if (v->type != JR_STR)
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
	if (take(kp, v->s, v->len) < 0)
		return -1;
	kp->value.len = 0;
	buf_add(&kp->value, jr->text, from);
	buf_add(&kp->value, jr->text + to, jr->tlen - to);
	*value = kp->value.p;
	*n = kp->value.len;
	return 0;
}

rd_kafka_error_t *
kpos_send(struct kpos *kp, rd_kafka_t *rk, int64_t end, struct waitnote *wn)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_partition_t *e;
	rd_kafka_error_t *err = NULL;
	struct buf md = { 0 };
	int64_t t0 = tu_mono_ms(), left;
	size_t i;

	if (!kp->have)
		return NULL;
	if (kp->cgmd == NULL)
		kp->cgmd = rd_kafka_consumer_group_metadata_new(kp->group);
	l = rd_kafka_topic_partition_list_new((int)kp->pos.n);
	for (i = 0; i < kp->pos.n; i++) {
		if (kp->pos.p[i].off < 0)
			continue;	/* at lines: not known yet */
		e = rd_kafka_topic_partition_list_add(l,
		    kp->pos.topic[kp->pos.p[i].t], kp->pos.p[i].part);
		e->offset = kp->pos.p[i].off;
		/* the metadata: "AFTER" of the partition (none when nothing
		 * was written yet), its WM and NEXT, " !FENCE" (pos.h) */
		md.len = 0;
		pos_meta_write(&md, pos_after(&kp->pos, i), kp->pos.p[i].wm,
		    kp->pos.p[i].next, kp->pos.fence);
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

/* KPOS_AT: the entry of partition part of topic t in kp->pos, added when
 * new. */
static size_t
part_of(struct kpos *kp, int t, int32_t part)
{
	size_t i;

	for (i = 0; i < kp->pos.n; i++)
		if (kp->pos.p[i].part == part && kp->pos.p[i].t == (uint32_t)t)
			return i;
	if (kp->pos.n == kp->pos.cap) {
		kp->pos.cap = kp->pos.cap ? kp->pos.cap * 2 : 8;
		kp->pos.p = kp_xrealloc(kp->pos.p, kp->pos.cap *
		    sizeof(*kp->pos.p));
	}
	kp->pos.p[i].t = (uint32_t)t;
	kp->pos.p[i].part = part;
	kp->pos.p[i].off = -1;		/* not known yet */
	kp->pos.p[i].after = POS_NOAFTER;
	kp->pos.p[i].wm = POS_NOAFTER;
	kp->pos.p[i].next = -1;
	kp->pos.n++;
	return i;
}

/* The mode the stream shows; -1 when it showed the other before. */
static int
mode(struct kpos *kp, int m, char *why, size_t n)
{
	if (kp->mode == KPOS_NONE)
		kp->mode = m;
	if (kp->mode == m)
		return 0;
	snprintf(why, n, "both at lines and position lines: one window-agg "
	    "takes the at lines, or none (a stateless line)");
	return -1;
}

/* An at line: the records below it are its partition's, counted from
 * its offset. 0, or -1 with the reason in why[n]. */
static int
at(struct kpos *kp, const char *line, size_t len, char *why, size_t n)
{
	const char *tn;
	size_t tl;
	int32_t p32;
	int64_t o64;

	if (mode(kp, KPOS_AT, why, n) < 0)
		return -1;
	if (ctl_at_parse(line, len, &tn, &tl, &p32, &o64) < 0) {
		snprintf(why, n, "at line: no partition and offset");
		return -1;
	}
	if (tn != NULL)	/* a name ctl_at_parse() checked */
		kp->curt = pos_topic(&kp->pos, tn, tl);
	if (kp->curt < 0) {
		snprintf(why, n, "at line: no topic named before");
		return -1;
	}
	kp->cur = part_of(kp, kp->curt, p32);
	kp->curset = 1;
	kp->pos.p[kp->cur].off = o64;
	kp->point = kp->have = 1;
	return 0;
}

/* A member line: the group metadata to commit with from now on. */
static int
member(struct kpos *kp, const char *line, size_t len, char *why, size_t n)
{
	struct buf gm = { 0 };
	rd_kafka_consumer_group_metadata_t *md;
	rd_kafka_error_t *e = NULL;
	int rc = 0;

	if (ctl_member_parse(line, len, &gm) < 0 ||
	    (e = rd_kafka_consumer_group_metadata_read(&md, gm.p,
	    gm.len)) != NULL) {
		snprintf(why, n, "member line: no group metadata");
		if (e != NULL)
			rd_kafka_error_destroy(e);
		rc = -1;
	} else {
		if (kp->cgmd != NULL)
			rd_kafka_consumer_group_metadata_destroy(kp->cgmd);
		kp->cgmd = md;
	}
	buf_free(&gm);
	return rc;
}

/* The fields of a position, assign or revoke line (jr's paths). */
enum { F_POSITION, F_PART, F_OFF, F_FENCE, F_TOPIC };

/* A position line: the position to commit next. */
static int
position(struct kpos *kp, const struct jr_val *v, char *why, size_t n)
{
	if (v[F_POSITION].type != JR_STR || take(kp, v[F_POSITION].s,
	    v[F_POSITION].len) < 0) {
		snprintf(why, n, "position line: not a position");
		return -1;
	}
	kp->urgent = kp->pos.fence[0] != '\0';
	return 0;
}

/* An assign line of a stateless line: the partition's starting offset. */
static int
assigned(struct kpos *kp, const struct jr_val *v, char *why, size_t n)
{
	long long part, off;
	size_t i;
	int t;

	if (v[F_PART].type != JR_NUM || kp_int(v[F_PART].s, v[F_PART].len, 0,
	    INT32_MAX, &part) < 0 || (v[F_OFF].type == JR_NUM &&
	    kp_int(v[F_OFF].s, v[F_OFF].len, 0, INT64_MAX, &off) < 0) ||
	    v[F_TOPIC].type != JR_STR ||
	    (t = pos_topic(&kp->pos, v[F_TOPIC].s, v[F_TOPIC].len)) < 0) {
		snprintf(why, n, "assign line: no topic or partition, or a bad "
		    "offset");
		return -1;
	}
	i = part_of(kp, t, (int32_t)part);
	if (v[F_OFF].type == JR_NUM && kp->pos.p[i].off < 0)
		kp->pos.p[i].off = off;
	return 0;
}

/* A revoke, answered at once: the position now, under its fence. */
static int
revoked(struct kpos *kp, const struct jr_val *v, char *why, size_t n)
{
	if (v[F_FENCE].type != JR_STR || v[F_FENCE].len >= POS_FENCEMAX ||
	    !pos_name_ok(v[F_FENCE].s, v[F_FENCE].len)) {
		snprintf(why, n, "revoke line: no fence token");
		return -1;
	}
	memcpy(kp->pos.fence, v[F_FENCE].s, v[F_FENCE].len);
	kp->pos.fence[v[F_FENCE].len] = '\0';
	kp->point = kp->have = kp->urgent = 1;
	return 0;
}

int
kpos_control(struct kpos *kp, int kind, const char *line, size_t len,
    char *why, size_t n)
{
	struct jrec jr;
	int rc = -1;

	switch (kind) {
	case CTL_JOB:
		return 0;	/* read at the start */
	case CTL_AT:
		return at(kp, line, len, why, n);
	case CTL_SKIP:
		kpos_count(kp);
		return 0;
	case CTL_MEMBER:
		return member(kp, line, len, why, n);
	case CTL_POSITION:
		if (mode(kp, KPOS_LINES, why, n) < 0)
			return -1;
		break;
	case CTL_ASSIGN:
	case CTL_REVOKE:
		if (kp->mode == KPOS_LINES) {
			snprintf(why, n, "an assign or revoke line after "
			    "position lines");
			return -1;
		}
		break;
	default:
		return 0;	/* another's: not ours to take */
	}
	jr_init(&jr);
	(void)jr_addpath(&jr, "position");
	(void)jr_addpath(&jr, "partition");
	(void)jr_addpath(&jr, "offset");
	(void)jr_addpath(&jr, "fence");
	(void)jr_addpath(&jr, "topic");
	if (jr_parse(&jr, line, len) < 0)
		snprintf(why, n, "control line: %s", jr.err);
	else if (kind == CTL_POSITION)
		rc = position(kp, jr.val, why, n);
	else if (kind == CTL_ASSIGN)	/* a stateless line */
		rc = assigned(kp, jr.val, why, n);
	else
		rc = revoked(kp, jr.val, why, n);
	jr_free(&jr);
	return rc;
}

void
kpos_count(struct kpos *kp)
{
	if (kp->mode == KPOS_AT && kp->curset && kp->pos.p[kp->cur].off >= 0) {
		kp->pos.p[kp->cur].off++;
		kp->have = 1;	/* the position moved: the next commit
				   sends it, at lines or none */
	}
	if (kp->mode == KPOS_LINES)
		kp->point = 0;	/* rows after the last position */
}

void
kpos_committed(struct kpos *kp)
{
	if (kp->pos.fence[0] == '\0')
		return;
	kp->urgent = 0;
	kp->pos.fence[0] = '\0';
	if (kp->mode == KPOS_AT) {	/* the partitions went away */
		kp->pos.n = 0;
		kp->curset = 0;
	}
}
