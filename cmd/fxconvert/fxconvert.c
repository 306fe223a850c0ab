/* fxconvert - convert money fields of NDJSON records between currencies,
 * in exact decimal arithmetic, with a constant rate or an as-of join on
 * the European Central Bank's daily rates. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "dec.h"
#include "jrec.h"
#include "jw.h"
#include "kp.h"
#include "ndjson.h"
#include "out.h"
#include "opt.h"
#include "policy.h"
#include "rates.h"
#include "timeu.h"

/* A path for each field, one for each new name, one for the time field. */
#define MAXFIELDS	((JR_MAXPATHS - 1) / 2)

struct field {
	char	*name;		/* the -f text before ':' */
	char	*newname;	/* NULL: convert in place */
	int	 path;		/* jrec path of name */
	int	 dest;		/* jrec path written: path, or newname's */
};

struct fx {
	struct field	 f[MAXFIELDS];
	int		 nf;
	struct dec	 rate;		/* --rate */
	struct rates	 table;		/* --rates */
	int		 use_table, tpath, unit, round, places;
	const char	*tfield;	/* -t */
	const char	*ratearg, *ratesfile, *from, *to;	/* --rate, ... */
	int64_t		 max_age;	/* --max-age, in days */
	int64_t		 cday;		/* the day of ck, the factor last used */
	const struct dec *ck;
	int		 eo;		/* an exactly-once stream: its job
					   line seen (ctl.h) */
	struct jrec	 jr;
	struct buf	 copy, rec;
	struct nd_reader rd;
	struct out	 out;
	struct policy	 pol;
	struct dec	 val[MAXFIELDS];
	char		 num[MAXFIELDS][DEC_FMT_MAX];
	size_t		 nlen[MAXFIELDS];
};

static void
usage(FILE *f)
{
	static const struct kp_optdoc docs[] = {
		{ "-f, --field f[:new]", "a money field to convert; repeatable" },
		{ "-r, --rate R", "a constant rate" },
		{ "--rates file", "rates by day (ECB CSV, or CUR,RATE)" },
		{ "--from cur, --to cur", "the currencies of --rates" },
		{ "-t, --time-field field", "each record's date, for --rates" },
		{ "--time-unit ms|s|us|iso", "how -t is written, when a number" },
		{ "--max-age duration", "oldest rate used (7d)" },
		{ "--round N", "round half-even to N decimals" },
		{ "--on-error skip|abort", "what a bad line does" },
		{ "--dead-letter file", "append bad lines there" },
		{ "--max-line bytes", "the longest line read (64 MiB)" },
		{ "-h, --help", "this help" },
		{ "-V, --version", "the version" },
		{ NULL, NULL }
	};

	kp_usage(f,
	    "usage: fxconvert -f field[:newname]... (-r rate | --rates file --from cur --to cur)\n"
	    "                 [-t field] [--time-unit ms|s|us|iso] [--max-age duration]\n"
	    "                 [--round n]\n"
	    "                 [--on-error skip|abort] [--dead-letter file]\n"
	    "                 [--max-line bytes]\n", docs);
}

static void
flush_out(void *arg)
{
	out_sync(arg);
}

/* ---- one record -------------------------------------------------- */

/* The factor for this record, or NULL after rejecting it (*rc then
 * says whether to go on). */
static const struct dec *
factor(struct fx *x, const char *line, size_t len, int *rc)
{
	const struct jr_val *v;
	const struct dec *k;
	const char *why;
	int64_t ms, day;

	if (!x->use_table)
		return &x->rate;
	day = RATES_LATEST;
	if (x->tpath >= 0) {
		v = &x->jr.val[x->tpath];
		if (v->type == JR_NONE || v->type == JR_NULL)
			why = "missing";
		else if (v->type != JR_NUM && v->type != JR_STR)
			why = x->unit == TU_ISO ?
			    "expected an ISO-8601 time string" :
			    "expected epoch time as a number in range "
			    "(see --time-unit)";
		else
			why = tu_from_value(v->s, v->len, v->type == JR_STR,
			    x->unit, &ms);
		if (why != NULL) {
			*rc = pol_reject(&x->pol, x->rd.lineno, line, len,
			    "time field %s: %s", x->tfield, why);
			return NULL;
		}
		day = tu_day(ms);
	}
	if (day == x->cday)
		return x->ck;
	if ((k = rates_asof(&x->table, day, x->max_age, &why)) == NULL) {
		if (why == NULL)
			errx(EX_DATAERR, "%s/%s rate out of range",
			    x->table.cur[0], x->table.cur[1]);
		*rc = pol_reject(&x->pol, x->rd.lineno, line, len, "%s", why);
		return NULL;
	}
	x->cday = day;
	x->ck = k;
	return k;
}

/* Compute the converted values into x->num. 0, or a pol_reject()
 * result after rejecting the record. */
