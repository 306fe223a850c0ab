"""sinklag.py TOPIC N RATE KSINK... : ksink's lag on a live stream.

Writes N records at RATE a second into a ksink command (the rest of the
arguments, run with stdin a pipe from here), each record holding
"w": the wall-clock time it was written, in microseconds; reads the
topic with `ksource -t TOPIC -o end` (started first, ready when it has
said nothing for a moment is not trusted: the first record is written only
after ksource has read a probe record). Per record: the time it was read
back minus "w". Prints "N MEDIAN_MS MAX_MS" and exits 0, or 1 when a
record did not come back within 10 s.
"""

import json
import os
import subprocess
import sys
import threading
import time


def main(argv):
    topic, n, rate = argv[1], int(argv[2]), float(argv[3])
    sink = argv[4:]
    bindir = os.path.dirname(sink[0])
    src = subprocess.Popen([os.path.join(bindir, "ksource"), "-t", topic,
                            "-o", "end"], stdout=subprocess.PIPE, bufsize=0)
    snk = subprocess.Popen(sink, stdin=subprocess.PIPE, bufsize=0)
    lags = []
    ready = threading.Event()
    done = threading.Event()

    def reader():
        for line in src.stdout:
            now = time.time_ns() // 1000
            r = json.loads(line)
            if "probe" in r:
                ready.set()
                continue
            lags.append((now - r["w"]) / 1000.0)
            if len(lags) == n:
                done.set()
                return

    threading.Thread(target=reader, daemon=True).start()
    # ksource -o end reads from the end as of its start: probe until one
    # comes back, so no measured record is written before it reads
    while not ready.wait(0.5):
        snk.stdin.write(b'{"probe":1}\n')
    for i in range(n):
        t = time.time_ns() // 1000
        snk.stdin.write(b'{"seq":%d,"w":%d}\n' % (i, t))
        time.sleep(max(0.0, 1.0 / rate - (time.time_ns() // 1000 - t) / 1e6))
    ok = done.wait(10)
    snk.stdin.close()
    snk.wait()
    src.terminate()
    src.wait()
    if not ok:
        print("sinklag.py: %d of %d records came back" % (len(lags), n),
              file=sys.stderr)
        return 1
    lags.sort()
    print("%d %.2f %.2f" % (n, lags[n // 2], lags[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
