// SPDX-License-Identifier: MIT
/*
 * Stream sockets through libsockscope in AF_INET, AF_INET6 and AF_UNIX
 * (a path and an abstract name): bind, listen, accept with the peer's
 * address, connect, names of both ends, send/recv, shutdown and close; then
 * each method's failure paths with their error codes and texts.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

static char tmpdir[64];

static void cleanup(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/sock", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

/* One family's round: a connection, names, bytes both ways, EOF. */
static void round_trip(const char *label, int family, const char *host)
{
	struct ss_error err;
	struct ss_sock *c, *s, *l = ss_socket(family, SOCK_STREAM, 0, &err);
	struct ss_address la, peer, cname, cpeer, sname;
	char *data = NULL;

	ok_call(l && ss_bind(l, host, 0, &err) == 0, err, "%s: bind", label);
	ok_call(ss_listen(l, 4, &err) == 0, err, "%s: listen", label);
	ok_call(ss_getsockname(l, &la, &err) == 0, err, "%s: getsockname of the listener", label);
	is_int(la.family, family, "%s: address family", label);
	c = ss_socket(family, SOCK_STREAM, 0, &err);
	ok_call(c && ss_connect(c, la.host, la.port, &err) == 0, err, "%s: connect to %s", label,
		la.text);
	s = ss_accept(l, &peer, &err);
	ok_call(s != NULL, err, "%s: accept", label);
	if (!c || !s)
		bail("no connection", &err);
	ok(ss_serial(s) != ss_serial(l) && ss_fileno(s) != ss_fileno(l),
	   "%s: accept returns a new object", label);
	ok(ss_getsockname(c, &cname, &err) == 0 && ss_getpeername(c, &cpeer, &err) == 0 &&
		   ss_getsockname(s, &sname, &err) == 0,
	   "%s: names of both ends", label);
	is_str(peer.text, cname.text, "%s: accept's peer address is the client's name", label);
	is_str(cpeer.text, sname.text, "%s: the client's peer is the server end", label);
	is_int(cpeer.port, la.port, "%s: peer port", label);

	is_int(ss_send(c, "hello", 5, 0, &err), 5, "%s: send 5 bytes", label);
	is_int(ss_recv(s, 100, 0, &data, &err), 5, "%s: recv gets 5 bytes", label);
	ok(data && !memcmp(data, "hello", 6), "%s: ... NUL-terminated 'hello'", label);
	free(data);
	is_int(ss_send(s, "echo", SS_STRLEN, 0, &err), 4, "%s: send SS_STRLEN: implicit length",
	       label);
	is_int(ss_recv(c, 100, 0, &data, &err), 4, "%s: recv on the client", label);
	is_str(data, "echo", "%s: ... 'echo'", label);
	free(data);
	ok_call(ss_shutdown(c, SHUT_WR, &err) == 0, err, "%s: shutdown SHUT_WR", label);
	data = (char *)1;
	is_int(ss_recv(s, 100, 0, &data, &err), 0, "%s: recv after the peer's shutdown: EOF",
	       label);
	ok(data == NULL, "%s: EOF gives no buffer (NULL)", label);
	is_int(ss_close(c, &err) + ss_close(s, &err) + ss_close(l, &err), 0, "%s: close all",
	       label);
}

/* A port nobody listens on: bound then closed. */
static int free_port(void)
{
	struct ss_address a;
	struct ss_sock *s = ss_socket(AF_INET, SOCK_STREAM, 0, NULL);

	ss_bind(s, "127.0.0.1", 0, NULL);
	ss_getsockname(s, &a, NULL);
	ss_close(s, NULL);
	return a.port;
}

