# Broker faults on a private mock cluster, driven through its control
# FIFO while records flow: retriable Produce and Fetch errors, a broker
# down and back up. ksink delivers every record exactly once (the
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
fail() { echo "FAIL: $*"; cat mock.log; exit 1; }
ctl() { echo "$*" > ctl; }
N=20000
echo "create faults 4" > ctl
sleep 0.3

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
salesgen -n $N -r 4000 --seed 11 --start-ts 1713654885000 \
  | ksink -b "$B" -t faults -k seller_id \
      -X max.in.flight.requests.per.connection=1 2> ksink.err &
k=$!
sleep 1
ctl error 0 6 5		# Produce: NOT_LEADER_OR_FOLLOWER five times
sleep 0.5
ctl error 0 7 3		# Produce: REQUEST_TIMED_OUT (may have been written)
sleep 0.5
ctl down 1
sleep 1.5
ctl up 1
ctl error 0 19 4	# Produce: NOT_ENOUGH_REPLICAS
rc=0; wait $k || rc=$?
[ $rc -eq 0 ] || fail "ksink through faults: exit $rc: $(cat ksink.err)"
salesgen -n $N -r 0 --seed 11 --start-ts 1713654885000 | sort > sent
kcat -C -b "$B" -t faults -e -q > got.raw
tally got.raw "ksink: $N sent through 12 injected errors and a broker restart:"

# ---- ksource: reads every record once through faults -------------------
ksource -b "$B" -t faults -e > r.raw 2> ksource.err &
k=$!
ctl error 1 6 5		# Fetch: NOT_LEADER_OR_FOLLOWER
ctl down 2
sleep 0.5
# while broker 2 is down, so that ksource cannot have finished: with -e
# it exits as soon as every partition is at its end, leaving errors
# injected later for the next reader
ctl error 1 7 3		# Fetch: REQUEST_TIMED_OUT
sleep 1
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
ctl error 0 29 1000	# Produce: TOPIC_AUTHORIZATION_FAILED
sleep 0.3
printf '%s\n' '{"n":1}' '{"n":2}' > two.nd
rc=0
ksink -b "$B" -t faults --dead-letter dl.nd < two.nd 2> err || rc=$?
[ $rc -eq 75 ] || fail "authorization: exit $rc: $(cat err)"
grep -q -i 'authoriz' err || fail "authorization: no reason given: $(cat err)"
# (in the order of the delivery reports: the two may be in two partitions)
sort dl.nd | cmp -s two.nd - || fail "authorization: dead letters differ: $(cat dl.nd)"
ctl error 0 0 0
# a message larger than the broker takes: refused, said, dead-lettered
{ head -c 2000000 /dev/zero | tr '\0' a | sed 's/.*/{"big":"&"}/'; echo; } > big.nd
rc=0
ksink -b "$B" -t faults2 --dead-letter dl2.nd < big.nd 2> err || rc=$?
[ $rc -eq 75 ] || fail "too large: exit $rc: $(cat err)"
grep -q -i 'too large' err || fail "too large: no reason given: $(cat err)"
cmp big.nd dl2.nd || fail "too large: dead letter differs"
echo "non-retriable: authorization and message size end with 75, records dead-lettered"
