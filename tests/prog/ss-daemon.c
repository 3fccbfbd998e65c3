// SPDX-License-Identifier: MIT
/*
 * A program that daemonizes as servers do (fork, setsid, fork again, the
 * first two processes exit), for the tests of how record follows what a
 * command leaves running:
 *
 *   ss-daemon PIDFILE PORT N [GATE]
 *
 * The grandchild (the daemon) writes its pid to PIDFILE, waits until its
 * parent and the command have both exited, then a second more (so that a
 * recorder that stops at the command's end has stopped); with GATE it
 * waits instead until the file GATE exists or SIGTERM comes (at most 5
 * minutes).  Then it
 * connects to 127.0.0.1:PORT, sends N bytes, closes and exits 0.  It
 * ignores SIGINT, as a daemon out of the terminal's reach would never see
 * it.  The command itself exits 0 once PIDFILE is written.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t termed;

static void on_term(int sig)
{
	(void)sig;
	termed = 1;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait until pid no longer exists (it ended and was reaped). */
static void wait_gone(pid_t pid)
{
	for (int i = 0; i < 60000 && (kill(pid, 0) == 0 || errno != ESRCH); i++)
		nap_ms(1);
}

static void write_pid(const char *path)
{
	char tmp[4096], text[32];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		_exit(3);
	int len = snprintf(text, sizeof(text), "%d\n", (int)getpid());
	if (write(fd, text, (size_t)len) != len || close(fd) < 0 || rename(tmp, path) < 0)
		_exit(3);
}

static void send_bytes(int port, long n)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char buf[4096];

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(buf, 'd', sizeof(buf));
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		_exit(4);
	while (n > 0) {
		ssize_t w = send(s, buf, n < (long)sizeof(buf) ? (size_t)n : sizeof(buf), 0);
		if (w <= 0)
			_exit(5);
		n -= w;
	}
	close(s);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: ss-daemon PIDFILE PORT N [GATE]\n");
		return 2;
	}
	const char *gate = argc > 4 ? argv[4] : NULL;
	pid_t command = getpid();

	/* The command ends once the daemon is ready (its pid written), as
	 * servers that daemonize let their parent return. */
	if (fork() != 0) {
		struct stat st;
		for (int i = 0; i < 60000 && stat(argv[1], &st) < 0; i++)
			nap_ms(1);
		return 0;
	}
	setsid();
	pid_t middle = getpid();
	if (fork() != 0)
		_exit(0);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, on_term);
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	if (null > 2)
		close(null);
	write_pid(argv[1]);
	wait_gone(middle);
	wait_gone(command);
	if (gate) {
		struct stat st;
		/* Bounded: a test that failed before opening the gate must
		 * not leave it running for ever. */
		for (int i = 0; i < 30000 && !termed && stat(gate, &st) < 0; i++)
			nap_ms(10);
	} else {
		nap_ms(1000);
	}
	send_bytes(atoi(argv[2]), atol(argv[3]));
	return 0;
}
