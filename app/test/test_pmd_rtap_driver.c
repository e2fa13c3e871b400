/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/* The heavier net_rtap tests (interrupts, link, faults, queues, reconfiguration). */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/filter.h>
#include <linux/if_tun.h>
#include <linux/seccomp.h>
#include <linux/tcp.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_interrupts.h>
#include <rte_ip.h>
#include <rte_string_fns.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "test.h"
#include "test_pmd_rtap.h"

/* The trackers of the running case, too big for its stack */
static struct rx_track rxt;
static struct cap_track capt;
/* A port whose LSC callback drv_teardown unregisters, or -1 */
static int lsc_port = -1;

static int
lsc_off(void)
{
	int ret = lsc_unregister(lsc_port);

	lsc_port = -1;
	return ret;
}

static void
drv_teardown(void)
{
	if (lsc_port >= 0)
		lsc_off();
	ctx_teardown();
}

/* The case's pool of nb_mbuf mbufs; its free mbufs and the open files counted. */
static int
drv_pool(unsigned int nb_mbuf)
{
	tp.mp = pool_create(nb_mbuf);
	TEST_ASSERT_NOT_NULL(tp.mp, "no mempool of %u mbufs", nb_mbuf);
	tp.avail0 = rte_mempool_avail_count(tp.mp);
	tp.fds0 = count_fds();
	return TEST_SUCCESS;
}

/* tp on its own pool, started and its path proven; with intr_conf.lsc LSC calls are counted. */
static int
drv_port(const char *tag, uint16_t nb_q, const struct rte_eth_conf *conf,
	 unsigned int nb_mbuf, uint16_t nb_desc)
{
	TEST_ASSERT(drv_pool(nb_mbuf) == 0 &&
		    probe_start(tag, nb_q, conf, tp.mp, nb_desc, nb_desc, tp.vdev, &tp.port,
				tp.ifname, &tp.sock) == 0, "no port %s", tag);
	if (conf != NULL && conf->intr_conf.lsc) {
		TEST_ASSERT_SUCCESS(lsc_register(tp.port), "cannot register an LSC callback");
		lsc_port = tp.port;
	}
	return TEST_SUCCESS;
}

/* Wait until *a + *b (fields of *st) reach want, Tx reaped; *st keeps the last reading. */
static int
stats_reach(uint16_t nb_q, struct rte_eth_stats *st, const uint64_t *a, const uint64_t *b,
	    uint64_t want)
{
	uint64_t deadline = deadline_ms(WAIT_MS);

	for (;;) {
		tx_reap(tp.port, nb_q);
		TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, st), "stats_get failed");
		if (*a + (b != NULL ? *b : 0) >= want || expired(deadline))
			return TEST_SUCCESS;
		rte_delay_ms(1);
	}
}

/* The figure what is want: 0, or -1 with both printed. */
static int
eq(const char *what, uint64_t got, uint64_t want)
{
	return got == want ? 0 : rt_err("%s %" PRIu64 ", expected %" PRIu64, what, got, want);
}

/* stats_reset and xstats_reset: then the per-queue counters of nb_rx and nb_tx queues are 0. */
static int
counters_reset(uint16_t nb_rx, uint16_t nb_tx)
{
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 && rte_eth_xstats_reset(tp.port) == 0 &&
		    queue_counters_check(tp.port, "rx", nb_rx, NULL) == 0 &&
		    queue_counters_check(tp.port, "tx", nb_tx, NULL) == 0, "queue counters not 0");
	return TEST_SUCCESS;
}

/* With persist close keeps the interface (it stays, not merely slow to go); else deletes it. */
static int
persist_case(bool persist)
{
	unsigned int ifindex;
	uint64_t deadline;
	char args[64];

	TEST_ASSERT_SUCCESS(drv_pool(NB_MBUF), "no mempool");
	make_ifname(tp.ifname, persist ? "k" : "q");
	ctx_add_ifname(tp.ifname);
	snprintf(args, sizeof(args), "iface=%s%s", tp.ifname, persist ? ",persist" : "");
	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, tp.vdev, &tp.port, NULL), "probe %s", args);
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT(ifindex != 0 && port_start(tp.port, 2, NULL, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    port_close(tp.port, tp.vdev) == 0 && fds_check(tp.fds0) == 0 &&
		    pool_check(tp.mp, tp.avail0) == 0, "%s: no interface, start or close failed, "
		    "or files or mbufs left", args);
	for (deadline = deadline_ms(300); persist && !expired(deadline); rte_delay_ms(10))
		TEST_ASSERT_EQUAL(if_nametoindex(tp.ifname), ifindex, "persistent %s (%u) gone",
				  tp.ifname, ifindex);
	TEST_ASSERT((!persist || kern_del_link(ifindex) == 0) &&
		    wait_if_gone(tp.ifname, WAIT_MS) == 0, "%s still there after %s", tp.ifname,
		    persist ? "RTM_DELLINK" : "close");
	return TEST_SUCCESS;
}

static int
test_rtap_persist(void)
{
	return persist_case(true);
}

static int
test_rtap_no_persist(void)
{
	return persist_case(false);
}

/* 50 ports probed, configured or started, closed or uninit: each interface goes, no leak. */
static int
test_rtap_probe_loop(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], tag[8];
	uint16_t port;
	unsigned int i;

	TEST_ASSERT_SUCCESS(drv_pool(NB_MBUF), "no mempool");
	for (i = 0; i < 50; i++) {
		snprintf(tag, sizeof(tag), "n%u", i);
		TEST_ASSERT(probe_iface(tag, vdev, &port, ifname) == 0 &&
			    (i % 4 != 1 || port_setup(port, 2, NULL, tp.mp, 64, 64) == 0) &&
			    (i % 4 < 2 || (port_start(port, 1 + i % 3, NULL, tp.mp, 64, 64) == 0 &&
					   rte_eth_dev_stop(port) == 0)),
			    "probe, setup or start and stop of port %u failed", i);
		/* every fifth removed through the bus instead of ethdev close */
		TEST_ASSERT((i % 5 == 4 ? rte_vdev_uninit(vdev) : port_close(port, vdev)) == 0 &&
			    wait_if_gone(ifname, WAIT_MS) == 0, "removal of %s failed, or %s stays",
			    vdev, ifname);
		ctx_forget_vdev(vdev);
		ctx_forget_ifname(ifname);
	}
	TEST_ASSERT(fds_check(tp.fds0) == 0 && pool_check(tp.mp, tp.avail0) == 0,
		    "files or mbufs left by 50 ports");
	return TEST_SUCCESS;
}

/* Queues of ifname the kernel has attached: its tx-<N> entries in sysfs; -1 if none. */
static int
kern_queues(const char *ifname)
{
	char path[128];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", ifname);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, "tx-", 3) == 0;
	closedir(d);
	return n;
}

/* 32 frames of 200 bytes (base..) on each of nb_tx Tx queues, captured once byte for byte. */
static int
tx_queues_send(uint16_t nb_tx, uint32_t base)
{
	uint16_t q;

	cap_track_init(&capt, base, 32u * nb_tx, NULL, 200);
	for (q = 0; q < nb_tx; q++)
		TEST_ASSERT_SUCCESS(tx_frames(tp.port, q, tp.mp, base + 32 * q, 32, NULL, 200),
				    "Tx on queue %u failed", q);
	return cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS);
}

/*
 * nb_rx Rx / nb_tx Tx queues: 512 frames in 128 flows in, each once byte for byte, on 2 queues
 * or more where there are; 32 out on each Tx queue, captured byte for byte; queues counted.
 */
static int
queues_traffic(uint16_t nb_rx, uint16_t nb_tx, uint32_t base)
{
	uint32_t per_tx[RTAP_MAX_QUEUES], nb = 512;
	uint16_t q, used;

	rx_track_init(&rxt, tp.port, base, nb, NULL, 128, 128);
	TEST_ASSERT(counters_reset(nb_rx, nb_tx) == 0 &&
		    inject_frames(tp.sock, base, nb, NULL, 128, 128) == 0 &&
		    rx_poll(&rxt, nb_rx, WAIT_MS, QUIET_MS) == 0,
		    "%u Rx / %u Tx queues: not every frame arrived once", nb_rx, nb_tx);
	used = rx_queues_used(&rxt, nb_rx);
	TEST_ASSERT((nb_rx == 1 || used >= 2) &&
		    queue_counters_check(tp.port, "rx", nb_rx, rxt.per_queue) == 0,
		    "128 flows on %u of %u queues (2 or more expected), or Rx counts wrong",
		    used, nb_rx);
	for (q = 0; q < nb_tx; q++)
		per_tx[q] = 32;
	TEST_ASSERT(tx_queues_send(nb_tx, base + nb) == 0 &&
		    queue_counters_check(tp.port, "tx", nb_tx, per_tx) == 0,
		    "%u Rx / %u Tx queues: frames sent missing, or Tx counters wrong",
		    nb_rx, nb_tx);
	return TEST_SUCCESS;
}

/*
 * 4 queue pairs, then 1, then 4 again, then 1 Rx / 4 Tx, 4 / 1 and 2 / 3 queues: traffic both
 * ways; the kernel has one queue per Rx queue (Tx queues beyond share them).
 */
static int
test_rtap_multi_queue(void)
{
	static const uint16_t nb_qs[][2] = { { 4, 4 }, { 1, 1 }, { 4, 4 }, { 1, 4 }, { 4, 1 },
					      { 2, 3 } };
	uint16_t nb_rx, nb_tx;
	unsigned int i;
	int kq;

	TEST_ASSERT_SUCCESS(drv_port("q4", 4, NULL, NB_MBUF, 256), "no port");
	for (i = 0; i < RTE_DIM(nb_qs); i++) {
		nb_rx = nb_qs[i][0];
		nb_tx = nb_qs[i][1];
		TEST_ASSERT(i == 0 || (rte_eth_dev_stop(tp.port) == 0 &&
				       port_setup_uneven(tp.port, nb_rx, nb_tx, NULL, tp.mp, 256,
							 256, false) == 0 &&
				       rte_eth_dev_start(tp.port) == 0 &&
				       path_ready(tp.port, nb_rx, tp.ifname, tp.sock) == 0),
			    "no restart with %u Rx / %u Tx queues", nb_rx, nb_tx);
		kq = kern_queues(tp.ifname);
		TEST_ASSERT_EQUAL(kq, nb_rx, "%u Rx / %u Tx queues: the kernel has %d queues, "
				  "expected %u", nb_rx, nb_tx, kq, nb_rx);
		TEST_ASSERT_SUCCESS(queues_traffic(nb_rx, nb_tx, 10000 * i), "round %u", i);
	}
	return tp_close();
}

/* Frames forwarded in the mbufs they came in arrive unchanged; mbufs return (restart at 3). */
static int
test_rtap_mempool(void)
{
	static struct rte_mbuf *keep[200];
	static uint32_t len[RTE_DIM(keep)];
	const uint32_t nb = RTE_DIM(keep);
	uint32_t round, base, i;

	TEST_ASSERT_SUCCESS(drv_port("pool", 1, NULL, 2048, 256), "no port");
	for (round = 0; round < 4; round++) {
		base = round < 3 ? round * 1000 : 5000;
		TEST_ASSERT(round < 3 || (rte_eth_dev_stop(tp.port) == 0 &&
					  rte_eth_dev_start(tp.port) == 0 &&
					  path_ready(tp.port, 1, tp.ifname, tp.sock) == 0),
			    "no traffic after a restart");
		memset(keep, 0, sizeof(keep));
		for (i = 0; i < nb; i++)
			len[i] = 60 + ((base + i) * 211) % 1455;
		rx_track_init(&rxt, tp.port, base, nb, len, 0, 0);
		rxt.keep = keep;
		cap_track_init(&capt, base, nb, len, 0);
		TEST_ASSERT(inject_frames(tp.sock, base, nb, len, 0, 0) == 0 &&
			    rx_poll(&rxt, 1, WAIT_MS, 0) == 0 &&
			    tx_all(tp.port, 0, keep, nb) == 0 &&
			    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0,
			    "forwarding round %u (frames %u..)", round, base);
	}
	return tp_close();
}

/* rx_q0_mbuf_alloc_failed = rx_nombuf of *st, read anew. */
static int
rx_nombuf_check(struct rte_eth_stats *st)
{
	uint64_t nombuf = 0;

	TEST_ASSERT(rte_eth_stats_get(tp.port, st) == 0 &&
		    xstat_by_name(tp.port, "rx_q0_mbuf_alloc_failed", &nombuf) == 0 &&
		    eq("rx_q0_mbuf_alloc_failed", nombuf, st->rx_nombuf) == 0, "against rx_nombuf");
	return TEST_SUCCESS;
}

/* Frames 10000..10063 meet an empty pool (rx_nombuf counts them), 10064..10191 a refilled one. */
static int
test_rtap_rx_nombuf(void)
{
	static struct rte_mbuf *hoard[2048], *keep[192];
	unsigned int nb_hoard = 0, i;
	struct rte_eth_stats st;
	uint64_t deadline;

	TEST_ASSERT_SUCCESS(drv_port("nomb", 1, NULL, 2048, 256), "no port");
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 && rte_eth_xstats_reset(tp.port) == 0,
		    "no stats_reset");
	/* Take every mbuf the port does not hold (teardown frees the pool) */
	while (nb_hoard < RTE_DIM(hoard) && (hoard[nb_hoard] = rte_pktmbuf_alloc(tp.mp)) != NULL)
		nb_hoard++;
	memset(keep, 0, sizeof(keep));
	memset(&st, 0, sizeof(st));
	rx_track_init(&rxt, tp.port, 10000, RTE_DIM(keep), NULL, 100, 0);
	rxt.keep = keep;
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 10000, 64, NULL, 100, 0), "cannot inject");
	for (deadline = deadline_ms(WAIT_MS); st.rx_nombuf == 0 && !expired(deadline);) {
		if (rx_poll_once(&rxt, 1) == 0)
			rte_delay_ms(1);
		TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "stats_get failed");
	}
	TEST_ASSERT(st.rx_nombuf > 0 && rx_nombuf_check(&st) == 0, "rx_nombuf 0 with an empty "
		    "pool and 64 frames waiting (ipackets %" PRIu64 ")", st.ipackets);
	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	for (i = 0; i < RTE_DIM(keep); i++)
		rte_pktmbuf_free(keep[i]);
	rxt.keep = NULL;
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 10064, 128, NULL, 100, 0), "cannot inject");
	rx_drain(&rxt, 1, QUIET_MS, WAIT_MS);
	for (i = 64; i < RTE_DIM(keep) && rxt.seen[i] != 0; i++)
		;
	TEST_ASSERT(rxt.err == 0 && i == RTE_DIM(keep) && rx_nombuf_check(&st) == 0,
		    "no recovery after the pool was refilled: frame %u missing", 10000 + i);
	TEST_ASSERT(eq("received + rx_nombuf", rxt.got + st.rx_nombuf, rxt.nb) == 0 &&
		    eq("ipackets", st.ipackets, rxt.got + rxt.other) == 0 &&
		    eq("ierrors", st.ierrors, 0) == 0 && eq("imissed", st.imissed, 0) == 0,
		    "counters after the recovery");
	return tp_close();
}

/* Frames without headroom or shared need a header mbuf: none left stops tx_burst, no drop. */
static int
tx_hdr_nombuf(struct rte_mempool *txmp, unsigned int avail0)
{
	/* Frames 1 and 3 have no headroom, 4 is shared (refcnt 2) */
	static const uint16_t headroom[] = { RTE_PKTMBUF_HEADROOM, 0, RTE_PKTMBUF_HEADROOM, 0,
		RTE_PKTMBUF_HEADROOM, RTE_PKTMBUF_HEADROOM };
	const uint32_t nb = RTE_DIM(headroom), base = 40000, len = 100;
	uint16_t data_off[RTE_DIM(headroom)], seg = len, sent, nb_hoard = 0, i;
	struct rte_mbuf *pkts[RTE_DIM(headroom)], *hoard[64];
	struct rte_eth_stats st;
	uint64_t nombuf = 1;

	TEST_ASSERT(pool_running_check(tp.port, 1, txmp, avail0) == 0 &&
		    rte_eth_stats_reset(tp.port) == 0, "Tx pool not full, or no stats_reset");
	for (i = 0; i < nb; i++) {
		pkts[i] = mbuf_frame_segs(txmp, base + i, len, &seg, 1, headroom[i]);
		TEST_ASSERT_NOT_NULL(pkts[i], "no mbuf for frame %u", i);
		headroom_fill(pkts[i], 0xa5);
		data_off[i] = pkts[i]->data_off;
	}
	rte_mbuf_refcnt_update(pkts[4], 1);
	while (rte_mempool_avail_count(txmp) > 1 && nb_hoard < RTE_DIM(hoard))
		hoard[nb_hoard++] = rte_pktmbuf_alloc(txmp);
	sent = rte_eth_tx_burst(tp.port, 0, pkts, nb);
	TEST_ASSERT_SUCCESS(eq("frames taken", sent, 3), "one mbuf for two header mbufs");
	for (i = sent; i < nb; i++)
		TEST_ASSERT(held_check(pkts[i], base + i, len, data_off[i], "not taken") == 0 &&
			    rte_mbuf_refcnt_read(pkts[i]) == (i == 4 ? 2 : 1),
			    "frame %u not taken changed, or has refcnt %u", i,
			    rte_mbuf_refcnt_read(pkts[i]));
	tx_reap(tp.port, 1);
	TEST_ASSERT(rte_eth_stats_get(tp.port, &st) == 0 &&
		    eq("opackets", st.opackets, sent) == 0 && eq("oerrors", st.oerrors, 0) == 0,
		    "counters without header mbufs");
	/* Where the driver offers a count of it, it must be this one */
	if (rte_eth_xstats_get_id_by_name(tp.port, "tx_q0_mbuf_alloc_failed", &nombuf) == 0)
		TEST_ASSERT(xstat_by_name(tp.port, "tx_q0_mbuf_alloc_failed", &nombuf) == 0 &&
			    nombuf == 1, "tx_q0_mbuf_alloc_failed %" PRIu64 ", 1 expected", nombuf);
	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	cap_track_init(&capt, base, nb, NULL, len);
	TEST_ASSERT(tx_all(tp.port, 0, pkts + sent, nb - sent) == 0 &&
		    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0 &&
		    held_check(pkts[4], base + 4, len, data_off[4], "shared, sent") == 0,
		    "frames missing after the header mbuf wait, or the shared one changed");
	rte_pktmbuf_free(pkts[4]);
	return pool_running_check(tp.port, 1, txmp, avail0);
}

/* Tx-only: 64 mbufs through a 512-entry ring keep going (reclaimed on every tx_burst). */
static int
test_rtap_tx_pool(void)
{
	struct rte_mempool *txmp = pool_create(64);
	uint64_t deadline = deadline_ms(5 * WAIT_MS);
	struct rte_mbuf *pkts[16];
	unsigned int txavail0;
	uint32_t seq = 0;
	uint16_t n, sent;

	TEST_ASSERT_NOT_NULL(txmp, "no mempool");
	txavail0 = rte_mempool_avail_count(txmp);
	TEST_ASSERT_SUCCESS(drv_port("txo", 1, NULL, NB_MBUF, NB_TXD), "no port");
	cap_track_init(&capt, 30000, 1000, NULL, 60);
	while (seq < 1000) {
		for (n = 0; n < 16 && seq + n < 1000; n++) {
			pkts[n] = mbuf_frame(txmp, 30000 + seq + n, 60);
			if (pkts[n] == NULL)
				break;
		}
		sent = rte_eth_tx_burst(tp.port, 0, pkts, n);
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		seq += sent;
		TEST_ASSERT(!expired(deadline), "transmit-only: stuck after %u frames, %u of %u "
			    "mbufs free", seq, rte_mempool_avail_count(txmp), txavail0);
		if (sent == 0)
			rte_delay_us_block(100);
	}
	TEST_ASSERT(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0 &&
		    tx_hdr_nombuf(txmp, txavail0) == 0 && tp_close() == 0,
		    "frames missing, header mbuf exhaustion, or close");
	return pool_check(txmp, txavail0);
}

