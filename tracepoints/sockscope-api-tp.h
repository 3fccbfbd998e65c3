/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider `sockscope_api`: one event per call of the companion
 * library (libsockscope), emitted when the method returns.  dur_ns spans the
 * whole method, so the sockscope:* events of the libc calls it made fall
 * inside [timestamp - dur_ns, timestamp] on the same thread.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER sockscope_api

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "sockscope-api-tp.h"

#if !defined(SOCKSCOPE_API_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define SOCKSCOPE_API_TP_H

#include <lttng/tracepoint.h>
#include <stdint.h>
#include "ss_names.h"
#include "ss-tp-types.h"

#include "ss-api-methods.h"

/* sock: the object's serial (a new object's for the calls that make one,
 * 0 for the name-service functions); args: the arguments as text; ret: the
 * method's result; err: errno, 0 when the failure was not a system error
 * (a name that does not resolve); rec: the recording tag (SOCKSCOPE_REC,
 * see ss_runtime.h); start_ns: CLOCK_MONOTONIC at the method's start, the
 * trace clock's own reading, so a reader places the method exactly at
 * [start_ns, timestamp].  docs/events.md details each field. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(sockscope_api, call,
	LTTNG_UST_TP_ARGS(uint64_t, sock, int, fd, const char *, args,
			  int64_t, ret, int, err, uint64_t, dur_ns, uint64_t, rec,
			  uint64_t, start_ns),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, vpid, ss_tp_vpid())
		lttng_ust_field_integer(int32_t, vtid, ss_tp_vtid())
		lttng_ust_field_integer(uint64_t, sock, sock)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_string(args, args)
		lttng_ust_field_integer(int64_t, ret, ret)
		lttng_ust_field_integer(int, err, err)
		lttng_ust_field_integer(uint64_t, dur_ns, dur_ns)
		lttng_ust_field_integer(uint64_t, rec, rec)
		lttng_ust_field_integer(uint64_t, start_ns, start_ns)))

#define SS_API_INSTANCE(name)                                              \
	LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(sockscope_api, call, sockscope_api, \
		name, LTTNG_UST_TP_ARGS(uint64_t, sock, int, fd, const char *, args, \
					int64_t, ret, int, err, uint64_t, dur_ns, uint64_t, rec, \
					uint64_t, start_ns))

SS_API_METHODS(SS_API_INSTANCE)

#endif /* SOCKSCOPE_API_TP_H */

#include <lttng/tracepoint-event.h>
