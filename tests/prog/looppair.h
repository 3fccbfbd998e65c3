/* SPDX-License-Identifier: MIT */
/*
 * A TCP connection over loopback made with libc's socket functions, for
 * the test programs that need one before doing what they test: the
 * listener, the client and the server side of the accepted connection;
 * and the loopback addresses and ports they are made of.
 */
#ifndef SS_LOOPPAIR_H
#define SS_LOOPPAIR_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

/* 127.0.0.1:port. */
static inline struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* The local port of the socket at fd (0 when it has none). */
static inline int port_of(int fd)
{
	struct sockaddr_in a = { .sin_port = 0 };
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin_port);
}

/* Fill fds with listener, client, server; returns 0, or -1 with errno. */
static inline int loop_pair(int fds[3])
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);

	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[0] < 0 || bind(fds[0], (struct sockaddr *)&a, sizeof(a)) || listen(fds[0], 1) ||
	    getsockname(fds[0], (struct sockaddr *)&a, &alen))
		return -1;
	fds[1] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[1] < 0 || connect(fds[1], (struct sockaddr *)&a, sizeof(a)))
		return -1;
	fds[2] = accept(fds[0], NULL, NULL);
	return fds[2] < 0 ? -1 : 0;
}

#endif
