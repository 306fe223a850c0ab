# kplot: window rows as a text chart and an SVG file
tg "text chart of window-agg's rows, one series a seller" 0 'kplot -y sales -k seller_id -w 70 -H 16 < "$T/data/kplot-windows.ndjson"' '' kplot-windows.txt
tg "the SVG file" 0 'kplot -y sales -k seller_id --svg out.svg < "$T/data/kplot-windows.ndjson" && cat out.svg' '' kplot-windows.svg
t "the SVG is XML: a line and a legend entry a series, a dot a point" 0 'kplot -y sales -k seller_id --svg out.svg < "$T/data/kplot-windows.ndjson"; python3 -c "import sys, xml.dom.minidom as m; d = m.parse(\"out.svg\"); print(len(d.getElementsByTagName(\"polyline\")), len(d.getElementsByTagName(\"circle\")), sorted(t.firstChild.data for t in d.getElementsByTagName(\"text\") if t.firstChild.data in (\"DEN\", \"KC\", \"LNK\", \"OMA\")))"' '' "4 44 ['DEN', 'KC', 'LNK', 'OMA']"
t "times in ms, one series, the title" 0 'kplot -y v -x t -w 40 -H 8 --title "v over t"' '{"t":1000,"v":1}
{"t":3000,"v":3}
{"t":2000,"v":2}' 'v over t
3|                                 *****
 |                        *********     
2|          **************              
1|**********                            
 +--------------------------------------
  00:00:01                      00:00:03
* v'
t "a time seen again replaces its value (an updated window)" 0 'kplot -y v -x t -w 40 -H 8' '{"t":1000,"v":1}
{"t":2000,"v":5}
{"t":2000,"v":1}' 'v
1.1|                                    
   |                                    
  1|************************************
0.9|                                    
   +------------------------------------
    00:00:01                    00:00:02
* v'
te "bad rows: the reason, and on" 0 'kplot -y v -x t -w 40 -H 8 > /dev/null' '{"t":1000,"v":1}
{"t":1000}
{"v":2}
{"t":"soon","v":2}
not json
{"t":2000,"v":"2"}' 'kplot: <stdin>:2: value field v: missing'
te "bad rows: a bad time" 0 'kplot -y v -x t -w 40 -H 8 > /dev/null' '{"t":1000,"v":1}
{"t":"soon","v":2}' 'kplot: <stdin>:2: time field t: '
te "--on-error abort" 65 'kplot -y v -x t --on-error abort > /dev/null' '{"t":1000,"v":1}
{"v":2}' 'kplot: <stdin>:2: time field t: missing'
te "no -y" 64 'kplot' '' 'kplot: name the number to plot with -y field'
te "nothing to draw" 0 'kplot -y v' '' 'kplot: no rows to draw'
te "more keys than colours" 0 'i=0; while [ $i -lt 14 ]; do echo "{\"t\":1000,\"k\":$i,\"v\":1}"; i=$((i + 1)); done | kplot -y v -x t -k k > /dev/null' '' 'kplot: 2 rows of keys past the first 12 not drawn'
te "an SVG file that cannot be written" 74 'kplot -y v -x t --svg /nonexistent/x.svg' '{"t":1000,"v":1}' 'kplot: --svg /nonexistent/x.svg'
t "help lists every option and the man page" 0 'kplot --help | tail -1' '' 'See kplot(1) for the whole story: man kplot'
t "live on a terminal: drawn in place" 0 'printf "\033[H" > home; { echo "{\"t\":1000,\"v\":1}"; sh $T/until.sh 10 "grep -qF -f home tty.out"; echo "{\"t\":2000,\"v\":2}"; } | script -qc "kplot -y v -x t -w 40 -H 8" /dev/null > tty.out; n=$(tr "\033" E < tty.out | grep -o "E\[H" | wc -l); [ "$n" -ge 3 ] && echo "redrawn in place"' '' 'redrawn in place'
t "the SVG is written while rows arrive, not only at the end" 0 '{ echo "{\"t\":1000,\"v\":1}"; sh $T/until.sh 10 "[ -s out.svg ]" && echo saved > saved; } | kplot -y v -x t --svg out.svg > /dev/null; cat saved' '' 'saved'
# control lines of an exactly-once job (kappa-pipes(7)) are not rows
t "control lines are passed over, quietly" 0 'printf "%s\n" "{\"kp_control\":\"assign\",\"topic\":\"a\",\"partition\":0}" "{\"t\":1000,\"v\":1}" "{\"kp_control\":\"fence\",\"_pos\":\"a !f\"}" "{\"t\":2000,\"v\":2}" | kplot -y v -x t -w 40 -H 8 > out 2> err; cat err; printf "%s\n" "{\"t\":1000,\"v\":1}" "{\"t\":2000,\"v\":2}" | kplot -y v -x t -w 40 -H 8 | cmp - out && echo same' '' 'same'
t "control lines under --on-error abort" 0 'printf "%s\n" "{\"kp_control\":\"revoke\",\"topic\":\"a\",\"fence\":\"f\"}" "{\"t\":1000,\"v\":1}" | kplot -y v -x t -w 40 -H 8 --on-error abort | tail -1' '' '* v'
# the legend wraps at the width: every series named, the chart -H lines
t "the legend names all 12 series at 80 columns, in -H lines" 0 'for s in LNK OMA KC DEN Lincoln Omaha KansasCity Denver Boulder Wichita Topeka SiouxFalls; do echo "{\"t\":1000,\"k\":\"$s\",\"v\":1}"; echo "{\"t\":2000,\"k\":\"$s\",\"v\":2}"; done | kplot -y v -x t -k k -w 80 -H 20 > out; wc -l < out; awk "length > 80" out | wc -l; for s in LNK OMA KC DEN Lincoln Omaha KansasCity Denver Boulder Wichita Topeka SiouxFalls; do grep -c "[^ ] $s\\b" out; done | sort -u' '' '20
0
1'
