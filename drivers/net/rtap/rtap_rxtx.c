/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * The io_uring data path. Each queue owns a ring. Rx keeps one read posted
 * per descriptor, each into an mbuf chain whose head has room for the
 * virtio-net header in its headroom; Tx queues one write (or writev) per
 * packet and submits once per burst. Neither makes a system call per packet.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <ethdev_driver.h>

#include "rtap.h"

/* user_data of cancel requests; slot indexes are always smaller. */
#define RTAP_CANCEL_UDATA	UINT64_MAX
#define RTAP_CANCEL_ONE_UDATA	(UINT64_MAX - 1)
/* user_data of the multishot read. */
#define RTAP_MSHOT_UDATA	(UINT64_MAX - 2)
/* Buffer group of a queue's provided buffers (one ring, one group). */
#define RTAP_BGID		0
/* Completions handled per peek. */
#define RTAP_CQE_BATCH		64
/* Rx: at most this many packets are turned over per call. */
#define RTAP_RX_BATCH		32
/* Reads in flight on a queue without a multishot read (rtap_rx_post) */
#define RTAP_RX_POSTED		RTAP_RX_BATCH
/* How long teardown waits for the kernel to give back cancelled requests. */
#define RTAP_DRAIN_MS		2000

static_assert(RTAP_VNET_TNL_HDR_LEN == 24 &&
	      offsetof(struct rtap_vnet_tnl_hdr, outer_th_offset) == 20,
	      "the kernel's struct virtio_net_hdr_v1_hash_tunnel");
static_assert(RTAP_VNET_TNL_HDR_LEN <= RTE_PKTMBUF_HEADROOM,
	      "the Rx path reads the virtio-net header into the headroom");

int
rtap_io_uring_check(void)
{
	struct io_uring ring;
	int ret, disabled = -1;
	FILE *f;

	ret = io_uring_queue_init(2, &ring, 0);
	if (ret == 0) {
		io_uring_queue_exit(&ring);
		return 0;
	}
	f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
	if (f != NULL) {
		if (fscanf(f, "%d", &disabled) != 1)
			disabled = -1;
		fclose(f);
	}
	if (ret == -ENOSYS)
		RTAP_LOG(ERR, "the kernel has no io_uring (CONFIG_IO_URING), or a seccomp profile (e.g. a container's) blocks io_uring_setup");
	else if ((ret == -EPERM || ret == -EACCES) && disabled > 0)
		RTAP_LOG(ERR, "io_uring is disabled by sysctl kernel.io_uring_disabled=%d: set it to 0 (or 1 and run in group kernel.io_uring_group)",
			 disabled);
	else if (ret == -EPERM)
		RTAP_LOG(ERR, "io_uring_setup is not permitted (a seccomp profile or LSM forbids it)");
	else if (ret == -ENOMEM)
		RTAP_LOG(ERR, "cannot create an io_uring: out of locked memory (raise RLIMIT_MEMLOCK)");
	else
		RTAP_LOG(ERR, "cannot create an io_uring: %s", strerror(-ret));
	return ret;
}

static bool
rtap_op_supported(struct io_uring *ring, int op)
{
	struct io_uring_probe *probe = io_uring_get_probe_ring(ring);
	bool ret;

	if (probe == NULL)
		return false;
	ret = op <= probe->last_op && io_uring_opcode_supported(probe, op);
	io_uring_free_probe(probe);
	return ret;
}

/* A ring for one queue, with the queue's fd registered where the kernel can. */
static int
rtap_ring_init(struct io_uring *ring, unsigned int entries, int fd,
		int *ring_fd, uint8_t *sqe_flags)
{
	struct io_uring_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	/*
	 * Room for every request in flight, so the CQ never overflows.
	 * Cooperative task running: completions wait for the polling thread
	 * to enter the kernel (which it does when the ring says there is
	 * work) instead of interrupting it with an IPI each time.
	 */
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL |
		IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
	p.cq_entries = entries * 2;
	ret = io_uring_queue_init_params(entries, ring, &p);
	if (ret == -EINVAL) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = entries * 2;
		ret = io_uring_queue_init_params(entries, ring, &p);
	}
	if (ret < 0) {
		RTAP_LOG(ERR, "cannot create an io_uring of %u entries: %s",
			 entries, strerror(-ret));
		return ret;
	}
	if (io_uring_register_files(ring, &fd, 1) == 0) {
		*ring_fd = 0;
		*sqe_flags = IOSQE_FIXED_FILE;
	} else {
		*ring_fd = fd;
		*sqe_flags = 0;
	}
	return 0;
}

/*
 * Submit what is queued. What the kernel did not take (interrupted by a
 * signal, short of memory) stays in the submission ring: *pending makes
 * the next call try again, so that no read or write is left unsubmitted
 * while it is counted as in flight.
 */
static inline void
rtap_ring_submit(struct io_uring *ring, bool *pending)
{
	int ret = io_uring_submit(ring);

	*pending = ret < 0 || io_uring_sq_ready(ring) > 0;
}

/* An SQE, submitting what is queued first if the ring is full. */
static struct io_uring_sqe *
rtap_ring_sqe(struct io_uring *ring, bool *pending)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (sqe == NULL) {
		rtap_ring_submit(ring, pending);
		sqe = io_uring_get_sqe(ring);
	}
	return sqe;
}

/* Before 5.19 requests cannot be cancelled all at once: one by one. */
static void
rtap_ring_cancel_each(struct io_uring *ring, const uint64_t *pending,
		uint32_t nb_pending, bool *sq_pending)
{
	struct io_uring_sqe *sqe;
	uint32_t i;

	for (i = 0; i < nb_pending; i++) {
		sqe = rtap_ring_sqe(ring, sq_pending);
		if (sqe == NULL)
			break;
		io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1, NULL, 0, 0);
		sqe->addr = pending[i];
		sqe->user_data = RTAP_CANCEL_ONE_UDATA;
	}
	rtap_ring_submit(ring, sq_pending);
}

/*
 * Cancel every request in flight and hand each completion to done(). The
 * buffers of a request belong to the kernel until its completion is seen,
 * so they are never freed before.
 */
static void
rtap_ring_cancel(struct io_uring *ring, uint32_t *inflight, bool *sq_pending,
		void (*done)(void *q, uint64_t udata, int res), void *q,
		const uint64_t *pending, uint32_t nb_pending)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * RTAP_DRAIN_MS / 1000;
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	bool cancel_sent = false;

	while (*inflight > 0) {
		if (!cancel_sent) {
			sqe = rtap_ring_sqe(ring, sq_pending);
			if (sqe != NULL) {
				io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1,
						 NULL, 0, 0);
				sqe->cancel_flags = IORING_ASYNC_CANCEL_ALL |
					IORING_ASYNC_CANCEL_ANY;
				sqe->user_data = RTAP_CANCEL_UDATA;
				*sq_pending = true;
			}
			cancel_sent = true;
		}
		if (*sq_pending)
			rtap_ring_submit(ring, sq_pending);
		if (io_uring_wait_cqe_timeout(ring, &cqe, &ts) == 0) {
			uint64_t udata = cqe->user_data;
			int res = cqe->res;

			bool more = cqe->flags & IORING_CQE_F_MORE;

			io_uring_cqe_seen(ring, cqe);
			if (udata < RTAP_CANCEL_ONE_UDATA) {
				done(q, udata, res);
				if (!more)
					(*inflight)--;
			} else if (udata == RTAP_CANCEL_UDATA && res == -EINVAL) {
				rtap_ring_cancel_each(ring, pending, nb_pending,
						      sq_pending);
			}
			continue;
		}
		if (rte_get_timer_cycles() > deadline) {
			RTAP_LOG(ERR, "%u requests still in flight after %d ms: their buffers are kept for the kernel",
				 *inflight, RTAP_DRAIN_MS);
			break;
		}
	}
	/* Late cancel answers. */
	while (io_uring_peek_cqe(ring, &cqe) == 0)
		io_uring_cqe_seen(ring, cqe);
}

/* Completions the kernel holds back until this thread enters it. */
static inline void
rtap_ring_flush(struct io_uring *ring)
{
	if (IO_URING_READ_ONCE(*ring->sq.kflags) &
	    (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW))
		io_uring_enter(ring->ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL);
}

/*
 * Rx
 */

static inline void
rtap_rx_post_one(struct rtap_rx_queue *rxq, struct io_uring_sqe *sqe,
		uint32_t s)
{
	char *hdr = rte_pktmbuf_mtod(rxq->slots[s].head, char *) -
		rxq->hdr_len;

	if (rxq->nb_segs == 1)
		io_uring_prep_read(sqe, rxq->ring_fd, hdr,
				   rxq->seg_room + rxq->hdr_len, 0);
	else	/* the slot's vector is kept up to date by rtap_rx_refill() */
		io_uring_prep_readv(sqe, rxq->ring_fd,
				    &rxq->iovs[(size_t)s * rxq->max_segs],
				    rxq->nb_segs, 0);
	sqe->flags |= rxq->sqe_flags;
	sqe->user_data = s;
}

/*
 * With a multishot read, posting a slot is handing its buffer to the
 * kernel through the provided-buffer ring; one request reads them all.
 */
