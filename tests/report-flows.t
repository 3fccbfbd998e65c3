#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Flows on one host: a TCP and a unix stream server recorded in one
# recording, their client in another; the report over both pairs every
# client end with its server end (both pids, both endpoints, the exact
# bytes each way, sent and received agreeing), and over the client's
# recording alone keeps every end as a flow without a server.  Then UDP:
# a server on 127.0.0.1 and on the wildcard, its clients bound, connected
# and unbound, each exchange its own flow; and unix stream clients in
# processes of their own, connected at once with the same bytes each and
# accepted in another order than they opened their sockets: each paired
# with its own process by the peers' pids (SO_PEERCRED).  Last, a forking
# server: an end names the process that moved its bytes (the child that
# served the connection its parent accepted, the worker reading the
# channel its master opened), and the process that opened it.
import os
import re
import socket
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PEERS = os.path.join(sstest.TOP, "tests", "prog", "flow-peers.py")
MORE = os.path.join(sstest.TOP, "tests", "prog", "flow-more.py")
K = 3
t = sstest.Tap()
env = sstest.Env("flows")
env.need_sessiond()

def finish(p, what):
    """Wait for a background recording; its program's output."""
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        out, err = "", "(still running after 60 s)"
    t.is_(p.returncode, 0, "%s exits 0" % what) or t.diag(err)
    return out


# ---- the server's recording, in the background ----
portfile = os.path.join(env.tmp, "port")
path = os.path.join(env.tmp, "flow.sock")
server, dir_a, w = sstools.record_bg(
    env, [sstest.PYTHON, PEERS, "serve", portfile, path, str(K)], "server", portfile)
spid, port = (int(x) for x in w)

# ---- the clients' recording ----
rc, out, err, dir_b = sstools.record(env, [sstest.PYTHON, PEERS, "connect", str(port), path,
                                           str(K)], "clients", timeout=60)
t.is_(rc, 0, "the clients' recording exits 0") or t.diag(err)
finish(server, "the server's recording")
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



# ---- UDP: a server in one recording, its clients in another ----
# Its sockets on 127.0.0.1, 0.0.0.0 and [::] (dual-stack, when the host
# has IPv6), three clients each: bound, connected, unbound.
udp, dir_us, w = sstools.record_bg(
    env, [sstest.PYTHON, MORE, "udp-serve", os.path.join(env.tmp, "udp"), "6"], "udp-server",
    os.path.join(env.tmp, "udp"))
uspid, port_lo, port_any, port_6 = (int(x) for x in w)
ports = [p for p in (port_lo, port_any, port_6) if p]
NU = 3 * len(ports)
rc, out, err, dir_uc = sstools.record(env, [sstest.PYTHON, MORE, "udp-send"] +
                                      [str(p) for p in (port_lo, port_any, port_6)],
                                      "udp-clients", timeout=60)
t.is_(rc, 0, "UDP: the clients' recording exits 0") or t.diag(err)
lines = out.split("\n")
ucpid = int(lines[0].split()[1]) if lines[0].startswith("pid ") else -1
clients = [(w[0], int(w[1]), int(w[2])) for w in (l.split() for l in lines[1:]) if len(w) == 3]
# What the server saw: each peer's address (an IPv4 one as itself, as
# its own socket names it), by the bytes it received.
seen = [l.split() for l in finish(udp, "UDP: the server's recording").split("\n") if l]
seen = {int(x[1]): re.sub(r"^\[::ffff:([0-9.]+)\]", r"\1", x[0]) for x in seen if len(x) == 4}
t.is_([c[0] for c in clients], ["bound", "connected", "unbound"] * len(ports),
      "UDP: %d clients, bound, connected and unbound, to each server socket%s"
      % (NU, "" if port_6 else " (no IPv6 here: no [::] socket)"))
rep = sstools.report_json([dir_us, dir_uc])
t.is_(sstools.schema_problems(rep), [], "UDP: the report keeps its schema")
uf = [f for f in rep.get("flows", []) if f.get("proto") == "udp"]
by = {f.get("bytes_to_server"): f for f in uf}
mine = [by.get(c[1], {}) for c in clients]
t.is_(len(uf), NU, "UDP: %d flows, one per client" % NU)
t.is_([(f.get("bytes_to_server"), f.get("bytes_to_client"), f.get("agree")) for f in mine],
      [(c[1], c[2], True) for c in clients],
      "UDP: each client's flow has its exact bytes each way, both ends agreeing")
t.is_([(end(f, "client", "pid"), end(f, "server", "pid")) for f in mine], [(ucpid, uspid)] * NU,
      "UDP: client pid %d, server pid %d on every flow" % (ucpid, uspid))
