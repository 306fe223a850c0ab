/* agg.h - window-agg's aggregate functions, one table of {name, update,
 * merge, emit}: a new aggregate is one row there and its three
 * functions. A record's values are read once (agg_read) into one
 * struct agg_in per aggregate; the window store folds them into the
 * struct agg_state of each (window, key) it falls in. */
#ifndef AGG_H
#define AGG_H

#include <stddef.h>
#include <stdint.h>

#include "dec.h"
#include "jrec.h"
#include "kp.h"

#define AGG_MAX		32

/* The running value of one aggregate in one (window, key). */
struct agg_state {
	struct dec	 d;	/* sum, min, max; the sum for avg */
	int64_t		 n;	/* values seen */
	uint64_t	 seq;	/* first/last: arrival number of p */
	char		*p;	/* the function's own: a value's text, the
				   values kept, a sketch */
	uint32_t	 len, cap;
};

/* One record's value for one aggregate. */
struct agg_in {
	int		 has;	/* present and not null (SQL ignores NULLs) */
	int		 str;	/* min, max: a string, its bytes in t */
	struct dec	 d;	/* numeric functions: the value */
	const char	*t;	/* text functions: the value as JSON text */
	size_t		 tlen;
	struct buf	 tb;	/* t's storage when the text is rebuilt */
};

struct aggfn;

struct aggdef {
	char		*name;	/* output field */
	const struct aggfn *fn;
	int		 path;	/* jrec path of the field; -1: count() */
	char		*field;	/* its dot path, "" for count() */
	char		*sep;	/* listagg's separator (collect: ",") */
	size_t		 seplen;
	struct dec	 frac;	/* percentile's P; median: 0.5 */
	size_t		 max_values;	/* --max-values; 0: no limit */
};

/* Parse "NAME=FUNC(FIELD)" or "NAME=FUNC(FIELD, ARG)" into a (zeroed
 * first), adding FIELD's path to jr. Exits 64 with a message naming the
 * right spelling on a bad one. agg_clear() frees what it holds. */
void	agg_parse(struct aggdef *a, const char *spec, struct jrec *jr);
void	agg_clear(struct aggdef *a);
/* Read v, the record's value of a's field, into in. 0, or AGG_NOTNUM,
 * AGG_RANGE, AGG_NOTVAL: the record is bad (agg_why() says why). */
enum { AGG_NOTNUM = 1, AGG_RANGE, AGG_NOTVAL, AGG_NOTORD };
int	agg_read(const struct aggdef *a, const struct jr_val *v,
	    struct agg_in *in);
/* "expected a number, got %s" and the like, for agg_read()'s result. */
const char *agg_why(int rc);
/* Fold one record (in[i] for aggregate i, arrival number seq) into the
 * states s[0..n). */
void	agg_update(const struct aggdef *, int n, struct agg_state *s,
	    const struct agg_in *in, uint64_t seq);
/* Fold the states b into a (merging session windows); b stays valid
 * and must still be freed. */
void	agg_merge(const struct aggdef *, int n, struct agg_state *a,
	    const struct agg_state *b);
/* Append ,"name":value for each aggregate to out. -1, or the first
 * aggregate whose value cannot be written (an avg or a variance beyond
 * a double's range: written as null). Sorts the values percentile
 * keeps. */
int	agg_emit(const struct aggdef *, int n, const struct agg_state *s,
	    struct buf *out);
/* -1, or the first aggregate of s that holds max_values values already
 * (count_distinct, listagg, collect, median, percentile). */
int	agg_fits(const struct aggdef *, int n, const struct agg_state *s);
/* 1 when a keeps values (agg_fits() may refuse it). */
int	agg_collects(const struct aggdef *a);
/* Free what the states own (not s itself). */
void	agg_free(const struct aggdef *, int n, struct agg_state *s);
/* 1 when a's function takes no field (count()). */
int	agg_nofield(const struct aggdef *a);

#endif
