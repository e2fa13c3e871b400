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
 * and everything else is ignored; IPv6 is also switched off on each test
 * interface so that the statistics can be checked exactly.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
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
#include <sys/syscall.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>
#include <rte_version.h>

#include "test.h"

#define RTAP_DRV		"net_rtap"
#define RTAP_ALIAS		"eth_rtap"
#define RTAP_MAX_QUEUES		128
#define RTAP_MIN_MTU		68
#define RTAP_MAX_MTU		9216

/* IEEE 802 local experimental ethertype: nothing in the kernel answers it */
#define TEST_ETHERTYPE		0x88b5
#define TEST_MAGIC		0x52544150u	/* "RTAP" */
#define WARM_SEQ		0xfff00000u	/* frames used to probe the path */

#define NB_MBUF			4096
#define NB_RXD			512
#define NB_TXD			512
#define BURST			32
#define WAIT_MS			2000
#define QUIET_MS		100
#define FRAME_BUF		16384
#define MAX_BATCH		4096
#define MAX_FLOWS		256
#define JUMBO_MTU		9000
#define JUMBO_FRAME		(JUMBO_MTU + RTE_ETHER_HDR_LEN)
#define SOCK_BUF		(4 * 1024 * 1024)

#define CTX_MAX_VDEV		8
#define CTX_MAX_IF		8
#define CTX_MAX_POOL		4
#define CTX_MAX_SOCK		4

/*
 * Everything a test creates is recorded here so that the per-test teardown
 * can undo it even when an assertion returns early.
 */
struct test_ctx {
	char vdev[CTX_MAX_VDEV][RTE_DEV_NAME_MAX_LEN];
	char ifname[CTX_MAX_IF][IF_NAMESIZE];
	struct rte_mempool *pool[CTX_MAX_POOL];
	int sock[CTX_MAX_SOCK];
};

static struct test_ctx ctx;
static unsigned int vdev_seq;
static unsigned int pool_seq;
static uint8_t frame_buf[FRAME_BUF];
static uint8_t expect_buf[FRAME_BUF];

/* Frames received on the DPDK side, checked against what was injected. */
struct rx_track {
	uint16_t port;
	uint32_t base;		/* sequence number of the first frame */
	uint32_t nb;		/* frames in the batch */
	const uint32_t *len;	/* length of each frame, or NULL */
	uint32_t fixed_len;	/* length of every frame when len is NULL */
	uint32_t nb_flows;	/* 0: raw frames, else IPv4/UDP flows */
	uint32_t single_max;	/* if set: frames up to this are one segment */
	uint32_t chain_min;	/* if set: frames over this are chains */
	struct rte_mbuf **keep;	/* if set, frames are stored, not freed */
	uint32_t got;
	uint32_t other;		/* test frames from outside the batch */
	uint32_t per_queue[RTAP_MAX_QUEUES];
	uint16_t flow_queue[MAX_FLOWS];
	int err;
	uint8_t seen[MAX_BATCH];
};

/* Frames captured on the kernel side, checked against what was sent. */
struct cap_track {
	uint32_t base;
	uint32_t nb;
	const uint32_t *len;
	uint32_t fixed_len;
	uint32_t got;
	uint32_t other;
	int err;
	uint8_t seen[MAX_BATCH];
};

/* Time */

static uint64_t
deadline_ms(unsigned int ms)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
}

static bool
expired(uint64_t deadline)
{
	return rte_get_timer_cycles() > deadline;
}

/* Test context */

static void
ctx_add_vdev(const char *name)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_VDEV; i++) {
		if (ctx.vdev[i][0] == '\0') {
			strlcpy(ctx.vdev[i], name, sizeof(ctx.vdev[i]));
			return;
		}
	}
	printf("warning: too many devices to track, %s not recorded\n",
	       name);
}

static void
ctx_forget_vdev(const char *name)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_VDEV; i++)
		if (strcmp(ctx.vdev[i], name) == 0)
			ctx.vdev[i][0] = '\0';
}

static void
ctx_add_ifname(const char *name)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_IF; i++)
		if (strcmp(ctx.ifname[i], name) == 0)
			return;
	for (i = 0; i < CTX_MAX_IF; i++) {
		if (ctx.ifname[i][0] == '\0') {
			strlcpy(ctx.ifname[i], name, sizeof(ctx.ifname[i]));
			return;
		}
	}
}

static void
ctx_forget_ifname(const char *name)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_IF; i++)
		if (strcmp(ctx.ifname[i], name) == 0)
			ctx.ifname[i][0] = '\0';
}

static void
ctx_close_socks(void)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_SOCK; i++) {
		if (ctx.sock[i] >= 0) {
			close(ctx.sock[i]);
			ctx.sock[i] = -1;
		}
	}
}

static void
ctx_free_pool(struct rte_mempool *mp)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_POOL; i++)
		if (ctx.pool[i] == mp)
			ctx.pool[i] = NULL;
	rte_mempool_free(mp);
}

/* Kernel side helpers */

/* Number of open files, counted as entries of /proc/self/fd. */
static int
count_fds(void)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	d = opendir("/proc/self/fd");
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int
if_ioctl(unsigned long req, const char *name, struct ifreq *ifr)
{
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(ifr, 0, sizeof(*ifr));
	strlcpy(ifr->ifr_name, name, sizeof(ifr->ifr_name));
	ret = ioctl(fd, req, ifr);
	if (ret < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int
kern_flags(const char *name, unsigned int *flags)
{
	struct ifreq ifr;
	int ret;

	ret = if_ioctl(SIOCGIFFLAGS, name, &ifr);
	if (ret == 0)
		*flags = (unsigned short)ifr.ifr_flags;
	return ret;
}

static int
kern_mtu(const char *name, int *mtu)
{
	struct ifreq ifr;
	int ret;

	ret = if_ioctl(SIOCGIFMTU, name, &ifr);
	if (ret == 0)
		*mtu = ifr.ifr_mtu;
	return ret;
}

static int
kern_mac(const char *name, struct rte_ether_addr *mac)
{
	struct ifreq ifr;
	int ret;

	ret = if_ioctl(SIOCGIFHWADDR, name, &ifr);
	if (ret == 0)
		memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data,
		       RTE_ETHER_ADDR_LEN);
	return ret;
}

/* Kernel counter from sysfs, used only to explain failures. */
static uint64_t
kern_stat(const char *name, const char *what)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
		 name, what);
	f = fopen(path, "r");
	if (f == NULL)
		return UINT64_MAX;
	if (fscanf(f, "%llu", &v) != 1)
		v = UINT64_MAX;
	fclose(f);
	return v;
}

/* Wait until the flags in mask are all set (want) or all clear (!want). */
static int
wait_flags(const char *name, unsigned int mask, bool want, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);
	unsigned int flags = 0;

	for (;;) {
		if (kern_flags(name, &flags) == 0 &&
		    (flags & mask) == (want ? mask : 0))
			return 0;
		if (expired(deadline))
			break;
		rte_delay_ms(1);
	}
	printf("interface %s: flags 0x%x, wanted 0x%x %s\n", name, flags,
	       mask, want ? "set" : "clear");
	return -1;
}

/* Wait until no interface of that name exists. */
static int
wait_if_gone(const char *name, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);

	for (;;) {
		if (if_nametoindex(name) == 0)
			return 0;
		if (expired(deadline))
			return -1;
		rte_delay_ms(1);
	}
}

/*
 * The kernel's IPv6 stack talks on any interface that comes up; switch it
 * off so that only the test's frames cross the interface.
 */
