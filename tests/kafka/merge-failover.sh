# ksource --ordered, live, when a quiet partition's leader moves to
# another broker (issue 21: a failover, as on the three-node cluster when
# the leader is killed): the merge asks the partition's leader whether it
# is caught up through a handle of its own, which learns the new leader
# only when told; before, it kept asking the old one ("Not leader") until
# its metadata was refreshed 5 minutes later, and held the other
# partitions' records that long (every job of tests/chaos/job.sh's
# coordinator fault, 1.5 to 4 minutes). On a private mock cluster.
# needs: kafka-mock ksink ksource
. "$T/kafka/ksink.subr"
job= live=
mock_start
trap 'kill $mock $job $live 2>/dev/null; :' EXIT
mock_topic fo 2
l1=$(jq '.topics[0].partitions[] | select(.partition == 1) | .leader' meta)
to=$(( l1 % 3 + 1 ))
ksource -b "$B" -t fo --ordered -c 4 > raw 2> job.err &
job=$!
{ stamped fo 0 1000; stamped fo 1 1000; } | ksink -b "$B" -J
# partition 1 quiet: found idle (its leader asked) and passed
stamped fo 0 2000 | ksink -b "$B" -J
sh "$T/until.sh" 30 '[ "$(wc -l < raw)" -ge 3 ]' ||
    { cat raw job.err; fail "the first records never came"; }
echo "leader fo 1 $to" > ctl
sh "$T/until.sh" 10 'grep -q "done: leader" mock.log' || fail "the mock did not move the leader"
# partition 1 still quiet, its leader now broker $to: asked again, it
# is caught up, and partition 0's next record goes on
t0=$(date +%s)
# a live stream on partition 0 (a lane back from a stall is idle once
# quiet as long as the stall from the next message, or after 30 s of
# silence of the whole input)
live fo 0 5000
sh "$T/until.sh" 30 "! kill -0 $job 2>/dev/null" ||
    { cat raw job.err; fail "the merge held partition 0 for 30 s after partition 1's leader moved (it asks the old leader)"; }
wait $job || fail "ksource: exit $?"
job=
kill $live 2>/dev/null || :
live=
[ "$(jq -c .ts raw | tr '\n' ' ')" = "1000 1000 2000 5000 " ] ||
    { cat raw; fail "not the records in order"; }
echo "figure: partition 1's leader moved from broker $l1 to $to: the merge went on after $(elapsed "$t0") s"
