#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Recording tags: a process's SOCKSCOPE_REC, inherited across fork and exec,
# is the application context $app.sockscope:rec, so two sessions filtering
# on their own tag record side by side without mixing, and untagged
# programs stay out.  No event carries the tag.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("rec")
prog = os.path.join(sstest.BUILD, "tests", "ss-calls")
tag_a, tag_b = 1000 + os.getpid(), 2000000 + os.getpid()

sa, trace_a = env.session("a", filter="$app.sockscope:rec == %d" % tag_a)
sb, trace_b = env.session("b", filter="$app.sockscope:rec == %d" % tag_b)
runs = {}
for who, tag, mode in (("a", tag_a, "exec"), ("b", tag_b, "fork"), ("none", None, "fork")):
    extra = {"SOCKSCOPE_REC": str(tag)} if tag else {}
    p = env.spawn([prog, mode], env=env.preload_env(extra=extra),
                  stdout=__import__("subprocess").PIPE)
    out = p.communicate(timeout=60)[0].decode()
    t.is_(p.returncode, 0, "%s: %s run exits 0" % (who, mode))
    runs[who] = (p.pid, int(out.split("child ")[1].split()[0]) if "child " in out else None)
env.stop(sa)
env.stop(sb)

ea, la = sstest.read_trace(trace_a)
eb, lb = sstest.read_trace(trace_b)
t.is_((la, lb), (0, 0), "no event discarded")
t.ok(len(ea) > 4 and len(eb) > 4, "both sessions recorded (%d, %d events)" % (len(ea), len(eb)))
t.ok(not any("rec" in e for e in ea + eb), "no event carries the tag")
t.is_({e["vpid"] for e in ea}, set(runs["a"]), "session a: the parent and its exec'd child")
t.is_({e["vpid"] for e in eb}, set(runs["b"]), "session b: the parent and its forked child")
none = set(runs["none"])
t.ok(not any(e["vpid"] in none for e in ea + eb), "an untagged program appears in neither")
t.ok(any(e["name"] == "sockscope:describe" and e["vpid"] == runs["a"][1] for e in ea),
     "the exec'd child's first-sight events carry the tag too")
t.done()
