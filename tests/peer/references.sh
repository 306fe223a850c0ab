# Schema references against Confluent's Python client (peer/confluent)
# on the real broker and the real registry (scripts/kafka-local start
# --real --registry): Protobuf, confluent-kafka's ProtobufSerializer
# writes an Order whose file imports money.proto (the serializer
# registers money.proto under a subject of its own and names it in the
# Order schema's references, both as base64 FileDescriptorProtos), and
# ksource decodes each record to the peer's values; Avro, a schema that
# uses geo.Place and geo.Currency from two other subjects (a diamond:
# Place uses Currency too), ksink encodes with the subject's latest
# version and the peer's AvroDeserializer, which resolves the references
# itself, decodes the values ksink was given.
# Run by `make peer-check`, which installs the peer first; SKIPPED (exit
# 77) when the peer or a Java 21 for the registry is missing.
# needs: ksink ksource
# broker: real
. "$T/kafka/ksink.subr"
KL="sh $T/../scripts/kafka-local"
PEER="sh $T/../peer/confluent/run"
D=$T/data/proto/refs

if ! $KL registry-java > java.log 2>&1; then
	echo "no Java 21 or later for the registry: $(cat java.log)"
	exit 77
fi
if ! $PEER installed; then
	echo "peer/confluent is not installed (make peer-check installs it)"
	exit 77
fi
[ "$KP_BROKER" != external ] || trap '$KL stop > /dev/null 2>&1' EXIT
$KL start --real --registry > /dev/null 2> reg.log || fail "registry: $(cat reg.log)"
R=$($KL registry)

# Protobuf: the peer writes, ksource reads (the client bounded at 60 s
# and tried again on a new topic, as in protobuf.sh)
try=0
while :; do
	t=$(topic "pb-refs-$try")
	create "$t" 1
	rc=0
	timeout -k 5 60 $PEER pb produce --topic "$t" --registry "$R" \
	    --proto "$D/order.proto" --message Order --want want.pb \
	    < "$D/order.ndjson" 2> err || rc=$?
	[ "$rc" = 124 ] && [ "$try" -lt 2 ] || break
	try=$((try + 1))
	echo "note: Confluent's client hung 60 s producing: again on a new topic"
done
[ "$rc" = 0 ] || fail "peer produce: exit $rc: $(cat err)"
curl -sf "$R/subjects/$t-value/versions/latest" > reg.pb || fail "no subject $t-value"
grep -q '"references":\[{"name":"money.proto","subject":"money.proto","version":[0-9]*}\]' reg.pb ||
	fail "the serializer's schema has no reference to money.proto: $(cat reg.pb)"
ksource -t "$t" -e -s value=protobuf -r "$R" > got.pb 2> err || fail "ksource: $(cat err)"
[ ! -s err ] || fail "ksource said: $(cat err)"
$PEER pb compare want.pb got.pb 2> err || fail "ksource on the peer's Order: $(cat err)"
grep -q '^{"id":"o1","total":{"currency":"USD","units":12,"nanos":500000000},' got.pb ||
	fail "Order: $(head -1 got.pb)"

# Avro: ksink writes with references, the peer reads
ta=$(topic avro-refs)
create "$ta" 1
/usr/bin/python3 - "$R" "$ta" <<'X' || fail "registering the Avro schemas"
import json, sys, urllib.request
R, t = sys.argv[1], sys.argv[2]
def reg(subj, schema, refs=()):
    body = {"schema": json.dumps(schema), "references": [
        {"name": n, "subject": s, "version": 1} for n, s in refs]}
    rq = urllib.request.Request(R + "/subjects/%s/versions" % subj,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    return json.load(urllib.request.urlopen(rq))["id"]
reg(t + "-currency", {"type": "enum", "name": "Currency", "namespace": "geo",
    "symbols": ["EUR", "USD", "JPY"]})
reg(t + "-place", {"type": "record", "name": "Place", "namespace": "geo",
    "fields": [{"name": "city", "type": "string"},
               {"name": "c", "type": "Currency"},
               {"name": "zip", "type": ["null", "int"], "default": None}]},
    [("geo.Currency", t + "-currency")])
reg(t + "-value", {"type": "record", "name": "Sale", "namespace": "kp",
    "fields": [{"name": "at", "type": "geo.Place"},
               {"name": "via", "type": {"type": "array", "items": "geo.Place"}},
               {"name": "paid", "type": "geo.Currency"},
               {"name": "amount", "type": {"type": "bytes",
                "logicalType": "decimal", "precision": 38, "scale": 2}}]},
    [("geo.Place", t + "-place"), ("geo.Currency", t + "-currency")])
X
cat > in.avro <<'X'
{"at":{"city":"Lyon","c":"EUR","zip":69001},"via":[],"paid":"USD","amount":12.50}
{"at":{"city":"Kyoto","c":"JPY","zip":null},"via":[{"city":"Oslo","c":"EUR","zip":150}],"paid":"JPY","amount":-999999999999999999999999999999999999.99}
X
ksink -t "$ta" -s value=avro -r "$R" < in.avro 2> err || fail "ksink: $(cat err)"
$PEER py consume --topic "$ta" --count 2 --registry "$R" > got.avro 2> err ||
	fail "peer consume: $(cat err)"
$PEER py compare in.avro got.avro || fail "the peer on ksink's records with references"
echo "figure: Confluent's ProtobufSerializer (an import as a reference) and AvroDeserializer (2 references) agree with ksource and ksink"
