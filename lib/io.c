// SPDX-License-Identifier: MIT
/*
 * Moving bytes: receives that allocate their buffer (the socket module's
 * "buffer allocation on receive operations is automatic"), sends whose
 * length may be implicit (SS_STRLEN), sendall, and makefile's stdio stream
 * on a dup()ed descriptor.  Every call goes through ss__io so that a
 * socket's timeout applies the same way to each.
 */
#include "lib.h"
#include "ss_names.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One send or receive: its buffer, flags and, for sendto and recvfrom,
 * the other end. */
struct xfer {
	void *buf;
	size_t len;
	int flags;
	struct sockaddr_storage *sa; /* NULL: send/recv */
	socklen_t salen;
};

static ssize_t do_recv(const struct ss_sock *s, void *arg)
{
	struct xfer *x = arg;

	if (!x->sa)
		return recv(s->fd, x->buf, x->len, x->flags);
	x->salen = sizeof(*x->sa);
	return recvfrom(s->fd, x->buf, x->len, x->flags, (struct sockaddr *)x->sa, &x->salen);
}

static ssize_t do_send(const struct ss_sock *s, void *arg)
{
	struct xfer *x = arg;

	if (!x->sa)
		return send(s->fd, x->buf, x->len, x->flags | MSG_NOSIGNAL);
	return sendto(s->fd, x->buf, x->len, x->flags | MSG_NOSIGNAL,
		      (const struct sockaddr *)x->sa, x->salen);
}

/* "1024, MSG_PEEK": a size and the flags, the arguments of most I/O calls. */
static void size_flags_args(struct ss__call *c, size_t len, int flags, const char *more)
{
	char fbuf[128];

	if (c->on)
		ss__args(c, "%zu, %s%s%s", len, ss_msg_flags_text(flags, fbuf, sizeof(fbuf)),
			 more ? ", " : "", more ? more : "");
}

/* recv and recvfrom: allocate bufsize + 1 bytes, receive, then give back
 * what a short read left unused when that is worth a realloc. */
static ssize_t receive(struct ss_sock *s, enum ss__method m, size_t bufsize, int flags,
		       char **data, struct ss_address *from, struct ss_error *err)
{
	struct ss__call c;
	struct sockaddr_storage sa;
	struct xfer x = { .len = bufsize, .flags = flags, .sa = m == SS_M_recvfrom ? &sa : NULL };
	ssize_t n = -1;

	ss__begin(&c, m);
	size_flags_args(&c, bufsize, flags, NULL);
	*data = NULL;
	if (bufsize == SIZE_MAX || !(x.buf = malloc(bufsize + 1))) {
		errno = ENOMEM;
		ss__sys(&c, err, ss__method_name(m), s->where);
		return ss__end(&c, s, -1);
	}
	n = ss__io(s, POLLIN, ss__deadline(s), do_recv, &x);
	if (n < 0)
		ss__wait_fail(&c, err, ss__method_name(m), s->where);
	if (n >= 0 && from)
		ss__address(from, &sa, x.sa ? x.salen : 0);
	/* Nothing received, nothing to free: `if (n <= 0) break;` does not leak. */
	if (n <= 0) {
		free(x.buf);
		return ss__end(&c, s, n);
	}
	/* With MSG_TRUNC, n is the datagram's size: only bufsize bytes came. */
	size_t kept = (size_t)n < bufsize ? (size_t)n : bufsize;
	((char *)x.buf)[kept] = '\0';
	if (bufsize > 4096 && kept < bufsize / 2) {
		char *smaller = realloc(x.buf, kept + 1);
		if (smaller)
			x.buf = smaller;
	}
	*data = x.buf;
	return ss__end(&c, s, n);
}

SS_API ssize_t ss_recv(struct ss_sock *s, size_t bufsize, int flags, char **data,
		       struct ss_error *err)
{
	return receive(s, SS_M_recv, bufsize, flags, data, NULL, err);
}

