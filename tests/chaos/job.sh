#!/bin/sh
# make chaos (unless CHAOS_JOB=0; see the Makefile): exactly-once
# jobs through broker failures on the three-node cluster
# (scripts/kafka-local start --real --nodes 3: replication factor 3,
# min.insync.replicas 2, no unclean leader election). Each job is the
# exactly-once line with its default settings, started once and never
# restarted,
#   ksource -t IN -G G --exactly-once | FILTER | ksink -t OUT -k seller_id --exactly-once
# (ksource also has --progress, for its "assigned" line: standard error
# only)
# three at once on one sales topic of 4 partitions (salesgen, 8 sellers,
# up to 1 s out of order), each with its own group and output topic:
#   tutorial   window-agg --tumble 6s ... -a window_sales=sum(amount_usd)
#              | fxconvert -f window_sales --rate 0.85 (the README's line)
#   hop        window-agg --hop 12s --slide 6s ... --having 'n>2' --top 3 --by s
#   stateless  fxconvert -f amount_usd --rate 0.85 (every record)
# while records are produced live, CHAOS_RATE (400) a second, at least
# CHAOS_JOB_RECORDS (8000) and on until the fault is over, and the fault
# strikes a third of the way in:
#   leader       the leader of input partition 0 killed (SIGKILL), restarted 5 s later
#   coordinator  the transaction coordinator of the tutorial job killed,
#                restarted 5 s later
#   rolling      a hard rolling restart: each node in turn killed and
#                started at once, the next once every replica is back in sync
#   lost         the leader of the first job's output partition 0 killed,
#                left down to the end of the run
# Then a record an hour later in each partition closes the windows; once
# each job's position stands at them (90 s at most), the output topics, read
# committed, are compared with a replay of the input (ksource --ordered
# -o beginning -e through the same filter; for stateless, every record
# through fxconvert). Prints the table scenario x run x job: windows (or
# records), missing, duplicate, wrong, late (the records window-agg said
# it dropped as late), stall (seconds: the longest gap between two of the
# job's output records, by the broker's append time, while the input was
# produced: how long the line wrote nothing), exit (run: the job still running at the end;
# part: a stage of it ended; else its exit status) and the seconds the
# run took. Fails on any missing,
# duplicate or wrong row, or a job that ended. CHAOS_RUNS (1) runs of
# each of CHAOS_SCENARIOS (leader coordinator rolling lost), and
# CHAOS_JOBS (tutorial hop stateless), narrow or widen it.
set -eu
T=$(cd "$(dirname "$0")/.." && pwd)
. "$T/chaos/chaos.subr"
. "$T/kafka/ksink.subr"
RUNS=${CHAOS_RUNS:-1}
N=${CHAOS_JOB_RECORDS:-8000}
RATE=${CHAOS_RATE:-400}
SCEN=${CHAOS_SCENARIOS:-leader coordinator rolling lost}
JOBS=${CHAOS_JOBS:-tutorial hop stateless}
DELAY="-t sale_ts --time-format ms --delay 2s"

