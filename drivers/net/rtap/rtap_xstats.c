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
	size_t offset;		/* in struct rtap_xstats */
};

#define RTAP_XS(field) offsetof(struct rtap_xstats, field)

/* Counted the same way in both directions. */
static const struct rtap_xstat_desc rtap_common_xstats[] = {
	{ "size_64_packets", RTAP_XS(size_bins[0]) },
	{ "size_65_to_127_packets", RTAP_XS(size_bins[1]) },
	{ "size_128_to_255_packets", RTAP_XS(size_bins[2]) },
	{ "size_256_to_511_packets", RTAP_XS(size_bins[3]) },
	{ "size_512_to_1023_packets", RTAP_XS(size_bins[4]) },
	{ "size_1024_to_1518_packets", RTAP_XS(size_bins[5]) },
	{ "size_1519_to_max_packets", RTAP_XS(size_bins[6]) },
	{ "broadcast_packets", RTAP_XS(broadcast) },
	{ "multicast_packets", RTAP_XS(multicast) },
	{ "unicast_packets", RTAP_XS(unicast) },
};

static const struct rtap_xstat_desc rtap_rx_xstats[] = {
	{ "lro_packets", RTAP_XS(gso) },
	{ "checksum_good", RTAP_XS(csum_good) },
	{ "checksum_none", RTAP_XS(csum_none) },
	{ "checksum_bad", RTAP_XS(csum_bad) },
	{ "mbuf_alloc_failed", RTAP_XS(nombuf) },
};

static const struct rtap_xstat_desc rtap_tx_xstats[] = {
	{ "tso_packets", RTAP_XS(gso) },
	{ "checksum_offload_packets", RTAP_XS(csum_good) },
	{ "multiseg_packets", RTAP_XS(multiseg) },
	{ "mbuf_alloc_failed", RTAP_XS(nombuf) },
};

#define RTAP_NB_COMMON_XSTATS RTE_DIM(rtap_common_xstats)
#define RTAP_NB_RX_XSTATS (RTAP_NB_COMMON_XSTATS + RTE_DIM(rtap_rx_xstats))
#define RTAP_NB_TX_XSTATS (RTAP_NB_COMMON_XSTATS + RTE_DIM(rtap_tx_xstats))

static unsigned int
rtap_xstats_count_all(const struct rte_eth_dev *dev)
{
	return dev->data->nb_rx_queues * RTAP_NB_RX_XSTATS +
		dev->data->nb_tx_queues * RTAP_NB_TX_XSTATS;
}

/* The names of one queue's counters: the common ones, then its own. */
static unsigned int
rtap_xstats_names(struct rte_eth_xstat_name *names, unsigned int n,
		const char *dir, unsigned int q,
		const struct rtap_xstat_desc *own, unsigned int nb_own)
{
	unsigned int i;

	for (i = 0; i < RTAP_NB_COMMON_XSTATS; i++, n++)
		snprintf(names[n].name, sizeof(names[n].name), "%s_q%u_%s",
			 dir, q, rtap_common_xstats[i].name);
	for (i = 0; i < nb_own; i++, n++)
		snprintf(names[n].name, sizeof(names[n].name), "%s_q%u_%s",
			 dir, q, own[i].name);
	return n;
}

int
rtap_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int total = rtap_xstats_count_all(dev);
	unsigned int q, n = 0;

	if (names == NULL || size < total)
		return total;
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		n = rtap_xstats_names(names, n, "rx", q, rtap_rx_xstats,
				      RTE_DIM(rtap_rx_xstats));
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		n = rtap_xstats_names(names, n, "tx", q, rtap_tx_xstats,
				      RTE_DIM(rtap_tx_xstats));
	return n;
}

static unsigned int
rtap_xstats_fill_desc(struct rte_eth_xstat *xstats, unsigned int n,
		const struct rtap_xstats *xs, const struct rtap_xstat_desc *desc,
		unsigned int nb_desc)
{
	unsigned int i;

	for (i = 0; i < nb_desc; i++, n++) {
		xstats[n].id = n;
		xstats[n].value = *(const uint64_t *)((const char *)xs +
						       desc[i].offset);
	}
	return n;
}

/* A queue's counters (none if q is NULL), with those of its slots. */
static unsigned int
rtap_xstats_fill(struct rte_eth_xstat *xstats, unsigned int n,
		const struct rtap_xstats *q, const struct rtap_mp_counters *sec,
		const struct rtap_xstat_desc *own, unsigned int nb_own)
{
	struct rtap_xstats sum;

	if (q != NULL)
		rtap_mp_counters_sum(&sum, q, sec,
				offsetof(struct rtap_mp_counters, xstats), sizeof(sum));
	else
		memset(&sum, 0, sizeof(sum));
	n = rtap_xstats_fill_desc(xstats, n, &sum, rtap_common_xstats,
				  RTAP_NB_COMMON_XSTATS);
	return rtap_xstats_fill_desc(xstats, n, &sum, own, nb_own);
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

		n = rtap_xstats_fill(xstats, n, rxq != NULL ? &rxq->xstats : NULL,
				     rxq != NULL ? rxq->sec : NULL,
				     rtap_rx_xstats, RTE_DIM(rtap_rx_xstats));
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct rtap_tx_queue *txq = dev->data->tx_queues[q];

		n = rtap_xstats_fill(xstats, n, txq != NULL ? &txq->xstats : NULL,
				     txq != NULL ? txq->sec : NULL,
				     rtap_tx_xstats, RTE_DIM(rtap_tx_xstats));
	}
	return n;
}

int
rtap_xstats_reset(struct rte_eth_dev *dev)
{
	uint16_t q;

	/*
	 * ethdev leaves all of the xstats to this operation, the basic
	 * counters and ethdev's per-queue ones (taken from them) included.
	 */
	rtap_stats_reset(dev);

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct rtap_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq != NULL)
			RTAP_MP_RESET(rxq, xstats);
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct rtap_tx_queue *txq = dev->data->tx_queues[q];

		if (txq != NULL)
			RTAP_MP_RESET(txq, xstats);
	}
	return 0;
}
