// SPDX-License-Identifier: MIT
/*
 * `sockscope record [options] [--] CMD [ARGS...]`: trace one command and
 * the processes it starts, with one command.  Through liblttng-ctl it
 * creates a session of its own, enables the sockscope events with a filter
 * on a recording tag that only its command carries (SOCKSCOPE_REC, see
 * common/ss_runtime.h), runs the command under the preload, forwards
 * signals to it, and when it ends stops (flushing the buffers), destroys
 * the session and exits with the command's status.  As a child subreaper
 * it also waits for what the command left running (a daemon that forked
 * and let its parent exit), as `strace -f` does, unless --no-follow.
 * With --relay the trace is streamed to an lttng-relayd instead (LTTng's
 * network output); the output directory then keeps only the notes.
 */
#include "record/execheck.h"
#include "record/launch.h"
#include "record/follow.h"
#include "record/netaddr.h"
#include "model/model.h"
#include "read/read.h"
#include "record/session.h"
#include "record/sessiond.h"
#include "tool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lttng/lttng.h>

#ifndef SS_LIBDIR
#define SS_LIBDIR "/usr/local/lib"
#endif

#define DEFAULT_EVENTS "sockscope:*,sockscope_api:*"
/* Less free space than this where the trace goes, and it cannot be made. */
#define MIN_FREE_KIB 1024
/* How long a relay may take to accept a connection before record gives up. */
#define RELAY_TIMEOUT_MS 5000

static const char usage[] =
	"Usage: sockscope record [OPTIONS] [--] CMD [ARGS...]\n"
	"\n"
	"Run CMD with its socket calls traced, and write the trace to a directory\n"
	"(or stream it to an lttng-relayd: --relay).\n"
	"Waits for CMD and every process it left running (daemons), then exits\n"
	"with CMD's exit status (128+N when a signal N killed it; 126: CMD cannot\n"
	"be run, 127: not found; 2: a usage or set-up error).\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR       write the trace to DIR (default: a new directory\n"
	"                         sockscope-trace-DATE-TIME in the current one)\n"
	"  -r, --relay HOST[:PORT] stream the trace to the lttng-relayd on HOST\n"
	"                         (control PORT, default 5342, data PORT+1; IPv6 in\n"
	"                         brackets); it writes HOSTNAME/NAME-TAG, NAME being\n"
	"                         the output directory's, which keeps sockscope.info\n"
	"  -e, --events LIST      event patterns to record, comma-separated\n"
	"                         (default: " DEFAULT_EVENTS ")\n"
	"  -b, --buffer-size SIZE ring buffer per CPU, e.g. 64M (default: 8M)\n"
	"      --subbuffers N     sub-buffers in each ring buffer (default: 8)\n"
	"      --block            never discard: CMD waits when the buffers are full\n"
	"      --no-follow        wait for CMD only, not for the daemons it leaves\n"
	"                         running (they are named, and no longer recorded)\n"
	"      --payload[=N]      also record the bytes of every send and receive\n"
	"                         (at most N per call; default: all): the trace then\n"
	"                         holds passwords, tokens... keep it as a secret\n"
	"  -f, --force            run CMD even if it looks untraceable\n"
	"  -q, --quiet            print nothing but errors and what was not seen\n"
	"  -v, --verbose          say what is being done\n"
	"  -h, --help             show this help\n"
	"\n"
	"Examples:\n"
	"  sockscope record -- curl -s https://example.org/    # trace curl\n"
	"  sockscope record -o echo.trace python3 echo-server.py\n"
	"  sockscope record --block -b 64M -- ./load-test     # lose no event\n"
	"  sockscope record -- redis-server --daemonize yes   # until it shuts down\n"
	"  sockscope record --relay tracehost -- ./client     # to `sockscope relay`\n"
	"  sockscope report echo.trace                        # then read it\n"
	"\n"
	"See sockscope(1).\n";

