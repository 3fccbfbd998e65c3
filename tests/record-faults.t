#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Faults around a recording.  The session daemon killed in the middle (a
# private one, as user nobody): the program goes on unchanged, record says
# what happened, and the trace up to then reads.  The traced program
# killed by SIGKILL or crashing with SIGSEGV: record exits 128+N like a
# shell and the trace up to the end reads.  The output file system filling
# up during the recording: record says the trace may lack what did not
# fit.  An output directory that cannot take the trace (a file, a
# non-empty directory, an unwritable parent, a read-only or nearly full
# file system): a clear error before the program runs.
import os
import signal
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PY = sstest.PYTHON
t = sstest.Tap()
env = sstest.Env("faults")
env.need_sessiond()


def gone(pid):
    """Whether pid has ended (a zombie nobody reaps counts as ended)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def wait_for(cond, what, secs=120):
    deadline = time.monotonic() + secs
    while not cond():
        if time.monotonic() > deadline:
            sstest.bail("gave up waiting for " + what)
        time.sleep(0.1)


# ---- the session daemon killed during the recording ----
# One socketpair round trip per line of input; "end" at the end of input.
LINES = """import socket, sys
for line in sys.stdin:
    a, b = socket.socketpair()
    a.sendall(line.encode())
    print("got", b.recv(100).decode().strip(), flush=True)
    a.close()
    b.close()
print("end", flush=True)
"""


def daemon_killed():
    nobody = sstools.Nobody()
    bare = nobody.popen([PY, "-c", LINES], stdin=subprocess.PIPE)
    bare_out = bare.communicate("one\ntwo\n", timeout=120)[0]
    trace = os.path.join(nobody.home, "t")
    p = nobody.popen([sstools.SOCKSCOPE, "record", "-o", trace, "--", PY, "-c", LINES],
                     cmd=[PY], stdin=subprocess.PIPE)
    env.procs.append(p)
    p.stdin.write("one\n")
    p.stdin.flush()
    first = p.stdout.readline()
    # The buffers reach the disk within a second: wait until they did.
    def on_disk():
        rc, out = sstools.report(trace, ["--format", "json"])[:2]
        return rc == 0 and "socketpair" in out
    wait_for(on_disk, "the first round trip on disk")
    daemon = nobody.daemon_pid()
    os.kill(daemon, signal.SIGKILL)
    wait_for(lambda: gone(daemon), "the daemon's end")
    out, err = p.communicate("two\n", timeout=120)
    t.is_((p.returncode, first + out), (bare.returncode, bare_out),
          "daemon killed: the program went on unchanged (status %d, same output)" % bare.returncode)
    t.ok("session daemon ended during the recording" in err, "record says the daemon ended")
    if "session daemon ended" not in err:
        t.diag(err)
    rep = sstools.report_json(trace)
    t.ok(sstools.calls(rep).get("socketpair", 0) >= 1 and
         (4, 0) in [(c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]],
         "the trace up to the kill reads: the first round trip (4 bytes) is in it")


# ---- the output file system filling up during the recording ----
# The program fills a 2 MiB tmpfs (mounted in a mount namespace of the
# test's own, where the private daemon record starts can see it) and then
# makes a socket call.
FILL = """import errno, os, socket, sys
try:
    with open(os.path.join(sys.argv[1], "fill"), "wb") as f:
        while True:
            f.write(bytes(65536))
            f.flush()
except OSError as e:
    if e.errno != errno.ENOSPC:
        raise
