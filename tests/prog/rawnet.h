/* SPDX-License-Identifier: MIT */
/*
 * A loopback TCP exchange made with raw system calls (syscall(), as Go's
 * runtime makes them), never through libc's socket functions: for the
 * test programs that stand for binaries LD_PRELOAD cannot see into.
 */
#ifndef SS_RAWNET_H
#define SS_RAWNET_H

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Send n bytes (n <= 4096) from a client to a server accepted on
 * 127.0.0.1 and back.  Returns the bytes that came back, or -1. */
static long raw_echo(size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	char out[4096], in[4096];
	long got = 0;

	if (n > sizeof(out))
		return -1;
	memset(out, 'r', n);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	long l = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	long c = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || syscall(SYS_bind, l, &a, sizeof(a)) < 0 ||
	    syscall(SYS_listen, l, 1) < 0 || syscall(SYS_getsockname, l, &a, &len) < 0 ||
	    syscall(SYS_connect, c, &a, sizeof(a)) < 0)
		return -1;
	long s = syscall(SYS_accept4, l, NULL, NULL, 0);
	if (s < 0 || syscall(SYS_sendto, c, out, n, 0, NULL, 0) != (long)n ||
	    syscall(SYS_recvfrom, s, in, n, MSG_WAITALL, NULL, NULL) != (long)n ||
	    syscall(SYS_sendto, s, in, n, 0, NULL, 0) != (long)n)
		return -1;
	got = syscall(SYS_recvfrom, c, in, n, MSG_WAITALL, NULL, NULL);
	syscall(SYS_close, s);
	syscall(SYS_close, c);
	syscall(SYS_close, l);
	return got == (long)n && !memcmp(in, out, n) ? got : -1;
}

#endif
