#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Trace test of libsockscope: real sessions record tests/api/api-calls
# without the preload (sockscope_api events only, each with its serial,
# args, ret, err name and recording tag), with SOCKSCOPE_PROBES=off
# (nothing loaded, nothing recorded), and under the preload, where every
# sockscope event the library caused lies inside its method's window: same
# vtid, within [start_ns, timestamp] in the trace clock.
import os
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest

t = sstest.Tap()
env = sstest.Env("libtrace")
prog = os.path.join(sstest.BUILD, "tests", "api", "api-calls")
tag = 3000000 + os.getpid()
sname, trace = env.session("api", events="sockscope_api:*,sockscope:*", filter="$app.sockscope:rec == %d" % tag)
tagged = {"SOCKSCOPE_REC": str(tag)}


def run(preload, extra=None):
    e = env.preload_env(extra=dict(tagged, **(extra or {})))
    if not preload:
        del e["LD_PRELOAD"]
    rc, out, err, pid = env.run([prog], preload=preload, env=e)
    info = {}
    for line in out.splitlines():
        k, *v = line.split()
        info[k] = v
    return rc, info, err, pid


rc_bare, bare, err_bare, pid_bare = run(False)
t.is_(rc_bare, 0, "scenario without the preload exits 0")
if rc_bare:
    t.diag(err_bare)
t.is_(bare.get("probes"), ["yes"], "with a session daemon, the library loads its probes")
rc_off, off, _, pid_off = run(False, {"SOCKSCOPE_PROBES": "off"})
t.is_((rc_off, off.get("probes")), (0, ["no"]), "SOCKSCOPE_PROBES=off: liblttng-ust not loaded")
rc_pre, pre, err_pre, pid_pre = run(True)
t.is_(rc_pre, 0, "scenario under the preload exits 0")

