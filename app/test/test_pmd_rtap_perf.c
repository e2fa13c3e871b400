/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Throughput of net_rtap beside net_tap and net_af_packet (on a veth), sampled in turns so that
 * load hits all alike: medians of PERF_RUNS samples a mode, rtap/tap.  Only set-up and sustained
 * Tx are asserted.  Tx: an lcore a queue calls tx_burst for a fixed time; what counts is the
 * kernel end's rx_packets (frames to a MAC and of an ethertype nothing takes: dropped at once).
 * Rx: a generator on the main lcore would measure itself on two cores, so PERF_PRELOAD frames a
 * queue are queued (AF_PACKET, no qdisc) with nothing polling, then drained, the first PERF_SKIP
 * untimed (reads posted before may have completed meanwhile); net_af_packet has no such figure,
 * its kernel copies a frame into the ring as it is queued.  Cycles per packet: TSC cycles of the
 * timed loops, and the part of them on CPU (schedstat): other processes' time is not cost.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <linux/veth.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "test.h"
#include "test_pmd_rtap.h"

#define PERF_RUNS		5	/* samples per target and mode */
#define PERF_SAMPLE_MS		1000
#define PERF_WARM_MS		200	/* untimed, before a mode's samples */
#define PERF_SUSTAIN_S		6
#define PERF_NB_DESC		1024
#define PERF_TX_POOL		8192
#define PERF_RX_POOL		16384
#define PERF_MAX_Q		2
#define PERF_PRELOAD		32768	/* frames queued per kernel queue */
#define PERF_SKIP		2048	/* frames of a drain left out of the timing */
#define PERF_TXQLEN		(2 * PERF_PRELOAD)	/* room for uneven hashing */
#define PERF_IDLE_MS		100	/* a drain that gets nothing this long ends */
#define PERF_JOB_MS		10000	/* no job runs longer */
#define PERF_GONE_MS		3000
#define PERF_FLOWS		256	/* UDP flows, spread over the queues */
#define PERF_MAX_FRAME		1500
#define PERF_AFP_FRAMES		4096	/* af_packet ring, per queue and way */

enum perf_kind { PERF_RTAP, PERF_TAP, PERF_AFP, PERF_NB_KIND };
enum { S_PPS, S_CPP, S_OCPP, S_NB };	/* a sample: pps, TSC and on-CPU cycles per packet */

static const char * const perf_drv[PERF_NB_KIND] = { "net_rtap", "net_tap", "net_af_packet" };
/* The modes, Tx and Rx alike: frame length, queue pairs */
static const uint16_t perf_modes[][2] = { { 64, 1 }, { 512, 1 }, { 1500, 1 }, { 64, 2 } };

static struct perf_target {
	char vdev[RTE_DEV_NAME_MAX_LEN];
	char ifname[IF_NAMESIZE];	/* the port's interface */
	char kif[IF_NAMESIZE];		/* its kernel end: the same, or the veth peer */
	uint16_t port, nb_q;
	int gen;			/* AF_PACKET socket sending on kif */
	bool ready;
} perf_tg[PERF_NB_KIND];

/* A run: what each lcore does (Tx frames of len, or with len 0 drain), then what each did. */
static struct perf_run {
	uint16_t port, len;
	uint64_t duration;	/* Tx: TSC cycles */
	uint64_t expected;	/* drain: frames queued for all queues */
	struct {
		uint64_t cycles, packets;	/* timed, and moved in them */
		double share;		/* of the timed cycles, the thread was on CPU */
		RTE_ATOMIC(int) done;
	} job[PERF_MAX_Q];
} pr;

static struct rte_mempool *perf_tx_pool, *perf_rx_pool;
static RTE_ATOMIC(uint64_t) perf_rx_total;	/* drain: frames polled by all lcores */

/* On-CPU time of the calling thread in ns, softirq work done in its context included */
static uint64_t
perf_cpu_ns(void)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	char buf[96] = "";

	if (f != NULL && fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	if (f != NULL)
		fclose(f);
	return strtoull(buf, NULL, 10);
}

