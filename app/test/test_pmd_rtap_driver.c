/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * The heavier net_rtap unit tests (interrupts, link control, faults,
 * multiple queues, reconfiguration) and the multi-process test.
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

/* persist keeps the interface after close; without it close removes it. */
static int
test_rtap_persist(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
	struct rte_mempool *mp;
	unsigned int ifindex, avail0;
	uint64_t deadline;
	uint16_t port;
	int fds0;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();

	make_ifname(ifname, "k");
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s,persist", ifname);
	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
			    "probe with %s failed", args);
	ifindex = if_nametoindex(ifname);
	TEST_ASSERT(ifindex != 0, "no interface %s", ifname);
	TEST_ASSERT_SUCCESS(port_start(port, 2, NULL, mp, NB_RXD, NB_TXD),
			    "port start failed");
	TEST_ASSERT_SUCCESS(port_close(port, vdev), "close failed");

	/* It must stay, not merely be slow to go */
	deadline = deadline_ms(300);
	while (!expired(deadline)) {
		TEST_ASSERT_EQUAL(if_nametoindex(ifname), ifindex,
				  "persistent %s (ifindex %u) gone after close",
				  ifname, ifindex);
		rte_delay_ms(10);
	}
	TEST_ASSERT_EQUAL(count_fds(), fds0,
			  "open files %d before, %d after close with persist",
			  fds0, count_fds());
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), avail0,
			  "pool has %u of %u mbufs after close",
			  rte_mempool_avail_count(mp), avail0);

	TEST_ASSERT_SUCCESS(kern_del_link(ifindex), "cannot delete %s",
			    ifname);
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
			    "%s still there after RTM_DELLINK", ifname);

	/* And without persist */
	make_ifname(ifname, "q");
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
			    "probe with %s failed", args);
	TEST_ASSERT_SUCCESS(port_start(port, 2, NULL, mp, NB_RXD, NB_TXD),
			    "port start failed");
	TEST_ASSERT_SUCCESS(port_close(port, vdev), "close failed");
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
			    "%s still exists %d ms after close", ifname,
			    WAIT_MS);
	TEST_ASSERT_EQUAL(count_fds(), fds0, "open files %d before, %d after",
			  fds0, count_fds());
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), avail0,
			  "pool has %u of %u mbufs after close",
			  rte_mempool_avail_count(mp), avail0);
	ctx_free_pool(mp);
	return TEST_SUCCESS;
}

/* 50 ports in a row, in various states, leak nothing. */
static int
test_rtap_probe_loop(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], tag[8];
	char args[64];
	struct rte_mempool *mp;
	unsigned int i, avail0;
	uint16_t port;
	int fds0;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();

	for (i = 0; i < 50; i++) {
		snprintf(tag, sizeof(tag), "n%u", i);
		make_ifname(ifname, tag);
		ctx_add_ifname(ifname);
		snprintf(args, sizeof(args), "iface=%s", ifname);
		TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port,
					       NULL),
				    "probe %u (%s) failed", i, args);
		switch (i % 4) {
		case 0:		/* probe and close only */
			break;
		case 1:		/* configured, never started */
			TEST_ASSERT_SUCCESS(port_setup(port, 2, NULL, mp, 64,
						       64),
					    "setup of port %u failed", i);
			break;
		default:	/* started and stopped */
			TEST_ASSERT_SUCCESS(port_start(port, 1 + i % 3, NULL,
						       mp, 64, 64),
					    "start of port %u failed", i);
			TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port),
					    "stop of port %u failed", i);
			break;
		}
		if (i % 5 == 4) {
			/* removal through the bus instead of ethdev close */
			TEST_ASSERT_SUCCESS(rte_vdev_uninit(vdev),
					    "rte_vdev_uninit %s failed", vdev);
			ctx_forget_vdev(vdev);
		} else {
			TEST_ASSERT_SUCCESS(port_close(port, vdev),
					    "close of port %u failed", i);
		}
		TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
				    "%s still exists after close", ifname);
		ctx_forget_ifname(ifname);
	}
	TEST_ASSERT_EQUAL(count_fds(), fds0,
			  "open files %d before 50 ports, %d after", fds0,
			  count_fds());
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), avail0,
			  "pool has %u of %u mbufs after 50 ports",
			  rte_mempool_avail_count(mp), avail0);
	ctx_free_pool(mp);
	return TEST_SUCCESS;
}

/*
 * One round of traffic on nb_q queue pairs: many IPv4/UDP flows from the
 * kernel, each frame received exactly once, each flow on one queue, the
 * per-queue counters matching; then frames sent on every queue reach the
 * kernel.
 */
static int
mq_round(uint16_t port, uint16_t nb_q, int sock, struct rte_mempool *mp,
	 struct rx_track *t, struct cap_track *c, uint32_t base)
{
	const uint32_t nb_flows = 128, nb = 512;
	uint32_t per_tx[RTAP_MAX_QUEUES];
	uint16_t q, used;

	if (rte_eth_stats_reset(port) != 0 || rte_eth_xstats_reset(port) != 0 ||
	    queue_counters_check(port, "rx", nb_q, NULL) != 0 ||
	    queue_counters_check(port, "tx", nb_q, NULL) != 0) {
		printf("per-queue counters not zero after xstats reset\n");
		return -1;
	}
	rx_track_init(t, port, base, nb, NULL, 128, nb_flows);
	if (inject_frames(sock, base, nb, NULL, 128, nb_flows) != 0)
		return -1;
	if (rx_poll(t, nb_q, WAIT_MS, QUIET_MS) != 0) {
		printf("%u queue pairs: not every frame arrived exactly once\n",
		       nb_q);
		return -1;
	}
	used = rx_queues_used(t, nb_q);
	if (queue_counters_check(port, "rx", nb_q, t->per_queue) != 0)
		return -1;
	printf("%u flows spread over %u of %u queues\n", nb_flows, used, nb_q);
	if (nb_q > 1 && used < 2) {
		printf("all flows arrived on one queue of %u\n", nb_q);
		return -1;
	}

	cap_track_init(c, base + nb, 32u * nb_q, NULL, 200);
	for (q = 0; q < nb_q; q++)
		if (tx_frames(port, q, mp, base + nb + 32u * q, 32, NULL,
			      200) != 0)
			return -1;
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0) {
		printf("%u queue pairs: transmitted frames missing\n", nb_q);
		return -1;
	}
	for (q = 0; q < nb_q; q++)
		per_tx[q] = 32;
	return queue_counters_check(port, "tx", nb_q, per_tx);
}

static int
mq_reconfigure(uint16_t port, uint16_t nb_q, struct rte_mempool *mp,
	       const char *ifname, int sock)
{
	if (rte_eth_dev_stop(port) != 0)
		return -1;
	if (port_start(port, nb_q, NULL, mp, 256, 256) != 0)
		return -1;
	return path_ready(port, nb_q, ifname, sock);
}

