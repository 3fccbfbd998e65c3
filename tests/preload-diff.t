#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Differential test: ss-diff calls every wrapped function on success and
# failure paths; its output (ret, errno, data digests) must be identical run
# bare, under the preload with no session daemon, with a daemon but no
# session, with a session recording every sockscope event, and with the
# payloads too (record --payload).
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("diff")
prog = os.path.join(sstest.BUILD, "tests", "ss-diff")

rc, bare, err, _ = env.run([prog], preload=False)
t.is_(rc, 0, "bare run exits 0")
t.ok("done" in bare and len(bare.splitlines()) > 150, "bare run covers every case")

# Without a session daemon the preload does not load its probes; when a
# daemon not ours is up, SOCKSCOPE_PROBES=off takes that same path.
daemon_up = subprocess.run(["lttng", "list"], capture_output=True).returncode == 0
p = env.spawn([prog], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
              **({"env": env.preload_env(extra={"SOCKSCOPE_PROBES": "off"})} if daemon_up else {}))
out = p.communicate(timeout=120)[0].decode()
t.is_(p.returncode, 0, "preloaded, no session daemon: exits 0")
t.is_(out, bare, "preloaded, no session daemon: output identical to bare")

env.need_sessiond()
rc, out, err, _ = env.run([prog])
t.is_(rc, 0, "preloaded, no session: exits 0")
t.is_(out, bare, "preloaded, no session: output identical to bare")

sname, trace = env.session("diff")
rc, out, err, pid = env.run([prog])
env.stop(sname)
t.is_(rc, 0, "preloaded, recording: exits 0")
t.is_(out, bare, "preloaded, recording: output identical to bare")
if out != bare:
    import difflib
    t.diag("".join(difflib.unified_diff(bare.splitlines(True), out.splitlines(True))))
events, lost = sstest.read_trace(trace)
mine = sstest.only(events, {pid})
t.ok(len(mine) > 100, "the recording holds the program's events (%d)" % len(mine))
t.is_(lost, 0, "no event discarded")

# record --payload: the bytes of every send and receive too, and still
# every result and errno as bare (the sub-buffers hold a payload event).
sname, trace = env.session("diffpl", subbuf="1M")
rc, out, err, pid = env.run([prog], env=env.preload_env(extra={"SOCKSCOPE_PAYLOAD": "all"}))
env.stop(sname)
t.is_(rc, 0, "preloaded, recording payloads: exits 0")
t.is_(out, bare, "preloaded, recording payloads: output identical to bare")
events, lost = sstest.read_trace(trace)
t.ok(sstest.only(events, {pid}, prefix="sockscope:payload"),
     "the recording holds payload events")
t.done()
