// SPDX-License-Identifier: MIT
/*
 * A program that sandboxes itself the way sshd's pre-authentication child
 * does: it opens a TCP connection over loopback, then installs a seccomp
 * filter that allows only the calls it still makes itself and kills the
 * process on any other one -- among them every call the tracer would make
 * (socket, connect, sendmsg, recvmsg, getsockopt, getsockname, prlimit64,
 * rt_sigprocmask, membarrier, process_vm_readv, fcntl, ...).  It then
 * sends and receives, duplicates and closes descriptors, forks, lists its
 * threads and exits through exit(), so destructors run under the filter.
 *
 * ss-seccomp prctl|seccomp|tsync: how the filter is installed: prctl
 * (PR_SET_SECCOMP), the seccomp system call, or the seccomp system call
 * with SECCOMP_FILTER_FLAG_TSYNC (every thread of the process).
 * ss-seccomp exec: install (with prctl) a filter that kills only on the
 * tracer's calls, then exec this program again, which starts filtered:
 * it uses a socket pair and lists its threads.
 * ss-seccomp chroot: as prctl, in a chroot to an empty directory first, as
 * sshd's child is (root only): no file of the system is reachable when
 * tracing stops.
 * Output: a few lines that are the same bare and traced; exit status 0.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "looppair.h"

/* What the program itself needs once filtered. */
static const int allowed[] = {
	SYS_read, SYS_write, SYS_close, SYS_sendto, SYS_recvfrom, SYS_dup2, SYS_dup3,
	SYS_close_range, SYS_clone, SYS_clone3, SYS_wait4, SYS_exit, SYS_exit_group,
	SYS_brk, SYS_mmap, SYS_munmap, SYS_mprotect, SYS_madvise, SYS_futex,
	SYS_rt_sigreturn, SYS_newfstatat, SYS_fstat, SYS_lseek, SYS_openat,
	SYS_getdents64, SYS_set_robust_list, SYS_rseq, SYS_getrandom, SYS_clock_nanosleep,
};

/* What the tracer calls and a program that starts filtered does not. */
static const int denied[] = {
	SYS_socket, SYS_connect, SYS_sendmsg, SYS_recvmsg, SYS_getsockopt,
	SYS_getsockname, SYS_getpeername, SYS_membarrier, SYS_process_vm_readv,
	SYS_rt_sigprocmask,
};

static void die(const char *what)
{
	fprintf(stderr, "ss-seccomp: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* A filter that allows the listed calls and kills on the rest, or the
 * other way round (deny). */
static int install(const char *how, int deny)
{
	const int *list = deny ? denied : allowed;
	int N = deny ? (int)(sizeof(denied) / sizeof(denied[0])) :
		       (int)(sizeof(allowed) / sizeof(allowed[0]));
	struct sock_filter f[4 + 32 + 2];
	unsigned int listed = deny ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ALLOW;
	int i = 0;

	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (int k = 0; k < N; k++)
		f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned int)list[k], (unsigned char)(N - k), 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, listed ^ SECCOMP_RET_KILL_PROCESS ^
							       SECCOMP_RET_ALLOW);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, listed);
	struct sock_fprog prog = { .len = (unsigned short)i, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		die("no_new_privs");
	if (!strcmp(how, "prctl"))
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
	unsigned int flags = !strcmp(how, "tsync") ? SECCOMP_FILTER_FLAG_TSYNC : 0;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static int threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	char buf[64];
	int fds[3];

	if (argc != 2)
		return fprintf(stderr, "usage: ss-seccomp prctl|seccomp|tsync|exec|chroot\n"), 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(argv[1], "inherited")) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			die("socketpair");
		printf("inherited send %zd", send(sv[0], "abc", 3, 0));
		printf(" recv %zd threads %d\n", recv(sv[1], buf, sizeof(buf), 0), threads());
		return 0;
	}
	if (!strcmp(argv[1], "exec")) {
		if (install("prctl", 1) != 0)
			die("seccomp");
		execl("/proc/self/exe", "ss-seccomp", "inherited", (char *)NULL);
		die("exec");
	}
	if (loop_pair(fds))
		die("loopback connection");
	int c = fds[1], s = fds[2];
	printf("connected\n");

	if (!strcmp(argv[1], "chroot")) {
		/* An empty directory, removed from outside as we enter it. */
		char dir[] = "/tmp/ss-seccomp-XXXXXX";
		if (!mkdtemp(dir) || chdir(dir) || rmdir(dir) || chroot("."))
			die("chroot");
	}
	if (install(!strcmp(argv[1], "chroot") ? "prctl" : argv[1], 0) != 0)
		die("seccomp");
	printf("filtered\n");
	/* Live a while, as sshd's child does: long enough for the tracer's
	 * threads, woken as tracing stopped, to leave. */
	if (!strcmp(argv[1], "chroot"))
		nanosleep(&(struct timespec){ 0, 300 * 1000000L }, NULL);
	ssize_t n = send(c, "hello", 5, 0);
	ssize_t m = recv(s, buf, sizeof(buf), 0);
	printf("sent %zd received %zd\n", n, m);
	int d = dup2(s, 200);
	printf("dup2 %d close %d\n", d, close(d));
	pid_t pid = fork();
	if (pid == 0) {
		send(s, "x", 1, 0);
		_exit(7);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	m = recv(c, buf, sizeof(buf), 0);
	printf("child %d received %zd\n", WEXITSTATUS(st), m);
	printf("threads %d\n", threads());
	close(c);
	close(s);
	printf("close_range %d\n", close_range(3, ~0u, 0));
	return 0;
}
