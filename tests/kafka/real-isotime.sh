# ksource -o s@TIME, e@TIME and -Q -t topic:partition:TIME take ISO-8601
# times as window-agg --after does: the same records and offsets as the
# same times in epoch milliseconds.
# broker: real
# needs: ksource ksink salesgen
. "$T/kafka/ksink.subr"
t=$(topic isotime)
# 1713654885000 is 2024-04-20T23:14:45Z; records 100 ms apart
salesgen -n 2000 -r 0 --seed 4 --start-ts 1713654885000 > in.nd
ksink -t "$t" -k seller_id --ts-field sale_ts < in.nd
ksource -t "$t" -o s@1713655035000 -o e@1713655045000 -e > ms.out
ksource -t "$t" -o s@2024-04-20T23:17:15Z -o e@2024-04-21T01:17:25+02:00 -e > iso.out
[ "$(wc -l < ms.out)" = 100 ] || fail "s@/e@ in ms: $(wc -l < ms.out) records, not 100"
same ms.out iso.out
ksource -Q -t "$t:0:1713655035000" -t "$t:1:1713655035000" > q.ms
ksource -Q -t "$t:0:2024-04-20T23:17:15Z" -t "$t:1:2024-04-20T23:17:15.000+00:00" > q.iso
grep -q "offset [1-9]" q.ms || { cat q.ms; fail "-Q: no offset"; }
cmp q.ms q.iso || fail "-Q in ISO-8601 differs: $(cat q.iso)"
echo "figure: s@/e@ ISO-8601 gave the same $(wc -l < iso.out) records as epoch ms; -Q the same offsets"
