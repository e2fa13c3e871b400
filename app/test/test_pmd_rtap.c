/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * net_rtap against real TAP interfaces, seen from both sides: frames from AF_PACKET come out of
 * rx_burst unchanged, frames to tx_burst are captured unchanged, the kernel's view of the
 * interface follows ethdev, and files and mbufs are counted.  Tx offloads come back through a
 * hairpin bridge, completed or cut by the kernel since the TAP offers it no offload.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_log.h>
#include <rte_string_fns.h>
#include <rte_tcp.h>

#include "test.h"
#include "test_pmd_rtap.h"

#define HR			RTE_PKTMBUF_HEADROOM
#define MULTI_SEGS		RTE_ETH_TX_OFFLOAD_MULTI_SEGS
#define SCATTER			RTE_ETH_RX_OFFLOAD_SCATTER
#define DATAROOM		RTE_MBUF_DEFAULT_DATAROOM

/* Large, and one test runs at a time */
static struct rx_track rxt;
static struct cap_track capt;

/* After set_mtu want (if set), the kernel's MTU of tp is want, and (if port) get_mtu's too. */
static int
mtu_is(uint16_t want, bool set, bool port)
{
	uint16_t mtu = 0;
	int kmtu = 0;

	if (set && rte_eth_dev_set_mtu(tp.port, want) != 0)
		return rt_err("set_mtu %u refused", want);
	if (kern_mtu(tp.ifname, &kmtu) != 0 || kmtu != want ||
	    (port && (rte_eth_dev_get_mtu(tp.port, &mtu) != 0 || mtu != want)))
		return rt_err("kernel MTU %d, get_mtu %u (if asked), expected %u", kmtu, mtu, want);
	return 0;
}

/* Probe and dev_info; removal through the vdev bus takes all away. */
static int
test_rtap_probe_remove(void)
{
	struct rte_eth_dev_info info = { 0 };
	struct rte_ether_addr kmac;
	unsigned int ifindex;
	uint16_t p;

	TEST_ASSERT_SUCCESS(tp_probe("p"), "probe failed");
	ctx_close_sock(tp.sock);
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT(rte_eth_dev_is_valid_port(tp.port) && ifindex != 0 &&
		    rte_eth_dev_info_get(tp.port, &info) == 0 && info.if_index == ifindex,
		    "port %u: if_index %u, kernel ifindex of %s %u", tp.port, info.if_index,
		    tp.ifname, ifindex);
	TEST_ASSERT(info.max_rx_queues == RTAP_MAX_QUEUES &&
		    info.max_tx_queues == RTAP_MAX_QUEUES && info.min_mtu == RTAP_MIN_MTU &&
		    info.max_mtu == RTAP_MAX_MTU && (info.rx_offload_capa & SCATTER) &&
		    (info.tx_offload_capa & MULTI_SEGS),
		    "queues %u/%u, MTU %u..%u, capa rx 0x%" PRIx64 " tx 0x%" PRIx64 "; expected "
		    "128, 68..9216, SCATTER, MULTI_SEGS", info.max_rx_queues, info.max_tx_queues,
		    info.min_mtu, info.max_mtu, info.rx_offload_capa, info.tx_offload_capa);
	/* Without mac= the port reports whatever address the kernel chose */
	TEST_ASSERT(kern_mac(tp.ifname, &kmac) == 0 &&
		    mac_check(tp.port, tp.ifname, &kmac, "; kernel's ") == 0, "not the kernel's");
	TEST_ASSERT_SUCCESS(wait_flags(tp.ifname, IFF_UP, false, 0), "up before start");
	TEST_ASSERT_SUCCESS(rte_vdev_uninit(tp.vdev), "rte_vdev_uninit failed");
	ctx_forget_vdev(tp.vdev);
	TEST_ASSERT(rte_eth_dev_get_port_by_name(tp.vdev, &p) != 0 &&
		    !rte_eth_dev_is_valid_port(tp.port), "port %u there after remove", tp.port);
	return if_gone_check(tp.ifname) | fds_check(tp.fds0);
}

/* Without iface= the kernel names the interfaces rtap%d, each its own. */
static int
test_rtap_default_name(void)
{
	char vdev[2][RTE_DEV_NAME_MAX_LEN], name[2][IF_NAMESIZE];
	struct rte_eth_dev_info info = { 0 };
	int i, fds0 = count_fds();
	uint16_t port[2];

	for (i = 0; i < 2; i++)
		TEST_ASSERT(rtap_probe(RTAP_DRV, NULL, vdev[i], &port[i], name[i]) == 0 &&
			    is_default_name(name[i]) && rte_eth_dev_info_get(port[i], &info) == 0 &&
			    if_nametoindex(name[i]) == info.if_index, "probe %d: interface %s "
			    "(expected rtap<N>), if_index %u", i, name[i], info.if_index);
	TEST_ASSERT(strcmp(name[0], name[1]) != 0, "two ports share interface %s", name[0]);
	for (i = 0; i < 2; i++)
		TEST_ASSERT(port_close(port[i], vdev[i]) == 0 && if_gone_check(name[i]) == 0,
			    "close of %s not clean", vdev[i]);
	return fds_check(fds0);
}

/* mac= is what the kernel shows and what the port reports; so is a MAC set later. */
static int
test_rtap_mac(void)
{
	static const struct rte_ether_addr want = { { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	struct rte_ether_addr set = { { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa } };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[96];
	uint16_t port;

	make_ifname(ifname, "m");
	snprintf(args, sizeof(args), "iface=%s,mac=" RTE_ETHER_ADDR_PRT_FMT, ifname,
		 RTE_ETHER_ADDR_BYTES(&want));
	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL), "probe %s failed", args);
	TEST_ASSERT_SUCCESS(mac_check(port, ifname, &want, ", devarg "), "not the devarg's MAC");
	TEST_ASSERT(rte_eth_dev_default_mac_addr_set(port, &set) == 0 &&
		    mac_check(port, ifname, &set, " after set to ") == 0, "MAC set failed");
	TEST_ASSERT(port_close(port, vdev) == 0 && if_gone_check(ifname) == 0, "close not clean");
	return TEST_SUCCESS;
}

/* Devargs that are not the driver's, malformed or repeated are refused. */
static int
test_rtap_bad_devargs(void)
{
	static const char * const bad[] = {	/* "-" first: without iface=<name> before */
		"foo=bar", "-foo", "-iface=", "-iface=abcdefghijklmnop", "mac=",
		"mac=02:00:00:00:00", "mac=02:00:00:00:00:0g", "mac=02:00:00:00:00:00:01",
		"mac=0200.0000.0001", "mac=01:00:5e:00:00:01",
		"mac=02:00:00:00:00:01,mac=02:00:00:00:00:02", "persist,persist", "rx_csum=",
		"rx_csum", "rx_csum=fullx", "rx_csum=full,rx_csum=full", "iface=",
	};
	char ifname[IF_NAMESIZE], ifname2[IF_NAMESIZE], args[128];
	const char *a;
	unsigned int i;

	make_ifname(ifname, "b");
	make_ifname(ifname2, "c");
	ctx_add_ifname(ifname);
	ctx_add_ifname(ifname2);
	for (i = 0; i < RTE_DIM(bad); i++) {
		/* the last: iface=A,iface=B */
		snprintf(args, sizeof(args), "iface=%s,%s%s", ifname, bad[i],
			 i + 1 == RTE_DIM(bad) ? ifname2 : "");
		a = bad[i][0] == '-' ? bad[i] + 1 : args;
		TEST_ASSERT_SUCCESS(bad_probe(a, a == args ? ifname : NULL,
					      i + 1 == RTE_DIM(bad) ? ifname2 : NULL),
				    "bad devargs \"%s\" not refused cleanly", a);
	}
	return TEST_SUCCESS;
}

/* iface= naming a link that is not a TAP is refused; the link stays. */
static int
test_rtap_bad_iface_link(void)
{
	static const char * const kinds[] = { "dummy", "ifb", "bridge" };
	char ifname[IF_NAMESIZE], args[64];
	unsigned int i, idx;
	int ret = -1;

	make_ifname(ifname, "b");
	ctx_add_ifname(ifname);
	for (i = 0; i < RTE_DIM(kinds) && ret != 0; i++)
		ret = kern_add_link(ifname, kinds[i]);
	if (ret != 0) {
		printf("cannot create a non-TAP link (%s), case skipped\n", strerror(-ret));
		return TEST_SKIPPED;
	}
	idx = if_nametoindex(ifname);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	TEST_ASSERT(idx != 0 && bad_probe(args, NULL, NULL) == 0, "%s link %s not found, or probe "
		    "on it not refused cleanly", kinds[i - 1], ifname);
	TEST_ASSERT_EQUAL(if_nametoindex(ifname), idx, "the %s link %s was removed or replaced",
			  kinds[i - 1], ifname);
	TEST_ASSERT_SUCCESS(kern_del_link(idx), "cannot delete %s", ifname);
	return TEST_SUCCESS;
}

