/* expr.h - the small expression language of --where and --having:
 * field paths, numbers, strings in single or double quotes, true, false,
 * null, = != <> < <= > >=, and, or, not, parentheses, in (...), is null,
 * is not null. Compiled once into a tree; evaluated on the values of a
 * parsed record, numbers compared as exact decimals, strings bytewise.
 * SQL's three-valued logic: a comparison with a missing or null operand,
 * or with operands of different types, is unknown, and a record matches
 * only when the whole expression is true. */
#ifndef EXPR_H
#define EXPR_H

#include <stddef.h>

#include "jrec.h"

struct expr;

/* Compile text; each field path becomes jr_addpath(jr, path). NULL, with
 * a message in err ("near 'foo': expected ..."), when text is not an
 * expression. */
struct expr *ex_compile(const char *text, struct jrec *jr, char *err,
	    size_t errlen);
/* 1 when the expression is true for the values val[] of a record parsed
 * by jr; 0 when false or unknown. */
int	ex_match(const struct expr *, const struct jr_val *val);
void	ex_free(struct expr *);

#endif
