/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/* Helpers of the net_rtap test suites, declared in test_pmd_rtap.h. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/if_addr.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/neighbour.h>
#include <linux/seccomp.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_string_fns.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "test.h"
#include "test_pmd_rtap.h"

struct test_ctx ctx;
unsigned int vdev_seq;
static unsigned int pool_seq;
uint8_t frame_buf[FRAME_BUF];
static uint8_t expect_buf[FRAME_BUF];

#define XS_NAMES \
	"size_64_packets", "size_65_to_127_packets", "size_128_to_255_packets", \
	"size_256_to_511_packets", "size_512_to_1023_packets", "size_1024_to_1518_packets", \
	"size_1519_to_max_packets", "broadcast_packets", "multicast_packets", "unicast_packets"
static const char * const xs_rx_names[XS_NB_RX] = {
	XS_NAMES, "lro_packets", "checksum_good", "checksum_none", "checksum_bad",
	"mbuf_alloc_failed",
};
static const char * const xs_tx_names[XS_NB_TX] = {
	XS_NAMES, "tso_packets", "checksum_offload_packets", "multiseg_packets",
	"mbuf_alloc_failed",
};

int
rt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return -1;
}

/* Time */

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
batch_over(bool complete, bool *quiet, uint64_t *deadline, unsigned int quiet_ms)
{
	if (complete && !*quiet) {
		*quiet = true;
		*deadline = deadline_ms(quiet_ms);
	}
	return expired(*deadline);
}

/* Test context */

void
ctx_name(char *tab, size_t size, unsigned int nb, const char *name, bool add)
{
	char *slot = NULL;
	unsigned int i;

	for (i = 0; i < nb; i++, tab += size) {
		if (strcmp(tab, name) == 0) {
			if (!add)
				tab[0] = '\0';
			return;
		}
		if (slot == NULL && tab[0] == '\0')
			slot = tab;
	}
	if (add && slot == NULL)
		printf("warning: too many objects to track, %s not recorded\n", name);
	else if (add)
		strlcpy(slot, name, size);
}

int
ctx_add_sock(int fd)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_SOCK; i++) {
		if (ctx.sock[i] < 0) {
			ctx.sock[i] = fd;
			return fd;
		}
	}
	close(fd);
	return rt_err("too many sockets to track");
}

void
ctx_close_sock(int fd)
{
	unsigned int i;

	for (i = 0; i < CTX_MAX_SOCK; i++) {
		if (ctx.sock[i] >= 0 && (fd < 0 || ctx.sock[i] == fd)) {
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
	if (ret != 0)
		return rt_err("cannot create a thread: %s", strerror(abs(ret)));
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

/* Kernel side helpers */

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
	ret = ioctl(fd, req, ifr) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

int
kern_flags(const char *name, unsigned int *flags)
{
	struct ifreq ifr;
	int ret = if_ioctl(SIOCGIFFLAGS, name, &ifr);

	if (ret == 0)
		*flags = (unsigned short)ifr.ifr_flags;
	return ret;
}

int
kern_mtu(const char *name, int *mtu)
{
	struct ifreq ifr;
	int ret = if_ioctl(SIOCGIFMTU, name, &ifr);

	if (ret == 0)
		*mtu = ifr.ifr_mtu;
	return ret;
}

int
kern_mac(const char *name, struct rte_ether_addr *mac)
{
	struct ifreq ifr;
	int ret = if_ioctl(SIOCGIFHWADDR, name, &ifr);

	if (ret == 0)
		memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	return ret;
}

uint64_t
kern_stat(const char *name, const char *what)
{
	char path[128];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", name, what);
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

	while (kern_flags(name, &flags) != 0 || (flags & mask) != (want ? mask : 0)) {
		if (expired(deadline))
			return rt_err("interface %s: flags 0x%x, wanted 0x%x %s", name, flags, mask,
				      want ? "set" : "clear");
		rte_delay_ms(1);
	}
	return 0;
}

int
wait_if_gone(const char *name, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);

	while (if_nametoindex(name) != 0) {
		if (expired(deadline))
			return -1;
		rte_delay_ms(1);
	}
	return 0;
}

void
make_ifname(char *buf, const char *tag)
{
	snprintf(buf, IF_NAMESIZE, "rt%u%s", (unsigned int)getpid() % 100000, tag);
}

bool
is_default_name(const char *name)
{
	return strncmp(name, "rtap", 4) == 0 && name[4] != '\0' &&
		strspn(name + 4, "0123456789") == strlen(name + 4);
}

unsigned int
ifindex_scan(unsigned int since, char *name)
{
	struct if_nameindex *list, *p;
	unsigned int found = 0;

	list = if_nameindex();
	if (list == NULL)
		return 0;
	for (p = list; p->if_index != 0; p++) {
		if (name == NULL) {
			found = RTE_MAX(found, p->if_index);
		} else if (p->if_index > since && is_default_name(p->if_name)) {
			found = p->if_index;
			strlcpy(name, p->if_name, IF_NAMESIZE);
			break;
		}
	}
	if_freenameindex(list);
	return found;
}

/* rtnetlink, for links the ethdev API does not create or delete */

struct rtattr *
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

void
nl_nest_end(struct nl_req *req, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)&req->nh + req->nh.nlmsg_len - (char *)nest);
}

int
nl_transact(struct nl_req *req)
{
	static uint32_t seq;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2, .tv_usec = 0 };
	struct nlmsghdr *h;
	char buf[4096];
	ssize_t n;
	int fd, ret = -ETIMEDOUT;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	req->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nh.nlmsg_seq = ++seq;
	if (sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		ret = -errno;
	else
		for (;;) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0) {
				ret = -errno;
				break;
			}
			h = (struct nlmsghdr *)buf;
			if (NLMSG_OK(h, (unsigned int)n) && h->nlmsg_seq == req->nh.nlmsg_seq &&
			    h->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				break;
			}
		}
	close(fd);
	return ret;
}

void
nl_req_init(struct nl_req *req, unsigned short type, unsigned short flags, size_t hdr_len)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(hdr_len);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = flags;
}

static void
nl_link_req(struct nl_req *req, unsigned short type, unsigned int ifindex)
{
	nl_req_init(req, type, 0, sizeof(struct ifinfomsg));
	req->u.ifi.ifi_family = AF_UNSPEC;
	req->u.ifi.ifi_index = (int)ifindex;
}

/* `ip link add name type kind`, and an IFLA_INFO_DATA u8 attribute if data_type is not 0. */
static int
link_add(const char *name, const char *kind, unsigned short data_type, uint8_t v)
{
	struct rtattr *info, *data;
	struct nl_req req;

	nl_req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	info = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, kind, strlen(kind));
	if (data_type != 0) {
		data = nl_attr(&req, IFLA_INFO_DATA, NULL, 0);
		nl_attr(&req, data_type, &v, sizeof(v));
		nl_nest_end(&req, data);
	}
	nl_nest_end(&req, info);
	return nl_transact(&req);
}

