#!/usr/bin/python3
"""window-agg's aggregates against Python's statistics and decimal.

agg_ref.py gen SEED COUNT   random records {"t":..,"k":..,"v":..,"s":..} on
                            stdout, in time order (v: decimals with up to
                            three places, sometimes null or missing; s:
                            short strings, some not ASCII)
agg_ref.py args             the -a options the check expects
agg_ref.py check IN OUT     compare window-agg's rows (tumbling 1 s windows
                            by k, --time-format ms) with a computation of
                            its own; prints how many rows agree, exit 1 on
                            the first difference
"""
import json
import random
import statistics
import sys
from decimal import Decimal, getcontext

getcontext().prec = 80   # exact for these values

AGGS = [
    ("n", "count()"), ("c", "count(v)"), ("s", "sum(v)"), ("a", "avg(v)"),
    ("lo", "min(v)"), ("hi", "max(v)"), ("slo", "min(s)"), ("shi", "max(s)"),
    ("cd", "count_distinct(v)"), ("cds", "count_distinct(s)"),
    ("acd", "approx_count_distinct(s)"), ("la", "listagg(s)"),
    ("la2", "listagg(s, ' | ')"), ("co", "collect(s)"), ("med", "median(v)"),
    ("p0", "percentile(v, 0)"), ("p25", "percentile(v, 0.25)"),
    ("p90", "percentile(v, 0.9)"), ("p1", "percentile(v, 1)"),
    ("vp", "var_pop(v)"), ("vs", "var_samp(v)"), ("sp", "stddev_pop(v)"),
    ("ss", "stddev_samp(v)"), ("ap0", "approx_percentile(v, 0)"),
    ("ap50", "approx_percentile(v, 0.5)"), ("ap90", "approx_percentile(v, 0.9)"),
    ("ap1", "approx_percentile(v, 1)"),
]


def gen(seed, count):
    rnd = random.Random(seed)
    t = 1713654885000
    words = ["a", "b", "ab", "B", "z", "\u00e9t\u00e9", "\u4e2d", "a b", ""]
    for _ in range(count):
        t += rnd.choice([0, 1, 10, 100, 400])
        r = {"t": t, "k": rnd.choice(["x", "y", "z"])}
        u = rnd.random()
        if u < 0.1:
            r["v"] = None
        elif u < 0.9:
            r["v"] = "%d.%03d" % (rnd.randint(-999, 999), rnd.randint(0, 999))
            if rnd.random() < 0.3:
                r["v"] = str(rnd.randint(-5, 5))
        if rnd.random() < 0.8:
            r["s"] = rnd.choice(words) + rnd.choice(words)
        line = json.dumps({k: v for k, v in r.items() if k != "v"},
                          ensure_ascii=False, separators=(",", ":"))
        if "v" in r:
            line = line[:-1] + ',"v":%s}' % ("null" if r["v"] is None else r["v"])
        print(line)


def percentile(vals, p):
    """percentile_cont: linear between the closest ranks."""
    v = sorted(vals)
    pos = Decimal(p) * (len(v) - 1)
    lo = int(pos)
    frac = pos - lo
    if frac == 0 or lo + 1 >= len(v):
        return v[lo]
    return v[lo] + frac * (v[lo + 1] - v[lo])


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def check(inpath, outpath):
    cells = {}
    with open(inpath, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
            key = (int(r["t"]) // 1000 * 1000, r["k"])
            cells.setdefault(key, []).append(r)
    rows = 0
    with open(outpath, encoding="utf-8") as f:
        for line in f:
            got = json.loads(line, parse_float=Decimal, parse_int=Decimal)
            key = (int(got["window_start"]), got["k"])
            recs = cells.pop(key)
            v = [r["v"] for r in recs if r.get("v") is not None]
            s = [r["s"] for r in recs if "s" in r]
            want = {
                "n": len(recs), "c": len(v), "s": sum(v) if v else None,
                "lo": min(v) if v else None, "hi": max(v) if v else None,
                "slo": min(s) if s else None, "shi": max(s) if s else None,
                "cd": len(set(x.normalize() for x in v)),
                "cds": len(set(s)),
                "la": ",".join(s) if s else None,
                "la2": " | ".join(s) if s else None,
                "co": s,
                "med": statistics.median(v) if v else None,
            }
            for name, p in (("p0", "0"), ("p25", "0.25"), ("p90", "0.9"),
                            ("p1", "1")):
                want[name] = percentile(v, p) if v else None
            for name, value in want.items():
                if got[name] != value:
                    sys.exit("%s: %s is %r, Python says %r" %
                             (key, name, got[name], value))
            approx = {
                "a": statistics.mean(v) if v else None,
                "vp": statistics.pvariance(v) if v else None,
                "vs": statistics.variance(v) if len(v) > 1 else None,
                "sp": statistics.pstdev(v) if v else None,
                "ss": statistics.stdev(v) if len(v) > 1 else None,
            }
            for name, value in approx.items():
                if (got[name] is None) != (value is None) or (
                        value is not None and
                        not close(float(got[name]), float(value))):
                    sys.exit("%s: %s is %r, Python says %r" %
                             (key, name, got[name], value))
            # the sketch: within 1% of the value at rank floor(P * (n - 1))
            for name, p in (("ap0", 0), ("ap50", 0.5), ("ap90", 0.9),
                            ("ap1", 1)):
                want = sorted(v)[int(p * (len(v) - 1))] if v else None
                if (got[name] is None) != (want is None) or (
                        want is not None and
                        abs(float(got[name]) - float(want)) >
                        0.01 * abs(float(want))):
                    sys.exit("%s: %s is %r, the value at its rank is %r" %
                             (key, name, got[name], want))
            exact = len(set(s))
            if abs(got["acd"] - exact) > max(1, exact * 0.05):
                sys.exit("%s: acd is %s, exactly %d" % (key, got["acd"], exact))
            rows += 1
    if cells:
        sys.exit("rows missing: %s" % sorted(cells)[:5])
    print("%d rows agree with Python's statistics and decimal" % rows)


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "args":
        for name, fn in AGGS:
            print("-a\n%s=%s" % (name, fn))
    else:
        check(sys.argv[2], sys.argv[3])
