#!/usr/bin/python3
"""Reference model of window-agg's event-time rules, written from Flink's
documented semantics and independent of the C code. Reads NDJSON records
with fields k (key), v (number) and t (epoch ms) on stdin and prints the
rows window-agg prints with:
    --key k --time-field t --time-format ms -a s=sum(v) -a n=count() -a m=max(v)
and the window options given here:
    window_ref.py tumble SIZE | hop SIZE SLIDE | session GAP   [DELAY [LATENESS]]
Rules (Flink, with an exclusive window end):
  - watermark = max event time seen - delay, advanced after each record;
  - a window fires when watermark >= end; its state is kept until
    watermark >= end + lateness; a record for a fired window inside the
    lateness updates it and its row is printed again at once;
  - a record whose every window is past end + lateness is late (dropped);
  - sessions: [t, t+gap) merge with every session of the key they overlap
    or touch;
  - rows that fire together come out in order of end, key, start;
  - at end of input every window not yet fired fires.
"""
import json
import sys
from decimal import Decimal

NEG = float("-inf")


def fmt_dec(d):
    d = d.normalize()
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class State:
    def __init__(self, key, start, end):
        self.key, self.start, self.end = key, start, end
        self.s, self.n, self.m = Decimal(0), 0, None
        self.fired = False

    def add(self, v):
        self.s += v
        self.n += 1
        self.m = v if self.m is None or v > self.m else self.m

    def merge(self, o):
        self.s += o.s
        self.n += o.n
        if o.m is not None and (self.m is None or o.m > self.m):
            self.m = o.m

    def row(self):
        return "{%s,\"window_start\":%d,\"window_end\":%d,\"s\":%s,\"n\":%d,\"m\":%s}" % (
            self.key, self.start, self.end, fmt_dec(self.s), self.n, fmt_dec(self.m))


def main():
    kind = sys.argv[1]
    a = [int(x) for x in sys.argv[2:]]
    if kind == "hop":
        size, slide, rest = a[0], a[1], a[2:]
    else:
        size, slide, rest = a[0], a[0], a[1:]
    delay = rest[0] if len(rest) > 0 else 0
    lateness = rest[1] if len(rest) > 1 else 0
    states = {}            # (key, start, end) -> State
    wm, maxts = NEG, NEG
    out = sys.stdout

    def fire():
        due = [st for st in states.values() if not st.fired and st.end <= wm]
        due.sort(key=lambda st: (st.end, st.key.encode(), st.start))
        for st in due:
            out.write(st.row() + "\n")
            st.fired = True
        for k in [k for k, st in states.items() if st.fired and st.end + lateness <= wm]:
            del states[k]

    for line in sys.stdin:
        r = json.loads(line, parse_float=Decimal)
        key = "\"k\":" + json.dumps(r["k"], ensure_ascii=False)
        v, t = Decimal(r["v"]), int(r["t"])
        if kind == "session":
            end = t + size
            if end + lateness <= wm:
                pass   # late
            else:
                mine = [st for st in states.values() if st.key == key
                        and not (st.fired and st.end + lateness <= wm)
                        and st.start <= end and st.end >= t]
                new = State(key, t, end)
                for st in mine:
                    del states[(st.key, st.start, st.end)]
                    new.merge(st)
                    new.start, new.end = min(new.start, st.start), max(new.end, st.end)
                new.add(v)
                states[(key, new.start, new.end)] = new
                if new.end <= wm:
                    out.write(new.row() + "\n")
                    new.fired = True
        else:
            first = t - ((t % slide) + slide) % slide
            starts = []
            s = first
            while s > t - size:
                starts.append(s)
                s -= slide
            for s in reversed(starts):
                if s + size + lateness <= wm:
                    continue
                st = states.setdefault((key, s, s + size), State(key, s, s + size))
                st.add(v)
                if st.end <= wm:
                    out.write(st.row() + "\n")
                    st.fired = True
        maxts = max(maxts, t)
        wm = max(wm, maxts - delay)
        fire()
    wm = float("inf")
    fire()


main()
