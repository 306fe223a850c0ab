# fxconvert: exact currency conversion
t "constant rate, exact" 0 'fxconvert -f window_sales --rate 0.85' \
'{"seller_id":"LNK","window_start":"2024-04-21 00:17:36","window_end":"2024-04-21 00:17:42","window_sales":1717}' \
'{"seller_id":"LNK","window_start":"2024-04-21 00:17:36","window_end":"2024-04-21 00:17:42","window_sales":1459.45}'
t "no binary floating-point artefacts" 0 'fxconvert -f a --rate 3' '{"a":0.1}
{"a":-0.7}' '{"a":0.3}
{"a":-2.1}'
t "into a new field, original kept, input order kept" 0 'fxconvert -f a:eur -f b --rate 0.5' '{"b":3,"a":10,"z":null}' '{"b":1.5,"a":10,"z":null,"eur":5}'
t "dot path in place, compact output" 0 'fxconvert -f p.amount --rate 2' '{ "p" : { "amount" : 1.25 , "s":"\u00e9\"" } }' '{"p":{"amount":2.5,"s":"é\""}}'
t "new field into an empty-looking record" 0 'fxconvert -f a:b --rate 2' '{"a":1}' '{"a":1,"b":2}'
t "round half to even" 0 'fxconvert -f a --rate 1 --round 2' '{"a":2.345}
{"a":2.355}
{"a":2.3451}
{"a":-1.005}' '{"a":2.34}
{"a":2.36}
{"a":2.35}
{"a":-1}'
t "ECB file, latest row without a time field" 0 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to EUR --round 4' '{"a":100}' '{"a":93.8879}'
t "as-of join: weekends take the previous business day" 0 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to EUR -t t --round 4' \
'{"a":100,"t":1713657600000}
{"a":100,"t":1713484800000}
{"a":100,"t":1713398400000}
{"a":100,"t":1713398399999}' \
'{"a":93.8879,"t":1713657600000}
{"a":93.8879,"t":1713484800000}
{"a":93.6505,"t":1713398400000}
{"a":93.9496,"t":1713398399999}'
t "oldest-first file with CRLF and blanks, seconds" 0 'fxconvert -f a --rates $T/data/ecb-oldest-first.csv --from USD --to EUR -t t --time-unit s --round 4' '{"a":100,"t":1713398400}' '{"a":93.6505,"t":1713398400}'
t "ISO time field" 0 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to EUR -t t --time-unit iso --round 2' '{"a":100,"t":"2024-04-18T23:59:59+00:00"}' '{"a":93.65,"t":"2024-04-18T23:59:59+00:00"}'
t "N/A falls back to the last day with a rate" 0 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from EUR --to GBP -t t' '{"a":100,"t":1713484800000}' '{"a":85.79,"t":1713484800000}'
t "cross rate through EUR" 0 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to JPY --round 2' '{"a":100}' '{"a":15467.09}'
t "EUR to USD is the rate itself" 0 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from EUR --to USD' '{"a":100}' '{"a":106.51}'
t "two-column file" 0 'fxconvert -f a --rates $T/data/two-column.csv --from USD --to JPY --round 3' '{"a":1}' '{"a":154.671}'
t "division to 34 significant digits" 0 'fxconvert -f a --rates $T/data/two-column.csv --from USD --to EUR' '{"a":1}' '{"a":0.9388789784996713923575251150126749}'
tg "window-agg's SQL window_end as the as-of time, into a new field" 0 'fxconvert -f window_sales:window_sales_eur --rates $T/data/fxconvert-ecb-hist.csv --from USD --to EUR -t window_end --round 2 < $T/data/fxconvert-windows.ndjson 2>/dev/null' '' fxconvert-windows-eur.ndjson
tg "ECB daily file (day-month-name dates, spaces) gives the same" 0 'fxconvert -f window_sales:window_sales_eur --rates $T/data/fxconvert-ecb-daily.csv --from USD --to EUR -t window_start --round 2 < $T/data/fxconvert-windows.ndjson 2>/dev/null' '' fxconvert-windows-eur.ndjson
tg "cross rate USD to JPY in place, exact to 34 digits, both rates of one day (26 March has no USD: the 25th serves)" 0 'fxconvert -f window_sales --rates $T/data/fxconvert-ecb-hist.csv --from USD --to JPY -t window_end < $T/data/fxconvert-windows.ndjson 2>/dev/null' '' fxconvert-windows-jpy.ndjson
t "quoted epoch milliseconds are read as a number" 0 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to EUR -t t --round 2' '{"a":100,"t":"1713484800000"}' '{"a":93.89,"t":"1713484800000"}'
t "--time-unit iso rejects a number: every record rejected is exit 65" 65 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to EUR -t t --time-unit iso 2>&1' '{"a":1,"t":0}' \
'fxconvert: <stdin>:1: time field t: expected an ISO-8601 time string, got a number
fxconvert: 1 bad records skipped
fxconvert: every one of the 1 records read was rejected'
t "before the first date" 65 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to EUR -t t 2>&1' '{"a":1,"t":0}' \
'fxconvert: <stdin>:1: no rate for USD on or before 1970-01-01
fxconvert: 1 bad records skipped
fxconvert: every one of the 1 records read was rejected'
te "unknown currency" 64 'fxconvert -f a --rates $T/data/ecb-newest-first.csv --from USD --to CHF' '' 'no currency CHF (it has EUR USD JPY GBP)'
te "missing rates file" 66 'fxconvert -f a --rates nope.csv --from USD --to EUR' '' 'fxconvert: --rates nope.csv: No such file or directory'
te "malformed rates file" 65 'printf "Date,USD\nyesterday,1\n" > r.csv; fxconvert -f a --rates r.csv --from USD --to EUR' '' 'fxconvert: r.csv:2: '"'"'yesterday'"'"' is not a date'
te "bad rate cell" 65 'printf "Date,USD\n2024-01-01,-1\n" > r.csv; fxconvert -f a --rates r.csv --from USD --to EUR' '' 'r.csv:2: USD rate '"'"'-1'"'"' is not a positive number'
t "bad records are reported and skipped" 0 'fxconvert -f a --rate 2 2>&1' \
'{"a":1}
{"b":1}
{"a":"1"}
[1]
{"a":
{"a":1e999999999999}
{"a":2}' \
'fxconvert: <stdin>:2: field a: missing
fxconvert: <stdin>:3: field a: expected a number, got a string
fxconvert: <stdin>:4: expected a JSON object, got an array
fxconvert: <stdin>:5: invalid JSON: truncated (the line ends inside a value)
fxconvert: <stdin>:6: field a: number out of range
{"a":2}
{"a":4}
fxconvert: 5 bad records skipped'
t "abort exits 65 after what came before" 65 'fxconvert -f a --rate 2 --on-error abort' '{"a":1}
oops
{"a":3}' '{"a":2}'
t "a dead-letter file that cannot be written: exit 74, the good rows still out" 0 'printf "bad\n{\"a\":1}\n" | fxconvert -f a --rate 2 --dead-letter /dev/full 2>err; echo "exit $?"; grep -c "^fxconvert: --dead-letter /dev/full: " err' '' \
'{"a":2}
exit 74
1'
t "dead letter, CRLF, blank lines, no final newline" 0 'printf "{\"a\":1}\r\n\r\n\nbad\r\n{\"a\":2}" | fxconvert -f a --rate 10 --dead-letter dl 2>/dev/null; od -c dl' '' \
'{"a":10}
{"a":20}
0000000   b   a   d  \n
0000004'
t "--max-line" 0 'fxconvert -f a --rate 1 --max-line 10 2>&1' '{"a":1,"b":"long line"}
{"a":1}' 'fxconvert: <stdin>:1: line longer than --max-line 10 bytes
{"a":1}
fxconvert: 1 bad records skipped'
t "empty input" 0 'fxconvert -f a --rate 2' '' ''
t "downstream closed: quiet" 0 'salesgen -n 200000 -r 0 --seed 1 --start-ts 0 | fxconvert -f amount_usd --rate 0.85 2>err | head -1 > first; echo "exit $?"; jq -c "has(\"amount_usd\")" first; wc -c < err' '' 'exit 0
true
0'
te "no field" 64 'fxconvert --rate 1' '' 'name at least one field with -f'
te "no rate" 64 'fxconvert -f a' '' 'give either --rate or --rates'
te "both rates" 64 'fxconvert -f a --rate 1 --rates x' '' 'give either --rate or --rates'
te "bad rate" 64 'fxconvert -f a --rate x' '' "--rate: 'x' is not a positive number"
te "zero rate" 64 'fxconvert -f a --rate 0' '' "--rate: '0' is not a positive number"
te "rates without from" 64 'fxconvert -f a --rates x --to EUR' '' '--rates needs --from and --to'
te "round out of range" 64 'fxconvert -f a --rate 1 --round 99' '' 'out of range (allowed 0..30)'
t "help" 0 'fxconvert -h | head -1' '' 'usage: fxconvert -f field[:newname]... (-r rate | --rates file --from cur --to cur)'
te "white space outside RFC 8259 is bad input (\\v)" 65 'printf "{\"a\":\v1}\n" | fxconvert -f a --rate 10 --on-error abort' '' '<stdin>:1: invalid JSON near byte 6: \v is not JSON white space (only space, tab, CR and LF are)'
t "white space outside RFC 8259: \\f anywhere, skipped" 0 'printf "{\"a\":1}\f\n{\f\"a\":1}\n{\"a\":[\f]}\n{\"a\":2}\n" | fxconvert -f a --rate 10 2>err; grep -c "is not JSON white space" err' '' '{"a":20}
3'
te "a field converted appears twice: rejected" 65 'fxconvert -f amount --rate 10 --on-error abort' '{"amount":1,"amount":2}' '<stdin>:1: field amount: given twice'
t "other fields may repeat" 0 'fxconvert -f amount --rate 10' '{"x":1,"x":2,"amount":3}' '{"x":1,"x":2,"amount":30}'
te "error positions point at the offending byte" 65 'fxconvert -f a --rate 10 --on-error abort' ',1,' '<stdin>:1: invalid JSON near byte 1: parse error'
# both rates of one conversion from one day (an ECB-like file: BGN ends
# 2025-12-31, RUB 2022-03-01, USD is N/A on 2026-02-18)
te "a rate older than --max-age (default 7 days) is bad input" 65 'fxconvert -f a --rates $T/data/fxconvert-ecb-na.csv --from BGN --to USD -t t --round 2 --on-error abort' '{"a":3402,"t":"2026-02-19 12:00:00"}' '<stdin>:1: the last day with rates for both BGN and USD, 2025-12-31, is 50 days before 2026-02-19 (--max-age: 7)'
t "--max-age 60d: both rates of 2025-12-31, not USD of 2026-02-19 over BGN of 2025-12-31" 0 'fxconvert -f a --rates $T/data/fxconvert-ecb-na.csv --from BGN --to USD -t t --round 2 --max-age 60d' '{"a":3402,"t":"2026-02-19 12:00:00"}' '{"a":2043.84,"t":"2026-02-19 12:00:00"}'
t "RUB to JPY after RUB ended: the last day with both" 0 'fxconvert -f a --rates $T/data/fxconvert-ecb-na.csv --from RUB --to JPY -t t --round 2 --max-age 10000d' '{"a":1000,"t":"2026-02-19"}' '{"a":1095.02,"t":"2026-02-19"}'
t "a day with one currency N/A takes both from the day before" 0 'fxconvert -f a --rates $T/data/fxconvert-ecb-na.csv --from USD --to JPY -t t --round 2' '{"a":100,"t":"2026-02-18"}
{"a":100,"t":"2026-02-19"}' '{"a":15368.96,"t":"2026-02-18"}
{"a":15473.5,"t":"2026-02-19"}'
te "without -t: the latest day with both, within --max-age of the file's last day" 65 'fxconvert -f a --rates $T/data/fxconvert-ecb-na.csv --from BGN --to USD --on-error abort' '{"a":3402}' 'is 50 days before 2026-02-19 (--max-age: 7)'
t "without -t and with --max-age: the latest day with both" 0 'fxconvert -f a --rates $T/data/fxconvert-ecb-na.csv --from BGN --to USD --round 2 --max-age 50d' '{"a":3402}' '{"a":2043.84}'
te "--max-age goes with --rates" 64 'fxconvert -f a --rate 2 --max-age 1d' '' '--max-age go with --rates'
te "a bad --max-age" 64 'fxconvert -f a --rates $T/data/fxconvert-ecb-na.csv --from USD --to JPY --max-age soon' '' "'soon' is not a duration"
t "control lines pass unchanged" 0 'fxconvert -f v --rate 2' '{"v":1}
{"kp_control":"fence","_pos":"s 3000 0:7 !1.2"}
{"v":2}' \
'{"v":2}
{"kp_control":"fence","_pos":"s 3000 0:7 !1.2"}
{"v":4}'
t "every record rejected is exit 65 (a topic of the wrong shape)" 65 'fxconvert -f bytes --rate 2 2>&1' 'not json
{"bytes":"ten"}' \
'fxconvert: <stdin>:1: invalid JSON near byte 2: lexical error: invalid string in json text.
fxconvert: <stdin>:2: field bytes: expected a number, got a string
fxconvert: 2 bad records skipped
fxconvert: every one of the 2 records read was rejected'
t "control lines alone are not a failure" 0 'fxconvert -f bytes --rate 2' '{"kp_control":"assign","topic":"c","partition":0,"offset":0}' '{"kp_control":"assign","topic":"c","partition":0,"offset":0}'
t "exactly-once stream: a record skipped leaves a skip line in its place" 0 'fxconvert -f bytes --rate 2 2>/dev/null' '{"kp_control":"job","group":"g","topic":"t","txn":"x"}
{"kp_control":"at","partition":0,"offset":5}
{"bytes":1}
{"bytes":"ten"}
{"bytes":3}' \
'{"kp_control":"job","group":"g","topic":"t","txn":"x"}
{"kp_control":"at","partition":0,"offset":5}
{"bytes":2}
{"kp_control":"skip"}
{"bytes":6}'
t "no skip line outside an exactly-once stream" 0 'fxconvert -f bytes --rate 2 2>/dev/null' '{"bytes":1}
{"bytes":"ten"}' '{"bytes":2}'
t "exactly-once stream: a last line cut short (no newline) is dropped, not skipped" 0 'printf "%s\n%s\n%s" "{\"kp_control\":\"job\",\"group\":\"g\",\"topic\":\"t\",\"txn\":\"x\"}" "{\"kp_control\":\"at\",\"partition\":0,\"offset\":5}" "{\"bytes\":1" | fxconvert -f bytes --rate 2 2>/dev/null' '' \
'{"kp_control":"job","group":"g","topic":"t","txn":"x"}
{"kp_control":"at","partition":0,"offset":5}'
te "exactly-once stream: the line cut short is said" 0 'printf "%s\n%s" "{\"kp_control\":\"job\",\"group\":\"g\",\"topic\":\"t\",\"txn\":\"x\"}" "{\"bytes\":1" | fxconvert -f bytes --rate 2' '' \
'<stdin>:2: the last line has no newline, cut short by a stage that died: dropped'
