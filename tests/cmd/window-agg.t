# window-agg: windowed GROUP BY over NDJSON
S='{"seller_id":"LNK","amount_usd":361,"sale_ts":1713654885125}
{"seller_id":"OMA","amount_usd":0.1,"sale_ts":1713654886000}
{"seller_id":"LNK","amount_usd":100,"sale_ts":1713654890999}
{"seller_id":"LNK","amount_usd":5,"sale_ts":1713654891000}'

t "tumble, event time, sum" 0 'window-agg --tumble 6s --key seller_id --time-field sale_ts -a "window_sales=sum(amount_usd)"' "$S" \
'{"seller_id":"LNK","window_start":"2024-04-20 23:14:42","window_end":"2024-04-20 23:14:48","window_sales":361}
{"seller_id":"OMA","window_start":"2024-04-20 23:14:42","window_end":"2024-04-20 23:14:48","window_sales":0.1}
{"seller_id":"LNK","window_start":"2024-04-20 23:14:48","window_end":"2024-04-20 23:14:54","window_sales":105}'
t "default aggregate is count, no key" 0 'window-agg --tumble 6s -t sale_ts --time-format iso' "$S" \
'{"window_start":"2024-04-20T23:14:42Z","window_end":"2024-04-20T23:14:48Z","count":2}
{"window_start":"2024-04-20T23:14:48Z","window_end":"2024-04-20T23:14:54Z","count":2}'
t "time format ms and --align" 0 'window-agg --tumble 6s -t sale_ts --time-format ms --align 1s -k seller_id' "$S" \
'{"seller_id":"LNK","window_start":1713654883000,"window_end":1713654889000,"count":1}
{"seller_id":"OMA","window_start":1713654883000,"window_end":1713654889000,"count":1}
{"seller_id":"LNK","window_start":1713654889000,"window_end":1713654895000,"count":2}'
t "sql format shows milliseconds when not zero" 0 'window-agg --tumble 250ms -t sale_ts -a "n=count()"' '{"sale_ts":1713654885125}' \
'{"window_start":"2024-04-20 23:14:45","window_end":"2024-04-20 23:14:45.250","n":1}'
t "--window-fields end: the Flink job's row shape" 0 'window-agg --tumble 6s --key seller_id --time-field sale_ts --window-fields end -a "window_sales=sum(amount_usd)"' "$S" \
'{"seller_id":"LNK","window_end":"2024-04-20 23:14:48","window_sales":361}
{"seller_id":"OMA","window_end":"2024-04-20 23:14:48","window_sales":0.1}
{"seller_id":"LNK","window_end":"2024-04-20 23:14:54","window_sales":105}'
t "--window-fields start, no key" 0 'window-agg --tumble 6s -t sale_ts --time-format ms --window-fields start' "$S" \
'{"window_start":1713654882000,"count":2}
{"window_start":1713654888000,"count":2}'
t "--window-fields end,start is the default" 0 'cat > in; window-agg --tumble 6s -t sale_ts --time-format ms --window-fields end,start < in > a; window-agg --tumble 6s -t sale_ts --time-format ms < in > b; cmp a b && cat a' "$S" \
'{"window_start":1713654882000,"window_end":1713654888000,"count":2}
{"window_start":1713654888000,"window_end":1713654894000,"count":2}'
t "--window-fields end: no key" 0 'window-agg --tumble 6s -t sale_ts --time-format ms --window-fields end' "$S" \
'{"window_end":1713654888000,"count":2}
{"window_end":1713654894000,"count":2}'
t "--window-fields end frees the name window_start" 0 'window-agg --tumble 6s -t sale_ts --time-format ms --window-fields end -a "window_start=min(sale_ts)"' "$S" \
'{"window_end":1713654888000,"window_start":1713654885125}
{"window_end":1713654894000,"window_start":1713654890999}'
t "local time" 0 'TZ=Europe/Paris window-agg --tumble 1h -t sale_ts --time-format iso --local-time' '{"sale_ts":1713654885125}' \
'{"window_start":"2024-04-21T01:00:00+02:00","window_end":"2024-04-21T02:00:00+02:00","count":1}'
t "all seven aggregates" 0 'window-agg --tumble 1h -t t --time-format ms -a "s=sum(v)" -a "n=count()" -a "c=count(v)" -a "a=avg(v)" -a "lo=min(v)" -a "hi=max(v)" -a "f=first(w)" -a "l=last(w)"' \
'{"t":1,"v":2.5,"w":"x"}
{"t":2,"v":null}
{"t":3,"v":-1,"w":"y\"z"}
{"t":4,"v":10}
{"t":5,"w":true}' \
'{"window_start":0,"window_end":3600000,"s":11.5,"n":5,"c":3,"a":3.8333333333333335,"lo":-1,"hi":10,"f":"x","l":true}'
A='{"t":1,"v":2.5,"s":"b"}
{"t":2,"v":1,"s":"a"}
{"t":3,"v":1.0,"s":"b"}
{"t":4,"v":10,"s":"c\u00e9"}
{"t":5,"v":null,"s":7}'
t "count_distinct, approx_count_distinct, listagg, collect" 0 'window-agg --tumble 1h -t t --time-format ms -a "cd=count_distinct(v)" -a "cs=count_distinct(s)" -a "h=approx_count_distinct(s)" -a "l=listagg(s)" -a "l2=listagg(s, '"'; '"')" -a "c=collect(s)"' "$A" \
'{"window_start":0,"window_end":3600000,"cd":3,"cs":4,"h":4,"l":"b,a,b,cé,7","l2":"b; a; b; cé; 7","c":["b","a","b","cé",7]}'
t "median, percentile, variance, standard deviation" 0 'window-agg --tumble 1h -t t --time-format ms -a "m=median(v)" -a "p=percentile(v, 0.9)" -a "p0=percentile(v,0)" -a "vp=var_pop(v)" -a "vs=var_samp(v)" -a "sp=stddev_pop(v)" -a "ss=stddev_samp(v)"' "$A" \
'{"window_start":0,"window_end":3600000,"m":1.75,"p":7.75,"p0":1,"vp":13.921875,"vs":18.5625,"sp":3.731202889149825,"ss":4.3084219849035215}'
t "sample variance of one value is null; of no value all are null" 0 'window-agg --tumble 1h -t t --time-format ms -a "vs=var_samp(v)" -a "vp=var_pop(v)" -a "m=median(v)" -a "l=listagg(v)" -a "c=collect(v)" -a "d=count_distinct(v)" -a "h=approx_count_distinct(v)"' '{"t":1,"v":3}
{"t":3600001}' \
'{"window_start":0,"window_end":3600000,"vs":null,"vp":0,"m":3,"l":"3","c":[3],"d":1,"h":1}
{"window_start":3600000,"window_end":7200000,"vs":null,"vp":null,"m":null,"l":null,"c":[],"d":0,"h":0}'
t "min and max of strings: byte order; numbers sort before strings" 0 'window-agg --tumble 1h -t t --time-format ms -a "lo=min(s)" -a "hi=max(s)"' '{"t":1,"s":"b"}
{"t":2,"s":"B"}
{"t":3,"s":"\u00e9"}
{"t":4,"s":"ba"}
{"t":3600001,"s":"a"}
{"t":3600002,"s":5}' \
'{"window_start":0,"window_end":3600000,"lo":"B","hi":"é"}
{"window_start":3600000,"window_end":7200000,"lo":5,"hi":"a"}'
t "aggregates of a session merge" 0 'window-agg --session 1s -t t --delay 1s --time-format ms -a "l=listagg(s)" -a "d=count_distinct(s)" -a "m=median(v)" -a "sd=stddev_pop(v)" -a "lo=min(s)"' '{"t":0,"s":"a","v":1}
{"t":1500,"s":"b","v":2}
{"t":800,"s":"c","v":3}' \
'{"window_start":0,"window_end":2500,"l":"a,b,c","d":3,"m":2,"sd":0.816496580927726,"lo":"a"}'
t "approx_count_distinct: within 2% at 200,000 values" 0 'seq 1 200000 | sed "s/.*/{\"t\":1,\"s\":\"v&\"}/" | window-agg --tumble 1h -t t -a "a=approx_count_distinct(s)" -a "e=count_distinct(s)" --window-fields end | sed "s/.*\"a\":\([0-9]*\),\"e\":\([0-9]*\).*/\1 \2/" | awk "{ d = \$1 - \$2; if (d < 0) d = -d; print (d <= 0.02 * \$2 ? \"within\" : \"off by \" d) }"' '' 'within'
t "approx_percentile: within 1% of the exact value" 0 '/usr/bin/python3 -c "import random; r = random.Random(5); [print(\"{\\\"t\\\":1,\\\"v\\\":%s}\" % r.choice([str(round(r.lognormvariate(3, 2), 3)), str(-round(r.uniform(0, 100), 2)), \"0\"])) for i in range(100000)]" > in.nd; window-agg --tumble 1d -t t -a "a=approx_percentile(v, 0.99)" -a "e=percentile(v, 0.99)" -a "a1=approx_percentile(v, 0.1)" -a "e1=percentile(v, 0.1)" < in.nd > out; /usr/bin/python3 -c "import json; r = json.load(open(\"out\")); print([abs(r[a] - r[e]) <= 0.01 * abs(r[e]) for a, e in ((\"a\", \"e\"), (\"a1\", \"e1\"))])"' '' '[True, True]'
t "approx_percentile: bounded memory keeps the high quantiles" 0 'seq -2000 2000 | awk "{ printf \"{\\\"t\\\":1,\\\"v\\\":%se%d}\\n\", (\$1 % 10 + 10) % 10 + 1, int(\$1 / 10) }" | window-agg --tumble 1d -t t --window-fields end -a "a=approx_percentile(v, 0.99)" -a "b=approx_percentile(v, 1)"' '' \
'{"window_end":"1970-01-02 00:00:00","a":9.983170909914627e+195,"b":1.0083170491769862e+200}'
t "aggregates agree with Python statistics and decimal" 0 'sh $T/ref/agg_check.sh' '' \
'5791 rows agree with Python'"'"'s statistics and decimal
5721 rows agree with Python'"'"'s statistics and decimal
5833 rows agree with Python'"'"'s statistics and decimal'
t "--max-values bounds what an aggregate keeps" 0 'window-agg --tumble 1h -t t --time-format ms -a "l=listagg(s)" -a "n=count()" --max-values 2 2>&1' '{"t":1,"s":"a"}
{"t":2,"s":"b"}
{"t":3,"s":"c"}
{"t":3600001,"s":"d"}' \
'window-agg: <stdin>:3: aggregate l: more than 2 values in one (window, key) (--max-values)
{"window_start":0,"window_end":3600000,"l":"a,b","n":2}
{"window_start":3600000,"window_end":7200000,"l":"d","n":1}
window-agg: 1 bad records skipped'
t "a field no record had: one warning" 0 'window-agg --tumble 1h -t t --time-format ms -a "z=sum(amoutn)" -a "n=count(p.q)" 2>&1' '{"t":1,"amount":1,"p":{"q":null}}
{"t":2,"amount":1}' \
'{"window_start":0,"window_end":3600000,"z":null,"n":0}
window-agg: z: no record had the field amoutn (misspelt?)'
t "avg beyond a double: an error under --on-error" 0 'window-agg --tumble 1h -t t --time-format ms -a "a=avg(v)" -a "s=sum(v)" 2>&1; echo "{\"t\":1,\"v\":1e400}" | window-agg --tumble 1h -t t --time-format ms -a "a=avg(v)" --on-error abort 2>&1; echo "exit $?"' '{"t":1,"v":1e400}
{"t":2,"v":1e300}' \
'window-agg: <stdin>:2: aggregate a of the row for {} ending 1970-01-01T01:00:00Z is beyond the range of a double (written as null)
{"window_start":0,"window_end":3600000,"a":null,"s":1e+400}
window-agg: 1 bad records skipped
window-agg: <stdin>:1: aggregate a of the row for {} ending 1970-01-01T01:00:00Z is beyond the range of a double (written as null)
{"window_start":0,"window_end":3600000,"a":null}
exit 65'
E='{"k":"a","v":5,"t":1}
{"k":"b","v":15,"t":2}
{"k":"c","t":3}
{"k":"a","v":"x","t":4}
{"k":"d","v":10.0,"t":5,"ok":true}
{"k":"e","v":null,"t":6,"ok":false}
{"k":"it'"'"'s","v":7,"t":7}'
t "--where: comparisons, in, exact decimals" 0 'window-agg --tumble 1h -t t --time-format ms --window-fields end -k k -a "s=sum(v)" --where "v >= 10.00 or k in ('"'a', 'c'"')" 2>&1' "$E" \
'window-agg: <stdin>:4: field v: expected a number, got a string
{"k":"a","window_end":3600000,"s":5}
{"k":"b","window_end":3600000,"s":15}
{"k":"c","window_end":3600000,"s":null}
{"k":"d","window_end":3600000,"s":10}
window-agg: 1 bad records skipped'
t "--where: missing and null are unknown, not (unknown) too" 0 'window-agg --tumble 1h -t t --time-format ms --window-fields end -k k --where "not (v < 10)"' "$E" \
'{"k":"b","window_end":3600000,"count":1}
{"k":"d","window_end":3600000,"count":1}'
t "--where: is null, booleans, and/or precedence, quotes" 0 'window-agg --tumble 1h -t t --time-format ms --window-fields end -k k --where "v is null and not ok or ok = true or k = '"'it''s'"' or k = \"c\""' "$E" \
'{"k":"c","window_end":3600000,"count":1}
{"k":"d","window_end":3600000,"count":1}
{"k":"e","window_end":3600000,"count":1}
{"k":"it'"'"'s","window_end":3600000,"count":1}'
t "--where: not in with a null in the list matches nothing" 0 'window-agg --tumble 1h -t t --time-format ms -k k --where "k not in ('"'a'"', null)"' "$E" ''
t "--where: a string compares only with strings (line 4 has v \"x\")" 0 'window-agg --tumble 1h -t t --time-format ms --window-fields end --where "v = '"'5'"' or v != '"'5'"'"' "$E" '{"window_end":3600000,"count":1}'
t "--having on the output row" 0 'window-agg --tumble 1h -t t --time-format ms --window-fields end -k k -a "n=count()" -a "s=sum(v)" --where "v is not null" --having "s > 9 and window_end = 3600000" 2>/dev/null' "$E" \
'{"k":"b","window_end":3600000,"n":1,"s":15}
{"k":"d","window_end":3600000,"n":1,"s":10}'
t "first and last of nothing are null" 0 'window-agg --tumble 1h -t t --time-format ms -a "f=first(x)" -a "s=sum(x)" -a "n=count(x)"' '{"t":1}' \
'{"window_start":0,"window_end":3600000,"f":null,"s":null,"n":0}'
t "ten times 0.1 is 1" 0 'for i in 1 2 3 4 5 6 7 8 9 10; do echo "{\"t\":$i,\"v\":0.1}"; done | window-agg --tumble 1s -t t --time-format ms -a "s=sum(v)" -a "a=avg(v)"' '' \
'{"window_start":0,"window_end":1000,"s":1,"a":0.1}'
t "big and exact" 0 'window-agg --tumble 1s -t t --time-format ms -a "s=sum(v)" -a "m=max(v)"' \
'{"t":1,"v":12345678901234567890.5}
{"t":2,"v":1e-10}
{"t":3,"v":1E+2}' \
'{"window_start":0,"window_end":1000,"s":12345678901234567990.5000000001,"m":12345678901234567890.5}'
t "several keys and dot paths" 0 'window-agg --tumble 1s -t p.t --time-format ms -k p.seller_id,region' \
'{"p":{"seller_id":"A","t":5},"region":"eu"}
{"p":{"seller_id":"A","t":6},"region":"us"}
{"p":{"seller_id":"A","t":7},"region":"eu"}
{"p":{"t":8},"region":7}' \
'{"seller_id":"A","region":"eu","window_start":0,"window_end":1000,"count":2}
{"seller_id":"A","region":"us","window_start":0,"window_end":1000,"count":1}
{"seller_id":null,"region":7,"window_start":0,"window_end":1000,"count":1}'
t "time units s, us and iso" 0 'cat > in; for u in a:s b:us c:iso; do window-agg --tumble 1s -t ${u%:*} --time-unit ${u#*:} --time-format ms < in; done' '{"a":1.5,"b":1500999,"c":"1970-01-01T00:00:01.5+00:00"}' \
'{"window_start":1000,"window_end":2000,"count":1}
{"window_start":1000,"window_end":2000,"count":1}
{"window_start":1000,"window_end":2000,"count":1}'
t "window times after 9999 read back" 0 'window-agg --tumble 1s -t t --time-format iso | window-agg --tumble 1s -t window_end --time-format ms' '{"t":888888888888888100}' \
'{"window_start":888888888888889000,"window_end":888888888888890000,"count":1}'
t "cascading windows: window_start as the next stage's time" 0 'window-agg --tumble 1s -t t -a "s=sum(v)" | window-agg --tumble 2s -t window_start --time-format ms -a "s=sum(s)"' '{"t":100,"v":1}
{"t":1500,"v":2}
{"t":2500,"v":4}
{"t":3999,"v":8}' \
'{"window_start":0,"window_end":2000,"s":3}
{"window_start":2000,"window_end":4000,"s":12}'
t "hop windows" 0 'window-agg --hop 3s --slide 1s -t t --time-format ms' '{"t":2500}' \
'{"window_start":0,"window_end":3000,"count":1}
{"window_start":1000,"window_end":4000,"count":1}
{"window_start":2000,"window_end":5000,"count":1}'
t "cumulate windows: each step's window from the start of the size grid" 0 'window-agg --cumulate 3s --step 1s -t t --time-format ms -a "s=sum(v)" --delay 500ms 2>&1' '{"t":500,"v":1}
{"t":1500,"v":2}
{"t":2500,"v":4}
{"t":3500,"v":8}
{"t":1200,"v":16}' \
'{"window_start":0,"window_end":1000,"s":1}
{"window_start":0,"window_end":2000,"s":3}
{"window_start":0,"window_end":3000,"s":7}
{"window_start":3000,"window_end":4000,"s":8}
{"window_start":3000,"window_end":5000,"s":8}
{"window_start":3000,"window_end":6000,"s":8}
window-agg: 1 late records dropped'
t "cumulate agrees with tumbling windows of the step, added up" 0 'salesgen -n 30000 -r 0 --seed 3 --start-ts 1713654885000 > in.nd; window-agg --cumulate 6s --step 2s -k seller_id -t sale_ts --time-format ms -a "s=sum(amount_usd)" < in.nd | sed "s/{\"seller_id\":\"\([A-Z]*\)\",\"window_start\":\([0-9]*\),\"window_end\":\([0-9]*\),\"s\":\([0-9]*\)}/\1 \2 \3 \4/" | sort > got; window-agg --tumble 2s -k seller_id -t sale_ts --time-format ms -a "s=sum(amount_usd)" < in.nd | sed "s/{\"seller_id\":\"\([A-Z]*\)\",\"window_start\":\([0-9]*\),\"window_end\":\([0-9]*\),\"s\":\([0-9]*\)}/\1 \2 \3 \4/" | awk "{ S = \$2 - \$2 % 6000; for (e = \$3; e <= S + 6000; e += 2000) s[sprintf(\"%s %.0f %.0f\", \$1, S, e)] += \$4 } END { for (k in s) printf \"%s %.0f\\n\", k, s[k] }" | sort > want; cmp want got && wc -l < got' '' '6002'
R='{"k":"a","t":100,"v":1}
{"k":"b","t":1500,"v":2}
{"k":"a","t":2100,"v":3}
{"k":"a","t":5000,"v":4}
{"k":"b","t":9000,"v":5}
{"k":"a","t":9500,"v":6}
{"k":"a","t":10100,"v":7}'
t "--emit-every: early rows of what changed, on the watermark's clock, then the final row" 0 'window-agg --tumble 10s -k k -t t --time-format ms -a "s=sum(v)" --emit-every 2s --row-kind op --early-field early' "$R" \
'{"k":"a","window_start":0,"window_end":10000,"s":4,"op":"+I","early":true}
{"k":"b","window_start":0,"window_end":10000,"s":2,"op":"+I","early":true}
{"k":"a","window_start":0,"window_end":10000,"s":8,"op":"+U","early":true}
{"k":"b","window_start":0,"window_end":10000,"s":7,"op":"+U","early":true}
{"k":"a","window_start":0,"window_end":10000,"s":14,"op":"+U","early":false}
{"k":"b","window_start":0,"window_end":10000,"s":7,"op":"+U","early":false}
{"k":"a","window_start":10000,"window_end":20000,"s":7,"op":"+I","early":true}
{"k":"a","window_start":10000,"window_end":20000,"s":7,"op":"+U","early":false}'
t "--row-kind with --retract: each replaced row withdrawn first" 0 'window-agg --tumble 10s -k k -t t --time-format ms -a "s=sum(v)" --emit-every 4s --row-kind op --retract --window-fields end' "$R" \
'{"k":"a","window_end":10000,"s":8,"op":"+I"}
{"k":"b","window_end":10000,"s":2,"op":"+I"}
{"k":"b","window_end":10000,"s":2,"op":"-U"}
{"k":"b","window_end":10000,"s":7,"op":"+U"}
{"k":"a","window_end":10000,"s":8,"op":"-U"}
{"k":"a","window_end":10000,"s":14,"op":"+U"}
{"k":"b","window_end":10000,"s":7,"op":"-U"}
{"k":"b","window_end":10000,"s":7,"op":"+U"}
{"k":"a","window_end":20000,"s":7,"op":"+I"}'
t "--row-kind: a late update is +U, after its -U" 0 'window-agg --tumble 1s -t t --time-format ms --lateness 1s --row-kind op --retract 2>/dev/null' '{"t":1}
{"t":1500}
{"t":999}
{"t":2000}
{"t":998}' \
'{"window_start":0,"window_end":1000,"count":1,"op":"+I"}
{"window_start":0,"window_end":1000,"count":1,"op":"-U"}
{"window_start":0,"window_end":1000,"count":2,"op":"+U"}
{"window_start":1000,"window_end":2000,"count":1,"op":"+I"}
{"window_start":2000,"window_end":3000,"count":1,"op":"+I"}'
t "the last +I/+U row of each (key, window) is the row of a plain run" 0 'salesgen -n 20000 -r 0 --seed 4 --start-ts 1713654885000 --disorder 3s > in.nd; window-agg --tumble 6s -k seller_id -t sale_ts --delay 1s --lateness 3s --emit-every 2s -a "s=sum(amount_usd)" --row-kind op --retract 2>/dev/null < in.nd | grep -v "\"op\":\"-U\"" | sed "s/,\"op\":\"+[IU]\"//" | tac | sort -s -u -t, -k1,3 | sort > last; window-agg --tumble 6s -k seller_id -t sale_ts --delay 4s -a "s=sum(amount_usd)" 2>/dev/null < in.nd | sort > plain; cmp last plain && wc -l < plain' '' '1336'
t "--top N --by: the largest of each window" 0 'window-agg --tumble 10s -k k -t t --time-format ms -a "s=sum(v)" -a "n=count()" --top 1 --by s' "$R" \
'{"k":"a","window_start":0,"window_end":10000,"s":14,"n":4}
{"k":"a","window_start":10000,"window_end":20000,"s":7,"n":1}'
t "--top --asc over hopping windows, nulls last" 0 'window-agg --hop 10s --slide 5s -k k -t t --time-format ms -a "s=sum(v)" --top 2 --by s --asc' "$R
{\"k\":\"c\",\"t\":1}" \
'{"k":"b","window_start":-5000,"window_end":5000,"s":2}
{"k":"a","window_start":-5000,"window_end":5000,"s":4}
{"k":"b","window_start":0,"window_end":10000,"s":7}
{"k":"a","window_start":0,"window_end":10000,"s":14}
{"k":"b","window_start":5000,"window_end":15000,"s":5}
{"k":"a","window_start":5000,"window_end":15000,"s":17}
{"k":"a","window_start":10000,"window_end":20000,"s":7}'
t "--top agrees with sort | head per window" 0 'salesgen -n 50000 -r 0 --seed 6 --start-ts 1713654885000 --sellers A,B,C,D,E,F,G,H > in.nd; window-agg --tumble 1m -k seller_id -t sale_ts --time-format ms -a "s=sum(amount_usd)" --top 3 --by s < in.nd > got; window-agg --tumble 1m -k seller_id -t sale_ts --time-format ms -a "s=sum(amount_usd)" < in.nd | sed "s/.*\"seller_id\":\"\(.\)\",\"window_start\":\([0-9]*\),.*\"s\":\([0-9]*\)}/\2 \3 \1/" | sort -k1,1n -k2,2nr -k3,3 | awk "n[\$1]++ < 3 { print \$1, \$3, \$2 }" > want; sed "s/.*\"seller_id\":\"\(.\)\",\"window_start\":\([0-9]*\),.*\"s\":\([0-9]*\)}/\2 \1 \3/" got > have; cmp want have && wc -l < have' '' '255'
t "session windows merge per key" 0 'window-agg --session 1s -k k -t t --time-format ms -a "n=count()"' \
'{"k":"a","t":0}
{"k":"b","t":500}
{"k":"a","t":900}
{"k":"a","t":1900}
{"k":"a","t":3000}' \
'{"k":"b","window_start":500,"window_end":1500,"n":1}
{"k":"a","window_start":0,"window_end":2900,"n":3}
{"k":"a","window_start":3000,"window_end":4000,"n":1}'
t "watermark: windows come out as soon as they close" 0 'window-agg --tumble 1s -t t --time-format ms | head -1' \
'{"t":1}
{"t":1000}' '{"window_start":0,"window_end":1000,"count":1}'
t "late records are dropped and counted" 0 'window-agg --tumble 1s -t t --time-format ms --late late.nd 2>err; cat late.nd; cat err' \
'{"t":1}
{"t":1500}
{"t":999}
{"t":1999}' \
'{"window_start":0,"window_end":1000,"count":1}
{"window_start":1000,"window_end":2000,"count":2}
{"t":999}
window-agg: 1 late records dropped, copied to late.nd'
t "--delay keeps windows open for out-of-order records" 0 'window-agg --tumble 1s -t t --time-format ms --delay 600ms' \
'{"t":1}
{"t":1500}
{"t":999}' \
'{"window_start":0,"window_end":1000,"count":2}
{"window_start":1000,"window_end":2000,"count":1}'
t "--lateness updates a fired window" 0 'window-agg --tumble 1s -t t --time-format ms --lateness 1s' \
'{"t":1}
{"t":1500}
{"t":999}
{"t":2000}
{"t":998}' \
'{"window_start":0,"window_end":1000,"count":1}
{"window_start":0,"window_end":1000,"count":2}
{"window_start":1000,"window_end":2000,"count":1}
{"window_start":2000,"window_end":3000,"count":1}'
P='{"p":0,"t":5000}
{"p":1,"t":100}
{"p":1,"t":2100}
{"p":0,"t":5100}
{"p":1,"t":6000}'
t "--partition-field without --partitions: a partition seen late is late" 0 'window-agg --tumble 1s -t t --time-format ms --partition-field p 2>&1' "$P" \
'{"window_start":5000,"window_end":6000,"count":2}
{"window_start":6000,"window_end":7000,"count":1}
window-agg: 2 late records dropped'
t "--partition-field: in order per partition is never late" 0 'window-agg --tumble 1s -t t --time-format ms --partition-field p --partitions 2' \
'{"p":0,"t":5000}
{"p":1,"t":100}
{"p":1,"t":2100}
{"p":0,"t":5100}
{"p":1,"t":6000}' \
'{"window_start":0,"window_end":1000,"count":1}
{"window_start":2000,"window_end":3000,"count":1}
{"window_start":5000,"window_end":6000,"count":2}
{"window_start":6000,"window_end":7000,"count":1}'
t "--after drops windows already emitted" 0 'window-agg --tumble 1s -t t --time-format ms --after 1970-01-01T00:00:01Z' \
'{"t":1}
{"t":1500}' '{"window_start":1000,"window_end":2000,"count":1}'
t "--max-keys rejects what does not fit" 0 'window-agg --tumble 1s -k k -t t --time-format ms --max-keys 2 2>err; cat err' \
'{"k":1,"t":1}
{"k":2,"t":1}
{"k":3,"t":1}' \
'{"k":1,"window_start":0,"window_end":1000,"count":1}
{"k":2,"window_start":0,"window_end":1000,"count":1}
window-agg: <stdin>:3: more than 2 open (window, key) states (--max-keys)
window-agg: 1 bad records skipped'
t "--max-keys: one message repeated is shown five times, then counted" 0 'seq 1 100000 | sed "s/.*/{\"k\":&,\"t\":1}/" | window-agg --tumble 1s -k k -t t --time-format ms --max-keys 2 --dead-letter dl 2>err | wc -l; cat err; wc -l < dl' '' \
'2
window-agg: <stdin>:3: more than 2 open (window, key) states (--max-keys)
window-agg: <stdin>:4: more than 2 open (window, key) states (--max-keys)
window-agg: <stdin>:5: more than 2 open (window, key) states (--max-keys)
window-agg: <stdin>:6: more than 2 open (window, key) states (--max-keys)
window-agg: <stdin>:7: more than 2 open (window, key) states (--max-keys)
window-agg: <stdin>: 99993 more lines rejected for the same reason as line 7 (not shown)
window-agg: 99998 bad records skipped, copied to dl
99998'
t "byte-identical replays" 0 'salesgen -n 200000 -r 0 --seed 5 --start-ts 1713654885000 --disorder 2s > in.nd || exit; for i in 1 2; do window-agg --tumble 6s -k seller_id -t sale_ts --delay 2s -a "s=sum(amount_usd)" -a "a=avg(amount_usd)" < in.nd > out$i || exit; done; cmp out1 out2 && [ $(wc -l < out1) -gt 10000 ] && echo same' '' 'same'
t "tutorial windows agree with an independent computation" 0 'salesgen -n 100000 -r 0 --seed 1 --start-ts 1713654885000 > in.nd; window-agg --tumble 6s --key seller_id --time-field sale_ts --time-format ms -a "window_sales=sum(amount_usd)" < in.nd | jq -r "[.window_start, .seller_id, .window_sales] | @tsv" | sort > got; jq -r "[(.sale_ts / 6000 | floor) * 6000, .seller_id, .amount_usd] | @tsv" < in.nd | awk -F"\t" "{s[\$1 \"\t\" \$2] += \$3} END {for (k in s) printf \"%s\t%d\n\", k, s[k]}" | sort > want; cmp want got && wc -l < got' '' '6672'
t "against the reference model of the event-time rules" 0 'sh $T/ref/check.sh' '' '24 streams agree with the reference model'

# processing time: windows close on the wall clock, stdin still open
t "processing time closes windows by timer" 0 '(echo "{\"k\":1}"; sh $T/until.sh 10 "[ -s out ]" && wc -l < out > first; echo "{\"k\":2}") | window-agg --tumble 1s -k k --time-format ms > out; cat first; wc -l < out' '' '1
2'
t "processing-time rows are on the wall clock" 0 'now=$(date +%s); echo "{}" | window-agg --tumble 1h --time-format ms | jq --argjson now "$now" "(.window_end - .window_start == 3600000) and (.window_start <= \$now * 1000) and (\$now * 1000 < .window_end)"' '' 'true'
# (the input paces itself by 0.1 s; the first row must be out before its
# last record, readiness polled: the input stays open until it is)
t "--idle: a partition never seen stops holding the watermark back" 0 '(i=0; while [ $i -lt 16 ]; do [ $i != 15 ] || { sh $T/until.sh 10 "[ -s out ]" && echo "out while input flows" > early; }; echo "{\"t\":$((i * 1000)),\"p\":$((i % 2))}"; sleep 0.1; i=$((i + 1)); done) | window-agg --tumble 1s -t t --partition-field p --partitions 3 --idle 600ms --time-format ms > out; head -n 1 out; cat early' '' \
'{"window_start":0,"window_end":1000,"count":1}
out while input flows'
t "--idle-advance lets the wall clock close event-time windows" 0 '(echo "{\"t\":1}"; sh $T/until.sh 10 "[ -s out ]" && echo "while input is open" > open) | window-agg --tumble 1s -t t --idle-advance 500ms --time-format ms > out; cat out open' '' \
'{"window_start":0,"window_end":1000,"count":1}
while input is open'
# --idle is Flink's source idle-timeout: a silent partition stops holding
# the watermark back, and the clock never moves event time; every
# partition silent (a quiet input, a broker failover), the watermark stays
t "--idle: a quiet input closes no window by the clock" 0 '(echo "{\"t\":1,\"p\":0}"; echo "{\"t\":2,\"p\":1}"; sleep 1.6; echo "after 1.6 s: $(wc -l < out) rows" > at; echo "{\"t\":900,\"p\":1}") | window-agg --tumble 1s -t t --partition-field p --idle 300ms --time-format ms > out 2> err; cat at out err' '' \
'after 1.6 s: 0 rows
{"window_start":0,"window_end":1000,"count":3}'
t "--idle: the watermark follows the partition that speaks" 0 '(echo "{\"t\":1000,\"p\":0}"; echo "{\"t\":1000,\"p\":1}"; for t in 1100 1200 1300 1400 1500; do sleep 0.15; echo "{\"t\":$t,\"p\":0}"; done; echo "{\"t\":2500,\"p\":0}"; echo "{\"t\":3500,\"p\":0}"; sh $T/until.sh 10 "[ \$(wc -l < out) -ge 2 ]" && echo "2 rows while 1 is silent" > at; echo "{\"t\":1200,\"p\":1}") | window-agg --tumble 1s -t t --partition-field p --idle 500ms --time-format ms > out 2> err; cat at out err' '' \
'2 rows while 1 is silent
{"window_start":1000,"window_end":2000,"count":7}
{"window_start":2000,"window_end":3000,"count":1}
{"window_start":3000,"window_end":4000,"count":1}
window-agg: 1 late records dropped'
t "--idle: a stall of the whole input makes no partition idle" 0 '(echo "{\"t\":1000,\"p\":0}"; echo "{\"t\":1000,\"p\":1}"; sleep 0.8; echo "{\"t\":2500,\"p\":0}"; echo "{\"t\":3500,\"p\":0}"; sleep 0.3; echo "{\"t\":1200,\"p\":1}") | window-agg --tumble 1s -t t --partition-field p --idle 500ms --time-format ms 2>&1' '' \
'{"window_start":1000,"window_end":2000,"count":3}
{"window_start":2000,"window_end":3000,"count":1}
{"window_start":3000,"window_end":4000,"count":1}'
t "without --idle a silent partition holds the watermark" 0 '(echo "{\"t\":1000,\"p\":0}"; echo "{\"t\":1000,\"p\":1}"; sleep 0.8; echo "{\"t\":2500,\"p\":0}"; echo "{\"t\":3500,\"p\":0}"; sleep 0.8; echo "after 1.6 s: $(wc -l < out) rows" > at; echo "{\"t\":1200,\"p\":1}") | window-agg --tumble 1s -t t --partition-field p --time-format ms > out 2> err; cat at out err' '' \
'after 1.6 s: 0 rows
{"window_start":1000,"window_end":2000,"count":3}
{"window_start":2000,"window_end":3000,"count":1}
{"window_start":3000,"window_end":4000,"count":1}'
# every record not counted in a window written is counted and said
t "records between hopping windows are counted" 0 'printf "%s\n" "{\"t\":500}" "{\"t\":1500}" "{\"t\":2100}" | window-agg --hop 1s --slide 2s -t t --time-format ms 2>&1' '' \
'{"window_start":0,"window_end":1000,"count":1}
{"window_start":2000,"window_end":3000,"count":1}
window-agg: 1 records between hopping windows (--slide larger than --hop): in no window'
t "records of windows --after skips are counted" 0 'printf "%s\n" "{\"t\":500}" "{\"t\":1500}" "{\"t\":2100}" | window-agg --tumble 1s --after 2000 -t t --time-format ms 2>&1' '' \
'{"window_start":2000,"window_end":3000,"count":1}
window-agg: 2 records only in windows written already (ending at or before --after, or the after of an assign line): not counted again'
t "session rows --after skips are counted" 0 'printf "%s\n" "{\"t\":500}" "{\"t\":900}" "{\"t\":5000}" | window-agg --session 1s --after 2000 -t t --time-format ms 2>&1' '' \
'{"window_start":5000,"window_end":6000,"count":1}
window-agg: 1 session rows ending at or before --after: not written'
te "--idle needs --partition-field" 64 'window-agg --tumble 1s -t t --idle 1s' '' 'window-agg: --idle goes with --partition-field'
te "--idle-advance needs event time" 64 'window-agg --tumble 1s --idle-advance 1s' '' '--idle-advance and --partition-field need event time'
t "--emit-every on processing time: early rows by timer" 0 '(echo "{\"k\":1}"; sleep 1.6; echo "{\"k\":1}"; sleep 1.3) | window-agg --tumble 1d -k k --emit-every 1s --early-field e --row-kind op -a "n=count()" --window-fields start | sed "s/\"window_start\":\"[^\"]*\",//"' '' \
'{"k":1,"n":1,"op":"+I","e":true}
{"k":1,"n":2,"op":"+U","e":true}
{"k":1,"n":2,"op":"+U","e":false}'
t "--idle, --idle-advance on a quiet input wait, they do not spin" 0 'f=$(( $(date +%s) * 1000 + 60000 )); sleep 3 | /usr/bin/time -f "%U %S" -o a window-agg --tumble 6s -k k -t t --idle-advance 300ms; (echo "{\"t\":$f}"; sleep 3) | /usr/bin/time -f "%U %S" -o b window-agg --tumble 6s -k k -t t --idle-advance 300ms > /dev/null; (echo "{\"t\":$f,\"p\":0}"; sleep 3) | /usr/bin/time -f "%U %S" -o c window-agg --tumble 6s -k k -t t --partition-field p --partitions 2 --idle 300ms > /dev/null; cat a b c | awk "{ s += \$1 + \$2 } END { print (s < 0.5 ? \"quiet\" : \"spins: \" s \" s of CPU in 6 s\") }"' '' 'quiet'
t "SIGTERM: complete windows out, open ones not" 0 '(echo "{\"t\":1}"; echo "{\"t\":1000}"; sleep 5) | window-agg --tumble 1s -t t --time-format ms > out 2> err & sh $T/until.sh 10 "[ -s out ]"; kill -TERM $!; wait; cat out err' '' \
'{"window_start":0,"window_end":1000,"count":1}
window-agg: stopped: 1 open (window, key) rows not emitted (to have them, end the input instead: Ctrl-D, or stop the command before window-agg)'

# bad input
t "bad lines are reported with their line number and skipped" 0 'window-agg --tumble 1h -t t --time-format ms -a "s=sum(a)" 2>err; cat err' \
'{"a":1}
[1]
{"a":
{"a":"x","t":1}
{"a":1,"t":1} x
{"t":"now","a":1}
{"a":1e999999999999,"t":1}
{"a":2,"k":{"x":1},"t":2}

{"t":3,"a":2}' \
'{"window_start":0,"window_end":3600000,"s":4}
window-agg: <stdin>:1: time field t: missing
window-agg: <stdin>:2: expected a JSON object, got an array
window-agg: <stdin>:3: invalid JSON: truncated (the line ends inside a value)
window-agg: <stdin>:4: field a: expected a number, got a string
window-agg: <stdin>:5: invalid JSON near byte 15: lexical error: invalid char in json text.
window-agg: <stdin>:6: time field t: expected an ISO-8601 time string
window-agg: <stdin>:7: field a: number out of range
window-agg: 7 bad records skipped'
t "a time field that is an object or an array is bad input" 0 'window-agg --tumble 1s -t t --time-unit s --time-format ms 2>&1' \
'{"t":{"s":1}}
{"t":[1]}
{"t":1}' \
'window-agg: <stdin>:1: time field t: expected epoch time as a number in range (see --time-unit)
window-agg: <stdin>:2: time field t: expected epoch time as a number in range (see --time-unit)
{"window_start":1000,"window_end":2000,"count":1}
window-agg: 2 bad records skipped'
t "an empty string as the first value read" 0 'window-agg --tumble 1s -k k -t t --time-format ms -a "f=first(k)"' '{"k":"","t":1}' \
'{"k":"","window_start":0,"window_end":1000,"f":""}'
t "key field must be a value" 65 'window-agg --tumble 1h -k k -t t 2>&1 >/dev/null' '{"k":[1],"t":1}' \
'window-agg: <stdin>:1: key field k: expected a value, got an array
window-agg: 1 bad records skipped
window-agg: every one of the 1 records read was rejected'
t "a dead-letter file that cannot be written: exit 74" 0 'printf "{bad\n{\"t\":1}\n" | window-agg --tumble 1h -t t --time-format ms -a "n=count()" --dead-letter /dev/full 2>err; echo "exit $?"; grep -c "^window-agg: --dead-letter /dev/full: " err' '' \
'{"window_start":0,"window_end":3600000,"n":1}
exit 74
1'
t "dead letter holds the rejected lines byte for byte" 0 'printf "{\"t\":1}\r\n{bad\r\n\377\n{\"t\":2}" | window-agg --tumble 1h -t t --dead-letter dl 2>/dev/null; od -c dl | head -3' '' \
'{"window_start":"1970-01-01 00:00:00","window_end":"1970-01-01 01:00:00","count":2}
0000000   {   b   a   d  \n 377  \n
0000007'
t "--on-error=abort stops with 65 and keeps what was complete" 65 'window-agg --tumble 1s -t t --time-format ms --on-error=abort' \
'{"t":1}
{"t":1000}
nope
{"t":2000}' '{"window_start":0,"window_end":1000,"count":1}'
t "--max-line" 0 'window-agg --tumble 1h -t t --time-format ms --max-line 20 2>&1' \
'{"t":1,"padding":"xxxxxxxxxxxxxxxxxxxxxxx"}
{"t":2}' \
'window-agg: <stdin>:1: line longer than --max-line 20 bytes
{"window_start":0,"window_end":3600000,"count":1}
window-agg: 1 bad records skipped'
t "empty input" 0 'window-agg --tumble 1s' '' ''
t "downstream gone while waiting for input: exits at once, quietly" 0 'for a in "-t t" "-k k"; do s=$(date +%s%N); ( (echo "{\"t\":1}"; sleep 4) | { window-agg --tumble 1h $a 2>err; echo "exit $?" > rc; date +%s%N > end; } ) | sleep 0.3; while [ ! -s end ]; do sleep 0.1; done; ms=$(( ($(cat end) - s) / 1000000 )); echo "$(cat rc) $([ $ms -ge 300 ] && [ $ms -lt 2000 ] && echo "within 2 s" || echo "after $ms ms")"; cat err; rm end; done' '' \
'exit 0 within 2 s
exit 0 within 2 s'
t "downstream closed: quiet" 0 'salesgen -n 300000 -r 0 --seed 1 --start-ts 0 | window-agg --tumble 1ms -t sale_ts 2>err | head -1 > first; echo "exit $?"; wc -c < err; wc -l < first' '' 'exit 0
0
1'

# usage
te "no window" 64 'window-agg' '' 'choose one of --tumble, --hop, --session and --cumulate'
te "two windows" 64 'window-agg --tumble 1s --session 1s' '' 'choose one of'
te "bad duration" 64 'window-agg --tumble 5x' '' "window-agg: --tumble: '5x' is not a duration"
te "zero duration" 64 'window-agg --tumble 0' '' 'is too short'
te "cumulate without step" 64 'window-agg --cumulate 6s' '' '--cumulate needs --step'
te "cumulate size not a multiple of step" 64 'window-agg --cumulate 5s --step 2s' '' '--cumulate: the size is not a whole number of --step'
te "step without cumulate" 64 'window-agg --tumble 5s --step 1s' '' '--step goes with --cumulate'
te "--retract without --row-kind" 64 'window-agg --tumble 1s --retract' '' '--retract needs --row-kind'
te "--top without --by" 64 'window-agg --tumble 1s --top 3' '' '--top needs --by'
te "--top --by a name not an aggregate" 64 'window-agg --tumble 1s --top 3 --by x' '' '--by x: not an aggregate'"'"'s name'
te "--top with --emit-every" 64 'window-agg --tumble 1s --top 3 --by count --emit-every 1s' '' 'not with --session, --lateness or --emit-every'
te "--row-kind named like an aggregate" 64 'window-agg --tumble 1s -a "op=count()" --row-kind op' '' 'two output fields named op'
te "hop without slide" 64 'window-agg --hop 1s' '' '--hop needs --slide'
te "unknown function" 64 'window-agg --tumble 1s -a "x=mode(a)"' '' "unknown function 'mode' (sum, count, avg, min, max, first, last, count_distinct, approx_count_distinct, listagg, collect, median, percentile, approx_percentile, var_pop, var_samp, stddev_pop, stddev_samp)"
te "count(distinct x) names the right spelling" 64 'window-agg --tumble 1s -a "x=count(distinct seller_id)"' '' 'window-agg: -a x=count(distinct seller_id): no DISTINCT inside a function; write x=count_distinct(seller_id)'
te "percentile needs a fraction" 64 'window-agg --tumble 1s -a "x=percentile(a)"' '' 'percentile(FIELD, P) takes a fraction P from 0 to 1'
te "percentile above 1" 64 'window-agg --tumble 1s -a "x=percentile(a, 1.01)"' '' 'percentile(FIELD, P) takes a fraction P from 0 to 1'
te "listagg separator unquoted" 64 'window-agg --tumble 1s -a "x=listagg(a, ;)"' '' "the separator is a quoted string, as in listagg(f, '; ')"
te "sum takes one field" 64 'window-agg --tumble 1s -a "x=sum(a, b)"' '' 'sum() takes one field'
te "--where: an operand missing" 64 'window-agg --tumble 1s --where "v >"' '' 'window-agg: --where v >: at the end: expected a field, a number or a quoted string'
te "--where: a string not closed" 64 'window-agg --tumble 1s --where "v = '"'abc"'"' '' "near ''abc' (byte 5): expected the closing quote"
te "--having: trailing words" 64 'window-agg --tumble 1s --having "n = 1 x"' '' "--having n = 1 x: near 'x' (byte 7): expected and, or, or the end"
te "--where: in without a list" 64 'window-agg --tumble 1s --where "k in 1"' '' "expected '('"
te "bad aggregate" 64 'window-agg --tumble 1s -a sum' '' 'expected NAME=FUNC(FIELD)'
te "sum needs a field" 64 'window-agg --tumble 1s -a "x=sum()"' '' 'sum() needs a field'
te "name twice" 64 'window-agg --tumble 1s -a "x=sum(a)" -a "x=max(a)"' '' 'the name x is used twice'
te "two keys ending alike" 64 'window-agg --tumble 1s -k p.k,k' '' 'two output fields named k (a key is named by its path'"'"'s last part)'
te "an aggregate named like a key" 64 'window-agg --tumble 1s -k k -a "k=count()"' '' 'two output fields named k (a key is named by its path'"'"'s last part)'
te "a key named window_end" 64 'window-agg --tumble 1s -k window_end' '' 'two output fields named window_end (a key is named by its path'"'"'s last part)'
te "--window-fields: unknown name" 64 'window-agg --tumble 1s --window-fields middle' '' "--window-fields: 'middle' is not start, end or start,end"
te "--window-fields: a name twice" 64 'window-agg --tumble 1s --window-fields end,end' '' "--window-fields: 'end,end' is not start, end or start,end"
te "--window-fields: empty" 64 'window-agg --tumble 1s --window-fields ,' '' "--window-fields: ',' is not start, end or start,end"
te "delay needs event time" 64 'window-agg --tumble 1s --delay 1s' '' 'need event time'
te "bad time unit" 64 'window-agg --tumble 1s -t t --time-unit h' '' "--time-unit: 'h' is not ms, s, us or iso"
te "bad time format" 64 'window-agg --tumble 1s --time-format x' '' "--time-format: 'x' is not sql, iso or ms"
te "bad on-error" 64 'window-agg --tumble 1s --on-error=maybe' '' "--on-error: 'maybe' is not skip or abort"
te "empty key part" 64 'window-agg --tumble 1s -k a..b' '' 'empty name in dot path'
te "too many hop windows" 64 'window-agg --hop 1d --slide 1ms' '' 'more than 1000 windows per record'
t "help" 0 'window-agg --help | head -1' '' 'usage: window-agg (--tumble size | --hop size --slide step | --session gap |'

# memory: state is freed as windows close, so RSS does not grow with the stream
# (not measured under the sanitizers, whose allocator keeps freed memory)
t "flat memory over 10 million records" 0 '[ "${KP_SANITIZE:-}" != 1 ] || { echo "SANITIZE=1: ASan memory is no figure" >&2; exit 77; }; for n in 1000000 10000000; do salesgen -n $n -r 0 --seed 1 --start-ts 0 --sellers $(seq -s, 1 50) | /usr/bin/time -f %M -o rss.$n window-agg --tumble 6s -k seller_id -t sale_ts -a "s=sum(amount_usd)" | wc -l > rows.$n || exit; done; a=$(cat rss.1000000); b=$(cat rss.10000000); echo "$a $b" >&2; [ $(cat rows.10000000) -gt $(cat rows.1000000) ] && [ $((b - a)) -lt 1024 ] && echo flat' '' 'flat'
t "sum rounds half-even once at 38 digits (decimal128)" 0 'window-agg --tumble 1d -t t --time-format ms -a "s=sum(v)"' '{"t":0,"v":10000000000000000000000000000000000001}
{"t":0,"v":0.5}
{"t":86400000,"v":99999999999999999999999999999999999999}
{"t":86400000,"v":0.5}' '{"window_start":0,"window_end":86400000,"s":10000000000000000000000000000000000002}
{"window_start":86400000,"window_end":172800000,"s":100000000000000000000000000000000000000}'

# --idle-advance and a backlog that comes late (a -G member waiting for
# its rebalance): the idle clock runs from the latest record, not the
# wall clock, and not before the first record
t "--idle-advance: a backlog after a slow start is not late" 0 '(sleep 1.2; echo "{\"t\":1000}"; echo "{\"t\":1500}"; echo "{\"t\":2500}") | window-agg --tumble 1s -t t --idle-advance 500ms --time-format ms 2>&1' '' \
'{"window_start":1000,"window_end":2000,"count":2}
{"window_start":2000,"window_end":3000,"count":1}'
t "--idle-advance: a pause in a backlog moves event time by the pause only" 0 '(echo "{\"t\":1000}"; sleep 1.2; echo "{\"t\":2300}"; echo "{\"t\":2600}") | window-agg --tumble 1s -t t --idle-advance 500ms --time-format ms 2>&1' '' \
'{"window_start":1000,"window_end":2000,"count":1}
{"window_start":2000,"window_end":3000,"count":2}'
t "--idle: a partition unseen counts as idle from the first record on" 0 '(sleep 1.2; echo "{\"t\":5000,\"p\":0}"; sleep 0.3; echo "{\"t\":1000,\"p\":1}") | window-agg --tumble 1s -t t --partition-field p --partitions 2 --idle 1s --time-format ms 2>&1' '' \
'{"window_start":1000,"window_end":2000,"count":1}
{"window_start":5000,"window_end":6000,"count":1}'

# --position-field: the last row of each batch says from which offset
# of each partition the windows still open can be rebuilt (a late record
# only moves its partition on); rows written at the end of input carry none
t "--position-field on the last row of each batch" 0 'window-agg --tumble 1s -k payload.k -t payload.t --time-format ms --position-field _pos < $T/data/position.ndjson 2>&1' '' \
'{"k":"a","window_start":1000,"window_end":2000,"count":1}
{"k":"b","window_start":1000,"window_end":2000,"count":1,"_pos":"s 2000 0:1 1:1"}
{"k":"a","window_start":2000,"window_end":3000,"count":1}
{"k":"b","window_start":2000,"window_end":3000,"count":1,"_pos":"s 3000 0:2 1:2"}
{"k":"a","window_start":3000,"window_end":4000,"count":1,"_pos":"s 4000 0:3 1:3"}
{"k":"b","window_start":4000,"window_end":5000,"count":1}
window-agg: 1 late records dropped
window-agg: end of input: 1 rows of the windows ending 1970-01-01T00:00:05Z, beyond the watermark, written without a position (not provably complete: a later record may fall in them); ksink --exactly-once (or --position-field) leaves them to the next run'
t "--position-field with --after: on the last row written" 0 'window-agg --tumble 1s -k payload.k -t payload.t --time-format ms --position-field _pos --after 3000 < $T/data/position.ndjson 2>&1' '' \
'{"k":"a","window_start":3000,"window_end":4000,"count":1,"_pos":"s 4000 0:3 1:3"}
{"k":"b","window_start":4000,"window_end":5000,"count":1}
window-agg: 5 records only in windows written already (ending at or before --after, or the after of an assign line): not counted again
window-agg: end of input: 1 rows of the windows ending 1970-01-01T00:00:05Z, beyond the watermark, written without a position (not provably complete: a later record may fall in them); ksink --exactly-once (or --position-field) leaves them to the next run'
t "--position-field with --having: a batch whose last row is left out sends its position on a control line" 0 'window-agg --tumble 1s -k payload.k -t payload.t --time-format ms --position-field _pos --having "k = '"'"'a'"'"'" < $T/data/position.ndjson 2>&1' '' \
'{"k":"a","window_start":1000,"window_end":2000,"count":1}
{"kp_control":"position","_pos":"s 2000 0:1 1:1"}
{"k":"a","window_start":2000,"window_end":3000,"count":1}
{"kp_control":"position","_pos":"s 3000 0:2 1:2"}
{"k":"a","window_start":3000,"window_end":4000,"count":1,"_pos":"s 4000 0:3 1:3"}
window-agg: 1 late records dropped'
t "--having with no row of a batch passing: the positions alone" 0 'window-agg --tumble 1s -k payload.k -t payload.t --time-format ms --position-field _pos --having "count > 5" < $T/data/position.ndjson 2>/dev/null' '' \
'{"kp_control":"position","_pos":"s 2000 0:1 1:1"}
{"kp_control":"position","_pos":"s 3000 0:2 1:2"}
{"kp_control":"position","_pos":"s 4000 0:3 1:3"}'
# control lines (ksource -J --from-group): partition 0's windows up to
# 2000 are written already (its record at 1500 is neither counted nor
# late); a revoke drops the open windows, answers with the position to
# rebuild them from and the fence, and starts again for the assignment
t "--position-field reads assign and revoke control lines" 0 'window-agg --tumble 1s -k payload.k -t payload.t --time-format ms --position-field _pos < $T/data/control.ndjson 2>&1' '' \
'{"k":"b","window_start":1000,"window_end":2000,"count":1,"_pos":"s 2000 0:6 1:1"}
{"k":"a","window_start":2000,"window_end":3000,"count":1,"_pos":"s 3000 0:7 1:1"}
{"kp_control":"fence","_pos":"s 3000 0:7 1:1 !77.1"}
window-agg: revoked at line 8: 2 open (window, key) rows of 2 records dropped, for the next owner of the partitions
{"k":"b","window_start":3000,"window_end":4000,"count":1,"_pos":"s 4000 1:2"}
{"k":"b","window_start":5000,"window_end":6000,"count":1}
window-agg: 1 records only in windows written already (ending at or before --after, or the after of an assign line): not counted again
window-agg: 2 records held in open windows dropped at revokes: the next owner of their partitions reads them again
window-agg: end of input: 1 rows of the windows ending 1970-01-01T00:00:06Z, beyond the watermark, written without a position (not provably complete: a later record may fall in them); ksink --exactly-once (or --position-field) leaves them to the next run'
t "control lines are skipped without --position-field" 0 'window-agg --tumble 1s -k payload.k -t payload.t --time-format ms < $T/data/control.ndjson 2>&1 | head -3' '' \
'window-agg: <stdin>:1: control lines (ksource -J --from-group) are skipped without --position-field
{"k":"a","window_start":1000,"window_end":2000,"count":1}
{"k":"b","window_start":1000,"window_end":2000,"count":1}'
t "a bad control line is a bad line" 65 'printf "%s\n" "{\"kp_control\":\"assign\",\"topic\":\"s\"}" "{\"kp_control\":\"resize\",\"topic\":\"s\"}" "{\"kp_control\":\"revoke\",\"topic\":\"s\",\"fence\":\"a b\"}" | window-agg --tumble 1s -t t --position-field p 2>&1' '' \
'window-agg: <stdin>:1: assign: no partition, or a bad offset, after, wm or next
window-agg: <stdin>:2: control line: resize: not assign or revoke
window-agg: <stdin>:3: revoke: no fence token
window-agg: 3 bad records skipped
window-agg: every one of the 3 records read was rejected'
te "--position-field needs event time" 64 'window-agg --tumble 1s --position-field p' '' 'window-agg: --position-field needs event time'
te "--position-field and --lateness" 64 'window-agg --tumble 1s -t t --lateness 1s --position-field p' '' 'window-agg: --position-field needs event time'
t "--position-field: a record without an offset is rejected" 65 'echo "{\"topic\":\"s\",\"partition\":0,\"t\":1}" | window-agg --tumble 1s -t t --position-field p 2>&1' '' \
'window-agg: <stdin>:1: --position-field: no topic, partition and offset (read ksource -J)
window-agg: 1 bad records skipped
window-agg: every one of the 1 records read was rejected'
t "--position-field: one topic only" 0 'printf "%s\n" "{\"topic\":\"s\",\"partition\":0,\"offset\":0,\"t\":1}" "{\"topic\":\"u\",\"partition\":0,\"offset\":0,\"t\":2}" | window-agg --tumble 1s -t t --time-format ms --position-field p 2>&1' '' \
'window-agg: <stdin>:2: --position-field: topic u: one topic only (s before; ksource --exactly-once reads several)
{"window_start":0,"window_end":1000,"count":1}
window-agg: end of input: 1 rows of the windows ending 1970-01-01T00:00:01Z, beyond the watermark, written without a position (not provably complete: a later record may fall in them); ksink --exactly-once (or --position-field) leaves them to the next run
window-agg: 1 bad records skipped'
t "every record rejected under --on-error skip is exit 65, said once" 65 'window-agg --tumble 1m -k user -t ms -a "n=count()" 2>&1' '{"user":"u1","page":"/a","bytes":10}
{"user":"u2","page":"/b","bytes":20}' \
'window-agg: <stdin>:1: time field ms: missing
window-agg: <stdin>:2: time field ms: missing
window-agg: 2 bad records skipped
window-agg: every one of the 2 records read was rejected'
t "one good record among rejected ones is a success" 0 'window-agg --tumble 1m -k user -t ms --time-format ms -a "n=count()" 2>/dev/null' '{"user":"u1","ms":5}
{"user":"u2"}' '{"user":"u1","window_start":0,"window_end":60000,"n":1}'
t "records left out by --where are not rejected" 0 'window-agg --tumble 1m -t ms --where "bytes > 100" 2>&1' '{"user":"u1","ms":5,"bytes":10}' ''
# an exactly-once stream (ksource --exactly-once, ctl.h): plain records of
# a user's own shape under at lines; window-agg keeps the positions with
# no flag, passes the job and member lines, takes the assign and at
# lines, counts the skip line and the rejected record as offsets, and
# writes each batch's position as a line of its own
t "exactly-once stream: position lines after each batch" 0 'window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" -a "b=sum(bytes)" < $T/data/eo-stream.ndjson 2>/dev/null' '' \
'{"kp_control":"job","group":"cpm","topic":"clicks","txn":"kappa-pipes.cpm.h.1"}
{"kp_control":"member","gm":"AAEC"}
{"page":"/a","window_start":1000,"window_end":2000,"n":2,"b":400}
{"page":"/b","window_start":1000,"window_end":2000,"n":1,"b":200}
{"kp_control":"position","position":"clicks 2000 0:12 1:3"}
{"page":"/a","window_start":2000,"window_end":3000,"n":1,"b":400}
{"page":"/b","window_start":2000,"window_end":3000,"n":1,"b":500}
{"kp_control":"position","position":"clicks 3000 0:13 1:4"}
{"page":"/a","window_start":3000,"window_end":4000,"n":1,"b":600}
{"page":"/b","window_start":3000,"window_end":4000,"n":1,"b":700}'
t "exactly-once stream: --having keeps the position of a batch it filters out" 0 'window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" --having "n > 1" < $T/data/eo-stream.ndjson 2>/dev/null | grep -v "\"job\"\|\"member\""' '' \
'{"page":"/a","window_start":1000,"window_end":2000,"n":2}
{"kp_control":"position","position":"clicks 2000 0:12 1:3"}
{"kp_control":"position","position":"clicks 3000 0:13 1:4"}'
t "exactly-once stream: --hop holds a record to its last window" 0 'window-agg --hop 2s --slide 1s -k page -t ms --time-format ms -a "n=count()" < $T/data/eo-stream.ndjson 2>/dev/null | grep position' '' \
'{"kp_control":"position","position":"clicks 2000 0:10 1:0"}
{"kp_control":"position","position":"clicks 3000 0:12 1:3"}'
te "exactly-once stream: a session window is refused at the job line" 64 'window-agg --session 1s -k page -t ms --time-format ms < $T/data/eo-stream.ndjson' '' \
'<stdin>:1: an exactly-once stream (ksource --exactly-once) needs event time (--time-field) and --tumble, --hop or --cumulate; not yet --session'
te "exactly-once stream: not with --position-field" 64 'window-agg --tumble 1s -k page -t ms --time-format ms --position-field _pos < $T/data/eo-stream.ndjson' '' \
'keeps its positions in control lines: no --position-field'
te "exactly-once stream: a record before any at line" 65 'window-agg --tumble 1s -k page -t ms --time-format ms --on-error abort' '{"kp_control":"job","group":"g","topic":"t","txn":"x"}
{"page":"/a","ms":1}' \
'<stdin>:2: a record before the first at line of an exactly-once stream'
te "exactly-once stream: two window-aggs in a row" 65 'window-agg --tumble 1s -k page -t ms --time-format ms < $T/data/eo-stream.ndjson | window-agg --tumble 2s -k page -t window_end --time-format ms --on-error abort' '' \
'<stdin>:3: a record before the first at line of an exactly-once stream (one window-agg takes them'
# every option of window-agg on an exactly-once stream: accepted (exit 0,
# with its position lines) or refused at the job line (64); --on-error
# abort stops at the stream's bad record (65)
t "exactly-once stream: every option, accepted or refused" 0 'for o in "" "--delay 500ms" "--lateness 1s" "--late late.nd" "--idle-advance 1s" "--partition-field page" "--align 100ms" "--time-format sql" "--time-format iso" "--window-fields start" "--local-time" "--after 2000" "--max-keys 1" "--max-values 5" "--where bytes>150" "--having n>1" "--emit-every 1s" "--emit-every 1s --row-kind k" "--emit-every 1s --row-kind k --retract" "--lateness 1s --row-kind k --retract" "--row-kind k" "--row-kind k --retract" "--early-field e" "--top 1 --by n" "--progress" "--on-error abort" "--dead-letter dl.nd" "--max-line 100" "--position-field p" "--hop 2s --slide 1s" "--cumulate 2s --step 1s" "--session 1s"; do case $o in --hop*|--cum*|--ses*) w=$o o= ;; *) w="--tumble 1s" ;; esac; rc=0; window-agg $w -k page -t ms --time-format ms -a n=count\(\) $o < $T/data/eo-stream.ndjson > o.nd 2> e.txt || rc=$?; echo "${w%% *} $o: $rc $(grep -c "\"position\"" o.nd)"; done; rc=0; window-agg --tumble 1s -k page < $T/data/eo-stream.ndjson > /dev/null 2> e.txt || rc=$?; echo "processing time: $rc"' '' \
'--tumble : 0 2
--tumble --delay 500ms: 0 1
--tumble --lateness 1s: 0 2
--tumble --late late.nd: 0 2
--tumble --idle-advance 1s: 64 0
--tumble --partition-field page: 0 2
--tumble --align 100ms: 0 2
--tumble --time-format sql: 0 2
--tumble --time-format iso: 0 2
--tumble --window-fields start: 0 2
--tumble --local-time: 0 2
--tumble --after 2000: 0 1
--tumble --max-keys 1: 0 2
--tumble --max-values 5: 0 2
--tumble --where bytes>150: 0 2
--tumble --having n>1: 0 2
--tumble --emit-every 1s: 0 2
--tumble --emit-every 1s --row-kind k: 0 2
--tumble --emit-every 1s --row-kind k --retract: 0 2
--tumble --lateness 1s --row-kind k --retract: 0 2
--tumble --row-kind k: 0 2
--tumble --row-kind k --retract: 0 2
--tumble --early-field e: 0 2
--tumble --top 1 --by n: 0 2
--tumble --progress: 0 2
--tumble --on-error abort: 65 0
--tumble --dead-letter dl.nd: 0 2
--tumble --max-line 100: 0 2
--tumble --position-field p: 64 0
--hop : 0 2
--cumulate : 0 2
--session : 64 0
processing time: 64'
# --lateness on an exactly-once stream: a partition's position carries
# the watermark (@WM: windows past end + lateness are closed for good) and
# the next offset (+NEXT: records below it are in the rows written); a
# restart rebuilds the windows written but still open without writing
# them again, and holds back their updates until every partition is read
# again up to its NEXT (p1's old record comes after p0's new one here)
L1='{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"kp_control":"assign","topic":"clicks","partition":0,"offset":0}
{"kp_control":"assign","topic":"clicks","partition":1,"offset":0}
{"kp_control":"at","partition":0,"offset":0}
{"page":"/a","ms":1100}
{"page":"/a","ms":1200}
{"kp_control":"at","partition":1,"offset":0}
{"page":"/a","ms":1300}
{"kp_control":"at","partition":0,"offset":2}
{"page":"/a","ms":2100}
{"page":"/a","ms":1500}
{"page":"/a","ms":3100}'
t "exactly-once stream, --lateness: the position carries WM and NEXT" 0 'window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" --lateness 2s --row-kind k 2>/dev/null' "$L1" \
'{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"page":"/a","window_start":1000,"window_end":2000,"n":3,"k":"+I"}
{"kp_control":"position","position":"clicks 2000 0:0@2100+3 1:0@2100+1"}
{"page":"/a","window_start":1000,"window_end":2000,"n":4,"k":"+U"}
{"page":"/a","window_start":2000,"window_end":3000,"n":1,"k":"+I"}
{"kp_control":"position","position":"clicks 3000 0:0@3100+5 1:0@3100+1"}
{"page":"/a","window_start":3000,"window_end":4000,"n":1,"k":"+I"}'
L2='{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"kp_control":"assign","topic":"clicks","partition":0,"offset":0,"after":3000,"wm":3100,"next":5}
{"kp_control":"assign","topic":"clicks","partition":1,"offset":0,"after":3000,"wm":3100,"next":1}
{"kp_control":"at","partition":0,"offset":0}
{"page":"/a","ms":1100}
{"page":"/a","ms":1200}
{"page":"/a","ms":2100}
{"page":"/a","ms":1500}
{"page":"/a","ms":3100}
{"page":"/a","ms":1600}
{"kp_control":"at","partition":1,"offset":0}
{"page":"/a","ms":1300}
{"kp_control":"at","partition":0,"offset":6}
{"page":"/a","ms":4200}
{"page":"/a","ms":1700}'
t "exactly-once stream, --lateness: a restart writes updates for new records only, complete" 0 'window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" --lateness 2s --row-kind k 2>&1' "$L2" \
'{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"page":"/a","window_start":1000,"window_end":2000,"n":5,"k":"+U"}
{"page":"/a","window_start":3000,"window_end":4000,"n":1,"k":"+I"}
{"kp_control":"position","position":"clicks 4000 0:2@4200+7 1:1@4200"}
{"page":"/a","window_start":4000,"window_end":5000,"n":1,"k":"+I"}
window-agg: 1 late records dropped
window-agg: end of input: 1 rows of the windows ending 1970-01-01T00:00:05Z, beyond the watermark, written without a position (not provably complete: a later record may fall in them); ksink --exactly-once (or --position-field) leaves them to the next run'
# --retract: a restart withdraws a rebuilt window's row as it was written
# (the old records of every partition, p1's coming after p0's new one:
# kept apart until then), or, with every partition read again first, as
# the window holds then
t "exactly-once stream, --lateness --retract: the row withdrawn is the one written" 0 'window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" --lateness 2s --row-kind k --retract 2>/dev/null | grep window_end.:2000' "$L2" \
'{"page":"/a","window_start":1000,"window_end":2000,"n":4,"k":"-U"}
{"page":"/a","window_start":1000,"window_end":2000,"n":5,"k":"+U"}'
t "exactly-once stream, --lateness --retract: every partition read again before the new record" 0 'awk "NR <= 9 || NR == 11 || NR == 12" > l3; echo "{\"kp_control\":\"at\",\"partition\":0,\"offset\":5}" >> l3; printf "%s\n" "{\"page\":\"/a\",\"ms\":1600}" >> l3; window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" --lateness 2s --row-kind k --retract < l3 2>/dev/null | grep window_end.:2000' "$L2" \
'{"page":"/a","window_start":1000,"window_end":2000,"n":4,"k":"-U"}
{"page":"/a","window_start":1000,"window_end":2000,"n":5,"k":"+U"}'
# --emit-every with --row-kind on an exactly-once stream: each batch of
# final rows is followed by an early row of every open window changed
# since its last row, then the position, so that a restart knows each
# open window's last row: it rebuilds the window as shown, and its next
# row is an update (+U) withdrawing that row (-U). The restart from the
# first position writes what the run went on to write after it, byte for
# byte; a rebuilt window with no new record withdraws its row when it
# closes
E1='{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"kp_control":"assign","topic":"clicks","partition":0,"offset":0}
{"kp_control":"at","partition":0,"offset":0}
{"page":"/a","ms":100}
{"page":"/a","ms":600}
{"page":"/a","ms":700}
{"page":"/a","ms":2100}
{"page":"/b","ms":2200}
{"page":"/a","ms":2300}
{"page":"/a","ms":2600}
{"page":"/a","ms":4100}'
E2='{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"kp_control":"assign","topic":"clicks","partition":0,"offset":3,"after":2000,"wm":2100,"next":4}
{"kp_control":"at","partition":0,"offset":3}
{"page":"/a","ms":2100}
{"page":"/b","ms":2200}
{"page":"/a","ms":2300}
{"page":"/a","ms":2600}
{"page":"/a","ms":4100}'
EW='window-agg --tumble 2s -k page -t ms --time-format ms -a "n=count()" --emit-every 500ms --row-kind k'
t "exactly-once stream, --emit-every --row-kind --retract: early rows of the open windows before each position" 0 "$EW --retract 2>/dev/null | sed -n 4,7p" "$E1" \
'{"page":"/a","window_start":0,"window_end":2000,"n":3,"k":"+U"}
{"page":"/a","window_start":2000,"window_end":4000,"n":1,"k":"+I"}
{"kp_control":"position","position":"clicks 2000 0:3@2100+4"}
{"page":"/a","window_start":2000,"window_end":4000,"n":1,"k":"-U"}'
t "exactly-once stream, --emit-every --row-kind --retract: a restart from the position writes what the run wrote after it" 0 "$EW --retract > all 2>/dev/null; sed 1,6d all > after; printf '%s\\n' '$E2' | $EW --retract 2>/dev/null | sed 1d | cmp - after && sed -n 1,2p after" "$E1" \
'{"page":"/a","window_start":2000,"window_end":4000,"n":1,"k":"-U"}
{"page":"/a","window_start":2000,"window_end":4000,"n":3,"k":"+U"}'
t "exactly-once stream, --emit-every --row-kind: a rebuilt window's next row is +U" 0 "$EW 2>/dev/null | grep -m1 /a" "$E2" \
'{"page":"/a","window_start":2000,"window_end":4000,"n":3,"k":"+U"}'
t "exactly-once stream, --emit-every --retract: a rebuilt window closing with no new record withdraws its row" 0 "$EW --retract 2>/dev/null | sed -n 2,3p" '{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"kp_control":"assign","topic":"clicks","partition":0,"offset":3,"after":2000,"wm":2100,"next":4}
{"kp_control":"at","partition":0,"offset":3}
{"page":"/a","ms":2100}
{"page":"/a","ms":4100}' \
'{"page":"/a","window_start":2000,"window_end":4000,"n":1,"k":"-U"}
{"page":"/a","window_start":2000,"window_end":4000,"n":1,"k":"+U"}'
# a revoke that names the partitions going (cooperative rebalancing, the
# member keeps the others): when each open window holds records of one
# partition, only theirs are dropped and only their position goes with
# the fence, the kept partition's windows going on; a window of both
# partitions drops them all, the fence naming every partition (ksource
# then reads the kept ones again)
RV='{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"kp_control":"assign","topic":"clicks","partition":0,"offset":10}
{"kp_control":"assign","topic":"clicks","partition":1,"offset":20}
{"kp_control":"at","partition":0,"offset":10}
{"page":"/a","ms":1100}
{"kp_control":"at","partition":1,"offset":20}
{"page":"/b","ms":1200}
{"kp_control":"at","partition":0,"offset":11}
{"page":"/a","ms":2100}
{"kp_control":"at","partition":1,"offset":21}
{"page":"/b","ms":2200}
{"kp_control":"revoke","topic":"clicks","fence":"f.1","go":"clicks:1"}
{"kp_control":"at","partition":0,"offset":12}
{"page":"/a","ms":2300}
{"page":"/a","ms":3100}'
t "exactly-once stream: a revoke of some partitions drops their windows only" 0 'window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" 2>&1' "$RV" \
'{"kp_control":"job","group":"g","topic":"clicks","txn":"x"}
{"page":"/a","window_start":1000,"window_end":2000,"n":1}
{"page":"/b","window_start":1000,"window_end":2000,"n":1}
{"kp_control":"position","position":"clicks 2000 0:11 1:21"}
{"kp_control":"fence","position":"clicks 2000 1:21 !f.1"}
window-agg: revoked at line 12: 1 partitions: 1 open (window, key) rows of 1 records dropped, for their next owner; the partitions kept go on
{"page":"/a","window_start":2000,"window_end":3000,"n":2}
{"kp_control":"position","position":"clicks 3000 0:13"}
{"page":"/a","window_start":3000,"window_end":4000,"n":1}
window-agg: 1 records held in open windows dropped at revokes: the next owner of their partitions reads them again
window-agg: end of input: 1 rows of the windows ending 1970-01-01T00:00:04Z, beyond the watermark, written without a position (not provably complete: a later record may fall in them); ksink --exactly-once (or --position-field) leaves them to the next run'
t "exactly-once stream: a revoke of some partitions with a window of both drops every window" 0 'sed "s#\"/b\",\"ms\":2200#\"/a\",\"ms\":2200#" | window-agg --tumble 1s -k page -t ms --time-format ms -a "n=count()" 2>/dev/null | grep "fence\|_end.:3000"' "$RV" \
'{"kp_control":"fence","position":"clicks 2000 0:11 1:21 !f.1"}
{"page":"/a","window_start":2000,"window_end":3000,"n":1}'
t "exactly-once stream: --top writes the position after the ranked rows" 0 'window-agg --tumble 1s -k page -t ms --time-format ms -a "b=sum(bytes)" --top 1 --by b < $T/data/eo-stream.ndjson 2>/dev/null | grep -v "\"job\"\|\"member\""' '' \
'{"page":"/a","window_start":1000,"window_end":2000,"b":400}
{"kp_control":"position","position":"clicks 2000 0:12 1:3"}
{"page":"/b","window_start":2000,"window_end":3000,"b":500}
{"kp_control":"position","position":"clicks 3000 0:13 1:4"}
{"page":"/b","window_start":3000,"window_end":4000,"b":700}'
te "exactly-once stream: --idle-advance refused at the job line" 64 'window-agg --tumble 1s -k page -t ms --time-format ms --idle-advance 1s < $T/data/eo-stream.ndjson' '' \
'--idle-advance would close windows by the clock, differently in a restart'
te "exactly-once stream: an at line cut short (its offset may have lost digits) is not taken" 0 'printf "%s\n%s\n%s\n%s" "{\"kp_control\":\"job\",\"group\":\"g\",\"topic\":\"t\",\"txn\":\"x\"}" "{\"kp_control\":\"at\",\"partition\":0,\"offset\":5}" "{\"ms\":1000}" "{\"kp_control\":\"at\",\"partition\":0,\"offset\":3" | window-agg --tumble 1s -t ms --time-format ms' '' \
'<stdin>:4: the last line has no newline, cut short by a stage that died: dropped'
