# librdkafka's transient lines while the brokers are away (klog.h): ksink
# says nothing of them at first, then, when they have gone on for 10 s,
# one line "kafka: retrying for N s (M messages; -v shows them): ...";
# once the brokers are back every record is delivered, exit 0.
# needs: kafka-mock
. "$T/kafka/ksink.subr"
mock_start
trap 'kill $mock 2>/dev/null; wait $mock 2>/dev/null || :' EXIT
echo "create r 1" > ctl
mkfifo in
ksink -b "$B" -t r -X message.timeout.ms=120000 < in > /dev/null 2> err &
sink=$!
exec 3> in
echo '{"n":1}' >&3
i=0
until kcat -C -b "$B" -t r -e -q -f '%s\n' 2>/dev/null | grep -q n; do	# it runs: 1 delivered
	i=$((i + 1)); [ $i -lt 100 ] || fail "the first record was not delivered"; sleep 0.1
done
for b in 1 2 3; do echo "down $b" > ctl; sleep 0.1; done
echo '{"n":2}' >&3
i=0
until grep -q "kafka: retrying for" err; do
	i=$((i + 1)); [ $i -lt 300 ] || { cat err; fail "no retrying line in 30 s"; }
	sleep 0.1
done
[ $i -ge 50 ] || { cat err; fail "the retrying line came before 5 s"; }
# nothing else said meanwhile: no raw transport lines
if grep -v "kafka: retrying for [0-9]* s ([0-9]* messages; -v shows them): " err; then
	fail "lines other than the summary"
fi
for b in 1 2 3; do echo "up $b" > ctl; done
exec 3>&-
rc=0
wait $sink || rc=$?
[ $rc = 0 ] || { cat err; fail "ksink: exit $rc after the brokers came back"; }
[ "$(kcat -C -b "$B" -t r -e -q -f '%s\n' | wc -l)" = 2 ] || fail "not 2 records delivered"
echo "figure: $(head -1 err | sed 's/.*kafka: //; s/):.*/)/')"
