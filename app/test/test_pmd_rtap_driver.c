/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/* The heavier net_rtap tests (interrupts, link, faults, queues, reconfiguration). */

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <poll.h>
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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_interrupts.h>
#include <rte_memzone.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>
#include <rte_tcp.h>
#include <rte_thread.h>

#include "test.h"
#include "test_pmd_rtap.h"

/* The trackers of the running case: too big for its stack. */
static struct rx_track rxt;
static struct cap_track capt;

/* A port whose LSC callback drv_teardown unregisters, or -1. */
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
	TEST_ASSERT_SUCCESS(drv_pool(nb_mbuf), "no mempool");
	TEST_ASSERT_SUCCESS(probe_start(tag, nb_q, conf, tp.mp, nb_desc, nb_desc, tp.vdev,
					&tp.port, tp.ifname, &tp.sock), "no port %s", tag);
	if (conf == NULL || !conf->intr_conf.lsc)
		return TEST_SUCCESS;
	TEST_ASSERT_SUCCESS(lsc_register(tp.port), "cannot register an LSC callback");
	lsc_port = tp.port;
	return TEST_SUCCESS;
}

/* Wait until *a + *b (fields of *st) reach want, Tx reaped; *st keeps the last reading. */
static int
stats_reach(uint16_t port, uint16_t nb_q, struct rte_eth_stats *st,
	    const uint64_t *a, const uint64_t *b, uint64_t want)
{
	uint64_t deadline = deadline_ms(WAIT_MS);

	for (;;) {
		tx_reap(port, nb_q);
		TEST_ASSERT_SUCCESS(rte_eth_stats_get(port, st),
				    "stats_get of port %u failed", port);
		if (*a + (b != NULL ? *b : 0) >= want || expired(deadline))
			return TEST_SUCCESS;
		rte_delay_ms(1);
	}
}

/* With persist close keeps the interface (it stays, not merely slow to go); else deletes it. */
static int
persist_case(bool persist)
{
	char ifname[IF_NAMESIZE], args[64];
	uint64_t deadline = deadline_ms(300);
	unsigned int ifindex;

	TEST_ASSERT_SUCCESS(drv_pool(NB_MBUF), "no mempool");
	make_ifname(ifname, persist ? "k" : "q");
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s%s", ifname, persist ? ",persist" : "");
	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, tp.vdev, &tp.port, NULL),
			    "probe with %s failed", args);
	ifindex = if_nametoindex(ifname);
	TEST_ASSERT(ifindex != 0, "no interface %s after probe", ifname);
	TEST_ASSERT_SUCCESS(port_start(tp.port, 2, NULL, tp.mp, NB_RXD, NB_TXD),
			    "start of %s failed", ifname);
	TEST_ASSERT_SUCCESS(port_close(tp.port, tp.vdev), "close of %s failed", ifname);
	TEST_ASSERT_SUCCESS(fds_check(tp.fds0), "files left open (%s)", args);
	TEST_ASSERT_SUCCESS(pool_check(tp.mp, tp.avail0), "mbufs lost (%s)", args);
	while (persist && !expired(deadline)) {
		TEST_ASSERT_EQUAL(if_nametoindex(ifname), ifindex,
				  "persistent %s (ifindex %u) gone after close", ifname, ifindex);
		rte_delay_ms(10);
	}
	if (persist)
		TEST_ASSERT_SUCCESS(kern_del_link(ifindex), "cannot delete %s", ifname);
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS), "%s still there %s", ifname,
			    persist ? "after RTM_DELLINK" : "after close");
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], tag[8], args[64];
	uint16_t port;
	unsigned int i;

	TEST_ASSERT_SUCCESS(drv_pool(NB_MBUF), "no mempool");
	for (i = 0; i < 50; i++) {
		snprintf(tag, sizeof(tag), "n%u", i);
		make_ifname(ifname, tag);
		ctx_add_ifname(ifname);
		snprintf(args, sizeof(args), "iface=%s", ifname);
		TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
				    "probe %u (%s) failed", i, args);
		if (i % 4 == 1)
			TEST_ASSERT_SUCCESS(port_setup(port, 2, NULL, tp.mp, 64, 64),
					    "setup of port %u failed", i);
		if (i % 4 >= 2) {
			TEST_ASSERT_SUCCESS(port_start(port, 1 + i % 3, NULL, tp.mp, 64, 64),
					    "start of port %u failed", i);
			TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port), "stop of port %u failed", i);
		}
		if (i % 5 == 4) {
			/* removal through the bus instead of ethdev close */
			TEST_ASSERT_SUCCESS(rte_vdev_uninit(vdev),
					    "rte_vdev_uninit %s failed", vdev);
			ctx_forget_vdev(vdev);
		} else {
			TEST_ASSERT_SUCCESS(port_close(port, vdev), "close of port %u failed", i);
		}
		TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
				    "%s still exists after close", ifname);
		ctx_forget_ifname(ifname);
	}
	TEST_ASSERT_SUCCESS(fds_check(tp.fds0), "files left by 50 ports");
	TEST_ASSERT_SUCCESS(pool_check(tp.mp, tp.avail0), "mbufs left by 50 ports");
	return TEST_SUCCESS;
}

/* 512 frames in 128 flows in and 32 out per queue on nb_q queue pairs, counted per queue. */
static int
mq_round(uint16_t port, uint16_t nb_q, int sock, struct rte_mempool *mp, uint32_t base)
{
	const uint32_t nb_flows = 128, nb = 512;
	uint32_t per_tx[RTAP_MAX_QUEUES];
	uint16_t q, used;

	TEST_ASSERT(rte_eth_stats_reset(port) == 0 && rte_eth_xstats_reset(port) == 0 &&
		    queue_counters_check(port, "rx", nb_q, NULL) == 0 &&
		    queue_counters_check(port, "tx", nb_q, NULL) == 0, "queue counters not 0");
	rx_track_init(&rxt, port, base, nb, NULL, 128, nb_flows);
	TEST_ASSERT_SUCCESS(inject_frames(sock, base, nb, NULL, 128, nb_flows), "cannot inject");
	TEST_ASSERT_SUCCESS(rx_poll(&rxt, nb_q, WAIT_MS, QUIET_MS),
			    "%u queue pairs: not every frame arrived once", nb_q);
	used = rx_queues_used(&rxt, nb_q);
	TEST_ASSERT(nb_q == 1 || used >= 2, "%u flows on %u of %u queues, at least 2 expected",
		    nb_flows, used, nb_q);
	TEST_ASSERT_SUCCESS(queue_counters_check(port, "rx", nb_q, rxt.per_queue),
			    "Rx queue counters differ from what was polled");
	cap_track_init(&capt, base + nb, 32u * nb_q, NULL, 200);
	for (q = 0; q < nb_q; q++) {
		per_tx[q] = 32;
		TEST_ASSERT_SUCCESS(tx_frames(port, q, mp, base + nb + 32u * q, 32, NULL, 200),
				    "Tx on queue %u failed", q);
	}
	TEST_ASSERT_SUCCESS(cap_poll(sock, &capt, WAIT_MS, QUIET_MS),
			    "%u queue pairs: transmitted frames missing", nb_q);
	return queue_counters_check(port, "tx", nb_q, per_tx);
}

/* 4 queue pairs; then 1; then 4 again.  Traffic both ways each time. */
static int
test_rtap_multi_queue(void)
{
	static const uint16_t nb_q[] = { 4, 1, 4 };
	unsigned int i;

	TEST_ASSERT_SUCCESS(drv_port("q4", 4, NULL, NB_MBUF, 256), "no port");
	for (i = 0; i < RTE_DIM(nb_q); i++) {
		if (i > 0) {
			TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.port), "stop failed");
			TEST_ASSERT_SUCCESS(port_start(tp.port, nb_q[i], NULL, tp.mp, 256, 256),
					    "restart with %u queues failed", nb_q[i]);
			TEST_ASSERT_SUCCESS(path_ready(tp.port, nb_q[i], tp.ifname, tp.sock),
					    "no path with %u queues", nb_q[i]);
		}
		TEST_ASSERT_SUCCESS(mq_round(tp.port, nb_q[i], tp.sock, tp.mp, 10000 * i),
				    "traffic on %u queue pairs (round %u)", nb_q[i], i);
	}
	return tp_close();
}

/* nb frames from the kernel sent back in the same mbufs (forwarding): captured unchanged. */
static int
forward_round(uint16_t port, int sock, uint32_t base, uint32_t nb)
{
	static struct rte_mbuf *keep[256];
	static uint32_t len[256];
	uint32_t i;

	memset(keep, 0, sizeof(keep));
	for (i = 0; i < nb; i++)
		len[i] = 60 + ((base + i) * 211) % 1455;
	rx_track_init(&rxt, port, base, nb, len, 0, 0);
	rxt.keep = keep;
	TEST_ASSERT_SUCCESS(inject_frames(sock, base, nb, len, 0, 0), "cannot inject");
	TEST_ASSERT_SUCCESS(rx_poll(&rxt, 1, WAIT_MS, 0), "frames %u.. not received", base);
	cap_track_init(&capt, base, nb, len, 0);
	TEST_ASSERT_SUCCESS(tx_all(port, 0, keep, (uint16_t)nb),
			    "cannot send back frames %u..", base);
	return cap_poll(sock, &capt, WAIT_MS, QUIET_MS);
}

/*
 * Every mbuf returns to its pool across bursts of forwarding, stop and restart, and close.
 */
