/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Soak test of net_rtap (rtap_soak_autotest): RTAP_SOAK_SECONDS (600 by
 * default) of traffic both ways through a real TAP interface, frames of
 * random sizes, the queue count changed every tenth of the run and the
 * link flapped from outside at random moments.
 *
 * One thread does everything, in turns: it injects frames from an
 * AF_PACKET socket on the interface (the TAP transmits them to DPDK),
 * sends frames with rte_eth_tx_burst (one segment, a chain, or a shared
 * mbuf for which the driver needs a header mbuf), polls every Rx queue and
 * reads the socket.  Every frame carries a sequence number and a checksum,
 * and every frame received on either side is compared byte for byte with
 * the one that was sent; duplicates are caught by sequence number.
 *
 * At the end of each period the traffic stops and drains, the port is
 * stopped, and every frame is accounted for each way (soak_check says
 * which counter takes which loss and why); the pool must be full again.
 * At the end the port is closed, and the open files, the pool and the
 * interface must be as they were before.  The only sysctl touched is the
 * interface's own disable_ipv6, which goes with the interface.
 *
 * RTAP_SOAK_SEED repeats a run's random choices; RTAP_SOAK_HOT_STOP=1
 * changes the queue count without draining first, which shows what a stop
 * under traffic loses.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>

#include "test.h"
#include "test_pmd_rtap_compat.h"

#define SOAK_VDEV		"net_rtap_soak"
#define SOAK_PERIODS		10
#define SOAK_NB_MBUF		4096	/* small: a leak shows within a period */
#define SOAK_NB_DESC		512
#define SOAK_BURST		32
#define SOAK_MIN_LEN		60
#define SOAK_MAX_LEN		1514
#define SOAK_ETHERTYPE		0x88b5	/* local experimental: no handler */
#define SOAK_MAGIC		0x534f414bu	/* "SOAK" */
#define SOAK_WIN		(1u << 22)	/* sequence numbers tracked */
#define SOAK_QUIET_MS		300
#define SOAK_WAIT_MS		5000
#define SOAK_DOWN_MS		300	/* longest flap */
#define SOAK_SOCK_BUF		(8 * 1024 * 1024)
#define SOAK_MAX_BAD		10	/* corrupt frames shown */

/* After the frame's headers; everything in big endian. */
struct __rte_packed_begin soak_hdr {
	rte_be32_t magic;
	rte_be32_t seq;
	rte_be16_t len;
	rte_be32_t sum;		/* soak_hash of the frame with sum 0 */
} __rte_packed_end;

#define SOAK_HDR_LEN		((uint32_t)sizeof(struct soak_hdr))
#define SOAK_OFF_K2D		(RTE_ETHER_HDR_LEN + 28)	/* IPv4 + UDP */
#define SOAK_OFF_D2K		RTE_ETHER_HDR_LEN

enum { K2D, D2K };	/* kernel to DPDK, DPDK to kernel */

/* What a period (or the run) counted, per direction. */
enum {
	R_SENT, R_SENT_BYTES, R_GOT, R_GOT_BYTES, R_IMISSED, R_CARRIER,
	R_ERRORS, R_NOMBUF, R_SOCK_DROP, R_STACK_DROP, R_DOWN, R_FOREIGN,
	R_BAD, R_DUP, R_DRV, R_DRV_BYTES, R_KERN, R_KERN_DROP, R_NB
};

static const struct {
	const char *name;
	unsigned int dirs;	/* bit K2D, bit D2K: where it applies */
} soak_row[R_NB] = {
	[R_SENT] = { "frames sent (injected | tx_burst accepted)", 3 },
	[R_SENT_BYTES] = { "bytes sent", 3 },
	[R_GOT] = { "frames received intact", 3 },
	[R_GOT_BYTES] = { "bytes received intact", 3 },
	[R_IMISSED] = { "imissed", 1 },
	[R_CARRIER] = { "  of which while the carrier was off", 1 },
	[R_ERRORS] = { "ierrors | oerrors", 3 },
	[R_NOMBUF] = { "rx_nombuf", 1 },
	[R_SOCK_DROP] = { "AF_PACKET socket drops", 2 },
	[R_STACK_DROP] = { "kernel stack drops", 2 },
	[R_DOWN] = { "refused, link down (not sent | in oerrors)", 3 },
	[R_FOREIGN] = { "foreign frames received", 3 },
	[R_BAD] = { "corrupt frames", 3 },
	[R_DUP] = { "duplicate frames", 3 },
	[R_DRV] = { "ipackets | opackets", 3 },
	[R_DRV_BYTES] = { "ibytes | obytes", 3 },
	[R_KERN] = { "kernel tx_packets | rx_packets", 3 },
	[R_KERN_DROP] = { "kernel tx_dropped | rx_dropped", 3 },
};

/* Kernel interface counters, as in /sys/class/net/<if>/statistics. */
enum { KS_RX, KS_RX_DROP, KS_TX, KS_TX_DROP, KS_NB };	/* drop after count */
static const char * const soak_kstat_name[KS_NB] = {
	"rx_packets", "rx_dropped", "tx_packets", "tx_dropped"
};

enum { F_NL, F_IOCTL, F_CARRIER, F_NB };
static const char * const soak_flap_name[F_NB] = {
	"down/up by rtnetlink", "down/up by SIOCSIFFLAGS", "carrier off/on"
};

