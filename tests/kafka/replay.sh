# The nightly replay (scripts/replay) over a 4-partition topic: the same
# bytes on every run, and the same windows as an independent computation
# over what was produced.
# needs: ksink ksource window-agg fxconvert
topic=replay-usd-$$
salesgen -n 20000 -r 0 --seed 3 --start-ts 1713654885000 > in.nd
ksink -t "$topic" -k seller_id --ts-field sale_ts < in.nd
TOPIC=$topic PARTITIONS=4 sh "$T/../scripts/replay" out1
TOPIC=$topic PARTITIONS=4 sh "$T/../scripts/replay" out2
cmp out1 out2
[ "$(wc -l < out1)" -gt 1000 ]
jq -r '[(.window_start | sub(" "; "T") + "Z" | fromdate * 1000), .seller_id, .window_sales] | map(tostring) | join(" ")' < out1 | sort > got
/usr/bin/python3 "$T/ref/euro_windows.py" 0.85 < in.nd | sort > want
diff want got
echo "replay: $(wc -l < out1) windows, identical twice, equal to the reference"
