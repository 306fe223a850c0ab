#!/bin/sh
# Kafka tests: each tests/kafka/*.sh is a script run against a local
# broker started here (unless $KAFKA_BROKERS names a cluster), under
# `bash -eu -o pipefail` (a tool piped into jq, wc or sort keeps its exit
# status). A test exits 0 on success; its output is shown only when it
# fails. A test that exits 77 (automake's convention) is SKIPPED: its last
# line of output is the reason, shown, and it is counted apart.
#
# The broker is a real Apache Kafka (scripts/kafka-local start --real)
# whenever Java and its jars can be had, else librdkafka's mock cluster,
# said loudly. A "# broker: real" line marks a test that proves a Kafka
# behaviour the mock lacks: on the mock it is skipped, and counted (as is a
# test that exits 77 there). Real-broker tests that did not run fail the
# run, said loudly, unless KP_REAL=0 asked for the mock.
# Fault-injection tests start their own mock ("# needs: kafka-mock").
# KP_REAL=0 forces the mock; KP_REAL=1 fails when no real broker starts.
# KP_TIMEOUT: seconds a test may take (600; make soak gives 3600).
# A test that exits 77 is SKIPPED (its last output line says why), never
# passed: a Java or a peer it needs is missing.
# A test sees $KAFKA_BROKERS, $KP_BROKER (real, mock or external) and
# $KP_STATE (the local broker's state folder, for scripts/kafka-local).
set -eu
export LC_ALL=C TZ=UTC
T=$(cd "$(dirname "$0")" && pwd)
export T
: "${KP_BIN:=$T/../bin}"
export KP_BIN PATH="$KP_BIN:$PATH"
unset KCAT_CONFIG
WORK=$(mktemp -d)
KP_STATE=$WORK/state
export KP_STATE
started=
cleanup() {
	[ -n "$started" ] && sh "$T/../scripts/kafka-local" stop >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
if [ -n "${KAFKA_BROKERS:-}" ]; then
	KP_BROKER=external
elif [ "${KP_REAL:-}" != 0 ] &&
    KAFKA_BROKERS=$(sh "$T/../scripts/kafka-local" start --real 2> "$WORK/start.log"); then
	KP_BROKER=real started=1
	echo "kafka tests: on a REAL broker, $(sed -n 's/^kafka-local: \(Apache Kafka [^ ]*\).*/\1/p' "$WORK/start.log"), $(sed -n 's/^kafka-local: started in //p' "$WORK/start.log") to start"
else
	[ "${KP_REAL:-}" != 1 ] || { cat "$WORK/start.log"; echo "kafka tests: KP_REAL=1 and no real broker"; exit 1; }
	echo "****************************************************************"
	echo "kafka tests: NO REAL KAFKA (see below); running on librdkafka's"
	echo "MOCK broker. Tests of real-Kafka behaviour are SKIPPED."
	sed 's/^/  /' "$WORK/start.log" 2>/dev/null | tail -5
	echo "****************************************************************"
	sh "$T/../scripts/kafka-local" stop >/dev/null 2>&1 || :
	KAFKA_BROKERS=$(sh "$T/../scripts/kafka-local" start 2>/dev/null)
	KP_BROKER=mock started=1
fi
export KAFKA_BROKERS KP_BROKER
pass=0 fail=0 skip=0 realskip=0
for f in "$@"; do
	[ -f "$f" ] || continue
	case $f in /*) abs=$f ;; *) abs=$PWD/$f ;; esac	# it runs in $W
	# a "# needs: tool..." line names the tools a test runs
	missing=
	for tool in $(sed -n 's/^# needs: //p' "$f"); do
		[ -x "$KP_BIN/$tool" ] || missing="$missing $tool"
	done
	if [ -n "$missing" ]; then
		skip=$((skip + 1)); echo "SKIP: $f (not built:$missing)"; continue
	fi
	if [ "$KP_BROKER" = mock ] && grep -q '^# broker: real' "$f"; then
		skip=$((skip + 1)) realskip=$((realskip + 1))
		echo "SKIP: $f (needs a real Kafka broker)"; continue
	fi
	W="$WORK/$(basename "$f" .sh)"; mkdir -p "$W"; export W
	rc=0
	s0=$(date +%s)
	(cd "$W" && timeout "${KP_TIMEOUT:-600}" bash -eu -o pipefail "$abs") > "$W.log" 2>&1 || rc=$?
	s=$(( $(date +%s) - s0 ))
	if [ "$rc" -eq 77 ]; then
		skip=$((skip + 1)); echo "SKIP: $f ($(tail -1 "$W.log"))"
	elif [ "$rc" -eq 0 ]; then
		pass=$((pass + 1)); echo "ok: $f (${s}s)$(sed -n 's/^figure: /: /p' "$W.log" | tr '\n' ' ')"
	elif [ "$rc" -eq 77 ]; then
		skip=$((skip + 1)); [ "$KP_BROKER" != mock ] || realskip=$((realskip + 1))
		echo "SKIP: $f ($(tail -1 "$W.log"))"
	else
		fail=$((fail + 1)); echo "FAIL: $f (exit $rc, ${s}s)"; tail -40 "$W.log" | sed 's/^/  /'
	fi
done
echo "kafka tests ($KP_BROKER broker): $pass passed, $fail failed, $skip skipped$([ $realskip -eq 0 ] || echo " ($realskip need a REAL broker)")"
if [ "$realskip" -gt 0 ]; then
	if [ "${KP_REAL:-}" = 0 ]; then
		echo "kafka tests: KP_REAL=0: $realskip real-broker tests SKIPPED, as asked"
	else
		echo "****************************************************************"
		echo "kafka tests: FAILED: $realskip real-broker tests did NOT run (no"
		echo "real Kafka here; see above). KP_REAL=0 runs on the mock only."
		echo "****************************************************************"
		exit 1
	fi
fi
[ "$fail" -eq 0 ]
