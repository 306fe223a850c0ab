/* Unit tests for common/avro.c: the Avro codec's JSON mapping, its
 * decimals, and its messages. */
#include "avro.h"
#include "check.h"
#include "jtree.h"
#include "kp.h"

static char err[512];

/* encode the JSON text js with schema sc, decode it back: the JSON text,
 * or "ERR: reason" */
static const char *
rt(const char *sc, const char *js)
{
	static struct buf out;
	struct av_schema s;
	struct buf bin = { 0 };
	struct jtree t = { 0 };
	int rc;

	if (av_compile(&s, sc, err, sizeof(err)) < 0) {
		snprintf(err + strlen(err), 1, "%s", "");
		out.len = 0;
		buf_adds(&out, "ERR: schema: ");
		buf_add(&out, err, strlen(err));
		return buf_cstr(&out);
	}
	out.len = 0;
	if (jt_parse(&t, js, strlen(js)) < 0) {
		buf_adds(&out, "ERR: JSON: ");
		buf_add(&out, t.err, strlen(t.err));
		jt_free(&t);
		av_free(&s);
		return buf_cstr(&out);
	}
	rc = av_encode(&s, &t, &bin, err, sizeof(err));
	if (rc == 0)
		rc = av_decode(&s, (unsigned char *)bin.p, bin.len, 0, &out, err,
		    sizeof(err));
	if (rc < 0) {
		out.len = 0;
		buf_adds(&out, "ERR: ");
		buf_add(&out, err, strlen(err));
	}
	jt_free(&t);
	buf_free(&bin);
	av_free(&s);
	return buf_cstr(&out);
}

/* decode the bytes p[0..n) with schema sc */
static const char *
de(const char *sc, const char *p, size_t n)
{
	static struct buf out;
	struct av_schema s;

	out.len = 0;
	if (av_compile(&s, sc, err, sizeof(err)) < 0)
		return "ERR: schema";
	if (av_decode(&s, (const unsigned char *)p, n, 0, &out, err,
	    sizeof(err)) < 0) {
		out.len = 0;
		buf_adds(&out, "ERR: ");
		buf_add(&out, err, strlen(err));
	}
	av_free(&s);
	return buf_cstr(&out);
}

/* geo.Currency, then geo.Place that uses it */
static const struct av_dep deps[] = {
	{ "geo.Currency", "{\"type\":\"enum\",\"name\":\"Currency\","
	    "\"namespace\":\"geo\",\"symbols\":[\"EUR\",\"USD\"]}" },
	{ "geo.Place", "{\"type\":\"record\",\"name\":\"geo.Place\",\"fields\":"
	    "[{\"name\":\"city\",\"type\":\"string\"},"
	    "{\"name\":\"c\",\"type\":\"Currency\"}]}" },
};
static const struct av_dep bad[] = {
	{ "geo.Bad", "{\"type\":\"record\",\"name\":\"geo.Bad\",\"fields\":"
	    "[{\"name\":\"n\",\"type\":\"Nope\"}]}" },
};

/* rt() with the schemas deps[] known first */
static const char *
refrt(const char *sc, const char *js)
{
	static struct buf out;
	struct av_schema s;
	struct buf bin = { 0 };
	struct jtree t = { 0 };

	out.len = 0;
	if (av_compile_deps(&s, sc, deps, 2, err, sizeof(err)) < 0) {
		buf_adds(&out, "ERR: schema: ");
		buf_add(&out, err, strlen(err));
		return buf_cstr(&out);
	}
	if (jt_parse(&t, js, strlen(js)) < 0 ||
	    av_encode(&s, &t, &bin, err, sizeof(err)) < 0 ||
	    av_decode(&s, (unsigned char *)bin.p, bin.len, 0, &out, err,
	    sizeof(err)) < 0) {
		out.len = 0;
		buf_adds(&out, "ERR: ");
		buf_add(&out, err, strlen(err));
	}
	jt_free(&t);
	buf_free(&bin);
	av_free(&s);
	return buf_cstr(&out);
}