/* 4 queue pairs; then 1; then 4 again.  Traffic both ways each time. */
static int
test_rtap_multi_queue(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mempool *mp;
	struct rx_track *t;
	struct cap_track *c;
	unsigned int avail0;
	uint16_t port;
	int sock, fds0, ret = TEST_FAILED;

	t = malloc(sizeof(*t));
	c = malloc(sizeof(*c));
	if (t == NULL || c == NULL)
		goto out;
	mp = pool_create(NB_MBUF);
	if (mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	if (probe_start("q4", 4, NULL, mp, 256, 256, vdev, &port, ifname,
			&sock) != 0)
		goto out;
	if (mq_round(port, 4, sock, mp, t, c, 0) != 0)
		goto out;
	if (mq_reconfigure(port, 1, mp, ifname, sock) != 0 ||
	    mq_round(port, 1, sock, mp, t, c, 10000) != 0) {
		printf("after reconfiguring 4 -> 1 queue pairs\n");
		goto out;
	}
	if (mq_reconfigure(port, 4, mp, ifname, sock) != 0 ||
	    mq_round(port, 4, sock, mp, t, c, 20000) != 0) {
		printf("after reconfiguring 1 -> 4 queue pairs\n");
		goto out;
	}

	if (port_close_clean(port, vdev, ifname, fds0, mp, avail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	free(c);
	return ret;
}

/*
 * Receive nb frames from the kernel and transmit the very same mbufs back
 * (forwarding); the kernel must capture them unchanged.
 */
static int
forward_round(uint16_t port, int sock, struct rx_track *t, struct cap_track *c,
	      uint32_t base, uint32_t nb)
{
	static struct rte_mbuf *keep[256];
	static uint32_t len[256];
	uint32_t i;

	if (nb > RTE_DIM(keep))
		return -1;
	memset(keep, 0, sizeof(keep));
	for (i = 0; i < nb; i++)
		len[i] = 60 + ((base + i) * 211) % 1455;
	rx_track_init(t, port, base, nb, len, 0, 0);
	t->keep = keep;
	if (inject_frames(sock, base, nb, len, 0, 0) != 0)
		return -1;
	if (rx_poll(t, 1, WAIT_MS, 0) != 0) {
		for (i = 0; i < nb; i++)
			rte_pktmbuf_free(keep[i]);
		return -1;
	}
	cap_track_init(c, base, nb, len, 0);
	if (tx_all(port, 0, keep, (uint16_t)nb) != 0)
		return -1;
	return cap_poll(sock, c, WAIT_MS, QUIET_MS);
}

/*
 * Frames that need a header mbuf for the virtio-net header (no headroom,
 * or shared) take it from their own pool, txmp (avail0 mbufs when all are
 * free).  With that pool empty, tx_burst stops at the first of them and
 * returns its index, as with a full ring: not a drop, nothing counted in
 * oerrors; that frame and those after it stay the caller's, untouched,
 * and none reaches the kernel.  When mbufs are back the same frames go
 * out, and every frame is captured byte for byte.
 */
static int
tx_hdr_nombuf(uint16_t port, int sock, struct rte_mempool *txmp,
	      unsigned int avail0, struct cap_track *c)
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
	int rc, ret = -1;

	memset(pkts, 0, sizeof(pkts));
	if (pool_running_check(port, 1, txmp, avail0) != 0 ||
	    rte_eth_stats_reset(port) != 0)
		return -1;
	for (i = 0; i < nb; i++) {
		pkts[i] = mbuf_frame_segs(txmp, base + i, len, &seg, 1,
					  headroom[i]);
		if (pkts[i] == NULL)
			goto out;
		headroom_fill(pkts[i], 0xa5);
		data_off[i] = pkts[i]->data_off;
	}
	rte_mbuf_refcnt_update(pkts[4], 1);
	/* One mbuf left: the header of frame 1 */
	while (rte_mempool_avail_count(txmp) > 1 && nb_hoard < RTE_DIM(hoard))
		hoard[nb_hoard++] = rte_pktmbuf_alloc(txmp);
	sent = rte_eth_tx_burst(port, 0, pkts, nb);
	/* What it took is the driver's, but for the test's own reference */
	for (i = 0; i < sent; i++)
		pkts[i] = i == 4 ? pkts[i] : NULL;
	if (sent != 3) {
		printf("tx_burst took %u frames with one mbuf for two header mbufs, 3 expected\n",
		       sent);
		goto out;
	}
	for (i = sent; i < nb; i++) {
		if (held_check(pkts[i], base + i, len, data_off[i],
			       "frame tx_burst did not take") != 0 ||
		    rte_mbuf_refcnt_read(pkts[i]) != (i == 4 ? 2 : 1)) {
			printf("frame %u tx_burst did not take changed (refcnt %u)\n",
			       i, rte_mbuf_refcnt_read(pkts[i]));
			goto out;
		}
	}
	tx_reap(port, 1);
	if (rte_eth_stats_get(port, &st) != 0 || st.opackets != sent ||
	    st.oerrors != 0) {
		printf("no header mbuf: opackets %" PRIu64 " oerrors %" PRIu64
		       ", expected %u and 0\n", st.opackets, st.oerrors, sent);
		goto out;
	}
	/* Where the driver offers a count of it, it must be this one */
	if (rte_eth_xstats_get_id_by_name(port, "tx_q0_mbuf_alloc_failed",
					  &nombuf) != 0)
		printf("no xstat counts Tx header mbuf allocation failures\n");
	else if (xstat_by_name(port, "tx_q0_mbuf_alloc_failed", &nombuf) != 0 ||
		 nombuf != 1) {
		printf("tx_q0_mbuf_alloc_failed %" PRIu64 ", 1 expected\n",
		       nombuf);
		goto out;
	}

	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	nb_hoard = 0;
	cap_track_init(c, base, nb, NULL, len);
	rc = tx_all(port, 0, pkts + sent, nb - sent);
	for (i = sent; i < nb; i++)
		pkts[i] = i == 4 ? pkts[i] : NULL;
	if (rc != 0 || cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0 ||
	    held_check(pkts[4], base + 4, len, data_off[4],
		       "shared frame after transmission") != 0)
		goto out;
	rte_pktmbuf_free(pkts[4]);
	pkts[4] = NULL;
	ret = pool_running_check(port, 1, txmp, avail0);
out:
	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	for (i = 0; i < nb; i++)
		rte_pktmbuf_free(pkts[i]);
	return ret;
}

/*
 * Every mbuf returns to its pool: across bursts, stop and restart, and
 * close.  An empty pool is counted in rx_nombuf, exactly one for each
 * frame lost to it, and the port recovers when mbufs come back.  A
 * transmit-only port with a pool far smaller than its ring keeps going
 * because completed mbufs are reclaimed on every tx_burst; with that pool
 * empty, a frame that needs a header mbuf waits (tx_hdr_nombuf).
 */
static int
test_rtap_mempool(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mbuf **hoard = NULL, *m, *keep[192];
	struct rte_mempool *mp, *txmp;
	struct rte_eth_stats st;
	struct rx_track *t;
	struct cap_track *c;
	unsigned int avail0, txavail0, nb_hoard = 0, round, i;
	uint64_t deadline, nombuf = 0;
	uint32_t seq;
	uint16_t port, n, sent;
	int sock, fds0, ret = TEST_FAILED;
	struct rte_mbuf *pkts[BURST];

	memset(keep, 0, sizeof(keep));
	t = malloc(sizeof(*t));
	c = malloc(sizeof(*c));
	hoard = calloc(2048, sizeof(*hoard));
	if (t == NULL || c == NULL || hoard == NULL)
		goto out;
	mp = pool_create(2048);
	txmp = pool_create(64);
	if (mp == NULL || txmp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	txavail0 = rte_mempool_avail_count(txmp);
	fds0 = count_fds();
	if (probe_start("pool", 1, NULL, mp, 256, 256, vdev, &port, ifname,
			&sock) != 0)
		goto out;

	for (round = 0; round < 3; round++)
		if (forward_round(port, sock, t, c, round * 1000, 200) != 0)
			goto out;
	printf("pool: %u of %u mbufs free while the port runs\n",
	       rte_mempool_avail_count(mp), avail0);

	if (rte_eth_dev_stop(port) != 0 || rte_eth_dev_start(port) != 0) {
		printf("stop/start failed\n");
		goto out;
	}
	if (path_ready(port, 1, ifname, sock) != 0 ||
	    forward_round(port, sock, t, c, 5000, 200) != 0) {
		printf("no traffic after stop and start\n");
		goto out;
	}

	/* Take every mbuf the port does not hold */
	if (rte_eth_stats_reset(port) != 0 || rte_eth_xstats_reset(port) != 0)
		goto out;
	while (nb_hoard < 2048 && (m = rte_pktmbuf_alloc(mp)) != NULL)
		hoard[nb_hoard++] = m;
	printf("pool: took the %u free mbufs\n", nb_hoard);
	/*
	 * Frames 10000..10063 meet the empty pool, 10064..10191 the refilled
	 * one; those that arrive before stay out of the pool.
	 */
	rx_track_init(t, port, 10000, RTE_DIM(keep), NULL, 100, 0);
	t->keep = keep;
	if (inject_frames(sock, 10000, 64, NULL, 100, 0) != 0)
		goto out;
	deadline = deadline_ms(WAIT_MS);
	memset(&st, 0, sizeof(st));
	while (!expired(deadline)) {
		n = rx_poll_once(t, 1);
		if (rte_eth_stats_get(port, &st) != 0)
			goto out;
		if (st.rx_nombuf > 0)
			break;
		if (n == 0)
			rte_delay_ms(1);
	}
	if (st.rx_nombuf == 0) {
		printf("rx_nombuf still 0 with an empty pool and 64 frames waiting (ipackets "
		       "%" PRIu64 ")\n",
		       st.ipackets);
		goto out;
	}
	printf("pool empty: rx_nombuf %" PRIu64 ", ipackets %" PRIu64 "\n",
	       st.rx_nombuf, st.ipackets);
	if (xstat_by_name(port, "rx_q0_mbuf_alloc_failed", &nombuf) != 0 ||
	    nombuf != st.rx_nombuf) {
		printf("xstat rx_q0_mbuf_alloc_failed %" PRIu64 ", rx_nombuf %" PRIu64 "\n",
		       nombuf, st.rx_nombuf);
		goto out;
	}
	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	nb_hoard = 0;
	for (i = 0; i < RTE_DIM(keep); i++)
		rte_pktmbuf_free(keep[i]);
	memset(keep, 0, sizeof(keep));
	t->keep = NULL;

	/*
	 * Mbufs are back: traffic flows again, every frame arrives; each
	 * frame lost is one rx_nombuf.
	 */
	if (inject_frames(sock, 10064, 128, NULL, 100, 0) != 0)
		goto out;
	rx_drain(t, 1, QUIET_MS, WAIT_MS);
	for (i = 64; i < RTE_DIM(keep) && t->seen[i] != 0; i++)
		;
	if (t->err != 0 || i < RTE_DIM(keep)) {
		printf("no recovery after the pool was refilled: frame %u missing\n",
		       10000 + i);
		goto out;
	}
	if (rte_eth_stats_get(port, &st) != 0 ||
	    xstat_by_name(port, "rx_q0_mbuf_alloc_failed", &nombuf) != 0)
		goto out;
	printf("pool: %u of %u frames received, rx_nombuf %" PRIu64
	       ", ipackets %" PRIu64 "\n", t->got, t->nb, st.rx_nombuf,
	       st.ipackets);
	if (t->got + st.rx_nombuf != t->nb || nombuf != st.rx_nombuf ||
	    st.ipackets != t->got + t->other || st.ierrors != 0 ||
	    st.imissed != 0) {
		printf("expected received + rx_nombuf %u, ipackets %u, rx_q0_mbuf_alloc_failed "
		       "%" PRIu64
		       ", no ierrors and no imissed (%" PRIu64 ", %" PRIu64 ")\n",
		       t->nb, t->got + t->other, st.rx_nombuf, st.ierrors,
		       st.imissed);
		goto out;
	}

	if (port_close_all(port, vdev) != 0 || pool_check(mp, avail0) != 0)
		goto out;

	/* Transmit only, from a 64 mbuf pool through a 512 entry ring */
	if (probe_start("txo", 1, NULL, mp, 128, NB_TXD, vdev, &port, ifname,
			&sock) != 0)
		goto out;
	cap_track_init(c, 30000, 1000, NULL, 60);
	deadline = deadline_ms(5 * WAIT_MS);
	for (seq = 0; seq < 1000; ) {
		for (n = 0; n < 16 && seq + n < 1000; n++) {
			pkts[n] = mbuf_frame(txmp, 30000 + seq + n, 60);
			if (pkts[n] == NULL)
				break;
		}
		/*
		 * With the pool empty this is a burst of zero, which must
		 * still reclaim completed transmissions.
		 */
		sent = rte_eth_tx_burst(port, 0, pkts, n);
		if (sent < n)
			rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		seq += sent;
		if (expired(deadline)) {
			printf("transmit-only: stuck after %u frames, %u of %u mbufs free\n",
			       seq, rte_mempool_avail_count(txmp), txavail0);
			goto out;
		}
		if (sent == 0)
			rte_delay_us_block(100);
	}
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0 ||
	    tx_hdr_nombuf(port, sock, txmp, txavail0, c) != 0)
		goto out;
	if (port_close_all(port, vdev) != 0 ||
	    pools_check(mp, avail0, txmp, txavail0) != 0 ||
	    fds_check(fds0) != 0)
		goto out;
	ctx_free_pool(mp);
	ctx_free_pool(txmp);
	ret = TEST_SUCCESS;
out:
	if (hoard != NULL)
		rte_pktmbuf_free_bulk(hoard, nb_hoard);
	for (i = 0; i < RTE_DIM(keep); i++)
		rte_pktmbuf_free(keep[i]);
	free(hoard);
	free(t);
	free(c);
	return ret;
}

/*
 * Counters are exact for known traffic, reset zeroes them, and imissed
 * counts what the kernel drops while nobody polls.
 */
static int
test_rtap_stats(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	static uint32_t rxlen[200], txlen[200];
	const uint32_t nb = 200, flood = 3000;
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	struct rx_track *t;
	struct cap_track *c;
	uint64_t deadline, ibytes = 0, obytes = 0, kdrop0, kdrop1;
	uint32_t i;
	uint16_t port;
	int sock, ret = TEST_FAILED;

	t = malloc(sizeof(*t));
	c = malloc(sizeof(*c));
	if (t == NULL || c == NULL)
		goto out;
	mp = pool_create(NB_MBUF);
	if (mp == NULL ||
	    probe_start("st", 1, NULL, mp, NB_RXD, NB_TXD, vdev, &port, ifname,
			&sock) != 0)
		goto out;
	if (rte_eth_stats_reset(port) != 0 || stats_zero(port) != 0) {
		printf("stats not zero after reset\n");
		goto out;
	}
	if (rte_eth_xstats_reset(port) != 0 ||
	    queue_counters_check(port, "rx", 1, NULL) != 0 ||
	    queue_counters_check(port, "tx", 1, NULL) != 0) {
		printf("per-queue counters not zero after xstats reset\n");
		goto out;
	}

	for (i = 0; i < nb; i++) {
		rxlen[i] = 60 + (i * 389) % 1455;
		txlen[i] = 60 + (i * 211) % 1455;
		ibytes += rxlen[i];
		obytes += txlen[i];
	}
	rx_track_init(t, port, 0, nb, rxlen, 0, 0);
	if (inject_frames(sock, 0, nb, rxlen, 0, 0) != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
		goto out;
	cap_track_init(c, 1000, nb, txlen, 0);
	if (tx_frames(port, 0, mp, 1000, nb, txlen, 0) != 0 ||
	    cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;

	/* Everything has crossed; the counters must say so */
	deadline = deadline_ms(WAIT_MS);
	for (;;) {
		if (rte_eth_stats_get(port, &st) != 0)
			goto out;
		if ((st.ipackets == nb && st.opackets == nb) ||
		    expired(deadline))
			break;
		rte_delay_ms(1);
	}
	printf("stats: ipackets %" PRIu64 " ibytes %" PRIu64 " opackets %"
	       PRIu64 " obytes %" PRIu64 " imissed %" PRIu64 " ierrors %"
	       PRIu64 " oerrors %" PRIu64 "\n", st.ipackets, st.ibytes,
	       st.opackets, st.obytes, st.imissed, st.ierrors, st.oerrors);
	if (st.ipackets != nb || st.ibytes != ibytes ||
	    st.opackets != nb || st.obytes != obytes) {
		printf("expected ipackets %u ibytes %" PRIu64 " opackets %u obytes %" PRIu64 "\n",
		       nb, ibytes, nb, obytes);
		goto out;
	}
	if (queue_counters_check(port, "rx", 1, &nb) != 0 ||
	    queue_counters_check(port, "tx", 1, &nb) != 0)
		goto out;
	if (st.imissed != 0 || st.ierrors != 0 || st.oerrors != 0 ||
	    st.rx_nombuf != 0) {
		printf("no error or drop happened, yet ierrors %" PRIu64
		       " oerrors %" PRIu64 " imissed %" PRIu64
		       " rx_nombuf %" PRIu64 "\n", st.ierrors, st.oerrors,
		       st.imissed, st.rx_nombuf);
		goto out;
	}
	if (rte_eth_stats_reset(port) != 0 || stats_zero(port) != 0) {
		printf("stats not zero after reset\n");
		goto out;
	}

	/* Flood while not polling: the kernel drops what does not fit */
	kdrop0 = kern_stat(ifname, "tx_dropped");
	if (inject_frames(sock, 100000, flood, NULL, 60, 0) != 0)
		goto out;
	deadline = deadline_ms(WAIT_MS);
	memset(&st, 0, sizeof(st));
	while (!expired(deadline)) {
		if (rte_eth_stats_get(port, &st) != 0)
			goto out;
		if (st.imissed > 0)
			break;
		rte_delay_ms(1);
	}
	kdrop1 = kern_stat(ifname, "tx_dropped");
	if (st.imissed == 0) {
		printf("imissed 0 after %u frames injected without polling (kernel tx_dropped "
		       "%" PRIu64 " -> %" PRIu64 ", rx_dropped %" PRIu64 ")\n",
		       flood, kdrop0, kdrop1, kern_stat(ifname, "rx_dropped"));
		goto out;
	}
	/* Drain what the kernel kept; received + missed = sent */
	rx_track_init(t, port, 100000, flood, NULL, 60, 0);
	rx_drain(t, 1, 200, 5 * WAIT_MS);
	deadline = deadline_ms(WAIT_MS);
	for (;;) {
		if (rte_eth_stats_get(port, &st) != 0)
			goto out;
		if (st.ipackets + st.imissed >= flood || expired(deadline))
			break;
		rte_delay_ms(1);
	}
	printf("flood of %u: received %u, ipackets %" PRIu64 ", imissed %" PRIu64 ", kernel "
	       "tx_dropped +%" PRIu64 "\n",
	       flood, t->got, st.ipackets, st.imissed,
	       kern_stat(ifname, "tx_dropped") - kdrop0);
	if (t->err != 0 || st.ipackets != t->got || st.imissed == 0 ||
	    st.ipackets + st.imissed != flood) {
		printf("expected ipackets == received and ipackets + imissed == %u\n",
		       flood);
		goto out;
	}
	if (rte_eth_stats_reset(port) != 0 || stats_zero(port) != 0) {
		printf("stats not zero after reset (imissed must restart from 0)\n");
		goto out;
	}

	if (port_close_all(port, vdev) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	free(c);
	return ret;
}

/*
 * A receive mode switched on and then off through ethdev (the functions
 * named api_enable, api_disable and api_get): the kernel's flag for it
 * follows each time, and so does what the port reports.
 */
static int
rx_mode_toggle(uint16_t port, const char *ifname, unsigned int flag,
	       const char *api, const char *what, int (*enable)(uint16_t),
	       int (*disable)(uint16_t), int (*get)(uint16_t))
{
	unsigned int flags;

	TEST_ASSERT_SUCCESS(enable(port), "%s_enable failed", api);
	TEST_ASSERT_SUCCESS(kern_flags(ifname, &flags), "SIOCGIFFLAGS failed");
	TEST_ASSERT(flags & flag, "%s not %s (flags 0x%x)", ifname, what,
		    flags);
	TEST_ASSERT_EQUAL(get(port), 1, "%s_get says off", api);
	TEST_ASSERT_SUCCESS(disable(port), "%s_disable failed", api);
	TEST_ASSERT_SUCCESS(kern_flags(ifname, &flags), "SIOCGIFFLAGS failed");
	TEST_ASSERT(!(flags & flag), "%s still %s", ifname, what);
	TEST_ASSERT_EQUAL(get(port), 0, "%s_get says on", api);
	return TEST_SUCCESS;
}

/*
 * Link up and down through ethdev move IFF_UP in the kernel, and the link
 * status follows the kernel (up only with both IFF_UP and IFF_RUNNING)
 * also when the change comes from the kernel side.  Promiscuous and
 * all-multicast modes are the kernel's IFF_PROMISC and IFF_ALLMULTI.  A
 * multicast or zero MAC address is refused and changes nothing.
 */
static int
test_rtap_link_control(void)
{
	static const struct rte_ether_addr bad_mac[] = {
		{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },
		{ .addr_bytes = { 0x03, 0x11, 0x22, 0x33, 0x44, 0x55 } },
		{ .addr_bytes = { 0 } },
	};
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_ether_addr mac0, kmac0, mac, kmac, set;
	struct rte_mempool *mp;
	unsigned int ifindex, flags, i;
	uint16_t port;
	int sock, ret;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	TEST_ASSERT_SUCCESS(probe_iface("lc", vdev, &port, ifname),
			    "probe failed");
	ifindex = if_nametoindex(ifname);
	sock = pkt_open(ifname);
	TEST_ASSERT(sock >= 0, "no AF_PACKET socket on %s", ifname);
	TEST_ASSERT_SUCCESS(port_start(port, 1, NULL, mp, NB_RXD, NB_TXD),
			    "port start failed");
	TEST_ASSERT_SUCCESS(path_ready(port, 1, ifname, sock),
			    "no traffic after start");
	TEST_ASSERT_SUCCESS(wait_link(port, ifname, true, WAIT_MS),
			    "link not up after start");

	/* Through ethdev */
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_link_down(port),
			    "set_link_down failed");
	TEST_ASSERT_SUCCESS(wait_flags(ifname, IFF_UP, false, WAIT_MS),
			    "%s still up after set_link_down", ifname);
	TEST_ASSERT_SUCCESS(wait_link(port, ifname, false, WAIT_MS),
			    "link not down after set_link_down");
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_link_up(port),
			    "set_link_up failed");
	TEST_ASSERT_SUCCESS(wait_flags(ifname, IFF_UP, true, WAIT_MS),
			    "%s not up after set_link_up", ifname);
	TEST_ASSERT_SUCCESS(wait_link(port, ifname, true, WAIT_MS),
			    "link not up after set_link_up");
	TEST_ASSERT_SUCCESS(path_ready(port, 1, ifname, sock),
			    "no traffic after set_link_up");

	/* From the kernel side, which the port has to ask */
	TEST_ASSERT_SUCCESS(kern_set_flags(ifindex, 0, IFF_UP),
			    "cannot set %s down", ifname);
	TEST_ASSERT_SUCCESS(wait_link(port, ifname, false, WAIT_MS),
			    "link not down after %s was set down", ifname);
	TEST_ASSERT_SUCCESS(kern_set_flags(ifindex, IFF_UP, IFF_UP),
			    "cannot set %s up", ifname);
	TEST_ASSERT_SUCCESS(wait_link(port, ifname, true, WAIT_MS),
			    "link not up after %s was set up", ifname);

	/* Up without carrier is not a link */
	ret = kern_set_carrier(ifindex, false);
	if (ret == -EOPNOTSUPP) {
		printf("the kernel cannot switch the carrier of a TAP, case skipped\n");
	} else {
		TEST_ASSERT_SUCCESS(ret, "carrier off on %s: %s", ifname,
				    strerror(-ret));
		TEST_ASSERT_SUCCESS(wait_flags(ifname, IFF_RUNNING, false,
					       WAIT_MS),
				    "%s still running without carrier",
				    ifname);
		TEST_ASSERT_SUCCESS(kern_flags(ifname, &flags),
				    "SIOCGIFFLAGS failed");
		TEST_ASSERT(flags & IFF_UP, "%s went down with the carrier",
			    ifname);
		TEST_ASSERT_SUCCESS(wait_link(port, ifname, false, WAIT_MS),
				    "link up on %s without carrier", ifname);
		TEST_ASSERT_SUCCESS(kern_set_carrier(ifindex, true),
				    "carrier on failed");
		TEST_ASSERT_SUCCESS(wait_link(port, ifname, true, WAIT_MS),
				    "link not up with the carrier back");
	}

	/* Promiscuous and all-multicast */
	TEST_ASSERT_SUCCESS(rx_mode_toggle(port, ifname, IFF_PROMISC,
					   "promiscuous", "promiscuous",
					   rte_eth_promiscuous_enable,
					   rte_eth_promiscuous_disable,
					   rte_eth_promiscuous_get),
			    "promiscuous mode does not follow");
	TEST_ASSERT_SUCCESS(rx_mode_toggle(port, ifname, IFF_ALLMULTI,
					   "allmulticast", "all-multicast",
					   rte_eth_allmulticast_enable,
					   rte_eth_allmulticast_disable,
					   rte_eth_allmulticast_get),
			    "all-multicast mode does not follow");

	/* Addresses that cannot be an interface's */
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac0),
			    "macaddr_get failed");
	TEST_ASSERT_SUCCESS(kern_mac(ifname, &kmac0), "SIOCGIFHWADDR failed");
	for (i = 0; i < RTE_DIM(bad_mac); i++) {
		rte_ether_addr_copy(&bad_mac[i], &set);
		TEST_ASSERT(rte_eth_dev_default_mac_addr_set(port, &set) != 0,
			    "MAC " RTE_ETHER_ADDR_PRT_FMT " accepted",
			    RTE_ETHER_ADDR_BYTES(&set));
		TEST_ASSERT_SUCCESS(kern_mac(ifname, &kmac),
				    "SIOCGIFHWADDR failed");
		TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac),
				    "macaddr_get failed");
		TEST_ASSERT(rte_is_same_ether_addr(&kmac, &kmac0) &&
			    rte_is_same_ether_addr(&mac, &mac0),
			    "refused MAC " RTE_ETHER_ADDR_PRT_FMT
			    " changed the address to " RTE_ETHER_ADDR_PRT_FMT
			    " (kernel " RTE_ETHER_ADDR_PRT_FMT ")",
			    RTE_ETHER_ADDR_BYTES(&set),
			    RTE_ETHER_ADDR_BYTES(&mac),
			    RTE_ETHER_ADDR_BYTES(&kmac));
	}

	TEST_ASSERT_SUCCESS(port_close_all(port, vdev), "close failed");
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
			    "%s still exists after close", ifname);
	ctx_free_pool(mp);
	return TEST_SUCCESS;
}

