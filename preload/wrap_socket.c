// SPDX-License-Identifier: MIT
/*
 * Wrappers of the calls that make, name and configure sockets: socket,
 * socketpair, bind, listen, accept, accept4, connect, getsockname,
 * getpeername, getsockopt, setsockopt, shutdown.  Each returns exactly what
 * the real call returned with errno as it left it; descriptor bookkeeping
 * happens whether or not a session is recording.
 */
#include "preload.h"

#include <string.h>

/* After a unix connection was made (connect returned 0 -- a unix connect
 * completes at once, non-blocking or not -- or accept gave fd): its peer's
 * pid, one getsockopt(SO_PEERCRED), emitted as sockscope:peercred for sock,
 * so that a report tells concurrent clients of one path apart.  A datagram
 * socket has no peer credentials (pid 0): nothing is emitted.  Keeps errno. */
static void say_peercred(struct ss_call *c, int family, int fd, uint64_t sock)
{
	if (family != AF_UNIX || !c->on || !SS_ENABLED(peercred))
		return;
	struct ucred cr = { 0 };
	socklen_t len = sizeof(cr);
	int saved = errno;
	if (REAL(getsockopt)(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid > 0) {
		struct ss_call pc = { .b = { .fd = fd, .sock = sock }, .saved_errno = saved,
				      .on = 1 };
		SS_EMIT(&pc, peercred, cr.pid);
	}
	errno = saved;
}

SS_EXPORT int socket(int family, int type, int protocol)
{
	SS_PASS(socket, (family, type, protocol));
	const void *ra = __builtin_return_address(0);

	if (!SS_ENABLED(socket) || !ss_may_trace(ra)) {
		int fd = REAL(socket)(family, type, protocol);
		ss_fd_new_socket(fd, ra);
		return fd;
	}
	struct ss_call c;
	char tb[64];
	ss_call_begin(&c, -1, 0);
	int fd = REAL(socket)(family, type, protocol);
	ss_call_end(&c, fd, fd < 0);
	c.b.fd = fd;
	c.b.sock = ss_fd_new_socket(fd, ra);
	SS_EMIT(&c, socket, family, ss_socktype_text(type, tb, sizeof(tb)), protocol);
	return fd;
}

SS_EXPORT int socketpair(int family, int type, int protocol, int sv[2])
{
	SS_PASS(socketpair, (family, type, protocol, sv));
	const void *ra = __builtin_return_address(0);
	int traced = SS_ENABLED(socketpair) && ss_may_trace(ra);
	struct ss_call c;
	char tb[64];

	ss_call_begin_if(&c, traced, -1, 0);
	int r = REAL(socketpair)(family, type, protocol, sv);
	ss_call_end(&c, r, r < 0);
	uint64_t s0 = 0, s1 = 0;
	int fd0 = -1, fd1 = -1;
	if (r == 0) {
		fd0 = sv[0];
		fd1 = sv[1];
		s0 = ss_fd_new_socket(fd0, ra);
		s1 = ss_fd_new_socket(fd1, ra);
	}
	if (!traced) {
		errno = c.saved_errno;
		return r;
	}
	c.b.fd = fd0;
	c.b.sock = s0;
	SS_EMIT(&c, socketpair, family, ss_socktype_text(type, tb, sizeof(tb)), protocol, fd1, s1);
	return r;
}

SS_WRAPPER(int, bind, (int fd, const struct sockaddr *sa, socklen_t len), (fd, sa, len),
	   SS_ENABLED(bind))
{
	struct ss_call c;
	struct ss_ep ep, bound;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	int r = REAL(bind)(fd, sa, len);
	ss_call_end(&c, r, r < 0);
	/* What the kernel bound: the port it chose for port 0. */
	bound.tp.text = "";
	if (r == 0 && c.on)
		ss_ep_of_fd(&bound, fd, 0);
	SS_EMIT(&c, bind, ss_ep_decode(&ep, sa, len, r == 0), bound.tp.text);
	return r;
}

/* connect: the peer as given, and the local endpoint once the kernel has
 * chosen it (connected, or in progress), so a client's port is known
 * without the program asking. */
SS_WRAPPER(int, connect, (int fd, const struct sockaddr *sa, socklen_t len), (fd, sa, len),
	   SS_ENABLED(connect))
{
	struct ss_call c;
	struct ss_ep ep, local;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	int r = REAL(connect)(fd, sa, len);
	ss_call_end(&c, r, r < 0);
	local.tp.text = "";
	if (r == 0 || c.saved_errno == EINPROGRESS)
		ss_ep_of_fd(&local, fd, 0);
	ss_fd_connect_result(fd, c.b.sock, r, c.saved_errno);
	SS_EMIT(&c, connect, ss_ep_decode(&ep, sa, len, r == 0), local.tp.text);
	if (r == 0)
		say_peercred(&c, ep.tp.family, fd, c.b.sock);
	return r;
}

/* getsockname and getpeername: an endpoint written back, whole even when
 * the caller's buffer was too short for it. */
#define SS_ADDR_OUT_WRAPPER(name, peer)                                        \
	SS_WRAPPER(int, name, (int fd, struct sockaddr *sa, socklen_t *lenp),  \
		   (fd, sa, lenp), SS_ENABLED(name))                           \
	{                                                                      \
		struct ss_call c;                                              \
		struct ss_ep ep;                                               \
		ss_call_begin(&c, fd, ss_sock_traced(fd));                     \
		socklen_t inlen = ss_len_in(sa, lenp);                         \
		int r = REAL(name)(fd, sa, lenp);                              \
		ss_call_end(&c, r, r < 0);                                     \
		SS_EMIT(&c, name,                                              \
			ss_ep_out_full(&ep, fd, peer, sa, lenp, inlen, r == 0)); \
		return r;                                                      \
	}

SS_ADDR_OUT_WRAPPER(getsockname, 0)
SS_ADDR_OUT_WRAPPER(getpeername, 1)

/* accept and accept4 share this; the peer comes from the caller's buffer,
 * or from getpeername when the caller passed none or one too short. */
static int do_accept(int fd, struct sockaddr *sa, socklen_t *lenp, int flags, int is4,
		     const void *ra)
{
	int traced = is4 ? SS_ENABLED(accept4) : SS_ENABLED(accept);

	if (!traced || !ss_may_trace(ra)) {
		int nfd = is4 ? REAL(accept4)(fd, sa, lenp, flags) : REAL(accept)(fd, sa, lenp);
		ss_fd_new_socket(nfd, ra);
		return nfd;
	}
	struct ss_call c;
	struct ss_ep ep, local;

	ss_call_begin(&c, fd, ss_sock_traced(fd));
	socklen_t inlen = ss_len_in(sa, lenp);
	int nfd = is4 ? REAL(accept4)(fd, sa, lenp, flags) : REAL(accept)(fd, sa, lenp);
	ss_call_end(&c, nfd, nfd < 0);
	uint64_t newsock = ss_fd_new_socket(nfd, ra);
	if (nfd >= 0 && !sa)
		ss_ep_of_fd(&ep, nfd, 1);
	else
		ss_ep_out_full(&ep, nfd, 1, sa, lenp, inlen, nfd >= 0);
	local.tp.text = "";
	if (nfd >= 0)
		ss_ep_of_fd(&local, nfd, 0);
	if (is4)
		SS_EMIT(&c, accept4, &ep.tp, newsock, flags, local.tp.text);
	else
		SS_EMIT(&c, accept, &ep.tp, newsock, 0, local.tp.text);
	if (nfd >= 0)
		say_peercred(&c, ep.tp.family, nfd, newsock);
	return nfd;
}

SS_EXPORT int accept(int fd, struct sockaddr *sa, socklen_t *lenp)
{
	SS_PASS(accept, (fd, sa, lenp));
	return do_accept(fd, sa, lenp, 0, 0, __builtin_return_address(0));
}

SS_EXPORT int accept4(int fd, struct sockaddr *sa, socklen_t *lenp, int flags)
{
	SS_PASS(accept4, (fd, sa, lenp, flags));
	return do_accept(fd, sa, lenp, flags, 1, __builtin_return_address(0));
}

/* listen: the backlog as given, and where the socket listens: a socket
 * listening unbound gets its port from the kernel here. */
SS_WRAPPER(int, listen, (int fd, int backlog), (fd, backlog), SS_ENABLED(listen))
{
	struct ss_call c;
	struct ss_ep local;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	int r = REAL(listen)(fd, backlog);
	ss_call_end(&c, r, r < 0);
	local.tp.text = "";
	if (r == 0 && c.on)
		ss_ep_of_fd(&local, fd, 0);
	SS_EMIT(&c, listen, backlog, local.tp.text);
	return r;
}

/* shutdown: which halves, as given. */
SS_WRAPPER(int, shutdown, (int fd, int how), (fd, how), SS_ENABLED(shutdown))
{
	struct ss_call c;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	int r = REAL(shutdown)(fd, how);
	ss_call_end(&c, r, r < 0);
	SS_EMIT(&c, shutdown, how);
	return r;
}

/* The option value when it is an int the kernel accepted or produced. */
static int int_optval(const void *val, socklen_t len, int ok)
{
	int v = 0;

	if (len != sizeof(int) || ss_peek(&v, val, sizeof(v), ok) != sizeof(v))
		return 0;
	return v;
}

SS_WRAPPER(int, getsockopt, (int fd, int level, int optname, void *val, socklen_t *lenp),
	   (fd, level, optname, val, lenp), SS_ENABLED(getsockopt))
{
	struct ss_call c;
	socklen_t len = 0;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	int r = REAL(getsockopt)(fd, level, optname, val, lenp);
	ss_call_end(&c, r, r < 0);
	/* The outcome of a non-blocking connect, asked for. */
	ss_fd_settled_by(fd, r == 0 && level == SOL_SOCKET && optname == SO_ERROR);
	if (ss_peek(&len, lenp, sizeof(len), r == 0) != sizeof(len))
		len = 0;
	SS_EMIT(&c, getsockopt, level, optname, int_optval(val, len, r == 0), (int)len);
	return r;
}

SS_WRAPPER(int, setsockopt, (int fd, int level, int optname, const void *val, socklen_t len),
	   (fd, level, optname, val, len), SS_ENABLED(setsockopt))
{
	struct ss_call c;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	int r = REAL(setsockopt)(fd, level, optname, val, len);
	ss_call_end(&c, r, r < 0);
	SS_EMIT(&c, setsockopt, level, optname, int_optval(val, len, r == 0), (int)len);
	return r;
}
