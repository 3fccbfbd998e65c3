#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# ThreadSanitizer over the preload: ss-calls and the preload built with
# -fsanitize=thread, recording, in the threaded, signal and closefrom
# scenarios, and ss-ready (a thread connects and registers with epoll
# while another waits in epoll_wait).  Any data race TSan sees in the preload (the descriptor table,
# serials, lazy resolution, the tracer's ranges) fails the test; counts stay
# exact.  Not fork: liblttng-ust restarts its threads in the child, which
# TSan does not support after a multi-threaded fork.
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
tsan = os.path.join(sstest.BUILD, "tsan")
prog = os.path.join(tsan, "tests", "ss-calls")
preload = os.path.join(tsan, "libsockscope-preload.so")
if not os.path.exists(prog) or not os.path.exists(preload):
    print("1..0 # SKIP no ThreadSanitizer build (make tsan-build)")
    sys.exit(0)
supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tsan.supp")
env = sstest.Env("tsan")
tag = str(3000000 + os.getpid())
sname, trace = env.session("tsan", filter="$app.sockscope:rec == " + tag, subbuf="4M", nsub="8")
NT, NC = 8, 2000
pids = {}
ready = os.path.join(tsan, "tests", "ss-ready")
runs = [[prog] + m for m in (["threads", str(NT), str(NC)], ["sigclose"], ["closefrom"])]
for argv in runs + ([[ready]] if os.path.exists(ready) else []):
    name = argv[1] if len(argv) > 1 else "ss-ready"
    e = env.preload_env(extra={"SOCKSCOPE_REC": tag,
                                          "TSAN_OPTIONS": "halt_on_error=1 exitcode=66 "
                                                          "suppressions=" + supp})
    e["LD_PRELOAD"] = e["LD_PRELOAD"].replace(sstest.PRELOAD, preload)
    p = env.spawn(argv, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=300)
    err = err.decode(errors="replace")
    t.ok(p.returncode == 0 and "ThreadSanitizer" not in err, "%s: no race, exit 0" % name)
    if "ThreadSanitizer" in err or p.returncode:
        t.diag(err[-3000:])
    pids[name] = p.pid
    if name == "ss-ready":
        ready_want = sum(1 for line in out.decode().splitlines() if line.startswith("ready "))
env.stop(sname)
events, lost = sstest.read_trace(trace)
gs = [e for e in events if e["vpid"] == pids["threads"] and e["name"] == "sockscope:getsockopt"]
t.is_(len(gs), NT * NC, "threads: exactly %d getsockopt events" % (NT * NC))
if "ss-ready" in pids:
    rd = [e for e in events if e["vpid"] == pids["ss-ready"] and e["name"].split(":")[1] in
          ("poll", "ppoll", "select", "pselect", "epoll_wait", "epoll_pwait", "epoll_pwait2")]
    t.is_(len(rd), ready_want, "ss-ready: one ready event per connect a readiness call ended")
t.is_(lost, 0, "no event discarded")
t.done()
