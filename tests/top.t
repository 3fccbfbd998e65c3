#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# sockscope top, as a person uses it: on a screen in tmux (its rows, its
# keys), in batch mode as JSON lines whose counts add up to what the
# program sent, without a command (a preloaded program started apart
# shows), and leaving nothing behind: no relay daemon, no live session,
# no directory, also when stopped by SIGINT or SIGTERM.
import json
import os
import shutil
import signal
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import lab
import sstest
import sstools

STREAMER = os.path.join(sstest.TOP, "tests", "prog", "streamer.py")
PRELOAD = os.path.join(sstest.BUILD, "libsockscope-preload.so")
t = sstest.Tap()
env = sstest.Env("top")
env.need_sessiond()
tmp = os.path.join(env.tmp, "tmp")  # top's own directory goes in here
os.makedirs(tmp)
topenv = sstest.sanitizer_env(dict(os.environ, TMPDIR=tmp), [sstools.SOCKSCOPE])
# With a command: what a sanitized build allows the command (python3
# leaks at exit by design), as for record.
cmdenv = sstest.sanitizer_env(dict(os.environ, TMPDIR=tmp), [sstest.PYTHON])


def leftovers():
    """Relay daemons, directories and live sessions of the tops run here."""
    daemons = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open("/proc/%s/cmdline" % p, "rb") as f:
                    argv = f.read().split(b"\0")
                if argv[0].endswith(b"lttng-relayd") and tmp.encode() in b" ".join(argv):
                    daemons.append(int(p))
            except OSError:
                pass
    sessions = subprocess.run(["lttng", "list"], capture_output=True, text=True).stdout
    return daemons, os.listdir(tmp), [l for l in sessions.splitlines() if "sockscope-top-" in l]


def wait_line(path, prefix, secs=60):
    for _ in range(int(secs * 10)):
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    if line.startswith(prefix):
                        return line
        time.sleep(0.1)
    return None


