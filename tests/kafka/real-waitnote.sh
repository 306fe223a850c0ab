# ksource -G: "waiting for group rebalance ...: 1 other member must rejoin
# first (one that ended without leaving is waited for ...)" only while
# the group rebalances. A member that joins a group whose live members hold
# every partition (one partition, one live member) gets none and waits,
# quietly; after a member killed with -9, the next one says it.
# broker: real
# needs: ksource ksink
. "$T/kafka/ksink.subr"
t=$(topic waitnote)
create "$t" 1
echo '{"a":1}' | ksink -t "$t"
g=live-$$
# (the range assignor gives the partition to the first member id in
# order: client.id is its prefix)
ksource -t "$t" -G $g -X client.id=a-first > first.out 2> first.err &
first=$!
i=0
until [ -s first.out ]; do	# it holds the partition: it read the record
	i=$((i + 1)); [ $i -lt 100 ] || fail "the first member never read"; sleep 0.2
done
# the second member: 8 s without partitions (the note comes after 3 s)
rc=0
timeout 8 ksource -t "$t" -G $g -X client.id=b-second --progress \
    > second.out 2> second.err || rc=$?
members=$(groups --describe --group $g --members | grep -c "$g") || :
kill $first
wait $first || :
[ "$rc" = 124 ] || { cat second.err; fail "the second member ended ($rc)"; }
[ "$members" -ge 1 ] || fail "no members seen in $g"
grep -q "assigned nothing" second.err || { cat second.err; fail "the second member was given a partition"; }
if grep -q "must rejoin first" second.err; then
	cat second.err; fail "the note with no member gone"
fi
# a member killed with -9: the next one is told
g=dead-$$
ksource -t "$t" -G $g -X session.timeout.ms=12000 > dead.out 2>&1 &
dead=$!
i=0
until [ -s dead.out ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the member never read"; sleep 0.2
done
kill -9 $dead
wait $dead 2>/dev/null || :
ksource -t "$t" -G $g -o beginning -c 1 > after.out 2> after.err
grep -q "1 other member must rejoin first (one that ended without leaving" after.err ||
	{ cat after.err; fail "no note after a member was killed"; }
echo "figure: quiet for 8 s beside a live member; the note after a kill -9"