/* Counters are exact for known traffic, and reset zeroes them. */
static int
test_rtap_stats(void)
{
	static uint32_t rxlen[200], txlen[200];
	const uint32_t nb = RTE_DIM(rxlen);
	uint64_t ibytes = 0, obytes = 0;
	struct rte_eth_stats st;
	uint32_t i;

	TEST_ASSERT_SUCCESS(drv_port("st", 1, NULL, NB_MBUF, NB_RXD), "no port");
	TEST_ASSERT(counters_reset(1, 1) == 0 && stats_zero(tp.port) == 0,
		    "stats not 0 after reset");
	for (i = 0; i < nb; i++) {
		rxlen[i] = 60 + (i * 389) % 1455;
		txlen[i] = 60 + (i * 211) % 1455;
		ibytes += rxlen[i];
		obytes += txlen[i];
	}
	cap_track_init(&capt, 1000, nb, txlen, 0);
	TEST_ASSERT(rx_frames(0, nb, rxlen, 0, 0) == 0 &&
		    tx_frames(tp.port, 0, tp.mp, 1000, nb, txlen, 0) == 0 &&
		    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0, "frames missing");
	/* Everything has crossed; the counters must say so */
	TEST_ASSERT(stats_reach(1, &st, &st.opackets, NULL, nb) == 0 &&
		    eq("ipackets", st.ipackets, nb) == 0 && eq("ibytes", st.ibytes, ibytes) == 0 &&
		    eq("opackets", st.opackets, nb) == 0 && eq("obytes", st.obytes, obytes) == 0 &&
		    eq("imissed", st.imissed, 0) == 0 && eq("ierrors", st.ierrors, 0) == 0 &&
		    eq("oerrors", st.oerrors, 0) == 0 && eq("rx_nombuf", st.rx_nombuf, 0) == 0,
		    "counters after %u frames each way", nb);
	TEST_ASSERT(queue_counters_check(tp.port, "rx", 1, &nb) == 0 &&
		    queue_counters_check(tp.port, "tx", 1, &nb) == 0 &&
		    rte_eth_stats_reset(tp.port) == 0 && stats_zero(tp.port) == 0,
		    "queue counters not %u, or stats not 0 after reset", nb);
	return tp_close();
}

/* Stats read by a thread whose sendto fails, as if rtnetlink could not be reached. */
static uint32_t
blind_stats(void *arg)
{
	if (seccomp_deny(__NR_sendto, EPERM) == 0)
		rte_eth_stats_get(tp.port, arg);
	return 0;
}

/* A flood of 3000 unpolled frames: received + imissed = sent; reset zeroes imissed. */
static int
test_rtap_imissed(void)
{
	const uint32_t flood = 3000;
	struct rte_eth_stats st, blind;
	uint64_t kdrop0;

	TEST_ASSERT_SUCCESS(drv_port("im", 1, NULL, NB_MBUF, NB_RXD), "no port");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "stats_reset failed");
	kdrop0 = kern_stat(tp.ifname, "tx_dropped");
	TEST_ASSERT(inject_frames(tp.sock, 100000, flood, NULL, 60, 0) == 0 &&
		    stats_reach(1, &st, &st.imissed, NULL, 1) == 0 && st.imissed > 0,
		    "imissed 0 after %u frames injected without polling (kernel tx_dropped +%"
		    PRIu64 ")", flood, kern_stat(tp.ifname, "tx_dropped") - kdrop0);
	/* The kernel cannot be asked: the last figure stands */
	blind.imissed = UINT64_MAX;
	TEST_ASSERT_SUCCESS(ctx_thread(blind_stats, &blind), "no thread");
	ctx_join();
	TEST_ASSERT(blind.imissed >= st.imissed && blind.imissed != UINT64_MAX, "imissed %" PRIu64
		    " with rtnetlink unreachable, %" PRIu64 " before", blind.imissed, st.imissed);
	rx_track_init(&rxt, tp.port, 100000, flood, NULL, 60, 0);
	rx_drain(&rxt, 1, 200, 5 * WAIT_MS);
	TEST_ASSERT(stats_reach(1, &st, &st.ipackets, &st.imissed, flood) == 0 && rxt.err == 0 &&
		    eq("ipackets", st.ipackets, rxt.got) == 0 &&
		    eq("ipackets + imissed", st.ipackets + st.imissed, flood) == 0, "flood");
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 && stats_zero(tp.port) == 0,
		    "imissed not 0 after reset");
	return tp_close();
}

/* Stats read for a second (their imissed asks the kernel), as a monitoring thread would. */
static uint32_t
stats_reader(void *arg)
{
	uint64_t deadline = deadline_ms(1000);
	struct rte_eth_stats st;
	uint32_t *fails = arg;

	while (!expired(deadline))
		*fails += rte_eth_stats_get(tp.port, &st) != 0;
	return 0;
}

/*
 * Control calls while another thread reads the stats: the two ask the kernel over rtnetlink at
 * once, each must get its own answers: every call succeeds and the kernel agrees with it.
 */
static int
test_rtap_nl_threads(void)
{
	static uint32_t fails;
	unsigned int i, on;
	uint64_t deadline;
	int kmtu = 0, ret;

	TEST_ASSERT_SUCCESS(drv_port("nl", 1, NULL, NB_MBUF, NB_RXD), "no port");
	fails = 0;
	TEST_ASSERT_SUCCESS(ctx_thread(stats_reader, &fails), "no thread");
	for (i = 0, deadline = deadline_ms(1000); !expired(deadline); i++) {
		on = i % 2;
		ret = on ? rte_eth_promiscuous_enable(tp.port) : rte_eth_promiscuous_disable(tp.port);
		TEST_ASSERT(ret == 0 && rte_eth_promiscuous_get(tp.port) == (int)on,
			    "call %u: promiscuous %u returned %d", i, on, ret);
		TEST_ASSERT_SUCCESS(mtu_set_kern(tp.port, tp.ifname, 1400 + 100 * on, &kmtu),
				    "call %u: set_mtu %u, kernel MTU %d", i, 1400 + 100 * on, kmtu);
	}
	ctx_join();
	TEST_ASSERT_EQUAL(fails, 0, "%u stats reads failed beside %u control calls", fails, i);
	return tp_close();
}

/* Rx modes are IFF_PROMISC/IFF_ALLMULTI; a multicast or zero MAC is refused, changing nothing. */
static int
test_rtap_rx_modes(void)
{
	static const struct rte_ether_addr bad_mac[] = { { { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },
		{ { 0x03, 0x11, 0x22, 0x33, 0x44, 0x55 } }, { { 0 } } };
	/* Each mode switched on, then off: the kernel's flag and the port's report follow. */
	static int (*const set[])(uint16_t) = {
		rte_eth_promiscuous_enable, rte_eth_promiscuous_disable,
		rte_eth_allmulticast_enable, rte_eth_allmulticast_disable };
	static int (*const get[])(uint16_t) = { rte_eth_promiscuous_get, rte_eth_allmulticast_get };
	static const unsigned int flag[] = { IFF_PROMISC, IFF_ALLMULTI };
	static const char *const what[] = { "promiscuous", "all-multicast" };
	struct rte_ether_addr mac0, mac;
	unsigned int i, flags = 0;
	int on;

	TEST_ASSERT_SUCCESS(drv_port("rm", 1, NULL, NB_MBUF, NB_RXD), "no port");
	for (i = 0; i < RTE_DIM(set); i++) {
		on = i % 2 == 0;
		TEST_ASSERT(set[i](tp.port) == 0 && kern_flags(tp.ifname, &flags) == 0 &&
			    !!(flags & flag[i / 2]) == on && get[i / 2](tp.port) == on,
			    "%s %d: kernel flags 0x%x, the port says %d", what[i / 2], on, flags,
			    get[i / 2](tp.port));
	}
	TEST_ASSERT(rte_eth_macaddr_get(tp.port, &mac0) == 0 &&
		    mac_check(tp.port, tp.ifname, &mac0, " at start, expected ") == 0,
		    "kernel and port MAC differ");
	for (i = 0; i < RTE_DIM(bad_mac); i++) {
		rte_ether_addr_copy(&bad_mac[i], &mac);
		TEST_ASSERT(rte_eth_dev_default_mac_addr_set(tp.port, &mac) != 0 &&
			    mac_check(tp.port, tp.ifname, &mac0, " after it, expected ") == 0,
			    "MAC " RTE_ETHER_ADDR_PRT_FMT " accepted, or the address changed",
			    RTE_ETHER_ADDR_BYTES(&mac));
	}
	return tp_close();
}

/* Its address tells the test's epoll events from others. */
static int intr_tag;

/* Wait ms on the thread's epoll, the Rx interrupt of queue 0 enabled if enable: woken or not. */
static int
intr_round(bool enable, unsigned int ms, bool wake)
{
	struct rte_epoll_event ev[4];
	int n, i;

	TEST_ASSERT(!enable || rte_eth_dev_rx_intr_enable(tp.port, 0) == 0, "no rx_intr_enable");
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), (int)ms);
	TEST_ASSERT(!enable || rte_eth_dev_rx_intr_disable(tp.port, 0) == 0, "no rx_intr_disable");
	for (i = 0; i < n; i++)
		TEST_ASSERT(ev[i].epdata.data == &intr_tag, "epoll event data %p, registered %p",
			    ev[i].epdata.data, (void *)&intr_tag);
	TEST_ASSERT(wake ? n >= 1 : n == 0, "%d Rx interrupts within %u ms (%s), %s expected", n,
		    ms, enable ? "enabled" : "disabled", wake ? "some" : "none");
	return TEST_SUCCESS;
}

/*
 * Drained, the enabled interrupt stays quiet while idle; then nb frames of len from seq wake it
 * (also those there before it is enabled), or not while it is disabled; rx_burst has them.
 */
static int
intr_frames(uint32_t seq, uint32_t nb, uint32_t len, bool enable)
{
	rx_track_init(&rxt, tp.port, 0, 0, NULL, 60, 0);
	rx_drain(&rxt, 1, 50, WAIT_MS);
	TEST_ASSERT(!enable || intr_round(true, 150, false) == 0, "woken while idle");
	rx_track_init(&rxt, tp.port, seq, nb, NULL, len, 0);
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, seq, nb, NULL, len, 0), "cannot inject");
	if (nb > 1)
		rte_delay_ms(50);
	TEST_ASSERT_SUCCESS(intr_round(enable, enable ? WAIT_MS : 150, enable), "frames %u..", seq);
	return rx_poll(&rxt, 1, WAIT_MS, QUIET_MS);
}

/* Rx interrupts and LSC; queue 0 on the thread's epoll (made before fds are counted). */
static int
intr_port(const char *tag)
{
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1, .rxq = 1 } };

	TEST_ASSERT(rte_intr_tls_epfd() >= 0 && drv_port(tag, 1, &conf, NB_MBUF, NB_RXD) == 0 &&
		    rte_eth_dev_rx_intr_ctl_q(tp.port, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD,
					      &intr_tag) == 0, "no epoll, port or Rx interrupt");
	return TEST_SUCCESS;
}

static int
intr_close(void)
{
	TEST_ASSERT(rte_eth_dev_rx_intr_ctl_q(tp.port, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL,
					      &intr_tag) == 0 && lsc_off() == 0,
		    "rx_intr_ctl_q DEL failed, or the LSC callback not unregistered");
	return tp_close();
}

/* epoll sleeps while idle, wakes on a frame (also one there before enable), not while disabled. */
static int
test_rtap_rx_intr(void)
{
	TEST_ASSERT(intr_port("irq") == 0 && intr_frames(0, 1, 100, true) == 0, "one frame");
	TEST_ASSERT_SUCCESS(intr_frames(10, 2, 200, true), "frames before enable");
	/* Disabled: no wake-up, yet the frame is there */
	TEST_ASSERT_SUCCESS(intr_frames(20, 1, 300, false), "while disabled");
	return intr_close();
}

/* Link events on a port with Rx interrupts; Rx interrupts go on after. */
static int
test_rtap_rx_intr_lsc(void)
{
	unsigned int ifindex;

	TEST_ASSERT(intr_port("irl") == 0 && intr_frames(0, 1, 100, true) == 0, "before events");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT(lsc_kern_link(tp.port, tp.ifname, ifindex, false) == 0 &&
		    lsc_kern_link(tp.port, tp.ifname, ifindex, true) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0,
		    "no LSC event for link down or up, or no traffic after");
	TEST_ASSERT_SUCCESS(intr_frames(30, 1, 1000, true), "after link events");
	return intr_close();
}

/* DPDK as HOST_ADDR:lport, the peer of the kernel's TCP connection, checking every frame */
static struct {
	struct rte_ether_addr kmac;	/* the TAP's */
	struct xs_tally xs;
	bool offload;		/* Rx checksum offload and LRO configured */
	bool syn;		/* the kernel's SYN arrived: its port and sequence number */
	uint16_t kport;
	uint32_t kisn;
	uint16_t lport;
	uint32_t rcv_nxt;	/* stream bytes received in order */
	uint32_t nb_data;	/* data frames, of them nb_lro LRO */
	uint32_t nb_lro;
	uint32_t max_len;	/* if set: max_lro_pkt_size */
	bool udp;		/* the datagram arrived */
	int err;
} peer;

#define PEER_ISN		0x01000000u
#define UDP_LEN			1000

static int
peer_send(uint8_t flags, uint32_t seq, uint32_t ack, uint16_t mss)
{
	struct l4_frame fr = { .dmac = peer.kmac, .smac = host_mac, .proto = IPPROTO_TCP,
		.src = host4, .dst = kern4, .sport = peer.lport, .dport = peer.kport, .seq = seq,
		.ack = ack, .tcp_flags = flags, .mss = mss };
	uint16_t len = (uint16_t)l4_build(frame_buf, &fr, 0);
	struct rte_mbuf *m = mbuf_build(tp.mp, frame_buf, &len, 1, RTE_PKTMBUF_HEADROOM);

	TEST_ASSERT_NOT_NULL(m, "peer: no mbuf");
	xs_tx_count(&peer.xs, 0, m);
	return tx_all(tp.port, 0, &m, 1);
}

/* What the Rx offloads promise for a TCP or UDP frame from the kernel. */
static int
peer_check(const struct rte_mbuf *m, const uint8_t *f, const struct l4_frame *fr)
{
	uint64_t cs = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	bool lro = (m->ol_flags & RTE_MBUF_F_RX_LRO) != 0;
	bool big = m->pkt_len > RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN;
	bool ok = l4_cksum_ok(f, fr);

	TEST_ASSERT_EQUAL(m->pkt_len, fr->data_off + fr->data_len, "%u byte frame, %u by its IP "
			  "header", m->pkt_len, fr->data_off + fr->data_len);
	peer.nb_lro += lro;
	TEST_ASSERT(peer.max_len == 0 || m->pkt_len <= peer.max_len,
		    "%u byte frame over max_lro_pkt_size %u", m->pkt_len, peer.max_len);
	/* with offloads partial checksums are fine, the data is whole */
	TEST_ASSERT(peer.offload || (!big && !lro && ok && (cs == RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN ||
							    cs == RTE_MBUF_F_RX_L4_CKSUM_GOOD)),
		    "%u byte frame without offloads: LRO flag %d, checksum %s, flags 0x%" PRIx64,
		    m->pkt_len, lro, ok ? "right" : "wrong", cs);
	TEST_ASSERT(!peer.offload || (cs == RTE_MBUF_F_RX_L4_CKSUM_GOOD && ok) ||
		    cs == RTE_MBUF_F_RX_L4_CKSUM_NONE, "%u byte frame with L4 checksum flags 0x%"
		    PRIx64 " (checksum %s), GOOD (if right) or NONE expected", m->pkt_len, cs,
		    ok ? "right" : "wrong");
	TEST_ASSERT(!peer.offload || ((lro || !big) &&
				      (!lro || (m->tso_segsz != 0 && m->tso_segsz <= TCP_MSS))),
		    "%u byte frame, RX_LRO %d, tso_segsz %u", m->pkt_len, lro, m->tso_segsz);
	return TEST_SUCCESS;
}

/* A frame polled: the datagram, the SYN, or data to acknowledge. */
static int
peer_frame(struct rte_mbuf *m)
{
	const uint8_t *f = mbuf_linear(m);
	struct l4_frame fr;
	uint32_t off;

	TEST_ASSERT_NOT_NULL(f, "inconsistent chain of %u bytes", m->pkt_len);
	if (l4_parse(f, m->pkt_len, &fr) != 0 || fr.ipv6 || memcmp(fr.dst, host4, 4) != 0 ||
	    fr.dport != peer.lport)
		return TEST_SUCCESS;
	if (fr.proto == IPPROTO_UDP) {
		peer.udp = true;
		TEST_ASSERT(fr.data_len == UDP_LEN && peer_check(m, f, &fr) == 0 &&
			    stream_check(f + fr.data_off, UDP_LEN, 0) == 0, "datagram of %u bytes",
			    fr.data_len);
		return TEST_SUCCESS;
	}
	if (fr.tcp_flags & RTE_TCP_SYN_FLAG) {
		peer.kport = fr.sport;
		peer.kisn = fr.seq;
		peer.syn = true;
		TEST_ASSERT_SUCCESS(peer_check(m, f, &fr), "SYN");
		return peer_send(RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, PEER_ISN, fr.seq + 1,
				 TCP_MSS);
	}
	if (!peer.syn || fr.sport != peer.kport || fr.data_len == 0)
		return TEST_SUCCESS;
	peer.nb_data++;
	off = fr.seq - (peer.kisn + 1);
	TEST_ASSERT(peer_check(m, f, &fr) == 0 &&
		    stream_check(f + fr.data_off, fr.data_len, off) == 0, "data at %u", off);
	if (off <= peer.rcv_nxt && off + fr.data_len > peer.rcv_nxt)
		peer.rcv_nxt = off + fr.data_len;
	return peer_send(RTE_TCP_ACK_FLAG, PEER_ISN + 1, peer.kisn + 1 + peer.rcv_nxt, 0);
}

/* Poll what the kernel sent (all of it with idle_ms: until quiet). */
static int
peer_poll(unsigned int idle_ms)
{
	uint64_t idle = deadline_ms(idle_ms);
	struct rte_mbuf *pkts[BURST];
	uint16_t n, j;

	do {
		n = rte_eth_rx_burst(tp.port, 0, pkts, BURST);
		for (j = 0; j < n; j++) {
			xs_rx_count(&peer.xs, 0, pkts[j]);
			if (peer.err == 0)
				peer.err = peer_frame(pkts[j]);
			rte_pktmbuf_free(pkts[j]);
		}
		if (n != 0)
			idle = deadline_ms(idle_ms);
		else
			rte_delay_us_block(200);
	} while (!expired(idle));
	return peer.err;
}

/* With or without Rx offloads the kernel sends a UDP datagram and 256 KiB of TCP to the peer. */
static int
rx_offload_round(bool offload, uint32_t max_len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(5201 + !offload) };
	int fd = kern_socket(SOCK_STREAM), ufd = kern_socket(SOCK_DGRAM), err = 0;
	uint32_t sent = 0, total = 256 * 1024, chunk, i;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	uint64_t deadline = deadline_ms(5 * WAIT_MS);
	socklen_t elen = sizeof(err);
	bool connected = false;
	ssize_t r;

	memset(&peer, 0, sizeof(peer));
	peer.offload = offload;
	peer.max_len = max_len;
	peer.lport = 5201 + !offload;
	TEST_ASSERT(fd >= 0 && ufd >= 0 && rte_eth_macaddr_get(tp.port, &peer.kmac) == 0 &&
		    rte_eth_xstats_reset(tp.port) == 0, "no kernel sockets, MAC or xstats_reset");
	memcpy(&sa.sin_addr, host4, sizeof(host4));
	for (i = 0; i < UDP_LEN; i++)
		frame_buf[i] = stream_byte(i);
	TEST_ASSERT(sendto(ufd, frame_buf, UDP_LEN, 0, (struct sockaddr *)&sa, sizeof(sa)) ==
		    UDP_LEN, "kernel UDP send: %s", strerror(errno));
	TEST_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno == EINPROGRESS,
		    "kernel TCP connect: %s", strerror(errno));
	while (peer.rcv_nxt < total || !peer.udp) {
		TEST_ASSERT(!expired(deadline), "kernel sent %u, DPDK received %u of %u bytes (%s, "
			    "datagram %s)", sent, peer.rcv_nxt, total, connected ? "connected" :
			    peer.syn ? "SYN answered" : "no SYN", peer.udp ? "in" : "missing");
		TEST_ASSERT_SUCCESS(peer_poll(0), "peer: a frame was wrong");
		if (!connected && poll(&pfd, 1, 0) == 1) {
			TEST_ASSERT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 &&
				    err == 0, "kernel TCP connect: %s", strerror(err));
			connected = true;
		}
		if (!connected || sent == total)
			continue;
		chunk = RTE_MIN(total - sent, (uint32_t)FRAME_BUF);
		for (i = 0; i < chunk; i++)
			frame_buf[i] = stream_byte(sent + i);
		r = send(fd, frame_buf, chunk, MSG_DONTWAIT);
		TEST_ASSERT(r > 0 || errno == EAGAIN || errno == EWOULDBLOCK, "kernel TCP send: %s",
			    strerror(errno));
		sent += r > 0 ? r : 0;
	}
	ctx_close_sock(fd);
	ctx_close_sock(ufd);
	printf("Rx offloads %d: %u data frames, %u LRO\n", offload, peer.nb_data, peer.nb_lro);
	TEST_ASSERT(!offload || peer.nb_lro > 0, "no super-packet arrived with LRO");
	/* What came after, for the xstats to be complete */
	peer_poll(QUIET_MS);
	return xs_check(tp.port, 1, &peer.xs);
}

