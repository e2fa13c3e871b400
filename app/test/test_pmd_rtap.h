/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * What the net_rtap test suites share: a test context that the per-case
 * teardown undoes, bounded waits, the kernel side of an interface
 * (ioctl, rtnetlink, network namespaces, AF_PACKET), test frames, and
 * port bring-up and checks.  Functions that check something print what
 * they expected and what they saw, and return 0 or -1.
 */

#ifndef _TEST_PMD_RTAP_H_
#define _TEST_PMD_RTAP_H_

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_thread.h>

#include "test_pmd_rtap_compat.h"

#define RTAP_DRV		"net_rtap"
#define RTAP_MAX_QUEUES		128
#define RTAP_MIN_MTU		68
#define RTAP_MAX_MTU		9216

/* IEEE 802 local experimental ethertype: nothing in the kernel answers it */
#define TEST_ETHERTYPE		0x88b5
#define TEST_MAGIC		0x52544150u	/* "RTAP" */
#define WARM_SEQ		0xfff00000u	/* frames used to probe the path */

#define NB_MBUF			4096
#define NB_RXD			512
#define NB_TXD			512
#define BURST			32
#define WAIT_MS			2000
#define QUIET_MS		100
#define FRAME_BUF		16384
#define MAX_BATCH		4096
#define MAX_FLOWS		256
#define JUMBO_MTU		9000
#define JUMBO_FRAME		(JUMBO_MTU + RTE_ETHER_HDR_LEN)
#define SOCK_BUF		(4 * 1024 * 1024)
#define TX_MAX_SEGS		32	/* tx_desc_lim.nb_seg_max */

#define CTX_MAX_VDEV		8
#define CTX_MAX_IF		8
#define CTX_MAX_POOL		4
#define CTX_MAX_SOCK		4

/*
 * Everything a test creates is recorded here so that the per-test teardown
 * (ctx_teardown) can undo it even when an assertion returns early.
 */
struct test_ctx {
	char vdev[CTX_MAX_VDEV][RTE_DEV_NAME_MAX_LEN];
	char ifname[CTX_MAX_IF][IF_NAMESIZE];
	struct rte_mempool *pool[CTX_MAX_POOL];
	int sock[CTX_MAX_SOCK];
	int home_ns;		/* network namespace to return to, or -1 */
	int other_ns;		/* a second namespace of the test, or -1 */
	rte_thread_t thread;	/* a helper thread of the test ... */
	bool thread_live;	/* ... joined at teardown if still there */
};

/*
 * The driver's extended statistics of one queue, in the order it lists
 * them (all Rx queues first, then all Tx queues), and what the test
 * expects in them, counted from the traffic it polled and sent.
 */
#define XS_NB_RX		15
#define XS_NB_TX		14
#define XS_MAX_Q		4
#define XS_NB_SIZES		7	/* the size buckets come first */
#define XS_BCAST		7
#define XS_MCAST		8
#define XS_UCAST		9
#define XS_RX_LRO		10
#define XS_RX_GOOD		11
#define XS_RX_NONE		12
#define XS_RX_BAD		13
#define XS_TX_TSO		10
#define XS_TX_CSUM		11
#define XS_TX_MULTISEG		12

struct xs_tally {
	uint64_t rx[XS_MAX_Q][XS_NB_RX];
	uint64_t tx[XS_MAX_Q][XS_NB_TX];
};

/* A batch of test frames, sequence numbers base to base + nb - 1. */
#define TEST_BATCH \
	uint32_t base; \
	uint32_t nb; \
	const uint32_t *len;	/* length of each frame, or NULL */ \
	uint32_t fixed_len;	/* length of every frame when len is NULL */ \
	const struct rte_ether_addr *dst; /* per frame; NULL: broadcast */ \
	uint32_t got; \
	uint32_t other;		/* test frames from outside the batch */ \
	int err; \
	uint8_t seen[MAX_BATCH]

struct batch {
	TEST_BATCH;
};

