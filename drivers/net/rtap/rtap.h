/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

#ifndef RTAP_H
#define RTAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <net/if.h>
#include <linux/virtio_net.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_log.h>
#include <ethdev_driver.h>

#include "rtap_compat.h"

struct rte_vdev_device;

extern int rtap_logtype;
#define RTE_LOGTYPE_NET_RTAP rtap_logtype

#define RTAP_LOG(level, ...) \
	RTE_LOG_LINE_PREFIX(level, NET_RTAP, "%s(): ", __func__, __VA_ARGS__)

#ifdef RTE_ETHDEV_DEBUG_RX
#define RTAP_RX_LOG(level, ...) RTAP_LOG(level, __VA_ARGS__)
#else
#define RTAP_RX_LOG(level, ...) do { } while (0)
#endif
#ifdef RTE_ETHDEV_DEBUG_TX
#define RTAP_TX_LOG(level, ...) RTAP_LOG(level, __VA_ARGS__)
#else
#define RTAP_TX_LOG(level, ...) do { } while (0)
#endif

#define RTAP_MAX_QUEUES		128
/* Tx queue kept by a configure that closed or moved its kernel queue. */
#define RTAP_KQ_NONE		UINT16_MAX
#define RTAP_MIN_MTU		RTE_ETHER_MIN_MTU
#define RTAP_MAX_MTU		9216
/* Largest frame the kernel hands over: MTU plus Ethernet and one VLAN tag. */
#define RTAP_FRAME_OVERHEAD	(RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN)
#define RTAP_MAX_RX_PKTLEN	(RTAP_MAX_MTU + RTAP_FRAME_OVERHEAD)
/* Frame length limit of a super-packet: an IP packet plus Ethernet. */
#define RTAP_MAX_TSO_PKTLEN	(UINT16_MAX + RTAP_FRAME_OVERHEAD)
#define RTAP_MIN_DESC		64
#define RTAP_MAX_DESC		4096
#define RTAP_DEFAULT_DESC	1024
/* Segments of one transmitted packet, plus one iovec for the header. */
#define RTAP_MAX_TX_SEGS	32
/* Mbufs of one posted read: readv takes at most UIO_MAXIOV vectors. */
#define RTAP_MAX_RX_SEGS	1024
#define RTAP_VNET_HDR_LEN	((unsigned int)sizeof(struct virtio_net_hdr))
/*
 * The kernel's struct virtio_net_hdr_v1_hash_tunnel: a vnet header of at
 * least this size makes the kernel parse (on write) and fill (on read) the
 * tunnel offsets, little-endian, counted from the frame start.
 */
struct rtap_vnet_tnl_hdr {
	struct virtio_net_hdr hdr;
	uint16_t num_buffers;
	uint32_t hash_value;
	uint16_t hash_report;
	uint16_t padding;
	uint16_t outer_th_offset;
	uint16_t inner_nh_offset;
};
#define RTAP_VNET_TNL_HDR_LEN	((unsigned int)sizeof(struct rtap_vnet_tnl_hdr))
#define RTAP_GSO_TUNNEL		(VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4 | \
				 VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6)
/* Tx offloads that need the long header. */
#define RTAP_TX_TNL_OFFLOADS	(RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | \
				 RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM)
/* Secondary processes that can poll queues of a port at the same time. */
#define RTAP_MP_SLOTS		8

/* Per-queue counters, written only by the queue's polling thread. */
struct rtap_queue_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;
	uint64_t nombuf;	/* Rx: no replacement mbuf */
};

/* Extended counters of a queue; see rtap_xstats.c for their names. */
#define RTAP_NB_SIZE_BINS 7
struct rtap_xstats {
	uint64_t size_bins[RTAP_NB_SIZE_BINS];
	uint64_t broadcast;
	uint64_t multicast;
	uint64_t unicast;
	uint64_t gso;		/* Rx: LRO packets; Tx: TSO packets */
	uint64_t csum_good;	/* Tx: checksum offload requests */
	uint64_t csum_none;
	uint64_t csum_bad;
	uint64_t multiseg;
	uint64_t nombuf;	/* Rx: no replacement; Tx: no header mbuf */
};

