/* avro.c - Avro binary decoding to JSON text and encoding from JSON
 * values, over a schema compiled from its JSON (see avro.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro.h"
#include "jtree.h"
#include "jw.h"
#include "kp.h"

/* ---- the schema ----------------------------------------------------- */

struct comp {
	struct av_schema *s;
	char		*err;
	size_t		 errn;
};

static int
cfail(struct comp *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errn, fmt, ap);
	va_end(ap);
	return -1;
}

static int
newnode(struct av_schema *s, int type)
{
	if (s->nn == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->nd = kp_xrealloc(s->nd, s->cap * sizeof(*s->nd));
	}
	memset(&s->nd[s->nn], 0, sizeof(s->nd[0]));
	s->nd[s->nn].type = type;
	return s->nn++;
}

/* the AV_ types' names, in their order: the primitive ones first */
static const char *avtypes[] = { "null", "boolean", "int", "long", "float",
    "double", "bytes", "string", "record", "enum", "array", "map", "union",
    "fixed" };
#define NPRIM	(AV_STRING + 1)

static yajl_val
get(yajl_val o, const char *key)
{
	size_t i;

	if (!YAJL_IS_OBJECT(o))
		return NULL;
	for (i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], key) == 0)
			return o->u.object.values[i];
	return NULL;
}

static const char *
getstr(yajl_val o, const char *key)
{
	yajl_val v = get(o, key);

	return YAJL_IS_STRING(v) ? v->u.string : NULL;
}

/* the full name of name in namespace ns */
static char *
fullname(const char *name, const char *ns)
{
	char *f;

	if (strchr(name, '.') != NULL || ns == NULL || *ns == '\0')
		return kp_xstrdup(name);
	f = kp_xmalloc(strlen(ns) + strlen(name) + 2);
	sprintf(f, "%s.%s", ns, name);
	return f;
}

static int
lookup(struct av_schema *s, const char *name, const char *ns)
{
	char *f = fullname(name, ns);
	int i;

	for (i = 0; i < s->nn; i++)
		if (s->nd[i].full != NULL && (strcmp(s->nd[i].full, f) == 0 ||
		    strcmp(s->nd[i].full, name) == 0)) {
			free(f);
			return i;
		}
	free(f);
	return -1;
}

static int compile(struct comp *, yajl_val, const char *ns, int depth);

/* v as JSON text, numbers as they were written */
static void
jsontext(struct buf *b, yajl_val v)
{
	size_t i;

	if (YAJL_IS_STRING(v))
		jw_str(b, v->u.string, strlen(v->u.string));
	else if (YAJL_IS_NUMBER(v))
		buf_add(b, v->u.number.r, strlen(v->u.number.r));
	else if (YAJL_IS_TRUE(v))
		buf_adds(b, "true");
	else if (YAJL_IS_FALSE(v))
		buf_adds(b, "false");
	else if (YAJL_IS_ARRAY(v)) {
		buf_addc(b, '[');
		for (i = 0; i < v->u.array.len; i++) {
			if (i > 0)
				buf_addc(b, ',');
			jsontext(b, v->u.array.values[i]);
		}
		buf_addc(b, ']');
	} else if (YAJL_IS_OBJECT(v)) {
		buf_addc(b, '{');
		for (i = 0; i < v->u.object.len; i++) {
			if (i > 0)
				buf_addc(b, ',');
			jw_str(b, v->u.object.keys[i], strlen(v->u.object.keys[i]));
			buf_addc(b, ':');
			jsontext(b, v->u.object.values[i]);
		}
		buf_addc(b, '}');
	} else
		buf_adds(b, "null");
}

static void
freedefs(struct jtree **def, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (def[i] != NULL) {
			jt_free(def[i]);
			free(def[i]);
		}
	free(def);
}

/* a field's default, parsed once into a tree of its own */
static struct jtree *
defval(yajl_val v)
{
	struct jtree *t;
	struct buf b = { 0 };

	if (v == NULL)
		return NULL;
	jsontext(&b, v);
	t = kp_xmalloc(sizeof(*t));
	memset(t, 0, sizeof(*t));
	if (jt_parse(t, b.p, b.len) < 0) {	/* cannot be: yajl read it */
		jt_free(t);
		free(t);
		t = NULL;
	}
	buf_free(&b);
	return t;
}

static int
logical(struct comp *c, int ni, yajl_val v)
{
	struct av_node *nd = &c->s->nd[ni];
	const char *lt = getstr(v, "logicalType");
	yajl_val sc, pr;

	if (lt == NULL)
		return 0;
	if (strcmp(lt, "decimal") == 0 &&
	    (nd->type == AV_BYTES || nd->type == AV_FIXED)) {
		sc = get(v, "scale");
		pr = get(v, "precision");
		if (!YAJL_IS_INTEGER(pr) || pr->u.number.i < 1 ||
		    (sc != NULL && (!YAJL_IS_INTEGER(sc) || sc->u.number.i < 0 ||
		    sc->u.number.i > pr->u.number.i)))
			return cfail(c, "decimal: bad precision or scale");
		nd->logical = AL_DECIMAL;
		nd->prec = (int)pr->u.number.i;
		nd->scale = sc ? (int)sc->u.number.i : 0;
	} else if (strcmp(lt, "date") == 0 && nd->type == AV_INT)
		nd->logical = AL_DATE;
	else if ((strcmp(lt, "time-millis") == 0 && nd->type == AV_INT) ||
	    (strcmp(lt, "time-micros") == 0 && nd->type == AV_LONG)) {
		nd->logical = AL_TIME;
		nd->scale = lt[5] == 'm' && lt[6] == 'i' && lt[7] == 'l' ? 3 : 6;
	} else if (nd->type == AV_LONG && (strncmp(lt, "timestamp-", 10) == 0 ||
	    strncmp(lt, "local-timestamp-", 16) == 0)) {
		nd->local = *lt == 'l';
		lt += nd->local ? 16 : 10;
		nd->scale = strcmp(lt, "millis") == 0 ? 3 :
		    strcmp(lt, "micros") == 0 ? 6 :
		    strcmp(lt, "nanos") == 0 ? 9 : 0;
		nd->logical = nd->scale ? AL_TIMESTAMP : AL_NONE;
	} else if (strcmp(lt, "uuid") == 0 && nd->type == AV_STRING)
		nd->logical = AL_UUID;
	return 0;	/* unknown ones: the underlying type, as the spec says */
}

