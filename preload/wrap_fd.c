// SPDX-License-Identifier: MIT
/*
 * Wrappers of the calls that end, copy, reconfigure or create descriptors.
 * The tracer's own descriptors are out of the program's reach (tracerfd.c):
 * close, fclose, closefrom and close_range spare them unless the program
 * can hold their numbers; dup2, dup3 and F_DUPFD onto one take it (and
 * stop tracing).  Creating calls reset what the table knew of the number.
 */
#include "preload.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

/*
 * liblttng-ust-common's guard for closing streams (no public header in
 * 2.13): it refuses the tracer's descriptors to every caller but the
 * tracer.  Found with dlsym once the tracer is loaded (ss_tracker_resolve):
 * the preload does not link liblttng-ust-common, whose constructor (RCU
 * set-up, membarrier) would run in every process, also in one that starts
 * under a seccomp filter.
 */
static int (*fclose_stream)(FILE *stream, int (*fclose_cb)(FILE *stream));

/*
 * Following forks.  liblttng-ust has to be told around a fork: its locks
 * held and signals blocked across it, then in the child its state reset
 * and its constructor run again (new vpid, vtid and procname, its own
 * registration with the session daemon).  liblttng-ust-fork does that by
 * interposing fork, but preloading it brings liblttng-ust into every
 * process, also one that starts under a seccomp filter, before our
 * constructor can look (trace.c, started_filtered).  So the preload does
 * its job with the three functions liblttng-ust exports, found once our
 * probes have loaded it, and only while tracing goes on.
 *
 * Only in a process that records (ss_records_from_env: a tag, or SOCKSCOPE_PROBES=on),
 * whose child then waits for its registration inside fork, as the process
 * did at start: the tracer's descriptors are in place, above the program's,
 * before the child goes on.  Any other would register in the background
 * while the child runs, and the child could see the tracer's sockets for a
 * moment at its lowest free numbers (a descriptor scan, a closefrom, an
 * open() expecting 0), and pay a registration per fork for nothing.
 *
 * Of what liblttng-ust-fork wraps: fork and daemon (whose fork is libc's
 * internal one, which no interposer sees) make the processes that keep
 * tracing.  clone() without CLONE_VM is left out: few programs make a
 * process with clone() itself, and its child's events keep the parent's
 * vpid until it execs (README, what cannot be seen).  The setuid family,
 * setns and unshare only reset the cached vuid/vgid and namespace
 * contexts, which a recording does not add (vpid, vtid, procname).
 *
 * A user may still preload liblttng-ust-fork (the old manual recipe): its
 * fork then wraps ours or ours calls it, and the hooks must run once, or
 * the second lttng_ust_before_fork waits for ever on liblttng-ust's fork
 * mutex.  Whether it is loaded, before or after us, decides (looking only
 * at what our REAL(fork) resolves to would miss it loaded before us).
 */
static struct {
	void (*before)(sigset_t *save);
	void (*parent)(sigset_t *restore);
	void (*child)(sigset_t *restore);
} ust_fork;
/* libc's own fork and daemon, where liblttng-ust-fork's would come next:
 * once tracing has stopped, its hooks are not to run (they would re-create
 * the tracer in the child).  Found only when liblttng-ust-fork is loaded:
 * otherwise REAL() is libc's, or another interposer's that must stay. */
static pid_t (*libc_fork)(void);
static int (*libc_daemon)(int nochdir, int noclose);

static void fork_resolve(void)
{
	void *uf = dlopen("liblttng-ust-fork.so.1", RTLD_LAZY | RTLD_NOLOAD);
	if (uf) {
		void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
		if (libc) {
			libc_fork = (__typeof__(libc_fork))dlsym(libc, "fork");
			libc_daemon = (__typeof__(libc_daemon))dlsym(libc, "daemon");
		}
		return;
	}
	if (!ss_probes_loaded() || !ss_records_from_env())
		return;
	ust_fork.before = (__typeof__(ust_fork.before))dlsym(RTLD_DEFAULT, "lttng_ust_before_fork");
	ust_fork.parent =
	    (__typeof__(ust_fork.parent))dlsym(RTLD_DEFAULT, "lttng_ust_after_fork_parent");
	ust_fork.child =
	    (__typeof__(ust_fork.child))dlsym(RTLD_DEFAULT, "lttng_ust_after_fork_child");
	if (!ust_fork.before || !ust_fork.parent || !ust_fork.child)
		ust_fork.before = NULL;
}

void ss_tracker_resolve(void)
{
	fclose_stream = (__typeof__(fclose_stream))dlsym(RTLD_DEFAULT,
							 "lttng_ust_safe_fclose_stream");
	fork_resolve();
}

/* Before a fork that follows: whether the hooks ran (their signal mask in
 * *mask), errno kept.  Not once tracing has stopped, which the caller has
 * checked. */
static int fork_before(sigset_t *mask)
{
	if (!ust_fork.before)
		return 0;
	int saved = errno;
	ust_fork.before(mask);
	errno = saved;
	return 1;
}

