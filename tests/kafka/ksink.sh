# ksink against a broker ($KAFKA_BROKERS): payloads byte-identical, keys,
# timestamps, and murmur2 partitions as the Java client and python-kafka
# compute them; headers, compression, the -J envelope, bad lines. kcat
# and python3-kafka are the independent peers.
# needs: ksink salesgen
set -eu
u=$$-$(date +%s%N)
B=$KAFKA_BROKERS
consume() {	# topic format
	kcat -C -b "$B" -t "$1" -e -q -f "$2"
}

# 1. keyed, timestamped, 1000 records, partitions by murmur2
t=ksink-sales-$u
salesgen -n 1000 -r 0 --seed 1 --start-ts 1713654885000 > in.ndjson
ksink -t "$t" -k seller_id --ts-field sale_ts < in.ndjson
consume "$t" '%k\t%p\t%T\t%s\n' > got.tsv
[ "$(wc -l < got.tsv)" -eq 1000 ] || { echo "expected 1000 messages, got $(wc -l < got.tsv)"; exit 1; }
cut -f4- got.tsv | sort > got.payloads
sort in.ndjson > want.payloads
cmp want.payloads got.payloads || { echo "payloads differ"; diff want.payloads got.payloads | head; exit 1; }
/usr/bin/python3 - got.tsv <<'PY'
import json, sys
from kafka.partitioner.default import murmur2
bad = 0
for line in open(sys.argv[1], encoding="utf-8"):
    key, part, ts, payload = line.rstrip("\n").split("\t", 3)
    rec = json.loads(payload)
    want_part = (murmur2(key.encode()) & 0x7fffffff) % 4
    if key != rec["seller_id"] or int(ts) != rec["sale_ts"] or int(part) != want_part:
        bad += 1
        if bad < 5:
            print("mismatch:", key, part, ts, payload, "want partition", want_part)
sys.exit(1 if bad else 0)
PY

# 2. headers and gzip
t=ksink-hdr-$u
printf '{"a":1}\n{"a":2}\n' | ksink -t "$t" -H source=salesgen -H run=7 -z gzip
[ "$(consume "$t" '%h|%s\n' | sort)" = 'source=salesgen,run=7|{"a":1}
source=salesgen,run=7|{"a":2}' ] || { echo "headers:"; consume "$t" '%h|%s\n'; exit 1; }

# 3. -J: a hand-written envelope back into a topic
t=ksink-env-$u
cat > env.ndjson <<EOT
{"topic":"$t","partition":1,"offset":0,"tstype":"create","ts":1713654885125,"broker":1,"headers":["h1","v1"],"key":"LNK","payload":{"seller_id":"LNK","amount_usd":361,"sale_ts":1713654885125}}
{"topic":"$t","partition":3,"offset":1,"tstype":"create","ts":1713654885225,"broker":1,"headers":[],"key":null,"payload":"plain text"}
{"topic":"$t","partition":2,"offset":2,"tstype":"create","ts":1713654885325,"broker":1,"key_base64":"/wA=","payload_base64":"AAEC"}
EOT
ksink -J < env.ndjson
consume "$t" '%p|%k|%T|%h|%s\n' | sort > envgot
printf '%s\n' \
    '1|LNK|1713654885125|h1=v1|{"seller_id":"LNK","amount_usd":361,"sale_ts":1713654885125}' \
    '3||1713654885225||plain text' > envwant
grep -av '^2|' envgot | cmp - envwant || { echo "-J:"; cat envgot; exit 1; }
[ "$(consume "$t" '%p %K %S\n' | grep '^2 ')" = "2 2 3" ] || { echo "-J base64:"; consume "$t" '%p %K %S\n'; exit 1; }

# 4. bad lines: skip (exit 0, dead letter), abort (65)
t=ksink-bad-$u
printf '{"ok":1}\nnot json\n[1,2]\n{"ok":2}\n' > bad.ndjson
rc=0; ksink -t "$t" --dead-letter dl < bad.ndjson 2> err || rc=$?
[ "$rc" -eq 0 ] || { echo "skip: exit $rc"; cat err; exit 1; }
printf 'not json\n[1,2]\n' | cmp - dl || { echo "dead letter:"; cat dl; exit 1; }
[ "$(consume "$t" '%s\n' | sort)" = '{"ok":1}
{"ok":2}' ] || { echo "skip sent:"; consume "$t" '%s\n'; exit 1; }
rc=0; ksink -t "$t-a" --on-error abort < bad.ndjson 2> err || rc=$?
[ "$rc" -eq 65 ] || { echo "abort: exit $rc"; cat err; exit 1; }
grep -q 'ksink: <stdin>:2:' err || { echo "abort message:"; cat err; exit 1; }
[ "$(consume "$t-a" '%s\n')" = '{"ok":1}' ] || { echo "abort flushed:"; consume "$t-a" '%s\n'; exit 1; }
echo "ksink: all checks passed"
