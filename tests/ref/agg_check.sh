#!/bin/sh
# window-agg's aggregates on random records against agg_ref.py's own
# computation with Python's statistics and decimal (three seeds).
set -eu
R=$(cd "$(dirname "$0")" && pwd)
W=${W:-$(mktemp -d)}
set --
while IFS= read -r a; do set -- "$@" "$a"; done <<X
$(/usr/bin/python3 "$R/agg_ref.py" args)
X
for seed in 1 2 3; do
	/usr/bin/python3 "$R/agg_ref.py" gen "$seed" 20000 > "$W/in.nd"
	window-agg --tumble 1s -k k -t t --time-format ms "$@" \
	    < "$W/in.nd" > "$W/out.nd"
	PYTHONIOENCODING=utf-8 /usr/bin/python3 "$R/agg_ref.py" check \
	    "$W/in.nd" "$W/out.nd"
done
