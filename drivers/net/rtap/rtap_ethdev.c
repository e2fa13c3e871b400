/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/if_tun.h>

#include <rte_string_fns.h>
#include <rte_kvargs.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <bus_vdev_driver.h>

#include "rtap.h"

#define RTAP_ARG_IFACE		"iface"
#define RTAP_ARG_PERSIST	"persist"
#define RTAP_ARG_MAC		"mac"
#define RTAP_ARG_RX_CSUM	"rx_csum"
#define RTAP_DEFAULT_IFNAME	"rtap%d"
#define RTAP_TUN_DEV		"/dev/net/tun"
/* Frames read out of a kernel queue at stop, at most (its ring is smaller). */
#define RTAP_STOP_DRAIN_MAX	65536
#define RTAP_TUN_FLAGS		(IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR)

#define RTAP_RX_OFFLOADS	(RTE_ETH_RX_OFFLOAD_SCATTER | \
				 RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_TCP_CKSUM | \
				 RTE_ETH_RX_OFFLOAD_TCP_LRO)
#define RTAP_TX_OFFLOADS	(RTE_ETH_TX_OFFLOAD_MULTI_SEGS | \
				 RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
				 RTE_ETH_TX_OFFLOAD_TCP_TSO)
/* UDP segmentation both ways: kernel 6.2 and later, IPv4 and IPv6 together. */
#define RTAP_TUN_USO		(TUN_F_USO4 | TUN_F_USO6)

static const char * const rtap_valid_args[] = {
	RTAP_ARG_IFACE,
	RTAP_ARG_PERSIST,
	RTAP_ARG_MAC,
	RTAP_ARG_RX_CSUM,
	NULL
};

struct rtap_args {
	char iface[IF_NAMESIZE];
	bool persist;
	bool has_mac;
	bool rx_csum_full;
	struct rte_ether_addr mac;
};

static int
rtap_arg_iface(const char *key, const char *value, void *opaque)
{
	struct rtap_args *args = opaque;

	if (value == NULL || value[0] == '\0') {
		RTAP_LOG(ERR, "devarg %s needs an interface name", key);
		return -EINVAL;
	}
	if (strlen(value) >= IF_NAMESIZE) {
		RTAP_LOG(ERR, "interface name '%s' is longer than %d characters",
			 value, IF_NAMESIZE - 1);
		return -EINVAL;
	}
	if (strchr(value, '/') != NULL || strchr(value, ' ') != NULL ||
	    strchr(value, '%') != NULL || strcmp(value, ".") == 0 ||
	    strcmp(value, "..") == 0) {
		RTAP_LOG(ERR, "'%s' is not a valid interface name", value);
		return -EINVAL;
	}
	strlcpy(args->iface, value, sizeof(args->iface));
	return 0;
}

static int
rtap_arg_mac(const char *key, const char *value, void *opaque)
{
	struct rtap_args *args = opaque;

	if (value == NULL || rte_ether_unformat_addr(value, &args->mac) < 0 ||
	    strlen(value) != RTE_ETHER_ADDR_FMT_SIZE - 1) {
		RTAP_LOG(ERR, "devarg %s='%s' is not a MAC address (xx:xx:xx:xx:xx:xx)",
			 key, value ? value : "");
		return -EINVAL;
	}
	if (!rte_is_unicast_ether_addr(&args->mac) ||
	    rte_is_zero_ether_addr(&args->mac)) {
		RTAP_LOG(ERR, "devarg %s='%s' is not a unicast MAC address",
			 key, value);
		return -EINVAL;
	}
	args->has_mac = true;
	return 0;
}

/*
 * rx_csum=full: no partial checksum is handed over, for applications that
 * ask for Rx checksum offload but do not finish RX_L4_CKSUM_NONE frames.
 */
static int
rtap_arg_rx_csum(const char *key, const char *value, void *opaque)
{
	struct rtap_args *args = opaque;

	if (value != NULL && strcmp(value, "full") == 0) {
		args->rx_csum_full = true;
	} else if (value != NULL && strcmp(value, "partial") == 0) {
		args->rx_csum_full = false;
	} else {
		RTAP_LOG(ERR, "devarg %s takes full or partial, not '%s'",
			 key, value ? value : "");
		return -EINVAL;
	}
	return 0;
}

static int
rtap_arg_persist(const char *key, const char *value, void *opaque)
{
	struct rtap_args *args = opaque;

	if (value == NULL || value[0] == '\0' || strcmp(value, "1") == 0) {
		args->persist = true;
	} else if (strcmp(value, "0") == 0) {
		args->persist = false;
	} else {
		RTAP_LOG(ERR, "devarg %s takes no value (or 0/1), not '%s'",
			 key, value);
		return -EINVAL;
	}
	return 0;
}

static int
rtap_parse_args(const char *params, struct rtap_args *args)
{
	struct rte_kvargs *kvlist;
	unsigned int i;
	int ret = 0;

	memset(args, 0, sizeof(*args));
	if (params == NULL || params[0] == '\0')
		return 0;

	kvlist = rte_kvargs_parse(params, rtap_valid_args);
	if (kvlist == NULL) {
		RTAP_LOG(ERR, "invalid devargs '%s' (known keys: %s, %s, %s, %s)",
			 params, RTAP_ARG_IFACE, RTAP_ARG_PERSIST, RTAP_ARG_MAC,
			 RTAP_ARG_RX_CSUM);
		return -EINVAL;
	}
	for (i = 0; rtap_valid_args[i] != NULL; i++) {
		if (rte_kvargs_count(kvlist, rtap_valid_args[i]) > 1) {
			RTAP_LOG(ERR, "devarg %s given more than once",
				 rtap_valid_args[i]);
			ret = -EINVAL;
			goto out;
		}
	}
	if (rte_kvargs_count(kvlist, RTAP_ARG_IFACE) == 1) {
		ret = rte_kvargs_process(kvlist, RTAP_ARG_IFACE, rtap_arg_iface, args);
		if (ret != 0)
			goto fail;
	}
	if (rte_kvargs_count(kvlist, RTAP_ARG_MAC) == 1) {
		ret = rte_kvargs_process(kvlist, RTAP_ARG_MAC, rtap_arg_mac, args);
		if (ret != 0)
			goto fail;
	}
	if (rte_kvargs_count(kvlist, RTAP_ARG_RX_CSUM) == 1) {
		ret = rte_kvargs_process(kvlist, RTAP_ARG_RX_CSUM, rtap_arg_rx_csum, args);
		if (ret != 0)
			goto fail;
	}
	if (rte_kvargs_count(kvlist, RTAP_ARG_PERSIST) == 1) {
		ret = rte_kvargs_process_opt(kvlist, RTAP_ARG_PERSIST,
					     rtap_arg_persist, args);
		if (ret != 0)
			goto fail;
	}
	goto out;
fail:
	/* Newer kvargs refuse a key without a value before any handler. */
	RTAP_LOG(ERR, "invalid devargs '%s'", params);
	ret = -EINVAL;
out:
	rte_kvargs_free(kvlist);
	return ret;
}

