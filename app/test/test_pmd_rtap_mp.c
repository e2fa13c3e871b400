/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/* net_rtap shared by a primary and a secondary process (rtap_mp_autotest). */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_memzone.h>
#include <rte_string_fns.h>

#include "test.h"
#include "test_pmd_rtap.h"

/* The trackers of the running case: too big for its stack. */
static struct rx_track rxt;
static struct cap_track capt;

/*
 * rtap_mp_autotest: a primary with hugepages starts dpdk-test again as a secondary; they share a
 * port with two queue pairs (primary queue 0, secondary queue 1) and meet in a memzone.
 */
#define MP_ZONE			"rtap_mp_test"
#define MP_NB_RX		256	/* frames from the kernel, 256 flows */
#define MP_RX_BASE		40000
#define MP_NB_TX		200	/* frames the secondary sends */
#define MP_TX_BASE		50000
#define MP_TX_LEN		300
#define MP_WAIT_MS		20000
#define MP_ALL			UINT32_MAX	/* a flag value no wait goes beyond */

/* Words of the zone the two processes set to the round they are at and wait for. */
enum mp_flag {
	MP_PORT,		/* primary: the port is ready */
	MP_READY,		/* secondary: attached, copy of queue 1 made, checks done */
	MP_RX_GO,		/* primary: frames injected */
	MP_RX_STOP,		/* primary: the batch is complete */
	MP_RX_DONE,		/* secondary: MP_GOT is final */
	MP_TX_GO,		/* primary: capture ready */
	MP_DONE,		/* secondary: all sent, counters read */
	MP_GOT,			/* secondary: frames received on queue 1 (a count) */
	MP_EXIT,		/* primary: counters read, the secondary may go */
	MP_NB_FLAGS
};

struct mp_zone {
	char vdev[RTE_DEV_NAME_MAX_LEN];
	char pool[RTE_MEMPOOL_NAMESIZE];
	char lname[RTE_ETH_NAME_MAX_LEN];	/* a port of a name of 63 bytes, or "" */
	RTE_ATOMIC(uint32_t) flag[MP_NB_FLAGS];
	RTE_ATOMIC(uint32_t) seen[MP_NB_RX];	/* per frame, by either process */
	uint32_t rounds;	/* primary: rounds the secondary goes through */
	uint16_t tx_q;		/* primary: the Tx queue the secondary sends on */
	int32_t err;		/* secondary: a check failed */
	uint64_t sec_opackets;	/* the secondary's view of queue 1 */
	uint64_t sec_ipackets;
};

/* The primary's zone and secondary, for mp_teardown; the round both are at. */
static const struct rte_memzone *mp_mz;
static struct mp_zone *mpz;
static pid_t mp_pid = -1;
static uint32_t mp_r, mp_in, mp_n;	/* primary: since counters were 0, q1 Rx and rounds */
static unsigned int mp_avail;		/* free mbufs before the last spawn */

static uint32_t
mp_get(enum mp_flag f)
{
	return rte_atomic_load_explicit(&mpz->flag[f], rte_memory_order_acquire);
}

static void
mp_set(enum mp_flag f, uint32_t val)
{
	rte_atomic_store_explicit(&mpz->flag[f], val, rte_memory_order_release);
}

/* Wait for flag f to reach val, at most MP_WAIT_MS. */
static int
mp_wait(enum mp_flag f, uint32_t val, const char *what)
{
	uint64_t deadline = deadline_ms(MP_WAIT_MS);

	while (mp_get(f) < val) {
		TEST_ASSERT(!expired(deadline), "mp: no %s within %u ms", what, MP_WAIT_MS);
		rte_delay_ms(1);
	}
	return TEST_SUCCESS;
}

