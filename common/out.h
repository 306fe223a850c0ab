/* out.h - the fully buffered record writer for stdout.
 * Records are appended with out_write(); the buffer goes out with one
 * write(2) when full and whenever out_flush() is called (the tools call
 * it before they block on input or a timer). */
#ifndef OUT_H
#define OUT_H

#include <stddef.h>
#include <string.h>

struct out {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
	unsigned long long records;	/* out_endrec() count */
};

void	out_init(struct out *, int fd, size_t cap);
/* Write everything buffered. 0, or -1 with errno set (EPIPE: reader
 * went away). */
int	out_flush(struct out *);
int	out_slow(struct out *, const void *, size_t);
/* Exit after a failed out_* call: quietly with 0 on EPIPE (a pipeline
 * reader closed), else 74 with the error. */
void	out_die(struct out *) __attribute__((noreturn));
/* Flush, then check; on failure out_die(). Used at exit and before
 * blocking. */
void	out_sync(struct out *);
void	out_free(struct out *);
/* An exactly-once stream's pipe fd (either end) grown to OUT_PIPE_MAX
 * bytes where it is a pipe and the kernel allows: a stage that stops a
 * moment (ksink at a commit) lets the others run on, and a crash loses
 * nothing that sat in it (the line starts again from its position). */
#define OUT_PIPE_MAX	(1 << 20)
void	out_pipe_max(int fd);
/* 1 when the reader of the output went away (a pipe with no reader left,
 * a socket hung up), so a tool that waits for its own input notices at
 * once, not at its next write; never blocks. 0 for files and terminals. */
int	out_gone(const struct out *);

static inline int
out_write(struct out *o, const void *p, size_t n)
{
	if (o->cap - o->len < n)
		return out_slow(o, p, n);
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

#endif
