# ksink -s value=avro and ksource -s avro against a real Schema Registry
# (Apicurio Registry on Java 21+, scripts/kafka-local start --real
# --registry) and the real broker: the round trip of a schema with every
# Avro type, the registry's ids, the -J envelope with an Avro key, bad
# records both ways, an incompatible schema, an unreachable registry,
# the tutorial's job from an Avro topic to an Avro topic; Avro's wrapped
# unions and ISO-8601 times (--avro-unions, --avro-time) there and back;
# ksink -J -s avro on ksource's envelopes.
# SKIPPED (exit 77) when no Java 21 or later is found.
# needs: ksink ksource window-agg fxconvert
# broker: real
. "$T/kafka/ksink.subr"
D=$T/data/avro
PYK=/usr/bin/python3	# Debian's, with python3-kafka (scripts/deps)

registry_start
sed -n 's/^kafka-local: schema registry .*started in \([0-9]*\) ms, \([0-9]*\) MB.*/figure: registry up in \1 ms, \2 MB/p' reg.log

# the round trip, in order on one partition: the values as given, the
# decimals exact (38 digits), the logical types as the numbers stored
t=$(topic avro-rt)
create "$t" 1
ksink -t "$t" -s value=avro -r "$R" --value-schema "$D/all.avsc" < "$D/all.ndjson" 2> err ||
	fail "ksink: $(cat err)"
ksource -t "$t" -e -s value=avro -r "$R" > got 2> err || fail "ksource: $(cat err)"
cmp "$D/all.json" got || { diff "$D/all.json" got; fail "round trip differs"; }

# Avro's own JSON forms on request: unions wrapped, dates and times as
# ISO-8601 text (each checked against Python's datetime on the numbers
# of the plain output); ksink reads them back to the same records
ksource -t "$t" -e -s value=avro -r "$R" --avro-unions=wrapped \
    --avro-time=iso8601 > wrapped 2> err || fail "--avro-unions: $(cat err)"
grep -q '"choice":{"long":7},.*"zip":{"int":150}}},"billing":{"kp.test.Address":{"city":"Rome","zip":null}}' wrapped ||
	fail "wrapped unions: $(head -1 wrapped)"
$PYK - "$D/all.json" wrapped <<'X' || fail "ISO-8601 text differs from Python's"
import datetime as dt, json, sys
E, U = dt.datetime(1970, 1, 1), dt.timezone.utc
def us(s): return dt.timedelta(microseconds=s)
want = {"day": lambda v: (E.date() + dt.timedelta(days=v)).isoformat(),
    "tmillis": lambda v: (E + us(v * 1000)).time().isoformat("milliseconds"),
    "tmicros": lambda v: (E + us(v)).time().isoformat("microseconds"),
    "ts": lambda v: (E + us(v * 1000)).isoformat("T", "milliseconds") + "Z",
    "tsus": lambda v: (E + us(v)).isoformat("T", "microseconds") + "Z",
    "lts": lambda v: (E + us(v * 1000)).isoformat("T", "milliseconds")}
n = 0
for a, b in zip(open(sys.argv[1]), open(sys.argv[2])):
    a, b = json.loads(a), json.loads(b)
    for k, f in want.items():
        if f(a[k]) != b[k]:
            sys.exit("%s: %s is %r, not %r" % (k, a[k], b[k], f(a[k])))
        n += 1
if n != 18:
    sys.exit("%d values checked, not 18" % n)
X
tw=$(topic avro-wrapped)
create "$tw" 1
ksink -t "$tw" -s value=avro -r "$R" --value-subject "$t-value" < wrapped 2> err ||
	fail "ksink of the wrapped forms: $(cat err)"
ksource -t "$tw" -e -s value=avro -r "$R" > got 2> err || fail "ksource: $(cat err)"
cmp "$D/all.json" got || { diff "$D/all.json" got; fail "the wrapped forms read back differ"; }

# an identical schema keeps its id; without a file, the latest version
id1=$(ksource -t "$t" -e -c 1 -J -s avro -r "$R" | sed -n 's/.*"value_schema_id":\([0-9]*\)}$/\1/p')
[ -n "$id1" ] || fail "-J: no value_schema_id"
head -1 "$D/all.ndjson" | ksink -t "$t" -s value=avro -r "$R" --value-schema "$D/all.avsc"
head -1 "$D/all.ndjson" | ksink -t "$t" -s value=avro -r "$R"
ksource -t "$t" -e -J -s avro -r "$R" > env
[ "$(sed -n 's/.*"value_schema_id":\([0-9]*\)}$/\1/p' env | sort -u)" = "$id1" ] ||
	fail "schema ids: $(sed -n 's/.*"value_schema_id"://p' env)"
