# SPDX-License-Identifier: MIT
"""Helpers for the acceptance tests: real, unmodified programs run by one
scenario twice, bare and under `sockscope record`, so that their exit
statuses and outputs can be compared and the recorded run's report
checked against what the programs did.

Every server listens on a free loopback port (or a unix socket in the
run's own directory) and is waited for by watching /proc/net, not by
connecting to it; every process is stopped by its pid (a recorded one
through its `sockscope record`, which passes the signal on).  Outputs go
to files, so a chatty server never blocks on a full pipe."""

import atexit
import os
import re
import signal
import socket
import shutil
import stat
import subprocess
import sys
import tempfile
import time

import sstest
import sstools

PYTHON = sstest.PYTHON
EXAMPLES = os.path.join(sstest.TOP, "examples")
PROGS = os.path.join(sstest.TOP, "tests", "prog")
READY_WAIT = 120  # seconds before a server that never listens fails the test


free_port = sstest.free_port


def _bound(proto, port):
    """Whether a socket of /proc/net/<proto> is bound to port (listening,
    for TCP)."""
    try:
        with open("/proc/net/" + proto) as f:
            next(f)
            for line in f:
                fields = line.split()
                local, st = fields[1], fields[3]
                if int(local.rsplit(":", 1)[1], 16) == port and \
                        (not proto.startswith("tcp") or st == "0A"):
                    return True
    except OSError:
        pass
    return False


def _ready(what):
    kind, where = what
    if kind == "unix":
        try:
            return stat.S_ISSOCK(os.stat(where).st_mode)
        except OSError:
            return False
    if kind == "file":
        return os.path.exists(where)
    return _bound(kind, where)


class Result:
    """How a process ended: status (128+N when signal N killed it, as a
    shell says), its output, and what record said, apart."""

    def __init__(self, rc, out, err):
        self.rc = 128 - rc if rc < 0 else rc
        lines = err.splitlines(True)
        self.rec = "".join(l for l in lines if l.startswith("sockscope: record:"))
        self.err = "".join(l for l in lines if not l.startswith("sockscope: record:"))
        self.out = out


def _read(path):
    with open(path, errors="replace") as f:
        return f.read()


class Run:
    """One run of a scenario: its programs bare, or each under its own
    `sockscope record` (traced=True).  Files of the run live in .dir."""

    def __init__(self, env, label, traced):
        self.env = env
        self.label = label
        self.traced = traced
        self.dir = os.path.join(env.tmp, "%s-%s" % (label, "rec" if traced else "bare"))
        os.makedirs(self.dir)
        self.traces = {}
        self.procs = {}
        self.results = {}
        atexit.register(self._stop_all)

    def _argv(self, name, argv, opts):
        if not self.traced:
            return list(argv)
        out = os.path.join(self.dir, "trace-" + name)
        self.traces[name] = out
        return [sstools.SOCKSCOPE, "record", "-o", out] + list(opts) + ["--"] + list(argv)

    def start(self, name, argv, ready=None, opts=(), pipes=False, env=None):
        """Start argv in the background as name; wait until ready, one of
        ("tcp"|"tcp6"|"udp"|"udp6", port), ("unix", path), ("file", path).
        With pipes, its stdin and stdout are pipes (p.stdin, p.stdout)."""
        out = open(os.path.join(self.dir, name + ".out"), "w")
        err = open(os.path.join(self.dir, name + ".err"), "w")
        p = subprocess.Popen(self._argv(name, argv, opts), cwd=self.dir,
                             env=sstest.sanitizer_env(dict(env or os.environ), argv),
                             stdin=subprocess.PIPE if pipes else subprocess.DEVNULL,
                             stdout=subprocess.PIPE if pipes else out, stderr=err)
        out.close()
        err.close()
        self.procs[name] = p
        deadline = time.monotonic() + READY_WAIT
        while ready and not _ready(ready):
            if p.poll() is not None:
                sstest.bail("%s ended (%d) before it was ready: %s" %
                            (name, p.returncode, _read(os.path.join(self.dir, name + ".err"))))
            if time.monotonic() > deadline:
                sstest.bail("%s is not ready after %d s" % (name, READY_WAIT))
            time.sleep(0.05)
        return p

    def wait(self, name, timeout=120):
        """Wait for name to end by itself; its Result."""
        p = self.procs.pop(name)
        if p.stdin:
            p.stdin.close()
        out = p.stdout.read().decode(errors="replace") if p.stdout else None
        p.wait(timeout=timeout)
        if out is None:
            out = _read(os.path.join(self.dir, name + ".out"))
        r = Result(p.returncode, out, _read(os.path.join(self.dir, name + ".err")))
        self.results[name] = r
        return r

    def stop(self, name, sig=signal.SIGTERM, timeout=120):
        """Send sig to name (to its record, which passes it on), and wait."""
        self.procs[name].send_signal(sig)
        return self.wait(name, timeout)

    def run(self, name, argv, input=None, opts=(), timeout=120, env=None):
        """Run argv as name to its end, input (bytes) on its stdin."""
        stdin = open(os.path.join(self.dir, name + ".in"), "w+b")
        stdin.write(input or b"")
        stdin.seek(0)
        with open(os.path.join(self.dir, name + ".out"), "w") as out, \
                open(os.path.join(self.dir, name + ".err"), "w") as err:
            p = subprocess.run(self._argv(name, argv, opts), cwd=self.dir, stdin=stdin,
                               stdout=out, stderr=err, timeout=timeout,
                               env=sstest.sanitizer_env(dict(env or os.environ), argv))
        stdin.close()
        r = Result(p.returncode, _read(os.path.join(self.dir, name + ".out")),
                   _read(os.path.join(self.dir, name + ".err")))
        self.results[name] = r
        return r

    def pid(self, name):
        """The pid of name's program, as its record noted it."""
        with open(os.path.join(self.traces[name], "sockscope.info")) as f:
            return int(re.search(r"^pid (\d+)$", f.read(), re.M).group(1))

    def report(self, *names):
        """The JSON report of the traces of names (all when none given)."""
        return sstools.report_json([self.traces[n] for n in names or sorted(self.traces)])

    def _stop_all(self):
        # A test that failed half-way: stop what is left, gently first so
        # that a record stops its command too.
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def sanitizer_trouble(argv):
    """Why argv cannot be tested in a sanitized build, or None.  The
    sanitized preload needs the ASan runtime preloaded first, and some
    programs do not run so even without sockscope (curl hangs in
    setlocale): they are tested in the plain build only."""
    if "address" not in sstest.SANITIZE:
        return None
    env = dict(os.environ, LD_PRELOAD=":".join(sstest._sanitizer_preload()),
               ASAN_OPTIONS=sstest.ASAN_FOREIGN)
    try:
        p = subprocess.run(argv, env=env, capture_output=True, timeout=30)
        bad = p.returncode != 0
    except subprocess.TimeoutExpired:
        bad = True
    return "%s does not run with the ASan runtime preloaded, even without sockscope" % argv[0] \
        if bad else None


