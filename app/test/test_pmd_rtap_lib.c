/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/* Helpers of the net_rtap test suites, declared in test_pmd_rtap.h. */

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

struct test_ctx ctx;
unsigned int vdev_seq;
static unsigned int pool_seq;
uint8_t frame_buf[FRAME_BUF];
static uint8_t expect_buf[FRAME_BUF];


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






uint64_t
deadline_ms(unsigned int ms)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
}


bool
expired(uint64_t deadline)
{
	return rte_get_timer_cycles() > deadline;
}


bool
batch_over(bool complete, bool *quiet, uint64_t *deadline,
	   unsigned int quiet_ms)
{
	if (complete && !*quiet) {
		*quiet = true;
		*deadline = deadline_ms(quiet_ms);
	}
	return expired(*deadline);
}


void
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


void
ctx_forget_vdev(const char *name)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_VDEV; i++)
		if (strcmp(ctx.vdev[i], name) == 0)
			ctx.vdev[i][0] = '\0';
}


void
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


void
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


void
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


int
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


void
ctx_join(void)
{
	if (!ctx.thread_live)
		return;
	rte_thread_join(ctx.thread, NULL);
	ctx.thread_live = false;
}


void
ctx_free_pool(struct rte_mempool *mp)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_POOL; i++)
		if (ctx.pool[i] == mp)
			ctx.pool[i] = NULL;
	rte_mempool_free(mp);
}


int
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


int
kern_flags(const char *name, unsigned int *flags)
{
	struct ifreq ifr;
	int ret;

	ret = if_ioctl(SIOCGIFFLAGS, name, &ifr);
	if (ret == 0)
		*flags = (unsigned short)ifr.ifr_flags;
	return ret;
}


int
kern_mtu(const char *name, int *mtu)
{
	struct ifreq ifr;
	int ret;

	ret = if_ioctl(SIOCGIFMTU, name, &ifr);
	if (ret == 0)
		*mtu = ifr.ifr_mtu;
	return ret;
}


int
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


uint64_t
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


int
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


int
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


void
make_ifname(char *buf, const char *tag)
{
	snprintf(buf, IF_NAMESIZE, "rt%u%s", (unsigned int)getpid() % 100000,
		 tag);
}


bool
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


unsigned int
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


unsigned int
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


int
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


int
kern_del_link(unsigned int ifindex)
{
	struct nl_req req;

	nl_link_req(&req, RTM_DELLINK, ifindex);
	return nl_transact(&req);
}


int
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


int
kern_set_carrier(unsigned int ifindex, bool on)
{
	uint8_t v = on;

	return kern_link_attr(ifindex, IFLA_CARRIER, &v, sizeof(v));
}


int
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


void
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


int
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


int
netns_switch(int nsfd)
{
	if (setns(nsfd, CLONE_NEWNET) != 0) {
		printf("cannot enter network namespace (fd %d): %s\n", nsfd,
		       strerror(errno));
		return -1;
	}
	return 0;
}


int
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


void
pkt_clear_error(int fd)
{
	socklen_t len;
	int err;

	len = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
}


int
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


int
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


uint16_t
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


void
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


int
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


void
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


void
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


void
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


int
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


void
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


unsigned int
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


int
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


void
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


uint16_t
rx_queues_used(const struct rx_track *t, uint16_t nb_q)
{
	uint16_t q, used = 0;

	for (q = 0; q < nb_q; q++)
		if (t->per_queue[q] != 0)
			used++;
	return used;
}


void
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


int
cap_drain(int fd, struct cap_track *t)
{
	int r, n = 0;

	while ((r = cap_recv(fd, t)) > 0)
		n++;
	return r < 0 || t->err != 0 ? -1 : n;
}


int
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


struct rte_mbuf *
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


struct rte_mbuf *
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


struct rte_mbuf *
mbuf_frame_segs(struct rte_mempool *mp, uint32_t seq, uint32_t len,
		const uint16_t *seg_len, unsigned int nb_seg, uint16_t headroom)
{
	frame_build(frame_buf, len, seq, 0);
	return mbuf_build(mp, frame_buf, seg_len, nb_seg, headroom);
}


struct rte_mbuf *
mbuf_frame(struct rte_mempool *mp, uint32_t seq, uint32_t len)
{
	uint16_t seg = (uint16_t)len;

	return mbuf_frame_segs(mp, seq, len, &seg, 1, RTE_PKTMBUF_HEADROOM);
}


int
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


int
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


struct rte_mempool *
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


struct rte_mempool *
pool_create(unsigned int n)
{
	return pool_create_sized(n, RTE_MBUF_DEFAULT_BUF_SIZE);
}


int
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


