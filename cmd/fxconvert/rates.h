/* rates.h - exchange rates from a file: the European Central Bank's CSV
 * (Date,USD,JPY,... one row per business day, 1 EUR = x CUR) or
 * two-column CUR,RATE lines. */
#ifndef RATES_H
#define RATES_H

#include <stddef.h>
#include <stdint.h>

#include "dec.h"

struct rate_day {
	int64_t		day;	/* days since 1970-01-01; INT64_MIN: undated */
	struct dec	factor;	/* to = amount * factor */
};

struct rates {
	struct rate_day	*days;	/* ascending by day */
	size_t		 n;
};

/* Load path and keep, for each day that has both currencies, the factor
 * from `from` to `to` (cross rates through EUR, divided to
 * DEC_DIV_DIGITS significant digits). Exits 66 when the file cannot be
 * read, 65 when it is malformed (with its line number), 64 when a
 * currency is not in it. */
void	rates_load(struct rates *, const char *path, const char *from,
	    const char *to);
/* The factor of the latest day on or before day, or NULL. */
const struct dec *rates_asof(const struct rates *, int64_t day);
/* The factor of the latest day. */
const struct dec *rates_latest(const struct rates *);
void	rates_free(struct rates *);

#endif
