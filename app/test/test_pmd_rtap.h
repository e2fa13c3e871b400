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

#include <limits.h>
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
enum { XS_BCAST = XS_NB_SIZES, XS_MCAST, XS_UCAST, XS_RX_LRO, XS_RX_GOOD, XS_RX_NONE, XS_RX_BAD };
enum { XS_TX_TSO = XS_RX_LRO, XS_TX_CSUM, XS_TX_MULTISEG };

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
 * In a test's own namespace the TAP has 198.18.0.1 (2001:db8::1); DPDK plays host4/host6 and,
 * beyond the kernel's hairpin bridge, fwd4/fwd6 (the ranges set aside for tests and docs).
 */
extern const uint8_t kern4[4], host4[4], fwd4[4];
extern const uint8_t host6[16], fwd6[16];
extern const struct rte_ether_addr host_mac, fwd_mac;

/* Print the message and a newline; -1. */
int rt_err(const char *fmt, ...) __rte_format_printf(1, 2);

/* Time: a deadline ms from now, and whether it has passed. */
uint64_t deadline_ms(unsigned int ms);
bool expired(uint64_t deadline);
/* Is a batch wait over?  Once complete, it goes on quiet_ms longer to see late duplicates. */
bool batch_over(bool complete, bool *quiet, uint64_t *deadline, unsigned int quiet_ms);

/* What ctx_teardown removes. */
/* Record name in a table of names (add), or forget it. */
void ctx_name(char *tab, size_t size, unsigned int nb, const char *name, bool add);
#define CTX_VDEV		ctx.vdev[0], sizeof(ctx.vdev[0]), CTX_MAX_VDEV
#define CTX_IFNAME		ctx.ifname[0], sizeof(ctx.ifname[0]), CTX_MAX_IF
#define ctx_add_vdev(n)		ctx_name(CTX_VDEV, n, true)
#define ctx_forget_vdev(n)	ctx_name(CTX_VDEV, n, false)
#define ctx_add_ifname(n)	ctx_name(CTX_IFNAME, n, true)
#define ctx_forget_ifname(n)	ctx_name(CTX_IFNAME, n, false)
int ctx_add_sock(int fd);	/* fd, or -1 (closed) if there is no room */
void ctx_close_sock(int fd);	/* fd < 0: all */
int ctx_thread(rte_thread_func fn, void *arg);	/* joined by ctx_join or teardown */
void ctx_join(void);
int ctx_setup(void);
void ctx_teardown(void);

/* The kernel side of an interface, by ioctl and sysfs. */
int count_fds(void);	/* entries of /proc/self/fd */
int kern_flags(const char *name, unsigned int *flags);
int kern_mtu(const char *name, int *mtu);
int kern_mac(const char *name, struct rte_ether_addr *mac);
uint64_t kern_stat(const char *name, const char *what);	/* UINT64_MAX if none */
/* Wait until the flags in mask are all set (want) or all clear. */
int wait_flags(const char *name, unsigned int mask, bool want, unsigned int ms);
int wait_if_gone(const char *name, unsigned int ms);
void make_ifname(char *buf, const char *tag);	/* per process, so parallel runs do not collide */
bool is_default_name(const char *name);	/* rtap<N> */
/* With name: the first rtap<N> newer than since, 0 if none; without: the highest index. */
unsigned int ifindex_scan(unsigned int since, char *name);

/* rtnetlink requests, as `ip` sends them; nl_transact: 0 or -errno, bounded wait. */
void nl_req_init(struct nl_req *req, unsigned short type, unsigned short flags, size_t hdr_len);
struct rtattr *nl_attr(struct nl_req *req, unsigned short type, const void *data, size_t len);
void nl_nest_end(struct nl_req *req, struct rtattr *nest);	/* nest holds all since */
int nl_transact(struct nl_req *req);
int kern_add_link(const char *name, const char *kind);
int kern_del_link(unsigned int ifindex);
int kern_set_flags(unsigned int ifindex, unsigned int flags, unsigned int change);
int kern_link_attr(unsigned int ifindex, unsigned short type, const void *data, size_t len);
int kern_set_carrier(unsigned int ifindex, bool on);	/* IFF_RUNNING goes, IFF_UP stays */
int kern_set_netns(unsigned int ifindex, int nsfd);	/* takes the link down */
void kern_ipv6_quiet(unsigned int ifindex);	/* no link-local address, no IPv6 chatter */

