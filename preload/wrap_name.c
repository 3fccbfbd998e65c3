// SPDX-License-Identifier: MIT
/*
 * A process's name, for readers of a trace whose events carry no procname
 * context: sockscope:exec says it when an image starts, sockscope:comm when
 * the main thread renames itself (prctl(PR_SET_NAME), pthread_setname_np
 * on itself) and when a daemon() child starts.  A reader takes the rest
 * from fork: a child keeps its parent's name.
 */
#include "preload.h"

#include <string.h>
#include <sys/prctl.h>

void ss_say_comm(int exec, const char *name)
{
	char own[17] = "";
	int saved = errno;

	if (!name) {
		REAL(prctl)(PR_GET_NAME, own, 0, 0, 0);
		name = own;
	}
	struct ss_tp_base b = { .fd = -1 };
	ss_guard++;
	if (exec)
		lttng_ust_tracepoint(sockscope, exec, &b, name);
	else
		lttng_ust_tracepoint(sockscope, comm, &b, name);
	ss_guard--;
	errno = saved;
}

/* The main thread is the one whose id is the process's. */
static int on_main_thread(void)
{
	return gettid() == getpid(); /* neither fails: errno stays */
}

void ss_named(void)
{
	if (SS_ENTER(comm) && on_main_thread())
		ss_say_comm(0, NULL);
}

SS_EXPORT int pthread_setname_np(pthread_t th, const char *name)
{
	SS_PASS(pthread_setname_np, (th, name));
	int r = REAL(pthread_setname_np)(th, name);

	/* glibc names the calling thread with its own prctl, which we do not
	 * see.  Another thread's name is its own business. */
	if (r == 0 && pthread_equal(th, pthread_self()))
		ss_named();
	return r;
}
