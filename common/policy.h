/* policy.h - what happens to a bad input line: --on-error=skip|abort
 * and --dead-letter FILE. Messages read "<prog>: <stdin>:LINE: reason". */
#ifndef POLICY_H
#define POLICY_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

struct nd_reader;

/* getopt_long entries every filter shares; the tools put POL_LONGOPTS in
 * their option table and hand unknown option codes to pol_option(). */
enum { POL_ONERR = 200, POL_DL, POL_MAXLINE };
#define POL_LONGOPTS \
	{ "on-error", required_argument, NULL, POL_ONERR }, \
	{ "dead-letter", required_argument, NULL, POL_DL }, \
	{ "max-line", required_argument, NULL, POL_MAXLINE }

/* The same as rows of an option table (opt.h), the first two or all
 * three: the tools hand their ids to pol_option(). */
#define POL_OPTS_ERR \
	{ "on-error", 0, KA_ENUM, 0, 0, pol_modes, .id = POL_ONERR }, \
	{ "dead-letter", 0, KA_STR, 0, 0, .id = POL_DL }
#define POL_OPTS \
	POL_OPTS_ERR, \
	{ "max-line", 0, KA_INT, 1, 1LL << 40, .id = POL_MAXLINE }
extern const char *const pol_modes[];	/* skip, abort */

#define POL_SHOW	5	/* times one message is shown */
#define POL_KINDS	8	/* messages summarized; others are all shown */

struct policy {
	int		 abort;		/* --on-error=abort */
	FILE		*dl;		/* --dead-letter, opened for append */
	const char	*dlpath;
	int		 dlerr;		/* writing it failed (said once) */
	const char	*src;		/* "<stdin>" */
	const char	*what;		/* "records" in the summary */
	size_t		 max_line;	/* --max-line; 0: the default */
	unsigned long long rejected;
	unsigned long long taken;	/* good records, counted by pol_take() */
	struct pol_kind {	/* one message repeated, for the summary */
		uint64_t	 hash;	/* of its text */
		unsigned long long n, shown;	/* shown: last line shown */
	} kind[POL_KINDS];
	int		 nkind;
};

void	pol_init(struct policy *, const char *src, int abort_default);
/* --on-error=VALUE; exits 64 unless skip or abort. */
void	pol_set_mode(struct policy *, const char *value);
/* --dead-letter PATH: opened now, for append; exits 74 on failure. */
void	pol_set_deadletter(struct policy *, const char *path);
/* The options every tool shares, for the default: of its getopt switch:
 * -h (usage(stdout)), -V, and, when the policy is not NULL, --on-error,
 * --dead-letter and --max-line (exits 64 or 74 on a bad value). Anything
 * else is a usage error: usage(stderr). */
void	pol_option(struct policy *, int ch, const char *arg,
	    void (*usage)(FILE *));
/* What a filter does with a reader status other than ND_LINE: reports
 * an overlong line (returns 0 to go on, EX_DATAERR under abort), a read
 * error (EX_IOERR), EOF and ND_GONE (-1) and a timeout (0). */
int	pol_input(struct policy *, struct nd_reader *, int rc);
/* The one reject path: report "<prog>: WHERE: reason" (WHERE is
 * "<stdin>:LINE" for pol_reject(), a Kafka message's topic/partition@
 * offset for ksource), count the record, and copy it (when line is not
 * NULL) verbatim with a newline to the dead-letter file. Returns 0 to go
 * on, or -1 under --on-error=abort: the same reason (the same text) is
 * printed POL_SHOW times, pol_finish() counts the rest; the caller
 * flushes what it has and
 * exits 65. */
int	pol_reject(struct policy *, unsigned long long lineno,
	    const char *line, size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
int	pol_rejectat(struct policy *, const char *where, const char *line,
	    size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* Either: where NULL for "<stdin>:LINE". */
int	pol_vreject(struct policy *, unsigned long long lineno,
	    const char *where, const char *line, size_t len, const char *fmt,
	    va_list) __attribute__((format(printf, 6, 0)));
/* Append line and a newline to f (the dead-letter file, window-agg's
 * --late file) when f is not NULL: the one copy of a record set aside. */
void	pol_copy(FILE *f, const char *line, size_t len);
/* Write out what the dead-letter file buffers: 0, or -1 (said once on
 * stderr, and from then on) when it could not be written. */
int	pol_flush(struct policy *);
/* Count one record the tool took (not rejected): pol_finish() needs it
 * to tell a run that did its job from one that rejected everything. */
static inline void
pol_take(struct policy *p)
{
	p->taken++;
}
/* At exit: a line for each reason not all shown, the summary line when
 * anything was rejected, and the dead-letter file closed. Returns the
 * tool's exit status: status; else EX_DATAERR (65) when records were
 * rejected and none was taken (a run that did nothing is not a success,
 * even under --on-error=skip); else EX_IOERR (74) when the dead-letter
 * file could not be written. */
int	pol_finish(struct policy *, int status);

#endif
