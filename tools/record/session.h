/* SPDX-License-Identifier: MIT */
/* The LTTng session of one recording: see session.c. */
#ifndef SS_SESSION_H
#define SS_SESSION_H

#include <stddef.h>
#include <stdint.h>

/* The consumer writes what the buffers hold at least this often (us), so
 * that a trace stays readable up to then if the tracer dies. */
#define SS_FLUSH_US 1000000

struct ss_session_cfg {
	const char *events;     /* comma-separated event patterns */
	uint64_t bufsize, nsub; /* ring buffer per CPU, and its sub-buffers */
	int block;              /* never discard: the traced program waits */
	const char *relay_url;  /* net:// or net6:// URL of an lttng-relayd to
				 * stream to instead of writing to a directory */
};

/*
 * Create the session `name` writing to dir (or streaming to c->relay_url,
 * dir then unused), configure it for the
 * recording tagged tag, and start it; the daemon lock is held.  Returns 0,
 * or -1 after saying why (the session then no longer exists).
 */
int ss_session_start(const char *name, const char *dir, uint64_t tag,
		     const struct ss_session_cfg *c);

/* The same, a live session streaming to an lttng-relayd (net:// or tcp://
 * URLs of its control and data ports; data_url NULL: the control port's
 * next), its data sent to live readers every SS_LIVE_US; tag 0: every
 * process with the preload, untagged. */
#define SS_LIVE_US 200000
int ss_session_start_live(const char *name, const char *ctrl_url, const char *data_url,
			  uint64_t tag, const struct ss_session_cfg *o);

/*
 * Stop the session (flushing the buffers) and wait until all its data is
 * on disk, count what the tracer had to discard into *lost, destroy it:
 * the trace is complete and no longer listed as being written on return
 * (remote: streamed to a relay, which has closed its files).
 * Returns 1 when the session daemon is gone (killed during the
 * recording), 0 otherwise.
 */
int ss_session_end(const char *name, uint64_t *lost, int remote);

/*
 * Whether a session of the session daemon this user reaches is recording
 * now into dir (or into a directory that holds it, or that it holds): 1
 * with its name in name (size bytes), else 0.  For `report`, which then
 * says that the trace is still being written.
 */
int ss_session_writing(const char *dir, char *name, size_t size);

#endif
