#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Run one dpdk-test test: no PCI, a private file prefix, no hugepages; or with
# --huge (for a secondary process, which must map the primary's memory) 2 MB
# hugepages reserved for the run and given back after it.
# usage: run-autotest.sh [--huge] <dpdk-test> <test-name> [EAL arguments...]

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
mem="--no-huge -m 512" usage="usage: run-autotest.sh [--huge] <dpdk-test> <test-name>"
begin_run autotest
[ "$1" != --huge ] || { shift && need_huge "${2:-the test}" && mem=$huge_eal; }
bin=${1:?$usage} name=${2:?$usage}
shift 2
# shellcheck disable=SC2086 # mem is EAL words
DPDK_TEST=$name "$bin" $mem --no-pci -l 0-1 --file-prefix="$prefix" "$@"
