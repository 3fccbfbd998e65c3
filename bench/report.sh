#!/bin/sh
# SPDX-License-Identifier: MIT
# Speed of `sockscope report` against babeltrace2 (counter sink, text) on
# the same trace, side by side: the reading part of `make bench` alone.
#   bench/report.sh [EVENTS] [RUNS]     (defaults: 10000000 5)
set -eu
cd "$(dirname "$0")/.."
exec /usr/bin/python3 bench/bench.py --only report --trace-events "${1:-10000000}" \
	--rounds "${2:-5}" --out build/bench-report.json
