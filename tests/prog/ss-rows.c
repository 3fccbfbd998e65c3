// SPDX-License-Identifier: MIT
/*
 * Scenario program for the tests of the report's rows: what each socket is
 * called (its role and addresses) and which rows a process filter selects.
 * Everything stays on loopback.  Addresses the report must show are
 * printed as "NAME ADDR" lines, learned through libc's own getsockname so
 * that the preload does not see the program ask.
 *
 *   roles      an unused socket; one bound to port 0; a bind that fails
 *              (EADDRINUSE); a listener bound to port 0 and one listening
 *              unbound; a client bound to 0.0.0.0:0 before connect; an
 *              accept with a buffer too short for the peer; a connection
 *              accepted by a listener on 0.0.0.0 (its own address is
 *              127.0.0.1); getsockname
 *              with a short buffer; a connected UDP socket receiving with a
 *              short recvfrom buffer; a netlink socket (and raw and packet
 *              sockets when allowed)
 *   threads N  the main thread, named "rowsmain", listens; a thread named
 *              "rows-cli" connects and sends N bytes, a thread named
 *              "rows-srv" accepts and receives them
 *   inherit    a listener that is not close-on-exec and a socket that is;
 *              then exec of "ss-rows inherited FD FD2", whose new image
 *              makes the listener non-blocking, and checks FD2 is gone
 *   late N     a thread blocks in recv on an accepted connection, the
 *              main thread closes that descriptor, then the client sends
 *              N bytes, which the blocked recv returns after the close
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(99);
}

/* libc's getsockname, not the preload's. */
static int (*libc_getsockname)(int, struct sockaddr *, socklen_t *);

static void show(const char *name, int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	char ip[INET_ADDRSTRLEN];

	if (libc_getsockname(fd, (struct sockaddr *)&a, &len))
		die("getsockname");
	printf("%s %s:%d\n", name, inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip)),
	       ntohs(a.sin_port));
}

static struct sockaddr_in inet(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

#define SA(a) ((struct sockaddr *)&(a))

static int roles(void)
{
	struct sockaddr_in a = inet("127.0.0.1", 0), any = inet("0.0.0.0", 0), got;
	socklen_t len;

	socket(AF_INET, SOCK_STREAM, 0); /* unused */
	int bound = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(bound, SA(a), sizeof(a)))
		die("bind");
	show("bound", bound);
	int taken = socket(AF_INET, SOCK_STREAM, 0);
	libc_getsockname(bound, SA(got), &(socklen_t){ sizeof(got) });
	if (bind(taken, SA(got), sizeof(got)) == 0 || errno != EADDRINUSE)
		die("bind EADDRINUSE");
	show("taken", bound);
	int lst = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(lst, SA(a), sizeof(a)) || listen(lst, 4))
		die("listener");
	show("listener", lst);
	int unbound = socket(AF_INET, SOCK_STREAM, 0);
	if (listen(unbound, 4))
		die("listen unbound");
	show("unbound", unbound);
	struct sockaddr_in to;
	libc_getsockname(lst, SA(to), &(socklen_t){ sizeof(to) });
	int cli = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(cli, SA(any), sizeof(any)) || connect(cli, SA(to), sizeof(to)))
		die("client");
	show("client", cli);
	/* A buffer that holds the family and port, not the address. */
	char shortbuf[4];
	len = sizeof(shortbuf);
	int srv = accept(lst, (struct sockaddr *)shortbuf, &len);
	if (srv < 0)
		die("accept");
	len = sizeof(shortbuf);
	if (getsockname(lst, (struct sockaddr *)shortbuf, &len))
		die("getsockname short");
	int wild = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(wild, SA(any), sizeof(any)) || listen(wild, 4))
		die("wildcard listener");
	show("wild", wild);
	libc_getsockname(wild, SA(to), &(socklen_t){ sizeof(to) });
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int cli2 = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(cli2, SA(to), sizeof(to)) || accept(wild, NULL, NULL) < 0)
		die("wildcard accept");
	show("wildclient", cli2);
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in ua, ub;
	if (bind(u1, SA(a), sizeof(a)) || bind(u2, SA(a), sizeof(a)))
		die("udp bind");
	libc_getsockname(u1, SA(ua), &(socklen_t){ sizeof(ua) });
	libc_getsockname(u2, SA(ub), &(socklen_t){ sizeof(ub) });
	if (connect(u1, SA(ub), sizeof(ub)) || sendto(u2, "datagram!!", 10, 0, SA(ua), sizeof(ua)) != 10)
		die("udp");
	show("udp", u2);
	char buf[16];
	len = sizeof(shortbuf);
	if (recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)shortbuf, &len) != 10)
		die("recvfrom");
	int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	if (nl < 0 || bind(nl, SA(snl), sizeof(snl)))
		die("netlink");
	if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) >= 0)
		printf("raw\n");
	if (socket(AF_PACKET, SOCK_DGRAM, 0) >= 0)
		printf("packet\n");
	return 0;
}

