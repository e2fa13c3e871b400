/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Unit tests for net_rtap against real kernel TAP interfaces.
 *
 * Every test looks at both sides: frames injected through an AF_PACKET
 * socket on the interface must come out of rte_eth_rx_burst byte for byte,
 * frames given to rte_eth_tx_burst must be captured byte for byte on the
 * kernel side, and what the kernel shows (flags, MTU, MAC, whether the
 * interface exists) must follow the ethdev calls.  Open files and mempool
 * occupancy are counted around each test so that leaks show up.
 *
 * The kernel sends frames of its own on an interface (IPv6 MLD and router
 * solicitations), so test frames carry a magic word and a sequence number
 * and everything else is ignored; each test interface also gets no IPv6
 * address of its own, which keeps it quiet, so that the statistics can be
 * checked exactly.
 *
 * Tests that need the kernel's IP stack (addresses, forwarding, TCP) run
 * in a network namespace of their own, where DPDK plays the hosts on the
 * other side of the TAP.  To see what the kernel made of a frame with a Tx
 * offload, they let it forward the frame back out of the TAP: with no
 * offload offered to it there, the kernel completes checksums and cuts
 * super-packets itself, and DPDK receives the result.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/if_addr.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/seccomp.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_interrupts.h>
#include <rte_ip.h>
#include <rte_log.h>
#include <rte_memzone.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>
#include <rte_tcp.h>
#include <rte_thread.h>
#include <rte_udp.h>

#include "test.h"
#include "test_pmd_rtap.h"

/* Test cases */

/*
 * Probe creates the port and the kernel interface; dev_info describes it;
 * removal through the vdev bus takes both away and closes every file.
 */
static int
test_rtap_probe_remove(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac, kmac;
	unsigned int ifindex, flags;
	uint16_t port, p;
	int fds0;

	make_ifname(ifname, "p");
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	fds0 = count_fds();

	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
			    "probe with %s failed", args);
	TEST_ASSERT(rte_eth_dev_is_valid_port(port), "port %u not valid",
		    port);
	ifindex = if_nametoindex(ifname);
	TEST_ASSERT(ifindex != 0, "kernel has no interface %s", ifname);

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info),
			    "dev_info_get failed");
	TEST_ASSERT_EQUAL(info.if_index, ifindex,
			  "if_index %u, kernel ifindex of %s is %u",
			  info.if_index, ifname, ifindex);
	TEST_ASSERT_EQUAL(info.max_rx_queues, RTAP_MAX_QUEUES,
			  "max_rx_queues %u", info.max_rx_queues);
	TEST_ASSERT_EQUAL(info.max_tx_queues, RTAP_MAX_QUEUES,
			  "max_tx_queues %u", info.max_tx_queues);
	TEST_ASSERT(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER,
		    "rx_offload_capa 0x%" PRIx64 " lacks SCATTER",
		    info.rx_offload_capa);
	TEST_ASSERT(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
		    "tx_offload_capa 0x%" PRIx64 " lacks MULTI_SEGS",
		    info.tx_offload_capa);
	TEST_ASSERT_EQUAL(info.min_mtu, RTAP_MIN_MTU, "min_mtu %u",
			  info.min_mtu);
	TEST_ASSERT_EQUAL(info.max_mtu, RTAP_MAX_MTU, "max_mtu %u",
			  info.max_mtu);

	/* Without mac= the port reports whatever address the kernel chose */
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac),
			    "macaddr_get failed");
	TEST_ASSERT_SUCCESS(kern_mac(ifname, &kmac), "SIOCGIFHWADDR failed");
	TEST_ASSERT(rte_is_same_ether_addr(&mac, &kmac),
		    "port MAC " RTE_ETHER_ADDR_PRT_FMT " kernel MAC "
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&mac),
		    RTE_ETHER_ADDR_BYTES(&kmac));

	/* Probe alone does not bring the interface up */
	TEST_ASSERT_SUCCESS(kern_flags(ifname, &flags), "SIOCGIFFLAGS failed");
	TEST_ASSERT(!(flags & IFF_UP), "%s is up before start", ifname);

	TEST_ASSERT_SUCCESS(rte_vdev_uninit(vdev), "rte_vdev_uninit failed");
	ctx_forget_vdev(vdev);
	TEST_ASSERT(rte_eth_dev_get_port_by_name(vdev, &p) != 0,
		    "port %s still exists after remove", vdev);
	TEST_ASSERT(!rte_eth_dev_is_valid_port(port),
		    "port %u still valid after remove", port);
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
			    "%s still exists %d ms after remove", ifname,
			    WAIT_MS);
	TEST_ASSERT_EQUAL(count_fds(), fds0, "open files %d before, %d after",
			  fds0, count_fds());
	return TEST_SUCCESS;
}

/* Without iface= the kernel names the interfaces rtap%d, each its own. */
static int
test_rtap_default_name(void)
{
	char vdev[2][RTE_DEV_NAME_MAX_LEN], name[2][IF_NAMESIZE];
	struct rte_eth_dev_info info;
	uint16_t port[2];
	unsigned int i;
	int fds0;

	fds0 = count_fds();
	for (i = 0; i < 2; i++) {
		TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, NULL, vdev[i], &port[i],
					       name[i]),
				    "probe %s without devargs failed", RTAP_DRV);
		TEST_ASSERT(is_default_name(name[i]),
			    "%s got interface %s, expected rtap<N>", vdev[i],
			    name[i]);
		TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port[i], &info),
				    "dev_info_get failed");
		TEST_ASSERT_EQUAL(if_nametoindex(name[i]), info.if_index,
				  "%s: ifindex mismatch", name[i]);
	}
	TEST_ASSERT(strcmp(name[0], name[1]) != 0,
		    "two ports share interface %s", name[0]);
	for (i = 0; i < 2; i++) {
		TEST_ASSERT_SUCCESS(port_close(port[i], vdev[i]),
				    "close %s failed", vdev[i]);
		TEST_ASSERT_SUCCESS(wait_if_gone(name[i], WAIT_MS),
				    "%s still exists after close", name[i]);
	}
	TEST_ASSERT_EQUAL(count_fds(), fds0, "open files %d before, %d after",
			  fds0, count_fds());
	return TEST_SUCCESS;
}

/*
 * Both the kernel and the port show want as the interface's address;
 * how says where want came from (", devarg ", " after set to ").
 */
static int
mac_check(uint16_t port, const char *ifname,
	  const struct rte_ether_addr *want, const char *how)
{
	struct rte_ether_addr mac, kmac;

	TEST_ASSERT_SUCCESS(kern_mac(ifname, &kmac), "SIOCGIFHWADDR failed");
	TEST_ASSERT(rte_is_same_ether_addr(&kmac, want),
		    "kernel MAC " RTE_ETHER_ADDR_PRT_FMT "%s"
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&kmac), how,
		    RTE_ETHER_ADDR_BYTES(want));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac),
			    "macaddr_get failed");
	TEST_ASSERT(rte_is_same_ether_addr(&mac, want),
		    "port MAC " RTE_ETHER_ADDR_PRT_FMT "%s"
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&mac), how,
		    RTE_ETHER_ADDR_BYTES(want));
	return TEST_SUCCESS;
}

/* mac= is what the kernel shows and what the port reports. */
static int
test_rtap_mac(void)
{
	static const struct rte_ether_addr want = {
		.addr_bytes = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	static const struct rte_ether_addr want2 = {
		.addr_bytes = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa } };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[96];
	struct rte_ether_addr set;
	uint16_t port;

	make_ifname(ifname, "m");
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s,mac=" RTE_ETHER_ADDR_PRT_FMT,
		 ifname, RTE_ETHER_ADDR_BYTES(&want));

	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
			    "probe with %s failed", args);
	TEST_ASSERT_SUCCESS(mac_check(port, ifname, &want, ", devarg "),
			    "the address is not the devarg's");

	/* Changing it through ethdev changes it in the kernel */
	rte_ether_addr_copy(&want2, &set);
	TEST_ASSERT_SUCCESS(rte_eth_dev_default_mac_addr_set(port, &set),
			    "default_mac_addr_set failed");
	TEST_ASSERT_SUCCESS(mac_check(port, ifname, &want2, " after set to "),
			    "the address is not the one set");

	TEST_ASSERT_SUCCESS(port_close(port, vdev), "close failed");
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
			    "%s still exists after close", ifname);
	return TEST_SUCCESS;
}

/* What a probe that fails must leave as it was, taken before it. */
struct probe_before {
	char vdev[RTE_DEV_NAME_MAX_LEN];	/* the name to probe */
	unsigned int since;	/* highest ifindex */
	int fds;
	uint16_t nb_ports;
};

static void
probe_before_take(struct probe_before *b)
{
	snprintf(b->vdev, sizeof(b->vdev), "%s%u", RTAP_DRV, vdev_seq++);
	b->since = max_ifindex();
	b->fds = count_fds();
	b->nb_ports = rte_eth_dev_count_avail();
}

/*
 * The probe of b->vdev with args returned ret; it must have failed and
 * left nothing: no port, no interface (neither the named ones nor a
 * kernel-named rtap<N>), no open file.
 */
static int
probe_failed_check(const struct probe_before *b, int ret, const char *args,
		   const char *what, const char *if1, const char *if2)
{
	char leaked[IF_NAMESIZE];
	unsigned int idx;
	uint64_t deadline;
	uint16_t port;
	int fds1;

	if (ret == 0) {
		ctx_add_vdev(b->vdev);
		printf("%s: probe with \"%s\" succeeded\n", what, args);
		return -1;
	}
	if (rte_eth_dev_get_port_by_name(b->vdev, &port) == 0 ||
	    rte_eth_dev_count_avail() != b->nb_ports) {
		printf("%s: %u ports before, %u after the failed probe\n",
		       what, b->nb_ports, rte_eth_dev_count_avail());
		return -1;
	}
	fds1 = count_fds();
	if (fds1 != b->fds) {
		printf("%s: %d open files before probe, %d after\n", what,
		       b->fds, fds1);
		return -1;
	}
	/* Give an asynchronous deletion its chance before calling it a leak */
	deadline = deadline_ms(WAIT_MS);
	for (;;) {
		idx = new_default_iface(b->since, leaked);
		if (idx == 0 && (if1 == NULL || if_nametoindex(if1) == 0) &&
		    (if2 == NULL || if_nametoindex(if2) == 0))
			break;
		if (expired(deadline)) {
			if (idx != 0) {
				ctx_add_ifname(leaked);
				printf("%s: interface %s left behind\n", what,
				       leaked);
			} else {
				printf("%s: interface %s left behind\n", what,
				       if1 != NULL && if_nametoindex(if1) ?
				       if1 : if2);
			}
			return -1;
		}
		rte_delay_ms(1);
	}
	return 0;
}

