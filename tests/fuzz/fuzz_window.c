/* libFuzzer harness: window-agg's record path, in the tool's own run()
 * loop: plan() parses one of the command lines below, the input is read
 * from a memfd as the tool reads stdin (record(), extract(), the window
 * assignment, merges, late records, watermarks, --max-keys, the flush at
 * end of input) and the rows go through the buffered writer into another
 * memfd. The first byte picks the command line (low four bits), adds
 * --on-error=abort (bit 4) and --max-line 48 (bit 5); the rest is the
 * NDJSON. The fields: t time; k, p.id, p.q.r keys; v numbers; w anything;
 * p partition. Rejected and late lines go to memfds (--dead-letter,
 * --late).
 * Properties, beyond no crash, no exit and no leak:
 * - every (window, key) state is freed when the input ends;
 * - each row is a JSON object: key fields, window_start, window_end, the
 *   aggregates by name; bounds on the grid (end - start is the size, or
 *   at least the gap for sessions);
 * - without --lateness each (window, key) is emitted once, and the rows
 *   come in order of window_end, key and window_start, as window-agg(1)
 *   states it (checked as sort(1) would order lines made of the three,
 *   not with the tool's comparison); with it, a row emitted again has a
 *   larger count;
 * - count() is at least 1, count(f) at most count(); sum, min, max are
 *   exact decimals that read back; min <= avg <= max; the aggregates of
 *   one field are all null or none is (avg aside: a double may overflow);
 * - totals add up: for tumbling and session windows without --lateness
 *   (and hopping windows in processing time, times the windows per
 *   record), count() sums to the records neither rejected nor late, and
 *   count(f) and sum(f) to the values of the input less the dead-letter
 *   and late copies (sums when small enough to be exact);
 * - event time is a replay: the same input gives the same bytes.
 * Messages on stderr go to /dev/null; KP_FUZZ_VERBOSE=1 keeps them and
 * shows the rows too.
 * fuzz-sources: cmd/window-agg/window.c
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <math.h>

#define main window_agg_main
#include "../../cmd/window-agg/window-agg.c"
#undef main

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

#define ALL7 "-a", "n=count()", "-a", "s=sum(v)", "-a", "c=count(v)", \
	"-a", "a=avg(v)", "-a", "lo=min(v)", "-a", "hi=max(v)", \
	"-a", "f=first(v)", "-a", "l=last(v)"

static const char *confs[16][32] = {
	/* event time */
	{ "--tumble", "1s", "-t", "t", "--time-format", "ms" },
	{ "--tumble", "1s", "-k", "k", "-t", "t", "--delay", "300ms", ALL7 },
	{ "--tumble", "1s", "-k", "k,p.id,p.q.r", "-t", "t", "--lateness",
	    "1s", "-a", "n=count()", "-a", "s=sum(v)",
	    "-a", "f=first(w)", "-a", "l=last(w)" },
	{ "--hop", "3s", "--slide", "1s", "-k", "k", "-t", "t", "--delay",
	    "1s", "-a", "n=count()", "-a", "hi=max(v)", "-a", "lo=min(v)",
	    "--time-format", "ms" },
	{ "--hop", "1s", "--slide", "1500ms", "-t", "t", "-a", "n=count()",
	    "-a", "l=last(k)", "--time-unit", "us" },
	{ "--session", "500ms", "-k", "k", "-t", "t", "--delay", "300ms",
	    ALL7 },
	{ "--session", "1s", "-k", "k", "-t", "t", "--delay", "200ms",
	    "--lateness", "700ms", "-a", "n=count()", "-a", "s=sum(v)",
	    "-a", "f=first(v)", "-a", "l=last(v)" },
	{ "--tumble", "1s", "-t", "t", "--partition-field", "p",
	    "-a", "n=count()", "-a", "s=sum(v)", "--time-format", "iso" },
	{ "--tumble", "1s", "-k", "k", "-t", "t", "--partition-field", "p",
	    "--partitions", "3", "--idle", "1h", "--delay", "100ms",
	    "--lateness", "500ms" },
	{ "--tumble", "1s", "-k", "k", "--max-keys", "3", "-t", "t",
	    "-a", "n=count()", "-a", "a=avg(v)", "-a", "c=count(v)" },
	{ "--session", "1s", "-k", "k", "--max-keys", "2", "-t", "t",
	    "--lateness", "500ms", "-a", "n=count()", "-a", "lo=min(v)" },
	/* processing time */
	{ "--tumble", "1h", "-k", "k", ALL7 },
	{ "--hop", "2h", "--slide", "1h", "-k", "k", "-a", "n=count()",
	    "-a", "s=sum(v)" },
	{ "--session", "1h", "-k", "k,p.id", "-a", "n=count()",
	    "-a", "f=first(v)" },
	/* event time, other units and formats */
	{ "--tumble", "1s", "-t", "p.t", "--time-unit", "s", "-k", "p.k,id",
	    "--align", "250ms", "-a", "n=count()", "-a", "s=sum(p.v)" },
	{ "--hop", "2s", "--slide", "500ms", "-t", "t", "--time-unit", "iso",
	    "--after", "1970-01-01T00:00:10Z", "--time-format", "sql",
	    "-k", "k" },
};

