/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * rtap_soak_autotest: RTAP_SOAK_SECONDS (600) of random traffic both ways through a TAP, the
 * queue count changed each tenth of the run, the link flapped from outside.  Every frame
 * received is compared with the one sent; at each period's end every frame is accounted for
 * (soak_check) and the pool is full.  RTAP_SOAK_SEED repeats a run, RTAP_SOAK_HOT_STOP=1
 * stops the port under traffic.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_packet.h>

#include <rte_cycles.h>

#include "test.h"
#include "test_pmd_rtap.h"

#define SOAK_PERIODS		10
#define SOAK_FLOWS		64	/* the TAP spreads them over its queues */
#define SOAK_MAX_LEN		1514
#define SOAK_WIN		(1u << 20)	/* sequence numbers tracked */
#define SOAK_GOT		0x8000u	/* in soak_len: received */
#define SOAK_WAIT_MS		5000
#define SOAK_QUIET_MS		300
#define SOAK_DOWN_MS		300	/* longest flap */
#define SOAK_MAX_BAD		10	/* corrupt frames shown */
/* Kernel to DPDK IPv4/UDP flows, the other way the test ethertype only the socket takes */
#define SOAK_FRAME(f, dir, seq, len)	frame_build(f, len, seq, (dir) == K2D ? SOAK_FLOWS : 0)
#define SOAK_SIZE()		(60 + soak_rand(SOAK_MAX_LEN - 60 + 1))

enum { K2D, D2K };	/* kernel to DPDK, DPDK to kernel */

/* What a period (or the run) counted, per direction. */
enum {
	R_SENT, R_SENT_BYTES, R_GOT, R_GOT_BYTES, R_IMISSED, R_CARRIER, R_ERRORS, R_NOMBUF,
	R_SOCK_DROP, R_STACK_DROP, R_DOWN, R_FOREIGN, R_BAD, R_DUP, R_DRV, R_DRV_BYTES,
	R_KERN, R_KERN_DROP, R_NB
};

static const char * const soak_row[R_NB] = {
	"frames sent (injected | tx_burst accepted)", "bytes sent", "frames received intact",
	"bytes received intact", "imissed", "  of which while the carrier was off",
	"ierrors | oerrors", "rx_nombuf", "AF_PACKET socket drops", "kernel stack drops",
	"refused, link down (not sent | in oerrors)", "foreign frames received",
	"corrupt frames", "duplicate frames", "ipackets | opackets", "ibytes | obytes",
	"kernel tx_packets | rx_packets", "kernel tx_dropped | rx_dropped",
};

/* Kernel counters: the interface's Tx is kernel to DPDK, its Rx the other way. */
static const char * const soak_kstat[2][2] = {
	{ "tx_packets", "tx_dropped" }, { "rx_packets", "rx_dropped" },
};

enum { F_NL, F_IOCTL, F_CARRIER, F_NB };
static const char * const soak_flap_name[F_NB] = {
	"down/up by rtnetlink", "down/up by SIOCSIFFLAGS", "carrier off/on"
};

/* The port is tp's (tp_probe). */
static struct {
	unsigned int ifindex;
	uint16_t nb_q;
	uint64_t rng;
	bool hot, carrier;	/* carrier: the kernel can switch a TAP's */
	int flap;		/* kind of the flap under way, or -1 */
	uint64_t flap_at, flap_gap, flap_oerrors, flap_kdrop;
	unsigned int flaps[F_NB], period_flaps, qchanges;
	uint64_t chained, shared, kern0[2][2];
	struct {
		uint32_t seq;	/* of the next frame to send */
		uint64_t v[R_NB], tot[R_NB];	/* this period, the run */
	} dir[2];
	uint16_t len[2][SOAK_WIN];	/* length sent, by sequence number */
	uint8_t kbuf[BURST][SOAK_MAX_LEN];
	uint8_t buf[FRAME_BUF], ebuf[FRAME_BUF];
} soak;

