/* hold.c - the lowest offset held in an open window, per partition. */
#include <stdlib.h>
#include <string.h>

#include "hold.h"
#include "kp.h"

int
hold_topic(struct hold *h, const char *s, size_t n)
{
	return pos_topic(&h->names, s, n);
}

struct hold_part *
hold_part(struct hold *h, int t, int32_t id)
{
	struct hold_part *p;
	size_t i;

	for (i = 0; i < h->np; i++)
		if (h->p[i].id == id && h->p[i].t == (uint32_t)t)
			return &h->p[i];
	h->p = kp_xrealloc(h->p, (h->np + 1) * sizeof(*h->p));
	h->out = kp_xrealloc(h->out, (h->np + 1) * sizeof(*h->out));
	p = &h->p[h->np++];
	memset(p, 0, sizeof(*p));
	p->t = (uint32_t)t;
	p->id = id;
	p->after = POS_NOAFTER;
	p->wm = POS_NOAFTER;
	p->upto = -1;
	return p;
}

void
hold_add(struct hold_part *p, int64_t off, int64_t until, int held)
{
	size_t i;

	p->known = 1;
	if (off + 1 > p->next)
		p->next = off + 1;
	if (!held)
		return;
	/* the usual record goes to the last window end, or after it */
	for (i = p->n; i > 0 && p->e[i - 1].until > until; i--)
		;
	if (i > 0 && p->e[i - 1].until == until) {
		if (off < p->e[i - 1].off)
			p->e[i - 1].off = off;
		p->e[i - 1].n++;
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->e = kp_xrealloc(p->e, p->cap * sizeof(*p->e));
	}
	memmove(&p->e[i + 1], &p->e[i], (p->n - i) * sizeof(*p->e));
	p->e[i].until = until;
	p->e[i].off = off;
	p->e[i].n = 1;
	p->n++;
}

void
hold_release(struct hold *h, int64_t wm)
{
	struct hold_part *p;
	size_t i, j;

	for (i = 0; i < h->np; i++) {
		p = &h->p[i];
		for (j = 0; j < p->n && p->e[j].until <= wm; j++)
			;
		if (j > 0) {
			memmove(p->e, p->e + j, (p->n - j) * sizeof(*p->e));
			p->n -= j;
		}
	}
}

static void
write_some(struct hold *h, struct buf *b, int64_t after, int64_t wm,
    const char *fence, int gone)
{
	struct hold_part *p;
	struct pos_part o;
	size_t i, j, n = 0;

	for (i = 0; i < h->np; i++) {
		p = &h->p[i];
		if (!p->known || (gone && !p->gone))
			continue;	/* assigned, its start not known yet */
		h->out[n].t = p->t;
		h->out[n].part = p->id;
		h->out[n].off = p->next;
		h->out[n].after = p->after;
		h->out[n].wm = POS_NOAFTER;
		h->out[n].next = -1;
		for (j = 0; j < p->n; j++)
			if (p->e[j].off < h->out[n].off)
				h->out[n].off = p->e[j].off;
		if (h->extra) {
			h->out[n].wm = p->wm > wm ? p->wm : wm;
			h->out[n].next = p->upto > p->next ? p->upto : p->next;
			if (h->out[n].next <= h->out[n].off)
				h->out[n].next = -1;	/* nothing read twice */
		}
		n++;
	}
	/* each topic's partitions together, in the order they came */
	for (i = 1; i < n; i++) {
		o = h->out[i];
		for (j = i; j > 0 && h->out[j - 1].t > o.t; j--)
			h->out[j] = h->out[j - 1];
		h->out[j] = o;
	}
	pos_write(b, &h->names, after, h->out, n, fence);
}

void
hold_write(struct hold *h, struct buf *b, int64_t after, int64_t wm,
    const char *fence)
{
	write_some(h, b, after, wm, fence, 0);
}

void
hold_write_gone(struct hold *h, struct buf *b, int64_t after, int64_t wm,
    const char *fence)
{
	write_some(h, b, after, wm, fence, 1);
}

void
hold_forget_gone(struct hold *h)
{
	struct hold_part *p;
	size_t i;

	for (i = 0; i < h->np; i++) {
		p = &h->p[i];
		if (!p->gone)
			continue;
		p->n = 0;
		p->known = p->gone = p->replay = 0;
		p->next = 0;
		p->after = p->wm = POS_NOAFTER;
		p->upto = -1;
	}
}

uint64_t
hold_count(const struct hold *h, int gone)
{
	uint64_t n = 0;
	size_t i, j;

	for (i = 0; i < h->np; i++)
		for (j = 0; (!gone || h->p[i].gone) && j < h->p[i].n; j++)
			n += h->p[i].e[j].n;
	return n;
}

void
hold_reset(struct hold *h)
{
	size_t i;

	for (i = 0; i < h->np; i++)
		free(h->p[i].e);
	h->np = 0;
}

void
hold_free(struct hold *h)
{
	size_t i;

	for (i = 0; i < h->np; i++)
		free(h->p[i].e);
	free(h->p);
	free(h->out);
	pos_free(&h->names);
	memset(h, 0, sizeof(*h));
}
