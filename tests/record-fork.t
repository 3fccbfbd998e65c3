#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Sockets shared across processes: a forked child that sends on its
# parent's accepted socket after the parent closed its copy, a child that
# execs (or is made by posix_spawn) and writes to an inherited socket, and
# a dup'ed socket: each
# counts on the one connection of the process that opened it.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

N = 500
t = sstest.Tap()
env = sstest.Env("fork")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [sstools.NET, "forkconn", str(N)], "forkconn")
t.is_(rc, 0, "forkconn runs")
child = int(out.split("child ")[1].split()[0])
rep = sstools.report_json(trace)
conns = rep["connections"]
parent = {c["pid"] for c in conns}
t.is_(len(parent), 1, "every connection belongs to the parent, none to the child")
t.ok(child not in parent, "the child %d has no row of its own" % child)
roles = sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in conns)
t.is_(roles, [("client", 0, N), ("listener", 0, 0), ("server", N, 0)],
      "the child's %d bytes count on the parent's server connection" % N)
procs = {p["pid"]: p["ppid"] for p in rep["processes"]}
t.is_(procs.get(child), min(parent), "the child is known as the parent's (fork event)")
t.is_(sstools.calls(rep).get("fork"), 1, "one fork call")

rc, out, err, trace = sstools.record(env, [sstools.CALLS, "exec"], "exec")
t.is_(rc, 0, "exec scenario runs")
rep = sstools.report_json(trace)
conns = rep["connections"]
t.is_({c["pid"] for c in conns}, {min(p["pid"] for p in rep["processes"])},
      "after exec, the inherited socket still counts on the parent's connection")
t.is_(sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in conns),
      [("pair", 0, 9), ("pair", 9, 0)], "the exec'd child's 9 bytes on the parent's pair")

rc, out, err, trace = sstools.record(env, [sstools.CALLS, "spawn"], "spawn")
t.is_(rc, 0, "posix_spawn scenario runs")
child = int(out.split("child ")[1].split()[0])
rep = sstools.report_json(trace)
conns = rep["connections"]
t.is_({c["pid"] for c in conns}, {min(p["pid"] for p in rep["processes"])},
      "after posix_spawn, the inherited socket still counts on the parent's connection")
t.is_(sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in conns),
      [("pair", 0, 9), ("pair", 9, 0)], "the spawned child's 9 bytes on the parent's pair")
procs = {p["pid"]: p["ppid"] for p in rep["processes"]}
t.is_(procs.get(child), min(procs), "the child is known as the parent's (posix_spawn event)")
t.is_(sstools.calls(rep).get("posix_spawn"), 1, "one posix_spawn call")

rc, out, err, trace = sstools.record(env, [sstools.NET, "dup", "300"], "dup")
conns = sstools.report_json(trace)["connections"]
t.is_(sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in conns),
      [("client", 300, 0), ("listener", 0, 0), ("server", 0, 300)],
      "bytes sent on a dup survive closing the original")
t.done()
