// SPDX-License-Identifier: MIT
/*
 * Differential test program: calls every function the preload wraps, on its
 * success path and in failing ways, and prints one line per call with the
 * return value, errno and a digest of the data moved.  Run bare and under
 * the preload (with and without a recording session), the outputs must be
 * identical: the preload may observe, never change.  Nothing printed depends
 * on descriptor numbers or ports, which the tracer's own descriptors shift.
 * errno is set to a sentinel before each call so that a wrapper that
 * touches errno on success shows up too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "looppair.h"
#include "ss_names.h"

#define SENTINEL 77
/* An address no process maps; volatile so the compiler cannot see it. */
static void *volatile bad_ptr = (void *)16;
/*
 * AddressSanitizer's interceptors of poll, select and the epoll calls read
 * and write the caller's arrays themselves around the real call: handed a
 * bad pointer or a count beyond the array, they report it (or fault)
 * before the kernel refuses it.  Those cases run in plain builds only;
 * through syscall() they run in both.
 */
#if defined(__SANITIZE_ADDRESS__)
#define PLAIN_BUILD 0
#else
#define PLAIN_BUILD 1
#endif

/* More descriptors than any process may have: poll refuses it. */
static volatile nfds_t too_many = 1u << 30;
#define BAD bad_ptr

ssize_t __read_chk(int fd, void *buf, size_t nbytes, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
		       struct sockaddr *addr, socklen_t *addrlen);
int __poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
		const sigset_t *ss, size_t fdslen);

static void line(const char *what, long ret, int err, int is_fd, const char *extra)
{
	const char *name = ss_errno_name(err);
	if (is_fd && ret >= 0)
		printf("%-28s ret=fd errno=%s%s%s\n", what, name ? name : "?", *extra ? " " : "",
		       extra);
	else
		printf("%-28s ret=%ld errno=%s%s%s\n", what, ret, name ? name : "?",
		       *extra ? " " : "", extra);
}

/* CALL(description, expression): run it with errno at the sentinel. */
#define CALLX(what, is_fd, extra, expr)                      \
	({                                                   \
		errno = SENTINEL;                            \
		long r_ = (long)(expr);                      \
		int e_ = errno;                              \
		line(what, r_, e_, is_fd, extra);            \
		r_;                                          \
	})
#define CALL(what, expr) CALLX(what, 0, "", expr)
#define CALLFD(what, expr) ((int)CALLX(what, 1, "", expr))