int
kern_add_link(const char *name, const char *kind)
{
	return link_add(name, kind, 0, 0);
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

int
kern_link_attr(unsigned int ifindex, unsigned short type, const void *data, size_t len)
{
	struct nl_req req;

	nl_link_req(&req, RTM_NEWLINK, ifindex);
	nl_attr(&req, type, data, len);
	return nl_transact(&req);
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

static int
kern_add_addr(unsigned int ifindex, const uint8_t *addr, size_t alen, uint8_t prefixlen)
{
	struct nl_req req;

	nl_req_init(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof(struct ifaddrmsg));
	req.u.ifa.ifa_family = alen == 4 ? AF_INET : AF_INET6;
	req.u.ifa.ifa_prefixlen = prefixlen;
	req.u.ifa.ifa_flags = IFA_F_NODAD;
	req.u.ifa.ifa_index = ifindex;
	if (alen == 4)
		nl_attr(&req, IFA_LOCAL, addr, alen);
	nl_attr(&req, IFA_ADDRESS, addr, alen);
	return nl_transact(&req);
}

static int
kern_add_neigh(unsigned int ifindex, const uint8_t *addr, size_t alen,
	       const struct rte_ether_addr *mac)
{
	struct nl_req req;

	nl_req_init(&req, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, sizeof(struct ndmsg));
	req.u.nd.ndm_family = alen == 4 ? AF_INET : AF_INET6;
	req.u.nd.ndm_ifindex = (int)ifindex;
	req.u.nd.ndm_state = NUD_PERMANENT;
	nl_attr(&req, NDA_DST, addr, alen);
	nl_attr(&req, NDA_LLADDR, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return nl_transact(&req);
}

/*
 * The kernel's IPv6 stack talks on any interface that comes up (router
 * solicitations, MLD) from its link-local address: without one generated,
 * the interface stays quiet, and only the test's frames cross it.
 */
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
		printf("warning: cannot keep IPv6 off interface %u: %s\n", ifindex, strerror(-ret));
}

/* Network namespaces */

int
netns_enter_new(void)
{
	int fd;

	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && unshare(CLONE_NEWNET) == 0) {
		ctx.home_ns = fd;
		return 0;
	}
	printf("no network namespace of its own (%s), skipped\n", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

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
	if (setns(nsfd, CLONE_NEWNET) != 0)
		return rt_err("cannot enter network namespace (fd %d): %s", nsfd, strerror(errno));
	return 0;
}

int
netns_other(void)
{
	if (netns_enter_new() != 0)
		return -1;
	ctx.other_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (ctx.other_ns < 0)
		return rt_err("cannot open the new network namespace: %s", strerror(errno));
	return netns_switch(ctx.home_ns);
}

/* AF_PACKET sockets: the kernel end of the interface */

void
pkt_clear_error(int fd)
{
	socklen_t len = sizeof(int);
	int err;

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
}

/* A large buffer, the forced size if the caller may, else the default. */
static void
sock_buf(int fd, int force, int opt)
{
	int size = SOCK_BUF;

	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

int
pkt_open(const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = (int)if_nametoindex(ifname),
	};
	int fd;

	if (sll.sll_ifindex == 0)
		return rt_err("no interface %s to bind to", ifname);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return rt_err("AF_PACKET socket: %s", strerror(errno));
	/* a test sends or captures hundreds of frames at once */
	sock_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF);
	sock_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return rt_err("bind AF_PACKET socket to %s: %s", ifname, strerror(errno));
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
		if (n >= 0)
			return rt_err("short send: %zd of %zu bytes", n, len);
		if ((errno != EAGAIN && errno != EWOULDBLOCK &&
		     errno != ENOBUFS && errno != EINTR) || expired(deadline))
			break;
		poll(&pfd, 1, 1);
	}
	return rt_err("send of a %zu byte frame on AF_PACKET socket: %s", len, strerror(errno));
}

int
pkt_bypass_qdisc(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0)
		return rt_err("PACKET_QDISC_BYPASS: %s", strerror(errno));
	return 0;
}

/* Test frames */

void
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
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* IPv4 header checksum, as rte_ipv4_cksum gives it: already in network order. */
static void
ip_cksum_set(uint8_t *ip)
{
	uint16_t ck = rte_ipv4_cksum((const struct rte_ipv4_hdr *)ip);

	memcpy(ip + offsetof(struct rte_ipv4_hdr, hdr_checksum), &ck, sizeof(ck));
}

void
frame_build(uint8_t *f, uint32_t len, uint32_t seq, uint32_t nb_flows)
{
	static const uint8_t src[RTE_ETHER_ADDR_LEN] = {
		0x02, 0x72, 0x74, 0x61, 0x70, 0x01 };
	uint32_t off = RTE_ETHER_HDR_LEN, flow, i;
	uint8_t *ip = f + RTE_ETHER_HDR_LEN, *udp = ip + 20;

	memset(f, 0xff, RTE_ETHER_ADDR_LEN);
	memcpy(f + RTE_ETHER_ADDR_LEN, src, RTE_ETHER_ADDR_LEN);
	put16(f + 12, nb_flows == 0 ? TEST_ETHERTYPE : RTE_ETHER_TYPE_IPV4);
	if (nb_flows != 0) {
		/* 10.200.<flow>.<flow> to 10.201.0.1, UDP ports by flow */
		flow = seq % nb_flows;
		memset(ip, 0, 28);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(len - RTE_ETHER_HDR_LEN));
		put16(ip + 4, (uint16_t)seq);
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		put32(ip + 12, 0x0ac80000u | (flow & 0xffff));
		put32(ip + 16, 0x0ac90001u);
		ip_cksum_set(ip);
		put16(udp, (uint16_t)(10000 + flow));
		put16(udp + 2, (uint16_t)(20000 + flow));
		put16(udp + 4, (uint16_t)(len - RTE_ETHER_HDR_LEN - 20));
		off += 28;
	}
	put32(f + off, TEST_MAGIC);
	put32(f + off + 4, seq);
	for (i = off + 8; i < len; i++)
		f[i] = (uint8_t)(seq * 131 + i * 7);
}

