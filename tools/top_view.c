// SPDX-License-Identifier: MIT
/*
 * What `sockscope top` counts and shows (top.h): the model's tap counts
 * each call per process and per connection, for the interval and in all;
 * each interval is printed as text or a JSON line (--batch), or drawn on
 * the ncurses screen, whose keys are read here too.  top.c sets it all up
 * and tears it down.
 */
#include "model/model.h"
#include "out/json.h"
#include "tool.h"
#include "top.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* The model's tap: each call as it is read. */
void ss_top_tap(void *arg, const struct ss_ev *e, const struct ss_proc *p, const struct ss_conn *c)
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
void ss_top_next_interval(struct top *t)
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
void ss_top_json(struct top *t, uint64_t ns, uint64_t lost, const int *status)
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

void ss_top_text(struct top *t, uint64_t ns, uint64_t lost, const char *state)
{
	lines(t, ns, lost, state, print_line, NULL);
	puts("");
	fflush(stdout);
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

void ss_top_draw(struct top *t, uint64_t ns, uint64_t lost, const char *state)
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
int ss_top_key(struct top *t, int ch)
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
