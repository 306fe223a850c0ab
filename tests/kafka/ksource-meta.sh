#!/bin/sh
# ksource -L: the cluster's metadata as kcat -L -J writes it (field for
# field, plus each partition's low and high watermarks), as text, and
# -L -G: a group's committed offsets, end offsets and lag.
# needs: ksource ksink
. "$T/kafka/ksink.subr"
B=$KAFKA_BROKERS
t=$(topic meta)
create "$t" 3
i=0
while [ $i -lt 30 ]; do echo "{\"n\":$i}"; i=$((i + 1)); done > in.nd
ksink -t "$t" -k n < in.nd
[ "$(consume "$t" '%o\n' | wc -l)" -eq 30 ] || fail "kcat reads back other than 30"

# ---- -L -J: kcat's own -L -J, plus low and high ---------------------------
ksource -L -J -t "$t" > got.json
# (not the answering broker: on the 3-broker mock any one may answer)
jq -c 'del(.topics[].partitions[].low, .topics[].partitions[].high) | del(.originating_broker)' got.json > got
kcat -L -J -b "$B" -t "$t" | jq -c 'del(.originating_broker)' > want
cmp -s want got || { diff -u want got; fail "-L -J differs from kcat -L -J"; }
jq -r '.topics[0].partitions[] | "\(.partition) \(.high - .low)"' got.json | sort > got
consume "$t" '%p\n' | sort | uniq -c | awk '{ print $2, $1 }' > want
[ "$(wc -l < want)" -gt 1 ] || fail "one partition only: the test shows nothing"
cmp -s want got || { diff -u want got; fail "-L -J low..high are not the messages of each partition"; }
# all topics: kcat's list, with ours among them
ksource -L -J | jq -c 'del(.topics[].partitions[].low, .topics[].partitions[].high) | .topics |= sort_by(.topic) | del(.originating_broker)' > got
kcat -L -J -b "$B" | jq -c '.topics |= sort_by(.topic) | del(.originating_broker)' > want
cmp -s want got || { diff -u want got | head; fail "-L -J (all topics) differs from kcat's"; }
# ---- -L as text --------------------------------------------------------------
ksource -L -t "$t" > got
grep -q "^  topic \"$t\" with 3 partitions:$" got || fail "-L text: $(cat got)"
[ "$(grep -c '^    partition [0-9], leader [0-9]*, replicas: .*, isrs: .*, offsets: 0\.\.[0-9]*$' got)" -eq 3 ] ||
	fail "-L text partitions: $(cat got)"
rc=0
ksource -L -t "$t-nosuch" > /dev/null 2> err || rc=$?
[ "$rc" -eq 69 ] || fail "-L of a missing topic: exit $rc"
grep -q "topic $t-nosuch does not exist" err || fail "-L of a missing topic: $(cat err)"

# ---- -L -G: committed, end, lag ----------------------------------------------
g=meta-$$
ksource -t "$t" -G "$g" -e > /dev/null
ksource -L -G "$g" -t "$t" -J > got.json
[ "$(jq '.lag' got.json)" -eq 0 ] || fail "-L -G after reading all: lag $(jq .lag got.json)"
printf '{"m":1}\n{"m":2}\n{"m":3}\n{"m":4}\n{"m":5}\n{"m":6}\n{"m":7}\n' | ksink -t "$t" -k m
ksource -L -G "$g" -t "$t" -J > got.json
[ "$(jq '.lag' got.json)" -eq 7 ] || fail "-L -G after 7 more: lag $(jq .lag got.json)"
[ "$(jq '[.partitions[] | select(.end - .committed != .lag)] | length' got.json)" -eq 0 ] ||
	fail "lag is not end - committed: $(cat got.json)"
[ "$(jq '[.partitions[].committed] | add' got.json)" -eq 30 ] || fail "committed offsets do not add up to 30"
ksource -L -G "$g" -t "$t" > got
tail -1 got | grep -qx "total lag 7" || fail "-L -G text: $(cat got)"
grep -q "^$t  *[0-9]  *[0-9]*  *[0-9]*  *[0-9]*$" got || fail "-L -G rows: $(cat got)"
# without -t: the topics the group committed to
ksource -L -G "$g" -J | jq -r '.partitions[].topic' | sort -u > got
echo "$t" > want
cmp -s want got || fail "-L -G without -t: $(cat got)"
# an unknown group has no committed offsets
ksource -L -G "nobody-$$" -t "$t" -J | jq -c '[.partitions[].committed] | unique' > got
echo '[null]' > want
cmp -s want got || fail "-L -G of an unknown group: $(cat got)"
echo "figure: -L -J equals kcat's; lag 0 then 7"
