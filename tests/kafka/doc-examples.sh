# The docs are run: every shell example of README.md and of each man
# page's EXAMPLES (tests/docex.py extracts them) runs here against the
# broker, on the topics the examples name, created and filled first:
# sales-usd (4 partitions, 20,000 records of salesgen keyed by seller with
# their sale_ts as timestamps) and sales-euros (the tutorial job's
# windows of them); sales.ndjson, 1,000 records, is in the folder and is
# each example's standard input (an example that starts with a tool
# reading stdin is a fragment of a pipeline). An example must exit 0; one
# marked "endless" (a live job, an endless stream) is stopped by timeout
# after $DOC_SECONDS seconds (6), must not have ended before with an
# error, and must not have said "usage"; one marked "not run" is counted
# and its reason shown. Each example's command is printed as it runs.
# broker: real
# needs: ksource ksink salesgen window-agg fxconvert kplot
. "$T/kafka/ksink.subr"
R=$T/..
S=${DOC_SECONDS:-6}
# a test before may have left the tutorial's topics on this broker
# (demo-avro.sh runs the demo): they are deleted, and made again
KL="sh $T/../scripts/kafka-local"
kcat -L -b "$KAFKA_BROKERS" > meta 2>/dev/null || fail "no metadata from $KAFKA_BROKERS"
for tp in sales-usd sales-euros; do
	if grep -q "topic \"$tp\" with" meta; then
		$KL tool topics --bootstrap-server "$KAFKA_BROKERS" --delete --topic "$tp" ||
			fail "cannot delete $tp"
	fi
done
export KAFKA_BROKERS KL
sh "$T/until.sh" 60 '! kcat -L -b "$KAFKA_BROKERS" 2>/dev/null | grep -q "topic \"sales-\(usd\|euros\)\" with"' ||
	fail "sales-usd or sales-euros still there"
sh "$T/until.sh" 60 '$KL tool topics --bootstrap-server "$KAFKA_BROKERS" --create --topic sales-usd --partitions 4 --replication-factor 1 > /dev/null 2>&1' ||
	fail "cannot create sales-usd"
salesgen -n 20000 -r 0 --seed 1 --start-ts 1713654885000 \
    | ksink -t sales-usd -k seller_id --ts-field sale_ts
ksource -t sales-usd -o beginning -e \
    | window-agg --tumble 6s --key seller_id --time-field sale_ts \
	-a 'window_sales=sum(amount_usd)' \
    | fxconvert -f window_sales --rate 0.85 \
    | ksink -t sales-euros -k seller_id
salesgen -n 1000 -r 0 --seed 2 --start-ts 1713654885000 > sales.ndjson
# every man page, those whose examples write into sales-usd last (records
# appended with other times would be late in the replays of the others)
pages=$(cd "$R/man" && ls *.[1-8] | grep -v '^salesgen\.1$\|^ksink\.1$')
python3 "$T/docex.py" ex "$R/README.md" $(for p in $pages salesgen.1 ksink.1; do
	echo "$R/man/$p"; done)
ran=0 endless=0 skipped=0 failed=0
while IFS="$(printf '\t')" read -r id mode where note; do
	echo "---- $where ($mode${note:+: $note})"
	if [ "$mode" = skip ]; then
		skipped=$((skipped + 1)); continue
	fi
	sed 's/^/  $ /' "ex/$id.sh"
	dir=$PWD
	[ "$note" != tree ] || dir=$R
	rc=0
	if [ "$mode" = endless ]; then
		# stopped mid-run, a sanitizer build's leak check at exit
		# hung (its tracer process, left spinning after the test)
		(cd "$dir" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		    timeout "$S" bash -e -o pipefail "$W/ex/$id.sh") \
		    < sales.ndjson > "ex/$id.out" 2> "ex/$id.err" || rc=$?
	else
		(cd "$dir" && timeout 120 bash -e -o pipefail "$W/ex/$id.sh") \
		    < sales.ndjson > "ex/$id.out" 2> "ex/$id.err" || rc=$?
	fi
	echo "  exit $rc, $(wc -l < "ex/$id.out") lines out"
	sed 's/^/  stderr: /' "ex/$id.err" | head -5
	if [ "$mode" = endless ] && [ "$rc" = 124 ] &&
	    ! grep -q 'usage' "ex/$id.err"; then
		endless=$((endless + 1))
	elif [ "$mode" = run ] && [ "$rc" = 0 ]; then
		ran=$((ran + 1))
	else
		echo "FAIL: $where: the example failed"; failed=$((failed + 1))
	fi
done < ex/list
echo "figure: doc examples: $ran ran, $endless endless ones stopped after ${S} s, $skipped marked not runnable, $failed failed"
[ "$failed" = 0 ]
