/* SPDX-License-Identifier: MIT */
/*
 * What the preload and the companion library decide at start-up from their
 * environment: whether to load the probes, and which recording their events
 * belong to.  Both parts call these, so the two never disagree.
 */
#ifndef SS_RUNTIME_H
#define SS_RUNTIME_H

#include <stdint.h>

/* The name of the unix socket where lttng-sessiond 2.13 listens for
 * applications, in /var/run/lttng or LTTNG_HOME/.lttng (HOME/.lttng). */
#define SS_UST_SOCK_NAME "lttng-ust-sock-8"

/*
 * Load libsockscope-tp.so (the probes, which bring liblttng-ust) when a
 * session daemon may want our events, looking first beside the library that
 * holds `self` (any address inside it), then by name.  SOCKSCOPE_PROBES=off
 * never loads them, =on always does.  Returns whether they are loaded.
 */
int ss_probes_load(const void *self);

/*
 * The recording tag: SOCKSCOPE_REC, a decimal number set by `sockscope
 * record` and inherited across fork and exec.  Every event carries it in
 * its `rec` field and the recorder keeps only its own (a filter on rec), so
 * two recordings at once, or a daemon already running with the preload,
 * never mix.  0 when unset or not a number.
 */
uint64_t ss_rec_from_env(void);
/* Whether this process records: a tag, or SOCKSCOPE_PROBES=on.  One that
 * does keeps the tracer's exit path and follows forks (a forked child
 * registers anew and waits for it); any other does neither. */
int ss_records_from_env(void);

/*
 * Whether the unix socket address sa (len bytes) is a session daemon's
 * application socket: a socket connected there is the tracer's own.
 */
int ss_is_sessiond_addr(const void *sa, unsigned len);

#endif
