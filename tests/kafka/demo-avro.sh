# DEMO_AVRO=1 scripts/demo (make demo on Avro) end to end, on the real
# broker and a real Schema Registry (Apicurio, scripts/kafka-local start
# --real --registry): sales-usd and sales-euros hold Avro in Confluent's
# framing under the schemas of share/avro, the viewer printed the euro
# windows it decoded, and the windows' sum is 0.85 times the sum of the
# sales the job consumed (all of sales-usd but what its group left).
# SKIPPED (exit 77) when no Java 21 or later is found.
# needs: salesgen ksink ksource window-agg fxconvert kplot
# broker: real
. "$T/kafka/ksink.subr"
A=$T/../share/avro

registry_start
# the demo's own topic names: they must be new on this broker
for t in sales-usd sales-euros; do
	if ksource -L -t "$t" > /dev/null 2>&1; then fail "$t exists already on $KAFKA_BROKERS"; fi
	create "$t" 4
done

rc=0
DEMO_AVRO=1 DURATION=12 sh "$T/../scripts/demo" > out 2> err || rc=$?
[ $rc -eq 0 ] || fail "demo: exit $rc: $(cat err)"
grep -q "^demo: schema registry $R\$" err || fail "registry not said: $(cat err)"
grep -q "^demo: producer .*ksink -t sales-usd .*-s value=avro -r $R --value-schema share/avro/sales-usd.avsc" err ||
	fail "producer line: $(cat err)"
if grep -q 'skipped\|<stdin>:[0-9]*:\|@[0-9]*:' err; then fail "bad records: $(cat err)"; fi

# the topics are Avro under the subjects TOPIC-value, with our schemas
for t in sales-usd sales-euros; do
	curl -sf "$R/subjects/$t-value/versions/latest" > "$t.latest" || fail "no subject $t-value"
	id=$(sed 's/.*"id":\([0-9]*\).*/\1/' "$t.latest")
	ksource -t "$t" -e -J -s value=avro -r "$R" > "$t.env" 2> "$t.err" ||
		fail "ksource $t: $(cat "$t.err")"
	[ -s "$t.env" ] || fail "$t is empty"
	n=$(wc -l < "$t.env")
	[ "$(grep -c "\"value_schema_id\":$id}\$" "$t.env")" -eq "$n" ] ||
		fail "$t: not all under schema $id: $(head -3 "$t.env")"
	echo "figure: $t $n records"
done
grep -q '"name":"amount_usd","type":{"type":"bytes","logicalType":"decimal"' sales-usd.latest ||
	grep -q 'amount_usd.*decimal' sales-usd.latest || fail "sales-usd schema: $(cat sales-usd.latest)"
grep -q 'EuroWindow' sales-euros.latest || fail "sales-euros schema: $(cat sales-euros.latest)"

# the viewer printed decoded windows, each one of sales-euros
ksource -t sales-euros -e -s value=avro -r "$R" > euros
grep '^{"seller_id":"[A-Z]*","window_start":"[^"]*","window_end":"[^"]*","window_sales":[0-9.]*}$' out > viewed ||
	fail "the viewer printed no window: $(head -5 out)"
sort -u euros > euros.s
sort -u viewed > viewed.s
[ -z "$(comm -13 euros.s viewed.s)" ] || fail "viewed but not in sales-euros: $(comm -13 euros.s viewed.s)"

# the sums: what the job consumed is sales-usd less what its group left
ksource -t sales-usd -G euro-job -e -s value=avro -r "$R" > left
sum() {	# FIELD FILE
	sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$2" | awk '{ s += $1 } END { printf "%.6f\n", s }'
}
usd=$(awk -v a="$(sum amount_usd sales-usd.env)" -v b="$(sum amount_usd left)" \
    'BEGIN { printf "%.6f\n", (a - b) * 0.85 }')
eur=$(sum window_sales euros)
echo "figure: consumed x 0.85 = $usd, windows = $eur, left by the job $(wc -l < left)"
awk -v a="$usd" -v b="$eur" 'BEGIN { d = a - b; exit !(a > 0 && d < 0.01 && d > -0.01) }' ||
	fail "the windows sum to $eur, the sales consumed times 0.85 to $usd"
