#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Demonstration: two network namespaces whose only connection is dpdk-testpmd
# forwarding (io mode) between two net_rtap ports. Sets up and builds first
# (scripts/setup.sh), then:
#
#   - starts dpdk-testpmd with --vdev=net_rtap0,iface=rtdemo0 and
#     --vdev=net_rtap1,iface=rtdemo1,
#   - moves rtdemo0 into namespace rtap-demo-a (10.99.1.1/24) and rtdemo1
#     into rtap-demo-b (10.99.1.2/24), shows them with ip link / ip addr,
#   - pings across, runs an iperf3 TCP test for 10 s (server in a, client
#     in b) and prints the throughput,
#   - prints testpmd's 'show port stats all', stops testpmd and removes the
#     namespaces.
#
# usage: demo.sh
#
# Environment:
#   RTAP_DEMO_SECONDS  iperf3 duration (default 10)
#   RTAP_BUILD_DIR     build directory (default build)
#   RTAP_PMD           driver name prefix (default net_rtap)

set -u

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
# shellcheck source=scripts/common.sh
. scripts/common.sh

PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH

build=${RTAP_BUILD_DIR:-build}
pmd=${RTAP_PMD:-net_rtap}
seconds=${RTAP_DEMO_SECONDS:-10}
testpmd=$build/dpdk/app/dpdk-testpmd
if0=rtdemo0
if1=rtdemo1
nsa=rtap-demo-a
nsb=rtap-demo-b
addra=10.99.1.1
addrb=10.99.1.2
prefix=rtdemo_$$

pid=
fifo_open=false
work=
created=

say()
{
	echo "demo: $*"
}

heading()
{
	echo
	echo "==== $* ===="
}

die()
{
	echo "demo: ERROR: $*" >&2
	testpmd_tail 30 >&2
	exit 1
}

# quit, then SIGTERM, then SIGKILL, each given 20 s to end testpmd.
stop_testpmd()
{
	testpmd_quit
	[ -n "$pid" ] || return 0
	wait_exit 20 && return 0
	# $pid is timeout(1), which passes TERM on to testpmd.
	kill -TERM "$pid" 2>/dev/null
	wait_exit 20 && return 0
	testpmd_kill
	wait_exit 20 && return 0
	wait "$pid" 2>/dev/null
	pid=
}

cleanup()
{
	set +e
	trap - EXIT INT TERM
	if [ -n "$work" ] && [ -f "$work/iperf3-server.pid" ]; then
		kill "$(cat "$work/iperf3-server.pid")" 2>/dev/null
	fi
	remove_run "$created" "$if0 $if1"
}

bash scripts/setup.sh || die "set-up or build failed"

[ "$(id -u)" = 0 ] || die "the demo needs root (TAP interfaces, namespaces)"
[ -c /dev/net/tun ] || die "no /dev/net/tun"
for ns in $nsa $nsb; do
	ip netns list | grep -qw "^$ns" &&
		die "namespace $ns exists (another demo running? if not: ip netns del $ns)"
done
for ifc in $if0 $if1; do
	ip link show dev $ifc >/dev/null 2>&1 &&
		die "interface $ifc exists (another demo running? if not: ip link del $ifc)"
done

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

work=$(mktemp -d /tmp/rtap-demo.XXXXXX)
ip netns add $nsa && created=$nsa &&
ip netns add $nsb && created="$nsa $nsb" ||
	die "cannot create network namespaces"

heading "dpdk-testpmd: $pmd ports $if0 and $if1, io forwarding"
start_testpmd_fifo $((seconds + 170)) \
	--vdev="${pmd}0,iface=$if0" --vdev="${pmd}1,iface=$if1" -- \
	-i --auto-start --forward-mode=io --nb-cores=1 --total-num-mbufs=16384
printf '%s ' "${testpmd_cmd[@]}"
echo

wait_for 60 log_has "testpmd> " || die "testpmd did not start"
alive || die "testpmd exited"
log_has "Start automatic packet forwarding" ||
	die "testpmd did not start forwarding"
tr -d '\033' <"$work/testpmd.log" | grep -E "^Port [0-9]+: " || true

heading "the TAP interfaces, moved into namespaces $nsa and $nsb"
ip link set dev $if0 netns $nsa &&
ip link set dev $if1 netns $nsb &&
ip -n $nsa addr add $addra/24 dev $if0 &&
ip -n $nsa link set dev $if0 up &&
ip -n $nsa link set dev lo up &&
ip -n $nsb addr add $addrb/24 dev $if1 &&
ip -n $nsb link set dev $if1 up &&
ip -n $nsb link set dev lo up ||
	die "cannot set up the interfaces in the namespaces"
for ns in $nsa $nsb; do
	echo "--- ip netns exec $ns ip link; ip addr"
	ip -n $ns link show
	ip -n $ns addr show
done

heading "ping $addrb from $nsa"
wait_for 15 ip netns exec $nsa ping -c 1 -W 1 -q $addrb >/dev/null ||
	die "no reply through testpmd within 15 s"
ip netns exec $nsa timeout 30 ping -c 5 -i 0.2 $addrb ||
	die "ping through testpmd failed"

heading "iperf3 TCP, $seconds s: client in $nsb -> server $addra in $nsa"
ip netns exec $nsa iperf3 -s -1 -B $addra -D \
	-I "$work/iperf3-server.pid" --logfile "$work/iperf3-server.log" ||
	die "cannot start the iperf3 server"
server_up()
{
	ip netns exec $nsa ss -Htln "sport = :5201" | grep -q .
}
wait_for 10 server_up || die "the iperf3 server does not listen"
ip netns exec $nsb timeout $((seconds + 30)) \
	iperf3 -c $addra -t "$seconds" -f m --forceflush | tee "$work/iperf3.out"
[ "${PIPESTATUS[0]}" = 0 ] || die "iperf3 failed"
alive || die "testpmd exited during the test"
rate=$(awk '/receiver$/ { print $(NF - 2), $(NF - 1) }' "$work/iperf3.out")

heading "testpmd> show port stats all"
port_stats >"$work/stats" || die "no answer to 'show port stats all'"
sed -n '/NIC statistics for port/,/^  #*$/p' "$work/stats"

heading "stopping testpmd, removing the namespaces"
stop_testpmd
tr -d '\033' <"$work/testpmd.log" |
	sed -n '/Accumulated forward statistics/,/^ *+\{10,\}/p'
cleanup
echo
say "iperf3 TCP throughput through dpdk-testpmd and $pmd: ${rate:-unknown}"
[ -n "$rate" ]
