#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Trace test: a real session records ss-diff and the seed's echo pair in
# Python 3 under the preload; the trace, read with libbabeltrace2, must hold
# the right event names, counts, descriptors, addresses, byte counts and
# errno names.
import collections
import os
import socket
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("trace")
prog = os.path.join(sstest.BUILD, "tests", "ss-diff")
sname, trace = env.session("trace")

rc, out, err, diff_pid = env.run([prog, "libc"])
t.is_(rc, 0, "ss-diff exits 0 under recording")

# The seed's echo pair on a free port.
port = sstest.free_port()
ex = os.path.join(sstest.TOP, "examples")
server = env.spawn([sstest.PYTHON, os.path.join(ex, "echo-server.py"), str(port), "127.0.0.1"],
                   stdout=__import__("subprocess").PIPE)
server.stdout.readline()  # "Listening on PORT"
rc, cout, cerr, client_pid = env.run([sstest.PYTHON, os.path.join(ex, "echo-client.py"), str(port)])
server.wait(timeout=30)
t.is_(rc, 0, "echo client exits 0")
t.ok("Hello, world" in cout, "echo client got its echo")
env.stop(sname)

events, lost = sstest.read_trace(trace)
t.is_(lost, 0, "no event discarded")
d = sstest.only(events, {diff_pid})
by = collections.defaultdict(list)
for e in d:
    by[e["name"].split(":")[1]].append(e)

inet = [e for e in by["connect"] if not e["addr"].startswith("/")]
t.is_([e["err"] for e in inet], ["EFAULT", "ECONNREFUSED", "OK", "EISCONN"],
      "connect: four calls with their errno names")
t.ok(all(e["addr"].startswith("127.0.0.1:") for e in inet[1:]),
     "connect: loopback endpoints decoded")
t.is_(inet[0]["addr"], "(none)", "connect with a bad pointer: nothing read")
# Unix: two stream connects made, one datagram socket's refused; each
# connection made, both ends, says its peer's pid: here, the program's own.
unix = [e for e in by["connect"] if e["addr"].startswith("/")]
t.is_([e["err"] for e in unix], ["OK", "OK", "EPROTOTYPE"],
      "connect unix: stream, stream non-blocking, datagram to a stream path")
made = [e["sock"] for e in unix if e["err"] == "OK"]
made += [e["newsock"] for e in by["accept"] + by["accept4"]
         if e["err"] == "OK" and e["addr"] == "(unnamed)"]
t.is_(sorted((e["sock"], e["peer_pid"], e["ret"], e["err"]) for e in by["peercred"]),
      sorted((s, diff_pid, 0, "OK") for s in made),
      "peercred: one per unix stream connect and accept made, the peer's pid")
ok_accept = [e for e in by["accept"] if e["err"] == "OK" and e["addr"] != "(unnamed)"]
t.is_(len(ok_accept), 1, "one successful accept")
t.ok(ok_accept and ok_accept[0]["addr"].startswith("127.0.0.1:") and ok_accept[0]["newsock"] > 0,
     "accept: peer address and new socket serial")
binds = [e["addr"] for e in by["bind"]]
t.ok(any(a.endswith("/sock") for a in binds), "bind: unix path decoded")
t.ok("@sockscope-diff" in binds, "bind: abstract unix name decoded")
t.ok("(unnamed)" in binds, "bind: unnamed unix address")
t.ok("(truncated)" in binds, "bind: truncated addrlen shown as such")
t.ok(any(a.startswith("family 12345:") for a in binds), "bind: unknown family as number + hex")
t.is_(len(by["read"]), 3, "read: only reads on sockets are recorded (3 of 6)")
t.ok(all(e["sock"] > 0 for e in by["read"]), "read: every recorded read is on a socket")
t.is_(len(by["write"]), 1, "write: only the write on a socket is recorded")
t.ok(any(e["err"] == "EINTR" for e in by["recv"]), "recv interrupted by a signal: EINTR")
t.is_(sorted(e["ret"] for e in by["recv"] if e["err"] == "OK" and e["ret"] > 0),
      [1, 2, 3, 4, 12, 13], "recv: byte counts")
