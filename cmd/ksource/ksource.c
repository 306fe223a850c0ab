/* ksource - read Kafka topics as NDJSON, like kcat -C.
 *
 * The options become a plan; then one loop polls the consumer and writes
 * each message value (which must be JSON), or with -J kcat's envelope,
 * into the fully buffered stdout. Without -G the partitions are assigned
 * explicitly from metadata; with -G the group balances them and its
 * committed offsets win. With a group, an offset is stored (and so
 * committed) only once the message and everything before it was written
 * and flushed: at-least-once, whatever stops the process. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "jrec.h"
#include "jscan.h"
#include "jw.h"
#include "kconf.h"
#include "kp.h"
#include "out.h"
#include "policy.h"
#include "timeu.h"

#define MAXTOPICS	64
#define META_MS		10000	/* bound on the startup metadata requests */
#define WAIT_MS		200	/* poll wait: how soon a signal is seen */
#define BATCH		1024	/* messages taken from the queue at once */
#define WAITNOTE_MS	3000	/* -G: unassigned this long, say why */

enum { OFF_BEGIN, OFF_END, OFF_STORED, OFF_ABS, OFF_TAIL, OFF_TIME };

struct pstate {			/* one partition */
	int64_t		 pend;	/* offset after the last handled message */
	int64_t		 stored;	/* last offset given to offsets_store */
	int64_t		 next;	/* next offset to consume; -1 unknown */
	int64_t		 seek_ts;	/* s@ fallback: skip older; -1 off */
	unsigned	 assigned:1, fin:1, done:1, dirty:1;
};

struct topic {
	char		*name;
	rd_kafka_topic_t *rkt;	/* without -G: its consumer handle */
	struct pstate	*p;
	int32_t		 np;
	struct buf	 jpre;	/* {"topic":"NAME","partition": */
};

struct dirty {
	int		 ti;
	int32_t		 part;
};

struct ks {
	/* the plan */
	const char	*topics[MAXTOPICS];
	int		 ntopics;
	int32_t		 part;		/* -p; -1: all */
	int		 offkind;
	int64_t		 offval;
	const char	*offarg;	/* the start -o as given, or NULL */
	int64_t		 stop_ts;	/* e@MS; -1: none */
	int		 eof_exit;	/* -e */
	long long	 count;		/* -c; -1: no limit */
	const char	*group;		/* -G */
	int		 json;		/* -J */
	int		 progress;
	struct kconf	 kc;
	struct policy	 pol;
	/* the run */
	rd_kafka_t	*rk;
	rd_kafka_queue_t *q;		/* without -G: all partitions' queue */
	rd_kafka_message_t *batch[BATCH];	/* taken from q, from bi on */
	ssize_t		 bi, bn;		/* not yet handled */
	int		 storing;	/* -G: store flushed offsets */
	int		 started;	/* startup checks passed */
	int		 coop;		/* cooperative rebalancing */
	char		 lasterr[512];	/* error callback, before started */
	pthread_mutex_t	 lock;		/* guards failure */
	char		 failure[512];	/* first FAIL log, before started */
	struct topic	*tp;
	int		 ntp, cur;
	struct dirty	*dirty;
	size_t		 ndirty, dirtycap;
	int		 nassigned, nfin;
	unsigned long long written;
	struct out	 out;
	struct jrec	 jr;
	struct buf	 copy, rec;
	int		 werr;		/* errno of a failed write; 0 */
	int		 dlerr;		/* the dead-letter file failed */
	int64_t		 tick;		/* --progress: next report */
	int64_t		 lastt;
	unsigned long long lastn;
	int64_t		 waitnote;	/* -G: when to say it waits; 0 said */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: ksource -t topic [-t topic ...] [-p partition]\n"
	    "               [-o beginning|end|stored|N|-N|s@ms|e@ms] [-e] [-c count]\n"
	    "               [-G group] [-J] [-b brokers] [-X prop=value] [-F file]\n"
	    "               [--progress] [--on-error skip|abort] [--dead-letter file]\n");
	exit(f == stdout ? 0 : EX_USAGE);
}

/* ---- partitions --------------------------------------------------- */

static int
topic_index(struct ks *k, const char *name)
{
	struct topic *t;
	int i;

	if (k->ntp > 0 && strcmp(k->tp[k->cur].name, name) == 0)
		return k->cur;
	for (i = 0; i < k->ntp; i++)
		if (strcmp(k->tp[i].name, name) == 0)
			return k->cur = i;
	k->tp = kp_xrealloc(k->tp, (size_t)(k->ntp + 1) * sizeof(*k->tp));
	t = &k->tp[k->ntp];
	memset(t, 0, sizeof(*t));
	t->name = kp_xstrdup(name);
	buf_adds(&t->jpre, "{\"topic\":");
	if (jw_utf8ok(name, strlen(name)))
		jw_str(&t->jpre, name, strlen(name));
	else
		jw_b64(&t->jpre, (const unsigned char *)name, strlen(name));
	buf_adds(&t->jpre, ",\"partition\":");
	return k->cur = k->ntp++;
}

/* The topic of a message: by its handle when that is one we hold (its
 * address cannot be reused meanwhile), else by name. */
