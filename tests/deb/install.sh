#!/bin/bash
# make deb-check: the package installed into this machine with dpkg -i,
# used from its installed paths only (PATH is /usr/bin:/bin, the work
# folder is outside the tree), purged, and nothing of it left.
#	bash tests/deb/install.sh ./kappa-pipes_0.2.0_amd64.deb '0.2.0 (ac339ed)'
# The second argument is what every tool's --version must print after
# its name. Checks: each tool's --version and --help, man -w for each
# page, the bash completion through bash-completion's loader, the
# tutorial's job on the mock broker (kafka-local start; salesgen | ksink;
# ksource -e | window-agg | fxconvert | ksink; ksource reads it back and
# it must equal the same job run without Kafka; replay and resume give
# it too),
# then dpkg --purge: no file of the package left, no directory it made,
# nothing named after it in /usr, /etc or /var.
# It must run as root (CI does, on a throwaway machine): anything else
# fails, loudly. A kappa-pipes installed already fails too: this test
# would remove it.
set -euo pipefail
export LC_ALL=C TZ=UTC
[ $# -eq 2 ] || { echo "usage: tests/deb/install.sh DEB VERSION" >&2; exit 64; }
deb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
version=$2
tools="salesgen ksource ksink window-agg fxconvert kplot"
share=/usr/share/kappa-pipes
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
die() {
	echo "FAIL: $*"
	echo "deb-check: $pass passed, $((fail + 1)) failed"
	exit 1
}
[ "$(id -u)" = 0 ] || die "deb-check must run as root: it installs $1 with dpkg -i (CI runs as root)"
[ -f "$deb" ] || die "no $1 (make deb builds it)"
status() { dpkg-query -W -f='${Status}' kappa-pipes 2>/dev/null || :; }
case $(status) in
""|*" not-installed") ;;
*) die "kappa-pipes is on this machine already ($(status)); dpkg --purge kappa-pipes first" ;;
esac
W=$(mktemp -d)
installed= started=
cleanup() {
	[ -z "$started" ] || KP_STATE=$W/state $share/kafka-local stop >/dev/null 2>&1 || :
	[ -z "$installed" ] || dpkg --purge kappa-pipes >/dev/null 2>&1 || :
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'echo "FAIL: tests/deb/install.sh:$LINENO: exit $? (deb-check: $pass passed, then this)"' ERR
cd "$W"
t0=$(date +%s)

# what the package holds, and which of its paths are here before it
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||; /^$/d' > paths
[ -s paths ] || die "dpkg-deb lists no file in $deb"
while read -r p; do
	if [ -e "$p" ] || [ -L "$p" ]; then echo "$p"; fi
done < paths > before
named() {	# anything named after the package or a tool, outside dpkg's lists
	{ find /usr /etc /var -xdev \( -name '*kappa-pipes*' -o -name 'kafka-mock*' \
	    -o -name 'salesgen*' -o -name 'ksource*' -o -name 'ksink*' \
	    -o -name 'window-agg*' -o -name 'fxconvert*' -o -name 'kplot*' \) \
	    -print 2>/dev/null || :; } | sort	# (a file gone while find looks is no error)
}
named > named.before

installed=1
dpkg -i "$deb" > dpkg-i.log 2>&1 || { cat dpkg-i.log; die "dpkg -i $1"; }
ok "dpkg -i $1"
dpkg -L kappa-pipes | grep -vx '/\.' | sort > list
missing=$(while read -r p; do [ -e "$p" ] || [ -L "$p" ] || echo "$p"; done < paths)
[ -z "$missing" ] && ok "all $(wc -l < paths) paths of the package in place" ||
    bad "not installed: $missing"
for f in /usr/share/doc/kappa-pipes/copyright /usr/share/doc/kappa-pipes/changelog.gz \
    $share/kafka-local $share/replay $share/resume $share/kafka/pom.xml \
    /usr/libexec/kappa-pipes/kafka-mock; do
	[ -s "$f" ] || bad "no $f"
done
[ -x $share/kafka-mock ] && ok "$share/kafka-mock runs $(readlink -f $share/kafka-mock)" ||
    bad "$share/kafka-mock is not a program"

# from here on the installed paths only
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
unset KAFKA_BROKERS KCAT_CONFIG KP_BIN KP_MOCK
for t in $tools; do
	[ "$(command -v "$t")" = "/usr/bin/$t" ] || bad "$t is $(command -v "$t"), not /usr/bin/$t"
	v=$("$t" --version) || bad "$t --version: exit $?"
	[ "$v" = "$t $version" ] && ok "$v" || bad "$t --version: '$v', not '$t $version'"
	rc=0; "$t" --help > help.out 2> help.err || rc=$?
	if [ $rc -eq 0 ] && head -1 help.out | grep -q "^usage: $t " && [ ! -s help.err ]; then
		ok "$t --help: $(wc -l < help.out) lines"
	else
		bad "$t --help: exit $rc, $(head -1 help.out) $(head -1 help.err)"
	fi
	m=$(man -w "$t" 2>&1) || :
	[ "$m" = "/usr/share/man/man1/$t.1.gz" ] && ok "man -w $t: $m" || bad "man -w $t: $m"
done
m=$(man -w 7 kappa-pipes 2>&1) || :
[ "$m" = /usr/share/man/man7/kappa-pipes.7.gz ] && ok "man -w 7 kappa-pipes: $m" ||
    bad "man -w 7 kappa-pipes: $m"
# (man -l: `man ksource` run as root would leave a formatted copy in
# /var/cache/man, which is man-db's, not the package's)
rc=0; man -l /usr/share/man/man1/ksource.1.gz > man.out 2> /dev/null || rc=$?
[ $rc -eq 0 ] && grep -q '^ *ksource .*Kafka' man.out && ok "man ksource: $(wc -l < man.out) lines" ||
    bad "man ksource: exit $rc, $(head -3 man.out)"

# bash completion, found where bash-completion's loader looks for it
c=$(bash -c '. /usr/share/bash-completion/bash_completion
	for t in '"$tools"'; do _completion_loader "$t"; complete -p "$t"; done
	COMP_WORDS=(ksource --pro); COMP_CWORD=1; _kappa_pipes; echo "${COMPREPLY[*]}"' 2>&1) || :
want="$(for t in $tools; do echo "complete -F _kappa_pipes $t"; done)
--progress --property"
[ "$c" = "$want" ] && ok "bash completion: 6 tools, ksource --pro<TAB> is --progress --property" ||
    bad "bash completion: got
$c"

# the tutorial's job on the mock broker, from the installed scripts
export KP_STATE=$W/state
started=1
KAFKA_BROKERS=$($share/kafka-local start sales-usd:1 sales-euros:4 resumed:4 2> kafka-local.err) ||
    { cat kafka-local.err; die "$share/kafka-local start"; }
export KAFKA_BROKERS
ok "$share/kafka-local start: $KAFKA_BROKERS"
salesgen -n 5000 -r 0 --seed 25 --start-ts 1713654885000 > in.nd
ksink -t sales-usd -k seller_id --ts-field sale_ts < in.nd
job() {
	window-agg --tumble 6s --key seller_id --time-field sale_ts \
	    -a 'window_sales=sum(amount_usd)' | fxconvert -f window_sales --rate 0.85
}
job < in.nd | sort > want
ksource -t sales-usd -o beginning -e | job | ksink -t sales-euros -k seller_id
ksource -t sales-euros -o beginning -e | sort > got
n=$(wc -l < got)
if [ "$n" -gt 0 ] && cmp -s want got; then
	ok "salesgen | ksink; ksource -e | window-agg | fxconvert | ksink; ksource: $n windows, as without Kafka"
else
	bad "sales-euros: $n lines, $(wc -l < want) wanted"; diff want got | head -5 || :
fi
TOPIC=sales-usd $share/replay replay.nd 2> replay.err || bad "$share/replay: $(cat replay.err)"
sort replay.nd | cmp -s want - && ok "$share/replay: the same $n windows" ||
    bad "$share/replay: $(wc -l < replay.nd) lines, not the job's $n"
ONCE=1 TOPIC=sales-usd SINK_TOPIC=resumed PARTITIONS=1 $share/resume 2> resume.err ||
    bad "$share/resume: $(cat resume.err)"
m=$(ksource -t resumed -o beginning -e | wc -l)
[ "$m" -eq "$n" ] && ok "$share/resume: the same $n windows" || bad "$share/resume: $m windows, not $n"
$share/kafka-local stop > /dev/null 2>&1 || bad "$share/kafka-local stop"
started=
$share/kafka-local status > /dev/null 2>&1 && bad "the broker still runs after stop" ||
    ok "$share/kafka-local stop"

# purge: nothing of the package left
dpkg --purge kappa-pipes > purge.log 2>&1 || { cat purge.log; die "dpkg --purge kappa-pipes"; }
installed=
case $(status) in
""|*" not-installed") ok "dpkg --purge kappa-pipes" ;;
*) bad "after dpkg --purge: $(status)" ;;
esac
left=$(while read -r p; do
	if [ -e "$p" ] || [ -L "$p" ]; then
		[ -d "$p" ] && [ ! -L "$p" ] && grep -qxF "$p" before || echo "$p"
	fi
done < list)
[ -z "$left" ] && ok "all $(wc -l < list) paths dpkg -L listed are gone (but the $(wc -l < before) directories there before)" ||
    bad "left after purge: $left"
named > named.after
diff named.before named.after > named.diff && ok "nothing named after it left in /usr /etc /var" ||
    bad "after purge: $(cat named.diff)"

echo "deb-check: $(( $(date +%s) - t0 ))s"
echo "deb-check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