/* xorshift64*: a run is repeated from its printed seed. */
static uint32_t
soak_rand(uint32_t n)
{
	soak.rng ^= soak.rng >> 12;
	soak.rng ^= soak.rng << 25;
	soak.rng ^= soak.rng >> 27;
	return (uint32_t)((soak.rng * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

static void
soak_sent(int dir, uint32_t len)
{
	soak.len[dir][soak.dir[dir].seq++ % SOAK_WIN] = (uint16_t)len;
	soak.dir[dir].v[R_SENT]++;
	soak.dir[dir].v[R_SENT_BYTES] += len;
}

static void
soak_bad(int dir, const char *why, uint32_t seq, uint32_t len)
{
	if (soak.dir[dir].v[R_BAD]++ < SOAK_MAX_BAD)
		printf("%s: corrupt frame (%s): seq %u, %u bytes\n",
		       dir == K2D ? "rx_burst" : "socket", why, seq, len);
}

/* Account for a received frame, which must be one sent, intact and new. */
static void
soak_verify(int dir, const uint8_t *f, uint32_t len)
{
	uint64_t *v = soak.dir[dir].v;
	uint32_t seq;
	uint16_t *sent;

	if (frame_seq(f, len, &seq) != 0) {
		v[R_FOREIGN]++;
		return;
	}
	sent = &soak.len[dir][seq % SOAK_WIN];
	if ((uint32_t)(soak.dir[dir].seq - 1 - seq) >= SOAK_WIN || *sent == 0)
		return soak_bad(dir, "sequence number never sent", seq, len);
	v[R_DUP] += (*sent & SOAK_GOT) != 0;
	if (*sent & SOAK_GOT)
		return;
	SOAK_FRAME(soak.ebuf, dir, seq, len);
	if (*sent != len || memcmp(f, soak.ebuf, len) != 0)
		return soak_bad(dir, *sent != len ? "length" : "content", seq, len);
	*sent |= SOAK_GOT;
	v[R_GOT]++;
	v[R_GOT_BYTES] += len;
}

/* Kernel to DPDK: a burst from the AF_PACKET socket. */
static int
soak_inject(unsigned int n)
{
	struct mmsghdr msg[BURST];
	struct iovec iov[BURST];
	unsigned int i;
	int r;

	for (i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = soak.kbuf[i], .iov_len = SOAK_SIZE() };
		SOAK_FRAME(soak.kbuf[i], K2D, soak.dir[K2D].seq + i, iov[i].iov_len);
		msg[i] = (struct mmsghdr){ .msg_hdr.msg_iov = &iov[i], .msg_hdr.msg_iovlen = 1 };
	}
	r = n == 0 ? 0 : sendmmsg(tp.sock, msg, n, MSG_DONTWAIT);
	/* A down interface takes nothing and counts nothing. */
	if (r < 0 && errno == ENETDOWN)
		soak.dir[K2D].v[R_DOWN] += n;
	else if (r < 0 && errno != EAGAIN && errno != ENOBUFS && errno != EINTR)
		return rt_err("sendmmsg on %s: %s", tp.ifname, strerror(errno));
	for (i = 0; i < (unsigned int)RTE_MAX(r, 0); i++)
		soak_sent(K2D, iov[i].iov_len);
	return 0;
}

/* DPDK to kernel: a burst on a random queue, of single, shared and chained mbufs. */
static void
soak_tx(unsigned int n)
{
	unsigned int kind[BURST], i, sent;
	struct rte_mbuf *m[BURST];
	uint32_t len[BURST];

	for (i = 0; i < n; i++) {
		len[i] = SOAK_SIZE();
		kind[i] = soak_rand(8);
		kind[i] = kind[i] < 4 ? 0 : kind[i] == 4 ? 1 : kind[i] - 3;
		SOAK_FRAME(soak.buf, D2K, soak.dir[D2K].seq + i, len[i]);
		m[i] = mbuf_split(tp.mp, soak.buf, len[i], RTE_MAX(kind[i], 1u),
				  RTE_PKTMBUF_HEADROOM);
		if (m[i] == NULL)
			break;
		if (kind[i] == 1)
			rte_mbuf_refcnt_update(m[i], 1);
	}
	n = i;
	sent = rte_eth_tx_burst(tp.port, soak_rand(soak.nb_q), m, n);
	/* What was sent may be back in the pool already: no mbuf is read. */
	for (i = 0; i < n; i++) {
		if (i < sent)
			soak_sent(D2K, len[i]);
		/* The driver's reference is the one that returns it to the pool. */
		if (kind[i] == 1)
			rte_pktmbuf_free(m[i]);
		if (i >= sent)
			rte_pktmbuf_free(m[i]);
		soak.shared += i < sent && kind[i] == 1;
		soak.chained += i < sent && kind[i] > 1;
	}
}

static unsigned int
soak_rx(void)
{
	struct rte_mbuf *m[BURST];
	unsigned int total = 0;
	const char *why;
	uint16_t q, i, n;

	for (q = 0; q < soak.nb_q; q++) {
		n = rte_eth_rx_burst(tp.port, q, m, BURST);
		for (i = 0; i < n; i++) {
			if (rte_mbuf_check(m[i], 1, &why) != 0 || m[i]->port != tp.port ||
			    m[i]->pkt_len > sizeof(soak.buf))
				soak_bad(K2D, "mbuf", 0, m[i]->pkt_len);
			else
				soak_verify(K2D, rte_pktmbuf_read(m[i], 0, m[i]->pkt_len,
						soak.buf), m[i]->pkt_len);
		}
		rte_pktmbuf_free_bulk(m, n);
		total += n;
	}
	return total;
}

/* What DPDK sent, as the kernel's socket captured it. */
static unsigned int
soak_cap(void)
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	unsigned int total = 0;
	bool retried = false;
	ssize_t r;

	for (;;) {
		r = recvfrom(tp.sock, soak.buf, sizeof(soak.buf), MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&sll, &sl);
		/* A flap leaves ENETDOWN pending on the socket, once. */
		if (r < 0 && errno == ENETDOWN && !retried) {
			retried = true;
			continue;
		}
		if (r < 0)
			return total;
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (r > (ssize_t)sizeof(soak.buf))
			soak_bad(D2K, "too long", 0, (uint32_t)r);
		else
			soak_verify(D2K, soak.buf, (uint32_t)r);
		total++;
	}
}

static int
soak_kstats(uint64_t k[2][2])
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		k[i / 2][i % 2] = kern_stat(tp.ifname, soak_kstat[i / 2][i % 2]);
		if (k[i / 2][i % 2] == UINT64_MAX)
			return rt_err("no kernel counter %s", soak_kstat[i / 2][i % 2]);
	}
	return 0;
}

