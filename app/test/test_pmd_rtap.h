/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * What the net_rtap test suites share: a test context that the per-case
 * teardown undoes, bounded waits, the kernel side of an interface
 * (ioctl, rtnetlink, network namespaces, AF_PACKET), test frames, and
 * port bring-up and checks.
 */

#ifndef _TEST_PMD_RTAP_H_
#define _TEST_PMD_RTAP_H_

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

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
 * can undo it even when an assertion returns early.
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
#define XS_NB_TX		13
#define XS_MAX_Q		4
/* Positions in the lists above */
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
/* Frames received on the DPDK side, checked against what was injected. */
struct rx_track {
	uint16_t port;
	uint32_t base;		/* sequence number of the first frame */
	uint32_t nb;		/* frames in the batch */
	const uint32_t *len;	/* length of each frame, or NULL */
	uint32_t fixed_len;	/* length of every frame when len is NULL */
	uint32_t nb_flows;	/* 0: raw frames, else IPv4/UDP flows */
	uint32_t single_max;	/* if set: frames up to this are one segment */
	uint32_t chain_min;	/* if set: frames over this are chains */
	struct rte_mbuf **keep;	/* if set, frames are stored, not freed */
	const struct rte_ether_addr *dst; /* per frame; NULL: broadcast */
	struct xs_tally *tally;	/* if set, every mbuf polled is counted */
	uint32_t got;
	uint32_t other;		/* test frames from outside the batch */
	uint32_t per_queue[RTAP_MAX_QUEUES];
	uint16_t flow_queue[MAX_FLOWS];
	int err;
	uint8_t seen[MAX_BATCH];
};
/* Frames captured on the kernel side, checked against what was sent. */
struct cap_track {
	uint32_t base;
	uint32_t nb;
	const uint32_t *len;
	uint32_t fixed_len;
	const struct rte_ether_addr *dst; /* per frame; NULL: broadcast */
	uint32_t got;
	uint32_t other;
	int err;
	uint8_t seen[MAX_BATCH];
};
/* rtnetlink, for links the ethdev API does not create or delete */

