#!/bin/sh
# Kafka tests: each tests/kafka/*.sh is a script run against the local
# mock broker (started here unless $KAFKA_BROKERS names a cluster). A test
# exits 0 on success; its output is shown only when it fails.
set -eu
export LC_ALL=C TZ=UTC
T=$(cd "$(dirname "$0")" && pwd)
export T
: "${KP_BIN:=$T/../bin}"
export KP_BIN PATH="$KP_BIN:$PATH"
unset KCAT_CONFIG
WORK=$(mktemp -d)
started=
cleanup() {
	[ -n "$started" ] && KP_STATE="$WORK/state" sh "$T/../scripts/kafka-local" stop >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
if [ -z "${KAFKA_BROKERS:-}" ]; then
	KAFKA_BROKERS=$(KP_STATE="$WORK/state" sh "$T/../scripts/kafka-local" start)
	started=1
fi
export KAFKA_BROKERS
pass=0 fail=0 skip=0
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
	W="$WORK/$(basename "$f" .sh)"; mkdir -p "$W"; export W
	rc=0
	(cd "$W" && timeout 300 sh -eu "$abs") > "$W.log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1)); echo "ok: $f"
	else
		fail=$((fail + 1)); echo "FAIL: $f (exit $rc)"; tail -40 "$W.log" | sed 's/^/  /'
	fi
done
echo "kafka tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
