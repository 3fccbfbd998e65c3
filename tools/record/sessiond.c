// SPDX-License-Identifier: MIT
/*
 * Finding, starting and stopping the LTTng session daemon for `sockscope
 * record`; see sessiond.h for the protocol.  The daemon is lttng-sessiond
 * itself (never re-implemented); we only start it with --daemonize, which
 * returns once it accepts commands, and stop it by the pid it wrote.
 */
#include "record/sessiond.h"
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lttng/lttng.h>

/* The run directory lttng-sessiond 2.13 uses for this user. */
static char *run_dir(void)
{
	if (geteuid() == 0)
		return ss_xstrdup("/var/run/lttng");
	const char *home = secure_getenv("LTTNG_HOME");
	if (!home || !*home)
		home = secure_getenv("HOME");
	if (!home || !*home)
		return NULL;
	return ss_xasprintf("%s/.lttng", home);
}

static int mkdir_p(char *path, mode_t mode)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int r = mkdir(path, mode);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, mode) < 0 && errno != EEXIST ? -1 : 0;
}

void ss_sessiond_lock(struct ss_sessiond *d)
{
	while (flock(d->lockfd, LOCK_EX) < 0 && errno == EINTR)
		;
}

void ss_sessiond_unlock(struct ss_sessiond *d)
{
	flock(d->lockfd, LOCK_UN);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Run lttng-sessiond --daemonize and wait until it answers. */
static int start_daemon(struct ss_sessiond *d)
{
	const char *bin = secure_getenv("SOCKSCOPE_SESSIOND");
	char *pidopt = ss_xasprintf("--pidfile=%s", d->pidpath);
	char *argv[] = { (char *)(bin && *bin ? bin : "lttng-sessiond"), "--daemonize",
			 "--no-kernel", "--quiet", pidopt, NULL };
	sigset_t none;
	int st;

	unlink(d->pidpath);
	pid_t pid = fork();
	if (pid < 0) {
		ss_warn("cannot start %s: %s", argv[0], strerror(errno));
		free(pidopt);
		return -1;
	}
	if (pid == 0) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "sockscope: record: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	free(pidopt);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 127)
			ss_warn("lttng-sessiond failed to start (status %d)",
				WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		return -1;
	}
	/* --daemonize returns when the daemon is ready; allow it a moment to
	 * be seen anyway, as a slow machine may lag. */
	for (int i = 0; i < 500; i++) {
		if (lttng_session_daemon_alive() == 1)
			return 0;
		sleep_ms(10);
	}
	ss_warn("lttng-sessiond started but does not answer");
	return -1;
}

int ss_sessiond_acquire(struct ss_sessiond *d)
{
	memset(d, 0, sizeof(*d));
	d->lockfd = -1;
	d->rundir = run_dir();
	if (!d->rundir) {
		ss_warn("neither LTTNG_HOME nor HOME is set: no place for a session daemon");
		return -1;
	}
	d->lockpath = ss_xasprintf("%s/sockscope.lock", d->rundir);
	d->pidpath = ss_xasprintf("%s/sockscope-sessiond.pid", d->rundir);
	if (mkdir_p(d->rundir, geteuid() == 0 ? 0755 : 0700) < 0) {
		ss_warn("cannot create %s: %s", d->rundir, strerror(errno));
		return -1;
	}
	d->lockfd = open(d->lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (d->lockfd < 0) {
		ss_warn("cannot open %s: %s", d->lockpath, strerror(errno));
		return -1;
	}
	ss_sessiond_lock(d);
	if (lttng_session_daemon_alive() == 1)
		return 0;
	if (start_daemon(d) < 0) {
		ss_warn("no LTTng session daemon is running and none could be started "
			"(is lttng-tools installed?)");
		ss_sessiond_unlock(d);
		return -1;
	}
	d->started = 1;
	return 0;
}

/*
 * The pid of the daemon sockscope started, if that daemon still runs:
 * its pid file names it, and its command line carries that pid file, so a
 * stale file whose pid was reused by another process is never believed.
 */
static pid_t marked_daemon(const struct ss_sessiond *d)
{
	char buf[4096];
	FILE *f = fopen(d->pidpath, "re");
	long pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 1)
		return 0;
	ssize_t n = ss_proc_read(pid, "cmdline", buf, sizeof(buf));
	if (n <= 0)
		return 0;
	char *want = ss_xasprintf("--pidfile=%s", d->pidpath);
	int match = 0;
	for (char *p = buf; p < buf + n; p += strlen(p) + 1)
		if (!strcmp(p, want))
			match = 1;
	free(want);
	return match ? (pid_t)pid : 0;
}

void ss_sessiond_lock_end(struct ss_sessiond *d)
{
	/* Which daemon it is cannot change while our session lives on it: no
	 * recording starts a daemon while one answers. */
	if (marked_daemon(d) > 0)
		ss_sessiond_lock(d);
}

/*
 * Whether pid still runs.  A daemon that exited is a zombie until its
 * parent, whatever adopted it (init, or a subreaper above record), reaps
 * it, which some take their time to do; it holds no socket or file then,
 * and the next recording may start a daemon of its own.
 */
static int running(pid_t pid)
{
	char state = ss_proc_stat(pid, NULL, NULL, NULL, 0);

	if (!state)
		return kill(pid, 0) == 0;
	return state != 'Z' && state != 'X';
}

void ss_sessiond_release(struct ss_sessiond *d, int verbose)
{
	struct lttng_session *list = NULL;

	if (d->lockfd < 0)
		return;
	pid_t pid = marked_daemon(d);
	if (pid > 0) {
		int n = lttng_list_sessions(&list);
		free(list);
		if (n == 0) {
			kill(pid, SIGTERM);
			int i;
			for (i = 0; i < 1000 && running(pid); i++)
				sleep_ms(10);
			if (i == 1000)
				ss_warn("lttng-sessiond (pid %d) did not stop", (int)pid);
			else
				unlink(d->pidpath);
			if (verbose)
				ss_warn("stopped the session daemon (pid %d)", (int)pid);
		} else if (verbose && n > 0) {
			ss_warn("session daemon (pid %d) left running: %d session(s) on it",
				(int)pid, n);
		}
	}
	ss_sessiond_unlock(d);
	close(d->lockfd);
	d->lockfd = -1;
	free(d->rundir);
	free(d->lockpath);
	free(d->pidpath);
}
