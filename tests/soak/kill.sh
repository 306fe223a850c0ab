# Exactly-once through crashes (make soak; real broker): the tutorial's
# job on the exactly-once line (scripts/resume POSITION=1)
#   ksource -G P --exactly-once | window-agg | fxconvert |
#     ksink --exactly-once
# is started, one stage is killed with SIGKILL at a random moment, the
# rest of the pipeline is then killed too, and the job is restarted the
# documented way (scripts/resume with POSITION=1), RUNS times per stage,
# while catching up on a backlog and while records are still produced.
# Then a record an hour later closes the last windows, a last run reads
# to the end of the input (ONCE=1), and the output topic,
# read committed, is compared with a replay: prints the table
# stage x runs x missing x duplicate x wrong, and fails unless all 0.
# KILL_RUNS (5 kills per stage), KILL_STAGES, KILL_MODES (catchup live),
# KILL_RECORDS (20000) narrow it (tests/kafka/position.sh does); KILL_IDLE
# (60s) is the job's IDLE (ksource's merge --idle);
# KILL_JOB=plain measures the plain `ksource -G` job instead (figures only;
# KILL_WAIT=20 then bounds the wait for windows that never come).
# broker: real
# needs: ksource ksink window-agg fxconvert salesgen
. "$T/kafka/ksink.subr"
RUNS=${KILL_RUNS:-5}
N=${KILL_RECORDS:-20000}
stages=${KILL_STAGES:-ksource window-agg fxconvert ksink}
resume() {	# [ONCE]: the job, in its own process group
	if [ "${KILL_JOB:-}" = plain ]; then	# the plain -G job, to measure
		setsid sh -c 'ksource -t "$1" -G "$2" --ordered \
		  | window-agg --tumble 6000ms -k seller_id -t sale_ts \
		      --delay 2s --idle-advance "$3" --time-format ms \
		      -a "window_sales=sum(amount_usd)" \
		  | fxconvert -f window_sales --rate 0.85 \
		  | ksink -t "$4" -k seller_id' sh "$in" "$pg" 60s \
		    "$out" >> job.log 2>&1 &
	else
		TOPIC=$in SINK_TOPIC=$out POSITION=1 PROGRESS_GROUP=$pg \
		    IDLE=${KILL_IDLE:-60s} ONCE=${1:-} \
		    setsid sh "$T/../scripts/resume" >> job.log 2>&1 &
	fi
	job=$!
}
stop_job() {	# kill what is left of the job's process group
	sleep "${1:-0}"
	kill -9 -"$job" 2>/dev/null || :
	wait $job 2>/dev/null || :
}
pid_of() {	# STAGE: the pid of that stage in the running job's pipeline
	for p in $(pgrep -g "$job" -x "$1" 2>/dev/null); do
		grep -q show-position /proc/$p/cmdline 2>/dev/null || echo $p
	done | sed -n 1p
}
table=
for mode in ${KILL_MODES:-catchup live}; do
for stage in $stages; do
	in=$(topic kill-in) out=$(topic kill-out)
	pg=prog-$mode-$stage-$$
	create "$in" 4
	create "$out" 4
	salesgen -n $N -r 0 --seed 21 --start-ts 1713654885000 \
	    --disorder 1s --sellers A,B,C,D,E,F,G,H > in.nd
	if [ $mode = catchup ]; then
		ksink -t "$in" -k seller_id --ts-field sale_ts < in.nd
	else	# N records, 400 a second, while the job runs
		trickle "$in" "$N"
	fi
	r=0
	while [ $r -lt "$RUNS" ]; do
		resume
		# the pipeline started (the restart first reads the position,
		# which waits while a killed ksink's transaction is open), then
		# a random moment 0.5..3 s in
		i=0
		until [ -n "$(pid_of ksink)" ]; do
			i=$((i + 1)); [ $i -lt 600 ] || fail "the job never started"
			sleep 0.1
		done
		sleep "$(awk -v s="$$$r" -v m=$mode$stage 'BEGIN { srand(s + length(m) * 7919); printf "%.2f", 0.5 + rand() * 2.5 }')"
		p=$(pid_of $stage)
		[ -n "$p" ] || echo "note: $stage not running at the kill"
		[ -z "$p" ] || kill -9 "$p" 2>/dev/null || :
		stop_job 1
		r=$((r + 1))
	done
	[ $mode = catchup ] || wait $producer
	replay "$in" > want
	# the last run: a record an hour later closes every window (its own
	# stays open, written at the end of input without a position, so
	# never committed), and the run ends at the end of the topic
	echo '{"seller_id":"ZZ","amount_usd":1,"sale_ts":1713999999000}' |
	    ksink -t "$in" -k seller_id --ts-field sale_ts
	resume 1
	[ "${KILL_JOB:-}" = plain ] || { wait $job || fail "the last run failed"; }
	i=0
	until ksource -t "$out" -e > seen || fail "ksource -t $out: exit $?"
	    [ "$(wc -l < seen)" -ge "$(wc -l < want)" ]; do
		i=$((i + 1)); [ $i -lt "${KILL_WAIT:-120}" ] || break
		sleep 1
	done
	# the exactly-once job's last run has ended (waited for above): all
	# it wrote is in; the plain job never ends, and a duplicate it would
	# write after the count is reached gets 3 s (figures only)
	[ "${KILL_JOB:-}" != plain ] || sleep 3
	stop_job
	ksource -t "$out" -e | rows > got
	tally want got
	row=$(printf '%-8s %-11s %d runs  %d windows  %d missing  %d duplicate  %d wrong' \
	    $mode $stage "$RUNS" "$(wc -l < want)" $missing $dup $wrong)
	table="$table$row
"
	echo "figure: $row"
	[ "${KILL_JOB:-}" = plain ] || [ "$missing$dup$wrong" = 000 ] ||
	    { tail -30 job.log; fail "$mode $stage: not exactly once"; }
done
done
printf '%s' "$table"