struct soak_dir {
	uint32_t seq;		/* of the next frame to send */
	uint64_t *seen;		/* received, by sequence number in the window */
	uint64_t v[R_NB];	/* this period */
	uint64_t tot[R_NB];
};

static struct {
	uint16_t port;
	bool have_port;
	bool started;
	int sock;
	unsigned int ifindex;
	char ifname[IF_NAMESIZE];
	struct rte_ether_addr mac;
	struct rte_mempool *mp;
	uint16_t nb_q;
	uint64_t rng;
	bool hot;
	bool carrier;		/* the kernel can switch a TAP's carrier */
	int flap;		/* kind of the flap under way, or -1 */
	uint64_t flap_at;	/* when the next flap starts or ends */
	uint64_t flap_gap;	/* longest time between flaps */
	uint64_t flap_oerrors, flap_kdrop;
	unsigned int flaps[F_NB];
	unsigned int period_flaps;
	unsigned int qchanges;
	uint64_t chained, shared;
	uint64_t kern0[KS_NB];
	struct soak_dir dir[2];
	uint8_t kbuf[SOAK_BURST][SOAK_MAX_LEN];
	uint8_t cbuf[SOAK_BURST][2048];
	uint8_t tbuf[SOAK_MAX_LEN];
	uint8_t rbuf[16384];
	uint8_t ebuf[16384];
} soak;

static uint64_t
soak_deadline(uint64_t ms)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
}

static bool
soak_expired(uint64_t deadline)
{
	return rte_get_timer_cycles() > deadline;
}

/* xorshift64*: a run is repeated from its printed seed. */
static uint32_t
soak_rand(void)
{
	soak.rng ^= soak.rng >> 12;
	soak.rng ^= soak.rng << 25;
	soak.rng ^= soak.rng >> 27;
	return (uint32_t)((soak.rng * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t
soak_len(void)
{
	return SOAK_MIN_LEN + soak_rand() % (SOAK_MAX_LEN - SOAK_MIN_LEN + 1);
}

/* FNV-1a over 8-byte words: position-sensitive and cheap enough per frame. */
static uint32_t
soak_hash(const uint8_t *p, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL, w;
	uint32_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return (uint32_t)(h ^ h >> 32);
}

/*
 * Frame seq of len bytes for direction dir; everything in it follows from
 * those, so a receiver rebuilds it to compare.  Kernel to DPDK it is
 * IPv4/UDP with ports that vary with seq, so that the TAP spreads frames
 * over its queues; the other way it has an ethertype nothing in the kernel
 * handles, so that only the test's socket takes it.
 */
static void
soak_frame(uint8_t *f, int dir, uint32_t seq, uint32_t len)
{
	uint32_t off = dir == K2D ? SOAK_OFF_K2D : SOAK_OFF_D2K;
	uint32_t x = (seq * 2654435761u) ^ (len << 16) ^ 1, i;
	struct rte_ether_hdr eth;
	struct soak_hdr h = {
		.magic = RTE_BE32(SOAK_MAGIC),
		.seq = rte_cpu_to_be_32(seq),
		.len = rte_cpu_to_be_16((uint16_t)len),
	};

	if (dir == K2D) {
		struct rte_ipv4_hdr ip = {
			.version_ihl = RTE_IPV4_VHL_DEF,
			.total_length = rte_cpu_to_be_16((uint16_t)(len - RTE_ETHER_HDR_LEN)),
			.packet_id = rte_cpu_to_be_16((uint16_t)seq),
			.time_to_live = 64,
			.next_proto_id = IPPROTO_UDP,
			.src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 77, 0, 0) | x >> 16),
			.dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 78, 0, 1)),
		};
		struct rte_udp_hdr udp = {
			.src_port = rte_cpu_to_be_16((uint16_t)(1024 + (x >> 20))),
			.dst_port = RTE_BE16(4789),
			.dgram_len = rte_cpu_to_be_16((uint16_t)(len - RTE_ETHER_HDR_LEN -
							  sizeof(ip))),
		};

		ip.hdr_checksum = rte_ipv4_cksum(&ip);
		rte_ether_addr_copy(&soak.mac, &eth.dst_addr);
		memcpy(eth.src_addr.addr_bytes, "\x02SOAK\x01", RTE_ETHER_ADDR_LEN);
		eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		memcpy(f + RTE_ETHER_HDR_LEN, &ip, sizeof(ip));
		memcpy(f + RTE_ETHER_HDR_LEN + sizeof(ip), &udp, sizeof(udp));
	} else {
		memset(&eth.dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
		rte_ether_addr_copy(&soak.mac, &eth.src_addr);
		eth.ether_type = RTE_BE16(SOAK_ETHERTYPE);
	}
	memcpy(f, &eth, sizeof(eth));
	memcpy(f + off, &h, sizeof(h));
	for (i = off + SOAK_HDR_LEN; i < len; i += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		memcpy(f + i, &x, RTE_MIN(4u, len - i));
	}
	h.sum = rte_cpu_to_be_32(soak_hash(f, len));
	memcpy(f + off, &h, sizeof(h));
}