/* EAL's log in memory from log_start to log_end, with debug the driver's at debug level */
static struct {
	FILE *f, *prev;
	char *buf;
	size_t len;
	int type, level;
} lg;

static int
log_start(bool debug)
{
	lg.prev = rte_log_get_stream();
	lg.f = open_memstream(&lg.buf, &lg.len);
	if (lg.f == NULL)
		return rt_err("open_memstream: %s", strerror(errno));
	rte_openlog_stream(lg.f);
	lg.type = debug ? rte_log_register("pmd.net.rtap") : -1;
	if (lg.type >= 0) {
		lg.level = rte_log_get_level(lg.type);
		rte_log_set_level(lg.type, RTE_LOG_DEBUG);
	}
	return 0;
}

/* Does what was logged (printed) name word? */
static bool
log_end(const char *word)
{
	bool named;

	if (lg.type >= 0)
		rte_log_set_level(lg.type, lg.level);
	rte_openlog_stream(lg.prev);
	fclose(lg.f);
	printf("log: %s", lg.buf != NULL ? lg.buf : "\n");
	named = lg.buf != NULL && strstr(lg.buf, word) != NULL;
	free(lg.buf);
	return named;
}

/* A probe from a thread that may not use io_uring, or /dev/net/tun. */
struct unavail {
	bool no_tun;
	const char *vdev;
	const char *args;
	int ret;		/* of rte_vdev_init */
	char skip[128];		/* why it could not be tried */
};

/* As a container's seccomp (io_uring_setup: EPERM), or no tun module (a tmpfs on /dev/net). */
static uint32_t
unavail_probe(void *arg)
{
	struct unavail *u = arg;
	int ret = u->no_tun ? 0 : seccomp_deny(__NR_io_uring_setup, EPERM);

	if (ret != 0)
		snprintf(u->skip, sizeof(u->skip), "no seccomp filter: %s", strerror(-ret));
	else if (u->no_tun && (unshare(CLONE_NEWNS | CLONE_FS) != 0 ||
			       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
			       mount("none", "/dev/net", "tmpfs", 0, "size=16k") != 0))
		snprintf(u->skip, sizeof(u->skip), "cannot hide /dev/net/tun: %s", strerror(errno));
	else if (u->no_tun && access("/dev/net/tun", F_OK) == 0)
		strlcpy(u->skip, "/dev/net/tun still there under a tmpfs", sizeof(u->skip));
	else
		u->ret = rte_vdev_init(u->vdev, u->args);
	return 0;
}

/* The probe fails, leaves nothing, and its log names word. */
static int
probe_missing(const char *tag, bool no_tun, const char *word)
{
	char ifname[IF_NAMESIZE], args[64];
	struct probe_before b;
	struct unavail u = { .no_tun = no_tun, .vdev = b.vdev, .args = args };
	bool named;

	make_ifname(ifname, tag);
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	probe_before_take(&b);
	TEST_ASSERT_SUCCESS(log_start(false), "no log capture");
	if (ctx_thread(unavail_probe, &u) == 0)
		ctx_join();
	else
		strlcpy(u.skip, "no thread", sizeof(u.skip));
	named = log_end(word);
	if (u.skip[0] != '\0') {
		printf("%s, case skipped\n", u.skip);
		return TEST_SKIPPED;
	}
	TEST_ASSERT_SUCCESS(probe_failed_check(&b, u.ret, args, ifname, NULL), "not handled");
	TEST_ASSERT(named, "the log of the failed probe does not name \"%s\"", word);
	return TEST_SUCCESS;
}

static int
test_rtap_no_io_uring(void)
{
	return probe_missing("iu", false, "io_uring_setup is not permitted");
}

static int
test_rtap_no_tun(void)
{
	return probe_missing("tn", true, "/dev/net/tun");
}

/* Tx needs an Rx queue, up to 128 of each; 128 small rings (3 pools): 256 flows spread. */
static int
test_rtap_queue_count(void)
{
	static const uint16_t bad[][2] = { { 0, 1 }, { 0, 4 }, { 129, 1 }, { 1, 129 },
					   { 129, 129 } };
	int ret, sock;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct rte_mempool *mp[3];
	unsigned int avail0[3], i;
	uint16_t rxd, txd, q;

	TEST_ASSERT_SUCCESS(tp_probe("q"), "no port");
	sock = rte_eth_dev_socket_id(tp.port);
	for (i = 0; i < RTE_DIM(mp); i++) {
		mp[i] = i == 0 ? tp.mp : pool_create(NB_MBUF);
		TEST_ASSERT_NOT_NULL(mp[i], "no mempool");
		avail0[i] = rte_mempool_avail_count(mp[i]);
	}
	for (i = 0; i < RTE_DIM(bad); i++) {
		ret = rte_eth_dev_configure(tp.port, bad[i][0], bad[i][1], &conf);
		TEST_ASSERT_EQUAL(ret, -EINVAL, "configure %u rx / %u tx queues: %d, not -EINVAL",
				  bad[i][0], bad[i][1], ret);
	}
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.port, &info), "no info");
	rxd = RTE_MAX((uint16_t)16, info.rx_desc_lim.nb_min);
	txd = RTE_MAX((uint16_t)16, info.tx_desc_lim.nb_min);
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(tp.port, RTAP_MAX_QUEUES, RTAP_MAX_QUEUES, &conf),
			    "configure %u queue pairs failed", RTAP_MAX_QUEUES);
	for (q = 0; q < RTAP_MAX_QUEUES; q++)
		TEST_ASSERT(rte_eth_rx_queue_setup(tp.port, q, rxd, sock, NULL, mp[q % 3]) == 0 &&
			    rte_eth_tx_queue_setup(tp.port, q, txd, sock, NULL) == 0,
			    "queue pair %u setup failed", q);
	TEST_ASSERT(rte_eth_dev_start(tp.port) == 0 &&
		    path_ready(tp.port, RTAP_MAX_QUEUES, tp.ifname, tp.sock) == 0, "no start");
	rx_track_init(&rxt, tp.port, 0, 256, NULL, 100, 256);
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 0, 256, NULL, 100, 256), "injection failed");
	TEST_ASSERT_SUCCESS(rx_poll(&rxt, RTAP_MAX_QUEUES, WAIT_MS, QUIET_MS), "not each once");
	q = rx_queues_used(&rxt, RTAP_MAX_QUEUES);
	TEST_ASSERT(q >= 2, "256 flows arrived on %u queue of %u", q, RTAP_MAX_QUEUES);
	TEST_ASSERT_SUCCESS(tp_close(), "close not clean");
	return pools_check(mp[1], avail0[1], mp[2], avail0[2]);
}

/* IFF_UP follows start and stop; link is up after start. */
static int
test_rtap_start_stop(void)
{
	unsigned int round;

	TEST_ASSERT_SUCCESS(tp_probe("s"), "no port");
	TEST_ASSERT_SUCCESS(wait_flags(tp.ifname, IFF_UP, false, 0), "up before start");
	TEST_ASSERT_SUCCESS(port_setup(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD), "no setup");
	for (round = 0; round < 3; round++) {
		TEST_ASSERT(rte_eth_dev_start(tp.port) == 0 &&
			    wait_flags(tp.ifname, IFF_UP, true, WAIT_MS) == 0 &&
			    wait_link(tp.port, tp.ifname, true, WAIT_MS) == 0,
			    "start %u failed, or no IFF_UP or link up after it", round);
		TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
			    wait_flags(tp.ifname, IFF_UP, false, WAIT_MS) == 0,
			    "stop %u failed, or IFF_UP still set after it", round);
	}
	return tp_close();
}

/*
 * Frames the kernel handed to a port that stops before polling them (read into its buffers, or
 * left in the kernel queue, purged uncounted) are dropped by the stop and counted in ierrors.
 */
