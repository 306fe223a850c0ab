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
		{ "-a, --agg name=func(f)", "an aggregate; repeatable (count())" },
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

enum { O_TUMBLE = 256, O_HOP, O_SLIDE, O_SESSION, O_CUMULATE, O_STEP,
    O_PART, O_POS, O_WFIELDS, O_MAXVALUES, O_WHERE, O_HAVING, O_ROWKIND,
    O_EARLYF, O_BY };

#define WA_ONE	"choose one of --tumble, --hop, --session and --cumulate"
#define WA_EVENT "--delay, --lateness, --late, --idle, --idle-advance and " \
		    "--partition-field need event time (--time-field)"
#define WA_POS	"--position-field needs event time (--time-field), " \
		    "--tumble or --hop, and no --lateness or --top"
#define WA_BY	"--by and --asc go with --top"
#define WA_T(f)	KP_AT(struct wa, f)

/* The options: the rules of each, then what plan() does with them. */
static const struct kp_opt opts[] = {
	{ "tumble", 0, KA_DUR, 1, 0, .excludes = "hop session cumulate",
	    .xwhy = WA_ONE, .id = O_TUMBLE },
	{ "hop", 0, KA_DUR, 1, 0, .needs = "slide",
	    .why = "--hop needs --slide", .excludes = "session cumulate",
	    .xwhy = WA_ONE, .id = O_HOP },
	{ "slide", 0, KA_DUR, 1, 0, .needs = "hop", .id = O_SLIDE },
	{ "session", 0, KA_DUR, 1, 0, .excludes = "cumulate", .xwhy = WA_ONE,
	    .id = O_SESSION },
	{ "cumulate", 0, KA_DUR, 1, 0, .needs = "step",
	    .why = "--cumulate needs --step", .id = O_CUMULATE },
	{ "step", 0, KA_DUR, 1, 0, .needs = "cumulate", .id = O_STEP },
	{ "align", 0, KA_DUR, 0, 0, WA_T(win.align) },
	{ "key", 'k', KA_STR, 0, 0, .id = 'k' },
	{ "agg", 'a', KA_STR, 0, 0, .id = 'a' },
	{ "time-field", 't', KA_STR, 0, 0, .id = 't' },
	{ "time-unit", 0, KA_ENUM, 0, 0, tu_units, .needs = "time-field",
	    .why = "--time-unit goes with --time-field", WA_T(unit) },
	{ "delay", 0, KA_DUR, 0, 0, .needs = "time-field", .why = WA_EVENT,
	    WA_T(delay) },
	{ "lateness", 0, KA_DUR, 0, 0, .needs = "time-field", .why = WA_EVENT,
	    WA_T(win.lateness) },
	{ "late", 0, KA_STR, 0, 0, .needs = "time-field", .why = WA_EVENT,
	    WA_T(latepath) },
	{ "idle", 0, KA_DUR, 1, 0, .needs = "partition-field",
	    .why = "--idle goes with --partition-field: it lets a silent "
	    "partition stop holding the watermark back, and a silent input "
	    "never moves it (--idle-advance runs event time on the wall "
	    "clock instead)", WA_T(idle) },
	{ "idle-advance", 0, KA_DUR, 1, 0, .needs = "time-field",
	    .why = WA_EVENT, WA_T(advance) },
	{ "partition-field", 0, KA_STR, 0, 0, .needs = "time-field",
	    .why = WA_EVENT, .id = O_PART },
	{ "partitions", 0, KA_INT, 1, 1000000, .needs = "partition-field",
	    WA_T(npartitions) },
	{ "time-format", 0, KA_ENUM, 0, 0, tu_formats, WA_T(tfmt) },
	{ "local-time", 0, KA_NONE, 0, 0, WA_T(local) },
	{ "window-fields", 0, KA_STR, 0, 0, .id = O_WFIELDS },
	{ "after", 0, KA_TIME, INT64_MIN, 0, WA_T(after) },
	{ "max-keys", 0, KA_INT, 1, INT64_MAX, WA_T(win.max_keys) },
	{ "max-values", 0, KA_INT, 1, UINT32_MAX / 64, .id = O_MAXVALUES },
	{ "where", 0, KA_STR, 0, 0, .id = O_WHERE },
	{ "having", 0, KA_STR, 0, 0, .id = O_HAVING },
	{ "emit-every", 0, KA_DUR, 1, 0, WA_T(win.early) },
	{ "row-kind", 0, KA_STR, 0, 0, .id = O_ROWKIND },
	{ "retract", 0, KA_NONE, 0, 0, .needs = "row-kind",
	    .why = "--retract needs --row-kind (its -U rows)", WA_T(retract) },
	{ "early-field", 0, KA_STR, 0, 0, .id = O_EARLYF },
	{ "top", 0, KA_INT, 1, INT32_MAX, .needs = "by",
	    .why = "--top needs --by (an aggregate's name)",
	    .excludes = "session lateness emit-every",
	    .xwhy = "--top ranks the rows of each tumbling, hopping or "
	    "cumulating window once, when it closes: not with --session, "
	    "--lateness or --emit-every", WA_T(top) },
	{ "by", 0, KA_STR, 0, 0, .needs = "top", .why = WA_BY, .id = O_BY },
	{ "asc", 0, KA_NONE, 0, 0, .needs = "top", .why = WA_BY, WA_T(asc) },
	{ "position-field", 0, KA_STR, 0, 0, .needs = "time-field",
	    .excludes = "session lateness top", .why = WA_POS, .xwhy = WA_POS,
	    .id = O_POS },
	{ "progress", 0, KA_NONE, 0, 0, WA_T(pg.on) },
	POL_OPTS,
	KP_OPT_HELP,
	{ NULL }
};

