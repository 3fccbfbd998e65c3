#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# What a recording keeps to itself.  The trace directory is created 0700
# and nothing in it is open to others, whatever the umask.  No payload is
# recorded: a distinctive string a traced program sends over TCP, UDP and
# unix sockets is in no trace file (while the addresses, which are
# recorded, are found by the same search).  Nothing is written outside
# the output directory: with HOME, TMPDIR and the working directory empty,
# record and report leave only the trace there.
import os
import secrets
import stat
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("private")
env.need_sessiond()
PY = sstest.PYTHON
PAYLOAD = "sockscope-payload-" + secrets.token_hex(16)

# Sends stdin's text over TCP, UDP, a unix stream pair and a unix
# datagram pair (send, sendto, sendmsg, write), and checks it came through.
SENDER = """import socket, sys
data = sys.stdin.read().encode()
l = socket.create_server(("127.0.0.1", 0))
c = socket.create_connection(l.getsockname())
s, _ = l.accept()
c.sendall(data)
got = [s.recv(len(data), socket.MSG_WAITALL)]
u1, u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.bind(("127.0.0.1", 0))
u1.sendto(data, u2.getsockname())
got.append(u2.recv(65536))
a, b = socket.socketpair()
a.sendmsg([data])
got.append(b.recv(len(data), socket.MSG_WAITALL))
d1, d2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
import os
os.write(d1.fileno(), data)
got.append(d2.recv(65536))
print("sent 4 ways" if all(g == data for g in got) else "lost", flush=True)
"""


def tree(top):
    """Every path under top, top included, with its mode."""
    out = [(top, os.lstat(top).st_mode)]
    for d, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(d, n)
            out.append((p, os.lstat(p).st_mode))
    return out


def contents(top):
    data = b""
    for p, mode in tree(top):
        if stat.S_ISREG(mode):
            with open(p, "rb") as f:
                data += f.read()
    return data


# ---- modes, with a umask that grants everything ----
trace = os.path.join(env.tmp, "t")
p = subprocess.run([sstools.SOCKSCOPE, "record", "-o", trace, "--", PY, "-c", SENDER],
                   input=PAYLOAD, capture_output=True, text=True, umask=0, timeout=120,
                   env=sstest.sanitizer_env(dict(os.environ), [PY]))
t.is_((p.returncode, p.stdout), (0, "sent 4 ways\n"), "the sender sent its payload 4 ways")
t.is_(stat.S_IMODE(os.stat(trace).st_mode), 0o700, "the trace directory is 0700 under umask 0")
t.is_(stat.S_IMODE(os.stat(os.path.join(trace, "sockscope.info")).st_mode), 0o600,
      "sockscope.info is 0600")
open_to_others = [p for p, mode in tree(trace) if mode & 0o007]
t.is_(open_to_others, [], "nothing in the trace is open to others")

# ---- no payload in the trace ----
data = contents(trace)
rep = sstools.report_json(trace)
t.is_(sorted(c["tx_bytes"] for c in rep["connections"] if c["tx_bytes"]), [len(PAYLOAD)] * 4,
      "the trace counts the payload's bytes 4 times")
where = [c["remote"] for c in rep["connections"] if c["remote"].startswith("127.0.0.1:")][0]
t.ok(where.encode() in data, "the search finds what is recorded: an address (%s)" % where)
t.ok(PAYLOAD.encode() not in data and PAYLOAD[-16:].encode() not in data,
     "the payload is in no trace file, not even in part")

# ---- nothing written outside the output directory ----
dirs = {n: os.path.join(env.tmp, n) for n in ("home", "tmpdir", "cwd")}
for d in dirs.values():
    os.mkdir(d)
quiet = dict(os.environ, HOME=dirs["home"], TMPDIR=dirs["tmpdir"])
quiet.pop("LTTNG_HOME", None)
p = subprocess.run([sstools.SOCKSCOPE, "record", "--", PY, "-c", SENDER], input=PAYLOAD,
                   capture_output=True, text=True, cwd=dirs["cwd"], timeout=120,
                   env=sstest.sanitizer_env(quiet, [PY]))
made = os.listdir(dirs["cwd"])
t.ok(p.returncode == 0 and len(made) == 1 and made[0].startswith("sockscope-trace-"),
     "record without -o: one sockscope-trace-* directory in the working directory")
t.is_(stat.S_IMODE(os.stat(os.path.join(dirs["cwd"], made[0])).st_mode) if made else None,
      0o700, "the default trace directory is 0700 too")
r = subprocess.run([sstools.SOCKSCOPE, "report", "--format", "json", made[0] if made else "."],
                   capture_output=True, text=True, cwd=dirs["cwd"], env=quiet, timeout=120)
t.is_(r.returncode, 0, "report reads it")
t.is_((os.listdir(dirs["home"]), os.listdir(dirs["tmpdir"]), sorted(os.listdir(dirs["cwd"]))),
      ([], [], made), "record and report wrote nothing in HOME, TMPDIR or the working directory "
      "but the trace")
t.done()
