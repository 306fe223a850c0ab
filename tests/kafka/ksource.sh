#!/bin/sh
# ksource without a group, against $KAFKA_BROKERS, with kcat and
# python3-kafka as independent peers: what they produce reads back the
# same, offsets, counts, partitions and times select the right messages,
# the -J envelope matches kcat's, and bad values follow the policy.
# needs: ksource
set -eu
B=$KAFKA_BROKERS
u=ks-$$-$(date +%s)	# unique topic names
fail() { echo "FAIL: $*" >&2; exit 1; }
same() {	# what expected-file got-file
	cmp -s "$2" "$3" || { echo "FAIL: $1" >&2; diff -u "$2" "$3" | head -20 >&2; exit 1; }
}
# a topic is ready when kcat can read all of it back
produced() {	# topic count
	n=$(kcat -C -b "$B" -t "$1" -e -q -f '%o\n' | wc -l)
	[ "$n" -eq "$2" ] || fail "$1: kcat reads $n messages back, not $2"
}

# ---- what kcat produced, with keys and headers, reads back -------------
tp=$u-basic
i=0
while [ $i -lt 200 ]; do
	printf 'k%d:{"n":%d,"seller_id":"S%d","amount_usd":%d.5}\n' $((i % 13)) $i $((i % 7)) $i
	i=$((i + 1))
done > sent
kcat -P -b "$B" -t "$tp" -K: -H origin=kcat -H trace=t1 < sent
produced "$tp" 200
ksource -t "$tp" -e > got
cut -d: -f2- sent | sort > want.sorted
sort got > got.sorted
same "ksource -e gives what kcat produced" want.sorted got.sorted
# producer order holds within each partition
ksource -t "$tp" -e -J | jq -r '[.partition, .offset, .payload.n] | @tsv' > po
sort -n -k1,1 -k2,2 po | awk -F'\t' '$1 == p && $3 <= n { print "partition " $1 ": n " $3 " after " n; bad = 1 }
	{ p = $1; n = $3 } END { exit bad }' || fail "per-partition order"
[ "$(cut -f1 po | sort -u | wc -l)" -gt 1 ] || fail "one partition only: the test shows nothing"

# ---- -J field by field against kcat -J ------------------------------------
kcat -C -b "$B" -t "$tp" -e -J -q | jq -c '.payload |= fromjson' | sort > kj
ksource -t "$tp" -e -J | jq -c . | sort > sj
same "ksource -J matches kcat -C -J (payload embedded as JSON)" kj sj
jq -r 'keys_unsorted | join(" ")' sj | sort -u > fields
echo "topic partition offset tstype ts broker headers key payload" > want
same "-J field names and order" want fields
ksource -t "$tp" -e -J -c 1 | jq -c '[.headers, .tstype, (.key | test("^k"))]' > got
echo '[["origin","kcat","trace","t1"],"create",true]' > want
same "-J headers, tstype, key" want got
# the envelope as kcat writes it, byte for byte, but for the payload
kcat -C -b "$B" -t "$tp" -e -J -q | sed 's/,"payload":".*//' | sort > kb
ksource -t "$tp" -e -J | sed 's/,"payload":.*//' | sort > sb
same "-J bytes before the payload equal kcat's" kb sb

# ---- -c, -p, -o ------------------------------------------------------------
ksource -t "$tp" -c 7 > c7
[ "$(wc -l < c7)" -eq 7 ] || fail "-c 7"
ksource -t "$tp" -p 1 -e -J | jq -r .partition | sort -u > got
echo 1 > want
same "-p 1 reads partition 1 only" want got
n1=$(kcat -C -b "$B" -t "$tp" -p 1 -e -q | wc -l)
ksource -t "$tp" -p 1 -e > p1
[ "$(wc -l < p1)" -eq "$n1" ] || fail "-p 1 reads all of partition 1"
ksource -t "$tp" -p 1 -o 3 -e -J | jq -r .offset | sed -n 1p > got
echo 3 > want
same "-o 3 starts at offset 3" want got
ksource -t "$tp" -p 1 -o 3 -e > p1o3
[ "$(wc -l < p1o3)" -eq $((n1 - 3)) ] || fail "-o 3 reads to the end"
kcat -C -b "$B" -t "$tp" -o -2 -e -J -q | jq -r '[.partition, .offset] | @tsv' | sort > want
ksource -t "$tp" -o -2 -e -J | jq -r '[.partition, .offset] | @tsv' | sort > got
same "-o -2: the last 2 of each partition" want got
[ "$(wc -l < got)" -eq $(( $(cut -f1 po | sort -u | wc -l) * 2 )) ] || fail "-o -2 count"
ksource -t "$tp" -o end -e > got
[ ! -s got ] || fail "-o end -e wrote something"