static int
soak_link(int kind, bool up)
{
	unsigned int flags;
	struct ifreq ifr;
	int fd, ret;

	if (kind == F_CARRIER)
		return kern_set_carrier(soak.ifindex, up);
	if (kind == F_NL)
		return kern_set_flags(soak.ifindex, up ? IFF_UP : 0, IFF_UP);
	ret = kern_flags(tp.ifname, &flags);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ret != 0 || fd < 0)
		return ret != 0 ? ret : -errno;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, tp.ifname, sizeof(ifr.ifr_name));
	ifr.ifr_flags = (short)(up ? flags | IFF_UP : flags & ~IFF_UP);
	ret = ioctl(fd, SIOCSIFFLAGS, &ifr) == 0 ? 0 : -errno;
	close(fd);
	return ret;
}

/* Reap Tx until every frame accepted this period is counted, sent or failed. */
static int
soak_tx_settle(struct rte_eth_stats *st)
{
	uint64_t deadline = deadline_ms(SOAK_WAIT_MS);

	do {
		tx_reap(tp.port, soak.nb_q);
		if (rte_eth_stats_get(tp.port, st) != 0)
			return rt_err("rte_eth_stats_get failed");
		if (st->opackets + st->oerrors == soak.dir[D2K].v[R_SENT])
			return 0;
		rte_delay_us_sleep(100);
	} while (!expired(deadline));
	return rt_err("Tx not done after %d ms: %" PRIu64 " accepted, opackets %" PRIu64
		      " + oerrors %" PRIu64, SOAK_WAIT_MS, soak.dir[D2K].v[R_SENT],
		      st->opackets, st->oerrors);
}

