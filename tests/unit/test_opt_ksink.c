/* test_opt_ksink - every row of ksink's option table (optcases.h),
 * through its plan(). */
#define main ksink_main
#include "../../cmd/ksink/ksink.c"
#undef main
#include "optcases.h"

static void
call(int argc, char **argv)
{
	static struct sink k;

	plan(&k, argc, argv);
}

int
main(void)
{
	static const char *const topic[] = { "--topic", "t", NULL };
	static const char *const envelope[] = { "--envelope", NULL };
	static const char *const *const bases[] = { topic, envelope, NULL };
	static const struct oc_arg args[] = {
		{ "topic", "t", "", NULL, 0 },
		{ "key-delimiter", ":", "", NULL, 0 },
		{ "header", "a=b", "ab", NULL, 0 },
		{ "property", "acks=all", "acks", NULL, 0 },
		{ "compression", "gzip", NULL, NULL, 0 },
		{ "serdes", "avro", "brotli", NULL, 0 },
		{ "value-subject", "s", "", NULL, 0 },
		{ "key-subject", "s", "", "--serdes key=avro --key k", 0 },
		{ "key-schema", "k.avsc", NULL, "--serdes key=avro --key k", 0 },
		{ "key", "k", NULL, NULL, 0 },
		{ "ts-field", "ts", NULL, NULL, 0 },
		{ "position-field", "p", "", NULL, 0 },
		{ "progress-group", "g", "", NULL, 0 },
		{ NULL }
	};
	static const struct oc_tool t = { "ksink", opts, bases, args,
	    call, usage, NULL };

	return oc_main(&t);
}