/* the fields fs of record ni (its name), in namespace ns */
static int
compile_fields(struct comp *c, int ni, yajl_val fs, const char *name,
    const char *ns, int depth)
{
	struct av_schema *s = c->s;
	char *own = ns ? kp_xstrdup(ns) : NULL;	/* ns may change */
	int n = (int)fs->u.array.len;
	int *kid = kp_xmalloc((n + 1) * sizeof(int));
	char **nm = kp_xmalloc((n + 1) * sizeof(char *));
	struct jtree **def = kp_xmalloc((n + 1) * sizeof(*def));
	yajl_val f;
	size_t i;
	int k;

	for (i = 0; i < fs->u.array.len; i++) {
		f = fs->u.array.values[i];
		if (getstr(f, "name") == NULL || get(f, "type") == NULL) {
			cfail(c, "record %s: field %zu without a name or type",
			    name, i);
			freedefs(def, (int)i);
			for (; i > 0; i--)
				free(nm[i - 1]);
			free(own); free(kid); free(nm);
			return -1;
		}
		nm[i] = kp_xstrdup(getstr(f, "name"));
		def[i] = defval(get(f, "default"));
		k = compile(c, get(f, "type"), own, depth + 1);
		if (k < 0) {
			freedefs(def, (int)i + 1);
			for (; (int)i >= 0; i--)
				free(nm[i]);
			free(own); free(kid); free(nm);
			return -1;
		}
		kid[i] = k;
	}
	free(own);
	s->nd[ni].n = n;	/* (s->nd may have moved) */
	s->nd[ni].kid = kid;
	s->nd[ni].name = nm;
	s->nd[ni].def = def;
	return 0;
}

/* the symbols of enum ni (its name), from its schema v */
static int
compile_symbols(struct comp *c, int ni, yajl_val v, const char *name)
{
	struct av_node *nd = &c->s->nd[ni];
	yajl_val fs = get(v, "symbols");
	size_t i;

	if (!YAJL_IS_ARRAY(fs) || fs->u.array.len == 0)
		return cfail(c, "enum %s: no symbols", name);
	nd->n = (int)fs->u.array.len;
	nd->name = kp_xmalloc(fs->u.array.len * sizeof(char *));
	for (i = 0; i < fs->u.array.len; i++) {
		if (!YAJL_IS_STRING(fs->u.array.values[i])) {
			nd->n = (int)i;
			return cfail(c, "enum %s: a symbol is not a string",
			    name);
		}
		nd->name[i] = kp_xstrdup(fs->u.array.values[i]->u.string);
	}
	return 0;
}

/* a record, an error, an enum or a fixed: v, of that type, in namespace
 * ns */
static int
compile_named(struct comp *c, yajl_val v, const char *type, const char *ns,
    int depth)
{
	struct av_schema *s = c->s;
	const char *name = getstr(v, "name"), *nns = getstr(v, "namespace");
	yajl_val fs, sz;
	int ni, t;

	if (name == NULL)
		return cfail(c, "%s without a name", type);
	if (strchr(name, '.') != NULL) {
		/* a full name gives the namespace */
		nns = NULL;
	} else if (nns == NULL)
		nns = ns;
	t = strcmp(type, "record") == 0 || strcmp(type, "error") == 0 ?
	    AV_RECORD : strcmp(type, "enum") == 0 ? AV_ENUM : AV_FIXED;
	ni = newnode(s, t);
	s->nd[ni].full = fullname(name, nns);
	if (strchr(name, '.') != NULL) {	/* its namespace for the fields */
		static char buf[512];
		snprintf(buf, sizeof(buf), "%.*s",
		    (int)(strrchr(name, '.') - name), name);
		nns = buf;
	}
	switch (t) {
	case AV_RECORD:
		fs = get(v, "fields");
		if (!YAJL_IS_ARRAY(fs))
			return cfail(c, "record %s: no fields array", name);
		if (compile_fields(c, ni, fs, name, nns, depth) < 0)
			return -1;
		break;
	case AV_ENUM:
		if (compile_symbols(c, ni, v, name) < 0)
			return -1;
		break;
	default:
		sz = get(v, "size");
		if (!YAJL_IS_INTEGER(sz) || sz->u.number.i < 0)
			return cfail(c, "fixed %s: no size", name);
		s->nd[ni].size = (size_t)sz->u.number.i;
		if (logical(c, ni, v) < 0)
			return -1;
	}
	return ni;
}

static int
compile(struct comp *c, yajl_val v, const char *ns, int depth)
{
	struct av_schema *s = c->s;
	const char *t;
	size_t i;
	int ni, k;

	if (depth > 200)
		return cfail(c, "schema nested too deeply");
	if (YAJL_IS_STRING(v)) {
		t = v->u.string;
		for (i = 0; i < NPRIM; i++)
			if (strcmp(t, avtypes[i]) == 0)
				return newnode(s, (int)i);
		if ((k = lookup(s, t, ns)) < 0)
			return cfail(c, "unknown type %s", t);
		return k;
	}
	if (YAJL_IS_ARRAY(v)) {
		int n = (int)v->u.array.len;
		int *kid = kp_xmalloc((n + 1) * sizeof(int));

		for (i = 0; i < v->u.array.len; i++) {
			if ((k = compile(c, v->u.array.values[i], ns, depth + 1)) < 0) {
				free(kid);
				return -1;
			}
			kid[i] = k;
		}
		ni = newnode(s, AV_UNION);
		s->nd[ni].n = n;
		s->nd[ni].kid = kid;
		return ni;
	}
	if (!YAJL_IS_OBJECT(v) || (t = getstr(v, "type")) == NULL) {
		if (YAJL_IS_OBJECT(v) && get(v, "type") != NULL)
			return compile(c, get(v, "type"), ns, depth + 1);
		return cfail(c, "a type is not a string, array or object with a type");
	}
	if (strcmp(t, "record") == 0 || strcmp(t, "error") == 0 ||
	    strcmp(t, "enum") == 0 || strcmp(t, "fixed") == 0)
		return compile_named(c, v, t, ns, depth);
	if (strcmp(t, "array") == 0 || strcmp(t, "map") == 0) {
		yajl_val it = get(v, strcmp(t, "array") == 0 ? "items" : "values");

		if (it == NULL)
			return cfail(c, "%s without its %s", t,
			    strcmp(t, "array") == 0 ? "items" : "values");
		if ((k = compile(c, it, ns, depth + 1)) < 0)
			return -1;
		ni = newnode(s, strcmp(t, "array") == 0 ? AV_ARRAY : AV_MAP);
		s->nd[ni].n = 1;
		s->nd[ni].kid = kp_xmalloc(sizeof(int));
		s->nd[ni].kid[0] = k;
		return ni;
	}
	for (i = 0; i < NPRIM; i++)
		if (strcmp(t, avtypes[i]) == 0) {
			ni = newnode(s, (int)i);
			if (logical(c, ni, v) < 0)
				return -1;
			return ni;
		}
	if ((k = lookup(s, t, ns)) >= 0)
		return k;
	return cfail(c, "unknown type %s", t);
}

