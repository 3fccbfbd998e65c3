#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# A forking server as inetd-style servers are written: the listener and the
# accepted connection are close-on-exec (Python's defaults); each accepted
# connection is handed to a child that dup2()s it to 0 and execs this
# script again, whose new image sends on a copy of descriptor 0 made at the
# listener's old number (F_DUPFD_CLOEXEC from that number: what
# socket.fromfd(os.dup(0)) gets when that number is the lowest free), then
# on socket.fromfd(os.dup(0)).  The client is a forked child of the server
# that reads to the end and prints what it got.
#
#   fork-exec-server.py serve K N   K connections, N bytes sent on each
#   fork-exec-server.py send N L    (the exec'd image) send N bytes on fd 0,
#                                   half at descriptor L or above
import fcntl
import os
import socket
import sys


def send(n, at):
    fd = fcntl.fcntl(0, fcntl.F_DUPFD_CLOEXEC, at)
    print("reused %d" % at if fd == at else "not reused %d" % at, flush=True)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, fileno=fd)
    s.sendall(b"x" * (n // 2))
    s.close()
    s = socket.fromfd(os.dup(0), socket.AF_INET, socket.SOCK_STREAM)
    os.close(0)
    s.sendall(b"x" * (n - n // 2))
    s.close()


def serve(k, n):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(("127.0.0.1", 0))
    lst.listen(k)
    port = lst.getsockname()[1]
    print("port %d" % port, flush=True)
    clients = []
    for _ in range(k):
        pid = os.fork()
        if pid == 0:
            lst.close()
            c = socket.create_connection(("127.0.0.1", port))
            got = 0
            while True:
                b = c.recv(65536)
                if not b:
                    break
                got += len(b)
            c.close()
            print("client got %d" % got, flush=True)
            os._exit(0)
        clients.append(pid)
        conn, _ = lst.accept()
        child = os.fork()
        if child == 0:
            os.dup2(conn.fileno(), 0)
            os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), "send", str(n),
                                      str(lst.fileno())])
        print("handler %d" % child, flush=True)
        conn.close()
        os.waitpid(child, 0)
    for pid in clients:
        os.waitpid(pid, 0)
    lst.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["send"]:
        send(int(sys.argv[2]), int(sys.argv[3]))
    else:
        serve(int(sys.argv[2]), int(sys.argv[3]))
