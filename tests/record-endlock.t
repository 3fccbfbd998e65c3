#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# A recording on a daemon that sockscope did not start (root's: the
# system's) ends without taking the sockscope lock: only a daemon sockscope
# started is ever stopped, so only its recordings need to end one at a
# time.  Here, as user nobody with a private LTTNG_HOME, the daemon is
# started by hand, and this test holds the lock while the recording ends
# (before, record waited for the lock there).  Recordings on a daemon
# record started: tests/record-sessiond.t.
import atexit
import fcntl
import os
import signal
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

sstools.Nobody.skip_unless_possible()
env = sstest.Env("endlock")
nobody = sstools.Nobody()
rundir = os.path.join(nobody.home, ".lttng")
t = sstest.Tap()


def hold_lock():
    """The sockscope lock of the private home, taken by this test."""
    os.makedirs(rundir, exist_ok=True)
    os.chown(rundir, nobody.UID, nobody.UID)
    fd = os.open(os.path.join(rundir, "sockscope.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    os.fchown(fd, nobody.UID, nobody.UID)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def record_wait(name):
    """A recording of `ss-net wait`, once its command is ready."""
    p = nobody.popen([sstools.SOCKSCOPE, "record", "-v", "-o", os.path.join(nobody.home, name),
                      "--", sstools.NET, "wait"])
    env.procs.append(p)
    return p, p.stdout.readline().strip()


# The daemon, started by hand: not sockscope's, never stopped by record.
pidfile = os.path.join(nobody.home, "own-sessiond.pid")
d = nobody.popen(["lttng-sessiond", "--daemonize", "--no-kernel", "--quiet",
                  "--pidfile=" + pidfile])
d.communicate(timeout=60)
with open(pidfile) as f:
    daemon = int(f.read())


def stop_daemon():
    """Stop the daemon started here, and wait until it has exited."""
    try:
        os.kill(daemon, signal.SIGTERM)
    except OSError:
        return
    for _ in range(600):
        if sstools.process_state(daemon) in (None, "Z"):
            break
        time.sleep(0.05)


atexit.register(stop_daemon)
p, ready = record_wait("own")
fd = hold_lock()
p.terminate()
try:
    out, err = p.communicate(timeout=60)
    ended = True
except subprocess.TimeoutExpired:
    ended = False
os.close(fd)
if not ended:
    out, err = p.communicate(timeout=120)
t.is_((ready, ended, p.returncode), ("ready", True, 42),
      "on a daemon sockscope did not start, record ends while the lock is held")
t.ok("already running" in err, "record used that daemon")
t.is_(sstools.calls(sstools.report_json(os.path.join(nobody.home, "own"))),
      {"socket": 1, "close": 1}, "its trace holds the run")
t.done()
