#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Rows, not events: --pid and --comm select connection rows and keep their
# whole counts; COMM is the process's name, never a thread's.  A threaded
# program whose threads have names of their own (prctl, pthread_setname_np)
# is selected by its process name, all its rows whole; a thread's name
# selects nothing.  A recv that returns after another thread closed its
# descriptor counts on the connection's row and makes no row of its own.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

ROWS = os.path.join(sstest.BUILD, "tests", "ss-rows")
N = 5000
t = sstest.Tap()
env = sstest.Env("rows")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [ROWS, "threads", str(N)], "threads")
t.is_(rc, 0, "ss-rows threads runs")
want = [("rowsmain", "client", N, 0), ("rowsmain", "listener", 0, 0), ("rowsmain", "server", 0, N)]

def rows(opts):
    r = sstools.report_json(trace, opts)
    return sorted((c["comm"], c["role"], c["tx_bytes"], c["rx_bytes"]) for c in r["connections"])

t.is_(rows([]), want, "one row per connection, each named for the process")
t.is_(rows(["--comm", "rowsmain"]), want, "--comm of the process: every row, whole")
pid = sstools.report_json(trace)["connections"][0]["pid"]
t.is_(rows(["--pid", str(pid)]), want, "--pid: the same")
t.is_(rows(["--comm", "rows-cli"]), [], "--comm of a thread's name: no row")
r = sstools.report_json(trace, ["--comm", "rowsmain"])
t.is_([p["comm"] for p in r["processes"]], ["rowsmain"], "processes: the process's name")
t.is_((sstools.calls(r).get("send"), sstools.calls(r).get("recv")), (1, 1),
      "--comm counts the calls of every thread of the process")
rc, txt, err = sstools.report(trace, ["--comm", "rowsmain"])
lines = [l for l in sstools.text_rows(txt) if l[2:3] in (["client"], ["server"])]
t.is_(sorted((l[1], l[2], int(l[5]), int(l[6])) for l in lines),
      [("rowsmain", "client", N, 0), ("rowsmain", "server", 0, N)],
      "text --comm: the rows whole, COMM the process's name")

rc, out, err, trace = sstools.record(env, [ROWS, "late", "777"], "late")
t.is_((rc, out.strip()), (0, "late recv 777"), "a recv returns 777 bytes after its descriptor was closed")
rep = sstools.report_json(trace)
t.is_(sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]),
      [("client", 777, 0), ("listener", 0, 0), ("server", 0, 777)],
      "its bytes on the connection's row; no phantom row")
t.done()