int
av_compile(struct av_schema *s, const char *js, char *err, size_t errn)
{
	return av_compile_deps(s, js, NULL, 0, err, errn);
}

int
av_compile_deps(struct av_schema *s, const char *js,
    const struct av_dep *dep, int ndep, char *err, size_t errn)
{
	struct comp c = { s, err, errn };
	char perr[256], why[512];
	yajl_val t;
	int i;

	memset(s, 0, sizeof(*s));
	/* each referenced schema's named types first, as if declared
	 * before the main schema; their trees are not kept */
	for (i = 0; i < ndep; i++) {
		c.err = why;
		c.errn = sizeof(why);
		if ((t = yajl_tree_parse(dep[i].js, perr, sizeof(perr))) == NULL)
			snprintf(why, sizeof(why), "not JSON: %s", perr);
		if (t == NULL || compile(&c, t, NULL, 0) < 0) {
			snprintf(err, errn, "reference %s: %s", dep[i].name, why);
			if (t != NULL)
				yajl_tree_free(t);
			av_free(s);
			return -1;
		}
		yajl_tree_free(t);
	}
	c.err = err;
	c.errn = errn;
	s->tree = yajl_tree_parse(js, perr, sizeof(perr));
	if (s->tree == NULL) {
		snprintf(err, errn, "schema is not JSON: %s", perr);
		return -1;
	}
	s->root = compile(&c, s->tree, NULL, 0);
	if (s->root < 0) {
		av_free(s);
		return -1;
	}
	return 0;
}

void
av_free(struct av_schema *s)
{
	int i, j;

	for (i = 0; i < s->nn; i++) {
		struct av_node *nd = &s->nd[i];

		if (nd->name != NULL)
			for (j = 0; j < nd->n; j++)
				free(nd->name[j]);
		free(nd->name);
		free(nd->kid);
		if (nd->def != NULL)
			freedefs(nd->def, nd->n);
		free(nd->full);
	}
	free(s->nd);
	if (s->tree != NULL)
		yajl_tree_free(s->tree);
	memset(s, 0, sizeof(*s));
}

/* ---- decoding ------------------------------------------------------- */

struct dctx {
	const struct av_schema *s;
	const unsigned char *p, *e;
	struct buf	*o;
	char		*err;
	size_t		 errn;
	int		 flags;		/* AV_WRAP, AV_ISOTIME */
};

static int
dfail(struct dctx *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, d->errn, fmt, ap);
	va_end(ap);
	return -1;
}

static int
rdlong(struct dctx *d, int64_t *v)
{
	uint64_t u = 0;
	int sh = 0;
	unsigned char b;

	do {
		if (d->p == d->e)
			return dfail(d, "truncated Avro data");
		if (sh > 63)
			return dfail(d, "a varint longer than 10 bytes");
		b = *d->p++;
		u |= (uint64_t)(b & 0x7f) << sh;
		sh += 7;
	} while (b & 0x80);
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return 0;
}

static int
rdlen(struct dctx *d, size_t *n)
{
	int64_t v;

	if (rdlong(d, &v) < 0)
		return -1;
	if (v < 0 || (uint64_t)v > (uint64_t)(d->e - d->p))
		return dfail(d, "a length of %lld past the end of the data",
		    (long long)v);
	*n = (size_t)v;
	return 0;
}

static void
special(struct buf *o, double x)
{
	if (isnan(x))
		buf_adds(o, "\"NaN\"");
	else if (isinf(x) && x > 0)
		buf_adds(o, "\"Infinity\"");
	else if (isinf(x))
		buf_adds(o, "\"-Infinity\"");
	else
		jw_dbl(o, x);
}

int
av_dectext(const unsigned char *b, size_t n, int scale, struct buf *o)
{
	unsigned char m[64];
	char dig[200];
	size_t i, nd = 0, lo = 0;
	int neg, rem, any, k;

	if (n > sizeof(m))
		return -1;
	neg = n > 0 && (b[0] & 0x80);
	memcpy(m, b, n);
	if (neg) {	/* the magnitude: invert and add one */
		for (i = 0; i < n; i++)
			m[i] = (unsigned char)~m[i];
		for (i = n; i-- > 0;)
			if (++m[i] != 0)
				break;
	}
	/* repeated division by 10, most significant byte first */
	do {
		rem = 0;
		any = 0;
		for (i = lo; i < n; i++) {
			int cur = rem * 256 + m[i];
			m[i] = (unsigned char)(cur / 10);
			rem = cur % 10;
			any |= m[i];
		}
		dig[nd++] = (char)('0' + rem);
		while (lo < n && m[lo] == 0)
			lo++;
	} while (any && nd < sizeof(dig) - 1);
	while ((int)nd <= scale)
		dig[nd++] = '0';
	if (neg)
		buf_addc(o, '-');
	for (k = (int)nd - 1; k >= 0; k--) {
		buf_addc(o, dig[k]);
		if (k == scale && scale > 0)
			buf_addc(o, '.');
	}
	return 0;
}

/* ---- ISO-8601 text for the date and time logical types -------------- */

static const int64_t pow10s[] = { 1, 10, 100, 1000, 10000, 100000,
    1000000, 10000000, 100000000, 1000000000 };

/* days since 1970-01-01 of the proleptic Gregorian y-m-d (H. Hinnant) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -1 - (-1 - a) / b;
}

/* YYYY-MM-DD of day z; a year past 0000..9999 with its sign, as
 * ISO-8601's expanded years */
static void
isodate(struct buf *o, int64_t z)
{
	char t[40];
	int64_t y;
	int m, d;

	civil_from_days(z, &y, &m, &d);
	buf_add(o, t, (size_t)snprintf(t, sizeof(t), y >= 0 && y <= 9999 ?
	    "%04lld-%02d-%02d" : "%+05lld-%02d-%02d", (long long)y, m, d));
}

/* HH:MM:SS.f of second s of a day and its fraction f of digits digits */
static void
isoclock(struct buf *o, int64_t s, int64_t f, int digits)
{
	char t[40];

	buf_add(o, t, (size_t)snprintf(t, sizeof(t), "%02d:%02d:%02d.%0*lld",
	    (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60), digits,
	    (long long)f));
}

