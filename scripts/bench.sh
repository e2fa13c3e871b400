#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Benchmark net_rtap beside net_tap and net_af_packet (veth) after setup.sh;
# the table has medians (min-max) of the runs, testpmd's CPU use and ratios.
#   autotest  dpdk-test's rtap_perf_autotest
#   fwd       testpmd io forwarding, the loop closed in the kernel (tc)
#   tcp       iperf3 between two namespaces through testpmd (+csum/TSO/LRO)
#   lat       ping round trips between them through testpmd io forwarding
#   udp       UDP GSO between them through testpmd (+USO/LRO on net_rtap)
#   ovs       iperf3 between them through Open vSwitch (Debian's, with the
#             standalone librte_net_rtap.so), without and with userspace TSO
# RTAP_BENCH_RUNS (default 3) runs of RTAP_BENCH_SECONDS (default 5) each.
# usage: bench.sh [autotest] [fwd] [tcp] [lat] [udp] [ovs]; exit 0 measured, 1 failed, 77 skipped

set -u
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$root" || exit 1
me=bench runs=${RTAP_BENCH_RUNS:-3} secs=${RTAP_BENCH_SECONDS:-5} frames=512 tag=$$
# testpmd: room for two ports' pools and its own
testpmd_mem="--no-huge -m 1024"
ifa=rtba$tag ifb=rtbb$tag ifa_k=rtka$tag ifb_k=rtkb$tag nsp=rtbench-$tag-
parts=${*:-autotest fwd tcp lat udp ovs}
[[ " $parts " =~ ^(\ (autotest|fwd|tcp|lat|udp|ovs))+\ $ ]] ||
	{ echo "usage: bench.sh [autotest] [fwd] [tcp] [lat] [udp] [ovs]" >&2; exit 1; }
need_tap meson ninja flock timeout stdbuf ip tc iperf3 ethtool python3 awk sort
bash scripts/setup.sh >/dev/null || die "the build failed: run 'bash scripts/setup.sh' to see why"
begin_run bench
ifaces="$ifa $ifb $ifa_k $ifb_k"
machine="$(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r)"
say "$machine, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Frames DPDK wrote into the two ports, from their kernel's side counters
# (net_tap's SIGIO per packet can keep testpmd from printing its own).
fwd_count() { cat "/sys/class/net/$ka/statistics/rx_packets" "/sys/class/net/$kb/statistics/rx_packets" |
	awk '{ n += $1 } END { print n }'; }