[ "$(curl -sf "$R/subjects/$t-value/versions")" = "[1]" ] ||
	fail "versions of $t-value: $(curl -s "$R/subjects/$t-value/versions")"
grep -q '"payload":{"id":1,' env || fail "-J payload: $(head -c 300 env)"

# --value-subject; schema.registry.url from a -F file
t2=$(topic avro-subj)
create "$t2" 1
printf 'schema.registry.url=%s\n' "$R" > kcat.conf
cat > r.avsc <<'X'
{"type":"record","name":"R","fields":[{"name":"n","type":"int"},{"name":"amount_usd","type":"double"}]}
X
echo '{"n":5,"amount_usd":1.25}' | ksink -t "$t2" -s value=avro -F kcat.conf \
    -b "$KAFKA_BROKERS" --value-subject "other-$t2" --value-schema r.avsc ||
	fail "--value-subject"
curl -sf "$R/subjects/other-$t2/versions/latest" > latest || fail "no subject other-$t2"
grep -q amount_usd latest || fail "subject other-$t2: $(cat latest)"
[ "$(ksource -t "$t2" -e -s value=avro -F kcat.conf -b "$KAFKA_BROKERS")" = '{"n":5,"amount_usd":1.25}' ] ||
	fail "-F schema.registry.url"

# a line that does not fit: a bad record with its line and field path,
# the line kept in the dead-letter file; the others delivered
t3=$(topic avro-bad)
create "$t3" 1
printf '%s\n' '{"n":1,"amount_usd":1}' '{"n":2,"amount_usd":"3.5"}' \
    '{"n":3}' '{"n":4.5,"amount_usd":2}' 'nope' '{"n":6,"amount_usd":6}' |
    ksink -t "$t3" -s value=avro -r "$R" --value-schema r.avsc \
    --dead-letter dl.nd 2> err || fail "bad lines: exit $?"
grep -q '<stdin>:2: amount_usd: expected double, got string' err || fail "line 2: $(cat err)"
grep -q '<stdin>:3: amount_usd: missing' err || fail "line 3: $(cat err)"
grep -q '<stdin>:4: n: expected int, got 4.5' err || fail "line 4: $(cat err)"
grep -q '<stdin>:5: invalid JSON' err || fail "line 5: $(cat err)"
[ "$(wc -l < dl.nd)" -eq 4 ] || fail "dead letters: $(cat dl.nd)"
ksource -t "$t3" -e -s value=avro -r "$R" > got
printf '%s\n' '{"n":1,"amount_usd":1}' '{"n":6,"amount_usd":6}' > want
cmp want got || fail "bad lines: $(cat got)"
rc=0
echo '{"n":"x"}' | ksink -t "$t3" -s value=avro -r "$R" --on-error=abort 2> err || rc=$?
[ $rc -eq 65 ] || fail "abort: exit $rc"

# ksource: a record without the magic byte, an unknown id, data that
# does not fit its schema, and a key in Avro (-J): bad records are said
# with their offset and kept raw in the dead-letter file
t4=$(topic avro-raw)
create "$t4" 1
kid=$(curl -sf -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"schema":"\"string\""}' "$R/subjects/$t4-key/versions" |
    sed 's/.*"id":\([0-9]*\).*/\1/')
vid=$(curl -sf "$R/subjects/$t3-value/versions/latest" | sed 's/.*"id":\([0-9]*\).*/\1/')
[ -n "$kid" ] && [ -n "$vid" ] || fail "ids: $kid $vid"
$PYK - "$KAFKA_BROKERS" "$t4" "$kid" "$vid" <<'X' || fail "python3-kafka"
import struct, sys
from kafka import KafkaProducer
bs, t, kid, vid = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def h(i): return b"\0" + struct.pack(">i", i)
def s(b): return bytes([len(b) * 2]) + b  # short strings: zigzag length
good = h(vid) + bytes([2]) + struct.pack("<d", 2.5)  # n=1, amount 2.5
p = KafkaProducer(bootstrap_servers=bs)
p.send(t, key=h(kid) + s(b"k1"), value=good)
p.send(t, value=b'{"n":1}')                   # no magic byte
p.send(t, value=h(999999) + b"\2")            # an unknown id
p.send(t, value=h(vid) + bytes([2, 1]))       # truncated
p.send(t, key=h(kid) + s(b"k2"), value=good + b"x")  # a byte too many
p.send(t, key=h(kid) + s(b"k3"), value=good)
p.send(t, key=h(kid) + s(b"k4"), value=b"")           # a tombstone
p.flush()
X
ksource -t "$t4" -e -J -s key=avro -s value=avro -r "$R" --dead-letter kdl 2> err > env ||
	fail "ksource bad records: exit $?: $(cat err)"
