#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Benchmark of net_rtap beside net_tap and net_af_packet, in one command.
# Builds what is missing, then:
#
#   autotest  dpdk-test's rtap_perf_autotest: Tx, Rx, the bare io_uring
#             floor, one and two queues, 64/512/1500-byte frames, a
#             sustained Tx run (see app/test/test_pmd_rtap_perf.c).
#   fwd       dpdk-testpmd, two ports, io forwarding, closed through the
#             kernel: tc on each tap's ingress redirects whatever DPDK
#             transmits there to the other tap's egress, so every frame
#             DPDK forwards comes back to it. RTAP_BENCH_FRAMES 64-byte
#             frames injected once into each direction keep circulating;
#             the rate is what DPDK writes into the two taps per second,
#             from the kernel's counters (net_tap's SIGIO per packet can
#             keep testpmd's main thread from printing its statistics).
#             The forwarding lcore also does the kernel's part (the tap
#             write runs tc and mirred in its context). net_af_packet
#             runs the same loop on one end of each of two veth pairs,
#             the tc redirects on the other ends.
#   tcp       kernel TCP (iperf3, one stream) between two network
#             namespaces whose only path is testpmd io forwarding between
#             the two taps (moved into the namespaces once testpmd runs);
#             net_rtap also with testpmd's csum engine and TSO: with LRO the
#             kernel hands net_rtap TCP super-packets, which go out of the
#             other port as TSO packets for the kernel to take whole.
#             net_af_packet, on the host ends of two veth pairs whose
#             other ends are in the namespaces, has no offloads: the
#             kernel checksums and segments before the veth (as it does
#             for net_tap's tap).
#
# Each testpmd measurement runs RTAP_BENCH_RUNS times, alternating the
# drivers (rtap, tap, af_packet, rtap, ...); the table shows medians (min-max), the CPU
# time testpmd used (all its threads: net_tap's signal handling and work the
# kernel does for a queue elsewhere count too), the rate per CPU, and the
# ratios of the medians. Absolute numbers depend on the machine and on what
# else runs on it: the ratios are the result.
#
# testpmd runs with --no-flush-rx, so that only the forwarding lcore ever
# polls the queues: the kernel does a read's work on the thread that posted
# it (net_rtap moves its multishot read to the polling thread when another
# thread armed it, but the measurement should not depend on that).
#
# usage: bench.sh [autotest] [fwd] [tcp]      (default: all three)
#
# Environment:
#   RTAP_BUILD_DIR      build directory (default build)
#   RTAP_DPDK_BUILD     a DPDK build directory to measure instead, as
#                       test-release.sh leaves it (not rebuilt here)
#   RTAP_BENCH_RUNS     runs per testpmd configuration (default 3)
#   RTAP_BENCH_SECONDS  length of one testpmd measurement (default 5)
#   RTAP_BENCH_FRAMES   frames circulating per direction in fwd (default 512)
#
# Exit status: 0 measured, 1 failed, 77 skipped (not root, no /dev/net/tun).

set -u

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1

PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH
export PATH

# shellcheck source=scripts/common.sh
. scripts/common.sh

build=${RTAP_BUILD_DIR:-build}
runs=${RTAP_BENCH_RUNS:-3}
secs=${RTAP_BENCH_SECONDS:-5}
frames=${RTAP_BENCH_FRAMES:-512}
lock=/tmp/rtap-build.lock
# A DPDK build of another tree (test-release.sh's) can be measured too.
dpdk_build=${RTAP_DPDK_BUILD:-$build/dpdk}
dpdk_test=$dpdk_build/app/test/dpdk-test
[ -x "$dpdk_test" ] || dpdk_test=$dpdk_build/app/dpdk-test
testpmd=$dpdk_build/app/dpdk-testpmd

