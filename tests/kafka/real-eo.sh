# The exactly-once line (issue 20): a user's own topic and fields, one
# switch at each Kafka end, and the same line for the first run and
# every later one. A windowed job (hopping windows) writes each complete window once, and
# a rerun writes nothing again; new input gets only its new windows; a
# stateless line (fxconvert) writes every record once, a rejected one
# accounted for by a skip line; and pipelines whose two ends do not
# agree are refused at the start, with exit 64.
# broker: real
# needs: ksource ksink window-agg fxconvert
. "$T/kafka/ksink.subr"
src=$(topic eo-clicks) out=$(topic eo-pages) out2=$(topic eo-bytes)
g=eo-w-$$ g2=eo-s-$$
create "$src" 4
# clicks: user, page, ms, bytes; the message time is ms (--ts-field), so
# ksource's merge reads them in event-time order
clicks() {	# SEED N FROM
	awk -v seed="$1" -v n="$2" -v t="$3" 'BEGIN { srand(seed);
	    for (i = 0; i < n; i++) { t += int(rand() * 7);
		printf "{\"user\":\"u%d\",\"page\":\"/p%d\",\"ms\":%.0f,\"bytes\":%d}\n",
		    int(rand() * 40), int(rand() * 5), t, 100 + int(rand() * 900) } }'
}
clicks 1 3000 1700000000000 > in1
clicks 2 3000 "$(tail -1 in1 | sed 's/.*"ms":\([0-9]*\).*/\1/')" > in2
ksink -t "$src" -k user --ts-field ms --time-unit ms < in1 2> p.err ||
	{ rc=$?; cat p.err; fail "ksink (input): exit $rc"; }

# the reference: every window of the input (made in event-time order);
# a run writes every window but those still open at the end of the input
ref() {
	cat "$@" | window-agg --hop 2s --slide 1s -k page -t ms --time-format ms \
	    -a 'n=count()' -a 'b=sum(bytes)' > ref.all
	last=$(tail -1 "$2" | sed 's/.*"ms":\([0-9]*\).*/\1/')
	awk -v last="$last" '{ e = $0; sub(/.*"window_end":/, "", e);
	    sub(/,.*/, "", e); if (e + 0 <= last + 0) print }' ref.all > want
}
job() {
	ksource -t "$src" -G "$g" --exactly-once -e |
	    window-agg --hop 2s --slide 1s -k page -t ms --time-format ms \
	    -a 'n=count()' -a 'b=sum(bytes)' |
	    ksink -t "$out" -k page --exactly-once
}
# committed output, once the last transaction's markers are visible
got() {	# FILE ROWS
	sh "$T/until.sh" 30 "ksource -t $out -e > $1 2>/dev/null && [ \$(wc -l < $1) -ge $2 ]" ||
		{ wc -l "$1"; fail "$out: fewer than $2 rows"; }
}
ref /dev/null in1
job 2> j1.err || { rc=$?; cat j1.err; fail "job, first run: exit $rc"; }
got out1 "$(wc -l < want)"
same want out1
grep -q 'open (window, key) rows of [0-9]* records dropped' j1.err ||
	{ cat j1.err; fail "the open windows at the end are not said"; }
# the same line again: nothing new to write, nothing written twice
job 2> j2.err || { rc=$?; cat j2.err; fail "job, rerun: exit $rc"; }
got out2 "$(wc -l < want)"
same want out2
# new input: its windows only, each once
ksink -t "$src" -k user --ts-field ms --time-unit ms < in2 2> p.err ||
	{ rc=$?; cat p.err; fail "ksink (more input): exit $rc"; }
ref in1 in2
job 2> j3.err || { rc=$?; cat j3.err; fail "job, third run: exit $rc"; }
got out3 "$(wc -l < want)"
same want out3
echo "figure: windowed: $(wc -l < out3) rows over 3 runs of the same line, 0 twice"

# (hopping windows: a record is in two, so a restart needs the end of the
# windows written, which comes back on the assign lines)

# a stateless line: every record once; a rejected one skipped, said and
# taken past (its offset committed); a rerun writes nothing again
printf '%s\n' '{"user":"u1","page":"/x","ms":1700000999000,"bytes":"ten"}' |
    ksink -t "$src" -k user 2> p.err || { rc=$?; cat p.err; fail "ksink: exit $rc"; }
sl() {
	ksource -t "$src" -G "$g2" --exactly-once -e |
	    fxconvert -f bytes --rate 2 | ksink -t "$out2" -k user --exactly-once
}
sl 2> s1.err || { rc=$?; cat s1.err; fail "stateless line: exit $rc"; }
grep -q 'field bytes: expected a number, got a string' s1.err ||
	{ cat s1.err; fail "the rejected record is not said"; }
sh "$T/until.sh" 30 "ksource -t $out2 -e > sout 2>/dev/null && [ \$(wc -l < sout) -ge 6000 ]" ||
	fail "$out2: $(wc -l < sout) records, not 6000"
cat in1 in2 | fxconvert -f bytes --rate 2 > swant
same swant sout
sl 2> s2.err || { rc=$?; cat s2.err; fail "stateless line, rerun: exit $rc"; }
ksource -t "$out2" -e > sout2 2>/dev/null
same swant sout2
ksource -L -G "$g2" -t "$src" > lag 2>&1 || { rc=$?; cat lag; fail "ksource -L -G: exit $rc"; }
grep -q '^total lag 0$' lag || { cat lag; fail "the position is not at the end"; }

# ksink alone, a transaction a record (--txn-records 1): each commit
# carries the position, also for a record that follows its partition's
# last at line with no new one (a commit of the records alone let a
# restart write them again); read while ksink still runs
g3=eo-t-$$
mkfifo feed
ksink -t "$(topic eo-t)" -k user --exactly-once --txn-records 1 < feed 2> t.err &
kpid=$!
exec 3> feed
printf '%s\n' "{\"kp_control\":\"job\",\"group\":\"$g3\",\"topic\":\"$src\",\"txn\":\"eo-t-$$\"}" \
    "{\"kp_control\":\"assign\",\"topic\":\"$src\",\"partition\":0}" \
    '{"kp_control":"at","partition":0,"offset":0}' \
    '{"user":"a","bytes":1}' '{"user":"a","bytes":2}' '{"user":"a","bytes":3}' >&3
sh "$T/until.sh" 30 "ksource -L -G $g3 -t $src 2>/dev/null | grep -q '^$src *0 *3 '" ||
	{ ksource -L -G "$g3" -t "$src" >&2; kill $kpid; fail "the position of the third record was not committed with it"; }
exec 3>&-
wait $kpid || { rc=$?; cat t.err; fail "ksink: exit $rc"; }

# two ends that do not agree, refused at the start
set +e
ksource -t "$src" -G "$g2-x" --exactly-once -e 2>/dev/null | ksink -t "$out2" 2> r1.err
rc=$?
set -e
[ $rc = 64 ] && grep -q 'add --exactly-once' r1.err ||
	{ cat r1.err; fail "plain ksink on an exactly-once stream: exit $rc"; }
set +e
ksource -t "$src" -e 2>/dev/null | ksink -t "$out2" --exactly-once 2> r2.err
rc=$?
set -e
[ $rc = 64 ] && grep -q 'must come from ksource -G group --exactly-once' r2.err ||
	{ cat r2.err; fail "ksink --exactly-once on a plain stream: exit $rc"; }
ksource -t "$out2" -e > sout3 2>/dev/null
same swant sout3
echo "figure: stateless: 6000 records once over 2 runs, 1 rejected and taken past"
