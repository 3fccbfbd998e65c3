#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The socket module documentation's echo server, in Python 3: serves one
# client, echoing all it receives.  Usage: echo-server.py [PORT] [HOST]
import sys
from socket import socket, AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR

HOST = sys.argv[2] if len(sys.argv) > 2 else ''   # '' means all local addresses
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 50007
s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind((HOST, PORT))
s.listen(1)
print('Listening on', s.getsockname()[1], flush=True)
conn, addr = s.accept()
print('Connected by', addr, flush=True)
while True:
    data = conn.recv(1024)
    if not data:
        break
    conn.send(data)
conn.close()
s.close()
