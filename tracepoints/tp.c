// SPDX-License-Identifier: MIT
/*
 * libsockscope-tp.so: the probes of both providers.  The preload and the
 * companion library define their tracepoints (LTTNG_UST_TRACEPOINT_DEFINE)
 * and link this library, so one copy of the probes serves both.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "sockscope-tp.h"
#include "sockscope-api-tp.h"
