/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Throughput of net_rtap beside net_tap, and beside the "floor": a bare
 * io_uring program on a TAP fd with no DPDK at all, which is what the tun
 * driver and io_uring allow and so the best net_rtap can hope for; and
 * beside net_af_packet (below). All of them run in one process on the same
 * machine, one after the other in alternation (rtap, tap, floor, af_packet,
 * rtap, ...), so that a change of machine load hits all of them alike; each
 * mode reports the median of PERF_RUNS samples with the spread, and the
 * ratios of the medians. Targets are reported, not asserted.
 *
 * Tx (DPDK to kernel): one lcore per queue calls tx_burst with bursts of
 * freshly allocated mbufs for a fixed time. What counts is what the kernel
 * received (the interface's rx_packets), not what tx_burst accepted. The
 * frames have an ethertype no protocol handles (IEEE local experimental) and
 * a destination MAC that is not the interface's, so the kernel drops them
 * right after its protocol lookup: the cheapest drop there is without tc or
 * XDP, which would add work of their own.
 *
 * Rx (kernel to DPDK): an AF_PACKET socket with PACKET_QDISC_BYPASS queues
 * frames on the interface's Tx path with sendmmsg. A generator running while
 * DPDK polls usually measures the generator (on two cores it gets one core,
 * as does the poller), so the main Rx figure comes from draining a backlog
 * instead: with nothing polling, PERF_PRELOAD frames per queue are queued in
 * the tun queues (txqueuelen raised to hold them), then the pollers drain
 * them as fast as they can. The first PERF_SKIP frames of a drain are left
 * out of the timing: reads the driver had posted may have been completed
 * (in the poller's task work) while the backlog was being loaded, which
 * would make the start of a drain look cheaper than it is. The rest is the
 * steady state of a poller that always finds work. The streaming figure
 * (generator on the other core) is printed too, with the generator's rate.
 *
 * net_af_packet runs beside them on one end of a veth pair, the other end
 * taking the place of the tap's kernel side: Tx is counted by the other
 * end's rx_packets, and the generator sends from it. Its sockets get a
 * PERF_AFP_FRAMES-frame ring per queue and way. It has no drain figure: the
 * kernel does its part for a frame when the frame is queued, not when it is
 * read, so only the streaming figure measures its Rx.
 *
 * The floor opens /dev/net/tun with IFF_TAP | IFF_NO_PI | IFF_VNET_HDR (and
 * IFF_MULTI_QUEUE, for two queues), sets its rings up as the driver does
 * (registered file, cooperative task running), writes in batches of
 * PERF_BURST with one submit each and reads with one multishot read into
 * provided buffers (a read per buffer before kernel 6.7). It leaves out
 * IFF_NAPI, which net_rtap asks for: a check of its own measures the floor
 * with and without it.
 *
 * Cost per packet, two ways: TSC cycles of the timed loops over the packets
 * they moved, kernel work done in the lcores' context included; and on-CPU
 * cycles, the part of those the lcores' threads were running (their
 * sum_exec_runtime in /proc/thread-self/schedstat), so that time taken by
 * other processes on a shared machine is not counted as cost. With two
 * queues, each queue has its own lcore; the rates add up.
 *
 * Sustained Tx: one queue transmits for PERF_SUSTAIN_S seconds from a small
 * pool of PERF_TX_POOL mbufs; the rate of the last second must still be that
 * of the first, which it cannot be if transmitted mbufs do not come back to
 * the pool, and every mbuf must be back afterwards.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
#include <sys/socket.h>
#include <sys/utsname.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <linux/virtio_net.h>

#include <liburing.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>
#include <rte_udp.h>

#include "test.h"
#include "test_pmd_rtap_compat.h"

#define PERF_RUNS		5	/* samples per target and mode */
#define PERF_SAMPLE_MS		1000	/* one sample */
#define PERF_WARM_MS		200	/* untimed, before a mode's samples */
#define PERF_SUSTAIN_S		6
#define PERF_NAPI_RUNS		3
#define PERF_BURST		32
#define PERF_NB_DESC		1024
#define PERF_TX_POOL		8192
#define PERF_RX_POOL		16384
#define PERF_MAX_Q		2
#define PERF_PRELOAD		32768	/* frames queued per kernel queue */
#define PERF_SKIP		2048	/* frames of a drain left out of the timing */
#define PERF_TXQLEN		(2 * PERF_PRELOAD)	/* room for uneven hashing */
#define PERF_IDLE_MS		100	/* a drain that gets nothing this long ends */
#define PERF_FLUSH_MS		20
#define PERF_GONE_MS		3000	/* wait for an interface to go */
#define PERF_GEN_BATCH		64
#define PERF_FLOWS		256	/* UDP flows, spread over the queues */
#define PERF_MAX_FRAME		1500
#define PERF_ETHERTYPE		0x88b5	/* IEEE 802 local experimental */
#define PERF_SOCK_BUF		(16 * 1024 * 1024)
#define PERF_AFP_FRAMES		4096	/* af_packet ring, per queue and way */

#define FLOOR_RING		1024	/* entries, as many as the driver's descriptors */
#define FLOOR_BUF		2048
#define FLOOR_BGID		0
#define FLOOR_CQE_BATCH		64
/* Multishot read (kernel 6.7); liburing before 2.5 has no helper for it. */
#define FLOOR_OP_READ_MULTISHOT	49
#define FLOOR_MSHOT_UDATA	UINT64_MAX

#define VNET_HDR_LEN		((unsigned int)sizeof(struct virtio_net_hdr))

#ifndef IORING_SETUP_SUBMIT_ALL
#define IORING_SETUP_SUBMIT_ALL (1U << 7)
#endif
#ifndef IORING_SETUP_COOP_TASKRUN
#define IORING_SETUP_COOP_TASKRUN (1U << 8)
#endif
#ifndef IORING_SETUP_TASKRUN_FLAG
#define IORING_SETUP_TASKRUN_FLAG (1U << 9)
#endif
#ifndef IORING_SQ_TASKRUN
#define IORING_SQ_TASKRUN (1U << 2)
#endif

enum perf_kind {
	PERF_RTAP,
	PERF_TAP,
	PERF_FLOOR,
	PERF_AFP,		/* net_af_packet on one end of a veth pair */
	PERF_NB_KIND
};

static const char * const perf_kind_name[PERF_NB_KIND] = {
	"net_rtap", "net_tap", "floor", "af_packet",
};

enum perf_dir {
	PERF_TX,
	PERF_RX,		/* drain of a backlog */
	PERF_RX_STREAM,		/* generator running on the other lcore */
};

struct perf_mode {
	const char *name;
	enum perf_dir dir;
	uint16_t frame_len;
	uint16_t nb_q;
};

/* One-queue modes first: a port never goes back from two queues to one. */
static const struct perf_mode perf_modes[] = {
	{ "Tx 64B 1q", PERF_TX, 64, 1 },
	{ "Tx 512B 1q", PERF_TX, 512, 1 },
	{ "Tx 1500B 1q", PERF_TX, 1500, 1 },
	{ "Rx 64B 1q", PERF_RX, 64, 1 },
	{ "Rx 512B 1q", PERF_RX, 512, 1 },
	{ "Rx 1500B 1q", PERF_RX, 1500, 1 },
	{ "Rx stream 64B 1q", PERF_RX_STREAM, 64, 1 },
	{ "Tx 64B 2q", PERF_TX, 64, 2 },
	{ "Rx 64B 2q", PERF_RX, 64, 2 },
};

#define PERF_NB_MODES	RTE_DIM(perf_modes)
/* Positions in perf_modes of the modes the targets compare. */
#define PERF_MODE_TX64_1Q	0
#define PERF_MODE_RX64_1Q	3
#define PERF_MODE_STREAM	6
#define PERF_MODE_TX64_2Q	7
#define PERF_MODE_RX64_2Q	8

/* A kernel queue of the floor: a TAP fd and a ring for each direction. */
struct floor_q {
	int fd;
	struct io_uring tx;
	struct io_uring rx;
	bool tx_ok;
	bool rx_ok;
	int tx_fd;		/* registered index or plain fd */
	int rx_fd;
	uint8_t tx_flags;	/* IOSQE_FIXED_FILE when registered */
	uint8_t rx_flags;
	uint32_t tx_inflight;
	bool mshot;		/* one multishot read, provided buffers */
	bool armed;		/* reads posted or multishot read armed */
	struct io_uring_buf_ring *br;
	uint8_t *bufs;		/* FLOOR_RING buffers of FLOOR_BUF bytes */
	uint8_t *frame;		/* virtio-net header and the Tx frame */
};

struct perf_target {
	enum perf_kind kind;
	bool napi;		/* floor: IFF_NAPI, which net_rtap leaves off */
	bool ready;
	char ifname[IF_NAMESIZE];
	char peer[IF_NAMESIZE];	/* af_packet: the other end of the veth */
	char vdev[RTE_DEV_NAME_MAX_LEN];
	bool vdev_made;
	bool veth_made;
	uint16_t port;
	uint16_t nb_q;		/* queues in use */
	int gen;		/* AF_PACKET socket sending on the interface */
	struct rte_ether_addr mac;
	struct floor_q fq[PERF_MAX_Q];
};

/* The work of one lcore in a sample. */
struct perf_job {
	struct perf_target *tg;
	uint16_t queue;
	uint16_t frame_len;
	uint64_t duration;	/* TSC cycles of a fixed-time run */
	uint64_t expected;	/* drain: frames queued for all queues */
	uint64_t cycles;	/* timed cycles */
	uint64_t packets;	/* packets moved in the timed cycles */
	uint64_t received;	/* drain: every frame polled */
	uint64_t nomem;		/* Tx: bursts without mbufs */
	double share;		/* of the timed cycles, the thread was on CPU */
	RTE_ATOMIC(int) done;
};

struct perf_sample {
	double pps;
	double cpp;		/* TSC cycles per packet */
	double ocpp;		/* on-CPU TSC cycles per packet */
	double share;		/* CPU time the measuring lcores got */
	double aux;		/* stream: the generator's rate */
};

struct perf_result {
	struct perf_sample s[PERF_NB_KIND][PERF_RUNS];
	unsigned int n[PERF_NB_KIND];
	bool skipped;
};

struct perf_sustain {
	double rate[PERF_SUSTAIN_S];
	uint64_t nomem;
	unsigned int back;	/* mbufs in the pool afterwards */
	bool done;
};

static struct perf_target perf_tg[PERF_NB_KIND];
static struct perf_result perf_res[PERF_NB_MODES];
static struct perf_sustain perf_sus[PERF_NB_KIND];
static struct perf_sample perf_napi[2][PERF_NAPI_RUNS];
static bool perf_napi_done;
static struct rte_mempool *perf_tx_pool;
static struct rte_mempool *perf_rx_pool;
static unsigned int perf_worker = RTE_MAX_LCORE;
static RTE_ATOMIC(uint64_t) perf_rx_total;	/* drain: frames polled by all lcores */
static bool perf_have_mshot;

/* Generator frames: IPv4/UDP, PERF_FLOWS source ports. */
static uint8_t perf_gen_frames[PERF_FLOWS][PERF_MAX_FRAME];
static struct iovec perf_gen_iov[PERF_FLOWS];
static struct mmsghdr perf_gen_msgs[PERF_FLOWS];
static unsigned int perf_gen_next;

/* Tx frame written into every mbuf of the Tx pool and into the floor. */
static uint8_t perf_tx_frame[PERF_MAX_FRAME];

static uint64_t
perf_ms_to_tsc(uint64_t ms)
{
	return rte_get_tsc_hz() * ms / 1000;
}

/*
 * CPU time of the calling thread, in ns: its sum_exec_runtime, which also
 * holds the softirq work done in its context (unless the kernel accounts
 * IRQ time apart). Beside the TSC it tells how much of a timed loop the
 * thread was really running, and not preempted by another process.
 */
static int
perf_cpu_open(void)
{
	return open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

static uint64_t
perf_cpu_ns(int fd)
{
	char buf[96];
	ssize_t n;

	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoull(buf, NULL, 10);
}

/* The share of [t0, t1] (TSC) in which the thread ran [ns0, ns1]. */
static double
perf_share(uint64_t t0, uint64_t t1, uint64_t ns0, uint64_t ns1, int fd)
{
	double wall = (double)(t1 - t0) * 1e9 / rte_get_tsc_hz();

	if (fd < 0 || wall <= 0 || ns1 < ns0)
		return 1;
	return RTE_MIN(1.0, (double)(ns1 - ns0) / wall);
}

/* Kernel interface helpers */

static int
perf_ifreq(unsigned long req, struct ifreq *ifr)
{
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, req, ifr) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int
perf_if_up(const char *ifname)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ret = perf_ifreq(SIOCGIFFLAGS, &ifr);
	if (ret < 0)
		return ret;
	ifr.ifr_flags |= IFF_UP;
	return perf_ifreq(SIOCSIFFLAGS, &ifr);
}

static int
perf_if_txqlen(const char *ifname, int qlen)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ifr.ifr_qlen = qlen;
	return perf_ifreq(SIOCSIFTXQLEN, &ifr);
}

