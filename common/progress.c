/* progress.c - the --progress status line: see progress.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "timeu.h"

void
pg_init(struct progress *p, int on)
{
	memset(p, 0, sizeof(*p));
	p->on = on;
	p->tty = isatty(STDERR_FILENO);
	p->every = p->tty ? 250 : 1000;
	p->t0 = p->lastt = tu_mono_ms();
	p->next = p->t0 + p->every;
}

double
pg_rate(struct progress *p, unsigned long long n, int64_t now)
{
	double r;

	r = (double)(n - p->lastn) * 1000 /
	    (double)(now - p->lastt > 0 ? now - p->lastt : 1);
	p->lastn = n;
	p->lastt = now;
	return r;
}

static void
line(struct progress *p, const char *fmt, va_list ap, int end)
{
	char text[512];

	vsnprintf(text, sizeof(text), fmt, ap);
	if (p->tty)	/* back to the start, the text, clear the rest */
		fprintf(stderr, "\r%s: %s\033[K%s",
		    program_invocation_short_name, text, end ? "\n" : "");
	else
		fprintf(stderr, "%s: %s\n", program_invocation_short_name,
		    text);
	p->shown = p->tty && !end;
}

void
pg_show(struct progress *p, int64_t now, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(p, fmt, ap, 0);
	va_end(ap);
	p->next = now + p->every;
}

void
pg_break(struct progress *p)
{
	if (p->shown)
		fputc('\n', stderr);
	p->shown = 0;
}

void
pg_done(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->on)
		return;
	va_start(ap, fmt);
	line(p, fmt, ap, 1);
	va_end(ap);
}
