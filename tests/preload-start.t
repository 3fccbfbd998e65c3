#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# What a preloaded process waits for at start while a session daemon runs
# (here one of our own, in LTTNG_HOME, that answers nothing until the
# program has printed): every process waits for its registration, as
# liblttng-ust does by default, so that the tracer's descriptors are out of
# the program's way before main() runs, and a process that records (a tag,
# as `sockscope record` sets, or SOCKSCOPE_PROBES=on) sees its first calls
# recorded.
# The environment the program sees is its own: the settings given to
# liblttng-ust while it loads are not left in it.  Without probes, LTTng's
# tracepoint library is not loaded at all.  liblttng-ust's per-user
# listener thread is started only when a per-user daemon runs.
import os
import socket
import subprocess
import sys
import threading
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("start")
env.need_sessiond()
TIMED_OUT = "Timed out waiting for lttng-sessiond"


class SlowDaemon:
    """A unix socket where liblttng-ust looks for a per-user session
    daemon: it takes connections and answers nothing until released."""

    def __init__(self, home):
        os.makedirs(os.path.join(home, ".lttng"), exist_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(os.path.join(home, ".lttng", "lttng-ust-sock-8"))
        self.sock.listen(16)
        self.conns, self.stop = [], False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def release(self):
        for c in self.conns:
            c.close()
        self.conns = []


def started(extra, name):
    """Run a preloaded shell that prints at once; release the daemon's
    connections only once it has printed.  Returns (first line, stderr)."""
    home = os.path.join(env.tmp, "home-" + name)
    d = SlowDaemon(home)
    e = env.preload_env(extra=dict(extra, LTTNG_HOME=home, LTTNG_UST_DEBUG="1"))
    errpath = os.path.join(env.tmp, "stderr-" + name)
    with open(errpath, "wb") as errf:  # a file: liblttng-ust's debug output is long
        p = env.spawn(["sh", "-c", "echo started"], env=e, stdout=subprocess.PIPE,
                      stderr=errf)
        line = p.stdout.readline().decode().strip()
        d.release()
        d.stop = True
        d.sock.close()
        p.communicate(timeout=120)
    with open(errpath, errors="replace") as f:
        return line, f.read()


def tell(err):
    """What the program and liblttng-ust said, to tell why: a sanitizer's
    report from its first line, else the end."""
    lines = err.splitlines()
    at = [i for i, l in enumerate(lines) if "ERROR: AddressSanitizer" in l or "runtime error:" in l]
    if at:
        t.diag("its stderr, from the sanitizer's report:\n" + "\n".join(lines[at[0]:at[0] + 40]))
    else:
        t.diag("its stderr ended with:\n" + "\n".join(lines[-15:]))


line, err = started({}, "idle")
t.is_(line, "started", "not recording: the program runs")
t.ok(TIMED_OUT in err, "not recording: it waited for its registration too") or tell(err)
line, err = started({"SOCKSCOPE_REC": "7"}, "tagged")
t.is_(line, "started", "tagged: the program runs")
t.ok(TIMED_OUT in err, "tagged: it waited for its registration, as record needs") or tell(err)
line, err = started({"SOCKSCOPE_PROBES": "on"}, "on")
t.is_(line, "started", "SOCKSCOPE_PROBES=on: the program runs") or tell(err)
t.ok(TIMED_OUT in err, "SOCKSCOPE_PROBES=on: it waited too") or tell(err)

# Without probes, nothing of LTTng's is loaded: not liblttng-ust, not
# liblttng-ust-tracepoint to register events that can never be enabled,
# not even the fd tracker (found with dlsym once the probes are loaded).
p = env.spawn(["cat", "/proc/self/maps"], env=env.preload_env(extra={"SOCKSCOPE_PROBES": "off"}),
              stdout=subprocess.PIPE)
maps = p.communicate(timeout=120)[0].decode()
t.is_(sorted({os.path.basename(l.split()[-1]).split(".so")[0] for l in maps.splitlines()
              if "liblttng" in l}), [],
      "probes off: nothing of LTTng is mapped")

# liblttng-ust's listener threads: one for the system-wide daemon, and a
# second for a per-user one (LTTNG_HOME, else HOME) only when that one runs
# as the process starts: without, it would wait for nothing, at the price of
# a thread.
LIST = ("import os; print(sum(open('/proc/self/task/%s/comm' % t).read().endswith('-ust\\n')"
        " for t in os.listdir('/proc/self/task')))")


def listeners(home):
    e = env.preload_env(extra={"LTTNG_HOME": home})
    return env.run([sys.executable, "-c", LIST], env=e, timeout=120)[1].strip()


t.is_(listeners(os.path.join(env.tmp, "home-none")), "1",
      "no per-user daemon: one listener thread, the system-wide daemon's")
d = SlowDaemon(os.path.join(env.tmp, "home-user"))
d.stop = True
got = listeners(os.path.join(env.tmp, "home-user"))
d.sock.close()
t.is_(got, "2", "a per-user daemon running: its listener too")

# The environment seen by the program: as without the preload.
mine = {k: v for k, v in os.environ.items() if not k.startswith("LTTNG_UST")}
base = dict(mine, LD_PRELOAD=env.preload_env()["LD_PRELOAD"])
for label, extra in (("idle", {}), ("tagged", {"SOCKSCOPE_REC": "7"})):
    e = dict(base, **extra)
    p = subprocess.run(["env", "-0"], env=e, capture_output=True, timeout=120)
    seen = dict(kv.split("=", 1) for kv in p.stdout.decode().split("\0") if kv)
    t.is_(seen, e, "%s: the program's environment is exactly the one it was given" % label)
t.done()
