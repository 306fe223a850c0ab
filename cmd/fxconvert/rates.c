/* rates.c - the ECB CSV and CUR,RATE rate files, and the as-of lookup. */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kp.h"
#include "rates.h"
#include "timeu.h"

#define MAXCOLS	1024

struct row {			/* one dated row of an ECB file */
	int64_t		 day;
	unsigned long	 line;
	int		 has[2];
	struct dec	 rate[2];
};

struct load {			/* the file being read */
	struct rates	*r;		/* r->err: the message on failure */
	const char	*path;
	unsigned long	 line;
	const char	*cur[2];	/* from, to */
	int		 col[2];	/* ECB: their columns, 0 for EUR;
					   CUR,RATE: their lines, 0 unseen */
	int		 ecb;		/* 1: the first line was a Date header */
	struct row	*rows;
	size_t		 nrows, caprows;
	struct buf	 names;		/* currencies seen, for messages */
};

/* ---- reading ----------------------------------------------------- */

static int
is_eur(const char *c)
{
	return strcasecmp(c, "EUR") == 0;
}

/* Record the message of a malformed file; returns code (EX_DATAERR or
 * EX_USAGE), which every step passes up to rates_parse(). */
static int __attribute__((format(printf, 3, 4)))
fail(struct load *ld, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (ld->r->err == NULL && vasprintf(&ld->r->err, fmt, ap) < 0)
		err(EX_OSERR, "vasprintf");
	va_end(ap);
	return code;
}

/* Split a CSV line in place at commas, trimming blanks; drop trailing
 * empty cells (ECB rows end in ","). Returns the cell count, or -1
 * when there are too many. */
static int
split(struct load *ld, char *s, char **col)
{
	char *e, *t;
	int n = 0;

	s[strcspn(s, "\r\n")] = '\0';
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (n == MAXCOLS) {
			fail(ld, EX_DATAERR, "%s:%lu: more than %d columns",
			    ld->path, ld->line, MAXCOLS);
			return -1;
		}
		col[n++] = s;
		if ((e = strchr(s, ',')) != NULL)
			*e = '\0';
		for (t = s + strlen(s); t > s && (t[-1] == ' ' ||
		    t[-1] == '\t'); )
			*--t = '\0';
		if (e == NULL)
			break;
		s = e + 1;
	}
	while (n > 0 && *col[n - 1] == '\0')
		n--;
	return n;
}

/* A rate cell: 1 and *d, 0 when N/A or empty, -1 when malformed. */
static int
cell(const char *s, struct dec *d)
{
	if (*s == '\0' || strcasecmp(s, "N/A") == 0)
		return 0;
	if (dec_parse(d, s, strlen(s)) != DEC_OK || d->neg || dec_iszero(d))
		return -1;
	return 1;
}

/* "2024-04-19" (eurofxref-hist.csv) or "19 April 2024" (eurofxref.csv,
 * month names in English, full or in three letters). */
static int
parse_date(const char *s, int64_t *day)
{
	static const char *month[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September",
	    "October", "November", "December" };
	char iso[16], name[16];
	unsigned d, y;
	size_t len;
	int64_t ms;
	int m, used = 0;

	if (strlen(s) != 10 || s[4] != '-') {	/* "1 May 2024" is 10 */
		if (sscanf(s, "%2u %15[A-Za-z] %4u%n", &d, name, &y, &used) !=
		    3 || s[used] != '\0' || (len = strlen(name)) < 3)
			return -1;
		for (m = 0; m < 12; m++)
			if (strncasecmp(name, month[m], len) == 0 &&
			    (len == 3 || month[m][len] == '\0'))
				break;
		if (m == 12)
			return -1;
		snprintf(iso, sizeof(iso), "%04u-%02d-%02u", y, m + 1, d);
		s = iso;
	}
	if (strlen(s) != 10 || tu_from_iso(s, 10, &ms) < 0)
		return -1;
	*day = tu_day(ms);
	return 0;
}

static void
seen(struct load *ld, const char *name)
{
	if (*name == '\0' || ld->names.len > 2000)
		return;
	buf_addc(&ld->names, ' ');
	buf_add(&ld->names, name, strlen(name));
}

static int
no_currency(struct load *ld, const char *cur)
{
	return fail(ld, EX_USAGE, "--rates %s: no currency %s (it has EUR%s)",
	    ld->path, cur, buf_cstr(&ld->names));
}

/* The ECB header: find the columns of from and to. 0, or fail(). */
static int
ecb_header(struct load *ld, char **col, int n)
{
	int i, k;

	for (i = 1; i < n; i++)
		seen(ld, col[i]);
	for (k = 0; k < 2; k++) {
		if (is_eur(ld->cur[k]))
			continue;
		for (i = 1; i < n; i++)
			if (strcasecmp(col[i], ld->cur[k]) == 0)
				break;
		if (i == n)
			return no_currency(ld, ld->cur[k]);
		ld->col[k] = i;
	}
	return 0;
}

