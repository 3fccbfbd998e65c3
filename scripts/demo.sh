#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: record the echo server and client (scripts/echo-pair.sh)
# under sockscope, then print the report of the trace.
set -eu
cd "$(dirname "$0")/.."
build=${SS_BUILD:-build}
trace=$build/demo-trace
rm -rf "$trace"
echo "== sockscope record -o $trace -- sh scripts/echo-pair.sh"
"$build/sockscope" record -o "$trace" -- sh scripts/echo-pair.sh "$build"
echo
echo "== sockscope report $trace"
"$build/sockscope" report "$trace"
