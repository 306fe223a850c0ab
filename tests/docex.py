#!/usr/bin/env python3
"""docex.py: the shell examples of the docs, as tests (like jq's
docs/build_mantests.py).

    python3 tests/docex.py OUTDIR FILE...

reads each FILE -- README.md's ```sh blocks, a man page's .Bd -literal
blocks under .Sh EXAMPLES -- and writes one OUTDIR/NNN.sh per example
(a block; a blank line in a block starts another example) and
OUTDIR/list, one line an example: NNN<TAB>MODE<TAB>FILE:LINE<TAB>NOTE.

MODE is "run", "endless" or "skip". A marker just before the block (a
".\\" example: ..." line in a man page, an "<!-- example: ... -->" line in
Markdown) says what the test cannot give it:

    example: not run: REASON    skip; REASON is shown and counted
    example: endless            a live job or an endless stream: the
                                runner stops it after a few seconds
                                (timeout) and counts that as its end
    example: in the source tree the example runs in the repository's
                                folder, not in a scratch one (NOTE "tree")

Every other example must run to its end and exit 0. No other change is
made to an example's text: what runs is what the reader sees, roff's
escapes (\\e, \\-, \\&) undone.
"""
import os
import re
import sys

MARK_MAN = re.compile(r'^\.\\"\s*example:\s*(.*?)\s*$')
MARK_MD = re.compile(r'^<!--\s*example:\s*(.*?)\s*-->\s*$')


def unroff(line):
    out = []
    i = 0
    while i < len(line):
        c = line[i]
        if c != '\\':
            out.append(c)
            i += 1
            continue
        nxt = line[i + 1:i + 2]
        if nxt == 'e':
            out.append('\\')
            i += 2
        elif nxt in ('-', '.'):
            out.append(nxt)
            i += 2
        elif nxt == '&':
            i += 2
        elif nxt == '(':
            name = line[i + 2:i + 4]
            out.append({'aq': "'", 'dq': '"', 'ti': '~', 'ha': '^',
                        'mu': '*'}.get(name, '?'))
            i += 4
        else:
            sys.exit('docex: unknown roff escape \\%s in: %s' % (nxt, line))
    return ''.join(out)


def blocks_man(path):
    """(line, marks, text lines) of each literal block under EXAMPLES"""
    inex = False
    marks = []
    block = None
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if line.startswith('.Sh '):
            inex = line == '.Sh EXAMPLES'
            marks = []
            continue
        if not inex:
            continue
        if block is not None:
            if line.startswith('.Ed'):
                yield start, marks, block
                block, marks = None, []
            elif line.startswith('.'):
                sys.exit('%s:%d: a macro inside an example' % (path, n))
            else:
                block.append(unroff(line))
            continue
        m = MARK_MAN.match(line)
        if m:
            marks.append(m.group(1))
        elif line.startswith('.Bd -literal'):
            block, start = [], n + 1
        elif line.startswith('.Bd'):
            sys.exit('%s:%d: an example not in .Bd -literal' % (path, n))


def blocks_md(path):
    marks = []
    block = None
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if block is not None:
            if line.startswith('```'):
                yield start, marks, block
                block, marks = None, []
            else:
                block.append(line)
            continue
        m = MARK_MD.match(line)
        if m:
            marks.append(m.group(1))
        elif line.startswith('```sh'):
            block, start = [], n + 1
        elif line.strip():
            marks = []


def examples(path):
    gen = blocks_md if path.endswith('.md') else blocks_man
    for start, marks, lines in gen(path):
        mode, note = 'run', ''
        for m in marks:
            if m.startswith('not run:'):
                mode, note = 'skip', m[len('not run:'):].strip()
            elif m == 'endless':
                mode = 'endless'
            elif m == 'in the source tree':
                note = 'tree'
            else:
                sys.exit('%s:%d: unknown example marker: %s'
                         % (path, start - 1, m))
        part, first = [], start
        for i, line in enumerate(lines + ['']):
            if line.strip():
                if not part:
                    first = start + i
                part.append(line)
            elif part:
                yield first, mode, note, '\n'.join(part) + '\n'
                part = []


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: docex.py outdir file...')
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    k = 0
    with open(os.path.join(out, 'list'), 'w') as lst:
        for path in sys.argv[2:]:
            for line, mode, note, text in examples(path):
                k += 1
                name = '%03d' % k
                with open(os.path.join(out, name + '.sh'), 'w') as f:
                    f.write(text)
                lst.write('%s\t%s\t%s:%d\t%s\n' % (name, mode, path, line,
                                                   note))
    if k == 0:
        sys.exit('docex: no example found')


main()