/* v of node nd (date, time or timestamp) as ISO-8601 JSON text */
static int
isotime(struct dctx *d, const struct av_node *nd, int64_t v)
{
	int64_t per = pow10s[nd->scale], s, f;

	buf_addc(d->o, '"');
	if (nd->logical == AL_DATE)
		isodate(d->o, v);
	else if (nd->logical == AL_TIME) {
		if (v < 0 || v / per >= 86400)
			return dfail(d, "a time of day of %lld, not in 0 to "
			    "24 h", (long long)v);
		isoclock(d->o, v / per, v % per, nd->scale);
	} else {
		/* v / per and its fraction, rounded down, with no overflow */
		s = v / per;
		if ((f = v % per) < 0) {
			s--;
			f += per;
		}
		isodate(d->o, floordiv(s, 86400));
		buf_addc(d->o, 'T');
		isoclock(d->o, s - floordiv(s, 86400) * 86400, f, nd->scale);
		if (!nd->local)
			buf_addc(d->o, 'Z');
	}
	buf_addc(d->o, '"');
	return 0;
}

/* n digits at *p into *v */
static int
digits(const char **p, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* [+-]YYYY-MM-DD at *p: its day */
static int
rd_date(const char **p, int64_t *day)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t y = 0;
	int neg = 0, n = 0, m, d;

	if (**p == '-' || **p == '+')
		neg = *(*p)++ == '-';
	for (; **p >= '0' && **p <= '9' && n < 9; (*p)++, n++)
		y = y * 10 + (**p - '0');
	if (n < 4 || *(*p)++ != '-' || digits(p, 2, &m) < 0 ||
	    *(*p)++ != '-' || digits(p, 2, &d) < 0 || m < 1 || m > 12 ||
	    d < 1 || d > mdays[m - 1])
		return -1;
	y = neg ? -y : y;
	if (m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

/* HH:MM:SS[.f] at *p: the seconds of the day, and the fraction in units
 * of 10^-scale (more digits than that only if zeros) */
static int
rd_clock(const char **p, int scale, int64_t *s, int64_t *f)
{
	int h, mi, se, n = 0;

	if (digits(p, 2, &h) < 0 || *(*p)++ != ':' || digits(p, 2, &mi) < 0 ||
	    *(*p)++ != ':' || digits(p, 2, &se) < 0 || h > 23 || mi > 59 ||
	    se > 59)
		return -1;
	*s = h * 3600 + mi * 60 + se;
	*f = 0;
	if (**p == '.') {
		for ((*p)++; **p >= '0' && **p <= '9'; (*p)++, n++) {
			if (n < scale)
				*f = *f * 10 + (**p - '0');
			else if (**p != '0')
				return -1;
		}
		if (n == 0)
			return -1;
	}
	for (; n < scale; n++)
		*f *= 10;
	return 0;
}

/* ISO-8601 text t for node nd: its number. A timestamp without a zone is
 * UTC; a local-timestamp takes none. */
static int
rd_iso(const struct av_node *nd, const char *t, int64_t *v)
{
	const char *p = t;
	int64_t day = 0, s, f, per = pow10s[nd->scale];
	int zh, zm, sign;

	if (nd->logical == AL_DATE) {
		if (rd_date(&p, &day) < 0 || *p != '\0' || day < INT32_MIN ||
		    day > INT32_MAX)
			return -1;
		*v = day;
		return 0;
	}
	if (nd->logical == AL_TIMESTAMP && (rd_date(&p, &day) < 0 ||
	    (*p != 'T' && *p != 't' && *p != ' ') || *++p == '\0'))
		return -1;
	if (rd_clock(&p, nd->scale, &s, &f) < 0)
		return -1;
	if (nd->logical == AL_TIME) {
		if (*p != '\0')
			return -1;
		*v = s * per + f;
		return 0;
	}
	if ((*p == 'Z' || *p == 'z') && !nd->local)
		p++;
	else if ((*p == '+' || *p == '-') && !nd->local) {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &zh) < 0 || (*p == ':' && *++p == '\0') ||
		    digits(&p, 2, &zm) < 0 || zh > 23 || zm > 59)
			return -1;
		s -= sign * (zh * 3600 + zm * 60);
	}
	if (*p != '\0' || __builtin_mul_overflow(day, 86400, &day) ||
	    __builtin_add_overflow(day, s, &s))
		return -1;
	if (s < 0 && f > 0) {	/* (s + 1) * per first: s * per may not fit */
		s++;
		f -= per;
	}
	if (__builtin_mul_overflow(s, per, &s) ||
	    __builtin_add_overflow(s, f, v))
		return -1;
	return 0;
}

/* the name of a union's branch in Avro's JSON encoding */
static const char *
bname(const struct av_schema *s, int ni)
{
	return s->nd[ni].full != NULL ? s->nd[ni].full :
	    avtypes[s->nd[ni].type];
}

static int dec(struct dctx *, int ni, int depth);

/* int and long; the date and time logical types as ISO-8601 text on
 * request */
static int
dec_int(struct dctx *d, const struct av_node *nd)
{
	int64_t v;

	if (rdlong(d, &v) < 0)
		return -1;
	if (nd->type == AV_INT && (v < INT32_MIN || v > INT32_MAX))
		return dfail(d, "an int out of range");
	if ((d->flags & AV_ISOTIME) && (nd->logical == AL_DATE ||
	    nd->logical == AL_TIME || nd->logical == AL_TIMESTAMP))
		return isotime(d, nd, v);
	jw_i64(d->o, v);
	return 0;
}

static int
dec_float(struct dctx *d)
{
	union { uint32_t u; float f; } f4;
	char t[32];
	int i;

	if (d->e - d->p < 4)
		return dfail(d, "truncated Avro data");
	f4.u = (uint32_t)d->p[0] | (uint32_t)d->p[1] << 8 |
	    (uint32_t)d->p[2] << 16 | (uint32_t)d->p[3] << 24;
	d->p += 4;
	if (!isfinite(f4.f)) {
		special(d->o, f4.f);
		return 0;
	}
	/* the shortest text of the float, not of the double */
	snprintf(t, sizeof(t), "%.9g", (double)f4.f);
	for (i = 1; i < 9; i++) {
		snprintf(t, sizeof(t), "%.*g", i, (double)f4.f);
		if (strtof(t, NULL) == f4.f)
			break;
	}
	if (strchr(t, 'e') != NULL || strchr(t, 'n') != NULL)
		jw_dbl(d->o, strtod(t, NULL));
	else
		buf_add(d->o, t, strlen(t));
	return 0;
}

static int
dec_double(struct dctx *d)
{
	union { uint64_t u; double f; } f8;
	int i;

	if (d->e - d->p < 8)
		return dfail(d, "truncated Avro data");
	f8.u = 0;
	for (i = 7; i >= 0; i--)
		f8.u = f8.u << 8 | d->p[i];
	d->p += 8;
	special(d->o, f8.f);
	return 0;
}

