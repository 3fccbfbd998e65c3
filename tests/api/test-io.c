// SPDX-License-Identifier: MIT
/*
 * What libsockscope adds over plain calls: a large message received into a
 * buffer allocated for it, sendall, makefile's line-oriented streams on a
 * dup()ed descriptor, non-blocking mode (EAGAIN) and timeouts (ETIMEDOUT,
 * "timed out"), int and byte socket options, and the host:port helpers
 * create_server and create_connection.  No assertion depends on timing:
 * timeouts are only provoked where nothing can ever arrive.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <pthread.h>

#define BIG (8u << 20)

struct sender {
	struct ss_sock *s;
	const char *buf;
	ssize_t sent;
};

static void *send_all(void *arg)
{
	struct sender *x = arg;

	x->sent = ss_sendall(x->s, x->buf, BIG, 0, NULL);
	return NULL;
}

static void large_message(void)
{
	struct ss_sock *c, *s;
	struct ss_error err;
	struct sender x;
	pthread_t t;
	char *big = malloc(BIG), *data = NULL;

	for (size_t i = 0; i < BIG; i++)
		big[i] = (char)(i * 7 + i / 4096);
	connected_pair(AF_INET, "127.0.0.1", &c, &s, NULL);
	x = (struct sender){ c, big, 0 };
	pthread_create(&t, NULL, send_all, &x);
	/* More than the socket buffers hold: the sender must be draining. */
	ssize_t n = ss_recv(s, BIG, MSG_WAITALL, &data, &err);
	pthread_join(t, NULL);
	is_int(x.sent, BIG, "sendall: all %u bytes sent", BIG);
	is_int(n, BIG, "recv: one call receives the whole 8 MiB message (MSG_WAITALL)");
	ok(data && !memcmp(data, big, BIG) && data[BIG] == '\0',
	   "recv: the buffer allocated for it holds every byte, NUL after");
	free(data);

	ss_send(c, "tiny", 4, 0, &err);
	is_int(ss_recv(s, 1 << 20, 0, &data, &err), 4, "recv: a small message with a 1 MiB bufsize");
	is_str(data, "tiny", "recv: ... its bytes (the buffer is shrunk to fit)");
	free(data);
	ss_close(c, NULL);
	ss_close(s, NULL);
	free(big);
}

static void makefile(void)
{
	struct ss_sock *c, *s;
	struct ss_error err;
	char line[64];

	connected_pair(AF_UNIX, abstract_name("makefile"), &c, &s, NULL);
	FILE *w = ss_makefile(c, "w", 1, &err);
	FILE *r = ss_makefile(s, NULL, -1, &err);
	ok_call(w && r, err, "makefile: a writer (line-buffered) and a reader");
	if (!w || !r)
		return;
	ok(fileno(w) != ss_fileno(c), "makefile: the stream has its own descriptor");
	ok(fcntl(fileno(w), F_GETFD) & FD_CLOEXEC, "makefile: ... close-on-exec");
	fprintf(w, "line %d\n", 1);
	fprintf(w, "line %d\n", 2);
	ok(fclose(w) == 0, "makefile: fclose the writer");
	is_int(ss_send(c, "after\n", SS_STRLEN, 0, &err), 6,
	       "makefile: the object still sends after its stream is closed");
	ss_close(c, NULL);
	ok(fgets(line, sizeof(line), r) && !strcmp(line, "line 1\n"), "makefile: read line 1");
	ok(fgets(line, sizeof(line), r) && !strcmp(line, "line 2\n"), "makefile: read line 2");
	ss_close(s, NULL);
	ok(fgets(line, sizeof(line), r) && !strcmp(line, "after\n"),
	   "makefile: the stream still reads after its object is closed");
	ok(!fgets(line, sizeof(line), r) && feof(r), "makefile: end of file when the peer closed");
	fclose(r);

	connected_pair(AF_UNIX, abstract_name("makefile2"), &c, &s, NULL);
	ok(ss_makefile(c, "x", 0, &err) == NULL && err.code == EINVAL, "makefile: bad mode: EINVAL");
	ss_setblocking(c, 0, &err);
	ok(ss_makefile(c, "r", 0, &err) == NULL, "makefile: refused on a non-blocking socket");
	ok(err.code == EINVAL && strstr(err.msg, "makefile @sockscope-test-") &&
		   strstr(err.msg, ": socket is not blocking"),
	   "makefile: ... with a text that says why");
	ss_close(c, NULL);
	ss_close(s, NULL);
}