t.is_([end(f, "server", "endpoint") for f in mine],
      ["127.0.0.1:%d" % port_lo] * 3 + ["0.0.0.0:%d" % port_any] * 3 +
      ["[::]:%d" % port_6] * (3 if port_6 else 0),
      "UDP: the server's end as it was bound, 127.0.0.1 or a wildcard")
t.is_([end(f, "client", "endpoint") for f in mine], [seen.get(c[1], "?") for c in clients],
      "UDP: the client's end at the address the server saw (unbound ones too)")
t.is_(len({(end(f, "server", "sock")) for f in mine}), len(ports),
      "UDP: each of the server's sockets, three flows each")
alone = [f for f in sstools.report_json(dir_uc).get("flows", []) if f.get("proto") == "udp"]
t.is_(sorted((f.get("bytes_to_server"), f.get("server"), f.get("peer_endpoint"), f.get("agree"))
             for f in alone),
      sorted((c[1], None, "127.0.0.1:%d" % ports[i // 3], None) for i, c in enumerate(clients)),
      "UDP: the clients alone: a flow each without a server, naming the address it sent to")
rc, text, err = sstools.report([dir_us, dir_uc])
t.is_(len([l for l in text.split("\n") if l.startswith("udp ")]), NU,
      "UDP: the text FLOWS table has a udp line per client")

# ---- UDP: a server with many clients, each a flow of its own ----
NM = 40
echo, dir_es, w = sstools.record_bg(
    env, [sstest.PYTHON, MORE, "udp-echo", os.path.join(env.tmp, "echo"), str(NM)], "udp-echo",
    os.path.join(env.tmp, "echo"))
espid, eport = int(w[0]), int(w[1])
rc, out, err, dir_ec = sstools.record(env, [sstest.PYTHON, MORE, "udp-many", str(eport), str(NM)],
                                      "udp-many", timeout=60)
t.is_(rc, 0, "UDP, many clients: the clients' recording exits 0") or t.diag(err)
finish(echo, "UDP, many clients: the server's recording")
ecpid = int(out.split()[1]) if out.startswith("pid ") else -1
rep = sstools.report_json([dir_es, dir_ec])
mf = [f for f in rep.get("flows", []) if f.get("proto") == "udp"]
t.is_(sorted((f.get("bytes_to_server"), f.get("bytes_to_client"), f.get("agree"),
              end(f, "client", "pid"), end(f, "server", "pid")) for f in mf),
      [(100 + i, 2 * (100 + i), True, ecpid, espid) for i in range(NM)],
      "UDP, many clients: %d flows, each client paired with the server, its exact bytes" % NM)
srow = [c for c in rep.get("connections", []) if c.get("pid") == espid and c.get("role") == "datagram"]
t.is_([len(c.get("peers", [])) for c in srow], [NM],
      "UDP, many clients: the server's row lists its %d peers" % NM)
rc, text, err = sstools.report([dir_es, dir_ec])
t.ok("(%d more)" % (NM - 16) in text,
     "UDP, many clients: the text lists 16 peers, then the %d more summed" % (NM - 16))

# One client port reused by one client after another: time decides, as
# for TCP; each its own flow with its own bytes.
NR = 5
echo, dir_rs, w = sstools.record_bg(
    env, [sstest.PYTHON, MORE, "udp-echo", os.path.join(env.tmp, "echo2"), str(NR)],
    "udp-echo2", os.path.join(env.tmp, "echo2"))
own = sstest.free_port(kind=socket.SOCK_DGRAM)
rc, out, err, dir_rc = sstools.record(env, [sstest.PYTHON, MORE, "udp-many", w[1], str(NR),
                                            str(own)], "udp-reused", timeout=60)
t.is_(rc, 0, "UDP, a port reused: the clients' recording exits 0") or t.diag(err)
finish(echo, "UDP, a port reused: the server's recording")
rf = [f for f in sstools.report_json([dir_rs, dir_rc]).get("flows", []) if f.get("proto") == "udp"]
rf.sort(key=lambda f: f.get("start_ns") or 0)
t.is_([(f.get("bytes_to_server"), f.get("bytes_to_client"), f.get("agree"),
        end(f, "client", "endpoint")) for f in rf],
      [(100 + i, 2 * (100 + i), True, "127.0.0.1:%d" % own) for i in range(NR)],
      "UDP, a port reused: %d flows from 127.0.0.1:%d in turn, each its own bytes" % (NR, own))
t.ok(all(a.get("start_ns", 0) + a.get("duration_ns", 0) < b.get("start_ns", 0)
         for a, b in zip(rf, rf[1:])), "UDP, a port reused: one flow after the other")

# ---- unix stream: clients the bytes cannot tell apart ----
KU = 4
usrv, dir_xs, w = sstools.record_bg(
    env, [sstest.PYTHON, MORE, "unix-serve", os.path.join(env.tmp, "upid"),
          os.path.join(env.tmp, "u.sock"), str(KU)], "unix-server", os.path.join(env.tmp, "upid"))
xspid = int(w[0])
rc, out, err, dir_xc = sstools.record(env, [sstest.PYTHON, MORE, "unix-send",
                                            os.path.join(env.tmp, "u.sock"), str(KU)],
                                      "unix-clients", timeout=60)
t.is_(rc, 0, "unix: the clients' recording exits 0") or t.diag(err)
kids = [(int(w[1]), int(w[2]), int(w[3])) for w in (l.split() for l in out.split("\n"))
        if len(w) == 4 and w[0] == "child"]
t.is_(sorted(k[1:] for k in kids), [(1000, 3000)] * KU,
      "unix: %d client processes, each sent 1000 bytes and got 3000" % KU)
order = [int(x) for x in finish(usrv, "unix: the server's recording").split()]
t.is_(sorted(order), sorted(k[0] for k in kids), "unix: the server read each client's pid")
rep = sstools.report_json([dir_xs, dir_xc])
start = {(c.get("pid"), c.get("sock")): c.get("start_ns") for c in rep.get("connections", [])}
xf = [f for f in rep.get("flows", []) if f.get("proto") == "unix"]
t.is_(sorted((f.get("bytes_to_server"), f.get("bytes_to_client"), f.get("agree"),
              end(f, "server", "pid")) for f in xf), [(1000, 3000, True, xspid)] * KU,
      "unix: %d flows, each paired with the server, the same bytes each" % KU)
t.is_(sorted((c.get("pid"), c.get("role"), c.get("peer_pid")) for c in rep.get("connections", [])
             if c.get("family") == "AF_UNIX" and c.get("role") in ("client", "server")),
      sorted([(k[0], "client", xspid) for k in kids] + [(xspid, "server", k[0]) for k in kids]),
      "unix: each connection row has its peer's pid, the server's and the client's")
# The server's ends in the order it accepted them, and the client each had.
xf.sort(key=lambda f: start.get((end(f, "server", "pid"), end(f, "server", "sock"))) or 0)
t.is_([end(f, "client", "pid") for f in xf], order,
      "unix: each accepted connection paired with the process that connected it")

# ---- a forking server: who talked, not only who opened ----
KF = 3
fsrv, dir_fs, w = sstools.record_bg(
    env, [sstest.PYTHON, MORE, "fork-serve", os.path.join(env.tmp, "fport"), str(KF)],
    "fork-server", os.path.join(env.tmp, "fport"))
fspid, fport = int(w[0]), int(w[1])
rc, out, err, dir_fc = sstools.record(env, [sstest.PYTHON, MORE, "fork-send", str(fport), str(KF)],
                                      "fork-clients", timeout=60)
t.is_(rc, 0, "fork: the clients' recording exits 0") or t.diag(err)
fcpid = int(out.split()[1]) if out.startswith("pid ") else -1
words = [l.split() for l in finish(fsrv, "fork: the server's recording").split("\n") if l]
worker = [(int(x[1]), int(x[2])) for x in words if x[0] == "worker"]
served = [int(x[1]) for x in words if x[0] == "child"]
rep = sstools.report_json([dir_fs, dir_fc])
t.is_(sstools.schema_problems(rep), [], "fork: the report keeps its schema")
ff = sorted((f for f in rep.get("flows", []) if f.get("proto") == "tcp"),
            key=lambda f: f.get("start_ns") or 0)
t.is_([(end(f, "client", "pid"), end(f, "server", "pid"), end(f, "server", "opener"),
        f.get("bytes_to_server"), f.get("bytes_to_client"), f.get("agree")) for f in ff],
      [(fcpid, c, fspid, 100, 200, True) for c in served],
      "fork: each TCP flow's server end is the child that served it (opened by the parent %d)"
      % fspid)
rows = sorted((c for c in rep.get("connections", []) if c.get("pid") == fspid and
               c.get("role") == "server"), key=lambda c: c.get("start_ns") or 0)
t.is_([(c.get("talker"), c.get("pids")) for c in rows], [(k, [fspid, k]) for k in served],
      "fork: each accepted row is the parent's, held by its child, its talker the child")
ch = [f for f in rep.get("flows", []) if f.get("proto") == "unix"]
t.is_([(sorted((end(f, "client", "pid"), end(f, "server", "pid"))),
        f.get("bytes_to_server", 0) + f.get("bytes_to_client", 0), f.get("agree"),
        {end(f, "client", "opener"), end(f, "server", "opener")}) for f in ch],
      [(sorted((fspid, worker[0][0] if worker else -1)), 32 * KF, True, {fspid})],
      "fork: the channel's flow is between the parent and the worker that read it, "
      "both ends opened by the parent")
t.done()
