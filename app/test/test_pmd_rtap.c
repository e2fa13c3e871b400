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
 * and everything else is ignored; each test interface also gets no IPv6
 * address of its own, which keeps it quiet, so that the statistics can be
 * checked exactly.
 *
 * Tests that need the kernel's IP stack (addresses, forwarding, TCP) run
 * in a network namespace of their own, where DPDK plays the hosts on the
 * other side of the TAP.  To see what the kernel made of a frame with a Tx
 * offload, they let it forward the frame back out of the TAP: with no
 * offload offered to it there, the kernel completes checksums and cuts
 * super-packets itself, and DPDK receives the result.
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
#include "test_pmd_rtap_compat.h"

#define RTAP_DRV		"net_rtap"
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
#define TX_MAX_SEGS		32	/* tx_desc_lim.nb_seg_max */

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
	int home_ns;		/* network namespace to return to, or -1 */
	int other_ns;		/* a second namespace of the test, or -1 */
	rte_thread_t thread;	/* a helper thread of the test ... */
	bool thread_live;	/* ... joined at teardown if still there */
};

static struct test_ctx ctx;
static unsigned int vdev_seq;
static unsigned int pool_seq;
static uint8_t frame_buf[FRAME_BUF];
static uint8_t expect_buf[FRAME_BUF];

/*
 * The driver's extended statistics of one queue, in the order it lists
 * them (all Rx queues first, then all Tx queues), and what the test
 * expects in them, counted from the traffic it polled and sent.
 */
#define XS_NB_RX		15
#define XS_NB_TX		13
#define XS_MAX_Q		4

static const char * const xs_rx_names[XS_NB_RX] = {
	"size_64_packets", "size_65_to_127_packets",
	"size_128_to_255_packets", "size_256_to_511_packets",
	"size_512_to_1023_packets", "size_1024_to_1518_packets",
	"size_1519_to_max_packets", "broadcast_packets", "multicast_packets",
	"unicast_packets", "lro_packets", "checksum_good", "checksum_none",
	"checksum_bad", "mbuf_alloc_failed",
};

static const char * const xs_tx_names[XS_NB_TX] = {
	"size_64_packets", "size_65_to_127_packets",
	"size_128_to_255_packets", "size_256_to_511_packets",
	"size_512_to_1023_packets", "size_1024_to_1518_packets",
	"size_1519_to_max_packets", "broadcast_packets", "multicast_packets",
	"unicast_packets", "tso_packets", "checksum_offload_packets",
	"multiseg_packets",
};

/* Positions in the lists above */
#define XS_NB_SIZES		7	/* the size buckets come first */
#define XS_BCAST		7
#define XS_MCAST		8
#define XS_UCAST		9
#define XS_RX_LRO		10
#define XS_RX_GOOD		11
#define XS_RX_NONE		12
#define XS_RX_BAD		13
#define XS_TX_TSO		10
#define XS_TX_CSUM		11
#define XS_TX_MULTISEG		12

struct xs_tally {
	uint64_t rx[XS_MAX_Q][XS_NB_RX];
	uint64_t tx[XS_MAX_Q][XS_NB_TX];
};

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
	const struct rte_ether_addr *dst; /* per frame; NULL: broadcast */
	struct xs_tally *tally;	/* if set, every mbuf polled is counted */
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
	const struct rte_ether_addr *dst; /* per frame; NULL: broadcast */
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

/*
 * Is the wait for a batch over?  It is at *deadline; once the batch is
 * complete, *deadline moves to quiet_ms from then, so that a duplicate
 * arriving late is still seen.
 */
static bool
batch_over(bool complete, bool *quiet, uint64_t *deadline,
	   unsigned int quiet_ms)
{
	if (complete && !*quiet) {
		*quiet = true;
		*deadline = deadline_ms(quiet_ms);
	}
	return expired(*deadline);
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

/* Record a socket for teardown; it is closed at once if there is no room. */
static int
ctx_add_sock(int fd)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_SOCK; i++) {
		if (ctx.sock[i] < 0) {
			ctx.sock[i] = fd;
			return fd;
		}
	}
	printf("warning: too many sockets to track\n");
	close(fd);
	return -1;
}

static void
ctx_close_sock(int fd)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_SOCK; i++) {
		if (ctx.sock[i] == fd) {
			close(fd);
			ctx.sock[i] = -1;
		}
	}
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

/* A helper thread running fn(arg), joined by ctx_join or teardown. */
static int
ctx_thread(rte_thread_func fn, void *arg)
{
	int ret;

	ret = rte_thread_create_control(&ctx.thread, "rtap-test", fn, arg);
	if (ret != 0) {
		printf("cannot create a thread: %s\n", strerror(abs(ret)));
		return -1;
	}
	ctx.thread_live = true;
	return 0;
}

static void
ctx_join(void)
{
	if (!ctx.thread_live)
		return;
	rte_thread_join(ctx.thread, NULL);
	ctx.thread_live = false;
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
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
		 name, what);
	f = fopen(path, "r");
	if (f == NULL)
		return UINT64_MAX;
	if (fscanf(f, "%" SCNu64, &v) != 1)
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

/* Write val to a file under /proc/sys; 0 or -errno. */
static int
proc_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * Write a sysctl under /proc/sys/net/, which is the one of the network
 * namespace the calling thread is in.
 */
static int
net_sysctl(const char *what, const char *ifname, const char *key,
	   const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/%s/%s%s%s", what,
		 ifname != NULL ? ifname : "", ifname != NULL ? "/" : "", key);
	return proc_write(path, val);
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
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct ndmsg nd;
	} u;
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

/* Close the nested attribute nest: it holds everything added since. */
static void
nl_nest_end(struct nl_req *req, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)&req->nh +
					 req->nh.nlmsg_len - (char *)nest);
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

/* An empty request of type, flags and a family header of hdr_len bytes. */
static void
nl_req_init(struct nl_req *req, unsigned short type, unsigned short flags,
	    size_t hdr_len)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(hdr_len);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = flags;
}

static int
kern_add_link(const char *name, const char *kind)
{
	struct nl_req req;
	struct rtattr *info;

	nl_req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
		    sizeof(struct ifinfomsg));
	req.u.ifi.ifi_family = AF_UNSPEC;
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	info = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, kind, strlen(kind));
	nl_nest_end(&req, info);
	return nl_transact(&req);
}

/* A request of type about the link ifindex, as `ip link` sends. */
static void
nl_link_req(struct nl_req *req, unsigned short type, unsigned int ifindex)
{
	nl_req_init(req, type, 0, sizeof(struct ifinfomsg));
	req->u.ifi.ifi_family = AF_UNSPEC;
	req->u.ifi.ifi_index = (int)ifindex;
}

static int
kern_del_link(unsigned int ifindex)
{
	struct nl_req req;

	nl_link_req(&req, RTM_DELLINK, ifindex);
	return nl_transact(&req);
}

/* `ip link set up` / `down` (IFF_UP in change) and the like, from outside. */
static int
kern_set_flags(unsigned int ifindex, unsigned int flags, unsigned int change)
{
	struct nl_req req;

	nl_link_req(&req, RTM_NEWLINK, ifindex);
	req.u.ifi.ifi_flags = flags;
	req.u.ifi.ifi_change = change;
	return nl_transact(&req);
}

/* `ip link set` of one attribute of the link ifindex. */
static int
kern_link_attr(unsigned int ifindex, unsigned short type, const void *data,
	       size_t len)
{
	struct nl_req req;

	nl_link_req(&req, RTM_NEWLINK, ifindex);
	nl_attr(&req, type, data, len);
	return nl_transact(&req);
}

/* `ip link set name`: only an interface that is down can be renamed. */
static int
kern_rename(unsigned int ifindex, const char *name)
{
	return kern_link_attr(ifindex, IFLA_IFNAME, name, strlen(name) + 1);
}

/* `ip link set carrier on|off`: IFF_RUNNING goes while IFF_UP stays. */
static int
kern_set_carrier(unsigned int ifindex, bool on)
{
	uint8_t v = on;

	return kern_link_attr(ifindex, IFLA_CARRIER, &v, sizeof(v));
}

/*
 * `ip link set netns`: move the link ifindex to the network namespace of
 * nsfd.  The kernel takes it down on the way and keeps its ifindex where
 * that is free.
 */
static int
kern_set_netns(unsigned int ifindex, int nsfd)
{
	uint32_t v = (uint32_t)nsfd;

	return kern_link_attr(ifindex, IFLA_NET_NS_FD, &v, sizeof(v));
}

/* `ip addr add` of an IPv4 (alen 4) or IPv6 (alen 16) address, no DAD. */
static int
kern_add_addr(unsigned int ifindex, const uint8_t *addr, size_t alen,
	      uint8_t prefixlen)
{
	struct nl_req req;

	nl_req_init(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
		    sizeof(struct ifaddrmsg));
	req.u.ifa.ifa_family = alen == 4 ? AF_INET : AF_INET6;
	req.u.ifa.ifa_prefixlen = prefixlen;
	req.u.ifa.ifa_flags = IFA_F_NODAD;
	req.u.ifa.ifa_index = ifindex;
	if (alen == 4)
		nl_attr(&req, IFA_LOCAL, addr, alen);
	nl_attr(&req, IFA_ADDRESS, addr, alen);
	return nl_transact(&req);
}

/* `ip neigh replace ... nud permanent`: the kernel never has to ask. */
static int
kern_add_neigh(unsigned int ifindex, const uint8_t *addr, size_t alen,
	       const struct rte_ether_addr *mac)
{
	struct nl_req req;

	nl_req_init(&req, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
		    sizeof(struct ndmsg));
	req.u.nd.ndm_family = alen == 4 ? AF_INET : AF_INET6;
	req.u.nd.ndm_ifindex = (int)ifindex;
	req.u.nd.ndm_state = NUD_PERMANENT;
	nl_attr(&req, NDA_DST, addr, alen);
	nl_attr(&req, NDA_LLADDR, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return nl_transact(&req);
}

/*
 * The kernel's IPv6 stack talks on any interface that comes up (router
 * solicitations, MLD), from its link-local address.  Without an address
 * generated for it, the interface stays quiet, so that only the test's
 * frames cross it.  Set over rtnetlink, on the interface the test made.
 */
static void
kern_ipv6_quiet(unsigned int ifindex)
{
	struct rtattr *spec, *af;
	struct nl_req req;
	uint8_t mode = IN6_ADDR_GEN_MODE_NONE;
	int ret;

	nl_link_req(&req, RTM_NEWLINK, ifindex);
	spec = nl_attr(&req, IFLA_AF_SPEC, NULL, 0);
	af = nl_attr(&req, AF_INET6, NULL, 0);
	nl_attr(&req, IFLA_INET6_ADDR_GEN_MODE, &mode, sizeof(mode));
	nl_nest_end(&req, af);
	nl_nest_end(&req, spec);
	ret = nl_transact(&req);
	if (ret != 0 && ret != -EAFNOSUPPORT)
		printf("warning: cannot keep IPv6 off interface %u: %s\n",
		       ifindex, strerror(-ret));
}

/*
 * Move the calling thread into a network namespace of its own, which
 * ctx_teardown leaves.  Tests that give an interface addresses, make the
 * kernel forward or open TCP connections do it there: nothing they set up
 * or send reaches the host's interfaces, routes or firewall, and none of
 * those interferes.  Everything a thread creates (TAP, sockets, the
 * driver's netlink sockets) belongs to the namespace it is in.  Where
 * there is none to be had, the test is skipped.
 */
static int
netns_enter_new(void)
{
	int fd;

	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("cannot open the thread's network namespace: %s\n",
		       strerror(errno));
		goto skip;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		printf("cannot create a network namespace: %s\n",
		       strerror(errno));
		close(fd);
		goto skip;
	}
	ctx.home_ns = fd;
	return 0;
skip:
	printf("no network namespace of its own, skipped\n");
	return -1;
}

/* Back to the namespace the test started in; the other one then dies. */
static void
netns_leave(void)
{
	if (ctx.home_ns < 0)
		return;
	if (setns(ctx.home_ns, CLONE_NEWNET) != 0)
		printf("warning: cannot return to the original network namespace: %s\n",
		       strerror(errno));
	close(ctx.home_ns);
	ctx.home_ns = -1;
}

