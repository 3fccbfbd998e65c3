// SPDX-License-Identifier: MIT
/*
 * Module functions of libsockscope: ss_socket and ss_fromfd (objects,
 * flags, serials), the name-service functions on their success and failure
 * paths, and the contract of struct ss_error (filled on failure, left
 * untouched on success, errno set, NULL accepted).
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>

static void test_socket(void)
{
	struct ss_error err;
	struct ss_sock *s = ss_socket(AF_INET, SOCK_STREAM, 0, &err);

	ok_call(s != NULL, err, "socket: AF_INET stream");
	if (!s)
		return;
	is_int(ss_family(s), AF_INET, "socket: family kept");
	is_int(ss_type(s), SOCK_STREAM, "socket: type kept");
	is_int(ss_gettimeout(s), SS_BLOCKING, "socket: blocking at first, as the seed says");
	ok(ss_serial(s) > 0, "socket: serial > 0");
	int fd = ss_fileno(s);
	ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "socket: descriptor is close-on-exec");
	ok(!(fcntl(fd, F_GETFL) & O_NONBLOCK), "socket: descriptor is blocking");

	struct ss_sock *t = ss_socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, &err);
	ok_call(t != NULL, err, "socket: AF_UNIX datagram, non-blocking");
	ok(t && ss_serial(t) > ss_serial(s), "socket: serials grow");
	is_int(t ? ss_type(t) : -1, SOCK_DGRAM, "socket: SOCK_NONBLOCK is not part of the type");
	is_int(t ? ss_gettimeout(t) : -1, SS_NONBLOCKING, "socket: SOCK_NONBLOCK means timeout 0");
	ok(t && (fcntl(ss_fileno(t), F_GETFL) & O_NONBLOCK), "socket: ... and O_NONBLOCK");
	is_int(ss_close(t, &err), 0, "close: datagram socket");
	is_int(ss_close(s, &err), 0, "close: stream socket");
	is_int(ss_close(NULL, &err), 0, "close: NULL is a no-op");

	err.code = -1;
	ok(ss_socket(12345, SOCK_STREAM, 0, &err) == NULL, "socket: unknown family fails");
	is_int(err.code, EAFNOSUPPORT, "socket: error code is errno");
	is_str(err.msg, "socket: Address family not supported by protocol", "socket: error text");
	ok(ss_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP, &err) == NULL && err.code == EPROTONOSUPPORT,
	   "socket: stream with UDP fails with EPROTONOSUPPORT");
	errno = 0;
	ok(ss_socket(12345, SOCK_STREAM, 0, NULL) == NULL && errno == EAFNOSUPPORT,
	   "socket: err may be NULL; errno carries the code");
}

static void test_fromfd(void)
{
	struct ss_error err;
	int raw = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct ss_sock *s = ss_fromfd(raw, AF_UNIX, SOCK_STREAM, &err);

	ok_call(s != NULL, err, "fromfd: object on a raw socket");
	if (!s)
		return;
	ok(ss_fileno(s) != raw, "fromfd: the object has a dup of the descriptor");
	is_int(ss_gettimeout(s), SS_NONBLOCKING, "fromfd: blocking mode read from the descriptor");
	int type = 0;
	is_int(ss_getsockopt(s, SOL_SOCKET, SO_TYPE, 0, &type, &err), sizeof(int),
	       "fromfd: the dup is the same socket (getsockopt works)");
	is_int(type, SOCK_STREAM, "fromfd: SO_TYPE is SOCK_STREAM");
	ss_close(s, NULL);
	ok(fcntl(raw, F_GETFD) >= 0, "fromfd: closing the object leaves the caller's fd open");
	close(raw);

	ok(ss_fromfd(raw, AF_UNIX, SOCK_STREAM, &err) == NULL, "fromfd: closed descriptor fails");
	is_int(err.code, EBADF, "fromfd: EBADF");
	is_str(err.msg, "fromfd: Bad file descriptor", "fromfd: error text");
}

static void test_gethostbyname(void)
{
	struct ss_error err = { .code = 4242, .msg = "untouched" };
	char ip[64];

	ok_call(ss_gethostbyname("localhost", ip, sizeof(ip), &err) == 0, err,
		"gethostbyname: localhost resolves");
	is_str(ip, "127.0.0.1", "gethostbyname: localhost is 127.0.0.1");
	ok(err.code == 4242 && !strcmp(err.msg, "untouched"), "success leaves the error untouched");
	ok_call(ss_gethostbyname("100.50.200.5", ip, sizeof(ip), &err) == 0, err,
		"gethostbyname: a dotted quad");
	is_str(ip, "100.50.200.5", "gethostbyname: a dotted quad comes back unchanged");

	is_int(ss_gethostbyname("no.such.host.invalid", ip, sizeof(ip), &err), -1,
	       "gethostbyname: unknown host fails");
	is_int(err.code, 0, "gethostbyname: a name error has code 0");
	is_str(err.msg, "gethostbyname no.such.host.invalid: host not found",
	       "gethostbyname: error text");
	is_int(ss_gethostbyname("localhost", ip, 4, &err), -1, "gethostbyname: buffer too small");
	is_int(err.code, ERANGE, "gethostbyname: ... ERANGE");
}

static void test_gethostname(void)
{
	struct ss_error err;
	char mine[256], libc[256];

	gethostname(libc, sizeof(libc));
	ok_call(ss_gethostname(mine, sizeof(mine), &err) == 0, err, "gethostname succeeds");
	is_str(mine, libc, "gethostname: the machine's name");
	is_int(ss_gethostname(mine, 1, &err), -1, "gethostname: buffer too small fails");
	is_int(err.code, ENAMETOOLONG, "gethostname: ENAMETOOLONG");
	is_str(err.msg, "gethostname: File name too long", "gethostname: error text");
}

static void test_gethostbyaddr(void)
{
	struct ss_error err;
	struct ss_hostent *h = ss_gethostbyaddr("127.0.0.1", &err);

	ok_call(h != NULL, err, "gethostbyaddr: 127.0.0.1");
	if (h) {
		is_str(h->name, "localhost", "gethostbyaddr: name");
		ok(h->aliases != NULL, "gethostbyaddr: alias list (may be empty)");
		is_str(h->addrs[0], "127.0.0.1", "gethostbyaddr: address list");
		ok(h->addrs[1] == NULL, "gethostbyaddr: address list NULL-terminated");
		free(h);
	}
	h = ss_gethostbyaddr("localhost", &err);
	ok(h && !strcmp(h->name, "localhost"), "gethostbyaddr: a name is resolved first");
	free(h);
	ok(ss_gethostbyaddr("no.such.host.invalid", &err) == NULL, "gethostbyaddr: unknown fails");
	is_int(err.code, 0, "gethostbyaddr: name error has code 0");
	is_str(err.msg, "gethostbyaddr no.such.host.invalid: host not found",
	       "gethostbyaddr: error text");
}

static void test_getservbyname(void)
{
	struct ss_error err;

	is_int(ss_getservbyname("http", "tcp", &err), 80, "getservbyname: http/tcp is 80");
	is_int(ss_getservbyname("domain", "udp", &err), 53, "getservbyname: domain/udp is 53");
	is_int(ss_getservbyname("http", NULL, &err), 80, "getservbyname: any protocol");
	is_int(ss_getservbyname("no-such-service", "tcp", &err), -1,
	       "getservbyname: unknown service fails");
	is_int(err.code, 0, "getservbyname: code 0");
	is_str(err.msg, "getservbyname no-such-service/tcp: service not found",
	       "getservbyname: error text");
}

#define THREADS 4
#define PER_THREAD 500

static void *make_sockets(void *arg)
{
	uint64_t *serials = arg;

	for (int i = 0; i < PER_THREAD; i++) {
		struct ss_sock *s = ss_socket(AF_UNIX, SOCK_DGRAM, 0, NULL);
		serials[i] = s ? ss_serial(s) : 0;
		ss_close(s, NULL);
	}
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Serials stay unique when threads make sockets at once. */
static void test_serials_threads(void)
{
	static uint64_t serials[THREADS * PER_THREAD];
	pthread_t t[THREADS];
	int dup = 0;

	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, make_sockets, serials + i * PER_THREAD);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	qsort(serials, THREADS * PER_THREAD, sizeof(serials[0]), by_value);
	for (int i = 1; i < THREADS * PER_THREAD; i++)
		dup += serials[i] == serials[i - 1];
	ok(serials[0] > 0 && !dup, "serials unique across %d threads x %d sockets", THREADS,
	   PER_THREAD);
}

int main(void)
{
	test_socket();
	test_fromfd();
	test_gethostbyname();
	test_gethostname();
	test_gethostbyaddr();
	test_getservbyname();
	test_serials_threads();
	return done_testing();
}
