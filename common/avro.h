/* avro.h - Avro binary encoding, our own small codec over a schema
 * parsed with yajl: a schema is compiled once into a flat array of
 * nodes (named types resolved to node numbers, so recursive types work),
 * then each record is decoded straight into JSON text, or encoded from a
 * JSON value parsed by jtree.h, with no allocation but the growth of the
 * reused buffers.
 *
 * The JSON mapping (ksource(1) documents it): records are objects,
 * unions their plain value, enums their symbol, arrays arrays, maps
 * objects, bytes and fixed base64 strings (RFC 4648, padded), decimal
 * logical types exact JSON numbers with exactly `scale` fraction digits,
 * date, time-* and timestamp-* the numbers Avro stores, float and double
 * NaN and infinities the strings "NaN", "Infinity", "-Infinity".
 * On request (av_decode's flags): AV_WRAP writes a union's value that is
 * not null as Avro's own JSON encoding does, {"branch type": value} (the
 * full name of a named type, else the type: "long", "bytes", "map"...);
 * AV_ISOTIME writes date as "2024-04-21", time-millis and time-micros as
 * "00:17:42.123" (3 or 6 fraction digits), timestamp-* as
 * "2024-04-21T00:17:42.123Z" (3, 6 or 9 digits; local-timestamp-*
 * without the Z). The encoder reads both forms back always. */
#ifndef AVRO_H
#define AVRO_H

#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

#include "jtree.h"
#include "kp.h"

enum { AV_NULL, AV_BOOL, AV_INT, AV_LONG, AV_FLOAT, AV_DOUBLE, AV_BYTES,
    AV_STRING, AV_RECORD, AV_ENUM, AV_ARRAY, AV_MAP, AV_UNION, AV_FIXED };
enum { AL_NONE, AL_DECIMAL, AL_DATE, AL_TIME, AL_TIMESTAMP, AL_UUID };
enum { AV_WRAP = 1, AV_ISOTIME = 2 };	/* av_decode's flags */

#define AV_MAXDEPTH	64	/* nesting a record may have */

struct av_node {
	int		 type, logical;
	int		 scale, prec;	/* decimal; time, timestamp: scale is
					 * the unit's fraction digits, 3 6 9 */
	int		 local;		/* local-timestamp-* */
	size_t		 size;		/* fixed */
	int		 n;		/* fields, symbols, branches */
	int		*kid;		/* field types, branches; items/values: kid[0] */
	char	       **name;		/* field names, symbols (NUL-terminated) */
	struct jtree   **def;		/* fields' defaults (NULL: none) */
	char		*full;		/* a named type's full name */
};

struct av_schema {
	struct av_node	*nd;
	int		 nn, cap;
	int		 root;
	yajl_val	 tree;		/* the parsed schema */
};

/* Compile the schema text js (NUL-terminated JSON). 0, or -1 with the
 * reason in err. */
int	av_compile(struct av_schema *, const char *js, char *err, size_t errn);
/* A schema the main one references (Confluent's "references"): its
 * name, as the registry gives it, and its JSON text. */
struct av_dep {
	const char	*name;
	const char	*js;
};
/* The same, with the named types of dep[0..ndep) known first (each may
 * use those before it), as when they are declared ahead of the main
 * schema. */
int	av_compile_deps(struct av_schema *, const char *js,
	    const struct av_dep *dep, int ndep, char *err, size_t errn);
void	av_free(struct av_schema *);
/* Decode one datum p[0..n) as JSON text appended to out, flags AV_WRAP
 * and AV_ISOTIME or 0. 0, or -1 with the reason in err (truncated,
 * trailing bytes, a bad branch index...). */
int	av_decode(const struct av_schema *, const unsigned char *p, size_t n,
	    int flags, struct buf *out, char *err, size_t errn);
/* Encode the JSON value parsed into t (jtree.h) appended to out. 0, or
 * -1 with the field path and the reason in err ("amount_usd: expected
 * double, got string"). */
int	av_encode(const struct av_schema *, const struct jtree *t,
	    struct buf *out, char *err, size_t errn);
/* The same for node i of t (-1: absent, as a missing field). */
int	av_encode_at(const struct av_schema *, const struct jtree *t, int i,
	    struct buf *out, char *err, size_t errn);
/* The decimal text of the two's-complement big-endian unscaled integer
 * b[0..n) with scale digits after the point, appended to out. -1 when
 * n > 64. */
int	av_dectext(const unsigned char *b, size_t n, int scale, struct buf *out);

#endif
