// SPDX-License-Identifier: MIT
/*
 * Stands for a program that makes its socket calls with libc's syscall(),
 * not with the socket functions: a loopback TCP exchange of N bytes
 * (default 100), then "raw: N bytes echoed".  It imports syscall() and no
 * socket function; the preload routes those numbers to its wrappers, so
 * `sockscope record` runs it and traces every call.
 * Usage: ss-rawsys [N]
 */
#include "rawnet.h"

int main(int argc, char **argv)
{
	return raw_echo_main("", argc, argv);
}
