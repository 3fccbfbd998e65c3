/* SPDX-License-Identifier: MIT */
/*
 * Reading traces into the model with libbabeltrace2: trace directories
 * (reader.c), or an LTTng live session as it streams (live.c).
 */
#ifndef SS_READ_H
#define SS_READ_H

#include <stddef.h>

#include "model/model.h"

/* Read the traces under dirs into m.  Returns 0, or -1 after saying why
 * (one line naming the file). */
int ss_read_traces(char **dirs, size_t ndirs, struct ss_model *m, int progress);
/* Following an LTTng live session (live.c): net://HOST:PORT/host/
 * HOSTNAME/SESSION, waited for when not there yet, its events fed to m as
 * they arrive; NULL after saying why.  ss_live_read reads what has
 * arrived for at most ms: 1 more may come, 0 the session ended, -1 an
 * error (said). */
struct ss_live;
struct ss_live *ss_live_open(const char *url, struct ss_model *m);
int ss_live_read(struct ss_live *l, int ms);
void ss_live_close(struct ss_live *l);
/* Whether the trace at dir holds a socket call (an event of ours other
 * than fork), read up to the first one: 1 or 0; -1 after saying why it
 * cannot be read.  (For record's check of what it saw.) */
int ss_trace_has_calls(const char *dir);

#endif