static int
test_rtap_mempool(void)
{
	unsigned int round;

	TEST_ASSERT_SUCCESS(drv_port("pool", 1, NULL, 2048, 256), "no port");
	for (round = 0; round < 3; round++)
		TEST_ASSERT_SUCCESS(forward_round(tp.port, tp.sock, round * 1000, 200),
				    "forwarding round %u", round);
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 && rte_eth_dev_start(tp.port) == 0 &&
		    path_ready(tp.port, 1, tp.ifname, tp.sock) == 0, "no traffic after a restart");
	TEST_ASSERT_SUCCESS(forward_round(tp.port, tp.sock, 5000, 200),
			    "forwarding after stop and start");
	return tp_close();
}

/*
 * An empty pool counts each frame lost to it in rx_nombuf and rx_q0_mbuf_alloc_failed; with mbufs
 * back Rx recovers.  Frames 10000..10063 meet the empty pool, 10064..10191 the refilled one.
 */
static int
test_rtap_rx_nombuf(void)
{
	static struct rte_mbuf *hoard[2048], *keep[192];
	unsigned int nb_hoard = 0, i;
	struct rte_eth_stats st;
	uint64_t deadline, nombuf = 0;

	TEST_ASSERT_SUCCESS(drv_port("nomb", 1, NULL, 2048, 256), "no port");
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 && rte_eth_xstats_reset(tp.port) == 0,
		    "stats_reset or xstats_reset failed");
	/* Take every mbuf the port does not hold (teardown frees the pool) */
	while (nb_hoard < RTE_DIM(hoard) && (hoard[nb_hoard] = rte_pktmbuf_alloc(tp.mp)) != NULL)
		nb_hoard++;
	memset(keep, 0, sizeof(keep));
	rx_track_init(&rxt, tp.port, 10000, RTE_DIM(keep), NULL, 100, 0);
	rxt.keep = keep;
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 10000, 64, NULL, 100, 0), "cannot inject");
	deadline = deadline_ms(WAIT_MS);
	memset(&st, 0, sizeof(st));
	while (st.rx_nombuf == 0 && !expired(deadline)) {
		if (rx_poll_once(&rxt, 1) == 0)
			rte_delay_ms(1);
		TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "stats_get failed");
	}
	TEST_ASSERT(st.rx_nombuf > 0,
		    "rx_nombuf 0 with an empty pool and 64 frames waiting (ipackets %"
		    PRIu64 ")", st.ipackets);
	TEST_ASSERT_SUCCESS(xstat_by_name(tp.port, "rx_q0_mbuf_alloc_failed",
					  &nombuf), "no rx_q0_mbuf_alloc_failed");
	TEST_ASSERT_EQUAL(nombuf, st.rx_nombuf, "rx_q0_mbuf_alloc_failed %" PRIu64 ", rx_nombuf %"
			  PRIu64, nombuf, st.rx_nombuf);
	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	for (i = 0; i < RTE_DIM(keep); i++)
		rte_pktmbuf_free(keep[i]);
	rxt.keep = NULL;

	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 10064, 128, NULL, 100, 0), "cannot inject");
	rx_drain(&rxt, 1, QUIET_MS, WAIT_MS);
	for (i = 64; i < RTE_DIM(keep) && rxt.seen[i] != 0; i++)
		;
	TEST_ASSERT(rxt.err == 0 && i == RTE_DIM(keep),
		    "no recovery after the pool was refilled: frame %u missing", 10000 + i);
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "stats_get failed");
	TEST_ASSERT_SUCCESS(xstat_by_name(tp.port, "rx_q0_mbuf_alloc_failed",
					  &nombuf), "no rx_q0_mbuf_alloc_failed");
	TEST_ASSERT_EQUAL(rxt.got + st.rx_nombuf, rxt.nb,
			  "%u frames received + rx_nombuf %" PRIu64 ", %u sent",
			  rxt.got, st.rx_nombuf, rxt.nb);
	TEST_ASSERT_EQUAL(nombuf, st.rx_nombuf, "rx_q0_mbuf_alloc_failed %" PRIu64 ", rx_nombuf %"
			  PRIu64, nombuf, st.rx_nombuf);
	TEST_ASSERT_EQUAL(st.ipackets, rxt.got + rxt.other,
			  "ipackets %" PRIu64 ", %u frames polled", st.ipackets,
			  rxt.got + rxt.other);
	TEST_ASSERT(st.ierrors == 0 && st.imissed == 0,
		    "ierrors %" PRIu64 " imissed %" PRIu64 ", 0 expected", st.ierrors, st.imissed);
	return tp_close();
}

/*
 * Frames needing a header mbuf (no headroom, or shared) take it from their own pool txmp: when it
 * runs dry tx_burst stops there as at a full ring (not a drop) and leaves the rest untouched.
 */
static int
tx_hdr_nombuf(uint16_t port, int sock, struct rte_mempool *txmp, unsigned int avail0)
{
	/* Frames 1 and 3 have no headroom, 4 is shared (refcnt 2) */
	static const uint16_t headroom[] = {
		RTE_PKTMBUF_HEADROOM, 0, RTE_PKTMBUF_HEADROOM, 0,
		RTE_PKTMBUF_HEADROOM, RTE_PKTMBUF_HEADROOM };
	const uint32_t nb = RTE_DIM(headroom), base = 40000, len = 100;
	struct rte_mbuf *pkts[RTE_DIM(headroom)], *hoard[64];
	uint16_t data_off[RTE_DIM(headroom)], seg = len, sent;
	unsigned int nb_hoard = 0, i;
	struct rte_eth_stats st;
	uint64_t nombuf;

	TEST_ASSERT_SUCCESS(pool_running_check(port, 1, txmp, avail0),
			    "Tx pool not full before the test");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(port), "stats_reset failed");
	for (i = 0; i < nb; i++) {
		pkts[i] = mbuf_frame_segs(txmp, base + i, len, &seg, 1, headroom[i]);
		TEST_ASSERT_NOT_NULL(pkts[i], "no mbuf for frame %u", i);
		headroom_fill(pkts[i], 0xa5);
		data_off[i] = pkts[i]->data_off;
	}
	rte_mbuf_refcnt_update(pkts[4], 1);
	while (rte_mempool_avail_count(txmp) > 1 && nb_hoard < RTE_DIM(hoard))
		hoard[nb_hoard++] = rte_pktmbuf_alloc(txmp);
	sent = rte_eth_tx_burst(port, 0, pkts, nb);
	TEST_ASSERT_EQUAL(sent, 3, "tx_burst took %u frames with one mbuf for two header mbufs, 3 expected",
			  sent);
	for (i = sent; i < nb; i++) {
		TEST_ASSERT_SUCCESS(held_check(pkts[i], base + i, len,
					       data_off[i], "frame not taken"),
				    "frame %u tx_burst did not take changed", i);
		TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(pkts[i]), (i == 4 ? 2 : 1),
				  "frame %u not taken has refcnt %u", i,
				  rte_mbuf_refcnt_read(pkts[i]));
	}
	tx_reap(port, 1);
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(port, &st), "stats_get failed");
	TEST_ASSERT(st.opackets == sent && st.oerrors == 0,
		    "no header mbuf: opackets %" PRIu64 " oerrors %" PRIu64
		    ", expected %u and 0", st.opackets, st.oerrors, sent);
	/* Where the driver offers a count of it, it must be this one */
	if (rte_eth_xstats_get_id_by_name(port, "tx_q0_mbuf_alloc_failed", &nombuf) == 0) {
		TEST_ASSERT_SUCCESS(xstat_by_name(port, "tx_q0_mbuf_alloc_failed",
						  &nombuf), "xstat unreadable");
		TEST_ASSERT_EQUAL(nombuf, 1, "tx_q0_mbuf_alloc_failed %"
				  PRIu64 ", 1 expected", nombuf);
	}
	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	cap_track_init(&capt, base, nb, NULL, len);
	TEST_ASSERT_SUCCESS(tx_all(port, 0, pkts + sent, nb - sent),
			    "frames not taken with mbufs back");
	TEST_ASSERT_SUCCESS(cap_poll(sock, &capt, WAIT_MS, QUIET_MS),
			    "frames missing after the header mbuf wait");
	TEST_ASSERT_SUCCESS(held_check(pkts[4], base + 4, len, data_off[4],
				       "shared frame after transmission"), "shared frame changed");
	rte_pktmbuf_free(pkts[4]);
	return pool_running_check(port, 1, txmp, avail0);
}

