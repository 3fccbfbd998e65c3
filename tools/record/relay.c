// SPDX-License-Identifier: MIT
/*
 * `sockscope relay [-o DIR] [--listen ADDR[:PORT]]`: run lttng-relayd (the
 * real one) in the foreground, to receive what `sockscope record --relay`
 * streams from other hosts, without having to remember its options.  The
 * relay writes each host's traces under DIR/HOSTNAME/, which is what
 * `sockscope report DIR` reads.  Its three ports are consecutive (control
 * PORT, data PORT+1, live PORT+2 on localhost) so that one number names a
 * relay and two relays on one host do not collide when their PORTs are 3
 * apart.  sockscope stays the parent: it says when the relay listens,
 * passes SIGINT, SIGTERM and SIGHUP on, and exits with its status; the
 * relay gets SIGTERM if sockscope itself is killed.
 */
#include "record/netaddr.h"
#include "record/relayd.h"
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_OUTPUT "sockscope-traces"

static const char usage[] =
	"Usage: sockscope relay [OPTIONS]\n"
	"\n"
	"Run lttng-relayd in the foreground to receive the traces that\n"
	"`sockscope record --relay` streams from other hosts: each host's go to\n"
	"DIR/HOSTNAME/, and `sockscope report DIR` reads them together.  Ctrl-C\n"
	"or SIGTERM stops it; exits with lttng-relayd's status (2: a usage or\n"
	"set-up error).\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR          write the traces under DIR, created if missing\n"
	"                            (default: ./" DEFAULT_OUTPUT ")\n"
	"  -l, --listen ADDR[:PORT]  receive on ADDR, control port PORT (default\n"
	"                            5342, LTTng's) and data port PORT+1 (default:\n"
	"                            every IPv4 address, 0.0.0.0; IPv6 in brackets:\n"
	"                            [::]:5342)\n"
	"      --live-port PORT      LTTng live viewers' port, on localhost only\n"
	"                            (default: PORT+2)\n"
	"  -q, --quiet               print nothing but errors\n"
	"  -v, --verbose             lttng-relayd says what it does (-v again: more)\n"
	"  -h, --help                show this help\n"
	"\n"
	"Examples:\n"
	"  sockscope relay -o traces                      # on the host that collects\n"
	"  sockscope record --relay collector -- ./server # on each traced host\n"
	"  sockscope report traces                        # all hosts together\n"
	"  sockscope relay --listen 10.0.0.1:6342 -o t2   # a second relay beside it\n"
	"\n"
	"See sockscope(1).\n";

struct relay_opts {
	const char *output;
	struct ss_hostport at;
	unsigned live;
	int quiet, verbose;
};

static void parse(int argc, char **argv, struct relay_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "listen", required_argument, NULL, 'l' },
		{ "live-port", required_argument, NULL, 'L' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char why[512];
	uint64_t v;
	int c;

	*o = (struct relay_opts){ .output = DEFAULT_OUTPUT };
	ss_parse_hostport("0.0.0.0", SS_RELAY_PORT, 2, &o->at, why, sizeof(why));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:l:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'l':
			if (ss_parse_hostport(optarg, SS_RELAY_PORT, 2, &o->at, why, sizeof(why)) < 0)
				ss_usage_error(usage, "--listen %s", why);
			break;
		case 'L':
			if (ss_parse_u64(optarg, &v) < 0 || v == 0 || v > 65535)
				ss_usage_error(usage, "--live-port: '%s' is not a port number", optarg);
			o->live = (unsigned)v;
			break;
		case 'q': o->quiet = 1; break;
		case 'v': o->verbose++; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: ss_bad_option(usage, c, argv);
		}
	}
	if (optind < argc)
		ss_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (!*o->output)
		ss_usage_error(usage, "--output: empty directory name");
	if (!o->live) {
		if (o->at.port + 2 > 65535)
			ss_usage_error(usage, "--listen: port %u leaves no room for the live port "
				       "(PORT+2): give --live-port", o->at.port);
		o->live = o->at.port + 2;
	}
	if (o->live == o->at.port || o->live == o->at.port + 1)
		ss_usage_error(usage, "--live-port %u: the control or data port already", o->live);
}

/* ADDR as a numeric address of the family LTTng's tcp:// (IPv4) or
 * tcp6:// (bracketed, IPv6) URLs give it, into num. */
