/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Multi-process. The primary owns the interface, the kernel queues and
 * every control operation. A secondary attaches to the port and, for each
 * queue it polls, asks the primary for the queue's fd over the EAL channel
 * (SCM_RIGHTS) and builds a copy of the queue with its own io_uring: a ring
 * and its mappings belong to the process that set it up. The copy is made
 * by the first burst on the queue, so on the thread that polls it, and made
 * again after the primary restarts the port.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_string_fns.h>
#include <rte_malloc.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <bus_vdev_driver.h>

#include "rtap.h"

#define RTAP_MP_ACTION		"net_rtap_mp_queue"
#define RTAP_MP_TIMEOUT_S	5

struct rtap_mp_request {
	char port[RTE_ETH_NAME_MAX_LEN];
	uint16_t queue_id;
};

struct rtap_mp_response {
	int32_t result;
	uint32_t gen;
};

static_assert(sizeof(struct rtap_mp_request) <= RTE_MP_MAX_PARAM_LEN,
	      "request fits an EAL message");

/* Ports of the primary that may be asked for: the action lives while any. */
static unsigned int rtap_mp_users;

/* Primary: the fd of one kernel queue, for the secondary that asks. */
static int
rtap_mp_handle(const struct rte_mp_msg *msg, const void *peer)
{
	const struct rtap_mp_request *req = (const void *)msg->param;
	struct rtap_mp_response *resp;
	struct pmd_internals *pmd;
	struct rte_mp_msg reply;
	struct rte_eth_dev *dev;

	memset(&reply, 0, sizeof(reply));
	strlcpy(reply.name, msg->name, sizeof(reply.name));
	reply.len_param = sizeof(*resp);
	resp = (void *)reply.param;

	/* A name not terminated inside the message names no port. */
	dev = msg->len_param == sizeof(*req) &&
		memchr(req->port, '\0', sizeof(req->port)) != NULL ?
		rte_eth_dev_allocated(req->port) : NULL;
	/* Only a port of this driver has our dev_private. */
	if (dev == NULL ||
	    dev->device == NULL || dev->device->driver == NULL ||
	    strcmp(dev->device->driver->name, "net_rtap") != 0) {
		resp->result = -ENODEV;
	} else {
		pmd = dev->data->dev_private;
		if (req->queue_id >= pmd->nb_queues ||
		    pmd->fds[req->queue_id] < 0) {
			resp->result = -ENOENT;
		} else {
			reply.num_fds = 1;
			reply.fds[0] = pmd->fds[req->queue_id];
			resp->gen = pmd->gen;
			resp->result = 0;
		}
	}
	return rte_mp_reply(&reply, peer);
}

int
rtap_mp_register(void)
{
	int ret;

	if (rtap_mp_users++ > 0)
		return 0;
	ret = rte_mp_action_register(RTAP_MP_ACTION, rtap_mp_handle);
	/* No channel (--no-shconf, in-memory): no secondary can come. */
	if (ret < 0 && rte_errno != EEXIST && rte_errno != ENOTSUP) {
		RTAP_LOG(ERR, "cannot register the multi-process action: %s",
			 rte_strerror(rte_errno));
		rtap_mp_users--;
		return -rte_errno;
	}
	return 0;
}

void
rtap_mp_unregister(void)
{
	if (rtap_mp_users == 0 || --rtap_mp_users > 0)
		return;
	rte_mp_action_unregister(RTAP_MP_ACTION);
}

/* Secondary: a copy of the primary's fd of kernel queue queue_id. */
static int
rtap_mp_get_fd(struct rte_eth_dev *dev, uint16_t queue_id, uint32_t *gen)
{
	struct timespec ts = { .tv_sec = RTAP_MP_TIMEOUT_S };
	const struct rtap_mp_response *resp;
	struct rtap_mp_request *req;
	struct rte_mp_reply replies;
	struct rte_mp_msg msg;
	int fd = -EIO;
	int i;

	memset(&msg, 0, sizeof(msg));
	strlcpy(msg.name, RTAP_MP_ACTION, sizeof(msg.name));
	msg.len_param = sizeof(*req);
	req = (void *)msg.param;
	strlcpy(req->port, dev->data->name, sizeof(req->port));
	req->queue_id = queue_id;

	if (rte_mp_request_sync(&msg, &replies, &ts) < 0 ||
	    replies.nb_received != 1) {
		RTAP_LOG(ERR, "port %u: the primary did not answer for queue %u: %s",
			 dev->data->port_id, queue_id, rte_strerror(rte_errno));
		/* NULL when the request failed; else what came, unused. */
		free(replies.msgs);
		return -EIO;
	}
	resp = (const void *)replies.msgs[0].param;
	if (replies.msgs[0].len_param != sizeof(*resp)) {
		RTAP_LOG(ERR, "port %u: bad answer from the primary",
			 dev->data->port_id);
	} else if (resp->result < 0) {
		fd = resp->result;
		RTAP_LOG(ERR, "port %u: the primary has no kernel queue %u: %s",
			 dev->data->port_id, queue_id, strerror(-fd));
	} else if (replies.msgs[0].num_fds == 1) {
		fd = replies.msgs[0].fds[0];
		*gen = resp->gen;
	}
	/* Whatever else came is closed: it would only leak. */
	for (i = fd >= 0 ? 1 : 0; i < replies.msgs[0].num_fds; i++)
		close(replies.msgs[0].fds[i]);
	free(replies.msgs);
	return fd;
}