static int infd = -1, outfd = -1, dlfd = -1, latefd = -1, verbose;
static char dlpath[32], latepath[32];
static struct buf got, again;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *v = getenv("KP_FUZZ_VERBOSE");
	FILE *null;

	(void)argc, (void)argv;
	if ((infd = memfd_create("in", 0)) < 0 ||
	    (outfd = memfd_create("out", 0)) < 0 ||
	    (dlfd = memfd_create("dead-letter", 0)) < 0 ||
	    (latefd = memfd_create("late", 0)) < 0)
		abort();
	snprintf(dlpath, sizeof(dlpath), "/proc/self/fd/%d", dlfd);
	snprintf(latepath, sizeof(latepath), "/proc/self/fd/%d", latefd);
	/* warnx() writes to stderr; libFuzzer and the sanitizers keep fd 2 */
	verbose = v != NULL && strcmp(v, "1") == 0;
	if (!verbose && (null = fopen("/dev/null", "w")) != NULL)
		stderr = null;
	return 0;
}

static size_t
memcnt(const char *p, size_t n)
{
	size_t c = 0;

	while (n-- > 0)
		c += *p++ == '\n';
	return c;
}

/* Everything written to fd, into b. */
static void
slurp(int fd, struct buf *b)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		abort();
	b->len = 0;
	buf_grow(b, (size_t)sb.st_size + 1);
	if (pread(fd, b->p, (size_t)sb.st_size, 0) != sb.st_size)
		abort();
	b->len = (size_t)sb.st_size;
}

static void
rewind_fds(void)
{
	if (lseek(infd, 0, SEEK_SET) < 0 || ftruncate(outfd, 0) < 0 ||
	    lseek(outfd, 0, SEEK_SET) < 0 || ftruncate(dlfd, 0) < 0 ||
	    ftruncate(latefd, 0) < 0)
		abort();
}

/* One run of the command line: plan, start, run, check the state is
 * gone; the rows end up in b. Returns run()'s status. */
static int
one(struct wa *w, int argc, char **argv, struct buf *b)
{
	int status;

	rewind_fds();
	optind = 0;
	plan(w, argc, argv);
	start(w, infd, outfd);
	status = run(w);
	if (w->st.n != 0 || w->st.hn != 0 || st_top(&w->st) != NULL)
		abort();	/* a (window, key) state outlived the input */
	out_sync(&w->out);
	slurp(outfd, b);
	if (w->out.records != (unsigned long long)memcnt(b->p, b->len))
		abort();
	return status;
}

/* What the records of a file add up to: every line the reader returns
 * or skips as too long, and for each aggregate of a field the values
 * count(f) counts and sum(f) adds. */
struct tot {
	long long	 nrec;
	int64_t		 n[MAXAGG];
	struct dec	 sum[MAXAGG];
	int		 inexact;	/* a value too big or too small for
					   exact sums */
};

/* t += (sign 1) or -= (sign -1) the records in fd, read as the tool
 * reads them, parsed with the tool's own parser. */
