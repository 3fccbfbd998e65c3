// SPDX-License-Identifier: MIT
/*
 * The real libc functions behind the wrappers, found with dlsym(RTLD_NEXT)
 * so that another interposer loaded after us (liblttng-ust-fork, a user's
 * own LD_PRELOAD) keeps working.  All are resolved in the constructor; a
 * call that arrives earlier (liblttng-ust's threads start before our
 * constructor runs) resolves its own function on the spot.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "preload.h"

void *ss_real_fn[SS_R_COUNT];

static const char *const real_names[SS_R_COUNT] = {
#define SS_REAL_NAME(name) [SS_R_##name] = #name,
	SS_REAL_MAP(SS_REAL_NAME)
#undef SS_REAL_NAME
};

/* Without the real function we can neither call nor fail correctly: a
 * missing one is a broken installation, said once, then abort. */
static void missing(const char *name)
{
	static const char msg[] = "sockscope: cannot find the real ";
	ssize_t r;

	r = write(2, msg, sizeof(msg) - 1);
	r = write(2, name, __builtin_strlen(name));
	r = write(2, "\n", 1);
	(void)r;
	abort();
}

void *ss_resolve(enum ss_real_id id)
{
	void *fn = __atomic_load_n(&ss_real_fn[id], __ATOMIC_ACQUIRE);

	if (fn)
		return fn;
	fn = dlsym(RTLD_NEXT, real_names[id]);
	if (!fn)
		missing(real_names[id]);
	__atomic_store_n(&ss_real_fn[id], fn, __ATOMIC_RELEASE);
	return fn;
}

__attribute__((constructor(101))) static void ss_resolve_all(void)
{
	for (int id = 0; id < SS_R_COUNT; id++) {
		/* Optional entry points of newer glibc: absent means unused. */
		if (!ss_real_fn[id])
			__atomic_store_n(&ss_real_fn[id], dlsym(RTLD_NEXT, real_names[id]),
					 __ATOMIC_RELEASE);
	}
}