/* bytes, string and fixed: base64, a string, or a decimal's text */
static int
dec_span(struct dctx *d, const struct av_node *nd)
{
	size_t n;

	if (nd->type == AV_FIXED) {
		if ((size_t)(d->e - d->p) < nd->size)
			return dfail(d, "truncated Avro data");
		n = nd->size;
	} else if (rdlen(d, &n) < 0)
		return -1;
	if (nd->logical == AL_DECIMAL) {
		if (av_dectext(d->p, n, nd->scale, d->o) < 0)
			return dfail(d, "a decimal of %zu bytes", n);
	} else if (nd->type == AV_STRING) {
		if (!jw_utf8ok((const char *)d->p, n))
			return dfail(d, "a string that is not UTF-8");
		jw_str(d->o, (const char *)d->p, n);
	} else
		jw_b64(d->o, d->p, n);
	d->p += n;
	return 0;
}

static int
dec_record(struct dctx *d, const struct av_node *nd, int depth)
{
	int i;

	buf_addc(d->o, '{');
	for (i = 0; i < nd->n; i++) {
		if (i > 0)
			buf_addc(d->o, ',');
		jw_key(d->o, nd->name[i], strlen(nd->name[i]));
		if (dec(d, nd->kid[i], depth + 1) < 0)
			return -1;
	}
	buf_addc(d->o, '}');
	return 0;
}

static int
dec_enum(struct dctx *d, const struct av_node *nd)
{
	int64_t v;

	if (rdlong(d, &v) < 0)
		return -1;
	if (v < 0 || v >= nd->n)
		return dfail(d, "enum index %lld of %d symbols", (long long)v,
		    nd->n);
	jw_str(d->o, nd->name[v], strlen(nd->name[v]));
	return 0;
}

/* a union's value, plain or {"branch": value} (AV_WRAP) */
static int
dec_union(struct dctx *d, const struct av_node *nd, int depth)
{
	int64_t v;

	if (rdlong(d, &v) < 0)
		return -1;
	if (v < 0 || v >= nd->n)
		return dfail(d, "union branch %lld of %d", (long long)v,
		    nd->n);
	if (!(d->flags & AV_WRAP) || d->s->nd[nd->kid[v]].type == AV_NULL)
		return dec(d, nd->kid[v], depth + 1);
	buf_addc(d->o, '{');
	jw_key(d->o, bname(d->s, nd->kid[v]),
	    strlen(bname(d->s, nd->kid[v])));
	if (dec(d, nd->kid[v], depth + 1) < 0)
		return -1;
	buf_addc(d->o, '}');
	return 0;
}

/* the item count of the next block of an array or a map (0: the end) */
static int
dec_block(struct dctx *d, const struct av_node *nd, int64_t *cnt)
{
	int64_t v;

	if (rdlong(d, cnt) < 0)
		return -1;
	if (*cnt < 0) {	/* a block with its size in bytes */
		if (*cnt == INT64_MIN || rdlong(d, &v) < 0)
			return dfail(d, "a bad block count");
		*cnt = -*cnt;
	}
	/* each item takes a byte at least, but null */
	if ((*cnt > d->e - d->p && d->s->nd[nd->kid[0]].type != AV_NULL) ||
	    *cnt > (1 << 20) + (d->e - d->p))
		return dfail(d, "a block count past the end of the data");
	return 0;
}

/* an array's items or a map's keys and values, block after block */
static int
dec_items(struct dctx *d, const struct av_node *nd, int depth)
{
	int64_t cnt;
	size_t n;
	int first = 1;

	buf_addc(d->o, nd->type == AV_ARRAY ? '[' : '{');
	for (;;) {
		if (dec_block(d, nd, &cnt) < 0)
			return -1;
		if (cnt == 0)
			break;
		for (; cnt > 0; cnt--) {
			if (!first)
				buf_addc(d->o, ',');
			first = 0;
			if (nd->type == AV_MAP) {
				if (rdlen(d, &n) < 0)
					return -1;
				if (!jw_utf8ok((const char *)d->p, n))
					return dfail(d, "a map key that is "
					    "not UTF-8");
				jw_key(d->o, (const char *)d->p, n);
				d->p += n;
			}
			if (dec(d, nd->kid[0], depth + 1) < 0)
				return -1;
			if (d->o->len > ((size_t)1 << 30))
				return dfail(d, "a datum decoding to more "
				    "than 1 GiB");
		}
	}
	buf_addc(d->o, nd->type == AV_ARRAY ? ']' : '}');
	return 0;
}

static int
dec(struct dctx *d, int ni, int depth)
{
	const struct av_node *nd = &d->s->nd[ni];

	if (depth > AV_MAXDEPTH)
		return dfail(d, "data nested deeper than %d", AV_MAXDEPTH);
	switch (nd->type) {
	case AV_NULL:
		buf_adds(d->o, "null");
		return 0;
	case AV_BOOL:
		if (d->p == d->e)
			return dfail(d, "truncated Avro data");
		if (*d->p > 1)
			return dfail(d, "a boolean byte of %d", *d->p);
		if (*d->p++)
			buf_adds(d->o, "true");
		else
			buf_adds(d->o, "false");
		return 0;
	case AV_INT:
	case AV_LONG:
		return dec_int(d, nd);
	case AV_FLOAT:
		return dec_float(d);
	case AV_DOUBLE:
		return dec_double(d);
	case AV_BYTES:
	case AV_STRING:
	case AV_FIXED:
		return dec_span(d, nd);
	case AV_RECORD:
		return dec_record(d, nd, depth);
	case AV_ENUM:
		return dec_enum(d, nd);
	case AV_UNION:
		return dec_union(d, nd, depth);
	case AV_ARRAY:
	case AV_MAP:
		return dec_items(d, nd, depth);
	}
	return dfail(d, "bad schema node");
}

int
av_decode(const struct av_schema *s, const unsigned char *p, size_t n,
    int flags, struct buf *out, char *err, size_t errn)
{
	struct dctx d = { s, p, p + n, out, err, errn, flags };

	if (dec(&d, s->root, 0) < 0)
		return -1;
	if (d.p != d.e) {
		snprintf(err, errn, "%zu bytes left after the Avro datum",
		    (size_t)(d.e - d.p));
		return -1;
	}
	return 0;
}

/* ---- encoding ------------------------------------------------------- */

/* a JSON value: node i of tree t; i < 0, absent */
struct jv {
	const struct jtree *t;
	int		 i;
};

#define JV_T(v)		((v).i < 0 ? -1 : (v).t->nd[(v).i].type)
#define JV_NULL(v)	((v).i < 0 || JV_T(v) == JT_NULL)
#define JV_TEXT(v)	jt_text((v).t, (v).i)
#define JV_LEN(v)	((v).t->nd[(v).i].len)
#define JV_N(v)		((v).t->nd[(v).i].n)