static int
topic_of(struct ks *k, rd_kafka_topic_t *rkt)
{
	if (k->ntp > 0 && rkt == k->tp[k->cur].rkt)
		return k->cur;
	return topic_index(k, rd_kafka_topic_name(rkt));
}

static struct pstate *
pstate(struct ks *k, int ti, int32_t part)
{
	struct topic *t = &k->tp[ti];
	int32_t n;

	if (part >= t->np) {
		n = t->np ? t->np : 8;
		while (n <= part)
			n *= 2;
		t->p = kp_xrealloc(t->p, (size_t)n * sizeof(*t->p));
		for (; t->np < n; t->np++) {
			memset(&t->p[t->np], 0, sizeof(*t->p));
			t->p[t->np].pend = t->p[t->np].stored = -1;
			t->p[t->np].next = t->p[t->np].seek_ts = -1;
		}
	}
	return &t->p[part];
}

/* A message (written, skipped or rejected) is handled: its offset may be
 * stored at the next successful flush. */
static void
handled(struct ks *k, int ti, int32_t part, struct pstate *ps, int64_t off)
{
	ps->pend = off + 1;
	if (!k->storing || ps->dirty)
		return;
	if (k->ndirty == k->dirtycap) {
		k->dirtycap = k->dirtycap ? k->dirtycap * 2 : 16;
		k->dirty = kp_xrealloc(k->dirty,
		    k->dirtycap * sizeof(*k->dirty));
	}
	k->dirty[k->ndirty].ti = ti;
	k->dirty[k->ndirty].part = part;
	k->ndirty++;
	ps->dirty = 1;
}

/* The partition has nothing more to give: -e reached its end, or e@MS
 * its stop time. */
static void
finished(struct ks *k, struct pstate *ps)
{
	if (!ps->fin && ps->assigned)
		k->nfin++;
	ps->fin = 1;
}

static void
recount(struct ks *k)
{
	int i;
	int32_t j;

	k->nassigned = k->nfin = 0;
	for (i = 0; i < k->ntp; i++)
		for (j = 0; j < k->tp[i].np; j++) {
			if (!k->tp[i].p[j].assigned)
				continue;
			k->nassigned++;
			k->nfin += k->tp[i].p[j].fin;
		}
}

/* ---- output and offsets ------------------------------------------- */

/* Store pend for every partition handled since the last flush. Only
 * called right after stdout was flushed. */
static void
store(struct ks *k)
{
	rd_kafka_topic_partition_list_t *l;
	struct pstate *ps;
	size_t i;

	l = rd_kafka_topic_partition_list_new((int)k->ndirty);
	for (i = 0; i < k->ndirty; i++) {
		ps = &k->tp[k->dirty[i].ti].p[k->dirty[i].part];
		ps->dirty = 0;
		if (ps->pend <= ps->stored)
			continue;
		rd_kafka_topic_partition_list_add(l, k->tp[k->dirty[i].ti].name,
		    k->dirty[i].part)->offset = ps->pend;
		ps->stored = ps->pend;
	}
	k->ndirty = 0;
	/* A partition revoked meanwhile answers ERR__STATE: its new owner
	 * starts from the last commit, so nothing is lost. */
	if (l->cnt > 0)
		(void)rd_kafka_offsets_store(k->rk, l);
	rd_kafka_topic_partition_list_destroy(l);
}

/* Write out what is buffered; then, and only then, store its offsets.
 * After a failed write nothing is ever stored again. */
static int
flush_store(struct ks *k)
{
	if (k->werr)
		return -1;
	if (out_flush(&k->out) < 0) {
		k->werr = errno;
		return -1;
	}
	if (k->pol.dl != NULL && !k->dlerr &&
	    (fflush(k->pol.dl) != 0 || ferror(k->pol.dl))) {
		warn("--dead-letter %s", k->pol.dlpath);
		k->dlerr = 1;
	}
	if (k->dlerr)
		return -1;
	if (k->ndirty > 0)
		store(k);
	return 0;
}

/* Append one record of n bytes, then a newline. A record never straddles
 * a flush, so a flush covers whole records. */
static int
put(struct ks *k, const char *p, size_t n)
{
	if (k->out.cap - k->out.len < n + 1 && flush_store(k) < 0)
		return -1;
	if (out_write(&k->out, p, n) < 0 || out_write(&k->out, "\n", 1) < 0) {
		k->werr = errno;
		return -1;
	}
	return 0;
}

/* ---- messages ----------------------------------------------------- */

/* A non-JSON value: message, dead letter, and -1 under abort. */
static int
reject(struct ks *k, int ti, const rd_kafka_message_t *m, const char *why)
{
	char where[320];

	snprintf(where, sizeof(where), "%s/%" PRId32 "@%" PRId64,
	    k->tp[ti].name, m->partition, m->offset);
	return pol_rejectat(&k->pol, where, m->payload != NULL ?
	    (const char *)m->payload : "", m->len, "%s", why);
}

/* Validate p[0..n) as JSON. 1 when valid, with *out and *outn the text to
 * write: p itself, or its compact copy when it spans lines. */