static int
test_rtap_stop_drops(void)
{
	const unsigned int nb = 300;	/* under the kernel queue's 1000 */
	struct rte_eth_stats st;
	uint64_t ktx;

	/* 64 posted buffers: the rest of the frames wait in the kernel. */
	TEST_ASSERT_SUCCESS(tp_start("sd", 1, 0, 0, 64), "no port");
	TEST_ASSERT(pkt_bypass_qdisc(tp.sock) == 0 && rte_eth_stats_reset(tp.port) == 0,
		    "no qdisc bypass or stats reset");
	ktx = kern_stat(tp.ifname, "tx_packets");
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 0, nb, NULL, 100, 0), "no inject");
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 && rte_eth_stats_get(tp.port, &st) == 0,
		    "stop failed, or no stats");
	/* The kernel counts a frame as sent when the port's fd reads it. */
	ktx = kern_stat(tp.ifname, "tx_packets") - ktx;
	TEST_ASSERT(st.ipackets == 0 && st.imissed == 0 && st.ierrors >= nb && st.ierrors == ktx,
		    "ipackets %" PRIu64 " imissed %" PRIu64 " (expected 0), ierrors %" PRIu64
		    " (expected the %" PRIu64 " the kernel gave of %u)", st.ipackets, st.imissed,
		    st.ierrors, ktx, nb);
	return tp_close();
}

/* Frames arrive unchanged in one mbuf; MTU 9000 needs scatter, then jumbo frames are chains. */
static int
test_rtap_rx(void)
{
	static const uint32_t sizes[] = { 60, 64, 1514, 60, 64, 1514, 1514, 64, 60, 1000, 128, 61 };
	static const uint32_t jumbo[] = {
		JUMBO_FRAME, 60, JUMBO_FRAME, 1514, 4000, JUMBO_FRAME, 64, 2048, 2049 };
	struct rte_eth_conf conf = { .rxmode = { .mtu = JUMBO_MTU } };

	TEST_ASSERT_SUCCESS(tp_start("r", 1, 0, 0, NB_RXD), "no port");
	TEST_ASSERT_SUCCESS(rx_frames(0, RTE_DIM(sizes), sizes, RTE_ETHER_MAX_LEN, 0), "Rx failed");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.port), "stop failed");
	printf("MTU %u without scatter, which must be refused:\n", JUMBO_MTU);
	TEST_ASSERT(port_setup(tp.port, 1, &conf, tp.mp, NB_RXD, NB_TXD) != 0 ||
		    rte_eth_dev_start(tp.port) != 0, "MTU %u without RX_OFFLOAD_SCATTER accepted "
		    "with %u byte mbufs", JUMBO_MTU, DATAROOM);
	rte_eth_dev_stop(tp.port);
	conf.rxmode.mtu = 0;
	conf.rxmode.offloads = SCATTER;
	TEST_ASSERT_SUCCESS(port_setup(tp.port, 1, &conf, tp.mp, 256, NB_TXD), "no scatter setup");
	TEST_ASSERT_SUCCESS(mtu_is(JUMBO_MTU, true, true), "set_mtu %u stopped", JUMBO_MTU);
	TEST_ASSERT(rte_eth_dev_start(tp.port) == 0 && mtu_is(JUMBO_MTU, false, false) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0, "no start, MTU or path");
	TEST_ASSERT_SUCCESS(rx_frames(100, RTE_DIM(jumbo), jumbo, RTE_ETHER_MAX_LEN, DATAROOM),
			    "jumbo Rx failed");
	return tp_close();
}

/* Frames of any shape reach the kernel unchanged; mbufs the test holds stay as they were. */
static int
test_rtap_tx(void)
{
	static const char * const what[2] = { "refcnt 2 mbuf", "direct under indirect" };
	static const struct {
		uint32_t len;
		uint16_t headroom;
		unsigned int nb_seg;
		uint16_t seg[5];
	} shape[] = {
		{ 60, HR, 1, { 60 } }, { 1514, HR, 1, { 1514 } }, { 1000, HR, 2, { 42, 958 } },
		{ 1514, HR, 5, { 14, 300, 1, 700, 499 } }, { 100, 0, 1, { 100 } },
		{ 600, 0, 2, { 300, 300 } }, { 200, HR, 1, { 200 } }, { 300, HR, 1, { 300 } },
		{ 300, HR, 3, { 100, 100, 100 } }, { 64, HR, 1, { 64 } },
	};
	struct rte_mbuf *pkts[RTE_DIM(shape)], *held[2];
	uint32_t len[RTE_DIM(shape)];
	uint16_t off[2];
	unsigned int i;

	TEST_ASSERT_SUCCESS(tp_start("t", 1, 0, MULTI_SEGS, NB_RXD), "no port");
	for (i = 0; i < RTE_DIM(shape); i++) {
		len[i] = shape[i].len;
		pkts[i] = mbuf_frame_segs(tp.mp, i, len[i], shape[i].seg, shape[i].nb_seg,
					  shape[i].headroom);
		TEST_ASSERT_NOT_NULL(pkts[i], "cannot build frame %u", i);
		if (i == 6 || i == 7) {		/* 6 shared, 7 sent through an indirect mbuf */
			held[i - 6] = pkts[i];
			off[i - 6] = pkts[i]->data_off;
			headroom_fill(pkts[i], 0xa5);
		}
	}
	rte_mbuf_refcnt_update(held[0], 1);
	pkts[7] = rte_pktmbuf_alloc(tp.mp);
	TEST_ASSERT_NOT_NULL(pkts[7], "no mbuf to attach");
	rte_pktmbuf_attach(pkts[7], held[1]);
	cap_track_init(&capt, 0, RTE_DIM(shape), len, 0);
	TEST_ASSERT(tx_all(tp.port, 0, pkts, RTE_DIM(shape)) == 0 &&
		    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0, "not each frame sent once");
	for (i = 0; i < 2; i++) {
		TEST_ASSERT_SUCCESS(held_check(held[i], 6 + i, len[6 + i], off[i], what[i]),
				    "%s changed", what[i]);
		rte_pktmbuf_free(held[i]);
	}
	return tp_close();
}

/* 300 frames of all shapes go round the ring, each captured once. */
static int
test_rtap_tx_ring(void)
{
	/* segments and headroom of the frames, in turn */
	static const uint16_t shape[][2] = { { 1, HR }, { 1, 0 }, { 2, HR }, { 5, HR }, { 3, 0 } };
	struct rte_mbuf *pkts[16];
	static uint32_t vlen[300];
	unsigned int i, n, s;

	TEST_ASSERT_SUCCESS(tp_start("tr", 1, 0, MULTI_SEGS, NB_RXD), "no port");
	for (i = 0; i < RTE_DIM(vlen); i++)
		vlen[i] = 60 + (i * 397) % 1455;
	cap_track_init(&capt, 1000, RTE_DIM(vlen), vlen, 0);
	for (i = 0; i < RTE_DIM(vlen); ) {
		for (n = 0; n < RTE_DIM(pkts) && i < RTE_DIM(vlen); n++, i++) {
			s = i % RTE_DIM(shape);
			frame_build(frame_buf, vlen[i], 1000 + i, 0);
			pkts[n] = mbuf_split(tp.mp, frame_buf, vlen[i], shape[s][0], shape[s][1]);
			TEST_ASSERT_NOT_NULL(pkts[n], "cannot build frame %u", 1000 + i);
		}
		TEST_ASSERT_SUCCESS(tx_all(tp.port, 0, pkts, n), "%u.. not taken", 1000 + i - n);
	}
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS), "not each frame once");
	return tp_close();
}

/* A TSO clone in a pool without data room: no header written past it; pool full when reaped. */
static int
test_rtap_tx_clone_pool(void)
{
	static struct pool_gaps gaps;
	struct rte_mbuf *m, *clone;
	struct rte_mempool *ind;
	struct l4_frame fr;
	size_t changed;
	uint16_t seg;
	int ret;

	TEST_ASSERT_SUCCESS(tp_start("cl", 1, 0, RTE_ETH_TX_OFFLOAD_TCP_TSO |
				     RTE_ETH_TX_OFFLOAD_TCP_CKSUM, NB_RXD), "no port");
	ind = pool_create_sized(GAP_OBJS, 0);
	TEST_ASSERT(ind != NULL && pool_gaps_take(&gaps, ind) == 0, "no clone pool or snapshot");
	fwd_frame_init(&fr, false, IPPROTO_TCP);
	fr.ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	seg = (uint16_t)l4_build(big_buf, &fr, 1000);
	m = mbuf_build(tp.mp, big_buf, &seg, 1, HR);
	TEST_ASSERT_NOT_NULL(m, "cannot build a frame");
	clone = rte_pktmbuf_clone(m, ind);
	rte_pktmbuf_free(m);
	TEST_ASSERT_NOT_NULL(clone, "cannot clone a frame");
	clone->ol_flags |= fr.ol_flags;	/* it stays indirect */
	clone->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN, 20, 20, 500, 0, 0, 0);
	ret = tx_all(tp.port, 0, &clone, 1);
	if (ret == 0)
		ret = pool_running_check(tp.port, 1, ind, GAP_OBJS);
	changed = pool_gaps_changed(&gaps);
	TEST_ASSERT_EQUAL(changed, (size_t)0, "%zu bytes written between the clone pool's mbufs",
			  changed);
	TEST_ASSERT_SUCCESS(ret, "the clone not sent, or its pool's mbufs not back");
	return tp_close();
}

