#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""sockscope benchmarks, side by side in one run.

Every workload runs under every configuration that applies to it (bare;
the floors: two idle threads, liblttng-ust loaded idle, one minimal UST
event per call with and without contexts; preloaded without a session
daemon, preloaded with a daemon but no session, with a session whose events
are not ours, every event enabled, `sockscope record`; strace -f, ...),
interleaved: each round runs every configuration once, so a slow minute of a
shared machine weighs on all of them alike.  A micro workload's figure is
the best (minimum) of the rounds: on a shared machine noise only adds time;
a server's, a start's or record's is the median.  Ratios and distances are
what to read; absolute numbers depend on the machine.

Prints a markdown table and writes bench/results/latest.json with a
description of the machine.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import workloads as wl  # noqa: E402
from flows import FlowStitch  # noqa: E402

TOP = wl.TOP
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import sstest  # noqa: E402  (session daemon and session helpers)

BUILD = sstest.BUILD
MICRO = os.path.join(BUILD, "bench", "micro")
MICRO_UST = os.path.join(BUILD, "bench", "micro-ust")
SOCKSCOPE = os.path.join(BUILD, "sockscope")


class Config:
    """How a workload is run: environment, command prefix, and the LTTng
    session (if any) that is active meanwhile.  cost: how much slower than
    bare a micro workload runs, to scale its iterations down; server_cost
    the same for servers.  micro: the micro program to run instead of
    bench/micro; only: the workloads it applies to (None: all that accept
    it); micro_only: micro workloads only."""

    def __init__(self, name, desc, preload=False, env=None, prefix=None, session=None,
                 needs=None, cost=1.0, server_cost=1.0, servers=True, record=False,
                 micro=None, only=None, micro_only=False):
        self.name, self.desc, self.record = name, desc, record
        self.preload, self.env, self.prefix = preload, env or {}, prefix or []
        self.session = session  # None, or dict(events=..., filter=..., contexts=...)
        self.needs = needs
        self.cost, self.server_cost, self.servers = cost, server_cost, servers
        self.micro, self.only, self.micro_only = micro, only, micro_only

    @property
    def sockscope(self):
        """Whether sockscope is in the process (a configuration of ours)."""
        return self.preload or self.record

    def available(self):
        if self.record:
            return os.path.exists(SOCKSCOPE)
        if self.micro:
            return os.path.exists(self.micro)
        return not self.needs or shutil.which(self.needs) is not None

    def applies(self, w):
        if self.only is not None and w.name not in self.only:
            return False
        if self.micro_only and not isinstance(w, wl.Micro):
            return False
        if isinstance(w, wl.Server) and not self.servers:
            return False
        return self.name in getattr(w, "configs", (self.name,))

    def argv(self, argv, tmp, force=False):
        """The command line of one run; tmp is a directory of the run's own.
        force: record even a command that looks untraceable."""
        if self.record:
            return [SOCKSCOPE, "record", "-q", "-o", os.path.join(tmp, "trace")] + \
                (["--force"] if force else []) + ["--"] + argv
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

# LTTng's own floor: a minimal event (bench-tp.h) after each getsockopt.
UST_MIN = {"events": "sockscope_bench:min", "contexts": ()}

