#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Servers nobody here wrote, bare and under `sockscope record`: redis-server
# driven by redis-cli and redis-benchmark, and nginx (a master and two
# forked workers) fetched with curl.  Every program ends with the same
# status and output both ways; the report shows each client connection
# with its exact bytes (from the protocol, or as curl counts them), and
# the servers' side of them adds up to the same.
import os
import shutil
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import accept
import sstest
from accept import both, conns, io, same

missing = [p for p in ("redis-server", "redis-cli", "redis-benchmark", "nginx", "curl")
           if not shutil.which(p) and not os.path.exists("/usr/sbin/" + p)]
if missing:
    print("1..0 # SKIP not installed (make deps): " + " ".join(missing))
    sys.exit(0)
t = sstest.Tap()
env = sstest.Env("accept-servers")
env.need_sessiond()
LO = "127.0.0.1:%d"


def resp(*words):
    """A command in the redis protocol, as redis-cli sends it."""
    return b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in words)


# ---- redis ----
REQUESTS = 200


def redis(run):
    port = accept.free_port()
    run.start("redis-server", ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", run.dir,
                               "--unixsocket", "", "--logfile", ""], ready=("tcp", port))
    run.run("redis-cli-set", ["redis-cli", "-p", str(port), "SET", "sockscope", "accepted"])
    run.run("redis-cli-get", ["redis-cli", "-p", str(port), "GET", "sockscope"])
    run.run("redis-benchmark", ["redis-benchmark", "-p", str(port), "-n", str(REQUESTS), "-c",
                                "2", "-t", "set,get", "--csv"])
    run.stop("redis-server")
    return port


bare, rec, port = both(env, "redis", redis)
for name in ("redis-server", "redis-cli-set", "redis-cli-get", "redis-benchmark"):
    same(t, bare, rec, name, accept.digits)
t.is_((rec.results["redis-cli-set"].out, rec.results["redis-cli-get"].out), ("OK\n", "accepted\n"),
      "redis-cli: SET then GET")
srv = rec.report("redis-server")
cset, cget = rec.report("redis-cli-set"), rec.report("redis-cli-get")
for rep, cmd, answer in ((cset, resp(b"SET", b"sockscope", b"accepted"), b"+OK\r\n"),
                         (cget, resp(b"GET", b"sockscope"), b"$8\r\naccepted\r\n")):
    t.is_([(c["remote"], c["tx_bytes"], c["rx_bytes"]) for c in conns(rep, role="client")],
          [(LO % port, len(cmd), len(answer))],
          "redis-cli %s: one connection, %d bytes of command out, %d of answer in" %
          (cmd.split(b"\r\n")[2].decode(), len(cmd), len(answer)))
bench = rec.report("redis-benchmark")
bc = conns(bench, role="client")
t.ok(len(bc) >= 2 and all(c["remote"] == LO % port for c in bc),
     "redis-benchmark: its %d connections all go to %s" % (len(bc), LO % port))
t.ok(io(bc)[0] >= REQUESTS * 2 * len(resp(b"GET", b"key:__rand_int__")),
     "redis-benchmark: at least %d requests' bytes sent" % (2 * REQUESTS))
sc = conns(srv, role="server", local=LO % port)
clients = bc + conns(cset, role="client") + conns(cget, role="client")
t.is_(len(sc), len(clients), "redis-server accepted as many connections (%d) as the clients made" %
      len(clients))
tx, rx = io(clients)
t.is_(io(sc), (rx, tx), "redis-server sent what the clients received, received what they sent")
t.is_([c["local"] for c in conns(srv, role="listener")], [LO % port], "redis-server: one listener")


# ---- nginx, master and two workers, and curl ----
CONF = """daemon off;
master_process on;
worker_processes 2;
user root;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {d}/www;
    }}
}}
"""
FILES = {"index.html": b"<p>sockscope</p>\n", "big.bin": accept.pattern(50000, 3)}
CURL_W = "%{stderr}%{http_code} %{size_header} %{size_download} %{size_request}\n"


def nginx(run):
    port = accept.free_port()
    os.mkdir(os.path.join(run.dir, "www"))
    for name, data in FILES.items():
        with open(os.path.join(run.dir, "www", name), "wb") as f:
            f.write(data)
    conf = os.path.join(run.dir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(CONF.format(d=run.dir, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    run.start("nginx", [nginx, "-p", run.dir, "-c", conf, "-e", os.path.join(run.dir, "error.log")],
              ready=("tcp", port))
    for name in FILES:
        run.run("curl-" + name, ["curl", "-sS", "-w", CURL_W, "http://127.0.0.1:%d/%s" % (port, name)])
    run.stop("nginx")
    return port


trouble = accept.sanitizer_trouble(["curl", "--version"])
if trouble:
    t.ok(True, "# SKIP nginx with curl: " + trouble)
    t.done()
bare, rec, port = both(env, "nginx", nginx)
same(t, bare, rec, "nginx")
for name, data in FILES.items():
    same(t, bare, rec, "curl-" + name, accept.digits)
    t.ok(rec.results["curl-" + name].out == data.decode(), "curl got %s whole" % name)
master = rec.pid("nginx")
srv = rec.report("nginx")
workers = {p["pid"] for p in srv["processes"] if p["ppid"] == master}
t.is_(len(workers), 2, "nginx: two workers forked by the master (pid %d)" % master)
t.is_([(c["pid"], c["local"]) for c in conns(srv, role="listener")], [(master, LO % port)],
      "nginx: the master's listener on %s" % (LO % port))
clients = []
for name in FILES:
    code, header, body, request = (int(x) for x in rec.results["curl-" + name].err.split())
    cc = conns(rec.report("curl-" + name), role="client")
    t.is_([(c["remote"], c["tx_bytes"], c["rx_bytes"]) for c in cc],
          [(LO % port, request, header + body)],
          "curl %s: %d bytes of request out, %d of headers and body in, as curl counts" %
          (name, request, header + body))
    clients += cc
sc = conns(srv, role="server", local=LO % port)
t.is_(len(sc), len(FILES), "nginx accepted one connection per curl")
t.ok(sc and {c["pid"] for c in sc} <= workers, "nginx: the workers accepted them")
tx, rx = io(clients)
t.is_(io(sc), (rx, tx), "nginx sent what curl received, received what curl sent")
t.done()
