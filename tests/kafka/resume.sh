# Crash and resume (scripts/resume): a job killed mid-stream writes only
# complete windows; the resumed job replays from the log and writes the
# rest; the output topic then holds every window exactly once, equal to
# one uninterrupted run.
# needs: ksink ksource window-agg fxconvert
in=resume-usd-$$ out=resume-eur-$$ ref=resume-ref-$$
# eight sellers, so that every one of the 4 partitions gets records (the
# crashed run's watermark waits for all 4)
salesgen -n 6000 -r 0 --seed 6 --start-ts 1713654885000 --disorder 1s \
    --sellers A,B,C,D,E,F,G,H > in.nd
ksink -t "$in" -k seller_id --ts-field sale_ts < in.nd
kcat -C -b "$KAFKA_BROKERS" -t "$in" -e -q -f '%p\n' > parts
[ "$(sort -u parts | wc -l)" = 4 ]
# the uninterrupted run, for reference
TOPIC=$in SINK_TOPIC=$ref ONCE=1 sh "$T/../scripts/resume"
# a run that dies: window-agg gets SIGTERM once its first windows reached
# the output topic, with the first 250 s of every partition read (e@) and
# its input still open
{ ksource -t "$in" -o e@1713655135000 -e -J
  while [ ! -e crashed ]; do sleep 0.1; done; } \
  | sh -c 'echo $$ > wa.pid; exec "$@"' sh \
      window-agg --tumble 6000ms --key payload.seller_id --time-field payload.sale_ts \
      --partition-field partition --partitions 4 --delay 2s --time-format ms \
      -a 'window_sales=sum(payload.amount_usd)' \
  | fxconvert -f window_sales --rate 0.85 | ksink -t "$out" -k seller_id &
i=0
until [ "$(kcat -C -b "$KAFKA_BROKERS" -t "$out" -e -q -c 1 2>/dev/null | wc -l)" = 1 ]; do
	i=$((i + 1)); [ $i -lt 300 ] || { echo "no window before the crash"; exit 1; }
	sleep 0.1
done
kill -TERM "$(cat wa.pid)"	# this test's window-agg, no other
touch crashed
wait
before=$(ksource -t "$out" -e | wc -l)
[ "$before" -gt 0 ]
TOPIC=$in SINK_TOPIC=$out ONCE=1 sh "$T/../scripts/resume"
ksource -t "$out" -e | sort > got
ksource -t "$ref" -e | sort > want
[ "$(sort -u got | wc -l)" -eq "$(wc -l < got)" ]	# no window twice
diff want got
echo "resume: $before windows before the crash, $(wc -l < got) after resuming; equal to one run"