CONFIGS = [
    Config("bare", "no preload"),
    Config("threads", "no preload, two idle threads (an in-process tracer's helpers)",
           env={"MICRO_THREADS": "2"}, micro_only=True),
    Config("ust-idle", "micro-ust: liblttng-ust loaded, session daemon, no session",
           micro=MICRO_UST, only=("getsockopt",)),
    Config("ust-min", "micro-ust: one minimal UST event (two integers) per call, no context",
           micro=MICRO_UST, only=("getsockopt",), session=UST_MIN),
    Config("ust-ctx2", "micro-ust: the same event with contexts vpid, vtid (what sockscope's "
           "events now carry in their payload instead)",
           micro=MICRO_UST, only=("getsockopt",),
           session=dict(UST_MIN, contexts=("vpid", "vtid"))),
    Config("ust-ctx", "micro-ust: the same event with contexts vpid, vtid, procname",
           micro=MICRO_UST, only=("getsockopt",),
           session=dict(UST_MIN, contexts=("vpid", "vtid", "procname"))),
    Config("no-daemon", "preloaded, no session daemon (probes not loaded)", preload=True,
           env={"SOCKSCOPE_PROBES": "off"}),
    Config("idle", "preloaded, session daemon, no session", preload=True),
    Config("disabled", "preloaded, a session recording other events", preload=True,
           session={"events": "sockscope_none:none"}),
    Config("traced", "preloaded, every sockscope event enabled, no filter, no context",
           preload=True, session={"events": "sockscope:*", "contexts": ()}),
    Config("traced-rec", "as `sockscope record`: every event, filter on the tag "
           "$app.sockscope:rec, no context", preload=True,
           env={"SOCKSCOPE_REC": REC_TAG},
           session={"events": "sockscope:*", "filter": "$app.sockscope:rec == " + REC_TAG,
                    "contexts": ()}),
    Config("connecting", "as traced-rec, while another socket of the process connects "
           "(MICRO_CONNECTING=1): the readiness calls look at what they report",
           preload=True, env={"SOCKSCOPE_REC": REC_TAG, "MICRO_CONNECTING": "1"},
           session={"events": "sockscope:*", "filter": "$app.sockscope:rec == " + REC_TAG,
                    "contexts": ()}, only=("poll", "epoll")),
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
    wl.Micro("poll", 2000000, MICRO),
    wl.Micro("epoll", 2000000, MICRO),
    wl.Start(BUILD),
    wl.RecordShort(BUILD, SOCKSCOPE),
    wl.Echo(BUILD),
    wl.Redis(),
    wl.Nginx(),
]
READING = wl.TraceReading(BUILD, 10000000)
FLOWS = FlowStitch(BUILD, 100000)


class Goal:
    """A goal of issue 12 or before, shown beside its figure, never
    asserted.  over: the configuration it is measured from (bare unless
    said); the cell then shows the distance to it too."""

    def __init__(self, text, over="bare"):
        self.text, self.over = text, over


PER_CALL = Goal("≤ +150 ns")
PER_PAIR = Goal("≤ +300 ns (2 calls)")
OVER_THREADS = Goal("≤ +10 ns over threads", over="threads")
RECORD_SHORT = Goal("≤ +250 ms")
# (metric, config): its goal.
GOALS = {
    ("getsockopt", "record"): PER_CALL,
    ("sendrecv", "record"): PER_PAIR,
    ("getsockopt", "traced-rec"): PER_CALL,
    ("sendrecv", "traced-rec"): PER_PAIR,
    ("read-file", "record"): OVER_THREADS,
    ("read-file", "traced-rec"): OVER_THREADS,
    ("getsockopt", "no-daemon"): Goal("≤ +40 ns"),
    ("sendrecv", "no-daemon"): Goal("≤ +80 ns (2 calls)"),
    ("read-file", "no-daemon"): Goal("≤ +5 ns"),
    ("syscall-getpid", "no-daemon"): Goal("≤ +2 ns"),
    ("syscall-futex", "no-daemon"): Goal("≤ +2 ns"),
    ("poll", "no-daemon"): Goal("≤ +5 ns"),
    ("epoll", "no-daemon"): Goal("≤ +5 ns"),
    ("poll", "traced-rec"): Goal("≤ +5 ns"),
    ("epoll", "traced-rec"): Goal("≤ +5 ns"),
    ("start /bin/true", "idle"): Goal("≤ +1000 us"),
    ("start empty C", "idle"): Goal("≤ +1000 us"),
    ("start python3", "idle"): Goal("≤ +1000 us"),
    ("record short empty C", "record"): RECORD_SHORT,
    ("record short /bin/true", "record"): RECORD_SHORT,
    ("redis SET", "traced-rec"): Goal("≥ 0.90x"),
    ("redis GET", "traced-rec"): Goal("≥ 0.90x"),
    ("nginx", "traced-rec"): Goal("≥ 0.90x"),
    ("echo messages", "record"): Goal("0 discarded"),
    ("redis SET", "record"): Goal("≥ 0.90x"),
    ("redis GET", "record"): Goal("≥ 0.90x"),
    ("nginx", "record"): Goal("≥ 0.90x"),
}
# Bytes per event of record's traces, per workload.
BYTES_GOALS = {"getsockopt": "≤ 40", "sendrecv": "≤ 40"}
# The reading goal: events/s, times babeltrace2's counter, memory.
READING_GOAL = (3e6, 1.5, 100)
# The floors a sockscope configuration's getsockopt is compared with.
FLOORS = ("ust-min", "ust-ctx2", "ust-ctx")


