/* group.c - ksource -G: the rebalance callback. The partitions given are
 * started at --from-group's position (with -J announced downstream as
 * assign control lines); those taken away are written out and stored
 * first, and with -J --from-group a revoke line goes down the pipe and
 * the member waits for the job's answering position (fromgroup.h). */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "ctl.h"
#include "fromgroup.h"
#include "jw.h"
#include "ks.h"
#include "pos.h"
#include "timeu.h"

#define FG_SEEK_MS	10000	/* cooperative: reading kept partitions again */

/* --progress: say which partitions the group gave or took back, as
 * "ksource: assigned t[0,1] u[3]". */
static void
say_assignment(const char *what, const rd_kafka_topic_partition_list_t *l)
{
	const char *prev = NULL;
	int i;

	fprintf(stderr, "ksource: %s", what);
	for (i = 0; i < l->cnt; i++) {
		if (prev == NULL || strcmp(prev, l->elems[i].topic) != 0)
			fprintf(stderr, "%s %s[", prev == NULL ? "" : "]",
			    l->elems[i].topic);
		else
			fputc(',', stderr);
		fprintf(stderr, "%" PRId32, l->elems[i].partition);
		prev = l->elems[i].topic;
	}
	fputs(l->cnt > 0 ? "]\n" : " nothing\n", stderr);
}

/* --exactly-once: the member's group metadata (its generation), with
 * which ksink commits the position, so that a member the group has moved
 * past (a zombie) cannot commit. */
static void
member_line(struct ks *k)
{
	rd_kafka_consumer_group_metadata_t *gm;
	rd_kafka_error_t *e;
	void *p;
	size_t n;

	if ((gm = rd_kafka_consumer_group_metadata(k->rk)) == NULL)
		return;
	if ((e = rd_kafka_consumer_group_metadata_write(gm, &p, &n)) == NULL) {
		ctl_member(&k->rec, p, n);
		rd_kafka_mem_free(k->rk, p);
	} else
		rd_kafka_error_destroy(e);
	rd_kafka_consumer_group_metadata_destroy(gm);
}

/* -J --from-group: the assignment l, as control lines down the pipe. */
void
ks_tell_assign(struct ks *k, const rd_kafka_topic_partition_list_t *l)
{
	int i;

	k->rec.len = 0;
	if (k->pl->exactly)
		member_line(k);
	fg_assign_lines(&k->rec, l);
	(void)ks_put(k, k->rec.p, k->rec.len, "", 0);
	(void)ks_flush_store(k);
	k->since = k->written;
	k->at_ti = -1;		/* the next record gets an at line */
	for (k->known = 0, i = 0; i < l->cnt; i++)
		k->known |= l->elems[i].offset >= 0;
}

/* -J -G --from-group: the partitions of l are taken away (go, when not
 * NULL: only those, the member keeping the others of l). Every open
 * window of this member is dropped downstream (window-agg; with go, only
 * those of go's partitions, when it can tell them apart), and the
 * position it answers with is committed (ksink) before the partitions
 * go, so that their next owner starts from it: wait for that. 0 done
 * (*fence its token), 1 nothing in flight to answer, -1 not answered. */
static int
tell_revoke(struct ks *k, const rd_kafka_topic_partition_list_t *l,
    const rd_kafka_topic_partition_list_t *go, char *fence)
{
	struct kconf kc = k->pl->kc;
	struct buf names = { 0 };
	int i;

	snprintf(fence, POS_FENCEMAX, "%ld.%" PRId64 ".%u", (long)getpid(),
	    tu_now_ms(), ++k->nfence);
	for (i = 0; go != NULL && i < go->cnt; i++) {
		if (i > 0)
			buf_addc(&names, ' ');
		buf_add(&names, go->elems[i].topic,
		    strlen(go->elems[i].topic));
		buf_addc(&names, ':');
		jw_i64(&names, go->elems[i].partition);
	}
	buf_addc(&names, '\0');
	k->rec.len = 0;
	if (k->pl->exactly)	/* cooperative: the generation moved on */
		member_line(k);
	ctl_revoke(&k->rec, l->elems[0].topic, fence, names.p);
	buf_free(&names);
	if (ks_put(k, k->rec.p, k->rec.len, "", 0) < 0 || ks_flush_store(k) < 0)
		return 1;	/* no one downstream */
	if (k->written == k->since && !k->known)
		return 1;	/* nothing in flight, no position to answer */
	if (fg_fence(&kc, k->pl->fromgroup, go != NULL ? go : l, fence,
	    FENCE_MS) < 0) {
		pg_break(&k->pg);
		warnx("revoke: the job's position did not reach group %s in "
		    "%d s: the next owner of the partitions may write some "
		    "windows again", k->pl->fromgroup, FENCE_MS / 1000);
		return -1;
	}
	return 0;
}