static void
disable_ipv6(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "1", 1) != 1)
		printf("warning: cannot disable IPv6 on %s\n", name);
	close(fd);
}

/* Unique interface name per process so parallel runs do not collide. */
static void
make_ifname(char *buf, const char *tag)
{
	snprintf(buf, IF_NAMESIZE, "rt%u%s", (unsigned int)getpid() % 100000,
		 tag);
}

static bool
is_default_name(const char *name)
{
	const char *p;

	if (strncmp(name, "rtap", 4) != 0 || name[4] == '\0')
		return false;
	for (p = name + 4; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Index of an interface named rtap<N> newer than since, or 0. */
static unsigned int
new_default_iface(unsigned int since, char *name)
{
	struct if_nameindex *list, *p;
	unsigned int found = 0;

	list = if_nameindex();
	if (list == NULL)
		return 0;
	for (p = list; p->if_index != 0; p++) {
		if (p->if_index > since && is_default_name(p->if_name)) {
			found = p->if_index;
			strlcpy(name, p->if_name, IF_NAMESIZE);
			break;
		}
	}
	if_freenameindex(list);
	return found;
}

static unsigned int
max_ifindex(void)
{
	struct if_nameindex *list, *p;
	unsigned int max = 0;

	list = if_nameindex();
	if (list == NULL)
		return 0;
	for (p = list; p->if_index != 0; p++)
		if (p->if_index > max)
			max = p->if_index;
	if_freenameindex(list);
	return max;
}

/* rtnetlink, for links the ethdev API does not create or delete */

struct nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[256];
};

static struct rtattr *
nl_attr(struct nl_req *req, unsigned short type, const void *data,
	size_t len)
{
	struct rtattr *rta;

	rta = (struct rtattr *)((char *)&req->nh +
				NLMSG_ALIGN(req->nh.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len != 0)
		memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) +
		RTA_ALIGN(rta->rta_len);
	return rta;
}

static int
nl_transact(struct nl_req *req)
{
	static uint32_t seq;
	struct sockaddr_nl sa;
	struct timeval tv = { .tv_sec = 2, .tv_usec = 0 };
	struct nlmsghdr *h;
	char buf[4096];
	ssize_t n;
	int fd, ret = -ETIMEDOUT;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	req->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nh.nlmsg_seq = ++seq;
	if (sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			ret = -errno;
			break;
		}
		h = (struct nlmsghdr *)buf;
		if (!NLMSG_OK(h, (unsigned int)n))
			continue;
		if (h->nlmsg_seq != req->nh.nlmsg_seq)
			continue;
		if (h->nlmsg_type == NLMSG_ERROR) {
			ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			break;
		}
	}
out:
	close(fd);
	return ret;
}

static int
kern_add_link(const char *name, const char *kind)
{
	struct nl_req req;
	struct rtattr *info;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.nh.nlmsg_type = RTM_NEWLINK;
	req.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	req.ifi.ifi_family = AF_UNSPEC;
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	info = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, kind, strlen(kind));
	info->rta_len = (unsigned short)((char *)&req.nh + req.nh.nlmsg_len -
					 (char *)info);
	return nl_transact(&req);
}

static int
kern_del_link(unsigned int ifindex)
{
	struct nl_req req;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.nh.nlmsg_type = RTM_DELLINK;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)ifindex;
	return nl_transact(&req);
}

/* AF_PACKET sockets: the kernel end of the interface */

/*
 * A packet socket bound to an interface that is down, or whose interface
 * goes down, holds a pending ENETDOWN that fails the next send or receive;
 * read it away once the interface is up again.
 */
static void
pkt_clear_error(int fd)
{
	socklen_t len;
	int err;

	len = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
}

static int
pkt_open(const char *ifname)
{
	struct sockaddr_ll sll;
	int fd, size = SOCK_BUF;
	unsigned int i;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0) {
		printf("no interface %s to bind to\n", ifname);
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0) {
		printf("AF_PACKET socket: %s\n", strerror(errno));
		return -1;
	}
	/* Large buffers: a test sends or captures hundreds of frames at once */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		printf("bind AF_PACKET socket to %s: %s\n", ifname,
		       strerror(errno));
		close(fd);
		return -1;
	}
	pkt_clear_error(fd);
	for (i = 0; i < CTX_MAX_SOCK; i++) {
		if (ctx.sock[i] < 0) {
			ctx.sock[i] = fd;
			return fd;
		}
	}
	close(fd);
	return -1;
}

static int
pkt_send(int fd, const void *frame, size_t len)
{
	uint64_t deadline = deadline_ms(WAIT_MS);
	struct pollfd pfd = { .fd = fd, .events = POLLOUT, .revents = 0 };
	ssize_t n;

	for (;;) {
		n = send(fd, frame, len, MSG_DONTWAIT);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0) {
			printf("short send: %zd of %zu bytes\n", n, len);
			return -1;
		}
		if ((errno != EAGAIN && errno != EWOULDBLOCK &&
		     errno != ENOBUFS && errno != EINTR) || expired(deadline))
			break;
		poll(&pfd, 1, 1);
	}
	printf("send of a %zu byte frame on AF_PACKET socket: %s\n", len,
	       strerror(errno));
	return -1;
}

/* Test frames */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static uint16_t
ipv4_cksum(const uint8_t *h)
{
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Build test frame seq of len bytes: broadcast, then either the test
 * ethertype or (nb_flows != 0) IPv4/UDP whose ports select flow
 * seq % nb_flows, then magic, sequence number and a pattern that depends
 * on both, so that any misplaced byte is caught.
 */
static void
frame_build(uint8_t *f, uint32_t len, uint32_t seq, uint32_t nb_flows)
{
	static const uint8_t src[RTE_ETHER_ADDR_LEN] = {
		0x02, 0x72, 0x74, 0x61, 0x70, 0x01 };
	uint32_t off, i;

	memset(f, 0xff, RTE_ETHER_ADDR_LEN);
	memcpy(f + RTE_ETHER_ADDR_LEN, src, RTE_ETHER_ADDR_LEN);
	if (nb_flows == 0) {
		put16(f + 12, TEST_ETHERTYPE);
		off = RTE_ETHER_HDR_LEN;
	} else {
		uint32_t flow = seq % nb_flows;
		uint8_t *ip = f + RTE_ETHER_HDR_LEN;
		uint8_t *udp = ip + 20;

		put16(f + 12, RTE_ETHER_TYPE_IPV4);
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(len - RTE_ETHER_HDR_LEN));
		put16(ip + 4, (uint16_t)seq);
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		ip[12] = 10;
		ip[13] = 200;
		ip[14] = (uint8_t)(flow >> 8);
		ip[15] = (uint8_t)flow;
		ip[16] = 10;
		ip[17] = 201;
		ip[18] = 0;
		ip[19] = 1;
		put16(ip + 10, ipv4_cksum(ip));
		put16(udp, (uint16_t)(10000 + flow));
		put16(udp + 2, (uint16_t)(20000 + flow));
		put16(udp + 4, (uint16_t)(len - RTE_ETHER_HDR_LEN - 20));
		put16(udp + 6, 0);
		off = RTE_ETHER_HDR_LEN + 28;
	}
	put32(f + off, TEST_MAGIC);
	put32(f + off + 4, seq);
	for (i = off + 8; i < len; i++)
		f[i] = (uint8_t)(seq * 131 + i * 7);
}

