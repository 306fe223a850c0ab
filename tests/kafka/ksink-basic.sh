# ksink: values byte for byte, keys from fields, timestamps, read back
# with kcat as an independent consumer.
. "$T/kafka/ksink.subr"
t=$(topic ksink-basic)

cat > in.nd <<'X'
{"seller_id":"LNK","amount_usd":361,"sale_ts":1713654885125}
{"seller_id":"OMA","amount_usd":100,"sale_ts":1713654885225}

{ "seller_id" : "KC", "amount_usd" : 999.50 , "sale_ts":1713654885325, "note":"spaces kept \u00e9" }
{"seller_id":"DEN","amount_usd":7,"sale_ts":1713654885425,"nested":{"a":[1,2]}}
X
printf '{"seller_id":"CR","amount_usd":1,"sale_ts":1713654885525}\r\n' >> in.nd
ksink -t "$t" -k seller_id --ts-field sale_ts < in.nd

# key, timestamp and the value exactly as the line was written
grep -v '^$' in.nd | tr -d '\r' > want.values
consume "$t" '%s\n' > got.values
same want.values got.values
consume "$t" '%k %T\n' > got.kt
cat > want.kt <<'X'
LNK 1713654885125
OMA 1713654885225
KC 1713654885325
DEN 1713654885425
CR 1713654885525
X
same want.kt got.kt

# a number key is its text; seconds and ISO times; a dot-path key
t2=$(topic ksink-basic-units)
printf '%s\n' '{"id":42,"ts":1713654885.5,"p":{"k":"deep"}}' \
    '{"id":-1.50,"ts":1713654886,"p":{"k":"deeper"}}' |
    ksink -t "$t2" -k id --ts-field ts --time-unit s
consume "$t2" '%k %T\n' > got
printf '42 1713654885500\n-1.50 1713654886000\n' > want
same want got
t3=$(topic ksink-basic-iso)
printf '%s\n' '{"p":{"k":"deep"},"at":"2024-04-21T00:17:42.125Z"}' |
    ksink -t "$t3" -k p.k --ts-field at --time-unit iso
[ "$(consume "$t3" '%k %T')" = "deep 1713658662125" ] || fail "dot path / iso"

# without --ts-field the timestamp is the sending time
t4=$(topic ksink-basic-now)
before=$(date +%s)
echo '{"a":1}' | ksink -t "$t4"
ts=$(consume "$t4" '%T')
[ $((ts / 1000)) -ge "$before" ] && [ $((ts / 1000)) -le $((before + 30)) ] ||
    fail "timestamp $ts is not now"
# no -k: no key (kcat prints an empty key), null key field: no key too
t5=$(topic ksink-basic-nokey)
printf '%s\n' '{"a":1}' '{"k":null}' | ksink -t "$t5" -k k 2> err || fail "a skipped record is not a failure"
grep -q 'key field k: missing' err || fail "no message for a missing key"
[ "$(consume "$t5" '%K|%s')" = '-1|{"k":null}' ] || fail "null key"
