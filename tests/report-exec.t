#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# exec ends the close-on-exec descriptors: a forking server whose handler
# dup2()s its accepted connection to 0 and execs a program that sends on
# copies of descriptor 0, one at the number the listener had.  Its bytes count on the accepted connection's row,
# never on the close-on-exec listener whose number the copy may reuse, and
# no row is the handler's own.  The process filters then select these rows
# whole: --pid of a handler, of the server, --comm, as text and JSON.  A
# socket received after exec at a close-on-exec socket's old number is a
# socket of its own.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

K, N = 2, 3000
PROG = os.path.join(sstest.TOP, "tests", "prog", "fork-exec-server.py")
t = sstest.Tap()
env = sstest.Env("rexec")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [sstest.PYTHON, PROG, "serve", str(K), str(N)], "fes")
t.is_((rc, out.count("client got %d" % N)), (0, K), "the server runs; each client gets %d bytes" % N)
t.is_(out.count("reused "), K, "each handler sends at the listener's old number")
handlers = [int(l.split()[1]) for l in out.splitlines() if l.startswith("handler ")]
port = sstools.ports(out)[0]
rep = sstools.report_json(trace)
conns = rep["connections"]
server = min(p["pid"] for p in rep["processes"])
rows = sorted((c["pid"] == server, c["role"], c["tx_bytes"], c["rx_bytes"]) for c in conns)
t.is_(rows, sorted([(True, "listener", 0, 0)] + [(True, "server", N, 0)] * K +
                   [(False, "client", 0, N)] * K),
      "the exec'd handlers' %d bytes on the accepted connections' rows; the listener sent 0" % N)
t.is_([c for c in conns if c["pid"] in handlers], [], "no row belongs to a handler")
t.is_(sorted(tuple(c["pids"]) for c in conns if c["role"] == "server"),
      sorted((server, h) for h in handlers), "each server row lists the server and its handler")
t.is_(sstools.schema_problems(rep), [], "the report keeps its schema")

def rows_of(opts):
    r = sstools.report_json(trace, opts)
    return sorted((c["pid"], c["role"], c["tx_bytes"], c["rx_bytes"]) for c in r["connections"])

for h in handlers:
    t.is_([r[1:] for r in rows_of(["--pid", str(h)])], [("server", N, 0)],
          "--pid %d (a handler): its one connection, whole" % h)
t.is_([r[1:] for r in rows_of(["--pid", str(server)])],
      sorted([("listener", 0, 0)] + [("server", N, 0)] * K),
      "--pid of the server: its listener and the %d connections it accepted, whole" % K)
t.is_(len(rows_of(["--comm", "python3"])), 2 * K + 1, "--comm python3: every row")
t.is_(rows_of(["--comm", "nomatch*"]), [], "--comm of no process: no row")
rc, txt, err = sstools.report(trace, ["--pid", str(handlers[0])])
lines = [l for l in sstools.text_rows(txt) if l[2:3] == ["server"]]
t.is_([(int(l[0]), l[1], int(l[5]), int(l[6])) for l in lines], [(server, "python3", N, 0)],
      "text --pid of a handler: one row, the server's, %d bytes sent" % N)

# A connection passed with SCM_RIGHTS to a handler that exec'd lands, in
# the new image, at the number of the server's close-on-exec listener: it
# is a socket of its own there, never the listener (whose descriptor the
# exec closed).
# The listener is made close-on-exec by each way there is.
for how in ("dup3", "setfd", "fioclex", "close_range"):
    rc, out, err, trace = sstools.record(env, [sstest.PYTHON, PROG, "pass", str(N), how],
                                         "pass-" + how)
    t.is_((rc, "reused 40" in out, "client got %d" % N in out), (0, True, True),
          "%s: the handler receives the connection at the listener's old number, 40" % how)
    handler = [int(l.split()[1]) for l in out.splitlines() if l.startswith("handler ")][0]
    conns = sstools.report_json(trace)["connections"]
    t.is_([(c["tx_bytes"], c["rx_bytes"]) for c in conns if c["role"] == "listener"], [(0, 0)],
          "%s: the listener sent nothing" % how)
    t.is_([(c["pid"], c["tx_bytes"]) for c in conns if c["tx_bytes"] == N],
          [(handler, N)], "%s: the handler's %d bytes on the connection it received" % (how, N))
t.done()
