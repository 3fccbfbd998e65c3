#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# A program that streams for a while, for the live view's tests:
#
#   streamer.py SECONDS [FILE]
#     sends 1000 bytes over a socketpair and receives them, 100 times a
#     second, for SECONDS (0: until killed); prints "pid PID" first (to
#     FILE if given, else stdout) and "sent BYTES" at the end.
import os
import socket
import sys
import time


def main():
    secs = float(sys.argv[1])
    out = open(sys.argv[2], "w") if len(sys.argv) > 2 else sys.stdout
    print("pid %d" % os.getpid(), file=out, flush=True)
    a, b = socket.socketpair()
    total = 0
    t0 = time.monotonic()
    while secs <= 0 or time.monotonic() - t0 < secs:
        a.sendall(b"x" * 1000)
        got = 0
        while got < 1000:
            got += len(b.recv(1000 - got))
        total += 1000
        time.sleep(0.01)
    print("sent %d" % total, file=out, flush=True)


if __name__ == "__main__":
    main()
