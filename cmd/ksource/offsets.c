/* offsets.c - ksource's partitions and the offsets it stores: see
 * offsets.h. */
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "offsets.h"

int
pt_topic(struct parts *pt, const char *name)
{
	struct ptopic *t;
	int i;

	if (pt->ntp > 0 && strcmp(pt->tp[pt->cur].name, name) == 0)
		return pt->cur;
	for (i = 0; i < pt->ntp; i++)
		if (strcmp(pt->tp[i].name, name) == 0)
			return pt->cur = i;
	pt->tp = kp_xrealloc(pt->tp, (size_t)(pt->ntp + 1) * sizeof(*pt->tp));
	t = &pt->tp[pt->ntp];
	memset(t, 0, sizeof(*t));
	t->name = kp_xstrdup(name);
	buf_adds(&t->jpre, "{\"topic\":");
	if (jw_utf8ok(name, strlen(name)))
		jw_str(&t->jpre, name, strlen(name));
	else
		jw_b64(&t->jpre, (const unsigned char *)name, strlen(name));
	buf_adds(&t->jpre, ",\"partition\":");
	return pt->cur = pt->ntp++;
}

int
pt_of(struct parts *pt, rd_kafka_topic_t *rkt)
{
	if (pt->ntp > 0 && rkt == pt->tp[pt->cur].rkt)
		return pt->cur;
	return pt_topic(pt, rd_kafka_topic_name(rkt));
}

struct part *
pt_part(struct parts *pt, int ti, int32_t part)
{
	struct ptopic *t = &pt->tp[ti];
	int32_t n;

	if (part >= t->np) {
		n = t->np ? t->np : 8;
		while (n <= part)
			n *= 2;
		t->p = kp_xrealloc(t->p, (size_t)n * sizeof(*t->p));
		for (; t->np < n; t->np++) {
			memset(&t->p[t->np], 0, sizeof(*t->p));
			t->p[t->np].pend = t->p[t->np].stored = -1;
			t->p[t->np].next = t->p[t->np].seek_ts = -1;
			t->p[t->np].start = -1;
		}
	}
	return &t->p[part];
}

void
pt_handled(struct parts *pt, int ti, int32_t part, struct part *ps,
    int64_t off)
{
	ps->pend = off + 1;
	if (!pt->storing || ps->dirty)
		return;
	if (pt->ndirty == pt->dirtycap) {
		pt->dirtycap = pt->dirtycap ? pt->dirtycap * 2 : 16;
		pt->dirty = kp_xrealloc(pt->dirty,
		    pt->dirtycap * sizeof(*pt->dirty));
	}
	pt->dirty[pt->ndirty].ti = ti;
	pt->dirty[pt->ndirty].part = part;
	pt->ndirty++;
	ps->dirty = 1;
}

void
pt_finished(struct parts *pt, struct part *ps)
{
	if (!ps->fin && ps->assigned)
		pt->nfin++;
	ps->fin = 1;
}

void
pt_assign(struct parts *pt, const rd_kafka_topic_partition_list_t *l, int on)
{
	struct part *ps;
	int i;

	for (i = 0; i < l->cnt; i++) {
		ps = pt_part(pt, pt_topic(pt, l->elems[i].topic),
		    l->elems[i].partition);
		ps->assigned = on;
		ps->fin = ps->done = 0;
		ps->next = -1;
		ps->start = l->elems[i].offset >= 0 ? l->elems[i].offset : -1;
	}
}

void
pt_unassign_all(struct parts *pt)
{
	int i;
	int32_t j;

	for (i = 0; i < pt->ntp; i++)
		for (j = 0; j < pt->tp[i].np; j++)
			pt->tp[i].p[j].assigned = 0;
}

void
pt_recount(struct parts *pt)
{
	int i;
	int32_t j;

	pt->nassigned = pt->nfin = 0;
	for (i = 0; i < pt->ntp; i++)
		for (j = 0; j < pt->tp[i].np; j++) {
			if (!pt->tp[i].p[j].assigned)
				continue;
			pt->nassigned++;
			pt->nfin += pt->tp[i].p[j].fin;
		}
}

void
pt_store(struct parts *pt, rd_kafka_t *rk)
{
	rd_kafka_topic_partition_list_t *l;
	struct part *ps;
	size_t i;

	if (pt->ndirty == 0)
		return;
	l = rd_kafka_topic_partition_list_new((int)pt->ndirty);
	for (i = 0; i < pt->ndirty; i++) {
		ps = &pt->tp[pt->dirty[i].ti].p[pt->dirty[i].part];
		ps->dirty = 0;
		if (ps->pend <= ps->stored)
			continue;
		rd_kafka_topic_partition_list_add(l,
		    pt->tp[pt->dirty[i].ti].name, pt->dirty[i].part)->offset =
		    ps->pend;
		ps->stored = ps->pend;
	}
	pt->ndirty = 0;
	/* A partition revoked meanwhile answers ERR__STATE: its new owner
	 * starts from the last commit, so nothing is lost. */
	if (l->cnt > 0)
		(void)rd_kafka_offsets_store(rk, l);
	rd_kafka_topic_partition_list_destroy(l);
}

int64_t
pt_lag(const struct parts *pt, rd_kafka_t *rk, int *known, int *nend,
    struct buf *at)
{
	const struct part *ps;
	int64_t lo, hi, from, lag = 0;
	int i;
	int32_t j;

	*known = *nend = 0;
	for (i = 0; i < pt->ntp; i++)
		for (j = 0; j < pt->tp[i].np; j++) {
			ps = &pt->tp[i].p[j];
			if (!ps->assigned || rd_kafka_get_watermark_offsets(rk,
			    pt->tp[i].name, j, &lo, &hi) || hi < 0)
				continue;
			/* before its first message, from where it starts */
			if ((from = ps->next >= 0 ? ps->next : ps->start) < lo)
				from = lo;
			lag += hi - from;
			(*known)++;
			if (from < hi)
				continue;
			if (++*nend > 6)
				continue;
			if (*nend > 1)
				buf_adds(at, ", ");
			else if (pt->ntp == 1)
				buf_adds(at, "partition ");
			if (pt->ntp > 1) {
				buf_add(at, pt->tp[i].name,
				    strlen(pt->tp[i].name));
				buf_addc(at, '/');
			}
			jw_i64(at, j);
		}
	if (*nend > 6) {
		at->len = 0;
		jw_i64(at, *nend);
		buf_adds(at, " partitions");
	}
	return lag;
}

void
pt_stop(struct parts *pt)
{
	int i;
	int32_t j;

	for (i = 0; i < pt->ntp; i++) {
		if (pt->tp[i].rkt == NULL)
			continue;
		for (j = 0; j < pt->tp[i].np; j++)
			if (pt->tp[i].p[j].assigned)
				rd_kafka_consume_stop(pt->tp[i].rkt, j);
		rd_kafka_topic_destroy(pt->tp[i].rkt);
		pt->tp[i].rkt = NULL;
	}
}

void
pt_free(struct parts *pt)
{
	int i;

	for (i = 0; i < pt->ntp; i++) {
		free(pt->tp[i].name);
		free(pt->tp[i].p);
		buf_free(&pt->tp[i].jpre);
	}
	free(pt->tp);
	free(pt->dirty);
	memset(pt, 0, sizeof(*pt));
}