tag=$$
prefix=rtbench_$tag
nsa=rtbench-a-$tag
nsb=rtbench-b-$tag
ifa=rtba$tag
ifb=rtbb$tag
# net_af_packet: the other ends of the veth pairs of ifa and ifb
ifa_k=rtka$tag
ifb_k=rtkb$tag
mac_a=02:72:74:62:00:01
mac_b=02:72:74:62:00:02
work=
pid=
fifo_open=false

parts=${*:-autotest fwd tcp}
for part in $parts; do
	case $part in
	autotest | fwd | tcp) ;;
	*)
		echo "usage: bench.sh [autotest] [fwd] [tcp]" >&2
		exit 1
		;;
	esac
done

say()
{
	echo "bench: $*"
}

skip()
{
	echo "SKIP: $*"
	exit 77
}

die()
{
	echo "FAIL: $*" >&2
	if [ -n "$work" ] && [ -f "$work/testpmd.log" ]; then
		echo "---- last lines of the testpmd output ----" >&2
		tail -n 30 "$work/testpmd.log" | tr -d '\033' >&2
	fi
	exit 1
}

# Stop testpmd: quit (interactive) or SIGINT, then TERM, then KILL.
tp_stop()
{
	[ -n "$pid" ] || return 0
	if $fifo_open; then
		echo quit >&3 2>/dev/null
		exec 3>&-
		fifo_open=false
	else
		kill -INT "$pid" 2>/dev/null
	fi
	wait_exit 20 && return 0
	say "testpmd does not exit, sending SIGTERM"
	kill -TERM "$pid" 2>/dev/null
	wait_exit 10 && return 0
	# $pid is timeout(1); its child is testpmd.
	# shellcheck disable=SC2046
	kill -KILL $(ps -o pid= --ppid "$pid") "$pid" 2>/dev/null
	wait_exit 5
}

cleanup()
{
	set +e
	trap - EXIT INT TERM
	tp_stop
	ip netns del "$nsa" 2>/dev/null
	ip netns del "$nsb" 2>/dev/null
	for i in "$ifa" "$ifb" "$ifa_k" "$ifb_k"; do
		ip link del dev "$i" 2>/dev/null
	done
	rm -rf "/var/run/dpdk/$prefix"
	[ -n "$work" ] && rm -rf "$work"
}

# --- checks and build --------------------------------------------------------

[ "$(id -u)" = 0 ] || skip "needs root (TAP interfaces, namespaces, tc)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
for t in meson ninja flock timeout stdbuf ip tc iperf3 ethtool python3 awk sort; do
	command -v "$t" >/dev/null || skip "$t is not installed (scripts/setup.sh installs what is needed)"
done

if [ -z "${RTAP_DPDK_BUILD:-}" ]; then
	if [ ! -f "$build/build.ninja" ]; then
		say "configuring $build"
		timeout 600 meson setup "$build" || die "meson setup $build failed"
	fi
	say "building (waits for other builds: $lock)"
	timeout 3600 flock "$lock" ninja -C "$build" >/dev/null ||
		die "the build failed: run 'flock $lock ninja -C $build' to see why"
fi
[ -x "$dpdk_test" ] && [ -x "$testpmd" ] || die "no dpdk-test or dpdk-testpmd in $build"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
work=$(mktemp -d /tmp/rtap-bench.XXXXXX)

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
machine="$(nproc) CPUs ($cpu), kernel $(uname -r)"
say "$machine, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- helpers -------------------------------------------------------------------

# testpmd runs through common.sh's start_testpmd, with room for two ports'
# pools and testpmd's own.
testpmd_mem="--no-huge -m 1024"

if_up()
{
	ip -o link show dev "$1" 2>/dev/null | grep -q "[<,]UP[,>]"
}

# median of the numbers on stdin, with min and max: "med min max"
stats()
{
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "0 0 0"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m, v[1], v[NR]
		}'
}

# Results: one file per configuration, one number per run.
record()
{
	echo "$2" >>"$work/res.$1"
}

