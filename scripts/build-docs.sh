#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Build DPDK's guides (Debian's sphinx) on a grafted tree; fail on a warning
# about rtap.rst, rtap.ini, nics/index.rst or nics/overview.rst. Only index,
# nics and the guides rtap.rst links to are read (RTAP_DOCS_FULL=1: all); a
# warning is confirmed with a full build. The overview table must show
# rtap.ini and the release notes entry must parse. Exit 77: no sphinx or tree.
# usage: build-docs.sh [dpdk-tree (subprojects/dpdk) [out-dir (build/doc-html)]]

set -u
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
me=doc_build tree=${1:-$root/subprojects/dpdk} out=${2:-$root/build/doc-html} sphinx=/usr/bin/sphinx-build
[ -f "$tree/VERSION" ] && [ -f "$tree/doc/guides/conf.py" ] ||
	skip "$tree is not a DPDK source tree (scripts/setup.sh fetches one into subprojects/dpdk)"
[ -x "$sphinx" ] || skip "no $sphinx: install python3-sphinx and python3-sphinx-rtd-theme (scripts/setup.sh does)"
tree=$(cd "$tree" && pwd) && guides=$tree/doc/guides

# The tree must carry our guide and feature matrix, as they are here.
[ -e "$guides/nics/rtap.rst" ] || { say "grafting net_rtap into $tree" &&
	"$root/scripts/graft.sh" "$tree" >/dev/null; } || die "scripts/graft.sh $tree failed"
cmp -s "$root/doc/guides/nics/rtap.rst" "$guides/nics/rtap.rst" &&
	cmp -s "$root/doc/guides/nics/features/rtap.ini" "$guides/nics/features/rtap.ini" &&
	grep -q "^    rtap$" "$guides/nics/index.rst" ||
	die "$tree does not have this guide, feature matrix and index entry: graft again (scripts/graft.sh [--copy] $tree)"
# conf.py reads DPDK_VERSION, as buildtools/call-sphinx-build.py sets it.
DPDK_VERSION=$(cat "$tree/VERSION") && export DPDK_VERSION
mkdir -p "$out" && out=$(cd "$out" && pwd) && log=$out/sphinx.log || die "cannot create $out"

# The log's sphinx, docutils and conf.py messages about our files, and any exception.
ours()
{
	grep -E '(\brtap\.(rst|ini)\b|nics/index\.rst|nics/overview(\.rst|_table\.txt))' "$log" |
		grep -E 'WARNING|ERROR|SEVERE|CRITICAL|Warning|Exception|Error'
	grep -E '^(Traceback|Exception occurred|Extension error|Configuration error)' "$log"
}

# run_sphinx full|partial
run_sphinx()
{
	local d keep ex='' what="every guide"
	if [ "$1" = partial ]; then
		keep=" nics $(grep -oE '\.\./[A-Za-z0-9_]+/' "$guides/nics/rtap.rst" | cut -d/ -f2 | sort -u |
			tr '\n' ' ')"
		for d in "$guides"/*/; do
			d=$(basename "$d") && [[ $keep = *" $d "* ]] || ex="$ex${ex:+,}$d/**"
		done
		what="index and${keep% } (RTAP_DOCS_FULL=1 for every guide)"
	fi
	say "sphinx $("$sphinx" --version 2>&1 | awk '{ print $NF }'), DPDK $DPDK_VERSION: $what"
	# -E: every page read again, so that no warning hides in a cache.
	(cd "$guides" && "$sphinx" -b html -E -j 1 -d "$out/.doctrees" \
		${ex:+-D "exclude_patterns=$ex"} . "$out") >"$log" 2>&1; status=$?
	say "sphinx-build exited with $status, $(grep -c 'WARNING' "$log") warning(s) in all (log: $log)"
}

[ "${RTAP_DOCS_FULL:-0}" = 1 ] && mode=full || mode=partial
run_sphinx $mode
if [ $mode = partial ] && { [ "$status" != 0 ] || [ -n "$(ours)" ]; }; then
	say "warnings about our files in the partial build: confirming with every guide"
	run_sphinx full
fi
found=$(ours)
[ -z "$found" ] || { echo "$found"; die "sphinx has warnings about rtap.rst, rtap.ini or the nics index (above)"; }
[ "$status" = 0 ] || { tail -n 30 "$log"; die "sphinx-build failed ($status)"; }
grep -q "RTAP Poll Mode Driver" "$out/nics/rtap.html" 2>/dev/null || die "$out/nics/rtap.html was not written"

python3 - "$guides" "$root/doc/guides/rel_notes/release_rtap.rst" <<'EOF' || exit 1
import configparser, io, os, sys
from docutils import nodes, core
from docutils.parsers.rst import roles
guides, notes = sys.argv[1:3]
feat = os.path.join(guides, 'nics', 'features')
inis = sorted(f for f in os.listdir(feat) if f.endswith('.ini') and f != 'default.ini')
col = inis.index('rtap.ini')
def ini(name):
	p = configparser.ConfigParser()
	p.optionxform = str
	p.read(os.path.join(feat, name + '.ini'))
	return p.items('Features')
features = [n for n, _ in ini('default')]
want = {k: v[:1] for k, v in ini('rtap') if v}

# conf.py's overview table: "   <feature, 30 columns> <a letter per driver>"
rows = {}
with open(os.path.join(guides, 'nics', 'overview_table.txt')) as f:
	for line in f:
		name, cells = line[3:33].strip(), line[33:].rstrip('\n')
		if line.startswith('   ') and not line.startswith('   =') and name in features:
			rows[name] = cells[1 + 2 * col] if len(cells) > 1 + 2 * col else ' '
bad = [n for n in features if rows.get(n, '?') != want.get(n, ' ')]
for n in bad:
	print("overview table: '%s' is '%s' in the rtap column, rtap.ini says '%s'"
	      % (n, rows.get(n, '?'), want.get(n, ' ')))
if not rows or bad:
	sys.exit('FAIL: the feature overview table does not show rtap.ini')
print('doc_build: the overview table shows rtap.ini (%d features)' % len(want))

# The release notes entry is pasted into DPDK's, not built as a page:
# docutils parses it, with sphinx's :doc: role stood in for.
roles.register_generic_role('doc', nodes.literal)
warnings = io.StringIO()
with open(notes) as f:
	doc = core.publish_doctree(f.read(), source_path=notes, settings_overrides={
		'warning_stream': warnings, 'report_level': 2})
print(warnings.getvalue(), end='')
if warnings.getvalue() or not list(doc.traverse(nodes.bullet_list)):
	sys.exit('FAIL: doc/guides/rel_notes/release_rtap.rst does not parse cleanly'
		 ' (or has no bullet list, a "New Features" entry)')
EOF
say "no warning about rtap.rst, rtap.ini or the nics index; HTML in $out (nics/rtap.html)"
