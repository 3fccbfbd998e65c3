#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Latency per connection, against what the programs measure themselves:
# curl's own connect time and time to first byte from an HTTP server that
# waits a known delay; N request/response turns with a server that thinks
# a known time each; a refused non-blocking connect, and one that times
# out against an address a network namespace drops.
import os
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import accept
import sstest
import sstools

PEERS = os.path.join(sstest.TOP, "tests", "prog", "latency-peers.py")
DELAY = 0.3
t = sstest.Tap()
env = sstest.Env("latency")
env.need_sessiond()


def rows(rep, role):
    return [c for c in rep.get("connections", []) if c.get("role") == role]


# ---- curl and a slow HTTP server ----
trouble = "curl is not installed" if not shutil.which("curl") else \
    accept.sanitizer_trouble(["curl", "--version"])
if not trouble:
    pf = os.path.join(env.tmp, "http.port")
    srv, sdir, w = sstools.record_bg(env, [sstest.PYTHON, PEERS, "http", pf, str(DELAY)],
                                     "http", pf)
    port = int(w[1])
    rc, out, err, cdir = sstools.record(
        env, ["curl", "-s", "-o", "/dev/null", "-w",
              "%{time_namelookup} %{time_connect} %{time_starttransfer}",
              "http://127.0.0.1:%d/" % port], "curl")
    t.is_(rc, 0, "curl's recording exits 0") or t.diag(err)
    srv.communicate(timeout=60)
    lookup, conn, first = (float(w) for w in out.split())
    rep = sstools.report_json([sdir, cdir])
    t.is_(sstools.schema_problems(rep), [], "the report follows the schema")
    cli = [c for c in rows(rep, "client") if c.get("remote") == "127.0.0.1:%d" % port]
    t.is_(len(cli), 1, "curl's connection")
    c = cli[0] if cli else {}
    want = (conn - lookup) * 1e9
    t.ok(c.get("connect_ns") is not None and abs(c["connect_ns"] - want) < 1e6,
         "connect_ns %s within 1 ms of curl's time_connect - time_namelookup (%.0f ns), via %s"
         % (c.get("connect_ns"), want, c.get("connect_via")))
    t.ok(c.get("connect_via") in ("poll", "ppoll", "epoll_wait", "select", "getsockopt"),
         "curl learned it through %s" % c.get("connect_via"))
    ttfb = c.get("ttfb_ns")
    t.ok(ttfb is not None and DELAY * 1e9 <= ttfb < (DELAY + 0.5) * 1e9,
         "ttfb_ns %s: the server's delay plus a little (curl: %.0f ns)"
         % (ttfb, (first - conn) * 1e9))
    s = rows(rep, "server")
    t.ok(len(s) == 1 and s[0].get("ttfb_ns") is not None and s[0]["ttfb_ns"] >= DELAY * 1e9,
         "the server's first byte left after its delay: %s" % [x.get("ttfb_ns") for x in s])
    t.ok(len(s) == 1 and s[0]["exchanges"]["count"] == 1 and
         s[0]["exchanges"]["p50_ns"] >= DELAY * 1e9,
         "the server's one turn took its delay: %s" % [x.get("exchanges") for x in s])
else:
    t.ok(True, "# SKIP " + trouble)

# ---- N turns with a thinking server ----
N, THINK = 20, 0.02
pf = os.path.join(env.tmp, "think.port")
srv, sdir, w = sstools.record_bg(env, [sstest.PYTHON, PEERS, "think", pf, str(N), str(THINK)],
                                 "think", pf)
port = int(w[1])
rc, out, err, cdir = sstools.record(env, [sstest.PYTHON, PEERS, "ask", str(port), str(N)], "ask")
t.is_(rc, 0, "the asking client's recording exits 0") or t.diag(err)
srv.communicate(timeout=60)
rep = sstools.report_json([sdir, cdir])
c = [x for x in rows(rep, "client") if x.get("remote") == "127.0.0.1:%d" % port]
s = [x for x in rows(rep, "server") if x.get("local") == "127.0.0.1:%d" % port]
t.is_(([x["exchanges"]["count"] for x in c], [x["exchanges"]["count"] for x in s]), ([N], [N]),
      "%d turns on both ends" % N)