# result <configuration> <value> <format>: the rate and the CPU testpmd used
# between tick and tock, printed and recorded.
result()
{
	local cores
	cores=$(awk -v k=$((k1 - k0)) -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.2f", k / hz / (t1 - t0) }')
	# shellcheck disable=SC2059 # the format is the caller's
	printf "  $3%s\n" "$2" "${k0:+, testpmd used $cores CPUs}"
	echo "$2" >>"$work/res.$1" && { [ -z "$k0" ] || echo "$cores" >>"$work/res.cpu_$1"; }
}

fwd_run()
{
	local pmd=$1 c0 c1 i && ports "$pmd"
	start_testpmd $((secs + 90)) "${vdev_args[@]}" -- --forward-mode=io --nb-cores=1 --rxq=1 --txq=1 \
		--total-num-mbufs=16384 --stats-period 1 --no-flush-rx
	wait_for 60 log_has "Rx-pps:" || die "$pmd: testpmd did not start forwarding"
	for i in "$ifa" "$ifb"; do
		wait_for 20 eval "ip -o link show dev $i | grep -q '[<,]UP[,>]'" || die "$pmd: interface $i is not up"
		sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1" 2>/dev/null
	done
	# What DPDK sends into one port comes back from the other's kernel side.
	for i in "$ka $kb" "$kb $ka"; do
		tc qdisc add dev "${i% *}" ingress && tc filter add dev "${i% *}" parent ffff: protocol all \
			prio 1 u32 match u32 0 0 action mirred egress redirect dev "${i#* }" ||
			die "cannot set up the tc redirects"
	done
	timeout 20 python3 -c 'import socket, sys
frame = b"\xff" * 6 + b"\x02\0\0\0\0\x01\x88\xb5" + bytes(50)
for ifname in sys.argv[1:3]:
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for _ in range(int(sys.argv[3])):
        s.send(frame)' "$ka" "$kb" "$frames" || die "cannot inject frames"
	sleep 1 && c0=$(fwd_count) && tick
	sleep "$secs" && c1=$(fwd_count) && tock
	alive || die "$pmd: testpmd exited"
	# The loop is broken before testpmd stops, for the same reason.
	tc qdisc del dev "$ka" ingress; tc qdisc del dev "$kb" ingress
	stop_testpmd
	[ "$pmd" != net_af_packet ] || { ip link del dev "$ifa"; ip link del dev "$ifb"; }
	result "fwd_$pmd" "$(awk -v c=$((c1 - c0)) -v t0="$t0" -v t1="$t1" \
		'BEGIN { printf "%.3f", c / (t1 - t0) / 1e6 }')" "$(printf %-13s "$pmd") %s Mpps"
}

tcp_run()
{
	local pmd=$1 mode=$2 gbps seg=1448
	ns_fwd "$pmd" "$mode" && tcp_iperf >/dev/null && ns_fwd_end
	result "tcp_${pmd}_$mode" "$gbps" "$(printf '%-13s %-5s' "$pmd" "$mode") %s Gbit/s"
}

# lat: ping round trips, one every 2 ms, from a to b (whose kernel answers)
# through io forwarding: median and 99th percentile in microseconds.
lat_run()
{
	local pmd=$1 v
	ns_fwd "$pmd" io
	tick && v=$(ip netns exec "${nsp}a" timeout $((secs + 20)) ping -c $((secs * 500)) -i 0.002 \
		-W 1 10.98.0.2 | awk -F 'time=' '/time=/ { print $2 * 1000 }' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) printf "%.0f %.0f", v[int(NR / 2) + 1], v[int(NR * 0.99) + 1] }')
	tock && ns_fwd_end
	[ -n "$v" ] || die "$pmd: no ping came back"
	result "lat_$pmd" "${v% *}" "$(printf %-13s "$pmd") median %s us, 99th percentile ${v#* } us"
	echo "${v#* }" >>"$work/res.lat99_$pmd" && tail -n 1 "$work/res.cpu_lat_$pmd" >>"$work/res.cpu_lat99_$pmd"
}

# udp: a to b, 44 datagrams of 1472 bytes a send (UDP GSO); b reads them
# coalesced (UDP GRO). uso: the rtap ports take the super-datagrams (LRO)
# and hand them on as such (UDP TSO).
udp_run()
{
	local pmd=$1 mode=$2 gbps srv seg=1472
	ns_fwd "$pmd" "$mode" || return 0
	ip netns exec "${nsp}b" timeout $((secs + 30)) python3 -c "$udp_py" recv >"$work/udp" & srv=$!
	sleep 1 && tick && ip netns exec "${nsp}a" timeout $((secs + 20)) python3 -c "$udp_py" send "$secs"
	tock && wait "$srv"
	gbps=$(cat "$work/udp") && [ -n "$gbps" ] || die "$pmd/$mode: nothing received"
	ns_fwd_end
	result "udp_${pmd}_$mode" "$gbps" "$(printf '%-13s %-5s' "$pmd" "$mode") %s Gbit/s"
}
# ovs: a to b through OVS's bridge between two ports of the driver, OVS
# already up (with or without userspace TSO: tso is true or false); in:
# from OVS's internal port (its own tap, with TSO: super-packets) in a.
ovs_run()
{
	local pmd=$1 tso=$2 in=${3:-} gbps dev=,rx_csum=full col=()
	[ "$pmd" = net_rtap ] || dev='' col=(options:n_rxq=2)
	if [ -n "$in" ]; then ovs_internal "$ifa"
	else ovs_port p0 "${pmd}0,iface=$ifa$dev" "${col[@]}"
	fi
	ovs_port p1 "${pmd}1,iface=$ifb$dev" "${col[@]}" && ns_pair "$nsp" "$ifa" "$ifb" 10.98.0
	tcp_iperf >/dev/null
	ovs_vsctl del-port br0 p1 -- --if-exists del-port br0 p0 -- --if-exists del-port br0 "$ifa" && ns_fwd_end
	result "ovs${in}_${pmd}_$tso" "$gbps" "$(printf '%-13s tso %-5s%s' "$pmd" "$tso" "${in:+ from internal}") %s Gbit/s"
}
udp_py='import socket, sys, time
s, buf = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), bytearray(65536)
if sys.argv[1] == "send":
    s.setsockopt(socket.IPPROTO_UDP, 103, 1472)  # UDP_SEGMENT
    s.connect(("10.98.0.2", 5301))
    buf, end = buf[:1472 * 44], time.time() + float(sys.argv[2])
    while time.time() < end:
        try: s.send(buf)
        except OSError: pass  # ENOBUFS: a full queue
    sys.exit()