t.is_([e["bytes"] for e in by["sendmmsg"] if e["err"] == "OK"], [8], "sendmmsg: 2 messages, 8 bytes")
t.is_([e["bytes"] for e in by["recvmmsg"] if e["err"] == "OK"], [8], "recvmmsg: 8 bytes")
t.is_([e["rights"] for e in by["recvmsg"] if e["err"] == "OK"], [1], "recvmsg: one descriptor passed")
t.is_([e["ret"] for e in by["sendfile"]], [13, -1], "sendfile: 13 bytes, then EBADF")
g = [(e["query"], e["result"]) for e in by["gethostbyname"]]
t.is_(g[0], ("localhost", "127.0.0.1 (1)"), "gethostbyname: query and first answer")
t.is_(g[1], ("no-such-host.invalid", "HOST_NOT_FOUND"), "gethostbyname: failure named")
t.is_([e["result"] for e in by["getaddrinfo"]], ["127.0.0.1:50007 (1)", "EAI_NONAME", "EAI_BADFLAGS"],
      "getaddrinfo: answers and EAI names")
t.is_([e["result"] for e in by["getservbyname"]], ["80", "not found"], "getservbyname: port")
t.is_([(e["query"], e["result"]) for e in by["getservbyport"]],
      [("443/tcp", "https"), ("1/udp", "not found")], "getservbyport: the port's name")
t.is_([(e["query"], e["result"]) for e in by["getservbyport_r"]],
      [("22/tcp", "ssh"), ("22/tcp", "ERANGE")], "getservbyport_r: name, then ERANGE")
so = [(e["level"], e["optname"], e["optval"]) for e in by["getsockopt"] if e["err"] == "OK"]
t.ok(("SOL_SOCKET", socket.SO_REUSEADDR, 1) in so, "getsockopt: level named, number and int value")
t.ok(("IPPROTO_TCP", socket.TCP_NODELAY, 0) in so, "getsockopt: TCP level named")
# ss-diff's close_range calls: four refused (flags, first > last), four
# beyond any descriptor, one refused with CLOSE_RANGE_CLOEXEC, five that close or mark.
t.is_([e["err"] for e in by["close_range"]], ["EINVAL"] * 4 + ["OK"] * 4 + ["EINVAL"] + ["OK"] * 5,
      "close_range: errno names")
t.is_([(e["fd"], e["last"]) for e in by["close_range"]][4:6],
      [(-2147483648, 0xffffffff), (-2147483648, 0x80000001)],
      "close_range: first beyond 2^31 recorded as given")
t.ok(all(e["sock"] > 0 for e in by["close"]), "close: only sockets are recorded")
t.ok(len(by["fcntl"]) >= 2 and any(e["nonblock"] == 1 for e in by["fcntl"]),
     "fcntl: O_NONBLOCK change recorded")
t.is_([e["nonblock"] for e in by["ioctl"]], [0], "ioctl FIONBIO recorded, FIONREAD not")
dups = by["dup"] + by["dup2"] + by["dup3"]
t.ok(len(dups) >= 4, "dup family on sockets recorded (%d)" % len(dups))
sends_on_dup = [e for e in by["send"] if e["ret"] == 3]
t.ok(sends_on_dup and sends_on_dup[0]["sock"] == by["dup"][0]["sock"],
     "a dup'ed descriptor keeps its socket's serial")
t.ok(all(e["name"].startswith("sockscope:") and e.get("procname") for e in d),
     "contexts vpid/vtid/procname present")

# The echo pair.
srv = [e for e in events if e["name"].startswith("sockscope:") and e.get("procname") == "python3"
       and e.get("vpid") == server.pid]
cli = sstest.only(events, {client_pid})
sn = [e["name"].split(":")[1] for e in srv]
cn = [e["name"].split(":")[1] for e in cli]
for call in ("socket", "setsockopt", "bind", "listen", "accept4", "recv", "send", "close"):
    t.ok(call in sn, "echo server: %s recorded" % call)
for call in ("socket", "connect", "send", "recv", "close"):
    t.ok(call in cn, "echo client: %s recorded" % call)
b = [e for e in srv if e["name"] == "sockscope:bind"]
t.ok(b and b[0]["addr"] == "127.0.0.1:%d" % port and b[0]["port"] == port, "echo server: bind address")
c = [e for e in cli if e["name"] == "sockscope:connect"]
t.ok(c and c[0]["addr"] == "127.0.0.1:%d" % port, "echo client: connect address")
a = [e for e in srv if e["name"] == "sockscope:accept4"]
t.ok(a and a[0]["family"] == "AF_INET", "echo server: accepted an AF_INET peer")
tx = sum(e["ret"] for e in cli if e["name"] == "sockscope:send")
rx = sum(e["ret"] for e in srv if e["name"] == "sockscope:recv" and e["ret"] > 0)
t.is_((tx, rx), (12, 12), "echo: 12 bytes sent by the client, 12 received by the server")
t.ok(not any(e.get("addr", "").startswith("/var/run/lttng") or "lttng" in e.get("addr", "")
             for e in events if e["name"].startswith("sockscope:")),
     "the tracer's own sockets never appear")
t.done()