# ---- the screen, in tmux ----
if shutil.which("tmux"):
    sock = "sstop-%d" % os.getpid()
    status = os.path.join(env.tmp, "status")
    out = os.path.join(env.tmp, "screen.out")
    env.on_cleanup(lambda: subprocess.run(["tmux", "-L", sock, "kill-server"],
                                          capture_output=True))
    shell = "TMPDIR=%s %s top -- %s %s 0 %s; echo status $? > %s; sleep 60" % (
        tmp, sstools.SOCKSCOPE, sstest.PYTHON, STREAMER, out, status)
    subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-x", "120", "-y", "30", shell],
                   check=True, env=cmdenv)
    line = wait_line(out, "pid ")
    spid = int(line.split()[1]) if line else -1
    screen, row = "", None
    for _ in range(100):  # the process and its rates within a few seconds
        time.sleep(0.2)
        screen = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p"],
                                capture_output=True, text=True).stdout
        row = next((l.split() for l in screen.splitlines()
                    if l.split()[:1] == [str(spid)] and len(l.split()) >= 8), None)
        if row and row[3] != "0" and row[4] != "0":
            break
    t.ok(row is not None and row[3] != "0" and row[4] != "0",
         "the screen shows the streaming process %d with its rates: %s" % (spid, row)) \
        or t.diag(screen)
    t.ok("sockscope top" in screen and "q quit" in screen, "its title and its keys")
    subprocess.run(["tmux", "-L", sock, "send-keys", "q"])
    got = wait_line(status, "status ", 30)
    t.is_(got and got.split()[1], "0", "q ends it with status 0")
    # the streamer runs until killed: top leaves it, as it says
    if spid > 0:
        try:
            os.kill(spid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    t.is_(leftovers(), ([], [], []), "nothing left: no relay daemon, directory or session")
else:
    t.ok(True, "# SKIP tmux is not installed")

# ---- batch, JSON lines ----
p = subprocess.run([sstools.SOCKSCOPE, "top", "--batch", "--format", "json", "--",
                    sstest.PYTHON, STREAMER, "3"], capture_output=True, text=True, timeout=120,
                   env=cmdenv)
t.is_(p.returncode, 0, "batch with a command exits with its status, 0") or t.diag(p.stderr)
lines = [json.loads(l) for l in p.stdout.splitlines()]
spid = int(p.stderr.split("pid ")[1].split()[0]) if "pid " in p.stderr else -1
sent = int(p.stderr.split("sent ")[1].split()[0]) if "sent " in p.stderr else -1
mine = [[x for x in l["processes"] if x["pid"] == spid] for l in lines]
active = [m for m in mine if m and m[0]["calls"]]
t.ok(len(active) >= 2 and all(abs(l["interval_ns"] - 1e9) < 0.5e9 for l in lines[:-1]),
     "a line per second while it runs (%d lines, %d with its calls)" % (len(lines), len(active)))
t.is_(sum(m[0]["tx_bytes"] for m in mine if m), sent,
      "its per-interval tx_bytes add up to what it sent, %d" % sent)
t.is_(sum(c["tx_bytes"] for l in lines for c in l["connections"] if c["pid"] == spid), sent,
      "and so do its connections'")
t.is_(lines[-1].get("exit_status") if lines else None, 0, "the last line has the exit status")
t.is_(leftovers(), ([], [], []), "nothing left behind")

# ---- a relay daemon of the user's, which keeps the trace ----
port = lab.free_ports(3)
relay = lab.Relay(os.path.join(env.tmp, "relay-out"), "127.0.0.1:%d" % port)
env.on_cleanup(relay.stop)
p = subprocess.run([sstools.SOCKSCOPE, "top", "--batch", "--format", "json", "--relay",
                    "127.0.0.1:%d" % port, "--", sstest.PYTHON, STREAMER, "2"],
                   capture_output=True, text=True, timeout=120, env=cmdenv)
sent = int(p.stderr.split("sent ")[1].split()[0]) if "sent " in p.stderr else -1
spid = int(p.stderr.split("pid ")[1].split()[0]) if "pid " in p.stderr else -1
got = sum(x["tx_bytes"] for l in p.stdout.splitlines() for x in json.loads(l)["processes"]
          if x["pid"] == spid)
t.ok(p.returncode == 0 and got == sent, "--relay: through the user's relay daemon, the bytes "
     "add up (%d of %d)" % (got, sent)) or t.diag(p.stderr)
t.ok(relay.proc.poll() is None and relay.listening(), "that relay daemon still runs after top")
rc, out, err = sstools.report(os.path.join(env.tmp, "relay-out"))
t.ok(rc == 0 and "socketpair" in out, "and keeps the trace, which report reads")
p = subprocess.run([sstools.SOCKSCOPE, "top", "--batch", "--relay", "127.0.0.1:%d" % (port + 10)],
                   capture_output=True, text=True, timeout=120, env=topenv)
t.ok(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1,
     "an unreachable relay daemon: one line, status 2: %s" % p.stderr.strip())
t.is_(relay.stop(), 0, "the relay daemon stops")

# ---- no command: a preloaded program started apart ----
pidfile = os.path.join(env.tmp, "apart")
preload = ":".join(sstest._sanitizer_preload() + [PRELOAD])  # ASan's runtime first
apart = subprocess.Popen([sstest.PYTHON, STREAMER, "0", pidfile],
                         env=sstest.sanitizer_env(dict(os.environ, LD_PRELOAD=preload),
                                                  [sstest.PYTHON]))
env.procs.append(apart)
wait_line(pidfile, "pid ")
p = subprocess.run([sstools.SOCKSCOPE, "top", "--batch", "--format", "json", "-n", "4"],
                   capture_output=True, text=True, timeout=120, env=topenv)
lines = [json.loads(l) for l in p.stdout.splitlines()]
seen = [x for l in lines for x in l["processes"] if x["pid"] == apart.pid]
t.ok(p.returncode == 0 and any(x["tx_bytes"] for x in seen),
     "without a command, the preloaded program %d shows, sending" % apart.pid) \
    or t.diag(p.stderr)
apart.kill()
apart.wait()

# ---- a command that fails, or cannot run ----
p = subprocess.run([sstools.SOCKSCOPE, "top", "--batch", "--", "sh", "-c", "exit 3"],
                   capture_output=True, text=True, timeout=120, env=cmdenv)
t.is_(p.returncode, 3, "batch ends with the command's status, 3")
p = subprocess.run([sstools.SOCKSCOPE, "top", "--batch", "--", os.path.join(tmp, "nothing")],
                   capture_output=True, text=True, timeout=120, env=topenv)
t.ok(p.returncode == 127 and len(p.stderr.strip().splitlines()) == 1,
     "a command not found: 127, one line: %s" % p.stderr.strip())
t.is_(leftovers(), ([], [], []), "nothing left behind")

# ---- SIGINT and SIGTERM ----
for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
    top = subprocess.Popen([sstools.SOCKSCOPE, "top", "--batch"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=topenv)
    env.procs.append(top)
    top.stdout.readline()  # it runs: its first interval
    top.send_signal(sig)
    try:
        top.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        top.kill()
    t.is_((top.returncode, leftovers()), (code, ([], [], [])),
          "%s: exits %d, nothing left" % (signal.Signals(sig).name, code))
t.done()