static int
compute(struct fx *x, const char *line, size_t len)
{
	const struct jr_val *v;
	const struct dec *k;
	int j, rc = 0;

	if (jr_parse(&x->jr, line, len) < 0)
		return pol_reject(&x->pol, x->rd.lineno, line, len, "%s",
		    x->jr.err);
	for (j = 0; j < x->nf; j++) {
		v = &x->jr.val[x->f[j].path];
		if (v->type == JR_NONE)
			return pol_reject(&x->pol, x->rd.lineno, line, len,
			    "field %s: missing", x->f[j].name);
		if (v->type != JR_NUM)
			return pol_reject(&x->pol, x->rd.lineno, line, len,
			    "field %s: expected a number, got %s",
			    x->f[j].name, jr_typename(v->type));
		if (dec_parse(&x->val[j], v->s, v->len) != DEC_OK)
			return pol_reject(&x->pol, x->rd.lineno, line, len,
			    "field %s: number out of range", x->f[j].name);
	}
	if ((k = factor(x, line, len, &rc)) == NULL)
		return rc;
	for (j = 0; j < x->nf; j++) {
		if (dec_mul(&x->val[j], &x->val[j], k) != DEC_OK)
			return pol_reject(&x->pol, x->rd.lineno, line, len,
			    "field %s: result out of range", x->f[j].name);
		if (x->round)
			dec_round(&x->val[j], x->places);
		x->nlen[j] = dec_fmt(&x->val[j], x->num[j]);
	}
	return 1;
}

/* Convert one record and write it. 0 done or skipped; -1 stop. */
static int
convert(struct fx *x, const char *line, size_t len)
{
	const struct jr_val *v;
	size_t at = 0;
	int order[MAXFIELDS], n = 0, i, j, rc;
	enum ctl_kind kind;

	if (ctl_torn(x->eo, x->rd.torn, x->rd.lineno))
		return 0;	/* dropped, not skipped */
	if ((kind = ctl_kind(line, len)) != CTL_NONE) {
		/* not a record: passed on (ctl.h); past a job line, a record
		 * skipped leaves a skip line in its place */
		x->eo |= kind == CTL_JOB;
		if (out_write(&x->out, line, len) < 0 ||
		    out_write(&x->out, "\n", 1) < 0)
			out_die(&x->out);
		if (kind != CTL_AT)
			out_sync(&x->out);	/* a revoke waits on it */
		return 0;
	}
	if ((rc = compute(x, line, len)) <= 0) {
		if (rc == 0 && x->eo && out_write(&x->out, CTL_SKIP_LINE,
		    sizeof(CTL_SKIP_LINE) - 1) < 0)
			out_die(&x->out);
		return rc;
	}
	pol_take(&x->pol);
	/* the fields written where they stand, in the order they stand */
	for (j = 0; j < x->nf; j++) {
		if (x->jr.val[x->f[j].dest].type == JR_NONE)
			continue;
		for (i = n++; i > 0 && x->jr.val[x->f[order[i - 1]].dest].off >
		    x->jr.val[x->f[j].dest].off; i--)
			order[i] = order[i - 1];
		order[i] = j;
	}
	x->rec.len = 0;
	for (i = 0; i < n; i++) {
		j = order[i];
		v = &x->jr.val[x->f[j].dest];
		buf_add(&x->rec, x->jr.text + at, v->off - at);
		buf_add(&x->rec, x->num[j], x->nlen[j]);
		at = v->end;
	}
	buf_add(&x->rec, x->jr.text + at, x->jr.tlen - 1 - at);
	/* then the new fields the record did not have */
	for (j = 0; j < x->nf; j++) {
		if (x->jr.val[x->f[j].dest].type != JR_NONE)
			continue;
		if (x->rec.p[x->rec.len - 1] != '{')
			buf_addc(&x->rec, ',');
		jw_key(&x->rec, x->f[j].newname, strlen(x->f[j].newname));
		buf_add(&x->rec, x->num[j], x->nlen[j]);
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
	return pol_finish(&x->pol, status);
}

/* ---- options ----------------------------------------------------- */

#define FX_RATESONLY	"--from, --to, --time-field and --max-age go with " \
			    "--rates"

/* -f field[:newname] */
static void
add_field(struct fx *x, const char *arg)
{
	struct field *f = &x->f[x->nf];
	char *colon;

	if (x->nf == MAXFIELDS)
		errx(EX_USAGE, "-f: at most %d fields", MAXFIELDS);
	f->name = kp_xstrdup(arg);
	if ((colon = strchr(f->name, ':')) != NULL) {
		*colon = '\0';
		f->newname = colon + 1;
		if (*f->newname == '\0' || strchr(f->newname, '.') != NULL)
			errx(EX_USAGE, "-f %s: the new name must be a top-level "
			    "field name, not empty and without '.'", arg);
	}
	f->path = f->dest = jr_addpath(&x->jr, f->name);
	if (f->newname != NULL)
		f->dest = jr_addpath(&x->jr, f->newname);
	x->nf++;
}

static const char *
dest_name(const struct field *f)
{
	return f->newname != NULL ? f->newname : f->name;
}

/* a is b, or a field inside b */
static int
within(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '.');
}

