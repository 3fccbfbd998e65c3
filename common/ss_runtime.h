/* SPDX-License-Identifier: MIT */
/*
 * What the preload and the companion library decide at start-up from their
 * environment: whether to load the probes, and which recording their events
 * belong to.  Both parts call these, so the two never disagree.
 */
#ifndef SS_RUNTIME_H
#define SS_RUNTIME_H

#include <stdint.h>

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

#endif
