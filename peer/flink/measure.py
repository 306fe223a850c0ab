"""measure.py [--first CMD]... -- CMD...

Runs CMD (given to sh -c) and prints one line: "SECONDS PEAK_KIB
FIRST_SECONDS...": the wall time until CMD ended, the peak of the summed
resident memory of CMD and all its descendants (sampled every 50 ms from
/proc), and, for each --first in the order given, the time until that
command ended (started just before CMD; e.g. a consumer that exits on the
first row in the sink topic), or -1 when it had not ended with CMD.
Only the Python standard library is used.
"""

import os
import subprocess
import sys
import time


def tree_rss_kib(root):
    """The summed VmRSS of root and all its descendants."""
    parent, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                st = f.read()
            # after the command name: state ppid ...
            parent[int(pid)] = int(st[st.rindex(")") + 2:].split()[1])
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss[int(pid)] = int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            pass
    total = 0
    for pid in rss:
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += rss[pid]
    return total


def main(argv):
    firsts = []
    while len(argv) > 2 and argv[1] == "--first":
        firsts.append(argv[2])
        argv = argv[0:1] + argv[3:]
    if len(argv) < 3 or argv[1] != "--":
        sys.exit(__doc__.split("\n")[0])
    cmd = " ".join(argv[2:])
    fps = [subprocess.Popen(["sh", "-c", f]) for f in firsts]
    t0 = time.monotonic()
    p = subprocess.Popen(["sh", "-c", cmd])
    peak, first_s = 0, [-1.0] * len(fps)
    while p.poll() is None:
        peak = max(peak, tree_rss_kib(p.pid))
        for i, fp in enumerate(fps):
            if first_s[i] < 0 and fp.poll() is not None:
                first_s[i] = time.monotonic() - t0
        time.sleep(0.05)
    secs = time.monotonic() - t0
    for i, fp in enumerate(fps):
        if first_s[i] < 0 and fp.poll() is not None:
            first_s[i] = secs
        if fp.poll() is None:
            fp.kill()
            fp.wait()
    print(" ".join(["%.3f %d" % (secs, peak)] + ["%.3f" % f for f in first_s]))
    return p.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
