/* test_opt_fxconvert - every row of fxconvert's option table
 * (optcases.h), through its plan(). */
#define main fxconvert_main
#include "../../cmd/fxconvert/fxconvert.c"
#undef main
#include "optcases.h"

static void
call(int argc, char **argv)
{
	static struct fx x;

	plan(&x, argc, argv);
}

int
main(void)
{
	static const char *const rate[] = { "--field", "a", "--rate", "2",
	    NULL };
	static const char *const rates[] = { "--field", "a", "--rates",
	    "@/tests/data/ecb-newest-first.csv", NULL };
	static const char *const field[] = { "--field", "a", NULL };
	static const char *const nofield[] = { "--rate", "2", NULL };
	static const char *const *const bases[] = { rate, rates, field,
	    nofield, NULL };
	static const struct oc_arg args[] = {
		{ "rates", "@/tests/data/ecb-newest-first.csv", NULL, NULL, 0 },
		{ "from", "USD", NULL, NULL, 0 },
		{ "to", "EUR", NULL, NULL, 0 },
		{ "field", "a", "a:", NULL, 0 },
		{ "rate", "2", "0", NULL, 0 },
		{ NULL }
	};
	static const struct oc_tool t = { "fxconvert", opts, bases, args,
	    call, usage, NULL };

	return oc_main(&t);
}
