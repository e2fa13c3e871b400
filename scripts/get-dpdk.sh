#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Fetch the pinned DPDK source (Debian 12's dpdk source package, DPDK 22.11)
# into an ignored folder. A private apt source list and list directory are
# used so the machine's apt configuration is left untouched.
#
# usage: get-dpdk.sh <destination-directory>

set -e

dest=${1:?usage: get-dpdk.sh <destination-directory>}
suite=${RTAP_DEBIAN_SUITE:-bookworm}
# The archive is the one this machine's apt already uses for the suite.
mirror=${RTAP_DEBIAN_MIRROR:-$(apt-cache policy 2>/dev/null |
	awk -v s="$suite/main" '$3 == s && $NF == "Packages" { print $2; exit }')}
if [ -z "$mirror" ]; then
	echo "no apt source for Debian $suite found: run apt-get update first," \
		"or set RTAP_DEBIAN_MIRROR" >&2
	exit 1
fi

if [ -f "$dest/VERSION" ] && [ -f "$dest/meson.build" ]; then
	echo "DPDK source already present in $dest ($(cat "$dest/VERSION"))"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

mkdir -p "$work/lists/partial" "$work/dl"
echo "deb-src $mirror $suite main" > "$work/sources.list"
aptopts="-o Dir::Etc::SourceList=$work/sources.list
	-o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists=$work/lists
	-o APT::Sandbox::User=root"

# shellcheck disable=SC2086
apt-get -q $aptopts update >"$work/update.log" 2>&1 || {
	cat "$work/update.log"
	echo "cannot read the $suite source index" >&2
	exit 1
}
# shellcheck disable=SC2086
(cd "$work/dl" && apt-get -q $aptopts source --download-only dpdk) || {
	echo "cannot download the dpdk source package" >&2
	exit 1
}

orig=$(ls "$work"/dl/dpdk_*.orig.tar.* | head -n 1)
mkdir -p "$work/x"
tar -xf "$orig" -C "$work/x"
top=$(ls -d "$work"/x/* | head -n 1)
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$top" "$dest"
echo "DPDK $(cat "$dest/VERSION") unpacked in $dest"
