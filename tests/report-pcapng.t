#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# `report --format pcapng`: a real exchange recorded (TCP over 127.0.0.1
# and ::1, the server a child process, several sends each way, one larger
# than a packet holds; UDP over 127.0.0.1), its packets read by tshark:
# nothing malformed and no TCP analysis warning, one conversation per
# connection, the payload bytes each way what the programs sent, each
# packet's comment naming its process and call.  With both ends in the
# trace the bytes are in the capture once; with the server alone (--pid)
# its receives stand for the client's sends, as many bytes.  The format
# refuses a terminal.
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PROG = os.path.join(sstest.TOP, "tests", "prog", "pcap-exchange.py")
t = sstest.Tap()
env = sstest.Env("pcapng")
env.need_sessiond()
sstools.need_tshark(t)
tshark = sstools.tshark


def pcapng(trace, name, opts=()):
    f = os.path.join(env.tmp, name)
    rc, out, err = sstools.report(trace, ["--format", "pcapng", "-o", f] + list(opts))
    t.is_(rc, 0, "%s: report --format pcapng exits 0" % name) or t.diag(err)
    return f


def payload(f):
    """{(proto, src endpoint, dst endpoint): payload bytes} over the capture."""
    got = {}
    for line in tshark(f, "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "ipv6.src",
                       "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.srcport", "-e",
                       "tcp.dstport", "-e", "tcp.len", "-e", "udp.srcport", "-e",
                       "udp.dstport", "-e", "udp.length").splitlines():
        s4, s6, d4, d6, ts, td, tl, us, ud, ul = line.split(",")
        v6 = bool(s6)
        ep = lambda a, p: "[%s]:%s" % (a, p) if v6 else "%s:%s" % (a, p)
        if ts:
            k, n = ("tcp", ep(s6 or s4, ts), ep(d6 or d4, td)), int(tl)
        else:
            k, n = ("udp", ep(s6 or s4, us), ep(d6 or d4, ud)), int(ul) - 8
        got[k] = got.get(k, 0) + n
    return got


def clean(f, what):
    t.is_(tshark(f, "-Y", "_ws.malformed"), "", "%s: no malformed packet" % what)
    t.is_(tshark(f, "-Y", "tcp.analysis.flags && !tcp.analysis.window_update"), "",
          "%s: no TCP analysis warning" % what)
    expert = tshark(f, "-q", "-z", "expert,warn")
    t.ok("Warns" not in expert and "Errors" not in expert, "%s: no expert warning" % what) or \
        t.diag(expert)


rc, out, err, trace = sstools.record(env, [sstest.PYTHON, PROG], "exchange")
t.is_(rc, 0, "the exchange runs recorded") or t.diag(err)
lines = [l.split() for l in out.splitlines()]
servers = [int(w[1]) for w in lines if w[0] == "server"]
ex = [(w[0], w[1], w[2], int(w[3]), int(w[4])) for w in lines if w[0] in ("tcp", "udp")]
t.is_([(e[0], e[1].startswith("["), e[3], e[4]) for e in ex],
      [("tcp", False, 71005, 4300), ("tcp", True, 71005, 4300), ("udp", False, 1307, 107)],
      "TCP over IPv4 and IPv6 and UDP, the bytes each way as sent")

# ---- both ends ----
f = pcapng(trace, "both.pcapng")
clean(f, "both ends")
want = {}
for proto, c, s, up, down in ex:
    want[(proto, c, s)] = up
    want[(proto, s, c)] = down
t.is_(payload(f), want, "the payload each way is what each side sent, once")
conv = tshark(f, "-q", "-z", "conv,tcp")
t.is_(sorted(" ".join(l.split()[:3]) for l in conv.splitlines() if "<->" in l),
      sorted("%s <-> %s" % (e[1].replace("[", "").replace("]", ""),
                            e[2].replace("[", "").replace("]", "")) for e in ex if e[0] == "tcp"),
      "one TCP conversation per connection")
flags = tshark(f, "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "tcp.flags.str")
per = {}
for l in flags.splitlines():
    s, fl = l.split("\t")
    per.setdefault(s, []).append(fl.replace("\u00b7", "."))
t.is_(sorted(sum(1 for x in v if "S" in x) for v in per.values()), [2, 2],
      "each connection has one handshake (SYN and SYN-ACK), though both ends were recorded")
t.is_(sorted(sum(1 for x in v if x.endswith("F")) for v in per.values()), [2, 2],
      "each connection ends with a FIN each way")
comments = tshark(f, "-T", "fields", "-e", "frame.comment").splitlines()
t.ok(comments and all(c.startswith("pid ") and "comm python3" in c and "()" in c
                      for c in comments), "every packet has a comment with pid, comm and call")
t.ok(any("pid %d " % servers[0] in c and "recv()" in c for c in comments),
     "the server's receives are named in the comments of its ACKs")
caplens = tshark(f, "-T", "fields", "-e", "frame.cap_len", "-e", "frame.len").splitlines()
t.ok(all(int(a) <= 68 and int(a) <= int(b) for a, b in (l.split() for l in caplens)),
     "headers captured, payloads counted in the length only")

# ---- the server alone ----
f = pcapng(trace, "server.pcapng", ["--pid", ",".join(map(str, servers))])
clean(f, "server alone")
t.is_(payload(f), {k: v for k, v in want.items() if k[0] == "tcp"},
      "the server alone: the client's segments from its receives, as many bytes")

# ---- a terminal ----
p = subprocess.run(["script", "-qec", "%s report --format pcapng %s" % (sstools.SOCKSCOPE, trace),
                    "/dev/null"], capture_output=True, text=True, timeout=60)
t.ok(p.returncode != 0 and "not for a terminal" in p.stdout, "pcapng refuses a terminal")
t.done()
