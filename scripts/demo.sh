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
	if [ -n "$work" ] && [ -f "$work/testpmd.log" ]; then
		echo "---- last lines of the testpmd output ----" >&2
		tail -n 30 "$work/testpmd.log" | tr -d '\033' >&2
	fi
	exit 1
}

alive()
{
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# wait_for <seconds> <command...>: poll until the command succeeds.
wait_for()
{
	local n=$(($1 * 5))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

log_has()
{
	grep -q "$1" "$work/testpmd.log" 2>/dev/null
}

count_at_least()
{
	[ "$(grep -c "$1" "$work/testpmd.log")" -ge "$2" ]
}

stop_testpmd()
{
	local n
	if $fifo_open; then
		echo quit >&3 2>/dev/null
		exec 3>&-
		fifo_open=false
	fi
	[ -n "$pid" ] || return 0
	for sig in NONE TERM KILL; do
		# $pid is timeout(1), which passes TERM on to testpmd.
		# shellcheck disable=SC2046
		case $sig in
		TERM) kill -TERM "$pid" 2>/dev/null ;;
		KILL) kill -KILL $(ps -o pid= --ppid "$pid") "$pid" 2>/dev/null ;;
		esac
		n=100
		while alive && [ $n -gt 0 ]; do
			sleep 0.2
			n=$((n - 1))
		done
		alive || break
	done
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
	stop_testpmd
	for ns in $created; do
		ip netns del "$ns" 2>/dev/null
	done
	for ifc in $if0 $if1; do
		ip link del dev "$ifc" 2>/dev/null
	done
	rm -rf "/var/run/dpdk/$prefix"
	[ -n "$work" ] && rm -rf "$work"
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
# stdbuf: line-buffered output in the log, so commands can be followed;
# a sanitizer runtime would otherwise refuse the preloaded library.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
mkfifo "$work/cmd"
cmd="$testpmd --no-huge -m 512 --no-pci -l 0-1 --file-prefix=$prefix
	--vdev=${pmd}0,iface=$if0 --vdev=${pmd}1,iface=$if1 --
	-i --auto-start --forward-mode=io --nb-cores=1 --total-num-mbufs=16384"
echo "$cmd" | tr -s '\t\n' ' '
echo
# shellcheck disable=SC2086
timeout -k 10 $((seconds + 170)) stdbuf -oL -eL $cmd \
	<"$work/cmd" >"$work/testpmd.log" 2>&1 &
pid=$!
exec 3>"$work/cmd"
fifo_open=true

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
off=$(stat -c %s "$work/testpmd.log")
n=$(grep -c "Tx-bps:" "$work/testpmd.log")
echo "show port stats all" >&3
wait_for 20 count_at_least "Tx-bps:" $((n + 2)) ||
	die "no answer to 'show port stats all'"
sleep 0.5
tail -c +"$((off + 1))" "$work/testpmd.log" | tr -d '\033' |
	sed -n '/NIC statistics for port/,/^  #*$/p'

heading "stopping testpmd, removing the namespaces"
stop_testpmd
tr -d '\033' <"$work/testpmd.log" |
	sed -n '/Accumulated forward statistics/,/^ *+\{10,\}/p'
cleanup
echo
say "iperf3 TCP throughput through dpdk-testpmd and $pmd: ${rate:-unknown}"
[ -n "$rate" ]
