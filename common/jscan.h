/* jscan.h - a quick check that a text is one JSON value that jr_parse()
 * (with any_root) accepts and that can be written out as it is: a single
 * pass with no callbacks, several times faster than yajl. It answers
 * "certainly" or "ask jr_parse()", never "invalid", so what it does not
 * vouch for (bad input, and the rare good input it leaves to yajl) takes
 * the full parse, with its error messages. */
#ifndef JSCAN_H
#define JSCAN_H

#include <stddef.h>

#define JS_MAXDEPTH	256	/* deeper nesting is left to jr_parse() */

/* 1 when p[0..n) is one JSON value (any type), optionally surrounded by
 * spaces and tabs, on one line (no CR or LF anywhere), with strictly
 * valid UTF-8 and no \u escape of a surrogate. 0: undecided. */
int	js_quick(const char *p, size_t n);
/* The same for a record, capturing jr's paths as jr_parse() would, into
 * jr->val[] (their types set to JR_NONE before): s of a string, number or
 * literal points into p (its text, without quotes), or for a string with
 * escapes onto jr->scratch (decoded); an object or array read whole
 * (jr->whole) has its span, an array its elements in jr->elem[] (jr->nelem
 * 0 before). A root that is not an object (unless jr->any_root), a key to
 * compare that holds an escape, or elements other than strings and nulls,
 * are left to jr_parse() too. With jr NULL, js_quick(). */
struct jrec;
int	js_scan(const char *p, size_t n, struct jrec *jr);
/* What the bytes of p[0..n) hold, as JS_ bits, in one pass of the block
 * classifier the scanner uses: a byte above 127, a backslash, a byte at
 * or below ' ' (white space or a control character). */
enum { JS_HIGH = 1, JS_BSL = 2, JS_CTL = 4 };
unsigned js_classify(const char *p, size_t n);
/* The value of the four hex digits at s (a \u escape's): 1, or 0 when
 * one is not a hex digit. */
int	js_hex4(const char *s, unsigned *u);

#endif