/* A frame was sent: its sequence number may be received once. */
static void
soak_sent(int dir, uint32_t len)
{
	struct soak_dir *d = &soak.dir[dir];
	uint32_t s = d->seq++ % SOAK_WIN;

	d->seen[s / 64] &= ~(1ULL << (s % 64));
	d->v[R_SENT]++;
	d->v[R_SENT_BYTES] += len;
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
	struct soak_dir *d = &soak.dir[dir];
	uint32_t off = dir == K2D ? SOAK_OFF_K2D : SOAK_OFF_D2K, seq, s;
	rte_be16_t type = dir == K2D ? RTE_BE16(RTE_ETHER_TYPE_IPV4) :
		RTE_BE16(SOAK_ETHERTYPE);
	struct rte_ether_hdr eth;
	struct soak_hdr h;

	if (len < off + SOAK_HDR_LEN)
		goto foreign;
	memcpy(&eth, f, sizeof(eth));
	memcpy(&h, f + off, sizeof(h));
	if (eth.ether_type != type || h.magic != RTE_BE32(SOAK_MAGIC))
		goto foreign;
	seq = rte_be_to_cpu_32(h.seq);
	if ((uint32_t)(d->seq - 1 - seq) >= SOAK_WIN) {
		soak_bad(dir, "sequence number never sent", seq, len);
		return;
	}
	if (len > sizeof(soak.ebuf) || rte_be_to_cpu_16(h.len) != len) {
		soak_bad(dir, "length", seq, len);
		return;
	}
	memcpy(soak.ebuf, f, len);
	memset(soak.ebuf + off + offsetof(struct soak_hdr, sum), 0, sizeof(h.sum));
	if (soak_hash(soak.ebuf, len) != rte_be_to_cpu_32(h.sum)) {
		soak_bad(dir, "checksum", seq, len);
		return;
	}
	soak_frame(soak.ebuf, dir, seq, len);
	if (memcmp(f, soak.ebuf, len) != 0) {
		soak_bad(dir, "content", seq, len);
		return;
	}
	s = seq % SOAK_WIN;
	if (d->seen[s / 64] & (1ULL << (s % 64))) {
		d->v[R_DUP]++;
		return;
	}
	d->seen[s / 64] |= 1ULL << (s % 64);
	d->v[R_GOT]++;
	d->v[R_GOT_BYTES] += len;
	return;
foreign:
	d->v[R_FOREIGN]++;
}

