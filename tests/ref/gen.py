#!/usr/bin/python3
"""Random out-of-order streams for the window-agg reference test:
gen.py SEED COUNT MAXDISORDER -> NDJSON {"k":..,"v":..,"t":..} on stdout."""
import random
import sys

seed, count, disorder = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
t = 1713654885000
for i in range(count):
    t += rnd.choice([0, 1, 7, 50, 100, 250, 999, 1000, 3000])
    ts = t - rnd.randint(0, disorder)
    v = rnd.choice(["1", "0.1", "2.25", "-3", "100", "0.05", "7e1"])
    print('{"k":"%s","v":%s,"t":%d}' % (rnd.choice(["a", "b", "c", "d\\u00e9"]), v, ts))
