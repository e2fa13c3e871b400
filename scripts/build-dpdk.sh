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
# drivers it is compared with or tested beside; the libraries of testpmd,
# dpdk-test, l3fwd and l3fwd-power (acl, fib, lpm, metrics, power, rib, and
# eventdev with cryptodev and dmadev: without it 23.11's l3fwd does not build
# warning-free with clang). A release ignores names it does not have.
drivers=bus/pci,bus/vdev,mempool/ring,net/rtap,net/tap,net/af_packet,net/null,net/ring
libs=bbdev,bitratestats,bpf,cfgfile,compressdev,dispatcher,distributor,efd
libs=$libs,flow_classify,gpudev,graph,ip_frag,ipsec,jobstats,kni,latencystats,member
libs=$libs,mldev,node,pcapng,pdcp,pdump,pipeline,port,rawdev,regexdev,reorder,sched,security
libs=$libs,stack,table,vhost
opts=(-Denable_drivers=$drivers -Ddisable_libs=$libs -Denable_apps=test,test-pmd
	-Dexamples=l3fwd,l3fwd-power -Dtests=true -Denable_docs=false "$@")

# The options (these, and those passed: build type, werror, sanitizers) are
# applied again whenever they change.
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$src" "${opts[@]}"
elif [ "$(cat "$build/rtap-options" 2>/dev/null)" != "${opts[*]}" ]; then
	meson configure "$build" "${opts[@]}"
fi
echo "${opts[*]}" >"$build/rtap-options"
ninja -C "$build"
touch "$stamp"
