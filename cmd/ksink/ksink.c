/* ksink - produce NDJSON records to Kafka, one message a line (kcat -P
 * for JSON): keys and timestamps from fields, idempotent, and an exit
 * status that says whether every record was acknowledged. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "create.h"
#include "envelope.h"
#include "jrec.h"
#include "kconf.h"
#include "klog.h"
#include "kp.h"
#include "ndjson.h"
#include "opt.h"
#include "out.h"
#include "policy.h"
#include "ctl.h"
#include "position.h"
#include "progress.h"
#include "serdes.h"
#include "timeu.h"
#include "waitnote.h"

#define POLL_EVERY	1024	/* records between delivery-report polls */
#define IDLE_MS		100	/* input wait between polls */
#define SEND_NOW_MS	1	/* rd_kafka_flush() when the input is empty */
#define MAXSEEN		16	/* distinct delivery errors reported */
#define REDO_MAX	5	/* a transaction sent again, at most */
#define UNKNOWN_MS	5000	/* an unknown topic is asked about again */
#define KEPT_MS		5000	/* the check that acknowledged records stay */
#define CLOSE_MS	5000	/* librdkafka's close and destroy, at most */
#define STOP_MS		(KEPT_MS + CLOSE_MS)	/* after --flush-timeout, at
					   a stop request */

/* A topic produced to, with its partition count (-1: it does not exist). */
struct topic {
	char			*name;
	rd_kafka_topic_t	*rkt;
	int			 nparts;
	int64_t			*first;	/* a partition's lowest offset
					   delivered by this run; -1 */
};

/* A -J record in flight, freed by its delivery report: the envelope
 * line (for --dead-letter), then the message value. */
struct pending {
	size_t	 linelen;
	char	 bytes[];
};

/* The plan: what the options say, read-only once plan() returns. */
struct ksink_plan {
	const char	*topic;		/* -t */
	int32_t		 partition;	/* -p, else RD_KAFKA_PARTITION_UA */
	int		 unit, envelope;	/* --time-unit, -J */
	const char	*kfield, *tfield;	/* -k, --ts-field */
	const char	*kdelim;	/* -K, unescaped (in kdbuf) */
	size_t		 kdlen;
	struct buf	 kdbuf;
	const char	*codec;		/* -z */
	int		 progress;	/* --progress */
	int		 verbose;	/* -v */
	int		 parts, repl;	/* --partitions (0: none),
					   --replication */
	const char	*fixkey;	/* --fixed-key */
	size_t		 fixlen;
	int		 null;		/* -Z */
	long long	 count;		/* -c; -1: no limit */
	rd_kafka_headers_t *hdrs;	/* -H */
	int64_t		 flush_ms, meta_ms;	/* --flush-timeout, -m */
	unsigned long long txn_records;	/* --txn-records */
	int64_t		 txn_ms;	/* --txn-interval */
};

/* The run. */
struct sink {
	struct ksink_plan pl;
	struct kconf	 kc;
	rd_kafka_t	*rk;
	int		 kpath, tpath, started;
	struct klog	 log;		/* librdkafka's lines */
	unsigned long long tick_acked;	/* acked at the last kl_tick() */
	int64_t		 stop_end;	/* after a stop request: the end of
					   its --flush-timeout, else 0 */
	struct waitnote	 wn;		/* a transaction call that lasts */
	struct topic	*tc;		/* topics seen, tc[0] the -t one */
	int		 ntc;
	struct jrec	 jr;
	struct envelope	 env;
	struct nd_reader rd;
	struct policy	 pol;
	unsigned long long sent, acked, failed, lost;
	unsigned long long sent_now;	/* k->sent at the last send_now() */
	int		 lingers;	/* linger.ms > 0 */
	rd_kafka_resp_err_t seen[MAXSEEN];
	int		 nseen;
	char		 lasterr[512];
	char		 hint[600];	/* kc_hopeless() */
	struct progress	 pg;		/* --progress */
	/* transactions (-X transactional.id=...): the open one began at
	 * txn_t0, after txn_sent0 records, txn_acked0 acknowledged, and
	 * input line txn_line0 */
	int		 txn;
	int64_t		 txn_t0;
	unsigned long long txn_sent0, txn_acked0, txn_line0;
	unsigned long long sent_pos;	/* sent at the last position */
	unsigned long long txn_failed0;
	/* --exactly-once: the records of the open transaction (ts, key
	 * and value lengths, key, value, each), to send again in a new one
	 * when Kafka will not commit it; quiet while the old ones come
	 * back failed */
	struct buf	 redo;
	int		 quiet;
	struct kpos	 pos;		/* --position-field, --exactly-once */
	struct ctl_job	 job;		/* --exactly-once: its job line */
	char		 txnid[600];	/* its transactional.id, as a default */
	struct ksd	 sd;		/* -s [key=|value=]avro */
};

static void
usage(FILE *f)
{
	static const struct kp_optdoc docs[] = {
		{ "-t, --topic topic", "the topic to produce to" },
		{ "-J, --envelope", "read ksource's or kcat's -J envelopes" },
		{ "-k, --key field", "the message key from a JSON field" },
		{ "-K, --key-delimiter d", "key, d, value on each line (kcat -K)" },
		{ "--fixed-key key", "this key for every message (kcat -k)" },
		{ "-Z, --null", "a null (or empty -K value): a tombstone" },
		{ "-c, --count N", "stop after N records" },
		{ "-p, --partition N", "every message to this partition" },
		{ "--ts-field field", "the message timestamp from a field" },
		{ "--time-unit unit", "of --ts-field: ms, s, us or iso" },
		{ "-H, --header n=v", "a header on every message; repeatable" },
		{ "-z, --compression codec", "gzip, snappy, lz4, zstd or none" },
		{ "-b, --brokers list", "bootstrap servers host:port,..." },
		{ "-X, --property p=v", "a librdkafka property; list; dump" },
		{ "-F, --config file", "librdkafka properties (kcat.conf)" },
		{ "-s, --serdes [key=|value=]avro", "encode as Avro (Confluent)" },
		{ "-r, --schema-registry URL", "the schema registry for -s" },
		{ "--value-schema file", "the .avsc to register (else latest)" },
		{ "--value-subject s", "the subject (default TOPIC-value)" },
		{ "--key-schema file", "-s key=avro: the -k field's .avsc" },
		{ "--key-subject s", "its subject (default TOPIC-key)" },
		{ "-m, --metadata-timeout d", "how long to wait for the cluster" },
		{ "--flush-timeout d", "how long to wait for delivery at exit" },
		{ "--txn-records N", "records per transaction" },
		{ "--txn-interval d", "longest time a transaction stays open" },
		{ "--progress", "live status on standard error" },
		{ "-v, --verbose", "every librdkafka message, as it comes" },
		{ "--partitions N", "create the -t topic if missing, N partitions" },
		{ "--replication R", "with --partitions: R replicas each" },
		{ "--exactly-once", "the end of ksource --exactly-once's line" },
		{ "--on-error skip|abort", "what a bad line does" },
		{ "--dead-letter file", "append bad and undelivered lines there" },
		{ "--max-line bytes", "the longest line read (64 MiB)" },
		{ "-h, --help", "this help" },
		{ "-V, --version", "the version" },
		{ NULL, NULL }
	};

	kp_usage(f,
	    "usage: ksink (-t topic | -J) [-k field] [-K delim] [--fixed-key key] [-Z]\n"
	    "             [-c count] [-p partition] [--ts-field field]\n"
	    "             [--time-unit ms|s|us|iso] [-H name=value]... [-z codec]\n"
	    "             [-b brokers] [-X prop=value]... [-F file]\n"
	    "             [-s [key=|value=]avro] [-r url] [--value-schema file]\n"
	    "             [--value-subject subject] [--key-schema file]\n"
	    "             [--key-subject subject]\n"
	    "             [-m duration] [--flush-timeout duration]\n"
	    "             [--txn-records count] [--txn-interval duration] [--progress]\n"
	    "             [-v] [--partitions count [--replication count]]\n"
	    "             [--exactly-once]\n"
	    "             [--position-field field --progress-group group]\n"
	    "             [--on-error skip|abort] [--dead-letter file]\n"
	    "             [--max-line bytes]\n", docs);
}