struct nl_req {
	struct nlmsghdr nh;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct ndmsg nd;
	} u;
	char attrs[256];
};
/* Link status change callback: counts, from the EAL interrupt thread. */
struct lsc_state {
	uint16_t port;
	RTE_ATOMIC(uint32_t) calls;
	RTE_ATOMIC(uint32_t) stray;		/* calls for another port or event */
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

/* Static: a callback left registered by a failed test points at no stack. */
extern struct lsc_state lsc_state;

/* Kernel IP stack: a host and a forwarding target played by DPDK */
/*
 * Inside a test's own network namespace the TAP has KERN_ADDR; DPDK plays
 * a host at HOST_ADDR and, beyond the kernel's forwarding path, a host at
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

/* Super-packets, built or received, in one piece */
extern uint8_t big_buf[BIG_BUF];

/* Time */
uint64_t deadline_ms(unsigned int ms);

bool expired(uint64_t deadline);

/*
 * Is the wait for a batch over?  It is at *deadline; once the batch is
 * complete, *deadline moves to quiet_ms from then, so that a duplicate
 * arriving late is still seen.
 */
bool batch_over(bool complete, bool *quiet, uint64_t *deadline,
		unsigned int quiet_ms);

/* Test context */
void ctx_add_vdev(const char *name);

void ctx_forget_vdev(const char *name);

void ctx_add_ifname(const char *name);

void ctx_forget_ifname(const char *name);

void ctx_close_sock(int fd);

/* A helper thread running fn(arg), joined by ctx_join or teardown. */
int ctx_thread(rte_thread_func fn, void *arg);

void ctx_join(void);

void ctx_free_pool(struct rte_mempool *mp);

/* Kernel side helpers */
/* Number of open files, counted as entries of /proc/self/fd. */
int count_fds(void);

int kern_flags(const char *name, unsigned int *flags);

int kern_mtu(const char *name, int *mtu);

int kern_mac(const char *name, struct rte_ether_addr *mac);

/* Kernel counter from sysfs, used only to explain failures. */
uint64_t kern_stat(const char *name, const char *what);

/* Wait until the flags in mask are all set (want) or all clear (!want). */
int wait_flags(const char *name, unsigned int mask, bool want, unsigned int ms);

/* Wait until no interface of that name exists. */
int wait_if_gone(const char *name, unsigned int ms);

/* Unique interface name per process so parallel runs do not collide. */
void make_ifname(char *buf, const char *tag);

bool is_default_name(const char *name);

/* Index of an interface named rtap<N> newer than since, or 0. */
unsigned int new_default_iface(unsigned int since, char *name);

unsigned int max_ifindex(void);

int kern_add_link(const char *name, const char *kind);

int kern_del_link(unsigned int ifindex);

/* `ip link set up` / `down` (IFF_UP in change) and the like, from outside. */
int kern_set_flags(unsigned int ifindex, unsigned int flags, unsigned int change);

/* `ip link set carrier on|off`: IFF_RUNNING goes while IFF_UP stays. */
int kern_set_carrier(unsigned int ifindex, bool on);

/*
 * `ip link set netns`: move the link ifindex to the network namespace of
 * nsfd.  The kernel takes it down on the way and keeps its ifindex where
 * that is free.
 */
int kern_set_netns(unsigned int ifindex, int nsfd);

/*
 * The kernel's IPv6 stack talks on any interface that comes up (router
 * solicitations, MLD), from its link-local address.  Without an address
 * generated for it, the interface stays quiet, so that only the test's
 * frames cross it.  Set over rtnetlink, on the interface the test made.
 */
void kern_ipv6_quiet(unsigned int ifindex);

/*
 * Move the calling thread into a network namespace of its own, which
 * ctx_teardown leaves.  Tests that give an interface addresses, make the
 * kernel forward or open TCP connections do it there: nothing they set up
 * or send reaches the host's interfaces, routes or firewall, and none of
 * those interferes.  Everything a thread creates (TAP, sockets, the
 * driver's netlink sockets) belongs to the namespace it is in.  Where
 * there is none to be had, the test is skipped.
 */
int netns_enter_new(void);

/* Move the calling thread into the namespace of nsfd. */
int netns_switch(int nsfd);

/*
 * A second network namespace for the test, ctx.other_ns, while the thread
 * stays where it is (ctx.home_ns, which teardown returns to).
 */
int netns_other(void);

/* AF_PACKET sockets: the kernel end of the interface */
/*
 * A packet socket bound to an interface that is down, or whose interface
 * goes down, holds a pending ENETDOWN that fails the next send or receive;
 * read it away once the interface is up again.
 */
void pkt_clear_error(int fd);

int pkt_open(const char *ifname);

int pkt_send(int fd, const void *frame, size_t len);

uint16_t ipv4_cksum(const uint8_t *h);

/*
 * Build test frame seq of len bytes: broadcast, then either the test
 * ethertype or (nb_flows != 0) IPv4/UDP whose ports select flow
 * seq % nb_flows, then magic, sequence number and a pattern that depends
 * on both, so that any misplaced byte is caught.
 */
void frame_build(uint8_t *f, uint32_t len, uint32_t seq, uint32_t nb_flows);

int inject(int fd, uint32_t seq, uint32_t len, uint32_t nb_flows);

/* A frame rx_burst returned on queue q. */
void xs_rx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m);

/* A well-formed frame about to be given to tx_burst on queue q. */
void xs_tx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m);

/* Rx accounting */
void rx_track_init(struct rx_track *t, uint16_t port, uint32_t base, uint32_t nb,
		const uint32_t *len, uint32_t fixed_len, uint32_t nb_flows);

/*
 * From the kernel side, nb test frames of length len[i] (or fixed_len)
 * starting at seq base; nb_flows as for frame_build.
 */
int inject_frames(int fd, uint32_t base, uint32_t nb, const uint32_t *len,
		uint32_t fixed_len, uint32_t nb_flows);

void rx_account(struct rx_track *t, uint16_t q, struct rte_mbuf *m);

/* One rx_burst on each of queues 0..nb_q-1; the number of frames polled. */
unsigned int rx_poll_once(struct rx_track *t, uint16_t nb_q);

/*
 * Poll queues 0..nb_q-1 until the whole batch is in or ms elapse; then keep
 * polling quiet_ms longer so that a duplicate would be seen.
 */
int rx_poll(struct rx_track *t, uint16_t nb_q, unsigned int ms,
		unsigned int quiet_ms);

/* Poll until nothing has arrived for idle_ms (at most max_ms). */
void rx_drain(struct rx_track *t, uint16_t nb_q, unsigned int idle_ms,
		unsigned int max_ms);