int
frame_seq(const uint8_t *f, uint32_t len, uint32_t *seq)
{
	uint32_t off;
	uint16_t type;

	if (len < RTE_ETHER_HDR_LEN + 8)
		return -1;
	type = get16(f + 12);
	if (type == TEST_ETHERTYPE)
		off = RTE_ETHER_HDR_LEN;
	else if (type == RTE_ETHER_TYPE_IPV4 && len >= 50 && f[14] == 0x45 && f[23] == IPPROTO_UDP)
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
dump_diff(const char *what, const uint8_t *got, const uint8_t *exp, uint32_t len, uint32_t base)
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

static int
mbuf_check(struct rte_mbuf *m, uint16_t port, const uint8_t *exp, uint32_t len)
{
	struct rte_mbuf *s;
	uint32_t off = 0;
	uint16_t segs = 0;

	if (m->pkt_len != len || m->port != port)
		return rt_err("rx frame: pkt_len %u port %u, expected %u and %u",
			      m->pkt_len, m->port, len, port);
	for (s = m; s != NULL; s = s->next) {
		segs++;
		if (s->data_len > len - off)
			return rt_err("rx frame: segment %u (%u bytes) runs past pkt_len %u",
				      segs, s->data_len, len);
		if (memcmp(rte_pktmbuf_mtod(s, uint8_t *), exp + off, s->data_len) != 0) {
			dump_diff("rx frame", rte_pktmbuf_mtod(s, uint8_t *),
				  exp + off, s->data_len, off);
			return -1;
		}
		off += s->data_len;
	}
	if (off != len || segs != m->nb_segs)
		return rt_err("rx frame: %u segments hold %u bytes; nb_segs %u, pkt_len %u",
			      segs, off, m->nb_segs, len);
	return 0;
}

/* Expected extended statistics */

/* Size bucket and destination kind, common to Rx and Tx. */
static void
xs_count_frame(uint64_t *v, const struct rte_mbuf *m)
{
	static const uint32_t top[XS_NB_SIZES - 1] = {
		64, 127, 255, 511, 1023, 1518 };
	const struct rte_ether_addr *dst =
		rte_pktmbuf_mtod(m, const struct rte_ether_addr *);
	unsigned int b = 0;

	while (b < RTE_DIM(top) && m->pkt_len > top[b])
		b++;
	v[b]++;
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
	uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	xs_count_frame(v, m);
	if (m->ol_flags & RTE_MBUF_F_RX_LRO)
		v[XS_RX_LRO]++;
	if (ck == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		v[XS_RX_GOOD]++;
	else if (ck == RTE_MBUF_F_RX_L4_CKSUM_NONE)
		v[XS_RX_NONE]++;
	else if (ck == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		v[XS_RX_BAD]++;
}

void
xs_tx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m)
{
	uint64_t *v = x->tx[q % XS_MAX_Q];

	xs_count_frame(v, m);
	if (m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
		v[XS_TX_TSO]++;
	else if (m->ol_flags & RTE_MBUF_F_TX_L4_MASK)
		v[XS_TX_CSUM]++;
	if (m->nb_segs > 1)
		v[XS_TX_MULTISEG]++;
}

/* Batches of test frames, received on either side */

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
		if (inject(fd, base + i, track_len(len, fixed_len, i), nb_flows) != 0)
			return -1;
	return 0;
}

/*
 * Frame f (its first n bytes) of the batch: the index of a new frame of
 * it, with expect_buf holding what it must be; -1 for a frame that is not
 * a test frame or one of another batch, or (t->err set) a duplicate.
 */
static int
batch_frame(struct batch *b, const uint8_t *f, uint32_t n, uint32_t nb_flows, const char *side)
{
	uint32_t seq, idx;

	if (frame_seq(f, n, &seq) != 0)
		return -1;
	idx = seq - b->base;
	if (idx >= b->nb) {
		b->other++;
		return -1;
	}
	if (b->seen[idx]++ != 0) {
		b->err = rt_err("%s: frame %u received twice", side, seq);
		return -1;
	}
	frame_build(expect_buf, track_len(b->len, b->fixed_len, idx), seq, nb_flows);
	if (b->dst != NULL)
		rte_ether_addr_copy(&b->dst[idx], (struct rte_ether_addr *)expect_buf);
	return (int)idx;
}

/* Is the batch complete?  If not, say what is missing. */
static int
batch_done(const struct batch *b, const char *side)
{
	uint32_t i, shown = 0;

	if (b->err != 0)
		return -1;
	if (b->got == b->nb)
		return 0;
	printf("%s: received %u of %u frames (%u test frames of other batches)\n",
	       side, b->got, b->nb, b->other);
	for (i = 0; i < b->nb && shown < 8; i++) {
		if (b->seen[i] == 0) {
			printf("%s: missing frame %u (%u bytes)\n", side,
			       b->base + i, track_len(b->len, b->fixed_len, i));
			shown++;
		}
	}
	return -1;
}

static void
batch_init(struct batch *b, uint32_t base, uint32_t nb, const uint32_t *len, uint32_t fixed_len)
{
	memset(b, 0, sizeof(*b));
	b->base = base;
	b->nb = RTE_MIN(nb, (uint32_t)MAX_BATCH);
	b->len = len;
	b->fixed_len = fixed_len;
}

void
rx_track_init(struct rx_track *t, uint16_t port, uint32_t base, uint32_t nb,
	      const uint32_t *len, uint32_t fixed_len, uint32_t nb_flows)
{
	memset(t, 0, sizeof(*t));
	batch_init(&t->b, base, nb, len, fixed_len);
	t->port = port;
	t->nb_flows = nb_flows;
	memset(t->flow_queue, 0xff, sizeof(t->flow_queue));
}

/* Is frame idx (len bytes, nb_segs) right, and on the queue of its flow? */
static int
rx_frame_check(struct rx_track *t, uint16_t q, struct rte_mbuf *m, uint32_t idx)
{
	uint32_t seq = t->b.base + idx, flow;
	uint32_t len = track_len(t->b.len, t->b.fixed_len, idx);

	if (mbuf_check(m, t->port, expect_buf, len) != 0)
		return rt_err("rx: frame %u (%u bytes) on queue %u is not what was sent",
			      seq, len, q);
	if ((t->single_max != 0 && len <= t->single_max && m->nb_segs != 1) ||
	    (t->chain_min != 0 && len > t->chain_min && m->nb_segs < 2))
		return rt_err("rx: frame %u of %u bytes arrived in %u segments",
			      seq, len, m->nb_segs);
	flow = t->nb_flows != 0 ? seq % t->nb_flows : MAX_FLOWS;
	if (flow >= MAX_FLOWS)
		return 0;
	if (t->flow_queue[flow] == UINT16_MAX)
		t->flow_queue[flow] = q;
	else if (t->flow_queue[flow] != q)
		return rt_err("rx: flow %u seen on queue %u and on queue %u",
			      flow, t->flow_queue[flow], q);
	return 0;
}

void
rx_account(struct rx_track *t, uint16_t q, struct rte_mbuf *m)
{
	uint8_t hdr[64];
	const uint8_t *h;
	uint32_t hlen = RTE_MIN(m->pkt_len, (uint32_t)sizeof(hdr));
	int idx = -1;

	if (t->tally != NULL)
		xs_rx_count(t->tally, q, m);
	h = rte_pktmbuf_read(m, 0, hlen, hdr);
	if (h != NULL)
		idx = batch_frame(&t->b, h, hlen, t->nb_flows, "rx");
	if (idx >= 0 && rx_frame_check(t, q, m, idx) != 0) {
		t->b.err = -1;
		idx = -1;
	}
	if (idx < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	t->per_queue[q]++;
	t->b.got++;
	if (t->keep != NULL)
		t->keep[idx] = m;
	else
		rte_pktmbuf_free(m);
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

	while (t->b.err == 0) {
		if (rx_poll_once(t, nb_q) == 0)
			rte_delay_ms(1);
		if (batch_over(t->b.got == t->b.nb, &quiet, &deadline, quiet_ms))
			break;
	}
	return batch_done(&t->b, "rx");
}

void
rx_drain(struct rx_track *t, uint16_t nb_q, unsigned int idle_ms, unsigned int max_ms)
{
	uint64_t end = deadline_ms(max_ms), idle = deadline_ms(idle_ms);

	while (t->b.err == 0 && !expired(end) && !expired(idle)) {
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
	batch_init(&t->b, base, nb, len, fixed_len);
}

static int
cap_recv(int fd, struct cap_track *t)
{
	struct sockaddr_ll sll;
	socklen_t alen = sizeof(sll);
	ssize_t n;
	int idx;

	n = recvfrom(fd, frame_buf, sizeof(frame_buf), MSG_DONTWAIT | MSG_TRUNC,
		     (struct sockaddr *)&sll, &alen);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ||
			errno == EINTR || errno == ENETDOWN ? 0 :
			rt_err("kernel: capture: %s", strerror(errno));
	/* what the kernel itself transmits is not what DPDK sent */
	if (sll.sll_pkttype == PACKET_OUTGOING)
		return 1;
	if ((size_t)n > sizeof(frame_buf)) {
		t->b.err = rt_err("kernel: %zd byte frame captured", n);
		return -1;
	}
	idx = batch_frame(&t->b, frame_buf, (uint32_t)n, 0, "kernel");
	if (idx < 0)
		return 1;
	if (n != track_len(t->b.len, t->b.fixed_len, idx) ||
	    memcmp(frame_buf, expect_buf, n) != 0) {
		printf("kernel: frame %u (%zd bytes) differs from what was sent\n",
		       t->b.base + idx, n);
		dump_diff("kernel frame", frame_buf, expect_buf, RTE_MIN((uint32_t)n,
				  track_len(t->b.len, t->b.fixed_len, idx)), 0);
		t->b.err = -1;
		return 1;
	}
	t->b.got++;
	return 1;
}

int
cap_drain(int fd, struct cap_track *t)
{
	int r, n = 0;

	while ((r = cap_recv(fd, t)) > 0)
		n++;
	return r < 0 || t->b.err != 0 ? -1 : n;
}

int
cap_poll(int fd, struct cap_track *t, unsigned int ms, unsigned int quiet_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
	uint64_t deadline = deadline_ms(ms);
	bool quiet = false;
	int r;

	while (t->b.err == 0) {
		r = cap_recv(fd, t);
		if (r < 0)
			return -1;
		if (batch_over(t->b.got == t->b.nb, &quiet, &deadline, quiet_ms))
			break;
		if (r == 0)
			poll(&pfd, 1, 1);
	}
	return batch_done(&t->b, "kernel");
}

/* Building mbufs to transmit */

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
			break;
		if (i == 0)
			m->data_off = headroom;
		p = rte_pktmbuf_append(m, seg_len[i]);
		if (p == NULL || (head != NULL && rte_pktmbuf_chain(head, m))) {
			rte_pktmbuf_free(m);
			break;
		}
		memcpy(p, f + off, seg_len[i]);
		off += seg_len[i];
		if (head == NULL)
			head = m;
	}
	if (i == nb_seg)
		return head;
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
		seg[k] = (uint16_t)RTE_MIN(left - (nb_seg - 1 - k), 14u + k * 50);
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
	uint16_t sent = 0;

	for (;;) {
		sent += rte_eth_tx_burst(port, q, pkts + sent, n - sent);
		if (sent == n)
			return 0;
		if (expired(deadline))
			break;
		rte_delay_ms(1);
	}
	rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	return rt_err("tx: only %u of %u frames accepted on queue %u", sent, n, q);
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
			pkts[n] = mbuf_frame(mp, base + i, track_len(len, fixed_len, i));
			if (pkts[n] == NULL) {
				rte_pktmbuf_free_bulk(pkts, n);
				return rt_err("tx: mbuf allocation failed");
			}
		}
		if (tx_all(port, q, pkts, n) != 0)
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

/* Pools and ports */

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
		printf("cannot create mempool %s: %s\n", name, rte_strerror(rte_errno));
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
rtap_probe(const char *drv, const char *args, char *vdev, uint16_t *port, char *ifname)
{
	struct rte_eth_dev_info info;
	char name[IF_NAMESIZE];
	int ret;

	snprintf(vdev, RTE_DEV_NAME_MAX_LEN, "%s%u", drv, vdev_seq++);
	ret = rte_vdev_init(vdev, args);
	if (ret != 0)
		return rt_err("probe %s,%s failed: %d", vdev, args != NULL ? args : "", ret);
	ctx_add_vdev(vdev);
	if (rte_eth_dev_get_port_by_name(vdev, port) != 0)
		return rt_err("%s probed but has no ethdev port", vdev);
	ret = rte_eth_dev_info_get(*port, &info);
	if (ret != 0)
		return rt_err("dev_info of %s: %d", vdev, ret);
	if (info.if_index == 0 || if_indextoname(info.if_index, name) == NULL)
		return rt_err("%s: no kernel interface with if_index %u", vdev, info.if_index);
	ctx_add_ifname(name);
	kern_ipv6_quiet(info.if_index);
	if (ifname != NULL)
		strlcpy(ifname, name, IF_NAMESIZE);
	return 0;
}

const char *probe_more;

int
probe_iface(const char *tag, char *vdev, uint16_t *port, char *ifname)
{
	char args[96];

	make_ifname(ifname, tag);
	snprintf(args, sizeof(args), "iface=%s%s%s", ifname, probe_more != NULL ? "," : "",
		 probe_more != NULL ? probe_more : "");
	return rtap_probe(RTAP_DRV, args, vdev, port, NULL);
}

int
port_setup(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	   struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd)
{
	static const struct rte_eth_conf def;
	int sock = rte_eth_dev_socket_id(port);
	uint16_t q;
	int ret;

	ret = rte_eth_dev_configure(port, nb_q, nb_q, conf != NULL ? conf : &def);
	if (ret != 0) {
		printf("port %u: configure %u queue pairs: %s\n", port, nb_q, rte_strerror(-ret));
		return ret;
	}
	for (q = 0; q < nb_q; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, sock, NULL, mp);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(port, q, nb_txd, sock, NULL);
		if (ret != 0) {
			printf("port %u: queue %u setup: %s\n", port, q, rte_strerror(-ret));
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
	if (ret == 0)
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
	/* an ethdev close leaves the vdev on the bus, with its name taken */
	rte_vdev_uninit(vdev);
	ctx_forget_vdev(vdev);
	return 0;
}

int
port_close_all(uint16_t port, const char *vdev)
{
	ctx_close_sock(-1);
	return port_close(port, vdev);
}

int
if_gone_check(const char *ifname)
{
	if (wait_if_gone(ifname, WAIT_MS) != 0)
		return rt_err("%s still exists after close", ifname);
	return 0;
}

int
fds_check(int fds0)
{
	int fds = count_fds();

	if (fds != fds0)
		return rt_err("open files %d before, %d after", fds0, fds);
	return 0;
}

int
pool_check(struct rte_mempool *mp, unsigned int avail0)
{
	unsigned int avail = rte_mempool_avail_count(mp);

	if (avail != avail0)
		return rt_err("pool has %u of %u mbufs after close", avail, avail0);
	return 0;
}

int
pools_check(struct rte_mempool *mp, unsigned int avail0,
	    struct rte_mempool *mp2, unsigned int avail2)
{
	return pool_check(mp, avail0) | pool_check(mp2, avail2);
}

int
pool_running_check(uint16_t port, uint16_t nb_q, struct rte_mempool *mp, unsigned int want)
{
	uint64_t deadline = deadline_ms(WAIT_MS);

	for (;;) {
		tx_reap(port, nb_q);
		if (rte_mempool_avail_count(mp) >= want || expired(deadline))
			break;
		rte_delay_ms(1);
	}
	if (rte_mempool_avail_count(mp) != want)
		return rt_err("running port: %u mbufs free, %u before",
			      rte_mempool_avail_count(mp), want);
	return 0;
}

int
port_close_clean(uint16_t port, const char *vdev, const char *ifname,
		 int fds0, struct rte_mempool *mp, unsigned int avail0)
{
	return port_close_all(port, vdev) != 0 || if_gone_check(ifname) != 0 ||
		fds_check(fds0) != 0 || pool_check(mp, avail0) != 0 ? -1 : 0;
}

/*
 * Until a frame sent from the kernel side has come out of the port, the
 * kernel may still be switching the interface's queueing discipline and
 * silently drop what it is given: tests that count exactly start after.
 */
int
path_ready(uint16_t port, uint16_t nb_q, const char *ifname, int sock)
{
	static struct rx_track t;
	uint64_t deadline = deadline_ms(WAIT_MS), next = 0;
	uint32_t seq = WARM_SEQ;

	if (wait_flags(ifname, IFF_UP | IFF_RUNNING, true, WAIT_MS) != 0)
		return rt_err("%s is not up and running after start", ifname);
	pkt_clear_error(sock);
	rx_track_init(&t, port, WARM_SEQ, MAX_BATCH, NULL, 60, 0);
	while (t.got == 0 && !expired(deadline)) {
		if (rte_get_timer_cycles() >= next) {
			if (inject(sock, seq++, 60, 0) != 0)
				return -1;
			next = deadline_ms(20);
		}
		if (rx_poll_once(&t, nb_q) == 0)
			rte_delay_ms(1);
	}
	if (t.got == 0)
		return rt_err("no frame injected on %s reached port %u within %d ms",
			      ifname, port, WAIT_MS);
	return 0;
}

int
probe_start(const char *tag, uint16_t nb_q, const struct rte_eth_conf *conf,
	    struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd,
	    char *vdev, uint16_t *port, char *ifname, int *sock)
{
	if (probe_iface(tag, vdev, port, ifname) != 0)
		return -1;
	*sock = pkt_open(ifname);
	if (*sock < 0 || port_start(*port, nb_q, conf, mp, nb_rxd, nb_txd) != 0)
		return -1;
	return path_ready(*port, nb_q, ifname, *sock);
}

/* Statistics */

/* All xstats of port, names and values in the same order; free both. */
static int
xstats_all(uint16_t port, struct rte_eth_xstat_name **names, struct rte_eth_xstat **vals)
{
	int n = rte_eth_xstats_get_names(port, NULL, 0);

	*names = NULL;
	*vals = NULL;
	if (n <= 0)
		return rt_err("port %u has no xstats", port);
	*names = calloc(n, sizeof(**names));
	*vals = calloc(n, sizeof(**vals));
	if (*names == NULL || *vals == NULL || rte_eth_xstats_get_names(port, *names, n) != n ||
	    rte_eth_xstats_get(port, *vals, n) != n)
		return rt_err("port %u: cannot read %d xstats", port, n);
	return n;
}

int
xstats_queue_packets(uint16_t port, const char *dir, uint16_t q, uint64_t *sum)
{
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *vals;
	char prefix[RTE_ETH_XSTATS_NAME_SIZE];
	int i, n, found = 0;

	n = xstats_all(port, &names, &vals);
	snprintf(prefix, sizeof(prefix), "%s_q%u_size_", dir, q);
	*sum = 0;
	for (i = 0; i < n; i++) {
		if (vals[i].id < (uint64_t)n && strncmp(names[vals[i].id].name, prefix,
			    strlen(prefix)) == 0) {
			*sum += vals[i].value;
			found++;
		}
	}
	free(names);
	free(vals);
	if (n > 0 && found == 0)
		return rt_err("port %u: no %s* xstats", port, prefix);
	return n > 0 ? 0 : -1;
}

int
queue_counters_check(uint16_t port, const char *dir, uint16_t nb_q, const uint32_t *want)
{
	uint64_t v = 0;
	uint16_t q;

	for (q = 0; q < nb_q; q++) {
		if (xstats_queue_packets(port, dir, q, &v) != 0)
			return -1;
		if (v != (want != NULL ? want[q] : 0))
			return rt_err("%s queue %u: xstats count %" PRIu64 " packets, expected %u",
				      dir, q, v, want != NULL ? want[q] : 0);
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
	    st.imissed || st.ierrors || st.oerrors || st.rx_nombuf)
		return rt_err("stats not zero: ipackets %" PRIu64 " ibytes %" PRIu64
			      " opackets %" PRIu64 " obytes %" PRIu64 " imissed %" PRIu64
			      " ierrors %" PRIu64 " oerrors %" PRIu64 " rx_nombuf %" PRIu64,
			      st.ipackets, st.ibytes, st.opackets, st.obytes,
			      st.imissed, st.ierrors, st.oerrors, st.rx_nombuf);
	return 0;
}

/* Expected xstat k of the driver's own (nb_q queue pairs) and its name. */
static uint64_t
xs_expected(const struct xs_tally *x, uint16_t nb_q, unsigned int k, char *name)
{
	bool rx = k < nb_q * XS_NB_RX;
	unsigned int j = rx ? k : k - nb_q * XS_NB_RX;
	unsigned int per = rx ? XS_NB_RX : XS_NB_TX;
	unsigned int q = j / per, i = j % per;

	snprintf(name, RTE_ETH_XSTATS_NAME_SIZE, "%s_q%u_%s", rx ? "rx" : "tx",
		 q, rx ? xs_rx_names[i] : xs_tx_names[i]);
	return rx ? x->rx[q][i] : x->tx[q][i];
}

/*
 * Before the driver's own xstats: ethdev's per-queue packet counts
 * (RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS), each the sum of the size buckets.
 */
static int
xs_check_generic(const struct rte_eth_xstat_name *names,
		 const struct rte_eth_xstat *vals, int base, uint16_t nb_q,
		 const struct xs_tally *x)
{
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	unsigned int q, i;
	uint64_t want;
	int k;

	for (q = 0; q < 2u * nb_q; q++) {
		snprintf(name, sizeof(name), "%s_q%u_packets", q < nb_q ? "rx" : "tx", q % nb_q);
		for (want = 0, i = 0; i < XS_NB_SIZES; i++)
			want += q < nb_q ? x->rx[q][i] : x->tx[q - nb_q][i];
		for (k = 0; k < base && strcmp(names[k].name, name) != 0; k++)
			;
		if (k == base)
			return rt_err("no xstat %s", name);
		if (vals[k].value != want)
			return rt_err("%s is %" PRIu64 ", expected %" PRIu64,
				      name, vals[k].value, want);
	}
	return 0;
}

/* The driver's xstats from base on, by name, value and id, against x; 0 or -1. */
static int
xs_check_driver(uint16_t port, const struct rte_eth_xstat_name *names,
		const struct rte_eth_xstat *vals, unsigned int base, uint16_t nb_q,
		const struct xs_tally *x)
{
	const unsigned int nb_drv = nb_q * (XS_NB_RX + XS_NB_TX);
	uint64_t ids[XS_MAX_Q * (XS_NB_RX + XS_NB_TX)] = { 0 }, by_id[RTE_DIM(ids)], want;
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	const struct rte_eth_xstat *v = vals + base;
	unsigned int k, wrong = 0;

	for (k = 0; k < nb_drv; k++) {
		want = xs_expected(x, nb_q, k, name);
		if (strcmp(names[base + k].name, name) != 0 || v[k].id != base + k)
			return rt_err("xstat %u is \"%s\" (id %" PRIu64 "), expected \"%s\"",
				      base + k, names[base + k].name, v[k].id, name);
		if (v[k].value != want) {
			printf("%s is %" PRIu64 ", expected %" PRIu64 "\n", name, v[k].value, want);
			wrong++;
		}
		ids[k] = base + k;
	}
	if (wrong != 0)
		return -1;
	if (rte_eth_xstats_get_by_id(port, ids, by_id, nb_drv) != (int)nb_drv)
		return rt_err("port %u: xstats_get_by_id failed", port);
	for (k = 0; k < nb_drv; k++)
		if (by_id[k] != v[k].value)
			return rt_err("%s by id is %" PRIu64 ", by xstats_get %" PRIu64,
				      names[base + k].name, by_id[k], v[k].value);
	return 0;
}

int
xs_check(uint16_t port, uint16_t nb_q, const struct xs_tally *x)
{
	const int nb_drv = nb_q * (XS_NB_RX + XS_NB_TX);
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *vals;
	int n, ret = -1;

	if (nb_q > XS_MAX_Q)
		return -1;
	n = xstats_all(port, &names, &vals);
	if (n < nb_drv)
		printf("port %u: %d xstats, fewer than the %d of %u queue pairs\n",
		       port, n, nb_drv, nb_q);
	else if (xs_check_generic(names, vals, n - nb_drv, nb_q, x) == 0)
		ret = xs_check_driver(port, names, vals, n - nb_drv, nb_q, x);
	free(names);
	free(vals);
	return ret;
}

int
xstat_by_name(uint16_t port, const char *name, uint64_t *value)
{
	uint64_t id;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0)
		return rt_err("port %u has no xstat %s", port, name);
	if (rte_eth_xstats_get_by_id(port, &id, value, 1) != 1)
		return rt_err("port %u: cannot read xstat %s by id", port, name);
	return 0;
}

/* Link state */

int
wait_link(uint16_t port, const char *ifname, bool up, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);
	struct rte_eth_link link;
	unsigned int flags = 0;
	bool kup;

	for (;;) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) != 0)
			return rt_err("port %u: link_get_nowait failed", port);
		if ((link.link_status == RTE_ETH_LINK_UP) == up)
			break;
		if (expired(deadline)) {
			kern_flags(ifname, &flags);
			return rt_err("port %u: link still %s after %u ms (kernel flags of %s 0x%x)",
				      port, up ? "down" : "up", ms, ifname, flags);
		}
		rte_delay_ms(1);
	}
	if (kern_flags(ifname, &flags) != 0)
		return -1;
	kup = (flags & IFF_UP) && (flags & IFF_RUNNING);
	if (kup != up)
		return rt_err("port %u: link %s but %s has flags 0x%x", port,
			      up ? "up" : "down", ifname, flags);
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
	return rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, &lsc_state);
}

