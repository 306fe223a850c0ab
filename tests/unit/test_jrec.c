/* Unit tests for common/jrec.c and common/jw.c. */
#include "check.h"
#include "jrec.h"
#include "jscan.h"
#include "jw.h"

static int
parse(struct jrec *jr, const char *s)
{
	return jr_parse(jr, s, strlen(s));
}

static const char *
val(struct jrec *jr, int i)
{
	static char s[256];

	snprintf(s, sizeof(s), "%.*s", (int)jr->val[i].len,
	    jr->val[i].s ? jr->val[i].s : "");
	return s;
}

int
main(void)
{
	struct jrec jr;
	struct buf copy = { 0 }, b = { 0 };
	char got[256];
	size_t el;
	int seller, amt, nested, deep, whole, hdr, r;

	/* an empty string before anything else: a value, not NULL + 0
	 * (fuzz finding) */
	jr_init(&jr);
	seller = jr_addpath(&jr, "seller_id");
	check(parse(&jr, "{\"seller_id\":\"\"}") == 0);
	check(jr.val[seller].type == JR_STR && jr.val[seller].s != NULL &&
	    jr.val[seller].len == 0);
	jr_free(&jr);

	jr_init(&jr);
	seller = jr_addpath(&jr, "seller_id");
	amt = jr_addpath(&jr, "amount_usd");
	nested = jr_addpath(&jr, "payload.seller_id");
	deep = jr_addpath(&jr, "a.b.c");
	check_str(jr_lastname(&jr, nested), "seller_id");

	check(parse(&jr, "{\"seller_id\":\"LNK\",\"amount_usd\":361,"
	    "\"sale_ts\":1713654885125}") == 0);
	check(jr.val[seller].type == JR_STR);
	check_str(val(&jr, seller), "LNK");
	check(jr.val[amt].type == JR_NUM);
	check_str(val(&jr, amt), "361");
	check(jr.val[nested].type == JR_NONE);

	/* nested paths, arrays do not match, escapes are decoded */
	check(parse(&jr, "{\"payload\":{\"x\":[{\"seller_id\":1}],"
	    "\"seller_id\":\"K\\u00e9\\n\"},\"a\":{\"b\":{\"c\":1.50}}}") == 0);
	check_str(val(&jr, nested), "K\xc3\xa9\n");
	check_str(val(&jr, deep), "1.50");
	check(jr.val[seller].type == JR_NONE);

	/* a field read twice is an error (readers disagree on which copy
	 * counts); fields nobody reads may repeat */
	check(parse(&jr, "{\"amount_usd\":1,\"amount_usd\":2}") < 0);
	check_str(jr.err, "field amount_usd: given twice");
	check(parse(&jr, "{\"a\":{\"b\":{\"c\":1}},\"a\":{\"b\":{\"c\":2}}}") < 0);
	check_str(jr.err, "field a.b.c: given twice");
	check(parse(&jr, "{\"payload\":1,\"payload\":{\"seller_id\":2}}") == 0);
	check(parse(&jr, "{\"x\":1,\"x\":2,\"amount_usd\":3}") == 0);
	check_str(val(&jr, amt), "3");
	check(parse(&jr, "{ \"amount_usd\" : 1 , \"amount_usd\" : \"\\u0041\" }") < 0);
	check_str(jr.err, "field amount_usd: given twice");

	/* error positions are the offending byte's, from 1 */
	check(parse(&jr, ",1,") < 0);
	check(strstr(jr.err, "near byte 1:") != NULL);
	check(parse(&jr, "{\"a\":1,}") < 0);
	check(strstr(jr.err, "near byte 8:") != NULL);
	check(parse(&jr, "{\"a\":tru}") < 0);
	check(strstr(jr.err, "near byte 9:") != NULL);
	check(parse(&jr, "{\"a\" 12}") < 0);
	check(strstr(jr.err, "near byte 6:") != NULL);
	check(parse(&jr, "{\"a\":1 \"x\\\"yz\"}") < 0);
	check(strstr(jr.err, "near byte 8:") != NULL);
	check(parse(&jr, "{\"a\":1,\"b\\\"c\" 2}") < 0);
	check(strstr(jr.err, "near byte 15:") != NULL);
	check(parse(&jr, "{\"a\":[1 2]}") < 0);
	check(strstr(jr.err, "near byte 9:") != NULL);
	check(parse(&jr, "{\"a\":\"ab\xe0\x80\"}") < 0);
	check(strstr(jr.err, "near byte 9:") != NULL);
	check(parse(&jr, "x") < 0);
	check(strstr(jr.err, "near byte 1:") != NULL);

	/* RFC 8259 white space only: space, tab, CR, LF (yajl also skips
	 * \v and \f) */
	check(parse(&jr, "{\"a\":\v1}") < 0);
	check_str(jr.err, "invalid JSON near byte 6: \\v is not JSON white "
	    "space (only space, tab, CR and LF are)");
	check(parse(&jr, "{\"a\":1}\f") < 0);
	check(strstr(jr.err, "near byte 8: \\f") != NULL);
	check(parse(&jr, "{\f\"a\":1}") < 0);
	check(parse(&jr, "{\"a\":[\f]}") < 0);
	check(parse(&jr, "{\"a\":\"\v\"}") < 0);
	check(strstr(jr.err, "inside string") != NULL);
	check(parse(&jr, "{\"a\":1,}\v") < 0);
	check(strstr(jr.err, "near byte 8: parse error") != NULL);
	check(parse(&jr, " {\"a\" :\t1 }\r") == 0);

	/* errors */
	check(parse(&jr, "[1,2]") < 0);
	check(strstr(jr.err, "expected a JSON object, got an array") != NULL);
	check(parse(&jr, "42") < 0);
	check(strstr(jr.err, "got a number") != NULL);
	check(parse(&jr, "{\"a\":1") < 0);
	check(strstr(jr.err, "truncated") != NULL);
	check(parse(&jr, "{} {}") < 0);
	check(strstr(jr.err, "trailing") != NULL);
	check(parse(&jr, "{} 1") < 0);
	/* a token cut at the end of the line, after the object: rejected,
	 * and not carried into the next line (a string, then a literal) */
	check(parse(&jr, "{}\"") < 0);
	check_str(jr.err, "trailing data after the JSON value");
	jr.copy = &copy;	/* the copy goes through yajl */
	check(parse(&jr, "{\"amount_usd\":7}") == 0);
	check_str(val(&jr, amt), "7");
	check(parse(&jr, "{\"amount_usd\":7}\"}") < 0);
	check(parse(&jr, "{\"amount_usd\":8} tru") < 0);
	check(parse(&jr, "{\"amount_usd\":9}") == 0);
	check_str(val(&jr, amt), "9");
	jr.copy = NULL;
	check(parse(&jr, "{\"s\":\"abc") < 0);
	check_str(jr.err, "invalid JSON: truncated (the line ends inside a "
	    "value)");
	/* what the fast scanner leaves to yajl: leading zeros, an escape,
	 * whitespace yajl takes, deep nesting */
	check(parse(&jr, "{\"amount_usd\":01}") < 0);
	check(parse(&jr, "{\"seller_id\":\"\\u0041\"}") == 0);
	check_str(val(&jr, seller), "A");
	b.len = 0;
	buf_adds(&b, "{\"a\":");
	for (int k = 0; k < 70; k++)
		buf_addc(&b, '[');
	for (int k = 0; k < 70; k++)
		buf_addc(&b, ']');
	buf_adds(&b, ",\"amount_usd\":3}");
	check(jr_parse(&jr, b.p, b.len) == 0);
	b.len = 0;
	check_str(val(&jr, amt), "3");
	check(parse(&jr, " {\"amount_usd\" : -0.5e+3 } ") == 0);
	check_str(val(&jr, amt), "-0.5e+3");
	check(parse(&jr, "{\"a\":\"\xff\"}") < 0);
	check(parse(&jr, "not json") < 0);
	check(parse(&jr, "{\"a\":1}x") < 0);
	/* a token the line ends inside, after the value: an error, and the
	 * next line starts afresh (fuzz finding: yajl kept the open string,
	 * the line was taken and the next one read as its continuation) */
	check(parse(&jr, "{\"a\":1}\"x") < 0);
	check(strstr(jr.err, "trailing") != NULL);
	check(parse(&jr, "{\"a\":1} \"x}") < 0);
	check(parse(&jr, "{\"amount_usd\":7}") == 0);
	check_str(val(&jr, amt), "7");
	check(parse(&jr, "{\"amount_usd\":8} \t\r") == 0);
	check_str(val(&jr, amt), "8");
	check(parse(&jr, "\"x") < 0);		/* no value before the end */
	check(strstr(jr.err, "truncated") != NULL);
	check(parse(&jr, "{\"amount_usd\":9}") == 0);
	check_str(val(&jr, amt), "9");
	check(parse(&jr, " ") < 0);
	check(strstr(jr.err, "truncated") != NULL);
	/* UTF-8 that yajl lets through: overlong, a surrogate, above
	 * U+10FFFF (here in a key), a lone low surrogate escape */
	check(parse(&jr, "{\"a\":\"\xc0\xaf\"}") < 0);
	check(strstr(jr.err, "invalid bytes in UTF8 string") != NULL);
	check(parse(&jr, "{\"a\":\"\xed\xa0\x80\"}") < 0);
	check(parse(&jr, "{\"\xf4\x90\x80\x80\":1}") < 0);
	check(parse(&jr, "{\"a\":\"\\udc00\"}") < 0);
	check(parse(&jr, "{\"seller_id\":\"\\ud800\"}") < 0);
	check_str(jr.err, "invalid JSON near byte 15: \\ud800 is half a "
	    "surrogate pair, not a character");
	check(parse(&jr, "{\"seller_id\":\"\\\\ud800\"}") == 0);
	check_str(val(&jr, seller), "\\ud800");
	check(parse(&jr, "{\"seller_id\":\"\\ud83d\\uDE00\"}") == 0);
	check_str(val(&jr, seller), "\xf0\x9f\x98\x80");
	check(parse(&jr, "{\"a\":\"K\xc3\xa9 \xf0\x9f\x98\x80\"}") == 0);
	/* a good record after errors still parses */
	check(parse(&jr, "{\"seller_id\":\"OMA\"}") == 0);
	check_str(val(&jr, seller), "OMA");

	/* copy: compact re-serialisation with value spans */
	jr.copy = &copy;
	check(parse(&jr, "{ \"seller_id\" : \"A\\\"B\" , \"amount_usd\": 1e2,"
	    " \"z\": [1, {\"q\": null}, true] }") == 0);
	check_str(buf_cstr(&copy),
	    "{\"seller_id\":\"A\\\"B\",\"amount_usd\":1e2,\"z\":[1,{\"q\":null},true]}");
	check(copy.p[jr.val[amt].off] == '1' &&
	    jr.val[amt].end - jr.val[amt].off == 3);

	/* reuse: a compact line is its own copy, spans in it */
	jr.reuse = 1;
	{
		static const char *same[] = {
			"{\"seller_id\":\"A B\",\"amount_usd\":-1.5e3,"
			    "\"payload\":{\"seller_id\":[1,{}]},\"a\":{\"b\":"
			    "{\"c\":null}}}",
			"{\"a\":{\"b\":{\"c\":true}},\"seller_id\":\"K\xc3\xa9\","
			    "\"payload\":{\"seller_id\":{\"x\":\" \"}},\"amount_usd\":0}",
			"{\"amount_usd\":7}",
		};
		static const char *copied[] = {
			"{\"amount_usd\":7} ",
			" {\"amount_usd\":7}",
			"{\"amount_usd\" :7}",
			"{\"seller_id\":\"a\\/\",\"amount_usd\":7}",
			"{\"seller_id\":\"\",\t\"amount_usd\":7}",
		};
		struct jr_val v0[JR_MAXPATHS];
		const char *t;
		size_t k;
		int i;

		for (k = 0; k < sizeof(same) / sizeof(same[0]); k++) {
			jr.reuse = 0;
			check(parse(&jr, same[k]) == 0);
			check(jr.text == copy.p && jr.tlen == strlen(same[k]) &&
			    memcmp(copy.p, same[k], jr.tlen) == 0);
			memcpy(v0, jr.val, sizeof(v0));
			jr.reuse = 1;
			check(parse(&jr, same[k]) == 0);
			check(jr.text == same[k] && jr.tlen == strlen(same[k]));
			for (i = 0; i < jr.npaths; i++) {
				check(jr.val[i].type == v0[i].type);
				if (jr.val[i].type == JR_NONE)
					continue;
				check(jr.val[i].off == v0[i].off &&
				    jr.val[i].end == v0[i].end);
				check(jr.val[i].len == v0[i].len);
			}
		}
		check(parse(&jr, same[0]) == 0);
		check_str(val(&jr, seller), "A B");
		t = jr.text + jr.val[nested].off;
		check(strncmp(t, "[1,{}]}", 7) == 0 &&
		    jr.val[nested].end - jr.val[nested].off == 6);
		check(strncmp(jr.text + jr.val[amt].off, "-1.5e3,", 7) == 0 &&
		    jr.val[amt].end - jr.val[amt].off == 6);
		check(jr.text[jr.val[seller].off] == '"' &&
		    jr.val[seller].end - jr.val[seller].off == 5);
		for (k = 0; k < sizeof(copied) / sizeof(copied[0]); k++) {
			check(parse(&jr, copied[k]) == 0);
			check(jr.text == copy.p &&
			    strncmp(jr.text + jr.val[amt].off, "7}", 2) == 0);
		}
		/* what the line's end leaves to yajl_complete_parse() */
		check(parse(&jr, "{\"amount_usd\":1} 12") < 0);
		check(strstr(jr.err, "trailing") != NULL);
		check(parse(&jr, "{\"amount_usd\":1}{") < 0);
		check(parse(&jr, "{\"amount_usd\":1}tru") < 0);
		check(parse(&jr, "{\"amount_usd\":1") < 0);
		check(strstr(jr.err, "truncated") != NULL);
		check(parse(&jr, "{\"amount_usd\":\"\xc0\xaf\"}") < 0);
		check(strstr(jr.err, "invalid bytes in UTF8 string") != NULL);
		/* a byte that matters at every place of lines of every length
		 * (the scan goes sixteen or eight bytes at a time) */
		for (k = 0; k < 50; k++) {
			char l[80];
			size_t j, n = 8 + k;	/* {"k":"" } is 9 */

			memset(l, 'x', sizeof(l));
			memcpy(l, "{\"k\":\"", 6);
			memcpy(l + n - 2, "\"}", 2);
			for (j = 6; j < n - 2; j++) {
				char c = l[j];

				l[j] = '\xc0';	/* invalid UTF-8 */
				check(jr_parse(&jr, l, n) < 0);
				l[j] = ' ';	/* inside a string */
				check(jr_parse(&jr, l, n) == 0 && jr.text == l);
				l[j] = c;
				if (j + 1 < n - 2) {
					memcpy(l + j, "\\n", 2);
					check(jr_parse(&jr, l, n) == 0 &&
					    jr.text == copy.p);
					memcpy(l + j, "\xc3\xa9", 2);
					check(jr_parse(&jr, l, n) == 0 &&
					    jr.text == l);
					memset(l + j, 'x', 2);
				}
			}
			check(jr_parse(&jr, l, n) == 0 && jr.text == l);
			memcpy(l + n - 2, "\" }", 3);	/* outside */
			check(jr_parse(&jr, l, n + 1) == 0 && jr.text == copy.p);
			memcpy(l + n - 2, "\"}\t", 3);
			check(jr_parse(&jr, l, n + 1) == 0 && jr.text == copy.p);
		}
		check(parse(&jr, "{\"amount_usd\":2}") == 0);
		check(parse(&jr, "{\"amount_usd\":3}") == 0);
		check_str(val(&jr, amt), "3");
		check(jr.text[jr.val[amt].off] == '3');
	}
	jr.reuse = 0;
	jr.copy = NULL;

	/* any_root */
	jr.any_root = 1;
	check(parse(&jr, "[1,2]") == 0);
	check(parse(&jr, "\"s\"") == 0);
	check(parse(&jr, "7") == 0);
	jr.any_root = 0;
	jr_free(&jr);

	/* paths read whole: an object's or array's span in the line as
	 * written, an array's elements (not those of arrays inside it);
	 * jr_scan() leaves such values to yajl */
	jr_init(&jr);
	whole = jr_addpath(&jr, "p");
	hdr = jr_addpath(&jr, "h");
	seller = jr_addpath(&jr, "p.s");
	jr.whole = 1u << whole | 1u << hdr;
	for (r = 0; r < 2; r++) {
		const char *line = r == 0 ?
		    "{\"h\":[\"a\",null,\"b\\u00e9\",[1,[2]],{\"x\":3},4],"
		    "\"p\":{ \"s\" : \"K\" , \"t\":[5] } ,\"q\":[6]}" :
		    "{\"p\":{\"s\":\"K\"},\"h\":[\"a\",\"b\"]}";

		check(parse(&jr, line) == 0);
		check(jr.val[whole].type == JR_OBJ);
		snprintf(got, sizeof(got), "%.*s",
		    (int)(jr.val[whole].end - jr.val[whole].off),
		    line + jr.val[whole].off);
		check_str(got, r == 0 ? "{ \"s\" : \"K\" , \"t\":[5] }" :
		    "{\"s\":\"K\"}");
		check_str(val(&jr, seller), "K");
		got[0] = '\0';
		for (el = 0; el < jr.nelem; el++) {
			check(jr.elem[el].path == hdr);
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%d:%.*s", el > 0 ? " " : "", jr.elem[el].type,
			    jr.elem[el].s != NULL ? (int)jr.elem[el].len : 1,
			    jr.elem[el].s != NULL ? jr.elem[el].s : "-");
		}
		check_str(got, r == 0 ? "4:a 1:null 4:b\xc3\xa9 6:- 5:- 3:4" :
		    "4:a 4:b");
	}
	/* the quick scanner takes escaped strings and objects read whole
	 * (not arrays with elements), and captures what yajl does: each
	 * line as it is, and with a CR after it, which it leaves to yajl */
	{
		static const char *const lines[] = {
			"{\"p\":{ \"s\" : \"K\\u00e9\\u20ac\\n\\\"x\\\\/\\/\" } , \"h\":[]}",
			"{\"p\":{\"s\":\"a\\tb\",\"t\":{\"u\":[{}]}},\"h\":[ ]}",
			"{\"p\":{},\"x\":\"\\u0041\",\"h\":null}",
			"{\"p\":\"\\\"q\\\"\",\"h\":[]}",
		};
		struct jr_val v0[JR_MAXPATHS];
		char cr[256], kept[3][64];
		size_t k, n;

		for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
			n = strlen(lines[k]);
			for (r = 0; r < 3; r++)
				jr.val[r].type = JR_NONE;
			jr.nelem = 0;
			check(jr_scan(&jr, lines[k], n));
			memcpy(v0, jr.val, sizeof(v0));
			for (r = 0; r < 3; r++)	/* (scratch is reused) */
				if (v0[r].type == JR_STR) {
					memcpy(kept[r], v0[r].s, v0[r].len);
					v0[r].s = kept[r];
				}
			snprintf(cr, sizeof(cr), "%s\r", lines[k]);
			check(parse(&jr, cr) == 0);
			for (r = 0; r < 3; r++) {
				check(v0[r].type == jr.val[r].type);
				if (v0[r].type == JR_STR)
					check(v0[r].len == jr.val[r].len &&
					    memcmp(v0[r].s, jr.val[r].s,
					    v0[r].len) == 0);
				if (v0[r].type == JR_OBJ || v0[r].type == JR_ARR)
					check(v0[r].off == jr.val[r].off &&
					    v0[r].end == jr.val[r].end);
			}
		}
		check(!jr_scan(&jr, "{\"h\":[1]}", 9));
		for (r = 0; r < 3; r++)
			jr.val[r].type = JR_NONE;
		jr.nelem = 0;
		check(jr_scan(&jr, "{\"h\":[\"a\\n\",null]}", 18) &&
		    jr.nelem == 2 && jr.elem[0].len == 2 &&
		    memcmp(jr.elem[0].s, "a\n", 2) == 0 &&
		    jr.elem[1].type == JR_NULL);
	}
	check(parse(&jr, "{\"p\":{\"s\":\"x\\u00e9\"}}") == 0);
	check_str(val(&jr, seller), "x\xc3\xa9");
	check(parse(&jr, "{\"h\":[1],\"h\":[2]}") < 0);
	check_str(jr.err, "field h: given twice");
	check(parse(&jr, "{\"h\":[],\"p\":[]}") == 0 && jr.nelem == 0);
	check(jr.val[hdr].type == JR_ARR && jr.val[whole].type == JR_ARR);

	/* jw */
	jw_str(&b, "a\"\\\x01\n", 5);
	check_str(buf_cstr(&b), "\"a\\\"\\\\\\u0001\\n\"");
	b.len = 0;
	jw_dbl(&b, 0.1);
	buf_addc(&b, ' ');
	jw_dbl(&b, 5.0);
	buf_addc(&b, ' ');
	jw_dbl(&b, 1.0 / 3);
	check_str(buf_cstr(&b), "0.1 5 0.3333333333333333");
	b.len = 0;
	jw_b64(&b, (const unsigned char *)"hello", 5);
	check_str(buf_cstr(&b), "\"aGVsbG8=\"");
	check(jw_utf8ok("K\xc3\xa9", 3));
	check(!jw_utf8ok("\xc3", 1));
	check(!jw_utf8ok("\xed\xa0\x80", 3));	/* surrogate */
	check(!jw_utf8ok("\xc0\x80", 2));	/* overlong */
	b.len = 0;
	jw_i64(&b, INT64_MIN);
	check_str(buf_cstr(&b), "-9223372036854775808");
	buf_free(&b);
	buf_free(&copy);
	jr_free(&jr);
	return check_done("jrec");
}