static int
rtap_tun_dev_open(void)
{
	int fd, ret;

	fd = open(RTAP_TUN_DEV, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			RTAP_LOG(ERR, "cannot open %s: %s: load the tun module (modprobe tun), or pass the device into the container (--device /dev/net/tun)",
				 RTAP_TUN_DEV, strerror(errno));
		else if (errno == EACCES || errno == EPERM)
			RTAP_LOG(ERR, "cannot open %s: %s: run as root, or give the process access to the device and CAP_NET_ADMIN",
				 RTAP_TUN_DEV, strerror(errno));
		else
			RTAP_LOG(ERR, "cannot open %s: %s", RTAP_TUN_DEV,
				 strerror(errno));
		return ret;
	}
	return fd;
}

/*
 * Open a tap fd on interface name (which may be a pattern such as rtap%d);
 * created, if not NULL, receives the name the kernel gave it.
 */
static int
rtap_tun_open(const char *name, char *created, unsigned int tun_flags)
{
	struct ifreq ifr;
	int fd, ret;

	fd = rtap_tun_dev_open();
	if (fd < 0)
		return fd;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = tun_flags;
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		if (errno == EINVAL || errno == EBUSY)
			RTAP_LOG(ERR, "cannot use interface '%s': it exists and is not a multi-queue tap with a virtio-net header",
				 name);
		else if (errno == EPERM)
			RTAP_LOG(ERR, "cannot create tap '%s': CAP_NET_ADMIN is needed",
				 name);
		else
			RTAP_LOG(ERR, "cannot attach to tap '%s': %s",
				 name, strerror(errno));
		close(fd);
		return ret;
	}
	if (created != NULL)
		strlcpy(created, ifr.ifr_name, IF_NAMESIZE);
	return fd;
}

static int
rtap_queue_ctl(int fd, short flag)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = flag;
	return ioctl(fd, TUNSETQUEUE, &ifr) < 0 ? -errno : 0;
}

static unsigned int
rtap_tun_flags(int fd)
{
	unsigned int features = 0;

	if (ioctl(fd, TUNGETFEATURES, &features) < 0)
		return 0;
	return features;
}

/* Open one more kernel queue, detached until the port starts. */
static int
rtap_queue_fd_open(struct pmd_internals *pmd)
{
	char name[IF_NAMESIZE];
	int fd, ret;

	/* By index: the interface may have been renamed since probe. */
	if (if_indextoname(pmd->ifindex, name) == NULL) {
		ret = -errno;
		RTAP_LOG(ERR, "interface %d is gone: %s", pmd->ifindex,
			 strerror(errno));
		return ret;
	}
	fd = rtap_tun_open(name, NULL, pmd->tun_flags);
	if (fd < 0)
		return fd;
	ret = rtap_queue_ctl(fd, IFF_DETACH_QUEUE);
	if (ret < 0) {
		RTAP_LOG(ERR, "cannot detach queue of %s: %s", name,
			 strerror(-ret));
		close(fd);
		return ret;
	}
	return fd;
}

static void
rtap_queue_fds_trim(struct pmd_internals *pmd, uint16_t nb)
{
	while (pmd->nb_queues > nb) {
		pmd->nb_queues--;
		close(pmd->fds[pmd->nb_queues]);
		pmd->fds[pmd->nb_queues] = -1;
	}
}

/*
 * ethdev keeps the Tx queues a configure does not drop: one whose kernel
 * queue was closed (only the first kept ones stay open) or is now another
 * must be set up again before the port starts.
 */
static void
rtap_tx_queues_recheck(struct rte_eth_dev *dev, uint16_t kept)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint16_t i;

	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct rtap_tx_queue *txq = dev->data->tx_queues[i];

		if (txq != NULL && (txq->kq >= kept || pmd->nb_queues == 0 ||
				    txq->kq != i % pmd->nb_queues))
			txq->kq = RTAP_KQ_NONE;
	}
}

/*
 * The vnet header length of the interface (one for all its fds), and of the
 * queues a reconfiguration keeps; the port is stopped.
 */
static int
rtap_vnet_hdr_set(struct rte_eth_dev *dev, uint8_t len)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	int sz = len;
	uint16_t i;

	if (len != pmd->vnet_hdr_len &&
	    ioctl(pmd->keepalive_fd, TUNSETVNETHDRSZ, &sz) < 0) {
		sz = -errno;
		RTAP_LOG(ERR, "port %u: cannot set a %u-byte virtio-net header: %s",
			 dev->data->port_id, len, strerror(-sz));
		return sz;
	}
	pmd->vnet_hdr_len = len;
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] != NULL)
			((struct rtap_rx_queue *)dev->data->rx_queues[i])->hdr_len = len;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		if (dev->data->tx_queues[i] != NULL)
			((struct rtap_tx_queue *)dev->data->tx_queues[i])->hdr_len = len;
	return 0;
}

