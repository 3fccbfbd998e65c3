#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Calls before the preload's constructor: libss-early's constructor runs
# first in the init order and makes socket calls through the wrappers while
# the real functions are not yet resolved.  Results must be those of a bare
# run; the sockets made then are described on their first use from main.
# Last, the same constructor first dlopen()s the probes, as a library that
# loads LTTng from its constructor does: liblttng-ust's threads then call
# socket() through the preload while the loader's lock is held, which must
# not deadlock (dlsym() takes that lock).
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("early")
prog = os.path.join(sstest.BUILD, "tests", "ss-early")

rc, bare, err, _ = env.run([prog], preload=False)
t.is_(rc, 0, "bare run exits 0")
t.ok("sent 5 connect -1 errno Bad file descriptor resolved 1" in bare, "bare: early calls as expected")
rc, out, err, _ = env.run([prog], env=env.preload_env(extra={"SOCKSCOPE_PROBES": "off"}))
t.is_((rc, out), (0, bare), "preloaded without probes: identical to bare")
rc, out, err, _ = env.run([prog], env=env.preload_env(extra={"SOCKSCOPE_PROBES": "on"}))
t.is_((rc, out), (0, bare), "preloaded, probes loaded: identical to bare")

sname, trace = env.session("early")
rc, out, err, pid = env.run([prog])
env.stop(sname)
t.is_((rc, out), (0, bare), "recording: identical to bare")
events, lost = sstest.read_trace(trace)
mine = sstest.only(events, {pid})
names = [e["name"].split(":")[1] for e in mine]
t.ok("connect" not in names and "gethostbyname" not in names,
     "calls before the constructor are not recorded (the tracer is not there yet)")
desc = [e for e in mine if e["name"] == "sockscope:describe"]
t.is_(len(desc), 1, "the early socket is described once, on first use")
t.ok(desc and desc[0]["family"] == "AF_UNIX" and desc[0]["type"] == "SOCK_STREAM",
     "describe: AF_UNIX, SOCK_STREAM")
io = [(e["name"].split(":")[1], e["ret"], e["sock"]) for e in mine
      if e["name"] in ("sockscope:recv", "sockscope:send")]
t.ok(desc and io == [("recv", 5, desc[0]["sock"]), ("send", 5, desc[0]["sock"])],
     "recv and send on it carry its serial")
t.is_([n for n in names if n != "exec"][:2], ["describe", "recv"],
      "describe comes before the first event on the socket (after the image's exec marker)")

sname, trace = env.session("early-dlopen")
extra = {"SS_EARLY_DLOPEN": os.path.join(sstest.BUILD, "libsockscope-tp.so")}
p = env.spawn([prog], env=env.preload_env(extra=extra), stdout=__import__("subprocess").PIPE)
try:
    out = p.communicate(timeout=60)[0].decode()
except __import__("subprocess").TimeoutExpired:
    p.kill()
    out = p.communicate()[0].decode()
    t.diag("deadlocked: killed after 60 s")
env.stop(sname)
t.is_((p.returncode, out), (0, bare), "probes dlopen()ed from a constructor: no deadlock, as bare")
events, lost = sstest.read_trace(trace)
t.ok(any(e["name"] == "sockscope:send" and e["vpid"] == p.pid for e in events),
     "and main's calls are recorded")
t.done()
