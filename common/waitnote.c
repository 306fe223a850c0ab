/* waitnote.c - waits on the cluster said (a timer thread) and bounded
 * (SIGALRM); see waitnote.h. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "kp.h"
#include "waitnote.h"

static void
on_timer(union sigval v)
{
	struct waitnote *wn = v.sival_ptr;

	warnx("%s", wn->msg);
	wn->said = 1;
}

void
wn_begin(struct waitnote *wn, int64_t ms, const char *fmt, ...)
{
	struct sigevent sev;
	struct itimerspec its;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(wn->msg, sizeof(wn->msg), fmt, ap);
	va_end(ap);
	wn->said = 0;
	if (!wn->made) {
		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = SIGEV_THREAD;
		sev.sigev_notify_function = on_timer;
		sev.sigev_value.sival_ptr = wn;
		if (timer_create(CLOCK_MONOTONIC, &sev, &wn->t) < 0)
			return;	/* no note: the wait itself goes on */
		wn->made = 1;
	}
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (ms % 1000) * 1000000;
	(void)timer_settime(wn->t, 0, &its, NULL);
}

int
wn_end(struct waitnote *wn)
{
	struct itimerspec its;

	if (wn->made) {
		memset(&its, 0, sizeof(its));
		(void)timer_settime(wn->t, 0, &its, NULL);
	}
	return wn->said;
}

void
wn_free(struct waitnote *wn)
{
	if (wn->made)
		(void)timer_delete(wn->t);
	wn->made = 0;
}

/* the one exit of wn_exit_after() and wn_stop_bound(): written before
 * the alarm can come, read in its handler only */
static char		wn_line[600];
static size_t		wn_len;
static volatile sig_atomic_t wn_status;
static int64_t		wn_stop_ms;		/* wn_stop_bound()'s */
static volatile int64_t	wn_stop_t;		/* the first stop request */

static void
on_alarm(int sig)
{
	(void)sig;
	(void)write(STDERR_FILENO, wn_line, wn_len);
	_exit(wn_status);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* async-signal-safe */
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* the alarm in ms (at least 1), never later than one already set */
static void
arm(int64_t ms)
{
	struct itimerval it, was;
	int64_t left;

	memset(&it, 0, sizeof(it));
	(void)setitimer(ITIMER_REAL, &it, &was);
	left = (int64_t)was.it_value.tv_sec * 1000 +
	    was.it_value.tv_usec / 1000;
	if ((was.it_value.tv_sec > 0 || was.it_value.tv_usec > 0) && left < ms)
		ms = left;
	if (ms < 1)
		ms = 1;
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	(void)setitimer(ITIMER_REAL, &it, NULL);
}

/* the line and status the alarm ends with; the alarm held meanwhile */
static void
prepare(int status, const char *fmt, va_list ap)
{
	struct sigaction sa;
	struct itimerval it, was;
	int n;

	memset(&it, 0, sizeof(it));
	(void)setitimer(ITIMER_REAL, &it, &was);
	n = snprintf(wn_line, sizeof(wn_line), "%s: ",
	    program_invocation_short_name);
	if (n >= 0 && (size_t)n < sizeof(wn_line))
		n += vsnprintf(wn_line + n, sizeof(wn_line) - (size_t)n, fmt,
		    ap);
	wn_len = n < 0 ? 0 : (size_t)n < sizeof(wn_line) - 1 ? (size_t)n :
	    sizeof(wn_line) - 2;
	wn_line[wn_len++] = '\n';
	wn_status = status;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	(void)setitimer(ITIMER_REAL, &was, NULL);
}

void
wn_exit_after(int64_t ms, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	prepare(status, fmt, ap);
	va_end(ap);
	arm(ms);
}

static void
on_stop(int sig)
{
	(void)sig;
	kp_stop = 1;
	if (wn_stop_t == 0) {
		wn_stop_t = mono_ms();
		arm(wn_stop_ms);
	}
}

void
wn_stop_bound(int64_t ms, int status, const char *fmt, ...)
{
	struct sigaction sa;
	va_list ap;

	va_start(ap, fmt);
	prepare(status, fmt, ap);
	va_end(ap);
	wn_stop_ms = ms;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART, as kp_signals() */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int64_t
wn_stop_time(void)
{
	return wn_stop_t;
}