/*
 * Network namespaces: netns_enter_new moves the calling thread into one of its own (-1, the
 * test is skipped, if there is none), which ctx_teardown leaves; what the thread creates (TAP,
 * sockets, the driver's netlink sockets) lives there.  netns_other makes ctx.other_ns and stays.
 */
int netns_enter_new(void);
int netns_switch(int nsfd);
int netns_other(void);

/* AF_PACKET sockets; pkt_clear_error reads away the ENETDOWN of a link that went down. */
int pkt_open(const char *ifname);
void pkt_clear_error(int fd);
int pkt_send(int fd, const void *frame, size_t len);
int pkt_bypass_qdisc(int fd);

/* Test frames */
void put16(uint8_t *p, uint16_t v);
/*
 * Test frame seq of len bytes: broadcast, the test ethertype or (nb_flows) IPv4/UDP with ports
 * of flow seq % nb_flows, then magic, seq and a pattern of both, so a misplaced byte shows.
 */
void frame_build(uint8_t *f, uint32_t len, uint32_t seq, uint32_t nb_flows);
int frame_seq(const uint8_t *f, uint32_t len, uint32_t *seq);	/* -1: not a test frame */
int inject(int fd, uint32_t seq, uint32_t len, uint32_t nb_flows);

/* Expected extended statistics of frames received and sent on queue q */
void xs_rx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m);
void xs_tx_count(struct xs_tally *x, uint16_t q, const struct rte_mbuf *m);

/*
 * Batches: frames base.. of len[i] (or fixed_len) bytes injected on the kernel side and polled
 * from the port (rx_*), or sent by DPDK and captured by the kernel (cap_*).  Polls wait for the
 * batch at most ms, then quiet_ms more to catch duplicates.
 */
int inject_frames(int fd, uint32_t base, uint32_t nb, const uint32_t *len,
		  uint32_t fixed_len, uint32_t nb_flows);
void rx_track_init(struct rx_track *t, uint16_t port, uint32_t base,
		   uint32_t nb, const uint32_t *len, uint32_t fixed_len, uint32_t nb_flows);
void rx_account(struct rx_track *t, uint16_t q, struct rte_mbuf *m);
unsigned int rx_poll_once(struct rx_track *t, uint16_t nb_q);	/* frames polled */
int rx_poll(struct rx_track *t, uint16_t nb_q, unsigned int ms, unsigned int quiet_ms);
/* Poll until nothing has arrived for idle_ms (at most max_ms). */
void rx_drain(struct rx_track *t, uint16_t nb_q, unsigned int idle_ms, unsigned int max_ms);
uint16_t rx_queues_used(const struct rx_track *t, uint16_t nb_q);
void cap_track_init(struct cap_track *t, uint32_t base, uint32_t nb,
		    const uint32_t *len, uint32_t fixed_len);
int cap_drain(int fd, struct cap_track *t);	/* frames read, or -1 */
int cap_poll(int fd, struct cap_track *t, unsigned int ms, unsigned int quiet_ms);

/*
 * Mbufs to send: f in segments of seg_len[] bytes, the first headroom bytes into its buffer;
 * mbuf_split: nb_seg segments, short and growing, the last taking the rest.
 */
struct rte_mbuf *mbuf_build(struct rte_mempool *mp, const uint8_t *f,
			    const uint16_t *seg_len, unsigned int nb_seg, uint16_t headroom);
struct rte_mbuf *mbuf_split(struct rte_mempool *mp, const uint8_t *f,
			    uint32_t len, unsigned int nb_seg, uint16_t headroom);