/* Frames of the batch either process received; a second sighting fails. */
static uint32_t
mp_rx_mark(const char *who)
{
	uint32_t i, n = 0;

	for (i = 0; i < MP_NB_RX; i++) {
		/* seen 1: new here; it becomes 2 once in the zone */
		if (rxt.seen[i] == 1) {
			rxt.seen[i] = 2;
			if (rte_atomic_fetch_add_explicit(&mpz->seen[i], 1,
					rte_memory_order_acq_rel) != 0) {
				printf("mp: frame %u received by both processes (%s)\n",
				       MP_RX_BASE + i, who);
				rxt.err = -1;
			}
		}
		n += rte_atomic_load_explicit(&mpz->seen[i], rte_memory_order_acquire) != 0;
	}
	return n;
}

/* Poll queue q until stop; the leader stops once the batch is in and QUIET_MS quiet. */
static int
mp_rx_queue(uint16_t port, uint16_t q, bool leader, const char *who)
{
	uint64_t deadline = deadline_ms(MP_WAIT_MS);
	struct rte_mbuf *pkts[BURST];
	bool quiet = false;
	uint16_t i, n;
	bool all;

	while (rxt.err == 0 && mp_get(MP_RX_STOP) < mp_r) {
		n = rte_eth_rx_burst(port, q, pkts, BURST);
		for (i = 0; i < n; i++)
			rx_account(&rxt, q, pkts[i]);
		all = mp_rx_mark(who) == MP_NB_RX;
		if (leader ? batch_over(all, &quiet, &deadline, QUIET_MS) : expired(deadline))
			break;
		if (n == 0)
			rte_delay_us_block(200);
	}
	if (leader)
		mp_set(MP_RX_STOP, mp_r);
	TEST_ASSERT_EQUAL(rxt.other, 0, "mp: the %s received %u frames not of the batch",
			  who, rxt.other);
	return rxt.err;
}

/* Queue 0 of port lname asked for by requests with a name field without NUL, one byte short. */
static int
mp_bad_requests(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply rep;
	struct rte_mp_msg msg;
	int32_t i, res;

	for (i = 0; i < 2; i++) {
		memset(&msg, 0, sizeof(msg));
		strlcpy(msg.name, "net_rtap_mp_queue", sizeof(msg.name));
		memcpy(msg.param, mpz->lname, RTE_ETH_NAME_MAX_LEN - 1);
		msg.param[RTE_ETH_NAME_MAX_LEN - 1] = i == 0 ? 'x' : '\0';
		msg.len_param = RTE_ETH_NAME_MAX_LEN + sizeof(uint16_t) - i; /* name, queue */
		TEST_ASSERT(rte_mp_request_sync(&msg, &rep, &ts) == 0 && rep.nb_received == 1,
			    "mp secondary: no answer to malformed request %d", i);
		memcpy(&res, rep.msgs[0].param, sizeof(res));
		TEST_ASSERT(res == -ENODEV && rep.msgs[0].num_fds == 0, "mp secondary: malformed "
			    "request %d answered %d with %d fds", i, res, rep.msgs[0].num_fds);
		free(rep.msgs);
	}
	return TEST_SUCCESS;
}

/* The secondary's queries answer for its copies of queue 1: idle Rx, sleep, all sent. */
static int
mp_desc_check(uint16_t port, bool tx)
{
	struct rte_power_monitor_cond pmc;
	uint32_t val;

	if (tx)
		TEST_ASSERT(rte_eth_tx_done_cleanup(port, 1, 0) >= 0 &&
			    rte_eth_tx_descriptor_status(port, 1, NB_TXD - 1) ==
			    RTE_ETH_TX_DESC_DONE && rte_eth_tx_descriptor_status(port, 1, NB_TXD) ==
			    -EINVAL, "mp secondary: Tx descriptors after its burst");
	else
		TEST_ASSERT(rte_eth_rx_queue_count(port, 1) == 0 &&
			    rte_eth_rx_descriptor_status(port, 1, 0) == RTE_ETH_RX_DESC_AVAIL &&
			    rte_eth_get_monitor_addr(port, 1, &pmc) == 0 &&
			    (val = *(volatile const uint32_t *)pmc.addr,
			     pmc.fn(val, pmc.opaque) == 0),
			    "mp secondary: its idle copy of Rx queue 1");
	return TEST_SUCCESS;
}