/* Rx checksum offload, LRO and scatter, then none: flags, super-packets and xstats as promised. */
static int
test_rtap_rx_offload(void)
{
	const uint64_t need = RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER;
	/* LRO: an IP packet of 64 KiB and its Ethernet header */
	struct rte_eth_conf conf = { .rxmode = { .offloads = need,
		.max_lro_pkt_size = UINT16_MAX + RTE_ETHER_HDR_LEN } };
	struct rte_mempool *bigmp;
	unsigned int bigavail0;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	/* With LRO each posted read takes up to 64 KiB: in 128-byte mbufs, 513 of them */
	bigmp = pool_create_sized(40000, 128 + RTE_PKTMBUF_HEADROOM);
	TEST_ASSERT(drv_pool(NB_MBUF) == 0 && bigmp != NULL, "no mempools");
	bigavail0 = rte_mempool_avail_count(bigmp);
	TEST_ASSERT(ns_port_start("ro", &conf, bigmp, 64, false, tp.vdev, &tp.port, tp.ifname,
				  &tp.sock) == 0 && offload_capa_check(tp.port, true, need) == 0 &&
		    rx_offload_round(true, 0) == 0, "with Rx offloads");
	/* Taking the link down flushed the neighbours, even permanent ones */
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
		    port_start(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    kern_ip_setup(tp.ifname, false, false) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0 &&
		    rx_offload_round(false, 0) == 0,
		    "without Rx offloads");
	TEST_ASSERT_SUCCESS(port_close_all(tp.port, tp.vdev), "close failed");
	return pools_check(tp.mp, tp.avail0, bigmp, bigavail0);
}

/* Faults from outside: traffic that goes on while the kernel side changes */

/*
 * Each pump round injects PUMP_IN frames and transmits PUMP_OUT on the next queue, without waiting.
 * Its socket bypasses the qdisc, so a frame the TAP does not queue is refused to the sender
 * (ENOBUFS: counted in tx_dropped, the port's imissed).  Threads read the rounds to strike mid-way.
 */
#define PUMP_QUEUES		2
#define PUMP_LEN		200
#define PUMP_FLOWS		16
#define PUMP_IN			4
#define PUMP_OUT		4
#define PUMP_OUT_BASE		100000
/* What became of a frame of the pump */
#define PF_TAKEN		1	/* the kernel queued it; tx_burst took it */
#define PF_DUE			2	/* it must arrive */

static struct {
	bool link_up;		/* IFF_UP: a frame transmitted is due */
	RTE_ATOMIC(uint32_t) rounds;
	uint32_t nb_in;		/* frames injected so far */
	uint32_t nb_out;	/* frames offered to tx_burst so far */
	uint64_t polled;	/* whatever rx_burst returned */
	uint64_t nobufs;	/* injections refused with ENOBUFS */
	uint64_t taken;		/* frames tx_burst took, due while up */
	uint64_t due;
	unsigned int avail_run;	/* free mbufs while running, all reaped */
	uint8_t in[MAX_BATCH];
	uint8_t out[MAX_BATCH];
} pump;

/* The pump on a port as drv_port makes it, its counters at 0. */
static int
pump_start(const char *tag, const struct rte_eth_conf *conf)
{
	memset(&pump, 0, sizeof(pump));
	pump.link_up = true;
	TEST_ASSERT(drv_port(tag, PUMP_QUEUES, conf, NB_MBUF, 256) == 0 &&
		    pkt_bypass_qdisc(tp.sock) == 0 && rte_eth_stats_reset(tp.port) == 0,
		    "no port, qdisc bypass or stats_reset");
	rx_track_init(&rxt, tp.port, 0, MAX_BATCH, NULL, PUMP_LEN, PUMP_FLOWS);
	cap_track_init(&capt, PUMP_OUT_BASE, MAX_BATCH, NULL, PUMP_LEN);
	tx_reap(tp.port, PUMP_QUEUES);
	pump.avail_run = rte_mempool_avail_count(tp.mp);
	return TEST_SUCCESS;
}

/* Take what has come in on both sides: the number of frames, -1 for a wrong one. */
static int
pump_take(void)
{
	unsigned int n = rx_poll_once(&rxt, PUMP_QUEUES);
	int r = cap_drain(tp.sock, &capt);

	pump.polled += n;
	return r < 0 || rxt.err != 0 ? -1 : (int)n + r;
}

static int
pump_rounds(unsigned int nb)
{
	struct rte_mbuf *pkts[PUMP_OUT];
	uint32_t i, idx;
	uint16_t n, sent;

	while (nb-- > 0) {
		for (i = 0; i < PUMP_IN && pump.nb_in < MAX_BATCH; i++) {
			idx = pump.nb_in++;
			frame_build(frame_buf, PUMP_LEN, idx, PUMP_FLOWS);
			if (send(tp.sock, frame_buf, PUMP_LEN, MSG_DONTWAIT) == PUMP_LEN)
				pump.in[idx] = PF_TAKEN | PF_DUE;
			else
				pump.nobufs += errno == ENOBUFS;
		}
		for (n = 0; n < PUMP_OUT && pump.nb_out + n < MAX_BATCH; n++) {
			pkts[n] = mbuf_frame(tp.mp, PUMP_OUT_BASE + pump.nb_out + n, PUMP_LEN);
			TEST_ASSERT_NOT_NULL(pkts[n], "pump: no mbuf");
		}
		sent = rte_eth_tx_burst(tp.port, pump.rounds % PUMP_QUEUES, pkts, n);
		for (i = 0; i < sent; i++)
			pump.out[pump.nb_out + i] = PF_TAKEN | (pump.link_up ? PF_DUE : 0);
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		pump.nb_out += n;
		pump.taken += sent;
		pump.due += pump.link_up ? sent : 0;
		TEST_ASSERT(pump_take() >= 0, "pump round %u: a frame was wrong", pump.rounds);
		rte_atomic_fetch_add_explicit(&pump.rounds, 1, rte_memory_order_release);
	}
	return TEST_SUCCESS;
}

/* One direction: nothing arrived that was not taken; with exact, all due arrived. */
static int
pump_dir_check(const char *dir, const uint8_t *flags, const uint8_t *seen, uint32_t nb,
	       uint32_t base, bool exact)
{
	uint32_t i, bad = 0, first = 0;

	for (i = 0; i < nb; i++)
		if (seen[i] ? !(flags[i] & PF_TAKEN) : exact && (flags[i] & PF_DUE))
			first = bad++ == 0 ? i : first;
	TEST_ASSERT_EQUAL(bad, 0, "%s: %u of %u frames wrong, the first: %u %s", dir, bad, nb,
			  base + first, seen[first] ? "arrived, yet it was not taken" :
			  "was taken and never arrived");
	return TEST_SUCCESS;
}

/*
 * Once all is in (nothing more for QUIET_MS): ipackets = frames polled, opackets + oerrors = frames
 * taken, the Rx rings hold as many mbufs as at the start; with exact (link state of each round
 * known) every frame due arrived, opackets = due, imissed = ENOBUFS refusals.
 */
static int
pump_check(bool exact)
{
	uint64_t end = deadline_ms(WAIT_MS), idle = deadline_ms(QUIET_MS);
	struct rte_eth_stats st;
	int n;

	while (!expired(end) && !expired(idle)) {
		tx_reap(tp.port, PUMP_QUEUES);
		n = pump_take();
		TEST_ASSERT(n >= 0, "pump: a frame was wrong");
		if (n > 0)
			idle = deadline_ms(QUIET_MS);
		else
			rte_delay_ms(1);
	}
	TEST_ASSERT(pump_dir_check("rx", pump.in, rxt.seen, pump.nb_in, 0, exact) == 0 &&
		    pump_dir_check("tx", pump.out, capt.seen, pump.nb_out, PUMP_OUT_BASE,
				   exact) == 0, "frames lost or from nowhere");
	TEST_ASSERT(stats_reach(PUMP_QUEUES, &st, &st.opackets, &st.oerrors, pump.taken) == 0 &&
		    eq("ipackets", st.ipackets, pump.polled) == 0 &&
		    eq("opackets + oerrors", st.opackets + st.oerrors, pump.taken) == 0 &&
		    (!exact || (eq("opackets", st.opackets, pump.due) == 0 &&
				eq("imissed", st.imissed, pump.nobufs) == 0 &&
				eq("ierrors", st.ierrors, 0) == 0 &&
				eq("rx_nombuf", st.rx_nombuf, 0) == 0)),
		    "counters of the pump");
	return pool_running_check(tp.port, PUMP_QUEUES, tp.mp, pump.avail_run);
}

/* rounds more rounds: all sent is due, at most one injection refused (pending ENETDOWN). */
static int
pump_resume(unsigned int rounds)
{
	uint32_t in_from = pump.nb_in, out_from = pump.nb_out, i, in_taken = 0, out_due = 0;

	TEST_ASSERT_SUCCESS(pump_rounds(rounds), "pump");
	for (i = in_from; i < pump.nb_in; i++)
		in_taken += pump.in[i] & PF_TAKEN;
	for (i = out_from; i < pump.nb_out; i++)
		out_due += !!(pump.out[i] & PF_DUE);
	TEST_ASSERT(pump.nb_in - in_from >= 2 && in_taken + 1 >= pump.nb_in - in_from &&
		    out_due != 0 && out_due == pump.nb_out - out_from, "traffic did not resume: "
		    "the kernel took %u of %u frames, %u of %u transmitted were due", in_taken,
		    pump.nb_in - in_from, out_due, pump.nb_out - out_from);
	return TEST_SUCCESS;
}

/* after rounds of the pump, set the link ifindex up or down from outside. */
static int
pump_link(unsigned int rounds, unsigned int ifindex, bool up)
{
	int ret = pump_rounds(rounds) == 0 ? kern_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP) : -1;

	TEST_ASSERT_SUCCESS(ret, "cannot set interface %u %s: %s", ifindex, up ? "up" : "down",
			    strerror(-ret));
	pump.link_up = up;
	return TEST_SUCCESS;
}

/* Carrier off and on; then the link follows, IFF_UP kept (how 0), LSC (1), or the pump (2). */
static int
carrier_flip(unsigned int ifindex, int how)
{
	unsigned int flags = 0, up;
	uint32_t since;
	int ret;

	for (up = 0; up < 2; up++) {
		since = lsc_calls();
		ret = kern_set_carrier(ifindex, up);
		if (ret == -EOPNOTSUPP && !up) {
			printf("the kernel cannot switch the carrier of a TAP, skipped\n");
			return TEST_SUCCESS;
		}
		TEST_ASSERT_SUCCESS(ret, "carrier %u on %u: %s", up, ifindex, strerror(-ret));
		if (how == 1)
			ret = lsc_wait(tp.port, tp.ifname, since, up, 3000);
		else if (how == 2)
			ret = up ? pump_resume(10) : pump_rounds(10);
		else if (!up && (wait_flags(tp.ifname, IFF_RUNNING, false, WAIT_MS) != 0 ||
				 kern_flags(tp.ifname, &flags) != 0 || !(flags & IFF_UP)))
			ret = rt_err("%s still running without carrier, or down (flags 0x%x)",
				     tp.ifname, flags);
		else
			ret = wait_link(tp.port, tp.ifname, up, WAIT_MS);
		TEST_ASSERT_SUCCESS(ret, "after carrier %s", up ? "on" : "off");
	}
	return TEST_SUCCESS;
}

/* An application LSC callback that takes its time: the handler is often running. */
static int
lsc_slow_cb(uint16_t port, enum rte_eth_event_type event, void *arg, void *ret_param)
{
	RTE_SET_USED(port);
	RTE_SET_USED(event);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	rte_delay_ms(10);
	return 0;
}

/* Link notifications (txqlen, and now and then IFF_UP) until the interface is gone, <= 3 s. */
static uint32_t
link_storm(void *arg)
{
	unsigned int ifindex = *(unsigned int *)arg, i;
	uint64_t deadline = deadline_ms(3000);
	uint32_t qlen;
	int ret = 0;

	for (i = 0; !expired(deadline) && ret == 0; i++) {
		qlen = 1000 + i % 2;
		ret = i % 16 ? kern_link_attr(ifindex, IFLA_TXQLEN, &qlen, sizeof(qlen)) :
			kern_set_flags(ifindex, i % 32 ? IFF_UP : 0, IFF_UP);
	}
	return 0;
}

/*
 * Link events turned off and on again (a start after a configure with intr_conf.lsc 0, then 1)
 * while the handler runs for a storm of notifications, the application's callback in it: each
 * turn-off must wait for the running handler before its socket and handle go, so that no
 * callback runs after it.
 */
static int
test_rtap_lsc_storm(void)
{
	struct rte_eth_conf on = { .intr_conf = { .lsc = 1 } }, off = { 0 };
	static unsigned int ifindex;
	unsigned int c;

	TEST_ASSERT_SUCCESS(drv_port("ls", 1, &on, NB_MBUF, NB_RXD), "no port");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT(rte_eth_dev_callback_register(tp.port, RTE_ETH_EVENT_INTR_LSC, lsc_slow_cb,
						  NULL) == 0 && ctx_thread(link_storm, &ifindex) == 0,
		    "no callback or no thread");
	for (c = 0; c < 21; c++)
		TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
			    port_start(tp.port, 1, c % 2 ? &on : &off, tp.mp, NB_RXD, NB_TXD) == 0,
			    "cycle %u: stop, or start with link events %s", c, c % 2 ? "on" : "off");
	TEST_ASSERT(lsc_off() == 0 && rte_eth_dev_callback_unregister(tp.port,
		    RTE_ETH_EVENT_INTR_LSC, lsc_slow_cb, NULL) == 0,
		    "a callback still running with link events off");
	TEST_ASSERT_SUCCESS(port_close_all(tp.port, tp.vdev), "close during the storm");
	ctx_join();
	TEST_ASSERT(if_gone_check(tp.ifname) == 0 && fds_check(tp.fds0) == 0 &&
		    pool_check(tp.mp, tp.avail0) == 0, "close left something");
	return TEST_SUCCESS;
}

/* Link state follows IFF_UP (down, then up; from ethdev, then the kernel) and IFF_RUNNING. */
static int
test_rtap_link_updown(void)
{
	static const char *const ud[] = { "down", "up" };
	unsigned int ifindex, step, up;

	TEST_ASSERT_SUCCESS(drv_port("lc", 1, NULL, NB_MBUF, NB_RXD), "no port");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT_SUCCESS(wait_link(tp.port, tp.ifname, true, WAIT_MS), "link down after start");
	for (step = 0; step < 4; step++) {
		up = step % 2;
		/* from ethdev; then from the kernel side, which the port has to ask */
		if (step < 2)
			TEST_ASSERT((up ? rte_eth_dev_set_link_up(tp.port) :
				     rte_eth_dev_set_link_down(tp.port)) == 0 &&
				    wait_flags(tp.ifname, IFF_UP, up, WAIT_MS) == 0,
				    "set_link_%s failed, or %s not %s", ud[up], tp.ifname, ud[up]);
		else
			TEST_ASSERT_SUCCESS(kern_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP),
					    "cannot set %s %s", tp.ifname, ud[up]);
		TEST_ASSERT(wait_link(tp.port, tp.ifname, up, WAIT_MS) == 0 &&
			    (step != 1 || path_ready(tp.port, 1, tp.ifname, tp.sock) == 0),
			    "link not %s, or no traffic (step %u)", ud[up], step);
	}
	TEST_ASSERT_SUCCESS(carrier_flip(ifindex, 0), "link does not follow the carrier");
	return tp_close();
}

/* Link down/up (flags, carrier) from the kernel raises LSC with the new status; MTU does not. */
static int
test_rtap_lsc(void)
{
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1 } };
	struct rte_eth_dev_info info;
	unsigned int ifindex;
	uint32_t since;

	TEST_ASSERT_SUCCESS(drv_port("lsc", 1, &conf, NB_MBUF, NB_RXD), "no port");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT(rte_eth_dev_info_get(tp.port, &info) == 0 && info.dev_flags != NULL &&
		    (*info.dev_flags & RTE_ETH_DEV_INTR_LSC), "no RTE_ETH_DEV_INTR_LSC flag");
	/* After start, IFF_RUNNING may come later, through an event */
	TEST_ASSERT(wait_link(tp.port, tp.ifname, true, 3000) == 0 &&
		    lsc_kern_link(tp.port, tp.ifname, ifindex, false) == 0 &&
		    lsc_kern_link(tp.port, tp.ifname, ifindex, true) == 0 &&
		    carrier_flip(ifindex, 1) == 0, "link not up, or no LSC event for a change");
	/* Not a link status change: none may come within 200 ms */
	since = lsc_calls();
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.port, 1400), "set_mtu 1400 failed");
	rte_delay_ms(200);
	TEST_ASSERT_EQUAL(lsc_calls(), since, "%u LSC events for set_mtu", lsc_calls() - since);
	TEST_ASSERT_EQUAL(rte_atomic_load_explicit(&lsc_state.stray, rte_memory_order_relaxed), 0,
			  "callbacks for another port or event");
	TEST_ASSERT(path_ready(tp.port, 1, tp.ifname, tp.sock) == 0 && lsc_off() == 0,
		    "no traffic after the link events, or LSC callback not unregistered");
	return tp_close();
}

/* IFF_UP, then the carrier, off and on twice under traffic (LSC on): all accounted for. */
static int
test_rtap_link_flap(void)
{
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1 } };
	unsigned int ifindex, round;

	TEST_ASSERT_SUCCESS(pump_start("fl", &conf), "no pump");
	ifindex = if_nametoindex(tp.ifname);
	for (round = 0; round < 2; round++)
		TEST_ASSERT(pump_link(20, ifindex, false) == 0 &&
			    pump_link(10, ifindex, true) == 0 && pump_resume(10) == 0 &&
			    carrier_flip(ifindex, 2) == 0,
			    "%s set down and up, or its carrier off and on", tp.ifname);
	TEST_ASSERT(pump_rounds(20) == 0 && pump_check(true) == 0, "where the frames went");
	TEST_ASSERT_SUCCESS(wait_link(tp.port, tp.ifname, true, 3000), "link not up after flaps");
	return tp_close();
}

/* A thread that deletes a link once the pump has done some rounds. */
static struct {
	uint32_t after;
	unsigned int ifindex;
	int ret;
	RTE_ATOMIC(uint32_t) done;
} killer;

static uint32_t
killer_run(void *arg)
{
	uint64_t deadline = deadline_ms(WAIT_MS);

	RTE_SET_USED(arg);
	while (rte_atomic_load_explicit(&pump.rounds, rte_memory_order_acquire) < killer.after &&
	       !expired(deadline))
		rte_delay_us_sleep(100);
	killer.ret = kern_del_link(killer.ifindex);
	rte_atomic_store_explicit(&killer.done, 1, rte_memory_order_release);
	return 0;
}

/* The interface deleted mid-traffic: bursts go on, oerrors count, start fails, close is clean. */
static int
test_rtap_link_del(void)
{
	uint64_t deadline = deadline_ms(2 * WAIT_MS), taken0;
	unsigned int since = ifindex_scan(0, NULL);
	struct rte_eth_stats st0, st;
	struct rte_eth_link link;
	char leaked[IF_NAMESIZE];

	TEST_ASSERT_SUCCESS(pump_start("dl", NULL), "no pump");
	memset(&killer, 0, sizeof(killer));
	killer.after = 20;
	killer.ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT_SUCCESS(ctx_thread(killer_run, NULL), "no thread");
	while (!rte_atomic_load_explicit(&killer.done, rte_memory_order_acquire)) {
		TEST_ASSERT_SUCCESS(pump_rounds(1), "traffic during deletion");
		/* Paced while the kernel deletes: frames left for after */
		if (pump.rounds > killer.after)
			rte_delay_us_block(200);
		TEST_ASSERT(!expired(deadline), "not deleted within %d ms", 2 * WAIT_MS);
	}
	ctx_join();
	TEST_ASSERT(killer.ret == 0 && wait_if_gone(tp.ifname, WAIT_MS) == 0,
		    "RTM_DELLINK of %s: %s, or not gone", tp.ifname, strerror(-killer.ret));
	/* From here on, every frame tx_burst takes is an error */
	tx_reap(tp.port, PUMP_QUEUES);
	taken0 = pump.taken;
	TEST_ASSERT(rte_eth_stats_get(tp.port, &st0) == 0 && pump_rounds(50) == 0 &&
		    pump_check(false) == 0 && rte_eth_stats_get(tp.port, &st) == 0,
		    "traffic after deletion");
	TEST_ASSERT(eq("opackets", st.opackets, st0.opackets) == 0 &&
		    eq("oerrors added", st.oerrors - st0.oerrors, pump.taken - taken0) == 0,
		    "frames taken after the deletion");
	/* Each read ended once with EBADFD and is not posted again */
	TEST_ASSERT(pump_rounds(50) == 0 && rte_eth_stats_get(tp.port, &st0) == 0 &&
		    eq("ierrors", st0.ierrors, st.ierrors) == 0, "Rx of the deleted interface");
	TEST_ASSERT_SUCCESS(pool_running_check(tp.port, PUMP_QUEUES, tp.mp, pump.avail_run),
			    "Rx rings lost or kept mbufs");
	memset(&link, 0, sizeof(link));
	TEST_ASSERT(rte_eth_link_get_nowait(tp.port, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_DOWN, "link up with the interface deleted");
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 && rte_eth_dev_start(tp.port) != 0 &&
		    tp_close() == 0, "stop or close failed, or start succeeded with no interface");
	TEST_ASSERT_EQUAL(ifindex_scan(since, leaked), 0, "interface %s appeared after close",
			  leaked);
	return TEST_SUCCESS;
}

