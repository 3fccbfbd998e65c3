// SPDX-License-Identifier: MIT
/*
 * The end of tracing in one process.  Some processes must not see the
 * tracer any more: one that installs a seccomp filter (the filter may kill
 * it for any system call liblttng-ust or our bookkeeping makes), one whose
 * descriptors collide with the tracer's.  ss_stop_tracing says so once in
 * the trace (sockscope:stop), then turns every wrapper into a plain call to
 * libc and takes liblttng-ust out of the process: its listener threads
 * leave, its destructors and liblttng-ust-fork's fork handling (wrap_fd.c)
 * are skipped.
 * All of it happens before it returns, while the process may still make
 * any system call; afterwards nothing of the tracer runs again.
 *
 * The vfork mark lives here too: a vfork child shares its parent's memory,
 * so while it runs, every wrapper passes straight to libc as well.
 */
#include "preload.h"

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int ss_stopped;
SS_TLS int ss_vforked;
/* The caller of vfork, kept off the stack the child shares. */
SS_TLS void *ss_vfork_ra SS_HIDDEN;
SS_HIDDEN void *ss_vfork_begin(void);

/*
 * A liblttng-ust thread that comes back into a wrapper once tracing has
 * stopped leaves here.  Its listener threads hold no lock while they wait
 * in recvmsg, where ss_stop_tracing wakes them.  Calls made from inside our
 * own tracepoints (ss_guard) are not the tracer's threads.
 */
void ss_passing(const void *ra)
{
	if (ss_stopped && !ss_vforked && !ss_guard && ss_is_tracer(ra) > 0)
		pthread_exit(NULL);
}

/* Wake the listener threads: shut down every socket connected to a
 * session daemon, whatever number the tracer gave it.  (The process's
 * files and maps are read through /proc/thread-self: once the main thread
 * has left, /proc/self shows neither.) */
static void shut_sessiond_sockets(void)
{
	DIR *d = opendir("/proc/thread-self/fd");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int fd = atoi(e->d_name);

		if (e->d_name[0] < '0' || e->d_name[0] > '9' || fd == dirfd(d))
			continue;
		if (REAL(getpeername)(fd, (struct sockaddr *)&peer, &len) == 0 &&
		    ss_is_sessiond_addr(&peer, len))
			REAL(shutdown)(fd, SHUT_RDWR);
	}
	closedir(d);
}

/*
 * A listener thread with no session daemon to talk to waits on a futex in
 * liblttng-ust's "wait" shared page (lttng-ust-wait-8*) until a daemon
 * starts and writes 1 there.  Give this process a private page holding 1 at
 * that address, then wake the futex through a second mapping of the real
 * page: the thread reads 1, goes to connect, and leaves in socket().  Other
 * processes waiting on the same page see a spurious wake-up, which
 * liblttng-ust expects and ignores.
 */
