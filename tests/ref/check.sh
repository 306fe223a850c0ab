#!/bin/sh
# window-agg against the reference model (window_ref.py) on random
# out-of-order streams: tumble, hop (also with gaps) and session windows,
# with and without --delay and --lateness. Prints one line; exit 1 on the
# first difference, with the diff.
set -eu
R=$(cd "$(dirname "$0")" && pwd)
W=${W:-$(mktemp -d)}
n=0
for seed in 1 2 3; do
	/usr/bin/python3 "$R/gen.py" "$seed" 3000 800 > "$W/s.ndjson"
	for spec in "tumble 1000" "hop 3000 1000" "session 500" \
	    "tumble 1000 200 500" "hop 2000 500 300 1000" "session 400 300 700" \
	    "hop 1000 1500 100 0" "tumble 6000 0 0"; do
		set -- $spec
		kind=$1; shift
		case $kind in
		tumble) opts="--tumble ${1}ms" ;;
		hop) opts="--hop ${1}ms --slide ${2}ms"; shift ;;
		session) opts="--session ${1}ms" ;;
		esac
		shift
		[ $# -ge 1 ] && opts="$opts --delay ${1}ms"
		[ $# -ge 2 ] && opts="$opts --lateness ${2}ms"
		PYTHONIOENCODING=utf-8 /usr/bin/python3 "$R/window_ref.py" $spec \
		    < "$W/s.ndjson" > "$W/ref.out"
		window-agg $opts --key k --time-field t --time-format ms \
		    -a 's=sum(v)' -a 'n=count()' -a 'm=max(v)' \
		    < "$W/s.ndjson" > "$W/got.out" 2> /dev/null
		if ! cmp -s "$W/ref.out" "$W/got.out"; then
			echo "seed $seed, $spec: window-agg differs from the model"
			diff -u "$W/ref.out" "$W/got.out" | head -20
			exit 1
		fi
		n=$((n + 1))
	done
done
echo "$n streams agree with the reference model"
