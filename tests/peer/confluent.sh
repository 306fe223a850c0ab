# Confluent's Python client (peer/confluent: confluent-kafka's
# AvroSerializer and AvroDeserializer, fastavro underneath) against
# ksink and ksource, on the real broker and the real registry
# (scripts/kafka-local start --real --registry): what the peer writes,
# ksource decodes to the values the peer was given; what ksink writes,
# the peer decodes to the values ksink was given. The schema has nested
# records, arrays, maps, unions, enums, fixed, bytes, 38-digit decimals
# and every logical type; the tutorial's record has a decimal amount.
# Run by `make peer-check`, which installs the peer first; SKIPPED (exit
# 77) when the peer or a Java 21 for the registry is missing.
# needs: ksink ksource
# broker: real
. "$T/kafka/ksink.subr"
D=$T/data/avro

need_peer confluent
registry_start

for s in all sale; do
	# the peer writes, ksource reads
	t=$(topic "peer-$s")
	create "$t" 1
	$PEER py produce --topic "$t" --schema "$D/$s.avsc" --registry "$R" \
	    < "$D/$s.ndjson" 2> err || fail "peer produce $s: $(cat err)"
	ksource -t "$t" -e -s value=avro -r "$R" > got.$s 2> err ||
		fail "ksource $s: $(cat err)"
	$PEER py compare "$D/$s.ndjson" got.$s || fail "ksource on the peer's $s"
	# ksink writes, the peer reads
	t=$(topic "ksink-$s")
	create "$t" 1
	ksink -t "$t" -s value=avro -r "$R" --value-schema "$D/$s.avsc" \
	    < "$D/$s.ndjson" 2> err || fail "ksink $s: $(cat err)"
	$PEER py consume --topic "$t" --registry "$R" \
	    --count "$(wc -l < "$D/$s.ndjson")" > peer.$s 2> err ||
		fail "peer consume $s: $(cat err)"
	$PEER py compare "$D/$s.ndjson" peer.$s || fail "the peer on ksink's $s"
done
