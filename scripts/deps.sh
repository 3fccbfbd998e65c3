#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages sockscope builds and tests with, when missing.
# Runs apt-get only if something is absent, so `make check` stays quick.
set -eu
PKGS="gcc make libc6-dev pkg-config perl python3 strace \
liblttng-ust-dev liblttng-ctl-dev lttng-tools libbabeltrace2-dev babeltrace2 python3-bt2 \
clang libclang-rt-14-dev valgrind groff-base \
socat curl netcat-openbsd redis-server redis-tools nginx-light \
openssh-server openssh-client dnsmasq-base bind9-dnsutils libuv1-dev libseccomp-dev \
libncurses-dev tmux iproute2 util-linux chromium tshark"
# `deps.sh bench` adds what only the benchmarks run.
[ "${1:-}" = bench ] && PKGS="$PKGS ltrace wrk time"
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
# Servers we test against (redis, nginx) must not start as system services
# when installed: tests start their own on free ports.
policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	policy=/usr/sbin/policy-rc.d
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
fi
trap '[ -z "$policy" ] || rm -f "$policy"' EXIT
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