/* ---- librdkafka callbacks ----------------------------------------- */

/* A delivery error, reported once per error code. */
static void
report(struct sink *k, rd_kafka_resp_err_t err, const char *topic,
    const char *what)
{
	int i;

	for (i = 0; i < k->nseen; i++)
		if (k->seen[i] == err)
			return;
	if (k->nseen < MAXSEEN)
		k->seen[k->nseen++] = err;
	warnx("topic %s: %s%s", topic, what != NULL ? what :
	    rd_kafka_err2str(err), k->nseen == MAXSEEN ? " (and more)" : "");
}

/* A record that will not be delivered: counted, and its line kept. */
static void
lose(struct sink *k, const char *line, size_t len)
{
	k->failed++;
	pol_copy(k->pol.dl, line, len);
}

static void
on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct sink *k = opaque;
	struct pending *p = m->_private;

	int i;

	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		k->acked++;
		for (i = 0; i < k->ntc; i++)
			if (k->tc[i].rkt == m->rkt) {
				if (m->partition >= 0 &&
				    m->partition < k->tc[i].nparts &&
				    (k->tc[i].first[m->partition] < 0 ||
				    m->offset < k->tc[i].first[m->partition]))
					k->tc[i].first[m->partition] = m->offset;
				break;
			}
	} else if (!k->quiet) {
		if (kl_shown(&k->log, m->err))	/* not a purge of ours */
			report(k, m->err, rd_kafka_topic_name(m->rkt), NULL);
		if (p != NULL)
			lose(k, p->bytes, p->linelen);
		else
			lose(k, m->payload, m->len);
	}
	free(p);
}

static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct sink *k = opaque;

	/* --exactly-once: the transaction is sent again by a new
	 * producer at the next commit */
	if (err == RD_KAFKA_RESP_ERR__FATAL && !k->pos.eo)
		kp_stop = 1;
	/* the first cause, not the "all brokers are down" after it */
	if (k->lasterr[0] == '\0' || err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		snprintf(k->lasterr, sizeof(k->lasterr), "%s", reason);
	if (k->started && !k->quiet)	/* not the old producer's */
		kl_error(&k->log, err, reason);
}

/* librdkafka's own log lines: shown, held back or dropped as klog.h
 * says. */
static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct sink *k = rd_kafka_opaque(rk);

	kl_log(&k->log, level, fac, buf);
}

/* ---- topics ------------------------------------------------------- */

/* Wait up to k->pl.meta_ms for the cluster to describe rkt (or, with rkt
 * NULL, only to answer). The partition count (0 without rkt), -1 when
 * the topic does not exist, -2 when Kafka cannot be reached; *why then
 * says what went wrong. */
static int
describe(struct sink *k, rd_kafka_topic_t *rkt, const char **why)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err, terr;
	int64_t t0 = tu_mono_ms(), end = t0 + k->pl.meta_ms, left;
	int64_t unknown_end = tu_mono_ms() + UNKNOWN_MS;
	int n;

	if (unknown_end > end)
		unknown_end = end;

	for (;;) {
		left = end - tu_mono_ms();
		err = rd_kafka_metadata(k->rk, 0, rkt, &md,
		    left > 250 ? 250 : left > 0 ? (int)left : 1);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (rkt == NULL) {
				rd_kafka_metadata_destroy(md);
				return 0;
			}
			terr = md->topic_cnt == 1 ? md->topics[0].err :
			    RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
			n = md->topic_cnt == 1 ? md->topics[0].partition_cnt : 0;
			rd_kafka_metadata_destroy(md);
			if (terr == RD_KAFKA_RESP_ERR_NO_ERROR && n > 0)
				return n;
			*why = rd_kafka_err2str(terr);
			/* a broker that creates topics on first use answers
			 * "unknown" to the request that creates one: ask
			 * again for a while before believing it */
			if (terr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART &&
			    tu_mono_ms() < unknown_end && !kp_stop) {
				rd_kafka_poll(k->rk, 100);
				continue;
			}
			if (terr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
			    terr == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
			    terr == RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION)
				return -1;
		} else
			*why = rd_kafka_err2str(err);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR &&
		    tu_mono_ms() - t0 >= KC_HOPELESS_MS &&
		    kc_hopeless(&k->kc, k->lasterr, k->hint,
		    sizeof(k->hint)) != NULL) {
			*why = k->hint;	/* no broker will ever answer */
			return -2;
		}
		if (tu_mono_ms() >= end || kp_stop) {
			rd_kafka_poll(k->rk, 0);	/* for k->lasterr */
			if (k->lasterr[0] != '\0')
				*why = k->lasterr;
			return rkt != NULL && err == RD_KAFKA_RESP_ERR_NO_ERROR ?
			    -1 : -2;
		}
		rd_kafka_poll(k->rk, 100);
	}
}

/* Say that Kafka cannot be reached, and why (describe()'s answer). */
static void
unreachable(struct sink *k, const char *why)
{
	if (why == k->hint)	/* known at once: no "within" */
		warnx("cannot reach Kafka at %s: %s", k->kc.used, why);
	else
		warnx("cannot reach Kafka at %s within %lld ms: %s",
		    k->kc.used, (long long)k->pl.meta_ms, why);
}

/* --partitions: make the -t topic unless it exists (exits 69 when the
 * cluster cannot be reached or refuses). */
static void
create(struct sink *k)
{
	const char *why = "";
	char err[512];

	if (describe(k, NULL, &why) < 0) {
		unreachable(k, why);
		exit(EX_UNAVAILABLE);
	}
	if (kcreate_topic(k->rk, k->pl.topic, k->pl.parts, k->pl.repl > 0 ?
	    k->pl.repl : -1, (int)k->pl.meta_ms, err, sizeof(err)) < 0)
		errx(EX_UNAVAILABLE, "topic %s: cannot create it with %d "
		    "partitions at %s: %s", k->pl.topic, k->pl.parts, k->kc.used,
		    err);
}

/* The topic named name[0..len), described on first use. NULL (after a
 * message) when Kafka cannot be reached: the caller stops. */
static struct topic *
topic(struct sink *k, const char *name, size_t len)
{
	struct topic *t;
	const char *why = "";
	int i;

	for (i = 0; i < k->ntc; i++)
		if (strncmp(k->tc[i].name, name, len) == 0 &&
		    k->tc[i].name[len] == '\0')
			return &k->tc[i];
	k->tc = kp_xrealloc(k->tc, (size_t)(k->ntc + 1) * sizeof(*k->tc));
	t = &k->tc[k->ntc];
	t->name = kp_xmalloc(len + 1);
	memcpy(t->name, name, len);
	t->name[len] = '\0';
	t->rkt = rd_kafka_topic_new(k->rk, t->name, NULL);
	if (t->rkt == NULL) {
		warnx("topic %s: %s", t->name,
		    rd_kafka_err2str(rd_kafka_last_error()));
		t->nparts = -1;
	} else if ((t->nparts = describe(k, t->rkt, &why)) == -2) {
		unreachable(k, why);
		rd_kafka_topic_destroy(t->rkt);
		free(t->name);
		return NULL;
	} else if (t->nparts == -1)
		warnx("topic %s does not exist at %s: %s", t->name,
		    k->kc.used, why);
	t->first = NULL;
	if (t->nparts > 0) {
		t->first = kp_xmalloc((size_t)t->nparts * sizeof(*t->first));
		for (i = 0; i < t->nparts; i++)
			t->first[i] = -1;
	}
	k->ntc++;
	return t;
}

