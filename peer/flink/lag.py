"""lag.py TOPIC... < ksource -J output

Processing-time emission lag per sink topic: for each row, the time it was
read here (wall clock) minus its window_end ("yyyy-MM-dd HH:mm:ss", UTC).
The rows of the first window seen in each topic are skipped (the job may
have started in the middle of it); after that, WINDOWS (env, default 5)
windows per topic are taken. Prints one line per topic, in the order
given: "TOPIC ROWS MEDIAN_MS MAX_MS", and exits when every topic is done.
"""

import calendar
import json
import os
import sys
import time


def end_ms(s):
    t = time.strptime(s[:19], "%Y-%m-%d %H:%M:%S")
    ms = calendar.timegm(t) * 1000
    if len(s) > 20:
        ms += int(s[20:23].ljust(3, "0"))
    return ms


def main(argv):
    topics = argv[1:]
    want = int(os.environ.get("WINDOWS", "5"))
    first = {}
    ends = {t: set() for t in topics}
    lags = {t: [] for t in topics}
    done = set()
    for line in sys.stdin:
        now = time.time() * 1000
        r = json.loads(line)
        t = r["topic"]
        if t not in ends or t in done:
            continue
        e = end_ms(r["payload"]["window_end"])
        if t not in first:
            first[t] = e
        if e == first[t]:
            continue
        ends[t].add(e)
        if len(ends[t]) > want:
            done.add(t)
            if len(done) == len(topics):
                break
            continue
        lags[t].append(now - e)
    for t in topics:
        v = sorted(lags[t])
        if not v:
            print("%s 0 - -" % t)
        else:
            print("%s %d %.0f %.0f" % (t, len(v), v[len(v) // 2], v[-1]))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
