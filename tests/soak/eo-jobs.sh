# The exactly-once switch through crashes (make soak; real broker; issue
# 20): three jobs that are not the tutorial's, on a clicks topic (user,
# page, ms, bytes; 4 partitions), each the same shell line at every start:
#   stateless  ksource --exactly-once | fxconvert | ksink --exactly-once
#   tumble     ksource -t A -t B ... | window-agg --tumble 1s -k page
#              --having ... --top ... (the clicks split over two topics,
#              of 4 and 3 partitions)
#   cumulate   ... | window-agg --cumulate 4s --step 1s -k user --where ...
#   late       ... | window-agg --hop 2s --slide 1s -k page --lateness 3s
#              --emit-every 1s --row-kind op --retract (records up to 2 s
#              out of order: each window has early rows, fires, then takes
#              updates; compared by the last row of each window, and each
#              window's rows a changelog: every -U withdraws the row shown,
#              a +I comes first only; a row written twice breaks that)
# While catching up on a backlog (ten times EO_RECORDS) and while records
# are still produced,
# one stage at a time (ksource, the filter, ksink in turn) is killed
# with SIGKILL at a random moment, EO_RUNS times (6), the rest of the
# pipeline ends on its own (a broken pipe, the end of its input), and the
# line is started again. A last run with -e reads to the end; the output
# topic, read committed, is compared with a replay of the input: prints
# the table job x mode x kills x rows x missing x duplicate x wrong, and
# fails unless all 0. Mode idle is live with a short ksource --idle (3s:
# a partition quiet that long stops holding the merge back, so a restart
# catching up behind the live input must not let the others run ahead;
# not on the last run, whose -e merge waits for every partition's end),
# for the tumble and late jobs. EO_JOBS, EO_MODES (catchup live, and
# idle) and EO_RECORDS (20000) narrow it (tests/kafka/real-eo-kill.sh
# does).
# broker: real
# needs: ksource ksink window-agg fxconvert
. "$T/kafka/ksink.subr"
RUNS=${EO_RUNS:-6}
N=${EO_RECORDS:-20000}
clicks() {	# N [DISORDER]: the input, in event-time order, or each record
	# up to DISORDER ms before its place
	awk -v n="$1" -v d="${2:-0}" 'BEGIN { srand(20); t = 1700000000000;
	    for (i = 0; i < n; i++) { t += int(rand() * 4);
		printf "{\"user\":\"u%d\",\"page\":\"/p%d\",\"ms\":%.0f,\"bytes\":%d,\"i\":%d}\n",
		    int(rand() * 64), int(rand() * 6), t - int(rand() * d), 100 + int(rand() * 900), i } }'
}
plain() {	# a --row-kind stream's rows as plain rows: -U left out, no op
	grep -v '"op":"-U"' | sed 's/,"op":"+[IU]"//'
}
changelog() {	# rows of a --row-kind --retract stream broken as a
	# changelog, in the order of each (window, key): a +I after a row,
	# a -U not withdrawing the row shown (without its op and early),
	# a +U after no -U
	awk '{ k = $0; sub(/,"n":.*/, "", k); b = $0; sub(/,"op":.*/, "", b)
	    if ($0 ~ /"op":"\+I"/) { bad += k in shown; shown[k] = b; u[k] = 0 }
	    else if ($0 ~ /"op":"-U"/) { bad += !(k in shown) || shown[k] != b || u[k]; u[k] = 1 }
	    else { bad += !u[k]; shown[k] = b; u[k] = 0 } }
	    END { print bad + 0 }'
}
final() {	# the last row of each (window, key) of a row stream, those
	# ending LATE ms before MAX at the latest (later ones may take updates
	# after the last committed position)
	awk -v max="$1" -v late="$2" '{ k = $0; sub(/,"n":.*/, "", k); e = $0;
	    sub(/.*"window_end":/, "", e); sub(/,.*/, "", e);
	    if (e + late <= max + 0) { if (!(k in row)) o[++n] = k; row[k] = $0 } }
	    END { for (i = 1; i <= n; i++) print row[o[i]] }'
}
filter() {	# JOB: its middle stage, as argument words
	case $1 in
	stateless) echo "fxconvert -f bytes --rate 2" ;;
	tumble) echo "window-agg --tumble 1s -k page -t ms --time-format ms -a n=count() -a b=sum(bytes) --having n>30 --top 4 --by b" ;;
	cumulate) echo "window-agg --cumulate 4s --step 1s -k user -t ms --time-format ms -a n=count() -a b=sum(bytes) --where bytes>200" ;;
	late) echo "window-agg --hop 2s --slide 1s -k page -t ms --time-format ms -a n=count() -a b=sum(bytes) --lateness 3s --emit-every 1s --early-field early --row-kind op --retract" ;;
	esac
}
start() {	# JOB [-e]: the line, in its own process group
	setsid bash -c 'set -o pipefail; ksource $1 -G "$2" --exactly-once \
	    -X session.timeout.ms=6000 --progress $5 | $4 |
	    ksink -t "$3" -k "$6" --exactly-once --txn-interval 100ms \
	    -X transaction.timeout.ms=10000' \
	    sh "-t $in$([ "$1" = tumble ] && echo " -t $in2")" "$g" "$out" \
	    "$(filter "$1")" "${2:-}$([ "$mode" = idle ] && [ -z "${2:-}" ] && echo " --idle 3s")" \
	    "$(case $1 in tumble|late) echo page ;; *) echo user ;; esac)" \
	    >> job.log 2>&1 &
	job=$!
}
put() {	# FILE: the clicks into the input (the tumble job's: odd ones to
	# the second topic)
	if [ "$name" = tumble ]; then
		awk 'NR % 2' "$1" | ksink -t "$in" -k user --ts-field ms --time-unit ms &&
		    awk '!(NR % 2)' "$1" | ksink -t "$in2" -k user --ts-field ms --time-unit ms
	else
		ksink -t "$in" -k user --ts-field ms --time-unit ms < "$1"
	fi
}
pid_of() {	# COMMAND: its pid in the running line
	pgrep -g "$job" -x "$1" 2>/dev/null | sed -n 1p
}
table=
: > job.log
# a line left running (the test failed, or timed out) is killed, with
# the producer
job= producer=
trap '[ -z "$job" ] || kill -9 -- -"$job" 2>/dev/null || :
    [ -z "$producer" ] || kill "$producer" 2>/dev/null || :' EXIT