# --- net_af_packet: two veth pairs ---------------------------------------------

# ifa-ifa_k and ifb-ifb_k, up, without IPv6; net_af_packet takes ifa and
# ifb and does not bring them up itself.
veth_add()
{
	ip link add "$ifa" type veth peer name "$ifa_k" &&
	ip link add "$ifb" type veth peer name "$ifb_k" || return 1
	for i in "$ifa" "$ifb" "$ifa_k" "$ifb_k"; do
		sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1" 2>/dev/null
		ip link set dev "$i" up || return 1
	done
}

# The two ports of a driver: their --vdev arguments in the array
# vdev_args (the taps with fixed MAC addresses: the csum engine writes the
# peer's) and their kernel's side in ka and kb: the taps, or the other ends
# of the veth pairs, made here for net_af_packet.
ports()
{
	if [ "$1" = net_af_packet ]; then
		vdev_args=("--vdev=${1}0,iface=$ifa,framecnt=4096"
			"--vdev=${1}1,iface=$ifb,framecnt=4096")
		ka=$ifa_k
		kb=$ifb_k
		veth_add || die "cannot create the veth pairs"
	else
		vdev_args=("--vdev=${1}0,iface=$ifa,mac=$mac_a"
			"--vdev=${1}1,iface=$ifb,mac=$mac_b")
		ka=$ifa
		kb=$ifb
	fi
}

# --- fwd: io forwarding closed through the kernel --------------------------------

# Frames DPDK wrote into the two ports, counted on their kernel's side
# (what DPDK forwarded); tc closes the loop there too.
fwd_count()
{
	echo $(($(cat "/sys/class/net/$ka/statistics/rx_packets") +
		$(cat "/sys/class/net/$kb/statistics/rx_packets")))
}