static unsigned int digest(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned int h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static void show_data(const char *what, const void *buf, long n)
{
	printf("%-28s data=%08x len=%ld\n", what, n > 0 ? digest(buf, (size_t)n) : 0, n);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A closed port: bind, read the port, close. */
static int closed_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(0);
	bind(s, (struct sockaddr *)&a, sizeof(a));
	int p = port_of(s);
	close(s);
	return p;
}

static void test_create(void)
{
	int sv[2];
	CALL("socket", close(CALLFD("socket inet stream", socket(AF_INET, SOCK_STREAM, 0))));
	CALLFD("socket bad family", socket(12345, SOCK_STREAM, 0));
	CALLFD("socket bad type", socket(AF_INET, 99, 0));
	CALLFD("socket bad protocol", socket(AF_INET, SOCK_STREAM, 99));
	CALL("socketpair unix", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	close(sv[0]);
	close(sv[1]);
	CALL("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
	CALL("socketpair bad pointer", socketpair(AF_UNIX, SOCK_STREAM, 0, BAD));
}

static void test_stream(void)
{
	struct sockaddr_in a = loopback(0), peer;
	socklen_t len;
	char buf[4096], small[3];
	int pfd[2];

	int l = CALLFD("socket listener", socket(AF_INET, SOCK_STREAM, 0));
	CALL("setsockopt SO_REUSEADDR", setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int)));
	CALL("setsockopt bad level", setsockopt(l, 9999, 1, &(int){ 1 }, sizeof(int)));
	CALL("setsockopt short optlen", setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, 1));
	CALL("setsockopt bad pointer", setsockopt(l, SOL_SOCKET, SO_REUSEADDR, BAD, sizeof(int)));
	CALL("bind truncated addrlen", bind(l, (struct sockaddr *)&a, 1));
	CALL("bind bad pointer", bind(l, BAD, sizeof(a)));
	CALL("bind too long addrlen", bind(l, (struct sockaddr *)&a, 1000));
	struct sockaddr weird = { .sa_family = 12345 };
	CALL("bind unknown family", bind(l, &weird, sizeof(weird)));
	CALL("bind", bind(l, (struct sockaddr *)&a, sizeof(a)));
	CALL("bind again", bind(l, (struct sockaddr *)&a, sizeof(a)));
	CALL("bind bad fd", bind(-1, (struct sockaddr *)&a, sizeof(a)));
	if (pipe(pfd) == 0) {
		CALL("bind not a socket", bind(pfd[0], (struct sockaddr *)&a, sizeof(a)));
		CALL("listen not a socket", listen(pfd[0], 1));
		CALL("send on a pipe", send(pfd[1], "x", 1, 0));
		CALL("write on a pipe", write(pfd[1], "xyz", 3));
		show_data("read on a pipe", buf, CALL("read on a pipe", read(pfd[0], buf, sizeof(buf))));
		close(pfd[0]);
		close(pfd[1]);
	}
	CALL("listen", listen(l, 8));
	CALL("listen bad fd", listen(12345, 8));
	int port = port_of(l);
	len = sizeof(peer);
	CALL("getsockname", getsockname(l, (struct sockaddr *)&peer, &len));
	printf("getsockname port matches %d len=%u\n", ntohs(peer.sin_port) == port, len);
	CALL("getsockname null len", getsockname(l, (struct sockaddr *)&peer, NULL));
	CALL("getsockname bad addr", getsockname(l, BAD, &len));
	len = 2;
	CALL("getsockname short len", getsockname(l, (struct sockaddr *)&peer, &len));
	printf("getsockname short len out=%u\n", len);
	CALL("getpeername unconnected", getpeername(l, (struct sockaddr *)&peer, &len));

	int c = CALLFD("socket client", socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in to = loopback(port), refused = loopback(closed_port());
	CALL("connect bad pointer", connect(c, BAD, sizeof(to)));
	CALL("connect refused", connect(c, (struct sockaddr *)&refused, sizeof(refused)));
	close(c);
	c = CALLFD("socket client 2", socket(AF_INET, SOCK_STREAM, 0));
	CALL("connect", connect(c, (struct sockaddr *)&to, sizeof(to)));
	CALL("connect again", connect(c, (struct sockaddr *)&to, sizeof(to)));
	len = sizeof(peer);
	int s = CALLFD("accept", accept(l, (struct sockaddr *)&peer, &len));
	printf("accept len=%u family=%d\n", len, peer.sin_family);
	len = sizeof(peer);
	CALL("getpeername", getpeername(c, (struct sockaddr *)&peer, &len));
	printf("getpeername port matches %d\n", ntohs(peer.sin_port) == port);

	CALL("send", send(c, "Hello, world", 12, 0));
	show_data("recv", buf, CALL("recv", recv(s, buf, sizeof(buf), 0)));
	CALL("recv nonblocking empty", recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	CALL("recv bad buffer", (send(c, "z", 1, 0), recv(s, BAD, 10, 0)));
	show_data("recv after bad buffer", buf, CALL("recv after bad", recv(s, buf, sizeof(buf), MSG_DONTWAIT)));
	CALL("send bad fd", send(-1, "x", 1, 0));
	CALL("send bad buffer", send(c, BAD, 10, 0));
	CALL("write socket", write(c, "abcdef", 6));
	show_data("read socket", buf, CALL("read socket", read(s, buf, sizeof(buf))));
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	CALL("writev socket", writev(c, iov, 2));
	char r1[2], r2[8];
	struct iovec riov[2] = { { r1, 2 }, { r2, 8 } };
	CALL("readv socket", readv(s, riov, 2));
	show_data("readv data", r2, 3);
	CALL("writev bad iov", writev(c, BAD, 2));
	CALL("read bad fd", read(-1, buf, 1));
	CALL("send", send(c, "fortified", 9, 0));
	show_data("__recv_chk", buf, CALL("__recv_chk", __recv_chk(s, buf, 4, sizeof(buf), 0)));
	show_data("__read_chk", buf, CALL("__read_chk", __read_chk(s, buf, 5, sizeof(buf))));
	CALL("peek nothing", recv(s, small, sizeof(small), MSG_PEEK | MSG_DONTWAIT));

	int v = 0;
	len = sizeof(v);
	CALL("getsockopt SO_REUSEADDR", getsockopt(l, SOL_SOCKET, SO_REUSEADDR, &v, &len));
	printf("getsockopt value=%d len=%u\n", v, len);
	struct linger lg;
	len = sizeof(lg);
	CALL("getsockopt SO_LINGER", getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &len));
	CALL("getsockopt TCP_NODELAY", getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	CALL("getsockopt null len", getsockopt(c, SOL_SOCKET, SO_TYPE, &v, NULL));
	CALL("getsockopt bad option", getsockopt(c, SOL_SOCKET, 9999, &v, &len));
	CALL("getsockopt bad fd", getsockopt(-1, SOL_SOCKET, SO_TYPE, &v, &len));

	CALL("fcntl F_GETFL", fcntl(c, F_GETFL) & O_NONBLOCK);
	CALL("fcntl F_SETFL nonblock", fcntl(c, F_SETFL, O_NONBLOCK | O_RDWR));
	CALL("fcntl F_GETFL after", fcntl(c, F_GETFL) & O_NONBLOCK);
	CALL("fcntl bad fd", fcntl(-1, F_GETFL));
	int d = CALLFD("fcntl F_DUPFD_CLOEXEC", fcntl(c, F_DUPFD_CLOEXEC, 0));
	CALL("close dupfd", close(d));
	CALL("ioctl FIONBIO off", ioctl(c, FIONBIO, &(int){ 0 }));
	CALL("ioctl FIONREAD", ioctl(s, FIONREAD, &v));
	CALL("ioctl bad fd", ioctl(-1, FIONBIO, &v));
	d = CALLFD("dup", dup(c));
	CALL("dup2", dup2(c, d) == d);
	CALL("dup3 same fd", dup3(c, c, 0));
	CALL("dup3 cloexec", dup3(c, d, O_CLOEXEC) == d);
	CALL("dup bad fd", dup(-1));
	CALL("send on dup", send(d, "dup", 3, 0));
	show_data("recv from dup", buf, CALL("recv from dup", recv(s, buf, sizeof(buf), 0)));
	CALL("close dup", close(d));

	/* sendfile from a file to the socket. */
	char path[] = "/tmp/sockscope-diff-XXXXXX";
	int f = mkstemp(path);
	if (f >= 0) {
		CALL("write file", write(f, "sendfile-data", 13));
		off_t off = 0;
		CALL("sendfile", sendfile(c, f, &off, 13));
		CALL("fcntl back to blocking", fcntl(s, F_SETFL, 0));
		show_data("recv sendfile", buf, CALL("recv sendfile", recv(s, buf, 13, MSG_WAITALL)));
		CALL("sendfile bad in fd", sendfile(c, -1, NULL, 10));
		close(f);
		unlink(path);
	}

	CALL("shutdown bad how", shutdown(c, 7));
	CALL("shutdown SHUT_WR", shutdown(c, SHUT_WR));
	CALL("recv eof", recv(s, buf, sizeof(buf), 0));
	CALL("shutdown unconnected", shutdown(l, SHUT_RDWR));
	CALL("accept nonblocking empty", accept4(l, NULL, NULL, SOCK_NONBLOCK) < 0 ? -1 : 0);
	CALL("accept4 bad flags", accept4(l, NULL, NULL, 0x7fff));
	CALL("accept bad fd", accept(-1, NULL, NULL));
	CALL("close", close(c));
	CALL("close again", close(c));
	CALL("close accepted", close(s));
	CALL("close listener", close(l));
}

static void test_dgram(void)
{
	struct sockaddr_in a = loopback(0), from;
	socklen_t len;
	char buf[256];

	int u1 = CALLFD("socket udp 1", socket(AF_INET, SOCK_DGRAM, 0));
	int u2 = CALLFD("socket udp 2", socket(AF_INET, SOCK_DGRAM, 0));
	bind(u1, (struct sockaddr *)&a, sizeof(a));
	struct sockaddr_in to = loopback(port_of(u1));
	CALL("sendto", sendto(u2, "datagram", 8, 0, (struct sockaddr *)&to, sizeof(to)));
	CALL("sendto bad address", sendto(u2, "x", 1, 0, BAD, sizeof(to)));
	CALL("sendto truncated addrlen", sendto(u2, "x", 1, 0, (struct sockaddr *)&to, 3));
	len = sizeof(from);
	show_data("recvfrom", buf, CALL("recvfrom", recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len)));
	printf("recvfrom len=%u family=%d\n", len, from.sin_family);
	CALL("sendto", sendto(u2, "again", 5, 0, (struct sockaddr *)&to, sizeof(to)));
	len = 4;
	CALL("recvfrom short addrlen", recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len));
	printf("recvfrom short addrlen out=%u\n", len);
	CALL("recvfrom nonblocking empty", recvfrom(u1, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL));
	CALL("sendto", sendto(u2, "chk", 3, 0, (struct sockaddr *)&to, sizeof(to)));
	len = sizeof(from);
	show_data("__recvfrom_chk", buf, CALL("__recvfrom_chk", __recvfrom_chk(u1, buf, sizeof(buf), sizeof(buf), 0, (struct sockaddr *)&from, &len)));

	/* sendmmsg / recvmmsg with two messages. */
	struct mmsghdr mv[2];
	struct iovec iv[2] = { { "one", 3 }, { "three", 5 } };
	memset(mv, 0, sizeof(mv));
	for (int i = 0; i < 2; i++) {
		mv[i].msg_hdr.msg_iov = &iv[i];
		mv[i].msg_hdr.msg_iovlen = 1;
		mv[i].msg_hdr.msg_name = &to;
		mv[i].msg_hdr.msg_namelen = sizeof(to);
	}
	CALL("sendmmsg", sendmmsg(u2, mv, 2, 0));
	char b1[16], b2[16];
	struct iovec rv[2] = { { b1, sizeof(b1) }, { b2, sizeof(b2) } };
	struct sockaddr_in n1, n2;
	memset(mv, 0, sizeof(mv));
	mv[0].msg_hdr = (struct msghdr){ .msg_iov = &rv[0], .msg_iovlen = 1, .msg_name = &n1, .msg_namelen = sizeof(n1) };
	mv[1].msg_hdr = (struct msghdr){ .msg_iov = &rv[1], .msg_iovlen = 1, .msg_name = &n2, .msg_namelen = sizeof(n2) };
	CALL("recvmmsg", recvmmsg(u1, mv, 2, MSG_WAITFORONE, NULL));
	printf("recvmmsg lens %u %u\n", mv[0].msg_len, mv[1].msg_len);
	CALL("recvmmsg bad vector", recvmmsg(u1, BAD, 2, MSG_DONTWAIT, NULL));
	CALL("sendmmsg bad fd", sendmmsg(-1, mv, 2, 0));
	close(u1);
	close(u2);
}