struct rec_opts {
	const char *output;
	const char *relay; /* HOST[:PORT] of an lttng-relayd, or NULL */
	struct ss_hostport relay_at;
	struct ss_session_cfg s; /* events, buffers, blocking */
	int force, quiet, verbose;
	int no_follow;
	const char *payload; /* --payload: "all" or the most bytes per call; NULL off */
};

static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	return empty;
}

/* Free space for an unprivileged writer on the file system of path, in
 * KiB; -1 when unknown. */
static long long free_kib(const char *path)
{
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		return -1;
	return (long long)((unsigned long long)sv.f_bavail * sv.f_frsize / 1024);
}

/*
 * The output directory, created 0700 (it may exist if empty: it is made
 * anew, so its mode and owner are ours).  Whatever would keep the trace
 * from being written and can be known now stops record here, before
 * CMD runs.
 */
static char *make_output(const char *want)
{
	char buf[PATH_MAX], *path;

	if (want) {
		path = ss_xstrdup(want);
		if (mkdir(path, 0700) < 0) {
			struct stat st;
			if (errno != EEXIST)
				ss_die(2, "cannot create %s: %s", path, strerror(errno));
			if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
				ss_die(2, "%s exists and is not a directory", path);
			if (!dir_is_empty(path))
				ss_die(2, "%s exists and is not empty: choose another directory", path);
			if (rmdir(path) < 0 || mkdir(path, 0700) < 0)
				ss_die(2, "cannot use %s: %s", path, strerror(errno));
		}
	} else {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "sockscope-trace-%Y%m%d-%H%M%S", &tm);
		path = ss_xstrdup(buf);
		for (int i = 2; mkdir(path, 0700) < 0; i++) {
			if (errno != EEXIST || i > 1000)
				ss_die(2, "cannot create %s: %s", path, strerror(errno));
			free(path);
			path = ss_xasprintf("%s-%d", buf, i);
		}
	}
	long long kib = free_kib(path);
	if (kib >= 0 && kib < MIN_FREE_KIB) {
		rmdir(path);
		ss_die(2, "%s: only %lld KiB free on its file system; a trace needs at least %d KiB",
		       path, kib, MIN_FREE_KIB);
	}
	if (!realpath(path, buf))
		ss_die(2, "%s: %s", path, strerror(errno));
	free(path);
	return ss_xstrdup(buf);
}

/* An lttng-relayd that answered: its address as LTTng's URLs take it, and
 * its control port (the data port is the next one). */
struct relay {
	char addr[64];
	int v6;
	unsigned port;
};

/*
 * Tell the user what the trace cannot show, rather than leave an empty or
 * partial trace unexplained: the daemon died during the recording; the
 * file system filled up; the tracer never came into any process of the
 * command; or it did, and the filter on the recording tag (which only the
 * command's processes carry) let no socket call through.  Said even with
 * --quiet.  A trace streamed to a relay is not here to be read: only the
 * daemon's end can be told then, and a relay that no longer answers (its
 * end goes unnoticed by the daemon, which drops what it cannot send).
 */
static void say_what_was_missed(const char *dir, const char *cmd, int gone, uint64_t lost,
				const struct relay *remote)
{
	char *ust = ss_xasprintf("%s/ust", dir);
	int registered = access(ust, F_OK) == 0;
	long long kib = free_kib(dir);

	free(ust);
	if (gone) {
		ss_warn("warning: the LTTng session daemon ended during the recording: what %s "
			"did after that was not recorded; the trace keeps what reached the %s "
			"before (the buffers are written every %d s)", cmd,
			remote ? "relay" : "disk", SS_FLUSH_US / 1000000);
	} else if (remote) {
		char num[64], why[512];
		int v6;
		if (ss_tcp_probe(remote->addr, remote->port, RELAY_TIMEOUT_MS, num, sizeof(num), &v6,
				 why, sizeof(why)) < 0)
			ss_warn("warning: lttng-relayd at %s%s%s:%u no longer answers (%s): the "
				"trace there may lack the end of the recording or be unreadable",
				remote->v6 ? "[" : "", remote->addr, remote->v6 ? "]" : "",
				remote->port, why);
	} else if (kib >= 0 && kib < MIN_FREE_KIB) {
		/* The trace may be cut anywhere, even in its metadata: say that
		 * rather than what reading it would say. */
		ss_warn("warning: %s: %lld KiB left on its file system: the trace may lack what "
			"could not be written, or be unreadable", dir, kib);
	} else if (!registered) {
		ss_warn("warning: no socket call was seen: the tracer never came into %s or "
			"any program it ran: they are statically linked or set-user-ID, or were "
			"started without the LD_PRELOAD record set", cmd);
	} else if (!lost && ss_trace_has_calls(dir) == 0) {
		ss_warn("warning: no socket call was seen: the trace holds none from %s or the "
			"programs it ran.  They made none, or made them with their own system "
			"call instructions (as Go programs do), or could not be traced "
			"(statically linked, set-user-ID, or started without the LD_PRELOAD "
			"record set)", cmd);
	}
}