# CPU time (clock ticks) of every thread of testpmd.
tp_ticks()
{
	local tp
	tp=$(ps -o pid= --ppid "$pid" 2>/dev/null | head -n 1)
	tp=${tp// /}
	[ -n "$tp" ] && sed 's/.*) //' "/proc/$tp/stat" 2>/dev/null |
		awk '{ print $12 + $13 }'
}

now()
{
	date +%s.%N
}

fwd_run()
{
	local pmd=$1 c0 c1 t0 t1 k0 k1 mpps cores
	ports "$pmd"
	start_testpmd /dev/null $((secs + 90)) "${vdev_args[@]}" -- \
		--forward-mode=io --nb-cores=1 --rxq=1 --txq=1 \
		--total-num-mbufs=16384 --stats-period 1 --no-flush-rx
	wait_for 60 log_has "Rx-pps:" || die "$pmd: testpmd did not start forwarding"
	wait_for 20 if_up "$ifa" && wait_for 20 if_up "$ifb" ||
		die "$pmd: interfaces $ifa/$ifb are not up"
	for i in "$ifa" "$ifb"; do
		sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1" 2>/dev/null
	done
	tc qdisc add dev "$ka" ingress &&
	tc filter add dev "$ka" parent ffff: protocol all prio 1 u32 \
		match u32 0 0 action mirred egress redirect dev "$kb" &&
	tc qdisc add dev "$kb" ingress &&
	tc filter add dev "$kb" parent ffff: protocol all prio 1 u32 \
		match u32 0 0 action mirred egress redirect dev "$ka" ||
		die "cannot set up the tc redirects"
	# Frames sent on the kernel's side reach DPDK; DPDK forwards them to
	# the other port, whose kernel side redirects them back: a closed
	# loop each way.
	timeout 20 python3 - "$ka" "$kb" "$frames" <<'EOF' || die "cannot inject frames"
import socket, sys
frame = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01' + b'\x88\xb5' + bytes(50)
for ifname in sys.argv[1:3]:
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for _ in range(int(sys.argv[3])):
        s.send(frame)
    s.close()
EOF
	sleep 1
	# The kernel's counters, not testpmd's: net_tap's per-packet SIGIO
	# can keep testpmd's main thread from printing its statistics.
	c0=$(fwd_count)
	k0=$(tp_ticks)
	t0=$(now)
	sleep "$secs"
	c1=$(fwd_count)
	k1=$(tp_ticks)
	t1=$(now)
	alive || die "$pmd: testpmd exited"
	# Break the loop before stopping testpmd, for the same reason.
	tc qdisc del dev "$ka" ingress
	tc qdisc del dev "$kb" ingress
	tp_stop
	if [ "$pmd" = net_af_packet ]; then
		ip link del dev "$ifa"
		ip link del dev "$ifb"
	fi
	read -r mpps cores < <(awk -v c="$((c1 - c0))" -v k="$((k1 - k0))" \
		-v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.3f %.2f\n", c / (t1 - t0) / 1e6, k / hz / (t1 - t0) }')
	printf "  %-13s %s Mpps, testpmd used %s CPUs\n" "$pmd" "$mpps" "$cores"
	record "fwd_$pmd" "$mpps"
	record "cpu_fwd_$pmd" "$cores"
}

# --- tcp: iperf3 between namespaces through testpmd --------------------------------

tcp_run()
{
	local pmd=$1 mode=$2 gbps srv k0 k1 t0 t1 cores
	local extra="--rxd=1024 --txd=1024 --total-num-mbufs=16384"

	if [ "$mode" = csum ]; then
		# Rx offloads 0x201c: TCP and UDP checksums (the kernel may
		# leave them partial, for the Tx side's offload to finish),
		# LRO (it may send super-packets) and scatter (in chains of
		# 2 KiB mbufs). The mask replaces what --enable-lro and
		# --enable-scatter would set, so it carries them.
		extra="--rxd=256 --txd=1024 --total-num-mbufs=65536"
		extra="$extra --max-lro-pkt-size=65535 --rx-offloads=0x201c"
	fi
	ip netns add "$nsa" && ip netns add "$nsb" || die "cannot create namespaces"
	ports "$pmd"
	if [ "$pmd" = net_af_packet ]; then
		# Without offloads on the namespaces' ends, as net_tap's tap
		# has none: net_af_packet would read partial checksums.
		ethtool -K "$ka" tx off >/dev/null &&
			ethtool -K "$kb" tx off >/dev/null ||
			die "cannot turn the veths' offloads off"
	fi
	rm -f "$work/cmd"
	mkfifo "$work/cmd"
	# shellcheck disable=SC2086
	start_testpmd "$work/cmd" $((secs + 120)) "${vdev_args[@]}" -- \
		-i --forward-mode=io --nb-cores=1 --rxq=1 --txq=1 --no-flush-rx \
		--eth-peer=0,$mac_a --eth-peer=1,$mac_b $extra
	exec 3>"$work/cmd"
	fifo_open=true
	wait_for 60 log_has "testpmd> " || die "$pmd: no testpmd prompt"
	if [ "$mode" = csum ]; then
		{
			echo "port stop all"
			for p in 0 1; do
				echo "csum set tcp hw $p"
				echo "csum set udp hw $p"
				echo "tso set 1448 $p"
			done
			echo "set fwd csum"
			echo "port start all"
		} >&3
	fi
	echo "start" >&3
	wait_for 30 log_has "Start automatic packet forwarding\|forwarding packets" ||
		die "$pmd: testpmd did not start forwarding"
	if [ "$mode" = csum ] && log_has "Error: \|Please stop"; then
		die "$pmd: testpmd refused the csum/TSO set-up"
	fi
	wait_for 20 ip link show dev "$ifb" >/dev/null 2>&1 || die "no $ifb"
	ip link set dev "$ka" netns "$nsa" &&
	ip link set dev "$kb" netns "$nsb" &&
	ip -n "$nsa" addr add 10.98.0.1/24 dev "$ka" &&
	ip -n "$nsb" addr add 10.98.0.2/24 dev "$kb" &&
	ip -n "$nsa" link set dev "$ka" up &&
	ip -n "$nsb" link set dev "$kb" up &&
	ip -n "$nsa" link set dev lo up &&
	ip -n "$nsb" link set dev lo up ||
		die "cannot configure the namespaces"
	wait_for 15 ip netns exec "$nsa" ping -c 1 -W 1 -q 10.98.0.2 \
		>/dev/null || die "$pmd/$mode: no ping through testpmd"
	ip netns exec "$nsb" timeout $((secs + 30)) \
		iperf3 -s -1 -B 10.98.0.2 >/dev/null 2>&1 &
	srv=$!
	wait_for 10 ip netns exec "$nsb" sh -c \
		"ss -ltn 2>/dev/null | grep -q '10.98.0.2:5201'" ||
		die "iperf3 server did not start"
	k0=$(tp_ticks)
	t0=$(now)
	ip netns exec "$nsa" timeout $((secs + 20)) \
		iperf3 -c 10.98.0.2 -t "$secs" -O 1 -J >"$work/iperf.json" 2>&1
	k1=$(tp_ticks)
	t1=$(now)
	wait "$srv"
	cores=$(awk -v k="$((k1 - k0))" -v t0="$t0" -v t1="$t1" \
		-v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", k / hz / (t1 - t0) }')
	gbps=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("%.3f" % (d["end"]["sum_received"]["bits_per_second"] / 1e9))' \
		"$work/iperf.json" 2>/dev/null) ||
		die "$pmd/$mode: iperf3 failed: $(tail -c 300 "$work/iperf.json")"
	tp_stop
	ip netns del "$nsa"
	ip netns del "$nsb"
	# A veth goes with the namespace of either end, a little later.
	if [ "$pmd" = net_af_packet ]; then
		wait_for 10 sh -c "! ip link show dev $ifa >/dev/null 2>&1 &&
			! ip link show dev $ifb >/dev/null 2>&1" ||
			die "veth pairs $ifa/$ifb still there"
	fi
	printf "  %-13s %-5s %s Gbit/s, testpmd used %s CPUs\n" "$pmd" "$mode" \
		"$gbps" "$cores"
	record "tcp_${pmd}_$mode" "$gbps"
	record "cpu_tcp_${pmd}_$mode" "$cores"
}

# --- run -------------------------------------------------------------------------

for part in $parts; do
	case $part in
	autotest)
		if ! grep -aq rtap_perf_autotest "$dpdk_test"; then
			say "this dpdk-test has no rtap_perf_autotest (the graft does not link app/test/test_pmd_rtap_perf.c yet): skipped"
			continue
		fi
		say "rtap_perf_autotest (about 3 minutes)"
		DPDK_TEST=rtap_perf_autotest timeout -k 10 900 \
			stdbuf -oL -eL "$dpdk_test" \
			--no-huge -m 1024 --no-pci -l 0-1 \
			--file-prefix="${prefix}_t" 2>&1 |
			grep -v "^EAL: \|^TELEMETRY: \|^APP: \|tap_nl_dump_ext_ack\|qdisc\|Disabling rte flow" |
			tee "$work/autotest.log"
		if grep -q "^Test Skipped" "$work/autotest.log"; then
			say "rtap_perf_autotest skipped itself (see above)"
		elif ! grep -q "^Test OK" "$work/autotest.log"; then
			die "rtap_perf_autotest did not pass"
		fi
		rm -rf "/var/run/dpdk/${prefix}_t"
		;;
	fwd)
		say "fwd: io forwarding through the kernel, $frames frames each way, $secs s, $runs runs"
		for r in $(seq "$runs"); do
			fwd_run net_rtap
			fwd_run net_tap
			fwd_run net_af_packet
		done
		;;
	tcp)
		say "tcp: iperf3 between namespaces through testpmd, $secs s, $runs runs"
		for r in $(seq "$runs"); do
			tcp_run net_rtap io
			tcp_run net_tap io
			tcp_run net_af_packet io
			tcp_run net_rtap csum
		done
		;;
	esac