filter() {	# JOB: its middle stage, as shell text
	case $1 in
	tutorial) echo "window-agg --tumble 6s --key seller_id $DELAY -a 'window_sales=sum(amount_usd)' | fxconvert -f window_sales --rate 0.85" ;;
	hop) echo "window-agg --hop 12s --slide 6s --key seller_id $DELAY -a 'n=count()' -a 's=sum(amount_usd)' --having 'n>2' --top 3 --by s" ;;
	stateless) echo "fxconvert -f amount_usd --rate 0.85" ;;
	esac
}
jobs_running=
stop_job() {	# SIGTERM to every job left, then SIGKILL after 20 s
	for j in $jobs_running; do kill -TERM -"$j" 2>/dev/null || :; done
	w=0
	for j in $jobs_running; do
		while kill -0 -"$j" 2>/dev/null && [ $w -lt 200 ]; do
			w=$((w + 1)); sleep 0.1
		done
		kill -9 -"$j" 2>/dev/null || :
	done
	jobs_running=
	[ -z "${producer:-}" ] || kill "$producer" 2>/dev/null || :
}
start() {	# JOB OUT: the line in its own process group, its pid in JOB.pid
	setsid bash -c "set -o pipefail; ksource -t \"\$1\" -G \"\$2\" --exactly-once --progress |
	    $(filter "$1") | ksink -t \"\$3\" -k seller_id --exactly-once" \
	    sh "$in" "$1-$g" "$2" > "$1.log" 2>&1 &
	echo $! > "$1.pid"
	jobs_running="$jobs_running $!"
}
# alive JOB: its line runs, ksource and ksink both still there
alive() {
	kill -0 "$(cat $1.pid)" 2>/dev/null &&
	    pgrep -g "$(cat $1.pid)" -x ksource > /dev/null &&
	    pgrep -g "$(cat $1.pid)" -x ksink > /dev/null
}
# within SECONDS CONDITION: until the shell CONDITION holds, by the clock
# (until.sh counts its polls, and a ksource -L takes a while)
within() {
	wend=$(($(date +%s) + $1))
	until eval "$2"; do
		[ "$(date +%s)" -lt "$wend" ] || return 1
		sleep 0.2
	done
}
# insync: every partition of the cluster with its three replicas in sync
# (a hard restart of the next node before is a loss of quorum, not a
# rolling restart)
insync() {
	within 120 'kcat -L -b "$B" > md.all 2> /dev/null &&
	    ! grep "isrs:" md.all | grep -vq "isrs: [0-9]*,[0-9]*,[0-9]*\$"' ||
	    fail "replicas not back in sync after 120 s"
}
# fault SCENARIO: strike and recover (or not) as the scenario says; the
# victim's node id in victim, fault.done written when it is over
fault() {
	case $1 in
	leader) victim=$(leader "$in" 0) ;;
	coordinator)
		ks=$(pgrep -g "$(cat tutorial.pid)" -x ksource | head -1)
		victim=$(coordinator "kappa-pipes.tutorial-$g.$(hostname).$ks") ;;
	lost) victim=$(leader "$(eval echo \$out_${JOBS%% *})" 0) ;;
	rolling) victim="1 2 3" ;;
	esac
	[ -n "$victim" ] || fail "$1: no victim"
	echo "$victim" > victim
	for v in $victim; do
		kl node "$v" kill
		echo "$(date +%s.%N) node $v killed" >> fault.log
		[ "$1" = rolling ] || [ "$1" = lost ] || sleep 5
		[ "$1" = lost ] || kl node "$v" start
		echo "$(date +%s.%N) node $v started" >> fault.log
		[ "$1" != rolling ] || insync
	done
	: > fault.done
}

t0=$(date +%s)
cluster_start
KAFKA_BROKERS=$B KP_BROKER=real
export KAFKA_BROKERS KP_BROKER
echo "chaos: three-node cluster at $B, $(sed -n 's/^kafka-local: 3 nodes started in //p' start.log) to start"
salesgen -n $((N * 6)) -r 0 --seed 21 --start-ts 1713654885000 \
    --disorder 1s --sellers A,B,C,D,E,F,G,H > all.nd

