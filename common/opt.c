/* opt.c - command-line helpers: see opt.h. */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"
#include "opt.h"

/* Edit distance of a[0..n) and b (insertions, deletions, substitutions,
 * and swaps of neighbours), up to 32 letters; larger is "far". */
static int
distance(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b), i, j;
	int d[33][33], c, v;

	if (n > 32 || m > 32)
		return 99;
	for (i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			c = a[i - 1] != b[j - 1];
			v = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

int
kp_getopt(int argc, char *const argv[], const char *shortopts,
    const struct option *longopts)
{
	const struct option *o, *best = NULL;
	const char *arg;
	size_t n;
	int ch, d, bestd = 99;

	ch = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (ch != '?' || optind < 1 || optind > argc)
		return ch;
	arg = argv[optind - 1];
	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
		return ch;
	arg += 2;
	n = strcspn(arg, "=");
	for (o = longopts; o->name != NULL; o++) {
		if (strncmp(o->name, arg, n) == 0 && o->name[n] == '\0')
			return ch;	/* known: a missing or extra argument */
		d = distance(arg, n, o->name);
		if (d < bestd) {
			bestd = d;
			best = o;
		}
	}
	if (best != NULL && bestd <= (n < 6 ? 1 : 2))
		warnx("did you mean --%s?", best->name);
	return ch;
}

void
kp_usage(FILE *f, const char *synopsis, const struct kp_optdoc *docs)
{
	const struct kp_optdoc *d;

	fputs(synopsis, f);
	if (f != stdout)
		exit(EX_USAGE);
	putchar('\n');
	for (d = docs; d->opt != NULL; d++)
		printf("  %-27s %s\n", d->opt, d->text);
	printf("\nSee %s(1) for the whole story: man %s\n",
	    program_invocation_short_name, program_invocation_short_name);
	exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : EX_IOERR);
}

int
kp_choice(const char *s, const char *const *names, const char *what)
{
	struct buf list = { 0 };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	for (i = 0; names[i] != NULL; i++) {
		if (i > 0)
			buf_add(&list, names[i + 1] != NULL ? ", " : " or ",
			    names[i + 1] != NULL ? 2 : 4);
		buf_add(&list, names[i], strlen(names[i]));
	}
	errx(EX_USAGE, "%s: '%s' is not %s", what, s, buf_cstr(&list));
}
