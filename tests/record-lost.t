#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Tiny buffers lose events: record says how many, and report counts the
# same number from the trace; recorded plus lost is every call made.  With
# --block the same run loses nothing.
import os
import re
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

M = 20000
ALL = 2 * M + 3  # socketpair, M x (send, recv), 2 x close
t = sstest.Tap()
env = sstest.Env("lost")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [sstools.NET, "loop", str(M)], "tiny",
                                     ["-b", "8K", "--subbuffers", "2"])
t.is_(rc, 0, "the loop runs with tiny buffers")
said = re.search(r"(\d+) events discarded", err)
t.ok(said is not None, "record says events were discarded")
rep = sstools.report_json(trace)
lost = rep["lost_events"]
t.ok(lost > 0, "report counts discarded events (%d)" % lost)
t.is_(lost, int(said.group(1)) if said else None, "record and report agree on the number")
t.is_(rep["events"] + lost, ALL, "recorded + discarded = every call (%d)" % ALL)
rc, txt, err = sstools.report(trace)
t.ok(re.search(r"%d discarded" % lost, txt) is not None, "the text header shows them")

# Blocking waits 100 ms whenever the buffers are full: a smaller run.
M = 5000
rc, out, err, trace = sstools.record(env, [sstools.NET, "loop", str(M)], "block",
                                     ["-b", "32K", "--subbuffers", "4", "--block"])
rep = sstools.report_json(trace)
t.is_((rc, rep["events"], rep["lost_events"]), (0, 2 * M + 3, 0), "--block: nothing lost")
t.ok("discarded" not in err, "--block: record reports no loss")
t.done()