static struct jv
jv_first(struct jv v)
{
	struct jv c = { v.t, v.i + 1 };

	return c;
}

static struct jv
jv_next(struct jv v)
{
	struct jv c = { v.t, v.t->nd[v.i].next };

	return c;
}

struct ectx {
	const struct av_schema *s;
	struct buf	*o;
	char		*err;
	size_t		 errn;
	char		 path[512];
	size_t		 plen;
	int		 quiet;		/* trying union branches: no message */
	int		 noiso;		/* a first try: no ISO-8601 text */
};

static const char *
jtype(struct jv v)
{
	switch (JV_T(v)) {
	case -1:
	case JT_NULL:
		return "null";
	case JT_TRUE:
	case JT_FALSE:
		return "boolean";
	case JT_NUM:
		return "number";
	case JT_STR:
		return "string";
	case JT_ARR:
		return "array";
	}
	return "object";
}

static const char *
tname(const struct av_schema *s, int ni)
{
	if (s->nd[ni].logical == AL_DECIMAL)
		return "decimal";
	return bname(s, ni);
}

static int
efail(struct ectx *e, const char *fmt, ...)
{
	va_list ap;
	size_t k = 0;

	if (e->quiet)
		return -1;
	if (e->plen > 0)
		k = (size_t)snprintf(e->err, e->errn, "%.*s: ",
		    (int)e->plen, e->path);
	if (k >= e->errn)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->err + k, e->errn - k, fmt, ap);
	va_end(ap);
	return -1;
}

static int
expected(struct ectx *e, int ni, struct jv v)
{
	return efail(e, "expected %s, got %s", tname(e->s, ni), jtype(v));
}

static void
wrlong(struct buf *o, int64_t v)
{
	uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);

	while (u >= 0x80) {
		buf_addc(o, (char)(u | 0x80));
		u >>= 7;
	}
	buf_addc(o, (char)u);
}

static size_t
pushpath(struct ectx *e, const char *name, size_t n, int index)
{
	size_t old = e->plen;
	int k;

	if (index >= 0)
		k = snprintf(e->path + e->plen, sizeof(e->path) - e->plen,
		    "[%d]", index);
	else
		k = snprintf(e->path + e->plen, sizeof(e->path) - e->plen,
		    "%s%.*s", e->plen ? "." : "", (int)n, name);
	if (k > 0)
		e->plen += (size_t)k;
	if (e->plen >= sizeof(e->path))
		e->plen = sizeof(e->path) - 1;
	return old;
}

/* m[0..len) = m * 10 + d; -1 on overflow */
static int
mul10(unsigned char *m, size_t len, int d)
{
	int carry = d;
	size_t i;

	for (i = len; i-- > 0;) {
		carry += m[i] * 10;
		m[i] = (unsigned char)(carry & 0xff);
		carry >>= 8;
	}
	return carry || (m[0] & 0x80) ? -1 : 0;
}

/* The decimal text t with scale digits as a two's-complement big-endian
 * integer: into out[0..*n), *n the minimal length, or exactly want bytes
 * when want > 0. -1 with the reason. */
static int
dec_bytes(struct ectx *e, const char *t, int scale, int prec, size_t want,
    unsigned char *out, size_t *n)
{
	unsigned char m[64];
	const char *p = t;
	int neg = 0, frac = -1, digits = 0, lead = 1, seen = 0, have;
	size_t k, len = sizeof(m);

	memset(m, 0, sizeof(m));
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p != '\0'; p++) {
		if (*p == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return efail(e, "expected a decimal number, got \"%s\"", t);
		seen = 1;
		if (frac >= 0) {
			if (frac == scale) {
				if (*p != '0')
					return efail(e, "%s has more than %d "
					    "decimal places", t, scale);
				continue;
			}
			frac++;
		}
		if (lead && *p == '0')
			continue;
		lead = 0;
		digits++;
		if (mul10(m, len, *p - '0') < 0)
			return efail(e, "%s is too large", t);
	}
	if (!seen)
		return efail(e, "expected a decimal number, got \"%s\"", t);
	for (have = frac < 0 ? 0 : frac; have < scale; have++) {
		if (mul10(m, len, 0) < 0)
			return efail(e, "%s is too large", t);
		if (!lead)
			digits++;
	}
	if (digits > prec)
		return efail(e, "%s has more than %d digits (the decimal's "
		    "precision)", t, prec);
	if (neg) {
		for (k = 0; k < len; k++)
			m[k] = (unsigned char)~m[k];
		for (k = len; k-- > 0;)
			if (++m[k] != 0)
				break;
	}
	/* the minimal two's-complement length */
	k = 0;
	while (k + 1 < len && ((m[k] == 0 && !(m[k + 1] & 0x80)) ||
	    (m[k] == 0xff && (m[k + 1] & 0x80))))
		k++;
	if (want > 0) {
		if (len - k > want)
			return efail(e, "%s does not fit %zu bytes", t, want);
		k = len - want;
	}
	memcpy(out, m + k, len - k);
	*n = len - k;
	return 0;
}

static int enc(struct ectx *, int ni, struct jv v, int depth);

/* a date or time node's logical type, and its ISO-8601 form */
static const char *
isoname(const struct av_node *nd)
{
	static const char *ts[] = { "timestamp-millis", "timestamp-micros",
	    "timestamp-nanos", "local-timestamp-millis",
	    "local-timestamp-micros", "local-timestamp-nanos" };

	if (nd->logical == AL_DATE)
		return "date";
	if (nd->logical == AL_TIME)
		return nd->scale == 3 ? "time-millis" : "time-micros";
	return ts[nd->scale / 3 - 1 + 3 * nd->local];
}

static const char *
isoform(const struct av_node *nd)
{
	if (nd->logical == AL_DATE)
		return "2024-04-21";
	if (nd->logical == AL_TIME)
		return "00:17:42.123";
	return nd->local ? "2024-04-21T00:17:42.123" :
	    "2024-04-21T00:17:42.123Z";
}

/* may v be a value of nd, by its JSON kind alone? */
static int
kind_fits(const struct av_node *nd, struct jv v)
{
	switch (nd->type) {
	case AV_NULL:
		return JV_NULL(v);
	case AV_BOOL:
		return JV_T(v) == JT_TRUE || JV_T(v) == JT_FALSE;
	case AV_INT:
	case AV_LONG:
		return JV_T(v) == JT_NUM || (JV_T(v) == JT_STR &&
		    (nd->logical == AL_DATE || nd->logical == AL_TIME ||
		    nd->logical == AL_TIMESTAMP));
	case AV_FLOAT:
	case AV_DOUBLE:
		return JV_T(v) == JT_NUM;
	case AV_BYTES:
	case AV_FIXED:
		return nd->logical == AL_DECIMAL ? JV_T(v) == JT_NUM ||
		    JV_T(v) == JT_STR : JV_T(v) == JT_STR;
	case AV_STRING:
	case AV_ENUM:
		return JV_T(v) == JT_STR;
	case AV_ARRAY:
		return JV_T(v) == JT_ARR;
	default:
		return JV_T(v) == JT_OBJ;
	}
}