/*
 * Start a flap, or end the one under way, when its time has come (or now,
 * with force), with Tx settled: the writes a down interface refused are
 * exactly the oerrors in between.
 */
static int
soak_flap(bool force)
{
	struct rte_eth_stats st;
	uint64_t k[2][2];
	int kind = soak.flap, ret;

	if (force ? kind < 0 : !expired(soak.flap_at))
		return 0;
	if (soak_tx_settle(&st) != 0 || soak_kstats(k) != 0)
		return -1;
	if (kind >= 0) {
		if (kind == F_CARRIER)
			soak.dir[K2D].v[R_CARRIER] += k[K2D][1] - soak.flap_kdrop;
		else
			soak.dir[D2K].v[R_DOWN] += st.oerrors - soak.flap_oerrors;
		ret = soak_link(kind, true);
		soak.flap_at = deadline_ms(100 + soak_rand(soak.flap_gap));
		soak.flap = -1;
		pkt_clear_error(tp.sock);
	} else {
		kind = soak.carrier ? (int)soak_rand(F_NB) : (int)soak_rand(F_CARRIER);
		ret = soak_link(kind, false);
		if (ret == -EOPNOTSUPP && kind == F_CARRIER) {
			printf("the kernel cannot switch a TAP's carrier: admin flaps only\n");
			soak.carrier = false;
			kind = F_NL;
			ret = soak_link(kind, false);
		}
		soak.flap_oerrors = st.oerrors;
		soak.flap_kdrop = k[K2D][1];
		soak.flap_at = deadline_ms(1 + soak_rand(SOAK_DOWN_MS));
		soak.flaps[kind]++;
		soak.period_flaps++;
		soak.flap = kind;
	}
	if (ret != 0)
		return rt_err("%s of %s: %s", soak_flap_name[kind], tp.ifname, strerror(-ret));
	return 0;
}

/* Poll until nothing arrives for SOAK_QUIET_MS; rx: the port is started. */
static int
soak_drain(bool rx)
{
	uint64_t deadline = deadline_ms(SOAK_WAIT_MS), quiet = deadline_ms(SOAK_QUIET_MS);

	while (!expired(quiet)) {
		if ((rx ? soak_rx() : 0) + soak_cap() > 0)
			quiet = deadline_ms(SOAK_QUIET_MS);
		if (expired(deadline))
			return rt_err("traffic still arriving %d ms after it stopped",
				      SOAK_WAIT_MS);
	}
	return 0;
}

static int
soak_eq(const char *what, const char *eq, uint64_t a, uint64_t b)
{
	if (a == b)
		return 0;
	return rt_err("%s: %s does not hold: %" PRIu64 " != %" PRIu64 " (%+" PRId64 ")",
		      what, eq, a, b, (int64_t)(a - b));
}

/*
 * Kernel to DPDK: a frame sent (a down interface refuses it) goes into a queue's ring or is
 * dropped in tx_dropped (ring full, carrier off), the driver's imissed; what the driver reads
 * is in tx_packets and comes out of rx_burst or is in ierrors or rx_nombuf.  DPDK to kernel:
 * a frame accepted is written (opackets) or failed (oerrors: a down interface fails the write
 * and counts rx_dropped; a write cancelled at stop); a written one is in rx_packets and is
 * captured unless the socket (PACKET_STATISTICS) or the stack (rx_dropped) drops it.
 */