s.setsockopt(socket.IPPROTO_UDP, 104, 1)  # UDP_GRO
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind(("10.98.0.2", 5301)), s.settimeout(20), s.recv_into(buf), s.settimeout(1)
n, t0 = 0, time.time()
try:
    while True: n, t1 = n + s.recv_into(buf), time.time()
except socket.timeout: pass
print("%.3f" % (n * 8 / (t1 - t0) / 1e9) if n else "")'

for part in $parts; do
	case $part in
	autotest)
		say "rtap_perf_autotest (about 3 minutes)"
		DPDK_TEST=rtap_perf_autotest timeout -k 10 900 stdbuf -oL -eL \
			"$dpdk_test" --no-huge -m 1024 --no-pci -l 0-1 --file-prefix="$prefix" 2>&1 |
			grep -v "^EAL: \|^TELEMETRY: \|^APP: \|tap_nl_dump_ext_ack\|qdisc\|Disabling rte flow" |
			tee "$work/autotest.log"
		grep -q "^Test OK\|^Test Skipped" "$work/autotest.log" || die "rtap_perf_autotest did not pass"
		rm -rf "/var/run/dpdk/$prefix" ;;
	fwd)
		say "fwd: io forwarding through the kernel, $frames frames each way, $secs s, $runs runs"
		for _ in $(seq "$runs"); do for p in net_rtap net_tap net_af_packet; do fwd_run $p; done; done ;;
	tcp)
		say "tcp: iperf3 between namespaces through testpmd, $secs s, $runs runs"
		for _ in $(seq "$runs"); do
			# shellcheck disable=SC2086 # driver and mode
			for p in "net_rtap io" "net_tap io" "net_af_packet io" "net_rtap csum"; do tcp_run $p; done
		done ;;
	lat)
		say "lat: ping every 2 ms between namespaces through testpmd, $secs s, $runs runs"
		for _ in $(seq "$runs"); do for p in net_rtap net_tap; do lat_run $p; done; done ;;
	udp)
		say "udp: UDP GSO between namespaces through testpmd, $secs s, $runs runs"
		for _ in $(seq "$runs"); do
			# shellcheck disable=SC2086 # driver and mode
			for p in "net_rtap io" "net_tap io" "net_rtap uso"; do udp_run $p; done
		done ;;
	ovs)
		say "ovs: iperf3 between namespaces through Open vSwitch, $secs s, $runs runs"
		[ -x "$ovs_vswitchd" ] || die "$ovs_vswitchd is not installed (package openvswitch-switch-dpdk)"
		pmd_copy "$build/standalone/librte_net_rtap.so"
		for _ in $(seq "$runs"); do
			for tso in false true; do
				ovs_start other_config:userspace-tso-enable=$tso
				for p in net_rtap net_tap; do ovs_run $p $tso; done
				# net_tap with userspace TSO carries no TCP from
				# the internal port (0.1 Mbit/s): left out.
				ovs_run net_rtap $tso in
				[ $tso = true ] || ovs_run net_tap $tso in
				ovs_stop
			done
		done ;;
	esac
done

ls "$work"/res.* >/dev/null 2>&1 || exit 0
printf '\ntestpmd end to end: medians of alternating runs (min-max)\nmachine: %s\n%s\n' "$machine" \
	"load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" <<'EOF'
