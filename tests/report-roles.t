#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Roles and addresses told honestly: only a socket that listened is a
# listener; an unused socket, a bound one, a failed bind (with the address
# it asked for and its errno), netlink, raw and packet sockets are named
# for what they are.  A listener bound to port 0, or listening unbound,
# shows the port the kernel gave it; a client bound to 0.0.0.0 before
# connect() shows the address the kernel chose; accept, getsockname and
# recvfrom with buffers too short for the address still record all of it.
# A listener inherited across exec stays a listener, on its one row.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

ROWS = os.path.join(sstest.BUILD, "tests", "ss-rows")
t = sstest.Tap()
env = sstest.Env("roles")
env.need_sessiond()

rc, out, err, trace = sstools.record(env, [ROWS, "roles"], "roles")
t.is_(rc, 0, "ss-rows roles runs")
said = {l.split()[0]: l.split()[1] for l in out.splitlines() if len(l.split()) == 2}
rep = sstools.report_json(trace)
conns = rep["connections"]
t.is_(sstools.schema_problems(rep), [], "the report keeps its schema")
tcp = [c for c in conns if c["family"] == "AF_INET" and c["type"] == "SOCK_STREAM"]
by = lambda role: sorted(c["local"] for c in tcp if c["role"] == role)

t.is_(by("listener"), sorted([said["listener"], said["unbound"], said["wild"]]),
      "three listeners, at the ports the kernel gave (bound to port 0, listening unbound)")
t.is_(by("bound"), [said["bound"]], "a socket only bound is 'bound', at its port")
failed = [c for c in tcp if c.get("error") == "EADDRINUSE"]
t.is_([(c["role"], c["local"]) for c in failed], [("unused", said["taken"])],
      "a failed bind: not bound, the address it asked for, EADDRINUSE")
t.is_(len([c for c in tcp if c["role"] == "unused" and not c["local"]]), 1,
      "a socket never used is 'unused'")
cli = [c for c in tcp if c["role"] == "client"]
t.is_(sorted(c["local"] for c in cli), sorted([said["client"], said["wildclient"]]),
      "a client bound to 0.0.0.0:0 shows the address the kernel chose at connect")
srv = {c["remote"]: c["local"] for c in tcp if c["role"] == "server"}
t.ok(said["client"] in srv, "accept with a short address buffer: the whole peer")
t.is_(srv.get(said["wildclient"]), "127.0.0.1:" + said["wild"].split(":")[1],
      "accepted by a listener on 0.0.0.0: the address the client reached")
t.ok(all("truncated" not in c["local"] + c["remote"] for c in conns),
     "getsockname with a short buffer leaves the listener's address whole")
udp = [c for c in conns if c["type"] == "SOCK_DGRAM" and c["family"] == "AF_INET"]
recv = [c for c in udp if c["rx_bytes"] == 10]
t.is_([(c["remote"], [p["addr"] for p in c.get("peers", [])]) for c in recv],
      [(said["udp"], [said["udp"]])],
      "recvfrom with a short buffer on a connected socket: the whole peer")
t.is_(sorted(c["role"] for c in conns if c["family"] == "AF_NETLINK"), ["netlink"],
      "a netlink socket is 'netlink'")
t.is_(sorted(c["role"] for c in conns if c["type"] == "SOCK_RAW" and c["family"] == "AF_INET"),
      ["raw"] if "raw" in out.split() else [], "a raw socket is 'raw' (when one could be made)")
t.is_(sorted(c["role"] for c in conns if c["family"] == "AF_PACKET"),
      ["packet"] if "packet" in out.split() else [], "a packet socket is 'packet' (when allowed)")
rc, txt, err = sstools.report(trace)
t.ok(" bound " in txt and " unused " in txt, "text: the same names")

# A listener that lives through exec, seen again only by the new image:
# still a listener (SO_ACCEPTCONN), on its one row; the close-on-exec
# socket ends at exec.
rc, out, err, trace = sstools.record(env, [ROWS, "inherit"], "inherit")
t.is_(rc, 0, "ss-rows inherit runs")
rep = sstools.report_json(trace)
t.is_(sorted((c["role"], c["local"]) for c in rep["connections"]),
      [("listener", out.split()[1]), ("unused", "")],
      "the inherited listener: one row, a listener; the close-on-exec socket: unused")
t.done()
