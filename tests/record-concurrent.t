#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Two recordings at once, and a preloaded program outside both, on the
# same session daemon: each trace holds only its own command's events.
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("concurrent")
env.need_sessiond()

# A waits (recording) while B records a whole run and an untagged
# preloaded program runs beside them.
out_a = os.path.join(env.tmp, "a")
a = subprocess.Popen([sstools.SOCKSCOPE, "record", "-q", "-o", out_a, "--", sstools.NET, "wait"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
env.procs.append(a)
t.is_(a.stdout.readline().strip(), "ready", "recording A is running")
outsider = env.spawn([sstools.NET, "conns", "2", "10"], stdout=subprocess.PIPE)
rc, out, err, trace_b = sstools.record(env, [sstools.NET, "conns", "3", "1000"], "b")
outsider.communicate(timeout=60)
a.terminate()
a.wait(timeout=60)
t.is_((a.returncode, rc, outsider.returncode), (42, 0, 0), "A, B and the outsider end well")

ra, rb = sstools.report_json(out_a), sstools.report_json(trace_b)
t.is_(sstools.calls(ra), {"socket": 1, "close": 1}, "A holds only A's two calls")
t.is_(sstools.calls(rb)["connect"], 3, "B holds only B's 3 connections")
t.is_(len(rb["connections"]), 7, "B: 3 clients, 3 servers, 1 listener")
pa = {p["pid"] for p in ra["processes"]}
pb = {p["pid"] for p in rb["processes"]}
t.ok(len(pa) == 1 and len(pb) == 1 and not pa & pb, "A and B share no process")
t.ok(outsider.pid not in pa | pb, "the untagged program is in neither")
t.done()
