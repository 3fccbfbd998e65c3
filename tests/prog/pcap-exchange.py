#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Both ends of TCP connections over 127.0.0.1 and ::1 (the server a child
# process, whose pid is printed first: "server PID"), and UDP over
# 127.0.0.1 in one process, with several sends each
# way, one larger than a packet holds; the client shuts its side down,
# the server closes on end of file.  Prints a line per exchange:
# "PROTO CLIENT SERVER BYTES_TO_SERVER BYTES_TO_CLIENT", endpoints as the
# report writes them.  With --random, the bytes are random and written
# in hex after the line ("data DIRECTION HEX": TCP c2s and s2c, the bytes
# each way; UDP up and down, one line per datagram), for the payload tests.
import os
import socket
import sys

TO_SERVER = [1000, 70000, 5]
TO_CLIENT = [300, 4000]
rand = "--random" in sys.argv


def data(n, seed):
    return os.urandom(n) if rand else bytes((seed + j) % 251 for j in range(n))


def ep(family, a):
    return "[%s]:%d" % a[:2] if family == socket.AF_INET6 else "%s:%d" % a


def recv_all(s):
    got = b""
    while True:
        b = s.recv(65536)
        if not b:
            return got
        got += b


def tcp(family, host):
    ls = socket.socket(family, socket.SOCK_STREAM)
    ls.bind((host, 0))
    ls.listen(1)
    pid = os.fork()
    if pid == 0:
        s, _ = ls.accept()
        got = b""
        while len(got) < sum(TO_SERVER):
            got += s.recv(65536)
        back = b"".join(data(n, i) for i, n in enumerate(TO_CLIENT))
        for i, n in enumerate(TO_CLIENT):
            s.sendall(back[sum(TO_CLIENT[:i]):sum(TO_CLIENT[:i + 1])])
        got += recv_all(s)
        s.close()
        os._exit(0 if len(got) == sum(TO_SERVER) else 1)
    print("server %d" % pid, flush=True)
    c = socket.socket(family, socket.SOCK_STREAM)
    c.connect(ls.getsockname()[:2])
    sent = b"".join(data(n, 7 * i) for i, n in enumerate(TO_SERVER))
    for i, n in enumerate(TO_SERVER):
        c.sendall(sent[sum(TO_SERVER[:i]):sum(TO_SERVER[:i + 1])])
    back = b""
    while len(back) < sum(TO_CLIENT):
        back += c.recv(65536)
    c.shutdown(socket.SHUT_WR)
    back += recv_all(c)
    _, status = os.waitpid(pid, 0)
    if status:
        sys.exit("the server failed")
    print("tcp %s %s %d %d" % (ep(family, c.getsockname()), ep(family, ls.getsockname()),
                              len(sent), len(back)), flush=True)
    if rand:
        print("data c2s %s" % sent.hex())
        print("data s2c %s" % back.hex())
    c.close()
    ls.close()


def udp():
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))
    cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cli.connect(srv.getsockname())
    up = [data(n, n) for n in (100, 1200, 7)]
    for d in up:
        cli.send(d)
    down = 0
    for d in up:
        got, peer = srv.recvfrom(65536)
        srv.sendto(got[:50], peer)
        down += len(got[:50])
    for d in up:
        cli.recv(65536)
    print("udp %s %s %d %d" % (ep(socket.AF_INET, cli.getsockname()),
                              ep(socket.AF_INET, srv.getsockname()), sum(map(len, up)), down))
    if rand:
        for d in up:
            print("data up %s" % d.hex())
        for d in up:
            print("data down %s" % d[:50].hex())
    cli.close()
    srv.close()


tcp(socket.AF_INET, "127.0.0.1")
tcp(socket.AF_INET6, "::1")
udp()