/* Frames received on the DPDK side, checked against what was injected. */
struct rx_track {
	union {
		struct batch b;
		struct { TEST_BATCH; };
	};
	uint16_t port;
	uint32_t nb_flows;	/* 0: raw frames, else IPv4/UDP flows */
	uint32_t single_max;	/* if set: frames up to this are one segment */
	uint32_t chain_min;	/* if set: frames over this are chains */
	struct rte_mbuf **keep;	/* if set, frames are stored, not freed */
	struct xs_tally *tally;	/* if set, every mbuf polled is counted */
	uint32_t per_queue[RTAP_MAX_QUEUES];
	uint16_t flow_queue[MAX_FLOWS];
};

/* Frames captured on the kernel side, checked against what was sent. */
struct cap_track {
	union {
		struct batch b;
		struct { TEST_BATCH; };
	};
};

/* An rtnetlink request under construction */
struct nl_req {
	struct nlmsghdr nh;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct ndmsg nd;
	} u;
	char attrs[256];
};

/* Link status change callbacks counted, from the EAL interrupt thread. */
struct lsc_state {
	uint16_t port;
	RTE_ATOMIC(uint32_t) calls;
	RTE_ATOMIC(uint32_t) stray;	/* calls for another port or event */
};

#define TCP_MSS			1460
#define BIG_BUF			(UINT16_MAX + 128)

/* An Ethernet / IPv4 or IPv6 / TCP or UDP frame, as built or parsed. */
struct l4_frame {
	struct rte_ether_addr dmac;
	struct rte_ether_addr smac;
	bool ipv6;
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t ttl;
	uint8_t tcp_flags;
	uint16_t mss;		/* build: TCP MSS option if not 0 */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	const uint8_t *src;
	const uint8_t *dst;
	uint32_t stream_off;	/* build: payload from this stream offset */
	uint64_t ol_flags;	/* build: for the pseudo-header checksum */
	bool phdr;		/* build: pseudo-header checksum, not full */
	uint32_t l3_off;	/* parse: offsets in the frame */
	uint32_t l4_off;
	uint32_t data_off;
	uint32_t data_len;
};

extern struct test_ctx ctx;
extern unsigned int vdev_seq;
extern uint8_t frame_buf[FRAME_BUF];
extern struct lsc_state lsc_state;
extern uint8_t big_buf[BIG_BUF];	/* super-packets in one piece */

/*
 * Inside a test's own network namespace the TAP has KERN_ADDR; DPDK plays
 * a host at HOST_ADDR and, beyond the kernel's hairpin bridge, a host at
 * FWD_ADDR.  198.18.0.0/15 is the range set aside for such test set-ups
 * and 2001:db8::/32 the IPv6 documentation prefix.
 */
extern const uint8_t kern4[4];
extern const uint8_t host4[4];
extern const uint8_t fwd4[4];
extern const uint8_t host6[16];
extern const uint8_t fwd6[16];
extern const struct rte_ether_addr host_mac;
extern const struct rte_ether_addr fwd_mac;

/* Print the message (and a newline); -1. */
int rt_err(const char *fmt, ...) __rte_format_printf(1, 2);

/* Time: a deadline ms from now, and whether it has passed */
uint64_t deadline_ms(unsigned int ms);
bool expired(uint64_t deadline);
/*
 * Is the wait for a batch over?  It is at *deadline; once the batch is
 * complete, *deadline moves to quiet_ms from then, so that a duplicate
 * arriving late is still seen.
 */
bool batch_over(bool complete, bool *quiet, uint64_t *deadline,
		unsigned int quiet_ms);

/* The test context: what ctx_teardown removes */
void ctx_add_vdev(const char *name);
void ctx_forget_vdev(const char *name);
void ctx_add_ifname(const char *name);
void ctx_forget_ifname(const char *name);
/* fd, recorded; closed and -1 if there is no room */
int ctx_add_sock(int fd);
void ctx_close_sock(int fd);
void ctx_close_socks(void);
/* A helper thread running fn(arg), joined by ctx_join or teardown. */
int ctx_thread(rte_thread_func fn, void *arg);
void ctx_join(void);
void ctx_free_pool(struct rte_mempool *mp);

