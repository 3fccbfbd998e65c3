// SPDX-License-Identifier: MIT
/*
 * Stands for a dynamically linked Go program built with cgo: the
 * .go.buildinfo section Go's linker writes, a name lookup through libc's
 * getaddrinfo (as cgo's resolver makes it) and then a loopback TCP
 * exchange made with raw system calls (as Go's runtime makes them).
 * `sockscope record` warns that a Go program's raw calls are not seen;
 * the trace holds the lookup only.
 * Usage: ss-gofake [N]
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>

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
	long n = raw_echo(argc > 1 ? (size_t)atol(argv[1]) : 100);
	if (n < 0) {
		perror("raw_echo");
		return 1;
	}
	printf("localhost resolved; raw: %ld bytes echoed\n", n);
	return 0;
}