/* The command line, shell-quoted where needed, for the record's notes. */
static char *join_cmd(char **argv)
{
	size_t len = 1;
	for (char **a = argv; *a; a++)
		len += 4 * strlen(*a) + 3;
	char *s = ss_xmalloc(len), *p = s;
	for (char **a = argv; *a; a++) {
		int plain = **a && strspn(*a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789-_./:=@%+,") == strlen(*a);
		if (a != argv)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, *a);
			continue;
		}
		*p++ = '\'';
		for (const char *c = *a; *c; c++) {
			if (*c == '\'')
				p = stpcpy(p, "'\\''");
			else if (*c == '\n')
				p = stpcpy(p, "'$'\\n''");
			else
				*p++ = *c;
		}
		*p++ = '\'';
	}
	*p = 0;
	return s;
}

/*
 * Notes for `sockscope report` beside the trace: what was run, the
 * recording tag, the first process.  One "key value" per line.
 */
static void write_info(const char *dir, const char *fmt, ...) SS_PRINTF(2, 3);
static void write_info(const char *dir, const char *fmt, ...)
{
	char *path = ss_xasprintf("%s/sockscope.info", dir);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
	va_list ap;

	if (f) {
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
		fclose(f);
	} else if (fd >= 0) {
		close(fd);
	}
	free(path);
}

/* A command that cannot run ends record as it ends a shell: 127 when it
 * is not there (or its interpreter is not), 126 otherwise. */