static void release_wait_pages(void)
{
	FILE *maps = fopen("/proc/thread-self/maps", "re");
	char line[4352];
	long page = sysconf(_SC_PAGESIZE);

	if (!maps)
		return;
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char *path = strchr(line, '/');

		if (!path || !strstr(path, "/lttng-ust-wait-") ||
		    sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		path[strcspn(path, "\n")] = '\0';
		int fd = REAL(open)(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		void *shared = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
		REAL(close)(fd);
		int32_t *mine = mmap((void *)lo, page, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (mine != MAP_FAILED)
			*mine = 1;
		if (shared != MAP_FAILED) {
			syscall(SYS_futex, shared, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
			munmap(shared, page);
		}
	}
	fclose(maps);
}

/*
 * Whether thread tid looks like one of liblttng-ust's: it names its
 * threads "<name>-ust"; one so new it has no name yet still has the name of
 * the thread that made it and all signals blocked (liblttng-ust blocks
 * them all before creating it).
 */
static int tracer_thread(pid_t tid, const char *own_comm)
{
	char path[64], buf[2048];

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	int fd = REAL(open)(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = REAL(read)(fd, buf, sizeof(buf) - 1);
	REAL(close)(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char name[32] = "";
	sscanf(buf, "Name:\t%31[^\n]", name);
	size_t len = strlen(name);
	if (len >= 4 && !strcmp(name + len - 4, "-ust"))
		return 1;
	const char *blk = strstr(buf, "\nSigBlk:\t");
	unsigned long long mask = blk ? strtoull(blk + 9, NULL, 16) : 0;
	return !strcmp(name, own_comm) && (mask & 0x7ffbfeffull) == 0x7ffbfeffull;
}

/*
 * A listener thread may leave while it holds one of liblttng-ust's mutexes
 * (it reconnects under ust_lock), and another then waits for that mutex
 * for ever: futex(addr, FUTEX_WAIT_PRIVATE, 2), glibc's wait for a
 * contended lock.  When the owner the mutex names is no longer a thread of
 * ours, free the lock and wake tid, so that it too comes back into a
 * wrapper and leaves.  (Only liblttng-ust's plain mutexes are in play.)
 */
static void release_dead_lock(pid_t tid)
{
	char path[64], buf[256];
	unsigned long nr, addr, op, val;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	int fd = REAL(open)(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = REAL(read)(fd, buf, sizeof(buf) - 1);
	REAL(close)(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "%lu %lx %lx %lx", &nr, &addr, &op, &val) != 4 || nr != SYS_futex ||
	    op != (FUTEX_WAIT | FUTEX_PRIVATE_FLAG) || val != 2 || !addr)
		return;
	/* The futex word begins a pthread_mutex_t, whose owner is a tid. */
	pthread_mutex_t *m = (pthread_mutex_t *)addr;
	int owner = __atomic_load_n(&m->__data.__owner, __ATOMIC_ACQUIRE);
	snprintf(path, sizeof(path), "/proc/self/task/%d", owner);
	if (owner <= 0 || access(path, F_OK) == 0)
		return; /* no owner known, or one still alive */
	__atomic_store_n(&m->__data.__owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&m->__data.__lock, 0, __ATOMIC_RELEASE);
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* How many of liblttng-ust's threads are still there; with release, free
 * the locks those that wait on one wait for. */
static int tracer_threads_left(const char *own_comm, int release)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	pid_t self = gettid();
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		pid_t tid = atoi(e->d_name);
		if (tid <= 0 || tid == self || !tracer_thread(tid, own_comm))
			continue;
		n++;
		if (release)
			release_dead_lock(tid);
	}
	closedir(d);
	return n;
}

/* Wait until they have all left, freeing the locks of those that left
 * holding one: at most six seconds, longer than the five a listener
 * sleeps between two attempts to reach a daemon that went away. */
static void wait_gone(void)
{
	char comm[32] = "";

	REAL(prctl)(PR_GET_NAME, comm, 0, 0, 0);
	for (int round = 1; round <= 6000 && tracer_threads_left(comm, 1); round++)
		usleep(1000);
}

/*
 * The tracer's destructors would talk to the session daemon, take its locks
 * with signals blocked and wait for RCU grace periods (membarrier): system
 * calls a sandbox forbids, at the exit of a process that no longer traces.
 * Point the destructor arrays of liblttng-ust's libraries, of our probes
 * and of the companion library (whose tracepoint definitions unregister
 * themselves) at a function that does nothing.  Handlers registered with
 * atexit still run: exit calls them before any destructor.
 */
static void no_destructor(void)
{
}

/* data non-NULL: the companion library's too (it may be dlclose()d, so
 * only once tracing has stopped). */
static int skip_destructors(struct dl_phdr_info *info, size_t size, void *data)
{
	const char *name = info->dlpi_name;
	const ElfW(Dyn) *dyn = NULL;
	uintptr_t arr = 0;
	size_t bytes = 0;
	long page = sysconf(_SC_PAGESIZE);

	(void)size;
	if (!name || (!strstr(name, "liblttng-ust") && !strstr(name, "libsockscope-tp.so") &&
		      !(data && strstr(name, "libsockscope.so"))))
		return 0;
	uintptr_t relro_lo = 0, relro_hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
		else if (ph->p_type == PT_GNU_RELRO) {
			/* Whole pages only, as the loader protects them. */
			relro_lo = (info->dlpi_addr + ph->p_vaddr) & ~(uintptr_t)(page - 1);
			relro_hi = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) &
				   ~(uintptr_t)(page - 1);
		}
	}
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_FINI_ARRAY)
			arr = info->dlpi_addr + dyn->d_un.d_ptr;
		else if (dyn->d_tag == DT_FINI_ARRAYSZ)
			bytes = dyn->d_un.d_val;
	}
	if (!arr || !bytes)
		return 0;
	uintptr_t lo = arr & ~(uintptr_t)(page - 1);
	size_t span = (arr + bytes - lo + page - 1) & ~(size_t)(page - 1);
	/* The array is read-only after relocation (RELRO); a page it shares
	 * with writable data past the RELRO end stays writable, and the
	 * process goes on using it. */
	if (mprotect((void *)lo, span, PROT_READ | PROT_WRITE) != 0)
		return 0;
	for (size_t i = 0; i < bytes / sizeof(void *); i++)
		((void (**)(void))arr)[i] = no_destructor;
	for (uintptr_t p = lo; p < lo + span; p += (uintptr_t)page)
		if (p >= relro_lo && p + (uintptr_t)page <= relro_hi)
			mprotect((void *)p, (size_t)page, PROT_READ);
	return 0;
}