struct rte_mbuf *mbuf_frame_segs(struct rte_mempool *mp, uint32_t seq,
				 uint32_t len, const uint16_t *seg_len,
				 unsigned int nb_seg, uint16_t headroom);
struct rte_mbuf *mbuf_frame(struct rte_mempool *mp, uint32_t seq, uint32_t len);
/* len bytes of f in segments of at most chunk bytes (up to one more than a port takes). */
struct rte_mbuf *mbuf_chunks(struct rte_mempool *mp, const uint8_t *f, uint32_t len,
			     uint16_t chunk);
int tx_all(uint16_t port, uint16_t q, struct rte_mbuf **pkts, uint16_t n);	/* retries */
int tx_frames(uint16_t port, uint16_t q, struct rte_mempool *mp,
	      uint32_t base, uint32_t nb, const uint32_t *len, uint32_t fixed_len);
void tx_reap(uint16_t port, uint16_t nb_q);	/* bursts of nothing */

/* Pools without cache (exact avail counts), and ports */
struct rte_mempool *pool_create_sized(unsigned int n, uint16_t room);
struct rte_mempool *pool_create(unsigned int n);
/* Probe drv (name or alias): port id and kernel interface; IPv6 kept off it. */
int rtap_probe(const char *drv, const char *args, char *vdev, uint16_t *port, char *ifname);
/* probe_more: further devargs for probe_iface, if not NULL */
extern const char *probe_more;
int probe_iface(const char *tag, char *vdev, uint16_t *port, char *ifname);
int port_setup(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	       struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd);
int port_start(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
	       struct rte_mempool *mp, uint16_t nb_rxd, uint16_t nb_txd);
/* Stop, close, and the vdev off the bus (its name free); _all: the sockets closed first. */
int port_close(uint16_t port, const char *vdev);
int port_close_all(uint16_t port, const char *vdev);
/* What a closed port must not leave: its interface, files beyond fds0, mbufs out of pools. */
int if_gone_check(const char *ifname);
int fds_check(int fds0);
int pool_check(struct rte_mempool *mp, unsigned int avail0);
int pools_check(struct rte_mempool *mp, unsigned int avail0,
		struct rte_mempool *mp2, unsigned int avail2);
int port_close_clean(uint16_t port, const char *vdev, const char *ifname,
		     int fds0, struct rte_mempool *mp, unsigned int avail0);
/*
 * A running port's Rx rings hold a fixed number of mbufs: with nothing held by the test and Tx
 * reaped, want are free.  Fewer: a leak; more: descriptors lost their buffers.
 */
int pool_running_check(uint16_t port, uint16_t nb_q, struct rte_mempool *mp, unsigned int want);
int path_ready(uint16_t port, uint16_t nb_q, const char *ifname, int sock);
/* probe_iface, pkt_open, port_start, path_ready */
int probe_start(const char *tag, uint16_t nb_q,
		const struct rte_eth_conf *conf, struct rte_mempool *mp,
		uint16_t nb_rxd, uint16_t nb_txd, char *vdev, uint16_t *port,
		char *ifname, int *sock);
int offload_capa_check(uint16_t port, bool rx, uint64_t need);

/*
 * Statistics.  Per-queue packets come from xstats (rte_eth_stats does not carry them in every
 * release): the sum of dir_q<N>_size_*_packets.  xs_check: the driver's xstats of queues
 * 0..nb_q-1 come last, after ethdev's, named and ordered as expected, holding what x counted,
 * and the same read by id.
 */
int xstats_queue_packets(uint16_t port, const char *dir, uint16_t q, uint64_t *sum);
int queue_counters_check(uint16_t port, const char *dir, uint16_t nb_q, const uint32_t *want);
int stats_zero(uint16_t port);
int xs_check(uint16_t port, uint16_t nb_q, const struct xs_tally *x);
int xstat_by_name(uint16_t port, const char *name, uint64_t *value);