int
lsc_unregister(uint16_t port)
{
	return rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, &lsc_state);
}

int
lsc_wait(uint16_t port, const char *ifname, uint32_t since, bool up, unsigned int ms)
{
	uint64_t deadline = deadline_ms(ms);
	struct rte_eth_link link;

	for (;;) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) != 0)
			return -1;
		if (lsc_calls() != since && (link.link_status == RTE_ETH_LINK_UP) == up)
			break;
		if (expired(deadline))
			return rt_err("port %u: %u LSC callbacks, link %s, %u ms after the link of %s went %s",
				      port, lsc_calls() - since,
				      link.link_status ? "up" : "down", ms,
				      ifname, up ? "up" : "down");
		rte_delay_ms(1);
	}
	return wait_link(port, ifname, up, WAIT_MS);
}

int
lsc_kern_link(uint16_t port, const char *ifname, unsigned int ifindex, bool up)
{
	uint32_t since = lsc_calls();

	if (kern_set_flags(ifindex, up ? IFF_UP : 0, IFF_UP) != 0)
		return -1;
	return lsc_wait(port, ifname, since, up, 3000);
}

/* Kernel IP stack: a host and a forwarding target played by DPDK */

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
	rte_ether_addr_copy(&fr->smac, (struct rte_ether_addr *)(f + RTE_ETHER_ADDR_LEN));
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
		ip_cksum_set(ip);
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
		ck = rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)ip, fr->ol_flags);
	else if (fr->phdr)
		ck = rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *)ip, fr->ol_flags);
	else if (fr->ipv6)
		ck = rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)ip, th);
	else
		ck = rte_ipv4_udptcp_cksum((const struct rte_ipv4_hdr *)ip, th);
	/* already in network order, as DPDK's checksum helpers return it */
	if (fr->proto == IPPROTO_TCP)
		memcpy(th + offsetof(struct rte_tcp_hdr, cksum), &ck, sizeof(ck));
	else
		memcpy(th + offsetof(struct rte_udp_hdr, dgram_cksum), &ck, sizeof(ck));
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
	rte_ether_addr_copy((const struct rte_ether_addr *) (f + RTE_ETHER_ADDR_LEN), &fr->smac);
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

