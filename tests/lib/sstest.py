# SPDX-License-Identifier: MIT
"""Helpers for the trace tests written in Python: TAP output, a session
daemon when none answers (stopped by pid at exit), LTTng sessions of the
test's own, programs run under the preload, and traces read back with
libbabeltrace2's Python bindings (bt2).  Everything a test starts it stops
by pid; everything it creates it removes."""

import atexit
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# `make check` says which build to test (SANITIZE=... builds elsewhere).
BUILD = os.environ.get("SS_BUILD") or os.path.join(TOP, "build")
PRELOAD = os.path.join(BUILD, "libsockscope-preload.so")
SANITIZE = os.environ.get("SS_SANITIZE", "")


def _sanitizer_preload():
    """An ASan-built preload must come after the ASan runtime, which has to
    be the first library of a program that was not built with it."""
    if "address" not in SANITIZE:
        return []
    r = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True)
    return [r.stdout.strip()]
PYTHON = "/usr/bin/python3"
# ASan options for programs run with a sanitized preload: foreign programs
# (python3) leak at exit by design, and their own crashes must end them as
# without sanitizers (status 128+N), not as an ASan report (status 1).
ASAN_FOREIGN = "detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_abort=0"
ASAN_OURS = "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_abort=0"


def sanitizer_env(env, argv):
    """Set ASAN_OPTIONS in env for running argv under a sanitized preload:
    leaks are checked in our own programs (built under BUILD) only."""
    if "address" in SANITIZE and "ASAN_OPTIONS" not in os.environ:
        exe = shutil.which(argv[0]) if argv else None
        ours = exe and os.path.realpath(exe).startswith(os.path.realpath(BUILD) + os.sep)
        env["ASAN_OPTIONS"] = ASAN_OURS if ours else ASAN_FOREIGN
        env["LSAN_OPTIONS"] = "suppressions=" + os.path.join(TOP, "tests", "lsan.supp")
    return env


def _find_ust_fork():
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"):
        p = os.path.join(d, "liblttng-ust-fork.so.1")
        if os.path.exists(p):
            return p
    return None


UST_FORK = _find_ust_fork()


def process_gone(pid):
    """Whether pid has exited: gone, or a zombie its adopter has not
    reaped yet (it holds nothing any more)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def free_port(family=socket.AF_INET, kind=socket.SOCK_STREAM):
    """A loopback port nothing is bound to now (the kernel's choice)."""
    with socket.socket(family, kind) as s:
        s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        return s.getsockname()[1]


class Tap:
    """A TAP producer: plan, ok, is_, diag; exit status says if all passed."""

    def __init__(self, plan=None):
        self.n = 0
        self.failed = 0
        self.planned = plan
        if plan is not None:
            print("1..%d" % plan, flush=True)

    def ok(self, cond, desc):
        self.n += 1
        if not cond and "# TODO" not in desc:  # a known gap fails nothing
            self.failed += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, desc), flush=True)
        if not cond:
            self.diag("Failed test %d - %s" % (self.n, desc))
        return cond

    def is_(self, got, want, desc):
        good = self.ok(got == want, desc)
        if not good:
            self.diag("got:  %r" % (got,))
            self.diag("want: %r" % (want,))
        return good

    def diag(self, msg):
        """To stderr, as Test::More's diag: prove shows it even when not
        verbose, so a failure in CI says why."""
        for line in str(msg).splitlines():
            print("# " + line, file=sys.stderr, flush=True)

    def skip_all(self, why):
        print("1..0 # SKIP " + why, flush=True)
        sys.exit(0)

    def done(self):
        if self.planned is None:
            print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


def bail(msg):
    print("Bail out! " + msg, flush=True)
    sys.exit(1)


