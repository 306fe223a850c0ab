# ksource --ordered, live, when a partition speaks again after a broker
# connection was lost and then goes quiet for longer than --idle (issue 21:
# in a leader kill on the three-node cluster of tests/chaos/job.sh, the
# producer sent what it had had in flight to the dead leader only 2.1 s
# after the partition's last message, 40 s of event time behind the
# others; the merge had passed the partition as idle after --idle's 2 s,
# and window-agg dropped 78 records as late, 11 windows missing). A
# partition that went quiet less than 30 s after a broker connection was
# lost is idle only once quiet for 30 s. On a private mock cluster.
# needs: kafka-mock ksink ksource
. "$T/kafka/ksink.subr"
job= live=
mock_start
trap 'kill $mock $job $live 2>/dev/null; :' EXIT
mock_topic rs 2
l1=$(jq '.topics[0].partitions[] | select(.partition == 1) | .leader' meta)
ksource -b "$B" -t rs --ordered > raw 2> job.err &
job=$!
{ stamped rs 0 1000; stamped rs 1 1000; } | ksink -b "$B" -J
sh "$T/until.sh" 30 '[ "$(wc -l < raw)" -ge 2 ]' ||
    { cat raw job.err; fail "the first records never came"; }
# partition 1's leader down a moment: the consumer's connection to it is lost
echo "down $l1" > ctl
sh "$T/until.sh" 10 '[ "$(grep -c "done: down" mock.log)" = 1 ]' ||
    fail "the mock did not take broker $l1 down"
echo "up $l1" > ctl
sh "$T/until.sh" 10 '[ "$(grep -c "done: up" mock.log)" = 1 ]' ||
    fail "the mock did not bring broker $l1 up"
# partition 1 speaks again; then partition 0 goes on, live, and partition 1
# is quiet for 4 s (the quiet under test: twice --idle's default)
stamped rs 1 2050 | ksink -b "$B" -J
live rs 0 2100
sh "$T/until.sh" 30 'grep -q "\"ts\":2050," raw' ||
    { cat raw job.err; fail "partition 1's record after the loss never came"; }
sleep 4
# what partition 1's producer held back comes now, older than partition
# 0's last records
stamped rs 1 2550 | ksink -b "$B" -J
sh "$T/until.sh" 30 'grep -q "\"ts\":2550," raw' ||
    { cat raw job.err; fail "partition 1's late record never came"; }
kill $job $live 2>/dev/null || :
wait $job 2>/dev/null || :
job=
jq .ts raw > ts
sort -n -c ts ||
    fail "out of order: the merge passed partition 1 as idle after $(awk '$1 == 2550 {exit} $1 > 2550 {n++} END {print n + 0}' ts) records later than its next one ($(tr '\n' ' ' < ts | cut -c1-200)...)"
echo "figure: partition 1 quiet 4 s after its leader's connection was lost: $(grep -c . ts) records in order, its held-back record among them"
