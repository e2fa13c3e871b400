#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Build DPDK's guides with sphinx (Debian's python3-sphinx and
# python3-sphinx-rtd-theme, which scripts/setup.sh installs) on a DPDK tree
# with net_rtap grafted in, and fail if sphinx or DPDK's conf.py has
# anything to say about our files:
#
#   doc/guides/nics/rtap.rst, doc/guides/nics/features/rtap.ini, and the
#   two pages the graft touches: doc/guides/nics/index.rst (the toctree
#   entry) and doc/guides/nics/overview.rst (the feature matrix that conf.py
#   generates from every features/*.ini, ours included).
#
# Warnings about DPDK's own pages are not ours to fix and are ignored: the
# filter keeps only lines that name the files above. (DPDK 22.11 with
# Debian 12's sphinx 5.3 builds its whole guide set without a warning; the
# default partial build below adds many about links into the guides it
# leaves out, all in DPDK's pages.) The full log is kept in
# <output>/sphinx.log.
#
# It is sphinx-build on doc/guides of the real tree, with DPDK's conf.py
# (which reads DPDK_VERSION from the environment; buildtools/
# call-sphinx-build.py sets it the same way). To keep it quick, only the
# root index, doc/guides/nics and the guide directories rtap.rst links to
# (../<dir>/...) are read; the rest is left out with exclude_patterns.
# RTAP_DOCS_FULL=1 builds everything (about a minute on one core); a
# warning about our files in the partial build is confirmed with a full
# build before the check fails, so a link into a left-out guide cannot
# fail it.
#
# Then it checks that conf.py turned rtap.ini into the rtap column of the
# overview table (nics/overview_table.txt), value for value, that
# nics/rtap.html was written, and that the release notes entry
# (doc/guides/rel_notes/release_rtap.rst, which is no page of the tree)
# parses without a docutils warning.
#
# usage: build-docs.sh [dpdk-source-tree [output-dir]]
#        (default: subprojects/dpdk and build/doc-html)
#
# Environment:
#   RTAP_DOCS_FULL=1  build DPDK's whole guide set
#   RTAP_DOCS_JOBS    sphinx-build -j (default 1)
#   SPHINX_BUILD      sphinx-build to use (default /usr/bin/sphinx-build)
#
# Exit status: 0 no warning about our files, 1 warnings or failure, 77
# skipped (no sphinx-build, no DPDK tree).

set -u

here=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$here/subprojects/dpdk}
out=${2:-$here/build/doc-html}
sphinx=${SPHINX_BUILD:-/usr/bin/sphinx-build}
jobs=${RTAP_DOCS_JOBS:-1}

say()
{
	echo "doc_build: $*"
}

skip()
{
	echo "SKIP: $*"
	exit 77
}

die()
{
	echo "FAIL: $*"
	exit 1
}

if [ ! -f "$tree/VERSION" ] || [ ! -f "$tree/doc/guides/conf.py" ]; then
	skip "$tree is not a DPDK source tree (scripts/setup.sh fetches one into subprojects/dpdk)"
fi
[ -x "$sphinx" ] || command -v "$sphinx" >/dev/null 2>&1 ||
	skip "no $sphinx: install python3-sphinx and python3-sphinx-rtd-theme (scripts/setup.sh does)"
tree=$(cd "$tree" && pwd)
guides=$tree/doc/guides

# The tree must carry our guide and feature matrix, as they are here.
if [ ! -e "$guides/nics/rtap.rst" ]; then
	say "grafting net_rtap into $tree"
	"$here/scripts/graft.sh" "$tree" >/dev/null || die "scripts/graft.sh $tree failed"
fi
for f in nics/rtap.rst nics/features/rtap.ini; do
	cmp -s "$here/doc/guides/$f" "$guides/$f" ||
		die "$guides/$f differs from $here/doc/guides/$f: graft again (scripts/graft.sh [--copy] $tree)"
done
grep -q "^    rtap$" "$guides/nics/index.rst" ||
	die "rtap is not in the toctree of $guides/nics/index.rst: graft again (scripts/graft.sh $tree)"

export DPDK_VERSION
DPDK_VERSION=$(cat "$tree/VERSION")
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)
log=$out/sphinx.log

# Lines of the log about our files: sphinx and docutils messages
# (WARNING, ERROR, SEVERE, CRITICAL), conf.py's "Warning
# generate_overview_table(): Unknown feature ... in 'rtap.ini'", and any
# exception.
ours()
{
	grep -E '(\brtap\.(rst|ini)\b|nics/index\.rst|nics/overview(\.rst|_table\.txt))' "$log" |
		grep -E 'WARNING|ERROR|SEVERE|CRITICAL|Warning|Exception|Error'
	grep -E '^(Traceback|Exception occurred|Extension error|Configuration error)' "$log"
}