/* Move the calling thread into the namespace of nsfd. */
static int
netns_switch(int nsfd)
{
	if (setns(nsfd, CLONE_NEWNET) != 0) {
		printf("cannot enter network namespace (fd %d): %s\n", nsfd,
		       strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A second network namespace for the test, ctx.other_ns, while the thread
 * stays where it is (ctx.home_ns, which teardown returns to).
 */
static int
netns_other(void)
{
	if (netns_enter_new() != 0)
		return -1;
	ctx.other_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (ctx.other_ns < 0) {
		printf("cannot open the new network namespace: %s\n",
		       strerror(errno));
		return -1;
	}
	return netns_switch(ctx.home_ns);
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
	return ctx_add_sock(fd);
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

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
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

/* Expected extended statistics */

/* Size bucket and destination kind, common to Rx and Tx. */
static void
xs_count_frame(uint64_t *v, const struct rte_mbuf *m)
{
	const struct rte_ether_addr *dst =
		rte_pktmbuf_mtod(m, const struct rte_ether_addr *);
	uint32_t len = m->pkt_len;

	if (len <= 64)
		v[0]++;
	else if (len <= 127)
		v[1]++;
	else if (len <= 255)
		v[2]++;
	else if (len <= 511)
		v[3]++;
	else if (len <= 1023)
		v[4]++;
	else if (len <= 1518)
		v[5]++;
	else
		v[6]++;
	if (rte_is_broadcast_ether_addr(dst))
		v[XS_BCAST]++;
	else if (rte_is_multicast_ether_addr(dst))
		v[XS_MCAST]++;
	else
		v[XS_UCAST]++;
}

/* A frame rx_burst returned on queue q. */
static void
xs_rx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m)
{
	uint64_t *v = x->rx[q % XS_MAX_Q];

	xs_count_frame(v, m);
	if (m->ol_flags & RTE_MBUF_F_RX_LRO)
		v[XS_RX_LRO]++;
	switch (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) {
	case RTE_MBUF_F_RX_L4_CKSUM_GOOD:
		v[XS_RX_GOOD]++;
		break;
	case RTE_MBUF_F_RX_L4_CKSUM_NONE:
		v[XS_RX_NONE]++;
		break;
	case RTE_MBUF_F_RX_L4_CKSUM_BAD:
		v[XS_RX_BAD]++;
		break;
	default:
		break;
	}
}

/* A well-formed frame about to be given to tx_burst on queue q. */
static void
xs_tx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m)
{
	uint64_t *v = x->tx[q % XS_MAX_Q];

	xs_count_frame(v, m);
	if (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG)
		v[XS_TX_TSO]++;
	else if (m->ol_flags & RTE_MBUF_F_TX_L4_MASK)
		v[XS_TX_CSUM]++;
	if (m->nb_segs > 1)
		v[XS_TX_MULTISEG]++;
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

/*
 * From the kernel side, nb test frames of length len[i] (or fixed_len)
 * starting at seq base; nb_flows as for frame_build.
 */
static int
inject_frames(int fd, uint32_t base, uint32_t nb, const uint32_t *len,
	      uint32_t fixed_len, uint32_t nb_flows)
{
	uint32_t i;

	for (i = 0; i < nb; i++)
		if (inject(fd, base + i, track_len(len, fixed_len, i),
			   nb_flows) != 0)
			return -1;
	return 0;
}

static void
rx_account(struct rx_track *t, uint16_t q, struct rte_mbuf *m)
{
	uint8_t hdr[64];
	const uint8_t *h;
	uint32_t seq, idx, len, hlen;

	if (t->tally != NULL)
		xs_rx_count(t->tally, q, m);
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
	if (t->dst != NULL)
		rte_ether_addr_copy(&t->dst[idx],
				    (struct rte_ether_addr *)expect_buf);
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

/* One rx_burst on each of queues 0..nb_q-1; the number of frames polled. */
static unsigned int
rx_poll_once(struct rx_track *t, uint16_t nb_q)
{
	struct rte_mbuf *pkts[BURST];
	unsigned int total = 0;
	uint16_t q, i, n;

	for (q = 0; q < nb_q; q++) {
		n = rte_eth_rx_burst(t->port, q, pkts, BURST);
		total += n;
		for (i = 0; i < n; i++)
			rx_account(t, q, pkts[i]);
	}
	return total;
}

/*
 * Poll queues 0..nb_q-1 until the whole batch is in or ms elapse; then keep
 * polling quiet_ms longer so that a duplicate would be seen.
 */
static int
rx_poll(struct rx_track *t, uint16_t nb_q, unsigned int ms,
	unsigned int quiet_ms)
{
	uint64_t deadline = deadline_ms(ms);
	bool quiet = false;
	unsigned int total;

	while (t->err == 0) {
		total = rx_poll_once(t, nb_q);
		if (batch_over(t->got == t->nb, &quiet, &deadline, quiet_ms))
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
	uint64_t end = deadline_ms(max_ms), idle = deadline_ms(idle_ms);

	while (t->err == 0 && !expired(end) && !expired(idle)) {
		if (rx_poll_once(t, nb_q) != 0)
			idle = deadline_ms(idle_ms);
		else
			rte_delay_ms(1);
	}
}

/* How many of queues 0..nb_q-1 the frames of the batch arrived on. */
static uint16_t
rx_queues_used(const struct rx_track *t, uint16_t nb_q)
{
	uint16_t q, used = 0;

	for (q = 0; q < nb_q; q++)
		if (t->per_queue[q] != 0)
			used++;
	return used;
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
	if (t->dst != NULL)
		rte_ether_addr_copy(&t->dst[idx],
				    (struct rte_ether_addr *)expect_buf);
	if (memcmp(f, expect_buf, len) != 0) {
		printf("kernel: frame %u differs from what was sent\n", seq);
		dump_diff("kernel frame", f, expect_buf, len, 0);
		t->err = -1;
		return;
	}
	t->got++;
}

/*
 * Read one frame, if there is one, from the capture socket into t: 1 if
 * a frame was read, 0 if there was none, -1 on error.  PACKET_OUTGOING
 * copies are what the kernel itself transmits and are not what DPDK
 * sent.  The ENETDOWN a socket is left with when its interface goes down
 * is read away like nothing.
 */
static int
cap_recv(int fd, struct cap_track *t)
{
	struct sockaddr_ll sll;
	socklen_t alen = sizeof(sll);
	ssize_t n;

	n = recvfrom(fd, frame_buf, sizeof(frame_buf), MSG_DONTWAIT | MSG_TRUNC,
		     (struct sockaddr *)&sll, &alen);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ENETDOWN)
			return 0;
		printf("kernel: capture: %s\n", strerror(errno));
		return -1;
	}
	if (sll.sll_pkttype == PACKET_OUTGOING)
		return 1;
	if ((size_t)n > sizeof(frame_buf)) {
		printf("kernel: %zd byte frame captured\n", n);
		t->err = -1;
		return -1;
	}
	cap_account(t, frame_buf, (uint32_t)n);
	return 1;
}

/* Read what the capture socket holds now; the number of frames, or -1. */
static int
cap_drain(int fd, struct cap_track *t)
{
	int r, n = 0;

	while ((r = cap_recv(fd, t)) > 0)
		n++;
	return r < 0 || t->err != 0 ? -1 : n;
}

/*
 * Read the capture socket until the batch is complete or ms elapse, then
 * quiet_ms longer to catch duplicates.
 */
static int
cap_poll(int fd, struct cap_track *t, unsigned int ms, unsigned int quiet_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
	uint64_t deadline = deadline_ms(ms);
	bool quiet = false;
	uint32_t i, shown = 0;
	int r;

	while (t->err == 0) {
		r = cap_recv(fd, t);
		if (r < 0)
			return -1;
		if (batch_over(t->got == t->nb, &quiet, &deadline, quiet_ms))
			break;
		if (r == 0)
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

/* Test frame seq of len bytes in segments of seg_len[0..nb_seg-1] bytes. */
static struct rte_mbuf *
mbuf_frame_segs(struct rte_mempool *mp, uint32_t seq, uint32_t len,
		const uint16_t *seg_len, unsigned int nb_seg, uint16_t headroom)
{
	frame_build(frame_buf, len, seq, 0);
	return mbuf_build(mp, frame_buf, seg_len, nb_seg, headroom);
}

/* A single-segment test frame with default headroom. */
static struct rte_mbuf *
mbuf_frame(struct rte_mempool *mp, uint32_t seq, uint32_t len)
{
	uint16_t seg = (uint16_t)len;

	return mbuf_frame_segs(mp, seq, len, &seg, 1, RTE_PKTMBUF_HEADROOM);
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

/* A pool of n mbufs whose buffers hold room bytes, headroom included. */
static struct rte_mempool *
pool_create_sized(unsigned int n, uint16_t room)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;
	unsigned int i;

	snprintf(name, sizeof(name), "rtap_test_%u", pool_seq++);
	/* no per-lcore cache, so that rte_mempool_avail_count is exact */
	mp = rte_pktmbuf_pool_create(name, n, 0, 0, room, SOCKET_ID_ANY);
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

static struct rte_mempool *
pool_create(unsigned int n)
{
	return pool_create_sized(n, RTE_MBUF_DEFAULT_BUF_SIZE);
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
	kern_ipv6_quiet(info.if_index);
	if (ifname != NULL)
		strlcpy(ifname, name, IF_NAMESIZE);
	return 0;
}

/* Probe a port whose interface is named after tag (make_ifname). */
static int
probe_iface(const char *tag, char *vdev, uint16_t *port, char *ifname)
{
	char args[64];

	make_ifname(ifname, tag);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	return rtap_probe(RTAP_DRV, args, vdev, port, NULL);
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

/* Close the port, and the test's sockets on its interface first. */
static int
port_close_all(uint16_t port, const char *vdev)
{
	ctx_close_socks();
	return port_close(port, vdev);
}

/*
 * What a closed port must not leave behind, each check saying what it
 * found: its interface, open files beyond the fds0 there were before,
 * mbufs out of its pools.
 */
static int
if_gone_check(const char *ifname)
{
	if (wait_if_gone(ifname, WAIT_MS) != 0) {
		printf("%s still exists after close\n", ifname);
		return -1;
	}
	return 0;
}

static int
fds_check(int fds0)
{
	if (count_fds() != fds0) {
		printf("open files %d before, %d after\n", fds0, count_fds());
		return -1;
	}
	return 0;
}

static int
pool_check(struct rte_mempool *mp, unsigned int avail0)
{
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0);
		return -1;
	}
	return 0;
}

static int
pools_check(struct rte_mempool *mp, unsigned int avail0,
	    struct rte_mempool *mp2, unsigned int avail2)
{
	if (rte_mempool_avail_count(mp) != avail0 ||
	    rte_mempool_avail_count(mp2) != avail2) {
		printf("pools have %u of %u and %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0,
		       rte_mempool_avail_count(mp2), avail2);
		return -1;
	}
	return 0;
}

/* Let sends on a packet socket bypass the queueing discipline. */
static int
pkt_bypass_qdisc(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)) != 0) {
		printf("PACKET_QDISC_BYPASS: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Every queue's completed transmissions reaped, by bursts of nothing. */
static void
tx_reap(uint16_t port, uint16_t nb_q)
{
	uint16_t q;

	for (q = 0; q < nb_q; q++)
		rte_eth_tx_burst(port, q, NULL, 0);
}

/*
 * While a port runs its Rx rings hold a fixed number of mbufs: with
 * nothing held by the test and every transmission reaped, the pool has
 * want mbufs free whatever happened in between.  Fewer: mbufs leaked;
 * more: Rx descriptors lost their buffers.
 */
static int
pool_running_check(uint16_t port, uint16_t nb_q, struct rte_mempool *mp,
		   unsigned int want)
{
	uint64_t deadline = deadline_ms(WAIT_MS);

	for (;;) {
		tx_reap(port, nb_q);
		if (rte_mempool_avail_count(mp) >= want || expired(deadline))
			break;
		rte_delay_ms(1);
	}
	if (rte_mempool_avail_count(mp) != want) {
		printf("running port: %u mbufs free, %u before\n",
		       rte_mempool_avail_count(mp), want);
		return -1;
	}
	return 0;
}

/* Close the port (port_close_all); it must have left nothing behind. */
static int
port_close_clean(uint16_t port, const char *vdev, const char *ifname,
		 int fds0, struct rte_mempool *mp, unsigned int avail0)
{
	return port_close_all(port, vdev) != 0 || if_gone_check(ifname) != 0 ||
		fds_check(fds0) != 0 || pool_check(mp, avail0) != 0 ? -1 : 0;
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
 * Probe a port whose interface is named after tag, open the kernel end
 * of it (*sock), start it with nb_q queue pairs and prove the path.
 */
static int
probe_start(const char *tag, uint16_t nb_q, const struct rte_eth_conf *conf,
	    struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd,
	    char *vdev, uint16_t *port, char *ifname, int *sock)
{
	if (probe_iface(tag, vdev, port, ifname) != 0)
		return -1;
	*sock = pkt_open(ifname);
	if (*sock < 0 ||
	    port_start(*port, nb_q, conf, mp, nb_rxd, nb_txd) != 0)
		return -1;
	return path_ready(*port, nb_q, ifname, *sock);
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

/*
 * The driver's extended statistics of queues 0..nb_q-1 must come last,
 * after ethdev's generic ones, under exactly the expected names and in
 * order, and hold what x counted; reading them by id gives the same.
 */
static int
xs_check(uint16_t port, uint16_t nb_q, const struct xs_tally *x)
{
	const unsigned int nb_rx = nb_q * XS_NB_RX;
	const unsigned int nb_drv = nb_q * (XS_NB_RX + XS_NB_TX);
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	struct rte_eth_xstat_name *names = NULL;
	struct rte_eth_xstat *vals = NULL;
	uint64_t *ids = NULL, *by_id = NULL, want;
	unsigned int k, j, q, i, wrong = 0;
	int n, base, ret = -1;
	bool rx;

	if (nb_q > XS_MAX_Q)
		return -1;
	n = rte_eth_xstats_get_names(port, NULL, 0);
	if (n < (int)nb_drv) {
		printf("port %u: %d xstats, fewer than the %u of %u queue pairs\n",
		       port, n, nb_drv, nb_q);
		return -1;
	}
	names = calloc(n, sizeof(*names));
	vals = calloc(n, sizeof(*vals));
	ids = calloc(nb_drv, sizeof(*ids));
	by_id = calloc(nb_drv, sizeof(*by_id));
	if (names == NULL || vals == NULL || ids == NULL || by_id == NULL)
		goto out;
	if (rte_eth_xstats_get_names(port, names, n) != n ||
	    rte_eth_xstats_get(port, vals, n) != n) {
		printf("port %u: xstats changed in number\n", port);
		goto out;
	}
	base = n - (int)nb_drv;
	/*
	 * Before the driver's own: ethdev's per-queue packet counts
	 * (RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS), one size bucket each.
	 */
	for (q = 0; q < 2 * nb_q; q++) {
		rx = q < nb_q;
		snprintf(name, sizeof(name), "%s_q%u_packets", rx ? "rx" : "tx",
			 rx ? q : q - nb_q);
		for (want = 0, i = 0; i < XS_NB_SIZES; i++)
			want += rx ? x->rx[q][i] : x->tx[q - nb_q][i];
		for (k = 0; k < (unsigned int)base; k++)
			if (strcmp(names[k].name, name) == 0)
				break;
		if (k == (unsigned int)base) {
			printf("no xstat %s\n", name);
			goto out;
		}
		if (vals[k].value != want) {
			printf("%s is %" PRIu64 ", expected %" PRIu64 "\n", name,
			       vals[k].value, want);
			goto out;
		}
	}
	for (k = 0; k < nb_drv; k++) {
		rx = k < nb_rx;
		j = rx ? k : k - nb_rx;
		q = j / (rx ? XS_NB_RX : XS_NB_TX);
		i = j % (rx ? XS_NB_RX : XS_NB_TX);
		snprintf(name, sizeof(name), "%s_q%u_%s", rx ? "rx" : "tx", q,
			 rx ? xs_rx_names[i] : xs_tx_names[i]);
		if (strcmp(names[base + k].name, name) != 0) {
			printf("xstat %u is \"%s\", expected \"%s\"\n", base + k,
			       names[base + k].name, name);
			goto out;
		}
		if (vals[base + k].id != base + k) {
			printf("xstat %s has id %" PRIu64 " at position %u\n",
			       name, vals[base + k].id, base + k);
			goto out;
		}
		want = rx ? x->rx[q][i] : x->tx[q][i];
		if (vals[base + k].value != want) {
			printf("%s is %" PRIu64 ", expected %" PRIu64 "\n", name,
			       vals[base + k].value, want);
			wrong++;
		}
		ids[k] = base + k;
	}
	if (wrong != 0)
		goto out;
	if (rte_eth_xstats_get_by_id(port, ids, by_id, nb_drv) != (int)nb_drv) {
		printf("port %u: xstats_get_by_id failed\n", port);
		goto out;
	}
	for (k = 0; k < nb_drv; k++) {
		if (by_id[k] != vals[base + k].value) {
			printf("%s by id is %" PRIu64 ", by xstats_get %" PRIu64 "\n",
			       names[base + k].name, by_id[k],
			       vals[base + k].value);
			goto out;
		}
	}
	ret = 0;
out:
	free(names);
	free(vals);
	free(ids);
	free(by_id);
	return ret;
}

/* One extended statistic, looked up by name and read by id. */
static int
xstat_by_name(uint16_t port, const char *name, uint64_t *value)
{
	uint64_t id;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0) {
		printf("port %u has no xstat %s\n", port, name);
		return -1;
	}
	if (rte_eth_xstats_get_by_id(port, &id, value, 1) != 1) {
		printf("port %u: cannot read xstat %s by id\n", port, name);
		return -1;
	}
	return 0;
}

/*
 * Wait until rte_eth_link_get_nowait reports the link up (or down); the
 * kernel must then agree: up is IFF_UP and IFF_RUNNING.
 */
static int
wait_link(uint16_t port, const char *ifname, bool up, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);
	struct rte_eth_link link;
	unsigned int flags = 0;
	bool kup;

	for (;;) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) != 0) {
			printf("port %u: link_get_nowait failed\n", port);
			return -1;
		}
		if ((link.link_status == RTE_ETH_LINK_UP) == up)
			break;
		if (expired(deadline)) {
			kern_flags(ifname, &flags);
			printf("port %u: link still %s after %u ms (kernel flags of %s 0x%x)\n",
			       port, up ? "down" : "up", ms, ifname, flags);
			return -1;
		}
		rte_delay_ms(1);
	}
	if (kern_flags(ifname, &flags) != 0)
		return -1;
	kup = (flags & IFF_UP) && (flags & IFF_RUNNING);
	if (kup != up) {
		printf("port %u: link %s but %s has flags 0x%x\n", port,
		       up ? "up" : "down", ifname, flags);
		return -1;
	}
	return 0;
}

/* Link status change callback: counts, from the EAL interrupt thread. */
struct lsc_state {
	uint16_t port;
	RTE_ATOMIC(uint32_t) calls;
	RTE_ATOMIC(uint32_t) stray;		/* calls for another port or event */
};

/* Static: a callback left registered by a failed test points at no stack. */
static struct lsc_state lsc_state;

static int
lsc_cb(uint16_t port, enum rte_eth_event_type event, void *arg,
	void *ret_param)
{
	struct lsc_state *s = arg;

	RTE_SET_USED(ret_param);
	if (port == s->port && event == RTE_ETH_EVENT_INTR_LSC)
		rte_atomic_fetch_add_explicit(&s->calls, 1, rte_memory_order_release);
	else
		rte_atomic_fetch_add_explicit(&s->stray, 1, rte_memory_order_relaxed);
	return 0;
}

static uint32_t
lsc_calls(void)
{
	return rte_atomic_load_explicit(&lsc_state.calls, rte_memory_order_acquire);
}

/* Count the LSC callbacks of port from zero. */
static int
lsc_register(uint16_t port)
{
	memset(&lsc_state, 0, sizeof(lsc_state));
	lsc_state.port = port;
	return rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC,
					     lsc_cb, &lsc_state);
}

static int
lsc_unregister(uint16_t port)
{
	return rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC,
					       lsc_cb, &lsc_state);
}

