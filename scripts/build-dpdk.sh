#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Configure (once) and build a DPDK tree with net_rtap grafted in. Called by
# the project's meson.build on every build, so an edit under drivers/net/rtap
# or app/test is rebuilt by ninja in the DPDK build directory, and by
# test-release.sh for any DPDK tree.
#
# usage: build-dpdk.sh [--no-graft] <dpdk-source> <build-dir> <stamp>
#                      [meson options...]
#   --no-graft  the tree has the driver already (upstream.sh's series)

set -e

graft=true
if [ "$1" = --no-graft ]; then
	graft=false
	shift
fi

src=$1
build=$2
stamp=$3
shift 3

here=$(cd "$(dirname "$0")" && pwd)
# DPDK's build scripts want Debian's python3 (with pyelftools).
PATH=/usr/bin:$PATH
export PATH

! $graft || "$here/graft.sh" "$src" >/dev/null

# Only what the project uses: the vdev bus, ring mempool, net_rtap and the
# drivers it is compared with or tested beside; the test and testpmd apps.
# Names a release does not have are ignored by its build.
drivers=bus/pci,bus/vdev,mempool/ring,net/rtap,net/tap,net/af_packet,net/null,net/ring
libs=acl,bbdev,bitratestats,bpf,cfgfile,compressdev,cryptodev,dispatcher
libs=$libs,distributor,dmadev,efd,eventdev,fib,flow_classify,gpudev,graph
libs=$libs,ip_frag,ipsec,jobstats,kni,latencystats,lpm,member,metrics,mldev
libs=$libs,node,pcapng,pdcp,pdump,pipeline,port,power,rawdev,regexdev,reorder
libs=$libs,rib,sched,security,stack,table,vhost

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