SS_API ssize_t ss_recvfrom(struct ss_sock *s, size_t bufsize, int flags, char **data,
			   struct ss_address *from, struct ss_error *err)
{
	return receive(s, SS_M_recvfrom, bufsize, flags, data, from, err);
}

SS_API ssize_t ss_send(struct ss_sock *s, const void *data, size_t len, int flags,
		       struct ss_error *err)
{
	struct ss__call c;
	struct xfer x = { .buf = (void *)data, .flags = flags };

	x.len = len == SS_STRLEN ? strlen(data) : len;
	ss__begin(&c, SS_M_send);
	size_flags_args(&c, x.len, flags, NULL);
	ssize_t n = ss__io(s, POLLOUT, ss__deadline(s), do_send, &x);
	if (n < 0)
		ss__wait_fail(&c, err, "send", s->where);
	return ss__end(&c, s, n);
}

SS_API ssize_t ss_sendto(struct ss_sock *s, const void *data, size_t len, int flags,
			 const char *host, int port, struct ss_error *err)
{
	struct ss__call c;
	struct ss__sockaddr to;
	struct xfer x = { .buf = (void *)data, .flags = flags };
	char what[SS_HOST_MAX + 16];
	ssize_t n = -1;

	x.len = len == SS_STRLEN ? strlen(data) : len;
	ss__begin(&c, SS_M_sendto);
	if (c.on) {
		ss__hostport(what, sizeof(what), s->family, host, port);
		size_flags_args(&c, x.len, flags, what);
	}
	if (ss__resolve(&c, err, "sendto", s->family, s->type, host, port, &to) == 0) {
		x.sa = &to.sa;
		x.salen = to.len;
		n = ss__io(s, POLLOUT, ss__deadline(s), do_send, &x);
		if (n < 0)
			ss__wait_fail(&c, err, "sendto", to.text);
	}
	return ss__end(&c, s, n);
}

SS_API ssize_t ss_sendall(struct ss_sock *s, const void *data, size_t len, int flags,
			  struct ss_error *err)
{
	struct ss__call c;
	struct xfer x = { .buf = (void *)data, .flags = flags };
	uint64_t deadline = ss__deadline(s);
	size_t total = len == SS_STRLEN ? strlen(data) : len;

	ss__begin(&c, SS_M_sendall);
	size_flags_args(&c, total, flags, NULL);
	for (size_t done = 0; done < total;) {
		x.buf = (char *)data + done;
		x.len = total - done;
		ssize_t n = ss__io(s, POLLOUT, deadline, do_send, &x);
		if (n < 0) {
			ss__wait_fail(&c, err, "sendall", s->where);
			return ss__end(&c, s, -1);
		}
		done += (size_t)n;
	}
	return ss__end(&c, s, (int64_t)total);
}

SS_API FILE *ss_makefile(struct ss_sock *s, const char *mode, int bufsize, struct ss_error *err)
{
	struct ss__call c;
	FILE *fp = NULL;
	int fd = -1;

	if (!mode)
		mode = "r";
	ss__begin(&c, SS_M_makefile);
	ss__args(&c, "%s, %d", mode, bufsize);
	/* stdio has no answer to EAGAIN: a stream needs a blocking socket. */
	if (s->timeout_ms >= 0) {
		ss__fail(&c, err, EINVAL, "makefile", s->where, "socket is not blocking");
	} else if ((fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		ss__sys(&c, err, "makefile", s->where);
	} else if (!(fp = fdopen(fd, mode))) {
		ss__sys(&c, err, "makefile", s->where);
		close(fd);
		fd = -1;
	} else if (bufsize >= 0) {
		/* glibc sizes a full buffer itself; bufsize > 1 only asks for one. */
		setvbuf(fp, NULL, bufsize == 0 ? _IONBF : bufsize == 1 ? _IOLBF : _IOFBF,
			bufsize > 1 ? (size_t)bufsize : 0);
	}
	ss__end(&c, s, fd);
	return fp;
}
