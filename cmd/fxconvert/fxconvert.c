/* fxconvert - convert money fields of NDJSON records between currencies,
 * in exact decimal arithmetic, with a constant rate or an as-of join on
 * the European Central Bank's daily rates. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dec.h"
#include "jrec.h"
#include "jw.h"
#include "kp.h"
#include "ndjson.h"
#include "out.h"
#include "policy.h"
#include "rates.h"
#include "timeu.h"

#define MAXFIELDS	16

struct field {
	int	 path;		/* jrec path index */
	char	*name;		/* the -f text before ':' */
	char	*newname;	/* NULL: convert in place */
};

struct fx {
	struct field	 f[MAXFIELDS];
	int		 nf;
	struct dec	 rate;		/* --rate */
	struct rates	 table;		/* --rates */
	int		 use_table, tpath, unit, round, places;
	const char	*from, *to;
	struct jrec	 jr;
	struct buf	 copy, rec;
	struct nd_reader rd;
	struct out	 out;
	struct policy	 pol;
	struct dec	 val[MAXFIELDS];
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: fxconvert -f field[:newname]... (-r rate | --rates file --from cur --to cur)\n"
	    "                 [-t field] [--time-unit ms|s|us|iso] [--round n]\n"
	    "                 [--on-error skip|abort] [--dead-letter file]\n"
	    "                 [--max-line bytes]\n");
	exit(f == stdout ? 0 : EX_USAGE);
}

static void
flush_out(void *arg)
{
	out_sync(arg);
}

static int
reject(struct fx *x, const char *line, size_t len, const char *fmt,
    const char *a, const char *b)
{
	return pol_reject(&x->pol, x->rd.lineno, line, len, fmt, a, b) < 0 ?
	    -1 : 0;
}

/* The factor for this record, or NULL after reporting why not. */
static const struct dec *
factor(struct fx *x, const char *line, size_t len, int *rc)
{
	const struct jr_val *v;
	const struct dec *d;
	const char *why;
	char day[TU_FMT_MAX + 1];
	int64_t ms;

	if (!x->use_table)
		return &x->rate;
	if (x->tpath < 0)
		return rates_latest(&x->table);
	v = &x->jr.val[x->tpath];
	if (v->type == JR_NONE || v->type == JR_NULL) {
		*rc = reject(x, line, len, "time field %s: %s",
		    jr_lastname(&x->jr, x->tpath), "missing");
		return NULL;
	}
	if ((why = tu_from_value(v->s, v->len, v->type == JR_STR, x->unit,
	    &ms)) != NULL) {
		*rc = reject(x, line, len, "time field %s: %s",
		    jr_lastname(&x->jr, x->tpath), why);
		return NULL;
	}
	d = rates_asof(&x->table, ms >= 0 ? ms / 86400000 :
	    -((-ms + 86399999) / 86400000));
	if (d == NULL) {
		day[tu_fmt(ms, TF_ISO, 0, day)] = '\0';
		day[10] = '\0';
		*rc = pol_reject(&x->pol, x->rd.lineno, line, len,
		    "no %s/%s rate on or before %s", x->from, x->to, day) < 0 ?
		    -1 : 0;
	}
	return d;
}

/* Convert one record. 0 done or skipped; -1 stop (abort). */
static int
convert(struct fx *x, const char *line, size_t len)
{
	const struct jr_val *v;
	const struct dec *k;
	char num[MAXFIELDS][DEC_FMT_MAX];
	size_t nlen[MAXFIELDS], at, i;
	int j, rc = 0, order[MAXFIELDS], t;

	if (jr_parse(&x->jr, line, len) < 0)
		return reject(x, line, len, "%s%s", x->jr.err, "");
	for (j = 0; j < x->nf; j++) {
		v = &x->jr.val[x->f[j].path];
		if (v->type == JR_NONE)
			return reject(x, line, len, "field %s: %s",
			    x->f[j].name, "missing");
		if (v->type != JR_NUM)
			return reject(x, line, len, "field %s: expected a "
			    "number, got %s", x->f[j].name, jr_typename(v->type));
		if (dec_parse(&x->val[j], v->s, v->len) != DEC_OK)
			return reject(x, line, len, "field %s: %s",
			    x->f[j].name, "number out of range");
	}
	if ((k = factor(x, line, len, &rc)) == NULL)
		return rc;
	for (j = 0; j < x->nf; j++) {
		if (dec_mul(&x->val[j], &x->val[j], k) != DEC_OK)
			return reject(x, line, len, "field %s: %s",
			    x->f[j].name, "result out of range");
		if (x->round)
			dec_round(&x->val[j], x->places);
		nlen[j] = dec_fmt(&x->val[j], num[j]);
		order[j] = j;
	}
	/* splice the in-place values into the compact copy, in order */
	for (j = 1; j < x->nf; j++)
		for (t = j; t > 0 && x->jr.val[x->f[order[t]].path].off <
		    x->jr.val[x->f[order[t - 1]].path].off; t--) {
			int s = order[t];

			order[t] = order[t - 1];
			order[t - 1] = s;
		}
	x->rec.len = 0;
	at = 0;
	for (j = 0; j < x->nf; j++) {
		i = (size_t)order[j];
		if (x->f[i].newname != NULL)
			continue;
		v = &x->jr.val[x->f[i].path];
		if (v->off < at)
			continue;	/* the same field named twice */
		buf_add(&x->rec, x->copy.p + at, v->off - at);
		buf_add(&x->rec, num[i], nlen[i]);
		at = v->end;
	}
	buf_add(&x->rec, x->copy.p + at, x->copy.len - 1 - at);
	for (j = 0; j < x->nf; j++) {
		if (x->f[j].newname == NULL)
			continue;
		if (x->copy.len > 2)
			buf_addc(&x->rec, ',');
		jw_key(&x->rec, x->f[j].newname, strlen(x->f[j].newname));
		buf_add(&x->rec, num[j], nlen[j]);
	}
	buf_adds(&x->rec, "}\n");
	if (out_write(&x->out, x->rec.p, x->rec.len) < 0)
		out_die(&x->out);
	return 0;
}

