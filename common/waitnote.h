/* waitnote.h - waits on a Kafka cluster, said and bounded: a call into
 * librdkafka that may block (a transaction commit, a committed-offsets
 * request) is said on stderr once it has lasted a few seconds, from a
 * timer thread, so that no stage waits in silence; and after a stop
 * request a tool's last calls (librdkafka's own close and destroy among
 * them, which may wait forever on a broker that is gone) are cut off at
 * a documented bound. */
#ifndef WAITNOTE_H
#define WAITNOTE_H

#include <stdint.h>
#include <time.h>

struct waitnote {
	timer_t		 t;
	int		 made;		/* t exists */
	volatile int	 said;		/* the note was written */
	char		 msg[512];
};

/* Say "<prog>: MSG" on stderr if wn_end() has not come ms milliseconds
 * from now. wn is the caller's, used by one wait at a time; the format
 * is printf's. */
void	wn_begin(struct waitnote *wn, int64_t ms, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The wait is over: 1 when its note was said, else 0. */
int	wn_end(struct waitnote *wn);
void	wn_free(struct waitnote *wn);

/* Ends the process with status, "<prog>: MSG" on stderr (stdout and
 * stderr flushed before the call are not lost), unless it has exited
 * within ms milliseconds of this call: for a last call into librdkafka
 * that must not hold a stopping tool forever. A later call changes the
 * status and the line, and never moves the bound later. */
void	wn_exit_after(int64_t ms, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* After kp_signals(): a SIGINT or SIGTERM also ends the process ms
 * milliseconds after the first one, with status and "<prog>: MSG" on
 * stderr, unless it has exited by then (the tool's own bound, said in
 * its manual). */
void	wn_stop_bound(int64_t ms, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The tu_mono_ms() time of the first stop request; 0 none yet. */
int64_t	wn_stop_time(void);

#endif
