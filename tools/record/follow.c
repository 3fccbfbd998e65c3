// SPDX-License-Identifier: MIT
/*
 * What `sockscope record` does while its command runs: wait for it and,
 * as a child subreaper, for every process it leaves running (a daemon that
 * forked and let its parent exit), passing signals on to them, and name
 * those still running when record ends.  Processes are found in /proc by
 * their parent: record's children head each tree.
 */
#include "record/follow.h"
#include "tool.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Signals sockscope passes on to CMD rather than acting on. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
				 SIGWINCH, SIGCONT };

void ss_follow_sigset(sigset_t *set)
{
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

/* Signals that ask a program to end: after CMD ended, a second one also
 * ends record's wait for what CMD left running. */
static int ending(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT;
}

/* A process left running below record, as named to the user. */
struct left {
	pid_t pid, ppid, pgrp;
	char comm[24];
};

/* One process of /proc, unless it is gone or a zombie (it ended). */
static int read_stat(long pid, struct left *l)
{
	int ppid, pgrp;

	*l = (struct left){ .pid = (pid_t)pid };
	char state = ss_proc_stat(pid, &ppid, &pgrp, l->comm, sizeof(l->comm));
	if (!state || state == 'Z')
		return -1;
	l->ppid = ppid;
	l->pgrp = pgrp;
	return 0;
}

/*
 * The processes running below record: its children, which as a child
 * subreaper include every orphan of the command's tree, and theirs.  An
 * array to free, of *n.
 */
static struct left *processes_left(size_t *n)
{
	struct left *v = NULL;
	size_t nv = 0, cap = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (nv == cap) {
			cap = cap ? 2 * cap : 256;
			v = ss_xrealloc(v, cap * sizeof(*v));
		}
		nv += read_stat(pid, &v[nv]) == 0;
	}
	if (d)
		closedir(d);
	/* Keep those whose parent is record or is kept, until none is added. */
	char *below = ss_xcalloc(nv + 1, 1);
	pid_t self = getpid();
	for (int added = 1; added;) {
		added = 0;
		for (size_t i = 0; i < nv; i++) {
			if (below[i])
				continue;
			int in = v[i].ppid == self;
			for (size_t j = 0; j < nv && !in; j++)
				in = below[j] && v[j].pid == v[i].ppid;
			if (in)
				below[i] = added = 1;
		}
	}
	*n = 0;
	for (size_t i = 0; i < nv; i++)
		if (below[i])
			v[(*n)++] = v[i];
	free(below);
	return v;
}

/* Pass sig to the processes CMD left running: record's children, which
 * head each tree (a daemon's workers are its own business).  from_tty:
 * the terminal sent it to the foreground group, which those of record's
 * group already got. */
static void signal_left(int sig, int from_tty)
{
	size_t n;
	struct left *v = processes_left(&n);

	for (size_t i = 0; i < n; i++)
		if (v[i].ppid == getpid() && !(from_tty && v[i].pgrp == getpgrp()))
			kill(v[i].pid, sig);
	free(v);
}

/* Say which processes are still running when record ends: what they do
 * from now on is not recorded.  Said even with --quiet. */
void ss_follow_name_left(void)
{
	size_t n, len = 0;
	struct left *v = processes_left(&n);

	if (n) {
		char *text = ss_xmalloc(n * 40 + 1);
		for (size_t i = 0; i < n; i++)
			len += (size_t)sprintf(text + len, "%s%d (%s)", i ? ", " : "", (int)v[i].pid,
					       v[i].comm);
		ss_warn("warning: still running, no longer recorded: %s", text);
		free(text);
	}
	free(v);
}

/*
 * Wait for CMD, and unless no_follow for every process left running below
 * record, passing signals on: to CMD while it runs (not those the terminal
 * sent to the whole foreground group, si_code SI_KERNEL: CMD got them
 * already), then to the processes it left, which are out of the terminal's
 * reach (a daemon leaves the terminal's session).  A signal asking CMD to
 * end reaches those too when CMD ends, so that one Ctrl-C ends what record
 * started; a second one after CMD ended stops the wait.  Returns CMD's
 * status.
 */
int ss_follow_wait(pid_t child, const sigset_t *set, int no_follow)
{
	int status = -1, ask = 0, asked = 0;

	for (;;) {
		pid_t r;
		int st;
		while ((r = waitpid(-1, &st, WNOHANG)) > 0) {
			if (r != child || status >= 0)
				continue;
			status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			if (ask && !no_follow) {
				signal_left(ask, 0);
				asked = 1;
			}
		}
		if (status >= 0 && (no_follow || r < 0))
			break;
		siginfo_t si;
		int sig = sigwaitinfo(set, &si);
		if (sig <= 0 || sig == SIGCHLD)
			continue;
		if (status < 0) {
			if (!(si.si_code == SI_KERNEL && getpgid(child) == getpgrp()))
				kill(child, sig);
			if (ending(sig))
				ask = sig;
			continue;
		}
		signal_left(sig, si.si_code == SI_KERNEL);
		if (ending(sig) && asked++)
			break;
	}
	return status;
}
