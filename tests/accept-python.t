#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Real Python programs, bare and under `sockscope record`: the echo pair of
# examples/, http.server with urllib as its client, and the standard
# library's ForkingTCPServer and ThreadingTCPServer.  Each program ends
# with the same status and output both ways, and the report of the
# recorded run shows the connections they made, with their addresses and
# byte counts.
import hashlib
import os
import re
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import accept
import sstest
from accept import PYTHON, both, conns, io, same

t = sstest.Tap()
env = sstest.Env("accept-python")
env.need_sessiond()
LO = "127.0.0.1:%d"


# ---- the echo pair of the socket module's documentation ----
def echo(run):
    port = accept.free_port()
    run.start("server", [PYTHON, os.path.join(accept.EXAMPLES, "echo-server.py"), str(port),
                         "127.0.0.1"], ready=("tcp", port))
    run.run("client", [PYTHON, os.path.join(accept.EXAMPLES, "echo-client.py"), str(port)])
    run.wait("server")
    return port


bare, rec, port = both(env, "echo", echo)
same(t, bare, rec, "server", accept.digits)
same(t, bare, rec, "client")
t.is_(rec.results["client"].out, "Received b'Hello, world'\n", "the client got its echo")
rep = rec.report()
peer = re.search(r"Connected by \('127\.0\.0\.1', (\d+)\)", rec.results["server"].out)
cli = conns(rep, role="client")
t.is_([(c["comm"], c["family"], c["type"], c["remote"], c["tx_bytes"], c["rx_bytes"])
       for c in cli], [("python3", "AF_INET", "SOCK_STREAM", LO % port, 12, 12)],
      "client: one connection to the server, 12 bytes each way")
t.is_([(c["local"], c["remote"], c["tx_bytes"], c["rx_bytes"]) for c in conns(rep, role="server")],
      [(LO % port, LO % int(peer.group(1)) if peer else None, 12, 12)],
      "server: the accepted connection, from the port it printed, 12 bytes each way")
t.is_([c["local"] for c in conns(rep, role="listener")], [LO % port], "server: its listener")
t.is_(len(rep["processes"]), 2, "two processes: server and client")


# ---- http.server, fetched with urllib ----
SIZE = 100000
URLLIB = """import hashlib, sys, urllib.request
with urllib.request.urlopen(sys.argv[1]) as r:
    body = r.read()
    print(r.status, len(body), hashlib.sha256(body).hexdigest())
"""


def http(run):
    www = os.path.join(run.dir, "www")
    os.mkdir(www)
    with open(os.path.join(www, "data.bin"), "wb") as f:
        f.write(accept.pattern(SIZE))
    port = accept.free_port()
    run.start("server", [PYTHON, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                         "--directory", www], ready=("tcp", port))
    run.run("client", [PYTHON, "-c", URLLIB, "http://127.0.0.1:%d/data.bin" % port])
    run.stop("server")
    return port


bare, rec, port = both(env, "http", http)
same(t, bare, rec, "server", accept.digits)
same(t, bare, rec, "client")
t.is_(rec.results["client"].out,
      "200 %d %s\n" % (SIZE, hashlib.sha256(accept.pattern(SIZE)).hexdigest()),
      "urllib got the whole file")
rep = rec.report()
cli, srv = conns(rep, role="client", remote=LO % port), conns(rep, role="server", local=LO % port)
t.is_((len(cli), len(srv)), (1, 1), "one connection, seen from both ends")
tx, rx = io(cli)
t.ok(SIZE < rx < SIZE + 1024 and 0 < tx < 1024,
     "client: the request out, headers and %d bytes of body in (%d, %d)" % (SIZE, tx, rx))
t.is_(io(srv), (rx, tx), "server: sent what the client received, received what it sent")
t.is_({c["comm"] for c in cli + srv}, {"python3"}, "both ends are python3")


# ---- socketserver: forking and threading ----
K, N = 3, 5000
REQ = len(b"%d\n" % N) + N


def socketserver(kind):
    def scenario(run):
        port = accept.free_port()
        run.start("server", [PYTHON, os.path.join(accept.PROGS, "socketserver-echo.py"), kind,
                             str(port)], ready=("tcp", port))
        run.run("client", [PYTHON, os.path.join(accept.PROGS, "echo-conns.py"), str(port),
                           str(K), str(N)])
        run.stop("server")
        return port
    return scenario


for kind in ("forking", "threading"):
    bare, rec, port = both(env, kind, socketserver(kind))
    same(t, bare, rec, "server")
    same(t, bare, rec, "client")
    t.ok(rec.results["client"].out.startswith("%d x %d bytes echoed" % (K, N)),
         "%s: every connection echoed" % kind)
    rep = rec.report()
    cli, srv = conns(rep, role="client", remote=LO % port), conns(rep, role="server")
    t.is_(sorted((c["tx_bytes"], c["rx_bytes"]) for c in cli), [(REQ, N)] * K,
          "%s: %d client connections, %d bytes out and %d in each" % (kind, K, REQ, N))
    t.is_(sorted((c["local"], c["rx_bytes"], c["tx_bytes"]) for c in srv), [(LO % port, REQ, N)] * K,
          "%s: %d server connections on %s with the same counts" % (kind, K, LO % port))
    server_pid = rec.pid("server")
    t.is_({c["pid"] for c in srv}, {server_pid},
          "%s: the connections belong to the server process" % kind)
    children = [p for p in rep["processes"] if p["ppid"] == server_pid]
    t.is_(len(children), K if kind == "forking" else 0,
          "%s: %d forked handler processes known as the server's children" %
          (kind, K if kind == "forking" else 0))
t.done()
