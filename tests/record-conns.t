#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# `sockscope record` then `report --format json` on a program that makes
# exactly K TCP connections on 127.0.0.1 and moves exactly N bytes each
# way on each: every count, byte total, role and address is checked
# exactly, and the JSON has the shape DESIGN.md promises.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

K, N = 3, 1000
t = sstest.Tap()
env = sstest.Env("conns")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [sstools.NET, "conns", str(K), str(N)], "t")
t.is_(rc, 0, "record exits with the command's status 0")
t.ok("trace written to %s" % trace in err, "record says where the trace is")
port = sstools.ports(out)[0]
rep = sstools.report_json(trace)
t.is_(sstools.schema_problems(rep), [], "the JSON has every promised key and type")

want = {"socket": K + 1, "bind": 1, "listen": 1, "getsockname": 1, "connect": K, "accept": K,
        "send": 2 * K, "recv": 2 * K, "close": 2 * K + 1}
t.is_(sstools.calls(rep), want, "calls per syscall")
t.is_(rep["events"], sum(want.values()), "events: one per call")
t.is_((rep["lost_events"], [s["name"] for s in rep["syscalls"] if s["errors"]]), (0, []),
      "no event lost, no call failed")
t.is_(rep["errors"], [], "no errors listed")
t.ok(all(s["p50_ns"] <= s["p99_ns"] <= s["max_ns"] <= s["total_ns"] for s in rep["syscalls"]),
     "p50 <= p99 <= max <= total for every syscall")

conns = rep["connections"]
ep = "127.0.0.1:%d" % port
by_role = {}
for c in conns:
    by_role.setdefault(c["role"], []).append(c)
t.is_({r: len(v) for r, v in by_role.items()}, {"client": K, "server": K, "listener": 1},
      "K clients, K servers, one listener")
t.is_({(c["remote"], c["tx_bytes"], c["rx_bytes"], c["family"], c["type"])
       for c in by_role.get("client", [])}, {(ep, N, N, "AF_INET", "SOCK_STREAM")},
      "clients: remote %s, %d bytes each way, AF_INET stream" % (ep, N))
t.is_({(c["local"], c["tx_bytes"], c["rx_bytes"]) for c in by_role.get("server", [])},
      {(ep, N, N)}, "servers: local %s, %d bytes each way" % (ep, N))
t.ok(all(c["remote"].startswith("127.0.0.1:") and c["remote"] != ep
         for c in by_role.get("server", [])), "servers: the clients' ephemeral ports as remote")
t.is_(sorted(c["local"] for c in by_role.get("client", [])),
      sorted(c["remote"] for c in by_role.get("server", [])),
      "clients: their local endpoints (from connect) are the servers' remotes")
t.is_([(c["local"], c["tx_bytes"] + c["rx_bytes"]) for c in by_role.get("listener", [])],
      [(ep, 0)], "listener: bound to %s, no data" % ep)
pid = {c["pid"] for c in conns}
t.is_(len(pid), 1, "one process")
t.is_({c["comm"] for c in conns}, {"ss-net"}, "comm from the procname context")
t.is_(len({(c["pid"], c["sock"]) for c in conns}), len(conns), "(pid, sock) names one row each")
t.ok(all(c["duration_ns"] >= 0 and c["start_ns"] > 0 for c in conns), "start and duration set")
t.is_(rep["traces"][0]["exit_status"], 0, "the trace notes the exit status")

rc, txt, err = sstools.report(trace)
t.is_(rc, 0, "text report exits 0")
t.ok("% time" in txt and "syscall" in txt and " total" in txt, "text: strace -c like summary")
t.ok("PID" in txt and "REMOTE" in txt and
     sum(r[2:3] == ["client"] for r in sstools.text_rows(txt)) == K, "text: tcplife like table")
t.ok("distribution" in txt, "text: latency histograms")
t.done()
