#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# record follows what its command leaves running, as `strace -f` does: a
# redis-server that daemonizes, driven by redis-cli from a script whose
# client part also outlives the command; a double-forking daemon that
# sends after its parent exited; signals sent to record reach the daemon
# once the command has ended; --no-follow returns at the command's end and
# names the processes left running; a second SIGINT ends the wait.  A
# command that cannot run exits 126 or 127, as in a shell, with one line
# and no trace directory.
import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

DAEMON = os.path.join(sstest.BUILD, "tests", "ss-daemon")
N = 12345
t = sstest.Tap()
env = sstest.Env("follow")
env.need_sessiond()


class Sink:
    """A loopback listener that counts what each connection sends."""

    def __init__(self):
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(8)
        self.port = self.s.getsockname()[1]
        self.got = []
        self.th = threading.Thread(target=self.serve, daemon=True)
        self.th.start()

    def serve(self):
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            n = 0
            while True:
                b = c.recv(65536)
                if not b:
                    break
                n += len(b)
            c.close()
            self.got.append(n)


started = []  # daemons' pids, stopped at exit if a failure left them running


def read_pid(path, timeout=60):
    for _ in range(timeout * 100):
        try:
            with open(path) as f:
                started.append(int(f.read()))
                return started[-1]
        except (OSError, ValueError):
            time.sleep(0.01)
    sstest.bail("no pid in " + path)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid, timeout=60):
    for _ in range(timeout * 100):
        if not alive(pid):
            return True
        time.sleep(0.01)
    return False


def children(ppid):
    """The live processes whose parent is ppid."""
    kids = []
    for d in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        if st[0] != "Z" and int(st[1]) == ppid:
            kids.append(int(d))
    return kids


def finish(p):
    """Wait for a background record; its stderr."""
    try:
        return p.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        return "timeout"


def kill_left(pid):
    """Stop a daemon a test left running (by its pid), if it still runs and
    is still one of ours (its pid not reused by another program)."""
    try:
        with open("/proc/%d/comm" % pid) as f:
            ours = f.read().strip() in ("ss-daemon", "redis-server")
        if ours and alive(pid):
            os.kill(pid, signal.SIGKILL)
            wait_gone(pid)
    except OSError:
        pass


atexit.register(lambda: [kill_left(pid) for pid in started])


def daemon_rows(trace, pid):
    rep = sstools.report_json(trace)
    return [(c["role"], c["tx_bytes"]) for c in rep["connections"] if c["pid"] == pid]


# ---- a double-forking daemon that sends after the command ended ----
sink = Sink()
pidfile = os.path.join(env.tmp, "d1.pid")
rc, out, err, trace = sstools.record(env, [DAEMON, pidfile, str(sink.port), str(N)], "daemon")
pid = read_pid(pidfile)
t.is_(rc, 0, "the command's own status (0)")
t.ok(not alive(pid), "record returned after the daemon %d ended" % pid)
t.is_(daemon_rows(trace, pid), [("client", N)],
      "the daemon's %d bytes, sent after its parent exited, are in the report" % N)

# ---- --no-follow: back at the command's end, the daemon named ----
gate = os.path.join(env.tmp, "gate")
pidfile = os.path.join(env.tmp, "d2.pid")
rc, out, err, trace = sstools.record(env, [DAEMON, pidfile, str(sink.port), str(N), gate],
                                     "nofollow", opts=["--no-follow"])
pid = read_pid(pidfile)
t.is_(rc, 0, "--no-follow: the command's status")
t.ok(alive(pid), "--no-follow: record returned while the daemon %d still runs" % pid)
t.ok("%d (ss-daemon)" % pid in err and "still running" in err,
     "--no-follow: the daemon is named (pid, comm) on stderr")
open(gate, "w").close()
t.ok(wait_gone(pid), "the daemon ends once let go")
kill_left(pid)