static int
json_value(struct ks *k, const char *p, size_t n, const char **out,
    size_t *outn)
{
	int lines;

	/* the usual value: one quick pass; the rest, and every error
	 * message, from the full parse */
	if (js_quick(p, n)) {
		*out = p;
		*outn = n;
		return 1;
	}
	lines = memchr(p, '\n', n) != NULL || memchr(p, '\r', n) != NULL;
	k->jr.copy = lines ? &k->copy : NULL;
	if (jr_parse(&k->jr, p, n) < 0)
		return 0;
	*out = lines ? k->copy.p : p;
	*outn = lines ? k->copy.len : n;
	return 1;
}

/* s as a JSON string; bytes that are not UTF-8 become U+FFFD (header
 * names and values only: keys and payloads go to *_base64 instead). */
static void
str_lossy(struct buf *b, const char *s, size_t n)
{
	struct buf t = { 0 };
	size_t i = 0, j;
	int len;
	unsigned char c;

	if (jw_utf8ok(s, n)) {
		jw_str(b, s, n);
		return;
	}
	while (i < n) {
		c = (unsigned char)s[i];
		len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 :
		    (c >> 3) == 30 ? 4 : 0;
		for (j = 1; len > 1 && (int)j < len; j++)
			if (i + j >= n || ((unsigned char)s[i + j] >> 6) != 2)
				len = 0;
		if (len > 0 && jw_utf8ok(s + i, (size_t)len)) {
			buf_add(&t, s + i, (size_t)len);
			i += (size_t)len;
		} else {
			buf_adds(&t, "\xef\xbf\xbd");
			i++;
		}
	}
	jw_str(b, t.p, t.len);
	buf_free(&t);
}

/* kcat's -J envelope, field for field, except that a JSON payload is
 * embedded as JSON and bytes that are not UTF-8 never reach the JSON. */
static int
envelope(struct ks *k, int ti, const rd_kafka_message_t *m, int64_t ts,
    rd_kafka_timestamp_type_t tstype)
{
	struct buf *r = &k->rec;
	rd_kafka_headers_t *hdrs;
	const char *name, *v;
	const void *value;
	size_t size, i, vn;
	int first = 1;

	r->len = 0;
	buf_add(r, k->tp[ti].jpre.p, k->tp[ti].jpre.len);
	jw_i64(r, m->partition);
	buf_adds(r, ",\"offset\":");
	jw_i64(r, m->offset);
	if (tstype != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) {
		if (tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME)
			buf_adds(r, ",\"tstype\":\"create\",\"ts\":");
		else if (tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME)
			buf_adds(r, ",\"tstype\":\"logappend\",\"ts\":");
		else
			buf_adds(r, ",\"tstype\":\"unknown\",\"ts\":");
		jw_i64(r, ts);
	}
	buf_adds(r, ",\"broker\":");
	jw_i64(r, rd_kafka_message_broker_id(m));
	if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		buf_adds(r, ",\"headers\":[");
		for (i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value,
		    &size) == RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
			if (!first)
				buf_addc(r, ',');
			first = 0;
			str_lossy(r, name, strlen(name));
			buf_addc(r, ',');
			if (value == NULL)
				buf_adds(r, "null");
			else
				str_lossy(r, value, size);
		}
		buf_addc(r, ']');
	}
	if (m->key == NULL)
		buf_adds(r, ",\"key\":null");
	else if (jw_utf8ok(m->key, m->key_len)) {
		buf_adds(r, ",\"key\":");
		jw_str(r, m->key, m->key_len);
	} else {
		buf_adds(r, ",\"key_base64\":");
		jw_b64(r, m->key, m->key_len);
	}
	if (m->payload == NULL)
		buf_adds(r, ",\"payload\":null}");
	else if (m->len > 0 && json_value(k, m->payload, m->len, &v, &vn)) {
		buf_adds(r, ",\"payload\":");
		buf_add(r, v, vn);
		buf_addc(r, '}');
	} else if (jw_utf8ok(m->payload, m->len)) {
		buf_adds(r, ",\"payload\":");
		jw_str(r, m->payload, m->len);
		buf_addc(r, '}');
	} else {
		buf_adds(r, ",\"payload_base64\":");
		jw_b64(r, m->payload, m->len);
		buf_addc(r, '}');
	}
	return put(k, r->p, r->len);
}

/* Consumer errors other than end of partition. */
static int
message_error(struct ks *k, rd_kafka_message_t *m)
{
	const char *t = m->rkt ? rd_kafka_topic_name(m->rkt) : NULL;

	switch (m->err) {
	case RD_KAFKA_RESP_ERR__PARTITION_EOF:
		if (t != NULL)
			finished(k, pstate(k, topic_index(k, t),
			    m->partition));
		return 0;
	case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
	case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
	case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR__FATAL:
		warnx("%s%s%s", t ? t : "", t ? ": " : "",
		    rd_kafka_message_errstr(m));
		return EX_UNAVAILABLE;
	default:
		if (t != NULL)
			warnx("%s/%" PRId32 ": %s", t, m->partition,
			    rd_kafka_message_errstr(m));
		else
			warnx("kafka: %s", rd_kafka_message_errstr(m));
		return 0;
	}
}

