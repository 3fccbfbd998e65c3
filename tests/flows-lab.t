#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Flows across hosts, in a lab of two hosts on this machine (tests/lib/
# lab.py: network namespaces joined by a veth pair, each host with its own
# UTS name, /run/lttng and /dev/shm): `sockscope relay` runs on alpha; a
# TCP server is recorded on alpha and its client on beta, both with
# --relay to alpha's address, each recording starting and stopping a
# session daemon of its own host's.  The relay's output then holds one
# directory per host, named after the hosts, and the report over it pairs
# every connection: client end on beta's side, server end on alpha's,
# both pids, the exact bytes each way.  Everything is torn down at the
# end: no namespace, daemon or mount is left.
import os
import re
import shutil
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import lab as lablib
import sstest
import sstools

lablib.Lab.skip_unless_possible()
PEERS = os.path.join(sstest.TOP, "tests", "prog", "flow-peers.py")
PY = sstest.PYTHON
K = 3
t = sstest.Tap()
env = sstest.Env("lab")
lab = lablib.Lab(env.tmp, ("alpha", "beta"))
A, B = lab.addr("alpha"), lab.addr("beta")

# ---- the hosts ----
names = [lab.run(h, ["hostname"]).stdout.strip() for h in ("alpha", "beta")]
t.is_(names, ["alpha", "beta"], "each host has its own name")
p = lab.run("beta", [PY, "-c", "import socket; socket.create_connection((%r, 9), 5)" % A])
t.ok("ConnectionRefusedError" in p.stderr, "beta reaches alpha at %s (port 9 refuses)" % A) or \
    t.diag(p.stderr)
relay = lab.relay("alpha")
t.ok(relay.at == "%s:5342" % A, "sockscope relay listens on alpha, %s" % relay.at)

# ---- the server on alpha, its client on beta, both streamed to the relay ----
portfile = os.path.join(env.tmp, "port")
argv = [PY, PEERS, "serve", portfile, "-", str(K), A]
server = lab.popen("alpha", lab.record_argv(relay, "alpha", argv, ["-v"]))
env.procs.append(server)
for _ in range(300):
    if os.path.exists(portfile) or server.poll() is not None:
        break
    time.sleep(0.1)
if not os.path.exists(portfile):
    server.kill()
    sstest.bail("the server did not start: %s" % server.communicate()[1].strip())
spid, port = (int(w) for w in open(portfile).read().split())
argv = [PY, PEERS, "connect", str(port), "-", str(K), A]
cl = lab.run("beta", lab.record_argv(relay, "beta", argv, ["-v"]), timeout=120)
t.is_(cl.returncode, 0, "the client's recording on beta exits 0") or t.diag(cl.stderr)
try:
    serr = server.communicate(timeout=60)[1]
except subprocess.TimeoutExpired:
    serr = "(still running after 60 s)"
t.is_(server.returncode, 0, "the server's recording on alpha exits 0") or t.diag(serr)
lines = cl.stdout.split("\n")
cpid = int(lines[0].split()[1]) if lines[0].startswith("pid ") else -1
conns = [(w[0], int(w[1]), int(w[2]), w[3]) for w in (l.split() for l in lines[1:]) if len(w) == 4]
sizes = [1000 * (i + 1) + i for i in range(K)]
t.is_([c[:3] for c in conns], [("tcp", n, 2 * n) for n in sizes],
      "the client sent %d, %d, %d bytes and got twice that back" % tuple(sizes))
t.ok(all(c[3].startswith(B + ":") for c in conns), "the client's end is on beta, %s" % B)

# ---- each recording had a session daemon of its own host ----
daemons = {}
for h, err in (("alpha", serr), ("beta", cl.stderr)):
    m = re.search(r"stopped the session daemon \(pid (\d+)\)", err)
    daemons[h] = int(m.group(1)) if m else None
    t.ok("daemon started by sockscope" in err and m,
         "record on %s started a session daemon of its own and stopped it" % h) or t.diag(err)
t.ok(None not in daemons.values() and daemons["alpha"] != daemons["beta"],
     "two daemons (pids %s)" % sorted(daemons.values()))
left = {h: [p for p in lab.pids(h) if p != lab.holders[h].pid and p != relay.proc.pid and
            p != relay.relayd_pid] for h in ("alpha", "beta")}
t.is_(left, {"alpha": [], "beta": []}, "nothing of the recordings is left running on the hosts")

# ---- the relay's output ----
remote = {h: lab.remote(h) or "?" for h in ("alpha", "beta")}
t.is_(sorted(os.listdir(lab.relay_dir)), ["alpha", "beta"],
      "the relay's output has one directory per host, named after it")