static void nonblocking(void)
{
	struct ss_sock *c, *s;
	struct ss_address a;
	struct ss_error err;
	char want[SS_ADDRESS_TEXT + 64], *data = (char *)1;

	connected_pair(AF_INET, "127.0.0.1", &c, &s, NULL);
	ss_getpeername(s, &a, &err); /* an accepted socket's errors name its peer */
	ok_call(ss_setblocking(s, 0, &err) == 0, err, "setblocking(0)");
	is_int(ss_gettimeout(s), SS_NONBLOCKING, "setblocking(0): timeout 0");
	ok(fcntl(ss_fileno(s), F_GETFL) & O_NONBLOCK, "setblocking(0): O_NONBLOCK set");
	is_int(ss_recv(s, 10, 0, &data, &err), -1, "recv with nothing to read: fails at once");
	is_int(err.code, EAGAIN, "recv: EAGAIN");
	ok(data == NULL, "recv: no buffer on failure");
	snprintf(want, sizeof(want), "recv %s: Resource temporarily unavailable", a.text);
	is_str(err.msg, want, "recv: EAGAIN text names the peer");
	ok_call(ss_setblocking(s, 1, &err) == 0, err, "setblocking(1)");
	is_int(ss_gettimeout(s), SS_BLOCKING, "setblocking(1): blocking");
	ok(!(fcntl(ss_fileno(s), F_GETFL) & O_NONBLOCK), "setblocking(1): O_NONBLOCK cleared");

	/* Timeouts: the descriptor is non-blocking underneath. */
	ok_call(ss_settimeout(s, 20, &err) == 0, err, "settimeout(20 ms)");
	is_int(ss_gettimeout(s), 20, "gettimeout: 20");
	ok(fcntl(ss_fileno(s), F_GETFL) & O_NONBLOCK, "settimeout: descriptor non-blocking");
	is_int(ss_recv(s, 10, 0, &data, &err), -1, "recv with a timeout and nothing sent: fails");
	is_int(err.code, ETIMEDOUT, "recv: ETIMEDOUT");
	snprintf(want, sizeof(want), "recv %s: timed out", a.text);
	is_str(err.msg, want, "recv: 'timed out'");
	ss_send(c, "late", 4, 0, &err);
	is_int(ss_recv(s, 10, 0, &data, &err), 4, "recv with a timeout: data there is received");
	free(data);
	ss_close(c, NULL);
	ss_close(s, NULL);

	struct ss_sock *l = ss_create_server("127.0.0.1:0", 1, &err);
	ss_getsockname(l, &a, &err);
	ss_setblocking(l, 0, &err);
	ok(ss_accept(l, NULL, &err) == NULL && err.code == EAGAIN, "accept non-blocking: EAGAIN");
	ss_settimeout(l, 20, &err);
	ok(ss_accept(l, NULL, &err) == NULL && err.code == ETIMEDOUT, "accept with timeout");
	snprintf(want, sizeof(want), "accept %s: timed out", a.text);
	is_str(err.msg, want, "accept: text names the listening address");
	c = ss_create_connection(a.text, 5000, &err);
	s = ss_accept(l, NULL, &err);
	ok(c && s, "accept with timeout: a pending connection is accepted");
	is_int(s ? ss_gettimeout(s) : 0, SS_BLOCKING, "accept: the new socket is blocking");
	is_int(c ? ss_gettimeout(c) : 0, 5000, "create_connection: the timeout stays set");
	ss_close(c, NULL);
	ss_close(s, NULL);
	ss_close(l, NULL);

	/* A unix peer that never reads: its buffer fills and sends stop. */
	connected_pair(AF_UNIX, abstract_name("full"), &c, &s, NULL);
	char *chunk = calloc(1, 1 << 20);
	ss_settimeout(c, 20, &err);
	is_int(ss_sendall(c, chunk, 1 << 20, 0, &err), -1, "sendall to a peer that never reads");
	ok(err.code == ETIMEDOUT && strstr(err.msg, "sendall @sockscope-test-") &&
		   strstr(err.msg, ": timed out"),
	   "sendall: ETIMEDOUT, 'timed out'");
	ss_setblocking(c, 0, &err);
	is_int(ss_send(c, chunk, 1 << 20, 0, &err), -1, "send non-blocking to a full buffer");
	is_int(err.code, EAGAIN, "send: EAGAIN");
	ss_close(s, NULL);
	ss_setblocking(c, 1, &err);
	is_int(ss_send(c, "x", 1, 0, &err), -1, "send to a closed peer fails");
	is_int(err.code, EPIPE, "send: EPIPE (and no SIGPIPE)");
	ss_close(c, NULL);
	free(chunk);
}

