# --version: every tool prints the same "RELEASE (COMMIT)", from one place
# (the Makefile's VERSION): the release of debian/changelog's newest entry,
# the commit git's (none outside git).
rel=$(awk -F'[()]' 'NR == 1 { print $2 }' "$T/../debian/changelog")
commit=$([ -e "$T/../.git" ] && git -C "$T/.." rev-parse --short HEAD 2>/dev/null || :)
t "every tool: the release and the commit" 0 'for t in salesgen ksource ksink window-agg fxconvert kplot; do $t --version; done | sed "s/^[a-z-]* //" | uniq -c | sed "s/^ *//"' '' "6 $rel${commit:+ ($commit)}"
t "the release is NEWS's newest" 0 'sed -n "/^[0-9]/{s/ .*//p;q;}" "$T/../NEWS"' '' "$rel"
