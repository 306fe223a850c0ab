/* Unit tests for common/kp.c, the one integer parser, and kp_choice(). */
#include <limits.h>

#include "check.h"
#include "kp.h"
#include "opt.h"
#include "timeu.h"

static int
num(const char *s, long long min, long long max, long long *v)
{
	return kp_int(s, strlen(s), min, max, v);
}

int
main(void)
{
	long long v = 7;

	check(num("0", 0, 10, &v) == 0 && v == 0);
	check(num("-0", -1, 10, &v) == 0 && v == 0);
	check(num("10", 0, 10, &v) == 0 && v == 10);
	check(num("11", 0, 10, &v) == -2);
	check(num("-1", 0, 10, &v) == -2);
	check(num("9223372036854775807", LLONG_MIN, LLONG_MAX, &v) == 0 &&
	    v == LLONG_MAX);
	check(num("-9223372036854775808", LLONG_MIN, LLONG_MAX, &v) == 0 &&
	    v == LLONG_MIN);
	check(num("9223372036854775808", LLONG_MIN, LLONG_MAX, &v) == -2);
	check(num("-9223372036854775809", LLONG_MIN, LLONG_MAX, &v) == -2);
	check(num("9999999999999999999", LLONG_MIN, LLONG_MAX, &v) == -2);
	check(num("999999999999999999", 0, LLONG_MAX, &v) == 0 &&
	    v == 999999999999999999LL);
	check(num("99999999999999999999999x", 0, 10, &v) == -1);
	check(num("", 0, 10, &v) == -1);
	check(num("-", -10, 10, &v) == -1);
	check(num("+1", 0, 10, &v) == -1);
	check(num(" 1", 0, 10, &v) == -1);
	check(num("1 ", 0, 10, &v) == -1);
	check(num("1.0", 0, 10, &v) == -1);
	check(num("1e3", 0, 10000, &v) == -1);
	check(kp_int("123", 2, 0, 100, &v) == 0 && v == 12);	/* n bytes */
	check(kp_choice("iso", tu_units, "--time-unit") == TU_ISO);
	check(kp_choice("sql", tu_formats, "--time-format") == TF_SQL);
	check(kp_choice("ms", tu_formats, "--time-format") == TF_MS);
	return check_done("kp");
}
