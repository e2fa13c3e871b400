/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/* What older liburing headers (2.0 and later) lack. */

#ifndef RTAP_COMPAT_H
#define RTAP_COMPAT_H

#include <liburing.h>

/* series: releases */
/*
 * net_rtap is written against DPDK main. This part maps what it uses onto
 * the older DPDK releases it also builds on (22.11 and later), one block
 * per change, newest first. Nothing else in the driver tests a version:
 * dropping a release means deleting the blocks that only it needs.
 */

#include <string.h>

#include <rte_version.h>
#include <ethdev_driver.h>

/*
 * 25.11 hands stats_get the per-queue counters apart (and NULL unless they
 * are asked for); before, they were part of struct rte_eth_stats. The
 * driver's three-argument rtap_stats_get() is renamed, and rtap_stats_get
 * becomes the two-argument operation of the older releases.
 */
#if RTE_VERSION < RTE_VERSION_NUM(25, 11, 0, 0)
struct eth_queue_stats {
	uint64_t q_ipackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_opackets[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_ibytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_obytes[RTE_ETHDEV_QUEUE_STAT_CNTRS];
	uint64_t q_errors[RTE_ETHDEV_QUEUE_STAT_CNTRS];
};

#define rtap_stats_get(dev, stats, qstats) \
	rtap_stats_get_qstats(dev, stats, qstats)
int rtap_stats_get_qstats(struct rte_eth_dev *dev, struct rte_eth_stats *stats,
		struct eth_queue_stats *qstats);

static inline int
(rtap_stats_get)(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	struct eth_queue_stats qstats;
	int ret;

	memset(&qstats, 0, sizeof(qstats));
	ret = rtap_stats_get_qstats(dev, stats, &qstats);
	memcpy(stats->q_ipackets, qstats.q_ipackets, sizeof(stats->q_ipackets));
	memcpy(stats->q_opackets, qstats.q_opackets, sizeof(stats->q_opackets));
	memcpy(stats->q_ibytes, qstats.q_ibytes, sizeof(stats->q_ibytes));
	memcpy(stats->q_obytes, qstats.q_obytes, sizeof(stats->q_obytes));
	memcpy(stats->q_errors, qstats.q_errors, sizeof(stats->q_errors));
	return ret;
}
#endif

/*
 * 25.11 made rx_queue_count return an int (the count, or -errno); it was a
 * uint32_t, which rte_eth_rx_queue_count() turned back into an int.
 */
#if RTE_VERSION < RTE_VERSION_NUM(25, 11, 0, 0)
#define rtap_rx_queue_count(q) rtap_rx_queue_count_int(q)
#define rtap_rx_queue_count_secondary(q) rtap_rx_queue_count_secondary_int(q)
int rtap_rx_queue_count_int(void *queue);
int rtap_rx_queue_count_secondary_int(void *queue);

static inline uint32_t
(rtap_rx_queue_count)(void *queue)
{
	return (uint32_t)rtap_rx_queue_count_int(queue);
}

static inline uint32_t
(rtap_rx_queue_count_secondary)(void *queue)
{
	return (uint32_t)rtap_rx_queue_count_secondary_int(queue);
}
#endif

/*
 * 24.11 made rte_kvargs_process refuse keys given without a value and added
 * rte_kvargs_process_opt, which keeps calling the handler with NULL.
 */
#if RTE_VERSION < RTE_VERSION_NUM(24, 11, 0, 0)
#define rte_kvargs_process_opt rte_kvargs_process
#endif

/* 24.03 added RTE_LOG_LINE_PREFIX (the newline is the macro's). */
#if RTE_VERSION < RTE_VERSION_NUM(24, 3, 0, 0)
#define RTE_LOG_LINE_PREFIX(l, t, prefix, args, ...) \
	RTE_LOG(l, t, RTE_FMT(prefix RTE_FMT_HEAD(__VA_ARGS__ ,) "\n", \
		args, RTE_FMT_TAIL(__VA_ARGS__ ,)))
#endif

/* 23.11 added the rte_atomic_*_explicit names (rte_stdatomic.h). */
#if RTE_VERSION < RTE_VERSION_NUM(23, 11, 0, 0)
#define RTE_ATOMIC(type) type
#define rte_memory_order_relaxed __ATOMIC_RELAXED
#define rte_memory_order_acquire __ATOMIC_ACQUIRE
#define rte_memory_order_release __ATOMIC_RELEASE
#define rte_atomic_load_explicit(p, mo) __atomic_load_n(p, mo)
#define rte_atomic_store_explicit(p, v, mo) __atomic_store_n(p, v, mo)
#define rte_atomic_fetch_add_explicit(p, v, mo) __atomic_fetch_add(p, v, mo)
#define rte_atomic_compare_exchange_strong_explicit(p, e, v, mo, fmo) \
	__atomic_compare_exchange_n(p, e, v, false, mo, fmo)
#endif
/* series: releases end */

/* Cancel-by-fd flags: kernel 5.19 uapi, absent from older liburing headers. */
#ifndef IORING_ASYNC_CANCEL_ALL
#define IORING_ASYNC_CANCEL_ALL (1U << 0)
#endif
#ifndef IORING_ASYNC_CANCEL_FD
#define IORING_ASYNC_CANCEL_FD (1U << 1)
#endif
#ifndef IORING_ASYNC_CANCEL_ANY
#define IORING_ASYNC_CANCEL_ANY (1U << 2)
#endif
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

/* UDP segmentation offload of tun (kernel 6.2 uapi), absent from older headers. */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif

/* Multishot read into provided buffers (kernel 6.7); liburing < 2.5 lacks it. */
#define RTAP_OP_READ_MULTISHOT 49

/* GSO over UDP tunnels (Linux 6.17): uapi if_tun.h and virtio_net.h. */
#ifndef TUN_F_UDP_TUNNEL_GSO
#define TUN_F_UDP_TUNNEL_GSO 0x080
#endif
#ifndef TUN_F_UDP_TUNNEL_GSO_CSUM
#define TUN_F_UDP_TUNNEL_GSO_CSUM 0x100
#endif
#ifndef VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4
#define VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4 0x20
#endif
#ifndef VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6
#define VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6 0x40
#endif
#ifndef VIRTIO_NET_HDR_F_UDP_TUNNEL_CSUM
#define VIRTIO_NET_HDR_F_UDP_TUNNEL_CSUM 8
#endif

#endif /* RTAP_COMPAT_H */
