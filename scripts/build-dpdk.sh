#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Configure (once) and build a DPDK tree with net_rtap grafted in: meson.build
# on every build (ninja rebuilds an edit), test-release.sh and upstream.sh
# (--no-graft: the tree has the driver) for other trees.
# usage: build-dpdk.sh [--no-graft] <dpdk-source> <build-dir> <stamp> [meson options...]

set -e
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
[ "$1" = --no-graft ] && shift || "$root/scripts/graft.sh" "$1" >/dev/null
src=$1 build=$2 stamp=$3
shift 3

# Only what the project uses: the vdev bus, ring mempool, net_rtap and the
# drivers it is compared with or tested beside. A release ignores names it
# does not have.
drivers=bus/pci,bus/vdev,mempool/ring,net/rtap,net/tap,net/af_packet,net/null,net/ring
libs=acl,bbdev,bitratestats,bpf,cfgfile,compressdev,cryptodev,dispatcher,distributor,dmadev,efd
libs=$libs,eventdev,fib,flow_classify,gpudev,graph,ip_frag,ipsec,jobstats,kni,latencystats,lpm
libs=$libs,member,metrics,mldev,node,pcapng,pdcp,pdump,pipeline,port,power,rawdev,regexdev,reorder
libs=$libs,rib,sched,security,stack,table,vhost

# The options passed (build type, werror, sanitizers) are applied again
# whenever they change.
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" -Denable_drivers=$drivers -Ddisable_libs=$libs \
		-Denable_apps=test,test-pmd -Dtests=true -Denable_docs=false "$@"
elif [ "$(cat "$build/rtap-options" 2>/dev/null)" != "$*" ]; then
	meson configure "$build" "$@"
fi
echo "$*" >"$build/rtap-options"
ninja -C "$build"
touch "$stamp"
