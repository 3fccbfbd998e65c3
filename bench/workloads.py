# SPDX-License-Identifier: MIT
"""The workloads of `make bench`.  A workload runs once under a
configuration (see bench.py) and returns its metrics: {name: value}.  Each
metric says its unit and whether lower or higher is better.

Servers are the traced side; their load generators run bare, so what is
measured is the cost of tracing the server."""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import sstest  # noqa: E402  (free_port, shared with the tests)


def wait_port(port, proc, timeout=30):
    """Until something accepts on 127.0.0.1:port; fails if proc died."""
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError("server exited with %s before listening" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on port %d" % port)


def stop_pid(pid, sig=signal.SIGTERM, timeout=20):
    """Stop a process we started but do not wait for (a server's own pid),
    by pid, and wait for it to go."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    end = time.time() + timeout
    while time.time() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def stop_child(proc, sig=signal.SIGTERM, timeout=20):
    """Stop a child process and reap it (polling a child with kill(pid, 0)
    would wait on its zombie)."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def dir_size(path):
    """Bytes of every file under path."""
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def read_pidfile(path, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with open(path) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            time.sleep(0.05)
    raise RuntimeError("no pid in %s" % path)


class Micro:
    """bench/micro: ns per iteration of a loop of wrapped calls; unit says
    what one iteration is (a call, a send+recv pair, ...).  A configuration
    may run another build of it (cfg.micro: micro-ust).  Its figure is the
    best of the rounds: the loop has no variance of its own, and what a
    shared machine adds is noise."""
    better, stat = "lower", "min"

    def __init__(self, name, iterations, micro, unit="ns/call"):
        self.name, self.iterations, self.micro = name, iterations, micro
        self.unit, self.metrics = unit, [name]

    def run(self, cfg, env, scale, tmp):
        n = max(1000, int(self.iterations * scale / cfg.cost))
        r = subprocess.run(cfg.argv([cfg.micro or self.micro, self.name, str(n)], tmp), env=env,
                           capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            raise RuntimeError("micro %s: %s" % (self.name, r.stderr.strip()))
        return {self.name: float(r.stdout.split()[-1])}


class Start:
    """What a process costs to start and end: /bin/true, an empty C
    program and `python3 -c pass`, each run `runs` times per measurement,
    interleaved, with posix_spawn; the median wall time in microseconds.
    Only under the configurations a user meets at every process (configs):
    record's own set-up would hide it."""
    better, unit = "lower", "us/process"
    name = "start"
    configs = ("bare", "no-daemon", "idle", "traced-rec")

    def __init__(self, build, runs=30):
        self.runs = runs
        self.progs = [("start /bin/true", ["/bin/true"]),
                      ("start empty C", [os.path.join(build, "bench", "empty")]),
                      ("start python3", ["/usr/bin/python3", "-c", "pass"])]
        self.metrics = [m for m, _ in self.progs]

    def run(self, cfg, env, scale, tmp):
        times = {m: [] for m in self.metrics}
        for _ in range(max(5, int(self.runs * scale))):
            for m, argv in self.progs:
                t0 = time.perf_counter_ns()
                pid = os.posix_spawn(argv[0], argv, env)
                _, status = os.waitpid(pid, 0)
                times[m].append((time.perf_counter_ns() - t0) / 1000)
                if status != 0:
                    raise RuntimeError("%s exited with %d" % (argv[0], status))
        return {m: statistics.median(v) for m, v in times.items()}


class RecordShort:
    """What `sockscope record` adds to a short command: the wall time of an
    empty C program and of /bin/true run directly (bare) or under
    `sockscope record -q -o DIR --force --` (record), `runs` times each per
    measurement, interleaved; the median in milliseconds."""
    better, unit = "lower", "ms/command"
    name = "record short"
    configs = ("bare", "record")
    traces = False  # no trace of its own to count in record's table

    def __init__(self, build, sockscope, runs=7):
        self.runs, self.sockscope = runs, sockscope
        self.progs = [("record short empty C", [os.path.join(build, "bench", "empty")]),
                      ("record short /bin/true", ["/bin/true"])]
        self.metrics = [m for m, _ in self.progs]

    def available(self):
        return os.path.exists(self.sockscope)

    def run(self, cfg, env, scale, tmp):
        times = {m: [] for m in self.metrics}
        for i in range(self.runs):  # not scaled: the goal is a median of 7
            for j, (m, argv) in enumerate(self.progs):
                d = os.path.join(tmp, "%d-%d" % (i, j))
                os.mkdir(d)
                # --force: record would refuse these (nothing to trace),
                # yet its set-up and tear-down are what is measured.
                cmd = cfg.argv(argv, d, force=True)
                t0 = time.perf_counter_ns()
                r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, timeout=120)
                times[m].append((time.perf_counter_ns() - t0) / 1e6)
                if r.returncode != 0:
                    raise RuntimeError("%s: %s" % (" ".join(argv), r.stderr.decode().strip()))
                shutil.rmtree(d, ignore_errors=True)
        return {m: statistics.median(v) for m, v in times.items()}


class Server:
    """A server started under the configuration, loaded by a bare client,
    then stopped by the pid it wrote."""
    unit, better = "requests/s", "higher"
    exits_itself = False  # the server ends once its load is done

    def argv(self, tmp, port, pidfile):
        raise NotImplementedError

    def load(self, port, scale, cost, cfg, env, tmp):
        """Load the server on port; cfg, env and tmp are the configuration's
        for a load generator that is traced too."""
        raise NotImplementedError

    def run(self, cfg, env, scale, tmp):
        tmp = os.path.join(tmp, "server")
        os.mkdir(tmp)
        port = sstest.free_port()
        pidfile = os.path.join(tmp, "server.pid")
        proc = None
        try:
            proc = subprocess.Popen(cfg.argv(self.argv(tmp, port, pidfile), os.path.dirname(tmp)),
                                    env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            wait_port(port, proc)
            return self.load(port, scale, cfg.server_cost, cfg, env, os.path.dirname(tmp))
        finally:
            if proc is not None:
                if self.exits_itself:
                    try:
                        proc.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        pass
                if os.path.exists(pidfile):
                    pid = read_pidfile(pidfile)
                    if pid == proc.pid:
                        stop_child(proc, self.stop_signal)
                    else:
                        stop_pid(pid, self.stop_signal)
                stop_child(proc)


class Redis(Server):
    name = "redis"
    metrics = ["redis SET", "redis GET"]
    stop_signal = signal.SIGTERM

    def available(self):
        return shutil.which("redis-server") and shutil.which("redis-benchmark")

    def argv(self, tmp, port, pidfile):
        return ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--pidfile", pidfile,
                "--dir", tmp, "--logfile", os.path.join(tmp, "redis.log")]

    def load(self, port, scale, cost, cfg, env, tmp):
        n = max(2000, int(100000 * scale / cost))
        r = subprocess.run(["redis-benchmark", "-p", str(port), "-t", "set,get", "-n", str(n),
                            "-c", "20", "-q"], capture_output=True, text=True, timeout=900)
        got = dict(re.findall(r"^(SET|GET): ([0-9.]+) requests per second", r.stdout.replace("\r", "\n"), re.M))
        if set(got) != {"SET", "GET"}:
            raise RuntimeError("redis-benchmark: %s" % (r.stdout + r.stderr).strip()[-300:])
        return {"redis SET": float(got["SET"]), "redis GET": float(got["GET"])}


NGINX_CONF = """daemon off;
master_process on;
worker_processes 2;
user root;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{ root {tmp}/www; }}
    }}
}}
"""


class Nginx(Server):
    name = "nginx"
    metrics = ["nginx"]
    stop_signal = signal.SIGQUIT  # graceful: workers finish, master exits

    def available(self):
        return shutil.which("nginx") and shutil.which("wrk")

    def argv(self, tmp, port, pidfile):
        os.makedirs(os.path.join(tmp, "www"))
        with open(os.path.join(tmp, "www", "index.html"), "w") as f:
            f.write("<p>" + "sockscope " * 60 + "</p>\n")
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=port))
        # nginx writes its pid to the file named in its configuration.
        os.symlink(os.path.join(tmp, "nginx.pid"), pidfile)
        return ["nginx", "-p", tmp, "-e", os.path.join(tmp, "error.log"), "-c", conf]

    def load(self, port, scale, cost, cfg, env, tmp):
        secs = max(2, int(5 * scale + 0.5))
        r = subprocess.run(["wrk", "-t1", "-c16", "-d%ds" % secs,
                            "http://127.0.0.1:%d/index.html" % port],
                           capture_output=True, text=True, timeout=120)
        m = re.search(r"Requests/sec:\s+([0-9.]+)", r.stdout)
        if not m or "Non-2xx" in r.stdout:
            raise RuntimeError("wrk: %s" % (r.stdout + r.stderr).strip()[-300:])
        return {"nginx": float(m.group(1))}


