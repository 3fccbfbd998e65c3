#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# record --relay and sockscope relay on loopback: a relay started by the
# test on free ports, a recording streamed to it, the trace found in the
# relay's output as HOSTNAME/NAME-TAG/ust/... (the directory the local
# sockscope.info names) and read by report with every call, connection
# and flow; the command's exit status passed on; the relay stopped by its
# pid, passing the signal on to lttng-relayd and exiting with its status;
# a second relay 3 ports up beside the first; the same over IPv6; a relay
# that ends during a recording is reported at its end; a killed sockscope
# relay takes its lttng-relayd along.  report
# over the local notes says where the trace is.  A relay that does not
# answer, and bad arguments, end record and relay with one line and
# status 2 before anything runs.
import os
import socket
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import lab
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("relay")
env.need_sessiond()
SS = sstools.SOCKSCOPE
K, N = 3, 1000


def record(argv, name, opts):
    """record --relay ...: (rc, stdout, stderr, notes directory)."""
    notes = os.path.join(env.tmp, name)
    p = subprocess.run([SS, "record", "-o", notes] + opts + ["--"] + argv, capture_output=True,
                       text=True, timeout=120, env=sstest.sanitizer_env(dict(os.environ), argv))
    return p.returncode, p.stdout, p.stderr, notes


def info(notes):
    """sockscope.info as {key: value} (the first of each key)."""
    d = {}
    try:
        for line in open(os.path.join(notes, "sockscope.info")):
            k, _, v = line.rstrip("\n").partition(" ")
            d.setdefault(k, v)
    except OSError:
        pass
    return d


# ---- a relay on loopback ----
out = os.path.join(env.tmp, "relay-out")
port = lab.free_ports(6)  # and a second relay 3 ports up
relay = lab.Relay(out, "127.0.0.1:%d" % port)
t.ok(relay.listening(), "sockscope relay says it listens on 127.0.0.1:%d" % port) or \
    sstest.bail(relay.stderr())
t.ok("(data %d, live 127.0.0.1:%d)" % (port + 1, port + 2) in relay.line,
     "data port %d, live port %d" % (port + 1, port + 2)) or t.diag(relay.line)
p = subprocess.run([SS, "relay", "-o", os.path.join(env.tmp, "other"), "--listen",
                    "127.0.0.1:%d" % port], capture_output=True, text=True, timeout=60)
t.ok(p.returncode == 2 and p.stderr.count("\n") == 1 and "in use" in p.stderr,
     "a second relay on the same ports: one line, status 2") or t.diag(p.stderr)

# ---- a recording streamed to it ----
rc, sout, err, notes = record([sstools.NET, "conns", str(K), str(N)], "notes",
                              ["--relay", "127.0.0.1:%d" % port])
t.is_(rc, 0, "record --relay 127.0.0.1:%d exits 0" % port) or t.diag(err)
srv = sstools.ports(sout)
inf = info(notes)
host = socket.gethostname()
t.is_((inf.get("relay"), inf.get("remote", "").split("/")[0]), ("127.0.0.1:%d" % port, host),
      "sockscope.info names the relay and the directory on it, under host %s" % host)
remote = os.path.join(out, inf.get("remote", "?"))
t.ok(inf.get("remote", "").split("/")[1].startswith("notes-") and
     os.path.isfile(os.path.join(remote, "ust", "uid", str(os.getuid()), "64-bit", "metadata")),
     "the relay wrote %s/ust/uid/%d/64-bit/metadata" % (inf.get("remote"), os.getuid())) or \
    t.diag(err)
t.is_(sorted(os.listdir(out)), [host], "the relay's output holds one host directory")
t.ok("trace streamed to lttng-relayd at 127.0.0.1:%d" % port in err and inf.get("remote", "?") in err,
     "record says where the trace went") or t.diag(err)
