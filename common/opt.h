/* opt.h - what every tool's command line shares: a suggestion for a
 * mistyped long option, the --help text, and options as data: a table
 * of {name, letter, argument kind, range, needs, excludes} that one
 * loop reads (kp_opt_next), checking every rule of the table with the
 * usage messages and exit 64. */
#ifndef OPT_H
#define OPT_H

#include <getopt.h>
#include <stddef.h>
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

/* ---- options as data ---------------------------------------------- */

/* An option's argument: none (a flag), text, a whole number in
 * [min, max], a duration or a time (tu_duration_opt, tu_time_opt: at
 * least min ms), one of names. */
enum { KA_NONE, KA_STR, KA_INT, KA_DUR, KA_TIME, KA_ENUM };

#define KP_OPTMAX	64	/* rows of a table, at most */

/* One row. An option is named in messages as "-l" when it has a letter,
 * else "--name"; needs and excludes name options by their long names,
 * separated by spaces. */
struct kp_opt {
	const char	*name;		/* long name, without "--" */
	int		 letter;	/* short option, or 0 */
	int		 kind;		/* KA_* */
	long long	 min, max;	/* KA_INT: the range; KA_DUR, KA_TIME:
					   min ms */
	const char *const *names;	/* KA_ENUM: the values, NULL ended */
	const char	*needs;		/* each of these must be given too */
	const char	*excludes;	/* none of these may be given too */
	const char	*why;		/* message when needs fail, else
					   "-a goes with -b" */
	const char	*xwhy;		/* message when excludes fail, else
					   "-a cannot be used with -b" */
	int		 id;		/* what kp_opt_next() returns, else
					   the letter, else 0 */
	size_t		 off, size;	/* KP_AT: where the value goes */
};

/* Where a row's value goes in the tool's struct (kp_opt_init's base):
 * a flag 1, text its pointer, a number, duration or time its value (any
 * integer type), an enum value its index (an int). */
#define KP_AT(type, field) \
	.off = offsetof(type, field) + 1, .size = sizeof(((type *)0)->field)

/* The rows every tool has: -h and -V, answered by kp_opt_next(). */
#define KP_OPT_HELP \
	{ "help", 'h', KA_NONE, 0, 0, .id = 'h' }, \
	{ "version", 'V', KA_NONE, 0, 0, .id = 'V' }

struct kp_optp {
	const struct kp_opt *tab;
	void		*base;
	void		(*usage)(FILE *);
	int		 argc;
	char		**argv;
	const char	*arg;		/* the option returned: its argument */
	long long	 num;		/* and its value, kinds but KA_STR */
	const struct kp_opt *opt;	/* and its row */
	unsigned char	 given[KP_OPTMAX];	/* times each row was given */
	struct option	 lo[KP_OPTMAX + 1];
	char		 so[3 * KP_OPTMAX + 1];
};

/* Ready to read argv with table tab (ending with a NULL name); values
 * go into base. usage is the tool's (usage(stderr) exits 64). */
void	kp_opt_init(struct kp_optp *, const struct kp_opt *tab, void *base,
	    void (*usage)(FILE *), int argc, char **argv);
/* The next option, its argument checked and stored: its id, else its
 * letter, else 0 (p->opt says which).
 * -h and -V are answered here; an unknown option or an operand is
 * usage(stderr). -1 at the end. */
int	kp_opt_next(struct kp_optp *);
/* After the loop: every given row's needs and excludes, in table order;
 * exits 64 with the row's message at the first not met. */
void	kp_opt_rules(const struct kp_optp *);
/* How many times the option of long name name was given. */
int	kp_opt_given(const struct kp_optp *, const char *name);
/* "-l" or "--name", as messages name the row (a static buffer). */
const char *kp_opt_display(const struct kp_opt *);

#endif
