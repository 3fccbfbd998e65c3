#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Everyday clients nobody here wrote, bare and under `sockscope record`:
# curl against Python's http.server (over IPv4 and over IPv6 loopback),
# OpenBSD nc in both roles, and getent asking the name service for hosts
# and services.  Every program ends with the same status and output both
# ways; the report shows the connections with their exact byte counts and
# the lookups with their queries and answers.
import os
import shutil
import socket
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import accept
import sstest
from accept import PYTHON, both, conns, io, same

missing = [p for p in ("curl", "nc", "getent") if not shutil.which(p)]
if missing:
    print("1..0 # SKIP not installed (make deps): " + " ".join(missing))
    sys.exit(0)
# getent must not ask a DNS server: the name service reads these only.
names = accept.private_name_service("127.0.0.1 localhost\n127.0.0.1 sockscope-accept\n"
                                    "::1 localhost ip6-localhost\n")
t = sstest.Tap()
env = sstest.Env("accept-tools")
env.need_sessiond()
CURL_W = "%{stderr}%{http_code} %{size_header} %{size_download} %{size_request}\n"
BODY = accept.pattern(20000, 5)


def ipv6_loopback():
    try:
        accept.free_port(socket.AF_INET6)
        return True
    except OSError:
        return False


# ---- curl and http.server, over 127.0.0.1 and ::1 ----
def curl_http(family):
    host, ep = ("127.0.0.1", "127.0.0.1:%d") if family == "AF_INET" else ("::1", "[::1]:%d")

    def scenario(run):
        www = os.path.join(run.dir, "www")
        os.mkdir(www)
        with open(os.path.join(www, "f.txt"), "wb") as f:
            f.write(BODY)
        port = accept.free_port(socket.AF_INET if family == "AF_INET" else socket.AF_INET6)
        run.start("http.server", [PYTHON, "-m", "http.server", str(port), "--bind", host,
                                  "--directory", www],
                  ready=("tcp" if family == "AF_INET" else "tcp6", port))
        run.run("curl", ["curl", "-sS", "-g", "-w", CURL_W, "http://%s/f.txt" % (ep % port)])
        run.stop("http.server")
        return ep % port
    return scenario


trouble = accept.sanitizer_trouble(["curl", "--version"])
for family in ("AF_INET", "AF_INET6"):
    if trouble or (family == "AF_INET6" and not ipv6_loopback()):
        t.ok(True, "# SKIP curl over %s: %s" % (family, trouble or "no IPv6 loopback"))
        continue
    bare, rec, ep = both(env, "curl-" + family, curl_http(family))
    same(t, bare, rec, "http.server", accept.digits)
    same(t, bare, rec, "curl", accept.digits)
    t.ok(rec.results["curl"].out == BODY.decode(), "%s: curl got the whole file" % family)
    code, header, body, request = (int(x) for x in rec.results["curl"].err.split())
    cli = conns(rec.report("curl"), role="client")
    t.is_([(c["family"], c["remote"], c["tx_bytes"], c["rx_bytes"]) for c in cli],
          [(family, ep, request, header + body)],
          "%s: curl's connection to %s: %d bytes out, %d in, as curl counts" %
          (family, ep, request, header + body))
    srv = conns(rec.report("http.server"), role="server")
    t.is_([(c["family"], c["local"], c["rx_bytes"], c["tx_bytes"]) for c in srv],
          [(family, ep, request, header + body)], "%s: http.server's end of it" % family)


# ---- nc, listening and connecting ----
NC = accept.pattern(30000, 9)


def nc(run):
    port = accept.free_port()
    run.start("nc-listen", ["nc", "-l", "127.0.0.1", str(port)], ready=("tcp", port))
    run.run("nc-connect", ["nc", "-N", "127.0.0.1", str(port)], input=NC)
    run.wait("nc-listen")
    return port


bare, rec, port = both(env, "nc", nc)
same(t, bare, rec, "nc-listen")
same(t, bare, rec, "nc-connect")
t.ok(rec.results["nc-listen"].out == NC.decode(), "nc -l printed the %d bytes sent" % len(NC))
ep = "127.0.0.1:%d" % port
t.is_([(c["remote"], c["tx_bytes"], c["rx_bytes"])
       for c in conns(rec.report("nc-connect"), role="client")], [(ep, len(NC), 0)],
      "nc: a connection to %s, %d bytes out" % (ep, len(NC)))
t.is_([(c["local"], c["rx_bytes"], c["tx_bytes"])
       for c in conns(rec.report("nc-listen"), role="server")], [(ep, len(NC), 0)],
      "nc -l: accepted on %s, %d bytes in" % (ep, len(NC)))


# ---- getent: the name service, from files only ----
QUERIES = {"hosts": ["hosts", "localhost"], "hosts4": ["hosts", "sockscope-accept"],
           "ahosts": ["ahosts", "sockscope-accept"], "addr": ["hosts", "127.0.0.1"],
           "addr6": ["hosts", "::1"], "missing": ["hosts", "no-such-host.invalid"],
           "missing-addr": ["hosts", "fe80::5"], "services": ["services", "http"],
           "missing-service": ["services", "no-such-service"], "port": ["services", "443/tcp"]}
WANT = {"hosts": ("gethostbyname2", "localhost AF_INET6", "::1"),
        "hosts4": ("gethostbyname2", "sockscope-accept AF_INET", "127.0.0.1"),
        "ahosts": ("getaddrinfo", "sockscope-accept", "127.0.0.1:0"),
        "addr": ("gethostbyaddr", "127.0.0.1", "localhost"),
        "addr6": ("gethostbyaddr", "::1", "localhost"),
        "missing": ("gethostbyname2", "no-such-host.invalid AF_INET", "HOST_NOT_FOUND"),
        "missing-addr": ("gethostbyaddr", "fe80::5", "HOST_NOT_FOUND"),
        "services": ("getservbyname", "http/*", "80"),
        "port": ("getservbyport", "443/tcp", "https")}


def getent(run):
    for name, argv in QUERIES.items():
        run.run(name, ["getent"] + argv)


if not names:
    for i in range(2 * len(QUERIES) + len(WANT) + 1):
        t.ok(True, "# SKIP no private mount namespace to keep the name service on files")
    t.done()
bare, rec, _ = both(env, "getent", getent)
for name in QUERIES:
    same(t, bare, rec, name)
t.is_([rec.results[n].rc for n in ("missing", "missing-addr", "missing-service")], [2, 2, 2],
      "getent: what is not found is status 2, recorded or not")
for name, (call, query, answer) in WANT.items():
    got = [(d["call"], d["query"], d["result"].split(" ")[0]) for d in rec.report(name)["dns"]]
    t.ok((call, query, answer) in got, "getent %s: %s of %s answered %s" %
         (" ".join(QUERIES[name]), call, query, answer))
    if (call, query, answer) not in got:
        t.diag(got)
t.done()
