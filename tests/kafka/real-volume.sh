# Volume on a real broker: 1,000,000 records (far past the 5 MiB a
# partition the mock keeps) go through ksink and come back through ksource
# -e, every one exactly once.
# broker: real
# needs: ksink ksource salesgen
. "$T/kafka/ksink.subr"
N=${KP_VOLUME:-1000000}
t=$(topic volume)
create "$t" 4
salesgen -n $N -r 0 --seed 10 --start-ts 1713654885000 --step 1ms > in.nd
s=$(date +%s%N)
ksink -t "$t" -k seller_id --ts-field sale_ts < in.nd
m=$(date +%s%N)
ksource -t "$t" -e > got
e=$(date +%s%N)
[ "$(wc -l < got)" = $N ] || fail "$N sent, $(wc -l < got) read back"
sort -o in.nd in.nd
sort got | cmp - in.nd || fail "the records read back differ"
echo "figure: $N records, ksink $(( N * 1000 / ((m - s) / 1000000 + 1) ))/s, ksource $(( N * 1000 / ((e - m) / 1000000 + 1) ))/s"
