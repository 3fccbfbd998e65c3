// SPDX-License-Identifier: MIT
/*
 * Stands for a program that makes its socket calls with syscall(), not
 * through libc: a loopback TCP exchange of N bytes (default 100), then
 * "raw: N bytes echoed".  It imports syscall() and no socket function,
 * so `sockscope record` refuses it and says why; with --force it runs
 * and record says that no socket call was seen.
 * Usage: ss-rawsys [N]
 */
#include <stdio.h>
#include <stdlib.h>

#include "rawnet.h"

int main(int argc, char **argv)
{
	long n = raw_echo(argc > 1 ? (size_t)atol(argv[1]) : 100);

	if (n < 0) {
		perror("raw_echo");
		return 1;
	}
	printf("raw: %ld bytes echoed\n", n);
	return 0;
}
