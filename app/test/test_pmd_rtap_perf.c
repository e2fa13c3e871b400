/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Throughput of net_rtap beside net_tap and net_af_packet (on one end of a veth pair), all in
 * one process, sampled in alternation (rtap, tap, af_packet, rtap, ...) so that a change of
 * machine load hits all of them alike; each mode prints the medians of PERF_RUNS samples and
 * the ratios rtap/tap.  Figures are printed, not asserted: only set-up and the sustained Tx
 * run from a small pool are checked.
 *
 * Tx: one lcore per queue calls tx_burst for a fixed time; what counts is what the kernel
 * received (rx_packets of the kernel end).  The frames have an ethertype no protocol handles
 * and a destination that is not the interface's, so the kernel drops them at once.
 *
 * Rx: a generator on the main lcore would measure itself on two cores, so a backlog of
 * PERF_PRELOAD frames per queue is queued (AF_PACKET, qdisc bypassed) with nothing polling,
 * then drained; the first PERF_SKIP frames are left out of the timing, since reads posted
 * before may have been completed while the backlog was loaded.  net_af_packet has no such
 * figure: the kernel copies a frame into its ring when the frame is queued, not when it is
 * read.
 *
 * Cycles per packet, two ways: TSC cycles of the timed loops over the packets moved, and the
 * part of them the lcore's thread was on CPU (sum_exec_runtime in /proc/thread-self/schedstat),
 * so that time other processes took on a shared machine is not counted as cost.
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

static const char * const perf_drv[PERF_NB_KIND] = { "net_rtap", "net_tap", "net_af_packet" };

struct perf_target {
	char vdev[RTE_DEV_NAME_MAX_LEN];
	char ifname[IF_NAMESIZE];	/* the port's interface */
	char kif[IF_NAMESIZE];		/* its kernel end: the same, or the veth peer */
	uint16_t port;
	uint16_t nb_q;
	int gen;			/* AF_PACKET socket sending on kif */
	bool ready;
};

/* The work of one lcore in a sample. */
struct perf_job {
	uint16_t port;
	uint16_t queue;
	uint16_t len;		/* Tx frame length; 0: drain */
	uint64_t duration;	/* Tx: TSC cycles */
	uint64_t expected;	/* drain: frames queued for all queues */
	uint64_t cycles;	/* timed */
	uint64_t packets;	/* moved in the timed cycles */
	double share;		/* of the timed cycles, the thread was on CPU */
	RTE_ATOMIC(int) done;
};

struct perf_sample {
	double pps;
	double cpp;		/* TSC cycles per packet */
	double ocpp;		/* on-CPU cycles per packet */
};

struct perf_mode {
	const char *name;
	uint16_t len;
	uint16_t nb_q;
};

static const struct perf_mode perf_tx_modes[] = {
	{ "Tx 64B 1q", 64, 1 }, { "Tx 512B 1q", 512, 1 }, { "Tx 1500B 1q", 1500, 1 },
	{ "Tx 64B 2q", 64, 2 },
};
static const struct perf_mode perf_rx_modes[] = {
	{ "Rx 64B 1q", 64, 1 }, { "Rx 512B 1q", 512, 1 }, { "Rx 1500B 1q", 1500, 1 },
	{ "Rx 64B 2q", 64, 2 },
};

static struct perf_target perf_tg[PERF_NB_KIND];
static struct rte_mempool *perf_tx_pool;
static struct rte_mempool *perf_rx_pool;
static RTE_ATOMIC(uint64_t) perf_rx_total;	/* drain: frames polled by all lcores */
static uint8_t perf_gen_frames[PERF_FLOWS][PERF_MAX_FRAME];
static struct iovec perf_gen_iov[PERF_FLOWS];
static struct mmsghdr perf_gen_msgs[PERF_FLOWS];

