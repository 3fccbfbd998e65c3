#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# socat, bare and under `sockscope record`: a TCP relay and a unix-socket
# relay in front of an echo (socat PIPE), and a UDP echo.  Every socat
# ends with the same status and output both ways, and the report shows
# each hop with its addresses and exact byte counts.
import os
import shutil
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import accept
import sstest
from accept import both, conns, io, same

if not shutil.which("socat"):
    print("1..0 # SKIP socat is not installed (make deps)")
    sys.exit(0)
t = sstest.Tap()
env = sstest.Env("accept-socat")
env.need_sessiond()
N = 3000
DATA = accept.pattern(N)
LO = "127.0.0.1:%d"


def relay(kind):
    """An echo, a relay in front of it, a client through the relay: over
    TCP on two free ports, or over two unix sockets."""
    def scenario(run):
        if kind == "tcp":
            back, front = accept.free_port(), accept.free_port()
            listen = ["TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr" % p for p in (back, front)]
            connect = ["TCP:127.0.0.1:%d" % p for p in (back, front)]
            ready = [("tcp", back), ("tcp", front)]
            where = (LO % back, LO % front)
        else:
            back, front = (os.path.join(run.dir, n) for n in ("echo.sock", "relay.sock"))
            listen = ["UNIX-LISTEN:" + p for p in (back, front)]
            connect = ["UNIX-CONNECT:" + p for p in (back, front)]
            ready = [("unix", back), ("unix", front)]
            where = (back, front)
        run.start("echo", ["socat", listen[0], "PIPE"], ready=ready[0])
        run.start("relay", ["socat", listen[1], connect[0]], ready=ready[1])
        run.run("client", ["socat", "-", connect[1]], input=DATA)
        run.wait("relay")
        run.wait("echo")
        return where
    return scenario


for kind in ("tcp", "unix"):
    bare, rec, (back, front) = both(env, "socat-" + kind, relay(kind))
    for name in ("echo", "relay", "client"):
        same(t, bare, rec, name)
    t.ok(rec.results["client"].out == DATA.decode(), "%s: the %d bytes came back" % (kind, N))
    family = "AF_INET" if kind == "tcp" else "AF_UNIX"
    echo, rel, cli = rec.report("echo"), rec.report("relay"), rec.report("client")
    t.is_([(c["family"], c["remote"], c["tx_bytes"], c["rx_bytes"])
           for c in conns(cli, role="client")], [(family, front, N, N)],
          "%s: client -> relay at %s, %d bytes each way" % (kind, front, N))
    t.is_([(c["family"], c["local"], c["rx_bytes"], c["tx_bytes"])
           for c in conns(rel, role="server")], [(family, front, N, N)],
          "%s: relay accepted it on %s, %d bytes each way" % (kind, front, N))
    t.is_([(c["family"], c["remote"], c["tx_bytes"], c["rx_bytes"])
           for c in conns(rel, role="client")], [(family, back, N, N)],
          "%s: relay -> echo at %s, %d bytes each way" % (kind, back, N))
    t.is_([(c["family"], c["local"], c["rx_bytes"], c["tx_bytes"])
           for c in conns(echo, role="server")], [(family, back, N, N)],
          "%s: echo accepted it on %s, %d bytes each way" % (kind, back, N))
    t.is_(sorted(c["local"] for r in (echo, rel) for c in conns(r, role="listener")),
          sorted((back, front)), "%s: a listener at each hop" % kind)


# UDP: one datagram out and its echo back.  The client is fed on a pipe
# and ends when the echo is read: socat would otherwise wait out its
# timeout for an end that UDP never sends.
M = 1000
DGRAM = accept.pattern(M, 7)


def udp(run):
    port = accept.free_port(kind=accept.socket.SOCK_DGRAM)
    run.start("echo", ["socat", "UDP-RECVFROM:%d,bind=127.0.0.1" % port, "PIPE"],
              ready=("udp", port))
    p = run.start("client", ["socat", "-t", "0.1", "-", "UDP:127.0.0.1:%d" % port], pipes=True)
    p.stdin.write(DGRAM)
    p.stdin.flush()
    back = p.stdout.read(M)
    run.wait("echo")
    run.wait("client")
    run.results["client"].out = back.decode()
    return port


bare, rec, port = both(env, "socat-udp", udp)
same(t, bare, rec, "echo")
same(t, bare, rec, "client")
t.ok(rec.results["client"].out == DGRAM.decode(), "udp: the %d-byte datagram came back" % M)
echo, cli = rec.report("echo"), rec.report("client")
c = conns(cli, family="AF_INET")
t.is_([(x["role"], x["remote"], x["tx_bytes"], x["rx_bytes"]) for x in c],
      [("datagram", LO % port, M, M)], "udp: client sent %d bytes to %s and got them back" %
      (M, LO % port))
e = conns(echo, family="AF_INET")
t.is_([(x["role"], x["local"], x["rx_bytes"], x["tx_bytes"]) for x in e],
      [("datagram", LO % port, M, M)], "udp: echo on %s received and sent %d bytes" %
      (LO % port, M))
t.ok(len(e) == 1 and e[0]["remote"].startswith("127.0.0.1:") and e[0]["remote"] != LO % port,
     "udp: echo's peer is the client's port")
t.done()
