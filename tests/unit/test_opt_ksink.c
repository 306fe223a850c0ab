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
		{ "topic", "t", "", NULL },
		{ "key-delimiter", ":", "", NULL },
		{ "header", "a=b", "ab", NULL },
		{ "property", "acks=all", "acks", NULL },
		{ "compression", "gzip", NULL, NULL },
		{ "serdes", "avro", "brotli", NULL },
		{ "value-subject", "s", "", NULL },
		{ "key-subject", "s", "", "--serdes key=avro --key k" },
		{ "key-schema", "k.avsc", NULL, "--serdes key=avro --key k" },
		{ "key", "k", NULL, NULL },
		{ "ts-field", "ts", NULL, NULL },
		{ "position-field", "p", "", NULL },
		{ "progress-group", "g", "", NULL },
		{ NULL }
	};
	static const struct oc_tool t = { "ksink", opts, bases, args, call };

	return oc_main(&t);
}