for name in ${EO_JOBS:-stateless tumble cumulate late}; do
for mode in ${EO_MODES:-catchup live $(case $name in tumble|late) echo idle ;; esac)}; do
	in=$(topic eo-in) in2=$(topic eo-in2) out=$(topic eo-out) g=eo-$name-$mode-$$
	create "$in" 4
	[ $name != tumble ] || create "$in2" 3
	# a backlog ten times as large, read in about a second: the kills
	# land while it is read
	clicks $([ $mode = catchup ] && echo $((N * 10)) || echo "$N") \
	    $([ $name = late ] && echo 2000) > in.nd
	if [ $mode = catchup ]; then
		put in.nd
	else	# 500 records every half second while the job runs (live,
		# idle)
		( i=0; while [ $i -lt "$N" ]; do
			sed -n "$((i + 1)),$((i + 500))p" in.nd > chunk
			put chunk
			i=$((i + 500)); sleep 0.5; done ) 2> /dev/null &
		producer=$!
	fi
	mid=$(filter $name | cut -d' ' -f1)
	r=0 hit=0
	while [ $r -lt "$RUNS" ]; do
		stage=$(echo "ksource $mid ksink" | cut -d' ' -f$((r % 3 + 1)))
		a=$(grep -c '^ksource: assigned' job.log) || :
		start $name
		# its partitions assigned (a restart after a killed ksource
		# first waits for the group to let the dead member go), then a
		# moment 0..0.5 s in (catching up) or 0.5..3 s in (live)
		sh "$T/until.sh" 60 "[ \$(grep -c '^ksource: assigned' job.log) -gt $a ]" ||
			fail "$name: the line never got its partitions"
		sleep "$(awk -v s="$$$r" -v m=$name$mode 'BEGIN { srand(s + length(m) * 7919);
		    printf "%.2f", m ~ /catchup/ ? rand() / 2 : 0.5 + rand() * 2.5 }')"
		p=$(pid_of $stage)
		if [ -n "$p" ] && kill -9 "$p" 2>/dev/null; then
			hit=$((hit + 1))
		else
			echo "note: $name $mode: $stage had ended before its kill"
		fi
		# the others end on their own: a broken pipe, or end of input
		sh "$T/until.sh" 60 "! kill -0 -- -$job 2>/dev/null" ||
			{ tail -20 job.log; fail "$name $mode: the line did not end after $stage was killed"; }
		wait $job 2>/dev/null || :
		r=$((r + 1))
	done
	[ $mode = catchup ] || wait $producer
	start $name -e
	wait $job || { tail -30 job.log; fail "$name $mode: the last run failed"; }
	# the replay: each record once (stateless), or each window that ends
	# by the last record's time
	last=$(sed 's/.*"ms":\([0-9]*\).*/\1/' in.nd | sort -n | tail -1)
	if [ $name = stateless ]; then
		fxconvert -f bytes --rate 2 < in.nd > want
	elif [ $name = late ]; then
		set -f
		$(filter $name) < in.nd 2>/dev/null | grep -v '"early":true' |
		    plain | final "$last" 4000 > want
		set +f
	else
		set -f
		$(filter $name) < in.nd 2>/dev/null | awk -v last="$last" '{ e = $0;
		    sub(/.*"window_end":/, "", e); sub(/,.*/, "", e);
		    if (e + 0 <= last + 0) print }' > want
		set +f
	fi
	sort want > want.s
	# the output read committed (a killed ksink's transaction holds
	# readers back until it times out): until it has every row wanted,
	# for 30 s at most
	i=0
	while :; do
		ksource -t "$out" -e 2>/dev/null > got || :
		sort got > got.s
		if [ $name = late ]; then	# each window's last row (in
			# its partition's order: the key is the record key)
			{ grep -v '"early":true' got || :; } | plain |
			    final "$last" 4000 | sort > got.u
		else
			uniq got.s > got.u
		fi
		[ -n "$(comm -23 want.s got.u)" ] && [ $i -lt 60 ] || break
		i=$((i + 1))
		sleep 0.5
	done
	if [ $name = late ]; then	# a row written twice breaks it
		dup=$(changelog < got)
	else
		dup=$(( $(wc -l < got.s) - $(uniq got.s | wc -l) ))
	fi
	missing=$(comm -23 want.s got.u | wc -l)
	wrong=$(comm -13 want.s got.u | wc -l)
	row=$(printf '%-9s %-7s %d kills  %5d rows  %d missing  %d duplicate  %d wrong' \
	    $name $mode $hit "$(wc -l < want.s)" $missing $dup $wrong)
	table="$table$row
"
	echo "figure: $row"
	[ "$missing$dup$wrong" = 000 ] ||
	    { tail -30 job.log; fail "$name $mode: not exactly once"; }
	[ $hit -gt 0 ] || fail "$name $mode: no kill hit the line"
	# the position: committed for every partition of every input topic
	if [ $name = tumble ]; then
		ksource -L -G "$g" -t "$in" -t "$in2" > lag 2>&1 ||
			{ cat lag; fail "$name $mode: ksource -L -G: exit $?"; }
		[ "$(grep -c "^eo-in2*-[0-9-]*  *[0-9]  *[0-9]" lag)" = 7 ] ||
			{ cat lag; fail "$name $mode: not every partition of both topics has a position"; }
	fi
done
done
printf '%s' "$table"
