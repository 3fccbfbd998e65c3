// SPDX-License-Identifier: MIT
/*
 * Where a socket is: bind, connect, listen, its own and its peer's name,
 * shutdown, and the two helpers beyond the seed that take "host:port" —
 * create_connection (try each address a name resolves to, as Python's
 * socket.create_connection does) and create_server (socket, SO_REUSEADDR,
 * bind, listen in one call).
 */
#include "lib.h"
#include "ss_names.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>

/* Start method m on the address (host, port): its args, then the address
 * resolved into *to.  0, or -1 with the failure recorded. */
static int begin_at(struct ss__call *c, enum ss__method m, struct ss_sock *s, const char *host,
		    int port, struct ss__sockaddr *to, struct ss_error *err)
{
	char what[SS_HOST_MAX + 16];

	ss__begin(c, m);
	if (c->on) {
		ss__hostport(what, sizeof(what), s->family, host, port);
		ss__args(c, "%s", what);
	}
	return ss__resolve(c, err, ss__method_name(m), s->family, s->type, host, port, to);
}

SS_API int ss_bind(struct ss_sock *s, const char *host, int port, struct ss_error *err)
{
	struct ss__call c;
	struct ss__sockaddr to;

	int r = begin_at(&c, SS_M_bind, s, host, port, &to, err);
	if (!r && (r = bind(s->fd, (const struct sockaddr *)&to.sa, to.len)) < 0)
		ss__sys(&c, err, "bind", to.text);
	if (!r)
		ss__bound(s, &to);
	return (int)ss__end(&c, s, r);
}

SS_API int ss_connect(struct ss_sock *s, const char *host, int port, struct ss_error *err)
{
	struct ss__call c;
	struct ss__sockaddr to;

	int r = begin_at(&c, SS_M_connect, s, host, port, &to, err);
	if (!r)
		r = ss__connect(&c, err, s, &to);
	return (int)ss__end(&c, s, r);
}

SS_API int ss_listen(struct ss_sock *s, int backlog, struct ss_error *err)
{
	struct ss__call c;

	ss__begin(&c, SS_M_listen);
	ss__args(&c, "%d", backlog);
	int r = listen(s->fd, backlog);
	if (r < 0)
		ss__sys(&c, err, "listen", s->where);
	return (int)ss__end(&c, s, r);
}

/* getsockname and getpeername: the same call on either end. */
static int name_of(struct ss_sock *s, struct ss_address *addr, struct ss_error *err,
		   enum ss__method m, int (*get)(int, struct sockaddr *, socklen_t *))
{
	struct ss__call c;
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);

	ss__begin(&c, m);
	int r = get(s->fd, (struct sockaddr *)&sa, &len);
	if (r < 0)
		ss__sys(&c, err, ss__method_name(m), s->where);
	else
		ss__address(addr, &sa, len);
	return (int)ss__end(&c, s, r);
}

SS_API int ss_getpeername(struct ss_sock *s, struct ss_address *addr, struct ss_error *err)
{
	return name_of(s, addr, err, SS_M_getpeername, getpeername);
}

SS_API int ss_getsockname(struct ss_sock *s, struct ss_address *addr, struct ss_error *err)
{
	return name_of(s, addr, err, SS_M_getsockname, getsockname);
}

SS_API int ss_shutdown(struct ss_sock *s, int how, struct ss_error *err)
{
	struct ss__call c;
	char hbuf[16];

	ss__begin(&c, SS_M_shutdown);
	if (c.on)
		ss__args(&c, "%s", ss__name_or_num(ss_shut_name(how), how, hbuf, sizeof(hbuf)));
	int r = shutdown(s->fd, how);
	if (r < 0)
		ss__sys(&c, err, "shutdown", s->where);
	return (int)ss__end(&c, s, r);
}

#define SS__MAX_CANDIDATES 8

/*
 * The stream addresses "host:port" stands for, into out (at most
 * SS__MAX_CANDIDATES): a unix path as it is, else what getaddrinfo gives,
 * IPv4 only when the host is empty.  passive: for a server.  Returns the
 * count, or -1 with the failure recorded under the method's name.
 */
