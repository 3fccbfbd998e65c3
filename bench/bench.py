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
description of the machine.
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

import workloads as wl

TOP = wl.TOP
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import sstest  # noqa: E402  (session daemon and session helpers)

BUILD = sstest.BUILD
MICRO = os.path.join(BUILD, "bench", "micro")
SOCKSCOPE = os.path.join(BUILD, "sockscope")


class Config:
    """How a workload is run: environment, command prefix, and the LTTng
    session (if any) that is active meanwhile.  cost: how much slower than
    bare a micro workload runs, to scale its iterations down; server_cost
    the same for servers."""

    def __init__(self, name, desc, preload=False, env=None, prefix=None, session=None,
                 needs=None, cost=1.0, server_cost=1.0, servers=True, record=False):
        self.name, self.desc, self.record = name, desc, record
        self.preload, self.env, self.prefix = preload, env or {}, prefix or []
        self.session = session  # None, or dict(events=..., filter=...)
        self.needs = needs
        self.cost, self.server_cost, self.servers = cost, server_cost, servers

    def available(self):
        if self.record:
            return os.path.exists(SOCKSCOPE)
        return not self.needs or shutil.which(self.needs) is not None

    def argv(self, argv, tmp):
        """The command line of one run; tmp is a directory of the run's own."""
        if self.record:
            return [SOCKSCOPE, "record", "-q", "-o", os.path.join(tmp, "trace"), "--"] + argv
        return self.prefix + argv

    def environ(self):
        e = dict(os.environ)
        e.pop("LD_PRELOAD", None)
        if self.preload:
            # As record does: the preload alone, which follows forks itself.
            e["LD_PRELOAD"] = sstest.PRELOAD
        e.update(self.env)
        return e


REC_TAG = str(4000000 + os.getpid())
STRACE = ["strace", "-f", "-qq", "-o", "/dev/null"]

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
           session={"events": "sockscope:*", "filter": "$app.sockscope:rec == " + REC_TAG}),
    Config("record", "sockscope record (default buffers)", record=True),
    Config("strace", "strace -f", prefix=STRACE, needs="strace", cost=40, server_cost=5),
    Config("strace-net", "strace -f -e trace=%net",
           prefix=STRACE[:3] + ["-e", "trace=%net"] + STRACE[3:], needs="strace", cost=40,
           server_cost=5),
    Config("ltrace", "ltrace -f", prefix=["ltrace", "-f", "-o", "/dev/null"], needs="ltrace",
           cost=200, servers=False),
]

WORKLOADS = [
    wl.Micro("getsockopt", 1000000, MICRO),
    wl.Micro("sendrecv", 300000, MICRO, unit="ns/send+recv"),
    wl.Micro("connect", 20000, MICRO, unit="ns/connect+accept+2 close"),
    wl.Micro("read-file", 2000000, MICRO),
    wl.Micro("syscall-getpid", 2000000, MICRO),
    wl.Micro("syscall-futex", 2000000, MICRO),
    wl.Start(BUILD),
    wl.Echo(BUILD),
    wl.Redis(),
    wl.Nginx(),
]
READING = wl.TraceReading(BUILD, 10000000)

