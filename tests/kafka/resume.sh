# Crash and resume (scripts/resume): a job killed mid-stream writes only
# complete windows; the resumed job replays from the log and writes the
# rest; the output topic then holds every window exactly once, equal to
# one uninterrupted run.
# needs: ksink ksource window-agg fxconvert
in=resume-usd-$$ out=resume-eur-$$ ref=resume-ref-$$
salesgen -n 6000 -r 0 --seed 6 --start-ts 1713654885000 --disorder 1s > in.nd
ksink -t "$in" -k seller_id --ts-field sale_ts < in.nd
# the uninterrupted run, for reference
TOPIC=$in SINK_TOPIC=$ref ONCE=1 sh "$T/../scripts/resume"
# a run that dies: window-agg gets SIGTERM after 2500 records
{ ksource -t "$in" -o beginning -e -J | head -n 2500; sleep 2; } \
  | window-agg --tumble 6000ms --key payload.seller_id --time-field payload.sale_ts \
      --partition-field partition --partitions 4 --delay 2s --time-format ms \
      -a 'window_sales=sum(payload.amount_usd)' \
  | fxconvert -f window_sales --rate 0.85 | ksink -t "$out" -k seller_id &
sleep 1.5
pkill -TERM -f "window-agg --tumble 6000ms --key payload.seller_id" || true
wait
before=$(ksource -t "$out" -e | wc -l)
[ "$before" -gt 0 ]
TOPIC=$in SINK_TOPIC=$out ONCE=1 sh "$T/../scripts/resume"
ksource -t "$out" -e | sort > got
ksource -t "$ref" -e | sort > want
[ "$(sort -u got | wc -l)" -eq "$(wc -l < got)" ]	# no window twice
diff want got
echo "resume: $before windows before the crash, $(wc -l < got) after resuming; equal to one run"