/* Tx-only: 64 mbufs through a 512-entry ring keep going (reclaimed on every tx_burst). */
static int
test_rtap_tx_pool(void)
{
	struct rte_mempool *txmp = pool_create(64);
	unsigned int txavail0;
	struct rte_mbuf *pkts[16];
	uint64_t deadline = deadline_ms(5 * WAIT_MS);
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
		TEST_ASSERT(!expired(deadline),
			    "transmit-only: stuck after %u frames, %u of %u mbufs free",
			    seq, rte_mempool_avail_count(txmp), txavail0);
		if (sent == 0)
			rte_delay_us_block(100);
	}
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS),
			    "transmit-only frames missing");
	TEST_ASSERT_SUCCESS(tx_hdr_nombuf(tp.port, tp.sock, txmp, txavail0),
			    "header mbuf exhaustion");
	TEST_ASSERT_SUCCESS(tp_close(), "close");
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
	TEST_ASSERT(rte_eth_stats_reset(tp.port) == 0 && stats_zero(tp.port) == 0,
		    "stats not 0 after reset");
	TEST_ASSERT(rte_eth_xstats_reset(tp.port) == 0 &&
		    queue_counters_check(tp.port, "rx", 1, NULL) == 0 &&
		    queue_counters_check(tp.port, "tx", 1, NULL) == 0, "queue counters not 0");
	for (i = 0; i < nb; i++) {
		rxlen[i] = 60 + (i * 389) % 1455;
		txlen[i] = 60 + (i * 211) % 1455;
		ibytes += rxlen[i];
		obytes += txlen[i];
	}
	TEST_ASSERT_SUCCESS(rx_frames(0, nb, rxlen, 0, 0), "frames from the kernel");
	cap_track_init(&capt, 1000, nb, txlen, 0);
	TEST_ASSERT_SUCCESS(tx_frames(tp.port, 0, tp.mp, 1000, nb, txlen, 0), "Tx failed");
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS),
			    "frames to the kernel missing");
	/* Everything has crossed; the counters must say so */
	TEST_ASSERT_SUCCESS(stats_reach(tp.port, 1, &st, &st.opackets, NULL, nb), "no stats");
	TEST_ASSERT(st.ipackets == nb && st.ibytes == ibytes &&
		    st.opackets == nb && st.obytes == obytes,
		    "in %" PRIu64 " packets / %" PRIu64 " bytes, out %" PRIu64 " / %" PRIu64
		    ", expected %u / %" PRIu64 " and %u / %" PRIu64, st.ipackets, st.ibytes,
		    st.opackets, st.obytes, nb, ibytes, nb, obytes);
	TEST_ASSERT(queue_counters_check(tp.port, "rx", 1, &nb) == 0 &&
		    queue_counters_check(tp.port, "tx", 1, &nb) == 0, "queue counters not %u", nb);
	TEST_ASSERT(st.imissed == 0 && st.ierrors == 0 && st.oerrors == 0 && st.rx_nombuf == 0,
		    "no error or drop happened, yet ierrors %" PRIu64
		    " oerrors %" PRIu64 " imissed %" PRIu64 " rx_nombuf %"
		    PRIu64, st.ierrors, st.oerrors, st.imissed, st.rx_nombuf);
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "stats_reset failed");
	TEST_ASSERT_SUCCESS(stats_zero(tp.port), "stats not 0 after reset");
	return tp_close();
}

/* A flood of 3000 unpolled frames: received + imissed = sent; reset zeroes imissed. */
/* Stats read by a thread whose sendto fails, as if rtnetlink could not be reached. */
static uint32_t
blind_stats(void *arg)
{
	struct rte_eth_stats *st = arg;

	if (seccomp_deny(__NR_sendto, EPERM) == 0)
		rte_eth_stats_get(tp.port, st);
	return 0;
}

static int
test_rtap_imissed(void)
{
	const uint32_t flood = 3000;
	struct rte_eth_stats st, blind;
	uint64_t kdrop0;

	TEST_ASSERT_SUCCESS(drv_port("im", 1, NULL, NB_MBUF, NB_RXD), "no port");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "stats_reset failed");
	kdrop0 = kern_stat(tp.ifname, "tx_dropped");
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, 100000, flood, NULL, 60, 0), "cannot inject");
	TEST_ASSERT_SUCCESS(stats_reach(tp.port, 1, &st, &st.imissed, NULL, 1), "no stats");
	TEST_ASSERT(st.imissed > 0,
		    "imissed 0 after %u frames injected without polling (kernel tx_dropped +%"
		    PRIu64 ")", flood, kern_stat(tp.ifname, "tx_dropped") - kdrop0);
	/* The kernel cannot be asked: the last figure stands */
	blind.imissed = UINT64_MAX;
	TEST_ASSERT_SUCCESS(ctx_thread(blind_stats, &blind), "no thread");
	ctx_join();
	TEST_ASSERT(blind.imissed >= st.imissed && blind.imissed != UINT64_MAX,
		    "imissed %" PRIu64 " with rtnetlink unreachable, %" PRIu64 " before",
		    blind.imissed, st.imissed);
	rx_track_init(&rxt, tp.port, 100000, flood, NULL, 60, 0);
	rx_drain(&rxt, 1, 200, 5 * WAIT_MS);
	TEST_ASSERT_SUCCESS(stats_reach(tp.port, 1, &st, &st.ipackets,
					&st.imissed, flood), "no stats");
	printf("flood of %u: received %u, ipackets %" PRIu64 ", imissed %"
	       PRIu64 "\n", flood, rxt.got, st.ipackets, st.imissed);
	TEST_ASSERT_SUCCESS(rxt.err, "a frame of the flood arrived damaged");
	TEST_ASSERT_EQUAL(st.ipackets, rxt.got, "ipackets %" PRIu64
			  ", %u received", st.ipackets, rxt.got);
	TEST_ASSERT_EQUAL(st.ipackets + st.imissed, flood,
			  "ipackets + imissed %" PRIu64 ", %u sent",
			  st.ipackets + st.imissed, flood);
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "stats_reset failed");
	TEST_ASSERT_SUCCESS(stats_zero(tp.port), "imissed not 0 after reset");
	return tp_close();
}

/* Carrier off and on from the kernel, check(up, LSC count before) after each. */
static int
carrier_flip(unsigned int ifindex, int (*check)(bool, uint32_t))
{
	uint32_t since = lsc_calls();
	int ret = kern_set_carrier(ifindex, false);

	if (ret == -EOPNOTSUPP) {
		printf("the kernel cannot switch the carrier of a TAP, skipped\n");
		return TEST_SUCCESS;
	}
	TEST_ASSERT_SUCCESS(ret, "carrier off on %u: %s", ifindex, strerror(-ret));
	TEST_ASSERT_SUCCESS(check(false, since), "after carrier off");
	since = lsc_calls();
	TEST_ASSERT_SUCCESS(kern_set_carrier(ifindex, true), "carrier on on %u failed", ifindex);
	return check(true, since);
}

/* Carrier off leaves IFF_UP, clears IFF_RUNNING and the link. */
static int
link_carrier_check(bool up, uint32_t since)
{
	unsigned int flags;

	RTE_SET_USED(since);
	if (!up) {
		TEST_ASSERT_SUCCESS(wait_flags(tp.ifname, IFF_RUNNING, false, WAIT_MS),
				    "%s still running without carrier", tp.ifname);
		TEST_ASSERT_SUCCESS(kern_flags(tp.ifname, &flags), "SIOCGIFFLAGS failed");
		TEST_ASSERT(flags & IFF_UP, "%s went down with the carrier", tp.ifname);
	}
	return wait_link(tp.port, tp.ifname, up, WAIT_MS);
}

/* Link state follows IFF_UP and IFF_RUNNING, set from ethdev or the kernel. */
static int
test_rtap_link_updown(void)
{
	static const char *const ud[] = { "down", "up" };
	unsigned int ifindex, up;

	TEST_ASSERT_SUCCESS(drv_port("lc", 1, NULL, NB_MBUF, NB_RXD), "no port");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT_SUCCESS(wait_link(tp.port, tp.ifname, true, WAIT_MS),
			    "link not up after start");
	for (up = 0; up < 2; up++) {
		TEST_ASSERT_SUCCESS((up ? rte_eth_dev_set_link_up(tp.port) :
				     rte_eth_dev_set_link_down(tp.port)),
				    "set_link_%s failed", ud[up]);
		TEST_ASSERT_SUCCESS(wait_flags(tp.ifname, IFF_UP, up, WAIT_MS),
				    "%s not %s after set_link_%s", tp.ifname, ud[up], ud[up]);
		TEST_ASSERT_SUCCESS(wait_link(tp.port, tp.ifname, up, WAIT_MS),
				    "link not %s after set_link_%s", ud[up], ud[up]);
	}
	TEST_ASSERT_SUCCESS(path_ready(tp.port, 1, tp.ifname, tp.sock),
			    "no traffic after set_link_up");
	/* From the kernel side, which the port has to ask */
	for (up = 0; up < 2; up++) {
		TEST_ASSERT_SUCCESS(kern_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP),
				    "cannot set %s %s", tp.ifname, ud[up]);
		TEST_ASSERT_SUCCESS(wait_link(tp.port, tp.ifname, up, WAIT_MS),
				    "link not %s after %s was set %s", ud[up], tp.ifname, ud[up]);
	}
	TEST_ASSERT_SUCCESS(carrier_flip(ifindex, link_carrier_check),
			    "link does not follow the carrier");
	return tp_close();
}