static int
perf_if_mac(const char *ifname, struct rte_ether_addr *mac)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ret = perf_ifreq(SIOCGIFHWADDR, &ifr);
	if (ret == 0)
		memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	return ret;
}

/* No IPv6 on the interface: no router solicitations or MLD in the counts. */
static void
perf_if_no_ipv6(const char *ifname)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 ifname);
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fputs("1\n", f);
	fclose(f);
}

static uint64_t
perf_if_counter(const char *ifname, const char *what)
{
	char path[128];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
		 ifname, what);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%" SCNu64, &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/*
 * The kernel's side of a target: the interface whose rx_packets count what
 * DPDK sent, and on which the generator sends to DPDK. For a tap it is the
 * tap; for af_packet, the other end of the veth pair.
 */
static const char *
perf_kernel_if(const struct perf_target *tg)
{
	return tg->kind == PERF_AFP ? tg->peer : tg->ifname;
}

/* rtnetlink, for the veth pair of net_af_packet */

struct perf_nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[256];
};

static void
perf_nl_init(struct perf_nl_req *req, unsigned short type,
	     unsigned short flags)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(sizeof(req->ifi));
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req->ifi.ifi_family = AF_UNSPEC;
}

static struct rtattr *
perf_nl_put(struct perf_nl_req *req, unsigned short type, const void *data,
	    size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)req +
					       NLMSG_ALIGN(req->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len != 0)
		memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) +
		RTA_ALIGN(rta->rta_len);
	return rta;
}

/* A nested attribute holds everything put after it. */
static void
perf_nl_nest_end(struct perf_nl_req *req, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)req + req->nh.nlmsg_len -
					 (char *)nest);
}

/* Send a request on a socket of its own: the first answer is its ack. */
static int
perf_nl_ack(struct perf_nl_req *req)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2 };
	char buf[1024];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n = -1;
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
	    sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) >= 0)
		n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		ret = -errno;
	else if (!NLMSG_OK(h, (unsigned int)n) || h->nlmsg_type != NLMSG_ERROR)
		ret = -EPROTO;
	else
		ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	close(fd);
	return ret;
}

/* ip link add <name> type veth peer name <peer> */
static int
perf_veth_add(const char *name, const char *peer)
{
	struct perf_nl_req req;
	struct ifinfomsg peer_ifi;
	struct rtattr *info, *data, *pr;

	perf_nl_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	perf_nl_put(&req, IFLA_IFNAME, name, strlen(name) + 1);
	info = perf_nl_put(&req, IFLA_LINKINFO, NULL, 0);
	perf_nl_put(&req, IFLA_INFO_KIND, "veth", strlen("veth"));
	data = perf_nl_put(&req, IFLA_INFO_DATA, NULL, 0);
	memset(&peer_ifi, 0, sizeof(peer_ifi));
	pr = perf_nl_put(&req, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
	perf_nl_put(&req, IFLA_IFNAME, peer, strlen(peer) + 1);
	perf_nl_nest_end(&req, pr);
	perf_nl_nest_end(&req, data);
	perf_nl_nest_end(&req, info);
	return perf_nl_ack(&req);
}

/* ip link del <name>: a veth pair goes with either end */
static int
perf_link_del(const char *name)
{
	struct perf_nl_req req;

	perf_nl_init(&req, RTM_DELLINK, 0);
	perf_nl_put(&req, IFLA_IFNAME, name, strlen(name) + 1);
	return perf_nl_ack(&req);
}

/* Frames */

static void
perf_frames_init(void)
{
	static const struct rte_ether_addr other = {
		.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };
	static const struct rte_ether_addr src = {
		.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)perf_tx_frame;
	unsigned int i;

	rte_ether_addr_copy(&other, &eh->dst_addr);
	rte_ether_addr_copy(&src, &eh->src_addr);
	eh->ether_type = rte_cpu_to_be_16(PERF_ETHERTYPE);
	for (i = sizeof(*eh); i < PERF_MAX_FRAME; i++)
		perf_tx_frame[i] = (uint8_t)i;
}

/* Generator frames for one interface and frame length. */
static void
perf_gen_frames_set(const struct rte_ether_addr *dst, uint16_t len)
{
	static const struct rte_ether_addr src = {
		.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
	unsigned int f;

	for (f = 0; f < PERF_FLOWS; f++) {
		uint8_t *p = perf_gen_frames[f];
		struct rte_ether_hdr *eh = (struct rte_ether_hdr *)p;
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
		uint16_t l3 = len - sizeof(*eh);

		memset(p, 0xa5, len);
		rte_ether_addr_copy(dst, &eh->dst_addr);
		rte_ether_addr_copy(&src, &eh->src_addr);
		eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(l3);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 1));
		ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 2));
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->src_port = rte_cpu_to_be_16(1024 + f);
		udp->dst_port = rte_cpu_to_be_16(9);
		udp->dgram_len = rte_cpu_to_be_16(l3 - sizeof(*ip));
		udp->dgram_cksum = 0;

		perf_gen_iov[f].iov_base = p;
		perf_gen_iov[f].iov_len = len;
		memset(&perf_gen_msgs[f], 0, sizeof(perf_gen_msgs[f]));
		perf_gen_msgs[f].msg_hdr.msg_iov = &perf_gen_iov[f];
		perf_gen_msgs[f].msg_hdr.msg_iovlen = 1;
	}
}