/* The kernel side of an interface, by ioctl and sysfs */
int count_fds(void);	/* entries of /proc/self/fd */
int kern_flags(const char *name, unsigned int *flags);
int kern_mtu(const char *name, int *mtu);
int kern_mac(const char *name, struct rte_ether_addr *mac);
/* A kernel counter from sysfs, to explain failures; UINT64_MAX if none */
uint64_t kern_stat(const char *name, const char *what);
/* Wait until the flags in mask are all set (want) or all clear (!want). */
int wait_flags(const char *name, unsigned int mask, bool want, unsigned int ms);
int wait_if_gone(const char *name, unsigned int ms);
/* A name per process and tag, so that parallel runs do not collide */
void make_ifname(char *buf, const char *tag);
bool is_default_name(const char *name);	/* rtap<N> */
/* Index (and name) of an interface rtap<N> newer than since, or 0. */
unsigned int new_default_iface(unsigned int since, char *name);
unsigned int max_ifindex(void);

/* rtnetlink: a request of hdr_len bytes of family header, then attributes */
void nl_req_init(struct nl_req *req, unsigned short type, unsigned short flags, size_t hdr_len);
/* A request of type about the link ifindex, as `ip link` sends. */
void nl_link_req(struct nl_req *req, unsigned short type, unsigned int ifindex);
struct rtattr *nl_attr(struct nl_req *req, unsigned short type, const void *data, size_t len);
/* Close the nested attribute nest: it holds everything added since. */
void nl_nest_end(struct nl_req *req, struct rtattr *nest);
/* Send, wait (bounded) for the acknowledgement; 0 or -errno. */
int nl_transact(struct nl_req *req);
int kern_add_link(const char *name, const char *kind);
int kern_del_link(unsigned int ifindex);
/* `ip link set up` / `down` (IFF_UP in change) and the like */
int kern_set_flags(unsigned int ifindex, unsigned int flags, unsigned int change);
int kern_link_attr(unsigned int ifindex, unsigned short type, const void *data, size_t len);
/* `ip link set name`: only an interface that is down can be renamed. */
int kern_rename(unsigned int ifindex, const char *name);
/* `ip link set carrier on|off`: IFF_RUNNING goes while IFF_UP stays. */
int kern_set_carrier(unsigned int ifindex, bool on);
/*
 * `ip link set netns`: the kernel takes the link down on the way and
 * keeps its ifindex where that is free.
 */
int kern_set_netns(unsigned int ifindex, int nsfd);
/* `ip addr add` of an IPv4 (alen 4) or IPv6 (alen 16) address, no DAD. */
int kern_add_addr(unsigned int ifindex, const uint8_t *addr, size_t alen, uint8_t prefixlen);
/* `ip neigh replace ... nud permanent`: the kernel never has to ask. */
int kern_add_neigh(unsigned int ifindex, const uint8_t *addr, size_t alen,
		   const struct rte_ether_addr *mac);
/* No IPv6 link-local address, so no IPv6 traffic of the kernel's own */
void kern_ipv6_quiet(unsigned int ifindex);

/*
 * Network namespaces.  netns_enter_new moves the calling thread into one
 * of its own, which ctx_teardown leaves (netns_leave): addresses, routes
 * and TCP connections of a test stay there, and what a thread creates
 * (TAP, sockets, the driver's netlink sockets) belongs to the namespace
 * it is in.  -1 (the test is skipped) where there is none to be had.
 * netns_other makes a second one, ctx.other_ns, while the thread stays.
 */
int netns_enter_new(void);
void netns_leave(void);
int netns_switch(int nsfd);
int netns_other(void);

/*
 * AF_PACKET sockets, the kernel end of an interface.  A socket whose
 * interface goes down holds a pending ENETDOWN that fails the next send
 * or receive: pkt_clear_error reads it away.
 */
int pkt_open(const char *ifname);
void pkt_clear_error(int fd);
int pkt_send(int fd, const void *frame, size_t len);
int pkt_bypass_qdisc(int fd);

