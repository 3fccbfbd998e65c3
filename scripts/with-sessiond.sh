#!/bin/sh
# SPDX-License-Identifier: MIT
# Run a command with an LTTng session daemon to talk to: the user's when one
# answers, else one of its own for the command's time, stopped after by the
# pid it wrote, and waited for.
#
# `make check` runs the suite this way.  A test that finds no daemon starts
# one and stops it at its end (tests/lib/sstest.py); on a machine where none
# runs, that would be a daemon started and stopped per test, dozens in a
# row, each the next one's neighbour while it shuts down.  One daemon for
# the suite is what a machine that traces has.  The tests of record's own
# daemon handling make theirs in a private LTTNG_HOME, as another user, and
# do not see this one.
#
# Usage: scripts/with-sessiond.sh COMMAND [ARGS...]; exits with COMMAND's
# status (2 when no daemon can be started).
set -u

if lttng list >/dev/null 2>&1; then
	exec "$@"
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/sockscope-sessiond.XXXXXX") || exit 2
if ! lttng-sessiond --daemonize --quiet --pidfile="$dir/sessiond.pid"; then
	echo "with-sessiond: cannot start lttng-sessiond" >&2
	rm -rf "$dir"
	exit 2
fi
pid=$(cat "$dir/sessiond.pid")

stop() {
	kill -TERM "$pid" 2>/dev/null
	# Its consumer daemons leave with it; give it time on a busy machine.
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
		i=$((i + 1))
		if [ "$i" -ge 600 ]; then
			echo "with-sessiond: lttng-sessiond (pid $pid) did not stop" >&2
			break
		fi
		sleep 0.1
	done
	rm -rf "$dir"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

i=0
until lttng list >/dev/null 2>&1; do
	i=$((i + 1))
	if [ "$i" -ge 100 ]; then
		echo "with-sessiond: lttng-sessiond (pid $pid) does not answer" >&2
		stop
		exit 2
	fi
	sleep 0.1
done
"$@"
rc=$?
stop
exit $rc
