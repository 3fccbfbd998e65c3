// SPDX-License-Identifier: MIT
/*
 * Wrappers of the data calls: the send and receive families, and read,
 * write, readv, writev and sendfile when their descriptor is a socket.  On a
 * descriptor known not to be a socket these cost a table load and a branch.
 */
#include "preload.h"

#include <string.h>

/* The end of a data call: a connecting socket's connection has settled
 * unless the call failed with EAGAIN (what a non-blocking send or recv
 * gets while the handshake goes on). */
static inline void io_end(struct ss_call *c, ssize_t r)
{
	ss_call_end(c, r, r < 0);
	ss_fd_settled_by(c->b.fd, r >= 0 || c->saved_errno != EAGAIN);
}

/* Total length of an iovec array; untrusted arrays are read safely. */
static uint64_t iov_size(const struct iovec *iov, long n, int trusted)
{
	uint64_t total = 0;
	struct iovec v;

	if (n < 0 || n > 1024)
		return 0;
	for (long i = 0; i < n; i++) {
		if (ss_peek(&v, &iov[i], sizeof(v), trusted) != sizeof(v))
			return total;
		total += v.iov_len;
	}
	return total;
}

/*
 * The calls whose event has only a size and flags, one line each:
 * X(function, event, sockets only?, (params), (args), size, flags, bytes).
 * `r` is the real call's result when size is computed; bytes records the
 * data moved, with record --payload (PL_*, below).
 */
#define SS_IO_MAP(X)                                                              \
	X(send, send, 0, (int fd, const void *buf, size_t len, int flags),        \
	  (fd, buf, len, flags), len, flags, PL_BUF(buf, len))                    \
	X(recv, recv, 0, (int fd, void *buf, size_t len, int flags),              \
	  (fd, buf, len, flags), len, flags, PL_BUF(buf, len))                    \
	X(__recv_chk, recv, 0,                                                    \
	  (int fd, void *buf, size_t len, size_t buflen, int flags),              \
	  (fd, buf, len, buflen, flags), len, flags, PL_BUF(buf, len))            \
	X(read, read, 1, (int fd, void *buf, size_t len), (fd, buf, len), len, 0, \
	  PL_BUF(buf, len))                                                       \
	X(__read_chk, read, 1, (int fd, void *buf, size_t len, size_t buflen),    \
	  (fd, buf, len, buflen), len, 0, PL_BUF(buf, len))                       \
	X(write, write, 1, (int fd, const void *buf, size_t len), (fd, buf, len), \
	  len, 0, PL_BUF(buf, len))                                               \
	X(readv, readv, 1, (int fd, const struct iovec *iov, int n), (fd, iov, n),\
	  iov_size(iov, n, r >= 0), 0, PL_IOV(iov, n))                            \
	X(writev, writev, 1, (int fd, const struct iovec *iov, int n),            \
	  (fd, iov, n), iov_size(iov, n, r >= 0), 0, PL_IOV(iov, n))              \
	X(sendfile, sendfile, 1, (int fd, int in, off_t *off, size_t len),        \
	  (fd, in, off, len), len, 0, PL_NONE)                                    \
	X(sendfile64, sendfile, 1, (int fd, int in, off64_t *off, size_t len),    \
	  (fd, in, off, len), len, 0, PL_NONE)

/* The bytes a call moved (record --payload): r of buf, at most len (a
 * datagram cut by MSG_TRUNC returns more), or of the iovecs; sendfile's
 * come from a file the preload does not read. */
#define PL_BUF(buf, len) ss_payload_buf(&c, 0, buf, (uint64_t)r < (len) ? (uint64_t)r : (len))
#define PL_IOV(iov, n) ss_payload_iov(&c, 0, iov, n, (uint64_t)r)
#define PL_NONE 0

#define SS_IO_WRAPPER(fn, ev, sockets_only, params, args, size, flags, bytes)  \
	SS_WRAPPER(ssize_t, fn, params, args,                                  \
		   SS_ENABLED(ev) && (!(sockets_only) || ss_fd_maybe_socket(fd))) \
	{                                                                      \
		uint64_t sock = ss_sock_traced(fd);                            \
		if (sockets_only && !sock)                                     \
			return REAL(fn) args;                                  \
		struct ss_call c;                                              \
		ss_call_begin(&c, fd, sock);                                   \
		ssize_t r = REAL(fn) args;                                     \
		io_end(&c, r);                                                 \
		SS_EMIT(&c, ev, (uint64_t)(size), (flags));                    \
		if (SS_PAYLOAD_ON(&c, r))                                      \
			(void)(bytes);                                         \
		return r;                                                      \
	}

