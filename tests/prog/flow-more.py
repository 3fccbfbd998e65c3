#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# More conversations for the flow tests, each end a program of its own
# (recorded apart): UDP, and unix stream clients that bytes cannot tell
# apart.
#
#   flow-more.py udp-serve FILE N
#     binds one UDP socket to 127.0.0.1, one to 0.0.0.0 and one to [::]
#     (dual-stack: IPv4 peers seen as [::ffff:A.B.C.D]; port 0 when the
#     host has no IPv6), ports 0, writes "PID PORT_LO PORT_ANY PORT_ANY6"
#     to FILE, then answers N datagrams on each socket with one of twice
#     the size to the sender; prints one line "PEER RECEIVED SENT LOCAL"
#     per peer at the end.
#   flow-more.py udp-send PORT_LO PORT_ANY [PORT_ANY6]
#     prints "pid PID", then for each server port (not 0), three clients one
#     after the other: "bound" (bind 127.0.0.1:0, sendto), "connected"
#     (connect, send), "unbound" (sendto only: the trace never names its
#     address); client i sends two datagrams, 1000+37*i and 500+11*i
#     bytes, and receives the answers; prints "KIND SENT RECEIVED" per
#     client.  12 datagrams in all.
#   flow-more.py udp-echo FILE N [ADDR]
#     one UDP socket on ADDR:0 (default 127.0.0.1); writes "PID PORT" to
#     FILE, answers N datagrams with one of twice the size each, then exits.
#   flow-more.py udp-many PORT N [OWN [ADDR]]
#     prints "pid PID", then N clients one after the other, each its own
#     socket bound to ADDR:OWN (default 127.0.0.1:0, a port of the
#     kernel's), sending to ADDR:PORT: client i sends 100+i bytes and reads
#     the answer.  A server with more clients than a row once kept; with
#     OWN, one port reused by all.
#   flow-more.py unix-serve FILE PATH K
#     listens on the unix stream PATH, writes "PID" to FILE, accepts K
#     connections and holds them all, then in accept order reads each to
#     EOF (the client's pid, in a fixed width), answers 3000 bytes and
#     closes; prints "CLIENTPID" per connection in accept order.
#   flow-more.py unix-send PATH K
#     prints "pid PID", forks K children that each open a socket (in
#     order), then lets them connect in the reverse order, one after the
#     other; each sends its pid in 1000 bytes, reads the answer to EOF and
#     prints "child PID SENT RECEIVED".  Every connection moves the same
#     bytes, and the order sockets were opened in is not the order they
#     were accepted in: only the peers' pids tell the clients apart.
#   flow-more.py fork-serve FILE K
#     a forking TCP server with a worker on a channel, as nginx and the
#     classic servers are: makes a socketpair, forks a worker that reads
#     its second end to EOF, listens on 127.0.0.1:0, writes "PID PORT" to
#     FILE; accepts K connections, each served by a child of its own
#     (reads 100 bytes, answers 200, closes) while the parent closes its
#     copy and writes 32 bytes on the channel's first end; prints "worker
#     PID RECEIVED" and "child PID" per connection, in accept order.
#   flow-more.py fork-send PORT K
#     prints "pid PID", then K connections one after the other, each
#     sending 100 bytes and reading the answer to EOF.
import importlib.util
import os
import selectors
import socket
import sys

# The stream helpers of flow-peers.py, its neighbour.
_spec = importlib.util.spec_from_file_location(
    "flow_peers", os.path.join(os.path.dirname(os.path.abspath(__file__)), "flow-peers.py"))
flow_peers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(flow_peers)
drain = flow_peers.drain


def udp_serve(portfile, n):
    lo = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    lo.bind(("127.0.0.1", 0))
    anyaddr = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    anyaddr.bind(("0.0.0.0", 0))
    socks = [lo, anyaddr]
    port6 = 0
    try:
        any6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        any6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        any6.bind(("::", 0))
        socks.append(any6)
        port6 = any6.getsockname()[1]
    except OSError:
        pass
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d %d %d %d\n" % (os.getpid(), lo.getsockname()[1], anyaddr.getsockname()[1],
                                   port6))
    os.rename(portfile + ".tmp", portfile)
    peers = {}
    n *= len(socks)
    while n > 0:
        ready = sel.select(timeout=60)
        if not ready:
            sys.exit("udp-serve: no datagram for 60 s")
        for key, _ in ready:
            s = key.fileobj
            data, peer = s.recvfrom(65536)
            s.sendto(b"a" * (2 * len(data)), peer)
            host = {lo: "127.0.0.1", anyaddr: "0.0.0.0"}.get(s, "[::]")
            name = ("[%s]:%d" if s.family == socket.AF_INET6 else "%s:%d") % peer[:2]
            p = peers.setdefault(name, [host, s.getsockname()[1], 0, 0])
            p[2] += len(data)
            p[3] += 2 * len(data)
            n -= 1
    for peer, (host, port, rx, tx) in sorted(peers.items()):
        print("%s %d %d %s:%d" % (peer, rx, tx, host, port), flush=True)


def udp_send(*ports):
    print("pid %d" % os.getpid(), flush=True)
    i = 0
    for port in (p for p in ports if p):
        dest = ("127.0.0.1", port)
        for kind in ("bound", "connected", "unbound"):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(60)
            if kind == "bound":
                s.bind(("127.0.0.1", 0))
            elif kind == "connected":
                s.connect(dest)
            sent = got = 0
            for size in (1000 + 37 * i, 500 + 11 * i):
                if kind == "connected":
                    s.send(b"u" * size)
                    got += len(s.recv(65536))
                else:
                    s.sendto(b"u" * size, dest)
                    got += len(s.recvfrom(65536)[0])
                sent += size
            s.close()
            print("%s %d %d" % (kind, sent, got), flush=True)
            i += 1


