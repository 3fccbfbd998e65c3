// SPDX-License-Identifier: MIT
/*
 * libc's syscall(): programs that call it for their socket work (libuv
 * sends with syscall(__NR_sendmmsg), so BIND's dig does) would bypass every
 * wrapper.  The numbers of SS_SYSCALL_MAP are routed to the exported
 * wrapper of the same call, so they are traced and keep the descriptor
 * table right; every other number (futex, gettid, ...) costs one bitmap
 * test and a tail call into libc's syscall().
 *
 * A program with its own `syscall` instruction (Go's runtime, static
 * binaries) never comes here: that remains unseen.  x86_64 only: the table
 * names x86_64's numbers, and the definition of syscall() relies on its
 * calling convention (elsewhere syscall() is not wrapped).
 */
#include "preload.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
/*
 * One line per routed number: X(ctx, name, routed, call).  call is the
 * exported wrapper called with the raw arguments a[0..5] cast to the
 * kernel's types (the kernel truncates wider values the same way); it
 * returns what the raw system call would, -1 and errno on failure, as
 * syscall() does.  RAW is the call passed through unchanged: commands
 * whose libc wrapper differs from the system call (glibc's fcntl rewrites
 * F_GETOWN and lock commands; ioctl requests other than FIONBIO) go there.
 * routed 0 keeps a number out of the bitmap: it goes straight through.
 * (x86_64 and arm64 have no socketcall, no send or recv number: send and
 * recv are sendto and recvfrom with no address.)
 */
