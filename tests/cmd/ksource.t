# ksource: options and the failures that need no broker
t "help on stdout" 0 'ksource -h | head -1' '' 'usage: ksource -t topic [-t topic ...] [-p partition]'
t "long help" 0 'ksource --help > h && [ $(grep -c "^  -" h) -gt 20 ] && echo ok' '' 'ok'
t "version" 0 'ksource -V | cut -d" " -f1' '' 'ksource'
te "no topic" 64 'ksource -b 127.0.0.1:1' '' 'ksource: give at least one topic with -t topic'
te "empty topic" 64 'ksource -t ""' '' 'ksource: -t: empty topic name'
te "bad offset" 64 'ksource -t a -o middle' '' "ksource: -o: 'middle' is not beginning, end, stored, N, -N, s@time or e@time"
te "bad offset time" 64 'ksource -t a -o s@soon' '' "ksource: -o s@: 'soon' is not a time (epoch milliseconds or ISO-8601, as in 2024-04-21T00:17:42Z)"
te "bad stop time" 64 'ksource -t a -o e@' '' "ksource: -o e@: '' is not a time (epoch milliseconds or ISO-8601"
te "bad ISO-8601 offset time" 64 'ksource -t a -o s@2024-13-07T11:43:00Z' '' "ksource: -o s@: '2024-13-07T11:43:00Z' is not a time (epoch milliseconds or ISO-8601"
te "offset time before 1970" 64 'ksource -t a -o e@1969-12-31T23:59:59Z' '' "ksource: -o e@: '1969-12-31T23:59:59Z' is before 1970-01-01T00:00:00Z"
# ISO-8601 times as --after reads them: past the options, to the broker
te "s@ and e@ in ISO-8601" 69 'ksource -t a -o s@2024-12-07T11:43:00Z -o e@2024-12-07T12:43:00+01:00 -b 127.0.0.1:1' '' 'ksource: cannot reach Kafka at 127.0.0.1:1'
te "s@ and e@ in epoch ms" 69 'ksource -t a -o s@1733571780000 -o e@1733575380000 -b 127.0.0.1:1' '' 'ksource: cannot reach Kafka at 127.0.0.1:1'
te "-Q in ISO-8601, colons and all" 69 'ksource -Q -t a:0:2024-12-07T11:43:00Z -t a:1:2024-12-07 -b 127.0.0.1:1' '' 'ksource: cannot reach Kafka at 127.0.0.1:1'
te "-Q the same partition twice, ISO-8601" 64 'ksource -Q -t a:0:2024-12-07T11:43:00Z -t a:0:5' '' 'ksource: -Q -t a:0:5: that partition is asked about twice'
te "-Q bad ISO-8601 time" 64 'ksource -Q -t a:0:2024-12-07T25:43:00Z' '' 'ksource: -Q -t a:0:2024-12-07T25:43:00Z: the time is not epoch milliseconds or ISO-8601 (as in 2024-04-21T00:17:42Z)'
te "offset out of range" 64 'ksource -t a -o 99999999999999999999' '' 'ksource: -o: '"'"'99999999999999999999'"'"' is out of range'
te "stored needs a group" 64 'ksource -t a -o stored' '' 'ksource: -o stored: only with -G group'
te "partition with a group" 64 'ksource -t a -G g -p 0' '' 'ksource: -p cannot be used with -G'
te "absolute offset with a group" 64 'ksource -t a -G g -o 5' '' 'ksource: -o 5 cannot be used with -G'
te "--idle without --ordered" 64 'ksource -t a --idle 1s' '' 'ksource: --idle goes with --ordered without -e'
te "--idle with -e" 64 'ksource -t a --ordered -e --idle 1s' '' 'ksource: --idle goes with --ordered without -e'
te "--idle bad" 64 'ksource -t a --ordered --idle soon' '' 'ksource: --idle'
te "--broker-timeout bad" 64 'ksource -t a --broker-timeout soon' '' 'ksource: --broker-timeout'
te "--show-position without --from-group" 64 'ksource -t a --show-position' '' 'ksource: --show-position goes with --from-group'
te "time offset with a group" 64 'ksource -t a -G g -o s@0' '' 'ksource: -o s@0 cannot be used with -G'
te "bad partition" 64 'ksource -t a -p -1' '' "ksource: -p: '-1' is out of range"
te "bad count" 64 'ksource -t a -c 0' '' "ksource: -c: '0' is out of range"
te "bad count text" 64 'ksource -t a -c many' '' "ksource: -c: 'many' is not a whole number"
te "bad on-error" 64 'ksource -t a --on-error ignore' '' "ksource: --on-error: 'ignore' is not skip or abort"
te "bad -X" 64 'ksource -t a -X fetch.wait.max.ms' '' 'ksource: -X fetch.wait.max.ms: expected prop=value'
te "unknown property" 64 'ksource -t a -X no.such.property=1 -b 127.0.0.1:1' '' 'No such configuration property'
te "missing config file" 66 'ksource -t a -F nonexistent.conf' '' 'nonexistent.conf'
te "unknown option" 64 'ksource -t a --bogus' '' 'usage: ksource'
te "operand" 64 'ksource -t a extra' '' 'usage: ksource'
t "refused broker: exit 69 within 3 s, named, with a hint, nothing on stdout" 0 's=$(date +%s); ksource -t a -b 127.0.0.1:1 >out 2>err; rc=$?; e=$(date +%s); [ $((e - s)) -le 3 ] && [ ! -s out ] && cat err && echo "$rc in time"' '' 'ksource: cannot reach Kafka at 127.0.0.1:1: nothing listens on 127.0.0.1:1 (connection refused); scripts/kafka-local start runs a local broker
69 in time'
te "a host name that does not resolve" 69 'ksource -t a -b nosuch.invalid:9092' '' "ksource: cannot reach Kafka at nosuch.invalid:9092: Failed to resolve 'nosuch.invalid:9092'"
# each is told in 2 s, so they run side by side
t "unreachable broker from -b, KAFKA_BROKERS, the config file" 0 'printf "bootstrap.servers=127.0.0.1:3\n" > k.conf; KAFKA_BROKERS=127.0.0.1:9 ksource -t a -b 127.0.0.1:1 2>e1 & KAFKA_BROKERS=127.0.0.1:2 ksource -t a -F k.conf 2>e2 & ksource -t a -F k.conf 2>e3 & wait; cat e1 e2 e3 | sed "s/ (connection refused.*//"' '' 'ksource: cannot reach Kafka at 127.0.0.1:1: nothing listens on 127.0.0.1:1
ksource: cannot reach Kafka at 127.0.0.1:2: nothing listens on 127.0.0.1:2
ksource: cannot reach Kafka at 127.0.0.1:3: nothing listens on 127.0.0.1:3'
# kcat's output options: what cannot be combined, and bad formats
te "-O needs -K" 64 'ksource -t a -O' '' 'ksource: -O writes the offset before the -K delimiter: give -K'
te "-J with -f" 64 'ksource -t a -J -f "%s\n"' '' "ksource: -J writes kcat's envelope: -f, -K and -O do not apply (-D does)"
te "--payload-string needs -J" 64 'ksource -t a --payload-string' '' 'ksource: --payload-string: only with -J'
te "unknown format token" 64 'ksource -t a -f "%s %x"' '' "ksource: -f '%s %x': unknown token %x"
te "lone percent" 64 'ksource -t a -f "%s %"' '' "ksource: -f '%s %': a lone % at the end"
t "-X list prints librdkafka's properties" 0 'ksource -X list | grep -c "^bootstrap.servers "' '' '1'
t "-X dump prints the configuration, ksource's defaults in it" 0 'ksource -t a -b 127.0.0.1:1 -X dump | grep -E "^(# Global config$|queued.m[a-z.]* |group.id )"' '' '# Global config
queued.min.messages = 50000
queued.max.messages.kbytes = 16384'
t "-X wins over the read-ahead defaults" 0 'ksource -t a -b 127.0.0.1:1 -X queued.max.messages.kbytes=1024 -X queued.min.messages=7 -X dump | grep -E "^queued.m[a-z.]* "' '' 'queued.min.messages = 7
queued.max.messages.kbytes = 1024'
t "-X dump with -G" 0 'ksource -t a -G g1 -b 127.0.0.1:1 -X dump | grep -E "^(group.id|enable.auto.offset.store) "' '' 'group.id = g1
enable.auto.offset.store = false'
# -L and -Q: what they take
te "-L with -o" 64 'ksource -L -t a -o end' '' 'ksource: -L takes only -t, -J, -G and the Kafka options (-b, -X, -F)'
te "-Q with -f" 64 'ksource -Q -t a:0:5 -f "%s"' '' 'ksource: -Q takes only -t, -J and the Kafka options (-b, -X, -F)'
te "-L and -Q" 64 'ksource -L -Q' '' 'ksource: -L and -Q: one or the other'
te "-Q without -t" 64 'ksource -Q' '' 'ksource: -Q: give -t topic:partition:time'
te "-Q spec without a time" 64 'ksource -Q -t a:0' '' 'ksource: -Q -t a:0: expected topic:partition:time'
te "-Q spec with a bad partition" 64 'ksource -Q -t a:x:5' '' 'ksource: -Q -t a:x:5: the partition is not a whole number'
te "-Q spec with a bad time" 64 'ksource -Q -t a:0:soon' '' 'ksource: -Q -t a:0:soon: the time is not epoch milliseconds or ISO-8601'
te "-Q spec with a time before 1970" 64 'ksource -Q -t a:0:-5' '' 'ksource: -Q -t a:0:-5: the time is before 1970'
te "-Q the same partition twice" 64 'ksource -Q -t a:0:5 -t a:0:6' '' 'ksource: -Q -t a:0:6: that partition is asked about twice'
te "-Q -G" 64 'ksource -Q -G g -t a:0:5' '' 'ksource: -Q -G: -L -G shows a group'
te "-L, unreachable: 69" 69 'ksource -L -b 127.0.0.1:1' '' 'ksource: cannot reach Kafka at 127.0.0.1:1'
# help that helps
t "--help: every option on a line, and the man page" 0 'ksource --help | sed -n "/^  -t, --topic/p; /^  --progress/p; \$p"' '' '  -t, --topic topic           a topic to read; repeatable
  --progress                  live status on standard error
See ksource(1) for the whole story: man ksource'
t "--help has a line for every option of the synopsis" 0 'ksource --help > help || exit; sed -n "/^  -/p" help > h; ksource --bogus 2> u; [ $? = 64 ] || exit; n=0; for o in $(grep -v unrecognized u | grep -oE -- "(^|[ [])--?[A-Za-z][a-z-]*" | tr -d " [" | sort -u); do n=$((n + 1)); grep -qE -- "(^|[ ,])$o( |,|\$)" h || echo "missing $o"; done; [ $n -gt 20 ] && echo done' '' 'done'
te "a mistyped long option: the nearest" 64 'ksource -t a --porgress' '' 'ksource: did you mean --progress?'
te "a mistyped long option with a value" 64 'ksource -t a --offst=5' '' 'ksource: did you mean --offset?'
t "nothing near: no suggestion" 64 'ksource -t a --zzzzzz 2> err; rc=$?; grep -q "usage: ksource" err || exit 1; grep -c "did you mean" err; exit $rc' '' '0'
