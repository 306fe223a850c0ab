# scripts/resume reads the last window_end in every --time-format that
# window-agg writes (the demo's job writes sql), not only ms.
# needs: ksink ksource window-agg fxconvert
in=resumef-usd-$$
salesgen -n 600 -r 0 --seed 6 --start-ts 1713654885000 --sellers A,B,C,D > in.nd
ksink -t "$in" -k seller_id --ts-field sale_ts < in.nd
n=0
for end in '"2024-04-20 23:15:06"' '"2024-04-20T23:15:06Z"' \
    '"2024-04-21T01:15:06+02:00"' 1713654906000; do
	n=$((n + 1))
	out=resumef-eur-$$-$n
	printf '{"seller_id":"A","window_start":0,"window_end":%s,"window_sales":1}\n' "$end" |
	    ksink -t "$out" -k seller_id
	TOPIC=$in SINK_TOPIC=$out ONCE=1 sh "$T/../scripts/resume" 2> err
	grep -q 'last window ended at 1713654906000: replaying .* from s@1713654898000' err ||
	    { echo "window_end $end: $(cat err)"; exit 1; }
	# the windows after it, and only those, were added
	ksource -t "$out" -e | jq "select(.window_sales != 1) | .window_end" > ends
	[ -s ends ] && [ "$(sort -n ends | head -1)" -gt 1713654906000 ] ||
	    { echo "window_end $end: $(cat ends)"; exit 1; }
done
