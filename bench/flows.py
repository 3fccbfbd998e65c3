# SPDX-License-Identifier: MIT
"""The flows benchmark of `make bench`: a server that accepts N connections
recorded by one `sockscope record`, its client recorded by another, then
`sockscope report` over both, which stitches the two ends of every
connection into a flow.  At N/10 and N, so the table shows how the time
grows (n log n: the ends are sorted) and that memory stays bounded.  The
client's ports are reused past the ~28,000 of the ephemeral range: the
lifetimes decide which server end is whose.

As root, the two talk over an address of a network namespace made for
the run, and a copy of the client's recording moved to another host (its
clock 57 s off, as tests/lib/traceedit.py does) is reported with the
server's too: the stitch across hosts, with its clock estimate.  Each
set is also reported once with --format html: its time and the page's
size (aggregated past 5,000 connections, so it stays small)."""

import json
import os
import re
import shutil
import uuid
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
import traceedit  # noqa: E402

ADDR = "10.213.78.1"
SKEW = 57123456789


class FlowStitch:
    name = "flows"

    def __init__(self, build, connections=100000):
        self.build, self.connections = build, connections
        self.sockscope = os.path.join(build, "sockscope")
        self.micro = os.path.join(build, "bench", "micro")

    def available(self):
        return all(os.path.exists(p) for p in (self.sockscope, self.micro, "/usr/bin/time"))

    def netns(self):
        """A network namespace with ADDR, as root: its name, else None."""
        if os.geteuid() != 0 or not shutil.which("ip"):
            return None
        ns = "ss-bench-%s" % uuid.uuid4().hex[:8]
        for cmd in (["ip", "netns", "add", ns], ["ip", "-n", ns, "link", "set", "lo", "up"],
                    ["ip", "-n", ns, "addr", "add", ADDR + "/32", "dev", "lo"]):
            if subprocess.run(cmd, capture_output=True).returncode != 0:
                subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
                return None
        return ns

    def record_pair(self, tmp, n, ns):
        """Record the server and its client; returns the two trace dirs."""
        a, b = os.path.join(tmp, "server"), os.path.join(tmp, "client")
        wrap = ["ip", "netns", "exec", ns] if ns else []
        env = dict(os.environ, MICRO_ADDR=ADDR) if ns else dict(os.environ)
        srv = subprocess.Popen(wrap + [self.sockscope, "record", "-q", "--block", "-o", a, "--",
                                       self.micro, "serve", str(n)], stdout=subprocess.PIPE,
                               text=True, env=env)
        try:
            port = int(srv.stdout.readline().split()[1])
            env["MICRO_PORT"] = str(port)
            subprocess.run(wrap + [self.sockscope, "record", "-q", "--block", "-o", b, "--",
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
        hosts = json.loads(out).get("hosts", [])
        h = hosts[1] if len(hosts) > 1 else {}
        lo, hi = h.get("offset_min_ns"), h.get("offset_max_ns")
        clock = None if lo is None or hi is None else (lo <= SKEW <= hi, hi - lo)
        return secs, maxrss_kb / 1024.0, flows, paired, clock

    def html(self, dirs, tmp):
        """The HTML report over dirs, once: (seconds, size of the page in kB)."""
        page = os.path.join(tmp, "report.html")
        t0 = time.monotonic()
        subprocess.run([self.sockscope, "report", "--format", "html", "-o", page] + dirs,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        secs = time.monotonic() - t0
        return secs, os.path.getsize(page) / 1000.0

    def measure(self, rounds, scale):
        res = []
        ns = self.netns()
        try:
            for n in (max(100, int(self.connections * scale / 10)), int(self.connections * scale)):
                tmp = tempfile.mkdtemp(prefix="sockscope-bench-")
                try:
                    print("# flows: recording %d connections" % n, file=sys.stderr, flush=True)
                    dirs = list(self.record_pair(tmp, n, ns))
                    sets = [(1, dirs)]
                    if ns:  # the client's recording as another host's
                        moved = os.path.join(tmp, "moved")
                        shutil.copytree(dirs[1], moved)
                        host = self.hostname(dirs[1])
                        traceedit.move_host(moved, "x" * len(host), SKEW)
                        sets.append((2, [dirs[0], moved]))
                    for hosts, d in sets:
                        runs = [self.report(d, tmp) for _ in range(rounds)]
                        html_s, html_kb = self.html(d, tmp)
                        res.append({"connections": n, "hosts": hosts,
                                    "median_s": round(statistics.median(r[0] for r in runs), 3),
                                    "max_rss_mb": round(max(r[1] for r in runs), 1),
                                    "flows": runs[0][2], "paired": runs[0][3],
                                    "clock": runs[0][4],
                                    "html_s": round(html_s, 3), "html_kb": round(html_kb)})
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
        finally:
            if ns:
                subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
        return res

    @staticmethod
    def hostname(tree):
        """The hostname in the first metadata under tree."""
        for root, _, files in os.walk(tree):
            if "metadata" in files:
                with open(os.path.join(root, "metadata"), "rb") as f:
                    m = re.search(rb'hostname = "([^"]*)";', f.read())
                if m:
                    return m.group(1).decode()
        raise RuntimeError("%s: no hostname in its metadata" % tree)

    @staticmethod
    def show(res):
        print("\nFlows: a server and its client in two recordings, `sockscope report` over "
              "both (median of the rounds):\n")
        print("| connections | hosts | report s | us/connection | max RSS MB | flows "
              "| paired, agreeing | clock: truth within, width | html s | html kB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
        for r in res:
            c = r.get("clock")
            print("| %d | %d | %.2f | %.1f | %.0f | %d | %d | %s | %s | %s |" % (
                r["connections"], r.get("hosts", 1), r["median_s"],
                1e6 * r["median_s"] / r["connections"], r["max_rss_mb"], r["flows"], r["paired"],
                "-" if not c else "%s, %.1f us" % ("yes" if c[0] else "NO", c[1] / 1e3),
                r.get("html_s", "-"), r.get("html_kb", "-")))
