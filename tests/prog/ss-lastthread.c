// SPDX-License-Identifier: MIT
/*
 * A program whose main thread leaves with pthread_exit while a worker
 * still runs: the process ends, with status 0, when the worker returns.
 * The worker uses a socket pair first, so a recording has something of it.
 * Output: "worker sent N received N".
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void *worker(void *arg)
{
	int sv[2];
	char buf[8];

	usleep(100000); /* main has left by now */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return arg;
	ssize_t n = send(sv[0], "last", 4, 0);
	ssize_t m = recv(sv[1], buf, sizeof(buf), 0);
	printf("worker sent %zd received %zd\n", n, m);
	fflush(stdout);
	close(sv[0]);
	close(sv[1]);
	return arg;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, worker, NULL))
		return 1;
	pthread_exit(NULL);
}