/* MTU of configure; set_mtu stopped, in and out of range; started, up to what buffers fit. */
static int
test_rtap_mtu(void)
{
	static const uint16_t bad[] = { 0, RTAP_MIN_MTU - 1, RTAP_MAX_MTU + 1, UINT16_MAX };
	struct rte_eth_conf conf = { .rxmode = { .mtu = 1400 } };
	struct rte_eth_dev_info info;
	uint32_t len[2];
	unsigned int i;
	uint16_t fit;
	int rc;

	TEST_ASSERT_SUCCESS(tp_probe("mtu"), "no port");
	TEST_ASSERT(port_setup(tp.port, 1, &conf, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    mtu_is(1400, false, false) == 0, "no setup, or not the MTU of configure");
	TEST_ASSERT_SUCCESS(port_setup(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD), "no setup");
	for (i = 0; i < RTE_DIM(bad); i++)
		TEST_ASSERT(rte_eth_dev_set_mtu(tp.port, bad[i]) != 0 &&
			    mtu_is(RTE_ETHER_MTU, false, false) == 0, "set_mtu %u taken", bad[i]);
	TEST_ASSERT_SUCCESS(mtu_is(RTAP_MIN_MTU, true, false), "set_mtu %u stopped", RTAP_MIN_MTU);
	/* The queue's pool holds no larger frames, and it has no scatter */
	rc = rte_eth_dev_set_mtu(tp.port, RTAP_MAX_MTU);
	TEST_ASSERT(rc == -EINVAL && mtu_is(RTAP_MIN_MTU, false, false) == 0, "set_mtu %u on a "
		    "stopped port with %u-byte mbufs: %d, expected -EINVAL", RTAP_MAX_MTU, DATAROOM,
		    rc);
	TEST_ASSERT(rte_eth_dev_set_mtu(tp.port, RTE_ETHER_MTU) == 0 &&
		    rte_eth_dev_start(tp.port) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0, "no start at MTU 1500");
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.port, &info), "no info");
	/* The frame overhead the port declares, as ethdev computes it */
	fit = DATAROOM - (info.max_rx_pktlen - info.max_mtu);
	TEST_ASSERT_SUCCESS(mtu_is(fit, true, true), "started, %u byte mbufs: set_mtu %u", DATAROOM,
			    fit);
	len[0] = len[1] = fit + RTE_ETHER_HDR_LEN;
	TEST_ASSERT_SUCCESS(rx_frames(0, 2, len, DATAROOM, 0), "no frames of MTU %u", fit);
	/* One byte more does not fit what is posted, nor jumbo frames without scatter */
	rc = rte_eth_dev_set_mtu(tp.port, fit + 1);
	TEST_ASSERT_EQUAL(rc, -EINVAL, "set_mtu %u started: %d, expected -EINVAL", fit + 1, rc);
	rc = rte_eth_dev_set_mtu(tp.port, JUMBO_MTU);
	TEST_ASSERT_EQUAL(rc, -EINVAL, "set_mtu %u: %d, expected -EINVAL", JUMBO_MTU, rc);
	TEST_ASSERT_SUCCESS(mtu_is(fit, false, true), "MTU changed by a refused set_mtu");
	TEST_ASSERT_SUCCESS(mtu_is(1280, true, false), "set_mtu 1280 on a started port");
	return tp_close();
}

/* Scatter into 128-byte data rooms: chains byte for byte, jumbo after set_mtu when started. */
#define SC_ROOM			128

static int
test_rtap_scatter_small(void)
{
	static const uint32_t len1[] = { 60, SC_ROOM + 1, 1000, RTE_ETHER_MAX_LEN - 4 };
	static const uint32_t len2[] = { 8000 + RTE_ETHER_HDR_LEN, JUMBO_FRAME, 60 };
	struct rte_eth_conf conf = { .rxmode = { .offloads = SCATTER } };

	TEST_ASSERT_SUCCESS(tp_probe("sc"), "no port");
	tp.mp = pool_create_sized(8192, SC_ROOM + RTE_PKTMBUF_HEADROOM);
	TEST_ASSERT_NOT_NULL(tp.mp, "no pool of %u-byte mbufs", SC_ROOM);
	tp.avail0 = rte_mempool_avail_count(tp.mp);
	TEST_ASSERT(port_start(tp.port, 1, &conf, tp.mp, 64, NB_TXD) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0, "no start or path");
	TEST_ASSERT_SUCCESS(rx_frames(0, RTE_DIM(len1), len1, SC_ROOM, SC_ROOM), "MTU 1500 Rx");
	TEST_ASSERT_SUCCESS(mtu_is(JUMBO_MTU, true, false), "set_mtu %u when started", JUMBO_MTU);
	TEST_ASSERT_SUCCESS(rx_frames(100, RTE_DIM(len2), len2, SC_ROOM, SC_ROOM), "jumbo Rx");
	return tp_close();
}

/* Start, traffic, MTU, link and promiscuous mode reach an interface renamed by the kernel. */
static int
test_rtap_rename(void)
{
	static const char * const tag[3] = { "ra", "rb", "rc" };
	char name[3][IF_NAMESIZE];
	struct rte_eth_dev_info info;
	unsigned int ifindex, flags, i;

	TEST_ASSERT_SUCCESS(tp_probe(tag[0]), "no port");
	for (i = 0; i < RTE_DIM(name); i++) {
		make_ifname(name[i], tag[i]);
		ctx_add_ifname(name[i]);
	}
	ifindex = if_nametoindex(name[0]);
	TEST_ASSERT_SUCCESS(rename_check(ifindex, name[0], name[1]), "rename failed");
	strlcpy(tp.ifname, name[1], sizeof(tp.ifname));
	/* The packet socket is bound by index: it follows the renames */
	TEST_ASSERT(port_start(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    path_ready(tp.port, 1, name[1], tp.sock) == 0, "no start or path via it");
	TEST_ASSERT_SUCCESS(mtu_is(1400, true, false), "set_mtu after the rename");
	TEST_ASSERT(rte_eth_dev_set_link_down(tp.port) == 0 &&
		    wait_flags(name[1], IFF_UP, false, WAIT_MS) == 0, "set_link_down not seen");
	/* Again, while started */
	TEST_ASSERT_SUCCESS(rename_check(ifindex, name[1], name[2]), "rename failed");
	strlcpy(tp.ifname, name[2], sizeof(tp.ifname));
	TEST_ASSERT(rte_eth_dev_set_link_up(tp.port) == 0 &&
		    wait_link(tp.port, name[2], true, WAIT_MS) == 0, "set_link_up not seen");
	TEST_ASSERT_SUCCESS(mtu_is(1300, true, false), "set_mtu after the second rename");
	TEST_ASSERT(rte_eth_promiscuous_enable(tp.port) == 0 && kern_flags(name[2], &flags) == 0 &&
		    (flags & IFF_PROMISC), "promiscuous_enable did not reach %s", name[2]);
	TEST_ASSERT(rte_eth_dev_info_get(tp.port, &info) == 0 && info.if_index == ifindex,
		    "if_index %u after renames, was %u", info.if_index, ifindex);
	TEST_ASSERT_SUCCESS(path_ready(tp.port, 1, name[2], tp.sock), "no path via %s", name[2]);
	cap_track_init(&capt, 0, 16, NULL, 300);
	TEST_ASSERT(tx_frames(tp.port, 0, tp.mp, 0, 16, NULL, 300) == 0 &&
		    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0, "not each frame sent once");
	TEST_ASSERT(rte_eth_dev_set_link_down(tp.port) == 0 &&
		    wait_flags(name[2], IFF_UP, false, WAIT_MS) == 0, "set_link_down not seen");
	return tp_close();
}

/* Sizes at both edges of each size bucket, and destinations of each kind */
static const uint32_t xs_sizes[] = {
	60, 64, 65, 127, 128, 255, 256, 511, 512, 1023, 1024, 1518, 1519, JUMBO_FRAME };
static const struct rte_ether_addr xs_cast[3] = {	/* unicast, multicast, broadcast */
	{ { 0x02, 0x72, 0x74, 0x61, 0x70, 0x09 } }, { { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x09 } },
	{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } } };
#define XSF_RX			(7 * 16)
#define XSF_TX			(RTE_DIM(xs_sizes) * 3)

/* Two queue pairs taking jumbo frames; after reset every xstat (names, order, ids) is 0. */
static int
xs_start(const char *tag)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = SCATTER }, .txmode = { .offloads = MULTI_SEGS } };

	TEST_ASSERT_SUCCESS(tp_probe(tag), "no port");
	TEST_ASSERT(port_setup(tp.port, 2, &conf, tp.mp, 128, 256) == 0 &&
		    mtu_is(JUMBO_MTU, true, false) == 0 && rte_eth_dev_start(tp.port) == 0 &&
		    path_ready(tp.port, 2, tp.ifname, tp.sock) == 0,
		    "no start of 2 queue pairs with MTU %u, or no path", JUMBO_MTU);
	TEST_ASSERT(rte_eth_xstats_reset(tp.port) == 0 && xs_check(tp.port, 2, &tp.xs) == 0,
		    "xstats not zero after reset");
	return TEST_SUCCESS;
}

/* The counts of the traffic tp.xs tallied; after reset all 0 again; close. */
static int
xs_end(void)
{
	TEST_ASSERT_SUCCESS(xs_check(tp.port, 2, &tp.xs), "xstats do not match the traffic");
	memset(&tp.xs, 0, sizeof(tp.xs));
	TEST_ASSERT(rte_eth_xstats_reset(tp.port) == 0 && xs_check(tp.port, 2, &tp.xs) == 0,
		    "xstats not zero after reset");
	return tp_close();
}

/* Rx: 16 frames of each size bucket, each bucket its kind of destination, as UDP flows. */
static int
test_rtap_xstats_rx(void)
{
	static uint32_t len[XSF_RX];
	static struct rte_ether_addr dst[XSF_RX];
	uint32_t i;

	TEST_ASSERT_SUCCESS(xs_start("xr"), "no port");
	for (i = 0; i < XSF_RX; i++) {
		len[i] = xs_sizes[(i / 16) * 2 + i % 2];
		dst[i] = xs_cast[(i / 16) % 3];
		frame_build(frame_buf, len[i], i, 16);
		rte_ether_addr_copy(&dst[i], (struct rte_ether_addr *)frame_buf);
		TEST_ASSERT_SUCCESS(pkt_send(tp.sock, frame_buf, len[i]), "no inject of %u", i);
	}
	rx_track_init(&rxt, tp.port, 0, XSF_RX, len, 0, 16);
	rxt.dst = dst;
	rxt.tally = &tp.xs;
	TEST_ASSERT_SUCCESS(rx_poll(&rxt, 2, WAIT_MS, QUIET_MS), "frames not each once unchanged");
	printf("%u frames received on %u queues (%u + %u)\n", rxt.got, rx_queues_used(&rxt, 2),
	       rxt.per_queue[0], rxt.per_queue[1]);
	return xs_end();
}

/* Tx: every size on each queue, with each kind of destination, jumbo and some others chained. */
static int
test_rtap_xstats_tx(void)
{
	static uint32_t len[XSF_TX * 2];
	static struct rte_ether_addr dst[XSF_TX * 2];
	struct rte_mbuf *pkts[XSF_TX];
	uint32_t i, k;
	uint16_t q;

	TEST_ASSERT_SUCCESS(xs_start("xt"), "no port");
	for (q = 0; q < 2; q++) {
		for (i = 0; i < XSF_TX; i++) {
			k = q * XSF_TX + i;
			len[k] = xs_sizes[(i + q * 5) % RTE_DIM(xs_sizes)];
			dst[k] = xs_cast[(i + q) % 3];
			frame_build(frame_buf, len[k], 1000 + k, 0);
			rte_ether_addr_copy(&dst[k], (struct rte_ether_addr *)frame_buf);
			pkts[i] = mbuf_chunks(tp.mp, frame_buf, len[k],
					      len[k] > RTE_MBUF_DEFAULT_DATAROOM ||
					      i % (q + 2) == 0 ? 1000 : UINT16_MAX);
			TEST_ASSERT_NOT_NULL(pkts[i], "cannot build frame %u", k);
			xs_tx_count(&tp.xs, q, pkts[i]);
		}
		TEST_ASSERT_SUCCESS(tx_all(tp.port, q, pkts, XSF_TX), "no tx on queue %u", q);
	}
	cap_track_init(&capt, 1000, 2 * XSF_TX, len, 0);
	capt.dst = dst;
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS), "not each frame once");
	return xs_end();
}

/*
 * Frames tx_burst must drop: len bytes (300 if 0) in segments of at most chunk (all if 0),
 * headers of l2, l3, l4 bytes (14, 20, 20 if 0) cut in tso_segsz 100 (0 with mss0); then data_len
 * and pkt_len moved by data_adj and pkt_adj, nb_segs set if not 0.
 */
#define V4			RTE_MBUF_F_TX_IPV4
#define TSO4			(RTE_MBUF_F_TX_TCP_SEG | V4)
#define VXLAN4			(RTE_MBUF_F_TX_TUNNEL_VXLAN | RTE_MBUF_F_TX_OUTER_IPV4)

static const struct bad_tx {
	const char *what;
	uint64_t ol;		/* ol_flags */
	uint16_t len, chunk, l2, l3, l4, ol2, ol3, nb_segs;
	int16_t data_adj, pkt_adj;
	bool mss0;
} bad_tx[] = {
	{ "TSO, tso_segsz 0", TSO4, .mss0 = true },
	{ "TSO, headers beyond the packet", TSO4, .l3 = 300 },
	{ "TSO, 8 byte TCP header", TSO4, .l4 = 8 },
	{ "TSO without IPv4 or IPv6", RTE_MBUF_F_TX_TCP_SEG },
	{ "TSO of a tunnel", TSO4 | VXLAN4, .ol2 = RTE_ETHER_HDR_LEN, .ol3 = 20 },
	{ "UDP checksum, headers beyond the packet", V4 | RTE_MBUF_F_TX_UDP_CKSUM, .l3 = 300 },
	{ "SCTP checksum", V4 | RTE_MBUF_F_TX_SCTP_CKSUM },
	{ "nb_segs 3 for 2 segments", .chunk = 150, .nb_segs = 3 },
	{ "data_len sum < pkt_len", .chunk = 150, .pkt_adj = 50 },
	{ "data_len sum > pkt_len", .chunk = 150, .pkt_adj = -50 },
	{ "one segment, data_len < pkt_len", .len = 150, .pkt_adj = 150 },
	{ "nb_segs 2 for 3 segments", .chunk = 100, .nb_segs = 2 },
	{ "nb_segs 1 for 2 segments", .chunk = 150, .nb_segs = 1 },
	{ "zero-length frame", .data_adj = -300, .pkt_adj = -300 },
	{ "13-byte frame, no Ethernet header", .len = 13 },
	{ "chain of 33 segments", .len = 330, .chunk = 10 },
	{ "9300 bytes without TSO, over max MTU", .len = 9300, .chunk = 1000 },
	{ "TCP checksum, l2/l3 beyond the packet", V4 | RTE_MBUF_F_TX_TCP_CKSUM, .l2 = 127,
	  .l3 = 200 },
	{ "TSO, all headers", TSO4, .l3 = 31, .l4 = 255 },
	{ "tunnel UDP checksum, outer headers beyond the packet", VXLAN4 | V4 |
	  RTE_MBUF_F_TX_UDP_CKSUM, .ol2 = 100, .ol3 = 200 },
};

/* Frame 100 + k, made into bad_tx[k]; NULL if there are no mbufs. */
static struct rte_mbuf *
bad_tx_mbuf(unsigned int k)
{
	const struct bad_tx *b = &bad_tx[k];
	uint16_t len = b->len != 0 ? b->len : 300;
	struct rte_mbuf *m;

	frame_build(frame_buf, len, 100 + k, 0);
	m = mbuf_chunks(tp.mp, frame_buf, len, b->chunk != 0 ? b->chunk : len);
	if (m == NULL)
		return NULL;
	m->ol_flags = b->ol;
	m->tx_offload = rte_mbuf_tx_offload(b->l2 != 0 ? b->l2 : RTE_ETHER_HDR_LEN,
					    b->l3 != 0 ? b->l3 : 20, b->l4 != 0 ? b->l4 : 20,
					    b->mss0 ? 0 : 100, b->ol3, b->ol2, 0);
	m->data_len += b->data_adj;
	m->pkt_len += b->pkt_adj;
	if (b->nb_segs != 0)
		m->nb_segs = b->nb_segs;
	return m;
}

