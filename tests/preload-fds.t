#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The tracer's own descriptors stay out of the program's way: with a
# session daemon running, and under `sockscope record`, a program's first
# open() gets 3 as it does bare, and neither it nor a forked child finds a
# descriptor of the tracer's when it scans up to its soft limit.  When the
# program takes one of the tracer's numbers anyway (dup2, dup3 or F_DUPFD
# onto it, close, close_range or closefrom over it after raising its soft
# limit), it wins: every call gives what it gives bare, and the trace ends
# with one sockscope:stop event (why "descriptor", detail the number).
import os
import resource
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("fds")
env.need_sessiond()
prog = os.path.join(sstest.BUILD, "tests", "ss-fds")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
# A soft limit below the hard one leaves the tracer room above it; an equal
# one (the hard limit lowered to it) none.
LOW = 1024 if hard > 1100 else None
EQUAL = min(soft, 1024)


def lowered():
    resource.setrlimit(resource.RLIMIT_NOFILE, (LOW, hard))


def equal():
    resource.setrlimit(resource.RLIMIT_NOFILE, (EQUAL, EQUAL))


def runs(argv, name, limit):
    """argv bare, preloaded with the daemon idle, and recorded, with the
    limits limit() sets: (rc, out, err) of each, and the recording's
    directory."""
    bare = env.run(argv, preload=False, preexec_fn=limit)[:3]
    idle = env.run(argv, preexec_fn=limit)[:3]
    rc, out, err, trace = sstools.record(env, argv, name, preexec_fn=limit)
    return bare, idle, (rc, out, err), trace


def take(how, limit, what):
    """Take the tracer's highest number by how: as bare, one stop event."""
    bare, idle, rec, trace = runs([prog, "take", how], "take-%s-%s" % (how, limit.__name__),
                                  limit)
    t.is_(bare[0], 0, "%s, take by %s: bare run exits 0" % (what, how))
    t.is_(idle[1], bare[1], "%s, take by %s: preloaded, daemon idle, as bare" % (what, how))
    t.is_((rec[0], rec[1]), (0, bare[1]), "%s, take by %s: recorded, as bare" % (what, how))
    taken = int(rec[2].split("taking ")[1].split()[0])
    events, lost = sstest.read_trace(trace)
    ev = [e for e in events if e["name"].startswith("sockscope:")]
    stops = [e for e in ev if e["name"] == "sockscope:stop"]
    # A range takes them all; the event names the lowest.
    want = taken if how not in ("close_range", "closefrom") else \
        min([e["detail"] for e in stops] + [taken])
    t.is_([(e["why"], e["detail"]) for e in stops], [("descriptor", want)],
          "%s, take by %s: one sockscope:stop, why descriptor, detail %d" % (what, how, want))
    after = ev[ev.index(stops[0]) + 1:] if stops else ev
    t.is_([e["name"] for e in after], [], "%s, take by %s: nothing traced after the stop"
          % (what, how))
    return want


for limit, what in ((equal, "hard limit = soft limit"), (lowered, "soft limit below the hard one")):
    if limit is lowered and not LOW:
        t.ok(True, "# SKIP hard limit %d leaves no room to test" % hard)
        continue
    bare, idle, rec, _ = runs([prog, "open"], "open-" + limit.__name__, limit)
    t.is_(bare[1], "open 3 socket 4\n", "%s: bare, open() gives 3" % what)
    t.is_(idle[1], bare[1], "%s: preloaded, daemon idle, same numbers as bare" % what)
    t.is_(rec[1], bare[1], "%s: recorded, same numbers as bare" % what)

# With no room above the soft limit the tracer's descriptors are within
# the program's range, at its top: dup2 onto one still takes it.
take("dup2", equal, "hard limit = soft limit")

if LOW:
    bare, idle, rec, _ = runs([prog, "scan"], "scan", lowered)
    t.is_(bare[1], "self: 0 1 2\nchild: 0 1 2\n", "bare scan up to the soft limit")
    t.is_(idle[1], bare[1], "preloaded, daemon idle: the scan and a forked child's see the same")
    t.is_(rec[1], bare[1], "recorded: the scan and a forked child's see the same")

    for how in ("dup2", "dup3", "dupfd", "close", "close_range", "closefrom"):
        want = take(how, lowered, "soft limit below the hard one")
        t.ok(want >= LOW, "take by %s: the number taken (%d) lay above the old soft limit"
             % (how, want))
else:
    t.ok(True, "# SKIP hard limit %d leaves no room above a soft limit" % hard)
t.done()
