/* kplot - plot a numeric field of NDJSON rows over a time field, one
 * series a key: live on a terminal (redrawn in place with plain ANSI
 * escapes), as text at the end of input elsewhere, and as an SVG file for
 * a report. Made for window-agg's rows:
 *	... | window-agg --tumble 6s -k seller_id -a 's=sum(amount_usd)' \
 *	    | kplot -y s -k seller_id --svg sales.svg */
#include <sys/ioctl.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "jrec.h"
#include "kp.h"
#include "ndjson.h"
#include "opt.h"
#include "policy.h"
#include "pos.h"
#include "timeu.h"

#define REDRAW_MS	250	/* a terminal is redrawn at most this often */
#define SVG_MS		5000	/* the SVG file is rewritten this often */

/* What the options ask for. */
struct plan {
	const char	*xfield, *yfield, *kfields;
	int		 unit;		/* --time-unit of the x field */
	const char	*svg;		/* --svg file */
	int		 width, height;	/* the text chart; 0: the terminal's */
	int		 svgw, svgh;
	size_t		 last;		/* --last; 0: every point */
	const char	*title;
};

/* The run. */
struct kp {
	const struct plan *pl;
	struct policy	 pol;
	struct nd_reader rd;
	struct jrec	 jr;
	int		 xpath, ypath, kpath[JR_MAXPATHS], nk;
	struct chart	 ch;
	struct buf	 key, out, title;
	int		 live;		/* standard output is a terminal */
	int		 dirty;		/* rows since the last drawing */
	int		 unsaved;	/* rows since the last SVG */
	int64_t		 drawn, saved;	/* when, tu_mono_ms() */
};

static void
usage(FILE *f)
{
	static const struct kp_optdoc docs[] = {
		{ "-y, --value field", "the number to plot" },
		{ "-x, --time field", "the time of each row (window_end)" },
		{ "-k, --key field[,field]", "one series a key (at most 12)" },
		{ "--time-unit ms|s|us|iso", "how -x is written, when a number" },
		{ "--svg file", "also write the chart there as SVG" },
		{ "--svg-size WxH", "its size in pixels (900x420)" },
		{ "-w, --width N", "text chart columns (the terminal's)" },
		{ "-H, --height N", "text chart lines (the terminal's)" },
		{ "--last N", "points kept a series (all)" },
		{ "--title text", "the title (value by key)" },
		{ "--on-error skip|abort", "what a bad row does" },
		{ "--dead-letter file", "append bad rows there" },
		{ "--max-line bytes", "the longest line read (64 MiB)" },
		{ "-h, --help", "this help" },
		{ "-V, --version", "the version" },
		{ NULL, NULL }
	};

	kp_usage(f,
	    "usage: kplot -y field [-x field] [-k field[,field...]]\n"
	    "             [--time-unit ms|s|us|iso] [--svg file] [--svg-size WxH]\n"
	    "             [-w width] [-H height] [--last count] [--title text]\n"
	    "             [--on-error skip|abort] [--dead-letter file]\n"
	    "             [--max-line bytes]\n", docs);
}

/* ---- drawing -------------------------------------------------------- */

/* The text chart on standard output: on a terminal redrawn in place
 * (cursor home, each line cleared, the rest of the screen cleared). */
static void
draw(struct kp *k)
{
	struct winsize ws;
	int w = k->pl->width, h = k->pl->height;

	if (k->live && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		if (w == 0)
			w = ws.ws_col;
		if (h == 0)
			h = ws.ws_row - 1;
	}
	k->out.len = 0;
	if (k->live)
		buf_adds(&k->out, "\033[H");
	ch_text(&k->ch, &k->out, w ? w : 80, h ? h : 20, k->live);
	if (k->live)
		buf_adds(&k->out, "\033[J");
	if (fwrite(k->out.p, 1, k->out.len, stdout) != k->out.len ||
	    fflush(stdout) != 0) {
		if (errno == EPIPE)
			exit(0);
		err(EX_IOERR, "write to standard output");
	}
	k->drawn = tu_mono_ms();
	k->dirty = 0;
}

/* The SVG file, replaced whole (written aside, then renamed). */
static int
save(struct kp *k)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", k->pl->svg);
	k->out.len = 0;
	ch_svg(&k->ch, &k->out, k->pl->svgw, k->pl->svgh);
	if ((f = fopen(tmp, "w")) == NULL ||
	    fwrite(k->out.p, 1, k->out.len, f) != k->out.len ||
	    fclose(f) != 0 || rename(tmp, k->pl->svg) != 0) {
		warn("--svg %s", k->pl->svg);
		return -1;
	}
	k->saved = tu_mono_ms();
	k->unsaved = 0;
	return 0;
}