static int
run(struct fx *x)
{
	const char *line;
	size_t len;
	int rc, status = 0;

	while (!kp_stop) {
		rc = nd_next(&x->rd, &line, &len, -1);
		if (rc == ND_LINE) {
			if (convert(x, line, len) < 0) {
				status = EX_DATAERR;
				break;
			}
		} else if ((status = pol_input(&x->pol, &x->rd, rc)) != 0) {
			if (status < 0)		/* end of input */
				status = 0;
			break;
		}
	}
	out_sync(&x->out);
	if (pol_finish(&x->pol) < 0 && status == 0)
		status = EX_IOERR;
	return status;
}

int
main(int argc, char **argv)
{
	enum { O_RATES = 256, O_FROM, O_TO, O_UNIT, O_ROUND };
	static const struct option longopts[] = {
		{ "field", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "rates", required_argument, NULL, O_RATES },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "time-field", required_argument, NULL, 't' },
		{ "time-unit", required_argument, NULL, O_UNIT },
		{ "round", required_argument, NULL, O_ROUND },
		POL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct fx x;
	const char *rate = NULL, *ratesfile = NULL, *tfield = NULL;
	char *colon;
	int ch, status;

	jr_init(&x.jr);
	pol_init(&x.pol, "<stdin>", 0);
	x.tpath = -1;
	x.unit = TU_MS;
	while ((ch = getopt_long(argc, argv, "f:r:t:hV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			if (x.nf == MAXFIELDS)
				errx(EX_USAGE, "-f: at most %d fields",
				    MAXFIELDS);
			x.f[x.nf].name = kp_xstrdup(optarg);
			if ((colon = strchr(x.f[x.nf].name, ':')) != NULL) {
				*colon = '\0';
				if (colon[1] == '\0')
					errx(EX_USAGE, "-f %s: empty new name",
					    optarg);
				x.f[x.nf].newname = colon + 1;
			}
			x.f[x.nf].path = jr_addpath(&x.jr, x.f[x.nf].name);
			x.nf++;
			break;
		case 'r':
			rate = optarg;
			break;
		case O_RATES:
			ratesfile = optarg;
			break;
		case O_FROM:
			x.from = optarg;
			break;
		case O_TO:
			x.to = optarg;
			break;
		case 't':
			tfield = optarg;
			break;
		case O_UNIT:
			if ((x.unit = tu_unit(optarg)) < 0)
				errx(EX_USAGE, "--time-unit: '%s' is not ms, s, "
				    "us or iso", optarg);
			break;
		case O_ROUND:
			x.places = (int)kp_num(optarg, 0, 30, "--round");
			x.round = 1;
			break;
		case 'h':
			usage(stdout);
			break;
		case 'V':
			kp_version();
			break;
		default:
			if (!pol_option(&x.pol, ch, optarg))
				usage(stderr);
		}
	}
	if (optind != argc)
		usage(stderr);
	if (x.nf == 0) {
		warnx("name at least one field with -f");
		usage(stderr);
	}
	if ((rate != NULL) == (ratesfile != NULL)) {
		warnx("give either --rate or --rates");
		usage(stderr);
	}
	if (rate != NULL) {
		if (dec_parse(&x.rate, rate, strlen(rate)) != DEC_OK)
			errx(EX_USAGE, "--rate: '%s' is not a number", rate);
		if (x.from || x.to || tfield)
			errx(EX_USAGE, "--from, --to and --time-field go with "
			    "--rates");
	} else {
		if (x.from == NULL || x.to == NULL)
			errx(EX_USAGE, "--rates needs --from and --to");
		rates_load(&x.table, ratesfile, x.from, x.to);
		x.use_table = 1;
		if (tfield != NULL)
			x.tpath = jr_addpath(&x.jr, tfield);
	}
	x.jr.copy = &x.copy;

	kp_signals();
	out_init(&x.out, STDOUT_FILENO, 1 << 16);
	nd_init(&x.rd, STDIN_FILENO, "<stdin>", x.pol.max_line);
	x.rd.spill = x.pol.dl;
	x.rd.before_block = flush_out;
	x.rd.arg = &x.out;
	status = run(&x);
	nd_free(&x.rd);
	out_free(&x.out);
	jr_free(&x.jr);
	rates_free(&x.table);
	buf_free(&x.copy);
	buf_free(&x.rec);
	for (ch = 0; ch < x.nf; ch++)
		free(x.f[ch].name);
	return status;
}