/* What the copies of a queue in one secondary process counted. */
struct rtap_mp_counters {
	struct rtap_queue_stats stats;
	struct rtap_xstats xstats;
};

/* One read posted per slot, into the chain that starts at head. */
struct rtap_rx_slot {
	struct rte_mbuf *head;
};

struct __rte_cache_aligned rtap_rx_queue {
	struct io_uring ring;		/* of the process that made the queue */
	int ring_fd;			/* registered index or plain fd */
	uint8_t sqe_flags;		/* IOSQE_FIXED_FILE when registered */
	bool started;
	bool deferred;			/* left stopped by dev_start */
	uint16_t nb_desc;
	uint16_t nb_segs;		/* mbufs per posted read */
	uint16_t max_segs;		/* iovecs per slot */
	uint16_t seg_room;		/* data bytes per mbuf */
	uint8_t hdr_len;		/* vnet header read before each frame */
	uint16_t port_id;
	uint16_t queue_id;
	uint32_t nb_idle;
	uint32_t inflight;
	int efd;			/* Rx interrupt eventfd, or -1 */
	bool mshot;			/* one multishot read, provided buffers */
	bool mshot_armed;
	bool sq_pending;		/* requests the kernel did not take yet */
	bool gone;			/* reads fail with EBADFD: no interface */
	int owner;			/* thread that armed the multishot read */
	uint32_t br_entries;
	struct io_uring_buf_ring *br;
	uint32_t *idle;			/* slots with no read posted */
	struct rtap_rx_slot *slots;
	struct iovec *iovs;		/* max_segs per slot, for readv */
	struct rte_mbuf **fresh;	/* replacements of one burst */
	struct rte_mempool *mp;
	/* The application takes partial TCP (UDP) checksums. */
	bool csum_tcp;
	bool csum_udp;
	bool csum_ip;			/* IPv4 header checksums are checked */
	bool lro;
	uint32_t lro_max;		/* longest LRO packet handed over */
	int own_fd;			/* secondary: its copy of the queue fd */
	/* Port's queue: pmd->gen at its setup; copy: pmd->gen it is for. */
	uint32_t gen;
	struct rtap_queue_stats stats;	/* of the process polling this */
	struct rtap_xstats xstats;
	/* Port's queue: the counts of its copies, by process slot. */
	struct rtap_mp_counters sec[RTAP_MP_SLOTS];
};

/* One write in flight: the packet, an optional header mbuf, the iovecs. */
struct rtap_tx_slot {
	struct rte_mbuf *pkt;
	struct rte_mbuf *hdr;
	uint32_t len;
	struct iovec iov[RTAP_MAX_TX_SEGS + 1];
};

struct __rte_cache_aligned rtap_tx_queue {
	struct io_uring ring;
	int ring_fd;
	uint8_t sqe_flags;
	bool sq_pending;		/* writes the kernel did not take yet */
	bool started;			/* else tx_burst sends nothing */
	bool deferred;			/* left stopped by dev_start */
	uint8_t hdr_len;		/* vnet header written before each frame */
	uint16_t nb_desc;
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t kq;			/* kernel queue (fd) it writes */
	uint32_t nb_idle;
	uint32_t inflight;
	uint32_t *idle;			/* slots with no write in flight */
	struct rtap_tx_slot *slots;
	uint64_t offloads;		/* enabled on the port or the queue */
	int own_fd;
	uint32_t gen;
	struct rtap_queue_stats stats;
	struct rtap_xstats xstats;
	struct rtap_mp_counters sec[RTAP_MP_SLOTS];
};

struct rtap_link_info {
	unsigned int flags;		/* IFF_* */
	unsigned int mtu;
	uint8_t operstate;
	struct rte_ether_addr mac;
	char name[IF_NAMESIZE];
	uint64_t rx_dropped;
	uint64_t tx_dropped;
};