/*
 * With intr_conf.lsc, the kernel side taking the link down and up (flags
 * or carrier) raises RTE_ETH_EVENT_INTR_LSC, and the status the port then
 * reports is the new one.  A change that leaves the link as it was (MTU)
 * raises nothing.
 */
static int
test_rtap_lsc(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	unsigned int ifindex;
	uint32_t since;
	uint16_t port = 0;
	int sock, rc, ret = TEST_FAILED;
	bool registered = false;

	mp = pool_create(NB_MBUF);
	if (mp == NULL || probe_iface("lsc", vdev, &port, ifname) != 0)
		goto out;
	ifindex = if_nametoindex(ifname);
	if (rte_eth_dev_info_get(port, &info) != 0 ||
	    info.dev_flags == NULL ||
	    !(*info.dev_flags & RTE_ETH_DEV_INTR_LSC)) {
		printf("port %u does not announce RTE_ETH_DEV_INTR_LSC\n", port);
		goto out;
	}
	if (lsc_register(port) != 0)
		goto out;
	registered = true;
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.lsc = 1;
	sock = pkt_open(ifname);
	if (sock < 0 || port_start(port, 1, &conf, mp, NB_RXD, NB_TXD) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
		goto out;
	/* After start, IFF_RUNNING may come later, through an event */
	if (wait_link(port, ifname, true, 3000) != 0)
		goto out;

	if (lsc_kern_link(port, ifname, ifindex, false) != 0) {
		printf("no LSC event for %s set down\n", ifname);
		goto out;
	}
	if (lsc_kern_link(port, ifname, ifindex, true) != 0) {
		printf("no LSC event for %s set up\n", ifname);
		goto out;
	}
	since = lsc_calls();
	rc = kern_set_carrier(ifindex, false);
	if (rc == -EOPNOTSUPP) {
		printf("the kernel cannot switch the carrier of a TAP, case skipped\n");
	} else {
		if (rc != 0 ||
		    lsc_wait(port, ifname, since, false, 3000) != 0) {
			printf("no LSC event for carrier off on %s\n", ifname);
			goto out;
		}
		since = lsc_calls();
		if (kern_set_carrier(ifindex, true) != 0 ||
		    lsc_wait(port, ifname, since, true, 3000) != 0) {
			printf("no LSC event for carrier on of %s\n", ifname);
			goto out;
		}
	}

	/* Not a link status change */
	since = lsc_calls();
	if (rte_eth_dev_set_mtu(port, 1400) != 0)
		goto out;
	rte_delay_ms(200);
	if (lsc_calls() != since) {
		printf("%u LSC events for an MTU change\n", lsc_calls() - since);
		goto out;
	}
	if (rte_atomic_load_explicit(&lsc_state.stray, rte_memory_order_relaxed) != 0) {
		printf("%u callbacks for another port or event\n",
		       lsc_state.stray);
		goto out;
	}
	if (path_ready(port, 1, ifname, sock) != 0)
		goto out;

	if (lsc_unregister(port) != 0)
		goto out;
	registered = false;
	if (port_close_all(port, vdev) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	if (registered)
		lsc_unregister(port);
	return ret;
}

/*
 * rte_epoll_wait on the thread's epoll instance, for the Rx interrupt
 * registered with data tag; the number of events, or -1.
 */
static int
intr_wait(void *tag, unsigned int ms)
{
	struct rte_epoll_event ev[4];
	int n, i;

	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), (int)ms);
	for (i = 0; i < n; i++) {
		if (ev[i].epdata.data != tag) {
			printf("epoll event with data %p, registered %p\n",
			       ev[i].epdata.data, tag);
			return -1;
		}
	}
	return n;
}

/* Enable the Rx interrupt of queue 0; must wake within ms (or not: ms 0). */
static int
intr_round(uint16_t port, void *tag, unsigned int ms, const char *what)
{
	int n;

	if (rte_eth_dev_rx_intr_enable(port, 0) != 0) {
		printf("%s: rx_intr_enable failed\n", what);
		return -1;
	}
	n = intr_wait(tag, ms != 0 ? ms : 150);
	if (rte_eth_dev_rx_intr_disable(port, 0) != 0) {
		printf("%s: rx_intr_disable failed\n", what);
		return -1;
	}
	if (ms != 0 && n < 1) {
		printf("%s: no Rx interrupt within %u ms (%d)\n", what, ms, n);
		return -1;
	}
	if (ms == 0 && n != 0) {
		printf("%s: %d Rx interrupts with nothing received\n", what, n);
		return -1;
	}
	return 0;
}