/* ---- producing ---------------------------------------------------- */

/* --exactly-once: one record of the open transaction, kept, with its
 * input line when that is not its value (what --dead-letter gets if it
 * is refused when sent again). */
static void
redo_add(struct sink *k, const char *value, size_t vlen, const char *key,
    size_t klen, int64_t ts, const char *line, size_t len)
{
	uint64_t h[4] = { (uint64_t)ts, klen, value != NULL ? vlen :
	    UINT64_MAX, line == value && len == vlen ? UINT64_MAX : len };

	buf_add(&k->redo, h, sizeof(h));
	buf_add(&k->redo, key, klen);
	if (value != NULL)
		buf_add(&k->redo, value, vlen);
	if (h[3] != UINT64_MAX)
		buf_add(&k->redo, line, len);
}

/* Hand one message to librdkafka, waiting while its queue is full.
 * value is copied unless p (a struct pending holding it) is given;
 * line is what --dead-letter gets when the message is not delivered.
 * 0, or -1 when Kafka cannot be reached. */
static int
produce(struct sink *k, struct topic *t, int32_t part, const char *value,
    size_t vlen, const char *key, size_t klen, int64_t ts,
    rd_kafka_headers_t *h, struct pending *p, const char *line,
    size_t len)
{
	rd_kafka_resp_err_t err;
	int64_t giveup = -1;
	int flags = p != NULL ? 0 : RD_KAFKA_MSG_F_COPY;

	if (t->nparts < 0) {
		report(k, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, t->name,
		    "does not exist: records for it are not delivered");
		err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
		goto lost;
	}
	for (;;) {
		err = rd_kafka_producev(k->rk,
		    RD_KAFKA_V_RKT(t->rkt),
		    RD_KAFKA_V_PARTITION(part),
		    RD_KAFKA_V_MSGFLAGS(flags),
		    RD_KAFKA_V_VALUE((void *)value, vlen),
		    RD_KAFKA_V_KEY(key, klen),
		    RD_KAFKA_V_TIMESTAMP(ts),
		    RD_KAFKA_V_HEADERS(h),
		    RD_KAFKA_V_OPAQUE(p),
		    RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		/* wait for deliveries, never drop; after a stop request
		 * only as long as the flush would */
		rd_kafka_poll(k->rk, IDLE_MS);
		if (kp_stop && giveup < 0)
			giveup = tu_mono_ms() + k->pl.flush_ms;
		if (giveup >= 0 && tu_mono_ms() >= giveup)
			break;
	}
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR || (k->pos.eo && !k->quiet &&
	    (err == RD_KAFKA_RESP_ERR__FATAL ||
	    err == RD_KAFKA_RESP_ERR__STATE))) {
		/* --exactly-once: a transaction Kafka will not commit
		 * (abortable: _STATE; fenced: _FATAL) is sent again at the
		 * next commit, these records with it */
		k->sent++;
		if (k->pos.eo && !k->quiet)
			redo_add(k, value, vlen, key, klen, ts, line, len);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR && h != NULL)
			rd_kafka_headers_destroy(h);
		pol_take(&k->pol);
		if (k->sent % POLL_EVERY == 0)
			rd_kafka_poll(k->rk, 0);
		return 0;
	}
	report(k, err, t->name, NULL);
lost:
	k->sent++;
	pol_take(&k->pol);
	lose(k, line, len);
	free(p);
	if (h != NULL)
		rd_kafka_headers_destroy(h);
	return 0;
}

/* The message key from field kpath: a string's bytes, a number's or a
 * boolean's text, no key for null. -1 for other types. */
static int
key_of(const struct jr_val *v, const char **key, size_t *klen)
{
	*key = NULL;
	*klen = 0;
	switch (v->type) {
	case JR_STR:
	case JR_NUM:
	case JR_BOOL:
		*key = v->len > 0 ? v->s : "";
		*klen = v->len;
		return 0;
	case JR_NULL:
		return 0;
	default:
		return -1;
	}
}

/* Key and timestamp from the -k and --ts-field fields of the record
 * just parsed by k->jr. 0 ok; 1 rejected; -1 rejected, stop (abort). */
static int
fields(struct sink *k, const char *line, size_t len, const char **key,
    size_t *klen, int64_t *ts)
{
	const struct jr_val *v;
	const char *why;

	if (k->kpath >= 0 && !k->sd.kavro) {	/* key=avro: ksd_key() */
		v = &k->jr.val[k->kpath];
		if (v->type == JR_NONE || key_of(v, key, klen) < 0)
			return pol_reject(&k->pol, k->rd.lineno, line, len,
			    "key field %s: %s", jr_lastname(&k->jr, k->kpath),
			    v->type == JR_NONE ? "missing" :
			    "expected a string or a number") < 0 ? -1 : 1;
	}
	if (k->tpath >= 0) {
		v = &k->jr.val[k->tpath];
		why = v->type == JR_NONE || v->type == JR_NULL ? "missing" :
		    tu_from_value(v->s, v->len, v->type == JR_STR, k->pl.unit,
		    ts);
		if (why == NULL && *ts < 0)
			why = "before 1970";
		if (why != NULL)
			return pol_reject(&k->pol, k->rd.lineno, line, len,
			    "time field %s: %s", jr_lastname(&k->jr, k->tpath),
			    why) < 0 ? -1 : 1;
	}
	return 0;
}

/* Is the JSON text v[0..n) the literal null? */
static int
is_null(const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
	    v[n - 1] == '\r'))
		n--;
	return n == 4 && memcmp(v, "null", 4) == 0;
}

/* A control line (pos.h): not sent. With --position-field the position
 * on it (window-agg's answer to a revoke) is committed at once, as the
 * member that sent the revoke waits for it. 0 go on; -1 stop. */
static int
control(struct sink *k, const char *line, size_t len)
{
	const char *val;
	size_t vlen;
	char why[200];
	int kind = ctl_kind(line, len);

	if (k->pos.eo) {	/* the stream's own, ctl.h; a bad one stops */
		if (kpos_control(&k->pos, kind, line, len, why,
		    sizeof(why)) == 0)
			return 0;
		warnx("<stdin>:%llu: %s", (unsigned long long)k->rd.lineno,
		    why);
		return -1;
	}
	if (kind == CTL_JOB)
		errx(EX_USAGE, "<stdin>:%llu: the input is an exactly-once "
		    "stream (ksource --exactly-once): add --exactly-once, or "
		    "no position is ever committed and a restart writes "
		    "everything again", (unsigned long long)k->rd.lineno);
	if (k->pos.field == NULL)
		return 0;
	/* an assign or revoke line has none: nothing to do */
	if (jr_parse(&k->jr, line, len) < 0 ||
	    kpos_take(&k->pos, &k->jr, line, len, &val, &vlen) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len,
		    "control line: position field %s: not a position",
		    k->pos.field) < 0 ? -1 : 0;
	return 0;
}

/* -s value=avro with no field to take: the encoder's parse is the only
 * one needed */
static int
avro_only(const struct sink *k)
{
	return k->sd.vavro && !k->sd.kavro && k->kpath < 0 && k->tpath < 0 &&
	    (k->pos.field == NULL || k->pos.eo);
}

/* One NDJSON record: the line, or with -K what follows the delimiter, is
 * the value; with -Z an empty value or a JSON null is a tombstone (no
 * value). 0 go on; -1 stop (--on-error=abort). */
static int
record(struct sink *k, const char *line, size_t len)
{
	const char *key = k->pl.fixkey, *val = line, *d;
	size_t klen = k->pl.fixlen, vlen = len;
	int64_t ts = 0;
	int rc;