static void numeric(const struct ss_hostport *at, char *num, size_t size)
{
	struct addrinfo hints = { .ai_family = at->bracketed ? AF_INET6 : AF_INET,
				  .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(at->host, NULL, &hints, &res);

	if (rc)
		ss_die(2, "--listen %s: %s", at->host,
		       rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	getnameinfo(res->ai_addr, res->ai_addrlen, num, (socklen_t)size, NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
}

/* Say now, in one line, what would make lttng-relayd fail to listen on
 * num:port (in use, not an address of this host), rather than leave it to
 * its log. */
static void check_bind(const char *num, int v6, unsigned port, const char *what)
{
	struct addrinfo hints = { .ai_family = v6 ? AF_INET6 : AF_INET, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char service[16];
	int one = 1, err = 0;

	snprintf(service, sizeof(service), "%u", port);
	if (getaddrinfo(num, service, &hints, &res))
		return;
	int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, res->ai_addr, res->ai_addrlen) < 0)
			err = errno;
		close(fd);
	}
	freeaddrinfo(res);
	if (err == EADDRINUSE)
		ss_die(2, "%s port %s%s%s:%u is in use (another lttng-relayd?): choose another "
		       "with --listen ADDR:PORT%s", what, v6 ? "[" : "", num, v6 ? "]" : "", port,
		       strcmp(what, "live") ? "" : " or --live-port");
	if (err == EADDRNOTAVAIL)
		ss_die(2, "cannot listen on %s: not an address of this host", num);
	if (err)
		ss_die(2, "cannot listen on %s%s%s:%u: %s", v6 ? "[" : "", num, v6 ? "]" : "", port,
		       strerror(err));
}

/* Wait for one of the signals in set, at most timeout (NULL: no limit),
 * and pass SIGINT, SIGTERM and SIGHUP on to the relay. */
static void pass_signals(pid_t pid, const sigset_t *set, const struct timespec *timeout)
{
	siginfo_t si;
	int sig = timeout ? sigtimedwait(set, &si, timeout) : sigwaitinfo(set, &si);

	if (sig > 0 && sig != SIGCHLD)
		kill(pid, sig);
}

/* Between the tries of ss_relayd_wait: 20 ms of passing signals on. */
static void pass_tick(pid_t pid, void *set)
{
	const struct timespec tick = { 0, 20 * 1000000L };

	pass_signals(pid, set, &tick);
}

/* In the relay, before exec: it goes when we go. */
static void relay_child(void *parent)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != *(pid_t *)parent)
		_exit(2);
}

/* The exit status of a shell for a child's wait status. */
static int exit_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int ss_relay_main(int argc, char **argv)
{
	struct relay_opts o;
	char num[64], dir[PATH_MAX];

	ss_cmd = "relay";
	parse(argc, argv, &o);
	int v6 = o.at.bracketed;
	numeric(&o.at, num, sizeof(num));
	if (mkdir(o.output, 0700) < 0 && errno != EEXIST)
		ss_die(2, "cannot create %s: %s", o.output, strerror(errno));
	if (!realpath(o.output, dir))
		ss_die(2, "%s: %s", o.output, strerror(errno));
	struct stat st;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		ss_die(2, "%s exists and is not a directory", o.output);
	check_bind(num, v6, o.at.port, "control");
	check_bind(num, v6, o.at.port + 1, "data");
	check_bind(v6 ? "::1" : "127.0.0.1", v6, o.live, "live");

	const char *proto = v6 ? "tcp6" : "tcp", *lb = v6 ? "[" : "", *rb = v6 ? "]" : "";
	char *out = ss_xasprintf("--output=%s", dir);
	char *ctl = ss_xasprintf("--control-port=%s://%s%s%s:%u", proto, lb, num, rb, o.at.port);
	char *data = ss_xasprintf("--data-port=%s://%s%s%s:%u", proto, lb, num, rb, o.at.port + 1);
	char *live = ss_xasprintf("--live-port=%s://%s:%u", proto, v6 ? "[::1]" : "127.0.0.1",
				  o.live);
	char *rargv[] = { NULL, out, ctl, data, live, "--group-output-by-host", "-v", "-v", "-v",
			  NULL };
	rargv[6 + (o.verbose < 3 ? o.verbose : 3)] = NULL;

	/* The signals to pass on wait until the relay runs, then go to it. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t parent = getpid();
	pid_t pid = ss_relayd_spawn(rargv, relay_child, &parent);
	if (pid < 0)
		ss_die(2, "fork: %s", strerror(errno));
	free(out);
	free(ctl);
	free(data);
	free(live);

	/* A relay listening on every address is reached on loopback. */
	const char *at = !strcmp(num, "0.0.0.0") ? "127.0.0.1" : !strcmp(num, "::") ? "::1" : num;
	int status;
	if (!ss_relayd_wait(pid, at, &o.at.port, 1, -1, pass_tick, &set, &status)) {
		if (exit_status(status) < 126)
			ss_warn("lttng-relayd ended before it listened (status %d)",
				exit_status(status));
		return exit_status(status);
	}
	if (!o.quiet)
		ss_warn("lttng-relayd (pid %d) listening on %s%s%s:%u (data %u, live %s:%u), "
			"writing to %s/HOSTNAME/", (int)pid, lb, num, rb, o.at.port, o.at.port + 1,
			v6 ? "[::1]" : "127.0.0.1", o.live, dir);
	while (waitpid(pid, &status, WNOHANG) != pid)
		pass_signals(pid, &set, NULL);
	return exit_status(status);
}
