/* jrec.h - one NDJSON record parsed: by a reader of the quick scanner's
 * walk (jscan.h) when it vouches for the line, else with yajl's callback
 * interface, which says what is wrong. The caller names the fields it needs by dot path ("payload.seller_id")
 * before parsing; jr_parse() fills val[i] for path i. With copy set, the
 * record is also re-serialised compactly into *copy, and every captured
 * value's span in it is recorded, so a tool can splice in new values.
 * With reuse set too, a line that is compact already (no whitespace
 * outside strings, no backslash) is not copied: text is then the line
 * itself, and the spans are in it. */
#ifndef JREC_H
#define JREC_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_parse.h>

#include "jscan.h"
#include "kp.h"

#define JR_MAXPATHS	32		/* (the bits of the scanner's masks) */
#define JR_MAXCOMP	JS_MAXFOLLOW

enum { JR_NONE, JR_NULL = JS_NULL, JR_BOOL = JS_BOOL, JR_NUM = JS_NUM,
	JR_STR = JS_STR, JR_OBJ = JS_OBJ, JR_ARR = JS_ARR };

struct jr_val {
	int		 type;	/* JR_NONE: not in the record */
	const char	*s;	/* NUM: number text; STR: unescaped bytes;
				   BOOL: "true"/"false"; else NULL */
	size_t		 len;
	size_t		 off, end;	/* span in text (with copy only) */
};

/* An element of an array read whole (see whole in struct jrec). */
struct jr_elem {
	int		 path;	/* the array's path */
	int		 type;
	const char	*s;	/* as in struct jr_val; NULL for an object or
				   an array */
	size_t		 len;
	size_t		 soff;	/* (where s is kept while parsing) */
};

struct jr_path {
	char		*comp[JR_MAXCOMP];
	size_t		 clen[JR_MAXCOMP];
	int		 n;
};

struct jrec {
	yajl_handle	 h;
	int		 any_root;	/* accept any JSON value, not only {} */
	int		 npaths;
	struct jr_path	 path[JR_MAXPATHS];
	struct jr_val	 val[JR_MAXPATHS];
	struct buf	*copy;		/* NULL: no re-serialisation */
	int		 reuse;		/* with copy: leave a compact line as is */
	const char	*text;		/* with copy, after jr_parse(): the compact */
	size_t		 tlen;		/* record, copy->p or the line itself */
	/* Paths read whole (bit i for path i; set by the caller, without
	 * copy): an object or array value of one has its span [off, end) in
	 * the line, and an array's elements (at its own depth only) are in
	 * elem[0..nelem) after jr_parse(), in their order. */
	uint32_t	 whole;
	const struct jr_elem *elem;
	size_t		 nelem;
	/* parse state */
	struct buf	*w;		/* where the copy goes: copy, or NULL */
	int		 inplace;	/* the spans are in the line itself */
	const char	*line;
	size_t		 llen;
	int		 late;		/* in yajl_complete_parse() */
	size_t		 rootend;	/* offset past the root's last byte */
	struct buf	 scratch;
	size_t		 soff[JR_MAXPATHS];
	struct buf	 stack;		/* per depth: 1 array, 2 has members */
	struct buf	 elems;		/* struct jr_elem */
	int		 edepth, epath;	/* the elements of a whole array
					   being read: their depth (0:
					   none) and the array's path */
	uint32_t	 pm[JR_MAXCOMP + 2];
	uint32_t	 cur;
	int		 depth, roots;
	int		 plain;		/* the line is ASCII without a backslash */
	int		 locate;	/* note vend: a pass for a message */
	size_t		 vend;		/* offset past the last value read */
	uint32_t	 escm, wmask;	/* the quick pass's paths decoded
					   onto scratch, and read whole */
	char		 err[160];
};

void	jr_init(struct jrec *);
void	jr_free(struct jrec *);
/* Add a dot path; returns its index. Exits 64 on an empty part, too many
 * paths or parts. The same path may be added twice. */
int	jr_addpath(struct jrec *, const char *dotpath);
/* The last component of path i (the output name for a key field). */
const char *jr_lastname(const struct jrec *, int i);
/* Parse one line. 0 ok; -1 invalid, with jr->err a one-line reason. */
int	jr_parse(struct jrec *, const char *line, size_t len);
/* Parse one line with h (configured for multiple values): the line, a
 * newline, then yajl_complete_parse(). The newline ends a token the line
 * ends in (a number, true) and is an error inside one (a string cut
 * short): without it yajl keeps such a token in its lexer, accepts the
 * line when a value came before it ({}"), and carries the token into the
 * next line. *atend is set when the error came at the line's end. */
yajl_status jr_yajl_line(yajl_handle, const char *line, size_t len,
	    int *atend);
/* A name for a value type in messages: "a string", "an array". */
const char *jr_typename(int type);

/* The quick pass alone, which jr_parse() tries first (without copy): 1
 * when the scanner vouched for the line and captured the paths as
 * jr_parse() would (their types set to JR_NONE and nelem to 0 before),
 * 0 when it left the line to yajl: a root that is not an object (unless
 * any_root), a key to compare that holds an escape, elements of an array
 * read whole other than strings and nulls, a field given twice, and
 * whatever js_walk() does not vouch for. */
int	jr_scan(struct jrec *, const char *line, size_t len);

#endif
