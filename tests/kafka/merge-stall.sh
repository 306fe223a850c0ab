# ksource --ordered, live, when one partition's leader is down (issue 21
# item 3: nothing that waits on the cluster lets time move on): the
# partition is stalled, not idle, and holds the merge past --idle for as
# long as the broker is away, so the other partition's later records do
# not run ahead; when the broker is back, the stalled partition's record
# of the same window (produced during the outage) is counted, not late.
# On a private mock cluster of 3 brokers (one replica each: the leader
# down is the partition down).
# needs: kafka-mock ksink ksource window-agg
. "$T/kafka/ksink.subr"
job= late=
mock_start
trap 'kill $mock $job $late 2>/dev/null; :' EXIT
# a topic whose partitions are not all on one broker (the mock places
# them itself; a few tries, each a new topic)
for st in st st2 st3 st4 st5; do
	mock_topic "$st" 3
	# partition 0, and q: one on another broker (the third stays empty)
	l0=$(jq '.topics[0].partitions[] | select(.partition == 0) | .leader' meta)
	q=$(jq --argjson l "$l0" '[.topics[0].partitions[] | select(.leader != $l) | .partition][0]' meta)
	[ "$q" = null ] || break
	echo "note: every partition of $st on broker $l0: another topic"
done
[ "$q" != null ] || fail "every partition of 5 topics on one broker"
leader=$(jq --argjson q "$q" '.topics[0].partitions[] | select(.partition == $q) | .leader' meta)
ksource -b "$B" -t "$st" --ordered --idle 500ms -c 8 2> job.err | tee raw |
    window-agg --tumble 2s -t ts --time-format ms > out 2> wa.err &
job=$!
{ stamped "$st" 0 1000 1100; stamped "$st" "$q" 1000 1050; } | ksink -b "$B" -J
i=0
until [ "$(cat raw | wc -l)" = 4 ]; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "the first records never came: $(wc -l < raw)"
	sleep 0.1
done
echo "down $leader" > ctl
# partition q's record of the first window waits in the producer while its
# leader is down; partition 0 goes on to the next window
stamped "$st" "$q" 1500 | ksink -b "$B" -J -X message.timeout.ms=60000 \
    -X reconnect.backoff.max.ms=100 -X retry.backoff.ms=50 2> late.err &
late=$!
stamped "$st" 0 1900 4100 | ksink -b "$B" -J
sleep 3		# the outage: 6 times --idle (0's records are in)
[ "$(cat raw | wc -l)" = 4 ] ||
    { cat raw job.err; fail "the merge let partition 0 run ahead of a partition whose leader is down"; }
echo "up $leader" > ctl
wait $late || { cat late.err; fail "the record produced during the outage: exit $?"; }
stamped "$st" "$q" 4200 | ksink -b "$B" -J
# the last record goes once partition 0 and the empty one are idle; if
# partition 0's records came after the consumer lost its connection to
# the broker, only once quiet for 30 s (ksource(1): a producer may still
# hold what it had in flight to the lost leader)
i=0
while kill -0 $job 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 600 ] || fail "the job did not end within 60 s"
	sleep 0.1
done
wait $job || fail "the job: exit $?"
trap 'kill $mock 2>/dev/null; :' EXIT
[ "$(cat out)" = '{"window_start":0,"window_end":2000,"count":6}
{"window_start":4000,"window_end":6000,"count":2}' ] ||
    { cat out wa.err job.err; fail "records lost or late across the outage"; }
[ ! -s wa.err ] || { cat wa.err; fail "window-agg: stderr"; }
echo "figure: a partition's leader down 3 s past --idle 500ms: the merge held, 8 of 8 records counted, 0 late"
