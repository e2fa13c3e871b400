#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Prepare a Debian 12 machine and build: install the packages the build, the
# tests and the demo need, fetch the pinned DPDK source (get-dpdk.sh),
# configure the build directory and build DPDK with net_rtap grafted in.
# Run again, it rebuilds only what changed. RTAP_BUILD_DIR, RTAP_SANITIZE and
# RTAP_WERROR (or CI=true) as for test.sh.
#
# usage: setup.sh

set -eo pipefail

# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$root"
me=setup
build=$(build_dir)
werror=false
[ "${RTAP_WERROR:-0}" != 1 ] && [ "${CI:-}" != true ] || werror=true

# run <what> <command...>: its output only if it fails.
run() { local out; out=$("${@:2}" 2>&1) || { echo "$out" >&2; echo "setup: $1 failed" >&2; exit 1; }; }

packages="build-essential gcc pkg-config meson ninja-build python3
	python3-pyelftools liburing-dev libbsd-dev libnuma-dev libpcap-dev
	libelf-dev ccache dpkg-dev xz-utils iproute2 iperf3 procps iputils-ping
	ethtool util-linux coreutils python3-sphinx python3-sphinx-rtd-theme"
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ] || [ ! -f subprojects/dpdk/VERSION ]; then
	sudo=
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null ||
			{ echo "setup: root (or sudo) is needed to install:$missing" >&2; exit 1; }
		sudo="sudo -n"
	fi
	say "apt-get update"
	run "apt-get update" $sudo apt-get -q update
	if [ -n "$missing" ]; then
		say "installing$missing"
		# shellcheck disable=SC2086
		run "package installation" $sudo env DEBIAN_FRONTEND=noninteractive \
			apt-get -q -y --no-install-recommends install $missing
	fi
fi
say "packages present"
[ -f subprojects/dpdk/VERSION ] || { say "fetching the DPDK source into subprojects/dpdk"; scripts/get-dpdk.sh subprojects/dpdk; }
say "DPDK $(cat subprojects/dpdk/VERSION) source in subprojects/dpdk"

if [ ! -f "$build/build.ninja" ]; then
	opts="-Dwerror=$werror"
	[ "${RTAP_SANITIZE:-0}" != 1 ] || opts="$opts -Db_sanitize=address,undefined"
	say "meson setup $build $opts"
	# shellcheck disable=SC2086
	run "meson setup" meson setup "$build" $opts
elif $werror; then
	# An existing build gets -Dwerror=true too, and so does the nested
	# DPDK build, which is configured only once.
	for d in "$build" "$build/dpdk"; do
		[ -f "$d/build.ninja" ] || continue
		meson introspect "$d" --buildoptions | grep -q '"name": "werror", "value": true' ||
			{ say "meson configure $d -Dwerror=true"; meson configure "$d" -Dwerror=true >/dev/null; }
	done
fi

# One in 200 of ninja's progress lines is kept, as a sign of life; every
# other line, warnings and errors included, is shown.
say "building in $build (DPDK takes a few minutes the first time)"
flock /tmp/rtap-build.lock ninja -C "$build" 2>&1 |
	awk '/^\[[0-9]+\/[0-9]+\] / { if (++n % 200) next } { print; fflush() }' ||
	{ echo "setup: build failed" >&2; exit 1; }
for b in "$build/dpdk/app/dpdk-testpmd" "$build/dpdk/app/test/dpdk-test"; do
	[ -x "$b" ] || { echo "setup: $b was not built" >&2; exit 1; }
done
say "built $build/dpdk/app/dpdk-testpmd and $build/dpdk/app/test/dpdk-test"
