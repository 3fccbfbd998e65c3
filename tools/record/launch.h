/* SPDX-License-Identifier: MIT */
/* Launching a traced command: see launch.c. */
#ifndef SS_LAUNCH_H
#define SS_LAUNCH_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

/* The preload library: beside sockscope, in ../lib, else in the install
 * LIBDIR; $SOCKSCOPE_PRELOAD overrides.  NULL when none is readable. */
char *ss_find_preload(void);
/* A recording tag no other recording running now uses. */
uint64_t ss_make_tag(void);
/* In the command's child: its environment (the preload, the tag,
 * blocking buffers when block is set, and the payload setting: "all", the
 * most bytes per call, or NULL for none). */
void ss_child_env(const char *preload, uint64_t tag, int block, const char *payload);
/*
 * Start the traced command: fork, and in the child its environment
 * (ss_child_env), the signal mask orig, descriptors 0-2 replaced by
 * io[0..2] where those are >= 0 (io NULL: none), then exec exe with argv.
 * A failed exec comes back through a pipe that a successful exec closes,
 * so that nothing is left of a command that did not run.  Returns the
 * child's pid once it runs the command; -1 when exec failed (the child
 * waited for), -2 when pipe or fork did, with *err the errno.
 */
pid_t ss_launch(const char *exe, char *const argv[], const char *preload, uint64_t tag,
		int block, const char *payload, const sigset_t *orig, const int io[3], int *err);

#endif