class TraceReading:
    """Reading one trace of about `events` events (ss-net's send/recv loop,
    recorded with --block so none is lost) with `sockscope report` and with
    babeltrace2 (its counter sink, and its text output): events/s and max
    RSS of each reader.  Not per configuration: the trace is made once."""
    name = "report"

    def __init__(self, build, events):
        self.build, self.events = build, events
        self.sockscope = os.path.join(build, "sockscope")
        self.readers = {
            "sockscope report": lambda t: [self.sockscope, "report", "--format", "json", t],
            "babeltrace2 counter": lambda t: ["babeltrace2", "-c", "sink.utils.counter", t],
            "babeltrace2 text": lambda t: ["babeltrace2", t],
        }

    def available(self):
        return os.path.exists(self.sockscope) and shutil.which("babeltrace2")

    def record(self, tmp):
        """Make the trace; returns (dir, facts about it)."""
        trace = os.path.join(tmp, "trace")
        net = os.path.join(self.build, "tests", "ss-net")
        subprocess.run([self.sockscope, "record", "-q", "--block", "-b", "64M", "-o", trace,
                        "--", net, "loop", str(self.events // 2)], check=True,
                       stdout=subprocess.DEVNULL)
        size = dir_size(trace)
        rep = self.report(trace)
        return trace, {"events": rep["events"], "lost_events": rep["lost_events"],
                       "trace_bytes": size, "bytes_per_event": round(size / rep["events"], 1)}

    def report(self, trace):
        import json
        r = subprocess.run(self.readers["sockscope report"](trace), capture_output=True,
                           text=True, check=True)
        return json.loads(r.stdout)

    def read(self, reader, trace):
        """One read: (seconds, max RSS in MB)."""
        t0 = time.monotonic()
        p = subprocess.Popen(self.readers[reader](trace), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        if status:
            raise RuntimeError("%s failed on %s" % (reader, trace))
        return time.monotonic() - t0, ru.ru_maxrss / 1024.0


class Echo(Server):
    """The seed's echo example in load mode: the C echo server and client
    (examples/), both under the configuration; messages/s and MB/s echoed."""
    name = "echo"
    metrics = ["echo messages", "echo MB"]
    units = {"echo messages": "messages/s", "echo MB": "MB/s"}
    stop_signal = signal.SIGTERM
    exits_itself = True
    CLIENTS, COUNT, SIZE = 4, 5000, 1024

    def __init__(self, build):
        self.examples = os.path.join(build, "examples")

    def available(self):
        return os.path.exists(os.path.join(self.examples, "echo-client"))

    def argv(self, tmp, port, pidfile):
        # The server writes no pid file: it is the process started, or
        # record's or strace's child, and exits after its clients: ours,
        # and the connection that saw it listening (wait_port).
        return [os.path.join(self.examples, "echo-server"), "--host", "127.0.0.1",
                "--port", str(port), "--clients", str(self.CLIENTS + 1)]

    def load(self, port, scale, cost, cfg, env, tmp):
        count = max(50, int(self.COUNT * scale / cost))
        ctmp = os.path.join(tmp, "client")
        os.mkdir(ctmp)
        r = subprocess.run(cfg.argv([os.path.join(self.examples, "echo-client"), "--port",
                                     str(port), "--count", str(count), "--size",
                                     str(self.SIZE), "--concurrency", str(self.CLIENTS)], ctmp),
                           env=env, capture_output=True, text=True, timeout=600)
        got = dict(kv.split("=", 1) for kv in r.stdout.split() if "=" in kv)
        if r.returncode != 0 or got.get("errors") != "0":
            raise RuntimeError("echo-client: %s" % (r.stdout + r.stderr).strip()[-300:])
        secs = float(got["seconds"])
        return {"echo messages": int(got["messages"]) / secs,
                "echo MB": int(got["bytes"]) * 2 / secs / 1e6}
