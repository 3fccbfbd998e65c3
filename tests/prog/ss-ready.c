// SPDX-License-Identifier: MIT
/*
 * Non-blocking connects to a loopback listener, each waited for by another
 * readiness call, for tests/preload-ready.t: poll, ppoll, select, pselect,
 * epoll_wait, epoll_pwait, epoll_pwait2 (epoll's data an arbitrary pointer
 * value), epoll_wait through syscall() as libuv may make it, and one
 * refused (a closed port), waited for with poll; and a connect another
 * thread makes and registers while epoll_wait already waits.  Prints, in order, the
 * event each connect should end with ("ready poll") or "none" when
 * something else ends it first (getsockopt(SO_ERROR), a send, a close, a
 * blocking connect).  Between them, poll and epoll loops over sockets that
 * are not connecting, while one is, must emit nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "looppair.h"

static int listener, port, closed_port;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A non-blocking connect to p, in progress; expect: what should end it. */
static int start(int p, const char *expect)
{
	struct sockaddr_in to = loopback(p);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (s < 0)
		die("socket");
	if (connect(s, (struct sockaddr *)&to, sizeof(to)) == 0 || errno != EINPROGRESS)
		die("connect did not go in progress");
	printf("%s\n", expect);
	return s;
}

/* Accept the listener's next connection and keep it open. */
static void take(void)
{
	if (accept(listener, NULL, NULL) < 0)
		die("accept");
}

static void want(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "ss-ready: %s\n", what);
		exit(1);
	}
}

/* A thread connects and registers with the epoll descriptor at arg,
 * edge-triggered, while the main thread waits in epoll_wait (after 100 ms
 * when arg is positive, at once when it is negative: the kernel may wake
 * the waiter before epoll_ctl has returned). */
static void *connect_meanwhile(void *arg)
{
	int ep = *(int *)arg;

	if (ep > 0)
		usleep(100000);
	else
		ep = -ep;
	int c = start(port, "ready epoll_wait");
	struct epoll_event ev = { EPOLLOUT | EPOLLET, { .u64 = 7 } };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev))
		die("epoll_ctl");
	take();
	return NULL;
}