/* ---- inherit: a listener that lives through exec ---- */

static int inherit(const char *self)
{
	struct sockaddr_in a = inet("127.0.0.1", 0);
	int lst = socket(AF_INET, SOCK_STREAM, 0), gone = socket(AF_INET, SOCK_STREAM, 0);
	char fd[16], fd2[16];

	if (lst < 0 || gone < 0 || bind(lst, SA(a), sizeof(a)) || listen(lst, 4) ||
	    fcntl(gone, F_SETFD, FD_CLOEXEC))
		die("listener");
	show("listener", lst);
	snprintf(fd, sizeof(fd), "%d", lst);
	snprintf(fd2, sizeof(fd2), "%d", gone);
	execl(self, self, "inherited", fd, fd2, (char *)NULL);
	die("exec");
	return 1;
}

static int inherited(int fd, int gone)
{
	if (fcntl(fd, F_SETFL, O_NONBLOCK) || fcntl(gone, F_GETFD) != -1 || errno != EBADF)
		die("inherited");
	return 0;
}

/* ---- threads ---- */

static int listen_loopback(void)
{
	struct sockaddr_in a = inet("127.0.0.1", 0);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || bind(s, SA(a), sizeof(a)) || listen(s, 4))
		die("listener");
	return s;
}

static int connect_to(int lst)
{
	struct sockaddr_in to;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	libc_getsockname(lst, SA(to), &(socklen_t){ sizeof(to) });
	if (s < 0 || connect(s, SA(to), sizeof(to)))
		die("connect");
	return s;
}

struct job {
	int fd;
	size_t n;
	ssize_t got;
	volatile pid_t tid;
};

static void *client_thread(void *arg)
{
	struct job *j = arg;
	char *buf = calloc(1, j->n);

	prctl(PR_SET_NAME, "rows-cli");
	int s = connect_to(j->fd);
	if (send(s, buf, j->n, 0) != (ssize_t)j->n)
		die("send");
	close(s);
	free(buf);
	return NULL;
}

static void *server_thread(void *arg)
{
	struct job *j = arg;
	char *buf = calloc(1, j->n);

	pthread_setname_np(pthread_self(), "rows-srv");
	int s = accept(j->fd, NULL, NULL);
	if (s < 0 || recv(s, buf, j->n, MSG_WAITALL) != (ssize_t)j->n)
		die("recv");
	close(s);
	free(buf);
	return NULL;
}

static int threads(size_t n)
{
	pthread_t a, b;

	prctl(PR_SET_NAME, "rowsmain");
	int lst = listen_loopback();
	struct job j = { .fd = lst, .n = n };
	pthread_create(&a, NULL, server_thread, &j);
	pthread_create(&b, NULL, client_thread, &j);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	close(lst);
	return 0;
}

/* ---- late: a call that ends after another thread closed its socket ---- */

static void *blocked_recv(void *arg)
{
	struct job *j = arg;
	char *buf = calloc(1, j->n);

	j->tid = (pid_t)syscall(SYS_gettid);
	j->got = recv(j->fd, buf, j->n, MSG_WAITALL);
	free(buf);
	return NULL;
}

/* Whether thread tid is inside the recvfrom system call now. */
static int in_recv(pid_t tid)
{
	char path[64], line[64];
	long nr = -1;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f))
		nr = strtol(line, NULL, 10);
	fclose(f);
	return nr == SYS_recvfrom;
}

static int late(size_t n)
{
	pthread_t t;
	int lst = listen_loopback(), cli = connect_to(lst);
	struct job j = { .fd = accept(lst, NULL, NULL), .n = n };
	char *buf = calloc(1, n);

	if (j.fd < 0)
		die("accept");
	pthread_create(&t, NULL, blocked_recv, &j);
	while (!j.tid || !in_recv(j.tid))
		usleep(1000);
	close(j.fd); /* the recv goes on: the socket lives until it returns */
	if (send(cli, buf, n, 0) != (ssize_t)n)
		die("send");
	pthread_join(t, NULL);
	printf("late recv %zd\n", j.got);
	close(cli);
	close(lst);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	size_t n = argc > 2 ? (size_t)atol(argv[2]) : 0;

	libc_getsockname = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(
		dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD), "getsockname");
	if (!libc_getsockname)
		die("libc getsockname");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "roles"))
		return roles();
	if (!strcmp(mode, "inherit"))
		return inherit(argv[0]);
	if (!strcmp(mode, "inherited") && argc > 3)
		return inherited(atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(mode, "threads") && n)
		return threads(n);
	if (!strcmp(mode, "late") && n)
		return late(n);
	fprintf(stderr, "usage: ss-rows roles | inherit | threads N | late N\n");
	return 2;
}
