// SPDX-License-Identifier: MIT
/*
 * The socket module documentation's echo client, on libsockscope: socket,
 * connect, send "Hello, world", receive the echo.  Its load mode (--count)
 * runs concurrent clients, each sending messages of a given size and
 * checking every echoed byte, then prints one summary line with the
 * throughput and round-trip percentiles.
 */
#include <sockscope.h>

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"Usage: echo-client [--host HOST] [--port PORT] [--message TEXT]\n"
	"       echo-client [--host HOST] [--port PORT] --count N [--size BYTES]\n"
	"                   [--concurrency C]\n"
	"\n"
	"Send a message to an echo server and print what comes back, as the socket\n"
	"module's example does; or, with --count, load the server and summarize.\n"
	"\n"
	"  --host HOST        server address or name (default 127.0.0.1)\n"
	"  --port PORT        server port (default 50007)\n"
	"  --message TEXT     what to send (default 'Hello, world')\n"
	"  --count N          load mode: each client sends N messages\n"
	"  --size BYTES       load mode: bytes per message (default 1024)\n"
	"  --concurrency C    load mode: clients at once, one connection each\n"
	"                     (default 1); serve them with 'echo-server --clients C'\n"
	"  -h, --help         this help\n"
	"\n"
	"The load summary is one line of key=value pairs:\n"
	"  clients=C messages=M size=B bytes=M*B errors=E seconds=S rate=R/s\n"
	"  p50_us=... p99_us=... (round trips)\n"
	"\n"
	"Examples:\n"
	"  echo-client                                   # Received 'Hello, world'\n"
	"  echo-client --port 4242 --count 1000 --size 512 --concurrency 8\n";

static const char *prog = "echo-client";

/* A chunk per send or receive: big enough for speed, small enough that
 * sending and receiving take turns and neither side's buffers fill up. */
#define CHUNK 65536

struct client {
	pthread_t thread;
	int id;
	long count, done;
	size_t size;
	const char *hostport;
	uint64_t *rtt_ns; /* one round trip per message */
	char error[SS_ERROR_MAX];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A pattern a given client and message alone would produce. */
static void fill(char *buf, size_t size, int id, long msg)
{
	for (size_t i = 0; i < size; i++)
		buf[i] = (char)('a' + (i + (size_t)id * 7 + (size_t)msg * 13) % 26);
}

/*
 * Send out (size bytes) and receive its echo on the non-blocking socket s,
 * sending and receiving as each becomes possible so that a message larger
 * than the socket buffers cannot deadlock.  Every byte is compared.
 */
static int exchange(struct client *c, struct ss_sock *s, int fd, const char *out)
{
	size_t sent = 0, got = 0, size = c->size;
	struct ss_error err;

	while (got < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN | (sent < size ? POLLOUT : 0) };
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(c->error, sizeof(c->error), "poll: %s", strerror(errno));
			return -1;
		}
		if (sent < size && (p.revents & POLLOUT)) {
			size_t len = size - sent < CHUNK ? size - sent : CHUNK;
			ssize_t n = ss_send(s, out + sent, len, 0, &err);
			if (n < 0 && err.code != EAGAIN)
				goto fail;
			sent += n > 0 ? (size_t)n : 0;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			char *data;
			size_t want = size - got < CHUNK ? size - got : CHUNK;
			ssize_t n = ss_recv(s, want, 0, &data, &err);
			if (n < 0 && err.code == EAGAIN)
				continue;
			if (n < 0)
				goto fail;
			int same = memcmp(data, out + got, (size_t)n) == 0;
			free(data);
			if (n == 0 || !same) {
				snprintf(c->error, sizeof(c->error), "%s after %zu of %zu bytes",
					 n ? "echo differs" : "server closed the connection", got, size);
				return -1;
			}
			got += (size_t)n;
		}
	}
	return 0;
fail:
	snprintf(c->error, sizeof(c->error), "%s", err.msg);
	return -1;
}

static void *run_client(void *arg)
{
	struct client *c = arg;
	struct ss_error err;
	char *out = malloc(c->size);
	struct ss_sock *s = ss_create_connection(c->hostport, SS_BLOCKING, &err);

	/* Messages go out in chunks; the last one must not wait for an ACK. */
	if (!s || !out || ss_setblocking(s, 0, &err) < 0 ||
	    ss_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, 0, &err) < 0) {
		snprintf(c->error, sizeof(c->error), "%s", out ? err.msg : "out of memory");
		goto out;
	}
	int fd = ss_fileno(s);
	for (; c->done < c->count; c->done++) {
		fill(out, c->size, c->id, c->done);
		uint64_t t0 = now_ns();
		if (exchange(c, s, fd, out) < 0)
			break;
		c->rtt_ns[c->done] = now_ns() - t0;
	}
	if (ss_close(s, &err) < 0 && !c->error[0])
		snprintf(c->error, sizeof(c->error), "%s", err.msg);
	s = NULL;
