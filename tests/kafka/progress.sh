#!/bin/sh
# --progress: ksink and ksource say how far they are on stderr, a plain
# line at most once a second off a terminal, one line rewritten in place
# on one, and a summary at the end; standard output is untouched.
# needs: ksource ksink salesgen
. "$T/kafka/ksink.subr"
t=$(topic progress)
create "$t" 4
# slow input: a status line while ksink waits, then the summary
{ salesgen -n 3 -r 0 --seed 1; sleep 2.5; salesgen -n 2 -r 0 --seed 2; } |
    ksink -t "$t" -k seller_id --progress 2> err
grep -q '^ksink: 3 lines in, 3 delivered, 0 in flight, 0 failed, [0-9]*/s$' err ||
	fail "ksink status line: $(cat err)"
tail -1 err | grep -q '^ksink: 5 lines in, 5 delivered, 0 failed in [0-9.]* s$' ||
	fail "ksink summary: $(cat err)"
[ "$(wc -l < err)" -le 5 ] || fail "ksink: more than a line a second: $(cat err)"
# ksource: records, lag, the partitions at their end, the summary
ksource -t "$t" -e --progress > out 2> err
[ "$(wc -l < out)" -eq 5 ] || fail "ksource --progress changed the output"
tail -1 err | grep -q '^ksource: 5 records in [0-9.]* s, [0-9]*/s$' || fail "ksource summary: $(cat err)"
rc=0; timeout 4 ksource -t "$t" --progress > /dev/null 2> err || rc=$?
[ $rc = 124 ] || fail "ksource --progress ended by itself: exit $rc: $(cat err)"
grep -q '^ksource: 5 records, [0-9]*/s, lag 0, at end of partition 0, 1, 2, 3$' err ||
	fail "ksource status line: $(cat err)"
# a group member says it waits for the rebalance before it is assigned
rc=0; timeout 5 ksource -t "$t" -G "prog-$$" --progress > /dev/null 2> err || rc=$?
[ $rc = 124 ] || fail "ksource -G --progress ended by itself: exit $rc: $(cat err)"
grep -q '^ksource: 0 records, 0/s, waiting for group rebalance$' err ||
	fail "ksource -G: no word of the rebalance: $(cat err)"
# on a terminal: one line, rewritten in place (\r ... ESC[K)
script -qc "timeout 3 ksource -t $t --progress > /dev/null" /dev/null > tty.out || :
grep -q "$(printf '\r')ksource: 5 records, .*$(printf '\033')\[K" tty.out || fail "no line rewritten in place: $(od -c tty.out | head)"
[ "$(tr '\r' '\n' < tty.out | grep -c '^ksource: 5 records,')" -ge 2 ] || fail "one update only on a terminal"
echo "figure: status lines and summaries as expected"
