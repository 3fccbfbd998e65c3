#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: every benchmark side by side, interleaved; prints a markdown
# table and writes bench/results/latest.json.  BENCH_FLAGS passes options
# (e.g. BENCH_FLAGS=--quick).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh bench
# shellcheck disable=SC2086
exec /usr/bin/python3 bench/bench.py ${BENCH_FLAGS:-}