/* One message. 0 go on; else the exit status to stop with (-1: stop,
 * status 0). */
static int
handle(struct ks *k, rd_kafka_message_t *m)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_timestamp_type_t tstype;
	struct pstate *ps;
	const char *v;
	size_t vn;
	int64_t ts;
	int ti;

	if (m->err)
		return message_error(k, m);
	ti = topic_of(k, m->rkt);
	ps = pstate(k, ti, m->partition);
	ps->next = m->offset + 1;
	if (ps->done)
		return 0;
	ts = rd_kafka_message_timestamp(m, &tstype);
	if (k->stop_ts >= 0 && ts >= k->stop_ts) {
		ps->done = 1;
		finished(k, ps);
		l = rd_kafka_topic_partition_list_new(1);
		rd_kafka_topic_partition_list_add(l, k->tp[ti].name,
		    m->partition);
		rd_kafka_pause_partitions(k->rk, l);
		rd_kafka_topic_partition_list_destroy(l);
		return 0;
	}
	if (ps->seek_ts >= 0) {
		if (ts < ps->seek_ts) {
			handled(k, ti, m->partition, ps, m->offset);
			return 0;
		}
		ps->seek_ts = -1;
	}
	if (k->json) {
		if (envelope(k, ti, m, ts, tstype) < 0)
			return -1;
	} else if (m->payload == NULL || m->len == 0) {
		handled(k, ti, m->partition, ps, m->offset);	/* tombstone */
		return 0;
	} else if (!json_value(k, m->payload, m->len, &v, &vn)) {
		if (reject(k, ti, m, k->jr.err) < 0)
			return EX_DATAERR;
		handled(k, ti, m->partition, ps, m->offset);
		return 0;
	} else if (put(k, v, vn) < 0)
		return -1;
	handled(k, ti, m->partition, ps, m->offset);
	k->written++;
	if (k->count >= 0 && k->written >= (unsigned long long)k->count)
		return -1;
	return 0;
}

/* ---- librdkafka callbacks ----------------------------------------- */

static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct ks *k = opaque;

	(void)rk;
	if (!k->started) {
		/* kept for "cannot reach Kafka"; the first real cause wins
		 * over the "all brokers are down" that follows it */
		if (k->lasterr[0] == '\0' ||
		    (err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN &&
		    strstr(k->lasterr, "brokers are down") != NULL))
			snprintf(k->lasterr, sizeof(k->lasterr), "%s", reason);
		return;
	}
	warnx("kafka: %s", reason);
}

/* librdkafka's own log lines: only warnings and errors that the error
 * callback does not already report, or everything with -X debug=... */
static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct ks *k = rd_kafka_opaque(rk);
	char dbg[8];
	size_t n = sizeof(dbg);

	if (!k->started && strcmp(fac, "FAIL") == 0) {
		/* from a broker thread: the cause of "cannot reach" */
		if (strncmp(buf, "[thrd:", 6) == 0 && strstr(buf, "]: ") != NULL)
			buf = strstr(buf, "]: ") + 3;
		pthread_mutex_lock(&k->lock);
		if (k->failure[0] == '\0')
			snprintf(k->failure, sizeof(k->failure), "%s", buf);
		pthread_mutex_unlock(&k->lock);
	}

	if (rd_kafka_conf_get(rd_kafka_conf((rd_kafka_t *)rk), "debug", dbg,
	    &n) == RD_KAFKA_CONF_OK && n > 1) {
		fprintf(stderr, "ksource: kafka: %s: %s\n", fac, buf);
		return;
	}
	if (level > 4 || strcmp(fac, "FAIL") == 0 || strcmp(fac, "ERROR") == 0)
		return;
	fprintf(stderr, "ksource: kafka: %s\n", buf);
}

static void
mark_assigned(struct ks *k, rd_kafka_topic_partition_list_t *l, int on)
{
	struct pstate *ps;
	int i;

	for (i = 0; i < l->cnt; i++) {
		ps = pstate(k, topic_index(k, l->elems[i].topic),
		    l->elems[i].partition);
		ps->assigned = on;
		ps->fin = ps->done = 0;
		ps->next = -1;
	}
}

/* --progress: say which partitions the group gave or took back, as
 * "ksource: assigned t[0,1] u[3]". */
static void
say_assignment(const char *what, const rd_kafka_topic_partition_list_t *l)
{
	const char *prev = NULL;
	int i;

	fprintf(stderr, "ksource: %s", what);
	for (i = 0; i < l->cnt; i++) {
		if (prev == NULL || strcmp(prev, l->elems[i].topic) != 0)
			fprintf(stderr, "%s %s[", prev == NULL ? "" : "]",
			    l->elems[i].topic);
		else
			fputc(',', stderr);
		fprintf(stderr, "%" PRId32, l->elems[i].partition);
		prev = l->elems[i].topic;
	}
	fputs(l->cnt > 0 ? "]\n" : " nothing\n", stderr);
}

