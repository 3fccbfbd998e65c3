// SPDX-License-Identifier: MIT
/*
 * `sockscope top`: the traced processes' sockets live.  An LTTng live
 * session streams to a private lttng-relayd (relayd.c) on free ports of
 * 127.0.0.1, and babeltrace2's lttng-live source reads it back as it
 * arrives (reader.c, ss_live_*) into the report's model, whose tap hands
 * each call to top_view.c: per process and per connection, counts of the
 * current interval and totals.  Each interval is drawn on an
 * ncurses screen, or printed (--batch) as text or one JSON object per line.
 *
 * With a command, it runs as under `record` (preload, recording tag, its
 * forks followed by the preload) and top ends with it in batch mode;
 * without, every process with the preload that this user's session daemon
 * sees is shown (no tag filter).  Whatever happens, the session, the relay
 * daemon and its directory are gone when top ends, by their names and pid.
 */
#include "record/execheck.h"
#include "record/launch.h"
#include "record/netaddr.h"
#include "record/relayd.h"
#include "model/model.h"
#include "read/read.h"
#include "record/session.h"
#include "record/sessiond.h"
#include "tool.h"
#include "top.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lttng/lttng.h>

static const char usage[] =
	"Usage: sockscope top [OPTIONS] [-- CMD [ARGS...]]\n"
	"\n"
	"Show the sockets of traced processes live: per process its open\n"
	"connections, bytes sent and received per second, calls and errors per\n"
	"second and the p99 call latency; below, the busiest connections.  With\n"
	"CMD, runs it traced as `record` does; without, shows every program running\n"
	"with the preload (LD_PRELOAD=libsockscope-preload.so) that this user's\n"
	"LTTng session daemon sees.\n"
	"\n"
	"Options:\n"
	"  -i, --interval SECS    refresh every SECS seconds (default 1)\n"
	"  -b, --batch            no screen: one block per interval on stdout; with\n"
	"                         CMD, end when it ends, with its exit status\n"
	"  -f, --format FORMAT    text (default) or json (one object per line) in\n"
	"                         batch mode\n"
	"  -n, --count N          stop after N intervals\n"
	"  -e, --events LIST      event patterns (default sockscope:*)\n"
	"  -r, --relay HOST[:PORT]\n"
	"                         use the lttng-relayd at HOST (control PORT, default\n"
	"                         5342, data PORT+1, live PORT+2: `sockscope relay`'s),\n"
	"                         which keeps the trace; default: a private one on free\n"
	"                         ports of 127.0.0.1, gone with top\n"
	"  -o, --command-output FILE\n"
	"                         where CMD's output goes (default: nowhere with the\n"
	"                         screen, which also keeps CMD off the keyboard; top's\n"
	"                         stderr with --batch, so that stdout is top's alone)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Keys: q quit, s next sort column, p pause, arrows scroll.\n"
	"\n"
	"Examples:\n"
	"  sockscope top -- curl -s https://example.org\n"
	"  sockscope top --batch --format json -- ./server | jq .processes\n";

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = sig;
}


/* ---- set-up and tear-down ---- */

struct opts {
	double interval;
	int batch, json;
	const char *cmd_out;
	const char *relay;
	uint64_t count;
	struct ss_session_cfg s;
};

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "batch", no_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "command-output", required_argument, NULL, 'o' },
		{ "relay", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	*o = (struct opts){ .interval = 1.0, .s = { "sockscope:*", 4 << 20, 4, 0, NULL } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:i:bf:n:e:o:r:h", longs, NULL)) != -1) {
		switch (c) {
		case 'i':
			errno = 0;
			o->interval = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(o->interval >= 0.1) ||
			    o->interval > 3600)
				ss_die(2, "--interval: '%s' is not a number of seconds from 0.1 to 3600",
				       optarg);
			break;
		case 'b': o->batch = 1; break;
		case 'f':
			if (!strcmp(optarg, "json"))
				o->json = 1;
			else if (strcmp(optarg, "text"))
				ss_die(2, "--format: '%s' is not text or json", optarg);
			break;
		case 'n':
			if (ss_parse_u64(optarg, &o->count) < 0 || !o->count)
				ss_die(2, "--count: '%s' is not a positive number", optarg);
			break;
		case 'e': o->s.events = optarg; break;
		case 'o': o->cmd_out = optarg; break;
		case 'r': o->relay = optarg; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: ss_bad_option(usage, c, argv);
		}
	}
	if (o->json && !o->batch)
		ss_die(2, "--format json goes with --batch (the screen is text)");
	if (!o->batch && (!isatty(0) || !isatty(1)))
		ss_die(2, "no terminal for the screen: use --batch");
}