/* Test frames */
void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);
uint16_t get16(const uint8_t *p);
uint32_t get32(const uint8_t *p);
uint16_t ipv4_cksum(const uint8_t *h);
/*
 * Test frame seq of len bytes: broadcast, then either the test ethertype
 * or (nb_flows != 0) IPv4/UDP whose ports select flow seq % nb_flows,
 * then magic, sequence number and a pattern that depends on both, so
 * that any misplaced byte is caught.
 */
void frame_build(uint8_t *f, uint32_t len, uint32_t seq, uint32_t nb_flows);
/* Sequence number of a test frame; -1 for anything else. */
int frame_seq(const uint8_t *f, uint32_t len, uint32_t *seq);
int inject(int fd, uint32_t seq, uint32_t len, uint32_t nb_flows);
void dump_diff(const char *what, const uint8_t *got, const uint8_t *exp,
	       uint32_t len, uint32_t base);
/* Compare a received mbuf (chain) with the expected bytes. */
int mbuf_check(struct rte_mbuf *m, uint16_t port, const uint8_t *exp, uint32_t len);

/* Expected extended statistics of frames received and sent on queue q */
void xs_rx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m);
void xs_tx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m);

/*
 * Batches: nb frames from seq base, of length len[i] (or fixed_len),
 * injected on the kernel side and polled from the port (rx_*), or sent
 * by DPDK and captured on the kernel side (cap_*).  Polls wait until the
 * batch is in or ms elapse, then quiet_ms longer to catch duplicates.
 */
int inject_frames(int fd, uint32_t base, uint32_t nb, const uint32_t *len,
		  uint32_t fixed_len, uint32_t nb_flows);
void rx_track_init(struct rx_track *t, uint16_t port, uint32_t base,
		   uint32_t nb, const uint32_t *len, uint32_t fixed_len, uint32_t nb_flows);
void rx_account(struct rx_track *t, uint16_t q, struct rte_mbuf *m);
/* One rx_burst on each of queues 0..nb_q-1; the number of frames polled. */
unsigned int rx_poll_once(struct rx_track *t, uint16_t nb_q);
int rx_poll(struct rx_track *t, uint16_t nb_q, unsigned int ms, unsigned int quiet_ms);
/* Poll until nothing has arrived for idle_ms (at most max_ms). */
void rx_drain(struct rx_track *t, uint16_t nb_q, unsigned int idle_ms, unsigned int max_ms);
/* How many of queues 0..nb_q-1 the frames of the batch arrived on. */
uint16_t rx_queues_used(const struct rx_track *t, uint16_t nb_q);
void cap_track_init(struct cap_track *t, uint32_t base, uint32_t nb,
		    const uint32_t *len, uint32_t fixed_len);
/* One frame read into t if there is one: 1, 0 if none, -1 on error. */
int cap_recv(int fd, struct cap_track *t);
/* Read what the capture socket holds now; the number of frames, or -1. */
int cap_drain(int fd, struct cap_track *t);
int cap_poll(int fd, struct cap_track *t, unsigned int ms, unsigned int quiet_ms);

/*
 * Mbufs to transmit: frame f copied into segments of seg_len[] bytes,
 * the first starting headroom bytes into its buffer; split over nb_seg
 * segments short and growing, the last taking the rest; test frame seq.
 */
struct rte_mbuf *mbuf_build(struct rte_mempool *mp, const uint8_t *f,
			    const uint16_t *seg_len, unsigned int nb_seg, uint16_t headroom);
struct rte_mbuf *mbuf_split(struct rte_mempool *mp, const uint8_t *f,
			    uint32_t len, unsigned int nb_seg, uint16_t headroom);
struct rte_mbuf *mbuf_frame_segs(struct rte_mempool *mp, uint32_t seq,
				 uint32_t len, const uint16_t *seg_len,
				 unsigned int nb_seg, uint16_t headroom);
struct rte_mbuf *mbuf_frame(struct rte_mempool *mp, uint32_t seq, uint32_t len);
/* Transmit all of pkts, retrying while the ring is full. */
int tx_all(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n);
int tx_frames(uint16_t port, uint16_t q, struct rte_mempool *mp,
	      uint32_t base, uint32_t nb, const uint32_t *len, uint32_t fixed_len);
/* Every queue's completed transmissions reaped, by bursts of nothing. */
void tx_reap(uint16_t port, uint16_t nb_q);

