// SPDX-License-Identifier: MIT
/*
 * What a program sees of descriptor numbers, run bare and under the preload
 * (tests/preload-fds.t): the outputs must be the same.  Modes:
 *   open          the number open() gives, and a socket's
 *   scan          the descriptors open below the soft limit, seen by this
 *                 process and by a forked child (fcntl over every number)
 *   take HOW      raise the soft limit to the hard one (if below), then take the
 *                 number of the highest descriptor above 2 (the tracer's,
 *                 found in /proc/self/fd; bare, there is none: hard - 1)
 *                 with HOW = dup2, dup3, dupfd, close, close_range or
 *                 closefrom, and show that the number is then the
 *                 program's: close and close_range work on it.  The number
 *                 taken goes to stderr, the results to stdout.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
	printf("%-24s ret=%ld errno=%s\n", what, r, r < 0 ? strerrorname_np(errno) : "-");
}

#define CALL(what, expr) (errno = 0, show(what, (long)(expr)))

static void list_open(const char *who, int soft)
{
	printf("%s:", who);
	for (int i = 0; i < soft; i++)
		if (fcntl(i, F_GETFD) >= 0)
			printf(" %d", i);
	printf("\n");
}

/* The highest descriptor at or above from, from /proc/self/fd; -1 if none. */
static int highest_from(int from)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int best = -1;

	while (d && (e = readdir(d))) {
		int n = atoi(e->d_name);
		if (e->d_name[0] != '.' && n >= from && n != dirfd(d) && n > best)
			best = n;
	}
	if (d)
		closedir(d);
	return best;
}

static int take(const char *how)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	int hard = (int)rl.rlim_max;
	int n = highest_from(STDERR_FILENO + 1);
	if (n < 0)
		n = hard - 1;
	fprintf(stderr, "taking %d\n", n);
	rl.rlim_cur = rl.rlim_max;
	CALL("raise soft limit", setrlimit(RLIMIT_NOFILE, &rl));
	int f = open("/dev/null", O_RDONLY);
	if (!strcmp(how, "dup2")) {
		CALL("dup2 onto it", dup2(f, n) == n);
	} else if (!strcmp(how, "dup3")) {
		CALL("dup3 onto it", dup3(f, n, O_CLOEXEC) == n);
	} else if (!strcmp(how, "dupfd")) {
		CALL("F_DUPFD to it", fcntl(f, F_DUPFD, n) == n);
	} else if (!strcmp(how, "close")) {
		CALL("close it", close(n));
	} else if (!strcmp(how, "close_range")) {
		CALL("close_range over it", close_range(f + 1, ~0u, 0));
	} else if (!strcmp(how, "closefrom")) {
		closefrom(f + 1);
		show("closefrom below it", 0);
	}
	CALL("fcntl on it", fcntl(n, F_GETFD) >= 0);
	CALL("close it", close(n));
	CALL("fcntl after close", fcntl(n, F_GETFD));
	CALL("dup2 onto it again", dup2(f, n) == n);
	CALL("close_range it", close_range(n, n, 0));
	CALL("fcntl after close_range", fcntl(n, F_GETFD));
	/* All the others too: the tracer's own closing at exit must neither
	 * fail on them (an assertion would abort the program) nor close what
	 * the program put there. */
	CALL("dup2 onto it to keep", dup2(f, n) == n);
	closefrom(n + 1);
	close_range(f + 1, n - 1, 0);
	CALL("still the program's", fcntl(n, F_GETFD) >= 0);
	/* The program goes on with its sockets. */
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	CALL("socket after", s >= 0);
	CALL("close socket", close(s));
	close(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct rlimit rl;

	setvbuf(stdout, NULL, _IOLBF, 0);
	getrlimit(RLIMIT_NOFILE, &rl);
	int soft = rl.rlim_cur > 65536 ? 65536 : (int)rl.rlim_cur;
	if (argc > 2 && !strcmp(argv[1], "take"))
		return take(argv[2]);
	if (argc > 1 && !strcmp(argv[1], "open")) {
		int f = open("/dev/null", O_RDONLY);
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		printf("open %d socket %d\n", f, s);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "scan")) {
		list_open("self", soft);
		pid_t pid = fork();
		if (pid == 0) {
			list_open("child", soft);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		return 0;
	}
	fprintf(stderr, "usage: ss-fds open|scan|take HOW\n");
	return 2;
}
