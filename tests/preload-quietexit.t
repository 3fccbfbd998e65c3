#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# A process that does not record (no tag, SOCKSCOPE_PROBES unset) leaves
# without liblttng-ust's destructors and our probes' (a start-cost measure:
# they waited for the listener thread and for RCU grace periods).  What it
# emitted must still be in the trace: an untagged python program, traced
# by sessions made by hand (per-user and per-process buffers), makes 40
# socket exchanges right before it exits normally, and every one of them is
# recorded, in both sessions.
import os
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

N = 40
PROG = r"""
import socket, sys
sys.stdin.readline()
for i in range(%d):
    a, b = socket.socketpair()
    a.send(b"x" * 10)
    b.recv(10)
    a.close()
    b.close()
""" % N

t = sstest.Tap()
env = sstest.Env("quietexit")
env.need_sessiond()
uid_s, uid_out = env.session("uid")
pid_s = "sstest-%s-pid" % env.tag
pid_out = os.path.join(env.tmp, "trace-pid")
env.lttng("create", pid_s, "--output=" + pid_out)
env.sessions.append(pid_s)
env.lttng("enable-channel", "-u", "-s", pid_s, "--buffers-pid", "ch")
env.lttng("enable-event", "-u", "-s", pid_s, "-c", "ch", "sockscope:*")
env.lttng("add-context", "-u", "-s", pid_s, "-c", "ch", "-t", "vpid")
env.lttng("start", pid_s)

e = env.preload_env()
e.pop("SOCKSCOPE_PROBES", None)  # untagged, not told to record: the quiet exit
p = env.spawn([sys.executable, "-c", PROG], env=e, stdin=subprocess.PIPE,
              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
# It registers in the background: wait until the daemon knows it and has
# made its per-process buffers (their directory is named after its pid),
# give it time to take the sessions' settings, then let it make its calls
# and leave.


def buffers_made():
    d = os.path.join(pid_out, "ust", "pid")
    return os.path.isdir(d) and any("-%d-" % p.pid in n for n in os.listdir(d))


registered = False
for _ in range(1200):
    if "PID: %d " % p.pid in env.lttng("list", "-u") and buffers_made():
        registered = True
        break
    time.sleep(0.05)
# The sessions' settings reach it after its registration: on a loaded
# machine (two sanitized suites at once) half a second was seen too short.
time.sleep(2)
out, err = p.communicate(b"go\n", timeout=120)
t.ok(registered, "the untagged process registered and has its per-process buffers")
t.is_(p.returncode, 0, "it exits 0")
# Stop once the daemon has seen it go (its per-process buffers are then
# flushed for it), not while it is still taking that in.
for _ in range(600):
    if "PID: %d " % p.pid not in env.lttng("list", "-u"):
        break
    time.sleep(0.05)
env.stop(uid_s)
env.stop(pid_s)

for name, path in (("per-user", uid_out), ("per-process", pid_out)):
    events, lost = sstest.read_trace(path)
    mine = sstest.only(events, {p.pid})
    got = {n: sum(1 for ev in mine if ev["name"] == "sockscope:" + n)
           for n in ("socketpair", "send", "recv")}
    t.is_((got, lost), ({"socketpair": N, "send": N, "recv": N}, 0),
          "%s buffers: every call made just before exit is in the trace" % name)
t.done()