static int
rtap_dev_configure(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint64_t rx_offloads = dev->data->dev_conf.rxmode.offloads;
	uint64_t tx_offloads = dev->data->dev_conf.txmode.offloads;
	uint16_t nb = dev->data->nb_rx_queues;
	unsigned long tun_offload = 0;
	uint8_t hdr_len = RTAP_VNET_HDR_LEN, old_hdr_len = pmd->vnet_hdr_len;
	uint16_t nb_fds = pmd->nb_queues;
	struct rtap_link_info info;
	int fd, ret;

	/*
	 * A Tx queue writes the fd of an Rx queue: a tun fd takes writes only
	 * while attached, and an attached fd that nobody reads would hold its
	 * share of the kernel's frames until the kernel drops them.
	 */
	if (nb == 0 && dev->data->nb_tx_queues > 0) {
		RTAP_LOG(ERR, "port %u: %u Tx queues and no Rx queue: Tx queues write through the Rx queues' kernel queues, at least one Rx queue is needed",
			 dev->data->port_id, dev->data->nb_tx_queues);
		return -EINVAL;
	}
	if (nb > RTAP_MAX_QUEUES || dev->data->nb_tx_queues > RTAP_MAX_QUEUES) {
		RTAP_LOG(ERR, "port %u: %u Rx and %u Tx queues, at most %d of each",
			 dev->data->port_id, nb, dev->data->nb_tx_queues,
			 RTAP_MAX_QUEUES);
		return -EINVAL;
	}
	/*
	 * A configure that fails leaves the port and the interface as they
	 * were: the queue fds that can fail (a file limit) come first, a
	 * smaller count is applied last, the kernel's offloads are put back,
	 * and the MTU, set last, is left unchanged when it fails.
	 */
	while (pmd->nb_queues < nb) {
		fd = rtap_queue_fd_open(pmd);
		if (fd < 0) {
			ret = fd;
			goto undo_fds;
		}
		pmd->fds[pmd->nb_queues++] = fd;
	}
	/*
	 * What the kernel may hand over: partial checksums only to an
	 * application that takes them (or LRO, where the driver completes
	 * them), super-packets only with LRO.
	 */
	if (((rx_offloads & (RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
			     RTE_ETH_RX_OFFLOAD_UDP_CKSUM)) && !pmd->rx_csum_full) ||
	    (rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO))
		tun_offload |= TUN_F_CSUM;
	if (rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		tun_offload |= TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
	/*
	 * LRO is ethdev's only flag for super-packets on Rx: it stands for
	 * UDP ones too (RX_LRO and tso_segsz describe them just as well).
	 */
	if ((rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) && pmd->uso)
		tun_offload |= RTAP_TUN_USO;
	/*
	 * A tunnel Tx offload needs the long header; with LRO as well, the
	 * kernel hands over tunnel super-packets too (ethdev has no tunnel
	 * LRO flag). The kernel drops a tunnel super-packet that a short
	 * header cannot describe, so the length is set first.
	 */
	if (tx_offloads & RTAP_TX_TNL_OFFLOADS) {
		hdr_len = RTAP_VNET_TNL_HDR_LEN;
		if (rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO)
			tun_offload |= TUN_F_UDP_TUNNEL_GSO |
				TUN_F_UDP_TUNNEL_GSO_CSUM;
	}
	ret = rtap_vnet_hdr_set(dev, hdr_len);
	if (ret < 0)
		goto undo_fds;
	if (ioctl(pmd->keepalive_fd, TUNSETOFFLOAD, tun_offload) < 0) {
		ret = -errno;
		RTAP_LOG(ERR, "port %u: cannot set kernel offloads %#lx: %s",
			 dev->data->port_id, tun_offload, strerror(errno));
		goto undo_hdr;
	}

	/* rxmode.mtu, applied by ethdev to data->mtu, is the kernel's too. */
	ret = rtap_nl_get_link(pmd->nl_fd, pmd->ifindex, &info);
	if (ret == 0 && info.mtu != dev->data->mtu)
		ret = rtap_nl_set_mtu(pmd->nl_fd, pmd->ifindex, dev->data->mtu);
	if (ret < 0) {
		RTAP_LOG(ERR, "port %u: cannot set MTU %u: %s",
			 dev->data->port_id, dev->data->mtu, strerror(-ret));
		goto undo_offload;
	}
	/*
	 * Super-packets no longer than max_lro_pkt_size: the kernel builds
	 * them for the interface's gso_max_size (IFLA_GSO_MAX_SIZE). Where
	 * it cannot be set, or a forwarded packet is over it, the Rx path
	 * drops the packet and counts it in ierrors.
	 */
	if (rx_offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) {
		uint32_t gso = RTE_MIN(dev->data->dev_conf.rxmode.max_lro_pkt_size,
				       (uint32_t)UINT16_MAX + 1);

		ret = rtap_nl_set_gso_max(pmd->nl_fd, pmd->ifindex, gso);
		if (ret < 0)
			RTAP_LOG(NOTICE, "port %u: cannot set the kernel's gso_max_size %u (%s): longer LRO packets are dropped",
				 dev->data->port_id, gso, strerror(-ret));
	}
	rtap_queue_fds_trim(pmd, nb);
	pmd->tun_offload = tun_offload;
	rtap_tx_queues_recheck(dev, RTE_MIN(nb_fds, nb));
	return 0;
undo_offload:
	ioctl(pmd->keepalive_fd, TUNSETOFFLOAD, pmd->tun_offload);
undo_hdr:
	rtap_vnet_hdr_set(dev, old_hdr_len);
undo_fds:
	rtap_queue_fds_trim(pmd, nb_fds);
	return ret;
}

int
rtap_dev_info(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct pmd_internals *pmd = dev->data->dev_private;

	info->if_index = pmd->ifindex;
	info->max_mac_addrs = 1;
	info->max_rx_queues = RTAP_MAX_QUEUES;
	info->max_tx_queues = RTAP_MAX_QUEUES;
	info->min_mtu = RTAP_MIN_MTU;
	info->max_mtu = RTAP_MAX_MTU;
	info->max_rx_pktlen = RTAP_MAX_RX_PKTLEN;
	info->min_rx_bufsize = RTE_ETHER_MIN_LEN;
	info->rx_offload_capa = RTAP_RX_OFFLOADS;
	info->tx_offload_capa = RTAP_TX_OFFLOADS |
		(pmd->uso ? RTE_ETH_TX_OFFLOAD_UDP_TSO : 0);
	if (pmd->tnl_gso)
		info->tx_offload_capa |= RTAP_TX_TNL_OFFLOADS;
	info->max_lro_pkt_size = RTAP_MAX_TSO_PKTLEN;
	info->rx_queue_offload_capa = 0;
	info->tx_queue_offload_capa = 0;
	info->rx_desc_lim = (struct rte_eth_desc_lim) {
		.nb_max = RTAP_MAX_DESC,
		.nb_min = RTAP_MIN_DESC,
		.nb_align = 1,
	};
	info->tx_desc_lim = (struct rte_eth_desc_lim) {
		.nb_max = RTAP_MAX_DESC,
		.nb_min = RTAP_MIN_DESC,
		.nb_align = 1,
		.nb_seg_max = RTAP_MAX_TX_SEGS,
		.nb_mtu_seg_max = RTAP_MAX_TX_SEGS,
	};
	info->default_rxportconf.ring_size = RTAP_DEFAULT_DESC;
	info->default_txportconf.ring_size = RTAP_DEFAULT_DESC;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->speed_capa = RTE_ETH_LINK_SPEED_10G;
	return 0;
}

/* Returns 0 when the status changed. */
int
rtap_link_set(struct rte_eth_dev *dev, bool up)
{
	struct rte_eth_link link = {
		.link_speed = RTE_ETH_SPEED_NUM_10G,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = up ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN,
	};

	return rte_eth_linkstatus_set(dev, &link);
}

/* The rtnetlink socket of this process. */
int
rtap_nl_fd(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_proc *proc = dev->process_private;

	return rte_eal_process_type() == RTE_PROC_PRIMARY ? pmd->nl_fd :
		proc->nl_fd;
}

/*
 * Deleted from outside: its tun device is gone from under the keep-alive fd
 * (EBADFD), which a move to another network namespace leaves in place. A
 * secondary goes by what the primary's link event handler saw.
 */
bool
rtap_if_deleted(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct ifreq ifr;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return pmd->removed;
	return ioctl(pmd->keepalive_fd, TUNGETIFF, &ifr) < 0 && errno == EBADFD;
}

int
rtap_link_update(struct rte_eth_dev *dev, int wait_to_complete __rte_unused)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_link_info info;
	bool up;

	/*
	 * The kernel's view when it can be had; the interface may have been
	 * moved to another network namespace, where only the port's own
	 * state is left to go by, or deleted.
	 */
	if (rtap_nl_get_link(rtap_nl_fd(dev), pmd->ifindex, &info) == 0)
		up = (info.flags & IFF_UP) && (info.flags & IFF_RUNNING);
	else
		up = !rtap_if_deleted(dev) && dev->data->dev_started;
	return rtap_link_set(dev, up);
}

