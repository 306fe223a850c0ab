# The exactly-once line over several input topics (issue 20): two topics
# whose partition numbers overlap (a: 0-1, b: 0-2), read by one line with
# -t a -t b, and by a pattern. A tumbling job with --having and --top
# writes each complete window once over three runs of the same line
# (new input to both topics between them); a stateless line on the
# pattern writes every record once over two runs; and the group's
# position ends at the end of every partition of both topics.
# broker: real
# needs: ksource ksink window-agg fxconvert
. "$T/kafka/ksink.subr"
pre=eo-mt-$$-$(date +%s)
a=$pre-a b=$pre-b out=$(topic eo-mt-out) out2=$(topic eo-mt-rec)
g=eo-mt-w-$$ g2=eo-mt-s-$$
create "$a" 2
create "$b" 3
# orders: shop, sku, at (ms), qty; shops s0-s5 in a, s3-s8 in b, so that
# a window's rows take records of both topics
orders() {	# SEED N FROM SHOP0
	awk -v seed="$1" -v n="$2" -v t="$3" -v s0="$4" 'BEGIN { srand(seed);
	    for (i = 0; i < n; i++) { t += int(rand() * 9);
		printf "{\"shop\":\"s%d\",\"sku\":\"k%d\",\"at\":%.0f,\"qty\":%d}\n",
		    s0 + int(rand() * 6), int(rand() * 50), t, 1 + int(rand() * 9) } }'
}
lastat() { tail -1 "$1" | sed 's/.*"at":\([0-9]*\).*/\1/'; }
orders 1 2000 1700000000000 0 > a1
orders 2 2000 1700000000000 3 > b1
# the second input after the first's last record in either topic (the
# first run's watermark: earlier records would be late)
t2=$(cat a1 b1 | sort -t: -k4,4n | tail -1 | sed 's/.*"at":\([0-9]*\).*/\1/')
orders 3 1500 "$t2" 0 > a2
orders 4 1500 "$t2" 3 > b2
put() {	# TOPIC FILE
	ksink -t "$1" -k shop --ts-field at --time-unit ms < "$2" 2> p.err ||
		{ rc=$?; cat p.err; fail "ksink (input $1): exit $rc"; }
}
put "$a" a1
put "$b" b1
agg() {
	window-agg --tumble 1s -k shop -t at --time-format ms -a 'q=sum(qty)' \
	    -a 'n=count()' --having 'n >= 40' --top 4 --by q
}
# the reference: every window of both inputs, in event-time order (as
# the line's merge reads them), up to the last record
ref() {	# FILES...
	cat "$@" | sort -t: -k4,4n -s > ordered
	agg < ordered > ref.all 2> /dev/null
	last=$(lastat ordered)
	awk -v last="$last" '{ e = $0; sub(/.*"window_end":/, "", e);
	    sub(/,.*/, "", e); if (e + 0 <= last + 0) print }' ref.all > want
}
job() {
	ksource -t "$a" -t "$b" -G "$g" --exactly-once -e | agg |
	    ksink -t "$out" -k shop --exactly-once
}
got() {	# FILE ROWS
	sh "$T/until.sh" 30 "ksource -t $out -e > $1 2>/dev/null && [ \$(wc -l < $1) -ge $2 ]" ||
		{ wc -l "$1"; fail "$out: fewer than $2 rows"; }
}
ref a1 b1
[ "$(wc -l < want)" -gt 20 ] || fail "the reference has $(wc -l < want) rows"
job 2> j1.err || { rc=$?; cat j1.err; fail "job, first run: exit $rc"; }
got out1 "$(wc -l < want)"
same want out1
job 2> j2.err || { rc=$?; cat j2.err; fail "job, rerun: exit $rc"; }
got out2 "$(wc -l < want)"
same want out2
put "$a" a2
put "$b" b2
ref a1 a2 b1 b2
job 2> j3.err || { rc=$?; cat j3.err; fail "job, third run: exit $rc"; }
got out3 "$(wc -l < want)"
same want out3
echo "figure: two topics, tumble --having --top: $(wc -l < out3) rows over 3 runs, 0 twice"

# a stateless line on a pattern: every record of both topics once
sl() {
	ksource -t "^$pre-[ab]\$" -G "$g2" --exactly-once -e |
	    fxconvert -f qty --rate 10 | ksink -t "$out2" -k shop --exactly-once
}
sl 2> s1.err || { rc=$?; cat s1.err; fail "stateless line: exit $rc"; }
cat a1 a2 b1 b2 | fxconvert -f qty --rate 10 > swant
sh "$T/until.sh" 30 "ksource -t $out2 -e > sout 2>/dev/null && [ \$(wc -l < sout) -ge $(wc -l < swant) ]" ||
	fail "$out2: $(wc -l < sout) records, not $(wc -l < swant)"
same swant sout
sl 2> s2.err || { rc=$?; cat s2.err; fail "stateless line, rerun: exit $rc"; }
ksource -t "$out2" -e > sout2 2>/dev/null
same swant sout2
# the position: committed for every partition of both topics; the
# stateless line's at their ends (the windowed job's holds the open
# windows' records)
for gg in "$g" "$g2"; do
	ksource -L -G "$gg" -t "$a" -t "$b" > lag 2>&1 || { rc=$?; cat lag; fail "ksource -L -G $gg: exit $rc"; }
	[ "$(grep -c "^$pre-[ab]  *[0-9]  *[0-9]" lag)" = 5 ] || { cat lag; fail "$gg: not 5 partitions committed"; }
done
grep -q '^total lag 0$' lag || { cat lag; fail "$g2: the position is not at the end"; }
echo "figure: pattern, stateless: $(wc -l < sout2) records once over 2 runs"
