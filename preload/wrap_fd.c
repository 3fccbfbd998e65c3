// SPDX-License-Identifier: MIT
/*
 * Wrappers of the calls that end, copy, reconfigure or create descriptors.
 * Closing goes through liblttng-ust's fd tracker so that no close, fclose,
 * closefrom or close_range of the program ever closes the tracer's own
 * descriptors; creating calls reset what the table knew of the number.
 */
#include "preload.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

/*
 * liblttng-ust-common's fd tracker (no public header in 2.13), found with
 * dlsym once the tracer is loaded (ss_tracker_resolve).  The preload does
 * not link it: its constructor (RCU set-up, membarrier) would run in every
 * process, also in one that starts under a seccomp filter.  Without the
 * tracer there are no tracer descriptors to spare: the calls go straight
 * to the callback.
 */
static struct {
	int (*close_fd)(int fd, int (*close_cb)(int fd));
	int (*fclose_stream)(FILE *stream, int (*fclose_cb)(FILE *stream));
	int (*closefrom_fd)(int lowfd, int (*close_cb)(int fd));
} tracker;

void ss_tracker_resolve(void)
{
	tracker.close_fd = (__typeof__(tracker.close_fd))dlsym(RTLD_DEFAULT,
							       "lttng_ust_safe_close_fd");
	tracker.fclose_stream = (__typeof__(tracker.fclose_stream))dlsym(
		RTLD_DEFAULT, "lttng_ust_safe_fclose_stream");
	tracker.closefrom_fd = (__typeof__(tracker.closefrom_fd))dlsym(
		RTLD_DEFAULT, "lttng_ust_safe_closefrom_fd");
}

static int lttng_ust_safe_close_fd(int fd, int (*close_cb)(int fd))
{
	return tracker.close_fd ? tracker.close_fd(fd, close_cb) : close_cb(fd);
}

static int lttng_ust_safe_fclose_stream(FILE *stream, int (*fclose_cb)(FILE *stream))
{
	return tracker.fclose_stream ? tracker.fclose_stream(stream, fclose_cb) :
				       fclose_cb(stream);
}

/* Descriptors we know to be the program's go straight to libc; the rest
 * (the tracer's, or never seen) are checked against the tracer's set. */
static int may_be_tracers(uint64_t w)
{
	enum ss_fd_state st = ss_word_state(w);

	return st == SS_FD_TRACER || st == SS_FD_UNKNOWN;
}

SS_EXPORT int close(int fd)
{
	SS_PASS(close, (fd));
	uint64_t w = ss_fd_get(fd);
	struct ss_call c;

	ss_call_begin_if(&c, ss_word_state(w) == SS_FD_SOCKET && SS_ENTER(close), fd,
			 ss_word_serial(w));
	int r = may_be_tracers(w) ? lttng_ust_safe_close_fd(fd, REAL(close)) : REAL(close)(fd);
	ss_call_end(&c, r, r < 0);
	/* Linux frees the number even when close fails with EINTR or EIO;
	 * only a refused tracer descriptor stays what it was. */
	if (!(r < 0 && c.saved_errno == EBADF))
		ss_fd_forget(fd);
	SS_EMIT(&c, close);
	return r;
}

SS_EXPORT int fclose(FILE *f)
{
	SS_PASS(fclose, (f));
	int fd = f ? fileno(f) : -1;
	uint64_t w = ss_fd_get(fd);
	struct ss_call c;

	ss_call_begin_if(&c, ss_word_state(w) == SS_FD_SOCKET && SS_ENTER(close), fd,
			 ss_word_serial(w));
	int r = may_be_tracers(w) ? lttng_ust_safe_fclose_stream(f, REAL(fclose)) : REAL(fclose)(f);
	ss_call_end(&c, r, r == EOF);
	ss_fd_forget(fd);
	SS_EMIT(&c, close);
	return r;
}

/*
 * close_range and closefrom must spare the tracer's descriptors.  liblttng-
 * ust's closefrom walks every descriptor number it does not own, in order;
 * we collect those into runs and close each run with one close_range, so
 * the cost is one call per gap, not one close per number.
 */
struct runs {
	unsigned int last, start, prev;
	int flags, have, stopped, err;
};

