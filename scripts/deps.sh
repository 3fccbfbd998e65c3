#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages sockscope builds and tests with, when missing.
# Runs apt-get only if something is absent, so `make check` stays quick.
set -eu
PKGS="gcc make libc6-dev pkg-config perl python3 strace \
liblttng-ust-dev liblttng-ctl-dev lttng-tools libbabeltrace2-dev babeltrace2 python3-bt2 \
groff-base"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "sockscope: missing packages:$missing (run 'make deps' as root)" >&2
	exit 1
fi
echo "sockscope: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
