#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# ThreadSanitizer over the preload: ss-calls and the preload built with
# -fsanitize=thread, recording, in the threaded, signal and closefrom
# scenarios.  Any data race TSan sees in the preload (the descriptor table,
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
for mode in (["threads", str(NT), str(NC)], ["sigclose"], ["closefrom"]):
    e = env.preload_env(extra={"SOCKSCOPE_REC": tag,
                                          "TSAN_OPTIONS": "halt_on_error=1 exitcode=66 "
                                                          "suppressions=" + supp})
    e["LD_PRELOAD"] = e["LD_PRELOAD"].replace(sstest.PRELOAD, preload)
    p = env.spawn([prog] + mode, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=300)
    err = err.decode(errors="replace")
    t.ok(p.returncode == 0 and "ThreadSanitizer" not in err, "%s: no race, exit 0" % mode[0])
    if "ThreadSanitizer" in err:
        t.diag(err[-3000:])
    pids[mode[0]] = p.pid
env.stop(sname)
events, lost = sstest.read_trace(trace)
gs = [e for e in events if e["vpid"] == pids["threads"] and e["name"] == "sockscope:getsockopt"]
t.is_(len(gs), NT * NC, "threads: exactly %d getsockopt events" % (NT * NC))
t.is_(lost, 0, "no event discarded")
t.done()
