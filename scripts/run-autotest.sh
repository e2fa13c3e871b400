#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Run one dpdk-test command the way the project's tests need it: no PCI, a
# private file prefix, and no hugepages; or, with --huge (the multi-process
# test, whose secondary must map the primary's memory), 2 MB hugepages
# reserved for the run and given back after it.
#
# usage: run-autotest.sh [--huge] <dpdk-test> <test-name> [extra EAL arguments...]

huge=false
if [ "$1" = "--huge" ]; then
	huge=true
	shift
fi
bin=${1:?usage: run-autotest.sh [--huge] <dpdk-test> <test-name>}
name=${2:?usage: run-autotest.sh [--huge] <dpdk-test> <test-name>}
shift 2

prefix=rtap_$$
if $huge; then
	. "$(dirname "$0")/hugepages.sh"
	trap 'hugepages_restore "$prefix"' EXIT
	trap 'exit 1' INT TERM
	if ! hugepages_reserve 256; then
		echo "SKIP: $name needs 2 MB hugepages"
		exit 77
	fi
	# The secondary maps the primary's memory at the same addresses:
	# far above where either process's libraries and heap (or the
	# sanitizer's shadow) land, so that the range is free in both.
	mem="-m 256 --base-virtaddr=0x200000000000"
else
	mem="--no-huge -m 512"
fi
# shellcheck disable=SC2086 # mem is two words
DPDK_TEST=$name "$bin" $mem --no-pci -l 0-1 --file-prefix="$prefix" "$@"
rc=$?
# EAL leaves its runtime directory behind.
rm -rf "/var/run/dpdk/$prefix"
exit $rc
