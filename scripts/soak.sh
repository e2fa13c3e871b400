#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# The soak test: set-up and build (setup.sh), then rtap_soak_autotest for
# <seconds> (default 600), which ends with its reconciliation table.
# RTAP_SANITIZE and RTAP_BUILD_DIR as for test.sh; the test reads
# RTAP_SOAK_SEED (repeat a run) and RTAP_SOAK_HOT_STOP=1.
#
# usage: soak.sh [seconds]

set -u

# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$root" || exit 1
export RTAP_SOAK_SECONDS=${1:-600}
case $RTAP_SOAK_SECONDS in
'' | *[!0-9]*) echo "usage: soak.sh [seconds]" >&2; exit 2 ;;
esac
sanitizer_env
bash scripts/setup.sh || exit 1
# The test bounds each of its waits; this bounds the whole run.
timeout -k 10 $((RTAP_SOAK_SECONDS + 300)) sh scripts/run-autotest.sh \
	"$(build_dir)/dpdk/app/test/dpdk-test" rtap_soak_autotest
