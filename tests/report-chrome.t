#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# report --format chrome, the Trace Event Format that Perfetto and
# chrome://tracing open: of a recording with clients and a server, every
# event has ph, ts, pid and tid; there is one complete event per call the
# JSON report counts, one async track per connection it lists (id
# PID:SOCK), one flow event pair per flow with both ends, and each
# process is named.
import json
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("chrome")
env.need_sessiond()
rc, out, err, trace = sstools.record(env, [sstools.NET, "conns", "3", "100"], "conns")
t.is_(rc, 0, "ss-net conns records") or t.diag(err)
rep = sstools.report_json(trace)
page = os.path.join(env.tmp, "trace.json")
rc, o, e = sstools.report(trace, ["--format", "chrome", "-o", page])
t.is_((rc, o), (0, ""), "report --format chrome -o FILE writes the file alone") or t.diag(e)
with open(page) as f:
    doc = json.load(f)
ev = doc.get("traceEvents", [])
t.ok(ev and all(all(k in x for k in ("ph", "ts", "pid", "tid")) for x in ev),
     "%d events, each with ph, ts, pid and tid" % len(ev))
by = {}
for x in ev:
    by.setdefault(x["ph"], []).append(x)
t.is_(len(by.get("X", [])), sum(s["calls"] for s in rep["syscalls"]),
      "one complete event per call the JSON report counts")
t.ok(all(x["dur"] >= 0 and x["name"] for x in by.get("X", [])), "each with its name and duration")
conns = {"%d:%d" % (c["pid"], c["sock"]) for c in rep["connections"]}
t.is_(sorted(x["id"] for x in by.get("b", [])), sorted(conns),
      "one async track per connection, named PID:SOCK")
t.is_(sorted(x["id"] for x in by.get("e", [])), sorted(conns), "each one ended")
both = [f for f in rep["flows"] if f["client"] and f["server"]]
t.is_((len(by.get("s", [])), len(by.get("f", []))), (len(both), len(both)),
      "a flow event pair per flow with both ends (%d)" % len(both))
pids = {p["pid"] for p in rep["processes"]}
t.is_({x["pid"] for x in by.get("M", []) if x["name"] == "process_name"}, pids,
      "every process named")
t.ok(all(x["ts"] > 0 for x in ev if x["ph"] in "Xbe"), "times on the trace clock, in us")
t.done()
