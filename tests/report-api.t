#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The report nests the preload's events under the companion library's
# methods: the seed's echo example in C (scripts/echo-pair.sh: one client,
# then four in load mode) recorded, and every method's libc calls counted
# exactly -- one accept4 per accept, one recv per recv, getaddrinfo, socket
# and connect per create_connection, none for fileno.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("api")
env.need_sessiond()
pair = os.path.join(sstest.TOP, "scripts", "echo-pair.sh")
rc, out, err, trace = sstools.record(env, ["sh", pair, sstest.BUILD, "0"], "echo")
t.is_(rc, 0, "the echo pair runs under record")
rep = sstools.report_json(trace)
t.is_(rep["lost_events"], 0, "no event discarded")
api = {a["method"]: a for a in rep.get("api", [])}

ONE_TO_ONE = {"socket": "socket", "listen": "listen", "connect": "connect",
              "accept": "accept4", "recv": "recv", "send": "send", "close": "close",
              "getsockname": "getsockname", "setblocking": "fcntl"}
for method, libc in ONE_TO_ONE.items():
    a = api.get(method)
    t.ok(a and a["calls"] > 0 and a["syscalls"] == {libc: a["calls"]},
         "%s: each call encloses exactly one %s" % (method, libc))
    if not (a and a["syscalls"] == {libc: a["calls"]}):
        t.diag(a)
b = api.get("bind")
t.ok(b and b["syscalls"] == {"bind": 1, "getsockname": 1},
     "bind to port 0: the bind, and the getsockname that learns the port for its messages")
cc = api.get("create_connection")
t.ok(cc and cc["calls"] == 4 and cc["syscalls"] == {"getaddrinfo": 4, "socket": 4, "connect": 4},
     "create_connection: getaddrinfo, socket and connect, once each, four times")
sa = api.get("sendall")
t.ok(sa and sa["syscalls"].get("send", 0) >= sa["calls"] and set(sa["syscalls"]) == {"send"},
     "sendall: only sends, at least one a call")
t.ok(api.get("fileno") and api["fileno"]["syscalls"] == {}, "fileno: no libc call")
rc, txt, err = sstools.report(trace)
t.ok("create_connection" in txt and "getaddrinfo x4" in txt,
     "text: the methods with the calls they caused")
t.done()