/* The options plan() reads for later, as given (borrowed from argv). */
struct wargs {
	const char	*tfield, *pfield, *posfield, *where, *having;
	const char	*rowkind, *earlyf, *by;
	int64_t		 hop, slide, step;
	size_t		 maxvalues;
	int		 nwin;		/* --tumble, --hop, ... given */
};

/* The options of a row without a place of its own in w. */
static void
option(struct wa *w, struct wargs *a, int ch, const struct kp_optp *p)
{
	const char **s[] = { &a->tfield, &a->pfield, &a->posfield, &a->where,
	    &a->having, &a->rowkind, &a->earlyf, &a->by };
	const int ids[] = { 't', O_PART, O_POS, O_WHERE, O_HAVING, O_ROWKIND,
	    O_EARLYF, O_BY };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ch == ids[i])
			*s[i] = p->arg;
	if (ch == O_TUMBLE || ch == O_HOP || ch == O_SESSION ||
	    ch == O_CUMULATE) {
		a->nwin++;
		w->win.kind = ch == O_TUMBLE ? W_TUMBLE : ch == O_HOP ? W_HOP :
		    ch == O_SESSION ? W_SESSION : W_CUMULATE;
		w->win.size = p->num;
		if (ch == O_TUMBLE)
			w->win.slide = p->num;
	}
	if (ch == O_HOP)
		a->hop = p->num;
	else if (ch == O_SLIDE)
		a->slide = p->num;
	else if (ch == O_STEP)
		a->step = p->num;
	else if (ch == O_MAXVALUES)
		a->maxvalues = (size_t)p->num;
	else if (ch == O_WFIELDS)
		window_fields(w, p->arg);
	else if (ch == 'k')
		add_keys(w, p->arg);
	else if (ch == 'a')
		add_agg(w, p->arg);
	else if (ch >= POL_ONERR && ch <= POL_MAXLINE)
		pol_option(&w->pol, ch, p->arg, usage);
}

/* The window of --hop or --cumulate from their sizes, and --align. */
static void
plan_window(struct wa *w, const struct wargs *a)
{
	if (w->win.kind == W_HOP) {
		w->win.size = a->hop;
		w->win.slide = a->slide;
		if ((w->win.size + w->win.slide - 1) / w->win.slide > WIN_MAXHOP)
			errx(EX_USAGE, "--hop %s: more than %d windows per "
			    "record; use a larger --slide", "size", WIN_MAXHOP);
	}
	if (w->win.kind == W_CUMULATE) {
		if (w->win.size % a->step != 0)
			errx(EX_USAGE, "--cumulate: the size is not a whole "
			    "number of --step (as Flink's CUMULATE requires)");
		if (w->win.size / a->step > WIN_MAXHOP)
			errx(EX_USAGE, "--cumulate: more than %d steps; use a "
			    "larger --step", WIN_MAXHOP);
		w->win.slide = a->step;
		w->win.align %= w->win.size;
	}
	if (w->win.kind != W_SESSION && w->win.kind != W_CUMULATE &&
	    w->win.align >= w->win.slide)
		w->win.align %= w->win.slide;
}

