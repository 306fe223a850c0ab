/* wa.c - a bad record of window-agg's input, reported (see wa.h). */
#include <stdarg.h>

#include "wa.h"

/* Report a bad record: 1 to skip it, -1 to stop (--on-error=abort). */
int
wa_reject(struct wa *w, const char *line, size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pol_vreject(&w->pol, w->rd.lineno, NULL, line, len, fmt, ap);
	va_end(ap);
	return rc < 0 ? -1 : 1;
}
