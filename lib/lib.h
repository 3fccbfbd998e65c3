/* SPDX-License-Identifier: MIT */
/*
 * Internals of libsockscope: the socket object, the one helper that times a
 * method and emits its sockscope_api event (trace.c), error values
 * (error.c), addresses (addr.c) and the wait that implements timeouts
 * (socket.c).  Every public method is begin, work, end: the work is shared
 * through the ss__* functions here, so helpers such as create_connection
 * reuse it without emitting the events of the methods they are made of.
 */
#ifndef SS_LIB_H
#define SS_LIB_H

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sockscope.h"
#include "ss-api-methods.h"
#include "ss_addr.h"

#define SS_HIDDEN __attribute__((visibility("hidden")))

struct ss_sock {
	int fd;
	int family;
	int type;       /* without SOCK_NONBLOCK / SOCK_CLOEXEC */
	int timeout_ms; /* SS_BLOCKING, SS_NONBLOCKING or a timeout; the
			 * descriptor is O_NONBLOCK exactly when >= 0 */
	uint64_t serial;
	/* The address last bound, connected or accepted, as text: error
	 * messages of later calls name it without a system call. */
	char where[SS_ADDR_TEXT];
};

/* ---- one method call (trace.c) ---- */

/* The methods, numbered after the tracepoint list SS_API_METHODS. */
enum ss__method {
#define SS__METHOD_ID(name) SS_M_##name,
	SS_API_METHODS(SS__METHOD_ID)
#undef SS__METHOD_ID
	SS_M_COUNT
};

#define SS__ARGS_MAX 320

/* What a method keeps from begin to end. */
struct ss__call {
	enum ss__method m;
	int on;        /* the event is enabled: worth formatting args */
	int code;      /* the errno of the failure recorded (ss__fail), 0 for
			* none or for an address or name error */
	uint64_t t0;
	char args[SS__ARGS_MAX];
};

/* The method's name ("connect"), the operation its errors name. */
SS_HIDDEN const char *ss__method_name(enum ss__method m);

/* Start method m: take the time; args stay empty until ss__args. */
SS_HIDDEN void ss__begin(struct ss__call *c, enum ss__method m);

