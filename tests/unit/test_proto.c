/* Unit tests for common/proto.c: the .proto parser, the descriptor
 * reader, the wire decoder's JSON mapping, Confluent's message indexes
 * and the messages of what is refused. */
#include "check.h"
#include "kp.h"
#include "proto.h"

static char err[512];

/* decode bytes p[0..n) (message indexes first) with the schema text sc:
 * the JSON text, or "ERR: reason" */
static const char *
de(const char *sc, const char *p, size_t n)
{
	static struct buf out;
	struct pb_schema s;

	out.len = 0;
	if (pb_compile(&s, sc, err, sizeof(err)) < 0) {
		buf_adds(&out, "ERR: schema: ");
		buf_add(&out, err, strlen(err));
		return buf_cstr(&out);
	}
	if (pb_decode_framed(&s, (const unsigned char *)p, n, &out, err,
	    sizeof(err)) < 0) {
		out.len = 0;
		buf_adds(&out, "ERR: ");
		buf_add(&out, err, strlen(err));
	}
	pb_free(&s);
	return buf_cstr(&out);
}

/* geo/money.proto, then geo/place.proto that imports it */
static const struct pb_dep pdeps[] = {
	{ "geo/money.proto", "syntax = \"proto3\"; package geo;\n"
	    "enum Currency { EUR = 0; USD = 1; }" },
	{ "geo/place.proto", "syntax = \"proto3\"; package geo;\n"
	    "import \"geo/money.proto\";\n"
	    "message Place { string city = 1; Currency c = 2; }" },
};

#define DE(sc, lit) de((sc), (lit), sizeof(lit) - 1)

static const char *sale =
    "// the tutorial's record\n"
    "syntax = \"proto3\";\n"
    "package kp.test;\n"
    "import \"google/protobuf/timestamp.proto\";\n"
    "import \"google/protobuf/duration.proto\";\n"
    "import \"google/protobuf/wrappers.proto\";\n"
    "option java_package = \"x.y\";\n"
    "message Sale {\n"
    "  string seller_id = 1;\n"
    "  double amount_usd = 2;\n"
    "  int64 sale_ts = 3;\n"
    "  Status status = 4;\n"
    "  enum Status { NEW = 0; PAID = 1; SHIPPED = 2; }\n"
    "  repeated sint32 deltas = 5 [packed = true];\n"
    "  map<string, int64> attrs = 6;\n"
    "  Line line = 7;\n"
    "  message Line { string sku = 1; uint32 qty = 2; }\n"
    "  oneof choice { string note = 8; int32 code = 9; }\n"
    "  optional bool ok = 10;\n"
    "  bytes blob = 11;\n"
    "  google.protobuf.Timestamp at = 12;\n"
    "  google.protobuf.Duration took = 13;\n"
    "  google.protobuf.Int64Value big = 14;\n"
    "  float ratio = 15;\n"
    "  fixed64 f64 = 16;\n"
    "  sfixed32 s32 = 17 [json_name = \"signed\"];\n"
    "  reserved 20 to 30;\n"
    "}\n"
    "message Other { repeated Sale.Line lines = 1; }\n";

