/* SPDX-License-Identifier: MIT */
/*
 * libsockscope: the object interface of the classic Python `socket` module,
 * in C, with every call recorded.  A socket object wraps a descriptor;
 * receives allocate their buffer, addresses are a path (AF_UNIX) or a host
 * and a port (AF_INET, AF_INET6), and every failure fills a struct ss_error
 * holding errno (0 for an address or name error) and a message that names
 * the operation and the address: "connect 127.0.0.1:50007: Connection
 * refused".  Each call emits the LTTng-UST event sockscope_api:<method> when
 * a session wants it (see sockscope(3) and docs/events.md).
 *
 * Return values: functions returning an object or a stream return NULL on
 * failure; the others return -1 on failure and 0 (or a count) on success.
 * On failure, *err is filled when err is not NULL, and errno is set to
 * err->code when that is not 0.  On success *err is left untouched.
 *
 * Ownership: a struct ss_sock belongs to the caller until ss_close(), which
 * closes its descriptor and frees it whatever the result (like fclose).
 * Buffers returned through a pointer (ss_recv, ss_recvfrom, ss_gethostbyaddr)
 * are allocated with malloc() and released by the caller with free().  A
 * stream from ss_makefile() holds its own descriptor and is released with
 * fclose().  Strings passed in are only read during the call.
 *
 * Thread safety: the module functions (ss_socket, ss_gethostby*, ...) are
 * thread-safe.  A socket object may be used by several threads at once as a
 * descriptor may (one thread receiving while another sends), except that
 * ss_setblocking(), ss_settimeout() and ss_close() must not run while
 * another call on the same object is in progress.  A struct ss_error must
 * not be shared between threads.
 */
#ifndef SOCKSCOPE_H
#define SOCKSCOPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SS_API __attribute__((visibility("default")))
#else
#define SS_API
#endif

/* Room for an error message, an address's host or path, and its text. */
#define SS_ERROR_MAX 320
#define SS_HOST_MAX 128
#define SS_ADDRESS_TEXT 256

/* Pass as a length to ss_send()/ss_sendall(): the data is a C string. */
#define SS_STRLEN ((size_t)-1)

/* Timeouts, in milliseconds (ss_settimeout, ss_create_connection). */
#define SS_BLOCKING (-1)   /* wait as long as it takes */
#define SS_NONBLOCKING 0   /* never wait: EAGAIN instead */

/* What went wrong: code is errno, or 0 when the failure is not a system
 * error (an address that does not parse, a name that does not resolve). */
struct ss_error {
	int code;
	char msg[SS_ERROR_MAX]; /* "connect 127.0.0.1:50007: Connection refused" */
};

/* An address as the socket module represents it. */
struct ss_address {
	int family;                 /* AF_INET, AF_INET6, AF_UNIX; AF_UNSPEC if none */
	int port;                   /* host order; 0 for AF_UNIX */
	char host[SS_HOST_MAX];     /* "127.0.0.1", "::1", "fe80::1%2"; the unix path,
				     * "@name" for an abstract one, "" when unnamed */
	char text[SS_ADDRESS_TEXT]; /* for people: "127.0.0.1:50007", "[::1]:80",
				     * "/tmp/echo.sock", "(unnamed)" */
};

/* gethostbyaddr's triple: one malloc()ed block, released with free(). */
struct ss_hostent {
	char *name;     /* the primary host name */
	char **aliases; /* other names, NULL-terminated (possibly empty) */
	char **addrs;   /* the host's addresses as text, NULL-terminated */
};

/* A socket object: descriptor, family, type, serial and timeout. */
struct ss_sock;

/* ---- module functions ---- */

/* A new socket (SOCK_CLOEXEC; SOCK_NONBLOCK in type makes it
 * non-blocking).  proto is usually 0. */
SS_API struct ss_sock *ss_socket(int family, int type, int proto, struct ss_error *err);

/* A socket object on a duplicate of fd (close-on-exec); fd stays the
 * caller's.  The blocking mode is read from the descriptor. */
SS_API struct ss_sock *ss_fromfd(int fd, int family, int type, struct ss_error *err);

/* The first IPv4 address of name as dotted text into buf (a dotted quad
 * comes back unchanged).  size: at least 16. */
SS_API int ss_gethostbyname(const char *name, char *buf, size_t size, struct ss_error *err);

/* This machine's host name into buf. */
SS_API int ss_gethostname(char *buf, size_t size, struct ss_error *err);

/* Name, aliases and addresses of the host at ip (IPv4 or IPv6 text, or a
 * name, resolved first).  Release the result with free(). */
SS_API struct ss_hostent *ss_gethostbyaddr(const char *ip, struct ss_error *err);

/* The port of a service ("http") for a protocol ("tcp", "udp", or NULL
 * for any), or -1. */
SS_API int ss_getservbyname(const char *service, const char *proto, struct ss_error *err);

/* ---- socket object methods ---- */

/* Accept a connection: a new, blocking socket object; the peer's address
 * into *peer when peer is not NULL. */
SS_API struct ss_sock *ss_accept(struct ss_sock *s, struct ss_address *peer,
				 struct ss_error *err);

/*
 * Bind to, or connect to, an address.  AF_UNIX: host is the path ("@name"
 * for an abstract name) and port is ignored.  AF_INET and AF_INET6: host is
 * a dotted quad, IPv6 text or a host name (resolved for the socket's
 * family), "" or NULL for any address; port is 0-65535.  ss_connect on a
 * socket with a timeout waits at most that long (ETIMEDOUT); on a
 * non-blocking one it fails with EINPROGRESS when the connection cannot
 * complete at once (it goes on: poll for writability).
 */
