// SPDX-License-Identifier: MIT
/*
 * The descriptor table: for each fd number, one 64-bit word holding what we
 * know of it (enum ss_fd_state) and its socket serial.  Two levels: a fixed
 * array of chunk pointers in .bss (untouched pages cost nothing) and chunks
 * of SS_FD_CHUNK words mapped on first write, so the table grows with the
 * highest descriptor used, not with RLIMIT_NOFILE.  Lookups are O(1) and
 * lock-free; chunks are installed with a compare-and-swap and never freed,
 * which makes every operation async-signal-safe.
 *
 * The connecting flag (SS_FD_CONNECTING) lives in the same word, counted
 * in ss_connecting: every place a word is replaced looks whether the old
 * one had it, so the count stays exact without a lock.
 */
#include <sys/mman.h>

#include "preload.h"

uint64_t *ss_fd_chunks[SS_FD_TOP];
static uint64_t serial_counter;
unsigned int ss_connecting;
/* One past the highest chunk ever installed: walks over a range of numbers
 * (close_range, closefrom) stop there instead of reading every pointer up
 * to 2^31. */
static unsigned int chunks_end;

static void note_chunk(unsigned int top)
{
	unsigned int end = __atomic_load_n(&chunks_end, __ATOMIC_RELAXED);

	while (end <= top && !__atomic_compare_exchange_n(&chunks_end, &end, top + 1, 1,
							  __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

static uint64_t *chunk_of(int fd, int create)
{
	unsigned int top = (unsigned int)fd >> SS_FD_CHUNK_BITS;
	uint64_t *c = __atomic_load_n(&ss_fd_chunks[top], __ATOMIC_ACQUIRE);

	if (c || !create)
		return c;
	int saved = errno;
	c = mmap(NULL, SS_FD_CHUNK * sizeof(uint64_t), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = saved;
	if (c == MAP_FAILED)
		return NULL;
	uint64_t *expected = NULL;
	if (!__atomic_compare_exchange_n(&ss_fd_chunks[top], &expected, c, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		munmap(c, SS_FD_CHUNK * sizeof(uint64_t));
		errno = saved;
		c = expected;
	}
	note_chunk(top);
	return c;
}

/* A word that had the connecting flag was replaced by one without. */
static void connecting_dropped(int fd)
{
	ss_epmap_forget((unsigned int)fd, (unsigned int)fd, 0);
	__atomic_sub_fetch(&ss_connecting, 1, __ATOMIC_RELAXED);
}

void ss_fd_set(int fd, uint64_t word)
{
	if (fd < 0)
		return;
	/* Forgetting a number that has no chunk yet needs no chunk. */
	uint64_t *c = chunk_of(fd, word != 0);
	if (!c)
		return;
	uint64_t *slot = &c[fd & (SS_FD_CHUNK - 1)];
	if (ss_likely(!ss_connecting_any())) {
		__atomic_store_n(slot, word, __ATOMIC_RELEASE);
		return;
	}
	/* Something connects: the number may have been a connecting socket,
	 * or an epoll descriptor one is registered with. */
	uint64_t old = __atomic_exchange_n(slot, word, __ATOMIC_ACQ_REL);
	ss_epmap_forget((unsigned int)fd, (unsigned int)fd, 1);
	if (old & SS_FD_CONNECTING)
		__atomic_sub_fetch(&ss_connecting, 1, __ATOMIC_RELAXED);
}

int ss_fd_cas(int fd, uint64_t old, uint64_t word)
{
	uint64_t *c = fd >= 0 ? chunk_of(fd, 1) : NULL;

	if (!c || !__atomic_compare_exchange_n(&c[fd & (SS_FD_CHUNK - 1)], &old, word, 0,
					       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return 0;
	if (old & ~word & SS_FD_CONNECTING)
		connecting_dropped(fd);
	return 1;
}

void ss_fd_connect_result(int fd, uint64_t sock, int r, int err)
{
	if (r < 0 && err == EALREADY)
		return; /* still in progress, as it was */
	if (!(r < 0 && (err == EINPROGRESS || err == EINTR))) {
		if (ss_connecting_any())
			ss_fd_settle(fd);
		return;
	}
	uint64_t *c = sock ? chunk_of(fd, 0) : NULL;
	if (!c)
		return;
	uint64_t *slot = &c[fd & (SS_FD_CHUNK - 1)];
	uint64_t w = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	/* Only the socket the call was on, and only once. */
	while (w == ss_word(sock, SS_FD_SOCKET)) {
		if (__atomic_compare_exchange_n(slot, &w, w | SS_FD_CONNECTING, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			__atomic_add_fetch(&ss_connecting, 1, __ATOMIC_RELAXED);
			return;
		}
	}
}

uint64_t ss_fd_settle(int fd)
{
	uint64_t *c = fd >= 0 ? chunk_of(fd, 0) : NULL;

	if (!c)
		return 0;
	uint64_t *slot = &c[fd & (SS_FD_CHUNK - 1)];
	uint64_t w = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	while (w & SS_FD_CONNECTING) {
		if (__atomic_compare_exchange_n(slot, &w, w & ~(uint64_t)SS_FD_CONNECTING, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			int saved = errno;
			connecting_dropped(fd);
			errno = saved;
			return ss_word_serial(w);
		}
	}
	return 0;
}

int ss_fd_walk(unsigned int first, unsigned int last, int (*fn)(uint64_t *slot))
{
	unsigned int end = __atomic_load_n(&chunks_end, __ATOMIC_ACQUIRE);

	if (last > 0x7fffffffu)
		last = 0x7fffffffu;
	for (unsigned int top = first >> SS_FD_CHUNK_BITS; top < end; top++) {
		uint64_t *c = __atomic_load_n(&ss_fd_chunks[top], __ATOMIC_ACQUIRE);
		unsigned int lo = top << SS_FD_CHUNK_BITS, hi = lo | (SS_FD_CHUNK - 1);
		if (lo > last)
			break;
		if (!c)
			continue;
		for (unsigned int i = lo < first ? first : lo; i <= hi && i <= last; i++)
			if (fn(&c[i & (SS_FD_CHUNK - 1)]))
				return (int)i;
	}
	return -1;
}

static int is_tracer(uint64_t *slot)
{
	return ss_word_state(__atomic_load_n(slot, __ATOMIC_ACQUIRE)) == SS_FD_TRACER;
}

/* The tracer's descriptors survive closefrom(). */
static int forget_unless_tracer(uint64_t *slot)
{
	uint64_t w = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (ss_word_state(w) == SS_FD_TRACER)
		return 0;
	if (!(w & SS_FD_CONNECTING))
		__atomic_store_n(slot, 0, __ATOMIC_RELEASE);
	else if (__atomic_exchange_n(slot, 0, __ATOMIC_ACQ_REL) & SS_FD_CONNECTING)
		__atomic_sub_fetch(&ss_connecting, 1, __ATOMIC_RELAXED);
	return 0;
}

void ss_fd_forget_range(unsigned int first, unsigned int last)
{
	if (ss_connecting_any())
		ss_epmap_forget(first, last, 1);
	ss_fd_walk(first, last, forget_unless_tracer);
}

/* The lowest number in [first, last] that is the tracer's, or -1. */
int ss_fd_find_tracer(unsigned int first, unsigned int last)
{
	return ss_fd_walk(first, last, is_tracer);
}

uint64_t ss_new_serial(void)
{
	return __atomic_add_fetch(&serial_counter, 1, __ATOMIC_RELAXED);
}