/* Move the interface to netns nsfd mid-traffic, follow it there (same ifindex), set it up. */
static int
pump_move(const char *ifname, unsigned int ifindex, int nsfd)
{
	int ret = kern_set_netns(ifindex, nsfd);

	TEST_ASSERT_SUCCESS(ret, "cannot move %s to another namespace: %s", ifname, strerror(-ret));
	pump.link_up = false;
	TEST_ASSERT(pump_rounds(5) == 0 && netns_switch(nsfd) == 0, "cannot follow %s", ifname);
	ctx_close_sock(tp.sock);
	TEST_ASSERT_EQUAL(if_nametoindex(ifname), ifindex, "%s has ifindex %u after the move, %u "
			  "before", ifname, if_nametoindex(ifname), ifindex);
	kern_ipv6_quiet(ifindex);
	TEST_ASSERT_SUCCESS(pump_link(0, ifindex, true), "link up after the move");
	tp.sock = pkt_open(ifname);
	TEST_ASSERT(tp.sock >= 0, "no packet socket on %s", ifname);
	return pkt_bypass_qdisc(tp.sock);
}

/*
 * The interface renamed while down (traffic resumes when up, set_mtu reaches the new name), moved
 * to another netns and back, and there again, with traffic running: the data path follows it (by
 * ifindex), control only at home (the port's rtnetlink socket stays there: set_mtu fails away,
 * link_get reports the port's own state); close deletes it away.
 */
static int
test_rtap_netns_move(void)
{
	struct rte_eth_link link;
	char name2[IF_NAMESIZE];
	unsigned int ifindex;
	int kmtu = 0;

	if (netns_other() != 0)
		return TEST_SKIPPED;
	make_ifname(name2, "mv2");
	ctx_add_ifname(name2);
	TEST_ASSERT_SUCCESS(pump_start("mv", NULL), "no pump");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT(pump_link(20, ifindex, false) == 0 && pump_rounds(5) == 0 &&
		    rename_check(ifindex, tp.ifname, name2) == 0 &&
		    pump_link(5, ifindex, true) == 0 && pump_resume(20) == 0 &&
		    mtu_set_kern(tp.port, name2, 1400, &kmtu) == 0, "renamed to %s", name2);
	TEST_ASSERT(pump_move(name2, ifindex, ctx.other_ns) == 0 && pump_resume(20) == 0,
		    "in the other namespace");
	TEST_ASSERT(rte_eth_dev_set_mtu(tp.port, 1300) != 0 && kern_mtu(name2, &kmtu) == 0 &&
		    kmtu == 1400, "set_mtu 1300 reached the other namespace: kernel MTU %d, 1400 "
		    "expected", kmtu);
	memset(&link, 0, sizeof(link));
	TEST_ASSERT(rte_eth_link_get_nowait(tp.port, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP,
		    "link down, the port's own state (started) expected");
	TEST_ASSERT(pump_move(name2, ifindex, ctx.home_ns) == 0 && pump_resume(20) == 0 &&
		    mtu_set_kern(tp.port, name2, 1300, &kmtu) == 0, "back home (kernel MTU %d)",
		    kmtu);
	TEST_ASSERT_SUCCESS(pump_check(true), "where the frames went");
	/* Closed while away: it goes there too */
	TEST_ASSERT_SUCCESS(pump_move(name2, ifindex, ctx.other_ns), "move");
	strlcpy(tp.ifname, name2, sizeof(tp.ifname));
	TEST_ASSERT_SUCCESS(tp_close(), "close in the other namespace");
	return netns_switch(ctx.home_ns);
}

#define RECONF_CYCLES		200
#define RECONF_FRAMES		4	/* each way, per queue and cycle */

/* Frames per queue each way, short and of the MTU, Tx in chains if chains; in_flight: no wait. */
static int
reconf_traffic(uint16_t nb_q, uint16_t mtu, bool chains, uint32_t base, bool in_flight)
{
	static uint32_t rxlen[RECONF_FRAMES * 4], txlen[RECONF_FRAMES * 4];
	const uint32_t nb = RECONF_FRAMES * nb_q, rxmax = mtu + RTE_ETHER_HDR_LEN;
	const uint32_t txmax = chains ? rxmax :
		RTE_MIN(rxmax, (uint32_t)RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN);
	struct rte_mbuf *pkts[RECONF_FRAMES];
	uint32_t i, seq;
	uint16_t q;

	for (i = 0; i < nb; i++) {
		rxlen[i] = i % 2 == 0 ? rxmax : 60 + i;
		txlen[i] = i % 2 == 0 ? txmax : 60 + i;
	}
	rx_track_init(&rxt, tp.port, base, nb, rxlen, 0, 16);
	cap_track_init(&capt, base + nb, nb, txlen, 0);
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, base, nb, rxlen, 0, 16), "cannot inject");
	for (q = 0; q < nb_q; q++) {
		for (i = 0; i < RECONF_FRAMES; i++) {
			seq = q * RECONF_FRAMES + i;
			frame_build(frame_buf, txlen[seq], base + nb + seq, 0);
			pkts[i] = mbuf_chunks(tp.mp, frame_buf, txlen[seq],
					      chains ? 1000 : UINT16_MAX);
			TEST_ASSERT_NOT_NULL(pkts[i], "no frame %u", seq);
		}
		TEST_ASSERT_SUCCESS(tx_all(tp.port, q, pkts, RECONF_FRAMES), "Tx on queue %u", q);
	}
	TEST_ASSERT(in_flight || rx_poll(&rxt, nb_q, WAIT_MS, 0) == 0, "Rx frames");
	return in_flight ? TEST_SUCCESS : cap_poll(tp.sock, &capt, WAIT_MS, 0);
}

/* Cycle c of queues, descriptors, MTU and offloads: all follows, stop returns every mbuf, fd. */
static int
reconf_cycle(unsigned int c, int *fds_at)
{
	static const struct {
		uint64_t offloads;
		uint16_t mtu;
	} rxv[] = { { 0, RTE_ETHER_MTU }, { RTE_ETH_RX_OFFLOAD_SCATTER, JUMBO_MTU },
		{ RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM, 1280 },
		{ RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO, RTE_ETHER_MTU },
		{ RTE_ETH_RX_OFFLOAD_SCATTER, 2000 } };
	static const uint64_t txv[] = { 0, RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO };
	const unsigned int r = c % RTE_DIM(rxv);
	const uint16_t nb_q = 1 + c % 4, mtu = rxv[r].mtu;
	/* LRO: 35 mbufs per descriptor */
	const uint16_t nb_desc = rxv[r].offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO ? 64 :
		64 << (c / 4 % 4);
	struct rte_eth_conf conf = { .rxmode = { .mtu = mtu, .offloads = rxv[r].offloads },
		.txmode = { .offloads = txv[c % RTE_DIM(txv)] } };
	bool scatter = !!(rxv[r].offloads & RTE_ETH_RX_OFFLOAD_SCATTER);
	struct rte_eth_rxq_info rqi;
	struct rte_eth_txq_info tqi;
	int kmtu = 0;
	uint16_t q;

	TEST_ASSERT_SUCCESS(port_start(tp.port, nb_q, &conf, tp.mp, nb_desc, nb_desc),
			    "start with %u queues of %u descriptors, MTU %u, offloads Rx 0x%" PRIx64
			    " Tx 0x%" PRIx64, nb_q, nb_desc, mtu, conf.rxmode.offloads,
			    conf.txmode.offloads);
	TEST_ASSERT(kern_mtu(tp.ifname, &kmtu) == 0 && kmtu == mtu, "kernel MTU %d, %u expected",
		    kmtu, mtu);
	/* What rte_eth_rx/tx_queue_info_get() tell of every queue */
	for (q = 0; q < nb_q; q++)
		TEST_ASSERT(rte_eth_rx_queue_info_get(tp.port, q, &rqi) == 0 &&
			    rte_eth_tx_queue_info_get(tp.port, q, &tqi) == 0 && rqi.mp == tp.mp &&
			    rqi.nb_desc == nb_desc && rqi.scattered_rx == scatter &&
			    rqi.conf.offloads == conf.rxmode.offloads && tqi.nb_desc == nb_desc &&
			    tqi.conf.offloads == conf.txmode.offloads,
			    "queue %u: Rx mp %s, %u descriptors, scattered %u, offloads 0x%" PRIx64
			    "; Tx %u descriptors, offloads 0x%" PRIx64 "; expected %u descriptors, "
			    "offloads 0x%" PRIx64 " and 0x%" PRIx64, q, rqi.mp != NULL ?
			    rqi.mp->name : "-", rqi.nb_desc, rqi.scattered_rx, rqi.conf.offloads,
			    tqi.nb_desc, tqi.conf.offloads, nb_desc, conf.rxmode.offloads,
			    conf.txmode.offloads);
	/* The socket was left with the ENETDOWN of the last stop */
	pkt_clear_error(tp.sock);
	TEST_ASSERT(reconf_traffic(nb_q, mtu, conf.txmode.offloads != 0, c * 1000,
				   c % 8 == 7) == 0 && rte_eth_dev_stop(tp.port) == 0,
		    "traffic with %u queues of %u descriptors, MTU %u; or stop", nb_q, nb_desc,
		    mtu);
	if (fds_at[nb_q] < 0)
		fds_at[nb_q] = count_fds();
	TEST_ASSERT(eq("free mbufs", rte_mempool_avail_count(tp.mp), tp.avail0) == 0 &&
		    eq("open files", count_fds(), fds_at[nb_q]) == 0,
		    "after stop (as at the last stop with %u queues)", nb_q);
	return TEST_SUCCESS;
}

/* RECONF_CYCLES stop/reconfigure/start cycles with traffic; close leaves nothing behind. */
static int
test_rtap_reconfigure(void)
{
	int fds_at[5] = { -1, -1, -1, -1, -1 };
	unsigned int c;

	/* 4 queues of 512 descriptors of 5 mbufs (MTU 9000), and traffic */
	TEST_ASSERT(drv_pool(16384) == 0 && probe_iface("rc", tp.vdev, &tp.port, tp.ifname) == 0,
		    "no mempool or port");
	tp.sock = pkt_open(tp.ifname);
	TEST_ASSERT(tp.sock >= 0 && pkt_bypass_qdisc(tp.sock) == 0, "no packet socket");
	for (c = 0; c < RECONF_CYCLES; c++)
		TEST_ASSERT_SUCCESS(reconf_cycle(c, fds_at), "cycle %u", c);
	return tp_close();
}

#define EL_NB			8
#define EL_SEQ			7000

/* ierrors, and the mbufs out of tp.mp, now. */
static int
held_now(uint64_t *ierrors, unsigned int *held)
{
	struct rte_eth_stats st;

	*held = tp.avail0 - rte_mempool_avail_count(tp.mp);
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "no stats");
	*ierrors = st.ierrors;
	return TEST_SUCCESS;
}

/*
 * A stop whose cancel cannot reach the kernel gives up after the drain time: the buffers the
 * kernel holds are kept, each counted once in ierrors; a start from a thread that can enter gets
 * them back. A close that gives up too leaves only those buffers behind.
 */
static int
test_rtap_drain_timeout(void)
{
	unsigned int held, held2;
	uint64_t ierr, ierr2;
	int ret;

	TEST_ASSERT_SUCCESS(drv_port("dt", 1, NULL, NB_MBUF, NB_RXD), "no port");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "no stats_reset");
	ret = enterless_run(EL_STOP, NULL, 0);
	if (ret == EL_NOFILTER)
		return TEST_SKIPPED;
	TEST_ASSERT(ret == 0 && held_now(&ierr, &held) == 0 && held == NB_RXD && ierr > 0 &&
		    ierr <= held, "stop that gave up: %d, %u mbufs held, ierrors %" PRIu64
		    " (expected 1..%u)", ret, held, ierr, NB_RXD);
	TEST_ASSERT(rte_eth_dev_start(tp.port) == 0 && path_ready(tp.port, 1, tp.ifname,
		    tp.sock) == 0, "no start, or no path, after a stop that gave up");
	TEST_ASSERT(held_now(&ierr2, &held2) == 0 && eq("ierrors", ierr2, ierr) == 0,
		    "buffers given back after the stop counted again");
	TEST_ASSERT(enterless_run(EL_STOP, NULL, 0) == 0 && held_now(&ierr, &held) == 0 &&
		    enterless_run(EL_CLOSE, NULL, 0) == 0 && if_gone_check(tp.ifname) == 0 &&
		    fds_check(tp.fds0) == 0, "close after a stop that gave up");
	/* Left to the kernel: what the stop counted holds them */
	return pool_check(tp.mp, tp.avail0 - held);
}

/* Start tp.port with the driver's debug log caught: *mshot if it says "one multishot read". */
static int
start_logged(bool *mshot)
{
	int type = rte_log_register("pmd.net.rtap"), level = rte_log_get_level(type), ret;
	FILE *prev = rte_log_get_stream(), *f;
	char *buf = NULL;
	size_t len = 0;

	f = open_memstream(&buf, &len);
	TEST_ASSERT_NOT_NULL(f, "no memstream");
	rte_openlog_stream(f);
	rte_log_set_level(type, RTE_LOG_DEBUG);
	ret = rte_eth_dev_start(tp.port);
	rte_log_set_level(type, level);
	rte_openlog_stream(prev);
	fclose(f);
	*mshot = buf != NULL && strstr(buf, "one multishot read") != NULL;
	free(buf);
	return ret;
}

/* A start that fails for want of mbufs leaves nothing behind: the next takes the same Rx path. */
static int
test_rtap_start_nombuf(void)
{
	static struct rte_mbuf *hoard[NB_MBUF];
	unsigned int nb = 0;
	bool mshot0, mshot;
	int ret;

	TEST_ASSERT(tp_probe("sn") == 0 &&
		    port_setup(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    start_logged(&mshot0) == 0 && rte_eth_dev_stop(tp.port) == 0, "no first start");
	/* Half a queue's worth left in the pool */
	while (rte_mempool_avail_count(tp.mp) > NB_RXD / 2 &&
	       (hoard[nb] = rte_pktmbuf_alloc(tp.mp)) != NULL)
		nb++;
	ret = rte_eth_dev_start(tp.port);
	rte_pktmbuf_free_bulk(hoard, nb);
	TEST_ASSERT(ret == -ENOMEM, "start with %u free mbufs for %u descriptors: %d, not -ENOMEM",
		    NB_RXD / 2, NB_RXD, ret);
	TEST_ASSERT(start_logged(&mshot) == 0 && mshot == mshot0, "start after a failed one: "
		    "multishot %d, at the first start %d", mshot, mshot0);
	rx_track_init(&rxt, tp.port, EL_SEQ, 64, NULL, 200, 0);
	cap_track_init(&capt, EL_SEQ, 64, NULL, 200);
	TEST_ASSERT(path_ready(tp.port, 1, tp.ifname, tp.sock) == 0 &&
		    inject_frames(tp.sock, EL_SEQ, 64, NULL, 200, 0) == 0 &&
		    rx_poll(&rxt, 1, WAIT_MS, QUIET_MS) == 0 &&
		    tx_frames(tp.port, 0, tp.mp, EL_SEQ, 64, NULL, 200) == 0 &&
		    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0, "no traffic after the start");
	return tp_close();
}

/* EL_NB frames queued by a thread that cannot submit them (skipped without a filter). */
static int
el_queue(void)
{
	struct rte_mbuf *el_pkts[EL_NB];
	unsigned int i;
	int sent;

	for (i = 0; i < EL_NB; i++)
		el_pkts[i] = mbuf_frame(tp.mp, EL_SEQ + i, 200);
	cap_track_init(&capt, EL_SEQ, EL_NB, NULL, 200);
	sent = enterless_run(EL_TX, el_pkts, EL_NB);
	if (sent == EL_NOFILTER) {
		rte_pktmbuf_free_bulk(el_pkts, EL_NB);
		return TEST_SKIPPED;
	}
	TEST_ASSERT_EQUAL(sent, EL_NB, "tx_burst took %d of %d frames", sent, EL_NB);
	return TEST_SUCCESS;
}

/*
 * Writes a thread could not submit go with the stop's cancel. Away in another netns the
 * interface stays up through the stop (the port's rtnetlink cannot reach it): they complete,
 * and count as sent, each once.
 */
static int
test_rtap_tx_stop_count(void)
{
	struct rte_eth_stats st;
	unsigned int ifindex;
	int sent;

	if (netns_other() != 0)
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(drv_port("tc", 1, NULL, NB_MBUF, NB_RXD), "no port");
	ifindex = if_nametoindex(tp.ifname);
	ctx_close_sock(tp.sock);
	TEST_ASSERT(kern_set_netns(ifindex, ctx.other_ns) == 0 && netns_switch(ctx.other_ns) == 0 &&
		    kern_set_flags(ifindex, IFF_UP, IFF_UP) == 0 &&
		    wait_flags(tp.ifname, IFF_UP | IFF_RUNNING, true, WAIT_MS) == 0 &&
		    (tp.sock = pkt_open(tp.ifname)) >= 0, "%s not up in the other netns", tp.ifname);
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "no stats_reset");
	sent = el_queue();
	if (sent != TEST_SUCCESS)
		return sent;
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 && rte_eth_stats_get(tp.port, &st) == 0 &&
		    eq("opackets", st.opackets, EL_NB) == 0 &&
		    eq("obytes", st.obytes, EL_NB * 200) == 0 && eq("oerrors", st.oerrors, 0) == 0,
		    "writes that completed as the queue stopped");
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS), "frames not sent once");
	TEST_ASSERT_SUCCESS(tp_close(), "close in the other namespace");
	return netns_switch(ctx.home_ns);
}

/* Device removal events of port rmv_port (callback registered if >= 0), from the EAL thread. */
static int rmv_port = -1;
static RTE_ATOMIC(uint32_t) rmv_calls;

static int
rmv_cb(uint16_t port, enum rte_eth_event_type event, void *arg, void *ret_param)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(ret_param);
	if (port == rmv_port && event == RTE_ETH_EVENT_INTR_RMV)
		rte_atomic_fetch_add_explicit(&rmv_calls, 1, rte_memory_order_release);
	return 0;
}

static void
rmv_teardown(void)
{
	if (rmv_port >= 0)
		rte_eth_dev_callback_unregister(rmv_port, RTE_ETH_EVENT_INTR_RMV, rmv_cb, NULL);
	rmv_port = -1;
	drv_teardown();
}

/* Rx of both queues polled for ms; then the link is down, lsc and rmv events came since. */
static int
del_poll(unsigned int ms, struct rte_eth_stats *st, uint32_t since, uint32_t lsc, uint32_t rmv)
{
	uint64_t deadline = deadline_ms(ms);
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_link link;
	uint16_t q;

	for (q = 0; !expired(deadline); q ^= 1) {
		rte_pktmbuf_free_bulk(pkts, rte_eth_rx_burst(tp.port, q, pkts, BURST));
		rte_delay_us_sleep(500);
	}
	memset(&link, 0, sizeof(link));
	TEST_ASSERT(rte_eth_stats_get(tp.port, st) == 0 &&
		    rte_eth_link_get_nowait(tp.port, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_DOWN, "link up, or stats or link_get failed");
	TEST_ASSERT(eq("LSC events", lsc_calls() - since, lsc) == 0 &&
		    eq("RMV events", rte_atomic_load_explicit(&rmv_calls, rte_memory_order_acquire),
		       rmv) == 0, "events of the deleted interface");
	return TEST_SUCCESS;
}

/*
 * The interface deleted under a started port, LSC and RMV on: the link goes down with one LSC
 * and one RMV event, each posted read ends once in ierrors; start then fails with -ENODEV and
 * close leaves nothing. Probed again, a new interface of the name carries traffic both ways.
 */
static int
test_rtap_link_del_rmv(void)
{
	static const uint32_t len[] = { 60, 1514, 333, 64 };
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1, .rmv = 1 } };
	struct rte_eth_stats st, st2;
	uint32_t since;
	int ret;

	TEST_ASSERT_SUCCESS(drv_port("rv", 2, &conf, NB_MBUF, NB_RXD), "no port");
	rmv_calls = 0;
	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(tp.port, RTE_ETH_EVENT_INTR_RMV,
							  rmv_cb, NULL), "no RMV callback");
	rmv_port = tp.port;
	since = lsc_calls();
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 &&
		    kern_del_link(if_nametoindex(tp.ifname)) == 0 &&
		    wait_if_gone(tp.ifname, WAIT_MS) == 0, "%s not deleted", tp.ifname);
	TEST_ASSERT(del_poll(500, &st, since, 1, 1) == 0 && st.ierrors >= 2,
		    "after the deletion, or ierrors %" PRIu64 " (a read a queue)", st.ierrors);
	TEST_ASSERT(del_poll(100, &st2, since, 1, 1) == 0 && st2.ierrors == st.ierrors,
		    "reads posted again on the deleted interface (ierrors %" PRIu64 ")",
		    st2.ierrors);
	ret = rte_eth_dev_stop(tp.port);
	TEST_ASSERT(ret == 0 && (ret = rte_eth_dev_start(tp.port)) == -ENODEV,
		    "stop, or start on the deleted interface: %d, expected -ENODEV", ret);
	TEST_ASSERT(del_poll(100, &st2, since, 1, 1) == 0 && tp_close() == 0,
		    "after the failed start, or close");
	cap_track_init(&capt, 100, RTE_DIM(len), len, 0);
	TEST_ASSERT(drv_port("rv", 1, NULL, NB_MBUF, NB_RXD) == 0 &&
		    rx_frames(0, RTE_DIM(len), len, 0, 0) == 0 &&
		    tx_frames(tp.port, 0, tp.mp, 100, RTE_DIM(len), len, 0) == 0 &&
		    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0,
		    "no traffic both ways through %s probed again", tp.ifname);
	return tp_close();
}

