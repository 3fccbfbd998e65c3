#!/bin/sh
# SPDX-License-Identifier: MIT
# libsockscope's module functions: socket, fromfd and the name service.
exec "${SS_BUILD:-$(dirname "$0")/../build}/tests/api/test-module"
