#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Flows on one host: a TCP and a unix stream server recorded in one
# recording, their client in another; the report over both pairs every
# client end with its server end (both pids, both endpoints, the exact
# bytes each way, sent and received agreeing), and over the client's
# recording alone keeps every end as a flow without a server.
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PEERS = os.path.join(sstest.TOP, "tests", "prog", "flow-peers.py")
K = 3
t = sstest.Tap()
env = sstest.Env("flows")
env.need_sessiond()

# ---- the server's recording, in the background ----
portfile = os.path.join(env.tmp, "port")
path = os.path.join(env.tmp, "flow.sock")
argv = [sstest.PYTHON, PEERS, "serve", portfile, path, str(K)]
server, spid, port, dir_a = sstools.record_server(env, argv, "server", portfile, ())

# ---- the clients' recording ----
rc, out, err, dir_b = sstools.record(env, [sstest.PYTHON, PEERS, "connect", str(port), path,
                                           str(K)], "clients", timeout=60)
t.is_(rc, 0, "the clients' recording exits 0") or t.diag(err)
try:
    serr = server.communicate(timeout=60)[1]
except subprocess.TimeoutExpired:
    serr = "(still running after 60 s)"
t.is_(server.returncode, 0, "the server's recording exits 0") or t.diag(serr)
lines = out.split("\n")
cpid = int(lines[0].split()[1]) if lines[0].startswith("pid ") else -1
conns = [(w[0], int(w[1]), int(w[2]), w[3]) for w in (l.split() for l in lines[1:]) if len(w) == 4]
sizes = [1000 * (i + 1) + i for i in range(2 * K)]
t.is_([c[:3] for c in conns], [("tcp" if i < K else "unix", n, 2 * n) for i, n in enumerate(sizes)],
      "the client sent %d bytes on connection i and got twice that back" % sizes[0])


def end(f, side, key):
    return (f.get(side) or {}).get(key)


# ---- both recordings: every flow paired ----
rep = sstools.report_json([dir_a, dir_b])
flows = rep.get("flows", [])
t.is_(sorted((f.get("proto"), f.get("client") is not None, f.get("server") is not None)
             for f in flows), sorted([("tcp", True, True)] * K + [("unix", True, True)] * K),
      "%d flows, %d TCP and %d unix, each with both ends" % (2 * K, K, K))
by = {f.get("bytes_to_server"): f for f in flows}
mine = [by.get(c[1], {}) for c in conns]
t.is_([(f.get("proto"), f.get("bytes_to_server"), f.get("bytes_to_client")) for f in mine],
      [(c[0], c[1], c[2]) for c in conns],
      "each connection's flow has the bytes the client sent and received")
t.is_([(end(f, "client", "pid"), end(f, "server", "pid")) for f in mine], [(cpid, spid)] * 2 * K,
      "client pid %d (the client program), server pid %d (the server program)" % (cpid, spid))
t.is_([(end(f, "client", "comm"), end(f, "server", "comm")) for f in mine],
      [("python3", "python3")] * 2 * K, "both ends' comm: python3")
t.is_([f.get("agree") for f in mine], [True] * 2 * K, "sent and received agree on every flow")
t.is_([(end(f, "client", "endpoint"), end(f, "server", "endpoint")) for f in mine[:K]],
      [(c[3], "127.0.0.1:%d" % port) for c in conns[:K]],
      "TCP: the client's own address as it printed it, the server's 127.0.0.1:%d" % port)
t.is_([end(f, "server", "endpoint") for f in mine[K:]], [path] * K,
      "unix: the server's end at the socket's path")
t.ok(all(isinstance(f.get(k), int) and not isinstance(f.get(k), bool) and f[k] >= 0
         for f in flows for k in ("start_ns", "duration_ns")) and flows != [],
     "start_ns and duration_ns are non-negative integers")
hosts = rep.get("hosts", [])
t.is_([(h.get("offset_ns"), h.get("offset_min_ns"), h.get("offset_max_ns")) for h in hosts],
      [(0, 0, 0)], "hosts: one, with offsets 0")
name = hosts[0].get("name") if hosts else None
t.ok(isinstance(name, str) and name != "" and
     {end(f, s, "host") for f in flows for s in ("client", "server")} == {name},
     "every end's host is that host's name (%r)" % name)

# ---- the clients' recording alone: ends without a peer are kept ----
alone = sstools.report_json(dir_b).get("flows", [])
t.is_(sorted((f.get("proto"), end(f, "client", "pid"), f.get("server"), f.get("bytes_to_server"),
              f.get("agree")) for f in alone),
      sorted((c[0], cpid, None, c[1], None) for c in conns),
      "the clients alone: %d flows, each its client end, no server, its bytes, agree null"
      % (2 * K))

# ---- the text report ----
rc, text, err = sstools.report([dir_a, dir_b])
tl = text.split("\n")
at = [i for i, l in enumerate(tl) if l.startswith("FLOWS")]
t.ok(rc == 0 and len(at) == 1, "text: one FLOWS section")
rows = 0
for l in tl[at[0] + 2:] if at else []:
    if not l.strip():
        break
    rows += 1
t.is_(rows, 2 * K, "text: one line per flow under the column header")
t.done()