class Env:
    """Temporary directory, session daemon and sessions of one test."""

    def __init__(self, tag):
        self.tag = "%s-%d" % (tag, os.getpid())
        self.tmp = tempfile.mkdtemp(prefix="sockscope-test-")
        self.sessiond_pid = None
        self.sessions = []
        self.procs = []
        self.undo = []  # callables, run last first before the directory goes
        atexit.register(self.cleanup)
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))

    def on_cleanup(self, fn):
        self.undo.append(fn)

    def cleanup(self):
        for fn in reversed(self.undo):
            try:
                fn()
            except Exception as e:  # the rest must still be undone
                print("# cleanup: %s" % e, file=sys.stderr, flush=True)
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for s in self.sessions:
            subprocess.run(["lttng", "destroy", s], capture_output=True)
        if self.sessiond_pid:
            # Stopped and waited for (its consumer daemons leave with it),
            # so that the next test finds none rather than one shutting down.
            try:
                os.kill(self.sessiond_pid, signal.SIGTERM)
                for _ in range(600):
                    if process_gone(self.sessiond_pid):
                        break
                    time.sleep(0.1)
                else:
                    print("# cleanup: lttng-sessiond (pid %d) did not stop" % self.sessiond_pid,
                          file=sys.stderr, flush=True)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    def need_sessiond(self):
        if subprocess.run(["lttng", "list"], capture_output=True).returncode == 0:
            return
        pidfile = os.path.join(self.tmp, "sessiond.pid")
        r = subprocess.run(["lttng-sessiond", "--daemonize", "--pidfile=" + pidfile],
                           capture_output=True)
        if r.returncode != 0:
            bail("cannot start lttng-sessiond: " + r.stderr.decode(errors="replace"))
        with open(pidfile) as f:
            self.sessiond_pid = int(f.read())
        for _ in range(100):
            if subprocess.run(["lttng", "list"], capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        bail("lttng-sessiond does not answer")

    def lttng(self, *args):
        r = subprocess.run(["lttng"] + list(args), capture_output=True, text=True)
        if r.returncode != 0:
            bail("lttng %s: %s" % (" ".join(args), r.stderr.strip()))
        return r.stdout

    def session(self, name="s", events="sockscope:*", subbuf="1M", nsub="8", filter=None,
                contexts=("vpid", "vtid", "procname")):
        """Create and start a session; returns (name, output dir).  filter
        is an LTTng filter expression applied to every enabled event;
        contexts are added to every event (none if empty)."""
        self.need_sessiond()
        sname = "sstest-%s-%s" % (self.tag, name)
        out = os.path.join(self.tmp, "trace-" + name)
        self.lttng("create", sname, "--output=" + out)
        self.sessions.append(sname)
        self.lttng("enable-channel", "-u", "-s", sname, "--subbuf-size=" + subbuf,
                   "--num-subbuf=" + nsub, "ch")
        for ev in events.split(","):
            self.lttng("enable-event", "-u", "-s", sname, "-c", "ch", ev,
                       *(["--filter", filter] if filter else []))
        if contexts:
            self.lttng("add-context", "-u", "-s", sname, "-c", "ch",
                       *[a for c in contexts for a in ("-t", c)])
        self.lttng("start", sname)
        return sname, out

    def stop(self, sname):
        self.lttng("stop", sname)
        self.lttng("destroy", sname)
        self.sessions.remove(sname)

    def preload_env(self, ust_fork=False, extra=None):
        """The environment of a preloaded program.  The preload follows
        forks itself; ust_fork preloads liblttng-ust-fork after it too, as
        a user's own LD_PRELOAD may."""
        env = dict(os.environ)
        libs = _sanitizer_preload() + [PRELOAD] + ([UST_FORK] if ust_fork and UST_FORK else [])
        env["LD_PRELOAD"] = ":".join(libs)
        if "address" in SANITIZE:
            env.setdefault("ASAN_OPTIONS", ASAN_FOREIGN)
        if self.sessions:
            # Recording by hand: wait for registration, as a tagged process
            # does, so that the program's first calls are recorded.
            env["SOCKSCOPE_PROBES"] = "on"
        if extra:
            env.update(extra)
        return env

    def spawn(self, argv, preload=True, ust_fork=False, **kw):
        if "env" not in kw:
            kw["env"] = self.preload_env(ust_fork) if preload else dict(os.environ)
        p = subprocess.Popen(argv, **kw)
        self.procs.append(p)
        return p

    def run(self, argv, preload=True, ust_fork=False, timeout=120, **kw):
        p = self.spawn(argv, preload=preload, ust_fork=ust_fork, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, **kw)
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors="replace"), err.decode(errors="replace"), p.pid


def _value(f):
    import bt2
    if isinstance(f, bt2._EnumerationFieldConst):
        try:
            labels = f.labels
        except AssertionError:  # a value no label maps (unknown family)
            labels = None
        return labels[0] if labels else int(f)
    if isinstance(f, bt2._StringFieldConst):
        return str(f)
    if isinstance(f, (bt2._SignedIntegerFieldConst, bt2._UnsignedIntegerFieldConst)):
        return int(f)
    return str(f)


def read_trace(path):
    """Every event of the trace at path as a dict: name, ts (ns), vpid, vtid,
    procname and the payload fields (vpid and vtid are payload fields of
    ours, and contexts of sessions that add them: "ctx" keeps the
    contexts); plus the discarded-event count."""
    import bt2
    events = []
    discarded = 0
    for msg in bt2.TraceCollectionMessageIterator(path):
        if type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
            continue
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        d = {"name": ev.name,
             "ts": msg.default_clock_snapshot.ns_from_origin,
             "cycles": msg.default_clock_snapshot.value}
        ctx = ev.common_context_field
        d["ctx"] = {}
        if ctx is not None:
            for k in ("vpid", "vtid", "procname"):
                if k in ctx:
                    d[k] = d["ctx"][k] = _value(ctx[k])
        for k, f in ev.payload_field.items():
            d[k] = _value(f)
        if isinstance(d.get("err"), int):  # the errno number: named as the report does
            d["err"] = errno.errorcode.get(d["err"], d["err"]) if d["err"] else "OK"
        events.append(d)
    return events, discarded


def only(events, pids=None, prefix="sockscope:"):
    """Events of the given processes whose name starts with prefix."""
    return [e for e in events if e["name"].startswith(prefix) and
            (pids is None or e.get("vpid") in pids)]
