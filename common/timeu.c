/* timeu.c - durations, epoch and ISO-8601 timestamps. */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dec.h"
#include "kp.h"
#include "timeu.h"

int
tu_duration(const char *s, int64_t *ms)
{
	int64_t total = 0, mul;
	long long v;
	size_t n;
	int any = 0;

	if (strcmp(s, "0") == 0) {
		*ms = 0;
		return 0;
	}
	while (*s != '\0') {
		n = strspn(s, "0123456789");
		if (kp_int(s, n, 0, INT64_MAX / 10, &v) < 0)
			return -1;
		s += n;
		if (strncmp(s, "ms", 2) == 0)
			mul = 1, s += 2;
		else if (*s == 's')
			mul = 1000, s++;
		else if (*s == 'm')
			mul = 60000, s++;
		else if (*s == 'h')
			mul = 3600000, s++;
		else if (*s == 'd')
			mul = 86400000, s++;
		else
			return -1;
		if (v > (INT64_MAX / 4 - total) / mul)
			return -1;
		total += v * mul;
		any = 1;
	}
	if (!any)
		return -1;
	*ms = total;
	return 0;
}

int64_t
tu_duration_opt(const char *s, const char *what, int64_t min_ms)
{
	int64_t ms;

	if (tu_duration(s, &ms) < 0)
		errx(EX_USAGE, "%s: '%s' is not a duration (write it as "
		    "250ms, 6s, 5m, 1h, 1d or 1m30s)", what, s);
	if (ms < min_ms)
		errx(EX_USAGE, "%s: '%s' is too short (at least %lldms)",
		    what, s, (long long)min_ms);
	return ms;
}

int
tu_from_arg(const char *s, int64_t *ms)
{
	size_t n = strlen(s);

	return tu_from_num(s, n, TU_MS, ms) == 0 ||
	    tu_from_iso(s, n, ms) == 0 ? 0 : -1;
}

int64_t
tu_time_opt(const char *s, const char *what, int64_t min_ms)
{
	char min[TU_FMT_MAX];
	int64_t ms;

	if (tu_from_arg(s, &ms) < 0)
		errx(EX_USAGE, "%s: '%s' is not a time (epoch milliseconds or "
		    "ISO-8601, as in 2024-04-21T00:17:42Z)", what, s);
	if (ms < min_ms)
		errx(EX_USAGE, "%s: '%s' is before %.*s", what, s,
		    (int)tu_fmt(min_ms, TF_ISO, 0, min), min);
	return ms;
}

const char *const tu_units[] = { "ms", "s", "us", "iso", NULL };
const char *const tu_formats[] = { "sql", "iso", "ms", NULL };

int
tu_from_num(const char *s, size_t n, int unit, int64_t *ms)
{
	struct dec d, k;
	long long v;

	if (n == 0)		/* also no text at all: an object, an array */
		return -1;

	/* fast path: a plain integer in milliseconds */
	if (unit == TU_MS && kp_int(s, n, -(INT64_MAX / 4), INT64_MAX / 4,
	    &v) == 0) {
		*ms = v;
		return 0;
	}
	if (dec_parse(&d, s, n) != DEC_OK)
		return -1;
	if (unit == TU_S)
		dec_from_i64(&k, 1000);
	else if (unit == TU_US) {
		k.m = 1, k.e = -3, k.neg = 0;
	} else
		dec_from_i64(&k, 1);
	if (dec_mul(&d, &d, &k) != DEC_OK)
		return -1;
	if (dec_floor_i64(&d, ms) < 0 || *ms > INT64_MAX / 4 ||
	    *ms < -(INT64_MAX / 4))
		return -1;
	return 0;
}

int64_t
tu_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
tu_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
num(const char **p, const char *e, int digits, int *out)
{
	long long v;

	if (e - *p < digits || **p == '-' ||
	    kp_int(*p, (size_t)digits, 0, INT_MAX, &v) < 0)
		return -1;
	*p += digits;
	*out = (int)v;
	return 0;
}

static int
mdays(int64_t y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dm[m - 1] + (m == 2 && leap);
}