SS_IO_MAP(SS_IO_WRAPPER)

/* sendto: the destination as given. */
SS_WRAPPER(ssize_t, sendto,
	   (int fd, const void *buf, size_t len, int flags, const struct sockaddr *sa,
	    socklen_t salen),
	   (fd, buf, len, flags, sa, salen), SS_ENABLED(sendto))
{
	struct ss_call c;
	struct ss_ep ep;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	ssize_t r = REAL(sendto)(fd, buf, len, flags, sa, salen);
	io_end(&c, r);
	SS_EMIT(&c, sendto, len, flags, ss_ep_decode(&ep, sa, salen, r >= 0), 0);
	if (SS_PAYLOAD_ON(&c, r))
		PL_BUF(buf, len);
	return r;
}

/* recvfrom and __recvfrom_chk: the source as the kernel wrote it back, or
 * the connected peer when the caller's buffer was too short for it. */
static ssize_t do_recvfrom(int fd, void *buf, size_t len, size_t buflen, int flags,
			   struct sockaddr *sa, socklen_t *lenp, int chk)
{
	struct ss_call c;
	struct ss_ep ep;

	ss_call_begin(&c, fd, ss_sock_traced(fd));
	socklen_t inlen = ss_len_in(sa, lenp);
	ssize_t r = chk ? REAL(__recvfrom_chk)(fd, buf, len, buflen, flags, sa, lenp) :
			  REAL(recvfrom)(fd, buf, len, flags, sa, lenp);
	io_end(&c, r);
	SS_EMIT(&c, recvfrom, len, flags, ss_ep_out_full(&ep, fd, 1, sa, lenp, inlen, r >= 0), 0);
	if (SS_PAYLOAD_ON(&c, r))
		PL_BUF(buf, len);
	return r;
}

SS_WRAPPER(ssize_t, recvfrom,
	   (int fd, void *buf, size_t len, int flags, struct sockaddr *sa, socklen_t *lenp),
	   (fd, buf, len, flags, sa, lenp), SS_ENABLED(recvfrom))
{
	return do_recvfrom(fd, buf, len, 0, flags, sa, lenp, 0);
}

SS_WRAPPER(ssize_t, __recvfrom_chk,
	   (int fd, void *buf, size_t len, size_t buflen, int flags, struct sockaddr *sa,
	    socklen_t *lenp),
	   (fd, buf, len, buflen, flags, sa, lenp), SS_ENABLED(recvfrom))
{
	return do_recvfrom(fd, buf, len, buflen, flags, sa, lenp, 1);
}

/*
 * Descriptors in SCM_RIGHTS messages.  Received ones are new numbers in this
 * process: forget what those numbers were, so their first use describes
 * them.  Returns how many there were.
 */
static int scan_rights(const struct msghdr *m, int received)
{
	int count = 0;

	if (!m->msg_control || m->msg_controllen < sizeof(struct cmsghdr))
		return 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR((struct msghdr *)m); cm;
	     cm = CMSG_NXTHDR((struct msghdr *)m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		const unsigned char *data = CMSG_DATA(cm);
		for (size_t i = 0; received && i < n; i++) {
			int fd;
			memcpy(&fd, data + i * sizeof(int), sizeof(fd));
			ss_fd_forget(fd);
		}
		count += (int)n;
	}
	return count;
}

SS_WRAPPER(ssize_t, sendmsg, (int fd, const struct msghdr *msg, int flags), (fd, msg, flags),
	   SS_ENABLED(sendmsg))
{
	struct ss_call c;
	struct ss_ep ep;
	struct msghdr m;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	ssize_t r = REAL(sendmsg)(fd, msg, flags);
	io_end(&c, r);
	if (ss_peek(&m, msg, sizeof(m), r >= 0) != sizeof(m))
		memset(&m, 0, sizeof(m));
	int ok = r >= 0;
	SS_EMIT(&c, sendmsg, iov_size(m.msg_iov, (long)m.msg_iovlen, ok), flags,
		ss_ep_decode(&ep, m.msg_name, m.msg_namelen, ok), ok ? scan_rights(&m, 0) : 0);
	if (SS_PAYLOAD_ON(&c, r))
		PL_IOV(m.msg_iov, (long)m.msg_iovlen);
	return r;
}

