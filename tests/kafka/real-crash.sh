# The broker crashes under ksink: kill -9 of a real broker's JVM while
# ksink (idempotent, acks=all) produces 200,000 numbered records, then the
# broker is started again on the same log folder. ksink ends with every
# record in the topic exactly once (exit 0), or exits 75 and names what was
# not delivered: never a silent gap, never a duplicate. A broker of its own,
# so the others' tests never see the crash.
# broker: real
# needs: ksink ksource salesgen
. "$T/kafka/ksink.subr"
KP_STATE=$W/broker
export KP_STATE
kl() { sh "$T/../scripts/kafka-local" "$@"; }
trap 'kl stop 2>/dev/null || :' EXIT
B=$(kl start --real crash:4 2>/dev/null)
N=200000
# numbered by sale_ts (1 ms apart), 50,000 a second: 4 s of producing
salesgen -n $N -r 50000 --seed 7 --start-ts 1713654885000 --step 1ms > in.nd
salesgen -n $N -r 50000 --seed 7 --start-ts 1713654885000 --step 1ms |
    ksink -b "$B" -t crash -k seller_id --dead-letter dl.nd \
	--flush-timeout 120s > /dev/null 2> k.err &
k=$!
sleep 1.5
pid=$(cat "$KP_STATE/pid")
kill -9 "$pid"
t0=$(date +%s)
sleep 3
kl start --real 2> restart.err > /dev/null || { cat restart.err; fail "restart"; }
rc=0; wait $k || rc=$?
ksource -b "$B" -t crash -e > got
sort got > got.s
sort in.nd > in.s
dups=$(uniq -d got.s | wc -l)
lost=$(comm -23 in.s got.s | wc -l)
extra=$(comm -13 in.s got.s | wc -l)
echo "figure: rc $rc, $(wc -l < got) in the topic, $dups duplicated, $lost lost, $(elapsed $t0) s from the kill to ksink's end, restart $(sed -n 's/^kafka-local: started in //p' restart.err)"
[ "$dups" = 0 ] || fail "$dups duplicates"
[ "$extra" = 0 ] || fail "$extra records nobody sent"
case $rc in
0) [ "$lost" = 0 ] || fail "exit 0 with $lost records lost" ;;
75)	# every lost record is named: counted on stderr and in --dead-letter
	grep -q "^ksink: $lost of $N records not delivered" k.err ||
		{ cat k.err; fail "exit 75 without the count $lost"; }
	sort dl.nd | cmp - "$(comm -23 in.s got.s > lost.s; echo lost.s)" ||
		fail "--dead-letter does not hold the lost records" ;;
*) cat k.err; fail "ksink exit $rc" ;;
esac
