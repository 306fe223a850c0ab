/* expr.c - --where and --having: a recursive-descent compiler into a
 * tree of nodes, and a three-valued evaluator over it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dec.h"
#include "expr.h"

enum { F, T, U };	/* false, true, unknown */

enum {
	N_LIT, N_FIELD, N_CMP, N_AND, N_OR, N_NOT, N_ISNULL, N_IN
};

enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

/* A value: a literal's, or a field's as read. */
enum { V_NULL, V_NUM, V_STR, V_BOOL, V_OTHER };

struct val {
	int		 type;
	struct dec	 d;	/* V_NUM */
	const char	*s;	/* V_STR: bytes */
	size_t		 len;
	int		 b;	/* V_BOOL */
};

struct expr {
	int		 kind;
	int		 op;	/* N_CMP: C_*; N_ISNULL, N_IN: 1 negated */
	int		 path;	/* N_FIELD */
	struct val	 v;	/* N_LIT */
	char		*text;	/* N_LIT: a string's bytes */
	struct expr	*l, *r;	/* N_IN: r is a list of literals by r->r */
};

struct parser {
	const char	*s, *p;
	struct jrec	*jr;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

/* ---- the compiler -------------------------------------------------- */

static struct expr *
node(int kind, struct expr *l, struct expr *r)
{
	struct expr *e = kp_xmalloc(sizeof(*e));

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->l = l;
	e->r = r;
	return e;
}

static void
fail(struct parser *ps, const char *what)
{
	const char *p = ps->p;
	int n = 0;

	if (ps->failed++)
		return;
	while (p[n] != '\0' && n < 20)
		n++;
	if (*p == '\0')
		snprintf(ps->err, ps->errlen, "at the end: expected %s", what);
	else
		snprintf(ps->err, ps->errlen, "near '%.*s' (byte %d): "
		    "expected %s", n, p, (int)(p - ps->s) + 1, what);
}

static void
space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
		ps->p++;
}

static int
isword(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '$' || (c & 0x80);
}

/* The keyword kw next (whole word, any case): consume it. */
static int
keyword(struct parser *ps, const char *kw)
{
	size_t n = strlen(kw);

	space(ps);
	if (strncasecmp(ps->p, kw, n) != 0 || isword((unsigned char)ps->p[n]))
		return 0;
	ps->p += n;
	return 1;
}

static int
punct(struct parser *ps, const char *t)
{
	size_t n = strlen(t);

	space(ps);
	if (strncmp(ps->p, t, n) != 0)
		return 0;
	ps->p += n;
	return 1;
}

/* A number, a quoted string, true, false or null; NULL if none. */
static struct expr *
literal(struct parser *ps)
{
	struct expr *e;
	const char *p;
	char q;
	size_t n;

	space(ps);
	p = ps->p;
	if (*p == '\'' || *p == '"') {
		q = *p++;
		e = node(N_LIT, NULL, NULL);
		e->text = kp_xmalloc(strlen(p) + 1);
		for (n = 0; *p != '\0'; p++) {
			if (*p == q && p[1] == q)	/* 'it''s' */
				p++;
			else if (*p == q)
				break;
			e->text[n++] = *p;
		}
		if (*p != q) {
			fail(ps, "the closing quote");
			return e;
		}
		e->v.type = V_STR;
		e->v.s = e->text;
		e->v.len = n;
		ps->p = p + 1;
		return e;
	}
	if (*p == '-' || *p == '+' || *p == '.' || isdigit((unsigned char)*p)) {
		n = strspn(p, "+-0123456789.eE");
		e = node(N_LIT, NULL, NULL);
		e->v.type = V_NUM;
		if (dec_parse(&e->v.d, p, n) != DEC_OK ||
		    isword((unsigned char)p[n]))
			fail(ps, "a number");
		else
			ps->p = p + n;
		return e;
	}
	if (keyword(ps, "true") || keyword(ps, "false")) {
		e = node(N_LIT, NULL, NULL);
		e->v.type = V_BOOL;
		e->v.b = tolower((unsigned char)ps->p[-1]) == 'e' &&
		    tolower((unsigned char)ps->p[-2]) == 'u';
		return e;
	}
	if (keyword(ps, "null"))
		return node(N_LIT, NULL, NULL);
	return NULL;
}

