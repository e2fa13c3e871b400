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
 * again after the primary restarts the port or starts or stops a queue;
 * queue start and stop, as every control operation, are the primary's.
 *
 * Nothing shared points into one process's memory. A secondary claims a
 * process slot at attach; after each burst its copy's counters are added
 * to that slot of the port's queue (sec[]), which the statistics sum and
 * reset. A slot whose process is gone is taken over by the next secondary
 * with its counts, so totals never go back.
 */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_string_fns.h>
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
rtap_mp_get_fd(struct rte_eth_dev *dev, uint16_t queue_id)
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
	}
	/* Whatever else came is closed: it would only leak. */
	for (i = fd >= 0 ? 1 : 0; i < replies.msgs[0].num_fds; i++)
		close(replies.msgs[0].fds[i]);
	free(replies.msgs);
	return fd;
}

/*
 * Counters are all uint64_t. A queue of the port lives in memory of the
 * primary, a copy in memory of its secondary: the other process's ASan
 * shadow may still take either for memory it freed itself, so these two,
 * which touch both, are not instrumented.
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

/* Into sum, len bytes of counters at own and at offset off of each slot. */
void
rtap_mp_counters_sum(void *sum, const void *own,
		const struct rtap_mp_counters *sec, size_t off, size_t len)
{
	unsigned int i;

	memset(sum, 0, len);
	rtap_mp_counters_add(sum, own, len);
	for (i = 0; i < RTAP_MP_SLOTS; i++)
		rtap_mp_counters_add(sum, (const char *)&sec[i] + off, len);
}

/* Zero len bytes of counters at own and at offset off of each slot. */
void
rtap_mp_counters_reset(void *own, struct rtap_mp_counters *sec, size_t off,
		size_t len)
{
	unsigned int i;

	rtap_mp_counters_zero(own, len);
	for (i = 0; i < RTAP_MP_SLOTS; i++)
		rtap_mp_counters_zero((char *)&sec[i] + off, len);
}

/* What a copy counted since the last time, moved to its slot. */
static void
rtap_mp_fold(struct rtap_mp_counters *slot, struct rtap_queue_stats *stats,
		struct rtap_xstats *xstats)
{
	rtap_mp_counters_add(&slot->stats, stats, sizeof(*stats));
	rtap_mp_counters_add(&slot->xstats, xstats, sizeof(*xstats));
	memset(stats, 0, sizeof(*stats));
	memset(xstats, 0, sizeof(*xstats));
}

/*
 * Is a queue set up at setup_gen the one a copy made at gen copies? Not if
 * it was set up since: the copy's queue is gone, and its counters with it.
 */
static inline bool
rtap_mp_same(uint32_t setup_gen, uint32_t gen)
{
	return (int32_t)(gen - setup_gen) > 0;
}

/* Stop and free a copy; what it counted meanwhile goes to its slot. */
static void
rtap_rx_queue_free_copy(struct rtap_rx_queue *rxq, struct rtap_rx_queue *orig,
		const struct rtap_proc *proc)
{
	rtap_rx_queue_stop(rxq);
	if (orig != NULL && rtap_mp_same(orig->gen, rxq->gen))
		rtap_mp_fold(&orig->sec[proc->slot], &rxq->stats, &rxq->xstats);
	rtap_rx_queue_free(rxq);
}

static void
rtap_tx_queue_free_copy(struct rtap_tx_queue *txq, struct rtap_tx_queue *orig,
		const struct rtap_proc *proc)
{
	rtap_tx_queue_stop(txq);
	if (orig != NULL && rtap_mp_same(orig->gen, txq->gen))
		rtap_mp_fold(&orig->sec[proc->slot], &txq->stats, &txq->xstats);
	rtap_tx_queue_free(txq);
}

/* The port's generation: odd while started, read before its queues. */
static inline uint32_t
rtap_mp_gen(const struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;

	return rte_atomic_load_explicit(&pmd->gen, rte_memory_order_acquire);
}

/*
 * The copy of a queue to poll, made anew when the primary has stopped the
 * port or started or stopped a queue since; NULL while the port or the
 * queue is stopped or on failure (counted by nothing: the burst then
 * returns 0, as on a stopped port).
 */
static struct rtap_rx_queue *
rtap_mp_rxq(struct rte_eth_dev *dev, struct rtap_rx_queue *orig, uint32_t gen)
{
	struct rtap_proc *proc = dev->process_private;
	struct rtap_rx_queue **own = &proc->rxq[orig->queue_id];
	struct rtap_rx_queue *rxq = *own;
	int fd;

	if (rxq != NULL) {
		/* Free first: cancelled reads may still count. */
		*own = NULL;
		rtap_rx_queue_free_copy(rxq, orig, proc);
	}
	if (!(gen & 1) || !orig->started)
		return NULL;
	fd = rtap_mp_get_fd(dev, orig->queue_id);
	if (fd < 0)
		return NULL;
	rxq = rtap_rx_queue_clone(dev, orig, fd);
	if (rxq == NULL)
		return NULL;
	rxq->gen = gen;
	*own = rxq;
	return rxq;
}

