# SPDX-License-Identifier: MIT
# Shared helpers for the shell tests: TAP output, temporary directories,
# a session daemon when none is reachable, and LTTng sessions of our own.
# Everything a test starts it stops by pid; everything it creates it removes.

SS_TOP=$(cd "$(dirname "$0")/.." && pwd)
SS_BUILD=${SS_BUILD:-$SS_TOP/build}
# Programs a test compiles against a sanitized library need the same
# sanitizers: $SS_SAN_CFLAGS.
SS_SAN_CFLAGS=${SS_SANITIZE:+-fsanitize=$SS_SANITIZE}
case "${SS_SANITIZE:-}" in
*address*)
	export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_abort=0}" ;;
esac
export SS_TOP SS_BUILD
ss_n=0
ss_failed=0
ss_sessiond_pid=
ss_sessions=
SS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sockscope-test.XXXXXX")

plan() { echo "1..$1"; }
ok() { ss_n=$((ss_n + 1)); echo "ok $ss_n - $*"; }
not_ok() {
	ss_n=$((ss_n + 1)); ss_failed=$((ss_failed + 1)); echo "not ok $ss_n - $*"
	diag "Failed test $ss_n - $*"
}
# To stderr, as Test::More's diag: prove shows it even when not verbose.
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
bail() { echo "Bail out! $*"; exit 1; }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "got:  '$1'" "want: '$2'"; fi
}

ss_cleanup() {
	for s in $ss_sessions; do lttng destroy "$s" >/dev/null 2>&1; done
	if [ -n "$ss_sessiond_pid" ]; then
		kill "$ss_sessiond_pid" 2>/dev/null
		i=0
		while kill -0 "$ss_sessiond_pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	fi
	rm -rf "$SS_TMP"
}
trap ss_cleanup EXIT
trap 'exit 130' INT TERM

# Start a session daemon of our own when none answers; stop it at exit.
need_sessiond() {
	lttng list >/dev/null 2>&1 && return 0
	lttng-sessiond --daemonize --pidfile="$SS_TMP/sessiond.pid" >/dev/null 2>&1 ||
		bail "cannot start lttng-sessiond"
	ss_sessiond_pid=$(cat "$SS_TMP/sessiond.pid")
	i=0
	until lttng list >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && bail "lttng-sessiond does not answer"
		sleep 0.1
	done
}

# session_start NAME DIR [EVENTS]: a session of our own writing to DIR.
session_start() {
	need_sessiond
	lttng create "$1" --output="$2" >/dev/null || bail "lttng create $1"
	ss_sessions="$ss_sessions $1"
	lttng enable-channel -u -s "$1" --subbuf-size=1M --num-subbuf=8 ch >/dev/null ||
		bail "lttng enable-channel"
	lttng enable-event -u -s "$1" -c ch "${3:-sockscope:*}" >/dev/null || bail "lttng enable-event"
	lttng add-context -u -s "$1" -c ch -t vpid -t vtid -t procname >/dev/null || bail "add-context"
	lttng start "$1" >/dev/null || bail "lttng start"
}

# session_stop NAME: flush and destroy.
session_stop() {
	lttng stop "$1" >/dev/null
	lttng destroy "$1" >/dev/null
	ss_sessions=$(echo "$ss_sessions" | sed "s/ $1\b//")
}

# A session name nobody else uses.
session_name() { echo "sstest-$1-$$"; }

finish() {
	[ "$ss_failed" -eq 0 ]
}