int
ks_waitnote(struct ks *k)
{
	const struct rd_kafka_group_list *gl;
	const struct rd_kafka_group_info *g;
	char *me = rd_kafka_memberid(k->rk);
	int i, other = 0;

	if (rd_kafka_list_groups(k->rk, k->pl->group, &gl, 2000) != 0) {
		rd_kafka_mem_free(k->rk, me);
		return 0;	/* asked again later */
	}
	g = gl->group_cnt == 1 ? &gl->groups[0] : NULL;
	if (g != NULL && g->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    strstr(g->state, "Rebalance") != NULL)
		for (i = 0; i < g->member_cnt; i++)
			other += me == NULL ||
			    strcmp(g->members[i].member_id, me) != 0;
	rd_kafka_group_list_destroy(gl);
	rd_kafka_mem_free(k->rk, me);
	if (other)
		warnx("waiting for group rebalance of %s: %d other member%s "
		    "must rejoin first (one that ended without leaving is "
		    "waited for until its session.timeout.ms has passed)",
		    k->pl->group, other, other == 1 ? "" : "s");
	return other > 0;
}

/* The partitions of l (with --from-group or --exactly-once, at the job's
 * position) given to the consumer, and told downstream; kept: partitions
 * this member had and keeps, read again from the position just committed
 * for them (NULL: none). */
static void
take(struct ks *k, rd_kafka_topic_partition_list_t *l,
    rd_kafka_topic_partition_list_t *kept)
{
	rd_kafka_topic_partition_list_t *all;
	rd_kafka_topic_partition_t *e, *ke;
	struct kconf kc = k->pl->kc;
	rd_kafka_error_t *err;
	int64_t dflt = k->pl->offkind == OFF_END ? RD_KAFKA_OFFSET_END :
	    RD_KAFKA_OFFSET_BEGINNING;
	int i;

	if (k->pl->fromgroup != NULL)	/* the job's position wins */
		fg_offsets(&kc, k->pl->fromgroup, l, dflt);
	pt_assign(&k->pt, l, 1);	/* with the offsets: --progress' lag */
	all = rd_kafka_topic_partition_list_copy(l);
	if (kept != NULL) {
		fg_offsets(&kc, k->pl->fromgroup, kept, dflt);
		pt_assign(&k->pt, kept, 1);
		for (i = 0; i < kept->cnt; i++) {	/* offset and metadata
							   (the window end) */
			ke = &kept->elems[i];
			e = rd_kafka_topic_partition_list_add(all, ke->topic,
			    ke->partition);
			e->offset = ke->offset;
			if (ke->metadata_size > 0) {	/* freed with all */
				e->metadata = kp_xmalloc(ke->metadata_size);
				memcpy(e->metadata, ke->metadata,
				    ke->metadata_size);
				e->metadata_size = ke->metadata_size;
			}
		}
	}
	if (k->control)
		ks_tell_assign(k, kept != NULL ? all : l);
	/* after the offsets, which may wait: a lane's --idle counts from
	 * when it can be fetched */
	ks_lanes(k, all, 1);
	rd_kafka_topic_partition_list_destroy(all);
	if (k->coop)
		rd_kafka_incremental_assign(k->rk, l);
	else
		rd_kafka_assign(k->rk, l);
	if (kept == NULL || kept->cnt == 0)
		return;
	if (k->pl->progress)
		say_assignment("reading again from the job's position", kept);
	/* what was fetched of them before is dropped (the merge's lanes,
	 * just now; librdkafka's queue, by the seek) */
	if ((err = rd_kafka_seek_partitions(k->rk, kept, FG_SEEK_MS)) != NULL)
		errx(EX_UNAVAILABLE, "rebalance: cannot read the partitions "
		    "kept again from the job's position: %s",
		    rd_kafka_error_string(err));
	for (i = 0; i < kept->cnt; i++)
		if (kept->elems[i].err)
			errx(EX_UNAVAILABLE, "rebalance: cannot read %s/%"
			    PRId32 " again from the job's position: %s",
			    kept->elems[i].topic, kept->elems[i].partition,
			    rd_kafka_err2str(kept->elems[i].err));
}