/* The command, started traced, its output to out (NULL: nowhere, and no
 * input either; "-": stderr); its pid, or -1 after saying why, with the
 * status a shell gives then in *status. */
static pid_t launch(char **cmd, const char *preload, uint64_t tag, const sigset_t *orig,
		    const char *out, int *status)
{
	char exe[PATH_MAX];
	int err = 0;
	pid_t pid = -1;

	*status = 126;
	if (ss_resolve_cmd(cmd[0], exe, sizeof(exe)) < 0) {
		err = errno;
		ss_warn("%s: %s", cmd[0], strerror(err));
		*status = err == ENOENT || err == ENOTDIR ? 127 : 126;
		return -1;
	}
	int fd = !out ? open("/dev/null", O_RDWR | O_CLOEXEC) :
		 strcmp(out, "-") ? open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) :
		 fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (fd < 0) {
		ss_warn("%s: %s", out ? out : "/dev/null", strerror(errno));
		return -1;
	}
	const int io[3] = { out ? -1 : fd, fd, fd };
	pid = ss_launch(exe, cmd, preload, tag, 0, NULL, orig, io, &err);
	close(fd);
	if (pid < 0) {
		ss_warn("%s%s: %s", pid == -2 ? "fork: " : "", cmd[0], strerror(err));
		*status = err == ENOENT || err == ENOTDIR ? 127 : 126;
	}
	return pid;
}

/* A relay daemon the user runs: reachable now, its three ports; its
 * numeric IPv4 address in host.  0, or -1 after saying why. */
static int given_relay(const char *arg, struct ss_relayd *r, char *host, size_t size)
{
	struct ss_hostport hp;
	char why[256];
	int v6 = 0;

	memset(r, 0, sizeof(*r));
	if (ss_parse_hostport(arg, SS_RELAY_PORT, 3, &hp, why, sizeof(why)) < 0) {
		ss_warn("--relay: %s", why);
		return -1;
	}
	for (unsigned i = 0; i < 3; i++) {
		if (ss_tcp_probe(hp.host, hp.port + i, 5000, host, size, &v6, why, sizeof(why)) < 0) {
			ss_warn("cannot reach lttng-relayd at %s:%u: %s", hp.host, hp.port + i, why);
			return -1;
		}
		if (v6) {
			ss_warn("--relay: %s is IPv6: libbabeltrace2's live reader parses IPv4 "
				"addresses and names only", hp.host);
			return -1;
		}
	}
	r->ctrl = (int)hp.port;
	r->data = (int)hp.port + 1;
	r->live = (int)hp.port + 2;
	return 0;
}

