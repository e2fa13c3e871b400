/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * Extended statistics, per queue: rx_q<N>_<name> and tx_q<N>_<name>. Size
 * buckets count frames by their length without the Ethernet CRC.
 */

#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>

#include "rtap.h"

struct rtap_xstat_desc {
	const char *name;
	size_t offset;		/* in the queue structure */
};

#define RTAP_XS(q, field) offsetof(struct q, field)

#define RTAP_SIZE_XSTATS(q) \
	{ "size_64_packets", RTAP_XS(q, xstats.size_bins[0]) }, \
	{ "size_65_to_127_packets", RTAP_XS(q, xstats.size_bins[1]) }, \
	{ "size_128_to_255_packets", RTAP_XS(q, xstats.size_bins[2]) }, \
	{ "size_256_to_511_packets", RTAP_XS(q, xstats.size_bins[3]) }, \
	{ "size_512_to_1023_packets", RTAP_XS(q, xstats.size_bins[4]) }, \
	{ "size_1024_to_1518_packets", RTAP_XS(q, xstats.size_bins[5]) }, \
	{ "size_1519_to_max_packets", RTAP_XS(q, xstats.size_bins[6]) }, \
	{ "broadcast_packets", RTAP_XS(q, xstats.broadcast) }, \
	{ "multicast_packets", RTAP_XS(q, xstats.multicast) }, \
	{ "unicast_packets", RTAP_XS(q, xstats.unicast) }

static const struct rtap_xstat_desc rtap_rx_xstats[] = {
	RTAP_SIZE_XSTATS(rtap_rx_queue),
	{ "lro_packets", RTAP_XS(rtap_rx_queue, xstats.gso) },
	{ "checksum_good", RTAP_XS(rtap_rx_queue, xstats.csum_good) },
	{ "checksum_none", RTAP_XS(rtap_rx_queue, xstats.csum_none) },
	{ "checksum_bad", RTAP_XS(rtap_rx_queue, xstats.csum_bad) },
	{ "mbuf_alloc_failed", RTAP_XS(rtap_rx_queue, xstats.nombuf) },
};

static const struct rtap_xstat_desc rtap_tx_xstats[] = {
	RTAP_SIZE_XSTATS(rtap_tx_queue),
	{ "tso_packets", RTAP_XS(rtap_tx_queue, xstats.gso) },
	{ "checksum_offload_packets", RTAP_XS(rtap_tx_queue, xstats.csum_good) },
	{ "multiseg_packets", RTAP_XS(rtap_tx_queue, xstats.multiseg) },
};

#define RTAP_NB_RX_XSTATS RTE_DIM(rtap_rx_xstats)
#define RTAP_NB_TX_XSTATS RTE_DIM(rtap_tx_xstats)

static unsigned int
rtap_xstats_count_all(const struct rte_eth_dev *dev)
{
	return dev->data->nb_rx_queues * RTAP_NB_RX_XSTATS +
		dev->data->nb_tx_queues * RTAP_NB_TX_XSTATS;
}

int
rtap_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int total = rtap_xstats_count_all(dev);
	unsigned int q, i, n = 0;

	if (names == NULL || size < total)
		return total;
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		for (i = 0; i < RTAP_NB_RX_XSTATS; i++)
			snprintf(names[n++].name, sizeof(names[0].name),
				 "rx_q%u_%s", q, rtap_rx_xstats[i].name);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		for (i = 0; i < RTAP_NB_TX_XSTATS; i++)
			snprintf(names[n++].name, sizeof(names[0].name),
				 "tx_q%u_%s", q, rtap_tx_xstats[i].name);
	return n;
}

static uint64_t
rtap_xstat_read(const void *queue, size_t offset)
{
	return queue == NULL ? 0 :
		*(const uint64_t *)((const char *)queue + offset);
}

/* A queue's counters, with those of a secondary's copy of it (copy). */
static unsigned int
rtap_xstats_fill(struct rte_eth_xstat *xstats, unsigned int n,
		const void *queue, const void *copy,
		const struct rtap_xstat_desc *desc, unsigned int nb_desc)
{
	unsigned int i;

	for (i = 0; i < nb_desc; i++) {
		xstats[n].id = n;
		xstats[n].value = rtap_xstat_read(queue, desc[i].offset) +
			rtap_xstat_read(copy, desc[i].offset);
		n++;
	}
	return n;
}

int
rtap_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int size)
{
	unsigned int total = rtap_xstats_count_all(dev);
	unsigned int q, n = 0;

	if (xstats == NULL || size < total)
		return total;
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct rtap_rx_queue *rxq = dev->data->rx_queues[q];

		n = rtap_xstats_fill(xstats, n, rxq,
				     rxq != NULL ? rxq->peer : NULL,
				     rtap_rx_xstats, RTAP_NB_RX_XSTATS);
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct rtap_tx_queue *txq = dev->data->tx_queues[q];

		n = rtap_xstats_fill(xstats, n, txq,
				     txq != NULL ? txq->peer : NULL,
				     rtap_tx_xstats, RTAP_NB_TX_XSTATS);
	}
	return n;
}

int
rtap_xstats_reset(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct rtap_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		memset(&rxq->xstats, 0, sizeof(rxq->xstats));
		if (rxq->peer != NULL)
			memset(&rxq->peer->xstats, 0, sizeof(rxq->xstats));
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct rtap_tx_queue *txq = dev->data->tx_queues[q];

		if (txq == NULL)
			continue;
		memset(&txq->xstats, 0, sizeof(txq->xstats));
		if (txq->peer != NULL)
			memset(&txq->peer->xstats, 0, sizeof(txq->xstats));
	}
	return 0;
}
