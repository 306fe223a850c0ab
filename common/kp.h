/* kp.h - what every kappa-pipes tool shares: exit codes, the stop flag,
 * bounded number parsing, growable buffers. */
#ifndef KP_H
#define KP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sysexits.h>	/* EX_USAGE 64, EX_DATAERR 65, EX_UNAVAILABLE 69,
			   EX_OSERR 71 (out of memory), EX_IOERR 74,
			   EX_TEMPFAIL 75 */

/* Set by SIGINT/SIGTERM once kp_signals() ran; the only mutable global. */
extern volatile sig_atomic_t kp_stop;

/* Install SIGINT/SIGTERM handlers (no SA_RESTART, so a blocked read
 * returns) and ignore SIGPIPE, so a closed pipe is an EPIPE we can
 * turn into a quiet exit. */
void kp_signals(void);

/* Print "<prog> <release> (<commit>)" on stdout and exit 0 (the
 * Makefile's VERSION). */
void kp_version(void);
/* The same release text, "<release> (<commit>)", for a user agent. */
const char *kp_release(void);

/* The one integer parser: s[0..n) as a whole decimal number in
 * [min, max]: digits, perhaps after a '-', and nothing else. 0 and *v;
 * -1 when it is not such a number, -2 when it is one out of range. */
int	kp_int(const char *s, size_t n, long long min, long long max,
	    long long *v);
/* strtonum(3)-style, for options: kp_int() of the string s. On error
 * exits 64 with "<prog>: <what>: '<s>' is <reason> (allowed MIN..MAX)". */
long long kp_num(const char *s, long long min, long long max,
    const char *what);

/* Growable byte buffer. Contents are not NUL-terminated unless
 * buf_cstr() is called. Allocation failure exits. */
struct buf {
	char	*p;
	size_t	 len, cap;
};
void	buf_grow(struct buf *, size_t extra);
void	buf_free(struct buf *);
const char *buf_cstr(struct buf *);

static inline void
buf_add(struct buf *b, const void *s, size_t n)
{
	if (n == 0)
		return;
	if (b->cap - b->len < n)
		buf_grow(b, n);
	__builtin_memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->cap == b->len)
		buf_grow(b, 1);
	b->p[b->len++] = c;
}

/* s must be a string literal ("" s "" refuses anything else: the size of
 * a pointer is not the length of a string) */
#define buf_adds(b, s) buf_add((b), "" s "", sizeof(s) - 1)

/* malloc/realloc that exit with EX_OSERR (71) and a message on failure;
 * every allocation failure in the tools ends so. */
void	*kp_xmalloc(size_t);
void	*kp_xrealloc(void *, size_t);
char	*kp_xstrdup(const char *);

#endif