static int
soak_check(uint64_t *k, uint64_t *d, const char *what)
{
	int ret = 0;

	if (d[R_KERN_DROP] < d[R_DOWN])
		ret = rt_err("%s: the kernel counted %" PRIu64 " rx_dropped for %" PRIu64
			     " writes refused while down", what, d[R_KERN_DROP], d[R_DOWN]);
	d[R_STACK_DROP] = d[R_KERN_DROP] - RTE_MIN(d[R_DOWN], d[R_KERN_DROP]);
	ret |= soak_eq(what, "kernel->DPDK: injected == received + imissed + ierrors + rx_nombuf",
		       k[R_SENT], k[R_GOT] + k[R_IMISSED] + k[R_ERRORS] + k[R_NOMBUF]);
	ret |= soak_eq(what, "ipackets == received + foreign", k[R_DRV], k[R_GOT] + k[R_FOREIGN]);
	ret |= soak_eq(what, "kernel tx_packets == ipackets + ierrors + rx_nombuf",
		       k[R_KERN], k[R_DRV] + k[R_ERRORS] + k[R_NOMBUF]);
	ret |= soak_eq(what, "imissed == kernel tx_dropped", k[R_IMISSED], k[R_KERN_DROP]);
	if (k[R_FOREIGN] == 0)
		ret |= soak_eq(what, "ibytes == bytes received", k[R_DRV_BYTES], k[R_GOT_BYTES]);
	ret |= soak_eq(what, "DPDK->kernel: accepted == captured + socket drops + oerrors + "
		       "stack drops", d[R_SENT], d[R_GOT] + d[R_SOCK_DROP] + d[R_ERRORS] +
		       d[R_STACK_DROP]);
	ret |= soak_eq(what, "accepted == opackets + oerrors", d[R_SENT], d[R_DRV] + d[R_ERRORS]);
	ret |= soak_eq(what, "opackets == kernel rx_packets", d[R_DRV], d[R_KERN]);
	ret |= soak_eq(what, "kernel rx_packets == captured + foreign + socket drops + stack "
		       "drops", d[R_KERN], d[R_GOT] + d[R_FOREIGN] + d[R_SOCK_DROP] +
		       d[R_STACK_DROP]);
	if (d[R_SOCK_DROP] + d[R_STACK_DROP] + d[R_FOREIGN] == 0)
		ret |= soak_eq(what, "obytes == bytes captured", d[R_DRV_BYTES], d[R_GOT_BYTES]);
	ret |= soak_eq(what, "corrupt frames == 0", k[R_BAD] + d[R_BAD], 0);
	return ret | soak_eq(what, "duplicate frames == 0", k[R_DUP] + d[R_DUP], 0);
}

/*
 * Drained, the port's counters (st) or with st NULL none (reset), the kernel's (ks) and the
 * socket's drops, which reading its statistics zeroes.
 */
static int
soak_counters(struct rte_eth_stats *st, uint64_t ks[2][2], uint64_t *drops)
{
	struct tpacket_stats ps;
	socklen_t len = sizeof(ps);

	if (soak_drain(false) != 0 ||
	    (st != NULL ? rte_eth_stats_get(tp.port, st) : rte_eth_stats_reset(tp.port)) != 0 ||
	    soak_kstats(ks) != 0 ||
	    getsockopt(tp.sock, SOL_PACKET, PACKET_STATISTICS, &ps, &len) != 0)
		return rt_err("cannot read the counters");
	*drops = ps.tp_drops;
	return 0;
}

