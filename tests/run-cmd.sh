#!/bin/sh
# Command tests: each tests/cmd/*.t is a list of one-line tests, sourced
# here with these functions (git t/ and toybox runtest.sh style):
#
#   t  NAME RC 'COMMAND' 'STDIN' 'STDOUT'   stdout must equal STDOUT
#   te NAME RC 'COMMAND' 'STDIN' 'TEXT'     stderr must contain TEXT
#   tg NAME RC 'COMMAND' 'STDIN' GOLDEN     stdout must equal tests/golden/GOLDEN
#
# STDIN and STDOUT get a final newline when not empty. COMMAND runs in a
# fresh work folder ($W, also the cwd) with the tools on PATH and $T the
# tests/ folder, under bash -o pipefail: a tool piped into jq, head or
# cksum keeps its own exit status (the last non-zero one of a pipeline
# is the test's), so a failure or a sanitizer's exit there is not lost.
# An exit status above 128 is reported as a crash. A COMMAND that exits
# 77 (automake's convention) is SKIPPED: the first line of its stderr is
# the reason, shown, and skips are counted apart from passes. KP_VERBOSE=1
# names every test that passed ("ok: FILE: NAME").
set -eu
export LC_ALL=C TZ=UTC
T=$(cd "$(dirname "$0")" && pwd)
export T
: "${KP_BIN:=$T/../bin}"
export PATH="$KP_BIN:$PATH"
export KP_SANITIZE="${KP_SANITIZE:-}"
unset KAFKA_BROKERS KCAT_CONFIG
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
pass=0 fail=0 skip=0

run_one() {	# name rc cmd stdin -> sets got_rc; files $WORK/out $WORK/err
	W="$WORK/w"; rm -rf "$W"; mkdir -p "$W"; export W
	if [ -n "$4" ]; then printf '%s\n' "$4" > "$WORK/in"; else : > "$WORK/in"; fi
	got_rc=0
	(cd "$W" && bash -o pipefail -c "$3") < "$WORK/in" > "$WORK/out" 2> "$WORK/err" || got_rc=$?
}

report() {	# name rc ok
	if [ "$got_rc" = 77 ] && [ "$2" != 77 ]; then
		echo "SKIP: $file: $1 ($(head -1 "$WORK/err"))"
		skip=$((skip + 1)); return
	fi
	if [ "$got_rc" -gt 128 ] && [ "$2" -le 128 ]; then
		echo "CRASH: $file: $1 (exit $got_rc)"; sed 's/^/  /' "$WORK/err" | head -20
		fail=$((fail + 1)); return
	fi
	if [ "$got_rc" != "$2" ]; then
		echo "FAIL: $file: $1: exit $got_rc, expected $2"
		sed 's/^/  stderr: /' "$WORK/err" | head -10
		fail=$((fail + 1)); return
	fi
	if [ "$3" = ok ]; then
		pass=$((pass + 1))
		[ "${KP_VERBOSE:-}" != 1 ] || echo "ok: $file: $1"
	else fail=$((fail + 1)); fi
}


t() {
	run_one "$1" "$2" "$3" "$4"
	if [ -n "$5" ]; then printf '%s\n' "$5" > "$WORK/exp"; else : > "$WORK/exp"; fi
	if cmp -s "$WORK/exp" "$WORK/out"; then report "$1" "$2" ok
	else
		report "$1" "$2" bad
		if [ "$got_rc" = "$2" ]; then
			echo "FAIL: $file: $1: stdout differs"; diff -u "$WORK/exp" "$WORK/out" | head -30
			sed 's/^/  stderr: /' "$WORK/err" | head -5
		fi
	fi
}

te() {
	run_one "$1" "$2" "$3" "$4"
	if grep -qF -- "$5" "$WORK/err"; then report "$1" "$2" ok
	else
		report "$1" "$2" bad
		if [ "$got_rc" = "$2" ]; then
			echo "FAIL: $file: $1: stderr lacks: $5"; sed 's/^/  stderr: /' "$WORK/err" | head -10
		fi
	fi
}

tg() {
	run_one "$1" "$2" "$3" "$4"
	if cmp -s "$T/golden/$5" "$WORK/out"; then report "$1" "$2" ok
	else
		report "$1" "$2" bad
		if [ "$got_rc" = "$2" ]; then
			echo "FAIL: $file: $1: stdout differs from golden/$5"; diff -u "$T/golden/$5" "$WORK/out" | head -30
		fi
	fi
}

for file in "$@"; do
	. "$file"
done
echo "command tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
