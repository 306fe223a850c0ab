/* proto.h - Protobuf decoding to JSON, our own: a schema is read from
 * .proto text (proto2 and proto3: package, nested messages, enums,
 * scalar fields, repeated, map<K,V>, oneof, optional; imports of the
 * well-known google/protobuf/timestamp.proto, duration.proto and
 * wrappers.proto) or from a serialized FileDescriptorProto in base64
 * (what Confluent's Python serializer registers), then each message is
 * decoded straight into JSON text.
 *
 * The JSON mapping (ksource(1) documents it), proto3's JSON mapping with
 * two choices: fields by their lowerCamelCase JSON name, in declaration
 * order; 64-bit integers as JSON numbers (exact), not strings; a field
 * without presence that is absent written with its default (0, false,
 * "", the enum's zero value, [] and {}), a field with presence (a
 * message, a oneof member, proto2 and proto3 optional) left out when
 * absent; enums by name (by number when unknown); bytes base64 (RFC
 * 4648, padded); float and double NaN and infinities as "NaN",
 * "Infinity", "-Infinity"; google.protobuf.Timestamp as RFC 3339 text in
 * UTC, Duration as "1.5s", the wrappers as their value. */
#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "kp.h"

/* field types, numbered as in descriptor.proto */
enum { PT_DOUBLE = 1, PT_FLOAT, PT_INT64, PT_UINT64, PT_INT32, PT_FIXED64,
    PT_FIXED32, PT_BOOL, PT_STRING, PT_GROUP, PT_MESSAGE, PT_BYTES,
    PT_UINT32, PT_ENUM, PT_SFIXED32, PT_SFIXED64, PT_SINT32, PT_SINT64 };
enum { PW_NONE, PW_TIMESTAMP, PW_DURATION, PW_WRAPPER };

#define PB_MAXDEPTH	64	/* nesting a message may have */

struct pb_field {
	char	*name, *json;
	char	*tname;		/* a message or enum type's name, as given */
	int	 num, type, rep, presence;
	int	 ref;		/* message or enum index */
	int	 oneof;		/* its oneof's number from 1, or 0 */
};

struct pb_msg {
	char		*full;		/* full name, no leading '.' */
	struct pb_field	*f;
	int		 nf;
	int		 map;		/* a map<K,V> entry */
	int		 wk;		/* PW_* */
	int		 parent;	/* -1: top level */
	int		*kid;		/* nested messages, in order */
	int		 nkid;
};

struct pb_enum {
	char	*full;
	char   **name;
	int	*num;
	int	 n;
};

struct pb_schema {
	struct pb_msg	*m;
	int		 nm;
	struct pb_enum	*e;
	int		 ne;
	int		*top;		/* top-level messages, in order */
	int		 ntop;
};

/* Compile a schema: .proto text, or a base64 FileDescriptorProto. 0, or
 * -1 with the reason in err. */
int	pb_compile(struct pb_schema *, const char *text, char *err,
	    size_t errn);
/* A file the main one imports (Confluent's "references"): its import
 * path and its text, .proto or base64. */
struct pb_dep {
	const char	*name;
	const char	*text;
};
/* The same, with the messages and enums of dep[0..ndep) known first
 * (each may import those before it), found by the main file's import
 * statements. The built-in well-known files are skipped. */
int	pb_compile_deps(struct pb_schema *, const char *text,
	    const struct pb_dep *dep, int ndep, char *err, size_t errn);
/* 1 when path is a well-known file this decoder knows itself. */
int	pb_builtin(const char *path);
void	pb_free(struct pb_schema *);
/* Decode Confluent's message indexes and the message after them,
 * p[0..n) (what follows the 5-byte header), as JSON text appended to
 * out. 0, or -1 with the reason in err. */
int	pb_decode_framed(const struct pb_schema *, const unsigned char *p,
	    size_t n, struct buf *out, char *err, size_t errn);
/* Decode message mi from p[0..n) as JSON text appended to out. */
int	pb_decode(const struct pb_schema *, int mi, const unsigned char *p,
	    size_t n, struct buf *out, char *err, size_t errn);
/* The message index of full name (no leading '.'), or -1. */
int	pb_find(const struct pb_schema *, const char *full);

#endif
