/* SPDX-License-Identifier: MIT */
/*
 * Argument structures of the sockscope tracepoints.  Every sockscope:* event
 * takes a struct ss_tp_base (the fields every event has) and, by kind, a
 * few more values; passing a struct keeps each tracepoint under LTTng-UST's
 * limit of ten arguments and keeps the call sites short.
 */
#ifndef SS_TP_TYPES_H
#define SS_TP_TYPES_H

#include <stdint.h>

struct ss_tp_base {
	int fd;            /* the socket's descriptor, -1 where none */
	uint64_t sock;     /* per-process socket serial, 0 where none */
	int64_t ret;       /* the call's return value */
	int err;           /* errno after the call, 0 on success */
	uint64_t start_ns; /* CLOCK_MONOTONIC when the real call started, 0 for
			    * events that are no call (exec, describe, ...) */
};

/*
 * The process and thread every event comes from, in its own pid namespace
 * (what LTTng's vpid and vtid contexts give), written by the probes as two
 * payload fields: a context costs LTTng ~125 instructions per event (two
 * indirect calls, a TLS lookup), a payload field a store.  Both are cached
 * by libsockscope-tp.so (tracepoints/context.c): the pid per process, the
 * tid per thread, forgotten in a forked child (pthread_atfork), as LTTng
 * forgets its own.
 */
extern int ss_tp_pid_cache __attribute__((visibility("hidden")));
extern __thread int ss_tp_tid_cache __attribute__((visibility("hidden")));
int ss_tp_ids_fill(int tid) __attribute__((visibility("hidden")));

static inline int32_t ss_tp_vpid(void)
{
	int p = __atomic_load_n(&ss_tp_pid_cache, __ATOMIC_RELAXED);
	return p ? p : ss_tp_ids_fill(0);
}

static inline int32_t ss_tp_vtid(void)
{
	int t = ss_tp_tid_cache;
	return t ? t : ss_tp_ids_fill(1);
}

/* A size as the events record it: 32 bits, saturated. */
static inline uint32_t ss_tp_sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* An endpoint as recorded: family (-1 for none), text, port. */
struct ss_tp_addr {
	int family;
	int port;
	const char *text;
};

#endif
