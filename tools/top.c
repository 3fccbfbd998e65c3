// SPDX-License-Identifier: MIT
/*
 * `sockscope top`: the traced processes' sockets live.  An LTTng live
 * session streams to a private lttng-relayd (relayd.c) on free ports of
 * 127.0.0.1, and babeltrace2's lttng-live source reads it back as it
 * arrives (reader.c, ss_live_*) into the report's model, whose tap hands
 * each call to this file: per process and per connection, counts of the
 * current interval and totals.  Each interval is drawn on an ncurses
 * screen, or printed (--batch) as text or one JSON object per line.
 *
 * With a command, it runs as under `record` (preload, recording tag, its
 * forks followed by the preload) and top ends with it in batch mode;
 * without, every process with the preload that this user's session daemon
 * sees is shown (no tag filter).  Whatever happens, the session, the relay
 * daemon and its directory are gone when top ends, by their names and pid.
 */
#include "out/json.h"
#include "record/launch.h"
#include "record/netaddr.h"
#include "record/relayd.h"
#include "model/model.h"
#include "read/read.h"
#include "record/session.h"
#include "record/sessiond.h"
#include "tool.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

/* A process's counts: of the interval (tx...) and in all (t_tx...). */
struct tproc {
	int64_t pid;
	char comm[24];
	uint64_t tx, rx, calls, errors;
	uint64_t t_tx, t_rx, t_calls, t_errors;
	int conns;
	struct ss_hist h, th; /* the interval's call latencies, and all */
};

struct tconn {
	int64_t pid, sock;
	char comm[24], local[64], remote[64];
	uint64_t tx, rx, t_tx, t_rx;
	int idle; /* intervals without a byte */
};

struct top {
	struct ss_model *m;
	struct ss_hmap procs, conns;
	uint64_t lost_seen;
	int sort; /* column of the process table */
	int paused, scroll;
	int totals; /* the command ended: show what it did in all */
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = sig;
}

/* The model's tap: each call as it is read. */
static void tap(void *arg, const struct ss_ev *e, const struct ss_proc *p, const struct ss_conn *c)
{
	struct top *t = arg;
	struct tproc *tp = ss_hmap_get(&t->procs, (uint64_t)p->vpid, 0);
	int64_t n = 0;
	int tx = e->kind == SS_K_TX || e->kind == SS_K_TX_MMSG;

	if (!tp) {
		tp = ss_xcalloc(1, sizeof(*tp));
		tp->pid = p->vpid;
		ss_hmap_put(&t->procs, (uint64_t)p->vpid, 0, tp);
	}
	memcpy(tp->comm, p->comm, sizeof(tp->comm));
	tp->calls++;
	tp->t_calls++;
	if (e->err || (e->ret < 0 && e->kind != SS_K_DNS)) {
		tp->errors++;
		tp->t_errors++;
	}
	ss_hist_add(&tp->h, (uint64_t)e->dur);
	ss_hist_add(&tp->th, (uint64_t)e->dur);
	if ((e->kind == SS_K_TX || e->kind == SS_K_RX) && e->ret > 0)
		n = e->ret;
	else if ((e->kind == SS_K_TX_MMSG || e->kind == SS_K_RX_MMSG) && e->ret > 0)
		n = e->bytes;
	if (e->kind == SS_K_RX && (e->flags & MSG_PEEK))
		n = 0;
	if (n <= 0)
		return;
	if (tx)
		tp->tx += (uint64_t)n, tp->t_tx += (uint64_t)n;
	else
		tp->rx += (uint64_t)n, tp->t_rx += (uint64_t)n;
	if (!c)
		return;
	struct tconn *tc = ss_hmap_get(&t->conns, (uint64_t)c->vpid, (uint64_t)c->sock);
	if (!tc) {
		tc = ss_xcalloc(1, sizeof(*tc));
		tc->pid = c->vpid;
		tc->sock = c->sock;
		ss_hmap_put(&t->conns, (uint64_t)c->vpid, (uint64_t)c->sock, tc);
	}
	memcpy(tc->comm, c->owner->comm, sizeof(tc->comm));
	snprintf(tc->local, sizeof(tc->local), "%s", c->local ? c->local : "-");
	/* A datagram socket's peer is the call's. */
	snprintf(tc->remote, sizeof(tc->remote), "%s",
		 c->remote ? c->remote : e->addr && *e->addr ? e->addr : "-");
	if (tx)
		tc->tx += (uint64_t)n, tc->t_tx += (uint64_t)n;
	else
		tc->rx += (uint64_t)n, tc->t_rx += (uint64_t)n;
}

/* ---- one interval ---- */

static const char *const columns[] = { "TX/s", "RX/s", "CALLS/s", "ERR/s", "P99" };

static int sort_col, sort_totals;

