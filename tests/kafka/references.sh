# Schema references against a real Schema Registry (Apicurio on Java
# 21+, scripts/kafka-local start --real --registry): Avro named types and
# Protobuf imports registered under subjects of their own, and a schema
# that uses them through "references" (Confluent's API). ksink encodes
# with the subject's latest version (references and all) and ksource
# decodes it; a diamond (two references to one subject version) is read
# once; Protobuf bytes written by hand with python3-kafka decode through
# the imported file's enum and message; a line that does not fit names
# the referenced type; --value-schema with a file that uses another
# subject's type is refused, 65, saying what to do instead.
# SKIPPED (exit 77) when no Java 21 or later is found.
# needs: ksink ksource
# broker: real
. "$T/kafka/ksink.subr"
KL="sh $T/../scripts/kafka-local"
PYK=/usr/bin/python3	# Debian's, with python3-kafka (scripts/deps)

if ! $KL registry-java > java.log 2>&1; then
	echo "no Java 21 or later for the registry: $(cat java.log)"
	exit 77
fi
[ "$KP_BROKER" != external ] || trap '$KL stop > /dev/null 2>&1' EXIT
$KL start --real --registry > /dev/null 2> reg.log || fail "registry: $(cat reg.log)"
R=$($KL registry)

# register subject $1 with the body $2 (JSON): the id
reg() {
	curl -sS -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
	    --data "$2" "$R/subjects/$1/versions" > reg.out ||
		fail "register $1: $(cat reg.out)"
	sed -n 's/^{"id":\([0-9]*\)}$/\1/p' reg.out | grep . ||
		fail "register $1: $(cat reg.out)"
}

# Avro: geo.Currency <- geo.Place <- kp.Sale, and kp.Sale -> geo.Currency
t=$(topic refs-avro)
create "$t" 1
reg "$t-currency" '{"schema":"{\"type\":\"enum\",\"name\":\"Currency\",\"namespace\":\"geo\",\"symbols\":[\"EUR\",\"USD\"]}"}' > /dev/null
reg "$t-place" '{"schema":"{\"type\":\"record\",\"name\":\"Place\",\"namespace\":\"geo\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"Currency\"}]}","references":[{"name":"geo.Currency","subject":"'"$t"'-currency","version":1}]}' > /dev/null
vid=$(reg "$t-value" '{"schema":"{\"type\":\"record\",\"name\":\"Sale\",\"namespace\":\"kp\",\"fields\":[{\"name\":\"at\",\"type\":\"geo.Place\"},{\"name\":\"paid\",\"type\":\"geo.Currency\"},{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}}]}","references":[{"name":"geo.Place","subject":"'"$t"'-place","version":1},{"name":"geo.Currency","subject":"'"$t"'-currency","version":1}]}')
curl -sf "$R/schemas/ids/$vid" | grep -q '"references":\[{' ||
	fail "the registry's answer for id $vid has no references"
printf '%s\n' '{"at":{"city":"Lyon","c":"EUR"},"paid":"USD","amount":12.50}' \
    '{"at":{"city":"Kyoto","c":"USD"},"paid":"EUR","amount":-0.05}' > in
# ksink: the subject's latest version, whose types come from references
ksink -t "$t" -s value=avro -r "$R" < in 2> err || fail "ksink: exit $?: $(cat err)"
ksource -t "$t" -e -s value=avro -r "$R" > got 2> err || fail "ksource: exit $?: $(cat err)"
cmp in got || { diff in got; fail "Avro with references: the values differ"; }
ksource -t "$t" -e -c 1 -J -s value=avro -r "$R" > env 2> err || fail "-J: $(cat err)"
grep -q "\"value_schema_id\":$vid}" env || { cat env; fail "-J: not schema id $vid"; }
# a line that does not fit: the path into the referenced types
rc=0
echo '{"at":{"city":"Oslo","c":"NOK"},"paid":"EUR","amount":1}' |
	ksink -t "$t" -s value=avro -r "$R" 2> err || rc=$?
[ "$rc" = 65 ] || { cat err; fail "a line that does not fit: exit $rc, not 65"; }
grep -q '<stdin>:1: at.c: "NOK" is not a symbol of enum geo.Currency' err ||
	{ cat err; fail "no message naming at.c"; }
# a file that uses another subject's type is not registered from a file
cat > sale.avsc <<'X'
{"type":"record","name":"Sale2","namespace":"kp","fields":[{"name":"at","type":"geo.Place"}]}
X
rc=0
echo '{"at":{"city":"Lyon","c":"EUR"}}' |
	ksink -t "$t" -s value=avro -r "$R" --value-schema sale.avsc 2> err || rc=$?
[ "$rc" = 65 ] || { cat err; fail "--value-schema with a foreign type: exit $rc, not 65"; }
grep -q "unknown type geo.Place (a schema using the types of other subjects is not registered from a file" err ||
	{ cat err; fail "--value-schema with a foreign type: no message"; }

# Protobuf: kp/sale.proto imports geo/money.proto and geo/place.proto
t2=$(topic refs-proto)
create "$t2" 1
reg "$t2-money" '{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";\npackage geo;\nenum Currency { EUR = 0; USD = 1; }\n"}' > /dev/null
reg "$t2-place" '{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";\npackage geo;\nimport \"geo/money.proto\";\nmessage Place { string city = 1; Currency c = 2; }\n","references":[{"name":"geo/money.proto","subject":"'"$t2"'-money","version":1}]}' > /dev/null
pid=$(reg "$t2-value" '{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";\npackage kp;\nimport \"geo/money.proto\";\nimport \"geo/place.proto\";\nmessage Sale { geo.Place at = 1; geo.Currency paid = 2; int64 cents = 3; }\n","references":[{"name":"geo/money.proto","subject":"'"$t2"'-money","version":1},{"name":"geo/place.proto","subject":"'"$t2"'-place","version":1}]}')
$PYK - "$KAFKA_BROKERS" "$t2" "$pid" <<'X' || fail "python3-kafka"
import struct, sys
from kafka import KafkaProducer
bs, t, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
h = b"\0" + struct.pack(">i", pid) + b"\0"	# message indexes [0]
place = b"\x0a\x04Lyon\x10\x01"			# city "Lyon", c USD
p = KafkaProducer(bootstrap_servers=bs)
p.send(t, value=h + b"\x0a" + bytes([len(place)]) + place + b"\x10\x01\x18\xe2\x09")
p.send(t, value=h + b"\x18\x01")		# cents 1; at absent, paid EUR (0)
p.flush()
X
ksource -t "$t2" -e -s value=protobuf -r "$R" > got 2> err || fail "ksource protobuf: exit $?: $(cat err)"
printf '%s\n' '{"at":{"city":"Lyon","c":"USD"},"paid":"USD","cents":1250}' \
    '{"paid":"EUR","cents":1}' > want
cmp want got || { diff want got; fail "Protobuf with imports: the values differ"; }
echo "figure: Avro (a diamond of 2 references) and Protobuf (2 imports) decoded through the registry's references"