/* Cooperative rebalancing with control lines: the group moves some
 * partitions and leaves the others where they are. When partitions come
 * while others are kept, all of this member's are fenced (window-agg's
 * watermark has moved past the new ones' records), and the kept ones
 * are read again from the position just committed for them, their
 * windows rebuilt. When partitions only go, the revoke names them:
 * window-agg drops their windows alone when it can (each window of one
 * partition) and answers with their position only; a kept partition
 * whose position came back under the fence (it could not) is read again.
 * The group's other members read on undisturbed. */
static void
coop(struct ks *k, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *l)
{
	rd_kafka_topic_partition_list_t *cur = NULL, *kept, *none;
	struct kconf kc = k->pl->kc;
	char fence[POS_FENCEMAX];
	int i, rc;

	if (rd_kafka_assignment(k->rk, &cur) != RD_KAFKA_RESP_ERR_NO_ERROR)
		cur = rd_kafka_topic_partition_list_new(0);
	kept = rd_kafka_topic_partition_list_new(cur->cnt + 1);
	for (i = 0; i < cur->cnt; i++)
		if (rd_kafka_topic_partition_list_find(l, cur->elems[i].topic,
		    cur->elems[i].partition) == NULL)
			rd_kafka_topic_partition_list_add(kept,
			    cur->elems[i].topic, cur->elems[i].partition);
	(void)ks_flush_store(k);
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		if (l->cnt > 0 && kept->cnt > 0) {
			(void)tell_revoke(k, kept, NULL, fence);
			ks_lanes(k, kept, 0);
		}
		take(k, l, l->cnt > 0 ? kept : NULL);
	} else if (l->cnt > 0) {
		rc = tell_revoke(k, cur, kept->cnt > 0 ? l : NULL, fence);
		pt_assign(&k->pt, l, 0);
		ks_lanes(k, l, 0);
		rd_kafka_incremental_unassign(k->rk, l);
		if (kept->cnt > 0 && (rc < 0 || (rc == 0 &&
		    fg_fence(&kc, k->pl->fromgroup, kept, fence, 0) == 0))) {
			ks_lanes(k, kept, 0);
			none = rd_kafka_topic_partition_list_new(0);
			take(k, none, kept);
			rd_kafka_topic_partition_list_destroy(none);
		} else if (kept->cnt > 0 && k->pl->progress)
			say_assignment("kept, read on", kept);
	}
	rd_kafka_topic_partition_list_destroy(kept);
	rd_kafka_topic_partition_list_destroy(cur);
}

void
ks_on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *l, void *opaque)
{
	struct ks *k = opaque;
	char fence[POS_FENCEMAX];

	k->coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	pg_break(&k->pg);
	if (k->pl->progress)
		say_assignment(err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ?
		    "assigned" : "revoked", l);
	if (k->coop && k->control)
		coop(k, err, l);
	else if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		if (!k->coop) {
			pt_unassign_all(&k->pt);
			ks_lanes(k, NULL, 0);
		}
		take(k, l, NULL);
	} else {
		/* Write out and store what was handled, so the commit on
		 * revoke covers it and the next owner starts after it. */
		(void)ks_flush_store(k);
		if (k->control && l->cnt > 0)
			(void)tell_revoke(k, l, NULL, fence);
		pt_assign(&k->pt, l, 0);
		ks_lanes(k, l, 0);
		if (k->coop)
			rd_kafka_incremental_unassign(rk, l);
		else
			rd_kafka_assign(rk, NULL);
	}
	pt_recount(&k->pt);
}
