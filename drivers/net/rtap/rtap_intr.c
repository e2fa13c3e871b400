/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Interrupts. Link-state changes, and the interface's deletion (reported
 * as a device removal), come from an rtnetlink socket subscribed to
 * RTMGRP_LINK and watched by the EAL interrupt thread. Rx queue
 * interrupts are eventfds that the queue's io_uring signals on completion;
 * the two use separate handles, so both work at once.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <rte_interrupts.h>
#include <ethdev_driver.h>

#include "rtap.h"

static void
rtap_lsc_handler(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct pmd_internals *pmd = dev->data->dev_private;
	const struct rte_eth_intr_conf *conf = &dev->data->dev_conf.intr_conf;
	uint32_t buf[8192 / sizeof(uint32_t)];	/* netlink-aligned */
	int flags = -1;
	ssize_t len;

	for (;;) {
		struct nlmsghdr *nh;

		len = recv(rte_intr_fd_get(pmd->lsc_intr), buf, sizeof(buf),
			   MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ENOBUFS)
				break;
			flags = -2;	/* notifications were lost: ask */
			continue;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)len);
		     nh = NLMSG_NEXT(nh, len)) {
			struct ifinfomsg *ifi = NLMSG_DATA(nh);

			/* Once notifications were lost, only asking tells. */
			if (flags == -2 || ifi->ifi_index != pmd->ifindex)
				continue;
			/* Also sent for a move to another namespace. */
			if (nh->nlmsg_type == RTM_DELLINK)
				flags = 0;
			else if (nh->nlmsg_type == RTM_NEWLINK)
				flags = ifi->ifi_flags;
		}
	}
	if (flags == -1)
		return;

	if (flags == -2) {
		struct rtap_link_info info;

		if (rtap_nl_get_link(pmd->lsc_nl_fd, pmd->ifindex, &info) == 0)
			flags = info.flags;
		else if (rtap_if_deleted(dev))
			flags = 0;
		else
			return;
	}
	if (rtap_link_set(dev, (flags & IFF_UP) && (flags & IFF_RUNNING)) == 0 &&
	    conf->lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	/* Deleted: the port cannot start again; the application closes it. */
	if (flags == 0 && !pmd->removed && rtap_if_deleted(dev)) {
		pmd->removed = true;
		RTAP_LOG(NOTICE, "port %u: interface %d deleted from outside",
			 dev->data->port_id, pmd->ifindex);
		if (conf->rmv)
			rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_RMV,
						     NULL);
	}
}

int
rtap_lsc_enable(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	int fd, ret;

	if (pmd->lsc_intr != NULL)
		return 0;
	fd = rtap_nl_open(RTMGRP_LINK);
	if (fd < 0) {
		RTAP_LOG(ERR, "port %u: cannot open the link event socket: %s",
			 dev->data->port_id, strerror(-fd));
		return fd;
	}
	/* Its own socket for queries: the control socket may be busy. */
	ret = rtap_nl_open(0);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	pmd->lsc_nl_fd = ret;
	pmd->lsc_intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (pmd->lsc_intr == NULL ||
	    rte_intr_type_set(pmd->lsc_intr, RTE_INTR_HANDLE_EXT) != 0 ||
	    rte_intr_fd_set(pmd->lsc_intr, fd) != 0) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = rte_intr_callback_register(pmd->lsc_intr, rtap_lsc_handler, dev);
	if (ret < 0) {
		RTAP_LOG(ERR, "port %u: cannot register the link event handler: %s",
			 dev->data->port_id, strerror(-ret));
		goto fail;
	}
	return 0;
fail:
	rte_intr_instance_free(pmd->lsc_intr);
	pmd->lsc_intr = NULL;
	close(pmd->lsc_nl_fd);
	pmd->lsc_nl_fd = -1;
	close(fd);
	return ret;
}

/* Called by EAL once the handler that unregistered itself has returned. */
static void
rtap_lsc_close(struct rte_intr_handle *intr, void *arg __rte_unused)
{
	close(rte_intr_fd_get(intr));
}

