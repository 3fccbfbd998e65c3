#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""sockscope benchmarks, side by side in one run.

Every workload runs under every configuration (bare, preloaded without a
session daemon, preloaded with a daemon but no session, with a session whose
events are not ours, every event enabled, strace -f, ...), interleaved: each
round runs every configuration once, so a slow minute of a shared machine
weighs on all of them alike.  A figure is the median of the rounds (at least
5).  Ratios are what to read; absolute numbers depend on the machine.

Prints a markdown table and writes bench/results/latest.json with a
description of the machine.  Usage: bench.py [--rounds N] [--quick]
[--only WORKLOAD,...] [--out FILE]
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
PRELOAD = os.path.join(BUILD, "libsockscope-preload.so")
MICRO = os.path.join(BUILD, "bench", "micro")
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import sstest  # noqa: E402  (session daemon and session helpers)


class Config:
    """How a workload is run: environment, command prefix, and the LTTng
    session (if any) that is active meanwhile."""

    def __init__(self, name, desc, preload=False, env=None, prefix=None, session=None,
                 needs=None, cost=1.0):
        self.name, self.desc = name, desc
        self.preload, self.env, self.prefix = preload, env or {}, prefix or []
        self.session = session  # None, or dict(events=..., filter=...)
        self.needs = needs      # a command that must exist
        self.cost = cost        # how much slower than bare, to scale N down

    def available(self):
        return not self.needs or shutil.which(self.needs) is not None


REC_TAG = str(4000000 + os.getpid())

CONFIGS = [
    Config("bare", "no preload"),
    Config("no-daemon", "preloaded, no session daemon (probes not loaded)", preload=True,
           env={"SOCKSCOPE_PROBES": "off"}),
    Config("idle", "preloaded, session daemon, no session", preload=True),
    Config("disabled", "preloaded, a session recording other events", preload=True,
           session={"events": "sockscope_none:none"}),
    Config("traced", "preloaded, every sockscope event enabled", preload=True,
           session={"events": "sockscope:*"}),
    Config("traced-rec", "as `sockscope record`: every event, filter on rec", preload=True,
           env={"SOCKSCOPE_REC": REC_TAG},
           session={"events": "sockscope:*", "filter": "rec == " + REC_TAG}),
    Config("strace", "strace -f", prefix=["strace", "-f", "-qq", "-o", "/dev/null"],
           needs="strace", cost=40),
    Config("strace-net", "strace -f -e trace=%net",
           prefix=["strace", "-f", "-qq", "-e", "trace=%net", "-o", "/dev/null"],
           needs="strace", cost=40),
    Config("ltrace", "ltrace -f", prefix=["ltrace", "-f", "-o", "/dev/null"],
           needs="ltrace", cost=200),
]

# name: (argv after the program, iterations for bare, unit, goal text)
MICRO_WORKLOADS = {
    "getsockopt": 1000000,
    "sendrecv": 300000,
    "connect": 20000,
    "read-file": 2000000,
}
GOALS = {
    ("getsockopt", "traced"): "+150 ns",
    ("sendrecv", "traced"): "+150 ns",
    ("getsockopt", "no-daemon"): "+40 ns",
    ("sendrecv", "no-daemon"): "+40 ns",
    ("read-file", "no-daemon"): "+5 ns",
    ("read-file", "traced"): "+5 ns",
}


def run_micro(env, cfg, workload, scale):
    n = max(1000, int(MICRO_WORKLOADS[workload] * scale / cfg.cost))
    e = dict(os.environ)
    e.pop("LD_PRELOAD", None)
    if cfg.preload:
        e["LD_PRELOAD"] = PRELOAD
    e.update(cfg.env)
    r = subprocess.run(cfg.prefix + [MICRO, workload, str(n)], env=e, capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError("%s under %s failed: %s" % (workload, cfg.name, r.stderr.strip()))
    return float(r.stdout.split()[-1])


class Session:
    """An LTTng session active while one measurement runs."""

    def __init__(self, env, spec):
        self.env, self.spec = env, spec

    def __enter__(self):
        if self.spec:
            self.name, self.out = self.env.session(
                "b", events=self.spec["events"], filter=self.spec.get("filter"),
                subbuf="4M", nsub="8")
        return self

    def __exit__(self, *exc):
        if self.spec:
            self.env.stop(self.name)
            shutil.rmtree(self.out, ignore_errors=True)


def machine():
    def cmd(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        with open("/sys/devices/system/clocksource/clocksource0/current_clocksource") as f:
            clock = f.read().strip()
    except OSError:
        clock = ""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "kernel": platform.release(), "cpu": cpu, "cpus": os.cpu_count(),
        "clocksource": clock,
        "glibc": platform.libc_ver()[1],
        "lttng": cmd(["lttng", "--version"]).splitlines()[0] if shutil.which("lttng") else "",
        "strace": cmd(["strace", "-V"]).splitlines()[0] if shutil.which("strace") else "",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="a tenth of the iterations")
    ap.add_argument("--only", default="", help="comma-separated workloads")
    ap.add_argument("--out", default=os.path.join(TOP, "bench", "results", "latest.json"))
    a = ap.parse_args()
    scale = 0.1 if a.quick else 1.0
    workloads = [w for w in MICRO_WORKLOADS if not a.only or w in a.only.split(",")]
    configs = [c for c in CONFIGS if c.available()]
    missing = [c.name for c in CONFIGS if not c.available()]
    env = sstest.Env("bench")
    env.need_sessiond()

    samples = {(w, c.name): [] for w in workloads for c in configs}
    for rnd in range(a.rounds):
        print("# round %d/%d" % (rnd + 1, a.rounds), file=sys.stderr, flush=True)
        for c in configs:
            with Session(env, c.session):
                for w in workloads:
                    samples[(w, c.name)].append(run_micro(env, c, w, scale))

    med = {k: statistics.median(v) for k, v in samples.items()}
    results = []
    for w in workloads:
        base = med[(w, "bare")]
        for c in configs:
            m = med[(w, c.name)]
            results.append({"workload": w, "config": c.name, "ns_per_call": round(m, 1),
                            "over_bare_ns": round(m - base, 1), "ratio": round(m / base, 3),
                            "samples": [round(x, 1) for x in samples[(w, c.name)]],
                            "goal": GOALS.get((w, c.name), "")})
    print_table(workloads, configs, med)
    if missing:
        print("\n(not measured, command missing: %s)" % ", ".join(missing))
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"machine": machine(), "rounds": a.rounds, "quick": a.quick,
                   "configs": {c.name: c.desc for c in configs}, "micro": results}, f, indent=1)
        f.write("\n")
    print("\nwritten: %s" % os.path.relpath(a.out, TOP))


def print_table(workloads, configs, med):
    print("ns per call, median of the rounds; (+ns over bare)\n")
    print("| workload | " + " | ".join(c.name for c in configs) + " |")
    print("|---|" + "---:|" * len(configs))
    for w in workloads:
        base = med[(w, "bare")]
        cells = []
        for c in configs:
            m = med[(w, c.name)]
            cell = "%.0f" % m if c.name == "bare" else "%.0f (%+.0f)" % (m, m - base)
            goal = GOALS.get((w, c.name))
            if goal:
                cell += " goal %s" % goal
            cells.append(cell)
        print("| %s | %s |" % (w, " | ".join(cells)))
    print()
    for c in configs:
        print("- %s: %s" % (c.name, c.desc))


if __name__ == "__main__":
    main()