/* On-CPU time of the calling thread in ns, softirq work done in its context included */
static uint64_t
perf_cpu_ns(void)
{
	char buf[96] = "";
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (f != NULL) {
		if (fgets(buf, sizeof(buf), f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	return strtoull(buf, NULL, 10);
}

static void
perf_tx_loop(struct perf_job *j)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t start = rte_rdtsc(), now, sent = 0;
	uint16_t i, n;

	do {
		if (rte_pktmbuf_alloc_bulk(perf_tx_pool, pkts, BURST) != 0) {
			/* Lets the driver give back what it holds */
			rte_eth_tx_burst(j->port, j->queue, pkts, 0);
		} else {
			for (i = 0; i < BURST; i++)
				pkts[i]->data_len = pkts[i]->pkt_len = j->len;
			n = rte_eth_tx_burst(j->port, j->queue, pkts, BURST);
			if (n < BURST)
				rte_pktmbuf_free_bulk(&pkts[n], BURST - n);
			sent += n;
		}
		now = rte_rdtsc();
	} while (now < start + j->duration);
	j->cycles = now - start;
	j->packets = sent;
}

/* Drain the backlog; the timing starts at frame PERF_SKIP of this queue. */
static void
perf_drain_loop(struct perf_job *j, uint64_t *ns0)
{
	uint64_t hz = rte_get_tsc_hz(), start = rte_rdtsc(), last = start, t_win = 0, now;
	uint64_t got = 0, got_win = 0;
	struct rte_mbuf *pkts[BURST];
	uint16_t n;

	for (;;) {
		n = rte_eth_rx_burst(j->port, j->queue, pkts, BURST);
		now = rte_rdtsc();
		if (n > 0) {
			rte_pktmbuf_free_bulk(pkts, n);
			got += n;
			rte_atomic_fetch_add_explicit(&perf_rx_total, n, rte_memory_order_relaxed);
			if (t_win == 0 && got >= PERF_SKIP) {
				*ns0 = perf_cpu_ns();
				t_win = rte_rdtsc();
				got_win = got;
			}
			last = now;
		} else if (rte_atomic_load_explicit(&perf_rx_total, rte_memory_order_relaxed) >=
			   j->expected || now - last > hz * PERF_IDLE_MS / 1000 ||
			   now - start > hz * PERF_JOB_MS / 1000) {
			break;
		}
	}
	j->packets = t_win != 0 ? got - got_win : 0;
	j->cycles = t_win != 0 && last > t_win ? last - t_win : 0;
}

static int
perf_job_run(void *arg)
{
	struct perf_job *j = arg;
	uint64_t ns, ns0 = perf_cpu_ns();
	double wall;

	if (j->len != 0)
		perf_tx_loop(j);
	else
		perf_drain_loop(j, &ns0);
	wall = (double)j->cycles * 1e9 / rte_get_tsc_hz();
	ns = perf_cpu_ns() - ns0;
	j->share = ns == 0 || wall <= 0 ? 1 : RTE_MIN(1.0, ns / wall);
	rte_atomic_store_explicit(&j->done, 1, rte_memory_order_release);
	return 0;
}

/* The last job runs on the worker lcore, the first (of two) on the main one. */
static void
perf_run(struct perf_job *jobs, uint16_t nb)
{
	unsigned int w = rte_get_next_lcore(-1, 1, 0);

	if (w >= RTE_MAX_LCORE) {
		perf_job_run(&jobs[0]);
		return;
	}
	rte_eal_remote_launch(perf_job_run, &jobs[nb - 1], w);
	if (nb > 1)
		perf_job_run(&jobs[0]);
	/* Not spinning on the main lcore: its core may be the one the worker needs */
	while (rte_atomic_load_explicit(&jobs[nb - 1].done, rte_memory_order_acquire) == 0)
		usleep(1000);
	rte_eal_wait_lcore(w);
}

static void
perf_jobs_init(struct perf_job *jobs, const struct perf_target *tg, uint16_t nb_q, uint16_t len,
	       uint64_t ms, uint64_t expected)
{
	uint16_t q;

	memset(jobs, 0, sizeof(*jobs) * PERF_MAX_Q);
	for (q = 0; q < nb_q; q++) {
		jobs[q].port = tg->port;
		jobs[q].queue = q;
		jobs[q].len = len;
		jobs[q].duration = rte_get_tsc_hz() * ms / 1000;
		jobs[q].expected = expected;
	}
}

/* `ip link add name type veth peer name peer` */
static int
perf_add_veth(const char *name, const char *peer)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *info, *data, *end;
	struct nl_req req;

	nl_req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	info = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, "veth", strlen("veth"));
	data = nl_attr(&req, IFLA_INFO_DATA, NULL, 0);
	end = nl_attr(&req, VETH_INFO_PEER, &ifi, sizeof(ifi));
	nl_attr(&req, IFLA_IFNAME, peer, strlen(peer) + 1);
	nl_nest_end(&req, end);
	nl_nest_end(&req, data);
	nl_nest_end(&req, info);
	return nl_transact(&req);
}

