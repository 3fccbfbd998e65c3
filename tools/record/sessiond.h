/* SPDX-License-Identifier: MIT */
/*
 * The session daemon a recording talks to: the one already running for
 * this user (root: the system's), or one sockscope starts and later stops.
 *
 * A daemon sockscope starts is marked by its pid file, sockscope-sessiond.pid
 * in the daemon's run directory (root: /var/run/lttng, others:
 * $LTTNG_HOME/.lttng).  Starting, creating a session and stopping happen
 * under a lock file beside it, sockscope.lock, so that two recordings that
 * start at once share one daemon and the last one to finish stops it; a
 * daemon without the mark is never stopped.
 */
#ifndef SS_SESSIOND_H
#define SS_SESSIOND_H

struct ss_sessiond {
	char *rundir;   /* the daemon's run directory */
	char *lockpath; /* rundir/sockscope.lock */
	char *pidpath;  /* rundir/sockscope-sessiond.pid */
	int lockfd;
	int started;    /* this recording started the daemon */
};

/*
 * Take the lock, and make sure a daemon answers, starting one if needed.
 * Returns 0, or -1 after saying why.  The lock is held on return.
 */
int ss_sessiond_acquire(struct ss_sessiond *d);

/* Let other recordings in (after the session is created). */
void ss_sessiond_unlock(struct ss_sessiond *d);
/* Take the lock again. */
void ss_sessiond_lock(struct ss_sessiond *d);
/*
 * Take the lock again before destroying the session, if it matters: when
 * the daemon is one sockscope started, which ss_sessiond_release may stop.
 * Recordings on any other daemon (root's: the system's) end without waiting
 * for each other.
 */
void ss_sessiond_lock_end(struct ss_sessiond *d);

/*
 * With the lock held and our session destroyed: stop the daemon if
 * sockscope started it and no session is left on it, then release
 * everything.  Says what it did when verbose.
 */
void ss_sessiond_release(struct ss_sessiond *d, int verbose);

#endif