/* Pools (no cache, so that avail counts are exact) and ports */
struct rte_mempool *pool_create_sized(unsigned int n, uint16_t room);
struct rte_mempool *pool_create(unsigned int n);
/*
 * Probe a port (drv: the driver name or its alias), its port id and
 * kernel interface name; IPv6 is kept off the interface.
 */
int rtap_probe(const char *drv, const char *args, char *vdev, uint16_t *port, char *ifname);
/* A port whose interface is named after tag (make_ifname). */
int probe_iface(const char *tag, char *vdev, uint16_t *port, char *ifname);
int port_setup(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	       struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd);
int port_start(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	       struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd);
/* Stop, close, and take the vdev off the bus so that its name is free. */
int port_close(uint16_t port, const char *vdev);
/* The same, the test's sockets closed first. */
int port_close_all(uint16_t port, const char *vdev);
/*
 * What a closed port must not leave behind: its interface, open files
 * beyond the fds0 there were, mbufs out of its pools.
 */
int if_gone_check(const char *ifname);
int fds_check(int fds0);
int pool_check(struct rte_mempool *mp, unsigned int avail0);
int pools_check(struct rte_mempool *mp, unsigned int avail0,
		struct rte_mempool *mp2, unsigned int avail2);
int port_close_clean(uint16_t port, const char *vdev, const char *ifname,
		     int fds0, struct rte_mempool *mp, unsigned int avail0);
/*
 * While a port runs its Rx rings hold a fixed number of mbufs: with
 * nothing held by the test and every transmission reaped, the pool has
 * want mbufs free whatever happened in between.  Fewer: mbufs leaked;
 * more: Rx descriptors lost their buffers.
 */
int pool_running_check(uint16_t port, uint16_t nb_q, struct rte_mempool *mp, unsigned int want);
/* The interface up and running, and a frame from the kernel through. */
int path_ready(uint16_t port, uint16_t nb_q, const char *ifname, int sock);
/* probe_iface, pkt_open (*sock), port_start and path_ready */
int probe_start(const char *tag, uint16_t nb_q,
		const struct rte_eth_conf *conf, struct rte_mempool *mp,
		uint16_t nb_rxd, uint16_t nb_txd, char *vdev, uint16_t *port,
		char *ifname, int *sock);

/*
 * Statistics.  Per-queue counters are read from xstats, because struct
 * rte_eth_stats does not carry them in every DPDK release: the packets
 * of a queue are the sum of its size buckets, dir_q<N>_size_*_packets.
 */
int xstats_queue_packets(uint16_t port, const char *dir, uint16_t q, uint64_t *sum);
/* Per-queue packet counters of queues 0..nb_q-1 must equal want[q]. */
int queue_counters_check(uint16_t port, const char *dir, uint16_t nb_q, const uint32_t *want);
int stats_zero(uint16_t port);
/*
 * The driver's extended statistics of queues 0..nb_q-1 must come last,
 * after ethdev's generic ones, under exactly the expected names and in
 * order, and hold what x counted; reading them by id gives the same.
 */
int xs_check(uint16_t port, uint16_t nb_q, const struct xs_tally *x);
int xstat_by_name(uint16_t port, const char *name, uint64_t *value);

/*
 * Link state.  wait_link waits until rte_eth_link_get_nowait reports the
 * link up (or down); the kernel must then agree: up is IFF_UP and
 * IFF_RUNNING.  lsc_wait waits for an LSC callback after the count was
 * since, with the link then reported up (or down): with intr_conf.lsc,
 * link_get_nowait of a started port returns what the driver's event
 * handler stored.  lsc_kern_link sets ifindex up or down from the kernel
 * side and waits for the event.
 */
int wait_link(uint16_t port, const char *ifname, bool up, unsigned int ms);
uint32_t lsc_calls(void);
int lsc_register(uint16_t port);	/* counted from zero */
int lsc_unregister(uint16_t port);
int lsc_wait(uint16_t port, const char *ifname, uint32_t since, bool up, unsigned int ms);
int lsc_kern_link(uint16_t port, const char *ifname, unsigned int ifindex, bool up);