static void test_unix(void)
{
	int sv[2];
	char buf[64];
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/sockscope-diff-dir-XXXXXX";

	if (!mkdtemp(dir))
		return;
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/sock", dir);
	int l = CALLFD("socket unix", socket(AF_UNIX, SOCK_STREAM, 0));
	CALL("bind unix path", bind(l, (struct sockaddr *)&un, sizeof(un)));
	CALL("bind unix unnamed", bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&un, sizeof(sa_family_t)));
	/* A unix stream connection made: the preload asks its peer's pid
	 * (SO_PEERCRED) after connect and after accept; a datagram socket's
	 * connect too (no credentials there).  errno stays the sentinel. */
	CALL("listen unix", listen(l, 4));
	int uc = socket(AF_UNIX, SOCK_STREAM, 0);
	CALL("connect unix stream", connect(uc, (struct sockaddr *)&un, sizeof(un)));
	int ua = CALLFD("accept unix", accept(l, NULL, NULL));
	int un4 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CALL("connect unix nonblocking", connect(un4, (struct sockaddr *)&un, sizeof(un)));
	int ua4 = CALLFD("accept4 unix", accept4(l, NULL, NULL, SOCK_CLOEXEC));
	int ud = socket(AF_UNIX, SOCK_DGRAM, 0);
	CALL("connect unix dgram to stream", connect(ud, (struct sockaddr *)&un, sizeof(un)));
	close(ud);
	close(ua4);
	close(un4);
	close(ua);
	close(uc);
	struct sockaddr_un ab = { .sun_family = AF_UNIX };
	memcpy(ab.sun_path, "\0sockscope-diff", 15);
	int a = socket(AF_UNIX, SOCK_STREAM, 0);
	CALL("bind unix abstract", bind(a, (struct sockaddr *)&ab, (socklen_t)(sizeof(sa_family_t) + 15)));
	close(a);
	close(l);
	unlink(un.sun_path);
	rmdir(dir);

	/* SCM_RIGHTS: pass a pipe's read end over a socketpair. */
	int pfd[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(pfd))
		return;
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { "F", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &pfd[0], sizeof(int));
	CALL("sendmsg rights", sendmsg(sv[0], &m, 0));
	struct iovec riov = { buf, sizeof(buf) };
	struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	CALL("recvmsg rights", recvmsg(sv[1], &rm, 0));
	int got = -1;
	cm = CMSG_FIRSTHDR(&rm);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&got, CMSG_DATA(cm), sizeof(int));
	CALL("write pipe", write(pfd[1], "via-rights", 10));
	show_data("read passed fd", buf, CALL("read passed fd", read(got, buf, sizeof(buf))));
	CALL("recvmsg bad msghdr", recvmsg(sv[1], BAD, MSG_DONTWAIT));
	CALL("sendmsg bad msghdr", sendmsg(sv[0], BAD, 0));
	close(got);
	close(pfd[0]);
	close(pfd[1]);
	close(sv[0]);
	close(sv[1]);
}

/* How many of the descriptors 0..63 are open. */
static int open_count(void)
{
	int n = 0;

	for (int i = 0; i < 64; i++)
		n += fcntl(i, F_GETFD) >= 0;
	return n;
}

/* closefrom(lowfd) in a child, which reports how many low descriptors
 * are left open (its stdio is gone). */
