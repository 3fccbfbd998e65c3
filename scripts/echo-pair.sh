#!/bin/sh
# SPDX-License-Identifier: MIT
# The seed's echo example end to end, on the C examples of libsockscope:
# the server on PORT (default 50007; 0 picks a free one), one client
# sending "Hello, world", then a small load (4 clients x 50 messages of 512
# bytes).  Used by `make demo` under `sockscope record`.
# Usage: echo-pair.sh [BUILD_DIR [PORT]]
set -eu
build=${1:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sockscope-echo.XXXXXX")
server_pid=
cleanup() {
	[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=${2:-50007}
"$build/examples/echo-server" --host 127.0.0.1 --port "$port" --clients 5 >"$tmp/server.out" &
server_pid=$!
i=0
until grep -q '^listening on' "$tmp/server.out" 2>/dev/null; do
	kill -0 "$server_pid" 2>/dev/null || { echo "echo-pair: the server did not start" >&2; exit 1; }
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "echo-pair: the server does not listen" >&2; exit 1; }
	sleep 0.05
done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/server.out")
"$build/examples/echo-client" --port "$port"
"$build/examples/echo-client" --port "$port" --count 50 --size 512 --concurrency 4
wait "$server_pid"
server_pid=
cat "$tmp/server.out"
