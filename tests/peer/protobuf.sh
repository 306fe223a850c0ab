# ksource -s value=protobuf against Confluent's Python client (peer/
# confluent/pb.py: confluent-kafka's ProtobufSerializer, protobuf's own
# encoder, _pb2 modules generated here by protoc from grpcio-tools) on
# the real broker and the real registry (scripts/kafka-local start
# --real --registry): what the peer writes, ksource decodes to the
# values the peer's json_format gives (64-bit integers as numbers),
# both for the schema the serializer registers (a base64
# FileDescriptorProto, kept as it is by Apicurio) and for the .proto
# text registered as it is; every scalar type, nested messages, enums,
# repeated, maps, oneof, optional, Timestamp, Duration and wrappers,
# message indexes [1]; then bad records and the errors said.
# Run by `make peer-check`, which installs the peer first; SKIPPED (exit
# 77) when the peer or a Java 21 for the registry is missing.
# needs: ksource ksink
# broker: real
. "$T/kafka/ksink.subr"
D=$T/data/proto

need_peer confluent
registry_start

for s in all:All sale:Sale; do
	f=${s%%:*} m=${s#*:}
	for how in serializer text; do
		# Confluent's client was once seen to hang for good after the
		# registry's 404 to its first request (GET associations), before
		# it produced anything: bounded, said, and tried again (twice at
		# most) on a new topic
		try=0
		while :; do
			t=$(topic "pb-$f-$how-$try")
			eval "t_${f}_$how=\$t"
			create "$t" 1
			rc=0
			timeout -k 5 60 $PEER pb produce --topic "$t" --registry "$R" \
			    --proto "$D/$f.proto" --message "$m" --want "want.$f.$how" \
			    $([ $how = text ] && echo --text) < "$D/$f.ndjson" 2> err ||
				rc=$?
			[ "$rc" = 124 ] && [ "$try" -lt 2 ] || break
			try=$((try + 1))
			echo "note: Confluent's client hung 60 s producing $f ($how): again on a new topic"
		done
		[ "$rc" = 0 ] || fail "peer produce $f $how: exit $rc: $(cat err)"
		ksource -t "$t" -e -s value=protobuf -r "$R" > "got.$f.$how" 2> err ||
			fail "ksource $f $how: $(cat err)"
		[ ! -s err ] || fail "ksource $f $how said: $(cat err)"
		$PEER pb compare "want.$f.$how" "got.$f.$how" 2> err ||
			fail "ksource on the peer's $f ($how): $(cat err)"
	done
done
# what the serializer registered is a FileDescriptorProto in base64,
# the text path's the .proto text: both decoded above
# shellcheck disable=SC2154
curl -sf "$R/subjects/$t_all_serializer-value/versions/latest" > reg.s
grep -q '"schemaType":"PROTOBUF"' reg.s && ! grep -q 'message All' reg.s ||
	fail "serializer's schema: $(head -c 300 reg.s)"
# shellcheck disable=SC2154
curl -sf "$R/subjects/$t_all_text-value/versions/latest" | grep -q 'message All' ||
	fail "text schema not registered as text"
# the values themselves, as written here (the peer's are compared above)
grep -q '^{"id":9007199254740993,"ok":true,"qty":-7,"ratio":0.1,"amountUsd":1004.989,"u32":4294967295,"u64":18446744073709551615,"s32":-2147483648,"s64":-9223372036854775808,' got.all.text ||
	fail "all: $(head -1 got.all.text)"
grep -q '"byZip":{"64101":{"city":"KC","zip":64101},"0":{"city":"none"}}' got.all.serializer ||
	fail "all map: $(head -1 got.all.serializer)"
grep -q '"ts":"9999-12-31T23:59:59.999999999Z","took":"315576000000.000000001s"' got.all.text ||
	fail "all ts: $(sed -n 4p got.all.text)"
sed -n 2p got.all.text > empty
grep -q '^{"id":0,.*"tags":\[\],"counts":\[\],"attrs":{},"byZip":{},"lines":\[\]}$' empty ||
	fail "defaults: $(cat empty)"
[ "$(sed -n 1p got.sale.text)" = '{"sellerId":"KC","amountUsd":646,"saleTs":1713654885125}' ] ||
	fail "sale: $(sed -n 1p got.sale.text)"

# -J: the schema id; -s avro on Protobuf and a payload without the
# magic byte are bad records, the raw one kept in the dead-letter file
# shellcheck disable=SC2154
t=$t_sale_text
id=$(curl -sf "$R/subjects/$t-value/versions/latest" | sed 's/.*"id":\([0-9]*\).*/\1/')
ksource -t "$t" -e -c 1 -J -s value=protobuf -r "$R" > env
grep -q "\"payload\":{\"sellerId\":\"KC\",\"amountUsd\":646,\"saleTs\":1713654885125},\"value_schema_id\":$id}\$" env ||
	fail "-J: $(cat env)"
echo '{"plain":1}' | ksink -t "$t"
ksource -t "$t" -e -s value=protobuf -r "$R" --dead-letter dl > got 2> err ||
	fail "bad records: exit $?: $(cat err)"
[ "$(wc -l < got)" -eq 3 ] || fail "bad records: $(cat got)"
grep -q "$t/0@3: not in the Confluent wire format (no magic byte 0)" err || fail "magic: $(cat err)"
grep -q '{"plain":1}' dl || fail "dead letter: $(cat dl)"
rc=0
ksource -t "$t" -e -s value=avro -r "$R" --on-error=abort > /dev/null 2> err || rc=$?
[ $rc -eq 65 ] || fail "-s avro on Protobuf: exit $rc"
grep -q "schema id $id: a PROTOBUF schema, not AVRO" err || fail "avro on protobuf: $(cat err)"

# -s key=protobuf: a key under its own .proto, with a Protobuf value
tk=$(topic pb-key)
create "$tk" 1
kid=$(curl -sf -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\"; message K { string seller = 1; int32 region = 2; }"}' \
    "$R/subjects/$tk-key/versions" | sed 's/.*"id":\([0-9]*\).*/\1/')
[ -n "$kid" ] || fail "key schema not registered"
/usr/bin/python3 - "$KAFKA_BROKERS" "$tk" "$kid" "$id" <<'X' || fail "python3-kafka"
import struct, sys
from kafka import KafkaProducer
bs, t, kid, vid = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def h(i): return b"\0" + struct.pack(">i", i) + b"\0"    # message [0]
p = KafkaProducer(bootstrap_servers=bs)
p.send(t, key=h(kid) + b"\x0a\x02KC\x10\x03",
       value=h(vid) + b"\x0a\x03OMA\x11" + struct.pack("<d", 2.5))
p.send(t, key=h(kid) + b"\x0a\x01", value=h(vid))     # a truncated key
p.flush()
X
ksource -t "$tk" -e -J -s key=protobuf -s value=protobuf -r "$R" > kenv 2> err ||
	fail "key=protobuf: $(cat err)"
grep -q "\"key\":{\"seller\":\"KC\",\"region\":3},\"payload\":{\"sellerId\":\"OMA\",\"amountUsd\":2.5,\"saleTs\":0},\"key_schema_id\":$kid,\"value_schema_id\":$id}\$" kenv ||
	fail "key=protobuf -J: $(cat kenv)"
[ "$(wc -l < kenv)" -eq 1 ] || fail "key=protobuf: $(cat kenv)"
grep -q "$tk/0@1: key: truncated Protobuf data (field 1)" err || fail "bad key: $(cat err)"