/* With what was waiting taken, the Rx interrupt of queue 0 stays quiet. */
static int
intr_idle(struct rx_track *t, uint16_t port, void *tag, const char *what)
{
	rx_track_init(t, port, 0, 0, NULL, 60, 0);
	rx_drain(t, 1, 50, WAIT_MS);
	return intr_round(port, tag, 0, what);
}

/* Frame seq from the kernel wakes the sleeper; rx_burst then has it. */
static int
intr_frame(struct rx_track *t, uint16_t port, int sock, void *tag,
	   uint32_t seq, uint32_t len, const char *what)
{
	rx_track_init(t, port, seq, 1, NULL, len, 0);
	if (inject(sock, seq, len, 0) != 0 ||
	    intr_round(port, tag, WAIT_MS, what) != 0)
		return -1;
	return rx_poll(t, 1, WAIT_MS, QUIET_MS);
}

/*
 * Rx interrupts (intr_conf.rxq) with LSC (intr_conf.lsc) on the same
 * port: rte_epoll_wait sleeps while nothing arrives, wakes when the
 * kernel sends a frame, also one that completed before the interrupt was
 * enabled, and stays asleep while the interrupt is disabled; link events
 * keep coming, and Rx interrupts keep working after them.
 */
static int
test_rtap_rx_intr(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	static int tag;		/* its address tells our epoll events */
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rx_track *t;
	unsigned int ifindex, avail0;
	uint16_t port = 0;
	int sock, fds0, ret = TEST_FAILED;
	bool registered = false, added = false;

	t = malloc(sizeof(*t));
	mp = pool_create(NB_MBUF);
	if (t == NULL || mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	/* The thread's epoll instance lives as long as the thread */
	if (rte_intr_tls_epfd() < 0) {
		printf("no epoll instance for the thread\n");
		goto out;
	}
	fds0 = count_fds();
	if (probe_iface("irq", vdev, &port, ifname) != 0)
		goto out;
	ifindex = if_nametoindex(ifname);
	if (lsc_register(port) != 0)
		goto out;
	registered = true;
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	conf.intr_conf.lsc = 1;
	sock = pkt_open(ifname);
	if (sock < 0 || port_start(port, 1, &conf, mp, NB_RXD, NB_TXD) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
		goto out;
	if (rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
				      RTE_INTR_EVENT_ADD, &tag) != 0) {
		printf("rx_intr_ctl_q ADD failed\n");
		goto out;
	}
	added = true;

	/* Idle: what path_ready left is taken first */
	if (intr_idle(t, port, &tag, "idle") != 0)
		goto out;

	/* A frame wakes the sleeper, then rx_burst has it */
	if (intr_frame(t, port, sock, &tag, 0, 100, "one frame") != 0)
		goto out;

	/* A frame that completed before the interrupt was enabled */
	rx_track_init(t, port, 10, 2, NULL, 200, 0);
	if (inject(sock, 10, 200, 0) != 0 || inject(sock, 11, 200, 0) != 0)
		goto out;
	rte_delay_ms(50);
	if (intr_round(port, &tag, WAIT_MS, "frames before enable") != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
		goto out;

	/* Disabled: no wake-up, yet the frame is there */
	rx_track_init(t, port, 20, 1, NULL, 300, 0);
	if (inject(sock, 20, 300, 0) != 0)
		goto out;
	if (intr_wait(&tag, 150) != 0) {
		printf("Rx interrupt while disabled\n");
		goto out;
	}
	if (rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
		goto out;

	/* Link events on the same port, then Rx interrupts again */
	if (lsc_kern_link(port, ifname, ifindex, false) != 0 ||
	    lsc_kern_link(port, ifname, ifindex, true) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
		goto out;
	if (intr_idle(t, port, &tag, "idle after link events") != 0 ||
	    intr_frame(t, port, sock, &tag, 30, 1000,
		       "after link events") != 0)
		goto out;

	if (rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
				      RTE_INTR_EVENT_DEL, &tag) != 0) {
		printf("rx_intr_ctl_q DEL failed\n");
		goto out;
	}
	added = false;
	if (lsc_unregister(port) != 0)
		goto out;
	registered = false;
	if (port_close_all(port, vdev) != 0 || fds_check(fds0) != 0 ||
	    pool_check(mp, avail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	if (added)
		rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD,
					  RTE_INTR_EVENT_DEL, &tag);
	if (registered)
		lsc_unregister(port);
	free(t);
	return ret;
}

/*
 * DPDK as the far end (HOST_ADDR:lport) of a TCP connection the kernel
 * opens, in the test's namespace: it answers the SYN and acknowledges the
 * data, checking every frame the kernel sends against what the port's Rx
 * offloads promise.
 */
struct tcp_peer {
	uint16_t port;
	struct rte_mempool *mp;		/* for the frames DPDK sends */
	struct rte_ether_addr kmac;	/* the TAP's */
	struct xs_tally *xs;
	bool offload;		/* Rx checksum offload and LRO configured */
	uint16_t lport;
	uint16_t kport;		/* the kernel's port, from its SYN */
	uint32_t kisn;		/* the kernel's initial sequence number */
	bool syn;
	uint32_t rcv_nxt;	/* stream bytes received in order */
	uint32_t nb_data;	/* data frames */
	uint32_t nb_lro;	/* of them, LRO */
	uint32_t max_len;
	bool udp;		/* the datagram arrived */
	int err;
};

#define PEER_ISN		0x01000000u
#define UDP_LEN			1000

static int
peer_send(struct tcp_peer *p, uint8_t flags, uint32_t seq, uint32_t ack,
	  uint16_t mss)
{
	struct l4_frame fr;
	struct rte_mbuf *m;
	uint16_t len;

	memset(&fr, 0, sizeof(fr));
	rte_ether_addr_copy(&p->kmac, &fr.dmac);
	rte_ether_addr_copy(&host_mac, &fr.smac);
	fr.proto = IPPROTO_TCP;
	fr.src = host4;
	fr.dst = kern4;
	fr.sport = p->lport;
	fr.dport = p->kport;
	fr.seq = seq;
	fr.ack = ack;
	fr.tcp_flags = flags;
	fr.mss = mss;
	len = (uint16_t)l4_build(frame_buf, &fr, 0);
	m = mbuf_build(p->mp, frame_buf, &len, 1, RTE_PKTMBUF_HEADROOM);
	if (m == NULL) {
		printf("peer: no mbuf\n");
		return -1;
	}
	xs_tx_count(p->xs, 0, m);
	return tx_all(p->port, 0, &m, 1);
}

/* What the Rx offloads promise for a TCP or UDP frame from the kernel. */
static int
peer_check(struct tcp_peer *p, const struct rte_mbuf *m, const uint8_t *f,
	   const struct l4_frame *fr)
{
	uint64_t cs = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	bool lro = (m->ol_flags & RTE_MBUF_F_RX_LRO) != 0;
	bool ok = l4_cksum_ok(f, fr);

	if (m->pkt_len != fr->data_off + fr->data_len) {
		printf("%u byte frame, %u by its IP header\n", m->pkt_len,
		       fr->data_off + fr->data_len);
		return -1;
	}
	if (p->offload) {
		/* partial checksums are fine, the data is whole */
		if (cs != RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
		    cs != RTE_MBUF_F_RX_L4_CKSUM_NONE) {
			printf("%u byte frame with Rx checksum flags 0x%" PRIx64 ", expected "
			       "GOOD or NONE\n",
			       m->pkt_len, cs);
			return -1;
		}
		if (cs == RTE_MBUF_F_RX_L4_CKSUM_GOOD && !ok) {
			printf("%u byte frame marked checksum GOOD with a wrong checksum\n",
			       m->pkt_len);
			return -1;
		}
		if (m->pkt_len > RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN &&
		    !lro) {
			printf("%u byte frame without RTE_MBUF_F_RX_LRO\n",
			       m->pkt_len);
			return -1;
		}
		if (lro && (m->tso_segsz == 0 || m->tso_segsz > TCP_MSS)) {
			printf("LRO frame of %u bytes with tso_segsz %u\n",
			       m->pkt_len, m->tso_segsz);
			return -1;
		}
	} else {
		if (m->pkt_len > RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN || lro) {
			printf("%u byte frame (LRO flag %d) without LRO configured\n",
			       m->pkt_len, lro);
			return -1;
		}
		if (!ok || (cs != RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN &&
			    cs != RTE_MBUF_F_RX_L4_CKSUM_GOOD)) {
			printf("%u byte frame: checksum %s, flags 0x%" PRIx64 ", without Rx "
			       "checksum offload\n",
			       m->pkt_len, ok ? "right" : "wrong", cs);
			return -1;
		}
	}
	if (lro)
		p->nb_lro++;
	return 0;
}

static void
peer_frame(struct tcp_peer *p, struct rte_mbuf *m)
{
	struct l4_frame fr;
	const uint8_t *f;
	uint32_t off;

	xs_rx_count(p->xs, 0, m);
	f = mbuf_linear(m);
	if (f == NULL) {
		printf("peer: inconsistent chain of %u bytes\n", m->pkt_len);
		p->err = -1;
		return;
	}
	if (l4_parse(f, m->pkt_len, &fr) != 0 || fr.ipv6 ||
	    memcmp(fr.dst, host4, 4) != 0)
		return;
	if (fr.proto == IPPROTO_UDP && fr.dport == p->lport) {
		if (peer_check(p, m, f, &fr) != 0 ||
		    fr.data_len != UDP_LEN ||
		    stream_check(f + fr.data_off, fr.data_len, 0) != 0) {
			printf("peer: UDP datagram not as sent\n");
			p->err = -1;
		}
		p->udp = true;
		return;
	}
	if (fr.proto != IPPROTO_TCP || fr.dport != p->lport)
		return;
	if (fr.tcp_flags & RTE_TCP_SYN_FLAG) {
		p->kport = fr.sport;
		p->kisn = fr.seq;
		p->syn = true;
		if (peer_check(p, m, f, &fr) != 0 ||
		    peer_send(p, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, PEER_ISN,
			      p->kisn + 1, TCP_MSS) != 0)
			p->err = -1;
		return;
	}
	if (!p->syn || fr.sport != p->kport || fr.data_len == 0)
		return;
	p->nb_data++;
	p->max_len = RTE_MAX(p->max_len, m->pkt_len);
	off = fr.seq - (p->kisn + 1);
	if (peer_check(p, m, f, &fr) != 0 ||
	    stream_check(f + fr.data_off, fr.data_len, off) != 0) {
		printf("peer: data frame at stream offset %u\n", off);
		p->err = -1;
		return;
	}
	if (off <= p->rcv_nxt && off + fr.data_len > p->rcv_nxt)
		p->rcv_nxt = off + fr.data_len;
	if (peer_send(p, RTE_TCP_ACK_FLAG, PEER_ISN + 1,
		      p->kisn + 1 + p->rcv_nxt, 0) != 0)
		p->err = -1;
}

/*
 * The kernel connects to the peer and sends total bytes of the stream,
 * and a UDP datagram; DPDK takes it all in.
 */
static int
tcp_transfer(struct tcp_peer *p, uint32_t total)
{
	struct pollfd pfd = { .events = POLLOUT };
	uint64_t deadline = deadline_ms(5 * WAIT_MS);
	struct rte_mbuf *pkts[BURST];
	struct sockaddr_in sa;
	uint32_t sent = 0, chunk, i;
	socklen_t elen;
	bool connected = false;
	uint16_t n, j;
	int fd, ufd, err = 0;
	ssize_t r;

	fd = kern_socket(SOCK_STREAM);
	ufd = kern_socket(SOCK_DGRAM);
	if (fd < 0 || ufd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	memcpy(&sa.sin_addr, host4, sizeof(host4));
	sa.sin_port = htons(p->lport);
	for (i = 0; i < UDP_LEN; i++)
		frame_buf[i] = stream_byte(i);
	if (sendto(ufd, frame_buf, UDP_LEN, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != UDP_LEN) {
		printf("kernel UDP send: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    errno != EINPROGRESS) {
		printf("kernel TCP connect: %s\n", strerror(errno));
		return -1;
	}
	pfd.fd = fd;
	while (p->err == 0 && (p->rcv_nxt < total || !p->udp)) {
		if (expired(deadline)) {
			printf("kernel sent %u, DPDK received %u of %u bytes (%s, datagram %s)\n",
			       sent, p->rcv_nxt, total,
			       connected ? "connected" :
			       p->syn ? "SYN answered" : "no SYN",
			       p->udp ? "in" : "missing");
			return -1;
		}
		n = rte_eth_rx_burst(p->port, 0, pkts, BURST);
		for (j = 0; j < n; j++) {
			peer_frame(p, pkts[j]);
			rte_pktmbuf_free(pkts[j]);
		}
		if (!connected && poll(&pfd, 1, 0) == 1) {
			elen = sizeof(err);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
				       &elen) != 0 || err != 0) {
				printf("kernel TCP connect: %s\n",
				       strerror(err));
				return -1;
			}
			connected = true;
		}
		if (connected && sent < total) {
			chunk = RTE_MIN(total - sent, (uint32_t)FRAME_BUF);
			for (i = 0; i < chunk; i++)
				frame_buf[i] = stream_byte(sent + i);
			r = send(fd, frame_buf, chunk, MSG_DONTWAIT);
			if (r > 0)
				sent += r;
			else if (errno != EAGAIN && errno != EWOULDBLOCK) {
				printf("kernel TCP send: %s\n", strerror(errno));
				return -1;
			}
		}
		if (n == 0)
			rte_delay_us_block(200);
	}
	ctx_close_sock(fd);
	ctx_close_sock(ufd);
	return p->err;
}

/* Poll until idle, counting what arrives, for the xstats to be complete. */
static void
peer_drain(struct tcp_peer *p)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t idle = deadline_ms(QUIET_MS);
	uint16_t n, j;

	while (!expired(idle)) {
		n = rte_eth_rx_burst(p->port, 0, pkts, BURST);
		for (j = 0; j < n; j++) {
			xs_rx_count(p->xs, 0, pkts[j]);
			rte_pktmbuf_free(pkts[j]);
		}
		if (n != 0)
			idle = deadline_ms(QUIET_MS);
		else
			rte_delay_ms(1);
	}
}

/*
 * Rx offloads, with a real kernel TCP sender (and a UDP datagram): with
 * TCP and UDP checksum offload, LRO and scatter into large mbufs, what the
 * kernel sends arrives marked L4 checksum GOOD or NONE, and its
 * super-packets arrive whole, marked RTE_MBUF_F_RX_LRO with tso_segsz.
 * Without those offloads every frame is at most MTU + 14 bytes with a
 * right checksum.  Either way the stream arrives intact and the Rx and
 * Tx xstats (LRO, checksum, sizes) count exactly what was polled and sent.
 */
static int
test_rtap_rx_offload(void)
{
	const uint32_t total = 256 * 1024;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mempool *mp, *bigmp;
	struct rte_eth_conf conf;
	struct tcp_peer *p;
	struct xs_tally *xs;
	unsigned int avail0, bigavail0;
	uint64_t need;
	uint16_t port;
	int sock, round, ret = TEST_FAILED;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	p = calloc(1, sizeof(*p));
	xs = calloc(1, sizeof(*xs));
	mp = pool_create(NB_MBUF);
	/* with LRO each posted read takes up to 64 KiB: 16 KiB mbufs */
	bigmp = pool_create_sized(512, 16384 + RTE_PKTMBUF_HEADROOM);
	if (p == NULL || xs == NULL || mp == NULL || bigmp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	bigavail0 = rte_mempool_avail_count(bigmp);
	need = RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER;
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = need;
	/* an IP packet of 64 KiB and its Ethernet header */
	conf.rxmode.max_lro_pkt_size = UINT16_MAX + RTE_ETHER_HDR_LEN;
	if (ns_port_start("ro", &conf, bigmp, 64, false, vdev, &port, ifname,
			  &sock) != 0 ||
	    offload_capa_check(port, true, need) != 0)
		goto out;

	for (round = 0; round < 2; round++) {
		if (round == 1) {
			/*
			 * The same without any Rx offload; taking the link
			 * down flushed the neighbours, even permanent ones.
			 */
			memset(&conf, 0, sizeof(conf));
			if (rte_eth_dev_stop(port) != 0 ||
			    port_start(port, 1, &conf, mp, NB_RXD,
				       NB_TXD) != 0 ||
			    kern_ip_setup(ifname, false, false) != 0 ||
			    path_ready(port, 1, ifname, sock) != 0)
				goto out;
		}
		memset(p, 0, sizeof(*p));
		memset(xs, 0, sizeof(*xs));
		p->port = port;
		p->mp = round == 0 ? bigmp : mp;
		p->xs = xs;
		p->offload = round == 0;
		p->lport = 5201 + round;
		if (rte_eth_macaddr_get(port, &p->kmac) != 0 ||
		    rte_eth_xstats_reset(port) != 0)
			goto out;
		if (tcp_transfer(p, total) != 0) {
			printf("TCP transfer %s Rx offloads failed\n",
			       round == 0 ? "with" : "without");
			goto out;
		}
		printf("%s Rx offloads: %u data frames, %u LRO, largest %u bytes\n",
		       round == 0 ? "with" : "without", p->nb_data, p->nb_lro,
		       p->max_len);
		if (round == 0 && p->nb_lro == 0) {
			printf("no super-packet arrived with LRO\n");
			goto out;
		}
		peer_drain(p);
		if (xs_check(port, 1, xs) != 0)
			goto out;
	}

	if (port_close_all(port, vdev) != 0 ||
	    pools_check(mp, avail0, bigmp, bigavail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ctx_free_pool(bigmp);
	ret = TEST_SUCCESS;
out:
	free(p);
	free(xs);
	return ret;
}

/* Faults from outside: traffic that goes on while the kernel side changes */

/*
 * Each round of the pump injects PUMP_IN frames from the kernel side,
 * transmits PUMP_OUT on the next queue, and takes whatever has arrived
 * either way, without waiting.  Its socket bypasses the queueing
 * discipline: a frame the kernel does not queue on the TAP is then refused
 * to the sender, with ENOBUFS when the kernel counts it in tx_dropped (the
 * port's imissed), and every frame it accepted must come out of the port.
 * Tx frames taken while the interface was up must be captured; those the
 * kernel refuses while it is down count in oerrors.  The pump's state is
 * read by an actor thread (rounds), so that it can strike mid-traffic.
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

struct pump {
	uint16_t port;
	uint16_t nb_q;
	int sock;
	struct rte_mempool *mp;
	bool link_up;		/* IFF_UP: a frame transmitted is due */
	RTE_ATOMIC(uint32_t) rounds;
	uint32_t nb_in;		/* frames injected so far */
	uint32_t nb_out;	/* frames offered to tx_burst so far */
	uint64_t polled;	/* whatever rx_burst returned */
	uint64_t refused;	/* injections refused ... */
	uint64_t nobufs;	/* ... of them with ENOBUFS */
	uint64_t taken;		/* frames tx_burst took ... */
	uint64_t due;		/* ... of them while the interface was up */
	unsigned int avail_run;	/* free mbufs while running, all reaped */
	unsigned int avail0;	/* free mbufs before the port */
	int fds0;		/* open files before the port */
	struct rx_track t;
	struct cap_track c;
	uint8_t in[MAX_BATCH];
	uint8_t out[MAX_BATCH];
};

/*
 * A pump with a pool of its own, on a port as probe_start makes it with
 * PUMP_QUEUES queue pairs (vdev, ifname), its path proven and its
 * counters at 0; the files and free mbufs there were before are counted
 * for pump_close.  NULL if that fails (teardown removes what was made).
 */
static struct pump *
pump_start(const char *tag, const struct rte_eth_conf *conf, char *vdev,
	   char *ifname)
{
	struct pump *p;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->nb_q = PUMP_QUEUES;
	p->link_up = true;
	p->mp = pool_create(NB_MBUF);
	if (p->mp == NULL)
		goto fail;
	p->avail0 = rte_mempool_avail_count(p->mp);
	p->fds0 = count_fds();
	if (probe_start(tag, p->nb_q, conf, p->mp, 256, 256, vdev, &p->port,
			ifname, &p->sock) != 0 ||
	    pkt_bypass_qdisc(p->sock) != 0 ||
	    rte_eth_stats_reset(p->port) != 0)
		goto fail;
	rx_track_init(&p->t, p->port, 0, MAX_BATCH, NULL, PUMP_LEN,
		      PUMP_FLOWS);
	cap_track_init(&p->c, PUMP_OUT_BASE, MAX_BATCH, NULL, PUMP_LEN);
	tx_reap(p->port, p->nb_q);
	p->avail_run = rte_mempool_avail_count(p->mp);
	return p;
fail:
	free(p);
	return NULL;
}

/* Close the pump's port, which must leave nothing behind (port_close_clean). */
static int
pump_close(struct pump *p, const char *vdev, const char *ifname)
{
	if (port_close_clean(p->port, vdev, ifname, p->fds0, p->mp,
			     p->avail0) != 0)
		return -1;
	ctx_free_pool(p->mp);
	return 0;
}

static int
pump_round(struct pump *p)
{
	struct rte_mbuf *pkts[PUMP_OUT];
	uint32_t i, idx;
	uint16_t n, sent;

	for (i = 0; i < PUMP_IN && p->nb_in < MAX_BATCH; i++) {
		idx = p->nb_in++;
		frame_build(frame_buf, PUMP_LEN, idx, PUMP_FLOWS);
		if (send(p->sock, frame_buf, PUMP_LEN, MSG_DONTWAIT) ==
		    PUMP_LEN) {
			p->in[idx] = PF_TAKEN | PF_DUE;
		} else {
			p->refused++;
			if (errno == ENOBUFS)
				p->nobufs++;
		}
	}
	for (n = 0; n < PUMP_OUT && p->nb_out + n < MAX_BATCH; n++) {
		pkts[n] = mbuf_frame(p->mp, PUMP_OUT_BASE + p->nb_out + n,
				     PUMP_LEN);
		if (pkts[n] == NULL) {
			printf("pump: mbuf allocation failed\n");
			rte_pktmbuf_free_bulk(pkts, n);
			return -1;
		}
	}
	sent = rte_eth_tx_burst(p->port, p->rounds % p->nb_q, pkts, n);
	for (i = 0; i < sent; i++)
		p->out[p->nb_out + i] = PF_TAKEN | (p->link_up ? PF_DUE : 0);
	rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	p->nb_out += n;
	p->taken += sent;
	p->due += p->link_up ? sent : 0;
	p->polled += rx_poll_once(&p->t, p->nb_q);
	if (cap_drain(p->sock, &p->c) < 0 || p->t.err != 0)
		return -1;
	rte_atomic_fetch_add_explicit(&p->rounds, 1, rte_memory_order_release);
	return 0;
}

static int
pump_rounds(struct pump *p, unsigned int n)
{
	while (n-- > 0)
		if (pump_round(p) != 0)
			return -1;
	return 0;
}

/* Take what is still on its way, until nothing has come for QUIET_MS. */
static int
pump_drain(struct pump *p)
{
	uint64_t end = deadline_ms(WAIT_MS), idle = deadline_ms(QUIET_MS);
	unsigned int n;
	int r;

	while (!expired(end) && !expired(idle)) {
		tx_reap(p->port, p->nb_q);
		n = rx_poll_once(&p->t, p->nb_q);
		p->polled += n;
		r = cap_drain(p->sock, &p->c);
		if (r < 0 || p->t.err != 0)
			return -1;
		if (n + r > 0)
			idle = deadline_ms(QUIET_MS);
		else
			rte_delay_ms(1);
	}
	return 0;
}

/*
 * Frames of one direction: none arrived that was not taken, and with
 * exact, every frame due arrived.
 */
static int
pump_dir_check(const char *dir, const uint8_t *flags, const uint8_t *seen,
	       uint32_t nb, uint32_t base, bool exact)
{
	uint32_t i, bad = 0;

	for (i = 0; i < nb; i++) {
		if ((seen[i] && !(flags[i] & PF_TAKEN)) ||
		    (exact && !seen[i] && (flags[i] & PF_DUE))) {
			if (bad++ < 8)
				printf("%s: frame %u %s\n", dir, base + i,
				       seen[i] ? "arrived, yet it was not taken" :
				       "was taken and never arrived");
		}
	}
	if (bad != 0)
		printf("%s: %u of %u frames wrong\n", dir, bad, nb);
	return bad != 0 ? -1 : 0;
}

/*
 * Where every frame of the pump went, and the port's counters: every
 * frame rx_burst returned is in ipackets, every frame tx_burst took is in
 * opackets or oerrors.  With exact (the test knows the link state of each
 * round) also: all that was due arrived, opackets are the frames due and
 * oerrors the others, imissed are the injections the kernel dropped, and
 * nothing else went wrong.
 */
static int
pump_check(struct pump *p, bool exact)
{
	struct rte_eth_stats st;
	uint64_t deadline = deadline_ms(WAIT_MS);

	if (pump_dir_check("rx", p->in, p->t.seen, p->nb_in, 0, exact) != 0 ||
	    pump_dir_check("tx", p->out, p->c.seen, p->nb_out, PUMP_OUT_BASE,
			   exact) != 0)
		return -1;
	for (;;) {
		tx_reap(p->port, p->nb_q);
		if (rte_eth_stats_get(p->port, &st) != 0)
			return -1;
		if (st.opackets + st.oerrors >= p->taken || expired(deadline))
			break;
		rte_delay_ms(1);
	}
	printf("pump: %u rounds; rx: %u injected, %" PRIu64 " refused (%"
	       PRIu64 " ENOBUFS), %u arrived, %" PRIu64 " polled; tx: %" PRIu64
	       " taken, %" PRIu64 " due, %u captured\n",
	       p->rounds, p->nb_in, p->refused, p->nobufs, p->t.got, p->polled,
	       p->taken, p->due, p->c.got);
	printf("stats: ipackets %" PRIu64 " opackets %" PRIu64 " ierrors %"
	       PRIu64 " oerrors %" PRIu64 " imissed %" PRIu64 " rx_nombuf %"
	       PRIu64 "\n", st.ipackets, st.opackets, st.ierrors, st.oerrors,
	       st.imissed, st.rx_nombuf);
	if (st.ipackets != p->polled ||
	    st.opackets + st.oerrors != p->taken) {
		printf("expected ipackets %" PRIu64 " and opackets + oerrors %"
		       PRIu64 "\n", p->polled, p->taken);
		return -1;
	}
	if (exact && (st.opackets != p->due || st.imissed != p->nobufs ||
		      st.ierrors != 0 || st.rx_nombuf != 0)) {
		printf("expected opackets %" PRIu64 ", imissed %" PRIu64
		       ", no ierrors, no rx_nombuf\n", p->due, p->nobufs);
		return -1;
	}
	return 0;
}

/*
 * rounds more rounds, in which traffic must flow both ways again: every
 * frame transmitted due, at most one injection refused (the error a
 * packet socket keeps from its interface going down).
 */
static int
pump_resume(struct pump *p, unsigned int rounds)
{
	uint32_t in_from = p->nb_in, out_from = p->nb_out, i;
	uint32_t in_taken = 0, out_due = 0;

	if (pump_rounds(p, rounds) != 0)
		return -1;
	for (i = in_from; i < p->nb_in; i++)
		in_taken += p->in[i] & PF_TAKEN;
	for (i = out_from; i < p->nb_out; i++)
		out_due += !!(p->out[i] & PF_DUE);
	if (p->nb_in - in_from < 2 || in_taken + 1 < p->nb_in - in_from ||
	    out_due == 0 || out_due != p->nb_out - out_from) {
		printf("traffic did not resume: the kernel took %u of %u frames, %u of %u transmitted were due\n",
		       in_taken, p->nb_in - in_from, out_due,
		       p->nb_out - out_from);
		return -1;
	}
	return 0;
}

/* Set the link ifindex up or down from outside, between two rounds. */
static int
pump_link(struct pump *p, unsigned int ifindex, bool up)
{
	int ret;

	ret = kern_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP);
	if (ret != 0) {
		printf("cannot set interface %u %s: %s\n", ifindex,
		       up ? "up" : "down", strerror(-ret));
		return -1;
	}
	p->link_up = up;
	return 0;
}

/*
 * The link flapped from outside while traffic runs both ways, twice:
 * IFF_UP off and on, then the carrier off and on; the port has LSC
 * interrupts on.  Nothing the kernel took is lost: every frame it queued
 * comes out of the port once, byte for byte, including those queued
 * while the interface was down; every frame transmitted while it was up
 * (carrier or not) is captured, and those transmitted while it was down,
 * which the kernel refuses, are counted in oerrors; the injections it
 * refused while the carrier was off are its tx_dropped, the port's
 * imissed.  Traffic resumes after each flap and the link is reported up
 * again; the Rx rings hold as many mbufs as before, and close returns
 * every mbuf and file.
 */
static int
test_rtap_link_flap(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_conf conf;
	struct pump *p;
	unsigned int ifindex, round;
	int rc, ret = TEST_FAILED;

	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.lsc = 1;
	p = pump_start("fl", &conf, vdev, ifname);
	if (p == NULL)
		goto out;
	ifindex = if_nametoindex(ifname);

	for (round = 0; round < 2; round++) {
		if (pump_rounds(p, 20) != 0 ||
		    pump_link(p, ifindex, false) != 0 ||
		    pump_rounds(p, 10) != 0 ||
		    pump_link(p, ifindex, true) != 0 ||
		    pump_resume(p, 10) != 0) {
			printf("%s set down and up\n", ifname);
			goto out;
		}
		rc = kern_set_carrier(ifindex, false);
		if (rc == -EOPNOTSUPP) {
			printf("the kernel cannot switch the carrier of a TAP, carrier flap skipped\n");
			continue;
		}
		if (rc != 0 || pump_rounds(p, 10) != 0 ||
		    kern_set_carrier(ifindex, true) != 0 ||
		    pump_resume(p, 10) != 0) {
			printf("the carrier of %s off and on\n", ifname);
			goto out;
		}
	}
	if (pump_rounds(p, 20) != 0 || pump_drain(p) != 0 ||
	    pump_check(p, true) != 0 ||
	    pool_running_check(p->port, p->nb_q, p->mp, p->avail_run) != 0 ||
	    wait_link(p->port, ifname, true, 3000) != 0 ||
	    pump_close(p, vdev, ifname) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	free(p);
	return ret;
}

/* A thread that deletes a link once the pump has done some rounds. */
struct link_killer {
	const struct pump *pump;	/* its rounds */
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

	while (rte_atomic_load_explicit(&k->pump->rounds,
				       rte_memory_order_acquire) < k->after &&
	       !expired(deadline))
		rte_delay_us_sleep(100);
	k->ret = kern_del_link(k->ifindex);
	rte_atomic_store_explicit(&k->done, 1, rte_memory_order_release);
	return 0;
}

/*
 * `ip link del` of the interface from outside (RTM_DELLINK, from another
 * thread) while traffic runs both ways on two queues.  The kernel detaches
 * the port's tap fds, whose reads and writes then fail (EBADFD).
 * rx_burst and tx_burst go on returning: every frame rx_burst returned is
 * in ipackets and was one the kernel had queued, intact; every frame
 * tx_burst took is in opackets or oerrors, and all those taken after the
 * deletion are in oerrors (rx_burst counts a failed read in ierrors).
 * The Rx rings keep their mbufs, and the link is down.  Observed and
 * asserted: the port cannot be started again (there is no interface to
 * attach to); stop and close succeed, and leave no file, mbuf or
 * interface behind.
 */
static int
test_rtap_link_del(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], leaked[IF_NAMESIZE];
	struct link_killer k;
	struct rte_eth_stats st0, st;
	struct rte_eth_link link;
	struct pump *p;
	unsigned int since;
	uint64_t deadline, taken0;
	uint16_t port;
	int rc, ret = TEST_FAILED;

	since = max_ifindex();
	p = pump_start("dl", NULL, vdev, ifname);
	if (p == NULL)
		goto out;
	port = p->port;

	memset(&k, 0, sizeof(k));
	k.pump = p;
	k.after = 20;
	k.ifindex = if_nametoindex(ifname);
	if (ctx_thread(link_killer_run, &k) != 0)
		goto out;
	deadline = deadline_ms(2 * WAIT_MS);
	while (!rte_atomic_load_explicit(&k.done, rte_memory_order_acquire)) {
		if (pump_round(p) != 0)
			goto out;
		/* Paced while the kernel deletes: frames left for after */
		if (p->rounds > k.after)
			rte_delay_us_block(200);
		if (expired(deadline)) {
			printf("the interface was not deleted within %d ms\n",
			       2 * WAIT_MS);
			goto out;
		}
	}
	ctx_join();
	if (k.ret != 0) {
		printf("RTM_DELLINK of %s: %s\n", ifname, strerror(-k.ret));
		goto out;
	}
	if (wait_if_gone(ifname, WAIT_MS) != 0) {
		printf("%s still there after RTM_DELLINK\n", ifname);
		goto out;
	}
	/* From here on, every frame tx_burst takes is an error */
	tx_reap(port, p->nb_q);
	taken0 = p->taken;
	if (rte_eth_stats_get(port, &st0) != 0 || pump_rounds(p, 50) != 0 ||
	    pump_drain(p) != 0 || pump_check(p, false) != 0 ||
	    rte_eth_stats_get(port, &st) != 0)
		goto out;
	if (st.opackets != st0.opackets ||
	    st.oerrors - st0.oerrors != p->taken - taken0) {
		printf("after the deletion: %" PRIu64 " frames taken, opackets +%"
		       PRIu64 " oerrors +%" PRIu64 "\n", p->taken - taken0,
		       st.opackets - st0.opackets, st.oerrors - st0.oerrors);
		goto out;
	}
	if (pool_running_check(port, p->nb_q, p->mp, p->avail_run) != 0)
		goto out;
	/* No interface, no link, started or not */
	memset(&link, 0, sizeof(link));
	rc = rte_eth_link_get_nowait(port, &link);
	if (rc != 0 || link.link_status != RTE_ETH_LINK_DOWN) {
		printf("link_get %d: link %s after the interface was deleted\n",
		       rc, link.link_status ? "up" : "down");
		goto out;
	}

	if (rte_eth_dev_stop(port) != 0) {
		printf("stop after the deletion failed\n");
		goto out;
	}
	rc = rte_eth_dev_start(port);
	if (rc == 0) {
		printf("start succeeded with the interface deleted\n");
		goto out;
	}
	if (pump_close(p, vdev, ifname) != 0)
		goto out;
	/* Nothing came back under a name of the kernel's either */
	if (new_default_iface(since, leaked) != 0) {
		printf("interface %s appeared after close\n", leaked);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	/* The thread looks at the pump and k */
	ctx_join();
	free(p);
	return ret;
}

/*
 * The pump's kernel end, the packet socket, anew on ifname in the thread's
 * namespace, after the link is set up there (it came over down).
 */
static int
pump_reopen(struct pump *p, const char *ifname)
{
	unsigned int idx;

	ctx_close_sock(p->sock);
	idx = if_nametoindex(ifname);
	if (idx == 0) {
		printf("no %s in this namespace\n", ifname);
		return -1;
	}
	kern_ipv6_quiet(idx);
	if (pump_link(p, idx, true) != 0)
		return -1;
	p->sock = pkt_open(ifname);
	if (p->sock < 0 || pkt_bypass_qdisc(p->sock) != 0)
		return -1;
	return 0;
}

/*
 * Move ifname (ifindex) to the namespace of nsfd from outside, between two
 * rounds of the pump, pump on, then enter that namespace and let the pump
 * use the interface there; the same ifindex must come with it.
 */
static int
pump_move(struct pump *p, const char *ifname, unsigned int ifindex, int nsfd)
{
	int ret;

	ret = kern_set_netns(ifindex, nsfd);
	if (ret != 0) {
		printf("cannot move %s to another namespace: %s\n", ifname,
		       strerror(-ret));
		return -1;
	}
	p->link_up = false;
	if (pump_rounds(p, 5) != 0 || netns_switch(nsfd) != 0 ||
	    pump_reopen(p, ifname) != 0)
		return -1;
	if (if_nametoindex(ifname) != ifindex) {
		printf("%s has ifindex %u after the move, %u before\n", ifname,
		       if_nametoindex(ifname), ifindex);
		return -1;
	}
	return 0;
}

/*
 * Traffic runs both ways (two queues) while, from outside, the interface
 * is set down, renamed and set up again, then moved to another network
 * namespace, back, and there again.  No crash, and what the port does is
 * asserted:
 * - Renamed: the port follows by ifindex; traffic resumes once the
 *   interface is up again, and control reaches it under its new name.
 * - Moved to another namespace (which takes it down): the data path goes
 *   on from there once it is set up in that namespace: frames injected
 *   there arrive, frames transmitted are captured there, byte for byte.
 *   Control operations do not reach it (the port's rtnetlink socket
 *   stays in the namespace the port was created in): set_mtu fails and
 *   the kernel's MTU stays.  link_update has no kernel view and falls
 *   back to the port's state: link up while started.
 * - Moved back (the kernel keeps its ifindex): control reaches it again.
 * - Closed while in the other namespace: close still deletes it there.
 * Every frame the kernel took arrives once, every frame transmitted while
 * the interface was up where the pump captures is captured, the others
 * count in oerrors; the Rx rings keep their mbufs; close leaves no file
 * or mbuf behind.
 */
static int
test_rtap_netns_move(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], name2[IF_NAMESIZE];
	struct rte_eth_link link;
	struct pump *p = NULL;
	unsigned int ifindex;
	uint16_t port;
	int kmtu = 0, ret = TEST_FAILED;

	if (netns_other() != 0)
		return TEST_SKIPPED;
	make_ifname(name2, "mv2");
	ctx_add_ifname(name2);
	p = pump_start("mv", NULL, vdev, ifname);
	if (p == NULL)
		goto out;
	port = p->port;
	ifindex = if_nametoindex(ifname);

	/* Renamed: only a link that is down can be */
	if (pump_rounds(p, 20) != 0 || pump_link(p, ifindex, false) != 0 ||
	    pump_rounds(p, 5) != 0 || rename_check(ifindex, ifname, name2) != 0 ||
	    pump_rounds(p, 5) != 0 || pump_link(p, ifindex, true) != 0 ||
	    pump_resume(p, 20) != 0 ||
	    mtu_set_kern(port, name2, 1400, &kmtu) != 0) {
		printf("renamed to %s (MTU %d)\n", name2, kmtu);
		goto out;
	}

	/* To the other namespace, where only the data path reaches it */
	if (pump_move(p, name2, ifindex, ctx.other_ns) != 0 ||
	    pump_resume(p, 20) != 0) {
		printf("moved to another namespace\n");
		goto out;
	}
	if (rte_eth_dev_set_mtu(port, 1300) == 0 ||
	    kern_mtu(name2, &kmtu) != 0 || kmtu != 1400) {
		printf("set_mtu 1300 on a port whose interface is in another namespace: kernel MTU %d\n",
		       kmtu);
		goto out;
	}
	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(port, &link) != 0 ||
	    link.link_status != RTE_ETH_LINK_UP) {
		printf("link %s, the port's own state (started) expected\n",
		       link.link_status ? "up" : "down");
		goto out;
	}

	/* Back home, where control works again */
	if (pump_move(p, name2, ifindex, ctx.home_ns) != 0 ||
	    pump_resume(p, 20) != 0 ||
	    mtu_set_kern(port, name2, 1300, &kmtu) != 0) {
		printf("moved back (MTU %d)\n", kmtu);
		goto out;
	}
	if (pump_drain(p) != 0 || pump_check(p, true) != 0 ||
	    pool_running_check(port, p->nb_q, p->mp, p->avail_run) != 0)
		goto out;

	/* Closed while away: it goes there too */
	if (pump_move(p, name2, ifindex, ctx.other_ns) != 0 ||
	    pump_close(p, vdev, name2) != 0 ||
	    netns_switch(ctx.home_ns) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	free(p);
	return ret;
}

#define RECONF_CYCLES		200
#define RECONF_FRAMES		4	/* each way, per queue and cycle */

/*
 * One cycle's traffic on nb_q queue pairs: RECONF_FRAMES frames per queue
 * from the kernel, short and of the largest size the MTU lets through,
 * as flows spread over the queues; as many transmitted on each queue, in
 * chains of up to 1000 bytes if chains is set (then up to the MTU) or
 * whole (up to 1514 bytes).  Every frame must arrive byte for byte.
 * With in_flight the frames are only sent, for stop to find them.
 */
static int
reconf_traffic(uint16_t port, uint16_t nb_q, int sock, struct rte_mempool *mp,
	       uint16_t mtu, bool chains, uint32_t base, bool in_flight,
	       struct rx_track *t, struct cap_track *c)
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
	}
	rx_track_init(t, port, base, nb, rxlen, 0, 16);
	cap_track_init(c, base + nb, nb, txlen, 0);
	for (i = 0; i < nb; i++) {
		frame_build(frame_buf, rxlen[i], base + i, 16);
		if (send(sock, frame_buf, rxlen[i], MSG_DONTWAIT) !=
		    (ssize_t)rxlen[i]) {
			printf("cannot inject frame %u of %u bytes: %s\n",
			       base + i, rxlen[i], strerror(errno));
			return -1;
		}
	}
	for (q = 0; q < nb_q; q++) {
		for (i = 0; i < RECONF_FRAMES; i++) {
			seq = q * RECONF_FRAMES + i;
			frame_build(frame_buf, txlen[seq], base + nb + seq, 0);
			pkts[i] = mbuf_chunks(mp, frame_buf, txlen[seq],
					      chains ? 1000 : UINT16_MAX);
			if (pkts[i] == NULL) {
				printf("cannot build frame %u\n", seq);
				rte_pktmbuf_free_bulk(pkts, i);
				return -1;
			}
		}
		if (tx_all(port, q, pkts, RECONF_FRAMES) != 0)
			return -1;
	}
	if (in_flight)
		return 0;
	return rx_poll(t, nb_q, WAIT_MS, 0) == 0 &&
		cap_poll(sock, c, WAIT_MS, 0) == 0 ? 0 : -1;
}

/*
 * Stop, reconfigure and start a port RECONF_CYCLES times, with traffic
 * both ways in every cycle: 1 to 4 queue pairs, 64 to 512 descriptors,
 * MTU 1280 to 9000, with and without scatter, Rx checksum offload and
 * LRO, Tx chains, checksum offload and TSO offered, in turns that meet
 * in every combination.  Every eighth cycle stops with frames of both
 * ways still in flight.  After each stop every mbuf is back in the pool,
 * and the port holds as many files as at the last stop with as many
 * queues; at the end close leaves no file, mbuf or interface behind.
 */
/* What rte_eth_rx/tx_queue_info_get() tell of every queue of the port. */
static int
reconf_qinfo(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	     struct rte_mempool *mp, uint16_t nb_desc)
{
	bool scatter = !!(conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER);
	struct rte_eth_rxq_info rqi;
	struct rte_eth_txq_info tqi;
	uint16_t q;

	for (q = 0; q < nb_q; q++) {
		if (rte_eth_rx_queue_info_get(port, q, &rqi) != 0 ||
		    rte_eth_tx_queue_info_get(port, q, &tqi) != 0)
			return -1;
		if (rqi.mp != mp || rqi.nb_desc != nb_desc ||
		    rqi.scattered_rx != scatter ||
		    rqi.conf.offloads != conf->rxmode.offloads ||
		    tqi.nb_desc != nb_desc ||
		    tqi.conf.offloads != conf->txmode.offloads) {
			printf("queue %u: Rx mp %s, %u descriptors, scattered %u, offloads "
			       "0x%" PRIx64 "; Tx %u descriptors, offloads 0x%" PRIx64 "\n",
			       q, rqi.mp != NULL ? rqi.mp->name : "-",
			       rqi.nb_desc, rqi.scattered_rx,
			       rqi.conf.offloads, tqi.nb_desc,
			       tqi.conf.offloads);
			return -1;
		}
	}
	return 0;
}

static int
test_rtap_reconfigure(void)
{
	static const struct {
		uint64_t offloads;
		uint16_t mtu;
	} rxv[] = {
		{ 0, RTE_ETHER_MTU },
		{ RTE_ETH_RX_OFFLOAD_SCATTER, JUMBO_MTU },
		{ RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM,
		  1280 },
		{ RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO,
		  RTE_ETHER_MTU },
		{ RTE_ETH_RX_OFFLOAD_SCATTER, 2000 },
	};
	static const uint64_t txv[] = {
		0,
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO,
	};
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	int fds_at[5] = { -1, -1, -1, -1, -1 };
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rx_track *t;
	struct cap_track *c;
	unsigned int avail0, cycle, r;
	uint16_t port, nb_q, nb_desc;
	int sock, fds0, kmtu = 0, ret = TEST_FAILED;
	uint64_t start = rte_get_timer_cycles();

	t = malloc(sizeof(*t));
	c = malloc(sizeof(*c));
	/* 4 queues of 512 descriptors of 5 mbufs (MTU 9000), and traffic */
	mp = pool_create(16384);
	if (t == NULL || c == NULL || mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	if (probe_iface("rc", vdev, &port, ifname) != 0)
		goto out;
	sock = pkt_open(ifname);
	if (sock < 0 || pkt_bypass_qdisc(sock) != 0)
		goto out;

	for (cycle = 0; cycle < RECONF_CYCLES; cycle++) {
		nb_q = 1 + cycle % 4;
		r = cycle % RTE_DIM(rxv);
		/* LRO: 35 mbufs per descriptor */
		nb_desc = rxv[r].offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO ? 64 :
			64 << (cycle / 4 % 4);
		memset(&conf, 0, sizeof(conf));
		conf.rxmode.mtu = rxv[r].mtu;
		conf.rxmode.offloads = rxv[r].offloads;
		conf.txmode.offloads = txv[cycle % RTE_DIM(txv)];
		if (port_start(port, nb_q, &conf, mp, nb_desc, nb_desc) != 0 ||
		    kern_mtu(ifname, &kmtu) != 0 || kmtu != rxv[r].mtu) {
			printf("cycle %u: start with %u queues of %u descriptors, MTU %u (kernel "
			       "%d), offloads Rx 0x%" PRIx64 " Tx 0x%" PRIx64 "\n",
			       cycle, nb_q, nb_desc, rxv[r].mtu, kmtu,
			       conf.rxmode.offloads, conf.txmode.offloads);
			goto out;
		}
		if (reconf_qinfo(port, nb_q, &conf, mp, nb_desc) != 0) {
			printf("cycle %u: queue info does not match the set-up\n",
			       cycle);
			goto out;
		}
		/* The socket was left with the ENETDOWN of the last stop */
		pkt_clear_error(sock);
		if (reconf_traffic(port, nb_q, sock, mp, rxv[r].mtu,
				   conf.txmode.offloads != 0, cycle * 1000,
				   cycle % 8 == 7, t, c) != 0) {
			printf("cycle %u: traffic with %u queues of %u descriptors, MTU %u, "
			       "offloads Rx 0x%" PRIx64 " Tx 0x%" PRIx64 "\n",
			       cycle, nb_q, nb_desc, rxv[r].mtu,
			       conf.rxmode.offloads, conf.txmode.offloads);
			goto out;
		}
		if (rte_eth_dev_stop(port) != 0)
			goto out;
		if (rte_mempool_avail_count(mp) != avail0) {
			printf("cycle %u: %u of %u mbufs in the pool after stop\n",
			       cycle, rte_mempool_avail_count(mp), avail0);
			goto out;
		}
		if (fds_at[nb_q] < 0) {
			fds_at[nb_q] = count_fds();
		} else if (count_fds() != fds_at[nb_q]) {
			printf("cycle %u: %d open files after stop, %d at the last stop with %u queues\n",
			       cycle, count_fds(), fds_at[nb_q], nb_q);
			goto out;
		}
	}
	printf("%u cycles in %" PRIu64 " ms\n", RECONF_CYCLES,
	       (rte_get_timer_cycles() - start) * 1000 / rte_get_timer_hz());

	if (port_close_clean(port, vdev, ifname, fds0, mp, avail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	free(c);
	return ret;
}

/* Interrupts, link events, faults from outside, reconfiguration. */
static struct unit_test_suite rtap_pmd_driver_testsuite = {
	.suite_name = "net_rtap PMD driver test suite",
	.setup = test_rtap_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_persist),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_probe_loop),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_multi_queue),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mempool),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_stats),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_link_control),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_lsc),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_rx_intr),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_rx_offload),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_link_flap),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_link_del),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_netns_move),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_reconfigure),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap_driver(void)
{
	return unit_test_suite_runner(&rtap_pmd_driver_testsuite);
}

