/* window-agg - windowed GROUP BY over an NDJSON stream.
 *
 * Each record is assigned to its windows (tumbling, hopping or session),
 * and an entry per (window, key) keeps the aggregates. Entries sit in a
 * heap by deadline: a window is emitted when the watermark reaches its
 * end (processing time: the wall clock; event time: the largest event
 * time seen minus --delay, per partition with --partition-field), and
 * freed when the watermark passes end + --lateness. At end of input
 * every open window is emitted, so a replay is complete and the same
 * bytes every time. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dec.h"
#include "jrec.h"
#include "jw.h"
#include "kp.h"
#include "ndjson.h"
#include "out.h"
#include "opt.h"
#include "policy.h"
#include "timeu.h"
#include "window.h"

#define MAXAGG		32
#define MAXHOPWIN	1000
#define WM_NONE		INT64_MIN

enum { W_TUMBLE, W_HOP, W_SESSION };
enum { F_SUM, F_COUNT, F_AVG, F_MIN, F_MAX, F_FIRST, F_LAST };

static const char *fnames[] = { "sum", "count", "avg", "min", "max",
    "first", "last" };

struct aggdef {
	char	*name;
	int	 fn;
	int	 path;		/* jrec path index; -1 for count() */
};

struct part {			/* one --partition-field value */
	char	*id;
	size_t	 len;
	int64_t	 max;		/* largest event time seen */
	int64_t	 seen;		/* monotonic ms of its last record */
};

struct wa {
	/* the plan */
	int		 kind;
	int64_t		 size, slide, align;
	int		 event, tpath, unit, ppath;
	int64_t		 delay, lateness, idle;
	int		 tfmt, local;
	size_t		 npartitions;	/* --partitions: wait for them */
	int		 has_after;
	int64_t		 after;
	size_t		 max_keys;
	int		 nkeys, keypath[JR_MAXPATHS];
	struct buf	 keyname[JR_MAXPATHS];	/* ',"name":' of each key */
	struct aggdef	 agg[MAXAGG];
	int		 nagg;
	const char	*latepath;
	/* the run */
	struct jrec	 jr;
	struct store	 st;
	struct out	 out;
	struct nd_reader rd;
	struct policy	 pol;
	FILE		*late;
	unsigned long long nlate;
	int64_t		 wm, maxts, lastinput, started;
	struct part	*parts;
	size_t		 nparts;
	struct buf	 key, row, txt;
	struct ent	**due;
	size_t		 ndue, duecap;
	uint64_t	 seq;
	struct dec	 val[MAXAGG];	/* this record's parsed values */
	int		 has[MAXAGG];
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: window-agg (--tumble size | --hop size --slide step | --session gap)\n"
	    "                  [-k field[,field...]] [-a name=func(field)]...\n"
	    "                  [-t field] [--time-unit ms|s|us|iso] [--delay duration]\n"
	    "                  [--lateness duration] [--late file] [--idle duration]\n"
	    "                  [--partition-field field] [--partitions n]\n"
	    "                  [--align duration] [--time-format sql|iso|ms]\n"
	    "                  [--local-time] [--after time] [--max-keys n]\n"
	    "                  [--on-error skip|abort] [--dead-letter file]\n"
	    "                  [--max-line bytes]\n");
	exit(f == stdout ? 0 : EX_USAGE);
}

/* ---- options ------------------------------------------------------- */

