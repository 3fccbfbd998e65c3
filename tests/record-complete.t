#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# When record returns, the trace is whole and final: record waits for the
# consumer to have written every event the buffers held (not for the
# session daemon's last clean-up of the destroyed session), so a report
# run right after it sees every call, including a burst made just before
# the command exits, in a run whose buffers take a while to drain; and
# the session is no longer listed, so report does not take the trace as
# still being recorded.
import os
import re
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("complete")
env.need_sessiond()

M = 100000


def sizes(top):
    """{path: size} of every file under top."""
    return {os.path.join(d, f): os.path.getsize(os.path.join(d, f))
            for d, _, files in os.walk(top) for f in files}


rc, out, err, trace = sstools.record(env, [sstools.NET, "loop", str(M)], "burst",
                                     ["-q", "--block", "-b", "32M"])
at_return = sizes(trace)
t.is_(rc, 0, "a loop of %d send/recv pairs, then exit" % M)
time.sleep(1)  # what a consumer still writing would add meanwhile
t.is_(sizes(trace), at_return, "no trace file grows after record returned")
rep = sstools.report_json(trace)
t.is_((rep["events"], rep["lost_events"]), (2 * M + 3, 0),
      "report right after record: every call, none lost")

rc, out, err, trace = sstools.record(env, [sstools.NET, "conns", "2", "10"], "short", ["-q"])
with open(os.path.join(trace, "sockscope.info")) as f:
    tag = re.search(r"^tag (\d+)$", f.read(), re.M)
listed = subprocess.run(["lttng", "list"], capture_output=True, text=True).stdout
t.ok(tag and "sockscope-%s " % tag.group(1) not in listed,
     "the session is no longer listed when record returns")
rc, txt, err = sstools.report(trace)
t.is_((rc, "still being recorded" in err), (0, False), "report reads it as finished")
t.done()
