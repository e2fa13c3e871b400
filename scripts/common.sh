# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Functions the scripts share; sourced (bash), it defines functions only.
#
# The testpmd ones (demo.sh, testpmd-e2e.sh) use the caller's variables:
#   testpmd    the dpdk-testpmd binary
#   testpmd_mem  EAL memory arguments (default: --no-huge -m 512)
#   prefix     EAL file prefix of the run
#   work       work directory (testpmd.log is written there), or empty
#   pid        the running testpmd (timeout(1) in front of it), or empty
#   fifo_open  true while file descriptor 3 writes to testpmd's commands
# and set status to testpmd's exit status when they see it exit.

# shellcheck shell=bash

# The build directory: RTAP_BUILD_DIR, else build, or build-asan with
# RTAP_SANITIZE=1.
build_dir()
{
	if [ "${RTAP_SANITIZE:-0}" = 1 ]; then
		echo "${RTAP_BUILD_DIR:-build-asan}"
	else
		echo "${RTAP_BUILD_DIR:-build}"
	fi
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

# wait_gone <pid> <seconds>: wait for the process to exit; fails if it
# has not by then.
wait_gone()
{
	local n=$(($2 * 5))
	while kill -0 "$1" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.2
		n=$((n - 1))
	done
	! kill -0 "$1" 2>/dev/null
}

# Wait for testpmd to exit, at most <seconds>; sets $status.
wait_exit()
{
	if [ -n "$pid" ] && ! wait_gone "$pid" "$1"; then
		return 1
	fi
	wait "$pid" 2>/dev/null
	# shellcheck disable=SC2034 # the caller's
	status=$?
	pid=
	return 0
}

# launch <stdin> <log> <limit-seconds> <command...>: the command in the
# background, killed after limit seconds; its pid (timeout's) in launched.
launch()
{
	local in=$1 out=$2 limit=$3
	shift 3
	# stdbuf makes the output line-buffered in the log; a sanitizer
	# runtime would otherwise refuse the preloaded library.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		timeout -k 10 "$limit" stdbuf -oL -eL "$@" \
		<"$in" >"$out" 2>&1 &
	launched=$!
}

# start_testpmd <stdin> <limit-seconds> <vdev args...> -- <testpmd args...>
# Its command line is left in the array testpmd_cmd.
start_testpmd()
{
	local in=$1 limit=$2
	shift 2
	# shellcheck disable=SC2206 # testpmd_mem is EAL words
	testpmd_cmd=("$testpmd" ${testpmd_mem:---no-huge -m 512} --no-pci -l 0-1
		--file-prefix="$prefix" "$@")
	launch "$in" "$work/testpmd.log" "$limit" "${testpmd_cmd[@]}"
	pid=$launched
}

# start_testpmd_fifo <limit-seconds> <args...>: start_testpmd, taking its
# commands from what is written to file descriptor 3.
start_testpmd_fifo()
{
	mkfifo "$work/cmd"
	start_testpmd "$work/cmd" "$@"
	exec 3>"$work/cmd"
	fifo_open=true
}

# Ask testpmd to quit through its commands; fails if it reads none.
testpmd_quit()
{
	$fifo_open || return 1
	# A testpmd that died reads nothing: the write must not kill us
	# (SIGPIPE) before the clean-up has run.
	(trap '' PIPE; echo quit >&3) 2>/dev/null
	exec 3>&-
	fifo_open=false
}

# SIGKILL to testpmd and to timeout(1), whose child it is.
testpmd_kill()
{
	# shellcheck disable=SC2046
	kill -KILL $(ps -o pid= --ppid "$pid") "$pid" 2>/dev/null
}

# Byte size of the log, to read what a command printed after it.
log_size()
{
	stat -c %s "$work/testpmd.log"
}

log_has()
{
	grep -q "$1" "$work/testpmd.log" 2>/dev/null
}

count_in_log()
{
	grep -c "$1" "$work/testpmd.log" 2>/dev/null
}

# count_at_least <pattern> <n>: the log has at least n lines with the pattern.
count_at_least()
{
	[ "$(count_in_log "$1")" -ge "$2" ]
}

# port_stats [ports]: testpmd's answer to 'show port stats all' (for that
# many ports, default 2), without escape sequences; fails if there is none
# within 20 s.
port_stats()
{
	local off n
	off=$(log_size)
	n=$(count_in_log "Tx-bps:")
	echo "show port stats all" >&3
	wait_for 20 count_at_least "Tx-bps:" $((n + ${1:-2})) || return 1
	sleep 0.5
	tail -c +"$((off + 1))" "$work/testpmd.log" | tr -d '\033'
}

# testpmd_tail <lines>: the end of testpmd's output; fails if there is none.
testpmd_tail()
{
	[ -n "$work" ] && [ -f "$work/testpmd.log" ] || return 1
	echo "---- last lines of the testpmd output ----"
	tail -n "$1" "$work/testpmd.log" | tr -d '\033'
}

# remove_run <namespaces> <interfaces>: what a run leaves is removed, with
# stop_testpmd (the caller's) first, then EAL's runtime directory and the
# work directory.
remove_run()
{
	local ns ifc
	stop_testpmd
	for ns in $1; do
		ip netns del "$ns" 2>/dev/null
	done
	for ifc in $2; do
		ip link del dev "$ifc" 2>/dev/null
	done
	rm -rf "/var/run/dpdk/$prefix"
	[ -n "$work" ] && rm -rf "$work"
}