out:
	ss_close(s, NULL);
	free(out);
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int load(const char *hostport, long count, size_t size, int concurrency)
{
	struct client *cl = calloc((size_t)concurrency, sizeof(*cl));
	uint64_t *rtt = calloc((size_t)concurrency * (size_t)count, sizeof(*rtt));
	long messages = 0;
	int errors = 0;

	if (!cl || !rtt) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	uint64_t t0 = now_ns();
	for (int i = 0; i < concurrency; i++) {
		cl[i] = (struct client){ .id = i, .count = count, .size = size,
					 .hostport = hostport, .rtt_ns = rtt + i * count };
		int r = pthread_create(&cl[i].thread, NULL, run_client, &cl[i]);
		if (r) {
			fprintf(stderr, "%s: pthread_create: %s\n", prog, strerror(r));
			return 1;
		}
	}
	for (int i = 0; i < concurrency; i++) {
		pthread_join(cl[i].thread, NULL);
		if (cl[i].error[0]) {
			fprintf(stderr, "%s: client %d: %s\n", prog, i, cl[i].error);
			errors++;
		}
		/* Gather the round trips of the messages that completed. */
		memmove(rtt + messages, cl[i].rtt_ns, (size_t)cl[i].done * sizeof(*rtt));
		messages += cl[i].done;
	}
	double seconds = (double)(now_ns() - t0) / 1e9;
	qsort(rtt, (size_t)messages, sizeof(*rtt), by_value);
	printf("clients=%d messages=%ld size=%zu bytes=%llu errors=%d seconds=%.3f rate=%.0f/s "
	       "p50_us=%.1f p99_us=%.1f\n",
	       concurrency, messages, size, (unsigned long long)messages * size, errors, seconds,
	       seconds > 0 ? (double)messages / seconds : 0.0,
	       messages ? (double)rtt[(messages - 1) / 2] / 1e3 : 0.0,
	       messages ? (double)rtt[(messages - 1) * 99 / 100] / 1e3 : 0.0);
	free(rtt);
	free(cl);
	return errors ? 1 : 0;
}

/* The seed's client, call for call. */
static int hello(const char *host, int port, const char *message)
{
	struct ss_error err;
	char *data = NULL;
	struct ss_sock *s = ss_socket(strchr(host, ':') ? AF_INET6 : AF_INET, SOCK_STREAM, 0, &err);

	int ok = s && ss_connect(s, host, port, &err) == 0 &&
		 ss_send(s, message, SS_STRLEN, 0, &err) >= 0 &&
		 ss_recv(s, 1024, 0, &data, &err) >= 0;
	/* Closing after a failure must not replace the error it reports. */
	if (ss_close(s, ok ? &err : NULL) < 0)
		ok = 0;
	if (!ok) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		free(data);
		return 1;
	}
	printf("Received '%s'\n", data);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "message", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *host = "127.0.0.1", *message = "Hello, world";
	int port = 50007, concurrency = 1, c;
	long count = 0;
	size_t size = 1024;
	char hostport[SS_HOST_MAX + 16];

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': host = optarg; break;
		case 'p': port = (int)cli_number(prog, "--port", optarg, 1, 65535); break;
		case 'm': message = optarg; break;
		case 'n': count = cli_number(prog, "--count", optarg, 1, 100000000); break;
		case 's': size = (size_t)cli_number(prog, "--size", optarg, 1, 1L << 30); break;
		case 'c': concurrency = (int)cli_number(prog, "--concurrency", optarg, 1, 1024); break;
		case 'h': fputs(usage, stdout); return 0;
		default: cli_usage_error(prog, NULL);
		}
	}
	cli_no_operands(prog, argc, argv, optind);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!count)
		return hello(host, port, message);
	if (strchr(host, ':'))
		snprintf(hostport, sizeof(hostport), "[%s]:%d", host, port);
	else
		snprintf(hostport, sizeof(hostport), "%s:%d", host, port);
	return load(hostport, count, size, concurrency);
}