static void options(void)
{
	struct ss_error err;
	struct ss_sock *s = ss_socket(AF_INET, SOCK_STREAM, 0, &err);
	int v = -1;

	ok_call(ss_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, 0, &err) == 0, err,
		"setsockopt: an int (length 0)");
	is_int(ss_getsockopt(s, SOL_SOCKET, SO_REUSEADDR, 0, &v, &err), sizeof(int),
	       "getsockopt buflen 0: an int");
	is_int(v, 1, "getsockopt: SO_REUSEADDR is 1");
	ss_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int), &err);
	ok(ss_getsockopt(s, IPPROTO_TCP, TCP_NODELAY, 0, &v, &err) == sizeof(int) && v == 1,
	   "TCP_NODELAY set with an explicit int length");

	struct linger set = { 1, 7 }, got = { 0, 0 };
	ok_call(ss_setsockopt(s, SOL_SOCKET, SO_LINGER, &set, sizeof(set), &err) == 0, err,
		"setsockopt: bytes (struct linger)");
	is_int(ss_getsockopt(s, SOL_SOCKET, SO_LINGER, sizeof(got), &got, &err), sizeof(got),
	       "getsockopt buflen > 0: the option's length");
	ok(got.l_onoff == 1 && got.l_linger == 7, "getsockopt: the bytes set");

	is_int(ss_getsockopt(s, SOL_SOCKET, 12345, 0, &v, &err), -1,
	       "getsockopt: unknown option fails");
	is_int(err.code, ENOPROTOOPT, "getsockopt: ENOPROTOOPT");
	is_str(err.msg, "getsockopt: Protocol not available", "getsockopt: text");
	is_int(ss_setsockopt(s, SOL_SOCKET, SO_LINGER, &set, 1, &err), -1,
	       "setsockopt: short struct fails");
	is_int(err.code, EINVAL, "setsockopt: EINVAL");
	ss_close(s, NULL);
}

static void helpers(void)
{
	struct ss_error err;
	struct ss_address a;
	char hp[160], want[160];
	struct ss_sock *l, *c, *s;

	l = ss_create_server("127.0.0.1:0", 4, &err);
	ok_call(l != NULL, err, "create_server 127.0.0.1:0");
	ss_getsockname(l, &a, &err);
	ok(a.port > 0 && !strcmp(a.host, "127.0.0.1"), "create_server: bound to a free port");
	int v = 0;
	ss_getsockopt(l, SOL_SOCKET, SO_REUSEADDR, 0, &v, &err);
	is_int(v, 1, "create_server: SO_REUSEADDR set");
	snprintf(hp, sizeof(hp), "localhost:%d", a.port);
	c = ss_create_connection(hp, SS_BLOCKING, &err);
	ok_call(c != NULL, err, "create_connection %s (a name)", "localhost:PORT");
	s = ss_accept(l, NULL, &err);
	ok(s && ss_send(c, "hi", 2, 0, &err) == 2, "create_connection: connected and accepted");
	ss_close(c, NULL);
	ss_close(s, NULL);
	ss_close(l, NULL);

	snprintf(hp, sizeof(hp), "127.0.0.1:%d", a.port);
	ok(ss_create_connection(hp, SS_BLOCKING, &err) == NULL, "create_connection: refused");
	snprintf(want, sizeof(want), "connect 127.0.0.1:%d: Connection refused", a.port);
	is_str(err.msg, want, "create_connection: the connect error");
	is_int(err.code, ECONNREFUSED, "create_connection: ECONNREFUSED");

	l = ss_create_server(":0", 1, &err);
	ss_getsockname(l, &a, &err);
	is_str(a.host, "0.0.0.0", "create_server ':0': all IPv4 addresses");
	ss_close(l, NULL);
	l = ss_create_server("[::1]:0", 1, &err);
	ok(l && ss_getsockname(l, &a, &err) == 0 && a.family == AF_INET6, "create_server [::1]:0");
	snprintf(hp, sizeof(hp), "[::1]:%d", a.port);
	c = ss_create_connection(hp, SS_BLOCKING, &err);
	ok_call(c && ss_family(c) == AF_INET6, err, "create_connection [::1]:PORT");
	ss_close(c, NULL);
	ss_close(l, NULL);
	const char *name = abstract_name("helpers");
	l = ss_create_server(name, 1, &err);
	c = ss_create_connection(name, SS_BLOCKING, &err);
	ok_call(l && c && ss_family(c) == AF_UNIX, err, "create_server/connection on a unix name");
	ss_close(c, NULL);
	ss_close(l, NULL);

	ok(ss_create_connection("nohost", SS_BLOCKING, &err) == NULL, "create_connection: no port");
	is_str(err.msg, "create_connection nohost: expected host:port", "... text");
	is_int(err.code, 0, "... code 0");
	ok(ss_create_server("::1:80", 1, &err) == NULL &&
		   !strcmp(err.msg, "create_server ::1:80: expected host:port"),
	   "create_server: a bare IPv6 literal needs brackets");
	ok(ss_create_connection("no.such.host.invalid:80", SS_BLOCKING, &err) == NULL,
	   "create_connection: unknown host");
	is_str(err.msg, "create_connection no.such.host.invalid:80: host not found", "... text");
	ok(ss_create_connection("127.0.0.1:no-such-service", SS_BLOCKING, &err) == NULL,
	   "create_connection: unknown service");
	is_str(err.msg, "create_connection 127.0.0.1:no-such-service: service not found",
	       "... text");
}

int main(void)
{
	large_message();
	makefile();
	nonblocking();
	options();
	helpers();
	return done_testing();
}
