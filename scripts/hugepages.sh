# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# 2 MB hugepages for the multi-process runs, which need memory that a
# second process can map; single-process runs use --no-huge. Sourced (sh or
# bash); it defines functions only, and the caller must call
# hugepages_restore on every way out (a trap), which puts nr_hugepages and
# the hugetlbfs mount back as they were.

huge_old_nr=
huge_mounted=
huge_dir=

# hugepages_reserve <pages>: at least that many free 2 MB pages on a
# hugetlbfs mount (huge_dir); fails, saying why, if the kernel has not.
hugepages_reserve()
{
	want=$1
	nr_file=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	free_file=/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages
	if [ ! -w "$nr_file" ]; then
		echo "no 2 MB hugepages here ($nr_file not writable)"
		return 1
	fi
	huge_dir=$(awk '$3 == "hugetlbfs" && ($4 !~ /pagesize=/ ||
		$4 ~ /pagesize=2M/) { print $2; exit }' /proc/mounts)
	if [ -z "$huge_dir" ]; then
		huge_dir=/dev/hugepages
		mkdir -p "$huge_dir" &&
			mount -t hugetlbfs -o pagesize=2M nodev "$huge_dir" ||
			{ echo "cannot mount hugetlbfs on $huge_dir"; return 1; }
		huge_mounted=$huge_dir
	fi
	free=$(cat "$free_file")
	if [ "$free" -lt "$want" ]; then
		huge_old_nr=$(cat "$nr_file")
		echo $((huge_old_nr + want - free)) >"$nr_file"
		free=$(cat "$free_file")
		if [ "$free" -lt "$want" ]; then
			echo "only $free free 2 MB hugepages of $want (memory too fragmented?)"
			return 1
		fi
	fi
	return 0
}

# hugepages_restore [prefix]: remove the page files EAL left for prefix,
# then undo what hugepages_reserve did.
hugepages_restore()
{
	if [ -n "$huge_dir" ] && [ -n "${1:-}" ]; then
		rm -f "$huge_dir/$1"map_*
	fi
	if [ -n "$huge_old_nr" ]; then
		echo "$huge_old_nr" \
			>/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
		huge_old_nr=
	fi
	if [ -n "$huge_mounted" ]; then
		umount "$huge_mounted" && rmdir "$huge_mounted" 2>/dev/null
		huge_mounted=
	fi
}
