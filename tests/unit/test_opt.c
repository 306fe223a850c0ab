/* test_opt - the option table loop (opt.h): each argument kind stored
 * into integers of each size, -h, an operand, and the generic messages
 * of needs and excludes, each run in a child (they exit). */
#include <fcntl.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "kp.h"
#include "opt.h"
#include "timeu.h"

struct t {
	int		 flag;
	const char	*text;
	int16_t		 i16;
	int32_t		 i32;
	size_t		 size;
	int64_t		 ms, at;
	int		 unit;
};

static const struct kp_opt tab[] = {
	{ "flag", 'f', KA_NONE, 0, 0, KP_AT(struct t, flag) },
	{ "text", 0, KA_STR, 0, 0, .needs = "flag", KP_AT(struct t, text) },
	{ "small", 0, KA_INT, -5, 300, KP_AT(struct t, i16) },
	{ "int", 'i', KA_INT, 0, INT32_MAX, .excludes = "small",
	    KP_AT(struct t, i32) },
	{ "size", 0, KA_INT, 1, INT64_MAX, .needs = "flag int",
	    .why = "--size: give -f and -i", KP_AT(struct t, size) },
	{ "wait", 0, KA_DUR, 1, 0, KP_AT(struct t, ms) },
	{ "at", 0, KA_TIME, 0, 0, KP_AT(struct t, at) },
	{ "unit", 0, KA_ENUM, 0, 0, tu_units, KP_AT(struct t, unit) },
	{ "other", 'o', KA_STR, 0, 0, .id = 300 },
	KP_OPT_HELP,
	{ NULL }
};

static void
usage(FILE *f)
{
	fputs("usage: test_opt [-f] ...\n", f);
	exit(f == stdout ? 0 : EX_USAGE);
}

/* Parse the words (NULL ended) into *v: the ids returned, summed. */
static int
parse(struct t *v, char **words)
{
	struct kp_optp p;
	int argc = 0, ch, sum = 0;

	while (words[argc] != NULL)
		argc++;
	optind = 0;	/* GNU getopt: start afresh */
	kp_opt_init(&p, tab, v, usage, argc, words);
	while ((ch = kp_opt_next(&p)) != -1)
		sum += ch;
	kp_opt_rules(&p);
	return sum;
}

/* Run parse() in a child: its exit status, and its stderr in err. */
static int
child(char **words, char *err, size_t n)
{
	char path[] = "/tmp/test_opt.XXXXXX";
	struct t v;
	ssize_t got;
	pid_t pid;
	int fd, st;

	if ((fd = mkstemp(path)) < 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		dup2(fd, 2);
		dup2(open("/dev/null", O_WRONLY), 1);
		memset(&v, 0, sizeof(v));
		parse(&v, words);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	got = pread(fd, err, n - 1, 0);
	err[got > 0 ? got : 0] = '\0';
	close(fd);
	unlink(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define REFUSED(want, ...) do {						\
	char *w_[] = { "test_opt", __VA_ARGS__, NULL }, e_[1024];	\
	check(child(w_, e_, sizeof(e_)) == EX_USAGE);			\
	check(strstr(e_, (want)) != NULL);				\
	if (strstr(e_, (want)) == NULL)					\
		fprintf(stderr, "  stderr: %s\n", e_);			\
} while (0)

int
main(void)
{
	char *good[] = { "test_opt", "-f", "--text", "hi", "-i", "3",
	    "--size", "4000000000", "--wait", "1m30s", "--at",
	    "2024-04-21T00:17:42Z", "--unit", "iso", "-o", "x", NULL };
	char *small[] = { "test_opt", "--small=-5", NULL };
	char *help[] = { "test_opt", "-h", NULL }, e[1024];
	struct t v = { 0 };

	check(parse(&v, good) == 'f' + 'i' + 300);
	check(v.flag == 1);
	check_str(v.text, "hi");
	check(v.i32 == 3);
	check(v.size == 4000000000u);
	check(v.ms == 90000);
	check(v.at == 1713658662000);
	check(v.unit == TU_ISO);
	memset(&v, 0, sizeof(v));
	check(parse(&v, small) == 0);
	check(v.i16 == -5 && v.i32 == 0);
	check(child(help, e, sizeof(e)) == 0);
	REFUSED("--text goes with -f", "--text", "a");
	REFUSED("--size: give -f and -i", "-f", "--size", "2");
	REFUSED("-i cannot be used with --small", "--small", "1", "-i", "1");
	REFUSED("--small: '301' is out of range (allowed -5..300)",
	    "--small", "301");
	REFUSED("-i: 'x' is not a whole number", "-i", "x");
	REFUSED("--wait: '0' is", "--wait", "0");
	REFUSED("--at: 'soon' is not a time", "--at", "soon");
	REFUSED("--unit: 'h' is not ms, s, us or iso", "--unit", "h");
	REFUSED("usage: test_opt", "-f", "operand");
	REFUSED("usage: test_opt", "--nosuch");
	REFUSED("did you mean --flag?", "--flga");
	REFUSED("usage: test_opt", "--text");
	return check_done("opt");
}