/* What the kernel cannot take is dropped, freed, counted in oerrors only; good frames go. */
static int
test_rtap_tx_bad_offload(void)
{
	const uint32_t nb_bad = RTE_DIM(bad_tx), nb = 2 * RTE_DIM(bad_tx) + 1;
	struct rte_mbuf *pkts[2 * RTE_DIM(bad_tx) + 1];
	uint64_t deadline = deadline_ms(WAIT_MS);
	struct rte_eth_stats st;
	unsigned int i;
	uint16_t sent;

	TEST_ASSERT_SUCCESS(tp_start("bad", 1, 0, MULTI_SEGS | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
				     RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO,
				     NB_RXD), "no port");
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 && rte_eth_xstats_reset(tp.port) == 0,
		    "no stats reset");
	/* Good frames (seq 0..nb_bad) and bad ones (seq 100..) alternate in one burst */
	for (i = 0; i < nb; i++) {
		pkts[i] = i % 2 ? bad_tx_mbuf(i / 2) : mbuf_frame(tp.mp, i / 2, 200);
		TEST_ASSERT_NOT_NULL(pkts[i], "cannot build frame %u", i);
		if (i % 2 == 0)
			xs_tx_count(&tp.xs, 0, pkts[i]);
	}
	cap_track_init(&capt, 0, nb - nb_bad, NULL, 200);
	sent = rte_eth_tx_burst(tp.port, 0, pkts, nb);
	TEST_ASSERT_EQUAL(sent, nb, "tx_burst took %u of %u (drops count as taken)", sent, nb);
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS), "not each good one once");
	for (i = 0; i < nb_bad && capt.other != 0; i++)
		printf("  frame %u: %s\n", 100 + i, bad_tx[i].what);
	TEST_ASSERT_EQUAL(capt.other, 0, "the kernel got %u frames to drop (above)", capt.other);
	for (;;) {
		/* a burst of nothing reaps what completed */
		rte_eth_tx_burst(tp.port, 0, NULL, 0);
		TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "no stats");
		if (st.opackets + st.oerrors >= nb || expired(deadline))
			break;
		rte_delay_ms(1);
	}
	TEST_ASSERT(st.opackets == nb - nb_bad && st.oerrors == nb_bad,
		    "opackets %" PRIu64 " oerrors %" PRIu64 ", expected %u and %u", st.opackets,
		    st.oerrors, nb - nb_bad, nb_bad);
	TEST_ASSERT_SUCCESS(xs_check(tp.port, 1, &tp.xs), "Tx xstats count frames to drop");
	return tp_close();
}

/*
 * Checksum frame i: IPv4 (i < 6) or 6, UDP or TCP (i / 3 odd); offload in one segment, in a chain,
 * or none (i % 3).  As sent, pseudo-header checksum only, or back: an offload's completed.
 */
#define CK_NB			12
#define CK_SPORT		40000

static uint32_t
ck_frame(uint32_t i, uint8_t *buf, bool sent)
{
	struct l4_frame fr;

	fwd_frame_init(&fr, i / 6 != 0, (i / 3) % 2 ? IPPROTO_TCP : IPPROTO_UDP);
	fr.sport = CK_SPORT + i;
	fr.dport = 7000;
	fr.seq = 1000 * i;
	fr.stream_off = 10007 * i;
	fr.ol_flags = (fr.ipv6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
		(fr.proto == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_CKSUM : RTE_MBUF_F_TX_UDP_CKSUM);
	fr.phdr = sent || i % 3 == 2;
	return l4_build(buf, &fr, 300 + 97 * i);
}

static int
ck_key(const struct l4_frame *fr)
{
	return fr->sport >= CK_SPORT && fr->sport < CK_SPORT + 100 ? fr->sport - CK_SPORT : -1;
}

/* The kernel completes the checksums the driver asked for (csum_start, csum_offset), only those. */
static int
test_rtap_tx_cksum(void)
{
	struct rte_mbuf *pkts[CK_NB];
	struct l4_frame fr;
	uint16_t hdr, seg[3];
	uint32_t i, flen;
	int ret;

	ret = hairpin_start("ck", RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
	if (ret != TEST_SUCCESS)
		return ret;
	for (i = 0; i < CK_NB; i++) {
		flen = ck_frame(i, frame_buf, true);
		TEST_ASSERT(l4_parse(frame_buf, flen, &fr) == 0 && !l4_cksum_ok(frame_buf, &fr),
			    "frame %u bad, or with its checksum already", i);
		hdr = (uint16_t)fr.data_off;
		seg[0] = i % 3 == 1 ? hdr : (uint16_t)flen;
		seg[1] = 100;
		seg[2] = (uint16_t)(flen - hdr - 100);
		pkts[i] = mbuf_build(tp.mp, frame_buf, seg, i % 3 == 1 ? 3 : 1, HR);
		TEST_ASSERT_NOT_NULL(pkts[i], "cannot build frame %u", i);
		pkts[i]->ol_flags = i % 3 == 2 ? 0 : (fr.ipv6 ? RTE_MBUF_F_TX_IPV6 :
			RTE_MBUF_F_TX_IPV4) | (fr.proto == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_CKSUM :
					      RTE_MBUF_F_TX_UDP_CKSUM);
		pkts[i]->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN, fr.l4_off - fr.l3_off,
							  fr.data_off - fr.l4_off, 0, 0, 0, 0);
		xs_tx_count(&tp.xs, 0, pkts[i]);
	}
	TEST_ASSERT(tx_all(tp.port, 0, pkts, CK_NB) == 0 &&
		    hairpin_collect(CK_NB, ck_key, ck_frame) == 0, "frames not back as expected");
	TEST_ASSERT(xs_check(tp.port, 1, &tp.xs) == 0 && port_close_all(tp.port, tp.vdev) == 0,
		    "xstats not right, or close failed");
	return pool_check(tp.mp, tp.avail0);
}

/* TSO: 64000 bytes of TCP payload, tso_segsz 1400, over IPv4, IPv6 and IPv4. */
#define TSO_PAYLOAD		64000
#define TSO_MSS			1400
#define TSO_NB_SEG		((TSO_PAYLOAD + TSO_MSS - 1) / TSO_MSS)
#define TSO_SPORT		41000

/* Super-packet idx / TSO_NB_SEG as sent, or segment idx as a TCP stack sends it. */
static uint32_t
tso_frame(uint32_t idx, uint8_t *buf, bool sent)
{
	uint32_t k = idx / TSO_NB_SEG, off = (idx % TSO_NB_SEG) * TSO_MSS, len;
	struct l4_frame fr;

	fwd_frame_init(&fr, k == 1, IPPROTO_TCP);
	fr.sport = TSO_SPORT + k;
	fr.dport = 7001;
	fr.seq = 0x10000000 * k + 1 + off;
	fr.stream_off = 100003 * k + off;
	fr.ol_flags = RTE_MBUF_F_TX_TCP_SEG | (fr.ipv6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4);
	fr.phdr = sent;
	if (sent)
		return l4_build(buf, &fr, TSO_PAYLOAD);
	/* Only the last segment pushes; IPv4 ids count up from the super-packet's */
	len = RTE_MIN((uint32_t)TSO_MSS, TSO_PAYLOAD - off);
	if (off + len < TSO_PAYLOAD)
		fr.tcp_flags = RTE_TCP_ACK_FLAG;
	len = l4_build(buf, &fr, len);
	if (!fr.ipv6)
		ipv4_id_set(buf, fr.sport + off / TSO_MSS);
	return len;
}

static int
tso_key(const struct l4_frame *fr)
{
	uint32_t k = (uint16_t)(fr->sport - TSO_SPORT);
	uint32_t off = fr->seq - (0x10000000 * k + 1);

	if (k >= 3)
		return -1;
	/* A segment of the test's flows at no offset a segment should have */
	if (off % TSO_MSS != 0 || off / TSO_MSS >= TSO_NB_SEG)
		return 3 * TSO_NB_SEG;
	return k * TSO_NB_SEG + off / TSO_MSS;
}

/* The kernel cuts super-packets as the virtio-net header says; one the test shares is untouched. */
static int
test_rtap_tso(void)
{
	struct rte_mbuf *pkts[3], *m;
	struct rte_mempool *bigmp;
	uint32_t flen, k, bigavail0;
	uint8_t held_hdr[128];
	uint16_t seg[5];
	int ret;

	ret = hairpin_start("tso", RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
	if (ret != TEST_SUCCESS)
		return ret;
	bigmp = pool_create_sized(32, 16384 + HR);
	TEST_ASSERT_NOT_NULL(bigmp, "no mempool");
	bigavail0 = rte_mempool_avail_count(bigmp);
	for (k = 0; k < RTE_DIM(pkts); k++) {
		flen = tso_frame(k * TSO_NB_SEG, big_buf, true);
		/* all headers and some payload first, then 16 KiB pieces */
		seg[0] = (uint16_t)(flen - TSO_PAYLOAD + 1000);
		seg[1] = seg[2] = seg[3] = 16384;
		seg[4] = (uint16_t)(flen - seg[0] - 3 * 16384);
		m = mbuf_build(bigmp, big_buf, seg, 5, HR);
		TEST_ASSERT_NOT_NULL(m, "cannot build super-packet %u", k);
		/* IPv4 TSO asks for the header checksum too, as DPDK's TSO has it */
		m->ol_flags = RTE_MBUF_F_TX_TCP_SEG | (k == 1 ? RTE_MBUF_F_TX_IPV6 :
			RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM);
		m->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN, k == 1 ? 40 : 20, 20,
						    TSO_MSS, 0, 0, 0);
		xs_tx_count(&tp.xs, 0, m);
		pkts[k] = m;
	}
	rte_pktmbuf_refcnt_update(m, 1);
	headroom_fill(m, 0xa5);
	memcpy(held_hdr, rte_pktmbuf_mtod(m, uint8_t *), sizeof(held_hdr));
	/* without RTE_ETH_TX_OFFLOAD_IPV4_CKSUM: the port's TSO covers it */
	ret = rte_eth_tx_prepare(tp.port, 0, pkts, RTE_DIM(pkts));
	TEST_ASSERT_EQUAL(ret, (int)RTE_DIM(pkts), "tx_prepare took %d of %zu super-packets: %s",
			  ret, RTE_DIM(pkts), rte_strerror(rte_errno));
	TEST_ASSERT(tx_all(tp.port, 0, pkts, RTE_DIM(pkts)) == 0 &&
		    hairpin_collect(RTE_DIM(pkts) * TSO_NB_SEG, tso_key, tso_frame) == 0,
		    "segments not back as expected");
	TEST_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), held_hdr, sizeof(held_hdr)) == 0 &&
		    headroom_check(m, 0xa5, "shared super-packet") == 0,
		    "tx changed a super-packet it shares with the application");
	rte_pktmbuf_free(m);
	TEST_ASSERT(xs_check(tp.port, 1, &tp.xs) == 0 && port_close_all(tp.port, tp.vdev) == 0,
		    "xstats not right, or close failed");
	return pools_check(tp.mp, tp.avail0, bigmp, bigavail0);
}

