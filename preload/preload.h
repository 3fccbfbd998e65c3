/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the wrappers of libsockscope-preload.so: the real libc
 * functions, the descriptor table, and the enter/emit helpers every wrapper
 * uses so that each one is only its own arguments and fields.
 */
#ifndef SS_PRELOAD_H
#define SS_PRELOAD_H

#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <time.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "sockscope-tp.h"
#include "ss_addr.h"
#include "ss_names.h"
#include "ss_runtime.h"

#define SS_HIDDEN __attribute__((visibility("hidden")))
#define SS_EXPORT __attribute__((visibility("default")))
#define SS_TLS __thread __attribute__((tls_model("initial-exec")))
#define ss_likely(x) __builtin_expect(!!(x), 1)
#define ss_unlikely(x) __builtin_expect(!!(x), 0)

/* liblttng-ust-common's fd tracker (no public header in 2.13): every
 * descriptor the tracer keeps passes through it (tracerfd.c). */
int lttng_ust_add_fd_to_tracker(int fd);
void lttng_ust_delete_fd_from_tracker(int fd);
void lttng_ust_lock_fd_tracker(void);
void lttng_ust_unlock_fd_tracker(void);

/* Fortified entry points have no prototype without _FORTIFY_SOURCE. */
ssize_t __read_chk(int fd, void *buf, size_t nbytes, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
		       struct sockaddr *addr, socklen_t *addrlen);
int __poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
		const sigset_t *ss, size_t fdslen);

/*
 * Every libc function the preload calls through: the wrapped ones and the
 * few it needs for itself.  X(name); the pointer has the type of the
 * function's own prototype.
 */
#define SS_REAL_MAP(X)                                                      \
	X(socket) X(socketpair) X(bind) X(listen) X(accept) X(accept4)      \
	X(connect) X(send) X(sendto) X(sendmsg) X(sendmmsg) X(recv)         \
	X(recvfrom) X(recvmsg) X(recvmmsg) X(read) X(write) X(readv)        \
	X(writev) X(sendfile) X(sendfile64) X(getsockopt) X(setsockopt) X(shutdown)       \
	X(close) X(close_range) X(closefrom) X(getpeername) X(getsockname)  \
	X(fcntl) X(fcntl64) X(ioctl) X(dup) X(dup2) X(dup3) X(fork) X(daemon)       \
	X(gethostbyname) X(gethostbyname2) X(gethostbyname_r)               \
	X(gethostbyname2_r) X(gethostbyaddr) X(gethostbyaddr_r)             \
	X(gethostname) X(getservbyname) X(getservbyname_r) X(getservbyport)      \
	X(getservbyport_r) X(getaddrinfo)   \
	X(getnameinfo) X(__read_chk) X(__recv_chk) X(__recvfrom_chk)        \
	X(fclose) X(open) X(open64) X(openat) X(openat64) X(creat)          \
	X(creat64) X(pipe) X(pipe2) X(fopen) X(fopen64) X(freopen)          \
	X(freopen64) X(epoll_create) X(epoll_create1) X(eventfd)            \
	X(timerfd_create) X(signalfd) X(memfd_create) X(inotify_init)       \
	X(inotify_init1) X(posix_spawn) X(posix_spawnp) X(prctl) X(vfork)   \
	X(syscall) X(pthread_create) X(pthread_setname_np)                  \
	X(poll) X(__poll_chk) X(ppoll) X(__ppoll_chk) X(select) X(pselect)  \
	X(epoll_wait) X(epoll_pwait) X(epoll_pwait2) X(epoll_ctl)           \
	X(lttng_ust_add_fd_to_tracker) X(lttng_ust_delete_fd_from_tracker) \
	X(lttng_ust_lock_fd_tracker) X(lttng_ust_unlock_fd_tracker)

