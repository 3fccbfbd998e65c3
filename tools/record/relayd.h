/* SPDX-License-Identifier: MIT */
/* Starting lttng-relayd, and a private one on free ports of 127.0.0.1
 * (top's): see relayd.c. */
#ifndef SS_RELAYD_H
#define SS_RELAYD_H

#include <sys/types.h>

/* Run lttng-relayd (SOCKSCOPE_RELAYD, else from PATH; argv[0] is set)
 * with argv, with child(arg) run in the child before exec and no signal
 * blocked: its pid, or -1 (fork failed).  A relay that cannot be run
 * exits 127 (not found) or 126. */
pid_t ss_relayd_spawn(char **argv, void (*child)(void *), void *arg);
/* Wait until the relay pid accepts on every port of host: 1; 0 when it
 * exited first (*status its wait status); -1 after timeout_ms (-1: no
 * limit).  tick(pid, arg) waits between tries (NULL: 20 ms of sleep). */
int ss_relayd_wait(pid_t pid, const char *host, const unsigned *ports, int nports,
		   int timeout_ms, void (*tick)(pid_t, void *), void *arg, int *status);

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
