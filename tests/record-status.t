#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# record exits with its command's status (128+N when signal N killed it,
# like a shell), and passes signals sent to it on to the command.
import os
import signal
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("status")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [sstools.NET, "exit", "7"], "exit7")
t.is_(rc, 7, "exit 7 passes through")
t.is_(sstools.calls(sstools.report_json(trace)), {"socket": 1, "close": 1},
      "the command's calls are recorded")
rc, out, err, trace = sstools.record(env, [sstools.NET, "signal", "9"], "kill9")
t.is_(rc, 128 + 9, "killed by SIGKILL: 137")
rc, out, err, trace = sstools.record(env, [sstools.NET, "signal", "11"], "segv")
t.is_(rc, 128 + 11, "killed by SIGSEGV: 139")
rc, out, err, trace = sstools.record(env, ["/nonexistent/prog"], "missing")
t.is_(rc, 127, "a command that does not exist: 127")
t.ok("/nonexistent/prog" in err, "and says which")

# Signals sent to record reach the command: SIGTERM (which ss-net turns
# into exit 42) and SIGINT (default action: killed, 130).
for sig, want in ((signal.SIGTERM, 42), (signal.SIGINT, 130)):
    out = os.path.join(env.tmp, "sig%d" % sig)
    p = subprocess.Popen([sstools.SOCKSCOPE, "record", "-q", "-o", out, "--", sstools.NET, "wait"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    env.procs.append(p)
    line = p.stdout.readline()
    p.send_signal(sig)
    p.wait(timeout=60)
    t.is_((line.strip(), p.returncode), ("ready", want),
          "%s to record reaches the command: status %d" % (signal.Signals(sig).name, want))
    t.is_(sstools.calls(sstools.report_json(out)), {"socket": 1, "close": 1},
          "%s: the trace is complete" % signal.Signals(sig).name)
t.done()
