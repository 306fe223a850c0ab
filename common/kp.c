/* kp.c - shared basics: signals, version, bounded numbers, buffers. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"

#ifndef KP_VERSION	/* the Makefile's VERSION */
#define KP_VERSION "0.0.0"
#endif

volatile sig_atomic_t kp_stop;

static void
on_stop(int sig)
{
	(void)sig;
	kp_stop = 1;
}

void
kp_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: interrupt blocking reads */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

const char *
kp_release(void)
{
	return KP_VERSION;
}

void
kp_version(void)
{
	printf("%s %s\n", program_invocation_short_name, KP_VERSION);
	exit(0);
}

int
kp_int(const char *s, size_t n, long long min, long long max, long long *v)
{
	unsigned long long u = 0, lim = LLONG_MAX;
	size_t i = 0;
	unsigned d;
	int big = 0;

	if (n > 0 && s[0] == '-') {
		lim = (unsigned long long)LLONG_MAX + 1;
		i = 1;
	}
	if (i == n)
		return -1;
	if (n - i <= 18) {	/* fits: the usual case, without checks */
		for (; i < n; i++) {
			if ((d = (unsigned char)s[i] - '0') > 9)
				return -1;
			u = u * 10 + d;
		}
	}
	for (; i < n; i++) {
		if ((d = (unsigned char)s[i] - '0') > 9)
			return -1;
		if (u > (lim - d) / 10)
			big = 1;
		else
			u = u * 10 + d;
	}
	if (big)
		return -2;
	*v = s[0] == '-' ? (long long)(0 - u) : (long long)u;
	return *v < min || *v > max ? -2 : 0;
}

long long
kp_num(const char *s, long long min, long long max, const char *what)
{
	long long v;

	switch (kp_int(s, strlen(s), min, max, &v)) {
	case -1:
		errx(EX_USAGE, "%s: '%s' is not a whole number", what, s);
	case -2:
		errx(EX_USAGE, "%s: '%s' is out of range (allowed %lld..%lld)",
		    what, s, min, max);
	}
	return v;
}

void *
kp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(EX_OSERR, "malloc %zu bytes", n);
	return p;
}

void *
kp_xrealloc(void *o, size_t n)
{
	void *p = realloc(o, n ? n : 1);

	if (p == NULL)
		err(EX_OSERR, "realloc %zu bytes", n);
	return p;
}

char *
kp_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		err(EX_OSERR, "strdup");
	return p;
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t want = b->len + extra, cap = b->cap ? b->cap : 256;

	if (want < b->len)
		errx(EX_OSERR, "buffer size overflow");
	while (cap < want)
		cap *= 2;
	b->p = kp_xrealloc(b->p, cap);
	b->cap = cap;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *
buf_cstr(struct buf *b)
{
	buf_addc(b, '\0');
	b->len--;
	return b->p;
}
