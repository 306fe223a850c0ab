#!/bin/sh
# Keep each man page in step with its tool's usage(): the SYNOPSIS, as
# mandoc renders it, must be the usage text word for word (white space
# aside, and " | " read as "|", " ..." as "..."); every option that the
# usage text prints must be documented in man/tool.1, and every option
# the man page's SYNOPSIS names must be in the usage text. The text is
# read from the source (the string literals of usage() in cmd/tool/*.c),
# so no binary is needed: `make clean; make lint` checks every tool whose
# source is in the tree, and says which are not.
set -eu
cd "$(dirname "$0")/.."
rc=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# norm: one line, single spaces, "a | b" as "a|b", "x ..." as "x..."
norm() {
	tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//; s/ *| */|/g; s/ \.\.\./.../g'
}
for t in salesgen ksource ksink window-agg fxconvert kplot; do
	if ! ls "cmd/$t"/*.c > /dev/null 2>&1; then
		echo "man-sync: $t: no source in the tree, not checked"; continue
	fi
	if [ ! -f "man/$t.1" ]; then echo "man-sync: man/$t.1 missing"; rc=1; continue; fi
	# the strings of the fprintf(f, ...) or kp_usage(f, ...) call in
	# usage(), up to the line that ends it
	help=$(awk '/^usage\(FILE \*f\)/ { u = 1 }
	    u && /(fprintf|kp_usage)\(f,/ { s = 1 }
	    s && /"/ { l = $0; sub(/^[^"]*"/, "", l); sub(/"[^"]*$/, "", l);
		sub(/\\n$/, "", l); print l }
	    s && /\);[ \t]*$/ { s = 0; u = 0 }' "cmd/$t"/*.c)
	case $help in
	"usage: $t"*) ;;
	*) echo "man-sync: $t: no usage() text found in cmd/$t"; rc=1; continue ;;
	esac
	n=$((n + 1))
	page=$(MANWIDTH=200 mandoc -Tascii "man/$t.1" | col -b)
	synopsis=$(printf '%s\n' "$page" | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p')
	# the whole synopsis, white space aside
	want=$(printf '%s\n' "$help" | norm | sed 's/^usage: //')
	got=$(printf '%s\n' "$synopsis" | sed '1d; $d' | norm)
	if [ "$want" != "$got" ]; then
		echo "man-sync: $t: the SYNOPSIS of man/$t.1 is not usage():"
		printf '%s\n' "$want" | tr ' ' '\n' > "$tmp/want"
		printf '%s\n' "$got" | tr ' ' '\n' > "$tmp/got"
		diff -U2 "$tmp/want" "$tmp/got" | sed '1,2d; s/^/    /'
		echo "    (- usage(), + man/$t.1, a word a line)"
		rc=1
	fi
	for o in $(printf '%s\n' "$help" | grep -oE '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u); do
		printf '%s\n' "$page" | grep -qE -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" ||
			{ echo "man-sync: $t: $o is in usage() but not in man/$t.1"; rc=1; }
	done
	for o in $(printf '%s\n' "$synopsis" | grep -oE '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u); do
		printf '%s\n' "$help" | grep -qE -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" ||
			{ echo "man-sync: $t: $o is in the SYNOPSIS but not in usage()"; rc=1; }
	done
done
[ "$n" -gt 0 ] || { echo "man-sync: no tool checked"; rc=1; }
exit $rc
