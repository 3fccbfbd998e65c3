#!/bin/sh
# SPDX-License-Identifier: MIT
# libsockscope stream sockets in AF_INET, AF_INET6 and AF_UNIX, and the
# failure path of each method.
exec "${SS_BUILD:-$(dirname "$0")/../build}/tests/api/test-stream"