/* tp with 2 Rx / 3 Tx queues (Tx queue 2 writes Rx queue 0's fd), started; deferred: all. */
static int
uneven_port(const char *tag, bool deferred)
{
	TEST_ASSERT(drv_pool(NB_MBUF) == 0 && probe_iface(tag, tp.vdev, &tp.port, tp.ifname) == 0 &&
		    (tp.sock = pkt_open(tp.ifname)) >= 0 &&
		    port_setup_uneven(tp.port, 2, 3, NULL, tp.mp, 256, 256, deferred) == 0 &&
		    rte_eth_dev_start(tp.port) == 0 &&
		    wait_flags(tp.ifname, IFF_UP | IFF_RUNNING, true, WAIT_MS) == 0 &&
		    (deferred || path_ready(tp.port, 2, tp.ifname, tp.sock) == 0),
		    "no port %s of 2 Rx / 3 Tx queues", tag);
	return TEST_SUCCESS;
}

/* Stopped Tx queue q takes none of 4 frames (base..) and counts nothing sent or failed. */
static int
tx_refused(uint16_t q, uint32_t base)
{
	struct rte_mbuf *m[4];
	struct rte_eth_stats st;
	uint16_t i, n;

	for (i = 0; i < RTE_DIM(m); i++)
		m[i] = mbuf_frame(tp.mp, base + i, 200);
	for (i = 0; i < RTE_DIM(m); i++)
		TEST_ASSERT_NOT_NULL(m[i], "no mbuf");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "stats_reset");
	n = rte_eth_tx_burst(tp.port, q, m, RTE_DIM(m));
	rte_pktmbuf_free_bulk(&m[n], RTE_DIM(m) - n);
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "stats_get");
	TEST_ASSERT(n == 0 && st.opackets == 0 && st.oerrors == 0, "stopped Tx queue %u took %u "
		    "of %zu frames, or opackets %" PRIu64 " oerrors %" PRIu64 " (0 expected)", q, n,
		    RTE_DIM(m), st.opackets, st.oerrors);
	return TEST_SUCCESS;
}

/*
 * Rx queue 1 of 2 stopped on a running port: its mbufs back, the kernel keeps 2 queues, what
 * it steers to queue 1 is dropped and counted (ierrors when it starts, imissed), never late;
 * Tx queue 1 still writes that fd. Tx queue 1 stopped takes nothing; started, sends again.
 */
static int
test_rtap_queue_stop(void)
{
	struct rte_eth_stats st;
	const uint32_t nb = 256;
	unsigned int avail;
	int kq;

	TEST_ASSERT_SUCCESS(uneven_port("qs", false), "no port");
	tx_reap(tp.port, 3);
	avail = rte_mempool_avail_count(tp.mp);
	TEST_ASSERT(rte_eth_dev_rx_queue_stop(tp.port, 1) == 0 &&
		    pool_running_check(tp.port, 3, tp.mp, avail + 256) == 0,
		    "Rx queue 1 stop failed, or its 256 mbufs not back");
	kq = kern_queues(tp.ifname);
	TEST_ASSERT_EQUAL(kq, 2, "the kernel has %d queues with Rx queue 1 stopped, not 2", kq);
	rx_track_init(&rxt, tp.port, 0, nb, NULL, 128, 64);
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 &&
		    inject_frames(tp.sock, 0, nb, NULL, 128, 64) == 0, "injection failed");
	rx_drain(&rxt, 2, 3 * QUIET_MS, WAIT_MS);
	TEST_ASSERT(rxt.err == 0 && rxt.per_queue[1] == 0 && rxt.got > 0 && rxt.got < nb,
		    "Rx queue 1 stopped: %u frames on it, %u of %u in all (some, not all expected)",
		    rxt.per_queue[1], rxt.got, nb);
	TEST_ASSERT_SUCCESS(tx_queues_send(3, 1000), "Tx with Rx queue 1 stopped");
	TEST_ASSERT(rte_eth_dev_rx_queue_start(tp.port, 1) == 0 &&
		    rte_eth_stats_get(tp.port, &st) == 0 && rxt.got + st.ierrors + st.imissed == nb,
		    "%u frames received, ierrors %" PRIu64 " imissed %" PRIu64 ": %u sent",
		    rxt.got, st.ierrors, st.imissed, nb);
	TEST_ASSERT_SUCCESS(queues_traffic(2, 3, 2000), "after Rx queue 1 started again");
	TEST_ASSERT_EQUAL(rxt.other, 0, "%u frames from before the start came", rxt.other);
	TEST_ASSERT(rte_eth_dev_tx_queue_stop(tp.port, 1) == 0 && tx_refused(1, 3000) == 0 &&
		    rte_eth_dev_tx_queue_start(tp.port, 1) == 0 && tx_queues_send(3, 4000) == 0 &&
		    capt.other == 0, "Tx queue 1 stop and start (%u frames sent stopped came)",
		    capt.other);
	TEST_ASSERT_SUCCESS(pool_running_check(tp.port, 3, tp.mp, avail), "mbufs not back");
	return tp_close();
}

/* Every queue deferred: dev_start moves nothing, takes no mbuf; queue_start, then traffic. */
static int
test_rtap_deferred_start(void)
{
	struct rte_eth_rxq_info rqi;
	struct rte_eth_txq_info tqi;
	uint16_t q;

	TEST_ASSERT_SUCCESS(uneven_port("df", true), "no port");
	TEST_ASSERT(rte_eth_rx_queue_info_get(tp.port, 1, &rqi) == 0 &&
		    rte_eth_tx_queue_info_get(tp.port, 2, &tqi) == 0 &&
		    rqi.conf.rx_deferred_start && tqi.conf.tx_deferred_start,
		    "queue info without deferred start");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(tp.mp), tp.avail0,
			  "deferred Rx queues took mbufs: %u free, %u before",
			  rte_mempool_avail_count(tp.mp), tp.avail0);
	pkt_clear_error(tp.sock);
	rx_track_init(&rxt, tp.port, 0, 64, NULL, 128, 64);
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 0, 64, NULL, 128, 64), "injection failed");
	rx_drain(&rxt, 2, 3 * QUIET_MS, 3 * QUIET_MS);
	TEST_ASSERT(rxt.got == 0 && rxt.other == 0, "%u frames received before queue start",
		    rxt.got + rxt.other);
	for (q = 0; q < 3; q++)
		TEST_ASSERT_SUCCESS(tx_refused(q, 100 + 4 * q), "deferred Tx queue %u", q);
	for (q = 0; q < 3; q++)
		TEST_ASSERT((q == 2 || rte_eth_dev_rx_queue_start(tp.port, q) == 0) &&
			    rte_eth_dev_tx_queue_start(tp.port, q) == 0,
			    "queue %u start failed", q);
	TEST_ASSERT(queues_traffic(2, 3, 1000) == 0 && rxt.other == 0 && capt.other == 0,
		    "no traffic after queue start, or frames from before it came (%u in, %u out)",
		    rxt.other, capt.other);
	return tp_close();
}

/*
 * Queue start and stop: errors on ids beyond the counts and before dev_start. A Tx queue kept
 * by a configure that closed its kernel queue: the start fails until it is set up again.
 */
static int
test_rtap_queue_bad_ids(void)
{
	static const uint16_t bad[] = { 2, 3, 128, UINT16_MAX };
	static const struct rte_eth_conf conf;
	unsigned int i;
	int ret;

	TEST_ASSERT(drv_pool(NB_MBUF) == 0 &&
		    probe_iface("qb", tp.vdev, &tp.port, tp.ifname) == 0 &&
		    port_setup_uneven(tp.port, 2, 3, NULL, tp.mp, 256, 256, false) == 0,
		    "no port of 2 Rx / 3 Tx queues");
	TEST_ASSERT(rte_eth_dev_rx_queue_start(tp.port, 0) < 0 &&
		    rte_eth_dev_tx_queue_start(tp.port, 0) < 0,
		    "queue start before dev_start succeeded");
	TEST_ASSERT(rte_eth_dev_start(tp.port) == 0, "no start");
	for (i = 0; i < RTE_DIM(bad); i++)
		TEST_ASSERT(rte_eth_dev_rx_queue_start(tp.port, bad[i]) < 0 &&
			    rte_eth_dev_rx_queue_stop(tp.port, bad[i]) < 0 &&
			    (bad[i] < 3 || (rte_eth_dev_tx_queue_start(tp.port, bad[i]) < 0 &&
					    rte_eth_dev_tx_queue_stop(tp.port, bad[i]) < 0)),
			    "queue start or stop of queue %u succeeded", bad[i]);
	/* Twice in a row is no error; the port still works after all this. */
	TEST_ASSERT(rte_eth_dev_rx_queue_start(tp.port, 1) == 0 &&
		    rte_eth_dev_tx_queue_stop(tp.port, 2) == 0 &&
		    rte_eth_dev_tx_queue_stop(tp.port, 2) == 0 &&
		    rte_eth_dev_tx_queue_start(tp.port, 2) == 0, "queue start or stop failed");
	tp.sock = pkt_open(tp.ifname);
	TEST_ASSERT(tp.sock >= 0 && path_ready(tp.port, 2, tp.ifname, tp.sock) == 0 &&
		    queues_traffic(2, 3, 0) == 0, "no traffic after the bad queue calls");
	/* One Rx queue fewer: Tx queue 1's kernel queue is closed, it must be set up again. */
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
		    rte_eth_dev_configure(tp.port, 1, 3, &conf) == 0, "no reconfigure to 1 / 3");
	ret = rte_eth_dev_start(tp.port);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "start with Tx queue 1 on a closed kernel queue: %d, "
			  "not -EINVAL", ret);
	TEST_ASSERT(rte_eth_tx_queue_setup(tp.port, 1, 256, rte_eth_dev_socket_id(tp.port),
					   NULL) == 0 && rte_eth_dev_start(tp.port) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0 &&
		    queues_traffic(1, 3, 5000) == 0,
		    "no traffic with 1 / 3 after Tx queue 1 setup");
	/* A Tx queue never set up: the start fails rather than a burst on it later. */
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
		    rte_eth_dev_configure(tp.port, 1, 4, &conf) == 0, "no reconfigure to 1 / 4");
	ret = rte_eth_dev_start(tp.port);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "start with Tx queue 3 not set up: %d, not -EINVAL", ret);
	return tp_close();
}

#define DS_SEQ			9000
#define DS_NB			20	/* under the reads a per-read queue posts */

/* A case body on either Rx path; the per-read one runs in a thread without multishot reads. */
struct path_job {
	int (*body)(bool mshot);
	int ret;
};

static uint32_t
path_thread(void *arg)
{
	struct path_job *j = arg;

	j->ret = seccomp_no_mshot() != 0 ? TEST_SKIPPED : j->body(false);
	return 0;
}

static int
paths_run(int (*body)(bool mshot))
{
	struct path_job j = { .body = body, .ret = TEST_FAILED };

	TEST_ASSERT_SUCCESS(body(true), "with a multishot read");
	TEST_ASSERT_SUCCESS(ctx_thread(path_thread, &j), "no thread");
	ctx_join();
	if (j.ret == TEST_SKIPPED)
		printf("no seccomp filter: the per-read Rx path untested\n");
	TEST_ASSERT(j.ret != TEST_FAILED, "with a read per descriptor");
	return TEST_SUCCESS;
}

/* Bad queue ids and offsets are refused, never read out of the queues. */
static int
desc_bad_input(void)
{
	struct rte_power_monitor_cond pmc;

	TEST_ASSERT(rte_eth_rx_descriptor_status(tp.port, 0, NB_RXD) == -EINVAL &&
		    rte_eth_tx_descriptor_status(tp.port, 0, NB_TXD) == -EINVAL,
		    "offset past the ring accepted");
	TEST_ASSERT(rte_eth_rx_queue_count(tp.port, 1) < 0 &&
		    rte_eth_rx_descriptor_status(tp.port, 1, 0) < 0 &&
		    rte_eth_tx_descriptor_status(tp.port, 1, 0) < 0 &&
		    rte_eth_tx_done_cleanup(tp.port, 1, 0) < 0 &&
		    rte_eth_get_monitor_addr(tp.port, 1, &pmc) < 0, "queue 1 of 1 accepted");
	return TEST_SUCCESS;
}

/* Rx descriptors: DS_NB frames sent from the kernel side wait as DONE, then rx_burst takes them. */
static int
desc_rx_body(bool mshot)
{
	uint64_t deadline = deadline_ms(WAIT_MS);
	int n = 0, last;

	TEST_ASSERT(drv_port("ds", 1, NULL, NB_MBUF, NB_RXD) == 0 && desc_bad_input() == 0,
		    "no port, or bad input taken");
	TEST_ASSERT(rte_eth_rx_queue_count(tp.port, 0) == 0 &&
		    rte_eth_rx_descriptor_status(tp.port, 0, 0) == RTE_ETH_RX_DESC_AVAIL,
		    "idle queue: count %d, descriptor 0 status %d",
		    rte_eth_rx_queue_count(tp.port, 0),
		    rte_eth_rx_descriptor_status(tp.port, 0, 0));
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, DS_SEQ, DS_NB, NULL, 300, 0), "no injection");
	while (!expired(deadline) && (n = rte_eth_rx_queue_count(tp.port, 0)) < DS_NB)
		rte_delay_us_block(200);
	/* A read per descriptor posts 32: the rest of the ring is the driver's */
	last = rte_eth_rx_descriptor_status(tp.port, 0, NB_RXD - 1);
	TEST_ASSERT(n == DS_NB && rte_eth_rx_descriptor_status(tp.port, 0, DS_NB - 1) ==
		    RTE_ETH_RX_DESC_DONE && rte_eth_rx_descriptor_status(tp.port, 0, DS_NB) ==
		    RTE_ETH_RX_DESC_AVAIL && last == (mshot ? RTE_ETH_RX_DESC_AVAIL :
						      RTE_ETH_RX_DESC_UNAVAIL),
		    "%d frames counted of %d sent; last descriptor %d", n, DS_NB, last);
	rx_track_init(&rxt, tp.port, DS_SEQ, DS_NB, NULL, 300, 0);
	TEST_ASSERT(rx_poll(&rxt, 1, WAIT_MS, QUIET_MS) == 0 &&
		    rte_eth_rx_queue_count(tp.port, 0) == 0,
		    "frames not received once, or still counted");
	return tp_close();
}

/* rx_queue_count and rx_descriptor_status on both Rx paths, and bad input. */
static int
test_rtap_desc_rx(void)
{
	return paths_run(desc_rx_body);
}

/* Writes that a thread could not submit are FULL; tx_done_cleanup sends and frees them. */
static int
test_rtap_desc_tx(void)
{
	int sent, st[3], n1, n2;

	TEST_ASSERT_SUCCESS(drv_port("dx", 1, NULL, NB_MBUF, NB_RXD), "no port");
	sent = el_queue();
	if (sent != TEST_SUCCESS)
		return sent;
	st[0] = rte_eth_tx_descriptor_status(tp.port, 0, NB_TXD - EL_NB - 1);
	st[1] = rte_eth_tx_descriptor_status(tp.port, 0, NB_TXD - EL_NB);
	st[2] = rte_eth_tx_descriptor_status(tp.port, 0, NB_TXD - 1);
	TEST_ASSERT(st[0] == RTE_ETH_TX_DESC_DONE && st[1] == RTE_ETH_TX_DESC_FULL &&
		    st[2] == RTE_ETH_TX_DESC_FULL, "%d writes queued: status %d %d %d, expected "
		    "DONE FULL FULL", EL_NB, st[0], st[1], st[2]);
	/* At most 3 freed first, then all the rest */
	n1 = rte_eth_tx_done_cleanup(tp.port, 0, 3);
	n2 = rte_eth_tx_done_cleanup(tp.port, 0, 0);
	TEST_ASSERT(n1 == 3 && n2 == EL_NB - 3 && rte_eth_tx_done_cleanup(tp.port, 0, 0) == 0,
		    "tx_done_cleanup freed %d then %d, expected 3 then %d", n1, n2, EL_NB - 3);
	TEST_ASSERT(rte_eth_tx_descriptor_status(tp.port, 0, NB_TXD - 1) == RTE_ETH_TX_DESC_DONE &&
		    pool_check(tp.mp, tp.avail0 - NB_RXD) == 0, "writes not all done and freed");
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS), "frames not sent once");
	return tp_close();
}

/*
 * Bursts of 64, 256 and the ring both ways: each returns all that wait, byte for byte. With a
 * read per descriptor 32 wait in the queue, the rest in the kernel: the burst posts reads anew.
 */
static int
big_bursts_body(bool mshot)
{
	static const uint16_t sizes[] = { 64, 256, NB_RXD };
	static struct rte_mbuf *pkts[NB_RXD];
	uint64_t deadline;
	unsigned int k, i;
	uint16_t n;

	TEST_ASSERT_SUCCESS(drv_port("bb", 1, NULL, NB_MBUF, NB_RXD), "no port");
	for (k = 0; k < RTE_DIM(sizes); k++) {
		rx_track_init(&rxt, tp.port, 10000 * (k + 1), sizes[k], NULL, 100, 0);
		TEST_ASSERT_SUCCESS(inject_frames(tp.sock, rxt.b.base, sizes[k], NULL, 100, 0),
				    "no injection");
		deadline = deadline_ms(WAIT_MS);
		while (!expired(deadline) && rte_eth_rx_queue_count(tp.port, 0) <
		       (mshot ? sizes[k] : BURST))
			rte_delay_us_block(200);
		n = rte_eth_rx_burst(tp.port, 0, pkts, sizes[k]);
		TEST_ASSERT_EQUAL(n, sizes[k], "burst of %u returned %u", sizes[k], n);
		for (i = 0; i < n; i++)
			rx_account(&rxt, 0, pkts[i]);
		TEST_ASSERT(rxt.b.err == 0 && rxt.b.got == sizes[k], "Rx burst of %u wrong",
			    sizes[k]);
		for (i = 0; i < sizes[k]; i++)
			pkts[i] = mbuf_frame(tp.mp, 20000 * (k + 1) + i, 100);
		cap_track_init(&capt, 20000 * (k + 1), sizes[k], NULL, 100);
		n = rte_eth_tx_burst(tp.port, 0, pkts, sizes[k]);
		rte_pktmbuf_free_bulk(pkts + n, sizes[k] - n);
		TEST_ASSERT(n == sizes[k] && cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0,
			    "Tx burst of %u: %u taken, or not sent once", sizes[k], n);
	}
	return tp_close();
}

static int
test_rtap_big_bursts(void)
{
	return paths_run(big_bursts_body);
}

/* max_lro_pkt_size below 64 KiB: no longer super-packet from the kernel, stream whole. */
static int
test_rtap_lro_max(void)
{
	const uint64_t need = RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER;
	struct rte_eth_conf conf = { .rxmode = { .offloads = need, .max_lro_pkt_size = 9000 } };
	struct rte_eth_dev_info info;
	struct rte_eth_stats st;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	TEST_ASSERT(drv_pool(8192) == 0 && ns_port_start("lm", &conf, tp.mp, 64, false, tp.vdev,
		    &tp.port, tp.ifname, &tp.sock) == 0 && rte_eth_stats_reset(tp.port) == 0 &&
		    rte_eth_dev_info_get(tp.port, &info) == 0, "no port");
	TEST_ASSERT_EQUAL(info.max_lro_pkt_size, UINT16_MAX + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN,
			  "dev_info max_lro_pkt_size %u", info.max_lro_pkt_size);
	TEST_ASSERT_SUCCESS(rx_offload_round(true, conf.rxmode.max_lro_pkt_size),
			    "TCP over LRO limited to %u bytes", conf.rxmode.max_lro_pkt_size);
	/* The kernel kept to gso_max_size: the driver had nothing to drop */
	TEST_ASSERT(rte_eth_stats_get(tp.port, &st) == 0 && st.ierrors == 0,
		    "%" PRIu64 " over-long super-packets dropped", st.ierrors);
	TEST_ASSERT_SUCCESS(tp_close(), "close");
	return netns_switch(ctx.home_ns);
}

