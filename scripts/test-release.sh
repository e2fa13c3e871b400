#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Graft net_rtap into a DPDK tree (taken as it is, never fetched), build it
# warning-free (developer mode, -Werror), run the suites; last line e.g.
#   release: DPDK 24.11.6 gcc: 0 warnings, fast 17/17 (2.1 s), driver 15/15, perf 1/1, telemetry 1/1: PASS
# usage: test-release.sh [--cc gcc|clang] [--build DIR] [--suites LIST] <dpdk-tree>
#   --build   default <dpdk-tree>/build-rtap-<cc>
#   --suites  of fast,driver,perf,telemetry,docs (default all but docs)

set -u
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
me=release cc=gcc build='' suites=fast,driver,perf,telemetry results='' failed=0
while [ $# -gt 1 ]; do
	case $1 in --cc) cc=$2 ;; --build) build=$2 ;; --suites) suites=$2 ;; *) break ;; esac
	shift 2
done
tree=$(cd "${1:?usage: test-release.sh [--cc gcc|clang] [--build DIR] [--suites LIST] <dpdk-tree>}" && pwd)
[ -f "$tree/VERSION" ] || fail "$tree is not a DPDK tree"
build=${build:-$tree/build-rtap-$cc} version=$(cat "$tree/VERSION")
mkdir -p "$(dirname "$build")"

note() { results="${results:+$results, }$1"; say "$1"; }
if ! CC=$cc "$root/scripts/build-dpdk.sh" "$tree" "$build" "$build.stamp" \
		-Dbuildtype=debugoptimized -Dwerror=true -Ddeveloper_mode=enabled >"$build.log" 2>&1; then
	grep -E "error|warning" "$build.log" | head -n 40 >&2
	say "DPDK $version $cc: build failed (log: $build.log): FAIL"
	exit 1
fi
note "$(grep -c "warning:" "$build.log") warnings"
dpdk_test=$build/app/dpdk-test
[ -x "$dpdk_test" ] || dpdk_test=$build/app/test/dpdk-test

# run_suite <label> [--huge] <test>...: the tests' runner summaries add up; a
# test without a suite (perf) prints only "Test OK".
run_suite()
{
	local label=$1 huge='' t pass=0 total=0 rc=0 start
	shift
	[ "$1" != --huge ] || { huge=--huge; shift; }
	start=$(date +%s.%N)
	for t in "$@"; do
		bash "$root/scripts/run-autotest.sh" $huge "$dpdk_test" "$t" >"$build.$t.log" 2>&1
		rc=$((rc | $?))
		# shellcheck disable=SC2046 # two numbers
		set -- $(awk '/^ \+ Tests Total :/ { n = $NF } /^ \+ Tests Passed :/ { p = $NF } /^Test OK/ { ok = 1 }
			END { print (n > 0 ? n : 1), (p > 0 ? p : ok + 0) }' "$build.$t.log")
		total=$((total + $1)) pass=$((pass + $2))
	done
	if [ "$rc" != 0 ] || [ "$pass" != "$total" ] || [ "$total" = 0 ]; then
		failed=1
		note "$label $pass/$total FAILED (logs: $build.<test>.log)"
	else
		[ "$label" != fast ] || pass="$pass/$total ($(awk -v a="$start" -v b="$(date +%s.%N)" \
			'BEGIN { printf "%.1f", b - a }') s)" total=
		note "$label $pass${total:+/$total}"
	fi
}

# run_check <label> <command...>: one case, passed or not.
run_check() { "${@:2}" >"$build.$1.log" 2>&1 && note "$1 1/1" ||
	{ failed=1; note "$1 0/1 FAILED (log: $build.$1.log)"; }; }

for s in ${suites//,/ }; do
	case $s in
	fast) run_suite fast rtap_pmd_autotest; run_suite per-read rtap_pmd_read_autotest ;;
	driver) run_suite driver rtap_pmd_driver_autotest; run_suite multi-process --huge rtap_mp_autotest ;;
	perf) run_suite perf rtap_perf_autotest ;;
	telemetry) run_check telemetry bash "$root/scripts/testpmd-e2e.sh" "$build/app/dpdk-testpmd" telemetry ;;
	docs) run_check docs bash "$root/scripts/build-docs.sh" "$tree" "$build/doc-html" ;;
	*) fail "unknown suite $s" ;;
	esac
done
[ "$failed" = 0 ] && verdict=PASS || verdict=FAIL
say "DPDK $version $cc: $results: $verdict"
exit $failed
