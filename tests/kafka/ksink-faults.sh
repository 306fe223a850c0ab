# ksink under faults, on a private mock cluster driven through its
# control FIFO: a missing topic (69), a cluster that keeps refusing
# (75, every line dead-lettered), a full local queue (waits, never
# drops), and SIGTERM in the middle of a live stream (clean exit 0).
# needs: kafka-mock
. "$T/kafka/ksink.subr"
mock_start
trap 'kill $mock 2>/dev/null; wait $mock 2>/dev/null || :' EXIT

# a topic the cluster says does not exist: 69 at once, nothing read
echo "topic-error gone 3" > ctl
sleep 0.3
s=$(date +%s); rc=0
echo '{"a":1}' | ksink -b "$B" -t gone 2> err || rc=$?
[ $rc -eq 69 ] || fail "missing topic: exit $rc: $(cat err)"
grep -q 'topic gone does not exist' err || fail "missing topic: $(cat err)"
# (an unknown topic is asked about for 5 s: a broker that creates topics
# on first use answers "unknown" to the request that creates one)
[ "$(elapsed "$s")" -le 8 ] || fail "missing topic: took $(elapsed "$s") s"

# every Produce request fails (retriable NOT_ENOUGH_REPLICAS, 19) until
# the messages time out: 75, the count, every line in the dead letters
echo "error 0 19 100000" > ctl
sleep 0.3
printf '%s\n' '{"n":1}' '{"n":2}' 'bad' '{"n":3}' > in.nd
s=$(date +%s); rc=0
ksink -b "$B" -t refused -X message.timeout.ms=1500 --dead-letter dl.nd \
    < in.nd 2> err || rc=$?
[ $rc -eq 75 ] || fail "refused: exit $rc: $(cat err)"
grep -q '3 of 3 records not delivered, copied to dl.nd' err || fail "refused: $(cat err)"
grep -q '1 bad records skipped' err || fail "refused: $(cat err)"
[ "$(elapsed "$s")" -le 10 ] || fail "refused: took $(elapsed "$s") s"
same in.nd dl.nd

# the flush timeout bounds the wait at the end; purged records count
rc=0; s=$(date +%s)
ksink -b "$B" -t refused --flush-timeout 1s --dead-letter dl2.nd \
    < in.nd 2> err || rc=$?
[ $rc -eq 75 ] || fail "flush timeout: exit $rc: $(cat err)"
[ "$(elapsed "$s")" -le 6 ] || fail "flush timeout: took $(elapsed "$s") s"
grep -q '3 of 3 records not delivered' err || fail "flush timeout: $(cat err)"
[ "$(grep -c n dl2.nd)" -eq 3 ] || fail "flush timeout: $(cat dl2.nd)"
kill $mock; wait $mock 2>/dev/null || :
trap - EXIT

# a local queue of 10 messages and 5000 records: waits, delivers all
t=$(topic ksink-faults-queue)
i=0
while [ $i -lt 5000 ]; do echo "{\"i\":$i}"; i=$((i + 1)); done > many.nd
ksink -t "$t" -X queue.buffering.max.messages=10 -X linger.ms=0 < many.nd
consume "$t" '%s\n' > got
same many.nd got

# SIGTERM while reading a live stream: what was read is delivered, exit 0
# (the topic made first, and the 20 records seen in it before the signal:
# lines still in the pipe when SIGTERM comes are not read, by design, and
# a broker making the topic on first use took over a second when loaded)
t=$(topic ksink-faults-term)
create "$t" 4
mkfifo in
ksink -t "$t" < in 2> err &
k=$!
exec 3> in
i=0
while [ $i -lt 20 ]; do echo "{\"i\":$i}" >&3; i=$((i + 1)); done
i=0
until [ "$(consume "$t" '%s\n' | wc -l)" -ge 20 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "SIGTERM: the records never arrived"
	sleep 0.1
done
kill -TERM $k
rc=0; wait $k || rc=$?
exec 3>&-
[ $rc -eq 0 ] || fail "SIGTERM: exit $rc: $(cat err)"
consume "$t" '%s\n' > got
i=0; while [ $i -lt 20 ]; do echo "{\"i\":$i}"; i=$((i + 1)); done > want
same want got