static int
enc_union(struct ectx *e, const struct av_node *nd, struct jv v, int depth)
{
	size_t mark = e->o->len, plen = e->plen;
	int i, q = e->quiet, ni, named = -1, iso = e->noiso, pass;
	const char *want;

	/* Avro's JSON encoding: {"type name": value} */
	if (JV_T(v) == JT_OBJ && JV_N(v) == 1) {
		want = jt_key(v.t, v.i + 1);
		for (i = 0; i < nd->n; i++) {
			ni = nd->kid[i];
			if (strcmp(tname(e->s, ni), want) == 0 ||
			    strcmp(bname(e->s, ni), want) == 0 ||
			    (e->s->nd[ni].full != NULL &&
			    strrchr(e->s->nd[ni].full, '.') != NULL &&
			    strcmp(strrchr(e->s->nd[ni].full, '.') + 1, want) == 0)) {
				wrlong(e->o, i);
				e->quiet = 1;
				if (enc(e, ni, jv_first(v), depth + 1) == 0) {
					e->quiet = q;
					return 0;
				}
				e->quiet = q;
				e->o->len = mark;
				e->plen = plen;
				if (named == -1)
					named = ni;
			}
		}
	}
	/* else the first branch the value fits; a string is read as
	 * ISO-8601 for a date or time only when no branch takes it as it is */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nd->n; i++) {
			wrlong(e->o, i);
			e->quiet = 1;
			e->noiso = pass == 0 ? 1 : iso;
			if (enc(e, nd->kid[i], v, depth + 1) == 0) {
				e->quiet = q;
				e->noiso = iso;
				return 0;
			}
			e->quiet = q;
			e->noiso = iso;
			e->o->len = mark;
			e->plen = plen;
		}
	if (e->quiet)
		return -1;
	/* a branch named as Avro's JSON encoding names it: why it failed */
	if (named >= 0)
		return enc(e, named, jv_first(v), depth + 1);
	if (e->quiet)
		return -1;
	{
		char types[256];
		size_t k = 0;

		types[0] = '\0';
		for (i = 0; i < nd->n && k < sizeof(types); i++)
			k += (size_t)snprintf(types + k, sizeof(types) - k,
			    "%s%s", i ? ", " : "", tname(e->s, nd->kid[i]));
		/* one branch of the value's kind: say why it did not fit */
		for (i = 0, ni = -1; i < nd->n; i++)
			if (kind_fits(&e->s->nd[nd->kid[i]], v))
				ni = ni == -1 ? nd->kid[i] : -2;
		if (ni >= 0)
			return enc(e, ni, v, depth + 1);
		/* one branch besides null: say why it did not fit */
		if (nd->n == 2 && (e->s->nd[nd->kid[0]].type == AV_NULL ||
		    e->s->nd[nd->kid[1]].type == AV_NULL) && !JV_NULL(v)) {
			ni = e->s->nd[nd->kid[0]].type == AV_NULL ?
			    nd->kid[1] : nd->kid[0];
			return enc(e, ni, v, depth + 1);
		}
		return efail(e, "expected one of [%s], got %s", types, jtype(v));
	}
}

/* int and long, and the date and time logical types over them, as
 * numbers or ISO-8601 text */
static int
enc_int(struct ectx *e, int ni, struct jv v)
{
	const struct av_node *nd = &e->s->nd[ni];
	long long iv;
	int64_t t;
	char *end;

	if (JV_T(v) == JT_STR && !e->noiso && (nd->logical == AL_DATE ||
	    nd->logical == AL_TIME || nd->logical == AL_TIMESTAMP)) {
		if (rd_iso(nd, JV_TEXT(v), &t) < 0)
			return efail(e, "expected %s as a number or "
			    "ISO-8601 text (%s), got \"%s\"",
			    isoname(nd), isoform(nd), JV_TEXT(v));
		wrlong(e->o, t);
		return 0;
	}
	if (JV_T(v) != JT_NUM)
		return expected(e, ni, v);
	errno = 0;
	iv = strtoll(JV_TEXT(v), &end, 10);
	if (*end != '\0' || errno != 0)
		return efail(e, "expected %s, got %s", tname(e->s, ni),
		    JV_TEXT(v));
	if (nd->type == AV_INT && (iv < INT32_MIN || iv > INT32_MAX))
		return efail(e, "%s is out of range for int", JV_TEXT(v));
	wrlong(e->o, iv);
	return 0;
}

/* float and double, little-endian; NaN and the infinities as text */
static int
enc_float(struct ectx *e, int ni, struct jv v)
{
	union { uint32_t u; float f; } f4;
	union { uint64_t u; double f; } f8;
	int k;

	if (JV_T(v) == JT_NUM)
		f8.f = strtod(JV_TEXT(v), NULL);
	else if (JV_T(v) == JT_STR && (strcmp(JV_TEXT(v), "NaN") == 0 ||
	    strcmp(JV_TEXT(v), "Infinity") == 0 ||
	    strcmp(JV_TEXT(v), "-Infinity") == 0))
		f8.f = strtod(JV_TEXT(v), NULL);
	else
		return expected(e, ni, v);
	if (e->s->nd[ni].type == AV_FLOAT) {
		f4.f = (float)f8.f;
		for (k = 0; k < 4; k++)
			buf_addc(e->o, (char)(f4.u >> (8 * k)));
	} else
		for (k = 0; k < 8; k++)
			buf_addc(e->o, (char)(f8.u >> (8 * k)));
	return 0;
}

/* a decimal over bytes or fixed, from a JSON number or string */
static int
enc_decimal(struct ectx *e, int ni, struct jv v)
{
	const struct av_node *nd = &e->s->nd[ni];
	unsigned char db[64];
	const char *t;
	size_t n;

	if (JV_T(v) == JT_NUM || JV_T(v) == JT_STR)
		t = JV_TEXT(v);
	else
		return expected(e, ni, v);
	if (strpbrk(t, "eE") != NULL)
		return efail(e, "%s: exponents are not exact decimals", t);
	if (dec_bytes(e, t, nd->scale, nd->prec,
	    nd->type == AV_FIXED ? nd->size : 0, db, &n) < 0)
		return -1;
	if (nd->type == AV_BYTES)
		wrlong(e->o, (int64_t)n);
	buf_add(e->o, db, n);
	return 0;
}

