#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Set up and build (setup.sh), run every test with meson and print last
# "rtap: N passed, N failed, N skipped", each dpdk-test case and each other
# test counting one; non-zero when anything failed or nothing passed. The
# README has the variables. --soak: rtap_soak_autotest alone (default 600 s).
# usage: test.sh [extra meson test arguments, e.g. a test name] | --soak [seconds]

set -u
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$root" || exit 1
export RTAP_BUILD_DIR=$build
sanitizer_env
if [ "${1:-}" = --soak ]; then
	export RTAP_SOAK_SECONDS=${2:-600}
	case $RTAP_SOAK_SECONDS in '' | *[!0-9]*) echo "usage: test.sh --soak [seconds]" >&2; exit 2 ;; esac
	bash scripts/setup.sh || exit 1
	# The test bounds each of its waits; this bounds the whole run.
	exec timeout -k 10 $((RTAP_SOAK_SECONDS + 300)) bash scripts/run-autotest.sh \
		"$dpdk_test" rtap_soak_autotest
fi
# summary <passed> <failed> <skipped>: the last line, and the exit status.
summary() { echo "rtap: $1 passed, $2 failed, $3 skipped"; [ "$2" = 0 ] && [ "$1" -gt 0 ]; exit; }

bash scripts/setup.sh || { echo "test: set-up or build failed, no test was run" >&2; summary 0 0 0; }
log=$build/meson-logs/testlog.txt && rm -f "$log"
meson test -C "$build" --no-rebuild --print-errorlogs -v "$@"; rc=$?
[ -f "$log" ] || { echo "test: meson test wrote no log ($log)" >&2; summary 0 0 0; }

# testlog.txt holds one block per test: a "==== i/n ====" header, "test:" and
# "result:" lines, then the test's output. dpdk-test's runner ends a suite
# with " + Tests Total/Skipped/Unsupported/Passed/Failed :" lines; nested
# suites print their own summary first, so the last one of a block counts.
# shellcheck disable=SC2046
set -- $(awk '
function flush() {
	# A crash or a sanitizer report after the summary still fails.
	if (name != "" && have)
		{ p += tp; s += ts; f += tf + (st != 0 && st != 77 && tf == 0) }
	else if (name != "")
		{ p += st == 0; s += st == 77; f += st != 0 && st != 77 }
	name = ""
}
/^=+ [0-9]+\/[0-9]+ =+$/ { flush(); have = 0; next }
/^test: / && name == "" { name = $2; st = -1; next }
/^result: / && st == -1 { st = $0 ~ /exit status [0-9]+$/ ? $NF + 0 : -2; next }
/^ \+ Tests Total :/ { have = 1; tp = tf = ts = 0; next }
/^ \+ Tests (Skipped|Unsupported) *:/ { ts += $NF; next }
/^ \+ Tests Passed :/ { tp = $NF; next }
/^ \+ Tests Failed :/ { tf = $NF; next }
END { flush(); printf "%d %d %d\n", p, f, s }
' "$log")
failed=$2
[ "$rc" = 0 ] || [ "$failed" != 0 ] || { echo "test: meson test exited with status $rc" >&2; failed=1; }
[ "$1" != 0 ] || echo "test: no test passed (nothing ran)" >&2
summary "$1" "$failed" "$3"
