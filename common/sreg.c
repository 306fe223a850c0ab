/* sreg.c - the Schema Registry client and Confluent's framing (sreg.h). */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <yajl/yajl_tree.h>

#include "avro.h"
#include "jw.h"
#include "kp.h"
#include "sreg.h"

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* a failure worth asking again: the registry answered before, so a
 * timeout, a dropped connection or a busy answer is taken as passing */
static int
transient(CURLcode rc, long status)
{
	if (rc != CURLE_OK)
		return rc == CURLE_OPERATION_TIMEDOUT ||
		    rc == CURLE_COULDNT_CONNECT || rc == CURLE_GOT_NOTHING ||
		    rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
		    rc == CURLE_PARTIAL_FILE;
	return status == 408 || status == 429 || status == 502 ||
	    status == 503 || status == 504;
}

/* One request; the answer's body in sr->resp (NUL-terminated), its
 * status in sr->status. Once the registry has answered (sr->up), a
 * transient failure is asked again after 1, 2 and 4 s (SREG_TRIES in
 * all), as Confluent's clients do; exits 69 when the registry cannot be
 * reached, refuses the credentials or fails on the server's side. */
static void
request(struct sreg *sr, const char *path, const char *body)
{
	struct curl_slist *h = NULL;
	struct buf u = { 0 };
	CURLcode rc;
	int try;

	buf_add(&u, sr->url, strlen(sr->url));
	buf_add(&u, path, strlen(path));
	curl_easy_setopt(sr->curl, CURLOPT_URL, buf_cstr(&u));
	if (body != NULL) {
		h = curl_slist_append(h, "Content-Type: "
		    "application/vnd.schemaregistry.v1+json");
		curl_easy_setopt(sr->curl, CURLOPT_POSTFIELDS, body);
	} else
		curl_easy_setopt(sr->curl, CURLOPT_HTTPGET, 1L);
	h = curl_slist_append(h, "Accept: application/vnd.schemaregistry.v1+json, application/json");
	curl_easy_setopt(sr->curl, CURLOPT_HTTPHEADER, h);
	for (try = 1;; try++) {
		sr->resp.len = 0;
		sr->status = 0;
		rc = curl_easy_perform(sr->curl);
		if (rc == CURLE_OK)
			curl_easy_getinfo(sr->curl, CURLINFO_RESPONSE_CODE,
			    &sr->status);
		if (!sr->up || try == SREG_TRIES || !transient(rc, sr->status))
			break;
		warnx("schema registry %s: %s on %s; asking again in %d s",
		    sr->url, rc != CURLE_OK ? curl_easy_strerror(rc) :
		    "a busy answer", path, 1 << (try - 1));
		usleep((useconds_t)(1000000 << (try - 1)));
	}
	curl_slist_free_all(h);
	if (rc != CURLE_OK)
		errx(EX_UNAVAILABLE, "schema registry %s: %s", sr->url,
		    curl_easy_strerror(rc));
	buf_cstr(&sr->resp);
	if (sr->status >= 500 || sr->status == 401 || sr->status == 403 ||
	    sr->status == 408 || sr->status == 429)
		errx(EX_UNAVAILABLE, "schema registry %s: HTTP %ld on %s: %.300s",
		    sr->url, sr->status, path, sr->resp.p);
	buf_free(&u);
}

/* the registry's "message" in its error answer, else the body */
static void
message(struct sreg *sr, char *why, size_t whyn)
{
	yajl_val t = yajl_tree_parse(sr->resp.p, NULL, 0);
	const char *path[] = { "message", NULL };
	yajl_val m = t ? yajl_tree_get(t, path, yajl_t_string) : NULL;

	snprintf(why, whyn, "%s", m ? YAJL_GET_STRING(m) : sr->resp.p);
	if (t != NULL)
		yajl_tree_free(t);
}

