// SPDX-License-Identifier: MIT
/*
 * A libuv program over loopback, for the raw-syscall() tests: libuv makes
 * its TCP calls through libc but sends and receives datagrams with
 * syscall(__NR_sendmmsg) and syscall(__NR_recvmmsg).  A TCP client sends
 * N bytes to a server in the same loop, which echoes them back; then the
 * client sends D datagrams of 100 bytes to a UDP socket that receives with
 * recvmmsg.  Prints "tcp N echoed" and "udp D received".
 * Usage: ss-uvecho [N] [D]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static uv_loop_t *loop;
static uv_tcp_t listener, client, server;
static uv_udp_t udp_rx, udp_tx;
static uv_connect_t conn;
static size_t total, echoed, datagrams, received;
static char *out, *in;

static void die(const char *what, int err)
{
	fprintf(stderr, "%s: %s\n", what, uv_strerror(err));
	exit(1);
}

static void alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	(void)h;
	buf->base = malloc(hint);
	buf->len = hint;
}

static void free_req(uv_write_t *req, int status)
{
	if (status < 0)
		die("write", status);
	free(req->data);
	free(req);
}

/* Server side: write back whatever arrives. */
static void server_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	if (n > 0) {
		uv_write_t *req = malloc(sizeof(*req));
		uv_buf_t b = uv_buf_init(buf->base, (unsigned int)n);
		req->data = buf->base;
		uv_write(req, s, &b, 1, free_req);
		return;
	}
	free(buf->base);
	if (n < 0)
		uv_close((uv_handle_t *)s, NULL);
}

static void on_connection(uv_stream_t *l, int status)
{
	if (status < 0)
		die("listen", status);
	uv_tcp_init(loop, &server);
	if (uv_accept(l, (uv_stream_t *)&server) < 0)
		die("accept", status);
	uv_read_start((uv_stream_t *)&server, alloc_cb, server_read);
	uv_close((uv_handle_t *)l, NULL);
}

static void udp_recv(uv_udp_t *h, ssize_t n, const uv_buf_t *buf, const struct sockaddr *from,
		     unsigned flags)
{
	static int done;

	(void)from;
	if (n > 0)
		received++;
	/* A chunk of a recvmmsg buffer is freed with the whole, later. */
	if (!(flags & UV_UDP_MMSG_CHUNK))
		free(buf->base);
	if (received == datagrams && !done) {
		done = 1;
		uv_close((uv_handle_t *)h, NULL);
		uv_close((uv_handle_t *)&udp_tx, NULL);
	}
}

static void udp_sent(uv_udp_send_t *req, int status)
{
	if (status < 0)
		die("udp send", status);
	free(req);
}

/* Once TCP is done: D datagrams, queued at once, so libuv sends them with
 * sendmmsg. */
static void start_udp(void)
{
	struct sockaddr_in a;
	struct sockaddr_storage name;
	int len = sizeof(name);
	static char payload[100];

	uv_ip4_addr("127.0.0.1", 0, &a);
	uv_udp_init_ex(loop, &udp_rx, AF_INET | UV_UDP_RECVMMSG);
	uv_udp_init(loop, &udp_tx);
	if (uv_udp_bind(&udp_rx, (struct sockaddr *)&a, 0) < 0)
		die("udp bind", 0);
	uv_udp_getsockname(&udp_rx, (struct sockaddr *)&name, &len);
	uv_udp_recv_start(&udp_rx, alloc_cb, udp_recv);
	memset(payload, 'u', sizeof(payload));
	for (size_t i = 0; i < datagrams; i++) {
		uv_udp_send_t *req = malloc(sizeof(*req));
		uv_buf_t b = uv_buf_init(payload, sizeof(payload));
		int r = uv_udp_send(req, &udp_tx, &b, 1, (struct sockaddr *)&name, udp_sent);
		if (r < 0)
			die("udp send", r);
	}
	if (!datagrams) {
		uv_close((uv_handle_t *)&udp_rx, NULL);
		uv_close((uv_handle_t *)&udp_tx, NULL);
	}
}

static void client_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	if (n > 0) {
		memcpy(in + echoed, buf->base, (size_t)n);
		echoed += (size_t)n;
	}
	free(buf->base);
	if (n < 0 || echoed == total) {
		uv_close((uv_handle_t *)s, NULL);
		start_udp();
	}
}

static void client_wrote(uv_write_t *req, int status)
{
	if (status < 0)
		die("client write", status);
	free(req);
}

static void on_connect(uv_connect_t *req, int status)
{
	if (status < 0)
		die("connect", status);
	uv_write_t *w = malloc(sizeof(*w));
	uv_buf_t b = uv_buf_init(out, (unsigned int)total);
	uv_write(w, req->handle, &b, 1, client_wrote);
	uv_read_start(req->handle, alloc_cb, client_read);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	struct sockaddr_storage name;
	int len = sizeof(name);

	total = argc > 1 ? (size_t)atol(argv[1]) : 100000;
	datagrams = argc > 2 ? (size_t)atol(argv[2]) : 10;
	out = malloc(total + 1);
	in = malloc(total + 1);
	for (size_t i = 0; i < total; i++)
		out[i] = (char)('a' + i % 26);
	loop = uv_default_loop();
	uv_ip4_addr("127.0.0.1", 0, &a);
	uv_tcp_init(loop, &listener);
	if (uv_tcp_bind(&listener, (struct sockaddr *)&a, 0) < 0 ||
	    uv_listen((uv_stream_t *)&listener, 8, on_connection) < 0)
		die("listen", 0);
	uv_tcp_getsockname(&listener, (struct sockaddr *)&name, &len);
	uv_tcp_init(loop, &client);
	uv_tcp_connect(&conn, &client, (struct sockaddr *)&name, on_connect);
	uv_run(loop, UV_RUN_DEFAULT);
	if (echoed != total || memcmp(in, out, total)) {
		fprintf(stderr, "echo mismatch: %zu of %zu\n", echoed, total);
		return 1;
	}
	printf("tcp %zu echoed\nudp %zu received\n", total, received);
	uv_loop_close(loop);
	free(out);
	free(in);
	return 0;
}