t.is_(sorted(os.listdir(notes)), ["sockscope.info"], "the local directory keeps the notes only")
rc, _, rerr = sstools.report(notes)
t.ok(rc == 1 and rerr.count("\n") == 1 and "streamed to lttng-relayd at 127.0.0.1:%d" % port in rerr
     and inf.get("remote", "?") in rerr, "report over the notes says where the trace is") or \
    t.diag(rerr)

rep = sstools.report_json(out)
t.is_(sstools.schema_problems(rep), [], "report over the relay's output: the promised shape")
calls = sstools.calls(rep)
t.is_((calls.get("connect"), calls.get("accept"), calls.get("listen")), (K, K, 1),
      "report over the relay's output: %d connect, %d accept, 1 listen" % (K, K))
conns = [c for c in rep["connections"] if c["role"] in ("client", "server")]
t.is_(sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in conns),
      sorted([("client", N, N)] * K + [("server", N, N)] * K),
      "%d client and %d server ends, %d bytes each way" % (K, K, N))
flows = rep.get("flows", [])
t.is_(sorted((f.get("bytes_to_server"), f.get("bytes_to_client"), bool(f.get("client")),
              bool(f.get("server")), (f.get("server") or {}).get("endpoint")) for f in flows),
      [(N, N, True, True, "127.0.0.1:%d" % (srv[0] if srv else 0))] * K,
      "%d flows, both ends, %d bytes each way" % (K, N))
t.is_(sstools.report_json([remote])["events"], rep["events"],
      "the trace's own directory reads the same as the whole output")

# ---- the command's exit status, through a relay ----
rc, _, err, _ = record([sstools.NET, "exit", "3"], "exit3", ["-q", "--relay", "127.0.0.1:%d" % port])
t.is_((rc, err), (3, ""), "record --relay -q exits with the command's status (3), silently")

# ---- a second relay beside it, 3 ports up; IPv6 ----
out2 = os.path.join(env.tmp, "relay-out2")
relay2 = lab.Relay(out2, "127.0.0.1:%d" % (port + 3))
t.ok(relay2.listening() and relay.proc.poll() is None,
     "a second relay listens 3 ports up, beside the first") or t.diag(relay2.stderr())
relay2.stop()

# ---- a relay that ends during the recording ----
relay3 = lab.Relay(os.path.join(env.tmp, "relay-out3"), "127.0.0.1:%d" % (port + 3))
argv = [sstools.NET, "wait"]
rec = subprocess.Popen([SS, "record", "-o", os.path.join(env.tmp, "notes3"), "--relay",
                        "127.0.0.1:%d" % (port + 3), "--"] + argv, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True,
                       env=sstest.sanitizer_env(dict(os.environ), argv))
env.procs.append(rec)
ready = rec.stdout.readline()
relay3.stop()
rec.terminate()  # record passes SIGTERM on: ss-net exits 42
_, err = rec.communicate(timeout=120)
t.ok(ready == "ready\n" and rec.returncode == 42 and
     "lttng-relayd at 127.0.0.1:%d no longer answers" % (port + 3) in err,
     "a relay gone during the recording: record says so, exits with the command's 42") or \
    t.diag("%r %r %s" % (ready, rec.returncode, err))


def has_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


if has_ipv6_loopback():
    port6 = lab.free_ports(3, "::1")
    out6 = os.path.join(env.tmp, "relay-out6")
    relay6 = lab.Relay(out6, "[::1]:%d" % port6)
    rc, _, err, notes6 = record([sstools.NET, "conns", "1", "10"], "notes6",
                                ["--relay", "[::1]:%d" % port6])
    inf6 = info(notes6)
    t.ok(rc == 0 and inf6.get("relay") == "[::1]:%d" % port6 and
         sstools.calls(sstools.report_json(out6)).get("connect") == 1,
         "over IPv6: relay --listen [::1]:%d, record --relay [::1]:%d" % (port6, port6)) or \
        t.diag(err + relay6.line)
    relay6.stop()
else:
    t.ok(True, "# SKIP no IPv6 loopback")

# ---- the relay stopped by its pid ----
rc = relay.stop()
t.is_(rc, 0, "sockscope relay, sent SIGTERM, passes it on and exits with lttng-relayd's 0") or \
    t.diag(relay.stderr())
