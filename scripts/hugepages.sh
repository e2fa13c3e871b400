# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# 2 MB hugepages for the multi-process runs, whose secondary must map the
# primary's memory. Sourced (sh or bash); the caller calls hugepages_restore
# on every way out (a trap), which puts nr_hugepages and the hugetlbfs mount
# back as they were.

# shellcheck shell=sh

huge_old_nr='' huge_mounted='' huge_dir=''
huge_sys=/sys/kernel/mm/hugepages/hugepages-2048kB

# hugepages_reserve <pages>: that many free 2 MB pages on a hugetlbfs mount
# (huge_dir); fails, saying why, if the kernel has not.
hugepages_reserve()
{
	[ -w $huge_sys/nr_hugepages ] ||
		{ echo "no 2 MB hugepages here ($huge_sys/nr_hugepages not writable)"; return 1; }
	huge_dir=$(awk '$3 == "hugetlbfs" && ($4 !~ /pagesize=/ ||
		$4 ~ /pagesize=2M/) { print $2; exit }' /proc/mounts)
	if [ -z "$huge_dir" ]; then
		huge_dir=/dev/hugepages
		mkdir -p $huge_dir && mount -t hugetlbfs -o pagesize=2M nodev $huge_dir ||
			{ echo "cannot mount hugetlbfs on $huge_dir"; return 1; }
		huge_mounted=$huge_dir
	fi
	huge_free=$(cat $huge_sys/free_hugepages)
	[ "$huge_free" -lt "$1" ] || return 0
	huge_old_nr=$(cat $huge_sys/nr_hugepages)
	echo $((huge_old_nr + $1 - huge_free)) >$huge_sys/nr_hugepages
	huge_free=$(cat $huge_sys/free_hugepages)
	[ "$huge_free" -ge "$1" ] ||
		{ echo "only $huge_free free 2 MB hugepages of $1 (memory too fragmented?)"; return 1; }
}

# hugepages_restore [prefix]: the page files EAL left for prefix removed,
# then what hugepages_reserve did undone.
hugepages_restore()
{
	[ -z "$huge_dir" ] || [ -z "${1:-}" ] || rm -f "$huge_dir/$1"map_*
	[ -z "$huge_old_nr" ] || echo "$huge_old_nr" >$huge_sys/nr_hugepages
	[ -z "$huge_mounted" ] || { umount "$huge_mounted" && rmdir "$huge_mounted" 2>/dev/null; }
	huge_old_nr='' huge_mounted=''
}
