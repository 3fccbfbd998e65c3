# SPDX-License-Identifier: MIT
"""A lab of hosts on one machine, for the tests of traces that cross
hosts, and `sockscope relay` run by a test.

Each host of a Lab is a network namespace, joined to the others by a veth
pair (two hosts) on a private /24 of 10.213.0.0/16 that the root namespace
does not use, plus a mount and UTS namespace of its own held open by one
process: its own host name, and tmpfs on /run/lttng and /dev/shm, so that
`sockscope record` run there starts and stops a session daemon of that
host's own (root's daemon lives in /run/lttng, its shared memory in
/dev/shm).  HOME and LTTNG_HOME point each host at a directory of its own.
The pid namespace is shared: a pid means the same process on every host.

    lab = Lab(tmp)                        # hosts "alpha" and "beta"
    lab.addr("alpha")                     # "10.213.N.1"
    relay = lab.relay("alpha")            # sockscope relay on alpha
    p = lab.run("beta", lab.record_argv(relay, "cli", [PROG, ARG]))
    srv = lab.popen("alpha", lab.record_argv(relay, "srv", [...]))
    lab.remote("cli")                     # that trace, in the relay's output
    lab.relay_dir                         # what `sockscope report` reads

Everything is torn down at exit, also after a failure: the relay and
whatever still runs in the namespaces are stopped by pid, the holders
killed (their tmpfs mounts go with their mount namespaces), the network
namespaces deleted.  A test killed outright takes its holders and relay
along (PR_SET_PDEATHSIG), and the next lab removes the namespaces it
left (sslab-PID-HOST, PID no longer running).  Needs root and `ip netns`:
Lab.skip_unless_possible() ends the test with a TAP skip otherwise."""

import atexit
import os
import select
import shutil
import signal
import subprocess
import sys
import time

import sstest
import sstools

# The lab's network: 10.213.N.0/24, host i at 10.213.N.(i+1).
NET_PREFIX = "10.213."


def _read_line(f, timeout):
    """One line from the binary pipe f within timeout seconds ("" at EOF or
    on timeout), read byte by byte so that nothing after it is consumed."""
    line = b""
    deadline = time.monotonic() + timeout
    fd = f.fileno()
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        c = os.read(fd, 1)
        if not c:
            break
        line += c
    return line.decode(errors="replace")


def _die_with_parent():
    """In a child before exec: SIGKILL when the test itself dies, even by
    SIGKILL, where no atexit runs (the holder then leaves its namespaces)."""
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _stop(pid, sig=signal.SIGTERM, wait=10):
    """Send sig to pid, then SIGKILL if it still runs after wait seconds."""
    try:
        os.kill(pid, sig)
        for _ in range(int(wait * 20)):
            if sstools.process_state(pid) in (None, "Z"):
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def free_ports(n=3, host="127.0.0.1"):
    """A first port of n consecutive TCP ports that nothing listens on at
    host now (control, data, live: as `sockscope relay` uses them), below
    the kernel's ephemeral range: a connection made later cannot take one
    before the relay that is given it starts."""
    import random
    import socket
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    top = max(low - n, 10000 + n)
    for _ in range(200):
        first = random.randrange(10000, top)
        socks = []
        try:
            for p in range(first, first + n):
                s = socket.socket(family, socket.SOCK_STREAM)
                socks.append(s)
                s.bind((host, p))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    sstest.bail("no %d consecutive free ports" % n)


class Relay:
    """`sockscope relay -o OUT --listen LISTEN` started by a test (through
    prefix, e.g. a lab host's nsenter command), stopped by its pid."""

    def __init__(self, out, listen, prefix=(), env=None, timeout=60):
        self.out, self.at = out, listen
        self.proc = subprocess.Popen(list(prefix) + [sstools.SOCKSCOPE, "relay", "-o", out,
                                                     "--listen", listen],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env, preexec_fn=_die_with_parent)
        atexit.register(self.stop)
        # Its first line says it listens (with lttng-relayd's pid), or why not.
        self.line = _read_line(self.proc.stderr, timeout)
        self.relayd_pid = None
        if "listening on" in self.line:
            self.relayd_pid = int(self.line.split("(pid ")[1].split(")")[0])

    def listening(self):
        return self.relayd_pid is not None

    def stop(self):
        """SIGTERM to sockscope relay, which passes it on; its status."""
        if self.proc.poll() is None:
            _stop(self.proc.pid)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        if self.relayd_pid and sstools.process_state(self.relayd_pid) not in (None, "Z"):
            _stop(self.relayd_pid, signal.SIGKILL)
        return self.proc.returncode

    def stderr(self):
        """The rest of what it said (after it ended)."""
        return self.line + self.proc.stderr.read().decode(errors="replace")


