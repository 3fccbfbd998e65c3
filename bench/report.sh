#!/bin/sh
# SPDX-License-Identifier: MIT
# Speed of `sockscope report` against babeltrace2's own counter sink on
# the same trace, measured side by side: a trace of about 10 million
# events is recorded (ss-net's send/recv loop, --block so none is lost),
# then both read it RUNS times, interleaved; the median wall time gives
# events/s, and the largest max RSS is shown.
#
#   bench/report.sh [EVENTS] [RUNS]     (defaults: 10000000 5)
#   BENCH_TRACE=DIR bench/report.sh     reuse a trace (kept), or keep the new one there
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
EVENTS=${1:-10000000}
RUNS=${2:-5}
S=$TOP/build/sockscope
NET=$TOP/build/tests/ss-net
[ -x "$S" ] && [ -x "$NET" ] || { echo "bench: run 'make all tests' first" >&2; exit 1; }
command -v babeltrace2 >/dev/null || { echo "bench: babeltrace2 is not installed" >&2; exit 1; }

if [ -n "${BENCH_TRACE:-}" ]; then
	TRACE=$BENCH_TRACE
	KEEP=1
else
	TRACE=$(mktemp -d "${TMPDIR:-/tmp}/sockscope-bench.XXXXXX")/trace
	KEEP=
fi
if [ ! -d "$TRACE" ]; then
	echo "bench: recording $EVENTS events into $TRACE" >&2
	"$S" record -q --block -b 64M -o "$TRACE" -- "$NET" loop $((EVENTS / 2))
fi

python3 - "$S" "$TRACE" "$RUNS" <<'PY'
import os, statistics, subprocess, sys, time

S, TRACE, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3])
tools = {
    "sockscope report": [S, "report", "--format", "json", TRACE],
    "babeltrace2 counter": ["babeltrace2", "-c", "sink.utils.counter", TRACE],
}


def run(argv):
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    if status:
        sys.exit("bench: %s failed" % " ".join(argv))
    return time.monotonic() - t0, ru.ru_maxrss / 1024.0, out


import json
_, _, out = run(tools["sockscope report"])
rep = json.loads(out)
events = rep["events_read"]
times = {k: [] for k in tools}
rss = {k: 0.0 for k in tools}
for i in range(RUNS):
    for name, argv in tools.items():
        t, m, _ = run(argv)
        times[name].append(t)
        rss[name] = max(rss[name], m)
print("trace: %s, %d events, %d lost, %d connections" % (TRACE, events, rep["lost_events"],
                                                        len(rep["connections"])))
for name in tools:
    med = statistics.median(times[name])
    print("%-20s median %6.2f s  %5.2f M events/s  max RSS %6.1f MB  (runs: %s)" % (
        name, med, events / med / 1e6, rss[name], " ".join("%.2f" % x for x in times[name])))
ratio = statistics.median(times["sockscope report"]) / statistics.median(times["babeltrace2 counter"])
print("report / counter time: %.2fx" % ratio)
PY
[ -n "$KEEP" ] || rm -rf "$(dirname "$TRACE")"