/* Start with nb_q queue pairs, the counters of the period from zero. */
static int
soak_port_start(uint16_t nb_q)
{
	struct rte_eth_conf conf = { .txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	uint64_t drops;

	soak.qchanges += soak.nb_q != 0 && nb_q != soak.nb_q;
	soak.nb_q = nb_q;
	if (port_start(tp.port, nb_q, &conf, tp.mp, NB_RXD, NB_TXD) != 0)
		return rt_err("start with %u queues failed", nb_q);
	/* What the interface took in before the counters are read is not the period's. */
	if (soak_counters(NULL, soak.kern0, &drops) != 0)
		return -1;
	memset(soak.dir[K2D].v, 0, sizeof(soak.dir[K2D].v));
	memset(soak.dir[D2K].v, 0, sizeof(soak.dir[D2K].v));
	soak.period_flaps = 0;
	return 0;
}

/* Stop the traffic and the port, take the counters and check them. */
static int
soak_period_end(unsigned int p, double secs)
{
	uint64_t *k = soak.dir[K2D].v, *d = soak.dir[D2K].v, ks[2][2];
	struct rte_eth_stats st;
	char what[32];
	int ret = soak_flap(true), i;

	/* Hot: more frames than the Rx buffers posted are on their way at stop. */
	for (i = 0; soak.hot && i < NB_RXD / BURST + 4; i++)
		ret |= soak_inject(BURST);
	soak_tx(soak.hot ? BURST : 0);
	if (!soak.hot && (soak_tx_settle(&st) != 0 || soak_drain(true) != 0))
		ret = -1;
	if (rte_eth_dev_stop(tp.port) != 0)
		ret = rt_err("rte_eth_dev_stop failed");
	if (soak_counters(&st, ks, &d[R_SOCK_DROP]) != 0)
		return -1;
	k[R_IMISSED] = st.imissed;
	k[R_NOMBUF] = st.rx_nombuf;
	for (i = K2D; i <= D2K; i++) {
		soak.dir[i].v[R_DRV] = i == K2D ? st.ipackets : st.opackets;
		soak.dir[i].v[R_DRV_BYTES] = i == K2D ? st.ibytes : st.obytes;
		soak.dir[i].v[R_ERRORS] = i == K2D ? st.ierrors : st.oerrors;
		soak.dir[i].v[R_KERN] = ks[i][0] - soak.kern0[i][0];
		soak.dir[i].v[R_KERN_DROP] = ks[i][1] - soak.kern0[i][1];
	}
	snprintf(what, sizeof(what), "period %u", p + 1);
	ret |= soak_check(k, d, what);
	for (i = 0; i < R_NB; i++) {
		soak.dir[K2D].tot[i] += k[i];
		soak.dir[D2K].tot[i] += d[i];
	}
	/* Stopped, the port holds no mbuf and neither does the test. */
	if (rte_mempool_avail_count(tp.mp) != NB_MBUF)
		ret = rt_err("%s: pool has %u of %u mbufs after stop", what,
			     rte_mempool_avail_count(tp.mp), NB_MBUF);
	printf("period %2u, %u queue(s) %5.1f s: kernel->DPDK %" PRIu64 " sent, %" PRIu64 " got;"
	       " DPDK->kernel %" PRIu64 " sent, %" PRIu64 " got; %u flaps; %s\n", p + 1, soak.nb_q,
	       secs, k[R_SENT], k[R_GOT], d[R_SENT], d[R_GOT], soak.period_flaps,
	       ret == 0 ? "reconciled" : "FAILED");
	return ret;
}

static void
soak_table(unsigned int secs)
{
	unsigned int i;

	printf("\nrtap soak: %u s, %u periods, %u queue changes, interface %s\n%-46s %16s %16s\n",
	       secs, SOAK_PERIODS, soak.qchanges, tp.ifname, "", "kernel->DPDK",
	       "DPDK->kernel");
	for (i = 0; i < R_NB; i++)
		printf("%-46s %16" PRIu64 " %16" PRIu64 "\n", soak_row[i],
		       soak.dir[K2D].tot[i], soak.dir[D2K].tot[i]);
	for (i = 0; i < F_NB; i++)
		printf("flaps %s: %u\n", soak_flap_name[i], soak.flaps[i]);
	printf("Tx mbufs: %" PRIu64 " chained, %" PRIu64 " shared (header mbuf)\n",
	       soak.chained, soak.shared);
}

/* The periods, each with its own queue count, traffic and flaps. */
static int
soak_run(unsigned int secs)
{
	static const uint16_t nb_queues[] = { 1, 2, 4, 3 };
	uint64_t hz = rte_get_timer_hz(), period = hz * secs / SOAK_PERIODS, start, t0;
	unsigned int p;

	soak.flap_gap = RTE_MAX(period * 1000 / hz / 4, 200u);
	soak.flap_at = deadline_ms(100 + soak_rand(soak.flap_gap));
	start = rte_get_timer_cycles();
	for (p = 0; p < SOAK_PERIODS; p++) {
		t0 = rte_get_timer_cycles();
		TEST_ASSERT_SUCCESS(soak_port_start(nb_queues[p % RTE_DIM(nb_queues)]),
				    "period %u: no port", p + 1);
		while (rte_get_timer_cycles() < start + period * (p + 1)) {
			TEST_ASSERT_SUCCESS(soak_flap(false), "period %u: flap failed", p + 1);
			TEST_ASSERT_SUCCESS(soak_inject(soak_rand(BURST + 1)),
					    "period %u: injection failed", p + 1);
			soak_tx(soak_rand(BURST + 1));
			soak_rx();
			soak_cap();
		}
		TEST_ASSERT_SUCCESS(soak_period_end(p, (double)(rte_get_timer_cycles() - t0) / hz),
				    "period %u: frames not accounted for", p + 1);
	}
	return TEST_SUCCESS;
}

static int
test_rtap_soak(void)
{
	const char *env = getenv("RTAP_SOAK_SECONDS"), *seed = getenv("RTAP_SOAK_SEED");
	const char *hot = getenv("RTAP_SOAK_HOT_STOP");
	unsigned int secs = env != NULL ? (unsigned int)atoi(env) : 600;
	int ret;

	TEST_ASSERT(secs >= SOAK_PERIODS, "RTAP_SOAK_SECONDS=%u: at least %d", secs, SOAK_PERIODS);
	memset(&soak, 0, sizeof(soak));
	soak.flap = -1;
	soak.carrier = true;
	soak.rng = seed != NULL ? strtoull(seed, NULL, 0) : rte_rdtsc();
	soak.rng += soak.rng == 0;
	soak.hot = hot != NULL && atoi(hot) != 0;
	printf("rtap soak: %u s, seed %#" PRIx64 "%s\n", secs, soak.rng,
	       soak.hot ? ", queue changes under traffic" : "");
	/* probe_iface keeps IPv6 off the interface before it is first up */
	TEST_ASSERT_SUCCESS(tp_probe("soak"), "cannot create the soak port");
	soak.ifindex = if_nametoindex(tp.ifname);
	ret = soak_run(secs);
	if (ret == TEST_SUCCESS)
		ret = soak_check(soak.dir[K2D].tot, soak.dir[D2K].tot, "whole run");
	soak_table(secs);
	TEST_ASSERT_SUCCESS(ret, "the soak failed: see above");
	TEST_ASSERT_SUCCESS(tp_close(), "close of %s left something", tp.ifname);
	printf("result: every frame accounted for\n");
	return TEST_SUCCESS;
}

/* One case, so that ctx_teardown undoes what a failed run leaves. */
static int
test_pmd_rtap_soak(void)
{
	static struct unit_test_suite suite = {
		.suite_name = "net_rtap soak test", .setup = test_rtap_suite_setup,
		.unit_test_cases = { TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_soak),
			TEST_CASES_END() }
	};

	return unit_test_suite_runner(&suite);
}

REGISTER_STRESS_TEST(rtap_soak_autotest, test_pmd_rtap_soak);
