/* SPDX-License-Identifier: MIT */
/* A private lttng-relayd on free ports of 127.0.0.1: see relayd.c. */
#ifndef SS_RELAYD_H
#define SS_RELAYD_H

#include <sys/types.h>

struct ss_relayd {
	pid_t pid;
	int ctrl, data, live; /* its ports */
	char *dir;            /* where it writes (and its log, relayd.log) */
};

/* Start one writing under dir, ready to take sessions and live readers:
 * 0, or -1 after saying why. */
int ss_relayd_start(struct ss_relayd *r, const char *dir);
/* Stop it (SIGTERM, then SIGKILL after 5 s) and wait for it. */
void ss_relayd_stop(struct ss_relayd *r);

#endif
