/* window-agg - windowed GROUP BY over an NDJSON stream.
 *
 * Each record is assigned to its windows (tumbling, hopping or session),
 * and an entry per (window, key) keeps the aggregates. Entries sit in a
 * heap by deadline: a window is emitted when the watermark reaches its
 * end (processing time: the wall clock; event time: the largest event
 * time seen minus --delay, per partition with --partition-field), and
 * freed when the watermark passes end + --lateness. At end of input
 * every open window is emitted, so a replay is complete and the same
 * bytes every time.
 *
 * This file: main, the options, one record, the loop. The rows are
 * written by rows.c, the event-time watermark is watermark.c's, and
 * --position-field's protocol position.c's (window-agg.h: what they
 * share). */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ctl.h"
#include "dec.h"
#include "expr.h"
#include "hold.h"
#include "jrec.h"
#include "jw.h"
#include "kp.h"
#include "ndjson.h"
#include "out.h"
#include "opt.h"
#include "policy.h"
#include "progress.h"
#include "timeu.h"
#include "window.h"
#include "wa.h"

#define WA_MAXVALUES	1000000	/* --max-values default */

static void
usage(FILE *f)
{
	static const struct kp_optdoc docs[] = {
		{ "--tumble size", "fixed windows, one after the other" },
		{ "--hop size --slide step", "overlapping windows every step" },
		{ "--session gap", "a window per burst of a key" },
		{ "--cumulate size --step s", "windows growing by step up to size" },
		{ "-k, --key f[,f...]", "group by these fields (dot paths)" },
		{ "-a name=func(field)", "an aggregate; repeatable (count())" },
		{ "-t, --time-field f", "event time from f, not the wall clock" },
		{ "--time-unit ms|s|us|iso", "how -t is written: default ms" },
		{ "--delay duration", "out-of-orderness the watermark allows" },
		{ "--lateness duration", "keep emitted windows open this long" },
		{ "--late file", "write late records there" },
		{ "--idle duration", "a partition silent that long holds nothing" },
		{ "--idle-advance duration", "quiet input: the clock moves event time" },
		{ "--partition-field f", "one watermark per partition, the min" },
		{ "--partitions n", "how many partitions to wait for" },
		{ "--align duration", "shift the window grid" },
		{ "--time-format sql|iso|ms", "how window times are written" },
		{ "--window-fields which", "start,end (default), start or end" },
		{ "--local-time", "window times in TZ, not UTC" },
		{ "--after time", "drop windows ending at or before it" },
		{ "--max-keys n", "bound on open (window, key) rows" },
		{ "--max-values n", "bound on values a collecting aggregate holds" },
		{ "--where expr", "only records that match" },
		{ "--having expr", "only rows that match" },
		{ "--emit-every duration", "early rows while a window is open" },
		{ "--row-kind field", "+I/+U/-U of each row in field" },
		{ "--retract", "withdraw a replaced row (-U) first" },
		{ "--early-field field", "true in early rows, false else" },
		{ "--top n --by name", "the n rows of a window with most name" },
		{ "--asc", "with --top: the smallest instead" },
		{ "--progress", "live status on standard error" },
		{ "--on-error skip|abort", "what a bad line does: default skip" },
		{ "--dead-letter file", "append bad lines there" },
		{ "--max-line bytes", "longest line: default 64 MiB" },
		{ "-h, --help", "this help" },
		{ "-V, --version", "the version" },
		{ NULL, NULL }
	};

	kp_usage(f,
	    "usage: window-agg (--tumble size | --hop size --slide step | --session gap |\n"
	    "                   --cumulate size --step step)\n"
	    "                  [-k field[,field...]] [-a name=func(field)]...\n"
	    "                  [-t field] [--time-unit ms|s|us|iso] [--delay duration]\n"
	    "                  [--lateness duration] [--late file] [--idle duration]\n"
	    "                  [--idle-advance duration]\n"
	    "                  [--partition-field field] [--partitions n]\n"
	    "                  [--align duration] [--time-format sql|iso|ms]\n"
	    "                  [--window-fields start,end|start|end]\n"
	    "                  [--local-time] [--after time] [--max-keys n] [--progress]\n"
	    "                  [--max-values n] [--where expr] [--having expr]\n"
	    "                  [--emit-every duration] [--row-kind field] [--retract]\n"
	    "                  [--early-field field] [--top n --by name [--asc]]\n"
	    "                  [--position-field field]\n"
	    "                  [--on-error skip|abort] [--dead-letter file]\n"
	    "                  [--max-line bytes]\n", docs);
}

