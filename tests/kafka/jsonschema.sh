# ksource -s value=json: Confluent's JSON Schema framing (magic byte 0, a
# 4-byte schema id, then JSON) against a real Schema Registry (Apicurio
# on Java 21+, scripts/kafka-local start --real --registry): the header
# taken off, a value spanning lines compacted, the schema id in the -J
# envelope; a payload that is not JSON, one without the magic byte, an
# unknown id and an id of an Avro schema are bad records, kept raw in
# the dead-letter file; every record rejected is exit 65.
# SKIPPED (exit 77) when no Java 21 or later is found.
# needs: ksource
# broker: real
. "$T/kafka/ksink.subr"
PYK=/usr/bin/python3	# Debian's, with python3-kafka (scripts/deps)

registry_start
CT='Content-Type: application/vnd.schemaregistry.v1+json'

t=$(topic clicks-js)
create "$t" 1
jid=$(curl -sf -H "$CT" --data '{"schemaType":"JSON","schema":"{\"type\":\"object\",\"properties\":{\"user\":{\"type\":\"string\"},\"bytes\":{\"type\":\"integer\"}}}"}' \
    "$R/subjects/$t-value/versions" | sed 's/.*"id":\([0-9]*\).*/\1/')
aid=$(curl -sf -H "$CT" --data '{"schema":"\"string\""}' \
    "$R/subjects/$t-avro/versions" | sed 's/.*"id":\([0-9]*\).*/\1/')
[ -n "$jid" ] && [ -n "$aid" ] || fail "ids: json $jid, avro $aid"
$PYK - "$KAFKA_BROKERS" "$t" "$jid" "$aid" <<'X' || fail "python3-kafka"
import struct, sys
from kafka import KafkaProducer
bs, t, jid, aid = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def h(i): return b"\0" + struct.pack(">i", i)
p = KafkaProducer(bootstrap_servers=bs)
p.send(t, value=h(jid) + b'{"user":"u1","bytes":512}')
p.send(t, value=h(jid) + b'{\n  "user": "u2",\n  "bytes": 1024\n}')  # spans lines
p.send(t, value=h(jid) + b'{"user":')            # not JSON
p.send(t, value=b'{"user":"u3","bytes":1}')      # no magic byte
p.send(t, value=h(999999) + b'{"user":"u4"}')    # an unknown id
p.send(t, value=h(aid) + b'\x04u5')              # an Avro schema's id
p.send(t, value=h(jid) + b'{"user":"u6","bytes":2048}')
p.flush()
X
ksource -t "$t" -e -s value=json -r "$R" --dead-letter dl > got 2> err ||
	fail "ksource: exit $?: $(cat err)"
printf '%s\n' '{"user":"u1","bytes":512}' '{"user":"u2","bytes":1024}' \
    '{"user":"u6","bytes":2048}' > want
cmp want got || { diff want got; fail "the JSON values differ"; }
for why in "JSON Schema payload" "no magic byte 0" "schema id 999999" \
    "schema id $aid: an AVRO schema, not JSON"; do
	grep -q "$why" err || { cat err; fail "no message: $why"; }
done
grep -q "4 bad records skipped" err || { cat err; fail "not 4 skipped"; }
[ "$(wc -l < dl)" -ge 4 ] || fail "the dead-letter file has $(wc -l < dl) lines"
# -J: the envelope carries the value and its schema id
ksource -t "$t" -e -c 1 -J -s value=json -r "$R" > env 2> err || fail "-J: $(cat err)"
grep -q "\"payload\":{\"user\":\"u1\",\"bytes\":512}.*\"value_schema_id\":$jid" env ||
	{ cat env; fail "-J envelope"; }
# a topic read with the wrong format: every record rejected, exit 65
t2=$(topic clicks-plain)
create "$t2" 1
printf '%s\n' '{"user":"u1"}' '{"user":"u2"}' | ksink -t "$t2" 2> err || fail "ksink: $(cat err)"
rc=0
ksource -t "$t2" -e -s value=json -r "$R" > none 2> err || rc=$?
[ "$rc" = 65 ] || { cat err; fail "a topic not in the framing: exit $rc, not 65"; }
grep -q "every one of the 2 records read was rejected" err || { cat err; fail "no summary"; }
echo "figure: 3 of 7 framed values out, 4 bad records named and kept; a plain topic is exit 65"
