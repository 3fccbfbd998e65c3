#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# A recording made by the first event layout (fd, 64-bit serials, dur_ns and
# rec on every event, level and optname as text, the procname context)
# still reads: tests/fixtures/layout1 is the echo server and its clients
# (scripts/echo-pair.sh) recorded by that layout.  Its report is what it
# was then, to the nanosecond; and the same programs recorded now, in the
# lean layout (start_ns, no procname: names from exec events), give the
# same rows.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

FIXTURE = os.path.join(sstest.TOP, "tests", "fixtures", "layout1")
t = sstest.Tap()

rep = sstools.report_json(FIXTURE)
t.is_((rep["events"], rep["lost_events"]), (1715, 0), "the old recording: 1715 events, none lost")
t.is_(sorted((p["pid"], p["comm"], p["ppid"]) for p in rep["processes"]),
      [(2337, "sh", 0), (2342, "echo-server", 2337), (2354, "echo-client", 0),
       (2357, "echo-client", 0)], "its processes, named by the procname context")


def rows(rep):
    return sorted((c["comm"], c["role"], c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"])


want = sorted([("echo-client", "client", 12, 12), ("echo-server", "server", 12, 12),
               ("echo-server", "listener", 0, 0)] +
              [("echo-client", "client", 25600, 25600), ("echo-server", "server", 25600, 25600)] * 4)
t.is_(rows(rep), want, "its connections: roles, names and bytes")
t.is_(sorted((c["local"], c["remote"]) for c in rep["connections"] if c["pid"] == 2354),
      [("127.0.0.1:43242", "127.0.0.1:41471")], "the first client's endpoints")
sc = {s["name"]: s for s in rep["syscalls"]}
t.is_({n: sc[n]["calls"] for n in ("accept4", "recv", "send", "fork", "connect")},
      {"accept4": 5, "recv": 407, "send": 402, "fork": 3, "connect": 5}, "its calls")
t.is_((sc["accept4"]["total_ns"], sc["accept4"]["max_ns"], sc["recv"]["total_ns"]),
      (167721602, 145478412, 16760999), "durations from dur_ns, to the nanosecond")
t.is_(sorted(d["dur_ns"] for d in rep["dns"]), [14567, 24157, 65293, 174250],
      "its lookups and their durations")
rc, out, err = sstools.report(FIXTURE)
t.is_((rc, err), (0, ""), "the text report reads it too")
t.ok("127.0.0.1:43242" in out and "echo-server" in out, "with its rows")

env = sstest.Env("layout")
env.need_sessiond()
rc, out, err, trace = sstools.record(env, ["sh", os.path.join(sstest.TOP, "scripts", "echo-pair.sh"),
                                           sstest.BUILD, "0"], "echo")
t.is_(rc, 0, "the same programs recorded now")
now = sstools.report_json(trace)
t.is_(rows(now), want, "the same rows, named from exec events")
t.is_(sorted(p["comm"] for p in now["processes"]), ["echo-client", "echo-client", "echo-server", "sh"],
      "the same processes")
t.done()
