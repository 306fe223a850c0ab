# Scale-out by consumer group: two pipelines with the same -G split a
# 4-partition topic keyed by seller_id; together they read every record
# exactly once, and their windows, merged, equal one pipeline's.
# needs: ksink ksource window-agg
topic=scale-usd-$$
salesgen -n 20000 -r 0 --seed 4 --start-ts 1713654885000 --sellers A,B,C,D,E,F,G,H > in.nd
ksink -t "$topic" -k seller_id --ts-field sale_ts < in.nd
job() {
	ksource -t "$topic" -G "$1" -o beginning -e -X session.timeout.ms=6000 \
	  | tee "$2.raw" \
	  | window-agg --tumble 6s -k seller_id -t sale_ts --time-format ms \
	      -a 'window_sales=sum(amount_usd)' -a 'n=count()' > "$2"
}
job scale-g a & pa=$!
job scale-g b & pb=$!
wait $pa; wait $pb
job scale-single one
# every record exactly once across the two members
cat a.raw b.raw | sort > both.raw
sort in.nd > in.sorted
cmp both.raw in.sorted
# no seller in both (keys stay with their partition)
jq -r .seller_id a.raw | sort -u > sa; jq -r .seller_id b.raw | sort -u > sb
[ -z "$(comm -12 sa sb)" ]
# merged windows equal one pipeline's
sort a b > merged; sort one > single
cmp merged single
echo "scale-out: members read $(wc -l < a.raw) and $(wc -l < b.raw) records; windows equal"
