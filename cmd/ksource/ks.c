/* ks.c - ksource's output and its offsets, and the merge's lanes
 * following the assignment (see ks.h). */
#include <errno.h>

#include "ks.h"

/* --ordered: the lanes of l follow their assignment (on), or every lane
 * is taken away (l NULL: an eager rebalance's new assignment). */
void
ks_lanes(struct ks *k, const rd_kafka_topic_partition_list_t *l, int on)
{
	struct part *ps;
	int i, ti;
	int32_t j;

	if (!k->pl->ordered)
		return;
	if (l == NULL) {
		for (i = 0; i < k->pt.ntp; i++)
			for (j = 0; j < k->pt.tp[i].np; j++)
				if (k->pt.tp[i].p[j].lane != NULL)
					mg_assign(&k->mg, k->pt.tp[i].p[j].lane,
					    0, -1);
		return;
	}
	for (i = 0; i < l->cnt; i++) {
		ti = pt_topic(&k->pt, l->elems[i].topic);
		ps = pt_part(&k->pt, ti, l->elems[i].partition);
		if (ps->lane == NULL)
			ps->lane = mg_lane(&k->mg, k->pt.tp[ti].name, ti,
			    l->elems[i].partition);
		mg_assign(&k->mg, ps->lane, on, l->elems[i].offset >= 0 ?
		    l->elems[i].offset : -1);
	}
}

/* ---- output and offsets ------------------------------------------- */

/* Write out what is buffered; then, and only then, store its offsets.
 * After a failed write nothing is ever stored again. */
int
ks_flush_store(struct ks *k)
{
	if (k->werr)
		return -1;
	if (out_flush(&k->out) < 0) {
		k->werr = errno;
		return -1;
	}
	if (pol_flush(&k->pol) < 0)
		return -1;
	pt_store(&k->pt, k->rk);
	return 0;
}

/* Append one record: n bytes, then the en bytes of its end (a newline,
 * or -D). A record never straddles a flush, so a flush covers whole
 * records. */
int
ks_put(struct ks *k, const char *p, size_t n, const char *end, size_t en)
{
	if (k->out.cap - k->out.len < n + en && ks_flush_store(k) < 0)
		return -1;
	if ((n > 0 && out_write(&k->out, p, n) < 0) ||
	    (en > 0 && out_write(&k->out, end, en) < 0)) {
		k->werr = errno;
		return -1;
	}
	return 0;
}