static void flush_run(struct runs *rs, unsigned int end)
{
	if (rs->have && REAL(close_range)(rs->start, end, rs->flags) < 0 && !rs->err)
		rs->err = errno;
	rs->have = 0;
}

static SS_TLS struct runs *cur_runs;

static int run_cb(int fd)
{
	struct runs *rs = cur_runs;
	unsigned int u = (unsigned int)fd;

	if (u > rs->last) {
		rs->stopped = 1;
		errno = ECANCELED; /* ends liblttng-ust's walk */
		return -1;
	}
	if (rs->have && u != rs->prev + 1)
		flush_run(rs, rs->prev);
	if (!rs->have) {
		rs->start = u;
		rs->have = 1;
	}
	rs->prev = u;
	return 0;
}

static int safe_close_range(unsigned int first, unsigned int last, int flags)
{
	struct runs rs = { .last = last, .flags = flags };
	struct rlimit rl;
	int saved = errno;

	if (first > last || first > 0x7fffffffu) {
		errno = EINVAL;
		return -1;
	}
	/* Validate the flags the way the kernel would before walking. */
	if (REAL(close_range)(~0u, ~0u, flags) < 0 && errno == EINVAL)
		return -1;
	if (!tracker.closefrom_fd) { /* no tracer, no descriptor of its own */
		int r = REAL(close_range)(first, last, flags);
		if (r == 0 && !(flags & CLOSE_RANGE_CLOEXEC))
			ss_fd_forget_range(first, last);
		return r;
	}
	cur_runs = &rs;
	tracker.closefrom_fd((int)first, run_cb);
	/* Past the last number the walk saw, nothing of the tracer's can
	 * exist: let the final run reach the end of the range. */
	if (rs.have && !rs.stopped) {
		getrlimit(RLIMIT_NOFILE, &rl);
		flush_run(&rs, rl.rlim_cur != RLIM_INFINITY && rs.prev + 1 >= rl.rlim_cur ? last :
									      rs.prev);
	} else {
		flush_run(&rs, rs.prev);
	}
	cur_runs = NULL;
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		ss_fd_forget_range(first, last);
	errno = rs.err ? rs.err : saved;
	return rs.err ? -1 : 0;
}

SS_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	SS_PASS(close_range, (first, last, flags));
	struct ss_call c;

	ss_call_begin_if(&c, SS_ENTER(close_range), (int)first, 0);
	int r = safe_close_range(first, last, flags);
	ss_call_end(&c, r, r < 0);
	SS_EMIT(&c, close_range, last, flags);
	return r;
}

SS_EXPORT void closefrom(int lowfd)
{
	if (ss_bypass()) {
		REAL(closefrom)(lowfd);
		return;
	}
	struct ss_call c;

	ss_call_begin_if(&c, SS_ENTER(closefrom), lowfd, 0);
	int r = lowfd < 0 ? 0 : safe_close_range((unsigned int)lowfd, ~0u, 0);
	ss_call_end(&c, r, r < 0);
	SS_EMIT(&c, closefrom);
}

/* The serial of a socket a traced call duplicates or reconfigures, looked
 * at first if never seen: a socket inherited across exec is first seen when
 * the new image duplicates it (a reader needs the copy to know it). */
static uint64_t sock_for(int on, int fd, const void *ra)
{
	return on && ss_may_trace(ra) ? ss_sock_traced(fd) : 0;
}

/* The close-on-exec flag an fcntl gives (the new descriptor's when it
 * duplicates), -1 when it leaves it alone. */
static int fcntl_cloexec(int cmd, void *arg)
{
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return cmd == F_DUPFD_CLOEXEC;
	return cmd == F_SETFD ? !!((long)arg & FD_CLOEXEC) : -1;
}

/* fcntl and fcntl64: duplication updates the table; blocking and
 * close-on-exec changes and duplications of sockets are recorded. */
static int do_fcntl(int fd, int cmd, void *arg, int is64, const void *ra)
{
	int dup = cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC;
	uint64_t sock = sock_for((dup || cmd == F_SETFL || cmd == F_SETFD) && SS_ENABLED(fcntl),
				 fd, ra);
	struct ss_call c;

	ss_call_begin_if(&c, sock != 0, fd, sock);
	int r = is64 ? REAL(fcntl64)(fd, cmd, arg) : REAL(fcntl)(fd, cmd, arg);
	ss_call_end(&c, r, r < 0);
	if (dup && r >= 0)
		ss_fd_copy(fd, r);
	SS_EMIT(&c, fcntl, (unsigned long)cmd, cmd == F_SETFL ? !!((long)arg & O_NONBLOCK) : -1,
		dup ? r : -1, fcntl_cloexec(cmd, arg));
	return r;
}