/*
 * Wait for an LSC callback after the count was since, with the link then
 * reported up (or down).  With intr_conf.lsc, rte_eth_link_get_nowait of
 * a started port returns the status the driver's event handler stored.
 */
static int
lsc_wait(uint16_t port, const char *ifname, uint32_t since, bool up,
	 unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);
	struct rte_eth_link link;

	for (;;) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) != 0)
			return -1;
		if (lsc_calls() != since &&
		    (link.link_status == RTE_ETH_LINK_UP) == up)
			break;
		if (expired(deadline)) {
			printf("port %u: %u LSC callbacks, link %s, %u ms after the link of %s went %s\n",
			       port, lsc_calls() - since,
			       link.link_status ? "up" : "down", ms, ifname,
			       up ? "up" : "down");
			return -1;
		}
		rte_delay_ms(1);
	}
	return wait_link(port, ifname, up, WAIT_MS);
}

/* Set ifindex up or down from the kernel side; an LSC event must follow. */
static int
lsc_kern_link(uint16_t port, const char *ifname, unsigned int ifindex,
	      bool up)
{
	uint32_t since = lsc_calls();

	if (kern_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP) != 0)
		return -1;
	return lsc_wait(port, ifname, since, up, 3000);
}

/* Kernel IP stack: a host and a forwarding target played by DPDK */

/*
 * Inside a test's own network namespace the TAP has KERN_ADDR; DPDK plays
 * a host at HOST_ADDR and, beyond the kernel's forwarding path, a host at
 * FWD_ADDR.  198.18.0.0/15 is the range set aside for such test set-ups
 * and 2001:db8::/32 the IPv6 documentation prefix.
 */
static const uint8_t kern4[4] = { 198, 18, 0, 1 };
static const uint8_t host4[4] = { 198, 18, 0, 2 };
static const uint8_t fwd4[4] = { 198, 18, 0, 3 };
static const uint8_t kern6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t host6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t fwd6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 3 };
static const struct rte_ether_addr host_mac = {
	.addr_bytes = { 0x02, 0x72, 0x74, 0x61, 0x70, 0x02 } };
static const struct rte_ether_addr fwd_mac = {
	.addr_bytes = { 0x02, 0x72, 0x74, 0x61, 0x70, 0x03 } };

#define TCP_MSS			1460
#define BIG_BUF			(UINT16_MAX + 128)

/* Super-packets, built or received, in one piece */
static uint8_t big_buf[BIG_BUF];

/*
 * Payload bytes are a function of their position in the stream, without
 * a short period, so that data out of place or repeated is caught.
 */
static uint8_t
stream_byte(uint32_t off)
{
	return (uint8_t)((off * 2654435761u) >> 24);
}

static int
stream_check(const uint8_t *p, uint32_t len, uint32_t off)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != stream_byte(off + i)) {
			printf("stream byte %u is 0x%02x, expected 0x%02x\n",
			       off + i, p[i], stream_byte(off + i));
			return -1;
		}
	}
	return 0;
}

/* An Ethernet / IPv4 or IPv6 / TCP or UDP frame, as built or parsed. */
struct l4_frame {
	struct rte_ether_addr dmac;
	struct rte_ether_addr smac;
	bool ipv6;
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t ttl;
	uint8_t tcp_flags;
	uint16_t mss;		/* build: TCP MSS option if not 0 */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	const uint8_t *src;
	const uint8_t *dst;
	uint32_t stream_off;	/* build: payload from this stream offset */
	uint64_t ol_flags;	/* build: for the pseudo-header checksum */
	bool phdr;		/* build: pseudo-header checksum, not full */
	uint32_t l3_off;	/* parse: offsets in the frame */
	uint32_t l4_off;
	uint32_t data_off;
	uint32_t data_len;
};

/*
 * Write frame fr with len payload bytes into f and return its length.
 * The L4 checksum is complete, or with phdr what an application leaves
 * there for checksum offload or TSO: the pseudo-header checksum as
 * rte_ipv4_phdr_cksum / rte_ipv6_phdr_cksum give it for fr->ol_flags.
 */
static uint32_t
l4_build(uint8_t *f, const struct l4_frame *fr, uint32_t len)
{
	uint32_t l3 = fr->ipv6 ? 40 : 20, l4, i;
	uint8_t *ip = f + RTE_ETHER_HDR_LEN, *th = ip + l3;
	uint16_t ck;

	if (fr->proto == IPPROTO_TCP)
		l4 = fr->mss != 0 ? 24 : 20;
	else
		l4 = 8;
	rte_ether_addr_copy(&fr->dmac, (struct rte_ether_addr *)f);
	rte_ether_addr_copy(&fr->smac,
			    (struct rte_ether_addr *)(f + RTE_ETHER_ADDR_LEN));
	put16(f + 12, fr->ipv6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, l3 + l4);
	if (fr->ipv6) {
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)(l4 + len));
		ip[6] = fr->proto;
		ip[7] = 64;
		memcpy(ip + 8, fr->src, 16);
		memcpy(ip + 24, fr->dst, 16);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(l3 + l4 + len));
		put16(ip + 4, fr->sport);
		put16(ip + 6, 0x4000);	/* DF, as TCP stacks send */
		ip[8] = 64;
		ip[9] = fr->proto;
		memcpy(ip + 12, fr->src, 4);
		memcpy(ip + 16, fr->dst, 4);
		put16(ip + 10, ipv4_cksum(ip));
	}
	put16(th, fr->sport);
	put16(th + 2, fr->dport);
	if (fr->proto == IPPROTO_TCP) {
		put32(th + 4, fr->seq);
		put32(th + 8, fr->ack);
		th[12] = (uint8_t)((l4 / 4) << 4);
		th[13] = fr->tcp_flags;
		put16(th + 14, UINT16_MAX);
		if (fr->mss != 0) {
			th[20] = 2;	/* kind MSS, length 4 */
			th[21] = 4;
			put16(th + 22, fr->mss);
		}
	} else {
		put16(th + 4, (uint16_t)(l4 + len));
	}
	for (i = 0; i < len; i++)
		th[l4 + i] = stream_byte(fr->stream_off + i);
	if (fr->phdr && fr->ipv6)
		ck = rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)ip,
					 fr->ol_flags);
	else if (fr->phdr)
		ck = rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *)ip,
					 fr->ol_flags);
	else if (fr->ipv6)
		ck = rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)ip, th);
	else
		ck = rte_ipv4_udptcp_cksum((const struct rte_ipv4_hdr *)ip, th);
	/* already in network order, as DPDK's checksum helpers return it */
	if (fr->proto == IPPROTO_TCP)
		memcpy(th + offsetof(struct rte_tcp_hdr, cksum), &ck,
		       sizeof(ck));
	else
		memcpy(th + offsetof(struct rte_udp_hdr, dgram_cksum), &ck,
		       sizeof(ck));
	return RTE_ETHER_HDR_LEN + l3 + l4 + len;
}

/* Parse an IPv4 or IPv6 TCP/UDP frame of len bytes; -1 for anything else. */
static int
l4_parse(const uint8_t *f, uint32_t len, struct l4_frame *fr)
{
	const uint8_t *ip = f + RTE_ETHER_HDR_LEN, *th;
	uint32_t l3, ip_len, l4;
	uint16_t type;

	memset(fr, 0, sizeof(*fr));
	if (len < RTE_ETHER_HDR_LEN + 20)
		return -1;
	type = get16(f + 12);
	if (type == RTE_ETHER_TYPE_IPV4 && ip[0] == 0x45) {
		l3 = 20;
		ip_len = get16(ip + 2);
		fr->proto = ip[9];
		fr->ttl = ip[8];
		fr->src = ip + 12;
		fr->dst = ip + 16;
	} else if (type == RTE_ETHER_TYPE_IPV6 && (ip[0] >> 4) == 6 &&
		   len >= RTE_ETHER_HDR_LEN + 40) {
		fr->ipv6 = true;
		l3 = 40;
		ip_len = 40 + get16(ip + 4);
		fr->proto = ip[6];
		fr->ttl = ip[7];
		fr->src = ip + 8;
		fr->dst = ip + 24;
	} else {
		return -1;
	}
	if (RTE_ETHER_HDR_LEN + ip_len > len)
		return -1;
	th = ip + l3;
	if (fr->proto == IPPROTO_TCP && ip_len >= l3 + 20) {
		l4 = (th[12] >> 4) * 4u;
		if (l4 < 20 || l3 + l4 > ip_len)
			return -1;
		fr->seq = get32(th + 4);
		fr->ack = get32(th + 8);
		fr->tcp_flags = th[13];
	} else if (fr->proto == IPPROTO_UDP && ip_len >= l3 + 8) {
		l4 = 8;
	} else {
		return -1;
	}
	rte_ether_addr_copy((const struct rte_ether_addr *)f, &fr->dmac);
	rte_ether_addr_copy((const struct rte_ether_addr *)
			    (f + RTE_ETHER_ADDR_LEN), &fr->smac);
	fr->sport = get16(th);
	fr->dport = get16(th + 2);
	fr->l3_off = RTE_ETHER_HDR_LEN;
	fr->l4_off = RTE_ETHER_HDR_LEN + l3;
	fr->data_off = fr->l4_off + l4;
	fr->data_len = ip_len - l3 - l4;
	return 0;
}