static void
rtap_rx_post_mshot(struct rtap_rx_queue *rxq)
{
	struct io_uring_sqe *sqe;
	uint32_t k;

	for (k = 0; k < rxq->nb_idle; k++) {
		uint32_t s = rxq->idle[k];

		io_uring_buf_ring_add(rxq->br,
			rte_pktmbuf_mtod(rxq->slots[s].head, char *) -
				rxq->hdr_len,
			rxq->seg_room + rxq->hdr_len, s,
			io_uring_buf_ring_mask(rxq->br_entries), k);
	}
	if (k > 0)
		io_uring_buf_ring_advance(rxq->br, k);
	rxq->nb_idle = 0;
	if (rxq->mshot_armed)
		return;
	sqe = io_uring_get_sqe(&rxq->ring);
	if (sqe == NULL)
		return;
	io_uring_prep_rw(RTAP_OP_READ_MULTISHOT, sqe, rxq->ring_fd, NULL, 0, 0);
	sqe->flags |= rxq->sqe_flags | IOSQE_BUFFER_SELECT;
	sqe->buf_group = RTAP_BGID;
	sqe->user_data = RTAP_MSHOT_UDATA;
	rxq->mshot_armed = true;
	rxq->owner = rte_gettid();
	rxq->inflight++;
	rtap_ring_submit(&rxq->ring, &rxq->sq_pending);
}

static void
rtap_rx_mshot_move(struct rtap_rx_queue *rxq)
{
	struct io_uring_sqe *sqe;

	rxq->owner = rte_gettid();
	if (!rxq->mshot_armed)
		return;
	sqe = io_uring_get_sqe(&rxq->ring);
	if (sqe == NULL)
		return;
	/* Its last completion (without F_MORE) lets rx_burst arm it anew. */
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1, NULL, 0, 0);
	sqe->addr = RTAP_MSHOT_UDATA;
	sqe->user_data = RTAP_CANCEL_ONE_UDATA;
	rtap_ring_submit(&rxq->ring, &rxq->sq_pending);
}

/*
 * Post reads on slots that have none, up to RTAP_RX_POSTED in flight. Every
 * packet the kernel queues wakes every read waiting on the tap (the poll
 * io_uring arms for a read is not exclusive), and all but one of them find
 * nothing and wait again: the cost of a packet grows with the reads that
 * wait. A burst's worth in flight is enough: a read posted while frames
 * are queued completes as it is submitted, without waiting.
 */
static void
rtap_rx_post(struct rtap_rx_queue *rxq)
{
	struct io_uring_sqe *sqe;
	uint32_t posted = 0;

	/* The interface was deleted: every read would fail at once. */
	if (unlikely(rxq->gone))
		return;
	if (rxq->mshot) {
		rtap_rx_post_mshot(rxq);
		return;
	}

	while (rxq->nb_idle > 0 && rxq->inflight + posted < RTAP_RX_POSTED) {
		sqe = io_uring_get_sqe(&rxq->ring);
		if (sqe == NULL)
			break;
		rtap_rx_post_one(rxq, sqe, rxq->idle[--rxq->nb_idle]);
		posted++;
	}
	if (posted > 0) {
		rxq->inflight += posted;
		rtap_ring_submit(&rxq->ring, &rxq->sq_pending);
	}
}

void
rtap_rx_queue_arm(struct rtap_rx_queue *rxq)
{
	if (rxq->started && (rxq->nb_idle > 0 ||
			     (rxq->mshot && !rxq->mshot_armed)))
		rtap_rx_post(rxq);
}

/*
 * Give slot s a full chain again: k fresh mbufs in front of tail, the
 * part of its old chain a packet of k segments left unused. The tail keeps
 * its place in the chain, so only the first k entries of the slot's read
 * vector change.
 */
static inline void
rtap_rx_refill(struct rtap_rx_queue *rxq, uint32_t s, struct rte_mbuf **fresh,
		uint16_t k, struct rte_mbuf *tail)
{
	struct rte_mbuf *head = fresh[0];
	uint16_t j;

	/* A fresh mbuf's next is NULL: its second cache line stays cold. */
	for (j = 1; j < k; j++)
		fresh[j - 1]->next = fresh[j];
	if (tail != NULL)
		fresh[k - 1]->next = tail;
	head->nb_segs = rxq->nb_segs;
	rxq->slots[s].head = head;
	if (rxq->nb_segs > 1) {
		struct iovec *iov = &rxq->iovs[(size_t)s * rxq->max_segs];

		iov[0].iov_base = rte_pktmbuf_mtod(head, char *) -
			rxq->hdr_len;
		iov[0].iov_len = rxq->seg_room + rxq->hdr_len;
		for (j = 1; j < k; j++) {
			iov[j].iov_base = rte_pktmbuf_mtod(fresh[j], void *);
			iov[j].iov_len = rxq->seg_room;
		}
	}
}

/*
 * Mbufs a read of res bytes filled; 0 for a read that brought no frame, or
 * more than the chain holds (truncated).
 */
static inline uint16_t
rtap_rx_segs(const struct rtap_rx_queue *rxq, int res)
{
	uint32_t len;

	if (res < (int)(rxq->hdr_len + RTE_ETHER_HDR_LEN))
		return 0;
	len = res - rxq->hdr_len;
	if (len > (uint32_t)rxq->nb_segs * rxq->seg_room)
		return 0;
	if (rxq->nb_segs == 1)
		return 1;
	return (len + rxq->seg_room - 1) / rxq->seg_room;
}

/*
 * Turn a completed read into a packet of segs mbufs (len fits them,
 * checked); returns the rest of the chain, which the read left empty.
 */
static inline struct rte_mbuf *
rtap_rx_fill(struct rtap_rx_queue *rxq, struct rte_mbuf *head, uint32_t len,
		uint16_t segs)
{
	struct rte_mbuf *m = head, *tail;
	uint16_t j;

	head->port = rxq->port_id;
	head->pkt_len = len;
	head->ol_flags = 0;
	head->packet_type = RTE_PTYPE_UNKNOWN;
	head->nb_segs = segs;
	if (rxq->nb_segs == 1) {
		head->data_len = len;
		return NULL;
	}
	for (j = 1; j < segs; j++) {
		m->data_len = rxq->seg_room;
		m = m->next;
	}
	m->data_len = len - (uint32_t)(segs - 1) * rxq->seg_room;
	tail = m->next;
	m->next = NULL;
	return tail;
}

/* The virtio-net header a read put in front of the frame, in the headroom. */
static inline const struct virtio_net_hdr *
rtap_rx_vnet(const struct rte_mbuf *head, uint8_t hdr_len)
{
	return rte_pktmbuf_mtod_offset(head, const struct virtio_net_hdr *,
				       -(int)hdr_len);
}

/*
 * The IPv4 header checksum, checked in software: nothing in the virtio-net
 * header speaks for it, and a frame the kernel forwards (a bridge, a raw
 * socket) may carry a bad one. Frames that are not IPv4, or whose header
 * is not whole in the first segment, are left UNKNOWN.
 */
static inline void
rtap_rx_ip_cksum(struct rte_mbuf *m)
{
	const struct rte_vlan_hdr *vlan;
	const struct rte_ipv4_hdr *ip;
	uint32_t off = RTE_ETHER_HDR_LEN;
	uint16_t type = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->ether_type;

	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN) &&
	    m->data_len >= off + sizeof(*vlan)) {
		vlan = rte_pktmbuf_mtod_offset(m, const struct rte_vlan_hdr *, off);
		type = vlan->eth_proto;
		off += sizeof(*vlan);
	}
	if (type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    m->data_len < off + sizeof(*ip))
		return;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, off);
	if ((ip->version_ihl >> 4) != 4 ||
	    rte_ipv4_hdr_len(ip) < sizeof(*ip) ||
	    m->data_len < off + rte_ipv4_hdr_len(ip))
		m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD;
	else if (rte_ipv4_cksum(ip) == 0)
		m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	else
		m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD;
}

/*
 * What the kernel said of the frame. A partial checksum goes to an
 * application that did not ask for that protocol's checksum offload
 * completed in software: the kernel's offload flag covers both protocols.
 * A GSO frame, TCP or UDP, becomes an LRO packet.
 */
static inline void
rtap_rx_offload(struct rtap_rx_queue *rxq, struct rte_mbuf *m,
		const struct virtio_net_hdr *vh)
{
	if (rxq->csum_ip)
		rtap_rx_ip_cksum(m);
	if (likely(vh->flags == 0 && vh->gso_type == VIRTIO_NET_HDR_GSO_NONE))
		return;
	if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		uint32_t start = vh->csum_start;
		uint32_t field = start + vh->csum_offset;
		uint16_t sum;
		bool partial = vh->csum_offset == offsetof(struct rte_tcp_hdr, cksum) ?
			rxq->csum_tcp : rxq->csum_udp;

		if (partial) {
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
			rxq->xstats.csum_none++;
		} else if (field + sizeof(uint16_t) <= m->data_len &&
			   start < m->pkt_len &&
			   rte_raw_cksum_mbuf(m, start, m->pkt_len - start,
					      &sum) == 0) {
			sum = (uint16_t)~sum;
			if (sum == 0 && vh->csum_offset == 6)	/* UDP */
				sum = 0xffff;
			*rte_pktmbuf_mtod_offset(m, uint16_t *, field) = sum;
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
			rxq->xstats.csum_good++;
		} else {
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_BAD;
			rxq->xstats.csum_bad++;
		}
	} else if (vh->flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		rxq->xstats.csum_good++;
	}
	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE && vh->gso_size > 0) {
		m->ol_flags |= RTE_MBUF_F_RX_LRO;
		m->tso_segsz = vh->gso_size;
		rxq->xstats.gso++;
	}
}