/* Kernel to DPDK: a burst from the AF_PACKET socket. */
static int
soak_inject(unsigned int n)
{
	struct soak_dir *d = &soak.dir[K2D];
	struct mmsghdr msg[SOAK_BURST];
	struct iovec iov[SOAK_BURST];
	unsigned int i;
	int r;

	memset(msg, 0, sizeof(msg[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = soak.kbuf[i];
		iov[i].iov_len = soak_len();
		soak_frame(soak.kbuf[i], K2D, d->seq + i, iov[i].iov_len);
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	r = n == 0 ? 0 : sendmmsg(soak.sock, msg, n, MSG_DONTWAIT);
	if (r < 0) {
		/* A down interface takes nothing and counts nothing. */
		if (errno == ENETDOWN)
			d->v[R_DOWN] += n;
		else if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR) {
			printf("sendmmsg on %s: %s\n", soak.ifname,
			       strerror(errno));
			return -1;
		}
		r = 0;
	}
	for (i = 0; i < (unsigned int)r; i++)
		soak_sent(K2D, iov[i].iov_len);
	return 0;
}

/* An mbuf (kind 0), a shared one (1) or a chain of kind segments. */
static struct rte_mbuf *
soak_mbuf(const uint8_t *f, uint32_t len, unsigned int kind)
{
	unsigned int nb = kind < 2 ? 1 : kind, i;
	struct rte_mbuf *head = NULL, *m;
	uint32_t off = 0, n, max;

	for (i = 0; i < nb; i++) {
		/* Every segment gets a byte, the first the Ethernet header. */
		max = len - off - (nb - 1 - i);
		n = i == nb - 1 ? len - off : i == 0 ?
			RTE_ETHER_HDR_LEN + soak_rand() % (max - RTE_ETHER_HDR_LEN + 1) :
			1 + soak_rand() % max;
		m = rte_pktmbuf_alloc(soak.mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_append(m, n), f + off, n);
		off += n;
		if (head == NULL)
			head = m;
		else
			rte_pktmbuf_chain(head, m);
	}
	if (kind == 1)
		rte_mbuf_refcnt_update(head, 1);
	return head;
}

/* DPDK to kernel: a burst on a random queue. */
static void
soak_tx(unsigned int n)
{
	struct soak_dir *d = &soak.dir[D2K];
	struct rte_mbuf *m[SOAK_BURST];
	unsigned int kind[SOAK_BURST], i, sent;
	uint32_t len[SOAK_BURST];

	for (i = 0; i < n; i++) {
		len[i] = soak_len();
		kind[i] = soak_rand() % 8;
		kind[i] = kind[i] < 4 ? 0 : kind[i] == 4 ? 1 : kind[i] - 3;
		soak_frame(soak.tbuf, D2K, d->seq + i, len[i]);
		m[i] = soak_mbuf(soak.tbuf, len[i], kind[i]);
		if (m[i] == NULL)
			break;
	}
	n = i;
	sent = rte_eth_tx_burst(soak.port, soak_rand() % soak.nb_q, m, n);
	/* What was sent may be back in the pool already: no mbuf is read. */
	for (i = 0; i < n; i++) {
		if (i < sent)
			soak_sent(D2K, len[i]);
		/* The driver's reference is the one that returns it to the pool. */
		if (kind[i] == 1)
			rte_pktmbuf_free(m[i]);
		if (i >= sent)
			rte_pktmbuf_free(m[i]);
		else if (kind[i] == 1)
			soak.shared++;
		else if (kind[i] > 1)
			soak.chained++;
	}
}

static unsigned int
soak_rx(void)
{
	struct rte_mbuf *m[SOAK_BURST];
	unsigned int total = 0;
	const char *why;
	uint16_t q, i, n;

	for (q = 0; q < soak.nb_q; q++) {
		n = rte_eth_rx_burst(soak.port, q, m, SOAK_BURST);
		for (i = 0; i < n; i++) {
			if (rte_mbuf_check(m[i], 1, &why) != 0 ||
			    m[i]->port != soak.port ||
			    m[i]->pkt_len > sizeof(soak.rbuf)) {
				soak_bad(K2D, "mbuf", 0, m[i]->pkt_len);
				continue;
			}
			soak_verify(K2D, rte_pktmbuf_read(m[i], 0,
					m[i]->pkt_len, soak.rbuf),
				    m[i]->pkt_len);
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
	struct mmsghdr msg[SOAK_BURST];
	struct iovec iov[SOAK_BURST];
	struct sockaddr_ll sll[SOAK_BURST];
	unsigned int total = 0, i;
	bool retried = false;
	int r;

	for (;;) {
		memset(msg, 0, sizeof(msg));
		for (i = 0; i < SOAK_BURST; i++) {
			iov[i].iov_base = soak.cbuf[i];
			iov[i].iov_len = sizeof(soak.cbuf[i]);
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
			msg[i].msg_hdr.msg_name = &sll[i];
			msg[i].msg_hdr.msg_namelen = sizeof(sll[i]);
		}
		r = recvmmsg(soak.sock, msg, SOAK_BURST, MSG_DONTWAIT, NULL);
		/* A flap leaves ENETDOWN pending on the socket, once. */
		if (r < 0 && errno == ENETDOWN && !retried) {
			retried = true;
			continue;
		}
		for (i = 0; i < (unsigned int)RTE_MAX(r, 0); i++) {
			if (sll[i].sll_pkttype == PACKET_OUTGOING)
				continue;
			if (msg[i].msg_hdr.msg_flags & MSG_TRUNC)
				soak_bad(D2K, "too long", 0, msg[i].msg_len);
			else
				soak_verify(D2K, soak.cbuf[i], msg[i].msg_len);
			total++;
		}
		if (r < SOAK_BURST)
			break;
	}
	return total;
}

static int
soak_kstats(uint64_t v[KS_NB])
{
	char path[128];
	uint64_t x;
	unsigned int i;
	FILE *f;

	for (i = 0; i < KS_NB; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
			 soak.ifname, soak_kstat_name[i]);
		f = fopen(path, "r");
		if (f == NULL)
			return -1;
		if (fscanf(f, "%" SCNu64, &x) != 1)
			x = 0;
		fclose(f);
		v[i] = x;
	}
	return 0;
}

/* An rtnetlink request about the interface; carrier < 0 leaves it. */
static int
soak_nl(uint16_t type, unsigned int flags, unsigned int change, int carrier)
{
	static uint32_t seq;
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attr[RTA_SPACE(1)];
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2 };
	struct rtattr *rta = (struct rtattr *)req.attr;
	char buf[4096];
	struct nlmsghdr *h;
	ssize_t n;
	int fd, ret = -ETIMEDOUT;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.nh.nlmsg_type = type;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = ++seq;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)soak.ifindex;
	req.ifi.ifi_flags = flags;
	req.ifi.ifi_change = change;
	if (carrier >= 0) {
		rta->rta_type = IFLA_CARRIER;
		rta->rta_len = RTA_LENGTH(1);
		*(uint8_t *)RTA_DATA(rta) = (uint8_t)carrier;
		req.nh.nlmsg_len += RTA_SPACE(1);
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		h = (struct nlmsghdr *)buf;
		if (NLMSG_OK(h, (unsigned int)n) && h->nlmsg_seq == seq &&
		    h->nlmsg_type == NLMSG_ERROR) {
			ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			break;
		}
	}
out:
	close(fd);
	return ret;
}

static int
soak_ioctl_up(bool up)
{
	struct ifreq ifr;
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, soak.ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags = up ? ifr.ifr_flags | IFF_UP :
			ifr.ifr_flags & ~IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) == 0)
			goto out;
	}
	ret = -errno;
out:
	close(fd);
	return ret;
}

static int
soak_link(int kind, bool up)
{
	if (kind == F_IOCTL)
		return soak_ioctl_up(up);
	if (kind == F_CARRIER)
		return soak_nl(RTM_NEWLINK, 0, 0, up);
	return soak_nl(RTM_NEWLINK, up ? IFF_UP : 0, IFF_UP, -1);
}

static int
soak_stats(struct rte_eth_stats *st)
{
	int ret = rte_eth_stats_get(soak.port, st);

	if (ret != 0)
		printf("rte_eth_stats_get: %s\n", strerror(-ret));
	return ret;
}

/*
 * Reap Tx until every frame tx_burst accepted in this period is counted,
 * sent or failed: a write the kernel has not completed is neither.
 */