static int
perf_gen_open(const char *ifname)
{
	struct sockaddr_ll sll;
	int fd, one = 1, buf = PERF_SOCK_BUF;

	/* Protocol 0: the socket sends and receives nothing. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(ifname);
	if (sll.sll_ifindex == 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	return fd;
}

/*
 * Send up to count frames, or until the TSC passes end (0: no limit).
 * Returns the frames the tun driver queued; *dropped counts the calls that
 * failed because a tun queue was full (the frame at hand was dropped).
 */
static uint64_t
perf_gen_send(int sock, uint64_t count, uint64_t end, uint64_t *dropped)
{
	uint64_t sent = 0, drop = 0, tries = 0;
	unsigned int n;
	int ret;

	while (sent < count) {
		n = RTE_MIN(count - sent, (uint64_t)PERF_GEN_BATCH);
		n = RTE_MIN(n, PERF_FLOWS - perf_gen_next);
		ret = sendmmsg(sock, &perf_gen_msgs[perf_gen_next], n, 0);
		if (ret > 0) {
			sent += ret;
			perf_gen_next = (perf_gen_next + ret) % PERF_FLOWS;
		} else if (errno == ENOBUFS || errno == EAGAIN) {
			drop++;
			perf_gen_next = (perf_gen_next + 1) % PERF_FLOWS;
		} else if (errno != EINTR) {
			break;
		}
		if (end != 0 && (++tries & 15) == 0 && rte_rdtsc() >= end)
			break;
	}
	if (dropped != NULL)
		*dropped += drop;
	return sent;
}

/* The floor: io_uring on a TAP fd, nothing else */

static int
floor_ring_init(struct io_uring *ring, int fd, int *ring_fd, uint8_t *flags)
{
	struct io_uring_params p;
	int ret;

	/* The driver's ring set-up, so that both pay the same kernel costs. */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL |
		IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
	p.cq_entries = FLOOR_RING * 2;
	ret = io_uring_queue_init_params(FLOOR_RING, ring, &p);
	if (ret == -EINVAL) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = FLOOR_RING * 2;
		ret = io_uring_queue_init_params(FLOOR_RING, ring, &p);
	}
	if (ret < 0)
		return ret;
	if (io_uring_register_files(ring, &fd, 1) == 0) {
		*ring_fd = 0;
		*flags = IOSQE_FIXED_FILE;
	} else {
		*ring_fd = fd;
		*flags = 0;
	}
	return 0;
}

static bool
floor_mshot_supported(void)
{
	struct io_uring_probe *probe;
	struct io_uring ring;
	bool ret = false;

	if (io_uring_queue_init(2, &ring, 0) != 0)
		return false;
	probe = io_uring_get_probe_ring(&ring);
	if (probe != NULL) {
		ret = probe->last_op >= FLOOR_OP_READ_MULTISHOT &&
			io_uring_opcode_supported(probe, FLOOR_OP_READ_MULTISHOT);
		io_uring_free_probe(probe);
	}
	io_uring_queue_exit(&ring);
	return ret;
}

/* Completions the kernel holds back until this thread enters it. */
static inline void
floor_flush(struct io_uring *ring)
{
	if (IO_URING_READ_ONCE(*ring->sq.kflags) &
	    (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW))
		io_uring_enter(ring->ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL);
}

static unsigned int
floor_tun_features(void)
{
	unsigned int features = 0;
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (ioctl(fd, TUNGETFEATURES, &features) < 0)
		features = 0;
	close(fd);
	return features;
}

static int
floor_tun_open(const char *ifname, unsigned int flags)
{
	struct ifreq ifr;
	int fd, hdr = VNET_HDR_LEN;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = flags;
	strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 ||
	    ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, 0) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

static int
floor_q_init(struct floor_q *fq)
{
	int ret;

	ret = floor_ring_init(&fq->tx, fq->fd, &fq->tx_fd, &fq->tx_flags);
	if (ret < 0)
		return ret;
	fq->tx_ok = true;
	ret = floor_ring_init(&fq->rx, fq->fd, &fq->rx_fd, &fq->rx_flags);
	if (ret < 0)
		return ret;
	fq->rx_ok = true;
	fq->frame = aligned_alloc(RTE_CACHE_LINE_SIZE,
				  RTE_ALIGN_CEIL(FLOOR_BUF, RTE_CACHE_LINE_SIZE));
	fq->bufs = aligned_alloc(4096, (size_t)FLOOR_RING * FLOOR_BUF);
	if (fq->frame == NULL || fq->bufs == NULL)
		return -ENOMEM;
	memset(fq->frame, 0, VNET_HDR_LEN);
	memcpy(fq->frame + VNET_HDR_LEN, perf_tx_frame, PERF_MAX_FRAME);
	if (perf_have_mshot) {
		struct io_uring_buf_reg reg;
		unsigned int b;

		fq->br = aligned_alloc(4096, RTE_ALIGN_CEIL(FLOOR_RING *
				sizeof(struct io_uring_buf), 4096));
		if (fq->br == NULL)
			return -ENOMEM;
		io_uring_buf_ring_init(fq->br);
		memset(&reg, 0, sizeof(reg));
		reg.ring_addr = (uintptr_t)fq->br;
		reg.ring_entries = FLOOR_RING;
		reg.bgid = FLOOR_BGID;
		if (io_uring_register_buf_ring(&fq->rx, &reg, 0) == 0) {
			for (b = 0; b < FLOOR_RING; b++)
				io_uring_buf_ring_add(fq->br,
					fq->bufs + (size_t)b * FLOOR_BUF,
					FLOOR_BUF, b,
					io_uring_buf_ring_mask(FLOOR_RING), b);
			io_uring_buf_ring_advance(fq->br, FLOOR_RING);
			fq->mshot = true;
		}
	}
	return 0;
}

static void
floor_q_fini(struct floor_q *fq)
{
	/* Closing a ring cancels what it has in flight. */
	if (fq->rx_ok)
		io_uring_queue_exit(&fq->rx);
	if (fq->tx_ok)
		io_uring_queue_exit(&fq->tx);
	fq->rx_ok = false;
	fq->tx_ok = false;
	if (fq->fd >= 0)
		close(fq->fd);
	fq->fd = -1;
	free(fq->br);
	free(fq->bufs);
	free(fq->frame);
	fq->br = NULL;
	fq->bufs = NULL;
	fq->frame = NULL;
}

/* Post every read (or arm the multishot read), from the polling thread. */
static void
floor_rx_arm(struct floor_q *fq)
{
	struct io_uring_sqe *sqe;
	unsigned int b;

	if (fq->mshot) {
		sqe = io_uring_get_sqe(&fq->rx);
		if (sqe == NULL)
			return;
		io_uring_prep_rw(FLOOR_OP_READ_MULTISHOT, sqe, fq->rx_fd,
				 NULL, 0, 0);
		sqe->flags |= fq->rx_flags | IOSQE_BUFFER_SELECT;
		sqe->buf_group = FLOOR_BGID;
		sqe->user_data = FLOOR_MSHOT_UDATA;
	} else {
		for (b = 0; b < FLOOR_RING; b++) {
			sqe = io_uring_get_sqe(&fq->rx);
			if (sqe == NULL)
				break;
			io_uring_prep_read(sqe, fq->rx_fd,
					   fq->bufs + (size_t)b * FLOOR_BUF,
					   FLOOR_BUF, 0);
			sqe->flags |= fq->rx_flags;
			sqe->user_data = b;
		}
	}
	io_uring_submit(&fq->rx);
	fq->armed = true;
}