REGISTER_DRIVER_TEST(rtap_pmd_driver_autotest, test_pmd_rtap_driver);

/*
 * Multi-process: rtap_mp_autotest runs in a primary with hugepages; it
 * starts dpdk-test again as a secondary running the same test, and the
 * two share a port with two queue pairs, the primary polling queue 0 and
 * the secondary queue 1. They meet in a memzone.
 */

#define MP_ZONE			"rtap_mp_test"
#define MP_NB_RX		256	/* frames from the kernel, 256 flows */
#define MP_RX_BASE		40000
#define MP_NB_TX		200	/* frames the secondary sends */
#define MP_TX_BASE		50000
#define MP_TX_LEN		300
#define MP_WAIT_MS		20000

/* Words of the zone the two processes set and wait for. */
enum mp_flag {
	MP_READY,		/* secondary: attached, checks done */
	MP_RX_GO,		/* primary: frames injected */
	MP_RX_STOP,		/* primary: the batch is complete */
	MP_RX_DONE,		/* secondary: got is final */
	MP_TX_GO,		/* primary: capture ready */
	MP_DONE,		/* secondary: all sent, counters read */
	MP_GOT,		/* secondary: frames received on queue 1 */
	MP_NB_FLAGS
};

struct mp_zone {
	char vdev[RTE_DEV_NAME_MAX_LEN];
	char pool[RTE_MEMPOOL_NAMESIZE];
	RTE_ATOMIC(uint32_t) flag[MP_NB_FLAGS];
	RTE_ATOMIC(uint32_t) seen[MP_NB_RX];	/* per frame, by either process */
	int32_t err;		/* secondary: a check failed */
	uint64_t sec_opackets;	/* the secondary's view of queue 1 */
	uint64_t sec_ipackets;
};

