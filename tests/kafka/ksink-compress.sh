# ksink -z: every codec librdkafka has, read back intact by kcat; on the
# real broker, the broker's own kafka-dump-log shows every batch stored
# with that codec (librdkafka 2.0.2 may not tell a newer broker supports
# compression, and would then send batches uncompressed without a word).
. "$T/kafka/ksink.subr"
i=0
while [ $i -lt 2000 ]; do
	echo "{\"seller_id\":\"S$((i % 7))\",\"amount_usd\":$((100 + i % 900)),\"pad\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"}"
	i=$((i + 1))
done > in.nd
codecs=
for z in none gzip snappy lz4 zstd; do
	t=$(topic "ksink-z-$z")
	if ! ksink -t "$t" -k seller_id -z "$z" < in.nd 2> err; then
		# a codec this librdkafka was built without is a usage error
		grep -q 'compression.codec' err && { echo "skip $z: $(cat err)"; continue; }
		cat err; fail "-z $z"
	fi
	consume "$t" '%s\n' > got
	same in.nd got
	if [ "$KP_BROKER" = real ]; then
		sh "$T/../scripts/kafka-local" tool dump-log --files \
		    "$(ls "$KP_STATE"/data/"$t"-*/*.log | tr '\n' ',' | sed 's/,$//')" \
		    > dump 2>/dev/null
		grep -o 'compresscodec: [a-z0-9]*' dump | sort | uniq -c > codecs.$z
		[ "$(wc -l < codecs.$z)" = 1 ] && grep -q "compresscodec: $z" codecs.$z ||
		    { cat codecs.$z; fail "-z $z: batches on the broker are not all $z"; }
		codecs="$codecs $z:$(awk '{ s += $1 } END { print s }' codecs.$z)"
	fi
done
[ -z "$codecs" ] || echo "figure: batches stored by codec on the broker:$codecs"
