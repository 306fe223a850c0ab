/* Unit tests for common/ndjson.c: the line reader, through a pipe. */
#include <unistd.h>

#include "check.h"
#include "ndjson.h"

/* Feed s through a pipe and read it back line by line into out,
 * joined by '|'; overlong lines appear as '!'. */
static const char *
lines(const char *s, size_t n, size_t max_line, FILE *spill)
{
	static char out[4096];
	struct nd_reader r;
	const char *l;
	size_t len, o = 0;
	int fd[2], rc;

	if (pipe(fd) < 0 || write(fd[1], s, n) != (ssize_t)n)
		exit(2);
	close(fd[1]);
	nd_init(&r, fd[0], "<stdin>", max_line);
	r.spill = spill;
	while ((rc = nd_next(&r, &l, &len, -1)) != ND_EOF) {
		if (o > 0)
			out[o++] = '|';
		if (rc == ND_TOOLONG)
			out[o++] = '!';
		else if (rc == ND_LINE) {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%llu:%.*s",
			    r.lineno, (int)len, l);
		} else
			break;
	}
	out[o] = '\0';
	close(fd[0]);
	nd_free(&r);
	return out;
}

#define L(s, max) lines((s), sizeof(s) - 1, (max), NULL)

/* A reader blocked on an input with nothing to say, watching an output
 * pipe: ND_GONE once the output's reader closes, a timeout before. */
static void
watch(void)
{
	struct nd_reader r;
	const char *l;
	size_t len;
	int in[2], out[2];

	if (pipe(in) < 0 || pipe(out) < 0)
		exit(2);
	nd_init(&r, in[0], "<stdin>", 0);
	r.watch = out[1];
	check(nd_next(&r, &l, &len, 10) == ND_TIMEOUT);
	close(out[0]);
	check(nd_next(&r, &l, &len, -1) == ND_GONE);
	check(nd_next(&r, &l, &len, 10) == ND_GONE);
	r.watch = -1;
	check(nd_next(&r, &l, &len, 10) == ND_TIMEOUT);
	if (write(in[1], "x\n", 2) != 2)
		exit(2);
	r.watch = out[1];
	check(nd_next(&r, &l, &len, -1) == ND_LINE && len == 1);
	close(in[0]);
	close(in[1]);
	close(out[1]);
	nd_free(&r);
}

int
main(void)
{
	char big[3000];
	FILE *spill;
	char *sp = NULL;
	size_t splen = 0;

	check_str(L("a\nb\n", 0), "1:a|2:b");
	check_str(L("a\r\nb", 0), "1:a|2:b");
	check_str(L("\n  \n\t\na\n\n", 0), "4:a");
	check_str(L("", 0), "");
	check_str(L("x\ny\n\n", 0), "1:x|2:y");
	check_str(L("abcdef\nab\nabcd", 4), "!|2:ab|3:abcd");
	check_str(L("abcdefgh", 4), "!");
	memset(big, 'x', sizeof(big));
	big[2000] = '\n';
	big[2999] = '\n';
	spill = open_memstream(&sp, &splen);
	{
		char want[1100];

		memcpy(want, "!|2:", 4);
		memset(want + 4, 'x', 998);
		want[1002] = '\0';
		check_str(lines(big, sizeof(big), 1500, spill), want);
	}
	fclose(spill);
	check(splen == 2001);	/* the overlong line, verbatim */
	free(sp);
	watch();
	return check_done("ndjson");
}