/* The fields the records are read for: event time, the partition and
 * --position-field's position. */
static void
plan_fields(struct wa *w, const struct wargs *a)
{
	if (a->tfield != NULL) {
		w->win.event = 1;
		w->tpath = jr_addpath(&w->jr, a->tfield);
	}
	if (a->pfield != NULL)
		w->ppath = jr_addpath(&w->jr, a->pfield);
	if (a->posfield != NULL) {
		if (*a->posfield == '\0')
			errx(EX_USAGE, "--position-field: empty name");
		buf_addc(&w->poskey, ',');
		jw_key(&w->poskey, a->posfield, strlen(a->posfield));
		w->pospath = jr_addpath(&w->jr, "topic");
		(void)jr_addpath(&w->jr, "partition");
		(void)jr_addpath(&w->jr, "offset");
		wpos_init(w);
	}
}

/* The rows: aggregates, --where, --row-kind, --early-field, --top and
 * --having. */
static void
plan_rows(struct wa *w, const struct wargs *a)
{
	char why[160];
	int i;

	if (w->nagg == 0)
		add_agg(w, "count=count()");
	for (i = 0; i < w->nagg; i++)
		w->agg[i].max_values = a->maxvalues;
	if (a->where != NULL && (w->where = ex_compile(a->where, &w->jr, why,
	    sizeof(why))) == NULL)
		errx(EX_USAGE, "--where %s: %s", a->where, why);
	jr_init(&w->rowjr);
	if (a->rowkind != NULL) {
		buf_addc(&w->kindkey, ',');
		jw_key(&w->kindkey, a->rowkind, strlen(a->rowkind));
	}
	if (a->earlyf != NULL) {
		buf_addc(&w->earlykey, ',');
		jw_key(&w->earlykey, a->earlyf, strlen(a->earlyf));
	}
	if (w->top > 0) {
		for (i = 0; i < w->nagg && strcmp(w->agg[i].name, a->by) != 0;
		    i++)
			;
		if (i == w->nagg)
			errx(EX_USAGE, "--by %s: not an aggregate's name", a->by);
		w->bypath = jr_addpath(&w->rowjr, a->by);
	}
	if (a->having != NULL && (w->having = ex_compile(a->having,
	    &w->rowjr, why, sizeof(why))) == NULL)
		errx(EX_USAGE, "--having %s: %s", a->having, why);
	check_names(w, a->rowkind, a->earlyf);
}

/* Parse the command line into the plan in w (zeroed first). Exits 64 on
 * a usage error and 74 when --late or --dead-letter cannot be opened;
 * the --late path and the option arguments stay borrowed from argv. */
static void
plan(struct wa *w, int argc, char **argv)
{
	struct wargs a = { .maxvalues = WA_MAXVALUES };
	struct kp_optp p;
	int ch;

	memset(w, 0, sizeof(*w));
	jr_init(&w->jr);
	pol_init(&w->pol, "<stdin>", 0);
	w->tpath = w->ppath = -1;
	w->unit = TU_MS;
	w->tfmt = TF_SQL;
	w->wstart = w->wend = 1;
	kp_opt_init(&p, opts, w, usage, argc, argv);
	while ((ch = kp_opt_next(&p)) != -1)
		option(w, &a, ch, &p);
	if (a.nwin != 1) {
		warnx(WA_ONE);
		usage(stderr);
	}
	kp_opt_rules(&p);
	w->has_after = kp_opt_given(&p, "after");
	plan_window(w, &a);
	plan_fields(w, &a);
	plan_rows(w, &a);
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
	if (w->retract)	/* a rebuilt window's row, to withdraw */
		w->win.snap = row_snap;
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
