// SPDX-License-Identifier: MIT
/*
 * vfork children that rearrange their descriptors before exec, as Python's
 * subprocess and posix_spawn do: the child shares its parent's memory (and
 * so the preload's descriptor table) but has its own descriptors.  The
 * parent holds a TCP connection over loopback; each round, a vfork child
 * dup2()s the connection's sockets onto 0 and 1, closes them and
 * close_range()s everything from 3, then execs /bin/true; the parent then
 * sends and receives on its sockets, which must still be the same sockets
 * to the tracer (no new serial, no describe).
 *
 * ss-vfork ROUNDS.  Output: one line per round, the same bare and traced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "looppair.h"

static void die(const char *what)
{
	fprintf(stderr, "ss-vfork: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* A vfork child that rearranges its descriptors and execs /bin/true; kept
 * apart so that nothing of main lives across vfork. */
static __attribute__((noinline)) pid_t spawn(int s, int c)
{
	pid_t pid = vfork();

	if (pid == 0) {
		/* The child's own descriptors; the parent's stay open. */
		if (dup2(s, 0) < 0 || dup2(c, 1) < 0 || close(s) || close(c))
			_exit(3);
		close_range(3, ~0u, 0);
		execl("/bin/true", "true", (char *)NULL);
		_exit(4);
	}
	return pid;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	char buf[64];
	int fds[3];

	setvbuf(stdout, NULL, _IONBF, 0);
	if (loop_pair(fds))
		die("loopback connection");
	int l = fds[0], c = fds[1], s = fds[2];
	for (int i = 0; i < rounds; i++) {
		pid_t pid = spawn(s, c);
		if (pid < 0)
			die("vfork");
		int st = 0;
		waitpid(pid, &st, 0);
		ssize_t n = send(c, "round", 5, 0);
		ssize_t m = recv(s, buf, sizeof(buf), 0);
		printf("round %d child %d sent %zd received %zd\n", i, WEXITSTATUS(st), n, m);
	}
	close(s);
	close(c);
	close(l);
	return 0;
}
