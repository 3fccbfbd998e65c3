#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The socket module documentation's echo client, in Python 3.
# Usage: echo-client.py [PORT] [HOST]
import sys
from socket import socket, AF_INET, SOCK_STREAM

HOST = sys.argv[2] if len(sys.argv) > 2 else '127.0.0.1'
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 50007
s = socket(AF_INET, SOCK_STREAM)
s.connect((HOST, PORT))
s.send(b'Hello, world')
data = s.recv(1024)
s.close()
print('Received', repr(data))
