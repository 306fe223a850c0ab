/* jscan.h - a one-pass JSON scanner for the common case, several times
 * faster than yajl, with no knowledge of records: it walks one text and
 * tells a reader, through its hooks, about the values the reader follows.
 * It answers "certainly" or "undecided", never "invalid": what it does
 * not vouch for (bad input, and the rare good input it leaves aside) is
 * for a full parser (yajl, in jr_parse()) to judge, with its messages. */
#ifndef JSCAN_H
#define JSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "jsdef.h"	/* the reader, js_hex4() */

/* The walk itself is js_walk(), inline in jswalk.h, for a reader on the
 * hot path. js_quick() is that walk with no reader: 1 when p[0..n) is
 * one JSON value (any type), optionally surrounded by spaces and tabs, on
 * one line (no CR or LF anywhere), with strictly valid UTF-8 and no \u
 * escape of a surrogate; 0: undecided. */
int	js_quick(const char *p, size_t n);
/* Past the closing byte of the object or array at p, in a text that
 * js_walk() vouched for. */
const char *js_end(const char *p);
/* The string text p[0..e) that js_walk() passed with esc set, decoded
 * into o (room for e - p bytes at least); its length there. */
size_t	js_unescape(char *o, const char *p, const char *e);
/* What the bytes of p[0..n) hold, as JS_ bits, in one pass of the block
 * classifier the scanner uses: a byte above 127, a backslash, a byte at
 * or below ' ' (white space or a control character). */
enum { JS_HIGH = 1, JS_BSL = 2, JS_CTL = 4 };
unsigned js_classify(const char *p, size_t n);
#endif