static void
tally(struct wa *w, int fd, int sign, struct tot *t)
{
	struct nd_reader r;
	const struct jr_val *v;
	struct dec d;
	const char *l;
	size_t len;
	int i, rc;

	if (lseek(fd, 0, SEEK_SET) < 0)
		abort();
	nd_init(&r, fd, "<fuzz>", w->pol.max_line);
	while ((rc = nd_next(&r, &l, &len, -1)) != ND_EOF) {
		if (rc != ND_LINE && rc != ND_TOOLONG)
			abort();
		t->nrec += sign;
		if (rc != ND_LINE || jr_parse(&w->jr, l, len) != 0)
			continue;
		for (i = 0; i < w->nagg; i++) {
			if (w->agg[i].path < 0)
				continue;
			v = &w->jr.val[w->agg[i].path];
			if (v->type == JR_NONE || v->type == JR_NULL)
				continue;
			if (w->agg[i].fn == F_COUNT)
				t->n[i] += sign;
			if (w->agg[i].fn != F_SUM || v->type != JR_NUM ||
			    dec_parse(&d, v->s, v->len) != DEC_OK)
				continue;
			if (d.m >= 1000000000000ULL || d.e < -6 || d.e > 6)
				t->inexact = 1;
			if (sign < 0 && d.m != 0)
				d.neg = !d.neg;
			dec_add(&t->sum[i], &t->sum[i], &d);
		}
	}
	nd_free(&r);
}

/* ---- the rows ------------------------------------------------------ */

struct row {
	const char	*key;		/* the key fields' text */
	size_t		 keylen;
	int64_t		 start, end;
	int64_t		 n;		/* count() */
	size_t		 seq;
	size_t		 so, sn;	/* its sort line in lines */
};

static struct row *seen;
static size_t nrows, rowcap;
static struct buf lines;

/* The documented order, written independently of the tool's: window_end,
 * then the key fields compared bytewise as their JSON text, then
 * window_start; that is the order sort(1) gives, in the C locale, to the
 * lines "END KEY\001START" with END and START as 16 hex digits of the
 * time plus 2^63 (so that byte order is numeric order) and \001 below
 * any byte of JSON text (so that a key before a longer one it begins). */
static void
sortline(struct row *r)
{
	char t[20];

	r->so = lines.len;
	snprintf(t, sizeof(t), "%016llx ",
	    (unsigned long long)r->end ^ 0x8000000000000000ULL);
	buf_add(&lines, t, 17);
	buf_add(&lines, r->key, r->keylen);
	snprintf(t, sizeof(t), "\001%016llx",
	    (unsigned long long)r->start ^ 0x8000000000000000ULL);
	buf_add(&lines, t, 17);
	r->sn = lines.len - r->so;
}

static int
row_cmp(const struct row *x, const struct row *y)
{
	size_t n = x->sn < y->sn ? x->sn : y->sn;
	int c = memcmp(lines.p + x->so, lines.p + y->so, n);

	return c != 0 ? c : x->sn < y->sn ? -1 : x->sn > y->sn;
}

/* The same (window, key) together, in order of emission. */
static int
row_qcmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = row_cmp(x, y);

	return c != 0 ? c : x->seq < y->seq ? -1 : 1;
}

static int64_t
num(const struct jr_val *v)
{
	char t[32], *end;
	long long n;

	if (v->type != JR_NUM || v->len >= sizeof(t))
		abort();
	memcpy(t, v->s, v->len);
	t[v->len] = '\0';
	errno = 0;
	n = strtoll(t, &end, 10);
	if (errno != 0 || *end != '\0')
		abort();	/* not an integer */
	return n;
}

static int64_t
when(const struct wa *w, const struct jr_val *v)
{
	int64_t ms;

	if (w->tfmt == TF_MS)
		return num(v);
	if (v->type != JR_STR || tu_from_iso(v->s, v->len, &ms) != 0)
		abort();	/* window times read back (fxconvert -t) */
	return ms;
}

static struct dec *
decval(const struct jr_val *v, struct dec *d)
{
	if (v->type == JR_NULL)
		return NULL;
	if (v->type != JR_NUM || dec_parse(d, v->s, v->len) != DEC_OK)
		abort();
	return d;
}

/* Aggregates i and j are of the same field (each -a adds its path). */
static int
same(const struct wa *w, int i, int j)
{
	const struct jr_path *a, *b;
	int k;

	if (w->agg[i].path < 0 || w->agg[j].path < 0)
		return 0;
	a = &w->jr.path[w->agg[i].path];
	b = &w->jr.path[w->agg[j].path];
	if (a->n != b->n)
		return 0;
	for (k = 0; k < a->n; k++)
		if (a->clen[k] != b->clen[k] ||
		    memcmp(a->comp[k], b->comp[k], a->clen[k]) != 0)
			return 0;
	return 1;
}

/* The aggregates of one row, as the plan defines them, added to t;
 * returns count(). */