#define SS_FCNTL_TRACED(cmd) ((cmd) == F_DUPFD || (cmd) == F_DUPFD_CLOEXEC || (cmd) == F_SETFL)
#define SS_SYSCALL_MAP(X, ctx)                                                               \
	X(ctx, socket, 1, socket((int)a[0], (int)a[1], (int)a[2]))                           \
	X(ctx, socketpair, 1, socketpair((int)a[0], (int)a[1], (int)a[2], (int *)a[3]))      \
	X(ctx, bind, 1, bind((int)a[0], (const struct sockaddr *)a[1], (socklen_t)a[2]))     \
	X(ctx, listen, 1, listen((int)a[0], (int)a[1]))                                      \
	X(ctx, connect, 1, connect((int)a[0], (const struct sockaddr *)a[1], (socklen_t)a[2])) \
	X(ctx, accept, 1, accept((int)a[0], (struct sockaddr *)a[1], (socklen_t *)a[2]))     \
	X(ctx, accept4, 1,                                                                   \
	  accept4((int)a[0], (struct sockaddr *)a[1], (socklen_t *)a[2], (int)a[3]))         \
	X(ctx, sendto, 1,                                                                    \
	  sendto((int)a[0], (const void *)a[1], (size_t)a[2], (int)a[3],                     \
		 (const struct sockaddr *)a[4], (socklen_t)a[5]))                            \
	X(ctx, recvfrom, 1,                                                                  \
	  recvfrom((int)a[0], (void *)a[1], (size_t)a[2], (int)a[3], (struct sockaddr *)a[4], \
		   (socklen_t *)a[5]))                                                       \
	X(ctx, sendmsg, 1, sendmsg((int)a[0], (const struct msghdr *)a[1], (int)a[2]))       \
	X(ctx, recvmsg, 1, recvmsg((int)a[0], (struct msghdr *)a[1], (int)a[2]))             \
	X(ctx, sendmmsg, 1,                                                                  \
	  sendmmsg((int)a[0], (struct mmsghdr *)a[1], (unsigned int)a[2], (int)a[3]))        \
	X(ctx, recvmmsg, 1,                                                                  \
	  recvmmsg((int)a[0], (struct mmsghdr *)a[1], (unsigned int)a[2], (int)a[3],         \
		   (struct timespec *)a[4]))                                                 \
	X(ctx, getsockname, 1,                                                               \
	  getsockname((int)a[0], (struct sockaddr *)a[1], (socklen_t *)a[2]))                \
	X(ctx, getpeername, 1,                                                               \
	  getpeername((int)a[0], (struct sockaddr *)a[1], (socklen_t *)a[2]))                \
	X(ctx, getsockopt, 1,                                                                \
	  getsockopt((int)a[0], (int)a[1], (int)a[2], (void *)a[3], (socklen_t *)a[4]))      \
	X(ctx, setsockopt, 1,                                                                \
	  setsockopt((int)a[0], (int)a[1], (int)a[2], (const void *)a[3], (socklen_t)a[4]))  \
	X(ctx, shutdown, 1, shutdown((int)a[0], (int)a[1]))                                  \
	X(ctx, close, 1, tracked((int)a[0]) ? close((int)a[0]) : closed((int)a[0], RAW))     \
	X(ctx, close_range, 1, close_range((unsigned int)a[0], (unsigned int)a[1], (int)a[2])) \
	X(ctx, dup, 1, dup((int)a[0]))                                                       \
	X(ctx, dup2, 1, dup2((int)a[0], (int)a[1]))                                          \
	X(ctx, dup3, 1, dup3((int)a[0], (int)a[1], (int)a[2]))                               \
	X(ctx, fcntl, 1,                                                                     \
	  SS_FCNTL_TRACED((int)a[1]) ? fcntl((int)a[0], (int)a[1], a[2]) : RAW)              \
	X(ctx, ioctl, 1,                                                                     \
	  (unsigned int)a[1] == FIONBIO ? ioctl((int)a[0], FIONBIO, (void *)a[2]) : RAW)     \
	X(ctx, read, 1, read((int)a[0], (void *)a[1], (size_t)a[2]))                         \
	X(ctx, write, 1, write((int)a[0], (const void *)a[1], (size_t)a[2]))                 \
	X(ctx, readv, 1, readv((int)a[0], (const struct iovec *)a[1], (int)a[2]))            \
	X(ctx, writev, 1, writev((int)a[0], (const struct iovec *)a[1], (int)a[2]))          \
	X(ctx, sendfile, 1, sendfile((int)a[0], (int)a[1], (off_t *)a[2], (size_t)a[3]))     \
	/* Readiness: the raw call, then a look for connecting sockets in what \
	 * it reports (wrap_ready.c); epoll_ctl is libc's system call itself. */ \
	X(ctx, poll, 1, READY) X(ctx, ppoll, 1, READY) X(ctx, select, 1, READY)             \
	X(ctx, pselect6, 1, READY) X(ctx, epoll_wait, 1, READY)                              \
	X(ctx, epoll_pwait, 1, READY) X(ctx, epoll_pwait2, 1, READY)                         \
	X(ctx, epoll_ctl, 1,                                                                 \
	  epoll_ctl((int)a[0], (int)a[1], (int)a[2], (struct epoll_event *)a[3]))          \
	/* Sandboxes: tracing stops before a filter goes in (wrap_sandbox.c). */ \
	X(ctx, seccomp, 1, ss_seccomp((unsigned int)a[0], (unsigned int)a[1], (void *)a[2]))  \
	X(ctx, prctl, 1,                                                                     \
	  ss_prctl((int)a[0], (unsigned long)a[1], (unsigned long)a[2], (unsigned long)a[3],  \
		   (unsigned long)a[4]))

/*
 * close: through its wrapper for sockets and the tracer's own descriptors
 * only.  Allocators close their files with raw calls while holding their
 * own locks (jemalloc during its first malloc), and the wrapper's
 * protection of an unknown number asks liblttng-ust's fd tracker, whose
 * first use allocates: a deadlock.  Any other number is closed as bare,
 * then forgotten, as the wrapper does.
 */
static int tracked(int fd)
{
	enum ss_fd_state st = ss_word_state(ss_fd_get(fd));

	return st == SS_FD_SOCKET || st == SS_FD_TRACER;
}

