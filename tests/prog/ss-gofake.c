// SPDX-License-Identifier: MIT
/*
 * Stands for a dynamically linked Go program built with cgo: the
 * .go.buildinfo section Go's linker writes, a name lookup through libc's
 * getaddrinfo (as cgo's resolver makes it) and then a loopback TCP
 * exchange made with its own `syscall` instructions (as Go's runtime
 * makes them).
 * `sockscope record` warns that a Go program's raw calls are not seen;
 * the trace holds the lookup only.
 * Usage: ss-gofake [N]
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>

#define RAWNET_INLINE
#include "rawnet.h"

/* What Go's linker starts the section with. */
__attribute__((used, section(".go.buildinfo"))) static const char buildinfo[32] =
	"\xff Go buildinf:";

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;

	if (getaddrinfo("localhost", NULL, &hints, &res) != 0) {
		fprintf(stderr, "getaddrinfo localhost failed\n");
		return 1;
	}
	freeaddrinfo(res);
	return raw_echo_main("localhost resolved; ", argc, argv);
}