/* A generator socket on ifname: protocol 0, so that it receives nothing. */
static int
perf_gen_open(const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = (int)if_nametoindex(ifname),
	};
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), buf = 16 * SOCK_BUF;

	if (fd < 0 || ctx_add_sock(fd) < 0)
		return rt_err("AF_PACKET socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return rt_err("bind AF_PACKET socket to %s: %s", ifname, strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	return pkt_bypass_qdisc(fd) == 0 ? fd : -1;
}

static void
perf_gen_frames_set(uint16_t len)
{
	unsigned int f;

	for (f = 0; f < PERF_FLOWS; f++) {
		frame_build(perf_gen_frames[f], len, f, PERF_FLOWS);
		perf_gen_iov[f].iov_base = perf_gen_frames[f];
		perf_gen_iov[f].iov_len = len;
		memset(&perf_gen_msgs[f], 0, sizeof(perf_gen_msgs[f]));
		perf_gen_msgs[f].msg_hdr.msg_iov = &perf_gen_iov[f];
		perf_gen_msgs[f].msg_hdr.msg_iovlen = 1;
	}
}

/* Queue up to count frames, for at most PERF_JOB_MS; the number the kernel took. */
static uint64_t
perf_gen_send(int fd, uint64_t count)
{
	uint64_t sent = 0, end = deadline_ms(PERF_JOB_MS);
	unsigned int next = 0, n;
	int ret;

	while (sent < count && !expired(end)) {
		n = RTE_MIN(RTE_MIN(count - sent, (uint64_t)64), PERF_FLOWS - next);
		ret = sendmmsg(fd, &perf_gen_msgs[next], n, 0);
		if (ret > 0) {
			sent += ret;
			next = (next + ret) % PERF_FLOWS;
		} else if (errno == ENOBUFS || errno == EAGAIN) {
			next = (next + 1) % PERF_FLOWS;	/* a full tun queue dropped it */
		} else if (errno != EINTR) {
			break;
		}
	}
	return sent;
}