/* Frames read since the last call; buffers go straight back to the kernel. */
static uint16_t
floor_rx_poll(struct floor_q *fq)
{
	struct io_uring_cqe *cqes[PERF_BURST];
	struct io_uring *ring = &fq->rx;
	struct io_uring_sqe *sqe;
	unsigned int n, i, nb_buf = 0, reposted = 0;
	uint16_t got = 0;

	n = io_uring_peek_batch_cqe(ring, cqes, PERF_BURST);
	if (n == 0) {
		floor_flush(ring);
		n = io_uring_peek_batch_cqe(ring, cqes, PERF_BURST);
	}
	if (n == 0) {
		if (!fq->armed)
			floor_rx_arm(fq);
		return 0;
	}
	for (i = 0; i < n; i++) {
		const struct io_uring_cqe *cqe = cqes[i];
		uint32_t b;

		if (fq->mshot) {
			if (!(cqe->flags & IORING_CQE_F_MORE))
				fq->armed = false;
			if (!(cqe->flags & IORING_CQE_F_BUFFER))
				continue;
			b = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
			io_uring_buf_ring_add(fq->br,
				fq->bufs + (size_t)b * FLOOR_BUF, FLOOR_BUF, b,
				io_uring_buf_ring_mask(FLOOR_RING), nb_buf++);
		} else {
			b = (uint32_t)cqe->user_data;
			sqe = io_uring_get_sqe(ring);
			if (sqe != NULL) {
				io_uring_prep_read(sqe, fq->rx_fd,
					fq->bufs + (size_t)b * FLOOR_BUF,
					FLOOR_BUF, 0);
				sqe->flags |= fq->rx_flags;
				sqe->user_data = b;
				reposted++;
			}
		}
		if (cqe->res > (int)VNET_HDR_LEN)
			got++;
	}
	io_uring_cq_advance(ring, n);
	if (nb_buf > 0)
		io_uring_buf_ring_advance(fq->br, nb_buf);
	if (fq->mshot && !fq->armed)
		floor_rx_arm(fq);
	else if (reposted > 0)
		io_uring_submit(ring);
	return got;
}

/* Writes completed since the last call. */
static uint32_t
floor_tx_reap(struct floor_q *fq, uint32_t len)
{
	struct io_uring_cqe *cqes[FLOOR_CQE_BATCH];
	uint32_t n, i, done = 0;

	floor_flush(&fq->tx);
	n = io_uring_peek_batch_cqe(&fq->tx, cqes, FLOOR_CQE_BATCH);
	for (i = 0; i < n; i++)
		done += cqes[i]->res == (int)len;
	if (n > 0) {
		io_uring_cq_advance(&fq->tx, n);
		fq->tx_inflight -= n;
	}
	return done;
}

/* Jobs, run by one lcore each */

static int
perf_tx_job(void *arg)
{
	struct perf_job *job = arg;
	struct perf_target *tg = job->tg;
	uint64_t start, end, now, sent = 0, nomem = 0, ns0;
	uint16_t len = job->frame_len, n, i;
	int cfd = perf_cpu_open();

	ns0 = perf_cpu_ns(cfd);
	start = rte_rdtsc();
	end = start + job->duration;
	if (tg->kind == PERF_FLOOR) {
		struct floor_q *fq = &tg->fq[job->queue];
		uint32_t wlen = len + VNET_HDR_LEN;
		struct io_uring_sqe *sqe;

		/* Batches of PERF_BURST writes, one submit each. */
		do {
			sent += floor_tx_reap(fq, wlen);
			if (fq->tx_inflight + PERF_BURST <= FLOOR_RING) {
				for (i = 0; i < PERF_BURST; i++) {
					sqe = io_uring_get_sqe(&fq->tx);
					if (sqe == NULL)
						break;
					io_uring_prep_write(sqe, fq->tx_fd,
							    fq->frame, wlen, 0);
					sqe->flags |= fq->tx_flags;
				}
				fq->tx_inflight += i;
				io_uring_submit(&fq->tx);
			}
			now = rte_rdtsc();
		} while (now < end);
		sent += floor_tx_reap(fq, wlen);
	} else {
		struct rte_mbuf *pkts[PERF_BURST];

		do {
			if (rte_pktmbuf_alloc_bulk(perf_tx_pool, pkts,
						   PERF_BURST) != 0) {
				nomem++;
				/* Lets the driver give back what it holds. */
				rte_eth_tx_burst(tg->port, job->queue, pkts, 0);
			} else {
				for (i = 0; i < PERF_BURST; i++) {
					pkts[i]->data_len = len;
					pkts[i]->pkt_len = len;
				}
				n = rte_eth_tx_burst(tg->port, job->queue,
						     pkts, PERF_BURST);
				if (n < PERF_BURST)
					rte_pktmbuf_free_bulk(&pkts[n],
							      PERF_BURST - n);
				sent += n;
			}
			now = rte_rdtsc();
		} while (now < end);
	}
	job->cycles = now - start;
	job->packets = sent;
	job->nomem = nomem;
	job->share = perf_share(start, rte_rdtsc(), ns0, perf_cpu_ns(cfd), cfd);
	if (cfd >= 0)
		close(cfd);
	rte_atomic_store_explicit(&job->done, 1, rte_memory_order_release);
	return 0;
}

static inline uint16_t
perf_rx_poll(struct perf_target *tg, uint16_t queue)
{
	struct rte_mbuf *pkts[PERF_BURST];
	uint16_t n;

	if (tg->kind == PERF_FLOOR)
		return floor_rx_poll(&tg->fq[queue]);
	n = rte_eth_rx_burst(tg->port, queue, pkts, PERF_BURST);
	if (n > 0)
		rte_pktmbuf_free_bulk(pkts, n);
	return n;
}

/* Drain the backlog; the timing starts at frame PERF_SKIP of this queue. */
static int
perf_drain_job(void *arg)
{
	struct perf_job *job = arg;
	uint64_t idle = perf_ms_to_tsc(PERF_IDLE_MS);
	uint64_t now, last, t_win = 0, got = 0, got_win = 0, ns0 = 0;
	int cfd = perf_cpu_open();
	uint16_t n;

	last = rte_rdtsc();
	for (;;) {
		n = perf_rx_poll(job->tg, job->queue);
		now = rte_rdtsc();
		if (n > 0) {
			got += n;
			rte_atomic_fetch_add_explicit(&perf_rx_total, n, rte_memory_order_relaxed);
			if (t_win == 0 && got >= PERF_SKIP) {
				ns0 = perf_cpu_ns(cfd);
				t_win = rte_rdtsc();
				got_win = got;
			}
			last = now;
		} else if (rte_atomic_load_explicit(&perf_rx_total, rte_memory_order_relaxed) >=
			   job->expected || now - last > idle) {
			break;
		}
	}
	job->received = got;
	job->packets = t_win != 0 ? got - got_win : 0;
	job->cycles = t_win != 0 && last > t_win ? last - t_win : 0;
	job->share = t_win != 0 ? perf_share(t_win, rte_rdtsc(), ns0,
					     perf_cpu_ns(cfd), cfd) : 1;
	if (cfd >= 0)
		close(cfd);
	rte_atomic_store_explicit(&job->done, 1, rte_memory_order_release);
	return 0;
}

/* Poll for a fixed time (generator running elsewhere), or flush leftovers. */
static int
perf_poll_job(void *arg)
{
	struct perf_job *job = arg;
	uint64_t start, end, now, got = 0, last, ns0;
	uint64_t quiet = perf_ms_to_tsc(PERF_FLUSH_MS);
	int cfd = perf_cpu_open();
	uint16_t n;

	ns0 = perf_cpu_ns(cfd);
	start = rte_rdtsc();
	end = start + job->duration;
	last = start;
	do {
		n = perf_rx_poll(job->tg, job->queue);
		now = rte_rdtsc();
		got += n;
		if (n > 0)
			last = now;
		/* duration 0: until nothing came for PERF_FLUSH_MS */
		if (job->duration == 0 && now - last > quiet)
			break;
	} while (job->duration == 0 || now < end);
	job->cycles = now - start;
	job->packets = got;
	job->share = perf_share(start, rte_rdtsc(), ns0, perf_cpu_ns(cfd), cfd);
	if (cfd >= 0)
		close(cfd);
	rte_atomic_store_explicit(&job->done, 1, rte_memory_order_release);
	return 0;
}

/* Wait for a worker without spinning on the main lcore's core. */
static void
perf_wait(struct perf_job *job)
{
	while (rte_atomic_load_explicit(&job->done, rte_memory_order_acquire) == 0)
		usleep(1000);
	rte_eal_wait_lcore(perf_worker);
}

/*
 * Run fn for nb jobs: one job runs on the worker lcore (the main lcore is
 * free for the generator and the counters), two run on both lcores.
 */
