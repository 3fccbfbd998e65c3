# SPDX-License-Identifier: MIT
"""The flows benchmark of `make bench`: a server that accepts N connections
recorded by one `sockscope record`, its client recorded by another, then
`sockscope report` over both, which stitches the two ends of every
connection into a flow.  At N/10 and N, so the table shows how the time
grows (n log n: the ends are sorted) and that memory stays bounded.  The
client's ports are reused past the ~28,000 of the ephemeral range: the
lifetimes decide which server end is whose."""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


class FlowStitch:
    name = "flows"

    def __init__(self, build, connections=100000):
        self.build, self.connections = build, connections
        self.sockscope = os.path.join(build, "sockscope")
        self.micro = os.path.join(build, "bench", "micro")

    def available(self):
        return all(os.path.exists(p) for p in (self.sockscope, self.micro, "/usr/bin/time"))

    def record_pair(self, tmp, n):
        """Record the server and its client; returns the two trace dirs."""
        a, b = os.path.join(tmp, "server"), os.path.join(tmp, "client")
        srv = subprocess.Popen([self.sockscope, "record", "-q", "--block", "-o", a, "--",
                                self.micro, "serve", str(n)], stdout=subprocess.PIPE, text=True)
        try:
            port = int(srv.stdout.readline().split()[1])
            env = dict(os.environ, MICRO_PORT=str(port))
            subprocess.run([self.sockscope, "record", "-q", "--block", "-o", b, "--",
                            self.micro, "dial", str(n)], env=env, check=True,
                           stdout=subprocess.DEVNULL, timeout=1800)
            if srv.wait(timeout=600) != 0:
                raise RuntimeError("the server's recording failed")
        finally:
            if srv.poll() is None:
                srv.kill()
                srv.wait()
        return a, b

    def report(self, dirs, tmp):
        """One report over dirs: (seconds, max RSS MB, flows, paired).  Its
        RSS as /usr/bin/time reads it: a child forked by this (large)
        Python would count the parent's pages until it execs."""
        rss = os.path.join(tmp, "rss")
        t0 = time.monotonic()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss, self.sockscope, "report",
                              "--format", "json"] + dirs,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out = p.stdout.read()
        status = p.wait()
        secs = time.monotonic() - t0
        if status:
            raise RuntimeError("report failed on %s" % dirs)
        with open(rss) as f:
            maxrss_kb = int(f.read().split()[-1])
        flows, paired = out.count(b'"proto": '), out.count(b'"agree": true')
        return secs, maxrss_kb / 1024.0, flows, paired

    def measure(self, rounds, scale):
        res = []
        for n in (max(100, int(self.connections * scale / 10)), int(self.connections * scale)):
            tmp = tempfile.mkdtemp(prefix="sockscope-bench-")
            try:
                print("# flows: recording %d connections" % n, file=sys.stderr, flush=True)
                dirs = list(self.record_pair(tmp, n))
                runs = [self.report(dirs, tmp) for _ in range(rounds)]
                res.append({"connections": n, "median_s": round(statistics.median(r[0] for r in runs), 3),
                            "max_rss_mb": round(max(r[1] for r in runs), 1),
                            "flows": runs[0][2], "paired": runs[0][3]})
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        return res

    @staticmethod
    def show(res):
        print("\nFlows: a server and its client in two recordings, `sockscope report` over "
              "both (median of the rounds):\n")
        print("| connections | report s | us/connection | max RSS MB | flows | paired, agreeing |")
        print("|---:|---:|---:|---:|---:|---:|")
        for r in res:
            print("| %d | %.2f | %.1f | %.0f | %d | %d |" % (
                r["connections"], r["median_s"], 1e6 * r["median_s"] / r["connections"],
                r["max_rss_mb"], r["flows"], r["paired"]))
