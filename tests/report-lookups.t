#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Name lookups against a real DNS server (dnsmasq on port 53 of a network
# namespace of the test's own, its loopback only; resolv.conf and
# nsswitch.conf replaced in a mount namespace of its own): every answer is
# recorded (bounded: "... (N)" past the bound), and the sockets a lookup
# makes through libc's public functions (an NSS module, libnss_sstest,
# asking over UDP and again over TCP when the answer is truncated) are
# nested under it with their exact bytes.  glibc's own DNS client makes its
# calls inside libc: none of them is seen, and none is made up.
import os
import shutil
import signal
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
    print("1..0 # SKIP needs root, unshare and ip for a network namespace")
    sys.exit(0)
if not os.path.exists("/usr/sbin/dnsmasq") and not shutil.which("dnsmasq"):
    print("1..0 # SKIP dnsmasq not installed (make deps)")
    sys.exit(0)

t = sstest.Tap()
env = sstest.Env("lookups")
env.need_sessiond()
d = env.tmp
MANY = 40


def write(name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


write("hosts", "192.0.2.7 multi.example.test\n192.0.2.8 multi.example.test\n")
write("many.hosts", "".join("198.51.100.%d many.example.test\n" % (i + 1) for i in range(MANY)))
write("resolv.conf", "nameserver 127.0.0.1\n")
write("nss-module", "hosts: sstest\n")
write("nss-dns", "hosts: dns\n")
os.mkdir(os.path.join(d, "lib"))
os.symlink(os.path.join(sstest.BUILD, "tests", "libnss_sstest.so"),
           os.path.join(d, "lib", "libnss_sstest.so.2"))
PROG = """
import socket
for name in ("multi.example.test", "many.example.test"):
    socket.getaddrinfo(name, 80, socket.AF_INET, socket.SOCK_STREAM)
"""
write("prog.py", PROG)
# In the namespaces: the loopback up, dnsmasq on it (stopped by its pid on
# the way out), then each recording with its own nsswitch.conf.
SCRIPT = """
set -e
ip link set lo up
dnsmasq --no-daemon --port=53 --listen-address=127.0.0.1 --bind-interfaces --no-resolv \\
    --user=root --no-hosts --addn-hosts={d}/hosts --addn-hosts={d}/many.hosts --pid-file={d}/dnsmasq.pid \\
    > {d}/dnsmasq.log 2>&1 &
trap 'kill $!' EXIT
mount --bind {d}/resolv.conf /etc/resolv.conf
mount --bind {d}/nss-dns /etc/nsswitch.conf
i=0
until {py} -c 'import socket; socket.getaddrinfo("multi.example.test", 80)' 2> /dev/null; do
    i=$((i + 1)); [ $i -lt 200 ] || exit 9; sleep 0.05
done
{rec} -q -o {d}/dns -- {py} {d}/prog.py
mount --bind {d}/nss-module /etc/nsswitch.conf
LD_LIBRARY_PATH={d}/lib {rec} -q -o {d}/module -- {py} {d}/prog.py
""".format(d=d, rec=sstools.SOCKSCOPE + " record", py=sstest.PYTHON)
# Its own process group: on a timeout, the whole group (dnsmasq with it)
# is stopped, and the namespaces go with their last process.
p = subprocess.Popen(["unshare", "-n", "-m", "sh", "-c", SCRIPT], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, start_new_session=True,
                     env=sstest.sanitizer_env(dict(os.environ), [sstest.PYTHON]))
try:
    _, err = p.communicate(timeout=300)
except subprocess.TimeoutExpired:
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    err = "timeout"
if p.returncode != 0:
    sstest.bail("the namespaces' script failed (%s): %s" % (p.returncode, err.strip()))


def query(name):
    """The DNS query the module sends for name (A, IN): its length."""
    return 12 + len(name) + 2 + 4


def lookups(trace):
    return {x["query"]: x for x in sstools.report_json(trace)["dns"] if x["call"] == "getaddrinfo"}


def answers(result):
    """The answers listed in a result text, and the count after them."""
    words = result.split()
    return words[:-1], words[-1]


# ---- through the NSS module: its sockets nested under each lookup ----
mod = lookups(os.path.join(d, "module"))
multi, many = mod.get("multi.example.test 80"), mod.get("many.example.test 80")
t.ok(multi and many, "both lookups recorded")
multi = multi or {"result": "", "sockets": []}
many = many or {"result": "", "sockets": []}
t.is_(sorted(answers(multi["result"])[0]) + [answers(multi["result"])[1]],
      ["192.0.2.7:80", "192.0.2.8:80", "(2)"], "every answer listed, then their number")
t.is_([(s["family"], s["type"], s["remote"], s["tx_bytes"]) for s in multi["sockets"]],
      [("AF_INET", "SOCK_DGRAM", "127.0.0.1:53", query("multi.example.test"))],
      "the lookup's UDP socket is nested under it: the %d-byte query out" %
      query("multi.example.test"))
t.ok(multi["sockets"] and multi["sockets"][0]["rx_bytes"] > 0, "and the answer in")
listed, count = answers(many["result"])
t.is_((count, listed[-1] if listed else None), ("(%d)" % MANY, "..."),
      "%d answers: those that fit, '...', and the number of all" % MANY)
t.ok(len(many["result"]) < 320 and all(w.startswith("198.51.100.") for w in listed[:-1]),
     "the result stays under its bound (%d bytes)" % len(many["result"]))
t.is_([(s["type"], s["remote"], s["tx_bytes"]) for s in many["sockets"]],
      [("SOCK_DGRAM", "127.0.0.1:53", query("many.example.test")),
       ("SOCK_STREAM", "127.0.0.1:53", query("many.example.test") + 2)],
      "a truncated UDP answer, then the query again over TCP: both sockets nested")
rc, text, err = sstools.report(os.path.join(d, "module"), ["--no-hist"])
t.ok("made           1 socket to 127.0.0.1:53" in text and
     "made           2 sockets to 127.0.0.1:53" in text, "text: the sockets under each lookup")

# ---- through glibc's own DNS client: answers seen, its traffic not ----
rep = sstools.report_json(os.path.join(d, "dns"))
libc = {x["query"]: x for x in rep["dns"] if x["call"] == "getaddrinfo"}
got = libc.get("multi.example.test 80", {"result": "", "sockets": None})
t.is_(sorted(answers(got["result"])[0]), ["192.0.2.7:80", "192.0.2.8:80"],
      "glibc's resolver: every answer listed")
t.is_((got["sockets"], rep["connections"]), ([], []),
      "glibc's resolver: its internal socket calls are not seen, and none is made up")
t.done()