/* Rx modes are IFF_PROMISC/IFF_ALLMULTI; a multicast or zero MAC is refused, changing nothing. */
static int
test_rtap_rx_modes(void)
{
	static const struct rte_ether_addr bad_mac[] = {
		{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },
		{ .addr_bytes = { 0x03, 0x11, 0x22, 0x33, 0x44, 0x55 } },
		{ .addr_bytes = { 0 } },
	};
	/* Each mode switched on, then off: the kernel's flag and the port's report follow. */
	static const struct rx_mode {
		unsigned int flag;
		const char *what;
		int (*set[2])(uint16_t);	/* off, on */
		int (*get)(uint16_t);
	} modes[] = {
		{ IFF_PROMISC, "promiscuous",
		  { rte_eth_promiscuous_disable, rte_eth_promiscuous_enable },
		  rte_eth_promiscuous_get },
		{ IFF_ALLMULTI, "all-multicast",
		  { rte_eth_allmulticast_disable, rte_eth_allmulticast_enable },
		  rte_eth_allmulticast_get },
	};
	struct rte_ether_addr mac0, set;
	unsigned int i, flags;
	int on;
	const struct rx_mode *m;

	TEST_ASSERT_SUCCESS(drv_port("rm", 1, NULL, NB_MBUF, NB_RXD), "no port");
	for (i = 0; i < 2 * RTE_DIM(modes); i++) {
		on = i % 2 == 0;
		m = &modes[i / 2];
		TEST_ASSERT_SUCCESS(m->set[on](tp.port), "%s %d failed", m->what, on);
		TEST_ASSERT_SUCCESS(kern_flags(tp.ifname, &flags), "SIOCGIFFLAGS failed");
		TEST_ASSERT_EQUAL(!!(flags & m->flag), on, "%s %d: kernel flags 0x%x", m->what, on,
				  flags);
		TEST_ASSERT_EQUAL(m->get(tp.port), on, "%s %d: the port says %d", m->what, on,
				  m->get(tp.port));
	}
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(tp.port, &mac0), "macaddr_get failed");
	TEST_ASSERT_SUCCESS(mac_check(tp.port, tp.ifname, &mac0, " at start, expected "),
			    "kernel and port MAC differ");
	for (i = 0; i < RTE_DIM(bad_mac); i++) {
		rte_ether_addr_copy(&bad_mac[i], &set);
		TEST_ASSERT(rte_eth_dev_default_mac_addr_set(tp.port, &set) != 0,
			    "MAC " RTE_ETHER_ADDR_PRT_FMT " accepted", RTE_ETHER_ADDR_BYTES(&set));
		TEST_ASSERT_SUCCESS(mac_check(tp.port, tp.ifname, &mac0, " after it, expected "),
				    "refused MAC " RTE_ETHER_ADDR_PRT_FMT " changed the address",
				    RTE_ETHER_ADDR_BYTES(&set));
	}
	return tp_close();
}

/* An LSC event must come for each carrier change. */
static int
lsc_carrier_check(bool up, uint32_t since)
{
	return lsc_wait(tp.port, tp.ifname, since, up, 3000);
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
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.port, &info), "dev_info_get failed");
	TEST_ASSERT(info.dev_flags != NULL && (*info.dev_flags & RTE_ETH_DEV_INTR_LSC),
		    "port %u does not announce RTE_ETH_DEV_INTR_LSC", tp.port);
	/* After start, IFF_RUNNING may come later, through an event */
	TEST_ASSERT_SUCCESS(wait_link(tp.port, tp.ifname, true, 3000), "link not up after start");
	TEST_ASSERT_SUCCESS(lsc_kern_link(tp.port, tp.ifname, ifindex, false),
			    "no LSC event for %s set down", tp.ifname);
	TEST_ASSERT_SUCCESS(lsc_kern_link(tp.port, tp.ifname, ifindex, true),
			    "no LSC event for %s set up", tp.ifname);
	TEST_ASSERT_SUCCESS(carrier_flip(ifindex, lsc_carrier_check),
			    "no LSC event for a carrier change of %s", tp.ifname);
	/* Not a link status change: none may come within 200 ms */
	since = lsc_calls();
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.port, 1400), "set_mtu 1400 failed");
	rte_delay_ms(200);
	TEST_ASSERT_EQUAL(lsc_calls(), since, "%u LSC events for an MTU change",
			  lsc_calls() - since);
	TEST_ASSERT_EQUAL(rte_atomic_load_explicit(&lsc_state.stray, rte_memory_order_relaxed), 0,
			  "callbacks for another port or event");
	TEST_ASSERT_SUCCESS(path_ready(tp.port, 1, tp.ifname, tp.sock),
			    "no traffic after the link events");
	TEST_ASSERT_SUCCESS(lsc_off(), "cannot unregister the LSC callback");
	return tp_close();
}

/* Its address tells the test's epoll events from others. */
static int intr_tag;

/* rte_epoll_wait on the thread's epoll instance; events, or -1. */
static int
intr_wait(unsigned int ms)
{
	struct rte_epoll_event ev[4];
	int n, i;

	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), (int)ms);
	for (i = 0; i < n; i++)
		TEST_ASSERT(ev[i].epdata.data == &intr_tag,
			    "epoll event with data %p, registered %p",
			    ev[i].epdata.data, (void *)&intr_tag);
	return n;
}

/* Enable the Rx interrupt of queue 0: it must wake within ms (0: not). */
static int
intr_round(unsigned int ms, const char *what)
{
	int n;

	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_enable(tp.port, 0),
			    "%s: rx_intr_enable failed", what);
	n = intr_wait(ms != 0 ? ms : 150);
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_disable(tp.port, 0),
			    "%s: rx_intr_disable failed", what);
	if (ms == 0)
		TEST_ASSERT_EQUAL(n, 0, "%s: %d Rx interrupts, none expected", what, n);
	else
		TEST_ASSERT(n >= 1, "%s: no Rx interrupt within %u ms (%d)", what, ms, n);
	return TEST_SUCCESS;
}

/* Drained, the interrupt stays quiet; then frame seq wakes the sleeper and rx_burst has it. */
static int
intr_idle_frame(uint32_t seq, uint32_t len, const char *what)
{
	rx_track_init(&rxt, tp.port, 0, 0, NULL, 60, 0);
	rx_drain(&rxt, 1, 50, WAIT_MS);
	TEST_ASSERT_SUCCESS(intr_round(0, what), "%s: woken while idle", what);
	rx_track_init(&rxt, tp.port, seq, 1, NULL, len, 0);
	TEST_ASSERT_SUCCESS(inject(tp.sock, seq, len, 0), "cannot inject");
	TEST_ASSERT_SUCCESS(intr_round(WAIT_MS, what), "%s: not woken", what);
	return rx_poll(&rxt, 1, WAIT_MS, QUIET_MS);
}

/* Rx interrupts and LSC; queue 0 on the thread's epoll (made before fds are counted). */
static int
intr_port(const char *tag)
{
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1, .rxq = 1 } };

	TEST_ASSERT(rte_intr_tls_epfd() >= 0, "no epoll instance");
	TEST_ASSERT_SUCCESS(drv_port(tag, 1, &conf, NB_MBUF, NB_RXD), "no port");
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(tp.port, 0, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_ADD, &intr_tag),
			    "rx_intr_ctl_q ADD failed");
	return TEST_SUCCESS;
}

static int
intr_close(void)
{
	TEST_ASSERT_SUCCESS(rte_eth_dev_rx_intr_ctl_q(tp.port, 0, RTE_EPOLL_PER_THREAD,
						      RTE_INTR_EVENT_DEL, &intr_tag),
			    "rx_intr_ctl_q DEL failed");
	TEST_ASSERT_SUCCESS(lsc_off(), "cannot unregister the LSC callback");
	return tp_close();
}

/* epoll sleeps while idle, wakes on a frame (also one there before enable), not while disabled. */
static int
test_rtap_rx_intr(void)
{
	TEST_ASSERT_SUCCESS(intr_port("irq"), "no port with Rx interrupts");
	TEST_ASSERT_SUCCESS(intr_idle_frame(0, 100, "one frame"), "one frame");
	/* Frames that completed before the interrupt was enabled */
	rx_track_init(&rxt, tp.port, 10, 2, NULL, 200, 0);
	TEST_ASSERT(inject(tp.sock, 10, 200, 0) == 0 &&
		    inject(tp.sock, 11, 200, 0) == 0, "cannot inject");
	rte_delay_ms(50);
	TEST_ASSERT_SUCCESS(intr_round(WAIT_MS, "frames before enable"),
			    "no wake-up for frames there before");
	TEST_ASSERT_SUCCESS(rx_poll(&rxt, 1, WAIT_MS, QUIET_MS),
			    "frames there before enable not received");
	/* Disabled: no wake-up, yet the frame is there */
	rx_track_init(&rxt, tp.port, 20, 1, NULL, 300, 0);
	TEST_ASSERT_SUCCESS(inject(tp.sock, 20, 300, 0), "cannot inject");
	TEST_ASSERT_EQUAL(intr_wait(150), 0, "Rx interrupt while disabled");
	TEST_ASSERT_SUCCESS(rx_poll(&rxt, 1, WAIT_MS, QUIET_MS),
			    "frame sent while disabled not received");
	return intr_close();
}

/* Link events on a port with Rx interrupts; Rx interrupts go on after. */
static int
test_rtap_rx_intr_lsc(void)
{
	unsigned int ifindex;

	TEST_ASSERT_SUCCESS(intr_port("irl"), "no port with Rx interrupts");
	ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT_SUCCESS(intr_idle_frame(0, 100, "before link events"), "before link events");
	TEST_ASSERT_SUCCESS(lsc_kern_link(tp.port, tp.ifname, ifindex, false),
			    "no LSC event for link down");
	TEST_ASSERT_SUCCESS(lsc_kern_link(tp.port, tp.ifname, ifindex, true),
			    "no LSC event for link up");
	TEST_ASSERT_SUCCESS(path_ready(tp.port, 1, tp.ifname, tp.sock),
			    "no traffic after link events");
	TEST_ASSERT_SUCCESS(intr_idle_frame(30, 1000, "after link events"), "after link events");
	return intr_close();
}

/*
 * DPDK as HOST_ADDR:lport of a TCP connection the kernel opens: it answers the SYN and ACKs the
 * data, checking each frame against what the Rx offloads promise, counting it in xs.
 */
