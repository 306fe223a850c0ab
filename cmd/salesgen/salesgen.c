/* salesgen - write the tutorial's sales records as NDJSON:
 *	{"seller_id":"LNK","amount_usd":361,"sale_ts":1713654885125}
 * Seeded runs with simulated event time are byte-identical. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jw.h"
#include "kp.h"
#include "out.h"
#include "opt.h"
#include "policy.h"
#include "timeu.h"

#define MAXSELLERS	256

struct plan {
	long long	 count;		/* -1: forever */
	double		 rate;		/* records/s; 0 = as fast as possible */
	uint64_t	 seed;
	int		 seeded;
	char		*sellers[MAXSELLERS];
	char		*sellerbuf;	/* the --sellers text, split */
	int		 nsellers;
	long long	 amin, amax;
	int64_t		 start_ts;	/* -1: wall clock */
	int64_t		 step, disorder;
};

static void
usage(FILE *f)
{
	static const struct kp_optdoc docs[] = {
		{ "-n, --count N", "records to write (default: forever)" },
		{ "-r, --rate N", "records a second (2; 0: as fast as it can)" },
		{ "--seed N", "the same seed, the same records" },
		{ "--sellers list", "seller ids (LNK,OMA,KC,DEN)" },
		{ "--amount-min N", "the smallest amount_usd (100)" },
		{ "--amount-max N", "the largest amount_usd (999)" },
		{ "--start-ts ms", "simulated sale_ts from ms (else the clock)" },
		{ "--step duration", "sale_ts advance a record (100ms)" },
		{ "--disorder duration", "shift each sale_ts back by up to this" },
		{ "-h, --help", "this help" },
		{ "-V, --version", "the version" },
		{ NULL, NULL }
	};

	kp_usage(f,
	    "usage: salesgen [-n count] [-r rate] [--seed n] [--sellers list]\n"
	    "                [--amount-min n] [--amount-max n] [--start-ts ms]\n"
	    "                [--step duration] [--disorder duration]\n", docs);
}

