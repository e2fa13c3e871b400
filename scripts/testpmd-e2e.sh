#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# End-to-end tests of net_rtap with dpdk-testpmd and the Linux stack, one
# case a run (each described at its function).
# usage: testpmd-e2e.sh <dpdk-testpmd> <case>; exit 0 passed, 1 failed, 77 skipped
#   case: io|csum|txonly|mp|telemetry|queues|desc|mtu|l3fwd|l3fwd-power|l3fwd-pause|l3fwd-monitor

set -u
testpmd=${1:?usage: testpmd-e2e.sh <dpdk-testpmd> <case>}
mode=${2:-io} me="e2e[${2:-io}]" pmd=net_rtap seconds=60 spid=
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cleanup_more() { [ -z "$spid" ] || kill -KILL "$spid" 2>/dev/null; }
need_tap ip timeout stdbuf awk ping
[ -x "$testpmd" ] || die "$testpmd is not built"
begin_run e2e

# io: kernel -> net_rtap -> testpmd io forwarding -> net_rtap -> kernel between
# two network namespaces; 200 pings, none lost, port statistics counting them.
run_io()
{
	local count=200 ping_out stats
	say "starting testpmd: $pmd ports rte2e0 and rte2e1, io forwarding"
	start_fwd 240 rte2e0 rte2e1
	ns_pair "rtap-e2e-$$-" rte2e0 rte2e1 10.99.0
	say "ping -c $count -i 0.01 10.99.0.1 -> 10.99.0.2"
	ping_out=$(ip netns exec "rtap-e2e-$$-a" timeout 60 ping -c $count -i 0.01 -W 2 -q 10.99.0.2 2>&1)
	echo "$ping_out" | tail -n 2
	alive || die "testpmd exited during the ping"
	stats=$(port_stats) || die "no answer to 'show port stats all'"
	stop_ok
	echo "$ping_out" | grep -q " $count received, 0% packet loss" || die "ping lost packets"
	echo "$stats" | awk -v min=$count '/NIC statistics for port/ { p = n++ }
		/RX-packets:/ { rx[p] = $2 } /RX-errors:/ { err[p] = $2 } /TX-packets:/ { tx[p] = $2 }
		END { for (p = 0; p < 2; p++) {
			printf "port %d: RX-packets %d, TX-packets %d (>= %d expected), RX-errors %d\n",
				p, rx[p], tx[p], min, err[p]
			bad += rx[p] < min || tx[p] < min || err[p] != 0
		} exit n != 2 || bad }' || die "testpmd's port statistics do not match the traffic"
	say "PASS: $count pings through testpmd, 0% loss, statistics agree"
}

# csum: as io, with testpmd's csum engine and the IPv4 header, UDP and TCP
# checksums offloaded (csum set ip|udp|tcp hw): the engine zeroes the IPv4
# header checksum and the kernel drops a wrong one, so pings through prove
# the driver computes it.
run_csum()
{
	local count=100 mac0=02:72:74:63:00:01 mac1=02:72:74:63:00:02 ping_out p
	new_ifaces rte2c0 rte2c1
	say "starting testpmd: $pmd ports rte2c0 and rte2c1, csum forwarding, checksums in hw"
	start_testpmd -i 240 --vdev="${pmd}0,iface=rte2c0,mac=$mac0" \
		--vdev="${pmd}1,iface=rte2c1,mac=$mac1" -- -i --forward-mode=csum --nb-cores=1 \
		--total-num-mbufs=16384 --eth-peer=0,$mac0 --eth-peer=1,$mac1
	prompt testpmd
	{ echo "port stop all"
	  for p in 0 1; do printf 'csum set %s hw %s\n' ip $p udp $p tcp $p; done
	  echo "port start all"; echo "start"; } >&3
	wait_for 30 log_has "csum packet forwarding - ports" ||
		die "testpmd did not start forwarding"
	! log_has "not supported\|Please stop\|Error: " || die "testpmd refused 'csum set ip hw'"
	ns_pair "rtap-e2c-$$-" rte2c0 rte2c1 10.99.1
	say "ping -c $count -i 0.01 10.99.1.1 -> 10.99.1.2"
	ping_out=$(ip netns exec "rtap-e2c-$$-a" timeout 60 \
		ping -c $count -i 0.01 -W 2 -q 10.99.1.2 2>&1)
	echo "$ping_out" | tail -n 2
	alive || die "testpmd exited during the ping"
	stop_ok
	echo "$ping_out" | grep -q " $count received, 0% packet loss" || die "ping lost packets"
	say "PASS: $count pings through testpmd's csum engine with the IPv4 checksum offloaded"
}

