/* timeu.h - durations ("250ms", "6s", "5m", "1h", "1d", "1m30s") and
 * timestamps: epoch s/ms/us numbers and ISO-8601 text in, the three
 * --time-format outputs out. All times are int64 epoch milliseconds. */
#ifndef TIMEU_H
#define TIMEU_H

#include <stddef.h>
#include <stdint.h>

enum { TU_MS, TU_S, TU_US, TU_ISO };	/* --time-unit */
enum { TF_SQL, TF_ISO, TF_MS };		/* --time-format */

#define TU_FMT_MAX	40

/* 0 and *ms, or -1 when s is not a duration. Units ms s m h d; parts
 * may be combined ("1h30m"); a bare "0" is zero. */
int	tu_duration(const char *s, int64_t *ms);
/* Option form: exits 64 with "<what>: '<s>' is not a duration ..." when
 * invalid or below min_ms. */
int64_t	tu_duration_opt(const char *s, const char *what, int64_t min_ms);
/* A time given as an argument: epoch milliseconds or ISO-8601 (as
 * tu_from_iso() reads it). 0 and *ms, or -1. */
int	tu_from_arg(const char *s, int64_t *ms);
/* Option form: exits 64 with "<what>: '<s>' is not a time (epoch
 * milliseconds or ISO-8601 ...)" when invalid or below min_ms. */
int64_t	tu_time_opt(const char *s, const char *what, int64_t min_ms);
/* The names of the TU_* and TF_* values, in their order, each list
 * ending with NULL (for kp_choice()). */
extern const char *const tu_units[], *const tu_formats[];
/* A JSON number's text in unit (TU_MS, TU_S, TU_US) to epoch ms,
 * rounding toward minus infinity. 0 ok, -1 not a number or out of range. */
int	tu_from_num(const char *s, size_t n, int unit, int64_t *ms);
/* ISO-8601: YYYY-MM-DD (or an expanded year, +YYYYY or -YYYYY, as
 * tu_fmt() writes years outside 0000..9999), then optionally T or space,
 * HH:MM[:SS[.f]], then Z, +HH:MM, +HHMM or +HH (no zone: UTC). 0 ok, -1
 * invalid or beyond the range of epoch numbers. */
int	tu_from_iso(const char *s, size_t n, int64_t *ms);
/* A time field's value, written as a JSON string (is_string) or number.
 * A number is in unit; a string is ISO-8601 (or, unless unit is TU_ISO,
 * an epoch number in unit written as a string). NULL and *ms, or the
 * reason it cannot be read. */
const char *tu_from_value(const char *s, size_t n, int is_string, int unit,
	    int64_t *ms);
/* Format ms as fmt (TF_SQL "2024-04-21 00:17:42[.123]", TF_ISO
 * "2024-04-21T00:17:42[.123]Z", TF_MS digits), UTC or, with local, the
 * TZ zone (ISO then ends in +HH:MM). Writes at most TU_FMT_MAX bytes,
 * no NUL; returns the length. */
size_t	tu_fmt(int64_t ms, int fmt, int local, char *out);
/* a / b rounded toward minus infinity (b > 0). */
static inline int64_t
tu_floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -1 - (-1 - a) / b;
}
/* The UTC day (days since 1970-01-01) of epoch ms: the one conversion. */
static inline int64_t
tu_day(int64_t ms)
{
	return tu_floordiv(ms, 86400000);
}
/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t	tu_days_from_civil(int64_t y, unsigned m, unsigned d);
void	tu_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Wall clock (CLOCK_REALTIME) in ms; the monotonic clock (the one every
 * timer and deadline uses) in ns and ms. */
int64_t	tu_now_ms(void);
int64_t	tu_mono_ns(void);
int64_t	tu_mono_ms(void);

#endif
