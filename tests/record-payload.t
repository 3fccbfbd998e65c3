#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# record --payload: random bytes both ways over TCP (127.0.0.1 and ::1,
# client and server both recorded, one send larger than a payload event
# and than a packet) and over UDP; the pcapng of the trace gives back
# exactly the bytes each side sent (tshark's follow,tcp,raw per
# connection; each UDP datagram's payload), with nothing malformed and no
# TCP analysis warning.  --payload=N records at most N bytes of each call
# (the rest counted, not captured).  Without --payload no payload event is
# in the trace, and a SOCKSCOPE_PAYLOAD inherited from the caller is not
# obeyed.  Sub-buffers too small for a payload event are refused.
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PROG = os.path.join(sstest.TOP, "tests", "prog", "pcap-exchange.py")
t = sstest.Tap()
env = sstest.Env("payload")
env.need_sessiond()
sstools.need_tshark(t)
tshark = sstools.tshark


def as_data(lines):
    """tshark options that dissect the exchange's ports as plain data: its
    bytes are random, which a heuristic dissector (RTCP...) may take for a
    protocol of its own and call malformed."""
    opts = []
    for w in lines:
        if w[0] in ("tcp", "udp"):
            opts += ["-d", "%s.port==%s,data" % (w[0], w[2].rsplit(":", 1)[1])]
    return opts


def follow(f, stream, dec):
    """(node 0's endpoint, its bytes in hex, node 1's bytes in hex) of a TCP stream."""
    node0, sent = None, ["", ""]
    for line in tshark(f, *dec, "-q", "-z", "follow,tcp,raw,%d" % stream).splitlines():
        if line.startswith("Node 0: "):
            node0 = line[8:]
        elif node0 and line and not line.startswith(("=", "Node ")):
            sent[line.startswith("\t")] += line.strip()
    return node0, sent[0], sent[1]


def payload_events(trace):
    return [e for e in sstest.read_trace(trace)[0] if e["name"] == "sockscope:payload"]


def exchange(name, opts, extra_env=None):
    saved = dict(os.environ)
    os.environ.update(extra_env or {})
    try:
        rc, out, err, trace = sstools.record(env, [sstest.PYTHON, PROG, "--random"], name, opts)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    t.is_(rc, 0, "%s: the exchange runs recorded" % name) or t.diag(err)
    lines = [l.split() for l in out.splitlines()]
    return trace, lines


# ---- every byte ----
trace, lines = exchange("all", ["--payload"])
tcp = [w for w in lines if w[0] == "tcp"]
data = [w[2] for w in lines if w[0] == "data"]
f = os.path.join(env.tmp, "all.pcapng")
rc, _, err = sstools.report(trace, ["--format", "pcapng", "-o", f])
t.is_(rc, 0, "report --format pcapng over the payloads") or t.diag(err)
dec = as_data(lines)
t.is_(tshark(f, *dec, "-Y", "_ws.malformed || (tcp.analysis.flags && !tcp.analysis.window_update)"),
      "", "nothing malformed, no TCP analysis warning")
streams = {}
for s in range(2):
    node0, a, b = follow(f, s, dec)
    streams[node0] = (a, b)
want = {tcp[0][1]: (data[0], data[1]), tcp[1][1].replace("[", "").replace("]", ""): (data[2], data[3])}
got = {k.replace("[", "").replace("]", ""): v for k, v in streams.items()}
for k in sorted(want):
    t.ok(got.get(k, ("", ""))[0] == want[k][0],
         "TCP %s: follow,tcp,raw gives back the client's %d bytes exactly" % (k, len(want[k][0]) // 2))
    t.ok(got.get(k, ("", ""))[1] == want[k][1],
         "TCP %s: and the server's %d bytes exactly" % (k, len(want[k][1]) // 2))
udp = tshark(f, *dec, "-Y", "udp", "-T", "fields", "-e", "udp.payload").split()
t.is_(udp, data[4:], "UDP: each datagram's payload is what was sent, both ways")
evs = payload_events(trace)
t.ok(evs and max(e["_data_length"] for e in evs) == 4096,
     "a send of 70000 bytes is split into payload events of 4096 bytes")

# ---- at most N per call ----
trace, lines = exchange("n", ["--payload=100"])
evs = payload_events(trace)
t.ok(evs and all(e["offset"] + e["_data_length"] <= 100 for e in evs),
     "--payload=100: no byte past the 100th of a call")
f = os.path.join(env.tmp, "n.pcapng")
rc, _, err = sstools.report(trace, ["--format", "pcapng", "-o", f])
dec = as_data(lines)
t.is_(tshark(f, *dec, "-Y", "_ws.malformed || (tcp.analysis.flags && !tcp.analysis.window_update)"),
      "", "--payload=100: the capture is still clean")
tcpdata = [w[2] for w in lines if w[0] == "data"][0]
node0, a, b = follow(f, 0, dec)
t.is_(a[:200], tcpdata[:200], "--payload=100: the first 100 bytes of the first send are there")

# ---- off ----
trace, lines = exchange("off", [], {"SOCKSCOPE_PAYLOAD": "all"})
t.is_(len(payload_events(trace)), 0,
      "without --payload: no payload event (an inherited SOCKSCOPE_PAYLOAD is ignored)")
# ---- sub-buffers too small for a payload event ----
rc, out, err, _ = sstools.record(env, ["true"], "small", ["--payload", "-b", "64K",
                                                         "--subbuffers", "8"])
t.ok(rc == 2 and "16K" in err, "--payload with 8 KiB sub-buffers is refused (status 2)") or \
    t.diag(err)
t.done()