done

# --- table -----------------------------------------------------------------------

# row <label> <configuration> <unit>: the median rate (min-max), the
# median CPU time testpmd used, and the rate per CPU.
row()
{
	local f=$work/res.$2 c=$work/res.cpu_$2
	[ -f "$f" ] || return 0
	paste -d' ' <(stats <"$f") <(stats <"$c") |
		awk -v l="$1" -v u="$3" -v n="$(wc -l <"$f")" '{
			printf "%-28s %7.3f %-6s (%.3f-%.3f, %d runs)  %4.2f CPUs  %7.3f per CPU\n",
				l, $1, u, $2, $3, n, $4, ($4 > 0 ? $1 / $4 : 0)
		}'
}

median_of()
{
	[ -f "$work/res.$1" ] && stats <"$work/res.$1" | cut -d' ' -f1
}

# Per CPU: the rate over the CPU time testpmd used (its median).
per_cpu()
{
	local r c
	r=$(median_of "$1")
	c=$(median_of "cpu_$1")
	[ -n "$r" ] && [ -n "$c" ] || return 0
	awk -v r="$r" -v c="$c" 'BEGIN { print (c > 0 ? r / c : 0) }'
}

ratio()
{
	local a b pa pb
	a=$(median_of "$2")
	b=$(median_of "$3")
	pa=$(per_cpu "$2")
	pb=$(per_cpu "$3")
	[ -n "$a" ] && [ -n "$b" ] || return 0
	awk -v l="$1" -v a="$a" -v b="$b" -v pa="$pa" -v pb="$pb" -v t="$4" 'BEGIN {
		if (b <= 0) { printf "%-36s n/a\n", l; exit }
		r = a / b
		p = pb > 0 ? pa / pb : 0
		if (t == "-") {
			printf "%-36s %6.2f %8.2f   (no target)\n", l, r, p
			exit
		}
		printf "%-36s %6.2f %8.2f   >= %s: %s\n", l, r, p, t,
			(r >= t ? "met" : (p >= t ? "met per CPU only" : "NOT met"))
	}'
}