t.ok(all(os.path.dirname(remote[h]) == os.path.join(lab.relay_dir, h) and
         os.path.isfile(os.path.join(remote[h], "ust", "uid", "0", "64-bit", "metadata"))
         for h in ("alpha", "beta")),
     "each holds the trace its recording's notes name (%s)" %
     ", ".join(os.path.relpath(r, lab.relay_dir) for r in remote.values()))

rep = sstools.report_json(lab.relay_dir)
t.is_(sstools.schema_problems(rep), [], "report over the relay's output: the promised shape")
flows = [f for f in rep.get("flows", []) if f.get("proto") == "tcp"]


def end(f, side, key):
    return (f.get(side) or {}).get(key)


by = {f.get("bytes_to_server"): f for f in flows}
mine = [by.get(n, {}) for n in sizes]
t.is_(len(flows), K, "%d TCP flows" % K)
t.is_([(f.get("bytes_to_server"), f.get("bytes_to_client")) for f in mine],
      [(n, 2 * n) for n in sizes], "each flow has the bytes each way the client counted")
t.is_([(end(f, "client", "pid"), end(f, "server", "pid")) for f in mine], [(cpid, spid)] * K,
      "each flow pairs client pid %d (beta) with server pid %d (alpha)" % (cpid, spid))
t.is_([(end(f, "client", "endpoint"), end(f, "server", "endpoint")) for f in mine],
      [(c[3], "%s:%d" % (A, port)) for c in conns], "client endpoints on %s, server %s:%d"
      % (B, A, port))
t.is_([f.get("agree") for f in mine], [True] * K, "sent and received agree on every flow")
t.is_([h.get("name") for h in rep.get("hosts", [])], ["alpha", "beta"],
      "two hosts, alpha (the reference, read first) and beta")
t.is_(sorted({(end(f, "client", "host"), end(f, "server", "host")) for f in mine}),
      [("beta", "alpha")], "every client end on beta, every server end on alpha")


def clocks(rep, tree, what):
    """The bounds on beta's clock hold the truth: what beta's traces read
    ahead of alpha's (one machine: the difference of their origins)."""
    h = {x.get("name"): x for x in rep.get("hosts", [])}.get("beta", {})
    lo, mid, hi = h.get("offset_min_ns"), h.get("offset_ns"), h.get("offset_max_ns")
    truth = sstools.clock_offset(os.path.join(tree, "beta")) - \
        sstools.clock_offset(os.path.join(tree, "alpha"))
    t.ok(None not in (lo, mid, hi) and lo <= mid <= hi and lo <= truth <= hi,
         "%s: beta's offset %s within [%s, %s], which holds the truth %d" %
         (what, mid, lo, hi, truth))


clocks(rep, lab.relay_dir, "as recorded")
rc, text, err = sstools.report(lab.relay_dir)
t.ok(rc == 0 and "FLOWS" in text and "HOSTS" in text,
     "the text report over it has its FLOWS and HOSTS")

# ---- skew: beta as another machine, its clock 3.2 s later ----
SKEW = 3214567891
skewed = os.path.join(env.tmp, "skewed")
shutil.copytree(lab.relay_dir, skewed)
t.ok(sstools.move_host(os.path.join(skewed, "beta"), "beta", SKEW) > 0,
     "beta's copy moved %d ns, with another clock UUID" % SKEW)
rep = sstools.report_json(skewed)
flows = [f for f in rep.get("flows", []) if f.get("proto") == "tcp"]
t.is_(sorted((end(f, "client", "pid"), end(f, "server", "pid"), f.get("agree")) for f in flows),
      [(cpid, spid, True)] * K, "the flows still pair across the skew")
clocks(rep, skewed, "skewed")
starts = {c["sock"]: c["start_ns"] for c in rep.get("connections", [])
          if c.get("host") == "alpha" and c.get("role") == "server"}
off = [abs(f["start_ns"] - starts.get(end(f, "server", "sock"), 0)) for f in flows]
t.ok(off and max(off) < SKEW / 10, "the flows' times are on alpha's clock (%s ns from the "
     "accept at most)" % (max(off) if off else None))

# ---- teardown ----
t.is_(relay.stop(), 0, "the relay stops on SIGTERM with status 0")
holders = [p.pid for p in lab.holders.values()]
namespaces, veth = list(lab.namespaces), list(lab.veth)
lab.close()
listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
t.ok(not any(ns in listed for ns in namespaces), "the namespaces are deleted")
t.ok(all(sstools.process_state(p) in (None, "Z") for p in holders + list(daemons.values())),
     "the hosts' holders and daemons are gone")
t.ok(veth and not any(os.path.exists("/sys/class/net/" + v) for v in veth), "no veth is left")
t.done()