static int64_t
check_aggs(const struct wa *w, const struct jrec *o, struct tot *t)
{
	const struct jr_val *v;
	struct dec d[MAXAGG];
	int64_t n = -1, c;
	double avg, x, tol;
	char txt[64];
	int i, j, present[MAXAGG];

	for (i = 0; i < w->nagg; i++) {
		v = &o->val[2 + i];
		present[i] = v->type != JR_NULL;
		switch (w->agg[i].fn) {
		case F_COUNT:
			if ((c = num(v)) < (w->agg[i].path < 0 ? 1 : 0))
				abort();
			if (w->agg[i].path < 0)
				n = c;
			else
				t->n[i] += c;
			present[i] = c > 0;
			break;
		case F_AVG:
			if (v->type != JR_NULL && v->type != JR_NUM)
				abort();
			break;
		case F_FIRST:
		case F_LAST:
			if (v->type == JR_NONE || v->type == JR_OBJ ||
			    v->type == JR_ARR)
				abort();
			break;
		default:
			if (decval(v, &d[i]) != NULL && w->agg[i].fn == F_SUM)
				dec_add(&t->sum[i], &t->sum[i], &d[i]);
		}
	}
	for (i = 0; i < w->nagg; i++) {
		if (w->agg[i].path < 0)
			continue;
		if (w->agg[i].fn == F_COUNT && n >= 0 &&
		    num(&o->val[2 + i]) > n)
			abort();	/* count(f) > count() */
		for (j = 0; j < w->nagg; j++) {
			if (!same(w, i, j))
				continue;
			if (w->agg[j].fn == F_AVG && present[j] &&
			    !present[i])
				abort();	/* an average of nothing */
			if (w->agg[i].fn != F_AVG && w->agg[j].fn != F_AVG &&
			    present[i] != present[j])
				abort();	/* null, and not null */
			if (w->agg[i].fn == F_MIN && w->agg[j].fn == F_MAX &&
			    present[i] && dec_cmp(&d[i], &d[j]) > 0)
				abort();	/* min > max */
		}
	}
	/* min <= avg <= max, within double rounding */
	for (i = 0; i < w->nagg; i++) {
		if (w->agg[i].fn != F_AVG || !present[i])
			continue;
		v = &o->val[2 + i];
		if (v->len >= sizeof(txt))
			abort();
		memcpy(txt, v->s, v->len);
		txt[v->len] = '\0';
		avg = strtod(txt, NULL);
		for (j = 0; j < w->nagg; j++) {
			if (!same(w, i, j) || (w->agg[j].fn != F_MIN &&
			    w->agg[j].fn != F_MAX))
				continue;
			x = dec_to_double(&d[j]);
			if (!isfinite(x) || !isfinite(avg))
				continue;
			tol = 1e-9 * fmax(fabs(x), fabs(avg)) + 1e-300;
			if (w->agg[j].fn == F_MIN ? avg < x - tol :
			    avg > x + tol)
				abort();
		}
	}
	return n;
}

/* Check every row of out (plan in w); t gets the rows' totals. */
static void
check_rows(const struct wa *w, const struct buf *out, struct tot *t)
{
	static const char ws[] = "\"window_start\":";
	struct jrec o;
	struct row *r;
	const char *p = out->p, *e = out->p + out->len, *nl, *k;
	int64_t slide = w->kind == W_SESSION ? 0 : w->slide;
	size_t i;
	int j;

	jr_init(&o);
	jr_addpath(&o, "window_start");
	jr_addpath(&o, "window_end");
	for (j = 0; j < w->nagg; j++)
		jr_addpath(&o, w->agg[j].name);
	nrows = 0;
	lines.len = 0;
	for (; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			abort();	/* a row without its newline */
		if (jr_parse(&o, p, (size_t)(nl - p)) != 0)
			abort();	/* not a JSON object */
		if (nrows == rowcap) {
			rowcap = rowcap ? rowcap * 2 : 64;
			seen = kp_xrealloc(seen, rowcap * sizeof(*seen));
		}
		r = &seen[nrows];
		r->seq = nrows++;
		/* the key fields come first: no string holds a bare '"' */
		if ((k = memmem(p, (size_t)(nl - p), ws, sizeof(ws) - 1)) ==
		    NULL)
			abort();
		r->key = p + 1;
		r->keylen = (size_t)(k - p) - 1;
		if ((r->keylen == 0) != (w->nkeys == 0) ||
		    (r->keylen > 0 && r->key[--r->keylen] != ','))
			abort();
		r->start = when(w, &o.val[0]);
		r->end = when(w, &o.val[1]);
		sortline(r);
		if (w->kind == W_SESSION ? r->end - r->start < w->size :
		    r->end - r->start != w->size)
			abort();	/* not the window's size */
		if (slide > 0 &&
		    ((r->start - w->align) % slide + slide) % slide != 0)
			abort();	/* not on the grid */
		if (w->has_after && r->end <= w->after)
			abort();	/* --after */
		if ((r->n = check_aggs(w, &o, t)) < 0)
			abort();	/* every plan has a count() */
		t->nrec += r->n;
	}
	jr_free(&o);
	if (w->lateness == 0) {
		/* once each, in order */
		for (i = 1; i < nrows; i++)
			if (row_cmp(&seen[i - 1], &seen[i]) >= 0)
				abort();
	} else {
		/* again only with more */
		if (nrows > 1)
			qsort(seen, nrows, sizeof(*seen), row_qcmp);
		for (i = 1; i < nrows; i++)
			if (row_cmp(&seen[i - 1], &seen[i]) == 0 &&
			    seen[i].n <= seen[i - 1].n)
				abort();
	}
}

