"""measure.py [--first CMD] -- CMD...

Runs CMD (given to sh -c) and prints one line: "SECONDS PEAK_KIB
FIRST_SECONDS": the wall time until CMD ended, the peak of the summed
resident memory of CMD and all its descendants (sampled every 50 ms from
/proc), and, with --first, the time until the command
FIRST ended (started just before CMD; e.g. a consumer that exits on the
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
    first = None
    if len(argv) > 2 and argv[1] == "--first":
        first, argv = argv[2], argv[2:]
    if len(argv) < 3 or argv[1] != "--":
        sys.exit(__doc__.split("\n")[0])
    cmd = " ".join(argv[2:])
    fp = subprocess.Popen(["sh", "-c", first]) if first else None
    t0 = time.monotonic()
    p = subprocess.Popen(["sh", "-c", cmd])
    peak, first_s = 0, -1.0
    while p.poll() is None:
        peak = max(peak, tree_rss_kib(p.pid))
        if fp is not None and first_s < 0 and fp.poll() is not None:
            first_s = time.monotonic() - t0
        time.sleep(0.05)
    secs = time.monotonic() - t0
    if fp is not None and first_s < 0 and fp.poll() is not None:
        first_s = secs
    if fp is not None and fp.poll() is None:
        fp.kill()
        fp.wait()
    print("%.3f %d %.3f" % (secs, peak, first_s))
    return p.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
