/* ndjson.h - reading newline-delimited input from a file descriptor.
 * Lines of any length up to max_line bytes; "\r\n" accepted; blank
 * lines skipped (but counted); a last line without "\n" is a line. */
#ifndef NDJSON_H
#define NDJSON_H

#include <stddef.h>
#include <stdio.h>

#define ND_DEFAULT_MAX_LINE	(64u << 20)

enum {
	ND_LINE = 1,		/* *line, *len hold the next line */
	ND_EOF = 0,		/* input ended */
	ND_TIMEOUT = -1,	/* no full line within timeout, or EINTR */
	ND_TOOLONG = -2,	/* a line over max_line was skipped (and
				   copied to spill, when set) */
	ND_ERROR = -3,		/* read error, errno set */
	ND_GONE = -4		/* the reader of watch went away */
};

struct nd_reader {
	int		 fd;
	const char	*name;		/* "<stdin>" in messages */
	char		*buf;
	size_t		 cap, beg, end, scan;
	size_t		 max_line;
	unsigned long long lineno;	/* number of the line last returned */
	int		 eof, skipping;
	FILE		*spill;		/* overlong lines are copied here */
	/* Called before the reader blocks waiting for input: flush output. */
	void		(*before_block)(void *);
	void		*arg;
	/* -1 (nd_init's), or the output fd, watched while the reader
	 * blocks: when its reader goes away (POLLERR or POLLHUP: a pipe
	 * with no reader, a socket hung up) the wait ends with ND_GONE, so a
	 * tool notices at once, not at its next write. */
	int		 watch;
	/* Set when the line last returned had no newline: the last one of
	 * the input, cut short if its writer died in the middle of it (a
	 * write to a pipe larger than PIPE_BUF is not atomic). */
	int		 torn;
};

/* Start reading fd. name is kept (not copied). max_line 0 = default. */
void	nd_init(struct nd_reader *, int fd, const char *name, size_t max_line);
void	nd_free(struct nd_reader *);
/* Next line. timeout_ms < 0 waits as long as it takes. The returned
 * line (without its line ending) is valid until the next call. */
int	nd_next(struct nd_reader *, const char **line, size_t *len,
	    int timeout_ms);

#endif
