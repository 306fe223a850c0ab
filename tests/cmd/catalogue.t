# catalogue.t: the bad input catalogue (issue 5) through window-agg and
# fxconvert. Each kind of bad line is reported as "tool: <stdin>:LINE: reason"
# and skipped while every valid line around it comes out, --dead-letter gets
# it byte for byte, and --on-error=abort stops with 65 after what came before.
# Each run prints its exit status, so a crash (or a sanitizer's exit 99)
# fails the test, and runs under timeout, so a hang fails it too (124).
# ksink reads no input before it has reached Kafka: without a broker only
# its refusal to start can be tested here.
#
# C_MK writes the test's stdin into the file "in", with stand-ins for bytes a
# shell string cannot hold or a reader would not see:
#   <NUL> <FF> <CR>        the bytes 00, ff and 0d (\r)
#   <OVERLONG>             c0 af, "/" as an overlong two-byte sequence
#   <SURROGATE>            ed a0 80, U+D800 encoded as UTF-8
#   <BEYOND>               f4 90 80 80, a code point above U+10FFFF
#   <200000[> <200000]>    200,000 "[" or "]"
C_MK='awk "/<200000/ && !o { for (o = \"[\"; length(o) < 200000; o = o o); o = substr(o, 1, 200000);
	    for (c = \"]\"; length(c) < 200000; c = c c); c = substr(c, 1, 200000) }
	{ gsub(/<200000\[>/, o); gsub(/<200000\]>/, c); print }" |
	sed "s/<NUL>/\x00/g; s/<FF>/\xff/g; s/<CR>/\r/g; s/<OVERLONG>/\xc0\xaf/g;
	    s/<SURROGATE>/\xed\xa0\x80/g; s/<BEYOND>/\xf4\x90\x80\x80/g" > in;'
C_WA='timeout 10 window-agg --tumble 1ms -t t --time-format ms -a "a=sum(a)"'
C_FX='timeout 10 fxconvert -f a --rate 2'
C_FXT='timeout 10 fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to EUR -t t --round 4'

# bad TOOLS NAME LINE REASON: the records a=1 and a=2, LINE (line 3), then
# a=4, through each of TOOLS (wa: window-agg by event time; fx: fxconvert
# --rate 2; fxt: fxconvert by the ECB rates of the record's time t).
# Skipping, the three records come out, line 3 is reported with REASON and
# counted, and the dead letter is line 3 byte for byte; aborting, the exit
# is 65 after the output of the records before it.
bad() {
	for c_tool in $1; do
		case $c_tool in
		wa) c_name=window-agg c_test=window-agg c_cmd=$C_WA c_t1=1 c_t2=2 c_t4=4 \
		    c_out='{"window_start":1,"window_end":2,"a":1}
{"window_start":2,"window_end":3,"a":2}
{"window_start":4,"window_end":5,"a":4}' \
		    c_before='{"window_start":1,"window_end":2,"a":1}' \
		    c_stop='
window-agg: stopped: 1 open (window, key) rows not emitted' ;;
		fx) c_name=fxconvert c_test=fxconvert c_cmd=$C_FX c_t1=1 c_t2=2 c_t4=4 \
		    c_out='{"t":1,"a":2}
{"t":2,"a":4}
{"t":4,"a":8}' \
		    c_before='{"t":1,"a":2}
{"t":2,"a":4}' c_stop= ;;
		fxt) c_name=fxconvert c_cmd=$C_FXT c_test="fxconvert --rates" c_t1=1713657600001 \
		    c_t2=1713657600002 c_t4=1713657600004 \
		    c_out='{"t":1713657600001,"a":0.9389}
{"t":1713657600002,"a":1.8778}
{"t":1713657600004,"a":3.7555}' \
		    c_before='{"t":1713657600001,"a":0.9389}
{"t":1713657600002,"a":1.8778}' c_stop= ;;
		esac
		t "$c_test: $2" 0 "$C_MK"' '"$c_cmd"' --dead-letter dl < in 2> err; echo "exit $?"; cat err
		    sed -n 3p in | cmp - dl && echo "dead letter: line 3"
		    '"$c_cmd"' --on-error=abort < in 2> err; echo "exit $?"; cat err' \
		    "{\"t\":$c_t1,\"a\":1}
{\"t\":$c_t2,\"a\":2}
$3
{\"t\":$c_t4,\"a\":4}" \
		    "$c_out
exit 0
$c_name: <stdin>:3: $4
$c_name: 1 bad records skipped, copied to dl
dead letter: line 3
$c_before
exit 65
$c_name: <stdin>:3: $4$c_stop"
	done
}

# not JSON, or not whole
bad "wa fx" "truncated JSON" '{"t":3,"a":' 'invalid JSON: truncated (the line ends inside a value)'
bad "wa fx" "truncated string" '{"t":3,"a":1,"s":"abc' 'invalid JSON: truncated (the line ends inside a value)'
bad "wa fx" "non-JSON text" 'hello, world' 'invalid JSON near byte 1: lexical error: invalid char in json text.'
bad "wa fx" "single quotes" "{'t':3,'a':3}" 'invalid JSON near byte 2: lexical error: invalid char in json text.'
bad "wa fx" "NaN" '{"t":3,"a":NaN}' 'invalid JSON near byte 12: lexical error: invalid char in json text.'
bad "wa fx" "a bad escape" '{"t":3,"a":1,"s":"\x"}' "invalid JSON near byte 20: lexical error: inside a string, '\\' occurs before a character which it may not."
bad "wa fx" "trailing comma" '{"t":3,"a":3,}' 'invalid JSON near byte 14: parse error: invalid object key (must be a string)'

# invalid UTF-8: yajl's own check, then the strict one (overlong forms,
# surrogates and code points above U+10FFFF)
bad "wa fx" "invalid UTF-8 in a string" '{"t":3,"a":3,"s":"<FF>"}' 'invalid JSON near byte 19: lexical error: invalid bytes in UTF8 string.'
bad "wa fx" "invalid UTF-8 outside a string" '<FF>{"t":3,"a":3}' 'invalid JSON near byte 1: lexical error: invalid char in json text.'
bad "wa fx" "overlong UTF-8" '{"t":3,"a":3,"s":"<OVERLONG>"}' 'invalid JSON near byte 19: lexical error: invalid bytes in UTF8 string.'
bad "wa fx" "a surrogate in UTF-8" '{"t":3,"a":3,"s":"<SURROGATE>"}' 'invalid JSON near byte 19: lexical error: invalid bytes in UTF8 string.'
bad "wa fx" "beyond U+10FFFF, in a key" '{"<BEYOND>":1,"t":3,"a":3}' 'invalid JSON near byte 3: lexical error: invalid bytes in UTF8 string.'
bad "wa fx" "a lone low surrogate escape" '{"t":3,"a":3,"s":"\udc00"}' 'invalid JSON near byte 19: \udc00 is half a surrogate pair, not a character'
bad "wa fx" "a lone high surrogate escape" '{"t":3,"a":3,"s":"\uD800"}' 'invalid JSON near byte 19: \uD800 is half a surrogate pair, not a character'
bad "wa fx" "a high surrogate escape, then another escape" '{"t":3,"a":3,"s":"\ud83d\u0041"}' 'invalid JSON near byte 19: \ud83d is half a surrogate pair, not a character'

# NUL bytes
bad "wa fx" "NUL after the object" '{"t":3,"a":3}<NUL>' 'invalid JSON near byte 14: lexical error: invalid char in json text.'
bad "wa fx" "NUL between members" '{"t":3,<NUL>"a":3}' 'invalid JSON near byte 8: lexical error: invalid char in json text.'
bad "wa fx" "NUL inside a string" '{"t":3,"a":3,"s":"<NUL>"}' 'invalid JSON near byte 19: lexical error: invalid character inside string.'

# a JSON value that is not an object
bad "wa fx" "an array" '[{"t":3,"a":3}]' 'expected a JSON object, got an array'
bad "wa fx" "a bare number" '3' 'expected a JSON object, got a number'
bad "wa fx" "a string" '"t"' 'expected a JSON object, got a string'
bad "wa fx" "null" 'null' 'expected a JSON object, got null'
bad "wa fx" "200,000 nested brackets" '<200000[>' 'expected a JSON object, got an array'
bad "wa fx" "200,000 brackets left open" '{"t":3,"a":3,"d":<200000[>' 'invalid JSON: truncated (the line ends inside a value)'

# trailing garbage after an object
bad "wa fx" "a word after the object" '{"t":3,"a":3} x' 'invalid JSON near byte 15: lexical error: invalid char in json text.'
bad "wa fx" "a second object" '{"t":3,"a":3}{"t":3,"a":3}' 'trailing data after the JSON value'
# an unterminated string after the object: yajl kept it in its lexer, took
# the line, and carried the string into the next line (which it lost)
bad "wa fx" "an open string after the object" '{"t":3,"a":3}"' 'trailing data after the JSON value'
bad "wa fx" "an open string after the object, ending in }" '{"t":3,"a":3}"}' 'trailing data after the JSON value'
bad "wa fx" "a cut literal after the object" '{"t":3,"a":3} tru' 'trailing data after the JSON value'
bad "wa fx" "a comma after the object" '{"t":3,"a":3},' 'invalid JSON near byte 14: parse error: unallowed token at this point in JSON text'
bad "wa fx" "a string left open after the object" '{"t":3,"a":3}"x' 'trailing data after the JSON value'
bad "wa fx" "a quote after the object" '{"t":3,"a":3} "' 'trailing data after the JSON value'
bad "wa fx" "a string left open, after a good line" '"t' 'invalid JSON: truncated (the line ends inside a value)'

# the number field holds something else, or a number too big for a decimal
bad "wa fx" "a number field holding a string" '{"t":3,"a":"3"}' 'field a: expected a number, got a string'
bad "wa fx" "a number field holding an array" '{"t":3,"a":[3]}' 'field a: expected a number, got an array'
bad "wa fx" "a number field holding a boolean" '{"t":3,"a":true}' 'field a: expected a number, got a boolean'
bad "fx" "a number field holding null" '{"t":3,"a":null}' 'field a: expected a number, got null'
bad "wa fx" "a number beyond the decimal range" '{"t":3,"a":1e999999999}' 'field a: number out of range'
bad "wa fx" "a number beyond the decimal range, negative" '{"t":3,"a":-1e999999999}' 'field a: number out of range'

# a time field that cannot be read (window-agg -t, fxconvert -t with --rates)
bad "wa fxt" "time field missing" '{"a":3}' 'time field t: missing'
bad "wa fxt" "time field null" '{"t":null,"a":3}' 'time field t: missing'
bad "wa fxt" "time field not a date" '{"t":"yesterday","a":3}' 'time field t: expected an ISO-8601 time string'
bad "wa fxt" "time field an impossible date" '{"t":"2024-02-30","a":3}' 'time field t: expected an ISO-8601 time string'
bad "wa fxt" "time field empty" '{"t":"","a":3}' 'time field t: expected an ISO-8601 time string'
bad "wa fxt" "time field a boolean" '{"t":true,"a":3}' 'time field t: expected epoch time as a number in range (see --time-unit)'
bad "wa fxt" "time field an object" '{"t":{"ms":3},"a":3}' 'time field t: expected epoch time as a number in range (see --time-unit)'
bad "wa fxt" "time field beyond double range" '{"t":1e999999,"a":3}' 'time field t: expected epoch time as a number in range (see --time-unit)'
bad "wa fxt" "time field beyond int64" '{"t":9223372036854775807,"a":3}' 'time field t: expected epoch time as a number in range (see --time-unit)'

# The whole catalogue in one file: CRLF lines, blank lines (empty, blanks
# and CR, a lone CR) and no final newline. Lines 3-21 are bad for both tools; line 22
# has a time field only window-agg reads. 1e999999 is beyond double range
# but an exact decimal: summed and converted exactly.
C_CAT='{"t":1,"a":1}
{"t":2,"a":2}
{"t":3,"a":
hello, world
{"t":3,"a":3,"s":"<FF>"}
<FF>
{"t":3,"a":3,"s":"<OVERLONG>"}
{"t":3,"a":3,"s":"<SURROGATE>"}
{"<BEYOND>":1,"t":3,"a":3}
{"t":3,"a":3}<NUL>
{"t":3,<NUL>"a":3}
{"t":3,"a":3,"s":"<NUL>"}
[{"t":3,"a":3}]
3
"t"
<200000[>
{"t":3,"a":<200000[>
{"t":3,"a":3} x
{"t":3,"a":3}{"t":3,"a":3}
{"t":3,"a":"3"}
{"t":3,"a":1e999999999}
{"t":"yesterday","a":3}<CR>

{"t":20,"a":1e999999}<CR>
  	<CR>
<CR>
{"t":21,"a":4}<CR>'
C_CATERR='<stdin>:3: invalid JSON: truncated (the line ends inside a value)
<stdin>:4: invalid JSON near byte 1: lexical error: invalid char in json text.
<stdin>:5: invalid JSON near byte 19: lexical error: invalid bytes in UTF8 string.
<stdin>:6: invalid JSON near byte 1: lexical error: invalid char in json text.
<stdin>:7: invalid JSON near byte 19: lexical error: invalid bytes in UTF8 string.
<stdin>:8: invalid JSON near byte 19: lexical error: invalid bytes in UTF8 string.
<stdin>:9: invalid JSON near byte 3: lexical error: invalid bytes in UTF8 string.
<stdin>:10: invalid JSON near byte 14: lexical error: invalid char in json text.
<stdin>:11: invalid JSON near byte 8: lexical error: invalid char in json text.
<stdin>:12: invalid JSON near byte 19: lexical error: invalid character inside string.
<stdin>:13: expected a JSON object, got an array
<stdin>:14: expected a JSON object, got a number
<stdin>:15: expected a JSON object, got a string
<stdin>:16: expected a JSON object, got an array
<stdin>:17: invalid JSON: truncated (the line ends inside a value)
<stdin>:18: invalid JSON near byte 15: lexical error: invalid char in json text.
<stdin>:19: trailing data after the JSON value
<stdin>:20: field a: expected a number, got a string
<stdin>:21: field a: number out of range'
t "window-agg: the whole catalogue" 0 "$C_MK"' truncate -s -1 in
	'"$C_WA"' --dead-letter dl < in 2> err; echo "exit $?"; cat err
	sed -n 3,22p in | tr -d "\r" | cmp - dl && echo "dead letter: lines 3-22"
	'"$C_WA"' --on-error=abort < in; echo "exit $?"' "$C_CAT" \
'{"window_start":1,"window_end":2,"a":1}
{"window_start":2,"window_end":3,"a":2}
{"window_start":20,"window_end":21,"a":1e+999999}
{"window_start":21,"window_end":22,"a":4}
exit 0
'"$(echo "$C_CATERR" | sed 's/^/window-agg: /')"'
window-agg: <stdin>:22: time field t: expected an ISO-8601 time string
window-agg: 20 bad records skipped, copied to dl
dead letter: lines 3-22
{"window_start":1,"window_end":2,"a":1}
exit 65'
t "fxconvert: the whole catalogue" 0 "$C_MK"' truncate -s -1 in
	'"$C_FX"' --dead-letter dl < in 2> err; echo "exit $?"; cat err
	sed -n 3,21p in | cmp - dl && echo "dead letter: lines 3-21"
	'"$C_FX"' --on-error=abort < in; echo "exit $?"' "$C_CAT" \
'{"t":1,"a":2}
{"t":2,"a":4}
{"t":"yesterday","a":6}
{"t":20,"a":2e+999999}
{"t":21,"a":8}
exit 0
'"$(echo "$C_CATERR" | sed 's/^/fxconvert: /')"'
fxconvert: 19 bad records skipped, copied to dl
dead letter: lines 3-21
{"t":1,"a":2}
{"t":2,"a":4}
exit 65'

# valid input at the edges: nothing at all, only blank lines, CRLF, no final
# newline, deep nesting, a 20 MiB line
t "window-agg: empty input" 0 "$C_WA"' < /dev/null 2>&1; echo "exit $?"' '' 'exit 0'
t "fxconvert: empty input" 0 "$C_FX"' < /dev/null 2>&1; echo "exit $?"' '' 'exit 0'
t "window-agg: only blank lines" 0 'printf "\n\r\n  \n\t\r\n\n" | '"$C_WA"' 2>&1; echo "exit $?"' '' 'exit 0'
t "fxconvert: only blank lines" 0 'printf "\n\r\n  \n\t\r\n\n" | '"$C_FX"' 2>&1; echo "exit $?"' '' 'exit 0'
t "window-agg: CRLF lines, no final newline" 0 'printf "{\"t\":1,\"a\":1}\r\n{\"t\":2,\"a\":2}\r\n\r\n{\"t\":3,\"a\":3}" | '"$C_WA"' 2>&1; echo "exit $?"' '' \
'{"window_start":1,"window_end":2,"a":1}
{"window_start":2,"window_end":3,"a":2}
{"window_start":3,"window_end":4,"a":3}
exit 0'
t "fxconvert: CRLF lines, no final newline" 0 'printf "{\"t\":1,\"a\":1}\r\n{\"t\":2,\"a\":2}\r\n\r\n{\"t\":3,\"a\":3}" | '"$C_FX"' 2>&1; echo "exit $?"' '' \
'{"t":1,"a":2}
{"t":2,"a":4}
{"t":3,"a":6}
exit 0'
t "window-agg: 200,000 nested brackets, closed" 0 "$C_MK $C_WA"' < in 2>&1; echo "exit $?"' \
'{"t":1,"a":1,"d":<200000[><200000]>}
{"d":<200000[><200000]>,"t":2,"a":2}' \
'{"window_start":1,"window_end":2,"a":1}
{"window_start":2,"window_end":3,"a":2}
exit 0'
t "fxconvert: 200,000 nested brackets, closed" 0 "$C_MK $C_FX"' < in > out 2>&1; echo "exit $?"; sed "s/\"a\":1/\"a\":2/" in | cmp - out && echo same' \
'{"t":1,"a":1,"d":<200000[><200000]>}' \
'exit 0
same'
t "window-agg: 200,000 nested objects" 0 'printf "{\"t\":1,\"a\":1,\"d\":" > in; printf "%200000s" "" | sed "s/ /{\"d\":/g" >> in; printf 0 >> in; printf "%200001s\n" "" | tr " " "}" >> in; '"$C_WA"' -k d.x < in 2>&1; echo "exit $?"' '' \
'{"x":null,"window_start":1,"window_end":2,"a":1}
exit 0'
t "fxconvert: 200,000 nested objects" 0 'printf "{\"t\":1,\"a\":1,\"d\":" > in; printf "%200000s" "" | sed "s/ /{\"d\":/g" >> in; printf 0 >> in; printf "%200001s\n" "" | tr " " "}" >> in; '"$C_FX"' < in > out 2>&1; echo "exit $?"; sed "s/\"a\":1/\"a\":2/" in | cmp - out && echo same' '' \
'exit 0
same'
# the 20 MiB line is a string field (pad) between two small records
C_BIG='big() { echo "{\"t\":1,\"a\":$1}"; printf "{\"t\":2,\"a\":$2,\"pad\":\""; head -c 20971520 /dev/zero | tr "\0" x; printf "\"}\r\n"; printf "{\"t\":3,\"a\":$3}"; };'
t "window-agg: a 20 MiB line" 0 "$C_BIG"' big 1 2 3 > in; '"$C_WA"' -a "n=count(pad)" < in 2>&1; echo "exit $?"' '' \
'{"window_start":1,"window_end":2,"a":1,"n":0}
{"window_start":2,"window_end":3,"a":2,"n":1}
{"window_start":3,"window_end":4,"a":3,"n":0}
exit 0'
t "fxconvert: a 20 MiB line" 0 "$C_BIG"' big 1 2 3 > in; big 2 4 6 | tr -d "\r" > want; echo >> want; '"$C_FX"' < in > out 2>&1; echo "exit $?"; cmp want out && echo same' '' \
'exit 0
same'
t "window-agg: a 20 MiB line over --max-line" 0 "$C_BIG"' big 1 2 3 | tr -d "\r" > in; '"$C_WA"' --max-line 1048576 --dead-letter dl < in 2> err; echo "exit $?"; cat err; sed -n 2p in | cmp - dl && echo "dead letter: line 2"' '' \
'{"window_start":1,"window_end":2,"a":1}
{"window_start":3,"window_end":4,"a":3}
exit 0
window-agg: <stdin>:2: line longer than --max-line 1048576 bytes
window-agg: 1 bad records skipped, copied to dl
dead letter: line 2'
t "fxconvert: a 20 MiB line over --max-line" 0 "$C_BIG"' big 1 2 3 | tr -d "\r" > in; '"$C_FX"' --max-line 1048576 --dead-letter dl < in 2> err; echo "exit $?"; cat err; sed -n 2p in | cmp - dl && echo "dead letter: line 2"' '' \
'{"t":1,"a":2}
{"t":3,"a":6}
exit 0
fxconvert: <stdin>:2: line longer than --max-line 1048576 bytes
fxconvert: 1 bad records skipped, copied to dl
dead letter: line 2'

# downstream closes early: both programs of each pipeline exit 0, silently
t "window-agg: stdout closed early" 0 '{ timeout 10 salesgen -r 0 --seed 1 --start-ts 0; echo "salesgen: exit $?" >&2; } 2> err1 | { timeout 10 window-agg --tumble 1s -t sale_ts; echo "window-agg: exit $?" >&2; } 2> err2 | head -1 > first; cat err1 err2; wc -l < first' '' \
'salesgen: exit 0
window-agg: exit 0
1'
t "fxconvert: stdout closed early" 0 '{ timeout 10 salesgen -r 0 --seed 1; echo "salesgen: exit $?" >&2; } 2> err1 | { timeout 10 fxconvert -f amount_usd --rate 0.85; echo "fxconvert: exit $?" >&2; } 2> err2 | head -1 > first; cat err1 err2; wc -l < first' '' \
'salesgen: exit 0
fxconvert: exit 0
1'

# ksink checks each line only after reaching Kafka: with no broker it stops
# with 69 within -m, having read and reported none of the catalogue
t "ksink: the catalogue, no broker" 0 "$C_MK"' timeout 10 ksink -b 127.0.0.1:1 -m 300ms -t a --on-error=abort --dead-letter dl < in 2> err; echo "exit $?"; grep -c "<stdin>" err; wc -c < dl; grep -o "cannot reach Kafka at 127.0.0.1:1 within 300 ms" err' "$C_CAT" \
'exit 69
0
0
cannot reach Kafka at 127.0.0.1:1 within 300 ms'