import os, statistics, sys
med = statistics.median
def load(c):
	p = os.path.join(sys.argv[1], 'res.' + c)
	return [float(v) for v in open(p)] if os.path.exists(p) else []
def per_cpu(c):
	cpu = med(load('cpu_' + c) or [0])
	return med(load(c)) / cpu if cpu > 0 and c[:3] != 'lat' else 0
rows = {'fwd_net_rtap': 'fwd io, net_rtap pair', 'fwd_net_tap': 'fwd io, net_tap pair',
	'fwd_net_af_packet': 'fwd io, net_af_packet (veth)', 'tcp_net_rtap_io': 'tcp io, net_rtap',
	'tcp_net_tap_io': 'tcp io, net_tap', 'tcp_net_af_packet_io': 'tcp io, net_af_packet (veth)',
	'tcp_net_rtap_csum': 'tcp csum+TSO/LRO, net_rtap', 'lat_net_rtap': 'latency median, net_rtap',
	'lat_net_tap': 'latency median, net_tap', 'lat99_net_rtap': 'latency 99th pct, net_rtap',
	'lat99_net_tap': 'latency 99th pct, net_tap', 'udp_net_rtap_io': 'udp io, net_rtap',
	'udp_net_tap_io': 'udp io, net_tap', 'udp_net_rtap_uso': 'udp csum+USO/LRO, net_rtap',
	'ovs_net_rtap_false': 'ovs, net_rtap', 'ovs_net_tap_false': 'ovs, net_tap',
	'ovs_net_rtap_true': 'ovs userspace TSO, net_rtap', 'ovs_net_tap_true': 'ovs userspace TSO, net_tap',
	'ovsin_net_rtap_false': 'ovs internal->, net_rtap', 'ovsin_net_tap_false': 'ovs internal->, net_tap',
	'ovsin_net_rtap_true': 'ovs internal-> TSO, net_rtap'}
units = {'fwd': 'Mpps', 'lat': 'us'}
for c, v in ((c, load(c)) for c in rows if load(c)):
	print(('%-28s %7.3f %-6s (%.3f-%.3f, %d runs)' + ('  %4.2f CPUs  %7.3f per CPU' % (
		med(load('cpu_' + c)), per_cpu(c)) if load('cpu_' + c) else '')) % (rows[c], med(v),
		units.get(c[:3], 'Gbit/s'), min(v), max(v), len(v)))
print('\n%-44s %6s %8s' % ('ratios of the medians', 'rate', 'per CPU'))
for a, b, target in (('fwd_net_rtap', 'fwd_net_tap', 2), ('tcp_net_rtap_io', 'tcp_net_tap_io', 3),
		('tcp_net_rtap_csum', 'tcp_net_tap_io', 3), ('fwd_net_rtap', 'fwd_net_af_packet', None),
		('tcp_net_rtap_io', 'tcp_net_af_packet_io', None), ('tcp_net_rtap_csum', 'tcp_net_af_packet_io', None),
		('lat_net_rtap', 'lat_net_tap', 'lat'), ('lat99_net_rtap', 'lat99_net_tap', 'lat'),
		('udp_net_rtap_io', 'udp_net_tap_io', None), ('udp_net_rtap_uso', 'udp_net_tap_io', None),
		('ovs_net_rtap_false', 'ovs_net_tap_false', None), ('ovs_net_rtap_true', 'ovs_net_tap_true', None),
		('ovsin_net_rtap_false', 'ovsin_net_tap_false', None), ('ovsin_net_rtap_true', 'ovsin_net_tap_false', None)):
	if load(a) and load(b) and med(load(b)) > 0:
		r, p = med(load(a)) / med(load(b)), per_cpu(a) / per_cpu(b) if per_cpu(b) > 0 else 0
		verdict = {None: '(no target)', 'lat': '(time: lower is better)'}.get(target) or \
			'>= %d: %s' % (target, 'met' if r >= target else 'met per CPU only' if p >= target else 'NOT met')
		print('%-44s %6.2f %8s   %s' % (rows[a] + ' / ' + rows[b].split(', ')[1], r,
			'%.2f' % p if p else '-', verdict))
EOF