static long closed(int fd, long r)
{
	if (!(r < 0 && errno == EBADF))
		ss_fd_forget(fd);
	return r;
}

/* One bit per routed number, computed by the compiler from the map. */
#define SS_SYS_WORDS 8
#define SS_SYS_BIT(w, name, routed, call) \
	| ((routed) && SYS_##name / 64 == (w) ? 1ull << (SYS_##name % 64) : 0)
#define SS_SYS_WORD(w) (0 SS_SYSCALL_MAP(SS_SYS_BIT, w))
static const uint64_t routed_bits[SS_SYS_WORDS] = {
	SS_SYS_WORD(0), SS_SYS_WORD(1), SS_SYS_WORD(2), SS_SYS_WORD(3),
	SS_SYS_WORD(4), SS_SYS_WORD(5), SS_SYS_WORD(6), SS_SYS_WORD(7),
};
#define SS_SYS_FITS(w, name, routed, call) \
	_Static_assert(SYS_##name < SS_SYS_WORDS * 64, "SS_SYS_WORDS too small for " #name);
SS_SYSCALL_MAP(SS_SYS_FITS, 0)

/*
 * A routed call.  It is reached by a tail call from syscall(), so its
 * return address is still the caller's: the tracer's own raw calls, and
 * ours, go straight through, as does every call once tracing has stopped
 * or in a vfork child (which must not touch the table it shares).  libc's wrappers are cancellation points
 * where syscall() is none: cancellation stays off meanwhile, so a thread
 * cancelled in a raw call ends where it would bare.
 */
static __attribute__((noinline)) long routed(long nr, long a1, long a2, long a3, long a4,
					     long a5, long a6)
{
	long (*raw)(long, ...) = REAL(syscall);
	const long a[6] = { a1, a2, a3, a4, a5, a6 };
#define RAW raw(nr, a[0], a[1], a[2], a[3], a[4], a[5])
#define READY ss_ready_sys(nr, a, raw, __builtin_return_address(0))
	if (ss_bypass() || ss_guard || ss_is_tracer(__builtin_return_address(0)) > 0)
		return RAW;
	int cancel, saved = errno;
	long r;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
	errno = saved;
	switch (nr) {
#define SS_SYS_CASE(ctx, name, routed, call) \
	case SYS_##name:                     \
		r = (routed) ? (long)(call) : RAW; \
		break;
		SS_SYSCALL_MAP(SS_SYS_CASE, 0)
#undef SS_SYS_CASE
	default:
		r = RAW;
	}
#undef RAW
#undef READY
	saved = errno;
	pthread_setcancelstate(cancel, &cancel);
	errno = saved;
	return r;
}

/* Before the constructor: resolve first, out of the fast path's way. */
static __attribute__((noinline)) long early(long nr, long a1, long a2, long a3, long a4,
					    long a5, long a6)
{
	return REAL(syscall)(nr, a1, a2, a3, a4, a5, a6);
}

/*
 * syscall(number, ...) takes its arguments as longs where a call with seven
 * integer arguments has them, variadic or not (the x86_64 ABI; glibc's own
 * syscall() reads them so), so it is defined with seven: both paths are
 * then a test and a tail call, with no va_list and no stack frame.
 */
SS_EXPORT long ss_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			  long a6) __asm__("syscall");
long ss_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	if (ss_likely((unsigned long)nr >= SS_SYS_WORDS * 64 ||
		      !(routed_bits[nr / 64] >> (nr % 64) & 1))) {
		__typeof__(&syscall) fn = ss_real_fn[SS_R_syscall];
		if (ss_likely(fn != NULL))
			return fn(nr, a1, a2, a3, a4, a5, a6);
		return early(nr, a1, a2, a3, a4, a5, a6);
	}
	return routed(nr, a1, a2, a3, a4, a5, a6);
}
#endif