static uint64_t
mon_read(const struct rte_power_monitor_cond *pmc)
{
	switch (pmc->size) {
	case 1:
		return *(volatile const uint8_t *)pmc->addr;
	case 2:
		return *(volatile const uint16_t *)pmc->addr;
	case 4:
		return *(volatile const uint32_t *)pmc->addr;
	}
	return *(volatile const uint64_t *)pmc->addr;
}

/* The monitor condition of queue 0 now: its word and whether it says wake. */
static int
mon_get(struct rte_power_monitor_cond *pmc, uint64_t *val, bool *wake)
{
	TEST_ASSERT_SUCCESS(rte_eth_get_monitor_addr(tp.port, 0, pmc), "no monitor address");
	TEST_ASSERT(pmc->addr != NULL && pmc->fn != NULL, "empty monitor condition");
	*val = mon_read(pmc);
	*wake = pmc->fn(*val, pmc->opaque) != 0;
	return TEST_SUCCESS;
}

struct mon_job {
	uint32_t seq;
	int cpu;		/* of the polling thread, which the sender keeps off */
};

static uint32_t
mon_sender(void *arg)
{
	const struct mon_job *j = arg;
	cpu_set_t set;
	int c;

	/* On the poller's CPU the kernel would run the work as it switches over */
	CPU_ZERO(&set);
	for (c = 0; c < CPU_SETSIZE && c < (int)sysconf(_SC_NPROCESSORS_ONLN); c++)
		if (c != j->cpu)
			CPU_SET(c, &set);
	if (CPU_COUNT(&set) > 0)
		sched_setaffinity(0, sizeof(set), &set);
	rte_delay_us_block(2000);
	inject(tp.sock, j->seq, 300, 0);
	return 0;
}

#define MON_ROUNDS		3
/* Rounds until the word is seen changed: a poller preempted then runs the work first. */
#define MON_MAX_ROUNDS		30

/*
 * Idle, the monitor condition says sleep; a frame from another thread makes it say wake while
 * this thread stays out of the kernel (no rx_burst, no system call, a bounded spin); once
 * rx_burst took it, sleep again.  The watched word itself must be seen changed in some round
 * (more rounds until it is, as a poller preempted at that moment runs the work before it looks).
 */
static int
mon_body(bool mshot)
{
	struct rte_power_monitor_cond pmc;
	struct rte_mbuf *m = NULL;
	struct mon_job job;
	uint32_t k, changed = 0;
	uint64_t val0, val, end;
	bool wake;

	TEST_ASSERT_SUCCESS(drv_port("mo", 1, NULL, NB_MBUF, NB_RXD), "no port");
	for (k = 0; k < MON_ROUNDS || (changed == 0 && k < MON_MAX_ROUNDS); k++) {
		job.seq = DS_SEQ + k;
		job.cpu = sched_getcpu();
		if (rte_eth_rx_burst(tp.port, 0, &m, 1) == 1)
			rte_pktmbuf_free(m);	/* not the case's */
		TEST_ASSERT(mon_get(&pmc, &val0, &wake) == 0 && !wake,
			    "idle queue: the monitor says wake (word %#" PRIx64 ")", val0);
		TEST_ASSERT_SUCCESS(ctx_thread(mon_sender, &job), "no sender");
		end = rte_get_timer_cycles() + rte_get_timer_hz() * WAIT_MS / 1000;
		do {
			val = mon_read(&pmc);
			changed += val != val0;
		} while (pmc.fn(val, pmc.opaque) == 0 && rte_get_timer_cycles() < end);
		ctx_join();
		TEST_ASSERT(pmc.fn(val, pmc.opaque) != 0, "round %u: a frame came, the monitor "
			    "still says sleep (word %#" PRIx64 ")", k, val);
		rx_track_init(&rxt, tp.port, job.seq, 1, NULL, 300, 0);
		if (rte_eth_rx_burst(tp.port, 0, &m, 1) == 1)
			rx_account(&rxt, 0, m);
		TEST_ASSERT(rxt.b.got == 1 && rxt.b.err == 0, "frame %u not received once",
			    job.seq);
		TEST_ASSERT(mon_get(&pmc, &val, &wake) == 0 && !wake,
			    "after rx_burst the monitor says wake (word %#" PRIx64 ")", val);
	}
	printf("monitor (%s): word seen changed in %u reads over %u rounds\n",
	       mshot ? "multishot" : "per-read", changed, k);
	TEST_ASSERT(changed > 0, "the watched word never changed in %u rounds", k);
	return tp_close();
}

/* get_monitor_addr on both Rx paths. */
static int
test_rtap_monitor(void)
{
	return paths_run(mon_body);
}

/*
 * IPv4 header checksum, tx_prepare and UDP segmentation. Frames of these cases are UDP (or TCP)
 * from host4:OL_SPORT + idx; the kernel's socket is ol.kport on its address, kern4.
 */
#define OL_SPORT		42000
#define OL_HR			RTE_PKTMBUF_HEADROOM
#define V4			RTE_MBUF_F_TX_IPV4
#define V6			RTE_MBUF_F_TX_IPV6
#define IPCK			RTE_MBUF_F_TX_IP_CKSUM
#define UDPCK			RTE_MBUF_F_TX_UDP_CKSUM

static struct {
	struct rte_ether_addr kmac;	/* the TAP's */
	uint16_t kport;
	int ufd;			/* the kernel's UDP socket */
} ol;

/* Its port on kern4, the TAP's MAC, and the kernel's UDP socket bound there. */
static int
ol_kern_socket(void)
{
	struct sockaddr_in sa;
	socklen_t alen = sizeof(sa);

	ol.ufd = kern_socket(SOCK_DGRAM);
	TEST_ASSERT(ol.ufd >= 0 && getsockname(ol.ufd, (struct sockaddr *)&sa, &alen) == 0 &&
		    rte_eth_macaddr_get(tp.port, &ol.kmac) == 0, "no kernel UDP socket or MAC");
	ol.kport = ntohs(sa.sin_port);
	return TEST_SUCCESS;
}

static int
ol_key(const struct l4_frame *fr)
{
	return rte_is_same_ether_addr(&fr->smac, &host_mac) && fr->sport >= OL_SPORT &&
		fr->sport < OL_SPORT + 64 ? fr->sport - OL_SPORT : -1;
}

/*
 * IPv4 checksum frame idx: UDP to the kernel's socket, its header checksum 0 or garbage as sent
 * (but for IPCK_BAD, which keeps it wrong); the UDP checksum complete, or (odd idx) the
 * pseudo-header one of UDP_CKSUM.  Frames 2 and 3 are shared with the test.
 */
#define IPCK_NB			5
#define IPCK_BAD		4	/* sent without IP_CKSUM */
#define IPCK_LEN(idx)		(200 + 10 * (idx))

static uint32_t
ipck_frame(uint32_t idx, uint8_t *buf, bool sent)
{
	struct l4_frame fr = { .dmac = ol.kmac, .smac = host_mac, .proto = IPPROTO_UDP,
		.src = host4, .dst = kern4, .sport = OL_SPORT + idx, .dport = ol.kport,
		.stream_off = 1000 * idx, .ol_flags = V4 | UDPCK, .phdr = idx % 2 == 1 };
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + RTE_ETHER_HDR_LEN);
	uint32_t len = l4_build(buf, &fr, IPCK_LEN(idx));

	if (sent || idx == IPCK_BAD)
		ip->hdr_checksum = idx == 0 ? 0 : rte_cpu_to_be_16(0xbeef);
	return len;
}

/* Frames arrived at the kernel's socket: each once, whole, but the one with a bad checksum. */
static int
ipck_sock_check(void)
{
	uint64_t deadline = deadline_ms(WAIT_MS);
	uint8_t seen[IPCK_NB] = { 0 };
	struct sockaddr_in sa;
	uint32_t got = 0, idx;
	bool quiet = false;
	socklen_t alen;
	ssize_t n;

	do {
		alen = sizeof(sa);
		n = recvfrom(ol.ufd, frame_buf, sizeof(frame_buf), MSG_DONTWAIT,
			     (struct sockaddr *)&sa, &alen);
		if (n < 0) {
			rte_delay_ms(1);
			continue;
		}
		idx = ntohs(sa.sin_port) - OL_SPORT;
		TEST_ASSERT(idx < IPCK_NB && seen[idx]++ == 0 && n == IPCK_LEN(idx) &&
			    stream_check(frame_buf, n, 1000 * idx) == 0,
			    "kernel socket: %zd byte datagram from port %u", n, ntohs(sa.sin_port));
		got++;
	} while (!batch_over(got == IPCK_NB - 1, &quiet, &deadline, QUIET_MS));
	TEST_ASSERT(seen[IPCK_BAD] == 0, "the kernel took a frame with a bad IPv4 checksum");
	TEST_ASSERT_EQUAL(got, IPCK_NB - 1, "the kernel's socket got %u of %u datagrams", got,
			  IPCK_NB - 1);
	return TEST_SUCCESS;
}

/* IP_CKSUM: the kernel gets the right header checksum (it drops others); shared ones untouched. */
static int
test_rtap_tx_ip_cksum(void)
{
	struct rte_eth_conf conf = { .txmode.offloads = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	static uint8_t held[2][512];
	struct rte_mbuf *pkts[IPCK_NB];
	uint16_t seg[3];
	uint32_t i, flen;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	TEST_ASSERT(drv_pool(NB_MBUF) == 0 && ns_port_start("ipck", &conf, tp.mp, NB_RXD, false,
			tp.vdev, &tp.port, tp.ifname, &tp.sock) == 0 &&
		    offload_capa_check(tp.port, false, conf.txmode.offloads) == 0 &&
		    ol_kern_socket() == 0, "no port with IPv4 checksum offload");
	for (i = 0; i < IPCK_NB; i++) {
		flen = ipck_frame(i, frame_buf, true);
		/* frame 1 in a chain: headers, then 100 bytes, then the rest */
		seg[0] = i == 1 ? 42 : (uint16_t)flen;
		seg[1] = 100;
		seg[2] = (uint16_t)(flen - 142);
		pkts[i] = mbuf_build(tp.mp, frame_buf, seg, i == 1 ? 3 : 1, OL_HR);
		TEST_ASSERT_NOT_NULL(pkts[i], "cannot build frame %u", i);
		pkts[i]->ol_flags = V4 | (i != IPCK_BAD ? IPCK : 0) | (i % 2 ? UDPCK : 0);
		pkts[i]->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN, 20, 8, 0, 0, 0, 0);
		if (i == 2 || i == 3) {
			rte_pktmbuf_refcnt_update(pkts[i], 1);
			headroom_fill(pkts[i], 0x5a);
			memcpy(held[i - 2], frame_buf, flen);
		}
	}
	TEST_ASSERT(tx_all(tp.port, 0, pkts, IPCK_NB) == 0 &&
		    kern_collect(tp.sock, IPCK_NB, WAIT_MS, ol_key, ipck_frame) == 0 &&
		    ipck_sock_check() == 0, "frames not on the kernel side as expected");
	tx_reap(tp.port, 1);
	for (i = 2; i <= 3; i++) {
		TEST_ASSERT(memcmp(rte_pktmbuf_mtod(pkts[i], uint8_t *), held[i - 2],
				   pkts[i]->data_len) == 0 &&
			    headroom_check(pkts[i], 0x5a, "shared frame") == 0,
			    "tx changed frame %u, which it shares with the application", i);
		rte_pktmbuf_free(pkts[i]);
	}
	return tp_close();
}

/*
 * Frames injected on the kernel side with the IPv4 header checksum flags they must arrive with:
 * good and bad, plain and VLAN-tagged, and no IPv4 at all (the test ethertype).
 */
#define RIP_NB			5

static uint32_t
rip_frame(uint32_t idx, uint8_t *buf, uint64_t *flags)
{
	static const uint64_t want[RIP_NB] = { RTE_MBUF_F_RX_IP_CKSUM_GOOD,
		RTE_MBUF_F_RX_IP_CKSUM_BAD, RTE_MBUF_F_RX_IP_CKSUM_GOOD,
		RTE_MBUF_F_RX_IP_CKSUM_BAD, RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN };
	struct l4_frame fr;
	uint32_t len;

	*flags = want[idx];
	if (idx == RIP_NB - 1) {
		frame_build(buf, 300, 77, 0);
		return 300;
	}
	fwd_frame_init(&fr, false, IPPROTO_UDP);
	fr.sport = OL_SPORT + idx;
	fr.phdr = false;
	len = l4_build(buf + (idx >= 2 ? RTE_VLAN_HLEN : 0), &fr, 300);
	if (idx >= 2) {
		/* the MACs before the tag, the tag in place of the ethertype */
		memmove(buf, buf + RTE_VLAN_HLEN, 2 * RTE_ETHER_ADDR_LEN);
		put16(buf + 12, RTE_ETHER_TYPE_VLAN);
		put16(buf + 14, 42);
		len += RTE_VLAN_HLEN;
	}
	if (idx % 2 == 1)
		buf[RTE_ETHER_HDR_LEN + (idx >= 2 ? RTE_VLAN_HLEN : 0) + 10] ^= 0x11;
	return len;
}

/* Each frame injected arrives once unchanged, with the flags expected (offload asked) or none. */
static int
rip_round(bool offload)
{
	static uint8_t f[RIP_NB][512];
	uint64_t deadline = deadline_ms(WAIT_MS), want[RIP_NB], fl;
	uint32_t len[RIP_NB], got = 0, i;
	uint8_t seen[RIP_NB] = { 0 };
	struct rte_mbuf *m;
	bool quiet = false;

	for (i = 0; i < RIP_NB; i++) {
		len[i] = rip_frame(i, f[i], &want[i]);
		TEST_ASSERT_SUCCESS(pkt_send(tp.sock, f[i], len[i]), "injection %u failed", i);
	}
	do {
		if (rte_eth_rx_burst(tp.port, 0, &m, 1) == 0) {
			rte_delay_ms(1);
			continue;
		}
		for (i = 0; i < RIP_NB; i++)
			if (m->pkt_len == len[i] && memcmp(mbuf_linear(m), f[i], len[i]) == 0)
				break;
		fl = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
		rte_pktmbuf_free(m);
		if (i == RIP_NB)
			continue;	/* the kernel's own */
		TEST_ASSERT(seen[i]++ == 0, "frame %u twice", i);
		if (!offload)
			want[i] = 0;
		TEST_ASSERT_EQUAL(fl, want[i], "frame %u: IP checksum flags 0x%" PRIx64
				  ", expected 0x%" PRIx64, i, fl, want[i]);
		got++;
	} while (!batch_over(got == RIP_NB, &quiet, &deadline, QUIET_MS));
	TEST_ASSERT_EQUAL(got, (uint32_t)RIP_NB, "%u of %u frames arrived", got, RIP_NB);
	return TEST_SUCCESS;
}

/* RX_OFFLOAD_IPV4_CKSUM: GOOD, BAD or UNKNOWN as the header says; without it, no flag. */
static int
test_rtap_rx_ip_cksum(void)
{
	TEST_ASSERT_SUCCESS(tp_start("rip", 1, RTE_ETH_RX_OFFLOAD_IPV4_CKSUM, 0, NB_RXD),
			    "no port with Rx IPv4 checksum offload");
	TEST_ASSERT(offload_capa_check(tp.port, true, RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) == 0 &&
		    rip_round(true) == 0, "with the offload");
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
		    port_start(tp.port, 1, NULL, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0 && rip_round(false) == 0,
		    "without the offload");
	return tp_close();
}

/*
 * What tx_prepare must refuse, and with which rte_errno: a TCP (tcp) or UDP frame of 300 payload
 * bytes in segments of at most chunk, l3_len 20 and l4_len of its header unless set, tso_segsz
 * mss.  Those marked dropped, tx_burst drops too (the others it can carry out all the same).
 */
#define TSO4			(RTE_MBUF_F_TX_TCP_SEG | V4)

static const struct prep_bad {
	const char *what;
	uint64_t ol;
	int err;
	bool dropped, tcp;
	uint16_t l3, l4, mss, chunk, nb_segs;
} prep_bad[] = {
	{ "IPv4 checksum, l3_len 16", V4 | IPCK, EINVAL, true, .l3 = 16 },
	{ "IPv4 checksum, l3_len 24 for a 20-byte header", V4 | IPCK, EINVAL, true, .l3 = 24 },
	{ "IPv4 checksum of an IPv6 packet", V6 | IPCK, EINVAL, true },
	{ "IPv4 checksum, header beyond the first segment", V4 | IPCK, EINVAL, true, .chunk = 30 },
	{ "UDP checksum without IPv4 or IPv6", UDPCK, EINVAL, false },
	{ "UDP checksum, header beyond the first segment", V4 | UDPCK, EINVAL, true, .chunk = 40 },
	{ "TSO, tso_segsz 0", TSO4, EINVAL, true, .tcp = true },
	{ "TSO, l4_len 8", TSO4, EINVAL, true, .tcp = true, .l4 = 8, .mss = 100 },
	{ "TSO without IPv4 or IPv6", RTE_MBUF_F_TX_TCP_SEG, EINVAL, true, .tcp = true,
	  .mss = 100 },
	{ "TSO, headers beyond the first segment", TSO4, EINVAL, true, .tcp = true, .mss = 100,
	  .chunk = 50 },
	{ "nb_segs 3 for 2 segments", 0, EINVAL, true, .chunk = 200, .nb_segs = 3 },
	{ "chain of 33 segments", 0, EINVAL, true, .tcp = true, .chunk = 11 },
	{ "SCTP checksum", V4 | RTE_MBUF_F_TX_SCTP_CKSUM, ENOTSUP, true },
	{ "VLAN insertion", RTE_MBUF_F_TX_VLAN, ENOTSUP, false },
	{ "IEEE 1588 timestamp", RTE_MBUF_F_TX_IEEE1588_TMST, ENOTSUP, false },
	{ "UDP segmentation, not enabled", V4 | RTE_MBUF_F_TX_UDP_SEG, ENOTSUP, false, .mss = 100 },
};

/* Frame idx: 0 a good one, then prep_bad[idx - 1] as built, before its metadata. */
static uint32_t
prep_frame(uint32_t idx, uint8_t *buf, bool sent __rte_unused)
{
	struct l4_frame fr;

	fwd_frame_init(&fr, false, idx > 0 && prep_bad[idx - 1].tcp ? IPPROTO_TCP : IPPROTO_UDP);
	fr.sport = OL_SPORT + idx;
	fr.phdr = false;
	return l4_build(buf, &fr, 300);
}

static struct rte_mbuf *
prep_mbuf(uint32_t idx)
{
	const struct prep_bad *b = idx > 0 ? &prep_bad[idx - 1] : NULL;
	uint32_t len = prep_frame(idx, frame_buf, true);
	struct rte_mbuf *m;

	m = mbuf_chunks(tp.mp, frame_buf, len, b != NULL && b->chunk != 0 ? b->chunk : len);
	if (m == NULL || b == NULL)
		return m;
	m->ol_flags = b->ol;
	m->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN, b->l3 != 0 ? b->l3 : 20,
					    b->l4 != 0 ? b->l4 : b->tcp ? 20 : 8, b->mss, 0, 0, 0);
	if (b->nb_segs != 0)
		m->nb_segs = b->nb_segs;
	return m;
}

/* TCP frame with TCP_CKSUM (or TSO) and 0 in its checksum field, which tx_prepare fills. */
static struct rte_mbuf *
phdr_mbuf(uint64_t ol, uint16_t *want)
{
	struct l4_frame fr;
	uint16_t len;
	struct rte_mbuf *m;

	fwd_frame_init(&fr, false, IPPROTO_TCP);
	fr.ol_flags = ol;
	len = (uint16_t)l4_build(frame_buf, &fr, 3000);
	/* as the application would leave it for the driver: the pseudo-header one, or nothing */
	memcpy(want, frame_buf + 50, sizeof(*want));
	memset(frame_buf + 50, 0, sizeof(*want));
	m = mbuf_chunks(tp.mp, frame_buf, len, 1500);
	if (m == NULL)
		return NULL;
	m->ol_flags = ol;
	m->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN, 20, 20, 1000, 0, 0, 0);
	return m;
}