static int
soak_tx_settle(void)
{
	uint64_t deadline = soak_deadline(SOAK_WAIT_MS);
	struct rte_mbuf *none[1];
	struct rte_eth_stats st;
	uint16_t q;

	for (;;) {
		for (q = 0; q < soak.nb_q; q++)
			rte_eth_tx_burst(soak.port, q, none, 0);
		if (soak_stats(&st) != 0)
			return -1;
		if (st.opackets + st.oerrors == soak.dir[D2K].v[R_SENT])
			return 0;
		if (soak_expired(deadline)) {
			printf("Tx not done after %d ms: %" PRIu64 " accepted, opackets "
			       "%" PRIu64 " + oerrors %" PRIu64 "\n",
			       SOAK_WAIT_MS, soak.dir[D2K].v[R_SENT],
			       st.opackets, st.oerrors);
			return -1;
		}
		rte_delay_us_sleep(100);
	}
}

/*
 * Start a flap, or end the one under way, when its time has come (or
 * now, with force).  Both edges are taken with Tx settled, so that the
 * writes refused by a down interface are exactly the oerrors in between.
 */
static int
soak_flap(bool force)
{
	struct rte_eth_stats st;
	uint64_t k[KS_NB];
	int kind = soak.flap, ret, err;
	socklen_t len = sizeof(err);

	if (force ? kind < 0 : !soak_expired(soak.flap_at))
		return 0;
	if (soak_tx_settle() != 0 || soak_stats(&st) != 0 ||
	    soak_kstats(k) != 0)
		return -1;
	if (kind < 0) {
		kind = soak_rand() % F_NB;
		if (kind == F_CARRIER && !soak.carrier)
			kind = F_NL;
		ret = soak_link(kind, false);
		if (ret == -EOPNOTSUPP && kind == F_CARRIER) {
			printf("the kernel cannot switch the carrier of a TAP: admin flaps only\n");
			soak.carrier = false;
			kind = F_NL;
			ret = soak_link(kind, false);
		}
		soak.flap_oerrors = st.oerrors;
		soak.flap_kdrop = k[KS_TX_DROP];
		soak.flap_at = soak_deadline(1 + soak_rand() % SOAK_DOWN_MS);
		soak.flaps[kind]++;
		soak.period_flaps++;
		soak.flap = kind;
	} else {
		if (kind == F_CARRIER)
			soak.dir[K2D].v[R_CARRIER] += k[KS_TX_DROP] - soak.flap_kdrop;
		else
			soak.dir[D2K].v[R_DOWN] += st.oerrors - soak.flap_oerrors;
		ret = soak_link(kind, true);
		soak.flap_at = soak_deadline(100 + soak_rand() % soak.flap_gap);
		soak.flap = -1;
		/* Read away the ENETDOWN the flap left on the socket. */
		getsockopt(soak.sock, SOL_SOCKET, SO_ERROR, &err, &len);
	}
	if (ret != 0)
		printf("%s of %s: %s\n", soak_flap_name[kind], soak.ifname,
		       strerror(-ret));
	return ret;
}

/* Poll until nothing arrives for SOAK_QUIET_MS; rx: the port is started. */
static int
soak_drain(bool rx)
{
	uint64_t deadline = soak_deadline(SOAK_WAIT_MS);
	uint64_t quiet = soak_deadline(SOAK_QUIET_MS);

	while (!soak_expired(quiet)) {
		if ((rx ? soak_rx() : 0) + soak_cap() > 0)
			quiet = soak_deadline(SOAK_QUIET_MS);
		if (soak_expired(deadline)) {
			printf("traffic still arriving %d ms after it stopped\n",
			       SOAK_WAIT_MS);
			return -1;
		}
	}
	return 0;
}

static int
soak_eq(const char *what, const char *eq, uint64_t a, uint64_t b)
{
	if (a == b)
		return 0;
	printf("%s: %s does not hold: %" PRIu64 " != %" PRIu64 " (%+" PRId64 ")\n",
	       what, eq, a, b, (int64_t)(a - b));
	return -1;
}

/*
 * Every frame sent is received intact or in a counter, found by reading
 * the kernel's tun driver and checked against its counters:
 *
 * Kernel to DPDK.  A frame the socket sent (not refused: a down interface
 * refuses with ENETDOWN and counts nothing) goes through the qdisc to
 * tun_net_xmit, which puts it in the ring of one queue or drops it and
 * counts tx_dropped (ring full, no queue attached); with the carrier off
 * the noop qdisc drops it before, which the kernel counts in tx_dropped
 * too (measured).  Frames the driver reads are counted in tx_packets;
 * each comes out of rx_burst or is counted as ierrors or rx_nombuf.  The
 * driver's imissed is the kernel's tx_dropped.  So
 *	injected == received + imissed + ierrors + rx_nombuf.
 *
 * DPDK to kernel.  Each frame tx_burst accepted is written (opackets) or
 * failed (oerrors: the write of a down interface fails with EIO in
 * tun_get_user, which also counts it in rx_dropped; a write cancelled at
 * stop, a malformed mbuf).  A written frame is in rx_packets and reaches
 * the socket, unless the socket's buffer is full (PACKET_STATISTICS) or
 * the stack drops it, which counts rx_dropped too; the refused writes,
 * already in oerrors, are taken off that.  So
 *	accepted == captured + socket drops + oerrors + stack drops.
 *
 * The other equations check each counter against the other side, so that
 * a failure says where a frame went missing.
 */