/* Queue q: Tx for the run's time, or drain the backlog, timed from frame PERF_SKIP on. */
static int
perf_job(void *arg)
{
	uint64_t ns, ns0 = perf_cpu_ns(), got = 0, got_win = 0, t_win = 0, hz = rte_get_tsc_hz();
	uint64_t start = rte_rdtsc(), now = start, last = start;
	uint16_t i, n, q = (uint16_t)(uintptr_t)arg;
	struct rte_mbuf *pkts[BURST];

	while (pr.len != 0 && now < start + pr.duration) {
		if (rte_pktmbuf_alloc_bulk(perf_tx_pool, pkts, BURST) != 0) {
			rte_eth_tx_burst(pr.port, q, pkts, 0);	/* the driver gives back */
		} else {
			for (i = 0; i < BURST; i++)
				pkts[i]->data_len = pkts[i]->pkt_len = pr.len;
			n = rte_eth_tx_burst(pr.port, q, pkts, BURST);
			if (n < BURST)
				rte_pktmbuf_free_bulk(&pkts[n], BURST - n);
			got += n;
		}
		last = now = rte_rdtsc();
	}
	while (pr.len == 0) {
		n = rte_eth_rx_burst(pr.port, q, pkts, BURST);
		now = rte_rdtsc();
		if (n > 0) {
			rte_pktmbuf_free_bulk(pkts, n);
			got += n;
			rte_atomic_fetch_add_explicit(&perf_rx_total, n, rte_memory_order_relaxed);
			if (t_win == 0 && got >= PERF_SKIP) {
				ns0 = perf_cpu_ns();
				t_win = rte_rdtsc();
				got_win = got;
			}
			last = now;
		} else if (rte_atomic_load_explicit(&perf_rx_total, rte_memory_order_relaxed) >=
			   pr.expected || now - last > hz * PERF_IDLE_MS / 1000 ||
			   now - start > hz * PERF_JOB_MS / 1000) {
			start = t_win;	/* the drain is timed from there (0: not at all) */
			got -= got_win;
			break;
		}
	}
	pr.job[q].packets = start != 0 ? got : 0;
	pr.job[q].cycles = start != 0 && last > start ? last - start : 0;
	ns = perf_cpu_ns() - ns0;
	pr.job[q].share = ns == 0 || pr.job[q].cycles == 0 ? 1 :
		RTE_MIN(1.0, ns * (hz / 1e9) / pr.job[q].cycles);
	rte_atomic_store_explicit(&pr.job[q].done, 1, rte_memory_order_release);
	return 0;
}

/* A job a queue: the last on the worker lcore, the first (of two) on the main one. */
static void
perf_run(uint16_t port, uint16_t nb_q, uint16_t len, uint64_t ms, uint64_t expected)
{
	unsigned int w = rte_get_next_lcore(-1, 1, 0);

	pr = (struct perf_run){ .port = port, .len = len, .expected = expected,
				.duration = rte_get_tsc_hz() * ms / 1000 };
	rte_atomic_store_explicit(&perf_rx_total, 0, rte_memory_order_relaxed);
	if (w >= RTE_MAX_LCORE) {
		perf_job((void *)0);
		return;
	}
	rte_eal_remote_launch(perf_job, (void *)(uintptr_t)(nb_q - 1), w);
	if (nb_q > 1)
		perf_job((void *)0);
	/* Not spinning on the main lcore: its core may be the one the worker needs */
	while (rte_atomic_load_explicit(&pr.job[nb_q - 1].done, rte_memory_order_acquire) == 0)
		usleep(1000);
	rte_eal_wait_lcore(w);
}

/* `ip link add name type veth peer name peer` */
static int
perf_add_veth(const char *name, const char *peer)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *nest[3];
	struct nl_req req;
	int i;

	nl_req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	nest[0] = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, "veth", strlen("veth"));
	nest[1] = nl_attr(&req, IFLA_INFO_DATA, NULL, 0);
	nest[2] = nl_attr(&req, VETH_INFO_PEER, &ifi, sizeof(ifi));
	nl_attr(&req, IFLA_IFNAME, peer, strlen(peer) + 1);
	for (i = 2; i >= 0; i--)
		nl_nest_end(&req, nest[i]);
	return nl_transact(&req);
}

