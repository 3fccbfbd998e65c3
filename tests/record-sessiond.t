#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# With no session daemon to talk to, record starts one, and the last
# recording to finish stops it, by pid.  Exercised without touching the
# system's daemon: as user nobody with a private LTTNG_HOME, whose own
# daemon (run directory LTTNG_HOME/.lttng) is the one record must start.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

sstools.Nobody.skip_unless_possible()
env = sstest.Env("sessiond")
nobody = sstools.Nobody()
home = nobody.home


def as_nobody(argv, **kw):
    return nobody.popen(argv, **kw)


before = sstools.Nobody.system_daemon()
t = sstest.Tap()
p = as_nobody(["lttng", "list"])
p.communicate()
t.ok(p.returncode != 0, "precondition: no daemon answers user nobody in the private home")

trace = os.path.join(home, "t1")
p = as_nobody([sstools.SOCKSCOPE, "record", "-v", "-o", trace, "--", sstools.NET, "conns", "1", "100"])
out, err = p.communicate(timeout=120)
t.is_(p.returncode, 0, "record runs with no daemon around")
t.ok("started by sockscope" in err, "it started a daemon")
stopped = [l for l in err.splitlines() if "stopped the session daemon" in l]
t.ok(stopped, "and stopped it")
pid = int(stopped[0].split("pid ")[1].rstrip(")")) if stopped else 0
# Exited: a zombie until whatever adopted it reaps it, which is not ours.
t.ok(pid > 0 and sstools.process_state(pid) in (None, "Z"), "the daemon (pid %d) is gone" % pid)
t.ok(not os.path.exists(os.path.join(home, ".lttng", "sockscope-sessiond.pid")),
     "its pid file is removed")
rep = sstools.report_json(trace)
t.is_((sstools.calls(rep).get("connect"), len(rep["connections"])), (1, 3),
      "the private daemon's trace holds the run")

# Two at once: the second uses the daemon the first started; whichever
# ends last stops it.
ta, tb = os.path.join(home, "a"), os.path.join(home, "b")
a = as_nobody([sstools.SOCKSCOPE, "record", "-v", "-o", ta, "--", sstools.NET, "wait"])
env.procs.append(a)
ready = a.stdout.readline().strip()
b = as_nobody([sstools.SOCKSCOPE, "record", "-v", "-o", tb, "--", sstools.NET, "conns", "2", "10"])
outb, errb = b.communicate(timeout=120)
with open(os.path.join(home, ".lttng", "sockscope-sessiond.pid")) as f:
    shared = int(f.read())
a.terminate()
outa, erra = a.communicate(timeout=120)
t.is_((ready, b.returncode, a.returncode), ("ready", 0, 42), "two recordings at once end well")
t.ok("already running" in errb and "left running" in errb,
     "the second used the first's daemon and left it to the other")
t.ok("stopped the session daemon (pid %d)" % shared in erra, "the last to end stopped it")
t.is_((sstools.calls(sstools.report_json(ta)), sstools.calls(sstools.report_json(tb))["connect"]),
      ({"socket": 1, "close": 1}, 2), "each trace holds its own command")
t.is_(sstools.Nobody.system_daemon(), before, "the system's daemon is untouched")
t.done()