uint16_t
rtap_rx_burst_secondary(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct rtap_rx_queue *orig = queue;
	struct rte_eth_dev *dev = &rte_eth_devices[orig->port_id];
	struct rtap_proc *proc = dev->process_private;
	struct rtap_rx_queue *rxq = proc->rxq[orig->queue_id];
	uint32_t gen = rtap_mp_gen(dev);
	uint16_t nb;

	if (unlikely(rxq == NULL || rxq->gen != gen)) {
		rxq = rtap_mp_rxq(dev, orig, gen);
		if (rxq == NULL)
			return 0;
	}
	nb = rtap_rx_burst(rxq, pkts, nb_pkts);
	rtap_mp_fold(&orig->sec[proc->slot], &rxq->stats, &rxq->xstats);
	return nb;
}

static struct rtap_tx_queue *
rtap_mp_txq(struct rte_eth_dev *dev, struct rtap_tx_queue *orig, uint32_t gen)
{
	struct rtap_proc *proc = dev->process_private;
	struct rtap_tx_queue **own = &proc->txq[orig->queue_id];
	struct rtap_tx_queue *txq = *own;
	int fd;

	if (txq != NULL) {
		*own = NULL;
		rtap_tx_queue_free_copy(txq, orig, proc);
	}
	if (!(gen & 1) || !orig->started)
		return NULL;
	/* A Tx queue beyond the Rx count writes an Rx queue's fd. */
	fd = rtap_mp_get_fd(dev, orig->kq);
	if (fd < 0)
		return NULL;
	txq = rtap_tx_queue_clone(orig, fd);
	if (txq == NULL)
		return NULL;
	txq->gen = gen;
	*own = txq;
	return txq;
}

uint16_t
rtap_tx_burst_secondary(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct rtap_tx_queue *orig = queue;
	struct rte_eth_dev *dev = &rte_eth_devices[orig->port_id];
	struct rtap_proc *proc = dev->process_private;
	struct rtap_tx_queue *txq = proc->txq[orig->queue_id];
	uint32_t gen = rtap_mp_gen(dev);
	uint16_t nb;

	if (unlikely(txq == NULL || txq->gen != gen)) {
		txq = rtap_mp_txq(dev, orig, gen);
		if (txq == NULL)
			return 0;
	}
	nb = rtap_tx_burst(txq, pkts, nb_pkts);
	rtap_mp_fold(&orig->sec[proc->slot], &txq->stats, &txq->xstats);
	return nb;
}

/* This process's copy of a queue, if it polls one of the port as started now. */
static struct rtap_rx_queue *
rtap_mp_rxq_own(const struct rtap_rx_queue *orig)
{
	struct rte_eth_dev *dev = &rte_eth_devices[orig->port_id];
	struct rtap_proc *proc = dev->process_private;
	struct rtap_rx_queue *rxq = proc->rxq[orig->queue_id];

	return rxq != NULL && rxq->gen == rtap_mp_gen(dev) ? rxq : NULL;
}

static struct rtap_tx_queue *
rtap_mp_txq_own(const struct rtap_tx_queue *orig, struct rtap_proc **procp)
{
	struct rte_eth_dev *dev = &rte_eth_devices[orig->port_id];
	struct rtap_proc *proc = dev->process_private;
	struct rtap_tx_queue *txq = proc->txq[orig->queue_id];

	*procp = proc;
	return txq != NULL && txq->gen == rtap_mp_gen(dev) ? txq : NULL;
}

/*
 * The queries of a secondary answer for its own copy of the queue; until
 * it polls one, its descriptors hold nothing.
 */
int
rtap_rx_queue_count_secondary(void *queue)
{
	if (queue == NULL)
		return -EINVAL;
	queue = rtap_mp_rxq_own(queue);
	return queue == NULL ? 0 : rtap_rx_queue_count(queue);
}

int
rtap_rx_descriptor_status_secondary(void *queue, uint16_t offset)
{
	const struct rtap_rx_queue *orig = queue;
	struct rtap_rx_queue *rxq;

	if (orig == NULL || offset >= orig->nb_desc)
		return -EINVAL;
	rxq = rtap_mp_rxq_own(orig);
	return rxq == NULL ? RTE_ETH_RX_DESC_UNAVAIL :
		rtap_rx_descriptor_status(rxq, offset);
}

int
rtap_get_monitor_addr_secondary(void *queue, struct rte_power_monitor_cond *pmc)
{
	struct rtap_rx_queue *rxq;

	if (queue == NULL)
		return -EINVAL;
	rxq = rtap_mp_rxq_own(queue);
	/* No copy yet: the first poll makes it, the next call succeeds. */
	return rxq == NULL ? -EAGAIN : rtap_get_monitor_addr(rxq, pmc);
}

