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
