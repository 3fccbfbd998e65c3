// SPDX-License-Identifier: MIT
/*
 * The tracer's own descriptors, kept out of the program's way.  Every
 * descriptor liblttng-ust keeps -- its two sockets to the session daemon,
 * the wait shm, the shared-memory and wakeup descriptors of each channel
 * and stream it receives, its counters -- passes through liblttng-ust-
 * common's lttng_ust_add_fd_to_tracker(), which liblttng-ust and liblttng-
 * ust-common itself call through their PLT.  We interpose it and move each
 * descriptor to the top of [soft limit, hard limit) before the tracker
 * records it: the program's next open() gets the number it gets bare, and
 * a scan up to its soft limit finds nothing of ours (how high they go:
 * SS_TRACER_FD_CEILING).  When the hard limit leaves no room above the soft
 * one, the top of the program's own range is the best left: the low
 * numbers stay free, but a scan reaches them.
 *
 * If the program takes one of those numbers anyway -- dup2/dup3 onto it,
 * F_DUPFD landing where bare it would land, close or close_range over one
 * it reached by raising its soft limit -- the program wins: its call does
 * what it does bare and tracing of the process stops (ss_stop_tracing), so
 * that no tracer thread goes on using a number that is now the program's.
 */
#include "preload.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <sys/resource.h>

/* liblttng-ust's fd set covers [0, the hard limit at its start): nothing
 * of its may be placed above.  Read by our constructor, which runs after
 * liblttng-ust-common's, or by the first placement when liblttng-ust
 * (loaded by liblttng-ust-fork) registers before our constructor ran. */
static int tracker_max;
/* The lowest number a descriptor was placed at: calls that allocate
 * numbers below it cannot have been pushed past one of the tracer's. */
static int placed_floor = INT_MAX;

static void tracker_init(const struct rlimit *rl)
{
	if (!tracker_max)
		tracker_max = rl->rlim_max > INT_MAX ? INT_MAX : (int)rl->rlim_max;
}

__attribute__((constructor(101))) static void ss_tracerfd_init(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		tracker_init(&rl);
}

static rlim_t soft_limit(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : RLIM_INFINITY;
}

/*
 * How high the tracer's descriptors go.  The kernel sizes a process's
 * descriptor table by its highest descriptor, zeroes it when it grows and
 * copies it at every fork: one descriptor at 1,048,575 (a common hard
 * limit) costs 8 MiB of kernel memory per process and milliseconds per
 * start and per fork.  So they go no higher than twice the soft limit, or
 * this, whichever is higher: at most 512 KiB of table for any soft limit
 * up to 32,768.
 */
#define SS_TRACER_FD_CEILING 65536

/*
 * Move fd as high as it goes; returns its new number (fd itself when it
 * cannot move) and whether that lies above the soft limit.  F_DUPFD gives
 * the lowest free number at or above its argument: trying top-1, top-2,
 * top-4, ... finds a free one near the top in a few calls.  It refuses
 * arguments at or above the soft limit, so the soft limit is raised for
 * the move and put back after.  That window is a race with the program's
 * other threads: one that reads the limit then sees it raised, one that
 * opens a descriptor when all below the soft limit are taken gets one
 * instead of EMFILE, one that sets the limit has its setting undone, and a
 * child forked then inherits the raised limit.  It lasts two system calls,
 * while the tracer sets up (registration, each new channel or stream),
 * never during the program's own calls.
 */
