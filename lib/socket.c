// SPDX-License-Identifier: MIT
/*
 * The socket object: creating one (socket, fromfd, accept), closing it,
 * its blocking mode and timeout, and the waits that implement timeouts.
 * As in Python's socket module, a socket with a timeout keeps its
 * descriptor non-blocking and polls before each call, so connect, accept,
 * send and receive all honour the same deadline.
 */
#include "lib.h"
#include "ss_names.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SS_SOCK_FLAGS (SOCK_NONBLOCK | SOCK_CLOEXEC)

/* Serials start at 1: 0 in an event means "no object". */
static uint64_t last_serial;

struct ss_sock *ss__sock_new(struct ss__call *c, struct ss_error *err, int fd, int family,
			     int type, int timeout_ms)
{
	struct ss_sock *s = malloc(sizeof(*s));

	if (!s) {
		int code = errno;
		close(fd);
		ss__fail(c, err, code, ss__method_name(c->m), NULL, NULL);
		return NULL;
	}
	s->fd = fd;
	s->family = family;
	s->type = type & ~SS_SOCK_FLAGS;
	s->timeout_ms = timeout_ms;
	s->serial = __atomic_add_fetch(&last_serial, 1, __ATOMIC_RELAXED);
	s->where[0] = '\0';
	return s;
}

void ss__sock_free(struct ss_sock *s)
{
	int saved = errno;

	close(s->fd);
	free(s);
	errno = saved;
}

SS_API struct ss_sock *ss_socket(int family, int type, int proto, struct ss_error *err)
{
	struct ss__call c;
	struct ss_sock *s = NULL;
	char fbuf[16], tbuf[64];

	ss__begin(&c, SS_M_socket);
	if (c.on)
		ss__args(&c, "%s, %s, %d", ss__name_or_num(ss_af_name(family), family, fbuf, sizeof(fbuf)),
			 ss_socktype_text(type, tbuf, sizeof(tbuf)), proto);
	int fd = socket(family, type | SOCK_CLOEXEC, proto);
	if (fd < 0)
		ss__sys(&c, err, "socket", NULL);
	else
		s = ss__sock_new(&c, err, fd, family, type,
				 type & SOCK_NONBLOCK ? SS_NONBLOCKING : SS_BLOCKING);
	return ss__end_new(&c, s);
}

SS_API struct ss_sock *ss_fromfd(int fd, int family, int type, struct ss_error *err)
{
	struct ss__call c;
	struct ss_sock *s = NULL;
	char fbuf[16], tbuf[64];
	int fl = -1;

	ss__begin(&c, SS_M_fromfd);
	if (c.on)
		ss__args(&c, "%d, %s, %s", fd, ss__name_or_num(ss_af_name(family), family, fbuf, sizeof(fbuf)),
			 ss_socktype_text(type, tbuf, sizeof(tbuf)));
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dup >= 0 && (fl = fcntl(dup, F_GETFL)) < 0) {
		int code = errno;
		close(dup);
		errno = code;
		dup = -1;
	}
	if (dup < 0)
		ss__sys(&c, err, "fromfd", NULL);
	else
		s = ss__sock_new(&c, err, dup, family, type,
				 fl & O_NONBLOCK ? SS_NONBLOCKING : SS_BLOCKING);
	return ss__end_new(&c, s);
}

struct accept_args {
	struct sockaddr_storage sa;
	socklen_t len;
};

static ssize_t do_accept(const struct ss_sock *s, void *arg)
{
	struct accept_args *a = arg;

	a->len = sizeof(a->sa);
	return accept4(s->fd, (struct sockaddr *)&a->sa, &a->len, SOCK_CLOEXEC);
}

SS_API struct ss_sock *ss_accept(struct ss_sock *s, struct ss_address *peer, struct ss_error *err)
{
	struct ss__call c;
	struct ss_sock *conn = NULL;
	struct accept_args a;

	ss__begin(&c, SS_M_accept);
	int fd = (int)ss__io(s, POLLIN, ss__deadline(s), do_accept, &a);
	if (fd < 0) {
		ss__wait_fail(&c, err, "accept", s->where);
	} else if ((conn = ss__sock_new(&c, err, fd, s->family, s->type, SS_BLOCKING))) {
		struct ss_endpoint ep;
		ss_addr_format(&a.sa, a.len, &ep);
		snprintf(conn->where, sizeof(conn->where), "%s", ep.text);
		if (peer)
			ss__address(peer, &a.sa, a.len);
	}
	ss__end(&c, s, conn ? (int64_t)conn->serial : -1);
	return conn;
}

