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

#define JS_MAXDEPTH	256	/* deeper nesting is left undecided */
#define JS_MAXFOLLOW	16	/* a reader follows members this deep */

/* The kinds of value (nonzero). */
enum { JS_NULL = 1, JS_BOOL, JS_NUM, JS_STR, JS_OBJ, JS_ARR };

/* A reader of the walk, js_walk(). What it follows is a mask of 32 bits of its own
 * meaning; where that mask is 0 the walk calls no hook. A hook returning
 * 0 stops the walk (undecided). */
struct js_reader {
	/* A value below the root that want follows, in a container of
	 * type in (JS_OBJ or JS_ARR): for a string s[0..len) is its text
	 * within the quotes, with escapes when esc is set (valid; see
	 * js_unescape()); for a number or literal its text; for an object
	 * or array s points at its opening byte and len is 0. */
	int	 (*value)(void *ctx, uint32_t want, int depth, int in,
		    int type, const char *s, size_t len, int esc);
	/* An object or array at depth that want follows, once value() took
	 * it: what is followed into its members or elements (0: nothing). */
	uint32_t (*inner)(void *ctx, uint32_t want, int depth, int type);
	/* The key k[0..kn) of a member of an object at depth - 1 whose
	 * members are followed by want: what follows the member's value.
	 * (A key with an escape, where want is not 0, is left undecided.) */
	uint32_t (*member)(void *ctx, uint32_t want, int depth,
		    const char *k, size_t kn);
	/* The walk ended well (optional). */
	void	 (*done)(void *ctx);
};

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
/* The value of the four hex digits at s (a \u escape's): 1, or 0 when
 * one is not a hex digit. */
int	js_hex4(const char *s, unsigned *u);

#endif
