# scripts/kafka-local tool NAME: the running broker's address is given by
# the script itself (no "--bootstrap-server must be specified"), one the
# user gives is used instead, and a mistake is one line, not a Java stack
# trace.
# broker: real
# needs: ksource
. "$T/kafka/ksink.subr"
kl() {
	sh "$T/../scripts/kafka-local" tool "$@"
}
t=$(topic tool)
kl topics --create --topic "$t" --partitions 3 > create.out 2> create.err ||
    { cat create.err; fail "tool topics --create without --bootstrap-server failed"; }
[ "$(partitions "$t")" = 3 ] || fail "topic $t has $(partitions "$t") partitions, not 3"
kl get-offsets --topic "$t" > offsets.out 2> offsets.err || fail "tool get-offsets failed"
[ "$(wc -l < offsets.out)" = 3 ] || fail "get-offsets: $(cat offsets.out)"
# an address given is used: a wrong one fails (not replaced by ours)
printf 'default.api.timeout.ms=3000\nrequest.timeout.ms=1000\n' > quick.props
rc=0
kl topics --bootstrap-server 127.0.0.1:1 --list --command-config quick.props \
    > wrong.out 2> wrong.err || rc=$?
[ "$rc" != 0 ] || fail "tool topics with a dead --bootstrap-server succeeded"
grep -q "Timed out" wrong.out || { cat wrong.out wrong.err; fail "no time-out"; }
kl topics --bootstrap-server="$KAFKA_BROKERS" --list > list.out 2> list.err ||
    fail "--bootstrap-server=ADDRESS given: $(cat list.err)"
grep -qx "$t" list.out || fail "--list lacks $t"
# the common mistakes: a topic made twice, one that is not there
rc=0
kl topics --create --topic "$t" --partitions 3 > twice.out 2> twice.err || rc=$?
[ "$rc" != 0 ] || fail "a second --create of $t succeeded"
cat twice.out >> twice.err	# Kafka's tool says it on stdout
grep -q "already exists" twice.err || { cat twice.err; fail "no 'already exists'"; }
rc=0
kl topics --describe --topic "$t-none" > none.out 2> none.err || rc=$?
[ "$rc" != 0 ] || fail "--describe of a missing topic succeeded"
cat none.out >> none.err
grep -q "does not exist" none.err || { cat none.err; fail "no 'does not exist'"; }
for f in twice.err none.err create.err; do
	! grep -Eq '^[[:space:]]+at |Exception' "$f" || { cat "$f"; fail "$f: a Java stack trace"; }
done
echo "figure: tool topics --create made $t with 3 partitions; mistakes in $(cat twice.err none.err | wc -l) lines"