/*
 * Counters are all uint64_t. A copy of a queue lives in memory its
 * secondary allocated, the queue in memory of the primary: the other
 * process's ASan shadow may still take either for memory it freed itself,
 * so these two, which touch both, are not instrumented.
 */
void __rte_no_asan
rtap_mp_counters_add(void *to, const void *from, size_t len)
{
	uint64_t *t = to;
	const uint64_t *f = from;
	size_t i;

	for (i = 0; i < len / sizeof(uint64_t); i++)
		t[i] += f[i];
}

void __rte_no_asan
rtap_mp_counters_zero(void *counters, size_t len)
{
	/* volatile: a loop the compiler turns into memset would be checked */
	volatile uint64_t *c = counters;
	size_t i;

	for (i = 0; i < len / sizeof(uint64_t); i++)
		c[i] = 0;
}

/* A copy's counters, added to those of the queue it copies. */
static void
rtap_mp_fold_queue(struct rtap_queue_stats *stats, struct rtap_xstats *xstats,
		const struct rtap_queue_stats *copy_stats,
		const struct rtap_xstats *copy_xstats)
{
	rtap_mp_counters_add(stats, copy_stats, sizeof(*stats));
	rtap_mp_counters_add(xstats, copy_xstats, sizeof(*xstats));
}

/*
 * Stop and free a copy (its peer is the port's queue it copies); what it
 * counted stays in the port's queue, so that the port's statistics do not
 * go back when a secondary leaves.
 */
static void
rtap_rx_queue_free_copy(struct rtap_rx_queue *rxq)
{
	struct rtap_rx_queue *orig = rxq->peer;

	rtap_rx_queue_stop(rxq);
	if (orig != NULL) {
		orig->peer = NULL;
		rtap_mp_fold_queue(&orig->stats, &orig->xstats, &rxq->stats,
				   &rxq->xstats);
	}
	rtap_rx_queue_free(rxq);
}

static void
rtap_tx_queue_free_copy(struct rtap_tx_queue *txq)
{
	struct rtap_tx_queue *orig = txq->peer;

	rtap_tx_queue_stop(txq);
	if (orig != NULL) {
		orig->peer = NULL;
		rtap_mp_fold_queue(&orig->stats, &orig->xstats, &txq->stats,
				   &txq->xstats);
	}
	rtap_tx_queue_free(txq);
}

/*
 * The copy of a queue to poll, made anew when the primary has restarted
 * the port since; NULL while the port is stopped or on failure (counted by
 * nothing: the burst then returns 0, as on a stopped port).
 */
static struct rtap_rx_queue *
rtap_mp_rxq(struct rte_eth_dev *dev, struct rtap_rx_queue *orig)
{
	struct rtap_proc *proc = dev->process_private;
	struct rtap_rx_queue **slot = &proc->rxq[orig->queue_id];
	struct rtap_rx_queue *rxq = *slot;
	uint32_t gen = 0;
	int fd;

	if (rxq != NULL) {
		/* Free first: cancelled reads may still count. */
		*slot = NULL;
		rtap_rx_queue_free_copy(rxq);
	}
	if (!dev->data->dev_started || !orig->started)
		return NULL;
	fd = rtap_mp_get_fd(dev, orig->queue_id, &gen);
	if (fd < 0)
		return NULL;
	rxq = rtap_rx_queue_clone(dev, orig, fd);
	if (rxq == NULL)
		return NULL;
	rxq->gen = gen;
	rxq->peer = orig;
	orig->peer = rxq;
	*slot = rxq;
	return rxq;
}

