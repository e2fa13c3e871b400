/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Differences between the DPDK releases (22.11 and later) and liburing
 * versions (2.0 and later) that net_rtap builds against. Nothing else in the
 * driver tests a version.
 */

#ifndef RTAP_COMPAT_H
#define RTAP_COMPAT_H

#include <rte_version.h>
#include <liburing.h>

/*
 * 25.11 moved the per-queue counters out of struct rte_eth_stats into a
 * separate structure handed to stats_get.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(25, 11, 0, 0)
#define RTAP_HAVE_QSTATS_ARG 1
#define RTAP_STATS_GET_ARGS struct rte_eth_dev *dev, \
	struct rte_eth_stats *stats, struct eth_queue_stats *qstats
#define RTAP_QSTATS(stats, qstats) (qstats)
#else
#define RTAP_STATS_GET_ARGS struct rte_eth_dev *dev, \
	struct rte_eth_stats *stats
#define RTAP_QSTATS(stats, qstats) (stats)
#endif

/*
 * 24.11 made rte_kvargs_process refuse keys given without a value; the
 * _opt variant keeps calling the handler with a NULL value.
 */
#if RTE_VERSION >= RTE_VERSION_NUM(24, 11, 0, 0)
#define rtap_kvargs_process_opt rte_kvargs_process_opt
#else
#define rtap_kvargs_process_opt rte_kvargs_process
#endif

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

/* Multishot read into provided buffers (kernel 6.7); liburing < 2.5 lacks it. */
#define RTAP_OP_READ_MULTISHOT 49

#endif /* RTAP_COMPAT_H */
