/* rates.c - the ECB CSV and CUR,RATE rate files. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kp.h"
#include "rates.h"
#include "timeu.h"

#define MAXCOLS	256

/* Split a CSV line in place at commas, trimming blanks. */
static int
split(char *s, char **col, int max)
{
	int n = 0;
	char *e;

	s[strcspn(s, "\r\n")] = '\0';
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (n == max)
			return n;
		col[n++] = s;
		e = strchr(s, ',');
		if (e != NULL)
			*e = '\0';
		{
			char *t = s + strlen(s);

			while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
				*--t = '\0';
		}
		if (e == NULL)
			return n;
		s = e + 1;
	}
}

static int
find(char **col, int n, const char *cur)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcasecmp(col[i], cur) == 0)
			return i;
	return -1;
}

static int
is_eur(const char *c)
{
	return strcasecmp(c, "EUR") == 0;
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

static void
add_day(struct rates *r, int64_t day, const struct dec *rfrom,
    const struct dec *rto, const char *path, unsigned long line)
{
	struct dec f;

	if (dec_div(&f, rto, rfrom) != DEC_OK)
		errx(EX_DATAERR, "%s:%lu: rate out of range", path, line);
	r->days = kp_xrealloc(r->days, (r->n + 1) * sizeof(*r->days));
	r->days[r->n].day = day;
	r->days[r->n].factor = f;
	r->n++;
}

static int
by_day(const void *a, const void *b)
{
	const struct rate_day *x = a, *y = b;

	return x->day < y->day ? -1 : x->day > y->day;
}

static void
missing(const char *path, const char *cur, char **col, int n, int first)
{
	char have[1024] = "";
	size_t o = 0;
	int i;

	for (i = first; i < n && o < sizeof(have) - 8; i++)
		if (*col[i] != '\0')
			o += (size_t)snprintf(have + o, sizeof(have) - o,
			    "%s%s", o ? " " : "", col[i]);
	errx(EX_USAGE, "%s: no currency %s (it has EUR %s)", path, cur, have);
}

void
rates_load(struct rates *r, const char *path, const char *from,
    const char *to)
{
	char *line = NULL, *col[MAXCOLS], *hdr = NULL, *hcol[MAXCOLS];
	size_t cap = 0;
	ssize_t len;
	unsigned long ln = 0;
	int n, hn = 0, fi = -1, ti = -1, ok;
	int64_t ms;
	struct dec one, rf, rt, v;
	FILE *f;

	memset(r, 0, sizeof(*r));
	dec_from_i64(&one, 1);
	if ((f = fopen(path, "r")) == NULL)
		err(EX_NOINPUT, "--rates %s", path);
	while ((len = getline(&line, &cap, f)) > 0) {
		ln++;
		n = split(line, col, MAXCOLS);
		if (n == 1 && *col[0] == '\0')
			continue;
		if (hdr == NULL && strcasecmp(col[0], "Date") == 0) {
			/* ECB layout: the header names the columns */
			hdr = kp_xmalloc((size_t)len + 1);
			memcpy(hdr, line, (size_t)len + 1);
			hn = n;
			for (int i = 0; i < n; i++)
				hcol[i] = hdr + (col[i] - line);
			fi = is_eur(from) ? -2 : find(hcol, hn, from);
			ti = is_eur(to) ? -2 : find(hcol, hn, to);
			if (fi == -1 || fi == 0)
				missing(path, from, hcol, hn, 1);
			if (ti == -1 || ti == 0)
				missing(path, to, hcol, hn, 1);
			continue;
		}
		if (hdr != NULL) {
			if (tu_from_iso(col[0], strlen(col[0]), &ms) < 0 ||
			    strlen(col[0]) != 10)
				errx(EX_DATAERR, "%s:%lu: '%s' is not a date "
				    "(YYYY-MM-DD)", path, ln, col[0]);
			rf = one, rt = one, ok = 1;
			if (fi >= 0) {
				int c = fi < n ? cell(col[fi], &rf) : 0;

				if (c < 0)
					errx(EX_DATAERR, "%s:%lu: %s rate '%s' is "
					    "not a positive number", path, ln,
					    from, col[fi]);
				ok &= c;
			}
			if (ti >= 0) {
				int c = ti < n ? cell(col[ti], &rt) : 0;

				if (c < 0)
					errx(EX_DATAERR, "%s:%lu: %s rate '%s' is "
					    "not a positive number", path, ln,
					    to, col[ti]);
				ok &= c;
			}
			if (ok)
				add_day(r, ms / 86400000, &rf, &rt, path, ln);
			continue;
		}
		/* two columns: CUR,RATE (a first line that is not a rate is
		 * a header) */
		if (n != 2)
			errx(EX_DATAERR, "%s:%lu: expected CUR,RATE or an ECB "
			    "header starting with Date", path, ln);
		if (cell(col[1], &v) <= 0) {
			if (ln == 1)
				continue;
			errx(EX_DATAERR, "%s:%lu: rate '%s' is not a positive "
			    "number", path, ln, col[1]);
		}
		if (strcasecmp(col[0], from) == 0)
			rf = v, fi = 1;
		if (strcasecmp(col[0], to) == 0)
			rt = v, ti = 1;
	}
	if (ferror(f))
		err(EX_IOERR, "--rates %s", path);
	fclose(f);
	free(line);
	free(hdr);
	if (hn == 0) {		/* two-column file: one undated factor */
		if (is_eur(from))
			rf = one, fi = 1;
		if (is_eur(to))
			rt = one, ti = 1;
		if (fi < 0)
			errx(EX_USAGE, "%s: no rate for %s", path, from);
		if (ti < 0)
			errx(EX_USAGE, "%s: no rate for %s", path, to);
		add_day(r, INT64_MIN, &rf, &rt, path, ln);
		return;
	}
	if (r->n == 0)
		errx(EX_DATAERR, "%s: no day has rates for both %s and %s",
		    path, from, to);
	qsort(r->days, r->n, sizeof(*r->days), by_day);
}

const struct dec *
rates_asof(const struct rates *r, int64_t day)
{
	size_t lo = 0, hi = r->n, mid;

	if (r->n == 1 && r->days[0].day == INT64_MIN)
		return &r->days[0].factor;
	while (lo < hi) {	/* first day > day */
		mid = lo + (hi - lo) / 2;
		if (r->days[mid].day <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? NULL : &r->days[lo - 1].factor;
}

const struct dec *
rates_latest(const struct rates *r)
{
	return &r->days[r->n - 1].factor;
}

void
rates_free(struct rates *r)
{
	free(r->days);
	r->days = NULL;
	r->n = 0;
}