struct tcp_peer {
	struct rte_ether_addr kmac;	/* the TAP's */
	struct xs_tally xs;
	bool offload;		/* Rx checksum offload and LRO configured */
	uint16_t lport;
	uint16_t kport;		/* the kernel's port, from its SYN */
	uint32_t kisn;		/* the kernel's initial sequence number */
	bool syn;
	uint32_t rcv_nxt;	/* stream bytes received in order */
	uint32_t nb_data;	/* data frames, of them nb_lro LRO */
	uint32_t nb_lro;
	bool udp;		/* the datagram arrived */
	int err;
};

static struct tcp_peer peer;

#define PEER_ISN		0x01000000u
#define UDP_LEN			1000

static int
peer_send(uint8_t flags, uint32_t seq, uint32_t ack, uint16_t mss)
{
	struct l4_frame fr = {
		.proto = IPPROTO_TCP, .src = host4, .dst = kern4,
		.sport = peer.lport, .dport = peer.kport, .seq = seq,
		.ack = ack, .tcp_flags = flags, .mss = mss,
	};
	struct rte_mbuf *m;
	uint16_t len;

	rte_ether_addr_copy(&peer.kmac, &fr.dmac);
	rte_ether_addr_copy(&host_mac, &fr.smac);
	len = (uint16_t)l4_build(frame_buf, &fr, 0);
	m = mbuf_build(tp.mp, frame_buf, &len, 1, RTE_PKTMBUF_HEADROOM);
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

	TEST_ASSERT_EQUAL(m->pkt_len, fr->data_off + fr->data_len,
			  "%u byte frame, %u by its IP header", m->pkt_len,
			  fr->data_off + fr->data_len);
	if (peer.offload) {
		/* partial checksums are fine, the data is whole */
		TEST_ASSERT(cs == RTE_MBUF_F_RX_L4_CKSUM_GOOD || cs == RTE_MBUF_F_RX_L4_CKSUM_NONE,
			    "%u byte frame with L4 checksum flags 0x%" PRIx64
			    ", GOOD or NONE expected", m->pkt_len, cs);
		TEST_ASSERT(ok || cs != RTE_MBUF_F_RX_L4_CKSUM_GOOD,
			    "%u byte frame marked GOOD with a wrong checksum", m->pkt_len);
		TEST_ASSERT(lro || !big, "%u byte frame without RX_LRO", m->pkt_len);
		TEST_ASSERT(!lro || (m->tso_segsz != 0 && m->tso_segsz <= TCP_MSS),
			    "LRO frame of %u bytes with tso_segsz %u", m->pkt_len, m->tso_segsz);
	} else {
		TEST_ASSERT(!big && !lro, "%u byte frame (LRO flag %d) without LRO configured",
			    m->pkt_len, lro);
		TEST_ASSERT(ok && (cs == RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN ||
				   cs == RTE_MBUF_F_RX_L4_CKSUM_GOOD),
			    "%u byte frame: checksum %s, flags 0x%" PRIx64
			    ", without Rx checksum offload", m->pkt_len,
			    ok ? "right" : "wrong", cs);
	}
	peer.nb_lro += lro;
	return TEST_SUCCESS;
}

/* A frame polled: the datagram, the SYN, or data to acknowledge. */
static int
peer_frame(struct rte_mbuf *m)
{
	const uint8_t *f = mbuf_linear(m);
	struct l4_frame fr;
	uint32_t off;

	xs_rx_count(&peer.xs, 0, m);
	TEST_ASSERT_NOT_NULL(f, "inconsistent chain of %u bytes", m->pkt_len);
	if (l4_parse(f, m->pkt_len, &fr) != 0 || fr.ipv6 ||
	    memcmp(fr.dst, host4, 4) != 0 || fr.dport != peer.lport)
		return TEST_SUCCESS;
	if (fr.proto == IPPROTO_UDP) {
		peer.udp = true;
		TEST_ASSERT_EQUAL(fr.data_len, UDP_LEN, "datagram of %u bytes", fr.data_len);
		TEST_ASSERT_SUCCESS(stream_check(f + fr.data_off, UDP_LEN, 0),
				    "datagram not as sent");
		return peer_check(m, f, &fr);
	}
	if (fr.tcp_flags & RTE_TCP_SYN_FLAG) {
		peer.kport = fr.sport;
		peer.kisn = fr.seq;
		peer.syn = true;
		TEST_ASSERT_SUCCESS(peer_check(m, f, &fr), "SYN");
		return peer_send(RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, PEER_ISN,
				 peer.kisn + 1, TCP_MSS);
	}
	if (!peer.syn || fr.sport != peer.kport || fr.data_len == 0)
		return TEST_SUCCESS;
	peer.nb_data++;
	off = fr.seq - (peer.kisn + 1);
	TEST_ASSERT_SUCCESS(peer_check(m, f, &fr), "data at %u", off);
	TEST_ASSERT_SUCCESS(stream_check(f + fr.data_off, fr.data_len, off),
			    "data frame at stream offset %u", off);
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
			if (peer.err == 0)
				peer.err = peer_frame(pkts[j]);
			else
				xs_rx_count(&peer.xs, 0, pkts[j]);
			rte_pktmbuf_free(pkts[j]);
		}
		if (n != 0)
			idle = deadline_ms(idle_ms);
		else
			rte_delay_us_block(200);
	} while (!expired(idle));
	return peer.err;
}

/* The kernel sends a UDP datagram and total bytes of TCP stream to the peer. */
static int
tcp_transfer(uint32_t total)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint64_t deadline = deadline_ms(5 * WAIT_MS);
	int fd = kern_socket(SOCK_STREAM), ufd = kern_socket(SOCK_DGRAM);
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	uint32_t sent = 0, chunk, i;
	bool connected = false;
	socklen_t elen;
	int err = 0;
	ssize_t r;

	TEST_ASSERT(fd >= 0 && ufd >= 0, "no kernel sockets");
	memcpy(&sa.sin_addr, host4, sizeof(host4));
	sa.sin_port = htons(peer.lport);
	for (i = 0; i < UDP_LEN; i++)
		frame_buf[i] = stream_byte(i);
	TEST_ASSERT_EQUAL(sendto(ufd, frame_buf, UDP_LEN, 0,
				 (struct sockaddr *)&sa, sizeof(sa)), UDP_LEN,
			  "kernel UDP send: %s", strerror(errno));
	TEST_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
		    errno == EINPROGRESS, "kernel TCP connect: %s", strerror(errno));
	while (peer.rcv_nxt < total || !peer.udp) {
		TEST_ASSERT(!expired(deadline),
			    "kernel sent %u, DPDK received %u of %u bytes (%s, datagram %s)",
			    sent, peer.rcv_nxt, total, connected ? "connected" :
			    peer.syn ? "SYN answered" : "no SYN", peer.udp ? "in" : "missing");
		TEST_ASSERT_SUCCESS(peer_poll(0), "peer: a frame was wrong");
		if (!connected && poll(&pfd, 1, 0) == 1) {
			elen = sizeof(err);
			TEST_ASSERT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
					       &elen) == 0 && err == 0,
				    "kernel TCP connect: %s", strerror(err));
			connected = true;
		}
		if (!connected || sent == total)
			continue;
		chunk = RTE_MIN(total - sent, (uint32_t)FRAME_BUF);
		for (i = 0; i < chunk; i++)
			frame_buf[i] = stream_byte(sent + i);
		r = send(fd, frame_buf, chunk, MSG_DONTWAIT);
		TEST_ASSERT(r > 0 || errno == EAGAIN || errno == EWOULDBLOCK,
			    "kernel TCP send: %s", strerror(errno));
		sent += r > 0 ? r : 0;
	}
	ctx_close_sock(fd);
	ctx_close_sock(ufd);
	return TEST_SUCCESS;
}

/* One transfer, with or without Rx offloads; the xstats count it all. */
static int
rx_offload_round(bool offload)
{
	memset(&peer, 0, sizeof(peer));
	peer.offload = offload;
	peer.lport = 5201 + !offload;
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(tp.port, &peer.kmac), "macaddr_get failed");
	TEST_ASSERT_SUCCESS(rte_eth_xstats_reset(tp.port), "xstats_reset failed");
	TEST_ASSERT_SUCCESS(tcp_transfer(256 * 1024), "TCP transfer %s Rx offloads failed",
			    offload ? "with" : "without");
	printf("%s Rx offloads: %u data frames, %u LRO\n",
	       offload ? "with" : "without", peer.nb_data, peer.nb_lro);
	TEST_ASSERT(!offload || peer.nb_lro > 0, "no super-packet arrived with LRO");
	/* What came after, for the xstats to be complete */
	peer_poll(QUIET_MS);
	return xs_check(tp.port, 1, &peer.xs);
}

/*
 * A kernel TCP stream and a UDP datagram with Rx checksum offload, LRO and scatter, then without:
 * flags, super-packets and xstats as the offloads promise.
 */