	if (k->pl.kdelim != NULL &&
	    (d = memmem(line, len, k->pl.kdelim, k->pl.kdlen)) != NULL) {
		if (d > line) {	/* an empty key: the fixed one, as kcat */
			key = line;
			klen = (size_t)(d - line);
		}
		val = d + k->pl.kdlen;
		vlen = len - (size_t)(val - line);
	}
	if (ctl_torn(k->pos.eo, k->rd.torn, k->rd.lineno))
		return 0;
	if (pos_control(line, len))	/* not a record: its position only */
		return control(k, line, len);
	if (k->pos.eo)		/* it takes its offset, whatever comes of it */
		kpos_count(&k->pos);
	if (k->pl.null && (vlen == 0 || is_null(val, vlen)))
		val = NULL;	/* a tombstone: no field to take */
	else if (!avro_only(k) && jr_parse(&k->jr, val, vlen) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len, "%s%s",
		    val != line ? "value: " : "",
		    vlen == 0 ? "empty value (-Z sends it as null)" :
		    k->jr.err);
	else if ((rc = fields(k, line, len, &key, &klen, &ts)) != 0)
		return rc < 0 ? -1 : 0;
	else if (k->pos.field != NULL && !k->pos.eo &&
	    kpos_take(&k->pos, &k->jr, val, vlen, &val, &vlen) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len,
		    "position field %s: not a position", k->pos.field) < 0 ?
		    -1 : 0;
	if (k->sd.kavro && val != NULL &&
	    ksd_key(&k->sd, val, vlen, &key, &klen) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len, "%s",
		    k->sd.why) < 0 ? -1 : 0;
	if (k->sd.vavro && val != NULL &&
	    ksd_encode(&k->sd, val, vlen, &val, &vlen) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len, "%s",
		    k->sd.why) < 0 ? -1 : 0;
	return produce(k, &k->tc[0], k->pl.partition, val, val ? vlen : 0, key,
	    klen, ts, k->pl.hdrs != NULL ? rd_kafka_headers_copy(k->pl.hdrs) :
	    NULL, NULL, line, len);
}

/* One -J envelope: its payload is the value. 0 go on; -1 stop. */
static int
envelope(struct sink *k, const char *line, size_t len)
{
	struct envelope *e = &k->env;
	struct pending *p;
	struct topic *t;
	rd_kafka_headers_t *h = NULL;
	const char *key, *name, *val;
	const void *value;
	size_t klen, n, size, vlen;
	int64_t ts;
	int32_t part;
	int i, rc;

	if (pos_control(line, len))	/* not a record */
		return 0;
	if (jr_parse(&k->jr, line, len) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len, "%s",
		    k->jr.err);
	if (env_parse(e, &k->jr, line) < 0)
		return pol_reject(&k->pol, k->rd.lineno, line, len, "%s",
		    e->err);
	key = e->key;
	klen = e->key_len;
	ts = e->ts;
	if ((k->kpath >= 0 || k->tpath >= 0) &&
	    (rc = fields(k, line, len, &key, &klen, &ts)) != 0)
		return rc < 0 ? -1 : 0;
	val = e->payload;
	vlen = e->payload_len;
	if ((k->sd.vavro || k->sd.kavro) && ksd_envelope(&k->sd, e, line, len,
	    &key, &klen, &val, &vlen) < 0)	/* -s avro: encoded */
		return pol_reject(&k->pol, k->rd.lineno, line, len, "%s",
		    k->sd.why) < 0 ? -1 : 0;
	if (k->pl.topic != NULL)
		t = &k->tc[0];
	else if (e->topic == NULL)
		return pol_reject(&k->pol, k->rd.lineno, line, len,
		    "envelope without a topic (name one with -t)");
	else if ((t = topic(k, e->topic, strlen(e->topic))) == NULL)
		return -2;
	part = k->pl.partition != RD_KAFKA_PARTITION_UA || k->pl.topic != NULL ?
	    k->pl.partition : e->partition;
	if (e->nhdr > 0 || k->pl.hdrs != NULL) {	/* the envelope's, -H */
		h = rd_kafka_headers_new((size_t)e->nhdr + 4);
		for (i = 0; i < e->nhdr; i++)
			rd_kafka_header_add(h, e->hdr[i].name,
			    (ssize_t)e->hdr[i].nlen, e->hdr[i].value,
			    e->hdr[i].value != NULL ?
			    (ssize_t)e->hdr[i].vlen : 0);
		for (n = 0; k->pl.hdrs != NULL &&
		    rd_kafka_header_get_all(k->pl.hdrs, n, &name, &value,
		    &size) == RD_KAFKA_RESP_ERR_NO_ERROR; n++)
			rd_kafka_header_add(h, name, -1, value, (ssize_t)size);
	}
	p = kp_xmalloc(sizeof(*p) + len + vlen);
	p->linelen = len;
	memcpy(p->bytes, line, len);
	if (vlen > 0)
		memcpy(p->bytes + len, val, vlen);
	return produce(k, t, part, val != NULL ? p->bytes + len : NULL,
	    vlen, key, klen, ts, h, p, p->bytes, len);
}

/* ---- transactions ------------------------------------------------- */

/* The end of a transaction call begun now: --flush-timeout from now, and
 * after a stop request (SIGINT, SIGTERM) never past --flush-timeout from
 * it (the process ends STOP_MS after that whatever the brokers do: see
 * main()). */
static int64_t
txn_deadline(struct sink *k)
{
	int64_t end = tu_mono_ms() + k->pl.flush_ms;

	if (kp_stop && k->stop_end == 0)
		k->stop_end = (wn_stop_time() > 0 ? wn_stop_time() :
		    tu_mono_ms()) + k->pl.flush_ms;
	return k->stop_end > 0 && k->stop_end < end ? k->stop_end : end;
}

/* Call one of librdkafka's transaction calls (what: "commit", "abort")
 * until end, retrying what it returns as retriable: NULL done, or the
 * last error. A wait is said on stderr after KPOS_NOTE_MS. */
static rd_kafka_error_t *
txn_call(struct sink *k, rd_kafka_error_t *(*fn)(rd_kafka_t *, int),
    const char *what, int64_t end)
{
	rd_kafka_error_t *e;
	int64_t t0 = tu_mono_ms(), left;

	for (;;) {
		left = end - tu_mono_ms();
		wn_begin(&k->wn, KPOS_NOTE_MS, "transaction: waiting for Kafka "
		    "to %s it (for up to %.0f s)", what, (double)left / 1000);
		e = fn(k->rk, (int)(left > 100 ? left : 100));
		wn_end(&k->wn);
		if (e == NULL || !rd_kafka_error_is_retriable(e) ||
		    rd_kafka_error_txn_requires_abort(e))
			return e;
		if (tu_mono_ms() >= end) {
			warnx("transaction: Kafka did not %s it in %.0f s",
			    what, (double)(tu_mono_ms() - t0) / 1000);
			return e;
		}
		rd_kafka_error_destroy(e);
		usleep(KPOS_BACKOFF_MS * 1000);
	}
}

/* Open the next transaction; exits 75 (after the summary) when the
 * producer cannot. */
static int
txn_begin(struct sink *k)
{
	rd_kafka_error_t *e;

	k->txn_t0 = tu_mono_ms();
	k->txn_sent0 = k->sent;
	k->txn_acked0 = k->acked;
	k->txn_line0 = k->rd.lineno;
	k->txn_failed0 = k->failed;
	k->redo.len = 0;
	if ((e = rd_kafka_begin_transaction(k->rk)) == NULL)
		return 0;
	warnx("transaction: cannot begin: %s", rd_kafka_error_string(e));
	rd_kafka_error_destroy(e);
	return -1;
}

/* Abort the open transaction: none of its records counts as delivered
 * (a read_committed reader never sees them); its input lines are named
 * on stderr. */
