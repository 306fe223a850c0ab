/* ksource - read Kafka topics as NDJSON, like kcat -C.
 *
 * The options become a plan; then one loop polls the consumer and writes
 * each message value (which must be JSON), or with -J kcat's envelope,
 * into the fully buffered stdout. Without -G the partitions are assigned
 * explicitly from metadata; with -G the group balances them and its
 * committed offsets win. With a group, an offset is stored (and so
 * committed) only once the message and everything before it was written
 * and flushed: at-least-once, whatever stops the process.
 *
 * ksource.h holds the plan and the run; broker.c reaches the brokers,
 * group.c answers the group's rebalances, offsets.c keeps the
 * partitions' offsets, merge.c the --ordered merge, format.c the -f
 * output, meta.c -L and -Q, fromgroup.c the --from-group position. */
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
#include "ks.h"
#include "format.h"
#include "ctl.h"
#include "fromgroup.h"
#include "merge.h"
#include "meta.h"
#include "offsets.h"
#include "opt.h"
#include "out.h"
#include "policy.h"
#include "pos.h"
#include "progress.h"
#include "timeu.h"
#include "waitnote.h"

#define STOP_MS	10000	/* after SIGINT or SIGTERM, the end at the latest */

static void
usage(FILE *f)
{
	static const struct kp_optdoc docs[] = {
		{ "-t, --topic topic", "a topic to read; repeatable" },
		{ "-p, --partition N", "only this partition" },
		{ "-o, --offset where", "start (or e@time: stop); default beginning" },
		{ "-e, --exit", "exit at the end of every partition" },
		{ "-c, --count N", "exit after N records" },
		{ "-G, --group group", "read as a member of a consumer group" },
		{ "-J, --json", "kcat's envelope: topic, offset, key, ..." },
		{ "--payload-string", "with -J: the payload as a string (kcat)" },
		{ "-f, --format fmt", "kcat's format: %t %p %o %k %s %T %h ..." },
		{ "-K, --key-delimiter d", "write key, d, value (kcat -K)" },
		{ "-D, --delimiter d", "end each message with d, not a newline" },
		{ "-O, --print-offset", "the offset first, then -K's delimiter" },
		{ "-Z, --null", "write tombstones (null values) as null" },
		{ "-L, --list", "list brokers, topics, partitions, offsets" },
		{ "-L -G group", "a group's committed offsets and lag" },
		{ "-Q, --query", "offsets for times: -t topic:partition:time" },
		{ "-b, --brokers list", "bootstrap servers host:port,..." },
		{ "-X, --property p=v", "a librdkafka property; list; dump" },
		{ "-F, --config file", "librdkafka properties (kcat.conf)" },
		{ "-s, --serdes [key=|value=]fmt", "decode avro, protobuf or json (Confluent)" },
		{ "-r, --schema-registry URL", "the schema registry for -s" },
		{ "--avro-unions plain|wrapped", "-s avro: wrapped, {\"type\": value}" },
		{ "--avro-time number|iso8601", "-s avro: dates and times as text" },
		{ "--ordered", "merge the partitions in timestamp order" },
		{ "--idle duration", "live --ordered: a quiet partition's hold" },
		{ "--broker-timeout d", "exit 69 after d without a broker (60s)" },
		{ "--exactly-once", "with -G: the job's output exactly once" },
		{ "--from-group group", "start at that group's committed offsets" },
		{ "--show-position", "print --from-group's position, exit" },
		{ "--progress", "live status on standard error" },
		{ "-v, --verbose", "every librdkafka message, as it comes" },
		{ "--on-error skip|abort", "what a value that is not JSON does" },
		{ "--dead-letter file", "append values that are not JSON there" },
		{ "-h, --help", "this help" },
		{ "-V, --version", "the version" },
		{ NULL, NULL }
	};

	kp_usage(f,
	    "usage: ksource -t topic [-t topic ...] [-p partition]\n"
	    "               [-o beginning|end|stored|N|-N|s@time|e@time] [-e] [-c count]\n"
	    "               [-G group] [-J [--payload-string]] [-f format] [-K delim]\n"
	    "               [-D delim] [-O] [-Z] [-b brokers] [-X prop=value|list|dump]\n"
	    "               [-F file] [-s [key=|value=]avro|protobuf|json] [-r url]\n"
	    "               [--avro-unions plain|wrapped] [--avro-time number|iso8601]\n"
	    "               [--ordered] [--idle duration]\n"
	    "               [--broker-timeout duration] [--exactly-once]\n"
	    "               [--from-group group [--show-position]]\n"
	    "               [--progress] [-v] [--on-error skip|abort]\n"
	    "               [--dead-letter file]\n"
	    "       ksource -L [-t topic ...] [-G group] [-J] [-b brokers] [-X prop=value]\n"
	    "               [-F file]\n"
	    "       ksource -Q -t topic:partition:time ... [-J] [-b brokers]\n"
	    "               [-X prop=value] [-F file]\n", docs);
}

/* ---- the ordered merge -------------------------------------------- */

/* The partition has nothing more to give; its lane ends too. */
static void
finished(struct ks *k, struct part *ps)
{
	pt_finished(&k->pt, ps);
	if (ps->lane != NULL)
		mg_end(&k->mg, ps->lane);
}

/* ---- messages ----------------------------------------------------- */

