# salesgen: the tutorial's records, reproducible with --seed and --start-ts
t "seeded simulated time" 0 'salesgen -n 3 -r 0 --seed 1 --start-ts 1713654885000' '' \
'{"seller_id":"KC","amount_usd":771,"sale_ts":1713654885000}
{"seller_id":"DEN","amount_usd":499,"sale_ts":1713654885100}
{"seller_id":"OMA","amount_usd":786,"sale_ts":1713654885200}'
# (each run's status is checked and the count printed: two empty outputs
# of a salesgen that failed are equal too)
t "byte-identical reruns" 0 'salesgen -n 5000 -r 0 --seed 9 --start-ts 0 > a && salesgen -n 5000 -r 0 --seed 9 --start-ts 0 > b && cmp a b && wc -l < a' '' '5000'
t "another seed differs" 0 'salesgen -n 50 -r 0 --seed 1 --start-ts 0 > a && salesgen -n 50 -r 0 --seed 2 --start-ts 0 > b && ! cmp -s a b && cat a b | wc -l' '' '100'
t "sellers and amount range" 0 'salesgen -n 20000 -r 0 --seed 3 --sellers A,B --amount-min 5 --amount-max 7 --start-ts 0 | jq -r "[.seller_id, .amount_usd] | @tsv" | sort -u | tr "\t\n" ":,"; echo' '' 'A:5,A:6,A:7,B:5,B:6,B:7,'
t "step" 0 'salesgen -n 3 -r 0 --seed 1 --start-ts 1000 --step 1s | jq -c .sale_ts | tr "\n" " "; echo' '' '1000 2000 3000 '
t "disorder stays within bound" 0 'salesgen -n 10000 -r 0 --seed 4 --start-ts 100000 --step 0 --disorder 250ms | jq -s "[.[].sale_ts] | (min >= 99750) and (max <= 100000) and (min < 99800)"' '' 'true'
t "wall clock by default" 0 'now=$(date +%s); salesgen -n 1 -r 0 | jq --argjson now "$now" ".sale_ts / 1000 - \$now | fabs < 5"' '' 'true'
t "rate paces output" 0 'start=$(date +%s%N); salesgen -n 5 -r 10 > /dev/null; end=$(date +%s%N); [ $(( (end - start) / 1000000 )) -ge 350 ] && echo paced' '' 'paced'
t "count zero" 0 'salesgen -n 0' '' ''
t "head closes the pipe: quiet exit 0" 0 '{ salesgen -r 0 2>err; echo $? > rc; } | head -1 > first; cat rc; wc -c < err; wc -l < first' '' '0
0
1'
te "bad amount range" 64 'salesgen --amount-min 10 --amount-max 5' '' 'salesgen: --amount-min 10 is above --amount-max 5'
te "bad count" 64 'salesgen -n x' '' "salesgen: -n: 'x' is not a whole number"
te "negative count" 64 'salesgen -n -1' '' 'is out of range'
te "bad rate" 64 'salesgen -r fast' '' "salesgen: -r: 'fast' is not a rate"
te "bad duration" 64 'salesgen --step 10' '' "salesgen: --step: '10' is not a duration"
te "empty sellers" 64 'salesgen --sellers ,' '' 'salesgen: --sellers: give at least one name'
te "unknown option" 64 'salesgen --bogus' '' 'usage: salesgen'
te "operand" 64 'salesgen extra' '' 'usage: salesgen'
t "help on stdout" 0 'salesgen -h | head -1' '' 'usage: salesgen [-n count] [-r rate] [--seed n] [--sellers list]'
t "version" 0 'salesgen -V | cut -d" " -f1' '' 'salesgen'
t "--disorder moves sale_ts only: same seed, same sellers and amounts" 0 'salesgen -n 2000 -r 0 --seed 8 --start-ts 1000000 > a; salesgen -n 2000 -r 0 --seed 8 --start-ts 1000000 --disorder 2s > b; jq -c "[.seller_id, .amount_usd]" a > a.sa; jq -c "[.seller_id, .amount_usd]" b > b.sa; [ -s a.sa ] && cmp a.sa b.sa && ! cmp -s a b && wc -l < b.sa' '' '2000'
