/* ndjson.c - line reader over read(2) with poll(2) timeouts. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kp.h"
#include "ndjson.h"

#define ND_CHUNK	(1u << 16)

void
nd_init(struct nd_reader *r, int fd, const char *name, size_t max_line)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->name = name;
	r->max_line = max_line ? max_line : ND_DEFAULT_MAX_LINE;
	r->cap = 4 * ND_CHUNK;
	r->buf = kp_xmalloc(r->cap);
	r->watch = -1;
}

void
nd_free(struct nd_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

static void
spill(struct nd_reader *r, const char *p, size_t n)
{
	if (r->spill != NULL && n > 0)
		fwrite(p, 1, n, r->spill);
}

static int
blank(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	return n == 0;
}

/* Read more input into the buffer: 1 data, 0 timeout, -1 error, -2 the
 * reader of watch went away. */
static int
fill(struct nd_reader *r, int timeout_ms)
{
	struct pollfd pfd[2];
	ssize_t n;
	int rc;

	if (r->beg > 0) {
		memmove(r->buf, r->buf + r->beg, r->end - r->beg);
		r->end -= r->beg;
		r->scan -= r->beg;
		r->beg = 0;
	}
	if (r->cap - r->end < ND_CHUNK / 4) {
		r->cap *= 2;
		r->buf = kp_xrealloc(r->buf, r->cap);
	}
	pfd[0].fd = r->fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = r->watch;	/* no events: POLLERR and POLLHUP only */
	pfd[1].events = 0;
	rc = poll(pfd, 1, 0);
	if (rc == 0) {
		if (r->before_block != NULL)
			r->before_block(r->arg);
		if (timeout_ms >= 0 || r->watch >= 0) {
			pfd[1].revents = 0;
			rc = poll(pfd, r->watch >= 0 ? 2 : 1, timeout_ms);
			if (pfd[1].revents & (POLLERR | POLLHUP))
				return -2;
			if (pfd[1].revents & POLLNVAL)
				r->watch = -1;	/* not open: nothing to watch */
			if (rc == 0 || (rc > 0 && pfd[0].revents == 0))
				return 0;
		}
	}
	if (rc < 0 && errno == EINTR)
		return 0;
	n = read(r->fd, r->buf + r->end, r->cap - r->end);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		return -1;
	}
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	return 1;
}

int
nd_next(struct nd_reader *r, const char **line, size_t *len, int timeout_ms)
{
	char *nl;
	size_t n;
	int rc;

	for (;;) {
		if (r->skipping) {
			nl = memchr(r->buf + r->beg, '\n', r->end - r->beg);
			if (nl != NULL || (r->eof && r->beg == r->end)) {
				n = nl ? (size_t)(nl - r->buf) + 1 : r->end;
				spill(r, r->buf + r->beg, n - r->beg);
				if (nl == NULL)
					spill(r, "\n", 1);
				r->beg = r->scan = n;
				r->skipping = 0;
				r->lineno++;
				return ND_TOOLONG;
			}
			spill(r, r->buf + r->beg, r->end - r->beg);
			r->beg = r->end = r->scan = 0;
		} else {
			nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
			if (nl != NULL) {
				*line = r->buf + r->beg;
				r->torn = 0;
				n = (size_t)(nl - *line);
				r->beg = r->scan = (size_t)(nl - r->buf) + 1;
				r->lineno++;
				if (n > r->max_line) {
					spill(r, *line, n + 1);
					return ND_TOOLONG;
				}
				if (n > 0 && (*line)[n - 1] == '\r')
					n--;
				if (blank(*line, n))
					continue;
				*len = n;
				return ND_LINE;
			}
			r->scan = r->end;
			if (r->end - r->beg > r->max_line) {
				r->skipping = 1;
				continue;
			}
			if (r->eof) {
				if (r->beg == r->end)
					return ND_EOF;
				r->torn = 1;
				*line = r->buf + r->beg;
				n = r->end - r->beg;
				r->beg = r->scan = r->end;
				r->lineno++;
				if (n > 0 && (*line)[n - 1] == '\r')
					n--;
				if (blank(*line, n))
					continue;
				*len = n;
				return ND_LINE;
			}
		}
		if (r->eof)
			continue;
		rc = fill(r, timeout_ms);
		if (rc == -2)
			return ND_GONE;
		if (rc < 0)
			return ND_ERROR;
		if (rc == 0)
			return ND_TIMEOUT;
	}
}