/* Sequence number of a test frame; -1 for anything else. */
static int
frame_seq(const uint8_t *f, uint32_t len, uint32_t *seq)
{
	uint32_t off;
	uint16_t type;

	if (len < RTE_ETHER_HDR_LEN + 8)
		return -1;
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == TEST_ETHERTYPE)
		off = RTE_ETHER_HDR_LEN;
	else if (type == RTE_ETHER_TYPE_IPV4 && len >= 50 &&
		 f[14] == 0x45 && f[23] == IPPROTO_UDP)
		off = RTE_ETHER_HDR_LEN + 28;
	else
		return -1;
	if (get32(f + off) != TEST_MAGIC)
		return -1;
	*seq = get32(f + off + 4);
	return 0;
}

static int
inject(int fd, uint32_t seq, uint32_t len, uint32_t nb_flows)
{
	frame_build(frame_buf, len, seq, nb_flows);
	return pkt_send(fd, frame_buf, len);
}

static void
dump_diff(const char *what, const uint8_t *got, const uint8_t *exp,
	  uint32_t len, uint32_t base)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (got[i] != exp[i]) {
			printf("%s: first difference at byte %u: 0x%02x, expected 0x%02x\n",
			       what, base + i, got[i], exp[i]);
			return;
		}
	}
}

/* Compare a received mbuf (chain) with the expected bytes. */
static int
mbuf_check(struct rte_mbuf *m, uint16_t port, const uint8_t *exp,
	   uint32_t len)
{
	struct rte_mbuf *s;
	uint32_t off = 0;
	uint16_t segs = 0;

	if (m->pkt_len != len) {
		printf("rx frame: pkt_len %u, expected %u\n", m->pkt_len, len);
		return -1;
	}
	if (m->port != port) {
		printf("rx frame: port %u, expected %u\n", m->port, port);
		return -1;
	}
	for (s = m; s != NULL; s = s->next) {
		segs++;
		if (s->data_len > len - off) {
			printf("rx frame: segment %u (%u bytes) runs past pkt_len %u\n",
			       segs, s->data_len, len);
			return -1;
		}
		if (memcmp(rte_pktmbuf_mtod(s, uint8_t *), exp + off,
			   s->data_len) != 0) {
			dump_diff("rx frame", rte_pktmbuf_mtod(s, uint8_t *),
				  exp + off, s->data_len, off);
			return -1;
		}
		off += s->data_len;
	}
	if (off != len) {
		printf("rx frame: segments hold %u bytes, pkt_len %u\n", off,
		       len);
		return -1;
	}
	if (segs != m->nb_segs) {
		printf("rx frame: nb_segs %u but %u segments chained\n",
		       m->nb_segs, segs);
		return -1;
	}
	return 0;
}

/* Rx accounting */

static void
rx_track_init(struct rx_track *t, uint16_t port, uint32_t base, uint32_t nb,
	      const uint32_t *len, uint32_t fixed_len, uint32_t nb_flows)
{
	memset(t, 0, sizeof(*t));
	t->port = port;
	t->base = base;
	t->nb = RTE_MIN(nb, (uint32_t)MAX_BATCH);
	t->len = len;
	t->fixed_len = fixed_len;
	t->nb_flows = nb_flows;
	memset(t->flow_queue, 0xff, sizeof(t->flow_queue));
}

static uint32_t
track_len(const uint32_t *len, uint32_t fixed_len, uint32_t idx)
{
	return len != NULL ? len[idx] : fixed_len;
}

static void
rx_account(struct rx_track *t, uint16_t q, struct rte_mbuf *m)
{
	uint8_t hdr[64];
	const uint8_t *h;
	uint32_t seq, idx, len, hlen;

	hlen = RTE_MIN(m->pkt_len, (uint32_t)sizeof(hdr));
	h = rte_pktmbuf_read(m, 0, hlen, hdr);
	if (h == NULL || frame_seq(h, hlen, &seq) != 0) {
		rte_pktmbuf_free(m);
		return;
	}
	if (seq - t->base >= t->nb) {
		t->other++;
		rte_pktmbuf_free(m);
		return;
	}
	idx = seq - t->base;
	if (t->seen[idx]++ != 0) {
		printf("rx: frame %u received twice (second time on queue %u)\n",
		       seq, q);
		t->err = -1;
		rte_pktmbuf_free(m);
		return;
	}
	len = track_len(t->len, t->fixed_len, idx);
	frame_build(expect_buf, len, seq, t->nb_flows);
	if (mbuf_check(m, t->port, expect_buf, len) != 0) {
		printf("rx: frame %u (%u bytes) on queue %u is not what was sent\n",
		       seq, len, q);
		t->err = -1;
		rte_pktmbuf_free(m);
		return;
	}
	if ((t->single_max != 0 && len <= t->single_max && m->nb_segs != 1) ||
	    (t->chain_min != 0 && len > t->chain_min && m->nb_segs < 2)) {
		printf("rx: frame %u of %u bytes arrived in %u segments\n",
		       seq, len, m->nb_segs);
		t->err = -1;
		rte_pktmbuf_free(m);
		return;
	}
	if (t->nb_flows != 0) {
		uint32_t flow = seq % t->nb_flows;

		if (flow < MAX_FLOWS) {
			if (t->flow_queue[flow] == UINT16_MAX) {
				t->flow_queue[flow] = q;
			} else if (t->flow_queue[flow] != q) {
				printf("rx: flow %u seen on queue %u and on queue %u\n",
				       flow, t->flow_queue[flow], q);
				t->err = -1;
			}
		}
	}
	t->per_queue[q]++;
	t->got++;
	if (t->keep != NULL)
		t->keep[idx] = m;
	else
		rte_pktmbuf_free(m);
}

static void
rx_report_missing(const struct rx_track *t)
{
	uint32_t i, shown = 0;

	printf("rx: received %u of %u frames (%u test frames of other batches)\n",
	       t->got, t->nb, t->other);
	for (i = 0; i < t->nb && shown < 8; i++) {
		if (t->seen[i] == 0) {
			printf("rx: missing frame %u (%u bytes)\n", t->base + i,
			       track_len(t->len, t->fixed_len, i));
			shown++;
		}
	}
}

/*
 * Poll queues 0..nb_q-1 until the whole batch is in or ms elapse; then keep
 * polling quiet_ms longer so that a duplicate would be seen.
 */
static int
rx_poll(struct rx_track *t, uint16_t nb_q, unsigned int ms,
	unsigned int quiet_ms)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t deadline = deadline_ms(ms);
	bool quiet = false;
	unsigned int total;
	uint16_t q, i, n;

	while (t->err == 0) {
		total = 0;
		for (q = 0; q < nb_q; q++) {
			n = rte_eth_rx_burst(t->port, q, pkts, BURST);
			total += n;
			for (i = 0; i < n; i++)
				rx_account(t, q, pkts[i]);
		}
		if (t->got == t->nb && !quiet) {
			quiet = true;
			deadline = deadline_ms(quiet_ms);
		}
		if (expired(deadline))
			break;
		if (total == 0)
			rte_delay_ms(1);
	}
	if (t->err != 0)
		return -1;
	if (t->got != t->nb) {
		rx_report_missing(t);
		return -1;
	}
	return 0;
}

/* Poll until nothing has arrived for idle_ms (at most max_ms). */
static void
rx_drain(struct rx_track *t, uint16_t nb_q, unsigned int idle_ms,
	 unsigned int max_ms)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t end = deadline_ms(max_ms), idle = deadline_ms(idle_ms);
	unsigned int total;
	uint16_t q, i, n;

	while (t->err == 0 && !expired(end) && !expired(idle)) {
		total = 0;
		for (q = 0; q < nb_q; q++) {
			n = rte_eth_rx_burst(t->port, q, pkts, BURST);
			total += n;
			for (i = 0; i < n; i++)
				rx_account(t, q, pkts[i]);
		}
		if (total != 0)
			idle = deadline_ms(idle_ms);
		else
			rte_delay_ms(1);
	}
}