/*
 * A process that does not record leaves as after SIGKILL, as far as the
 * tracer is concerned.  Its destructors would wait for the listener thread
 * (which holds liblttng-ust's lock while it registers with the session
 * daemon), cancel it (pthread_cancel loads libgcc_s) and wait for RCU grace
 * periods while our tracepoints unregister: milliseconds at the end of
 * every process, for nothing that outlives it.  The events it emitted are
 * already in the ring buffers, in shared memory the consumer daemon holds,
 * and the session daemon handles an application whose socket closes.
 * Called from our constructor: dlopen()ed objects are finalized by
 * _dl_fini, which exit runs after the handlers registered after it, and a
 * preloaded library's constructor runs before it is registered, so no
 * atexit handler of ours could come first.
 */
void ss_skip_exit(void)
{
	ss_trace_detach();
	dl_iterate_phdr(skip_destructors, NULL);
}

static void emit_stop(const char *why, long detail)
{
	if (!SS_ENABLED(stop) || ss_guard)
		return;
	struct ss_tp_base b = { .fd = -1 };
	int saved = errno;
	ss_guard++;
	lttng_ust_do_tracepoint(sockscope, stop, &b, why, (int64_t)detail);
	ss_guard--;
	errno = saved;
}

void ss_stop_tracing(const char *why, long detail)
{
	static int stopping, stopped_all;

	if (__atomic_exchange_n(&stopping, 1, __ATOMIC_ACQ_REL)) {
		/* Another thread is stopping: return once the tracer is out
		 * (a caller may install a filter for every thread next). */
		for (int i = 0; i < 7000 && !__atomic_load_n(&stopped_all, __ATOMIC_ACQUIRE); i++)
			usleep(1000);
		return;
	}
	int saved = errno;
	emit_stop(why, detail);
	__atomic_store_n(&ss_stopped, 1, __ATOMIC_RELEASE);
	if (ss_probes_loaded()) {
		ss_trace_detach();
		shut_sessiond_sockets();
		release_wait_pages();
		wait_gone();
		dl_iterate_phdr(skip_destructors, &stopped_all);
	}
	__atomic_store_n(&stopped_all, 1, __ATOMIC_RELEASE);
	errno = saved;
}

/*
 * The last thread of the program.  glibc ends a process when its last
 * thread exits, counting liblttng-ust's listener threads too: a program
 * whose main thread calls pthread_exit would never end (and, its
 * remaining threads blocking every signal, not even on SIGTERM).  So the
 * program's threads are counted -- the main thread and those it creates,
 * each with a thread-specific value whose destructor runs when it exits --
 * and when the last one leaves, tracing stops: the tracer's threads leave
 * too, and the process ends with status 0 as bare.
 */
static pthread_key_t live_key;
static int live_threads, counting;

static void thread_gone(void *v)
{
	(void)v;
	if (__atomic_sub_fetch(&live_threads, 1, __ATOMIC_ACQ_REL) == 0)
		ss_stop_tracing("exit", 0);
}

void ss_count_threads(void)
{
	if (pthread_key_create(&live_key, thread_gone) != 0)
		return;
	live_threads = 1;
	pthread_setspecific(live_key, &live_key);
	__atomic_store_n(&counting, 1, __ATOMIC_RELEASE);
}

struct start {
	void *(*fn)(void *);
	void *arg;
};

static void *counted_start(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	pthread_setspecific(live_key, &live_key);
	return s.fn(s.arg);
}

SS_EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
			     void *arg)
{
	SS_PASS(pthread_create, (t, attr, fn, arg));
	struct start *s;
	/* liblttng-ust's own threads, and those made before we know it, are
	 * not the program's to count. */
	if (!__atomic_load_n(&counting, __ATOMIC_ACQUIRE) ||
	    ss_is_tracer(__builtin_return_address(0)) != 0 || !(s = malloc(sizeof(*s))))
		return REAL(pthread_create)(t, attr, fn, arg);
	s->fn = fn;
	s->arg = arg;
	__atomic_add_fetch(&live_threads, 1, __ATOMIC_ACQ_REL);
	int r = REAL(pthread_create)(t, attr, counted_start, s);
	if (r != 0) {
		__atomic_sub_fetch(&live_threads, 1, __ATOMIC_ACQ_REL);
		free(s);
	}
	return r;
}

/* The vfork stub (vfork-x86_64.S) calls this before libc's vfork: from
 * then on, until the parent resumes, this thread is the child's too. */
void *ss_vfork_begin(void)
{
	ss_vforked = 1;
	return REAL(vfork);
}