[ "$(wc -l < env)" -eq 3 ] || fail "-J: $(cat env)"
grep -q '"key":"k4",.*"key_schema_id":[0-9]*}$' env || fail "-J tombstone: $(cat env)"
ksource -t "$t4" -e -s value=avro -r "$R" -Z 2> /dev/null | tail -1 > tomb
[ "$(cat tomb)" = null ] || fail "-Z tombstone: $(cat tomb)"
grep -q "\"key\":\"k1\",\"payload\":{\"n\":1,\"amount_usd\":2.5},\"key_schema_id\":$kid,\"value_schema_id\":$vid}" env ||
	fail "-J key and payload: $(cat env)"
grep -q "$t4/0@1: not in the Confluent wire format (no magic byte 0)" err || fail "magic: $(cat err)"
grep -q "$t4/0@2: schema id 999999: " err || fail "unknown id: $(cat err)"
grep -q "$t4/0@3: truncated Avro data" err || fail "truncated: $(cat err)"
grep -q "$t4/0@4: 1 bytes left after the Avro datum" err || fail "trailing: $(cat err)"
grep -q '{"n":1}' kdl || fail "dead letter: $(cat kdl)"
rc=0
ksource -t "$t4" -e -s value=avro -r "$R" --on-error=abort > /dev/null 2> err || rc=$?
[ $rc -eq 65 ] || fail "ksource abort: exit $rc"

# ksink -s key=avro: the -k field's value (here a record) as an Avro
# key under TOPIC-key, with an Avro value; ksource decodes both
t5=$(topic avro-key)
create "$t5" 1
cat > key.avsc <<'X'
{"type":"record","name":"K","fields":[{"name":"seller","type":"string"},{"name":"region","type":["null","int"]}]}
X
printf '%s\n' '{"k":{"seller":"KC","region":3},"n":1,"amount_usd":2.5}' \
    '{"k":{"seller":7},"n":2,"amount_usd":1}' \
    '{"k":{"seller":"DEN"},"n":3,"amount_usd":0.5}' |
    ksink -t "$t5" -k k -s key=avro -s value=avro -r "$R" --key-schema key.avsc \
    --value-schema r.avsc 2> err || fail "key=avro: $(cat err)"
grep -q '<stdin>:2: key field k: seller: expected string, got number' err || fail "key=avro: $(cat err)"
curl -sf "$R/subjects/$t5-key/versions/latest" | grep -q region || fail "no subject $t5-key"
ksource -t "$t5" -e -J -s key=avro -s value=avro -r "$R" > kenv
grep -q '"key":{"seller":"KC","region":3},"payload":{"n":1,"amount_usd":2.5},"key_schema_id":[0-9]*,"value_schema_id":[0-9]*}$' kenv ||
	fail "key=avro -J: $(cat kenv)"
grep -q '"key":{"seller":"DEN","region":null},"payload":{"n":3,"amount_usd":0.5}' kenv ||
	fail "key=avro -J: $(cat kenv)"
[ "$(wc -l < kenv)" -eq 2 ] || fail "key=avro: $(cat kenv)"

# ksink -J -s avro: ksource's envelopes back into Avro, the key (a
# record) and the payload encoded under the subjects named; the same
# keys, payloads and schema ids come out. A string payload is a string
# value; payload_base64 is no JSON value: a bad record
t6=$(topic avro-env)
create "$t6" 1
ksink -J -t "$t6" -s key=avro -s value=avro -r "$R" --key-subject "$t5-key" \
    --value-subject "$t5-value" < kenv 2> err || fail "ksink -J -s avro: $(cat err)"
ksource -t "$t6" -e -J -s key=avro -s value=avro -r "$R" > kenv6
sed 's/.*"broker":[0-9]*,//' kenv > want
sed 's/.*"broker":[0-9]*,//' kenv6 > got
cmp want got || { diff want got; fail "ksink -J -s avro: the envelopes differ"; }
ts=$(topic avro-envs)
create "$ts" 1
echo '"string"' > s.avsc
printf '%s\n' '{"payload":"a \"q\""}' '{"payload_base64":"AAE="}' '{"payload":"b"}' |
	ksink -J -t "$ts" -s value=avro -r "$R" --value-schema s.avsc 2> err ||
	fail "ksink -J string payloads: exit $?: $(cat err)"