static void
perf_run(lcore_function_t *fn, struct perf_job *jobs, uint16_t nb)
{
	uint16_t i;

	for (i = 0; i < nb; i++)
		jobs[i].done = 0;
	if (perf_worker == RTE_MAX_LCORE) {
		fn(&jobs[0]);
		return;
	}
	if (nb == 1) {
		rte_eal_remote_launch(fn, &jobs[0], perf_worker);
		perf_wait(&jobs[0]);
		return;
	}
	rte_eal_remote_launch(fn, &jobs[1], perf_worker);
	fn(&jobs[0]);
	perf_wait(&jobs[1]);
}

/* Targets */

static int
perf_dpdk_queues(struct perf_target *tg, uint16_t nb_q)
{
	struct rte_eth_conf conf;
	uint16_t q;
	int ret;

	if (tg->nb_q == nb_q)
		return 0;
	if (tg->nb_q != 0) {
		ret = rte_eth_dev_stop(tg->port);
		if (ret != 0)
			return ret;
	}
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(tg->port, nb_q, nb_q, &conf);
	if (ret != 0)
		return ret;
	for (q = 0; q < nb_q; q++) {
		ret = rte_eth_rx_queue_setup(tg->port, q, PERF_NB_DESC,
					     rte_eth_dev_socket_id(tg->port),
					     NULL, perf_rx_pool);
		if (ret != 0)
			return ret;
		ret = rte_eth_tx_queue_setup(tg->port, q, PERF_NB_DESC,
					     rte_eth_dev_socket_id(tg->port),
					     NULL);
		if (ret != 0)
			return ret;
	}
	ret = rte_eth_dev_start(tg->port);
	if (ret != 0)
		return ret;
	tg->nb_q = nb_q;
	return 0;
}

static int
perf_floor_queues(struct perf_target *tg, uint16_t nb_q)
{
	struct ifreq ifr;
	uint16_t q;

	/* A detached queue gets no frames from the kernel. */
	for (q = 0; q < PERF_MAX_Q; q++) {
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = q < nb_q ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE;
		if (ioctl(tg->fq[q].fd, TUNSETQUEUE, &ifr) < 0 &&
		    errno != EINVAL)
			return -errno;
	}
	tg->nb_q = nb_q;
	return 0;
}

static int
perf_vdev_make(struct perf_target *tg, const char *args)
{
	int ret;

	ret = rte_vdev_init(tg->vdev, args);
	if (ret != 0)
		return ret;
	tg->vdev_made = true;
	return rte_eth_dev_get_port_by_name(tg->vdev, &tg->port);
}

static void
perf_vdev_drop(struct perf_target *tg)
{
	if (!tg->vdev_made)
		return;
	if (tg->nb_q != 0)
		rte_eth_dev_stop(tg->port);
	rte_eth_dev_close(tg->port);
	rte_vdev_uninit(tg->vdev);
	tg->vdev_made = false;
	tg->nb_q = 0;
}

/*
 * net_af_packet makes its sockets, one per queue pair, when it probes, and
 * closes them when the port stops: a port of its own for each number of
 * queues.
 */
static int
perf_afp_queues(struct perf_target *tg, uint16_t nb_q)
{
	char args[128];
	int ret;

	if (tg->nb_q == nb_q)
		return 0;
	perf_vdev_drop(tg);
	snprintf(args, sizeof(args),
		 "iface=%s,qpairs=%u,blocksz=4096,framesz=2048,framecnt=%u",
		 tg->ifname, nb_q, PERF_AFP_FRAMES);
	ret = perf_vdev_make(tg, args);
	if (ret != 0)
		return ret;
	return perf_dpdk_queues(tg, nb_q);
}

static int
perf_queues(struct perf_target *tg, uint16_t nb_q)
{
	if (tg->kind == PERF_FLOOR)
		return perf_floor_queues(tg, nb_q);
	if (tg->kind == PERF_AFP)
		return perf_afp_queues(tg, nb_q);
	return perf_dpdk_queues(tg, nb_q);
}

static int
perf_target_setup(struct perf_target *tg, enum perf_kind kind)
{
	unsigned int pid = (unsigned int)getpid() % 100000;
	uint16_t q;
	int ret;

	tg->kind = kind;
	tg->gen = -1;
	tg->fq[0].fd = -1;
	tg->fq[1].fd = -1;
	snprintf(tg->ifname, sizeof(tg->ifname), "%s%u",
		 kind == PERF_RTAP ? "rpr" : kind == PERF_TAP ? "rpt" :
		 kind == PERF_AFP ? "rpa" : tg->napi ? "rpn" : "rpf", pid);

	if (kind == PERF_FLOOR) {
		unsigned int flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
			IFF_MULTI_QUEUE;

		/*
		 * The flags net_rtap uses, but NAPI only where asked for:
		 * the floor is the best the kernel allows, and NAPI makes
		 * writes to a tap dearer (see perf_napi_check).
		 */
		if (tg->napi && (floor_tun_features() & IFF_NAPI))
			flags |= IFF_NAPI;
		for (q = 0; q < PERF_MAX_Q; q++) {
			ret = floor_tun_open(tg->ifname, flags);
			if (ret < 0)
				return ret;
			tg->fq[q].fd = ret;
		}
		for (q = 0; q < PERF_MAX_Q; q++) {
			ret = floor_q_init(&tg->fq[q]);
			if (ret < 0)
				return ret;
		}
	} else if (kind == PERF_AFP) {
		snprintf(tg->peer, sizeof(tg->peer), "rpb%u", pid);
		snprintf(tg->vdev, sizeof(tg->vdev), "net_af_packet_perf%u",
			 pid);
		ret = perf_veth_add(tg->ifname, tg->peer);
		if (ret < 0)
			return ret;
		tg->veth_made = true;
		/* net_af_packet does not bring its interface up. */
		perf_if_no_ipv6(tg->peer);
		ret = perf_if_up(tg->peer);
		if (ret == 0)
			ret = perf_if_up(tg->ifname);
		if (ret < 0)
			return ret;
	} else {
		char args[64];

		snprintf(tg->vdev, sizeof(tg->vdev), "%s_perf%u",
			 kind == PERF_RTAP ? "net_rtap" : "net_tap", pid);
		snprintf(args, sizeof(args), "iface=%s", tg->ifname);
		ret = perf_vdev_make(tg, args);
		if (ret != 0)
			return ret;
	}
	perf_if_no_ipv6(tg->ifname);
	ret = perf_if_txqlen(tg->ifname, PERF_TXQLEN);
	if (ret < 0)
		return ret;
	ret = perf_queues(tg, 1);
	if (ret < 0)
		return ret;
	if (kind == PERF_FLOOR) {
		ret = perf_if_up(tg->ifname);
		if (ret < 0)
			return ret;
	}
	ret = perf_if_mac(tg->ifname, &tg->mac);
	if (ret < 0)
		return ret;
	ret = perf_gen_open(perf_kernel_if(tg));
	if (ret < 0)
		return ret;
	tg->gen = ret;
	tg->ready = true;
	return 0;
}

static void
perf_target_teardown(struct perf_target *tg)
{
	unsigned int i;
	uint16_t q;

	if (tg->gen >= 0)
		close(tg->gen);
	tg->gen = -1;
	if (tg->kind == PERF_FLOOR) {
		for (q = 0; q < PERF_MAX_Q; q++)
			floor_q_fini(&tg->fq[q]);
	} else {
		perf_vdev_drop(tg);
	}
	if (tg->veth_made && perf_link_del(tg->ifname) < 0)
		printf("%s: cannot delete veth %s\n", perf_kind_name[tg->kind],
		       tg->ifname);
	tg->veth_made = false;
	tg->nb_q = 0;
	tg->ready = false;
	/*
	 * A ring lets go of its files in a kernel worker, after the exit
	 * call: the interface goes with the last of them, a little later.
	 */
	for (i = 0; tg->ifname[0] != '\0' && if_nametoindex(tg->ifname) != 0;
	     i++) {
		if (i == PERF_GONE_MS) {
			printf("%s: interface %s still there after %u ms\n",
			       perf_kind_name[tg->kind], tg->ifname,
			       PERF_GONE_MS);
			break;
		}
		usleep(1000);
	}
}

/* Samples */