if ls "$work"/res.* >/dev/null 2>&1; then
	echo
	echo "testpmd end to end: medians of alternating runs (min-max)"
	echo "machine: $machine"
	echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	row "fwd io, net_rtap pair" fwd_net_rtap Mpps
	row "fwd io, net_tap pair" fwd_net_tap Mpps
	row "fwd io, net_af_packet (veth)" fwd_net_af_packet Mpps
	row "tcp io, net_rtap" tcp_net_rtap_io Gbit/s
	row "tcp io, net_tap" tcp_net_tap_io Gbit/s
	row "tcp io, net_af_packet (veth)" tcp_net_af_packet_io Gbit/s
	row "tcp csum+TSO/LRO, net_rtap" tcp_net_rtap_csum Gbit/s
	echo
	printf "%-36s %6s %8s\n" "ratios of the medians" "rate" "per CPU"
	ratio "fwd net_rtap / net_tap" fwd_net_rtap fwd_net_tap 2
	ratio "tcp io net_rtap / net_tap" tcp_net_rtap_io tcp_net_tap_io 3
	ratio "tcp csum+TSO net_rtap / net_tap io" tcp_net_rtap_csum tcp_net_tap_io 3
	ratio "fwd net_rtap / net_af_packet" fwd_net_rtap fwd_net_af_packet -
	ratio "tcp io net_rtap / net_af_packet" tcp_net_rtap_io tcp_net_af_packet_io -
	ratio "tcp csum+TSO net_rtap / af_packet" tcp_net_rtap_csum tcp_net_af_packet_io -
fi
exit 0