/*
 * Rx checksum offload is per protocol.  Once either is asked for, the kernel hands over partial
 * checksums of both: a frame of the protocol the port did not ask for must arrive complete and
 * marked GOOD, one of the other as the kernel left it, marked NONE.
 */
#define RC_PORT			7100
#define RC_UDP			1u
#define RC_TCP			2u

static int
rc_check(struct rte_mbuf *m, uint64_t rx_ol, bool full, unsigned int *seen)
{
	uint64_t cs = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	const uint8_t *f = mbuf_linear(m);
	struct l4_frame fr;
	bool tcp, asked, ok;

	if (f == NULL || l4_parse(f, m->pkt_len, &fr) != 0 || fr.dport != RC_PORT)
		return 0;
	tcp = fr.proto == IPPROTO_TCP;
	asked = (rx_ol & (tcp ? RTE_ETH_RX_OFFLOAD_TCP_CKSUM : RTE_ETH_RX_OFFLOAD_UDP_CKSUM)) != 0;
	ok = l4_cksum_ok(f, &fr);
	*seen |= tcp ? RC_TCP : RC_UDP;
	/* rx_csum=full: complete, the kernel's (no flag) or the driver's (GOOD) */
	if (full)
		return ok && cs != RTE_MBUF_F_RX_L4_CKSUM_NONE ? 0 :
			rt_err("%s frame with rx_csum=full: flags 0x%" PRIx64 ", checksum %s; "
			       "expected a right one, not NONE", tcp ? "TCP" : "UDP", cs,
			       ok ? "right" : "partial");
	if (asked ? cs != RTE_MBUF_F_RX_L4_CKSUM_NONE : cs != RTE_MBUF_F_RX_L4_CKSUM_GOOD || !ok)
		return rt_err("%s frame, %s offload asked: flags 0x%" PRIx64 ", checksum %s; "
			      "expected %s", tcp ? "TCP" : "UDP", asked ? "its" : "the other's", cs,
			      ok ? "right" : "partial", asked ? "NONE" : "GOOD and right");
	return 0;
}

static int
rc_round(const char *tag, uint64_t rx_ol, bool full)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(RC_PORT) };
	struct rte_eth_conf conf = { .rxmode = { .offloads = rx_ol } };
	uint64_t deadline = deadline_ms(WAIT_MS);
	struct rte_mbuf *pkts[BURST];
	unsigned int seen = 0;
	int ufd, tfd, ret, err = 0;
	uint16_t n, i;

	probe_more = full ? "rx_csum=full" : NULL;
	ret = ns_port_start(tag, &conf, tp.mp, NB_RXD, false, tp.vdev, &tp.port, tp.ifname, &tp.sock);
	probe_more = NULL;
	TEST_ASSERT(ret == 0 && offload_capa_check(tp.port, true, rx_ol) == 0,
		    "no port with Rx offloads 0x%" PRIx64 ", or not offered", rx_ol);
	ufd = kern_socket(SOCK_DGRAM);
	tfd = kern_socket(SOCK_STREAM);
	TEST_ASSERT(ufd >= 0 && tfd >= 0, "no kernel sockets");
	memcpy(&sa.sin_addr, host4, sizeof(host4));
	TEST_ASSERT_EQUAL(sendto(ufd, "rtap", 4, 0, (struct sockaddr *)&sa, sizeof(sa)), 4,
			  "kernel UDP send: %s", strerror(errno));
	TEST_ASSERT(connect(tfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno == EINPROGRESS,
		    "kernel TCP connect: %s", strerror(errno));
	while (seen != (RC_UDP | RC_TCP) && err == 0) {
		TEST_ASSERT(!expired(deadline), "from the kernel: datagram %s, SYN %s",
			    seen & RC_UDP ? "in" : "missing", seen & RC_TCP ? "in" : "missing");
		n = rte_eth_rx_burst(tp.port, 0, pkts, BURST);
		for (i = 0; i < n; i++)
			err |= rc_check(pkts[i], rx_ol, full, &seen);
		rte_pktmbuf_free_bulk(pkts, n);
		if (n == 0)
			rte_delay_ms(1);
	}
	TEST_ASSERT_SUCCESS(err, "checksum offload 0x%" PRIx64 " not per protocol", rx_ol);
	return port_close_all(tp.port, tp.vdev);
}

static int
test_rtap_rx_cksum(void)
{
	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	tp.mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(tp.mp, "no mempool");
	tp.avail0 = rte_mempool_avail_count(tp.mp);
	TEST_ASSERT(rc_round("rcu", RTE_ETH_RX_OFFLOAD_UDP_CKSUM, false) == 0 &&
		    rc_round("rct", RTE_ETH_RX_OFFLOAD_TCP_CKSUM, false) == 0, "UDP only, or TCP only");
	/* For applications that do not finish partial sums (OVS 3.1). */
	TEST_ASSERT_SUCCESS(rc_round("rcf", RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
				     RTE_ETH_RX_OFFLOAD_TCP_CKSUM, true),
			    "rx_csum=full handed over partial checksums");
	return pool_check(tp.mp, tp.avail0);
}

#define SF_NB			8
#define SF_SEQ			5000

/* Writes of a burst whose submit failed go with the next burst, even an empty one. */
static int
test_rtap_tx_submit_fail(void)
{
	struct rte_mbuf *pkts[SF_NB];
	unsigned int i;
	int sent;

	TEST_ASSERT_SUCCESS(tp_start("sf", 1, 0, 0, NB_RXD), "no port");
	for (i = 0; i < SF_NB; i++) {
		pkts[i] = mbuf_frame(tp.mp, SF_SEQ + i, 200);
		TEST_ASSERT_NOT_NULL(pkts[i], "no mbuf for frame %u", i);
	}
	sent = enterless_run(EL_TX, pkts, SF_NB);
	if (sent == EL_NOFILTER) {
		rte_pktmbuf_free_bulk(pkts, SF_NB);
		return TEST_SKIPPED;
	}
	rte_pktmbuf_free_bulk(&pkts[sent], SF_NB - sent);
	TEST_ASSERT_EQUAL(sent, SF_NB, "tx_burst took %d of %d frames", sent, SF_NB);
	cap_track_init(&capt, SF_SEQ, SF_NB, NULL, 200);
	tx_reap(tp.port, 1);
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS), "frames not sent once");
	return tp_close();
}

