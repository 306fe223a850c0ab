# ksink --partitions N [--replication R] creates a missing -t topic with
# N partitions (librdkafka's CreateTopics), leaves an existing one as it
# is (saying so when its count differs), and says why when the cluster
# refuses; without it, the broker's auto-creation (num.partitions, 4 in
# scripts/kafka-local) is unchanged.
# broker: real
# needs: ksink ksource salesgen
. "$T/kafka/ksink.subr"
count() {	# TOPIC: its partitions, from ksource -L -J
	ksource -L -J -t "$1" > "L.$1" || fail "ksource -L -J -t $1"
	jq '.topics[0].partitions | length' "L.$1"
}
t=$(topic made)
salesgen -n 100 -r 0 --seed 1 --start-ts 0 > in.nd
ksink -t "$t" --partitions 7 -k seller_id < in.nd 2> made.err ||
    fail "ksink --partitions 7: $(cat made.err)"
[ ! -s made.err ] || { cat made.err; fail "ksink --partitions said something"; }
[ "$(count "$t")" = 7 ] || fail "$t has $(count "$t") partitions, not 7"
ksource -t "$t" -e > out
[ "$(wc -l < out)" = 100 ] || fail "$(wc -l < out) records read back, not 100"
# the broker's own tool agrees
sh "$T/../scripts/kafka-local" tool topics --describe --topic "$t" > describe 2>&1
grep -q "PartitionCount: 7" describe || { cat describe; fail "kafka-topics --describe"; }
# an existing topic: left as it is, and said
ksink -t "$t" --partitions 3 < in.nd 2> again.err || fail "again: $(cat again.err)"
grep -q "topic $t has 7 partitions, not 3 (--partitions): an existing topic is left as it is" again.err ||
    { cat again.err; fail "no word about the partition count"; }
[ "$(count "$t")" = 7 ] || fail "$t changed to $(count "$t") partitions"
# a replication the cluster cannot give: 69, the broker's reason, no topic
u=$(topic refused)
rc=0
ksink -t "$u" --partitions 2 --replication 3 < in.nd 2> refused.err || rc=$?
[ "$rc" = 69 ] || { cat refused.err; fail "--replication 3 on one broker: exit $rc"; }
grep -q "ksink: topic $u: cannot create it with 2 partitions at .*replication factor" refused.err ||
    { cat refused.err; fail "no reason"; }
# without --partitions: the broker's num.partitions, as before
v=$(topic auto)
ksink -t "$v" < in.nd 2> auto.err || fail "ksink: $(cat auto.err)"
[ "$(count "$v")" = 4 ] || fail "$v has $(count "$v") partitions, not the broker's 4"
echo "figure: --partitions 7 made 7; an existing topic kept; --replication 3 on one broker refused"
