// SPDX-License-Identifier: MIT
/*
 * Readiness of connecting sockets: poll, ppoll, select, pselect,
 * epoll_wait, epoll_pwait, epoll_pwait2 (and the fortified __poll_chk,
 * __ppoll_chk), with epoll_ctl.  A non-blocking connect() is over when one
 * of these reports its socket ready, so each such report emits one `ready`
 * event, named after the call, for the socket (SS_FD_CONNECTING, set by
 * connect).  These are the hot calls of every event loop: while no socket
 * connects (ss_connecting is 0, nearly always) a wrapper is the real call
 * with a load and a branch before and after it, and a call that reports no
 * connecting socket emits nothing.  Return value, errno and everything the
 * call wrote back are the kernel's: the wrappers only read them.
 *
 * epoll gives back the caller's data, not the descriptor: epoll_ctl keeps
 * (epoll descriptor, data) -> descriptor, only for sockets that are
 * connecting when they are added or modified, in a small lock-free table
 * (empty whenever nothing connects).  A socket added before its connect()
 * (nginx's order), or beyond the table's room, has no epoll `ready` event:
 * its getsockopt(SO_ERROR) or first data call ends its connect instead.
 */
#include "preload.h"

#include <sched.h>
#include <sys/syscall.h>

/* ---- the epoll map ---- */

#define SS_EPMAP_SLOTS 128

/*
 * A slot's tag is generation << 32 | what, what being 0 (free), 1 (being
 * written) or the descriptor + 2.  A writer takes a free slot by moving its
 * tag to "being written" (compare-and-swap), writes epfd and data, then
 * publishes the descriptor under a new generation; a reader reads the tag,
 * the fields and the tag again, as a seqlock reader does.  No lock: a
 * signal handler may poll or close too.
 */
struct epmap_slot {
	uint64_t tag;
	uint64_t data;
	int epfd;
};
static struct epmap_slot epmap[SS_EPMAP_SLOTS];
/* One past the highest slot ever taken, and how many are taken now. */
static unsigned int epmap_end, epmap_used;
/*
 * epoll_ctl calls adding or changing a connecting socket, in flight: the
 * kernel may wake another thread's epoll_wait with the socket before its
 * slot is written (ctl_connecting), so a readiness call that wakes
 * meanwhile waits for them to be written before it looks (epmap_settle).
 */
static unsigned int epmap_pending;

static void epmap_settle(void)
{
	for (int i = 0; i < 2000 && __atomic_load_n(&epmap_pending, __ATOMIC_ACQUIRE); i++)
		sched_yield();
}

static uint64_t tag_next(uint64_t t, uint32_t what) { return ((t >> 32) + 1) << 32 | what; }

static int tag_fd(uint64_t t) { return (uint32_t)t >= 2 ? (int)((uint32_t)t - 2) : -1; }

/*
 * Free the slots of descriptors in [first, last] (of the epoll descriptor
 * epfd only, unless it is -1), and with epfds those whose epoll descriptor
 * is in [first, last].
 */
