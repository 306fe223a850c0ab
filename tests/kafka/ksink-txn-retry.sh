# ksink --progress-group through a coordinator that answers "Not
# coordinator" or "Coordinator load in progress" to the position's
# TxnOffsetCommit (a private mock cluster's injected errors): a short run
# of them is ridden through (exit 0, every row committed once) and the
# wait is said on stderr within seconds, never a silent freeze; a run
# longer than --flush-timeout aborts the transaction and ends with 75 and
# the count.
# needs: kafka-mock ksink
. "$T/kafka/ksink.subr"
trap 'kill ${mock:-} 2>/dev/null; wait ${mock:-} 2>/dev/null || :' EXIT
mock_start
echo "create out 2" > ctl
# 20 rows, each with a position (window-agg --position-field's)
i=1
while [ $i -le 20 ]; do
	echo "{\"k\":\"a$i\",\"n\":$i,\"_pos\":\"in $((i * 1000)) 0:$i 1:$i\"}"
	i=$((i + 1))
done > rows
committed() {
	kcat -C -b "$B" -t out -e -q -X isolation.level=read_committed > got ||
		fail "kcat: $?"
	wc -l < got
}

# TxnOffsetCommit (28): NOT_COORDINATOR (16) 8 times, then
# COORDINATOR_LOAD_IN_PROGRESS (14) 8 times: about 4 s each
for code in 16 14; do
	echo "error 28 $code 8" > ctl
	sleep 0.2
	rc=0
	ksink -b "$B" -t out -k k -X transactional.id=retry \
	    --position-field _pos --progress-group pg < rows 2> err || rc=$?
	[ $rc -eq 0 ] || fail "error $code x8: exit $rc: $(cat err)"
	grep -q "waiting for Kafka to take the position for group pg" err ||
		fail "error $code x8: the wait was not said: $(cat err)"
	echo "error $code x8: exit 0, $(grep -m1 'waiting for Kafka' err)"
done
[ "$(committed)" -eq 40 ] || fail "$(wc -l < got) rows committed, not 40"

# errors for longer than --flush-timeout 4s: aborted, exit 75, counted
echo "error 28 16 100000" > ctl
sleep 0.2
t0=$(date +%s)
rc=0
ksink -b "$B" -t out -k k -X transactional.id=retry --flush-timeout 4s \
    --position-field _pos --progress-group pg < rows 2> err || rc=$?
t=$(( $(date +%s) - t0 ))
[ $rc -eq 75 ] || fail "endless errors: exit $rc, not 75: $(cat err)"
grep -q "waiting for Kafka to take the position" err ||
	fail "endless errors: the wait was not said: $(cat err)"
grep -q "transaction aborted: input lines 1..1 (1 records) not delivered" err ||
	fail "endless errors: no count of what was not delivered: $(cat err)"
[ $t -le 14 ] || fail "endless errors: $t s to end (bound 4 + 10)"
# (the mock cluster keeps an aborted transaction's records visible to a
# read_committed reader: tests/kafka/real-txn.sh checks that on Kafka)
echo "endless errors: exit 75 in $t s, $(grep -m1 'not delivered' err)"
