// SPDX-License-Identifier: MIT
/*
 * A private lttng-relayd for the live view (`top`): started on three free
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

/* Whether something listens on 127.0.0.1:port. */
static int listening(int port)
{
	char num[64], why[128];
	int v6;

	return ss_tcp_probe("127.0.0.1", (unsigned)port, 1000, num, sizeof(num), &v6, why,
			    sizeof(why)) == 0;
}

static pid_t spawn(const struct ss_relayd *r)
{
	char c[64], d[64], l[64];
	char *log = ss_xasprintf("%s/relayd.log", r->dir);
	pid_t pid;

	snprintf(c, sizeof(c), "tcp://127.0.0.1:%d", r->ctrl);
	snprintf(d, sizeof(d), "tcp://127.0.0.1:%d", r->data);
	snprintf(l, sizeof(l), "tcp://127.0.0.1:%d", r->live);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* Its own process group: a Ctrl-C for us is not for it; and
		 * none of the signals we hold back. */
		setpgid(0, 0);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execlp("lttng-relayd", "lttng-relayd", "-C", c, "-D", d, "-L", l, "-o", r->dir,
		       (char *)NULL);
		_exit(127);
	}
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
		for (int ms = 0; ms < 10000; ms += 20) {
			int status;
			if (waitpid(r->pid, &status, WNOHANG) == r->pid) {
				r->pid = 0;
				break;
			}
			if (listening(r->live) && listening(r->ctrl))
				return 0;
			struct timespec ts = { 0, 20 * 1000000L };
			nanosleep(&ts, NULL);
		}
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