SS_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	SS_PASS(fcntl, (fd, cmd, arg));
	return do_fcntl(fd, cmd, arg, 0, __builtin_return_address(0));
}

SS_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	SS_PASS(fcntl64, (fd, cmd, arg));
	return do_fcntl(fd, cmd, arg, 1, __builtin_return_address(0));
}

SS_EXPORT int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	SS_PASS(ioctl, (fd, req, arg));
	uint64_t sock;
	if (ss_likely(req != FIONBIO && req != FIOCLEX && req != FIONCLEX) || !SS_ENTER(ioctl) ||
	    !(sock = ss_sock_traced(fd)))
		return REAL(ioctl)(fd, req, arg);
	struct ss_call c;
	int on = 0;
	ss_call_begin(&c, fd, sock);
	int r = REAL(ioctl)(fd, req, arg);
	ss_call_end(&c, r, r < 0);
	if (req == FIONBIO)
		ss_peek(&on, arg, sizeof(on), r == 0);
	SS_EMIT(&c, ioctl, req, req == FIONBIO ? on != 0 : -1, -1,
		req == FIONBIO ? -1 : req == FIOCLEX);
	return r;
}

/*
 * dup, dup2, dup3: the new number is the same socket, same serial.  The
 * real call runs inside: the body is shared, the arguments are each one's own.
 */
#define SS_DUP_BODY(ev, call, newfd, flags)                                    \
	if (ss_bypass())                                                       \
		return call;                                                   \
	uint64_t sock = sock_for(SS_ENABLED(ev), fd, __builtin_return_address(0)); \
	struct ss_call c;                                                      \
	ss_call_begin_if(&c, sock != 0, fd, sock);                             \
	int r = call;                                                          \
	ss_call_end(&c, r, r < 0);                                             \
	if (r >= 0 && r != fd)                                                 \
		ss_fd_copy(fd, r);                                             \
	SS_EMIT(&c, ev, newfd, flags);                                         \
	return r;

SS_EXPORT int dup(int fd)
{
	SS_DUP_BODY(dup, REAL(dup)(fd), r, 0)
}

SS_EXPORT int dup2(int fd, int newfd)
{
	SS_DUP_BODY(dup2, REAL(dup2)(fd, newfd), newfd, 0)
}

SS_EXPORT int dup3(int fd, int newfd, int flags)
{
	SS_DUP_BODY(dup3, REAL(dup3)(fd, newfd, flags), newfd, flags)
}

/*
 * fork: the child keeps the parent's descriptors and their serials.  The
 * parent's event (ret: the child's pid) tells a reader whose sockets the
 * child's calls are on; the child itself emits nothing here.  (vfork and
 * glibc's internal forks, as in system(), are not seen.)
 */
SS_EXPORT pid_t fork(void)
{
	if (ss_bypass())
		return ss_vforked ? REAL(fork)() : ss_fork_stopped();
	struct ss_call c;

	ss_call_begin_if(&c, SS_ENTER(fork), -1, 0);
	pid_t r = REAL(fork)();
	if (r == 0)
		return 0;
	ss_call_end(&c, r, r < 0);
	SS_EMIT(&c, fork);
	return r;
}

/*
 * posix_spawn and posix_spawnp make a child that inherits the descriptors
 * the file actions leave open, as fork does: their event, of the fork
 * class, has the child's pid as ret on success; on failure ret is -1 and
 * err the error the call returned.
 */
#define SS_SPAWN_WRAPPER(fn)                                                    \
	SS_EXPORT int fn(pid_t *pid, const char *path,                          \
			 const posix_spawn_file_actions_t *actions,             \
			 const posix_spawnattr_t *attr, char *const argv[],     \
			 char *const envp[])                                    \
	{                                                                       \
		SS_PASS(fn, (pid, path, actions, attr, argv, envp));           \
		pid_t child = 0;                                                \
		struct ss_call c;                                               \
		ss_call_begin_if(&c, SS_ENTER(fn), -1, 0);                      \
		int r = REAL(fn)(&child, path, actions, attr, argv, envp);      \
		if (pid && r == 0)                                              \
			*pid = child;                                           \
		ss_call_end(&c, r ? -1 : child, 0);                             \
		c.b.err = r;                                                    \
		SS_EMIT(&c, fn);                                                \
		return r;                                                       \
	}