static int
soak_check(uint64_t v[2][R_NB], const char *what)
{
	uint64_t *k = v[K2D], *d = v[D2K];
	int ret = 0;

	if (d[R_KERN_DROP] < d[R_DOWN]) {
		printf("%s: the kernel counted %" PRIu64 " rx_dropped for %" PRIu64 " writes "
		       "refused while down\n",
		       what, d[R_KERN_DROP], d[R_DOWN]);
		ret = -1;
	}
	d[R_STACK_DROP] = d[R_KERN_DROP] - RTE_MIN(d[R_DOWN], d[R_KERN_DROP]);
	ret |= soak_eq(what, "kernel->DPDK: injected == received + imissed + ierrors + rx_nombuf",
		       k[R_SENT], k[R_GOT] + k[R_IMISSED] + k[R_ERRORS] + k[R_NOMBUF]);
	ret |= soak_eq(what, "ipackets == received + foreign",
		       k[R_DRV], k[R_GOT] + k[R_FOREIGN]);
	ret |= soak_eq(what, "kernel tx_packets == ipackets + ierrors + rx_nombuf",
		       k[R_KERN], k[R_DRV] + k[R_ERRORS] + k[R_NOMBUF]);
	ret |= soak_eq(what, "imissed == kernel tx_dropped",
		       k[R_IMISSED], k[R_KERN_DROP]);
	if (k[R_FOREIGN] == 0)
		ret |= soak_eq(what, "ibytes == bytes received",
			       k[R_DRV_BYTES], k[R_GOT_BYTES]);
	ret |= soak_eq(what, "DPDK->kernel: accepted == captured + socket drops + oerrors + stack drops",
		       d[R_SENT], d[R_GOT] + d[R_SOCK_DROP] + d[R_ERRORS] +
		       d[R_STACK_DROP]);
	ret |= soak_eq(what, "accepted == opackets + oerrors",
		       d[R_SENT], d[R_DRV] + d[R_ERRORS]);
	ret |= soak_eq(what, "opackets == kernel rx_packets",
		       d[R_DRV], d[R_KERN]);
	ret |= soak_eq(what, "kernel rx_packets == captured + foreign + socket drops + stack drops",
		       d[R_KERN], d[R_GOT] + d[R_FOREIGN] + d[R_SOCK_DROP] + d[R_STACK_DROP]);
	if (d[R_SOCK_DROP] + d[R_STACK_DROP] + d[R_FOREIGN] == 0)
		ret |= soak_eq(what, "obytes == bytes captured",
			       d[R_DRV_BYTES], d[R_GOT_BYTES]);
	ret |= soak_eq(what, "corrupt frames == 0", k[R_BAD] + d[R_BAD], 0);
	ret |= soak_eq(what, "duplicate frames == 0", k[R_DUP] + d[R_DUP], 0);
	return ret;
}

static int
soak_port_start(uint16_t nb_q)
{
	struct rte_eth_conf conf;
	struct tpacket_stats ps;
	socklen_t len = sizeof(ps);
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(soak.port, nb_q, nb_q, &conf);
	for (q = 0; ret == 0 && q < nb_q; q++) {
		ret = rte_eth_rx_queue_setup(soak.port, q, SOAK_NB_DESC,
					     SOCKET_ID_ANY, NULL, soak.mp);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(soak.port, q, SOAK_NB_DESC,
						     SOCKET_ID_ANY, NULL);
	}
	if (ret == 0)
		ret = rte_eth_dev_start(soak.port);
	soak.started = ret == 0;
	if (ret != 0) {
		printf("start with %u queues: %s\n", nb_q, strerror(-ret));
		return -1;
	}
	soak.nb_q = nb_q;
	/* Reading the socket's statistics zeroes them. */
	if (rte_eth_stats_reset(soak.port) != 0 || soak_kstats(soak.kern0) != 0 ||
	    getsockopt(soak.sock, SOL_PACKET, PACKET_STATISTICS, &ps, &len) != 0) {
		printf("cannot reset the counters\n");
		return -1;
	}
	memset(soak.dir[K2D].v, 0, sizeof(soak.dir[K2D].v));
	memset(soak.dir[D2K].v, 0, sizeof(soak.dir[D2K].v));
	soak.period_flaps = 0;
	return 0;
}

