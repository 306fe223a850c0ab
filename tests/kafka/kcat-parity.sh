#!/bin/sh
# ksource and ksink against kcat's own output, byte for byte: -f with every
# token, -K, -D, -O, -Z, tombstones, -J with --payload-string; ksink's -K,
# --fixed-key, -Z and -c read back by kcat.
# needs: ksource ksink
set -eu
B=$KAFKA_BROKERS
u=kp-$$-$(date +%s)
fail() { echo "FAIL: $*" >&2; exit 1; }
same() {	# what expected-file got-file
	cmp -s "$2" "$3" || { echo "FAIL: $1" >&2; diff -u "$2" "$3" | head -20 >&2; exit 1; }
}

# ---- a topic with keys, empty keys, headers, JSON and text, tombstones ----
tp=$u-fmt
printf 'k1\tv1\nk2\t{"a":1}\n\tnoval\nk3\t\nq\t"quote\\" and \\\\ slash/"\n' |
    kcat -P -b "$B" -t "$tp" -p 0 -K '\t' -H h1=x -H h2=y
printf 'kk\t\nk4\t{"n":4}\n' | kcat -P -b "$B" -t "$tp" -p 1 -K '\t' -Z
printf '"no key"\n' | kcat -P -b "$B" -t "$tp" -p 0
n=$(kcat -C -b "$B" -t "$tp" -e -q -f '%o\n' | wc -l)
[ "$n" -eq 8 ] || fail "kcat reads $n messages back, not 8"

# every -f token kcat 1.7 knows, with and without -Z, and escapes
for f in '%t|%p|%o|%k|%s|%S|%K|%T|%h|\n' 'Topic %t [%p] at offset %o: key %k: %s\n' \
    '%k\t%s\x2c%%\101\r\n' '%R%s'; do
	for z in "" -Z; do
		kcat -C -b "$B" -t "$tp" -p 0 -e -q $z -f "$f" > want
		ksource -t "$tp" -p 0 -e $z -f "$f" > got
		same "-f '$f' $z" want got
		kcat -C -b "$B" -t "$tp" -p 1 -e -q $z -f "$f" > want
		ksource -t "$tp" -p 1 -e $z -f "$f" > got
		same "-f '$f' $z (partition 1)" want got
	done
done
# -K and -D, as kcat builds its format from them
for args in "-K :" "-K \\t -D \\x2c" "-D |" "-K ; -Z" "-D \\n -Z"; do
	# shellcheck disable=SC2086
	kcat -C -b "$B" -t "$tp" -p 0 -e -q $args > want
	# shellcheck disable=SC2086
	ksource -t "$tp" -p 0 -e $args > got
	same "$args" want got
done
# -O: kcat documents "%o<K>" before the key; Debian's kcat 1.7.1 ignores it
kcat -C -b "$B" -t "$tp" -p 0 -e -q -f '%o:%k:%s\n' > want
ksource -t "$tp" -p 0 -e -O -K: > got
same "-O -K:" want got
# -J as kcat writes it, payload as a string, and -D after each envelope
kcat -C -b "$B" -t "$tp" -p 0 -e -q -J > want
ksource -t "$tp" -p 0 -e -J --payload-string > got
same "-J --payload-string equals kcat -J" want got
kcat -C -b "$B" -t "$tp" -p 1 -e -q -J -D '|' > want
ksource -t "$tp" -p 1 -e -J --payload-string -D '|' > got
same "-J -D '|'" want got
# the tombstone is null in -J (both forms) and with -Z; skipped, and said, without
ksource -t "$tp" -p 1 -e -J | jq -c .payload > got
printf 'null\n{"n":4}\n' > want
same "-J: a tombstone's payload is null" want got
ksource -t "$tp" -p 1 -e -Z > got
printf 'null\n{"n":4}\n' > want
same "-Z writes a tombstone as null" want got
ksource -t "$tp" -p 1 -e > got 2> err
printf '{"n":4}\n' > want
same "a tombstone is skipped without -Z" want got
grep -q "ksource: 1 empty or null values (tombstones) skipped; -Z writes them as null" err ||
	fail "no word about the skipped tombstone: $(cat err)"
# %e: why a value is not JSON
ksource -t "$tp" -p 0 -e -f '%o %e\n' | cut -c1-16 > got
printf '0 invalid JSON n\n1 \n2 invalid JSON n\n3 empty value\n4 \n5 \n' > want
same "%e" want got

# ---- ksink: -K, --fixed-key, -Z, -c, read back by kcat --------------------
tp=$u-sink
printf 'nodelim\n{"a":1}\na\t{"b":2}\n\t{"c":3}\nx\t\ny\tnull\n' > in
printf 'nodelim\n{"a":1}\na\t{"b":2}\n\t{"c":3}\nx\t\ny\tnull\n' |
    ksink -t "$tp" -p 0 -K '\t' --fixed-key FIX -Z 2> err
kcat -C -b "$B" -t "$tp" -e -q -f '%K/%k/%S/%s\n' > got
printf '3/FIX/7/{"a":1}\n1/a/7/{"b":2}\n3/FIX/7/{"c":3}\n1/x/-1/\n1/y/-1/\n' > want
same "ksink -K, --fixed-key, -Z" want got
grep -q '^ksink: <stdin>:1: invalid JSON' err || fail "nodelim: $(cat err)"
# the same lines through kcat -P, but for the line that is not JSON
sed 1d in | sed 's/\tnull$/\t/' | kcat -P -b "$B" -t "$tp-k" -p 0 -K '\t' -k FIX -Z
kcat -C -b "$B" -t "$tp-k" -e -q -f '%K/%k/%S/%s\n' > want
same "ksink -K --fixed-key -Z as kcat -P -K -k -Z" want got
# ksource -Z | ksink -Z keeps tombstones
ksource -t "$u-fmt" -p 1 -e -Z | ksink -t "$tp-z" -p 0 -Z
kcat -C -b "$B" -t "$tp-z" -e -q -f '%S\n' > got
printf -- '-1\n7\n' > want
same "ksource -Z | ksink -Z keeps the tombstone" want got
# -c N: exactly N produced, then exit 0 without reading the rest
rc=0
# (yes ends on SIGPIPE when ksink has read its 2: ksink's status is the one)
{ yes '{"n":1}' || :; } | timeout 20 ksink -t "$tp-c" -c 2 || rc=$?
[ "$rc" -eq 0 ] || fail "ksink -c 2: exit $rc"
kcat -C -b "$B" -t "$tp-c" -e -q > c2
[ "$(wc -l < c2)" -eq 2 ] || fail "ksink -c 2 produced other than 2"
echo ok