static inline uint16_t
rtap_rx_batch(struct rtap_rx_queue *rxq, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct io_uring_cqe *cqes[RTAP_RX_BATCH];
	uint16_t segs[RTAP_RX_BATCH];
	struct rte_mbuf **fresh = rxq->fresh;
	uint32_t n, i, need, nb_fresh = 0, used = 0;
	uint16_t nb_rx = 0;
	uint64_t bytes = 0;

	if (unlikely(!rxq->started))
		return 0;
	if (unlikely(rxq->sq_pending))
		rtap_ring_submit(&rxq->ring, &rxq->sq_pending);
	/*
	 * The kernel completes a read on the thread that posted it. A
	 * multishot read armed by another thread (an application flushing
	 * the queue from its main thread) is cancelled and armed again here.
	 */
	if (unlikely(rxq->mshot && rxq->owner != rte_gettid()))
		rtap_rx_mshot_move(rxq);

	n = io_uring_peek_batch_cqe(&rxq->ring, cqes,
				    RTE_MIN(nb_pkts, RTAP_RX_BATCH));
	if (n == 0) {
		rtap_ring_flush(&rxq->ring);
		n = io_uring_peek_batch_cqe(&rxq->ring, cqes,
					    RTE_MIN(nb_pkts, RTAP_RX_BATCH));
	}
	if (n == 0) {
		/*
		 * Reads are first posted here, so that the polling thread,
		 * not the one that started the port, is the one the kernel
		 * completes them on.
		 */
		rtap_rx_queue_arm(rxq);
		return 0;
	}

	/*
	 * Replacements first: a packet is handed over only for as many
	 * fresh mbufs as it takes from its slot.
	 */
	for (i = 0, need = 0; i < n; i++) {
		segs[i] = rtap_rx_segs(rxq, cqes[i]->res);
		need += segs[i];
	}
	while (need > 0 && rte_pktmbuf_alloc_bulk(rxq->mp, fresh, need) != 0)
		need >>= 1;
	nb_fresh = need;

	for (i = 0; i < n; i++) {
		int res = cqes[i]->res;
		struct rte_mbuf *head, *tail;
		uint32_t len, s;

		/* The interface was deleted: nothing is posted any more. */
		if (unlikely(res == -EBADFD))
			rxq->gone = true;
		if (rxq->mshot) {
			uint32_t flags = cqes[i]->flags;

			if (unlikely(cqes[i]->user_data != RTAP_MSHOT_UDATA))
				continue;	/* a cancel answered */

			if (!(flags & IORING_CQE_F_MORE)) {
				/* Ended (no buffer left, ...): armed again below. */
				rxq->mshot_armed = false;
				rxq->inflight--;
			}
			if (!(flags & IORING_CQE_F_BUFFER)) {
				if (res < 0 && res != -ENOBUFS &&
				    res != -EAGAIN && res != -ECANCELED)
					rxq->stats.errors++;
				continue;
			}
			s = flags >> IORING_CQE_BUFFER_SHIFT;
		} else {
			s = (uint32_t)cqes[i]->user_data;
			rxq->inflight--;
		}
		head = rxq->slots[s].head;
		rxq->idle[rxq->nb_idle++] = s;
		/*
		 * A read the kernel woke too often without data for it ends
		 * with -EAGAIN: nothing was lost, it is simply posted again.
		 */
		if (res == -EAGAIN)
			continue;
		if (unlikely(segs[i] == 0)) {
			RTAP_RX_LOG(DEBUG, "rx queue %u: read returned %d",
				    rxq->queue_id, res);
			rxq->stats.errors++;
			continue;
		}
		len = res - rxq->hdr_len;
		/* The kernel built a super-packet over max_lro_pkt_size. */
		if (unlikely(len > rxq->lro_max) &&
		    rtap_rx_vnet(head, rxq->hdr_len)->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
			RTAP_RX_LOG(DEBUG, "rx queue %u: %u-byte LRO packet dropped",
				    rxq->queue_id, len);
			rxq->stats.errors++;
			continue;
		}
		if (unlikely(used + segs[i] > nb_fresh)) {
			rxq->stats.nombuf++;
			rxq->xstats.nombuf++;
			continue;
		}
		tail = rtap_rx_fill(rxq, head, len, segs[i]);
		rtap_rx_offload(rxq, head, rtap_rx_vnet(head, rxq->hdr_len));
		rtap_xstats_count(&rxq->xstats, head);
		rtap_rx_refill(rxq, s, &fresh[used], segs[i], tail);
		used += segs[i];
		bytes += len;
		pkts[nb_rx++] = head;
	}
	io_uring_cq_advance(&rxq->ring, n);
	if (unlikely(used < nb_fresh))
		rte_pktmbuf_free_bulk(&fresh[used], nb_fresh - used);

	rxq->stats.packets += nb_rx;
	rxq->stats.bytes += bytes;
	rtap_rx_post(rxq);
	return nb_rx;
}

uint16_t
rtap_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	uint16_t nb_rx = 0, ask, n;

	/* Bursts over a batch: batch after batch, while they come full. */
	do {
		ask = RTE_MIN(nb_pkts - nb_rx, RTAP_RX_BATCH);
		n = rtap_rx_batch(queue, pkts + nb_rx, ask);
		nb_rx += n;
	} while (unlikely(n == ask && nb_rx < nb_pkts));
	return nb_rx;
}

/* Completions in the CQ that hand a frame over: what rx_burst takes next. */
static uint32_t
rtap_rx_done(struct rtap_rx_queue *rxq)
{
	struct io_uring_cqe *cqe;
	uint32_t nb = 0;
	unsigned int head;

	io_uring_for_each_cqe(&rxq->ring, head, cqe) {
		if (cqe->res < (int)(rxq->hdr_len + RTE_ETHER_HDR_LEN))
			continue;
		if (rxq->mshot ? (cqe->flags & IORING_CQE_F_BUFFER) != 0 :
		    cqe->user_data < rxq->nb_desc)
			nb++;
	}
	return nb;
}

/*
 * Frames waiting for rx_burst. Reads the kernel finished leave their
 * last step to the thread that posted them (cooperative task running):
 * called there, as fast-path functions are, it lets them end first.
 */
int
rtap_rx_queue_count(void *queue)
{
	struct rtap_rx_queue *rxq = queue;

	if (unlikely(rxq == NULL))
		return -EINVAL;
	if (!rxq->started)
		return 0;
	rtap_ring_flush(&rxq->ring);
	return rtap_rx_done(rxq);
}

/*
 * From the next frame on: DONE for frames waiting, AVAIL for buffers the
 * kernel holds (in the buffer ring, or under a posted read), UNAVAIL for
 * the rest, which the next burst hands over.
 */
int
rtap_rx_descriptor_status(void *queue, uint16_t offset)
{
	struct rtap_rx_queue *rxq = queue;
	uint32_t given;

	if (unlikely(rxq == NULL || offset >= rxq->nb_desc))
		return -EINVAL;
	if (!rxq->started)
		return RTE_ETH_RX_DESC_UNAVAIL;
	rtap_ring_flush(&rxq->ring);
	if (offset < rtap_rx_done(rxq))
		return RTE_ETH_RX_DESC_DONE;
	given = rxq->mshot ? (uint32_t)rxq->nb_desc - rxq->nb_idle : rxq->inflight;
	return offset < given ? RTE_ETH_RX_DESC_AVAIL : RTE_ETH_RX_DESC_UNAVAIL;
}

/* Sleep (0) unless the kernel left work or completions, or the queue needs a poll. */
static int
rtap_monitor_check(const uint64_t val,
		const uint64_t opaque[RTE_POWER_MONITOR_OPAQUE_SZ])
{
	const unsigned int *head = (const unsigned int *)(uintptr_t)opaque[1];
	const unsigned int *tail = (const unsigned int *)(uintptr_t)opaque[2];

	if ((val & opaque[0]) != 0 || opaque[3] != 0 ||
	    IO_URING_READ_ONCE(*tail) != IO_URING_READ_ONCE(*head))
		return -1;
	return 0;
}

/*
 * With cooperative task running, a read that completes while the polling
 * thread is in user space leaves the rest of its work to that thread and
 * sets IORING_SQ_TASKRUN in the ring's flags word: that word is written,
 * the CQ tail only once the thread enters the kernel. Both are in the
 * ring's first cache line (offsets 36 and 12 on Linux 6.18), which is what
 * a monitor watches. Without the flag (older kernels) the kernel posts the
 * completion itself: the CQ tail.
 */
int
rtap_get_monitor_addr(void *queue, struct rte_power_monitor_cond *pmc)
{
	struct rtap_rx_queue *rxq = queue;
	bool flag;

	if (unlikely(rxq == NULL))
		return -EINVAL;
	flag = (rxq->ring.flags & IORING_SETUP_TASKRUN_FLAG) != 0;
	pmc->addr = flag ? rxq->ring.sq.kflags : rxq->ring.cq.ktail;
	pmc->size = sizeof(uint32_t);
	pmc->fn = rtap_monitor_check;
	pmc->opaque[0] = flag ? IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW : 0;
	pmc->opaque[1] = (uintptr_t)rxq->ring.cq.khead;
	pmc->opaque[2] = (uintptr_t)rxq->ring.cq.ktail;
	/* Reads to submit or post, or a multishot read to move: poll first. */
	pmc->opaque[3] = rxq->started && !rxq->gone && (rxq->sq_pending ||
		(rxq->mshot ? !rxq->mshot_armed || rxq->nb_idle > 0 ||
			      rxq->owner != rte_gettid() :
			      rxq->nb_idle > 0 && rxq->inflight < RTAP_RX_POSTED));
	return 0;
}

