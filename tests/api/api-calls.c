// SPDX-License-Identifier: MIT
/*
 * Scenario program for the trace test of libsockscope: a fixed sequence of
 * library calls, successes and failures, whose sockscope_api events (and,
 * under the preload, the sockscope events they cause) the test then finds
 * in the trace.  It prints what the test needs to match events: the serials
 * and descriptors of its objects, the port, the descriptor of the makefile
 * stream that it closes itself, and at the end whether liblttng-ust was
 * loaded.
 */
#include <sockscope.h>

#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void need(int cond, const char *what, const struct ss_error *err)
{
	if (!cond) {
		fprintf(stderr, "api-calls: %s: %s\n", what, err->msg);
		exit(1);
	}
}

/* Whether the probes (hence liblttng-ust) are in this process. */
static int probes_loaded(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, "liblttng-ust.so") != NULL;
	if (f)
		fclose(f);
	return found;
}

static void show(const char *name, struct ss_sock *s)
{
	printf("%s %llu %d\n", name, (unsigned long long)ss_serial(s), ss_fileno(s));
}

int main(void)
{
	struct ss_error err;
	struct ss_address a, peer;
	char ip[64], *data;

	setvbuf(stdout, NULL, _IOLBF, 0);
	need(ss_gethostbyname("localhost", ip, sizeof(ip), &err) == 0, "gethostbyname", &err);
	struct ss_sock *l = ss_create_server("127.0.0.1:0", 4, &err);
	need(l && ss_getsockname(l, &a, &err) == 0, "create_server", &err);
	struct ss_sock *c = ss_socket(AF_INET, SOCK_STREAM, 0, &err);
	need(c && ss_setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, 0, &err) == 0,
	     "socket", &err);
	need(ss_connect(c, "127.0.0.1", a.port, &err) == 0, "connect", &err);
	struct ss_sock *s = ss_accept(l, &peer, &err);
	need(s != NULL, "accept", &err);
	show("listener", l);
	show("client", c);
	show("conn", s);
	printf("port %d\n", a.port);
	need(ss_send(c, "hello", 5, 0, &err) == 5 && ss_recv(s, 100, 0, &data, &err) == 5,
	     "hello", &err);
	free(data);
	need(ss_sendall(s, "world", 5, 0, &err) == 5 && ss_recv(c, 100, 0, &data, &err) == 5,
	     "world", &err);
	free(data);
	FILE *f = ss_makefile(c, "w", 0, &err);
	need(f != NULL, "makefile", &err);
	printf("stream %d\n", fileno(f));
	fclose(f); /* the caller's own close: outside any method */
	int type;
	need(ss_getsockopt(c, SOL_SOCKET, SO_TYPE, 0, &type, &err) == sizeof(int), "getsockopt",
	     &err);
	need(ss_shutdown(c, SHUT_WR, &err) == 0 && ss_recv(s, 100, 0, &data, &err) == 0, "eof",
	     &err);

	/* Failures: a refused connect (ECONNREFUSED) and a name error (0). */
	struct ss_sock *x = ss_socket(AF_INET, SOCK_STREAM, 0, &err);
	need(x != NULL, "socket", &err);
	show("refused", x);
	ss_close(l, NULL); /* the port is free from now on */
	need(ss_connect(x, "127.0.0.1", a.port, &err) < 0, "connect refused", &err);
	ss_close(x, NULL);
	need(ss_gethostbyname("no.such.host.invalid", ip, sizeof(ip), &err) < 0, "unknown", &err);

	ss_close(c, NULL);
	ss_close(s, NULL);
	/* The library loads them at its first call, if at all. */
	printf("probes %s\n", probes_loaded() ? "yes" : "no");
	return 0;
}
