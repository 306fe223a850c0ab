# At the terminal: window-agg --progress, and the --help of salesgen and
# fxconvert (ksource, ksink and kplot have theirs in their own files).
# --progress off a terminal: a plain line at most once a second while
# input waits, a summary at the end; on a terminal one line in place
t "window-agg --progress: status while input waits, then the summary" 0 '{ printf "{\"k\":\"a\",\"t\":1000}\n{\"k\":\"b\",\"t\":2000}\n"; sh $T/until.sh 10 "[ -s err ]"; printf "{\"k\":\"a\",\"t\":90000000}\n"; } | window-agg --tumble 1d -k k -t t --progress 2>err >/dev/null; sed "s|, [0-9]*/s,|, R/s,|; s| in [0-9.]* s$| in T s|" err' '' 'window-agg: 2 records in, R/s, watermark 1970-01-01 00:00:02, 2 open rows, 0 late, 0 rows out
window-agg: 3 records in, 3 rows out, 0 late in T s'
t "window-agg --progress in processing time" 0 '{ printf "{\"k\":\"a\"}\n"; sh $T/until.sh 10 "[ -s err ]"; } | window-agg --tumble 1h -k k --progress 2>err >/dev/null; head -1 err | sed "s|, [0-9]*/s,|, R/s,|"' '' 'window-agg: 1 records in, R/s, processing time, 1 open rows, 0 late, 0 rows out'
t "window-agg without --progress says nothing" 0 'printf "{\"k\":\"a\",\"t\":1}\n" | window-agg --tumble 1d -k k -t t 2>&1 >/dev/null | wc -c' '' '0'
t "window-agg --progress on a terminal: one line, rewritten" 0 '{ printf "{\"k\":\"a\",\"t\":1000}\n"; sh $T/until.sh 10 "[ \$(tr \"\\r\" \"\\n\" < tty.out | grep -c \"^window-agg: 1 records in\") -ge 3 ]"; } | script -qc "window-agg --tumble 1d -k k -t t --progress > /dev/null" /dev/null > tty.out; n=$(tr "\r" "\n" < tty.out | grep -c "^window-agg: 1 records in"); [ "$n" -ge 3 ] && grep -q "$(printf "\033")\[K" tty.out && echo "in place"' '' 'in place'
# --help of salesgen and fxconvert: every option on a line, the man page
t "salesgen --help" 0 'salesgen --help | sed -n "/^  --seed/p; \$p"' '' '  --seed N                    the same seed, the same records
See salesgen(1) for the whole story: man salesgen'
t "fxconvert --help" 0 'fxconvert --help | sed -n "/^  --max-age/p; \$p"' '' '  --max-age duration          oldest rate used (7d)
See fxconvert(1) for the whole story: man fxconvert'
