#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# End-to-end tests of net_rtap with dpdk-testpmd and the Linux stack.
#
#   io      Two net_rtap ports in io forwarding mode. Once testpmd runs, each
#           TAP interface is moved into its own network namespace
#           (10.99.0.1/24 and 10.99.0.2/24), so testpmd is the only path
#           between them. ping -c 200 -i 0.01 must lose nothing and testpmd's
#           port statistics must count at least 200 packets received and
#           transmitted on each port, and no receive error (every frame
#           the kernel sent is valid).
#   txonly  One net_rtap port in txonly mode with a 16384-mbuf pool for 60 s,
#           statistics every second. The Tx rate must never drop to 0 (a
#           stall, e.g. a pool run dry) and the last period's rate must
#           not be more than 30% below the first full period's.
#   mp      testpmd's multi-process mode on 2 MB hugepages (reserved for the
#           run, given back after): a primary (--proc-id 0, rxonly) owns
#           one port with 2 queue pairs; a secondary (--proc-id 1, txonly)
#           transmits through queue 1 for 5 s and must exit cleanly on
#           SIGINT. The kernel must have received exactly what the
#           secondary sent, and the primary's port statistics must show it
#           after the secondary has gone.
#   telemetry
#           One net_rtap port in rxonly mode; 32 frames injected from an
#           AF_PACKET socket on its interface. Read over the telemetry
#           socket, /ethdev/stats must count them (port and queue 0),
#           /ethdev/xstats must carry ethdev's per-queue counters and the
#           driver's own, and /ethdev/info must name the port.
#
# usage: testpmd-e2e.sh <dpdk-testpmd> io|txonly|mp|telemetry
#
# Exit status: 0 passed, 1 failed, 77 skipped (not root, no /dev/net/tun,
# no network namespaces, missing tools).
#
# Environment:
#   RTAP_TXONLY_SECONDS  duration of the txonly run (default 60)
#   RTAP_PMD             driver name prefix (default net_rtap; net_tap runs
#                        the same checks against DPDK's TAP driver)

set -u

testpmd=${1:?usage: testpmd-e2e.sh <dpdk-testpmd> io|txonly|mp|telemetry}
mode=${2:-io}
pmd=${RTAP_PMD:-net_rtap}
seconds=${RTAP_TXONLY_SECONDS:-60}

PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=scripts/hugepages.sh
. "$(dirname "$0")/hugepages.sh"

tag=$$
prefix=rte2e_$tag
nsa=rtap-e2e-a-$tag
nsb=rtap-e2e-b-$tag
pid=
status=none
fifo_open=false
work=

log()
{
	echo "e2e[$mode]: $*"
}

skip()
{
	echo "SKIP: $*"
	exit 77
}

fail()
{
	echo "FAIL: $*"
	testpmd_tail 40 && echo "------------------------------------------"
	exit 1
}

stop_testpmd()
{
	[ -n "$pid" ] || return 0
	testpmd_quit || kill -INT "$pid" 2>/dev/null
	wait_exit 20 && return 0
	log "testpmd does not exit, sending SIGTERM"
	kill -TERM "$pid" 2>/dev/null
	wait_exit 10 && return 0
	log "testpmd does not exit, sending SIGKILL"
	testpmd_kill
	wait_exit 5
	status=137
}

cleanup()
{
	set +e
	trap - EXIT INT TERM
	stop_secondary
	remove_run "$nsa $nsb" "$ifaces"
	hugepages_restore "$prefix"
}

spid=
stop_secondary()
{
	[ -n "$spid" ] || return 0
	kill -KILL "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=
}
ifaces=

[ "$(id -u)" = 0 ] || skip "needs root"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
for t in ip timeout stdbuf awk; do
	command -v "$t" >/dev/null || skip "$t not installed"
done
[ -x "$testpmd" ] || fail "$testpmd is not built"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

work=$(mktemp -d /tmp/rtap-e2e.XXXXXX)

