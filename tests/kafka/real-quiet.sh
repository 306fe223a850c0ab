# librdkafka's transient lines are held back (klog.h): the first produce
# on a broker just started (its transaction state still loading: "Failed
# to acquire idempotence PID ... Coordinator load in progress: retrying")
# says nothing, and with -v says it; a transaction ksink aborts itself
# (rows after the last position) does not report its purged records
# ("Local: Purged in queue"), and with -v does.
# broker: real
# needs: ksink
. "$T/kafka/ksink.subr"
fresh() {	# NAME: a one-node Kafka of its own, just started, at $FB
	KP_STATE=$PWD/$1 sh "$T/../scripts/kafka-local" start --real \
	    > "$1.bs" 2> "$1.log" || { cat "$1.log"; fail "broker $1 did not start"; }
	FB=$(cat "$1.bs")
}
stop() {
	for b in quiet loud; do
		[ ! -d "$b" ] || KP_STATE=$PWD/$b sh "$T/../scripts/kafka-local" stop 2> /dev/null
	done
}
trap stop EXIT
fresh quiet
echo '{"a":1}' | ksink -t first -b "$FB" 2> quiet.err || fail "ksink failed: $(cat quiet.err)"
[ ! -s quiet.err ] || { cat quiet.err; fail "a first produce said something"; }
KP_STATE=$PWD/quiet sh "$T/../scripts/kafka-local" stop 2> /dev/null
fresh loud
echo '{"a":1}' | ksink -v -t first -b "$FB" 2> loud.err || fail "ksink -v failed: $(cat loud.err)"
grep -q "Coordinator load in progress" loud.err ||
    { cat loud.err; fail "-v: no transient line from a broker just started (so the quiet run proved nothing)"; }
# an abort of our own: its purged records are not reported
t=$(topic quiet)
printf '%s\n' '{"a":1}' '{"a":2}' > rows	# no position: all aborted
ksink -t "$t" --position-field _pos --progress-group "$t-pg" \
    -X transactional.id="$t-tx" < rows 2> abort.err || fail "ksink: $(cat abort.err)"
grep -q "rows after the last position not committed" abort.err ||
    { cat abort.err; fail "no abort"; }
! grep -q "Purged" abort.err || { cat abort.err; fail "purged records reported after our own abort"; }
ksink -v -t "$t" --position-field _pos --progress-group "$t-pg" \
    -X transactional.id="$t-tx" < rows 2> abortv.err || fail "ksink -v: $(cat abortv.err)"
grep -q "Purged in queue" abortv.err || { cat abortv.err; fail "-v: no purged records"; }
echo "figure: -v showed $(grep -c 'Coordinator load' loud.err) transient lines a first produce held back"