uint16_t
rtap_rx_burst_secondary(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct rtap_rx_queue *orig = queue;
	struct rte_eth_dev *dev = &rte_eth_devices[orig->port_id];
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_proc *proc = dev->process_private;
	struct rtap_rx_queue *rxq = proc->rxq[orig->queue_id];

	if (unlikely(rxq == NULL || rxq->gen != pmd->gen ||
		     !dev->data->dev_started)) {
		rxq = rtap_mp_rxq(dev, orig);
		if (rxq == NULL)
			return 0;
	}
	return rtap_rx_burst(rxq, pkts, nb_pkts);
}

static struct rtap_tx_queue *
rtap_mp_txq(struct rte_eth_dev *dev, struct rtap_tx_queue *orig)
{
	struct rtap_proc *proc = dev->process_private;
	struct rtap_tx_queue **slot = &proc->txq[orig->queue_id];
	struct rtap_tx_queue *txq = *slot;
	uint32_t gen = 0;
	int fd;

	if (txq != NULL) {
		*slot = NULL;
		rtap_tx_queue_free_copy(txq);
	}
	if (!dev->data->dev_started)
		return NULL;
	fd = rtap_mp_get_fd(dev, orig->queue_id, &gen);
	if (fd < 0)
		return NULL;
	txq = rtap_tx_queue_clone(orig, fd);
	if (txq == NULL)
		return NULL;
	txq->gen = gen;
	txq->peer = orig;
	orig->peer = txq;
	*slot = txq;
	return txq;
}

uint16_t
rtap_tx_burst_secondary(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct rtap_tx_queue *orig = queue;
	struct rte_eth_dev *dev = &rte_eth_devices[orig->port_id];
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_proc *proc = dev->process_private;
	struct rtap_tx_queue *txq = proc->txq[orig->queue_id];

	if (unlikely(txq == NULL || txq->gen != pmd->gen ||
		     !dev->data->dev_started)) {
		txq = rtap_mp_txq(dev, orig);
		if (txq == NULL)
			return 0;
	}
	return rtap_tx_burst(txq, pkts, nb_pkts);
}

static const struct eth_dev_ops rtap_secondary_ops = {
	.dev_infos_get = rtap_dev_info,
	.dev_close = rtap_mp_close,
	.link_update = rtap_link_update,
	.stats_get = rtap_stats_get,
	.stats_reset = rtap_stats_reset,
	.xstats_get = rtap_xstats_get,
	.xstats_get_names = rtap_xstats_get_names,
	.xstats_reset = rtap_xstats_reset,
};

/* Secondary: attach to the primary's port; queues are copied when polled. */
int
rtap_mp_attach(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rtap_proc *proc;
	struct rte_eth_dev *dev;
	int ret;

	dev = rte_eth_dev_attach_secondary(name);
	if (dev == NULL) {
		RTAP_LOG(ERR, "%s: the primary process has no such port", name);
		return -ENODEV;
	}
	proc = rte_zmalloc_socket("rtap_proc", sizeof(*proc), 0,
				  rte_socket_id());
	if (proc == NULL) {
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	/* Its own rtnetlink socket: the primary's fd means nothing here. */
	ret = rtap_nl_open(0);
	if (ret < 0) {
		RTAP_LOG(ERR, "%s: cannot open an rtnetlink socket: %s", name,
			 strerror(-ret));
		rte_free(proc);
		rte_eth_dev_release_port(dev);
		return ret;
	}
	proc->nl_fd = ret;
	dev->process_private = proc;
	dev->device = &vdev->device;
	dev->dev_ops = &rtap_secondary_ops;
	dev->rx_pkt_burst = rtap_rx_burst_secondary;
	dev->tx_pkt_burst = rtap_tx_burst_secondary;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

/* Secondary: give back the copies' mbufs and fds; the port stays. */
int
rtap_mp_close(struct rte_eth_dev *dev)
{
	struct rtap_proc *proc = dev->process_private;
	uint16_t i;

	if (proc == NULL)
		return 0;
	for (i = 0; i < RTAP_MAX_QUEUES; i++) {
		if (proc->rxq[i] != NULL)
			rtap_rx_queue_free_copy(proc->rxq[i]);
		if (proc->txq[i] != NULL)
			rtap_tx_queue_free_copy(proc->txq[i]);
		proc->rxq[i] = NULL;
		proc->txq[i] = NULL;
	}
	close(proc->nl_fd);
	rte_free(proc);
	dev->process_private = NULL;
	return 0;
}
