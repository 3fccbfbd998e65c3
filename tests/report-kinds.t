#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The report on each kind of socket use, and its filters: non-blocking
# connects (EINPROGRESS, then refused), UDP with several peers, unix
# stream sockets, a name lookup; filters by pid, process name, address
# and port select exactly the expected calls.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("kinds")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [sstools.NET, "nonblock"], "nonblock")
rep = sstools.report_json(trace)
clients = sorted((c["error"] or "") for c in rep["connections"] if c["role"] == "client")
t.is_((rc, clients), (0, ["", "ECONNREFUSED"]),
      "non-blocking connects: one connected, one refused (from SO_ERROR)")
t.is_({(e["call"], e["err"], e["count"]) for e in rep["errors"]}, {("connect", "EINPROGRESS", 2)},
      "errors: connect EINPROGRESS x2")
t.is_(sstools.calls(rep)["getsockopt"], 2, "two SO_ERROR reads")

N = 100
rc, out, err, trace = sstools.record(env, [sstools.NET, "udp", str(N)], "udp")
peers = ["127.0.0.1:%d" % p for p in sstools.ports(out)]
rep = sstools.report_json(trace)
dg = [c for c in rep["connections"] if c["role"] == "datagram"]
t.is_(len(dg), 4, "four datagram sockets")
multi = [c for c in dg if len(c.get("peers", [])) == 3]
t.is_(sorted((p["addr"], p["tx_bytes"], p["rx_bytes"]) for p in multi[0]["peers"]) if multi else None,
      sorted((p, N, N) for p in peers), "the sender lists its 3 peers with %d bytes each way" % N)
t.is_(sorted((c["local"], c["tx_bytes"], c["rx_bytes"]) for c in dg if c not in multi),
      sorted((p, N, N) for p in peers), "each peer: bound address, %d bytes each way" % N)

path = os.path.join(env.tmp, "s.sock")
rc, out, err, trace = sstools.record(env, [sstools.NET, "unix", env.tmp, "64"], "unix")
rep = sstools.report_json(trace)
t.is_(sorted((c["role"], c["family"], c["local"] if c["role"] != "client" else c["remote"],
              c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]),
      [("client", "AF_UNIX", path, 64, 0), ("listener", "AF_UNIX", path, 0, 0),
       ("server", "AF_UNIX", path, 0, 64)], "unix stream: listener, client and server at the path")

rc, out, err, trace = sstools.record(env, [sstools.NET, "dns"], "dns")
rep = sstools.report_json(trace)
d = rep["dns"]
t.is_([(x["call"], x["query"]) for x in d], [("getaddrinfo", "localhost 50007")],
      "one lookup, with its query")
t.ok(d and d[0]["result"].startswith("127.0.0.1:50007") and d[0]["dur_ns"] > 0,
     "its answer and latency")
rc, txt, err = sstools.report(trace)
t.ok("LOOKUP" in txt and "localhost 50007" in txt, "text: the lookup table")

# Filters, on a trace of two programs run by a shell.
rc, out, err, trace = sstools.record(
    env, ["sh", "-c", "%s conns 2 100; %s fork" % (sstools.NET, sstools.CALLS)], "mixed")
port = sstools.ports(out)[0]
full = sstools.report_json(trace)
procs = {p["comm"]: p["pid"] for p in full["processes"]}
net = sstools.report_json(trace, ["--comm", "ss-n*"])
t.is_({p["comm"] for p in net["processes"]}, {"ss-net"}, "--comm: only ss-net")
t.is_(sstools.calls(net)["connect"], 2, "--comm: its calls")
bypid = sstools.report_json(trace, ["--pid", str(procs["ss-net"])])
t.is_(sstools.calls(bypid), sstools.calls(net), "--pid selects the same")
byport = sstools.report_json(trace, ["--port", str(port)])
t.is_(sstools.calls(byport), {"socket": 3, "bind": 1, "listen": 1, "getsockname": 1, "connect": 2,
                              "accept": 2, "send": 4, "recv": 4, "close": 5},
      "--port: exactly the calls on its sockets, socket() included")
t.is_(len(byport["connections"]), 5, "--port: its 5 connections")
byaddr = sstools.report_json(trace, ["--addr", "127.0.0.1"])
t.is_(sstools.calls(byaddr), sstools.calls(byport), "--addr 127.0.0.1: the same")
none = sstools.report_json(trace, ["--addr", "10.9.9.9"])
t.is_((none["connections"], none["syscalls"]), ([], []), "--addr elsewhere: nothing")
t.done()