int main(void)
{
	struct sockaddr_in a = loopback(0);
	struct timespec ts = { 10, 0 };
	struct timeval tv = { 10, 0 };
	struct pollfd p;
	fd_set w;
	int sv[2], c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(listener, (struct sockaddr *)&a, sizeof(a)) || listen(listener, 64))
		die("listen");
	port = port_of(listener);
	c = socket(AF_INET, SOCK_STREAM, 0);
	a = loopback(0);
	if (bind(c, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	closed_port = port_of(c);
	close(c);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || send(sv[0], "x", 1, 0) != 1)
		die("socketpair");

	/* poll; then the loop over other sockets while one connects. */
	c = start(port, "ready poll");
	int waiting = start(port, "ready poll");
	struct pollfd other = { sv[1], POLLIN, 0 };
	for (int i = 0; i < 1000; i++)
		want(poll(&other, 1, 0) == 1, "poll loop");
	p = (struct pollfd){ c, POLLOUT, 0 };
	want(poll(&p, 1, 10000) == 1 && p.revents & POLLOUT, "poll");
	want(poll(&p, 1, 0) == 1, "poll again");
	take();
	p.fd = waiting;
	want(poll(&p, 1, 10000) == 1 && p.revents & POLLOUT, "poll of the waiting one");
	take();

	c = start(port, "ready ppoll");
	p = (struct pollfd){ c, POLLOUT, 0 };
	want(ppoll(&p, 1, &ts, NULL) == 1, "ppoll");
	take();

	c = start(port, "ready select");
	FD_ZERO(&w);
	FD_SET(c, &w);
	want(select(c + 1, NULL, &w, NULL, &tv) == 1 && FD_ISSET(c, &w), "select");
	take();

	c = start(port, "ready pselect");
	FD_ZERO(&w);
	FD_SET(c, &w);
	want(pselect(c + 1, NULL, &w, NULL, &ts, NULL) == 1, "pselect");
	take();

	/* epoll: the data an arbitrary pointer, a non-connecting socket in the
	 * same set, and a loop over it while one connects. */
	int ep = epoll_create1(0);
	struct epoll_event ev = { EPOLLIN, { .u64 = 1 } }, out[4];
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev))
		die("epoll_ctl");
	void *const cookie = (void *)(uintptr_t)0x5eed1e55cafe;
	c = start(port, "ready epoll_wait");
	ev = (struct epoll_event){ EPOLLOUT, { .ptr = cookie } };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev))
		die("epoll_ctl");
	waiting = start(port, "none");
	for (int i = 0; i < 1000; i++)
		want(epoll_wait(ep, out, 1, 0) == 1, "epoll loop");
	take();
	take();
	int n = epoll_wait(ep, out, 4, 10000);
	want(n == 2, "epoll_wait");
	want((out[0].data.ptr == cookie && out[0].events & EPOLLOUT) ||
		     (out[1].data.ptr == cookie && out[1].events & EPOLLOUT),
	     "epoll_wait gives the data back");
	epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL);
	/* Never polled: closed while connecting, its number reused. */
	close(waiting);

	c = start(port, "ready epoll_pwait");
	ev = (struct epoll_event){ EPOLLOUT | EPOLLET, { .u64 = 2 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
	take();
	want(epoll_pwait(ep, out, 4, 10000, NULL) >= 1, "epoll_pwait");
	epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL);

	c = start(port, "ready epoll_pwait2");
	ev = (struct epoll_event){ EPOLLOUT, { .u64 = 3 } };
	epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
	take();
	want(epoll_pwait2(ep, out, 4, &ts, NULL) >= 1, "epoll_pwait2");
	epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL);

	/* Through syscall(), registered with it too. */
	c = start(port, "ready epoll_wait");
	ev = (struct epoll_event){ EPOLLOUT, { .u64 = 4 } };
	syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, c, &ev);
	take();
	want(syscall(SYS_epoll_wait, ep, out, 4, 10000) >= 1, "raw epoll_wait");
	epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL);

	/* Began to wait before anything connected. */
	int ep2 = epoll_create1(0);
	pthread_t th;
	if (pthread_create(&th, NULL, connect_meanwhile, &ep2))
		die("pthread_create");
	want(epoll_wait(ep2, out, 4, 10000) == 1 && out[0].data.u64 == 7, "epoll_wait meanwhile");
	pthread_join(th, NULL);
	/* Many times, the thread at once: woken while it registers. */
	for (int i = 0; i < 200; i++) {
		int ep3 = epoll_create1(0), neg = -ep3;
		if (ep3 < 0 || pthread_create(&th, NULL, connect_meanwhile, &neg))
			die("pthread_create");
		want(epoll_wait(ep3, out, 4, 10000) == 1 && out[0].data.u64 == 7,
		     "epoll_wait while it registers");
		pthread_join(th, NULL);
		close(ep3);
	}

	/* Refused: POLLERR. */
	c = start(closed_port, "ready poll refused");
	p = (struct pollfd){ c, POLLOUT, 0 };
	want(poll(&p, 1, 10000) == 1 && p.revents & POLLERR, "poll refused");

	/* Ended otherwise: SO_ERROR, a send, then nothing from poll. */
	c = start(port, "none");
	take();
	int err = -1;
	socklen_t len = sizeof(err);
	p = (struct pollfd){ c, POLLOUT, 0 };
	want(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0, "SO_ERROR");
	want(poll(&p, 1, 10000) == 1, "poll after SO_ERROR");
	c = start(port, "none");
	take();
	p = (struct pollfd){ c, POLLOUT, 0 };
	want(send(c, "y", 1, 0) == 1, "send");
	want(poll(&p, 1, 10000) == 1, "poll after send");
	printf("done\n");
	return 0;
}