/* encode the JSON text js with schema sc, decode it with flags */
static const char *
fl(const char *sc, const char *js, int flags)
{
	static struct buf out;
	struct av_schema s;
	struct buf bin = { 0 };
	struct jtree t = { 0 };

	out.len = 0;
	if (av_compile(&s, sc, err, sizeof(err)) < 0)
		return "ERR: schema";
	if (jt_parse(&t, js, strlen(js)) < 0 ||
	    av_encode(&s, &t, &bin, err, sizeof(err)) < 0 ||
	    av_decode(&s, (unsigned char *)bin.p, bin.len, flags, &out, err,
	    sizeof(err)) < 0) {
		out.len = 0;
		buf_adds(&out, "ERR: ");
		buf_add(&out, err, strlen(err));
	}
	jt_free(&t);
	buf_free(&bin);
	av_free(&s);
	return buf_cstr(&out);
}

#define LT(t, l) "{\"type\":\"" t "\",\"logicalType\":\"" l "\"}"
#define ISO AV_ISOTIME

#define DEC(p, s) "{\"type\":\"bytes\",\"logicalType\":\"decimal\"," \
	"\"precision\":" #p ",\"scale\":" #s "}"

int
main(void)
{
	struct av_schema s;
	const char *rec = "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
	    "{\"name\":\"amount_usd\",\"type\":\"double\"},"
	    "{\"name\":\"lines\",\"type\":{\"type\":\"array\",\"items\":"
	    "{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":"
	    "\"unit\",\"type\":" DEC(9, 2) "}]}}},"
	    "{\"name\":\"note\",\"type\":[\"null\",\"string\"]},"
	    "{\"name\":\"n\",\"type\":\"int\",\"default\":7}]}";

	/* primitives */
	check_str(rt("\"long\"", "-9223372036854775808"), "-9223372036854775808");
	check_str(rt("\"long\"", "9223372036854775807"), "9223372036854775807");
	check_str(rt("\"int\"", "2147483648"), "ERR: 2147483648 is out of range for int");
	check_str(rt("\"int\"", "1.5"), "ERR: expected int, got 1.5");
	check_str(rt("\"double\"", "0.1"), "0.1");
	check_str(rt("\"double\"", "\"NaN\""), "\"NaN\"");
	check_str(rt("\"float\"", "0.1"), "0.1");
	check_str(rt("\"string\"", "\"a\\\"\\u00e9\""), "\"a\\\"\xc3\xa9\"");
	check_str(rt("\"bytes\"", "\"AAEC/w==\""), "\"AAEC/w==\"");
	check_str(rt("\"bytes\"", "\"a b\""), "ERR: expected base64 bytes");
	check_str(rt("\"boolean\"", "1"), "ERR: expected boolean, got number");
	/* decimals: exact, scale digits, precision and scale enforced */
	check_str(rt(DEC(38, 2), "771"), "771.00");
	check_str(rt(DEC(38, 2), "-0.05"), "-0.05");
	check_str(rt(DEC(38, 2), "\"12.3\""), "12.30");
	check_str(rt(DEC(38, 0), "-99999999999999999999999999999999999999"),
	    "-99999999999999999999999999999999999999");
	check_str(rt(DEC(38, 10), "1234567890123456789012345678.0123456789"),
	    "1234567890123456789012345678.0123456789");
	check_str(rt(DEC(38, 2), "1.005"), "ERR: 1.005 has more than 2 decimal places");
	check_str(rt(DEC(38, 2), "1.500"), "1.50");
	check_str(rt(DEC(4, 2), "123.4"), "ERR: 123.4 has more than 4 digits (the decimal's precision)");
	check_str(rt(DEC(38, 2), "1e3"), "ERR: 1e3: exponents are not exact decimals");
	check_str(rt(DEC(9, 2), "0"), "0.00");
	check_str(rt("{\"type\":\"fixed\",\"name\":\"F\",\"size\":3,"
	    "\"logicalType\":\"decimal\",\"precision\":6,\"scale\":1}", "-1.5"), "-1.5");
	/* -128 and 128: the minimal two's complement both ways */
	check_str(de(DEC(9, 0), "\x02\x80", 2), "-128");
	check_str(de(DEC(9, 0), "\x04\x00\x80", 3), "128");
	check_str(rt(DEC(9, 0), "-128"), "-128");
	check_str(rt(DEC(9, 0), "128"), "128");
	/* records: paths in messages, defaults, null for a missing union */
	check_str(rt(rec, "{\"amount_usd\":1,\"lines\":[{\"unit\":19.99}]}"),
	    "{\"amount_usd\":1,\"lines\":[{\"unit\":19.99}],\"note\":null,\"n\":7}");
	check_str(rt(rec, "{\"amount_usd\":\"x\",\"lines\":[]}"),
	    "ERR: amount_usd: expected double, got string");
	check_str(rt(rec, "{\"amount_usd\":1,\"lines\":[{\"unit\":1},{\"unit\":1.005}]}"),
	    "ERR: lines[1].unit: 1.005 has more than 2 decimal places");
	check_str(rt(rec, "{\"lines\":[]}"), "ERR: amount_usd: missing");
	check_str(rt(rec, "{\"amount_usd\":1,\"lines\":[],\"note\":5}"),
	    "ERR: note: expected string, got number");
	/* unions: plain values, Avro's wrapped form, the first that fits */
	check_str(rt("[\"null\",\"long\",\"string\"]", "\"x\""), "\"x\"");
	check_str(rt("[\"null\",\"long\",\"string\"]", "{\"string\":\"x\"}"), "\"x\"");
	check_str(rt("[\"null\",\"long\",\"string\"]", "true"),
	    "ERR: expected one of [null, long, string], got boolean");
	/* enums, maps, named references, recursion */
	check_str(rt("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", "\"B\""), "\"B\"");
	check_str(rt("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", "\"C\""),
	    "ERR: \"C\" is not a symbol of enum E");
	check_str(rt("{\"type\":\"map\",\"values\":\"int\"}", "{\"a\":1,\"b\":2}"), "{\"a\":1,\"b\":2}");
	check_str(rt("{\"type\":\"record\",\"name\":\"a.N\",\"fields\":[{\"name\":\"v\","
	    "\"type\":\"int\"},{\"name\":\"next\",\"type\":[\"null\",\"N\"]}]}",
	    "{\"v\":1,\"next\":{\"v\":2,\"next\":null}}"),
	    "{\"v\":1,\"next\":{\"v\":2,\"next\":null}}");
	check_str(rt("\"Nope\"", "1"), "ERR: schema: unknown type Nope");
	/* the field without a type named by its index, not always 0 */
	check_str(rt("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
	    "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\"}]}", "{}"),
	    "ERR: schema: record R: field 1 without a name or type");
	/* a NUL in a string, \u escapes, surrogate pairs */
	check_str(rt("\"string\"", "\"a\\u0000b\""), "\"a\\u0000b\"");
	check_str(rt("\"string\"", "\"\\ud83d\\ude00\""), "\"\xf0\x9f\x98\x80\"");
	check_str(rt("{\"type\":\"map\",\"values\":\"int\"}", "{\"\\u0000\":1}"), "{\"\\u0000\":1}");
	check_str(rt("\"string\"", "\"\\ud83d\""), "ERR: JSON: invalid JSON at byte 2: a lone high surrogate");
	check_str(rt("\"int\"", "1 2"), "ERR: JSON: invalid JSON at byte 3: text after the value");
	check_str(rt("\"int\"", "01"), "ERR: JSON: invalid JSON at byte 2: text after the value");
	check_str(rt("\"double\"", "-1.5e3"), "-1.5e+03");
	/* references: the named types of other schemas, known first */
	check_str(refrt("{\"type\":\"record\",\"name\":\"Sale\",\"namespace\":\"kp\","
	    "\"fields\":[{\"name\":\"at\",\"type\":\"geo.Place\"},"
	    "{\"name\":\"c\",\"type\":\"geo.Currency\"}]}",
	    "{\"at\":{\"city\":\"Lyon\",\"c\":\"EUR\"},\"c\":\"USD\"}"),
	    "{\"at\":{\"city\":\"Lyon\",\"c\":\"EUR\"},\"c\":\"USD\"}");
	check_str(refrt("{\"type\":\"record\",\"name\":\"Sale\",\"fields\":["
	    "{\"name\":\"at\",\"type\":\"Place\"}]}", "{}"),
	    "ERR: schema: unknown type Place");
	check(av_compile_deps(&s, "\"int\"", bad, 1, err, sizeof(err)) < 0);
	check_str(err, "reference geo.Bad: unknown type Nope");
	/* ISO-8601 on request (AV_ISOTIME), read back always */
	check_str(fl(LT("int", "date"), "19834", ISO), "\"2024-04-21\"");
	check_str(fl(LT("int", "date"), "\"2024-04-21\"", 0), "19834");
	check_str(fl(LT("int", "date"), "-1", ISO), "\"1969-12-31\"");
	check_str(fl(LT("int", "date"), "-719162", ISO), "\"0001-01-01\"");
	check_str(fl(LT("int", "date"), "2932897", ISO), "\"+10000-01-01\"");
	check_str(fl(LT("int", "date"), "\"+10000-01-01\"", 0), "2932897");
	check_str(fl(LT("int", "date"), "\"2023-02-29\"", 0),
	    "ERR: expected date as a number or ISO-8601 text (2024-04-21), "
	    "got \"2023-02-29\"");
	check_str(fl(LT("int", "date"), "\"2024-02-29\"", ISO), "\"2024-02-29\"");
	check_str(fl(LT("int", "time-millis"), "1062123", ISO), "\"00:17:42.123\"");
	check_str(fl(LT("int", "time-millis"), "\"00:17:42.1\"", 0), "1062100");
	check_str(fl(LT("int", "time-millis"), "\"00:17:42.1234\"", 0),
	    "ERR: expected time-millis as a number or ISO-8601 text "
	    "(00:17:42.123), got \"00:17:42.1234\"");
	check_str(fl(LT("int", "time-millis"), "\"00:17:42.1230\"", 0), "1062123");
	check_str(fl(LT("int", "time-millis"), "86400000", ISO),
	    "ERR: a time of day of 86400000, not in 0 to 24 h");
	check_str(fl(LT("long", "time-micros"), "1062123456", ISO),
	    "\"00:17:42.123456\"");
	check_str(fl(LT("long", "timestamp-millis"), "1713658662123", ISO),
	    "\"2024-04-21T00:17:42.123Z\"");
	check_str(fl(LT("long", "timestamp-millis"), "\"2024-04-21T00:17:42.123Z\"",
	    0), "1713658662123");
	check_str(fl(LT("long", "timestamp-millis"),
	    "\"2024-04-21T02:47:42.123+02:30\"", 0), "1713658662123");
	check_str(fl(LT("long", "timestamp-millis"), "\"2024-04-20 23:17:42.123-0100\"",
	    0), "1713658662123");
	check_str(fl(LT("long", "timestamp-millis"), "\"2024-04-21T00:17:42\"", 0),
	    "1713658662000");
	check_str(fl(LT("long", "timestamp-micros"), "-1", ISO),
	    "\"1969-12-31T23:59:59.999999Z\"");
	check_str(fl(LT("long", "timestamp-nanos"), "-9223372036854775808", ISO),
	    "\"1677-09-21T00:12:43.145224192Z\"");
	check_str(fl(LT("long", "timestamp-nanos"), "\"1677-09-21T00:12:43.145224192Z\"",
	    0), "-9223372036854775808");
	check_str(fl(LT("long", "timestamp-nanos"), "\"1677-09-21T00:12:43.145224191Z\"",
	    0), "ERR: expected timestamp-nanos as a number or ISO-8601 text "
	    "(2024-04-21T00:17:42.123Z), got \"1677-09-21T00:12:43.145224191Z\"");
	check_str(fl(LT("long", "local-timestamp-millis"), "1713658662123", ISO),
	    "\"2024-04-21T00:17:42.123\"");
	check_str(fl(LT("long", "local-timestamp-millis"), "\"2024-04-21T00:17:42.123Z\"",
	    0), "ERR: expected local-timestamp-millis as a number or ISO-8601 "
	    "text (2024-04-21T00:17:42.123), got \"2024-04-21T00:17:42.123Z\"");
	check_str(fl(LT("long", "timestamp-millis"), "1713658662123", 0),
	    "1713658662123");
	/* Avro's JSON encoding of unions on request (AV_WRAP), read back
	 * always */
	check_str(fl("[\"null\",\"long\",\"string\"]", "5", AV_WRAP), "{\"long\":5}");
	check_str(fl("[\"null\",\"long\",\"string\"]", "null", AV_WRAP), "null");
	check_str(fl("[\"null\",\"string\",\"long\"]", "{\"long\":5}", AV_WRAP),
	    "{\"long\":5}");
	check_str(fl("[\"null\"," DEC(9, 2) "]", "{\"bytes\":\"1.5\"}", AV_WRAP),
	    "{\"bytes\":1.50}");
	check_str(fl("[\"null\"," LT("long", "timestamp-millis") "]",
	    "{\"long\":\"2024-04-21T00:17:42.123Z\"}", AV_WRAP | ISO),
	    "{\"long\":\"2024-04-21T00:17:42.123Z\"}");
	check_str(fl("{\"type\":\"record\",\"name\":\"a.N\",\"fields\":[{\"name\":\"v\","
	    "\"type\":\"int\"},{\"name\":\"next\",\"type\":[\"null\",\"N\"]}]}",
	    "{\"v\":1,\"next\":{\"a.N\":{\"v\":2,\"next\":null}}}", AV_WRAP),
	    "{\"v\":1,\"next\":{\"a.N\":{\"v\":2,\"next\":null}}}");
	check_str(fl("[\"null\",{\"type\":\"map\",\"values\":\"int\"}]",
	    "{\"map\":{\"a\":1}}", AV_WRAP), "{\"map\":{\"a\":1}}");
	check_str(fl("[\"null\",{\"type\":\"map\",\"values\":\"int\"}]",
	    "{\"a\":1}", AV_WRAP), "{\"map\":{\"a\":1}}");
	/* plain: a string goes to a string branch before it is read as
	 * ISO-8601 text for a date or time */
	check_str(fl("[\"null\"," LT("long", "timestamp-millis") ",\"string\"]",
	    "\"2024-04-21T00:17:42.123Z\"", AV_WRAP),
	    "{\"string\":\"2024-04-21T00:17:42.123Z\"}");
	check_str(fl("[\"null\"," LT("long", "timestamp-millis") "]",
	    "\"2024-04-21T00:17:42.123Z\"", AV_WRAP), "{\"long\":1713658662123}");
	check_str(fl("[\"null\",{\"type\":\"record\",\"name\":\"T\",\"fields\":"
	    "[{\"name\":\"d\",\"type\":" LT("int", "date") "}]}]",
	    "{\"d\":\"2024-04-21\"}", AV_WRAP | ISO), "{\"T\":{\"d\":\"2024-04-21\"}}");
	/* a wrapped branch that does not fit: its own reason, its path */
	check_str(fl("{\"type\":\"record\",\"name\":\"W\",\"fields\":[{\"name\":\"w\","
	    "\"type\":[\"null\",{\"type\":\"record\",\"name\":\"R\",\"fields\":"
	    "[{\"name\":\"a\",\"type\":" DEC(4, 2) "}]}]}]}",
	    "{\"w\":{\"R\":{\"a\":12.345}}}", AV_WRAP),
	    "ERR: w.a: 12.345 has more than 2 decimal places");
	/* bad data */
	check_str(de("\"string\"", "\x06" "ab", 3), "ERR: a length of 3 past the end of the data");
	check_str(de("\"int\"", "\x02\x00", 2), "ERR: 1 bytes left after the Avro datum");
	check_str(de("[\"null\",\"int\"]", "\x04", 1), "ERR: union branch 2 of 2");
	check_str(de("\"long\"", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11),
	    "ERR: a varint longer than 10 bytes");
	check_str(de("{\"type\":\"array\",\"items\":\"long\"}", "\x7e", 1),
	    "ERR: a block count past the end of the data");
	check_str(de("\"string\"", "\x02\xff", 2), "ERR: a string that is not UTF-8");
	return check_done("avro");
}