/* Probe with args must fail and leave nothing (probe_failed_check). */
static int
bad_probe(const char *args, const char *what, const char *if1,
	  const char *if2)
{
	struct probe_before b;

	probe_before_take(&b);
	return probe_failed_check(&b, rte_vdev_init(b.vdev, args), args, what,
				  if1, if2);
}

static int
test_rtap_bad_devargs(void)
{
	static const struct {
		bool iface;		/* prefix a valid iface=<name> */
		const char *extra;
		const char *what;
	} bad[] = {
		{ true, "foo=bar", "unknown key" },
		{ false, "foo", "unknown key without value" },
		{ false, "iface=", "empty iface" },
		{ false, "iface=abcdefghijklmnop", "16-character iface" },
		{ true, "mac=", "empty mac" },
		{ true, "mac=02:00:00:00:00", "mac with five bytes" },
		{ true, "mac=02:00:00:00:00:0g", "mac with a non-hex digit" },
		{ true, "mac=02:00:00:00:00:00:01", "mac with seven bytes" },
		{ true, "mac=0200.0000.0001", "mac in dotted form" },
		{ true, "mac=01:00:5e:00:00:01", "multicast mac" },
		{ true, "mac=02:00:00:00:00:01,mac=02:00:00:00:00:02",
		  "duplicated mac" },
		{ true, "persist,persist", "duplicated persist" },
	};
	static const char * const kinds[] = { "dummy", "ifb", "bridge" };
	char ifname[IF_NAMESIZE], ifname2[IF_NAMESIZE], args[128];
	unsigned int i, idx;
	int ret = -1;

	make_ifname(ifname, "b");
	make_ifname(ifname2, "c");
	ctx_add_ifname(ifname);
	ctx_add_ifname(ifname2);

	for (i = 0; i < RTE_DIM(bad); i++) {
		if (bad[i].iface)
			snprintf(args, sizeof(args), "iface=%s,%s", ifname,
				 bad[i].extra);
		else
			strlcpy(args, bad[i].extra, sizeof(args));
		TEST_ASSERT_SUCCESS(bad_probe(args, bad[i].what,
					      bad[i].iface ? ifname : NULL,
					      NULL),
				    "bad devargs \"%s\" (%s) not handled",
				    args, bad[i].what);
	}

	snprintf(args, sizeof(args), "iface=%s,iface=%s", ifname, ifname2);
	TEST_ASSERT_SUCCESS(bad_probe(args, "duplicated iface", ifname,
				      ifname2),
			    "bad devargs \"%s\" not handled", args);

	/* The name belongs to an interface that is not a TAP */
	for (i = 0; i < RTE_DIM(kinds); i++) {
		ret = kern_add_link(ifname, kinds[i]);
		if (ret == 0)
			break;
	}
	if (ret != 0) {
		printf("cannot create a non-TAP link (%s), case skipped\n",
		       strerror(-ret));
	} else {
		idx = if_nametoindex(ifname);
		TEST_ASSERT(idx != 0, "%s link %s not found", kinds[i],
			    ifname);
		snprintf(args, sizeof(args), "iface=%s", ifname);
		/* The link is not the driver's: it must stay, untouched */
		ret = bad_probe(args, "iface is a non-TAP link", NULL, NULL);
		TEST_ASSERT_SUCCESS(ret, "probe on %s link %s not refused",
				    kinds[i], ifname);
		TEST_ASSERT_EQUAL(if_nametoindex(ifname), idx,
				  "the existing %s link %s was removed or replaced",
				  kinds[i], ifname);
		TEST_ASSERT_SUCCESS(kern_del_link(idx), "cannot delete %s",
				    ifname);
	}
	return TEST_SUCCESS;
}

/* Rx and Tx queue counts must match; at most 128 pairs. */
static int
test_rtap_queue_count(void)
{
	/* Rx and Tx queue counts that differ */
	static const uint16_t uneven[][2] = { { 2, 1 }, { 1, 2 }, { 4, 8 } };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_mempool *mp[3];
	struct rx_track *t;
	unsigned int avail0[3], i;
	uint16_t port, nb_rxd, nb_txd, q, used;
	int sock, fds0, ret;

	t = malloc(sizeof(*t));
	TEST_ASSERT_NOT_NULL(t, "no memory");
	memset(&conf, 0, sizeof(conf));
	/* 128 Rx rings of the minimum size do not fit one small pool */
	for (i = 0; i < RTE_DIM(mp); i++) {
		mp[i] = pool_create(NB_MBUF);
		if (mp[i] == NULL)
			goto fail;
		avail0[i] = rte_mempool_avail_count(mp[i]);
	}
	fds0 = count_fds();

	if (probe_iface("u", vdev, &port, ifname) != 0)
		goto fail;

	for (i = 0; i < RTE_DIM(uneven); i++) {
		ret = rte_eth_dev_configure(port, uneven[i][0], uneven[i][1],
					    &conf);
		if (ret != -EINVAL) {
			printf("configure %u rx / %u tx queues returned %d, expected -EINVAL\n",
			       uneven[i][0], uneven[i][1], ret);
			goto fail;
		}
	}
	ret = rte_eth_dev_configure(port, RTAP_MAX_QUEUES + 1,
				    RTAP_MAX_QUEUES + 1, &conf);
	if (ret == 0) {
		printf("configure %u queue pairs succeeded\n",
		       RTAP_MAX_QUEUES + 1);
		goto fail;
	}

	/* All 128 pairs, with the smallest rings the port accepts */
	if (rte_eth_dev_info_get(port, &info) != 0)
		goto fail;
	nb_rxd = RTE_MAX((uint16_t)16, info.rx_desc_lim.nb_min);
	nb_txd = RTE_MAX((uint16_t)16, info.tx_desc_lim.nb_min);
	ret = rte_eth_dev_configure(port, RTAP_MAX_QUEUES, RTAP_MAX_QUEUES,
				    &conf);
	if (ret != 0) {
		printf("configure %u queue pairs: %d\n", RTAP_MAX_QUEUES, ret);
		goto fail;
	}
	for (q = 0; q < RTAP_MAX_QUEUES; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd,
					     rte_eth_dev_socket_id(port), NULL,
					     mp[q % RTE_DIM(mp)]);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(port, q, nb_txd,
					rte_eth_dev_socket_id(port), NULL);
		if (ret != 0) {
			printf("queue pair %u setup: %d\n", q, ret);
			goto fail;
		}
	}
	ret = rte_eth_dev_start(port);
	if (ret != 0) {
		printf("start with %u queue pairs: %d\n", RTAP_MAX_QUEUES, ret);
		goto fail;
	}
	sock = pkt_open(ifname);
	if (sock < 0 || path_ready(port, RTAP_MAX_QUEUES, ifname, sock) != 0)
		goto fail;
	rx_track_init(t, port, 0, 256, NULL, 100, 256);
	if (inject_frames(sock, 0, 256, NULL, 100, 256) != 0)
		goto fail;
	if (rx_poll(t, RTAP_MAX_QUEUES, WAIT_MS, QUIET_MS) != 0) {
		printf("%u queue pairs: not every frame arrived exactly once\n",
		       RTAP_MAX_QUEUES);
		goto fail;
	}
	used = rx_queues_used(t, RTAP_MAX_QUEUES);
	printf("256 flows spread over %u of %u queues\n", used,
	       RTAP_MAX_QUEUES);
	if (used < 2) {
		printf("all flows arrived on one queue of %u\n",
		       RTAP_MAX_QUEUES);
		goto fail;
	}
	if (port_close_all(port, vdev) != 0 || if_gone_check(ifname) != 0 ||
	    fds_check(fds0) != 0)
		goto fail;
	for (i = 0; i < RTE_DIM(mp); i++) {
		if (rte_mempool_avail_count(mp[i]) != avail0[i]) {
			printf("pool %u has %u of %u mbufs after close\n", i,
			       rte_mempool_avail_count(mp[i]), avail0[i]);
			goto fail;
		}
		ctx_free_pool(mp[i]);
	}
	free(t);
	return TEST_SUCCESS;
fail:
	free(t);
	return TEST_FAILED;
}

/* IFF_UP follows start and stop; link is up after start. */
static int
test_rtap_start_stop(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_link link;
	struct rte_mempool *mp;
	unsigned int flags, round;
	uint64_t deadline;
	uint16_t port;
	int ret;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	TEST_ASSERT_SUCCESS(probe_iface("s", vdev, &port, ifname),
			    "probe failed");
	TEST_ASSERT_SUCCESS(kern_flags(ifname, &flags), "SIOCGIFFLAGS failed");
	TEST_ASSERT(!(flags & IFF_UP), "%s up before start", ifname);
	TEST_ASSERT_SUCCESS(port_setup(port, 1, NULL, mp, NB_RXD, NB_TXD),
			    "setup failed");

	for (round = 0; round < 3; round++) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_start(port),
				    "start %u failed", round);
		TEST_ASSERT_SUCCESS(wait_flags(ifname, IFF_UP, true, WAIT_MS),
				    "%s not up after start %u", ifname, round);
		deadline = deadline_ms(WAIT_MS);
		for (;;) {
			memset(&link, 0, sizeof(link));
			ret = rte_eth_link_get_nowait(port, &link);
			TEST_ASSERT_SUCCESS(ret, "link_get_nowait: %d", ret);
			if (link.link_status == RTE_ETH_LINK_UP)
				break;
			TEST_ASSERT(!expired(deadline),
				    "link down %d ms after start %u", WAIT_MS,
				    round);
			rte_delay_ms(1);
		}
		TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port),
				    "stop %u failed", round);
		TEST_ASSERT_SUCCESS(wait_flags(ifname, IFF_UP, false, WAIT_MS),
				    "%s still up after stop %u", ifname, round);
	}
	TEST_ASSERT_SUCCESS(port_close(port, vdev), "close failed");
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
			    "%s still exists after close", ifname);
	ctx_free_pool(mp);
	return TEST_SUCCESS;
}

