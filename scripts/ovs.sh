#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Open vSwitch with DPDK (Debian's openvswitch-switch-dpdk) loading
# librte_net_rtap.so through dpdk-extra, private (common.sh's ovs_start): a
# net_rtap port and a net_tap port on a netdev bridge, each port's tap in a
# namespace of its own; pings, then iperf3 TCP both ways through OVS. tso:
# with OVS's userspace TSO, which both ports must take.
# usage: ovs.sh <librte_net_rtap.so> [tso]; exit 0 passed, 1 failed, 77 skipped

set -u
export RTAP_PMD_SO=${1:?usage: ovs.sh <librte_net_rtap.so> [tso]}
mode=${2:-plain} me="ovs[${2:-plain}]" secs=3 nsp=rtap-ovs-$$- pmd=ovs
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
need_tap ip timeout ping iperf3 ss ovsdb-tool ovsdb-server ovs-vsctl ovs-appctl
[ -x "$ovs_vswitchd" ] || skip "$ovs_vswitchd is not installed (package openvswitch-switch-dpdk)"
[ -f "$RTAP_PMD_SO" ] || die "$RTAP_PMD_SO is not built (scripts/setup.sh --standalone)"
begin_run ovs
# tap_counts <counter...>: those of the net_rtap port's tap, in namespace a.
tap_counts()
{
	local c f=()
	for c; do f+=("/sys/class/net/rtovs$$/statistics/$c"); done
	ip netns exec "${nsp}a" cat "${f[@]}" | tr '\n' ' '
}
opts=() && [ "$mode" = plain ] || opts=(other_config:userspace-tso-enable=true)
ovs_start "${opts[@]}"
say "$("$ovs_vswitchd" --version | tr '\n' ' ')with $RTAP_PMD_SO"
# net_tap needs as many Rx queues as OVS opens Tx queues (PMD threads + 1).
# OVS 3.1 asks for Rx checksum offload but does not finish partial
# checksums (RTE_MBUF_F_RX_L4_CKSUM_NONE): rx_csum=full.
ovs_port r0 "net_rtap0,iface=rtovs$$,rx_csum=full"
ovs_port t0 "net_tap0,iface=rtovt$$" options:n_rxq=2
ns_pair "$nsp" "rtovs$$" "rtovt$$" 10.98.0
ip netns exec "${nsp}a" timeout 30 ping -c 50 -i 0.01 -W 2 -q 10.98.0.2 | grep -q " 50 received" ||
	die "pings through OVS lost"
for dir in "" -R; do
	# shellcheck disable=SC2086 # none or -R
	tcp_iperf $dir >/dev/null
	say "TCP ${dir:+(-R) }through OVS: $gbps Gbit/s"
done
# What net_rtap counted (OVS's view of port r0) is what its tap counted on
# the kernel's side, both ways.
show=$(ovs-appctl -t "$ovs_dir/vswitchd.ctl" dpctl/show -s) || die "OVS: no dpctl/show"
r0=$(awk '/ r0 \(dpdk/ { on = 1 }
	on && /packets:/ { sub(/.*packets:/, ""); printf "%s ", $1; if (++n == 2) exit }' <<<"$show")
kern=$(tap_counts tx_packets rx_packets)
say "port r0: Rx, Tx packets $r0; its tap: Tx, Rx packets $kern"
[ "$r0" = "$kern" ] && [ "${kern%% *}" -gt 1000 ] ||
	die "net_rtap's counters do not match its tap's: $r0 / $kern"
if [ "$mode" = tso ]; then
	grep -q "Userspace TCP Segmentation Offloading support enabled" "$ovs_dir/vswitchd.log" ||
		die "OVS did not enable userspace TSO"
	grep -q " r0 (dpdk:.*tx_tso_offload=true" <<<"$show" || die "OVS uses no TSO on net_rtap: $(grep r0 <<<"$show")"
	# OVS's internal port (a tap of its own, with TSO) in namespace c sends
	# super-packets: net_rtap must hand them to its tap whole.
	ovs_internal "rtovi$$"
	ns_add "${nsp}c" "rtovi$$" 10.98.0.3/24
	c0=$(tap_counts rx_packets rx_bytes)
	iperf_cli=${nsp}c iperf_srv=${nsp}a iperf_ip=10.98.0.1 tcp_iperf >/dev/null
	c1=$(tap_counts rx_packets rx_bytes)
	avg=$(awk -v a="$c0" -v b="$c1" 'BEGIN { split(a, x); split(b, y); print int((y[2] - x[2]) / (y[1] - x[1] + 1)) }')
	say "TCP from OVS's internal port through net_rtap: $gbps Gbit/s, $avg bytes a frame written to its tap"
	[ "$avg" -gt 3000 ] || die "net_rtap wrote no super-packets from OVS's TSO ($avg bytes a frame)"
fi
ovs_vsctl del-br br0 || die "OVS: cannot delete br0"
say "PASS: pings and TCP both ways through OVS between net_rtap and net_tap"