/*
 * Shared by all processes (dev_private). The fds and the interrupt handle
 * are the primary's: a secondary keeps its own in struct rtap_proc. No
 * shared object points into one process's memory.
 */
struct pmd_internals {
	int ifindex;
	/* Odd while started; bumped (release) at start and stop. */
	RTE_ATOMIC(uint32_t) gen;
	/* Secondary holding each process slot, 0 if none. */
	RTE_ATOMIC(pid_t) mp_pid[RTAP_MP_SLOTS];
	int keepalive_fd;		/* holds the interface, no traffic */
	int nl_fd;			/* rtnetlink socket for this port */
	unsigned int tun_flags;		/* TUNSETIFF flags of every fd */
	unsigned long tun_offload;	/* TUNSETOFFLOAD flags in force */
	bool uso;			/* the kernel takes TUN_F_USO4 | TUN_F_USO6 */
	bool tnl_gso;			/* the kernel takes GSO over UDP tunnels */
	uint8_t vnet_hdr_len;		/* TUNSETVNETHDRSZ in force */
	bool persist;
	bool rx_csum_full;		/* devarg rx_csum=full: no partial sums */
	/* Deletion from outside seen by the link event handler (once). */
	bool removed;
	struct rte_ether_addr mac;
	uint16_t nb_queues;		/* queue fds opened: one per Rx queue */
	/* fd N is read by Rx queue N, written by Tx queues N, N + nb_queues... */
	int fds[RTAP_MAX_QUEUES];
	uint64_t imissed_base;		/* kernel drop count at last reset */
	uint64_t imissed;		/* last reported: it never goes back */
	struct rte_intr_handle *lsc_intr;	/* RTMGRP_LINK socket */
	int lsc_nl_fd;			/* queries from the interrupt thread */
};

/*
 * A secondary process's own part of a port (process_private): an io_uring
 * lives in the process that made it, so a secondary polls copies of the
 * queues, built on fds the primary sends over the EAL channel.
 */
struct rtap_proc {
	int nl_fd;
	unsigned int slot;		/* in pmd->mp_pid and queues' sec[] */
	struct rtap_rx_queue *rxq[RTAP_MAX_QUEUES];
	struct rtap_tx_queue *txq[RTAP_MAX_QUEUES];
};

/* rtap_rxtx.c */
int rtap_rx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mp);
int rtap_tx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_txconf *tx_conf);
void rtap_rx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id);
void rtap_tx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id);
void rtap_queues_release(struct rte_eth_dev *dev);
int rtap_rx_queue_start(struct rte_eth_dev *dev, uint16_t queue_id);
int rtap_rx_queue_mtu(struct rte_eth_dev *dev, uint16_t queue_id, uint16_t mtu,
		bool started);
void rtap_rx_queue_stop(struct rtap_rx_queue *rxq);
void rtap_tx_queue_stop(struct rtap_tx_queue *txq);
uint16_t rtap_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);
uint16_t rtap_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);
int rtap_rx_queue_count(void *queue);
int rtap_rx_descriptor_status(void *queue, uint16_t offset);
int rtap_tx_descriptor_status(void *queue, uint16_t offset);
int rtap_tx_done_cleanup(void *queue, uint32_t free_cnt);
int rtap_get_monitor_addr(void *queue, struct rte_power_monitor_cond *pmc);
uint16_t rtap_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts);
int rtap_io_uring_check(void);
void rtap_rx_queue_arm(struct rtap_rx_queue *rxq);
struct rtap_rx_queue *rtap_rx_queue_clone(struct rte_eth_dev *dev,
		const struct rtap_rx_queue *orig, int fd);
void rtap_rx_queue_free(struct rtap_rx_queue *rxq);
struct rtap_tx_queue *rtap_tx_queue_clone(const struct rtap_tx_queue *orig,
		int fd);
void rtap_tx_queue_free(struct rtap_tx_queue *txq);