static void closefrom_child(const char *what, int lowfd)
{
	pid_t pid = fork();

	if (pid == 0) {
		closefrom(lowfd);
		_exit(open_count());
	}
	int st = -1;
	waitpid(pid, &st, 0);
	printf("%-28s left open %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void test_close_family(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	int soft = rl.rlim_cur > INT_MAX ? INT_MAX : (int)rl.rlim_cur;

	CALL("dup2 high", dup2(s, 900));
	CALL("dup2 high 2", dup2(s, 901));
	CALL("close_range bad flags", close_range(900, 901, 0x40000000));
	CALL("close_range flags -1", close_range(900, 901, -1));
	CALL("close_range flag 8", close_range(900, 901, 8));
	CALL("close_range reversed", close_range(901, 900, 0));
	CALL("close_range first 2^31", close_range(0x80000000u, ~0u, 0));
	CALL("close_range both above 2^31", close_range(0x80000000u, 0x80000001u, 0));
	CALL("close_range ~0 ~0", close_range(~0u, ~0u, 0));
	CALL("close_range ~0 ~0 cloexec", close_range(~0u, ~0u, CLOSE_RANGE_CLOEXEC));
	CALL("close_range reversed cloexec", close_range(901, 900, CLOSE_RANGE_CLOEXEC));
	CALL("close_range cloexec", close_range(900, 901, CLOSE_RANGE_CLOEXEC));
	CALL("fcntl cloexec set", fcntl(900, F_GETFD));
	CALL("fcntl cloexec set 2", fcntl(901, F_GETFD));
	CALL("close_range", close_range(900, 900, 0));
	CALL("fcntl closed by close_range", fcntl(900, F_GETFD));
	CALL("fcntl still open", fcntl(901, F_GETFD) >= 0);
	CALL("dup2 high 3", dup2(s, 902));
	CALL("close_range unshare", close_range(902, 902, CLOSE_RANGE_UNSHARE));
	CALL("fcntl closed by unshare", fcntl(902, F_GETFD));
	CALL("dup2 high 4", dup2(s, 903));
	CALL("close_range unshare cloexec", close_range(903, 903, CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC));
	CALL("fcntl unshare cloexec", fcntl(903, F_GETFD));
	CALL("close_range past the end", close_range(903, ~0u, 0));
	CALL("fcntl closed to the end", fcntl(903, F_GETFD));
	errno = SENTINEL;
	closefrom(901);
	line("closefrom", 0, errno, 0, "");
	CALL("fcntl closed by closefrom", fcntl(901, F_GETFD));
	CALL("socket still open", fcntl(s, F_GETFD) >= 0);
	errno = SENTINEL;
	closefrom(INT_MAX);
	line("closefrom INT_MAX", 0, errno, 0, "");
	CALL("socket open after INT_MAX", fcntl(s, F_GETFD) >= 0);
	closefrom_child("closefrom -1", -1);
	closefrom_child("closefrom INT_MIN", INT_MIN);
	closefrom_child("closefrom 0", 0);
	closefrom_child("closefrom 3", 3);

	/* The argument checks of the dup family and F_DUPFD. */
	CALL("dup2 same fd", dup2(s, s) == s);
	CALL("dup2 same bad fd", dup2(-1, -1));
	CALL("dup2 same closed fd", dup2(905, 905));
	CALL("dup2 negative newfd", dup2(s, -1));
	CALL("dup2 newfd at soft limit", dup2(s, soft));
	CALL("dup2 newfd INT_MAX", dup2(s, INT_MAX));
	CALL("dup3 bad flags", dup3(s, 906, 0x40));
	CALL("dup3 same bad fd", dup3(-1, -1, 0));
	CALL("dup3 negative newfd", dup3(s, -1, 0));
	CALL("dup3 newfd at soft limit", dup3(s, soft, 0));
	CALL("fcntl F_DUPFD negative", fcntl(s, F_DUPFD, -5));
	CALL("fcntl F_DUPFD at soft limit", fcntl(s, F_DUPFD, soft));
	CALL("fcntl F_DUPFD INT_MAX", fcntl(s, F_DUPFD_CLOEXEC, INT_MAX));
	CALL("fcntl F_DUPFD bad fd", fcntl(-1, F_DUPFD, 0));
	int d = (int)CALL("fcntl F_DUPFD 910", fcntl(s, F_DUPFD, 910));
	CALL("close F_DUPFD 910", close(d));
	CALL("close negative", close(-5));
	CALL("close INT_MAX", close(INT_MAX));
	close(s);
}

/* A socket closed inside libc (fclose of fdopen) and its number reused by
 * open(): reads on it are a file's reads. */
static void test_reuse(void)
{
	char buf[64];
	int s = socket(AF_INET, SOCK_STREAM, 0);
	FILE *f = fdopen(s, "r+");
	CALL("fclose socket stream", fclose(f));
	int fd = CALLFD("open reuses number", open("/etc/hostname", O_RDONLY));
	printf("reused same number %d\n", fd == s);
	CALL("read reused", read(fd, buf, 1) >= 0);
	close(fd);
}

static void test_eintr(void)
{
	int sv[2];
	char buf[8];
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct itimerval it = { .it_value = { 0, 100000 } };

	sigaction(SIGALRM, &sa, NULL);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setitimer(ITIMER_REAL, &it, NULL);
	CALL("recv interrupted", recv(sv[0], buf, sizeof(buf), 0));
	setitimer(ITIMER_REAL, &it, NULL);
	CALL("read interrupted", read(sv[0], buf, sizeof(buf)));
	close(sv[0]);
	close(sv[1]);
}

static void test_names(void)
{
	char buf[8192], host[256], serv[64];
	struct hostent he, *res;
	struct servent se, *sres;
	int herr;

	struct hostent *h = gethostbyname("localhost");
	printf("gethostbyname localhost %s\n", h ? inet_ntoa(*(struct in_addr *)h->h_addr_list[0]) : "NULL");
	h = gethostbyname("no-such-host.invalid");
	printf("gethostbyname invalid %s h_errno=%s\n", h ? "found" : "NULL", ss_herrno_name(h_errno));
	h = gethostbyname("127.0.0.1");
	printf("gethostbyname numeric %s\n", h ? inet_ntoa(*(struct in_addr *)h->h_addr_list[0]) : "NULL");
	h = gethostbyname2("localhost", AF_INET);
	printf("gethostbyname2 %s\n", h ? "found" : "NULL");
	CALL("gethostbyname_r", gethostbyname_r("localhost", &he, buf, sizeof(buf), &res, &herr));
	printf("gethostbyname_r result %s\n", res ? "found" : "NULL");
	CALL("gethostbyname_r small", gethostbyname_r("localhost", &he, buf, 4, &res, &herr));
	CALL("gethostbyname2_r", gethostbyname2_r("localhost", AF_INET, &he, buf, sizeof(buf), &res, &herr));
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	h = gethostbyaddr(&lo, sizeof(lo), AF_INET);
	printf("gethostbyaddr %s\n", h ? "found" : "NULL");
	CALL("gethostbyaddr_r", gethostbyaddr_r(&lo, sizeof(lo), AF_INET, &he, buf, sizeof(buf), &res, &herr));
	CALL("gethostbyaddr bad len", gethostbyaddr(&lo, 1, AF_INET) == NULL);
	CALL("gethostname", gethostname(host, sizeof(host)));
	CALL("gethostname short", gethostname(host, 1));
	struct servent *s = getservbyname("http", "tcp");
	printf("getservbyname http %d\n", s ? ntohs((uint16_t)s->s_port) : -1);
	s = getservbyname("no-such-service", "tcp");
	printf("getservbyname unknown %s\n", s ? "found" : "NULL");
	CALL("getservbyname_r", getservbyname_r("ssh", "tcp", &se, buf, sizeof(buf), &sres));
	printf("getservbyname_r %d\n", sres ? ntohs((uint16_t)sres->s_port) : -1);
	s = getservbyport(htons(443), "tcp");
	printf("getservbyport 443 %s\n", s ? s->s_name : "NULL");
	s = getservbyport(htons(1), "udp");
	printf("getservbyport 1/udp %s\n", s ? s->s_name : "NULL");
	CALL("getservbyport_r", getservbyport_r(htons(22), "tcp", &se, buf, sizeof(buf), &sres));
	printf("getservbyport_r %s\n", sres ? sres->s_name : "NULL");
	CALL("getservbyport_r small", getservbyport_r(htons(22), "tcp", &se, buf, 2, &sres));
	struct addrinfo *ai = NULL, hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	CALL("getaddrinfo", getaddrinfo("localhost", "50007", &hints, &ai));
	if (ai) {
		CALL("getnameinfo", getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV));
		printf("getnameinfo %s %s\n", host, serv);
		freeaddrinfo(ai);
	}
	CALL("getaddrinfo unknown", getaddrinfo("no-such-host.invalid", NULL, &hints, &ai) != 0);
	CALL("getaddrinfo bad flags", getaddrinfo("localhost", NULL, &(struct addrinfo){ .ai_flags = 0x7fff0000 }, &ai));
	CALL("getnameinfo bad family", getnameinfo((struct sockaddr *)&(struct sockaddr){ .sa_family = 12345 }, sizeof(struct sockaddr), host, sizeof(host), NULL, 0, 0));
}

