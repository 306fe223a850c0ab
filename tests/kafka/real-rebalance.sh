# Rebalance without partial windows (issue 12, item 3): the tutorial's
# exactly-once job run as members of one consumer group (scripts/resume
# POSITION=1 GROUP=g: the exactly-once line), live, on an 8-partition
# topic keyed by seller_id. Members a and b start; c joins mid-stream (every member drops its open windows
# and waits for its position to be committed before the partitions
# move); a is then killed with SIGKILL, whole (its partitions go to b
# and c after the session timeout, from a's last committed position).
# When the records are all in and every window has closed (a record an
# hour later on each partition closes them), the
# output topic, read committed, is compared with one pipeline's replay:
# 0 windows missing, 0 twice, 0 wrong. The revokes window-agg answered
# are counted too, so that a run where no partition moved cannot pass,
# and the position the members left in the group is read back
# (ksource --show-position: a partition on each line's end).
# REBALANCE_RECORDS (12000) records at 400 a second.
# broker: real
# needs: ksource ksink window-agg fxconvert salesgen
. "$T/kafka/ksink.subr"
N=${REBALANCE_RECORDS:-12000}
in=$(topic reb-in) out=$(topic reb-out)
g=reb-g-$$
create "$in" 8
create "$out" 4
salesgen -n "$N" -r 0 --seed 12 --start-ts 1713654885000 --disorder 1s \
    --sellers A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P > in.nd

member() {	# NAME: one member of the group, in its own process group
	TOPIC=$in SINK_TOPIC=$out POSITION=1 GROUP=$g \
	    MEMBER=$1-$$ SESSION_MS=6000 IDLE=2s PROGRESS=1 \
	    setsid sh "$T/../scripts/resume" > "$1.log" 2>&1 &
	echo $! > "$1.pid"
}
pids() { cat a.pid b.pid c.pid 2>/dev/null; }
trap 'for p in $(pids); do kill -9 -"$p" 2>/dev/null || :; done' EXIT

# assigned NAME: the member has been given partitions
assigned() {
	sh "$T/until.sh" 60 "grep -q '^ksource: assigned' $1.log" ||
	    { cat "$1.log"; fail "member $1 was never assigned partitions"; }
}

member a
member b
assigned a
assigned b
# N records, 400 a second, while the members run
trickle "$in" "$N"
# c joins mid-stream, a is killed once c has its partitions
sh "$T/until.sh" 60 "[ \$(cat sent) -ge $((N / 4)) ]" || fail "the producer stalled"
member c
assigned c
kill -9 -"$(cat a.pid)"
wait "$(cat a.pid)" 2>/dev/null || :
wait $producer

replay "$in" > want
# a record an hour later on each partition closes every window (its own
# stays open: never written)
for p in 0 1 2 3 4 5 6 7; do
	echo '{"seller_id":"ZZ","amount_usd":1,"sale_ts":1713999999000}' |
	    ksink -t "$in" -p $p --ts-field sale_ts
done
i=0
until ksource -t "$out" -e > seen || fail "ksource -t $out: exit $?"
    [ "$(wc -l < seen)" -ge "$(wc -l < want)" ]; do
	i=$((i + 1)); [ $i -lt 90 ] || break
	sleep 1
done
# the members never end (stopping them to flush them would move partitions
# again): wait until they have nothing left to write, when the position of
# each partition, committed with the rows, is the offset of its closing
# record (whose window alone stays open: lag 1 in the progress group), so
# that a duplicate written after the count was reached is in the output
sh "$T/until.sh" 60 "ksource -L -G '$g' -t '$in' -J > lag.json &&
    [ \"\$(jq '[.partitions[] | select(.lag == 1)] | length' lag.json)\" = 8 ]" ||
	{ cat lag.json; fail "the members did not reach the closing records"; }
for p in $(pids); do kill -9 -"$p" 2>/dev/null || :; done
trap - EXIT
ksource -t "$out" -e | rows > got
tally want got
# what happened in the group: each member's assignments and revokes
revokes=$(cat a.log b.log c.log | grep -c 'window-agg: revoked' || :)
echo "figure: rebalance: $(wc -l < want) windows, $missing missing, $dup duplicate, $wrong wrong; $revokes revokes answered"
[ -z "${KP_KEEP:-}" ] || cp -r . "$KP_KEEP"
[ "$missing$dup$wrong" = 000 ] || { grep -h 'assigned\|revoke\|late' a.log b.log c.log | grep -v ' 0 late'; fail "not exactly once across the rebalances"; }
[ "$revokes" -ge 3 ] || { grep -h 'assigned\|revoke\|late' a.log b.log c.log | grep -v ' 0 late'; fail "fewer revokes than two rebalances of two members make"; }
ksource -t "$in" --from-group "$g" --show-position > pos
grep -Eq "^$in [0-9]+( [0-7]:[0-9]+(:[0-9]+)?){8}\$" pos || { cat pos; fail "the position of the 8 partitions"; }
