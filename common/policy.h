/* policy.h - what happens to a bad input line: --on-error=skip|abort
 * and --dead-letter FILE. Messages read "<prog>: <stdin>:LINE: reason". */
#ifndef POLICY_H
#define POLICY_H

#include <stdio.h>

struct policy {
	int		 abort;		/* --on-error=abort */
	FILE		*dl;		/* --dead-letter, opened for append */
	const char	*dlpath;
	const char	*src;		/* "<stdin>" */
	const char	*what;		/* "records" in the summary */
	unsigned long long rejected;
};

void	pol_init(struct policy *, const char *src, int abort_default);
/* --on-error=VALUE; exits 64 unless skip or abort. */
void	pol_set_mode(struct policy *, const char *value);
/* --dead-letter PATH: opened now, for append; exits 74 on failure. */
void	pol_set_deadletter(struct policy *, const char *path);
/* Report a rejected line, copy it (when line != NULL) verbatim with a
 * newline to the dead-letter file. Returns 0 to go on, or -1 under
 * --on-error=abort: the caller flushes what it has and exits 65. */
int	pol_reject(struct policy *, unsigned long long lineno,
	    const char *line, size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* At exit: the summary line when anything was rejected, and the
 * dead-letter file closed. 0, or -1 when it could not be written. */
int	pol_finish(struct policy *);

#endif