static int
rtap_set_flags(struct rte_eth_dev *dev, unsigned int flags, unsigned int change)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	int ret;

	ret = rtap_nl_set_flags(pmd->nl_fd, pmd->ifindex, flags, change);
	if (ret < 0)
		RTAP_LOG(ERR, "port %u: cannot change interface flags %#x: %s",
			 dev->data->port_id, change, strerror(-ret));
	return ret;
}

/* series: control */
static int
rtap_dev_set_link_up(struct rte_eth_dev *dev)
{
	int ret = rtap_set_flags(dev, IFF_UP, IFF_UP);

	if (ret == 0)
		rtap_link_update(dev, 0);
	return ret;
}

static int
rtap_dev_set_link_down(struct rte_eth_dev *dev)
{
	int ret = rtap_set_flags(dev, 0, IFF_UP);

	if (ret == 0)
		rtap_link_update(dev, 0);
	return ret;
}

static int
rtap_promiscuous_enable(struct rte_eth_dev *dev)
{
	return rtap_set_flags(dev, IFF_PROMISC, IFF_PROMISC);
}

static int
rtap_promiscuous_disable(struct rte_eth_dev *dev)
{
	return rtap_set_flags(dev, 0, IFF_PROMISC);
}

static int
rtap_allmulticast_enable(struct rte_eth_dev *dev)
{
	return rtap_set_flags(dev, IFF_ALLMULTI, IFF_ALLMULTI);
}

static int
rtap_allmulticast_disable(struct rte_eth_dev *dev)
{
	return rtap_set_flags(dev, 0, IFF_ALLMULTI);
}
/* series: control end */

/*
 * Frames the kernel holds on a queue fd that nobody reads: read out (and
 * counted by the caller as dropped). Bounded, for an interface up from
 * outside whose frames keep coming.
 */
static unsigned int
rtap_queue_fd_drain(int fd)
{
	size_t len = RTAP_VNET_TNL_HDR_LEN + RTAP_MAX_TSO_PKTLEN;
	char *buf = malloc(len);
	unsigned int n;

	for (n = 0; buf != NULL && n < RTAP_STOP_DRAIN_MAX &&
	     read(fd, buf, len) > 0; n++)
		;
	free(buf);
	return n;
}

static void
rtap_queues_stop(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	unsigned int n;
	uint16_t i;

	/* series: rxtx */
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		if (dev->data->rx_queues[i] != NULL)
			rtap_rx_queue_stop(dev->data->rx_queues[i]);
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		if (dev->data->tx_queues[i] != NULL)
			rtap_tx_queue_stop(dev->data->tx_queues[i]);
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	}
	/* series: rxtx end */
	/*
	 * A detached queue gets no traffic, and the kernel purges what it
	 * held without counting it: read that out first and count it as
	 * dropped. The interface is down by now, so the reads end. Fd N is
	 * Rx queue N's.
	 */
	for (i = 0; i < pmd->nb_queues; i++) {
		struct rtap_rx_queue *rxq = i < dev->data->nb_rx_queues ?
			dev->data->rx_queues[i] : NULL;

		n = rtap_queue_fd_drain(pmd->fds[i]);
		if (rxq != NULL)
			rxq->stats.errors += n;
		rtap_queue_ctl(pmd->fds[i], IFF_DETACH_QUEUE);
	}
}

