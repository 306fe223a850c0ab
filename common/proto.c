/* proto.c - Protobuf schemas and decoding to JSON (proto.h). */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jw.h"
#include "kp.h"
#include "proto.h"

static void
fail(char *err, size_t errn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errn, fmt, ap);
	va_end(ap);
}

/* ---- the schema model ---------------------------------------------- */

static int
add_msg(struct pb_schema *s, const char *full, int parent)
{
	struct pb_msg *m;

	s->m = kp_xrealloc(s->m, (s->nm + 1) * sizeof(*s->m));
	m = &s->m[s->nm];
	memset(m, 0, sizeof(*m));
	m->full = kp_xstrdup(full);
	m->parent = parent;
	if (parent >= 0) {
		struct pb_msg *p = &s->m[parent];
		p->kid = kp_xrealloc(p->kid, (p->nkid + 1) * sizeof(int));
		p->kid[p->nkid++] = s->nm;
	} else if (parent == -1) {
		s->top = kp_xrealloc(s->top, (s->ntop + 1) * sizeof(int));
		s->top[s->ntop++] = s->nm;
	}
	return s->nm++;
}

/* lowerCamelCase: each '_' dropped, the letter after it in capitals */
static char *
camel(const char *name)
{
	char *j = kp_xmalloc(strlen(name) + 1), *q = j;
	int up = 0;

	for (; *name != '\0'; name++) {
		if (*name == '_') {
			up = 1;
			continue;
		}
		*q++ = up ? (char)toupper((unsigned char)*name) : *name;
		up = 0;
	}
	*q = '\0';
	return j;
}

/* b = scope.name, or name at the top level (scope ""); its text */
static const char *
scoped(struct buf *b, const char *scope, const char *name)
{
	b->len = 0;
	buf_add(b, scope, strlen(scope));
	if (b->len > 0)
		buf_addc(b, '.');
	buf_add(b, name, strlen(name));
	return buf_cstr(b);
}

static struct pb_field *
add_field(struct pb_schema *s, int mi, const char *name, int num, int type,
    const char *tname)
{
	struct pb_msg *m = &s->m[mi];
	struct pb_field *f;

	m->f = kp_xrealloc(m->f, (m->nf + 1) * sizeof(*m->f));
	f = &m->f[m->nf++];
	memset(f, 0, sizeof(*f));
	f->name = kp_xstrdup(name);
	f->json = camel(name);
	f->num = num;
	f->type = type;
	f->tname = tname ? kp_xstrdup(tname) : NULL;
	f->ref = -1;
	return f;
}

static int
add_enum(struct pb_schema *s, const char *full)
{
	struct pb_enum *e;

	s->e = kp_xrealloc(s->e, (s->ne + 1) * sizeof(*s->e));
	e = &s->e[s->ne];
	memset(e, 0, sizeof(*e));
	e->full = kp_xstrdup(full);
	return s->ne++;
}

static void
add_value(struct pb_schema *s, int ei, const char *name, int num)
{
	struct pb_enum *e = &s->e[ei];

	e->name = kp_xrealloc(e->name, (e->n + 1) * sizeof(char *));
	e->num = kp_xrealloc(e->num, (e->n + 1) * sizeof(int));
	e->name[e->n] = kp_xstrdup(name);
	e->num[e->n++] = num;
}

int
pb_find(const struct pb_schema *s, const char *full)
{
	int i;

	for (i = 0; i < s->nm; i++)
		if (strcmp(s->m[i].full, full) == 0)
			return i;
	return -1;
}

static int
find_enum(const struct pb_schema *s, const char *full)
{
	int i;

	for (i = 0; i < s->ne; i++)
		if (strcmp(s->e[i].full, full) == 0)
			return i;
	return -1;
}

/* the well-known types this decoder knows, always present */
static void
well_known(struct pb_schema *s)
{
	static const struct { const char *name; int type; } wr[] = {
		{ "DoubleValue", PT_DOUBLE }, { "FloatValue", PT_FLOAT },
		{ "Int64Value", PT_INT64 }, { "UInt64Value", PT_UINT64 },
		{ "Int32Value", PT_INT32 }, { "UInt32Value", PT_UINT32 },
		{ "BoolValue", PT_BOOL }, { "StringValue", PT_STRING },
		{ "BytesValue", PT_BYTES } };
	char full[64];
	size_t i;
	int mi;

	mi = add_msg(s, "google.protobuf.Timestamp", -2);
	s->m[mi].wk = PW_TIMESTAMP;
	add_field(s, mi, "seconds", 1, PT_INT64, NULL);
	add_field(s, mi, "nanos", 2, PT_INT32, NULL);
	mi = add_msg(s, "google.protobuf.Duration", -2);
	s->m[mi].wk = PW_DURATION;
	add_field(s, mi, "seconds", 1, PT_INT64, NULL);
	add_field(s, mi, "nanos", 2, PT_INT32, NULL);
	for (i = 0; i < sizeof(wr) / sizeof(wr[0]); i++) {
		snprintf(full, sizeof(full), "google.protobuf.%s", wr[i].name);
		mi = add_msg(s, full, -2);
		s->m[mi].wk = PW_WRAPPER;
		add_field(s, mi, "value", 1, wr[i].type, NULL);
	}
}

int
pb_builtin(const char *path)
{
	return strcmp(path, "google/protobuf/timestamp.proto") == 0 ||
	    strcmp(path, "google/protobuf/duration.proto") == 0 ||
	    strcmp(path, "google/protobuf/wrappers.proto") == 0;
}

/* path is a built-in file or one of the files dep[0..ndep) */
static int
import_ok(const char *path, const struct pb_dep *dep, int ndep, char *err,
    size_t errn)
{
	int i;

	if (pb_builtin(path))
		return 0;
	for (i = 0; i < ndep; i++)
		if (strcmp(dep[i].name, path) == 0)
			return 0;
	fail(err, errn, "imports %s: neither a reference of the schema nor "
	    "google/protobuf/timestamp.proto, duration.proto or "
	    "wrappers.proto", path);
	return -1;
}

/* Resolve each field's type name in the scope of its message: "X.Y"
 * from a.b.C is tried as a.b.C.X.Y, a.b.X.Y, a.X.Y, X.Y; ".X.Y" is
 * absolute. */
