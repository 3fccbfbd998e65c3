// SPDX-License-Identifier: MIT
/*
 * Tracing context of the preload: the nesting guard, telling the tracer's
 * own calls apart, first sight of sockets (sockscope:describe), and safe
 * reads of caller memory for the decoders.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#define LTTNG_UST_TRACEPOINT_HIDDEN_DEFINITION
#include "preload.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

SS_TLS int ss_guard;

/*
 * liblttng-ust talks to its session daemon over unix sockets from its own
 * threads, and writes to wakeup pipes from inside our tracepoints.  Those
 * calls reach our wrappers like any other; we know them by their return
 * address, which lies in the text of a liblttng-ust* library.
 */
#define SS_MAX_RANGES 16
static struct {
	uintptr_t lo, hi;
} ranges[SS_MAX_RANGES];
static int nranges;
static int ranges_state; /* 0 unknown, 1 being computed, 2 ready */

static int collect(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "liblttng-ust"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum && nranges < SS_MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		ranges[nranges].lo = info->dlpi_addr + ph->p_vaddr;
		ranges[nranges].hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		nranges++;
	}
	return 0;
}

static void compute_ranges(void)
{
	int expected = 0;

	if (!__atomic_compare_exchange_n(&ranges_state, &expected, 1, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	dl_iterate_phdr(collect, NULL);
	__atomic_store_n(&ranges_state, 2, __ATOMIC_RELEASE);
}

int ss_is_tracer(const void *ra)
{
	int st = __atomic_load_n(&ranges_state, __ATOMIC_ACQUIRE);

	/* Before our constructor has loaded the tracer and measured where it
	 * lies, nobody can be told apart: calls then are not traced. */
	if (ss_unlikely(st != 2))
		return -1;
	uintptr_t a = (uintptr_t)ra;
	for (int i = 0; i < nranges; i++)
		if (a >= ranges[i].lo && a < ranges[i].hi)
			return 1;
	return 0;
}

static int probes_loaded;

int ss_probes_loaded(void)
{
	return probes_loaded;
}

/*
 * Whether this process started under a seccomp filter (inherited across
 * exec): "Seccomp:\t2" in /proc/self/status.  A filter may kill the process
 * for any call the tracer would make, so then nothing of it is loaded.  The
 * file is read with openat, read and close, the very calls the dynamic
 * loader has just made to load us, so a filter that let the program start
 * allows them; prctl(PR_GET_SECCOMP), one call, may itself be forbidden.
 */
static int started_filtered(void)
{
	static const char key[] = "\nSeccomp:\t";
	char buf[4096];
	int fd = REAL(open)("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;

	if (fd < 0)
		return 0;
	n = REAL(read)(fd, buf, sizeof(buf) - 1);
	REAL(close)(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strstr(buf, key);
	return p && p[sizeof(key) - 1] != '0';
}

/*
 * Runs after the real functions are resolved (priority 101), and before
 * the constructors of tracepoint.h (no priority), which dlopen
 * liblttng-ust-tracepoint and register our tracepoints.  Without probes
 * that is a millisecond of every process for events that can never be
 * enabled: those constructors skip a module whose registration counters
 * are already taken, and their destructors then find nothing to undo.
 * Until the ranges are known, calls are neither traced nor given serials.
 */
__attribute__((constructor(102))) static void ss_trace_init(void)
{
	ss_guard++;
	if (started_filtered()) {
		/* Nothing of the tracer: our tracepoint definitions do not even
		 * load liblttng-ust-tracepoint (their constructor, which runs
		 * after this one, sees them registered already). */
		__atomic_store_n(&ss_stopped, 1, __ATOMIC_RELEASE);
		probes_loaded = 0;
	} else {
		probes_loaded = ss_probes_load((const void *)ss_trace_init);
		/* Tracing may stop later (stop.c) in a process that has
		 * chrooted by then, as sshd's sandboxed child has: the tracer's
		 * threads then leave with pthread_exit, whose unwinder glibc
		 * loads on first use, from the file system, and aborts the
		 * process when it cannot.  Load it now, while the files are
		 * there: glibc finds it loaded then. */
		if (probes_loaded)
			dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_NODELETE);
		ss_tracker_resolve();
		ss_payload_init();
		if (probes_loaded)
			ss_count_threads();
	}
	if (!probes_loaded) {
		if (!lttng_ust_tracepoint_dlopen_ptr)
			lttng_ust_tracepoint_dlopen_ptr = &lttng_ust_tracepoint_dlopen;
		lttng_ust_tracepoint_registered++;
		lttng_ust_tracepoint_ptrs_registered++;
	}
	compute_ranges();
	/* A new image: a reader learns here that this process's close-on-exec
	 * descriptors are gone and that its serials start again.  Our
	 * tracepoints are registered by a constructor without priority, which
	 * runs after this one: register them now (it counts, and does nothing
	 * the second time; the matching destructor then leaves them registered
	 * at exit, which changes nothing). */
	lttng_ust__tracepoints__ptrs_init();
	if (probes_loaded && !ss_records_from_env()) {
		/* The same for the constructor that loads LTTng's tracepoint
		 * library; then ss_skip_exit keeps both registered at exit. */
		lttng_ust__tracepoints__init();
		ss_skip_exit();
	}
	if (lttng_ust_tracepoint_enabled(sockscope, exec)) {
		ss_say_comm(1, NULL);
		/* liblttng-ust keeps a thread's name from its first event: where
		 * a session adds the procname context, let the main thread's
		 * next event take the name it has then (a program names itself
		 * with prctl after start-up). */
		void (*reset)(void) =
			(void (*)(void))dlsym(RTLD_DEFAULT, "lttng_ust_context_procname_reset");
		if (reset)
			reset();
	}
	ss_guard--;
}

/* Our tracepoint definitions unregister themselves at exit (the
 * destructors of lttng/tracepoint.h), which locks and waits in
 * liblttng-ust: one more registration makes them return at once. */
void ss_trace_detach(void)
{
	lttng_ust_tracepoint_registered++;
	lttng_ust_tracepoint_ptrs_registered++;
}

uint64_t ss_fd_new_socket(int fd, const void *ra)
{
	if (fd < 0)
		return 0;
	int who = ss_is_tracer(ra);
	if (who) {
		/* The tracer's, or unknown this early: never report it. */
		ss_fd_set(fd, ss_word(0, who > 0 ? SS_FD_TRACER : SS_FD_UNKNOWN));
		return 0;
	}
	uint64_t serial = ss_new_serial();
	ss_fd_set(fd, ss_word(serial, SS_FD_SOCKET));
	return serial;
}

void ss_fd_copy(int from, int to)
{
	if (to < 0)
		return;
	uint64_t w = ss_fd_get(from);
	/* An unknown or foreign descriptor stays so under its new number; the
	 * connecting flag stays with the number it was set on. */
	ss_fd_set(to, ss_word_state(w) == SS_FD_SOCKET || ss_word_state(w) == SS_FD_TRACER ?
			      w & ~(uint64_t)SS_FD_CONNECTING : ss_word(0, SS_FD_UNKNOWN));
}

size_t ss_peek_untrusted(void *dst, const void *src, size_t len)
{
	struct iovec local = { dst, len }, remote = { (void *)src, len };
	int saved = errno; /* a refused read must not show in the caller's errno */
	ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	errno = saved;
	return n > 0 ? (size_t)n : 0;
}

const struct ss_tp_addr *ss_ep_none(struct ss_ep *ep)
{
	ep->tp.family = -1;
	ep->tp.port = 0;
	ep->tp.text = "";
	return &ep->tp;
}

const struct ss_tp_addr *ss_ep_decode(struct ss_ep *ep, const void *sa, size_t len,
				      int trusted)
{
	struct sockaddr_storage copy;

	if (!sa || !len)
		return ss_ep_none(ep);
	if (len > sizeof(copy))
		len = sizeof(copy);
	len = ss_peek(&copy, sa, len, trusted);
	ss_addr_format(len ? &copy : NULL, len, &ep->e);
	ep->tp.family = ep->e.family;
	ep->tp.port = ep->e.port;
	ep->tp.text = ep->e.text;
	return &ep->tp;
}

socklen_t ss_len_in(const void *sa, const socklen_t *lenp)
{
	socklen_t inlen;

	if (!sa || ss_peek(&inlen, lenp, sizeof(inlen), 0) != sizeof(inlen))
		return 0;
	return inlen;
}

const struct ss_tp_addr *ss_ep_out(struct ss_ep *ep, const void *sa, const socklen_t *lenp,
				   socklen_t inlen, int ok)
{
	if (!ok || !sa || !lenp)
		return ss_ep_none(ep);
	return ss_ep_decode(ep, sa, *lenp < inlen ? *lenp : inlen, 1);
}

const struct ss_tp_addr *ss_ep_of_fd(struct ss_ep *ep, int fd, int peer)
{
	struct sockaddr_storage name;
	socklen_t len = sizeof(name);
	int saved = errno;
	int r = peer ? REAL(getpeername)(fd, (struct sockaddr *)&name, &len) :
		       REAL(getsockname)(fd, (struct sockaddr *)&name, &len);

	errno = saved;
	return r == 0 ? ss_ep_decode(ep, &name, len, 1) : ss_ep_none(ep);
}

const struct ss_tp_addr *ss_ep_out_full(struct ss_ep *ep, int fd, int peer, const void *sa,
					const socklen_t *lenp, socklen_t inlen, int ok)
{
	if (ok && sa && lenp && *lenp > inlen && ss_ep_of_fd(ep, fd, peer)->family >= 0)
		return &ep->tp;
	return ss_ep_out(ep, sa, lenp, inlen, ok);
}

/* First sight of a socket opened where we could not see it: give it a
 * serial and say what it is. */
static uint64_t describe(int fd, uint64_t old, int type)
{
	int family = -1, fdflags, listening = -1;
	socklen_t len = sizeof(family);
	struct sockaddr_storage local, peer;
	socklen_t llen = sizeof(local), plen = sizeof(peer);
	struct ss_ep lep, pep;
	char typebuf[64];

	REAL(getsockopt)(fd, SOL_SOCKET, SO_DOMAIN, &family, &len);
	if (REAL(getsockname)(fd, (struct sockaddr *)&local, &llen) < 0)
		llen = 0;
	if (REAL(getpeername)(fd, (struct sockaddr *)&peer, &plen) < 0)
		plen = 0;
	/* The tracer's connection to its session daemon, first seen here when
	 * another interposer (a sanitizer's runtime) called us in its stead:
	 * the return address then does not tell it apart. */
	if (ss_is_sessiond_addr(&peer, plen)) {
		ss_fd_cas(fd, old, ss_word(0, SS_FD_TRACER));
		return 0;
	}
	uint64_t serial = ss_new_serial();
	if (!ss_fd_cas(fd, old, ss_word(serial, SS_FD_SOCKET)))
		return ss_sock_known(fd); /* another thread saw it first */
	ss_ep_decode(&lep, &local, llen, 1);
	ss_ep_decode(&pep, &peer, plen, 1);
	if (!plen)
		pep.tp.text = "";
	if (lttng_ust_tracepoint_enabled(sockscope, describe)) {
		struct ss_tp_base b = { .fd = fd, .sock = serial };
		/* Whether it outlives an exec: a socket received with
		 * MSG_CMSG_CLOEXEC, or made so where we did not see it. */
		fdflags = REAL(fcntl)(fd, F_GETFD);
		/* An inherited listener is one even if it never accepts here. */
		len = sizeof(listening);
		if (REAL(getsockopt)(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0)
			listening = -1;
		ss_guard++;
		lttng_ust_do_tracepoint(sockscope, describe, &b, family,
					ss_socktype_text(type, typebuf, sizeof(typebuf)),
					&lep.tp, pep.tp.text,
					fdflags < 0 ? -1 : !!(fdflags & FD_CLOEXEC),
					listening < 0 ? -1 : listening != 0);
		ss_guard--;
	}
	return serial;
}

uint64_t ss_sock_traced(int fd)
{
	uint64_t w = ss_fd_get(fd);

	switch (ss_word_state(w)) {
	case SS_FD_SOCKET:
		return ss_word_serial(w);
	case SS_FD_OTHER:
	case SS_FD_TRACER:
		return 0;
	case SS_FD_UNKNOWN:
		break;
	}
	int saved = errno, type = 0;
	socklen_t len = sizeof(type);
	uint64_t serial = 0;
	if (REAL(getsockopt)(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0)
		serial = describe(fd, w, type);
	else if (errno == ENOTSOCK)
		ss_fd_cas(fd, w, ss_word(0, SS_FD_OTHER));
	errno = saved;
	return serial;
}
