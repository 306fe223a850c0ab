# ksink: exit statuses and the dead-letter file against a live cluster.
. "$T/kafka/ksink.subr"
t=$(topic ksink-errors)

# 64: usage errors, before any connection
rc=0; ksink < /dev/null 2> err || rc=$?
[ $rc -eq 64 ] || fail "no topic: exit $rc"
rc=0; ksink -t "$t" -X acks < /dev/null 2> err || rc=$?
[ $rc -eq 64 ] || fail "-X without =: exit $rc"

# 69 within the bounded wait: nothing listens on port 1
s=$(date +%s); rc=0
echo '{"a":1}' | ksink -b 127.0.0.1:1 -m 2s -t "$t" 2> err || rc=$?
[ $rc -eq 69 ] || fail "unreachable: exit $rc"
[ "$(elapsed "$s")" -le 6 ] || fail "unreachable: took $(elapsed "$s") s"
grep -q 'cannot reach Kafka at 127.0.0.1:1' err || fail "unreachable: $(cat err)"
# 69: a partition the topic does not have
echo '{"a":0}' | ksink -t "$t"
rc=0; echo '{"a":1}' | ksink -t "$t" -p 999 2> err || rc=$?
[ $rc -eq 69 ] || fail "-p 999: exit $rc"
grep -q -- '-p 999: topic' err || fail "-p 999: $(cat err)"

# bad lines: skipped (exit 0), reported with their line number, copied
# verbatim to the dead-letter file; the good ones are all delivered
cat > in.nd <<'X'
{"k":"a","n":1}
not json
[1,2]
{"k":"b","n":2} trailing
{"n":3}
{"k":{"x":1},"n":4}
{"k":"c","n":5,"ok":"\u00ff"}
{"k":"d","n":6}
X
printf '{"k":"e","n":7,"raw":"\377"}\n' >> in.nd
# an open string after the object (line 10) must not swallow line 11
printf '{"k":"f","n":8}"\n{"k":"g","n":9}\n' >> in.nd
ksink -t "$t" -k k --dead-letter dl.nd < in.nd 2> err
for l in 2 3 4 5 6 9 10; do
	grep -q "<stdin>:$l: " err || fail "line $l not reported: $(cat err)"
done
grep -q 'key field k: missing' err || fail "missing key: $(cat err)"
grep -q 'key field k: expected a string or a number' err || fail "object key"
grep -q '7 bad records skipped, copied to dl.nd' err || fail "summary: $(cat err)"
sed -n '2,6p;9,10p' in.nd > want.dl
cmp want.dl dl.nd || fail "dead-letter file differs"
consume "$t" '%k %s\n' | grep -v '^ ' > got
printf '%s\n' 'a {"k":"a","n":1}' 'c {"k":"c","n":5,"ok":"\u00ff"}' \
    'd {"k":"d","n":6}' 'g {"k":"g","n":9}' > want
same want got

# --on-error=abort: 65 at the first bad line, what came before delivered
t2=$(topic ksink-errors-abort)
rc=0
printf '%s\n' '{"n":1}' '{"n":2}' 'oops' '{"n":3}' |
    ksink -t "$t2" --on-error=abort 2> err || rc=$?
[ $rc -eq 65 ] || fail "abort: exit $rc"
grep -q '<stdin>:3: ' err || fail "abort: $(cat err)"
consume "$t2" '%s\n' > got
printf '%s\n' '{"n":1}' '{"n":2}' > want
same want got

# --max-line: a longer line is a bad line
t3=$(topic ksink-errors-long)
printf '%s\n' '{"n":1}' '{"n":"0123456789012345678901234567890123456789"}' '{"n":3}' |
    ksink -t "$t3" --max-line 20 --dead-letter dl3.nd 2> err
grep -q '<stdin>:2: line longer than --max-line 20' err || fail "max-line: $(cat err)"
grep -q 0123456789 dl3.nd || fail "long line not copied"
[ "$(consume "$t3" '%s\n' | sort | tr '\n' ' ')" = '{"n":1} {"n":3} ' ] || fail "max-line output"

# a message over message.max.bytes: not delivered, 75, dead-lettered
t4=$(topic ksink-errors-big)
rc=0
printf '%s\n' '{"n":1}' "{\"pad\":\"$(printf '%02000d' 0)\"}" '{"n":3}' |
    ksink -t "$t4" -X message.max.bytes=1000 --dead-letter dl4.nd 2> err || rc=$?
[ $rc -eq 75 ] || fail "too large: exit $rc: $(cat err)"
grep -q '1 of 3 records not delivered, copied to dl4.nd' err || fail "too large: $(cat err)"
grep -q pad dl4.nd || fail "too large: not in the dead-letter file"
