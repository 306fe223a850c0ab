#!/bin/sh
# Keep each man page in step with its tool's usage(): every option that
# `tool --help` prints must be documented in man/tool.1, and every option
# the man page's SYNOPSIS names must be in the usage text.
set -eu
cd "$(dirname "$0")/.."
: "${KP_BIN:=bin}"
rc=0
for t in salesgen ksource ksink window-agg fxconvert kplot; do
	[ -x "$KP_BIN/$t" ] || continue
	if [ ! -f "man/$t.1" ]; then echo "man-sync: man/$t.1 missing"; rc=1; continue; fi
	help=$("$KP_BIN/$t" --help 2>&1) || { echo "man-sync: $t --help failed"; rc=1; continue; }
	page=$(MANWIDTH=200 mandoc -Tascii "man/$t.1" | col -b)
	synopsis=$(printf '%s\n' "$page" | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p')
	for o in $(printf '%s\n' "$help" | grep -oE '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u); do
		printf '%s\n' "$page" | grep -qE -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" ||
			{ echo "man-sync: $t: $o is in usage() but not in man/$t.1"; rc=1; }
	done
	for o in $(printf '%s\n' "$synopsis" | grep -oE '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u); do
		printf '%s\n' "$help" | grep -qE -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" ||
			{ echo "man-sync: $t: $o is in the SYNOPSIS but not in usage()"; rc=1; }
	done
done
exit $rc
