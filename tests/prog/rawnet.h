/* SPDX-License-Identifier: MIT */
/*
 * A loopback TCP exchange made with raw system calls, never through libc's
 * socket functions: through libc's syscall() (as libuv makes some), or,
 * with RAWNET_INLINE defined, with the program's own `syscall`
 * instruction (as Go's runtime makes them), which LD_PRELOAD cannot see.
 */
#ifndef SS_RAWNET_H
#define SS_RAWNET_H

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef RAWNET_INLINE
/* A system call made here, not in libc: nothing to interpose. */
static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
		      x2 __asm__("x2") = c, x3 __asm__("x3") = d, x4 __asm__("x4") = e,
		      x5 __asm__("x5") = f;
	__asm__ volatile("svc 0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	ret = x0;
#else
#error "raw6: no inline system call for this target"
#endif
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
#define RAWNET_ARGS6(nr, a, b, c, d, e, f, ...) \
	raw6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define syscall(...) RAWNET_ARGS6(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#endif

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

/* main of the programs: argv[1] is n (default 100); prints what came
 * back after prefix, or fails. */
static int raw_echo_main(const char *prefix, int argc, char **argv)
{
	long n = raw_echo(argc > 1 ? (size_t)atol(argv[1]) : 100);

	if (n < 0) {
		perror("raw_echo");
		return 1;
	}
	printf("%sraw: %ld bytes echoed\n", prefix, n);
	return 0;
}

#endif