static int place(int fd, int *hidden)
{
	struct rlimit rl;
	int saved = errno;

	*hidden = 0;
	if (fd < 0 || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return fd;
	tracker_init(&rl);
	if (tracker_max <= 0)
		return fd;
	rlim_t top = rl.rlim_max < (rlim_t)tracker_max ? rl.rlim_max : (rlim_t)tracker_max;
	rlim_t floor = rl.rlim_cur;
	rlim_t ceiling = rl.rlim_cur > SS_TRACER_FD_CEILING / 2 ? 2 * rl.rlim_cur :
								 SS_TRACER_FD_CEILING;
	if (rl.rlim_cur >= top) {
		/* No room above the soft limit: the top of the program's range. */
		floor = STDERR_FILENO + 1;
		ceiling = SS_TRACER_FD_CEILING;
	}
	if (top > ceiling)
		top = ceiling;
	if (top <= floor)
		return fd;
	int raised = 0;
	if (rl.rlim_cur < top) {
		struct rlimit up = { top, rl.rlim_max };
		raised = setrlimit(RLIMIT_NOFILE, &up) == 0;
		if (!raised) {
			errno = saved;
			return fd;
		}
	}
	int cmd = REAL(fcntl)(fd, F_GETFD) & FD_CLOEXEC ? F_DUPFD_CLOEXEC : F_DUPFD;
	int nfd = -1;
	for (rlim_t k = 1;; k <<= 1) {
		rlim_t at = top - floor > k ? top - k : floor;
		nfd = REAL(fcntl)(fd, cmd, (int)at);
		if (nfd >= 0 || errno != EMFILE || at == floor)
			break;
	}
	if (raised)
		setrlimit(RLIMIT_NOFILE, &rl);
	if (nfd >= 0) {
		*hidden = (rlim_t)nfd >= rl.rlim_cur;
		ss_fd_set(fd, ss_word(0, SS_FD_UNKNOWN));
		REAL(close)(fd);
	}
	errno = saved;
	return nfd >= 0 ? nfd : fd;
}

SS_EXPORT int lttng_ust_add_fd_to_tracker(int fd)
{
	int hidden;
	int moved = place(fd, &hidden);
	int r = REAL(lttng_ust_add_fd_to_tracker)(moved);

	/* The tracker moves a standard descriptor itself when we could not.
	 * Calls into the tracker are serialized by its lock. */
	if (r >= 0) {
		ss_fd_set(r, ss_word(r == moved && hidden ? SS_TRACER_HIDDEN : 0, SS_FD_TRACER));
		if (r < __atomic_load_n(&placed_floor, __ATOMIC_RELAXED))
			__atomic_store_n(&placed_floor, r, __ATOMIC_RELAXED);
	}
	return r;
}

/*
 * The tracer takes its fd-tracker lock around every opening and closing of
 * a descriptor it keeps; counting it per thread tells its calls from the
 * program's, with or without another interposer between it and us.
 */
SS_TLS int ss_in_tracker;

SS_EXPORT void lttng_ust_lock_fd_tracker(void)
{
	REAL(lttng_ust_lock_fd_tracker)();
	ss_in_tracker++;
}

SS_EXPORT void lttng_ust_unlock_fd_tracker(void)
{
	ss_in_tracker--;
	REAL(lttng_ust_unlock_fd_tracker)();
}

int ss_tracer_close_own(int fd)
{
	uint64_t w = ss_fd_get(fd);

	/* A number the program took is not the tracer's to close any more:
	 * the tracer's close (at exit, or of a stream) must neither fail nor
	 * close what the program put there. */
	if (ss_word_state(w) == SS_FD_TRACER && ss_word_serial(w) & SS_TRACER_LOST) {
		ss_fd_cas(fd, w, ss_word(0, SS_FD_UNKNOWN));
		return 0;
	}
	int r = REAL(close)(fd);
	if (r == 0 || errno != EBADF) {
		int saved = errno;
		ss_fd_forget(fd);
		errno = saved;
	}
	return r;
}

SS_EXPORT void lttng_ust_delete_fd_from_tracker(int fd)
{
	uint64_t w = ss_fd_get(fd);

	REAL(lttng_ust_delete_fd_from_tracker)(fd);
	/* Closed by the tracer: its number is nobody's until reused. */
	if (ss_word_state(w) == SS_FD_TRACER)
		ss_fd_cas(fd, w, ss_word(0, SS_FD_UNKNOWN));
}

/* Whether fd is the tracer's and was placed above a soft limit that the
 * program has since raised over it. */
static int reached(int fd, rlim_t soft)
{
	uint64_t w = ss_fd_get(fd);

	return ss_word_state(w) == SS_FD_TRACER && ss_word_serial(w) & SS_TRACER_HIDDEN &&
	       (rlim_t)fd < soft;
}

static int lose_slot(uint64_t *slot)
{
	uint64_t w = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (ss_word_state(w) == SS_FD_TRACER)
		__atomic_compare_exchange_n(slot, &w, w | ss_word(SS_TRACER_LOST, 0), 0,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return 0;
}

void ss_tracer_fd_lose(unsigned int first, unsigned int last)
{
	ss_fd_walk(first, last, lose_slot);
}

/* The program takes the tracer's fd: mark it lost, then stop tracing. */
static void claim(int fd)
{
	ss_tracer_fd_lose((unsigned int)fd, (unsigned int)fd);
	if (!ss_is_stopped())
		ss_stop_tracing("descriptor", fd);
}

void ss_tracer_fd_claim_dup(int old, int newfd, int flags_ok)
{
	if (old == newfd || !flags_ok || ss_word_state(ss_fd_get(newfd)) != SS_FD_TRACER)
		return;
	/* Only a call that will replace newfd takes it: the kernel refuses a
	 * bad old descriptor and a newfd at or above the soft limit. */
	int saved = errno;
	if (REAL(fcntl)(old, F_GETFD) >= 0 && (rlim_t)newfd < soft_limit())
		claim(newfd);
	errno = saved;
}

int ss_tracer_fd_close(int fd)
{
	/* Bare, nothing is open at a tracer's number: EBADF, whatever we do.
	 * One the program reached by raising its limit is closed too, so that
	 * the number is free afterwards, as bare. */
	if (reached(fd, soft_limit())) {
		claim(fd);
		REAL(close)(fd);
	}
	errno = EBADF;
	return -1;
}

int ss_tracer_fd_dupfd(int old, int cmd, long min, int r, int errno_before)
{
	int saved = errno;

	if (min < 0 || (r < 0 && saved != EMFILE))
		return r;
	/* Bare, the lowest free number at or above min may be one the tracer
	 * holds here: below what the kernel gave, or below the soft limit
	 * when it found none. */
	rlim_t end = r >= 0 ? (rlim_t)r : soft_limit();
	if (end <= (rlim_t)min || end <= (rlim_t)__atomic_load_n(&placed_floor, __ATOMIC_RELAXED))
		return r;
	int t = ss_fd_find_tracer((unsigned int)min,
				  end > INT_MAX ? INT_MAX : (unsigned int)end - 1);
	if (t < 0)
		return r;
	claim(t);
	int n = REAL(dup3)(old, t, cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
	if (n < 0) {
		errno = saved;
		return r;
	}
	if (r >= 0)
		REAL(close)(r);
	errno = errno_before;
	return n;
}

/*
 * close_range and closefrom.  What the kernel refuses, what only marks
 * descriptors close-on-exec, and a range that holds nothing of the
 * tracer's go to it whole, so that the answer is the bare one; a range
 * over descriptors the program reached by raising its limit too (it wins).
 * Otherwise the runs between the tracer's descriptors are closed one call
 * each.  CLOSE_RANGE_UNSHARE is dropped while the tracer is there: its
 * threads are what the table is shared with, and unsharing would leave
 * every descriptor the program closes open in their copy.
 */
int ss_close_range(unsigned int first, unsigned int last, int flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last)
		return REAL(close_range)(first, last, flags);
	if (ss_is_stopped()) {
		if (!(flags & CLOSE_RANGE_CLOEXEC))
			ss_tracer_fd_lose(first, last);
		return REAL(close_range)(first, last, flags);
	}
	if (flags & CLOSE_RANGE_UNSHARE && ss_fd_find_tracer(0, ~0u) >= 0)
		flags &= ~CLOSE_RANGE_UNSHARE;
	int t = flags & CLOSE_RANGE_CLOEXEC ? -1 : ss_fd_find_tracer(first, last);
	if (t < 0)
		return REAL(close_range)(first, last, flags);
	rlim_t soft = soft_limit();
	for (int u = t; u >= 0 && (rlim_t)u < soft;
	     u = ss_fd_find_tracer((unsigned int)u + 1, last))
		if (reached(u, soft)) {
			/* Every one of the tracer's in the range goes with it. */
			claim(u);
			ss_tracer_fd_lose(first, last);
			return REAL(close_range)(first, last, flags);
		}
	int r = 0, err = 0;
	unsigned int from = first;
	for (; t >= 0;
	     t = (unsigned int)t < last ? ss_fd_find_tracer((unsigned int)t + 1, last) : -1) {
		if ((unsigned int)t > from &&
		    REAL(close_range)(from, (unsigned int)t - 1, flags) < 0)
			r = -1, err = err ? err : errno;
		from = (unsigned int)t + 1;
	}
	if (from <= last && REAL(close_range)(from, last, flags) < 0)
		r = -1, err = err ? err : errno;
	if (r < 0)
		errno = err;
	return r;
}
