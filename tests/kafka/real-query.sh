#!/bin/sh
# ksource -Q -t topic:partition:ms: the broker's offsets for times, as
# kcat -Q prints them, and the right ones (the first message at or after).
# broker: real
# needs: ksource ksink salesgen
. "$T/kafka/ksink.subr"
B=$KAFKA_BROKERS
t=$(topic query)
create "$t" 4
T0=1713654885000
salesgen -n 200 -r 0 --seed 9 --start-ts $T0 > in.nd
for p in 1 2 3; do ksink -t "$t" -p $p --ts-field sale_ts < in.nd; done
q="-t $t:1:$T0 -t $t:2:$((T0 + 5050)) -t $t:0:$T0 -t $t:3:$((T0 + 99000000))"
# shellcheck disable=SC2086
ksource -Q $q > got
# shellcheck disable=SC2086
kcat -Q -b "$B" $q > want
cmp -s want got || { diff -u want got; fail "-Q differs from kcat -Q"; }
# record 51 is the first at or after T0 + 5050 (100 ms apart)
grep -qx "$t \[1\] offset 0" got || fail "-Q offset of the first: $(cat got)"
grep -qx "$t \[2\] offset 51" got || fail "-Q offset: $(cat got)"
grep -qx "$t \[3\] offset -1" got || fail "-Q after the last message: $(cat got)"
rc=0
ksource -Q -t "$t:1:0" -t "$t:1:5" 2> err || rc=$?
[ "$rc" -eq 64 ] || fail "-Q twice the same partition: exit $rc"
# shellcheck disable=SC2086
ksource -Q -J $q > got
# shellcheck disable=SC2086
{ kcat -Q -J -b "$B" $q; echo; } > want
cmp -s want got || { diff -u want got; fail "-Q -J differs from kcat -Q -J"; }
echo "figure: -Q equals kcat -Q on 4 lookups"
