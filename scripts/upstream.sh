#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Write net_rtap as a patch series with a cover letter for DPDK main, one
# commit per step on a scratch worktree of the given tree: main's code only
# (no compat version blocks, no 22.11 notes); rtap_ethdev.c's "series:"
# markers decide which step brings which part; the texts are at the end.
# usage: upstream.sh [--check] <dpdk-main-tree> [<output-dir>]
#   --check  git am onto HEAD; each patch builds (gcc -Werror) and passes
#            checkpatches.sh (DPDK_CHECKPATCH_PATH or linux-source); then the
#            tree's check-spdx-tag, check-meson, check-doc-vs-code, -maintainers

set -eu
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
me=upstream check=false
[ "${1:-}" != --check ] || { check=true; shift; }
tree=$(cd "${1:?usage: upstream.sh [--check] <dpdk-main-tree> [<output-dir>]}" && pwd)
out=${2:-$root/build/series}
git -C "$tree" rev-parse --verify -q HEAD >/dev/null || fail "$tree is not a git tree"
rel=$(cd "$tree" && ls doc/guides/rel_notes/release_[0-9]*.rst | sort -V | tail -n 1)
scratch=$(mktemp -d) wt=$scratch/wt drv=drivers/net/rtap
trap 'git -C "$tree" worktree remove --force "$wt" 2>/dev/null; rm -rf "$scratch"' EXIT
git -C "$tree" worktree add -q --detach "$wt" HEAD
base=$(git -C "$wt" rev-parse HEAD)