/* splitmix64: small, fast, and the same on every machine. */
static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) without modulo bias (Lemire). n > 0. */
static uint64_t
below(uint64_t *s, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)next(s) * n;
	uint64_t lo = (uint64_t)m, t;

	if (lo < n) {
		t = -n % n;
		while (lo < t) {
			m = (unsigned __int128)next(s) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

static void
parse_sellers(struct plan *p, const char *arg)
{
	char *copy = kp_xstrdup(arg), *s, *save = NULL;

	free(p->sellerbuf);
	p->sellerbuf = copy;
	p->nsellers = 0;
	for (s = strtok_r(copy, ",", &save); s != NULL;
	    s = strtok_r(NULL, ",", &save)) {
		if (p->nsellers == MAXSELLERS)
			errx(EX_USAGE, "--sellers: at most %d sellers",
			    MAXSELLERS);
		if (!jw_utf8ok(s, strlen(s)))
			errx(EX_USAGE, "--sellers: '%s' is not UTF-8", s);
		p->sellers[p->nsellers++] = s;
	}
	if (p->nsellers == 0)
		errx(EX_USAGE, "--sellers: give at least one name, "
		    "as in LNK,OMA,KC,DEN");
}

static void
sleep_until(int64_t deadline_ns)
{
	struct timespec ts;

	ts.tv_sec = deadline_ns / 1000000000;
	ts.tv_nsec = deadline_ns % 1000000000;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		if (kp_stop)
			return;
}

static void
run(struct plan *p)
{
	struct buf prefix[MAXSELLERS];
	struct buf rec = { 0 };
	struct out o;
	/* two streams from one seed: sellers and amounts, and the disorder,
	 * so that --disorder changes no seller and no amount */
	uint64_t st = p->seed, sd = p->seed ^ 0xd1b54a32d192ed03ULL;
	uint64_t span = (uint64_t)(p->amax - p->amin) + 1;
	int64_t t0 = tu_mono_ns(), ts;
	long long i;
	int k;

	/* '{"seller_id":"LNK","amount_usd":' per seller, built once */
	for (k = 0; k < p->nsellers; k++) {
		memset(&prefix[k], 0, sizeof(prefix[k]));
		buf_adds(&prefix[k], "{\"seller_id\":");
		jw_str(&prefix[k], p->sellers[k], strlen(p->sellers[k]));
		buf_adds(&prefix[k], ",\"amount_usd\":");
	}
	out_init(&o, STDOUT_FILENO, p->rate > 0 ? 1 << 12 : 1 << 16);
	for (i = 0; (p->count < 0 || i < p->count) && !kp_stop; i++) {
		if (p->rate > 0) {
			out_sync(&o);
			sleep_until(t0 + (int64_t)(i * (1e9 / p->rate)));
			if (kp_stop)
				break;
		}
		k = (int)below(&st, (uint64_t)p->nsellers);
		rec.len = 0;
		buf_add(&rec, prefix[k].p, prefix[k].len);
		jw_i64(&rec, p->amin + (int64_t)below(&st, span));
		buf_adds(&rec, ",\"sale_ts\":");
		ts = p->start_ts >= 0 ? p->start_ts + i * p->step : tu_now_ms();
		if (p->disorder > 0)
			ts -= (int64_t)below(&sd, (uint64_t)p->disorder + 1);
		jw_i64(&rec, ts);
		buf_adds(&rec, "}\n");
		if (out_write(&o, rec.p, rec.len) < 0)
			out_die(&o);
	}
	out_sync(&o);
	for (k = 0; k < p->nsellers; k++)
		buf_free(&prefix[k]);
	buf_free(&rec);
	out_free(&o);
}

/* The options into p (its defaults set by the caller): exits 64 on a
 * usage error. */
static void
plan(struct plan *p, int argc, char **argv)
{
	enum { O_SEED = 256, O_SELLERS, O_AMIN, O_AMAX, O_START, O_STEP,
	    O_DISORDER };
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, O_SEED },
		{ "sellers", required_argument, NULL, O_SELLERS },
		{ "amount-min", required_argument, NULL, O_AMIN },
		{ "amount-max", required_argument, NULL, O_AMAX },
		{ "start-ts", required_argument, NULL, O_START },
		{ "step", required_argument, NULL, O_STEP },
		{ "disorder", required_argument, NULL, O_DISORDER },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int ch;

	parse_sellers(p, "LNK,OMA,KC,DEN");
	while ((ch = kp_getopt(argc, argv, "n:r:hV", longopts)) != -1) {
		switch (ch) {
		case 'n':
			p->count = kp_num(optarg, 0, INT64_MAX, "-n");
			break;
		case 'r':
			p->rate = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' ||
			    !(p->rate >= 0) || p->rate > 1e9)
				errx(EX_USAGE, "-r: '%s' is not a rate in "
				    "records per second (0..1e9; 0 = as fast "
				    "as possible)", optarg);
			break;
		case O_SEED:
			p->seed = (uint64_t)kp_num(optarg, 0, INT64_MAX,
			    "--seed");
			p->seeded = 1;
			break;
		case O_SELLERS:
			parse_sellers(p, optarg);
			break;
		case O_AMIN:
			p->amin = kp_num(optarg, -1000000000000000LL,
			    1000000000000000LL, "--amount-min");
			break;
		case O_AMAX:
			p->amax = kp_num(optarg, -1000000000000000LL,
			    1000000000000000LL, "--amount-max");
			break;
		case O_START:
			p->start_ts = kp_num(optarg, 0, 253402300799999LL,
			    "--start-ts");
			break;
		case O_STEP:
			p->step = tu_duration_opt(optarg, "--step", 0);
			break;
		case O_DISORDER:
			p->disorder = tu_duration_opt(optarg, "--disorder", 0);
			break;
		default:
			pol_option(NULL, ch, optarg, usage);
		}
	}
	if (optind != argc)
		usage(stderr);
	if (p->amin > p->amax)
		errx(EX_USAGE, "--amount-min %lld is above --amount-max %lld",
		    p->amin, p->amax);
	if (!p->seeded)
		p->seed = (uint64_t)tu_now_ms() ^ ((uint64_t)getpid() << 32);
}

int
main(int argc, char **argv)
{
	static struct plan p = { .count = -1, .rate = 2, .amin = 100,
	    .amax = 999, .start_ts = -1, .step = 100 };

	plan(&p, argc, argv);
	kp_signals();
	run(&p);
	free(p.sellerbuf);
	return 0;
}