/* Counts add up: the rows hold each record neither rejected nor late
 * (per times, once for each window it falls in), and the values count(f)
 * and sum(f) saw. */
static void
check_totals(const struct wa *w, const struct tot *want, int per,
    const struct tot *have)
{
	struct dec d;
	int i, k;

	if (have->nrec != want->nrec * per)
		abort();	/* records lost or counted twice */
	for (i = 0; i < w->nagg; i++) {
		if (w->agg[i].path < 0)
			continue;
		if (w->agg[i].fn == F_COUNT && have->n[i] != want->n[i] * per)
			abort();
		if (w->agg[i].fn != F_SUM || want->inexact)
			continue;
		memset(&d, 0, sizeof(d));
		for (k = 0; k < per; k++)
			dec_add(&d, &d, &want->sum[i]);
		if (dec_cmp(&d, &have->sum[i]) != 0)
			abort();	/* values lost or added twice */
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct wa w;
	struct tot want, have;
	long long nrec;
	char *argv[48];
	const char *const *c;
	int argc = 0, status, event = 0;

	if (size < 1)
		return 0;
	argv[argc++] = "window-agg";
	for (c = confs[data[0] & 15]; *c != NULL; c++) {
		event |= strcmp(*c, "-t") == 0;
		argv[argc++] = (char *)*c;
	}
	if (data[0] & 16)
		argv[argc++] = "--on-error=abort";
	if (data[0] & 32) {
		argv[argc++] = "--max-line";
		argv[argc++] = "48";
	}
	argv[argc++] = "--dead-letter";
	argv[argc++] = dlpath;
	if (event) {
		argv[argc++] = "--late";
		argv[argc++] = latepath;
	}
	argv[argc] = NULL;
	if (ftruncate(infd, 0) < 0 || pwrite(infd, data + 1, size - 1, 0) !=
	    (ssize_t)(size - 1))
		abort();

	status = one(&w, argc, argv, &got);
	if (verbose)
		fprintf(stderr, "status %d, %llu rejected, %llu late:\n%.*s",
		    status, w.pol.rejected, w.nlate, (int)got.len, got.p);
	if (status != 0 && status != EX_DATAERR)
		abort();
	if (status == EX_DATAERR && w.pol.rejected == 0)
		abort();
	memset(&have, 0, sizeof(have));
	check_rows(&w, &got, &have);
	if (status == 0 && w.lateness == 0 && !w.has_after &&
	    (w.kind != W_HOP || (!w.event && w.size % w.slide == 0))) {
		/* the input less the --dead-letter and --late copies */
		memset(&want, 0, sizeof(want));
		tally(&w, infd, 1, &want);
		nrec = want.nrec - (long long)(w.pol.rejected + w.nlate);
		tally(&w, dlfd, -1, &want);
		tally(&w, latefd, -1, &want);
		want.nrec = nrec;
		check_totals(&w, &want, w.kind == W_HOP ?
		    (int)(w.size / w.slide) : 1, &have);
	}
	if (w.event) {
		wa_free(&w);
		if (one(&w, argc, argv, &again) != status ||
		    again.len != got.len ||
		    (got.len > 0 && memcmp(again.p, got.p, got.len) != 0))
			abort();	/* not a replay */
	}
	wa_free(&w);
	return 0;
}