/* ---- options ------------------------------------------------------- */

static void
add_agg(struct wa *w, const char *spec)
{
	int i;

	if (w->nagg == AGG_MAX)
		errx(EX_USAGE, "-a: at most %d aggregates", AGG_MAX);
	agg_parse(&w->agg[w->nagg], spec, &w->jr);
	for (i = 0; i < w->nagg; i++)
		if (strcmp(w->agg[i].name, w->agg[w->nagg].name) == 0)
			errx(EX_USAGE, "-a %s: the name %s is used twice",
			    spec, w->agg[i].name);
	w->nagg++;
}

static void
add_keys(struct wa *w, const char *list)
{
	char *copy = kp_xstrdup(list), *s, *save = NULL;

	for (s = strtok_r(copy, ",", &save); s != NULL;
	    s = strtok_r(NULL, ",", &save)) {
		if (w->nkeys == JR_MAXPATHS)
			errx(EX_USAGE, "--key: too many fields");
		w->keypath[w->nkeys] = jr_addpath(&w->jr, s);
		if (w->nkeys > 0)
			buf_addc(&w->keyname[w->nkeys], ',');
		s = (char *)jr_lastname(&w->jr, w->keypath[w->nkeys]);
		jw_key(&w->keyname[w->nkeys++], s, strlen(s));
	}
	free(copy);
	if (w->nkeys == 0)
		errx(EX_USAGE, "--key: name at least one field");
}

/* Every output field has its own name: keys (by their last part),
 * window_start and window_end when written, and the aggregates. */
static void
check_names(struct wa *w, const char *rowkind, const char *earlyf)
{
	const char *name[JR_MAXPATHS + 4 + AGG_MAX];
	int i, j, n = 0;

	for (i = 0; i < w->nkeys; i++)
		name[n++] = jr_lastname(&w->jr, w->keypath[i]);
	if (w->wstart)
		name[n++] = "window_start";
	if (w->wend)
		name[n++] = "window_end";
	for (i = 0; i < w->nagg; i++)
		name[n++] = w->agg[i].name;
	if (rowkind != NULL)
		name[n++] = rowkind;
	if (earlyf != NULL)
		name[n++] = earlyf;
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(name[i], name[j]) == 0)
				errx(EX_USAGE, "two output fields named %s "
				    "(a key is named by its path's last part)",
				    name[i]);
}

/* --window-fields: start, end or both, in either order. */
static void
window_fields(struct wa *w, const char *list)
{
	char *copy = kp_xstrdup(list), *s, *save = NULL;

	w->wstart = w->wend = 0;
	for (s = strtok_r(copy, ",", &save); s != NULL;
	    s = strtok_r(NULL, ",", &save)) {
		if (strcmp(s, "start") == 0 && !w->wstart)
			w->wstart = 1;
		else if (strcmp(s, "end") == 0 && !w->wend)
			w->wend = 1;
		else
			errx(EX_USAGE, "--window-fields: '%s' is not start, end "
			    "or start,end", list);
	}
	free(copy);
	if (!w->wstart && !w->wend)
		errx(EX_USAGE, "--window-fields: '%s' is not start, end or "
		    "start,end", list);
}

/* ---- one record ---------------------------------------------------- */

/* Read this record's key and values; 0, 2 when --where leaves it out,
 * or the reject() result. */
