// SPDX-License-Identifier: MIT
/*
 * Stands for a dynamically linked program that makes its socket calls with
 * its own `syscall` instructions, not through libc: a loopback TCP
 * exchange of N bytes (default 100), then "raw: N bytes echoed".  It
 * imports no socket function and not syscall(), so `sockscope record`
 * refuses it (nothing to trace); with --force it runs and record says that
 * no socket call was seen.
 * Usage: ss-rawasm [N]
 */
#define RAWNET_INLINE
#include "rawnet.h"

int main(int argc, char **argv)
{
	return raw_echo_main("", argc, argv);
}