SS_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	SS_PASS(recvmsg, (fd, msg, flags));
	if (ss_likely(!SS_ENTER(recvmsg))) {
		ssize_t r = REAL(recvmsg)(fd, msg, flags);
		/* liblttng-ust's listener threads wait here: they leave when
		 * tracing stops while they wait (stop.c). */
		if (ss_unlikely(ss_bypass())) {
			ss_passing(__builtin_return_address(0));
			return r;
		}
		if (r >= 0 && msg->msg_controllen) {
			int saved = errno;
			scan_rights(msg, 1);
			errno = saved;
		}
		return r;
	}
	struct ss_call c;
	struct ss_ep ep;
	struct msghdr m, before;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	/* The kernel writes back the full name length, which may exceed the
	 * caller's buffer: keep the length the caller gave. */
	if (ss_peek(&before, msg, sizeof(before), 0) != sizeof(before))
		before.msg_namelen = 0;
	ssize_t r = REAL(recvmsg)(fd, msg, flags);
	io_end(&c, r);
	int ok = r >= 0;
	if (ss_peek(&m, msg, sizeof(m), ok) != sizeof(m))
		memset(&m, 0, sizeof(m));
	/* A name cut by a short buffer: the connected peer, if there is one. */
	SS_EMIT(&c, recvmsg, iov_size(m.msg_iov, (long)m.msg_iovlen, ok), flags,
		ss_ep_out_full(&ep, fd, 1, m.msg_name, &m.msg_namelen, before.msg_namelen, ok),
		ok ? scan_rights(&m, 1) : 0);
	if (SS_PAYLOAD_ON(&c, r))
		PL_IOV(m.msg_iov, (long)m.msg_iovlen);
	return r;
}

/* record --payload: the bytes of the first n messages, one after the other. */
static void mmsg_payload(const struct ss_call *c, const struct mmsghdr *v, int n)
{
	uint64_t off = 0;

	for (int i = 0; i < n; i++)
		off = ss_payload_iov(c, off, v[i].msg_hdr.msg_iov, (long)v[i].msg_hdr.msg_iovlen,
				     v[i].msg_len);
}

/* Bytes moved by the first n messages, and the rights they carried. */
static uint64_t mmsg_bytes(const struct mmsghdr *v, int n, int received)
{
	uint64_t total = 0;

	for (int i = 0; i < n; i++) {
		total += v[i].msg_len;
		if (received)
			scan_rights(&v[i].msg_hdr, 1);
	}
	return total;
}

SS_WRAPPER(int, sendmmsg, (int fd, struct mmsghdr *vec, unsigned int vlen, int flags),
	   (fd, vec, vlen, flags), SS_ENABLED(sendmmsg))
{
	struct ss_call c;
	struct ss_ep ep;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	int r = REAL(sendmmsg)(fd, vec, vlen, flags);
	io_end(&c, r);
	int ok = r > 0;
	SS_EMIT(&c, sendmmsg, vlen, flags, ok ? mmsg_bytes(vec, r, 0) : 0,
		ok ? ss_ep_decode(&ep, vec[0].msg_hdr.msg_name, vec[0].msg_hdr.msg_namelen, 1) :
		     ss_ep_none(&ep));
	if (SS_PAYLOAD_ON(&c, r))
		mmsg_payload(&c, vec, r);
	return r;
}

SS_EXPORT int recvmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags,
		       struct timespec *timeout)
{
	SS_PASS(recvmmsg, (fd, vec, vlen, flags, timeout));
	if (ss_likely(!SS_ENTER(recvmmsg))) {
		int r = REAL(recvmmsg)(fd, vec, vlen, flags, timeout);
		if (r > 0) {
			int saved = errno;
			mmsg_bytes(vec, r, 1);
			errno = saved;
		}
		return r;
	}
	struct ss_call c;
	struct ss_ep ep;
	struct mmsghdr first;
	ss_call_begin(&c, fd, ss_sock_traced(fd));
	if (ss_peek(&first, vec, sizeof(first), 0) != sizeof(first))
		first.msg_hdr.msg_namelen = 0;
	int r = REAL(recvmmsg)(fd, vec, vlen, flags, timeout);
	io_end(&c, r);
	int ok = r > 0;
	SS_EMIT(&c, recvmmsg, vlen, flags, ok ? mmsg_bytes(vec, r, 1) : 0,
		ok ? ss_ep_out(&ep, vec[0].msg_hdr.msg_name, &vec[0].msg_hdr.msg_namelen,
			       first.msg_hdr.msg_namelen, 1) :
		     ss_ep_none(&ep));
	if (SS_PAYLOAD_ON(&c, r))
		mmsg_payload(&c, vec, r);
	return r;
}