static int candidates(struct ss__call *c, struct ss_error *err, const char *hp, int passive,
		      struct ss__sockaddr *out)
{
	const char *op = ss__method_name(c->m), *port;
	char host[SS_HOST_MAX];
	int family, n = 0;

	if (ss__split(hp, host, sizeof(host), &port, &family) < 0)
		return ss__fail(c, err, 0, op, hp, "expected host:port");
	if (family == AF_UNIX)
		return ss__resolve(c, err, op, AF_UNIX, SOCK_STREAM, host, 0, out) ? -1 : 1;
	struct addrinfo hints = {
		.ai_family = *host ? family : AF_INET,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = passive ? AI_PASSIVE : 0,
	};
	struct addrinfo *res;
	int eai = getaddrinfo(*host ? host : NULL, port, &hints, &res);
	if (eai)
		return ss__gai_fail(c, err, eai, op, hp);
	for (struct addrinfo *ai = res; ai && n < SS__MAX_CANDIDATES; ai = ai->ai_next)
		ss__sockaddr_set(&out[n++], ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(res);
	return n;
}

/* One attempt on a fresh stream socket: connect it, or make it listen. */
typedef int (*attempt_fn)(struct ss__call *c, struct ss_error *err, struct ss_sock *s,
			  const struct ss__sockaddr *to, int arg);

/*
 * A stream socket on the first of n addresses where attempt succeeds, or
 * NULL with the last failure recorded.  A later success clears the
 * failures of the addresses tried before it.
 */
static struct ss_sock *first_of(struct ss__call *c, struct ss_error *err,
				const struct ss__sockaddr *to, int n, attempt_fn attempt, int arg)
{
	for (int i = 0; i < n; i++) {
		int family = to[i].sa.ss_family;
		int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			ss__sys(c, err, "socket", to[i].text);
			continue;
		}
		struct ss_sock *s = ss__sock_new(c, err, fd, family, SOCK_STREAM, SS_BLOCKING);
		if (s && attempt(c, err, s, &to[i], arg) == 0) {
			c->code = 0; /* the earlier candidates' failures are forgiven */
			return s;
		}
		if (s)
			ss__sock_free(s);
	}
	return NULL;
}

static int connect_to(struct ss__call *c, struct ss_error *err, struct ss_sock *s,
		      const struct ss__sockaddr *to, int timeout_ms)
{
	if (ss__settimeout(c, err, s, timeout_ms) < 0)
		return -1;
	return ss__connect(c, err, s, to);
}

SS_API struct ss_sock *ss_create_connection(const char *hostport, int timeout_ms,
					    struct ss_error *err)
{
	struct ss__call c;
	struct ss__sockaddr to[SS__MAX_CANDIDATES];

	ss__begin(&c, SS_M_create_connection);
	ss__args(&c, "%s, %d", hostport ? hostport : "(null)", timeout_ms);
	int n = candidates(&c, err, hostport, 0, to);
	return ss__end_new(&c, first_of(&c, err, to, n, connect_to, timeout_ms));
}

/* Bind s to to and listen with backlog. */
static int serve_on(struct ss__call *c, struct ss_error *err, struct ss_sock *s,
		    const struct ss__sockaddr *to, int backlog)
{
	int one = 1;

	if (s->family != AF_UNIX &&
	    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		return ss__sys(c, err, "setsockopt", to->text);
	if (bind(s->fd, (const struct sockaddr *)&to->sa, to->len) < 0)
		return ss__sys(c, err, "bind", to->text);
	ss__bound(s, to);
	if (listen(s->fd, backlog) < 0)
		return ss__sys(c, err, "listen", s->where);
	return 0;
}

SS_API struct ss_sock *ss_create_server(const char *hostport, int backlog, struct ss_error *err)
{
	struct ss__call c;
	struct ss__sockaddr to[SS__MAX_CANDIDATES];

	ss__begin(&c, SS_M_create_server);
	ss__args(&c, "%s, %d", hostport ? hostport : "(null)", backlog);
	int n = candidates(&c, err, hostport, 1, to);
	return ss__end_new(&c, first_of(&c, err, to, n, serve_on, backlog));
}