/*
 * prctl as the preload wraps it: options it only passes on, and a seccomp
 * mode the kernel refuses (no sandbox, tracing goes on).  vfork: the child
 * closes and duplicates its own descriptors and exits; the parent's socket
 * pair still works.
 */
static __attribute__((noinline)) pid_t vfork_child(int keep, int drop)
{
	pid_t pid = vfork();

	if (pid == 0) {
		dup2(keep, drop);
		close(keep);
		close_range(3, ~0u, 0);
		_exit(5);
	}
	return pid;
}

static void test_prctl_vfork(void)
{
	char name[16] = "", buf[8];
	int sv[2], st = -1;

	CALL("prctl PR_SET_NAME", prctl(PR_SET_NAME, "ss-diff-x", 0, 0, 0));
	CALL("prctl PR_GET_NAME", prctl(PR_GET_NAME, name, 0, 0, 0));
	printf("prctl name %s\n", name);
	CALL("prctl PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	CALL("prctl bad option", prctl(-1, 0, 0, 0, 0));
	CALL("prctl PR_SET_SECCOMP bad mode", prctl(PR_SET_SECCOMP, 99, 0, 0, 0));
	CALL("prctl PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	CALL("socketpair for vfork", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid_t pid = vfork_child(sv[0], sv[1]);
	printf("vfork %s\n", pid > 0 ? "child" : "failed");
	waitpid(pid, &st, 0);
	printf("vfork child status %d\n", WEXITSTATUS(st));
	CALL("send after vfork", send(sv[0], "vf", 2, 0));
	show_data("recv after vfork", buf, CALL("recv after vfork", recv(sv[1], buf, sizeof(buf), 0)));
	close(sv[0]);
	close(sv[1]);
}

/*
 * A sandbox that refuses process_vm_readv (seccomp, as some services and
 * browsers run): the preload reads the caller's address length with it
 * before a call that writes an address back.  The calls succeed, and errno
 * must stay at the sentinel as it does bare.  In a child: a seccomp filter
 * cannot be taken back.
 */
static void test_refused_peek(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
		struct sockaddr_in sa = loopback(0), from;
		socklen_t len = sizeof(sa);
		char c;
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
			_exit(1);
		CALL("getsockname, peek refused", getsockname(fd, (struct sockaddr *)&sa, &len));
		sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, len);
		len = sizeof(from);
		CALL("recvfrom, peek refused", recvfrom(fd, &c, 1, 0, (struct sockaddr *)&from, &len));
		fflush(stdout);
		_exit(0);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	printf("sandboxed child status %d\n", st);
}

/*
 * The same calls made with libc's syscall(), as libuv makes some of them:
 * each routed number on its success and failure paths, commands of fcntl
 * and ioctl that go straight through, and numbers that are not routed.
 * syscall() reports failure as -1 and errno, like the wrappers.
 */
static void test_raw_syscall(void)
{
	struct sockaddr_in a = loopback(0), peer;
	socklen_t len = sizeof(peer);
	char buf[256];
	int sv[2], one = 1, v = 0;

	int l = CALLFD("raw socket", syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
	CALL("raw socket bad family", syscall(SYS_socket, 12345, SOCK_STREAM, 0));
	CALL("raw socketpair", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv));
	CALL("raw socketpair bad pointer", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD));
	CALL("raw setsockopt", syscall(SYS_setsockopt, l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	CALL("raw setsockopt bad level", syscall(SYS_setsockopt, l, 9999, 1, &one, sizeof(one)));
	CALL("raw bind bad pointer", syscall(SYS_bind, l, BAD, sizeof(a)));
	CALL("raw bind", syscall(SYS_bind, l, &a, sizeof(a)));
	CALL("raw bind again", syscall(SYS_bind, l, &a, sizeof(a)));
	CALL("raw listen", syscall(SYS_listen, l, 8));
	CALL("raw listen bad fd", syscall(SYS_listen, 12345, 8));
	CALL("raw getsockname", syscall(SYS_getsockname, l, &peer, &len));
	printf("raw getsockname len=%u\n", len);
	CALL("raw getsockname bad addr", syscall(SYS_getsockname, l, BAD, &len));
	CALL("raw getpeername unconnected", syscall(SYS_getpeername, l, &peer, &len));
	struct sockaddr_in to = loopback(ntohs(peer.sin_port));
	int c = CALLFD("raw socket client", syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
	CALL("raw connect bad pointer", syscall(SYS_connect, c, BAD, sizeof(to)));
	CALL("raw connect", syscall(SYS_connect, c, &to, sizeof(to)));
	CALL("raw connect again", syscall(SYS_connect, c, &to, sizeof(to)));
	len = sizeof(peer);
	int s = CALLFD("raw accept", syscall(SYS_accept, l, &peer, &len));
	printf("raw accept len=%u family=%d\n", len, peer.sin_family);
	CALL("raw accept4 bad flags", syscall(SYS_accept4, l, NULL, NULL, 0x7fff));
	CALL("raw ioctl FIONBIO listener", syscall(SYS_ioctl, l, FIONBIO, &one));
	CALL("raw accept4 empty", syscall(SYS_accept4, l, NULL, NULL, SOCK_CLOEXEC));
	CALL("raw accept bad fd", syscall(SYS_accept, -1, NULL, NULL));
	len = sizeof(peer);
	CALL("raw getpeername", syscall(SYS_getpeername, c, &peer, &len));

	CALL("raw sendto", syscall(SYS_sendto, c, "Hello, raw", 10, 0, NULL, 0));
	show_data("raw recvfrom", buf, CALL("raw recvfrom", syscall(SYS_recvfrom, s, buf, sizeof(buf), 0, NULL, NULL)));
	CALL("raw recvfrom empty", syscall(SYS_recvfrom, s, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL));
	CALL("raw sendto bad buffer", syscall(SYS_sendto, c, BAD, 10, 0, NULL, 0));
	CALL("raw sendto bad fd", syscall(SYS_sendto, -1, "x", 1, 0, NULL, 0));
	CALL("raw write", syscall(SYS_write, c, "abcdef", 6));
	show_data("raw read", buf, CALL("raw read", syscall(SYS_read, s, buf, sizeof(buf))));
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	CALL("raw writev", syscall(SYS_writev, c, iov, 2));
	char r1[2], r2[8];
	struct iovec riov[2] = { { r1, 2 }, { r2, 8 } };
	CALL("raw readv", syscall(SYS_readv, s, riov, 2));
	show_data("raw readv data", r2, 3);
	CALL("raw writev bad iov", syscall(SYS_writev, c, BAD, 2));
	CALL("raw read bad fd", syscall(SYS_read, -1, buf, 1));
	CALL("raw write bad fd", syscall(SYS_write, -1, "x", 1));
	struct iovec miov = { "msg", 3 };
	struct msghdr m = { .msg_iov = &miov, .msg_iovlen = 1 };
	CALL("raw sendmsg", syscall(SYS_sendmsg, c, &m, 0));
	struct iovec rmiov = { buf, sizeof(buf) };
	struct msghdr rm = { .msg_iov = &rmiov, .msg_iovlen = 1 };
	show_data("raw recvmsg", buf, CALL("raw recvmsg", syscall(SYS_recvmsg, s, &rm, 0)));
	CALL("raw sendmsg bad msghdr", syscall(SYS_sendmsg, c, BAD, 0));
	CALL("raw recvmsg bad msghdr", syscall(SYS_recvmsg, s, BAD, MSG_DONTWAIT));
	len = sizeof(v);
	CALL("raw getsockopt SO_TYPE", syscall(SYS_getsockopt, c, SOL_SOCKET, SO_TYPE, &v, &len));
	printf("raw getsockopt value=%d len=%u\n", v, len);
	CALL("raw getsockopt bad option", syscall(SYS_getsockopt, c, SOL_SOCKET, 9999, &v, &len));

	CALL("raw fcntl F_GETFL", syscall(SYS_fcntl, c, F_GETFL) & O_NONBLOCK);
	CALL("raw fcntl F_SETFL nonblock", syscall(SYS_fcntl, c, F_SETFL, O_NONBLOCK | O_RDWR));
	CALL("raw fcntl F_SETFL bad fd", syscall(SYS_fcntl, -1, F_SETFL, 0));
	CALL("raw fcntl F_GETOWN", syscall(SYS_fcntl, c, F_GETOWN));
	CALL("raw fcntl F_SETOWN group", syscall(SYS_fcntl, c, F_SETOWN, -getpgrp()));
	CALL("raw fcntl F_GETOWN group", syscall(SYS_fcntl, c, F_GETOWN) == -getpgrp());
	struct flock fl = { .l_type = F_RDLCK };
	CALL("raw fcntl F_GETLK on socket", syscall(SYS_fcntl, c, F_GETLK, &fl));
	int d = CALLFD("raw fcntl F_DUPFD_CLOEXEC", syscall(SYS_fcntl, c, F_DUPFD_CLOEXEC, 0));
	CALL("raw close dupfd", syscall(SYS_close, d));
	CALL("raw fcntl F_DUPFD bad fd", syscall(SYS_fcntl, -1, F_DUPFD, 0));
	CALL("raw ioctl FIONBIO off", syscall(SYS_ioctl, c, FIONBIO, &(int){ 0 }));
	CALL("raw ioctl FIONBIO bad pointer", syscall(SYS_ioctl, c, FIONBIO, BAD));
	CALL("raw ioctl FIONREAD", syscall(SYS_ioctl, s, FIONREAD, &v));
	CALL("raw ioctl bad fd", syscall(SYS_ioctl, -1, FIONBIO, &v));
	d = CALLFD("raw dup", syscall(SYS_dup, c));
	CALL("raw dup2", syscall(SYS_dup2, c, d) == d);
	CALL("raw dup2 same fd", syscall(SYS_dup2, c, c) == c);
	CALL("raw dup3 same fd", syscall(SYS_dup3, c, c, 0));
	CALL("raw dup3 cloexec", syscall(SYS_dup3, c, d, O_CLOEXEC) == d);
	CALL("raw dup bad fd", syscall(SYS_dup, -1));
	CALL("raw send on dup", syscall(SYS_sendto, d, "dup", 3, 0, NULL, 0));
	show_data("raw recv from dup", buf, CALL("raw recv from dup", syscall(SYS_recvfrom, s, buf, sizeof(buf), 0, NULL, NULL)));
	CALL("raw close dup", syscall(SYS_close, d));

	char path[] = "/tmp/sockscope-diff-raw-XXXXXX";
	int f = mkstemp(path);
	if (f >= 0) {
		CALL("raw write file", syscall(SYS_write, f, "sendfile-data", 13));
		off_t off = 0;
		CALL("raw sendfile", syscall(SYS_sendfile, c, f, &off, 13));
		show_data("raw recv sendfile", buf, CALL("raw recv sendfile", syscall(SYS_recvfrom, s, buf, 13, MSG_WAITALL, NULL, NULL)));
		CALL("raw sendfile bad in fd", syscall(SYS_sendfile, c, -1, NULL, 10));
		CALL("raw close file", syscall(SYS_close, f));
		unlink(path);
	}
	CALL("raw shutdown bad how", syscall(SYS_shutdown, c, 7));
	CALL("raw shutdown SHUT_WR", syscall(SYS_shutdown, c, SHUT_WR));
	CALL("raw recv eof", syscall(SYS_recvfrom, s, buf, sizeof(buf), 0, NULL, NULL));

	/* Datagrams in batches, as libuv sends and receives them. */
	int u1 = CALLFD("raw socket udp", syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0));
	int u2 = CALLFD("raw socket udp 2", syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0));
	CALL("raw bind udp", syscall(SYS_bind, u1, &a, sizeof(a)));
	len = sizeof(to);
	syscall(SYS_getsockname, u1, &to, &len);
	struct mmsghdr mv[2];
	struct iovec iv[2] = { { "one", 3 }, { "three", 5 } };
	memset(mv, 0, sizeof(mv));
	for (int i = 0; i < 2; i++)
		mv[i].msg_hdr = (struct msghdr){ .msg_iov = &iv[i], .msg_iovlen = 1, .msg_name = &to, .msg_namelen = sizeof(to) };
	CALL("raw sendmmsg", syscall(SYS_sendmmsg, u2, mv, 2, 0));
	char b1[16], b2[16];
	struct iovec rv[2] = { { b1, sizeof(b1) }, { b2, sizeof(b2) } };
	memset(mv, 0, sizeof(mv));
	for (int i = 0; i < 2; i++)
		mv[i].msg_hdr = (struct msghdr){ .msg_iov = &rv[i], .msg_iovlen = 1 };
	CALL("raw recvmmsg", syscall(SYS_recvmmsg, u1, mv, 2, MSG_WAITFORONE, NULL));
	printf("raw recvmmsg lens %u %u\n", mv[0].msg_len, mv[1].msg_len);
	CALL("raw recvmmsg bad vector", syscall(SYS_recvmmsg, u1, BAD, 2, MSG_DONTWAIT, NULL));
	CALL("raw sendmmsg bad fd", syscall(SYS_sendmmsg, -1, mv, 2, 0));

	/* close_range over two copies at high numbers; then plain closes. */
	CALL("raw dup2 high", syscall(SYS_dup2, c, 910) == 910);
	CALL("raw dup2 high 2", syscall(SYS_dup2, c, 911) == 911);
	CALL("raw close_range reversed", syscall(SYS_close_range, 911, 910, 0));
	CALL("raw close_range bad flags", syscall(SYS_close_range, 910, 911, 0x40000000));
	CALL("raw close_range", syscall(SYS_close_range, 910, 911, 0));
	CALL("raw fcntl after close_range", syscall(SYS_fcntl, 910, F_GETFD));
	CALL("raw close", syscall(SYS_close, c));
	CALL("raw close again", syscall(SYS_close, c));
	CALL("raw close socketpair", syscall(SYS_close, sv[0]) | syscall(SYS_close, sv[1]));
	CALL("raw close accepted", syscall(SYS_close, s));
	CALL("raw close listener", syscall(SYS_close, l));
	CALL("raw close udp", syscall(SYS_close, u1) | syscall(SYS_close, u2));
	CALL("raw close bad fd", syscall(SYS_close, -1));

	/* Numbers that are not routed pass through unchanged. */
	CALL("raw getpid", syscall(SYS_getpid) == getpid());
	CALL("raw prctl PR_GET_DUMPABLE", syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0));
	CALL("raw prctl bad option", syscall(SYS_prctl, -1, 0, 0, 0, 0));
	CALL("raw futex bad op", syscall(SYS_futex, &v, 0x7f, 0, NULL, NULL, 0));
	CALL("raw unknown number", syscall(100000));
	CALL("raw negative number", syscall(-1));
}

