/* libFuzzer harness: the Avro codec (common/avro.c). An input whose
 * first byte is odd is a schema: it compiles or is refused, never
 * crashes or leaks; first byte 2, any text parsed by jtree.h and encoded
 * or refused. Else the rest is a datum of a fixed schema with every
 * type; property: whatever decodes, its JSON encodes back and decodes
 * again to the same text, plain, with wrapped unions, and with ISO-8601
 * times too; JSON text also goes through jtree.h. */
#include <stdlib.h>
#include <string.h>

#include "avro.h"
#include "jtree.h"
#include "kp.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static const char *schema =
    "{\"type\":\"record\",\"name\":\"S\",\"namespace\":\"f\",\"fields\":["
    "{\"name\":\"l\",\"type\":\"long\"},{\"name\":\"b\",\"type\":\"boolean\"},"
    "{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
    "{\"name\":\"p\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
    "\"precision\":40,\"scale\":3}},"
    "{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"X\",\"size\":2}},"
    "{\"name\":\"u\",\"type\":[\"null\",\"int\",\"string\",\"S\"]},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
    "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"bytes\"}},"
    "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"E\"]}},"
    "{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
    "{\"name\":\"tm\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
    "{\"name\":\"ts\",\"type\":[\"null\",{\"type\":\"long\","
    "\"logicalType\":\"timestamp-nanos\"},\"string\"]},"
    "{\"name\":\"lt\",\"type\":{\"type\":\"long\",\"logicalType\":"
    "\"local-timestamp-millis\"}}]}";

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct av_schema s;
	static int ready;
	struct av_schema t;
	struct buf j1 = { 0 }, j2 = { 0 }, bin = { 0 }, text = { 0 };
	char err[256];
	static struct jtree jt;
	int flags;

	if (!ready) {
		if (av_compile(&s, schema, err, sizeof(err)) < 0)
			abort();
		ready = 1;
	}
	if (size == 0)
		return 0;
	if (data[0] == 2) {	/* any text through jtree.h, then encoded */
		if (jt_parse(&jt, (const char *)data + 1, size - 1) == 0)
			(void)av_encode(&s, &jt, &bin, err, sizeof(err));
		buf_free(&bin);
		return 0;
	}
	if (data[0] & 1) {
		buf_add(&text, data + 1, size - 1);
		if (av_compile(&t, buf_cstr(&text), err, sizeof(err)) == 0)
			av_free(&t);
		buf_free(&text);
		return 0;
	}
	/* bits 2-3 of the first byte: plain, wrapped unions, or wrapped
	 * with ISO-8601 times (plain ISO-8601 text in a union with a
	 * string is ambiguous: the string branch takes it) */
	flags = (data[0] >> 2 & 3) == 0 ? 0 : (data[0] >> 2 & 3) == 1 ?
	    AV_WRAP : AV_WRAP | AV_ISOTIME;
	if (av_decode(&s, data + 1, size - 1, flags, &j1, err,
	    sizeof(err)) == 0) {
		if (jt_parse(&jt, j1.p, j1.len) < 0)
			abort();	/* not JSON */
		/* a decimal stored with more digits than its precision is
		 * shown as it is, and refused by the encoder */
		if (av_encode(&s, &jt, &bin, err, sizeof(err)) < 0) {
			if (strstr(err, "precision") == NULL)
				abort();	/* its own output refused */
		} else {
			if (av_decode(&s, (unsigned char *)bin.p, bin.len,
			    flags, &j2, err, sizeof(err)) < 0)
				abort();
			if (j1.len != j2.len || memcmp(j1.p, j2.p, j1.len) != 0)
				abort();	/* not the same values */
		}
	}
	buf_free(&j1);
	buf_free(&j2);
	buf_free(&bin);
	return 0;
}
