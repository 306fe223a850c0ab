# The exactly-once line as members of one consumer group (issue 20, item
# 4), with eager (range) and cooperative-sticky rebalancing: the same
# line for every member,
#   ksource -t in -G g --exactly-once | window-agg --tumble 4s ... |
#   ksink -t out -k seller_id --exactly-once
# live, on an 8-partition topic keyed by seller_id. Members a and b
# start; c joins mid-stream; b leaves (SIGTERM); a is killed with SIGKILL
# (its partitions go to c after the session timeout, from a's last
# committed position). When the records are all in and every window has
# closed (a record an hour later on each partition closes them), the
# output topic, read committed, is compared with a replay: 0 windows
# missing, 0 twice, 0 wrong, for each strategy. The revokes window-agg
# answered are counted, so that a run where no partition moved fails;
# with cooperative-sticky, c's join only takes partitions from a and b,
# and at least one of them must drop the windows of those alone (the
# record key is the window key), its kept partitions read on.
# RB_RECORDS (8000) records at 400 a second; RB_STRATEGIES (range
# cooperative-sticky).
# broker: real
# needs: ksource ksink window-agg salesgen
. "$T/kafka/ksink.subr"
N=${RB_RECORDS:-8000}
salesgen -n "$N" -r 0 --seed 31 --start-ts 1713654885000 --disorder 1s \
    --sellers A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P > in.nd
agg() {
	window-agg --tumble 4s -k seller_id -t sale_ts --time-format ms \
	    --delay 2s -a 'n=count()' -a 'top=max(amount_usd)'
}
member() {	# NAME STRATEGY: one member, in its own process group
	setsid bash -c 'set -o pipefail
	    ksource -t "$1" -G "$2" --exactly-once --progress \
		-X session.timeout.ms=6000 -X partition.assignment.strategy="$4" |
	    window-agg --tumble 4s -k seller_id -t sale_ts --time-format ms \
		--delay 2s -a "n=count()" -a "top=max(amount_usd)" |
	    ksink -t "$3" -k seller_id --exactly-once' \
	    sh "$in" "$g" "$out" "$2" > "$1.log" 2>&1 &
	echo $! > "$1.pid"
}
pids() { cat a.pid b.pid c.pid 2>/dev/null; }
trap 'for p in $(pids); do kill -9 -"$p" 2>/dev/null || :; done' EXIT
assigned() {	# NAME: the member has been given partitions (again: COUNT)
	sh "$T/until.sh" 60 "[ \$(grep -c '^ksource: assigned [^n]' $1.log) -ge ${2:-1} ]" ||
	    { cat "$1.log"; fail "member $1 was never assigned partitions"; }
}
for strategy in ${RB_STRATEGIES:-range cooperative-sticky}; do
	in=$(topic rb-in) out=$(topic rb-out) g=rb-$strategy-$$
	create "$in" 8
	create "$out" 4
	rm -f a.pid b.pid c.pid
	member a "$strategy"
	member b "$strategy"
	assigned a
	assigned b
	trickle "$in" "$N"
	sh "$T/until.sh" 60 "[ \$(cat sent) -ge $((N / 4)) ]" || fail "the producer stalled"
	member c "$strategy"
	assigned c
	sh "$T/until.sh" 60 "[ \$(cat sent) -ge $((N / 2)) ]" || fail "the producer stalled"
	# b leaves: its ksource, stopped, hands its partitions over
	kill -TERM "$(pgrep -g "$(cat b.pid)" -x ksource)"
	sh "$T/until.sh" 60 "! kill -0 -- -$(cat b.pid) 2>/dev/null" ||
		{ cat b.log; fail "$strategy: member b did not end after SIGTERM"; }
	sh "$T/until.sh" 60 "[ \$(cat sent) -ge $((3 * N / 4)) ]" || fail "the producer stalled"
	kill -9 -"$(cat a.pid)"
	wait $producer
	# a record an hour later on each partition closes every window (its
	# own stays open: never written)
	for p in 0 1 2 3 4 5 6 7; do
		echo '{"seller_id":"ZZ","amount_usd":1,"sale_ts":1713999999000}' |
		    ksink -t "$in" -p $p --ts-field sale_ts
	done
	ksource -t "$in" --ordered -e 2> /dev/null | agg 2> /dev/null |
	    grep -v '"seller_id":"ZZ"' | sort > want
	# c, alone at the end, has nothing left to write when the position of
	# each partition is its closing record (lag 1 each), so that a
	# duplicate written after the count was reached is in the output
	sh "$T/until.sh" 90 "ksource -L -G '$g' -t '$in' -J > lag.json &&
	    [ \"\$(jq '[.partitions[] | select(.lag == 1)] | length' lag.json)\" = 8 ]" ||
		{ cat lag.json; tail -5 c.log; fail "$strategy: the job did not reach the closing records"; }
	# read committed, the rows after the open transaction a left when
	# killed show once Kafka has aborted it (transaction.timeout.ms, 30 s)
	sh "$T/until.sh" 90 "ksource -t '$out' -e 2> /dev/null | sort > got &&
	    [ \$(wc -l < got) -ge $(wc -l < want) ]" || :
	for p in $(pids); do kill -9 -"$p" 2>/dev/null || :; done
	ksource -t "$out" -e 2> /dev/null | sort > got
	uniq got > got.u
	dup=$(( $(wc -l < got) - $(wc -l < got.u) ))
	missing=$(comm -23 want got.u | wc -l)
	wrong=$(comm -13 want got.u | wc -l)
	revokes=$(cat a.log b.log c.log | grep -c 'window-agg: revoked' || :)
	partial=$(cat a.log b.log c.log | grep -c 'the partitions kept go on' || :)
	echo "figure: $strategy: $(wc -l < want) windows, $missing missing, $dup duplicate, $wrong wrong; $revokes revokes answered, $partial of them for the partitions going only"
	[ "$missing$dup$wrong" = 000 ] ||
		{ grep -h 'assigned\|revoke\|late' a.log b.log c.log | grep -v ' 0 late'; fail "$strategy: not exactly once across the rebalances"; }
	[ "$revokes" -ge 3 ] ||
		{ grep -h 'assigned\|revoke' a.log b.log c.log; fail "$strategy: $revokes revokes: no partition moved"; }
	[ "$strategy" = range ] || [ "$partial" -ge 1 ] ||
		{ grep -h 'assigned\|revoke\|kept' a.log b.log c.log; fail "$strategy: every revoke dropped the kept partitions' windows too"; }
done
trap - EXIT