static struct expr *chain(struct parser *, size_t);

/* The index of the dot path in jr, added when it is not there yet: a
 * field the record reader captures already costs nothing more. */
static int
path(struct jrec *jr, const char *dotted)
{
	const struct jr_path *p;
	const char *c, *dot;
	int i, k;

	for (i = 0; i < jr->npaths; i++) {
		p = &jr->path[i];
		for (c = dotted, k = 0; k < p->n; k++, c = dot + 1) {
			dot = strchr(c, '.');
			if (dot == NULL)
				dot = c + strlen(c);
			if ((size_t)(dot - c) != p->clen[k] ||
			    memcmp(c, p->comp[k], p->clen[k]) != 0 ||
			    (*dot == '\0') != (k == p->n - 1))
				break;
		}
		if (k == p->n)
			return i;
	}
	return jr_addpath(jr, dotted);
}

/* (expr), a literal, or a field path */
static struct expr *
primary(struct parser *ps)
{
	static const char *reserved[] = { "and", "or", "not", "in", "is" };
	struct expr *e;
	char name[256];
	size_t n, i;

	if (punct(ps, "(")) {
		e = chain(ps, 0);
		if (!punct(ps, ")"))
			fail(ps, "')'");
		return e;
	}
	if ((e = literal(ps)) != NULL)
		return e;
	for (n = 0; isword((unsigned char)ps->p[n]); n++)
		;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (n == strlen(reserved[i]) &&
		    strncasecmp(ps->p, reserved[i], n) == 0)
			n = 0;
	if (n == 0 || n >= sizeof(name)) {
		fail(ps, "a field, a number or a quoted string");
		return node(N_LIT, NULL, NULL);
	}
	memcpy(name, ps->p, n);
	name[n] = '\0';
	ps->p += n;
	e = node(N_FIELD, NULL, NULL);
	e->path = path(ps->jr, name);
	return e;
}

static struct expr *
comparison(struct parser *ps)
{
	static const struct { const char *t; int op; } ops[] = {
		{ "<=", C_LE }, { ">=", C_GE }, { "!=", C_NE }, { "<>", C_NE },
		{ "=", C_EQ }, { "<", C_LT }, { ">", C_GT },
	};
	struct expr *l = primary(ps), *e, **tail;
	const char *save;
	size_t i;
	int neg;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (punct(ps, ops[i].t)) {
			e = node(N_CMP, l, primary(ps));
			e->op = ops[i].op;
			return e;
		}
	if (keyword(ps, "is")) {
		e = node(N_ISNULL, l, NULL);
		e->op = keyword(ps, "not");
		if (!keyword(ps, "null"))
			fail(ps, "null");
		return e;
	}
	save = ps->p;
	neg = keyword(ps, "not");
	if (keyword(ps, "in")) {
		e = node(N_IN, l, NULL);
		e->op = neg;
		if (!punct(ps, "("))
			fail(ps, "'('");
		tail = &e->r;
		do {
			if ((*tail = literal(ps)) == NULL) {
				fail(ps, "a number or a quoted string");
				break;
			}
			tail = &(*tail)->r;
		} while (punct(ps, ","));
		if (!punct(ps, ")"))
			fail(ps, "',' or ')'");
		return e;
	}
	ps->p = save;
	return l;
}

static struct expr *
negation(struct parser *ps)
{
	if (keyword(ps, "not"))
		return node(N_NOT, negation(ps), NULL);
	return comparison(ps);
}

/* The binary logic operators, the loosest first. */
static const struct {
	const char	*kw;
	int		 op;
} logic[] = { { "or", N_OR }, { "and", N_AND } };

/* Operands joined by logic[level]'s operator, each one of the next level
 * (a negation after the last); chain(ps, 0) is a whole expression. */
static struct expr *
chain(struct parser *ps, size_t level)
{
	struct expr *e;

	if (level == sizeof(logic) / sizeof(logic[0]))
		return negation(ps);
	e = chain(ps, level + 1);
	while (!ps->failed && keyword(ps, logic[level].kw))
		e = node(logic[level].op, e, chain(ps, level + 1));
	return e;
}