static void
perf_sample_tx(struct perf_target *tg, const struct perf_mode *m,
	       uint64_t ms, struct perf_sample *s)
{
	struct perf_job jobs[PERF_MAX_Q];
	uint64_t c0, c1, cycles = 0, longest = 0;
	double oncpu = 0;
	uint16_t q;

	memset(jobs, 0, sizeof(jobs));
	for (q = 0; q < m->nb_q; q++) {
		jobs[q].tg = tg;
		jobs[q].queue = q;
		jobs[q].frame_len = m->frame_len;
		jobs[q].duration = perf_ms_to_tsc(ms);
	}
	c0 = perf_if_counter(perf_kernel_if(tg), "rx_packets");
	perf_run(perf_tx_job, jobs, m->nb_q);
	c1 = perf_if_counter(perf_kernel_if(tg), "rx_packets");
	for (q = 0; q < m->nb_q; q++) {
		cycles += jobs[q].cycles;
		oncpu += jobs[q].cycles * jobs[q].share;
		longest = RTE_MAX(longest, jobs[q].cycles);
	}
	s->pps = longest > 0 ?
		(double)(c1 - c0) * rte_get_tsc_hz() / longest : 0;
	s->cpp = c1 > c0 ? (double)cycles / (c1 - c0) : 0;
	s->ocpp = c1 > c0 ? oncpu / (c1 - c0) : 0;
	s->share = cycles > 0 ? oncpu / cycles : 0;
	s->aux = 0;
}

/* Leftovers of a sample are read away by the lcores that poll the queues. */
static void
perf_flush(struct perf_target *tg, uint16_t nb_q)
{
	struct perf_job jobs[PERF_MAX_Q];
	uint16_t q;

	memset(jobs, 0, sizeof(jobs));
	for (q = 0; q < nb_q; q++) {
		jobs[q].tg = tg;
		jobs[q].queue = q;
	}
	perf_run(perf_poll_job, jobs, nb_q);
}

static void
perf_sample_rx(struct perf_target *tg, const struct perf_mode *m,
	       uint64_t ms, struct perf_sample *s)
{
	struct perf_job jobs[PERF_MAX_Q];
	uint64_t end = rte_rdtsc() + perf_ms_to_tsc(ms);
	uint64_t pk[PERF_MAX_Q] = { 0 }, cy[PERF_MAX_Q] = { 0 };
	uint64_t sent, all_pk = 0, all_cy = 0, lost = 0;
	double pps = 0, oncpu = 0;
	uint16_t q;

	perf_gen_frames_set(&tg->mac, m->frame_len);
	do {
		memset(jobs, 0, sizeof(jobs));
		rte_atomic_store_explicit(&perf_rx_total, 0, rte_memory_order_relaxed);
		sent = perf_gen_send(tg->gen, (uint64_t)m->nb_q * PERF_PRELOAD,
				     0, NULL);
		for (q = 0; q < m->nb_q; q++) {
			jobs[q].tg = tg;
			jobs[q].queue = q;
			jobs[q].expected = sent;
		}
		perf_run(perf_drain_job, jobs, m->nb_q);
		for (q = 0; q < m->nb_q; q++) {
			pk[q] += jobs[q].packets;
			cy[q] += jobs[q].cycles;
			oncpu += jobs[q].cycles * jobs[q].share;
		}
		if (perf_rx_total < sent)
			lost += sent - perf_rx_total;
	} while (rte_rdtsc() < end);
	for (q = 0; q < m->nb_q; q++) {
		if (cy[q] > 0)
			pps += (double)pk[q] * rte_get_tsc_hz() / cy[q];
		all_pk += pk[q];
		all_cy += cy[q];
	}
	if (lost > 0) {
		printf("  %s: %" PRIu64 " queued frames never arrived\n",
		       perf_kind_name[tg->kind], lost);
		perf_flush(tg, m->nb_q);
	}
	s->pps = pps;
	s->cpp = all_pk > 0 ? (double)all_cy / all_pk : 0;
	s->ocpp = all_pk > 0 ? oncpu / all_pk : 0;
	s->share = all_cy > 0 ? oncpu / all_cy : 0;
	s->aux = 0;
}

static void
perf_sample_stream(struct perf_target *tg, const struct perf_mode *m,
		   uint64_t ms, struct perf_sample *s)
{
	struct perf_job job;
	uint64_t dur = perf_ms_to_tsc(ms), start, sent, drop = 0;

	perf_gen_frames_set(&tg->mac, m->frame_len);
	memset(&job, 0, sizeof(job));
	job.tg = tg;
	job.duration = dur;
	job.done = 0;
	rte_eal_remote_launch(perf_poll_job, &job, perf_worker);
	start = rte_rdtsc();
	sent = perf_gen_send(tg->gen, UINT64_MAX, start + dur, &drop);
	perf_wait(&job);
	s->pps = job.cycles > 0 ?
		(double)job.packets * rte_get_tsc_hz() / job.cycles : 0;
	s->cpp = job.packets > 0 ? (double)job.cycles / job.packets : 0;
	s->ocpp = s->cpp * job.share;
	s->share = job.share;
	s->aux = (double)sent * rte_get_tsc_hz() / (rte_rdtsc() - start);
	perf_flush(tg, 1);
}

static void
perf_sample(struct perf_target *tg, const struct perf_mode *m, uint64_t ms,
	    struct perf_sample *s)
{
	switch (m->dir) {
	case PERF_TX:
		perf_sample_tx(tg, m, ms, s);
		break;
	case PERF_RX:
		perf_sample_rx(tg, m, ms, s);
		break;
	case PERF_RX_STREAM:
		perf_sample_stream(tg, m, ms, s);
		break;
	}
}

/*
 * A drain of frames queued beforehand does not measure net_af_packet: the
 * kernel does all its work for a frame (the veth, the copy into the
 * socket's ring) when the frame is queued, so the drain would time reads
 * of memory. Its Rx is measured with the generator running.
 */
static bool
perf_applies(enum perf_kind k, const struct perf_mode *m)
{
	return perf_tg[k].ready && !(k == PERF_AFP && m->dir == PERF_RX);
}

/* Results */

static int
perf_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, minimum and maximum of one field of the samples. */
static void
perf_stats(const struct perf_result *r, enum perf_kind k, size_t off,
	   double *med, double *min, double *max)
{
	double v[PERF_RUNS];
	unsigned int i, n = r->n[k];

	*med = *min = *max = 0;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		v[i] = *(const double *)((const char *)&r->s[k][i] + off);
	qsort(v, n, sizeof(v[0]), perf_cmp_double);
	*min = v[0];
	*max = v[n - 1];
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define PERF_FIELD(f)	offsetof(struct perf_sample, f)

static double
perf_median(unsigned int mode, enum perf_kind k, size_t off)
{
	double med, min, max;

	perf_stats(&perf_res[mode], k, off, &med, &min, &max);
	return med;
}

static void
perf_print_ratio(double num, double den)
{
	if (num > 0 && den > 0)
		printf(" %8.2f", num / den);
	else
		printf(" %8s", "-");
}

/*
 * Table 0: packets per second (wall clock) and TSC cycles per packet.
 * Table 1: on-CPU cycles per packet and the share of CPU time the
 * measuring lcores got; the ratios are those of the costs (tap / rtap).
 */
static void
perf_print_mode(unsigned int i, int table)
{
	const struct perf_result *r = &perf_res[i];
	size_t off = table == 0 ? PERF_FIELD(pps) : PERF_FIELD(ocpp);
	double scale = table == 0 ? 1e6 : 1;
	double med[PERF_NB_KIND], lo, hi;
	char cell[40];
	unsigned int k;

	printf("%-17s", perf_modes[i].name);
	if (r->skipped) {
		printf(" (skipped: needs two lcores)\n");
		return;
	}
	for (k = 0; k < PERF_NB_KIND; k++) {
		perf_stats(r, k, off, &med[k], &lo, &hi);
		if (r->n[k] == 0)
			snprintf(cell, sizeof(cell), "%6s", "-");
		else if (table == 0)
			snprintf(cell, sizeof(cell), "%6.3f (%.3f-%.3f)",
				 med[k] / scale, lo / scale, hi / scale);
		else
			snprintf(cell, sizeof(cell), "%6.0f (%.0f-%.0f)",
				 med[k], lo, hi);
		printf(" %-22s", cell);
	}
	for (k = 0; k < PERF_NB_KIND; k++) {
		if (r->n[k] == 0)
			printf(" %6s", "-");
		else if (table == 0)
			printf(" %6.0f", perf_median(i, k, PERF_FIELD(cpp)));
		else
			printf(" %5.0f%%",
			       100 * perf_median(i, k, PERF_FIELD(share)));
	}
	for (k = 0; k < PERF_NB_KIND; k++) {
		if (k == PERF_RTAP)
			continue;
		if (table == 0)
			perf_print_ratio(med[PERF_RTAP], med[k]);
		else
			perf_print_ratio(med[k], med[PERF_RTAP]);
	}
	printf("\n");
}

static void
perf_print_header(int table)
{
	if (table == 0)
		printf("%-17s %-22s %-22s %-22s %-22s %6s %6s %6s %6s %8s %8s %8s\n",
		       "mode", "net_rtap Mpps", "net_tap Mpps", "floor Mpps",
		       "af_packet Mpps", "c/p rt", "c/p tp", "c/p fl",
		       "c/p af", "rtap/tap", "rt/floor", "rtap/af");
	else
		printf("%-17s %-22s %-22s %-22s %-22s %6s %6s %6s %6s %8s %8s %8s\n",
		       "mode", "net_rtap cyc/pkt", "net_tap cyc/pkt",
		       "floor cyc/pkt", "af_packet cyc/pkt", "cpu rt",
		       "cpu tp", "cpu fl", "cpu af", "tap/rtap", "fl/rtap",
		       "af/rtap");
}

static void
perf_print_machine(const char *when)
{
	char line[256], model[128] = "unknown";
	struct utsname u;
	FILE *f;

	f = fopen("/proc/cpuinfo", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			char *c = strchr(line, ':');

			if (strncmp(line, "model name", 10) == 0 && c != NULL) {
				strlcpy(model, c + 2, sizeof(model));
				model[strcspn(model, "\n")] = '\0';
				break;
			}
		}
		fclose(f);
	}
	if (uname(&u) != 0)
		strlcpy(u.release, "unknown", sizeof(u.release));
	line[0] = '\0';
	f = fopen("/proc/loadavg", "r");
	if (f != NULL) {
		if (fgets(line, sizeof(line), f) == NULL)
			line[0] = '\0';
		line[strcspn(line, "\n")] = '\0';
		fclose(f);
	}
	printf("%s: %d CPUs (%s), kernel %s, load average %s\n", when,
	       (int)sysconf(_SC_NPROCESSORS_ONLN), model, u.release, line);
}

