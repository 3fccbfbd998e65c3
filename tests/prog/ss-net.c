// SPDX-License-Identifier: MIT
/*
 * Scenario program for the record and report tests: each mode makes an
 * exactly known set of socket calls, so a report of its trace can be
 * checked number for number.  Everything stays on 127.0.0.1 and unix
 * sockets in a directory the test gives.
 *
 *   conns K N       a listener; K connections, each: the client sends N
 *                   bytes, the server receives them (MSG_WAITALL) and sends
 *                   them back, the client receives them; then both close
 *   forkconn N      a connection whose accepted end is used by a forked
 *                   child (sends N bytes) after the parent closed its copy
 *   nonblock        a non-blocking connect that succeeds (EINPROGRESS, then
 *                   SO_ERROR 0) and one to a closed port (SO_ERROR refused)
 *   udp N           a UDP socket sends N bytes to each of 3 peers, which
 *                   answer with N bytes each
 *   unix DIR N      a unix stream listener at DIR/s.sock, one client sends N
 *   dup N           a client dup()s its socket, closes the original, sends
 *                   N bytes on the copy
 *   dns             getaddrinfo("localhost", "50007") once
 *   loop M          M send/recv pairs of 1 byte on a socketpair (benchmark)
 *   exit CODE       exit with CODE after one socket call
 *   signal SIG      kill itself with SIG after one socket call
 *   wait            one socket call, print "ready", then pause() until a
 *                   signal: SIGTERM exits 42, others end it by default
 * The port numbers used are printed as "port P".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(99);
}

/* A TCP listener on 127.0.0.1 with a port the kernel picks. */
static int listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&a, &len))
		die("listener");
	*port = ntohs(a.sin_port);
	printf("port %d\n", *port);
	fflush(stdout);
	return s;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	return a;
}

static int client(int port)
{
	struct sockaddr_in a = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	return s;
}

static void xsend(int s, const char *buf, size_t n)
{
	if (send(s, buf, n, 0) != (ssize_t)n)
		die("send");
}

static void xrecv(int s, char *buf, size_t n)
{
	if (recv(s, buf, n, MSG_WAITALL) != (ssize_t)n)
		die("recv");
}

static int conns(int k, size_t n)
{
	char *buf = calloc(1, n), *back = calloc(1, n);
	int port, l = listener(&port);

	for (int i = 0; i < k; i++) {
		int c = client(port), s = accept(l, NULL, NULL);
		if (s < 0)
			die("accept");
		xsend(c, buf, n);
		xrecv(s, back, n);
		xsend(s, back, n);
		xrecv(c, buf, n);
		close(c);
		close(s);
	}
	close(l);
	free(buf);
	free(back);
	return 0;
}

static int forkconn(size_t n)
{
	char *buf = calloc(1, n);
	int port, l = listener(&port), c = client(port), s = accept(l, NULL, NULL);

	pid_t pid = fork();
	if (pid == 0) {
		xsend(s, buf, n);
		close(s);
		_exit(0);
	}
	close(s);
	xrecv(c, buf, n);
	int st;
	waitpid(pid, &st, 0);
	printf("child %d\n", (int)pid);
	close(c);
	close(l);
	free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* A non-blocking connect to port, finished with poll and SO_ERROR. */
static int nb_connect(int port)
{
	struct sockaddr_in a = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0;
	socklen_t len = sizeof(err);

	if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0 || errno != EINPROGRESS)
		die("non-blocking connect");
	struct pollfd p = { .fd = s, .events = POLLOUT };
	poll(&p, 1, 5000);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
	close(s);
	return err;
}

static int nonblock(void)
{
	int port, l = listener(&port);
	int ok = nb_connect(port);
	int s = accept(l, NULL, NULL);
	close(s);
	close(l);
	/* The same port, closed now: refused. */
	int refused = nb_connect(port);
	printf("ok %d refused %d\n", ok, refused);
	return ok != 0 || refused != ECONNREFUSED;
}

