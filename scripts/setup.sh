#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Prepare a Debian 12 machine and build: install the packages the build, the
# tests (sphinx too, for the documentation check) and the demo need, fetch
# the pinned DPDK source, configure the build directory and build DPDK with
# net_rtap grafted in. Running it again only rebuilds what changed.
#
# usage: setup.sh
#
# Environment:
#   RTAP_BUILD_DIR    build directory (default: build, build-asan with
#                     RTAP_SANITIZE=1)
#   RTAP_SANITIZE=1   configure with -Db_sanitize=address,undefined
#   RTAP_WERROR=1     configure with -Dwerror=true (the default when CI=true)
#   RTAP_NO_APT=1     do not install packages

set -eo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=scripts/common.sh
. scripts/common.sh

# DPDK's build scripts want Debian's python3 with pyelftools.
PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH
export PATH

build=$(build_dir)
werror=false
if [ "${RTAP_WERROR:-0}" = 1 ] || [ "${CI:-}" = true ]; then
	werror=true
fi
lock=/tmp/rtap-build.lock

say()
{
	echo "setup: $*"
}

# --- packages ---------------------------------------------------------------

packages="build-essential gcc pkg-config meson ninja-build python3
	python3-pyelftools liburing-dev libbsd-dev libnuma-dev libpcap-dev
	libelf-dev ccache dpkg-dev xz-utils iproute2 iperf3 procps iputils-ping
	ethtool util-linux coreutils python3-sphinx python3-sphinx-rtd-theme"

missing=
for p in $packages; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

need_source=false
[ -f subprojects/dpdk/VERSION ] || need_source=true

if [ "${RTAP_NO_APT:-0}" != 1 ] && { [ -n "$missing" ] || $need_source; }; then
	sudo=
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null || {
			echo "setup: root (or sudo) is needed to install:$missing" >&2
			exit 1
		}
		sudo="sudo -n"
	fi
	aptlog=$(mktemp)
	trap 'rm -f "$aptlog"' EXIT
	say "apt-get update"
	$sudo apt-get -q update >"$aptlog" 2>&1 || {
		cat "$aptlog" >&2
		echo "setup: apt-get update failed" >&2
		exit 1
	}
	if [ -n "$missing" ]; then
		say "installing$missing"
		# shellcheck disable=SC2086
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
			--no-install-recommends install $missing \
			>"$aptlog" 2>&1 || {
			cat "$aptlog" >&2
			echo "setup: package installation failed" >&2
			exit 1
		}
	fi
elif [ -n "$missing" ]; then
	echo "setup: missing packages:$missing" >&2
	exit 1
fi
say "packages present"

# --- DPDK source --------------------------------------------------------------

if $need_source; then
	say "fetching the DPDK source into subprojects/dpdk"
	scripts/get-dpdk.sh subprojects/dpdk
fi
say "DPDK $(cat subprojects/dpdk/VERSION) source in subprojects/dpdk"

# --- configure ----------------------------------------------------------------

# Current value of a meson option in a configured build directory.
option_value()
{
	meson introspect "$1" --buildoptions 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys
for o in json.load(sys.stdin):
	if o["name"] == sys.argv[1]:
		print(str(o["value"]).lower())' "$2"
}

if [ ! -f "$build/build.ninja" ]; then
	opts="-Dwerror=$werror"
	if [ "${RTAP_SANITIZE:-0}" = 1 ]; then
		opts="$opts -Db_sanitize=address,undefined"
	fi
	say "meson setup $build $opts"
	setuplog=$(mktemp)
	# shellcheck disable=SC2086
	meson setup "$build" $opts >"$setuplog" 2>&1 || {
		cat "$setuplog" >&2
		rm -f "$setuplog"
		echo "setup: meson setup failed" >&2
		exit 1
	}
	rm -f "$setuplog"
elif $werror; then
	# An existing build directory gets -Dwerror=true too (also the
	# nested DPDK build, which is configured only once).
	for d in "$build" "$build/dpdk"; do
		[ -f "$d/build.ninja" ] || continue
		if [ "$(option_value "$d" werror)" != true ]; then
			say "meson configure $d -Dwerror=true"
			meson configure "$d" -Dwerror=true >/dev/null
		fi
	done
fi

# --- build ----------------------------------------------------------------------

# Ninja's progress lines are thinned out (one in 200 is kept as a sign of
# life); every other line, warnings and errors included, is shown.
say "building in $build (DPDK takes a few minutes the first time)"
flock "$lock" ninja -C "$build" 2>&1 |
	awk '/^\[[0-9]+\/[0-9]+\] / { if (++n % 200) next } { print; fflush() }' || {
	echo "setup: build failed" >&2
	exit 1
}
for b in "$build/dpdk/app/dpdk-testpmd" "$build/dpdk/app/test/dpdk-test"; do
	[ -x "$b" ] || { echo "setup: $b was not built" >&2; exit 1; }
done
say "built $build/dpdk/app/dpdk-testpmd and $build/dpdk/app/test/dpdk-test"