static int
ecb_row(struct load *ld, char **col, int n)
{
	struct row *r;
	int k, c;

	if (ld->nrows == ld->caprows) {
		ld->caprows = ld->caprows ? 2 * ld->caprows : 1024;
		ld->rows = kp_xrealloc(ld->rows, ld->caprows *
		    sizeof(*ld->rows));
	}
	r = &ld->rows[ld->nrows];
	if (parse_date(col[0], &r->day) < 0)
		return fail(ld, EX_DATAERR, "%s:%lu: '%s' is not a date (2024-04-19 or "
		    "19 April 2024)", ld->path, ld->line, col[0]);
	r->line = ld->line;
	for (k = 0; k < 2; k++) {
		if (ld->col[k] == 0) {
			dec_from_i64(&r->rate[k], 1);
			r->has[k] = 1;
			continue;
		}
		c = ld->col[k] < n ? cell(col[ld->col[k]], &r->rate[k]) : 0;
		if (c < 0)
			return fail(ld, EX_DATAERR, "%s:%lu: %s rate '%s' is "
			    "not a positive number", ld->path, ld->line,
			    ld->cur[k], col[ld->col[k]]);
		r->has[k] = c;
	}
	ld->nrows++;
	return 0;
}

/* A CUR,RATE line; the first line may be a header. 0, or fail(). */
static int
two_column(struct load *ld, char **col, int n, int first, struct row *r)
{
	struct dec v;
	int c, k;

	if (n != 2)
		return fail(ld, EX_DATAERR, "%s:%lu: expected CUR,RATE or an "
		    "ECB header starting with Date", ld->path, ld->line);
	if ((c = cell(col[1], &v)) < 0) {
		if (first)
			return 0;
		return fail(ld, EX_DATAERR, "%s:%lu: rate '%s' is not a "
		    "positive number", ld->path, ld->line, col[1]);
	}
	seen(ld, col[0]);
	for (k = 0; k < 2; k++) {
		if (strcasecmp(col[0], ld->cur[k]) != 0 || is_eur(ld->cur[k]))
			continue;
		if (ld->col[k] > 0)
			return fail(ld, EX_DATAERR, "%s:%lu: %s again (first on "
			    "line %d)", ld->path, ld->line, col[0], ld->col[k]);
		ld->col[k] = (int)ld->line;
		r->has[k] = c;
		if (c)
			r->rate[k] = v;
	}
	return 0;
}

/* ---- the day table ----------------------------------------------- */

static int
by_day(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
add_day(struct rates *r, int64_t day, const struct dec *rate)
{
	struct rate_day *d;

	d = &r->days[r->n++];
	memset(d, 0, sizeof(*d));
	d->day = day;
	d->rate[0] = rate[0];
	d->rate[1] = rate[1];
}

/* Sweep the rows in date order: the days that quote both currencies.
 * 0, or fail(). */
static int
build(struct rates *r, struct load *ld)
{
	int known[2] = { 0, 0 }, k;
	size_t i;

	if (ld->nrows == 0)	/* and rows is NULL: no qsort() */
		return fail(ld, EX_DATAERR, "--rates %s: no rows after the "
		    "header", ld->path);
	qsort(ld->rows, ld->nrows, sizeof(*ld->rows), by_day);
	r->days = kp_xmalloc(ld->nrows * sizeof(*r->days));
	for (i = 0; i < ld->nrows; i++) {
		struct row *w = &ld->rows[i];

		if (i > 0 && w->day == w[-1].day)
			return fail(ld, EX_DATAERR, "%s:%lu: the same date as "
			    "line %lu", ld->path, w->line, w[-1].line);
		for (k = 0; k < 2; k++)
			if (w->has[k] && !known[k]++)
				r->first[k] = w->day;
		if (w->has[0] && w->has[1])
			add_day(r, w->day, w->rate);
	}
	r->last = ld->rows[ld->nrows - 1].day;
	for (k = 0; k < 2; k++)
		if (!known[k])
			return fail(ld, EX_DATAERR, "--rates %s: no day has a "
			    "rate for %s", ld->path, ld->cur[k]);
	if (r->n == 0)
		return fail(ld, EX_DATAERR, "--rates %s: no day has rates for "
		    "both %s and %s", ld->path, ld->cur[0], ld->cur[1]);
	return 0;
}

/* The lines of the text, one at a time, as getline(3) would read them. */
static int
parse(struct rates *r, struct load *ld, const char *buf, size_t len)
{
	char *col[MAXCOLS];
	struct row two;
	struct buf line = { NULL, 0, 0 };
	const char *p = buf, *end = buf + len, *nl;
	int n, k, rc = 0, first = 1;

	memset(&two, 0, sizeof(two));
	while (rc == 0 && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		line.len = 0;
		buf_add(&line, p, (size_t)(nl - p));
		p = nl;
		ld->line++;
		if ((n = split(ld, (char *)buf_cstr(&line), col)) < 0)
			rc = EX_DATAERR;
		else if (n == 0)
			continue;	/* blank */
		else if (first && strcasecmp(col[0], "Date") == 0) {
			ld->ecb = 1;
			rc = ecb_header(ld, col, n);
		} else if (ld->ecb)
			rc = ecb_row(ld, col, n);
		else
			rc = two_column(ld, col, n, first, &two);
		first = 0;
	}
	buf_free(&line);
	if (rc != 0)
		return rc;
	if (first)
		return fail(ld, EX_DATAERR, "--rates %s: the file is empty",
		    ld->path);
	if (ld->ecb)
		return build(r, ld);
	for (k = 0; k < 2; k++) {
		if (is_eur(ld->cur[k])) {
			dec_from_i64(&two.rate[k], 1);
			continue;
		}
		if (ld->col[k] == 0)
			return no_currency(ld, ld->cur[k]);
		if (!two.has[k])
			return fail(ld, EX_DATAERR, "%s:%d: no rate for %s",
			    ld->path, ld->col[k], ld->cur[k]);
	}
	r->days = kp_xmalloc(sizeof(*r->days));
	add_day(r, RATES_UNDATED, two.rate);
	r->first[0] = r->first[1] = RATES_UNDATED;
	return 0;
}

int
rates_parse(struct rates *r, const char *buf, size_t len, const char *name,
    const char *from, const char *to)
{
	struct load ld;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&ld, 0, sizeof(ld));
	r->cur[0] = ld.cur[0] = from;
	r->cur[1] = ld.cur[1] = to;
	ld.r = r;
	ld.path = name;
	if ((rc = parse(r, &ld, buf, len)) != 0) {
		free(r->days);
		r->days = NULL;
		r->n = 0;
	}
	free(ld.rows);
	buf_free(&ld.names);
	return rc;
}