/* The secondary: control refused; each round it polls queue 1, sends on it, reads counters. */
static int
mp_secondary_run(void)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_mbuf *none[1];
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	uint16_t port;

	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(mpz->vdev, &port),
			    "mp secondary: no port %s", mpz->vdev);
	mp = rte_mempool_lookup(mpz->pool);
	TEST_ASSERT_NOT_NULL(mp, "mp secondary: no pool %s", mpz->pool);
	TEST_ASSERT(rte_eth_dev_configure(port, 1, 1, &conf) != 0,
		    "mp secondary: configure succeeded");
	TEST_ASSERT(rte_eth_dev_set_mtu(port, 1400) != 0 && rte_eth_promiscuous_enable(port) != 0 &&
		    rte_eth_dev_set_link_down(port) != 0 &&
		    rte_eth_dev_rx_intr_enable(port, 1) != 0 &&
		    rte_eth_dev_rx_queue_stop(port, 1) != 0 &&
		    rte_eth_dev_tx_queue_stop(port, mpz->tx_q) != 0,
		    "mp secondary: a control operation succeeded");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(port, &st), "mp secondary: no statistics");
	for (mp_r = 1; mp_r <= mpz->rounds; mp_r++) {
		TEST_ASSERT_SUCCESS(mp_wait(MP_PORT, mp_r, "port"), "secondary");
		TEST_ASSERT(mp_r > 1 || mpz->lname[0] == '\0' || mp_bad_requests() == 0,
			    "mp secondary");
		rx_track_init(&rxt, port, MP_RX_BASE, MP_NB_RX, NULL, 100, MP_NB_RX);
		rte_eth_rx_burst(port, 1, none, 0);	/* makes the copy: the kernel may send */
		TEST_ASSERT_SUCCESS(mp_desc_check(port, false), "secondary");
		mp_set(MP_READY, mp_r);
		TEST_ASSERT_SUCCESS(mp_wait(MP_RX_GO, mp_r, "Rx start"), "secondary");
		TEST_ASSERT_SUCCESS(mp_rx_queue(port, 1, false, "secondary"), "secondary Rx");
		mp_set(MP_GOT, rxt.got);
		mp_set(MP_RX_DONE, mp_r);
		TEST_ASSERT_SUCCESS(mp_wait(MP_TX_GO, mp_r, "Tx start"), "secondary");
		TEST_ASSERT_SUCCESS(tx_frames(port, mpz->tx_q, mp, MP_TX_BASE, MP_NB_TX, NULL,
					      MP_TX_LEN), "secondary Tx");
		TEST_ASSERT_SUCCESS(mp_desc_check(port, true), "secondary");
		/* Its view of the counters; rte_eal_cleanup gives back all at the end */
		TEST_ASSERT(xstats_queue_packets(port, "rx", 1, &mpz->sec_ipackets) == 0 &&
			    xstats_queue_packets(port, "tx", mpz->tx_q, &mpz->sec_opackets) == 0,
			    "mp secondary: no queue xstats");
		mp_set(MP_DONE, mp_r);
	}
	return TEST_SUCCESS;
}

static int
test_rtap_mp_secondary(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(MP_ZONE);

	TEST_ASSERT_NOT_NULL(mz, "mp secondary: no memzone %s", MP_ZONE);
	mpz = mz->addr;
	mpz->err = mp_secondary_run();
	/* Whatever it failed at, the primary stops waiting */
	mp_set(MP_READY, MP_ALL);
	mp_set(MP_RX_DONE, MP_ALL);
	mp_set(MP_DONE, MP_ALL);
	if (mpz->err == 0)
		mp_wait(MP_EXIT, 1, "the primary's reading");
	return mpz->err == 0 ? TEST_SUCCESS : TEST_FAILED;
}