iface_exists()
{
	ip link show dev "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------
# io: kernel -> net_rtap -> testpmd io forwarding -> net_rtap -> kernel
# ---------------------------------------------------------------------------

run_io()
{
	local if0=rte2e0 if1=rte2e1 count=200 ping_out stats
	command -v ping >/dev/null || skip "ping not installed"
	ip netns add "$nsa" 2>/dev/null || skip "cannot create network namespaces"
	ip netns add "$nsb" || fail "cannot create network namespace $nsb"
	for ifc in $if0 $if1; do
		iface_exists $ifc && fail "interface $ifc exists already (another run?)"
	done
	ifaces="$if0 $if1"

	log "starting testpmd: $pmd ports $if0 and $if1, io forwarding"
	start_testpmd_fifo 240 \
		--vdev="${pmd}0,iface=$if0" --vdev="${pmd}1,iface=$if1" -- \
		-i --auto-start --forward-mode=io --nb-cores=1 \
		--total-num-mbufs=16384

	wait_for 60 log_has "testpmd> " ||
		fail "testpmd did not reach its prompt"
	alive || fail "testpmd exited"
	log_has "Start automatic packet forwarding" ||
		fail "testpmd did not start forwarding"
	iface_exists $if0 && iface_exists $if1 ||
		fail "interfaces $if0/$if1 not created"

	ip link set dev $if0 netns "$nsa" || fail "cannot move $if0 to $nsa"
	ip link set dev $if1 netns "$nsb" || fail "cannot move $if1 to $nsb"
	ip -n "$nsa" addr add 10.99.0.1/24 dev $if0 &&
	ip -n "$nsa" link set dev $if0 up &&
	ip -n "$nsb" addr add 10.99.0.2/24 dev $if1 &&
	ip -n "$nsb" link set dev $if1 up ||
		fail "cannot configure the interfaces in their namespaces"
	ip -n "$nsa" -br addr show dev $if0
	ip -n "$nsb" -br addr show dev $if1

	# The path works at all (ARP, carrier)?
	wait_for 15 ip netns exec "$nsa" ping -c 1 -W 1 -q 10.99.0.2 \
		>/dev/null || fail "no ping reply through testpmd within 15 s"

	log "ping -c $count -i 0.01 10.99.0.1 -> 10.99.0.2"
	ping_out=$(ip netns exec "$nsa" timeout 60 \
		ping -c $count -i 0.01 -W 2 -q 10.99.0.2 2>&1)
	echo "$ping_out" | tail -n 2
	alive || fail "testpmd exited during the ping"

	stats=$(port_stats) || fail "no answer to 'show port stats all'"
	stats=$(echo "$stats" |
		grep -E "NIC statistics|RX-packets|RX-errors|RX-nombuf|TX-packets|Error")
	echo "$stats"

	stop_testpmd
	[ "$status" = 0 ] || fail "testpmd exited with status $status"

	echo "$ping_out" | grep -q " $count received, 0% packet loss" ||
		fail "ping lost packets"
	echo "$stats" | awk -v min=$count '
		/NIC statistics for port/ {
			for (i = 1; i <= NF; i++)
				if ($i == "port")
					port = $(i + 1)
			ports++
		}
		/RX-packets:/ { rx[port] = $2 }
		/RX-errors:/ { rxerr[port] = $2 }
		/TX-packets:/ { tx[port] = $2 }
		END {
			ok = ports == 2
			for (p = 0; p < 2; p++) {
				printf "port %s: RX-packets %d (>= %d expected), RX-errors %d (0 expected), TX-packets %d (>= %d expected)\n",
					p, rx[p], min, rxerr[p], tx[p], min
				if (rx[p] < min || tx[p] < min || rxerr[p] != 0)
					ok = 0
			}
			exit !ok
		}' || fail "testpmd's port statistics do not match the traffic"
	log "PASS: $count pings through testpmd, 0% loss, statistics agree"
}

# ---------------------------------------------------------------------------
# txonly: sustained transmission into the kernel with a modest pool
# ---------------------------------------------------------------------------

run_txonly()
{
	local if0=rtetx0 rates n first last min
	iface_exists $if0 && fail "interface $if0 exists already (another run?)"
	ifaces=$if0

	log "starting testpmd: $pmd port $if0, txonly, 16384 mbufs, $seconds s"
	start_testpmd /dev/null $((seconds + 120)) \
		--vdev="${pmd}0,iface=$if0" -- \
		--forward-mode=txonly --port-topology=loop --nb-cores=1 \
		--total-num-mbufs=16384 --stats-period 1

	wait_for 60 log_has "Tx-pps:" || fail "testpmd printed no statistics"
	n=0
	while [ $n -lt "$seconds" ]; do
		sleep 1
		alive || fail "testpmd exited during the run"
		n=$((n + 1))
	done
	kill -INT "$pid"
	wait_exit 30 || fail "testpmd did not exit within 30 s of SIGINT"
	[ "$status" = 0 ] || fail "testpmd exited with status $status"

	# The first sample is printed before any period has elapsed (always
	# 0); the second is the first full period. testpmd's period is one
	# second or a little more.
	rates=$(tr -d '\033' <"$work/testpmd.log" |
		awk '/Tx-pps:/ { print $2 }' | tail -n +2)
	n=$(echo "$rates" | grep -c .)
	[ "$n" -ge $((seconds / 4)) ] ||
		fail "only $n statistics periods printed in $seconds s"
	first=$(echo "$rates" | head -n 1)
	last=$(echo "$rates" | tail -n 1)
	min=$(echo "$rates" | sort -n | head -n 1)
	log "Tx-pps per period:" $rates
	log "$n periods in $seconds s: first full $first pps, last $last pps, lowest $min pps"
	tr -d '\033' <"$work/testpmd.log" | grep -E "TX-dropped:" | tail -n 1
	[ "$min" -gt 0 ] || fail "the Tx rate dropped to 0 (stall)"
	# What is tested is that the rate holds: a pool running dry or
	# completions left unreaped make it fall. A last period faster than
	# the first (the machine was busier at the start) is no failure.
	[ $((last * 10)) -ge $((first * 7)) ] ||
		fail "last period's rate $last pps fell more than 30% below the first's ($first pps)"
	log "PASS: $last pps after $seconds s, never 0, not more than 30% below the first period's $first pps"
}

# ---------------------------------------------------------------------------
# mp: a secondary testpmd transmits through the primary's port
# ---------------------------------------------------------------------------

run_mp()
{
	local if0=rtemp0 k0 k1 sent ptx n sstatus
	iface_exists $if0 && fail "interface $if0 exists already (another run?)"
	hugepages_reserve 256 || skip "no 2 MB hugepages for the two processes"
	ifaces=$if0
	# The secondary maps the primary's memory at the same addresses: far
	# above where the libraries of either (or a sanitizer's shadow) land.
	testpmd_mem="-m 256 --base-virtaddr=0x200000000000"

	log "starting the primary: $pmd port $if0, 2 queue pairs, rxonly on queue 0"
	start_testpmd_fifo 240 --proc-type=primary \
		--vdev="${pmd}0,iface=$if0" -- \
		-i --num-procs=2 --proc-id=0 --rxq=2 --txq=2 \
		--forward-mode=rxonly --total-num-mbufs=16384
	wait_for 60 log_has "testpmd> " ||
		fail "the primary did not reach its prompt"
	echo "start" >&3
	wait_for 20 log_has "Start automatic packet forwarding\|rxonly packet forwarding" ||
		fail "the primary did not start forwarding"
	k0=$(cat /sys/class/net/$if0/statistics/rx_packets)

	log "starting the secondary: txonly on queue 1 for 5 s"
	launch /dev/null "$work/secondary.log" 60 "$testpmd" -m 256 --no-pci \
		-l 0-1 --file-prefix="$prefix" --proc-type=secondary -- \
		--num-procs=2 --proc-id=1 --rxq=2 --txq=2 \
		--forward-mode=txonly --total-num-mbufs=16384 --stats-period 1
	spid=$launched
	n=0
	while [ $n -lt 50 ]; do
		kill -0 "$spid" 2>/dev/null ||
			{ tail -n 30 "$work/secondary.log"; fail "the secondary exited early"; }
		sleep 0.1
		n=$((n + 1))
	done
	wait_for 20 grep -q "Tx-pps:" "$work/secondary.log" ||
		{ tail -n 30 "$work/secondary.log"; fail "the secondary printed no statistics"; }
	kill -INT "$spid"
	wait_gone "$spid" 30 ||
		fail "the secondary did not exit within 30 s of SIGINT"
	wait "$spid"
	sstatus=$?
	spid=
	tr -d '\033' <"$work/secondary.log" | grep -E "TX-packets:|Bye" | tail -n 3
	[ "$sstatus" = 0 ] ||
		{ tail -n 30 "$work/secondary.log"; fail "the secondary exited with status $sstatus"; }
	sent=$(tr -d '\033' <"$work/secondary.log" |
		awk '/Accumulated forward statistics/ { acc = 1 }
		     acc && /TX-packets:/ { print $2; exit }')
	[ -n "$sent" ] && [ "$sent" -gt 0 ] ||
		fail "the secondary sent nothing"
	k1=$(cat /sys/class/net/$if0/statistics/rx_packets)
	log "the secondary sent $sent frames; the kernel received $((k1 - k0))"
	[ $((k1 - k0)) = "$sent" ] ||
		fail "the kernel received $((k1 - k0)) frames, the secondary sent $sent"

	ptx=$(port_stats 1) || fail "no answer to 'show port stats all'"
	ptx=$(echo "$ptx" | awk '/TX-packets:/ { print $2; exit }')
	log "the primary's port statistics: TX-packets $ptx"
	[ "$ptx" = "$sent" ] ||
		fail "the primary counts $ptx frames sent, the secondary sent $sent"
	stop_testpmd
	[ "$status" = 0 ] || fail "the primary exited with status $status"
	log "PASS: $sent frames from the secondary's queue reached the kernel; both processes exited cleanly"
}

# ---------------------------------------------------------------------------
# telemetry: what /ethdev/stats, /ethdev/xstats and /ethdev/info show
# ---------------------------------------------------------------------------

run_telemetry()
{
	local if0=rtetm0 sock out
	iface_exists $if0 && fail "interface $if0 exists already (another run?)"
	ifaces=$if0
	log "starting testpmd: $pmd port $if0, rxonly"
	start_testpmd_fifo 120 --vdev="${pmd}0,iface=$if0" -- -i \
		--forward-mode=rxonly --total-num-mbufs=16384
	echo start >&3
	sock=/var/run/dpdk/$prefix/dpdk_telemetry.v2
	wait_for 30 test -S "$sock" || fail "no telemetry socket $sock"
	wait_for 30 log_has "Press enter to exit\|testpmd>" ||
		fail "testpmd did not start"
	wait_for 10 ip link set dev $if0 up || fail "cannot set $if0 up"
	out=$(python3 - "$sock" $if0 "${pmd}0" <<'PY'
import json, socket, sys, time

path, ifname, port_name = sys.argv[1:4]

def query(cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(path)
    s.recv(16384)  # the greeting
    s.send(cmd.encode())
    reply = json.loads(s.recv(1 << 20).decode())
    s.close()
    return reply[cmd.split(",")[0]]

p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
p.bind((ifname, 0))
frame = b"\x02\x00\x00\x00\x00\x01" + b"\x02\x00\x00\x00\x00\x02" + \
    b"\x88\xb5" + bytes(50)
for _ in range(32):
    p.send(frame)
deadline = time.time() + 10
while True:
    stats = query("/ethdev/stats,0")
    if stats["ipackets"] >= 32 or time.time() > deadline:
        break
    time.sleep(0.1)
xstats = query("/ethdev/xstats,0")
info = query("/ethdev/info,0")
# 25.11 and later show per-queue counters in xstats only.
q0 = stats["q_ipackets"][0] if "q_ipackets" in stats else stats["ipackets"]
print("stats ipackets=%d ibytes=%d q_ipackets[0]=%d" %
      (stats["ipackets"], stats["ibytes"], q0))
print("xstats rx_q0_packets=%s rx_q0_size_64_packets=%s" %
      (xstats.get("rx_q0_packets"), xstats.get("rx_q0_size_64_packets")))
print("info name=%s" % info.get("name"))
ok = (stats["ipackets"] >= 32 and q0 >= 32 and
      xstats.get("rx_q0_packets", 0) >= 32 and
      xstats.get("rx_q0_size_64_packets", 0) >= 32 and
      info.get("name") == port_name)
sys.exit(0 if ok else 1)
PY
	)
	local rc=$?
	echo "$out" | while read -r l; do log "$l"; done
	[ $rc = 0 ] || fail "telemetry does not show the port's counters"
	stop_testpmd
	[ "$status" = 0 ] || fail "testpmd exited with status $status"
	log "PASS: telemetry shows the 32 frames in stats and xstats, and the port's name"
}

case $mode in
telemetry)
	run_telemetry
	;;
mp)
	run_mp
	;;
io)
	run_io
	;;
txonly)
	run_txonly
	;;
*)
	fail "unknown case $mode (io, txonly, mp or telemetry)"
	;;
esac