static void
add_agg(struct wa *w, const char *spec)
{
	const char *eq = strchr(spec, '='), *lp, *rp;
	struct aggdef *a;
	char field[256];
	size_t n;
	int i;

	if (w->nagg == MAXAGG)
		errx(EX_USAGE, "-a: at most %d aggregates", MAXAGG);
	a = &w->agg[w->nagg];
	lp = eq ? strchr(eq, '(') : NULL;
	rp = lp ? strchr(lp, ')') : NULL;
	if (eq == NULL || eq == spec || lp == NULL || rp == NULL ||
	    rp[1] != '\0')
		errx(EX_USAGE, "-a %s: expected NAME=FUNC(FIELD), as in "
		    "window_sales=sum(amount_usd) or n=count()", spec);
	a->name = strndup(spec, (size_t)(eq - spec));
	a->fn = -1;
	for (i = 0; i < (int)(sizeof(fnames) / sizeof(fnames[0])); i++)
		if ((size_t)(lp - eq - 1) == strlen(fnames[i]) &&
		    strncasecmp(eq + 1, fnames[i], strlen(fnames[i])) == 0)
			a->fn = i;
	if (a->fn < 0)
		errx(EX_USAGE, "-a %s: unknown function '%.*s' (sum, count, "
		    "avg, min, max, first, last)", spec, (int)(lp - eq - 1),
		    eq + 1);
	n = (size_t)(rp - lp - 1);
	if (n >= sizeof(field))
		errx(EX_USAGE, "-a %s: field name too long", spec);
	memcpy(field, lp + 1, n);
	field[n] = '\0';
	if (n == 0) {
		if (a->fn != F_COUNT)
			errx(EX_USAGE, "-a %s: %s() needs a field", spec,
			    fnames[a->fn]);
		a->path = -1;
	} else
		a->path = jr_addpath(&w->jr, field);
	for (i = 0; i < w->nagg; i++)
		if (strcmp(w->agg[i].name, a->name) == 0)
			errx(EX_USAGE, "-a %s: the name %s is used twice",
			    spec, a->name);
	w->nagg++;
}

static void
add_keys(struct wa *w, const char *list)
{
	char *copy = kp_xstrdup(list), *s, *save = NULL;

	for (s = strtok_r(copy, ",", &save); s != NULL;
	    s = strtok_r(NULL, ",", &save)) {
		if (w->nkeys == JR_MAXPATHS)
			errx(EX_USAGE, "--key: too many fields");
		w->keypath[w->nkeys] = jr_addpath(&w->jr, s);
		if (w->nkeys > 0)
			buf_addc(&w->keyname[w->nkeys], ',');
		s = (char *)jr_lastname(&w->jr, w->keypath[w->nkeys]);
		jw_key(&w->keyname[w->nkeys++], s, strlen(s));
	}
	free(copy);
	if (w->nkeys == 0)
		errx(EX_USAGE, "--key: name at least one field");
}

/* Every output field has its own name: keys (by their last part),
 * window_start, window_end and the aggregates. */
static void
check_names(struct wa *w)
{
	const char *name[JR_MAXPATHS + 2 + MAXAGG];
	int i, j, n = 0;

	for (i = 0; i < w->nkeys; i++)
		name[n++] = jr_lastname(&w->jr, w->keypath[i]);
	name[n++] = "window_start";
	name[n++] = "window_end";
	for (i = 0; i < w->nagg; i++)
		name[n++] = w->agg[i].name;
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(name[i], name[j]) == 0)
				errx(EX_USAGE, "two output fields named %s "
				    "(a key is named by its path's last part)",
				    name[i]);
}

static int64_t
parse_time_arg(const char *s, const char *what)
{
	int64_t ms;

	if (tu_from_num(s, strlen(s), TU_MS, &ms) == 0 ||
	    tu_from_iso(s, strlen(s), &ms) == 0)
		return ms;
	errx(EX_USAGE, "%s: '%s' is not a time (epoch milliseconds or "
	    "ISO-8601, as in 2024-04-21T00:17:42Z)", what, s);
}

/* ---- output -------------------------------------------------------- */

static void
put_time(struct wa *w, int64_t ms)
{
	char t[TU_FMT_MAX];
	size_t n = tu_fmt(ms, w->tfmt, w->local, t);

	if (w->tfmt == TF_MS)
		buf_add(&w->row, t, n);
	else
		jw_str(&w->row, t, n);
}

static void
put_dec(struct buf *b, const struct dec *d)
{
	char t[DEC_FMT_MAX];

	buf_add(b, t, dec_fmt(d, t));
}