# ---- s@MS and e@MS ---------------------------------------------------------
tp=$u-time
printf '{"batch":1,"n":%d}\n' 1 2 3 4 5 6 | kcat -P -b "$B" -t "$tp" -p 0
sleep 1
printf '{"batch":2,"n":%d}\n' 7 8 9 | kcat -P -b "$B" -t "$tp" -p 0
produced "$tp" 9
ms=$(kcat -C -b "$B" -t "$tp" -p 0 -o 6 -c 1 -q -f '%T')
ksource -t "$tp" -o "s@$ms" -e 2> err | jq -c .n | tr '\n' ' ' > got
printf '7 8 9 ' > want
same "-o s@MS starts at the first message at or after MS" want got
grep -q "ksource: note: s@$ms: the broker has no offset for that time" err || {
	# a real broker answers the time index: then no note
	[ ! -s err ] || fail "s@: unexpected stderr: $(cat err)"
}
ksource -t "$tp" -o "e@$ms" -e | jq -c .n | tr '\n' ' ' > got
printf '1 2 3 4 5 6 ' > want
same "-o e@MS stops before the first message at or after MS" want got
# e@ alone ends the run once the partition reached the time
timeout 20 ksource -t "$tp" -p 0 -o "e@$ms" | wc -l | tr -d ' ' > got
echo 6 > want
same "-o e@MS exits without -e" want got
ksource -t "$tp" -o 2 -o "e@$ms" -p 0 -e | jq -c .n | tr '\n' ' ' > got
printf '3 4 5 6 ' > want
same "-o N with -o e@MS" want got

# ---- several topics ----------------------------------------------------------
ksource -t "$u-basic" -t "$tp" -e -J | jq -r .topic | sort | uniq -c | awk '{ print $2, $1 }' > got
printf '%s 200\n%s 9\n' "$u-basic" "$tp" | sort > want
same "two topics" want got

# ---- values that are not JSON ----------------------------------------------
tp=$u-bad
printf '{"a":1}\nnot json\n{"b":2}\n[1,2]\n"text"\n{"c":\n{"d":1}"\n{"e":2}\n' |
    kcat -P -b "$B" -t "$tp" -p 0
produced "$tp" 8
ksource -t "$tp" -e > got 2> err
printf '{"a":1}\n{"b":2}\n[1,2]\n"text"\n{"e":2}\n' > want
same "bad values skipped" want got
grep -q "^ksource: $tp/0@1: invalid JSON" err || fail "message for offset 1: $(cat err)"
grep -q "^ksource: $tp/0@5: invalid JSON" err || fail "message for offset 5: $(cat err)"
grep -q "^ksource: $tp/0@6: trailing data" err || fail "message for offset 6: $(cat err)"
grep -q "^ksource: 3 bad records skipped" err || fail "summary: $(cat err)"
ksource -t "$tp" -e --dead-letter dl > /dev/null 2>&1
printf 'not json\n{"c":\n{"d":1}"\n' > want
same "--dead-letter holds the raw values" want dl
# a dead-letter file that cannot be written: exit 74, the good values
# still out, the failure said once
rc=0
ksource -t "$tp" -e --dead-letter /dev/full > got 2> err || rc=$?
[ "$rc" -eq 74 ] || fail "--dead-letter /dev/full: exit $rc, not 74"
printf '{"a":1}\n{"b":2}\n[1,2]\n"text"\n{"e":2}\n' > want
same "--dead-letter /dev/full: the good values" want got
[ "$(grep -c "^ksource: --dead-letter /dev/full: " err)" -eq 1 ] ||
    fail "--dead-letter /dev/full: not said once: $(cat err)"