class Session:
    """An LTTng session active while one measurement runs.  discarded: the
    events its channel discarded (a floor that drops events is cheaper
    than it should be), None without a session."""

    def __init__(self, env, spec):
        self.env, self.spec, self.discarded = env, spec, None

    def __enter__(self):
        if self.spec:
            kw = {"contexts": self.spec["contexts"]} if "contexts" in self.spec else {}
            self.name, self.out = self.env.session(
                "b", events=self.spec["events"], filter=self.spec.get("filter"),
                subbuf="4M", nsub="8", **kw)
        return self

    def __exit__(self, *exc):
        if self.spec:
            self.env.lttng("stop", self.name)
            m = re.search(r"Discarded events: *([0-9]+)", self.env.lttng("list", self.name))
            self.discarded = int(m.group(1)) if m else None
            self.env.lttng("destroy", self.name)
            self.env.sessions.remove(self.name)
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
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="a tenth of the work per run")
    ap.add_argument("--only", default="", help="comma-separated workloads (report: the reading benchmark, flows: the stitching one)")
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

    samples, traces, discarded = {}, {}, {}
    for rnd in range(a.rounds if works else 0):
        print("# round %d/%d" % (rnd + 1, a.rounds), file=sys.stderr, flush=True)
        for c in configs:
            todo = [w for w in works if c.applies(w)]
            if not todo:
                continue
            with Session(env, c.session) as s:
                for w in todo:
                    run_one(w, c, scale, samples, traces)
            if s.discarded is not None:
                discarded[c.name] = max(discarded.get(c.name, 0), s.discarded)
    reading = measure_reading(a, scale) if "report" in (a.only or "report").split(",") \
        and READING.available() else None
    flows = FLOWS.measure(min(a.rounds, 3), scale) \
        if "flows" in (a.only or "flows").split(",") and FLOWS.available() else None

    rows = [(m, w) for w in works for m in w.metrics]
    fig = {(m, c): summary(w, samples[(m, c)]) for m, w in rows
           for c in (c.name for c in configs) if (m, c) in samples}
    results = []
    for metric, w in rows:
        base = fig[(metric, "bare")]
        for c in configs:
            if (metric, c.name) not in fig:
                continue
            m = fig[(metric, c.name)]
            goal = GOALS.get((metric, c.name))
            results.append({"metric": metric, "unit": unit(w, metric), "better": w.better,
                            "config": c.name, "stat": getattr(w, "stat", "median"),
                            "value": round(m, 1),
                            "over_bare": round(m - base, 1), "ratio": round(m / base, 3),
                            "samples": [round(x, 1) for x in samples[(metric, c.name)]],
                            "goal": goal.text if goal else ""})
    if rows:
        print_table(rows, configs, fig)
    print_floors(configs, fig)
    if discarded:
        print("\nEvents discarded by the sessions of the configurations that have one "
              "(max of the rounds): " + ", ".join("%s %d" % kv for kv in discarded.items()))
    if traces:
        print_traces(traces)
    if reading:
        print_reading(reading)
    if flows:
        FLOWS.show(flows)
    if skipped:
        print("\n(not measured, command missing: %s)" % ", ".join(skipped))
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"machine": machine(), "rounds": a.rounds, "quick": a.quick,
                   "configs": {c.name: c.desc for c in configs}, "results": results,
                   "record_traces": traces, "session_discarded": discarded,
                   "reading": reading, "flows": flows}, f,
                  indent=1, ensure_ascii=False)
        f.write("\n")
    out = os.path.relpath(a.out, TOP)
    print("\nwritten: %s" % (a.out if out.startswith("..") else out))