static void
on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *l, void *opaque)
{
	struct ks *k = opaque;
	int i;
	int32_t j;

	k->coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	if (k->progress)
		say_assignment(err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ?
		    "assigned" : "revoked", l);
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		if (!k->coop)
			for (i = 0; i < k->ntp; i++)
				for (j = 0; j < k->tp[i].np; j++)
					k->tp[i].p[j].assigned = 0;
		mark_assigned(k, l, 1);
		if (k->coop)
			rd_kafka_incremental_assign(rk, l);
		else
			rd_kafka_assign(rk, l);
	} else {
		/* Write out and store what was handled, so the commit on
		 * revoke covers it and the next owner starts after it. */
		(void)flush_store(k);
		mark_assigned(k, l, 0);
		if (k->coop)
			rd_kafka_incremental_unassign(rk, l);
		else
			rd_kafka_assign(rk, NULL);
	}
	recount(k);
}

/* ---- startup ------------------------------------------------------ */

static void __attribute__((noreturn))
unreachable(struct ks *k, rd_kafka_resp_err_t err)
{
	rd_kafka_message_t *m;
	int i;

	/* serve the queued error events: they hold the cause */
	for (i = 0; i < 5; i++)
		if (k->q != NULL)
			rd_kafka_poll(k->rk, 10);
		else if ((m = rd_kafka_consumer_poll(k->rk, 10)) != NULL)
			rd_kafka_message_destroy(m);
	pthread_mutex_lock(&k->lock);
	errx(EX_UNAVAILABLE, "cannot reach Kafka at %s: %s", k->kc.used,
	    k->lasterr[0] ? k->lasterr : k->failure[0] ? k->failure :
	    rd_kafka_err2str(err));
}

/* Metadata of one topic (bounded in time); exits 69 when the cluster
 * cannot be reached or the topic does not exist. */
static rd_kafka_topic_t *
topic_new(struct ks *k, const char *name)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(k->rk, name, NULL);

	if (rkt == NULL)
		errx(EX_USAGE, "-t %s: %s", name,
		    rd_kafka_err2str(rd_kafka_last_error()));
	return rkt;
}

static const struct rd_kafka_metadata *
topic_meta(struct ks *k, rd_kafka_topic_t *rkt)
{
	const struct rd_kafka_metadata *md;
	const char *name = rd_kafka_topic_name(rkt);
	rd_kafka_resp_err_t err;

	err = rd_kafka_metadata(k->rk, 0, rkt, &md, META_MS);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		unreachable(k, err);
	if (md->topic_cnt != 1)
		errx(EX_UNAVAILABLE, "topic %s: no metadata from %s", name,
		    k->kc.used);
	err = md->topics[0].err;
	if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
	    err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
		errx(EX_UNAVAILABLE, "topic %s does not exist at %s", name,
		    k->kc.used);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR || md->topics[0].partition_cnt == 0)
		errx(EX_UNAVAILABLE, "topic %s at %s: %s", name, k->kc.used,
		    err ? rd_kafka_err2str(err) : "no partitions");
	return md;
}

/* s@MS: the broker's offsets for the time. Its -1 means no message that
 * recent, and the partition is read from its end, as kcat does; but the
 * mock cluster answers -1 for every time, so a -1 is believed only when
 * the broker finds the same partition's first message for time 0 (or the
 * partition is empty). Elsewhere (the mock): read from the beginning and
 * skip older messages, with a note. */
static void
offsets_for_time(struct ks *k, rd_kafka_topic_partition_list_t *l)
{
	rd_kafka_topic_partition_list_t *probe;
	rd_kafka_topic_partition_t *e;
	rd_kafka_resp_err_t err, perr;
	struct pstate *ps;
	int64_t lo, hi;
	int i, n = 0;

	for (i = 0; i < l->cnt; i++)
		l->elems[i].offset = k->offval;
	err = rd_kafka_offsets_for_times(k->rk, l, META_MS);
	probe = rd_kafka_topic_partition_list_new(l->cnt);
	for (i = 0; i < l->cnt; i++)
		if (err || l->elems[i].err || l->elems[i].offset < 0)
			rd_kafka_topic_partition_list_add(probe,
			    l->elems[i].topic, l->elems[i].partition)->offset = 0;
	perr = probe->cnt > 0 ?
	    rd_kafka_offsets_for_times(k->rk, probe, META_MS) : 0;
	for (i = 0; i < l->cnt; i++) {
		e = &l->elems[i];
		if (!err && !e->err && e->offset >= 0)
			continue;
		if (!err && !e->err) {
			rd_kafka_topic_partition_t *pe =
			    rd_kafka_topic_partition_list_find(probe, e->topic,
			    e->partition);
			if (!perr && pe != NULL && !pe->err && pe->offset >= 0) {
				e->offset = RD_KAFKA_OFFSET_END;
				continue;
			}
			if (rd_kafka_query_watermark_offsets(k->rk, e->topic,
			    e->partition, &lo, &hi, META_MS) == 0 && hi <= lo) {
				e->offset = RD_KAFKA_OFFSET_BEGINNING;
				continue;
			}
		}
		e->offset = RD_KAFKA_OFFSET_BEGINNING;
		e->err = RD_KAFKA_RESP_ERR_NO_ERROR;
		ps = pstate(k, topic_index(k, e->topic), e->partition);
		ps->seek_ts = k->offval;
		n++;
	}
	rd_kafka_topic_partition_list_destroy(probe);
	if (n > 0)
		warnx("note: s@%" PRId64 ": the broker has no offset for that "
		    "time on %d of %d partitions; reading %s from the "
		    "beginning and skipping messages older than %" PRId64,
		    k->offval, n, l->cnt, n == 1 ? "it" : "them", k->offval);
}

