// SPDX-License-Identifier: MIT
/*
 * Scenario program for the trace tests: each mode makes a known set of
 * socket calls whose events the tests then count and check.
 *
 *   threads N M     N threads, each M getsockopt calls on its own socket
 *   fork            a socketpair shared with a forked child (child sends)
 *   exec            like fork, but the child execs `inherit FD`
 *   spawn           like exec, but the child is made by posix_spawn
 *   daemon          a socketpair, then daemon(3): the daemon sends on it
 *   inherit FD      send "inherited" on FD, a socket opened by the parent
 *   sigclose        a signal handler closes a socket during a busy loop
 *   closefrom       closefrom(3), then a socketpair exchange
 *   close_range     close_range(3, ~0U, 0), then a socketpair exchange
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int loops;

static void *thread_main(void *arg)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), v;
	socklen_t len;

	(void)arg;
	for (int i = 0; i < loops; i++) {
		len = sizeof(v);
		if (getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len) != 0 || v != SOCK_STREAM)
			abort();
	}
	close(s);
	return NULL;
}

static int threads(int n, int m)
{
	pthread_t t[256];

	loops = m;
	if (n > 256)
		n = 256;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, thread_main, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("threads %d x %d done\n", n, m);
	return 0;
}

/* A parent and child share sv; the child sends, the parent receives. */
static int fork_share(const char *self, int do_exec)
{
	int sv[2];
	char buf[64], fdtext[16];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		if (do_exec) {
			snprintf(fdtext, sizeof(fdtext), "%d", sv[1]);
			execl(self, self, "inherit", fdtext, (char *)NULL);
			_exit(127);
		}
		send(sv[1], "from-child", 10, 0);
		_exit(0);
	}
	close(sv[1]);
	ssize_t n = recv(sv[0], buf, sizeof(buf), MSG_WAITALL);
	int st;
	waitpid(pid, &st, 0);
	printf("parent %d child %d received %zd\n", (int)getpid(), (int)pid, n);
	close(sv[0]);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 && n > 0 ? 0 : 1;
}

/* daemon(3): the caller exits inside it (status 0); the daemon, a new
 * process, sends on the pair it inherited and reads it back. */
static int daemon_share(void)
{
	int sv[2];
	char buf[64];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	printf("parent %d\n", (int)getpid());
	if (daemon(1, 1))
		return 1;
	ssize_t n = send(sv[0], "from-daemon", 11, 0);
	ssize_t m = recv(sv[1], buf, sizeof(buf), 0);
	printf("daemon %d sent %zd received %zd\n", (int)getpid(), n, m);
	return n == 11 && m == 11 ? 0 : 1;
}

/* As fork_share with exec, the child made by posix_spawn. */
static int spawn_share(const char *self)
{
	int sv[2], st;
	char buf[64], fdtext[16];
	pid_t pid;
	posix_spawn_file_actions_t fa;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	snprintf(fdtext, sizeof(fdtext), "%d", sv[1]);
	char *argv[] = { (char *)self, "inherit", fdtext, NULL };
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, sv[0]);
	int r = posix_spawn(&pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r)
		return 1;
	close(sv[1]);
	ssize_t n = recv(sv[0], buf, sizeof(buf), MSG_WAITALL);
	waitpid(pid, &st, 0);
	printf("parent %d child %d received %zd\n", (int)getpid(), (int)pid, n);
	close(sv[0]);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 && n > 0 ? 0 : 1;
}

static int inherit(int fd)
{
	ssize_t n = send(fd, "inherited", 9, 0);
	printf("inherit %d sent %zd\n", (int)getpid(), n);
	return n == 9 ? 0 : 1;
}

static volatile int victim = -1;
static volatile sig_atomic_t closed;

static void on_alarm(int sig)
{
	(void)sig;
	if (victim >= 0 && close(victim) == 0)
		closed = 1;
}

static int sigclose(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_value = { 0, 50000 } };
	int s = socket(AF_INET, SOCK_DGRAM, 0), v;
	socklen_t len;

	victim = socket(AF_INET, SOCK_STREAM, 0);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (long i = 0; !closed && i < 100000000; i++) {
		len = sizeof(v);
		getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
	}
	close(s);
	printf("sigclose closed=%d\n", (int)closed);
	return closed ? 0 : 1;
}

static int exchange(const char *what)
{
	int sv[2];
	char buf[16];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	send(sv[0], "after", 5, 0);
	ssize_t n = recv(sv[1], buf, sizeof(buf), 0);
	close(sv[0]);
	close(sv[1]);
	printf("%s then exchange %zd\n", what, n);
	return n == 5 ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "threads"))
		return threads(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 2 && !strcmp(argv[1], "fork"))
		return fork_share(argv[0], 0);
	if (argc >= 2 && !strcmp(argv[1], "exec"))
		return fork_share(argv[0], 1);
	if (argc >= 2 && !strcmp(argv[1], "spawn"))
		return spawn_share(argv[0]);
	if (argc >= 2 && !strcmp(argv[1], "daemon"))
		return daemon_share();
	if (argc >= 3 && !strcmp(argv[1], "inherit"))
		return inherit(atoi(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "sigclose"))
		return sigclose();
	if (argc >= 2 && !strcmp(argv[1], "closefrom")) {
		closefrom(3);
		return exchange("closefrom");
	}
	if (argc >= 2 && !strcmp(argv[1], "close_range")) {
		close_range(3, ~0u, 0);
		return exchange("close_range");
	}
	fprintf(stderr, "usage: ss-calls threads N M | fork | exec | spawn | daemon | inherit FD | "
			"sigclose | "
			"closefrom | close_range\n");
	return 2;
}