SS_SPAWN_WRAPPER(posix_spawn)
SS_SPAWN_WRAPPER(posix_spawnp)

/* Mark the descriptors a creating call returned: never sockets. */
static int made_other(int fd)
{
	if (fd >= 0) {
		int saved = errno;
		ss_fd_set(fd, ss_word(0, SS_FD_OTHER));
		errno = saved;
	}
	return fd;
}

static FILE *made_file(FILE *f)
{
	if (f)
		made_other(fileno(f));
	return f;
}

/* open and friends take a mode only with O_CREAT or O_TMPFILE. */
#define SS_MODE(flags, last)                                   \
	mode_t mode = 0;                                       \
	if ((flags) & (O_CREAT | O_TMPFILE)) {                 \
		va_list ap;                                    \
		va_start(ap, last);                            \
		mode = (mode_t)va_arg(ap, int);                \
		va_end(ap);                                    \
	}

SS_EXPORT int open(const char *path, int flags, ...)
{
	SS_MODE(flags, flags);
	SS_PASS(open, (path, flags, mode));
	return made_other(REAL(open)(path, flags, mode));
}

SS_EXPORT int open64(const char *path, int flags, ...)
{
	SS_MODE(flags, flags);
	SS_PASS(open64, (path, flags, mode));
	return made_other(REAL(open64)(path, flags, mode));
}

SS_EXPORT int openat(int dir, const char *path, int flags, ...)
{
	SS_MODE(flags, flags);
	SS_PASS(openat, (dir, path, flags, mode));
	return made_other(REAL(openat)(dir, path, flags, mode));
}

SS_EXPORT int openat64(int dir, const char *path, int flags, ...)
{
	SS_MODE(flags, flags);
	SS_PASS(openat64, (dir, path, flags, mode));
	return made_other(REAL(openat64)(dir, path, flags, mode));
}

/* The creating calls with fixed arguments, one line each:
 * X(name, return type, (params), (args), marker). */
#define SS_CREATOR_MAP(X)                                                          \
	X(creat, int, (const char *p, mode_t m), (p, m), made_other)                 \
	X(creat64, int, (const char *p, mode_t m), (p, m), made_other)               \
	X(epoll_create, int, (int n), (n), made_other)                               \
	X(epoll_create1, int, (int f), (f), made_other)                              \
	X(eventfd, int, (unsigned int v, int f), (v, f), made_other)                 \
	X(timerfd_create, int, (int c, int f), (c, f), made_other)                   \
	X(signalfd, int, (int fd, const sigset_t *m, int f), (fd, m, f), made_other) \
	X(memfd_create, int, (const char *n, unsigned int f), (n, f), made_other)    \
	X(inotify_init, int, (void), (), made_other)                                 \
	X(inotify_init1, int, (int f), (f), made_other)                              \
	X(fopen, FILE *, (const char *p, const char *m), (p, m), made_file)          \
	X(fopen64, FILE *, (const char *p, const char *m), (p, m), made_file)        \
	X(freopen, FILE *, (const char *p, const char *m, FILE *f), (p, m, f), made_file) \
	X(freopen64, FILE *, (const char *p, const char *m, FILE *f), (p, m, f), made_file)

#define SS_CREATOR(name, type, params, args, marker) \
	SS_EXPORT type name params                         \
	{                                                  \
		SS_PASS(name, args);                       \
		return marker(REAL(name) args);            \
	}
SS_CREATOR_MAP(SS_CREATOR)

static int made_pipe(int r, const int fds[2])
{
	if (r == 0) {
		made_other(fds[0]);
		made_other(fds[1]);
	}
	return r;
}

SS_EXPORT int pipe(int fds[2])
{
	SS_PASS(pipe, (fds));
	return made_pipe(REAL(pipe)(fds), fds);
}

SS_EXPORT int pipe2(int fds[2], int flags)
{
	SS_PASS(pipe2, (fds, flags));
	return made_pipe(REAL(pipe2)(fds, flags), fds);
}