/* Queue up to count frames of len of the flows, for at most PERF_JOB_MS; how many went. */
static uint64_t
perf_gen_send(int fd, uint16_t len, uint64_t count)
{
	static uint8_t frames[PERF_FLOWS][PERF_MAX_FRAME];
	static struct mmsghdr msgs[PERF_FLOWS];
	static struct iovec iov[PERF_FLOWS];
	static uint16_t built;	/* the length of the frames there */
	uint64_t sent = 0, end = deadline_ms(PERF_JOB_MS);
	unsigned int next = 0, n;
	int ret;

	for (n = 0; built != len && n < PERF_FLOWS; n++) {
		frame_build(frames[n], len, n, PERF_FLOWS);
		iov[n] = (struct iovec){ .iov_base = frames[n], .iov_len = len };
		msgs[n] = (struct mmsghdr){ .msg_hdr.msg_iov = &iov[n], .msg_hdr.msg_iovlen = 1 };
	}
	built = len;
	while (sent < count && !expired(end)) {
		n = RTE_MIN(RTE_MIN(count - sent, (uint64_t)64), PERF_FLOWS - next);
		ret = sendmmsg(fd, &msgs[next], n, 0);
		if (ret > 0)
			sent += ret;
		else if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			break;
		/* ENOBUFS, EAGAIN: a full tun queue dropped the frame */
		next = (next + (ret > 0 ? ret : errno != EINTR)) % PERF_FLOWS;
	}
	return sent;
}

/* Start k with nb_q queue pairs; net_af_packet makes its sockets at probe: a port per count. */
static int
perf_queues(enum perf_kind k, uint16_t nb_q)
{
	struct perf_target *tg = &perf_tg[k];
	char args[128];

	if (tg->nb_q == nb_q)
		return 0;
	if (k == PERF_AFP || tg->vdev[0] == '\0') {
		if (tg->vdev[0] != '\0' && port_close(tg->port, tg->vdev) != 0)
			return -1;
		snprintf(args, sizeof(args), k == PERF_AFP ?
			 "iface=%s,qpairs=%u,blocksz=4096,framesz=2048,framecnt=%u" : "iface=%s",
			 tg->ifname, nb_q, PERF_AFP_FRAMES);
		if (rtap_probe(perf_drv[k], args, tg->vdev, &tg->port, NULL) != 0)
			return -1;
	} else if (rte_eth_dev_stop(tg->port) != 0) {
		return rt_err("%s: stop failed", tg->vdev);
	}
	if (port_start(tg->port, nb_q, NULL, perf_rx_pool, PERF_NB_DESC, PERF_NB_DESC) != 0)
		return rt_err("%s: cannot start with %u queue pairs", tg->vdev, nb_q);
	tg->nb_q = nb_q;
	return wait_flags(tg->kif, IFF_UP | IFF_RUNNING, true, WAIT_MS);
}

/*
 * Target k with one queue pair, txqueuelen and generator: an AF_PACKET socket on its kernel
 * end, of protocol 0 (unlike pkt_open's), so that it receives nothing; net_af_packet on a veth.
 */