static uint32_t
mp_get(struct mp_zone *z, enum mp_flag f)
{
	return rte_atomic_load_explicit(&z->flag[f], rte_memory_order_acquire);
}

static void
mp_set(struct mp_zone *z, enum mp_flag f, uint32_t val)
{
	rte_atomic_store_explicit(&z->flag[f], val, rte_memory_order_release);
}

/* Wait for *v to become non-zero, at most ms. */
static int
mp_wait(struct mp_zone *z, enum mp_flag f, unsigned int ms, const char *what)
{
	uint64_t deadline = deadline_ms(ms);

	while (mp_get(z, f) == 0) {
		if (expired(deadline)) {
			printf("mp: no %s within %u ms\n", what, ms);
			return -1;
		}
		rte_delay_ms(1);
	}
	return 0;
}

/* Count a frame of the Rx batch in the zone; a second sighting fails. */
static void
mp_rx_mark(struct mp_zone *z, struct rx_track *t, const char *who)
{
	uint32_t i;

	/* seen 1: new here; it becomes 2 once in the zone. */
	for (i = 0; i < MP_NB_RX; i++) {
		if (t->seen[i] != 1)
			continue;
		t->seen[i] = 2;
		if (rte_atomic_fetch_add_explicit(&z->seen[i], 1, rte_memory_order_acq_rel) != 0) {
			printf("mp: frame %u received by both processes (%s)\n",
			       MP_RX_BASE + i, who);
			t->err = -1;
		}
	}
}

