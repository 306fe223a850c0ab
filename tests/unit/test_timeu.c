/* Unit tests for common/timeu.c: durations and timestamps. */
#include "check.h"
#include "timeu.h"

static const char *
fmt(int64_t ms, int f)
{
	static char s[TU_FMT_MAX + 1];

	s[tu_fmt(ms, f, 0, s)] = '\0';
	return s;
}

static int64_t
iso(const char *s)
{
	int64_t ms;

	if (tu_from_iso(s, strlen(s), &ms) < 0)
		return -999;
	return ms;
}

int
main(void)
{
	char out[TU_FMT_MAX];
	int64_t ms;
	size_t n;

	check(tu_duration("250ms", &ms) == 0 && ms == 250);
	check(tu_duration("6s", &ms) == 0 && ms == 6000);
	check(tu_duration("5m", &ms) == 0 && ms == 300000);
	check(tu_duration("1h", &ms) == 0 && ms == 3600000);
	check(tu_duration("1d", &ms) == 0 && ms == 86400000);
	check(tu_duration("1m30s", &ms) == 0 && ms == 90000);
	check(tu_duration("0", &ms) == 0 && ms == 0);
	check(tu_duration("6", &ms) < 0);
	check(tu_duration("s", &ms) < 0);
	check(tu_duration("6x", &ms) < 0);
	check(tu_duration("", &ms) < 0);
	check(tu_duration("-6s", &ms) < 0);
	check(tu_duration("99999999999999999999d", &ms) < 0);

	check_str(fmt(1713658662000, TF_SQL), "2024-04-21 00:17:42");
	check_str(fmt(1713658662125, TF_SQL), "2024-04-21 00:17:42.125");
	check_str(fmt(1713658662000, TF_ISO), "2024-04-21T00:17:42Z");
	check_str(fmt(1713658662005, TF_ISO), "2024-04-21T00:17:42.005Z");
	check_str(fmt(1713658662000, TF_MS), "1713658662000");
	check_str(fmt(0, TF_SQL), "1970-01-01 00:00:00");
	check_str(fmt(-1, TF_SQL), "1969-12-31 23:59:59.999");
	check_str(fmt(951782400000, TF_SQL), "2000-02-29 00:00:00");

	check(iso("2024-04-21T00:17:42Z") == 1713658662000);
	check(iso("2024-04-21 00:17:42") == 1713658662000);
	check(iso("2024-04-21T00:17:42.125Z") == 1713658662125);
	check(iso("2024-04-21T00:17:42.1256789Z") == 1713658662125);
	check(iso("2024-04-21T02:17:42+02:00") == 1713658662000);
	check(iso("2024-04-20T22:17:42-0200") == 1713658662000);
	check(iso("2024-04-21") == 1713657600000);
	check(iso("2024-02-30") == -999);
	check(iso("2024-04-21T25:00") == -999);
	check(iso("2024-04-21T00:17:42Zjunk") == -999);
	check(iso("20240421") == -999);
	/* expanded years, as tu_fmt() writes them (fuzz finding: window-agg's
	 * window_end for a time after 9999 did not read back) */
	check(iso("+10000-01-01T00:00:00Z") == 253402300800000);
	check(iso("-00001-12-31T23:00:00Z") == -62167222800000);
	check(iso("+2024-04-21") == 1713657600000);
	check(iso("+999-01-01") == -999);
	check(iso("+100000000-01-01") == -999);
	check(iso("+99999999-01-01") == -999);	/* beyond the epoch range */
	n = tu_fmt(888888888888888100, TF_ISO, 0, out);
	check(tu_from_iso(out, n, &ms) == 0 && ms == 888888888888888100);
	n = tu_fmt(-888888888888888100, TF_SQL, 0, out);
	check(tu_from_iso(out, n, &ms) == 0 && ms == -888888888888888100);

	check(tu_from_num("1713654885125", 13, TU_MS, &ms) == 0 &&
	    ms == 1713654885125);
	check(tu_from_num("1713654885", 10, TU_S, &ms) == 0 &&
	    ms == 1713654885000);
	check(tu_from_num("1713654885.125", 14, TU_S, &ms) == 0 &&
	    ms == 1713654885125);
	check(tu_from_num("1713654885125999", 16, TU_US, &ms) == 0 &&
	    ms == 1713654885125);
	check(tu_from_num("1.7e12", 6, TU_MS, &ms) == 0 && ms == 1700000000000);
	check(tu_from_num("-5", 2, TU_MS, &ms) == 0 && ms == -5);
	check(tu_from_num("1e300", 5, TU_MS, &ms) < 0);
	/* an object or array time field has no text (fuzz finding: NULL + 0) */
	check(tu_from_num(NULL, 0, TU_MS, &ms) < 0);
	check(tu_from_num("", 0, TU_S, &ms) < 0);
	check(tu_from_value(NULL, 0, 0, TU_MS, &ms) != NULL);
	check(strcmp(tu_units[TU_ISO], "iso") == 0 && tu_units[4] == NULL);
	check(strcmp(tu_formats[TF_MS], "ms") == 0 && tu_formats[3] == NULL);
	/* an argument's time (-o s@, --after): epoch ms or ISO-8601 */
	check(tu_from_arg("1713654885000", &ms) == 0 && ms == 1713654885000);
	check(tu_from_arg("2024-04-20T23:14:45Z", &ms) == 0 &&
	    ms == 1713654885000);
	check(tu_from_arg("2024-04-21T01:14:45+02:00", &ms) == 0 &&
	    ms == 1713654885000);
	check(tu_from_arg("2024-04-20", &ms) == 0 && ms == 1713571200000);
	check(tu_from_arg("soon", &ms) < 0);
	check(tu_from_arg("", &ms) < 0);
	check(tu_from_arg("2024-04-20T23:14:45Zx", &ms) < 0);
	return check_done("timeu");
}