static int
resolve(struct pb_schema *s, char *err, size_t errn)
{
	struct buf b = { 0 };
	int mi, fi, r, found;

	for (mi = 0; mi < s->nm; mi++) {
		for (fi = 0; fi < s->m[mi].nf; fi++) {
			struct pb_field *f = &s->m[mi].f[fi];
			const char *scope = s->m[mi].full;
			size_t sl = strlen(scope);

			if (f->tname == NULL)
				continue;
			found = 0;
			for (;;) {
				b.len = 0;
				if (f->tname[0] == '.')
					buf_add(&b, f->tname + 1, strlen(f->tname + 1));
				else {
					buf_add(&b, scope, sl);
					if (sl > 0)
						buf_addc(&b, '.');
					buf_add(&b, f->tname, strlen(f->tname));
				}
				buf_cstr(&b);
				if ((r = pb_find(s, b.p)) >= 0) {
					if (f->type != PT_ENUM)
						f->type = PT_MESSAGE;
					if (f->type == PT_MESSAGE) {
						f->ref = r;
						found = 1;
						break;
					}
				}
				if ((r = find_enum(s, b.p)) >= 0 &&
				    f->type != PT_MESSAGE) {
					f->type = PT_ENUM;
					f->ref = r;
					found = 1;
					break;
				}
				if (f->tname[0] == '.' || sl == 0)
					break;
				while (sl > 0 && scope[sl - 1] != '.')
					sl--;
				if (sl > 0)
					sl--;
			}
			if (found && f->presence == 2)
				f->presence = f->type == PT_MESSAGE;
			if (!found) {
				fail(err, errn, "%s.%s: unknown type %s",
				    s->m[mi].full, f->name, f->tname);
				buf_free(&b);
				return -1;
			}
		}
	}
	buf_free(&b);
	return 0;
}

void
pb_free(struct pb_schema *s)
{
	int i, j;

	for (i = 0; i < s->nm; i++) {
		for (j = 0; j < s->m[i].nf; j++) {
			free(s->m[i].f[j].name);
			free(s->m[i].f[j].json);
			free(s->m[i].f[j].tname);
		}
		free(s->m[i].f);
		free(s->m[i].kid);
		free(s->m[i].full);
	}
	for (i = 0; i < s->ne; i++) {
		for (j = 0; j < s->e[i].n; j++)
			free(s->e[i].name[j]);
		free(s->e[i].name);
		free(s->e[i].num);
		free(s->e[i].full);
	}
	free(s->m);
	free(s->e);
	free(s->top);
	memset(s, 0, sizeof(*s));
}

/* ---- the wire format ----------------------------------------------- */

struct rd {
	const unsigned char *p, *e;
};