/* Stop the traffic and the port, take the counters and check them. */
static int
soak_period_end(unsigned int p, double secs)
{
	uint64_t *k = soak.dir[K2D].v, *d = soak.dir[D2K].v, ks[KS_NB];
	uint64_t v[2][R_NB];
	struct rte_eth_stats st;
	struct tpacket_stats ps;
	socklen_t len = sizeof(ps);
	char what[32];
	int ret = 0, i;

	if (soak_flap(true) != 0)
		ret = -1;
	/*
	 * Hot: more frames than the Rx buffers posted are on their way when
	 * the port stops, in the rings and in the kernel's queues.
	 */
	if (soak.hot) {
		for (i = 0; i < SOAK_NB_DESC / SOAK_BURST + 4; i++)
			ret |= soak_inject(SOAK_BURST);
		soak_tx(SOAK_BURST);
	} else if (soak_tx_settle() != 0 || soak_drain(true) != 0) {
		ret = -1;
	}
	soak.started = false;
	if (rte_eth_dev_stop(soak.port) != 0) {
		printf("rte_eth_dev_stop failed\n");
		ret = -1;
	}
	if (soak_drain(false) != 0 || soak_stats(&st) != 0 ||
	    soak_kstats(ks) != 0 ||
	    getsockopt(soak.sock, SOL_PACKET, PACKET_STATISTICS, &ps, &len) != 0)
		return -1;
	for (i = K2D; i <= D2K; i++) {
		/* Kernel to DPDK is the interface's Tx, the other way its Rx. */
		unsigned int kc = i == K2D ? KS_TX : KS_RX;

		soak.dir[i].v[R_DRV] = i == K2D ? st.ipackets : st.opackets;
		soak.dir[i].v[R_DRV_BYTES] = i == K2D ? st.ibytes : st.obytes;
		soak.dir[i].v[R_ERRORS] = i == K2D ? st.ierrors : st.oerrors;
		soak.dir[i].v[R_KERN] = ks[kc] - soak.kern0[kc];
		soak.dir[i].v[R_KERN_DROP] = ks[kc + 1] - soak.kern0[kc + 1];
	}
	k[R_IMISSED] = st.imissed;
	k[R_NOMBUF] = st.rx_nombuf;
	d[R_SOCK_DROP] = ps.tp_drops;
	snprintf(what, sizeof(what), "period %u", p + 1);
	memcpy(v[K2D], k, sizeof(v[K2D]));
	memcpy(v[D2K], d, sizeof(v[D2K]));
	ret |= soak_check(v, what);
	memcpy(d, v[D2K], sizeof(v[D2K]));	/* with the stack drops */
	for (i = 0; i < R_NB; i++) {
		soak.dir[K2D].tot[i] += k[i];
		soak.dir[D2K].tot[i] += d[i];
	}
	/* Stopped, the port holds no mbuf and neither does the test. */
	if (rte_mempool_avail_count(soak.mp) != SOAK_NB_MBUF) {
		printf("%s: pool has %u of %u mbufs after stop\n", what,
		       rte_mempool_avail_count(soak.mp), SOAK_NB_MBUF);
		ret = -1;
	}
	printf("period %2u/%u %u queue%s %5.1f s: kernel->DPDK %" PRIu64 " sent, %" PRIu64 " "
	       "received, %" PRIu64 " imissed; DPDK->kernel %" PRIu64 " sent, %" PRIu64 " "
	       "captured, %" PRIu64 " oerrors (%" PRIu64 " link down); flaps %u; %s\n",
	       p + 1, SOAK_PERIODS, soak.nb_q, soak.nb_q > 1 ? "s" : " ", secs,
	       k[R_SENT], k[R_GOT], k[R_IMISSED], d[R_SENT], d[R_GOT],
	       d[R_ERRORS], d[R_DOWN], soak.period_flaps,
	       ret == 0 ? "reconciled" : "FAILED");
	fflush(stdout);
	return ret;
}

static void
soak_table(unsigned int secs, int ret)
{
	unsigned int i, d;

	printf("\nrtap soak: %u s, %u periods, %u queue changes, interface %s\n",
	       secs, SOAK_PERIODS, soak.qchanges, soak.ifname);
	printf("%-46s %16s %16s\n", "", "kernel->DPDK", "DPDK->kernel");
	for (i = 0; i < R_NB; i++) {
		printf("%-46s", soak_row[i].name);
		for (d = K2D; d <= D2K; d++) {
			if (soak_row[i].dirs & (1u << d))
				printf(" %16" PRIu64, soak.dir[d].tot[i]);
			else
				printf(" %16s", "-");
		}
		printf("\n");
	}
	printf("flaps: %u %s, %u %s, %u %s\n", soak.flaps[F_NL],
	       soak_flap_name[F_NL], soak.flaps[F_IOCTL],
	       soak_flap_name[F_IOCTL], soak.flaps[F_CARRIER],
	       soak_flap_name[F_CARRIER]);
	printf("Tx mbufs: %" PRIu64 " chained, %" PRIu64 " shared (header mbuf)\n",
	       soak.chained, soak.shared);
	printf("result: %s\n", ret == 0 ? "every frame accounted for" : "FAILED");
}

