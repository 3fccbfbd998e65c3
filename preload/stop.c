// SPDX-License-Identifier: MIT
/*
 * The end of tracing in a process: once something makes tracing unsafe or
 * untrue (the program took one of the tracer's descriptors), one
 * sockscope:stop event says why, and from then on every wrapper passes
 * straight to libc (the check is in preload.h's fast paths).
 */
#include "preload.h"

int ss_stopped;

void ss_stop_tracing(const char *why, long detail)
{
	int saved = errno;

	if (__atomic_exchange_n(&ss_stopped, 1, __ATOMIC_ACQ_REL))
		return;
	/* Emitted after the flag is set: what the tracer does for this event
	 * (a wakeup write) then passes straight to libc. */
	if (lttng_ust_tracepoint_enabled(sockscope, stop)) {
		struct ss_tp_base b = { .fd = -1, .ret = 0, .rec = ss_rec };
		ss_guard++;
		lttng_ust_do_tracepoint(sockscope, stop, &b, why, (int64_t)detail);
		ss_guard--;
	}
	errno = saved;
}