static int cannot_run(const char *cmd, int err)
{
	if (err == ENOENT && !strchr(cmd, '/'))
		ss_warn("%s: command not found", cmd);
	else
		ss_warn("%s: cannot run: %s", cmd, strerror(err));
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/*
 * Check that the relay (--relay HOST[:PORT]) accepts connections now on
 * its control and data ports, before anything is set up: one line and
 * exit 2 when it does not.  The address that answered is the one the
 * session daemon is given, so that both reach the same relay.
 */
static void reach_relay(const struct ss_hostport *hp, struct relay *r)
{
	char why[512], num[64];
	int v6;

	if (ss_tcp_probe(hp->host, hp->port, RELAY_TIMEOUT_MS, r->addr, sizeof(r->addr), &r->v6,
			 why, sizeof(why)) < 0)
		ss_die(2, "cannot reach lttng-relayd at %s%s%s:%u: %s", hp->bracketed ? "[" : "",
		       hp->host, hp->bracketed ? "]" : "", hp->port, why);
	if (ss_tcp_probe(r->addr, hp->port + 1, RELAY_TIMEOUT_MS, num, sizeof(num), &v6, why,
			 sizeof(why)) < 0)
		ss_die(2, "cannot reach lttng-relayd's data port at %s%s%s:%u: %s",
		       r->v6 ? "[" : "", r->addr, r->v6 ? "]" : "", hp->port + 1, why);
	r->port = hp->port;
}

/* LTTng's network URL for the relay: net://ADDR:CONTROL:DATA/NAME (net6://
 * with [ADDR] for IPv6); the relay writes the trace to HOSTNAME/NAME. */
static char *relay_url(const struct relay *r, const char *name)
{
	return ss_xasprintf("%s://%s%s%s:%u:%u/%s", r->v6 ? "net6" : "net", r->v6 ? "[" : "",
			    r->addr, r->v6 ? "]" : "", r->port, r->port + 1, name);
}

static void parse(int argc, char **argv, struct rec_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "relay", required_argument, NULL, 'r' },
		{ "events", required_argument, NULL, 'e' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "subbuffers", required_argument, NULL, 'S' },
		{ "block", no_argument, NULL, 'B' },
		{ "no-follow", no_argument, NULL, 'F' },
		{ "payload", optional_argument, NULL, 'Y' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct rec_opts){ .s = { .events = DEFAULT_EVENTS, .bufsize = 8u << 20, .nsub = 8 } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:r:e:b:fqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'r': {
			char why[512];
			o->relay = optarg;
			if (ss_parse_hostport(optarg, SS_RELAY_PORT, 2, &o->relay_at, why,
					      sizeof(why)) < 0)
				ss_usage_error(usage, "--relay %s", why);
			break;
		}
		case 'e': o->s.events = optarg; break;
		case 'b':
			if (ss_parse_size(optarg, &o->s.bufsize) < 0 || o->s.bufsize < 8192)
				ss_die(2, "--buffer-size: '%s' is not a size of at least 8K", optarg);
			break;
		case 'S':
			if (ss_parse_u64(optarg, &o->s.nsub) < 0 || o->s.nsub < 2 || o->s.nsub > 1024 ||
			    (o->s.nsub & (o->s.nsub - 1)))
				ss_die(2, "--subbuffers: '%s' is not a power of two from 2 to 1024",
				       optarg);
			break;
		case 'B': o->s.block = 1; break;
		case 'F': o->no_follow = 1; break;
		case 'Y': {
			uint64_t n;
			if (optarg && (ss_parse_size(optarg, &n) < 0 || n == 0))
				ss_die(2, "--payload: '%s' is not a size of at least 1", optarg);
			o->payload = optarg ? ss_xasprintf("%llu", (unsigned long long)n) : "all";
			break;
		}
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		case 'v': o->verbose = 1; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: ss_bad_option(usage, c, argv);
		}
	}
	if (optind >= argc)
		ss_usage_error(usage, "no command given");
	/* A payload event holds up to SS_PAYLOAD_CHUNK bytes (4 KiB): its
	 * sub-buffer must hold it and more. */
	if (o->payload && o->s.bufsize / o->s.nsub < 16384)
		ss_die(2, "--payload needs sub-buffers of 16K at least (--buffer-size / --subbuffers)");
}