# txonly: one port transmitting into the kernel for 60 s with a modest pool;
# the rate never 0, the last period no more than 30% below the first.
run_txonly()
{
	local rates n first last min && new_ifaces rtetx0
	say "starting testpmd: $pmd port rtetx0, txonly, 16384 mbufs, $seconds s"
	start_testpmd $((seconds + 120)) --vdev="${pmd}0,iface=rtetx0" -- --forward-mode=txonly \
		--port-topology=loop --nb-cores=1 --total-num-mbufs=16384 --stats-period 1
	wait_for 60 log_has "Tx-pps:" || die "testpmd printed no statistics"
	! wait_for "$seconds" eval '! alive' || die "testpmd exited during the run"
	stop_ok
	# The first sample comes before any period has elapsed (always 0).
	rates=$(clean_log | awk '/Tx-pps:/ { print $2 }' | tail -n +2)
	n=$(echo "$rates" | grep -c .)
	[ "$n" -ge $((seconds / 4)) ] || die "only $n statistics periods printed in $seconds s"
	first=${rates%%$'\n'*} last=${rates##*$'\n'} min=$(sort -n <<<"$rates" | head -n 1)
	say "Tx-pps per period:" $rates
	say "$n periods in $seconds s: first full $first pps, last $last pps, lowest $min pps"
	clean_log | grep -E "TX-dropped:" | tail -n 1
	[ "$min" -gt 0 ] || die "the Tx rate dropped to 0 (stall)"
	# A pool run dry or completions left unreaped make the rate fall; a
	# last period faster than the first is no failure.
	[ $((last * 10)) -ge $((first * 7)) ] ||
		die "last period's rate $last pps fell more than 30% below the first's ($first pps)"
	say "PASS: $last pps after $seconds s, never 0, not more than 30% below the first period's $first pps"
}

# mp: a secondary testpmd (txonly on queue 1) through the primary's port; the
# kernel and the primary count what it sent.
run_mp()
{
	local k0 k1 sent ptx sstatus slog=$work/secondary.log && new_ifaces rtemp0
	sdie() { tail -n 30 "$slog"; die "$@"; }
	need_huge "the two processes" && testpmd_mem=$huge_eal
	say "starting the primary: $pmd port rtemp0, 2 queue pairs, rxonly on queue 0"
	start_testpmd -i 240 --proc-type=primary --vdev="${pmd}0,iface=rtemp0" -- -i --num-procs=2 \
		--proc-id=0 --rxq=2 --txq=2 --forward-mode=rxonly --total-num-mbufs=16384
	prompt "the primary"
	echo "start" >&3
	wait_for 20 log_has "Start automatic packet forwarding\|rxonly packet forwarding" ||
		die "the primary did not start forwarding"
	k0=$(cat /sys/class/net/rtemp0/statistics/rx_packets)
	say "starting the secondary: txonly on queue 1 for 5 s"
	launch /dev/null "$slog" 60 "$testpmd" -m 256 --no-pci -l 0-1 --file-prefix="$prefix" \
		--proc-type=secondary -- --num-procs=2 --proc-id=1 --rxq=2 --txq=2 \
		--forward-mode=txonly --total-num-mbufs=16384 --stats-period 1 && spid=$launched
	sleep 5
	kill -0 "$spid" 2>/dev/null || sdie "the secondary exited early"
	wait_for 20 grep -q "Tx-pps:" "$slog" || sdie "the secondary printed no statistics"
	kill -INT "$spid"; wait_gone "$spid" 30 || die "the secondary did not exit within 30 s of SIGINT"
	wait "$spid"; sstatus=$? spid=
	tr -d '\033' <"$slog" | grep -E "TX-packets:|Bye" | tail -n 3
	[ "$sstatus" = 0 ] || sdie "the secondary exited with status $sstatus"
	sent=$(tr -d '\033' <"$slog" | awk '/Accumulated forward statistics/ { acc = 1 }
		acc && /TX-packets:/ { print $2; exit }')
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || die "the secondary sent nothing"
	k1=$(($(cat /sys/class/net/rtemp0/statistics/rx_packets) - k0))
	say "the secondary sent $sent frames; the kernel received $k1"
	[ "$k1" = "$sent" ] || die "the kernel received $k1 frames, the secondary sent $sent"
	ptx=$(port_stats 1 | awk '/TX-packets:/ { print $2; exit }')
	[ -n "$ptx" ] || die "no answer to 'show port stats all'"
	say "the primary's port statistics: TX-packets $ptx"
	[ "$ptx" = "$sent" ] || die "the primary counts $ptx frames sent, the secondary sent $sent"
	stop_ok "the primary"
	say "PASS: $sent frames from the secondary's queue reached the kernel; both processes exited cleanly"
}

# telemetry: /ethdev/stats, /ethdev/xstats and /ethdev/info show 32 frames
# the kernel sent, and the port's name.
run_telemetry()
{
	local sock=/var/run/dpdk/$prefix/dpdk_telemetry.v2 && new_ifaces rtetm0
	say "starting testpmd: $pmd port rtetm0, rxonly"
	start_testpmd -i 120 --vdev="${pmd}0,iface=rtetm0" -- -i --forward-mode=rxonly --total-num-mbufs=16384
	echo start >&3
	wait_for 30 test -S "$sock" || die "no telemetry socket $sock"
	wait_for 30 log_has "Press enter to exit\|testpmd>" || die "testpmd did not start"
	wait_for 10 ip link set dev rtetm0 up || die "cannot set rtetm0 up"
	python3 - "$sock" rtetm0 "${pmd}0" <<'PY' | sed "s/^/$me: /"
import json, socket, sys, time
path, ifname, port_name = sys.argv[1:4]
def query(cmd):
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.settimeout(5)
        s.connect(path)
        s.recv(16384)  # the greeting
        s.send(cmd.encode())
        return json.loads(s.recv(1 << 20).decode())[cmd.split(",")[0]]
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
p.bind((ifname, 0))
for _ in range(32):
    p.send(b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x88\xb5" + bytes(50))
deadline = time.time() + 10
while query("/ethdev/stats,0")["ipackets"] < 32 and time.time() < deadline:
    time.sleep(0.1)
stats = query("/ethdev/stats,0")
xstats, info = query("/ethdev/xstats,0"), query("/ethdev/info,0")
# 25.11 and later show per-queue counters in xstats only.
q0 = stats["q_ipackets"][0] if "q_ipackets" in stats else stats["ipackets"]
x0, x64 = xstats.get("rx_q0_packets"), xstats.get("rx_q0_size_64_packets")
print("stats ipackets=%d ibytes=%d q_ipackets[0]=%d\nxstats rx_q0_packets=%s rx_q0_size_64_packets=%s\n"
      "info name=%s" % (stats["ipackets"], stats["ibytes"], q0, x0, x64, info.get("name")))
sys.exit(not (min(stats["ipackets"], q0, x0 or 0, x64 or 0) >= 32 and info.get("name") == port_name))
PY
	[ "${PIPESTATUS[0]}" = 0 ] || die "telemetry does not show the port's counters"
	stop_ok
	say "PASS: telemetry shows the 32 frames in stats and xstats, and the port's name"
}

# pings <ns> <address> <count> [source]: that many, none lost.
pings()
{
	ip netns exec "$1" timeout 60 ping -c "$3" -i 0.01 -W 2 -q ${4:+-I "$4"} "$2" 2>&1 |
		grep -q " $3 received, 0% packet loss"
}

# queues: io forwarding as in io. 1 Rx / 4 Tx queues: 100 pings each way; 'port 0 rxq 0 stop'
# (forwarding stopped around it) stops them, 'port 0 rxq 0 start' brings them back. 4 Rx / 1 Tx:
# testpmd polls min(rxq, txq) queues, so only flows the kernel steers to queue 0 can pass: of 32
# (source addresses, neighbours static: ARP would have a queue of its own), some answer every
# ping and the others none.
run_queues()
{
	local ns=rtap-q$$- mac i ok=0 lost=0
	say "starting testpmd: --rxq=1 --txq=4, io forwarding"
	start_fwd 240 rteq0a rteq0b --rxq=1 --txq=4
	ns_pair "${ns}0" rteq0a rteq0b 10.98.0
	pings "${ns}0a" 10.98.0.2 100 && pings "${ns}0b" 10.98.0.1 100 || die "pings lost (1 Rx / 4 Tx)"
	printf 'stop\nport 0 rxq 0 stop\nstart\n' >&3
	! ip netns exec "${ns}0a" ping -c 3 -i 0.2 -W 1 -q 10.98.0.2 >/dev/null ||
		die "pings answered through a stopped Rx queue"
	printf 'stop\nport 0 rxq 0 start\nstart\n' >&3
	wait_for 10 ip netns exec "${ns}0a" ping -c 1 -W 1 -q 10.98.0.2 >/dev/null &&
		pings "${ns}0a" 10.98.0.2 100 || die "no pings after 'port 0 rxq 0 start'"
	say "1 Rx / 4 Tx: 100 pings each way; rxq 0 stopped: none answered; started: 100 answered"
	stop_ok
	say "starting testpmd: --rxq=4 --txq=1, io forwarding"
	start_fwd 240 rteq1a rteq1b --rxq=4 --txq=1
	ns_add "${ns}1a" rteq1a 10.98.1.1/24 && ns_add "${ns}1b" rteq1b 10.98.1.2/24
	mac=$(ip -n "${ns}1a" -br link show rteq1a | awk '{ print $3 }')
	ip -n "${ns}1a" neigh add 10.98.1.2 nud permanent dev rteq1a \
		lladdr "$(ip -n "${ns}1b" -br link show rteq1b | awk '{ print $3 }')" || die "no neighbour"
	for i in $(seq 10 41); do
		ip -n "${ns}1a" addr add 10.98.1.$i/24 dev rteq1a &&
			ip -n "${ns}1b" neigh add 10.98.1.$i lladdr "$mac" nud permanent dev rteq1b ||
			die "cannot add address 10.98.1.$i"
	done
	for i in $(seq 10 41); do
		ip netns exec "${ns}1a" ping -c 5 -i 0.2 -W 1 -q -I 10.98.1.$i 10.98.1.2 |
			awk '/received/ { print $4 }' &
	done >"$work/flows"
	wait_for 30 eval "[ \$(grep -c . '$work/flows') = 32 ]" || die "the pings did not end"
	ok=$(grep -c '^5$' "$work/flows") lost=$(grep -c '^0$' "$work/flows")
	say "4 Rx / 1 Tx: of 32 flows $ok answered all 5 pings, $lost none"
	[ "$ok" -gt 0 ] && [ $((ok + lost)) = 32 ] || die "flows half answered, or none answered"
	alive || die "testpmd exited"
	stop_ok
	say "PASS: forwarding both ways with 1 Rx / 4 Tx and 4 Rx / 1 Tx queues, Rx queue stop and start"
}

# ask <pattern> <command>: the first line of testpmd's answer matching the
# (extended, case-blind) pattern; fails without one in 20 s.
ask()
{
	local off
	off=$(stat -c %s "$work/testpmd.log")
	echo "$2" >&3
	wait_for 20 eval "tail -c +$((off + 1)) '$work/testpmd.log' | grep -qiE '$1'" || return 1
	tail -c +"$((off + 1))" "$work/testpmd.log" | tr -d '\033' | grep -iE "$1" | head -n 1
}

# expect <glob> <pattern> <command>: testpmd's answer to the command (the
# line matching pattern, in line) matches glob.
expect()
{
	line=$(ask "$2" "$3") || die "no answer to '$3'"
	say "$3: $line"
	# shellcheck disable=SC2053 # a glob on purpose
	[[ $line = $1 ]] || die "'$3' answered '$line'"
}

# desc: with forwarding stopped, 10 frames the kernel sent wait in Rx queue 0:
# testpmd's descriptor commands count them (10, a few more for the kernel's
# own IPv6 chatter), see descriptor 0 done and the idle Tx queue done, and
# cleanup frees nothing; after the next start, which flushes the queue, they
# are no longer counted.
run_desc()
{
	local n=10 cnt line status="Desc status = [A-Z]+" && new_ifaces rtetd0
	say "starting testpmd: $pmd port rtetd0, rxonly, forwarding started then stopped"
	start_testpmd -i 120 --vdev="${pmd}0,iface=rtetd0" -- -i --forward-mode=rxonly \
		--total-num-mbufs=16384
	prompt testpmd
	# The reads are then the forwarding thread's; the kernel's first chatter is gone.
	echo start >&3 && sleep 2 && echo stop >&3
	wait_for 20 log_has "Done." || die "forwarding did not stop"
	python3 - rtetd0 $n <<'PY' || die "cannot send frames into rtetd0"
import socket, sys
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
p.bind((sys.argv[1], 0))
for i in range(int(sys.argv[2])):
    p.send(b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x88\xb5" + bytes([i]) * 50)
PY
	sleep 1
	expect "*" "used desc count = [0-9]+" "show port 0 rxq 0 desc used count"
	cnt=${line##*= }
	if [ "$cnt" -lt $n ] || [ "$cnt" -gt $((n + 6)) ]; then die "$cnt descriptors used, $n frames wait"; fi
	expect "*DONE" "$status" "show port 0 rxq 0 desc 0 status"
	expect "*AVAILABLE" "$status" "show port 0 rxq 0 desc $((cnt + 1)) status"
	expect "*DONE" "$status" "show port 0 txq 0 desc 0 status"
	expect "*mbuf nums: 0" "mbuf nums: [0-9]+|Failed to cleanup" "port cleanup 0 txq 0 0"
	echo start >&3 && sleep 1 && echo stop >&3 && sleep 1
	expect "*" "used desc count = [0-9]+" "show port 0 rxq 0 desc used count"
	# testpmd's start flushes the queue: only chatter since then may wait.
	[ "${line##*= }" -lt $n ] || die "the $n frames still counted after a start"
	stop_ok
	say "PASS: descriptor count and status, Tx status and cleanup as the queues hold"
}

# mtu: io forwarding as in io. 'port config mtu' to 2000 on both ports (before
# the interfaces move into the namespaces) sets the kernel's MTU; 9000 (frames
# longer than testpmd's 2176-byte mbufs, no scatter) and 67 (below the minimum)
# are refused and change nothing; testpmd shows the link up and MTU 2000; 50
# pings of 1972 bytes, not fragmented, pass; the port statistics count their
# bytes both ways, and after 'clear port stats all' no longer.
run_mtu()
{
	local count=50 size=1944 p ping_out
	say "starting testpmd: $pmd ports rte2m0 and rte2m1, io forwarding"
	start_fwd 240 rte2m0 rte2m1
	for p in 0 1; do
		echo "port config mtu $p 2000" >&3
		wait_for 10 grep -qx 2000 /sys/class/net/rte2m$p/mtu || die "rte2m$p's MTU did not become 2000"
		expect "*Set MTU failed*" "Set MTU failed" "port config mtu $p 9000"
		expect "*device min MTU*" "min MTU" "port config mtu $p 67"
		grep -qx 2000 /sys/class/net/rte2m$p/mtu || die "a refused MTU changed rte2m$p's"
	done
	expect "*up" "Link status:" "show port info 0"
	expect "*2000" "^MTU:" "show port info 1"
	ns_pair "rtap-e2m-$$-" rte2m0 rte2m1 10.99.2
	wait_for 15 ip netns exec "rtap-e2m-$$-a" ping -c 1 -s $size -M "do" -W 1 -q 10.99.2.2 >/dev/null ||
		die "no reply to a ping of $((size + 28)) bytes within 15 s"
	say "ping -c $count -s $size -M do 10.99.2.1 -> 10.99.2.2"
	ping_out=$(ip netns exec "rtap-e2m-$$-a" timeout 60 \
		ping -c $count -s $size -M "do" -i 0.01 -W 2 -q 10.99.2.2 2>&1)
	echo "$ping_out" | tail -n 2
	echo "$ping_out" | grep -q " $count received, 0% packet loss" ||
		{ port_stats | grep -E "statistics for|RX-|TX-" >&2; die "ping lost packets"; }
	port_stats | awk -v min=$((count * size)) '/NIC statistics for port/ { p = n++ }
		/RX-bytes:/ { rx[p] = $6 } /TX-bytes:/ { tx[p] = $6 }
		END { for (p = 0; p < 2; p++) {
			printf "port %d: RX-bytes %d, TX-bytes %d (>= %d expected)\n", p, rx[p], tx[p], min
			bad += rx[p] < min || tx[p] < min
		} exit n != 2 || bad }' || die "the port statistics do not count the pings' bytes"
	echo "clear port stats all" >&3
	port_stats | awk -v min=$((count * size)) '/RX-bytes:/ { n++; bad += $6 >= min }
		END { exit n != 2 || bad }' || die "'clear port stats all' did not clear the counters"
	alive || die "testpmd exited"
	stop_ok
	say "PASS: MTU 2000 set, 9000 and 67 refused; $count pings of $((size + 28)) bytes; stats count and clear"
}

# l3fwd, l3fwd-power (interrupt mode), l3fwd-pause, l3fwd-monitor (the
# power library's pmd-mgmt modes): namespace a -> port 0 -> the application's
# LPM route -> port 1 -> namespace b, 100 pings each way, none lost; then the
# process's CPU use over 3 s of no traffic, which in interrupt mode must stay
# below a tenth of a core per lcore. Both open one Tx queue per lcore on every
# port: two lcores each polling one port give each port 1 Rx and 2 Tx queues.
run_l3fwd()
{
	local name=l3fwd n=(198.18.0 198.18.1) ifs=(rtl3a$$ rtl3b$$) ns=rtap-l3-$$- m=02:00:00:00:00:0
	local lcores=0-1 nl=2 conf='(0,0,0),(1,0,1)' args app cpu k0 i
	# l3fwd-power's routes, and its destination MACs: always 02:00:00:00:00:0<port>.
	[ "$mode" = l3fwd ] && args=(--eth-dest=0,${m}0 --eth-dest=1,${m}1) ||
		{ name=l3fwd-power n=(1.1.1 2.1.1) args=(--pmd-mgmt="${mode#l3fwd-}"); }
	[ "$mode" != l3fwd-power ] || args=(--interrupt-only)
	[ "$mode" != l3fwd-monitor ] || grep -qw 'waitpkg\|monitorx' /proc/cpuinfo ||
		skip "monitor mode needs a CPU with WAITPKG (umwait) or MONITORX: this one has neither"
	app=$(dirname "$testpmd")/../examples/dpdk-$name && [ -x "$app" ] || die "$app is not built"
	new_ifaces "${ifs[@]}"
	say "starting dpdk-$name ${args[*]}: lcores $lcores, --config=$conf"
	launch /dev/null "$work/testpmd.log" 120 "$app" --no-huge -m 512 --no-pci -l $lcores \
		--file-prefix="$prefix" --vdev=net_rtap0,iface=${ifs[0]},mac=${m}0 \
		--vdev=net_rtap1,iface=${ifs[1]},mac=${m}1 -- -p 0x3 --parse-ptype --config="$conf" "${args[@]}"
	pid=$launched
	wait_for 60 log_has "entering main" || die "dpdk-$name did not start forwarding"
	[ "$(grep -c "nb_rxq=1 nb_txq=$nl" "$work/testpmd.log")" = 2 ] || die "not 1 Rx, $nl Tx queues a port"
	# The other namespace's host is behind port i (whose MAC the interface has).
	for i in 0 1; do
		ns_add "$ns$i" "${ifs[i]}" "${n[i]}.2/24"
		ip -n "$ns$i" route add "${n[1 - i]}.0/24" dev "${ifs[i]}" &&
			ip -n "$ns$i" neigh add "${n[1 - i]}.2" lladdr $m$i dev "${ifs[i]}" ||
			die "cannot add the route and neighbour in $ns$i"
	done
	pings "${ns}0" "${n[1]}.2" 100 && pings "${ns}1" "${n[0]}.2" 100 || die "pings lost through dpdk-$name"
	sleep 1 && k0=$(tp_ticks) && sleep 3
	cpu=$(awk -v k=$(($(tp_ticks) - k0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", k / hz / 3 }')
	stop_ok "dpdk-$name"
	[ "$mode" != l3fwd-power ] || awk -v c="$cpu" -v n=$nl 'BEGIN { exit c >= n / 10 }' ||
		die "dpdk-$name in interrupt mode does not sleep: $cpu CPUs idle, $nl lcores"
	say "PASS: 100 pings each way through dpdk-$name, 0% loss; idle (3 s) it used $cpu CPUs, $nl lcores"
}

[[ $mode = @(io|csum|txonly|mp|telemetry|queues|desc|mtu|l3fwd|l3fwd-@(power|pause|monitor)) ]] ||
	die "unknown case $mode (see the usage line at the top of $0)"
"run_${mode%%-*}"