/* No two -f may write the same field, or one inside the other. */
static void
check_fields(const struct fx *x)
{
	const char *a, *b;
	int i, j;

	for (i = 0; i < x->nf; i++)
		for (j = i + 1; j < x->nf; j++) {
			a = dest_name(&x->f[i]);
			b = dest_name(&x->f[j]);
			if (within(a, b) || within(b, a))
				errx(EX_USAGE, "-f: '%s' and '%s' would both "
				    "write %s", x->f[i].name, x->f[j].name,
				    strlen(a) < strlen(b) ? a : b);
		}
}

/* ---- options and the run ------------------------------------------ */

enum { O_ROUND = 256, O_MAXAGE };

/* The options: the rules of each, then what plan() does with them. */
static const struct kp_opt opts[] = {
	{ "field", 'f', KA_STR, 0, 0, .id = 'f' },
	{ "rate", 'r', KA_STR, 0, 0, .excludes = "rates",
	    .xwhy = "give either --rate or --rates",
	    KP_AT(struct fx, ratearg) },
	{ "rates", 0, KA_STR, 0, 0, .needs = "from to",
	    .why = "--rates needs --from and --to",
	    KP_AT(struct fx, ratesfile) },
	{ "time-unit", 0, KA_ENUM, 0, 0, tu_units, .needs = "time-field",
	    .why = "--time-unit goes with --time-field",
	    KP_AT(struct fx, unit) },
	{ "from", 0, KA_STR, 0, 0, .needs = "rates", .why = FX_RATESONLY,
	    KP_AT(struct fx, from) },
	{ "to", 0, KA_STR, 0, 0, .needs = "rates", .why = FX_RATESONLY,
	    KP_AT(struct fx, to) },
	{ "time-field", 't', KA_STR, 0, 0, .needs = "rates",
	    .why = FX_RATESONLY, KP_AT(struct fx, tfield) },
	{ "max-age", 0, KA_DUR, 0, 0, .needs = "rates", .why = FX_RATESONLY,
	    .id = O_MAXAGE },
	{ "round", 0, KA_INT, 0, 30, .id = O_ROUND,
	    KP_AT(struct fx, places) },
	POL_OPTS,
	KP_OPT_HELP,
	{ NULL }
};

/* The options into x: exits 64 on a usage error, and as rates_load()
 * does on a rates file it cannot use. */
static void
plan(struct fx *x, int argc, char **argv)
{
	struct kp_optp p;
	int ch;

	jr_init(&x->jr);
	pol_init(&x->pol, "<stdin>", 0);
	x->tpath = -1;
	x->unit = TU_MS;
	x->max_age = RATES_MAXAGE;
	kp_opt_init(&p, opts, x, usage, argc, argv);
	while ((ch = kp_opt_next(&p)) != -1) {
		if (ch == 'f')
			add_field(x, p.arg);
		else if (ch == O_MAXAGE)
			x->max_age = tu_day(p.num);
		else if (ch == O_ROUND)
			x->round = 1;
		else if (p.opt->off == 0)
			pol_option(&x->pol, ch, p.arg, usage);
	}
	if (x->nf == 0) {
		warnx("name at least one field with -f");
		usage(stderr);
	}
	check_fields(x);
	if ((x->ratearg != NULL) == (x->ratesfile != NULL)) {
		warnx("give either --rate or --rates");
		usage(stderr);
	}
	kp_opt_rules(&p);
	if (x->ratearg != NULL) {
		if (dec_parse(&x->rate, x->ratearg, strlen(x->ratearg)) !=
		    DEC_OK || x->rate.neg || dec_iszero(&x->rate))
			errx(EX_USAGE, "--rate: '%s' is not a positive number",
			    x->ratearg);
	} else {
		rates_load(&x->table, x->ratesfile, x->from, x->to);
		x->use_table = 1;
		x->cday = RATES_UNDATED;
		if (x->tfield != NULL)
			x->tpath = jr_addpath(&x->jr, x->tfield);
	}
	x->jr.copy = &x->copy;
	x->jr.reuse = 1;
}

static void
start(struct fx *x)
{
	out_init(&x->out, STDOUT_FILENO, 1 << 16);
	nd_init(&x->rd, STDIN_FILENO, "<stdin>", x->pol.max_line);
	x->rd.spill = x->pol.dl;
	x->rd.before_block = flush_out;
	x->rd.arg = &x->out;
}

static void
fx_free(struct fx *x)
{
	int i;

	nd_free(&x->rd);
	out_free(&x->out);
	jr_free(&x->jr);
	rates_free(&x->table);
	buf_free(&x->copy);
	buf_free(&x->rec);
	for (i = 0; i < x->nf; i++)
		free(x->f[i].name);
}

int
main(int argc, char **argv)
{
	static struct fx x;
	int status;

	plan(&x, argc, argv);
	kp_signals();
	start(&x);
	status = run(&x);
	fx_free(&x);
	return status;
}
