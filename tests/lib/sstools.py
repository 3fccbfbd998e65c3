# SPDX-License-Identifier: MIT
"""Helpers for the tests of the sockscope command: run `sockscope record`
into the test's temporary directory, and `sockscope report` on what it
wrote.  Built on sstest (TAP, temporary directory, cleanup)."""

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import sstest
import traceedit

SOCKSCOPE = os.path.join(sstest.BUILD, "sockscope")
NET = os.path.join(sstest.BUILD, "tests", "ss-net")
CALLS = os.path.join(sstest.BUILD, "tests", "ss-calls")


def record(env, argv, name, opts=(), timeout=120, **kw):
    """Record argv into env.tmp/traces/name; returns (rc, stdout, stderr, dir)."""
    os.makedirs(os.path.join(env.tmp, "traces"), exist_ok=True)
    out = os.path.join(env.tmp, "traces", name)
    kw.setdefault("env", sstest.sanitizer_env(dict(os.environ), argv))
    p = subprocess.run([SOCKSCOPE, "record", "-o", out] + list(opts) + ["--"] + list(argv),
                       capture_output=True, text=True, timeout=timeout, **kw)
    return p.returncode, p.stdout, p.stderr, out


def record_bg(env, argv, name, ready, wrap=()):
    """Record argv into env.tmp/traces/name in the background, run under
    the command prefix wrap (e.g. ip netns exec NS), until the file ready
    appears (its first word: the program's pid; a server writes its port
    after it).  Returns (the record process, the trace directory, the
    file's words); the program is killed by its pid at cleanup if still
    running."""
    os.makedirs(os.path.join(env.tmp, "traces"), exist_ok=True)
    out = os.path.join(env.tmp, "traces", name)
    rec = subprocess.Popen(list(wrap) + [SOCKSCOPE, "record", "-o", out, "--"] + list(argv),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=sstest.sanitizer_env(dict(os.environ), argv))
    env.procs.append(rec)
    for _ in range(300):
        if os.path.exists(ready) or rec.poll() is not None:
            break
        time.sleep(0.1)
    if not os.path.exists(ready):
        rec.kill()
        sstest.bail("%s did not start: %s" % (name, rec.communicate()[1].strip()))
    with open(ready) as f:
        words = f.read().split()

    def stop():  # the program itself, by its pid, before record is stopped
        if rec.poll() is None:
            try:
                os.kill(int(words[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
    env.on_cleanup(stop)
    return rec, out, words


def report(dirs, opts=(), timeout=120):
    """Run report; returns (rc, stdout, stderr)."""
    if isinstance(dirs, str):
        dirs = [dirs]
    p = subprocess.run([SOCKSCOPE, "report"] + list(opts) + list(dirs),
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def report_json(dirs, opts=()):
    """The report of dirs as a dict; bails out if report fails."""
    rc, out, err = report(dirs, ["--format", "json"] + list(opts))
    if rc != 0:
        sstest.bail("report failed (%d): %s" % (rc, err.strip()))
    return json.loads(out)


def clock_offset(tree):
    """traceedit.clock_offset, bailing out when it cannot."""
    try:
        return traceedit.clock_offset(tree)
    except ValueError as e:
        sstest.bail(str(e))


def move_host(tree, name, delta_ns):
    """traceedit.move_host, bailing out when it cannot."""
    try:
        return traceedit.move_host(tree, name, delta_ns)
    except ValueError as e:
        sstest.bail(str(e))


def text_rows(txt):
    """The connection table of a text report, each row split in words."""
    rows, inside = [], False
    for line in txt.splitlines():
        words = line.split()
        if words[:4] == ["PID", "COMM", "ROLE", "LOCAL"]:
            inside = True
        elif inside and not words:
            break
        elif inside:
            rows.append(words)
    return rows


def calls(rep):
    """{syscall name: calls} of a JSON report."""
    return {s["name"]: s["calls"] for s in rep["syscalls"]}


def ports(stdout):
    """The ports an ss-net run printed, in order."""
    return [int(l.split()[1]) for l in stdout.splitlines() if l.startswith("port ")]


# The keys DESIGN.md promises in `report --format json`, with their types.
SCHEMA = {
    "top": {"events": int, "lost_events": int, "syscalls": list, "connections": list,
            "errors": list, "dns": list, "flows": list, "hosts": list, "services": list},
    "syscalls": {"name": str, "calls": int, "errors": int, "total_ns": int, "p50_ns": int,
                 "p99_ns": int, "max_ns": int},
    "connections": {"pid": int, "comm": str, "sock": int, "family": str, "type": str,
                    "role": str, "local": str, "remote": str, "tx_bytes": int, "rx_bytes": int,
                    "start_ns": int, "duration_ns": int},
    "errors": {"call": str, "err": str, "count": int},
    "dns": {"call": str, "query": str, "result": str, "dur_ns": int},
    "flows": {"proto": str, "bytes_to_server": int, "bytes_to_client": int, "start_ns": int,
              "duration_ns": int},
    "hosts": {"name": str, "flows": int, "outliers": int},
    "services": {"side": str, "endpoint": str, "connections": int, "exchanges": int,
                 "histogram": list},
}
OFFSETS = ("offset_ns", "offset_min_ns", "offset_max_ns")  # ns, signed, null when unbounded
FLOW_END = {"pid": int, "comm": str, "sock": int, "endpoint": str}
ROLES = {"client", "server", "listener", "datagram", "pair", "unused", "bound", "raw", "netlink",
         "packet"}


def schema_problems(rep):
    """What in a JSON report breaks the promised shape, as a list of text."""
    bad = []

    def check(obj, keys, where):
        for k, ty in keys.items():
            if k not in obj:
                bad.append("%s: no %s" % (where, k))
            elif not isinstance(obj[k], ty) or (ty is int and isinstance(obj[k], bool)):
                bad.append("%s.%s: %r is not %s" % (where, k, obj[k], ty.__name__))
            elif ty is int and obj[k] < 0 and k not in ("pid", "sock", "start_ns"):
                bad.append("%s.%s: negative" % (where, k))

    check(rep, SCHEMA["top"], "report")
    for part in ("syscalls", "connections", "errors", "dns", "flows", "hosts", "services"):
        for i, item in enumerate(rep.get(part, [])):
            check(item, SCHEMA[part], "%s[%d]" % (part, i))
    for i, f in enumerate(rep.get("flows", [])):
        ends = [f.get(k) for k in ("client", "server")]
        if not any(ends) or f.get("agree") not in (True, False, None):
            bad.append("flows[%d]: no end, or agree %r" % (i, f.get("agree")))
        for k, e in zip(("client", "server"), ends):
            if e is not None:
                check(e, FLOW_END, "flows[%d].%s" % (i, k))
    for i, h in enumerate(rep.get("hosts", [])):
        if any(k not in h or not (h[k] is None or type(h[k]) is int) for k in OFFSETS):
            bad.append("hosts[%d]: offsets %r" % (i, [h.get(k, "missing") for k in OFFSETS]))
        elif h.get("offset_ns") is not None and not (
                (h["offset_min_ns"] is None or h["offset_min_ns"] <= h["offset_ns"]) and
                (h["offset_max_ns"] is None or h["offset_ns"] <= h["offset_max_ns"])):
            bad.append("hosts[%d]: offset outside its bounds" % i)
    for c in rep.get("connections", []):
        if not isinstance(c.get("host"), str):
            bad.append("connection without a host")
        x = c.get("exchanges")
        if not isinstance(x, dict) or type(x.get("count")) is not int or any(
                not (x.get(k) is None or type(x.get(k)) is int) for k in ("p50_ns", "p99_ns", "max_ns")):
            bad.append("connection exchanges %r" % (x,))
        if any(not (c.get(k) is None or type(c.get(k)) is int) for k in ("connect_ns", "ttfb_ns")):
            bad.append("connection latency %r %r" % (c.get("connect_ns"), c.get("ttfb_ns")))
        if c.get("role") not in ROLES:
            bad.append("role %r" % c.get("role"))
    return bad


def process_state(pid):
    """The state letter of process pid ("Z": it exited, not yet reaped by
    whatever adopted it), or None when there is no such process."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


class Nobody:
    """User nobody with a private HOME and LTTNG_HOME: record, run as
    nobody, starts a session daemon of its own there (run directory
    HOME/.lttng) that no other test or user shares, so a test may stop or
    kill it.  Needs root; skip_unless_possible() ends the test with a skip
    otherwise.  The home (0755, nobody's) is removed at exit, after its
    daemon, if one is left, is stopped by its pid file."""

    UID = 65534

    def __init__(self):
        self.home = tempfile.mkdtemp(prefix="sockscope-home-")
        os.chown(self.home, self.UID, self.UID)
        os.chmod(self.home, 0o755)
        self.env = dict(os.environ, HOME=self.home, LTTNG_HOME=self.home)
        self.pidfile = os.path.join(self.home, ".lttng", "sockscope-sessiond.pid")
        atexit.register(self.cleanup)

    @staticmethod
    def why_not():
        """Why tests cannot run as nobody here, or None when they can."""
        if os.geteuid() != 0:
            return "needs root to run as another user"
        p = subprocess.run([SOCKSCOPE, "--version"], user=Nobody.UID, group=Nobody.UID,
                           extra_groups=[], capture_output=True)
        return "user nobody cannot run the build tree's sockscope" if p.returncode else None

    @staticmethod
    def skip_unless_possible():
        why = Nobody.why_not()
        if why:
            print("1..0 # SKIP " + why)
            sys.exit(0)

    def popen(self, argv, cmd=None, **kw):
        """Start argv as nobody in the home, pipes on stdout and stderr
        (text); ASan options as for running cmd (default argv)."""
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        return subprocess.Popen(argv, user=self.UID, group=self.UID, extra_groups=[],
                                env=sstest.sanitizer_env(dict(self.env), cmd or argv),
                                cwd=self.home, text=True, **kw)

    def daemon_pid(self):
        """The pid of the daemon record started here, or None."""
        try:
            with open(self.pidfile) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    @staticmethod
    def system_daemon():
        """The pid of the system's session daemon (root's), or None."""
        try:
            with open("/var/run/lttng/lttng-sessiond.pid") as f:
                pid = int(f.read())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def cleanup(self):
        pid = self.daemon_pid()
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        subprocess.run(["rm", "-rf", self.home])


def need_tshark(t):
    """Skip the whole test without tshark (scripts/deps.sh installs it)."""
    if subprocess.run(["sh", "-c", "command -v tshark"], capture_output=True).returncode:
        t.skip_all("no tshark (scripts/deps.sh installs it)")


def tshark(f, *args):
    """tshark's output on the capture f with args; bails out if it fails."""
    p = subprocess.run(["tshark", "-n", "-r", f] + list(args), capture_output=True, text=True,
                       timeout=120)
    if p.returncode:
        sstest.bail("tshark %s: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout
