#!/bin/sh
# SPDX-License-Identifier: MIT
# libsockscope datagram sockets: sendto and recvfrom in AF_INET, AF_INET6
# and AF_UNIX.
exec "${SS_BUILD:-$(dirname "$0")/../build}/tests/api/test-dgram"
