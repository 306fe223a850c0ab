#!/usr/bin/python3
"""Reference for the tutorial job on event time, independent of the C code:
reads salesgen records on stdin, prints one line per (6 s window, seller):
'<window_start_ms> <seller> <sum(amount_usd) * rate>' sorted, with the sum
and product in exact decimal arithmetic. Usage: euro_windows.py [RATE]"""
import json
import sys
from decimal import Decimal

rate = Decimal(sys.argv[1]) if len(sys.argv) > 1 else Decimal("0.85")
sums = {}
for line in sys.stdin:
    r = json.loads(line)
    k = (r["sale_ts"] // 6000 * 6000, r["seller_id"])
    sums[k] = sums.get(k, Decimal(0)) + Decimal(str(r["amount_usd"]))
for (start, seller), s in sorted(sums.items()):
    v = format((s * rate).normalize(), "f")
    print(start, seller, v)
