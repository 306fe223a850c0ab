# ksource --ordered: out-of-order data (--disorder 2s) on 6 partitions,
# merged exactly with -e, gives window-agg the same bytes on 5 runs, equal
# to the -J --partition-field form and to window-agg over the records
# sorted by time; every man page and README example that claims
# byte-identical output, run as written (topic renamed), is identical
# twice and complete. Live, a partition that says nothing holds the merge
# for --idle only, and the merge follows a group's assignment.
# needs: ksink ksource window-agg fxconvert salesgen
. "$T/kafka/ksink.subr"
t=$(topic ordered)
create "$t" 6
salesgen -n 30000 -r 0 --seed 12 --start-ts 1713654885000 --disorder 2s \
    --sellers A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P > in.nd
ksink -t "$t" -k seller_id --ts-field sale_ts < in.nd
[ "$(partitions "$t")" = 6 ] || fail "not 6 partitions"
agg='window_sales=sum(amount_usd)'
jq -c -s 'sort_by(.sale_ts)[]' in.nd |
    window-agg --tumble 6s -k seller_id -t sale_ts -a "$agg" > want
[ "$(wc -l < want)" -gt 1000 ] || fail "too few windows"

# 5 runs: the same bytes, nothing late, equal to the sorted input's
for i in 1 2 3 4 5; do
	ksource -t "$t" --ordered -o beginning -e |
	    window-agg --tumble 6s -k seller_id -t sale_ts --delay 2s \
	    -a "$agg" > run$i 2> run$i.err
	cmp want run$i || fail "ordered run $i differs"
	[ ! -s run$i.err ] || { cat run$i.err; fail "run $i: stderr"; }
done
# the merged stream itself: the same bytes each time, and each partition
# in its own order
ksource -t "$t" --ordered -o beginning -e -J > m1
ksource -t "$t" --ordered -o beginning -e -J > m2
cmp m1 m2 || fail "two merges differ"
[ "$(wc -l < m1)" = 30000 ] || fail "merge wrote $(wc -l < m1)"
jq -r '[.partition, .offset] | map(tostring) | join(" ")' m1 |
    awk '$1 in o && $2 != o[$1] + 1 { bad++ } { o[$1] = $2 }
	END { exit bad > 0 }' || fail "a partition out of offset order"
# out of timestamp order only as much as a partition was: never more
# than the 2s disorder behind the largest timestamp written before
jq -r .ts m1 | awk '$1 < max - 2000 { bad++ } $1 > max { max = $1 }
	END { exit bad > 0 }' || fail "merged stream more than 2s out of order"
# the -J form, one watermark per partition
ksource -t "$t" -o beginning -e -J |
    window-agg --tumble 6s -k payload.seller_id -t payload.sale_ts \
    --delay 2s --partition-field partition --partitions 6 \
    -a 'window_sales=sum(payload.amount_usd)' > jform
cmp want jform || fail "the -J form differs"
# and without either: the defect this fixes
ksource -t "$t" -o beginning -e |
    window-agg --tumble 6s -k seller_id -t sale_ts --delay 2s -a "$agg" \
    > plain 2> plain.err || fail "the plain form: exit $?: $(tail -3 plain.err)"
late=$(sed -n 's/^window-agg: \([0-9]*\) late.*/\1/p' plain.err)

# the examples that promise the same bytes, as written
examples() {	# FILE: each literal block in a paragraph that promises them
	awk '/^\.(Pp|Ss|Sh)|^#/ { want = 0 }
	    /byte-identical|same bytes/ { want = 1 }
	    want && /^\.Bd -literal|^```sh/ { on = 1; n++; next }
	    on && /^\.Ed|^```/ { on = 0; want = 0; next }
	    on { print n "\t" $0 }' "$1"
}
n=0
for f in "$T"/../man/*.[1-8] "$T"/../README.md; do
	examples "$f" > ex.all
	for e in $(cut -f1 ex.all | sort -u); do
		n=$((n + 1))
		sed -n "s/^$e	//p" ex.all | sed 's/\\e/\\/g;
		    s/^0 3 \* \* \* //; s/sales-usd/'"$t"'/g;
		    s/ > .*$//' > ex$n.sh
		grep -q -- "--ordered" ex$n.sh ||
		    fail "$(basename "$f") example $e has no --ordered: $(cat ex$n.sh)"
		sh ex$n.sh > ex$n.a 2> ex$n.err || fail "example: $(cat ex$n.sh)"
		sh ex$n.sh > ex$n.b 2>> ex$n.err || fail "example: $(cat ex$n.sh)"
		[ ! -s ex$n.err ] || { cat ex$n.sh ex$n.err; fail "example: stderr"; }
		cmp ex$n.a ex$n.b || fail "example not byte-identical: $(cat ex$n.sh)"
		if grep -q fxconvert ex$n.sh; then
			fxconvert -f window_sales --rate 0.85 < want > want.eur
			cmp want.eur ex$n.a || fail "example incomplete: $(cat ex$n.sh)"
		else
			cmp want ex$n.a || fail "example incomplete: $(cat ex$n.sh)"
		fi
	done
done
[ $n -ge 4 ] || fail "only $n examples found"

# live: a partition never written to holds the merge for --idle only
u=$(topic ordered-live)
create "$u" 4
ksource -t "$u" --ordered --idle 1s -c 40 > live.out &
pid=$!
salesgen -n 40 -r 0 --seed 2 --sellers A > live.in	# one partition
ksink -t "$u" -k seller_id --ts-field sale_ts < live.in
i=0
while kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "live merge held by empty partitions"
	sleep 0.1
done
wait $pid
cmp live.in live.out || fail "live merge lost or reordered records"
# with a group: the merge follows the assignment, and commits
ksource -t "$t" --ordered -G ord-$$ -c 1000 > g1
ksource -t "$t" --ordered -G ord-$$ -o beginning -e > g2
sort g1 g2 | cmp - "$(sort in.nd > in.sorted; echo in.sorted)" ||
    fail "-G --ordered: gap or overlap"
ksource -t "$t" --ordered -e --idle 1s 2> use.err && fail "--idle with -e"
grep -q 'idle goes with --ordered without -e' use.err || fail "no usage message"
echo "figure: 5 ordered runs identical, = -J form, $n examples; plain form lost ${late:-0} as late"
