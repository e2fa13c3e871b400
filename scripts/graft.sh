#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Graft net_rtap into a DPDK source tree (22.11 or newer) as an in-tree
# driver: drivers/net/rtap, its unit, soak and benchmark tests, its guide
# and feature matrix.
# Files are linked, not copied, so edits in this repository are rebuilt by
# the DPDK build; --copy copies them instead (for a tree that must stand
# alone). Running it again changes nothing; nothing of the tree is removed.
#
# usage: graft.sh [--copy] <dpdk-source-tree>

set -e

mode=link
if [ "$1" = "--copy" ]; then
	mode=copy
	shift
fi
tree=${1:?usage: graft.sh [--copy] <dpdk-source-tree>}
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$tree" && pwd)

if [ ! -f "$tree/drivers/net/meson.build" ] || [ ! -f "$tree/VERSION" ]; then
	echo "$tree is not a DPDK source tree" >&2
	exit 1
fi

# place <repo-relative path> <tree-relative path>
place()
{
	src=$here/$1
	dst=$tree/$2
	if [ -L "$dst" ]; then
		[ "$(readlink "$dst")" = "$src" ] && [ "$mode" = link ] && return 0
		rm -f "$dst"
	elif [ -e "$dst" ]; then
		if [ "$mode" = link ]; then
			echo "$dst exists and is not a link to $src:" \
				"remove it or graft with --copy" >&2
			exit 1
		fi
		rm -rf "$dst"
	fi
	if [ "$mode" = link ]; then
		ln -s "$src" "$dst"
	else
		cp -R "$src" "$dst"
	fi
}

place drivers/net/rtap drivers/net/rtap
place app/test/test_pmd_rtap.c app/test/test_pmd_rtap.c
place app/test/test_pmd_rtap_perf.c app/test/test_pmd_rtap_perf.c
place app/test/test_pmd_rtap_soak.c app/test/test_pmd_rtap_soak.c
place doc/guides/nics/rtap.rst doc/guides/nics/rtap.rst
place doc/guides/nics/features/rtap.ini doc/guides/nics/features/rtap.ini

# The driver list: after 'ring' keeps it alphabetical.
f=$tree/drivers/net/meson.build
if ! grep -q "^ *'rtap'," "$f"; then
	sed -i "s/^\( *\)'ring',$/&\n\1'rtap',/" "$f"
	grep -q "^ *'rtap'," "$f" || { echo "cannot add rtap to $f" >&2; exit 1; }
fi

# The unit test: 23.11 and later list test sources with their dependencies
# (and read REGISTER_FAST_TEST from the source); 22.11 lists sources and fast
# tests separately.
f=$tree/app/test/meson.build
if ! grep -q "test_pmd_rtap.c" "$f"; then
	if grep -q "^source_file_deps = {" "$f"; then
		sed -i "s/^source_file_deps = {$/&\n    'test_pmd_rtap.c': ['net_rtap', 'ethdev', 'bus_vdev'],/" "$f"
	else
		sed -i "s/^foreach d:test_deps$/if dpdk_conf.has('RTE_NET_RTAP')\n    test_sources += 'test_pmd_rtap.c'\n    fast_tests += [['rtap_pmd_autotest', true, true]]\nendif\n\n&/" "$f"
	fi
	grep -q "test_pmd_rtap.c" "$f" || { echo "cannot add the rtap test to $f" >&2; exit 1; }
fi

# add_test <source> <after> [<22.11 line>]: a test source beside <after>,
# listed the way the tree lists test sources; on 22.11 with an extra line.
add_test()
{
	f=$tree/app/test/meson.build
	grep -qF "$1" "$f" && return 0
	if grep -q "^source_file_deps = {" "$f"; then
		sed -i "s/^    '$2': .*$/&\n    '$1': ['net_rtap', 'ethdev', 'bus_vdev'],/" "$f"
	else
		sed -i "s/^    test_sources += '$2'$/&\n    test_sources += '$1'${3:+\\n    $3}/" "$f"
	fi
	grep -qF "$1" "$f" || { echo "cannot add $1 to $f" >&2; exit 1; }
}

# The benchmark, beside the unit test; the soak test (in no suite on
# 22.11, the stress tests on later trees) beside the benchmark.
add_test test_pmd_rtap_perf.c test_pmd_rtap.c \
	"perf_test_names += 'rtap_perf_autotest'"
add_test test_pmd_rtap_soak.c test_pmd_rtap_perf.c

# The guide's index, after ring's entry.
f=$tree/doc/guides/nics/index.rst
if [ -f "$f" ] && ! grep -q "^    rtap$" "$f"; then
	sed -i "s/^    pcap_ring$/&\n    rtap/" "$f"
fi

echo "net_rtap grafted into $tree ($mode)"
