/*
 * bench/firstlast: the rate of a stream of lines on standard input, from
 * its first byte to its end, as rdkafka_performance -C counts its own (from
 * the first message to the last): prints "LINES SECONDS LINES/s". A
 * measuring tool for bench/kafkatools, not product code.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(void)
{
	static char buf[1 << 20];
	unsigned long long lines = 0;
	double t0 = 0, t1;
	const char *p, *e;
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		if (t0 == 0)
			t0 = now();
		for (p = buf, e = buf + n;
		    (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
			lines++;
	}
	t1 = now();
	if (n < 0 || t0 == 0) {
		fprintf(stderr, "firstlast: %s\n", n < 0 ? "read error" :
		    "no input");
		return 1;
	}
	printf("%llu %.3f %.0f\n", lines, t1 - t0,
	    t1 > t0 ? (double)lines / (t1 - t0) : 0);
	return 0;
}
