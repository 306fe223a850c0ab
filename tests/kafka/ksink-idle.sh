# ksink sends at once when its input has nothing more to read: with
# linger.ms at 60 s, a record written while the input stays open is
# readable long before that (issue 23: ksink waited linger.ms even when
# its input had gone quiet, 7 ms of lag at librdkafka's default 5 ms).
# needs: ksource ksink
. "$T/kafka/ksink.subr"
t=$(topic idle)
create "$t" 1
mkfifo in
ksink -t "$t" -X linger.ms=60000 < in 2> ks.err &
pid=$!
exec 3> in
echo '{"n":1}' >&3
# read back with the input still open (20 s: a third of the linger)
if ! timeout 20 ksource -t "$t" -o beginning -c 1 > got 2> src.err; then
	exec 3>&-
	wait "$pid" || :
	cat src.err ks.err
	fail "the record was not sent while the input stayed open"
fi
echo '{"n":2}' >&3
exec 3>&-
wait "$pid" || { cat ks.err; fail "ksink: exit $?"; }
echo '{"n":1}' > want
same want got
ksource -t "$t" -o beginning -e > all 2> src.err || { cat src.err; fail "ksource -e: exit $?"; }
printf '%s\n' '{"n":1}' '{"n":2}' > want
same want all
