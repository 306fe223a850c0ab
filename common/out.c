/* out.c - buffered stdout with EPIPE as a quiet exit. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "kp.h"
#include "out.h"

void
out_init(struct out *o, int fd, size_t cap)
{
	o->fd = fd;
	o->cap = cap ? cap : 1 << 16;
	o->buf = kp_xmalloc(o->cap);
	o->len = 0;
	o->records = 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
out_flush(struct out *o)
{
	if (o->len == 0)
		return 0;
	if (write_all(o->fd, o->buf, o->len) < 0)
		return -1;
	o->len = 0;
	return 0;
}

int
out_slow(struct out *o, const void *p, size_t n)
{
	if (out_flush(o) < 0)
		return -1;
	if (n >= o->cap)
		return write_all(o->fd, p, n);
	memcpy(o->buf, p, n);
	o->len = n;
	return 0;
}

void
out_die(struct out *o)
{
	(void)o;
	if (errno == EPIPE)
		exit(0);
	err(EX_IOERR, "write to standard output");
}

void
out_sync(struct out *o)
{
	if (out_flush(o) < 0)
		out_die(o);
}

void
out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
}

int
out_gone(const struct out *o)
{
	struct pollfd p;

	p.fd = o->fd;
	p.events = 0;	/* POLLERR and POLLHUP are always reported */
	p.revents = 0;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

void
out_pipe_max(int fd)
{
#ifdef F_SETPIPE_SZ
	/* not a pipe, or past the user's share of pipe memory: as it is */
	(void)fcntl(fd, F_SETPIPE_SZ, OUT_PIPE_MAX);
#else
	(void)fd;
#endif
}