# (metric, config): the goal, shown beside the figure, never asserted.
GOALS = {
    ("getsockopt", "traced"): "+150 ns",
    ("sendrecv", "traced"): "+300 ns (2 calls)",
    ("getsockopt", "no-daemon"): "+40 ns",
    ("sendrecv", "no-daemon"): "+80 ns (2 calls)",
    ("read-file", "no-daemon"): "+5 ns",
    ("read-file", "traced"): "+5 ns",
    ("syscall-getpid", "no-daemon"): "+2 ns",
    ("syscall-futex", "no-daemon"): "+2 ns",
    ("start /bin/true", "idle"): "+1000 us",
    ("start empty C", "idle"): "+1000 us",
    ("start python3", "idle"): "+1000 us",
    ("redis SET", "traced-rec"): "≥ 0.90x",
    ("redis GET", "traced-rec"): "≥ 0.90x",
    ("nginx", "traced-rec"): "≥ 0.90x",
    ("echo messages", "record"): "0 discarded",
    ("redis SET", "record"): "≥ 0.90x",
    ("redis GET", "record"): "≥ 0.90x",
    ("nginx", "record"): "≥ 0.90x",
}


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
        "clocksource": clock, "glibc": platform.libc_ver()[1],
        "lttng": cmd(["lttng", "--version"]).splitlines()[0] if shutil.which("lttng") else "",
        "strace": cmd(["strace", "-V"]).splitlines()[0] if shutil.which("strace") else "",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="a tenth of the work per run")
    ap.add_argument("--only", default="", help="comma-separated workloads")
    ap.add_argument("--configs", default="", help="comma-separated configurations (bare always)")
    ap.add_argument("--trace-events", type=int, default=READING.events,
                    help="events in the trace of the reading benchmark")
    ap.add_argument("--out", default=os.path.join(TOP, "bench", "results", "latest.json"))
    a = ap.parse_args()
    scale = 0.1 if a.quick else 1.0
    READING.events = a.trace_events
    works = [w for w in WORKLOADS if (not a.only or w.name in a.only.split(","))
             and getattr(w, "available", lambda: True)()]
    configs = [c for c in CONFIGS if c.available() and
               (not a.configs or c.name in a.configs.split(",") or c.name == "bare")]
    skipped = [c.name for c in CONFIGS if not c.available()] + \
        [w.name for w in WORKLOADS if not getattr(w, "available", lambda: True)()]
    env = sstest.Env("bench")
    env.need_sessiond()

    samples, traces = {}, {}
    for rnd in range(a.rounds):
        print("# round %d/%d" % (rnd + 1, a.rounds), file=sys.stderr, flush=True)
        for c in configs:
            with Session(env, c.session):
                for w in works:
                    if isinstance(w, wl.Server) and not c.servers:
                        continue
                    if c.name not in getattr(w, "configs", (c.name,)):
                        continue
                    tmp = tempfile.mkdtemp(prefix="sockscope-bench-")
                    try:
                        for metric, v in w.run(c, c.environ(), scale, tmp).items():
                            samples.setdefault((metric, c.name), []).append(v)
                        if c.record:
                            rep = READING.report(os.path.join(tmp, "trace"))
                            t = traces.setdefault(w.name, {"events": [], "lost_events": []})
                            t["events"].append(rep["events"])
                            t["lost_events"].append(rep["lost_events"])
                    finally:
                        shutil.rmtree(tmp, ignore_errors=True)
    reading = measure_reading(a, scale) if "report" in (a.only or "report").split(",") \
        and READING.available() else None

    med = {k: statistics.median(v) for k, v in samples.items()}
    rows = [(m, w) for w in works for m in w.metrics]
    results = []
    for metric, w in rows:
        base = med[(metric, "bare")]
        for c in configs:
            if (metric, c.name) not in med:
                continue
            m = med[(metric, c.name)]
            results.append({"metric": metric, "unit": unit(w, metric), "better": w.better,
                            "config": c.name, "median": round(m, 1),
                            "over_bare": round(m - base, 1), "ratio": round(m / base, 3),
                            "samples": [round(x, 1) for x in samples[(metric, c.name)]],
                            "goal": GOALS.get((metric, c.name), "")})
    print_table(rows, configs, med)
    if traces:
        print("\nsockscope record, default buffers: events and discarded events per run\n")
        print("| workload | events (median) | discarded (max) |")
        print("|---|---:|---:|")
        for name, t in traces.items():
            print("| %s | %d | %d |" % (name, statistics.median(t["events"]), max(t["lost_events"])))
    if reading:
        print_reading(reading)
    if skipped:
        print("\n(not measured, command missing: %s)" % ", ".join(skipped))
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"machine": machine(), "rounds": a.rounds, "quick": a.quick,
                   "configs": {c.name: c.desc for c in configs}, "results": results,
                   "record_traces": traces, "reading": reading}, f,
                  indent=1, ensure_ascii=False)
        f.write("\n")
    print("\nwritten: %s" % os.path.relpath(a.out, TOP))


def measure_reading(a, scale):
    """Trace reading: one trace, every reader once per round, interleaved."""
    tmp = tempfile.mkdtemp(prefix="sockscope-bench-")
    try:
        READING.events = int(READING.events * scale)
        print("# recording %d events for the reading benchmark" % READING.events,
              file=sys.stderr, flush=True)
        trace, facts = READING.record(tmp)
        times = {r: [] for r in READING.readers}
        rss = {r: 0.0 for r in READING.readers}
        for rnd in range(a.rounds):
            print("# reading round %d/%d" % (rnd + 1, a.rounds), file=sys.stderr, flush=True)
            for r in READING.readers:
                t, m = READING.read(r, trace)
                times[r].append(t)
                rss[r] = max(rss[r], m)
        out = dict(facts)
        out["readers"] = {r: {"median_s": round(statistics.median(times[r]), 3),
                              "events_per_s": round(facts["events"] / statistics.median(times[r])),
                              "max_rss_mb": round(rss[r], 1),
                              "samples_s": [round(x, 3) for x in times[r]]}
                          for r in READING.readers}
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def print_reading(rd):
    print("\nReading a trace of %d events (%d discarded, %.1f bytes/event):\n" % (
        rd["events"], rd["lost_events"], rd["bytes_per_event"]))
    print("| reader | median s | events/s | max RSS MB | goal |")
    print("|---|---:|---:|---:|---|")
    base = rd["readers"]["babeltrace2 counter"]["median_s"]
    for r, v in rd["readers"].items():
        goal = ""
        if r == "sockscope report":
            goal = "≥ 3M events/s, ≤ 2x counter (%.2fx), ≤ 100 MB" % (v["median_s"] / base)
        print("| %s | %.2f | %.2fM | %.0f | %s |" % (r, v["median_s"], v["events_per_s"] / 1e6,
                                                 v["max_rss_mb"], goal))


def unit(w, metric):
    return getattr(w, "units", {}).get(metric, w.unit)


def cell(w, metric, c, med):
    if (metric, c.name) not in med:
        return "—"
    m, base = med[(metric, c.name)], med[(metric, "bare")]
    if c.name == "bare":
        text = "%.0f" % m
    elif w.better == "lower":
        text = "%.0f (%+.0f)" % (m, m - base)
    else:
        text = "%.0f (%.2fx)" % (m, m / base)
    goal = GOALS.get((metric, c.name))
    return text + (" goal %s" % goal if goal else "")


def print_table(rows, configs, med):
    print("Median of the rounds. ns: (+ns over bare); per second: (x bare)\n")
    print("| workload | unit | " + " | ".join(c.name for c in configs) + " |")
    print("|---|---|" + "---:|" * len(configs))
    for metric, w in rows:
        print("| %s | %s | %s |" % (metric, unit(w, metric),
                                    " | ".join(cell(w, metric, c, med) for c in configs)))
    print()
    for c in configs:
        print("- %s: %s" % (c.name, c.desc))


if __name__ == "__main__":
    main()