static int
extract(struct wa *w, const char *line, size_t len, int64_t *ts)
{
	const struct jr_val *v;
	const char *why;
	int i, rc;

	if (jr_parse(&w->jr, line, len) < 0)
		return wa_reject(w, line, len, "%s", w->jr.err);
	if (w->where != NULL && !ex_match(w->where, w->jr.val))
		return 2;	/* not for us */
	if (w->win.event) {
		v = &w->jr.val[w->tpath];
		if (v->type == JR_NONE || v->type == JR_NULL)
			return wa_reject(w, line, len, "time field %s: missing",
			    jr_lastname(&w->jr, w->tpath));
		if ((why = tu_from_value(v->s, v->len, v->type == JR_STR,
		    w->unit, ts)) != NULL)
			return wa_reject(w, line, len, "time field %s: %s",
			    jr_lastname(&w->jr, w->tpath), why);
	} else
		*ts = tu_now_ms();
	for (i = 0; i < w->nagg; i++) {
		if (w->agg[i].path < 0)
			continue;
		v = &w->jr.val[w->agg[i].path];
		w->seen[i] |= v->type != JR_NONE;
		if ((rc = agg_read(&w->agg[i], v, &w->in[i])) == AGG_RANGE)
			return wa_reject(w, line, len, "field %s: %s",
			    jr_lastname(&w->jr, w->agg[i].path), agg_why(rc));
		if (rc != 0)
			return wa_reject(w, line, len, "field %s: %s %s",
			    jr_lastname(&w->jr, w->agg[i].path), agg_why(rc),
			    jr_typename(v->type));
	}
	w->key.len = 0;
	for (i = 0; i < w->nkeys; i++) {
		v = &w->jr.val[w->keypath[i]];
		if (v->type == JR_OBJ || v->type == JR_ARR)
			return wa_reject(w, line, len, "key field %s: expected a "
			    "value, got %s", jr_lastname(&w->jr, w->keypath[i]),
			    jr_typename(v->type));
		buf_add(&w->key, w->keyname[i].p, w->keyname[i].len);
		if (v->type == JR_STR)
			jw_str(&w->key, v->s, v->len);
		else if (v->type == JR_NONE)
			buf_adds(&w->key, "null");
		else
			buf_add(&w->key, v->s, v->len);
	}
	return 0;
}

static void
late(struct wa *w, const char *line, size_t len)
{
	w->nlate++;
	pol_copy(w->late, line, len);
}

/* Every record read and not counted in a window written by this run,
 * and not rejected (the policy says those): said at exit, one line a
 * kind. */
static void
uncounted(struct wa *w)
{
	char t[TU_FMT_MAX], u[TU_FMT_MAX];

	if (w->nlate > 0)
		warnx("%llu late records dropped%s%s", w->nlate,
		    w->late ? ", copied to " : "", w->late ? w->latepath : "");
	if (w->nwritten > 0)
		warnx("%llu records only in windows written already (ending "
		    "at or before --after, or the after of an assign line): "
		    "not counted again", w->nwritten);
	if (w->nafter > 0)
		warnx("%llu session rows ending at or before --after: not "
		    "written", w->nafter);
	if (w->ngap > 0)
		warnx("%llu records between hopping windows (--slide larger "
		    "than --hop): in no window", w->ngap);
	if (w->nrevoked > 0)
		warnx("%llu records held in open windows dropped at revokes: "
		    "the next owner of their partitions reads them again",
		    w->nrevoked);
	if (w->tailn > 0) {
		t[tu_fmt(w->tail0, TF_ISO, 0, t)] = '\0';
		u[tu_fmt(w->tail1, TF_ISO, 0, u)] = '\0';
		warnx("end of input: %zu rows of the windows ending %s%s%s, "
		    "beyond the watermark, written without a position (not "
		    "provably complete: a later record may fall in them); "
		    "ksink --exactly-once (or --position-field) leaves them to the "
		    "next run",
		    w->tailn, t, w->tail1 > w->tail0 ? " to " : "",
		    w->tail1 > w->tail0 ? u : "");
	}
}

static int
take(struct wa *w, const char *line, size_t len)
{
	int64_t ts;
	int rc;

	if ((rc = extract(w, line, len, &ts)) == 2)
		pol_take(&w->pol);	/* left out by --where, not rejected */
	if (w->eo) {	/* every record takes its offset */
		if (rc >= 0 && wpos_next(w, line, len, ts, rc == 0) < 0)
			return -1;
	} else if (rc == 0 && w->poskey.len > 0)
		rc = wpos_record(w, line, len, ts);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!w->win.event)
		win_advance(&w->win, ts);
	switch (win_add(&w->win, ts, w->key.p, w->key.len, w->in)) {
	case WIN_LATE:
		pol_take(&w->pol);	/* counted as late, not rejected */
		late(w, line, len);
		break;
	case WIN_FULL:
		if (wa_reject(w, line, len, "more than %zu open (window, key) "
		    "states (--max-keys)", w->win.max_keys) < 0)
			return -1;
		break;
	case WIN_TOOBIG:
		if (wa_reject(w, line, len, "aggregate %s: more than %zu values "
		    "in one (window, key) (--max-values)",
		    w->agg[w->win.toobig].name,
		    w->agg[w->win.toobig].max_values) < 0)
			return -1;
		break;
	case WIN_WRITTEN:
		pol_take(&w->pol);	/* counted: in windows written already */
		w->nwritten++;
		break;
	case WIN_GAP:
		pol_take(&w->pol);	/* counted: between hopping windows */
		w->ngap++;
		break;
	default:
		pol_take(&w->pol);
	}
	if (w->win.event) {
		if (w->ppath >= 0)
			wm_see(w, &w->jr.val[w->ppath], ts);
		if (ts > w->maxts)
			w->maxts = ts;
		win_advance(&w->win, wm_event(w));
	}
	return 0;
}