/* Kernel capture accounting */

static void
cap_track_init(struct cap_track *t, uint32_t base, uint32_t nb,
	       const uint32_t *len, uint32_t fixed_len)
{
	memset(t, 0, sizeof(*t));
	t->base = base;
	t->nb = RTE_MIN(nb, (uint32_t)MAX_BATCH);
	t->len = len;
	t->fixed_len = fixed_len;
}

static void
cap_account(struct cap_track *t, const uint8_t *f, uint32_t n)
{
	uint32_t seq, idx, len;

	if (frame_seq(f, n, &seq) != 0)
		return;
	if (seq - t->base >= t->nb) {
		t->other++;
		return;
	}
	idx = seq - t->base;
	if (t->seen[idx]++ != 0) {
		printf("kernel: frame %u captured twice\n", seq);
		t->err = -1;
		return;
	}
	len = track_len(t->len, t->fixed_len, idx);
	if (n != len) {
		printf("kernel: frame %u is %u bytes, %u were sent\n", seq, n,
		       len);
		t->err = -1;
		return;
	}
	frame_build(expect_buf, len, seq, 0);
	if (memcmp(f, expect_buf, len) != 0) {
		printf("kernel: frame %u differs from what was sent\n", seq);
		dump_diff("kernel frame", f, expect_buf, len, 0);
		t->err = -1;
		return;
	}
	t->got++;
}

/*
 * Read the capture socket until the batch is complete or ms elapse, then
 * quiet_ms longer to catch duplicates.  PACKET_OUTGOING copies are what
 * the kernel itself transmits and are not what DPDK sent.
 */
static int
cap_poll(int fd, struct cap_track *t, unsigned int ms, unsigned int quiet_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
	uint64_t deadline = deadline_ms(ms);
	struct sockaddr_ll sll;
	socklen_t alen;
	bool quiet = false;
	ssize_t n;
	uint32_t i, shown = 0;

	while (t->err == 0) {
		alen = sizeof(sll);
		n = recvfrom(fd, frame_buf, sizeof(frame_buf),
			     MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&sll, &alen);
		if (n >= 0 && sll.sll_pkttype != PACKET_OUTGOING) {
			if ((size_t)n > sizeof(frame_buf)) {
				printf("kernel: %zd byte frame captured\n", n);
				t->err = -1;
				break;
			}
			cap_account(t, frame_buf, (uint32_t)n);
		} else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
			   errno != EINTR) {
			printf("kernel: capture: %s\n", strerror(errno));
			return -1;
		}
		if (t->got == t->nb && !quiet) {
			quiet = true;
			deadline = deadline_ms(quiet_ms);
		}
		if (expired(deadline))
			break;
		if (n < 0)
			poll(&pfd, 1, 1);
	}
	if (t->err != 0)
		return -1;
	if (t->got != t->nb) {
		printf("kernel: captured %u of %u frames (%u of other batches)\n",
		       t->got, t->nb, t->other);
		for (i = 0; i < t->nb && shown < 8; i++) {
			if (t->seen[i] == 0) {
				printf("kernel: missing frame %u\n", t->base + i);
				shown++;
			}
		}
		return -1;
	}
	return 0;
}

/* Building mbufs to transmit */

/*
 * Copy frame f into a chain whose segments hold seg_len[0..nb_seg-1] bytes,
 * the first segment starting headroom bytes into its buffer.
 */
static struct rte_mbuf *
mbuf_build(struct rte_mempool *mp, const uint8_t *f, const uint16_t *seg_len,
	   unsigned int nb_seg, uint16_t headroom)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t off = 0;
	unsigned int i;
	char *p;

	for (i = 0; i < nb_seg; i++) {
		m = rte_pktmbuf_alloc(mp);
		if (m == NULL)
			goto fail;
		if (i == 0)
			m->data_off = headroom;
		p = rte_pktmbuf_append(m, seg_len[i]);
		if (p == NULL) {
			rte_pktmbuf_free(m);
			goto fail;
		}
		memcpy(p, f + off, seg_len[i]);
		off += seg_len[i];
		if (head == NULL) {
			head = m;
		} else if (rte_pktmbuf_chain(head, m) != 0) {
			rte_pktmbuf_free(m);
			goto fail;
		}
	}
	return head;
fail:
	rte_pktmbuf_free(head);
	return NULL;
}

/*
 * Frame f split over nb_seg segments: the first ones short and growing,
 * the last one taking the rest.
 */
static struct rte_mbuf *
mbuf_split(struct rte_mempool *mp, const uint8_t *f, uint32_t len,
	   unsigned int nb_seg, uint16_t headroom)
{
	uint16_t seg[8];
	uint32_t left = len;
	unsigned int k;

	if (nb_seg == 0 || nb_seg > RTE_DIM(seg) || len < nb_seg)
		return NULL;
	for (k = 0; k + 1 < nb_seg; k++) {
		seg[k] = (uint16_t)RTE_MIN(left - (nb_seg - 1 - k),
					   14u + k * 50);
		left -= seg[k];
	}
	seg[nb_seg - 1] = (uint16_t)left;
	return mbuf_build(mp, f, seg, nb_seg, headroom);
}

/* A single-segment test frame with default headroom. */
static struct rte_mbuf *
mbuf_frame(struct rte_mempool *mp, uint32_t seq, uint32_t len)
{
	uint16_t seg = (uint16_t)len;

	frame_build(frame_buf, len, seq, 0);
	return mbuf_build(mp, frame_buf, &seg, 1, RTE_PKTMBUF_HEADROOM);
}

/* Transmit all of pkts, retrying while the ring is full. */
static int
tx_all(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t deadline = deadline_ms(WAIT_MS);
	uint16_t sent = 0, i;

	while (sent < n) {
		sent += rte_eth_tx_burst(port, q, pkts + sent, n - sent);
		if (sent == n)
			break;
		if (expired(deadline)) {
			printf("tx: only %u of %u frames accepted on queue %u\n",
			       sent, n, q);
			for (i = sent; i < n; i++)
				rte_pktmbuf_free(pkts[i]);
			return -1;
		}
		rte_delay_ms(1);
	}
	return 0;
}

/* Send nb raw frames of length len (or len[i]) starting at seq base. */
static int
tx_frames(uint16_t port, uint16_t q, struct rte_mempool *mp, uint32_t base,
	  uint32_t nb, const uint32_t *len, uint32_t fixed_len)
{
	struct rte_mbuf *pkts[BURST];
	uint32_t i = 0;
	uint16_t n;

	while (i < nb) {
		for (n = 0; n < BURST && i < nb; n++, i++) {
			pkts[n] = mbuf_frame(mp, base + i,
					     track_len(len, fixed_len, i));
			if (pkts[n] == NULL) {
				printf("tx: mbuf allocation failed\n");
				rte_pktmbuf_free_bulk(pkts, n);
				return -1;
			}
		}
		if (tx_all(port, q, pkts, n) != 0)
			return -1;
	}
	return 0;
}

/* Ports */

static struct rte_mempool *
pool_create(unsigned int n)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;
	unsigned int i;

	snprintf(name, sizeof(name), "rtap_test_%u", pool_seq++);
	/* no per-lcore cache, so that rte_mempool_avail_count is exact */
	mp = rte_pktmbuf_pool_create(name, n, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	if (mp == NULL) {
		printf("cannot create mempool %s: %s\n", name,
		       rte_strerror(rte_errno));
		return NULL;
	}
	for (i = 0; i < CTX_MAX_POOL; i++) {
		if (ctx.pool[i] == NULL) {
			ctx.pool[i] = mp;
			return mp;
		}
	}
	rte_mempool_free(mp);
	return NULL;
}