static int
rtap_dev_start(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint16_t i;
	int ret;

	/* The kernel would take the queue fds of a deleted one as detached. */
	if (rtap_if_deleted(dev)) {
		RTAP_LOG(ERR, "port %u: interface %d was deleted from outside: close the port (and probe it again for a new interface)",
			 dev->data->port_id, pmd->ifindex);
		return -ENODEV;
	}
	for (i = 0; i < pmd->nb_queues; i++) {
		ret = rtap_queue_ctl(pmd->fds[i], IFF_ATTACH_QUEUE);
		if (ret < 0 && ret != -EINVAL) {
			RTAP_LOG(ERR, "port %u: cannot attach kernel queue %u: %s",
				 dev->data->port_id, i, strerror(-ret));
			goto fail;
		}
	}
	/* series: rxtx */
	dev->data->scattered_rx = 0;
	/* A deferred queue's fd is attached all the same: see rx_queue_stop. */
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct rtap_rx_queue *rxq = dev->data->rx_queues[i];

		if (rxq == NULL) {
			RTAP_LOG(ERR, "port %u: Rx queue %u is not set up",
				 dev->data->port_id, i);
			ret = -EINVAL;
			goto fail;
		}
		if (rxq->max_segs > 1)
			dev->data->scattered_rx = 1;
		if (rxq->deferred)
			continue;
		ret = rtap_rx_queue_start(dev, i);
		if (ret < 0)
			goto fail;
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	}
	dev->data->lro = !!(dev->data->dev_conf.rxmode.offloads &
			    RTE_ETH_RX_OFFLOAD_TCP_LRO);
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct rtap_tx_queue *txq = dev->data->tx_queues[i];

		if (txq == NULL || txq->kq == RTAP_KQ_NONE) {
			RTAP_LOG(ERR, "port %u: Tx queue %u %s", dev->data->port_id, i,
				 txq == NULL ? "is not set up" :
				 "was set up for another Rx queue count: set it up again");
			ret = -EINVAL;
			goto fail;
		}
		if (txq->deferred)
			continue;
		txq->started = true;
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	}
	/* series: rxtx end */

	/* series: intr */
	if (dev->data->dev_conf.intr_conf.rxq) {
		ret = rtap_rxq_intr_enable_all(dev);
		if (ret < 0)
			goto fail;
	}
	/* A reconfiguration may have turned link and removal events off. */
	if (dev->data->dev_conf.intr_conf.lsc || dev->data->dev_conf.intr_conf.rmv) {
		ret = rtap_lsc_enable(dev);
		if (ret < 0)
			goto fail;
	} else {
		rtap_lsc_disable(dev);
	}
	/* series: intr end */
	ret = rtap_set_flags(dev, IFF_UP, IFF_UP);
	if (ret < 0)
		goto fail;
	rtap_link_update(dev, 0);
	/* Odd: secondaries may copy the queues, now set up and started. */
	rte_atomic_fetch_add_explicit(&pmd->gen, 1, rte_memory_order_release);
	return 0;
fail:
	/* series: intr */
	rtap_rxq_intr_disable_all(dev);
	/* series: intr end */
	rtap_queues_stop(dev);
	return ret;
}

static int
rtap_dev_stop(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;

	/* Even: secondaries free their copies at their next burst. */
	if (rte_atomic_load_explicit(&pmd->gen, rte_memory_order_relaxed) & 1)
		rte_atomic_fetch_add_explicit(&pmd->gen, 1, rte_memory_order_release);
	/* Stop even if this fails: the interface may be in another netns. */
	rtap_nl_set_flags(pmd->nl_fd, pmd->ifindex, 0, IFF_UP);
	/* series: intr */
	rtap_rxq_intr_disable_all(dev);
	/* series: intr end */
	rtap_queues_stop(dev);
	dev->data->dev_started = 0;
	rtap_link_set(dev, false);
	return 0;
}

/* series: rxtx */
/* The queue of a queue start or stop, or NULL: ethdev's checks vary by release. */
static void *
rtap_queue_op(struct rte_eth_dev *dev, uint16_t queue_id, bool rx, bool start)
{
	uint16_t nb = rx ? dev->data->nb_rx_queues : dev->data->nb_tx_queues;
	void *q = NULL;

	if (queue_id < nb)
		q = rx ? dev->data->rx_queues[queue_id] : dev->data->tx_queues[queue_id];
	if (q == NULL || (start && !dev->data->dev_started)) {
		RTAP_LOG(ERR, "port %u: %s queue %u: %s", dev->data->port_id,
			 rx ? "Rx" : "Tx", queue_id,
			 q == NULL ? "not set up" : "the port is not started");
		return NULL;
	}
	return q;
}

/* The queue's new state; secondaries rebuild their copies (by 2: odd stays odd). */
static int
rtap_queue_op_done(struct rte_eth_dev *dev, uint16_t queue_id, bool rx, uint8_t state)
{
	struct pmd_internals *pmd = dev->data->dev_private;

	(rx ? dev->data->rx_queue_state : dev->data->tx_queue_state)[queue_id] = state;
	rte_atomic_fetch_add_explicit(&pmd->gen, 2, rte_memory_order_release);
	return 0;
}

/*
 * A stopped (or deferred) Rx queue posts no read, but its fd stays
 * attached: a Tx queue may write through it, and the kernel keeps steering
 * flows as before. What the kernel steers to it is dropped, as a NIC drops
 * what its RSS table sends to a stopped queue: by the kernel once the fd's
 * queue is full (imissed), the rest read out here and counted in the
 * queue's ierrors, so no stale frame comes up after the start.
 */