/* Good frames before a bad one: prepared, pseudo-header checksums put in; the bad one refused. */
static int
prep_check(unsigned int k)
{
	struct rte_mbuf *pkts[3];
	uint16_t want[2], got[2], n, i;

	pkts[0] = phdr_mbuf(V4 | RTE_MBUF_F_TX_TCP_CKSUM, &want[0]);
	pkts[1] = phdr_mbuf(TSO4, &want[1]);
	pkts[2] = prep_mbuf(k + 1);
	TEST_ASSERT(pkts[0] != NULL && pkts[1] != NULL && pkts[2] != NULL, "no mbufs");
	rte_errno = 0;
	n = rte_eth_tx_prepare(tp.port, 0, pkts, 3);
	for (i = 0; i < 2; i++)
		memcpy(&got[i], rte_pktmbuf_mtod_offset(pkts[i], uint8_t *, 50), sizeof(got[i]));
	rte_pktmbuf_free_bulk(pkts, 3);
	TEST_ASSERT(n == 2 && rte_errno == prep_bad[k].err, "%s: tx_prepare returned %u "
		    "(rte_errno %d), expected 2 (%d)", prep_bad[k].what, n, rte_errno,
		    prep_bad[k].err);
	TEST_ASSERT(got[0] == want[0] && got[1] == want[1], "pseudo-header checksums 0x%04x "
		    "0x%04x, expected 0x%04x 0x%04x", got[0], got[1], want[0], want[1]);
	return TEST_SUCCESS;
}

/* tx_prepare refuses each malformed request; tx_burst drops those it cannot carry, counted. */
static int
test_rtap_tx_prepare(void)
{
	struct rte_mbuf *pkts[RTE_DIM(prep_bad) + 1], *m;
	uint16_t want, got, nb = 0;
	struct rte_eth_stats st;
	unsigned int k;

	TEST_ASSERT_SUCCESS(tp_start("prep", 1, 0, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
				     RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
				     RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
				     NB_RXD), "no port");
	for (k = 0; k < RTE_DIM(prep_bad); k++)
		TEST_ASSERT_SUCCESS(prep_check(k), "case %u", k);
	/* A buffer it shares with the application tx_prepare leaves as it is */
	m = phdr_mbuf(V4 | RTE_MBUF_F_TX_TCP_CKSUM, &want);
	TEST_ASSERT_NOT_NULL(m, "no mbuf");
	rte_pktmbuf_refcnt_update(m, 1);
	TEST_ASSERT_EQUAL(rte_eth_tx_prepare(tp.port, 0, &m, 1), 1, "shared frame refused");
	memcpy(&got, rte_pktmbuf_mtod_offset(m, uint8_t *, 50), sizeof(got));
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(m);
	TEST_ASSERT_EQUAL(got, 0, "tx_prepare wrote 0x%04x into a shared buffer", got);
	/* Not prepared: a good frame goes, what tx_burst cannot carry is counted, never sent */
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "no stats reset");
	pkts[nb++] = prep_mbuf(0);
	for (k = 0; k < RTE_DIM(prep_bad); k++)
		if (prep_bad[k].dropped)
			pkts[nb++] = prep_mbuf(k + 1);
	for (k = 0; k < nb; k++)
		TEST_ASSERT_NOT_NULL(pkts[k], "no mbuf %u", k);
	TEST_ASSERT(tx_all(tp.port, 0, pkts, nb) == 0 &&
		    kern_collect(tp.sock, 1, WAIT_MS, ol_key, prep_frame) == 0,
		    "not only the good frame on the kernel side");
	tx_reap(tp.port, 1);
	TEST_ASSERT(rte_eth_stats_get(tp.port, &st) == 0 && st.opackets == 1 &&
		    st.oerrors == nb - 1U, "opackets %" PRIu64 " oerrors %" PRIu64
		    ", expected 1 and %u", st.opackets, st.oerrors, nb - 1U);
	return tp_close();
}

/* UDP segmentation: 20500 payload bytes cut in 1000, over IPv4, IPv6 (shared) and IPv4. */
#define USO_PAYLOAD		20500
#define USO_MSS			1000
#define USO_NB_SEG		((USO_PAYLOAD + USO_MSS - 1) / USO_MSS)
#define USO_NB			3

/* Super-packet idx / USO_NB_SEG as sent, or segment idx as the kernel cuts it. */
static uint32_t
uso_frame(uint32_t idx, uint8_t *buf, bool sent)
{
	uint32_t k = idx / USO_NB_SEG, off = (idx % USO_NB_SEG) * USO_MSS;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + RTE_ETHER_HDR_LEN);
	struct l4_frame fr;
	uint32_t len;

	fwd_frame_init(&fr, k == 1, IPPROTO_UDP);
	fr.sport = OL_SPORT + k;
	fr.dport = 7002;
	fr.stream_off = 100003 * k + (sent ? 0 : off);
	/* The length left out of the pseudo-header, as for TCP (22.11 knows only TCP_SEG) */
	fr.ol_flags = RTE_MBUF_F_TX_TCP_SEG | (fr.ipv6 ? V6 : V4);
	fr.phdr = sent;
	if (sent) {
		len = l4_build(buf, &fr, USO_PAYLOAD);
		if (!fr.ipv6)
			ip->hdr_checksum = rte_cpu_to_be_16(0xbad);
		return len;
	}
	/* Each segment's IPv4 id counts up from the super-packet's */
	len = l4_build(buf, &fr, RTE_MIN((uint32_t)USO_MSS, USO_PAYLOAD - off));
	if (!fr.ipv6)
		ipv4_id_set(buf, fr.sport + off / USO_MSS);
	return len;
}

/* Which segment: by flow and by where its payload comes from in the stream. */
static int
uso_key(const struct l4_frame *fr)
{
	uint32_t k = (uint16_t)(fr->sport - OL_SPORT), s, i;
	/* l4_parse points src into the frame: 12 (IPv4) or 8 (IPv6) bytes into the L3 header */
	const uint8_t *data = fr->src - (fr->ipv6 ? 8 : 12) - fr->l3_off + fr->data_off;

	if (fr->dport != 7002 || k >= USO_NB || fr->data_len < 16)
		return -1;
	for (s = 0; s < USO_NB_SEG; s++) {
		for (i = 0; i < 16; i++)
			if (data[i] != stream_byte(100003 * k + s * USO_MSS + i))
				break;
		if (i == 16)
			return k * USO_NB_SEG + s;
	}
	return USO_NB * USO_NB_SEG;	/* a frame of the test cut where none should be */
}

/* tp running with UDP_TSO if the kernel has it; TEST_SKIPPED (said) if not. */
static int
uso_start(void)
{
	struct rte_eth_conf conf = { .txmode.offloads = RTE_ETH_TX_OFFLOAD_UDP_TSO |
		RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	struct rte_eth_dev_info info;
	int ret;

	ret = hairpin_start("uso", RTE_ETH_TX_OFFLOAD_IPV4_CKSUM);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.port, &info), "no dev_info");
	if (!(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_TSO)) {
		printf("the kernel takes no UDP segmentation (6.2 or later): case skipped\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
		    port_start(tp.port, 1, &conf, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0 &&
		    rte_eth_stats_reset(tp.port) == 0 && rte_eth_xstats_reset(tp.port) == 0,
		    "no restart with UDP segmentation");
	return TEST_SUCCESS;
}

/* The kernel cuts UDP super-packets as the virtio-net header says, checksums right. */
static int
test_rtap_tx_uso(void)
{
	static uint8_t held_hdr[128];
	struct rte_mbuf *pkts[USO_NB], *m;
	struct rte_eth_stats st;
	uint32_t flen, k;
	int ret;

	ret = uso_start();
	if (ret != TEST_SUCCESS)
		return ret;
	for (k = 0; k < USO_NB; k++) {
		flen = uso_frame(k * USO_NB_SEG, big_buf, true);
		m = mbuf_chunks(tp.mp, big_buf, flen, k == 2 ? 1500 : 2000);
		TEST_ASSERT_NOT_NULL(m, "cannot build super-packet %u", k);
		m->ol_flags = RTE_MBUF_F_TX_UDP_SEG | (k == 1 ? V6 : V4 | IPCK);
		m->tx_offload = rte_mbuf_tx_offload(RTE_ETHER_HDR_LEN, k == 1 ? 40 : 20, 8,
						    USO_MSS, 0, 0, 0);
		xs_tx_count(&tp.xs, 0, m);
		pkts[k] = m;
	}
	m = pkts[1];
	rte_pktmbuf_refcnt_update(m, 1);
	headroom_fill(m, 0xa5);
	memcpy(held_hdr, rte_pktmbuf_mtod(m, uint8_t *), sizeof(held_hdr));
	TEST_ASSERT(rte_eth_tx_prepare(tp.port, 0, pkts, USO_NB) == USO_NB &&
		    tx_all(tp.port, 0, pkts, USO_NB) == 0 &&
		    hairpin_collect(USO_NB * USO_NB_SEG, uso_key, uso_frame) == 0,
		    "segments not back as expected");
	tx_reap(tp.port, 1);
	TEST_ASSERT(memcmp(rte_pktmbuf_mtod(m, uint8_t *), held_hdr, sizeof(held_hdr)) == 0 &&
		    headroom_check(m, 0xa5, "shared super-packet") == 0,
		    "tx changed a super-packet it shares with the application");
	rte_pktmbuf_free(m);
	/* the kernel took every write (it refuses a bad header with EINVAL) */
	TEST_ASSERT(rte_eth_stats_get(tp.port, &st) == 0 && st.opackets == USO_NB &&
		    st.oerrors == 0, "opackets %" PRIu64 " oerrors %" PRIu64 ", expected %u and 0",
		    st.opackets, st.oerrors, USO_NB);
	TEST_ASSERT(xs_check(tp.port, 1, &tp.xs) == 0 && port_close_all(tp.port, tp.vdev) == 0,
		    "xstats not right, or close failed");
	return pool_check(tp.mp, tp.avail0);
}

/* UDP super-frames on Rx: a UDP_SEGMENT socket of the kernel sends USO_RX_LEN in USO_MSS. */
#define USO_RX_LEN		10000
#define USO_RX_PORT		5300

/* A frame of the datagram: whole (LRO) or one segment at its place, checksums right. */
static int
uso_rx_frame(struct rte_mbuf *m, bool lro, uint32_t *got)
{
	const uint8_t *f = mbuf_linear(m);
	uint64_t ol = m->ol_flags;
	struct l4_frame fr;
	uint32_t want = lro ? USO_RX_LEN : USO_MSS;

	if (f == NULL || l4_parse(f, m->pkt_len, &fr) != 0 || fr.proto != IPPROTO_UDP ||
	    fr.dport != USO_RX_PORT)
		return TEST_SUCCESS;
	TEST_ASSERT(fr.data_len == want && m->pkt_len == fr.data_off + want &&
		    stream_check(f + fr.data_off, want, *got) == 0 && l4_cksum_ok(f, &fr),
		    "a %u byte datagram at %u (%u byte frame), %u expected, checksum %s",
		    fr.data_len, *got, m->pkt_len, want, l4_cksum_ok(f, &fr) ? "right" : "wrong");
	TEST_ASSERT(!!(ol & RTE_MBUF_F_RX_LRO) == lro && (!lro || m->tso_segsz == USO_MSS),
		    "RX_LRO %d (tso_segsz %u), expected %d (%u)", !!(ol & RTE_MBUF_F_RX_LRO),
		    m->tso_segsz, lro, USO_MSS);
	TEST_ASSERT((ol & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD,
		    "IP checksum flags 0x%" PRIx64 ", GOOD expected", ol);
	*got += fr.data_len;
	return TEST_SUCCESS;
}

/* The kernel sends the datagram with UDP_SEGMENT: with LRO one super-frame comes, else pieces. */
static int
uso_rx_round(bool lro)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(USO_RX_PORT) };
	uint64_t deadline = deadline_ms(WAIT_MS);
	int fd = kern_socket(SOCK_DGRAM), gso = USO_MSS, ret;
	uint32_t got = 0, i;
	struct rte_mbuf *m;
	bool quiet = false;

	TEST_ASSERT(fd >= 0 && setsockopt(fd, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso)) == 0,
		    "no kernel UDP socket with UDP_SEGMENT: %s", strerror(errno));
	memcpy(&sa.sin_addr, host4, sizeof(host4));
	for (i = 0; i < USO_RX_LEN; i++)
		big_buf[i] = stream_byte(i);
	TEST_ASSERT(sendto(fd, big_buf, USO_RX_LEN, 0, (struct sockaddr *)&sa, sizeof(sa)) ==
		    USO_RX_LEN, "kernel UDP_SEGMENT send: %s", strerror(errno));
	do {
		if (rte_eth_rx_burst(tp.port, 0, &m, 1) == 0) {
			rte_delay_ms(1);
			continue;
		}
		ret = uso_rx_frame(m, lro, &got);
		rte_pktmbuf_free(m);
		TEST_ASSERT_SUCCESS(ret, "the datagram came wrong (LRO %d)", lro);
	} while (!batch_over(got == USO_RX_LEN, &quiet, &deadline, QUIET_MS));
	ctx_close_sock(fd);
	TEST_ASSERT_EQUAL(got, (uint32_t)USO_RX_LEN, "%u of %u bytes came (LRO %d)", got,
			  USO_RX_LEN, lro);
	return TEST_SUCCESS;
}

/* LRO takes UDP super-frames too, where the kernel has USO; without LRO the kernel cuts them. */
static int
test_rtap_rx_uso(void)
{
	struct rte_eth_conf conf = { .rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_TCP_LRO |
		RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM,
		.max_lro_pkt_size = UINT16_MAX + RTE_ETHER_HDR_LEN } };
	struct rte_eth_dev_info info;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	TEST_ASSERT(drv_pool(NB_MBUF) == 0 && ns_port_start("usor", &conf, tp.mp, 64, false,
			tp.vdev, &tp.port, tp.ifname, &tp.sock) == 0 &&
		    rte_eth_dev_info_get(tp.port, &info) == 0, "no port with LRO");
	if (!(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_TSO)) {
		printf("the kernel has no UDP segmentation (6.2 or later): LRO round skipped\n");
	} else {
		TEST_ASSERT_SUCCESS(uso_rx_round(true), "with LRO");
	}
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	/* Taking the link down flushed the neighbours, even permanent ones */
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 &&
		    port_start(tp.port, 1, &conf, tp.mp, NB_RXD, NB_TXD) == 0 &&
		    kern_ip_setup(tp.ifname, false, false) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0 && uso_rx_round(false) == 0,
		    "without LRO");
	return tp_close();
}

/*
 * A kernel that does not know some TUNSETOFFLOAD flags, as the driver sees it: the ioctl with
 * any of bits fails (EINVAL) in the calling thread. 0, or EL_NOFILTER without seccomp.
 */
static int
seccomp_offload_refused(uint32_t bits)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TUNSETOFFLOAD, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, bits, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return seccomp_filter(insns, RTE_DIM(insns)) == 0 ? 0 : EL_NOFILTER;
}

/* A kernel before 6.2: TUNSETOFFLOAD with USO4 or USO6 fails. */
static uint32_t
no_uso_probe(void *arg)
{
	int *ret = arg;

	*ret = seccomp_offload_refused(0x20 | 0x40);	/* USO4, USO6 */
	if (*ret == 0)
		*ret = probe_iface("nouso", tp.vdev, &tp.port, tp.ifname);
	return 0;
}

/* Without USO in the kernel: no UDP_TSO offered or taken, and LRO asks for no UDP super-frames. */
static int
test_rtap_no_uso(void)
{
	struct rte_eth_conf conf = { .rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_TCP_LRO |
		RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_IPV4_CKSUM,
		.max_lro_pkt_size = UINT16_MAX + RTE_ETHER_HDR_LEN },
		.txmode.offloads = RTE_ETH_TX_OFFLOAD_UDP_TSO };
	struct rte_eth_dev_info info;
	int ret = EL_NOFILTER;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	TEST_ASSERT(drv_pool(NB_MBUF) == 0 && ctx_thread(no_uso_probe, &ret) == 0,
		    "no pool or thread");
	ctx_join();
	if (ret == EL_NOFILTER) {
		printf("no seccomp filter: case skipped\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT_SUCCESS(ret, "no probe where the kernel refuses USO");
	TEST_ASSERT(rte_eth_dev_info_get(tp.port, &info) == 0 &&
		    !(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_TSO), "UDP_TSO offered");
	ret = port_start(tp.port, 1, &conf, tp.mp, 64, NB_TXD);
	TEST_ASSERT(ret != 0, "configure took UDP_TSO where the kernel has no USO");
	conf.txmode.offloads = 0;
	tp.sock = pkt_open(tp.ifname);
	TEST_ASSERT(tp.sock >= 0 && port_start(tp.port, 1, &conf, tp.mp, 64, NB_TXD) == 0 &&
		    kern_ip_setup(tp.ifname, false, false) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0, "no start with LRO");
	/* the kernel cuts the datagram itself: the port never asked for USO */
	TEST_ASSERT_SUCCESS(uso_rx_round(false), "UDP_SEGMENT datagram with LRO, without USO");
	return tp_close();
}

/* Interrupts, link events, faults from outside, reconfiguration. */
/*
 * Tunnel TSO (Linux 6.17): a VXLAN or GENEVE super-packet, outer IPv4 or IPv6, inner IPv4/TCP,
 * through the hairpin bridge.  With no Rx offloads the kernel cuts it at the tap's egress as the
 * long virtio-net header says: every segment must come back as a tunnel endpoint sends it.
 */
#define TNL_PAYLOAD		20000
#define TNL_MSS			1300
#define TNL_NB_SEG		((TNL_PAYLOAD + TNL_MSS - 1) / TNL_MSS)
#define TNL_SPORT		42000
#define TNL_ID			0x3000
#define TNL_SEQ			0x20000001u
#define TNL_TX_OL		(RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO | \
				 RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS)

struct tnl_case {
	bool outer6;
	bool geneve;
	bool csum;		/* outer UDP checksum asked for */
};

static const struct tnl_case *tnl;

/* Outer Ethernet, IP, UDP and tunnel header (8 bytes either) */
static uint32_t
tnl_ohl(void)
{
	return RTE_ETHER_HDR_LEN + (tnl->outer6 ? 40 : 20) + 16;
}

/* The outer headers of a frame of len bytes; a segment's (idx) with what the kernel fills. */
static void
tnl_outer(uint8_t *f, uint32_t len, uint32_t idx, bool sent)
{
	uint8_t *ip = f + RTE_ETHER_HDR_LEN, *uh = f + tnl_ohl() - 16;

	rte_ether_addr_copy(&fwd_mac, (struct rte_ether_addr *)f);
	rte_ether_addr_copy(&host_mac, (struct rte_ether_addr *)(f + RTE_ETHER_ADDR_LEN));
	put16(f + 12, tnl->outer6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, uh + 16 - ip);
	if (tnl->outer6) {
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)(len - RTE_ETHER_HDR_LEN - 40));
		ip[6] = IPPROTO_UDP;
		ip[7] = 64;
		memcpy(ip + 8, host6, 16);
		memcpy(ip + 24, fwd6, 16);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(len - RTE_ETHER_HDR_LEN));
		put16(ip + 4, (uint16_t)(TNL_ID + idx));	/* ids count up per segment */
		put16(ip + 6, 0x4000);
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, host4, 4);
		memcpy(ip + 16, fwd4, 4);
		put16(ip + 10, rte_be_to_cpu_16(rte_ipv4_cksum((struct rte_ipv4_hdr *)ip)));
	}
	put16(uh, TNL_SPORT + 1);
	put16(uh + 2, tnl->geneve ? 6081 : 4789);
	put16(uh + 4, (uint16_t)(f + len - uh));
	/* VXLAN: flag I; GENEVE: no options, Ethernet inside; VNI 42 for both */
	if (tnl->geneve)
		put16(uh + 10, RTE_ETHER_TYPE_TEB);
	else
		uh[8] = 0x08;
	uh[14] = 42;
	/* The driver must replace what the application left in the outer UDP checksum. */
	if (sent)
		put16(uh + 6, 0xdead);
	else if (tnl->csum)
		((struct rte_udp_hdr *)uh)->dgram_cksum = tnl->outer6 ?
			rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)ip, uh) :
			rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)ip, uh);
}

/* The super-packet as sent (pseudo-header TCP checksum), or segment idx of it. */
static uint32_t
tnl_frame(uint32_t idx, uint8_t *f, bool sent)
{
	uint32_t ohl = tnl_ohl(), off = idx * TNL_MSS, len;
	struct rte_ipv4_hdr *iip = (struct rte_ipv4_hdr *)(f + ohl + RTE_ETHER_HDR_LEN);
	struct l4_frame in;

	fwd_frame_init(&in, false, IPPROTO_TCP);
	in.sport = TNL_SPORT;
	in.dport = 7002;
	in.seq = TNL_SEQ + off;
	in.stream_off = off;
	in.ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	in.phdr = sent;
	len = sent ? TNL_PAYLOAD : RTE_MIN((uint32_t)TNL_MSS, TNL_PAYLOAD - off);
	if (!sent && off + len < TNL_PAYLOAD)
		in.tcp_flags = RTE_TCP_ACK_FLAG;	/* only the last segment pushes */
	len = ohl + l4_build(f + ohl, &in, len);
	if (!sent) {
		iip->packet_id = rte_cpu_to_be_16((uint16_t)(TNL_SPORT + idx));
		iip->hdr_checksum = 0;
		iip->hdr_checksum = rte_ipv4_cksum(iip);
	}
	tnl_outer(f, len, idx, sent);
	return len;
}