/*
 * Probe a port (drv is the driver name or its alias) and return its port
 * id and kernel interface name.  IPv6 is disabled on the interface before
 * it is ever brought up.
 */
static int
rtap_probe(const char *drv, const char *args, char *vdev, uint16_t *port,
	   char *ifname)
{
	struct rte_eth_dev_info info;
	char name[IF_NAMESIZE];
	int ret;

	snprintf(vdev, RTE_DEV_NAME_MAX_LEN, "%s%u", drv, vdev_seq++);
	ret = rte_vdev_init(vdev, args);
	if (ret != 0) {
		printf("probe %s,%s failed: %d\n", vdev,
		       args != NULL ? args : "", ret);
		return -1;
	}
	ctx_add_vdev(vdev);
	ret = rte_eth_dev_get_port_by_name(vdev, port);
	if (ret != 0) {
		printf("%s probed but has no ethdev port\n", vdev);
		return -1;
	}
	ret = rte_eth_dev_info_get(*port, &info);
	if (ret != 0) {
		printf("dev_info of %s: %d\n", vdev, ret);
		return -1;
	}
	if (info.if_index == 0 || if_indextoname(info.if_index, name) == NULL) {
		printf("%s: no kernel interface with if_index %u\n", vdev,
		       info.if_index);
		return -1;
	}
	ctx_add_ifname(name);
	disable_ipv6(name);
	if (ifname != NULL)
		strlcpy(ifname, name, IF_NAMESIZE);
	return 0;
}

static int
port_setup(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	   struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd)
{
	struct rte_eth_conf def;
	uint16_t q;
	int ret;

	if (conf == NULL) {
		memset(&def, 0, sizeof(def));
		conf = &def;
	}
	ret = rte_eth_dev_configure(port, nb_q, nb_q, conf);
	if (ret != 0) {
		printf("port %u: configure %u queue pairs: %s\n", port, nb_q,
		       rte_strerror(-ret));
		return ret;
	}
	for (q = 0; q < nb_q; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd,
					     rte_eth_dev_socket_id(port), NULL,
					     mp);
		if (ret != 0) {
			printf("port %u: rx queue %u setup: %s\n", port, q,
			       rte_strerror(-ret));
			return ret;
		}
		ret = rte_eth_tx_queue_setup(port, q, nb_txd,
					     rte_eth_dev_socket_id(port), NULL);
		if (ret != 0) {
			printf("port %u: tx queue %u setup: %s\n", port, q,
			       rte_strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int
port_start(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	   struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd)
{
	int ret;

	ret = port_setup(port, nb_q, conf, mp, nb_rxd, nb_txd);
	if (ret != 0)
		return ret;
	ret = rte_eth_dev_start(port);
	if (ret != 0)
		printf("port %u: start: %s\n", port, rte_strerror(-ret));
	return ret;
}

/*
 * Stop (if started) and close a port; then take the vdev off the bus, which
 * an ethdev close leaves there, so that its name is free again.
 */
static int
port_close(uint16_t port, const char *vdev)
{
	int ret;

	rte_eth_dev_stop(port);
	ret = rte_eth_dev_close(port);
	if (ret != 0) {
		printf("port %u: close: %s\n", port, rte_strerror(-ret));
		return ret;
	}
	rte_vdev_uninit(vdev);
	ctx_forget_vdev(vdev);
	return 0;
}

/*
 * After start the kernel must see the interface up and running, and a
 * frame sent from the kernel side must come out of the port.  Until then
 * the kernel may still be switching the interface's queueing discipline
 * on and silently drop what it is given; tests that count exactly start
 * after this.
 */
static int
path_ready(uint16_t port, uint16_t nb_q, const char *ifname, int sock)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t deadline, next = 0;
	uint8_t hdr[64];
	const uint8_t *h;
	uint32_t seq = WARM_SEQ, s, hlen;
	bool found = false;
	uint16_t q, i, n;

	if (wait_flags(ifname, IFF_UP | IFF_RUNNING, true, WAIT_MS) != 0) {
		printf("%s is not up and running after start\n", ifname);
		return -1;
	}
	pkt_clear_error(sock);
	deadline = deadline_ms(WAIT_MS);
	while (!found && !expired(deadline)) {
		if (rte_get_timer_cycles() >= next) {
			if (inject(sock, seq++, 60, 0) != 0)
				return -1;
			next = deadline_ms(20);
		}
		for (q = 0; q < nb_q; q++) {
			n = rte_eth_rx_burst(port, q, pkts, BURST);
			for (i = 0; i < n; i++) {
				hlen = RTE_MIN(pkts[i]->pkt_len,
					       (uint32_t)sizeof(hdr));
				h = rte_pktmbuf_read(pkts[i], 0, hlen, hdr);
				if (h != NULL && frame_seq(h, hlen, &s) == 0 &&
				    s >= WARM_SEQ)
					found = true;
				rte_pktmbuf_free(pkts[i]);
			}
		}
		if (!found)
			rte_delay_ms(1);
	}
	if (!found)
		printf("no frame injected on %s reached port %u within %d ms\n",
		       ifname, port, WAIT_MS);
	return found ? 0 : -1;
}

/*
 * Packets counted on one queue (dir "rx" or "tx"): the sum of its size
 * bucket xstats, rx_q<N>_size_*_packets.  Per-queue counters are read from
 * xstats because struct rte_eth_stats does not carry them in every DPDK
 * release.
 */
static int
xstats_queue_packets(uint16_t port, const char *dir, uint16_t q,
		     uint64_t *sum)
{
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *vals = NULL;
	char prefix[RTE_ETH_XSTATS_NAME_SIZE];
	unsigned int found = 0;
	size_t plen;
	int i, n, ret = -1;

	n = rte_eth_xstats_get_names(port, NULL, 0);
	if (n <= 0) {
		printf("port %u has no xstats\n", port);
		return -1;
	}
	names = calloc(n, sizeof(*names));
	vals = calloc(n, sizeof(*vals));
	if (names == NULL || vals == NULL)
		goto out;
	if (rte_eth_xstats_get_names(port, names, n) != n ||
	    rte_eth_xstats_get(port, vals, n) != n)
		goto out;
	snprintf(prefix, sizeof(prefix), "%s_q%u_size_", dir, q);
	plen = strlen(prefix);
	*sum = 0;
	for (i = 0; i < n; i++) {
		if (vals[i].id < (uint64_t)n &&
		    strncmp(names[vals[i].id].name, prefix, plen) == 0) {
			*sum += vals[i].value;
			found++;
		}
	}
	if (found == 0)
		printf("port %u: no %s* xstats\n", port, prefix);
	else
		ret = 0;
out:
	free(names);
	free(vals);
	return ret;
}

/* Per-queue packet counters of queues 0..nb_q-1 must equal want[q]. */
static int
queue_counters_check(uint16_t port, const char *dir, uint16_t nb_q,
		     const uint32_t *want)
{
	uint64_t v = 0;
	uint16_t q;

	for (q = 0; q < nb_q; q++) {
		if (xstats_queue_packets(port, dir, q, &v) != 0)
			return -1;
		if (v != (want != NULL ? want[q] : 0)) {
			printf("%s queue %u: xstats count %" PRIu64
			       " packets, expected %u\n", dir, q, v,
			       want != NULL ? want[q] : 0);
			return -1;
		}
	}
	return 0;
}

static int
stats_zero(uint16_t port)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(port, &st) != 0)
		return -1;
	if (st.ipackets || st.ibytes || st.opackets || st.obytes ||
	    st.imissed || st.ierrors || st.oerrors || st.rx_nombuf) {
		printf("stats not zero: ipackets %" PRIu64 " ibytes %" PRIu64
		       " opackets %" PRIu64 " obytes %" PRIu64 " imissed %" PRIu64
		       " ierrors %" PRIu64 " oerrors %" PRIu64
		       " rx_nombuf %" PRIu64 "\n",
		       st.ipackets, st.ibytes, st.opackets, st.obytes,
		       st.imissed, st.ierrors, st.oerrors, st.rx_nombuf);
		return -1;
	}
	return 0;
}

