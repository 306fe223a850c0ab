/* Unit tests for common/jscan.c: js_quick() vouches for the usual
 * records, and never for a text that jr_parse() (any_root) rejects. The
 * second half checks that against yajl on a few hundred thousand
 * mutations of valid and invalid texts. */
#include "check.h"
#include "jrec.h"
#include "jscan.h"

static struct jrec jr, jp;	/* jp: with paths, "a" read whole */

static int
quick(const char *s)
{
	return js_quick(s, strlen(s));
}

static int
full(const char *s, size_t n)
{
	return jr_parse(&jr, s, n) == 0;
}

/* js_quick() says yes only where jr_parse() does. */
static int
sound(const char *s, size_t n)
{
	return !js_quick(s, n) || full(s, n);
}

/* When jr_scan() takes s with jp's paths, yajl (s then a CR, which the
 * scanner leaves to it) captures the same: types, strings decoded alike,
 * spans of what is read whole. */
static int
agrees(const char *s, size_t n)
{
	struct jr_val v0[3];
	struct jr_elem e0[8];
	char t[300], kept[3][256], ekept[8][256];
	size_t ne;
	int i;

	for (i = 0; i < 3; i++)
		jp.val[i].type = JR_NONE;	/* (jr_scan() expects it) */
	jp.nelem = 0;
	if (!jr_scan(&jp, s, n))
		return 1;
	memcpy(v0, jp.val, sizeof(v0));
	ne = jp.nelem;
	for (i = 0; (size_t)i < ne && i < 8; i++) {
		e0[i] = jp.elem[i];
		if (e0[i].s != NULL) {
			memcpy(ekept[i], e0[i].s, e0[i].len);
			e0[i].s = ekept[i];
		}
	}
	for (i = 0; i < 3; i++)
		if (v0[i].type == JR_STR) {	/* (scratch is reused) */
			memcpy(kept[i], v0[i].s, v0[i].len);
			v0[i].s = kept[i];
		}
	memcpy(t, s, n);
	t[n] = '\r';
	if (jr_parse(&jp, t, n + 1) != 0)
		return 0;
	for (i = 0; i < 3; i++) {
		if (v0[i].type != jp.val[i].type)
			return 0;
		if ((v0[i].type == JR_STR || v0[i].type == JR_NUM) &&
		    (v0[i].len != jp.val[i].len ||
		    memcmp(v0[i].s, jp.val[i].s, v0[i].len) != 0))
			return 0;
		if (i == 0 && (v0[i].type == JR_OBJ || v0[i].type == JR_ARR) &&
		    (v0[i].off != jp.val[i].off || v0[i].end != jp.val[i].end))
			return 0;
	}
	if (ne != jp.nelem)
		return 0;
	for (i = 0; (size_t)i < ne && i < 8; i++)
		if (e0[i].type != jp.elem[i].type ||
		    (e0[i].type == JR_STR && (e0[i].len != jp.elem[i].len ||
		    memcmp(e0[i].s, jp.elem[i].s, e0[i].len) != 0)))
			return 0;
	return 1;
}

static uint64_t rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const seeds[] = {
	"{\"seller_id\":\"LNK\",\"amount_usd\":361,\"sale_ts\":1713654885125}",
	"{\"a\":[1,-2.5e+3,0.0,true,false,null,{},[]],\"b\":{\"c\":\"x\\u00e9\\n\"}}",
	"[\"K\xc3\xa9\",\"\xe2\x82\xac\",\"\xf0\x9f\x98\x80\",\"\\ud83d\\ude00\"]",
	" { \"a\" : 1 , \"b\" : [ 2 , 3 ] }\t",
	"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
	"-0.5E-7",
	"{\"a\":\"\\udc00\"}",
	"[1,2,]",
	"{\"a\":1}{\"b\":2}",
	"{\"k\":\"x\\\"y\\u00e9\\u20ac\\n\",\"a\":{ \"b\" : \"\\t\" ,\"c\":[1]},\"z\":[]}",
	"{\"a\":{},\"k\":\"\\u0041\\/\"}",
	"{\"a\":[\"h\\u00e9\", null ,\"v\\n\",\"\"],\"k\":\"x\"}",
};