static int
perf_target_setup(enum perf_kind k)
{
	static const char * const tag[PERF_NB_KIND][2] = { { "pr" }, { "pt" }, { "pa", "pb" } };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct perf_target *tg = &perf_tg[k];
	uint32_t qlen = PERF_TXQLEN;
	int buf = 16 * SOCK_BUF;

	memset(tg, 0, sizeof(*tg));
	make_ifname(tg->ifname, tag[k][0]);
	make_ifname(tg->kif, tag[k][k == PERF_AFP]);
	if (k == PERF_AFP) {
		ctx_add_ifname(tg->ifname);
		if (perf_add_veth(tg->ifname, tg->kif) != 0)
			return rt_err("cannot create veth %s/%s", tg->ifname, tg->kif);
		/* net_af_packet does not bring its interface up */
		kern_ipv6_quiet(if_nametoindex(tg->kif));
		if (kern_set_flags(if_nametoindex(tg->kif), IFF_UP, IFF_UP) != 0 ||
		    kern_set_flags(if_nametoindex(tg->ifname), IFF_UP, IFF_UP) != 0)
			return rt_err("cannot set veth %s/%s up", tg->ifname, tg->kif);
	}
	if (perf_queues(k, 1) != 0)
		return -1;
	/* Room for the Rx backlog: `ip link set txqueuelen`, which is SIOCSIFTXQLEN */
	if (kern_link_attr(if_nametoindex(tg->ifname), IFLA_TXQLEN, &qlen, sizeof(qlen)) != 0)
		return rt_err("%s refuses txqueuelen %u", tg->ifname, qlen);
	sll.sll_ifindex = (int)if_nametoindex(tg->kif);
	tg->gen = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (tg->gen < 0 || ctx_add_sock(tg->gen) < 0 ||
	    bind(tg->gen, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return rt_err("AF_PACKET socket on %s: %s", tg->kif, strerror(errno));
	if (setsockopt(tg->gen, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(tg->gen, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	tg->ready = pkt_bypass_qdisc(tg->gen) == 0;
	return tg->ready ? 0 : -1;
}

/* Every mbuf of the Tx pool carries the Tx frame from the start. */
static void
perf_fill_mbuf(struct rte_mempool *mp __rte_unused, void *arg __rte_unused, void *obj,
	       unsigned int idx __rte_unused)
{
	uint8_t *p = rte_pktmbuf_mtod((struct rte_mbuf *)obj, uint8_t *);
	unsigned int i;

	for (i = 0; i < PERF_MAX_FRAME; i++)
		p[i] = (uint8_t)i;
	memcpy(p, "\x02\x00\x00\x00\x00\x02", RTE_ETHER_ADDR_LEN);	/* not the interface */
	put16(p + 2 * RTE_ETHER_ADDR_LEN, TEST_ETHERTYPE);
}

/* Pools, and the targets: net_rtap must come up, the others are left out if they cannot. */
static int
perf_setup(bool others)
{
	unsigned int k;

	perf_tx_pool = pool_create_sized(PERF_TX_POOL, RTE_MBUF_DEFAULT_BUF_SIZE);
	perf_rx_pool = pool_create_sized(PERF_RX_POOL, RTE_MBUF_DEFAULT_BUF_SIZE);
	TEST_ASSERT(perf_tx_pool != NULL && perf_rx_pool != NULL, "no mbuf pools");
	rte_mempool_obj_iter(perf_tx_pool, perf_fill_mbuf, NULL);
	TEST_ASSERT_SUCCESS(perf_target_setup(PERF_RTAP), "net_rtap set-up failed");
	for (k = PERF_TAP; others && k < PERF_NB_KIND; k++)
		if (perf_target_setup(k) != 0)
			printf("%s: set-up failed, left out\n", perf_drv[k]);
	return TEST_SUCCESS;
}

/*
 * A sample of target k: Tx for ms, the rate that of the slowest queue; or Rx, backlogs queued
 * and drained until ms are over, the rates of the queues (each has its lcore) added up.
 */
static void
perf_sample(enum perf_kind k, bool rx, uint16_t len, uint16_t nb_q, uint64_t ms, double *s)
{
	uint64_t hz = rte_get_tsc_hz(), end = deadline_ms(ms), c0, pk = 0, cy = 0, lost = 0;
	uint64_t qpk[PERF_MAX_Q] = { 0 }, qcy[PERF_MAX_Q] = { 0 }, sent = 0, longest = 0;
	struct perf_target *tg = &perf_tg[k];
	double oncpu = 0;
	uint16_t q;

	c0 = rx ? 0 : kern_stat(tg->kif, "rx_packets");
	do {
		sent = rx ? perf_gen_send(tg->gen, len, (uint64_t)nb_q * PERF_PRELOAD) : 0;
		perf_run(tg->port, nb_q, rx ? 0 : len, ms, sent);
		lost += sent - RTE_MIN(sent, perf_rx_total);
		for (q = 0; q < nb_q; q++) {
			qpk[q] += pr.job[q].packets;
			qcy[q] += pr.job[q].cycles;
			oncpu += pr.job[q].cycles * pr.job[q].share;
		}
	} while (rx && !expired(end));
	if (!rx) {	/* what counts is what the kernel got */
		pk = kern_stat(tg->kif, "rx_packets");
		pk = pk > c0 && pk != UINT64_MAX ? pk - c0 : 0;
	}
	for (s[S_PPS] = 0, q = 0; q < nb_q; q++) {
		s[S_PPS] += rx && qcy[q] > 0 ? (double)qpk[q] * hz / qcy[q] : 0;
		pk += rx ? qpk[q] : 0;
		cy += qcy[q];
		longest = RTE_MAX(longest, qcy[q]);
	}
	if (!rx)
		s[S_PPS] = longest > 0 ? (double)pk * hz / longest : 0;
	if (lost > 0)
		printf("  %s: %" PRIu64 " queued frames never arrived\n", tg->vdev, lost);
	s[S_CPP] = pk > 0 ? (double)cy / pk : 0;
	s[S_OCPP] = pk > 0 ? oncpu / pk : 0;
}

static int
perf_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Mode m: every target set to its queues (which must work), the samples in turns, medians. */
static int
perf_mode_run(unsigned int m, bool rx)
{
	static double s[PERF_NB_KIND][S_NB][PERF_RUNS];
	uint16_t len = perf_modes[m][0], nb_q = perf_modes[m][1];
	double v[S_NB], med[PERF_NB_KIND][S_NB] = { { 0 } };
	unsigned int k, run, i;
	char name[24];

	snprintf(name, sizeof(name), "%s %uB %uq", rx ? "Rx" : "Tx", len, nb_q);
	if (nb_q > 1 && rte_lcore_count() < 2) {
		printf("%-12s skipped: one lcore only (use -l 0-1)\n", name);
		return TEST_SUCCESS;
	}
	for (run = 0; run <= PERF_RUNS; run++) {	/* run 0 warms up, untimed */
		for (k = 0; k < PERF_NB_KIND; k++) {
			if (!perf_tg[k].ready || (rx && k == PERF_AFP))
				continue;
			TEST_ASSERT_SUCCESS(perf_queues(k, nb_q), "%s: %u queue pairs failed",
					    perf_drv[k], nb_q);
			perf_sample(k, rx, len, nb_q, run == 0 ? PERF_WARM_MS : PERF_SAMPLE_MS, v);
			for (i = 0; run > 0 && i < S_NB; i++)
				s[k][i][run - 1] = v[i];
		}
	}
	for (k = 0; k < PERF_NB_KIND; k++) {
		if (!perf_tg[k].ready || (rx && k == PERF_AFP))
			continue;
		for (i = 0; i < S_NB; i++) {
			qsort(s[k][i], PERF_RUNS, sizeof(double), perf_cmp);
			med[k][i] = s[k][i][PERF_RUNS / 2];
		}
		printf("%-12s %-14s %10.0f pps %8.0f cycles/pkt %8.0f on-CPU\n", name, perf_drv[k],
		       med[k][S_PPS], med[k][S_CPP], med[k][S_OCPP]);
	}
	if (med[PERF_TAP][S_PPS] > 0 && med[PERF_TAP][S_CPP] > 0)
		printf("%-12s rtap/tap       pps x%.2f, cycles/pkt x%.2f\n", name,
		       med[PERF_RTAP][S_PPS] / med[PERF_TAP][S_PPS],
		       med[PERF_RTAP][S_CPP] / med[PERF_TAP][S_CPP]);
	fflush(stdout);
	return TEST_SUCCESS;
}

/* test_perf_tx, test_perf_rx: every mode, Tx or Rx (data != NULL) */
static int
test_perf_table(const void *data)
{
	unsigned int m;

	TEST_ASSERT_SUCCESS(perf_setup(true), "set-up failed");
	printf("%u Rx/Tx descriptors, bursts of %u, medians of %u runs of %u ms%s\n",
	       PERF_NB_DESC, BURST, PERF_RUNS, PERF_SAMPLE_MS,
	       data != NULL ? "; af_packet has no drain figure" : "");
	for (m = 0; m < RTE_DIM(perf_modes); m++)
		TEST_ASSERT_SUCCESS(perf_mode_run(m, data != NULL), "mode %u failed", m);
	return TEST_SUCCESS;
}

/*
 * The port the figures come from: probed with iface=, a large txqueuelen, one queue pair
 * of PERF_NB_DESC descriptors, a MAC; reconfigured to two queue pairs; gone soon after close.
 */
static int
test_perf_port(void)
{
	struct perf_target *tg = &perf_tg[PERF_RTAP];
	struct rte_ether_addr kmac;

	TEST_ASSERT_SUCCESS(perf_setup(false), "set-up failed");
	TEST_ASSERT_SUCCESS(kern_mac(tg->ifname, &kmac), "%s has no MAC", tg->ifname);
	TEST_ASSERT_SUCCESS(mac_check(tg->port, tg->ifname, &kmac, ", kernel's "),
			    "port MAC is not the kernel's");
	TEST_ASSERT_SUCCESS(perf_queues(PERF_RTAP, PERF_MAX_Q), "%u queue pairs failed",
			    PERF_MAX_Q);
	TEST_ASSERT_SUCCESS(port_close(tg->port, tg->vdev), "close failed");
	TEST_ASSERT_SUCCESS(wait_if_gone(tg->ifname, PERF_GONE_MS),
			    "%s still there %u ms after close", tg->ifname, PERF_GONE_MS);
	return TEST_SUCCESS;
}

/*
 * Sustained Tx from PERF_TX_POOL mbufs, a second at a time: the last second's rate must be at
 * least half the first's, which it cannot be if transmitted mbufs do not come back, and every
 * mbuf must be back afterwards.  The rate is on CPU: others taking the core are not a stall.
 */
static int
test_perf_sustained(void)
{
	double rate[PERF_SUSTAIN_S], s[S_NB];
	unsigned int i;

	TEST_ASSERT_SUCCESS(perf_setup(false), "set-up failed");
	for (i = 0; i < PERF_SUSTAIN_S; i++) {
		perf_sample(PERF_RTAP, false, 64, 1, 1000, s);
		rate[i] = s[S_OCPP] > 0 ? rte_get_tsc_hz() / s[S_OCPP] : 0;
	}
	printf("sustained Tx 64B, pps on CPU per second:");
	for (i = 0; i < PERF_SUSTAIN_S; i++)
		printf(" %.0f", rate[i]);
	printf("\n");
	TEST_ASSERT(rate[PERF_SUSTAIN_S - 1] > 0 && rate[PERF_SUSTAIN_S - 1] >= rate[0] / 2,
		    "Tx %.0f pps in the last second, %.0f in the first: expected at least half",
		    rate[PERF_SUSTAIN_S - 1], rate[0]);
	/* What is still in flight comes back with the next bursts */
	TEST_ASSERT_SUCCESS(pool_running_check(perf_tg[PERF_RTAP].port, 1, perf_tx_pool,
					       PERF_TX_POOL), "Tx mbufs not all back");
	return TEST_SUCCESS;
}

#define CASE(f)		TEST_CASE_ST(ctx_setup, ctx_teardown, f)
#define TABLE(f, rx)	TEST_CASE_NAMED_WITH_DATA(f, ctx_setup, ctx_teardown, test_perf_table, rx)

/* Set-up first, then the figures; each case brings up and removes its own ports. */
static int
test_rtap_perf(void)
{
	static struct unit_test_suite suite = {
		.suite_name = "net_rtap throughput beside net_tap and net_af_packet",
		.setup = test_rtap_suite_setup,
		.unit_test_cases = { CASE(test_perf_port), CASE(test_perf_sustained),
			TABLE("test_perf_tx", NULL), TABLE("test_perf_rx", ""), TEST_CASES_END() }
	};

	return unit_test_suite_runner(&suite);
}

REGISTER_PERF_TEST(rtap_perf_autotest, test_rtap_perf);