SS_API int ss_close(struct ss_sock *s, struct ss_error *err)
{
	struct ss__call c;

	if (!s)
		return 0;
	ss__begin(&c, SS_M_close);
	int r = close(s->fd);
	if (r < 0)
		ss__sys(&c, err, "close", s->where);
	ss__end(&c, s, r);
	free(s);
	return r;
}

SS_API int ss_fileno(struct ss_sock *s)
{
	struct ss__call c;

	ss__begin(&c, SS_M_fileno);
	return (int)ss__end(&c, s, s->fd);
}

int ss__settimeout(struct ss__call *c, struct ss_error *err, struct ss_sock *s, int timeout_ms)
{
	int want = timeout_ms >= 0;

	if (want != (s->timeout_ms >= 0)) {
		int fl = fcntl(s->fd, F_GETFL);
		if (fl < 0 || fcntl(s->fd, F_SETFL, want ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
			return ss__sys(c, err, ss__method_name(c->m), s->where);
	}
	s->timeout_ms = want ? timeout_ms : SS_BLOCKING;
	return 0;
}

SS_API int ss_setblocking(struct ss_sock *s, int flag, struct ss_error *err)
{
	struct ss__call c;

	ss__begin(&c, SS_M_setblocking);
	ss__args(&c, "%d", flag);
	int r = ss__settimeout(&c, err, s, flag ? SS_BLOCKING : SS_NONBLOCKING);
	return (int)ss__end(&c, s, r);
}

SS_API int ss_settimeout(struct ss_sock *s, int timeout_ms, struct ss_error *err)
{
	struct ss__call c;

	ss__begin(&c, SS_M_settimeout);
	ss__args(&c, "%d", timeout_ms);
	int r = ss__settimeout(&c, err, s, timeout_ms);
	return (int)ss__end(&c, s, r);
}

/* The port of an AF_INET or AF_INET6 address (same offset in both). */
static int to_port(const struct ss__sockaddr *to)
{
	return ntohs(((const struct sockaddr_in *)&to->sa)->sin_port);
}

uint64_t ss__deadline(const struct ss_sock *s)
{
	return s->timeout_ms > 0 ? ss__now() + (uint64_t)s->timeout_ms * 1000000u : 0;
}

int ss__wait(const struct ss_sock *s, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = s->fd, .events = events };

	if (s->timeout_ms <= 0)
		return 0;
	for (;;) {
		uint64_t now = ss__now();
		if (now >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		/* Round up: a wait cut short by a millisecond would spin. */
		int r = poll(&p, 1, (int)((deadline - now + 999999) / 1000000));
		if (r > 0)
			return 0;
		if (r < 0)
			return -1;
	}
}

ssize_t ss__io(const struct ss_sock *s, short events, uint64_t deadline,
	       ssize_t (*fn)(const struct ss_sock *s, void *arg), void *arg)
{
	for (;;) {
		if (ss__wait(s, events, deadline) < 0)
			return -1;
		ssize_t r = fn(s, arg);
		if (r >= 0 || s->timeout_ms <= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return r;
	}
}

void ss__bound(struct ss_sock *s, const struct ss__sockaddr *to)
{
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	struct ss_endpoint ep;

	/* Errors of a listener on an ephemeral port should name the port
	 * clients use, not ":0". */
	if ((to->sa.ss_family == AF_INET || to->sa.ss_family == AF_INET6) && !to_port(to) &&
	    getsockname(s->fd, (struct sockaddr *)&sa, &len) == 0) {
		ss_addr_format(&sa, len, &ep);
		snprintf(s->where, sizeof(s->where), "%s", ep.text);
		return;
	}
	snprintf(s->where, sizeof(s->where), "%s", to->text);
}

int ss__connect(struct ss__call *c, struct ss_error *err, struct ss_sock *s,
		const struct ss__sockaddr *to)
{
	int r = connect(s->fd, (const struct sockaddr *)&to->sa, to->len);

	if (r < 0 && errno == EINPROGRESS && s->timeout_ms > 0) {
		int soerr = 0;
		socklen_t len = sizeof(soerr);
		if (ss__wait(s, POLLOUT, ss__deadline(s)) < 0)
			return ss__wait_fail(c, err, "connect", to->text);
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			return ss__sys(c, err, "connect", to->text);
		errno = soerr;
		r = soerr ? -1 : 0;
	}
	if (r < 0)
		return ss__sys(c, err, "connect", to->text);
	snprintf(s->where, sizeof(s->where), "%s", to->text);
	return 0;
}

SS_API int ss_family(const struct ss_sock *s)
{
	return s->family;
}

SS_API int ss_type(const struct ss_sock *s)
{
	return s->type;
}

SS_API int ss_gettimeout(const struct ss_sock *s)
{
	return s->timeout_ms;
}

SS_API uint64_t ss_serial(const struct ss_sock *s)
{
	return s->serial;
}
