# ksource --ordered, live, when a quiet partition's leader is lost for
# good and another broker takes the partition over (issue 21: a broker
# killed and not restarted, on the three-node cluster of
# tests/chaos/job.sh). The merge asks the partition's leader whether it is
# caught up; librdkafka 2.0.2's rd_kafka_query_watermark_offsets(), asked
# of the dead leader, never returned whatever its timeout, and it blocked
# ksource's loop: every exactly-once job froze. Now the question keeps to
# its time, is asked from a thread of the merge's own, and a failed one
# refreshes the leader, so the merge goes on. On a private mock cluster.
# needs: kafka-mock ksink ksource
. "$T/kafka/ksink.subr"
job= live=
mock_start
trap 'kill $mock $job $live 2>/dev/null; :' EXIT
mock_topic lo 2
dead=$(jq '.topics[0].partitions[] | select(.partition == 1) | .leader' meta)
to=$(( dead % 3 + 1 ))
# partition 0 away from the broker to be lost
echo "leader lo 0 $to" > ctl
sh "$T/until.sh" 10 '[ "$(grep -c "done: leader" mock.log)" = 1 ]' ||
    fail "the mock did not move partition 0's leader"
ksource -b "$B" -t lo --ordered -c 4 > raw 2> job.err &
job=$!
{ stamped lo 0 1000; stamped lo 1 1000; } | ksink -b "$B" -J
# partition 1 quiet: found idle (its leader asked) and passed
stamped lo 0 2000 | ksink -b "$B" -J
sh "$T/until.sh" 30 '[ "$(wc -l < raw)" -ge 3 ]' ||
    { cat raw job.err; fail "the first records never came"; }
# partition 1's leader lost for good, the partition led by another
echo "down $dead" > ctl
echo "leader lo 1 $to" > ctl
sh "$T/until.sh" 10 '[ "$(grep -c "done: leader" mock.log)" = 2 ]' ||
    fail "the mock did not move partition 1's leader"
t0=$(date +%s)
# a live stream on partition 0 (a lane back from a stall is idle once
# quiet as long as the stall from the next message, or after 30 s of
# silence of the whole input)
live lo 0 5000
sh "$T/until.sh" 30 "! kill -0 $job 2>/dev/null" ||
    { cat raw job.err; fail "the merge held partition 0 for 30 s after partition 1's leader was lost (its question to the dead leader never returns)"; }
wait $job || fail "ksource: exit $?"
job=
kill $live 2>/dev/null || :
live=
[ "$(jq -c .ts raw | tr '\n' ' ')" = "1000 1000 2000 5000 " ] ||
    { cat raw; fail "not the records in order"; }
echo "figure: partition 1's leader (broker $dead) lost, the partition led by broker $to: the merge went on after $(elapsed "$t0") s"