/*
 * A bridge of the test's namespace with the TAP ifindex as its only port,
 * in hairpin mode: what DPDK sends to a unicast address the bridge has
 * not learned is flooded back out of the TAP.  Without STP the port
 * forwards as soon as the bridge is up; without multicast snooping and
 * IPv6 addresses the bridge sends nothing of its own.
 */
static int
kern_hairpin(unsigned int idx)
{
	char name[IF_NAMESIZE];
	struct rtattr *info;
	struct nl_req req;
	unsigned int br;
	uint8_t v = 1;
	int ret;

	make_ifname(name, "br");
	ctx_add_ifname(name);
	ret = link_add(name, "bridge", IFLA_BR_MCAST_SNOOPING, 0);
	br = if_nametoindex(name);
	if (ret != 0 || br == 0)
		return -1;
	kern_ipv6_quiet(br);
	ret = kern_link_attr(idx, IFLA_MASTER, &br, sizeof(br));
	/* `bridge link set dev TAP hairpin on` */
	nl_req_init(&req, RTM_SETLINK, 0, sizeof(struct ifinfomsg));
	req.u.ifi.ifi_family = AF_BRIDGE;
	req.u.ifi.ifi_index = (int)idx;
	info = nl_attr(&req, IFLA_PROTINFO | NLA_F_NESTED, NULL, 0);
	nl_attr(&req, IFLA_BRPORT_MODE, &v, sizeof(v));
	nl_nest_end(&req, info);
	ret |= nl_transact(&req);
	return ret | kern_set_flags(br, IFF_UP, IFF_UP);
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
	if (forward)
		ret |= kern_hairpin(idx);
	if (ret != 0)
		printf("cannot give %s its addresses, neighbours and bridge\n", ifname);
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
	if (*sock < 0 || port_start(*port, 1, conf, mp, nb_rxd, NB_TXD) != 0 ||
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

void
fwd_frame_init(struct l4_frame *fr, bool ipv6, uint8_t proto)
{
	memset(fr, 0, sizeof(*fr));
	rte_ether_addr_copy(&fwd_mac, &fr->dmac);
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
	ctx_close_sock(-1);
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
held_check(struct rte_mbuf *m, uint32_t seq, uint32_t len, uint16_t data_off, const char *what)
{
	if (m->data_off != data_off || m->data_len != len ||
	    m->pkt_len != len || m->nb_segs != 1 || m->next != NULL) {
		printf("%s: mbuf changed by tx: data_off %u (was %u) data_len %u pkt_len %u nb_segs %u (were %u, %u, 1)\n",
		       what, m->data_off, data_off, m->data_len, m->pkt_len, m->nb_segs, len, len);
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
	if (rte_eth_dev_set_mtu(port, mtu) != 0 || kern_mtu(ifname, kmtu) != 0 || *kmtu != mtu)
		return -1;
	return 0;
}

int
rename_check(unsigned int ifindex, const char *from, const char *to)
{
	if (kern_link_attr(ifindex, IFLA_IFNAME, to, strlen(to) + 1) != 0 || if_nametoindex(to) != ifindex) {
		printf("cannot rename %s to %s\n", from, to);
		return -1;
	}
	return 0;
}

struct rte_mbuf *
mbuf_chunks(struct rte_mempool *mp, const uint8_t *f, uint32_t len, uint16_t chunk)
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
		printf("the net_rtap tests need root (TAP creation, AF_PACKET), skipped\n");
		return TEST_SKIPPED;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("/dev/net/tun unusable (%s), net_rtap tests skipped\n", strerror(errno));
		return TEST_SKIPPED;
	}
	close(fd);
	memset(&params, 0, sizeof(params));
	fd = (int)syscall(__NR_io_uring_setup, 2, &params);
	if (fd < 0) {
		printf("io_uring unavailable (%s), net_rtap tests skipped\n", strerror(errno));
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

int
seccomp_filter(struct sock_filter *insns, unsigned short nb)
{
	struct sock_fprog prog = { .len = nb, .filter = insns };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
		return -errno;
	return 0;
}

int
seccomp_deny(unsigned int nr, int err)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned int)err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return seccomp_filter(insns, RTE_DIM(insns));
}

/* Shared with rtap_pmd_autotest */

struct test_port tp;

/* Large, and one test runs at a time */
static struct rx_track tp_rxt;

int
tp_probe(const char *tag)
{
	memset(&tp.xs, 0, sizeof(tp.xs));
	tp.mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(tp.mp, "no mempool");
	tp.avail0 = rte_mempool_avail_count(tp.mp);
	tp.fds0 = count_fds();
	TEST_ASSERT_SUCCESS(probe_iface(tag, tp.vdev, &tp.port, tp.ifname), "probe of %s failed", tag);
	tp.sock = pkt_open(tp.ifname);
	TEST_ASSERT(tp.sock >= 0, "no packet socket on %s", tp.ifname);
	return TEST_SUCCESS;
}

int
tp_start(const char *tag, uint16_t nb_q, uint64_t rx_ol, uint64_t tx_ol, uint16_t nb_rxd)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = rx_ol;
	/* ethdev's default limit is one MTU-sized frame: no super-packet */
	if (rx_ol & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		conf.rxmode.max_lro_pkt_size = UINT16_MAX + RTE_ETHER_HDR_LEN;
	conf.txmode.offloads = tx_ol;
	TEST_ASSERT_SUCCESS(tp_probe(tag), "no port");
	TEST_ASSERT_SUCCESS(port_start(tp.port, nb_q, &conf, tp.mp, nb_rxd, NB_TXD),
			    "start of %s failed", tp.ifname);
	TEST_ASSERT_SUCCESS(path_ready(tp.port, nb_q, tp.ifname, tp.sock),
			    "no path through %s after start", tp.ifname);
	return TEST_SUCCESS;
}

int
tp_close(void)
{
	TEST_ASSERT_SUCCESS(port_close_clean(tp.port, tp.vdev, tp.ifname, tp.fds0, tp.mp,
					     tp.avail0), "close of %s left something", tp.ifname);
	return TEST_SUCCESS;
}

struct enterless_job {
	int op;
	struct rte_mbuf **pkts;
	uint16_t nb;
	int ret;
};

static uint32_t
enterless(void *arg)
{
	struct enterless_job *j = arg;

	if (seccomp_deny(__NR_io_uring_enter, EINTR) != 0)
		j->ret = EL_NOFILTER;
	else if (j->op == EL_TX)
		j->ret = rte_eth_tx_burst(tp.port, 0, j->pkts, j->nb);
	else if (j->op == EL_STOP)
		j->ret = rte_eth_dev_stop(tp.port);
	else
		j->ret = port_close_all(tp.port, tp.vdev);
	return 0;
}

int
enterless_run(int op, struct rte_mbuf **pkts, uint16_t nb)
{
	struct enterless_job j = { .op = op, .pkts = pkts, .nb = nb, .ret = EL_NOFILTER };

	if (ctx_thread(enterless, &j) != 0)
		return EL_NOFILTER;
	ctx_join();
	if (j.ret == EL_NOFILTER)
		printf("no seccomp filter: case skipped\n");
	return j.ret;
}

void
probe_before_take(struct probe_before *b)
{
	snprintf(b->vdev, sizeof(b->vdev), "%s%u", RTAP_DRV, vdev_seq++);
	b->since = ifindex_scan(0, NULL);
	b->fds = count_fds();
	b->nb_ports = rte_eth_dev_count_avail();
}

int
probe_failed_check(const struct probe_before *b, int ret, const char *args, const char *if1,
		   const char *if2)
{
	uint64_t deadline = deadline_ms(WAIT_MS);
	char leaked[IF_NAMESIZE];
	const char *left;
	uint16_t port;
	bool late;

	if (ret == 0)
		ctx_add_vdev(b->vdev);
	TEST_ASSERT(ret != 0, "probe with \"%s\" succeeded", args);
	TEST_ASSERT(rte_eth_dev_get_port_by_name(b->vdev, &port) != 0 &&
		    rte_eth_dev_count_avail() == b->nb_ports,
		    "\"%s\": %u ports before, %u after the failed probe", args, b->nb_ports,
		    rte_eth_dev_count_avail());
	TEST_ASSERT_EQUAL(count_fds(), b->fds, "\"%s\": %d open files before the probe, %d after",
			  args, b->fds, count_fds());
	/* Give an asynchronous deletion its chance before calling it a leak */
	for (;;) {
		late = expired(deadline);
		if (ifindex_scan(b->since, leaked) != 0)
			left = leaked;
		else if (if1 != NULL && if_nametoindex(if1) != 0)
			left = if1;
		else if (if2 != NULL && if_nametoindex(if2) != 0)
			left = if2;
		else
			return TEST_SUCCESS;
		if (late && left == leaked)
			ctx_add_ifname(leaked);
		TEST_ASSERT(!late, "\"%s\": interface %s left behind", args, left);
		rte_delay_ms(1);
	}
}

int
bad_probe(const char *args, const char *if1, const char *if2)
{
	struct probe_before b;

	probe_before_take(&b);
	return probe_failed_check(&b, rte_vdev_init(b.vdev, args), args, if1, if2);
}

int
pool_gaps_take(struct pool_gaps *g, struct rte_mempool *mp)
{
	uint8_t *lo = NULL, *hi = NULL, *o;
	unsigned int i;

	g->mp = mp;
	TEST_ASSERT(mp->nb_mem_chunks == 1 && rte_mempool_get_bulk(mp, g->obj, GAP_OBJS) == 0,
		    "pool %s: not %u objects in one chunk", mp->name, GAP_OBJS);
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
	TEST_ASSERT(g->len <= sizeof(g->snap), "pool %s spans %zu bytes", mp->name, g->len);
	memcpy(g->snap, lo, g->len);
	return TEST_SUCCESS;
}

size_t
pool_gaps_changed(struct pool_gaps *g)
{
	size_t off, changed = 0;
	unsigned int i;
	uint8_t *p;

	for (off = 0; off < g->len; off++) {
		p = g->lo + off;
		for (i = 0; i < GAP_OBJS; i++)
			if (p >= (uint8_t *)g->obj[i] && p < (uint8_t *)g->obj[i] + g->mp->elt_size)
				break;
		if (i < GAP_OBJS || *p == g->snap[off])
			continue;
		if (changed++ == 0)
			printf("pool %s: byte %zu, in no object, changed\n", g->mp->name, off);
		*p = g->snap[off];
	}
	return changed;
}

/*
 * A frame of a collection: 0 if not the test's, 1 if it is frame key(fr) as want() builds it
 * and new, -1 (printed) otherwise.
 */
static int
collect_frame(const uint8_t *f, uint32_t len, uint32_t nb, uint8_t *seen,
	      int (*key)(const struct l4_frame *fr),
	      uint32_t (*want)(uint32_t idx, uint8_t *buf, bool sent))
{
	struct l4_frame fr;
	uint32_t wlen;
	int idx;

	idx = f == NULL || l4_parse(f, len, &fr) != 0 ? -1 : key(&fr);
	if (idx < 0)
		return 0;
	if ((uint32_t)idx >= nb)
		return rt_err("frame %d of the test came, which was not sent (%u expected)", idx,
			      nb);
	wlen = want(idx, expect_buf, false);
	if (seen[idx]++ != 0)
		return rt_err("frame %d came twice", idx);
	if (wlen != len || memcmp(f, expect_buf, len) != 0) {
		printf("frame %d came as %u bytes, not the %u expected or other\n", idx, len, wlen);
		dump_diff("frame", f, expect_buf, RTE_MIN(len, wlen), 0);
		return -1;
	}
	return 1;
}

static int
collect_missing(const uint8_t *seen, uint32_t done, uint32_t nb)
{
	uint32_t idx;

	for (idx = 0; done != nb && idx < nb; idx++)
		if (seen[idx] == 0)
			printf("missing: frame %u\n", idx);
	TEST_ASSERT_EQUAL(done, nb, "%u of %u frames came", done, nb);
	return TEST_SUCCESS;
}

int
hairpin_collect(uint32_t nb, int (*key)(const struct l4_frame *fr),
		uint32_t (*want)(uint32_t idx, uint8_t *buf, bool sent))
{
	static uint8_t seen[MAX_BATCH];
	uint64_t deadline = deadline_ms(WAIT_MS);
	struct rte_mbuf *pkts[BURST];
	uint32_t done = 0;
	bool quiet = false;
	uint16_t n, i;
	int r;

	memset(seen, 0, nb);
	do {
		n = rte_eth_rx_burst(tp.port, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			xs_rx_count(&tp.xs, 0, pkts[i]);
			r = collect_frame(mbuf_linear(pkts[i]), pkts[i]->pkt_len, nb, seen, key,
					  want);
			rte_pktmbuf_free(pkts[i]);
			TEST_ASSERT(r >= 0, "a frame came back wrong");
			done += r;
		}
		if (n == 0)
			rte_delay_ms(1);
	} while (!batch_over(done == nb, &quiet, &deadline, QUIET_MS));
	return collect_missing(seen, done, nb);
}

int
hairpin_start(const char *tag, uint64_t tx_ol)
{
	struct rte_eth_conf conf = { .txmode.offloads = tx_ol | RTE_ETH_TX_OFFLOAD_MULTI_SEGS };

	if (netns_enter_new() != 0)
		return TEST_SKIPPED;
	memset(&tp.xs, 0, sizeof(tp.xs));
	tp.mp = pool_create(NB_MBUF);
	TEST_ASSERT_NOT_NULL(tp.mp, "no mempool");
	tp.avail0 = rte_mempool_avail_count(tp.mp);
	TEST_ASSERT_SUCCESS(ns_port_start(tag, &conf, tp.mp, NB_RXD, true, tp.vdev, &tp.port,
					  tp.ifname, &tp.sock), "no port");
	TEST_ASSERT_SUCCESS(offload_capa_check(tp.port, false, conf.txmode.offloads),
			    "Tx offloads 0x%" PRIx64 " not offered", conf.txmode.offloads);
	return rte_eth_xstats_reset(tp.port);
}

int
rx_frames(uint32_t base, uint32_t nb, const uint32_t *len, uint32_t single_max, uint32_t chain_min)
{
	rx_track_init(&tp_rxt, tp.port, base, nb, len, 0, 0);
	tp_rxt.single_max = single_max;
	tp_rxt.chain_min = chain_min;
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, base, nb, len, 0, 0), "injection failed");
	TEST_ASSERT_SUCCESS(rx_poll(&tp_rxt, 1, WAIT_MS, QUIET_MS),
			    "frames %u.. did not each arrive once unchanged", base);
	return TEST_SUCCESS;
}