/* How many of queues 0..nb_q-1 the frames of the batch arrived on. */
uint16_t rx_queues_used(const struct rx_track *t, uint16_t nb_q);

/* Kernel capture accounting */
void cap_track_init(struct cap_track *t, uint32_t base, uint32_t nb,
		const uint32_t *len, uint32_t fixed_len);

/* Read what the capture socket holds now; the number of frames, or -1. */
int cap_drain(int fd, struct cap_track *t);

/*
 * Read the capture socket until the batch is complete or ms elapse, then
 * quiet_ms longer to catch duplicates.
 */
int cap_poll(int fd, struct cap_track *t, unsigned int ms, unsigned int quiet_ms);

/* Building mbufs to transmit */
/*
 * Copy frame f into a chain whose segments hold seg_len[0..nb_seg-1] bytes,
 * the first segment starting headroom bytes into its buffer.
 */
struct rte_mbuf * mbuf_build(struct rte_mempool *mp, const uint8_t *f, const uint16_t *seg_len,
		unsigned int nb_seg, uint16_t headroom);

/*
 * Frame f split over nb_seg segments: the first ones short and growing,
 * the last one taking the rest.
 */
struct rte_mbuf * mbuf_split(struct rte_mempool *mp, const uint8_t *f, uint32_t len,
		unsigned int nb_seg, uint16_t headroom);

/* Test frame seq of len bytes in segments of seg_len[0..nb_seg-1] bytes. */
struct rte_mbuf * mbuf_frame_segs(struct rte_mempool *mp, uint32_t seq, uint32_t len,
		const uint16_t *seg_len, unsigned int nb_seg, uint16_t headroom);

/* A single-segment test frame with default headroom. */
struct rte_mbuf * mbuf_frame(struct rte_mempool *mp, uint32_t seq, uint32_t len);

/* Transmit all of pkts, retrying while the ring is full. */
int tx_all(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n);

/* Send nb raw frames of length len (or len[i]) starting at seq base. */
int tx_frames(uint16_t port, uint16_t q, struct rte_mempool *mp, uint32_t base,
		uint32_t nb, const uint32_t *len, uint32_t fixed_len);

/* Ports */
/* A pool of n mbufs whose buffers hold room bytes, headroom included. */
struct rte_mempool * pool_create_sized(unsigned int n, uint16_t room);

struct rte_mempool * pool_create(unsigned int n);

/*
 * Probe a port (drv is the driver name or its alias) and return its port
 * id and kernel interface name.  IPv6 is disabled on the interface before
 * it is ever brought up.
 */
int rtap_probe(const char *drv, const char *args, char *vdev, uint16_t *port,
		char *ifname);

/* Probe a port whose interface is named after tag (make_ifname). */
int probe_iface(const char *tag, char *vdev, uint16_t *port, char *ifname);

int port_setup(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
		struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd);

int port_start(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
		struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd);

/*
 * Stop (if started) and close a port; then take the vdev off the bus, which
 * an ethdev close leaves there, so that its name is free again.
 */
int port_close(uint16_t port, const char *vdev);

/* Close the port, and the test's sockets on its interface first. */
int port_close_all(uint16_t port, const char *vdev);

/*
 * What a closed port must not leave behind, each check saying what it
 * found: its interface, open files beyond the fds0 there were before,
 * mbufs out of its pools.
 */
int if_gone_check(const char *ifname);

int fds_check(int fds0);

int pool_check(struct rte_mempool *mp, unsigned int avail0);

int pools_check(struct rte_mempool *mp, unsigned int avail0,
		struct rte_mempool *mp2, unsigned int avail2);

/* Let sends on a packet socket bypass the queueing discipline. */
int pkt_bypass_qdisc(int fd);

/* Every queue's completed transmissions reaped, by bursts of nothing. */
void tx_reap(uint16_t port, uint16_t nb_q);

/*
 * While a port runs its Rx rings hold a fixed number of mbufs: with
 * nothing held by the test and every transmission reaped, the pool has
 * want mbufs free whatever happened in between.  Fewer: mbufs leaked;
 * more: Rx descriptors lost their buffers.
 */
int pool_running_check(uint16_t port, uint16_t nb_q, struct rte_mempool *mp,
		unsigned int want);

/* Close the port (port_close_all); it must have left nothing behind. */
int port_close_clean(uint16_t port, const char *vdev, const char *ifname,
		int fds0, struct rte_mempool *mp, unsigned int avail0);

