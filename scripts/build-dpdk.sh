#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Configure (once) and build a DPDK tree with net_rtap grafted in. Called by
# the project's meson.build on every build, so an edit under drivers/net/rtap
# or app/test is rebuilt by ninja in the DPDK build directory.
#
# usage: build-dpdk.sh <dpdk-source> <build-dir> <stamp> [meson options...]

set -e

src=$1
build=$2
stamp=$3
shift 3

here=$(cd "$(dirname "$0")" && pwd)
# DPDK's build scripts want Debian's python3 (with pyelftools).
PATH=/usr/bin:$PATH
export PATH

"$here/graft.sh" "$src" >/dev/null

# Only what the project uses: the vdev bus, ring mempool, net_rtap and the
# drivers it is compared with or tested beside; the test and testpmd apps.
drivers=bus/pci,bus/vdev,mempool/ring,net/rtap,net/tap,net/af_packet,net/null,net/ring
libs=bitratestats,cfgfile,flow_classify,gpudev,kni,jobstats,latencystats
libs=$libs,metrics,node,pdump,pipeline,port,power,table,vhost

# The options this project passes (build type, werror, sanitizers) are
# applied again whenever they change.
opts="$*"
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" \
		-Denable_drivers=$drivers \
		-Ddisable_libs=$libs \
		-Denable_apps=test,test-pmd \
		-Dtests=true \
		-Denable_docs=false \
		"$@"
	echo "$opts" > "$build/rtap-options"
elif [ "$(cat "$build/rtap-options" 2>/dev/null)" != "$opts" ]; then
	meson configure "$build" "$@"
	echo "$opts" > "$build/rtap-options"
fi
ninja -C "$build"
touch "$stamp"
