/* jtree.h - one JSON text parsed into a flat tree in reusable arrays: no
 * allocation per value once the arrays have grown to fit (ksink's Avro
 * encoder parses every line with it). Nodes are in document order, so a
 * container's first child is the node after it and the others follow by
 * next; strings are decoded (escapes, \u pairs) with their length, so a
 * NUL inside one survives; numbers keep their text. */
#ifndef JTREE_H
#define JTREE_H

#include <stddef.h>

#include "kp.h"

enum { JT_NULL, JT_TRUE, JT_FALSE, JT_NUM, JT_STR, JT_ARR, JT_OBJ };

#define JT_MAXDEPTH	128

struct jt_node {
	int	 type;
	int	 n;		/* JT_ARR, JT_OBJ: children */
	int	 next;		/* the next sibling, or -1 */
	int	 isint;		/* JT_NUM: no fraction, no exponent */
	size_t	 off, len;	/* JT_STR, JT_NUM: t->str[off..off+len), NUL after */
	size_t	 koff, klen;	/* an object's member: its key, likewise */
};

struct jtree {
	struct jt_node	*nd;
	int		 nn, cap;
	struct buf	 str;
	char		 err[96];
};

/* Parse p[0..n): 0, or -1 with the reason in t->err. The root is node 0. */
int	jt_parse(struct jtree *, const char *p, size_t n);
void	jt_free(struct jtree *);
/* The text of node i (a string's bytes, a number's text) and the key of
 * an object's member, NUL-terminated. */
static inline const char *
jt_text(const struct jtree *t, int i)
{
	return t->str.p + t->nd[i].off;
}
static inline const char *
jt_key(const struct jtree *t, int i)
{
	return t->str.p + t->nd[i].koff;
}
/* The member of object o named key, or -1. */
int	jt_get(const struct jtree *, int o, const char *key);

#endif