# The C echo pair under the preload: the seed's hello, then two concurrent
# load clients, served by one thread each.
ex = os.path.join(sstest.BUILD, "examples")
echo_env = env.preload_env(extra=tagged)
server = env.spawn([os.path.join(ex, "echo-server"), "--port", "0", "--clients", "3"],
                   env=echo_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
listening = server.stdout.readline().decode()
echo_port = int(listening.rsplit(":", 1)[1]) if listening.startswith("listening on ") else 0
t.ok(echo_port > 0, "echo-server says where it listens: %r" % listening.strip())
client = os.path.join(ex, "echo-client")
rc_h, out_h, _, pid_hello = env.run([client, "--port", str(echo_port)], env=echo_env)
t.is_((rc_h, out_h), (0, "Received 'Hello, world'\n"), "echo-client: the seed's hello")
rc_l, out_l, err_l, pid_load = env.run([client, "--port", str(echo_port), "--count", "20",
                                        "--size", "3000", "--concurrency", "2"], env=echo_env)
t.ok(rc_l == 0 and "messages=40 size=3000 bytes=120000 errors=0" in out_l,
     "echo-client load mode: 2 clients x 20 messages checked")
server_out = server.communicate(timeout=60)[0].decode()
t.ok(server.returncode == 0 and "served 3 clients, 120012 bytes echoed, 0 failed" in server_out,
     "echo-server served 3 clients and exits 0")
env.stop(sname)

events, lost = sstest.read_trace(trace)
t.is_(lost, 0, "no event discarded")
t.ok(events and all(e["rec"] == tag for e in events if e["name"].startswith("sockscope_api:")),
     "every library event carries the recording tag")
t.ok(not any(e["vpid"] == pid_off for e in events), "probes off: no event at all")

# The scenario's calls; "fileno" is its own show() of each object.
METHODS = ["gethostbyname", "create_server", "getsockname", "socket", "setsockopt", "connect",
           "accept", "fileno", "fileno", "fileno", "send", "recv", "sendall", "recv", "makefile",
           "getsockopt", "shutdown", "recv", "socket", "fileno", "close", "connect", "close",
           "gethostbyname", "close", "close"]


def api(pid):
    return [e for e in events if e["vpid"] == pid and e["name"].startswith("sockscope_api:")]


def calls(pid):
    """The libc calls of pid: its sockscope:* events but the exec marker."""
    return [e for e in events if e["vpid"] == pid and e["name"].startswith("sockscope:")
            and e["name"] != "sockscope:exec"]


def method(e):
    return e["name"].split(":")[1]


# Without the preload: the library's own events, one per call.
a = api(pid_bare)
t.is_([method(e) for e in a], METHODS, "one sockscope_api event per call, in order")
t.is_(calls(pid_bare), [], "without the preload, no sockscope:* event")
serial = {k: int(v[0]) for k, v in bare.items() if k in ("listener", "client", "conn", "refused")}
fd = {k: int(v[1]) for k, v in bare.items() if k in serial}
port = int(bare["port"][0])
by = {}
for e in a:
    by.setdefault(method(e), []).append(e)
sock = by["socket"][0]
t.is_((sock["sock"], sock["fd"], sock["ret"], sock["args"]),
      (serial["client"], fd["client"], serial["client"], "AF_INET, SOCK_STREAM, 0"),
      "socket: the new object's serial and fd, args as text")
cs = by["create_server"][0]
t.is_((cs["sock"], cs["args"], cs["err"]), (serial["listener"], "127.0.0.1:0, 4", "OK"),
      "create_server: serial, args")
con = by["connect"]
t.is_((con[0]["sock"], con[0]["args"], con[0]["ret"], con[0]["err"]),
      (serial["client"], "127.0.0.1:%d" % port, 0, "OK"), "connect: args host:port, ret 0")
t.is_((con[1]["sock"], con[1]["ret"], con[1]["err"]), (serial["refused"], -1, "ECONNREFUSED"),
      "connect refused: ret -1, err ECONNREFUSED")
acc = by["accept"][0]
t.is_((acc["sock"], acc["fd"], acc["ret"]), (serial["listener"], fd["listener"], serial["conn"]),
      "accept: on the listener, ret is the new object's serial")
t.is_([(e["sock"], e["args"], e["ret"]) for e in by["recv"]],
      [(serial["conn"], "100, 0", 5), (serial["client"], "100, 0", 5), (serial["conn"], "100, 0", 0)],
      "recv: serials, args (bufsize, flags), byte counts")
t.is_(by["setsockopt"][0]["args"], "IPPROTO_TCP, TCP_NODELAY, 1", "setsockopt: names from the tables")
t.is_(by["getsockopt"][0]["args"], "SOL_SOCKET, SO_TYPE, 0", "getsockopt: level, name, buflen")
t.is_((by["shutdown"][0]["args"], by["makefile"][0]["args"]), ("SHUT_WR", "w, 0"),
      "shutdown and makefile args")
t.is_(by["makefile"][0]["ret"], int(bare["stream"][0]), "makefile: ret is the stream's descriptor")
g = by["gethostbyname"]
t.is_([(e["sock"], e["args"], e["ret"], e["err"]) for e in g],
      [(0, "localhost", 0, "OK"), (0, "no.such.host.invalid", -1, "OK")],
      "gethostbyname: module function (sock 0); a name error is ret -1 with err 0")
t.ok(all(e["dur_ns"] > 0 for e in a), "every event has a duration")
t.ok(all(0 < e["start_ns"] <= e["cycles"] - e["dur_ns"] for e in a),
     "every event has its start, in the trace clock, before its end")

# Under the preload: the same calls, and the libc calls nested inside them.
a = api(pid_pre)
c = calls(pid_pre)
t.is_([method(e) for e in a], METHODS, "under the preload: the same sockscope_api events")


def inside(call, outer):
    """Whether call lies in outer's window [start_ns, timestamp], in the
    trace clock's cycles (CLOCK_MONOTONIC ns, as start_ns)."""
    return (call["vtid"] == outer["vtid"] and
            outer["start_ns"] <= call["cycles"] <= outer["cycles"])


def nested(outer):
    return [method(e) for e in c if inside(e, outer)]


stream_fd = int(pre["stream"][0])
outside = [e for e in c if not any(inside(e, o) for o in a)]
t.is_([(method(e), e["fd"]) for e in outside], [("close", stream_fd)],
      "every libc call is inside a method, but the caller's own fclose of the stream")
want = {
    "create_server": ["getaddrinfo", "socket", "setsockopt", "bind", "getsockname", "listen"],
    "fileno": [],
    "socket": ["socket"], "setsockopt": ["setsockopt"], "connect": ["connect"],
    "accept": ["accept4"], "send": ["send"], "recv": ["recv"], "sendall": ["send"],
    "makefile": ["fcntl"], "getsockopt": ["getsockopt"], "shutdown": ["shutdown"],
    "close": ["close"], "getsockname": ["getsockname"],
}
first = {}
for e in a:
    first.setdefault(method(e), e)
for m, libc in want.items():
    t.is_(nested(first[m]), libc, "%s encloses %s" % (m, ", ".join(libc) or "no libc call"))
t.ok("getaddrinfo" in nested(a[0]), "gethostbyname(localhost) encloses the resolver's getaddrinfo")
refused = [e for e in a if method(e) == "connect"][1]
inner = [e for e in c if inside(e, refused)]
t.is_([(method(e), e["err"], e["fd"]) for e in inner], [("connect", "ECONNREFUSED", refused["fd"])],
      "the refused connect encloses the failing libc connect on the same fd")

# The echo pair: every libc call of both programs is inside one of their
# methods, on the same thread; the server's connection threads included.
for who, pid in (("echo-server", server.pid), ("echo-client hello", pid_hello),
                 ("echo-client load", pid_load)):
    a, c = api(pid), calls(pid)
    homeless = [e for e in c if not any(inside(e, o) for o in a)]
    t.ok(a and c and not homeless, "%s: all %d libc calls inside its %d method calls"
         % (who, len(c), len(a)))
    for e in homeless[:5]:
        t.diag("outside: %s fd %d ts %d vtid %d" % (e["name"], e["fd"], e["ts"], e["vtid"]))
    for m, libc in (("recv", "recv"), ("send", "send"), ("accept", "accept4")):
        outer = [e for e in a if method(e) == m]
        each = [[method(x) for x in c if inside(x, o)] for o in outer]
        if outer:
            t.ok(all(n == [libc] for n in each),
                 "%s: each of %d %s calls encloses exactly one libc %s" % (who, len(outer), m, libc))
# How close the first libc call of a method comes to the method's start.
margins = [x["cycles"] - o["start_ns"] for pid in (pid_pre, server.pid, pid_load)
           for o in api(pid) for x in calls(pid) if inside(x, o)]
t.diag("smallest margin from a method's start to a libc event inside it: %d ns" % min(margins))
srv = api(server.pid)
t.ok(len({e["vtid"] for e in srv if method(e) == "recv"}) == 3 and
     not {e["vtid"] for e in srv if method(e) == "recv"} & {e["vtid"] for e in srv if method(e) == "accept"},
     "echo-server: receives on 3 connection threads, apart from the accepting one")
accepted = sorted(e["ret"] for e in srv if method(e) == "accept")
t.is_(sorted({e["sock"] for e in srv if method(e) == "recv"}), accepted,
      "echo-server: the objects accept returned are those that receive")
sendall = [e for e in srv if method(e) == "sendall"]
t.ok(sendall and all(any(inside(x, o) and method(x) == "send" for x in calls(server.pid))
                     for o in sendall), "echo-server: every sendall encloses its send calls")
t.done()