#define STOP_NB_FRAMES		300	/* under the kernel queue's 1000 */

/*
 * Frames the kernel handed to a port that stops before polling them (read
 * into its posted buffers, or still in the kernel queue, which the kernel
 * purges without counting when the queue is detached) are dropped by the
 * stop and counted in ierrors: every frame the kernel gave is accounted.
 */
static int
test_rtap_stop_drops(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	uint64_t ktx0, ktx;
	unsigned int avail0;
	int fds0, sock;
	uint16_t port;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	/* 64 posted buffers: the rest of the frames wait in the kernel. */
	TEST_ASSERT_SUCCESS(probe_start("sd", 1, NULL, mp, 64, NB_TXD, vdev,
					&port, ifname, &sock),
			    "probe and start failed");
	TEST_ASSERT_SUCCESS(pkt_bypass_qdisc(sock), "no qdisc bypass");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(port), "stats reset failed");
	ktx0 = kern_stat(ifname, "tx_packets");
	TEST_ASSERT_SUCCESS(inject_frames(sock, 0, STOP_NB_FRAMES, NULL, 100,
					  0), "injection failed");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port), "stop failed");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(port, &st), "no stats");
	/* The kernel counts a frame as sent when the port's fd reads it. */
	ktx = kern_stat(ifname, "tx_packets") - ktx0;
	printf("%u frames injected; kernel sent %" PRIu64 ", ipackets %" PRIu64
	       ", ierrors %" PRIu64 ", imissed %" PRIu64 "\n", STOP_NB_FRAMES,
	       ktx, st.ipackets, st.ierrors, st.imissed);
	TEST_ASSERT(st.ipackets == 0 && st.imissed == 0,
		    "frames received or missed by a port that was not polled");
	TEST_ASSERT(st.ierrors >= STOP_NB_FRAMES,
		    "the stop dropped frames it did not count");
	TEST_ASSERT(st.ierrors == ktx,
		    "the kernel gave %" PRIu64 " frames, ierrors counts %" PRIu64,
		    ktx, st.ierrors);
	TEST_ASSERT_SUCCESS(port_close_clean(port, vdev, ifname, fds0, mp,
					     avail0), "close left something");
	ctx_free_pool(mp);
	return TEST_SUCCESS;
}

/*
 * Frames from the kernel arrive unchanged: 60, 64 and 1514 bytes in one
 * mbuf; 9014 bytes as a chain with scatter and MTU 9000.
 */
static int
test_rtap_rx(void)
{
	static const uint32_t sizes[] = {
		60, 64, 1514, 60, 64, 1514, 1514, 64, 60, 1000, 128, 61 };
	static const uint32_t jumbo[] = {
		JUMBO_FRAME, 60, JUMBO_FRAME, 1514, 4000, JUMBO_FRAME, 64,
		2048, 2049 };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rx_track *t;
	unsigned int avail0;
	uint16_t port, mtu = 0;
	int sock, fds0, kmtu = 0;
	bool refused;

	t = malloc(sizeof(*t));
	TEST_ASSERT_NOT_NULL(t, "no memory");
	mp = pool_create(NB_MBUF);
	if (mp == NULL)
		goto fail;
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	if (probe_start("r", 1, NULL, mp, NB_RXD, NB_TXD, vdev, &port, ifname,
			&sock) != 0)
		goto fail;

	rx_track_init(t, port, 0, RTE_DIM(sizes), sizes, 0, 0);
	t->single_max = RTE_ETHER_MAX_LEN;
	if (inject_frames(sock, 0, RTE_DIM(sizes), sizes, 0, 0) != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
		goto fail;
	if (rte_eth_dev_stop(port) != 0)
		goto fail;

	/* MTU 9000 does not fit an mbuf: without scatter it is refused */
	printf("MTU %u without scatter, which must be refused:\n", JUMBO_MTU);
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = JUMBO_MTU;
	refused = port_setup(port, 1, &conf, mp, NB_RXD, NB_TXD) != 0 ||
		rte_eth_dev_start(port) != 0;
	if (!refused) {
		printf("MTU %u without RX_OFFLOAD_SCATTER was accepted with %u byte mbufs\n",
		       JUMBO_MTU, RTE_MBUF_DEFAULT_DATAROOM);
		goto fail;
	}
	rte_eth_dev_stop(port);

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	if (port_setup(port, 1, &conf, mp, 256, NB_TXD) != 0)
		goto fail;
	if (rte_eth_dev_set_mtu(port, JUMBO_MTU) != 0) {
		printf("set_mtu %u with scatter failed\n", JUMBO_MTU);
		goto fail;
	}
	if (rte_eth_dev_get_mtu(port, &mtu) != 0 || mtu != JUMBO_MTU) {
		printf("get_mtu says %u after set_mtu %u\n", mtu, JUMBO_MTU);
		goto fail;
	}
	if (kern_mtu(ifname, &kmtu) != 0 || kmtu != JUMBO_MTU) {
		printf("kernel MTU of %s is %d after set_mtu %u\n", ifname,
		       kmtu, JUMBO_MTU);
		goto fail;
	}
	if (rte_eth_dev_start(port) != 0) {
		printf("start with scatter and MTU %u failed\n", JUMBO_MTU);
		goto fail;
	}
	if (kern_mtu(ifname, &kmtu) != 0 || kmtu != JUMBO_MTU) {
		printf("kernel MTU of %s is %d after start\n", ifname, kmtu);
		goto fail;
	}
	if (path_ready(port, 1, ifname, sock) != 0)
		goto fail;
	rx_track_init(t, port, 100, RTE_DIM(jumbo), jumbo, 0, 0);
	t->single_max = RTE_ETHER_MAX_LEN;
	t->chain_min = RTE_MBUF_DEFAULT_DATAROOM;
	if (inject_frames(sock, 100, RTE_DIM(jumbo), jumbo, 0, 0) != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
		goto fail;

	if (port_close_clean(port, vdev, ifname, fds0, mp, avail0) != 0)
		goto fail;
	ctx_free_pool(mp);
	free(t);
	return TEST_SUCCESS;
fail:
	free(t);
	return TEST_FAILED;
}

/*
 * Frames given to tx_burst are captured unchanged by the kernel, whatever
 * their shape: one segment, chains of 2 and 5, no headroom, shared
 * (refcnt 2) and indirect.
 */
static int
test_rtap_tx(void)
{
	static const uint16_t seg2[] = { 42, 958 };
	static const uint16_t seg5[] = { 14, 300, 1, 700, 499 };
	static const uint16_t seg_zh2[] = { 300, 300 };
	static const uint16_t seg3[] = { 100, 100, 100 };
	/* segments and headroom of the frames that go round the ring */
	static const struct {
		unsigned int nb_seg;
		uint16_t headroom;
	} shape[] = {
		{ 1, RTE_PKTMBUF_HEADROOM }, { 1, 0 },
		{ 2, RTE_PKTMBUF_HEADROOM }, { 5, RTE_PKTMBUF_HEADROOM },
		{ 3, 0 },
	};
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	uint32_t len[16], vlen[300];
	struct rte_mbuf *pkts[16], *shared = NULL, *direct = NULL, *ind;
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct cap_track *c;
	unsigned int avail0, i;
	uint16_t port, n = 0, shared_off = 0, direct_off = 0, seg;
	int sock, fds0;

	c = malloc(sizeof(*c));
	TEST_ASSERT_NOT_NULL(c, "no memory");
	mp = pool_create(NB_MBUF);
	if (mp == NULL)
		goto fail;
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (probe_start("t", 1, &conf, mp, NB_RXD, NB_TXD, vdev, &port,
			ifname, &sock) != 0)
		goto fail;

	/* 0, 1: one segment */
	len[n] = 60;
	pkts[n] = mbuf_frame(mp, n, len[n]);
	n++;
	len[n] = 1514;
	pkts[n] = mbuf_frame(mp, n, len[n]);
	n++;
	/* 2: two segments */
	len[n] = 1000;
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg2, RTE_DIM(seg2),
				  RTE_PKTMBUF_HEADROOM);
	n++;
	/* 3: five segments, one of them a single byte */
	len[n] = 1514;
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg5, RTE_DIM(seg5),
				  RTE_PKTMBUF_HEADROOM);
	n++;
	/* 4: no headroom at all */
	len[n] = 100;
	seg = (uint16_t)len[n];
	pkts[n] = mbuf_frame_segs(mp, n, len[n], &seg, 1, 0);
	n++;
	/* 5: a chain whose first segment has no headroom */
	len[n] = 600;
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg_zh2, RTE_DIM(seg_zh2), 0);
	n++;
	/* 6: shared with the test (refcnt 2); the test checks it after */
	len[n] = 200;
	pkts[n] = mbuf_frame(mp, n, len[n]);
	if (pkts[n] != NULL) {
		shared = pkts[n];
		shared_off = shared->data_off;
		headroom_fill(shared, 0xa5);
		rte_mbuf_refcnt_update(shared, 1);
	}
	n++;
	/* 7: indirect, attached to a direct mbuf the test keeps */
	len[n] = 300;
	direct = mbuf_frame(mp, n, len[n]);
	ind = rte_pktmbuf_alloc(mp);
	if (direct == NULL || ind == NULL) {
		rte_pktmbuf_free(ind);
		pkts[n] = NULL;
	} else {
		direct_off = direct->data_off;
		headroom_fill(direct, 0xa5);
		rte_pktmbuf_attach(ind, direct);
		pkts[n] = ind;
	}
	n++;
	/* 8: a three segment chain of equal parts */
	len[n] = 300;
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg3, RTE_DIM(seg3),
				  RTE_PKTMBUF_HEADROOM);
	n++;
	/* 9: minimum size again, after all the odd shapes */
	len[n] = 64;
	pkts[n] = mbuf_frame(mp, n, len[n]);
	n++;

	for (i = 0; i < n; i++) {
		if (pkts[i] == NULL) {
			printf("cannot build frame %u\n", i);
			for (i = 0; i < n; i++)
				rte_pktmbuf_free(pkts[i]);
			goto fail;
		}
	}
	cap_track_init(c, 0, n, len, 0);
	if (tx_all(port, 0, pkts, n) != 0)
		goto fail;
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto fail;

	if (held_check(shared, 6, len[6], shared_off, "refcnt 2 mbuf") != 0 ||
	    held_check(direct, 7, len[7], direct_off,
		       "direct mbuf under an indirect one") != 0)
		goto fail;
	rte_pktmbuf_free(shared);
	shared = NULL;
	rte_pktmbuf_free(direct);
	direct = NULL;

	/* Many frames of all shapes, enough to go round the ring */
	for (i = 0; i < RTE_DIM(vlen); i++)
		vlen[i] = 60 + (i * 397) % 1455;
	cap_track_init(c, 1000, RTE_DIM(vlen), vlen, 0);
	for (i = 0; i < RTE_DIM(vlen); ) {
		for (n = 0; n < 16 && i < RTE_DIM(vlen); n++, i++) {
			frame_build(frame_buf, vlen[i], 1000 + i, 0);
			pkts[n] = mbuf_split(mp, frame_buf, vlen[i],
					     shape[i % RTE_DIM(shape)].nb_seg,
					     shape[i % RTE_DIM(shape)].headroom);
			if (pkts[n] == NULL) {
				printf("cannot build frame %u\n", 1000 + i);
				rte_pktmbuf_free_bulk(pkts, n);
				goto fail;
			}
		}
		if (tx_all(port, 0, pkts, n) != 0)
			goto fail;
	}
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto fail;

	if (port_close_clean(port, vdev, ifname, fds0, mp, avail0) != 0)
		goto fail;
	ctx_free_pool(mp);
	free(c);
	return TEST_SUCCESS;