static void
rtap_rx_cancelled(void *q, uint64_t udata, int res)
{
	struct rtap_rx_queue *rxq = q;

	/*
	 * A read that completed with a frame as the queue stops: the kernel
	 * counts the frame as handed over, so its drop is counted here.
	 */
	if (res > 0)
		rxq->stats.errors++;
	/* Multishot: every buffer is freed with the slots after the drain. */
	if (udata < rxq->nb_desc)
		rxq->idle[rxq->nb_idle++] = (uint32_t)udata;
}

/* A read given back after a drain that gave up: counted then, not again. */
static void
rtap_rx_reclaimed(void *q, uint64_t udata, int res __rte_unused)
{
	struct rtap_rx_queue *rxq = q;

	if (udata < rxq->nb_desc)
		rxq->idle[rxq->nb_idle++] = (uint32_t)udata;
}

static void
rtap_rx_free_chains(struct rtap_rx_queue *rxq)
{
	uint16_t s;

	for (s = 0; s < rxq->nb_desc; s++) {
		if (rxq->slots[s].head != NULL) {
			rte_pktmbuf_free(rxq->slots[s].head);
			rxq->slots[s].head = NULL;
		}
	}
	rxq->nb_idle = 0;
}

/*
 * Memory of the queues. A secondary's copies live in its own memory, not
 * in the shared heap: a secondary that is killed leaves nothing there.
 */
static void *
rtap_zalloc(const char *type, size_t size, size_t align, int socket_id)
{
	void *p;

	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		return rte_zmalloc_socket(type, size, align, socket_id);
	if (posix_memalign(&p, RTE_MAX(align, (size_t)RTE_CACHE_LINE_SIZE),
			   size) != 0)
		return NULL;
	return memset(p, 0, size);
}

static void
rtap_free(void *p)
{
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		rte_free(p);
	else
		free(p);
}

/*
 * Cancel the reads in flight; once the kernel gave them all back, the
 * buffer ring is unregistered (the next start hands the kernel a fresh
 * one) and the chains are freed. If it does not within RTAP_DRAIN_MS, the
 * buffers it holds are counted in ierrors, once (retry: already counted),
 * and kept: a later start or release tries again.
 */
static void
rtap_rx_drain(struct rtap_rx_queue *rxq, bool retry)
{
	uint64_t *pending;
	uint32_t i, nb = 0;

	pending = malloc(sizeof(*pending) * rxq->nb_desc);
	if (pending != NULL) {
		bool *idle = calloc(rxq->nb_desc, sizeof(*idle));

		if (idle != NULL) {
			for (i = 0; i < rxq->nb_idle; i++)
				idle[rxq->idle[i]] = true;
			for (i = 0; i < rxq->nb_desc; i++)
				if (!idle[i])
					pending[nb++] = i;
			free(idle);
		}
	}
	rtap_ring_cancel(&rxq->ring, &rxq->inflight, &rxq->sq_pending,
			 retry ? rtap_rx_reclaimed : rtap_rx_cancelled, rxq,
			 pending, nb);
	free(pending);
	rxq->mshot_armed = false;
	if (rxq->inflight > 0) {
		if (!retry)
			rxq->stats.errors += rxq->nb_desc - rxq->nb_idle;
		return;
	}
	if (rxq->mshot)
		io_uring_unregister_buf_ring(&rxq->ring, RTAP_BGID);
	rtap_rx_free_chains(rxq);
}

void
rtap_rx_queue_stop(struct rtap_rx_queue *rxq)
{
	if (!rxq->started)
		return;
	rxq->started = false;
	rtap_rx_drain(rxq, false);
}

/* Largest frame a queue takes at this MTU. */
static inline uint32_t
rtap_rx_frame(const struct rtap_rx_queue *rxq, uint16_t mtu)
{
	return rxq->lro ? RTAP_MAX_TSO_PKTLEN : (uint32_t)mtu + RTAP_FRAME_OVERHEAD;
}

static int
rtap_rxq_start(struct rte_eth_dev *dev, struct rtap_rx_queue *rxq, uint16_t mtu)
{
	uint16_t queue_id = rxq->queue_id;
	uint32_t frame, total, s;
	struct rte_mbuf **mbufs;
	uint16_t nb_segs;

	if (rxq->started)
		return 0;
	frame = rtap_rx_frame(rxq, mtu);
	if (rxq->inflight != 0)
		rtap_rx_drain(rxq, true);
	if (rxq->inflight != 0) {
		RTAP_LOG(ERR, "port %u: Rx queue %u still has %u reads the kernel did not give back",
			 dev->data->port_id, queue_id, rxq->inflight);
		return -EBUSY;
	}
	nb_segs = (frame + rxq->seg_room - 1) / rxq->seg_room;
	if (nb_segs > rxq->max_segs) {
		RTAP_LOG(ERR, "port %u: a %u-byte frame needs %u mbufs of %u bytes: enable RTE_ETH_RX_OFFLOAD_SCATTER or use larger mbufs",
			 dev->data->port_id, frame, nb_segs, rxq->seg_room);
		return -EINVAL;
	}
	rxq->nb_segs = nb_segs;
	rxq->gone = false;
	rxq->mshot = false;
	if (nb_segs == 1 && rxq->br != NULL) {
		struct io_uring_buf_reg reg = {
			.ring_addr = (uintptr_t)rxq->br,
			.ring_entries = rxq->br_entries,
			.bgid = RTAP_BGID,
		};

		io_uring_buf_ring_init(rxq->br);
		rxq->mshot = io_uring_register_buf_ring(&rxq->ring, &reg, 0) == 0;
	}

	total = (uint32_t)rxq->nb_desc * nb_segs;
	mbufs = malloc(sizeof(*mbufs) * total);
	if (mbufs == NULL || rte_pktmbuf_alloc_bulk(rxq->mp, mbufs, total) != 0) {
		if (mbufs != NULL)
			RTAP_LOG(ERR, "port %u: Rx queue %u needs %u mbufs from pool %s, which has %u free",
				 dev->data->port_id, queue_id, total, rxq->mp->name,
				 rte_mempool_avail_count(rxq->mp));
		free(mbufs);
		/* Else the next start could not register the ring again. */
		if (rxq->mshot)
			io_uring_unregister_buf_ring(&rxq->ring, RTAP_BGID);
		rxq->mshot = false;
		return -ENOMEM;
	}
	for (s = 0; s < rxq->nb_desc; s++) {
		rtap_rx_refill(rxq, s, &mbufs[s * nb_segs], nb_segs, NULL);
		rxq->idle[s] = s;
	}
	free(mbufs);
	rxq->nb_idle = rxq->nb_desc;
	rxq->started = true;
	RTAP_LOG(DEBUG, "port %u: Rx queue %u: %u descriptors of %u mbuf(s), %s",
		 dev->data->port_id, queue_id, rxq->nb_desc, nb_segs,
		 rxq->mshot ? "one multishot read" : "a read each");
	return 0;
}

int
rtap_rx_queue_start(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct rtap_rx_queue *rxq = dev->data->rx_queues[queue_id];

	if (rxq == NULL) {
		RTAP_LOG(ERR, "port %u: Rx queue %u is not set up",
			 dev->data->port_id, queue_id);
		return -EINVAL;
	}
	return rtap_rxq_start(dev, rxq, dev->data->mtu);
}

/*
 * Can the queue take frames of this MTU? Its mbufs, chained up to its
 * vector with scatter, bound it. A started queue whose posted reads are
 * too short for it is started again with longer chains.
 */
int
rtap_rx_queue_mtu(struct rte_eth_dev *dev, uint16_t queue_id, uint16_t mtu,
		bool started)
{
	struct rtap_rx_queue *rxq = dev->data->rx_queues[queue_id];
	uint32_t frame;

	if (rxq == NULL)
		return 0;
	frame = rtap_rx_frame(rxq, mtu);
	if (!started) {
		if (frame <= (uint32_t)rxq->max_segs * rxq->seg_room)
			return 0;
		RTAP_LOG(ERR, "port %u: MTU %u: Rx queue %u takes frames of at most %u bytes (%u mbufs of %u bytes)%s",
			 dev->data->port_id, mtu, queue_id,
			 (uint32_t)rxq->max_segs * rxq->seg_room, rxq->max_segs,
			 rxq->seg_room, rxq->max_segs == 1 ?
			 ": enable RTE_ETH_RX_OFFLOAD_SCATTER or use larger mbufs" : "");
		return -EINVAL;
	}
	if (!rxq->started || frame <= (uint32_t)rxq->nb_segs * rxq->seg_room)
		return 0;
	rtap_rx_queue_stop(rxq);
	return rtap_rxq_start(dev, rxq, mtu);
}