static int
test_rtap_rx_offload(void)
{
	const uint64_t need = RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO |
		RTE_ETH_RX_OFFLOAD_SCATTER;
	/* LRO: an IP packet of 64 KiB and its Ethernet header */
	struct rte_eth_conf conf = { .rxmode = { .offloads = need,
		.max_lro_pkt_size = UINT16_MAX + RTE_ETHER_HDR_LEN } };
	struct rte_mempool *bigmp;
	unsigned int bigavail0;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	tp.mp = pool_create(NB_MBUF);
	/* with LRO each posted read takes up to 64 KiB: 16 KiB mbufs */
	bigmp = pool_create_sized(512, 16384 + RTE_PKTMBUF_HEADROOM);
	TEST_ASSERT(tp.mp != NULL && bigmp != NULL, "no mempools");
	tp.avail0 = rte_mempool_avail_count(tp.mp);
	bigavail0 = rte_mempool_avail_count(bigmp);
	TEST_ASSERT_SUCCESS(ns_port_start("ro", &conf, bigmp, 64, false,
					  tp.vdev, &tp.port, tp.ifname,
					  &tp.sock), "no port with Rx offloads");
	TEST_ASSERT_SUCCESS(offload_capa_check(tp.port, true, need), "Rx offloads not offered");
	TEST_ASSERT_SUCCESS(rx_offload_round(true), "with Rx offloads");
	/* Taking the link down flushed the neighbours, even permanent ones */
	memset(&conf, 0, sizeof(conf));
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.port), "stop failed");
	TEST_ASSERT_SUCCESS(port_start(tp.port, 1, &conf, tp.mp, NB_RXD,
				       NB_TXD), "restart without offloads");
	TEST_ASSERT_SUCCESS(kern_ip_setup(tp.ifname, false, false), "addresses lost");
	TEST_ASSERT_SUCCESS(path_ready(tp.port, 1, tp.ifname, tp.sock),
			    "no traffic without offloads");
	TEST_ASSERT_SUCCESS(rx_offload_round(false), "without Rx offloads");
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
	uint64_t refused;	/* injections refused, nobufs with ENOBUFS */
	uint64_t nobufs;
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
	TEST_ASSERT_SUCCESS(drv_port(tag, PUMP_QUEUES, conf, NB_MBUF, 256), "no port");
	TEST_ASSERT_SUCCESS(pkt_bypass_qdisc(tp.sock), "no qdisc bypass");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "stats_reset failed");
	rx_track_init(&rxt, tp.port, 0, MAX_BATCH, NULL, PUMP_LEN, PUMP_FLOWS);
	cap_track_init(&capt, PUMP_OUT_BASE, MAX_BATCH, NULL, PUMP_LEN);
	tx_reap(tp.port, PUMP_QUEUES);
	pump.avail_run = rte_mempool_avail_count(tp.mp);
	return TEST_SUCCESS;
}

static int
pump_round(void)
{
	struct rte_mbuf *pkts[PUMP_OUT];
	uint32_t i, idx;
	uint16_t n, sent;

	for (i = 0; i < PUMP_IN && pump.nb_in < MAX_BATCH; i++) {
		idx = pump.nb_in++;
		frame_build(frame_buf, PUMP_LEN, idx, PUMP_FLOWS);
		if (send(tp.sock, frame_buf, PUMP_LEN, MSG_DONTWAIT) == PUMP_LEN) {
			pump.in[idx] = PF_TAKEN | PF_DUE;
		} else {
			pump.refused++;
			pump.nobufs += errno == ENOBUFS;
		}
	}
	for (n = 0; n < PUMP_OUT && pump.nb_out + n < MAX_BATCH; n++) {
		pkts[n] = mbuf_frame(tp.mp, PUMP_OUT_BASE + pump.nb_out + n, PUMP_LEN);
		TEST_ASSERT_NOT_NULL(pkts[n], "pump: no mbuf");
	}
	sent = rte_eth_tx_burst(tp.port, pump.rounds % PUMP_QUEUES, pkts, n);
	for (i = 0; i < sent; i++)
		pump.out[pump.nb_out + i] = PF_TAKEN |
			(pump.link_up ? PF_DUE : 0);
	rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	pump.nb_out += n;
	pump.taken += sent;
	pump.due += pump.link_up ? sent : 0;
	pump.polled += rx_poll_once(&rxt, PUMP_QUEUES);
	TEST_ASSERT(cap_drain(tp.sock, &capt) >= 0 && rxt.err == 0, "pump: a frame was wrong");
	rte_atomic_fetch_add_explicit(&pump.rounds, 1, rte_memory_order_release);
	return TEST_SUCCESS;
}

static int
pump_rounds(unsigned int n)
{
	while (n-- > 0)
		TEST_ASSERT_SUCCESS(pump_round(), "pump round %u", pump.rounds);
	return TEST_SUCCESS;
}

/* Take what is still on its way, until nothing has come for QUIET_MS. */
static int
pump_drain(void)
{
	uint64_t end = deadline_ms(WAIT_MS), idle = deadline_ms(QUIET_MS);
	unsigned int n;
	int r;

	while (!expired(end) && !expired(idle)) {
		tx_reap(tp.port, PUMP_QUEUES);
		n = rx_poll_once(&rxt, PUMP_QUEUES);
		pump.polled += n;
		r = cap_drain(tp.sock, &capt);
		TEST_ASSERT(r >= 0 && rxt.err == 0, "pump: a frame was wrong");
		if (n + r > 0)
			idle = deadline_ms(QUIET_MS);
		else
			rte_delay_ms(1);
	}
	return TEST_SUCCESS;
}

/* One direction: nothing arrived that was not taken; with exact, all due arrived. */
static int
pump_dir_check(const char *dir, const uint8_t *flags, const uint8_t *seen,
	       uint32_t nb, uint32_t base, bool exact)
{
	uint32_t i, bad = 0;

	for (i = 0; i < nb; i++) {
		if (!(seen[i] && !(flags[i] & PF_TAKEN)) &&
		    !(exact && !seen[i] && (flags[i] & PF_DUE)))
			continue;
		if (bad++ < 8)
			printf("%s: frame %u %s\n", dir, base + i, seen[i] ?
			       "arrived, yet it was not taken" : "was taken and never arrived");
	}
	TEST_ASSERT_EQUAL(bad, 0, "%s: %u of %u frames wrong", dir, bad, nb);
	return TEST_SUCCESS;
}

/*
 * Once all is in: ipackets = frames polled, opackets + oerrors = frames taken; with exact (link
 * state of each round known) every frame due arrived, opackets = due, imissed = ENOBUFS refusals.
 */
static int
pump_check(bool exact)
{
	struct rte_eth_stats st;

	TEST_ASSERT_SUCCESS(pump_drain(), "drain");
	TEST_ASSERT_SUCCESS(pump_dir_check("rx", pump.in, rxt.seen,
					   pump.nb_in, 0, exact), "Rx frames");
	TEST_ASSERT_SUCCESS(pump_dir_check("tx", pump.out, capt.seen,
					   pump.nb_out, PUMP_OUT_BASE, exact), "Tx frames");
	TEST_ASSERT_SUCCESS(stats_reach(tp.port, PUMP_QUEUES, &st,
					&st.opackets, &st.oerrors, pump.taken), "no stats");
	printf("pump: %u rounds; rx: %u injected, %" PRIu64 " refused (%"
	       PRIu64 " ENOBUFS), %u arrived; tx: %" PRIu64 " taken, %" PRIu64
	       " due, %u captured\n", pump.rounds, pump.nb_in, pump.refused,
	       pump.nobufs, rxt.got, pump.taken, pump.due, capt.got);
	TEST_ASSERT_EQUAL(st.ipackets, pump.polled, "ipackets %" PRIu64
			  ", %" PRIu64 " polled", st.ipackets, pump.polled);
	TEST_ASSERT_EQUAL(st.opackets + st.oerrors, pump.taken,
			  "opackets + oerrors %" PRIu64 ", %" PRIu64 " taken",
			  st.opackets + st.oerrors, pump.taken);
	if (!exact)
		return TEST_SUCCESS;
	TEST_ASSERT(st.opackets == pump.due && st.imissed == pump.nobufs &&
		    st.ierrors == 0 && st.rx_nombuf == 0,
		    "opackets %" PRIu64 " imissed %" PRIu64 " ierrors %" PRIu64
		    " rx_nombuf %" PRIu64 ", expected %" PRIu64 ", %" PRIu64
		    ", 0, 0", st.opackets, st.imissed, st.ierrors,
		    st.rx_nombuf, pump.due, pump.nobufs);
	return TEST_SUCCESS;
}

/* rounds more rounds: all sent is due, at most one injection refused (pending ENETDOWN). */
static int
pump_resume(unsigned int rounds)
{
	uint32_t in_from = pump.nb_in, out_from = pump.nb_out, i;
	uint32_t in_taken = 0, out_due = 0;

	TEST_ASSERT_SUCCESS(pump_rounds(rounds), "pump");
	for (i = in_from; i < pump.nb_in; i++)
		in_taken += pump.in[i] & PF_TAKEN;
	for (i = out_from; i < pump.nb_out; i++)
		out_due += !!(pump.out[i] & PF_DUE);
	TEST_ASSERT(pump.nb_in - in_from >= 2 &&
		    in_taken + 1 >= pump.nb_in - in_from && out_due != 0 &&
		    out_due == pump.nb_out - out_from,
		    "traffic did not resume: the kernel took %u of %u frames, %u of %u transmitted were due",
		    in_taken, pump.nb_in - in_from, out_due, pump.nb_out - out_from);
	return TEST_SUCCESS;
}

/* Set the link ifindex up or down from outside, between two rounds. */
static int
pump_link(unsigned int ifindex, bool up)
{
	int ret = kern_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP);

	TEST_ASSERT_SUCCESS(ret, "cannot set interface %u %s: %s", ifindex,
			    up ? "up" : "down", strerror(-ret));
	pump.link_up = up;
	return TEST_SUCCESS;
}

/* Carrier off for 10 rounds of the pump, then on: traffic resumes. */
static int
pump_carrier_check(bool up, uint32_t since)
{
	RTE_SET_USED(since);
	return up ? pump_resume(10) : pump_rounds(10);
}