rc=0
ksource -t "$tp" -e --on-error abort > got 2> err || rc=$?
[ "$rc" -eq 65 ] || fail "--on-error abort: exit $rc, not 65"
echo '{"a":1}' > want
same "--on-error abort writes what came before" want got
# -J embeds what is not JSON as a string
ksource -t "$tp" -e -J | jq -c .payload > got
printf '{"a":1}\n"not json"\n{"b":2}\n[1,2]\n"text"\n"{\\"c\\":"\n"{\\"d\\":1}\\""\n{"e":2}\n' > want
same "-J: payloads that are not JSON become strings" want got

# ---- values across lines, tombstones, bytes that are not UTF-8 --------------
tp=$u-shape
printf '{\n  "x": [1,\r\n 2],\n  "y": {"z": "a b"}\n}\n' | kcat -P -b "$B" -t "$tp" -p 0 -D '|'
printf 'gone:\n' | kcat -P -b "$B" -t "$tp" -p 0 -K: -Z
printf '\377\376{}' | kcat -P -b "$B" -t "$tp" -p 0 -D '|' -k "$(printf 'k\377')"
printf '{"d":1}\n' | kcat -P -b "$B" -t "$tp" -p 0
produced "$tp" 4
ksource -t "$tp" -e > got 2> err
printf '{"x":[1,2],"y":{"z":"a b"}}\n{"d":1}\n' > want
same "a value across lines is compacted; a tombstone is skipped" want got
grep -q "^ksource: $tp/0@2: " err || fail "the non-UTF-8 value is reported"
grep -q "^ksource: 1 empty or null values (tombstones) skipped" err || fail "the tombstone is counted"
[ "$(wc -l < err)" -eq 3 ] || fail "stderr: $(cat err)"
ksource -t "$tp" -e -J > env
jq -c 'select(.offset == 0) | .payload' env > got
echo '{"x":[1,2],"y":{"z":"a b"}}' > want
same "-J: a value across lines is embedded compactly" want got
jq -c 'select(.offset == 1) | [.key, .payload]' env > got
echo '["gone",null]' > want
same "-J: a tombstone has a null payload" want got
[ "$(jq -r 'select(.offset == 2) | has("payload"), has("key")' env | tr '\n' ' ')" = "false false " ] ||
	fail "-J: non-UTF-8 key and payload must not be in key/payload"
jq -r 'select(.offset == 2) | .payload_base64' env | base64 -d | od -An -c | tr -s ' ' > got
printf '\377\376{}' | od -An -c | tr -s ' ' > want
same "-J: payload_base64 holds the bytes" want got
jq -r 'select(.offset == 2) | .key_base64' env | base64 -d | od -An -c | tr -s ' ' > got
printf 'k\377' | od -An -c | tr -s ' ' > want
same "-J: key_base64 holds the bytes" want got

# ---- a message from python3-kafka (another client) ------------------------
tp=$u-py
/usr/bin/python3 - "$B" "$tp" <<'EOF'
import sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1].split(","))
p.send(sys.argv[2], key=b"LNK",
       value=b'{"seller_id":"LNK","amount_usd":361,"sale_ts":1713654885125}',
       headers=[("source", b"python"), ("empty", b"")], partition=0,
       timestamp_ms=1713654885125).get(timeout=30)
p.flush()
p.close()
EOF
ksource -t "$tp" -e -J | jq -c '[.topic, .partition, .offset, .tstype, .ts, .headers, .key, .payload]' > got
printf '["%s",0,0,"create",1713654885125,["source","python","empty",""],"LNK",{"seller_id":"LNK","amount_usd":361,"sale_ts":1713654885125}]\n' "$tp" > want
same "python3-kafka message reads back with -J" want got
kcat -C -b "$B" -t "$tp" -e -J -q | jq -c '.payload |= fromjson' > want
ksource -t "$tp" -e -J | jq -c . > got
same "python3-kafka message: -J matches kcat" want got

echo "ksource: all passed"