/* After it, in the parent or the child, errno kept. */
static void fork_after(int hooked, int in_child, sigset_t *mask)
{
	if (!hooked)
		return;
	int saved = errno;
	(in_child ? ust_fork.child : ust_fork.parent)(mask);
	errno = saved;
}

SS_EXPORT int close(int fd)
{
	if (ss_unlikely(ss_in_tracker))
		return ss_tracer_close_own(fd);
	if (ss_bypass()) {
		/* Stopped: what the program closes is no longer the tracer's
		 * (a vfork child's table is its own). */
		if (!ss_vforked && fd >= 0)
			ss_tracer_fd_lose((unsigned int)fd, (unsigned int)fd);
		ss_passing(__builtin_return_address(0));
		return REAL(close)(fd);
	}
	uint64_t w = ss_fd_get(fd);
	struct ss_call c;

	ss_call_begin_if(&c, ss_word_state(w) == SS_FD_SOCKET && SS_ENTER(close), fd,
			 ss_word_serial(w));
	/* Every descriptor of the tracer's passes through its fd tracker
	 * (tracerfd.c): the table knows them all. */
	int r = ss_word_state(w) == SS_FD_TRACER ? ss_tracer_fd_close(fd) : REAL(close)(fd);
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
	int r = ss_word_state(w) == SS_FD_TRACER && fclose_stream ?
			fclose_stream(f, REAL(fclose)) : REAL(fclose)(f);
	ss_call_end(&c, r, r == EOF);
	if (!(r == EOF && ss_word_state(w) == SS_FD_TRACER))
		ss_fd_forget(fd);
	SS_EMIT(&c, close);
	return r;
}

SS_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	if (ss_bypass())
		return ss_vforked ? REAL(close_range)(first, last, flags) :
				    ss_close_range(first, last, flags);
	struct ss_call c;

	ss_call_begin_if(&c, SS_ENTER(close_range), (int)first, 0);
	int r = ss_close_range(first, last, flags);
	ss_call_end(&c, r, r < 0);
	if (r == 0 && !(flags & CLOSE_RANGE_CLOEXEC))
		ss_fd_forget_range(first, last);
	SS_EMIT(&c, close_range, last, flags);
	return r;
}

/* glibc's closefrom closes from 0 when lowfd is negative. */
SS_EXPORT void closefrom(int lowfd)
{
	unsigned int first = lowfd < 0 ? 0 : (unsigned int)lowfd;

	if (ss_bypass()) {
		if (ss_vforked)
			REAL(closefrom)(lowfd);
		else
			ss_close_range(first, ~0u, 0);
		return;
	}
	struct ss_call c;

	ss_call_begin_if(&c, SS_ENTER(closefrom), lowfd, 0);
	int r = ss_close_range(first, ~0u, 0);
	ss_call_end(&c, r, r < 0);
	if (r == 0)
		ss_fd_forget_range(first, ~0u);
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
	int errno_before = errno;
	uint64_t sock = sock_for((dup || cmd == F_SETFL || cmd == F_SETFD) && SS_ENABLED(fcntl),
				 fd, ra);
	struct ss_call c;

	ss_call_begin_if(&c, sock != 0, fd, sock);
	int r = is64 ? REAL(fcntl64)(fd, cmd, arg) : REAL(fcntl)(fd, cmd, arg);
	if (dup)
		r = ss_tracer_fd_dupfd(fd, cmd, (int)(long)arg, r, errno_before);
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
	if (!ss_bypass())
		ss_tracer_fd_claim_dup(fd, newfd, 1);
	SS_DUP_BODY(dup2, REAL(dup2)(fd, newfd), newfd, 0)
}

SS_EXPORT int dup3(int fd, int newfd, int flags)
{
	if (!ss_bypass())
		ss_tracer_fd_claim_dup(fd, newfd, !(flags & ~O_CLOEXEC));
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
		return !ss_vforked && libc_fork ? libc_fork() : REAL(fork)();
	struct ss_call c;
	sigset_t mask;

	ss_call_begin_if(&c, SS_ENTER(fork), -1, 0);
	int hooked = fork_before(&mask);
	pid_t r = REAL(fork)();
	fork_after(hooked, r == 0, &mask);
	if (r == 0)
		return 0;
	ss_call_end(&c, r, r < 0);
	SS_EMIT(&c, fork);
	return r;
}

/*
 * daemon: a fork inside libc whose parent exits at once.  No event (the
 * parent never returns to emit one); the child follows as after fork.  It
 * may fail in the child too (setsid), so the pid tells which side we are.
 */
SS_EXPORT int daemon(int nochdir, int noclose)
{
	if (ss_bypass())
		return !ss_vforked && libc_daemon ? libc_daemon(nochdir, noclose) :
						    REAL(daemon)(nochdir, noclose);
	sigset_t mask;
	pid_t self = getpid();
	int hooked = fork_before(&mask);
	int r = REAL(daemon)(nochdir, noclose);
	int child = getpid() != self;
	fork_after(hooked, child, &mask);
	/* No event shows this process start: it says its name. */
	if (child && SS_ENTER(comm))
		ss_say_comm(0, NULL);
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