static void failures(void)
{
	struct ss_error err;
	struct ss_address a;
	char want[256], *data = (char *)1;
	int port = free_port();
	struct ss_sock *s = ss_socket(AF_INET, SOCK_STREAM, 0, &err);

	is_int(ss_connect(s, "127.0.0.1", port, &err), -1, "connect: refused");
	is_int(err.code, ECONNREFUSED, "connect: ECONNREFUSED");
	snprintf(want, sizeof(want), "connect 127.0.0.1:%d: Connection refused", port);
	is_str(err.msg, want, "connect: text names the operation and the address");
	is_int(errno, ECONNREFUSED, "connect: errno set too");
	ss_close(s, NULL);

	s = ss_socket(AF_INET, SOCK_STREAM, 0, &err);
	is_int(ss_connect(s, "no.such.host.invalid", 80, &err), -1, "connect: unknown host");
	is_int(err.code, 0, "connect: unknown host is an address error (code 0)");
	is_str(err.msg, "connect no.such.host.invalid:80: host not found", "connect: its text");
	is_int(ss_bind(s, "127.0.0.1", 70000, &err), -1, "bind: port out of range");
	is_str(err.msg, "bind 127.0.0.1:70000: port must be 0-65535", "bind: its text");
	is_int(ss_getpeername(s, &a, &err), -1, "getpeername: unconnected");
	is_int(err.code, ENOTCONN, "getpeername: ENOTCONN");
	is_str(err.msg, "getpeername: Transport endpoint is not connected", "getpeername: text");
	is_int(ss_recv(s, 10, 0, &data, &err), -1, "recv: unconnected");
	ok(err.code == ENOTCONN && data == NULL, "recv: ENOTCONN and no buffer");
	is_int(ss_send(s, "x", 1, 0, &err), -1, "send: unconnected");
	is_int(err.code, EPIPE, "send: EPIPE, not a SIGPIPE (MSG_NOSIGNAL)");
	is_int(ss_accept(s, NULL, &err) == NULL, 1, "accept: not listening");
	is_str(err.msg, "accept: Invalid argument", "accept: text");

	/* A listener on a port, and a second bind to the same one. */
	struct ss_sock *l = ss_socket(AF_INET, SOCK_STREAM, 0, &err);
	ss_bind(l, "127.0.0.1", 0, &err);
	ss_listen(l, 1, &err);
	ss_getsockname(l, &a, &err);
	is_int(ss_bind(s, "127.0.0.1", a.port, &err), -1, "bind: address in use");
	snprintf(want, sizeof(want), "bind 127.0.0.1:%d: Address already in use", a.port);
	is_str(err.msg, want, "bind: EADDRINUSE text");
	ss_close(s, NULL);

	s = ss_socket(AF_INET, SOCK_STREAM, 0, &err);
	ss_connect(s, "127.0.0.1", a.port, &err);
	is_int(ss_shutdown(s, 5, &err), -1, "shutdown: bad how");
	snprintf(want, sizeof(want), "shutdown 127.0.0.1:%d: Invalid argument", a.port);
	is_str(err.msg, want, "shutdown: text names the connected address");
	ss_close(s, NULL);
	ss_close(l, NULL);

	s = ss_socket(AF_INET, SOCK_DGRAM, 0, &err);
	is_int(ss_listen(s, 1, &err), -1, "listen: datagram socket");
	is_int(err.code, EOPNOTSUPP, "listen: EOPNOTSUPP");
	close(ss_fileno(s)); /* behind the object's back */
	is_int(ss_close(s, &err), -1, "close: descriptor already closed");
	is_str(err.msg, "close: Bad file descriptor", "close: text");

	char longpath[200];
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	s = ss_socket(AF_UNIX, SOCK_STREAM, 0, &err);
	is_int(ss_bind(s, longpath, 0, &err), -1, "bind: unix path too long");
	ok(err.code == 0 && strstr(err.msg, ": AF_UNIX path too long") &&
		   !strncmp(err.msg, "bind /xxx", 9),
	   "bind: path error has code 0 and names the path");
	snprintf(want, sizeof(want), "%s/nope", tmpdir);
	is_int(ss_connect(s, want, 0, &err), -1, "connect: missing unix path");
	is_int(err.code, ENOENT, "connect: ENOENT");
	snprintf(longpath, sizeof(longpath), "connect %s/nope: No such file or directory", tmpdir);
	is_str(err.msg, longpath, "connect: unix text");
	ss_close(s, NULL);

	s = ss_socket(AF_INET6, SOCK_STREAM, 0, &err);
	port = free_port();
	ss_connect(s, "::1", port, &err);
	snprintf(want, sizeof(want), "connect [::1]:%d: Connection refused", port);
	is_str(err.msg, want, "connect: IPv6 text in brackets");
	ss_close(s, NULL);
}

/* recvfrom on a stream has no sender address. */
static void stream_recvfrom(void)
{
	struct ss_sock *c, *s;
	struct ss_address from;
	struct ss_error err;
	char *data;

	connected_pair(AF_INET, "127.0.0.1", &c, &s, NULL);
	ss_send(c, "abc", 3, 0, &err);
	is_int(ss_recvfrom(s, 10, 0, &data, &from, &err), 3, "recvfrom on a stream: 3 bytes");
	is_int(from.family, AF_UNSPEC, "recvfrom on a stream: no address (AF_UNSPEC)");
	free(data);
	ss_close(c, NULL);
	ss_close(s, NULL);
}

int main(void)
{
	char path[128];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sockscope-api.XXXXXX");
	if (!mkdtemp(tmpdir))
		bail("mkdtemp", NULL);
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/sock", tmpdir);

	round_trip("AF_INET", AF_INET, "127.0.0.1");
	round_trip("AF_INET by name", AF_INET, "localhost");
	round_trip("AF_INET6", AF_INET6, "::1");
	round_trip("AF_UNIX path", AF_UNIX, path);
	round_trip("AF_UNIX abstract", AF_UNIX, abstract_name("stream"));
	stream_recvfrom();
	failures();
	return done_testing();
}