/* rtap_mp.c */
int rtap_mp_register(void);
void rtap_mp_unregister(void);
int rtap_mp_attach(struct rte_vdev_device *vdev);
int rtap_mp_close(struct rte_eth_dev *dev);
void rtap_mp_counters_add(void *to, const void *from, size_t len);
void rtap_mp_counters_zero(void *counters, size_t len);
void rtap_mp_counters_sum(void *sum, const void *own,
		const struct rtap_mp_counters *sec, size_t off, size_t len);
void rtap_mp_counters_reset(void *own, struct rtap_mp_counters *sec,
		size_t off, size_t len);
/* The stats or xstats (field) of queue q, with those of all its slots. */
#define RTAP_MP_SUM(sum, q, field) \
	rtap_mp_counters_sum(sum, &(q)->field, (q)->sec, \
		offsetof(struct rtap_mp_counters, field), sizeof((q)->field))
/* Zero the stats or xstats (field) of queue q and of all its slots. */
#define RTAP_MP_RESET(q, field) \
	rtap_mp_counters_reset(&(q)->field, (q)->sec, \
		offsetof(struct rtap_mp_counters, field), sizeof((q)->field))
uint16_t rtap_rx_burst_secondary(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts);
uint16_t rtap_tx_burst_secondary(void *queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts);
int rtap_rx_queue_count_secondary(void *queue);
int rtap_rx_descriptor_status_secondary(void *queue, uint16_t offset);
int rtap_tx_descriptor_status_secondary(void *queue, uint16_t offset);
int rtap_tx_done_cleanup_secondary(void *queue, uint32_t free_cnt);
int rtap_get_monitor_addr_secondary(void *queue,
		struct rte_power_monitor_cond *pmc);

/* rtap_ethdev.c */
int rtap_link_set(struct rte_eth_dev *dev, bool up);
int rtap_nl_fd(struct rte_eth_dev *dev);
int rtap_link_update(struct rte_eth_dev *dev, int wait_to_complete);
bool rtap_if_deleted(struct rte_eth_dev *dev);
int rtap_dev_info(struct rte_eth_dev *dev, struct rte_eth_dev_info *info);
int rtap_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		struct eth_queue_stats *qstats);
int rtap_stats_reset(struct rte_eth_dev *dev);

/* rtap_intr.c */
int rtap_lsc_enable(struct rte_eth_dev *dev);
void rtap_lsc_disable(struct rte_eth_dev *dev);
int rtap_rxq_intr_enable_all(struct rte_eth_dev *dev);
void rtap_rxq_intr_disable_all(struct rte_eth_dev *dev);
int rtap_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t queue_id);
int rtap_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t queue_id);

/* rtap_xstats.c */
int rtap_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size);
int rtap_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n);
int rtap_xstats_reset(struct rte_eth_dev *dev);

static inline void
rtap_xstats_count(struct rtap_xstats *xs, const struct rte_mbuf *m)
{
	const struct rte_ether_addr *dst =
		rte_pktmbuf_mtod(m, const struct rte_ether_addr *);
	uint32_t len = m->pkt_len;
	unsigned int bin;

	if (len <= 64)
		bin = 0;
	else if (len < 1024)
		bin = rte_bsf32(rte_align32prevpow2(len)) - 5;
	else if (len <= 1518)
		bin = 5;
	else
		bin = 6;
	xs->size_bins[bin]++;
	if (likely(rte_is_unicast_ether_addr(dst)))
		xs->unicast++;
	else if (rte_is_broadcast_ether_addr(dst))
		xs->broadcast++;
	else
		xs->multicast++;
	if (m->nb_segs > 1)
		xs->multiseg++;
}

/* rtap_netlink.c */
int rtap_nl_open(unsigned int groups);
int rtap_nl_set_flags(int nl_fd, int ifindex, unsigned int flags,
		unsigned int change);
int rtap_nl_set_mtu(int nl_fd, int ifindex, unsigned int mtu);
int rtap_nl_set_gso_max(int nl_fd, int ifindex, uint32_t size);
int rtap_nl_set_mac(int nl_fd, int ifindex, const struct rte_ether_addr *mac);
int rtap_nl_get_link(int nl_fd, int ifindex, struct rtap_link_info *info);

#endif /* RTAP_H */
