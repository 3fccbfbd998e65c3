#!/bin/sh
# SPDX-License-Identifier: MIT
# libsockscope's module functions: socket, fromfd and the name service.
exec "$(dirname "$0")/../build/tests/api/test-module"