bad=0
table="scenario     run  job        killed  windows missing duplicate  wrong  late stall  exit  secs"
echo "$table"
for s in $SCEN; do
r=1
while [ $r -le "$RUNS" ]; do
	ts=$(date +%s)
	insync
	in=$(topic chaos-in) g=$s-$r-$$
	replicated "$in" 4
	for j in $JOBS; do
		eval "out_$j=\$(topic chaos-$j)"
		replicated "$(eval echo \$out_$j)" 4 \
		    --config message.timestamp.type=LogAppendTime
	done
	rm -f fault.done fault.log sent victim
	for j in $JOBS; do
		start "$j" "$(eval echo \$out_$j)"
	done
	for j in $JOBS; do
		sh "$T/until.sh" 60 "grep -aq '^ksource: assigned' $j.log" ||
		    { cat $j.log; fail "$s: $j never got its partitions"; }
	done
	# RATE records a second, at least N and on until the fault is over
	( i=0; while [ $i -lt "$N" ] || [ ! -e fault.done ]; do
		sed -n "$((i + 1)),$((i + RATE))p" all.nd > chunk.nd
		[ -s chunk.nd ] || break
		ksink -t "$in" -k seller_id --ts-field sale_ts < chunk.nd
		i=$((i + RATE)); echo $i > sent; sleep 1; done ) 2> producer.log &
	producer=$!
	sh "$T/until.sh" 120 "sn=\$(cat sent 2>/dev/null); [ \"\${sn:-0}\" -ge $((N / 3)) ]" ||
	    fail "$s: the producer is stuck"
	fault "$s"
	wait $producer || fail "$s: the producer failed: $(tail -3 producer.log)"
	producer=
	pend=$(date +%s%3N)
	sent=$(cat sent)
	head -n "$sent" all.nd > in.nd
	# the replays, of what the topic holds (each partition in the order
	# sent; a window job's windows all end before the closing record)
	for j in $JOBS; do
		[ $j = stateless ] && continue
		ksource -t "$in" --ordered -o beginning -e 2> /dev/null |
		    eval "$(filter $j)" 2> /dev/null | sort > want.$j
	done
	# one in each partition: no partition of the merge is left waiting
	# for idleness (quiet less than 30 s after a broker was lost, a
	# partition is idle only after 30 s: ksource(1)), so the stall
	# measured is the fault's
	for p in 0 1 2 3; do
		echo '{"seller_id":"ZZ","amount_usd":1,"sale_ts":1713999999000}' |
		    ksink -t "$in" -p $p -k seller_id --ts-field sale_ts
	done
	case " $JOBS " in *" stateless "*)
		ksource -t "$in" -e 2> /dev/null |
		    fxconvert -f amount_usd --rate 0.85 | sort > want.stateless ;;
	esac
	# each job's position at the closing records: lag 1 behind each
	# (held in an open window) or 0 (stateless), every partition
	# committed; 90 s at most (a job that ended never gets there)
	for j in $JOBS; do
		lag=4
		[ $j != stateless ] || lag=0
		within 90 '! alive $j || { ksource -L -G "$j-$g" -t "$in" -J > lag.json 2> /dev/null &&
		    jq -e ".lag == $lag and all(.partitions[]; .committed != null)" lag.json > /dev/null; }' ||
			echo "chaos: $s run $r: $j's position is not at the closing record after 90 s"
	done
	for j in $JOBS; do
		if alive $j; then
			echo run > $j.ex
		elif kill -0 "$(cat $j.pid)" 2>/dev/null; then
			echo part > $j.ex	# a stage ended, the line is broken
		else
			wait "$(cat $j.pid)" && echo 0 > $j.ex || echo $? > $j.ex
		fi
	done
	stop_job
	[ "$s" != lost ] || kl node "$(cat victim)" start
	for j in $JOBS; do
		out_=$(eval echo \$out_$j)
		ksource -t "$out_" -e 2> /dev/null | sort > got.$j
		uniq want.$j > want.u
		missing=$(comm -23 want.$j got.$j | wc -l)
		extra=$(comm -13 want.$j got.$j)
		dup=$(printf '%s\n' "$extra" | sed '/^$/d' | sort | comm -12 - want.u | wc -l)
		wrong=$(printf '%s\n' "$extra" | sed '/^$/d' | sort | comm -23 - want.u | wc -l)
		# the longest gap that began while the input was produced
		stall=$(kcat -C -b "$B" -t "$out_" -e -q \
		    -X isolation.level=read_committed -f '%T\n' 2> /dev/null |
		    sort -n | awk -v e="$pend" 'n++ && last <= e && $1 - last > m {
		    m = $1 - last } { last = $1 } END { printf "%.1f", m / 1000 }')
		late=$(sed -n 's/.*window-agg: \([0-9]*\) late records dropped.*/\1/p' $j.log | tail -1)
		ex=$(cat $j.ex)
		row=$(printf '%-12s %3d  %-10s %-6s %8d %7d %9d %6d %5s %5s %5s %5d' "$s" "$r" "$j" \
		    "$(cat victim | tr ' ' ,)" "$(wc -l < want.$j)" "$missing" "$dup" "$wrong" \
		    "${late:-0}" "$stall" "$ex" $(($(date +%s) - ts)))
		echo "$row"
		table="$table
$row"
		if [ "$missing$dup$wrong" != 000 ] || [ "$ex" != run ]; then
			bad=1
			grep -av "waiting for\|^ksource: [0-9]* records" $j.log | tail -12 | sed "s/^/  $j: /"
		fi
		[ "$(wc -l < want.$j)" -gt 0 ] || { bad=1; echo "  $j: an empty replay"; }
	done
	r=$((r + 1))
done
done
echo "chaos: nodes resident: $(resident); $(($(date +%s) - t0)) s in all"
[ "$bad" -eq 0 ] || fail "not exactly once, or a job ended (table above)"