def udp_echo(portfile, n, addr="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 0))
    s.settimeout(60)  # never outlive a test that failed
    with open(portfile + ".tmp", "w") as f:
        f.write("%d %d\n" % (os.getpid(), s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    for _ in range(n):
        data, peer = s.recvfrom(65536)
        s.sendto(b"e" * (2 * len(data)), peer)


def udp_many(port, n, own=0, addr="127.0.0.1"):
    print("pid %d" % os.getpid(), flush=True)
    for i in range(n):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(60)
            s.bind((addr, own))
            s.sendto(b"m" * (100 + i), (addr, port))
            if len(s.recvfrom(65536)[0]) != 2 * (100 + i):
                sys.exit("udp-many: short answer")


def unix_serve(pidfile, path, k):
    lis = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lis.bind(path)
    lis.listen(k)
    lis.settimeout(60)  # never outlive a test that failed
    with open(pidfile + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(pidfile + ".tmp", pidfile)
    conns = []
    for _ in range(k):
        c, _ = lis.accept()
        c.settimeout(60)
        conns.append(c)
    for c in conns:
        with c:
            data = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
            c.sendall(b"s" * 3000)
        print(int(data.split(b" ")[0]), flush=True)
    lis.close()
    os.unlink(path)


def unix_send(path, k):
    print("pid %d" % os.getpid(), flush=True)
    kids = []
    for _ in range(k):
        go_r, go_w = os.pipe()
        done_r, done_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(60)
                os.write(done_w, b"o")  # opened
                os.read(go_r, 1)
                s.connect(path)
                os.write(done_w, b"c")  # connected
                msg = (b"%d " % os.getpid()).ljust(1000, b"x")
                s.sendall(msg)
                s.shutdown(socket.SHUT_WR)
                got = drain(s)
                s.close()
                os.write(1, b"child %d %d %d\n" % (os.getpid(), len(msg), got))  # one write: whole
                os._exit(0)
            except Exception as e:
                print("child %d: %s" % (os.getpid(), e), file=sys.stderr, flush=True)
                os._exit(1)
        os.close(go_r)
        os.close(done_w)  # a child that dies: end of file, not a hang
        os.read(done_r, 1)
        kids.append((pid, go_w, done_r))
    for pid, go_w, done_r in reversed(kids):
        os.write(go_w, b"g")
        os.read(done_r, 1)
    bad = 0
    for pid, _, _ in kids:
        bad |= os.waitpid(pid, 0)[1]
    sys.exit(1 if bad else 0)


def fork_serve(portfile, k):
    chan = socket.socketpair()
    worker = os.fork()
    if worker == 0:
        chan[0].close()
        os._exit(0 if drain(chan[1]) >= 0 else 1)
    chan[1].close()
    lis = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lis.bind(("127.0.0.1", 0))
    lis.listen(k)
    lis.settimeout(60)  # never outlive a test that failed
    with open(portfile + ".tmp", "w") as f:
        f.write("%d %d\n" % (os.getpid(), lis.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    kids = []
    for _ in range(k):
        c, _ = lis.accept()
        pid = os.fork()
        if pid == 0:
            lis.close()
            chan[0].close()
            c.settimeout(60)
            got = 0
            while got < 100:
                chunk = c.recv(100 - got)
                if not chunk:
                    os._exit(1)
                got += len(chunk)
            c.sendall(b"f" * 200)
            c.close()
            os._exit(0)
        c.close()
        chan[0].sendall(b"c" * 32)
        kids.append(pid)
    chan[0].close()
    bad = 0
    for pid in kids:
        bad |= os.waitpid(pid, 0)[1]
    _, status = os.waitpid(worker, 0)
    print("worker %d %d" % (worker, 32 * k), flush=True)
    for pid in kids:
        print("child %d" % pid, flush=True)
    sys.exit(1 if bad or status else 0)


def fork_send(port, k):
    print("pid %d" % os.getpid(), flush=True)
    for _ in range(k):
        with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
            s.sendall(b"q" * 100)
            s.shutdown(socket.SHUT_WR)
            if drain(s) != 200:
                sys.exit("fork-send: short answer")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["udp-serve"] and len(a) == 3:
        udp_serve(a[1], int(a[2]))
    elif a[:1] == ["udp-send"] and len(a) in (3, 4):
        udp_send(*(int(x) for x in a[1:]))
    elif a[:1] == ["udp-echo"] and len(a) in (3, 4):
        udp_echo(a[1], int(a[2]), *a[3:])
    elif a[:1] == ["udp-many"] and len(a) in (3, 4, 5):
        udp_many(*(int(x) for x in a[1:4]), *a[4:])
    elif a[:1] == ["unix-serve"] and len(a) == 4:
        unix_serve(a[1], a[2], int(a[3]))
    elif a[:1] == ["unix-send"] and len(a) == 3:
        unix_send(a[1], int(a[2]))
    elif a[:1] == ["fork-serve"] and len(a) == 3:
        fork_serve(a[1], int(a[2]))
    elif a[:1] == ["fork-send"] and len(a) == 3:
        fork_send(int(a[1]), int(a[2]))
    else:
        sys.exit("usage: flow-more.py udp-serve FILE N | udp-send PORT_LO PORT_ANY [PORT_ANY6] |"
                 " udp-echo FILE N [ADDR] | udp-many PORT N [OWN [ADDR]] |"
                 " unix-serve FILE PATH K | unix-send PATH K | fork-serve FILE K |"
                 " fork-send PORT K")
