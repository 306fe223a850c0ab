# Scale-out by consumer group: two live pipelines with the same -G split
# a 4-partition topic keyed by seller_id. Together they read every record
# exactly once, no seller reaches both, and their windows, merged, equal
# one pipeline's over the whole topic.
#
# The members join first and the records are produced once the group is
# settled: librdkafka's mock cluster refuses offset commits while a
# rebalance is in progress (real Kafka accepts them), so a rebalance in
# the middle of the stream would re-deliver records there: at-least-once,
# as documented, but not what this test is about.
# needs: ksink ksource window-agg
topic=scale-usd-$$
group=scale-g-$$
# the topic exists, with its 4 partitions, before anyone joins
: | ksink -t "$topic"
kcat -b "$KAFKA_BROKERS" -L -t "$topic" > meta
grep -q 'partition 3,' meta || {
	kcat -b "$KAFKA_BROKERS" -L -t "$topic"; exit 1; }
salesgen -n 20000 -r 0 --seed 4 --start-ts 1713654885000 --sellers A,B,C,D,E,F,G,H > in.nd

# A member: its records (raw) and its windows. The watermark is kept per
# partition (-J), and waits for both of the member's 2 partitions. ksource
# writes into a FIFO so that the test can stop it alone.
member() {	# name
	mkfifo "$1.fifo"
	ksource -t "$topic" -G "$group" -o beginning -J --progress \
	    -X session.timeout.ms=6000 > "$1.fifo" 2> "$1.err" &
	echo $! > "$1.kpid"
	tee "$1.raw" < "$1.fifo" \
	  | window-agg --tumble 6s -k payload.seller_id -t payload.sale_ts \
	      --partition-field partition --partitions 2 --time-format ms \
	      -a 'window_sales=sum(payload.amount_usd)' -a 'n=count()' > "$1" &
	echo $! > "$1.wpid"
}
member a
member b
trap 'kill $(cat a.kpid b.kpid) 2>/dev/null || :' EXIT

# settled: each member's latest assignment holds 2 partitions, 4 in all
parts() {	# the member's partitions, if its last rebalance assigned some
	{ grep -E '^ksource: (assigned|revoked)' "$1.err" || :; } | tail -1 |
	    sed -n 's/^ksource: assigned .*\[\(.*\)\]$/\1/p'
}
i=0
while :; do
	pa=$(parts a); pb=$(parts b)
	if [ -n "$pa" ] && [ -n "$pb" ] &&
	    [ "$(printf '%s,%s\n' "$pa" "$pb" | tr , '\n' | sort -u | wc -l)" = 4 ] &&
	    [ "$(printf '%s\n' "$pa" | tr , '\n' | wc -l)" = 2 ]; then
		break
	fi
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "group never settled"; cat a.err b.err; exit 1; }
	sleep 0.1
done
echo "members: a has [$pa], b has [$pb]"

ksink -t "$topic" -k seller_id --ts-field sale_ts < in.nd
# both members read until the topic is drained, then stop on SIGTERM
i=0
while [ "$(cat a.raw b.raw | wc -l)" -lt 20000 ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { echo "members read only $(cat a.raw b.raw | wc -l)"
		grep -v 'records, ' a.err b.err | tail -20; exit 1; }
	sleep 0.1
done
sleep 0.5
# SIGTERM to the two ksource only: window-agg then sees the end of its
# input and writes every window
kill -TERM $(cat a.kpid b.kpid)
wait
trap - EXIT

# every record exactly once across the two members
cat a.raw b.raw | jq -c .payload | sort > both.raw
sort in.nd > in.sorted
cmp both.raw in.sorted
# no seller in both (keys stay with their partition)
jq -r .payload.seller_id a.raw | sort -u > sa
jq -r .payload.seller_id b.raw | sort -u > sb
[ -s sa ] && [ -s sb ] && [ -z "$(comm -12 sa sb)" ]
# the merged windows equal one pipeline's over the whole topic
ksource -t "$topic" -o beginning -e -J \
  | window-agg --tumble 6s -k payload.seller_id -t payload.sale_ts \
      --partition-field partition --partitions 4 --time-format ms \
      -a 'window_sales=sum(payload.amount_usd)' -a 'n=count()' > one
sort a b > merged
sort one > single
cmp merged single
echo "scale-out: members read $(wc -l < a.raw) and $(wc -l < b.raw) records, $(wc -l < merged) windows, equal to one pipeline's"
