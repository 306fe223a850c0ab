# ksink: the parts that need no Kafka (usage, options, an unreachable broker)
te "no topic" 64 'ksink' '' 'name a topic with -t'
te "stray argument" 64 'ksink -t a b' '' 'usage: ksink'
te "unknown option" 64 'ksink -t a --nope' '' 'usage: ksink'
te "--position-field alone" 64 'ksink -t a --position-field p' '' 'ksink: --position-field and --progress-group go together'
te "--progress-group with -J" 64 'ksink -J --position-field p --progress-group g' '' 'ksink: --position-field and --progress-group go together, not with -J'
t "help on stdout" 0 'ksink -h | head -1' '' 'usage: ksink (-t topic | -J) [-k field] [-K delim] [--fixed-key key] [-Z]'
t "version" 0 'ksink -V | sed "s/ ([0-9a-f]*)\$//"' '' 'ksink 0.2.0'
te "empty topic" 64 'ksink -t ""' '' '-t: empty topic name'
te "bad partition" 64 'ksink -t a -p -1' '' "-p: '-1' is out of range"
te "header without =" 64 'ksink -t a -H trace' '' '-H trace: expected name=value'
te "bad time unit" 64 'ksink -t a --ts-field t --time-unit days' '' "--time-unit: 'days' is not ms, s, us or iso"
te "bad duration" 64 'ksink -t a -m soon' '' "'soon' is not a duration"
te "bad on-error" 64 'ksink -t a --on-error retry' '' "--on-error: 'retry' is not skip or abort"
te "empty key path part" 64 'ksink -t a -k a..b' '' "field 'a..b': empty name in dot path"
te "-X without =" 64 'ksink -t a -X acks' '' '-X acks: expected prop=value'
te "-X rejected by librdkafka" 64 'ksink -t a -X no.such.prop=1' '' 'No such configuration property'
te "bad codec" 64 'ksink -t a -z brotli' '' 'compression.codec'
te "unreadable -F" 66 'ksink -t a -F nosuch.conf' '' 'config file nosuch.conf'
te "bad -F line" 64 'echo "acks" > c.conf; ksink -t a -F c.conf' '' 'c.conf:1: expected prop=value'
te "unreachable broker, bounded wait" 69 'ksink -b 127.0.0.1:1 -m 300ms -t a' '{"a":1}' 'cannot reach Kafka at 127.0.0.1:1 within 300 ms'
te "unreachable broker with -J" 69 'ksink -b 127.0.0.1:1 -m 300ms -J' '{"a":1}' 'cannot reach Kafka at 127.0.0.1:1'
te "-F bootstrap.servers is used" 69 'echo "bootstrap.servers=127.0.0.1:2" > c.conf; ksink -F c.conf -m 200ms -t a' '' 'cannot reach Kafka at 127.0.0.1:2'
te "-b wins over the file" 69 'echo "bootstrap.servers=127.0.0.1:2" > c.conf; ksink -F c.conf -b 127.0.0.1:1 -m 200ms -t a' '' 'cannot reach Kafka at 127.0.0.1:1 '
te "password file readable by others" 69 'printf "bootstrap.servers=127.0.0.1:2\nsasl.password=x\n" > c.conf; chmod 644 c.conf; ksink -F c.conf -m 200ms -t a' '' 'holds a password but is readable by others'
te "a secret on the command line is warned about" 69 'ksink -b 127.0.0.1:2 -m 200ms -t a -X sasl.password=x < /dev/null' '' 'warning: -X sasl.password: other users can read the command line (ps); keep secrets in a -F file'
# kcat's producer options
te "-k with -K" 64 'ksink -t a -k seller_id -K :' '' 'ksink: -k seller_id: the key comes from a field, or from -K or --fixed-key, not both'
te "-k with --fixed-key" 64 'ksink -t a -k seller_id --fixed-key LNK' '' 'ksink: -k seller_id: the key comes from a field'
te "-J with -K" 64 'ksink -J -K :' '' 'ksink: -J: the envelope holds the key and the value (-K, --fixed-key and -Z do not apply)'
te "-K empty" 64 'ksink -t a -K ""' '' 'ksink: -K: empty delimiter'
te "-c 0" 64 'ksink -t a -c 0' '' "ksink: -c: '0' is out of range"
t "-X dump shows ksink's defaults" 0 'ksink -t a -X dump | grep -E "^(enable.idempotence|request.required.acks|# Topic config$)"' '' 'enable.idempotence = true
# Topic config
request.required.acks = -1'
t "refused broker: named within 3 s with a hint" 0 's=$(date +%s); echo "{}" | ksink -t a -b 127.0.0.1:1 2>err; rc=$?; e=$(date +%s); [ $((e - s)) -le 3 ] && cat err && echo "$rc in time"' '' 'ksink: cannot reach Kafka at 127.0.0.1:1: nothing listens on 127.0.0.1:1 (connection refused); scripts/kafka-local start runs a local broker
69 in time'
t "--help: every option on a line, and the man page" 0 'ksink --help | sed -n "/^  -K, --key-delimiter/p; \$p"' '' '  -K, --key-delimiter d       key, d, value on each line (kcat -K)
See ksink(1) for the whole story: man ksink'
te "a mistyped long option: the nearest" 64 'ksink -t a --fixed-kye x' '' 'ksink: did you mean --fixed-key?'
te "salesgen: a mistyped long option" 64 'salesgen --sedd 4' '' 'salesgen: did you mean --seed?'
te "fxconvert: a mistyped long option" 64 'fxconvert -f a --rtae 2' '' 'fxconvert: did you mean --rate?'
te "window-agg: a mistyped long option" 64 'window-agg --tumbel 5s' '' 'window-agg: did you mean --tumble?'
# --partitions N [--replication R]: the -t topic made when missing
te "--partitions 0" 64 'ksink -t a --partitions 0' '' "ksink: --partitions: '0' is out of range"
te "--partitions not a number" 64 'ksink -t a --partitions many' '' "ksink: --partitions: 'many' is not a whole number"
te "--replication alone" 64 'ksink -t a --replication 3' '' 'ksink: --replication goes with --partitions'
te "--replication 0" 64 'ksink -t a --partitions 2 --replication 0' '' "ksink: --replication: '0' is out of range"
te "--partitions with -J" 64 'ksink -J --partitions 2' '' 'ksink: --partitions: the topic of -t is the one made (not with -J)'
te "--partitions, no broker: 69" 69 'ksink -t a --partitions 2 -b 127.0.0.1:1 < /dev/null' '' 'ksink: cannot reach Kafka at 127.0.0.1:1'
t "completion knows --partitions and --replication" 0 'bash -c ". $T/../completion/kappa-pipes.bash; COMP_WORDS=(ksink --parti); COMP_CWORD=1; _kappa_pipes; echo \${COMPREPLY[*]}; COMP_WORDS=(ksink --repl); _kappa_pipes; echo \${COMPREPLY[*]}"' '' '--partition --partitions
--replication'
# an exactly-once stream's pipe is grown, so a commit does not stop the
# line (the writer watches its end for up to 5 s, then says the size)
t "--exactly-once grows its input pipe to 1 MiB" 0 'python3 -c "
import fcntl, sys, time
for i in range(500):
    n = fcntl.fcntl(1, 1032)
    if n >= 1 << 20:
        break
    time.sleep(0.01)
open(\"size\", \"w\").write(str(n))
print(\"x\")
" | ksink -t a --exactly-once 2>/dev/null; cat size; echo' '' '1048576'
