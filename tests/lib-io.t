#!/bin/sh
# SPDX-License-Identifier: MIT
# libsockscope beyond plain calls: allocation on receive, sendall,
# makefile, non-blocking mode, timeouts, options, host:port helpers.
exec "${SS_BUILD:-$(dirname "$0")/../build}/tests/api/test-io"
