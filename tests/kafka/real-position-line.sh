# A position that travels alone: window-agg --having leaves out the last
# row of a batch, so the batch's position goes down the pipe on a
# {"kp_control":"position",...} line; ksink --position-field commits the
# rows before it with that position in one transaction, and aborts the
# rows after the last position at end of input (issue 20: with --having
# no position reached ksink, so nothing was ever committed).
# broker: real
# needs: ksource ksink window-agg
. "$T/kafka/ksink.subr"
src=$(topic pl-src) out=$(topic pl-out) g=pl-$$
create "$src" 2
# the input of a job on clicks: user, page, ms; read back as ksource -J
# would give it (topic, partition, offset, payload)
for i in 0 1 2 3 4 5; do
	p=$((i % 2))
	printf '{"topic":"%s","partition":%d,"offset":%d,"payload":{"page":"/%s","ms":%d}}\n' \
	    "$src" "$p" $((i / 2)) "$([ $p = 0 ] && echo home || echo cart)" $((i * 700 + 100))
done > in
window-agg --tumble 1s -k payload.page -t payload.ms --time-format ms \
    -a 'n=count()' --position-field _pos --having "page = '/cart'" < in > rows 2> wa.err ||
	{ cat wa.err; fail "window-agg: exit $?"; }
grep -q '^{"kp_control":"position","_pos":"' rows ||
	{ cat rows; fail "no position control line"; }
ksink -t "$out" -k page --position-field _pos --progress-group "$g" \
    -X transactional.id="pl-$$" < rows 2> ks.err || { cat ks.err; fail "ksink: exit $?"; }
ksource -t "$out" -e -X isolation.level=read_committed > got 2> src.err ||
	{ cat src.err; fail "ksource: exit $?"; }
# the rows up to the last position are committed, and only those
sed -n '/"_pos"/=' rows | tail -1 > lastpos
head -n "$(cat lastpos)" rows | grep -v '^{"kp_control"' |
    sed 's/,"_pos":"[^"]*"//' > want
[ -s want ] || fail "no row before the last position (the test's input is wrong)"
same want got
# and the progress group holds the position's offsets
ksource -L -G "$g" -t "$src" -J > lag 2> lag.err || { cat lag.err; fail "ksource -L -G: exit $?"; }
grep -q '"committed":[0-9]' lag || { cat lag; fail "no position committed to $g"; }
echo "figure: $(wc -l < got) rows committed, $(grep -c kp_control rows) positions on control lines"
# ksink --exactly-once at end of input: the rows after the last position
# are aborted, and with them those before it in the same transaction
# (not yet full or old): the note says both counts, not only the tail
{
	printf '{"kp_control":"job","group":"%s","topic":"%s","txn":"pl-eo-%s"}\n' "$g-eo" "$src" $$
	printf '{"kp_control":"at","partition":0,"offset":0}\n'
	for i in 0 1 2 3 4; do printf '{"page":"/p%d","ms":%d}\n' $i $((i * 700 + 100)); done
} > eo.in
window-agg --tumble 1s -k page -t ms --time-format ms < eo.in > eo.rows 2> eo-wa.err ||
	{ cat eo-wa.err; fail "window-agg (exactly-once stream): exit $?"; }
grep -q '"kp_control":"position"' eo.rows || { cat eo.rows; fail "no position line"; }
ksink -t "$out" -k page --exactly-once < eo.rows 2> eo-ks.err ||
	{ cat eo-ks.err; fail "ksink --exactly-once: exit $?"; }
grep -q "rows not committed: [1-9][0-9]* after the last position, and the [1-9][0-9]* before it" eo-ks.err ||
	{ cat eo.rows eo-ks.err; fail "ksink's note does not count the rows before the last position"; }