/*
 * Payload bytes are a function of their position in the stream, without
 * a short period, so that data out of place or repeated is caught.
 */
uint8_t stream_byte(uint32_t off);

int stream_check(const uint8_t *p, uint32_t len, uint32_t off);

/*
 * Write frame fr with len payload bytes into f and return its length.
 * The L4 checksum is complete, or with phdr what an application leaves
 * there for checksum offload or TSO: the pseudo-header checksum as
 * rte_ipv4_phdr_cksum / rte_ipv6_phdr_cksum give it for fr->ol_flags.
 */
uint32_t l4_build(uint8_t *f, const struct l4_frame *fr, uint32_t len);

/* Parse an IPv4 or IPv6 TCP/UDP frame of len bytes; -1 for anything else. */
int l4_parse(const uint8_t *f, uint32_t len, struct l4_frame *fr);

/* Is the L4 checksum of a parsed frame complete and right? */
bool l4_cksum_ok(const uint8_t *f, const struct l4_frame *fr);

/* A received mbuf (chain) in one piece, or NULL if it is not consistent. */
const uint8_t * mbuf_linear(const struct rte_mbuf *m);

/*
 * Addresses and permanent neighbours on the TAP ifname in the test's
 * namespace (IPv6 too if ipv6); with forward, a bridge in hairpin mode
 * sends what DPDK sends to FWD_MAC back out of the TAP, which is how the
 * tests see what the kernel made of a frame: a port configured without Rx
 * offloads gives the TAP no checksum or segmentation offload, so on the
 * way out the kernel completes partial checksums and segments
 * super-packets itself.
 */
int kern_ip_setup(const char *ifname, bool ipv6, bool forward);

/*
 * A non-blocking kernel socket (SOCK_STREAM or SOCK_DGRAM) bound to
 * KERN_ADDR.  A TCP one is reset on close instead of lingering in the
 * namespace.
 */
int kern_socket(int type);

/*
 * The port of a test that runs in its own namespace (netns_enter_new):
 * probed there, started with conf, its TAP given addresses (IPv6 and
 * the hairpin bridge too with forward), the path proven.
 */
int ns_port_start(const char *tag, const struct rte_eth_conf *conf,
		struct rte_mempool *mp, uint16_t nb_rxd, bool forward,
		char *vdev, uint16_t *port, char *ifname, int *sock);

/* Does the port offer all the Rx (or Tx) offloads in need? */
int offload_capa_check(uint16_t port, bool rx, uint64_t need);

/*
 * The port of a Tx offload test, in the test's own namespace with its TAP
 * in a hairpin bridge: the Tx offloads in need configured, and offered;
 * the extended statistics start at 0.
 */
int tx_offload_port_start(const char *tag, uint64_t need, struct rte_mempool *mp,
		char *vdev, uint16_t *port, char *ifname, int *sock);

/*
 * A frame from HOST_ADDR to FWD_ADDR (FWD_MAC, which the bridge floods
 * back), with the pseudo-header checksum in it; a TCP one acknowledges 1
 * with PSH.  Ports, sequence number, stream offset and ol_flags are the
 * caller's.
 */
void fwd_frame_init(struct l4_frame *fr, bool ipv6, uint8_t proto);

/* Per-test setup and teardown */
int ctx_setup(void);

void ctx_teardown(void);

/* Headroom of a buffer shared with the test, filled with a marker. */
void headroom_fill(struct rte_mbuf *m, uint8_t v);

int headroom_check(const struct rte_mbuf *m, uint8_t v, const char *what);

/* A mbuf the test still holds after transmit must be as it was. */
int held_check(struct rte_mbuf *m, uint32_t seq, uint32_t len, uint16_t data_off,
		const char *what);

/* set_mtu, and the kernel's MTU of ifname (in *kmtu) is then mtu. */
int mtu_set_kern(uint16_t port, const char *ifname, uint16_t mtu, int *kmtu);

/* `ip link set name to` on the interface named from; it is then to. */
int rename_check(unsigned int ifindex, const char *from, const char *to);

