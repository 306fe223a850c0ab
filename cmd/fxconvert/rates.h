/* rates.h - exchange rates from a file: the European Central Bank's CSV
 * (Date,USD,JPY,... one row per business day, 1 EUR = x CUR) or
 * two-column CUR,RATE lines, reduced to the factors from one currency to
 * another, looked up by date. */
#ifndef RATES_H
#define RATES_H

#include <stddef.h>
#include <stdint.h>

#include "dec.h"

#define RATES_UNDATED	INT64_MIN	/* the day of a two-column file */
#define RATES_LATEST	INT64_MAX	/* rates_asof(): the latest day */
#define RATES_MAXAGE	7	/* rates_asof(): the default horizon, days */

struct rate_day {
	int64_t		 day;	/* days since 1970-01-01, or RATES_UNDATED */
	struct dec	 rate[2];	/* that day's rates of from, to: 1 EUR = x */
	struct dec	 factor;	/* rate[1] / rate[0], once done */
	int		 done;
};

struct rates {
	struct rate_day	*days;	/* ascending: the days that quote both */
	size_t		 n;
	const char	*cur[2];	/* from, to, as given */
	int64_t		 first[2];	/* first day with a rate for each */
	int64_t		 last;		/* the file's last day */
	char		*err;		/* rates_parse(): why it failed */
	char		 why[256];	/* rates_asof(): why there is no rate */
};

/* Load path for the conversion from -> to (EUR is implicit, rate 1).
 * Only the days that quote both currencies count: a conversion never
 * mixes two days' rates (an N/A or empty cell is no rate). Exits 66
 * when the file cannot be
 * read, else as rates_parse() fails, with its message. from and to are
 * kept, not copied. */
void	rates_load(struct rates *, const char *path, const char *from,
	    const char *to);
/* The same from the file's text, len bytes at buf (read as getline(3)
 * would: a NUL ends a line's text), name standing for the path in
 * messages. 0; or 65 when it is malformed (the message names the line),
 * 64 when a currency is not in it, with the message (without the
 * program name) in r->err. Call rates_free() either way. */
int	rates_parse(struct rates *, const char *buf, size_t len,
	    const char *name, const char *from, const char *to);
/* The factor for an amount dated day (days since 1970-01-01, or
 * RATES_LATEST for the file's last day): both rates from the latest day
 * on or before it that quotes both currencies, divided once on first
 * use to DEC_DIV_DIGITS significant digits and kept. NULL when there is
 * no such day, or when it is more than max_age days before day: *why
 * then says so (r->why); or when the quotient is out of range
 * (exponents beyond DEC_EMAX): *why is then NULL. A two-column file has
 * no dates, and no age. The pointer stays valid until rates_free(). */
const struct dec *rates_asof(struct rates *, int64_t day, int64_t max_age,
	    const char **why);
void	rates_free(struct rates *);

#endif
