/* jsdef.h - what the scanner's walk (jswalk.h) and its callers share: the
 * kinds of value, the reader of a walk and its limits, and the \u
 * escape's four hex digits. The scanner proper is jscan.h. */
#ifndef JSDEF_H
#define JSDEF_H

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

/* The value of the four hex digits at s (a \u escape's): 1, or 0 when
 * one is not a hex digit. */
static inline int
js_hex4(const char *s, unsigned *u)
{
	int i, c;

	*u = 0;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return 0;
		*u = *u << 4 | (unsigned)c;
	}
	return 1;
}

#endif
