#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The C echo examples as scripts use them: --help, one-line errors and exit
# statuses, --port 0 announcing the port, --clients N, SIGTERM, the load
# mode's summary with concurrent clients, IPv6, and talking to the seed's
# Python pair.  No tracing here (see lib-trace.t); every process started is
# stopped by pid.
import os
import signal
import socket
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("libecho")
EX = os.path.join(sstest.BUILD, "examples")
SERVER, CLIENT = os.path.join(EX, "echo-server"), os.path.join(EX, "echo-client")
PY = os.path.join(sstest.TOP, "examples")


def run(argv):
    return env.run(argv, preload=False)[:3]


def start_server(*args):
    """An echo-server on a free port: (process, port)."""
    p = env.spawn([SERVER, "--port", "0"] + list(args), preload=False,
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = p.stdout.readline().decode()
    if not line.startswith("listening on "):
        sstest.bail("echo-server did not announce its port: %r" % line)
    return p, int(line.rsplit(":", 1)[1])


free_port = sstest.free_port


for prog in (SERVER, CLIENT):
    name = os.path.basename(prog)
    rc, out, err = run([prog, "--help"])
    t.ok(rc == 0 and out.startswith("Usage: %s" % name) and "Examples:" in out and not err,
         "%s --help: usage and examples on stdout, exit 0" % name)
    rc, out, err = run([prog, "--port", "abc"])
    t.is_((rc, err), (2, "%s: --port: expected a number from %d to 65535, got 'abc'\n"
                      "Try '%s --help'.\n" % (name, 0 if prog == SERVER else 1, name)),
          "%s: a bad number is one line and exit 2" % name)
    rc, out, err = run([prog, "--bogus"])
    t.ok(rc == 2 and "Try '%s --help'." % name in err, "%s: unknown option exits 2" % name)
    rc, out, err = run([prog, "extra"])
    t.is_((rc, err.splitlines()[0] if err else ""), (2, "%s: unexpected argument 'extra'" % name),
          "%s: an operand is refused" % name)

port = free_port()
rc, out, err = run([CLIENT, "--port", str(port)])
t.is_((rc, err), (1, "echo-client: connect 127.0.0.1:%d: Connection refused\n" % port),
      "echo-client: nobody listening is one line and exit 1")
rc, out, err = run([CLIENT, "--host", "no.such.host.invalid"])
t.is_((rc, err), (1, "echo-client: connect no.such.host.invalid:50007: host not found\n"),
      "echo-client: unknown host")
rc, out, err = run([CLIENT, "--port", str(port), "--count", "1"])
t.ok(rc == 1 and "client 0: connect 127.0.0.1:%d: Connection refused" % port in err
     and "errors=1" in out, "echo-client load mode: a failed client is counted, exit 1")

busy = socket.socket()
busy.bind(("127.0.0.1", 0))
busy.listen(1)
rc, out, err = run([SERVER, "--host", "127.0.0.1", "--port", str(busy.getsockname()[1])])
t.is_((rc, err), (1, "echo-server: bind 127.0.0.1:%d: Address already in use\n"
                  % busy.getsockname()[1]), "echo-server: port in use is one line and exit 1")
busy.close()

# The seed's exchange, then a load of concurrent clients on one server.
srv, port = start_server("--clients", "5")
rc, out, err = run([CLIENT, "--port", str(port)])
t.is_((rc, out), (0, "Received 'Hello, world'\n"), "echo-client: the seed's hello")
rc, out, err = run([CLIENT, "--port", str(port), "--message", "sockscope"])
t.is_(out, "Received 'sockscope'\n", "echo-client --message")
rc, out, err = run([CLIENT, "--port", str(port), "--count", "50", "--size", "70000",
                    "--concurrency", "3"])
fields = dict(kv.split("=", 1) for kv in out.split())
t.ok(rc == 0 and fields.get("clients") == "3" and fields.get("messages") == "150" and
     fields.get("bytes") == str(150 * 70000) and fields.get("errors") == "0",
     "load mode: 3 clients x 50 messages of 70000 bytes, every byte checked")
t.ok(all(k in fields for k in ("seconds", "rate", "p50_us", "p99_us")),
     "load mode: summary has time, rate and round-trip percentiles")
sout, serr = (x.decode() for x in srv.communicate(timeout=60))
t.is_(srv.returncode, 0, "echo-server --clients 5 exits 0 after five clients")
t.is_(sout.count("connected by 127.0.0.1:"), 5, "echo-server: one 'connected by' per client")
t.ok(sout.rstrip().endswith("served 5 clients, %d bytes echoed, 0 failed"
                            % (12 + 9 + 150 * 70000)), "echo-server: summary of bytes echoed")

# A message larger than both sides' socket buffers must not deadlock.
srv, port = start_server("--clients", "1", "--bufsize", "65536")
rc, out, err = run([CLIENT, "--port", str(port), "--count", "2", "--size", str(32 << 20)])
t.ok(rc == 0 and "errors=0" in out, "load mode: 32 MiB messages echoed whole")
srv.communicate(timeout=60)

srv, port = start_server("--host", "::1", "--clients", "1")
rc, out, err = run([CLIENT, "--host", "::1", "--port", str(port), "--count", "3"])
t.ok(rc == 0 and "errors=0" in out, "IPv6: server on ::1, load client to [::1]")
srv.communicate(timeout=60)

# Until signalled: SIGTERM stops a server that has no client count.
srv, port = start_server()
srv.send_signal(signal.SIGTERM)
sout = srv.communicate(timeout=60)[0].decode()
t.ok(srv.returncode == 0 and "served 0 clients" in sout, "echo-server: SIGTERM ends it, exit 0")

# The C and Python ports of the seed talk to each other.
port = free_port()
pysrv = env.spawn([sstest.PYTHON, os.path.join(PY, "echo-server.py"), str(port), "127.0.0.1"],
                  preload=False, stdout=subprocess.PIPE)
pysrv.stdout.readline()
rc, out, err = run([CLIENT, "--port", str(port)])
pysrv.communicate(timeout=60)
t.is_((rc, out), (0, "Received 'Hello, world'\n"), "C client with the Python server")
srv, port = start_server("--clients", "1")
rc, out, err = run([sstest.PYTHON, os.path.join(PY, "echo-client.py"), str(port)])
srv.communicate(timeout=60)
t.is_(out, "Received b'Hello, world'\n", "Python client with the C server")
t.done()
