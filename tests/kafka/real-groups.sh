# Consumer groups on a real broker: a rerun of `ksource -G g -c N` starts
# at once (a member that exits leaves the group) and resumes where the last
# run committed; after a member is killed (-9, it never left) the next one
# says on stderr that it waits for the group's rebalance, then reads
# everything; two and then three members split an 8-partition topic with
# no gap and no overlap.
# broker: real
# needs: ksource ksink salesgen
. "$T/kafka/ksink.subr"
t=$(topic groups)
create "$t" 8
salesgen -n 6000 -r 0 --seed 8 --start-ts 1713654885000 > in.nd
ksink -t "$t" -k seller_id < in.nd
sort in.nd > want

# reruns of -c 1000: each prompt, each the next thousand
g=rerun-$$
: > runs
worst=0
for i in 1 2 3; do
	s=$(date +%s%N)
	ksource -t "$t" -G $g -c 1000 >> runs
	ms=$(( ($(date +%s%N) - s) / 1000000 ))
	[ $ms -le $worst ] || worst=$ms
done
[ $worst -lt 5000 ] || fail "a -G rerun took $worst ms"
[ "$(sort runs | uniq -d | wc -l)" = 0 ] || fail "a rerun read records again"
[ "$(wc -l < runs)" = 3000 ] || fail "3 runs of -c 1000 read $(wc -l < runs)"
ksource -t "$t" -G $g -e > rest
sort runs rest | cmp - want || fail "reruns: gap or overlap"

# a member killed with -9 holds its partitions until its session ends
# (12 s: a loaded machine must not let it end before the next member joins)
g=dead-$$
ksource -t "$t" -G $g -X session.timeout.ms=12000 > /dev/null 2>&1 &
dead=$!
i=0
until [ "$(groups --describe --group $g | grep -c "$t")" -ge 8 ]; do
	i=$((i + 1)); [ $i -lt 60 ] || fail "the first member never joined"; sleep 0.5
done
kill -9 $dead
wait $dead 2>/dev/null || :
s=$(date +%s)
ksource -t "$t" -G $g -o beginning -e > after 2> after.err
grep -q "waiting for group rebalance of $g" after.err ||
	{ cat after.err; fail "no word about the rebalance"; }
sort after | cmp - want || fail "after the rebalance: $(wc -l < after) records"
waited=$(elapsed $s)

# members split the partitions: no partition twice, every record once
settled() {	# N: the last assignments of the N members cover 8 partitions
	total=0
	for m in $(seq "$1"); do
		n=$(grep '^ksource: assigned' m$1.$m.err | tail -1 |
		    sed 's/^ksource: assigned//; s/[^0-9,]//g' | tr ',' '\n' |
		    grep -c .) || return 1
		[ "$n" -gt 0 ] || return 1
		total=$((total + n))
	done
	[ "$total" = 8 ]
}
split() {	# N: N members, then records, then SIGTERM
	g=split$1-$$
	u=$(topic split$1)
	create "$u" 8
	pids=
	for m in $(seq "$1"); do
		ksource -t "$u" -G $g -J --progress -X session.timeout.ms=6000 \
		    > m$1.$m 2> m$1.$m.err &
		pids="$pids $!"
	done
	# settled when each member's last assignment is its share and the
	# shares cover the 8 partitions
	i=0
	until settled "$1"; do
		i=$((i + 1)); [ $i -lt 120 ] || { cat m$1.*.err; fail "$1 members never settled"; }
		sleep 0.5
	done
	ksink -t "$u" -k seller_id < in.nd
	i=0
	until [ "$(cat m$1.* 2>/dev/null | grep -c '"topic"')" -ge 6000 ]; do
		i=$((i + 1)); [ $i -lt 120 ] || fail "$1 members read $(cat m$1.[0-9] | wc -l)"
		sleep 0.5
	done
	kill -TERM $pids
	wait
	for m in $(seq "$1"); do
		[ -s m$1.$m ] || fail "member $m of $1 read nothing"
		sed 's/.*"partition":\([0-9]*\),.*/\1/' m$1.$m | sort -u > parts$1.$m
	done
	[ "$(cat parts$1.* | sort | uniq -d | wc -l)" = 0 ] || fail "$1 members: a partition read twice"
	cat m$1.[0-9] | sed 's/.*"payload"://; s/}$//' | sort | cmp - want ||
		fail "$1 members: gap or overlap"
}
split 2
split 3
echo "figure: -G rerun $worst ms at most; after kill -9, $waited s to rejoin (session.timeout.ms=12000); 2 and 3 members split 8 partitions exactly"
