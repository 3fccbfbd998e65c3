// SPDX-License-Identifier: MIT
/*
 * Microbenchmarks of the wrapped calls: `micro WORKLOAD N` runs N iterations
 * and prints the wall-clock nanoseconds per iteration.  The same binary runs
 * bare, preloaded and under strace, so the ratios compare like with like.
 *
 *   getsockopt   getsockopt(SO_TYPE) on a TCP socket
 *   sendrecv     send 64 bytes + recv 64 bytes on a unix socketpair
 *                (MICRO_SIZE bytes each, up to 4096: record --payload's cost)
 *   connect      connect + accept + close + close over loopback TCP
 *   read-file    read 1 byte from /dev/zero (a descriptor that is no socket)
 *   syscall-getpid  syscall(SYS_getpid): a number the preload does not route
 *   syscall-futex   syscall(SYS_futex, FUTEX_WAKE) on a word nobody waits on,
 *                   as threading libraries make it
 *   poll         poll() of one socketpair end that is readable (timeout 0):
 *                an event loop's call on sockets that are not connecting
 *   epoll        epoll_wait() giving the one ready event of a readable
 *                socketpair end (timeout 0)
 *   serve        the server of the flows benchmark: listens on 127.0.0.1
 *                (or MICRO_ADDR, an IPv4 address),
 *                prints "port P", accepts N connections one by one, reads
 *                a byte from each and closes it
 *   dial         its client: N connections to MICRO_PORT (on 127.0.0.1 or
 *                MICRO_ADDR) one by one, each
 *                sends a byte and waits for the server to close
 *
 * MICRO_CONNECTING=1 leaves a non-blocking connect in progress before the
 * loop (to a listener whose backlog is full, so it stays so): what the
 * readiness calls cost while another socket connects.
 * MICRO_THREADS=N starts N threads that wait for ever before the loop: what
 * an in-process tracer's helper threads cost the kernel.  Built as
 * micro-ust (SS_BENCH_UST), each getsockopt is followed by one minimal
 * LTTng-UST event (bench-tp.h): LTTng's own floor, with no sockscope.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <pthread.h>

#ifdef SS_BENCH_UST
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "bench-tp.h"
#define EMIT(a, b) lttng_ust_tracepoint(sockscope_bench, min, (a), (b))
#else
#define EMIT(a, b) ((void)0)
#endif

static void *idle_thread(void *arg)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;

	(void)arg;
	pthread_mutex_lock(&m);
	for (;;)
		pthread_cond_wait(&c, &m);
	return NULL;
}

/* The flows benchmark's address: loopback, or another one given (the
 * client and server then stitch across hosts once one is moved). */
static in_addr_t flow_addr(void)
{
	const char *a = getenv("MICRO_ADDR");

	return a ? inet_addr(a) : htonl(INADDR_LOOPBACK);
}

/* A connect that stays in progress: a listener with a backlog of 0 that
 * never accepts takes one connection; the next one's SYN goes unanswered. */
