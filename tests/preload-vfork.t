#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# vfork children share their parent's memory, and so the preload's
# descriptor table and its tracing identity.  A child that dup2()s, closes
# and close_range()s its own descriptors before exec (tests/prog/ss-vfork.c)
# must leave the parent's sockets as they were: same output bare, probes
# idle and recorded; the parent's sockets keep their serials (no
# describe), and no event under the parent's pid comes from the child.
# Python's subprocess uses vfork: a traced socket server that runs a
# command for every connection keeps one report row per connection.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("vfork")
env.need_sessiond()
prog = os.path.join(sstest.BUILD, "tests", "ss-vfork")
ROUNDS = 5

brc, bout, _, _ = env.run([prog, str(ROUNDS)], preload=False)
t.is_(brc, 0, "ss-vfork runs bare")
rc, out, _, _ = env.run([prog, str(ROUNDS)])
t.is_((rc, out), (brc, bout), "same output and status with the probes idle")
rc, out, err, trace = sstools.record(env, [prog, str(ROUNDS)], "vfork")
t.is_((rc, out), (brc, bout), "same output and status recorded")
events, lost = sstest.read_trace(trace)
pid = {e["vpid"] for e in events if e["name"] == "sockscope:socket"}
mine = sstest.only(events, pid)
names = [e["name"] for e in mine]
t.is_(names.count("sockscope:describe"), 0, "the parent's sockets are never described again")
t.is_([n for n in names if n in ("sockscope:dup2", "sockscope:close_range")], [],
      "no event of the children's dup2/close_range under the parent's pid")
connect = [e for e in mine if e["name"] == "sockscope:connect"]
sends = [e for e in mine if e["name"] == "sockscope:send"]
t.ok(connect and len(sends) == ROUNDS and {e["sock"] for e in sends} == {connect[0]["sock"]},
     "every send is on the client socket's first serial")
t.is_(names.count("sockscope:close"), 3, "three closes: the parent's own")

# Python's subprocess (vfork) inside a traced socket server.
N = 4
server = os.path.join(env.tmp, "spawner.py")
with open(server, "w") as f:
    f.write("""
import socket, subprocess, threading
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(8)
def serve():
    for _ in range(%d):
        s, _ = l.accept()
        data = s.recv(64)
        subprocess.run(["true"], check=True)
        s.sendall(data)
        s.close()
th = threading.Thread(target=serve)
th.start()
for i in range(%d):
    c = socket.create_connection(l.getsockname())
    c.sendall(b"x" * 10)
    assert c.recv(64) == b"x" * 10
    c.close()
th.join()
l.close()
print("done")
""" % (N, N))
rc, out, err, trace = sstools.record(env, [sys.executable, server], "spawner")
t.is_((rc, out), (0, "done\n"), "the python server runs a command per connection")
rep = sstools.report_json(trace)
rows = sorted((c["role"], c["tx_bytes"], c["rx_bytes"]) for c in rep["connections"]
              if c["pid"] == min(p["pid"] for p in rep["processes"]))
t.is_(rows, sorted([("client", 10, 10)] * N + [("listener", 0, 0)] + [("server", 10, 10)] * N),
      "one row per connection, each with its bytes")
t.done()