# run_sphinx full|partial
run_sphinx()
{
	local mode=$1 d keep ex=
	if [ "$mode" = partial ]; then
		# Guide directories rtap.rst links to are kept.
		keep=" nics $(grep -oE '\.\./[A-Za-z0-9_]+/' "$guides/nics/rtap.rst" |
			cut -d/ -f2 | sort -u | tr '\n' ' ')"
		for d in "$guides"/*/; do
			d=$(basename "$d")
			case "$keep" in *" $d "*) continue ;; esac
			ex="$ex${ex:+,}$d/**"
		done
		say "sphinx $("$sphinx" --version 2>&1 | awk '{ print $NF }'), DPDK $DPDK_VERSION: index and${keep% } (RTAP_DOCS_FULL=1 for every guide)"
	else
		say "sphinx $("$sphinx" --version 2>&1 | awk '{ print $NF }'), DPDK $DPDK_VERSION: every guide"
	fi
	# -E: read every page again, so that a warning is never hidden by
	# what an earlier run cached.
	(cd "$guides" && "$sphinx" -b html -E -j "$jobs" \
		-d "$out/.doctrees" ${ex:+-D "exclude_patterns=$ex"} \
		. "$out") >"$log" 2>&1
	status=$?
	say "sphinx-build exited with $status, $(grep -c 'WARNING' "$log") warning(s) in all (log: $log)"
}

mode=partial
[ "${RTAP_DOCS_FULL:-0}" = 1 ] && mode=full
run_sphinx $mode
if [ "$mode" = partial ] && { [ "$status" != 0 ] || [ -n "$(ours)" ]; }; then
	say "warnings about our files in the partial build: confirming with every guide"
	run_sphinx full
fi

found=$(ours)
if [ -n "$found" ]; then
	echo "$found"
	die "sphinx has warnings about rtap.rst, rtap.ini or the nics index (above)"
fi
[ "$status" = 0 ] || { tail -n 30 "$log"; die "sphinx-build failed ($status)"; }

# conf.py wrote the overview table: the rtap column must hold rtap.ini.
/usr/bin/env python3 - "$guides" <<'EOF' || die "the feature overview table does not show rtap.ini"
import configparser, os, sys

guides = sys.argv[1]
feat = os.path.join(guides, 'nics', 'features')
inis = sorted(f for f in os.listdir(feat) if f.endswith('.ini') and f != 'default.ini')
col = inis.index('rtap.ini')
default = configparser.ConfigParser()
default.optionxform = str
default.read(os.path.join(feat, 'default.ini'))
rtap = configparser.ConfigParser()
rtap.optionxform = str
rtap.read(os.path.join(feat, 'rtap.ini'))
want = {k: v[:1] for k, v in rtap.items('Features') if v}

rows = {}
with open(os.path.join(guides, 'nics', 'overview_table.txt')) as f:
	for line in f:
		# "   <feature, 30 columns> <one letter per driver, space-separated>"
		if not line.startswith('   ') or line.startswith('   ='):
			continue
		name, cells = line[3:33].strip(), line[33:].rstrip('\n')
		if name in dict(default.items('Features')):
			rows[name] = cells[1 + 2 * col] if len(cells) > 1 + 2 * col else ' '
bad = [n for n, _ in default.items('Features')
       if rows.get(n, '?') != want.get(n, ' ')]
for n in bad:
	print("overview table: '%s' is '%s' in the rtap column, rtap.ini says '%s'"
	      % (n, rows.get(n, '?'), want.get(n, ' ')))
if not rows or bad:
	sys.exit(1)
print('doc_build: the overview table shows rtap.ini (%d features)' % len(want))
EOF

grep -q "RTAP Poll Mode Driver" "$out/nics/rtap.html" 2>/dev/null ||
	die "$out/nics/rtap.html was not written"

# The release notes entry is pasted into DPDK's release notes, not built
# as a page: docutils parses it, with sphinx's :doc: role stood in for.
/usr/bin/env python3 - "$here/doc/guides/rel_notes/release_rtap.rst" <<'EOF' ||
import io, sys
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import roles

roles.register_generic_role('doc', nodes.literal)
warnings = io.StringIO()
with open(sys.argv[1]) as f:
	tree = publish_doctree(f.read(), source_path=sys.argv[1],
			       settings_overrides={'warning_stream': warnings,
						   'report_level': 2})
if warnings.getvalue():
	print(warnings.getvalue(), end='')
	sys.exit(1)
if not list(tree.traverse(nodes.bullet_list)):
	print('%s: no bullet list (a "New Features" entry)' % sys.argv[1])
	sys.exit(1)
EOF
	die "doc/guides/rel_notes/release_rtap.rst does not parse cleanly"
say "no warning about rtap.rst, rtap.ini or the nics index; HTML in $out (nics/rtap.html)"
