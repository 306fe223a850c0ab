# ksource notices what it waits on is gone. The reader of its output: a
# live ksource (with and without -G) whose reader closes the pipe while
# no message comes exits at once, quietly, with status 0 (before, it
# noticed only at its next write, so a dead downstream stage left it
# running forever). Every broker: a live ksource exits 69 with a clear
# message once no broker has answered for --broker-timeout (before, it
# logged "Connect ... refused" forever); with the broker back in time it
# goes on reading.
# needs: kafka-mock ksource ksink salesgen
mock=
. "$T/kafka/ksink.subr"
start_mock() {
	mock_start
	echo "create gone 2" > ctl
	sleep 0.3
}
trap '[ -z "$mock" ] || kill $mock 2>/dev/null; wait 2>/dev/null || :' EXIT
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# ends PID SECONDS: wait for PID to end, at most SECONDS, then kill it and
# fail; rc is its status
ends() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($2 * 10)) ] || { kill -9 "$1"; fail "still running after $2 s"; }
		sleep 0.1
	done
	rc=0
	wait "$1" || rc=$?
}
start_mock

# the reader goes away while ksource waits for messages
mkfifo p
for g in "" "-G gone-$$"; do
	ksource -b "$B" -t gone $g > p 2> gone.err &
	ks=$!
	exec 3< p
	sleep 1.5
	exec 3<&-
	s=$(date +%s%N)
	ends $ks 5
	took=$(ms $s)
	[ $rc = 0 ] || { cat gone.err; fail "ksource $g: status $rc after its reader left"; }
	[ $took -lt 3000 ] || fail "ksource $g took $took ms to notice its reader left"
	echo "figure: ksource $g: reader gone, exit 0 in $took ms"
done

# every broker goes away: 69 after --broker-timeout, with a message
for g in "" "-G down-$$"; do
	ksource -b "$B" -t gone $g --broker-timeout 2s > out 2> down.err &
	ks=$!
	sleep 1.5
	kill $mock; wait $mock 2>/dev/null || :
	s=$(date +%s%N)
	ends $ks 15
	took=$(ms $s)
	[ $rc = 69 ] || { cat down.err; fail "ksource $g: status $rc with no broker"; }
	grep -q "no Kafka broker reachable at $B for 2s (--broker-timeout): giving up" down.err ||
	    { cat down.err; fail "no clear message"; }
	[ $took -lt 8000 ] || fail "ksource $g took $took ms to give up"
	echo "figure: ksource $g: brokers gone, exit 69 in $took ms"
	start_mock
done

# down for less than --broker-timeout: it goes on, and reads what comes
ksource -b "$B" -t gone --broker-timeout 20s -c 100 > back 2> back.err &
ks=$!
sleep 1
echo "down 1" > ctl; echo "down 2" > ctl; echo "down 3" > ctl
sleep 3
echo "up 1" > ctl; echo "up 2" > ctl; echo "up 3" > ctl
salesgen -n 100 -r 0 --seed 1 > in.nd
ksink -b "$B" -t gone -k seller_id < in.nd 2> /dev/null
ends $ks 30
[ $rc = 0 ] || { cat back.err; fail "status $rc after the brokers came back"; }
sort in.nd > a; sort back > b
cmp a b || fail "records lost after the brokers came back"