def both(env, label, scenario):
    """Run scenario(run) bare, then recorded: (bare, recorded, what the
    recorded scenario returned)."""
    bare = Run(env, label, False)
    scenario(bare)
    rec = Run(env, label, True)
    return bare, rec, scenario(rec)


def digits(text):
    """Text with every number as N: ports, pids, times and dates differ
    between two runs of the same thing."""
    return re.sub(r"\d+", "N", text)


def same(t, bare, rec, name, norm=None):
    """One test: name ended with the same status and output bare and
    recorded (outputs through norm), and record said only where the trace is."""
    b, r = bare.results[name], rec.results[name]
    n = norm or (lambda s: s)
    got, want = (r.rc, n(r.out), n(r.err)), (b.rc, n(b.out), n(b.err))
    what = "%s %s" % (rec.label, name)
    t.is_(got, want, "%s: same status (%d) and output bare and recorded" % (what, b.rc))
    said = [l for l in r.rec.splitlines() if not l.startswith("sockscope: record: trace written")]
    t.is_(said, [], "%s: record had nothing to warn about" % what)


def conns(rep, **want):
    """The connections of a JSON report whose fields equal want's."""
    return [c for c in rep["connections"] if all(c.get(k) == v for k, v in want.items())]


def io(cs):
    """(tx, rx) summed over connections."""
    return (sum(c["tx_bytes"] for c in cs), sum(c["rx_bytes"] for c in cs))


def pattern(n, seed=0):
    """n bytes of a repeating printable pattern (no newline but the last)."""
    line = bytes((48 + (seed + i) % 75) for i in range(79))
    return (line * (n // 79 + 1))[:n - 1] + b"\n"


def private_name_service(hosts):
    """Go on in a private mount namespace where /etc/hosts holds hosts and
    the name service reads files only, so that no lookup leaves the
    machine and every answer is known.  The test is run again inside
    `unshare -m` (same pid); returns False when that cannot be done."""
    if os.environ.get("SS_PRIVATE_NAMES") != "1":
        if os.geteuid() != 0 or not shutil.which("unshare") or \
                subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
            return False
        os.environ["SS_PRIVATE_NAMES"] = "1"
        sys.stdout.flush()
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private", sys.executable] +
                  [os.path.abspath(sys.argv[0])] + sys.argv[1:])
    d = tempfile.mkdtemp(prefix="sockscope-names-")
    files = {"hosts": hosts, "nsswitch.conf": "hosts: files\nservices: files\n"}
    for name, text in files.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        subprocess.run(["mount", "--bind", os.path.join(d, name), "/etc/" + name], check=True)
    shutil.rmtree(d)
    return True