int
mac_check(uint16_t port, const char *ifname, const struct rte_ether_addr *want, const char *how)
{
	struct rte_ether_addr mac, kmac;

	TEST_ASSERT(kern_mac(ifname, &kmac) == 0 && rte_eth_macaddr_get(port, &mac) == 0, "no MAC");
	TEST_ASSERT(rte_is_same_ether_addr(&kmac, want) && rte_is_same_ether_addr(&mac, want),
		    "kernel MAC " RTE_ETHER_ADDR_PRT_FMT ", port MAC " RTE_ETHER_ADDR_PRT_FMT "%s"
		    RTE_ETHER_ADDR_PRT_FMT, RTE_ETHER_ADDR_BYTES(&kmac), RTE_ETHER_ADDR_BYTES(&mac),
		    how, RTE_ETHER_ADDR_BYTES(want));
	return TEST_SUCCESS;
}

int
port_setup_uneven(uint16_t port, uint16_t nb_rx, uint16_t nb_tx, const struct rte_eth_conf *conf,
		  struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd, bool deferred)
{
	static const struct rte_eth_conf def;
	int sock = rte_eth_dev_socket_id(port), ret;
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxc;
	struct rte_eth_txconf txc;
	uint16_t q;

	ret = rte_eth_dev_configure(port, nb_rx, nb_tx, conf != NULL ? conf : &def);
	if (ret != 0 || (ret = rte_eth_dev_info_get(port, &info)) != 0)
		return rt_err("port %u: configure %u Rx / %u Tx queues: %s", port, nb_rx, nb_tx,
			      rte_strerror(-ret));
	rxc = info.default_rxconf;
	txc = info.default_txconf;
	rxc.rx_deferred_start = deferred;
	txc.tx_deferred_start = deferred;
	for (q = 0; q < RTE_MAX(nb_rx, nb_tx); q++) {
		ret = q < nb_rx ? rte_eth_rx_queue_setup(port, q, nb_rxd, sock, &rxc, mp) : 0;
		if (ret == 0 && q < nb_tx)
			ret = rte_eth_tx_queue_setup(port, q, nb_txd, sock, &txc);
		if (ret != 0)
			return rt_err("port %u: queue %u setup: %s", port, q, rte_strerror(-ret));
	}
	return 0;
}