int
main(void)
{
	struct pb_schema s;
	struct buf out = { 0 };

	/* nothing on the wire: the defaults of the fields without presence */
	check_str(DE(sale, "\0"),
	    "{\"sellerId\":\"\",\"amountUsd\":0,\"saleTs\":0,"
	    "\"status\":\"NEW\",\"deltas\":[],\"attrs\":{},\"blob\":\"\","
	    "\"ratio\":0,\"f64\":0,\"signed\":0}");
	/* every type */
	check_str(DE(sale,
	    "\0"
	    "\x0a\x02KC"			/* 1 seller_id */
	    "\x11\x00\x00\x00\x00\x00\x00\x29\x40"	/* 2 12.5 */
	    "\x18\x85\xd6\xa9\xee\xef\x31"	/* 3 1713654885125 */
	    "\x20\x02"				/* 4 SHIPPED */
	    "\x2a\x03\x01\x02\x03"		/* 5 packed -1 1 -2 */
	    "\x28\x04"				/* 5 unpacked 2 */
	    "\x32\x06\x0a\x01k\x10\xff\x01"	/* 6 {k: 255} */
	    "\x3a\x05\x0a\x01Z\x10\x07"	/* 7 {sku: Z, qty: 7} */
	    "\x48\x7f"				/* 9 code 127 */
	    "\x50\x00"				/* 10 ok false (present) */
	    "\x5a\x02\xff\x00"			/* 11 bytes */
	    "\x62\x0b\x08\xe5\x98\x91\xb1\x06\x10\xc0\xb2\xcd\x3b"
	    "\x6a\x04\x08\x01\x10\x01"		/* 13 1.000000001s */
	    "\x72\x0b\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"	/* -1 */
	    "\x7d\x00\x00\x80\x3f"		/* 15 1.0f */
	    "\x81\x01\xff\xff\xff\xff\xff\xff\xff\xff"	/* 16 2^64-1 */
	    "\x8d\x01\xfe\xff\xff\xff"),	/* 17 -2 */
	    "{\"sellerId\":\"KC\",\"amountUsd\":12.5,\"saleTs\":1713654885125,"
	    "\"status\":\"SHIPPED\",\"deltas\":[-1,1,-2,2],\"attrs\":{\"k\":255},"
	    "\"line\":{\"sku\":\"Z\",\"qty\":7},\"code\":127,\"ok\":false,"
	    "\"blob\":\"/wA=\",\"at\":\"2024-04-20T23:14:45.125Z\","
	    "\"took\":\"1.000000001s\",\"big\":-1,\"ratio\":1,"
	    "\"f64\":18446744073709551615,\"signed\":-2}");
	/* the last of a repeated singular field wins; an unknown field and
	 * an unknown enum number */
	check_str(DE(sale, "\0\x0a\x01" "A\x0a\x01" "B\xa0\x06\x01\x20\x09"),
	    "{\"sellerId\":\"B\",\"amountUsd\":0,\"saleTs\":0,\"status\":9,"
	    "\"deltas\":[],\"attrs\":{},\"blob\":\"\",\"ratio\":0,\"f64\":0,"
	    "\"signed\":0}");
	/* message indexes: [1] is Other, [0, 1] Sale.Line ([0, 0] is the
	 * entry of the map before it) */
	check_str(DE(sale, "\x02\x02\x0a\x02\x0a\x00"),
	    "{\"lines\":[{\"sku\":\"\",\"qty\":0}]}");
	check_str(DE(sale, "\x04\x00\x02\x0a\x01Q"), "{\"sku\":\"Q\",\"qty\":0}");
	check_str(DE(sale, "\x04\x00\x00\x0a\x01Q"), "{\"key\":\"Q\",\"value\":0}");
	check_str(DE(sale, "\x02\x04"),
	    "ERR: message index 2: the schema has 2 messages there");
	check_str(DE(sale, "\x04\x02\x00"),
	    "ERR: message index 0: the schema has 0 messages there");
	check_str(DE(sale, ""), "ERR: truncated message indexes");
	/* bad data */
	check_str(DE(sale, "\0\x0a\x05" "AB"),
	    "ERR: truncated Protobuf data (field 1)");
	check_str(DE(sale, "\0\x08\x01"), "ERR: seller_id: wire type 0, expected 2");
	check_str(DE(sale, "\0\x0a\x01\xff"),
	    "ERR: seller_id: a string that is not UTF-8");
	check_str(DE(sale, "\0\x0b"),
	    "ERR: field 1: wire type 3 (groups are not decoded)");
	check_str(DE(sale, "\0\x00"), "ERR: a bad field tag");
	/* Timestamp and Duration: fractions of 3, 6 or 9 digits, negative
	 * durations, out of range */
	check_str(DE("syntax='proto3'; import 'google/protobuf/timestamp.proto';"
	    "import 'google/protobuf/duration.proto';"
	    "message T { google.protobuf.Timestamp t = 1; "
	    "google.protobuf.Duration d = 2; }",
	    "\x00\x0a\x04\x08\x00\x10\x01\x12\x16\x08\xfe\xff\xff\xff\xff\xff"
	    "\xff\xff\xff\x01\x10\xa0\xb9\xa4\xff\xff\xff\xff\xff\xff\x01"),
	    "{\"t\":\"1970-01-01T00:00:00.000000001Z\",\"d\":\"-2.001500s\"}");
	/* a oneof with two members on the wire: the last one set wins */
	check_str(DE(sale, "\0\x42\x01" "a\x48\x05\x42\x01" "b\x0a\x00"),
	    "{\"sellerId\":\"\",\"amountUsd\":0,\"saleTs\":0,"
	    "\"status\":\"NEW\",\"deltas\":[],\"attrs\":{},\"note\":\"b\","
	    "\"blob\":\"\",\"ratio\":0,\"f64\":0,\"signed\":0}");
	check_str(DE(sale, "\0\x42\x01" "a\x48\x05"),
	    "{\"sellerId\":\"\",\"amountUsd\":0,\"saleTs\":0,"
	    "\"status\":\"NEW\",\"deltas\":[],\"attrs\":{},\"code\":5,"
	    "\"blob\":\"\",\"ratio\":0,\"f64\":0,\"signed\":0}");
	/* zigzag: sint64 -2, sint32 -2147483648 */
	check_str(DE("syntax = \"proto3\"; message M { sint64 a = 1; "
	    "sint32 b = 2; }", "\0\x08\x03\x10\xff\xff\xff\xff\x0f"),
	    "{\"a\":-2,\"b\":-2147483648}");
	/* proto2: every singular field has presence */
	check_str(DE("syntax = \"proto2\"; message M { optional int32 a = 1;"
	    " required string b = 2; repeated int32 c = 3; }", "\0\x10\x00"),
	    "ERR: b: wire type 0, expected 2");
	check_str(DE("syntax = \"proto2\"; message M { optional int32 a = 1;"
	    " required string b = 2; repeated int32 c = 3; }",
	    "\0\x12\x00\x18\x05\x18\x06"), "{\"b\":\"\",\"c\":[5,6]}");
	/* a map of messages, a key missing in its entry */
	check_str(DE("syntax = \"proto3\"; message M { map<int64, N> m = 1; }"
	    "message N { int32 x = 1; }",
	    "\0\x0a\x06\x08\x05\x12\x02\x08\x03\x0a\x02\x12\x00"),
	    "{\"m\":{\"5\":{\"x\":3},\"0\":{\"x\":0}}}");
	/* a key that comes twice in a map: the last value wins, in the
	 * place of the last */
	check_str(DE("syntax = \"proto3\"; message M { map<string, int32> m = 1; }",
	    "\0\x0a\x05\x0a\x01k\x10\x01\x0a\x05\x0a\x01j\x10\x02"
	    "\x0a\x05\x0a\x01k\x10\x03"), "{\"m\":{\"j\":2,\"k\":3}}");
	/* refused schemas */
	check_str(DE("syntax = \"proto3\"; import \"other.proto\";"
	    "message M { int32 a = 1; }", "\0"), "ERR: schema: imports "
	    "other.proto: neither a reference of the schema nor "
	    "google/protobuf/timestamp.proto, duration.proto or wrappers.proto");
	/* imports resolved through references: geo.proto's messages and
	 * enums by their names, the message indexes the main file's */
	check(pb_compile_deps(&s, "syntax = \"proto3\"; package kp;\n"
	    "import \"geo/place.proto\";\nmessage Sale { geo.Place at = 1; "
	    "geo.Currency c = 2; }\nmessage Other { int32 x = 1; }", pdeps,
	    2, err, sizeof(err)) == 0);
	out.len = 0;
	check(pb_decode_framed(&s, (const unsigned char *)"\x02\x02\x08\x07",
	    4, &out, err, sizeof(err)) == 0);
	check_str(buf_cstr(&out), "{\"x\":7}");
	out.len = 0;
	check(pb_decode_framed(&s, (const unsigned char *)"\0\x0a\x08\x0a\x04"
	    "Lyon\x10\x01\x10\x01", 13, &out, err, sizeof(err)) == 0);
	check_str(buf_cstr(&out), "{\"at\":{\"city\":\"Lyon\",\"c\":\"USD\"},"
	    "\"c\":\"USD\"}");
	pb_free(&s);
	check(pb_compile_deps(&s, "syntax = \"proto3\"; import \"x.proto\";"
	    "message M { int32 a = 1; }", pdeps, 2, err, sizeof(err)) < 0);
	check_str(err, "imports x.proto: neither a reference of the schema "
	    "nor google/protobuf/timestamp.proto, duration.proto or "
	    "wrappers.proto");
	check(pb_compile_deps(&s, "syntax = \"proto3\"; message M { int32 a "
	    "= 1; }", pdeps + 1, 1, err, sizeof(err)) < 0);
	check_str(err, "reference geo/place.proto: imports geo/money.proto: "
	    "neither a reference of the schema nor "
	    "google/protobuf/timestamp.proto, duration.proto or wrappers.proto");
	check_str(DE("syntax = \"proto3\"; message M { Nope a = 1; }", "\0"),
	    "ERR: schema: M.a: unknown type Nope");
	check_str(DE("syntax = \"proto3\";\nmessage M {\n int32 a = ; }", "\0"),
	    "ERR: schema: line 3: expected a number, not ;");
	check_str(DE("syntax = \"proto3\";", "\0"),
	    "ERR: schema: no message in the schema");
	check_str(DE("message M { optional group G = 1 { } }", "\0"),
	    "ERR: schema: line 1: groups are not decoded");
	/* a serialized FileDescriptorProto in base64, as Confluent's Python
	 * serializer registers it: package kp.test, import timestamp.proto,
	 * message Sale { string seller_id = 1; double amount_usd = 2;
	 * int64 sale_ts = 3; google.protobuf.Timestamp at = 4; } proto3 */
	check_str(DE("CgpzYWxlLnByb3RvEgdrcC50ZXN0Gh9nb29nbGUvcHJvdG9idWYvdGlt"
	    "ZXN0YW1wLnByb3RvImYKBFNhbGUSEQoJc2VsbGVyX2lkGAEgASgJEhIKCmFtb3Vu"
	    "dF91c2QYAiABKAESDwoHc2FsZV90cxgDIAEoAxImCgJhdBgEIAEoCzIaLmdvb2ds"
	    "ZS5wcm90b2J1Zi5UaW1lc3RhbXBiBnByb3RvMw==",
	    "\0\x0a\x02KC\x11\x00\x00\x00\x00\x00\x00\x29\x40\x18\x85\xd6\xa9"
	    "\xee\xef\x31\x22\x0b\x08\xe5\x98\x91\xb1\x06\x10\xc0\xb2\xcd\x3b"),
	    "{\"sellerId\":\"KC\",\"amountUsd\":12.5,"
	    "\"saleTs\":1713654885125,\"at\":\"2024-04-20T23:14:45.125Z\"}");
	check(pb_compile(&s, sale, err, sizeof(err)) == 0);
	check(pb_find(&s, "kp.test.Sale.Line") >= 0);
	check(pb_find(&s, "kp.test.Sale.AttrsEntry") >= 0);
	pb_free(&s);
	buf_free(&out);
	return check_done("test_proto");
}
