#!/bin/sh
# until.sh SECONDS CONDITION: wait until the shell CONDITION holds, polling
# every 50 ms, for at most SECONDS: the tests' readiness wait (a line seen
# in a file, a file written), in place of a sleep that guesses. Exits 0 as
# soon as it holds, 1 after SECONDS with a message on stderr.
n=$(( $1 * 20 ))
while ! eval "$2"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || { echo "until.sh: $1 s and still not: $2" >&2; exit 1; }
	sleep 0.05
done