static uint32_t
mp_rx_total(struct mp_zone *z)
{
	uint32_t i, n = 0;

	for (i = 0; i < MP_NB_RX; i++)
		n += rte_atomic_load_explicit(&z->seen[i],
					      rte_memory_order_acquire) != 0;
	return n;
}

/*
 * Poll queue q into t until the zone says stop; the leader says it once
 * both processes together have the batch and QUIET_MS more brought no
 * duplicate, or at the deadline.
 */
static int
mp_rx_queue(struct mp_zone *z, struct rx_track *t, uint16_t port, uint16_t q,
	    bool leader, const char *who)
{
	uint64_t deadline = deadline_ms(MP_WAIT_MS);
	struct rte_mbuf *pkts[BURST];
	bool quiet = false;
	uint16_t i, n;

	while (t->err == 0 && mp_get(z, MP_RX_STOP) == 0) {
		n = rte_eth_rx_burst(port, q, pkts, BURST);
		for (i = 0; i < n; i++)
			rx_account(t, q, pkts[i]);
		mp_rx_mark(z, t, who);
		if (leader && batch_over(mp_rx_total(z) == MP_NB_RX, &quiet,
					 &deadline, QUIET_MS))
			mp_set(z, MP_RX_STOP, 1);
		if (!leader && expired(deadline))
			break;
		if (n == 0)
			rte_delay_us_block(200);
	}
	if (leader)
		mp_set(z, MP_RX_STOP, 1);
	if (t->other != 0) {
		printf("mp: the %s received %u frames not of the batch\n",
		       who, t->other);
		return -1;
	}
	return t->err;
}

