# ksource --ordered, live, on a topic written in transactions (the
# output of an exactly-once line read by the next job): a quiet
# partition whose log ends with a transaction's commit marker is caught
# up once the consumer has handed out every record up to the leader's
# end, the marker counted (librdkafka steps past it as it is polled), so
# it goes idle after --idle and the other partition's later record goes
# on. The merge now compares the leader's end with what the consumer
# has handed out, not with its fetcher's end (a fetch response's end is
# taken before its messages reach the queue).
# needs: ksink ksource
# broker: real
. "$T/kafka/ksink.subr"
t=$(topic ordered-txn)
create "$t" 2
{ stamped "$t" 0 1000 2000; stamped "$t" 1 1500; } |
    ksink -J -X transactional.id=otx-$$ 2> k.err || fail "ksink: $(cat k.err)"
ksource -t "$t" --ordered --idle 500ms -c 4 > raw 2> job.err &
job=$!
trap '[ -z "$job" ] || kill $job 2>/dev/null || :' EXIT
sh "$T/until.sh" 30 '[ "$(wc -l < raw)" -ge 3 ]' ||
    { cat raw job.err; fail "the first records never came"; }
# partition 1 quiet, its last offset a commit marker: partition 0's
# next record goes on once partition 1 is idle
t0=$(date +%s)
stamped "$t" 0 5000 | ksink -J -X transactional.id=otx-$$ 2> k.err ||
    fail "ksink: $(cat k.err)"
sh "$T/until.sh" 30 "! kill -0 $job 2>/dev/null" ||
    { cat raw job.err; fail "partition 1, quiet after a commit marker, held the merge 30 s"; }
wait $job || fail "ksource: exit $?"
job=
[ "$(jq -c .ts raw | tr '\n' ' ')" = "1000 1500 2000 5000 " ] ||
    { cat raw; fail "not the records in order"; }
echo "figure: a partition quiet after a commit marker went idle; the merge went on after $(elapsed "$t0") s"