static int
rtap_dev_rx_queue_start(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_rx_queue *rxq = rtap_queue_op(dev, queue_id, true, true);
	int ret;

	if (rxq == NULL)
		return -EINVAL;
	if (!rxq->started)
		rxq->stats.errors += rtap_queue_fd_drain(pmd->fds[queue_id]);
	ret = rtap_rx_queue_start(dev, queue_id);
	if (ret < 0)
		return ret;
	return rtap_queue_op_done(dev, queue_id, true, RTE_ETH_QUEUE_STATE_STARTED);
}

/* Reads cancelled, mbufs back in the pool, as at dev_stop. */
static int
rtap_dev_rx_queue_stop(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct rtap_rx_queue *rxq = rtap_queue_op(dev, queue_id, true, false);

	if (rxq == NULL)
		return -EINVAL;
	rtap_rx_queue_stop(rxq);
	return rtap_queue_op_done(dev, queue_id, true, RTE_ETH_QUEUE_STATE_STOPPED);
}

static int
rtap_dev_tx_queue_start(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct rtap_tx_queue *txq = rtap_queue_op(dev, queue_id, false, true);

	if (txq == NULL)
		return -EINVAL;
	txq->started = true;
	return rtap_queue_op_done(dev, queue_id, false, RTE_ETH_QUEUE_STATE_STARTED);
}

/* Writes in flight complete (counted as sent) or are cancelled; mbufs freed. */
static int
rtap_dev_tx_queue_stop(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct rtap_tx_queue *txq = rtap_queue_op(dev, queue_id, false, false);

	if (txq == NULL)
		return -EINVAL;
	rtap_tx_queue_stop(txq);
	return rtap_queue_op_done(dev, queue_id, false, RTE_ETH_QUEUE_STATE_STOPPED);
}
/* series: rxtx end */

/* series: control */
static int
rtap_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint16_t i;
	int ret;

	/* Every queue's pool must hold the frames, chained if need be. */
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		ret = rtap_rx_queue_mtu(dev, i, mtu, false);
		if (ret < 0)
			return ret;
	}
	ret = rtap_nl_set_mtu(pmd->nl_fd, pmd->ifindex, mtu);
	if (ret < 0) {
		RTAP_LOG(ERR, "port %u: cannot set MTU %u: %s",
			 dev->data->port_id, mtu, strerror(-ret));
		return ret;
	}
	/* Running queues get reads long enough for the new frames. */
	for (i = 0; dev->data->dev_started && i < dev->data->nb_rx_queues; i++) {
		ret = rtap_rx_queue_mtu(dev, i, mtu, true);
		if (ret < 0) {
			RTAP_LOG(ERR, "port %u: Rx queue %u cannot take MTU %u: %s",
				 dev->data->port_id, i, mtu, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int
rtap_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	int ret;

	if (!rte_is_valid_assigned_ether_addr(mac)) {
		RTAP_LOG(ERR, "port %u: not a unicast MAC address",
			 dev->data->port_id);
		return -EINVAL;
	}
	ret = rtap_nl_set_mac(pmd->nl_fd, pmd->ifindex, mac);
	if (ret < 0) {
		RTAP_LOG(ERR, "port %u: cannot set MAC address: %s",
			 dev->data->port_id, strerror(-ret));
		return ret;
	}
	rte_ether_addr_copy(mac, &pmd->mac);
	return 0;
}
/* series: control end */

/*
 * Kernel frames the interface could not hand to DPDK (no Rx buffer posted)
 * since the last reset. When the kernel cannot be asked, or its counter
 * restarted (a new interface), the last figure stands.
 */
static uint64_t
rtap_imissed(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_link_info info;

	if (rtap_nl_get_link(rtap_nl_fd(dev), pmd->ifindex, &info) == 0 &&
	    info.tx_dropped >= pmd->imissed_base)
		pmd->imissed = RTE_MAX(pmd->imissed,
				       info.tx_dropped - pmd->imissed_base);
	return pmd->imissed;
}

int
rtap_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		struct eth_queue_stats *qstats)
{
	struct rtap_queue_stats qs;
	uint16_t i;

	/* ethdev has zeroed both; qstats is NULL unless per-queue is asked. */
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct rtap_rx_queue *rxq = dev->data->rx_queues[i];

		if (rxq == NULL)
			continue;
		RTAP_MP_SUM(&qs, rxq, stats);
		stats->ipackets += qs.packets;
		stats->ibytes += qs.bytes;
		stats->ierrors += qs.errors;
		stats->rx_nombuf += qs.nombuf;
		if (qstats != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qstats->q_ipackets[i] = qs.packets;
			qstats->q_ibytes[i] = qs.bytes;
			qstats->q_errors[i] = qs.errors;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct rtap_tx_queue *txq = dev->data->tx_queues[i];

		if (txq == NULL)
			continue;
		RTAP_MP_SUM(&qs, txq, stats);
		stats->opackets += qs.packets;
		stats->obytes += qs.bytes;
		stats->oerrors += qs.errors;
		if (qstats != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qstats->q_opackets[i] = qs.packets;
			qstats->q_obytes[i] = qs.bytes;
		}
	}
	stats->imissed = rtap_imissed(dev);
	return 0;
}

int
rtap_stats_reset(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct rtap_rx_queue *rxq = dev->data->rx_queues[i];

		if (rxq != NULL)
			RTAP_MP_RESET(rxq, stats);
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct rtap_tx_queue *txq = dev->data->tx_queues[i];

		if (txq != NULL)
			RTAP_MP_RESET(txq, stats);
	}
	pmd->imissed_base += rtap_imissed(dev);
	pmd->imissed = 0;
	return 0;
}

static void
rtap_release(struct pmd_internals *pmd)
{
	rtap_queue_fds_trim(pmd, 0);
	if (pmd->keepalive_fd >= 0) {
		/* Without persist, closing the last fd deletes the interface. */
		if (!pmd->persist)
			ioctl(pmd->keepalive_fd, TUNSETPERSIST, 0);
		close(pmd->keepalive_fd);
		pmd->keepalive_fd = -1;
	}
	if (pmd->nl_fd >= 0) {
		close(pmd->nl_fd);
		pmd->nl_fd = -1;
	}
}