/* One record: 0, or -1 to stop. */
static int
record(struct wa *w, const char *line, size_t len)
{
	int rc = take(w, line, len);

	wpos_replayed(w);	/* a restart's records read again, all in */
	return rc;
}

/* ---- the loop ------------------------------------------------------ */

static void
flush_out(void *arg)
{
	struct wa *w = arg;

	out_sync(&w->out);
	if (w->late != NULL)
		fflush(w->late);
}

/* ms from now until time t (of the same clock), as a poll timeout:
 * 0 when past, at most a minute. */
static int
until(int64_t t, int64_t now)
{
	return t <= now ? 0 : t - now > 60000 ? 60000 : (int)(t - now);
}

/* How long to wait for input before a timer is due, in ms (-1: no
 * timer). Processing time: the next window's end (or --emit-every
 * tick) on the wall clock.
 * Event time with --idle and --partition-field: the moment the next
 * partition turns idle, which may let the watermark move to the others'.
 * With --idle-advance: the moment the input turns quiet; once quiet, the
 * watermark runs on from the latest record (wm_advance()), so the moment
 * it reaches the next window's end, or none when no window is open or no
 * record came yet. */
static int
timeout(struct wa *w)
{
	struct ent *e = st_top(&w->win.st);
	int64_t now, t, next = win_next_early(&w->win);

	if (e != NULL && e->deadline < next)
		next = e->deadline;	/* the watermark that is due next */
	if (!w->win.event)
		return next == INT64_MAX ? -1 : until(next, tu_now_ms());
	now = tu_mono_ms();
	t = wm_timer(w, next, now);
	return t == INT64_MAX ? -1 : until(t, now);
}

/* --progress: records in, the watermark, open rows, late, rows out. */
static void
progress(struct wa *w, int64_t now)
{
	char wm[TU_FMT_MAX + 16] = "watermark none yet";

	if (!w->win.event)
		snprintf(wm, sizeof(wm), "processing time");
	else if (w->win.wm != WM_NONE)
		wm[10 + tu_fmt(w->win.wm, TF_SQL, 0, wm + 10)] = '\0';
	pg_show(&w->pg, now, "%llu records in, %.0f/s, %s, %zu open rows, "
	    "%llu late, %llu rows out", (unsigned long long)w->rd.lineno,
	    pg_rate(&w->pg, w->rd.lineno, now), wm, w->win.st.n, w->nlate,
	    w->out.records);
}

/* The input ended (status 0), or the run stopped (a signal, or status):
 * the open windows written or dropped, what was not counted said; the
 * exit status. */
static int
finish(struct wa *w, int status)
{
	size_t open;
	int i;

	if (kp_stop || status != 0) {
		/* stopped: what is complete was written; open windows are
		 * not, a replay completes them */
		if ((open = win_drop(&w->win)) > 0)
			warnx("stopped: %zu open (window, key) rows not emitted%s",
			    open, kp_stop ? " (to have them, end the input "
			    "instead: Ctrl-D, or stop the command before "
			    "window-agg)" : "");
	} else {
		/* end of input: emit everything; but with no position on
		 * these rows, as the end may be an upstream crash, and a
		 * window beyond the watermark may still get records: ksink
		 * commits none of them, and the next run writes them again */
		w->tail = w->poskey.len > 0;
		w->poskey.len = 0;
		win_advance(&w->win, INT64_MAX);
	}
	out_sync(&w->out);
	for (i = 0; i < w->nagg && w->nrec > 0; i++)
		if (w->agg[i].path >= 0 && !w->seen[i])
			warnx("%s: no record had the field %s (misspelt?)",
			    w->agg[i].name, w->agg[i].field);
	if (w->failed && status == 0)
		status = EX_DATAERR;
	pg_done(&w->pg, "%llu records in, %llu rows out, %llu late in %.1f s",
	    (unsigned long long)w->rd.lineno, w->out.records, w->nlate,
	    (double)(tu_mono_ms() - w->pg.t0) / 1000);
	uncounted(w);
	if (w->late != NULL && (fflush(w->late) != 0 || ferror(w->late))) {
		warn("--late %s", w->latepath);
		status = status ? status : EX_IOERR;
	}
	return pol_finish(&w->pol, status);
}

