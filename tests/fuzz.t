#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every libFuzzer target (ASan + UBSan) over its corpus in fuzz/corpus
# and then on new inputs for a bounded time (FUZZ_CHECK_SECONDS, default
# 10 s each); a crash, a leak or undefined behaviour fails.  New inputs go
# to a temporary directory, never into the repository.
. "$(dirname "$0")/lib/tap.sh"

# The targets are ASan+UBSan builds whatever SANITIZE is: the plain
# check's run is the one that counts, the sanitized check would repeat it.
[ -z "${SS_SANITIZE:-}" ] || skip_all "fuzzed by the plain make check (the targets are sanitized builds)"
secs=${FUZZ_CHECK_SECONDS:-10}
targets=$(ls "$SS_BUILD"/fuzz/fuzz-* 2>/dev/null)
[ -n "$targets" ] || skip_all "fuzz targets not built (needs clang; make fuzz-build)"
plan $(echo "$targets" | wc -l)
for f in $targets; do
	name=${f##*/fuzz-}
	mkdir -p "$SS_TMP/$name"
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$SS_TMP/$name-" "$SS_TMP/$name" \
		"$SS_TOP/fuzz/corpus/$name" >"$SS_TMP/$name.log" 2>&1; then
		ok "fuzz-$name: $(grep -o 'Done [0-9]* runs' "$SS_TMP/$name.log") without a finding"
	else
		not_ok "fuzz-$name"
		diag "$(tail -n 30 "$SS_TMP/$name.log")"
		# The input that found it, to add to fuzz/corpus/$name once fixed.
		for a in "$SS_TMP/$name"-*; do
			[ -f "$a" ] && diag "${a##*/} (base64): $(base64 -w0 "$a")"
		done
	fi
done
finish