def run_one(w, c, scale, samples, traces):
    """One run of workload w under configuration c: its metrics into
    samples; under record, what its trace holds into traces."""
    tmp = tempfile.mkdtemp(prefix="sockscope-bench-")
    try:
        for metric, v in w.run(c, c.environ(), scale, tmp).items():
            samples.setdefault((metric, c.name), []).append(v)
        if c.record and getattr(w, "traces", True):
            trace = os.path.join(tmp, "trace")
            rep = READING.report(trace)
            t = traces.setdefault(w.name, {"events": [], "lost_events": [],
                                           "bytes_per_event": []})
            t["events"].append(rep["events"])
            t["lost_events"].append(rep["lost_events"])
            if rep["events"]:  # read-file traces no call
                t["bytes_per_event"].append(round(wl.dir_size(trace) / rep["events"], 1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def summary(w, values):
    """A figure from its rounds: the best for micro workloads, else the median."""
    return min(values) if getattr(w, "stat", "median") == "min" else statistics.median(values)


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
            goal = "≥ %.0fM events/s, ≤ %.1fx counter (%.2fx), ≤ %d MB" % (
                READING_GOAL[0] / 1e6, READING_GOAL[1], v["median_s"] / base, READING_GOAL[2])
        print("| %s | %.2f | %.2fM | %.0f | %s |" % (r, v["median_s"], v["events_per_s"] / 1e6,
                                                 v["max_rss_mb"], goal))


def unit(w, metric):
    return getattr(w, "units", {}).get(metric, w.unit)


def cell(w, metric, c, fig):
    if (metric, c.name) not in fig:
        return "—"
    m, base = fig[(metric, c.name)], fig[(metric, "bare")]
    if c.name == "bare":
        text = "%.0f" % m
    elif w.better == "lower":
        text = "%.0f (%+.0f)" % (m, m - base)
    else:
        text = "%.0f (%.2fx)" % (m, m / base)
    goal = GOALS.get((metric, c.name))
    if goal and goal.over != "bare" and (metric, goal.over) in fig:
        text += " %+.0f over %s" % (m - fig[(metric, goal.over)], goal.over)
    return text + (" goal %s" % goal.text if goal else "")


def print_table(rows, configs, fig):
    print("Micro workloads (ns/...): the best (minimum) of the rounds, since on a shared "
          "machine noise only adds time; start, record short and servers: the median of "
          "the rounds.  ns, us, ms: (+ over bare); per second: (x bare).  A configuration "
          "that does not apply to a workload: —.\n")
    print("| workload | unit | " + " | ".join(c.name for c in configs) + " |")
    print("|---|---|" + "---:|" * len(configs))
    for metric, w in rows:
        print("| %s | %s | %s |" % (metric, unit(w, metric),
                                    " | ".join(cell(w, metric, c, fig) for c in configs)))
    print()
    for c in configs:
        print("- %s: %s" % (c.name, c.desc))


def print_floors(configs, fig):
    """getsockopt under each floor and each sockscope configuration, and
    its distance to LTTng's own floors: what is left to gain."""
    floors = [f for f in FLOORS if ("getsockopt", f) in fig]
    if ("getsockopt", "bare") not in fig or not floors:
        return
    base = fig[("getsockopt", "bare")]
    print("\ngetsockopt over LTTng's floor (ns/call; best of the rounds): a sockscope "
          "configuration less a floor is what sockscope adds to LTTng's own price\n")
    print("| configuration | ns/call | over bare | " +
          " | ".join("over %s" % f for f in floors) + " |")
    print("|---|---:|---:|" + "---:|" * len(floors))
    for c in configs:
        if ("getsockopt", c.name) not in fig or not (c.sockscope or c.name in
                                                    ("threads", "ust-idle") + FLOORS):
            continue
        m = fig[("getsockopt", c.name)]
        over = [("%+.0f" % (m - fig[("getsockopt", f)])) if c.sockscope else ""
                for f in floors]
        print("| %s | %.0f | %+.0f | %s |" % (c.name, m, m - base, " | ".join(over)))


def print_traces(traces):
    print("\nsockscope record, default buffers: what its traces hold per run (bytes: the "
          "trace directory's size)\n")
    print("| workload | events (median) | discarded (max) | bytes/event (median) | goal |")
    print("|---|---:|---:|---:|---|")
    for name, t in traces.items():
        bpe = t["bytes_per_event"]
        print("| %s | %d | %d | %s | %s |" % (
            name, statistics.median(t["events"]), max(t["lost_events"]),
            "%.1f" % statistics.median(bpe) if bpe else "—", BYTES_GOALS.get(name, "")))


if __name__ == "__main__":
    main()