static int
rtap_dev_close(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (dev->data->dev_started)
		rtap_dev_stop(dev);
	/* series: intr */
	rtap_lsc_disable(dev);
	/* series: intr end */
	/* series: rxtx */
	rtap_queues_release(dev);
	/* series: rxtx end */
	rtap_release(pmd);
	/* series: mp */
	rtap_mp_unregister();
	/* series: mp end */
	rte_intr_instance_free(dev->intr_handle);
	dev->intr_handle = NULL;
	/* mac_addrs points into dev_private, which is not rte_malloc'ed alone. */
	dev->data->mac_addrs = NULL;
	return 0;
}

/* series: rxtx */
static void
rtap_rxq_info_get(struct rte_eth_dev *dev, uint16_t queue_id,
		  struct rte_eth_rxq_info *qinfo)
{
	const struct rtap_rx_queue *rxq = dev->data->rx_queues[queue_id];

	qinfo->mp = rxq->mp;
	qinfo->scattered_rx = rxq->max_segs > 1;
	qinfo->nb_desc = rxq->nb_desc;
	qinfo->rx_buf_size = rxq->seg_room;
	qinfo->conf.rx_deferred_start = rxq->deferred;
	/* Every offload is the port's: the queues cannot differ. */
	qinfo->conf.offloads = dev->data->dev_conf.rxmode.offloads;
}

static void
rtap_txq_info_get(struct rte_eth_dev *dev, uint16_t queue_id,
		  struct rte_eth_txq_info *qinfo)
{
	const struct rtap_tx_queue *txq = dev->data->tx_queues[queue_id];

	qinfo->nb_desc = txq->nb_desc;
	qinfo->conf.tx_deferred_start = txq->deferred;
	qinfo->conf.offloads = dev->data->dev_conf.txmode.offloads;
}
/* series: rxtx end */

static const struct eth_dev_ops rtap_ops = {
	.dev_configure = rtap_dev_configure,
	.dev_infos_get = rtap_dev_info,
	.dev_start = rtap_dev_start,
	.dev_stop = rtap_dev_stop,
	.dev_close = rtap_dev_close,
	.link_update = rtap_link_update,
	.stats_get = rtap_stats_get,
	.stats_reset = rtap_stats_reset,
	/* series: rxtx */
	.rx_queue_setup = rtap_rx_queue_setup,
	.tx_queue_setup = rtap_tx_queue_setup,
	.rx_queue_release = rtap_rx_queue_release,
	.tx_queue_release = rtap_tx_queue_release,
	.rxq_info_get = rtap_rxq_info_get,
	.txq_info_get = rtap_txq_info_get,
	.rx_queue_start = rtap_dev_rx_queue_start,
	.rx_queue_stop = rtap_dev_rx_queue_stop,
	.tx_queue_start = rtap_dev_tx_queue_start,
	.tx_queue_stop = rtap_dev_tx_queue_stop,
	.tx_done_cleanup = rtap_tx_done_cleanup,
	.get_monitor_addr = rtap_get_monitor_addr,
	/* series: rxtx end */
	/* series: control */
	.dev_set_link_up = rtap_dev_set_link_up,
	.dev_set_link_down = rtap_dev_set_link_down,
	.promiscuous_enable = rtap_promiscuous_enable,
	.promiscuous_disable = rtap_promiscuous_disable,
	.allmulticast_enable = rtap_allmulticast_enable,
	.allmulticast_disable = rtap_allmulticast_disable,
	.mtu_set = rtap_mtu_set,
	.mac_addr_set = rtap_mac_addr_set,
	/* series: control end */
	/* series: intr */
	.rx_queue_intr_enable = rtap_rx_queue_intr_enable,
	.rx_queue_intr_disable = rtap_rx_queue_intr_disable,
	/* series: intr end */
	/* series: xstats */
	.xstats_get = rtap_xstats_get,
	.xstats_get_names = rtap_xstats_get_names,
	.xstats_reset = rtap_xstats_reset,
	/* series: xstats end */
};

