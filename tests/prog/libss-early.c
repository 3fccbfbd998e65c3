// SPDX-License-Identifier: MIT
/*
 * A library whose constructor makes socket calls.  Linked into ss-early, it
 * is initialised before the preload's own constructor has run (the preload
 * comes later in the init order), so these calls reach the wrappers before
 * the real functions are resolved and before the tracer is there.
 *
 * With SS_EARLY_DLOPEN=LIB it first dlopen()s LIB, as a library that loads
 * LTTng probes from its constructor does: the loader's lock is then held
 * while liblttng-ust's threads make their first socket calls through the
 * preload.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT int early_sv[2] = { -1, -1 };
EXPORT int early_connect_ret, early_connect_errno;
EXPORT long early_sent;
EXPORT int early_resolved;

__attribute__((constructor)) static void early(void)
{
	struct sockaddr sa = { .sa_family = AF_INET };
	const char *lib = getenv("SS_EARLY_DLOPEN");

	if (lib && !dlopen(lib, RTLD_NOW | RTLD_GLOBAL))
		fprintf(stderr, "libss-early: %s\n", dlerror());
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, early_sv) != 0)
		return;
	early_sent = send(early_sv[0], "early", 5, 0);
	errno = 0;
	early_connect_ret = connect(-1, &sa, sizeof(sa));
	early_connect_errno = errno;
	early_resolved = gethostbyname("localhost") != NULL;
}