/* Per-test setup and teardown */

static int
ctx_setup(void)
{
	unsigned int i;

	memset(&ctx, 0, sizeof(ctx));
	for (i = 0; i < CTX_MAX_SOCK; i++)
		ctx.sock[i] = -1;
	return TEST_SUCCESS;
}

static void
ctx_teardown(void)
{
	unsigned int i, idx;
	uint16_t port;

	for (i = 0; i < CTX_MAX_VDEV; i++) {
		if (ctx.vdev[i][0] == '\0')
			continue;
		if (rte_eth_dev_get_port_by_name(ctx.vdev[i], &port) == 0) {
			rte_eth_dev_stop(port);
			rte_eth_dev_close(port);
		}
		rte_vdev_uninit(ctx.vdev[i]);
		ctx.vdev[i][0] = '\0';
	}
	ctx_close_socks();
	for (i = 0; i < CTX_MAX_POOL; i++) {
		rte_mempool_free(ctx.pool[i]);
		ctx.pool[i] = NULL;
	}
	/* Interfaces a failed test left behind (persist, or a driver bug) */
	for (i = 0; i < CTX_MAX_IF; i++) {
		if (ctx.ifname[i][0] == '\0')
			continue;
		idx = if_nametoindex(ctx.ifname[i]);
		if (idx != 0)
			kern_del_link(idx);
		ctx.ifname[i][0] = '\0';
	}
}

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

/* Without iface= the kernel names the interface rtap%d; the alias works. */
static int
test_rtap_default_name(void)
{
	char vdev[2][RTE_DEV_NAME_MAX_LEN], name[2][IF_NAMESIZE];
	static const char * const drv[2] = { RTAP_DRV, RTAP_ALIAS };
	struct rte_eth_dev_info info;
	uint16_t port[2];
	unsigned int i;
	int fds0;

	fds0 = count_fds();
	for (i = 0; i < 2; i++) {
		TEST_ASSERT_SUCCESS(rtap_probe(drv[i], NULL, vdev[i], &port[i],
					       name[i]),
				    "probe %s without devargs failed", drv[i]);
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

/* mac= is what the kernel shows and what the port reports. */
static int
test_rtap_mac(void)
{
	static const struct rte_ether_addr want = {
		.addr_bytes = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	static const struct rte_ether_addr want2 = {
		.addr_bytes = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa } };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[96];
	struct rte_ether_addr mac, kmac, set;
	uint16_t port;

	make_ifname(ifname, "m");
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s,mac=" RTE_ETHER_ADDR_PRT_FMT,
		 ifname, RTE_ETHER_ADDR_BYTES(&want));

	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
			    "probe with %s failed", args);
	TEST_ASSERT_SUCCESS(kern_mac(ifname, &kmac), "SIOCGIFHWADDR failed");
	TEST_ASSERT(rte_is_same_ether_addr(&kmac, &want),
		    "kernel MAC " RTE_ETHER_ADDR_PRT_FMT ", devarg "
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&kmac),
		    RTE_ETHER_ADDR_BYTES(&want));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac),
			    "macaddr_get failed");
	TEST_ASSERT(rte_is_same_ether_addr(&mac, &want),
		    "port MAC " RTE_ETHER_ADDR_PRT_FMT ", devarg "
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&mac),
		    RTE_ETHER_ADDR_BYTES(&want));

	/* Changing it through ethdev changes it in the kernel */
	rte_ether_addr_copy(&want2, &set);
	TEST_ASSERT_SUCCESS(rte_eth_dev_default_mac_addr_set(port, &set),
			    "default_mac_addr_set failed");
	TEST_ASSERT_SUCCESS(kern_mac(ifname, &kmac), "SIOCGIFHWADDR failed");
	TEST_ASSERT(rte_is_same_ether_addr(&kmac, &want2),
		    "kernel MAC " RTE_ETHER_ADDR_PRT_FMT " after set to "
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&kmac),
		    RTE_ETHER_ADDR_BYTES(&want2));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac),
			    "macaddr_get failed");
	TEST_ASSERT(rte_is_same_ether_addr(&mac, &want2),
		    "port MAC " RTE_ETHER_ADDR_PRT_FMT " after set to "
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&mac),
		    RTE_ETHER_ADDR_BYTES(&want2));

	TEST_ASSERT_SUCCESS(port_close(port, vdev), "close failed");
	TEST_ASSERT_SUCCESS(wait_if_gone(ifname, WAIT_MS),
			    "%s still exists after close", ifname);
	return TEST_SUCCESS;
}

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

/*
 * Probe with args must fail and leave nothing: no port, no interface
 * (neither the named ones nor a kernel-named rtap<N>), no open file.
 */