static int
run(struct wa *w)
{
	const char *line;
	size_t len;
	unsigned n = 0;
	int rc, status = 0, to;
	int64_t now;

	w->lastinput = tu_mono_ms();
	pg_init(&w->pg, w->pg.on);
	while (!kp_stop) {
		to = timeout(w);
		if (w->pg.on && (to < 0 || to > w->pg.every))
			to = (int)w->pg.every;	/* a status line is due */
		rc = nd_next(&w->rd, &line, &len, to);
		if (w->pg.on && (rc != ND_LINE || (++n & 1023) == 0) &&
		    pg_due(&w->pg, tu_mono_ms()))
			progress(w, tu_mono_ms());
		if (rc == ND_LINE) {
			now = tu_mono_ms();
			if (w->idle > 0 && now - w->lastinput >= w->idle)
				wm_stalled(w, now - w->lastinput);
			w->lastinput = now;
			if (w->started == 0)	/* --idle counts from here */
				w->started = w->lastinput;
			if (ctl_torn(w->eo, w->rd.torn, w->rd.lineno))
				;	/* dropped */
			else if (pos_control(line, len))
				rc = wpos_control(w, line, len);
			else {
				w->nrec++;
				rc = record(w, line, len);
			}
			if (rc < 0 || w->failed) {
				status = EX_DATAERR;
				break;
			}
		} else if (rc == ND_TIMEOUT) {
			if (!w->win.event)
				win_advance(&w->win, tu_now_ms());
			else if (w->advance > 0 &&
			    tu_mono_ms() - w->lastinput >= w->advance)
				win_advance(&w->win, wm_advance(w));
			else if (w->idle > 0 && w->ppath >= 0)
				win_advance(&w->win, wm_event(w));
		} else if (rc == ND_GONE) {
			/* the reader of the rows went away: no one to write
			 * the open windows to */
			win_drop(&w->win);
			break;
		} else if ((status = pol_input(&w->pol, &w->rd, rc)) != 0) {
			if (status < 0)		/* end of input */
				status = 0;
			break;
		}
	}
	return finish(w, status);
}

/* ---- setup -------------------------------------------------------- */

/* Parse the command line into the plan in w (zeroed first). Exits 64 on
 * a usage error and 74 when --late or --dead-letter cannot be opened;
 * the --late path and the option arguments stay borrowed from argv. */