/*
 * IFF_UP, then the carrier, off and on from outside twice while traffic runs both ways with LSC on:
 * nothing the kernel took is lost, what was sent while down is in oerrors, traffic resumes, and the
 * Rx rings keep their mbufs.
 */
static int
test_rtap_link_flap(void)
{
	struct rte_eth_conf conf = { .intr_conf = { .lsc = 1 } };
	unsigned int ifindex, round;

	TEST_ASSERT_SUCCESS(pump_start("fl", &conf), "no pump");
	ifindex = if_nametoindex(tp.ifname);
	for (round = 0; round < 2; round++) {
		TEST_ASSERT_SUCCESS(pump_rounds(20), "traffic");
		TEST_ASSERT_SUCCESS(pump_link(ifindex, false), "link down");
		TEST_ASSERT_SUCCESS(pump_rounds(10), "traffic while down");
		TEST_ASSERT_SUCCESS(pump_link(ifindex, true), "link up");
		TEST_ASSERT_SUCCESS(pump_resume(10), "%s set down and up", tp.ifname);
		TEST_ASSERT_SUCCESS(carrier_flip(ifindex, pump_carrier_check),
				    "the carrier of %s off and on", tp.ifname);
	}
	TEST_ASSERT_SUCCESS(pump_rounds(20), "traffic after the flaps");
	TEST_ASSERT_SUCCESS(pump_check(true), "where the frames went");
	TEST_ASSERT_SUCCESS(pool_running_check(tp.port, PUMP_QUEUES, tp.mp, pump.avail_run),
			    "Rx rings lost or kept mbufs");
	TEST_ASSERT_SUCCESS(wait_link(tp.port, tp.ifname, true, 3000),
			    "link not up after the flaps");
	return tp_close();
}

/* A thread that deletes a link once the pump has done some rounds. */
struct link_killer {
	uint32_t after;
	unsigned int ifindex;
	int ret;
	RTE_ATOMIC(uint32_t) done;
};

static uint32_t
link_killer_run(void *arg)
{
	struct link_killer *k = arg;
	uint64_t deadline = deadline_ms(WAIT_MS);

	while (rte_atomic_load_explicit(&pump.rounds, rte_memory_order_acquire) < k->after &&
	       !expired(deadline))
		rte_delay_us_sleep(100);
	k->ret = kern_del_link(k->ifindex);
	rte_atomic_store_explicit(&k->done, 1, rte_memory_order_release);
	return 0;
}

/* RTM_DELLINK of the pump's interface from another thread while the pump goes on. */
static int
pump_link_del(void)
{
	static struct link_killer k;
	uint64_t deadline = deadline_ms(2 * WAIT_MS);

	memset(&k, 0, sizeof(k));
	k.after = 20;
	k.ifindex = if_nametoindex(tp.ifname);
	TEST_ASSERT_SUCCESS(ctx_thread(link_killer_run, &k), "no thread");
	while (!rte_atomic_load_explicit(&k.done, rte_memory_order_acquire)) {
		TEST_ASSERT_SUCCESS(pump_round(), "traffic during deletion");
		/* Paced while the kernel deletes: frames left for after */
		if (pump.rounds > k.after)
			rte_delay_us_block(200);
		TEST_ASSERT(!expired(deadline), "the interface was not deleted within %d ms",
			    2 * WAIT_MS);
	}
	ctx_join();
	TEST_ASSERT_SUCCESS(k.ret, "RTM_DELLINK of %s: %s", tp.ifname, strerror(-k.ret));
	return wait_if_gone(tp.ifname, WAIT_MS);
}

/*
 * RTM_DELLINK of the interface from another thread mid-traffic: the bursts go on returning, taken
 * frames count in oerrors, link down, start fails, close leaves nothing (no kernel-named rtap<N>).
 */
static int
test_rtap_link_del(void)
{
	unsigned int since = max_ifindex();
	struct rte_eth_stats st0, st;
	struct rte_eth_link link;
	char leaked[IF_NAMESIZE];
	uint64_t taken0;

	TEST_ASSERT_SUCCESS(pump_start("dl", NULL), "no pump");
	TEST_ASSERT_SUCCESS(pump_link_del(), "interface deletion");
	/* From here on, every frame tx_burst takes is an error */
	tx_reap(tp.port, PUMP_QUEUES);
	taken0 = pump.taken;
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st0), "no stats");
	TEST_ASSERT_SUCCESS(pump_rounds(50), "traffic after deletion");
	TEST_ASSERT_SUCCESS(pump_check(false), "where the frames went");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "no stats");
	TEST_ASSERT(st.opackets == st0.opackets && st.oerrors - st0.oerrors == pump.taken - taken0,
		    "after the deletion: %" PRIu64 " frames taken, opackets +%"
		    PRIu64 " oerrors +%" PRIu64, pump.taken - taken0,
		    st.opackets - st0.opackets, st.oerrors - st0.oerrors);
	/* Each read ended once with EBADFD and is not posted again */
	TEST_ASSERT_SUCCESS(pump_rounds(50), "more traffic after deletion");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st0), "no stats");
	TEST_ASSERT_EQUAL(st0.ierrors, st.ierrors, "Rx of the deleted interface goes on failing: "
			  "ierrors %" PRIu64 ", then %" PRIu64, st.ierrors, st0.ierrors);
	TEST_ASSERT_SUCCESS(pool_running_check(tp.port, PUMP_QUEUES, tp.mp, pump.avail_run),
			    "Rx rings lost or kept mbufs");
	memset(&link, 0, sizeof(link));
	TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(tp.port, &link), "link_get failed");
	TEST_ASSERT_EQUAL(link.link_status, RTE_ETH_LINK_DOWN,
			  "link up after the interface was deleted");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.port), "stop after the deletion failed");
	TEST_ASSERT(rte_eth_dev_start(tp.port) != 0, "start succeeded with the interface deleted");
	TEST_ASSERT_SUCCESS(tp_close(), "close after the deletion");
	TEST_ASSERT_EQUAL(new_default_iface(since, leaked), 0,
			  "interface %s appeared after close", leaked);
	return TEST_SUCCESS;
}

/* Move the interface to netns nsfd mid-traffic, follow it there (same ifindex), set it up. */
static int
pump_move(const char *ifname, unsigned int ifindex, int nsfd)
{
	int ret = kern_set_netns(ifindex, nsfd);

	TEST_ASSERT_SUCCESS(ret, "cannot move %s to another namespace: %s", ifname, strerror(-ret));
	pump.link_up = false;
	TEST_ASSERT_SUCCESS(pump_rounds(5), "traffic during the move");
	TEST_ASSERT_SUCCESS(netns_switch(nsfd), "cannot follow %s", ifname);
	ctx_close_sock(tp.sock);
	TEST_ASSERT_EQUAL(if_nametoindex(ifname), ifindex,
			  "%s has ifindex %u after the move, %u before", ifname,
			  if_nametoindex(ifname), ifindex);
	kern_ipv6_quiet(ifindex);
	TEST_ASSERT_SUCCESS(pump_link(ifindex, true), "link up after the move");
	tp.sock = pkt_open(ifname);
	TEST_ASSERT(tp.sock >= 0, "no packet socket on %s", ifname);
	return pkt_bypass_qdisc(tp.sock);
}

/* Renamed while down: traffic resumes when up, control reaches it under the new name. */
static int
pump_rename(unsigned int ifindex, const char *name2)
{
	int kmtu = 0;

	TEST_ASSERT_SUCCESS(pump_rounds(20), "traffic");
	TEST_ASSERT_SUCCESS(pump_link(ifindex, false), "link down");
	TEST_ASSERT_SUCCESS(pump_rounds(5), "traffic while down");
	TEST_ASSERT_SUCCESS(rename_check(ifindex, tp.ifname, name2), "rename to %s", name2);
	TEST_ASSERT_SUCCESS(pump_rounds(5), "traffic after rename");
	TEST_ASSERT_SUCCESS(pump_link(ifindex, true), "link up");
	TEST_ASSERT_SUCCESS(pump_resume(20), "after rename");
	return mtu_set_kern(tp.port, name2, 1400, &kmtu);
}

/*
 * The interface renamed while down, moved to another netns and back, and there again, with traffic
 * running: the data path follows it (by ifindex), control only at home (the port's rtnetlink socket
 * stays there: set_mtu fails away, link_get reports the port's own state); close deletes it away.
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
	TEST_ASSERT_SUCCESS(pump_rename(ifindex, name2), "renamed to %s", name2);
	TEST_ASSERT_SUCCESS(pump_move(name2, ifindex, ctx.other_ns), "move");
	TEST_ASSERT_SUCCESS(pump_resume(20), "in the other namespace");
	TEST_ASSERT(rte_eth_dev_set_mtu(tp.port, 1300) != 0,
		    "set_mtu reached an interface in another namespace");
	TEST_ASSERT(kern_mtu(name2, &kmtu) == 0 && kmtu == 1400,
		    "kernel MTU %d, 1400 expected", kmtu);
	memset(&link, 0, sizeof(link));
	TEST_ASSERT(rte_eth_link_get_nowait(tp.port, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP,
		    "link down, the port's own state (started) expected");
	TEST_ASSERT_SUCCESS(pump_move(name2, ifindex, ctx.home_ns), "move back");
	TEST_ASSERT_SUCCESS(pump_resume(20), "back home");
	TEST_ASSERT_SUCCESS(mtu_set_kern(tp.port, name2, 1300, &kmtu),
			    "set_mtu back home (kernel MTU %d)", kmtu);
	TEST_ASSERT_SUCCESS(pump_check(true), "where the frames went");
	TEST_ASSERT_SUCCESS(pool_running_check(tp.port, PUMP_QUEUES, tp.mp, pump.avail_run),
			    "Rx rings lost or kept mbufs");
	/* Closed while away: it goes there too */
	TEST_ASSERT_SUCCESS(pump_move(name2, ifindex, ctx.other_ns), "move");
	strlcpy(tp.ifname, name2, sizeof(tp.ifname));
	TEST_ASSERT_SUCCESS(tp_close(), "close in the other namespace");
	return netns_switch(ctx.home_ns);
}

