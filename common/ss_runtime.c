// SPDX-License-Identifier: MIT
/*
 * Start-up decisions shared by the preload and the companion library; see
 * ss_runtime.h.  Runs from constructors, before the program's main: no
 * allocation beyond what dlopen does, environment read with secure_getenv.
 */
#include "ss_runtime.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>

/*
 * Whether a session daemon may be listening for applications: its socket
 * exists, system-wide or in LTTNG_HOME/HOME.  (lttng-ust 2.13 names it
 * lttng-ust-sock-8.)
 */
static int sessiond_socket_exists(void)
{
	static const char name[] = "/.lttng/" SS_UST_SOCK_NAME;
	const char *home = secure_getenv("LTTNG_HOME");
	char path[4096];
	struct stat st;

	if (stat("/var/run/lttng/" SS_UST_SOCK_NAME, &st) == 0 && S_ISSOCK(st.st_mode))
		return 1;
	if (!home)
		home = secure_getenv("HOME");
	if (!home || strlen(home) + sizeof(name) > sizeof(path))
		return 0;
	strcpy(path, home);
	strcat(path, name);
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/*
 * Without a daemon the program stays exactly as it was: liblttng-ust starts
 * two listener threads, and a multi-threaded process pays for every
 * cancellation point (read, recv, ...) in glibc.
 */
int ss_probes_load(const void *self)
{
	static const char tp[] = "libsockscope-tp.so";
	const char *env = secure_getenv("SOCKSCOPE_PROBES");
	Dl_info info;
	char path[4096];

	if (env && !strcmp(env, "off"))
		return 0;
	if (!(env && !strcmp(env, "on")) && !sessiond_socket_exists())
		return 0;
	if (dladdr(self, &info) && info.dli_fname &&
	    strlen(info.dli_fname) + sizeof(tp) < sizeof(path)) {
		strcpy(path, info.dli_fname);
		char *slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash + 1, tp);
			if (dlopen(path, RTLD_NOW | RTLD_GLOBAL))
				return 1;
		}
	}
	return dlopen(tp, RTLD_NOW | RTLD_GLOBAL) != NULL;
}

uint64_t ss_rec_from_env(void)
{
	const char *s = secure_getenv("SOCKSCOPE_REC");
	uint64_t v = 0;

	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	return v;
}

int ss_is_sessiond_addr(const void *sa, unsigned len)
{
	static const char tail[] = "/" SS_UST_SOCK_NAME;
	const struct sockaddr_un *un = sa;
	size_t off = offsetof(struct sockaddr_un, sun_path);

	if (!sa || len <= off || un->sun_family != AF_UNIX)
		return 0;
	size_t n = strnlen(un->sun_path, len - off);
	return n >= sizeof(tail) - 1 && !memcmp(un->sun_path + n - (sizeof(tail) - 1), tail,
						sizeof(tail) - 1);
}
