#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Client of socketserver-echo.py: K connections one after the other, each
# sends "N\n" and N bytes and reads the N bytes back; prints what came
# back, summed up.  Usage: echo-conns.py PORT K N
import hashlib
import socket
import sys

port, k, n = (int(a) for a in sys.argv[1:4])
digest = hashlib.sha256()
for i in range(k):
    data = bytes((i + j) % 251 for j in range(n))
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"%d\n" % n + data)
        back = b""
        while len(back) < n:
            chunk = s.recv(65536)
            if not chunk:
                break
            back += chunk
    if back != data:
        sys.exit("connection %d: %d bytes came back, not the %d sent" % (i, len(back), n))
    digest.update(back)
print("%d x %d bytes echoed, sha256 %s" % (k, n, digest.hexdigest()))
