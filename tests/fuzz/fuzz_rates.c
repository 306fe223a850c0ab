/* libFuzzer harness: fxconvert's rates file parser (ECB CSV and CUR,RATE)
 * and the as-of lookup. The first byte picks the currencies, the rest is
 * the file. Properties: no crash, no exit, no leak; a failure is 64 or 65
 * with a message; a table that loads has days in strictly ascending
 * order, each rate positive, and the lookup finds the latest day on or
 * before any date (the same entry for every day up to the next), or
 * says why not.
 * fuzz-sources: cmd/fxconvert/rates.c
 */
#include <stdlib.h>
#include <string.h>

#include "../../cmd/fxconvert/rates.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static const char *curs[] = { "EUR", "USD", "JPY", "GBP", "usd", "Date",
    "N/A", "" };

static void
lookup(struct rates *r, int64_t day, size_t want)
{
	const struct dec *k;
	const char *why = "x";

	k = rates_asof(r, day, INT64_MAX, &why);
	if (want == (size_t)-1) {	/* before the first day */
		if (k != NULL || why != r->why || r->why[0] == '\0')
			abort();
		return;
	}
	if (k == NULL) {
		if (why != NULL)	/* NULL: quotient out of range */
			abort();
		return;
	}
	if (k != &r->days[want].factor || !r->days[want].done ||
	    k->neg || dec_iszero(k))
		abort();
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct rates r;
	const char *from, *to;
	size_t i;
	int rc;

	if (size < 1)
		return 0;
	from = curs[data[0] & 7];
	to = curs[(data[0] >> 3) & 7];
	rc = rates_parse(&r, (const char *)data + 1, size - 1, "<fuzz>", from,
	    to);
	if (rc != 0) {
		if ((rc != 64 && rc != 65) || r.err == NULL || r.n != 0)
			abort();
		rates_free(&r);
		return 0;
	}
	if (r.err != NULL || r.n == 0 || r.days == NULL)
		abort();
	if (r.days[0].day == RATES_UNDATED) {
		if (r.n != 1)
			abort();
		lookup(&r, RATES_LATEST, 0);
		lookup(&r, 0, 0);
		rates_free(&r);
		return 0;
	}
	for (i = 0; i < r.n; i++) {
		if (r.days[i].rate[0].neg || dec_iszero(&r.days[i].rate[0]) ||
		    r.days[i].rate[1].neg || dec_iszero(&r.days[i].rate[1]))
			abort();
		if (i > 0 && r.days[i].day <= r.days[i - 1].day)
			abort();
	}
	if (r.first[0] > r.days[0].day || r.first[1] > r.days[0].day ||
	    r.last < r.days[r.n - 1].day)
		abort();
	lookup(&r, r.days[0].day - 1, (size_t)-1);
	lookup(&r, INT64_MIN + 1, (size_t)-1);
	for (i = 0; i < r.n && i < 64; i++) {
		lookup(&r, r.days[i].day, i);
		if (i + 1 < r.n)
			lookup(&r, r.days[i + 1].day - 1, i);
	}
	lookup(&r, RATES_LATEST, r.n - 1);
	rates_free(&r);
	return 0;
}