/* Without -G: every partition of every topic (or -p), from -o, on one
 * queue, as kcat -C does (no group is involved, none is needed). */
static void
start_simple(struct ks *k)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_partition_t *e;
	struct topic *t;
	int64_t off;
	int i, j, ti;

	switch (k->offkind) {
	case OFF_END:
		off = RD_KAFKA_OFFSET_END;
		break;
	case OFF_ABS:
		off = k->offval;
		break;
	case OFF_TAIL:
		off = RD_KAFKA_OFFSET_TAIL(k->offval);
		break;
	default:
		off = RD_KAFKA_OFFSET_BEGINNING;
	}
	l = rd_kafka_topic_partition_list_new(16);
	for (i = 0; i < k->ntopics; i++) {
		ti = topic_index(k, k->topics[i]);
		if (k->tp[ti].rkt != NULL)
			continue;	/* named twice */
		k->tp[ti].rkt = topic_new(k, k->topics[i]);
		md = topic_meta(k, k->tp[ti].rkt);
		for (j = 0; j < md->topics[0].partition_cnt; j++)
			if (k->part < 0 ||
			    md->topics[0].partitions[j].id == k->part)
				rd_kafka_topic_partition_list_add(l,
				    k->topics[i],
				    md->topics[0].partitions[j].id)->offset = off;
		if (k->part >= 0 && (l->cnt == 0 ||
		    strcmp(l->elems[l->cnt - 1].topic, k->topics[i]) != 0))
			errx(EX_UNAVAILABLE, "-p %" PRId32 ": topic %s has %d "
			    "partitions (0..%d)", k->part, k->topics[i],
			    md->topics[0].partition_cnt,
			    md->topics[0].partition_cnt - 1);
		rd_kafka_metadata_destroy(md);
	}
	if (k->offkind == OFF_TIME)
		offsets_for_time(k, l);
	mark_assigned(k, l, 1);
	k->q = rd_kafka_queue_new(k->rk);
	for (i = 0; i < l->cnt; i++) {
		e = &l->elems[i];
		t = &k->tp[topic_index(k, e->topic)];
		if (rd_kafka_consume_start_queue(t->rkt, e->partition,
		    e->offset, k->q) == -1)
			errx(EX_UNAVAILABLE, "%s/%" PRId32 ": cannot start "
			    "consuming: %s", e->topic, e->partition,
			    rd_kafka_err2str(rd_kafka_last_error()));
	}
	rd_kafka_topic_partition_list_destroy(l);
	recount(k);
}

