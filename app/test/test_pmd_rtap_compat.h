/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The net_rtap authors
 */

/*
 * The net_rtap tests are written against DPDK main. This header maps what
 * they use onto the older releases they also build on (22.11 and later);
 * nothing else in the tests looks at a version. Dropping a release means
 * deleting its block here.
 */

#ifndef TEST_PMD_RTAP_COMPAT_H
#define TEST_PMD_RTAP_COMPAT_H

#include <rte_version.h>

/* __rte_packed_begin/_end: 25.03. */
#if RTE_VERSION < RTE_VERSION_NUM(25, 3, 0, 0)
#define __rte_packed_begin
#define __rte_packed_end __rte_packed
#endif

/* Before 25.11 there is no stress-test suite: the soak stays apart. */
#if RTE_VERSION < RTE_VERSION_NUM(25, 11, 0, 0)
#ifndef REGISTER_STRESS_TEST
#define REGISTER_STRESS_TEST REGISTER_TEST_COMMAND
#endif
#endif

/*
 * 22.11 has neither suite macros (its app/test/meson.build lists the tests
 * of each suite, and graft.sh adds ours there), nor control threads of the
 * rte_thread API, nor the rte_atomic_*_explicit names.
 */
#if RTE_VERSION < RTE_VERSION_NUM(23, 11, 0, 0)
#define REGISTER_FAST_TEST(cmd, no_huge, asan, func) \
	REGISTER_TEST_COMMAND(cmd, func)
#define REGISTER_DRIVER_TEST REGISTER_TEST_COMMAND
#define REGISTER_PERF_TEST REGISTER_TEST_COMMAND
#define rte_thread_create_control(thread, name, func, arg) \
	rte_thread_create(thread, NULL, func, arg)
#define RTE_ATOMIC(type) type
#define rte_memory_order_relaxed __ATOMIC_RELAXED
#define rte_memory_order_acquire __ATOMIC_ACQUIRE
#define rte_memory_order_release __ATOMIC_RELEASE
#define rte_memory_order_acq_rel __ATOMIC_ACQ_REL
#define rte_atomic_load_explicit(p, mo) __atomic_load_n(p, mo)
#define rte_atomic_store_explicit(p, v, mo) __atomic_store_n(p, v, mo)
#define rte_atomic_fetch_add_explicit(p, v, mo) __atomic_fetch_add(p, v, mo)
#endif

#endif /* TEST_PMD_RTAP_COMPAT_H */
