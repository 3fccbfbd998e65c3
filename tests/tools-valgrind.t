#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The sockscope command under valgrind's memcheck: record (the command it
# runs is not under valgrind), with a program that makes socket calls and
# one that makes none; report over real traces of every kind of
# connection (TCP, UDP peers, unix, fork, dup, non-blocking connects,
# lookups), as text and as JSON, with filters, and over a damaged trace.
# No memory error, no leak (definite, indirect or possible), and report
# prints the same as without valgrind.
import os
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

if not shutil.which("valgrind"):
    print("1..0 # SKIP valgrind is not installed (make deps)")
    sys.exit(0)
if sstest.SANITIZE:
    print("1..0 # SKIP a sanitized build runs under its sanitizers, not valgrind")
    sys.exit(0)
t = sstest.Tap()
env = sstest.Env("valgrind")
env.need_sessiond()
VALGRIND = ["valgrind", "--error-exitcode=99", "--leak-check=full",
            "--show-leak-kinds=definite,indirect,possible",
            "--errors-for-leak-kinds=definite,indirect,possible", "-q"]

for argv, name in (([sstools.NET, "conns", "1", "100"], "a program with sockets"),
                   ([sstest.PYTHON, "-c", "1"], "a program without")):
    out = os.path.join(env.tmp, "vg-%d" % len(name))
    vg = subprocess.run(VALGRIND + [sstools.SOCKSCOPE, "record", "-o", out, "--"] + argv,
                        capture_output=True, text=True, timeout=600)
    t.ok(vg.returncode == 0 and "trace written" in vg.stderr,
         "record of %s: no memory error or leak" % name)
    if vg.returncode != 0:
        t.diag(vg.stderr[-4000:])

traces = []
for name, argv in (("conns", ["conns", "3", "1000"]), ("udp", ["udp", "100"]),
                   ("unix", ["unix", env.tmp, "100"]), ("forkconn", ["forkconn", "100"]),
                   ("dup", ["dup", "100"]), ("nonblock", ["nonblock"]), ("dns", ["dns"])):
    rc, out, err, trace = sstools.record(env, [sstools.NET] + argv, name)
    if rc != 0:
        sstest.bail("ss-net %s failed: %s" % (name, err))
    traces.append(trace)
rc, out, err, trace = sstools.record(env, [sstools.CALLS, "exec"], "exec")
traces.append(trace)
broken = os.path.join(env.tmp, "broken")
shutil.copytree(traces[0], broken)
for d, _, files in os.walk(broken):
    for f in files:
        if f.startswith("sockscope_"):
            with open(os.path.join(d, f), "r+b") as fh:
                fh.truncate(100)

for opts, dirs, name, status in (
        (["--format", "json"], traces, "JSON of every trace", 0),
        ([], traces, "text of every trace", 0),
        (["--format", "json", "--port", "53", "-a", "127.0.0.1", "-c", "ss-*"], traces,
         "JSON with address, port and name filters", 0),
        (["--no-hist", "-p", "1"], traces[:1], "text filtered to no process", 0),
        (["--format", "json"], [broken], "a damaged trace", 1)):
    argv = [sstools.SOCKSCOPE, "report"] + opts + dirs
    plain = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    vg = subprocess.run(VALGRIND + argv, capture_output=True, text=True, timeout=600)
    t.is_((vg.returncode, plain.returncode), (status, status),
          "%s: no memory error or leak, status %d" % (name, status))
    if vg.returncode == 99:
        t.diag(vg.stderr[-4000:])
    t.is_(vg.stdout, plain.stdout, "%s: the same output under valgrind" % name)
t.done()
