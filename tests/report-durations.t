#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Durations from one clock reading: a call's event holds when it started
# (start_ns) and ends at the event's own timestamp.  Against delays the
# program measures itself: a recv that SO_RCVTIMEO ends after 200 ms
# (EAGAIN), and one that waits 150 ms for a thread's send.  Each event's
# duration lies within the program's own measurement around the call and
# no further than 5 ms from it; the report's total is their sum.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PROG = r"""
import socket, struct, threading, time
a, b = socket.socketpair()
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 200000))
t0 = time.monotonic_ns()
try:
    a.recv(10)
except BlockingIOError:
    pass
t1 = time.monotonic_ns()
threading.Timer(0.15, lambda: b.send(b"x")).start()
t2 = time.monotonic_ns()
a.recv(10)
t3 = time.monotonic_ns()
print(t1 - t0, t3 - t2)
"""

t = sstest.Tap()
env = sstest.Env("durations")
env.need_sessiond()
rc, out, err, trace = sstools.record(env, ["python3", "-c", PROG], "recv")
t.is_(rc, 0, "the program runs")
outer = [int(x) for x in out.split()]
events, lost = sstest.read_trace(trace)
recvs = [e for e in events if e["name"] == "sockscope:recv"]
t.is_([(e["ret"], e["err"]) for e in recvs], [(-1, "EAGAIN"), (1, "OK")],
      "two recv events: the timeout, then one byte")
durs = [e["cycles"] - e["start_ns"] for e in recvs]
t.diag("recv durations: program %s ns, events %s ns" % (outer, durs))
t.ok(len(durs) == 2 and 200000000 <= durs[0] <= outer[0] and outer[0] - durs[0] < 5000000,
     "the timed-out recv: 200 ms or more, within the program's own measure")
t.ok(len(durs) == 2 and 150000000 <= durs[1] <= outer[1] and outer[1] - durs[1] < 5000000,
     "the waiting recv: 150 ms or more, within the program's own measure")
rep = sstools.report_json(trace)
sc = {s["name"]: s for s in rep["syscalls"]}
t.is_((sc["recv"]["calls"], sc["recv"]["errors"], sc["recv"]["total_ns"], sc["recv"]["max_ns"]),
      (2, 1, sum(durs), max(durs)), "the report: the same durations")
t.done()
