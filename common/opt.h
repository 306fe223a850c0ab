/* opt.h - what every tool's command line shares: a suggestion for a
 * mistyped long option, and the --help text. */
#ifndef OPT_H
#define OPT_H

#include <getopt.h>
#include <stdio.h>

/* getopt_long(3); when it refuses a long option, also say on stderr
 * "<prog>: did you mean --NAME?" for the nearest long option, if one is
 * near (a letter or two off, or two swapped). */
int	kp_getopt(int argc, char *const argv[], const char *shortopts,
	    const struct option *longopts);

/* An option's value that is one of names (a list ending with NULL): its
 * index. Else exits 64 with "<prog>: <what>: '<s>' is not A, B or C". */
int	kp_choice(const char *s, const char *const *names, const char *what);

/* One line of --help: the option as written ("-t, --topic topic") and
 * what it does. */
struct kp_optdoc {
	const char	*opt;
	const char	*text;
};

/* The usage: synopsis (the man page's SYNOPSIS) on f; on stdout (-h,
 * --help) also one line for each of docs (ending with a NULL opt) and
 * the man page to read, then exit 0. On stderr exit 64. */
void	kp_usage(FILE *f, const char *synopsis, const struct kp_optdoc *docs)
	    __attribute__((noreturn));

#endif