static void epmap_remove(unsigned int first, unsigned int last, int epfd, int epfds)
{
	unsigned int end = __atomic_load_n(&epmap_end, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < end; i++) {
		struct epmap_slot *s = &epmap[i];
		uint64_t t = __atomic_load_n(&s->tag, __ATOMIC_ACQUIRE);
		int fd = tag_fd(t);
		if (fd < 0)
			continue;
		unsigned int e = (unsigned int)__atomic_load_n(&s->epfd, __ATOMIC_ACQUIRE);
		int hit = ((unsigned int)fd >= first && (unsigned int)fd <= last &&
			   (epfd < 0 || e == (unsigned int)epfd)) ||
			  (epfds && e >= first && e <= last);
		/* The tag unchanged since it was read: so was epfd. */
		if (hit && __atomic_compare_exchange_n(&s->tag, &t, tag_next(t, 0), 0,
						       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			__atomic_sub_fetch(&epmap_used, 1, __ATOMIC_RELEASE);
	}
}

void ss_epmap_forget(unsigned int first, unsigned int last, int epfds)
{
	if (__atomic_load_n(&epmap_used, __ATOMIC_ACQUIRE))
		epmap_remove(first, last, -1, epfds);
}

/* fd, connecting, is registered with epfd under data (one slot per pair). */
static void epmap_put(int epfd, int fd, uint64_t data)
{
	epmap_remove((unsigned int)fd, (unsigned int)fd, epfd, 0);
	__atomic_add_fetch(&epmap_used, 1, __ATOMIC_ACQ_REL);
	for (unsigned int i = 0; i < SS_EPMAP_SLOTS; i++) {
		struct epmap_slot *s = &epmap[i];
		uint64_t t = __atomic_load_n(&s->tag, __ATOMIC_ACQUIRE);
		if ((uint32_t)t != 0 ||
		    !__atomic_compare_exchange_n(&s->tag, &t, tag_next(t, 1), 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		__atomic_store_n(&s->epfd, epfd, __ATOMIC_RELEASE);
		__atomic_store_n(&s->data, data, __ATOMIC_RELEASE);
		unsigned int end = __atomic_load_n(&epmap_end, __ATOMIC_RELAXED);
		while (end <= i && !__atomic_compare_exchange_n(&epmap_end, &end, i + 1, 1,
								__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			;
		__atomic_store_n(&s->tag, tag_next(tag_next(t, 1), (uint32_t)fd + 2),
				 __ATOMIC_RELEASE);
		return;
	}
	/* Full: this socket's readiness shows by other means. */
	__atomic_sub_fetch(&epmap_used, 1, __ATOMIC_RELEASE);
}

/* Whether a connecting socket is registered with epfd. */
static int epmap_has(int epfd)
{
	unsigned int end = __atomic_load_n(&epmap_end, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < end && __atomic_load_n(&epmap_used, __ATOMIC_ACQUIRE); i++)
		if (tag_fd(__atomic_load_n(&epmap[i].tag, __ATOMIC_ACQUIRE)) >= 0 &&
		    __atomic_load_n(&epmap[i].epfd, __ATOMIC_ACQUIRE) == epfd)
			return 1;
	return 0;
}

/* The descriptor registered with epfd under data, or -1. */
static int epmap_find(int epfd, uint64_t data)
{
	unsigned int end = __atomic_load_n(&epmap_end, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < end; i++) {
		struct epmap_slot *s = &epmap[i];
		uint64_t t = __atomic_load_n(&s->tag, __ATOMIC_ACQUIRE);
		if (tag_fd(t) < 0)
			continue;
		int e = __atomic_load_n(&s->epfd, __ATOMIC_ACQUIRE);
		uint64_t d = __atomic_load_n(&s->data, __ATOMIC_ACQUIRE);
		if (e == epfd && d == data && __atomic_load_n(&s->tag, __ATOMIC_RELAXED) == t)
			return tag_fd(t);
	}
	return -1;
}

static __attribute__((noinline)) int ctl_connecting(int epfd, int op, int fd,
						    struct epoll_event *ev)
{
	/* Its slot is written once the kernel has read *ev (which may be no
	 * memory of the caller's): until then, it is pending. */
	int adds = (op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) &&
		   (ss_fd_get(fd) & SS_FD_CONNECTING);
	if (adds)
		__atomic_add_fetch(&epmap_pending, 1, __ATOMIC_ACQ_REL);
	int r = REAL(epoll_ctl)(epfd, op, fd, ev);
	int saved = errno;

	if (r == 0) {
		int connecting = (ss_fd_get(fd) & SS_FD_CONNECTING) != 0;
		if ((op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) && connecting)
			epmap_put(epfd, fd, ev->data.u64);
		else if ((op == EPOLL_CTL_DEL || op == EPOLL_CTL_MOD) &&
			 __atomic_load_n(&epmap_used, __ATOMIC_ACQUIRE))
			epmap_remove((unsigned int)fd, (unsigned int)fd, epfd, 0);
	}
	if (adds)
		__atomic_sub_fetch(&epmap_pending, 1, __ATOMIC_RELEASE);
	errno = saved;
	return r;
}

SS_EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	SS_PASS(epoll_ctl, (epfd, op, fd, ev));
	if (ss_likely(!ss_connecting_any()))
		return REAL(epoll_ctl)(epfd, op, fd, ev);
	return ctl_connecting(epfd, op, fd, ev);
}

/* ---- finding the connecting sockets a call reports ---- */

/* The event of a readiness call: whether it is on, and its emitter. */
struct ready_ev {
	int (*enabled)(void);
	void (*emit)(const struct ss_tp_base *b, unsigned int revents);
};

struct ready {
	struct ss_tp_base b;
	const struct ready_ev *ev;
	int on; /* the event is enabled, and the caller is no tracer */
	int saved_errno;
};

/* After a call that reported r > 0 descriptors ready, something being
 * connecting: whether to look (not for the tracer's own calls, nor once
 * tracing has stopped).  start: when the call started, 0 if unknown. */
static int ready_begin(struct ready *x, const struct ready_ev *ev, uint64_t start, int r,
		       const void *ra)
{
	int tracer = ss_is_tracer(ra);

	if (ss_bypass() || ss_guard || tracer > 0)
		return 0;
	x->saved_errno = errno;
	x->on = tracer == 0 && ev->enabled();
	x->ev = ev;
	x->b = (struct ss_tp_base){.fd = -1, .ret = r, .start_ns = start};
	return 1;
}

/* fd was reported with revents: if it was connecting, its connect is
 * over, and this is the one report of it (another thread's concurrent
 * report of the same socket finds the flag gone). */
static void found(struct ready *x, int fd, unsigned int revents)
{
	uint64_t sock = ss_fd_settle(fd);

	if (!sock || !x->on || ss_is_stopped())
		return;
	x->b.fd = fd;
	x->b.sock = sock;
	/* A call that began before anything connected (another thread's
	 * connect meanwhile) was not timed: it starts where it ends. */
	if (!x->b.start_ns)
		x->b.start_ns = ss_now();
	ss_guard++;
	x->ev->emit(&x->b, revents);
	ss_guard--;
}

static void scan_poll(struct ready *x, const struct pollfd *fds, nfds_t n)
{
	int64_t left = x->b.ret;

	for (nfds_t i = 0; i < n && left > 0; i++) {
		if (!fds[i].revents)
			continue;
		left--;
		if (ss_fd_get(fds[i].fd) & SS_FD_CONNECTING)
			found(x, fds[i].fd, (uint16_t)fds[i].revents);
	}
}

/* The sets select wrote back hold only the ready descriptors below n. */
static void scan_select(struct ready *x, int n, const fd_set *rd, const fd_set *wr,
			const fd_set *ex)
{
	enum { BITS = 8 * sizeof(__fd_mask) };
	const __fd_mask *r = (const __fd_mask *)rd, *w = (const __fd_mask *)wr,
			*e = (const __fd_mask *)ex;

	for (int i = 0; i * BITS < n; i++) {
		__fd_mask rm = r ? r[i] : 0, wm = w ? w[i] : 0, em = e ? e[i] : 0;
		unsigned long m = (unsigned long)(rm | wm | em);
		if (n - i * BITS < BITS)
			m &= (1ul << (n - i * BITS)) - 1;
		while (m) {
			int bit = __builtin_ctzl(m);
			int fd = i * BITS + bit;
			m &= m - 1;
			if (!(ss_fd_get(fd) & SS_FD_CONNECTING))
				continue;
			unsigned long b = 1ul << bit;
			found(x, fd,
			      ((unsigned long)rm & b ? POLLIN : 0) |
				  ((unsigned long)wm & b ? POLLOUT : 0) |
				  ((unsigned long)em & b ? POLLPRI : 0));
		}
	}
}

static void scan_epoll(struct ready *x, int epfd, const struct epoll_event *ev)
{
	if (!__atomic_load_n(&epmap_used, __ATOMIC_ACQUIRE))
		return;
	for (int64_t i = 0; i < x->b.ret; i++) {
		int fd = epmap_find(epfd, ev[i].data.u64);
		if (fd >= 0)
			found(x, fd, (uint16_t)ev[i].events);
	}
}

enum ready_kind { SS_RK_POLL, SS_RK_SELECT, SS_RK_EPOLL };

/*
 * Whether a call of kind k may report a connecting socket, asked before
 * the call while something connects: its start is read only then.  epoll's
 * registrations tell; poll's array and select's sets are the caller's
 * memory, which the kernel may yet refuse (EFAULT): not read before it.
 */
static int may_report(enum ready_kind k, const void *list, long n, const fd_set *wr,
		      const fd_set *ex)
{
	return k != SS_RK_EPOLL || epmap_has((int)n);
}

/*
 * The look at what a call of kind k wrote back, out of line: list and n
 * are poll's array and count, select's nfds and read set (n, list) with
 * its write and except sets, or epoll's events and descriptor (n).
 */
static __attribute__((noinline)) void after(const struct ready_ev *ev, uint64_t start, int r,
					    const void *ra, enum ready_kind k, const void *list,
					    long n, const fd_set *wr, const fd_set *ex)
{
	struct ready x;

	if (k == SS_RK_EPOLL && __atomic_load_n(&epmap_pending, __ATOMIC_ACQUIRE))
		epmap_settle();
	if ((k == SS_RK_EPOLL && !__atomic_load_n(&epmap_used, __ATOMIC_ACQUIRE)) ||
	    !ready_begin(&x, ev, start, r, ra))
		return;
	if (k == SS_RK_POLL)
		scan_poll(&x, list, (nfds_t)n);
	else if (k == SS_RK_SELECT)
		scan_select(&x, (int)n, list, wr, ex);
	else
		scan_epoll(&x, (int)n, list);
	errno = x.saved_errno;
}

#define SS_UNPAREN(...) __VA_ARGS__

/*
 * The readiness calls, one line each: X(function, event, (params), (args),
 * (kind, list, n, write set, except set)), the last what after() needs
 * of the call's arguments.
 */
#define SS_READY_MAP(X)                                                                            \
	X(poll, poll, (struct pollfd * fds, nfds_t n, int timeout), (fds, n, timeout),             \
	  (SS_RK_POLL, fds, (long)n, NULL, NULL))                                                  \
	X(__poll_chk, poll, (struct pollfd * fds, nfds_t n, int timeout, size_t len),              \
	  (fds, n, timeout, len), (SS_RK_POLL, fds, (long)n, NULL, NULL))                          \
	X(ppoll, ppoll,                                                                            \
	  (struct pollfd * fds, nfds_t n, const struct timespec *ts, const sigset_t *m),           \
	  (fds, n, ts, m), (SS_RK_POLL, fds, (long)n, NULL, NULL))                                 \
	X(__ppoll_chk, ppoll,                                                                      \
	  (struct pollfd * fds, nfds_t n, const struct timespec *ts, const sigset_t *m,            \
	   size_t len),                                                                            \
	  (fds, n, ts, m, len), (SS_RK_POLL, fds, (long)n, NULL, NULL))                            \
	X(select, select, (int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv),         \
	  (n, rd, wr, ex, tv), (SS_RK_SELECT, rd, n, wr, ex))                                      \
	X(pselect, pselect,                                                                        \
	  (int n, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *ts,                   \
	   const sigset_t *m),                                                                     \
	  (n, rd, wr, ex, ts, m), (SS_RK_SELECT, rd, n, wr, ex))                                   \
	X(epoll_wait, epoll_wait, (int epfd, struct epoll_event *ev, int max, int timeout),        \
	  (epfd, ev, max, timeout), (SS_RK_EPOLL, ev, epfd, NULL, NULL))                           \
	X(epoll_pwait, epoll_pwait,                                                                \
	  (int epfd, struct epoll_event *ev, int max, int timeout, const sigset_t *m),             \
	  (epfd, ev, max, timeout, m), (SS_RK_EPOLL, ev, epfd, NULL, NULL))                        \
	X(epoll_pwait2, epoll_pwait2,                                                              \
	  (int epfd, struct epoll_event *ev, int max, const struct timespec *ts,                   \
	   const sigset_t *m),                                                                     \
	  (epfd, ev, max, ts, m), (SS_RK_EPOLL, ev, epfd, NULL, NULL))

/*
 * Each: its event (ev_<fn>); timed_<fn>, the call made while something
 * connects, its start read first when the event is on; and the wrapper.
 * That one, while nothing connects, is the real call and a load and a
 * branch on each side: the look after it is there for a socket another
 * thread began to connect meanwhile (a tokio-like runtime connects and
 * registers on one thread while another waits in epoll_wait).
 */
#define SS_READY_WRAPPER(fn, ev, params, args, look)                                               \
	static int enabled_##fn(void) { return SS_ENABLED(ev); }                                   \
	static void emit_##fn(const struct ss_tp_base *b, unsigned int revents)                    \
	{                                                                                          \
		lttng_ust_do_tracepoint(sockscope, ev, b, revents);                                \
	}                                                                                          \
	static const struct ready_ev ev_##fn = {enabled_##fn, emit_##fn};                          \
	static __attribute__((noinline)) int timed_##fn(const void *ra, SS_UNPAREN params)         \
	{                                                                                          \
		uint64_t start = SS_ENABLED(ev) && may_report(SS_UNPAREN look) ? ss_now() : 0;     \
		int r = REAL(fn) args;                                                             \
		if (r > 0)                                                                         \
			after(&ev_##fn, start, r, ra, SS_UNPAREN look);                            \
		return r;                                                                          \
	}                                                                                          \
	SS_EXPORT int fn params                                                                    \
	{                                                                                          \
		SS_PASS(fn, args);                                                                 \
		if (ss_connecting_any())                                                           \
			return timed_##fn(__builtin_return_address(0), SS_UNPAREN args);           \
		int r = REAL(fn) args;                                                             \
		if (ss_connecting_any() && r > 0)                                                  \
			after(&ev_##fn, 0, r, __builtin_return_address(0), SS_UNPAREN look);       \
		return r;                                                                          \
	}

SS_READY_MAP(SS_READY_WRAPPER)

#if defined(__x86_64__)
/*
 * The same calls made with syscall() (wrap_syscall.c routes them here):
 * the raw call as it is, then the same look, under the libc function's
 * event: X(number, function, what after() needs, from the raw arguments).
 */
#define SS_READY_SYS_MAP(X)                                                                        \
	X(poll, poll, SS_RK_POLL, (const void *)a[0], a[1], NULL, NULL)                            \
	X(ppoll, ppoll, SS_RK_POLL, (const void *)a[0], a[1], NULL, NULL)                          \
	X(select, select, SS_RK_SELECT, (const void *)a[1], a[0], (fd_set *)a[2], (fd_set *)a[3])  \
	X(pselect6, pselect, SS_RK_SELECT, (const void *)a[1], a[0], (fd_set *)a[2],               \
	  (fd_set *)a[3])                                                                          \
	X(epoll_wait, epoll_wait, SS_RK_EPOLL, (const void *)a[1], a[0], NULL, NULL)               \
	X(epoll_pwait, epoll_pwait, SS_RK_EPOLL, (const void *)a[1], a[0], NULL, NULL)             \
	X(epoll_pwait2, epoll_pwait2, SS_RK_EPOLL, (const void *)a[1], a[0], NULL, NULL)

long ss_ready_sys(long nr, const long a[6], long (*raw)(long, ...), const void *ra)
{
	uint64_t start = ss_connecting_any() ? ss_now() : 0;
	long r = raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);

	if (!ss_connecting_any() || r <= 0)
		return r;
	switch (nr) {
#define SS_READY_SYS_CASE(sys, fn, ...)                                                            \
	case SYS_##sys:                                                                            \
		after(&ev_##fn, start, (int)r, ra, __VA_ARGS__);                                   \
		break;
		SS_READY_SYS_MAP(SS_READY_SYS_CASE)
#undef SS_READY_SYS_CASE
	}
	return r;
}
#endif
