#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Threads, fork, exec and signals under the preload with a recording
# session: 16 threads x 10,000 calls give exact counts; a forked child's
# events carry its own vpid and the parent's socket serial (the preload
# follows forks; and the same with liblttng-ust-fork preloaded after it, as
# a user's own LD_PRELOAD may, its hooks running once); an exec'd child
# describes the socket it inherited; a signal handler may close a socket;
# closefrom and close_range leave the tracer's descriptors alone.  The vpid
# and vtid our events carry (cached by the probes, forgotten at fork) are
# those of LTTng's contexts of the same names, in every event of every run.
import collections
import os
import socket
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("process")
prog = os.path.join(sstest.BUILD, "tests", "ss-calls")
NT, NC = 16, 10000

sname, trace = env.session("proc", subbuf="4M", nsub="16")
runs = {}
for name, mode in (("threads", ["threads", str(NT), str(NC)]), ("fork", ["fork"]),
                   ("fork+ust-fork", ["fork"]), ("exec", ["exec"]), ("sigclose", ["sigclose"]),
                   ("closefrom", ["closefrom"]), ("close_range", ["close_range"])):
    if name == "fork+ust-fork" and not sstest.UST_FORK:
        continue
    rc, out, err, pid = env.run([prog] + mode, ust_fork=name == "fork+ust-fork", timeout=60)
    runs[name] = (rc, out, pid)
    t.is_(rc, 0, "%s: exits 0 under recording" % name)
env.stop(sname)
events, lost = sstest.read_trace(trace)
t.is_(lost, 0, "no event discarded")
ours = sstest.only(events)
t.ok(ours and all(e["ctx"].get("vpid") == e["vpid"] and e["ctx"].get("vtid") == e["vtid"]
                  for e in ours),
     "vpid, vtid of %d events: those of the contexts (threads, forks, execs)" % len(ours))

# Threads: exact counts overall and per thread.
pid = runs["threads"][2]
gs = [e for e in sstest.only(events, {pid}) if e["name"] == "sockscope:getsockopt"]
t.is_(len(gs), NT * NC, "threads: exactly %d getsockopt events" % (NT * NC))
per = collections.Counter(e["vtid"] for e in gs)
t.is_(sorted(per.values()), [NC] * NT, "threads: exactly %d per thread, %d threads" % (NC, NT))
t.ok(all(e["err"] == "OK" and e["level"] == "SOL_SOCKET" and
         e["optname"] == socket.SO_TYPE and e["optval"] == 1 for e in gs),
     "threads: every event decoded (SO_TYPE = SOCK_STREAM)")
socks = {e["vtid"]: e["sock"] for e in gs}
t.is_(len(set(socks.values())), NT, "threads: one socket serial per thread")

# fork: the child sends on the parent's socket, under its own vpid.
for name in ("fork", "fork+ust-fork"):
    if name not in runs:
        t.ok(True, "# SKIP liblttng-ust-fork.so.1 not installed")
        continue
    out, ppid = runs[name][1], runs[name][2]
    child = int(out.split()[3])
    pe = sstest.only(events, {ppid})
    ce = sstest.only(events, {child})
    pair = [e for e in pe if e["name"] == "sockscope:socketpair"]
    csend = [e for e in ce if e["name"] == "sockscope:send"]
    t.ok(pair and csend, "%s: parent socketpair and child send recorded" % name)
    t.ok(csend and csend[0]["vpid"] != ppid and csend[0]["ret"] == 10,
         "%s: child event has its own vpid" % name)
    t.ok(pair and csend and csend[0]["sock"] == pair[0]["sock2"],
         "%s: child uses the parent's socket serial" % name)
    precv = [e for e in pe if e["name"] == "sockscope:recv"]
    t.ok(precv and precv[0]["ret"] == 10, "%s: parent received 10 bytes" % name)

# exec: the new image first sees an inherited socket and describes it.
out, ppid = runs["exec"][1], runs["exec"][2]
child = int([l for l in out.splitlines() if l.startswith("parent")][0].split()[3])
ce = sstest.only(events, {child})
desc = [e for e in ce if e["name"] == "sockscope:describe"]
send = [e for e in ce if e["name"] == "sockscope:send"]
t.is_(len(desc), 1, "exec: one describe event for the inherited socket")
t.ok(desc and desc[0]["family"] == "AF_UNIX" and desc[0]["type"] == "SOCK_STREAM",
     "exec: describe gives family and type")
t.ok(desc and send and send[0]["sock"] == desc[0]["sock"] and send[0]["ret"] == 9,
     "exec: the send uses the described serial")
t.ok(desc and send and desc[0]["ts"] <= send[0]["ts"], "exec: describe comes first")

# A signal handler closing a socket.
se = sstest.only(events, {runs["sigclose"][2]})
closes = [e for e in se if e["name"] == "sockscope:close"]
t.ok(len(closes) >= 1 and all(e["err"] == "OK" for e in closes), "sigclose: close from a handler recorded")

# closefrom / close_range: tracing continues afterwards.
for mode in ("closefrom", "close_range"):
    me = sstest.only(events, {runs[mode][2]})
    names = [e["name"].split(":")[1] for e in me]
    t.ok(mode in names, "%s: recorded" % mode)
    after = names[names.index(mode) + 1:] if mode in names else []
    t.ok("socketpair" in after and "send" in after and "recv" in after,
         "%s: the tracer still records afterwards" % mode)
t.done()