/* bytes that matter to a JSON lexer, and a few that do not */
static const char alphabet[] = "{}[]\":,\\/ \t\r\n\f\v01-+.eEtrufalsn"
    "\x01\x7f\x80\xbf\xc0\xc3\xa9\xed\xa0\xf0\xf4\x90\x9f\xffxzu";

static void
mutate(char *s, size_t *n, size_t cap)
{
	size_t at = *n ? rnd((unsigned)*n) : 0;
	char c = alphabet[rnd(sizeof(alphabet) - 1)];

	switch (rnd(3)) {
	case 0:		/* replace */
		if (*n > 0)
			s[at] = c;
		break;
	case 1:		/* insert */
		if (*n + 1 < cap) {
			memmove(s + at + 1, s + at, *n - at);
			s[at] = c;
			(*n)++;
		}
		break;
	default:	/* delete */
		if (*n > 0) {
			memmove(s + at, s + at + 1, *n - at - 1);
			(*n)--;
		}
	}
}

int
main(void)
{
	char s[256];
	size_t n, i;
	int round, k, yes = 0, unsound = 0;
	char deep[2 * JS_MAXDEPTH + 8];

	jr_init(&jr);
	jr.any_root = 1;
	jr_init(&jp);
	jr_addpath(&jp, "a");
	jr_addpath(&jp, "a.b");
	jr_addpath(&jp, "k");
	jp.whole = 1;

	/* the usual records, and every kind of value at the root */
	check(quick("{\"seller_id\":\"LNK\",\"amount_usd\":361,"
	    "\"sale_ts\":1713654885125}"));
	check(quick("{\"a\":[1,-2.5e+3,0.0,1E9,true,false,null,{},[]],"
	    "\"b\":{\"c\":\"x\\u00e9\\n\\\"\\\\\\/\\b\\f\\r\\t\"}}"));
	check(quick("[]") && quick("{}") && quick("0") && quick("-1.5") &&
	    quick("\"s\"") && quick("true") && quick("false") &&
	    quick("null"));
	check(quick("  { \"a\" : 1 , \"b\" : [ 2 , 3 ] }\t"));
	check(quick("[\"K\xc3\xa9\",\"\xe2\x82\xac\",\"\xf0\x9f\x98\x80\"]"));

	/* invalid: never vouched for */
	check(!quick("") && !quick(" ") && !quick("{") && !quick("}"));
	check(!quick("{\"a\":1") && !quick("{\"a\" 1}") && !quick("{1:2}"));
	check(!quick("[1,]") && !quick("[,1]") && !quick("{\"a\":1,}"));
	check(!quick("[1 2]") && !quick("1 2") && !quick("{}{}"));
	check(!quick("[1}") && !quick("{\"a\":1]") && !quick("]"));
	check(!quick("01") && !quick("-") && !quick("1.") && !quick(".5") &&
	    !quick("1e") && !quick("1e+") && !quick("+1") && !quick("0x1"));
	check(!quick("tru") && !quick("nul") && !quick("falsy") &&
	    !quick("True"));
	check(!quick("\"abc") && !quick("\"a\\x\"") && !quick("\"\\u12\"") &&
	    !quick("\"\\u12g4\""));
	check(!quick("\"a\tb\"") && !quick("\"\x01\""));
	check(!quick("\"\xc3\"") && !quick("\"\xc0\x80\"") &&
	    !quick("\"\xed\xa0\x80\"") && !quick("\"\xf4\x90\x80\x80\"") &&
	    !quick("\xc3\xa9"));
	check(!quick("{\"\xff\":1}"));
	check(js_quick("\"a\0\"", 4) == 0);
	check(js_quick("1\0", 2) == 0);

	/* left to jr_parse(): line breaks (the value is re-serialised),
	 * surrogate escapes, other whitespace */
	check(!quick("{\"a\":1}\n") && !quick("{\r\"a\":1}"));
	check(!quick("\"\\ud83d\\ude00\"") && !quick("\"\\udc00\""));
	check(!quick("\f1") && !quick("1\v"));

	/* a byte that matters at every place of a long string or number
	 * (the scan goes eight bytes at a time) */
	for (k = 0; k < 24; k++) {
		static const char bad[] = "\x01\x1f\n\"\\\x80\xff";
		for (i = 0; i < sizeof(bad) - 1; i++) {
			memset(s, 'a', 26);
			s[0] = s[25] = '"';
			s[1 + k] = bad[i];
			check(!js_quick(s, 26));
		}
		memcpy(s + 1 + k, "\xc3\xa9", 2);
		check(js_quick(s, 26) == (k < 23));
		memset(s, '7', 26);
		check(js_quick(s, 26));
		for (i = 0; i < 5; i++) {
			s[1 + k] = "a/:-\x80"[i];
			check(!js_quick(s, 26));
		}
		s[1 + k] = '.';
		check(js_quick(s, 26) == (k < 24));
		s[1 + k] = 'e';
		check(js_quick(s, 26) == (k < 24));
	}

	/* one-level objects with no white space, js_quick()'s own loop:
	 * every kind of value; no prefix, and no byte more */
	{
		static const char rec[] = "{\"k\":\"v\",\"n\":-1.5e3,"
		    "\"t\":true,\"f\":false,\"z\":null,\"e\":\"\",\"0\":0}";

		n = strlen(rec);
		check(js_quick(rec, n));
		for (i = 0; i < n; i++)
			if (js_quick(rec, i) && unsound++ < 10)
				fprintf(stderr, "vouched for a prefix of %zu "
				    "bytes\n", i);
		memcpy(s, rec, n);
		for (i = 0; i < 6; i++) {
			s[n] = ",}]:\"1"[i];
			check(!js_quick(s, n + 1));
		}
	}
	check(!quick("{\"a\":1}}") && !quick("{\"a\":1,\"b\"}") &&
	    !quick("{\"a\":}") && !quick("{\"a\"}") && !quick("{,}") &&
	    !quick("{\"a\":truex}") && !quick("{\"a\":\"b\"c}") &&
	    !quick("{\"a\":1,,\"b\":2}") && !quick("{\"a\":nulls}") &&
	    !quick("{\"a\"::1}") && !quick("{\"a\":1:2}"));
	/* what the loop leaves to the walk */
	check(quick("{\"a\":{}}") && quick("{\"a\":[1]}") &&
	    quick("{\"a\":\"\\n\"}") && quick("{\"a\":\"\xc3\xa9\"}") &&
	    quick("{\"a\":1 }") && quick(" {\"a\":1}") && quick("{\"a\" :1}"));
	check(unsound == 0);

	/* nesting up to the limit, then undecided */
	for (k = 0; k < JS_MAXDEPTH; k++)
		deep[k] = '[';
	for (k = 0; k < JS_MAXDEPTH; k++)
		deep[JS_MAXDEPTH + k] = ']';
	check(js_quick(deep, 2 * JS_MAXDEPTH));
	memmove(deep + 1, deep, 2 * JS_MAXDEPTH);
	deep[0] = '[';
	deep[2 * JS_MAXDEPTH + 1] = ']';
	check(!js_quick(deep, 2 * JS_MAXDEPTH + 2));
	check(full(deep, 2 * JS_MAXDEPTH + 2));

	/* every seed as is, and after a few random edits: whenever
	 * js_quick() vouches, jr_parse() agrees */
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		check(sound(seeds[i], strlen(seeds[i])));
		for (round = 0; round < 40000; round++) {
			n = strlen(seeds[i]);
			memcpy(s, seeds[i], n);
			for (k = 1 + (int)rnd(4); k > 0; k--)
				mutate(s, &n, sizeof(s));
			if (js_quick(s, n))
				yes++;
			if (!sound(s, n) && unsound++ < 10)
				fprintf(stderr, "js_quick accepts what jr_parse "
				    "rejects: '%.*s'\n", (int)n, s);
			if (!agrees(s, n) && unsound++ < 10)
				fprintf(stderr, "jr_scan captures other than "
				    "yajl: '%.*s'\n", (int)n, s);
		}
	}
	check(unsound == 0);
	check(yes > 10000);	/* the mutations did reach valid texts */

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		check(agrees(seeds[i], strlen(seeds[i])));
	for (i = 9; i <= 11; i++) {	/* the scanner took them */
		for (k = 0; k < 3; k++)
			jp.val[k].type = JR_NONE;
		jp.nelem = 0;
		check(jr_scan(&jp, seeds[i], strlen(seeds[i])));
	}
	jr_free(&jr);
	jr_free(&jp);
	return check_done("test_jscan");
}
