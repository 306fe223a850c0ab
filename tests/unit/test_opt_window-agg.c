/* test_opt_window-agg - every row of window-agg's option table
 * (optcases.h), through its plan(). */
#define main window_agg_main
#include "../../cmd/window-agg/window-agg.c"
#undef main
#include "optcases.h"

static void
call(int argc, char **argv)
{
	static struct wa w;

	plan(&w, argc, argv);
}

int
main(void)
{
	static const char *const tumble[] = { "--tumble", "1s", NULL };
	static const char *const none[] = { NULL };
	static const char *const *const bases[] = { tumble, none, NULL };
	static const struct oc_arg args[] = {
		{ "hop", "2s", NULL, NULL, 0 },
		{ "cumulate", "2s", NULL, NULL, 0 },
		{ "key", "k", NULL, NULL, 0 },
		{ "agg", "count=count()", "sum", NULL, 0 },
		{ "row-kind", "kind", NULL, NULL, 0 },
		{ "early-field", "early", NULL, NULL, 0 },
		{ "where", "v > 1", "v >", NULL, 0 },
		{ "having", "count > 1", "n = 1 x", NULL, 0 },
		{ "window-fields", "start", "middle", NULL, 0 },
		{ "by", "count", "nosuch", NULL, 0 },
		{ "position-field", "p", "", NULL, 0 },
		{ "late", "late.nd", NULL, NULL, 0 },
		{ "dead-letter", "dl.nd", NULL, NULL, 0 },
		{ NULL }
	};
	static const struct oc_tool t = { "window-agg", opts, bases, args,
	    call, usage, NULL };

	return oc_main(&t);
}
