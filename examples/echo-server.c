// SPDX-License-Identifier: MIT
/*
 * The socket module documentation's echo server, on libsockscope: socket,
 * bind, listen, then accept, echoing all each client sends.  Beyond the
 * seed it serves clients concurrently (a thread each), can pick a free port
 * and say which (--port 0), and stops after N clients or on SIGINT/SIGTERM,
 * so scripts can drive it.
 */
#include <sockscope.h>

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: echo-server [--host HOST] [--port PORT] [--clients N] [--bufsize BYTES]\n"
	"\n"
	"Echo back all that each client sends, as the socket module's example does,\n"
	"each client in a thread of its own.  Prints 'listening on HOST:PORT' first.\n"
	"\n"
	"  --host HOST      address to listen on (default: all IPv4 addresses;\n"
	"                   '::' for all IPv6 ones)\n"
	"  --port PORT      port (default 50007; 0 picks a free one)\n"
	"  --clients N      exit once N clients have been served (default 0: serve\n"
	"                   until SIGINT or SIGTERM)\n"
	"  --bufsize BYTES  size of each receive (default 1024, as in the seed)\n"
	"  -h, --help       this help\n"
	"\n"
	"Examples:\n"
	"  echo-server                          # port 50007, until Ctrl-C\n"
	"  echo-server --port 0 --clients 4     # a free port, four clients\n"
	"  echo-server --host ::1 --port 8007   # IPv6 loopback\n";

static const char *prog = "echo-server";

/* What the connection threads share with main. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t idle;
	int active;                  /* connections being served */
	unsigned long long bytes;    /* echoed, all clients */
	int failed;                  /* connections that ended on an error */
	size_t bufsize;
} st = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 1024 };

static volatile sig_atomic_t stopping;
static int listen_fd = -1;

/* SIGINT/SIGTERM: stop accepting.  shutdown() is async-signal-safe and
 * wakes an accept() already blocked, so the signal cannot slip in between
 * the check of `stopping` and the call. */
static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
	if (listen_fd >= 0)
		shutdown(listen_fd, SHUT_RDWR);
}

static void *serve(void *arg)
{
	struct ss_sock *conn = arg;
	struct ss_error err;
	unsigned long long echoed = 0;
	int failed = 0;

	for (;;) {
		char *data;
		ssize_t n = ss_recv(conn, st.bufsize, 0, &data, &err);
		if (n <= 0) {
			failed = n < 0;
			break;
		}
		ssize_t sent = ss_sendall(conn, data, (size_t)n, 0, &err);
		free(data);
		if (sent < 0) {
			failed = 1;
			break;
		}
		echoed += (unsigned long long)n;
	}
	if (failed)
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	ss_close(conn, NULL);
	pthread_mutex_lock(&st.lock);
	st.bytes += echoed;
	st.failed += failed;
	if (--st.active == 0)
		pthread_cond_signal(&st.idle);
	pthread_mutex_unlock(&st.lock);
	return NULL;
}

/* Serve conn in a detached thread that cannot take our signals. */
static int start(struct ss_sock *conn)
{
	sigset_t block, old;
	pthread_t t;
	pthread_attr_t attr;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&st.lock);
	st.active++;
	pthread_mutex_unlock(&st.lock);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int r = pthread_create(&t, &attr, serve, conn);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r) {
		fprintf(stderr, "%s: pthread_create: %s\n", prog, strerror(r));
		ss_close(conn, NULL);
		pthread_mutex_lock(&st.lock);
		st.active--;
		pthread_mutex_unlock(&st.lock);
	}
	return r ? -1 : 0;
}

static struct ss_sock *open_listener(const char *host, int port)
{
	struct ss_error err;
	struct ss_sock *s = ss_socket(host && strchr(host, ':') ? AF_INET6 : AF_INET, SOCK_STREAM,
				      0, &err);

	if (!s || ss_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, 0, &err) < 0 ||
	    ss_bind(s, host, port, &err) < 0 || ss_listen(s, SOMAXCONN, &err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		ss_close(s, NULL);
		return NULL;
	}
	return s;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "clients", required_argument, NULL, 'n' },
		{ "bufsize", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *host = "";
	int port = 50007, c;
	long clients = 0, served = 0;
	struct ss_error err;
	struct ss_address addr;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': host = optarg; break;
		case 'p': port = (int)cli_number(prog, "--port", optarg, 0, 65535); break;
		case 'n': clients = cli_number(prog, "--clients", optarg, 0, LONG_MAX); break;
		case 'b': st.bufsize = (size_t)cli_number(prog, "--bufsize", optarg, 1, 1 << 30); break;
		case 'h': fputs(usage, stdout); return 0;
		default: cli_usage_error(prog, NULL);
		}
	}
	cli_no_operands(prog, argc, argv, optind);
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct ss_sock *s = open_listener(host, port);
	if (!s)
		return 1;
	if (ss_getsockname(s, &addr, &err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return 1;
	}
	/* The handlers are in place before the port is announced: whoever
	 * reads the announcement may signal at once. */
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART */
	listen_fd = ss_fileno(s);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("listening on %s\n", addr.text);

	int status = 0;
	while (!stopping && (clients == 0 || served < clients)) {
		struct ss_address peer;
		struct ss_sock *conn = ss_accept(s, &peer, &err);
		if (!conn) {
			if (stopping)
				break;
			if (err.code == EINTR || err.code == ECONNABORTED)
				continue;
			fprintf(stderr, "%s: %s\n", prog, err.msg);
			status = 1;
			break;
		}
		printf("connected by %s\n", peer.text);
		/* Echoes go out in pieces as they come in: without NODELAY, Nagle
		 * holds each tail back until the client's delayed ACK (~40 ms). */
		ss_setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, 0, NULL);
		if (start(conn) == 0)
			served++;
	}
	listen_fd = -1;
	ss_close(s, NULL);

	/* After N clients, let them finish; from now on a signal ends the
	 * process at once, and after one, nobody is waited for. */
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pthread_mutex_lock(&st.lock);
	while (!stopping && st.active > 0)
		pthread_cond_wait(&st.idle, &st.lock);
	printf("served %ld clients, %llu bytes echoed, %d failed\n", served, st.bytes, st.failed);
	if (st.failed)
		status = 1;
	pthread_mutex_unlock(&st.lock);
	return status;
}
