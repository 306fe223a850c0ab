/* meta.c - ksource -L and -Q: see meta.h. */
#include <err.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "kp.h"
#include "meta.h"
#include "timeu.h"

static void
str(struct buf *b, const char *s)
{
	if (jw_utf8ok(s, strlen(s)))
		jw_str(b, s, strlen(s));
	else
		jw_b64(b, (const unsigned char *)s, strlen(s));
}

/* ,"error":"<its text>" when err is an error; 1 if so. */
static int
error(struct buf *b, rd_kafka_resp_err_t err)
{
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return 0;
	buf_adds(b, ",\"error\":");
	str(b, rd_kafka_err2str(err));
	return 1;
}

/* [{"id":1},{"id":2}], as kcat writes replicas and ISRs */
static void
ids(struct buf *b, const int32_t *id, int n)
{
	int i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		buf_adds(b, "{\"id\":");
		jw_i64(b, id[i]);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
idlist(FILE *out, const int32_t *id, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s%" PRId32, i ? "," : "", id[i]);
}

static int
internal(const char *topic)
{
	return strncmp(topic, "__", 2) == 0;
}

/* Asked as offsets for the times "latest" and "earliest": librdkafka's
 * rd_kafka_offsets_for_times() keeps to its timeout. */
rd_kafka_resp_err_t
meta_marks(rd_kafka_t *rk, const char *topic, int32_t part, int ms,
    int64_t *lo, int64_t *hi)
{
	static const int64_t at[2] = { RD_KAFKA_OFFSET_END,
	    RD_KAFKA_OFFSET_BEGINNING };
	int64_t *to[2] = { hi, lo };
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
	int i;

	*lo = *hi = -1;
	for (i = 0; i < 2 && !err; i++) {
		l = rd_kafka_topic_partition_list_new(1);
		rd_kafka_topic_partition_list_add(l, topic, part)->offset =
		    at[i];
		if ((err = rd_kafka_offsets_for_times(rk, l, ms)) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR && (err = l->elems[0].err) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			*to[i] = l->elems[0].offset;
		rd_kafka_topic_partition_list_destroy(l);
	}
	if (err)
		*lo = *hi = -1;
	else if (*lo < 0)	/* an empty partition, on an old broker */
		*lo = *hi;
	return err;
}

/* The watermarks of a partition; -1 each when unknown. */
static void
marks(rd_kafka_t *rk, const char *t, int32_t p, int ms, int64_t *lo,
    int64_t *hi)
{
	(void)meta_marks(rk, t, p, ms, lo, hi);
}

static void
list_text(rd_kafka_t *rk, FILE *out, const struct rd_kafka_metadata *md,
    const char *what, int32_t ctl, int ms)
{
	const struct rd_kafka_metadata_topic *t;
	const struct rd_kafka_metadata_partition *p;
	int64_t lo, hi;
	int i, j;

	fprintf(out, "Metadata for %s (from broker %" PRId32 ": %s):\n", what,
	    md->orig_broker_id, md->orig_broker_name);
	fprintf(out, " %d brokers:\n", md->broker_cnt);
	for (i = 0; i < md->broker_cnt; i++)
		fprintf(out, "  broker %" PRId32 " at %s:%d%s\n",
		    md->brokers[i].id, md->brokers[i].host, md->brokers[i].port,
		    md->brokers[i].id == ctl ? " (controller)" : "");
	fprintf(out, " %d topics:\n", md->topic_cnt);
	for (i = 0; i < md->topic_cnt; i++) {
		t = &md->topics[i];
		fprintf(out, "  topic \"%s\" with %d partitions:", t->topic,
		    t->partition_cnt);
		if (t->err)
			fprintf(out, " %s", rd_kafka_err2str(t->err));
		fputc('\n', out);
		for (j = 0; j < t->partition_cnt; j++) {
			p = &t->partitions[j];
			marks(rk, t->topic, p->id, ms, &lo, &hi);
			fprintf(out, "    partition %" PRId32 ", leader %" PRId32
			    ", replicas: ", p->id, p->leader);
			idlist(out, p->replicas, p->replica_cnt);
			fputs(", isrs: ", out);
			idlist(out, p->isrs, p->isr_cnt);
			fprintf(out, ", offsets: %" PRId64 "..%" PRId64, lo, hi);
			if (p->err)
				fprintf(out, ", %s", rd_kafka_err2str(p->err));
			fputc('\n', out);
		}
	}
}

static void
list_json(rd_kafka_t *rk, struct buf *b, const struct rd_kafka_metadata *md,
    const char *what, int32_t ctl, int ms)
{
	const struct rd_kafka_metadata_topic *t;
	const struct rd_kafka_metadata_partition *p;
	int64_t lo, hi;
	int i, j;

	buf_adds(b, "{\"originating_broker\":{\"id\":");
	jw_i64(b, md->orig_broker_id);
	buf_adds(b, ",\"name\":");
	str(b, md->orig_broker_name);
	buf_adds(b, "},\"query\":{\"topic\":");
	str(b, what);
	buf_adds(b, "},\"controllerid\":");
	jw_i64(b, ctl);
	buf_adds(b, ",\"brokers\":[");
	for (i = 0; i < md->broker_cnt; i++) {
		if (i)
			buf_addc(b, ',');
		buf_adds(b, "{\"id\":");
		jw_i64(b, md->brokers[i].id);
		buf_adds(b, ",\"name\":\"");
		buf_add(b, md->brokers[i].host, strlen(md->brokers[i].host));
		buf_addc(b, ':');
		jw_i64(b, md->brokers[i].port);
		buf_adds(b, "\"}");
	}
	buf_adds(b, "],\"topics\":[");
	for (i = 0; i < md->topic_cnt; i++) {
		t = &md->topics[i];
		if (i)
			buf_addc(b, ',');
		buf_adds(b, "{\"topic\":");
		str(b, t->topic);
		error(b, t->err);
		buf_adds(b, ",\"partitions\":[");
		for (j = 0; j < t->partition_cnt; j++) {
			p = &t->partitions[j];
			marks(rk, t->topic, p->id, ms, &lo, &hi);
			if (j)
				buf_addc(b, ',');
			buf_adds(b, "{\"partition\":");
			jw_i64(b, p->id);
			error(b, p->err);
			buf_adds(b, ",\"leader\":");
			jw_i64(b, p->leader);
			buf_adds(b, ",\"replicas\":");
			ids(b, p->replicas, p->replica_cnt);
			buf_adds(b, ",\"isrs\":");
			ids(b, p->isrs, p->isr_cnt);
			buf_adds(b, ",\"low\":");
			jw_i64(b, lo);
			buf_adds(b, ",\"high\":");
			jw_i64(b, hi);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "]}\n");
}

/* -L -G: committed offsets and lag of every partition of the topics
 * (those the group has committed to, when no topic is named). */
static rd_kafka_resp_err_t
group_lag(rd_kafka_t *rk, FILE *out, struct buf *b,
    const struct rd_kafka_metadata *md, int named, const char *group,
    int json, int ms)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_partition_t *e;
	rd_kafka_resp_err_t err;
	int64_t lo, hi, total = 0;
	int i, j, shown = 0, w = 5;

	l = rd_kafka_topic_partition_list_new(16);
	for (i = 0; i < md->topic_cnt; i++)
		for (j = 0; !md->topics[i].err && (named ||
		    !internal(md->topics[i].topic)) &&
		    j < md->topics[i].partition_cnt; j++)
			rd_kafka_topic_partition_list_add(l,
			    md->topics[i].topic,
			    md->topics[i].partitions[j].id);
	rd_kafka_topic_partition_list_sort(l, NULL, NULL);
	if ((err = rd_kafka_committed(rk, l, ms)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_topic_partition_list_destroy(l);
		return err;
	}
	for (i = 0; i < l->cnt; i++)
		if ((named || l->elems[i].offset >= 0) &&
		    (int)strlen(l->elems[i].topic) > w)
			w = (int)strlen(l->elems[i].topic);
	if (json) {
		buf_adds(b, "{\"group\":");
		str(b, group);
		buf_adds(b, ",\"partitions\":[");
	} else
		fprintf(out, "group %s\n%-*s %9s %12s %12s %12s\n", group, w,
		    "TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
	for (i = 0; i < l->cnt; i++) {
		e = &l->elems[i];
		if (!named && e->offset < 0)
			continue;
		marks(rk, e->topic, e->partition, ms, &lo, &hi);
		if (e->offset >= 0 && hi >= 0)
			total += hi - e->offset;
		if (json) {
			if (shown)
				buf_addc(b, ',');
			buf_adds(b, "{\"topic\":");
			str(b, e->topic);
			buf_adds(b, ",\"partition\":");
			jw_i64(b, e->partition);
			buf_adds(b, ",\"committed\":");
			if (e->offset >= 0)
				jw_i64(b, e->offset);
			else
				buf_adds(b, "null");
			buf_adds(b, ",\"end\":");
			jw_i64(b, hi);
			buf_adds(b, ",\"lag\":");
			if (e->offset >= 0 && hi >= 0)
				jw_i64(b, hi - e->offset);
			else
				buf_adds(b, "null");
			buf_addc(b, '}');
		} else if (e->offset >= 0)
			fprintf(out, "%-*s %9" PRId32 " %12" PRId64 " %12" PRId64
			    " %12" PRId64 "\n", w, e->topic, e->partition,
			    e->offset, hi, hi - e->offset);
		else
			fprintf(out, "%-*s %9" PRId32 " %12s %12" PRId64
			    " %12s\n", w, e->topic, e->partition, "-", hi, "-");
		shown++;
	}
	if (json) {
		buf_adds(b, "],\"lag\":");
		jw_i64(b, total);
		buf_adds(b, "}\n");
	} else
		fprintf(out, "%stotal lag %" PRId64 "\n", shown ? "" :
		    "(no committed offsets) ", total);
	rd_kafka_topic_partition_list_destroy(l);
	return RD_KAFKA_RESP_ERR_NO_ERROR;
}

rd_kafka_resp_err_t
meta_list(rd_kafka_t *rk, FILE *out, const char *const *topics, int n,
    const char *group, int json, int ms, int *status)
{
	const struct rd_kafka_metadata *md;
	struct rd_kafka_metadata sel;
	struct rd_kafka_metadata_topic *tv;
	rd_kafka_resp_err_t err;
	struct buf b = { 0 };
	int32_t ctl;
	int i, j;

	*status = 0;
	/* all topics, even when some are named: asking about one topic
	 * would create it on a broker that creates topics on use */
	if ((err = rd_kafka_metadata(rk, 1, NULL, &md, ms)) != 0)
		return err;
	sel = *md;
	tv = kp_xmalloc(((size_t)n + 1) * sizeof(*tv));
	if (n > 0) {
		for (i = 0; i < n; i++) {
			for (j = 0; j < md->topic_cnt; j++)
				if (strcmp(md->topics[j].topic, topics[i]) == 0)
					break;
			if (j < md->topic_cnt) {
				tv[i] = md->topics[j];
				continue;
			}
			memset(&tv[i], 0, sizeof(tv[i]));
			tv[i].topic = (char *)topics[i];
			tv[i].err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
			warnx("topic %s does not exist", topics[i]);
			*status = EX_UNAVAILABLE;
		}
		sel.topic_cnt = n;
		sel.topics = tv;
	}
	ctl = rd_kafka_controllerid(rk, ms);
	if (group != NULL)
		err = group_lag(rk, out, &b, &sel, n > 0, group, json, ms);
	else if (json)
		list_json(rk, &b, &sel, n == 1 ? topics[0] : n ? "..." : "*",
		    ctl, ms);
	else
		list_text(rk, out, &sel, n == 1 ? topics[0] : n ?
		    "the topics" : "all topics", ctl, ms);
	if (b.len > 0)
		fwrite(b.p, 1, b.len, out);
	buf_free(&b);
	free(tv);
	rd_kafka_metadata_destroy(md);
	return err;
}

/* topic:partition:time into its parts (a topic name has no colon; the
 * time may have some). NULL, or why not. */
static const char *
spec_parse(const char *spec, size_t *tlen, long long *part, int64_t *ms)
{
	const char *p = strchr(spec, ':'), *ts;

	if (p == NULL || p == spec || (ts = strchr(p + 1, ':')) == NULL ||
	    ts == p + 1)
		return "expected topic:partition:time";
	*tlen = (size_t)(p - spec);
	if (p[1] == '-' || kp_int(p + 1, (size_t)(ts - p - 1), 0, INT32_MAX,
	    part) < 0)
		return "the partition is not a whole number";
	if (tu_from_arg(ts + 1, ms) < 0)
		return "the time is not epoch milliseconds or ISO-8601 "
		    "(as in 2024-04-21T00:17:42Z)";
	if (*ms < 0)
		return "the time is before 1970";
	return NULL;
}

const char *
meta_spec_ok(const char *spec, size_t *keylen)
{
	const char *why;
	long long part;
	int64_t ms;
	size_t tlen;

	if ((why = spec_parse(spec, &tlen, &part, &ms)) == NULL)
		*keylen = (size_t)(strchr(spec + tlen + 1, ':') - spec + 1);
	return why;
}

rd_kafka_resp_err_t
meta_query(rd_kafka_t *rk, FILE *out, const char *const *specs, int n,
    int json, int ms, int *status)
{
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_topic_partition_t *e;
	rd_kafka_resp_err_t err;
	struct buf b = { 0 };
	char name[512];
	long long part;
	int64_t t;
	size_t tlen;
	int i, j;

	*status = 0;
	l = rd_kafka_topic_partition_list_new(n);
	for (i = 0; i < n; i++) {
		/* (meta_spec_ok() passed them) */
		spec_parse(specs[i], &tlen, &part, &t);
		snprintf(name, sizeof(name), "%.*s", (int)tlen, specs[i]);
		rd_kafka_topic_partition_list_add(l, name,
		    (int32_t)part)->offset = t;
	}
	if ((err = rd_kafka_offsets_for_times(rk, l, ms)) != 0 &&
	    err != RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION) {
		rd_kafka_topic_partition_list_destroy(l);
		return err;
	}
	rd_kafka_topic_partition_list_sort(l, NULL, NULL);	/* as kcat */
	if (json)
		buf_addc(&b, '{');
	for (i = 0; i < l->cnt; i++) {
		e = &l->elems[i];
		if (e->err)
			*status = EX_UNAVAILABLE;
		if (!json) {
			if (e->err)
				fprintf(out, "%s [%" PRId32 "] error: %s\n",
				    e->topic, e->partition,
				    rd_kafka_err2str(e->err));
			else
				fprintf(out, "%s [%" PRId32 "] offset %" PRId64
				    "\n", e->topic, e->partition, e->offset);
			continue;
		}
		for (j = 0; j < i; j++)	/* grouped by topic, as kcat */
			if (strcmp(l->elems[j].topic, e->topic) == 0)
				break;
		if (j < i)
			continue;
		if (i > 0)
			buf_addc(&b, ',');
		str(&b, e->topic);
		buf_adds(&b, ":{\"topic\":");
		str(&b, e->topic);
		for (j = i; j < l->cnt; j++) {
			if (strcmp(l->elems[j].topic, e->topic) != 0)
				continue;
			buf_addc(&b, ',');
			buf_addc(&b, '"');
			jw_i64(&b, l->elems[j].partition);
			buf_adds(&b, "\":{\"partition\":");
			jw_i64(&b, l->elems[j].partition);
			if (!error(&b, l->elems[j].err)) {
				buf_adds(&b, ",\"offset\":");
				jw_i64(&b, l->elems[j].offset);
			}
			buf_addc(&b, '}');
		}
		buf_addc(&b, '}');
	}
	if (json)
		buf_adds(&b, "}\n");
	if (b.len > 0)
		fwrite(b.p, 1, b.len, out);
	buf_free(&b);
	rd_kafka_topic_partition_list_destroy(l);
	return RD_KAFKA_RESP_ERR_NO_ERROR;
}
