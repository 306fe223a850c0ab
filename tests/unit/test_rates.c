/* Unit tests for cmd/fxconvert/rates.c: rates_parse() on texts, its
 * messages and exit codes, and the as-of lookup. Inputs that the fuzzer
 * (tests/fuzz/fuzz_rates.c) found are kept here. */
#include "check.h"
#include "../../cmd/fxconvert/rates.h"

static struct rates r;

/* Parse s (its strlen, or n bytes when n > 0) for from -> to: the code. */
static int
parse(const char *s, size_t n, const char *from, const char *to)
{
	rates_free(&r);
	return rates_parse(&r, s, n ? n : strlen(s), "f.csv", from, to);
}

static const char *
err(void)
{
	return r.err ? r.err : "(none)";
}

/* The factor for day as text, "NULL cur" when there is none. */
static const char *
asof(int64_t day)
{
	static char s[300];
	const struct dec *k;
	const char *why;

	if ((k = rates_asof(&r, day, RATES_MAXAGE, &why)) == NULL)
		snprintf(s, sizeof(s), "NULL %s", why ? why : "(range)");
	else
		s[dec_fmt(k, s)] = '\0';
	return s;
}

int
main(void)
{
	/* 2024-04-17 is day 19830 */
	check(parse("Date,USD,JPY,\n2024-04-18,2,N/A,\n17 April 2024,4,8,\n",
	    0, "USD", "JPY") == 0);
	/* both rates come from one day: the 18th has no JPY, so the 17th
	 * serves (it served with the 18th's USD: 8 / 2, a rate of no day) */
	check(r.n == 1 && r.days[0].day == 19830 && r.last == 19831);
	check_str(asof(19830), "2");
	check_str(asof(19831), "2");
	check_str(asof(RATES_LATEST), "2");
	check_str(asof(19829), "NULL no rate for USD on or before 2024-04-16");
	/* up to RATES_MAXAGE days old, not more, also for the latest day */
	check_str(asof(19830 + RATES_MAXAGE), "2");
	check_str(asof(19831 + RATES_MAXAGE), "NULL the last day with rates "
	    "for both USD and JPY, 2024-04-17, is 8 days before 2024-04-25 "
	    "(--max-age: 7)");
	check(parse("Date,USD,JPY\n2024-04-10,1,N/A\n2024-04-11,N/A,1\n"
	    "2024-04-12,2,4\n2024-04-30,2,N/A\n", 0, "USD", "JPY") == 0);
	check_str(asof(19824), "NULL no day on or before 2024-04-11 has rates "
	    "for both USD and JPY");
	check_str(asof(19825), "2");
	check_str(asof(RATES_LATEST), "NULL the last day with rates for both "
	    "USD and JPY, 2024-04-12, is 18 days before 2024-04-30 (--max-age: "
	    "7)");
	check(parse("Date,USD,JPY\n2024-04-10,1,N/A\n2024-04-11,N/A,1\n", 0,
	    "USD", "JPY") == 65);
	check_str(err(), "--rates f.csv: no day has rates for both USD and JPY");
	check(parse("USD,2\nJPY,5\n", 0, "JPY", "EUR") == 0);
	check_str(asof(0), "0.2");
	check_str(asof(RATES_LATEST), "0.2");

	/* messages and codes, as rates_load() exits with them */
	check(parse("", 0, "USD", "EUR") == 65);
	check_str(err(), "--rates f.csv: the file is empty");
	check(parse("\r\n\n", 0, "USD", "EUR") == 65);
	check_str(err(), "--rates f.csv: the file is empty");
	check(parse("Date,USD\nyesterday,1\n", 0, "USD", "EUR") == 65);
	check_str(err(), "f.csv:2: 'yesterday' is not a date (2024-04-19 or "
	    "19 April 2024)");
	check(parse("Date,USD\n2024-01-01,-1\n", 0, "USD", "EUR") == 65);
	check_str(err(), "f.csv:2: USD rate '-1' is not a positive number");
	check(parse("Date,USD,JPY\n", 0, "USD", "CHF") == 64);
	check_str(err(), "--rates f.csv: no currency CHF (it has EUR USD JPY)");
	check(parse("USD,1\nUSD,2\n", 0, "USD", "EUR") == 65);
	check_str(err(), "f.csv:2: USD again (first on line 1)");
	check(parse("USD,N/A\n", 0, "USD", "EUR") == 65);
	check_str(err(), "f.csv:1: no rate for USD");
	check(parse("USD,1,2\n", 0, "USD", "EUR") == 65);
	check_str(err(), "f.csv:1: expected CUR,RATE or an ECB header "
	    "starting with Date");
	check(parse("Date,USD\n2024-01-01,1\n01 Jan 2024,2\n", 0, "USD",
	    "EUR") == 65);
	check_str(err(), "f.csv:3: the same date as line 2");

	/* a day-month-name date of 10 characters is not taken for ISO */
	check(parse("Date,USD\n1 May 2024,2\n2 May 2024,4\n", 0, "EUR",
	    "USD") == 0);
	check(r.n == 2 && r.days[0].day == 19844);
	check_str(asof(19845), "4");
	check(parse("Date,USD,JPY\n2024-01-01,1,N/A\n", 0, "USD", "JPY") ==
	    65);
	check_str(err(), "--rates f.csv: no day has a rate for JPY");
	check(r.n == 0 && r.days == NULL);

	/* fuzz: an ECB header and no row gave qsort() a NULL array */
	check(parse("Date, USD, JP\021Date,USYD,JPY,GBP,", 0, "EUR",
	    "GBP") == 65);
	check_str(err(), "--rates f.csv: no rows after the header");

	/* a NUL ends a line's text, as with getline() */
	check(parse("USD,2\0junk\nJPY,4\n", 16, "USD", "JPY") == 0);
	check_str(asof(0), "2");

	/* a quotient beyond the exponent range: NULL, no exit */
	check(parse("Date,USD,JPY\n2024-01-01,1e-99999999,1e99999999\n", 0,
	    "USD", "JPY") == 0);
	check_str(asof(RATES_LATEST), "NULL (range)");
	rates_free(&r);
	check(r.err == NULL && r.days == NULL);
	return check_done("test_rates");
}