/* Start this program again, as the secondary of rtap_mp_autotest, for that many rounds. */
static int
mp_spawn(uint32_t rounds)
{
	char prefix[PATH_MAX], arg[PATH_MAX + 32];

	memset(mpz->flag, 0, sizeof(mpz->flag));
	mpz->rounds = rounds;
	mp_r = 1;
	mp_avail = rte_mempool_avail_count(tp.mp);
	strlcpy(prefix, rte_eal_get_runtime_dir(), sizeof(prefix));
	snprintf(arg, sizeof(arg), "--file-prefix=%s", basename(prefix));
	mp_pid = fork();
	if (mp_pid == 0) {
		setenv("DPDK_TEST", "rtap_mp_autotest", 1);
		execl("/proc/self/exe", "dpdk-test", "-l", "0-1", "--no-pci",
		      "--proc-type=secondary", arg, (char *)NULL);
		_exit(127);
	}
	TEST_ASSERT(mp_pid > 0, "mp: fork: %s", strerror(errno));
	return TEST_SUCCESS;
}

/* The secondary's exit status, or -1 if it is not gone in MP_WAIT_MS. */
static int
mp_reap(void)
{
	uint64_t deadline = deadline_ms(MP_WAIT_MS);
	pid_t pid = mp_pid;
	int status;

	mp_pid = -1;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (expired(deadline)) {
			printf("mp: the secondary does not exit, killed\n");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		rte_delay_ms(5);
	}
	TEST_ASSERT(WIFEXITED(status), "mp: the secondary died (status %#x)", status);
	return WEXITSTATUS(status);
}

/* A failed primary lets the secondary go, then frees the zone. */
static void
mp_teardown(void)
{
	int f;

	for (f = 0; mp_pid > 0 && f < MP_NB_FLAGS; f++)
		mp_set(f, MP_ALL);
	if (mp_pid > 0)
		mp_reap();
	rte_memzone_free(mp_mz);
	mp_mz = NULL;
	ctx_teardown();
}

/* The port stopped and started again (its queues set up again if setup): counters from 0. */
static int
mp_restart(bool setup)
{
	TEST_ASSERT(rte_eth_dev_stop(tp.port) == 0 && (setup ? port_start(tp.port, 2, NULL, tp.mp,
		    256, NB_TXD) : rte_eth_dev_start(tp.port)) == 0 && wait_flags(tp.ifname,
		    IFF_UP | IFF_RUNNING, true, WAIT_MS) == 0, "mp: cannot restart the port");
	pkt_clear_error(tp.sock);
	mp_in = mp_n = 0;
	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.port), "stats_reset");
	return rte_eth_xstats_reset(tp.port);
}

/*
 * The shared port, restarted (path_ready left reads on queue 1, the secondary's), with Tx queues
 * up to tx_q, the secondary's; a secondary.
 */
static int
mp_start(uint32_t rounds, uint16_t tx_q)
{
	mp_mz = rte_memzone_reserve(MP_ZONE, sizeof(*mpz), SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp_mz, "mp: no memzone");
	mpz = mp_mz->addr;
	memset(mpz, 0, sizeof(*mpz));
	TEST_ASSERT_SUCCESS(tp_start("mp", 2, 0, 0, 256), "no port");
	mpz->tx_q = tx_q;
	TEST_ASSERT(tx_q < 2 || (rte_eth_dev_stop(tp.port) == 0 &&
		    port_setup_uneven(tp.port, 2, tx_q + 1, NULL, tp.mp, 256, NB_TXD, false) == 0),
		    "mp: no port of 2 Rx / %u Tx queues", tx_q + 1);
	strlcpy(mpz->vdev, tp.vdev, sizeof(mpz->vdev));
	strlcpy(mpz->pool, tp.mp->name, sizeof(mpz->pool));
	TEST_ASSERT_SUCCESS(mp_restart(false), "mp");
	return mp_spawn(rounds);
}