/* The listener of test_ready and what it accepted, kept open to the end. */
static int ready_listener = -1, accepted[32], naccepted;

/*
 * A non-blocking connect to 127.0.0.1:port (a port nobody listens on is
 * refused, later or at once: the line says "in progress or done" for both,
 * normalized).  One to the listener is accepted before it returns, so that
 * the readiness calls that follow find it connected whenever they run (the
 * preload has not seen it so yet: it learns from them).
 */
static int connecting(const char *what, int port)
{
	struct sockaddr_in to = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	errno = SENTINEL;
	int r = connect(s, (struct sockaddr *)&to, sizeof(to));
	printf("%-28s %s\n", what,
	       r == 0 || errno == EINPROGRESS ? "in progress or done" : ss_errno_name(errno));
	if (port == port_of(ready_listener) && naccepted < 32)
		accepted[naccepted++] = accept(ready_listener, NULL, NULL);
	return s;
}

/* The outcome of a connect, as the program asks for it. */
static void so_error(const char *what, int s)
{
	int v = -1;
	socklen_t len = sizeof(v);
	CALL(what, getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len));
	printf("%-28s so_error=%s\n", what, ss_errno_name(v));
}

static void show_poll(const char *what, const struct pollfd *p, int n)
{
	printf("%-28s revents", what);
	for (int i = 0; i < n; i++)
		printf(" %#x", (unsigned int)p[i].revents);
	printf("\n");
}