/*
 * After start the kernel must see the interface up and running, and a
 * frame sent from the kernel side must come out of the port.  Until then
 * the kernel may still be switching the interface's queueing discipline
 * on and silently drop what it is given; tests that count exactly start
 * after this.
 */
int path_ready(uint16_t port, uint16_t nb_q, const char *ifname, int sock);

/*
 * Probe a port whose interface is named after tag, open the kernel end
 * of it (*sock), start it with nb_q queue pairs and prove the path.
 */
int probe_start(const char *tag, uint16_t nb_q, const struct rte_eth_conf *conf,
		struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd,
		char *vdev, uint16_t *port, char *ifname, int *sock);

/*
 * Packets counted on one queue (dir "rx" or "tx"): the sum of its size
 * bucket xstats, rx_q<N>_size_*_packets.  Per-queue counters are read from
 * xstats because struct rte_eth_stats does not carry them in every DPDK
 * release.
 */
int xstats_queue_packets(uint16_t port, const char *dir, uint16_t q,
		uint64_t *sum);

/* Per-queue packet counters of queues 0..nb_q-1 must equal want[q]. */
int queue_counters_check(uint16_t port, const char *dir, uint16_t nb_q,
		const uint32_t *want);

int stats_zero(uint16_t port);

/*
 * The driver's extended statistics of queues 0..nb_q-1 must come last,
 * after ethdev's generic ones, under exactly the expected names and in
 * order, and hold what x counted; reading them by id gives the same.
 */
int xs_check(uint16_t port, uint16_t nb_q, const struct xs_tally *x);

/* One extended statistic, looked up by name and read by id. */
int xstat_by_name(uint16_t port, const char *name, uint64_t *value);

/*
 * Wait until rte_eth_link_get_nowait reports the link up (or down); the
 * kernel must then agree: up is IFF_UP and IFF_RUNNING.
 */
int wait_link(uint16_t port, const char *ifname, bool up, unsigned int ms);

uint32_t lsc_calls(void);

/* Count the LSC callbacks of port from zero. */
int lsc_register(uint16_t port);

int lsc_unregister(uint16_t port);

/*
 * Wait for an LSC callback after the count was since, with the link then
 * reported up (or down).  With intr_conf.lsc, rte_eth_link_get_nowait of
 * a started port returns the status the driver's event handler stored.
 */
int lsc_wait(uint16_t port, const char *ifname, uint32_t since, bool up,
		unsigned int ms);

/* Set ifindex up or down from the kernel side; an LSC event must follow. */
int lsc_kern_link(uint16_t port, const char *ifname, unsigned int ifindex,
		bool up);

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
 * namespace (IPv6 too if ipv6); with forward, the kernel routes what DPDK
 * sends to FWD_ADDR back out of the TAP, which is how the tests see what
 * the kernel made of a frame: a port configured without Rx offloads gives
 * the TAP no checksum or segmentation offload, so on the way out the
 * kernel completes partial checksums and segments super-packets itself.
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
 * forwarding too with forward), the path proven.
 */
int ns_port_start(const char *tag, const struct rte_eth_conf *conf,
		struct rte_mempool *mp, uint16_t nb_rxd, bool forward,
		char *vdev, uint16_t *port, char *ifname, int *sock);

/* Does the port offer all the Rx (or Tx) offloads in need? */
int offload_capa_check(uint16_t port, bool rx, uint64_t need);

/*
 * The port of a Tx offload test, in the test's own namespace with the
 * kernel forwarding: the Tx offloads in need configured, and offered;
 * *kmac is the TAP's address, and the extended statistics start at 0.
 */
int tx_offload_port_start(const char *tag, uint64_t need, struct rte_mempool *mp,
		char *vdev, uint16_t *port, char *ifname, int *sock,
		struct rte_ether_addr *kmac);

/*
 * A frame from HOST_ADDR through the TAP (kmac) to FWD_ADDR, for the
 * kernel to forward back out, with the pseudo-header checksum in it; a
 * TCP one acknowledges 1 with PSH.  Ports, sequence number, stream
 * offset and ol_flags are the caller's.
 */
void fwd_frame_init(struct l4_frame *fr, const struct rte_ether_addr *kmac,
		bool ipv6, uint8_t proto);

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

#endif /* _TEST_PMD_RTAP_H_ */
