#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# What LD_PRELOAD cannot see, record says, instead of leaving an empty or
# partial trace unexplained.  A program making its socket calls with libc's
# syscall() is seen (the preload routes them) and recorded in full; one
# making them with its own system call instructions is refused with that
# reason, and with --force runs unchanged while record says no socket call
# was seen.  A Go program (found by the
# section Go's linker writes) is run with a warning: only its calls
# through libc, here a name lookup, are recorded.  A traced program that
# makes no socket call, or execs one that cannot be traced, gets the same
# "no socket call was seen" after the run.  With Go installed, real Go
# programs too: static (refused) and cgo (warned).
import os
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

RAW = os.path.join(sstest.BUILD, "tests", "ss-rawsys")
RAWASM = os.path.join(sstest.BUILD, "tests", "ss-rawasm")
GOFAKE = os.path.join(sstest.BUILD, "tests", "ss-gofake")
UNSEEN = "no socket call was seen"
t = sstest.Tap()
env = sstest.Env("unseen")
env.need_sessiond()


def bare(argv):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout


def runs_unchanged(argv, name, opts=()):
    """Record argv; ok when status and output are as without record."""
    rc, out, err, trace = sstools.record(env, argv, name, opts)
    t.is_((rc, out), bare(argv), "%s: runs with the status and output it has bare" % name)
    return err, trace


# libc's syscall(): run without a warning, every call recorded.
err, trace = runs_unchanged([RAW, "300"], "raw")
t.ok("warning" not in err and UNSEEN not in err, "syscall(): runs with no warning")
rep = sstools.report_json(trace)
t.is_(sstools.calls(rep), {"socket": 2, "bind": 1, "listen": 1, "getsockname": 1, "connect": 1,
                           "accept4": 1, "sendto": 2, "recvfrom": 2, "close": 3},
      "syscall(): every socket call is recorded")
t.is_(sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]
             if c["role"] != "listener"),
      [("client", 300, 300), ("server", 300, 300)], "syscall(): exact bytes both ways")

# Its own system call instructions: refused, says why; forced, runs and
# is said to be unseen.
rc, out, err, trace = sstools.record(env, [RAWASM], "rawasm")
t.is_((rc, out), (126, ""), "own system calls: refused (126) before running")
t.ok("system call instruction" in err and "--force" in err,
     "own system calls: says they cannot be seen, and how to run it anyway")
t.ok(not os.path.exists(trace), "own system calls: no trace directory left")
err, trace = runs_unchanged([RAWASM], "rawasm-forced", ["--force"])
t.ok(UNSEEN in err, "own system calls, forced: record says no socket call was seen")
rep = sstools.report_json(trace)
t.is_((rep["events"], rep["connections"]), (0, []), "own system calls: the trace holds no call")

# A Go-like program: warned, run; its libc lookup seen, its own system
# calls not.
err, trace = runs_unchanged([GOFAKE], "gofake")
t.ok("is a Go program" in err and "raw system calls" in err,
     "Go program: record warns that its runtime's raw calls are not seen")
t.ok(UNSEEN not in err, "Go program: its lookup was seen, so no 'nothing seen' warning")
rep = sstools.report_json(trace)
t.is_(([(d["call"], d["query"]) for d in rep["dns"]], rep["connections"]),
      ([("getaddrinfo", "localhost")], []),
      "Go program: the trace holds the lookup through libc, no connection")

# Traced, but no socket call: a Python that makes none, and a shell that
# execs a static program (the tracer does not come along).
err, trace = runs_unchanged([sstest.PYTHON, "-c", "print('no sockets')"], "python-none")
t.ok(UNSEEN in err, "a program that made no socket call: record says none was seen")
src = os.path.join(env.tmp, "static.c")
with open(src, "w") as f:
    f.write("#include <stdio.h>\nint main(void) { puts(\"static\"); return 3; }\n")
static = os.path.join(env.tmp, "static")
if subprocess.run(["cc", "-static", "-o", static, src], capture_output=True).returncode == 0:
    err, trace = runs_unchanged(["sh", "-c", "exec " + static], "exec-static")
    t.ok(UNSEEN in err, "a shell that execs a static program: record says none was seen")
else:
    for i in range(2):
        t.ok(True, "# SKIP no static libc to build a static program")
err, trace = runs_unchanged([sstools.NET, "exit", "0"], "control")
t.ok(UNSEEN not in err and "warning" not in err, "control: a program with sockets, no warning")

# Real Go, when it is installed.
go = shutil.which("go")
if go:
    gosrc = os.path.join(env.tmp, "main.go")
    with open(gosrc, "w") as f:
        f.write('package main\nimport ("fmt"; "net")\nfunc main() {\n'
                '\tl, err := net.Listen("tcp", "127.0.0.1:0")\n\tif err != nil { panic(err) }\n'
                '\tc, err := net.Dial("tcp", l.Addr().String())\n\tif err != nil { panic(err) }\n'
                '\tc.Close(); l.Close(); fmt.Println("go dialed")\n}\n')
    gobuild = dict(os.environ, GOCACHE=os.path.join(env.tmp, "gocache"), GO111MODULE="off",
                   HOME=env.tmp)
    builds = {"go-static": "0", "go-cgo": "1"}
    for name, cgo in builds.items():
        exe = os.path.join(env.tmp, name)
        b = subprocess.run([go, "build", "-o", exe, gosrc], env=dict(gobuild, CGO_ENABLED=cgo),
                           capture_output=True, text=True, cwd=env.tmp)
        if b.returncode != 0:
            t.ok(True, "# SKIP go build (%s) failed: %s" % (name, b.stderr.strip()[:200]))
            continue
        rc, out, err, trace = sstools.record(env, [exe], name)
        if name == "go-static":
            t.ok(rc == 126 and "statically linked (a Go program)" in err,
                 "real Go, static: refused as a static Go program")
        else:
            t.ok(rc == 0 and out == "go dialed\n" and "is a Go program" in err,
                 "real Go, cgo: runs and is warned about")
else:
    for i in range(2):
        t.ok(True, "# SKIP Go is not installed")
t.done()
