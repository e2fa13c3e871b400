#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Graft net_rtap into a DPDK source tree (22.11 or newer) as an in-tree
# driver: its files linked (--copy: copied) and listed in the tree's build
# files and guide index. Run again, it changes nothing; it fails, naming the
# file and the line it looked for, when a place it edits is not as expected.
# usage: graft.sh [--copy | --lists driver,tests,docs] <dpdk-source-tree>
#   --lists   only the named list edits, no files (upstream.sh uses it)

set -e
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
me=graft mode=link lists=driver,tests,docs
case $1 in
--copy) mode=copy; shift ;;
--lists) mode=none; lists=$2; shift 2 ;;
esac
tree=$(cd "${1:?usage: graft.sh [--copy | --lists driver,tests,docs] <dpdk-source-tree>}" && pwd)
[ -f "$tree/drivers/net/meson.build" ] && [ -f "$tree/VERSION" ] || fail "$tree: not a DPDK source tree"

# The test sources are taken by name pattern, so that a new one needs no
# edit here; links left by a source that is gone are removed.
tests=$(cd "$root" && ls app/test/test_pmd_rtap*.[ch])
if [ "$mode" != none ]; then
	for f in "$tree"/app/test/test_pmd_rtap*; do [ -L "$f" ] && [ ! -e "$f" ] && rm -f "$f"; done
	for f in drivers/net/rtap $tests doc/guides/nics/rtap.rst doc/guides/nics/features/rtap.ini; do
		src=$root/$f dst=$tree/$f
		if [ -L "$dst" ]; then
			[ "$(readlink "$dst")" = "$src" ] && [ $mode = link ] && continue
			rm -f "$dst"
		elif [ -e "$dst" ]; then
			[ $mode = link ] && fail "$dst: exists and is not a link to $src: remove it or graft with --copy"
			rm -rf "$dst"
		fi
		if [ $mode = link ]; then ln -s "$src" "$dst"; else cp -R "$src" "$dst"; fi
	done
fi

want() { [[ ,$lists, = *,$1,* ]]; }

# insert_sorted <list> <file> <regex of an entry> <the entry> <what>: unless
# the list is not wanted or has it, "rtap" into an alphabetical list, before
# the first entry (a line matching the regex, by its letters) after it.
insert_sorted()
{
	want "$1" && ! grep -q "^$4\$" "$2" || return 0
	[ -f "$2" ] || fail "$2: missing"
	awk -v re="$3" -v line="$4" '!done && $0 ~ re { w = $0; gsub(/[^a-z0-9_]/, "", w)
			if (w > "rtap") { print line; done = 1 } }
		{ print } END { exit !done }' "$2" >"$2.rtap" ||
		{ rm -f "$2.rtap"; fail "$2: no entry of the form '$3' after 'rtap' ($5)"; }
	mv "$2.rtap" "$2"
}
insert_sorted driver "$tree/drivers/net/meson.build" "^        '[a-z0-9_]+',\$" "        'rtap'," "the driver list"
insert_sorted docs "$tree/doc/guides/nics/index.rst" "^    [a-z0-9_]+\$" "    rtap" "the NIC guide toctree"

# The tests. 23.11 and later list test sources with their dependencies and
# read the suites from the sources; 22.11 lists sources and the tests of
# each suite in app/test/meson.build.
f=$tree/app/test/meson.build
if want tests; then
	[ -f "$f" ] || fail "$f: missing"
	srcs=$(echo "$tests" | sed -n 's|^app/test/\(.*\.c\)$|\1|p') deps="['net_rtap', 'ethdev', 'bus_vdev']"
	# An earlier graft's lines go first, so that the list follows the
	# sources; a copy replaces the file only when it differs, so that a
	# graft that changes nothing does not make meson reconfigure.
	t=$f.rtap
	sed -e "/^    'test_pmd_rtap[a-z_]*\.c': /d" -e "/^if dpdk_conf.has('RTE_NET_RTAP')\$/,/^\$/d" "$f" >"$t"
	if grep -q "^source_file_deps = {" "$t"; then
		anchor="^    'test_pmd_ring_perf.c': .*\$"
		lines=$(for s in $srcs; do printf '\\n    '"'"'%s'"'"': %s,' "$s" "$deps"; done)
		sed -i "s/$anchor/&$lines/" "$t"
	else
		anchor="^foreach d:test_deps\$"
		list=$(for s in $srcs; do printf "'%s', " "$s"; done)
		sed -i "s/$anchor/if dpdk_conf.has('RTE_NET_RTAP')\n    test_sources += [${list%, }]\n    fast_tests += [['rtap_pmd_autotest', true, true], ['rtap_pmd_read_autotest', true, true]]\n    driver_test_names += ['rtap_pmd_driver_autotest', 'rtap_mp_autotest']\n    perf_test_names += 'rtap_perf_autotest'\nendif\n\n&/" "$t"
	fi
	grep -q "test_pmd_rtap.c" "$t" || fail "$f: no line '$anchor': the rtap tests were not added"
	if cmp -s "$t" "$f"; then rm -f "$t"; else mv "$t" "$f"; fi
fi
echo "net_rtap grafted into $tree ($mode, lists: $lists)"