static void show_sets(const char *what, int fd, const fd_set *r, const fd_set *w, const fd_set *e)
{
	printf("%-28s in read %d write %d except %d\n", what, r && FD_ISSET(fd, r),
	       w && FD_ISSET(fd, w), e && FD_ISSET(fd, e));
}

static void show_events(const char *what, const struct epoll_event *ev, long n)
{
	printf("%-28s events", what);
	for (long i = 0; i < n; i++)
		printf(" %#x:%#llx", ev[i].events, (unsigned long long)ev[i].data.u64);
	printf("\n");
}

/*
 * The readiness calls the preload looks into while a socket connects:
 * each reports a connecting socket (accepted, or refused), together with
 * sockets that are not connecting, and fails in its ways; through libc's
 * functions and through syscall().  What they return and write back must
 * be the kernel's.
 */
static void test_ready(void)
{
	int l = socket(AF_INET, SOCK_STREAM, 0), sv[2];
	struct sockaddr_in a = loopback(0);
	bind(l, (struct sockaddr *)&a, sizeof(a));
	listen(l, 64);
	ready_listener = l;
	int port = port_of(l), closed = closed_port();
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	send(sv[0], "r", 1, 0);
	struct timespec ts = { 5, 0 }, bad_ts = { 0, 2000000000 };
	struct timeval tv = { 5, 0 };
	sigset_t none;
	sigemptyset(&none);

	/* poll family: the connecting socket among others. */
	int c = connecting("connect nonblocking", port);
	struct pollfd p[3] = { { sv[1], POLLIN, 0 }, { c, POLLOUT, 0 }, { -1, POLLIN, 0 } };
	CALL("poll connecting", poll(p, 3, 5000));
	show_poll("poll connecting", p, 3);
	CALL("poll again", poll(p, 3, 0));
	show_poll("poll again", p, 3);
	so_error("so_error after poll", c);
	close(c);
	c = connecting("connect refused nonblocking", closed);
	p[1].fd = c;
	CALL("poll refused", poll(p + 1, 1, 5000));
	show_poll("poll refused", p + 1, 1);
	so_error("so_error refused", c);
	close(c);
	c = connecting("connect for ppoll", port);
	p[1].fd = c;
	CALL("ppoll connecting", ppoll(p, 2, &ts, &none));
	show_poll("ppoll connecting", p, 2);
	close(c);
	c = connecting("connect for __poll_chk", port);
	p[1].fd = c;
	CALL("__poll_chk connecting", __poll_chk(p, 2, 5000, sizeof(p)));
	show_poll("__poll_chk connecting", p, 2);
	close(c);
	c = connecting("connect for __ppoll_chk", port);
	p[1].fd = c;
	CALL("__ppoll_chk connecting", __ppoll_chk(p, 2, &ts, NULL, sizeof(p)));
	show_poll("__ppoll_chk connecting", p, 2);
	CALL("poll nothing ready", poll(p + 2, 1, 0));
	if (PLAIN_BUILD)
		CALL("poll bad pointer", poll(BAD, 1, 0));
	if (PLAIN_BUILD)
		CALL("poll too many", poll(p, too_many, 0));
	CALL("ppoll bad timeout", ppoll(p, 2, &bad_ts, NULL));
	close(c);

	/* select family: the three sets. */
	fd_set r, w, e;
	c = connecting("connect for select", port);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(sv[1], &r);
	FD_SET(c, &w);
	FD_SET(c, &e);
	int n = (c > sv[1] ? c : sv[1]) + 1;
	CALL("select connecting", select(n, &r, &w, &e, &tv));
	show_sets("select connecting", c, &r, &w, &e);
	show_sets("select connecting other", sv[1], &r, &w, &e);
	close(c);
	c = connecting("connect refused for select", closed);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(c, &r);
	FD_SET(c, &w);
	n = c + 1;
	CALL("select refused", select(n, &r, &w, NULL, &tv));
	show_sets("select refused", c, &r, &w, NULL);
	close(c);
	c = connecting("connect for pselect", port);
	FD_ZERO(&w);
	FD_SET(c, &w);
	CALL("pselect connecting", pselect(c + 1, NULL, &w, NULL, &ts, &none));
	show_sets("pselect connecting", c, NULL, &w, NULL);
	CALL("select nothing ready", select(0, NULL, NULL, NULL, &(struct timeval){ 0, 0 }));
	CALL("select negative", select(-1, NULL, NULL, NULL, &tv));
	int dead = dup(0);
	close(dead);
	FD_ZERO(&r);
	FD_SET(dead, &r);
	CALL("select closed fd", select(dead + 1, &r, NULL, NULL, &tv));
	CALL("pselect bad timeout", pselect(1, NULL, NULL, NULL, &bad_ts, NULL));
	close(c);

	/* epoll: the caller's data comes back, whatever it is. */
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { EPOLLIN, { .u64 = 0x1234567890abcdefull } }, out[4];
	CALL("epoll_ctl add pair", epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev));
	c = connecting("connect for epoll_wait", port);
	ev = (struct epoll_event){ EPOLLOUT, { .ptr = (void *)(uintptr_t)0xfeedf00d } };
	CALL("epoll_ctl add connecting", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	CALL("epoll_ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	ev.data.u64 = 77;
	CALL("epoll_ctl mod connecting", epoll_ctl(ep, EPOLL_CTL_MOD, c, &ev));
	long k = CALL("epoll_wait connecting", epoll_wait(ep, out, 4, 5000));
	show_events("epoll_wait connecting", out, k);
	CALL("epoll_ctl del connecting", epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL));
	CALL("epoll_ctl del again", epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL));
	close(c);
	c = connecting("connect refused for epoll", closed);
	ev = (struct epoll_event){ EPOLLOUT, { .u64 = 5 } };
	CALL("epoll_ctl add refused", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	CALL("epoll_ctl del pair", epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL));
	k = CALL("epoll_pwait refused", epoll_pwait(ep, out, 4, 5000, &none));
	show_events("epoll_pwait refused", out, k);
	so_error("so_error epoll refused", c);
	close(c);
	c = connecting("connect for epoll_pwait2", port);
	ev = (struct epoll_event){ EPOLLOUT | EPOLLET, { .u64 = 6 } };
	CALL("epoll_ctl add for pwait2", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	k = CALL("epoll_pwait2 connecting", epoll_pwait2(ep, out, 4, &ts, NULL));
	show_events("epoll_pwait2 connecting", out, k);
	CALL("epoll_wait edge gone", epoll_wait(ep, out, 4, 0));
	CALL("epoll_ctl bad epfd", epoll_ctl(-1, EPOLL_CTL_ADD, c, &ev));
	CALL("epoll_ctl bad op", epoll_ctl(ep, 99, c, &ev));
	CALL("epoll_ctl bad event", epoll_ctl(ep, EPOLL_CTL_MOD, c, BAD));
	CALL("epoll_ctl self", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
	CALL("epoll_wait bad epfd", epoll_wait(-1, out, 4, 0));
	CALL("epoll_wait zero max", epoll_wait(ep, out, 0, 0));
	CALL("epoll_wait not epoll", epoll_wait(sv[0], out, 4, 0));
	ev.events = EPOLLOUT;
	CALL("epoll_ctl mod level", epoll_ctl(ep, EPOLL_CTL_MOD, c, &ev));
	if (PLAIN_BUILD)
		CALL("epoll_wait bad buffer", epoll_wait(ep, BAD, 4, 0));
	CALL("epoll_pwait2 bad timeout", epoll_pwait2(ep, out, 4, &bad_ts, NULL));
	close(c);

	/* The same through syscall(), as libuv and others make them. */
	c = connecting("raw connect for poll", port);
	p[1] = (struct pollfd){ c, POLLOUT, 0 };
	CALL("raw poll connecting", syscall(SYS_poll, p, 2, 5000));
	show_poll("raw poll connecting", p, 2);
	close(c);
	c = connecting("raw connect for ppoll", port);
	p[1].fd = c;
	CALL("raw ppoll connecting", syscall(SYS_ppoll, p, 2, &ts, &none, (size_t)8));
	show_poll("raw ppoll connecting", p, 2);
	CALL("raw ppoll bad sigsetsize", syscall(SYS_ppoll, p, 2, &ts, &none, (size_t)3));
	close(c);
	c = connecting("raw connect for select", port);
	FD_ZERO(&w);
	FD_SET(c, &w);
	CALL("raw select connecting", syscall(SYS_select, c + 1, NULL, &w, NULL, &tv));
	show_sets("raw select connecting", c, NULL, &w, NULL);
	close(c);
	c = connecting("raw connect for pselect6", port);
	FD_ZERO(&w);
	FD_SET(c, &w);
	struct { const sigset_t *m; size_t size; } sig = { &none, 8 };
	CALL("raw pselect6 connecting", syscall(SYS_pselect6, c + 1, NULL, &w, NULL, &ts, &sig));
	show_sets("raw pselect6 connecting", c, NULL, &w, NULL);
	close(c);
	c = connecting("raw connect for epoll_wait", port);
	ev = (struct epoll_event){ EPOLLOUT, { .u64 = 8 } };
	CALL("raw epoll_ctl add", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, c, &ev));
	k = CALL("raw epoll_wait connecting", syscall(SYS_epoll_wait, ep, out, 4, 5000));
	show_events("raw epoll_wait connecting", out, k);
	CALL("raw epoll_ctl del", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, c, NULL));
	close(c);
	c = connecting("raw connect for epoll_pwait", closed);
	ev.data.u64 = 9;
	CALL("raw epoll_ctl add refused", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, c, &ev));
	k = CALL("raw epoll_pwait refused", syscall(SYS_epoll_pwait, ep, out, 4, 5000, &none, (size_t)8));
	show_events("raw epoll_pwait refused", out, k);
	CALL("raw epoll_ctl bad op", syscall(SYS_epoll_ctl, ep, 99, c, &ev));
	close(c);
	c = connecting("raw connect for epoll_pwait2", port);
	ev.data.u64 = 10;
	CALL("raw epoll_ctl add pwait2", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, c, &ev));
	k = CALL("raw epoll_pwait2 connecting", syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, (size_t)8));
	show_events("raw epoll_pwait2 connecting", out, k);
	CALL("raw epoll_wait bad epfd", syscall(SYS_epoll_wait, -1, out, 4, 0));
	CALL("raw poll bad pointer", syscall(SYS_poll, BAD, 1, 0));
	close(c);
	close(ep);
	close(sv[0]);
	close(sv[1]);
	while (naccepted)
		close(accepted[--naccepted]);
	close(l);
}

/* ss-diff [libc|raw|ready]: every case, or only those through libc's
 * functions, or only those through syscall(), or only the readiness calls
 * (the trace tests count events of each). */
int main(int argc, char **argv)
{
	int libc = argc < 2 || !strcmp(argv[1], "libc"), raw = argc < 2 || !strcmp(argv[1], "raw");
	int ready = argc < 2 || !strcmp(argv[1], "ready");

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (libc) {
		test_create();
		test_stream();
		test_dgram();
		test_unix();
		test_close_family();
		test_reuse();
		test_eintr();
		test_names();
		test_prctl_vfork();
	}
	if (raw)
		test_raw_syscall();
	if (ready)
		test_ready();
	if (libc)
		test_refused_peek();
	puts("done");
	return 0;
}
