#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Programs that reach the kernel through libc's syscall() for their socket
# calls are traced: dig (BIND 9 on libuv, which sends and receives with
# syscall(__NR_sendmmsg / __NR_recvmmsg)) against a local dnsmasq gives the
# same answer bare, preloaded and recorded, and the report's row of its UDP
# socket has the bytes dig says it sent and received; a libuv TCP echo and
# a batch of datagrams are recorded with exact byte counts.  (Whether each
# routed number returns exactly what the raw call does is the differential
# test's part.)
import os
import re
import shutil
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import accept
import sstest
import sstools

UVECHO = os.path.join(sstest.BUILD, "tests", "ss-uvecho")
t = sstest.Tap()
env = sstest.Env("rawsys")
env.need_sessiond()


def row(rep, pred):
    """The one connection row pred selects, as (tx, rx), or what was found."""
    rows = [c for c in rep["connections"] if pred(c)]
    return (rows[0]["tx_bytes"], rows[0]["rx_bytes"]) if len(rows) == 1 else rows


# Each routed number is recorded under the event of its libc function.
sname, trace = env.session("raw")
rc, out, err, pid = env.run([os.path.join(sstest.BUILD, "tests", "ss-diff"), "raw"])
env.stop(sname)
t.is_(rc, 0, "ss-diff raw exits 0 under recording")
events, lost = sstest.read_trace(trace)
names = {e["name"].split(":", 1)[1] for e in sstest.only(events, {pid})}
routed = {"socket", "socketpair", "bind", "listen", "connect", "accept", "accept4", "sendto",
          "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "getsockname",
          "getpeername", "getsockopt", "setsockopt", "shutdown", "close", "close_range", "dup",
          "dup2", "dup3", "fcntl", "ioctl", "read", "write", "readv", "writev", "sendfile"}
t.is_(sorted(routed - names), [], "every routed number is recorded as its libc call")
t.is_(sorted(names - routed - {"describe", "exec"}), [], "and nothing else")

# A libuv program: TCP through libc, datagrams through syscall().
N, D = 200000, 20
want_out = "tcp %d echoed\nudp %d received\n" % (N, D)
rc, out, err, _ = env.run([UVECHO, str(N), str(D)], preload=False)
t.is_((rc, out), (0, want_out), "libuv echo runs bare")
rc, out, err, _ = env.run([UVECHO, str(N), str(D)])
t.is_((rc, out), (0, want_out), "libuv echo runs preloaded, the same")
rc, out, err, trace = sstools.record(env, [UVECHO, str(N), str(D)], "uvecho")
t.is_((rc, out), (0, want_out), "libuv echo runs recorded, the same")
rep = sstools.report_json(trace)
calls = sstools.calls(rep)
t.ok(calls.get("sendmmsg", 0) >= 1 and calls.get("recvmmsg", 0) >= 1,
     "libuv's syscall(sendmmsg) and syscall(recvmmsg) are recorded (%s)" % calls)
tcp = sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]
             if c["type"].startswith("SOCK_STREAM") and c["role"] in ("client", "server"))
t.is_(tcp, [("client", N, N), ("server", N, N)], "libuv TCP echo: exact bytes both ways")
udp = sorted((c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]
             if c["type"].startswith("SOCK_DGRAM") and (c["tx_bytes"] or c["rx_bytes"]))
t.is_(udp, [(0, D * 100), (D * 100, 0)], "libuv datagrams: exact bytes sent and received")

# dig against a dnsmasq of our own on a free loopback port.
dig, dnsmasq = shutil.which("dig"), shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
if not dig or not os.path.exists(dnsmasq):
    for i in range(7):
        t.ok(True, "# SKIP dig (bind9-dnsutils) or dnsmasq (dnsmasq-base) is not installed")
    t.done()
port = sstest.free_port(kind=__import__("socket").SOCK_DGRAM)
dm = env.spawn([dnsmasq, "--no-daemon", "--port=%d" % port, "--listen-address=127.0.0.1",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                "--address=/example.test/192.0.2.7",
                "--pid-file=" + os.path.join(env.tmp, "dnsmasq.pid")],
               preload=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(1200):
    if accept._bound("udp", port) or dm.poll() is not None:
        break
    time.sleep(0.1)
if not accept._bound("udp", port):
    sstest.bail("dnsmasq did not come up on port %d" % port)
argv = [dig, "@127.0.0.1", "-p", str(port), "+qr", "+tries=1", "+time=30", "example.test"]


def answer(out):
    """dig's answer lines, and the sizes it says it sent and received."""
    ans = re.findall(r"^example\.test\.\s+\d+\s+IN\s+A\s+(\S+)$", out, re.M)
    sent = re.search(r"QUERY SIZE: (\d+)", out)
    rcvd = re.search(r"MSG SIZE\s+rcvd: (\d+)", out)
    return ans, int(sent.group(1)) if sent else None, int(rcvd.group(1)) if rcvd else None


rc, out, err, _ = env.run(argv, preload=False)
bare = answer(out)
t.is_((rc, bare[0]), (0, ["192.0.2.7"]), "dig bare: the answer of dnsmasq")
rc, out, err, _ = env.run(argv)
t.is_((rc, answer(out)[0]), (0, bare[0]), "dig preloaded: the same answer")
rc, out, err, trace = sstools.record(env, argv, "dig")
rec = answer(out)
t.is_((rc, rec[0]), (0, bare[0]), "dig recorded: the same answer")
rep = sstools.report_json(trace)
t.ok(sstools.calls(rep).get("sendmmsg", 0) >= 1, "dig's syscall(sendmmsg) is recorded")
t.ok(rec[1] and rec[2], "dig says what it sent and received (%s, %s)" % rec[1:])
t.is_(row(rep, lambda c: c["comm"] != "dnsmasq" and c["type"].startswith("SOCK_DGRAM")
          and c["remote"] == "127.0.0.1:%d" % port),
      (rec[1], rec[2]), "the row of dig's UDP socket has its bytes sent and received")
dm.terminate()
dm.wait()
t.ok(True, "dnsmasq stopped")
t.done()