/* Rx queue 1's and Tx queue tx_q's counters and the port's, as the primary sees them (when). */
static int
mp_counters_check(const char *when)
{
	struct rte_eth_stats st;
	uint64_t in, out;

	TEST_ASSERT(xstats_queue_packets(tp.port, "rx", 1, &in) == 0 &&
		    xstats_queue_packets(tp.port, "tx", mpz->tx_q, &out) == 0, "no queue xstats");
	TEST_ASSERT(in == mp_in && out == mp_n * MP_NB_TX, "mp: %s, queue 1 %" PRIu64 " in / %"
		    PRIu64 " out, expected %u / %u", when, in, out, mp_in, mp_n * MP_NB_TX);
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.port, &st), "no stats");
	TEST_ASSERT(st.ipackets == mp_n * MP_NB_RX && st.opackets == mp_n * MP_NB_TX, "mp: %s,"
		    " port %" PRIu64 " in / %" PRIu64 " out, expected %u / %u", when, st.ipackets,
		    st.opackets, mp_n * MP_NB_RX, mp_n * MP_NB_TX);
	return TEST_SUCCESS;
}

/* Round mp_r: 256 flows over both processes once each, the secondary's 200 frames captured. */
static int
mp_round(void)
{
	uint32_t got;

	mp_set(MP_PORT, mp_r);
	TEST_ASSERT(mp_wait(MP_READY, mp_r, "secondary") == 0 && mpz->err == 0,
		    "mp: the secondary failed its checks");
	memset(mpz->seen, 0, sizeof(mpz->seen));
	rx_track_init(&rxt, tp.port, MP_RX_BASE, MP_NB_RX, NULL, 100, MP_NB_RX);
	TEST_ASSERT_SUCCESS(inject_frames(tp.sock, MP_RX_BASE, MP_NB_RX, NULL,
					  100, MP_NB_RX), "cannot inject");
	mp_set(MP_RX_GO, mp_r);
	TEST_ASSERT_SUCCESS(mp_rx_queue(tp.port, 0, true, "primary"), "primary Rx");
	TEST_ASSERT(mp_wait(MP_RX_DONE, mp_r, "secondary Rx count") == 0 && mpz->err == 0,
		    "mp: the secondary failed on Rx");
	got = mp_get(MP_GOT);
	printf("mp: %u frames on queue 0 (primary), %u on queue 1 (secondary)\n", rxt.got, got);
	TEST_ASSERT(mp_rx_mark("primary") == MP_NB_RX && rxt.got != 0 &&
		    got != 0 && rxt.got + got == MP_NB_RX,
		    "mp: %u + %u of %u frames received, both queues must have some",
		    rxt.got, got, MP_NB_RX);
	cap_track_init(&capt, MP_TX_BASE, MP_NB_TX, NULL, MP_TX_LEN);
	mp_set(MP_TX_GO, mp_r);
	TEST_ASSERT_SUCCESS(cap_poll(tp.sock, &capt, WAIT_MS, QUIET_MS),
			    "mp: frames of the secondary missing");
	TEST_ASSERT(mp_wait(MP_DONE, mp_r, "secondary end") == 0 && mpz->err == 0,
		    "mp: the secondary failed");
	mp_in += got;
	mp_n++;
	TEST_ASSERT(mpz->sec_ipackets == mp_in && mpz->sec_opackets == mp_n * MP_NB_TX,
		    "mp: the secondary counted %" PRIu64 " in / %" PRIu64
		    " out on queue 1, expected %u / %u", mpz->sec_ipackets,
		    mpz->sec_opackets, mp_in, mp_n * MP_NB_TX);
	return mp_counters_check("while the secondary runs");
}

/* The secondary told to go, gone with status 0; what it counted stays with the port. */
static int
mp_exit(void)
{
	mp_set(MP_EXIT, 1);
	TEST_ASSERT_SUCCESS(mp_reap(), "mp: the secondary failed");
	return mp_counters_check("after the secondary left");
}

