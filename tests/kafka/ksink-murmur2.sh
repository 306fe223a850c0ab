# ksink: keys land where the Java client (and kafka-python) would put
# them (murmur2); kafka-python as a second independent consumer checks
# keys, timestamps and headers.
. "$T/kafka/ksink.subr"
t=$(topic ksink-murmur2)
PY=/usr/bin/python3
$PY -c 'import kafka' 2>/dev/null || { echo "no python3-kafka: skipped"; exit 0; }

i=0
while [ $i -lt 300 ]; do
	echo "{\"k\":\"key-$i-\u00e9\",\"n\":$i,\"ts\":$((1713654885000 + i))}"
	i=$((i + 1))
done > in.nd
ksink -t "$t" -k k --ts-field ts -H app=kp -H app=second -H empty= < in.nd
n=$(partitions "$t")
[ "$n" -ge 1 ] || fail "no partition count for $t"

# kcat's view: key and partition; murmur2 computed by kafka-python
consume "$t" '%p %k\n' > got
[ "$(wc -l < got)" -eq 300 ] || fail "expected 300 messages"
$PY - "$n" got <<'X'
import sys
from kafka.partitioner.default import murmur2
n, bad = int(sys.argv[1]), 0
for line in open(sys.argv[2], encoding='utf-8'):
    p, k = line.rstrip('\n').split(' ', 1)
    want = (murmur2(k.encode()) & 0x7fffffff) % n
    if int(p) != want:
        bad += 1
        print('key %r in partition %s, murmur2 says %d' % (k, p, want))
sys.exit(1 if bad else 0)
X

# kafka-python's view: value, key, timestamp (CreateTime) and headers
$PY - "$KAFKA_BROKERS" "$t" <<'X'
import json, sys
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(bootstrap_servers=sys.argv[1].split(','),
                  enable_auto_commit=False, consumer_timeout_ms=5000)
tps = [TopicPartition(sys.argv[2], p) for p in c.partitions_for_topic(sys.argv[2])]
c.assign(tps)
c.seek_to_beginning()
seen = set()
for m in c:
    r = json.loads(m.value)
    assert m.key == r['k'].encode(), (m.key, r)
    assert m.timestamp == r['ts'] and m.timestamp_type == 0, m
    assert m.headers == [('app', b'kp'), ('app', b'second'), ('empty', b'')], m.headers
    seen.add(r['n'])
    if len(seen) == 300:
        break
assert seen == set(range(300)), sorted(set(range(300)) - seen)[:5]
X
