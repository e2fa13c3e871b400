#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Prepare a Debian 12 machine and build: the packages the build, tests and
# demo need, the pinned DPDK source, DPDK built with net_rtap grafted in (run
# again, only what changed). --fetch only fetches the DPDK source (for meson).
# --standalone builds librte_net_rtap.so alone against the installed DPDK
# (standalone/meson.build, default build directory build-standalone).
# usage: setup.sh [--fetch <destination-directory>]
#        setup.sh --standalone [<build-directory> [meson options...]]

set -eo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
me=setup

# fetch <dest>: Debian 12's dpdk source package (DPDK 22.11) from the archive
# apt uses for bookworm, through a private source list and list directory:
# the machine's apt configuration is left untouched.
fetch()
{
	local mirror
	[ ! -f "$1/VERSION" ] || [ ! -f "$1/meson.build" ] || return 0
	say "fetching the DPDK source into $1"
	mirror=${RTAP_DEBIAN_MIRROR:-$(apt-cache policy 2>/dev/null |
		awk '$3 == "bookworm/main" && $NF == "Packages" { print $2; exit }')}
	[ -n "$mirror" ] || fail "no apt source for Debian bookworm found: run apt-get update first, or set RTAP_DEBIAN_MIRROR"
	download_source dpdk "deb-src $mirror bookworm main"
	tar -xf "$(ls "$dl"/dpdk_*.orig.tar.* | head -n 1)" -C "$work/x"
	mkdir -p "$(dirname "$1")" && rm -rf "$1" && mv "$(ls -d "$work"/x/* | head -n 1)" "$1"
}
# download_source <package[=version]> <source list>: that source package in
# $work/dl ($dl), through a private source list and list directory: the
# machine's apt configuration is left untouched.
download_source()
{
	local aptopts
	work=$(mktemp -d) dl=$work/dl
	trap 'rm -rf "$work"' EXIT
	mkdir -p "$work/lists/partial" "$dl" "$work/x"
	echo "$2" >"$work/sources.list"
	aptopts="-q -o Dir::Etc::SourceList=$work/sources.list -o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists=$work/lists -o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	run "reading the source index" apt-get $aptopts update
	# shellcheck disable=SC2086
	(cd "$dl" && apt-get $aptopts source --download-only "$1") || fail "cannot download the source package $1"
}
# fetch_sdk <dest>: the source package of exactly the installed libdpdk-dev,
# from the archives apt installed it from, unpacked with the distribution's
# patches (dpkg-source): the driver SDK headers the package leaves out.
fetch_sdk()
{
	local ver list
	ver=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) || fail "libdpdk-dev is not installed"
	[ "$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$1/debian/changelog" 2>/dev/null)" != "$ver" ] || return 0
	say "fetching the source of the installed DPDK, dpdk $ver, into $1"
	list=$(apt-cache policy libdpdk-dev | awk -v v="$ver" '$1 == "***" || $2 ~ /^[0-9]+$/ && $1 !~ /^[0-9]+$/ {
		on = ($1 == "***" ? $2 : $1) == v; next } on && $2 ~ "://" { split($3, s, "/")
		print "deb-src", $2, s[1], s[2] }')
	[ -n "$list" ] || fail "no apt source holds libdpdk-dev $ver (apt-get update, then run again)"
	download_source "dpdk=$ver" "$list"
	run "unpacking the dpdk source package" dpkg-source -x "$(ls "$dl"/dpdk_*.dsc | head -n 1)" "$work/x/src"
	mkdir -p "$(dirname "$1")" && rm -rf "$1" && mv "$work/x/src" "$1"
}
# run <what> <command...>: its output only if it fails.
run() { local out; out=$("${@:2}" 2>&1) || { echo "$out" >&2; fail "$1 failed"; }; }

# need_packages <packages...>: those not installed yet, after apt-get update (run
# too when subprojects/dpdk is missing: fetch finds its archive in apt's lists).
need_packages()
{
	local p missing='' sudo=''
	for p; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	[ -n "$missing" ] || [ ! -f subprojects/dpdk/VERSION ] || return 0
	[ "$(id -u)" = 0 ] || { command -v sudo >/dev/null && sudo="sudo -n"; } ||
		fail "root (or sudo) is needed to install:$missing"
	say "apt-get update"
	run "apt-get update" $sudo apt-get -q update
	[ -n "$missing" ] || return 0
	say "installing$missing"
	# shellcheck disable=SC2086
	run "package installation" $sudo env DEBIAN_FRONTEND=noninteractive \
		apt-get -q -y --no-install-recommends install $missing
}
# standalone <build-dir> [meson options]: librte_net_rtap.so built against the
# installed DPDK (Debian's dpdk, libdpdk-dev; dpdk-dev has dpdk-testpmd), with
# the driver SDK headers of its source package in subprojects/dpdk-debian.
standalone()
{
	local dir=${1:-build-standalone}
	need_packages build-essential pkg-config meson ninja-build liburing-dev dpkg-dev xz-utils \
		dpdk libdpdk-dev dpdk-dev
	fetch_sdk subprojects/dpdk-debian
	[ -f "$dir/build.ninja" ] || run "meson setup" meson setup "$dir" standalone \
		-Ddpdk_sdk="$root/subprojects/dpdk-debian" -Dwerror="$werror" "${@:2}"
	ninja -C "$dir" >"$dir/standalone-build.log" 2>&1 ||
		{ cat "$dir/standalone-build.log" >&2; fail "building $dir failed"; }
	say "built $dir/librte_net_rtap.so for DPDK $(pkg-config --modversion libdpdk):" \
		"dpdk-testpmd -d $(cd "$dir" && pwd)/librte_net_rtap.so --vdev=net_rtap0 ..."
}

[ "${1:-}" != --fetch ] || { fetch "${2:?usage: setup.sh --fetch <destination-directory>}"; exit; }
cd "$root"
{ [ "${RTAP_WERROR:-0}" = 1 ] || [ "${CI:-}" = true ]; } && werror=true || werror=false
[ "${1:-}" != --standalone ] || { standalone "${@:2}"; exit; }
need_packages build-essential gcc pkg-config meson ninja-build python3 python3-pyelftools liburing-dev \
	libbsd-dev libnuma-dev libpcap-dev libelf-dev ccache dpkg-dev xz-utils iproute2 iperf3 procps \
	iputils-ping ethtool util-linux coreutils python3-sphinx python3-sphinx-rtd-theme \
	dpdk libdpdk-dev dpdk-dev openvswitch-switch-dpdk
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