static int
bad_probe(const char *args, const char *what, const char *if1,
	  const char *if2)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], leaked[IF_NAMESIZE];
	unsigned int since, idx;
	uint64_t deadline;
	uint16_t port;
	int fds0, fds1, ret;

	snprintf(vdev, sizeof(vdev), "%s%u", RTAP_DRV, vdev_seq++);
	since = max_ifindex();
	fds0 = count_fds();
	ret = rte_vdev_init(vdev, args);
	if (ret == 0) {
		ctx_add_vdev(vdev);
		printf("%s: probe with \"%s\" succeeded\n", what, args);
		return -1;
	}
	if (rte_eth_dev_get_port_by_name(vdev, &port) == 0) {
		printf("%s: port %u exists after failed probe\n", what, port);
		return -1;
	}
	fds1 = count_fds();
	if (fds1 != fds0) {
		printf("%s: %d open files before probe, %d after\n", what, fds0,
		       fds1);
		return -1;
	}
	/* Give an asynchronous deletion its chance before calling it a leak */
	deadline = deadline_ms(WAIT_MS);
	for (;;) {
		idx = new_default_iface(since, leaked);
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_mempool *mp[3];
	struct rx_track *t;
	unsigned int avail0[3], i;
	uint16_t port, nb_rxd, nb_txd, q, used = 0;
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

	make_ifname(ifname, "u");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto fail;

	ret = rte_eth_dev_configure(port, 2, 1, &conf);
	if (ret != -EINVAL) {
		printf("configure 2 rx / 1 tx queues returned %d, expected -EINVAL\n",
		       ret);
		goto fail;
	}
	ret = rte_eth_dev_configure(port, 1, 2, &conf);
	if (ret != -EINVAL) {
		printf("configure 1 rx / 2 tx queues returned %d, expected -EINVAL\n",
		       ret);
		goto fail;
	}
	ret = rte_eth_dev_configure(port, 4, 8, &conf);
	if (ret != -EINVAL) {
		printf("configure 4 rx / 8 tx queues returned %d, expected -EINVAL\n",
		       ret);
		goto fail;
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
	for (q = 0; q < 256; q++)
		if (inject(sock, q, 100, 256) != 0)
			goto fail;
	if (rx_poll(t, RTAP_MAX_QUEUES, WAIT_MS, QUIET_MS) != 0) {
		printf("%u queue pairs: not every frame arrived exactly once\n",
		       RTAP_MAX_QUEUES);
		goto fail;
	}
	for (q = 0; q < RTAP_MAX_QUEUES; q++)
		if (t->per_queue[q] != 0)
			used++;
	printf("256 flows spread over %u of %u queues\n", used,
	       RTAP_MAX_QUEUES);
	if (used < 2) {
		printf("all flows arrived on one queue of %u\n",
		       RTAP_MAX_QUEUES);
		goto fail;
	}
	ctx_close_socks();
	if (port_close(port, vdev) != 0)
		goto fail;
	if (wait_if_gone(ifname, WAIT_MS) != 0) {
		printf("%s still exists after close\n", ifname);
		goto fail;
	}
	if (count_fds() != fds0) {
		printf("open files %d before, %d after\n", fds0, count_fds());
		goto fail;
	}
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

/* IFF_UP follows start and stop; link is up after start. */
static int
test_rtap_start_stop(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
	struct rte_eth_link link;
	struct rte_mempool *mp;
	unsigned int flags, round;
	uint64_t deadline;
	uint16_t port;
	int ret;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	make_ifname(ifname, "s");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rx_track *t;
	unsigned int avail0, i;
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
	make_ifname(ifname, "r");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto fail;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto fail;
	if (port_start(port, 1, NULL, mp, NB_RXD, NB_TXD) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
		goto fail;

	rx_track_init(t, port, 0, RTE_DIM(sizes), sizes, 0, 0);
	t->single_max = RTE_ETHER_MAX_LEN;
	for (i = 0; i < RTE_DIM(sizes); i++)
		if (inject(sock, i, sizes[i], 0) != 0)
			goto fail;
	if (rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
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
	for (i = 0; i < RTE_DIM(jumbo); i++)
		if (inject(sock, 100 + i, jumbo[i], 0) != 0)
			goto fail;
	if (rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
		goto fail;

	ctx_close_socks();
	if (port_close(port, vdev) != 0)
		goto fail;
	if (wait_if_gone(ifname, WAIT_MS) != 0) {
		printf("%s still exists after close\n", ifname);
		goto fail;
	}
	if (count_fds() != fds0) {
		printf("open files %d before, %d after\n", fds0, count_fds());
		goto fail;
	}
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0);
		goto fail;
	}
	ctx_free_pool(mp);
	free(t);
	return TEST_SUCCESS;
fail:
	free(t);
	return TEST_FAILED;
}

/* Headroom of a buffer shared with the test, filled with a marker. */
static void
headroom_fill(struct rte_mbuf *m, uint8_t v)
{
	memset(m->buf_addr, v, m->data_off);
}

static int
headroom_check(const struct rte_mbuf *m, uint8_t v, const char *what)
{
	const uint8_t *p = m->buf_addr;
	uint16_t i;

	for (i = 0; i < m->data_off; i++) {
		if (p[i] != v) {
			printf("%s: headroom byte %u changed to 0x%02x: the driver wrote into a buffer it shares with the application\n",
			       what, i, p[i]);
			return -1;
		}
	}
	return 0;
}

/* A mbuf the test still holds after transmit must be as it was. */
static int
held_check(struct rte_mbuf *m, uint32_t seq, uint32_t len, uint16_t data_off,
	   const char *what)
{
	if (m->data_off != data_off || m->data_len != len ||
	    m->pkt_len != len || m->nb_segs != 1 || m->next != NULL) {
		printf("%s: mbuf changed by tx: data_off %u (was %u) data_len %u pkt_len %u nb_segs %u (were %u, %u, 1)\n",
		       what, m->data_off, data_off, m->data_len, m->pkt_len,
		       m->nb_segs, len, len);
		return -1;
	}
	frame_build(expect_buf, len, seq, 0);
	if (memcmp(rte_pktmbuf_mtod(m, uint8_t *), expect_buf, len) != 0) {
		printf("%s: data changed by tx\n", what);
		return -1;
	}
	return headroom_check(m, 0xa5, what);
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
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
	make_ifname(ifname, "t");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto fail;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto fail;
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (port_start(port, 1, &conf, mp, NB_RXD, NB_TXD) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
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
	frame_build(frame_buf, len[n], n, 0);
	pkts[n] = mbuf_build(mp, frame_buf, seg2, RTE_DIM(seg2),
			     RTE_PKTMBUF_HEADROOM);
	n++;
	/* 3: five segments, one of them a single byte */
	len[n] = 1514;
	frame_build(frame_buf, len[n], n, 0);
	pkts[n] = mbuf_build(mp, frame_buf, seg5, RTE_DIM(seg5),
			     RTE_PKTMBUF_HEADROOM);
	n++;
	/* 4: no headroom at all */
	len[n] = 100;
	seg = (uint16_t)len[n];
	frame_build(frame_buf, len[n], n, 0);
	pkts[n] = mbuf_build(mp, frame_buf, &seg, 1, 0);
	n++;
	/* 5: a chain whose first segment has no headroom */
	len[n] = 600;
	frame_build(frame_buf, len[n], n, 0);
	pkts[n] = mbuf_build(mp, frame_buf, seg_zh2, RTE_DIM(seg_zh2), 0);
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
	frame_build(frame_buf, len[n], n, 0);
	pkts[n] = mbuf_build(mp, frame_buf, seg3, RTE_DIM(seg3),
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
			switch (i % 5) {
			case 0:
				pkts[n] = mbuf_split(mp, frame_buf, vlen[i], 1,
						     RTE_PKTMBUF_HEADROOM);
				break;
			case 1:
				pkts[n] = mbuf_split(mp, frame_buf, vlen[i], 1,
						     0);
				break;
			case 2:
				pkts[n] = mbuf_split(mp, frame_buf, vlen[i], 2,
						     RTE_PKTMBUF_HEADROOM);
				break;
			case 3:
				pkts[n] = mbuf_split(mp, frame_buf, vlen[i], 5,
						     RTE_PKTMBUF_HEADROOM);
				break;
			default:
				pkts[n] = mbuf_split(mp, frame_buf, vlen[i], 3,
						     0);
				break;
			}
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

	ctx_close_socks();
	if (port_close(port, vdev) != 0)
		goto fail;
	if (wait_if_gone(ifname, WAIT_MS) != 0) {
		printf("%s still exists after close\n", ifname);
		goto fail;
	}
	if (count_fds() != fds0) {
		printf("open files %d before, %d after\n", fds0, count_fds());
		goto fail;
	}
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0);
		goto fail;
	}
	ctx_free_pool(mp);
	free(c);
	return TEST_SUCCESS;
fail:
	free(c);
	return TEST_FAILED;
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
	uint32_t i, per_tx[RTAP_MAX_QUEUES];
	uint16_t q, used = 0;

	if (rte_eth_stats_reset(port) != 0 || rte_eth_xstats_reset(port) != 0 ||
	    queue_counters_check(port, "rx", nb_q, NULL) != 0 ||
	    queue_counters_check(port, "tx", nb_q, NULL) != 0) {
		printf("per-queue counters not zero after xstats reset\n");
		return -1;
	}
	rx_track_init(t, port, base, nb, NULL, 128, nb_flows);
	for (i = 0; i < nb; i++)
		if (inject(sock, base + i, 128, nb_flows) != 0)
			return -1;
	if (rx_poll(t, nb_q, WAIT_MS, QUIET_MS) != 0) {
		printf("%u queue pairs: not every frame arrived exactly once\n",
		       nb_q);
		return -1;
	}
	for (q = 0; q < nb_q; q++)
		if (t->per_queue[q] != 0)
			used++;
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
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
	make_ifname(ifname, "q4");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto out;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto out;
	if (port_start(port, 4, NULL, mp, 256, 256) != 0 ||
	    path_ready(port, 4, ifname, sock) != 0)
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

	ctx_close_socks();
	if (port_close(port, vdev) != 0)
		goto out;
	if (wait_if_gone(ifname, WAIT_MS) != 0) {
		printf("%s still exists after close\n", ifname);
		goto out;
	}
	if (count_fds() != fds0) {
		printf("open files %d before, %d after\n", fds0, count_fds());
		goto out;
	}
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0);
		goto out;
	}
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
	for (i = 0; i < nb; i++)
		if (inject(sock, base + i, len[i], 0) != 0)
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
 * Every mbuf returns to its pool: across bursts, stop and restart, and
 * close.  An empty pool is counted in rx_nombuf and the port recovers
 * when mbufs come back.  A transmit-only port with a pool far smaller than
 * its ring keeps going because completed mbufs are reclaimed on every
 * tx_burst.
 */
static int
test_rtap_mempool(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
	struct rte_mbuf **hoard = NULL, *m;
	struct rte_mempool *mp, *txmp;
	struct rte_eth_stats st;
	struct rx_track *t;
	struct cap_track *c;
	unsigned int avail0, txavail0, nb_hoard = 0, round, i;
	uint64_t deadline;
	uint32_t seq;
	uint16_t port, n, sent;
	int sock, fds0, ret = TEST_FAILED;
	struct rte_mbuf *pkts[BURST];

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
	make_ifname(ifname, "pool");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto out;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto out;
	if (port_start(port, 1, NULL, mp, 256, 256) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
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
	if (rte_eth_stats_reset(port) != 0)
		goto out;
	while (nb_hoard < 2048 && (m = rte_pktmbuf_alloc(mp)) != NULL)
		hoard[nb_hoard++] = m;
	printf("pool: took the %u free mbufs\n", nb_hoard);
	for (i = 0; i < 64; i++)
		if (inject(sock, 10000 + i, 100, 0) != 0)
			goto out;
	deadline = deadline_ms(WAIT_MS);
	memset(&st, 0, sizeof(st));
	while (!expired(deadline)) {
		n = rte_eth_rx_burst(port, 0, pkts, BURST);
		/* whatever still arrives stays out of the pool */
		for (i = 0; i < n && nb_hoard < 2048; i++)
			hoard[nb_hoard++] = pkts[i];
		if (i < n)
			rte_pktmbuf_free_bulk(pkts + i, n - i);
		if (rte_eth_stats_get(port, &st) != 0)
			goto out;
		if (st.rx_nombuf > 0)
			break;
		rte_delay_ms(1);
	}
	if (st.rx_nombuf == 0) {
		printf("rx_nombuf still 0 with an empty pool and 64 frames waiting (ipackets %" PRIu64 ")\n",
		       st.ipackets);
		goto out;
	}
	printf("pool empty: rx_nombuf %" PRIu64 ", ipackets %" PRIu64 "\n",
	       st.rx_nombuf, st.ipackets);
	rte_pktmbuf_free_bulk(hoard, nb_hoard);
	nb_hoard = 0;

	/* Mbufs are back: traffic flows again */
	rx_track_init(t, port, 20000, 128, NULL, 100, 0);
	for (i = 0; i < 128; i++)
		if (inject(sock, 20000 + i, 100, 0) != 0)
			goto out;
	if (rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0) {
		printf("no recovery after the pool was refilled\n");
		goto out;
	}

	ctx_close_socks();
	if (port_close(port, vdev) != 0)
		goto out;
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0);
		goto out;
	}

	/* Transmit only, from a 64 mbuf pool through a 512 entry ring */
	make_ifname(ifname, "txo");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto out;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto out;
	if (port_start(port, 1, NULL, mp, 128, NB_TXD) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
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
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	ctx_close_socks();
	if (port_close(port, vdev) != 0)
		goto out;
	if (rte_mempool_avail_count(txmp) != txavail0 ||
	    rte_mempool_avail_count(mp) != avail0) {
		printf("pools have %u of %u and %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0,
		       rte_mempool_avail_count(txmp), txavail0);
		goto out;
	}
	if (count_fds() != fds0) {
		printf("open files %d before, %d after\n", fds0, count_fds());
		goto out;
	}
	ctx_free_pool(mp);
	ctx_free_pool(txmp);
	ret = TEST_SUCCESS;
out:
	if (hoard != NULL)
		rte_pktmbuf_free_bulk(hoard, nb_hoard);
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE], args[64];
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
	if (mp == NULL)
		goto out;
	make_ifname(ifname, "st");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto out;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto out;
	if (port_start(port, 1, NULL, mp, NB_RXD, NB_TXD) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
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
	for (i = 0; i < nb; i++)
		if (inject(sock, i, rxlen[i], 0) != 0)
			goto out;
	if (rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
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
	for (i = 0; i < flood; i++)
		if (inject(sock, 100000 + i, 60, 0) != 0)
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
		printf("imissed 0 after %u frames injected without polling (kernel tx_dropped %" PRIu64 " -> %" PRIu64 ", rx_dropped %" PRIu64 ")\n",
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
	printf("flood of %u: received %u, ipackets %" PRIu64 ", imissed %" PRIu64 ", kernel tx_dropped +%" PRIu64 "\n",
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

	ctx_close_socks();
	if (port_close(port, vdev) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	free(c);
	return ret;
}

/* Suite */

static int
test_rtap_suite_setup(void)
{
	struct io_uring_params params;
	char vdev[RTE_DEV_NAME_MAX_LEN];
	uint16_t port;
	int fd;

	if (geteuid() != 0) {
		printf("rtap_pmd_autotest needs root (TAP creation, AF_PACKET), skipped\n");
		return TEST_SKIPPED;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("rtap_pmd_autotest: /dev/net/tun unusable (%s), skipped\n",
		       strerror(errno));
		return TEST_SKIPPED;
	}
	close(fd);
	memset(&params, 0, sizeof(params));
	fd = (int)syscall(__NR_io_uring_setup, 2, &params);
	if (fd < 0) {
		printf("rtap_pmd_autotest: io_uring unavailable (%s), skipped\n",
		       strerror(errno));
		return TEST_SKIPPED;
	}
	close(fd);

	/*
	 * The first port of a process may open files that stay open for the
	 * life of the process, outside the driver; get that out of the way
	 * so that the tests count only what a port holds.
	 */
	ctx_setup();
	if (rtap_probe(RTAP_DRV, NULL, vdev, &port, NULL) == 0)
		port_close(port, vdev);
	ctx_teardown();
	return TEST_SUCCESS;
}

static struct unit_test_suite rtap_pmd_testsuite = {
	.suite_name = "net_rtap PMD unit test suite",
	.setup = test_rtap_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_probe_remove),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_default_name),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mac),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_persist),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_bad_devargs),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_queue_count),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_probe_loop),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_start_stop),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_rx),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_multi_queue),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mempool),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_stats),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap(void)
{
	return unit_test_suite_runner(&rtap_pmd_testsuite);
}

#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
REGISTER_FAST_TEST(rtap_pmd_autotest, true, true, test_pmd_rtap);
#else
REGISTER_TEST_COMMAND(rtap_pmd_autotest, test_pmd_rtap);
#endif