/*
 * A chain of len bytes of f in segments of at most chunk bytes: at most
 * one segment more than a port takes, for the test of a chain too long.
 */
struct rte_mbuf * mbuf_chunks(struct rte_mempool *mp, const uint8_t *f, uint32_t len,
		uint16_t chunk);

/* Suite */
int test_rtap_suite_setup(void);

/*
 * A seccomp filter of the calling thread from now on (it goes with the thread): insns, or
 * system call nr failing with err.  0 or -errno.
 */
struct sock_filter;
int seccomp_filter(struct sock_filter *insns, unsigned short nb);
int seccomp_deny(unsigned int nr, int err);

/* Shared with rtap_pmd_autotest */

/* The port of a test case, and what it started from, for the checks at its close. */
struct test_port {
	char vdev[RTE_DEV_NAME_MAX_LEN];
	char ifname[IF_NAMESIZE];
	struct rte_mempool *mp;
	unsigned int avail0;
	uint16_t port;
	int sock;
	int fds0;
	struct xs_tally xs;	/* what its extended statistics must show */
};

extern struct test_port tp;

/* A pool, the counts to come back to, and a probed port tagged tag with its packet socket. */
int tp_probe(const char *tag);

/* tp_probe, then started with nb_q queue pairs and these offloads, the path proven. */
int tp_start(const char *tag, uint16_t nb_q, uint64_t rx_ol, uint64_t tx_ol, uint16_t nb_rxd);

/* Close: no interface, no open file, no mbuf out of the pool left. */
int tp_close(void);

/* What a probe that fails must leave as it was, taken before it. */
struct probe_before {
	char vdev[RTE_DEV_NAME_MAX_LEN];	/* the name to probe */
	unsigned int since;	/* highest ifindex */
	int fds;
	uint16_t nb_ports;
};

void probe_before_take(struct probe_before *b);

/*
 * The probe of b->vdev with args returned ret; it must have failed and left nothing: no port,
 * no interface (neither if1, if2 nor a kernel-named rtap<N>), no open file.
 */
int probe_failed_check(const struct probe_before *b, int ret, const char *args, const char *if1,
		const char *if2);

/* Probe with args must fail and leave nothing (probe_failed_check). */
int bad_probe(const char *args, const char *if1, const char *if2);

/*
 * The memory of a small pool between its objects (mempool headers, trailers, padding), where
 * nothing may write while the objects are in use.  Its objects, mbufs without data room, are in
 * obj[].
 */
#define GAP_OBJS		16
struct pool_gaps {
	struct rte_mempool *mp;
	void *obj[GAP_OBJS];
	uint8_t *lo;
	size_t len;
	uint8_t snap[8192];
};

int pool_gaps_take(struct pool_gaps *g, struct rte_mempool *mp);

/* Bytes outside the objects changed since pool_gaps_take; put back, for the pool's free. */
size_t pool_gaps_changed(struct pool_gaps *g);

/*
 * Frames tp sent come back through the hairpin bridge: until nb are in (then QUIET_MS longer),
 * frame key(fr) (-1: not the test's; nb or more: the test's, but none sent) must come once,
 * equal byte for byte to what want(idx, buf, false) builds.  tp.xs tallies every frame polled.
 */
int hairpin_collect(uint32_t nb, int (*key)(const struct l4_frame *fr),
		uint32_t (*want)(uint32_t idx, uint8_t *buf, bool sent));

/*
 * A Tx offload case's port tp, in a namespace of its own (skipped without one), its TAP in a
 * hairpin bridge.
 */
int hairpin_start(const char *tag, uint64_t tx_ol);

/*
 * Frames base.. of len[i] bytes from tp's kernel side arrive once, unchanged; up to single_max
 * bytes in one mbuf, over chain_min (if not 0) as a chain.
 */
int rx_frames(uint32_t base, uint32_t nb, const uint32_t *len, uint32_t single_max,
		uint32_t chain_min);

/* The kernel's and the port's MAC are both want; how says where want came from. */
int mac_check(uint16_t port, const char *ifname, const struct rte_ether_addr *want,
		const char *how);

#endif /* _TEST_PMD_RTAP_H_ */
