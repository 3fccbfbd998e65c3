#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Both ends of known conversations, for the flow tests: the server and
# its clients run as separate programs (recorded separately), and each
# connection carries a byte count of its own each way, so that a report
# can be checked flow by flow.
#
#   flow-peers.py serve FILE PATH K [ADDR]
#     listens on 127.0.0.1 or ADDR (port 0: the kernel's choice) and on
#     the unix stream path PATH, writes "PID PORT" to FILE, then serves K
#     TCP and then K unix connections one at a time: reads until the
#     client shuts down its write side, answers twice as many bytes, closes.
#   flow-peers.py connect PORT PATH K [ADDR]
#     prints "pid PID", then makes K TCP connections (to 127.0.0.1 or
#     ADDR) and K unix ones one after the other; connection i (0..2K-1)
#     sends 1000*(i+1)+i bytes, shuts down its write side and reads the
#     answer to EOF; prints one line "KIND SENT RECEIVED LOCAL" per
#     connection (LOCAL: its own address as getsockname() gives it, "-"
#     for an unnamed unix socket).
# A PATH of "-" leaves the unix part out, for peers on different hosts.
import os
import socket
import sys


def drain(s):
    n = 0
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return n
        n += len(chunk)


def serve(portfile, path, k, addr):
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind((addr, 0))
    tcp.listen(k)
    unix = None
    if path != "-":
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.bind(path)
        unix.listen(k)
    for s in filter(None, (tcp, unix)):
        s.settimeout(60)  # never outlive a test that failed
    with open(portfile + ".tmp", "w") as f:
        f.write("%d %d\n" % (os.getpid(), tcp.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)  # seen whole or not at all
    for lis in [tcp] * k + ([unix] * k if unix else []):
        conn, _ = lis.accept()
        conn.settimeout(60)
        with conn:
            conn.sendall(b"r" * (2 * drain(conn)))
    tcp.close()
    if unix:
        unix.close()
        os.unlink(path)


def connect(port, path, k, addr):
    print("pid %d" % os.getpid(), flush=True)
    for i in range(k if path == "-" else 2 * k):
        kind = "tcp" if i < k else "unix"
        if kind == "tcp":
            s = socket.create_connection((addr, port), timeout=60)
            local = "%s:%d" % s.getsockname()
        else:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(60)
            s.connect(path)
            local = s.getsockname() or "-"
        sent = 1000 * (i + 1) + i
        with s:
            s.sendall(b"q" * sent)
            s.shutdown(socket.SHUT_WR)
            got = drain(s)
        print("%s %d %d %s" % (kind, sent, got, local), flush=True)


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6) or sys.argv[1] not in ("serve", "connect"):
        sys.exit("usage: flow-peers.py serve FILE PATH K [ADDR] | connect PORT PATH K [ADDR]")
    addr = sys.argv[5] if len(sys.argv) == 6 else "127.0.0.1"
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]), addr)
    else:
        connect(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), addr)