int
tu_from_iso(const char *s, size_t n, int64_t *ms)
{
	const char *p = s, *e = s + n;
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, fd = 0;
	int oh = 0, om = 0, sign = 0, yd = 4, yneg = 0;

	/* the year: four digits, or ISO 8601's expanded form, a sign and
	 * up to eight digits, as tu_fmt() writes years before 0 and after
	 * 9999 */
	if (p < e && (*p == '+' || *p == '-')) {
		yneg = *p++ == '-';
		for (yd = 0; p + yd < e && p[yd] >= '0' && p[yd] <= '9'; yd++)
			;
		if (yd < 4 || yd > 8)
			return -1;
	}
	if (num(&p, e, yd, &y) || p >= e || *p++ != '-' ||
	    num(&p, e, 2, &mo) || p >= e || *p++ != '-' || num(&p, e, 2, &d))
		return -1;
	if (yneg)
		y = -y;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo))
		return -1;
	if (p < e && (*p == 'T' || *p == 't' || *p == ' ')) {
		p++;
		if (num(&p, e, 2, &h) || p >= e || *p++ != ':' ||
		    num(&p, e, 2, &mi))
			return -1;
		if (p < e && *p == ':') {
			p++;
			if (num(&p, e, 2, &sec))
				return -1;
			if (p < e && (*p == '.' || *p == ',')) {
				p++;
				if (p >= e || *p < '0' || *p > '9')
					return -1;
				for (; p < e && *p >= '0' && *p <= '9'; p++, fd++)
					if (fd < 3)
						frac = frac * 10 + (*p - '0');
				for (; fd < 3; fd++)
					frac *= 10;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		if (sec == 60)	/* a leap second reads as the next second */
			sec = 59, frac = 999;
		if (p < e && (*p == 'Z' || *p == 'z'))
			p++;
		else if (p < e && (*p == '+' || *p == '-')) {
			sign = *p++ == '-' ? -1 : 1;
			if (num(&p, e, 2, &oh))
				return -1;
			if (p < e && *p == ':')
				p++;
			if (p < e && num(&p, e, 2, &om))
				return -1;
			if (oh > 23 || om > 59)
				return -1;
		}
	}
	if (p != e)
		return -1;
	*ms = ((tu_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec) - sign * (oh * 3600 + om * 60)) * 1000 +
	    frac;
	if (*ms > INT64_MAX / 4 || *ms < -(INT64_MAX / 4))
		return -1;	/* the range of epoch numbers (tu_from_num) */
	return 0;
}

const char *
tu_from_value(const char *s, size_t n, int is_string, int unit, int64_t *ms)
{
	/* a string is a date and time whatever the unit, so window-agg's
	 * window_end can feed fxconvert -t without --time-unit */
	if (is_string) {
		if (unit != TU_ISO && tu_from_num(s, n, unit, ms) == 0)
			return NULL;	/* a quoted epoch number */
		return tu_from_iso(s, n, ms) == 0 ? NULL :
		    "expected an ISO-8601 time string";
	}
	if (unit == TU_ISO)
		return "expected an ISO-8601 time string, got a number";
	return tu_from_num(s, n, unit, ms) == 0 ? NULL :
	    "expected epoch time as a number in range (see --time-unit)";
}

static char *
put2(char *o, unsigned v)
{
	o[0] = (char)('0' + v / 10 % 10);
	o[1] = (char)('0' + v % 10);
	return o + 2;
}

size_t
tu_fmt(int64_t ms, int fmt, int local, char *out)
{
	int64_t secs, days, y, rem;
	unsigned mo, d, msec;
	long off = 0;
	char *o = out;
	struct tm tm;
	time_t t;

	if (fmt == TF_MS) {
		if (ms < 0) {
			*o++ = '-';
			return 1 + (size_t)snprintf(o, TU_FMT_MAX - 1, "%llu",
			    (unsigned long long)-(ms + 1) + 1);
		}
		return (size_t)snprintf(o, TU_FMT_MAX, "%lld", (long long)ms);
	}
	secs = tu_floordiv(ms, 1000);
	msec = (unsigned)(ms - secs * 1000);
	if (local) {
		t = (time_t)secs;
		if (localtime_r(&t, &tm) != NULL)
			off = tm.tm_gmtoff;
	}
	secs += off;
	days = tu_floordiv(secs, 86400);
	rem = secs - days * 86400;
	tu_civil_from_days(days, &y, &mo, &d);
	if (y < 0 || y > 9999)
		o += snprintf(o, 12, "%+06lld", (long long)y);
	else {
		o = put2(o, (unsigned)(y / 100));
		o = put2(o, (unsigned)(y % 100));
	}
	*o++ = '-';
	o = put2(o, mo);
	*o++ = '-';
	o = put2(o, d);
	*o++ = fmt == TF_ISO ? 'T' : ' ';
	o = put2(o, (unsigned)(rem / 3600));
	*o++ = ':';
	o = put2(o, (unsigned)(rem / 60 % 60));
	*o++ = ':';
	o = put2(o, (unsigned)(rem % 60));
	if (msec != 0) {
		*o++ = '.';
		*o++ = (char)('0' + msec / 100);
		o = put2(o, msec % 100);
	}
	if (fmt == TF_ISO) {
		if (!local || off == 0)
			*o++ = 'Z';
		else {
			*o++ = off < 0 ? '-' : '+';
			if (off < 0)
				off = -off;
			o = put2(o, (unsigned)(off / 3600));
			*o++ = ':';
			o = put2(o, (unsigned)(off / 60 % 60));
		}
	}
	return (size_t)(o - out);
}

int64_t
tu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
tu_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
tu_mono_ms(void)
{
	return tu_mono_ns() / 1000000;
}