/* Sustained Tx from a small pool */

static int
perf_sustained(struct perf_target *tg, struct perf_sustain *res)
{
	struct perf_job job;
	uint64_t hz = rte_get_tsc_hz(), t0, t, prev_t, c, prev_c;
	unsigned int sec, i;

	memset(&job, 0, sizeof(job));
	job.tg = tg;
	job.frame_len = 64;
	job.duration = hz * PERF_SUSTAIN_S + hz / 20;
	prev_c = perf_if_counter(perf_kernel_if(tg), "rx_packets");
	t0 = prev_t = rte_rdtsc();
	rte_eal_remote_launch(perf_tx_job, &job, perf_worker);
	for (sec = 1; sec <= PERF_SUSTAIN_S; sec++) {
		while ((t = rte_rdtsc()) < t0 + hz * sec)
			usleep(1000);
		c = perf_if_counter(perf_kernel_if(tg), "rx_packets");
		res->rate[sec - 1] = (double)(c - prev_c) * hz / (t - prev_t);
		prev_c = c;
		prev_t = t;
	}
	perf_wait(&job);
	res->nomem = job.nomem;
	/* What is still in flight comes back with the next bursts. */
	for (i = 0; i < 10; i++) {
		rte_eth_tx_burst(tg->port, 0, NULL, 0);
		usleep(1000);
	}
	res->back = rte_mempool_avail_count(perf_tx_pool);
	res->done = true;
	return res->back == PERF_TX_POOL &&
		res->rate[PERF_SUSTAIN_S - 1] > 0 ? 0 : -1;
}

/*
 * net_rtap asks the kernel for NAPI on its taps. Whether that pays is
 * measured here on the floor: Tx 64B, one queue, with and without it.
 */
static void
perf_napi_check(void)
{
	const struct perf_mode *m = &perf_modes[PERF_MODE_TX64_1Q];
	struct perf_target *plain = &perf_tg[PERF_FLOOR];
	struct perf_target napi;
	struct perf_sample s;
	unsigned int run;
	int ret;

	if (!plain->ready || !(floor_tun_features() & IFF_NAPI))
		return;
	memset(&napi, 0, sizeof(napi));
	napi.napi = true;
	ret = perf_target_setup(&napi, PERF_FLOOR);
	if (ret < 0) {
		printf("floor with IFF_NAPI: set-up failed: %s\n",
		       strerror(-ret));
		perf_target_teardown(&napi);
		return;
	}
	perf_sample(&napi, m, PERF_WARM_MS, &s);
	for (run = 0; run < PERF_NAPI_RUNS; run++) {
		perf_sample(plain, m, PERF_SAMPLE_MS, &s);
		perf_napi[0][run] = s;
		perf_sample(&napi, m, PERF_SAMPLE_MS, &s);
		perf_napi[1][run] = s;
	}
	perf_napi_done = true;
	perf_target_teardown(&napi);
}

static void
perf_print_napi(void)
{
	double v[2][PERF_NAPI_RUNS], c[2][PERF_NAPI_RUNS];
	unsigned int i, run;

	if (!perf_napi_done)
		return;
	for (i = 0; i < 2; i++) {
		for (run = 0; run < PERF_NAPI_RUNS; run++) {
			v[i][run] = perf_napi[i][run].pps;
			c[i][run] = perf_napi[i][run].ocpp;
		}
		qsort(v[i], PERF_NAPI_RUNS, sizeof(double), perf_cmp_double);
		qsort(c[i], PERF_NAPI_RUNS, sizeof(double), perf_cmp_double);
	}
	i = PERF_NAPI_RUNS / 2;
	printf("\nIFF_NAPI (net_rtap leaves it off), floor Tx 64B 1q, median of %u: without %.3f Mpps %.0f cyc/pkt, with %.3f Mpps %.0f cyc/pkt: %s\n",
	       PERF_NAPI_RUNS, v[0][i] / 1e6, c[0][i], v[1][i] / 1e6, c[1][i],
	       v[1][i] >= v[0][i] ? "NAPI wins" : "NAPI loses");
}

static void
perf_print_sustained(void)
{
	unsigned int k, s;

	printf("\nSustained Tx, 64B, 1 queue, %u-mbuf pool, %u s (Mpps per second):\n",
	       PERF_TX_POOL, PERF_SUSTAIN_S);
	for (k = 0; k < PERF_NB_KIND; k++) {
		const struct perf_sustain *r = &perf_sus[k];
		double first = r->rate[0], last = r->rate[PERF_SUSTAIN_S - 1];

		if (!r->done)
			continue;
		printf("  %-9s", perf_kind_name[k]);
		for (s = 0; s < PERF_SUSTAIN_S; s++)
			printf(" %6.3f", r->rate[s] / 1e6);
		printf("  last/first %.2f (%s), pool empty %" PRIu64 " times, %u/%u mbufs back\n",
		       first > 0 ? last / first : 0,
		       first > 0 && last >= 0.8 * first &&
		       last <= 1.2 * first ? "within 20%" : "NOT within 20%",
		       r->nomem, r->back, PERF_TX_POOL);
	}
}

/* A target ratio, from the rates and from the on-CPU costs. */
static void
perf_target_line(const char *what, unsigned int num_mode, enum perf_kind num,
		 unsigned int den_mode, enum perf_kind den, double target)
{
	double rn = perf_median(num_mode, num, PERF_FIELD(pps));
	double rd = perf_median(den_mode, den, PERF_FIELD(pps));
	double cn = perf_median(num_mode, num, PERF_FIELD(ocpp));
	double cd = perf_median(den_mode, den, PERF_FIELD(ocpp));
	double by_rate = rd > 0 ? rn / rd : 0;
	/*
	 * Between queue counts, what the lcores would move if each had its
	 * core to itself: the scaling that preemption does not distort.
	 */
	double by_cost = cn > 0 ? cd / cn * perf_modes[num_mode].nb_q /
		perf_modes[den_mode].nb_q : 0;

	printf("  %-40s %6.2f", what, by_rate);
	if (by_cost > 0)
		printf(" %6.2f", by_cost);
	else
		printf(" %6s", "");
	if (target <= 0) {
		printf("   (no target)\n");
		return;
	}
	printf("   >= %.2f: %s\n", target,
	       by_rate <= 0 ? "not measured" :
	       by_rate >= target ? "met" :
	       by_cost >= target ? "met by cost only" : "NOT met");
}