int
probe_iface(const char *tag, char *vdev, uint16_t *port, char *ifname)
{
	char args[64];

	make_ifname(ifname, tag);
	snprintf(args, sizeof(args), "iface=%s", ifname);
	return rtap_probe(RTAP_DRV, args, vdev, port, NULL);
}


int
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


int
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


int
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


int
port_close_all(uint16_t port, const char *vdev)
{
	ctx_close_socks();
	return port_close(port, vdev);
}


int
if_gone_check(const char *ifname)
{
	if (wait_if_gone(ifname, WAIT_MS) != 0) {
		printf("%s still exists after close\n", ifname);
		return -1;
	}
	return 0;
}


int
fds_check(int fds0)
{
	if (count_fds() != fds0) {
		printf("open files %d before, %d after\n", fds0, count_fds());
		return -1;
	}
	return 0;
}


int
pool_check(struct rte_mempool *mp, unsigned int avail0)
{
	if (rte_mempool_avail_count(mp) != avail0) {
		printf("pool has %u of %u mbufs after close\n",
		       rte_mempool_avail_count(mp), avail0);
		return -1;
	}
	return 0;
}


int
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


int
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


void
tx_reap(uint16_t port, uint16_t nb_q)
{
	uint16_t q;

	for (q = 0; q < nb_q; q++)
		rte_eth_tx_burst(port, q, NULL, 0);
}


int
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


int
port_close_clean(uint16_t port, const char *vdev, const char *ifname,
		 int fds0, struct rte_mempool *mp, unsigned int avail0)
{
	return port_close_all(port, vdev) != 0 || if_gone_check(ifname) != 0 ||
		fds_check(fds0) != 0 || pool_check(mp, avail0) != 0 ? -1 : 0;
}


int
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


int
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


int
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


int
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


int
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


int
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


int
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


int
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


/* Static: a callback left registered by a failed test points at no stack. */
struct lsc_state lsc_state;

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


uint32_t
lsc_calls(void)
{
	return rte_atomic_load_explicit(&lsc_state.calls, rte_memory_order_acquire);
}


int
lsc_register(uint16_t port)
{
	memset(&lsc_state, 0, sizeof(lsc_state));
	lsc_state.port = port;
	return rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC,
					     lsc_cb, &lsc_state);
}


int
lsc_unregister(uint16_t port)
{
	return rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC,
					       lsc_cb, &lsc_state);
}


int
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


int
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
const uint8_t kern4[4] = { 198, 18, 0, 1 };
const uint8_t host4[4] = { 198, 18, 0, 2 };
const uint8_t fwd4[4] = { 198, 18, 0, 3 };
static const uint8_t kern6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
const uint8_t host6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
const uint8_t fwd6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 3 };
const struct rte_ether_addr host_mac = {
	.addr_bytes = { 0x02, 0x72, 0x74, 0x61, 0x70, 0x02 } };
const struct rte_ether_addr fwd_mac = {
	.addr_bytes = { 0x02, 0x72, 0x74, 0x61, 0x70, 0x03 } };


/* Super-packets, built or received, in one piece */
uint8_t big_buf[BIG_BUF];


uint8_t
stream_byte(uint32_t off)
{
	return (uint8_t)((off * 2654435761u) >> 24);
}


int
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



uint32_t
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


int
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


bool
l4_cksum_ok(const uint8_t *f, const struct l4_frame *fr)
{
	const void *ip = f + fr->l3_off, *l4 = f + fr->l4_off;

	if (fr->ipv6)
		return rte_ipv6_udptcp_cksum_verify(ip, l4) == 0;
	return rte_ipv4_udptcp_cksum_verify(ip, l4) == 0;
}


const uint8_t *
mbuf_linear(const struct rte_mbuf *m)
{
	if (m->pkt_len > sizeof(big_buf))
		return NULL;
	return rte_pktmbuf_read(m, 0, m->pkt_len, big_buf);
}


int
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


int
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


int
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


int
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


int
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


void
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


int
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


void
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


void
headroom_fill(struct rte_mbuf *m, uint8_t v)
{
	memset(m->buf_addr, v, m->data_off);
}


int
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


int
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


int
mtu_set_kern(uint16_t port, const char *ifname, uint16_t mtu, int *kmtu)
{
	if (rte_eth_dev_set_mtu(port, mtu) != 0 ||
	    kern_mtu(ifname, kmtu) != 0 || *kmtu != mtu)
		return -1;
	return 0;
}


int
rename_check(unsigned int ifindex, const char *from, const char *to)
{
	if (kern_rename(ifindex, to) != 0 || if_nametoindex(to) != ifindex) {
		printf("cannot rename %s to %s\n", from, to);
		return -1;
	}
	return 0;
}


struct rte_mbuf *
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


int
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