t.is_(sstools.process_state(relay.relayd_pid), None, "lttng-relayd (pid %d) is gone"
      % relay.relayd_pid)

# ---- sockscope relay killed: lttng-relayd gets SIGTERM; no lttng-relayd ----
relay4 = lab.Relay(os.path.join(env.tmp, "relay-out4"), "127.0.0.1:%d" % (port + 3))
os.kill(relay4.proc.pid, 9)
relay4.proc.wait()
for _ in range(600):  # a bound, not a timing: it ends as soon as the relay does
    if sstools.process_state(relay4.relayd_pid) in (None, "Z"):
        break
    time.sleep(0.05)
t.ok(relay4.listening() and sstools.process_state(relay4.relayd_pid) in (None, "Z"),
     "sockscope relay killed with SIGKILL: its lttng-relayd ends too")
p = subprocess.run([SS, "relay", "-o", os.path.join(env.tmp, "none"), "--listen",
                    "127.0.0.1:%d" % (port + 3)], capture_output=True, text=True, timeout=60,
                   env=dict(os.environ, SOCKSCOPE_RELAYD=os.path.join(env.tmp, "no-relayd")))
t.ok(p.returncode == 127 and p.stderr.count("\n") == 1 and "cannot run" in p.stderr,
     "no lttng-relayd to run: one line, status 127") or t.diag(p.stderr)

# ---- nothing answers ----
marker = os.path.join(env.tmp, "ran")
cmd = [sstest.PYTHON, "-c", "import socket; open(%r, 'w')" % marker]
rc, _, err, notes = record(cmd, "unreached", ["--relay", "127.0.0.1:%d" % port])
t.ok(rc == 2 and err.count("\n") == 1 and
     err.startswith("sockscope: record: cannot reach lttng-relayd at 127.0.0.1:%d:" % port),
     "a relay that is not there: one line, status 2") or t.diag(err)
t.ok(not os.path.exists(marker) and not os.path.exists(notes),
     "the command did not run, no directory was made")

# ---- a control port that answers, a data port that does not ----
lis = socket.create_server(("127.0.0.1", 0))
cport = lis.getsockname()[1]
try:
    socket.create_connection(("127.0.0.1", cport + 1), 1).close()
    t.ok(True, "# SKIP port %d is in use" % (cport + 1))
except OSError:
    rc, _, err, notes = record(cmd, "nodata", ["--relay", "127.0.0.1:%d" % cport])
    t.ok(rc == 2 and err.count("\n") == 1 and "data port at 127.0.0.1:%d" % (cport + 1) in err
         and not os.path.exists(marker), "a relay without its data port: one line, status 2, "
         "the command did not run") or t.diag(err)
lis.close()

# ---- bad arguments ----
for args, what in ((["record", "--relay", "::1", "--", sstools.NET, "exit", "0"], "brackets"),
                   (["record", "--relay", "127.0.0.1:65535", "--", sstools.NET, "exit", "0"],
                    "not a port"),
                   (["relay", "--listen", "[::1"], "brackets"),
                   (["relay", "--listen", "127.0.0.1:0"], "not a port"),
                   (["relay", "--live-port", "x"], "not a port"),
                   (["relay", "stray"], "unexpected argument")):
    p = subprocess.run([SS] + args, capture_output=True, text=True, timeout=30)
    first = p.stderr.split("\n")[0]
    t.ok(p.returncode == 2 and what in first, "%s: status 2, '%s'" % (" ".join(args[:3]), first))
p = subprocess.run([SS, "relay", "--help"], capture_output=True, text=True, timeout=30)
t.ok(p.returncode == 0 and "--listen ADDR[:PORT]" in p.stdout and "Examples:" in p.stdout,
     "relay --help")
p = subprocess.run([SS, "--help"], capture_output=True, text=True, timeout=30)
t.ok("  relay " in p.stdout, "sockscope --help lists relay")
t.done()
