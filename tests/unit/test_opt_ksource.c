/* test_opt_ksource - every row of ksource's option table (optcases.h),
 * through its plan(). */
#define main ksource_main
#include "../../cmd/ksource/ksource.c"
#undef main
#include "optcases.h"

static void
call(int argc, char **argv)
{
	static struct plan pl;
	static struct policy pol;

	plan(&pl, &pol, argc, argv);
}

int
main(void)
{
	static const char *const topic[] = { "--topic", "t", NULL };
	static const char *const query[] = { "--topic", "a:0:5", NULL };
	static const char *const none[] = { NULL };
	static const char *const *const bases[] = { topic, query, none,
	    NULL };
	static const struct oc_arg args[] = {
		{ "topic", "t", "", NULL, 0 },
		{ "group", "g", "", NULL, 0 },
		{ "from-group", "g", "", NULL, 0 },
		{ "offset", "beginning", "middle", NULL, 0 },
		{ "format", "%s\\n", "%x", NULL, 0 },
		{ "serdes", "avro", "brotli", NULL, 0 },
		{ "avro-unions", "wrapped", "nosuch", "--serdes avro", 0 },
		{ "avro-time", "iso8601", "nosuch", "--serdes avro", 0 },
		{ "property", "acks=all", "acks", NULL, 0 },
		{ "idle", NULL, NULL, "--ordered", 0 },
		{ "query", NULL, NULL, NULL, 2 },
		{ "print-offset", NULL, NULL, "--key-delimiter :", 0 },
		{ NULL }
	};
	static const char *const refused[] = {
		"query group",		/* -Q -G: -L -G shows a group's */
		NULL
	};
	static const struct oc_tool t = { "ksource", opts, bases, args,
	    call, usage, refused };

	return oc_main(&t);
}