class Lab:
    """Hosts on one machine (see the module's text)."""

    @staticmethod
    def why_not():
        """Why a lab cannot be built here, or None when it can."""
        if os.geteuid() != 0:
            return "needs root for network namespaces"
        for tool in ("ip", "unshare", "nsenter"):
            if not shutil.which(tool):
                return "no %s command" % tool
        name = "sslab-probe-%d" % os.getpid()
        if subprocess.run(["ip", "netns", "add", name], capture_output=True).returncode:
            return "ip netns is unavailable (cannot create a network namespace)"
        subprocess.run(["ip", "netns", "delete", name], capture_output=True)
        return None

    @staticmethod
    def skip_unless_possible():
        why = Lab.why_not()
        if why:
            print("1..0 # SKIP " + why, flush=True)
            sys.exit(0)

    def __init__(self, tmp, names=("alpha", "beta")):
        """Build the lab in the test's temporary directory tmp: the relay's
        output goes to tmp/relay, host NAME's home to tmp/host-NAME."""
        self.tmp = tmp
        self.names = list(names)
        self.relay_dir = os.path.join(tmp, "relay")
        self.namespaces, self.holders, self.relays, self.veth = [], {}, [], []
        self.homes = {}
        tag = os.getpid()
        self._remove_stale()
        atexit.register(self.close)
        self.net = self._free_net()
        if len(self.names) != 2:
            sstest.bail("a lab has two hosts (one veth pair)")
        veth = self.veth = ["ssl%d%s" % (tag % 10000000, c) for c in "ab"]
        for i, name in enumerate(self.names):
            ns = "sslab-%d-%s" % (tag, name)
            self._ip("netns", "add", ns)
            self.namespaces.append(ns)
        self._ip("link", "add", veth[0], "type", "veth", "peer", "name", veth[1])
        for i, name in enumerate(self.names):
            ns = self.namespaces[i]
            self._ip("link", "set", veth[i], "netns", ns)
            self._ip("-n", ns, "addr", "add", "%s/24" % self.addr(name), "dev", veth[i])
            self._ip("-n", ns, "link", "set", veth[i], "up")
            self._ip("-n", ns, "link", "set", "lo", "up")
            self.homes[name] = os.path.join(tmp, "host-" + name)
            os.makedirs(self.homes[name], mode=0o700, exist_ok=True)
            self._hold(name, ns)

    @staticmethod
    def _remove_stale():
        """The namespaces of labs whose test was killed (SIGKILL leaves no
        time to tear down): what runs there is stopped, then they go."""
        out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        for ns in (l.split()[0] for l in out.splitlines() if l.startswith("sslab-")):
            owner = ns.split("-")[1]
            if not owner.isdigit() or os.path.exists("/proc/" + owner):
                continue
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True,
                                  text=True).stdout.split()
            for pid in pids:
                _stop(int(pid), signal.SIGKILL, wait=5)
            subprocess.run(["ip", "netns", "delete", ns], capture_output=True)

    def _ip(self, *args):
        r = subprocess.run(["ip"] + list(args), capture_output=True, text=True)
        if r.returncode:
            sstest.bail("ip %s: %s" % (" ".join(args), r.stderr.strip()))

    @staticmethod
    def _free_net():
        """N of a 10.213.N.0/24 that no address or route of the root
        namespace touches (the lab's traffic never leaves its namespaces;
        this keeps it from even looking like a network here)."""
        used = subprocess.run(["ip", "-4", "route", "show", "table", "all"], capture_output=True,
                              text=True).stdout
        used += subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True).stdout
        if NET_PREFIX + "0.0/16" in used:
            sstest.bail("10.213.0.0/16 is routed here: the lab needs it free")
        for n in [os.getpid() % 250 + 1] + list(range(1, 251)):
            if "%s%d." % (NET_PREFIX, n) not in used:
                return n
        sstest.bail("no free /24 in 10.213.0.0/16 for the lab")

    def _hold(self, name, ns):
        """The process that holds host name's mount and UTS namespaces:
        tmpfs on /run/lttng and /dev/shm, the host name, then sleep."""
        script = ("mkdir -p /run/lttng && mount -t tmpfs -o mode=0755 sslab /run/lttng && "
                  "mount -t tmpfs -o mode=1777 sslab /dev/shm && hostname \"$1\" && "
                  "echo ready && exec sleep 100000")
        p = subprocess.Popen(["ip", "netns", "exec", ns, "unshare", "--mount", "--uts",
                              "--propagation", "private", "sh", "-c", script, "sh", name],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=_die_with_parent)
        self.holders[name] = p
        line = _read_line(p.stdout, 30)
        if line != "ready\n":
            p.kill()
            p.wait()
            sstest.bail("host %s: %s" % (name, p.stderr.read().decode(errors="replace").strip()
                                         or "its namespaces could not be made"))

    def addr(self, name):
        """Host name's address on the lab's network."""
        return "%s%d.%d" % (NET_PREFIX, self.net, self.names.index(name) + 1)

    def argv(self, name, argv):
        """argv run on host name (nsenter into its holder's namespaces)."""
        pid = self.holders[name].pid
        return ["nsenter", "-t", str(pid), "-m", "-u", "-n", "--"] + list(argv)

    def env(self, name, argv=None):
        """The environment of a program on host name: its own HOME and
        LTTNG_HOME, ASan options as for argv (for `sockscope record ...
        -- CMD`, as for CMD, which inherits them)."""
        e = dict(os.environ, HOME=self.homes[name], LTTNG_HOME=self.homes[name])
        if argv and argv[0] == sstools.SOCKSCOPE and "--" in argv:
            argv = argv[argv.index("--") + 1:]
        return sstest.sanitizer_env(e, argv) if argv else e

    def popen(self, name, argv, **kw):
        """Start argv on host name; text pipes on stdout and stderr."""
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("env", self.env(name, argv))
        return subprocess.Popen(self.argv(name, argv), text=True, **kw)

    def run(self, name, argv, timeout=120, **kw):
        """Run argv on host name to its end: a CompletedProcess (text)."""
        kw.setdefault("env", self.env(name, argv))
        return subprocess.run(self.argv(name, argv), capture_output=True, text=True,
                              timeout=timeout, **kw)

    def relay(self, name, port=None):
        """`sockscope relay` on host name, listening on its lab address
        (control port, default 5342: each host has its ports to itself),
        writing to self.relay_dir; .at is the HOST:PORT to give
        `record --relay`.  Bails out if it does not listen."""
        at = "%s:%d" % (self.addr(name), port or 5342)
        r = Relay(self.relay_dir, at, prefix=self.argv(name, []), env=self.env(name))
        self.relays.append(r)
        if not r.listening():
            r.stop()
            sstest.bail("sockscope relay on %s: %s" % (name, r.stderr().strip()))
        return r

    def notes(self, rec):
        """The local directory of recording rec (sockscope.info only)."""
        return os.path.join(self.tmp, "notes-" + rec)

    def record_argv(self, relay, rec, argv, opts=()):
        """`sockscope record` streaming argv's trace to relay (a Relay),
        as recording rec: run it on a host with run() or popen()."""
        return ([sstools.SOCKSCOPE, "record", "--relay", relay.at, "-o", self.notes(rec)] +
                list(opts) + ["--"] + list(argv))

    def remote(self, rec):
        """The directory of recording rec's trace in the relay's output
        (HOSTNAME/NAME-TAG, as its notes say), or None."""
        try:
            for line in open(os.path.join(self.notes(rec), "sockscope.info")):
                if line.startswith("remote "):
                    return os.path.join(self.relay_dir, line.split(" ", 1)[1].rstrip("\n"))
        except OSError:
            pass
        return None

    def pids(self, name):
        """The processes running on host name now (its network namespace's)."""
        ns = self.namespaces[self.names.index(name)]
        out = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def close(self):
        """Tear everything down; safe to call twice."""
        for r in self.relays:
            r.stop()
        self.relays = []
        for name in list(self.holders):
            holder = self.holders.pop(name)
            # What the tests left running there (a session daemon, a
            # server), then the holder itself.
            for pid in self.pids(name):
                if pid != holder.pid:
                    _stop(pid, signal.SIGKILL, wait=5)
            if holder.poll() is None:
                holder.kill()
            holder.wait()
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
        self.namespaces = []
        # A veth pair not yet moved into the namespaces (a failed build).
        for v in self.veth:
            if os.path.exists("/sys/class/net/" + v):
                subprocess.run(["ip", "link", "delete", v], capture_output=True)
        self.veth = []