/*
 * Link state.  wait_link: link_get_nowait reports up (or down) and the kernel agrees (up is
 * IFF_UP and IFF_RUNNING).  lsc_wait: an LSC callback after since, the link then up (or down).
 * lsc_kern_link: ifindex set up or down from the kernel side, and the event.
 */
int wait_link(uint16_t port, const char *ifname, bool up, unsigned int ms);
uint32_t lsc_calls(void);
int lsc_register(uint16_t port);	/* counted from zero */
int lsc_unregister(uint16_t port);
int lsc_wait(uint16_t port, const char *ifname, uint32_t since, bool up, unsigned int ms);
int lsc_kern_link(uint16_t port, const char *ifname, unsigned int ifindex, bool up);

/* Payload bytes by stream position, with no short period: misplaced data shows. */
uint8_t stream_byte(uint32_t off);
int stream_check(const uint8_t *p, uint32_t len, uint32_t off);
/*
 * Frame fr with len payload bytes into f; its length.  The L4 checksum is complete or, with
 * phdr, the pseudo-header one an application leaves for offload (rte_ipv4/6_phdr_cksum).
 */
uint32_t l4_build(uint8_t *f, const struct l4_frame *fr, uint32_t len);
int l4_parse(const uint8_t *f, uint32_t len, struct l4_frame *fr);	/* -1: not TCP/UDP */
bool l4_cksum_ok(const uint8_t *f, const struct l4_frame *fr);
const uint8_t *mbuf_linear(const struct rte_mbuf *m);	/* NULL if not consistent */

/*
 * Addresses and permanent neighbours on ifname (IPv6 too); with forward, a hairpin bridge sends
 * what DPDK sends to fwd_mac back out of the TAP: that shows what the kernel made of a frame
 * (with no Rx offloads configured it completes checksums and segments super-packets itself).
 */
int kern_ip_setup(const char *ifname, bool ipv6, bool forward);
/* Non-blocking socket bound to kern4; a TCP one is reset on close, not left lingering. */
int kern_socket(int type);
/* In the test's namespace: probed, started with conf, addresses (and bridge), path proven. */
int ns_port_start(const char *tag, const struct rte_eth_conf *conf,
		struct rte_mempool *mp, uint16_t nb_rxd, bool forward,
		char *vdev, uint16_t *port, char *ifname, int *sock);
/* host to fwd (fwd_mac, which the bridge floods back), pseudo-header checksum; TCP: ACK 1, PSH. */
void fwd_frame_init(struct l4_frame *fr, bool ipv6, uint8_t proto);

/* Headroom of a buffer shared with the test, filled with a marker, and checked. */
void headroom_fill(struct rte_mbuf *m, uint8_t v);
int headroom_check(const struct rte_mbuf *m, uint8_t v, const char *what);
/* A mbuf the test still holds after transmit must be as it was. */
int held_check(struct rte_mbuf *m, uint32_t seq, uint32_t len, uint16_t data_off,
		const char *what);
/* set_mtu, and the kernel's MTU of ifname (*kmtu) is then mtu. */
int mtu_set_kern(uint16_t port, const char *ifname, uint16_t mtu, int *kmtu);
int rename_check(unsigned int ifindex, const char *from, const char *to);	/* if down */

int test_rtap_suite_setup(void);

/* A seccomp filter of the calling thread (it goes with the thread), or nr failing with err. */
struct sock_filter;
int seccomp_filter(struct sock_filter *insns, unsigned short nb);
int seccomp_deny(unsigned int nr, int err);

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

/* tp: a pool, the counts to come back to, a port tagged tag and its packet socket. */
int tp_probe(const char *tag);
/* tp_probe, started with nb_q queue pairs and these offloads, the path proven. */
int tp_start(const char *tag, uint16_t nb_q, uint64_t rx_ol, uint64_t tx_ol, uint16_t nb_rxd);
int tp_close(void);	/* no interface, file or mbuf left */
/*
 * op on tp.port from a thread whose io_uring_enter always fails (seccomp): its result (for EL_TX
 * the frames tx_burst took of pkts), or EL_NOFILTER where no such filter can be had.
 */
