#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Run one dpdk-test test: no PCI, a private file prefix, no hugepages; or with
# --huge (for a secondary process, which must map the primary's memory) 2 MB
# hugepages reserved for the run and given back after it.
#
# usage: run-autotest.sh [--huge] <dpdk-test> <test-name> [EAL arguments...]

usage="usage: run-autotest.sh [--huge] <dpdk-test> <test-name>"
mem="--no-huge -m 512"
prefix=rtap_$$
if [ "$1" = --huge ]; then
	shift
	. "$(dirname "$0")/hugepages.sh"
	trap 'hugepages_restore "$prefix"' EXIT
	trap 'exit 1' INT TERM
	hugepages_reserve 256 || { echo "SKIP: ${2:-the test} needs 2 MB hugepages"; exit 77; }
	# The secondary maps the primary's memory at the same addresses: far
	# above where either's libraries and heap (or a sanitizer's shadow) land.
	mem="-m 256 --base-virtaddr=0x200000000000"
fi
bin=${1:?$usage}
name=${2:?$usage}
shift 2
# shellcheck disable=SC2086 # mem is EAL words
DPDK_TEST=$name "$bin" $mem --no-pci -l 0-1 --file-prefix="$prefix" "$@"
rc=$?
# EAL leaves its runtime directory behind.
rm -rf "/var/run/dpdk/$prefix"
exit $rc
