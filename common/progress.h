/* progress.h - --progress: a live status line on standard error. On a
 * terminal one line is rewritten in place (at most 4 times a second);
 * elsewhere a plain line at most once a second. The tool builds the text;
 * this decides when and how it goes out. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>

struct progress {
	int		 on;		/* --progress given */
	int		 tty;		/* standard error is a terminal */
	int64_t		 every, next;	/* ms between lines; next one due */
	int64_t		 t0, lastt;	/* start; last line */
	unsigned long long lastn;	/* the count at the last line */
	int		 shown;		/* a line sits unfinished (tty) */
};

void	pg_init(struct progress *, int on);
/* Is a line due at now (tu_mono_ms())? Cheap: test it freely. */
static inline int
pg_due(const struct progress *p, int64_t now)
{
	return p->on && now >= p->next;
}
/* Records a second since the last line, n being the count now. */
double	pg_rate(struct progress *, unsigned long long n, int64_t now);
/* Write the status line ("<prog>: " and the text). */
void	pg_show(struct progress *, int64_t now, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Before another message on stderr: end the unfinished line. */
void	pg_break(struct progress *);
/* The final summary line, whatever the terminal. */
void	pg_done(struct progress *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
