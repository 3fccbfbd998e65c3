#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# An echo server made of the standard library's socketserver, forking or
# threading: each connection sends "N\n" and N bytes, and gets the N bytes
# back.  Serves until SIGTERM, then closes (waiting for its handlers) and
# prints "stopped".
# Usage: socketserver-echo.py forking|threading PORT
import signal
import socketserver
import sys


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        n = int(self.rfile.readline())
        self.wfile.write(self.rfile.read(n))


def stop(sig, frame):
    raise SystemExit(0)


kind = {"forking": socketserver.ForkingTCPServer,
        "threading": socketserver.ThreadingTCPServer}[sys.argv[1]]
signal.signal(signal.SIGTERM, stop)
with kind(("127.0.0.1", int(sys.argv[2])), Echo) as server:
    print("serving", sys.argv[1], flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        print("stopped", flush=True)
