#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Clocks of two hosts: a TCP server and its client talk over an address
# of a network namespace the test makes (not loopback, which never
# leaves a host), each recorded on its own; then the client's recording
# is made to look like another machine's: another host name, another
# clock UUID and a clock origin moved by a known amount.  The report over
# both must still pair every TCP flow across the hosts, estimate the
# client host's offset within the bounds it gives, with the truth inside
# them, and put the flows on the reference host's clock; the unix flows,
# which cannot cross hosts, stay one-ended.  The client host also sends to
# a UDP echo server of the first, one socket per client: those pair across
# the hosts on the reference clock, and bound it by their own first
# datagrams (a server socket's first are its first client's only); alone,
# with no TCP between the hosts, they still give the clocks.
import os
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PEERS = os.path.join(sstest.TOP, "tests", "prog", "flow-peers.py")
MORE = os.path.join(sstest.TOP, "tests", "prog", "flow-more.py")
K = 4
NU = 8
ADDR = "10.213.77.1"
SKEW = 57123456789  # the client host's clock moved 57.1 s later
t = sstest.Tap()
if os.geteuid() != 0 or not shutil.which("ip"):
    t.skip_all("needs root and ip(8) for a network namespace")
env = sstest.Env("clocks")
env.need_sessiond()

ns = "ss-clocks-%d" % os.getpid()
setup = [["ip", "netns", "add", ns],
         ["ip", "-n", ns, "link", "set", "lo", "up"],
         ["ip", "-n", ns, "addr", "add", ADDR + "/32", "dev", "lo"]]


def drop_ns():
    subprocess.run(["ip", "netns", "delete", ns], capture_output=True)


env.on_cleanup(drop_ns)
for cmd in setup:
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sstest.bail("%s: %s" % (" ".join(cmd), r.stderr.strip()))

inns = ["ip", "netns", "exec", ns]

# ---- the server's recording, in the background ----
portfile = os.path.join(env.tmp, "port")
path = os.path.join(env.tmp, "flow.sock")
argv = [sstest.PYTHON, PEERS, "serve", portfile, path, str(K), ADDR]
server, dir_a, w = sstools.record_bg(env, argv, "server", portfile, inns)
spid, port = (int(x) for x in w[:2])

# ---- the UDP echo server's recording, in the background ----
uargv = [sstest.PYTHON, MORE, "udp-echo", os.path.join(env.tmp, "uport"), str(NU), ADDR]
userver, dir_u, w = sstools.record_bg(env, uargv, "udp-server", os.path.join(env.tmp, "uport"),
                                      inns)
uspid, uport = (int(x) for x in w[:2])

# ---- the client's recording: its TCP and unix peers, then UDP ----
cargv = ["sh", "-c", '"$@" && exec %s %s udp-many %d %d 0 %s' % (sstest.PYTHON, MORE, uport, NU,
                                                                 ADDR),
         "sh", sstest.PYTHON, PEERS, "connect", str(port), path, str(K), ADDR]
dir_b = os.path.join(env.tmp, "traces", "clients")
p = subprocess.run(inns + [sstools.SOCKSCOPE, "record", "-o", dir_b, "--"] + cargv,
                   capture_output=True, text=True, timeout=120,
                   env=sstest.sanitizer_env(dict(os.environ), cargv))
t.is_(p.returncode, 0, "the client's recording exits 0") or t.diag(p.stderr)
try:
    serr = server.communicate(timeout=60)[1]
except subprocess.TimeoutExpired:
    serr = "(still running after 60 s)"
t.is_(server.returncode, 0, "the server's recording exits 0") or t.diag(serr)
try:
    userver.communicate(timeout=60)
except subprocess.TimeoutExpired:
    pass
t.is_(userver.returncode, 0, "the UDP server's recording exits 0")
cpid = int(p.stdout.split()[1]) if p.stdout.startswith("pid ") else -1
upids = [int(l.split()[1]) for l in p.stdout.splitlines() if l.startswith("pid ")][1:]

# ---- the client's recording as another machine's ----
rep = sstools.report_json([dir_a, dir_b])
host = rep["hosts"][0]["name"] if rep.get("hosts") else "?"
t.is_(len(rep.get("hosts", [])), 1, "one host before the move (%s)" % host)
other = ("x" * len(host)) if host != "x" * len(host) else ("y" * len(host))
moved = os.path.join(env.tmp, "traces", "moved")
shutil.copytree(dir_b, moved)
t.ok(sstools.move_host(moved, other, SKEW) > 0, "the copy's metadata moved to host %s" % other)
# The truth: what the moved clock reads ahead of the server's (the two
# sessions took their origins a moment apart, and then SKEW).
truth = sstools.clock_offset(moved) - sstools.clock_offset(dir_a)