struct expr *
ex_compile(const char *text, struct jrec *jr, char *err, size_t errlen)
{
	struct parser ps = { text, text, jr, err, errlen, 0 };
	struct expr *e = chain(&ps, 0);

	space(&ps);
	if (!ps.failed && *ps.p != '\0')
		fail(&ps, "and, or, or the end");
	if (ps.failed) {
		ex_free(e);
		return NULL;
	}
	return e;
}

void
ex_free(struct expr *e)
{
	if (e == NULL)
		return;
	ex_free(e->l);
	ex_free(e->r);
	free(e->text);
	free(e);
}

/* ---- the evaluator ------------------------------------------------- */

static void
value(const struct expr *e, const struct jr_val *val, struct val *v)
{
	const struct jr_val *j;

	if (e->kind == N_LIT) {
		*v = e->v;
		return;
	}
	j = &val[e->path];
	switch (j->type) {
	case JR_NUM:
		v->type = dec_parse(&v->d, j->s, j->len) == DEC_OK ? V_NUM :
		    V_OTHER;
		break;
	case JR_STR:
		v->type = V_STR;
		v->s = j->s;
		v->len = j->len;
		break;
	case JR_BOOL:
		v->type = V_BOOL;
		v->b = j->s[0] == 't';
		break;
	case JR_NONE:
	case JR_NULL:
		v->type = V_NULL;
		break;
	default:
		v->type = V_OTHER;
	}
}

/* -1, 0, 1, or 2 when a and b do not compare (null, other types) */
static int
compare(const struct val *a, const struct val *b)
{
	size_t n;
	int c;

	if (a->type != b->type || a->type == V_NULL || a->type == V_OTHER)
		return 2;
	switch (a->type) {
	case V_NUM:
		return dec_cmp(&a->d, &b->d);
	case V_BOOL:
		return (a->b > b->b) - (a->b < b->b);
	default:
		n = a->len < b->len ? a->len : b->len;
		if ((c = n > 0 ? memcmp(a->s, b->s, n) : 0) != 0)
			return c < 0 ? -1 : 1;
		return (a->len > b->len) - (a->len < b->len);
	}
}

static int
truth(const struct expr *e, const struct jr_val *val)
{
	struct val a, b;
	const struct expr *x;
	int c, l, r, any;

	switch (e->kind) {
	case N_AND:
		if ((l = truth(e->l, val)) == F)
			return F;
		r = truth(e->r, val);
		return r == F ? F : l == T && r == T ? T : U;
	case N_OR:
		if ((l = truth(e->l, val)) == T)
			return T;
		r = truth(e->r, val);
		return r == T ? T : l == F && r == F ? F : U;
	case N_NOT:
		l = truth(e->l, val);
		return l == U ? U : l == T ? F : T;
	case N_ISNULL:
		value(e->l, val, &a);
		return (a.type == V_NULL) != e->op ? T : F;
	case N_IN:
		value(e->l, val, &a);
		any = F;
		for (x = e->r; x != NULL; x = x->r) {
			if ((c = compare(&a, &x->v)) == 0)
				return e->op ? F : T;
			if (c == 2)
				any = U;
		}
		return any == U ? U : e->op ? T : F;
	case N_CMP:
		value(e->l, val, &a);
		value(e->r, val, &b);
		if ((c = compare(&a, &b)) == 2)
			return U;
		switch (e->op) {
		case C_EQ: return c == 0 ? T : F;
		case C_NE: return c != 0 ? T : F;
		case C_LT: return c < 0 ? T : F;
		case C_LE: return c <= 0 ? T : F;
		case C_GT: return c > 0 ? T : F;
		default: return c >= 0 ? T : F;
		}
	default:	/* a value alone: true when it is true */
		value(e, val, &a);
		return a.type != V_BOOL ? U : a.b ? T : F;
	}
}

int
ex_match(const struct expr *e, const struct jr_val *val)
{
	return truth(e, val) == T;
}
