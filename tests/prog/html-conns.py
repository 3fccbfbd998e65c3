#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Connections of every role for the HTML report's test.
#   html-conns.py mix DIR: a TCP server and three clients, a refused
#     connect, a UDP datagram, a socketpair, a name lookup of localhost,
#     and a unix server and client on a path in DIR whose name holds the
#     characters HTML escapes (<&>"').
#   html-conns.py pairs N: N socketpairs, opened and closed one by one
#     (2 N connection rows, quickly).
import os
import socket
import sys
import threading

UNIX_NAME = "s<&>\"'.sock"


def mix(d):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]

    def serve():
        for _ in range(3):
            c, _ = srv.accept()
            c.sendall(c.recv(100) * 2)
            c.close()
    t = threading.Thread(target=serve)
    t.start()
    for i in range(3):
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"hello" * (i + 1))
            s.recv(100)
    t.join()
    srv.close()
    # A refused connect: a port bound but not listening refuses.
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        try:
            socket.create_connection(held.getsockname())
        except ConnectionRefusedError:
            pass
    socket.getaddrinfo("localhost", port, socket.AF_INET, socket.SOCK_STREAM)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.sendto(b"x", ("127.0.0.1", port))
    a, b = socket.socketpair()
    a.send(b"hi")
    b.recv(2)
    a.close()
    b.close()
    path = os.path.join(d, UNIX_NAME)
    with socket.socket(socket.AF_UNIX) as us:
        us.bind(path)
        us.listen(1)
        with socket.socket(socket.AF_UNIX) as uc:
            uc.connect(path)
            c, _ = us.accept()
            uc.sendall(b"ping")
            c.recv(4)
            c.close()


def pairs(n):
    for _ in range(n):
        a, b = socket.socketpair()
        a.close()
        b.close()


if sys.argv[1] == "mix":
    mix(sys.argv[2])
else:
    pairs(int(sys.argv[2]))