static void
emit(struct wa *w, struct ent *e)
{
	struct agg_state *s;
	struct dec n, avg;
	int i;

	if (w->has_after && e->end <= w->after)
		return;
	w->row.len = 0;
	buf_addc(&w->row, '{');
	if (e->keylen > 0) {
		buf_add(&w->row, e->key, e->keylen);
		buf_addc(&w->row, ',');
	}
	buf_adds(&w->row, "\"window_start\":");
	put_time(w, e->start);
	buf_adds(&w->row, ",\"window_end\":");
	put_time(w, e->end);
	for (i = 0; i < w->nagg; i++) {
		s = &e->agg[i];
		buf_addc(&w->row, ',');
		jw_key(&w->row, w->agg[i].name, strlen(w->agg[i].name));
		switch (w->agg[i].fn) {
		case F_COUNT:
			jw_i64(&w->row, s->n);
			break;
		case F_AVG:
			if (s->n == 0) {
				buf_adds(&w->row, "null");
				break;
			}
			dec_from_i64(&n, s->n);
			if (dec_div(&avg, &s->d, &n) != DEC_OK)
				buf_adds(&w->row, "null");
			else
				jw_dbl(&w->row, dec_to_double(&avg));
			break;
		case F_FIRST:
		case F_LAST:
			if (s->n == 0)
				buf_adds(&w->row, "null");
			else
				buf_add(&w->row, s->txt, s->len);
			break;
		default:
			if (s->n == 0)
				buf_adds(&w->row, "null");
			else
				put_dec(&w->row, &s->d);
		}
	}
	buf_adds(&w->row, "}\n");
	if (out_write(&w->out, w->row.p, w->row.len) < 0)
		out_die(&w->out);
	w->out.records++;
}