int ss_record_main(int argc, char **argv)
{
	struct rec_opts o;
	char exe[PATH_MAX], why[PATH_MAX + 256];
	struct ss_sessiond d;

	ss_cmd = "record";
	parse(argc, argv, &o);
	char **cmd = argv + optind;
	if (ss_resolve_cmd(cmd[0], exe, sizeof(exe)) < 0)
		return cannot_run(cmd[0], errno);
	int traceable = ss_exe_traceable(exe, why, sizeof(why));
	if (traceable == 0) {
		if (!o.force)
			ss_die(126, "refusing to run: %s (use --force to run it anyway)", why);
		ss_warn("warning: %s; running anyway", why);
	} else if (traceable == 1 && why[0]) {
		ss_warn("warning: %s", why);
	}
	char *preload = ss_find_preload();
	if (!preload)
		ss_die(2, "cannot find libsockscope-preload.so (beside sockscope, in %s, "
		       "or SOCKSCOPE_PRELOAD)", SS_LIBDIR);
	struct relay relay;
	if (o.relay)
		reach_relay(&o.relay_at, &relay);

	/* Signals wait until CMD runs, then go to it; nothing is left half
	 * made by a Ctrl-C during set-up. */
	sigset_t set, orig;
	sigemptyset(&set);
	ss_follow_sigset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &orig);

	char *dir = make_output(o.output);
	uint64_t tag = ss_make_tag();
	char *name = ss_xasprintf("sockscope-%llu", (unsigned long long)tag);
	/* On the relay: HOSTNAME/NAME-TAG, unique as the local directory
	 * name alone is not, since the relay truncates what it writes anew.
	 * The relay takes the host name the session daemon gives, ours. */
	char *remote = NULL, host[256] = "HOSTNAME";
	if (o.relay) {
		char *base = strrchr(dir, '/');
		remote = ss_xasprintf("%s-%llu", base ? base + 1 : dir, (unsigned long long)tag);
		o.s.relay_url = relay_url(&relay, remote);
		gethostname(host, sizeof(host) - 1);
	}
	if (ss_sessiond_acquire(&d) < 0) {
		rmdir(dir);
		return 2;
	}
	if (o.verbose)
		ss_warn("session %s, tag %llu, daemon %s", name, (unsigned long long)tag,
			d.started ? "started by sockscope" : "already running");
	if (ss_session_start(name, dir, tag, &o.s) < 0) {
		ss_sessiond_release(&d, o.verbose);
		rmdir(dir);
		return 2;
	}
	ss_sessiond_unlock(&d);
	char *cmdline = join_cmd(cmd);
	write_info(dir, "# sockscope record: what was traced\ncommand %s\ntag %llu\n", cmdline,
		   (unsigned long long)tag);
	if (o.relay)
		write_info(dir, "relay %s%s%s:%u\nremote %s/%s\n", relay.v6 ? "[" : "", relay.addr,
			   relay.v6 ? "]" : "", relay.port, host, remote);
	free(cmdline);

	int status = 130, exec_err = 0;
	sigset_t pending;
	sigpending(&pending);
	/* Orphans of the command's tree become record's children, to be
	 * waited for (and named when record ends before them). */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 && !o.no_follow)
		ss_warn("warning: cannot follow daemons (PR_SET_CHILD_SUBREAPER: %s)",
			strerror(errno));
	if (!sigismember(&pending, SIGINT) && !sigismember(&pending, SIGTERM) &&
	    !sigismember(&pending, SIGHUP)) {
		pid_t child = ss_launch(exe, cmd, preload, tag, o.s.block, o.payload, &orig, NULL,
					&exec_err);
		if (child == -2)
			ss_die(2, "fork: %s", strerror(exec_err));
		if (child > 0) {
			write_info(dir, "pid %d\n", (int)child);
			status = ss_follow_wait(child, &set, o.no_follow);
			write_info(dir, "status %d\n", status);
		}
	}
	if (!exec_err)
		ss_follow_name_left();

	ss_sessiond_lock_end(&d);
	uint64_t lost = 0;
	int gone = ss_session_end(name, &lost, o.relay != NULL);
	ss_sessiond_release(&d, o.verbose);
	if (exec_err) {
		ss_remove_tree(dir);
		status = cannot_run(cmd[0], exec_err);
		goto out;
	}
	if (!gone)
		write_info(dir, "discarded %llu\n", (unsigned long long)lost);
	say_what_was_missed(dir, cmd[0], gone, lost, o.relay ? &relay : NULL);
	if (!o.quiet && o.relay)
		ss_warn("trace streamed to lttng-relayd at %s%s%s:%u, into %s/%s in its output "
			"directory; notes in %s", relay.v6 ? "[" : "", relay.addr, relay.v6 ? "]" : "",
			relay.port, host, remote, dir);
	else if (!o.quiet)
		ss_warn("trace written to %s", dir);
	if (!o.quiet && lost)
		ss_warn("%llu events discarded (buffers full): use a larger --buffer-size "
			"or --block", (unsigned long long)lost);
out:
	free(name);
	free(remote);
	free((char *)o.s.relay_url);
	free(dir);
	free(preload);
	return status;
}