/* bytes and fixed from base64 text */
static int
enc_bytes(struct ectx *e, int ni, struct jv v)
{
	const struct av_node *nd = &e->s->nd[ni];
	size_t n, mark;

	if (nd->logical == AL_DECIMAL)
		return enc_decimal(e, ni, v);
	if (JV_T(v) != JT_STR)
		return expected(e, ni, v);
	mark = e->o->len;
	if (nd->type == AV_BYTES) {
		/* the length first: decode after a 10-byte room */
		buf_add(e->o, "\0\0\0\0\0\0\0\0\0\0", 10);
		if (jw_unb64(JV_TEXT(v), e->o, 0) < 0) {
			e->o->len = mark;
			return efail(e, "expected base64 bytes");
		}
		n = e->o->len - mark - 10;
		e->o->len = mark;
		wrlong(e->o, (int64_t)n);
		memmove(e->o->p + e->o->len, e->o->p + mark + 10, n);
		e->o->len += n;
	} else if (jw_unb64(JV_TEXT(v), e->o, 0) < 0 ||
	    e->o->len - mark != nd->size) {
		n = e->o->len - mark;
		e->o->len = mark;
		return efail(e, "expected base64 of %zu bytes (fixed %s), "
		    "got %zu", nd->size, nd->full, n);
	}
	return 0;
}

static int
enc_string(struct ectx *e, int ni, struct jv v)
{
	size_t n;

	if (JV_T(v) != JT_STR)
		return expected(e, ni, v);
	n = JV_LEN(v);
	wrlong(e->o, (int64_t)n);
	buf_add(e->o, JV_TEXT(v), n);
	return 0;
}

static int
enc_enum(struct ectx *e, int ni, struct jv v)
{
	const struct av_node *nd = &e->s->nd[ni];
	int k;

	if (JV_T(v) != JT_STR)
		return expected(e, ni, v);
	for (k = 0; k < nd->n; k++)
		if (strcmp(nd->name[k], JV_TEXT(v)) == 0) {
			wrlong(e->o, k);
			return 0;
		}
	return efail(e, "\"%s\" is not a symbol of enum %s", JV_TEXT(v),
	    nd->full);
}

/* field k of record nd, absent from the value: its default, or null
 * when it may be null */
static int
enc_absent(struct ectx *e, const struct av_node *nd, int k, int depth)
{
	const struct av_node *fn = &e->s->nd[nd->kid[k]];

	if (nd->def != NULL && nd->def[k] != NULL) {
		struct jv dv = { nd->def[k], 0 };
		/* a union's default is its first branch's */
		int t = fn->type == AV_UNION ? fn->kid[0] : nd->kid[k];

		if (fn->type == AV_UNION)
			wrlong(e->o, 0);
		return enc(e, t, dv, depth + 1);
	}
	if (fn->type == AV_NULL || (fn->type == AV_UNION &&
	    e->s->nd[fn->kid[0]].type == AV_NULL)) {
		if (fn->type == AV_UNION)
			wrlong(e->o, 0);
		return 0;
	}
	return efail(e, "missing");
}

static int
enc_record(struct ectx *e, int ni, struct jv v, int depth)
{
	const struct av_node *nd = &e->s->nd[ni];
	size_t old;
	int k;

	if (JV_T(v) != JT_OBJ)
		return expected(e, ni, v);
	for (k = 0; k < nd->n; k++) {
		struct jv f = { v.t, jt_get(v.t, v.i, nd->name[k]) };

		old = pushpath(e, nd->name[k], strlen(nd->name[k]), -1);
		if (f.i < 0) {
			if (enc_absent(e, nd, k, depth) < 0)
				return -1;
		} else if (enc(e, nd->kid[k], f, depth + 1) < 0)
			return -1;
		e->plen = old;
	}
	return 0;
}

/* an array's items or a map's values, in one block */
static int
enc_items(struct ectx *e, int ni, struct jv v, int depth)
{
	const struct av_node *nd = &e->s->nd[ni];
	int map = nd->type == AV_MAP;
	struct jv c;
	const char *key;
	size_t i, n, old;

	if (JV_T(v) != (map ? JT_OBJ : JT_ARR))
		return expected(e, ni, v);
	if (JV_N(v) > 0) {
		c = jv_first(v);
		wrlong(e->o, (int64_t)JV_N(v));
		for (i = 0; i < (size_t)JV_N(v); i++, c = jv_next(c)) {
			if (map) {
				key = jt_key(c.t, c.i);
				n = c.t->nd[c.i].klen;
				wrlong(e->o, (int64_t)n);
				buf_add(e->o, key, n);
				old = pushpath(e, key, n, -1);
			} else
				old = pushpath(e, NULL, 0, (int)i);
			if (enc(e, nd->kid[0], c, depth + 1) < 0)
				return -1;
			e->plen = old;
		}
	}
	buf_addc(e->o, 0);
	return 0;
}

static int
enc(struct ectx *e, int ni, struct jv v, int depth)
{
	const struct av_node *nd = &e->s->nd[ni];

	if (depth > AV_MAXDEPTH)
		return efail(e, "nested deeper than %d", AV_MAXDEPTH);
	switch (nd->type) {
	case AV_NULL:
		if (!JV_NULL(v))
			return expected(e, ni, v);
		return 0;
	case AV_BOOL:
		if (JV_T(v) != JT_TRUE && JV_T(v) != JT_FALSE)
			return expected(e, ni, v);
		buf_addc(e->o, JV_T(v) == JT_TRUE ? 1 : 0);
		return 0;
	case AV_INT:
	case AV_LONG:
		return enc_int(e, ni, v);
	case AV_FLOAT:
	case AV_DOUBLE:
		return enc_float(e, ni, v);
	case AV_BYTES:
	case AV_FIXED:
		return enc_bytes(e, ni, v);
	case AV_STRING:
		return enc_string(e, ni, v);
	case AV_ENUM:
		return enc_enum(e, ni, v);
	case AV_RECORD:
		return enc_record(e, ni, v, depth);
	case AV_UNION:
		return enc_union(e, nd, v, depth);
	case AV_ARRAY:
	case AV_MAP:
		return enc_items(e, ni, v, depth);
	}
	return efail(e, "bad schema node");
}

int
av_encode(const struct av_schema *s, const struct jtree *t, struct buf *out,
    char *err, size_t errn)
{
	return av_encode_at(s, t, 0, out, err, errn);
}

int
av_encode_at(const struct av_schema *s, const struct jtree *t, int i,
    struct buf *out, char *err, size_t errn)
{
	struct ectx e;
	struct jv v = { t, i };

	memset(&e, 0, sizeof(e));
	e.s = s;
	e.o = out;
	e.err = err;
	e.errn = errn;
	return enc(&e, s->root, v, 0);
}
