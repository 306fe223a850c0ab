# ksink -J: envelopes (kcat's -J format, as ksource writes it) produce
# the messages they describe: topic, partition, key, headers, timestamp
# and value; and a topic copied through -J is the same topic.
. "$T/kafka/ksink.subr"
a=$(topic ksink-env-a)
b=$(topic ksink-env-b)
# a.nd: by hand, one kind of payload a line
cat > a.nd <<X
{"topic":"$a","partition":1,"offset":0,"tstype":"create","ts":1713654885125,"broker":1,"headers":["h1","v1","h2",null,"h1","again"],"key":"k1","payload":{"a": [1, {"b":"x"}] , "c":2.50}}
{"topic":"$a","partition":2,"offset":1,"tstype":"create","ts":1713654885126,"broker":1,"key":null,"payload":"plain \u00e9 \"text\""}
{"topic":"$a","partition":0,"key_base64":"AAEC/w==","payload_base64":"3q2+7w==","ts":1713654885127}
{"topic":"$a","partition":0,"key":"n","payload":12.50,"ts":1713654885128}
{"topic":"$a","partition":0,"key":"z","payload":null,"ts":1713654885129,"future":{"x":[1]}}
{"partition":0,"payload":"no topic"}
{"topic":"$a","partition":0,"key":"bad","payload":"x","headers":["odd"]}
X
# the checks plain ksink makes, with its messages: UTF-8, white space
u="{\"topic\":\"$a\",\"partition\":0,\"key\":\"u\",\"payload\":\""
v="{\"topic\":\"$a\",\"partition\":0,\"key\":\"v\",\"payload\":1}"
printf '%s\300\257"}\n%s\f\n' "$u" "$v" >> a.nd
# one parse reads the envelope: a field it reads given twice is bad
cat >> a.nd <<X
{"topic":"$a","partition":0,"key":"h","payload":"x","headers":["n",true]}
{"topic":"$a","partition":0,"key":"t","payload":{"a":1},"payload":"x"}
X
ksink -J --dead-letter dl.nd < a.nd 2> err
grep -q '<stdin>:10: envelope headers: expected strings and nulls, got a boolean' err ||
    fail "a boolean header value: $(cat err)"
grep -q '<stdin>:11: field payload: given twice' err || fail "two payloads: $(cat err)"
grep -q '<stdin>:6: envelope without a topic' err || fail "no topic not reported"
grep -q '<stdin>:7: envelope headers' err || fail "odd headers not reported"
grep -q "<stdin>:8: invalid JSON near byte $((${#u} + 1)): lexical error: invalid bytes in UTF8 string." err ||
    fail "bad UTF-8 in an envelope: $(cat err)"
grep -q "<stdin>:9: invalid JSON near byte $((${#v} + 1)): \\\\f is not JSON white space" err ||
    fail "form feed after an envelope: $(cat err)"
[ "$(wc -l < dl.nd)" -eq 6 ] || fail "dead letters: $(cat dl.nd)"

# kcat: partition, key, timestamp, value, headers, value length
consume "$a" '%p|%k|%T|%s|%h|%S\n' > got.lines
[ "$(wc -l < got.lines)" -eq 5 ] || fail "expected 5 messages, got $(wc -l < got.lines)"
for p in 0 1 2; do
	grep -a "^$p|" got.lines > got.$p || true
done
[ "$(cat got.1)" = '1|k1|1713654885125|{"a": [1, {"b":"x"}] , "c":2.50}|h1=v1,h2=NULL,h1=again|32' ] ||
    fail "partition 1: $(cat got.1)"
[ "$(cat got.2)" = '2||1713654885126|plain é "text"||15' ] ||
    fail "partition 2: $(cat got.2)"
printf '0|\000\001\002\377|1713654885127|\336\255\276\357||4\n0|n|1713654885128|12.50||5\n0|z|1713654885129|||-1\n' > want.0
cmp want.0 got.0 || fail "partition 0: $(od -c got.0)"
consume "$a" '%p %K\n' > keys
grep -q '^2 -1$' keys || fail "null key became a key"

# kcat -J writes it, ksink -J reads it: the same messages in another
# topic (-t), same partitions (-p not given, so the partitioner picks
# by key: compare keys and values only), then with the partitions kept
# (kcat writes bytes that are not UTF-8 raw, which is not JSON: ksink
# skips that envelope, where ksource's would carry key_base64)
kcat -C -b "$KAFKA_BROKERS" -t "$a" -e -q -J > a.env
ksink -J -t "$b" < a.env 2> err
grep -q 'invalid bytes in UTF8' err || fail "raw bytes in kcat's -J accepted"
consume "$a" '%k|%T|%s|%h\n' | grep -av '|1713654885127|' > ka
consume "$b" '%k|%T|%s|%h\n' > kb
same ka kb
c=$(topic ksink-env-c)
sed "s/\"topic\":\"$a\"/\"topic\":\"$c\"/" a.env | ksink -J 2> c.err || :
consume "$a" '%p|%k|%T|%s|%h\n' | grep -av '|1713654885127|' > pa
consume "$c" '%p|%k|%T|%s|%h\n' > pc
same pa pc || { cat c.err; exit 1; }

# ksource -J | ksink -J, when ksource is built
if command -v ksource > /dev/null; then
	d=$(topic ksink-env-d)
	ksource -t "$a" -e -J | ksink -J -t "$d" -X partitioner=murmur2_random
	consume "$a" '%k|%T|%s|%h\n' > kall
	consume "$d" '%k|%T|%s|%h\n' > kd
	same kall kd
	# -p and a dot-path key from the envelope
	e=$(topic ksink-env-e)
	echo "{\"topic\":\"x\",\"partition\":3,\"key\":\"old\",\"ts\":5,\"payload\":{\"seller_id\":\"LNK\"}}" |
	    ksink -J -t "$e" -p 0 -k payload.seller_id
	[ "$(consume "$e" '%p %k %T %s')" = '0 LNK 5 {"seller_id":"LNK"}' ] ||
	    fail "-J with -p and -k: $(consume "$e" '%p %k %T %s')"
fi

# an envelope followed by an open string is bad, and the string must not
# run into the next envelope (yajl kept it in its lexer)
f=$(topic ksink-env-f)
printf '{"topic":"%s","partition":0,"key":"x","payload":1}"\n{"topic":"%s","partition":0,"key":"y","payload":2}\n' "$f" "$f" |
    ksink -J 2> err
grep -q '<stdin>:1: trailing data after the JSON value' err || fail "open string: $(cat err)"
[ "$(consume "$f" '%k %s')" = 'y 2' ] || fail "after an open string: $(consume "$f" '%k %s')"
