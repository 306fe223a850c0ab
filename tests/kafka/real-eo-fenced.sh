# ksink --exactly-once rides through a transaction the coordinator timed
# out (issue 21, "ride through": in a hard rolling restart on the
# three-node cluster the group coordinator moved for 20 s, ksink's commit
# waited, the coordinator rolled the transaction back "due to timeout"
# and fenced the producer, and ksink exited 75, ending the job): it
# starts a new producer on the same transactional.id and sends the
# transaction's records again. Here ksink is stopped (SIGSTOP) for 13 s
# in the middle of a live stateless line with -X
# transaction.timeout.ms=2000 (the coordinator looks every 10 s), then
# continued: every record must reach the output once, read committed, and
# the line still run.
# broker: real
# needs: ksource ksink fxconvert
. "$T/kafka/ksink.subr"
src=$(topic eof-in) out=$(topic eof-out) g=eof-$$
create "$src" 2
N=1500
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"user\":\"u%d\",\"i\":%d,\"bytes\":%d}\n", i % 7, i, 100 + i }' > in.nd
job= producer=
trap '[ -z "$job" ] || kill -9 -- -$job 2>/dev/null; [ -z "$producer" ] || kill $producer 2>/dev/null; :' EXIT
# the line in its own process group
setsid bash -c 'ksource -t "$1" -G "$2" --exactly-once 2> src.err |
    fxconvert -f bytes --rate 2 |
    ksink -t "$3" -k user --exactly-once --txn-interval 200ms \
    -X transaction.timeout.ms=2000 2> sink.err' sh "$src" "$g" "$out" &
job=$!
# 50 records every 100 ms, for 3 s: the line busy when ksink stops
( i=0; while [ $i -lt $N ]; do
	sed -n "$((i + 1)),$((i + 50))p" in.nd | ksink -t "$src" -k user
	i=$((i + 50)); sleep 0.1; done ) 2> /dev/null &
producer=$!
sh "$T/until.sh" 60 "[ \$(ksource -t $out -e 2> /dev/null | wc -l) -gt 100 ]" ||
    { cat src.err sink.err; fail "the line wrote nothing"; }
sk=$(pgrep -g $job -x ksink)
kill -STOP "$sk"
sleep 13		# past the coordinator's 10 s look at timed-out transactions
kill -CONT "$sk"
wait $producer
producer=
fxconvert -f bytes --rate 2 < in.nd | sort > want
sh "$T/until.sh" 60 "ksource -t $out -e 2> /dev/null | sort > got && [ \$(wc -l < got) -ge $N ]" ||
    { tail -5 sink.err; fail "$(wc -l < got) of $N records in the output after 60 s"; }
kill -0 "$sk" 2>/dev/null ||
    { cat sink.err; fail "ksink ended"; }
uniq got > got.u
dup=$(( $(wc -l < got) - $(wc -l < got.u) ))
missing=$(comm -23 want got.u | wc -l)
[ "$dup$missing" = 00 ] && cmp -s want got ||
    { tail -5 sink.err; fail "$missing missing, $dup twice"; }
grep -q "sending its [0-9]* records again" sink.err ||
    { cat sink.err; fail "no transaction was redone: the coordinator never fenced ksink (the test proves nothing)"; }
echo "figure: ksink stopped 13 s with a 2 s transaction timeout: $(grep -c 'sending its' sink.err) transaction(s) sent again, $N of $N records once, the line still running"
