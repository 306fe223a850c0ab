"""compare.py OURS FLINK [OURS_LATE FLINK_LATE]

Compares the rows of a kappa-pipes replay (OURS, NDJSON from window-agg |
fxconvert) with the rows Flink wrote (FLINK): the set of (seller_id,
window_end) must be the same, and each window_sales equal within 1e-9
relative (Flink sums DOUBLEs, kappa-pipes exact decimals), and every row
must have the same fields in the same order (window-agg --window-fields end
gives Flink's seller_id, window_end, window_sales). With OURS_LATE and
FLINK_LATE, the sets of late-dropped records, named by (partition, offset)
(a ksource -J envelope or a flat record), must be the same too.
Prints what differs and exits 1, else prints a summary and exits 0.
The other side is named "flink" unless $PEER names it (peer/quix/check).
Only the Python standard library is used.
"""

import json
import os
import sys
from decimal import Decimal

REL = 1e-9
PEER = os.environ.get("PEER", "flink")


def rows(path, shapes):
    out = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line, parse_float=Decimal)
            shapes.add(tuple(r))
            k = (r["seller_id"], r["window_end"])
            if k in out:
                sys.exit("compare: %s:%d: window %s twice" % (path, n, k))
            out[k] = Decimal(r["window_sales"])
    return out


def lates(path):
    out = set()
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                out.add((int(r["partition"]), int(r["offset"])))
    return out


def main(argv):
    if len(argv) not in (3, 5):
        sys.exit(__doc__.split("\n")[0])
    so, sf = set(), set()
    ours, flink = rows(argv[1], so), rows(argv[2], sf)
    bad = 0
    if so | sf and (len(so | sf) != 1):
        print("fields differ: ours %s, %s %s" % (sorted(so), PEER, sorted(sf)))
        bad += 1
    for k in sorted(set(ours) | set(flink)):
        a, b = ours.get(k), flink.get(k)
        if a is None or b is None:
            print("only in %s: %s %s %s" % (PEER if a is None else "ours",
                  k[0], k[1], b if a is None else a))
            bad += 1
        elif abs(a - b) > Decimal(REL) * max(abs(a), abs(b)):
            print("differs: %s %s ours %s %s %s" % (k[0], k[1], a, PEER, b))
            bad += 1
    msg = "%d rows" % len(ours)
    if len(argv) == 5:
        lo, lf = lates(argv[3]), lates(argv[4])
        for p, o in sorted(lo - lf):
            print("late only in ours: partition %d offset %d" % (p, o))
        for p, o in sorted(lf - lo):
            print("late only in flink: partition %d offset %d" % (p, o))
        bad += len(lo ^ lf)
        msg += ", %d late records" % len(lo)
    if bad:
        print("compare: %d differences (ours %s)" % (bad, msg))
        return 1
    print("compare: the same %s" % msg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
