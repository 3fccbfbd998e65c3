#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# A process ends when its last thread does, and liblttng-ust's listener
# threads must not count: a program whose main thread calls pthread_exit
# (tests/prog/ss-lastthread.c) ends with status 0 when its worker returns,
# bare, with the probes idle and recorded, instead of living on (even
# SIGTERM stayed pending: the threads left block every signal).  The
# recording shows the worker's calls and where tracing stopped (why
# "exit").  Every run is bounded; one that hangs is killed.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("exit")
env.need_sessiond()
prog = os.path.join(sstest.BUILD, "tests", "ss-lastthread")
WANT = (0, "worker sent 4 received 4\n")


def bounded(run):
    try:
        return run()
    except Exception as e:  # a hang: the process is killed by Env's cleanup
        return ("hung", type(e).__name__)


got = bounded(lambda: env.run([prog], preload=False, timeout=30)[:2])
t.is_(got, WANT, "bare: ends with status 0 when the worker returns")
got = bounded(lambda: env.run([prog], timeout=30)[:2])
t.is_(got, WANT, "probes idle: the same")
res = bounded(lambda: sstools.record(env, [prog], "exit", timeout=30))
if res[0] == "hung":  # record was killed: stop the program it left, by pid
    try:
        with open(os.path.join(env.tmp, "traces", "exit", "sockscope.info")) as f:
            pid = int([l.split()[1] for l in f if l.startswith("pid ")][0])
        os.kill(pid, 9)
    except (OSError, IndexError, ValueError):
        pass
t.is_(res[:2], WANT, "recorded: the same")
if len(res) == 4:
    events, lost = sstest.read_trace(res[3])
    mine = sstest.only(events)
    t.is_([(e["why"], e["detail"]) for e in mine if e["name"] == "sockscope:stop"], [("exit", 0)],
          "one sockscope:stop, why exit, when the last thread of the program left")
    t.is_(sorted({e["name"] for e in mine} - {"sockscope:stop", "sockscope:close", "sockscope:exec"}),
          ["sockscope:recv", "sockscope:send", "sockscope:socketpair"],
          "the worker's calls are recorded")
else:
    t.ok(False, "one sockscope:stop, why exit, when the last thread of the program left")
    t.ok(False, "the worker's calls are recorded")
t.done()
