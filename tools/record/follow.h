/* SPDX-License-Identifier: MIT */
/* Waiting for a recorded command and what it leaves running: see follow.c. */
#ifndef SS_FOLLOW_H
#define SS_FOLLOW_H

#include <signal.h>
#include <sys/types.h>

/* Add to set the signals record passes on rather than acting on. */
void ss_follow_sigset(sigset_t *set);

/*
 * Wait for child (CMD), and unless no_follow for every process left
 * running below record, passing on the signals of set (blocked, taken
 * with sigwaitinfo).  Returns CMD's status as a shell gives it.
 */
int ss_follow_wait(pid_t child, const sigset_t *set, int no_follow);

/* Say on stderr which processes below record are still running: what
 * they do from now on is not recorded. */
void ss_follow_name_left(void);

#endif
