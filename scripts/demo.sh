#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# The demo: set-up and build (setup.sh), then two network namespaces whose
# only path is dpdk-testpmd forwarding (io mode) between two net_rtap ports;
# a ping and a 10 s iperf3 TCP test across, testpmd's port statistics, and
# everything removed again. usage: demo.sh

set -u
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$root" || exit 1
me=demo pmd=net_rtap seconds=10 nsa=rtap-demo-a nsb=rtap-demo-b
heading() { printf '\n==== %s ====\n' "$*"; }
cleanup_more() { [ ! -f "$work/iperf3-server.pid" ] || kill "$(cat "$work/iperf3-server.pid")" 2>/dev/null; }
bash scripts/setup.sh || die "set-up or build failed"
need_tap
for x in $nsa $nsb; do
	! ip netns list | grep -qw "^$x" || die "namespace $x exists (another demo running? if not: ip netns del $x)"
done
begin_run demo
heading "dpdk-testpmd: $pmd ports rtdemo0 and rtdemo1, io forwarding"
start_fwd $((seconds + 170)) rtdemo0 rtdemo1
echo "${testpmd_cmd[*]}"
clean_log | grep -E "^Port [0-9]+: " || true
heading "the TAP interfaces, moved into namespaces $nsa and $nsb"
ns_pair rtap-demo- rtdemo0 rtdemo1 10.99.1
for x in $nsa $nsb; do echo "--- ip netns exec $x ip link; ip addr" && ip -n $x link show && ip -n $x addr show; done
heading "ping 10.99.1.2 from $nsa"
ip netns exec $nsa timeout 30 ping -c 5 -i 0.2 10.99.1.2 || die "ping through testpmd failed"
heading "iperf3 TCP, $seconds s: client in $nsb -> server 10.99.1.1 in $nsa"
ip netns exec $nsa iperf3 -s -1 -B 10.99.1.1 -D -I "$work/iperf3-server.pid" \
	--logfile "$work/iperf3-server.log" || die "cannot start the iperf3 server"
wait_for 10 eval "ip netns exec $nsa ss -Htln 'sport = :5201' | grep -q ." ||
	die "the iperf3 server does not listen"
ip netns exec $nsb timeout $((seconds + 30)) \
	iperf3 -c 10.99.1.1 -t "$seconds" -f m --forceflush | tee "$work/iperf3.out"
[ "${PIPESTATUS[0]}" = 0 ] || die "iperf3 failed"
alive || die "testpmd exited during the test"
rate=$(awk '/receiver$/ { print $(NF - 2), $(NF - 1) }' "$work/iperf3.out")
heading "testpmd> show port stats all"
port_stats >"$work/stats" || die "no answer to 'show port stats all'"
sed -n '/NIC statistics for port/,/^  #*$/p' "$work/stats"
heading "stopping testpmd, removing the namespaces"
stop_testpmd
clean_log | sed -n '/Accumulated forward statistics/,/^ *+\{10,\}/p'
end_run
echo
say "iperf3 TCP throughput through dpdk-testpmd and $pmd: ${rate:-unknown}"
[ -n "$rate" ]