/* The secondary's half; the zone's err says how it went. */
static int
mp_secondary_run(struct mp_zone *z, struct rx_track *t)
{
	struct rte_mbuf *none[1];
	struct rte_eth_conf conf;
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	uint16_t port;
	int ret;

	if (rte_eth_dev_get_port_by_name(z->vdev, &port) != 0) {
		printf("mp secondary: no port %s\n", z->vdev);
		return -1;
	}
	mp = rte_mempool_lookup(z->pool);
	if (mp == NULL) {
		printf("mp secondary: no pool %s\n", z->pool);
		return -1;
	}
	/* Control stays with the primary: refused, and nothing breaks. */
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0) {
		printf("mp secondary: configure succeeded\n");
		return -1;
	}
	if (rte_eth_dev_set_mtu(port, 1400) == 0 ||
	    rte_eth_promiscuous_enable(port) == 0 ||
	    rte_eth_dev_set_link_down(port) == 0 ||
	    rte_eth_dev_rx_intr_enable(port, 1) == 0) {
		printf("mp secondary: a control operation succeeded\n");
		return -1;
	}
	if (rte_eth_stats_get(port, &st) != 0) {
		printf("mp secondary: no statistics\n");
		return -1;
	}
	/* The first burst makes the queue's copy: then the kernel may send. */
	rx_track_init(t, port, MP_RX_BASE, MP_NB_RX, NULL, 100, MP_NB_RX);
	rte_eth_rx_burst(port, 1, none, 0);
	mp_set(z, MP_READY, 1);

	if (mp_wait(z, MP_RX_GO, MP_WAIT_MS, "Rx start") != 0 ||
	    mp_rx_queue(z, t, port, 1, false, "secondary") != 0)
		return -1;
	mp_set(z, MP_GOT, t->got);
	mp_set(z, MP_RX_DONE, 1);

	if (mp_wait(z, MP_TX_GO, MP_WAIT_MS, "Tx start") != 0 ||
	    tx_frames(port, 1, mp, MP_TX_BASE, MP_NB_TX, NULL, MP_TX_LEN) != 0)
		return -1;
	/* Its view of the counters; then rte_eal_cleanup gives back all. */
	if (xstats_queue_packets(port, "rx", 1, &z->sec_ipackets) != 0 ||
	    xstats_queue_packets(port, "tx", 1, &z->sec_opackets) != 0)
		return -1;
	return 0;
}

static int
test_rtap_mp_secondary(void)
{
	const struct rte_memzone *mz;
	struct rx_track *t;
	struct mp_zone *z;
	int ret;

	mz = rte_memzone_lookup(MP_ZONE);
	if (mz == NULL) {
		printf("mp secondary: no memzone %s\n", MP_ZONE);
		return TEST_FAILED;
	}
	z = mz->addr;
	t = calloc(1, sizeof(*t));
	ret = t == NULL ? -1 : mp_secondary_run(z, t);
	free(t);
	z->err = ret;
	/* Whatever it failed at, the primary stops waiting. */
	mp_set(z, MP_READY, 1);
	mp_set(z, MP_RX_DONE, 1);
	mp_set(z, MP_DONE, 1);
	return ret == 0 ? TEST_SUCCESS : TEST_FAILED;
}

/* Start this program again, as the secondary of rtap_mp_autotest. */
static pid_t
mp_spawn(void)
{
	char prefix[PATH_MAX], arg[PATH_MAX + 32];
	pid_t pid;

	strlcpy(prefix, rte_eal_get_runtime_dir(), sizeof(prefix));
	snprintf(arg, sizeof(arg), "--file-prefix=%s", basename(prefix));
	pid = fork();
	if (pid == 0) {
		setenv("DPDK_TEST", "rtap_mp_autotest", 1);
		execl("/proc/self/exe", "dpdk-test", "-l", "0-1", "--no-pci",
		      "--proc-type=secondary", arg, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		printf("mp: fork: %s\n", strerror(errno));
	return pid;
}

/* The secondary's exit status, or -1 if it is not gone within ms. */
static int
mp_reap(pid_t pid, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (expired(deadline)) {
			printf("mp: the secondary does not exit, killed\n");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		rte_delay_ms(5);
	}
	if (!WIFEXITED(status)) {
		printf("mp: the secondary died (status %#x)\n", status);
		return -1;
	}
	return WEXITSTATUS(status);
}

static int
test_rtap_mp(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	const struct rte_memzone *mz = NULL;
	struct rte_eth_stats st;
	struct rx_track *t = NULL;
	struct cap_track *c = NULL;
	uint64_t in, outq;
	struct rte_mempool *mp;
	unsigned int avail0;
	struct mp_zone *z;
	pid_t pid = -1;
	uint32_t total;
	int ret = TEST_FAILED, fds0, sock, status;
	uint16_t port;

	if (!rte_eal_has_hugepages() || rte_eal_has_pci()) {
		printf("rtap_mp_autotest needs hugepages and --no-pci (see scripts/run-autotest.sh --huge), skipped\n");
		return TEST_SKIPPED;
	}
	t = calloc(1, sizeof(*t));
	c = calloc(1, sizeof(*c));
	mz = rte_memzone_reserve(MP_ZONE, sizeof(*z), SOCKET_ID_ANY, 0);
	if (t == NULL || c == NULL || mz == NULL) {
		printf("mp: no memory for the test\n");
		goto out;
	}
	z = mz->addr;
	memset(z, 0, sizeof(*z));
	mp = pool_create(NB_MBUF);
	if (mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	if (probe_start("mp", 2, NULL, mp, 256, 256, vdev, &port, ifname,
			&sock) != 0)
		goto out;
	strlcpy(z->vdev, vdev, sizeof(z->vdev));
	strlcpy(z->pool, mp->name, sizeof(z->pool));
	/*
	 * Proving the path polled queue 1 here, which left reads posted on
	 * it: a restart takes them back, and queue 1 is the secondary's.
	 */
	if (rte_eth_dev_stop(port) != 0 || rte_eth_dev_start(port) != 0 ||
	    wait_flags(ifname, IFF_UP | IFF_RUNNING, true, WAIT_MS) != 0) {
		printf("mp: cannot restart port %u\n", port);
		goto out;
	}
	pkt_clear_error(sock);
	/* From zero: the path's proof may have counted on either queue. */
	if (rte_eth_stats_reset(port) != 0 || rte_eth_xstats_reset(port) != 0)
		goto out;

	pid = mp_spawn();
	if (pid < 0 || mp_wait(z, MP_READY, MP_WAIT_MS, "secondary") != 0 ||
	    z->err != 0)
		goto out;

	/* Kernel to DPDK: 256 flows over both queues, each frame once. */
	rx_track_init(t, port, MP_RX_BASE, MP_NB_RX, NULL, 100, MP_NB_RX);
	if (inject_frames(sock, MP_RX_BASE, MP_NB_RX, NULL, 100, MP_NB_RX) != 0)
		goto out;
	mp_set(z, MP_RX_GO, 1);
	if (mp_rx_queue(z, t, port, 0, true, "primary") != 0 ||
	    mp_wait(z, MP_RX_DONE, MP_WAIT_MS, "secondary Rx count") != 0 ||
	    z->err != 0)
		goto out;
	total = mp_rx_total(z);
	printf("mp: %u frames on queue 0 (primary), %u on queue 1 (secondary)\n",
	       t->got, mp_get(z, MP_GOT));
	if (total != MP_NB_RX || t->got == 0 || mp_get(z, MP_GOT) == 0 ||
	    t->got + mp_get(z, MP_GOT) != MP_NB_RX) {
		printf("mp: %u of %u frames received, both queues must have some\n",
		       total, MP_NB_RX);
		goto out;
	}

	/* Secondary to kernel, byte for byte. */
	cap_track_init(c, MP_TX_BASE, MP_NB_TX, NULL, MP_TX_LEN);
	mp_set(z, MP_TX_GO, 1);
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	if (mp_wait(z, MP_DONE, MP_WAIT_MS, "secondary end") != 0)
		goto out;
	status = mp_reap(pid, MP_WAIT_MS);
	pid = -1;
	if (status != 0 || z->err != 0) {
		printf("mp: the secondary failed (exit %d)\n", status);
		goto out;
	}
	if (z->sec_ipackets != mp_get(z, MP_GOT) || z->sec_opackets != MP_NB_TX) {
		printf("mp: the secondary counted %" PRIu64 " in / %" PRIu64 " out on queue 1, "
		       "expected %u / %u\n",
		       z->sec_ipackets, z->sec_opackets, mp_get(z, MP_GOT),
		       MP_NB_TX);
		goto out;
	}
	/* What the secondary counted stays with the port after it left. */
	if (xstats_queue_packets(port, "rx", 1, &in) != 0 ||
	    xstats_queue_packets(port, "tx", 1, &outq) != 0 ||
	    rte_eth_stats_get(port, &st) != 0)
		goto out;
	if (in != mp_get(z, MP_GOT) || outq != MP_NB_TX ||
	    st.opackets != MP_NB_TX) {
		printf("mp: after the secondary left: queue 1 %" PRIu64 " in / %" PRIu64 " "
		       "out, port %" PRIu64 " out\n",
		       in, outq, st.opackets);
		goto out;
	}
	if (port_close_clean(port, vdev, ifname, fds0, mp, avail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	if (pid > 0) {
		mp_set(z, MP_RX_STOP, 1);
		mp_set(z, MP_TX_GO, 1);
		mp_reap(pid, MP_WAIT_MS);
	}
	rte_memzone_free(mz);
	free(c);
	free(t);
	return ret;
}

static struct unit_test_suite rtap_mp_testsuite = {
	.suite_name = "net_rtap multi-process test suite",
	.setup = test_rtap_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mp),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap_mp(void)
{
	if (rte_eal_process_type() == RTE_PROC_SECONDARY)
		return test_rtap_mp_secondary();
	return unit_test_suite_runner(&rtap_mp_testsuite);
}

REGISTER_DRIVER_TEST(rtap_mp_autotest, test_pmd_rtap_mp);