/* With -G: subscribe, after checking that each named topic exists. */
static void
subscribe(struct ks *k)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_resp_err_t err;
	rd_kafka_topic_t *rkt;
	int i;

	rd_kafka_poll_set_consumer(k->rk);
	l = rd_kafka_topic_partition_list_new(k->ntopics);
	for (i = 0; i < k->ntopics; i++) {
		if (k->topics[i][0] != '^') {	/* a regex: nothing to check */
			rkt = topic_new(k, k->topics[i]);
			rd_kafka_metadata_destroy(topic_meta(k, rkt));
			rd_kafka_topic_destroy(rkt);
		}
		rd_kafka_topic_partition_list_add(l, k->topics[i],
		    RD_KAFKA_PARTITION_UA);
	}
	if ((err = rd_kafka_subscribe(k->rk, l)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		errx(EX_UNAVAILABLE, "cannot subscribe: %s",
		    rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
}

static int
x_has(const struct kconf *kc, const char *prop)
{
	size_t n = strlen(prop);
	int i;

	for (i = 0; i < kc->nx; i++)
		if (strncmp(kc->x[i], prop, n) == 0 && kc->x[i][n] == '=')
			return 1;
	return 0;
}

static void
start(struct ks *k)
{
	/* librdkafka's defaults but for these (the file and -X override
	 * them): see ksource(1), CONSUMER SETTINGS */
	static const char *const defaults[] = {
		"queued.min.messages=500000",
		NULL
	}, *const eof_defaults[] = {	/* -e */
		"queued.min.messages=500000",
		"fetch.wait.max.ms=20",
		NULL
	};
	rd_kafka_conf_t *conf;
	char errstr[512];

	k->kc.defaults = k->eof_exit ? eof_defaults : defaults;
	conf = kc_build(&k->kc);
	rd_kafka_conf_set_opaque(conf, k);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_log_cb(conf, on_log);
	if (k->group != NULL) {
		kc_set(conf, "group.id", k->group, "-G");
		rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
		if (k->offarg != NULL || !x_has(&k->kc, "auto.offset.reset"))
			kc_set(conf, "auto.offset.reset",
			    k->offkind == OFF_END ? "latest" : "earliest",
			    "-o");
		/* stored by store(), once written and flushed */
		kc_set(conf, "enable.auto.offset.store", "false", "-G");
		k->storing = 1;
	}
	if (k->eof_exit)
		kc_set(conf, "enable.partition.eof", "true", "-e");
	k->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
	if (k->rk == NULL)
		errx(EX_USAGE, "%s", errstr);
	if (k->group != NULL)
		subscribe(k);
	else
		start_simple(k);
	k->started = 1;
}

/* ---- the loop ----------------------------------------------------- */

static void
progress(struct ks *k, int64_t now)
{
	int64_t lo, hi, lag = 0;
	struct pstate *ps;
	int i, known = 0;
	int32_t j;

	for (i = 0; i < k->ntp; i++)
		for (j = 0; j < k->tp[i].np; j++) {
			ps = &k->tp[i].p[j];
			if (!ps->assigned || rd_kafka_get_watermark_offsets(
			    k->rk, k->tp[i].name, j, &lo, &hi) ||
			    hi < 0)
				continue;
			lag += hi - (ps->next >= 0 ? ps->next : lo);
			known++;
		}
	fprintf(stderr, "ksource: %llu records, %.0f/s, lag %" PRId64
	    "%s\n", k->written, (double)(k->written - k->lastn) * 1000 /
	    (double)(now - k->lastt > 0 ? now - k->lastt : 1), lag,
	    known < k->nassigned ? " (some partitions not yet known)" : "");
	k->lastn = k->written;
	k->lastt = now;
	k->tick = now + 1000;
}

static rd_kafka_message_t *
next_message(struct ks *k, int ms)
{
	if (k->q == NULL)
		return rd_kafka_consumer_poll(k->rk, ms);
	if (k->bi < k->bn)
		return k->batch[k->bi++];
	if (ms > 0) {
		rd_kafka_poll(k->rk, 0);	/* error and log callbacks */
		/* one message: a batch would wait until it is full */
		return rd_kafka_consume_queue(k->q, ms);
	}
	/* what is there, a batch at a time: one lock of the queue, not one
	 * a message */
	k->bi = 0;
	k->bn = rd_kafka_consume_batch_queue(k->q, 0, k->batch, BATCH);
	if (k->bn <= 0) {
		k->bn = 0;
		return NULL;
	}
	return k->batch[k->bi++];
}

static int
run(struct ks *k)
{
	rd_kafka_message_t *m;
	unsigned n = 0;
	int rc;

	k->lastt = tu_mono_ms();
	k->tick = k->lastt + 1000;
	if (k->group != NULL)
		k->waitnote = k->lastt + WAITNOTE_MS;
	for (;;) {
		if (kp_stop)
			return 0;
		if (k->nassigned > 0 && k->nfin == k->nassigned)
			return 0;
		if (k->waitnote > 0 && k->nassigned > 0)
			k->waitnote = 0;
		else if (k->waitnote > 0 && tu_mono_ms() >= k->waitnote) {
			warnx("waiting for group rebalance of %s: a member "
			    "that ended without leaving holds its partitions "
			    "until its session.timeout.ms has passed", k->group);
			k->waitnote = 0;
		}
		m = next_message(k, 0);
		if (m == NULL) {
			/* about to wait: nothing finished may sit here */
			if (flush_store(k) < 0)
				return 0;
			if (k->progress && tu_mono_ms() >= k->tick)
				progress(k, tu_mono_ms());
			m = next_message(k, WAIT_MS);
			if (m == NULL)
				continue;
		}
		rc = handle(k, m);
		rd_kafka_message_destroy(m);
		if (rc != 0)
			return rc < 0 ? 0 : rc;
		if (k->progress && (++n & 1023) == 0 && tu_mono_ms() >= k->tick)
			progress(k, tu_mono_ms());
	}
}

/* Flush and store what was written; with -G leave the group, committing
 * the stored offsets; exit. */
static void __attribute__((noreturn))
finish(struct ks *k, int rc)
{
	rd_kafka_resp_err_t err;
	int i;
	int32_t j;

	(void)flush_store(k);
	if (k->q == NULL) {
		if (!k->werr && !k->dlerr) {
			err = rd_kafka_commit(k->rk, NULL, 0);
			if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
				warnx("commit offsets: %s",
				    rd_kafka_err2str(err));
		}
		rd_kafka_consumer_close(k->rk);
	} else {
		while (k->bi < k->bn)	/* taken, never handled */
			rd_kafka_message_destroy(k->batch[k->bi++]);
		for (i = 0; i < k->ntp; i++)
			for (j = 0; j < k->tp[i].np; j++)
				if (k->tp[i].p[j].assigned)
					rd_kafka_consume_stop(k->tp[i].rkt, j);
		rd_kafka_queue_destroy(k->q);
	}
	for (i = 0; i < k->ntp; i++)
		if (k->tp[i].rkt != NULL)
			rd_kafka_topic_destroy(k->tp[i].rkt);
	rd_kafka_destroy(k->rk);
	if (k->werr && k->werr != EPIPE) {
		errno = k->werr;
		warn("write to standard output");
		rc = EX_IOERR;
	}
	if ((pol_finish(&k->pol) < 0 || k->dlerr) && rc == 0)
		rc = EX_IOERR;
	out_free(&k->out);
	jr_free(&k->jr);
	buf_free(&k->copy);
	buf_free(&k->rec);
	for (i = 0; i < k->ntp; i++) {
		free(k->tp[i].name);
		free(k->tp[i].p);
		buf_free(&k->tp[i].jpre);
	}
	free(k->tp);
	free(k->dirty);
	exit(rc);
}

/* ---- options ------------------------------------------------------ */

static void
parse_offset(struct ks *k, const char *s)
{
	const char *bad = "is not beginning, end, stored, N, -N, s@ms or e@ms";

	if (strncmp(s, "e@", 2) == 0) {
		if (s[2] < '0' || s[2] > '9')
			errx(EX_USAGE, "-o: '%s' %s", s, bad);
		k->stop_ts = kp_num(s + 2, 0, INT64_MAX, "-o e@");
		return;
	}
	k->offarg = s;
	if (strcmp(s, "beginning") == 0)
		k->offkind = OFF_BEGIN;
	else if (strcmp(s, "end") == 0)
		k->offkind = OFF_END;
	else if (strcmp(s, "stored") == 0)
		k->offkind = OFF_STORED;
	else if (strncmp(s, "s@", 2) == 0 && s[2] >= '0' && s[2] <= '9') {
		k->offkind = OFF_TIME;
		k->offval = kp_num(s + 2, 0, INT64_MAX, "-o s@");
	} else if (s[0] == '-' && s[1] >= '0' && s[1] <= '9') {
		k->offkind = OFF_TAIL;
		k->offval = kp_num(s + 1, 0, INT64_MAX / 2, "-o -N");
	} else if (s[0] >= '0' && s[0] <= '9') {
		k->offkind = OFF_ABS;
		k->offval = kp_num(s, 0, INT64_MAX, "-o");
	} else
		errx(EX_USAGE, "-o: '%s' %s", s, bad);
}

int
main(int argc, char **argv)
{
	enum { O_PROGRESS = 256 };
	static const struct option longopts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "partition", required_argument, NULL, 'p' },
		{ "offset", required_argument, NULL, 'o' },
		{ "exit", no_argument, NULL, 'e' },
		{ "count", required_argument, NULL, 'c' },
		{ "group", required_argument, NULL, 'G' },
		{ "json", no_argument, NULL, 'J' },
		KC_LONGOPTS,
		{ "progress", no_argument, NULL, O_PROGRESS },
		{ "on-error", required_argument, NULL, POL_ONERR },
		{ "dead-letter", required_argument, NULL, POL_DL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct ks k;
	int ch, i, rc;

	kc_init(&k.kc);
	pthread_mutex_init(&k.lock, NULL);
	pol_init(&k.pol, "", 0);
	jr_init(&k.jr);
	k.jr.any_root = 1;
	k.part = -1;
	k.count = -1;
	k.stop_ts = -1;
	while ((ch = getopt_long(argc, argv, "t:p:o:ec:G:JhV" KC_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			if (k.ntopics == MAXTOPICS)
				errx(EX_USAGE, "-t: at most %d topics",
				    MAXTOPICS);
			if (*optarg == '\0')
				errx(EX_USAGE, "-t: empty topic name");
			k.topics[k.ntopics++] = optarg;
			break;
		case 'p':
			k.part = (int32_t)kp_num(optarg, 0, INT32_MAX - 1, "-p");
			break;
		case 'o':
			parse_offset(&k, optarg);
			break;
		case 'e':
			k.eof_exit = 1;
			break;
		case 'c':
			k.count = kp_num(optarg, 1, INT64_MAX, "-c");
			break;
		case 'G':
			if (*optarg == '\0')
				errx(EX_USAGE, "-G: empty group name");
			k.group = optarg;
			break;
		case 'J':
			k.json = 1;
			break;
		case O_PROGRESS:
			k.progress = 1;
			break;
		default:
			if (!kc_option(&k.kc, ch, optarg))
				pol_option(&k.pol, ch, optarg, usage);
		}
	}
	if (optind != argc)
		usage(stderr);
	if (k.ntopics == 0)
		errx(EX_USAGE, "give at least one topic with -t topic");
	for (i = 0; k.group == NULL && i < k.ntopics; i++)
		if (k.topics[i][0] == '^')
			errx(EX_USAGE, "-t %s: a topic pattern needs -G group "
			    "(a group subscribes to a pattern; without one, "
			    "name the topics)", k.topics[i]);
	if (k.group != NULL && k.part >= 0)
		errx(EX_USAGE, "-p cannot be used with -G: the group assigns "
		    "the partitions");
	if (k.group == NULL && k.offkind == OFF_STORED)
		errx(EX_USAGE, "-o stored: only with -G group (the group's "
		    "committed offsets)");
	if (k.group != NULL && k.offarg != NULL && k.offkind != OFF_BEGIN &&
	    k.offkind != OFF_END && k.offkind != OFF_STORED)
		errx(EX_USAGE, "-o %s cannot be used with -G: the group's "
		    "committed offsets win (-o beginning or end only say where "
		    "a partition without one starts)", k.offarg);
	kp_signals();
	out_init(&k.out, STDOUT_FILENO, 1 << 16);
	start(&k);
	rc = run(&k);
	finish(&k, rc);
}
