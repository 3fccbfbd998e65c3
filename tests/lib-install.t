#!/bin/sh
# SPDX-License-Identifier: MIT
# libsockscope as a user gets it: `make install-lib` into a staging root,
# a program built through pkg-config against the shared library and against
# the static archive (which must trace too), the ABI (only ss_* exported,
# each declared in the header and documented in the man page), and the man
# page itself (lint-free, its example compiles).
. "$(dirname "$0")/lib/tap.sh"
plan 18

root=$SS_TMP/root
lib=$root/usr/lib
# A make of our own, not the jobserver of the `make check` that runs us.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$SS_TOP" \
	install-lib DESTDIR="$root" PREFIX=/usr >"$SS_TMP/install.log" 2>&1
check "make install-lib succeeds" [ $? -eq 0 ]
check "shared library installed under its soname" [ -x "$lib/libsockscope.so.0" ]
is "$(readlink "$lib/libsockscope.so")" "libsockscope.so.0" "libsockscope.so links to the soname"
check "archive, header, pkg-config file and man page installed" \
	[ -f "$lib/libsockscope.a" -a -f "$root/usr/include/sockscope.h" \
	-a -f "$lib/pkgconfig/sockscope.pc" -a -f "$root/usr/share/man/man3/sockscope.3" ]
is "$(readelf -d "$lib/libsockscope.so.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" \
	"libsockscope.so.0" "soname recorded in the library"

export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
is "$(pkg-config --cflags --libs sockscope | sed "s/ *$//")" "-I$root/usr/include -L$root/usr/lib -lsockscope" \
	"pkg-config: flags for the installed prefix"

cat >"$SS_TMP/user.c" <<'EOF'
#include <sockscope.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A server on a free port, a client, one message: what a user writes first. */
int main(void)
{
	struct ss_error err;
	struct ss_address a;
	char *data = NULL;
	struct ss_sock *l = ss_create_server("127.0.0.1:0", 1, &err), *c, *s;

	if (!l || ss_getsockname(l, &a, &err) < 0 ||
	    !(c = ss_create_connection(a.text, SS_BLOCKING, &err)) ||
	    !(s = ss_accept(l, NULL, &err)) || ss_sendall(c, "user", 4, 0, &err) < 0 ||
	    ss_recv(s, 4, MSG_WAITALL, &data, &err) != 4) {
		fprintf(stderr, "user: %s\n", err.msg);
		return 1;
	}
	printf("got %s\n", data);
	free(data);
	ss_close(c, NULL);
	ss_close(s, NULL);
	ss_close(l, NULL);
	return 0;
}
EOF
# shellcheck disable=SC2046
cc -Wall -Werror $SS_SAN_CFLAGS -o "$SS_TMP/user-shared" "$SS_TMP/user.c" $(pkg-config --cflags --libs sockscope)
check "a program builds against the installed library" [ $? -eq 0 ]
# A hang is a failure, not a stall of the whole suite.
run() { timeout -s KILL 60 env "$@"; }
is "$(run LD_LIBRARY_PATH="$lib" SOCKSCOPE_PROBES=off "$SS_TMP/user-shared")" "got user" \
	"... and runs with it"
# shellcheck disable=SC2046
cc -Wall -Werror $SS_SAN_CFLAGS -o "$SS_TMP/user-static" "$SS_TMP/user.c" $(pkg-config --cflags sockscope) \
	"$lib/libsockscope.a" $(pkg-config --static --libs-only-l sockscope | sed 's/-lsockscope//')
check "a program builds against the static archive" [ $? -eq 0 ]
check "... which does not need libsockscope.so" sh -c "! ldd '$SS_TMP/user-static' | grep -q libsockscope"

# The static program traces too: it finds the probes by name.
sname=$(session_name install)
session_start "$sname" "$SS_TMP/trace" "sockscope_api:*"
tag=$((4000000 + $$))
out=$(run SOCKSCOPE_REC=$tag LD_LIBRARY_PATH="$SS_BUILD" "$SS_TMP/user-static")
session_stop "$sname"
is "$out" "got user" "the static program runs with its probes loaded"
events=$(babeltrace2 "$SS_TMP/trace" 2>/dev/null | grep "rec = $tag")
is "$(echo "$events" | sed -n 's/.*sockscope_api:\([a-z_]*\):.*/\1/p' | tr '\n' ' ')" \
	"create_server getsockname create_connection accept sendall recv close close close " \
	"its sockscope_api events, in order"

exported=$(nm -D --defined-only "$SS_BUILD/libsockscope.so" | awk '{print $3}' | sort)
is "$(echo "$exported" | grep -cv '^ss_')" "0" "only ss_* names are exported"
is "$(echo "$exported" | wc -l)" "31" "31 functions exported"
undeclared= undocumented=
for f in $exported; do
	grep -q "[ *]$f(" "$SS_TOP/include/sockscope.h" || undeclared="$undeclared $f"
	grep -Eq "^\.BR(.* | )$f (\(\)|\"\(\))" "$SS_TOP/man/sockscope.3" ||
		undocumented="$undocumented $f"
done
is "$undeclared" "" "every exported function is declared in sockscope.h"
is "$undocumented" "" "every exported function has its entry in sockscope(3)"

is "$(groff -man -ww -z "$SS_TOP/man/sockscope.3" 2>&1)" "" "the man page has no groff warnings"
# The EXAMPLES program of the man page, unescaped, must compile.
sed -n '/^\.SH EXAMPLES/,/^\.EE/p' "$SS_TOP/man/sockscope.3" | sed '1,/^\.EX/d; /^\.EE/d' |
	sed 's/\\e/\\/g; s/\\-/-/g' >"$SS_TMP/example.c"
# shellcheck disable=SC2046
cc -Wall -Werror $SS_SAN_CFLAGS -o "$SS_TMP/example" "$SS_TMP/example.c" $(pkg-config --cflags --libs sockscope)
check "the man page's example compiles" [ $? -eq 0 ]
finish
