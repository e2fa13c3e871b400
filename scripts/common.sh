# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# What every script shares (sourced, bash). Debian's tools go first on PATH:
# DPDK's build wants Debian's python3, with pyelftools. testpmd runs under
# timeout(1) (pid), with its output in $work/testpmd.log.
# shellcheck shell=bash disable=SC2034,SC2154 # some variables are the callers'

export PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pid='' status=none fifo_open=false work='' prefix=rt_$$ nss='' ifaces='' iperf_pid=''
pmd_dir='' ovs_dir='' huge_old_nr='' huge_mounted='' huge_dir='' huge_sys=/sys/kernel/mm/hugepages/hugepages-2048kB
say() { echo "${me:-rtap}: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
die() { echo "FAIL: $*" >&2; testpmd_tail 30 >&2; exit 1; }
fail() { echo "${me:-rtap}: $*" >&2; exit 1; }
# The build directory: RTAP_BUILD_DIR, else build (build-asan with RTAP_SANITIZE=1).
[ "${RTAP_SANITIZE:-0}" = 1 ] && build=${RTAP_BUILD_DIR:-build-asan} || build=${RTAP_BUILD_DIR:-build}
dpdk_test=$build/dpdk/app/test/dpdk-test testpmd=${testpmd:-$build/dpdk/app/dpdk-testpmd}
# gcc 12's AddressSanitizer reports a stack-buffer-overflow inside its own
# sigaltstack handling when a DPDK thread exits (any driver): not using an
# alternate signal stack avoids it.
sanitizer_env()
{
	[ "${RTAP_SANITIZE:-0}" = 1 ] || return 0
	export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_summary=1}:use_sigaltstack=0
	export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$root/scripts/lsan.supp
}
# need_tap [command...]: root, /dev/net/tun and those commands, or a skip.
need_tap()
{
	local t
	[ "$(id -u)" = 0 ] || skip "needs root (TAP interfaces, namespaces)"
	[ -c /dev/net/tun ] || skip "no /dev/net/tun"
	for t; do command -v "$t" >/dev/null || skip "$t is not installed (scripts/setup.sh installs it)"; done
}
# need_huge <who>: 256 free 2 MB hugepages on a hugetlbfs mount (huge_dir),
# for a primary and a secondary, or a skip saying why not. huge_eal maps
# the primary's memory at the same addresses in the secondary: far above
# where either's libraries and heap (or a sanitizer's shadow) land.
# need_huge <who> <dir>: a private hugetlbfs mount on dir (created), instead.
need_huge()
{
	local free
	[ -w $huge_sys/nr_hugepages ] || skip "$1: no 2 MB hugepages here ($huge_sys/nr_hugepages not writable)"
	huge_dir=${2:-$(awk '$3 == "hugetlbfs" && ($4 !~ /pagesize=/ || $4 ~ /pagesize=2M/) { print $2; exit }' /proc/mounts)}
	if [ -n "${2:-}" ] || [ -z "$huge_dir" ]; then
		huge_dir=${huge_dir:-/dev/hugepages} huge_mounted=$huge_dir
		mkdir -p $huge_dir && mount -t hugetlbfs -o pagesize=2M nodev $huge_dir ||
			{ huge_mounted=; skip "$1: cannot mount hugetlbfs on $huge_dir"; }
	fi
	huge_eal="-m 256 --base-virtaddr=0x200000000000" free=$(cat $huge_sys/free_hugepages)
	[ "$free" -lt 256 ] || return 0
	huge_old_nr=$(cat $huge_sys/nr_hugepages)
	echo $((huge_old_nr + 256 - free)) >$huge_sys/nr_hugepages
	free=$(cat $huge_sys/free_hugepages)
	[ "$free" -ge 256 ] || skip "$1: only $free free 2 MB hugepages of 256 (memory too fragmented?)"
}
# begin_run <name>: a work directory, and on every way out (end_run) testpmd
# stopped, cleanup_more run, EAL's files removed, hugepages as they were,
# the namespaces ($nss) and interfaces ($ifaces) removed, iperf3's server stopped.
begin_run()
{
	trap end_run EXIT; trap 'exit 130' INT; trap 'exit 143' TERM
	prefix=rt$1_$$ work=$(mktemp -d "/tmp/rtap-$1.XXXXXX")
	[ -z "${RTAP_PMD_SO:-}" ] || pmd_copy "$RTAP_PMD_SO"
}
# pmd_copy <librte_net_rtap.so>: into a private directory, as RTAP_PMD_SO; EAL
# loads no -d driver below a world-writable directory (as /tmp is).
pmd_copy()
{
	pmd_dir=$(mktemp -d /run/rtap-pmd.XXXXXX) && cp "$1" "$pmd_dir/" &&
		RTAP_PMD_SO=$pmd_dir/${1##*/} || fail "cannot copy $1 into /run"
}
end_run()
{
	local x
	set +e && trap - EXIT INT TERM && stop_testpmd
	! declare -F cleanup_more >/dev/null || cleanup_more
	[ -z "$iperf_pid" ] || kill "$iperf_pid" 2>/dev/null
	[ -z "$huge_dir" ] || rm -f "$huge_dir/$prefix"map_*
	[ -z "$ovs_dir" ] || ovs_stop
	huge_release
	for x in $nss; do ip netns del "$x" 2>/dev/null; done
	for x in $ifaces; do ip link del dev "$x" 2>/dev/null; done
	rm -rf "/var/run/dpdk/$prefix" ${work:+"$work"} ${pmd_dir:+"$pmd_dir"}
	work='' pmd_dir=''
}
# huge_release: need_huge's mount and hugepages as they were.
huge_release()
{
	[ -z "$huge_mounted" ] || { umount "$huge_mounted" && rmdir "$huge_mounted" 2>/dev/null; }
	[ -z "$huge_old_nr" ] || echo "$huge_old_nr" >$huge_sys/nr_hugepages
	huge_dir='' huge_old_nr='' huge_mounted=''
}
# tp_ticks: the CPU time (clock ticks) of every thread of testpmd (or the
# application launched in its place), the child of timeout(1).
tp_ticks() { [ -n "$pid" ] && awk '{ sub(/.*\) /, ""); print $12 + $13 }' \
	"/proc/$(ps -o pid= --ppid "$pid" | head -n 1 | tr -d ' ')/stat" 2>/dev/null; }
alive() { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
iface_exists() { ip link show dev "$1" >/dev/null 2>&1; }
# new_ifaces <name...>: they must not exist yet; they go with end_run.
new_ifaces()
{
	local i
	for i; do ! iface_exists "$i" || die "interface $i exists (another run? if not: ip link del $i)"; done
	ifaces="$ifaces $*"
}
# wait_for <seconds> <command...>: poll until the command succeeds.
wait_for() { local n=$(($1 * 5)); until "${@:2}"; do n=$((n - 1)) && [ "$n" -gt 0 ] || return 1; sleep 0.2; done; }
# wait_gone <pid> <seconds>: fails if the process has not exited by then.
wait_gone() { wait_for "$2" eval "! kill -0 $1 2>/dev/null"; }
# wait_exit <seconds>: wait for testpmd to exit; sets status.
wait_exit() { [ -z "$pid" ] || wait_gone "$pid" "$1" || return 1; wait "$pid" 2>/dev/null; status=$? pid=; }
# launch <stdin> <log> <limit-seconds> <command...>: in the background, killed
# after limit seconds, its pid (timeout's) in launched; line-buffered by
# stdbuf, whose preloaded library a sanitizer runtime would refuse.
launch() { ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	timeout -k 10 "$3" stdbuf -oL -eL "${@:4}" <"$1" >"$2" 2>&1 & launched=$!; }
# start_testpmd [-i] <limit-seconds> <args...>: with -i, what is written to
# file descriptor 3 are its commands; the command line is in testpmd_cmd.
# RTAP_PMD_SO names a librte_net_rtap.so for EAL to load (-d), for a testpmd
# built without the driver (the distribution's).
start_testpmd()
{
	local in=/dev/null
	[ "$1" != -i ] || { in=$work/cmd && rm -f "$in" && mkfifo "$in" && shift; }
	# shellcheck disable=SC2206 # testpmd_mem is EAL words
	testpmd_cmd=("$testpmd" ${testpmd_mem:---no-huge -m 512} --no-pci -l 0-1
		${RTAP_PMD_SO:+-d "$RTAP_PMD_SO"} --file-prefix="$prefix" "${@:2}")
	launch "$in" "$work/testpmd.log" "$1" "${testpmd_cmd[@]}" && pid=$launched
	[ "$in" = /dev/null ] || { exec 3>"$in"; fifo_open=true; }
}
# stop_testpmd: quit (or SIGINT), then SIGTERM, then SIGKILL to testpmd and
# to timeout(1), whose child it is.
stop_testpmd()
{
	[ -n "$pid" ] || return 0
	if $fifo_open; then
		# A testpmd that died reads nothing: the write must not kill
		# us (SIGPIPE) before the clean-up has run.
		(trap '' PIPE; echo quit >&3) 2>/dev/null
		exec 3>&- && fifo_open=false
	else
		kill -INT "$pid" 2>/dev/null
	fi
	wait_exit 20 && return 0
	say "testpmd does not exit, sending SIGTERM" && kill -TERM "$pid" 2>/dev/null
	wait_exit 10 && return 0
	say "testpmd does not exit, sending SIGKILL"
	# shellcheck disable=SC2046
	kill -KILL $(ps -o pid='' --ppid "$pid") "$pid" 2>/dev/null
	wait_exit 5; status=137
}
# stop_ok [who]: testpmd stopped; it must have exited with status 0.
stop_ok() { stop_testpmd; [ "$status" = 0 ] || die "${1:-testpmd} exited with status $status"; }
log_has() { grep -q "$1" "$work/testpmd.log" 2>/dev/null; }
clean_log() { tr -d '\033' <"$work/testpmd.log"; }
# prompt [who]: interactive testpmd must reach its prompt within 60 s.
prompt() { wait_for 60 log_has "testpmd> " || die "${1:-testpmd} did not reach its prompt"; }
# testpmd_tail <lines>: the end of testpmd's output, if there is one.
testpmd_tail() { [ ! -f "$work/testpmd.log" ] || { echo "---- last lines of the testpmd output ----" &&
	tail -n "$1" "$work/testpmd.log" | tr -d '\033'; }; }
# start_fwd <limit> <if0> <if1> [testpmd args]: two new ports of $pmd
# forwarding in io mode, interactive, up to the point where it forwards.
start_fwd()
{
	new_ifaces "$2" "$3"
	# shellcheck disable=SC2154 # pmd is the caller's
	start_testpmd -i "$1" --vdev="${pmd}0,iface=$2" --vdev="${pmd}1,iface=$3" \
		-- -i --auto-start --forward-mode=io --nb-cores=1 --total-num-mbufs=16384 "${@:4}"
	prompt testpmd
	alive || die "testpmd exited"
	log_has "Start automatic packet forwarding" || die "testpmd did not start forwarding"
}
# ns_pair <prefix> <if-a> <if-b> <net>: the interfaces up in new namespaces
# <prefix>a and <prefix>b as <net>.1/24 and <net>.2/24; a must ping b.
ns_pair()
{
	ns_add "$1a" "$2" "$4.1/24" && ns_add "$1b" "$3" "$4.2/24"
	wait_for 15 ip netns exec "$1a" ping -c 1 -W 1 -q "$4.2" >/dev/null ||
		die "no ping reply from $4.2 in ${1}b within 15 s"
}
# ns_add <namespace> <interface> <address/len>
ns_add()
{
	ip netns add "$1" && nss="$nss $1" || die "cannot create network namespace $1"
	ip link set dev "$2" netns "$1" && ip -n "$1" addr add "$3" dev "$2" &&
		ip -n "$1" link set dev "$2" up && ip -n "$1" link set dev lo up || die "cannot set up $2 in $1"
}
# port_stats [ports]: testpmd's answer to 'show port stats all' (for that
# many ports, default 2), without escape sequences; fails without one in 20 s.
port_stats()
{
	local off want
	off=$(stat -c %s "$work/testpmd.log") want=$(($(grep -c "Tx-bps:" "$work/testpmd.log") + ${1:-2}))
	echo "show port stats all" >&3
	wait_for 20 eval "[ \$(grep -c Tx-bps: '$work/testpmd.log') -ge $want ]" || return 1
	sleep 0.5
	tail -c +"$((off + 1))" "$work/testpmd.log" | tr -d '\033'
}
# Forwarding between namespaces (bench.sh, demo.sh): the caller's ifa and ifb name the
# interfaces (ifa_k, ifb_k: net_af_packet's veth ends), nsp the namespaces' prefix.
mac_a=02:72:74:62:00:01 mac_b=02:72:74:62:00:02
# The two ports of a driver: --vdev arguments in vdev_args (taps with fixed
# MAC addresses: the csum engine writes the peer's), their kernel's side in
# ka and kb: the taps, or for net_af_packet the other ends of veth pairs.
ports()
{
	local i
	ka=$ifa kb=$ifb vdev_args=("--vdev=${1}0,iface=$ifa,mac=$mac_a" "--vdev=${1}1,iface=$ifb,mac=$mac_b")
	[ "$1" = net_af_packet ] || return 0
	ka=$ifa_k kb=$ifb_k vdev_args=("--vdev=${1}0,iface=$ifa,framecnt=4096" "--vdev=${1}1,iface=$ifb,framecnt=4096")
	ip link add "$ifa" type veth peer name "$ifa_k" &&
	ip link add "$ifb" type veth peer name "$ifb_k" || die "cannot create the veth pairs"
	# net_af_packet does not bring its interfaces up.
	for i in $ifaces; do
		sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1" 2>/dev/null
		ip link set dev "$i" up || die "cannot set $i up"
	done
}
# tick, tock: at the start and the end, the clock and the CPU time (clock
# ticks) of every thread of testpmd.
tick() { k0=$(tp_ticks) t0=$(date +%s.%N); }
tock() { k1=$(tp_ticks) t1=$(date +%s.%N); }
# ns_fwd <pmd> <mode>: testpmd between the ports, io mode or (csum, uso) the csum engine
# with checksums, LRO, TCP (uso: and UDP) segmentation of seg bytes; namespaces ${nsp}a
# (10.98.0.1) and b (.2) on their kernel's side. tp_cmds: what was typed at the prompt
# before "start". 1: no UDP segmentation.
ns_fwd()
{
	local pmd=$1 mode=$2 extra="--rxd=1024 --txd=1024 --total-num-mbufs=16384" lro=1
	# Rx offloads 0x201c: TCP and UDP checksums (left partial for the Tx
	# side to finish), LRO and scatter (chains of 2 KiB mbufs); the mask
	# replaces --enable-lro/--enable-scatter. ethdev's default LRO size is
	# one frame. net_tap has no LRO (0x200c).
	[ "$pmd" != net_tap ] || lro=0
	[ "$mode" = io ] || extra="--rxd=256 --txd=1024 --total-num-mbufs=65536
		--max-lro-pkt-size=65535 --rx-offloads=0x20${lro}c"
	ports "$pmd"
	# No offloads on the namespaces' veth ends, as net_tap's tap has
	# none: net_af_packet would read partial checksums.
	[ "$pmd" != net_af_packet ] || { ethtool -K "$ka" tx off >/dev/null &&
		ethtool -K "$kb" tx off >/dev/null; } || die "cannot turn the veths' offloads off"
	# shellcheck disable=SC2086
	start_testpmd -i $((secs + 120)) -v "${vdev_args[@]}" -- -i --forward-mode=io --nb-cores=1 \
		--rxq=1 --txq=1 --no-flush-rx --eth-peer=0,$mac_a --eth-peer=1,$mac_b $extra
	prompt "$pmd: testpmd"
	# The csum engine asks for the IPv4 header checksum on every TSO
	# packet: a port without it on refuses them in tx_prepare.
	tp_cmds=$([ "$mode" = io ] || printf '%s\n' "port stop all" "csum set "{ip,tcp,udp}" hw "{0,1} \
		"tso set $seg "{0,1} "set fwd csum" "port start all")
	printf '%s\nstart\n' "$tp_cmds" >&3
	wait_for 30 log_has "Start automatic packet forwarding\|forwarding packets" ||
		die "$pmd: testpmd did not start forwarding"
	[ "$mode" = io ] || ! log_has "Error: \|Please stop" || die "$pmd: testpmd refused the csum/TSO set-up"
	[ "$mode" != uso ] || ! log_has "doesn't support UFO\|RTE Version: 'DPDK 22\." || {
		log_has "DPDK 22\." && say "$pmd: testpmd of DPDK 22.11 has no UDP TSO (23.11 has)" ||
			say "$pmd: USO not offered by this port"; stop_testpmd; return 1; }
	wait_for 20 iface_exists "$ifb" || die "no $ifb"
	ns_pair "$nsp" "$ka" "$kb" 10.98.0
}
ns_fwd_end()
{
	local p
	stop_testpmd
	for p in $nss; do ip netns del "$p"; done && nss=
	# A veth goes with the namespace of either end, a little later.
	[ "$pmd" != net_af_packet ] || wait_for 10 eval "! iface_exists $ifa && ! iface_exists $ifb" ||
		die "veth pairs $ifa/$ifb still there"
}
# tcp_iperf [iperf3 client options]: iperf3 TCP from namespace a (or
# iperf_cli) to the server in b (iperf_srv, at iperf_ip; -R: the reverse) for
# secs seconds (after one not counted), its output on stdout; gbps: what the
# receiver received.
tcp_iperf()
{
	local out=$work/iperf3.out cli=${iperf_cli:-${nsp}a} srv=${iperf_srv:-${nsp}b} ip=${iperf_ip:-10.98.0.2}
	ip netns exec "$srv" timeout $((secs + 30)) iperf3 -s -1 -B "$ip" >/dev/null 2>&1 & iperf_pid=$!
	wait_for 10 ip netns exec "$srv" sh -c "ss -ltn 2>/dev/null | grep -q '$ip:5201'" ||
		die "$pmd: the iperf3 server did not start"
	tick && ip netns exec "$cli" timeout $((secs + 20)) \
		iperf3 -c "$ip" -t "$secs" -O 1 -f m --forceflush "$@" 2>&1 | tee "$out"
	tock && wait "$iperf_pid"; iperf_pid=
	gbps=$(awk '/receiver$/ && $(NF - 2) >= 1 { printf "%.3f", $(NF - 2) / 1000 }' "$out")
	[ -n "$gbps" ] || die "$pmd: iperf3 failed or under 1 Mbit/s: $(tail -c 300 "$out")"
}

# Open vSwitch with DPDK (Debian's ovs-vswitchd-dpdk, called by its path: the
# system's alternative and service are left alone), private in $ovs_dir: its
# database, sockets, logs and hugepage mount; RTAP_PMD_SO loaded through
# dpdk-extra. ovs_start [other_config:key=value...]: up, with a netdev bridge
# br0 forwarding as a learning switch; ovs_vsctl talks to it.
ovs_vswitchd=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
ovs_vsctl() { ovs-vsctl --db="unix:$ovs_dir/db.sock" --timeout=60 "$@"; }
ovs_start()
{
	ovs_dir=$work/ovs && rm -rf "$ovs_dir" && mkdir -p "$ovs_dir" && need_huge ovs "$ovs_dir/huge"
	ovsdb-tool create "$ovs_dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema &&
		ovsdb-server "$ovs_dir/conf.db" --remote="punix:$ovs_dir/db.sock" --no-chdir --detach \
		-vconsole:off --pidfile="$ovs_dir/ovsdb.pid" --unixctl="$ovs_dir/ovsdb.ctl" --log-file="$ovs_dir/ovsdb.log" &&
		ovs_vsctl --no-wait init || die "cannot start a private ovsdb-server"
	# One lcore for OVS's own threads, one PMD thread.
	ovs_vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true other_config:dpdk-socket-mem=512 \
		other_config:dpdk-hugepage-dir="$ovs_dir/huge" other_config:dpdk-lcore-mask=0x1 \
		other_config:pmd-cpu-mask=0x2 \
		other_config:dpdk-extra="--no-pci --file-prefix=$prefix -d $RTAP_PMD_SO" "$@" ||
		die "cannot configure OVS"
	OVS_RUNDIR=$ovs_dir OVS_LOGDIR=$ovs_dir OVS_DBDIR=$ovs_dir "$ovs_vswitchd" "unix:$ovs_dir/db.sock" \
		--no-chdir --detach -vconsole:off --pidfile="$ovs_dir/vswitchd.pid" --unixctl="$ovs_dir/vswitchd.ctl" \
		--log-file="$ovs_dir/vswitchd.log" || die "ovs-vswitchd did not start: $(tail -n 5 "$ovs_dir/vswitchd.log")"
	wait_for 60 eval 'ovs_vsctl get Open_vSwitch . dpdk_initialized | grep -q true' ||
		die "OVS: DPDK not initialized: $(grep -i 'err\|EAL' "$ovs_dir/vswitchd.log" | tail -n 5)"
	ovs_vsctl add-br br0 -- set bridge br0 datapath_type=netdev || die "OVS: cannot add bridge br0"
}
# ovs_port <name> <devargs> [column=value...]: a type=dpdk port on br0; its
# tap ($2's iface) must come up in 20 s.
ovs_port()
{
	local i=${2##*iface=}
	i=${i%%,*} && new_ifaces "$i"
	ovs_vsctl add-port br0 "$1" -- set Interface "$1" type=dpdk options:dpdk-devargs="$2" "${@:3}" ||
		die "OVS: cannot add port $1"
	wait_for 20 iface_exists "$i" && [ "$(ovs_vsctl get Interface "$1" ofport)" -gt 0 ] ||
		die "OVS: port $1 ($2) not added: $(ovs_vsctl get Interface "$1" error)"
}
# ovs_internal <name>: OVS's internal port of that name on br0 (a tap of
# OVS's own, which takes TSO from the kernel with userspace TSO).
ovs_internal()
{
	new_ifaces "$1"
	ovs_vsctl add-port br0 "$1" -- set Interface "$1" type=internal &&
		wait_for 10 iface_exists "$1" || die "OVS: no internal port $1"
}
ovs_stop()
{
	local p n
	for p in vswitchd ovsdb; do
		n=$(cat "$ovs_dir/$p.pid" 2>/dev/null) || continue
		ovs-appctl -t "$ovs_dir/$p.ctl" exit >/dev/null 2>&1 || kill "$n" 2>/dev/null
		wait_gone "$n" 20 || kill -KILL "$n" 2>/dev/null
	done
	huge_release && ovs_dir=''
}