/* Is the L4 checksum of a parsed frame complete and right? */
static bool
l4_cksum_ok(const uint8_t *f, const struct l4_frame *fr)
{
	const void *ip = f + fr->l3_off, *l4 = f + fr->l4_off;

	if (fr->ipv6)
		return rte_ipv6_udptcp_cksum_verify(ip, l4) == 0;
	return rte_ipv4_udptcp_cksum_verify(ip, l4) == 0;
}

/* A received mbuf (chain) in one piece, or NULL if it is not consistent. */
static const uint8_t *
mbuf_linear(const struct rte_mbuf *m)
{
	if (m->pkt_len > sizeof(big_buf))
		return NULL;
	return rte_pktmbuf_read(m, 0, m->pkt_len, big_buf);
}

/*
 * Addresses and permanent neighbours on the TAP ifname in the test's
 * namespace (IPv6 too if ipv6); with forward, the kernel routes what DPDK
 * sends to FWD_ADDR back out of the TAP, which is how the tests see what
 * the kernel made of a frame: a port configured without Rx offloads gives
 * the TAP no checksum or segmentation offload, so on the way out the
 * kernel completes partial checksums and segments super-packets itself.
 */
static int
kern_ip_setup(const char *ifname, bool ipv6, bool forward)
{
	unsigned int idx = if_nametoindex(ifname);
	int ret = 0;

	if (idx == 0)
		return -1;
	ret |= kern_add_addr(idx, kern4, 4, 24);
	ret |= kern_add_neigh(idx, host4, 4, &host_mac);
	ret |= kern_add_neigh(idx, fwd4, 4, &fwd_mac);
	if (ipv6) {
		ret |= kern_add_addr(idx, kern6, 16, 64);
		ret |= kern_add_neigh(idx, host6, 16, &host_mac);
		ret |= kern_add_neigh(idx, fwd6, 16, &fwd_mac);
	}
	if (forward) {
		ret |= net_sysctl("ipv4", NULL, "ip_forward", "1");
		/* no ICMP redirect for what leaves where it came in */
		ret |= net_sysctl("ipv4/conf", "all", "send_redirects", "0");
		ret |= net_sysctl("ipv4/conf", ifname, "send_redirects", "0");
		ret |= net_sysctl("ipv4/conf", "all", "rp_filter", "0");
		ret |= net_sysctl("ipv4/conf", ifname, "rp_filter", "0");
		if (ipv6)
			ret |= net_sysctl("ipv6/conf", "all", "forwarding",
					  "1");
	}
	if (ret != 0)
		printf("cannot give %s its addresses, neighbours and routing\n",
		       ifname);
	return ret != 0 ? -1 : 0;
}

/*
 * A non-blocking kernel socket (SOCK_STREAM or SOCK_DGRAM) bound to
 * KERN_ADDR.  A TCP one is reset on close instead of lingering in the
 * namespace.
 */
static int
kern_socket(int type)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in sa;
	int fd;

	fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		printf("kernel socket: %s\n", strerror(errno));
		return -1;
	}
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	memcpy(&sa.sin_addr, kern4, sizeof(kern4));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		printf("bind kernel socket: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return ctx_add_sock(fd);
}

/*
 * The port of a test that runs in its own namespace (netns_enter_new):
 * probed there, started with conf, its TAP given addresses (IPv6 and
 * forwarding too with forward), the path proven.
 */
static int
ns_port_start(const char *tag, const struct rte_eth_conf *conf,
	      struct rte_mempool *mp, uint16_t nb_rxd, bool forward,
	      char *vdev, uint16_t *port, char *ifname, int *sock)
{
	if (probe_iface(tag, vdev, port, ifname) != 0)
		return -1;
	*sock = pkt_open(ifname);
	if (*sock < 0 ||
	    port_start(*port, 1, conf, mp, nb_rxd, NB_TXD) != 0 ||
	    kern_ip_setup(ifname, forward, forward) != 0)
		return -1;
	return path_ready(*port, 1, ifname, *sock);
}

/* Does the port offer all the Rx (or Tx) offloads in need? */
static int
offload_capa_check(uint16_t port, bool rx, uint64_t need)
{
	struct rte_eth_dev_info info;
	uint64_t capa;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	capa = rx ? info.rx_offload_capa : info.tx_offload_capa;
	if (ret != 0 || (capa & need) != need) {
		printf("%s_offload_capa 0x%" PRIx64 " lacks 0x%" PRIx64 "\n",
		       rx ? "rx" : "tx", capa, need);
		return -1;
	}
	return 0;
}

/*
 * The port of a Tx offload test, in the test's own namespace with the
 * kernel forwarding: the Tx offloads in need configured, and offered;
 * *kmac is the TAP's address, and the extended statistics start at 0.
 */
static int
tx_offload_port_start(const char *tag, uint64_t need, struct rte_mempool *mp,
		      char *vdev, uint16_t *port, char *ifname, int *sock,
		      struct rte_ether_addr *kmac)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = need;
	if (ns_port_start(tag, &conf, mp, NB_RXD, true, vdev, port, ifname,
			  sock) != 0 ||
	    offload_capa_check(*port, false, need) != 0)
		return -1;
	if (rte_eth_macaddr_get(*port, kmac) != 0 ||
	    rte_eth_xstats_reset(*port) != 0)
		return -1;
	return 0;
}

/*
 * A frame from HOST_ADDR through the TAP (kmac) to FWD_ADDR, for the
 * kernel to forward back out, with the pseudo-header checksum in it; a
 * TCP one acknowledges 1 with PSH.  Ports, sequence number, stream
 * offset and ol_flags are the caller's.
 */
static void
fwd_frame_init(struct l4_frame *fr, const struct rte_ether_addr *kmac,
	       bool ipv6, uint8_t proto)
{
	memset(fr, 0, sizeof(*fr));
	rte_ether_addr_copy(kmac, &fr->dmac);
	rte_ether_addr_copy(&host_mac, &fr->smac);
	fr->ipv6 = ipv6;
	fr->proto = proto;
	fr->src = ipv6 ? host6 : host4;
	fr->dst = ipv6 ? fwd6 : fwd4;
	fr->ack = 1;
	fr->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	fr->phdr = true;
}

/* Per-test setup and teardown */

static int
ctx_setup(void)
{
	unsigned int i;

	memset(&ctx, 0, sizeof(ctx));
	for (i = 0; i < CTX_MAX_SOCK; i++)
		ctx.sock[i] = -1;
	ctx.home_ns = -1;
	ctx.other_ns = -1;
	return TEST_SUCCESS;
}

static void
ctx_teardown(void)
{
	unsigned int i, idx;
	uint16_t port;

	/* A helper thread ends by itself: its waits have deadlines */
	ctx_join();
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
	/* Last: the interfaces above may live in the test's namespace */
	netns_leave();
	if (ctx.other_ns >= 0) {
		close(ctx.other_ns);
		ctx.other_ns = -1;
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

/* Without iface= the kernel names the interfaces rtap%d, each its own. */
static int
test_rtap_default_name(void)
{
	char vdev[2][RTE_DEV_NAME_MAX_LEN], name[2][IF_NAMESIZE];
	struct rte_eth_dev_info info;
	uint16_t port[2];
	unsigned int i;
	int fds0;

	fds0 = count_fds();
	for (i = 0; i < 2; i++) {
		TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, NULL, vdev[i], &port[i],
					       name[i]),
				    "probe %s without devargs failed", RTAP_DRV);
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

/*
 * Both the kernel and the port show want as the interface's address;
 * how says where want came from (", devarg ", " after set to ").
 */
static int
mac_check(uint16_t port, const char *ifname,
	  const struct rte_ether_addr *want, const char *how)
{
	struct rte_ether_addr mac, kmac;

	TEST_ASSERT_SUCCESS(kern_mac(ifname, &kmac), "SIOCGIFHWADDR failed");
	TEST_ASSERT(rte_is_same_ether_addr(&kmac, want),
		    "kernel MAC " RTE_ETHER_ADDR_PRT_FMT "%s"
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&kmac), how,
		    RTE_ETHER_ADDR_BYTES(want));
	TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac),
			    "macaddr_get failed");
	TEST_ASSERT(rte_is_same_ether_addr(&mac, want),
		    "port MAC " RTE_ETHER_ADDR_PRT_FMT "%s"
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&mac), how,
		    RTE_ETHER_ADDR_BYTES(want));
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
	struct rte_ether_addr set;
	uint16_t port;

	make_ifname(ifname, "m");
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s,mac=" RTE_ETHER_ADDR_PRT_FMT,
		 ifname, RTE_ETHER_ADDR_BYTES(&want));

	TEST_ASSERT_SUCCESS(rtap_probe(RTAP_DRV, args, vdev, &port, NULL),
			    "probe with %s failed", args);
	TEST_ASSERT_SUCCESS(mac_check(port, ifname, &want, ", devarg "),
			    "the address is not the devarg's");

	/* Changing it through ethdev changes it in the kernel */
	rte_ether_addr_copy(&want2, &set);
	TEST_ASSERT_SUCCESS(rte_eth_dev_default_mac_addr_set(port, &set),
			    "default_mac_addr_set failed");
	TEST_ASSERT_SUCCESS(mac_check(port, ifname, &want2, " after set to "),
			    "the address is not the one set");

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

/* What a probe that fails must leave as it was, taken before it. */
struct probe_before {
	char vdev[RTE_DEV_NAME_MAX_LEN];	/* the name to probe */
	unsigned int since;	/* highest ifindex */
	int fds;
	uint16_t nb_ports;
};

static void
probe_before_take(struct probe_before *b)
{
	snprintf(b->vdev, sizeof(b->vdev), "%s%u", RTAP_DRV, vdev_seq++);
	b->since = max_ifindex();
	b->fds = count_fds();
	b->nb_ports = rte_eth_dev_count_avail();
}

/*
 * The probe of b->vdev with args returned ret; it must have failed and
 * left nothing: no port, no interface (neither the named ones nor a
 * kernel-named rtap<N>), no open file.
 */
