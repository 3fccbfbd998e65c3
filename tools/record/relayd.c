// SPDX-License-Identifier: MIT
/*
 * Starting lttng-relayd (relayd.h): spawned with the options of the
 * caller, and waited for until it listens.  `sockscope relay` runs one in
 * the foreground (relay.c); `top` a private one (below): on three free
 * ports of 127.0.0.1 (control, data, live), writing under a directory of
 * ours, and stopped by its pid.  The ports are found by binding port 0,
 * then given to the relay daemon; another program may take one in between,
 * so a relay daemon that exits at once is started again on new ports.
 */
#include "record/netaddr.h"
#include "record/relayd.h"
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t ss_relayd_spawn(char **argv, void (*child)(void *), void *arg)
{
	const char *bin = secure_getenv("SOCKSCOPE_RELAYD");
	sigset_t none;

	argv[0] = (char *)(bin && *bin ? bin : "lttng-relayd");
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	if (child)
		child(arg);
	sigemptyset(&none); /* none of the signals its parent holds back */
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "sockscope: %s: cannot run %s: %s\n", ss_cmd, argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

int ss_relayd_wait(pid_t pid, const char *host, const unsigned *ports, int nports,
		   int timeout_ms, void (*tick)(pid_t, void *), void *arg, int *status)
{
	char got[64], why[256];
	int is6;

	for (int ms = 0; timeout_ms < 0 || ms < timeout_ms; ms += 20) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 0;
		int up = 0;
		while (up < nports && ss_tcp_probe(host, ports[up], 1000, got, sizeof(got), &is6, why,
						   sizeof(why)) == 0)
			up++;
		if (up == nports)
			return 1;
		if (tick) {
			tick(pid, arg);
		} else {
			struct timespec ts = { 0, 20 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	return -1;
}

/* A port of 127.0.0.1 free now, 0 if none could be had. */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = 0;

	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* In top's relay daemon, before exec: its log, and its own process group
 * (a Ctrl-C for us is not for it). */
static void private_child(void *arg)
{
	int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	setpgid(0, 0);
}

static pid_t spawn(const struct ss_relayd *r)
{
	char c[64], d[64], l[64];
	char *log = ss_xasprintf("%s/relayd.log", r->dir);
	char *argv[] = { NULL, "-C", c, "-D", d, "-L", l, "-o", r->dir, NULL };

	snprintf(c, sizeof(c), "tcp://127.0.0.1:%d", r->ctrl);
	snprintf(d, sizeof(d), "tcp://127.0.0.1:%d", r->data);
	snprintf(l, sizeof(l), "tcp://127.0.0.1:%d", r->live);
	pid_t pid = ss_relayd_spawn(argv, private_child, log);
	free(log);
	return pid;
}

int ss_relayd_start(struct ss_relayd *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	r->dir = ss_xstrdup(dir);
	for (int tries = 0; tries < 3; tries++) {
		r->ctrl = free_port();
		r->data = free_port();
		r->live = free_port();
		if (!r->ctrl || !r->data || !r->live || r->ctrl == r->data || r->data == r->live ||
		    r->ctrl == r->live)
			continue;
		r->pid = spawn(r);
		if (r->pid < 0)
			break;
		/* Ready when its live port answers (it opens it last). */
		const unsigned ports[] = { (unsigned)r->live, (unsigned)r->ctrl };
		int status, up = ss_relayd_wait(r->pid, "127.0.0.1", ports, 2, 10000, NULL, NULL,
						&status);
		if (up > 0)
			return 0;
		if (up == 0)
			r->pid = 0;
		if (r->pid > 0) {
			ss_relayd_stop(r);
			r->dir = ss_xstrdup(dir);
		}
	}
	ss_warn("cannot start lttng-relayd (is lttng-tools installed? see %s/relayd.log)", dir);
	free(r->dir);
	r->dir = NULL;
	return -1;
}

void ss_relayd_stop(struct ss_relayd *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGTERM);
		int status;
		for (int ms = 0; ms < 5000; ms += 10) {
			if (waitpid(r->pid, &status, WNOHANG) == r->pid) {
				r->pid = 0;
				break;
			}
			struct timespec ts = { 0, 10 * 1000000L };
			nanosleep(&ts, NULL);
		}
		if (r->pid > 0) {
			kill(r->pid, SIGKILL);
			waitpid(r->pid, &status, 0);
		}
	}
	r->pid = 0;
	free(r->dir);
	r->dir = NULL;
}