/* The method's arguments as text, formatted only when the event is on. */
SS_HIDDEN void ss__args(struct ss__call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A constant's name for args text (from the shared tables), or, where the
 * table has none, v written in buf as a number. */
SS_HIDDEN const char *ss__name_or_num(const char *name, int v, char *buf, size_t size);

/*
 * End the call: emit sockscope_api:<method> with the serial and descriptor
 * of s (NULL: 0 and -1), ret, the recorded failure and the duration.  On
 * failure errno is left at the failure's code.  Returns ret.
 */
SS_HIDDEN int64_t ss__end(struct ss__call *c, const struct ss_sock *s, int64_t ret);

/* End a method that makes an object: the event is the new object's (its
 * serial as ret, -1 when s is NULL).  Returns s. */
static inline struct ss_sock *ss__end_new(struct ss__call *c, struct ss_sock *s)
{
	ss__end(c, s, s ? (int64_t)s->serial : -1);
	return s;
}

/* ---- error values (error.c) ---- */

/*
 * Record a failure of op at where (NULL or "" for none): code is errno or 0,
 * text NULL for strerror(code).  Fills err when given:
 * "op where: text".  Returns -1 so callers can `return ss__fail(...)`.
 */
SS_HIDDEN int ss__fail(struct ss__call *c, struct ss_error *err, int code, const char *op,
		       const char *where, const char *text);

/* ss__fail with errno as the code and strerror as the text. */
SS_HIDDEN int ss__sys(struct ss__call *c, struct ss_error *err, const char *op,
		      const char *where);

/* A getaddrinfo() failure (EAI_*) of op on what: "host not found" for a
 * name that does not exist, errno for EAI_SYSTEM. */
SS_HIDDEN int ss__gai_fail(struct ss__call *c, struct ss_error *err, int eai, const char *op,
			   const char *what);

/* ---- addresses (addr.c) ---- */

struct ss__sockaddr {
	struct sockaddr_storage sa;
	socklen_t len;
	char text[SS_ADDR_TEXT]; /* as ss_addr_format writes it */
};

/* "host:port" of the arguments as given, for args and error texts:
 * "localhost:80", "[::1]:80", "/tmp/sock" (AF_UNIX). */
SS_HIDDEN void ss__hostport(char *buf, size_t size, int family, const char *host, int port);

/* Resolve (host, port) for a socket of family and type into *out; on
 * failure records it under op and returns -1. */
SS_HIDDEN int ss__resolve(struct ss__call *c, struct ss_error *err, const char *op, int family,
			  int type, const char *host, int port, struct ss__sockaddr *out);

/* Copy len bytes of a sockaddr into *out and format its text. */
SS_HIDDEN void ss__sockaddr_set(struct ss__sockaddr *out, const void *sa, socklen_t len);

/* Fill *a from sockaddr bytes (len 0: no address, family AF_UNSPEC). */
SS_HIDDEN void ss__address(struct ss_address *a, const void *sa, socklen_t len);

/* Split "host:port" into host (into buf) and port text (a pointer into
 * hp); an AF_UNIX path gives *family AF_UNIX and port NULL.  -1 when hp
 * has no port. */
SS_HIDDEN int ss__split(const char *hp, char *host, size_t size, const char **port,
			int *family);

/* ---- the socket object (socket.c) ---- */

/* A new object owning fd; NULL (ENOMEM recorded, fd closed) on failure. */
SS_HIDDEN struct ss_sock *ss__sock_new(struct ss__call *c, struct ss_error *err, int fd,
				       int family, int type, int timeout_ms);

/* Close the descriptor and free the object, without an event: for helpers
 * that give up on an object the caller never saw. */
SS_HIDDEN void ss__sock_free(struct ss_sock *s);

/* Set the timeout, switching O_NONBLOCK when the mode changes. */
SS_HIDDEN int ss__settimeout(struct ss__call *c, struct ss_error *err, struct ss_sock *s,
			     int timeout_ms);

/* When the call must end at the latest (CLOCK_MONOTONIC ns); 0 for none. */
SS_HIDDEN uint64_t ss__deadline(const struct ss_sock *s);

/*
 * With a timeout, wait until s is ready for events (POLLIN/POLLOUT) before
 * the deadline: 0 when ready or when s has no timeout, -1 with errno
 * ETIMEDOUT (or poll's errno) otherwise.
 */
SS_HIDDEN int ss__wait(const struct ss_sock *s, short events, uint64_t deadline);

/*
 * Run fn (one system call on s) the way s's timeout says: with a timeout,
 * wait for events before each try and try again while the call finds
 * nothing ready (EAGAIN), until the deadline.  Returns fn's result, or -1
 * with errno (ETIMEDOUT when the deadline passed).
 */
SS_HIDDEN ssize_t ss__io(const struct ss_sock *s, short events, uint64_t deadline,
			 ssize_t (*fn)(const struct ss_sock *s, void *arg), void *arg);

/* ss__fail after ss__wait or ss__io: "timed out" for ETIMEDOUT, else
 * strerror. */
SS_HIDDEN int ss__wait_fail(struct ss__call *c, struct ss_error *err, const char *op,
			    const char *where);

/* After a bind to to: remember where s is, asking the system for the
 * port it picked when to's port was 0. */
SS_HIDDEN void ss__bound(struct ss_sock *s, const struct ss__sockaddr *to);

/* Connect s to a resolved address, honouring its timeout; records where. */
SS_HIDDEN int ss__connect(struct ss__call *c, struct ss_error *err, struct ss_sock *s,
			  const struct ss__sockaddr *to);

SS_HIDDEN uint64_t ss__now(void);

#endif