/* A secondary shares the port for a round, its control and malformed requests refused. */
static int
test_rtap_mp(void)
{
	char drv[RTE_ETH_NAME_MAX_LEN], args[64], ifname[IF_NAMESIZE];
	int d = snprintf(NULL, 0, "%u", vdev_seq) + strlen(RTAP_DRV);
	uint16_t port;

	TEST_ASSERT_SUCCESS(mp_start(1, 1), "mp: no shared port or secondary");
	/* Named drv + vdev_seq, 63 bytes: the request's name field but its NUL */
	snprintf(drv, sizeof(drv), "%s%0*d", RTAP_DRV, RTE_ETH_NAME_MAX_LEN - 1 - d, 0);
	make_ifname(ifname, "ml");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	TEST_ASSERT(rtap_probe(drv, args, mpz->lname, &port, NULL) == 0 &&
		    strlen(mpz->lname) == RTE_ETH_NAME_MAX_LEN - 1, "no port of a 63-byte name");
	TEST_ASSERT(mp_round() == 0 && mp_exit() == 0, "mp: round with a secondary failed");
	TEST_ASSERT_SUCCESS(port_close(port, mpz->lname), "close of %s failed", mpz->lname);
	return tp_close();
}

/* A secondary killed with copies of queue 1: counters stay; the next one (in its slot) adds. */
static int
test_rtap_mp_killed(void)
{
	unsigned int avail;
	int status = 0;

	TEST_ASSERT_SUCCESS(mp_start(1, 1), "mp: no shared port or secondary");
	TEST_ASSERT_SUCCESS(mp_round(), "mp: first round");
	TEST_ASSERT(kill(mp_pid, SIGKILL) == 0 && waitpid(mp_pid, &status, 0) == mp_pid &&
		    WIFSIGNALED(status), "mp: the secondary was not killed (status %#x)", status);
	mp_pid = -1;
	TEST_ASSERT_SUCCESS(mp_counters_check("after SIGKILL"), "mp");
	/* What its queue copies held is lost to the pool: not back at close */
	avail = mp_avail - rte_mempool_avail_count(tp.mp);
	TEST_ASSERT(mp_spawn(1) == 0 && mp_round() == 0 && mp_exit() == 0,
		    "mp: round with a second secondary failed");
	return port_close_clean(tp.port, tp.vdev, tp.ifname, tp.fds0, tp.mp, tp.avail0 - avail);
}

/* The primary sets the queues up again under a secondary: its next bursts take the new ones. */
static int
test_rtap_mp_setup_again(void)
{
	TEST_ASSERT_SUCCESS(mp_start(2, 1), "mp: no shared port or secondary");
	TEST_ASSERT_SUCCESS(mp_round(), "mp: first round");
	TEST_ASSERT_SUCCESS(mp_restart(true), "mp");
	mp_r = 2;
	TEST_ASSERT(mp_round() == 0 && mp_exit() == 0, "mp: round on the new queues failed");
	return tp_close();
}

/* 2 Rx / 3 Tx queues: the secondary's Tx queue 2 writes through Rx queue 0's kernel queue. */
static int
test_rtap_mp_uneven(void)
{
	TEST_ASSERT_SUCCESS(mp_start(1, 2), "mp: no shared port or secondary");
	TEST_ASSERT(mp_round() == 0 && mp_exit() == 0, "mp: round on Tx queue 2 failed");
	return tp_close();
}

static int
mp_suite_setup(void)
{
	if (!rte_eal_has_hugepages() || rte_eal_has_pci()) {
		printf("rtap_mp_autotest needs hugepages and --no-pci (see scripts/run-autotest.sh --huge), skipped\n");
		return TEST_SKIPPED;
	}
	return test_rtap_suite_setup();
}

static struct unit_test_suite rtap_mp_testsuite = {
	.suite_name = "net_rtap multi-process test suite",
	.setup = mp_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(ctx_setup, mp_teardown, test_rtap_mp),
		TEST_CASE_ST(ctx_setup, mp_teardown, test_rtap_mp_killed),
		TEST_CASE_ST(ctx_setup, mp_teardown, test_rtap_mp_setup_again),
		TEST_CASE_ST(ctx_setup, mp_teardown, test_rtap_mp_uneven),
		TEST_CASES_END()
	}
};

static int
test_pmd_rtap_mp(void)
{
	if (rte_eal_process_type() == RTE_PROC_SECONDARY)
		return test_rtap_mp_secondary();
	return unit_test_suite_runner(&rtap_mp_testsuite);
}

REGISTER_DRIVER_TEST(rtap_mp_autotest, test_pmd_rtap_mp);
