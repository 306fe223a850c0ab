/* libFuzzer harness: the Protobuf decoder (common/proto.c). An input
 * whose first byte is 1 is .proto text: it compiles or is refused, never
 * crashes or leaks; first byte 3, the rest is a FileDescriptorProto,
 * given in base64 as a registry gives it. What compiles decodes the
 * same bytes as a framed message. Else the rest is Confluent's
 * message indexes and a message of a fixed schema with every kind of
 * field; property: whatever decodes is valid JSON (jtree.h) and the
 * decoder never reads past the input. */
#include <stdlib.h>
#include <string.h>

#include "jtree.h"
#include "jw.h"
#include "kp.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static const char *schema =
    "syntax = \"proto3\"; package f;\n"
    "import \"google/protobuf/timestamp.proto\";\n"
    "import \"google/protobuf/duration.proto\";\n"
    "import \"google/protobuf/wrappers.proto\";\n"
    "message A { string s = 1; optional int32 z = 2; }\n"
    "message M {\n"
    " enum E { X = 0; Y = 1; }\n"
    " message N { sint64 v = 1; E e = 2; repeated N kids = 3; }\n"
    " int64 a = 1; bool b = 2; float f = 3; double d = 4; uint64 u = 5;\n"
    " sint32 s32 = 6; fixed32 f32 = 7; sfixed64 sf = 8; bytes y = 9;\n"
    " string t = 10; E e = 11; repeated uint32 r = 12;\n"
    " map<string, N> m = 13; map<int64, string> mi = 14;\n"
    " oneof o { A a1 = 15; string s1 = 16; }\n"
    " google.protobuf.Timestamp ts = 17; google.protobuf.Duration du = 18;\n"
    " google.protobuf.FloatValue fv = 19; N n = 20; }\n";

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct pb_schema s;
	static int ready;
	static struct jtree jt;
	struct pb_schema t;
	struct buf out = { 0 }, text = { 0 }, b64 = { 0 };
	char err[256];
	unsigned char *copy;

	if (!ready) {
		if (pb_compile(&s, schema, err, sizeof(err)) < 0)
			abort();
		ready = 1;
	}
	if (size == 0)
		return 0;
	if (data[0] == 1 || data[0] == 3) {
		if (data[0] == 1)
			buf_add(&text, data + 1, size - 1);
		else {	/* jw_b64 writes a quoted string */
			jw_b64(&b64, data + 1, size - 1);
			buf_add(&text, b64.p + 1, b64.len - 2);
			if (text.len == 0)
				buf_adds(&text, "AA==");
		}
		if (pb_compile(&t, buf_cstr(&text), err, sizeof(err)) == 0) {
			/* the same bytes as a message of what compiled */
			if (pb_decode_framed(&t, data + 1, size - 1, &out, err,
			    sizeof(err)) == 0 && jt_parse(&jt, out.p,
			    out.len) < 0)
				abort();
			buf_free(&out);
			pb_free(&t);
		}
		buf_free(&text);
		buf_free(&b64);
		return 0;
	}
	/* a copy of its own size, so that ASan sees a read past it */
	copy = malloc(size - 1 + 1);
	memcpy(copy, data + 1, size - 1);
	if (pb_decode_framed(&s, copy, size - 1, &out, err, sizeof(err)) == 0 &&
	    jt_parse(&jt, out.p, out.len) < 0)
		abort();	/* not JSON */
	free(copy);
	buf_free(&out);
	return 0;
}
