/* SPDX-License-Identifier: MIT */
/* Between `sockscope top`'s set-up (top.c) and what it counts and shows
 * (top_view.c). */
#ifndef SS_TOP_H
#define SS_TOP_H

#include <stdint.h>

#include "model/model.h"

/* A process's counts: of the interval (tx...) and in all (t_tx...). */
struct tproc {
	int64_t pid;
	char comm[24];
	uint64_t tx, rx, calls, errors;
	uint64_t t_tx, t_rx, t_calls, t_errors;
	int conns;
	struct ss_hist h, th; /* the interval's call latencies, and all */
};

struct tconn {
	int64_t pid, sock;
	char comm[24], local[64], remote[64];
	uint64_t tx, rx, t_tx, t_rx;
	int idle; /* intervals without a byte */
};

struct top {
	struct ss_model *m;
	struct ss_hmap procs, conns;
	uint64_t lost_seen;
	int sort; /* column of the process table */
	int paused, scroll;
	int totals; /* the command ended: show what it did in all */
};

/* The model's tap: each call as it is read. */
void ss_top_tap(void *arg, const struct ss_ev *e, const struct ss_proc *p,
		const struct ss_conn *c);
/* The interval of ns is over, lost events discarded in it: print it as a
 * JSON line (status: the command's, once it ended), as text, or draw it;
 * then start the next one. */
void ss_top_json(struct top *t, uint64_t ns, uint64_t lost, const int *status);
void ss_top_text(struct top *t, uint64_t ns, uint64_t lost, const char *state);
void ss_top_draw(struct top *t, uint64_t ns, uint64_t lost, const char *state);
void ss_top_next_interval(struct top *t);
/* A key pressed on the screen: 1 to quit. */
int ss_top_key(struct top *t, int ch);

#endif
