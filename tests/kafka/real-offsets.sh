# Offsets for times on a real broker: ksink --ts-field sets each message's
# timestamp; ksource -o s@MS starts every partition at the broker's
# ListOffsets answer (no scan from the beginning: no note on stderr), and
# e@MS stops each partition before the first message at or after MS.
# broker: real
# needs: ksource ksink salesgen
. "$T/kafka/ksink.subr"
t=$(topic offsets)
T0=1713654885000
# 2,000 records, 100 ms apart: sale_ts = T0 + 100*i
salesgen -n 2000 -r 0 --seed 4 --start-ts $T0 > in.nd
ksink -t "$t" -k seller_id --ts-field sale_ts < in.nd
[ "$(partitions "$t")" -gt 1 ] || fail "one partition only"
# from record 1,500 on (sale_ts >= T0 + 150000): 500 records
ksource -t "$t" -o s@$((T0 + 150000)) -e > s.out 2> s.err
[ ! -s s.err ] || { cat s.err; fail "s@: a note or error on stderr (a scan, not the broker's offsets?)"; }
awk -v t=$((T0 + 150000)) -F'"sale_ts":' '{ split($2, a, "}"); if (a[1] + 0 >= t) print }' in.nd | sort > want.s
sort s.out > got.s
cmp want.s got.s || fail "s@: $(wc -l < got.s) records, expected $(wc -l < want.s)"
# before record 500: the first 500
ksource -t "$t" -o e@$((T0 + 50000)) -e > e.out 2> e.err
head -500 in.nd | sort > want.e
sort e.out | cmp - want.e || fail "e@: $(wc -l < e.out) records, expected 500"
# a time after the last message: nothing, at once
ksource -t "$t" -o s@$((T0 + 10000000)) -e > late.out 2> late.err
[ ! -s late.out ] || fail "s@ after the last message wrote records"
echo "figure: s@ $(wc -l < got.s) records, e@ $(wc -l < e.out), from the broker's time index"
