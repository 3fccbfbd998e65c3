#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Readiness of connecting sockets: ss-ready makes non-blocking connects to
# a loopback listener and waits for each with another call (poll, ppoll,
# select, pselect, epoll_wait with a pointer as its data, epoll_pwait,
# epoll_pwait2, epoll_wait through syscall(), and poll of a refused one).
# The recording has exactly one `ready` event per connect that such a call
# ended, named after the call, with the connect's sock, the call's return
# value, and revents with POLLOUT (refused: POLLERR); none for connects that
# getsockopt(SO_ERROR), a send or a close ended first; and none from the
# poll and epoll loops over sockets that are not connecting.  ss-diff's
# readiness cases, recorded, give one event per connect they wait for.
import os
import select
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

READY = {"poll", "ppoll", "select", "pselect", "epoll_wait", "epoll_pwait", "epoll_pwait2"}
t = sstest.Tap()
env = sstest.Env("ready")
env.need_sessiond()

sname, trace = env.session("ready")
rc, out, err, pid = env.run([os.path.join(sstest.BUILD, "tests", "ss-ready")])
rc2, out2, err2, pid2 = env.run([os.path.join(sstest.BUILD, "tests", "ss-diff"), "ready"])
env.stop(sname)
t.is_((rc, err), (0, ""), "ss-ready exits 0 under recording")
t.is_(rc2, 0, "ss-diff ready exits 0 under recording")
expect = out.splitlines()
t.is_(expect[-1:], ["done"], "ss-ready ran every case")
expect = expect[:-1]

events, lost = sstest.read_trace(trace)
t.is_(lost, 0, "no event discarded")
mine = sstest.only(events, {pid})
connects = [e for e in mine if e["name"] == "sockscope:connect" and e["err"] == "EINPROGRESS"]
ready = [e for e in mine if e["name"].split(":")[1] in READY]
t.is_(len(connects), len(expect), "one connect in progress per case (%d)" % len(expect))

want, got = [], []
for c, line in zip(connects, expect):
    words = line.split()
    name = words[1] if words[0] == "ready" else None
    mine_ready = [e for e in ready if e["sock"] == c["sock"]]
    want.append((c["sock"], name))
    got.append((c["sock"], mine_ready[0]["name"].split(":")[1] if len(mine_ready) == 1 else
                [e["name"] for e in mine_ready] or None))
t.is_(got, want, "each connect: one ready event of the call that waited for it, or none")
t.is_(len(ready), sum(1 for line in expect if line.startswith("ready ")),
      "no other ready event (the loops over sockets not connecting emit nothing)")

by_sock = {e["sock"]: e for e in ready}
ok_out, ok_err, ok_ret, ok_time = [], [], [], []
for c, line in zip(connects, expect):
    e = by_sock.get(c["sock"])
    if not e or not line.startswith("ready "):
        continue
    if line.endswith("refused"):
        ok_err.append(bool(e["revents"] & select.POLLERR))
    else:
        ok_out.append(bool(e["revents"] & select.POLLOUT))
    ok_ret.append(e["ret"] >= 1 and e["err"] == "OK" and e["vpid"] == pid)
    ok_time.append(c["ts"] <= e["ts"] and 0 < e["start_ns"] <= e["ts"])
t.ok(ok_out and all(ok_out), "connected: revents has POLLOUT (%d of %d)" % (sum(ok_out), len(ok_out)))
t.is_(ok_err, [True], "refused: revents has POLLERR")
t.ok(ok_ret and all(ok_ret), "ret is the call's own (>= 1), err 0")
t.ok(ok_time and all(ok_time), "after its connect; start_ns no later than the event")

# ss-diff's readiness cases: every connect it waits for ends once, with
# the event of the call (or, for the raw ones, of its libc function).
d = sstest.only(events, {pid2})
names = sorted({e["name"].split(":")[1] for e in d} & READY)
t.is_(names, sorted(READY), "ss-diff ready: every readiness call emits its event")
socks = [e["sock"] for e in d if e["name"].split(":")[1] in READY]
t.is_(len(socks), len(set(socks)), "ss-diff ready: at most one ready event per socket")
t.done()