for side, x in (("client", c), ("server", s)):
    p50 = x[0]["exchanges"]["p50_ns"] if x else None
    t.ok(p50 is not None and THINK * 1e9 <= p50 < (THINK + 0.2) * 1e9,
         "the %s's p50 response time %s ns: the server's think time, %.0f ns, and a little"
         % (side, p50, THINK * 1e9))
svc = {(v["side"], v["endpoint"]): v for v in rep.get("services", [])}
v = svc.get(("server", "127.0.0.1:%d" % port), {})
t.ok(v.get("connections") == 1 and v.get("exchanges") == N and
     sum(b["count"] for b in v.get("histogram", [])) == N,
     "SERVICES: the server's endpoint, 1 connection, %d turns in its histogram" % N)
rc, txt, err = sstools.report([sdir, cdir])
t.ok("SERVICES" in txt and "LATENCY" in txt, "the text report has LATENCY and SERVICES")

# ---- a refused non-blocking connect ----
closed = sstest.free_port()
rc, out, err, d = sstools.record(env, [sstest.PYTHON, PEERS, "nbconnect", "127.0.0.1",
                                       str(closed), "0"], "refused")
t.is_((rc, out.strip()), (0, "err ECONNREFUSED"), "the program saw ECONNREFUSED")
rep = sstools.report_json(d)
c = [x for x in rows(rep, "client") if x.get("remote") == "127.0.0.1:%d" % closed]
t.ok(len(c) == 1 and c[0].get("error") == "ECONNREFUSED" and c[0].get("connect_ns") is not None
     and c[0].get("connect_via") is not None,
     "refused: its errno and the time to learn it (%s via %s)" %
     tuple(c[0].get(k) if c else None for k in ("connect_ns", "connect_via")))

# ---- one that times out: a SYN a network namespace drops ----
if os.geteuid() == 0 and shutil.which("ip"):
    ns = "ss-lat-%d" % os.getpid()
    env.on_cleanup(lambda: subprocess.run(["ip", "netns", "delete", ns], capture_output=True))
    # A veth pair: what leaves one end reaches the other, which has no
    # address; the peer's hardware address is pinned, so no ARP answers.
    for cmd in (["ip", "netns", "add", ns],
                ["ip", "-n", ns, "link", "add", "ss0", "type", "veth", "peer", "name", "ss1"],
                ["ip", "-n", ns, "addr", "add", "10.213.79.1/24", "dev", "ss0"],
                ["ip", "-n", ns, "link", "set", "ss0", "up"],
                ["ip", "-n", ns, "link", "set", "ss1", "up"],
                ["ip", "-n", ns, "neigh", "add", "10.213.79.2", "lladdr", "02:00:00:00:00:02",
                 "dev", "ss0", "nud", "permanent"]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            sstest.bail("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    argv = [sstest.PYTHON, PEERS, "nbconnect", "10.213.79.2", "80", "1"]
    out_dir = os.path.join(env.tmp, "traces", "timeout")
    p = subprocess.run(["ip", "netns", "exec", ns, sstools.SOCKSCOPE, "record", "-o", out_dir,
                        "--"] + argv, capture_output=True, text=True, timeout=120,
                       env=sstest.sanitizer_env(dict(os.environ), argv))
    t.is_((p.returncode, p.stdout.strip()), (0, "err ETIMEDOUT"),
          "the program saw ETIMEDOUT (one SYN retry)") or t.diag(p.stderr)
    rep = sstools.report_json(out_dir)
    c = [x for x in rows(rep, "client") if x.get("remote") == "10.213.79.2:80"]
    t.ok(len(c) == 1 and c[0].get("error") == "ETIMEDOUT" and
         (c[0].get("connect_ns") or 0) >= 2e9,
         "timed out: its errno, and the seconds it took (%s ns via %s)" %
         tuple(c[0].get(k) if c else None for k in ("connect_ns", "connect_via")))
else:
    t.ok(True, "# SKIP the timeout needs root and ip(8)")
t.done()
