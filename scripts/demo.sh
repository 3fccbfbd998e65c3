#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: record the echo server and client (scripts/echo-pair.sh)
# under sockscope, then print the report of the trace.
set -eu
cd "$(dirname "$0")/.."
build=${SS_BUILD:-build}
trace=$build/demo-trace
rm -rf "$trace"
# The seed's port, unless something listens there already (checked before
# recording, so the check is not part of the trace).
port=50007
if nc -z 127.0.0.1 "$port" 2>/dev/null; then
	echo "demo: port 50007 is taken, the server picks a free one"
	port=0
fi
echo "== sockscope record -o $trace -- sh scripts/echo-pair.sh $build $port"
"$build/sockscope" record -o "$trace" -- sh scripts/echo-pair.sh "$build" "$port"
echo
echo "== sockscope report $trace"
"$build/sockscope" report "$trace"
