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
#   fork-exec-server.py pass N HOW  one connection, passed with SCM_RIGHTS
#                                   to a handler that execs: the server's
#                                   listener is at descriptor 40, made
#                                   close-on-exec by HOW (dup3, setfd,
#                                   fioclex, close_range), and the handler's
#                                   new image receives the connection at 40
#                                   and sends N bytes
#   fork-exec-server.py recv N FD   (the exec'd image) that receiver
import ctypes
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


def client(port):
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


def recv(n, fd):
    # Take every number below 40, so that the descriptor received is 40.
    held = []
    while True:
        f = os.open("/dev/null", os.O_RDONLY)
        if f >= 40:
            break
        held.append(f)
    if f == 40:
        os.close(f)
    _, fds, _, _ = socket.recv_fds(socket.socket(fileno=fd), 1, 1)
    print("reused 40" if fds == [40] else "not reused 40: %r" % fds, flush=True)
    for f in held:
        os.close(f)
    s = socket.socket(fileno=fds[0])
    s.sendall(b"x" * n)
    s.close()


def cloexec_at(fd, to, how):
    """Copy fd to descriptor to, made close-on-exec by the call how."""
    os.dup2(fd, to, inheritable=how != "dup3")
    if how == "setfd":
        fcntl.fcntl(to, fcntl.F_SETFD, fcntl.FD_CLOEXEC)
    elif how == "fioclex":
        fcntl.ioctl(to, 0x5451)  # FIOCLEX
    elif how == "close_range":
        if ctypes.CDLL(None, use_errno=True).close_range(to, to, 4) != 0:  # CLOSE_RANGE_CLOEXEC
            raise OSError(ctypes.get_errno(), "close_range")


def serve_pass(n, how):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(("127.0.0.1", 0))
    lst.listen(1)
    cloexec_at(lst.fileno(), 40, how)
    lst.close()
    lst = socket.socket(fileno=40)
    port = lst.getsockname()[1]
    print("port %d" % port, flush=True)
    a, b = socket.socketpair()
    b.set_inheritable(True)
    pid = os.fork()
    if pid == 0:
        client(port)
    conn, _ = lst.accept()
    child = os.fork()
    if child == 0:
        os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), "recv", str(n),
                                  str(b.fileno())])
    print("handler %d" % child, flush=True)
    socket.send_fds(a, [b"c"], [conn.fileno()])
    conn.close()
    os.waitpid(child, 0)
    os.waitpid(pid, 0)
    lst.close()


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
            client(port)
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
    elif sys.argv[1:2] == ["recv"]:
        recv(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:2] == ["pass"]:
        serve_pass(int(sys.argv[2]), sys.argv[3])
    else:
        serve(int(sys.argv[2]), int(sys.argv[3]))
