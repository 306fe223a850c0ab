# Broker faults on a private mock cluster, driven through its control
# FIFO while records flow: retriable Produce and Fetch errors, a broker
# down and back up. Each command waits for the mock's "done", each
# injected error is waited for until the mock says it was answered (a
# fault that never hit fails the test), and the broker goes down and up
# while the client still runs. ksink delivers every record exactly once (the
# idempotent producer), ksource reads every record exactly once; and
# non-retriable errors end with the documented status. Prints the figures:
# records sent, received, duplicates, lost.
# needs: kafka-mock ksink ksource salesgen
kafka-mock -o bs -c ctl > /dev/null 2> mock.log &
mock=$!
trap 'kill $mock 2>/dev/null; wait $mock 2>/dev/null || :' EXIT
i=0
while [ ! -s bs ]; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "kafka-mock did not start"; exit 1; }
	sleep 0.1
done
B=$(cat bs)
fail() { grep -v 'pending' mock.log | tail -20; echo "FAIL: $*"; exit 1; }
# ctl COMMAND: send it to the mock and wait until the mock has done it
ctl() {
	c_n=$(grep -c '^kafka-mock: done:' mock.log || :)
	echo "$*" > ctl
	sh "$T/until.sh" 10 "[ \$(grep -c '^kafka-mock: done:' mock.log) -gt $c_n ]" ||
		fail "the mock did not do: $*"
}
# hit ID API WHAT: wait until every error injected on broker ID for
# requests of type API was answered to the client
hit() {
	h_i=0
	while ctl pending "$1" "$2"
	    [ "$(sed -n "s/^kafka-mock: pending $1 $2 //p" mock.log | tail -1)" != 0 ]; do
		h_i=$((h_i + 1)); [ $h_i -lt 300 ] || fail "$3: never hit"
		sleep 0.05
	done
}
# running PID WHAT: the client is still running (the fault came mid-run)
running() {
	kill -0 "$1" 2>/dev/null || fail "$2: the client had ended before"
}
N=20000
ctl create faults 4

# tally FILE WHAT: FILE (records read back) against "sent": print WHAT with
# the counts received, duplicated and lost, and fail unless each of the N
# records came back exactly once
tally() {
	sort "$1" > "$1.sorted"
	t_dups=$(uniq -d "$1.sorted" | wc -l)
	t_lost=$(comm -23 sent "$1.sorted" | wc -l)
	t_n=$(wc -l < "$1.sorted")
	echo "$2 $t_n received, $t_dups duplicates, $t_lost lost"
	[ "$t_dups" -eq 0 ] && [ "$t_lost" -eq 0 ] && [ "$t_n" -eq "$N" ] ||
		fail "${2%%:*}: duplicates or losses"
}

# ---- ksink: 20,000 records at 4,000 a second through faults ----------
# One request in flight: the mock cluster does not check the idempotent
# producer's sequence numbers, so when it fails one Produce request and
# accepts the next, librdkafka takes the failed batch as written (a real
# broker refuses the next one, out of sequence): with the default 5 in
# flight, 1 run in 6 here "delivered" a batch the mock never stored.
# leader P: the broker that leads partition P of the topic faults
leader() {
	kcat -L -b "$B" -t faults | sed -n "s/^ *partition $1, leader \([0-9]*\),.*/\1/p"
}
# (errors are injected on the leader of a partition that gets records: it
# gets Produce requests all along)
salesgen -n $N -r 2500 --seed 11 --start-ts 1713654885000 \
  | ksink -b "$B" -t faults -k seller_id \
      -X max.in.flight.requests.per.connection=1 2> ksink.err &
k=$!
sh "$T/until.sh" 10 "kcat -C -b $B -t faults -e -q -c 1 2>/dev/null | grep -q ." ||
	fail "ksink: no record in the topic"
L=$(leader "$(kcat -C -b "$B" -t faults -e -q -c 1 -f '%p')")
[ -n "$L" ] || fail "no leader found"
ctl berror $L 0 6 5	# Produce: NOT_LEADER_OR_FOLLOWER five times
hit $L 0 "Produce NOT_LEADER_OR_FOLLOWER"
ctl berror $L 0 7 3	# Produce: REQUEST_TIMED_OUT (may have been written)
hit $L 0 "Produce REQUEST_TIMED_OUT"
running $k "ksink"
ctl down 1
sleep 1.5		# the time broker 1 is down, under test
running $k "ksink, broker 1 down"
ctl up 1
ctl berror $L 0 19 4	# Produce: NOT_ENOUGH_REPLICAS
hit $L 0 "Produce NOT_ENOUGH_REPLICAS"
rc=0; wait $k || rc=$?
[ $rc -eq 0 ] || fail "ksink through faults: exit $rc: $(cat ksink.err)"
salesgen -n $N -r 0 --seed 11 --start-ts 1713654885000 | sort > sent
kcat -C -b "$B" -t faults -e -q > got.raw
tally got.raw "ksink: $N sent through 12 injected errors and a broker restart:"

# ---- ksource: reads every record once through faults -------------------
# while broker 2 is down, so that ksource cannot have finished: with -e
# it exits as soon as every partition is at its end, leaving errors
# injected later for the next reader; the errors are injected on the
# leader of another partition, fetched from all along
F=$(for p in 0 1 2 3; do leader $p; done | grep -vx 2 | sed -n 1p)
[ -n "$F" ] || fail "every partition led by broker 2"
ctl down 2
ksource -b "$B" -t faults -e > r.raw 2> ksource.err &
k=$!
ctl berror $F 1 6 5	# Fetch: NOT_LEADER_OR_FOLLOWER
hit $F 1 "Fetch NOT_LEADER_OR_FOLLOWER"
ctl berror $F 1 7 3	# Fetch: REQUEST_TIMED_OUT
hit $F 1 "Fetch REQUEST_TIMED_OUT"
running $k "ksource"
ctl up 2
rc=0; wait $k || rc=$?
[ $rc -eq 0 ] || fail "ksource through faults: exit $rc: $(cat ksource.err)"
tally r.raw "ksource: $N in the topic, read through 8 injected errors and a broker restart:"
# and each partition in offset order, as written
# (kcat stops at a fetch error: try again should an injected one be left)
i=0
while kcat -C -b "$B" -t faults -e -q -f '%p %s\n' > byp.raw 2> kcat.err
	[ "$(wc -l < byp.raw)" -ne $N ]; do
	i=$((i + 1)); [ $i -lt 4 ] || fail "kcat read $(wc -l < byp.raw): $(cat kcat.err)"
done
sort -s -k1,1 byp.raw | cut -d' ' -f2- > byp.kcat
ksource -b "$B" -t faults -e -J | jq -c '[.partition, .payload]' \
  | sort -s -t, -k1,1 | jq -c '.[1]' > byp.ks
cmp byp.kcat byp.ks || fail "ksource: partition order differs from kcat's"

# ---- non-retriable: the documented status, the records dead-lettered ---
# (on every broker: a broker's own error list, even empty, hides the
# cluster's from its requests)
for b in 1 2 3; do
	ctl berror $b 0 29 1000	# Produce: TOPIC_AUTHORIZATION_FAILED
done
printf '%s\n' '{"n":1}' '{"n":2}' > two.nd
rc=0
ksink -b "$B" -t faults --dead-letter dl.nd < two.nd 2> err || rc=$?
[ $rc -eq 75 ] || fail "authorization: exit $rc: $(cat err)"
grep -q -i 'authoriz' err || fail "authorization: no reason given: $(cat err)"
# (in the order of the delivery reports: the two may be in two partitions)
sort dl.nd | cmp -s two.nd - || fail "authorization: dead letters differ: $(cat dl.nd)"
# a message larger than the broker takes: refused, said, dead-lettered
{ head -c 2000000 /dev/zero | tr '\0' a | sed 's/.*/{"big":"&"}/'; echo; } > big.nd
rc=0
ksink -b "$B" -t faults2 --dead-letter dl2.nd < big.nd 2> err || rc=$?
[ $rc -eq 75 ] || fail "too large: exit $rc: $(cat err)"
grep -q -i 'too large' err || fail "too large: no reason given: $(cat err)"
cmp big.nd dl2.nd || fail "too large: dead letter differs"
echo "non-retriable: authorization and message size end with 75, records dead-lettered"