static void
txn_abort(struct sink *k)
{
	rd_kafka_error_t *e;

	k->log.purging = 1;	/* its records come back purged */
	if (rd_kafka_fatal_error(k->rk, NULL, 0) == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    (e = txn_call(k, rd_kafka_abort_transaction, "abort",
	    txn_deadline(k))) != NULL) {
		warnx("transaction: abort failed: %s",
		    rd_kafka_error_string(e));
		rd_kafka_error_destroy(e);
	}
	k->acked = k->txn_acked0;
	if (k->sent > k->txn_sent0)
		warnx("transaction aborted: input lines %llu..%llu "
		    "(%llu records) not delivered", k->txn_line0 + 1,
		    (unsigned long long)k->rd.lineno, k->sent - k->txn_sent0);
}

/* --position-field: the rows after the last position are not complete
 * (the end of input may be an upstream crash): abort them, as not sent;
 * the next run writes them again, from the position committed. */
static void
pos_tail(struct sink *k)
{
	rd_kafka_error_t *e;
	unsigned long long n = k->sent - k->txn_sent0, tail = n;
	int64_t left = txn_deadline(k) - tu_mono_ms();

	if (k->sent_pos > k->txn_sent0)	/* a position in this transaction */
		tail = k->sent - k->sent_pos;

	k->log.purging = 1;
	if ((e = rd_kafka_abort_transaction(k->rk,
	    (int)(left > 100 ? left : 100))) != NULL) {
		warnx("transaction: abort failed: %s", rd_kafka_error_string(e));
		rd_kafka_error_destroy(e);
	}
	rd_kafka_poll(k->rk, 0);	/* their delivery reports */
	k->sent = k->txn_sent0;
	k->acked = k->txn_acked0;
	if (n > 0 && tail == n)
		warnx("%llu rows after the last position not committed (the "
		    "next run writes them again)", n);
	else if (n > 0)
		warnx("%llu rows not committed: %llu after the last position, "
		    "and the %llu before it in their transaction (not yet "
		    "full or old); the next run writes them again, from the "
		    "position committed before", n, tail, n - tail);
}

/* The producer's settings: -X, -F and the defaults, -z, and its
 * callbacks (start(), and renew()'s new producer). */
static rd_kafka_conf_t *
producer_conf(struct sink *k)
{
	rd_kafka_conf_t *conf;

	conf = kc_build(&k->kc);
	if (k->pl.codec != NULL)
		kc_set(conf, "compression.codec", k->pl.codec, "-z");
	rd_kafka_conf_set_opaque(conf, k);
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_log_cb(conf, on_log);
	return conf;
}

/* --exactly-once, after a fatal error (the coordinator timed the
 * transaction out and fenced the producer: no other instance holds its
 * transactional.id, which names ksource's process or static member, and
 * a zombie's commit is refused by its generation) or an abort that
 * failed: a new producer, which takes the transactional.id over. 0, or
 * -1 said on stderr. */
static int
renew(struct sink *k)
{
	rd_kafka_conf_t *conf;
	rd_kafka_error_t *e;
	int64_t end, left;
	int i;

	for (i = 0; i < k->ntc; i++)
		rd_kafka_topic_destroy(k->tc[i].rkt);
	rd_kafka_purge(k->rk, RD_KAFKA_PURGE_F_QUEUE |
	    RD_KAFKA_PURGE_F_INFLIGHT);
	rd_kafka_poll(k->rk, 0);
	rd_kafka_destroy(k->rk);
	conf = producer_conf(k);
	k->rk = kc_new(&k->kc, RD_KAFKA_PRODUCER, conf);
	for (i = 0; i < k->ntc; i++)
		if ((k->tc[i].rkt = rd_kafka_topic_new(k->rk, k->tc[i].name,
		    NULL)) == NULL)
			errx(EX_SOFTWARE, "topic %s: %s", k->tc[i].name,
			    rd_kafka_err2str(rd_kafka_last_error()));
	/* the coordinator may still be ending the old producer's
	 * transaction (concurrent transactions), or moving: retriable,
	 * tried again until the transaction's deadline */
	end = txn_deadline(k);
	for (;;) {
		left = end - tu_mono_ms();
		if ((e = rd_kafka_init_transactions(k->rk,
		    (int)(left > 100 ? left : 100))) == NULL)
			return 0;
		if (!rd_kafka_error_is_retriable(e) || tu_mono_ms() >= end)
			break;
		rd_kafka_error_destroy(e);
		usleep(KPOS_BACKOFF_MS * 1000);
	}
	warnx("transaction: cannot start transactions again: %s",
	    rd_kafka_error_string(e));
	rd_kafka_error_destroy(e);
	return -1;
}

/* --exactly-once: the open transaction could not be committed: abort it
 * (or, the producer fenced, start a new one), open the next and send its
 * records again, from what was kept; the caller commits it with the same
 * position. 0, or -1 (said on stderr). */
static int
redo(struct sink *k, int try)
{
	rd_kafka_error_t *e;
	struct buf b = k->redo;
	unsigned long long sent0 = k->txn_sent0, acked0 = k->txn_acked0;
	unsigned long long line0 = k->txn_line0;
	uint64_t h[4];
	const char *key, *val, *line;
	size_t at = 0, vlen, len;
	int64_t left;

	warnx("transaction: sending its %llu records again in a new one "
	    "(%d of %d)", k->sent - k->txn_sent0, try, REDO_MAX);
	k->redo = (struct buf){ 0 };	/* b's now; refilled by produce() */
	k->quiet = k->log.purging = 1;	/* the old ones come back purged */
	if (rd_kafka_fatal_error(k->rk, NULL, 0) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (renew(k) < 0)
			goto fail;
	} else {
		left = txn_deadline(k) - tu_mono_ms();
		if ((e = rd_kafka_abort_transaction(k->rk,
		    (int)(left > 100 ? left : 100))) != NULL) {
			/* not answered (its coordinator moving), or
			 * fenced: a new producer fences this one, and
			 * the coordinator aborts the transaction (its
			 * commit was never begun, or refused) */
			warnx("transaction: abort failed: %s",
			    rd_kafka_error_string(e));
			rd_kafka_error_destroy(e);
			if (renew(k) < 0)
				goto fail;
		}
	}
	rd_kafka_poll(k->rk, 0);
	k->failed = k->txn_failed0;
	k->sent = sent0;
	k->acked = acked0;
	if (txn_begin(k) < 0)
		goto fail;
	k->txn_line0 = line0;
	k->quiet = 0;
	while (at < b.len) {
		memcpy(h, b.p + at, sizeof(h));
		at += sizeof(h);
		key = b.p + at;
		at += h[1];
		val = h[2] == UINT64_MAX ? NULL : b.p + at;
		vlen = h[2] == UINT64_MAX ? 0 : h[2];
		at += vlen;
		line = h[3] == UINT64_MAX ? val : b.p + at;
		len = h[3] == UINT64_MAX ? vlen : h[3];
		at += h[3] == UINT64_MAX ? 0 : h[3];
		(void)produce(k, &k->tc[0], k->pl.partition, val, vlen, key,
		    h[1], (int64_t)h[0], k->pl.hdrs != NULL ?
		    rd_kafka_headers_copy(k->pl.hdrs) : NULL, NULL,
		    line != NULL ? line : "", len);
	}
	buf_free(&b);
	return 0;
fail:
	k->quiet = 0;
	buf_free(&b);
	return -1;
}

/* Commit the open transaction: everything sent in it is delivered, or
 * nothing is (aborted, its input lines named on stderr). --exactly-once:
 * a position Kafka did not take (the commit not begun), or a transaction
 * it will not commit, is sent again (redo()); a commit still unanswered
 * at the deadline may be under way at the coordinator, so it is asked
 * again, never aborted (its records sent again would be twice). 0
 * committed, -1 aborted or failed: the caller stops. */