rep = sstools.report_json([dir_a, dir_u, moved])
t.is_(sstools.schema_problems(rep), [], "the report follows the schema")
hosts = {h["name"]: h for h in rep.get("hosts", [])}
t.is_(sorted(hosts), sorted([host, other]), "two hosts: %s and %s" % (host, other))
ref, h = hosts.get(host, {}), hosts.get(other, {})
t.is_((ref.get("offset_ns"), ref.get("offset_min_ns"), ref.get("offset_max_ns")), (0, 0, 0),
      "the first host is the reference")
lo, mid, hi = h.get("offset_min_ns"), h.get("offset_ns"), h.get("offset_max_ns")
t.ok(None not in (lo, mid, hi) and lo <= mid <= hi,
     "the estimate lies within its bounds: %s <= %s <= %s" % (lo, mid, hi))
t.ok(None not in (lo, hi) and lo <= truth <= hi,
     "the bounds hold the truth %d (%d moved; width %s ns)" %
     (truth, SKEW, None if None in (lo, hi) else hi - lo))
t.is_((h.get("flows"), h.get("outliers")), (K + NU, 0),
      "%d flows bound it, TCP and UDP, none disagreeing" % (K + NU))

flows = rep.get("flows", [])
tcp = [f for f in flows if f.get("proto") == "tcp"]
t.is_(len(tcp), K, "%d TCP flows" % K)
t.ok(all(f.get("client") and f.get("server") for f in tcp), "each with both ends, across hosts")
t.is_(sorted((f["client"]["host"], f["client"]["pid"], f["server"]["host"], f["server"]["pid"])
             for f in tcp if f.get("client") and f.get("server")),
      [(other, cpid, host, spid)] * K, "client %s/%d, server %s/%d" % (other, cpid, host, spid))
t.is_(sorted((f["bytes_to_server"], f["bytes_to_client"], f["agree"]) for f in tcp),
      [(1000 * (i + 1) + i, 2 * (1000 * (i + 1) + i), True) for i in range(K)],
      "exact bytes each way, both ends agreeing")
udp = [f for f in flows if f.get("proto") == "udp"]
t.is_(sorted((f["client"]["host"], f["client"]["pid"], f["server"]["host"], f["server"]["pid"],
              f["bytes_to_server"], f["bytes_to_client"], f["agree"])
             for f in udp if f.get("client") and f.get("server")),
      [(other, upids[0] if upids else -1, host, uspid, 100 + i, 2 * (100 + i), True)
       for i in range(NU)],
      "UDP: %d flows across the hosts, each client with the server, exact bytes" % NU)
unix = [f for f in flows if f.get("proto") == "unix"]
t.is_(sorted((f.get("client") is None, f.get("server") is None) for f in unix),
      sorted([(False, True)] * K + [(True, False)] * K),
      "the unix ends stay apart: a unix socket never crosses hosts")
# On the reference clock, a flow starts when its server accepted, give or
# take the estimate's width; on the moved clock it would be 57 s off.
starts = {c["sock"]: c["start_ns"] for c in rep.get("connections", [])
          if c.get("host") == host and c.get("role") == "server"}
off = [abs(f["start_ns"] - starts.get(f["server"]["sock"], 0)) for f in tcp if f.get("server")]
t.ok(off and max(off) < 1000000000, "the flows' times are on %s's clock (%s ns from the "
     "accept at most)" % (host, max(off) if off else None))

# UDP alone between the hosts: the UDP server's recording and the moved
# one, whose TCP and unix ends find no peer there.
urep = sstools.report_json([dir_u, moved])
uh = {h["name"]: h for h in urep.get("hosts", [])}.get(other, {})
ulo, uhi = uh.get("offset_min_ns"), uh.get("offset_max_ns")
t.ok(None not in (ulo, uhi) and ulo <= truth <= uhi and uh.get("outliers") == 0,
     "UDP alone: the flows bound the clocks, the truth inside (%s, %s)" % (ulo, uhi))
t.is_(len([f for f in urep.get("flows", []) if f.get("proto") == "udp" and f.get("client")
           and f.get("server") and f.get("agree")]), NU,
      "UDP alone: the %d UDP flows pair across the hosts" % NU)

rc, out, err = sstools.report([dir_a, dir_u, moved])
t.ok(rc == 0 and "HOSTS" in out and ("%s/%d" % (other, cpid)) in out,
     "the text report names each end's host and shows the hosts' clocks") or t.diag(out + err)
t.done()