/* Start tg with nb_q queue pairs; net_af_packet makes its sockets at probe: a port per count. */
static int
perf_queues(struct perf_target *tg, enum perf_kind k, uint16_t nb_q)
{
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

static int
perf_target_setup(enum perf_kind k)
{
	static const char * const tag[PERF_NB_KIND] = { "pr", "pt", "pa" };
	struct perf_target *tg = &perf_tg[k];
	uint32_t qlen = PERF_TXQLEN;

	memset(tg, 0, sizeof(*tg));
	make_ifname(tg->ifname, tag[k]);
	strlcpy(tg->kif, tg->ifname, sizeof(tg->kif));
	if (k == PERF_AFP) {
		make_ifname(tg->kif, "pb");
		ctx_add_ifname(tg->ifname);
		if (perf_add_veth(tg->ifname, tg->kif) != 0)
			return rt_err("cannot create veth %s/%s", tg->ifname, tg->kif);
		/* net_af_packet does not bring its interface up */
		kern_ipv6_quiet(if_nametoindex(tg->kif));
		if (kern_set_flags(if_nametoindex(tg->kif), IFF_UP, IFF_UP) != 0 ||
		    kern_set_flags(if_nametoindex(tg->ifname), IFF_UP, IFF_UP) != 0)
			return rt_err("cannot set veth %s/%s up", tg->ifname, tg->kif);
	}
	if (perf_queues(tg, k, 1) != 0)
		return -1;
	/* Room for the Rx backlog: `ip link set txqueuelen`, which is SIOCSIFTXQLEN */
	if (kern_link_attr(if_nametoindex(tg->ifname), IFLA_TXQLEN, &qlen, sizeof(qlen)) != 0)
		return rt_err("%s refuses txqueuelen %u", tg->ifname, qlen);
	tg->gen = perf_gen_open(tg->kif);
	if (tg->gen < 0)
		return -1;
	tg->ready = true;
	return 0;
}

/* Every mbuf of the Tx pool carries the Tx frame from the start. */
static void
perf_fill_mbuf(struct rte_mempool *mp __rte_unused, void *arg __rte_unused, void *obj,
	       unsigned int idx __rte_unused)
{
	static const struct rte_ether_addr other = {
		.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };
	uint8_t *p = rte_pktmbuf_mtod((struct rte_mbuf *)obj, uint8_t *);
	unsigned int i;

	for (i = 0; i < PERF_MAX_FRAME; i++)
		p[i] = (uint8_t)i;
	memcpy(p, &other, RTE_ETHER_ADDR_LEN);
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

static void
perf_sample_tx(struct perf_target *tg, const struct perf_mode *m, uint64_t ms,
	       struct perf_sample *s)
{
	struct perf_job jobs[PERF_MAX_Q];
	uint64_t c0, c1, cycles = 0, longest = 0;
	double oncpu = 0;
	uint16_t q;

	perf_jobs_init(jobs, tg, m->nb_q, m->len, ms, 0);
	c0 = kern_stat(tg->kif, "rx_packets");
	perf_run(jobs, m->nb_q);
	c1 = kern_stat(tg->kif, "rx_packets");
	for (q = 0; q < m->nb_q; q++) {
		cycles += jobs[q].cycles;
		oncpu += jobs[q].cycles * jobs[q].share;
		longest = RTE_MAX(longest, jobs[q].cycles);
	}
	c1 = c1 > c0 && c1 != UINT64_MAX ? c1 - c0 : 0;	/* frames the kernel got */
	s->pps = longest > 0 ? (double)c1 * rte_get_tsc_hz() / longest : 0;
	s->cpp = c1 > 0 ? (double)cycles / c1 : 0;
	s->ocpp = c1 > 0 ? oncpu / c1 : 0;
}

static void
perf_sample_rx(struct perf_target *tg, const struct perf_mode *m, uint64_t ms,
	       struct perf_sample *s)
{
	uint64_t end = deadline_ms(ms), sent, pk = 0, cy = 0, lost = 0;
	uint64_t qpk[PERF_MAX_Q] = { 0 }, qcy[PERF_MAX_Q] = { 0 };
	struct perf_job jobs[PERF_MAX_Q];
	double pps = 0, oncpu = 0;
	uint16_t q;

	perf_gen_frames_set(m->len);
	do {
		rte_atomic_store_explicit(&perf_rx_total, 0, rte_memory_order_relaxed);
		sent = perf_gen_send(tg->gen, (uint64_t)m->nb_q * PERF_PRELOAD);
		perf_jobs_init(jobs, tg, m->nb_q, 0, 0, sent);
		perf_run(jobs, m->nb_q);
		for (q = 0; q < m->nb_q; q++) {
			qpk[q] += jobs[q].packets;
			qcy[q] += jobs[q].cycles;
			oncpu += jobs[q].cycles * jobs[q].share;
		}
		lost += sent - RTE_MIN(sent, perf_rx_total);
	} while (!expired(end));
	/* Each queue has its lcore: the rates add up */
	for (q = 0; q < m->nb_q; q++) {
		pps += qcy[q] > 0 ? (double)qpk[q] * rte_get_tsc_hz() / qcy[q] : 0;
		pk += qpk[q];
		cy += qcy[q];
	}
	if (lost > 0)
		printf("  %s: %" PRIu64 " queued frames never arrived\n", tg->vdev, lost);
	s->pps = pps;
	s->cpp = pk > 0 ? (double)cy / pk : 0;
	s->ocpp = pk > 0 ? oncpu / pk : 0;
}

static int
perf_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of field off of n samples */
static double
perf_median(const struct perf_sample *s, unsigned int n, size_t off)
{
	double v[PERF_RUNS];
	unsigned int i;

	for (i = 0; i < n; i++)
		v[i] = *(const double *)((const char *)&s[i] + off);
	qsort(v, n, sizeof(v[0]), perf_cmp);
	return n > 0 ? v[n / 2] : 0;
}

static void
perf_print(const struct perf_mode *m, struct perf_sample s[PERF_NB_KIND][PERF_RUNS], bool rx)
{
	double pps[PERF_NB_KIND] = { 0 }, cpp[PERF_NB_KIND] = { 0 };
	unsigned int k;

	for (k = 0; k < PERF_NB_KIND; k++) {
		if (!perf_tg[k].ready || (rx && k == PERF_AFP))
			continue;
		pps[k] = perf_median(s[k], PERF_RUNS, offsetof(struct perf_sample, pps));
		cpp[k] = perf_median(s[k], PERF_RUNS, offsetof(struct perf_sample, cpp));
		printf("%-12s %-14s %10.0f pps %8.0f cycles/pkt %8.0f on-CPU\n", m->name,
		       perf_drv[k], pps[k], cpp[k],
		       perf_median(s[k], PERF_RUNS, offsetof(struct perf_sample, ocpp)));
	}
	if (pps[PERF_TAP] > 0 && cpp[PERF_TAP] > 0)
		printf("%-12s rtap/tap       pps x%.2f, cycles/pkt x%.2f\n", m->name,
		       pps[PERF_RTAP] / pps[PERF_TAP], cpp[PERF_RTAP] / cpp[PERF_TAP]);
	fflush(stdout);
}

/* One mode: every target set to its queues (which must work), then the samples in turns. */
static int
perf_mode_run(const struct perf_mode *m, bool rx)
{
	static struct perf_sample s[PERF_NB_KIND][PERF_RUNS];
	struct perf_sample warm;
	unsigned int k, run;

	if (m->nb_q > 1 && rte_lcore_count() < 2) {
		printf("%-12s skipped: one lcore only (use -l 0-1)\n", m->name);
		return TEST_SUCCESS;
	}
	for (k = 0; k < PERF_NB_KIND; k++) {
		if (!perf_tg[k].ready || (rx && k == PERF_AFP))
			continue;
		TEST_ASSERT_SUCCESS(perf_queues(&perf_tg[k], k, m->nb_q),
				    "%s: %u queue pairs could not be set up", perf_drv[k], m->nb_q);
		(rx ? perf_sample_rx : perf_sample_tx)(&perf_tg[k], m, PERF_WARM_MS, &warm);
	}
	for (run = 0; run < PERF_RUNS; run++)
		for (k = 0; k < PERF_NB_KIND; k++)
			if (perf_tg[k].ready && !(rx && k == PERF_AFP))
				(rx ? perf_sample_rx : perf_sample_tx)(&perf_tg[k], m,
						PERF_SAMPLE_MS, &s[k][run]);
	perf_print(m, s, rx);
	return TEST_SUCCESS;
}

static int
perf_table(const struct perf_mode *modes, unsigned int nb, bool rx)
{
	unsigned int i;

	TEST_ASSERT_SUCCESS(perf_setup(true), "set-up failed");
	printf("%u Rx/Tx descriptors, bursts of %u, medians of %u runs of %u ms%s\n",
	       PERF_NB_DESC, BURST, PERF_RUNS, PERF_SAMPLE_MS,
	       rx ? "; af_packet has no drain figure" : "");
	for (i = 0; i < nb; i++)
		TEST_ASSERT_SUCCESS(perf_mode_run(&modes[i], rx), "%s failed", modes[i].name);
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
	TEST_ASSERT_SUCCESS(perf_queues(tg, PERF_RTAP, PERF_MAX_Q), "%u queue pairs failed",
			    PERF_MAX_Q);
	TEST_ASSERT_SUCCESS(port_close(tg->port, tg->vdev), "close failed");
	TEST_ASSERT_SUCCESS(wait_if_gone(tg->ifname, PERF_GONE_MS),
			    "%s still there %u ms after close", tg->ifname, PERF_GONE_MS);
	return TEST_SUCCESS;
}

/*
 * Sustained Tx from a pool of PERF_TX_POOL mbufs, a second at a time: the rate of the last
 * second must be at least half that of the first, which it cannot be if transmitted mbufs
 * do not come back, and every mbuf must be back afterwards.  The rate is per second on CPU,
 * so that other processes taking the core on a shared machine do not look like a stall.
 */
static int
test_perf_sustained(void)
{
	static const struct perf_mode m = { "Tx 64B 1q", 64, 1 };
	double rate[PERF_SUSTAIN_S];
	struct perf_sample s;
	uint64_t end;
	unsigned int i;

	TEST_ASSERT_SUCCESS(perf_setup(false), "set-up failed");
	for (i = 0; i < PERF_SUSTAIN_S; i++) {
		perf_sample_tx(&perf_tg[PERF_RTAP], &m, 1000, &s);
		rate[i] = s.ocpp > 0 ? rte_get_tsc_hz() / s.ocpp : 0;
	}
	printf("sustained Tx 64B, pps on CPU per second:");
	for (i = 0; i < PERF_SUSTAIN_S; i++)
		printf(" %.0f", rate[i]);
	printf("\n");
	TEST_ASSERT(rate[PERF_SUSTAIN_S - 1] > 0 && rate[PERF_SUSTAIN_S - 1] >= rate[0] / 2,
		    "Tx rate %.0f pps in the last second, %.0f in the first: expected at least half",
		    rate[PERF_SUSTAIN_S - 1], rate[0]);
	/* What is still in flight comes back with the next bursts */
	end = deadline_ms(WAIT_MS);
	while (rte_mempool_avail_count(perf_tx_pool) != PERF_TX_POOL && !expired(end)) {
		tx_reap(perf_tg[PERF_RTAP].port, 1);
		usleep(1000);
	}
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(perf_tx_pool), PERF_TX_POOL,
			  "%u of %u Tx mbufs back after sustained Tx",
			  rte_mempool_avail_count(perf_tx_pool), PERF_TX_POOL);
	return TEST_SUCCESS;
}

static int
test_perf_tx(void)
{
	return perf_table(perf_tx_modes, RTE_DIM(perf_tx_modes), false);
}

static int
test_perf_rx(void)
{
	return perf_table(perf_rx_modes, RTE_DIM(perf_rx_modes), true);
}

#define CASE(f)			TEST_CASE_ST(ctx_setup, ctx_teardown, f)

/* Set-up first, then the figures; each case brings up and removes its own ports. */
static struct unit_test_suite rtap_perf_testsuite = {
	.suite_name = "net_rtap throughput beside net_tap and net_af_packet",
	.setup = test_rtap_suite_setup,
	.unit_test_cases = {
		CASE(test_perf_port), CASE(test_perf_sustained), CASE(test_perf_tx), CASE(test_perf_rx),
		TEST_CASES_END()
	}
};

static int
test_rtap_perf(void)
{
	return unit_test_suite_runner(&rtap_perf_testsuite);
}

REGISTER_PERF_TEST(rtap_perf_autotest, test_rtap_perf);