/* Create (or attach to) the interface and keep one detached fd on it. */
static int
rtap_create(struct pmd_internals *pmd, const struct rtap_args *args)
{
	const char *name = args->iface[0] != '\0' ? args->iface : RTAP_DEFAULT_IFNAME;
	char ifname[IF_NAMESIZE];
	struct rtap_link_info info;
	unsigned int features;
	int hdr_len = RTAP_VNET_HDR_LEN;
	int fd, ret;

	fd = rtap_tun_dev_open();
	if (fd < 0)
		return fd;
	features = rtap_tun_flags(fd);
	close(fd);
	if ((features & RTAP_TUN_FLAGS) != RTAP_TUN_FLAGS) {
		RTAP_LOG(ERR, "the kernel's tun driver lacks multi-queue tap with virtio-net header (features %#x)",
			 features);
		return -ENOTSUP;
	}
	/* An interface that was there before is never deleted on failure. */
	pmd->persist = args->iface[0] != '\0' && if_nametoindex(args->iface) != 0;
	/*
	 * No IFF_NAPI: measured, its per-write NAPI and GRO work cost about
	 * a third of the Tx packet rate, for nothing this driver needs.
	 */
	pmd->tun_flags = RTAP_TUN_FLAGS;

	fd = rtap_tun_open(name, ifname, pmd->tun_flags);
	if (fd < 0)
		return fd;
	pmd->keepalive_fd = fd;

	pmd->ifindex = if_nametoindex(ifname);
	if (pmd->ifindex == 0) {
		ret = -errno;
		RTAP_LOG(ERR, "interface %s vanished: %s", ifname, strerror(errno));
		return ret;
	}
	if (ioctl(fd, TUNSETVNETHDRSZ, &hdr_len) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, 0) < 0) {
		ret = -errno;
		RTAP_LOG(ERR, "cannot set up the virtio-net header of %s: %s",
			 ifname, strerror(errno));
		return ret;
	}
	pmd->vnet_hdr_len = hdr_len;
	/*
	 * Does the kernel know UDP segmentation (Linux 6.2), GSO over UDP
	 * tunnels (Linux 6.17, taken only beside plain GSO)? An older kernel
	 * refuses unknown flags. Nothing flows yet, and the offloads go back
	 * to none at once.
	 */
	pmd->uso = ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | RTAP_TUN_USO) == 0;
	pmd->tnl_gso = ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 |
			     TUN_F_UDP_TUNNEL_GSO | TUN_F_UDP_TUNNEL_GSO_CSUM) == 0;
	if (ioctl(fd, TUNSETOFFLOAD, 0) < 0) {
		ret = -errno;
		RTAP_LOG(ERR, "cannot reset the offloads of %s: %s", ifname,
			 strerror(errno));
		return ret;
	}
	if (!pmd->uso)
		RTAP_LOG(INFO, "%s: no UDP segmentation offload (kernel 6.2 or later)",
			 ifname);
	ret = rtap_queue_ctl(fd, IFF_DETACH_QUEUE);
	if (ret < 0) {
		RTAP_LOG(ERR, "cannot detach the keep-alive queue of %s: %s",
			 ifname, strerror(-ret));
		return ret;
	}

	ret = rtap_nl_open(0);
	if (ret < 0) {
		RTAP_LOG(ERR, "cannot open an rtnetlink socket: %s", strerror(-ret));
		return ret;
	}
	pmd->nl_fd = ret;
	if (args->has_mac) {
		ret = rtap_nl_set_mac(pmd->nl_fd, pmd->ifindex, &args->mac);
		if (ret < 0) {
			RTAP_LOG(ERR, "cannot set the MAC address of %s: %s",
				 ifname, strerror(-ret));
			return ret;
		}
	}
	ret = rtap_nl_get_link(pmd->nl_fd, pmd->ifindex, &info);
	if (ret < 0) {
		RTAP_LOG(ERR, "cannot read interface %s: %s", ifname,
			 strerror(-ret));
		return ret;
	}
	rte_ether_addr_copy(&info.mac, &pmd->mac);
	pmd->imissed_base = info.tx_dropped;

	if (args->persist && ioctl(fd, TUNSETPERSIST, 1) < 0) {
		ret = -errno;
		RTAP_LOG(ERR, "cannot make %s persistent: %s", ifname,
			 strerror(errno));
		return ret;
	}
	pmd->persist = args->persist;
	pmd->rx_csum_full = args->rx_csum_full;
	RTAP_LOG(INFO, "interface %s (ifindex %d)%s", ifname, pmd->ifindex,
		 args->persist ? ", persistent" : "");
	return 0;
}

static int
rtap_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct pmd_internals *pmd;
	struct rte_eth_dev *dev;
	struct rtap_args args;
	unsigned int i;
	int ret;

	/* series: mp */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return rtap_mp_attach(vdev);
	/* series: mp end */
	ret = rtap_parse_args(rte_vdev_device_args(vdev), &args);
	if (ret < 0)
		return ret;
	/* series: rxtx */
	ret = rtap_io_uring_check();
	if (ret < 0)
		return ret;
	/* series: rxtx end */

	dev = rte_eth_vdev_allocate(vdev, sizeof(*pmd));
	if (dev == NULL) {
		RTAP_LOG(ERR, "%s: cannot allocate the port", name);
		return -ENOMEM;
	}
	pmd = dev->data->dev_private;
	pmd->keepalive_fd = -1;
	pmd->nl_fd = -1;
	pmd->lsc_nl_fd = -1;
	for (i = 0; i < RTE_DIM(pmd->fds); i++)
		pmd->fds[i] = -1;

	ret = rtap_create(pmd, &args);
	if (ret == 0) {
		dev->intr_handle =
			rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
		if (dev->intr_handle == NULL)
			ret = -ENOMEM;
	}
	/* series: mp */
	if (ret == 0) {
		ret = rtap_mp_register();
		if (ret < 0) {
			rte_intr_instance_free(dev->intr_handle);
			dev->intr_handle = NULL;
		}
	}
	/* series: mp end */
	if (ret < 0) {
		rtap_release(pmd);
		rte_eth_dev_release_port(dev);
		return ret;
	}

	dev->dev_ops = &rtap_ops;
	/* series: rxtx */
	dev->rx_pkt_burst = rtap_rx_burst;
	dev->tx_pkt_burst = rtap_tx_burst;
	dev->rx_queue_count = rtap_rx_queue_count;
	dev->rx_descriptor_status = rtap_rx_descriptor_status;
	dev->tx_descriptor_status = rtap_tx_descriptor_status;
	dev->tx_pkt_prepare = rtap_tx_prepare;
	/* series: rxtx end */
	dev->data->mac_addrs = &pmd->mac;
	/* ethdev adds rx_q<N>_packets and the like from the queue counters. */
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	/* series: intr */
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC | RTE_ETH_DEV_INTR_RMV;
	/* series: intr end */
	dev->data->dev_link.link_speed = RTE_ETH_SPEED_NUM_10G;
	dev->data->dev_link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	dev->data->dev_link.link_autoneg = RTE_ETH_LINK_FIXED;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
rtap_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;	/* already closed */
	/* Each does nothing in the other kind of process. */
	rtap_dev_close(dev);
	/* series: mp */
	rtap_mp_close(dev);
	/* series: mp end */
	rte_eth_dev_release_port(dev);
	return 0;
}

static struct rte_vdev_driver rtap_vdev_drv = {
	.probe = rtap_probe,
	.remove = rtap_remove,
};

RTE_PMD_REGISTER_VDEV(net_rtap, rtap_vdev_drv);
RTE_PMD_REGISTER_PARAM_STRING(net_rtap,
	RTAP_ARG_IFACE "=<ifname> "
	RTAP_ARG_PERSIST " "
	RTAP_ARG_MAC "=<xx:xx:xx:xx:xx:xx> "
	RTAP_ARG_RX_CSUM "=<full|partial>");
RTE_LOG_REGISTER_DEFAULT(rtap_logtype, NOTICE);