/* A queue's memory and ring; the caller fills in the settings. */
static int
rtap_rxq_alloc(struct rtap_rx_queue **out, uint16_t nb_desc, uint16_t max_segs,
		int fd, int socket_id)
{
	struct rtap_rx_queue *rxq;
	int ret;

	rxq = rtap_zalloc("rtap_rxq", sizeof(*rxq), RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->own_fd = -1;
	rxq->efd = -1;
	rxq->nb_desc = nb_desc;
	rxq->max_segs = max_segs;
	rxq->nb_segs = 1;
	rxq->slots = rtap_zalloc("rtap_rx_slots",
			sizeof(*rxq->slots) * nb_desc, RTE_CACHE_LINE_SIZE, socket_id);
	rxq->idle = rtap_zalloc("rtap_rx_idle",
			sizeof(*rxq->idle) * nb_desc, RTE_CACHE_LINE_SIZE, socket_id);
	rxq->fresh = rtap_zalloc("rtap_rx_fresh",
			sizeof(*rxq->fresh) * RTAP_RX_BATCH * max_segs,
			RTE_CACHE_LINE_SIZE, socket_id);
	if (max_segs > 1)
		rxq->iovs = rtap_zalloc("rtap_rx_iovs",
				sizeof(*rxq->iovs) * nb_desc * max_segs,
				RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq->slots == NULL || rxq->idle == NULL || rxq->fresh == NULL ||
	    (max_segs > 1 && rxq->iovs == NULL)) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = rtap_ring_init(&rxq->ring, nb_desc, fd, &rxq->ring_fd,
			     &rxq->sqe_flags);
	if (ret < 0)
		goto fail;
	/*
	 * Kernels with multishot reads (6.7) get one request per queue,
	 * reading into buffers handed over in a provided-buffer ring,
	 * instead of a read per descriptor, each woken by every packet.
	 */
	if (rtap_op_supported(&rxq->ring, RTAP_OP_READ_MULTISHOT)) {
		rxq->br_entries = rte_align32pow2(nb_desc);
		rxq->br = rtap_zalloc("rtap_rx_bufring",
				sizeof(struct io_uring_buf) * rxq->br_entries,
				RTE_MAX(4096, getpagesize()), socket_id);
	}
	*out = rxq;
	return 0;
fail:
	rtap_free(rxq->fresh);
	rtap_free(rxq->iovs);
	rtap_free(rxq->idle);
	rtap_free(rxq->slots);
	rtap_free(rxq);
	return ret;
}

int
rtap_rx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mp)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint64_t offloads = dev->data->dev_conf.rxmode.offloads | rx_conf->offloads;
	bool lro = !!(offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO);
	/* With LRO the kernel hands over super-packets of up to 64 KiB. */
	uint32_t frame = lro ? RTAP_MAX_TSO_PKTLEN :
		dev->data->mtu + RTAP_FRAME_OVERHEAD;
	struct rtap_rx_queue *rxq;
	uint32_t room;
	uint16_t max_segs;
	int ret;

	if (queue_id >= pmd->nb_queues || pmd->fds[queue_id] < 0) {
		RTAP_LOG(ERR, "port %u: Rx queue %u has no kernel queue: configure first",
			 dev->data->port_id, queue_id);
		return -EINVAL;
	}
	room = rte_pktmbuf_data_room_size(mp);
	if (room <= RTE_PKTMBUF_HEADROOM + RTE_ETHER_HDR_LEN) {
		RTAP_LOG(ERR, "port %u: mbufs of pool %s have no room for a frame",
			 dev->data->port_id, mp->name);
		return -EINVAL;
	}
	room -= RTE_PKTMBUF_HEADROOM;
	if (offloads & RTE_ETH_RX_OFFLOAD_SCATTER) {
		max_segs = (RTE_MAX(frame, (uint32_t)RTAP_MAX_RX_PKTLEN) +
			    room - 1) / room;
		if (max_segs > RTAP_MAX_RX_SEGS) {
			RTAP_LOG(ERR, "port %u: mbufs of %u bytes are too small for scatter (at most %d per frame)",
				 dev->data->port_id, room, RTAP_MAX_RX_SEGS);
			return -EINVAL;
		}
	} else {
		max_segs = 1;
		if (frame > room) {
			RTAP_LOG(ERR, "port %u: %s needs %u-byte buffers, pool %s has %u: enable RTE_ETH_RX_OFFLOAD_SCATTER",
				 dev->data->port_id, lro ? "LRO" : "the MTU",
				 frame, mp->name, room);
			return -EINVAL;
		}
	}

	ret = rtap_rxq_alloc(&rxq, nb_desc, max_segs, pmd->fds[queue_id],
			     socket_id);
	if (ret < 0)
		return ret;
	rxq->mp = mp;
	rxq->lro = lro;
	/* ethdev made 0 the frame at the MTU: the limit always holds. */
	rxq->lro_max = lro ? dev->data->dev_conf.rxmode.max_lro_pkt_size : UINT32_MAX;
	/* With rx_csum=full, LRO's partial checksums are completed too. */
	rxq->csum_tcp = !pmd->rx_csum_full && (offloads & RTE_ETH_RX_OFFLOAD_TCP_CKSUM);
	rxq->csum_udp = !pmd->rx_csum_full && (offloads & RTE_ETH_RX_OFFLOAD_UDP_CKSUM);
	rxq->csum_ip = !!(offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM);
	rxq->seg_room = room;
	rxq->hdr_len = pmd->vnet_hdr_len;
	rxq->port_id = dev->data->port_id;
	rxq->queue_id = queue_id;
	rxq->deferred = rx_conf->rx_deferred_start != 0;
	rxq->gen = rte_atomic_load_explicit(&pmd->gen, rte_memory_order_relaxed);
	dev->data->rx_queues[queue_id] = rxq;
	return 0;
}

void
rtap_rx_queue_free(struct rtap_rx_queue *rxq)
{
	if (rxq == NULL)
		return;
	rtap_rx_queue_stop(rxq);
	if (rxq->inflight > 0)
		rtap_rx_drain(rxq, true);
	/*
	 * Closing the ring makes the kernel cancel what is left, but later,
	 * from a work queue: the chains and the buffer ring it may still
	 * fill stay with it, not freed (counted in ierrors at the stop).
	 */
	if (rxq->inflight > 0)
		RTAP_LOG(ERR, "Rx queue %u released with %u reads in flight: their buffers are left to the kernel",
			 rxq->queue_id, rxq->inflight);
	else
		rtap_free(rxq->br);
	io_uring_queue_exit(&rxq->ring);
	if (rxq->own_fd >= 0)
		close(rxq->own_fd);
	rtap_free(rxq->fresh);
	rtap_free(rxq->iovs);
	rtap_free(rxq->idle);
	rtap_free(rxq->slots);
	rtap_free(rxq);
}

void
rtap_rx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id)
{
	rtap_rx_queue_free(dev->data->rx_queues[queue_id]);
	dev->data->rx_queues[queue_id] = NULL;
}

void
rtap_queues_release(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		rtap_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		rtap_tx_queue_release(dev, i);
}

/*
 * A secondary process's copy of a queue: the same settings, its own ring
 * on its own copy of the kernel queue's fd, started at once.
 */
struct rtap_rx_queue *
rtap_rx_queue_clone(struct rte_eth_dev *dev, const struct rtap_rx_queue *orig,
		int fd)
{
	struct rtap_rx_queue *rxq;

	if (rtap_rxq_alloc(&rxq, orig->nb_desc, orig->max_segs, fd,
			   SOCKET_ID_ANY) < 0) {
		close(fd);
		return NULL;
	}
	rxq->own_fd = fd;
	rxq->mp = orig->mp;
	rxq->lro = orig->lro;
	rxq->lro_max = orig->lro_max;
	rxq->csum_tcp = orig->csum_tcp;
	rxq->csum_udp = orig->csum_udp;
	rxq->csum_ip = orig->csum_ip;
	rxq->seg_room = orig->seg_room;
	rxq->hdr_len = orig->hdr_len;
	rxq->port_id = orig->port_id;
	rxq->queue_id = orig->queue_id;
	if (rtap_rxq_start(dev, rxq, dev->data->mtu) < 0) {
		rtap_rx_queue_free(rxq);
		return NULL;
	}
	return rxq;
}

/*
 * Tx
 */

/* A completed write of slot: sent whole, or an error. */
static inline void
rtap_tx_count(struct rtap_tx_queue *txq, const struct rtap_tx_slot *slot, int res)
{
	if (likely(res == (int)(slot->len + txq->hdr_len))) {
		txq->stats.packets++;
		txq->stats.bytes += slot->len;
	} else {
		RTAP_TX_LOG(DEBUG, "tx queue %u: write returned %d",
			    txq->queue_id, res);
		txq->stats.errors++;
	}
}

/* Completed writes, up to max: count them, free their mbufs in bulk. */
static inline uint32_t
rtap_tx_reap(struct rtap_tx_queue *txq, uint32_t max)
{
	struct io_uring_cqe *cqes[RTAP_CQE_BATCH];
	struct rte_mbuf *done[RTAP_CQE_BATCH * 2];
	uint32_t n, i, nb_done, reaped = 0;

	rtap_ring_flush(&txq->ring);
	do {
		n = io_uring_peek_batch_cqe(&txq->ring, cqes,
					    RTE_MIN(max - reaped, (uint32_t)RTAP_CQE_BATCH));
		nb_done = 0;
		for (i = 0; i < n; i++) {
			uint32_t s = (uint32_t)cqes[i]->user_data;
			struct rtap_tx_slot *slot = &txq->slots[s];

			rtap_tx_count(txq, slot, cqes[i]->res);
			done[nb_done++] = slot->pkt;
			if (slot->hdr != NULL)
				done[nb_done++] = slot->hdr;
			slot->pkt = NULL;
			slot->hdr = NULL;
			txq->idle[txq->nb_idle++] = s;
		}
		if (n > 0) {
			io_uring_cq_advance(&txq->ring, n);
			txq->inflight -= n;
			rte_pktmbuf_free_bulk(done, nb_done);
		}
		reaped += n;
	} while (n == RTAP_CQE_BATCH && reaped < max);
	return reaped;
}