enum ss_real_id {
#define SS_REAL_ID(name) SS_R_##name,
	SS_REAL_MAP(SS_REAL_ID)
#undef SS_REAL_ID
	SS_R_COUNT
};

extern void *ss_real_fn[SS_R_COUNT] SS_HIDDEN;
SS_HIDDEN void *ss_resolve(enum ss_real_id id);

/* The real function `name`, resolved on first use if the constructor has
 * not run yet. */
#define REAL(name)                                                           \
	((__typeof__(&name))(ss_likely(ss_real_fn[SS_R_##name]) ?            \
				     ss_real_fn[SS_R_##name] :               \
				     ss_resolve(SS_R_##name)))

/* ---- descriptor table (fdtable.c) ---- */

/* State of a descriptor as the preload knows it, kept with its serial and
 * the connecting flag in one 64-bit word so readers and writers need no
 * lock: serial << 3 | connecting << 2 | state. */
enum ss_fd_state {
	SS_FD_UNKNOWN = 0, /* never looked at, or changed behind our back */
	SS_FD_SOCKET = 1,  /* a socket with a serial */
	SS_FD_OTHER = 2,   /* known not to be a socket */
	SS_FD_TRACER = 3,  /* the tracer's own descriptor: never reported */
};

/* The serial of a tracer's descriptor says where it was placed: above the
 * program's soft limit (hidden), or below it when the hard limit left no
 * room (tracerfd.c); and whether the program has taken its number (lost). */
#define SS_TRACER_HIDDEN 1
#define SS_TRACER_LOST 2

/* Two levels: SS_FD_TOP chunk pointers, chunks of SS_FD_CHUNK words mapped
 * on first write (fdtable.c). */
#define SS_FD_CHUNK_BITS 12
#define SS_FD_CHUNK (1u << SS_FD_CHUNK_BITS)
#define SS_FD_TOP (1u << (31 - SS_FD_CHUNK_BITS))
extern uint64_t *ss_fd_chunks[SS_FD_TOP] SS_HIDDEN;

SS_HIDDEN void ss_fd_set(int fd, uint64_t word);
SS_HIDDEN int ss_fd_cas(int fd, uint64_t old, uint64_t word);
SS_HIDDEN void ss_fd_forget_range(unsigned int first, unsigned int last);
/* The lowest number in [first, last] that is the tracer's, or -1. */
SS_HIDDEN int ss_fd_find_tracer(unsigned int first, unsigned int last);
/* Call fn on the slot of every number in [first, last] that has a chunk,
 * in order, until it returns nonzero; returns that number, or -1. */
SS_HIDDEN int ss_fd_walk(unsigned int first, unsigned int last, int (*fn)(uint64_t *slot));
SS_HIDDEN uint64_t ss_new_serial(void);

/* How many descriptors have SS_FD_CONNECTING: while none has, the
 * readiness wrappers are a load and a branch more than libc. */
extern unsigned int ss_connecting SS_HIDDEN;
static inline int ss_connecting_any(void)
{
	return ss_unlikely(__atomic_load_n(&ss_connecting, __ATOMIC_RELAXED) != 0);
}
/* After connect() on the socket at fd (serial sock) returned r, errno
 * err: set or clear its connecting flag.  Keeps errno. */
SS_HIDDEN void ss_fd_connect_result(int fd, uint64_t sock, int r, int err);
/* Clear fd's connecting flag; returns its serial when this call cleared
 * it, else 0 (it had none, or another thread cleared it first). */
SS_HIDDEN uint64_t ss_fd_settle(int fd);

/* The epoll registrations of connecting sockets (wrap_ready.c): forget
 * those of descriptors [first, last], and those whose epoll descriptor
 * is among them when epfds is set.  Keeps errno. */
SS_HIDDEN void ss_epmap_forget(unsigned int first, unsigned int last, int epfds);

/*
 * A socket whose non-blocking connect() is in progress (it returned
 * EINPROGRESS, or EINTR, after which the kernel goes on connecting): the
 * first readiness call that reports it emits a `ready` event for it
 * (wrap_ready.c).  Set by a traced connect(); cleared by that event, by
 * getsockopt(SO_ERROR), by a data call that did not fail with EAGAIN, by a
 * connect() that did not leave it in progress, and whenever the number's
 * word is replaced (close, dup2 over it, a new descriptor there).  Not
 * copied by dup: the flag is per descriptor number.
 */
#define SS_FD_CONNECTING 4u

static inline enum ss_fd_state ss_word_state(uint64_t w) { return (enum ss_fd_state)(w & 3); }
static inline uint64_t ss_word_serial(uint64_t w) { return w >> 3; }
static inline uint64_t ss_word(uint64_t serial, enum ss_fd_state st) { return serial << 3 | st; }

/* What the table knows of fd: two loads, no call, no lock.  A negative fd
 * is no socket; a number never written is unknown. */
static inline uint64_t ss_fd_get(int fd)
{
	if (ss_unlikely(fd < 0))
		return ss_word(0, SS_FD_OTHER);
	uint64_t *c = __atomic_load_n(&ss_fd_chunks[(unsigned int)fd >> SS_FD_CHUNK_BITS],
				      __ATOMIC_ACQUIRE);
	return c ? __atomic_load_n(&c[fd & (SS_FD_CHUNK - 1)], __ATOMIC_ACQUIRE) : 0;
}

/* A call on fd that shows its connection settled: getsockopt(SO_ERROR),
 * a data call that succeeded or failed otherwise than with EAGAIN. */
static inline void ss_fd_settled_by(int fd, int settled)
{
	if (ss_connecting_any() && settled && (ss_fd_get(fd) & SS_FD_CONNECTING))
		ss_fd_settle(fd);
}

/* A descriptor just came into being: forget what the number was before. */
static inline void ss_fd_forget(int fd)
{
	if (fd >= 0)
		ss_fd_set(fd, ss_word(0, SS_FD_UNKNOWN));
}

/* A readiness call made with syscall(number, a...) (wrap_syscall.c):
 * made with raw, then looked at as its libc function's wrapper does
 * (wrap_ready.c); ra is the caller's return address. */
SS_HIDDEN long ss_ready_sys(long nr, const long a[6], long (*raw)(long, ...), const void *ra);

/* ---- the tracer's descriptors (tracerfd.c) ---- */

/*
 * When the program takes one of the tracer's numbers, it wins: its call
 * does what it does bare, and tracing of the process stops first.  Called
 * before dup2/dup3(old, newfd) (flags_ok: dup3's flags are valid): stops
 * when that call will replace a tracer's newfd.  Keeps errno.
 */
SS_HIDDEN void ss_tracer_fd_claim_dup(int old, int newfd, int flags_ok);
/* The program closes [first, last] while tracing is stopped: the tracer's
 * descriptors there are lost to it (its own close of them is skipped). */
SS_HIDDEN void ss_tracer_fd_lose(unsigned int first, unsigned int last);
/* The program's close of a tracer's descriptor: what bare gives. */
SS_HIDDEN int ss_tracer_fd_close(int fd);
/* Nonzero while this thread holds the tracer's fd-tracker lock: the tracer
 * opens and closes its descriptors only so. */
extern SS_TLS int ss_in_tracker SS_HIDDEN;
/* The tracer's close of one of its descriptors (ss_in_tracker). */
SS_HIDDEN int ss_tracer_close_own(int fd);
/* After fcntl(old, cmd = F_DUPFD[_CLOEXEC], min) gave r: the number bare
 * would give, when that is a tracer's (errno_before: errno before the call). */
SS_HIDDEN int ss_tracer_fd_dupfd(int old, int cmd, long min, int r, int errno_before);
/* close_range, sparing the tracer's descriptors the program cannot hold;
 * return value and errno those of the kernel. */
SS_HIDDEN int ss_close_range(unsigned int first, unsigned int last, int flags);

/* ---- tracing context (trace.c) ---- */

extern SS_TLS int ss_guard SS_HIDDEN;

/* Whether the caller at return address ra is the tracer itself (liblttng-ust
 * talking to its session daemon), or cannot be told yet (-1). */
SS_HIDDEN int ss_is_tracer(const void *ra);

/* ---- the end of tracing, and vfork children (stop.c) ---- */

/* Set once: tracing of this process is over. */
extern int ss_stopped SS_HIDDEN;
/* Set while this thread runs a vfork child (which shares our memory). */
extern SS_TLS int ss_vforked SS_HIDDEN;

/*
 * Stop tracing this process for good: emit sockscope:stop (why: a short
 * word, detail: a number that says more) if it is enabled, then take the
 * tracer out: its threads leave, its destructors and fork handling are
 * skipped.  Afterwards every wrapper is a plain call to libc.  Call it
 * while the process may still make any system call.  Keeps errno.
 */
SS_HIDDEN void ss_stop_tracing(const char *why, long detail);

/* A wrapper called once tracing has stopped: a tracer thread leaves here. */
SS_HIDDEN void ss_passing(const void *ra);

/* Whether tracing of this process is over (a vfork child aside). */
static inline int ss_is_stopped(void)
{
	return ss_unlikely(__atomic_load_n(&ss_stopped, __ATOMIC_RELAXED));
}

/* Whether wrappers must pass straight to libc: no bookkeeping, no event. */
static inline int ss_bypass(void)
{
	return ss_unlikely(__atomic_load_n(&ss_stopped, __ATOMIC_RELAXED) | ss_vforked);
}

/* First thing in a wrapper: once bypassed, call the real function and
 * nothing else.  params-free: args is the parenthesised argument list. */
#define SS_PASS(name, args)                                                   \
	do {                                                                  \
		if (ss_bypass()) {                                            \
			ss_passing(__builtin_return_address(0));              \
			return REAL(name) args;                               \
		}                                                             \
	} while (0)

/* prctl and seccomp(2) as the preload sees them: a process that installs
 * a seccomp filter stops tracing first.  ss_seccomp makes the system call
 * (glibc has no seccomp function); both return as the kernel does. */
SS_HIDDEN int ss_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
		       unsigned long a5);
SS_HIDDEN int ss_seccomp(unsigned int op, unsigned int flags, void *args);

/* The process's name: emit sockscope:exec (exec nonzero, at the start of
 * an image) or sockscope:comm (it changed, or a process no event shows the
 * start of names itself) with name, or the calling thread's own when NULL
 * (wrap_name.c).  Keeps errno. */
SS_HIDDEN void ss_say_comm(int exec, const char *name);
/* After a successful prctl(PR_SET_NAME): a main thread's new name is the
 * process's. */
SS_HIDDEN void ss_named(void);

/* Find liblttng-ust-common's fd tracker once the tracer is loaded. */
SS_HIDDEN void ss_tracker_resolve(void);
/* Count the program's threads from now on (stop.c): when the last one
 * leaves while liblttng-ust's threads remain, tracing stops so that the
 * process ends as it would bare. */
SS_HIDDEN void ss_count_threads(void);
/* Whether the probes (and so liblttng-ust) were loaded at start-up. */
SS_HIDDEN int ss_probes_loaded(void);
/* Keep our tracepoint definitions registered at exit (stop.c). */
SS_HIDDEN void ss_trace_detach(void);
/* A process that does not record: at exit, skip the destructors of
 * liblttng-ust and of the probes (stop.c). */
SS_HIDDEN void ss_skip_exit(void);

/* Whether a call from ra may be traced now: tracing not stopped, not
 * nested inside our own tracing, and not the tracer's own traffic. */
static inline int ss_may_trace(const void *ra)
{
	return !ss_bypass() && !ss_guard && ss_is_tracer(ra) == 0;
}

#define SS_ENABLED(ev) lttng_ust_tracepoint_enabled(sockscope, ev)
#define SS_ENTER(ev) (SS_ENABLED(ev) && ss_may_trace(__builtin_return_address(0)))

static inline uint64_t ss_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Define the wrapper of libc function `name`.  The exported function is
 * only the fast path: while `hot` is false, or the call may not be traced
 * (ss_may_trace), it tail-calls the real function with no stack frame of
 * its own -- what a wrapper costs when its event is off or its descriptor
 * is no socket.  Otherwise it calls the body that follows the macro, a
 * separate function with the same parameters.  params and args are
 * parenthesised lists.
 */
#define SS_WRAPPER(type, name, params, args, hot)                              \
	static __attribute__((noinline)) type ss_slow_##name params;           \
	SS_EXPORT type name params                                             \
	{                                                                      \
		SS_PASS(name, args);                                           \
		if (ss_likely(!(hot)) || !ss_may_trace(__builtin_return_address(0))) \
			return REAL(name) args;                                \
		return ss_slow_##name args;                                    \
	}                                                                      \
	static type ss_slow_##name params

/* What a wrapper keeps across the real call. */
struct ss_call {
	struct ss_tp_base b;
	int saved_errno; /* errno as the real call left it */
	int on;          /* the event is emitted: traced, not the tracer's socket */
};

/*
 * Start a call on fd (sock: its serial, 0 for none) whose event is emitted
 * when on, unless fd is the tracer's own socket.  Wrappers that run their
 * bookkeeping for every call (close, dup, fcntl, fork, ...) pass whether
 * they trace it: the clock is read only for calls that emit, and only here:
 * the call's end is the event's own timestamp.
 */
static inline void ss_call_begin_if(struct ss_call *c, int on, int fd, uint64_t sock)
{
	c->on = on && (sock || ss_word_state(ss_fd_get(fd)) != SS_FD_TRACER);
	c->b.fd = fd;
	c->b.sock = sock;
	c->b.start_ns = c->on ? ss_now() : 0;
}

/* The same for a call that is traced: the slow path of a wrapper. */
static inline void ss_call_begin(struct ss_call *c, int fd, uint64_t sock)
{
	ss_call_begin_if(c, 1, fd, sock);
}

/* Record the result; failed is whether the call reports an errno. */
static inline void ss_call_end(struct ss_call *c, int64_t ret, int failed)
{
	c->saved_errno = errno;
	c->b.ret = ret;
	c->b.err = failed ? c->saved_errno : 0;
}

/* Emit sockscope:ev with its fields when the call is on (the arguments are
 * evaluated only then), then give errno back to the caller as the real
 * call left it. */
#define SS_EMIT(c, ev, ...)                                                  \
	do {                                                                 \
		if (ss_likely((c)->on) && !ss_is_stopped()) {               \
			ss_guard++;                                          \
			lttng_ust_do_tracepoint(sockscope, ev, &(c)->b, ##__VA_ARGS__); \
			ss_guard--;                                          \
		}                                                            \
		errno = (c)->saved_errno;                                    \
	} while (0)

/*
 * record --payload (payload.c): the most bytes of each send or receive
 * recorded as sockscope:payload events after the call's own, 0 when off
 * (SOCKSCOPE_PAYLOAD, read once at start: a wrapper tests this word and
 * nothing more when it is off).  The emitters record the bytes of buf, or
 * of the iovecs, from the call's offset off on, at most n, and return the
 * offset after them; they keep errno.
 */
extern uint64_t ss_payload_max SS_HIDDEN;
SS_HIDDEN void ss_payload_init(void);
SS_HIDDEN uint64_t ss_payload_buf(const struct ss_call *c, uint64_t off, const void *buf,
				  uint64_t n);
SS_HIDDEN uint64_t ss_payload_iov(const struct ss_call *c, uint64_t off, const struct iovec *iov,
				  long niov, uint64_t n);
#define SS_PAYLOAD_ON(c, r) (ss_unlikely(ss_payload_max) && (c)->on && (r) > 0)

/*
 * The serial of the socket at fd for a traced call, describing it first
 * (sockscope:describe) if this is the first sight of it.  Returns 0 when
 * fd is not a socket.  Keeps errno.
 */
SS_HIDDEN uint64_t ss_sock_traced(int fd);

/* The serial of fd if it is a known socket, else 0: no system call. */
static inline uint64_t ss_sock_known(int fd)
{
	uint64_t w = ss_fd_get(fd);

	return ss_word_state(w) == SS_FD_SOCKET ? ss_word_serial(w) : 0;
}

/* Whether fd may be a socket worth tracing (read/write family): known
 * sockets and descriptors never looked at. */
static inline int ss_fd_maybe_socket(int fd)
{
	enum ss_fd_state st = ss_word_state(ss_fd_get(fd));

	return st == SS_FD_SOCKET || st == SS_FD_UNKNOWN;
}

/* A socket created by a call from ra: give fd a new serial, or mark it the
 * tracer's.  Returns the serial (0 for the tracer's). */
SS_HIDDEN uint64_t ss_fd_new_socket(int fd, const void *ra);

/* The same socket under another number (dup family). */
SS_HIDDEN void ss_fd_copy(int from, int to);

/*
 * Copy len bytes of caller memory that the kernel may have rejected: a
 * plain copy when trusted (the call succeeded, so the kernel read it),
 * else through process_vm_readv so a bad pointer yields 0 instead of a
 * crash.  Returns the number of bytes copied; errno is kept.  The trusted
 * copy is inline: the socket-option wrappers make two per call.
 */
SS_HIDDEN size_t ss_peek_untrusted(void *dst, const void *src, size_t len);
static inline size_t ss_peek(void *dst, const void *src, size_t len, int trusted)
{
	if (!src || !len)
		return 0;
	if (!trusted)
		return ss_peek_untrusted(dst, src, len);
	__builtin_memcpy(dst, src, len);
	return len;
}

/* An endpoint for an event: decoded from caller memory at sa/len. */
struct ss_ep {
	struct ss_tp_addr tp;
	struct ss_endpoint e;
};
SS_HIDDEN const struct ss_tp_addr *ss_ep_decode(struct ss_ep *ep, const void *sa,
						size_t len, int trusted);
SS_HIDDEN const struct ss_tp_addr *ss_ep_none(struct ss_ep *ep);

/* Before a call that writes an address back to sa: the buffer length the
 * caller offers at lenp (0 when sa is NULL or *lenp cannot be read). */
SS_HIDDEN socklen_t ss_len_in(const void *sa, const socklen_t *lenp);
/* After it: the endpoint the kernel wrote back, *lenp bytes of which the
 * caller's buffer held at most inlen; none when !ok. */
SS_HIDDEN const struct ss_tp_addr *ss_ep_out(struct ss_ep *ep, const void *sa,
					     const socklen_t *lenp, socklen_t inlen, int ok);
/* The endpoint of fd as the kernel has it, asked with a buffer of our own:
 * its local address (getsockname), or its peer's when peer is set; none
 * when the kernel has none.  Keeps errno. */
SS_HIDDEN const struct ss_tp_addr *ss_ep_of_fd(struct ss_ep *ep, int fd, int peer);
/* ss_ep_out, except that an address longer than the caller's buffer (the
 * kernel cut it) is asked again of fd in full; peer as for ss_ep_of_fd. */
SS_HIDDEN const struct ss_tp_addr *ss_ep_out_full(struct ss_ep *ep, int fd, int peer,
						  const void *sa, const socklen_t *lenp,
						  socklen_t inlen, int ok);

#endif
