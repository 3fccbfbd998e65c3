// SPDX-License-Identifier: MIT
/*
 * What a libsockscope call costs over the system call it makes: ns per
 * one-byte send + receive on a unix stream pair, raw and through the
 * library (whose receive also allocates the buffer), and ss_fileno, which
 * makes no system call and so is the begin/end of a method alone.  Run it
 * with SOCKSCOPE_PROBES=off, with a session daemon but no session, and
 * with a session recording sockscope_api:* to see each layer's cost.
 * Usage: lib-micro [ITERATIONS]
 */
#include <sockscope.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	struct ss_error err;
	int sv[2];
	char byte = 'x', *data;

	if (n <= 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		fprintf(stderr, "usage: lib-micro [ITERATIONS]\n");
		return 2;
	}
	struct ss_sock *a = ss_fromfd(sv[0], AF_UNIX, SOCK_STREAM, &err);
	struct ss_sock *b = ss_fromfd(sv[1], AF_UNIX, SOCK_STREAM, &err);
	if (!a || !b) {
		fprintf(stderr, "lib-micro: %s\n", err.msg);
		return 1;
	}

	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (send(sv[0], &byte, 1, 0) != 1 || recv(sv[1], &byte, 1, 0) != 1)
			return 1;
	double raw = (now_ns() - t0) / (double)n;

	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (ss_send(a, &byte, 1, 0, &err) != 1 || ss_recv(b, 1, 0, &data, &err) != 1)
			return 1;
		free(data);
	}
	double lib = (now_ns() - t0) / (double)n;

	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (ss_fileno(a) < 0)
			return 1;
	double fileno_ns = (now_ns() - t0) / (double)n;

	printf("send+recv raw %.0f ns, ss_send+ss_recv %.0f ns (+%.0f), ss_fileno %.0f ns\n", raw,
	       lib, lib - raw, fileno_ns);
	ss_close(a, NULL);
	ss_close(b, NULL);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
