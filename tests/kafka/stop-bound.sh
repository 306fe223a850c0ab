# ksink and ksource stop within their documented bounds after SIGTERM,
# whatever the brokers do (both waited forever before, in librdkafka's
# destroy). ksink: with every broker of a private mock cluster down and records
# waiting, SIGTERM ends it within --flush-timeout + 10 s with exit 75 and
# the count of records not delivered (librdkafka's destroy, left alone,
# waits forever: "49 of 108 records not delivered", then no exit). Plain
# and transactional.
# needs: kafka-mock ksink salesgen
. "$T/kafka/ksink.subr"
trap 'kill ${mock:-} 2>/dev/null; wait ${mock:-} 2>/dev/null || :; [ -z "${k:-}" ] || kill -9 $k 2>/dev/null || :' EXIT
mock_start
echo "create stop 4" > ctl
FLUSH=3		# --flush-timeout, s
BOUND=$((FLUSH + 10 + 2))	# the documented bound, and 2 s of slack

# stoprun NAME ARG...: ksink ARG... fed 100 records a second; once some
# are delivered every broker goes down, then SIGTERM: exit 75 in BOUND s
stoprun() {
	name=$1
	shift
	rm -f "$name.rc" "$name.pid"
	# its exit status in $name.rc when it ends (kill -0 sees a zombie)
	( rc=0
	  salesgen -n 100000 -r 100 --seed 3 2>/dev/null |
	      sh -c 'echo $$ > "$0"; exec "$@"' "$name.pid" ksink -b "$B" \
	      -t stop -k seller_id --progress --flush-timeout ${FLUSH}s "$@" \
	      2> "$name.err" || rc=$?
	  echo $rc > "$name.rc" ) &
	i=0
	until [ -s "$name.pid" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "$name: no ksink"; sleep 0.1
	done
	k=$(cat "$name.pid")
	# delivered: the progress line counts some
	i=0
	until grep -Eq '[1-9][0-9]* delivered' "$name.err"; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "$name: nothing delivered: $(cat "$name.err")"
		sleep 0.1
	done
	for b in 1 2 3; do echo "down $b" > ctl; sleep 0.1; done
	sleep 1		# records pile up for brokers that are gone
	t0=$(date +%s)
	kill -TERM $k
	i=0
	while [ ! -s "$name.rc" ]; do
		i=$((i + 1))
		[ $i -lt $((BOUND * 10)) ] || fail "$name: still running $BOUND s after SIGTERM: $(tail -3 "$name.err")"
		sleep 0.1
	done
	rc=$(cat "$name.rc")
	k=
	t=$(( $(date +%s) - t0 ))
	[ $rc -eq 75 ] || fail "$name: exit $rc after SIGTERM, not 75: $(cat "$name.err")"
	grep -q "records not delivered" "$name.err" ||
		fail "$name: no count of what was not delivered: $(cat "$name.err")"
	echo "$name: exit 75 ${t} s after SIGTERM (bound $BOUND s): $(grep -m1 'not delivered' "$name.err")"
	for b in 1 2 3; do echo "up $b" > ctl; done
}

stoprun plain
stoprun txn -X transactional.id=stop-txn

# ---- ksource -G: every broker down, SIGTERM: exit 69 within 10 s --------
salesgen -n 1000 -r 0 --seed 4 | ksink -b "$B" -t stop -k seller_id 2> err ||
	fail "ksink: $(cat err)"
rm -f src.rc src.pid
( rc=0
  sh -c 'echo $$ > "$0"; exec "$@"' src.pid ksource -b "$B" -t stop -G bound \
      > src.out 2> src.err || rc=$?
  echo $rc > src.rc ) &
i=0
until [ -s src.pid ] && [ "$(wc -l < src.out)" -gt 1000 ]; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "ksource: read $(wc -l < src.out) records: $(cat src.err)"
	sleep 0.1
done
k=$(cat src.pid)
for b in 1 2 3; do echo "down $b" > ctl; sleep 0.1; done
sleep 1
t0=$(date +%s)
kill -TERM $k
i=0
while [ ! -s src.rc ]; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "ksource: still running 12 s after SIGTERM: $(tail -3 src.err)"
	sleep 0.1
done
k=
rc=$(cat src.rc)
[ $rc -eq 0 ] || [ $rc -eq 69 ] || fail "ksource: exit $rc after SIGTERM: $(cat src.err)"
echo "ksource: exit $rc $(( $(date +%s) - t0 )) s after SIGTERM (bound 10 s)"
