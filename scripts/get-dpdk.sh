#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Fetch the pinned DPDK source, Debian 12's dpdk source package (DPDK 22.11),
# with apt through a private source list and list directory, so that the
# machine's apt configuration is left untouched.
#
# usage: get-dpdk.sh <destination-directory>

set -e

dest=${1:?usage: get-dpdk.sh <destination-directory>}
if [ -f "$dest/VERSION" ] && [ -f "$dest/meson.build" ]; then
	echo "DPDK source already present in $dest ($(cat "$dest/VERSION"))"
	exit 0
fi
# The archive is the one this machine's apt already uses for bookworm.
mirror=${RTAP_DEBIAN_MIRROR:-$(apt-cache policy 2>/dev/null |
	awk '$3 == "bookworm/main" && $NF == "Packages" { print $2; exit }')}
[ -n "$mirror" ] || { echo "no apt source for Debian bookworm found:" \
	"run apt-get update first, or set RTAP_DEBIAN_MIRROR" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/lists/partial" "$work/dl" "$work/x"
echo "deb-src $mirror bookworm main" >"$work/sources.list"
aptopts="-q -o Dir::Etc::SourceList=$work/sources.list
	-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$work/lists
	-o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get $aptopts update >"$work/update.log" 2>&1 ||
	{ cat "$work/update.log"; echo "cannot read the bookworm source index" >&2; exit 1; }
# shellcheck disable=SC2086
(cd "$work/dl" && apt-get $aptopts source --download-only dpdk) ||
	{ echo "cannot download the dpdk source package" >&2; exit 1; }
tar -xf "$(ls "$work"/dl/dpdk_*.orig.tar.* | head -n 1)" -C "$work/x"
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$(ls -d "$work"/x/* | head -n 1)" "$dest"
echo "DPDK $(cat "$dest/VERSION") unpacked in $dest"