static void
plan(struct wa *w, int argc, char **argv)
{
	enum { O_TUMBLE = 256, O_HOP, O_SLIDE, O_SESSION, O_ALIGN, O_UNIT,
	    O_DELAY, O_LATENESS, O_LATE, O_IDLE, O_PART, O_TFMT, O_LOCAL,
	    O_AFTER, O_MAXKEYS, O_NPARTS, O_WFIELDS, O_MAXVALUES, O_WHERE,
	    O_HAVING, O_CUMULATE, O_STEP, O_EVERY, O_ROWKIND, O_RETRACT,
	    O_EARLYF, O_TOP, O_BY, O_ASC, O_PROGRESS, O_POS, O_ADVANCE };
	static const struct option longopts[] = {
		{ "tumble", required_argument, NULL, O_TUMBLE },
		{ "hop", required_argument, NULL, O_HOP },
		{ "slide", required_argument, NULL, O_SLIDE },
		{ "cumulate", required_argument, NULL, O_CUMULATE },
		{ "emit-every", required_argument, NULL, O_EVERY },
		{ "row-kind", required_argument, NULL, O_ROWKIND },
		{ "retract", no_argument, NULL, O_RETRACT },
		{ "early-field", required_argument, NULL, O_EARLYF },
		{ "top", required_argument, NULL, O_TOP },
		{ "by", required_argument, NULL, O_BY },
		{ "asc", no_argument, NULL, O_ASC },
		{ "step", required_argument, NULL, O_STEP },
		{ "session", required_argument, NULL, O_SESSION },
		{ "align", required_argument, NULL, O_ALIGN },
		{ "key", required_argument, NULL, 'k' },
		{ "agg", required_argument, NULL, 'a' },
		{ "time-field", required_argument, NULL, 't' },
		{ "time-unit", required_argument, NULL, O_UNIT },
		{ "delay", required_argument, NULL, O_DELAY },
		{ "lateness", required_argument, NULL, O_LATENESS },
		{ "late", required_argument, NULL, O_LATE },
		{ "idle", required_argument, NULL, O_IDLE },
		{ "idle-advance", required_argument, NULL, O_ADVANCE },
		{ "partition-field", required_argument, NULL, O_PART },
		{ "partitions", required_argument, NULL, O_NPARTS },
		{ "time-format", required_argument, NULL, O_TFMT },
		{ "local-time", no_argument, NULL, O_LOCAL },
		{ "window-fields", required_argument, NULL, O_WFIELDS },
		{ "after", required_argument, NULL, O_AFTER },
		{ "position-field", required_argument, NULL, O_POS },
		{ "max-keys", required_argument, NULL, O_MAXKEYS },
		{ "max-values", required_argument, NULL, O_MAXVALUES },
		{ "where", required_argument, NULL, O_WHERE },
		{ "having", required_argument, NULL, O_HAVING },
		{ "progress", no_argument, NULL, O_PROGRESS },
		POL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tfield = NULL, *pfield = NULL, *posfield = NULL;
	size_t maxvalues = WA_MAXVALUES;
	const char *where = NULL, *having = NULL, *rowkind = NULL;
	const char *earlyf = NULL, *by = NULL;
	char why[160];
	int ch, nwin = 0, i;
	int64_t hop = 0, slide = 0, step = 0;

	memset(w, 0, sizeof(*w));
	jr_init(&w->jr);
	pol_init(&w->pol, "<stdin>", 0);
	w->tpath = w->ppath = -1;
	w->unit = TU_MS;
	w->tfmt = TF_SQL;
	w->wstart = w->wend = 1;
	while ((ch = kp_getopt(argc, argv, "k:a:t:hV", longopts)) !=
	    -1) {
		switch (ch) {
		case O_TUMBLE:
			w->win.kind = W_TUMBLE, nwin++;
			w->win.size = w->win.slide = tu_duration_opt(optarg,
			    "--tumble", 1);
			break;
		case O_HOP:
			w->win.kind = W_HOP, nwin++;
			hop = tu_duration_opt(optarg, "--hop", 1);
			break;
		case O_EVERY:
			w->win.early = tu_duration_opt(optarg, "--emit-every",
			    1);
			break;
		case O_ROWKIND:
			rowkind = optarg;
			break;
		case O_RETRACT:
			w->retract = 1;
			break;
		case O_EARLYF:
			earlyf = optarg;
			break;
		case O_TOP:
			w->top = (size_t)kp_num(optarg, 1, INT32_MAX, "--top");
			break;
		case O_BY:
			by = optarg;
			break;
		case O_ASC:
			w->asc = 1;
			break;
		case O_CUMULATE:
			w->win.kind = W_CUMULATE, nwin++;
			w->win.size = tu_duration_opt(optarg, "--cumulate", 1);
			break;
		case O_STEP:
			step = tu_duration_opt(optarg, "--step", 1);
			break;
		case O_SLIDE:
			slide = tu_duration_opt(optarg, "--slide", 1);
			break;
		case O_SESSION:
			w->win.kind = W_SESSION, nwin++;
			w->win.size = tu_duration_opt(optarg, "--session", 1);
			break;
		case O_ALIGN:
			w->win.align = tu_duration_opt(optarg, "--align", 0);
			break;
		case 'k':
			add_keys(w, optarg);
			break;
		case 'a':
			add_agg(w, optarg);
			break;
		case 't':
			tfield = optarg;
			break;
		case O_UNIT:
			w->unit = kp_choice(optarg, tu_units, "--time-unit");
			break;
		case O_DELAY:
			w->delay = tu_duration_opt(optarg, "--delay", 0);
			break;
		case O_LATENESS:
			w->win.lateness = tu_duration_opt(optarg, "--lateness", 0);
			break;
		case O_LATE:
			w->latepath = optarg;
			break;
		case O_IDLE:
			w->idle = tu_duration_opt(optarg, "--idle", 1);
			break;
		case O_ADVANCE:
			w->advance = tu_duration_opt(optarg, "--idle-advance",
			    1);
			break;
		case O_PART:
			pfield = optarg;
			break;
		case O_NPARTS:
			w->npartitions = (size_t)kp_num(optarg, 1, 1000000,
			    "--partitions");
			break;
		case O_TFMT:
			w->tfmt = kp_choice(optarg, tu_formats, "--time-format");
			break;
		case O_LOCAL:
			w->local = 1;
			break;
		case O_WFIELDS:
			window_fields(w, optarg);
			break;
		case O_POS:
			posfield = optarg;
			break;
		case O_AFTER:
			w->after = tu_time_opt(optarg, "--after", INT64_MIN);
			w->has_after = 1;
			break;
		case O_MAXKEYS:
			w->win.max_keys = (size_t)kp_num(optarg, 1, INT64_MAX,
			    "--max-keys");
			break;
		case O_PROGRESS:
			w->pg.on = 1;
			break;
		case O_WHERE:
			where = optarg;
			break;
		case O_HAVING:
			having = optarg;
			break;
		case O_MAXVALUES:
			maxvalues = (size_t)kp_num(optarg, 1, UINT32_MAX / 64,
			    "--max-values");
			break;
		default:
			pol_option(&w->pol, ch, optarg, usage);
		}
	}
	if (optind != argc)
		usage(stderr);
	if (nwin != 1) {
		warnx("choose one of --tumble, --hop, --session and --cumulate");
		usage(stderr);
	}
	if (w->win.kind == W_HOP) {
		if (slide == 0)
			errx(EX_USAGE, "--hop needs --slide");
		w->win.size = hop;
		w->win.slide = slide;
		if ((w->win.size + w->win.slide - 1) / w->win.slide > WIN_MAXHOP)
			errx(EX_USAGE, "--hop %s: more than %d windows per "
			    "record; use a larger --slide", "size", WIN_MAXHOP);
	} else if (slide != 0)
		errx(EX_USAGE, "--slide goes with --hop");
	if (w->win.kind == W_CUMULATE) {
		if (step == 0)
			errx(EX_USAGE, "--cumulate needs --step");
		if (w->win.size % step != 0)
			errx(EX_USAGE, "--cumulate: the size is not a whole "
			    "number of --step (as Flink's CUMULATE requires)");
		if (w->win.size / step > WIN_MAXHOP)
			errx(EX_USAGE, "--cumulate: more than %d steps; use a "
			    "larger --step", WIN_MAXHOP);
		w->win.slide = step;
		w->win.align %= w->win.size;
	} else if (step != 0)
		errx(EX_USAGE, "--step goes with --cumulate");
	if (w->win.kind != W_SESSION && w->win.kind != W_CUMULATE &&
	    w->win.align >= w->win.slide)
		w->win.align %= w->win.slide;
	if (tfield != NULL) {
		w->win.event = 1;
		w->tpath = jr_addpath(&w->jr, tfield);
	} else if (w->delay || w->win.lateness || w->idle || w->advance ||
	    pfield || w->latepath)
		errx(EX_USAGE, "--delay, --lateness, --late, --idle, "
		    "--idle-advance and --partition-field need event time "
		    "(--time-field)");
	if (pfield != NULL)
		w->ppath = jr_addpath(&w->jr, pfield);
	else if (w->npartitions > 0)
		errx(EX_USAGE, "--partitions goes with --partition-field");
	else if (w->idle > 0)
		errx(EX_USAGE, "--idle goes with --partition-field: it lets a "
		    "silent partition stop holding the watermark back, and a "
		    "silent input never moves it (--idle-advance runs event "
		    "time on the wall clock instead)");
	if (posfield != NULL) {
		if (!w->win.event || w->win.kind == W_SESSION ||
		    w->win.lateness > 0 || w->top > 0)
			errx(EX_USAGE, "--position-field needs event time "
			    "(--time-field), --tumble or --hop, and no "
			    "--lateness or --top");
		if (*posfield == '\0')
			errx(EX_USAGE, "--position-field: empty name");
		buf_addc(&w->poskey, ',');
		jw_key(&w->poskey, posfield, strlen(posfield));
		w->pospath = jr_addpath(&w->jr, "topic");
		(void)jr_addpath(&w->jr, "partition");
		(void)jr_addpath(&w->jr, "offset");
		wpos_init(w);
	}
	if (w->nagg == 0)
		add_agg(w, "count=count()");
	for (i = 0; i < w->nagg; i++)
		w->agg[i].max_values = maxvalues;
	if (where != NULL && (w->where = ex_compile(where, &w->jr, why,
	    sizeof(why))) == NULL)
		errx(EX_USAGE, "--where %s: %s", where, why);
	jr_init(&w->rowjr);
	if (rowkind != NULL) {
		buf_addc(&w->kindkey, ',');
		jw_key(&w->kindkey, rowkind, strlen(rowkind));
	} else if (w->retract)
		errx(EX_USAGE, "--retract needs --row-kind (its -U rows)");
	if (earlyf != NULL) {
		buf_addc(&w->earlykey, ',');
		jw_key(&w->earlykey, earlyf, strlen(earlyf));
	}
	if (w->top > 0) {
		if (by == NULL)
			errx(EX_USAGE, "--top needs --by (an aggregate's name)");
		for (i = 0; i < w->nagg && strcmp(w->agg[i].name, by) != 0;
		    i++)
			;
		if (i == w->nagg)
			errx(EX_USAGE, "--by %s: not an aggregate's name", by);
		if (w->win.kind == W_SESSION || w->win.lateness > 0 ||
		    w->win.early > 0)
			errx(EX_USAGE, "--top ranks the rows of each tumbling, "
			    "hopping or cumulating window once, when it closes: "
			    "not with --session, --lateness or --emit-every");
		w->bypath = jr_addpath(&w->rowjr, by);
	} else if (by != NULL || w->asc)
		errx(EX_USAGE, "--by and --asc go with --top");
	if (having != NULL && (w->having = ex_compile(having, &w->rowjr, why,
	    sizeof(why))) == NULL)
		errx(EX_USAGE, "--having %s: %s", having, why);
	check_names(w, rowkind, earlyf);
	if (w->latepath != NULL && (w->late = fopen(w->latepath, "a")) ==
	    NULL)
		err(EX_IOERR, "--late %s", w->latepath);
}

/* Ready the run: NDJSON read from fd in, rows written to fd out. */
static void
start(struct wa *w, int in, int out)
{
	w->maxts = WM_NONE;
	w->lastend = w->has_after ? w->after : NOTHING;
	w->win.agg = w->agg;
	w->win.nagg = w->nagg;
	w->win.emit = row_emit;
	if (w->top > 0)
		w->win.flush = row_flush_top;
	w->win.arg = w;
	win_start(&w->win);
	if (w->has_after && w->win.kind != W_SESSION)
		w->win.floor = w->after;	/* so its records are counted */
	out_init(&w->out, out, 1 << 16);
	nd_init(&w->rd, in, "<stdin>", w->pol.max_line);
	w->rd.spill = w->pol.dl;
	w->rd.before_block = flush_out;
	w->rd.watch = out;
	w->rd.arg = w;
}

/* Free what plan() and start() made; the fds are the caller's. */
static void
wa_free(struct wa *w)
{
	int j;

	if (w->late != NULL)
		fclose(w->late);
	win_free(&w->win);
	nd_free(&w->rd);
	out_free(&w->out);
	jr_free(&w->jr);
	jr_free(&w->rowjr);
	jr_free(&w->ctl);
	ex_free(w->where);
	buf_free(&w->kindkey);
	buf_free(&w->earlykey);
	buf_free(&w->held);
	free(w->ranked);
	ex_free(w->having);
	buf_free(&w->key);
	buf_free(&w->row);
	buf_free(&w->poskey);
	hold_free(&w->posh);
	wm_reset(w);
	free(w->parts);
	for (j = 0; j < w->nagg; j++) {
		agg_clear(&w->agg[j]);
		buf_free(&w->in[j].tb);
	}
	for (j = 0; j < w->nkeys; j++)
		buf_free(&w->keyname[j]);
}

int
main(int argc, char **argv)
{
	static struct wa w;
	int status;

	plan(&w, argc, argv);
	kp_signals();
	start(&w, STDIN_FILENO, STDOUT_FILENO);
	status = run(&w);
	wa_free(&w);
	return status;
}