a, b = socket.socketpair()
a.send(b"x")
print("full; got", b.recv(1).decode())
"""


def disk_filled():
    nobody = sstools.Nobody()
    mnt = os.path.join(nobody.home, "mnt")
    os.mkdir(mnt)
    script = ('mount -t tmpfs -o size=2m,uid=%d,gid=%d tmpfs "$1" && shift && '
              'exec setpriv --reuid=%d --regid=%d --clear-groups "$@"' % ((nobody.UID,) * 4))
    p = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", mnt, sstools.SOCKSCOPE,
                        "record", "-o", os.path.join(mnt, "t"), "--", PY, "-c", FILL, mnt],
                       capture_output=True, text=True, timeout=300, cwd=nobody.home,
                       env=sstest.sanitizer_env(dict(nobody.env), [PY]))
    t.is_((p.returncode, p.stdout), (0, "full; got x\n"),
          "file system filled during the recording: the program runs on unchanged")
    t.ok("KiB left on its file system" in p.stderr and "may lack" in p.stderr,
         "record says the file system is full and the trace may lack what did not fit")
    if "KiB left" not in p.stderr:
        t.diag(p.stderr)


why = sstools.Nobody.why_not()
if why:
    for i in range(6):
        t.ok(True, "# SKIP " + why)
else:
    before = sstools.Nobody.system_daemon()
    daemon_killed()
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0:
        disk_filled()
    else:
        for i in range(2):
            t.ok(True, "# SKIP cannot make a mount namespace to mount file systems in")
    t.is_(sstools.Nobody.system_daemon(), before, "the system's daemon is untouched")


# ---- the traced program killed or crashing ----
# A TCP round trip of 1000 bytes in one process, then a signal to itself.
DIE = """import os, signal, socket, sys
l = socket.create_server(("127.0.0.1", 0))
c = socket.create_connection(l.getsockname())
s, _ = l.accept()
c.sendall(b"x" * 1000)
s.sendall(s.recv(1000, socket.MSG_WAITALL))
print("echoed", len(c.recv(1000, socket.MSG_WAITALL)), flush=True)
os.kill(os.getpid(), int(sys.argv[1]))
"""
for sig in (signal.SIGKILL, signal.SIGSEGV):
    bare = subprocess.run([PY, "-c", DIE, str(int(sig))], capture_output=True, text=True)
    rc, out, err, trace = sstools.record(env, [PY, "-c", DIE, str(int(sig))], sig.name)
    t.is_((rc, out), (128 - bare.returncode if bare.returncode < 0 else bare.returncode,
                      bare.stdout), "%s: status 128+%d and output as without record" %
          (sig.name, sig))
    t.is_(rc, 128 + sig, "%s: record exits %d" % (sig.name, 128 + sig))
    rep = sstools.report_json(trace)
    t.is_(sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]),
          [("client", 1000, 1000), ("listener", 0, 0), ("server", 1000, 1000)],
          "%s: the trace up to the end reads, every connection and byte in it" % sig.name)


# ---- output directories that cannot take a trace ----
marker = os.path.join(env.tmp, "ran")
RUN = ["sh", "-c", "echo ran > " + marker]


def refused(name, why, opts, wrap=(), **kw):
    """record with opts cannot write its trace: status 2, why said, RUN not run."""
    argv = list(wrap) + [sstools.SOCKSCOPE, "record"] + opts + ["--"] + RUN
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kw)
    t.ok(p.returncode == 2 and why in p.stderr and not os.path.exists(marker),
         "%s: status 2, says '%s', the program did not run" % (name, why))
    if p.returncode != 2 or why not in p.stderr:
        t.diag("status %d: %s" % (p.returncode, p.stderr))


afile = os.path.join(env.tmp, "afile")
open(afile, "w").close()
refused("-o a file", "exists and is not a directory", ["-o", afile])
full = os.path.join(env.tmp, "full")
os.mkdir(full)
open(os.path.join(full, "keep"), "w").close()
refused("-o a non-empty directory", "exists and is not empty", ["-o", full])
t.is_(os.listdir(full), ["keep"], "the non-empty directory is left as it was")
refused("-o under a missing directory", "No such file or directory",
        ["-o", os.path.join(env.tmp, "no", "such", "dir")])
if os.geteuid() == 0:
    closed = os.path.join(env.tmp, "closed")
    os.mkdir(closed, 0o755)
    os.chmod(env.tmp, 0o755)
    refused("-o in a directory nobody may write", "Permission denied",
            ["-o", os.path.join(closed, "t")], user=65534, group=65534, extra_groups=[])
else:
    refused("-o in a directory we may not write", "cannot create", ["-o", "/proc/t"])

# File systems of our own, in a mount namespace of our own: a read-only
# one, and one with less room than a trace needs.
if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0:
    mnt = os.path.join(env.tmp, "mnt")
    os.mkdir(mnt)
    for opts, name, why in (("ro,size=4m", "a read-only file system", "Read-only file system"),
                            ("size=256k", "a file system with 256 KiB", "KiB free")):
        script = 'mount -t tmpfs -o %s tmpfs "$1" && shift && exec "$@"' % opts
        refused("-o on " + name, why, ["-o", os.path.join(mnt, "t")],
                wrap=["unshare", "-m", "sh", "-c", script, "sh", mnt])
else:
    for i in range(2):
        t.ok(True, "# SKIP cannot make a mount namespace to mount file systems in")
rc, out, err, trace = sstools.record(env, RUN, "control")
t.ok(rc == 0 and os.path.exists(marker), "control: with a good directory the program runs")
t.done()
