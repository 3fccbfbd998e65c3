// SPDX-License-Identifier: MIT
/*
 * The descriptor table: for each fd number, one 64-bit word holding what we
 * know of it (enum ss_fd_state) and its socket serial.  Two levels: a fixed
 * array of chunk pointers in .bss (untouched pages cost nothing) and chunks
 * of SS_FD_CHUNK words mapped on first write, so the table grows with the
 * highest descriptor used, not with RLIMIT_NOFILE.  Lookups are O(1) and
 * lock-free; chunks are installed with a compare-and-swap and never freed,
 * which makes every operation async-signal-safe.
 */
#include <sys/mman.h>

#include "preload.h"

uint64_t *ss_fd_chunks[SS_FD_TOP];
static uint64_t serial_counter;

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
	return c;
}

void ss_fd_set(int fd, uint64_t word)
{
	if (fd < 0)
		return;
	/* Forgetting a number that has no chunk yet needs no chunk. */
	uint64_t *c = chunk_of(fd, word != 0);
	if (c)
		__atomic_store_n(&c[fd & (SS_FD_CHUNK - 1)], word, __ATOMIC_RELEASE);
}

int ss_fd_cas(int fd, uint64_t old, uint64_t word)
{
	uint64_t *c = fd >= 0 ? chunk_of(fd, 1) : NULL;

	return c && __atomic_compare_exchange_n(&c[fd & (SS_FD_CHUNK - 1)], &old, word, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

void ss_fd_forget_range(unsigned int first, unsigned int last)
{
	if (last > 0x7fffffffu)
		last = 0x7fffffffu;
	for (unsigned int fd = first; fd <= last && fd >= first;) {
		uint64_t *c = chunk_of((int)fd, 0);
		unsigned int end = (fd | (SS_FD_CHUNK - 1));
		if (c) {
			for (unsigned int i = fd; i <= end && i <= last; i++) {
				uint64_t *slot = &c[i & (SS_FD_CHUNK - 1)];
				/* The tracer's descriptors survive closefrom(). */
				if (ss_word_state(__atomic_load_n(slot, __ATOMIC_ACQUIRE)) != SS_FD_TRACER)
					__atomic_store_n(slot, 0, __ATOMIC_RELEASE);
			}
		}
		if (end >= last)
			break;
		fd = end + 1;
	}
}

uint64_t ss_new_serial(void)
{
	return __atomic_add_fetch(&serial_counter, 1, __ATOMIC_RELAXED);
}