static int
txn_commit(struct sink *k)
{
	rd_kafka_error_t *e;
	int64_t end;
	int had = k->pos.have, tries = 0, resumes = 0, unsent;

	for (;;) {
		end = txn_deadline(k);
		if ((unsent = (e = kpos_send(&k->pos, k->rk, end,
		    &k->wn)) != NULL))
			warnx("transaction: cannot commit the position to "
			    "group %s", k->pos.group);
		else
			while ((e = txn_call(k, rd_kafka_commit_transaction,
			    "commit", end)) != NULL && k->pos.eo && !kp_stop &&
			    rd_kafka_error_is_retriable(e) &&
			    !rd_kafka_error_txn_requires_abort(e) &&
			    resumes++ < REDO_MAX) {
				warnx("transaction: commit not answered: asking "
				    "again (%d of %d)", resumes, REDO_MAX);
				rd_kafka_error_destroy(e);
				end = txn_deadline(k);
			}
		if (e == NULL)
			return 0;
		warnx("transaction: commit failed: %s",
		    rd_kafka_error_string(e));
		if (!k->pos.eo || kp_stop || tries++ >= REDO_MAX ||
		    (!unsent && !rd_kafka_error_txn_requires_abort(e) &&
		    rd_kafka_fatal_error(k->rk, NULL, 0) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR))
			break;
		rd_kafka_error_destroy(e);
		if (redo(k, tries) < 0) {
			e = NULL;
			break;
		}
		k->pos.have = had;
	}
	if (e != NULL)
		rd_kafka_error_destroy(e);
	txn_abort(k);
	return -1;
}

/* Commit and open the next when the open transaction is full or old
 * (force: whenever it holds a record). 0 go on; -1 stop. */
static int
txn_tick(struct sink *k, int force)
{
	/* --position-field: at each position, and only there;
	 * --exactly-once: at a position (or anywhere, on a stateless line
	 * of at lines) once the transaction is full or old, and a
	 * revoke's answer at once */
	if (k->pos.field != NULL) {
		if (!k->pos.point)
			return 0;
		k->sent_pos = k->sent;
		force = k->pos.eo ? k->pos.urgent : 1;
	}
	if ((k->sent == k->txn_sent0 && !k->pos.have) || (!force &&
	    k->sent - k->txn_sent0 < k->pl.txn_records &&
	    tu_mono_ms() - k->txn_t0 < k->pl.txn_ms))
		return 0;
	if (txn_commit(k) < 0)
		return -1;
	kpos_committed(&k->pos);
	return txn_begin(k);
}

static void
poll_kafka(void *arg)
{
	struct sink *k = arg;

	if (k->lingers && k->sent != k->sent_now) {
		/* The input has nothing more for now: send what is held at
		 * once, not linger.ms later. rd_kafka_flush() makes the
		 * linger immediate while it runs and wakes the broker
		 * threads; the wait is for that wake-up, not for delivery
		 * (a busy input keeps batching: it never gets here). */
		k->sent_now = k->sent;
		rd_kafka_flush(k->rk, SEND_NOW_MS);
	} else
		rd_kafka_poll(k->rk, 0);
}

/* Read and produce until end of input, a stop request or a fatal
 * error. The input status: 0, EX_DATAERR, EX_IOERR, or EX_UNAVAILABLE. */
/* --progress: lines read, records delivered, in flight, failed. */
static void
progress(struct sink *k, int64_t now)
{
	pg_show(&k->pg, now, "%llu lines in, %llu delivered, %llu in flight, "
	    "%llu failed, %.0f/s", (unsigned long long)k->rd.lineno, k->acked,
	    k->sent - k->acked - k->failed, k->failed,
	    pg_rate(&k->pg, k->acked, now));
}

/* Whether it waits on the cluster: records out, none acknowledged since
 * the last call (for kl_tick()). */
static int
waiting(struct sink *k)
{
	int w = rd_kafka_outq_len(k->rk) > 0 && k->acked == k->tick_acked;

	k->tick_acked = k->acked;
	return w;
}

static int
run(struct sink *k)
{
	const char *line;
	size_t len;
	unsigned n = 0;
	int rc, status = 0;

	while (!kp_stop) {
		if ((++n & 255) == 0) {
			kl_tick(&k->log, waiting(k));
			if (k->pg.on && pg_due(&k->pg, tu_mono_ms()))
				progress(k, tu_mono_ms());
		}
		rc = nd_next(&k->rd, &line, &len, IDLE_MS);
		if (rc == ND_LINE) {
			rc = k->pl.envelope ? envelope(k, line, len) :
			    record(k, line, len);
			if (rc == -2)
				return EX_UNAVAILABLE;
			if (rc < 0)
				return EX_DATAERR;
			if (k->txn && txn_tick(k, 0) < 0)
				return EX_TEMPFAIL;
			if (k->pl.count >= 0 &&
			    k->sent >= (unsigned long long)k->pl.count)
				return 0;
		} else if (rc == ND_TIMEOUT) {
			/* still quiet: what could not go at once (no
			 * producer id yet, say) goes now */
			if (k->lingers && rd_kafka_outq_len(k->rk) > 0)
				rd_kafka_flush(k->rk, SEND_NOW_MS);
			else
				rd_kafka_poll(k->rk, 0);
			kl_tick(&k->log, waiting(k));
			if (pg_due(&k->pg, tu_mono_ms()))
				progress(k, tu_mono_ms());
			if (k->txn && txn_tick(k, 0) < 0)
				return EX_TEMPFAIL;
		} else if ((status = pol_input(&k->pol, &k->rd, rc)) != 0)
			return status < 0 ? 0 : status;
	}
	return 0;
}

/* Wait up to --flush-timeout for every delivery report (a second
 * SIGINT or SIGTERM cuts it short); give up on what is left. */
static void
drain(struct sink *k)
{
	int64_t end = txn_deadline(k);
	int n;

	kp_stop = 0;
	while (rd_kafka_outq_len(k->rk) > 0 && tu_mono_ms() < end && !kp_stop &&
	    !rd_kafka_fatal_error(k->rk, NULL, 0)) {
		rd_kafka_flush(k->rk, 100);
		kl_tick(&k->log, waiting(k));
		if (pg_due(&k->pg, tu_mono_ms()))
			progress(k, tu_mono_ms());
	}
	if ((n = rd_kafka_outq_len(k->rk)) > 0) {
		k->log.purging = 1;	/* counted as not delivered below */
		rd_kafka_purge(k->rk, RD_KAFKA_PURGE_F_QUEUE |
		    RD_KAFKA_PURGE_F_INFLIGHT);
		rd_kafka_flush(k->rk, 1000);
	}
	rd_kafka_poll(k->rk, 0);
}

/* ---- setup -------------------------------------------------------- */

static void
add_header(struct sink *k, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg)
		errx(EX_USAGE, "-H %s: expected name=value", arg);
	if (k->pl.hdrs == NULL)
		k->pl.hdrs = rd_kafka_headers_new(8);
	rd_kafka_header_add(k->pl.hdrs, arg, eq - arg, eq + 1, -1);
}

/* --exactly-once: the job line, first in the input, names the group the
 * position is committed to, the input topic, and the transactional.id
 * (ksink(1), EXACTLY ONCE); librdkafka's defaults but for these (the
 * file and -X override them). Exits 64 when the input is not an
 * exactly-once stream, 65 when it is empty. */
