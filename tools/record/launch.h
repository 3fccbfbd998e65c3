/* SPDX-License-Identifier: MIT */
/* Launching a traced command: see launch.c. */
#ifndef SS_LAUNCH_H
#define SS_LAUNCH_H

#include <stdint.h>

/* The preload library: beside sockscope, in ../lib, else in the install
 * LIBDIR; $SOCKSCOPE_PRELOAD overrides.  NULL when none is readable. */
char *ss_find_preload(void);
/* A recording tag no other recording running now uses. */
uint64_t ss_make_tag(void);
/* In the command's child: its environment (the preload, the tag,
 * blocking buffers when block is set, and the payload setting: "all", the
 * most bytes per call, or NULL for none). */
void ss_child_env(const char *preload, uint64_t tag, int block, const char *payload);

#endif
