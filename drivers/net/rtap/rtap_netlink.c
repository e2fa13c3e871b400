/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * rtnetlink requests for one interface, always addressed by ifindex so that
 * a rename from the kernel side changes nothing for the port.
 */

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <rte_cycles.h>
#include <rte_string_fns.h>

#include "rtap.h"

#define RTAP_NL_BUFSZ 8192
/* A kernel that does not answer within this time is not going to. */
#define RTAP_NL_TIMEOUT_MS 2000

/*
 * The threads of a process share its sockets (the application's thread, an
 * LSC callback, a thread that reads statistics): one request and its answer
 * at a time, or one thread reads the answer another is waiting for.
 */
static pthread_mutex_t rtap_nl_lock = PTHREAD_MUTEX_INITIALIZER;

struct rtap_nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[64];
};

int
rtap_nl_open(unsigned int groups)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = groups,
	};
	struct timeval tv = {
		.tv_sec = RTAP_NL_TIMEOUT_MS / 1000,
		.tv_usec = (RTAP_NL_TIMEOUT_MS % 1000) * 1000,
	};
	int one = 1;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
		       sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

static void
rtap_nl_req_init(struct rtap_nl_req *req, uint16_t type, uint16_t flags,
		int ifindex)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	req->ifi.ifi_family = AF_UNSPEC;
	req->ifi.ifi_index = ifindex;
}

static void
rtap_nl_add_attr(struct rtap_nl_req *req, uint16_t type, const void *data,
		uint16_t len)
{
	struct rtattr *rta;

	rta = (struct rtattr *)((char *)&req->nh + NLMSG_ALIGN(req->nh.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static void
rtap_nl_parse_link(struct nlmsghdr *nh, struct rtap_link_info *info)
{
	struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	struct rtattr *rta;

	info->flags = ifi->ifi_flags;
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		switch (rta->rta_type) {
		case IFLA_MTU:
			if (RTA_PAYLOAD(rta) >= sizeof(uint32_t))
				memcpy(&info->mtu, RTA_DATA(rta), sizeof(uint32_t));
			break;
		case IFLA_OPERSTATE:
			if (RTA_PAYLOAD(rta) >= 1)
				info->operstate = *(uint8_t *)RTA_DATA(rta);
			break;
		case IFLA_ADDRESS:
			if (RTA_PAYLOAD(rta) == RTE_ETHER_ADDR_LEN)
				memcpy(&info->mac, RTA_DATA(rta),
				       RTE_ETHER_ADDR_LEN);
			break;
		case IFLA_IFNAME:
			strlcpy(info->name, RTA_DATA(rta),
				RTE_MIN(sizeof(info->name),
					(size_t)RTA_PAYLOAD(rta)));
			break;
		case IFLA_STATS64:
			if (RTA_PAYLOAD(rta) >= sizeof(struct rtnl_link_stats64)) {
				struct rtnl_link_stats64 st;

				memcpy(&st, RTA_DATA(rta), sizeof(st));
				info->rx_dropped = st.rx_dropped;
				info->tx_dropped = st.tx_dropped;
			}
			break;
		default:
			break;
		}
	}
}

/*
 * Send one request and read until its acknowledgment (or, for a get, its
 * answer). Returns 0 or a negative errno from the kernel.
 */
static int
rtap_nl_talk_locked(int nl_fd, struct rtap_nl_req *req,
		struct rtap_link_info *info)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t buf[RTAP_NL_BUFSZ / sizeof(uint32_t)];	/* netlink-aligned */
	uint32_t seq;
	bool got = false;

	/* Differs from the last request's: an older answer is told apart. */
	seq = (uint32_t)rte_get_timer_cycles();
	req->nh.nlmsg_seq = seq;
	if (sendto(nl_fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;

	for (;;) {
		struct nlmsghdr *nh;
		ssize_t len;

		len = recv(nl_fd, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != seq)
				continue;	/* a stale answer */
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *err = NLMSG_DATA(nh);

				if (err->error != 0)
					return err->error;
				return got || info == NULL ? 0 : -ENODEV;
			}
			if (nh->nlmsg_type == RTM_NEWLINK && info != NULL) {
				rtap_nl_parse_link(nh, info);
				got = true;
			}
		}
	}
}

static int
rtap_nl_talk(int nl_fd, struct rtap_nl_req *req, struct rtap_link_info *info)
{
	int ret;

	pthread_mutex_lock(&rtap_nl_lock);
	ret = rtap_nl_talk_locked(nl_fd, req, info);
	pthread_mutex_unlock(&rtap_nl_lock);
	return ret;
}

int
rtap_nl_set_flags(int nl_fd, int ifindex, unsigned int flags,
		unsigned int change)
{
	struct rtap_nl_req req;

	rtap_nl_req_init(&req, RTM_NEWLINK, NLM_F_ACK, ifindex);
	req.ifi.ifi_flags = flags;
	req.ifi.ifi_change = change;
	return rtap_nl_talk(nl_fd, &req, NULL);
}

int
rtap_nl_set_mtu(int nl_fd, int ifindex, unsigned int mtu)
{
	struct rtap_nl_req req;
	uint32_t v = mtu;

	rtap_nl_req_init(&req, RTM_NEWLINK, NLM_F_ACK, ifindex);
	rtap_nl_add_attr(&req, IFLA_MTU, &v, sizeof(v));
	return rtap_nl_talk(nl_fd, &req, NULL);
}

int
rtap_nl_set_gso_max(int nl_fd, int ifindex, uint32_t size)
{
	struct rtap_nl_req req;

	rtap_nl_req_init(&req, RTM_NEWLINK, NLM_F_ACK, ifindex);
	rtap_nl_add_attr(&req, IFLA_GSO_MAX_SIZE, &size, sizeof(size));
	return rtap_nl_talk(nl_fd, &req, NULL);
}

int
rtap_nl_set_mac(int nl_fd, int ifindex, const struct rte_ether_addr *mac)
{
	struct rtap_nl_req req;

	rtap_nl_req_init(&req, RTM_NEWLINK, NLM_F_ACK, ifindex);
	rtap_nl_add_attr(&req, IFLA_ADDRESS, mac, RTE_ETHER_ADDR_LEN);
	return rtap_nl_talk(nl_fd, &req, NULL);
}

int
rtap_nl_get_link(int nl_fd, int ifindex, struct rtap_link_info *info)
{
	struct rtap_nl_req req;

	memset(info, 0, sizeof(*info));
	/* The answer comes first, then the acknowledgment. */
	rtap_nl_req_init(&req, RTM_GETLINK, NLM_F_ACK, ifindex);
	return rtap_nl_talk(nl_fd, &req, info);
}
