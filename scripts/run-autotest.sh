#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Run one dpdk-test command the way the project's tests need it: no
# hugepages, no PCI, a private file prefix.
#
# usage: run-autotest.sh <dpdk-test> <test-name> [extra EAL arguments...]

bin=${1:?usage: run-autotest.sh <dpdk-test> <test-name>}
name=${2:?usage: run-autotest.sh <dpdk-test> <test-name>}
shift 2

prefix=rtap_$$
DPDK_TEST=$name "$bin" --no-huge -m 512 --no-pci -l 0-1 \
	--file-prefix="$prefix" "$@"
rc=$?
# EAL leaves its runtime directory behind.
rm -rf "/var/run/dpdk/$prefix"
exit $rc
