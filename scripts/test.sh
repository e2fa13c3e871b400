#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Set up and build (setup.sh), run every test with meson and print last
#   rtap: N passed, N failed, N skipped
# counting each dpdk-test unit test case and each other test as one; exits
# non-zero when anything failed or nothing passed. RTAP_SANITIZE=1 tests in
# build-asan with ASan and UBSan, RTAP_WERROR=1 (or CI=true) builds with
# -Dwerror=true, RTAP_BUILD_DIR names the build directory.
#
# usage: test.sh [extra meson test arguments, e.g. a test name]

set -u

# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$root" || exit 1
build=$(build_dir)
export RTAP_BUILD_DIR=$build
sanitizer_env

# summary <passed> <failed> <skipped>: the last line, and the exit status.
summary()
{
	echo "rtap: $1 passed, $2 failed, $3 skipped"
	[ "$2" = 0 ] && [ "$1" -gt 0 ]
	exit
}

bash scripts/setup.sh || { echo "test: set-up or build failed, no test was run" >&2; summary 0 0 0; }
log=$build/meson-logs/testlog.txt
rm -f "$log"
meson test -C "$build" --no-rebuild --print-errorlogs -v "$@"
rc=$?
[ -f "$log" ] || { echo "test: meson test wrote no log ($log)" >&2; summary 0 0 0; }

# testlog.txt holds one block per test: a "==== i/n ====" header, "test:" and
# "result:" lines, then the test's output. dpdk-test's runner ends a suite
# with " + Tests Total/Skipped/Unsupported/Passed/Failed :" lines; nested
# suites print their own summary first, so the last one of a block counts.
# shellcheck disable=SC2046
set -- $(awk '
function flush() {
	if (name == "")
		return
	if (have) {
		p += tp; f += tf; s += ts
		# A crash or a sanitizer report after the summary still fails.
		if (status != 0 && status != 77 && tf == 0)
			f++
	} else if (status == 0) {
		p++
	} else if (status == 77) {
		s++
	} else {
		f++
	}
	name = ""
}
/^=+ [0-9]+\/[0-9]+ =+$/ { flush(); have = 0; next }
/^test: / && name == "" { name = $2; status = -1; next }
/^result: / && status == -1 {
	status = $0 ~ /exit status [0-9]+$/ ? $NF + 0 : -2
	next
}
/^ \+ Tests Total :/ { have = 1; tp = tf = ts = 0; next }
/^ \+ Tests (Skipped|Unsupported) *:/ { ts += $NF; next }
/^ \+ Tests Passed :/ { tp = $NF; next }
/^ \+ Tests Failed :/ { tf = $NF; next }
END { flush(); printf "%d %d %d\n", p, f, s }
' "$log")
failed=$2
if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	echo "test: meson test exited with status $rc" >&2
	failed=1
fi
[ "$1" != 0 ] || echo "test: no test passed (nothing ran)" >&2
summary "$1" "$failed" "$3"