# msg <n>: the n-th text at the end of this file.
msg() { awk -v n="$1" '/^__END__$/ { on = 0 } on && /^----$/ { i++; next } on && i == n - 1
	/^: <<.__END__.$/ { on = 1 }' "${BASH_SOURCE[0]}"; }
# commit <n>: all of the scratch tree, with message n.
commit() { git -C "$wt" add -A && msg "$1" | git -C "$wt" commit -q -s -F -; }
# tree_edit <list>: the tree's lists and index, as graft.sh edits them.
tree_edit() { "$root/scripts/graft.sh" --lists "$1" "$wt" >/dev/null; }

# strip <features>: a file on stdin, without the parts of other features.
strip()
{
	awk -v want=" $1 " '/^[ \t]*\/\* series: [a-z]+ end \*\/$/ { depth--; next }
		/^[ \t]*\/\* series: [a-z]+ \*\/$/ { name[++depth] = $3; next }
		{ for (i = 1; i <= depth; i++) if (index(want, " " name[i] " ") == 0) next; print }'
}

# put_driver <features> <source files...>: the driver at that step.
put_driver()
{
	local f srcs=
	mkdir -p "$wt/$drv" && cp "$root/$drv/rtap.h" "$wt/$drv/"
	strip "$1" <"$root/$drv/rtap_ethdev.c" >"$wt/$drv/rtap_ethdev.c"
	strip "" <"$root/$drv/rtap_compat.h" >"$wt/$drv/rtap_compat.h"
	for f in "${@:2}"; do
		[ "$f" = rtap_ethdev.c ] || cp "$root/$drv/$f" "$wt/$drv/"
		srcs="$srcs        '$f',\n"
	done
	awk -v srcs="$srcs" '/^pmd_supports_disable_iova_as_pa/ { next }
		/22.11 reads the second name/ { sub(/ \(22.11 reads the second name\)/, "") }
		/^sources = files\($/ { print; printf "%s", srcs; skip = 1; next }
		skip && /^\)$/ { skip = 0 }
		!skip' "$root/$drv/meson.build" | sed 's/\\n/\n/g' | sed '/^$/N;/^\n$/D' >"$wt/$drv/meson.build"
}

# The driver step by step: each step's feature and the source it adds.
n=0 features='' srcs="rtap_ethdev.c rtap_netlink.c"
for s in base rxtx:rtap_rxtx.c control intr:rtap_intr.c xstats:rtap_xstats.c mp:rtap_mp.c; do
	[ "$s" = base ] || features="$features ${s%%:*}"
	[ "$s" = "${s#*:}" ] || srcs="$srcs ${s#*:}"
	# shellcheck disable=SC2046 # one argument per source
	put_driver "${features# }" $(printf '%s\n' $srcs | sort)
	[ "$s" != base ] || tree_edit driver
	commit $((n += 1))
done

# Every test source and header, as graft.sh takes them, but the
# compatibility header.
for f in "$root"/app/test/test_pmd_rtap*.[ch]; do
	[[ $f = *_compat.h ]] || grep -v '^#include "test_pmd_rtap_compat.h"$' "$f" >"$wt/app/test/${f##*/}"
done
tree_edit tests
commit 7

mkdir -p "$wt/doc/guides/nics/features"
sed '/^\.\. series: repository only$/,$d' "$root/doc/guides/nics/rtap.rst" |
	sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$wt/doc/guides/nics/rtap.rst"
cp "$root/doc/guides/nics/features/rtap.ini" "$wt/doc/guides/nics/features/"
tree_edit docs
# MAINTAINERS: after the TAP PMD's entry, among the virtual drivers.
awk -v entry="$(cat "$root/MAINTAINERS")" '{ print }
	/^F: doc\/guides\/nics\/features\/tap.ini$/ { print ""; print entry; done = 1 }
	END { exit !done }' "$wt/MAINTAINERS" >"$scratch/m" || fail "no TAP entry in MAINTAINERS"
grep -v '^T: ' "$scratch/m" >"$wt/MAINTAINERS"
# The release notes: the entry after the New Features comment block.
awk -v entry="$(sed '1,/^$/d' "$root/doc/guides/rel_notes/release_rtap.rst" | sed '1,/^$/d')" '{ print }
	/^New Features$/ { nf = 1 }
	nf && /^     =+$/ { print ""; print entry; nf = 0; done = 1 }
	END { exit !done }' "$wt/$rel" >"$scratch/r" || fail "no New Features section in $rel"
mv "$scratch/r" "$wt/$rel"
commit 8

rm -rf "$out" && mkdir -p "$out"
git -C "$wt" format-patch -q --cover-letter -o "$out" "$base"
cover=$(ls "$out"/0000-*.patch)
msg 9 >"$scratch/blurb"
awk -v blurb="$scratch/blurb" '{ sub(/\*\*\* SUBJECT HERE \*\*\*/, "introduce io_uring based TAP PMD") }
	/^\*\*\* BLURB HERE \*\*\*$/ { while ((getline l < blurb) > 0) print l; next }
	{ print }' "$cover" >"$scratch/cover" && mv "$scratch/cover" "$cover"
say "$(ls "$out" | wc -l) files in $out (base $base, release notes $rel)"
$check || exit 0

# Every patch applies, builds and passes checkpatches. Without
# DPDK_CHECKPATCH_PATH, checkpatch.pl comes from Debian's linux-source
# package (apt-get install linux-source-6.1).
if [ -z "${DPDK_CHECKPATCH_PATH:-}" ]; then
	src=$(ls /usr/src/linux-source-*.tar.* 2>/dev/null | sort -V | tail -n 1)
	[ -n "$src" ] || fail "no checkpatch.pl: set DPDK_CHECKPATCH_PATH or apt-get install linux-source-6.1"
	top=$(basename "${src%.tar.*}")/scripts
	tar -xf "$src" -C "$scratch" "$top/checkpatch.pl" "$top/spelling.txt" "$top/const_structs.checkpatch"
	export DPDK_CHECKPATCH_PATH=$scratch/$top/checkpatch.pl
fi
patches=("$out"/*.patch)
git -C "$wt" checkout -q --detach "$base" && git -C "$wt" am -q "${patches[@]:1}"
n=0 failed=0
# try <log> <command...>: the command, its output in log; failed=1 if it fails.
try() { "${@:2}" >"$1" 2>&1 || { failed=1; return 1; }; }
for c in $(git -C "$wt" rev-list --reverse "$base..HEAD"); do
	n=$((n + 1)) b=builds k="checkpatches clean"
	git -C "$wt" checkout -q "$c"
	try "$scratch/build-$n.log" env CC=gcc "$root/scripts/build-dpdk.sh" --no-graft \
		"$wt" "$scratch/build" "$scratch/stamp" -Dwerror=true -Ddeveloper_mode=enabled ||
		{ b="BUILD FAILED"; grep -E "error|warning" "$scratch/build-$n.log" | head -n 20; }
	try "$scratch/cp-$n.log" env -C "$wt" devtools/checkpatches.sh "${patches[n]}" ||
		{ k="CHECKPATCHES FAILED"; cat "$scratch/cp-$n.log"; }
	say "patch $n ($(git -C "$wt" log -1 --format=%s "$c")): $b, $k"
done
# The tree-wide checks, with the whole series in.
for c in check-spdx-tag.sh check-meson.py check-doc-vs-code.sh check-maintainers.sh; do
	try "$scratch/check.log" env -C "$wt" "devtools/$c" && say "devtools/$c: clean" ||
		{ cat "$scratch/check.log"; say "devtools/$c: FAILED"; }
done
[ "$failed" = 0 ] && say "$n patches apply on $base, each builds and passes checkpatches; tree checks clean"
exit $failed

# The commit messages, in the order of the commits, then the cover letter's
# text, each ending at a line "----".
: <<'__END__'
net/rtap: introduce io_uring based TAP PMD

Add the skeleton of net_rtap, a virtual PMD that gives an application a
kernel TAP interface, as net_tap does, and will do its packet I/O with
io_uring. This first step probes and removes the device: it parses the
devargs (iface, persist, mac), creates or attaches to a multi-queue TAP
interface with a virtio-net header, keeps one detached queue fd so the
interface lives as long as the port, and opens one kernel queue fd per
queue pair at configure. The interface is addressed by ifindex through
rtnetlink, so a rename from the kernel side changes nothing.
----
net/rtap: add Rx and Tx through io_uring

Each queue owns an io_uring. Rx keeps reads posted into mbufs, with the
virtio-net header read into the headroom, or one multishot read into a
provided-buffer ring where the kernel has it (6.7 and later); Tx queues
a write or writev per packet and submits once per burst, reaping
completed writes first. The virtio-net header carries L4 checksum and
TSO requests to the kernel, and checksum status and super-packets (LRO)
back. No system call is made per packet.
----
net/rtap: add link, MTU, MAC and flag control

Link up and down, promiscuous and all-multicast modes, MTU and MAC
address are set on the kernel interface with rtnetlink requests
addressed by ifindex. An MTU change on a started port is refused when
the posted Rx buffers cannot hold it.
----
net/rtap: add link state and Rx queue interrupts

Link state changes come from an rtnetlink socket subscribed to link
events and watched by the EAL interrupt thread. Rx queue interrupts are
eventfds the queue's io_uring signals when a read completes. The two
use separate handles, so both work at once.
----
net/rtap: add extended statistics

Per-queue size buckets, broadcast, multicast and unicast counts, and for
Rx the LRO, checksum and allocation-failure counts, for Tx the TSO,
checksum offload and multi-segment counts. ethdev fills in the basic
per-queue counters (RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS).
----
net/rtap: support secondary processes

A secondary attaches to the primary's port and receives the kernel queue
fds over the EAL multi-process channel; it builds its own io_uring for
each queue it polls, since a ring belongs to the process that set it up.
Control operations stay with the primary.
----
test/rtap: add net_rtap unit tests

Every case runs against a real TAP interface and checks the kernel side:
frames injected through an AF_PACKET socket must come out of rx_burst
byte for byte, frames sent with tx_burst must be captured on the
interface byte for byte, and flags, MTU, MAC and link state must follow
the ethdev calls. rtap_pmd_autotest is the fast part,
rtap_pmd_driver_autotest holds interrupts, faults from outside and
reconfiguration, rtap_mp_autotest shares a port with a secondary,
rtap_perf_autotest compares Tx and Rx rates with net_tap and
rtap_soak_autotest runs traffic for a long time.
----
doc: add net_rtap guide

Add the user guide and feature matrix of net_rtap, its maintainers
entry and the release notes entry.
----
net_rtap gives a DPDK application a kernel TAP interface, as net_tap
does, and does all packet I/O with io_uring: each queue has its own
ring, and reads and writes are queued in batches and submitted once per
burst instead of one system call per packet. Checksums, TSO and LRO go
through the virtio-net header, so the kernel does what it already does
well and the driver stays small.

The series adds the driver step by step (probe, Rx/Tx, control,
interrupts, xstats, multi-process), then its unit tests, which run
against real TAP interfaces and check the kernel side byte for byte,
and its guide.
__END__
