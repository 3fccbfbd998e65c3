#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# OpenSSH's sshd, whose pre-authentication child locks itself in a seccomp
# sandbox, on a loopback port with its own configuration, host key and
# authorized key: a key login that copies 1 MB to the client works the same
# bare, with the preload and its probes idle (a session daemon, nothing
# recording) and under `sockscope record`: exit status 0, every byte, no
# hang (every wait is bounded).  The recorded trace says where tracing
# stopped (sockscope:stop, why "seccomp"), the report lists the process,
# and the login's flow is marked untraced.  sshd is stopped by its pid.
import atexit
import os
import shutil
import signal
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import accept
import sstest

SSHD = "/usr/sbin/sshd"
missing = [p for p in (SSHD, "ssh", "ssh-keygen") if not shutil.which(p)]
if missing:
    print("1..0 # SKIP not installed (make deps): " + " ".join(missing))
    sys.exit(0)
if os.geteuid() != 0:
    print("1..0 # SKIP sshd's privilege separation needs root")
    sys.exit(0)
trouble = accept.sanitizer_trouble(["ssh", "-G", "localhost"])
if trouble:
    print("1..0 # SKIP " + trouble)
    sys.exit(0)
BYTES = 1000000
t = sstest.Tap()
env = sstest.Env("accept-sshd")
env.need_sessiond()

# sshd's privilege-separated child chroots to this directory (compiled in).
made_run_dir = not os.path.isdir("/run/sshd")
if made_run_dir:
    os.makedirs("/run/sshd", mode=0o755)


def remove_run_dir():
    if made_run_dir:
        shutil.rmtree("/run/sshd", ignore_errors=True)


atexit.register(remove_run_dir)

keys = os.path.join(env.tmp, "keys")
os.makedirs(keys)
for k in ("host", "user"):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(keys, k)],
                   check=True)
shutil.copy(os.path.join(keys, "user.pub"), os.path.join(keys, "authorized_keys"))


def scenario(run, extra_env=None):
    port = accept.free_port()
    cfg = os.path.join(run.dir, "sshd_config")
    with open(cfg, "w") as f:
        f.write("Port %d\nListenAddress 127.0.0.1\nHostKey %s/host\n"
                "AuthorizedKeysFile %s/authorized_keys\nPidFile %s/sshd.pid\n"
                "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
                "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
                % (port, keys, keys, run.dir))
    run.start("sshd", [SSHD, "-D", "-e", "-f", cfg], ready=("tcp", port), env=extra_env)
    argv = ["ssh", "-p", str(port), "-i", os.path.join(keys, "user"),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "LogLevel=ERROR",
            "root@127.0.0.1", "head -c %d /dev/zero" % BYTES]
    try:
        ssh = subprocess.run(argv, capture_output=True, timeout=90)
        got = (ssh.returncode, len(ssh.stdout))
        if got != (0, BYTES):
            t.diag("ssh: " + ssh.stderr.decode(errors="replace"))
    except subprocess.TimeoutExpired:
        got = ("hung", 0)
    # A session process that hangs outlives the listener: stop every
    # process the test's sshd left, by pid.
    left = descendants(run.procs["sshd"].pid)
    r = run.stop("sshd", timeout=60)
    if got != (0, BYTES):
        t.diag("sshd: " + r.err)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return got


def descendants(pid):
    """The pids of the processes below pid, from /proc."""
    kids = {}
    for d in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            kids.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


bare = accept.Run(env, "sshd", False)
t.is_(scenario(bare), (0, BYTES), "bare: key login, %d bytes" % BYTES)
idle = accept.Run(env, "sshd-idle", False)
t.is_(scenario(idle, env.preload_env()), (0, BYTES),
      "preloaded, probes idle: key login, %d bytes" % BYTES)
rec = accept.Run(env, "sshd", True)
t.is_(scenario(rec), (0, BYTES), "recorded: key login, %d bytes, no hang" % BYTES)
t.is_(rec.results["sshd"].rc, bare.results["sshd"].rc, "recorded sshd ends as bare on SIGTERM")

events, lost = sstest.read_trace(rec.traces["sshd"])
stops = [e for e in events if e["name"] == "sockscope:stop"]
t.ok(stops and all(e["why"] == "seccomp" for e in stops),
     "the sandboxed child says tracing stopped there: seccomp (%d)" % len(stops))
rep = rec.report("sshd")
t.is_(sorted({(s["pid"], s["why"]) for s in rep.get("stopped", [])}),
      sorted({(e["vpid"], "seccomp") for e in stops}), "the report lists the stopped processes")
# The login's connection was held by the sandboxed child: its counts fall
# short of what went over it, and its flow says why.
ends = [f["server"] for f in rep.get("flows", []) if f.get("proto") == "tcp" and f.get("server")]
t.is_([e.get("untraced") for e in ends], [True],
      "the login's flow: its server end held by a process traced no further (untraced)")
t.done()