fail:
	free(c);
	return TEST_FAILED;
}

/*
 * The memory of a small pool between its objects (mempool headers,
 * trailers, padding at page ends), where nothing may write while the
 * objects are in use.  Its objects, which are mbufs without data room,
 * are in obj[].
 */
#define GAP_OBJS		16
struct pool_gaps {
	struct rte_mempool *mp;
	void *obj[GAP_OBJS];
	uint8_t *lo;
	size_t len;
	uint8_t snap[8192];
};

static int
pool_gaps_take(struct pool_gaps *g, struct rte_mempool *mp)
{
	uint8_t *lo = NULL, *hi = NULL, *o;
	unsigned int i;

	g->mp = mp;
	if (mp->nb_mem_chunks != 1 ||
	    rte_mempool_get_bulk(mp, g->obj, GAP_OBJS) != 0) {
		printf("pool %s: not %u objects in one chunk\n", mp->name,
		       GAP_OBJS);
		return -1;
	}
	for (i = 0; i < GAP_OBJS; i++) {
		o = g->obj[i];
		if (lo == NULL || o - mp->header_size < lo)
			lo = o - mp->header_size;
		if (hi == NULL || o + mp->elt_size + mp->trailer_size > hi)
			hi = o + mp->elt_size + mp->trailer_size;
	}
	rte_mempool_put_bulk(mp, g->obj, GAP_OBJS);
	g->lo = lo;
	g->len = hi - lo;
	if (g->len > sizeof(g->snap))
		return -1;
	memcpy(g->snap, lo, g->len);
	return 0;
}

static bool
pool_gaps_in_obj(const struct pool_gaps *g, const uint8_t *p)
{
	unsigned int i;

	for (i = 0; i < GAP_OBJS; i++)
		if (p >= (uint8_t *)g->obj[i] &&
		    p < (uint8_t *)g->obj[i] + g->mp->elt_size)
			return true;
	return false;
}

/*
 * The bytes between the objects that changed since pool_gaps_take; they
 * are put back, or the pool could not be freed.
 */
static size_t
pool_gaps_changed(const struct pool_gaps *g)
{
	size_t off, changed = 0;

	for (off = 0; off < g->len; off++) {
		if (g->lo[off] == g->snap[off] ||
		    pool_gaps_in_obj(g, g->lo + off))
			continue;
		if (changed++ == 0)
			printf("pool %s: byte %zu after the start of its objects changed, not in any object\n",
			       g->mp->name, off);
		g->lo[off] = g->snap[off];
	}
	return changed;
}

/*
 * The header mbuf of a clone comes from the clone's pool, which has no
 * data room when it is made for indirect mbufs only, as users of
 * rte_pktmbuf_clone often make them: the virtio-net header, and the TSO
 * headers copied after it, must not be written past that mbuf (the
 * driver may send the frame or drop and count it).  A TSO frame (1000
 * bytes of TCP payload in segments of 500) is cloned into a pool of 16
 * mbufs without data room and transmitted: nothing may have written
 * between the mbufs of that pool, the pool is full again, and close
 * leaves nothing behind.
 */
static int
test_rtap_tx_clone_pool(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mempool *mp, *ind;
	struct rte_mbuf *m, *clone;
	struct rte_eth_conf conf;
	struct pool_gaps *g;
	struct l4_frame fr;
	unsigned int avail0;
	uint32_t len;
	uint16_t port, seg;
	int sock, fds0, ret = TEST_FAILED;
	size_t changed;

	g = malloc(sizeof(*g));
	mp = pool_create(NB_MBUF);
	ind = pool_create_sized(GAP_OBJS, 0);
	if (g == NULL || mp == NULL || ind == NULL ||
	    pool_gaps_take(g, ind) != 0)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
	if (probe_start("cl", 1, &conf, mp, NB_RXD, NB_TXD, vdev, &port,
			ifname, &sock) != 0)
		goto out;

	memset(&fr, 0, sizeof(fr));
	rte_ether_addr_copy(&fwd_mac, &fr.dmac);
	rte_ether_addr_copy(&host_mac, &fr.smac);
	fr.proto = IPPROTO_TCP;
	fr.src = host4;
	fr.dst = fwd4;
	fr.tcp_flags = RTE_TCP_ACK_FLAG;
	fr.phdr = true;
	fr.ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	len = l4_build(big_buf, &fr, 1000);
	seg = (uint16_t)len;
	m = mbuf_build(mp, big_buf, &seg, 1, RTE_PKTMBUF_HEADROOM);
	clone = m != NULL ? rte_pktmbuf_clone(m, ind) : NULL;
	rte_pktmbuf_free(m);
	if (clone == NULL) {
		printf("cannot clone a frame\n");
		goto out;
	}
	clone->ol_flags |= fr.ol_flags;	/* it stays indirect */
	clone->l2_len = RTE_ETHER_HDR_LEN;
	clone->l3_len = sizeof(struct rte_ipv4_hdr);
	clone->l4_len = sizeof(struct rte_tcp_hdr);
	clone->tso_segsz = 500;
	if (tx_all(port, 0, &clone, 1) == 0 &&
	    pool_running_check(port, 1, ind, GAP_OBJS) == 0)
		ret = TEST_SUCCESS;
	changed = pool_gaps_changed(g);
	if (changed != 0) {
		printf("%zu bytes between the mbufs of the clone pool were written: a header mbuf without data room was written past its end\n",
		       changed);
		ret = TEST_FAILED;
	}
	if (ret != TEST_SUCCESS || port_close_clean(port, vdev, ifname, fds0,
						    mp, avail0) != 0)
		ret = TEST_FAILED;
out:
	free(g);
	return ret;
}

/*
 * set_mtu changes the kernel's MTU and refuses what is out of range.  On a
 * started port it refuses an MTU whose frames do not fit the Rx buffers
 * already posted; the largest that fits works, with a frame of that size.
 */