void
rtap_lsc_disable(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	bool deferred = rte_thread_is_intr();
	int ret;

	if (pmd->lsc_intr == NULL)
		return;
	/*
	 * From the interrupt thread (an application stopping or closing the
	 * port in its LSC callback) the handler is running right now: EAL
	 * closes the socket once it has returned. Elsewhere, wait for it.
	 */
	if (deferred)
		ret = rte_intr_callback_unregister_pending(pmd->lsc_intr,
				rtap_lsc_handler, dev, rtap_lsc_close);
	else
		ret = rte_intr_callback_unregister_sync(pmd->lsc_intr,
				rtap_lsc_handler, dev);
	if (ret < 0)
		RTAP_LOG(ERR, "port %u: cannot unregister the link event handler: %s",
			 dev->data->port_id, strerror(-ret));
	if (ret < 0 || !deferred)
		close(rte_intr_fd_get(pmd->lsc_intr));
	rte_intr_instance_free(pmd->lsc_intr);
	pmd->lsc_intr = NULL;
	close(pmd->lsc_nl_fd);
	pmd->lsc_nl_fd = -1;
}

/* One eventfd per Rx queue, signalled by the queue's ring. */
int
rtap_rxq_intr_enable_all(struct rte_eth_dev *dev)
{
	struct rte_intr_handle *h = dev->intr_handle;
	uint16_t n = dev->data->nb_rx_queues, i;
	int ret;

	if (h == NULL)
		return -ENOTSUP;
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
	    rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0 ||
	    rte_intr_vec_list_alloc(h, "rtap_intr_vec", n) != 0)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct rtap_rx_queue *rxq = dev->data->rx_queues[i];
		int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

		if (efd < 0) {
			ret = -errno;
			goto fail;
		}
		ret = io_uring_register_eventfd(&rxq->ring, efd);
		if (ret < 0) {
			close(efd);
			goto fail;
		}
		rxq->efd = efd;
		/* Quiet until the application asks for an interrupt. */
		io_uring_cq_eventfd_toggle(&rxq->ring, false);
		rte_intr_efds_index_set(h, i, efd);
		rte_intr_vec_list_index_set(h, i, RTE_INTR_VEC_RXTX_OFFSET + i);
	}
	rte_intr_nb_efd_set(h, n);
	rte_intr_max_intr_set(h, n + 1);
	return 0;
fail:
	RTAP_LOG(ERR, "port %u: cannot set up Rx interrupt of queue %u: %s",
		 dev->data->port_id, i, strerror(-ret));
	rtap_rxq_intr_disable_all(dev);
	return ret;
}

void
rtap_rxq_intr_disable_all(struct rte_eth_dev *dev)
{
	struct rte_intr_handle *h = dev->intr_handle;
	uint16_t i;

	if (h == NULL)
		return;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct rtap_rx_queue *rxq = dev->data->rx_queues[i];

		if (rxq == NULL || rxq->efd < 0)
			continue;
		io_uring_unregister_eventfd(&rxq->ring);
		close(rxq->efd);
		rxq->efd = -1;
	}
	rte_intr_nb_efd_set(h, 0);
	rte_intr_max_intr_set(h, 0);
	rte_intr_vec_list_free(h);
}

int
rtap_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct rtap_rx_queue *rxq = dev->data->rx_queues[queue_id];
	uint64_t one = 1;

	if (rxq == NULL || rxq->efd < 0)
		return -EINVAL;
	/* Reads are posted by rx_burst; make sure some are before sleeping. */
	rtap_rx_queue_arm(rxq);
	if (io_uring_cq_eventfd_toggle(&rxq->ring, true) < 0)
		return -ENOTSUP;
	/* A completion that came before the toggle signals nothing: do it. */
	if (io_uring_cq_ready(&rxq->ring) > 0 &&
	    write(rxq->efd, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

int
rtap_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct rtap_rx_queue *rxq = dev->data->rx_queues[queue_id];

	if (rxq == NULL || rxq->efd < 0)
		return -EINVAL;
	io_uring_cq_eventfd_toggle(&rxq->ring, false);
	return 0;
}