static int
due_cmp(const void *a, const void *b)
{
	const struct ent *x = *(struct ent *const *)a;
	const struct ent *y = *(struct ent *const *)b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	c = n > 0 ? memcmp(x->key, y->key, n) : 0;
	if (c != 0)
		return c;
	if (x->keylen != y->keylen)
		return x->keylen < y->keylen ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Emit every window whose end the watermark reached, in order of end,
 * key and start; free what is past end + lateness. */
static void
advance(struct wa *w, int64_t wm)
{
	struct ent *e;
	size_t i;

	if (wm > w->wm)
		w->wm = wm;
	w->ndue = 0;
	while ((e = st_top(&w->st)) != NULL && e->deadline <= w->wm) {
		st_unheap(&w->st, e);
		if (e->emitted) {
			st_del(&w->st, e);
			continue;
		}
		if (w->ndue == w->duecap) {
			w->duecap = w->duecap ? w->duecap * 2 : 256;
			w->due = kp_xrealloc(w->due, w->duecap * sizeof(*w->due));
		}
		w->due[w->ndue++] = e;
	}
	if (w->ndue > 1)
		qsort(w->due, w->ndue, sizeof(*w->due), due_cmp);
	for (i = 0; i < w->ndue; i++) {
		e = w->due[i];
		emit(w, e);
		if (w->lateness > 0 && w->wm != INT64_MAX &&
		    e->end + w->lateness > w->wm) {
			e->emitted = 1;
			e->deadline = e->end + w->lateness;
			st_push(&w->st, e);
		} else
			st_del(&w->st, e);
	}
}

/* ---- watermarks ---------------------------------------------------- */

/* The event-time watermark from what was seen (advance() keeps it from
 * going back). quiet: no input for --idle, so the wall clock leads. */
static int64_t
event_wm(struct wa *w, int quiet)
{
	int64_t min = INT64_MAX, now;
	size_t i;

	if (quiet)
		return tu_now_ms() - w->delay;
	if (w->ppath < 0)
		return w->maxts == WM_NONE ? WM_NONE : w->maxts - w->delay;
	now = tu_mono_ms();
	for (i = 0; i < w->nparts; i++) {
		if (w->idle > 0 && now - w->parts[i].seen >= w->idle)
			continue;	/* an idle partition holds nothing back */
		if (w->parts[i].max < min)
			min = w->parts[i].max;
	}
	/* not every partition has spoken yet; with --idle, one that has
	 * said nothing since the start is idle (a key-partitioned topic
	 * may have partitions that never get a record) */
	if (w->nparts < w->npartitions && !(w->idle > 0 &&
	    now - w->started >= w->idle))
		return WM_NONE;
	if (min == INT64_MAX)	/* none seen, or all idle */
		return w->nparts > 0 && w->idle > 0 ? tu_now_ms() - w->delay :
		    WM_NONE;
	return min - w->delay;
}

static void
see_partition(struct wa *w, const struct jr_val *v, int64_t ts)
{
	const char *id = v->type == JR_NONE ? "" : v->s ? v->s : "null";
	size_t len = v->type == JR_NONE ? 0 : v->s ? v->len : 4, i;
	struct part *p;

	for (i = 0; i < w->nparts; i++)
		if (w->parts[i].len == len &&
		    memcmp(w->parts[i].id, id, len) == 0)
			break;
	if (i == w->nparts) {
		w->parts = kp_xrealloc(w->parts, (w->nparts + 1) *
		    sizeof(*w->parts));
		p = &w->parts[w->nparts++];
		p->id = kp_xmalloc(len + 1);
		memcpy(p->id, id, len);
		p->len = len;
		p->max = ts;
	}
	p = &w->parts[i];
	if (ts > p->max)
		p->max = ts;
	p->seen = tu_mono_ms();
}

/* ---- aggregates ---------------------------------------------------- */

static void
set_txt(struct agg_state *s, const char *p, size_t n)
{
	if (s->cap < n) {
		s->txt = kp_xrealloc(s->txt, n);
		s->cap = (uint32_t)n;
	}
	memcpy(s->txt, p, n);
	s->len = (uint32_t)n;
}

/* Fold this record's values into an entry. */
static void
update(struct wa *w, struct ent *e)
{
	struct agg_state *s;
	const struct jr_val *v;
	int i;

	for (i = 0; i < w->nagg; i++) {
		s = &e->agg[i];
		if (w->agg[i].path < 0) {
			s->n++;
			continue;
		}
		if (!w->has[i])
			continue;
		v = &w->jr.val[w->agg[i].path];
		switch (w->agg[i].fn) {
		case F_COUNT:
			break;
		case F_SUM:
		case F_AVG:
			if (s->n == 0)
				s->d = w->val[i];
			else
				dec_add(&s->d, &s->d, &w->val[i]);
			break;
		case F_MIN:
			if (s->n == 0 || dec_cmp(&w->val[i], &s->d) < 0)
				s->d = w->val[i];
			break;
		case F_MAX:
			if (s->n == 0 || dec_cmp(&w->val[i], &s->d) > 0)
				s->d = w->val[i];
			break;
		case F_FIRST:
		case F_LAST:
			if (s->n == 0 || (w->agg[i].fn == F_LAST) ==
			    (w->seq > s->seq)) {
				w->txt.len = 0;
				if (v->type == JR_STR)
					jw_str(&w->txt, v->s, v->len);
				else
					buf_add(&w->txt, v->s, v->len);
				set_txt(s, w->txt.p, w->txt.len);
				s->seq = w->seq;
			}
			break;
		}
		s->n++;
	}
}

/* Fold entry b into a (session merge). */
static void
merge(struct wa *w, struct ent *a, struct ent *b)
{
	struct agg_state *x, *y;
	int i, take;

	for (i = 0; i < w->nagg; i++) {
		x = &a->agg[i];
		y = &b->agg[i];
		if (y->n == 0)
			continue;
		switch (w->agg[i].fn) {
		case F_SUM:
		case F_AVG:
			if (x->n == 0)
				x->d = y->d;
			else
				dec_add(&x->d, &x->d, &y->d);
			break;
		case F_MIN:
		case F_MAX:
			take = x->n == 0 || (dec_cmp(&y->d, &x->d) < 0) ==
			    (w->agg[i].fn == F_MIN);
			if (take && (x->n == 0 || dec_cmp(&y->d, &x->d) != 0))
				x->d = y->d;
			break;
		case F_FIRST:
		case F_LAST:
			if (x->n == 0 || (w->agg[i].fn == F_LAST) ==
			    (y->seq > x->seq)) {
				set_txt(x, y->txt, y->len);
				x->seq = y->seq;
			}
			break;
		}
		x->n += y->n;
	}
}

/* ---- one record ---------------------------------------------------- */

/* Report a bad record: 1 to skip it, -1 to stop (--on-error=abort). */
static int
reject(struct wa *w, const char *line, size_t len, const char *fmt,
    const char *a, const char *b)
{
	return pol_reject(&w->pol, w->rd.lineno, line, len, fmt, a, b) < 0 ?
	    -1 : 1;
}

/* Read this record's key and values; 0, or the reject() result. */
static int
extract(struct wa *w, const char *line, size_t len, int64_t *ts)
{
	const struct jr_val *v;
	const char *why;
	int i, rc;

	if (jr_parse(&w->jr, line, len) < 0)
		return reject(w, line, len, "%s%s", w->jr.err, "");
	if (w->event) {
		v = &w->jr.val[w->tpath];
		if (v->type == JR_NONE || v->type == JR_NULL)
			return reject(w, line, len, "time field %s: %s",
			    jr_lastname(&w->jr, w->tpath), "missing");
		if ((why = tu_from_value(v->s, v->len, v->type == JR_STR,
		    w->unit, ts)) != NULL)
			return reject(w, line, len, "time field %s: %s",
			    jr_lastname(&w->jr, w->tpath), why);
	} else
		*ts = tu_now_ms();
	for (i = 0; i < w->nagg; i++) {
		w->has[i] = 0;
		if (w->agg[i].path < 0)
			continue;
		v = &w->jr.val[w->agg[i].path];
		if (v->type == JR_NONE || v->type == JR_NULL)
			continue;	/* SQL: NULLs are ignored */
		w->has[i] = 1;
		switch (w->agg[i].fn) {
		case F_COUNT:
			break;
		case F_FIRST:
		case F_LAST:
			if (v->type == JR_OBJ || v->type == JR_ARR)
				return reject(w, line, len, "field %s: expected "
				    "a value, got %s", jr_lastname(&w->jr,
				    w->agg[i].path), jr_typename(v->type));
			break;
		default:
			if (v->type != JR_NUM)
				return reject(w, line, len, "field %s: expected "
				    "a number, got %s", jr_lastname(&w->jr,
				    w->agg[i].path), jr_typename(v->type));
			rc = dec_parse(&w->val[i], v->s, v->len);
			if (rc != DEC_OK)
				return reject(w, line, len, "field %s: number "
				    "out of range", jr_lastname(&w->jr,
				    w->agg[i].path), "");
		}
	}
	w->key.len = 0;
	for (i = 0; i < w->nkeys; i++) {
		v = &w->jr.val[w->keypath[i]];
		if (v->type == JR_OBJ || v->type == JR_ARR)
			return reject(w, line, len, "key field %s: expected a "
			    "value, got %s", jr_lastname(&w->jr, w->keypath[i]),
			    jr_typename(v->type));
		buf_add(&w->key, w->keyname[i].p, w->keyname[i].len);
		if (v->type == JR_STR)
			jw_str(&w->key, v->s, v->len);
		else if (v->type == JR_NONE)
			buf_adds(&w->key, "null");
		else
			buf_add(&w->key, v->s, v->len);
	}
	return 0;
}

static int
too_many(struct wa *w, const char *line, size_t len, size_t more)
{
	char n[32];

	if (w->max_keys == 0 || w->st.n + more <= w->max_keys)
		return 0;
	snprintf(n, sizeof(n), "%zu", w->max_keys);
	return reject(w, line, len, "more than %s open (window, key) "
	    "states (--max-keys)%s", n, "");
}

static void
late(struct wa *w, const char *line, size_t len)
{
	w->nlate++;
	if (w->late != NULL) {
		fwrite(line, 1, len, w->late);
		fputc('\n', w->late);
	}
}

/* A window entry was updated after its window fired: emit it again. */
static void
refire(struct wa *w, struct ent *e)
{
	if (e->end > w->wm)
		return;
	emit(w, e);
	e->emitted = 1;
	e->deadline = e->end + w->lateness;
	st_fix(&w->st, e);
}

static int
assign_fixed(struct wa *w, const char *line, size_t len, int64_t ts)
{
	struct ent *hit[MAXHOPWIN];
	int64_t first, s, starts[MAXHOPWIN];
	uint64_t kh = st_hash(w->key.p, w->key.len), h[MAXHOPWIN];
	size_t n = 0, fresh = 0, i;
	int rc;

	/* the latest window start at or before ts on the slide grid */
	first = ts - (((ts - w->align) % w->slide) + w->slide) % w->slide;
	for (s = first; s > ts - w->size && n < MAXHOPWIN; s -= w->slide) {
		if (w->event && w->wm != WM_NONE &&
		    s + w->size + w->lateness <= w->wm)
			continue;	/* that window is closed */
		starts[n] = s;
		h[n] = kh ^ ((uint64_t)s * 0x9e3779b97f4a7c15ULL);
		hit[n] = st_find(&w->st, h[n], s, s + w->size, w->key.p,
		    (uint32_t)w->key.len);
		fresh += hit[n] == NULL;
		n++;
	}
	if (n == 0) {
		if (first > ts - w->size)	/* not a gap between hops */
			late(w, line, len);
		return 0;
	}
	if ((rc = too_many(w, line, len, fresh)) != 0)
		return rc < 0 ? -1 : 0;
	w->seq++;
	for (i = n; i-- > 0;) {		/* oldest window first */
		if (hit[i] == NULL)
			hit[i] = st_add(&w->st, h[i], starts[i],
			    starts[i] + w->size, w->key.p,
			    (uint32_t)w->key.len, starts[i] + w->size);
		update(w, hit[i]);
		if (w->event)
			refire(w, hit[i]);
	}
	return 0;
}

static int
assign_session(struct wa *w, const char *line, size_t len, int64_t ts)
{
	uint64_t h = st_hash(w->key.p, w->key.len);
	int64_t end = ts + w->size;
	struct ent *e, *next, *into = NULL;
	int rc;

	if (w->event && w->wm != WM_NONE && end + w->lateness <= w->wm) {
		late(w, line, len);
		return 0;
	}
	/* Flink's rule: [ts, ts + gap) merges with every session of the
	 * key it overlaps or touches */
	for (e = st_chain(&w->st, h, NULL); e != NULL; e = next) {
		next = st_chain(&w->st, h, e);
		if (e->keylen != w->key.len || (w->key.len > 0 &&
		    memcmp(e->key, w->key.p, w->key.len) != 0) ||
		    e->start > end || e->end < ts)
			continue;
		if (e->emitted && e->end + w->lateness <= w->wm)
			continue;
		if (into == NULL) {
			into = e;
			continue;
		}
		merge(w, into, e);
		if (e->start < into->start)
			into->start = e->start;
		if (e->end > into->end)
			into->end = e->end;
		st_del(&w->st, e);
	}
	if (into == NULL) {
		if ((rc = too_many(w, line, len, 1)) != 0)
			return rc < 0 ? -1 : 0;
		into = st_add(&w->st, h, ts, end, w->key.p,
		    (uint32_t)w->key.len, end);
	} else {
		if (ts < into->start)
			into->start = ts;
		if (end > into->end)
			into->end = end;
		if (!into->emitted || into->end > w->wm) {
			into->emitted = 0;
			into->deadline = into->end;
		}
		st_fix(&w->st, into);
	}
	w->seq++;
	update(w, into);
	if (w->event)
		refire(w, into);
	return 0;
}

static int
record(struct wa *w, const char *line, size_t len)
{
	int64_t ts;
	int rc;

	if ((rc = extract(w, line, len, &ts)) != 0)
		return rc < 0 ? -1 : 0;
	if (!w->event)
		advance(w, ts);
	rc = w->kind == W_SESSION ? assign_session(w, line, len, ts) :
	    assign_fixed(w, line, len, ts);
	if (rc != 0)
		return rc;
	if (w->event) {
		if (w->ppath >= 0)
			see_partition(w, &w->jr.val[w->ppath], ts);
		if (ts > w->maxts)
			w->maxts = ts;
		advance(w, event_wm(w, 0));
	}
	return 0;
}

/* ---- the loop ------------------------------------------------------ */

static void
flush_out(void *arg)
{
	struct wa *w = arg;

	out_sync(&w->out);
	if (w->late != NULL)
		fflush(w->late);
}

/* How long to wait for input before a timer is due, in ms (-1: no
 * timer). */
static int
timeout(struct wa *w)
{
	struct ent *e;
	int64_t t;

	if (!w->event) {
		if ((e = st_top(&w->st)) == NULL)
			return -1;
		t = e->deadline - tu_now_ms();
		return t < 0 ? 0 : t > 60000 ? 60000 : (int)t;
	}
	if (w->idle > 0) {
		t = w->lastinput + w->idle - tu_mono_ms();
		return t < 0 ? 0 : t > 60000 ? 60000 : (int)t;
	}
	return -1;
}

static int
run(struct wa *w)
{
	const char *line;
	size_t len, open = 0;
	int rc, status = 0;
	struct ent *e;

	w->lastinput = w->started = tu_mono_ms();
	while (!kp_stop) {
		rc = nd_next(&w->rd, &line, &len, timeout(w));
		if (rc == ND_LINE) {
			w->lastinput = tu_mono_ms();
			if (record(w, line, len) < 0) {
				status = EX_DATAERR;
				break;
			}
		} else if (rc == ND_TIMEOUT) {
			if (!w->event)
				advance(w, tu_now_ms());
			else if (w->idle > 0 &&
			    tu_mono_ms() - w->lastinput >= w->idle)
				advance(w, event_wm(w, 1));
			else if (w->idle > 0 && w->ppath >= 0)
				advance(w, event_wm(w, 0));
		} else if ((status = pol_input(&w->pol, &w->rd, rc)) != 0) {
			if (status < 0)		/* end of input */
				status = 0;
			break;
		}
	}
	if (kp_stop || status != 0) {
		/* stopped: what is complete was written; open windows are
		 * not, a replay completes them */
		while ((e = st_top(&w->st)) != NULL) {
			open += !e->emitted;
			st_del(&w->st, e);
		}
		if (open > 0)
			warnx("stopped: %zu open (window, key) rows not emitted",
			    open);
	} else
		advance(w, INT64_MAX);	/* end of input: emit everything */
	out_sync(&w->out);
	if (w->nlate > 0)
		warnx("%llu late records dropped%s%s", w->nlate,
		    w->late ? ", copied to " : "", w->late ? w->latepath : "");
	if (w->late != NULL && (fflush(w->late) != 0 || ferror(w->late))) {
		warn("--late %s", w->latepath);
		status = status ? status : EX_IOERR;
	}
	if (pol_finish(&w->pol) < 0 && status == 0)
		status = EX_IOERR;
	return status;
}

/* ---- setup -------------------------------------------------------- */

/* Parse the command line into the plan in w (zeroed first). Exits 64 on
 * a usage error and 74 when --late or --dead-letter cannot be opened;
 * the --late path and the option arguments stay borrowed from argv. */
static void
plan(struct wa *w, int argc, char **argv)
{
	enum { O_TUMBLE = 256, O_HOP, O_SLIDE, O_SESSION, O_ALIGN, O_UNIT,
	    O_DELAY, O_LATENESS, O_LATE, O_IDLE, O_PART, O_TFMT, O_LOCAL,
	    O_AFTER, O_MAXKEYS, O_NPARTS };
	static const struct option longopts[] = {
		{ "tumble", required_argument, NULL, O_TUMBLE },
		{ "hop", required_argument, NULL, O_HOP },
		{ "slide", required_argument, NULL, O_SLIDE },
		{ "session", required_argument, NULL, O_SESSION },
		{ "align", required_argument, NULL, O_ALIGN },
		{ "key", required_argument, NULL, 'k' },
		{ "agg", required_argument, NULL, 'a' },
		{ "time-field", required_argument, NULL, 't' },
		{ "time-unit", required_argument, NULL, O_UNIT },
		{ "delay", required_argument, NULL, O_DELAY },
		{ "lateness", required_argument, NULL, O_LATENESS },
		{ "late", required_argument, NULL, O_LATE },
		{ "idle", required_argument, NULL, O_IDLE },
		{ "partition-field", required_argument, NULL, O_PART },
		{ "partitions", required_argument, NULL, O_NPARTS },
		{ "time-format", required_argument, NULL, O_TFMT },
		{ "local-time", no_argument, NULL, O_LOCAL },
		{ "after", required_argument, NULL, O_AFTER },
		{ "max-keys", required_argument, NULL, O_MAXKEYS },
		POL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tfield = NULL, *pfield = NULL;
	int ch, nwin = 0;
	int64_t hop = 0, slide = 0;

	memset(w, 0, sizeof(*w));
	jr_init(&w->jr);
	pol_init(&w->pol, "<stdin>", 0);
	w->tpath = w->ppath = -1;
	w->unit = TU_MS;
	w->tfmt = TF_SQL;
	while ((ch = kp_getopt(argc, argv, "k:a:t:hV", longopts)) !=
	    -1) {
		switch (ch) {
		case O_TUMBLE:
			w->kind = W_TUMBLE, nwin++;
			w->size = w->slide = tu_duration_opt(optarg,
			    "--tumble", 1);
			break;
		case O_HOP:
			w->kind = W_HOP, nwin++;
			hop = tu_duration_opt(optarg, "--hop", 1);
			break;
		case O_SLIDE:
			slide = tu_duration_opt(optarg, "--slide", 1);
			break;
		case O_SESSION:
			w->kind = W_SESSION, nwin++;
			w->size = tu_duration_opt(optarg, "--session", 1);
			break;
		case O_ALIGN:
			w->align = tu_duration_opt(optarg, "--align", 0);
			break;
		case 'k':
			add_keys(w, optarg);
			break;
		case 'a':
			add_agg(w, optarg);
			break;
		case 't':
			tfield = optarg;
			break;
		case O_UNIT:
			if ((w->unit = tu_unit(optarg)) < 0)
				errx(EX_USAGE, "--time-unit: '%s' is not ms, s, "
				    "us or iso", optarg);
			break;
		case O_DELAY:
			w->delay = tu_duration_opt(optarg, "--delay", 0);
			break;
		case O_LATENESS:
			w->lateness = tu_duration_opt(optarg, "--lateness", 0);
			break;
		case O_LATE:
			w->latepath = optarg;
			break;
		case O_IDLE:
			w->idle = tu_duration_opt(optarg, "--idle", 1);
			break;
		case O_PART:
			pfield = optarg;
			break;
		case O_NPARTS:
			w->npartitions = (size_t)kp_num(optarg, 1, 1000000,
			    "--partitions");
			break;
		case O_TFMT:
			if ((w->tfmt = tu_format(optarg)) < 0)
				errx(EX_USAGE, "--time-format: '%s' is not sql, "
				    "iso or ms", optarg);
			break;
		case O_LOCAL:
			w->local = 1;
			break;
		case O_AFTER:
			w->after = parse_time_arg(optarg, "--after");
			w->has_after = 1;
			break;
		case O_MAXKEYS:
			w->max_keys = (size_t)kp_num(optarg, 1, INT64_MAX,
			    "--max-keys");
			break;
		default:
			pol_option(&w->pol, ch, optarg, usage);
		}
	}
	if (optind != argc)
		usage(stderr);
	if (nwin != 1) {
		warnx("choose one of --tumble, --hop and --session");
		usage(stderr);
	}
	if (w->kind == W_HOP) {
		if (slide == 0)
			errx(EX_USAGE, "--hop needs --slide");
		w->size = hop;
		w->slide = slide;
		if ((w->size + w->slide - 1) / w->slide > MAXHOPWIN)
			errx(EX_USAGE, "--hop %s: more than %d windows per "
			    "record; use a larger --slide", "size", MAXHOPWIN);
	} else if (slide != 0)
		errx(EX_USAGE, "--slide goes with --hop");
	if (w->kind != W_SESSION && w->align >= w->slide)
		w->align %= w->slide;
	if (tfield != NULL) {
		w->event = 1;
		w->tpath = jr_addpath(&w->jr, tfield);
	} else if (w->delay || w->lateness || w->idle || pfield || w->latepath)
		errx(EX_USAGE, "--delay, --lateness, --late, --idle and "
		    "--partition-field need event time (--time-field)");
	if (pfield != NULL)
		w->ppath = jr_addpath(&w->jr, pfield);
	else if (w->npartitions > 0)
		errx(EX_USAGE, "--partitions goes with --partition-field");
	if (w->nagg == 0)
		add_agg(w, "count=count()");
	check_names(w);
	if (w->latepath != NULL && (w->late = fopen(w->latepath, "a")) ==
	    NULL)
		err(EX_IOERR, "--late %s", w->latepath);
}

/* Ready the run: NDJSON read from fd in, rows written to fd out. */
static void
start(struct wa *w, int in, int out)
{
	w->wm = w->maxts = WM_NONE;
	st_init(&w->st, w->nagg);
	out_init(&w->out, out, 1 << 16);
	nd_init(&w->rd, in, "<stdin>", w->pol.max_line);
	w->rd.spill = w->pol.dl;
	w->rd.before_block = flush_out;
	w->rd.arg = w;
}

/* Free what plan() and start() made; the fds are the caller's. */
static void
wa_free(struct wa *w)
{
	size_t i;
	int j;

	if (w->late != NULL)
		fclose(w->late);
	st_free(&w->st);
	nd_free(&w->rd);
	out_free(&w->out);
	jr_free(&w->jr);
	buf_free(&w->key);
	buf_free(&w->row);
	buf_free(&w->txt);
	free(w->due);
	for (i = 0; i < w->nparts; i++)
		free(w->parts[i].id);
	free(w->parts);
	for (j = 0; j < w->nagg; j++)
		free(w->agg[j].name);
	for (j = 0; j < w->nkeys; j++)
		buf_free(&w->keyname[j]);
}

int
main(int argc, char **argv)
{
	static struct wa w;
	int status;

	plan(&w, argc, argv);
	kp_signals();
	start(&w, STDIN_FILENO, STDOUT_FILENO);
	status = run(&w);
	wa_free(&w);
	return status;
}
