# ksink -z: every codec librdkafka has, read back intact by kcat.
. "$T/kafka/ksink.subr"
i=0
while [ $i -lt 2000 ]; do
	echo "{\"seller_id\":\"S$((i % 7))\",\"amount_usd\":$((100 + i % 900)),\"pad\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"}"
	i=$((i + 1))
done > in.nd
for z in none gzip snappy lz4 zstd; do
	t=$(topic "ksink-z-$z")
	if ! ksink -t "$t" -k seller_id -z "$z" < in.nd 2> err; then
		# a codec this librdkafka was built without is a usage error
		grep -q 'compression.codec' err && { echo "skip $z: $(cat err)"; continue; }
		cat err; fail "-z $z"
	fi
	consume "$t" '%s\n' > got
	same in.nd got
done