static int
test_rtap_mtu(void)
{
	static const uint16_t bad[] = { 0, RTAP_MIN_MTU - 1, RTAP_MAX_MTU + 1,
					UINT16_MAX };
	static const uint16_t good[] = { RTAP_MIN_MTU, RTAP_MAX_MTU };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rx_track *t;
	unsigned int i;
	uint16_t port, fit, mtu = 0;
	int sock, kmtu = 0, rc, ret = TEST_FAILED;

	t = malloc(sizeof(*t));
	mp = pool_create(NB_MBUF);
	if (t == NULL || mp == NULL ||
	    probe_iface("mtu", vdev, &port, ifname) != 0)
		goto out;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto out;
	/* The MTU given at configure is the kernel's too. */
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = 1400;
	if (port_setup(port, 1, &conf, mp, NB_RXD, NB_TXD) != 0 ||
	    kern_mtu(ifname, &kmtu) != 0 || kmtu != 1400) {
		printf("kernel MTU %d after configure with rxmode.mtu 1400\n",
		       kmtu);
		goto out;
	}
	if (port_setup(port, 1, NULL, mp, NB_RXD, NB_TXD) != 0 ||
	    rte_eth_dev_info_get(port, &info) != 0)
		goto out;
	/*
	 * The largest MTU whose frames fit one default mbuf, with the frame
	 * overhead the port declares (as ethdev computes it).
	 */
	fit = RTE_MBUF_DEFAULT_DATAROOM - (info.max_rx_pktlen - info.max_mtu);

	/* Stopped: anything in [68, 9216] goes, the rest does not */
	for (i = 0; i < RTE_DIM(bad); i++) {
		if (rte_eth_dev_set_mtu(port, bad[i]) == 0) {
			printf("set_mtu %u accepted\n", bad[i]);
			goto out;
		}
		if (kern_mtu(ifname, &kmtu) != 0 ||
		    kmtu != RTE_ETHER_MTU) {
			printf("kernel MTU %d after refused set_mtu %u\n", kmtu,
			       bad[i]);
			goto out;
		}
	}
	for (i = 0; i < RTE_DIM(good); i++) {
		if (mtu_set_kern(port, ifname, good[i], &kmtu) != 0) {
			printf("set_mtu %u on a stopped port: kernel MTU %d\n",
			       good[i], kmtu);
			goto out;
		}
	}
	if (rte_eth_dev_set_mtu(port, RTE_ETHER_MTU) != 0 ||
	    rte_eth_dev_start(port) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
		goto out;

	/* Started: the largest MTU that fits one mbuf, and its frame */
	if (rte_eth_dev_set_mtu(port, fit) != 0) {
		printf("set_mtu %u refused on a started port with %u byte mbufs\n",
		       fit, RTE_MBUF_DEFAULT_DATAROOM);
		goto out;
	}
	if (kern_mtu(ifname, &kmtu) != 0 || kmtu != fit ||
	    rte_eth_dev_get_mtu(port, &mtu) != 0 || mtu != fit) {
		printf("after set_mtu %u: kernel MTU %d, get_mtu %u\n", fit,
		       kmtu, mtu);
		goto out;
	}
	rx_track_init(t, port, 0, 2, NULL, fit + RTE_ETHER_HDR_LEN, 0);
	t->single_max = RTE_MBUF_DEFAULT_DATAROOM;
	if (inject(sock, 0, fit + RTE_ETHER_HDR_LEN, 0) != 0 ||
	    inject(sock, 1, fit + RTE_ETHER_HDR_LEN, 0) != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0) {
		printf("frames of MTU %u not received\n", fit);
		goto out;
	}
	/* One byte more does not fit what is posted */
	rc = rte_eth_dev_set_mtu(port, fit + 1);
	if (rc != -EINVAL) {
		printf("set_mtu %u on a started port returned %d, expected -EINVAL\n",
		       fit + 1, rc);
		goto out;
	}
	if (rte_eth_dev_set_mtu(port, JUMBO_MTU) != -EINVAL) {
		printf("set_mtu %u on a started port without scatter accepted\n",
		       JUMBO_MTU);
		goto out;
	}
	if (kern_mtu(ifname, &kmtu) != 0 || kmtu != fit ||
	    rte_eth_dev_get_mtu(port, &mtu) != 0 || mtu != fit) {
		printf("refused set_mtu changed the MTU: kernel %d, get_mtu %u\n",
		       kmtu, mtu);
		goto out;
	}
	if (mtu_set_kern(port, ifname, 1280, &kmtu) != 0) {
		printf("set_mtu 1280 on a started port: kernel MTU %d\n", kmtu);
		goto out;
	}

	if (port_close_all(port, vdev) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	return ret;
}

/*
 * The port keeps working on an interface renamed from the kernel side:
 * start (which opens the kernel queues), traffic, MTU, link down and up
 * and promiscuous mode all reach the interface under its new names.
 */
static int
test_rtap_rename(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], args[64];
	char name[3][IF_NAMESIZE];
	static const char * const tag[3] = { "ra", "rb", "rc" };
	struct rte_eth_dev_info info;
	struct rte_mempool *mp;
	struct cap_track *c;
	unsigned int ifindex, flags, i;
	uint16_t port;
	int sock, kmtu = 0, ret = TEST_FAILED;

	c = malloc(sizeof(*c));
	mp = pool_create(NB_MBUF);
	if (c == NULL || mp == NULL)
		goto out;
	for (i = 0; i < RTE_DIM(name); i++) {
		make_ifname(name[i], tag[i]);
		ctx_add_ifname(name[i]);
	}
	snprintf(args, sizeof(args), "iface=%s", name[0]);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto out;
	ifindex = if_nametoindex(name[0]);
	if (rename_check(ifindex, name[0], name[1]) != 0)
		goto out;
	if (port_start(port, 1, NULL, mp, NB_RXD, NB_TXD) != 0) {
		printf("start after rename to %s failed\n", name[1]);
		goto out;
	}
	sock = pkt_open(name[1]);
	if (sock < 0 || path_ready(port, 1, name[1], sock) != 0)
		goto out;
	if (mtu_set_kern(port, name[1], 1400, &kmtu) != 0) {
		printf("set_mtu 1400 after rename: MTU of %s is %d\n", name[1],
		       kmtu);
		goto out;
	}
	if (rte_eth_dev_set_link_down(port) != 0 ||
	    wait_flags(name[1], IFF_UP, false, WAIT_MS) != 0) {
		printf("set_link_down did not reach %s\n", name[1]);
		goto out;
	}

	/* Again, while started */
	if (rename_check(ifindex, name[1], name[2]) != 0)
		goto out;
	if (rte_eth_dev_set_link_up(port) != 0 ||
	    wait_link(port, name[2], true, WAIT_MS) != 0) {
		printf("set_link_up did not reach %s\n", name[2]);
		goto out;
	}
	if (mtu_set_kern(port, name[2], 1300, &kmtu) != 0) {
		printf("set_mtu 1300 after rename: MTU of %s is %d\n", name[2],
		       kmtu);
		goto out;
	}
	if (rte_eth_promiscuous_enable(port) != 0 ||
	    kern_flags(name[2], &flags) != 0 || !(flags & IFF_PROMISC)) {
		printf("promiscuous_enable did not reach %s\n", name[2]);
		goto out;
	}
	if (rte_eth_dev_info_get(port, &info) != 0 ||
	    info.if_index != ifindex) {
		printf("if_index changed with the name\n");
		goto out;
	}
	/* The packet socket is bound by index: it follows the rename too */
	if (path_ready(port, 1, name[2], sock) != 0)
		goto out;
	cap_track_init(c, 0, 16, NULL, 300);
	if (tx_frames(port, 0, mp, 0, 16, NULL, 300) != 0 ||
	    cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	if (rte_eth_dev_set_link_down(port) != 0 ||
	    wait_flags(name[2], IFF_UP, false, WAIT_MS) != 0) {
		printf("set_link_down did not reach %s\n", name[2]);
		goto out;
	}

	if (port_close_all(port, vdev) != 0 || if_gone_check(name[2]) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(c);
	return ret;
}

/*
 * Extended statistics: the driver's names, exactly and in order, for two
 * queue pairs; counts by size bucket (both edges of each), by unicast,
 * multicast or broadcast destination, and of chains, per queue and
 * direction, for known traffic; the same values by id; zero after reset.
 */
static int
test_rtap_xstats(void)
{
	static const uint32_t sizes[] = {
		60, 64, 65, 127, 128, 255, 256, 511, 512, 1023, 1024, 1518,
		1519, JUMBO_FRAME };
	static const struct rte_ether_addr cast[3] = {
		{ .addr_bytes = { 0x02, 0x72, 0x74, 0x61, 0x70, 0x09 } },
		{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x09 } },
		{ .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	};
	const uint32_t nb_rx = 7 * 16, nb_tx = RTE_DIM(sizes) * 3;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	static uint32_t rxlen[7 * 16], txlen[RTE_DIM(sizes) * 3 * 2];
	static struct rte_ether_addr rxdst[7 * 16];
	static struct rte_ether_addr txdst[RTE_DIM(sizes) * 3 * 2];
	struct rte_mbuf *pkts[RTE_DIM(sizes) * 3];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct xs_tally *xs;
	struct rx_track *t;
	struct cap_track *c;
	uint32_t i, seq, len;
	uint16_t port, q;
	int sock, ret = TEST_FAILED;

	t = malloc(sizeof(*t));
	c = malloc(sizeof(*c));
	xs = calloc(1, sizeof(*xs));
	mp = pool_create(NB_MBUF);
	if (t == NULL || c == NULL || xs == NULL || mp == NULL ||
	    probe_iface("xs", vdev, &port, ifname) != 0)
		goto out;
	sock = pkt_open(ifname);
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (sock < 0 || port_setup(port, 2, &conf, mp, 128, 256) != 0 ||
	    rte_eth_dev_set_mtu(port, JUMBO_MTU) != 0 ||
	    rte_eth_dev_start(port) != 0 ||
	    path_ready(port, 2, ifname, sock) != 0)
		goto out;
	if (rte_eth_xstats_reset(port) != 0 || xs_check(port, 2, xs) != 0) {
		printf("xstats not zero after reset\n");
		goto out;
	}

	/*
	 * From the kernel: 16 frames of each size bucket, each bucket with
	 * its kind of destination, as IPv4/UDP flows spread over the queues.
	 */
	for (i = 0; i < nb_rx; i++) {
		rxlen[i] = sizes[(i / 16) * 2 + i % 2];
		rxdst[i] = cast[(i / 16) % 3];
	}
	rx_track_init(t, port, 0, nb_rx, rxlen, 0, 16);
	t->dst = rxdst;
	t->tally = xs;
	for (i = 0; i < nb_rx; i++) {
		frame_build(frame_buf, rxlen[i], i, 16);
		rte_ether_addr_copy(&rxdst[i],
				    (struct rte_ether_addr *)frame_buf);
		if (pkt_send(sock, frame_buf, rxlen[i]) != 0)
			goto out;
	}
	if (rx_poll(t, 2, WAIT_MS, QUIET_MS) != 0)
		goto out;
	printf("%u frames received on %u queues (%u + %u)\n", t->got,
	       rx_queues_used(t, 2), t->per_queue[0], t->per_queue[1]);

	/*
	 * To the kernel: every size on each queue, with the three kinds of
	 * destination, the jumbo ones and some others as chains.
	 */
	seq = 1000;
	for (q = 0; q < 2; q++) {
		for (i = 0; i < nb_tx; i++) {
			len = sizes[(i + q * 5) % RTE_DIM(sizes)];
			txlen[q * nb_tx + i] = len;
			txdst[q * nb_tx + i] = cast[(i + q) % 3];
			frame_build(frame_buf, len, seq + q * nb_tx + i, 0);
			rte_ether_addr_copy(&txdst[q * nb_tx + i],
					    (struct rte_ether_addr *)frame_buf);
			if (len > RTE_MBUF_DEFAULT_DATAROOM || i % (q + 2) == 0)
				pkts[i] = mbuf_chunks(mp, frame_buf, len, 1000);
			else
				pkts[i] = mbuf_chunks(mp, frame_buf, len,
						      UINT16_MAX);
			if (pkts[i] == NULL) {
				printf("cannot build frame %u\n", i);
				rte_pktmbuf_free_bulk(pkts, i);
				goto out;
			}
			xs_tx_count(xs, q, pkts[i]);
		}
		if (tx_all(port, q, pkts, nb_tx) != 0)
			goto out;
	}
	cap_track_init(c, seq, 2 * nb_tx, txlen, 0);
	c->dst = txdst;
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	if (xs_check(port, 2, xs) != 0) {
		printf("xstats do not match the traffic\n");
		goto out;
	}

	if (rte_eth_xstats_reset(port) != 0)
		goto out;
	memset(xs, 0, sizeof(*xs));
	if (xs_check(port, 2, xs) != 0) {
		printf("xstats not zero after reset\n");
		goto out;
	}

	if (port_close_all(port, vdev) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	free(c);
	free(xs);
	return ret;
}

/*
 * Offload requests the kernel cannot carry out, malformed mbufs and
 * frames the kernel would not take are dropped by tx_burst and counted in
 * oerrors: the kernel never sees them (nothing captured, no Tx size
 * counter moves), the well-formed frames around them in the same burst go
 * through, and no mbuf is lost: the driver frees what it drops.
 */
static int
test_rtap_tx_bad_offload(void)
{
	static const struct {
		const char *what;
		uint32_t len;
		uint16_t chunk;		/* in segments of at most this */
	} bad[] = {
		{ "TSO with tso_segsz 0", 300, 300 },
		{ "TSO headers beyond the packet", 300, 300 },
		{ "TSO with a 8 byte TCP header", 300, 300 },
		{ "TSO without IPv4 or IPv6", 300, 300 },
		{ "TSO of a tunnel", 300, 300 },
		{ "UDP checksum with headers beyond the packet", 300, 300 },
		{ "SCTP checksum", 300, 300 },
		{ "chain with nb_segs 3 and 2 segments", 300, 150 },
		{ "chain whose data_len add up to less than pkt_len", 300, 150 },
		{ "chain whose data_len add up to more than pkt_len", 300, 150 },
		{ "one segment with data_len short of pkt_len", 300, 150 },
		{ "chain with nb_segs 2 and 3 segments", 300, 100 },
		{ "chain with nb_segs 1 and 2 segments", 300, 150 },
		{ "zero-length frame", 300, 300 },
		{ "13-byte frame, shorter than an Ethernet header", 300, 300 },
		{ "chain of 33 segments", 330, 10 },
		{ "9300-byte frame without TSO, beyond the largest MTU", 9300,
		  1000 },
		{ "TCP checksum with l2_len and l3_len beyond the packet", 300,
		  300 },
		{ "TSO with headers filling the whole packet", 300, 300 },
		{ "UDP checksum of a tunnel with outer headers beyond the packet",
		  300, 300 },
	};
	const uint32_t nb_bad = RTE_DIM(bad), nb = 2 * RTE_DIM(bad) + 1;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mbuf *pkts[2 * RTE_DIM(bad) + 1], *m;
	struct rte_eth_conf conf;
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	struct xs_tally *xs;
	struct cap_track *c;
	unsigned int avail0, i, k;
	uint64_t deadline;
	uint16_t port, sent;
	int sock, ret = TEST_FAILED;

	c = malloc(sizeof(*c));
	xs = calloc(1, sizeof(*xs));
	mp = pool_create(NB_MBUF);
	if (c == NULL || xs == NULL || mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_TSO;
	if (probe_start("bad", 1, &conf, mp, NB_RXD, NB_TXD, vdev, &port,
			ifname, &sock) != 0)
		goto out;
	if (rte_eth_stats_reset(port) != 0 || rte_eth_xstats_reset(port) != 0)
		goto out;

	/*
	 * Good frames (seq 0..nb_bad) and bad ones (seq 100..) alternate in
	 * one burst; all are test frames, so a capture would tell them.
	 */
	memset(pkts, 0, sizeof(pkts));
	for (i = 0, k = 0; i < nb; i++) {
		if (i % 2 == 0) {
			pkts[i] = mbuf_frame(mp, i / 2, 200);
			if (pkts[i] == NULL)
				goto free;
			xs_tx_count(xs, 0, pkts[i]);
			continue;
		}
		frame_build(frame_buf, bad[k].len, 100 + k, 0);
		m = mbuf_chunks(mp, frame_buf, bad[k].len, bad[k].chunk);
		pkts[i] = m;
		if (m == NULL)
			goto free;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(struct rte_ipv4_hdr);
		m->l4_len = sizeof(struct rte_tcp_hdr);
		m->tso_segsz = 100;
		m->ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
		switch (k++) {
		case 0:
			m->tso_segsz = 0;
			break;
		case 1:
			m->l3_len = 300;
			break;
		case 2:
			m->l4_len = 8;
			break;
		case 3:
			m->ol_flags = RTE_MBUF_F_TX_TCP_SEG;
			break;
		case 4:
			m->ol_flags |= RTE_MBUF_F_TX_TUNNEL_VXLAN |
				RTE_MBUF_F_TX_OUTER_IPV4;
			m->outer_l2_len = RTE_ETHER_HDR_LEN;
			m->outer_l3_len = sizeof(struct rte_ipv4_hdr);
			break;
		case 5:
			m->ol_flags = RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_UDP_CKSUM;
			m->l3_len = 300;
			break;
		case 6:
			m->ol_flags = RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_SCTP_CKSUM;
			break;
		case 7:
			m->ol_flags = 0;
			m->nb_segs = 3;
			break;
		case 8:
			m->ol_flags = 0;
			m->pkt_len += 50;
			break;
		case 9:
			m->ol_flags = 0;
			m->pkt_len -= 50;
			break;
		case 10:
			m->ol_flags = 0;
			rte_pktmbuf_free(m->next);
			m->next = NULL;
			m->nb_segs = 1;
			break;
		case 11:
			m->ol_flags = 0;
			m->nb_segs = 2;
			break;
		case 12:
			m->ol_flags = 0;
			m->nb_segs = 1;
			break;
		case 13:
			m->ol_flags = 0;
			m->data_len = 0;
			m->pkt_len = 0;
			break;
		case 14:
			m->ol_flags = 0;
			m->data_len = 13;
			m->pkt_len = 13;
			break;
		case 15:
		case 16:
			m->ol_flags = 0;
			break;
		case 17:
			m->ol_flags = RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_TCP_CKSUM;
			m->l2_len = 127;
			m->l3_len = 200;
			break;
		case 18:
			m->l3_len = 31;
			m->l4_len = 255;
			break;
		default:
			m->ol_flags = RTE_MBUF_F_TX_TUNNEL_VXLAN |
				RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_UDP_CKSUM;
			m->outer_l2_len = 100;
			m->outer_l3_len = 200;
			break;
		}
	}
	cap_track_init(c, 0, nb - nb_bad, NULL, 200);
	sent = rte_eth_tx_burst(port, 0, pkts, nb);
	if (sent != nb) {
		printf("tx_burst took %u of %u frames; dropped ones count as taken\n",
		       sent, nb);
		rte_pktmbuf_free_bulk(pkts + sent, nb - sent);
		goto out;
	}
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	if (c->other != 0) {
		printf("the kernel got %u of the frames that must be dropped:\n",
		       c->other);
		for (k = 0; k < nb_bad; k++)
			printf("  frame %u: %s\n", 100 + k, bad[k].what);
		goto out;
	}
	deadline = deadline_ms(WAIT_MS);
	for (;;) {
		/* a burst of nothing reaps what completed */
		rte_eth_tx_burst(port, 0, NULL, 0);
		if (rte_eth_stats_get(port, &st) != 0)
			goto out;
		if (st.opackets + st.oerrors >= nb || expired(deadline))
			break;
		rte_delay_ms(1);
	}
	if (st.opackets != nb - nb_bad || st.oerrors != nb_bad) {
		printf("opackets %" PRIu64 " oerrors %" PRIu64 ", expected %u and %u\n",
		       st.opackets, st.oerrors, nb - nb_bad, nb_bad);
		goto out;
	}
	if (xs_check(port, 1, xs) != 0) {
		printf("Tx counters count frames that were to be dropped\n");
		goto out;
	}

	if (port_close_all(port, vdev) != 0)
		goto out;
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close: dropped frames leaked\n",
		       rte_mempool_avail_count(mp), avail0);
		goto out;
	}
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
	goto out;
free:
	printf("cannot build frame %u\n", i);
	for (i = 0; i < nb; i++)
		if (pkts[i] != NULL)
			rte_pktmbuf_free(pkts[i]);
out:
	free(c);
	free(xs);
	return ret;
}

/* A frame that came back through the kernel's forwarding path. */
struct fwd_frame {
	uint32_t count;
	uint32_t len;		/* of the frame */
	bool cksum_ok;		/* its L4 checksum, as the kernel left it */
};

/*
 * Frames DPDK sent to FWD_ADDR from source ports sport0..sport0+nb-1 come
 * back forwarded by the kernel: to FWD_MAC from the TAP's MAC, one hop
 * less, with the payload sent.  Collect them into got[] until all are in,
 * then a while longer for duplicates.
 */
static int
fwd_collect(uint16_t port, const struct rte_ether_addr *kmac,
	    struct xs_tally *xs, uint16_t sport0, uint32_t nb,
	    const uint32_t *stream_off, const uint32_t *data_len,
	    struct fwd_frame *got)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t deadline = deadline_ms(WAIT_MS);
	struct l4_frame fr;
	const uint8_t *f;
	uint32_t done = 0, idx;
	bool quiet = false;
	uint16_t n, i;
	int err = 0;

	while (err == 0) {
		n = rte_eth_rx_burst(port, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			xs_rx_count(xs, 0, pkts[i]);
			f = mbuf_linear(pkts[i]);
			if (f == NULL ||
			    l4_parse(f, pkts[i]->pkt_len, &fr) != 0 ||
			    !rte_is_same_ether_addr(&fr.dmac, &fwd_mac) ||
			    (uint16_t)(fr.sport - sport0) >= nb) {
				rte_pktmbuf_free(pkts[i]);
				continue;
			}
			idx = (uint16_t)(fr.sport - sport0);
			if (got[idx].count++ == 0)
				done++;
			got[idx].len = pkts[i]->pkt_len;
			got[idx].cksum_ok = l4_cksum_ok(f, &fr);
			if (!rte_is_same_ether_addr(&fr.smac, kmac) ||
			    fr.ttl != 63 ||
			    memcmp(fr.src, fr.ipv6 ? host6 : host4,
				   fr.ipv6 ? 16 : 4) != 0 ||
			    memcmp(fr.dst, fr.ipv6 ? fwd6 : fwd4,
				   fr.ipv6 ? 16 : 4) != 0) {
				printf("frame %u came back with TTL %u (63 expected) or with other addresses\n",
				       idx, fr.ttl);
				err = -1;
			} else if (fr.data_len != data_len[idx] ||
				   stream_check(f + fr.data_off, fr.data_len,
						stream_off[idx]) != 0) {
				printf("frame %u: %u payload bytes, %u sent, or not those sent\n",
				       idx, fr.data_len, data_len[idx]);
				err = -1;
			} else if (got[idx].count > 1) {
				printf("frame %u forwarded twice\n", idx);
				err = -1;
			}
			rte_pktmbuf_free(pkts[i]);
		}
		if (batch_over(done == nb, &quiet, &deadline, QUIET_MS))
			break;
		if (n == 0)
			rte_delay_ms(1);
	}
	if (err == 0 && done != nb) {
		printf("%u of %u frames came back through the kernel\n", done,
		       nb);
		for (idx = 0; idx < nb; idx++)
			if (got[idx].count == 0)
				printf("missing: frame %u\n", idx);
		err = -1;
	}
	return err;
}

/*
 * Tx checksum offload, IPv4 and IPv6, UDP and TCP, in one segment and as
 * a chain: frames carrying only the pseudo-header checksum, sent with
 * RTE_MBUF_F_TX_*_CKSUM, are forwarded by the kernel, which completes the
 * checksum from the csum_start and csum_offset the driver gave it; back
 * on the DPDK side that checksum must be right.  The same frames sent
 * without the request come back with their checksum still wrong, which
 * shows that the check would catch a driver that did not ask the kernel.
 */
static int
test_rtap_tx_cksum(void)
{
	const uint64_t need = RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	const uint16_t sport0 = 40000;
	const uint32_t nb = 12;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	uint32_t stream_off[12], data_len[12], flen;
	struct fwd_frame got[12];
	struct rte_mbuf *pkts[12];
	struct rte_ether_addr kmac;
	struct rte_mempool *mp;
	struct xs_tally *xs;
	struct l4_frame fr;
	unsigned int i, shape, avail0 = 0;
	uint16_t port, hdr, seg[3];
	int sock, ret = TEST_FAILED;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	xs = calloc(1, sizeof(*xs));
	mp = pool_create(NB_MBUF);
	if (xs == NULL || mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	if (tx_offload_port_start("ck", need, mp, vdev, &port, ifname, &sock,
				  &kmac) != 0)
		goto out;

	/*
	 * Per IP version and protocol: offload in one segment, offload in a
	 * chain (headers alone in the first segment), and no offload.
	 */
	memset(pkts, 0, sizeof(pkts));
	for (i = 0; i < nb; i++) {
		shape = i % 3;
		fwd_frame_init(&fr, &kmac, i / 6 != 0,
			       (i / 3) % 2 != 0 ? IPPROTO_TCP : IPPROTO_UDP);
		fr.sport = sport0 + i;
		fr.dport = 7000;
		fr.seq = 1000 * i;
		fr.stream_off = 10007 * i;
		fr.ol_flags = (fr.ipv6 ? RTE_MBUF_F_TX_IPV6 :
			       RTE_MBUF_F_TX_IPV4) |
			(fr.proto == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_CKSUM :
			 RTE_MBUF_F_TX_UDP_CKSUM);
		stream_off[i] = fr.stream_off;
		data_len[i] = 300 + 97 * i;
		flen = l4_build(frame_buf, &fr, data_len[i]);
		hdr = (uint16_t)(flen - data_len[i]);
		if (shape == 1) {
			seg[0] = hdr;
			seg[1] = 100;
			seg[2] = (uint16_t)(flen - hdr - 100);
			pkts[i] = mbuf_build(mp, frame_buf, seg, 3,
					     RTE_PKTMBUF_HEADROOM);
		} else {
			seg[0] = (uint16_t)flen;
			pkts[i] = mbuf_build(mp, frame_buf, seg, 1,
					     RTE_PKTMBUF_HEADROOM);
		}
		if (pkts[i] == NULL) {
			printf("cannot build frame %u\n", i);
			for (i = 0; i < nb; i++)
				rte_pktmbuf_free(pkts[i]);
			goto out;
		}
		if (shape != 2)
			pkts[i]->ol_flags = fr.ol_flags;
		pkts[i]->l2_len = RTE_ETHER_HDR_LEN;
		pkts[i]->l3_len = fr.ipv6 ? 40 : 20;
		pkts[i]->l4_len = hdr - pkts[i]->l2_len - pkts[i]->l3_len;
		xs_tx_count(xs, 0, pkts[i]);
	}
	if (tx_all(port, 0, pkts, nb) != 0)
		goto out;
	memset(got, 0, sizeof(got));
	if (fwd_collect(port, &kmac, xs, sport0, nb, stream_off, data_len,
			got) != 0)
		goto out;
	for (i = 0; i < nb; i++) {
		if (got[i].cksum_ok != (i % 3 != 2)) {
			printf("IPv%u %s frame %u (%s): checksum %s after the kernel\n",
			       i / 6 != 0 ? 6 : 4,
			       (i / 3) % 2 != 0 ? "TCP" : "UDP", i,
			       i % 3 == 0 ? "offload" : i % 3 == 1 ?
			       "offload, chain" : "no offload",
			       got[i].cksum_ok ? "right" : "wrong");
			goto out;
		}
	}
	if (xs_check(port, 1, xs) != 0)
		goto out;

	if (port_close_all(port, vdev) != 0 || pool_check(mp, avail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(xs);
	return ret;
}

/*
 * TSO: a 64000 byte TCP payload with tso_segsz 1400, over IPv4 and IPv6,
 * in a chain of large mbufs, one of them shared with the application.
 * The kernel, forwarding the super-packet out of a TAP that offers no
 * segmentation, cuts it into 46 segments from what the virtio-net header
 * says (gso_size, hdr_len, csum_start) and from the pseudo-header
 * checksum the driver completed with the length: each segment must come
 * back no larger than the MTU, at its sequence number, with its share of
 * the payload and a right TCP checksum.  The shared mbuf is untouched.
 */
static int
test_rtap_tso(void)
{
	const uint64_t need = RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	const uint32_t payload = 64000, mss = 1400;
	const uint32_t nb_seg = (payload + mss - 1) / mss;
	const uint16_t sport0 = 41000;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mbuf *pkts[3], *m, *held = NULL;
	struct rte_mempool *mp, *bigmp;
	struct rte_ether_addr kmac;
	struct rte_mbuf *rx[BURST];
	struct xs_tally *xs;
	struct l4_frame fr;
	uint8_t *seen = NULL;
	uint64_t deadline;
	uint32_t flen, off, k, done = 0, held_len = 0, avail0, bigavail0;
	uint16_t port, seg[5], n, i;
	uint8_t held_hdr[128];
	const uint8_t *f;
	int sock, ret = TEST_FAILED, err = 0;
	bool quiet = false;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	xs = calloc(1, sizeof(*xs));
	seen = calloc(RTE_DIM(pkts), nb_seg);
	mp = pool_create(NB_MBUF);
	bigmp = pool_create_sized(32, 16384 + RTE_PKTMBUF_HEADROOM);
	if (xs == NULL || seen == NULL || mp == NULL || bigmp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	bigavail0 = rte_mempool_avail_count(bigmp);
	if (tx_offload_port_start("tso", need, mp, vdev, &port, ifname, &sock,
				  &kmac) != 0)
		goto out;

	memset(pkts, 0, sizeof(pkts));
	for (k = 0; k < RTE_DIM(pkts); k++) {
		fwd_frame_init(&fr, &kmac, k == 1, IPPROTO_TCP);
		fr.sport = sport0 + k;
		fr.dport = 7001;
		fr.seq = 0x10000000 * k + 1;
		fr.stream_off = 100003 * k;
		fr.ol_flags = RTE_MBUF_F_TX_TCP_SEG | (fr.ipv6 ?
			RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4);
		flen = l4_build(big_buf, &fr, payload);
		/* all headers and some payload first, then 16 KiB pieces */
		seg[0] = (uint16_t)(flen - payload + 1000);
		seg[1] = seg[2] = seg[3] = 16384;
		seg[4] = (uint16_t)(flen - seg[0] - 3 * 16384);
		m = mbuf_build(bigmp, big_buf, seg, 5, RTE_PKTMBUF_HEADROOM);
		if (m == NULL) {
			printf("cannot build super-packet %u\n", k);
			for (k = 0; k < RTE_DIM(pkts); k++)
				rte_pktmbuf_free(pkts[k]);
			goto out;
		}
		m->ol_flags = fr.ol_flags;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = fr.ipv6 ? 40 : 20;
		m->l4_len = sizeof(struct rte_tcp_hdr);
		m->tso_segsz = mss;
		xs_tx_count(xs, 0, m);
		pkts[k] = m;
	}
	/* The last one the application keeps a reference to, every segment */
	held = pkts[2];
	rte_pktmbuf_refcnt_update(held, 1);
	headroom_fill(held, 0xa5);
	held_len = RTE_MIN((uint32_t)sizeof(held_hdr),
			   (uint32_t)held->data_len);
	memcpy(held_hdr, rte_pktmbuf_mtod(held, uint8_t *), held_len);
	if (tx_all(port, 0, pkts, RTE_DIM(pkts)) != 0)
		goto out;

	deadline = deadline_ms(WAIT_MS);
	while (err == 0) {
		n = rte_eth_rx_burst(port, 0, rx, BURST);
		for (i = 0; i < n; i++) {
			xs_rx_count(xs, 0, rx[i]);
			f = mbuf_linear(rx[i]);
			if (err != 0 || f == NULL ||
			    l4_parse(f, rx[i]->pkt_len, &fr) != 0 ||
			    fr.proto != IPPROTO_TCP ||
			    (uint16_t)(fr.sport - sport0) >= RTE_DIM(pkts)) {
				rte_pktmbuf_free(rx[i]);
				continue;
			}
			k = (uint16_t)(fr.sport - sport0);
			off = fr.seq - (0x10000000 * k + 1);
			if (off % mss != 0 || off / mss >= nb_seg) {
				printf("super-packet %u: segment at offset %u\n",
				       k, off);
				err = -1;
			} else if (seen[k * nb_seg + off / mss]++ != 0) {
				printf("super-packet %u: segment at offset %u twice\n",
				       k, off);
				err = -1;
			} else if (rx[i]->pkt_len > RTE_ETHER_MAX_LEN -
				   RTE_ETHER_CRC_LEN ||
				   fr.data_len != RTE_MIN(mss, payload - off) ||
				   stream_check(f + fr.data_off, fr.data_len,
						100003 * k + off) != 0) {
				printf("super-packet %u: segment at offset %u: %u bytes, %u of payload\n",
				       k, off, rx[i]->pkt_len, fr.data_len);
				err = -1;
			} else if (!l4_cksum_ok(f, &fr) || fr.ttl != 63 ||
				   (!fr.ipv6 &&
				    ipv4_cksum(f + fr.l3_off) != 0)) {
				printf("super-packet %u: segment at offset %u: bad checksum or TTL %u\n",
				       k, off, fr.ttl);
				err = -1;
			} else {
				done++;
			}
			rte_pktmbuf_free(rx[i]);
		}
		if (batch_over(done == RTE_DIM(pkts) * nb_seg, &quiet, &deadline,
			       QUIET_MS))
			break;
		if (n == 0)
			rte_delay_ms(1);
	}
	if (err != 0)
		goto out;
	if (done != RTE_DIM(pkts) * nb_seg) {
		printf("%u of %u segments came back through the kernel\n", done,
		       (uint32_t)RTE_DIM(pkts) * nb_seg);
		for (k = 0; k < RTE_DIM(pkts) * nb_seg; k++)
			if (seen[k] == 0)
				printf("missing: super-packet %u offset %u\n",
				       k / nb_seg, (k % nb_seg) * mss);
		goto out;
	}
	if (memcmp(rte_pktmbuf_mtod(held, uint8_t *), held_hdr,
		   held_len) != 0 ||
	    headroom_check(held, 0xa5, "shared super-packet") != 0) {
		printf("tx changed the headers of a super-packet it shares with the application\n");
		goto out;
	}
	rte_pktmbuf_free(held);
	held = NULL;
	if (xs_check(port, 1, xs) != 0)
		goto out;

	if (port_close_all(port, vdev) != 0 ||
	    pools_check(mp, avail0, bigmp, bigavail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ctx_free_pool(bigmp);
	ret = TEST_SUCCESS;
out:
	rte_pktmbuf_free(held);
	free(seen);
	free(xs);
	return ret;
}

/* EAL log output, captured in memory around a probe that fails. */
struct log_capture {
	FILE *prev;
	FILE *f;
	char *buf;
	size_t len;
};

static int
log_capture_start(struct log_capture *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->f = open_memstream(&lc->buf, &lc->len);
	if (lc->f == NULL) {
		printf("open_memstream: %s\n", strerror(errno));
		return -1;
	}
	lc->prev = rte_log_get_stream();
	rte_openlog_stream(lc->f);
	return 0;
}

/*
 * Log to where it went before; what was captured is then in lc->buf,
 * shown, and has to be freed.
 */
static void
log_capture_stop(struct log_capture *lc)
{
	rte_openlog_stream(lc->prev);
	fclose(lc->f);
	printf("log of the probe: %s", lc->buf != NULL ? lc->buf : "\n");
}

/* Did the probe log a line that names what? */
static int
log_names(const struct log_capture *lc, const char *what)
{
	if (lc->buf == NULL || strstr(lc->buf, what) == NULL) {
		printf("the log of the failed probe does not name %s\n", what);
		return -1;
	}
	return 0;
}

/*
 * Deny system call nr with EPERM to the calling thread and the threads it
 * starts, as a container's seccomp profile does; the filter goes with the
 * thread. 0, or -errno if the kernel refuses the filter.
 */
static int
seccomp_deny(long nr)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = RTE_DIM(insns),
		.filter = insns,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
		return -errno;
	return 0;
}

/* A probe from a thread that may not use io_uring, or /dev/net/tun. */
struct unavail {
	const char *vdev;
	const char *args;
	int ret;		/* of rte_vdev_init */
	char skip[128];		/* why it could not be tried */
};

static uint32_t
uringless_probe(void *arg)
{
	struct unavail *u = arg;
	int rc = seccomp_deny(__NR_io_uring_setup);

	if (rc != 0) {
		snprintf(u->skip, sizeof(u->skip),
			 "cannot install a seccomp filter: %s", strerror(-rc));
		return 0;
	}
	u->ret = rte_vdev_init(u->vdev, u->args);
	return 0;
}

static uint32_t
tunless_probe(void *arg)
{
	struct unavail *tl = arg;

	/*
	 * Mounts of its own, private, and an empty tmpfs over /dev/net:
	 * nothing outside this thread sees the change, which goes with it.
	 */
	if (unshare(CLONE_NEWNS | CLONE_FS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("none", "/dev/net", "tmpfs", 0, "size=16k") != 0) {
		snprintf(tl->skip, sizeof(tl->skip),
			 "cannot hide /dev/net/tun in a mount namespace: %s",
			 strerror(errno));
		return 0;
	}
	if (access("/dev/net/tun", F_OK) == 0) {
		snprintf(tl->skip, sizeof(tl->skip),
			 "/dev/net/tun still there under a tmpfs");
		return 0;
	}
	tl->ret = rte_vdev_init(tl->vdev, tl->args);
	return 0;
}

/*
 * Probe vdev with args from a thread running fn, which takes something the
 * driver needs away from itself only (what, for the message): io_uring
 * (a seccomp filter, as in a container) or /dev/net/tun (the tun module
 * not loaded, a container without the device). 1 if that could not be
 * arranged.
 */
static int
init_without(rte_thread_func fn, const char *what, const char *vdev,
	     const char *args, int *ret)
{
	struct unavail u;

	memset(&u, 0, sizeof(u));
	u.vdev = vdev;
	u.args = args;
	if (ctx_thread(fn, &u) != 0)
		return 1;
	ctx_join();
	if (u.skip[0] != '\0') {
		printf("%s, %s case skipped\n", u.skip, what);
		return 1;
	}
	*ret = u.ret;
	return 0;
}

static int
init_without_io_uring(const char *vdev, const char *args, int *ret)
{
	return init_without(uringless_probe, "io_uring", vdev, args, ret);
}

static int
init_without_tun(const char *vdev, const char *args, int *ret)
{
	return init_without(tunless_probe, "/dev/net/tun", vdev, args, ret);
}

/*
 * A probe by init, where something the driver needs is missing, must
 * fail, leave nothing (probe_failed_check) and log a line that names
 * what is missing (word).  1 if init could not arrange the case.
 */
static int
probe_missing(const char *tag, const char *what, const char *word,
	      int (*init)(const char *vdev, const char *args, int *ret))
{
	char ifname[IF_NAMESIZE], args[64];
	struct probe_before b;
	struct log_capture lc;
	int ret = 0, rc;

	make_ifname(ifname, tag);
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	probe_before_take(&b);
	if (log_capture_start(&lc) != 0)
		return -1;
	rc = init(b.vdev, args, &ret);
	log_capture_stop(&lc);
	if (rc == 0)
		rc = probe_failed_check(&b, ret, args, what, ifname, NULL);
	if (rc == 0)
		rc = log_names(&lc, word);
	free(lc.buf);
	return rc;
}

/*
 * Where the kernel lacks what the driver needs, probe fails, leaves
 * nothing behind (no port, interface or open file) and logs why, naming
 * what is missing: io_uring blocked by a seccomp filter, and no
 * /dev/net/tun, each for the probing thread only.  A case that cannot be
 * set up here says why and is skipped; the test is skipped if neither
 * could.
 */
static int
test_rtap_probe_unavailable(void)
{
	int uring, tun;

	uring = probe_missing("iu", "io_uring blocked by seccomp",
			      "io_uring_setup is not permitted",
			      init_without_io_uring);
	TEST_ASSERT(uring >= 0, "probe without io_uring not handled");
	tun = probe_missing("tn", "no /dev/net/tun", "/dev/net/tun",
			    init_without_tun);
	TEST_ASSERT(tun >= 0, "probe without /dev/net/tun not handled");
	return uring > 0 && tun > 0 ? TEST_SKIPPED : TEST_SUCCESS;
}

/* The fast part: probe, devargs and the basic data path, a few seconds. */
static struct unit_test_suite rtap_pmd_testsuite = {
	.suite_name = "net_rtap PMD fast test suite",
	.setup = test_rtap_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_probe_remove),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_default_name),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mac),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_bad_devargs),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_probe_unavailable),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_queue_count),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_start_stop),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_stop_drops),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_rx),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx_clone_pool),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mtu),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_rename),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_xstats),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx_bad_offload),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx_cksum),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tso),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap(void)
{
	return unit_test_suite_runner(&rtap_pmd_testsuite);
}

REGISTER_FAST_TEST(rtap_pmd_autotest, NOHUGE_OK, ASAN_OK, test_pmd_rtap);