#define RECONF_CYCLES		200
#define RECONF_FRAMES		4	/* each way, per queue and cycle */

/*
 * RECONF_FRAMES frames per queue each way, short and of the MTU's largest size, Tx in 1000-byte
 * chains if chains (else up to 1514 bytes), all byte-exact; with in_flight only sent, for stop.
 */
static int
reconf_traffic(uint16_t nb_q, uint16_t mtu, bool chains, uint32_t base, bool in_flight)
{
	static uint32_t rxlen[RECONF_FRAMES * 4], txlen[RECONF_FRAMES * 4];
	const uint32_t nb = RECONF_FRAMES * nb_q;
	const uint32_t rxmax = mtu + RTE_ETHER_HDR_LEN;
	const uint32_t txmax = chains ? rxmax :
		RTE_MIN(rxmax, (uint32_t)RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN);
	struct rte_mbuf *pkts[RECONF_FRAMES];
	uint32_t i, seq;
	uint16_t q;

	for (i = 0; i < nb; i++) {
		rxlen[i] = i % 2 == 0 ? rxmax : 60 + i;
		txlen[i] = i % 2 == 0 ? txmax : 60 + i;
		frame_build(frame_buf, rxlen[i], base + i, 16);
		TEST_ASSERT_EQUAL(send(tp.sock, frame_buf, rxlen[i],
				       MSG_DONTWAIT), (ssize_t)rxlen[i],
				  "cannot inject frame %u of %u bytes: %s",
				  base + i, rxlen[i], strerror(errno));
	}
	rx_track_init(&rxt, tp.port, base, nb, rxlen, 0, 16);
	cap_track_init(&capt, base + nb, nb, txlen, 0);
	for (q = 0; q < nb_q; q++) {
		for (i = 0; i < RECONF_FRAMES; i++) {
			seq = q * RECONF_FRAMES + i;
			frame_build(frame_buf, txlen[seq], base + nb + seq, 0);
			pkts[i] = mbuf_chunks(tp.mp, frame_buf, txlen[seq],
					      chains ? 1000 : UINT16_MAX);
			TEST_ASSERT_NOT_NULL(pkts[i], "no frame %u", seq);
		}
		TEST_ASSERT_SUCCESS(tx_all(tp.port, q, pkts, RECONF_FRAMES),
				    "Tx on queue %u failed", q);
	}
	if (in_flight)
		return TEST_SUCCESS;
	TEST_ASSERT_SUCCESS(rx_poll(&rxt, nb_q, WAIT_MS, 0), "Rx frames");
	return cap_poll(tp.sock, &capt, WAIT_MS, 0);
}

/* What rte_eth_rx/tx_queue_info_get() tell of every queue of the port. */
static int
reconf_qinfo(uint16_t nb_q, const struct rte_eth_conf *conf, uint16_t nb_desc)
{
	bool scatter = !!(conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER);
	struct rte_eth_rxq_info rqi;
	struct rte_eth_txq_info tqi;
	uint16_t q;

	for (q = 0; q < nb_q; q++) {
		TEST_ASSERT(rte_eth_rx_queue_info_get(tp.port, q, &rqi) == 0 &&
			    rte_eth_tx_queue_info_get(tp.port, q, &tqi) == 0,
			    "no info of queue %u", q);
		TEST_ASSERT(rqi.mp == tp.mp && rqi.nb_desc == nb_desc &&
			    rqi.scattered_rx == scatter &&
			    rqi.conf.offloads == conf->rxmode.offloads && tqi.nb_desc == nb_desc &&
			    tqi.conf.offloads == conf->txmode.offloads,
			    "queue %u: Rx mp %s, %u descriptors, scattered %u, offloads 0x%"
			    PRIx64 "; Tx %u descriptors, offloads 0x%" PRIx64
			    "; expected %u descriptors, offloads 0x%" PRIx64 " and 0x%" PRIx64, q,
			    rqi.mp != NULL ? rqi.mp->name : "-", rqi.nb_desc,
			    rqi.scattered_rx, rqi.conf.offloads, tqi.nb_desc,
			    tqi.conf.offloads, nb_desc, conf->rxmode.offloads,
			    conf->txmode.offloads);
	}
	return TEST_SUCCESS;
}

/*
 * Cycle c of queues, descriptors, MTU and offloads in turns that meet in every combination: the
 * kernel MTU and queue info follow, traffic crosses, stop returns every mbuf and no fd grows.
 */
static int
reconf_cycle(unsigned int c, int *fds_at)
{
	static const struct {
		uint64_t offloads;
		uint16_t mtu;
	} rxv[] = {
		{ 0, RTE_ETHER_MTU },
		{ RTE_ETH_RX_OFFLOAD_SCATTER, JUMBO_MTU },
		{ RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM, 1280 },
		{ RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO, RTE_ETHER_MTU },
		{ RTE_ETH_RX_OFFLOAD_SCATTER, 2000 },
	};
	static const uint64_t txv[] = {
		0,
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO,
	};
	const unsigned int r = c % RTE_DIM(rxv);
	const uint16_t nb_q = 1 + c % 4;
	/* LRO: 35 mbufs per descriptor */
	const uint16_t nb_desc = rxv[r].offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO ?
		64 : 64 << (c / 4 % 4);
	struct rte_eth_conf conf = { .rxmode = { .mtu = rxv[r].mtu, .offloads = rxv[r].offloads },
		.txmode = { .offloads = txv[c % RTE_DIM(txv)] } };
	int kmtu = 0;

	TEST_ASSERT_SUCCESS(port_start(tp.port, nb_q, &conf, tp.mp, nb_desc, nb_desc),
			    "start with %u queues of %u descriptors, MTU %u, offloads Rx 0x%"
			    PRIx64 " Tx 0x%" PRIx64, nb_q, nb_desc,
			    rxv[r].mtu, conf.rxmode.offloads, conf.txmode.offloads);
	TEST_ASSERT(kern_mtu(tp.ifname, &kmtu) == 0 && kmtu == rxv[r].mtu,
		    "kernel MTU %d, %u expected", kmtu, rxv[r].mtu);
	TEST_ASSERT_SUCCESS(reconf_qinfo(nb_q, &conf, nb_desc),
			    "queue info does not match the set-up");
	/* The socket was left with the ENETDOWN of the last stop */
	pkt_clear_error(tp.sock);
	TEST_ASSERT_SUCCESS(reconf_traffic(nb_q, rxv[r].mtu, conf.txmode.offloads != 0, c * 1000,
					   c % 8 == 7),
			    "traffic with %u queues of %u descriptors, MTU %u",
			    nb_q, nb_desc, rxv[r].mtu);
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.port), "stop failed");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(tp.mp), tp.avail0,
			  "%u of %u mbufs in the pool after stop",
			  rte_mempool_avail_count(tp.mp), tp.avail0);
	if (fds_at[nb_q] < 0)
		fds_at[nb_q] = count_fds();
	TEST_ASSERT_EQUAL(count_fds(), fds_at[nb_q],
			  "%d open files after stop, %d at the last stop with %u queues",
			  count_fds(), fds_at[nb_q], nb_q);
	return TEST_SUCCESS;
}

/* RECONF_CYCLES stop/reconfigure/start cycles with traffic; close leaves nothing behind. */
static int
test_rtap_reconfigure(void)
{
	int fds_at[5] = { -1, -1, -1, -1, -1 };
	uint64_t start = rte_get_timer_cycles();
	unsigned int c;

	/* 4 queues of 512 descriptors of 5 mbufs (MTU 9000), and traffic */
	TEST_ASSERT_SUCCESS(drv_pool(16384), "no mempool");
	TEST_ASSERT_SUCCESS(probe_iface("rc", tp.vdev, &tp.port, tp.ifname), "probe failed");
	tp.sock = pkt_open(tp.ifname);
	TEST_ASSERT(tp.sock >= 0, "no packet socket");
	TEST_ASSERT_SUCCESS(pkt_bypass_qdisc(tp.sock), "no qdisc bypass");
	for (c = 0; c < RECONF_CYCLES; c++)
		TEST_ASSERT_SUCCESS(reconf_cycle(c, fds_at), "cycle %u", c);
	printf("%u cycles in %" PRIu64 " ms\n", RECONF_CYCLES,
	       (rte_get_timer_cycles() - start) * 1000 / rte_get_timer_hz());
	return tp_close();
}

/* Interrupts, link events, faults from outside, reconfiguration. */
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
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_link_updown),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_modes),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_lsc),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_intr),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_intr_lsc),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_rx_offload),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_link_flap),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_link_del),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_netns_move),
		TEST_CASE_ST(ctx_setup, drv_teardown, test_rtap_reconfigure),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap_driver(void)
{
	return unit_test_suite_runner(&rtap_pmd_driver_testsuite);
}

REGISTER_DRIVER_TEST(rtap_pmd_driver_autotest, test_pmd_rtap_driver);