/* A non-JSON value: message, dead letter, and -1 under abort. */
static int
reject(struct ks *k, int ti, const rd_kafka_message_t *m, const char *why)
{
	pg_break(&k->pg);
	char where[320];

	snprintf(where, sizeof(where), "%s/%" PRId32 "@%" PRId64,
	    k->pt.tp[ti].name, m->partition, m->offset);
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

/* -s json: what follows the header must be one JSON value, as any value
 * ksource writes (compacted when it spans lines): 0, or -1 with the
 * reason in why. */
static int
json_framed(struct ks *k, struct buf *d, char *why, size_t whyn)
{
	const char *v;
	size_t vn;

	if (!json_value(k, d->p, d->len, &v, &vn)) {
		snprintf(why, whyn, "JSON Schema payload: %s", k->jr.err);
		return -1;
	}
	if (v != d->p) {	/* the compact copy */
		d->len = 0;
		buf_add(d, v, vn);
	}
	return 0;
}

/* -s: decode m's key and value (those -s names, when not null or empty:
 * an empty value is a tombstone, as without -s) into
 * k->dk and k->dv. 0, or -1 with the reason in k->why. */
static int
decode(struct ks *k, const rd_kafka_message_t *m)
{
	char why[480];

	k->dk.len = k->dv.len = 0;
	k->kid = k->vid = -1;
	if (k->pl->kavro && m->key != NULL && m->key_len > 0 &&
	    (sreg_decode(&k->sr, k->pl->kkind, m->key, m->key_len, &k->dk,
	    &k->kid, why, sizeof(why)) < 0 || (k->pl->kkind == SR_JSON &&
	    json_framed(k, &k->dk, why, sizeof(why)) < 0))) {
		snprintf(k->why, sizeof(k->why), "key: %s", why);
		return -1;
	}
	if (k->pl->vavro && m->payload != NULL && m->len > 0 &&
	    (sreg_decode(&k->sr, k->pl->vkind, m->payload, m->len, &k->dv,
	    &k->vid, k->why, sizeof(k->why)) < 0 ||
	    (k->pl->vkind == SR_JSON &&
	    json_framed(k, &k->dv, k->why, sizeof(k->why)) < 0)))
		return -1;
	return 0;
}

/* kcat's -J envelope (fmt_envelope()), the payload embedded as JSON when
 * it is JSON, unless --payload-string; with -s, the key and payload as
 * decode() left them. */
static int
envelope(struct ks *k, int ti, const rd_kafka_message_t *m)
{
	const char *v = NULL;
	size_t vn = 0;

	if (k->pl->kavro || k->pl->vavro) {
		k->rec.len = 0;
		fmt_envelope_sr(&k->rec, &k->pt.tp[ti].jpre, m,
		    k->kid >= 0 ? k->dk.p : NULL, k->dk.len,
		    k->vid >= 0 ? k->dv.p : NULL, k->dv.len, k->kid, k->vid);
		return ks_put(k, k->rec.p, k->rec.len, k->pl->delim.p,
		    k->pl->delim.len);
	}

	if (m->payload != NULL && m->len > 0 && !k->pl->strpay &&
	    !json_value(k, m->payload, m->len, &v, &vn))
		v = NULL;
	k->rec.len = 0;
	fmt_envelope(&k->rec, &k->pt.tp[ti].jpre, m, v, vn);
	return ks_put(k, k->rec.p, k->rec.len, k->pl->delim.p, k->pl->delim.len);
}

/* -f, -K, -D, -O: kcat's output, the bytes as they are. */
static int
formatted(struct ks *k, int ti, const rd_kafka_message_t *m)
{
	const char *err = NULL, *v;
	size_t vn;

	if (k->pl->fmt.need_err && m->payload != NULL &&
	    !json_value(k, m->payload, m->len, &v, &vn))
		err = m->len == 0 ? "empty value" : k->jr.err;
	k->rec.len = 0;
	fmt_msg(&k->pl->fmt, &k->rec, k->pt.tp[ti].name, m, err);
	return ks_put(k, k->rec.p, k->rec.len, NULL, 0);
}

/* A consumer error event: the end of a partition (-e) marks it finished;
 * a missing topic, denied access or a fatal error stops the run with 69;
 * anything else is reported and the run goes on (librdkafka retries). */
static int
message_error(struct ks *k, rd_kafka_message_t *m)
{
	const char *t = m->rkt ? rd_kafka_topic_name(m->rkt) : NULL;

	switch (m->err) {
	case RD_KAFKA_RESP_ERR__PARTITION_EOF:
		if (t != NULL)
			finished(k, pt_part(&k->pt, pt_topic(&k->pt, t),
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

/* --exactly-once: an at line before a record that does not follow the
 * one written last, in the same partition (ctl.h); emit() notes each
 * record written. A record not written after all (rejected, a tombstone
 * skipped) leaves a gap: the next one gets an at line. 0, or -1 (write
 * error). */
static int
at_line(struct ks *k, int ti, const rd_kafka_message_t *m)
{
	const char *t;

	if (ti == k->at_ti && m->partition == k->at_part &&
	    m->offset == k->at_next)
		return 0;
	k->ctlb.len = 0;
	/* its topic, when not that of the at line before (several topics,
	 * or a pattern) */
	t = rd_kafka_topic_name(m->rkt);
	if (strcmp(t, k->at_topic[0] != '\0' ? k->at_topic :
	    k->pl->topics[0]) == 0)
		t = NULL;
	else
		snprintf(k->at_topic, sizeof(k->at_topic), "%s", t);
	ctl_at(&k->ctlb, t, m->partition, m->offset);
	k->at_ti = -1;	/* until a record follows it */
	return ks_put(k, k->ctlb.p, k->ctlb.len, "", 0);
}

/* Write one message out (or skip or reject it). 0 go on; else the exit
 * status to stop with (-1: stop, status 0). */
static int
emit(struct ks *k, int ti, struct part *ps, rd_kafka_message_t *m)
{
	const char *v;
	size_t vn;

	if ((k->pl->kavro || k->pl->vavro) && decode(k, m) < 0) {
		if (reject(k, ti, m, k->why) < 0)
			return EX_DATAERR;
		pt_handled(&k->pt, ti, m->partition, ps, m->offset);
		return 0;
	}
	if (k->pl->exactly && at_line(k, ti, m) < 0)
		return -1;
	if (k->pl->json) {
		if (envelope(k, ti, m) < 0)
			return -1;
	} else if (k->pl->raw) {
		if (formatted(k, ti, m) < 0)
			return -1;
	} else if (m->payload == NULL || m->len == 0) {	/* a tombstone */
		if (!k->pl->null) {
			k->tombs++;
			pt_handled(&k->pt, ti, m->partition, ps, m->offset);
			return 0;
		}
		if (ks_put(k, "null", 4, "\n", 1) < 0)
			return -1;
	} else if (k->pl->vavro) {
		if (ks_put(k, k->dv.p, k->dv.len, "\n", 1) < 0)
			return -1;
	} else if (!json_value(k, m->payload, m->len, &v, &vn)) {
		if (reject(k, ti, m, k->jr.err) < 0)
			return EX_DATAERR;
		pt_handled(&k->pt, ti, m->partition, ps, m->offset);
		return 0;
	} else if (ks_put(k, v, vn, "\n", 1) < 0)
		return -1;
	pt_handled(&k->pt, ti, m->partition, ps, m->offset);
	k->at_ti = ti;		/* --exactly-once: see at_line() */
	k->at_part = m->partition;
	k->at_next = m->offset + 1;
	k->written++;
	pol_take(&k->pol);
	if (k->pl->count >= 0 &&
	    k->written >= (unsigned long long)k->pl->count)
		return -1;
	return 0;
}

/* --ordered: write what the merge lets go; settled: nothing taken from
 * the consumer waits to be handled (an idle lane may be passed). */
static int
drain(struct ks *k, int settled)
{
	rd_kafka_message_t *m;
	struct mg_lane *l;
	int rc;

	while ((m = mg_pop(&k->mg, &l, settled)) != NULL) {
		rc = emit(k, l->ti, pt_part(&k->pt, l->ti, l->part), m);
		rd_kafka_message_destroy(m);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* One message from the consumer, which handle() destroys or, with
 * --ordered, hands to the merge. 0 go on; else as emit(). */
static int
handle(struct ks *k, rd_kafka_message_t *m)
{
	rd_kafka_topic_partition_list_t *l;
	struct part *ps;
	int64_t ts;
	int ti, rc = 0;

	if (m->err) {
		rc = message_error(k, m);
		goto out;
	}
	ti = pt_of(&k->pt, m->rkt);
	ps = pt_part(&k->pt, ti, m->partition);
	if (k->pl->group != NULL && !ps->assigned)
		goto out;	/* revoked since it was fetched: its next
				   owner reads it */
	ps->next = m->offset + 1;
	if (ps->done)
		goto out;
	ts = rd_kafka_message_timestamp(m, NULL);
	if (k->pl->stop_ts >= 0 && ts >= k->pl->stop_ts) {
		ps->done = 1;
		finished(k, ps);
		l = rd_kafka_topic_partition_list_new(1);
		rd_kafka_topic_partition_list_add(l, k->pt.tp[ti].name,
		    m->partition);
		rd_kafka_pause_partitions(k->rk, l);
		rd_kafka_topic_partition_list_destroy(l);
		goto out;
	}
	if (ps->seek_ts >= 0) {
		if (ts < ps->seek_ts) {
			/* only before the first message let through, so
			 * nothing of the partition is held in a lane */
			pt_handled(&k->pt, ti, m->partition, ps, m->offset);
			goto out;
		}
		ps->seek_ts = -1;
	}
	if (ps->lane != NULL && ps->lane->active) {
		mg_push(&k->mg, ps->lane, m);
		return 0;
	}
	rc = emit(k, ti, ps, m);
out:
	rd_kafka_message_destroy(m);
	return rc;
}

/* ---- startup ------------------------------------------------------ */

/* A handle for topic name; exits 64 when librdkafka refuses the name. */
static rd_kafka_topic_t *
topic_new(struct ks *k, const char *name)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(k->rk, name, NULL);

	if (rkt == NULL)
		errx(EX_USAGE, "-t %s: %s", name,
		    rd_kafka_err2str(rd_kafka_last_error()));
	return rkt;
}

/* Metadata of one topic (bounded in time); exits 69 when the cluster
 * cannot be reached or the topic does not exist. */
static const struct rd_kafka_metadata *
topic_meta(struct ks *k, rd_kafka_topic_t *rkt)
{
	const struct rd_kafka_metadata *md;
	const char *name = rd_kafka_topic_name(rkt);
	rd_kafka_resp_err_t err;

	err = rd_kafka_metadata(k->rk, 0, rkt, &md, META_MS);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		ks_unreachable(k, err);
	if (md->topic_cnt != 1)
		errx(EX_UNAVAILABLE, "topic %s: no metadata from %s", name,
		    k->pl->kc.used);
	err = md->topics[0].err;
	if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
	    err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
		errx(EX_UNAVAILABLE, "topic %s does not exist at %s", name,
		    k->pl->kc.used);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR || md->topics[0].partition_cnt == 0)
		errx(EX_UNAVAILABLE, "topic %s at %s: %s", name, k->pl->kc.used,
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
	struct part *ps;
	int64_t lo, hi;
	int i, n = 0;

	for (i = 0; i < l->cnt; i++)
		l->elems[i].offset = k->pl->offval;
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
			if (meta_marks(k->rk, e->topic, e->partition, META_MS,
			    &lo, &hi) == 0 && hi <= lo) {
				e->offset = RD_KAFKA_OFFSET_BEGINNING;
				continue;
			}
		}
		e->offset = RD_KAFKA_OFFSET_BEGINNING;
		e->err = RD_KAFKA_RESP_ERR_NO_ERROR;
		ps = pt_part(&k->pt, pt_topic(&k->pt, e->topic), e->partition);
		ps->seek_ts = k->pl->offval;
		n++;
	}
	rd_kafka_topic_partition_list_destroy(probe);
	if (n > 0)
		warnx("note: s@%" PRId64 ": the broker has no offset for that "
		    "time on %d of %d partitions; reading %s from the "
		    "beginning and skipping messages older than %" PRId64,
		    k->pl->offval, n, l->cnt, n == 1 ? "it" : "them", k->pl->offval);
}

/* Without -G: every partition of every topic (or -p), from -o, on one
 * queue, as kcat -C does (no group is involved, none is needed). */
static void
start_simple(struct ks *k)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_partition_t *e;
	struct ptopic *t;
	int64_t off;
	int i, j, ti;

	switch (k->pl->offkind) {
	case OFF_END:
		off = RD_KAFKA_OFFSET_END;
		break;
	case OFF_ABS:
		off = k->pl->offval;
		break;
	case OFF_TAIL:
		off = RD_KAFKA_OFFSET_TAIL(k->pl->offval);
		break;
	default:
		off = RD_KAFKA_OFFSET_BEGINNING;
	}
	l = rd_kafka_topic_partition_list_new(16);
	for (i = 0; i < k->pl->ntopics; i++) {
		ti = pt_topic(&k->pt, k->pl->topics[i]);
		if (k->pt.tp[ti].rkt != NULL)
			continue;	/* named twice */
		k->pt.tp[ti].rkt = topic_new(k, k->pl->topics[i]);
		md = topic_meta(k, k->pt.tp[ti].rkt);
		for (j = 0; j < md->topics[0].partition_cnt; j++)
			if (k->pl->part < 0 ||
			    md->topics[0].partitions[j].id == k->pl->part)
				rd_kafka_topic_partition_list_add(l,
				    k->pl->topics[i],
				    md->topics[0].partitions[j].id)->offset = off;
		if (k->pl->part >= 0 && (l->cnt == 0 ||
		    strcmp(l->elems[l->cnt - 1].topic, k->pl->topics[i]) != 0))
			errx(EX_UNAVAILABLE, "-p %" PRId32 ": topic %s has %d "
			    "partitions (0..%d)", k->pl->part, k->pl->topics[i],
			    md->topics[0].partition_cnt,
			    md->topics[0].partition_cnt - 1);
		rd_kafka_metadata_destroy(md);
	}
	if (k->pl->offkind == OFF_TIME)
		offsets_for_time(k, l);
	if (k->pl->fromgroup != NULL) {
		struct kconf kc = k->pl->kc;

		fg_offsets(&kc, k->pl->fromgroup, l, off);
		if (k->pl->showpos) {	/* print it; run() has nothing to do */
			fg_show(l);
			rd_kafka_topic_partition_list_destroy(l);
			k->q = rd_kafka_queue_new(k->rk);
			return;
		}
		if (k->control)
			ks_tell_assign(k, l);
	}
	pt_assign(&k->pt, l, 1);
	ks_lanes(k, l, 1);
	k->q = rd_kafka_queue_new(k->rk);
	for (i = 0; i < l->cnt; i++) {
		e = &l->elems[i];
		t = &k->pt.tp[pt_topic(&k->pt, e->topic)];
		if (rd_kafka_consume_start_queue(t->rkt, e->partition,
		    e->offset, k->q) == -1)
			errx(EX_UNAVAILABLE, "%s/%" PRId32 ": cannot start "
			    "consuming: %s", e->topic, e->partition,
			    rd_kafka_err2str(rd_kafka_last_error()));
	}
	rd_kafka_topic_partition_list_destroy(l);
	pt_recount(&k->pt);
}

/* --exactly-once: the job line, first down the pipe: the group, the
 * topic, and the transactional.id ksink --exactly-once takes, named for
 * the member (its group.instance.id, or host and process: zombies are
 * fenced by the group's generation, which travels in member lines). */
static void
job_line(struct ks *k, const char *instance)
{
	char txn[512], host[128];

	if (instance[0] != '\0')
		snprintf(txn, sizeof(txn), "kappa-pipes.%s.%s", k->pl->group,
		    instance);
	else {
		if (gethostname(host, sizeof(host)) < 0)
			snprintf(host, sizeof(host), "host");
		host[sizeof(host) - 1] = '\0';
		snprintf(txn, sizeof(txn), "kappa-pipes.%s.%s.%ld",
		    k->pl->group, host, (long)getpid());
	}
	k->ctlb.len = 0;
	ctl_job(&k->ctlb, k->pl->group, k->pl->topics[0], txn);
	if (ks_put(k, k->ctlb.p, k->ctlb.len, "", 0) < 0 ||
	    ks_flush_store(k) < 0)
		exit(k->werr == EPIPE ? 0 : EX_IOERR);
}

/* With -G: subscribe, after checking that each named topic exists;
 * with --exactly-once the job line goes first (instance: the member's
 * group.instance.id, or ""). */
static void
subscribe(struct ks *k, const char *instance)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_resp_err_t err;
	rd_kafka_topic_t *rkt;
	int i;

	rd_kafka_poll_set_consumer(k->rk);
	l = rd_kafka_topic_partition_list_new(k->pl->ntopics);
	for (i = 0; i < k->pl->ntopics; i++) {
		if (k->pl->topics[i][0] != '^') {	/* a regex: nothing to check */
			rkt = topic_new(k, k->pl->topics[i]);
			rd_kafka_metadata_destroy(topic_meta(k, rkt));
			rd_kafka_topic_destroy(rkt);
		}
		rd_kafka_topic_partition_list_add(l, k->pl->topics[i],
		    RD_KAFKA_PARTITION_UA);
	}
	if (k->pl->exactly)
		job_line(k, instance);
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

/* Build the consumer for plan pl and start reading: exits 64 on a bad
 * setting, 66 on an unreadable -F file, 69 when Kafka or a topic or
 * partition cannot be found. */
/* -G: the group's settings in conf (a consumer of the group, or -L, -Q
 * asking about it). */
static void
group_settings(struct ks *k, rd_kafka_conf_t *conf)
{
	const struct plan *pl = k->pl;

	kc_set(conf, "group.id", pl->group, "-G");
	if (pl->mode != M_CONSUME)
		return;
	rd_kafka_conf_set_rebalance_cb(conf, ks_on_rebalance);
	if (pl->offarg != NULL || !x_has(&pl->kc, "auto.offset.reset"))
		kc_set(conf, "auto.offset.reset", pl->offkind == OFF_END ?
		    "latest" : "earliest", "-o");
	/* stored by pt_store(), once written and flushed */
	kc_set(conf, "enable.auto.offset.store", "false", "-G");
	k->pt.storing = !pl->exactly;
	if (pl->exactly)	/* the group's offsets are ksink's */
		kc_set(conf, "enable.auto.commit", "false", "--exactly-once");
}

static void
start(struct ks *k, struct plan *pl)
{
	/* librdkafka's defaults but for these (the file and -X override
	 * them): see ksource(1), CONSUMER SETTINGS */
	/* the read-ahead (broker.c): with -G the kbytes bound the one
	 * queue of the group's partitions (librdkafka's rule), and a smaller
	 * count, per partition, starved the --ordered merge behind a slower
	 * reader: 1,000,000 records through fxconvert in 6.4 s against
	 * 0.97 s; -e: a short fetch wait, so the end is seen at once */
	static const char *defaults[4];
	rd_kafka_conf_t *conf;
	char inst[256] = "";	/* group.instance.id */
	size_t n = sizeof(inst);

	k->pl = pl;
	k->control = (pl->json && pl->fromgroup != NULL) || pl->exactly;
	k->at_ti = -1;
	pthread_mutex_init(&k->lock, NULL);
	jr_init(&k->jr);
	k->jr.any_root = 1;
	out_init(&k->out, STDOUT_FILENO, 1 << 16);
	if (pl->exactly)
		out_pipe_max(STDOUT_FILENO);
	defaults[0] = pl->group != NULL ? "queued.min.messages=100000" :
	    "queued.min.messages=50000";
	defaults[1] = "queued.max.messages.kbytes=16384";
	defaults[2] = pl->eof_exit ? "fetch.wait.max.ms=20" : NULL;
	pl->kc.defaults = defaults;
	conf = kc_build(&pl->kc);
	if (pl->kavro || pl->vavro) {
		if (pl->srurl == NULL && pl->kc.sr_url[0] == '\0')
			errx(EX_USAGE, "-s needs the schema registry: -r "
			    "URL, or schema.registry.url in -F or -X");
		/* exits 69 when it does not answer */
		sreg_open(&k->sr, pl->srurl ? pl->srurl : pl->kc.sr_url,
		    pl->kc.sr_auth[0] ? pl->kc.sr_auth : NULL);
		k->sr.avflags = pl->avflags;
	}
	rd_kafka_conf_set_opaque(conf, k);
	rd_kafka_conf_set_error_cb(conf, ks_on_error);
	rd_kafka_conf_set_log_cb(conf, ks_on_log);
	kl_init(&k->log, pl->verbose, conf);
	/* -G --from-group: the positions live in the progress group, so a
	 * commit to the -G group that fails at a rebalance is harmless */
	k->log.commits_elsewhere = pl->fromgroup != NULL;
	if (k->pl->group != NULL)
		group_settings(k, conf);
	if (k->pl->eof_exit)
		kc_set(conf, "enable.partition.eof", "true", "-e");
	if (rd_kafka_conf_get(conf, "group.instance.id", inst, &n) !=
	    RD_KAFKA_CONF_OK)
		inst[0] = '\0';
	ks_readahead_init(k, conf);
	k->rk = kc_new(&pl->kc, RD_KAFKA_CONSUMER, conf);
	mg_init(&k->mg, k->rk, pl->eof_exit, pl->idle);
	if (pl->ordered && !pl->eof_exit && pl->mode == M_CONSUME) {
		/* a connection of its own: on rk's, a question waits behind
		 * the fetch's long poll (fetch.wait.max.ms) */
		conf = kc_build(&pl->kc);
		rd_kafka_conf_set_opaque(conf, k);
		rd_kafka_conf_set_log_cb(conf, ks_on_log);
		k->ask = k->mg.ask = kc_new(&pl->kc, RD_KAFKA_CONSUMER, conf);
	}
	ks_reach(k);
	if (pl->mode != M_CONSUME)
		rd_kafka_poll_set_consumer(k->rk);	/* -L, -Q: by run() */
	else if (k->pl->group != NULL) {
		subscribe(k, inst);
		k->rq = rd_kafka_queue_get_consumer(k->rk);
	} else {
		start_simple(k);
		k->rq = k->q;
	}
	k->mg.wake = k->rq;	/* woken by the merge's answers */
	k->started = 1;
}

/* ---- the loop ----------------------------------------------------- */

/* --progress: records, rate, lag, and what the partitions wait for. */
static void
progress(struct ks *k, int64_t now)
{
	struct buf *at = &k->rec;	/* free between messages */
	double rate = pg_rate(&k->pg, k->written, now);
	int64_t lag;
	int known, nend;

	if (k->pl->group != NULL && k->pt.nassigned == 0) {
		pg_show(&k->pg, now, "%llu records, %.0f/s, waiting for group "
		    "rebalance", k->written, rate);
		return;
	}
	at->len = 0;
	lag = pt_lag(&k->pt, k->rk, &known, &nend, at);
	buf_addc(at, '\0');
	pg_show(&k->pg, now, "%llu records, %.0f/s, lag %" PRId64 "%s%s%s",
	    k->written, rate, lag, known < k->pt.nassigned ?
	    " (some partitions not yet known)" : "", nend > 0 ?
	    ", at end of " : "", nend > 0 ? at->p : "");
}

static rd_kafka_message_t *
next_message(struct ks *k, int ms)
{
	rd_kafka_message_t *m;
	ssize_t i;

	if (k->q == NULL) {
		/* every BATCH taken, and before a wait: the merge may have
		 * emptied the queue (into its lanes) since the last look,
		 * and a fetcher that found it full sleeps on */
		if (ms > 0 || ((unsigned long long)k->ra_taken &
		    (BATCH - 1)) == 0)
			ks_readahead(k);
		if ((m = rd_kafka_consumer_poll(k->rk, ms)) != NULL) {
			k->ra_taken++;
			k->ra_size += m->len + m->key_len;
		}
		return m;
	}
	if (k->bi < k->bn)
		return k->batch[k->bi++];
	ks_readahead(k);
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
	k->ra_taken += k->bn;
	for (i = 0; i < k->bn; i++)
		k->ra_size += k->batch[i]->len + k->batch[i]->key_len;
	return k->batch[k->bi++];
}

/* Read and write until the end (-e, e@, -c), a stop request, or an
 * error. The exit status so far: 0, EX_DATAERR (a bad value under
 * --on-error=abort) or EX_UNAVAILABLE (a topic gone, access denied, a
 * fatal error); a failed write is left in k->werr for finish(). */
/* -L and -Q: ask, write the answer, and stop. */
static int
info(struct ks *k)
{
	rd_kafka_resp_err_t err;
	int status;

	if (k->pl->mode == M_LIST)
		err = meta_list(k->rk, stdout, k->pl->topics, k->pl->ntopics,
		    k->pl->group, k->pl->json, META_MS, &status);
	else
		err = meta_query(k->rk, stdout, k->pl->topics, k->pl->ntopics,
		    k->pl->json, META_MS, &status);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		ks_unreachable(k, err);
	if (fflush(stdout) != 0 || ferror(stdout))
		k->werr = errno;
	return status;
}

static int
run(struct ks *k)
{
	rd_kafka_message_t *m;
	unsigned n = 0;
	int rc;

	if (k->pl->mode != M_CONSUME)
		return info(k);
	if (k->pl->showpos)
		return 0;
	pg_init(&k->pg, k->pl->progress);
	if (k->pl->group != NULL) {
		k->waitnote = k->pg.t0 + WAITNOTE_MS;
		if (k->pg.on)	/* where a member starts: unassigned */
			progress(k, k->pg.t0);
	}
	for (;;) {
		if (kp_stop)
			return 0;
		if (k->pt.nassigned > 0 && k->pt.nfin == k->pt.nassigned &&
		    k->mg.held == 0)
			return 0;
		if (k->waitnote > 0 && k->pt.nassigned > 0)
			k->waitnote = 0;
		else if (k->waitnote > 0 && tu_mono_ms() >= k->waitnote)
			k->waitnote = ks_waitnote(k) ? 0 :
			    tu_mono_ms() + WAITNOTE_MS;
		m = next_message(k, 0);
		if (m == NULL) {
			/* --ordered, live: a quiet lane may have gone idle */
			if (k->pl->ordered && (rc = drain(k, 1)) != 0)
				return rc < 0 ? 0 : rc;
			/* about to wait: nothing finished may sit here */
			if (ks_flush_store(k) < 0)
				return 0;
			/* a reader gone while nothing was written */
			if (out_gone(&k->out)) {
				k->werr = EPIPE;
				return 0;
			}
			kl_tick(&k->log, k->down != 0);
			if ((rc = ks_brokers_gone(k)) != 0)
				return rc;
			if (pg_due(&k->pg, tu_mono_ms()))
				progress(k, tu_mono_ms());
			m = next_message(k, WAIT_MS);
			if (m == NULL)
				continue;
		}
		if (!m->err)
			k->down = 0;
		rc = handle(k, m);
		if (rc == 0 && k->pl->ordered)
			rc = drain(k, 0);
		if (rc != 0)
			return rc < 0 ? 0 : rc;
		if (k->pg.on && (++n & 1023) == 0 &&
		    pg_due(&k->pg, tu_mono_ms()))
			progress(k, tu_mono_ms());
	}
}

/* --progress: the last line. */
static void
summary(struct ks *k)
{
	double s = (double)(tu_mono_ms() - k->pg.t0) / 1000;

	pg_done(&k->pg, "%llu records in %.1f s, %.0f/s", k->written, s,
	    s > 0 ? (double)k->written / s : 0);
}

/* Flush and store what was written; with -G leave the group, committing
 * the stored offsets; free everything. The exit status: status, or 74
 * when standard output or the dead-letter file could not be written. */
/* A commit refused because a rebalance moved on: harmless when the
 * positions live in --from-group's group. */
static int
commit_race(rd_kafka_resp_err_t err)
{
	return err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID ||
	    err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION ||
	    err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS;
}

static int
finish(struct ks *k, int status)
{
	rd_kafka_resp_err_t err;

	(void)ks_flush_store(k);
	mg_drop(&k->mg);	/* held, never written: not stored either */
	if (k->q == NULL) {
		if (!k->werr && !k->pol.dlerr && k->pl->mode == M_CONSUME &&
		    !k->pl->exactly) {
			err = rd_kafka_commit(k->rk, NULL, 0);
			if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET &&
			    !(k->log.commits_elsewhere && commit_race(err)))
				warnx("commit offsets: %s",
				    rd_kafka_err2str(err));
		}
		rd_kafka_consumer_close(k->rk);
	} else {
		while (k->bi < k->bn)	/* taken, never handled */
			rd_kafka_message_destroy(k->batch[k->bi++]);
	}
	pt_stop(&k->pt);
	if (k->rq != NULL && k->rq != k->q)
		rd_kafka_queue_destroy(k->rq);
	if (k->q != NULL)
		rd_kafka_queue_destroy(k->q);
	rd_kafka_destroy(k->rk);
	mg_free(&k->mg);
	if (k->ask != NULL)
		rd_kafka_destroy(k->ask);
	if (k->werr && k->werr != EPIPE) {
		errno = k->werr;
		warn("write to standard output");
		status = EX_IOERR;
	}
	if (k->pl->mode == M_CONSUME && !k->pl->showpos)
		summary(k);
	if (k->tombs > 0)
		warnx("%llu empty or null values (tombstones) skipped; -Z writes "
		    "them as null", k->tombs);
	status = pol_finish(&k->pol, status);
	kl_done(&k->log, status);
	kl_free(&k->log);
	out_free(&k->out);
	jr_free(&k->jr);
	buf_free(&k->copy);
	buf_free(&k->rec);
	buf_free(&k->dk);
	buf_free(&k->dv);
	if (k->sr.url != NULL)
		sreg_close(&k->sr);
	pt_free(&k->pt);
	return status;
}

/* ---- options ------------------------------------------------------ */

#define KS_SHOWPOS	"--show-position goes with --from-group, one topic " \
			    "and no -G"

static void
parse_offset(struct plan *pl, const char *s)
{
	const char *bad = "is not beginning, end, stored, N, -N, s@time or "
	    "e@time";

	if (strncmp(s, "e@", 2) == 0) {
		pl->stop_ts = tu_time_opt(s + 2, "-o e@", 0);
		return;
	}
	pl->offarg = s;
	if (strcmp(s, "beginning") == 0)
		pl->offkind = OFF_BEGIN;
	else if (strcmp(s, "end") == 0)
		pl->offkind = OFF_END;
	else if (strcmp(s, "stored") == 0)
		pl->offkind = OFF_STORED;
	else if (strncmp(s, "s@", 2) == 0) {
		pl->offkind = OFF_TIME;
		pl->offval = tu_time_opt(s + 2, "-o s@", 0);
	} else if (s[0] == '-' && s[1] >= '0' && s[1] <= '9') {
		pl->offkind = OFF_TAIL;
		pl->offval = kp_num(s + 1, 0, INT64_MAX / 2, "-o -N");
	} else if (s[0] >= '0' && s[0] <= '9') {
		pl->offkind = OFF_ABS;
		pl->offval = kp_num(s, 0, INT64_MAX, "-o");
	} else
		errx(EX_USAGE, "-o: '%s' %s", s, bad);
}

/* -f, -K, -D, -O, -Z: kcat's output. Without -f, the format is kcat's
 * "%k<K>%s<D>" (with -K) or "%s<D>", and -O puts "%o<K>" in front. */
static void
output_plan(struct plan *pl)
{
	const char *format = pl->format, *kdelim = pl->kdelim;
	const char *delim = pl->delimarg, *why;
	int offsets = pl->offsets;

	buf_adds(&pl->delim, "\n");
	if (delim != NULL) {
		pl->delim.len = 0;
		kc_unescape(&pl->delim, delim, strlen(delim));
	}
	if (offsets && kdelim == NULL && format == NULL)
		errx(EX_USAGE, "-O writes the offset before the -K delimiter: "
		    "give -K");
	pl->raw = format != NULL || kdelim != NULL || offsets ||
	    (delim != NULL && !pl->json);
	pl->fmt.null = pl->null;
	if (!pl->raw)
		return;
	if (format != NULL) {
		if ((why = fmt_parse(&pl->fmt, format)) != NULL)
			errx(EX_USAGE, "-f '%s': %s", format, why);
		return;
	}
	if (offsets)
		fmt_add(&pl->fmt, FT_OFF, NULL);
	if (offsets)
		fmt_add(&pl->fmt, FT_STR, kdelim);
	if (kdelim != NULL)
		fmt_add(&pl->fmt, FT_KEY, NULL);
	if (kdelim != NULL)
		fmt_add(&pl->fmt, FT_STR, kdelim);
	fmt_add(&pl->fmt, FT_PAYLOAD, NULL);
	fmt_add(&pl->fmt, FT_STR, delim != NULL ? delim : "\\n");
}

/* -L and -Q take -t, -J, -G (-L only) and the Kafka options (the
 * table's rules). */
static void
info_plan(struct plan *pl)
{
	const char *why;
	int i, j;
	size_t n;

	if (pl->mode == M_LIST)
		return;
	if (pl->group != NULL)
		errx(EX_USAGE, "-Q -G: -L -G shows a group's offsets");
	if (pl->ntopics == 0)
		errx(EX_USAGE, "-Q: give -t topic:partition:time");
	for (i = 0; i < pl->ntopics; i++) {
		if ((why = meta_spec_ok(pl->topics[i], &n)) != NULL)
			errx(EX_USAGE, "-Q -t %s: %s", pl->topics[i], why);
		for (j = 0; j < i; j++)	/* topic:partition: the same? */
			if (strncmp(pl->topics[i], pl->topics[j], n) == 0)
				errx(EX_USAGE, "-Q -t %s: that partition is "
				    "asked about twice", pl->topics[i]);
	}
}

/* -s [key=|value=]avro|protobuf|json (Confluent's framing of each). */
static void
serdes(struct plan *pl, const char *arg)
{
	static const struct {
		const char	*name;
		int		 kind;
	} kinds[] = {
		{ "avro", SR_AVRO }, { "protobuf", SR_PROTOBUF },
		{ "json", SR_JSON }, { NULL, 0 }
	};
	const char *fmt = arg;
	int key = 0, i;

	if (strncmp(arg, "key=", 4) == 0) {
		key = 1;
		fmt = arg + 4;
	} else if (strncmp(arg, "value=", 6) == 0)
		fmt = arg + 6;
	for (i = 0; kinds[i].name != NULL && strcmp(fmt, kinds[i].name) != 0;
	    i++)
		;
	if (kinds[i].name == NULL)
		errx(EX_USAGE, "-s %s: expected avro, protobuf or json, with "
		    "key= or value= before it or not", arg);
	if (key) {
		pl->kavro = 1;
		pl->kkind = kinds[i].kind;
	} else {
		pl->vavro = 1;
		pl->vkind = kinds[i].kind;
	}
}

/* --exactly-once: what goes with it (ksource(1), EXACTLY ONCE); it
 * reads in timestamp order, from the position committed to the group. */
static void
exactly_plan(struct plan *pl)
{
	if (pl->offarg != NULL && pl->offkind != OFF_BEGIN &&
	    pl->offkind != OFF_END)
		errx(EX_USAGE, "--exactly-once starts from the job's position: "
		    "-o beginning or end only say where a partition without "
		    "one starts");
	pl->ordered = 1;
	pl->fromgroup = pl->group;
}

enum { O_BROKERWAIT = 256, O_FROMGROUP };

#define KS_INFO	"takes only -t, -J, -G and the Kafka options (-b, -X, -F)"
#define KS_INFOX	"partition offset exit count format key-delimiter " \
			    "delimiter print-offset null payload-string " \
			    "progress serdes ordered idle exactly-once " \
			    "from-group show-position"
#define KS_IDLE	"--idle goes with --ordered without -e (with -e the merge " \
		    "waits for every partition's next message or its end)"

/* The options: the rules of each, then what plan() does with them. */
static const struct kp_opt opts[] = {
	{ "topic", 't', KA_STR, 0, 0, .id = 't' },
	{ "partition", 'p', KA_INT, 0, INT32_MAX - 1, .excludes = "group",
	    .xwhy = "-p cannot be used with -G: the group assigns the "
	    "partitions", KP_AT(struct plan, part) },
	{ "offset", 'o', KA_STR, 0, 0, .id = 'o' },
	{ "exit", 'e', KA_NONE, 0, 0, KP_AT(struct plan, eof_exit) },
	{ "count", 'c', KA_INT, 1, INT64_MAX, KP_AT(struct plan, count) },
	{ "group", 'G', KA_STR, 0, 0, .id = 'G' },
	{ "json", 'J', KA_NONE, 0, 0,
	    .excludes = "format key-delimiter print-offset",
	    .xwhy = "-J writes kcat's envelope: -f, -K and -O do not apply "
	    "(-D does)", KP_AT(struct plan, json) },
	{ "payload-string", 0, KA_NONE, 0, 0, .needs = "json",
	    .why = "--payload-string: only with -J",
	    KP_AT(struct plan, strpay) },
	{ "format", 'f', KA_STR, 0, 0, KP_AT(struct plan, format) },
	{ "key-delimiter", 'K', KA_STR, 0, 0, KP_AT(struct plan, kdelim) },
	{ "delimiter", 'D', KA_STR, 0, 0, KP_AT(struct plan, delimarg) },
	{ "print-offset", 'O', KA_NONE, 0, 0, KP_AT(struct plan, offsets) },
	{ "null", 'Z', KA_NONE, 0, 0, KP_AT(struct plan, null) },
	{ "list", 'L', KA_NONE, 0, 0, .excludes = "query " KS_INFOX,
	    .xwhy = "-L " KS_INFO, .id = 'L' },
	{ "query", 'Q', KA_NONE, 0, 0, .excludes = "list " KS_INFOX,
	    .xwhy = "-Q takes only -t, -J and the Kafka options (-b, -X, -F)",
	    .id = 'Q' },
	{ "serdes", 's', KA_STR, 0, 0,
	    .excludes = "format key-delimiter print-offset payload-string",
	    .xwhy = "-s writes decoded records as NDJSON or -J envelopes: -f, "
	    "-K, -O and --payload-string do not apply", .id = 's' },
	{ "schema-registry", 'r', KA_STR, 0, 0, .needs = "serdes",
	    .why = "-r: the schema registry is for -s avro, protobuf or json",
	    KP_AT(struct plan, srurl) },
	{ "avro-unions", 0, KA_STR, 0, 0, .id = FMT_AVUNIONS },
	{ "avro-time", 0, KA_STR, 0, 0, .id = FMT_AVTIME },
	KC_OPTS,
	{ "ordered", 0, KA_NONE, 0, 0, KP_AT(struct plan, ordered) },
	{ "idle", 0, KA_DUR, 1, 0, .excludes = "exit", .xwhy = KS_IDLE,
	    KP_AT(struct plan, idle) },
	{ "broker-timeout", 0, KA_DUR, 0, 0, .id = O_BROKERWAIT,
	    KP_AT(struct plan, brokerwait) },
	{ "exactly-once", 0, KA_NONE, 0, 0, .needs = "group",
	    .why = "--exactly-once needs -G group: the job's position is "
	    "committed to that group, and the same line restarts from it",
	    .excludes = "json format key-delimiter delimiter print-offset "
	    "from-group show-position",
	    .xwhy = "--exactly-once writes the records as they are, with "
	    "control lines for ksink --exactly-once: not with -J, -f, -K, -D, "
	    "-O or --from-group", KP_AT(struct plan, exactly) },
	{ "from-group", 0, KA_STR, 0, 0, .id = O_FROMGROUP },
	{ "show-position", 0, KA_NONE, 0, 0, .needs = "from-group",
	    .excludes = "group", .why = KS_SHOWPOS, .xwhy = KS_SHOWPOS,
	    KP_AT(struct plan, showpos) },
	{ "progress", 0, KA_NONE, 0, 0, KP_AT(struct plan, progress) },
	{ "verbose", 'v', KA_NONE, 0, 0, KP_AT(struct plan, verbose) },
	POL_OPTS_ERR,
	KP_OPT_HELP,
	{ NULL }
};

/* What the table cannot say of the options of a consumer, before its
 * rules: exits 64. */
static void
consume_plan(struct plan *pl)
{
	int i;

	if (pl->avflags && !(pl->kavro && pl->kkind == SR_AVRO) &&
	    !(pl->vavro && pl->vkind == SR_AVRO))
		errx(EX_USAGE, "--avro-unions wrapped and --avro-time iso8601 "
		    "go with -s avro");
	if (pl->ntopics == 0)
		errx(EX_USAGE, "give at least one topic with -t topic");
	for (i = 0; pl->group == NULL && i < pl->ntopics; i++)
		if (pl->topics[i][0] == '^')
			errx(EX_USAGE, "-t %s: a topic pattern needs -G group "
			    "(a group subscribes to a pattern; without one, "
			    "name the topics)", pl->topics[i]);
	if (pl->group == NULL && pl->offkind == OFF_STORED)
		errx(EX_USAGE, "-o stored: only with -G group (the group's "
		    "committed offsets)");
	if (pl->group != NULL && pl->offarg != NULL &&
	    pl->offkind != OFF_BEGIN && pl->offkind != OFF_END &&
	    pl->offkind != OFF_STORED)
		errx(EX_USAGE, "-o %s cannot be used with -G: the group's "
		    "committed offsets win (-o beginning or end only say where "
		    "a partition without one starts)", pl->offarg);
}

/* One option of a switch of its own: 0, or -1 when it is not one. */
static int
option(struct plan *pl, const struct kp_opt *o, int ch, const char *arg)
{
	if (ch == 't' && pl->ntopics == MAXTOPICS)
		errx(EX_USAGE, "-t: at most %d topics", MAXTOPICS);
	if ((ch == 't' || ch == 'G' || ch == O_FROMGROUP) && *arg == '\0')
		errx(EX_USAGE, "%s: empty %s name", kp_opt_display(o),
		    ch == 't' ? "topic" : "group");
	if (ch == 't')
		pl->topics[pl->ntopics++] = arg;
	else if (ch == 'G')
		pl->group = arg;
	else if (ch == O_FROMGROUP)
		pl->fromgroup = arg;
	else if (ch == 'o')
		parse_offset(pl, arg);
	else if (ch == 'L' || ch == 'Q') {
		if (pl->mode != M_CONSUME)
			errx(EX_USAGE, "-L and -Q: one or the other");
		pl->mode = ch == 'L' ? M_LIST : M_QUERY;
	} else if (ch == 's')
		serdes(pl, arg);
	else if (ch == FMT_AVUNIONS || ch == FMT_AVTIME)
		fmt_avro_option(&pl->avflags, ch, arg);
	else if (ch == O_BROKERWAIT)
		pl->brokerwait_arg = arg;
	else
		return -1;
	return 0;
}

/* The options into plan pl, and --on-error and --dead-letter into pol;
 * exits 64 on a usage error, 74 when --dead-letter cannot be opened.
 * The strings stay borrowed from argv. */
static void
plan(struct plan *pl, struct policy *pol, int argc, char **argv)
{
	struct kp_optp p;
	int ch;

	kc_init(&pl->kc);
	pol_init(pol, "", 0);
	pl->part = -1;
	pl->count = -1;
	pl->stop_ts = -1;
	pl->brokerwait = BROKERWAIT_MS;
	pl->brokerwait_arg = BROKERWAIT;
	kp_opt_init(&p, opts, pl, usage, argc, argv);
	while ((ch = kp_opt_next(&p)) != -1)
		if (option(pl, p.opt, ch, p.arg) < 0 && p.opt->off == 0 &&
		    !kc_option(&pl->kc, ch, p.arg))
			pol_option(pol, ch, p.arg, usage);
	if (pl->mode != M_CONSUME) {
		kp_opt_rules(&p);
		info_plan(pl);
		return;
	}
	consume_plan(pl);
	kp_opt_rules(&p);
	if (pl->exactly)
		exactly_plan(pl);
	if (pl->idle > 0 && !pl->ordered)	/* --exactly-once is ordered */
		errx(EX_USAGE, KS_IDLE);
	if (pl->idle == 0)
		pl->idle = IDLE_MS;
	if (pl->showpos && pl->ntopics != 1)
		errx(EX_USAGE, KS_SHOWPOS);
	output_plan(pl);
}

int
main(int argc, char **argv)
{
	static struct plan pl;
	static struct ks k;
	int status;

	plan(&pl, &k.pol, argc, argv);
	kp_signals();
	/* librdkafka's close may wait forever on brokers that are gone:
	 * what was written is flushed at once, its offsets may be lost */
	wn_stop_bound(STOP_MS, EX_UNAVAILABLE, "Kafka did not let go %d s "
	    "after the stop request: the offsets of the last records written "
	    "may not be committed (the next run reads them again)",
	    STOP_MS / 1000);
	start(&k, &pl);
	status = run(&k);
	status = finish(&k, status);
	fmt_free(&pl.fmt);
	buf_free(&pl.delim);
	return status;
}
