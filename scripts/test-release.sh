#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Graft net_rtap into a DPDK source tree, build it warning-free (developer
# mode, -Werror) and run the driver's suites there. Prints one line per
# suite and, last, one summary line:
#
#   release: DPDK 24.11.6 gcc: 0 warnings, fast 17/17 (2.1 s), driver 15/15, perf 1/1, telemetry 1/1: PASS
#
# usage: test-release.sh [--cc gcc|clang] [--build DIR] [--suites LIST]
#                        <dpdk-tree>
#   --cc       compiler (default gcc)
#   --build    build directory (default <dpdk-tree>/build-rtap-<cc>)
#   --suites   comma-separated, of fast, driver, perf, telemetry, docs
#              (default fast,driver,perf,telemetry)
# The tree is taken as it is: this script never fetches one.

set -u

here=$(cd "$(dirname "$0")/.." && pwd)
cc=gcc
build=
suites=fast,driver,perf,telemetry
while [ $# -gt 1 ]; do
	case $1 in
	--cc) cc=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--suites) suites=$2; shift 2 ;;
	*) break ;;
	esac
done
tree=${1:?usage: test-release.sh [--cc gcc|clang] [--build DIR] [--suites LIST] <dpdk-tree>}
tree=$(cd "$tree" && pwd) || exit 1
[ -f "$tree/VERSION" ] || { echo "release: $tree is not a DPDK tree" >&2; exit 1; }
build=${build:-$tree/build-rtap-$cc}
version=$(cat "$tree/VERSION")
PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH
export PATH

results=
failed=0
note()
{
	results="${results:+$results, }$1"
	echo "release: $1"
}

log=$build.log
mkdir -p "$(dirname "$build")"
if ! CC=$cc "$here/scripts/build-dpdk.sh" "$tree" "$build" "$build.stamp" \
		-Dbuildtype=debugoptimized -Dwerror=true \
		-Ddeveloper_mode=enabled >"$log" 2>&1; then
	grep -E "error|warning" "$log" | head -n 40 >&2
	echo "release: DPDK $version $cc: build failed (log: $log): FAIL"
	exit 1
fi
note "$(grep -c "warning:" "$log") warnings"

dpdk_test=$build/app/dpdk-test
[ -x "$dpdk_test" ] || dpdk_test=$build/app/test/dpdk-test

# run_suite <label> [--huge] <test>...: each test's runner summary adds up.
run_suite()
{
	local label=$1 huge= t out pass=0 total=0 rc=0 start end
	shift
	if [ "$1" = --huge ]; then
		huge=--huge
		shift
	fi
	start=$(date +%s.%N)
	for t in "$@"; do
		out=$("$here/scripts/run-autotest.sh" $huge "$dpdk_test" "$t" 2>&1)
		rc=$((rc | $?))
		echo "$out" > "$build.$t.log"
		# A test without a suite (perf) prints only "Test OK".
		total=$((total + $(echo "$out" | awk '/^ \+ Tests Total :/ { n = $NF }
			END { print (n > 0 ? n : 1) }')))
		pass=$((pass + $(echo "$out" | awk '/^ \+ Tests Passed :/ { n = $NF }
			/^Test OK/ { ok = 1 }
			END { print (n > 0 ? n : ok + 0) }')))
	done
	end=$(date +%s.%N)
	if [ "$rc" != 0 ] || [ "$pass" != "$total" ] || [ "$total" = 0 ]; then
		failed=1
		note "$label $pass/$total FAILED (logs: $build.<test>.log)"
	elif [ "$label" = fast ]; then
		note "$label $pass/$total ($(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s)"
	else
		note "$label $pass/$total"
	fi
}

for s in ${suites//,/ }; do
	case $s in
	fast)
		run_suite fast rtap_pmd_autotest ;;
	driver)
		run_suite driver rtap_pmd_driver_autotest
		run_suite multi-process --huge rtap_mp_autotest ;;
	perf)
		run_suite perf rtap_perf_autotest ;;
	telemetry)
		testpmd=$build/app/dpdk-testpmd
		if bash "$here/scripts/testpmd-e2e.sh" "$testpmd" telemetry \
				>"$build.telemetry.log" 2>&1; then
			note "telemetry 1/1"
		else
			failed=1
			note "telemetry 0/1 FAILED (log: $build.telemetry.log)"
		fi ;;
	docs)
		if bash "$here/scripts/build-docs.sh" "$tree" "$build/doc-html" \
				>"$build.docs.log" 2>&1; then
			note "docs ok"
		else
			failed=1
			note "docs FAILED (log: $build.docs.log)"
		fi ;;
	*)
		echo "release: unknown suite $s" >&2
		exit 1 ;;
	esac
done

if [ "$failed" = 0 ]; then
	echo "release: DPDK $version $cc: $results: PASS"
else
	echo "release: DPDK $version $cc: $results: FAIL"
fi
exit $failed