static int
varint(struct rd *r, uint64_t *v)
{
	uint64_t x = 0;
	int sh;

	for (sh = 0; sh < 64; sh += 7) {
		if (r->p >= r->e)
			return -1;
		x |= (uint64_t)(*r->p & 0x7f) << sh;
		if ((*r->p++ & 0x80) == 0) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* a value of wire type wt at r: 0 a varint, 1 fixed64, 5 fixed32
 * (little-endian hosts). -1 when truncated. */
static int
value(struct rd *r, int wt, uint64_t *v)
{
	uint32_t u;

	if (wt == 0)
		return varint(r, v);
	if (wt == 1) {
		if (r->e - r->p < 8)
			return -1;
		memcpy(v, r->p, 8);
		r->p += 8;
		return 0;
	}
	if (r->e - r->p < 4)
		return -1;
	memcpy(&u, r->p, 4);
	*v = u;
	r->p += 4;
	return 0;
}

/* one field's tag and its value's bytes; wire types 3 and 4 (groups)
 * are refused */
struct fv {
	int		 num, wt;
	uint64_t	 v;		/* varint, fixed64, fixed32 */
	const unsigned char *p;		/* length-delimited */
	size_t		 n;
};

static int
next(struct rd *r, struct fv *f, char *err, size_t errn)
{
	uint64_t t, len;

	if (varint(r, &t) < 0 || (t >> 3) == 0 || (t >> 3) > 0x1fffffff) {
		fail(err, errn, "a bad field tag");
		return -1;
	}
	f->num = (int)(t >> 3);
	f->wt = (int)(t & 7);
	switch (f->wt) {
	case 0:
	case 1:
	case 5:
		if (value(r, f->wt, &f->v) < 0)
			goto trunc;
		return 0;
	case 2:
		if (varint(r, &len) < 0 || len > (uint64_t)(r->e - r->p))
			goto trunc;
		f->p = r->p;
		f->n = (size_t)len;
		r->p += len;
		return 0;
	default:
		fail(err, errn, "field %d: wire type %d (groups are not "
		    "decoded)", f->num, f->wt);
		return -1;
	}
trunc:
	fail(err, errn, "truncated Protobuf data (field %d)", f->num);
	return -1;
}

/* a reader over a length-delimited value's bytes */
static struct rd
rd_in(const struct fv *f)
{
	struct rd r = { f->p, f->p + f->n };

	return r;
}

/* ---- the descriptor front end: a serialized FileDescriptorProto ---- */

static char *
str(const struct fv *f)
{
	char *s = kp_xmalloc(f->n + 1);

	memcpy(s, f->p, f->n);
	s[f->n] = '\0';
	return s;
}

/* *s = f's bytes, the string it held freed (a field given again: the
 * last one counts) */
static void
restr(char **s, const struct fv *f)
{
	free(*s);
	*s = str(f);
}

/* The full name (scope.NAME) of the enum or message (what) p[0..n)
 * into full: its name is field 1, wherever it is. */
static int
d_name(const unsigned char *p, size_t n, const char *scope,
    const char *what, struct buf *full, char *err, size_t errn)
{
	struct rd r = { p, p + n };
	struct fv f;
	char *name = NULL;

	while (r.p < r.e) {
		if (next(&r, &f, err, errn) < 0) {
			free(name);
			return -1;
		}
		if (f.num == 1 && f.wt == 2)
			restr(&name, &f);
	}
	if (name == NULL) {
		fail(err, errn, "%s without a name", what);
		return -1;
	}
	scoped(full, scope, name);
	free(name);
	return 0;
}

static int
d_enum(struct pb_schema *s, const char *scope, const unsigned char *p,
    size_t n, char *err, size_t errn)
{
	struct rd r = { p, p + n }, r2;
	struct fv f, g;
	char *vn;
	struct buf full = { 0 };
	int ei, vnum;

	if (d_name(p, n, scope, "an enum", &full, err, errn) < 0)
		goto bad;
	ei = add_enum(s, full.p);
	while (r.p < r.e) {
		if (next(&r, &f, err, errn) < 0)
			goto bad;
		if (f.num != 2 || f.wt != 2)
			continue;
		r2 = rd_in(&f);
		vn = NULL;
		vnum = 0;
		while (r2.p < r2.e) {
			if (next(&r2, &g, err, errn) < 0) {
				free(vn);
				goto bad;
			}
			if (g.num == 1 && g.wt == 2)
				restr(&vn, &g);
			else if (g.num == 2 && g.wt == 0)
				vnum = (int32_t)g.v;
		}
		if (vn != NULL) {
			add_value(s, ei, vn, vnum);
			free(vn);
		}
	}
	buf_free(&full);
	return 0;
bad:
	buf_free(&full);
	return -1;
}

static int
d_field(struct pb_schema *s, int mi, const unsigned char *p, size_t n,
    int proto3, char *err, size_t errn)
{
	struct rd r = { p, p + n };
	struct fv f;
	char *name = NULL, *tname = NULL, *json = NULL;
	int num = 0, label = 1, type = 0, oneof = 0, p3opt = 0;
	uint64_t oi = 0;
	struct pb_field *fd;

	while (r.p < r.e) {
		if (next(&r, &f, err, errn) < 0)
			goto bad;
		if (f.wt == 2 && f.num == 1)
			restr(&name, &f);
		else if (f.wt == 2 && f.num == 6)
			restr(&tname, &f);
		else if (f.wt == 2 && f.num == 10)
			restr(&json, &f);
		else if (f.wt == 0 && f.num == 3)
			num = (int)f.v;
		else if (f.wt == 0 && f.num == 4)
			label = (int)f.v;
		else if (f.wt == 0 && f.num == 5)
			type = (int)f.v;
		else if (f.wt == 0 && f.num == 9) {
			oneof = 1;
			oi = f.v;
		}
		else if (f.wt == 0 && f.num == 17)
			p3opt = f.v != 0;
	}
	if (name == NULL || num <= 0 || (type != 0 && (type < PT_DOUBLE ||
	    type > PT_SINT64)) || (type == 0 && tname == NULL)) {
		fail(err, errn, "%s: a field without a name, number or type",
		    s->m[mi].full);
		goto bad;
	}
	if (type == PT_GROUP) {
		fail(err, errn, "%s.%s: groups are not decoded",
		    s->m[mi].full, name);
		goto bad;
	}
	fd = add_field(s, mi, name, num, type ? type : PT_MESSAGE, tname);
	if (type == 0)
		fd->type = 0;	/* resolved later: a message or an enum */
	if (json != NULL) {
		free(fd->json);
		fd->json = json;
		json = NULL;
	}
	fd->rep = label == 3;
	fd->oneof = oneof && oi < 1000000 ? (int)oi + 1 : 0;
	/* 2: a message has presence, an enum not (resolve() says) */
	fd->presence = fd->rep ? 0 : (type == PT_MESSAGE || oneof || p3opt ||
	    !proto3) ? 1 : type == 0 ? 2 : 0;
	free(name);
	free(tname);
	free(json);
	return 0;
bad:
	free(name);
	free(tname);
	free(json);
	return -1;
}

static int
d_msg(struct pb_schema *s, const char *scope, int parent, int proto3,
    const unsigned char *p, size_t n, int depth, char *err, size_t errn)
{
	struct rd r = { p, p + n }, r2;
	struct fv f, g;
	struct buf full = { 0 };
	int mi, rc = -1;

	if (depth > PB_MAXDEPTH) {
		fail(err, errn, "messages nested too deep");
		return -1;
	}
	if (d_name(p, n, scope, "a message", &full, err, errn) < 0)
		goto out;
	mi = add_msg(s, full.p, parent);
	while (r.p < r.e) {
		if (next(&r, &f, err, errn) < 0)
			goto out;
		if (f.wt != 2)
			continue;
		if (f.num == 2 && d_field(s, mi, f.p, f.n, proto3, err,
		    errn) < 0)
			goto out;
		if (f.num == 3 && d_msg(s, full.p, mi, proto3, f.p, f.n,
		    depth + 1, err, errn) < 0)
			goto out;
		if (f.num == 4 && d_enum(s, full.p, f.p, f.n, err, errn) < 0)
			goto out;
		if (f.num == 7) {	/* MessageOptions: map_entry = 7 */
			r2 = rd_in(&f);
			while (r2.p < r2.e) {
				if (next(&r2, &g, err, errn) < 0)
					goto out;
				if (g.num == 7 && g.wt == 0 && g.v)
					s->m[mi].map = 1;
			}
		}
	}
	rc = 0;
out:
	buf_free(&full);
	return rc;
}

static int
from_descriptor(struct pb_schema *s, const unsigned char *p, size_t n,
    const struct pb_dep *deps, int ndep, char *err, size_t errn)
{
	struct rd r = { p, p + n };
	struct fv f;
	char *pkg = NULL, *syn = NULL, *dep;
	int rc = -1, proto3;

	while (r.p < r.e) {
		if (next(&r, &f, err, errn) < 0)
			goto out;
		if (f.num == 2 && f.wt == 2)
			restr(&pkg, &f);
		else if (f.num == 12 && f.wt == 2)
			restr(&syn, &f);
		else if (f.num == 3 && f.wt == 2) {
			dep = str(&f);
			if (import_ok(dep, deps, ndep, err, errn) < 0) {
				free(dep);
				goto out;
			}
			free(dep);
		}
	}
	proto3 = syn != NULL && strcmp(syn, "proto3") == 0;
	r.p = p;
	while (r.p < r.e) {
		if (next(&r, &f, err, errn) < 0)
			goto out;
		if (f.wt != 2)
			continue;
		if (f.num == 4 && d_msg(s, pkg ? pkg : "", -1, proto3, f.p,
		    f.n, 0, err, errn) < 0)
			goto out;
		if (f.num == 5 && d_enum(s, pkg ? pkg : "", f.p, f.n, err,
		    errn) < 0)
			goto out;
	}
	rc = 0;
out:
	free(pkg);
	free(syn);
	return rc;
}

/* ---- the .proto text front end -------------------------------------- */

struct lex {
	const char	*p;
	int		 line;
	char		 tok[256];	/* the current token */
	int		 kind;		/* 'i' word, 's' string, 'n' number,
					 * a punctuation character, 0 end */
	int		 proto3;
	char		*err;
	size_t		 errn;
};

static int
lex(struct lex *x)
{
	size_t n = 0;
	char q;

	for (;;) {
		while (isspace((unsigned char)*x->p))
			if (*x->p++ == '\n')
				x->line++;
		if (x->p[0] == '/' && x->p[1] == '/') {
			while (*x->p != '\0' && *x->p != '\n')
				x->p++;
		} else if (x->p[0] == '/' && x->p[1] == '*') {
			x->p += 2;
			while (*x->p != '\0' && !(x->p[0] == '*' &&
			    x->p[1] == '/'))
				if (*x->p++ == '\n')
					x->line++;
			if (*x->p != '\0')
				x->p += 2;
		} else
			break;
	}
	x->tok[0] = '\0';
	if (*x->p == '\0')
		return x->kind = 0;
	if (isalpha((unsigned char)*x->p) || *x->p == '_' || *x->p == '.') {
		while ((isalnum((unsigned char)*x->p) || *x->p == '_' ||
		    *x->p == '.') && n < sizeof(x->tok) - 1)
			x->tok[n++] = *x->p++;
		x->tok[n] = '\0';
		return x->kind = 'i';
	}
	if (isdigit((unsigned char)*x->p) || *x->p == '-' || *x->p == '+') {
		x->tok[n++] = *x->p++;
		while ((isalnum((unsigned char)*x->p) || *x->p == '.' ||
		    *x->p == '+' || *x->p == '-') && n < sizeof(x->tok) - 1)
			x->tok[n++] = *x->p++;
		x->tok[n] = '\0';
		return x->kind = 'n';
	}
	if (*x->p == '"' || *x->p == '\'') {
		q = *x->p++;
		while (*x->p != '\0' && *x->p != q && *x->p != '\n') {
			if (*x->p == '\\' && x->p[1] != '\0')
				x->p++;
			if (n < sizeof(x->tok) - 1)
				x->tok[n++] = *x->p;
			x->p++;
		}
		if (*x->p != q) {
			x->tok[0] = '\0';
			return x->kind = '?';
		}
		x->p++;
		x->tok[n] = '\0';
		return x->kind = 's';
	}
	x->tok[0] = *x->p;
	x->tok[1] = '\0';
	return x->kind = *x->p++;
}

static int
expect(struct lex *x, int kind, const char *what)
{
	if (x->kind != kind) {
		fail(x->err, x->errn, "line %d: expected %s, not %s", x->line,
		    what, x->kind == 0 ? "the end" : x->tok);
		return -1;
	}
	lex(x);
	return 0;
}

/* past the next ';' at this level, or a balanced { } block */
static int
skip_stmt(struct lex *x)
{
	int depth = 0;

	for (;;) {
		if (x->kind == 0) {
			fail(x->err, x->errn, "line %d: unexpected end",
			    x->line);
			return -1;
		}
		if (x->kind == '{')
			depth++;
		else if (x->kind == '}') {
			if (--depth <= 0) {
				lex(x);
				if (x->kind == ';')
					lex(x);
				return 0;
			}
		} else if (x->kind == ';' && depth == 0) {
			lex(x);
			return 0;
		}
		lex(x);
	}
}

/* The next item of a block that ends with end ('}', or 0 the file's
 * end), ';' skipped: 1 at a word, 0 past the end, -1 (what was
 * expected) at anything else. */
static int
t_item(struct lex *x, int end, const char *what)
{
	while (x->kind == ';')
		lex(x);
	if (x->kind == end) {
		lex(x);
		return 0;
	}
	if (x->kind != 'i')
		return expect(x, 'i', what);
	return 1;
}

/* [ options ] after a field or an enum value: json_name kept */
static int
field_opts(struct lex *x, char **json)
{
	int depth = 0;

	if (x->kind != '[')
		return 0;
	for (;;) {
		if (x->kind == 0)
			return expect(x, ']', "]");
		if (x->kind == '[')
			depth++;
		else if (x->kind == ']' && --depth == 0) {
			lex(x);
			return 0;
		} else if (x->kind == 'i' && strcmp(x->tok, "json_name") == 0 &&
		    json != NULL) {
			lex(x);
			if (x->kind == '=' && lex(x) == 's') {
				free(*json);
				*json = kp_xstrdup(x->tok);
			}
			continue;
		}
		lex(x);
	}
}

static const struct { const char *name; int type; } scalars[] = {
	{ "double", PT_DOUBLE }, { "float", PT_FLOAT }, { "int64", PT_INT64 },
	{ "uint64", PT_UINT64 }, { "int32", PT_INT32 },
	{ "fixed64", PT_FIXED64 }, { "fixed32", PT_FIXED32 },
	{ "bool", PT_BOOL }, { "string", PT_STRING }, { "bytes", PT_BYTES },
	{ "uint32", PT_UINT32 }, { "sfixed32", PT_SFIXED32 },
	{ "sfixed64", PT_SFIXED64 }, { "sint32", PT_SINT32 },
	{ "sint64", PT_SINT64 } };

static int
scalar(const char *t)
{
	size_t i;

	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		if (strcmp(scalars[i].name, t) == 0)
			return scalars[i].type;
	return 0;
}

static int
number(struct lex *x, int *v)
{
	char *end;
	long n;

	if (x->kind != 'n') {
		fail(x->err, x->errn, "line %d: expected a number, not %s",
		    x->line, x->kind == 0 ? "the end" : x->tok);
		return -1;
	}
	n = strtol(x->tok, &end, 0);
	if (*end != '\0' || n < -2147483648L || n > 2147483647L) {
		fail(x->err, x->errn, "line %d: bad number %s", x->line,
		    x->tok);
		return -1;
	}
	*v = (int)n;
	lex(x);
	return 0;
}

/* the rest of a field or an enum value after its type: NAME = N
 * [options] ; with the name into name[0..nn) and json_name, when json is
 * not NULL, into *json (freed on failure) */
static int
t_tail(struct lex *x, char *name, size_t nn, int *num, char **json)
{
	if (x->kind != 'i')
		return expect(x, 'i', "a field name");
	snprintf(name, nn, "%s", x->tok);
	lex(x);
	if (expect(x, '=', "=") < 0 || number(x, num) < 0 ||
	    field_opts(x, json) < 0 || expect(x, ';', ";") < 0) {
		if (json != NULL) {
			free(*json);
			*json = NULL;
		}
		return -1;
	}
	return 0;
}

/* f's JSON name, when json_name gave one (json is f's then) */
static void
set_json(struct pb_field *f, char *json)
{
	if (json != NULL) {
		free(f->json);
		f->json = json;
	}
}

static int
t_enum(struct pb_schema *s, struct lex *x, const char *scope)
{
	struct buf full = { 0 };
	char name[256];
	int ei, v, k;

	if (x->kind != 'i')
		return expect(x, 'i', "an enum name");
	ei = add_enum(s, scoped(&full, scope, x->tok));
	buf_free(&full);
	lex(x);
	if (expect(x, '{', "{") < 0)
		return -1;
	while ((k = t_item(x, '}', "an enum value")) > 0) {
		if (strcmp(x->tok, "option") == 0 ||
		    strcmp(x->tok, "reserved") == 0) {
			if (skip_stmt(x) < 0)
				return -1;
			continue;
		}
		if (t_tail(x, name, sizeof(name), &v, NULL) < 0)
			return -1;
		add_value(s, ei, name, v);
	}
	return k;
}

/* CamelCase of a map field's name + "Entry", as protoc names it */
static void
entry_name(const char *f, char *out, size_t n)
{
	char *c = camel(f);

	if (c[0] != '\0')
		c[0] = (char)toupper((unsigned char)c[0]);
	snprintf(out, n, "%sEntry", c);
	free(c);
}

static int t_msg(struct pb_schema *, struct lex *, const char *, int, int);

/* a map field after "map": <K, V> NAME = N [opts]; with its entry
 * message NameEntry { K key = 1; V value = 2; } */
static int
t_map(struct pb_schema *s, struct lex *x, int mi)
{
	char type[256], name[256], en[300];
	char *json = NULL;
	struct pb_field *f;
	struct buf full = { 0 };
	int num, kt, vt, emi;

	lex(x);
	if (expect(x, '<', "<") < 0)
		return -1;
	if (x->kind != 'i' || (kt = scalar(x->tok)) == 0 ||
	    kt == PT_DOUBLE || kt == PT_FLOAT || kt == PT_BYTES) {
		fail(x->err, x->errn, "line %d: bad map key type %s",
		    x->line, x->tok);
		return -1;
	}
	lex(x);
	if (expect(x, ',', ",") < 0)
		return -1;
	if (x->kind != 'i')
		return expect(x, 'i', "a map value type");
	snprintf(type, sizeof(type), "%s", x->tok);
	lex(x);
	if (expect(x, '>', ">") < 0 ||
	    t_tail(x, name, sizeof(name), &num, &json) < 0)
		return -1;
	entry_name(name, en, sizeof(en));
	emi = add_msg(s, scoped(&full, s->m[mi].full, en), mi);
	s->m[emi].map = 1;
	f = add_field(s, emi, "key", 1, kt, NULL);
	vt = scalar(type);
	f = add_field(s, emi, "value", 2, vt, vt ? NULL : type);
	f->presence = vt == 0 ? 2 : 0;
	f = add_field(s, mi, name, num, PT_MESSAGE, en);
	f->rep = 1;
	buf_free(&full);
	set_json(f, json);
	return 0;
}

/* one field: [label] type name = N [opts]; (in a oneof: no label) */
static int
t_field(struct pb_schema *s, struct lex *x, int mi, int in_oneof)
{
	char type[256], name[256];
	char *json = NULL;
	int rep = 0, opt = 0, req = 0, num, st;
	struct pb_field *f;

	if (strcmp(x->tok, "repeated") == 0)
		rep = 1;
	else if (strcmp(x->tok, "optional") == 0)
		opt = 1;
	else if (strcmp(x->tok, "required") == 0)
		req = 1;
	if (rep || opt || req)
		lex(x);
	if (x->kind != 'i')
		return expect(x, 'i', "a field type");
	if (strcmp(x->tok, "group") == 0) {
		fail(x->err, x->errn, "line %d: groups are not decoded",
		    x->line);
		return -1;
	}
	if (strcmp(x->tok, "map") == 0)
		return t_map(s, x, mi);
	snprintf(type, sizeof(type), "%s", x->tok);
	lex(x);
	if (t_tail(x, name, sizeof(name), &num, &json) < 0)
		return -1;
	if (num <= 0) {
		fail(x->err, x->errn, "line %d: field %s: number %d",
		    x->line, name, num);
		free(json);
		return -1;
	}
	st = scalar(type);
	f = add_field(s, mi, name, num, st, st ? NULL : type);
	f->rep = rep;
	f->oneof = in_oneof;
	/* 2: a message has presence, an enum not (resolve() says) */
	f->presence = rep ? 0 : (in_oneof || opt || !x->proto3) ? 1 :
	    st == 0 ? 2 : 0;
	set_json(f, json);
	return 0;
}

/* a oneof, after "oneof": NAME { fields }, its fields members of
 * oneof g */
static int
t_oneof(struct pb_schema *s, struct lex *x, int mi, int g)
{
	int k;

	if (expect(x, 'i', "a oneof name") < 0 || expect(x, '{', "{") < 0)
		return -1;
	while ((k = t_item(x, '}', "a field")) > 0) {
		if (strcmp(x->tok, "option") == 0) {
			if (skip_stmt(x) < 0)
				return -1;
		} else if (t_field(s, x, mi, g) < 0)
			return -1;
	}
	return k;
}

static int
t_body(struct pb_schema *s, struct lex *x, const char *full, int mi,
    int depth)
{
	int oneofs = 0, k;

	if (expect(x, '{', "{") < 0)
		return -1;
	while ((k = t_item(x, '}', "a field or a definition")) > 0) {
		if (strcmp(x->tok, "message") == 0) {
			lex(x);
			if (t_msg(s, x, full, mi, depth + 1) < 0)
				return -1;
		} else if (strcmp(x->tok, "enum") == 0) {
			lex(x);
			if (t_enum(s, x, full) < 0)
				return -1;
		} else if (strcmp(x->tok, "oneof") == 0) {
			lex(x);
			if (t_oneof(s, x, mi, ++oneofs) < 0)
				return -1;
		} else if (strcmp(x->tok, "option") == 0 ||
		    strcmp(x->tok, "reserved") == 0 ||
		    strcmp(x->tok, "extensions") == 0 ||
		    strcmp(x->tok, "extend") == 0) {
			if (skip_stmt(x) < 0)
				return -1;
		} else if (t_field(s, x, mi, 0) < 0)
			return -1;
	}
	return k;
}

static int
t_msg(struct pb_schema *s, struct lex *x, const char *scope, int parent,
    int depth)
{
	struct buf full = { 0 };
	int mi, rc;

	if (depth > PB_MAXDEPTH) {
		fail(x->err, x->errn, "line %d: messages nested too deep",
		    x->line);
		return -1;
	}
	if (x->kind != 'i')
		return expect(x, 'i', "a message name");
	mi = add_msg(s, scoped(&full, scope, x->tok), parent);
	lex(x);
	rc = t_body(s, x, full.p, mi, depth);
	buf_free(&full);
	return rc;
}

static int
from_text(struct pb_schema *s, const char *text, const struct pb_dep *dep,
    int ndep, char *err, size_t errn)
{
	struct lex x = { 0 };
	char pkg[256] = "";
	int k;

	x.p = text;
	x.line = 1;
	x.err = err;
	x.errn = errn;
	lex(&x);
	while ((k = t_item(&x, 0, "a definition")) > 0) {
		if (strcmp(x.tok, "syntax") == 0 ||
		    strcmp(x.tok, "edition") == 0) {
			lex(&x);
			if (expect(&x, '=', "=") < 0)
				return -1;
			if (x.kind != 's')
				return expect(&x, 's', "a string");
			if (strcmp(x.tok, "proto3") == 0)
				x.proto3 = 1;
			else if (strcmp(x.tok, "proto2") != 0) {
				fail(err, errn, "line %d: syntax %s: only "
				    "proto2 and proto3 are read", x.line,
				    x.tok);
				return -1;
			}
			lex(&x);
			if (expect(&x, ';', ";") < 0)
				return -1;
		} else if (strcmp(x.tok, "package") == 0) {
			lex(&x);
			if (x.kind != 'i')
				return expect(&x, 'i', "a package name");
			snprintf(pkg, sizeof(pkg), "%s", x.tok);
			lex(&x);
			if (expect(&x, ';', ";") < 0)
				return -1;
		} else if (strcmp(x.tok, "import") == 0) {
			lex(&x);
			if (x.kind == 'i' && (strcmp(x.tok, "public") == 0 ||
			    strcmp(x.tok, "weak") == 0))
				lex(&x);
			if (x.kind != 's')
				return expect(&x, 's', "a file name");
			if (import_ok(x.tok, dep, ndep, err, errn) < 0)
				return -1;
			lex(&x);
			if (expect(&x, ';', ";") < 0)
				return -1;
		} else if (strcmp(x.tok, "message") == 0) {
			lex(&x);
			if (t_msg(s, &x, pkg, -1, 0) < 0)
				return -1;
		} else if (strcmp(x.tok, "enum") == 0) {
			lex(&x);
			if (t_enum(s, &x, pkg) < 0)
				return -1;
		} else if (strcmp(x.tok, "option") == 0 ||
		    strcmp(x.tok, "service") == 0 ||
		    strcmp(x.tok, "extend") == 0) {
			if (skip_stmt(&x) < 0)
				return -1;
		} else {
			fail(err, errn, "line %d: unexpected %s", x.line,
			    x.tok);
			return -1;
		}
	}
	return k;
}

/* a map entry is key = 1 then value = 2, neither repeated, a scalar
 * key */
static int
check_maps(struct pb_schema *s, char *err, size_t errn)
{
	const struct pb_msg *m;
	int i;

	for (i = 0; i < s->nm; i++) {
		m = &s->m[i];
		if (!m->map)
			continue;
		if (m->nf != 2 || m->f[0].num != 1 || m->f[1].num != 2 ||
		    m->f[0].rep || m->f[1].rep || m->f[0].type == PT_MESSAGE ||
		    m->f[0].type == PT_ENUM || m->f[0].type == PT_BYTES ||
		    m->f[0].type == PT_FLOAT || m->f[0].type == PT_DOUBLE) {
			fail(err, errn, "%s: a map entry that is not key = 1, "
			    "value = 2", m->full);
			return -1;
		}
	}
	return 0;
}

/* one file, text or base64, that may import dep[0..ndep) */
static int
one_file(struct pb_schema *s, const char *text, const struct pb_dep *dep,
    int ndep, char *err, size_t errn)
{
	struct buf bin = { 0 };
	const char *t;
	int rc;

	for (t = text; isspace((unsigned char)*t); t++)
		;
	/* base64 has no ';', '{' or space inside; .proto text does */
	if (strpbrk(t, "{; \n") == NULL && *t != '\0' &&
	    jw_unb64(t, &bin, 1) == 0 && bin.len > 0)
		rc = from_descriptor(s, (unsigned char *)bin.p, bin.len, dep,
		    ndep, err, errn);
	else
		rc = from_text(s, text, dep, ndep, err, errn);
	buf_free(&bin);
	return rc;
}

int
pb_compile(struct pb_schema *s, const char *text, char *err, size_t errn)
{
	return pb_compile_deps(s, text, NULL, 0, err, errn);
}

int
pb_compile_deps(struct pb_schema *s, const char *text,
    const struct pb_dep *dep, int ndep, char *err, size_t errn)
{
	char why[512];
	int i, rc = 0;

	memset(s, 0, sizeof(*s));
	well_known(s);
	for (i = 0; i < ndep && rc == 0; i++)
		if (!pb_builtin(dep[i].name) && (rc = one_file(s, dep[i].text,
		    dep, i, why, sizeof(why))) < 0)
			fail(err, errn, "reference %s: %s", dep[i].name, why);
	/* the message indexes count the main file's messages only */
	s->ntop = 0;
	if (rc == 0)
		rc = one_file(s, text, dep, ndep, err, errn);
	if (rc == 0 && s->ntop == 0) {
		fail(err, errn, "no message in the schema");
		rc = -1;
	}
	if (rc == 0)
		rc = resolve(s, err, errn);
	if (rc == 0)
		rc = check_maps(s, err, errn);
	if (rc < 0)
		pb_free(s);
	return rc;
}

/* ---- decoding ------------------------------------------------------ */

static int msg(const struct pb_schema *, int, const unsigned char *, size_t,
    struct buf *, int, char *, size_t);

static int
wire_of(int type)
{
	switch (type) {
	case PT_DOUBLE: case PT_FIXED64: case PT_SFIXED64:
		return 1;
	case PT_FLOAT: case PT_FIXED32: case PT_SFIXED32:
		return 5;
	case PT_STRING: case PT_BYTES: case PT_MESSAGE:
		return 2;
	default:
		return 0;
	}
}

static void
special(struct buf *o, double d)
{
	if (isnan(d))
		buf_adds(o, "\"NaN\"");
	else
		buf_add(o, d > 0 ? "\"Infinity\"" : "\"-Infinity\"",
		    d > 0 ? 10 : 11);
}

/* a scalar value v (varint or fixed bits) of type as JSON; quoted for a
 * map key */
static void
scalar_out(const struct pb_schema *s, const struct pb_field *f, uint64_t v,
    struct buf *o, int key)
{
	char t[48];
	union { uint64_t u; double d; } d8;
	union { uint32_t u; float f; } f4;
	int i;

	if (key)
		buf_addc(o, '"');
	switch (f->type) {
	case PT_INT64: case PT_SFIXED64:
		jw_i64(o, (int64_t)v);
		break;
	case PT_UINT64: case PT_FIXED64:
		jw_u64(o, v);
		break;
	case PT_INT32: case PT_SFIXED32:
		jw_i64(o, (int32_t)(uint32_t)v);
		break;
	case PT_UINT32: case PT_FIXED32:
		jw_u64(o, (uint32_t)v);
		break;
	case PT_SINT32:
		jw_i64(o, (int32_t)((uint32_t)v >> 1) ^ -(int32_t)(v & 1));
		break;
	case PT_SINT64:
		jw_i64(o, (int64_t)(v >> 1) ^ -(int64_t)(v & 1));
		break;
	case PT_BOOL:
		if (v)
			buf_adds(o, "true");
		else
			buf_adds(o, "false");
		break;
	case PT_DOUBLE:
		d8.u = v;
		if (isfinite(d8.d))
			jw_dbl(o, d8.d);
		else
			special(o, d8.d);
		break;
	case PT_FLOAT:
		f4.u = (uint32_t)v;
		if (!isfinite(f4.f)) {
			special(o, f4.f);
			break;
		}
		/* the shortest text of the float, not of the double */
		for (i = 1; i <= 9; i++) {
			snprintf(t, sizeof(t), "%.*g", i, (double)f4.f);
			if (strtof(t, NULL) == f4.f)
				break;
		}
		buf_add(o, t, strlen(t));
		break;
	case PT_ENUM: {
		const struct pb_enum *e = &s->e[f->ref];
		int32_t n = (int32_t)(uint32_t)v;

		for (i = 0; i < e->n; i++)
			if (e->num[i] == n) {
				jw_str(o, e->name[i], strlen(e->name[i]));
				break;
			}
		if (i == e->n)
			jw_i64(o, n);
		break;
	}
	}
	if (key)
		buf_addc(o, '"');
}

/* the default of a field without presence that is absent */
static void
dflt(const struct pb_schema *s, const struct pb_field *f, struct buf *o)
{
	const struct pb_enum *e;
	int i;

	if (f->rep) {
		if (f->type == PT_MESSAGE && s->m[f->ref].map)
			buf_adds(o, "{}");
		else
			buf_adds(o, "[]");
		return;
	}
	switch (f->type) {
	case PT_STRING: case PT_BYTES:
		buf_adds(o, "\"\"");
		return;
	case PT_MESSAGE:
		buf_adds(o, "null");
		return;
	case PT_ENUM:
		e = &s->e[f->ref];
		for (i = 0; i < e->n; i++)
			if (e->num[i] == 0)
				break;
		if (i < e->n)
			jw_str(o, e->name[i], strlen(e->name[i]));
		else if (e->n > 0)
			jw_str(o, e->name[0], strlen(e->name[0]));
		else
			buf_adds(o, "0");
		return;
	default:
		scalar_out(s, f, 0, o, 0);
	}
}

static int
one(const struct pb_schema *s, const struct pb_field *f, const struct fv *v,
    struct buf *o, int key, int depth, char *err, size_t errn)
{
	if (f->type == PT_STRING) {
		if (!jw_utf8ok((const char *)v->p, v->n)) {
			fail(err, errn, "%s: a string that is not UTF-8",
			    f->name);
			return -1;
		}
		jw_str(o, (const char *)v->p, v->n);
		return 0;
	}
	if (f->type == PT_BYTES) {
		jw_b64(o, v->p, v->n);
		return 0;
	}
	if (f->type == PT_MESSAGE)
		return msg(s, f->ref, v->p, v->n, o, depth + 1, err, errn);
	scalar_out(s, f, v->v, o, key);
	return 0;
}

/* the value of field 1 (key) or 2 (value) of a map entry */
static int
entry(const struct pb_schema *s, const struct pb_msg *em, const struct fv *v,
    struct buf *o, int depth, char *err, size_t errn)
{
	struct rd r = rd_in(v);
	struct fv k = { 0 }, val = { 0 }, t;
	int hk = 0, hv = 0;

	while (r.p < r.e) {
		if (next(&r, &t, err, errn) < 0)
			return -1;
		if (t.num == 1 && t.wt == wire_of(em->f[0].type)) {
			k = t;
			hk = 1;
		} else if (t.num == 2 && t.wt == wire_of(em->f[1].type)) {
			val = t;
			hv = 1;
		}
	}
	if (!hk) {
		if (em->f[0].type == PT_STRING)
			buf_adds(o, "\"\"");
		else if (em->f[0].type == PT_BOOL)
			buf_adds(o, "\"false\"");
		else
			buf_adds(o, "\"0\"");
	} else if (one(s, &em->f[0], &k, o, 1, depth, err, errn) < 0)
		return -1;
	buf_addc(o, ':');
	if (!hv) {
		if (em->f[1].type == PT_MESSAGE)
			return msg(s, em->f[1].ref, (const unsigned char *)"",
			    0, o, depth + 1, err, errn);
		dflt(s, &em->f[1], o);
		return 0;
	}
	return one(s, &em->f[1], &val, o, 0, depth, err, errn);
}

/* the key field of a map entry's bytes (absent: the default, of wire
 * type wt) */
static void
entry_key(const struct fv *e, int wt, struct fv *k)
{
	struct rd r = rd_in(e);
	struct fv t;
	char err[8];

	memset(k, 0, sizeof(*k));
	k->wt = wt;
	while (r.p < r.e && next(&r, &t, err, sizeof(err)) == 0)
		if (t.num == 1)
			*k = t;
}

/* 1 when an entry of map field num after r->p has the key of e */
static int
key_later(const struct rd *from, int num, int wt, const struct fv *e)
{
	struct rd r = *from;
	struct fv t, k, k2;
	char err[8];

	entry_key(e, wt, &k);
	while (r.p < r.e && next(&r, &t, err, sizeof(err)) == 0) {
		if (t.num != num || t.wt != 2)
			continue;
		entry_key(&t, wt, &k2);
		if (k2.wt == k.wt && (k.wt == 2 ? k.n == k2.n &&
		    (k.n == 0 || memcmp(k.p, k2.p, k.n) == 0) : k.v == k2.v))
			return 1;
	}
	return 0;
}

static int
packable(int type)
{
	return wire_of(type) != 2;
}

/* the values of a packed repeated field */
static int
packed(const struct pb_schema *s, const struct pb_field *f,
    const struct fv *v, struct buf *o, int *first, char *err, size_t errn)
{
	struct rd r = rd_in(v);
	uint64_t x;
	int w = wire_of(f->type);

	while (r.p < r.e) {
		if (value(&r, w, &x) < 0) {
			fail(err, errn, "%s: truncated packed values",
			    f->name);
			return -1;
		}
		if (!*first)
			buf_addc(o, ',');
		*first = 0;
		scalar_out(s, f, x, o, 0);
	}
	return 0;
}

static void
frac(struct buf *o, int32_t nanos)
{
	char t[16];

	if (nanos == 0)
		return;
	if (nanos % 1000000 == 0)
		snprintf(t, sizeof(t), ".%03d", nanos / 1000000);
	else if (nanos % 1000 == 0)
		snprintf(t, sizeof(t), ".%06d", nanos / 1000);
	else
		snprintf(t, sizeof(t), ".%09d", nanos);
	buf_add(o, t, strlen(t));
}

/* Timestamp, Duration and the wrappers */
static int
wk(const struct pb_schema *s, const struct pb_msg *m, const unsigned char *p,
    size_t n, struct buf *o, char *err, size_t errn)
{
	struct rd r = { p, p + n };
	struct fv v, last = { 0 };
	int64_t sec = 0;
	int32_t ns = 0;
	int have = 0;
	char t[64];
	struct tm tm;
	time_t tt;

	while (r.p < r.e) {
		if (next(&r, &v, err, errn) < 0)
			return -1;
		if (v.num == 1 && v.wt == wire_of(m->f[0].type)) {
			sec = (int64_t)v.v;
			last = v;
			have = 1;
		} else if (v.num == 2 && v.wt == 0 && m->wk != PW_WRAPPER)
			ns = (int32_t)(uint32_t)v.v;
	}
	if (m->wk == PW_WRAPPER) {
		if (!have) {
			dflt(s, &m->f[0], o);
			return 0;
		}
		return one(s, &m->f[0], &last, o, 0, 0, err, errn);
	}
	if (ns <= -1000000000 || ns >= 1000000000) {
		fail(err, errn, "%s: nanos %d out of range", m->full, ns);
		return -1;
	}
	if (m->wk == PW_DURATION) {
		if (sec < 0 || ns < 0) {
			buf_addc(o, '"');
			buf_addc(o, '-');
			jw_u64(o, sec < 0 ? (uint64_t)-(sec + 1) + 1 : 0);
			frac(o, ns < 0 ? -ns : ns);
		} else {
			buf_addc(o, '"');
			jw_i64(o, sec);
			frac(o, ns);
		}
		buf_adds(o, "s\"");
		return 0;
	}
	/* 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z */
	if (sec < -62135596800LL || sec > 253402300799LL || ns < 0) {
		fail(err, errn, "%s: seconds %lld out of range", m->full,
		    (long long)sec);
		return -1;
	}
	tt = (time_t)sec;
	gmtime_r(&tt, &tm);
	snprintf(t, sizeof(t), "\"%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	buf_add(o, t, strlen(t));
	frac(o, ns);
	buf_adds(o, "Z\"");
	return 0;
}

/* 1 when field number num is a member of oneof g of m */
static int
member(const struct pb_msg *m, int g, int num)
{
	int i;

	for (i = 0; i < m->nf; i++)
		if (m->f[i].num == num)
			return m->f[i].oneof == g;
	return 0;
}

static int
wrong(const struct pb_field *f, int wt, int w, char *err, size_t errn)
{
	fail(err, errn, "%s: wire type %d, expected %d", f->name, wt, w);
	return -1;
}

/* repeated field f of the message p[0..n): [values] or, a map,
 * {"key":value...} */
static int
msg_repeated(const struct pb_schema *s, const struct pb_field *f,
    const unsigned char *p, size_t n, struct buf *o, int depth, char *err,
    size_t errn)
{
	struct rd r = { p, p + n };
	struct fv v;
	int map = f->type == PT_MESSAGE && s->m[f->ref].map;
	int w = wire_of(f->type), first = 1;

	buf_addc(o, map ? '{' : '[');
	while (r.p < r.e) {
		(void)next(&r, &v, err, errn);
		if (v.num != f->num)
			continue;
		if (v.wt == 2 && !map && packable(f->type)) {
			if (packed(s, f, &v, o, &first, err, errn) < 0)
				return -1;
			continue;
		}
		if (v.wt != w)
			return wrong(f, v.wt, w, err, errn);
		/* a key that comes again: the last wins */
		if (map && key_later(&r, f->num,
		    wire_of(s->m[f->ref].f[0].type), &v))
			continue;
		if (!first)
			buf_addc(o, ',');
		first = 0;
		if (map ? entry(s, &s->m[f->ref], &v, o, depth, err,
		    errn) < 0 : one(s, f, &v, o, 0, depth, err, errn) < 0)
			return -1;
	}
	buf_addc(o, map ? '}' : ']');
	return 0;
}

/* the value of field f of m in the message p[0..n), the last one given,
 * into *last: 1, or 0 when it is absent (or another member of its oneof
 * comes after it) */
static int
msg_last(const struct pb_msg *m, const struct pb_field *f,
    const unsigned char *p, size_t n, struct fv *last, char *err,
    size_t errn)
{
	struct rd r = { p, p + n };
	struct fv v;
	int w = wire_of(f->type), any = 0;

	while (r.p < r.e) {
		(void)next(&r, &v, err, errn);
		if (f->oneof && v.num != f->num &&
		    member(m, f->oneof, v.num)) {
			any = 0;	/* another member set later */
			continue;
		}
		if (v.num != f->num)
			continue;
		if (v.wt != w)
			return wrong(f, v.wt, w, err, errn);
		*last = v;
		any = 1;
	}
	return any;
}

/* field f of m in the message p[0..n) as "name":value: 1, or 0 when it
 * is left out (absent, with presence) */
static int
msg_field(const struct pb_schema *s, const struct pb_msg *m,
    const struct pb_field *f, const unsigned char *p, size_t n,
    struct buf *o, int depth, char *err, size_t errn)
{
	struct fv last;
	int any;

	jw_key(o, f->json, strlen(f->json));
	if (f->rep)
		return msg_repeated(s, f, p, n, o, depth, err, errn) < 0 ?
		    -1 : 1;
	if ((any = msg_last(m, f, p, n, &last, err, errn)) < 0)
		return -1;
	if (any)
		return one(s, f, &last, o, 0, depth, err, errn) < 0 ? -1 : 1;
	if (f->presence)
		return 0;
	dflt(s, f, o);
	return 1;
}

static int
msg(const struct pb_schema *s, int mi, const unsigned char *p, size_t n,
    struct buf *o, int depth, char *err, size_t errn)
{
	const struct pb_msg *m = &s->m[mi];
	struct rd r = { p, p + n };
	struct fv v;
	size_t mark;
	int fi, nfirst = 1, rc;

	if (depth > PB_MAXDEPTH) {
		fail(err, errn, "messages nested deeper than %d", PB_MAXDEPTH);
		return -1;
	}
	/* the whole message well formed first */
	while (r.p < r.e)
		if (next(&r, &v, err, errn) < 0)
			return -1;
	if (m->wk != PW_NONE)
		return wk(s, m, p, n, o, err, errn);
	buf_addc(o, '{');
	for (fi = 0; fi < m->nf; fi++) {
		mark = o->len;
		if (!nfirst)
			buf_addc(o, ',');
		rc = msg_field(s, m, &m->f[fi], p, n, o, depth, err, errn);
		if (rc < 0)
			return -1;
		if (rc == 0)
			o->len = mark;	/* left out */
		else
			nfirst = 0;
	}
	buf_addc(o, '}');
	return 0;
}

int
pb_decode(const struct pb_schema *s, int mi, const unsigned char *p,
    size_t n, struct buf *out, char *err, size_t errn)
{
	size_t mark = out->len;

	if (msg(s, mi, p, n, out, 0, err, errn) < 0) {
		out->len = mark;
		return -1;
	}
	return 0;
}

int
pb_decode_framed(const struct pb_schema *s, const unsigned char *p,
    size_t n, struct buf *out, char *err, size_t errn)
{
	struct rd r = { p, p + n };
	uint64_t c, x;
	int64_t idx;
	int mi = -1, i;
	const int *list = s->top;
	int nl = s->ntop;

	if (varint(&r, &c) < 0) {
		fail(err, errn, "truncated message indexes");
		return -1;
	}
	c = (c >> 1) ^ -(c & 1);
	if (c == 0)
		mi = s->top[0];
	else if ((int64_t)c < 0 || c > PB_MAXDEPTH) {
		fail(err, errn, "bad message indexes (a count of %lld)",
		    (long long)(int64_t)c);
		return -1;
	}
	for (i = 0; (uint64_t)i < c; i++) {
		if (varint(&r, &x) < 0) {
			fail(err, errn, "truncated message indexes");
			return -1;
		}
		idx = (int64_t)((x >> 1) ^ -(x & 1));
		if (idx < 0 || idx >= nl) {
			fail(err, errn, "message index %lld: the schema has "
			    "%d message%s there", (long long)idx, nl,
			    nl == 1 ? "" : "s");
			return -1;
		}
		mi = list[idx];
		list = s->m[mi].kid;
		nl = s->m[mi].nkid;
	}
	return pb_decode(s, mi, r.p, (size_t)(r.e - r.p), out, err, errn);
}
