/* SPDX-License-Identifier: MIT */
/*
 * The floor of `make bench`: LTTng-UST's own price for one event, with no
 * sockscope in the process.  One provider, one event of two integers,
 * emitted by bench/micro-ust after each call of its loop.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER sockscope_bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "bench-tp.h"

#if !defined(SS_BENCH_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define SS_BENCH_TP_H

#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(sockscope_bench, min,
	LTTNG_UST_TP_ARGS(long, a, int, b),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(long, a, a)
		lttng_ust_field_integer(int, b, b)))

#endif

#include <lttng/tracepoint-event.h>
