# A small read-ahead does not stall: librdkafka 2.0 stops fetching once
# its queue holds queued.min.messages and looks again only when its broker
# thread wakes, up to a second later; ksource wakes it when the queue has
# gone below half (issue 23: with the bound that keeps memory small,
# reading 10,000,000 records took 30 s, not 9). Here 40 fetches of about
# 1,000 records each, through a bound of 500: a second's stall after each
# would take 40 s; the test allows 15.
# broker: real (on the mock the stall does not show: the build before passes)
# needs: ksource ksink salesgen
. "$T/kafka/ksink.subr"
t=$(topic ra)
create "$t" 1
salesgen -n 40000 -r 0 --seed 4 > in
ksink -t "$t" -X batch.num.messages=100 < in 2> ks.err || { cat ks.err; fail "ksink: exit $?"; }
start=$(date +%s)
rc=0
timeout 15 ksource -t "$t" -e -X queued.min.messages=500 \
    -X fetch.message.max.bytes=65536 > got 2> src.err || rc=$?
[ "$rc" -eq 0 ] ||
	{ cat src.err; fail "ksource did not read 40,000 records in 15 s (exit $rc)"; }
same in got
echo "figure: 40,000 records through a read-ahead of 500 in $(elapsed "$start") s"