static void
eo_start(struct sink *k)
{
	static const char *defaults[] = {
		"enable.idempotence=true",
		"acks=all",
		"partitioner=murmur2_random",
		"transaction.timeout.ms=30000",
		NULL,		/* transactional.id= */
		NULL
	};
	const char *line;
	size_t len;
	char why[200];
	int rc;

	out_pipe_max(STDIN_FILENO);
	while ((rc = nd_next(&k->rd, &line, &len, -1)) == ND_TIMEOUT &&
	    !kp_stop)
		;
	if (rc != ND_LINE)
		errx(EX_DATAERR, "--exactly-once: the input ended before its "
		    "first line (ksource --exactly-once writes its job line "
		    "first; did it fail?)");
	if (ctl_job_parse(line, len, &k->job, why, sizeof(why)) < 0)
		errx(EX_USAGE, "<stdin>:1: --exactly-once: %s: the input must "
		    "come from ksource -G group --exactly-once", why);
	snprintf(k->txnid, sizeof(k->txnid), "transactional.id=%s",
	    k->job.txn);
	defaults[4] = k->txnid;
	k->kc.defaults = defaults;
	k->pos.group = k->job.group;
	/* the first topic: that of an at line naming none (a pattern is
	 * not one: then every at line names its own) */
	k->pos.curt = pos_topic(&k->pos.pos, k->job.topic,
	    strlen(k->job.topic));
	k->pos.pos.after = INT64_MIN;
}

static void
start(struct sink *k)
{
	static const char *const defaults[] = {
		"enable.idempotence=true",
		"acks=all",
		"partitioner=murmur2_random",
		NULL
	};
	rd_kafka_conf_t *conf;
	rd_kafka_error_t *e;
	const char *why = "";
	char tid[256];
	size_t tidlen = sizeof(tid);

	nd_init(&k->rd, STDIN_FILENO, "<stdin>", k->pol.max_line);
	k->rd.spill = k->pol.dl;
	k->kc.defaults = defaults;
	if (k->pos.eo)
		eo_start(k);
	conf = producer_conf(k);
	ksd_start(&k->sd, &k->kc, k->pl.topic);
	kl_init(&k->log, k->pl.verbose, conf);
	k->txn = rd_kafka_conf_get(conf, "transactional.id", tid, &tidlen) ==
	    RD_KAFKA_CONF_OK && tid[0] != '\0';
	tidlen = sizeof(tid);
	k->lingers = rd_kafka_conf_get(conf, "linger.ms", tid, &tidlen) ==
	    RD_KAFKA_CONF_OK && strtod(tid, NULL) > 0;
	k->rk = kc_new(&k->kc, RD_KAFKA_PRODUCER, conf);
	if (k->pl.topic == NULL) {
		if (describe(k, NULL, &why) < 0) {
			unreachable(k, why);
			exit(EX_UNAVAILABLE);
		}
	} else {
		if (k->pl.parts > 0)
			create(k);
		if (topic(k, k->pl.topic, strlen(k->pl.topic)) == NULL)
			exit(EX_UNAVAILABLE);
		if (k->pl.parts > 0 && k->tc[0].nparts > 0 &&
		    k->tc[0].nparts != k->pl.parts)
			warnx("topic %s has %d partitions, not %d (--partitions): "
			    "an existing topic is left as it is", k->pl.topic,
			    k->tc[0].nparts, k->pl.parts);
		if (k->tc[0].nparts < 0)
			exit(EX_UNAVAILABLE);
		if (k->pl.partition >= k->tc[0].nparts)
			errx(EX_UNAVAILABLE, "-p %d: topic %s has partitions "
			    "0..%d", (int)k->pl.partition, k->pl.topic,
			    k->tc[0].nparts - 1);
	}
	if (k->txn) {
		if ((e = rd_kafka_init_transactions(k->rk,
		    (int)k->pl.meta_ms)) != NULL)
			errx(EX_UNAVAILABLE, "transactional.id %s: cannot start "
			    "transactions at %s: %s", tid, k->kc.used,
			    rd_kafka_error_string(e));
		if (txn_begin(k) < 0)
			exit(EX_UNAVAILABLE);
	}
	k->started = 1;
	k->rd.before_block = poll_kafka;
	k->rd.arg = k;
	pg_init(&k->pg, k->pl.progress);
	if (k->pos.field != NULL && !k->txn)
		errx(EX_USAGE, "--progress-group needs transactions (-X "
		    "transactional.id=ID)");
}

/* Records acknowledged and then dropped by the broker: a partition whose
 * first offset is now past the first one this run delivered (retention
 * by time, say for records with old timestamps, or the mock cluster's
 * 5 MiB cap). Said on stderr; the exit status stays that of delivery. */
static void
check_kept(struct sink *k)
{
	unsigned long long gone = 0;
	int64_t lo, hi, end = tu_mono_ms() + KEPT_MS;
	int i, j, parts = 0;

	for (i = 0; i < k->ntc; i++)
		for (j = 0; j < k->tc[i].nparts; j++) {
			if (k->tc[i].first[j] < 0 || tu_mono_ms() >= end ||
			    rd_kafka_query_watermark_offsets(k->rk,
			    k->tc[i].name, j, &lo, &hi,
			    (int)(end - tu_mono_ms())) != 0 ||
			    lo <= k->tc[i].first[j])
				continue;
			gone += (unsigned long long)(lo - k->tc[i].first[j]);
			parts++;
			warnx("topic %s [%d]: the broker no longer holds offsets "
			    "%lld..%lld, delivered by this run", k->tc[i].name, j,
			    (long long)k->tc[i].first[j], (long long)lo - 1);
		}
	if (gone > 0)
		warnx("%llu acknowledged records already dropped by the broker "
		    "on %d partition%s (its retention, or the 5 MiB a partition "
		    "the mock cluster of kafka-local keeps)", gone, parts,
		    parts == 1 ? "" : "s");
}

/* What the run comes to: the summary, and the exit status. */
static int
finish(struct sink *k, int status)
{
	unsigned long long lost;
	int i;

	pg_done(&k->pg, "%llu lines in, %llu delivered, %llu failed in %.1f s",
	    (unsigned long long)k->rd.lineno, k->acked, k->sent - k->acked,
	    (double)(tu_mono_ms() - k->pg.t0) / 1000);
	lost = k->sent - k->acked;
	if (lost > 0) {
		warnx("%llu of %llu records not delivered%s%s", lost, k->sent,
		    k->pol.dl != NULL ? ", copied to " : "",
		    k->pol.dl != NULL ? k->pol.dlpath : "");
		if (k->failed < lost)
			warnx("%llu of them without a delivery report (not "
			    "copied)", lost - k->failed);
		status = EX_TEMPFAIL;
	}
	status = pol_finish(&k->pol, status);
	kl_done(&k->log, status);
	if (k->acked > 0)
		check_kept(k);
	for (i = 0; i < k->ntc; i++) {
		if (k->tc[i].rkt != NULL)
			rd_kafka_topic_destroy(k->tc[i].rkt);
		free(k->tc[i].first);
		free(k->tc[i].name);
	}
	free(k->tc);
	if (k->pl.hdrs != NULL)
		rd_kafka_headers_destroy(k->pl.hdrs);
	/* librdkafka's close may wait forever on a broker gone */
	fflush(stdout);
	wn_exit_after(CLOSE_MS, status, "Kafka's client did not close in "
	    "%d s: exiting", CLOSE_MS / 1000);
	rd_kafka_destroy(k->rk);
	wn_free(&k->wn);
	kpos_free(&k->pos);
	buf_free(&k->redo);
	kl_free(&k->log);
	nd_free(&k->rd);
	jr_free(&k->jr);
	env_free(&k->env);
	buf_free(&k->pl.kdbuf);
	ksd_free(&k->sd);
	return status;
}

/* ---- options and the run ------------------------------------------ */

enum { O_FIXKEY = 256 };

#define KS_POSONLY	"--position-field and --progress-group go together, " \
			    "not with -J"