/* While on, the process has no free file descriptor (RLIMIT_NOFILE 0); then as before. */
static int
no_fds(bool on)
{
	static struct rlimit saved;
	struct rlimit none;

	if (on && getrlimit(RLIMIT_NOFILE, &saved) != 0)
		return rt_err("getrlimit: %s", strerror(errno));
	none = saved;
	none.rlim_cur = 0;
	if (setrlimit(RLIMIT_NOFILE, on ? &none : &saved) != 0)
		return rt_err("setrlimit: %s", strerror(errno));
	return 0;
}

/* io_uring_setup fails with EMFILE without a free fd: Tx queue setup must say so. */
static int
test_rtap_txq_errno(void)
{
	int ret;

	TEST_ASSERT_SUCCESS(tp_probe("te"), "no port");
	TEST_ASSERT_SUCCESS(port_setup(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD), "no setup");
	TEST_ASSERT_SUCCESS(no_fds(true), "cannot take the fds away");
	ret = rte_eth_tx_queue_setup(tp.port, 0, NB_TXD, SOCKET_ID_ANY, NULL);
	TEST_ASSERT_SUCCESS(no_fds(false), "cannot give the fds back");
	TEST_ASSERT_EQUAL(ret, -EMFILE, "Tx queue setup without a free fd: %d (%s), not -EMFILE",
			  ret, rte_strerror(-ret));
	return tp_close();
}

/* A configure that fails (no fd for the new kernel queues) leaves all as it was. */
static int
test_rtap_configure_undo(void)
{
	struct rte_eth_conf conf = { .rxmode = { .mtu = 1400,
		.offloads = RTE_ETH_RX_OFFLOAD_TCP_CKSUM } }, def = { 0 };
	int fds, ret;

	TEST_ASSERT_SUCCESS(tp_probe("cu"), "no port");
	/* No queues set up: ethdev releases them when a configure fails */
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(tp.port, 1, 1, &def), "no configure");
	fds = count_fds();
	TEST_ASSERT_SUCCESS(no_fds(true), "cannot take the fds away");
	ret = rte_eth_dev_configure(tp.port, 4, 4, &conf);
	TEST_ASSERT_SUCCESS(no_fds(false), "cannot give the fds back");
	TEST_ASSERT(ret < 0, "configure of 4 queue pairs without a free fd succeeded");
	TEST_ASSERT(mtu_is(RTE_ETHER_MTU, false, false) == 0 && fds_check(fds) == 0, "not undone");
	TEST_ASSERT(port_start(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0,
		    "no start, or no path, after the failed configure");
	return tp_close();
}

/* Started again with intr_conf.lsc off, the port delivers no link event any more. */
static int
test_rtap_lsc_off(void)
{
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1 } };
	unsigned int ifindex;
	uint32_t since;

	TEST_ASSERT_SUCCESS(tp_probe("lo"), "no port");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT(port_start(tp.port, 1, &conf, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    lsc_register(tp.port) == 0 && wait_link(tp.port, tp.ifname, true, WAIT_MS) == 0,
		    "no start, LSC callback or link up");
	TEST_ASSERT_SUCCESS(lsc_kern_link(tp.port, tp.ifname, ifindex, false), "no event with lsc");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.port), "stop failed");
	conf.intr_conf.lsc = 0;
	TEST_ASSERT(port_start(tp.port, 1, &conf, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    wait_link(tp.port, tp.ifname, true, WAIT_MS) == 0, "no restart, or no link");
	rte_delay_ms(QUIET_MS);
	since = lsc_calls();
	TEST_ASSERT(kern_set_flags(ifindex, 0, IFF_UP) == 0 &&
		    wait_flags(tp.ifname, IFF_UP, false, WAIT_MS) == 0,
		    "cannot take %s down", tp.ifname);
	rte_delay_ms(3 * QUIET_MS);
	TEST_ASSERT_EQUAL(lsc_calls(), since, "%u LSC callbacks with intr_conf.lsc off",
			  lsc_calls() - since);
	TEST_ASSERT_SUCCESS(lsc_unregister(tp.port), "cannot unregister");
	return tp_close();
}

#define CASE(f)			TEST_CASE_ST(ctx_setup, ctx_teardown, f)

/* The fast part: probe, devargs and the basic data path, a few seconds. */
static struct unit_test_suite rtap_pmd_testsuite = {
	.suite_name = "net_rtap PMD fast test suite",
	.setup = test_rtap_suite_setup,
	.unit_test_cases = {
		CASE(test_rtap_probe_remove), CASE(test_rtap_default_name), CASE(test_rtap_mac),
		CASE(test_rtap_bad_devargs), CASE(test_rtap_bad_iface_link),
		CASE(test_rtap_no_io_uring), CASE(test_rtap_no_tun), CASE(test_rtap_queue_count),
		CASE(test_rtap_start_stop), CASE(test_rtap_stop_drops), CASE(test_rtap_rx),
		CASE(test_rtap_tx), CASE(test_rtap_tx_ring), CASE(test_rtap_tx_clone_pool),
		CASE(test_rtap_mtu), CASE(test_rtap_scatter_small),
		CASE(test_rtap_rename), CASE(test_rtap_xstats_rx), CASE(test_rtap_xstats_tx),
		CASE(test_rtap_tx_bad_offload), CASE(test_rtap_tx_cksum), CASE(test_rtap_tso),
		CASE(test_rtap_rx_cksum), CASE(test_rtap_tx_submit_fail), CASE(test_rtap_txq_errno),
		CASE(test_rtap_configure_undo), CASE(test_rtap_lsc_off),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap(void)
{
	return unit_test_suite_runner(&rtap_pmd_testsuite);
}

REGISTER_FAST_TEST(rtap_pmd_autotest, NOHUGE_OK, ASAN_OK, test_pmd_rtap);

/*
 * The Rx path again with a read per descriptor, as on kernels without multishot reads (< 6.7) or
 * buffer rings (< 5.19): the io_uring probe and buffer ring registration fail in the thread that
 * sets up every queue.  The filter stays with it: run this suite in a dpdk-test of its own.
 */
#define RD_ERRNO		SECCOMP_NO_MSHOT_ERRNO

static int
test_rtap_read_setup(void)
{
	int ret = test_rtap_suite_setup();

	if (ret != TEST_SUCCESS)
		return ret;
	ret = seccomp_no_mshot();
	if (ret != 0) {
		printf("no seccomp filter (%s): the per-read Rx path untested\n", strerror(-ret));
		return TEST_SKIPPED;
	}
	/* A probe of fd -1 fails with EBADF unless the filter answers first */
	TEST_ASSERT(syscall(__NR_io_uring_register, -1, IORING_REGISTER_PROBE, NULL, 0) < 0 &&
		    errno == RD_ERRNO, "the io_uring probe is not filtered: %s", strerror(errno));
	return TEST_SUCCESS;
}

/* The driver says which Rx path a started queue takes (at debug level). */
static int
test_rtap_read_path(void)
{
	TEST_ASSERT_SUCCESS(tp_probe("rp"), "no port");
	TEST_ASSERT_SUCCESS(log_start(true), "no log capture");
	port_start(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD);
	TEST_ASSERT(log_end("a read each"), "the queue does not post a read per descriptor");
	TEST_ASSERT_SUCCESS(path_ready(tp.port, 1, tp.ifname, tp.sock), "no path");
	return tp_close();
}

static struct unit_test_suite rtap_read_testsuite = {
	.suite_name = "net_rtap PMD Rx data path with a read per descriptor",
	.setup = test_rtap_read_setup,
	.unit_test_cases = {
		CASE(test_rtap_read_path), CASE(test_rtap_queue_count), CASE(test_rtap_start_stop),
		CASE(test_rtap_stop_drops), CASE(test_rtap_rx), CASE(test_rtap_mtu),
		CASE(test_rtap_scatter_small), CASE(test_rtap_xstats_rx), CASE(test_rtap_rx_cksum),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap_read(void)
{
	return unit_test_suite_runner(&rtap_read_testsuite);
}

REGISTER_FAST_TEST(rtap_pmd_read_autotest, NOHUGE_OK, ASAN_OK, test_pmd_rtap_read);