static uint64_t proc_key(const struct tproc *p, int col)
{
	switch (col) {
	case 0: return sort_totals ? p->t_tx : p->tx;
	case 1: return sort_totals ? p->t_rx : p->rx;
	case 2: return sort_totals ? p->t_calls : p->calls;
	case 3: return sort_totals ? p->t_errors : p->errors;
	default: return ss_hist_percentile(sort_totals ? &p->th : &p->h, 99);
	}
}

static int by_col(const void *a, const void *b)
{
	const struct tproc *x = *(const struct tproc *const *)a, *y = *(const struct tproc *const *)b;
	uint64_t kx = proc_key(x, sort_col), ky = proc_key(y, sort_col);

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int by_bytes(const void *a, const void *b)
{
	const struct tconn *x = *(const struct tconn *const *)a, *y = *(const struct tconn *const *)b;
	uint64_t kx = sort_totals ? x->t_tx + x->t_rx : x->tx + x->rx;
	uint64_t ky = sort_totals ? y->t_tx + y->t_rx : y->tx + y->rx;

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The processes to show, sorted (those with calls in the interval or
 * connections open), and the connections that moved bytes. */
static struct tproc **interval_procs(struct top *t, size_t *n)
{
	const struct ss_hmap_slot *s;
	struct tproc **v = ss_xcalloc(t->procs.used + 1, sizeof(*v));

	for (size_t i = 0; ss_hmap_next(&t->procs, &i, &s);)
		((struct tproc *)s->v)->conns = 0;
	for (const struct ss_conn *c = t->m->live; c; c = c->next) {
		struct tproc *p = ss_hmap_get(&t->procs, (uint64_t)c->vpid, 0);
		if (p && c->role != SS_ROLE_LISTENER)
			p->conns++;
	}
	*n = 0;
	for (size_t i = 0; ss_hmap_next(&t->procs, &i, &s);) {
		struct tproc *p = s->v;
		if (p->calls || p->conns || (t->totals && p->t_calls))
			v[(*n)++] = p;
	}
	sort_col = t->sort;
	sort_totals = t->totals;
	qsort(v, *n, sizeof(*v), by_col);
	return v;
}

static struct tconn **interval_conns(struct top *t, size_t *n)
{
	const struct ss_hmap_slot *s;
	struct tconn **v = ss_xcalloc(t->conns.used + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; ss_hmap_next(&t->conns, &i, &s);) {
		struct tconn *c = s->v;
		if (t->totals ? c->t_tx || c->t_rx : c->tx || c->rx)
			v[(*n)++] = c;
	}
	sort_totals = t->totals;
	qsort(v, *n, sizeof(*v), by_bytes);
	return v;
}

/* The interval is over: its counts start again; connections idle for a
 * while are forgotten. */
static void next_interval(struct top *t)
{
	const struct ss_hmap_slot *s;

	for (size_t i = 0; ss_hmap_next(&t->procs, &i, &s);) {
		struct tproc *p = s->v;
		p->tx = p->rx = p->calls = p->errors = 0;
		if (p->h.count)
			memset(&p->h, 0, sizeof(p->h));
	}
	for (size_t i = 0; ss_hmap_next(&t->conns, &i, &s);) {
		struct tconn *c = s->v;
		c->idle = c->tx || c->rx ? 0 : c->idle + 1;
		c->tx = c->rx = 0;
	}
	for (size_t i = 0; ss_hmap_next(&t->conns, &i, &s);) {
		struct tconn *c = s->v;
		if (c->idle > 30 && !t->totals) {
			free(ss_hmap_del(&t->conns, (uint64_t)c->pid, (uint64_t)c->sock));
			i = 0; /* deletion moves entries: start again */
		}
	}
}

static double per_sec(uint64_t v, uint64_t ns)
{
	return ns ? (double)v * 1e9 / (double)ns : 0;
}

static const char *rate(double v, char *buf, size_t size)
{
	const char *unit = " KMGT";
	int u = 0;

	while (v >= 1000 && u < 4)
		v /= 1000, u++;
	if (u)
		snprintf(buf, size, "%.1f%c", v, unit[u]);
	else
		snprintf(buf, size, "%.0f", v);
	return buf;
}

static const char *latency(uint64_t ns, char *buf, size_t size)
{
	if (!ns)
		snprintf(buf, size, "-");
	else if (ns < 1000)
		snprintf(buf, size, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.1fus", (double)ns / 1e3);
	else
		snprintf(buf, size, "%.1fms", (double)ns / 1e6);
	return buf;
}

static uint64_t now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One interval as a JSON line: byte and call counts are the interval's. */
static void print_json(struct top *t, uint64_t ns, uint64_t lost, const int *status)
{
	struct json j = { stdout, 1 };
	size_t np, nc;
	struct tproc **pv = interval_procs(t, &np);
	struct tconn **cv = interval_conns(t, &nc);
	char comm[24];

	fputc('{', stdout);
	kuint(&j, "t_ns", now_real());
	kuint(&j, "interval_ns", ns);
	kuint(&j, "discarded_events", lost);
	open_obj(&j, "processes", '[');
	for (size_t i = 0; i < np; i++) {
		const struct tproc *p = pv[i];
		open_obj(&j, NULL, '{');
		kint(&j, "pid", ss_id_of(p->pid));
		memcpy(comm, p->comm, sizeof(comm));
		kstr(&j, "comm", comm);
		kuint(&j, "tx_bytes", p->tx);
		kuint(&j, "rx_bytes", p->rx);
		kuint(&j, "calls", p->calls);
		kuint(&j, "errors", p->errors);
		kint(&j, "connections", p->conns);
		kuint(&j, "p99_ns", ss_hist_percentile(&p->h, 99));
		close_obj(&j, '}');
	}
	close_obj(&j, ']');
	open_obj(&j, "connections", '[');
	for (size_t i = 0; i < nc; i++) {
		const struct tconn *c = cv[i];
		open_obj(&j, NULL, '{');
		kint(&j, "pid", ss_id_of(c->pid));
		kstr(&j, "comm", c->comm);
		kstr(&j, "local", c->local);
		kstr(&j, "remote", c->remote);
		kuint(&j, "tx_bytes", c->tx);
		kuint(&j, "rx_bytes", c->rx);
		close_obj(&j, '}');
	}
	close_obj(&j, ']');
	if (status)
		kint(&j, "exit_status", *status);
	fputs("}\n", stdout);
	fflush(stdout);
	free(pv);
	free(cv);
}

/* The lines of one interval, for the screen and --batch text alike. */
static void lines(struct top *t, uint64_t ns, uint64_t lost, const char *state,
		  void (*out)(void *, int, const char *), void *arg)
{
	size_t np, nc;
	struct tproc **pv = interval_procs(t, &np);
	struct tconn **cv = interval_conns(t, &nc);
	char l[512], a[16], b[16], c[16], d[16], e[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(l, sizeof(l), "sockscope top - %02d:%02d:%02d  interval %.1fs  %zu processes  "
		 "%llu events, %llu discarded%s%s", tm.tm_hour, tm.tm_min, tm.tm_sec, (double)ns / 1e9,
		 np, (unsigned long long)t->m->events, (unsigned long long)t->m->lost,
		 lost ? " (NEW) " : "", state);
	out(arg, 1, l);
	if (t->totals)
		snprintf(l, sizeof(l), "%7s %-15s %5s %9s %9s %9s %7s %9s", "PID", "COMM", "CONNS",
			 "TX", "RX", "CALLS", "ERRORS", "P99");
	else
		snprintf(l, sizeof(l), "%7s %-15s %5s %9s %9s %9s %7s %9s", "PID", "COMM", "CONNS",
			 columns[0], columns[1], columns[2], columns[3], columns[4]);
	out(arg, 2, l);
	for (size_t i = 0; i < np; i++) {
		const struct tproc *p = pv[i];
		if (t->totals)
			snprintf(l, sizeof(l), "%7lld %-15.15s %5d %9s %9s %9s %7s %9s",
				 (long long)ss_id_of(p->pid), p->comm, p->conns,
				 rate((double)p->t_tx, a, sizeof(a)), rate((double)p->t_rx, b, sizeof(b)),
				 rate((double)p->t_calls, c, sizeof(c)),
				 rate((double)p->t_errors, d, sizeof(d)),
				 latency(ss_hist_percentile(&p->th, 99), e, sizeof(e)));
		else
			snprintf(l, sizeof(l), "%7lld %-15.15s %5d %9s %9s %9s %7s %9s",
				 (long long)ss_id_of(p->pid), p->comm, p->conns,
				 rate(per_sec(p->tx, ns), a, sizeof(a)),
				 rate(per_sec(p->rx, ns), b, sizeof(b)),
				 rate(per_sec(p->calls, ns), c, sizeof(c)),
				 rate(per_sec(p->errors, ns), d, sizeof(d)),
				 latency(ss_hist_percentile(&p->h, 99), e, sizeof(e)));
		out(arg, 0, l);
	}
	out(arg, 0, "");
	snprintf(l, sizeof(l), "%7s %-15s %-24s %-24s %9s %9s", "PID", "COMM", "LOCAL", "REMOTE",
		 t->totals ? "TX" : "TX/s", t->totals ? "RX" : "RX/s");
	out(arg, 2, l);
	for (size_t i = 0; i < nc; i++) {
		const struct tconn *x = cv[i];
		snprintf(l, sizeof(l), "%7lld %-15.15s %-24.24s %-24.24s %9s %9s",
			 (long long)ss_id_of(x->pid), x->comm, x->local, x->remote,
			 rate(t->totals ? (double)x->t_tx : per_sec(x->tx, ns), a, sizeof(a)),
			 rate(t->totals ? (double)x->t_rx : per_sec(x->rx, ns), b, sizeof(b)));
		out(arg, 0, l);
	}
	free(pv);
	free(cv);
}

static void print_line(void *arg, int kind, const char *l)
{
	(void)arg, (void)kind;
	puts(l);
}

/* ---- the screen ---- */

struct screen {
	int row, skip;
};

static void screen_line(void *arg, int kind, const char *l)
{
	struct screen *s = arg;

	if (kind == 0 && s->skip > 0) { /* scrolled away */
		s->skip--;
		return;
	}
	if (s->row >= LINES - 1)
		return;
	if (kind)
		attron(kind == 1 ? A_BOLD : A_REVERSE);
	/* Not the last column: a terminal wraps there. */
	mvaddnstr(s->row++, 0, l, COLS - 1);
	if (kind)
		attroff(kind == 1 ? A_BOLD : A_REVERSE);
}

static void draw(struct top *t, uint64_t ns, uint64_t lost, const char *state)
{
	struct screen s = { 0, t->scroll };
	char help[128];

	erase();
	lines(t, ns, lost, state, screen_line, &s);
	snprintf(help, sizeof(help), "q quit  s sort (%s)  p %s  arrows scroll",
		 columns[t->sort], t->paused ? "resume" : "pause");
	attron(A_REVERSE);
	mvaddnstr(LINES - 1, 0, help, COLS - 1);
	attroff(A_REVERSE);
	refresh();
}

/* A key: 1 to quit. */
static int key_pressed(struct top *t, int ch)
{
	switch (ch) {
	case 'q':
	case 'Q':
		return 1;
	case 's':
		t->sort = (t->sort + 1) % (int)(sizeof(columns) / sizeof(columns[0]));
		break;
	case 'p':
		t->paused = !t->paused;
		break;
	case KEY_DOWN:
		t->scroll++;
		break;
	case KEY_UP:
		if (t->scroll)
			t->scroll--;
		break;
	default:
		break;
	}
	return 0;
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

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* Why the command could not run. */
static int launch_err;

/* The command, started traced, its output to out (NULL: nowhere, and no
 * input either; "-": stderr); its pid, or -1 after saying why. */
static pid_t launch(char **cmd, const char *preload, uint64_t tag, const sigset_t *orig,
		    const char *out)
{
	int ep[2], err = 0;
	int fd = !out ? open("/dev/null", O_RDWR | O_CLOEXEC) :
		 strcmp(out, "-") ? open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) :
		 fcntl(2, F_DUPFD_CLOEXEC, 3);

	if (fd < 0) {
		ss_warn("%s: %s", out ? out : "/dev/null", strerror(errno));
		return -1;
	}
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(fd);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(ep[0]);
		if (!out)
			dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		ss_child_env(preload, tag, 0, NULL);
		sigprocmask(SIG_SETMASK, orig, NULL);
		execvp(cmd[0], cmd);
		err = errno;
		_exit(write(ep[1], &err, sizeof(err)) == sizeof(err) ? 126 : 127);
	}
	close(ep[1]);
	close(fd);
	if (pid < 0) {
		close(ep[0]);
		ss_warn("fork: %s", strerror(errno));
		return -1;
	}
	ssize_t got;
	while ((got = read(ep[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	close(ep[0]);
	if (got == sizeof(err) && err) {
		waitpid(pid, NULL, 0);
		ss_warn("%s: %s", cmd[0], strerror(err));
		launch_err = err;
		return -1;
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
			ss_warn("--relay: %s is IPv6: the live reader takes IPv4 here", hp.host);
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
		nftw(tmpl, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
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
	t.m->tap = tap;
	t.m->tap_arg = &t;
	ss_hmap_init(&t.procs);
	ss_hmap_init(&t.conns);
	struct ss_live *live = started ? ss_live_open(url, t.m) : NULL;
	if (!live)
		goto out;
	if (cmd && (child = launch(cmd, preload, tag, &orig,
				   o.cmd_out ? o.cmd_out : o.batch ? "-" : NULL)) < 0) {
		ret = launch_err == ENOENT ? 127 : 126; /* as a shell says it */
		goto out;
	}
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
				if (ch != ERR && key_pressed(&t, ch)) {
					quit = 1;
					break;
				}
				if (ch != ERR)
					draw(&t, ss_mono_ns() - t0, 0, state);
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
			print_json(&t, ns, lost, have_status ? &status : NULL);
		else if (o.batch)
			lines(&t, ns, lost, state, print_line, NULL), puts(""), fflush(stdout);
		else if (!t.paused)
			draw(&t, ns, lost, state);
		if (!t.paused)
			next_interval(&t);
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
	nftw(tmpl, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
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