enum { EL_STOP, EL_CLOSE, EL_TX };
#define EL_NOFILTER		INT_MIN
int enterless_run(int op, struct rte_mbuf **pkts, uint16_t nb);

/* What a probe that fails must leave as it was, taken before it. */
struct probe_before {
	char vdev[RTE_DEV_NAME_MAX_LEN];	/* the name to probe */
	unsigned int since;	/* highest ifindex */
	int fds;
	uint16_t nb_ports;
};

void probe_before_take(struct probe_before *b);
/* The probe returned ret: it must have failed, leaving no port, interface or file. */
int probe_failed_check(const struct probe_before *b, int ret, const char *args, const char *if1,
		const char *if2);
int bad_probe(const char *args, const char *if1, const char *if2);

/*
 * The memory of a small pool between its objects (headers, trailers, padding), which nothing
 * may write while they are in use.  Its objects, mbufs without data room, are in obj[].
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
size_t pool_gaps_changed(struct pool_gaps *g);	/* bytes changed since; put back */

/*
 * Frames tp sent come back through the hairpin bridge: until nb are in (then QUIET_MS more),
 * frame key(fr) (-1: not the test's) must come once, as want(idx, buf, false) builds it.
 * tp.xs tallies every frame polled.
 */
int hairpin_collect(uint32_t nb, int (*key)(const struct l4_frame *fr),
		uint32_t (*want)(uint32_t idx, uint8_t *buf, bool sent));
/* tp for a Tx offload case, in a namespace of its own (skipped without), in a hairpin bridge. */
int hairpin_start(const char *tag, uint64_t tx_ol);
/* Frames base.. of len[i] bytes from the kernel arrive once unchanged; segments as bounded. */
int rx_frames(uint32_t base, uint32_t nb, const uint32_t *len, uint32_t single_max,
		uint32_t chain_min);
/* The kernel's and the port's MAC are both want; how says where want came from. */
int mac_check(uint16_t port, const char *ifname, const struct rte_ether_addr *want,
		const char *how);
/*
 * port configured with nb_rx Rx and nb_tx Tx queues (conf NULL: defaults), set up on mp; with
 * deferred every queue is left for rte_eth_dev_*_queue_start.
 */
int port_setup_uneven(uint16_t port, uint16_t nb_rx, uint16_t nb_tx,
		const struct rte_eth_conf *conf, struct rte_mempool *mp, uint16_t nb_rxd,
		uint16_t nb_txd, bool deferred);

/*
 * The calling thread's io_uring probe and buffer ring registration fail (seccomp), as on kernels
 * without multishot reads: queues it sets up post a read per descriptor.
 */
#define SECCOMP_NO_MSHOT_ERRNO	EOPNOTSUPP
int seccomp_no_mshot(void);

/*
 * Frames DPDK sent, captured on the kernel side by fd (AF_PACKET) for at most ms (QUIET_MS more
 * once all nb are in), checked as hairpin_collect checks them (nb 0: none may come).
 */
int kern_collect(int fd, uint32_t nb, unsigned int ms, int (*key)(const struct l4_frame *fr),
		 uint32_t (*want)(uint32_t idx, uint8_t *buf, bool sent));

/* The IPv4 id of the frame at f (IPv4 behind Ethernet) set, its header checksum made again. */
void ipv4_id_set(uint8_t *f, uint16_t id);

/* IPv4 address addr/prefixlen on ifindex and a permanent neighbour peer at mac; 0 or not. */
int kern_addr_neigh4(unsigned int ifindex, const uint8_t *addr, uint8_t prefixlen,
		     const uint8_t *peer, const struct rte_ether_addr *mac);

#endif /* _TEST_PMD_RTAP_H_ */
