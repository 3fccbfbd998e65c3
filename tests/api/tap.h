/* SPDX-License-Identifier: MIT */
/*
 * TAP output and fixtures for the C tests of libsockscope: ok/is_int/
 * is_str print one TAP line each and the plan comes last; connected_pair
 * gives a client and an accepted server end over loopback or a unix
 * socket.  Each test program is a TAP producer that prove runs through its
 * tests/lib-*.t wrapper.
 */
#ifndef SS_TEST_TAP_H
#define SS_TEST_TAP_H

#include <sockscope.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3))) static inline int ok(int pass, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return pass;
}

#define diag(...)                         \
	do {                              \
		printf("# ");             \
		printf(__VA_ARGS__);      \
		putchar('\n');            \
	} while (0)

#define is_int(got, want, ...)                                                   \
	do {                                                                     \
		long long got_ = (long long)(got), want_ = (long long)(want);     \
		if (!ok(got_ == want_, __VA_ARGS__))                             \
			diag("got %lld, want %lld (line %d)", got_, want_, __LINE__); \
	} while (0)

#define is_str(got, want, ...)                                                   \
	do {                                                                     \
		const char *got_ = (got), *want_ = (want);                       \
		if (!ok(got_ && want_ && !strcmp(got_, want_), __VA_ARGS__))     \
			diag("got '%s', want '%s' (line %d)", got_ ? got_ : "(null)", \
			     want_ ? want_ : "(null)", __LINE__);                \
	} while (0)

/* ok() for a call that must succeed: shows its error when it does not. */
#define ok_call(cond, err, ...)                                                  \
	do {                                                                     \
		if (!ok(!!(cond), __VA_ARGS__))                                  \
			diag("error %d: %s (line %d)", (err).code, (err).msg, __LINE__); \
	} while (0)

/* End of the test: the plan, and the exit status prove reads. */
static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* Stop here: a fixture the remaining tests need did not work. */
static inline void bail(const char *what, const struct ss_error *err)
{
	printf("Bail out! %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

/* A unique abstract unix name for this process: no file to clean up. */
static inline const char *abstract_name(const char *tag)
{
	static char buf[4][64];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "@sockscope-test-%d-%s", (int)getpid(), tag);
	return b;
}

/*
 * A listening stream socket on host (port 0: a free one; AF_UNIX: host is
 * the path), a client connected to it and the accepted server end.  The
 * listener is closed; *addr gets its address when addr is not NULL.
 */
static inline void connected_pair(int family, const char *host, struct ss_sock **client,
			   struct ss_sock **server, struct ss_address *addr)
{
	struct ss_error err;
	struct ss_address a;
	struct ss_sock *l = ss_socket(family, SOCK_STREAM, 0, &err);

	if (!l || ss_bind(l, host, 0, &err) < 0 || ss_listen(l, 4, &err) < 0 ||
	    ss_getsockname(l, &a, &err) < 0)
		bail("listener", &err);
	*client = ss_socket(family, SOCK_STREAM, 0, &err);
	if (!*client || ss_connect(*client, a.host, a.port, &err) < 0)
		bail("connect", &err);
	*server = ss_accept(l, NULL, &err);
	if (!*server)
		bail("accept", &err);
	if (addr)
		*addr = a;
	ss_close(l, NULL);
}

#endif
