#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The report's honest ends: endpoints of netlink (port id, groups), packet
# (ifindex, protocol) and vsock (cid:port) sockets decoded from real calls;
# a listener never closed lasts until the end of the recording and is
# marked open; a report on a recording still running says so (one line)
# and reports what is there; usage errors of record and report give a
# one-line reason before the usage, status 2.
import os
import signal
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

FAM = os.path.join(sstest.BUILD, "tests", "ss-families")
t = sstest.Tap()
env = sstest.Env("ends")
env.need_sessiond()


def rows(trace, family):
    rep = sstools.report_json(trace)
    return [c for c in rep["connections"] if c["family"] == family]


# ---- non-IP families ----
rc, out, err, trace = sstools.record(env, [FAM, "netlink"], "netlink")
portid = int(out.split("portid ")[1].split()[0]) if "portid " in out else -1
nl = rows(trace, "AF_NETLINK")
t.is_([(c["local"], c["remote"]) for c in nl],
      [("netlink:portid=%d,groups=0x00000001" % portid, "netlink:portid=0")],
      "netlink: the port id the kernel gave (%d) and the link group; the kernel as peer"
      % portid)
t.ok(nl and nl[0]["tx_bytes"] == 20 and nl[0]["rx_bytes"] > 0,
     "netlink: the 20-byte dump request out, the answer in")

rc, out, err, trace = sstools.record(env, [FAM, "packet"], "packet")
if "packet EPERM" in out:
    t.ok(True, "# SKIP packet sockets need CAP_NET_RAW")
else:
    ifindex = int(out.split("ifindex ")[1].split()[0])
    t.is_([c["local"] for c in rows(trace, "AF_PACKET")],
          ["packet:ifindex=%d,proto=ETH_P_IP" % ifindex],
          "packet: bound to the loopback's index %d for ETH_P_IP" % ifindex)

rc, out, err, trace = sstools.record(env, [FAM, "vsock"], "vsock")
rep = sstools.report_json(trace)
vs = [c for c in rep["connections"] if c["remote"] == "vsock:1:1024"]
t.is_(len(vs), 1, "vsock: the peer as cid:port, vsock:1:1024")
binds = [e["addr"] for e in sstest.read_trace(trace)[0] if e["name"] == "sockscope:bind"]
t.is_(binds, ["vsock:*:*"], "vsock: any cid, any port as *:*")

rc, out, err, trace = sstools.record(env, [FAM, "alg"], "alg")
binds = [e["addr"] for e in sstest.read_trace(trace)[0] if e["name"] == "sockscope:bind"]
t.is_(binds, ["alg:hash:sha256"], "AF_ALG: the crypto API's type and name")

# ---- a listener never closed ----
prog = """
import os, socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
c.sendall(b"x" * 10); a.recv(10); a.close(); c.close()
time.sleep(0.05)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); u.close()
os._exit(0)  # the listener is never closed: the kernel closes it at exit
"""
rc, out, err, trace = sstools.record(env, [sstest.PYTHON, "-c", prog], "open")
rep = sstools.report_json(trace)
lis = [c for c in rep["connections"] if c["role"] == "listener"]
closed = [c for c in rep["connections"] if c["role"] in ("client", "server")]
last = max(c["start_ns"] + c["duration_ns"] for c in rep["connections"] if not c["open"])
t.is_([c["open"] for c in lis], [True], "the listener never closed is marked open")
t.ok(lis and lis[0]["start_ns"] + lis[0]["duration_ns"] >= last,
     "it lasts until the end of the recording (past every closed socket's end)")
t.is_({c["open"] for c in closed}, {False}, "the closed connections are not open")
rc, text, err = sstools.report(trace, ["--no-hist"])
t.ok(any(l[2:3] == ["listener"] and l[-1] == "open" for l in sstools.text_rows(text)),
     "text: the listener's NOTE says open")

# ---- a recording still running ----
running = os.path.join(env.tmp, "traces", "running")
p = subprocess.Popen([sstools.SOCKSCOPE, "record", "-q", "-o", running, "--", sstools.NET,
                      "wait"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
env.procs.append(p)
ready = p.stdout.readline().strip()
# The buffers reach the disk at the next switch timer (every second).
for _ in range(100):
    rc, out, err = sstools.report(running, ["--format", "json"])
    if rc == 0 and '"socket"' in out:
        break
    subprocess.run(["sleep", "0.1"])
lines = err.strip().splitlines()
t.is_((ready, rc, len(lines)), ("ready", 0, 1), "a running recording: reported, one line")
t.ok(lines and "still being recorded" in lines[0] and running in lines[0],
     "the line says the trace is still being recorded: %s" % (lines[0] if lines else ""))
t.ok('"socket"' in out, "and the report holds what is there (the socket call)")
p.send_signal(signal.SIGTERM)
p.wait(timeout=60)
rc, out, err = sstools.report(running)
t.is_((rc, "still being" in err), (0, False), "once record ended, no such line")

# ---- usage errors: a reason, then the usage ----
cases = [(["record"], "no command given"),
         (["record", "--bogus", "true"], "unknown option '--bogus'"),
         (["record", "-x", "true"], "unknown option '-x'"),
         (["record", "-o"], "option '-o' needs an argument"),
         (["record", "--no-follow=1", "true"], "option '--no-follow' takes no argument"),
         (["report"], "no trace directory given"),
         (["report", "--bogus", "x"], "unknown option '--bogus'"),
         (["report", "--format"], "option '--format' needs an argument"),
         ([], "no command given")]
for argv, why in cases:
    r = subprocess.run([sstools.SOCKSCOPE] + argv, capture_output=True, text=True)
    first, _, rest = r.stderr.partition("\n")
    t.is_((r.returncode, first.endswith(": " + why), rest.startswith("Usage:")), (2, True, True),
          "sockscope %s: status 2, '%s', then the usage" % (" ".join(argv), why))
t.done()