/* Segment of a test super-packet: its index, TNL_NB_SEG if misplaced; -1 if not the test's. */
static int
tnl_key(const uint8_t *f, uint32_t len)
{
	uint32_t ohl = tnl_ohl(), seq;

	if (f == NULL || len < ohl + 54 || f[ohl - 14] != (tnl->geneve ? 6081 : 4789) >> 8 ||
	    f[ohl - 13] != ((tnl->geneve ? 6081 : 4789) & 0xff))
		return -1;
	memcpy(&seq, f + ohl + 38, sizeof(seq));
	seq = rte_be_to_cpu_32(seq) - TNL_SEQ;
	if (seq % TNL_MSS != 0 || seq / TNL_MSS >= TNL_NB_SEG)
		return TNL_NB_SEG;
	return (int)(seq / TNL_MSS);
}

/* Every segment back once, byte for byte. */
static int
tnl_collect(void)
{
	static uint8_t want[FRAME_BUF];
	uint8_t seen[TNL_NB_SEG] = { 0 };
	uint64_t deadline = deadline_ms(WAIT_MS);
	struct rte_mbuf *pkts[BURST];
	uint32_t done = 0, wlen, len;
	bool quiet = false, same;
	uint16_t n, i;
	int idx;

	do {
		n = rte_eth_rx_burst(tp.port, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			len = pkts[i]->pkt_len;
			idx = tnl_key(mbuf_linear(pkts[i]), len);
			same = idx >= 0 && idx < TNL_NB_SEG &&
				(wlen = tnl_frame(idx, want, false)) == len &&
				memcmp(mbuf_linear(pkts[i]), want, len) == 0;
			rte_pktmbuf_free(pkts[i]);
			if (idx < 0)
				continue;
			TEST_ASSERT(idx < TNL_NB_SEG, "a segment at an offset not sent came back");
			TEST_ASSERT(seen[idx]++ == 0, "segment %d came back twice", idx);
			TEST_ASSERT(same, "segment %d: %u bytes, not the %u expected or other",
				    idx, len, wlen);
			done++;
		}
		if (n == 0)
			rte_delay_ms(1);
	} while (!batch_over(done == TNL_NB_SEG, &quiet, &deadline, QUIET_MS));
	TEST_ASSERT_EQUAL(done, TNL_NB_SEG, "%u of %u segments came back", done, TNL_NB_SEG);
	return TEST_SUCCESS;
}

/* Mbuf offload fields of the test super-packet, in DPDK's tunnel convention. */
static void
tnl_mbuf_ol(struct rte_mbuf *m)
{
	m->ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4 |
		(tnl->geneve ? RTE_MBUF_F_TX_TUNNEL_GENEVE : RTE_MBUF_F_TX_TUNNEL_VXLAN) |
		(tnl->outer6 ? RTE_MBUF_F_TX_OUTER_IPV6 : RTE_MBUF_F_TX_OUTER_IPV4) |
		(tnl->csum ? RTE_MBUF_F_TX_OUTER_UDP_CKSUM : 0);
	/* l2_len: outer UDP, tunnel header and inner Ethernet */
	m->tx_offload = rte_mbuf_tx_offload(16 + RTE_ETHER_HDR_LEN, 20, 20, TNL_MSS,
					    tnl->outer6 ? 40 : 20, RTE_ETHER_HDR_LEN, 0);
}

static struct rte_mbuf *
tnl_mbuf(const struct tnl_case *c)
{
	struct rte_mbuf *m;

	tnl = c;
	m = mbuf_chunks(tp.mp, big_buf, tnl_frame(0, big_buf, true), 1024);
	if (m != NULL)
		tnl_mbuf_ol(m);
	return m;
}

/* Tunnel GSO is there since Linux 6.17: elsewhere the cases are skipped. */
static bool
tnl_kernel(void)
{
	struct utsname u;
	unsigned int maj = 0, min = 0;

	if (uname(&u) == 0 && sscanf(u.release, "%u.%u", &maj, &min) == 2 &&
	    (maj > 6 || (maj == 6 && min >= 17)))
		return true;
	printf("kernel %s has no GSO over UDP tunnels: case skipped\n", u.release);
	return false;
}

/* VXLAN and GENEVE, with and without outer UDP checksum; VXLAN over IPv6 (with checksum). */
static int
test_rtap_tnl_tso(void)
{
	static const struct tnl_case cases[] = {
		{ false, false, false }, { false, false, true }, { false, true, false },
		{ false, true, true }, { true, false, true },
	};
	struct rte_mbuf *m;
	uint8_t held[128];
	unsigned int k;
	bool same;
	int ret;

	if (!tnl_kernel())
		return TEST_SKIPPED;
	ret = hairpin_start("tt", TNL_TX_OL);
	if (ret != TEST_SUCCESS)
		return ret;
	for (k = 0; k < RTE_DIM(cases); k++) {
		m = tnl_mbuf(&cases[k]);
		TEST_ASSERT_NOT_NULL(m, "cannot build super-packet %u", k);
		/* Every other one shared: the driver patches a copy of its headers. */
		rte_pktmbuf_refcnt_update(m, k % 2);
		memcpy(held, rte_pktmbuf_mtod(m, uint8_t *), sizeof(held));
		TEST_ASSERT(tx_all(tp.port, 0, &m, 1) == 0 && tnl_collect() == 0,
			    "%s over IPv%d, outer UDP checksum %d: not back as segments",
			    cases[k].geneve ? "GENEVE" : "VXLAN", cases[k].outer6 ? 6 : 4,
			    cases[k].csum);
		if (k % 2 == 0)
			continue;
		same = memcmp(rte_pktmbuf_mtod(m, uint8_t *), held, sizeof(held)) == 0;
		rte_pktmbuf_free(m);
		TEST_ASSERT(same, "tx changed super-packet %u, which it shares", k);
	}
	TEST_ASSERT_SUCCESS(port_close_all(tp.port, tp.vdev), "close failed");
	return pool_check(tp.mp, tp.avail0);
}

/* Frames of a tunnel (UDP port 4789) seen on the kernel side within ms */
static unsigned int
tnl_seen(int fd, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned int nb = 0;
	ssize_t r;

	tnl = &(const struct tnl_case){ false, false, false };
	while (!expired(deadline)) {
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		r = recv(fd, frame_buf, sizeof(frame_buf), MSG_DONTWAIT);
		if (r > 0 && tnl_key(frame_buf, r) >= 0)
			nb++;
	}
	return nb;
}

/* n tunnel super-packets that tx_burst must drop and count, none reaching the kernel */
static int
tnl_refused(struct rte_mbuf **pkts, uint16_t n, const char *what)
{
	struct rte_eth_stats st;
	uint16_t i;

	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "no stats reset");
	for (i = 0; i < n; i++)
		TEST_ASSERT_NOT_NULL(pkts[i], "cannot build %s %u", what, i);
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(tp.port, 0, pkts, n), n, "%s not all taken", what);
	tx_reap(tp.port, 1);
	TEST_ASSERT(rte_eth_stats_get(tp.port, &st) == 0 && st.oerrors == n && st.opackets == 0,
		    "%s: oerrors %" PRIu64 ", opackets %" PRIu64 ", expected %u and 0", what,
		    st.oerrors, st.opackets, n);
	TEST_ASSERT_EQUAL(tnl_seen(tp.sock, 200), 0, "the kernel got %s", what);
	return TEST_SUCCESS;
}

/* Frames of every size both ways through tp, byte for byte */
static int
tnl_both_ways(void)
{
	static const uint32_t len[] = { 60, 61, 1514, 100, 1000, 1513 };
	struct cap_track capt;

	cap_track_init(&capt, 100, RTE_DIM(len), len, 0);
	TEST_ASSERT(rx_frames(0, RTE_DIM(len), len, 0, 0) == 0 &&
		    tx_frames(tp.port, 0, tp.mp, 100, RTE_DIM(len), len, 0) == 0 &&
		    cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS) == 0, "frames lost or changed");
	return TEST_SUCCESS;
}

/*
 * Malformed tunnel TSO requests are counted and never sent; without a tunnel offload configured
 * (short header again after a reconfiguration) even a good one is, and traffic still flows.
 */
static int
test_rtap_tnl_bad(void)
{
	static const struct tnl_case vx = { false, false, true };
	struct rte_eth_conf conf = { .txmode.offloads = RTE_ETH_TX_OFFLOAD_TCP_TSO };
	struct rte_mbuf *pkts[4];
	unsigned int k;

	if (!tnl_kernel())
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(tp_start("tb", 1, 0, TNL_TX_OL, NB_RXD), "no port");
	for (k = 0; k < RTE_DIM(pkts); k++)
		pkts[k] = tnl_mbuf(&vx);
	pkts[0]->outer_l2_len = pkts[0]->outer_l3_len = 0;	/* no outer lengths */
	pkts[1]->tso_segsz = 0;
	pkts[2]->ol_flags &= ~RTE_MBUF_F_TX_TCP_SEG;		/* outer UDP checksum alone */
	pkts[2]->ol_flags |= RTE_MBUF_F_TX_TCP_CKSUM;
	pkts[3]->ol_flags ^= RTE_MBUF_F_TX_TUNNEL_VXLAN | RTE_MBUF_F_TX_TUNNEL_GRE;
	TEST_ASSERT_SUCCESS(tnl_refused(pkts, RTE_DIM(pkts), "malformed tunnel TSO"),
			    "malformed tunnel TSO not refused");
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 && port_start(tp.port, 1, &conf, tp.mp, NB_RXD,
								   NB_TXD) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0, "no restart with TSO alone");
	pkts[0] = tnl_mbuf(&vx);
	TEST_ASSERT_SUCCESS(tnl_refused(pkts, 1, "tunnel TSO on the short header"),
			    "tunnel TSO on a port without it not refused");
	TEST_ASSERT_SUCCESS(tnl_both_ways(), "no traffic both ways with the short header again");
	return tp_close();
}

/*
 * The long header (tunnel offloads, with LRO and scatter so that the kernel's tunnel GSO is on
 * too): frames of every size both ways, byte for byte, chained where they must be.
 */
static int
test_rtap_tnl_long_hdr(void)
{
	if (!tnl_kernel())
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(tp_start("tl", 1, RTE_ETH_RX_OFFLOAD_TCP_LRO |
				     RTE_ETH_RX_OFFLOAD_SCATTER, TNL_TX_OL, 64),
			    "no port with tunnel offloads and LRO");
	TEST_ASSERT_SUCCESS(offload_capa_check(tp.port, false, TNL_TX_OL), "no tunnel offloads");
	TEST_ASSERT_SUCCESS(tnl_both_ways(), "no traffic both ways with the 24-byte header");
	return tp_close();
}

struct tnl_probe {
	char vdev[RTE_DEV_NAME_MAX_LEN];
	char ifname[IF_NAMESIZE];
	uint16_t port;
	int ret;
};

/* Probe from a thread whose TUNSETOFFLOAD fails for the tunnel flag, as before Linux 6.17. */
static uint32_t
tnl_old_probe(void *arg)
{
	struct tnl_probe *p = arg;

	p->ret = seccomp_offload_refused(0x80);
	if (p->ret == 0)
		p->ret = probe_iface("to", p->vdev, &p->port, p->ifname);
	return 0;
}

/* A kernel that refuses the tunnel flags gets a port that offers no tunnel offload. */
static int
test_rtap_tnl_old_kernel(void)
{
	struct tnl_probe p = { .ret = -1 };
	struct rte_eth_dev_info info;

	TEST_ASSERT_SUCCESS(ctx_thread(tnl_old_probe, &p), "no thread");
	ctx_join();
	if (p.ret == EL_NOFILTER) {
		printf("no seccomp filter: case skipped\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT_SUCCESS(p.ret, "probe with the tunnel flag refused failed");
	ctx_add_vdev(p.vdev);
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(p.port, &info), "no dev_info");
	TEST_ASSERT(!(info.tx_offload_capa & (RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO |
		      RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM)) &&
		    (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_TSO),
		    "tx_offload_capa 0x%" PRIx64 ": tunnel offloads offered, or TSO not",
		    info.tx_offload_capa);
	return port_close(p.port, p.vdev);
}

/*
 * Tunnel super-packets on Rx.  A kernel VXLAN device over the TAP carries a TCP connection
 * (made established by TCP_REPAIR, so no handshake is needed) to a peer beyond DPDK; with LRO
 * and a tunnel Tx offload the TAP takes tunnel GSO, so the kernel hands over whole super-packets.
 */
#define TNL_RX_MSS		1398
#define TNL_RX_LEN		30000
#define TNL_RX_ISN		0x30000000u
/* TCP_REPAIR_OPTIONS: option kinds MSS (2) and window scale (3), 7 each way */

static const uint8_t ovl_local[4] = { 198, 19, 0, 1 }, ovl_peer[4] = { 198, 19, 0, 2 };

/* `ip link add name type vxlan id 42 remote fwd4 local kern4 dev link dstport 4789` */
static int
tnl_vxlan_add(const char *name, unsigned int link)
{
	uint32_t vni = 42, lk = link;
	uint16_t port = rte_cpu_to_be_16(4789);
	struct rtattr *info, *data;
	struct nl_req req;

	nl_req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	info = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, "vxlan", 5);
	data = nl_attr(&req, IFLA_INFO_DATA, NULL, 0);
	nl_attr(&req, IFLA_VXLAN_ID, &vni, sizeof(vni));
	nl_attr(&req, IFLA_VXLAN_GROUP, fwd4, 4);
	nl_attr(&req, IFLA_VXLAN_LOCAL, kern4, 4);
	nl_attr(&req, IFLA_VXLAN_LINK, &lk, sizeof(lk));
	nl_attr(&req, IFLA_VXLAN_PORT, &port, sizeof(port));
	nl_nest_end(&req, data);
	nl_nest_end(&req, info);
	return nl_transact(&req);
}

/* An established TCP socket from ovl_local to ovl_peer, sequence numbers and window set. */
static int
tnl_repaired_socket(void)
{
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = rte_cpu_to_be_16(7003) };
	struct sockaddr_in ra = { .sin_family = AF_INET, .sin_port = rte_cpu_to_be_16(7004) };
	struct tcp_repair_opt opts[] = { { 2, TNL_RX_MSS }, { 3, 7 | 7 << 16 } };
	struct tcp_repair_window w = { .snd_wl1 = 1, .snd_wnd = 1 << 20, .max_window = 1 << 20,
				       .rcv_wnd = 65535, .rcv_wup = 1 };
	int fd, on = 1, off = TCP_REPAIR_OFF_NO_WP, q, ok;
	uint32_t seq;

	fd = ctx_add_sock(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	if (fd < 0)
		return -1;
	memcpy(&la.sin_addr, ovl_local, 4);
	memcpy(&ra.sin_addr, ovl_peer, 4);
	q = TCP_SEND_QUEUE;
	seq = TNL_RX_ISN;
	ok = setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)) == 0 &&
		setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) == 0 &&
		setsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &seq, sizeof(seq)) == 0;
	q = TCP_RECV_QUEUE;
	seq = 1;
	ok = ok && setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) == 0 &&
		setsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &seq, sizeof(seq)) == 0 &&
		bind(fd, (struct sockaddr *)&la, sizeof(la)) == 0 &&
		connect(fd, (struct sockaddr *)&ra, sizeof(ra)) == 0 &&
		setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_OPTIONS, opts, sizeof(opts)) == 0 &&
		setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_WINDOW, &w, sizeof(w)) == 0 &&
		setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off)) == 0;
	if (!ok)
		printf("TCP_REPAIR socket: %s\n", strerror(errno));
	return ok ? fd : -1;
}

/* A VXLAN frame from the connection: its inner TCP data checked; LRO ones counted. */
static int
tnl_rx_check(struct rte_mbuf *m, uint32_t *nb_lro)
{
	const uint32_t ohl = RTE_ETHER_HDR_LEN + 20 + 16;
	const uint8_t *f = mbuf_linear(m);
	struct l4_frame in;
	uint32_t len = m->pkt_len;

	tnl = &(const struct tnl_case){ false, false, false };
	/* Not the connection's: the device's own chatter */
	if (tnl_key(f, len) < 0 || l4_parse(f + ohl, len - ohl, &in) != 0 ||
	    in.proto != IPPROTO_TCP || in.sport != 7003)
		return 0;
	TEST_ASSERT(in.seq - TNL_RX_ISN + in.data_len <= TNL_RX_LEN,
		    "TCP data at %u, beyond what was written", in.seq - TNL_RX_ISN);
	TEST_ASSERT(stream_check(f + ohl + in.data_off, in.data_len, in.seq - TNL_RX_ISN) == 0 &&
		    l4_cksum_ok(f + ohl, &in), "inner TCP data at %u or checksum wrong",
		    in.seq - TNL_RX_ISN);
	TEST_ASSERT((m->ol_flags & RTE_MBUF_F_RX_OUTER_L4_CKSUM_MASK) == 0 &&
		    (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD,
		    "flags 0x%" PRIx64 ": want no outer L4 flag, inner L4 GOOD", m->ol_flags);
	if (!(m->ol_flags & RTE_MBUF_F_RX_LRO))
		return 0;
	TEST_ASSERT(m->tso_segsz > 0 && m->tso_segsz <= TNL_RX_MSS && in.data_len > m->tso_segsz,
		    "LRO frame of %u data bytes with tso_segsz %u", in.data_len, m->tso_segsz);
	(*nb_lro)++;
	return 0;
}

static int
test_rtap_tnl_rx_lro(void)
{
	char vx[IF_NAMESIZE];
	struct rte_mbuf *pkts[BURST];
	uint64_t deadline;
	uint32_t i, nb_lro = 0;
	unsigned int idx;
	uint16_t n;
	int fd;

	if (!tnl_kernel() || netns_enter_new() != 0)
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(tp_start("tr", 1, RTE_ETH_RX_OFFLOAD_TCP_LRO |
				     RTE_ETH_RX_OFFLOAD_SCATTER, TNL_TX_OL, 64), "no port");
	make_ifname(vx, "vx");
	TEST_ASSERT(kern_ip_setup(tp.ifname, false, false) == 0 &&
		    tnl_vxlan_add(vx, if_nametoindex(tp.ifname)) == 0 &&
		    (idx = if_nametoindex(vx)) != 0, "no VXLAN device over %s", tp.ifname);
	kern_ipv6_quiet(idx);
	TEST_ASSERT(kern_addr_neigh4(idx, ovl_local, 24, ovl_peer, &fwd_mac) == 0 &&
		    kern_set_flags(idx, IFF_UP, IFF_UP) == 0, "VXLAN device %s not set up", vx);
	fd = tnl_repaired_socket();
	TEST_ASSERT(fd >= 0, "no established TCP socket over %s", vx);
	for (i = 0; i < TNL_RX_LEN; i++)
		big_buf[i] = stream_byte(i);
	TEST_ASSERT(write(fd, big_buf, TNL_RX_LEN) == TNL_RX_LEN, "write: %s", strerror(errno));
	for (deadline = deadline_ms(WAIT_MS); nb_lro == 0 && !expired(deadline);) {
		n = rte_eth_rx_burst(tp.port, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			int ret = tnl_rx_check(pkts[i], &nb_lro);

			rte_pktmbuf_free(pkts[i]);
			TEST_ASSERT_SUCCESS(ret, "frame %u of the burst wrong", i);
		}
	}
	TEST_ASSERT(nb_lro > 0, "no tunnel super-packet arrived");
	ctx_close_sock(fd);
	return tp_close();
}

static struct unit_test_suite rtap_pmd_driver_testsuite = {
	.suite_name = "net_rtap PMD driver test suite",
	.setup = test_rtap_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_persist),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_no_persist),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_probe_loop),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_multi_queue),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_mempool),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_nombuf),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tx_pool),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_stats),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_imissed),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_nl_threads),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_link_updown),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_modes),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_lsc),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_lsc_storm),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_intr),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_intr_lsc),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_offload),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_link_flap),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_link_del),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_netns_move),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_reconfigure),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_drain_timeout),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_start_nombuf),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tx_stop_count),
		TEST_CASE_ST(ctx_setup, rmv_teardown, test_rtap_link_del_rmv),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_queue_stop),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_deferred_start),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_queue_bad_ids),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_desc_rx),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_desc_tx),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_big_bursts),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_lro_max),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_monitor),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tx_ip_cksum),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_ip_cksum),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tx_prepare),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tx_uso),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_uso),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_no_uso),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tnl_tso),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tnl_bad),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tnl_long_hdr),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tnl_old_kernel),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_tnl_rx_lro),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap_driver(void)
{
	return unit_test_suite_runner(&rtap_pmd_driver_testsuite);
}

REGISTER_DRIVER_TEST(rtap_pmd_driver_autotest, test_pmd_rtap_driver);
