#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Set up and build (scripts/setup.sh), run every test with meson, and print as
# the last line of output:
#
#   rtap: N passed, N failed, N skipped
#
# counting each dpdk-test unit test case (from the DPDK test runner's summary)
# and each other meson test as one case. Exits non-zero when anything failed
# or nothing passed.
#
# usage: test.sh [extra meson test arguments, e.g. a test name]
#
# Environment:
#   RTAP_SANITIZE=1   build and test in build-asan with
#                     -Db_sanitize=address,undefined
#   RTAP_WERROR=1     build with -Dwerror=true (the default when CI=true)
#   RTAP_BUILD_DIR    build directory (default: build or build-asan)

set -u

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
# shellcheck source=scripts/common.sh
. scripts/common.sh

PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH
export PATH

build=$(build_dir)
export RTAP_BUILD_DIR=$build

if [ "${RTAP_SANITIZE:-0}" = 1 ]; then
	# gcc 12's AddressSanitizer reports a stack-buffer-overflow inside its
	# own sigaltstack handling when a DPDK thread exits (with any driver,
	# net_null too); not using an alternate signal stack avoids it.
	ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_summary=1}
	ASAN_OPTIONS=$ASAN_OPTIONS:use_sigaltstack=0
	export ASAN_OPTIONS
	LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$here/scripts/lsan.supp
	export LSAN_OPTIONS
fi

summary()
{
	echo "rtap: $1 passed, $2 failed, $3 skipped"
}

if ! bash scripts/setup.sh; then
	echo "test: set-up or build failed, no test was run" >&2
	summary 0 0 0
	exit 1
fi

log=$build/meson-logs/testlog.txt
rm -f "$log"
meson test -C "$build" --no-rebuild --print-errorlogs -v "$@"
rc=$?

if [ ! -f "$log" ]; then
	echo "test: meson test wrote no log ($log)" >&2
	summary 0 0 0
	exit 1
fi

# testlog.txt holds one block per test: a "==== i/n ====" header, "test:" and
# "result:" lines, then the test's output. dpdk-test's runner ends a suite
# with " + Tests Total/Skipped/Unsupported/Passed/Failed :" lines; nested
# suites print their own summary first, so the last one of a block counts.
counts=$(awk '
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
	if ($0 ~ /exit status [0-9]+$/)
		status = $NF + 0
	else
		status = -2
	next
}
/^ \+ Tests Total :/ { have = 1; tp = tf = ts = 0; next }
/^ \+ Tests Skipped :/ { ts += $NF; next }
/^ \+ Tests Unsupported *:/ { ts += $NF; next }
/^ \+ Tests Passed :/ { tp = $NF; next }
/^ \+ Tests Failed :/ { tf = $NF; next }
END { flush(); printf "%d %d %d\n", p, f, s }
' "$log")
# shellcheck disable=SC2086
set -- $counts
passed=$1
failed=$2
skipped=$3

if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	echo "test: meson test exited with status $rc" >&2
	failed=1
fi
if [ "$passed" = 0 ]; then
	echo "test: no test passed (nothing ran)" >&2
fi
summary "$passed" "$failed" "$skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