# ---- signals: SIGTERM to record, once the command ended, reaches the daemon ----
def start_gated(name):
    """record a gated daemon in the background: (record's Popen, trace, daemon pid)."""
    pidfile = os.path.join(env.tmp, name + ".pid")
    out = os.path.join(env.tmp, "traces", name)
    p = subprocess.Popen([sstools.SOCKSCOPE, "record", "-q", "-o", out, "--", DAEMON, pidfile,
                          str(sink.port), str(N), gate], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    env.procs.append(p)
    return p, out, read_pid(pidfile)


os.unlink(gate)
p, out3, pid = start_gated("sigterm")
time.sleep(0.2)  # not needed for correctness: lets the command end first
p.send_signal(signal.SIGTERM)
err = finish(p)
t.is_(p.returncode, 0, "SIGTERM: record ends with the command's status")
t.ok(not alive(pid), "SIGTERM to record reached the daemon, which ended")
t.is_(daemon_rows(out3, pid), [("client", N)], "what the daemon did on SIGTERM is recorded")
kill_left(pid)

# ---- two SIGINTs: the daemon ignores the first; the second ends the wait ----
p, out4, pid = start_gated("sigint")
# Once the command ended, record's only child is the daemon: wait for that.
for _ in range(6000):
    if children(p.pid) == [pid]:
        break
    time.sleep(0.01)
p.send_signal(signal.SIGINT)
time.sleep(0.2)
t.is_(p.poll(), None, "one SIGINT: passed to the daemon, which ignores it; record waits")
p.send_signal(signal.SIGINT)
err = finish(p)
t.is_(p.returncode, 0, "a second SIGINT ends record, with the command's status")
t.ok("%d (ss-daemon)" % pid in err, "and names the daemon still running")
os.kill(pid, signal.SIGTERM)
t.ok(wait_gone(pid), "the daemon then ends on its own SIGTERM")
kill_left(pid)

# ---- redis-server --daemonize yes, and redis-cli from the same script ----
def resp(*words):
    return b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in words)


if not shutil.which("redis-server") or not shutil.which("redis-cli"):
    t.ok(True, "# SKIP redis-server or redis-cli not installed")
else:
    port = sstest.free_port()
    rdir = os.path.join(env.tmp, "redis")
    os.mkdir(rdir)
    # The client part runs in the background: it, too, outlives the command.
    script = """
redis-server --daemonize yes --port {p} --bind 127.0.0.1 --save '' --appendonly no \\
    --dir {d} --unixsocket '' --logfile {d}/log --pidfile {d}/redis.pid || exit 9
(
    i=0
    until [ -s {d}/redis.pid ] || [ $i -gt 600 ]; do sleep 0.1; i=$((i + 1)); done
    cat {d}/redis.pid > {d}/pid
    redis-cli -p {p} SET sockscope followed > {d}/set.out
    redis-cli -p {p} GET sockscope > {d}/get.out
    redis-cli -p {p} SHUTDOWN NOSAVE > /dev/null 2>&1
) > /dev/null 2>&1 &
exit 0
""".format(p=port, d=rdir)
    rc, out, err, trace = sstools.record(env, ["/bin/sh", "-c", script], "redis")
    t.is_(rc, 0, "redis: the script's status")
    rpid = read_pid(os.path.join(rdir, "pid"), timeout=1)
    t.ok(not alive(rpid), "redis: record returned after redis-server %d shut down" % rpid)
    with open(os.path.join(rdir, "set.out")) as f, open(os.path.join(rdir, "get.out")) as g:
        t.is_((f.read(), g.read()), ("OK\n", "followed\n"), "redis-cli: SET then GET")
    rep = sstools.report_json(trace)
    srv = [(c["rx_bytes"], c["tx_bytes"]) for c in rep["connections"]
           if c["pid"] == rpid and c["role"] == "server"]
    cset, aset = resp(b"SET", b"sockscope", b"followed"), b"+OK\r\n"
    cget, aget = resp(b"GET", b"sockscope"), b"$8\r\nfollowed\r\n"
    t.ok((len(cset), len(aset)) in srv and (len(cget), len(aget)) in srv,
         "redis: the daemon's connections hold exact bytes: SET %d in %d out, GET %d in %d out"
         % (len(cset), len(aset), len(cget), len(aget)))
    t.ok(any(c["pid"] == rpid and c["role"] == "listener" and
             c["local"] == "127.0.0.1:%d" % port for c in rep["connections"]),
         "redis: the daemon's listener is there")
    kill_left(rpid)

# ---- commands that cannot run: 126 / 127, one line, no directory ----
notexec = os.path.join(env.tmp, "notexec")
with open(notexec, "w") as f:
    f.write("#!/bin/sh\nexit 0\n")
os.chmod(notexec, 0o644)
badinterp = os.path.join(env.tmp, "badinterp")
with open(badinterp, "w") as f:
    f.write("#!/nonexistent/interpreter\n")
os.chmod(badinterp, 0o755)
cases = [(["/etc/passwd"], [], 126, "found, not executable"),
         ([notexec], [], 126, "a script without the x bit"),
         ([env.tmp], [], 126, "a directory"),
         (["sockscope-no-such-command"], [], 127, "not found in PATH"),
         (["/nonexistent/prog"], [], 127, "no such file"),
         ([badinterp], ["--force"], 127, "its interpreter is missing (exec fails)")]
for i, (argv, opts, want, what) in enumerate(cases):
    rc, out, err, trace = sstools.record(env, argv, "cannot%d" % i, opts=opts)
    lines = err.strip().splitlines()
    t.is_((rc, len(lines), os.path.exists(trace)), (want, 1, False),
          "%s: %d, one line (%s), no trace directory" % (what, want, lines[0] if lines else ""))
t.done()
