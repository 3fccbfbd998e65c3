#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The session daemon record started counts as stopped once it has exited,
# even while nothing has reaped it yet.  A daemon's parent is whatever
# adopted it (init, or a child subreaper above record), and some take
# their time: record used to wait for the reaping, up to 10 s, then warn
# that the daemon "did not stop".  Here this test is that subreaper and
# reaps nothing until record has ended.  Run as user nobody with a private
# LTTNG_HOME, as tests/record-sessiond.t.
import ctypes
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PR_SET_CHILD_SUBREAPER = 36

sstools.Nobody.skip_unless_possible()
env = sstest.Env("reaped")
nobody = sstools.Nobody()
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    print("1..0 # SKIP cannot become a child subreaper: " + os.strerror(ctypes.get_errno()))
    sys.exit(0)

before = sstools.Nobody.system_daemon()
t = sstest.Tap()
trace = os.path.join(nobody.home, "t")
p = nobody.popen([sstools.SOCKSCOPE, "record", "-v", "-o", trace, "--", sstools.NET,
                  "conns", "1", "10"])
out, err = p.communicate(timeout=120)
t.is_(p.returncode, 0, "record runs, starting a daemon of its own")
stopped = [l for l in err.splitlines() if "stopped the session daemon" in l]
pid = int(stopped[0].split("pid ")[1].rstrip(")")) if stopped else 0
if not t.ok(pid > 0 and "did not stop" not in err, "it stopped the daemon and says so"):
    t.diag(err)
t.is_(sstools.process_state(pid) if pid else None, "Z", "the daemon (pid %d) is this test's, unreaped, when record ends" % pid)
t.ok(not os.path.exists(nobody.pidfile), "record removed its pid file")
if pid:
    os.waitpid(pid, 0)
t.is_(sstools.calls(sstools.report_json(trace)).get("connect"), 1, "the trace holds the run")
t.is_(sstools.Nobody.system_daemon(), before, "the system's daemon is untouched")
t.done()
