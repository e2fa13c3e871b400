#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# The demo: set-up and build (setup.sh), then two network namespaces whose
# only path is dpdk-testpmd's csum engine between two net_rtap ports, with
# checksum and TSO/LRO offloads: a ping and iperf3 TCP across, testpmd's port
# statistics; then the same through net_tap, and the ratio. usage: demo.sh

set -u
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$root" || exit 1
me=demo secs=8 seg=1448 ifa=rtdemo0 ifb=rtdemo1 nsp=rtap-demo- testpmd_mem="--no-huge -m 1024"
heading() { printf '\n==== %s ====\n' "$*"; }
bash scripts/setup.sh || die "set-up or build failed"
need_tap iperf3 ss
begin_run demo && new_ifaces $ifa $ifb
for pmd in net_rtap net_tap; do
	heading "dpdk-testpmd: $pmd ports $ifa and $ifb, csum engine," \
		"checksum and TSO$([ $pmd = net_tap ] || echo /LRO) offloads"
	ns_fwd $pmd csum
	# shellcheck disable=SC2001 # each line
	echo "${testpmd_cmd[*]}" && sed 's/^/testpmd> /' <<<"$tp_cmds"
	if [ $pmd = net_rtap ]; then
		heading "the TAP interfaces, moved into namespaces ${nsp}a and ${nsp}b"
		for x in ${nsp}a ${nsp}b; do echo "--- ip -n $x link; ip -n $x addr" && ip -n $x link && ip -n $x addr; done
		heading "ping 10.98.0.2 from ${nsp}a"
		ip netns exec ${nsp}a timeout 30 ping -c 5 -i 0.2 10.98.0.2 || die "ping through testpmd failed"
		heading "iperf3 TCP, $secs s after 1 s not counted: ${nsp}a -> ${nsp}b (10.98.0.2)"
		tcp_iperf && rtap=$gbps
		heading "testpmd> show port stats all"
		port_stats 2 >"$work/stats" || die "no answer to 'show port stats all'"
		sed -n '/NIC statistics for port/,/^  #*$/p' "$work/stats"
	else say "iperf3 TCP, the same $secs s through net_tap" && tcp_iperf >/dev/null
	fi
	alive || die "$pmd: testpmd exited during the test"
	ns_fwd_end
	say "$pmd: $gbps Gbit/s"
done
say "$(awk -v a="$rtap" -v b="$gbps" 'BEGIN { printf "TCP through testpmd with checksum and TSO/LRO" \
	" offloads: net_rtap %.1f Gbit/s, net_tap %.1f Gbit/s: %.1f times", a, b, (b > 0 ? a / b : 0) }')"