/* ---- rows ----------------------------------------------------------- */

/* One row: its key, time and value into the chart. 0 go on; -1 stop
 * (--on-error=abort). */
static int
row(struct kp *k, const char *line, size_t len)
{
	const struct jr_val *v;
	const char *why;
	char *end, num[64];
	double y;
	int64_t t;
	int i;

	if (pos_control(line, len))
		return 0;	/* an exactly-once job's control line */
	if (jr_parse(&k->jr, line, len) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len, "%s",
		    k->jr.err);
	v = &k->jr.val[k->xpath];
	why = v->type == JR_NONE || v->type == JR_NULL ? "missing" :
	    v->type != JR_STR && v->type != JR_NUM ? "not a time" :
	    tu_from_value(v->s, v->len, v->type == JR_STR, k->pl->unit, &t);
	if (why != NULL)
		return pol_reject(&k->pol, k->rd.lineno, line, len,
		    "time field %s: %s", k->pl->xfield, why);
	v = &k->jr.val[k->ypath];
	if (v->type != JR_NUM || v->len >= sizeof(num))
		return pol_reject(&k->pol, k->rd.lineno, line, len,
		    "value field %s: %s", k->pl->yfield, v->type == JR_NONE ?
		    "missing" : "not a number");
	memcpy(num, v->s, v->len);
	num[v->len] = '\0';
	y = strtod(num, &end);
	k->key.len = 0;
	for (i = 0; i < k->nk; i++) {
		v = &k->jr.val[k->kpath[i]];
		if (i > 0)
			buf_addc(&k->key, ',');
		if (v->type == JR_STR || v->type == JR_NUM || v->type == JR_BOOL)
			buf_add(&k->key, v->s, v->len);
		else if (v->type == JR_NULL || v->type == JR_NONE)
			buf_adds(&k->key, "null");
		else
			return pol_reject(&k->pol, k->rd.lineno, line, len,
			    "key field %s: %s", jr_lastname(&k->jr,
			    k->kpath[i]), "an object or an array");
	}
	if (k->nk == 0)
		buf_add(&k->key, k->pl->yfield, strlen(k->pl->yfield));
	if (ch_add(&k->ch, k->key.p, k->key.len, t, y) < 0 &&
	    k->ch.dropped == 1)
		warnx("<stdin>:%llu: more than %d keys: the rows of the others "
		    "are not drawn", k->rd.lineno, CH_MAXSERIES);
	k->dirty = k->unsaved = 1;
	pol_take(&k->pol);
	return 0;
}

static void
flush_out(void *arg)
{
	struct kp *k = arg;

	if (k->live && k->dirty)
		draw(k);
}

/* Read rows until the end of input or a stop request; redraw as they
 * come. The exit status so far: 0, 65 (abort) or 74. */
static int
run(struct kp *k)
{
	const char *line;
	size_t len;
	int rc;

	while (!kp_stop) {
		rc = nd_next(&k->rd, &line, &len, k->live || k->pl->svg ?
		    REDRAW_MS : -1);
		if (rc == ND_LINE) {
			if (row(k, line, len) < 0)
				return EX_DATAERR;
		} else if (rc != ND_TIMEOUT &&
		    (rc = pol_input(&k->pol, &k->rd, rc)) != 0)
			return rc < 0 ? 0 : rc;
		if (k->live && k->dirty &&
		    tu_mono_ms() - k->drawn >= REDRAW_MS)
			draw(k);
		if (k->pl->svg != NULL && k->unsaved &&
		    tu_mono_ms() - k->saved >= SVG_MS)
			(void)save(k);
	}
	return 0;
}

/* ---- start and finish ---------------------------------------------- */

static void
start(struct kp *k, const struct plan *pl)
{
	const char *f, *c;
	char name[256];

	k->pl = pl;
	jr_init(&k->jr);
	k->xpath = jr_addpath(&k->jr, pl->xfield);
	k->ypath = jr_addpath(&k->jr, pl->yfield);
	for (f = pl->kfields; f != NULL && *f != '\0'; f = *c ? c + 1 : c) {
		c = f + strcspn(f, ",");
		if (c == f || c - f >= (long)sizeof(name))
			errx(EX_USAGE, "-k %s: an empty or overlong field name",
			    pl->kfields);
		if (k->nk == JR_MAXPATHS - 2)
			errx(EX_USAGE, "-k: at most %d fields", JR_MAXPATHS - 2);
		snprintf(name, sizeof(name), "%.*s", (int)(c - f), f);
		k->kpath[k->nk++] = jr_addpath(&k->jr, name);
	}
	/* the title: value by key */
	buf_add(&k->title, pl->yfield, strlen(pl->yfield));
	if (pl->kfields != NULL) {
		buf_adds(&k->title, " by ");
		buf_add(&k->title, pl->kfields, strlen(pl->kfields));
	}
	k->ch.title = pl->title != NULL ? pl->title : buf_cstr(&k->title);
	k->ch.last = pl->last;
	k->live = isatty(STDOUT_FILENO);
	nd_init(&k->rd, STDIN_FILENO, "<stdin>", k->pol.max_line);
	k->rd.spill = k->pol.dl;
	k->rd.before_block = flush_out;
	k->rd.arg = k;
	if (k->live)	/* a clean screen to redraw on */
		fputs("\033[H\033[2J", stdout);
}

