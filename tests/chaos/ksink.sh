#!/bin/sh
# make chaos: ksink under broker failures on a three-node Kafka cluster
# (scripts/kafka-local start --real --nodes 3: replication factor 3,
# min.insync.replicas 2, no unclean leader election), with its default
# settings and no wrapper that restarts it. Each run sends CHAOS_RECORDS
# records (20000) at CHAOS_RATE a second (2000), each with its own seq,
# keyed by seller, while one fault strikes about a third of the way in:
#   leader       the leader of partition 0 killed (SIGKILL), restarted 5 s later
#   coordinator  the transaction coordinator of its transactional.id
#                killed, restarted 5 s later (transactional runs only)
#   lost         the leader of partition 1 killed and left down to the end
# plain (idempotent, ksink's default) and transactional
# (-X transactional.id) runs, CHAOS_RUNS (2) of each. The topic is read
# back read_committed: every record exactly once, each partition in the
# order sent, and ksink exits 0. Prints the table: runs, records,
# missing, duplicate, out of order, longest stall (the longest gap between
# two records' append times, in seconds), exits; fails
# unless all of it is clean.
# CHAOS_SCENARIOS narrows the faults ("leader coordinator lost").
set -eu
T=$(cd "$(dirname "$0")/.." && pwd)
. "$T/chaos/chaos.subr"
RUNS=${CHAOS_RUNS:-2}
N=${CHAOS_RECORDS:-20000}
RATE=${CHAOS_RATE:-2000}
SCEN=${CHAOS_SCENARIOS:-leader coordinator lost}
job=
stop_job() { [ -z "$job" ] || kill -9 "$job" 2>/dev/null || :; }
t0=$(date +%s)
cluster_start
echo "chaos: three-node cluster at $B, $(sed -n 's/^kafka-local: 3 nodes started in //p' start.log) to start"

# fault SCENARIO TOPIC TID: strike once a third of the records are
# delivered; restart (or not) as the scenario says
fault() {
	i=0
	until [ "$(sed -n 's/.* \([0-9]*\) delivered.*/\1/p' ksink.err 2>/dev/null | tail -1)" -ge $((N / 3)) ] 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 1200 ] || return 0
		[ -z "$(cat rc 2>/dev/null)" ] || return 0
		sleep 0.1
	done
	case $1 in
	leader) victim=$(leader "$2" 0) ;;
	coordinator) victim=$(coordinator "$3") ;;
	lost) victim=$(leader "$2" 1) ;;
	esac
	[ -n "$victim" ] || { echo "no victim for $1" > fault.log; return 0; }
	kl node "$victim" kill
	echo "node $victim killed at $(date +%s.%N)" > fault.log
	if [ "$1" != lost ]; then
		sleep 5
		kl node "$victim" start
	fi
	echo "$victim" > victim
}

# run SCENARIO MODE I: one run; appends its figures to results
run() {
	topic=chaos-$1-$2-$3
	tid=chaos-$1-$3
	# the broker's append time on each record: the stall is the longest
	# gap between two records written
	replicated "$topic" 4 --config message.timestamp.type=LogAppendTime
	rm -f rc victim fault.log ksink.err
	x=
	[ "$2" = plain ] || x="-X transactional.id=$tid"
	# shellcheck disable=SC2086
	( rc=0
	  salesgen -n "$N" -r "$RATE" --seed "$3" |
	      awk '{ sub(/}$/, ",\"seq\":" NR "}"); print; fflush() }' |
	      ksink -b "$B" -t "$topic" -k seller_id --progress $x \
	      2> ksink.err || rc=$?
	  echo $rc > rc ) &
	job=$!
	fault "$1" "$topic" "$tid" &
	f=$!
	wait "$job" || :
	job=
	wait "$f" || :
	rc=$(cat rc)
	victim=$(cat victim 2>/dev/null || echo -)
	[ "$1" != lost ] || [ "$victim" = - ] || kl node "$victim" start
	# read back, committed only, each partition in offset order; a
	# commit's markers reach a partition after the commit returned (its
	# leader just restarted, say): until then read_committed ends short,
	# so read again for up to 60 s while short
	w=0
	while kcat -C -b "$B" -t "$topic" -e -q -X isolation.level=read_committed \
	    -f '%p %T %s\n' > got 2> kcat.err || fail "kcat: $(cat kcat.err)"
	    [ "$(wc -l < got)" -lt "$N" ] && [ $w -lt 60 ]; do
		w=$((w + 1)); sleep 1
	done
	[ $w -eq 0 ] || echo "chaos: $1 $2 run $3: every committed record readable after $w s more"
	sed 's/.*"seq":\([0-9]*\)}$/\1/' got | sort -n > got.seq
	missing=$(awk -v n="$N" '{ c[$1]++ } END { for (i = 1; i <= n; i++)
	    if (!(i in c)) m++; print m + 0 }' got.seq)
	dup=$(uniq -d got.seq | wc -l)
	# out of order: a partition's seq going down
	order=$(sed 's/^\([0-9]*\) .*"seq":\([0-9]*\)}$/\1 \2/' got |
	    awk '$2 < last[$1] { bad++ } { last[$1] = $2 } END { print bad + 0 }')
	stall=$(cut -d' ' -f2 got | sort -n |
	    awk 'NR > 1 && $1 - last > m { m = $1 - last } { last = $1 } END { printf "%.1f", m / 1000 }')
	printf '%-12s %-6s %3d  node %-2s %7d %7d %9d %6d %8s %5d\n' "$1" "$2" "$3" \
	    "$victim" "$(wc -l < got)" "$missing" "$dup" "$order" "$stall" "$rc" | tee -a results
	if [ "$missing" -ne 0 ] || [ "$dup" -ne 0 ] || [ "$order" -ne 0 ] || [ "$rc" -ne 0 ]; then
		echo "chaos: $1 $2 run $3 is not clean; ksink said:"
		grep -v ' delivered, ' ksink.err | tail -15
		cat fault.log 2>/dev/null || :
		bad=1
	fi
}

bad=0
: > results
echo "scenario     mode   run  killed       read missing duplicate  order  stall s  exit"
for s in $SCEN; do
	for mode in plain txn; do
		[ "$s" != coordinator ] || [ "$mode" = txn ] || continue
		i=1
		while [ $i -le "$RUNS" ]; do
			run "$s" "$mode" $i
			i=$((i + 1))
		done
	done
done
echo "chaos: $(wc -l < results) runs of $N records in $(( $(date +%s) - t0 )) s; nodes resident: $(resident)"
[ "$bad" -eq 0 ] || fail "records lost, duplicated or out of order, or ksink did not exit 0"
echo "chaos: every record once, in order, exit 0"
