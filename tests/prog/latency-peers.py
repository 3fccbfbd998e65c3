#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Peers with known latencies, for the latency tests:
#
#   latency-peers.py http FILE DELAY
#     an HTTP server on 127.0.0.1 (port 0) that writes "PID PORT" to FILE,
#     answers one request after waiting DELAY seconds, and exits.
#   latency-peers.py think FILE N DELAY
#     a server on 127.0.0.1 that writes "PID PORT" to FILE, accepts one
#     connection and answers N requests of 100 bytes with 200 bytes each,
#     each after thinking DELAY seconds.
#   latency-peers.py ask PORT N
#     its client: N requests on one connection, each answer read whole.
#   latency-peers.py nbconnect ADDR PORT SYNCNT
#     a non-blocking connect to ADDR:PORT (TCP_SYNCNT tries of the SYN
#     when SYNCNT > 0), waited for with poll() (30 s at most), its outcome
#     read with getsockopt(SO_ERROR); prints "err NAME" (OK on success).
import errno
import http.server
import os
import select
import socket
import sys
import time


def announce(path, port):
    with open(path + ".tmp", "w") as f:
        f.write("%d %d\n" % (os.getpid(), port))
    os.rename(path + ".tmp", path)  # seen whole or not at all


def http_once(path, delay):
    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(delay)
            body = b"slow\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Slow)
    srv.timeout = 60
    announce(path, srv.server_address[1])
    srv.handle_request()
    srv.server_close()


def read_exactly(s, n):
    got = 0
    while got < n:
        chunk = s.recv(n - got)
        if not chunk:
            sys.exit("early EOF")
        got += len(chunk)


def think(path, n, delay):
    lis = socket.socket()
    lis.bind(("127.0.0.1", 0))
    lis.listen(1)
    lis.settimeout(60)
    announce(path, lis.getsockname()[1])
    conn, _ = lis.accept()
    conn.settimeout(60)
    for _ in range(n):
        read_exactly(conn, 100)
        time.sleep(delay)
        conn.sendall(b"a" * 200)
    conn.close()
    lis.close()


def ask(port, n):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    for _ in range(n):
        s.sendall(b"q" * 100)
        read_exactly(s, 200)
    s.close()


def nbconnect(addr, port, syncnt):
    s = socket.socket()
    if syncnt > 0:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, syncnt)
    s.setblocking(False)
    r = s.connect_ex((addr, port))
    if r == errno.EINPROGRESS:
        p = select.poll()
        p.register(s, select.POLLOUT)
        p.poll(30000)
        r = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    print("err %s" % (errno.errorcode.get(r, "OK") if r else "OK"), flush=True)
    s.close()


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["http"] and len(a) == 3:
        http_once(a[1], float(a[2]))
    elif a[:1] == ["think"] and len(a) == 4:
        think(a[1], int(a[2]), float(a[3]))
    elif a[:1] == ["ask"] and len(a) == 3:
        ask(int(a[1]), int(a[2]))
    elif a[:1] == ["nbconnect"] and len(a) == 4:
        nbconnect(a[1], int(a[2]), int(a[3]))
    else:
        sys.exit("usage: latency-peers.py http FILE DELAY | think FILE N DELAY | ask PORT N"
                 " | nbconnect ADDR PORT SYNCNT")