int ss_top_main(int argc, char **argv)
{
	struct opts o;
	struct top t = { 0 };
	struct ss_sessiond d;
	struct ss_relayd rd;
	struct ss_filter none = { 0 };
	char host[256] = "", tmpl[PATH_MAX], relay_host[64] = "127.0.0.1";
	int status = 0, have_status = 0, ret = 2;
	pid_t child = -1;
	char *preload = NULL;

	ss_cmd = "top";
	parse(argc, argv, &o);
	char **cmd = optind < argc ? argv + optind : NULL;
	if (cmd && !(preload = ss_find_preload()))
		ss_die(2, "cannot find libsockscope-preload.so (beside sockscope, in %s, "
		       "or SOCKSCOPE_PRELOAD)", SS_LIBDIR);
	/* Until the command runs, signals wait; then they end top (and go to
	 * the command's process group as the terminal sends them). */
	sigset_t set, orig;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &orig);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	const char *tmp = getenv("TMPDIR");
	snprintf(tmpl, sizeof(tmpl), "%s/sockscope-top-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl))
		ss_die(2, "%s: %s", tmpl, strerror(errno));
	if (ss_sessiond_acquire(&d) < 0) {
		rmdir(tmpl);
		return 2;
	}
	if (o.relay ? given_relay(o.relay, &rd, relay_host, sizeof(relay_host)) < 0 :
		      ss_relayd_start(&rd, tmpl) < 0) {
		ss_sessiond_release(&d, 0);
		ss_remove_tree(tmpl);
		return 2;
	}
	uint64_t tag = cmd ? ss_make_tag() : 0;
	char *name = ss_xasprintf("sockscope-top-%d", (int)getpid());
	char *ctrl = ss_xasprintf("tcp://%s:%d", relay_host, rd.ctrl);
	char *data = ss_xasprintf("tcp://%s:%d", relay_host, rd.data);
	int started = ss_session_start_live(name, ctrl, data, tag, &o.s) == 0;
	ss_sessiond_unlock(&d);
	gethostname(host, sizeof(host) - 1);
	char *url = ss_xasprintf("net://%s:%d/host/%s/%s", relay_host, rd.live, host, name);
	t.m = ss_model_new(&none);
	t.m->tap = ss_top_tap;
	t.m->tap_arg = &t;
	ss_hmap_init(&t.procs);
	ss_hmap_init(&t.conns);
	struct ss_live *live = started ? ss_live_open(url, t.m) : NULL;
	if (!live)
		goto out;
	if (cmd && (child = launch(cmd, preload, tag, &orig,
				   o.cmd_out ? o.cmd_out : o.batch ? "-" : NULL, &ret)) < 0)
		goto out;
	sigprocmask(SIG_SETMASK, &orig, NULL);
	if (!o.batch) {
		initscr();
		cbreak();
		noecho();
		keypad(stdscr, TRUE);
		curs_set(0);
		timeout(50);
	}
	uint64_t t0 = ss_mono_ns(), intervals = 0;
	int quit = 0, ended = 0;
	char state[128] = "";
	while (!quit && !stopping) {
		uint64_t until = t0 + (uint64_t)(o.interval * 1e9);
		while (!stopping && ss_mono_ns() < until) {
			int r = ss_live_read(live, 50);
			if (r < 0) {
				quit = 1;
				break;
			}
			if (child > 0 && !have_status && waitpid(child, &status, WNOHANG) == child) {
				have_status = 1;
				status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
				snprintf(state, sizeof(state), "  - %s exited, status %d%s", cmd[0],
					 status, o.batch ? "" : ": q to quit");
				break;
			}
			if (!o.batch) {
				int ch = getch();
				if (ch != ERR && ss_top_key(&t, ch)) {
					quit = 1;
					break;
				}
				if (ch != ERR)
					ss_top_draw(&t, ss_mono_ns() - t0, 0, state);
			} else if (r == 1) {
				struct timespec ts = { 0, 20 * 1000000L };
				nanosleep(&ts, NULL);
			}
		}
		/* The command ended: what it did last reaches us once the
		 * session is stopped (its buffers flushed) and read out. */
		if (have_status && !ended) {
			ended = 1;
			t.totals = !o.batch;
			lttng_stop_tracing(name);
			for (int quiet = 0; quiet < 5;) {
				uint64_t before = t.m->read;
				ss_live_read(live, 200);
				quiet = t.m->read == before ? quiet + 1 : 0;
			}
		}
		uint64_t ns = ss_mono_ns() - t0, lost = t.m->lost - t.lost_seen;
		t.lost_seen = t.m->lost;
		if (o.batch && o.json)
			ss_top_json(&t, ns, lost, have_status ? &status : NULL);
		else if (o.batch)
			ss_top_text(&t, ns, lost, state);
		else if (!t.paused)
			ss_top_draw(&t, ns, lost, state);
		if (!t.paused)
			ss_top_next_interval(&t);
		t0 += ns;
		intervals++;
		if ((o.count && intervals >= o.count) || (o.batch && have_status))
			break;
	}
	if (!o.batch)
		endwin();
	ret = 0;
out:
	ss_live_close(live);
	if (child > 0 && !have_status) {
		/* Ended before the command: it goes on, untraced from now. */
		ss_warn("%s (pid %d) goes on; its calls are no longer shown", cmd[0], (int)child);
	}
	ss_sessiond_lock_end(&d);
	/* Destroyed and waited for: the consumer daemon lets go of the
	 * relay daemon, which can then stop. */
	if (started)
		lttng_destroy_session(name);
	ss_sessiond_release(&d, 0);
	if (!o.relay)
		ss_relayd_stop(&rd);
	ss_remove_tree(tmpl);
	const struct ss_hmap_slot *s;
	for (size_t i = 0; ss_hmap_next(&t.procs, &i, &s);)
		free(s->v);
	for (size_t i = 0; ss_hmap_next(&t.conns, &i, &s);)
		free(s->v);
	ss_hmap_free(&t.procs);
	ss_hmap_free(&t.conns);
	if (t.m)
		ss_model_free(t.m);
	free(url);
	free(ctrl);
	free(data);
	free(name);
	free(preload);
	if (ret)
		return ret;
	if (stopping)
		return 128 + stopping;
	return cmd && have_status ? status : 0;
}