SS_API int ss_bind(struct ss_sock *s, const char *host, int port, struct ss_error *err);
SS_API int ss_connect(struct ss_sock *s, const char *host, int port, struct ss_error *err);

/* Close the descriptor and free the object, whatever the result; s may be
 * NULL.  s must not be used afterwards. */
SS_API int ss_close(struct ss_sock *s, struct ss_error *err);

/* The socket's descriptor, for poll() and friends; it stays the object's. */
SS_API int ss_fileno(struct ss_sock *s);

/* The remote address the socket is connected to / its own address. */
SS_API int ss_getpeername(struct ss_sock *s, struct ss_address *addr, struct ss_error *err);
SS_API int ss_getsockname(struct ss_sock *s, struct ss_address *addr, struct ss_error *err);

/*
 * A socket option.  buflen 0: an int option, stored at value (an int *).
 * Otherwise up to buflen bytes are stored at value.  Returns the option's
 * length (sizeof(int) when buflen is 0), or -1.
 */
SS_API ssize_t ss_getsockopt(struct ss_sock *s, int level, int optname, size_t buflen,
			     void *value, struct ss_error *err);

/* Set a socket option: len 0, value points to an int; else len bytes. */
SS_API int ss_setsockopt(struct ss_sock *s, int level, int optname, const void *value,
			 size_t len, struct ss_error *err);

/* Listen for connections, backlog at least 1 (SOMAXCONN: the system's). */
SS_API int ss_listen(struct ss_sock *s, int backlog, struct ss_error *err);

/*
 * A stdio stream on a duplicate of the socket's descriptor (close-on-exec),
 * so the stream and the object are closed independently.  mode as fopen()
 * ("r", "w"; NULL means "r"); use one stream per direction, since a
 * socket cannot seek.  bufsize: 0 unbuffered, 1 line-buffered, > 1 fully
 * buffered (stdio sizes the buffer: setvbuf takes a size only with a buffer
 * the caller keeps until fclose), < 0 the default.  The socket must be
 * blocking.
 */
SS_API FILE *ss_makefile(struct ss_sock *s, const char *mode, int bufsize,
			 struct ss_error *err);

/*
 * Receive at most bufsize bytes into a buffer allocated for them: *data
 * (NUL-terminated after the bytes, released with free()) and the count as
 * the result.  When nothing came (0: end of stream) or on failure, *data
 * is NULL and there is nothing to free.  (With
 * MSG_TRUNC the result is the datagram's full size, which may exceed
 * bufsize; *data still holds at most bufsize bytes.)  ss_recvfrom
 * also stores the sender's address into *from when from is not NULL
 * (family AF_UNSPEC when there is none, as on a stream).
 */
SS_API ssize_t ss_recv(struct ss_sock *s, size_t bufsize, int flags, char **data,
		       struct ss_error *err);
SS_API ssize_t ss_recvfrom(struct ss_sock *s, size_t bufsize, int flags, char **data,
			   struct ss_address *from, struct ss_error *err);

/*
 * Send len bytes (SS_STRLEN: strlen(data)); the result is the count sent,
 * which may be less than len.  ss_sendto names the destination (host and
 * port as for ss_connect).  MSG_NOSIGNAL is always added: a closed peer is
 * the error EPIPE, not a signal.
 */
SS_API ssize_t ss_send(struct ss_sock *s, const void *data, size_t len, int flags,
		       struct ss_error *err);
SS_API ssize_t ss_sendto(struct ss_sock *s, const void *data, size_t len, int flags,
			 const char *host, int port, struct ss_error *err);

/* Send all len bytes, as many calls as it takes; the timeout covers the
 * whole.  Returns len, or -1 (some bytes may have been sent). */
SS_API ssize_t ss_sendall(struct ss_sock *s, const void *data, size_t len, int flags,
			  struct ss_error *err);

/* flag 0: non-blocking (a call that would wait fails with EAGAIN);
 * otherwise blocking.  Same as ss_settimeout(s, 0) / (s, SS_BLOCKING). */
SS_API int ss_setblocking(struct ss_sock *s, int flag, struct ss_error *err);

/*
 * timeout_ms < 0 (SS_BLOCKING): calls wait as long as it takes; 0: never
 * wait; > 0: accept, connect, send and receive calls wait at most that long
 * and then fail with ETIMEDOUT ("timed out").
 */
SS_API int ss_settimeout(struct ss_sock *s, int timeout_ms, struct ss_error *err);

/* Shut down receives (0, SHUT_RD), sends (1, SHUT_WR) or both (2). */
SS_API int ss_shutdown(struct ss_sock *s, int how, struct ss_error *err);

/*
 * Helpers taking "host:port": "127.0.0.1:50007", "localhost:http",
 * "[::1]:80", ":8080" (any address; with create_connection, the local
 * host); a string starting with '/' or '@' is an AF_UNIX path.
 * ss_create_connection tries each address the host resolves to (TCP) and
 * returns the first connected socket, left with timeout_ms.
 * ss_create_server binds a listening socket with SO_REUSEADDR.
 */
SS_API struct ss_sock *ss_create_connection(const char *hostport, int timeout_ms,
					    struct ss_error *err);
SS_API struct ss_sock *ss_create_server(const char *hostport, int backlog,
					struct ss_error *err);

/* ---- the object's own fields: no system call, no event ---- */

SS_API int ss_family(const struct ss_sock *s);
SS_API int ss_type(const struct ss_sock *s);      /* SOCK_STREAM, ... without flags */
SS_API int ss_gettimeout(const struct ss_sock *s); /* ms, SS_BLOCKING, SS_NONBLOCKING */
/* The serial that this object's sockscope_api events carry as `sock`. */
SS_API uint64_t ss_serial(const struct ss_sock *s);

#ifdef __cplusplus
}
#endif

#endif /* SOCKSCOPE_H */