/* The options: the rules of each, then what plan() does with them. */
static const struct kp_opt opts[] = {
	{ "topic", 't', KA_STR, 0, 0, KP_AT(struct sink, pl.topic) },
	{ "envelope", 'J', KA_NONE, 0, 0,
	    .excludes = "key-delimiter fixed-key null",
	    .xwhy = "-J: the envelope holds the key and the value (-K, "
	    "--fixed-key and -Z do not apply)",
	    KP_AT(struct sink, pl.envelope) },
	{ "key", 'k', KA_STR, 0, 0, .excludes = "key-delimiter fixed-key",
	    .xwhy = "-k: the key comes from a field, or from -K or "
	    "--fixed-key, not both", KP_AT(struct sink, pl.kfield) },
	{ "key-delimiter", 'K', KA_STR, 0, 0, .id = 'K' },
	{ "fixed-key", 0, KA_STR, 0, 0, .id = O_FIXKEY,
	    KP_AT(struct sink, pl.fixkey) },
	{ "null", 'Z', KA_NONE, 0, 0, KP_AT(struct sink, pl.null) },
	{ "count", 'c', KA_INT, 1, INT64_MAX, KP_AT(struct sink, pl.count) },
	{ "partition", 'p', KA_INT, 0, INT32_MAX,
	    KP_AT(struct sink, pl.partition) },
	{ "ts-field", 0, KA_STR, 0, 0, KP_AT(struct sink, pl.tfield) },
	{ "time-unit", 0, KA_ENUM, 0, 0, tu_units, .needs = "ts-field",
	    KP_AT(struct sink, pl.unit) },
	{ "header", 'H', KA_STR, 0, 0, .id = 'H' },
	{ "compression", 'z', KA_STR, 0, 0, KP_AT(struct sink, pl.codec) },
	KC_OPTS,
	KSD_OPTS,
	{ "metadata-timeout", 'm', KA_DUR, 1, 0,
	    KP_AT(struct sink, pl.meta_ms) },
	{ "flush-timeout", 0, KA_DUR, 0, 0, KP_AT(struct sink, pl.flush_ms) },
	{ "txn-records", 0, KA_INT, 1, 100000000,
	    KP_AT(struct sink, pl.txn_records) },
	{ "txn-interval", 0, KA_DUR, 0, 0, KP_AT(struct sink, pl.txn_ms) },
	{ "progress", 0, KA_NONE, 0, 0, KP_AT(struct sink, pl.progress) },
	{ "verbose", 'v', KA_NONE, 0, 0, KP_AT(struct sink, pl.verbose) },
	{ "partitions", 0, KA_INT, 1, KCREATE_MAXPARTS, .needs = "topic",
	    .why = "--partitions: the topic of -t is the one made (not with "
	    "-J)", KP_AT(struct sink, pl.parts) },
	{ "replication", 0, KA_INT, 1, INT16_MAX, .needs = "partitions",
	    KP_AT(struct sink, pl.repl) },
	{ "exactly-once", 0, KA_NONE, 0, 0,
	    .excludes = "position-field progress-group envelope",
	    .xwhy = "--exactly-once takes the positions from the stream's "
	    "control lines: not with --position-field, --progress-group or "
	    "-J", KP_AT(struct sink, pos.eo) },
	{ "position-field", 0, KA_STR, 0, 0, .needs = "progress-group",
	    .excludes = "envelope", .why = KS_POSONLY, .xwhy = KS_POSONLY,
	    KP_AT(struct sink, pos.field) },
	{ "progress-group", 0, KA_STR, 0, 0, .needs = "position-field",
	    .excludes = "envelope", .why = KS_POSONLY, .xwhy = KS_POSONLY,
	    KP_AT(struct sink, pos.group) },
	POL_OPTS,
	KP_OPT_HELP,
	{ NULL }
};

/* -K delim, unescaped */
static void
set_kdelim(struct sink *k, const char *arg)
{
	k->pl.kdbuf.len = 0;
	if (kc_unescape(&k->pl.kdbuf, arg, strlen(arg)) == 0)
		errx(EX_USAGE, "-K: empty delimiter");
	k->pl.kdelim = buf_cstr(&k->pl.kdbuf);
	k->pl.kdlen = k->pl.kdbuf.len;
}

/* The fields the records are read for: the key, the timestamp, and
 * --position-field's (or --exactly-once's) position. */
static void
plan_fields(struct sink *k)
{
	if (k->pl.envelope)
		env_init(&k->env, &k->jr);
	k->env.anykey = k->sd.kavro;	/* -s key=avro: a key of any JSON */
	if (k->pl.kfield != NULL)
		k->kpath = jr_addpath(&k->jr, k->pl.kfield);
	if (k->pl.tfield != NULL)
		k->tpath = jr_addpath(&k->jr, k->pl.tfield);
	if (k->pl.fixkey != NULL)
		k->pl.fixlen = strlen(k->pl.fixkey);
	if (k->pos.eo)
		k->pos.field = "position";
	else if (k->pos.field != NULL) {
		if (*k->pos.field == '\0' || *k->pos.group == '\0')
			errx(EX_USAGE, KS_POSONLY);
		k->pos.path = jr_addpath(&k->jr, k->pos.field);
		k->jr.copy = &k->pos.copy;	/* the spans, to strip it */
		k->jr.reuse = 1;
	}
}

/* The options into k: exits 64 on a usage error. */
static void
plan(struct sink *k, int argc, char **argv)
{
	struct kp_optp p;
	int ch;

	kc_init(&k->kc);
	jr_init(&k->jr);
	pol_init(&k->pol, "<stdin>", 0);
	k->pl.partition = RD_KAFKA_PARTITION_UA;
	k->kpath = k->tpath = -1;
	k->pl.unit = TU_MS;
	k->pl.flush_ms = 30000;
	k->pl.txn_records = 100000;
	k->pl.txn_ms = 1000;
	k->pl.meta_ms = 10000;
	k->pl.count = -1;
	kp_opt_init(&p, opts, k, usage, argc, argv);
	while ((ch = kp_opt_next(&p)) != -1) {
		if (ch == 'K')
			set_kdelim(k, p.arg);
		else if (ch == 'H')
			add_header(k, p.arg);
		else if (p.opt->off == 0 && !kc_option(&k->kc, ch, p.arg) &&
		    !ksd_option(&k->sd, ch, p.arg))
			pol_option(&k->pol, ch, p.arg, usage);
	}
	if (k->pl.topic == NULL && !k->pl.envelope) {
		warnx("name a topic with -t (or read envelopes with -J)");
		usage(stderr);
	}
	if (k->pl.topic != NULL && k->pl.topic[0] == '\0')
		errx(EX_USAGE, "-t: empty topic name");
	ksd_check(&k->sd, k->pl.envelope, k->pl.kfield, k->pl.topic);
	if (k->pl.kfield != NULL && (k->pl.kdelim != NULL ||
	    k->pl.fixkey != NULL))
		errx(EX_USAGE, "-k %s: the key comes from a field, or from -K "
		    "or --fixed-key, not both", k->pl.kfield);
	kp_opt_rules(&p);
	plan_fields(k);
}

/* The last transaction: committed after a clean end, a stop request or
 * a rejected line under abort; else aborted. The exit status. */
static int
txn_end(struct sink *k, int status)
{
	if (!k->txn || status == EX_TEMPFAIL)
		return status;
	if (status == EX_UNAVAILABLE || rd_kafka_fatal_error(k->rk, NULL,
	    0) != RD_KAFKA_RESP_ERR_NO_ERROR)
		txn_abort(k);
	else if (k->pos.field != NULL && !k->pos.point)
		pos_tail(k);
	else if (txn_commit(k) < 0)
		status = EX_TEMPFAIL;
	return status;
}

int
main(int argc, char **argv)
{
	static struct sink k;
	int status;

	plan(&k, argc, argv);
	kp_signals();
	wn_stop_bound(k.pl.flush_ms + STOP_MS, EX_TEMPFAIL, "Kafka did not let "
	    "go %.0f s after the stop request: the records it did not acknowledge "
	    "are not delivered", (double)(k.pl.flush_ms + STOP_MS) / 1000);
	start(&k);
	status = run(&k);
	status = txn_end(&k, status);
	drain(&k);
	return finish(&k, status);
}
