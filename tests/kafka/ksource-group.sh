# ksource -G: offsets are committed only for what was written, so the
# same command run again resumes where the last one stopped, with no gap
# and no record twice: after -c COUNT, after SIGTERM in the middle of a
# stream, and after the end (-e).
# needs: ksource ksink salesgen
topic=ksg-$$
X="-X session.timeout.ms=6000"
salesgen -n 5000 -r 0 --seed 9 --start-ts 1713654885000 > in.nd
ksink -t "$topic" -k seller_id < in.nd
sort in.nd > want

# -c: exactly COUNT written and committed; the rerun reads the rest
ksource -t "$topic" -G c-$$ -o beginning -c 1234 $X > c1
[ "$(wc -l < c1)" = 1234 ]
ksource -t "$topic" -G c-$$ -o beginning -e $X > c2
[ "$(wc -l < c2)" = 3766 ] || { echo "rerun after -c read $(wc -l < c2)"; exit 1; }
sort c1 c2 | cmp - want

# SIGTERM mid-stream: everything written (and read downstream) is
# committed, nothing else; a slow reader (at most 2,000 lines a second)
# keeps ksource from finishing first (t1 exists before the loop reads it,
# however late the background pipeline opens it)
: > t1
sh -c 'echo $$ > ks.pid; exec "$@"' sh \
    ksource -t "$topic" -G t-$$ -o beginning $X 2> t.err \
  | { n=0; while IFS= read -r l; do printf '%s\n' "$l"; n=$((n + 1))
	[ $((n % 100)) -ne 0 ] || sleep 0.05; done; } > t1 &
i=0
while [ "$(wc -l < t1)" -lt 500 ]; do
	i=$((i + 1)); [ $i -lt 300 ] || { echo "nothing read"; cat t.err; exit 1; }
	sleep 0.1
done
kill -TERM "$(cat ks.pid)"	# this test's ksource, no other
wait
n1=$(wc -l < t1)
[ "$n1" -lt 5000 ] || { echo "the slow reader got everything before SIGTERM"; exit 1; }
ksource -t "$topic" -G t-$$ -o beginning -e $X > t2
sort t1 t2 | cmp - want || { echo "SIGTERM after $n1: gap or duplicate"; exit 1; }

# after -e everything is committed: a rerun reads nothing, at once
ksource -t "$topic" -G t-$$ -o beginning -e $X > t3
[ ! -s t3 ]
echo "group: -c 1234 then 3766; SIGTERM after $n1, then $(wc -l < t2); no gap, no duplicate"