static int
probe_failed_check(const struct probe_before *b, int ret, const char *args,
		   const char *what, const char *if1, const char *if2)
{
	char leaked[IF_NAMESIZE];
	unsigned int idx;
	uint64_t deadline;
	uint16_t port;
	int fds1;

	if (ret == 0) {
		ctx_add_vdev(b->vdev);
		printf("%s: probe with \"%s\" succeeded\n", what, args);
		return -1;
	}
	if (rte_eth_dev_get_port_by_name(b->vdev, &port) == 0 ||
	    rte_eth_dev_count_avail() != b->nb_ports) {
		printf("%s: %u ports before, %u after the failed probe\n",
		       what, b->nb_ports, rte_eth_dev_count_avail());
		return -1;
	}
	fds1 = count_fds();
	if (fds1 != b->fds) {
		printf("%s: %d open files before probe, %d after\n", what,
		       b->fds, fds1);
		return -1;
	}
	/* Give an asynchronous deletion its chance before calling it a leak */
	deadline = deadline_ms(WAIT_MS);
	for (;;) {
		idx = new_default_iface(b->since, leaked);
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

/* Probe with args must fail and leave nothing (probe_failed_check). */
static int
bad_probe(const char *args, const char *what, const char *if1,
	  const char *if2)
{
	struct probe_before b;

	probe_before_take(&b);
	return probe_failed_check(&b, rte_vdev_init(b.vdev, args), args, what,
				  if1, if2);
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
	/* Rx and Tx queue counts that differ */
	static const uint16_t uneven[][2] = { { 2, 1 }, { 1, 2 }, { 4, 8 } };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_mempool *mp[3];
	struct rx_track *t;
	unsigned int avail0[3], i;
	uint16_t port, nb_rxd, nb_txd, q, used;
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

	if (probe_iface("u", vdev, &port, ifname) != 0)
		goto fail;

	for (i = 0; i < RTE_DIM(uneven); i++) {
		ret = rte_eth_dev_configure(port, uneven[i][0], uneven[i][1],
					    &conf);
		if (ret != -EINVAL) {
			printf("configure %u rx / %u tx queues returned %d, expected -EINVAL\n",
			       uneven[i][0], uneven[i][1], ret);
			goto fail;
		}
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
	if (inject_frames(sock, 0, 256, NULL, 100, 256) != 0)
		goto fail;
	if (rx_poll(t, RTAP_MAX_QUEUES, WAIT_MS, QUIET_MS) != 0) {
		printf("%u queue pairs: not every frame arrived exactly once\n",
		       RTAP_MAX_QUEUES);
		goto fail;
	}
	used = rx_queues_used(t, RTAP_MAX_QUEUES);
	printf("256 flows spread over %u of %u queues\n", used,
	       RTAP_MAX_QUEUES);
	if (used < 2) {
		printf("all flows arrived on one queue of %u\n",
		       RTAP_MAX_QUEUES);
		goto fail;
	}
	if (port_close_all(port, vdev) != 0 || if_gone_check(ifname) != 0 ||
	    fds_check(fds0) != 0)
		goto fail;
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_link link;
	struct rte_mempool *mp;
	unsigned int flags, round;
	uint64_t deadline;
	uint16_t port;
	int ret;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	TEST_ASSERT_SUCCESS(probe_iface("s", vdev, &port, ifname),
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

#define STOP_NB_FRAMES		300	/* under the kernel queue's 1000 */

/*
 * Frames the kernel handed to a port that stops before polling them (read
 * into its posted buffers, or still in the kernel queue, which the kernel
 * purges without counting when the queue is detached) are dropped by the
 * stop and counted in ierrors: every frame the kernel gave is accounted.
 */
static int
test_rtap_stop_drops(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	uint64_t ktx0, ktx;
	unsigned int avail0;
	int fds0, sock;
	uint16_t port;

	mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(mp, "no mempool");
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	/* 64 posted buffers: the rest of the frames wait in the kernel. */
	TEST_ASSERT_SUCCESS(probe_start("sd", 1, NULL, mp, 64, NB_TXD, vdev,
					&port, ifname, &sock),
			    "probe and start failed");
	TEST_ASSERT_SUCCESS(pkt_bypass_qdisc(sock), "no qdisc bypass");
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(port), "stats reset failed");
	ktx0 = kern_stat(ifname, "tx_packets");
	TEST_ASSERT_SUCCESS(inject_frames(sock, 0, STOP_NB_FRAMES, NULL, 100,
					  0), "injection failed");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(port), "stop failed");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(port, &st), "no stats");
	/* The kernel counts a frame as sent when the port's fd reads it. */
	ktx = kern_stat(ifname, "tx_packets") - ktx0;
	printf("%u frames injected; kernel sent %" PRIu64 ", ipackets %" PRIu64
	       ", ierrors %" PRIu64 ", imissed %" PRIu64 "\n", STOP_NB_FRAMES,
	       ktx, st.ipackets, st.ierrors, st.imissed);
	TEST_ASSERT(st.ipackets == 0 && st.imissed == 0,
		    "frames received or missed by a port that was not polled");
	TEST_ASSERT(st.ierrors >= STOP_NB_FRAMES,
		    "the stop dropped frames it did not count");
	TEST_ASSERT(st.ierrors == ktx,
		    "the kernel gave %" PRIu64 " frames, ierrors counts %" PRIu64,
		    ktx, st.ierrors);
	TEST_ASSERT_SUCCESS(port_close_clean(port, vdev, ifname, fds0, mp,
					     avail0), "close left something");
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
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rx_track *t;
	unsigned int avail0;
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
	if (probe_start("r", 1, NULL, mp, NB_RXD, NB_TXD, vdev, &port, ifname,
			&sock) != 0)
		goto fail;

	rx_track_init(t, port, 0, RTE_DIM(sizes), sizes, 0, 0);
	t->single_max = RTE_ETHER_MAX_LEN;
	if (inject_frames(sock, 0, RTE_DIM(sizes), sizes, 0, 0) != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
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
	if (inject_frames(sock, 100, RTE_DIM(jumbo), jumbo, 0, 0) != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0)
		goto fail;

	if (port_close_clean(port, vdev, ifname, fds0, mp, avail0) != 0)
		goto fail;
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
	/* segments and headroom of the frames that go round the ring */
	static const struct {
		unsigned int nb_seg;
		uint16_t headroom;
	} shape[] = {
		{ 1, RTE_PKTMBUF_HEADROOM }, { 1, 0 },
		{ 2, RTE_PKTMBUF_HEADROOM }, { 5, RTE_PKTMBUF_HEADROOM },
		{ 3, 0 },
	};
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
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
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (probe_start("t", 1, &conf, mp, NB_RXD, NB_TXD, vdev, &port,
			ifname, &sock) != 0)
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
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg2, RTE_DIM(seg2),
				  RTE_PKTMBUF_HEADROOM);
	n++;
	/* 3: five segments, one of them a single byte */
	len[n] = 1514;
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg5, RTE_DIM(seg5),
				  RTE_PKTMBUF_HEADROOM);
	n++;
	/* 4: no headroom at all */
	len[n] = 100;
	seg = (uint16_t)len[n];
	pkts[n] = mbuf_frame_segs(mp, n, len[n], &seg, 1, 0);
	n++;
	/* 5: a chain whose first segment has no headroom */
	len[n] = 600;
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg_zh2, RTE_DIM(seg_zh2), 0);
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
	pkts[n] = mbuf_frame_segs(mp, n, len[n], seg3, RTE_DIM(seg3),
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
			pkts[n] = mbuf_split(mp, frame_buf, vlen[i],
					     shape[i % RTE_DIM(shape)].nb_seg,
					     shape[i % RTE_DIM(shape)].headroom);
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

	if (port_close_clean(port, vdev, ifname, fds0, mp, avail0) != 0)
		goto fail;
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
 * The memory of a small pool between its objects (mempool headers,
 * trailers, padding at page ends), where nothing may write while the
 * objects are in use.  Its objects, which are mbufs without data room,
 * are in obj[].
 */
#define GAP_OBJS		16
struct pool_gaps {
	struct rte_mempool *mp;
	void *obj[GAP_OBJS];
	uint8_t *lo;
	size_t len;
	uint8_t snap[8192];
};

static int
pool_gaps_take(struct pool_gaps *g, struct rte_mempool *mp)
{
	uint8_t *lo = NULL, *hi = NULL, *o;
	unsigned int i;

	g->mp = mp;
	if (mp->nb_mem_chunks != 1 ||
	    rte_mempool_get_bulk(mp, g->obj, GAP_OBJS) != 0) {
		printf("pool %s: not %u objects in one chunk\n", mp->name,
		       GAP_OBJS);
		return -1;
	}
	for (i = 0; i < GAP_OBJS; i++) {
		o = g->obj[i];
		if (lo == NULL || o - mp->header_size < lo)
			lo = o - mp->header_size;
		if (hi == NULL || o + mp->elt_size + mp->trailer_size > hi)
			hi = o + mp->elt_size + mp->trailer_size;
	}
	rte_mempool_put_bulk(mp, g->obj, GAP_OBJS);
	g->lo = lo;
	g->len = hi - lo;
	if (g->len > sizeof(g->snap))
		return -1;
	memcpy(g->snap, lo, g->len);
	return 0;
}

static bool
pool_gaps_in_obj(const struct pool_gaps *g, const uint8_t *p)
{
	unsigned int i;

	for (i = 0; i < GAP_OBJS; i++)
		if (p >= (uint8_t *)g->obj[i] &&
		    p < (uint8_t *)g->obj[i] + g->mp->elt_size)
			return true;
	return false;
}

/*
 * The bytes between the objects that changed since pool_gaps_take; they
 * are put back, or the pool could not be freed.
 */
static size_t
pool_gaps_changed(const struct pool_gaps *g)
{
	size_t off, changed = 0;

	for (off = 0; off < g->len; off++) {
		if (g->lo[off] == g->snap[off] ||
		    pool_gaps_in_obj(g, g->lo + off))
			continue;
		if (changed++ == 0)
			printf("pool %s: byte %zu after the start of its objects changed, not in any object\n",
			       g->mp->name, off);
		g->lo[off] = g->snap[off];
	}
	return changed;
}

/*
 * The header mbuf of a clone comes from the clone's pool, which has no
 * data room when it is made for indirect mbufs only, as users of
 * rte_pktmbuf_clone often make them: the virtio-net header, and the TSO
 * headers copied after it, must not be written past that mbuf (the
 * driver may send the frame or drop and count it).  A TSO frame (1000
 * bytes of TCP payload in segments of 500) is cloned into a pool of 16
 * mbufs without data room and transmitted: nothing may have written
 * between the mbufs of that pool, the pool is full again, and close
 * leaves nothing behind.
 */
static int
test_rtap_tx_clone_pool(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mempool *mp, *ind;
	struct rte_mbuf *m, *clone;
	struct rte_eth_conf conf;
	struct pool_gaps *g;
	struct l4_frame fr;
	unsigned int avail0;
	uint32_t len;
	uint16_t port, seg;
	int sock, fds0, ret = TEST_FAILED;
	size_t changed;

	g = malloc(sizeof(*g));
	mp = pool_create(NB_MBUF);
	ind = pool_create_sized(GAP_OBJS, 0);
	if (g == NULL || mp == NULL || ind == NULL ||
	    pool_gaps_take(g, ind) != 0)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	fds0 = count_fds();
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
	if (probe_start("cl", 1, &conf, mp, NB_RXD, NB_TXD, vdev, &port,
			ifname, &sock) != 0)
		goto out;

	memset(&fr, 0, sizeof(fr));
	rte_ether_addr_copy(&fwd_mac, &fr.dmac);
	rte_ether_addr_copy(&host_mac, &fr.smac);
	fr.proto = IPPROTO_TCP;
	fr.src = host4;
	fr.dst = fwd4;
	fr.tcp_flags = RTE_TCP_ACK_FLAG;
	fr.phdr = true;
	fr.ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	len = l4_build(big_buf, &fr, 1000);
	seg = (uint16_t)len;
	m = mbuf_build(mp, big_buf, &seg, 1, RTE_PKTMBUF_HEADROOM);
	clone = m != NULL ? rte_pktmbuf_clone(m, ind) : NULL;
	rte_pktmbuf_free(m);
	if (clone == NULL) {
		printf("cannot clone a frame\n");
		goto out;
	}
	clone->ol_flags |= fr.ol_flags;	/* it stays indirect */
	clone->l2_len = RTE_ETHER_HDR_LEN;
	clone->l3_len = sizeof(struct rte_ipv4_hdr);
	clone->l4_len = sizeof(struct rte_tcp_hdr);
	clone->tso_segsz = 500;
	if (tx_all(port, 0, &clone, 1) == 0 &&
	    pool_running_check(port, 1, ind, GAP_OBJS) == 0)
		ret = TEST_SUCCESS;
	changed = pool_gaps_changed(g);
	if (changed != 0) {
		printf("%zu bytes between the mbufs of the clone pool were written: a header mbuf without data room was written past its end\n",
		       changed);
		ret = TEST_FAILED;
	}
	if (ret != TEST_SUCCESS || port_close_clean(port, vdev, ifname, fds0,
						    mp, avail0) != 0)
		ret = TEST_FAILED;
out:
	free(g);
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

/* set_mtu, and the kernel's MTU of ifname (in *kmtu) is then mtu. */
static int
mtu_set_kern(uint16_t port, const char *ifname, uint16_t mtu, int *kmtu)
{
	if (rte_eth_dev_set_mtu(port, mtu) != 0 ||
	    kern_mtu(ifname, kmtu) != 0 || *kmtu != mtu)
		return -1;
	return 0;
}

/*
 * set_mtu changes the kernel's MTU and refuses what is out of range.  On a
 * started port it refuses an MTU whose frames do not fit the Rx buffers
 * already posted; the largest that fits works, with a frame of that size.
 */
static int
test_rtap_mtu(void)
{
	static const uint16_t bad[] = { 0, RTAP_MIN_MTU - 1, RTAP_MAX_MTU + 1,
					UINT16_MAX };
	static const uint16_t good[] = { RTAP_MIN_MTU, RTAP_MAX_MTU };
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct rx_track *t;
	unsigned int i;
	uint16_t port, fit, mtu = 0;
	int sock, kmtu = 0, rc, ret = TEST_FAILED;

	t = malloc(sizeof(*t));
	mp = pool_create(NB_MBUF);
	if (t == NULL || mp == NULL ||
	    probe_iface("mtu", vdev, &port, ifname) != 0)
		goto out;
	sock = pkt_open(ifname);
	if (sock < 0)
		goto out;
	/* The MTU given at configure is the kernel's too. */
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = 1400;
	if (port_setup(port, 1, &conf, mp, NB_RXD, NB_TXD) != 0 ||
	    kern_mtu(ifname, &kmtu) != 0 || kmtu != 1400) {
		printf("kernel MTU %d after configure with rxmode.mtu 1400\n",
		       kmtu);
		goto out;
	}
	if (port_setup(port, 1, NULL, mp, NB_RXD, NB_TXD) != 0 ||
	    rte_eth_dev_info_get(port, &info) != 0)
		goto out;
	/*
	 * The largest MTU whose frames fit one default mbuf, with the frame
	 * overhead the port declares (as ethdev computes it).
	 */
	fit = RTE_MBUF_DEFAULT_DATAROOM - (info.max_rx_pktlen - info.max_mtu);

	/* Stopped: anything in [68, 9216] goes, the rest does not */
	for (i = 0; i < RTE_DIM(bad); i++) {
		if (rte_eth_dev_set_mtu(port, bad[i]) == 0) {
			printf("set_mtu %u accepted\n", bad[i]);
			goto out;
		}
		if (kern_mtu(ifname, &kmtu) != 0 ||
		    kmtu != RTE_ETHER_MTU) {
			printf("kernel MTU %d after refused set_mtu %u\n", kmtu,
			       bad[i]);
			goto out;
		}
	}
	for (i = 0; i < RTE_DIM(good); i++) {
		if (mtu_set_kern(port, ifname, good[i], &kmtu) != 0) {
			printf("set_mtu %u on a stopped port: kernel MTU %d\n",
			       good[i], kmtu);
			goto out;
		}
	}
	if (rte_eth_dev_set_mtu(port, RTE_ETHER_MTU) != 0 ||
	    rte_eth_dev_start(port) != 0 ||
	    path_ready(port, 1, ifname, sock) != 0)
		goto out;

	/* Started: the largest MTU that fits one mbuf, and its frame */
	if (rte_eth_dev_set_mtu(port, fit) != 0) {
		printf("set_mtu %u refused on a started port with %u byte mbufs\n",
		       fit, RTE_MBUF_DEFAULT_DATAROOM);
		goto out;
	}
	if (kern_mtu(ifname, &kmtu) != 0 || kmtu != fit ||
	    rte_eth_dev_get_mtu(port, &mtu) != 0 || mtu != fit) {
		printf("after set_mtu %u: kernel MTU %d, get_mtu %u\n", fit,
		       kmtu, mtu);
		goto out;
	}
	rx_track_init(t, port, 0, 2, NULL, fit + RTE_ETHER_HDR_LEN, 0);
	t->single_max = RTE_MBUF_DEFAULT_DATAROOM;
	if (inject(sock, 0, fit + RTE_ETHER_HDR_LEN, 0) != 0 ||
	    inject(sock, 1, fit + RTE_ETHER_HDR_LEN, 0) != 0 ||
	    rx_poll(t, 1, WAIT_MS, QUIET_MS) != 0) {
		printf("frames of MTU %u not received\n", fit);
		goto out;
	}
	/* One byte more does not fit what is posted */
	rc = rte_eth_dev_set_mtu(port, fit + 1);
	if (rc != -EINVAL) {
		printf("set_mtu %u on a started port returned %d, expected -EINVAL\n",
		       fit + 1, rc);
		goto out;
	}
	if (rte_eth_dev_set_mtu(port, JUMBO_MTU) != -EINVAL) {
		printf("set_mtu %u on a started port without scatter accepted\n",
		       JUMBO_MTU);
		goto out;
	}
	if (kern_mtu(ifname, &kmtu) != 0 || kmtu != fit ||
	    rte_eth_dev_get_mtu(port, &mtu) != 0 || mtu != fit) {
		printf("refused set_mtu changed the MTU: kernel %d, get_mtu %u\n",
		       kmtu, mtu);
		goto out;
	}
	if (mtu_set_kern(port, ifname, 1280, &kmtu) != 0) {
		printf("set_mtu 1280 on a started port: kernel MTU %d\n", kmtu);
		goto out;
	}

	if (port_close_all(port, vdev) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	return ret;
}

/* `ip link set name to` on the interface named from; it is then to. */
static int
rename_check(unsigned int ifindex, const char *from, const char *to)
{
	if (kern_rename(ifindex, to) != 0 || if_nametoindex(to) != ifindex) {
		printf("cannot rename %s to %s\n", from, to);
		return -1;
	}
	return 0;
}

/*
 * The port keeps working on an interface renamed from the kernel side:
 * start (which opens the kernel queues), traffic, MTU, link down and up
 * and promiscuous mode all reach the interface under its new names.
 */
static int
test_rtap_rename(void)
{
	char vdev[RTE_DEV_NAME_MAX_LEN], args[64];
	char name[3][IF_NAMESIZE];
	static const char * const tag[3] = { "ra", "rb", "rc" };
	struct rte_eth_dev_info info;
	struct rte_mempool *mp;
	struct cap_track *c;
	unsigned int ifindex, flags, i;
	uint16_t port;
	int sock, kmtu = 0, ret = TEST_FAILED;

	c = malloc(sizeof(*c));
	mp = pool_create(NB_MBUF);
	if (c == NULL || mp == NULL)
		goto out;
	for (i = 0; i < RTE_DIM(name); i++) {
		make_ifname(name[i], tag[i]);
		ctx_add_ifname(name[i]);
	}
	snprintf(args, sizeof(args), "iface=%s", name[0]);
	if (rtap_probe(RTAP_DRV, args, vdev, &port, NULL) != 0)
		goto out;
	ifindex = if_nametoindex(name[0]);
	if (rename_check(ifindex, name[0], name[1]) != 0)
		goto out;
	if (port_start(port, 1, NULL, mp, NB_RXD, NB_TXD) != 0) {
		printf("start after rename to %s failed\n", name[1]);
		goto out;
	}
	sock = pkt_open(name[1]);
	if (sock < 0 || path_ready(port, 1, name[1], sock) != 0)
		goto out;
	if (mtu_set_kern(port, name[1], 1400, &kmtu) != 0) {
		printf("set_mtu 1400 after rename: MTU of %s is %d\n", name[1],
		       kmtu);
		goto out;
	}
	if (rte_eth_dev_set_link_down(port) != 0 ||
	    wait_flags(name[1], IFF_UP, false, WAIT_MS) != 0) {
		printf("set_link_down did not reach %s\n", name[1]);
		goto out;
	}

	/* Again, while started */
	if (rename_check(ifindex, name[1], name[2]) != 0)
		goto out;
	if (rte_eth_dev_set_link_up(port) != 0 ||
	    wait_link(port, name[2], true, WAIT_MS) != 0) {
		printf("set_link_up did not reach %s\n", name[2]);
		goto out;
	}
	if (mtu_set_kern(port, name[2], 1300, &kmtu) != 0) {
		printf("set_mtu 1300 after rename: MTU of %s is %d\n", name[2],
		       kmtu);
		goto out;
	}
	if (rte_eth_promiscuous_enable(port) != 0 ||
	    kern_flags(name[2], &flags) != 0 || !(flags & IFF_PROMISC)) {
		printf("promiscuous_enable did not reach %s\n", name[2]);
		goto out;
	}
	if (rte_eth_dev_info_get(port, &info) != 0 ||
	    info.if_index != ifindex) {
		printf("if_index changed with the name\n");
		goto out;
	}
	/* The packet socket is bound by index: it follows the rename too */
	if (path_ready(port, 1, name[2], sock) != 0)
		goto out;
	cap_track_init(c, 0, 16, NULL, 300);
	if (tx_frames(port, 0, mp, 0, 16, NULL, 300) != 0 ||
	    cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	if (rte_eth_dev_set_link_down(port) != 0 ||
	    wait_flags(name[2], IFF_UP, false, WAIT_MS) != 0) {
		printf("set_link_down did not reach %s\n", name[2]);
		goto out;
	}

	if (port_close_all(port, vdev) != 0 || if_gone_check(name[2]) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(c);
	return ret;
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
 * A chain of len bytes of f in segments of at most chunk bytes: at most
 * one segment more than a port takes, for the test of a chain too long.
 */
static struct rte_mbuf *
mbuf_chunks(struct rte_mempool *mp, const uint8_t *f, uint32_t len,
	    uint16_t chunk)
{
	uint16_t seg[TX_MAX_SEGS + 1];
	unsigned int n = 0;
	uint32_t left = len;

	while (left > 0 && n < RTE_DIM(seg)) {
		seg[n] = (uint16_t)RTE_MIN(left, (uint32_t)chunk);
		left -= seg[n++];
	}
	if (left != 0)
		return NULL;
	return mbuf_build(mp, f, seg, n, RTE_PKTMBUF_HEADROOM);
}

/*
 * Extended statistics: the driver's names, exactly and in order, for two
 * queue pairs; counts by size bucket (both edges of each), by unicast,
 * multicast or broadcast destination, and of chains, per queue and
 * direction, for known traffic; the same values by id; zero after reset.
 */
static int
test_rtap_xstats(void)
{
	static const uint32_t sizes[] = {
		60, 64, 65, 127, 128, 255, 256, 511, 512, 1023, 1024, 1518,
		1519, JUMBO_FRAME };
	static const struct rte_ether_addr cast[3] = {
		{ .addr_bytes = { 0x02, 0x72, 0x74, 0x61, 0x70, 0x09 } },
		{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x09 } },
		{ .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	};
	const uint32_t nb_rx = 7 * 16, nb_tx = RTE_DIM(sizes) * 3;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	static uint32_t rxlen[7 * 16], txlen[RTE_DIM(sizes) * 3 * 2];
	static struct rte_ether_addr rxdst[7 * 16];
	static struct rte_ether_addr txdst[RTE_DIM(sizes) * 3 * 2];
	struct rte_mbuf *pkts[RTE_DIM(sizes) * 3];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct xs_tally *xs;
	struct rx_track *t;
	struct cap_track *c;
	uint32_t i, seq, len;
	uint16_t port, q;
	int sock, ret = TEST_FAILED;

	t = malloc(sizeof(*t));
	c = malloc(sizeof(*c));
	xs = calloc(1, sizeof(*xs));
	mp = pool_create(NB_MBUF);
	if (t == NULL || c == NULL || xs == NULL || mp == NULL ||
	    probe_iface("xs", vdev, &port, ifname) != 0)
		goto out;
	sock = pkt_open(ifname);
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (sock < 0 || port_setup(port, 2, &conf, mp, 128, 256) != 0 ||
	    rte_eth_dev_set_mtu(port, JUMBO_MTU) != 0 ||
	    rte_eth_dev_start(port) != 0 ||
	    path_ready(port, 2, ifname, sock) != 0)
		goto out;
	if (rte_eth_xstats_reset(port) != 0 || xs_check(port, 2, xs) != 0) {
		printf("xstats not zero after reset\n");
		goto out;
	}

	/*
	 * From the kernel: 16 frames of each size bucket, each bucket with
	 * its kind of destination, as IPv4/UDP flows spread over the queues.
	 */
	for (i = 0; i < nb_rx; i++) {
		rxlen[i] = sizes[(i / 16) * 2 + i % 2];
		rxdst[i] = cast[(i / 16) % 3];
	}
	rx_track_init(t, port, 0, nb_rx, rxlen, 0, 16);
	t->dst = rxdst;
	t->tally = xs;
	for (i = 0; i < nb_rx; i++) {
		frame_build(frame_buf, rxlen[i], i, 16);
		rte_ether_addr_copy(&rxdst[i],
				    (struct rte_ether_addr *)frame_buf);
		if (pkt_send(sock, frame_buf, rxlen[i]) != 0)
			goto out;
	}
	if (rx_poll(t, 2, WAIT_MS, QUIET_MS) != 0)
		goto out;
	printf("%u frames received on %u queues (%u + %u)\n", t->got,
	       rx_queues_used(t, 2), t->per_queue[0], t->per_queue[1]);

	/*
	 * To the kernel: every size on each queue, with the three kinds of
	 * destination, the jumbo ones and some others as chains.
	 */
	seq = 1000;
	for (q = 0; q < 2; q++) {
		for (i = 0; i < nb_tx; i++) {
			len = sizes[(i + q * 5) % RTE_DIM(sizes)];
			txlen[q * nb_tx + i] = len;
			txdst[q * nb_tx + i] = cast[(i + q) % 3];
			frame_build(frame_buf, len, seq + q * nb_tx + i, 0);
			rte_ether_addr_copy(&txdst[q * nb_tx + i],
					    (struct rte_ether_addr *)frame_buf);
			if (len > RTE_MBUF_DEFAULT_DATAROOM || i % (q + 2) == 0)
				pkts[i] = mbuf_chunks(mp, frame_buf, len, 1000);
			else
				pkts[i] = mbuf_chunks(mp, frame_buf, len,
						      UINT16_MAX);
			if (pkts[i] == NULL) {
				printf("cannot build frame %u\n", i);
				rte_pktmbuf_free_bulk(pkts, i);
				goto out;
			}
			xs_tx_count(xs, q, pkts[i]);
		}
		if (tx_all(port, q, pkts, nb_tx) != 0)
			goto out;
	}
	cap_track_init(c, seq, 2 * nb_tx, txlen, 0);
	c->dst = txdst;
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	if (xs_check(port, 2, xs) != 0) {
		printf("xstats do not match the traffic\n");
		goto out;
	}

	if (rte_eth_xstats_reset(port) != 0)
		goto out;
	memset(xs, 0, sizeof(*xs));
	if (xs_check(port, 2, xs) != 0) {
		printf("xstats not zero after reset\n");
		goto out;
	}

	if (port_close_all(port, vdev) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(t);
	free(c);
	free(xs);
	return ret;
}

/*
 * Offload requests the kernel cannot carry out, malformed mbufs and
 * frames the kernel would not take are dropped by tx_burst and counted in
 * oerrors: the kernel never sees them (nothing captured, no Tx size
 * counter moves), the well-formed frames around them in the same burst go
 * through, and no mbuf is lost: the driver frees what it drops.
 */
static int
test_rtap_tx_bad_offload(void)
{
	static const struct {
		const char *what;
		uint32_t len;
		uint16_t chunk;		/* in segments of at most this */
	} bad[] = {
		{ "TSO with tso_segsz 0", 300, 300 },
		{ "TSO headers beyond the packet", 300, 300 },
		{ "TSO with a 8 byte TCP header", 300, 300 },
		{ "TSO without IPv4 or IPv6", 300, 300 },
		{ "TSO of a tunnel", 300, 300 },
		{ "UDP checksum with headers beyond the packet", 300, 300 },
		{ "SCTP checksum", 300, 300 },
		{ "chain with nb_segs 3 and 2 segments", 300, 150 },
		{ "chain whose data_len add up to less than pkt_len", 300, 150 },
		{ "chain whose data_len add up to more than pkt_len", 300, 150 },
		{ "one segment with data_len short of pkt_len", 300, 150 },
		{ "chain with nb_segs 2 and 3 segments", 300, 100 },
		{ "chain with nb_segs 1 and 2 segments", 300, 150 },
		{ "zero-length frame", 300, 300 },
		{ "13-byte frame, shorter than an Ethernet header", 300, 300 },
		{ "chain of 33 segments", 330, 10 },
		{ "9300-byte frame without TSO, beyond the largest MTU", 9300,
		  1000 },
		{ "TCP checksum with l2_len and l3_len beyond the packet", 300,
		  300 },
		{ "TSO with headers filling the whole packet", 300, 300 },
		{ "UDP checksum of a tunnel with outer headers beyond the packet",
		  300, 300 },
	};
	const uint32_t nb_bad = RTE_DIM(bad), nb = 2 * RTE_DIM(bad) + 1;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mbuf *pkts[2 * RTE_DIM(bad) + 1], *m;
	struct rte_eth_conf conf;
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	struct xs_tally *xs;
	struct cap_track *c;
	unsigned int avail0, i, k;
	uint64_t deadline;
	uint16_t port, sent;
	int sock, ret = TEST_FAILED;

	c = malloc(sizeof(*c));
	xs = calloc(1, sizeof(*xs));
	mp = pool_create(NB_MBUF);
	if (c == NULL || xs == NULL || mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	memset(&conf, 0, sizeof(conf));
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_TSO;
	if (probe_start("bad", 1, &conf, mp, NB_RXD, NB_TXD, vdev, &port,
			ifname, &sock) != 0)
		goto out;
	if (rte_eth_stats_reset(port) != 0 || rte_eth_xstats_reset(port) != 0)
		goto out;

	/*
	 * Good frames (seq 0..nb_bad) and bad ones (seq 100..) alternate in
	 * one burst; all are test frames, so a capture would tell them.
	 */
	memset(pkts, 0, sizeof(pkts));
	for (i = 0, k = 0; i < nb; i++) {
		if (i % 2 == 0) {
			pkts[i] = mbuf_frame(mp, i / 2, 200);
			if (pkts[i] == NULL)
				goto free;
			xs_tx_count(xs, 0, pkts[i]);
			continue;
		}
		frame_build(frame_buf, bad[k].len, 100 + k, 0);
		m = mbuf_chunks(mp, frame_buf, bad[k].len, bad[k].chunk);
		pkts[i] = m;
		if (m == NULL)
			goto free;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(struct rte_ipv4_hdr);
		m->l4_len = sizeof(struct rte_tcp_hdr);
		m->tso_segsz = 100;
		m->ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
		switch (k++) {
		case 0:
			m->tso_segsz = 0;
			break;
		case 1:
			m->l3_len = 300;
			break;
		case 2:
			m->l4_len = 8;
			break;
		case 3:
			m->ol_flags = RTE_MBUF_F_TX_TCP_SEG;
			break;
		case 4:
			m->ol_flags |= RTE_MBUF_F_TX_TUNNEL_VXLAN |
				RTE_MBUF_F_TX_OUTER_IPV4;
			m->outer_l2_len = RTE_ETHER_HDR_LEN;
			m->outer_l3_len = sizeof(struct rte_ipv4_hdr);
			break;
		case 5:
			m->ol_flags = RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_UDP_CKSUM;
			m->l3_len = 300;
			break;
		case 6:
			m->ol_flags = RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_SCTP_CKSUM;
			break;
		case 7:
			m->ol_flags = 0;
			m->nb_segs = 3;
			break;
		case 8:
			m->ol_flags = 0;
			m->pkt_len += 50;
			break;
		case 9:
			m->ol_flags = 0;
			m->pkt_len -= 50;
			break;
		case 10:
			m->ol_flags = 0;
			rte_pktmbuf_free(m->next);
			m->next = NULL;
			m->nb_segs = 1;
			break;
		case 11:
			m->ol_flags = 0;
			m->nb_segs = 2;
			break;
		case 12:
			m->ol_flags = 0;
			m->nb_segs = 1;
			break;
		case 13:
			m->ol_flags = 0;
			m->data_len = 0;
			m->pkt_len = 0;
			break;
		case 14:
			m->ol_flags = 0;
			m->data_len = 13;
			m->pkt_len = 13;
			break;
		case 15:
		case 16:
			m->ol_flags = 0;
			break;
		case 17:
			m->ol_flags = RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_TCP_CKSUM;
			m->l2_len = 127;
			m->l3_len = 200;
			break;
		case 18:
			m->l3_len = 31;
			m->l4_len = 255;
			break;
		default:
			m->ol_flags = RTE_MBUF_F_TX_TUNNEL_VXLAN |
				RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_IPV4 |
				RTE_MBUF_F_TX_UDP_CKSUM;
			m->outer_l2_len = 100;
			m->outer_l3_len = 200;
			break;
		}
	}
	cap_track_init(c, 0, nb - nb_bad, NULL, 200);
	sent = rte_eth_tx_burst(port, 0, pkts, nb);
	if (sent != nb) {
		printf("tx_burst took %u of %u frames; dropped ones count as taken\n",
		       sent, nb);
		rte_pktmbuf_free_bulk(pkts + sent, nb - sent);
		goto out;
	}
	if (cap_poll(sock, c, WAIT_MS, QUIET_MS) != 0)
		goto out;
	if (c->other != 0) {
		printf("the kernel got %u of the frames that must be dropped:\n",
		       c->other);
		for (k = 0; k < nb_bad; k++)
			printf("  frame %u: %s\n", 100 + k, bad[k].what);
		goto out;
	}
	deadline = deadline_ms(WAIT_MS);
	for (;;) {
		/* a burst of nothing reaps what completed */
		rte_eth_tx_burst(port, 0, NULL, 0);
		if (rte_eth_stats_get(port, &st) != 0)
			goto out;
		if (st.opackets + st.oerrors >= nb || expired(deadline))
			break;
		rte_delay_ms(1);
	}
	if (st.opackets != nb - nb_bad || st.oerrors != nb_bad) {
		printf("opackets %" PRIu64 " oerrors %" PRIu64 ", expected %u and %u\n",
		       st.opackets, st.oerrors, nb - nb_bad, nb_bad);
		goto out;
	}
	if (xs_check(port, 1, xs) != 0) {
		printf("Tx counters count frames that were to be dropped\n");
		goto out;
	}

	if (port_close_all(port, vdev) != 0)
		goto out;
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close: dropped frames leaked\n",
		       rte_mempool_avail_count(mp), avail0);
		goto out;
	}
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
	goto out;
free:
	printf("cannot build frame %u\n", i);
	for (i = 0; i < nb; i++)
		if (pkts[i] != NULL)
			rte_pktmbuf_free(pkts[i]);
out:
	free(c);
	free(xs);
	return ret;
}

/* A frame that came back through the kernel's forwarding path. */
struct fwd_frame {
	uint32_t count;
	uint32_t len;		/* of the frame */
	bool cksum_ok;		/* its L4 checksum, as the kernel left it */
};

/*
 * Frames DPDK sent to FWD_ADDR from source ports sport0..sport0+nb-1 come
 * back forwarded by the kernel: to FWD_MAC from the TAP's MAC, one hop
 * less, with the payload sent.  Collect them into got[] until all are in,
 * then a while longer for duplicates.
 */
static int
fwd_collect(uint16_t port, const struct rte_ether_addr *kmac,
	    struct xs_tally *xs, uint16_t sport0, uint32_t nb,
	    const uint32_t *stream_off, const uint32_t *data_len,
	    struct fwd_frame *got)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t deadline = deadline_ms(WAIT_MS);
	struct l4_frame fr;
	const uint8_t *f;
	uint32_t done = 0, idx;
	bool quiet = false;
	uint16_t n, i;
	int err = 0;

	while (err == 0) {
		n = rte_eth_rx_burst(port, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			xs_rx_count(xs, 0, pkts[i]);
			f = mbuf_linear(pkts[i]);
			if (f == NULL ||
			    l4_parse(f, pkts[i]->pkt_len, &fr) != 0 ||
			    !rte_is_same_ether_addr(&fr.dmac, &fwd_mac) ||
			    (uint16_t)(fr.sport - sport0) >= nb) {
				rte_pktmbuf_free(pkts[i]);
				continue;
			}
			idx = (uint16_t)(fr.sport - sport0);
			if (got[idx].count++ == 0)
				done++;
			got[idx].len = pkts[i]->pkt_len;
			got[idx].cksum_ok = l4_cksum_ok(f, &fr);
			if (!rte_is_same_ether_addr(&fr.smac, kmac) ||
			    fr.ttl != 63 ||
			    memcmp(fr.src, fr.ipv6 ? host6 : host4,
				   fr.ipv6 ? 16 : 4) != 0 ||
			    memcmp(fr.dst, fr.ipv6 ? fwd6 : fwd4,
				   fr.ipv6 ? 16 : 4) != 0) {
				printf("frame %u came back with TTL %u (63 expected) or with other addresses\n",
				       idx, fr.ttl);
				err = -1;
			} else if (fr.data_len != data_len[idx] ||
				   stream_check(f + fr.data_off, fr.data_len,
						stream_off[idx]) != 0) {
				printf("frame %u: %u payload bytes, %u sent, or not those sent\n",
				       idx, fr.data_len, data_len[idx]);
				err = -1;
			} else if (got[idx].count > 1) {
				printf("frame %u forwarded twice\n", idx);
				err = -1;
			}
			rte_pktmbuf_free(pkts[i]);
		}
		if (batch_over(done == nb, &quiet, &deadline, QUIET_MS))
			break;
		if (n == 0)
			rte_delay_ms(1);
	}
	if (err == 0 && done != nb) {
		printf("%u of %u frames came back through the kernel\n", done,
		       nb);
		for (idx = 0; idx < nb; idx++)
			if (got[idx].count == 0)
				printf("missing: frame %u\n", idx);
		err = -1;
	}
	return err;
}

/*
 * Tx checksum offload, IPv4 and IPv6, UDP and TCP, in one segment and as
 * a chain: frames carrying only the pseudo-header checksum, sent with
 * RTE_MBUF_F_TX_*_CKSUM, are forwarded by the kernel, which completes the
 * checksum from the csum_start and csum_offset the driver gave it; back
 * on the DPDK side that checksum must be right.  The same frames sent
 * without the request come back with their checksum still wrong, which
 * shows that the check would catch a driver that did not ask the kernel.
 */
static int
test_rtap_tx_cksum(void)
{
	const uint64_t need = RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	const uint16_t sport0 = 40000;
	const uint32_t nb = 12;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	uint32_t stream_off[12], data_len[12], flen;
	struct fwd_frame got[12];
	struct rte_mbuf *pkts[12];
	struct rte_ether_addr kmac;
	struct rte_mempool *mp;
	struct xs_tally *xs;
	struct l4_frame fr;
	unsigned int i, shape, avail0 = 0;
	uint16_t port, hdr, seg[3];
	int sock, ret = TEST_FAILED;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	xs = calloc(1, sizeof(*xs));
	mp = pool_create(NB_MBUF);
	if (xs == NULL || mp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	if (tx_offload_port_start("ck", need, mp, vdev, &port, ifname, &sock,
				  &kmac) != 0)
		goto out;

	/*
	 * Per IP version and protocol: offload in one segment, offload in a
	 * chain (headers alone in the first segment), and no offload.
	 */
	memset(pkts, 0, sizeof(pkts));
	for (i = 0; i < nb; i++) {
		shape = i % 3;
		fwd_frame_init(&fr, &kmac, i / 6 != 0,
			       (i / 3) % 2 != 0 ? IPPROTO_TCP : IPPROTO_UDP);
		fr.sport = sport0 + i;
		fr.dport = 7000;
		fr.seq = 1000 * i;
		fr.stream_off = 10007 * i;
		fr.ol_flags = (fr.ipv6 ? RTE_MBUF_F_TX_IPV6 :
			       RTE_MBUF_F_TX_IPV4) |
			(fr.proto == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_CKSUM :
			 RTE_MBUF_F_TX_UDP_CKSUM);
		stream_off[i] = fr.stream_off;
		data_len[i] = 300 + 97 * i;
		flen = l4_build(frame_buf, &fr, data_len[i]);
		hdr = (uint16_t)(flen - data_len[i]);
		if (shape == 1) {
			seg[0] = hdr;
			seg[1] = 100;
			seg[2] = (uint16_t)(flen - hdr - 100);
			pkts[i] = mbuf_build(mp, frame_buf, seg, 3,
					     RTE_PKTMBUF_HEADROOM);
		} else {
			seg[0] = (uint16_t)flen;
			pkts[i] = mbuf_build(mp, frame_buf, seg, 1,
					     RTE_PKTMBUF_HEADROOM);
		}
		if (pkts[i] == NULL) {
			printf("cannot build frame %u\n", i);
			for (i = 0; i < nb; i++)
				rte_pktmbuf_free(pkts[i]);
			goto out;
		}
		if (shape != 2)
			pkts[i]->ol_flags = fr.ol_flags;
		pkts[i]->l2_len = RTE_ETHER_HDR_LEN;
		pkts[i]->l3_len = fr.ipv6 ? 40 : 20;
		pkts[i]->l4_len = hdr - pkts[i]->l2_len - pkts[i]->l3_len;
		xs_tx_count(xs, 0, pkts[i]);
	}
	if (tx_all(port, 0, pkts, nb) != 0)
		goto out;
	memset(got, 0, sizeof(got));
	if (fwd_collect(port, &kmac, xs, sport0, nb, stream_off, data_len,
			got) != 0)
		goto out;
	for (i = 0; i < nb; i++) {
		if (got[i].cksum_ok != (i % 3 != 2)) {
			printf("IPv%u %s frame %u (%s): checksum %s after the kernel\n",
			       i / 6 != 0 ? 6 : 4,
			       (i / 3) % 2 != 0 ? "TCP" : "UDP", i,
			       i % 3 == 0 ? "offload" : i % 3 == 1 ?
			       "offload, chain" : "no offload",
			       got[i].cksum_ok ? "right" : "wrong");
			goto out;
		}
	}
	if (xs_check(port, 1, xs) != 0)
		goto out;

	if (port_close_all(port, vdev) != 0 || pool_check(mp, avail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ret = TEST_SUCCESS;
out:
	free(xs);
	return ret;
}

/*
 * TSO: a 64000 byte TCP payload with tso_segsz 1400, over IPv4 and IPv6,
 * in a chain of large mbufs, one of them shared with the application.
 * The kernel, forwarding the super-packet out of a TAP that offers no
 * segmentation, cuts it into 46 segments from what the virtio-net header
 * says (gso_size, hdr_len, csum_start) and from the pseudo-header
 * checksum the driver completed with the length: each segment must come
 * back no larger than the MTU, at its sequence number, with its share of
 * the payload and a right TCP checksum.  The shared mbuf is untouched.
 */
static int
test_rtap_tso(void)
{
	const uint64_t need = RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	const uint32_t payload = 64000, mss = 1400;
	const uint32_t nb_seg = (payload + mss - 1) / mss;
	const uint16_t sport0 = 41000;
	char vdev[RTE_DEV_NAME_MAX_LEN], ifname[IF_NAMESIZE];
	struct rte_mbuf *pkts[3], *m, *held = NULL;
	struct rte_mempool *mp, *bigmp;
	struct rte_ether_addr kmac;
	struct rte_mbuf *rx[BURST];
	struct xs_tally *xs;
	struct l4_frame fr;
	uint8_t *seen = NULL;
	uint64_t deadline;
	uint32_t flen, off, k, done = 0, held_len = 0, avail0, bigavail0;
	uint16_t port, seg[5], n, i;
	uint8_t held_hdr[128];
	const uint8_t *f;
	int sock, ret = TEST_FAILED, err = 0;
	bool quiet = false;

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	xs = calloc(1, sizeof(*xs));
	seen = calloc(RTE_DIM(pkts), nb_seg);
	mp = pool_create(NB_MBUF);
	bigmp = pool_create_sized(32, 16384 + RTE_PKTMBUF_HEADROOM);
	if (xs == NULL || seen == NULL || mp == NULL || bigmp == NULL)
		goto out;
	avail0 = rte_mempool_avail_count(mp);
	bigavail0 = rte_mempool_avail_count(bigmp);
	if (tx_offload_port_start("tso", need, mp, vdev, &port, ifname, &sock,
				  &kmac) != 0)
		goto out;

	memset(pkts, 0, sizeof(pkts));
	for (k = 0; k < RTE_DIM(pkts); k++) {
		fwd_frame_init(&fr, &kmac, k == 1, IPPROTO_TCP);
		fr.sport = sport0 + k;
		fr.dport = 7001;
		fr.seq = 0x10000000 * k + 1;
		fr.stream_off = 100003 * k;
		fr.ol_flags = RTE_MBUF_F_TX_TCP_SEG | (fr.ipv6 ?
			RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4);
		flen = l4_build(big_buf, &fr, payload);
		/* all headers and some payload first, then 16 KiB pieces */
		seg[0] = (uint16_t)(flen - payload + 1000);
		seg[1] = seg[2] = seg[3] = 16384;
		seg[4] = (uint16_t)(flen - seg[0] - 3 * 16384);
		m = mbuf_build(bigmp, big_buf, seg, 5, RTE_PKTMBUF_HEADROOM);
		if (m == NULL) {
			printf("cannot build super-packet %u\n", k);
			for (k = 0; k < RTE_DIM(pkts); k++)
				rte_pktmbuf_free(pkts[k]);
			goto out;
		}
		m->ol_flags = fr.ol_flags;
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = fr.ipv6 ? 40 : 20;
		m->l4_len = sizeof(struct rte_tcp_hdr);
		m->tso_segsz = mss;
		xs_tx_count(xs, 0, m);
		pkts[k] = m;
	}
	/* The last one the application keeps a reference to, every segment */
	held = pkts[2];
	rte_pktmbuf_refcnt_update(held, 1);
	headroom_fill(held, 0xa5);
	held_len = RTE_MIN((uint32_t)sizeof(held_hdr),
			   (uint32_t)held->data_len);
	memcpy(held_hdr, rte_pktmbuf_mtod(held, uint8_t *), held_len);
	if (tx_all(port, 0, pkts, RTE_DIM(pkts)) != 0)
		goto out;

	deadline = deadline_ms(WAIT_MS);
	while (err == 0) {
		n = rte_eth_rx_burst(port, 0, rx, BURST);
		for (i = 0; i < n; i++) {
			xs_rx_count(xs, 0, rx[i]);
			f = mbuf_linear(rx[i]);
			if (err != 0 || f == NULL ||
			    l4_parse(f, rx[i]->pkt_len, &fr) != 0 ||
			    fr.proto != IPPROTO_TCP ||
			    (uint16_t)(fr.sport - sport0) >= RTE_DIM(pkts)) {
				rte_pktmbuf_free(rx[i]);
				continue;
			}
			k = (uint16_t)(fr.sport - sport0);
			off = fr.seq - (0x10000000 * k + 1);
			if (off % mss != 0 || off / mss >= nb_seg) {
				printf("super-packet %u: segment at offset %u\n",
				       k, off);
				err = -1;
			} else if (seen[k * nb_seg + off / mss]++ != 0) {
				printf("super-packet %u: segment at offset %u twice\n",
				       k, off);
				err = -1;
			} else if (rx[i]->pkt_len > RTE_ETHER_MAX_LEN -
				   RTE_ETHER_CRC_LEN ||
				   fr.data_len != RTE_MIN(mss, payload - off) ||
				   stream_check(f + fr.data_off, fr.data_len,
						100003 * k + off) != 0) {
				printf("super-packet %u: segment at offset %u: %u bytes, %u of payload\n",
				       k, off, rx[i]->pkt_len, fr.data_len);
				err = -1;
			} else if (!l4_cksum_ok(f, &fr) || fr.ttl != 63 ||
				   (!fr.ipv6 &&
				    ipv4_cksum(f + fr.l3_off) != 0)) {
				printf("super-packet %u: segment at offset %u: bad checksum or TTL %u\n",
				       k, off, fr.ttl);
				err = -1;
			} else {
				done++;
			}
			rte_pktmbuf_free(rx[i]);
		}
		if (batch_over(done == RTE_DIM(pkts) * nb_seg, &quiet, &deadline,
			       QUIET_MS))
			break;
		if (n == 0)
			rte_delay_ms(1);
	}
	if (err != 0)
		goto out;
	if (done != RTE_DIM(pkts) * nb_seg) {
		printf("%u of %u segments came back through the kernel\n", done,
		       (uint32_t)RTE_DIM(pkts) * nb_seg);
		for (k = 0; k < RTE_DIM(pkts) * nb_seg; k++)
			if (seen[k] == 0)
				printf("missing: super-packet %u offset %u\n",
				       k / nb_seg, (k % nb_seg) * mss);
		goto out;
	}
	if (memcmp(rte_pktmbuf_mtod(held, uint8_t *), held_hdr,
		   held_len) != 0 ||
	    headroom_check(held, 0xa5, "shared super-packet") != 0) {
		printf("tx changed the headers of a super-packet it shares with the application\n");
		goto out;
	}
	rte_pktmbuf_free(held);
	held = NULL;
	if (xs_check(port, 1, xs) != 0)
		goto out;

	if (port_close_all(port, vdev) != 0 ||
	    pools_check(mp, avail0, bigmp, bigavail0) != 0)
		goto out;
	ctx_free_pool(mp);
	ctx_free_pool(bigmp);
	ret = TEST_SUCCESS;
out:
	rte_pktmbuf_free(held);
	free(seen);
	free(xs);
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

/* EAL log output, captured in memory around a probe that fails. */
struct log_capture {
	FILE *prev;
	FILE *f;
	char *buf;
	size_t len;
};

static int
log_capture_start(struct log_capture *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->f = open_memstream(&lc->buf, &lc->len);
	if (lc->f == NULL) {
		printf("open_memstream: %s\n", strerror(errno));
		return -1;
	}
	lc->prev = rte_log_get_stream();
	rte_openlog_stream(lc->f);
	return 0;
}

/*
 * Log to where it went before; what was captured is then in lc->buf,
 * shown, and has to be freed.
 */
static void
log_capture_stop(struct log_capture *lc)
{
	rte_openlog_stream(lc->prev);
	fclose(lc->f);
	printf("log of the probe: %s", lc->buf != NULL ? lc->buf : "\n");
}

/* Did the probe log a line that names what? */
static int
log_names(const struct log_capture *lc, const char *what)
{
	if (lc->buf == NULL || strstr(lc->buf, what) == NULL) {
		printf("the log of the failed probe does not name %s\n", what);
		return -1;
	}
	return 0;
}

/*
 * Deny system call nr with EPERM to the calling thread and the threads it
 * starts, as a container's seccomp profile does; the filter goes with the
 * thread. 0, or -errno if the kernel refuses the filter.
 */
static int
seccomp_deny(long nr)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = RTE_DIM(insns),
		.filter = insns,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
		return -errno;
	return 0;
}

/* A probe from a thread that may not use io_uring, or /dev/net/tun. */
struct unavail {
	const char *vdev;
	const char *args;
	int ret;		/* of rte_vdev_init */
	char skip[128];		/* why it could not be tried */
};

static uint32_t
uringless_probe(void *arg)
{
	struct unavail *u = arg;
	int rc = seccomp_deny(__NR_io_uring_setup);

	if (rc != 0) {
		snprintf(u->skip, sizeof(u->skip),
			 "cannot install a seccomp filter: %s", strerror(-rc));
		return 0;
	}
	u->ret = rte_vdev_init(u->vdev, u->args);
	return 0;
}

static uint32_t
tunless_probe(void *arg)
{
	struct unavail *tl = arg;

	/*
	 * Mounts of its own, private, and an empty tmpfs over /dev/net:
	 * nothing outside this thread sees the change, which goes with it.
	 */
	if (unshare(CLONE_NEWNS | CLONE_FS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("none", "/dev/net", "tmpfs", 0, "size=16k") != 0) {
		snprintf(tl->skip, sizeof(tl->skip),
			 "cannot hide /dev/net/tun in a mount namespace: %s",
			 strerror(errno));
		return 0;
	}
	if (access("/dev/net/tun", F_OK) == 0) {
		snprintf(tl->skip, sizeof(tl->skip),
			 "/dev/net/tun still there under a tmpfs");
		return 0;
	}
	tl->ret = rte_vdev_init(tl->vdev, tl->args);
	return 0;
}

/*
 * Probe vdev with args from a thread running fn, which takes something the
 * driver needs away from itself only (what, for the message): io_uring
 * (a seccomp filter, as in a container) or /dev/net/tun (the tun module
 * not loaded, a container without the device). 1 if that could not be
 * arranged.
 */
static int
init_without(rte_thread_func fn, const char *what, const char *vdev,
	     const char *args, int *ret)
{
	struct unavail u;

	memset(&u, 0, sizeof(u));
	u.vdev = vdev;
	u.args = args;
	if (ctx_thread(fn, &u) != 0)
		return 1;
	ctx_join();
	if (u.skip[0] != '\0') {
		printf("%s, %s case skipped\n", u.skip, what);
		return 1;
	}
	*ret = u.ret;
	return 0;
}

static int
init_without_io_uring(const char *vdev, const char *args, int *ret)
{
	return init_without(uringless_probe, "io_uring", vdev, args, ret);
}

static int
init_without_tun(const char *vdev, const char *args, int *ret)
{
	return init_without(tunless_probe, "/dev/net/tun", vdev, args, ret);
}

/*
 * A probe by init, where something the driver needs is missing, must
 * fail, leave nothing (probe_failed_check) and log a line that names
 * what is missing (word).  1 if init could not arrange the case.
 */
static int
probe_missing(const char *tag, const char *what, const char *word,
	      int (*init)(const char *vdev, const char *args, int *ret))
{
	char ifname[IF_NAMESIZE], args[64];
	struct probe_before b;
	struct log_capture lc;
	int ret = 0, rc;

	make_ifname(ifname, tag);
	ctx_add_ifname(ifname);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	probe_before_take(&b);
	if (log_capture_start(&lc) != 0)
		return -1;
	rc = init(b.vdev, args, &ret);
	log_capture_stop(&lc);
	if (rc == 0)
		rc = probe_failed_check(&b, ret, args, what, ifname, NULL);
	if (rc == 0)
		rc = log_names(&lc, word);
	free(lc.buf);
	return rc;
}

/*
 * Where the kernel lacks what the driver needs, probe fails, leaves
 * nothing behind (no port, interface or open file) and logs why, naming
 * what is missing: io_uring blocked by a seccomp filter, and no
 * /dev/net/tun, each for the probing thread only.  A case that cannot be
 * set up here says why and is skipped; the test is skipped if neither
 * could.
 */
static int
test_rtap_probe_unavailable(void)
{
	int uring, tun;

	uring = probe_missing("iu", "io_uring blocked by seccomp",
			      "io_uring_setup is not permitted",
			      init_without_io_uring);
	TEST_ASSERT(uring >= 0, "probe without io_uring not handled");
	tun = probe_missing("tn", "no /dev/net/tun", "/dev/net/tun",
			    init_without_tun);
	TEST_ASSERT(tun >= 0, "probe without /dev/net/tun not handled");
	return uring > 0 && tun > 0 ? TEST_SKIPPED : TEST_SUCCESS;
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

/* The fast part: probe, devargs and the basic data path, a few seconds. */
static struct unit_test_suite rtap_pmd_testsuite = {
	.suite_name = "net_rtap PMD fast test suite",
	.setup = test_rtap_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_probe_remove),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_default_name),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mac),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_bad_devargs),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_probe_unavailable),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_queue_count),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_start_stop),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_stop_drops),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_rx),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx_clone_pool),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_mtu),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_rename),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_xstats),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx_bad_offload),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tx_cksum),
		TEST_CASE_ST(ctx_setup, ctx_teardown, test_rtap_tso),
		TEST_CASES_END()
	}
};

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
test_pmd_rtap(void)
{
	return unit_test_suite_runner(&rtap_pmd_testsuite);
}

static int
test_pmd_rtap_driver(void)
{
	return unit_test_suite_runner(&rtap_pmd_driver_testsuite);
}

REGISTER_FAST_TEST(rtap_pmd_autotest, NOHUGE_OK, ASAN_OK, test_pmd_rtap);
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