int
rtap_tx_descriptor_status_secondary(void *queue, uint16_t offset)
{
	const struct rtap_tx_queue *orig = queue;
	struct rtap_tx_queue *txq;
	struct rtap_proc *proc;

	if (orig == NULL || offset >= orig->nb_desc)
		return -EINVAL;
	txq = rtap_mp_txq_own(orig, &proc);
	return txq == NULL ? RTE_ETH_TX_DESC_DONE :
		rtap_tx_descriptor_status(txq, offset);
}

int
rtap_tx_done_cleanup_secondary(void *queue, uint32_t free_cnt)
{
	struct rtap_tx_queue *orig = queue, *txq;
	struct rtap_proc *proc;
	int ret;

	if (orig == NULL)
		return -EINVAL;
	txq = rtap_mp_txq_own(orig, &proc);
	if (txq == NULL)
		return 0;
	ret = rtap_tx_done_cleanup(txq, free_cnt);
	/* The writes it saw complete are counted like a burst's. */
	rtap_mp_fold(&orig->sec[proc->slot], &txq->stats, &txq->xstats);
	return ret;
}

/*
 * A process slot for this secondary: a free one, or one whose process
 * died without giving it back (its counts stay in the queues' slot).
 */
static int
rtap_mp_slot_claim(struct pmd_internals *pmd)
{
	pid_t me = getpid(), pid;
	unsigned int s;

	for (s = 0; s < RTAP_MP_SLOTS; s++) {
		pid = rte_atomic_load_explicit(&pmd->mp_pid[s],
					       rte_memory_order_relaxed);
		if (pid != 0 && (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		if (rte_atomic_compare_exchange_strong_explicit(&pmd->mp_pid[s],
				&pid, me, rte_memory_order_acquire,
				rte_memory_order_relaxed)) {
			if (pid != 0)
				RTAP_LOG(INFO, "process slot %u of gone pid %d taken over",
					 s, (int)pid);
			return s;
		}
	}
	return -ENOSPC;
}

static const struct eth_dev_ops rtap_secondary_ops = {
	.dev_infos_get = rtap_dev_info,
	.tx_done_cleanup = rtap_tx_done_cleanup_secondary,
	.get_monitor_addr = rtap_get_monitor_addr_secondary,
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
	/* Its own memory: nothing is left in the shared heap if it dies. */
	proc = calloc(1, sizeof(*proc));
	if (proc == NULL) {
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	/* Its own rtnetlink socket: the primary's fd means nothing here. */
	ret = rtap_nl_open(0);
	if (ret < 0) {
		RTAP_LOG(ERR, "%s: cannot open an rtnetlink socket: %s", name,
			 strerror(-ret));
		free(proc);
		rte_eth_dev_release_port(dev);
		return ret;
	}
	proc->nl_fd = ret;
	ret = rtap_mp_slot_claim(dev->data->dev_private);
	if (ret < 0) {
		RTAP_LOG(ERR, "%s: %d secondary processes already use the port",
			 name, RTAP_MP_SLOTS);
		close(proc->nl_fd);
		free(proc);
		rte_eth_dev_release_port(dev);
		return ret;
	}
	proc->slot = ret;
	dev->process_private = proc;
	dev->device = &vdev->device;
	dev->dev_ops = &rtap_secondary_ops;
	dev->rx_pkt_burst = rtap_rx_burst_secondary;
	dev->tx_pkt_burst = rtap_tx_burst_secondary;
	dev->rx_queue_count = rtap_rx_queue_count_secondary;
	dev->rx_descriptor_status = rtap_rx_descriptor_status_secondary;
	dev->tx_descriptor_status = rtap_tx_descriptor_status_secondary;
	/* It reads the queue's settings only, which the primary's copy has. */
	dev->tx_pkt_prepare = rtap_tx_prepare;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

/* Secondary: give back the copies' mbufs and fds, then its slot. */
int
rtap_mp_close(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_proc *proc = dev->process_private;
	uint16_t i;

	if (proc == NULL)
		return 0;
	for (i = 0; i < RTAP_MAX_QUEUES; i++) {
		if (proc->rxq[i] != NULL)
			rtap_rx_queue_free_copy(proc->rxq[i],
				i < dev->data->nb_rx_queues ?
				dev->data->rx_queues[i] : NULL, proc);
		if (proc->txq[i] != NULL)
			rtap_tx_queue_free_copy(proc->txq[i],
				i < dev->data->nb_tx_queues ?
				dev->data->tx_queues[i] : NULL, proc);
		proc->rxq[i] = NULL;
		proc->txq[i] = NULL;
	}
	rte_atomic_store_explicit(&pmd->mp_pid[proc->slot], 0,
				  rte_memory_order_release);
	close(proc->nl_fd);
	free(proc);
	dev->process_private = NULL;
	return 0;
}
