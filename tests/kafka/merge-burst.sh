# ksource --ordered, live: a silence of the whole input is no partition's
# idleness (as window-agg --idle). Both partitions speak; everything is
# silent for 4 s (a producer that writes in bursts, a pause); then
# partition 0 speaks first and partition 1, whose record is earlier, a
# few hundred ms later. Partition 1 has not been quiet for --idle while
# the others spoke, so the merge waits for it: the records come out in
# time order. (The merge used to count the silence, find partition 1
# quiet for longer than --idle and caught up at its leader, and let
# partition 0's later record pass first: out of order, late downstream.)
# broker: real
# needs: ksource ksink
. "$T/kafka/ksink.subr"
t=$(topic burst)
create "$t" 2
send() {	# PARTITION TIME
	echo "{\"p\":$1,\"t\":$2}" | ksink -t "$t" -p "$1" --ts-field t ||
		fail "ksink -p $1: exit $?"
}
ksource -t "$t" --ordered --idle 3s -c 4 > got 2> err &
src=$!
send 0 1000
send 1 1000
sh "$T/until.sh" 20 '[ "$(wc -l < got)" -ge 1 ]' || fail "no record out: $(cat err)"
sleep 4		# the silence under test: longer than --idle
send 0 5000
send 1 2000	# a few hundred ms after, with ksink's start: within --idle
wait $src || fail "ksource: exit $?: $(cat err)"
sed 's/.*"t":\([0-9]*\).*/\1/' got | tr '\n' ' ' > order
[ "$(cat order)" = "1000 1000 2000 5000 " ] ||
	fail "out of time order: $(cat order)"
echo "figure: after a 4 s silence of the whole input, a partition a ksink start behind the other was waited for"
