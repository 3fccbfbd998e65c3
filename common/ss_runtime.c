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
 * What liblttng-ust's constructor reads, given to it while it loads, unless
 * the user set it.  It reads its settings once, from the environment, in
 * its constructor (lttng_ust_getenv_init keeps pointers to the strings, so
 * these are static): we show it an environment with them added for the
 * time of the dlopen, then put the program's own back, untouched.
 *
 * - Its base-address statedump reads the ELF headers of every loaded
 *   library at start (hundreds of reads: the largest part of its start-up
 *   cost); sockscope's events do not use it.
 * - Its constructor waits for the session daemon's reply to its
 *   registration (up to 3 s): a process that is not recording does not.
 *   (The same setting bounds its later messages to the daemon at 10 ms
 *   instead of 3 s; 2.13 has no separate one.)
 */
static const char *const no_statedump = "LTTNG_UST_WITHOUT_BADDR_STATEDUMP=1";
static const char *const no_wait = "LTTNG_UST_REGISTER_TIMEOUT=0";

static int env_has(const char *entry)
{
	char name[64];
	size_t n = strcspn(entry, "=");

	if (n >= sizeof(name))
		return 1;
	memcpy(name, entry, n);
	name[n] = 0;
	return getenv(name) != NULL;
}

static void *dlopen_with(const char *path, int wait)
{
	extern char **environ;
	const char *add[2];
	size_t nadd = 0, n = 0;

	if (!env_has(no_statedump))
		add[nadd++] = no_statedump;
	if (!wait && !env_has(no_wait))
		add[nadd++] = no_wait;
	while (environ && environ[n])
		n++;
	/* Made once (the second dlopen, by name, shows the same), never
	 * freed: a thread that read environ meanwhile may still be looking
	 * at it.  Kept here, so it is no leak. */
	static char **shown;
	if (!shown && nadd && (shown = malloc((n + nadd + 1) * sizeof(*shown)))) {
		memcpy(shown, add, nadd * sizeof(*shown));
		if (n)
			memcpy(shown + nadd, environ, n * sizeof(*shown));
		shown[n + nadd] = NULL;
	}
	if (!shown)
		return dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	char **own = environ;
	environ = shown;
	void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	environ = own;
	return h;
}

/*
 * Without a daemon the program stays exactly as it was: liblttng-ust starts
 * two listener threads, and a multi-threaded process pays for every
 * cancellation point (read, recv, ...) in glibc.  With one, only a process
 * that records (a tag, as `sockscope record` gives, or SOCKSCOPE_PROBES=on)
 * waits for its registration, so that its first calls are recorded; any
 * other registers in the background and starts at once.
 */
int ss_probes_load(const void *self)
{
	static const char tp[] = "libsockscope-tp.so";
	const char *env = secure_getenv("SOCKSCOPE_PROBES");
	int on = env && !strcmp(env, "on");
	int wait = ss_records();
	Dl_info info;
	char path[4096];

	if (env && !strcmp(env, "off"))
		return 0;
	if (!on && !sessiond_socket_exists())
		return 0;
	if (dladdr(self, &info) && info.dli_fname &&
	    strlen(info.dli_fname) + sizeof(tp) < sizeof(path)) {
		strcpy(path, info.dli_fname);
		char *slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash + 1, tp);
			if (dlopen_with(path, wait))
				return 1;
		}
	}
	return dlopen_with(tp, wait) != NULL;
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

int ss_records(void)
{
	const char *env = secure_getenv("SOCKSCOPE_PROBES");

	return (env && !strcmp(env, "on")) || ss_rec_from_env() != 0;
}