/* Mbuf offload requests the Tx path acts on. */
#define RTAP_TX_SEG_MASK	(RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)
#define RTAP_TX_OL_MASK		(RTE_MBUF_F_TX_L4_MASK | RTAP_TX_SEG_MASK | \
				 RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_OUTER_UDP_CKSUM)

/* Offset of the (inner) L3 header. */
static inline uint32_t
rtap_tx_l3_off(const struct rte_mbuf *m)
{
	uint32_t off = m->l2_len;

	if (m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK)
		off += m->outer_l2_len + m->outer_l3_len;
	return off;
}

/*
 * An IPv4 header whose checksum the driver is to compute: whole in the
 * first segment and as long as l3_len says.
 */
static inline bool
rtap_tx_ip_valid(const struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip;
	uint32_t off = rtap_tx_l3_off(m);

	if (!(m->ol_flags & RTE_MBUF_F_TX_IPV4) ||
	    m->l3_len < sizeof(*ip) || m->l3_len % 4 != 0 ||
	    off + m->l3_len > m->data_len)
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, off);
	return ip->version_ihl == (0x40 | (m->l3_len / 4));
}

/*
 * Tunnel TSO. In DPDK's convention l2_len counts the outer UDP header, the
 * tunnel header and the inner Ethernet header. The kernel wants NEEDS_CSUM
 * on the inner TCP header (csum_start), the outer UDP header and the inner
 * IP header at the long header's offsets (rtap_tx_tnl_hdr), and it cuts and
 * fixes both IP headers itself. Returns the length of the headers.
 */
static int
rtap_tx_tnl_offload(const struct rte_mbuf *m, struct virtio_net_hdr *vh)
{
	uint64_t ol = m->ol_flags, tnl = ol & RTE_MBUF_F_TX_TUNNEL_MASK;
	bool outer6 = !!(ol & RTE_MBUF_F_TX_OUTER_IPV6), inner6 = !!(ol & RTE_MBUF_F_TX_IPV6);
	uint32_t inner_th = m->outer_l2_len + m->outer_l3_len + m->l2_len + m->l3_len;
	uint32_t hdr_len = inner_th + m->l4_len;

	if ((tnl != RTE_MBUF_F_TX_TUNNEL_VXLAN && tnl != RTE_MBUF_F_TX_TUNNEL_GENEVE) ||
	    outer6 == !!(ol & RTE_MBUF_F_TX_OUTER_IPV4) ||
	    inner6 == !!(ol & RTE_MBUF_F_TX_IPV4) ||
	    m->tso_segsz == 0 || m->outer_l2_len < RTE_ETHER_HDR_LEN ||
	    m->outer_l3_len < (outer6 ? sizeof(struct rte_ipv6_hdr) :
			       sizeof(struct rte_ipv4_hdr)) ||
	    m->l2_len < sizeof(struct rte_udp_hdr) + 8 + RTE_ETHER_HDR_LEN ||
	    m->l3_len < (inner6 ? sizeof(struct rte_ipv6_hdr) :
			 sizeof(struct rte_ipv4_hdr)) ||
	    m->l4_len < sizeof(struct rte_tcp_hdr) ||
	    hdr_len > m->data_len || hdr_len >= m->pkt_len)
		return -1;
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	if (ol & RTE_MBUF_F_TX_OUTER_UDP_CKSUM)
		vh->flags |= VIRTIO_NET_HDR_F_UDP_TUNNEL_CSUM;
	vh->gso_type = (inner6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4) |
		(outer6 ? VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6 :
		 VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4);
	vh->gso_size = m->tso_segsz;
	vh->hdr_len = hdr_len;
	vh->csum_start = inner_th;
	vh->csum_offset = offsetof(struct rte_tcp_hdr, cksum);
	return hdr_len;
}

/* The long header: the short one, then the tunnel offsets if any. */
static inline void
rtap_tx_tnl_hdr(char *to, const struct virtio_net_hdr *vh, const struct rte_mbuf *m)
{
	struct rtap_vnet_tnl_hdr *th = (struct rtap_vnet_tnl_hdr *)to;
	uint16_t outer_th = 0, inner_nh = 0;

	if (vh->gso_type & RTAP_GSO_TUNNEL) {
		outer_th = m->outer_l2_len + m->outer_l3_len;
		inner_nh = outer_th + m->l2_len;
	}
	memset(th, 0, sizeof(*th));
	th->hdr = *vh;
	th->outer_th_offset = rte_cpu_to_le_16(outer_th);
	th->inner_nh_offset = rte_cpu_to_le_16(inner_nh);
}

/*
 * The outer UDP checksum of a tunnel super-packet. Asked for, the kernel
 * computes each segment's from the pseudo-header sum in the field, with
 * the super-packet's UDP length (as for the TCP one); else it copies the
 * field into every segment: 0, no checksum. Whatever the application left
 * there is replaced.
 */
static inline void
rtap_tx_tnl_fixup(char *frame, const struct rte_mbuf *m)
{
	uint32_t l3 = m->outer_l2_len, l4 = l3 + m->outer_l3_len;
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(frame + l4);
	bool v6 = !!(m->ol_flags & RTE_MBUF_F_TX_OUTER_IPV6);
	uint32_t sum;

	if (!(m->ol_flags & RTE_MBUF_F_TX_OUTER_UDP_CKSUM)) {
		uh->dgram_cksum = 0;
		return;
	}
	/* Source and destination addresses are contiguous in both. */
	sum = rte_raw_cksum(frame + l3 + (v6 ? offsetof(struct rte_ipv6_hdr, src_addr) :
					  offsetof(struct rte_ipv4_hdr, src_addr)),
			    v6 ? 32 : 8);
	sum += rte_cpu_to_be_16(IPPROTO_UDP) +
		rte_cpu_to_be_16((uint16_t)(m->pkt_len - l4));
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	uh->dgram_cksum = (uint16_t)sum;
}

/*
 * The virtio-net header for the offloads an mbuf asks for. Returns the
 * length of the headers the driver must patch before the kernel sees them
 * (segmentation, IPv4 header checksum), 0 when nothing needs patching, or
 * -1 for a request the kernel cannot carry out.
 */
static inline int
rtap_tx_offload(const struct rte_mbuf *m, struct virtio_net_hdr *vh)
{
	uint64_t ol = m->ol_flags;
	uint32_t off = rtap_tx_l3_off(m) + m->l3_len;
	uint32_t hdr_len, ip_end = 0;

	if (ol & RTE_MBUF_F_TX_TUNNEL_MASK) {
		if (ol & RTE_MBUF_F_TX_TCP_SEG)
			return rtap_tx_tnl_offload(m, vh);
		/* One checksum per header: not the outer UDP one as well. */
		if (ol & RTE_MBUF_F_TX_OUTER_UDP_CKSUM)
			return -1;
	}
	/* The kernel leaves the IPv4 header checksum to the sender. */
	if (ol & RTE_MBUF_F_TX_IP_CKSUM) {
		if (!rtap_tx_ip_valid(m))
			return -1;
		ip_end = off;
	}
	if (ol & RTAP_TX_SEG_MASK) {
		bool udp = !(ol & RTE_MBUF_F_TX_TCP_SEG);

		if ((ol & RTAP_TX_SEG_MASK) == RTAP_TX_SEG_MASK ||
		    m->tso_segsz == 0 ||
		    !(ol & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6)) ||
		    (!udp && m->l4_len < sizeof(struct rte_tcp_hdr)) ||
		    (udp && (m->l4_len != sizeof(struct rte_udp_hdr) ||
			     (ol & RTE_MBUF_F_TX_TUNNEL_MASK))))
			return -1;
		hdr_len = off + m->l4_len;
		if (hdr_len > m->data_len || hdr_len >= m->pkt_len)
			return -1;
		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		if (udp)
			vh->gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
		else
			vh->gso_type = (ol & RTE_MBUF_F_TX_IPV6) ?
				VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
		vh->gso_size = m->tso_segsz;
		vh->hdr_len = hdr_len;
		vh->csum_start = off;
		vh->csum_offset = udp ? offsetof(struct rte_udp_hdr, dgram_cksum) :
			offsetof(struct rte_tcp_hdr, cksum);
		return hdr_len;
	}
	switch (ol & RTE_MBUF_F_TX_L4_MASK) {
	case RTE_MBUF_F_TX_TCP_CKSUM:
		vh->csum_offset = offsetof(struct rte_tcp_hdr, cksum);
		hdr_len = off + sizeof(struct rte_tcp_hdr);
		break;
	case RTE_MBUF_F_TX_UDP_CKSUM:
		vh->csum_offset = offsetof(struct rte_udp_hdr, dgram_cksum);
		hdr_len = off + sizeof(struct rte_udp_hdr);
		break;
	case RTE_MBUF_F_TX_L4_NO_CKSUM:
		return ip_end;	/* the IPv4 header checksum only */
	default:
		return -1;	/* SCTP: not in the virtio-net header */
	}
	if (hdr_len > m->data_len || hdr_len > m->pkt_len)
		return -1;
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = off;
	return ip_end;
}