static int udp(size_t n)
{
	char *buf = calloc(1, n);
	int s = socket(AF_INET, SOCK_DGRAM, 0), peer[3];
	struct sockaddr_in a = loopback(0);
	socklen_t len;

	for (int i = 0; i < 3; i++) {
		peer[i] = socket(AF_INET, SOCK_DGRAM, 0);
		a = loopback(0);
		len = sizeof(a);
		if (bind(peer[i], (struct sockaddr *)&a, sizeof(a)) ||
		    getsockname(peer[i], (struct sockaddr *)&a, &len))
			die("udp peer");
		printf("port %d\n", ntohs(a.sin_port));
		if (sendto(s, buf, n, 0, (struct sockaddr *)&a, sizeof(a)) != (ssize_t)n)
			die("sendto");
		struct sockaddr_in from;
		len = sizeof(from);
		if (recvfrom(peer[i], buf, n, 0, (struct sockaddr *)&from, &len) != (ssize_t)n ||
		    sendto(peer[i], buf, n, 0, (struct sockaddr *)&from, len) != (ssize_t)n)
			die("peer echo");
		len = sizeof(from);
		if (recvfrom(s, buf, n, 0, (struct sockaddr *)&from, &len) != (ssize_t)n)
			die("recvfrom");
	}
	for (int i = 0; i < 3; i++)
		close(peer[i]);
	close(s);
	free(buf);
	return 0;
}

static int unix_stream(const char *dir, size_t n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char *buf = calloc(1, n);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/s.sock", dir);
	unlink(a.sun_path);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		die("unix listener");
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)))
		die("unix connect");
	int s = accept(l, NULL, NULL);
	xsend(c, buf, n);
	xrecv(s, buf, n);
	close(c);
	close(s);
	close(l);
	unlink(a.sun_path);
	free(buf);
	return 0;
}

static int dup_send(size_t n)
{
	char *buf = calloc(1, n);
	int port, l = listener(&port), c = client(port), s = accept(l, NULL, NULL);
	int d = dup(c);

	close(c);
	xsend(d, buf, n);
	xrecv(s, buf, n);
	close(d);
	close(s);
	close(l);
	free(buf);
	return 0;
}

static int dns(void)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
	int r = getaddrinfo("localhost", "50007", &hints, &res);

	if (r == 0)
		freeaddrinfo(res);
	return r != 0;
}

static int loop(long m)
{
	int sv[2];
	char b = 'x';

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	for (long i = 0; i < m; i++)
		if (send(sv[0], &b, 1, 0) != 1 || recv(sv[1], &b, 1, 0) != 1)
			die("loop");
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void on_term(int sig)
{
	(void)sig;
	_exit(42);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long a = argc > 2 ? atol(argv[2]) : 0, b = argc > 3 ? atol(argv[3]) : 0;

	if (!strcmp(mode, "conns") && argc > 3)
		return conns((int)a, (size_t)b);
	if (!strcmp(mode, "forkconn") && argc > 2)
		return forkconn((size_t)a);
	if (!strcmp(mode, "nonblock"))
		return nonblock();
	if (!strcmp(mode, "udp") && argc > 2)
		return udp((size_t)a);
	if (!strcmp(mode, "unix") && argc > 3)
		return unix_stream(argv[2], (size_t)b);
	if (!strcmp(mode, "dup") && argc > 2)
		return dup_send((size_t)a);
	if (!strcmp(mode, "dns"))
		return dns();
	if (!strcmp(mode, "loop") && argc > 2)
		return loop(a);
	if (!strcmp(mode, "exit") && argc > 2) {
		close(socket(AF_INET, SOCK_STREAM, 0));
		return (int)a;
	}
	if (!strcmp(mode, "signal") && argc > 2) {
		close(socket(AF_INET, SOCK_STREAM, 0));
		kill(getpid(), (int)a);
		return 0;
	}
	if (!strcmp(mode, "wait")) {
		signal(SIGTERM, on_term);
		close(socket(AF_INET, SOCK_STREAM, 0));
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	fprintf(stderr, "usage: ss-net conns K N | forkconn N | nonblock | udp N | unix DIR N | "
			"dup N | dns | loop M | exit CODE | signal SIG | wait\n");
	return 2;
}
