// SPDX-License-Identifier: MIT
/*
 * Launching a traced command, shared by `record` and `top`: where the
 * preload is, the recording tag that keeps sessions apart, and the
 * command's environment (launch.h).
 */
#include "record/launch.h"
#include "tool.h"

#include <dlfcn.h>
#include <sys/wait.h>
#include <signal.h>
#include <fcntl.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* A file beside sockscope, in ../lib, else in the install LIBDIR; the
 * environment overrides. */
char *ss_find_preload(void)
{
	const char *env = secure_getenv("SOCKSCOPE_PRELOAD");
	char self[PATH_MAX];

	if (env && *env)
		return access(env, R_OK) == 0 ? ss_xstrdup(env) : NULL;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			/* The build tree keeps it beside us; an install moved
			 * as a whole, in ../lib. */
			char *p = ss_xasprintf("%s/libsockscope-preload.so", self);
			if (access(p, R_OK) == 0)
				return p;
			free(p);
			p = ss_xasprintf("%s/../lib/libsockscope-preload.so", self);
			if (access(p, R_OK) == 0)
				return p;
			free(p);
		}
	}
	char *p = ss_xasprintf("%s/libsockscope-preload.so", SS_LIBDIR);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

/*
 * A sanitized build's preload needs the sanitizer's runtime first in
 * every program it goes into, as those programs were not built with it:
 * the runtime this sockscope was linked with, or NULL.
 */
static char *sanitizer_runtime(void)
{
#if defined(__SANITIZE_ADDRESS__)
	extern void __asan_init(void) __attribute__((weak));
	Dl_info info;

	if (__asan_init && dladdr((const void *)__asan_init, &info) && info.dli_fname &&
	    strstr(info.dli_fname, "libasan"))
		return ss_xstrdup(info.dli_fname);
#endif
	return NULL;
}

/* A tag no other recording running now uses: our pid, plus random bits
 * for recordings in other pid namespaces.  Below 2^53, never 0. */
uint64_t ss_make_tag(void)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint32_t)ss_mono_ns();
	return ((uint64_t)getpid() << 20) | (r & 0xfffff);
}

/* Environment of CMD: the preload first, then whatever the user preloads
 * already.  Not liblttng-ust-fork: it would load the tracer into every
 * process, also one that starts under a seccomp filter; the preload follows
 * forks itself once it has loaded the tracer. */
void ss_child_env(const char *preload, uint64_t tag, int block, const char *payload)
{
	const char *old = secure_getenv("LD_PRELOAD");
	char *san = sanitizer_runtime();
	char *v = ss_xasprintf("%s%s%s%s%s", san ? san : "", san ? ":" : "", preload,
			       old && *old ? ":" : "", old && *old ? old : "");
	char tagtext[32];

	setenv("LD_PRELOAD", v, 1);
	snprintf(tagtext, sizeof(tagtext), "%llu", (unsigned long long)tag);
	setenv("SOCKSCOPE_REC", tagtext, 1);
	setenv("SOCKSCOPE_PROBES", "on", 1);
	if (block)
		setenv("LTTNG_UST_ALLOW_BLOCKING", "1", 1);
	/* Only what --payload asked for: never one inherited from the
	 * caller's environment. */
	if (payload)
		setenv("SOCKSCOPE_PAYLOAD", payload, 1);
	else
		unsetenv("SOCKSCOPE_PAYLOAD");
	free(v);
	free(san);
}

pid_t ss_launch(const char *exe, char *const argv[], const char *preload, uint64_t tag,
		int block, const char *payload, const sigset_t *orig, const int io[3], int *err)
{
	int ep[2];

	*err = 0;
	if (pipe2(ep, O_CLOEXEC) < 0) {
		*err = errno;
		return -2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		*err = errno;
		close(ep[0]);
		close(ep[1]);
		return -2;
	}
	if (pid == 0) {
		close(ep[0]);
		for (int i = 0; io && i < 3; i++)
			if (io[i] >= 0)
				dup2(io[i], i);
		ss_child_env(preload, tag, block, payload);
		sigprocmask(SIG_SETMASK, orig, NULL);
		execv(exe, argv);
		int e = errno;
		/* The status is not read: the pipe says why. */
		_exit(write(ep[1], &e, sizeof(e)) == sizeof(e) ? 126 : 127);
	}
	close(ep[1]);
	ssize_t got;
	while ((got = read(ep[0], err, sizeof(*err))) < 0 && errno == EINTR)
		;
	close(ep[0]);
	if (got == sizeof(*err) && *err) {
		waitpid(pid, NULL, 0);
		return -1;
	}
	*err = 0;
	return pid;
}