/* b += /subjects/SUBJECT, the subject escaped for a URL */
static void
subject_path(struct sreg *sr, struct buf *b, const char *subject)
{
	char *esc = curl_easy_escape(sr->curl, subject, 0);

	buf_adds(b, "/subjects/");
	buf_add(b, esc, strlen(esc));
	curl_free(esc);
}

void
sreg_open(struct sreg *sr, const char *url, const char *auth)
{
	char ua[128];
	size_t n;

	memset(sr, 0, sizeof(*sr));
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		errx(EX_USAGE, "schema registry %s: not an http:// or "
		    "https:// URL", url);
	sr->url = kp_xstrdup(url);
	n = strlen(sr->url);
	while (n > 0 && sr->url[n - 1] == '/')
		sr->url[--n] = '\0';
	sr->auth = auth ? kp_xstrdup(auth) : NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (sr->curl = curl_easy_init()) == NULL)
		errx(EX_SOFTWARE, "libcurl cannot start");
	curl_easy_setopt(sr->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(sr->curl, CURLOPT_WRITEDATA, &sr->resp);
	curl_easy_setopt(sr->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(sr->curl, CURLOPT_TIMEOUT_MS, 15000L);
	curl_easy_setopt(sr->curl, CURLOPT_NOSIGNAL, 1L);
	snprintf(ua, sizeof(ua), "kappa-pipes/%s", kp_release());
	curl_easy_setopt(sr->curl, CURLOPT_USERAGENT, ua);
	if (sr->auth != NULL) {
		curl_easy_setopt(sr->curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(sr->curl, CURLOPT_USERPWD, sr->auth);
	}
	request(sr, "/subjects", NULL);
	if (sr->status != 200)
		errx(EX_UNAVAILABLE, "schema registry %s: HTTP %ld on "
		    "/subjects: is it a Confluent-compatible registry?",
		    sr->url, sr->status);
	sr->up = 1;
}

void
sreg_close(struct sreg *sr)
{
	int i;

	for (i = 0; i < sr->nent; i++) {
		if (sr->ent[i].ok && sr->ent[i].kind == SR_PROTOBUF)
			pb_free(&sr->ent[i].pb);
		else if (sr->ent[i].ok)
			av_free(&sr->ent[i].s);
		free(sr->ent[i].why);
	}
	free(sr->ent);
	for (i = 0; i < sr->nref; i++) {
		free(sr->ref[i].key);
		yajl_tree_free(sr->ref[i].tree);
	}
	free(sr->ref);
	if (sr->curl != NULL)
		curl_easy_cleanup(sr->curl);
	buf_free(&sr->resp);
	free(sr->url);
	free(sr->auth);
	memset(sr, 0, sizeof(*sr));
}

/* the schemas a schema references, deepest first */
struct deps {
	struct av_dep	*av;
	struct pb_dep	*pb;
	int		*ri;		/* their sr->ref indexes */
	int		 n;
};

/* subject's version ver (an integer or "latest"): its index in sr->ref,
 * fetched on first use; -1 with the reason in why */
static int
ref_get(struct sreg *sr, const char *subject, const char *ver, char *why,
    size_t whyn)
{
	const char *sp[] = { "schema", NULL };
	struct buf key = { 0 }, path = { 0 };
	char msg[400];
	yajl_val t;
	int i;

	buf_add(&key, subject, strlen(subject));
	buf_addc(&key, '\n');
	buf_add(&key, ver, strlen(ver));
	buf_cstr(&key);
	for (i = 0; i < sr->nref; i++)
		if (strcmp(sr->ref[i].key, key.p) == 0) {
			buf_free(&key);
			return i;
		}
	subject_path(sr, &path, subject);
	buf_adds(&path, "/versions/");
	buf_add(&path, ver, strlen(ver));
	request(sr, buf_cstr(&path), NULL);
	buf_free(&path);
	t = NULL;
	if (sr->status != 200) {
		message(sr, msg, sizeof(msg));
		snprintf(why, whyn, "subject %s version %s: %s", subject, ver,
		    msg);
	} else if ((t = yajl_tree_parse(sr->resp.p, NULL, 0)) == NULL ||
	    yajl_tree_get(t, sp, yajl_t_string) == NULL)
		snprintf(why, whyn, "subject %s version %s: the registry's "
		    "answer has no schema", subject, ver);
	else {
		sr->ref = kp_xrealloc(sr->ref, (sr->nref + 1) *
		    sizeof(*sr->ref));
		sr->ref[sr->nref].key = kp_xstrdup(key.p);
		sr->ref[sr->nref].tree = t;
		sr->ref[sr->nref].schema = YAJL_GET_STRING(yajl_tree_get(t, sp,
		    yajl_t_string));
		sr->ref[sr->nref].busy = 0;
		buf_free(&key);
		return sr->nref++;
	}
	if (t != NULL)
		yajl_tree_free(t);
	buf_free(&key);
	return -1;
}

/* Gather the references rv (a "references" array) into d, each after
 * the ones it references itself. 0, or -1 with the reason in why. */
static int
refs(struct sreg *sr, yajl_val rv, struct deps *d, int depth, char *why,
    size_t whyn)
{
	const char *np[] = { "name", NULL }, *sp[] = { "subject", NULL },
	    *vp[] = { "version", NULL }, *rp[] = { "references", NULL };
	yajl_val r, nm, sj, vr;
	char ver[32];
	size_t i;
	int ri, k, rc;

	if (rv == NULL || !YAJL_IS_ARRAY(rv))
		return 0;
	if (depth > 32) {
		snprintf(why, whyn, "references nested deeper than 32");
		return -1;
	}
	for (i = 0; i < rv->u.array.len; i++) {
		r = rv->u.array.values[i];
		nm = yajl_tree_get(r, np, yajl_t_string);
		sj = yajl_tree_get(r, sp, yajl_t_string);
		vr = yajl_tree_get(r, vp, yajl_t_any);
		if (nm == NULL || sj == NULL || vr == NULL ||
		    !(YAJL_IS_INTEGER(vr) || YAJL_IS_STRING(vr))) {
			snprintf(why, whyn, "a reference without a name, a "
			    "subject and a version");
			return -1;
		}
		if (YAJL_IS_STRING(vr))
			snprintf(ver, sizeof(ver), "%s", vr->u.string);
		else if (vr->u.number.i < 0)
			snprintf(ver, sizeof(ver), "latest");
		else
			snprintf(ver, sizeof(ver), "%lld", vr->u.number.i);
		if ((ri = ref_get(sr, sj->u.string, ver, why, whyn)) < 0)
			return -1;
		if (sr->ref[ri].busy) {
			snprintf(why, whyn, "reference %s (subject %s version "
			    "%s) refers back to itself: a cycle",
			    nm->u.string, sj->u.string, ver);
			return -1;
		}
		for (k = 0; k < d->n && d->ri[k] != ri; k++)
			;
		if (k < d->n)
			continue;	/* met already by another path */
		sr->ref[ri].busy = 1;
		rc = refs(sr, yajl_tree_get(sr->ref[ri].tree, rp,
		    yajl_t_array), d, depth + 1, why, whyn);
		sr->ref[ri].busy = 0;
		if (rc < 0)
			return -1;
		d->av = kp_xrealloc(d->av, (d->n + 1) * sizeof(*d->av));
		d->pb = kp_xrealloc(d->pb, (d->n + 1) * sizeof(*d->pb));
		d->ri = kp_xrealloc(d->ri, (d->n + 1) * sizeof(*d->ri));
		/* the name lives in rv's tree, the text in the cache */
		d->av[d->n].name = d->pb[d->n].name = nm->u.string;
		d->av[d->n].js = d->pb[d->n].text = sr->ref[ri].schema;
		d->ri[d->n++] = ri;
	}
	return 0;
}

static struct sreg_ent *
fetch(struct sreg *sr, int32_t id)
{
	const char *sp[] = { "schema", NULL }, *tp[] = { "schemaType", NULL },
	    *rp[] = { "references", NULL };
	struct sreg_ent *e;
	struct deps d = { 0 };
	char path[64], why[512], w2[512];
	yajl_val t, js, ty;

	if (sr->nent == sr->cap) {
		sr->cap = sr->cap ? sr->cap * 2 : 8;
		sr->ent = kp_xrealloc(sr->ent, sr->cap * sizeof(*sr->ent));
	}
	e = &sr->ent[sr->nent++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	snprintf(path, sizeof(path), "/schemas/ids/%d", id);
	request(sr, path, NULL);
	if (sr->status != 200) {
		message(sr, why, sizeof(why));
		e->why = kp_xmalloc(strlen(why) + 64);
		sprintf(e->why, "schema id %d: %s", id, why);
		return e;
	}
	t = yajl_tree_parse(sr->resp.p, NULL, 0);
	js = t ? yajl_tree_get(t, sp, yajl_t_string) : NULL;
	ty = t ? yajl_tree_get(t, tp, yajl_t_string) : NULL;
	if (js == NULL) {
		snprintf(why, sizeof(why), "schema id %d: the registry's "
		    "answer has no schema", id);
	} else if ((ty == NULL || strcmp(ty->u.string, "JSON") != 0) &&
	    refs(sr, yajl_tree_get(t, rp, yajl_t_array), &d, 0, w2,
	    sizeof(w2)) < 0) {
		snprintf(why, sizeof(why), "schema id %d: %s", id, w2);
	} else if (ty != NULL && strcmp(ty->u.string, "PROTOBUF") == 0) {
		e->kind = SR_PROTOBUF;
		if (pb_compile_deps(&e->pb, js->u.string, d.pb, d.n, w2,
		    sizeof(w2)) == 0)
			e->ok = 1;
		else
			snprintf(why, sizeof(why), "schema id %d: %s", id, w2);
	} else if (ty != NULL && strcmp(ty->u.string, "JSON") == 0) {
		e->kind = SR_JSON;	/* the payload is JSON: nothing to compile */
		e->ok = 1;
	} else if (ty != NULL && strcmp(ty->u.string, "AVRO") != 0) {
		snprintf(why, sizeof(why), "schema id %d: a %s schema "
		    "(only Avro, Protobuf and JSON Schema are decoded)", id,
		    ty->u.string);
	} else if (av_compile_deps(&e->s, js->u.string, d.av, d.n, why,
	    sizeof(why)) == 0) {
		e->ok = 1;
	} else {
		snprintf(w2, sizeof(w2), "schema id %d: %s", id, why);
		memcpy(why, w2, sizeof(why));
	}
	if (!e->ok)
		e->why = kp_xstrdup(why);
	free(d.av);
	free(d.pb);
	free(d.ri);
	if (t != NULL)
		yajl_tree_free(t);
	return e;
}

static struct sreg_ent *
entry(struct sreg *sr, int32_t id, char *why, size_t whyn)
{
	struct sreg_ent *e = NULL;
	int i;

	for (i = 0; i < sr->nent; i++)
		if (sr->ent[i].id == id) {
			e = &sr->ent[i];
			break;
		}
	if (e == NULL)
		e = fetch(sr, id);
	if (!e->ok) {
		snprintf(why, whyn, "%s", e->why);
		return NULL;
	}
	return e;
}

const struct av_schema *
sreg_schema(struct sreg *sr, int32_t id, char *why, size_t whyn)
{
	struct sreg_ent *e;

	if ((e = entry(sr, id, why, whyn)) == NULL)
		return NULL;
	if (e->kind != SR_AVRO) {
		snprintf(why, whyn, "schema id %d: a PROTOBUF schema, not "
		    "Avro", id);
		return NULL;
	}
	return &e->s;
}

int
sreg_decode(struct sreg *sr, int kind, const void *vp, size_t n,
    struct buf *out, int32_t *id, char *why, size_t whyn)
{
	const unsigned char *p = vp;
	struct sreg_ent *e;
	size_t mark = out->len;
	int rc;

	if (n < SR_HDR || p[0] != SR_MAGIC) {
		snprintf(why, whyn, "not in the Confluent wire format (%s)",
		    n == 0 ? "empty" : p[0] != SR_MAGIC ?
		    "no magic byte 0" : "shorter than 5 bytes");
		return -1;
	}
	*id = (int32_t)((uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 8 | p[4]);
	if ((e = entry(sr, *id, why, whyn)) == NULL)
		return -1;
	if (e->kind != kind) {
		snprintf(why, whyn, "schema id %d: a%s schema, not %s", *id,
		    e->kind == SR_AVRO ? "n AVRO" : e->kind == SR_JSON ?
		    " JSON" : " PROTOBUF", kind == SR_AVRO ? "AVRO" :
		    kind == SR_JSON ? "JSON" : "PROTOBUF");
		return -1;
	}
	if (kind == SR_JSON) {
		buf_add(out, (const char *)p + SR_HDR, n - SR_HDR);
		rc = 0;
	} else if (kind == SR_PROTOBUF)
		rc = pb_decode_framed(&e->pb, p + SR_HDR, n - SR_HDR, out,
		    why, whyn);
	else
		rc = av_decode(&e->s, p + SR_HDR, n - SR_HDR, sr->avflags, out,
		    why, whyn);
	if (rc < 0) {
		out->len = mark;
		return -1;
	}
	return 0;
}

/* The id in the registry's answer to a request on a subject: -1 with
 * the reason in why. */
static int32_t
answer_id(struct sreg *sr, char *why, size_t whyn)
{
	const char *ip[] = { "id", NULL };
	yajl_val t, v;
	int32_t id = -1;

	if (sr->status != 200) {
		message(sr, why, whyn);
		return -1;
	}
	t = yajl_tree_parse(sr->resp.p, NULL, 0);
	v = t ? yajl_tree_get(t, ip, yajl_t_number) : NULL;
	if (v != NULL && YAJL_IS_INTEGER(v))
		id = (int32_t)YAJL_GET_INTEGER(v);
	else
		snprintf(why, whyn, "no id in the registry's answer: %.200s",
		    sr->resp.p);
	if (t != NULL)
		yajl_tree_free(t);
	return id;
}

int32_t
sreg_register(struct sreg *sr, const char *subject, const char *js,
    char *why, size_t whyn)
{
	struct buf body = { 0 }, path = { 0 };

	buf_adds(&body, "{\"schema\":");
	jw_str(&body, js, strlen(js));
	buf_addc(&body, '}');
	subject_path(sr, &path, subject);
	buf_adds(&path, "/versions");
	request(sr, buf_cstr(&path), buf_cstr(&body));
	buf_free(&body);
	buf_free(&path);
	return answer_id(sr, why, whyn);
}

int32_t
sreg_latest(struct sreg *sr, const char *subject, char *why, size_t whyn)
{
	struct buf path = { 0 };

	subject_path(sr, &path, subject);
	buf_adds(&path, "/versions/latest");
	request(sr, buf_cstr(&path), NULL);
	buf_free(&path);
	return answer_id(sr, why, whyn);
}

void
sreg_header(unsigned char h[SR_HDR], int32_t id)
{
	h[0] = SR_MAGIC;
	h[1] = (unsigned char)((uint32_t)id >> 24);
	h[2] = (unsigned char)((uint32_t)id >> 16);
	h[3] = (unsigned char)((uint32_t)id >> 8);
	h[4] = (unsigned char)id;
}