void
rates_load(struct rates *r, const char *path, const char *from,
    const char *to)
{
	struct buf text = { NULL, 0, 0 };
	size_t got;
	FILE *f;
	int rc;

	if ((f = fopen(path, "r")) == NULL)
		err(EX_NOINPUT, "--rates %s", path);
	do {
		buf_grow(&text, 65536);
		got = fread(text.p + text.len, 1, text.cap - text.len, f);
		text.len += got;
	} while (got > 0);
	if (ferror(f))
		err(EX_NOINPUT, "--rates %s", path);
	fclose(f);
	rc = rates_parse(r, text.p, text.len, path, from, to);
	buf_free(&text);
	if (rc != 0)
		errx(rc, "%s", r->err);
}

/* day as 2024-04-19 into s[11] */
static const char *
date(int64_t day, char *s)
{
	int64_t y;
	unsigned m, d;

	tu_civil_from_days(day, &y, &m, &d);
	snprintf(s, 11, "%04lld-%02u-%02u", (long long)y, m, d);
	return s;
}

const struct dec *
rates_asof(struct rates *r, int64_t day, int64_t max_age, const char **why)
{
	struct rate_day *d;
	size_t lo = 0, hi = r->n, mid;
	char a[16], b[16];
	int k;

	*why = r->why;
	if (r->days[0].day == RATES_UNDATED)
		lo = 1;
	else {
		while (lo < hi) {	/* to the first day after day */
			mid = lo + (hi - lo) / 2;
			if (r->days[mid].day <= day)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (day == RATES_LATEST)
			day = r->last;
		if (lo == 0) {
			k = day < r->first[0] ? 0 : day < r->first[1] ? 1 : -1;
			if (k >= 0)
				snprintf(r->why, sizeof(r->why), "no rate for %s "
				    "on or before %s", r->cur[k], date(day, a));
			else
				snprintf(r->why, sizeof(r->why), "no day on or "
				    "before %s has rates for both %s and %s",
				    date(day, a), r->cur[0], r->cur[1]);
			return NULL;
		}
		if (day - r->days[lo - 1].day > max_age) {
			snprintf(r->why, sizeof(r->why), "the last day with "
			    "rates for both %s and %s, %s, is %lld days before "
			    "%s (--max-age: %lld)", r->cur[0], r->cur[1],
			    date(r->days[lo - 1].day, a),
			    (long long)(day - r->days[lo - 1].day), date(day, b),
			    (long long)max_age);
			return NULL;
		}
	}
	d = &r->days[lo - 1];
	if (!d->done) {
		/* the quotient of two rates of at most 38 digits fits */
		if (dec_div(&d->factor, &d->rate[1], &d->rate[0]) != DEC_OK) {
			*why = NULL;
			return NULL;
		}
		d->done = 1;
	}
	return &d->factor;
}

void
rates_free(struct rates *r)
{
	free(r->days);
	free(r->err);
	r->days = NULL;
	r->err = NULL;
	r->n = 0;
}