static void
perf_report(void)
{
	unsigned int i, k;

	printf("\nPackets per second, wall clock: median of %u alternating runs (min-max), Mpps;\nc/p: TSC cycles per packet of the measuring lcores (median)\n",
	       PERF_RUNS);
	perf_print_header(0);
	for (i = 0; i < PERF_NB_MODES; i++)
		perf_print_mode(i, 0);
	printf("\nCost: on-CPU TSC cycles per packet (cycles the measuring lcores were running,\nkernel work in their context included), median (min-max); cpu: share of the\n"
	       "timed cycles they were running (the rest went to other processes)\n");
	perf_print_header(1);
	for (i = 0; i < PERF_NB_MODES; i++)
		perf_print_mode(i, 1);
	printf("Rx stream: the generator's rate (Mpps, median):");
	for (k = 0; k < PERF_NB_KIND; k++)
		printf(" %s %.3f", perf_kind_name[k],
		       perf_median(PERF_MODE_STREAM, k, PERF_FIELD(aux)) / 1e6);
	printf("\n");
	perf_print_sustained();
	perf_print_napi();

	printf("\nTargets: %-32s %6s %6s\n", "", "rate", "cost");
	perf_target_line("Tx 64B 1q, net_rtap / net_tap", PERF_MODE_TX64_1Q,
			 PERF_RTAP, PERF_MODE_TX64_1Q, PERF_TAP, 3);
	perf_target_line("Tx 64B 1q, net_rtap / floor", PERF_MODE_TX64_1Q,
			 PERF_RTAP, PERF_MODE_TX64_1Q, PERF_FLOOR, 0.85);
	perf_target_line("Rx 64B 1q, net_rtap / net_tap", PERF_MODE_RX64_1Q,
			 PERF_RTAP, PERF_MODE_RX64_1Q, PERF_TAP, 3);
	perf_target_line("Rx 64B 1q, net_rtap / floor", PERF_MODE_RX64_1Q,
			 PERF_RTAP, PERF_MODE_RX64_1Q, PERF_FLOOR, 0.85);
	for (k = 0; k < PERF_NB_KIND; k++) {
		char what[64];

		snprintf(what, sizeof(what), "Tx 64B, %s, 2 queues / 1",
			 perf_kind_name[k]);
		perf_target_line(what, PERF_MODE_TX64_2Q, k,
				 PERF_MODE_TX64_1Q, k, 1.7);
		if (!perf_applies(k, &perf_modes[PERF_MODE_RX64_2Q]))
			continue;
		snprintf(what, sizeof(what), "Rx 64B, %s, 2 queues / 1",
			 perf_kind_name[k]);
		perf_target_line(what, PERF_MODE_RX64_2Q, k,
				 PERF_MODE_RX64_1Q, k, 1.7);
	}
	perf_target_line("Tx 64B 1q, net_rtap / net_af_packet",
			 PERF_MODE_TX64_1Q, PERF_RTAP, PERF_MODE_TX64_1Q,
			 PERF_AFP, 0);
	perf_target_line("Rx stream 64B 1q, net_rtap / af_packet",
			 PERF_MODE_STREAM, PERF_RTAP, PERF_MODE_STREAM,
			 PERF_AFP, 0);
}

/* One mode: warm every target up, then alternate them PERF_RUNS times. */
static int
perf_mode_run(unsigned int i)
{
	const struct perf_mode *m = &perf_modes[i];
	struct perf_result *r = &perf_res[i];
	struct perf_sample s;
	unsigned int k, run;
	int ret;

	if ((m->nb_q > 1 || m->dir == PERF_RX_STREAM) &&
	    perf_worker == RTE_MAX_LCORE) {
		r->skipped = true;
		return 0;
	}
	for (k = 0; k < PERF_NB_KIND; k++) {
		if (!perf_applies(k, m))
			continue;
		ret = perf_queues(&perf_tg[k], m->nb_q);
		if (ret < 0) {
			printf("%s: cannot set up %u queue(s): %s\n",
			       perf_kind_name[k], m->nb_q, strerror(-ret));
			return ret;
		}
		perf_sample(&perf_tg[k], m, PERF_WARM_MS, &s);
	}
	for (run = 0; run < PERF_RUNS; run++) {
		for (k = 0; k < PERF_NB_KIND; k++) {
			if (!perf_applies(k, m))
				continue;
			perf_sample(&perf_tg[k], m, PERF_SAMPLE_MS, &s);
			r->s[k][r->n[k]++] = s;
		}
	}
	perf_print_mode(i, 0);
	fflush(stdout);
	return 0;
}

/* Every mbuf of the Tx pool carries the Tx frame from the start. */
static void
perf_fill_mbuf(struct rte_mempool *mp __rte_unused, void *arg __rte_unused,
	       void *obj, unsigned int idx __rte_unused)
{
	struct rte_mbuf *m = obj;

	memcpy(rte_pktmbuf_mtod(m, void *), perf_tx_frame, PERF_MAX_FRAME);
}

static int
perf_check(void)
{
	struct io_uring ring;
	int fd, ret;

	if (geteuid() != 0) {
		printf("rtap_perf_autotest needs root (TAP interfaces, AF_PACKET), skipped\n");
		return TEST_SKIPPED;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("rtap_perf_autotest: /dev/net/tun unusable (%s), skipped\n",
		       strerror(errno));
		return TEST_SKIPPED;
	}
	close(fd);
	ret = io_uring_queue_init(2, &ring, 0);
	if (ret < 0) {
		printf("rtap_perf_autotest: io_uring unavailable (%s), skipped\n",
		       strerror(-ret));
		return TEST_SKIPPED;
	}
	io_uring_queue_exit(&ring);
	return TEST_SUCCESS;
}

static int
test_rtap_perf(void)
{
	uint64_t start = rte_rdtsc();
	unsigned int i, k;
	int ret = TEST_FAILED;

	ret = perf_check();
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;

	perf_worker = rte_get_next_lcore(-1, 1, 0);
	perf_have_mshot = floor_mshot_supported();
	memset(perf_tg, 0, sizeof(perf_tg));
	memset(perf_res, 0, sizeof(perf_res));
	memset(perf_sus, 0, sizeof(perf_sus));
	perf_napi_done = false;
	perf_frames_init();

	perf_print_machine("start");
	printf("Rx reads: %s; %u Rx/Tx descriptors, bursts of %u, %u-frame backlog per queue\n",
	       perf_have_mshot ?
	       "one multishot read into provided buffers (kernel >= 6.7)" :
	       "one read per descriptor",
	       PERF_NB_DESC, PERF_BURST, PERF_PRELOAD);
	if (perf_worker == RTE_MAX_LCORE)
		printf("one lcore only: 2-queue and streaming modes are skipped (use -l 0-1)\n");

	perf_tx_pool = rte_pktmbuf_pool_create("rtap_perf_tx", PERF_TX_POOL,
			RTE_MEMPOOL_CACHE_MAX_SIZE, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	perf_rx_pool = rte_pktmbuf_pool_create("rtap_perf_rx", PERF_RX_POOL,
			RTE_MEMPOOL_CACHE_MAX_SIZE, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (perf_tx_pool == NULL || perf_rx_pool == NULL) {
		printf("cannot create mbuf pools: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	rte_mempool_obj_iter(perf_tx_pool, perf_fill_mbuf, NULL);

	for (k = 0; k < PERF_NB_KIND; k++) {
		ret = perf_target_setup(&perf_tg[k], k);
		if (ret < 0) {
			printf("%s: set-up of %s failed: %s\n",
			       perf_kind_name[k], perf_tg[k].ifname,
			       strerror(-ret));
			perf_target_teardown(&perf_tg[k]);
			if (k == PERF_RTAP) {
				ret = TEST_FAILED;
				goto out;
			}
			continue;
		}
		printf("%-9s interface %s\n", perf_kind_name[k],
		       perf_tg[k].ifname);
	}

	printf("\n");
	perf_print_header(0);
	for (i = 0; i < PERF_NB_MODES; i++) {
		if (i == PERF_MODE_TX64_2Q && perf_worker != RTE_MAX_LCORE) {
			/* Still one queue: the sustained run, NAPI or not. */
			perf_napi_check();
			for (k = 0; k < PERF_NB_KIND; k++)
				if (k != PERF_FLOOR && perf_tg[k].ready &&
				    perf_sustained(&perf_tg[k], &perf_sus[k]) < 0 &&
				    k == PERF_RTAP)
					printf("net_rtap: sustained Tx stalled or lost mbufs\n");
		}
		ret = perf_mode_run(i);
		if (ret < 0) {
			ret = TEST_FAILED;
			goto out;
		}
	}
	perf_print_machine("\nend");
	perf_report();
	printf("\nrun time %.0f s\n",
	       (double)(rte_rdtsc() - start) / rte_get_tsc_hz());
	ret = perf_sus[PERF_RTAP].done &&
		(perf_sus[PERF_RTAP].back != PERF_TX_POOL ||
		 perf_sus[PERF_RTAP].rate[PERF_SUSTAIN_S - 1] <= 0) ?
		TEST_FAILED : TEST_SUCCESS;
out:
	for (k = 0; k < PERF_NB_KIND; k++)
		perf_target_teardown(&perf_tg[k]);
	rte_mempool_free(perf_tx_pool);
	rte_mempool_free(perf_rx_pool);
	perf_tx_pool = NULL;
	perf_rx_pool = NULL;
	return ret;
}

REGISTER_PERF_TEST(rtap_perf_autotest, test_rtap_perf);
