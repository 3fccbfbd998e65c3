#!/bin/sh
# SPDX-License-Identifier: MIT
# --help of sockscope and of each command shows usage and examples, bad
# options are refused with status 2, and the man page sockscope(1) has
# examples and renders without warnings.
. "$(dirname "$0")/lib/tap.sh"
S=$SS_BUILD/sockscope
MAN=$SS_TOP/man/sockscope.1
plan 11
for c in "" record report relay; do
	out=$($S $c --help)
	rc=$?
	case $out in
	*Usage:*Examples:*) ok "sockscope $c --help: usage and examples (status $rc)" ;;
	*) not_ok "sockscope $c --help: usage and examples" ;;
	esac
done
$S report --bogus >/dev/null 2>&1; is $? 2 "report: an unknown option is status 2"
$S record >/dev/null 2>&1; is $? 2 "record: no command is status 2"
$S frobnicate >/dev/null 2>&1; is $? 2 "an unknown command is status 2"
$S report --format yaml x >/dev/null 2>&1; is $? 2 "report: an unknown format is status 2"
check "the man page exists" test -s "$MAN"
warn=$(groff -ww -z -man "$MAN" 2>&1)
is "$warn" "" "the man page renders without warnings"
case $(MANWIDTH=80 man -l "$MAN" 2>/dev/null || groff -man -Tutf8 "$MAN") in
*EXAMPLES*sockscope\ record*sockscope\ report*) ok "the man page has examples of record and report" ;;
*) not_ok "the man page has examples of record and report" ;;
esac
finish