static int connecting_elsewhere(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 0) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	for (int i = 0; i < 3; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 || errno != EINPROGRESS)
			return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: micro getsockopt|sendrecv|connect|read-file|syscall-getpid|"
				"syscall-futex|poll|epoll|serve|dial N\n");
		return 2;
	}
	const char *w = argv[1];
	long n = atol(argv[2]);
	char buf[4096] = { 0 };
	/* MICRO_SIZE: the bytes of each sendrecv (64 by default, at most 4096). */
	size_t size = getenv("MICRO_SIZE") ? (size_t)atol(getenv("MICRO_SIZE")) : 64;
	if (size < 1 || size > sizeof(buf))
		size = 64;
	int v, sv[2];
	socklen_t len;
	double t0 = 0, t1 = 0;
	const char *threads = getenv("MICRO_THREADS");

	if (getenv("MICRO_CONNECTING") && connecting_elsewhere())
		return 1;
	for (int i = 0; threads && i < atoi(threads); i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, idle_thread, NULL))
			return 1;
	}

	if (!strcmp(w, "getsockopt")) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		t0 = now();
		for (long i = 0; i < n; i++) {
			len = sizeof(v);
			getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
			EMIT(i, len);
		}
		t1 = now();
	} else if (!strcmp(w, "sendrecv")) {
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		t0 = now();
		for (long i = 0; i < n; i++) {
			if (send(sv[0], buf, size, 0) != (ssize_t)size ||
			    recv(sv[1], buf, size, 0) != (ssize_t)size)
				return 1;
		}
		t1 = now();
	} else if (!strcmp(w, "connect")) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(a);
		int l = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
		bind(l, (struct sockaddr *)&a, sizeof(a));
		listen(l, 128);
		getsockname(l, (struct sockaddr *)&a, &len);
		t0 = now();
		for (long i = 0; i < n; i++) {
			int c = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(c, (struct sockaddr *)&a, sizeof(a)))
				return 1;
			int s = accept(l, NULL, NULL);
			close(s);
			close(c);
		}
		t1 = now();
	} else if (!strcmp(w, "serve")) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		a.sin_addr.s_addr = flow_addr();
		len = sizeof(a);
		int l = socket(AF_INET, SOCK_STREAM, 0);
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 128) ||
		    getsockname(l, (struct sockaddr *)&a, &len))
			return 1;
		printf("port %d\n", ntohs(a.sin_port));
		fflush(stdout);
		t0 = now();
		for (long i = 0; i < n; i++) {
			int s = accept(l, NULL, NULL);
			if (s < 0 || recv(s, buf, 1, 0) != 1)
				return 1;
			close(s);
		}
		t1 = now();
	} else if (!strcmp(w, "dial")) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		a.sin_addr.s_addr = flow_addr();
		a.sin_port = htons((unsigned short)atoi(getenv("MICRO_PORT") ? getenv("MICRO_PORT") : "0"));
		t0 = now();
		for (long i = 0; i < n; i++) {
			int c = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(c, (struct sockaddr *)&a, sizeof(a)) || send(c, buf, 1, 0) != 1 ||
			    recv(c, buf, 1, 0) != 0)
				return 1;
			close(c);
		}
		t1 = now();
	} else if (!strcmp(w, "read-file")) {
		int fd = open("/dev/zero", O_RDONLY);
		t0 = now();
		for (long i = 0; i < n; i++)
			if (read(fd, buf, 1) != 1)
				return 1;
		t1 = now();
	} else if (!strcmp(w, "syscall-getpid")) {
		t0 = now();
		for (long i = 0; i < n; i++)
			if (syscall(SYS_getpid) <= 0)
				return 1;
		t1 = now();
	} else if (!strcmp(w, "syscall-futex")) {
		int word = 0;
		t0 = now();
		for (long i = 0; i < n; i++)
			if (syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) != 0)
				return 1;
		t1 = now();
	} else if (!strcmp(w, "poll")) {
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		if (send(sv[0], buf, 1, 0) != 1)
			return 1;
		struct pollfd p = { .fd = sv[1], .events = POLLIN };
		t0 = now();
		for (long i = 0; i < n; i++)
			if (poll(&p, 1, 0) != 1)
				return 1;
		t1 = now();
	} else if (!strcmp(w, "epoll")) {
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		int ep = epoll_create1(0);
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };
		if (send(sv[0], buf, 1, 0) != 1 || epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev))
			return 1;
		t0 = now();
		for (long i = 0; i < n; i++)
			if (epoll_wait(ep, &ev, 1, 0) != 1)
				return 1;
		t1 = now();
	} else {
		fprintf(stderr, "micro: unknown workload %s\n", w);
		return 2;
	}
	printf("%.1f\n", (t1 - t0) / (double)n);
	return 0;
}
