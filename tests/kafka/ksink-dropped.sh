# The mock cluster keeps 5 MiB a partition and drops the rest without a
# word: ksink says how many acknowledged records the broker no longer
# holds, and where, so a user is told (exit 0: they were delivered).
# needs: kafka-mock ksink salesgen
. "$T/kafka/ksink.subr"
KP_STATE=$W/mock
export KP_STATE
trap 'sh "$T/../scripts/kafka-local" stop 2>/dev/null || :' EXIT
B=$(sh "$T/../scripts/kafka-local" start 2>/dev/null)
salesgen -n 250000 -r 0 --seed 12 | ksink -b "$B" -t cap -p 2 2> err ||
	{ cat err; fail "ksink exit $?"; }
kept=$(kcat -C -b "$B" -t cap -e -q | wc -l)
[ "$kept" -lt 250000 ] || fail "the mock kept everything: nothing to test"
grep -q "^ksink: $((250000 - kept)) acknowledged records already dropped by the broker on 1 partition " err ||
	{ cat err; fail "$((250000 - kept)) dropped, not said"; }
grep -q "^ksink: topic cap \[2\]: the broker no longer holds offsets 0\.\.$((250000 - kept - 1))," err ||
	{ cat err; fail "the offsets dropped are not named"; }
echo "figure: 250,000 sent, the mock kept $kept, ksink said $((250000 - kept)) were dropped"
