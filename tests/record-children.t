#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# `sockscope record` follows forked and daemonized children through the
# preload itself, without liblttng-ust-fork (which would load the tracer
# into every process, also one that starts under a seccomp filter): the
# command's LD_PRELOAD does not name it, and a forked child's and a
# daemon(3)'s events carry their own vpid and the parent's socket serials.
# A user who still preloads liblttng-ust-fork (after the preload or before
# it) gets the same, its hooks run once: no deadlock on liblttng-ust's
# fork lock.
import os
import signal
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("children")
env.need_sessiond()


def record(script, name):
    """Record `sh -c script`; (rc, stdout, events), rc None on a timeout
    (a deadlock), after which record and what it ran are killed: they
    share a process group of their own."""
    trace = os.path.join(env.tmp, name)
    argv = ["sh", "-c", script]
    p = subprocess.Popen([sstools.SOCKSCOPE, "record", "-o", trace, "--"] + argv,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=sstest.sanitizer_env(dict(os.environ), argv),
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None, "", []
    events, lost = sstest.read_trace(trace)
    return p.returncode, out, events


def check_fork(out, events, what):
    """ss-calls fork: the child's send under its own vpid, on the parent's
    socketpair serial."""
    line = [l for l in out.splitlines() if l.startswith("parent ")]
    parent, child = (int(line[0].split()[1]), int(line[0].split()[3])) if line else (0, 0)
    pair = [e for e in sstest.only(events, {parent}) if e["name"] == "sockscope:socketpair"]
    sends = [e for e in sstest.only(events, {child}) if e["name"] == "sockscope:send"]
    t.ok(child and child != parent and [e["ret"] for e in sends] == [10],
         "%s: the forked child's send recorded under its own vpid" % what)
    t.ok(pair and sends and sends[0]["sock"] == pair[0]["sock2"],
         "%s: on the parent's socket serial" % what)


# The command's environment, and a fork.
rc, out, events = record('printf "LD_PRELOAD=%%s\\n" "$LD_PRELOAD"; exec %s fork' % sstools.CALLS,
                         "fork")
t.is_(rc, 0, "fork: runs")
pre = [l for l in out.splitlines() if l.startswith("LD_PRELOAD=")]
t.ok(pre and "libsockscope-preload" in pre[0] and "liblttng-ust-fork" not in pre[0],
     "the command's LD_PRELOAD has the preload, not liblttng-ust-fork (%s)" % pre)
check_fork(out, events, "fork")

# daemon(3): libc forks inside it, the caller exits there.
rc, out, events = record("exec %s daemon" % sstools.CALLS, "daemon")
t.is_(rc, 0, "daemon: runs")
lines = dict(l.split(None, 1) for l in out.splitlines() if " " in l)
parent = int(lines.get("parent", "0").split()[0])
dpid = int(lines.get("daemon", "0").split()[0])
t.ok(dpid and dpid != parent and "sent 11 received 11" in lines.get("daemon", ""),
     "daemon: the daemon is a new process and exchanges 11 bytes")
pair = [e for e in sstest.only(events, {parent}) if e["name"] == "sockscope:socketpair"]
mine = sstest.only(events, {dpid})
sends = [e for e in mine if e["name"] == "sockscope:send"]
recvs = [e for e in mine if e["name"] == "sockscope:recv"]
t.ok([e["ret"] for e in sends] == [11] and [e["ret"] for e in recvs] == [11],
     "daemon: its send and recv recorded under its own vpid")
t.ok(pair and sends and recvs and sends[0]["sock"] == pair[0]["sock"] and
     recvs[0]["sock"] == pair[0]["sock2"], "daemon: on the parent's socket serials")
t.ok(not [e for e in sstest.only(events, {parent}) if e["name"] in ("sockscope:send",
                                                                      "sockscope:recv")],
     "daemon: nothing of the daemon's under the caller's vpid")

# liblttng-ust-fork preloaded too, after the preload and before it.
if sstest.UST_FORK:
    after = 'LD_PRELOAD="$LD_PRELOAD:%s" exec %s fork' % (sstest.UST_FORK, sstools.CALLS)
    # Before the preload, but after a sanitizer runtime, which comes first.
    before = ('new=; IFS=:; for x in $LD_PRELOAD; do case $x in *libsockscope-preload*) '
              'new="$new${new:+:}%s";; esac; new="$new${new:+:}$x"; done; '
              'LD_PRELOAD=$new exec %s fork' % (sstest.UST_FORK, sstools.CALLS))
    for where, script in (("after", after), ("before", before)):
        rc, out, events = record(script, "ustfork-" + where)
        t.is_(rc, 0, "liblttng-ust-fork %s the preload: runs, no deadlock" % where)
        check_fork(out, events, "liblttng-ust-fork " + where)
else:
    for i in range(6):
        t.ok(True, "# SKIP liblttng-ust-fork.so.1 not installed")
t.done()