/* Add len to the 16-bit one's complement sum at field (network order). */
static inline void
rtap_cksum_add(rte_be16_t *field, uint32_t len)
{
	uint32_t sum = *field;

	sum += rte_cpu_to_be_16((uint16_t)len);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	*field = (uint16_t)sum;
}

/*
 * Patch the headers at hdr (the frame itself, or a copy of its first bytes)
 * as the kernel must see them. The IPv4 header checksum, which the kernel
 * neither computes nor, once it segments, needs: each segment's is made
 * anew, but a super-packet delivered whole is checked by its IP stack.
 * For segmentation, DPDK's pseudo-header checksum leaves out the length
 * and the kernel's expects it in: for TCP its segmentation adds each
 * segment's length to what the field holds minus the whole's, for UDP it
 * takes out the length in the UDP header, so that is set to the whole's.
 * A tunnel super-packet's outer UDP checksum, too.
 */
static inline void
rtap_tx_patch(char *hdr, const struct rte_mbuf *m, const struct virtio_net_hdr *vh)
{
	uint32_t l4_len = m->pkt_len - vh->csum_start;

	if (m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) {
		struct rte_ipv4_hdr *ip =
			(struct rte_ipv4_hdr *)(hdr + rtap_tx_l3_off(m));

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (vh->gso_type == VIRTIO_NET_HDR_GSO_UDP_L4) {
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(hdr + vh->csum_start);

		uh->dgram_len = rte_cpu_to_be_16((uint16_t)l4_len);
		rtap_cksum_add(&uh->dgram_cksum, l4_len);
	} else if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(hdr + vh->csum_start);

		rtap_cksum_add(&th->cksum, l4_len);
	}
	if (vh->gso_type & RTAP_GSO_TUNNEL)
		rtap_tx_tnl_fixup(hdr, m);
}

/* An mbuf chain the kernel can take: lengths and segment count agree. */
static inline bool
rtap_tx_valid(const struct rte_mbuf *m)
{
	const struct rte_mbuf *seg;
	uint32_t len = 0;
	uint16_t segs = 0;

	if (unlikely(m->pkt_len < RTE_ETHER_HDR_LEN ||
		     m->pkt_len > ((m->ol_flags & RTAP_TX_SEG_MASK) ?
				   RTAP_MAX_TSO_PKTLEN : RTAP_MAX_RX_PKTLEN) ||
		     m->nb_segs == 0 || m->nb_segs > RTAP_MAX_TX_SEGS))
		return false;
	if (likely(m->nb_segs == 1))
		return m->next == NULL && m->data_len == m->pkt_len;
	for (seg = m; seg != NULL && segs <= RTAP_MAX_TX_SEGS; seg = seg->next) {
		len += seg->data_len;
		segs++;
	}
	return seg == NULL && segs == m->nb_segs && len == m->pkt_len;
}

/* Mbuf flags the Tx path acts on or that only describe the packet. */
#define RTAP_TX_OL_KNOWN	(RTAP_TX_OL_MASK | RTE_MBUF_F_TX_IPV4 | \
				 RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_OUTER_IPV4 | \
				 RTE_MBUF_F_TX_OUTER_IPV6 | RTE_MBUF_F_TX_TUNNEL_MASK)

/*
 * Whether the offloads an mbuf asks for are enabled: the driver could
 * carry out some that were not, but the application would then depend on
 * what it never configured.
 */
static inline bool
rtap_tx_ol_enabled(uint64_t ol, uint64_t enabled)
{
	uint64_t need = 0;

	/* DPDK's TSO asks for the IPv4 header checksum as part of it. */
	if ((ol & RTE_MBUF_F_TX_IP_CKSUM) && !(ol & RTAP_TX_SEG_MASK))
		need |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
	if ((ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_TCP_CKSUM)
		need |= RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
	if ((ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_UDP_CKSUM)
		need |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	if ((ol & RTE_MBUF_F_TX_TCP_SEG) && !(ol & RTE_MBUF_F_TX_TUNNEL_MASK))
		need |= RTE_ETH_TX_OFFLOAD_TCP_TSO;
	if ((ol & RTE_MBUF_F_TX_TCP_SEG) &&
	    (ol & RTE_MBUF_F_TX_TUNNEL_MASK) == RTE_MBUF_F_TX_TUNNEL_VXLAN)
		need |= RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO;
	if ((ol & RTE_MBUF_F_TX_TCP_SEG) &&
	    (ol & RTE_MBUF_F_TX_TUNNEL_MASK) == RTE_MBUF_F_TX_TUNNEL_GENEVE)
		need |= RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO;
	if (ol & RTE_MBUF_F_TX_OUTER_UDP_CKSUM)
		need |= RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM;
	if (ol & RTE_MBUF_F_TX_UDP_SEG)
		need |= RTE_ETH_TX_OFFLOAD_UDP_TSO;
	return (need & ~enabled) == 0;
}

/*
 * The pseudo-header checksum that the kernel completes from csum_start,
 * without the length for segmentation (as DPDK's TSO convention has it:
 * tx_burst adds it), put in the L4 header unless the buffer is shared.
 */
static inline void
rtap_tx_phdr(struct rte_mbuf *m, const struct virtio_net_hdr *vh)
{
	uint64_t flags = vh->gso_type != VIRTIO_NET_HDR_GSO_NONE ?
		RTE_MBUF_F_TX_TCP_SEG : 0;
	const void *l3;
	rte_be16_t *field;

	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || !RTE_MBUF_DIRECT(m) ||
	    rte_mbuf_refcnt_read(m) != 1)
		return;
	l3 = rte_pktmbuf_mtod_offset(m, const void *, vh->csum_start - m->l3_len);
	field = rte_pktmbuf_mtod_offset(m, rte_be16_t *,
					vh->csum_start + vh->csum_offset);
	if (m->ol_flags & RTE_MBUF_F_TX_IPV4)
		*field = rte_ipv4_phdr_cksum(l3, flags);
	else
		*field = rte_ipv6_phdr_cksum(l3, flags);
}

/*
 * Before the burst: refuse what tx_burst would drop (rte_errno EINVAL) and
 * what the port cannot do or was not configured for (ENOTSUP), and put in
 * the pseudo-header checksums. Nothing here touches the queue's ring.
 */
uint16_t
rtap_tx_prepare(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct rtap_tx_queue *txq = queue;
	uint16_t i;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];
		struct virtio_net_hdr vh = { 0 };
		uint64_t ol = m->ol_flags;

		if ((ol & RTE_MBUF_F_TX_OFFLOAD_MASK & ~RTAP_TX_OL_KNOWN) ||
		    (ol & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_SCTP_CKSUM ||
		    !rtap_tx_ol_enabled(ol, txq->offloads)) {
			rte_errno = ENOTSUP;
			return i;
		}
		if (!rtap_tx_valid(m) ||
		    ((ol & (RTE_MBUF_F_TX_L4_MASK | RTAP_TX_SEG_MASK)) &&
		     !(ol & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6))) ||
		    ((ol & RTAP_TX_OL_MASK) && rtap_tx_offload(m, &vh) < 0)) {
			rte_errno = EINVAL;
			return i;
		}
		rtap_tx_phdr(m, &vh);
	}
	return i;
}

