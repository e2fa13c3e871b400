#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Prepare a Debian 12 machine and build: the packages the build, tests and
# demo need, the pinned DPDK source, DPDK built with net_rtap grafted in (run
# again, only what changed). --fetch only fetches the DPDK source (for meson).
# usage: setup.sh [--fetch <destination-directory>]

set -eo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
me=setup

# fetch <dest>: Debian 12's dpdk source package (DPDK 22.11) from the archive
# apt uses for bookworm, through a private source list and list directory:
# the machine's apt configuration is left untouched.
fetch()
{
	local mirror dl aptopts
	[ ! -f "$1/VERSION" ] || [ ! -f "$1/meson.build" ] || return 0
	say "fetching the DPDK source into $1"
	mirror=${RTAP_DEBIAN_MIRROR:-$(apt-cache policy 2>/dev/null |
		awk '$3 == "bookworm/main" && $NF == "Packages" { print $2; exit }')}
	[ -n "$mirror" ] || fail "no apt source for Debian bookworm found: run apt-get update first, or set RTAP_DEBIAN_MIRROR"
	work=$(mktemp -d) dl=$work/dl
	trap 'rm -rf "$work"' EXIT
	mkdir -p "$work/lists/partial" "$dl" "$work/x"
	echo "deb-src $mirror bookworm main" >"$work/sources.list"
	aptopts="-q -o Dir::Etc::SourceList=$work/sources.list -o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists=$work/lists -o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	run "reading the bookworm source index" apt-get $aptopts update
	# shellcheck disable=SC2086
	(cd "$dl" && apt-get $aptopts source --download-only dpdk) || fail "cannot download the dpdk source package"
	tar -xf "$(ls "$dl"/dpdk_*.orig.tar.* | head -n 1)" -C "$work/x"
	mkdir -p "$(dirname "$1")" && rm -rf "$1" && mv "$(ls -d "$work"/x/* | head -n 1)" "$1"
}
# run <what> <command...>: its output only if it fails.
run() { local out; out=$("${@:2}" 2>&1) || { echo "$out" >&2; fail "$1 failed"; }; }

[ "${1:-}" != --fetch ] || { fetch "${2:?usage: setup.sh --fetch <destination-directory>}"; exit; }
cd "$root"
{ [ "${RTAP_WERROR:-0}" = 1 ] || [ "${CI:-}" = true ]; } && werror=true || werror=false
missing=
for p in build-essential gcc pkg-config meson ninja-build python3 python3-pyelftools liburing-dev \
	libbsd-dev libnuma-dev libpcap-dev libelf-dev ccache dpkg-dev xz-utils iproute2 iperf3 procps \
	iputils-ping ethtool util-linux coreutils python3-sphinx python3-sphinx-rtd-theme; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] || [ ! -f subprojects/dpdk/VERSION ]; then
	sudo=
	[ "$(id -u)" = 0 ] || { command -v sudo >/dev/null && sudo="sudo -n"; } ||
		fail "root (or sudo) is needed to install:$missing"
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
fetch subprojects/dpdk
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
	awk '/^\[[0-9]+\/[0-9]+\] / { if (++n % 200) next } { print; fflush() }' || fail "build failed"
for b in "$testpmd" "$dpdk_test"; do [ -x "$b" ] || fail "$b was not built"; done
say "built $testpmd and $dpdk_test"
