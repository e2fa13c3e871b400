#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# The soak test: rtap_soak_autotest for <seconds> (default 600) of traffic
# both ways with random frame sizes, the queue count changed every tenth of
# the run and the link flapped; it ends with a table in which every frame
# sent is received intact or in a drop counter. Builds first
# (scripts/setup.sh), like test.sh.
#
# usage: soak.sh [seconds]
#
# Environment:
#   RTAP_SANITIZE=1       build and run in build-asan
#   RTAP_BUILD_DIR        build directory (default: build or build-asan)
#   RTAP_SOAK_SEED        repeat a run's random choices (it prints its seed)
#   RTAP_SOAK_HOT_STOP=1  change the queue count under traffic, undrained

set -u

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
# shellcheck source=scripts/common.sh
. scripts/common.sh

secs=${1:-600}
case $secs in
''|*[!0-9]*)
	echo "usage: soak.sh [seconds]" >&2
	exit 2
	;;
esac

build=$(build_dir)
if [ "${RTAP_SANITIZE:-0}" = 1 ]; then
	# As in test.sh: gcc 12's ASan trips over its own sigaltstack.
	ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_summary=1}
	export ASAN_OPTIONS=$ASAN_OPTIONS:use_sigaltstack=0
fi

bash scripts/setup.sh || exit 1

# The test bounds each of its waits; this bounds the whole run.
export RTAP_SOAK_SECONDS=$secs
timeout -k 10 $((secs + 300)) sh scripts/run-autotest.sh \
	"$build/dpdk/app/test/dpdk-test" rtap_soak_autotest