uint16_t
rtap_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct rtap_tx_queue *txq = queue;
	uint16_t i, queued = 0;

	/* Stopped: the application keeps its packets, as with a full ring. */
	if (unlikely(!txq->started))
		return 0;
	if (unlikely(txq->sq_pending))
		rtap_ring_submit(&txq->ring, &txq->sq_pending);
	/* Always: a transmit-only application must get its mbufs back. */
	rtap_tx_reap(txq, UINT32_MAX);

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i], *h = NULL, *seg;
		struct virtio_net_hdr vnet = { 0 };
		struct io_uring_sqe *sqe;
		struct rtap_tx_slot *slot;
		uint32_t s, len = m->pkt_len, skip = 0;
		int patch = 0;
		uint16_t nb_iov;
		char *vh;

		if (m->ol_flags & RTAP_TX_OL_MASK)
			patch = rtap_tx_offload(m, &vnet);
		/* Only the long header carries the tunnel offsets. */
		if (unlikely(vnet.gso_type & RTAP_GSO_TUNNEL) &&
		    txq->hdr_len < RTAP_VNET_TNL_HDR_LEN)
			patch = -1;
		if (unlikely(patch < 0 || !rtap_tx_valid(m))) {
			RTAP_TX_LOG(DEBUG, "tx queue %u: malformed mbuf dropped",
				    txq->queue_id);
			txq->stats.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (unlikely(txq->nb_idle == 0))
			break;
		/*
		 * The header goes in the headroom only if nobody else sees
		 * the buffer; else in a header mbuf, which then also carries
		 * a copy of the headers that must be patched.
		 */
		if (!RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1 ||
		    rte_pktmbuf_headroom(m) < txq->hdr_len) {
			/* A clone's own pool often has no data room. */
			h = rte_pktmbuf_alloc(RTE_MBUF_CLONED(m) ?
					rte_mbuf_from_indirect(m)->pool : m->pool);
			if (unlikely(h == NULL)) {
				txq->xstats.nombuf++;
				break;
			}
			if (unlikely(rte_pktmbuf_tailroom(h) <
				     txq->hdr_len + (unsigned int)patch)) {
				RTAP_TX_LOG(DEBUG, "tx queue %u: no room for the headers",
					    txq->queue_id);
				rte_pktmbuf_free(h);
				txq->stats.errors++;
				rte_pktmbuf_free(m);
				continue;
			}
		}
		sqe = io_uring_get_sqe(&txq->ring);
		if (unlikely(sqe == NULL)) {
			rte_pktmbuf_free(h);
			break;
		}
		if (h == NULL) {
			if (patch > 0)
				rtap_tx_patch(rte_pktmbuf_mtod(m, char *), m,
					      &vnet);
		} else {
			vh = rte_pktmbuf_mtod(h, char *);
			if (patch > 0) {
				skip = patch;
				rte_memcpy(vh + txq->hdr_len,
					   rte_pktmbuf_mtod(m, char *), skip);
				rtap_tx_patch(vh + txq->hdr_len, m, &vnet);
			}
		}
		rtap_xstats_count(&txq->xstats, m);
		if (vnet.gso_type != VIRTIO_NET_HDR_GSO_NONE)
			txq->xstats.gso++;
		else if (vnet.flags != 0)
			txq->xstats.csum_good++;

		s = txq->idle[--txq->nb_idle];
		slot = &txq->slots[s];
		slot->pkt = m;
		slot->hdr = h;
		slot->len = len;
		vh = h == NULL ? rte_pktmbuf_prepend(m, txq->hdr_len) :
			rte_pktmbuf_mtod(h, char *);
		/* Constant sizes: the short header costs what it did. */
		if (likely(txq->hdr_len == RTAP_VNET_HDR_LEN))
			memcpy(vh, &vnet, sizeof(vnet));
		else
			rtap_tx_tnl_hdr(vh, &vnet, m);
		if (h == NULL && m->nb_segs == 1) {
			io_uring_prep_write(sqe, txq->ring_fd, vh,
					    m->data_len, 0);
		} else {
			nb_iov = 0;
			if (h != NULL) {
				slot->iov[0].iov_base = vh;
				slot->iov[0].iov_len = txq->hdr_len + skip;
				nb_iov = 1;
			}
			for (seg = m; seg != NULL; seg = seg->next) {
				if (seg->data_len <= skip) {
					skip -= seg->data_len;
					continue;
				}
				slot->iov[nb_iov].iov_base =
					rte_pktmbuf_mtod_offset(seg, char *, skip);
				slot->iov[nb_iov].iov_len = seg->data_len - skip;
				skip = 0;
				nb_iov++;
			}
			io_uring_prep_writev(sqe, txq->ring_fd, slot->iov,
					     nb_iov, 0);
		}
		sqe->flags |= txq->sqe_flags;
		sqe->user_data = s;
		queued++;
	}
	if (queued > 0) {
		txq->inflight += queued;
		rtap_ring_submit(&txq->ring, &txq->sq_pending);
		/* Writes to a tap usually complete inside the submit. */
		rtap_tx_reap(txq, UINT32_MAX);
	}
	return i;
}

/*
 * Slots are taken in the order they come free: from the next one on, the
 * free ones and those whose write completed are DONE, the rest FULL.
 */
int
rtap_tx_descriptor_status(void *queue, uint16_t offset)
{
	struct rtap_tx_queue *txq = queue;

	if (unlikely(txq == NULL || offset >= txq->nb_desc))
		return -EINVAL;
	rtap_ring_flush(&txq->ring);
	return offset < txq->nb_idle + io_uring_cq_ready(&txq->ring) ?
		RTE_ETH_TX_DESC_DONE : RTE_ETH_TX_DESC_FULL;
}

/* Writes the kernel did not take are submitted; the completed ones freed. */
int
rtap_tx_done_cleanup(void *queue, uint32_t free_cnt)
{
	struct rtap_tx_queue *txq = queue;

	if (unlikely(txq == NULL))
		return -EINVAL;
	if (txq->sq_pending)
		rtap_ring_submit(&txq->ring, &txq->sq_pending);
	return rtap_tx_reap(txq, free_cnt == 0 ? UINT32_MAX : free_cnt);
}

/* A write that completed as the queue stops was sent all the same. */
static void
rtap_tx_cancelled(void *q, uint64_t udata, int res)
{
	struct rtap_tx_queue *txq = q;
	struct rtap_tx_slot *slot = &txq->slots[udata];

	rtap_tx_count(txq, slot, res);
	rte_pktmbuf_free(slot->pkt);
	if (slot->hdr != NULL)
		rte_pktmbuf_free(slot->hdr);
	slot->pkt = NULL;
	slot->hdr = NULL;
	txq->idle[txq->nb_idle++] = (uint32_t)udata;
}

void
rtap_tx_queue_stop(struct rtap_tx_queue *txq)
{
	uint64_t *pending;
	uint32_t i, nb = 0;

	txq->started = false;
	rtap_tx_reap(txq, UINT32_MAX);
	if (txq->inflight == 0)
		return;
	pending = malloc(sizeof(*pending) * txq->nb_desc);
	if (pending != NULL)
		for (i = 0; i < txq->nb_desc; i++)
			if (txq->slots[i].pkt != NULL)
				pending[nb++] = i;
	rtap_ring_cancel(&txq->ring, &txq->inflight, &txq->sq_pending,
			 rtap_tx_cancelled, txq, pending, nb);
	free(pending);
}

/* A queue's memory and ring, or -errno (the ring's own error if it fails). */
static int
rtap_txq_alloc(struct rtap_tx_queue **out, uint16_t nb_desc, int fd, int socket_id)
{
	struct rtap_tx_queue *txq;
	uint16_t s;
	int ret = -ENOMEM;

	txq = rtap_zalloc("rtap_txq", sizeof(*txq), RTE_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->own_fd = -1;
	txq->slots = rtap_zalloc("rtap_tx_slots",
			sizeof(*txq->slots) * nb_desc, RTE_CACHE_LINE_SIZE, socket_id);
	txq->idle = rtap_zalloc("rtap_tx_idle",
			sizeof(*txq->idle) * nb_desc, RTE_CACHE_LINE_SIZE, socket_id);
	if (txq->slots != NULL && txq->idle != NULL)
		ret = rtap_ring_init(&txq->ring, nb_desc, fd, &txq->ring_fd,
				     &txq->sqe_flags);
	if (ret < 0) {
		rtap_free(txq->idle);
		rtap_free(txq->slots);
		rtap_free(txq);
		return ret;
	}
	for (s = 0; s < nb_desc; s++)
		txq->idle[s] = nb_desc - 1 - s;
	txq->nb_idle = nb_desc;
	txq->nb_desc = nb_desc;
	*out = txq;
	return 0;
}

int
rtap_tx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_txconf *tx_conf)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rtap_tx_queue *txq;
	uint16_t kq;
	int ret;

	/*
	 * Tx queues beyond the Rx count share the Rx queues' kernel queues:
	 * an fd no Rx queue reads would take its share of the kernel's
	 * frames, for nobody. Writes from several rings to one fd are safe.
	 */
	kq = pmd->nb_queues > 0 ? queue_id % pmd->nb_queues : 0;
	if (pmd->nb_queues == 0 || pmd->fds[kq] < 0) {
		RTAP_LOG(ERR, "port %u: Tx queue %u has no kernel queue: configure first",
			 dev->data->port_id, queue_id);
		return -EINVAL;
	}
	ret = rtap_txq_alloc(&txq, nb_desc, pmd->fds[kq], socket_id);
	if (ret < 0)
		return ret;
	txq->hdr_len = pmd->vnet_hdr_len;
	txq->port_id = dev->data->port_id;
	txq->queue_id = queue_id;
	txq->kq = kq;
	txq->deferred = tx_conf->tx_deferred_start != 0;
	txq->offloads = dev->data->dev_conf.txmode.offloads | tx_conf->offloads;
	txq->gen = rte_atomic_load_explicit(&pmd->gen, rte_memory_order_relaxed);
	dev->data->tx_queues[queue_id] = txq;
	return 0;
}

void
rtap_tx_queue_free(struct rtap_tx_queue *txq)
{
	if (txq == NULL)
		return;
	rtap_tx_queue_stop(txq);
	io_uring_queue_exit(&txq->ring);
	if (txq->own_fd >= 0)
		close(txq->own_fd);
	rtap_free(txq->idle);
	rtap_free(txq->slots);
	rtap_free(txq);
}

void
rtap_tx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id)
{
	rtap_tx_queue_free(dev->data->tx_queues[queue_id]);
	dev->data->tx_queues[queue_id] = NULL;
}

/* A secondary process's copy of a queue, on its own copy of the fd. */
struct rtap_tx_queue *
rtap_tx_queue_clone(const struct rtap_tx_queue *orig, int fd)
{
	struct rtap_tx_queue *txq;

	if (rtap_txq_alloc(&txq, orig->nb_desc, fd, SOCKET_ID_ANY) < 0) {
		close(fd);
		return NULL;
	}
	txq->own_fd = fd;
	txq->offloads = orig->offloads;
	txq->hdr_len = orig->hdr_len;
	txq->port_id = orig->port_id;
	txq->queue_id = orig->queue_id;
	txq->kq = orig->kq;
	txq->started = true;
	return txq;
}