static int
soak_count_fds(void)
{
	struct dirent *e;
	DIR *dir;
	int n = 0;

	dir = opendir("/proc/self/fd");
	if (dir == NULL)
		return -1;
	while ((e = readdir(dir)) != NULL)
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* The interface and its kernel socket, set up before the first period. */
static int
soak_setup(void)
{
	struct sockaddr_ll sll;
	char args[64], path[96];
	int size = SOAK_SOCK_BUF;
	FILE *f;

	snprintf(soak.ifname, sizeof(soak.ifname), "rsoak%d", (int)getpid() % 1000000);
	snprintf(args, sizeof(args), "iface=%s", soak.ifname);
	if (rte_vdev_init(SOAK_VDEV, args) != 0 ||
	    rte_eth_dev_get_port_by_name(SOAK_VDEV, &soak.port) != 0) {
		printf("cannot create %s (%s)\n", SOAK_VDEV, args);
		return -1;
	}
	soak.have_port = true;
	soak.ifindex = if_nametoindex(soak.ifname);
	if (soak.ifindex == 0 || rte_eth_macaddr_get(soak.port, &soak.mac) != 0)
		return -1;
	/* Before the interface is first up: no IPv6 chatter on it. */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 soak.ifname);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("1", f);
		fclose(f);
	}
	soak.sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (soak.sock < 0) {
		printf("AF_PACKET socket: %s\n", strerror(errno));
		return -1;
	}
	if (setsockopt(soak.sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
		setsockopt(soak.sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)soak.ifindex;
	if (bind(soak.sock, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		printf("bind to %s: %s\n", soak.ifname, strerror(errno));
		return -1;
	}
	return 0;
}

/* Undo what soak_setup and the periods did; true if nothing was left over. */
static bool
soak_teardown(void)
{
	uint64_t deadline = soak_deadline(SOAK_WAIT_MS);
	bool clean = true;
	unsigned int i;

	if (soak.sock >= 0)
		close(soak.sock);
	soak.sock = -1;
	if (soak.have_port) {
		if (soak.flap >= 0)
			soak_link(soak.flap, true);
		if (soak.started)
			rte_eth_dev_stop(soak.port);
		if (rte_eth_dev_close(soak.port) != 0 ||
		    rte_vdev_uninit(SOAK_VDEV) != 0) {
			printf("close of %s failed\n", SOAK_VDEV);
			clean = false;
		}
		soak.have_port = false;
	}
	while (if_nametoindex(soak.ifname) != 0 && !soak_expired(deadline))
		rte_delay_us_sleep(1000);
	if (if_nametoindex(soak.ifname) != 0) {
		printf("interface %s left behind: deleted\n", soak.ifname);
		soak_nl(RTM_DELLINK, 0, 0, -1);
		clean = false;
	}
	if (soak.mp != NULL && rte_mempool_avail_count(soak.mp) != SOAK_NB_MBUF) {
		printf("pool has %u of %u mbufs after close\n",
		       rte_mempool_avail_count(soak.mp), SOAK_NB_MBUF);
		clean = false;
	}
	rte_mempool_free(soak.mp);
	soak.mp = NULL;
	for (i = 0; i < 2; i++) {
		free(soak.dir[i].seen);
		soak.dir[i].seen = NULL;
	}
	return clean;
}

static int
test_rtap_soak(void)
{
	static const uint16_t nb_queues[] = { 1, 2, 4, 3 };
	const char *env = getenv("RTAP_SOAK_SECONDS");
	unsigned int secs = env != NULL ? (unsigned int)atoi(env) : 600;
	struct io_uring_params up;
	uint64_t hz = rte_get_timer_hz(), start, end, period;
	int fds0, fd, ret = -1;
	unsigned int p, i;

	if (secs < SOAK_PERIODS) {
		printf("RTAP_SOAK_SECONDS=%s: at least %d\n", env, SOAK_PERIODS);
		return TEST_FAILED;
	}
	memset(&up, 0, sizeof(up));
	fd = (int)syscall(__NR_io_uring_setup, 2, &up);
	if (access("/dev/net/tun", R_OK | W_OK) != 0 || fd < 0) {
		printf("no /dev/net/tun or no io_uring: rtap soak skipped\n");
		return TEST_SKIPPED;
	}
	close(fd);

	memset(&soak, 0, sizeof(soak));
	soak.sock = -1;
	soak.flap = -1;
	soak.carrier = true;
	env = getenv("RTAP_SOAK_SEED");
	soak.rng = env != NULL ? strtoull(env, NULL, 0) : rte_rdtsc();
	soak.rng += soak.rng == 0;
	env = getenv("RTAP_SOAK_HOT_STOP");
	soak.hot = env != NULL && atoi(env) != 0;
	printf("rtap soak: %u s, seed %#" PRIx64 "%s\n", secs, soak.rng,
	       soak.hot ? ", queue changes under traffic" : "");

	fds0 = soak_count_fds();
	/* No per-lcore cache, so that the free count is exact. */
	soak.mp = rte_pktmbuf_pool_create("rtap_soak", SOAK_NB_MBUF, 0, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	for (i = 0; i < 2; i++)
		soak.dir[i].seen = calloc(SOAK_WIN / 64, sizeof(uint64_t));
	if (soak.mp == NULL || soak.dir[K2D].seen == NULL ||
	    soak.dir[D2K].seen == NULL || soak_setup() != 0)
		goto out;

	period = hz * secs / SOAK_PERIODS;
	soak.flap_gap = RTE_MAX(period * 1000 / hz / 4, 200u);
	soak.flap_at = soak_deadline(100 + soak_rand() % soak.flap_gap);
	start = rte_get_timer_cycles();
	for (p = 0; p < SOAK_PERIODS; p++) {
		uint16_t nb_q = nb_queues[p % RTE_DIM(nb_queues)];
		uint64_t t0 = rte_get_timer_cycles();

		soak.qchanges += p > 0 && nb_q != soak.nb_q;
		if (soak_port_start(nb_q) != 0)
			goto out;
		end = start + period * (p + 1);
		while (rte_get_timer_cycles() < end) {
			if (soak_flap(false) != 0 ||
			    soak_inject(soak_rand() % (SOAK_BURST + 1)) != 0)
				goto out;
			soak_tx(soak_rand() % (SOAK_BURST + 1));
			soak_rx();
			soak_cap();
		}
		if (soak_period_end(p, (double)(rte_get_timer_cycles() - t0) / hz) != 0)
			goto out;
	}
	ret = 0;
out:
	if (ret == 0) {
		uint64_t v[2][R_NB];

		memcpy(v[K2D], soak.dir[K2D].tot, sizeof(v[K2D]));
		memcpy(v[D2K], soak.dir[D2K].tot, sizeof(v[D2K]));
		ret = soak_check(v, "whole run");
	}
	if (!soak_teardown())
		ret = -1;
	if (soak_count_fds() != fds0) {
		printf("%d files open after the soak, %d before\n",
		       soak_count_fds(), fds0);
		ret = -1;
	}
	soak_table(secs, ret);
	return ret == 0 ? TEST_SUCCESS : TEST_FAILED;
}

REGISTER_STRESS_TEST(rtap_soak_autotest, test_rtap_soak);