/* The last drawing (the only one off a terminal, unless --svg), the SVG
 * file; the status: status, or 74 when the SVG could not be written. */
static int
finish(struct kp *k, int status)
{
	if (k->ch.ns > 0 && (k->live || k->pl->svg == NULL))
		draw(k);
	else if (k->ch.ns == 0 && k->pl->svg == NULL)
		warnx("no rows to draw");
	if (k->pl->svg != NULL && save(k) < 0 && status == 0)
		status = EX_IOERR;
	if (k->ch.dropped > 0)
		warnx("%llu rows of keys past the first %d not drawn",
		    k->ch.dropped, CH_MAXSERIES);
	status = pol_finish(&k->pol, status);
	ch_free(&k->ch);
	jr_free(&k->jr);
	nd_free(&k->rd);
	buf_free(&k->key);
	buf_free(&k->out);
	buf_free(&k->title);
	return status;
}

/* ---- options -------------------------------------------------------- */

static void
plan(struct plan *pl, struct policy *pol, int argc, char **argv)
{
	enum { O_UNIT = 256, O_SVG, O_SVGSIZE, O_LAST, O_TITLE };
	static const struct option longopts[] = {
		{ "value", required_argument, NULL, 'y' },
		{ "time", required_argument, NULL, 'x' },
		{ "key", required_argument, NULL, 'k' },
		{ "time-unit", required_argument, NULL, O_UNIT },
		{ "svg", required_argument, NULL, O_SVG },
		{ "svg-size", required_argument, NULL, O_SVGSIZE },
		{ "width", required_argument, NULL, 'w' },
		{ "height", required_argument, NULL, 'H' },
		{ "last", required_argument, NULL, O_LAST },
		{ "title", required_argument, NULL, O_TITLE },
		POL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char *x;
	int ch;

	pol_init(pol, "<stdin>", 0);
	pl->xfield = "window_end";
	pl->unit = TU_MS;
	pl->svgw = 900;
	pl->svgh = 420;
	while ((ch = kp_getopt(argc, argv, "y:x:k:w:H:hV", longopts)) != -1) {
		switch (ch) {
		case 'y':
			pl->yfield = optarg;
			break;
		case 'x':
			pl->xfield = optarg;
			break;
		case 'k':
			pl->kfields = optarg;
			break;
		case O_UNIT:
			pl->unit = kp_choice(optarg, tu_units, "--time-unit");
			break;
		case O_SVG:
			pl->svg = optarg;
			break;
		case O_SVGSIZE:
			x = strchr(optarg, 'x');
			if (x == NULL)
				errx(EX_USAGE, "--svg-size: '%s' is not WxH",
				    optarg);
			*x = '\0';
			pl->svgw = (int)kp_num(optarg, 300, 10000,
			    "--svg-size width");
			pl->svgh = (int)kp_num(x + 1, 200, 10000,
			    "--svg-size height");
			break;
		case 'w':
			pl->width = (int)kp_num(optarg, 30, 1000, "-w");
			break;
		case 'H':
			pl->height = (int)kp_num(optarg, 8, 1000, "-H");
			break;
		case O_LAST:
			pl->last = (size_t)kp_num(optarg, 2, 100000000,
			    "--last");
			break;
		case O_TITLE:
			pl->title = optarg;
			break;
		default:
			pol_option(pol, ch, optarg, usage);
		}
	}
	if (optind != argc)
		usage(stderr);
	if (pl->yfield == NULL)
		errx(EX_USAGE, "name the number to plot with -y field");
}

int
main(int argc, char **argv)
{
	static struct plan pl;
	static struct kp k;
	int status;

	plan(&pl, &k.pol, argc, argv);
	kp_signals();
	start(&k, &pl);
	status = run(&k);
	return finish(&k, status);
}