grep -q '<stdin>:2: payload_base64: bytes, not a JSON value' err || fail "payload_base64: $(cat err)"
printf '%s\n' '"a \"q\""' '"b"' > want
ksource -t "$ts" -e -s value=avro -r "$R" > got
cmp want got || { diff want got; fail "ksink -J: string payloads"; }

# an incompatible schema: the registry's message, exit 65
curl -sf -X PUT -H 'Content-Type: application/json' \
    --data '{"compatibility":"BACKWARD"}' "$R/config/$t3-value" > /dev/null ||
	fail "set compatibility"
cat > r2.avsc <<'X'
{"type":"record","name":"R","fields":[{"name":"n","type":"string"},{"name":"amount_usd","type":"double"}]}
X
rc=0
echo '{"n":"1","amount_usd":1}' | ksink -t "$t3" -s value=avro -r "$R" --value-schema r2.avsc 2> err || rc=$?
[ $rc -eq 65 ] || fail "incompatible: exit $rc: $(cat err)"
grep -q "subject $t3-value refused --value-schema r2.avsc: .*ncompatible" err || fail "incompatible: $(cat err)"
# no such subject without a file: 65
rc=0; echo '{}' | ksink -t "nosuch-$t3" -s value=avro -r "$R" 2> err || rc=$?
[ $rc -eq 65 ] || fail "no subject: exit $rc: $(cat err)"

# an unreachable registry: 69 naming it, within seconds
for tool in ksource ksink; do
	s=$(date +%s); rc=0
	if [ $tool = ksource ]; then
		ksource -t "$t" -e -s avro -r http://127.0.0.1:1/ > /dev/null 2> err || rc=$?
	else
		echo '{}' | ksink -t "$t" -s value=avro -r http://127.0.0.1:1/ 2> err || rc=$?
	fi
	[ $rc -eq 69 ] || fail "$tool unreachable registry: exit $rc"
	[ "$(elapsed "$s")" -le 8 ] || fail "$tool unreachable: $(elapsed "$s") s"
	grep -q 'schema registry http://127.0.0.1:1: ' err || fail "$tool: $(cat err)"
done

# usage: 64
for a in "-s json" "-s value=avro" "-s avro -L" "-s avro -f %s" "-r $R"; do
	rc=0
	# shellcheck disable=SC2086
	ksource -t "$t" -e $a > /dev/null 2> err || rc=$?
	[ $rc -eq 64 ] || fail "ksource $a: exit $rc: $(cat err)"
done
rc=0; echo '{}' | ksink -t "$t" -s key=avro -r "$R" 2> err || rc=$?
[ $rc -eq 64 ] || fail "ksink -s key=avro: exit $rc"
rc=0; echo '{}' | ksink -t "$t" -s value=protobuf -r "$R" 2> err || rc=$?
[ $rc -eq 64 ] || fail "ksink -s value=protobuf: exit $rc"
grep -q 'not encoded yet' err || fail "ksink protobuf: $(cat err)"

# the tutorial on Avro: sales-usd in Avro through the job into sales-euros
# in Avro gives the rows the job gives on JSON, decimals exact
tu=$(topic avro-usd) te=$(topic avro-eur)
create "$tu" 1
create "$te" 1
grep -v 999999999999 "$D/sale.ndjson" > sales.nd
ksink -t "$tu" -s value=avro -r "$R" --value-schema "$D/sale.avsc" < sales.nd
ksource -t "$tu" -e -s avro -r "$R" > usd.nd
window-agg --tumble 6s -k seller_id -t sale_ts -a 'window_sales=sum(amount_usd)' < usd.nd |
    fxconvert -f window_sales --rate 0.85 > eur.nd
ksink -t "$te" -s value=avro -r "$R" --value-schema "$D/euros.avsc" < eur.nd 2> err ||
	fail "ksink euros: $(cat err)"
if grep -q 'skipped' err; then fail "ksink euros: $(cat err)"; fi
ksource -t "$te" -e -s avro -r "$R" > got
window-agg --tumble 6s -k seller_id -t sale_ts -a 'window_sales=sum(amount_usd)' < sales.nd |
    fxconvert -f window_sales --rate 0.85 > want
[ "$(wc -l < got)" -eq 4 ] && [ "$(wc -l < want)" -eq 4 ] || fail "tutorial: $(cat got)"
# the same decimals: 1004.989000 and 1004.989
sed 's/\(\.[0-9]*[1-9]\)0*}/\1}/; s/\.0*}/}/' got > got.n
cmp want got.n || { diff want got.n; fail "tutorial on Avro differs"; }
