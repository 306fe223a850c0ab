# A pause of the input longer than --idle, then more records for the
# same window (issue 20 item 3, issue 21 item 3): nothing late, nothing
# lost, nothing dropped without a word. Two partitions, two live jobs:
# the merge (ksource --ordered --idle 500ms | window-agg) and one
# watermark per partition (ksource -J | window-agg --partition-field
# partition --idle 500ms). The input pauses 4 times --idle; then one
# producer writes, in one batch, the rest of the first window to both
# partitions and the next window's records, partition 0's first: a
# merge that let the quiet partition 1 go idle by the clock alone, or a
# watermark run on by the clock, drops partition 1's record as late.
# needs: ksink ksource window-agg
. "$T/kafka/ksink.subr"
t=$(topic idle-pause)
create "$t" 2
ksource -t "$t" --ordered --idle 500ms -c 10 | tee a.raw |
    window-agg --tumble 2s -t ts --time-format ms > a.out 2> a.err &
a=$!
ksource -t "$t" -J -c 10 | tee b.raw |
    window-agg --tumble 2s -t payload.ts --partition-field partition \
    --partitions 2 --idle 500ms --time-format ms > b.out 2> b.err &
b=$!
trap 'kill $a $b 2>/dev/null; :' EXIT
{ stamped "$t" 0 1000 1100 1200; stamped "$t" 1 1000 1150; } | ksink -J
# both jobs have all five (the merge lets partition 0's 1200 go once
# partition 1 is idle: quiet for 500ms and caught up)
i=0
until [ "$(cat a.raw | wc -l)" = 5 ] && [ "$(cat b.raw | wc -l)" = 5 ]; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "the first records never came through: $(wc -l < a.raw), $(wc -l < b.raw)"
	sleep 0.1
done
[ ! -s a.out ] && [ ! -s b.out ] || fail "a window closed before its end"
sleep 2		# the pause: 4 times --idle, every partition silent
[ ! -s a.out ] && [ ! -s b.out ] || { cat a.out b.out; fail "a window closed by the clock during the pause"; }
{ stamped "$t" 0 1300 1900 4100; stamped "$t" 1 1500 4200; } | ksink -J
i=0
while kill -0 $a 2>/dev/null || kill -0 $b 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "the jobs did not end"
	sleep 0.1
done
wait $a || fail "the merge job: exit $?"
wait $b || fail "the -J job: exit $?"
trap - EXIT
want='{"window_start":0,"window_end":2000,"count":8}
{"window_start":4000,"window_end":6000,"count":2}'
for j in a b; do
	[ "$(cat $j.out)" = "$want" ] || { cat $j.out $j.err; fail "job $j: records lost or late"; }
	[ ! -s $j.err ] || { cat $j.err; fail "job $j: stderr"; }
done
# the merged stream is in time order
[ "$(jq -r .ts a.raw | tr '\n' ' ')" = "1000 1000 1100 1150 1200 1300 1500 1900 4100 4200 " ] ||
    { jq -c . a.raw; fail "the merge is out of order"; }
echo "figure: a 2 s pause past --idle 500ms: 10 of 10 records in 2 windows, 0 late, in both forms"
