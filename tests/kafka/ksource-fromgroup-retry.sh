# ksource --from-group on a coordinator that answers "Not coordinator" or
# "Coordinator load in progress" (a broker just started; here a private
# mock cluster's injected OffsetFetch errors): tried again, the wait said,
# and the job starts (it failed at once with exit 69 before); an error
# that is not retriable still ends it with 69 at once.
# needs: kafka-mock ksink ksource
. "$T/kafka/ksink.subr"
trap 'kill ${mock:-} 2>/dev/null; wait ${mock:-} 2>/dev/null || :' EXIT
mock_start
echo "create in 2" > ctl
printf '{"a":1}\n{"a":2}\n{"a":3}\n' | ksink -b "$B" -t in -k a 2> err ||
	fail "ksink: $(cat err)"
# OffsetFetch (9): NOT_COORDINATOR (16), COORDINATOR_LOAD_IN_PROGRESS (14)
for code in 16 14; do
	echo "error 9 $code 6" > ctl
	sleep 0.2
	rc=0
	ksource -b "$B" -t in --from-group fg -e > out 2> err || rc=$?
	[ $rc -eq 0 ] || fail "OffsetFetch error $code x6: exit $rc: $(cat err)"
	[ "$(wc -l < out)" -eq 3 ] || fail "OffsetFetch error $code x6: $(wc -l < out) records, not 3"
	echo "OffsetFetch error $code x6: exit 0, 3 records $(sed -n 1p err)"
done
# GROUP_AUTHORIZATION_FAILED (30): not retriable, 69 at once
echo "error 9 30 1" > ctl
sleep 0.2
rc=0
ksource -b "$B" -t in --from-group fg -e > out 2> err || rc=$?
[ $rc -eq 69 ] || fail "OffsetFetch error 30: exit $rc, not 69: $(cat err)"
grep -q "cannot read its offsets" err || fail "OffsetFetch error 30: $(cat err)"
echo "OffsetFetch error 30: exit 69: $(cat err)"