int
seccomp_no_mshot(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_register, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IORING_REGISTER_PROBE, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IORING_REGISTER_PBUF_RING, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | SECCOMP_NO_MSHOT_ERRNO),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return seccomp_filter(insns, RTE_DIM(insns));
}

int
kern_collect(int fd, uint32_t nb, unsigned int ms, int (*key)(const struct l4_frame *fr),
	     uint32_t (*want)(uint32_t idx, uint8_t *buf, bool sent))
{
	static uint8_t seen[MAX_BATCH];
	struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
	uint64_t deadline = deadline_ms(ms);
	struct sockaddr_ll sll;
	uint32_t done = 0;
	bool quiet = false;
	socklen_t alen;
	ssize_t n;
	int r;

	memset(seen, 0, nb);
	do {
		alen = sizeof(sll);
		n = recvfrom(fd, big_buf, sizeof(big_buf), MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&sll, &alen);
		if (n < 0) {
			TEST_ASSERT(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR,
				    "kernel: capture: %s", strerror(errno));
			poll(&pfd, 1, 1);
			continue;
		}
		/* what the kernel itself transmits is not what DPDK sent */
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		TEST_ASSERT((size_t)n <= sizeof(big_buf), "kernel: %zd byte frame captured", n);
		r = collect_frame(big_buf, (uint32_t)n, nb, seen, key, want);
		TEST_ASSERT(r >= 0, "kernel: a frame came wrong");
		done += r;
	} while (!batch_over(done == nb, &quiet, &deadline, QUIET_MS));
	return collect_missing(seen, done, nb);
}

void
ipv4_id_set(uint8_t *f, uint16_t id)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + RTE_ETHER_HDR_LEN);

	ip->packet_id = rte_cpu_to_be_16(id);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

int
kern_addr_neigh4(unsigned int ifindex, const uint8_t *addr, uint8_t prefixlen,
		 const uint8_t *peer, const struct rte_ether_addr *mac)
{
	return kern_add_addr(ifindex, addr, 4, prefixlen) | kern_add_neigh(ifindex, peer, 4, mac);
}
