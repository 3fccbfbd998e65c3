// SPDX-License-Identifier: MIT
/*
 * The text report: a header, then a syscall summary in the manner of
 * `strace -c` with latency percentiles, connections in the manner of
 * bcc's tcplife, errors by call, name lookups, the companion library's
 * methods with the calls they made, and latency histograms.  Sections with
 * nothing to say are left out.
 */
#include "model/model.h"
#include "out/out.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEXT_PEERS 16 /* a datagram socket's peers listed a line each; the rest summed */

/* A duration with its unit, 4 significant digits: 812ns, 12.35us, 3.2s. */
static const char *dur(uint64_t ns, char *buf, size_t size)
{
	if (ns < 1000)
		snprintf(buf, size, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.4gus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.4gms", (double)ns / 1e6);
	else
		snprintf(buf, size, "%.4gs", (double)ns / 1e9);
	return buf;
}

/* A byte count: exact below 10000, then K, M, G with one decimal. */
static const char *bytes(uint64_t n, char *buf, size_t size)
{
	static const char unit[] = "KMGTP";
	double v = (double)n;
	int u = -1;

	if (n < 10000) {
		snprintf(buf, size, "%llu", (unsigned long long)n);
		return buf;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%.1f%c", v, unit[u]);
	return buf;
}

/* A process as printed: its pid, after its host's name when the traces
 * come from several hosts ("web1/4242"). */
static const char *pid_text(const struct ss_model *m, int64_t key, char *buf, size_t size)
{
	char h[80];

	if (m->nhosts > 1)
		snprintf(buf, size, "%s/%lld", ss_host_name(m, ss_host_of(key), h, sizeof(h)),
			 (long long)ss_id_of(key));
	else
		snprintf(buf, size, "%lld", (long long)ss_id_of(key));
	return buf;
}

/* Processes in the order they were first seen. */
static int by_first(const void *a, const void *b)
{
	const struct ss_proc *x = *(const struct ss_proc *const *)a;
	const struct ss_proc *y = *(const struct ss_proc *const *)b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static void header(const struct ss_report *r, FILE *f)
{
	struct ss_model *m = r->m;
	const struct ss_hmap_slot *s;
	char a[32], pid[96], ppid[96];
	size_t nproc = 0;

	for (size_t i = 0; i < r->ndirs; i++) {
		const struct ss_info *in = &r->info[i];
		fprintf(f, "trace      %s\n", r->dirs[i]);
		if (in->command)
			fprintf(f, "command    %s", in->command);
		if (in->command && in->status >= 0)
			fprintf(f, "  (exit status %lld)", (long long)in->status);
		if (in->command)
			fputc('\n', f);
	}
	const struct ss_proc **pv = ss_xcalloc(m->procs.used, sizeof(*pv));
	for (size_t i = 0; ss_hmap_next(&m->procs, &i, &s);)
		if (((const struct ss_proc *)s->v)->events)
			pv[nproc++] = s->v;
	qsort(pv, nproc, sizeof(*pv), by_first);
	fprintf(f, "processes  %zu:", nproc);
	size_t shown;
	for (shown = 0; shown < nproc && shown < 8; shown++) {
		const struct ss_proc *p = pv[shown];
		fprintf(f, "%s %s %s", shown ? "," : "", pid_text(m, p->vpid, pid, sizeof(pid)),
			p->comm);
		if (p->ppid)
			fprintf(f, " (child of %s)", pid_text(m, p->ppid, ppid, sizeof(ppid)));
	}
	fprintf(f, "%s\n", nproc > shown ? ", ..." : "");
	for (size_t i = 0; i < nproc; i++)
		if (pv[i]->stopped[0])
			fprintf(f, "stopped    %s %s: tracing stopped (%s)\n",
				pid_text(m, pv[i]->vpid, pid, sizeof(pid)), pv[i]->comm, pv[i]->stopped);
	free(pv);
	fprintf(f, "events     %llu in %s", (unsigned long long)m->events,
		dur(m->last_ts - m->first_ts, a, sizeof(a)));
	if (m->read != m->events)
		fprintf(f, " (%llu read)", (unsigned long long)m->read);
	fprintf(f, ", %llu discarded", (unsigned long long)m->lost);
	if (m->lost_packets)
		fprintf(f, ", %llu packets lost", (unsigned long long)m->lost_packets);
	fputc('\n', f);
	if (m->lost)
		fprintf(f, "           (the tracer's buffers were full: counts below are low; "
			   "record with a larger --buffer-size or --block)\n");
}

static void syscalls(struct ss_call_stat **v, size_t n, FILE *f)
{
	uint64_t total = 0, calls = 0, errors = 0;
	char p50[16], p99[16], mx[16], errs[24];

	for (size_t i = 0; i < n; i++) {
		total += v[i]->h.total;
		calls += v[i]->h.count;
		errors += v[i]->errors;
	}
	if (!calls)
		return;
	fprintf(f, "\n%6s %11s %11s %9s %9s %9s %9s %9s %s\n", "% time", "seconds", "usecs/call",
		"calls", "errors", "p50", "p99", "max", "syscall");
	fprintf(f, "------ ----------- ----------- --------- --------- --------- --------- "
		   "--------- ----------------\n");
	for (size_t i = 0; i < n && v[i]->h.count; i++) {
		const struct ss_hist *h = &v[i]->h;
		snprintf(errs, sizeof(errs), "%llu", (unsigned long long)v[i]->errors);
		fprintf(f, "%6.2f %11.6f %11llu %9llu %9s %9s %9s %9s %s\n",
			total ? 100.0 * (double)h->total / (double)total : 0.0, (double)h->total / 1e9,
			(unsigned long long)(h->total / h->count / 1000), (unsigned long long)h->count,
			v[i]->errors ? errs : "",
			dur(ss_hist_percentile(h, 50), p50, sizeof(p50)),
			dur(ss_hist_percentile(h, 99), p99, sizeof(p99)), dur(h->max, mx, sizeof(mx)),
			v[i]->name);
	}
	fprintf(f, "------ ----------- ----------- --------- --------- --------- --------- "
		   "--------- ----------------\n");
	fprintf(f, "100.00 %11.6f %11s %9llu %9llu %29s total\n", (double)total / 1e9, "",
		(unsigned long long)calls, (unsigned long long)errors, "");
}

struct conn_ctx {
	const struct ss_model *m;
	FILE *f;
	uint64_t n;
	struct ss_flows *fl; /* the ends kept for the flows */
};

/* One of a datagram socket's peers, under its row. */
static void peer_line(FILE *f, const char *addr, uint64_t tx, uint64_t rx)
{
	char t[16], r[16];

	fprintf(f, "%-7s %-15s %-8s %-22s %-22s %7s %7s\n", "", "", "", "  peer", addr,
		bytes(tx, t, sizeof(t)), bytes(rx, r, sizeof(r)));
}

static void conn_line(const struct ss_conn_row *r, void *arg)
{
	struct conn_ctx *x = arg;
	char tx[16], rx[16], d[16], pid[96];

	ss_flows_take(x->fl, r);
	if (!x->n++)
		fprintf(x->f, "\n%-7s %-15s %-8s %-22s %-22s %7s %7s %9s %s\n", "PID", "COMM", "ROLE",
			"LOCAL", "REMOTE", "TX", "RX", "DURATION", "NOTE");
	char remote[64];
	if (!*r->remote && r->npeers > 1)
		snprintf(remote, sizeof(remote), "(%d peers)", r->npeers);
	else
		snprintf(remote, sizeof(remote), "%s", *r->remote ? r->remote : "-");
	/* NOTE: why it failed, and "open" when no close was seen. */
	fprintf(x->f, "%-7s %-15.15s %-8s %-22s %-22s %7s %7s %9s %s%s%s\n",
		pid_text(x->m, r->pid, pid, sizeof(pid)), r->comm, r->role, *r->local ? r->local : "-", remote, bytes(r->tx, tx, sizeof(tx)),
		bytes(r->rx, rx, sizeof(rx)), dur(r->duration, d, sizeof(d)),
		r->error ? r->error : "", r->error && r->open ? " " : "", r->open ? "open" : "");
	/* A datagram socket's peers, when it had several: the first ones,
	 * then the rest summed (all of them are in the JSON and in FLOWS). */
	int shown = r->npeers > TEXT_PEERS + 1 ? TEXT_PEERS : r->npeers;
	uint64_t rest_tx = r->other_tx, rest_rx = r->other_rx;
	for (int i = shown; i < r->npeers; i++) {
		rest_tx += r->peers[i].tx;
		rest_rx += r->peers[i].rx;
	}
	int rest = rest_tx || rest_rx;
	if (r->npeers + rest < 2)
		return;
	for (int i = 0; i < shown; i++)
		peer_line(x->f, r->peers[i].addr, r->peers[i].tx, r->peers[i].rx);
	if (rest) {
		char more[48];
		snprintf(more, sizeof(more), r->npeers > shown ? "(%d more)" : "(other)",
			 r->npeers - shown);
		peer_line(x->f, more, rest_tx, rest_rx);
	}
}

static void errors(struct ss_model *m, FILE *f)
{
	size_t n;
	struct ss_err **v = ss_model_errors_sorted(m, &n);

	if (n)
		fprintf(f, "\n%-16s %-24s %9s\n", "CALL", "ERROR", "COUNT");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%-16s %-24s %9llu\n", m->calls[v[i]->id]->name, v[i]->name,
			(unsigned long long)v[i]->count);
	free(v);
}

static int dns_by_count(const void *a, const void *b)
{
	const struct ss_dns_agg *x = *(const struct ss_dns_agg *const *)a;
	const struct ss_dns_agg *y = *(const struct ss_dns_agg *const *)b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->query, y->query);
}

static void lookups(struct ss_model *m, FILE *f)
{
	const struct ss_hmap_slot *s;
	struct ss_dns_agg **v = ss_xcalloc(m->dnsagg.used, sizeof(*v));
	size_t n = 0;
	char avg[16], mx[16];

	for (size_t i = 0; ss_hmap_next(&m->dnsagg, &i, &s);)
		v[n++] = s->v;
	qsort(v, n, sizeof(*v), dns_by_count);
	/* RESULT last: it lists every answer. */
	if (n)
		fprintf(f, "\n%-16s %-28s %7s %9s %9s %s\n", "LOOKUP", "QUERY", "COUNT", "AVG", "MAX",
			"RESULT");
	for (size_t i = 0; i < n; i++) {
		const struct ss_dns_agg *d = v[i];
		char tx[16], rx[16];
		fprintf(f, "%-16s %-28s %7llu %9s %9s %s\n", m->calls[d->id]->name, d->query,
			(unsigned long long)d->count, dur(d->total / d->count, avg, sizeof(avg)),
			dur(d->max, mx, sizeof(mx)), d->result);
		/* The sockets the lookups made, nested as a method's calls are. */
		if (d->socks)
			fprintf(f, "  %-14s %llu socket%s to %s%s, %s out, %s in\n", "made",
				(unsigned long long)d->socks, d->socks > 1 ? "s" : "",
				*d->remote ? d->remote : "-", d->socks > 1 ? " ..." : "",
				bytes(d->tx, tx, sizeof(tx)), bytes(d->rx, rx, sizeof(rx)));
	}
	free(v);
}

static void library(struct ss_model *m, FILE *f)
{
	char p50[16], p99[16], mx[16];
	int any = 0;

	for (size_t i = 0; i < m->napi; i++) {
		const struct ss_api_stat *a = m->api[i];
		if (!a->h.count)
			continue;
		if (!any++)
			fprintf(f, "\n%-18s %7s %7s %9s %9s %9s %s\n", "LIBRARY METHOD", "CALLS",
				"ERRORS", "P50", "P99", "MAX", "SYSCALLS MADE");
		fprintf(f, "%-18s %7llu %7llu %9s %9s %9s ", a->name, (unsigned long long)a->h.count,
			(unsigned long long)a->errors, dur(ss_hist_percentile(&a->h, 50), p50, 16),
			dur(ss_hist_percentile(&a->h, 99), p99, 16), dur(a->h.max, mx, 16));
		int k = 0;
		for (size_t c = 0; c < a->ncaused; c++)
			if (a->caused[c])
				fprintf(f, "%s%s x%llu", k++ ? ", " : "", m->calls[c]->name,
					(unsigned long long)a->caused[c]);
		fprintf(f, "%s\n", k ? "" : "-");
	}
}

/* "PID COMM ENDPOINT" of one end ("?": its address never named); when it
 * was not recorded, "- - ENDPOINT": the address the other end knew. */
static const char *end_text(const struct ss_model *m, const struct ss_flows *fl,
			    const struct ss_flow *w, int server, char *buf, size_t size)
{
	size_t i = server ? w->server : w->client;
	char pid[96];

	if (i == SS_NO_END) {
		snprintf(buf, size, "- - %s", fl->ends[server ? w->client : w->server].remote);
		return buf;
	}
	const struct ss_end *e = &fl->ends[i];
	snprintf(buf, size, "%s %s %s", pid_text(m, e->pid, pid, sizeof(pid)), e->comm,
		 *e->local ? e->local : "?");
	return buf;
}

/* An offset to the nanosecond: "+57.123461913s". */
static const char *offset_text(int64_t ns, char *buf, size_t size)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	snprintf(buf, size, "%c%llu.%09llus", ns < 0 ? '-' : '+',
		 (unsigned long long)(a / 1000000000), (unsigned long long)(a % 1000000000));
	return buf;
}

/* A time of day to the microsecond, local time: "18:06:38.263091". */
static const char *clock_text(uint64_t ns, char *buf, size_t size)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;

	if (!localtime_r(&s, &tm))
		return "?";
	snprintf(buf, size, "%02d:%02d:%02d.%06llu", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned long long)(ns % 1000000000 / 1000));
	return buf;
}

/* Several hosts: each one's clock against the first's, as the flows
 * bound it. */
static void hosts(const struct ss_model *m, const struct ss_flows *fl, FILE *f)
{
	char h[80], o[32], b[32], w[16];

	if (m->nhosts < 2)
		return;
	fprintf(f, "\nHOSTS (clock offsets against %s, bounded by the flows between hosts)\n",
		ss_host_name(m, 0, h, sizeof(h)));
	fprintf(f, "%-20s %18s %-28s %s\n", "HOST", "OFFSET", "UNCERTAINTY", "FLOWS");
	for (int i = 0; i < m->nhosts && i < fl->nhosts; i++) {
		const struct ss_clock *k = &fl->clocks[i];
		char within[64];
		fprintf(f, "%-20s ", ss_host_name(m, i, h, sizeof(h)));
		if (!i) {
			fprintf(f, "%18s %-28s\n", "0", "(reference)");
			continue;
		}
		if (!k->known) {
			fprintf(f, "%18s %-28s\n", "?", "none: no flow to a known host");
			continue;
		}
		if (k->min == SS_UNBOUNDED_MIN || k->max == SS_UNBOUNDED_MAX)
			snprintf(within, sizeof(within), "one side: %s %s",
				 k->min == SS_UNBOUNDED_MIN ? "<=" : ">=",
				 offset_text(k->min == SS_UNBOUNDED_MIN ? k->max : k->min, b,
					     sizeof(b)));
		else
			snprintf(within, sizeof(within), "+-%s",
				 dur((uint64_t)(k->max - k->min) / 2, w, sizeof(w)));
		fprintf(f, "%18s %-28s %llu", offset_text(k->offset, o, sizeof(o)), within,
			(unsigned long long)k->flows);
		if (k->outliers)
			fprintf(f, " (%llu disagree: clock drift, or lost events)",
				(unsigned long long)k->outliers);
		fputc('\n', f);
	}
}

/* Whether an end of w was held by a process whose tracing stopped. */
static int untraced(const struct ss_flows *fl, const struct ss_flow *w)
{
	return (w->client != SS_NO_END && fl->ends[w->client].untraced) ||
	       (w->server != SS_NO_END && fl->ends[w->server].untraced);
}

static void flows(struct ss_model *m, struct ss_flows *fl, FILE *f)
{
	char c[200], s[200], up[16], down[16], d[16], h[80], at[32];

	ss_flows_pair(fl, m->nhosts);
	if (fl->n) {
		if (m->nhosts > 1)
			fprintf(f, "\nFLOWS (hosts/pid; times on %s's clock; bytes each way; "
				   "agree: both ends' counts match)\n",
				ss_host_name(m, 0, h, sizeof(h)));
		else
			fprintf(f, "\nFLOWS (host %s; bytes each way; agree: both ends' counts match)\n",
				m->nhosts ? ss_host_name(m, 0, h, sizeof(h)) : "?");
		fprintf(f, "%-5s %-36s %-36s %9s %9s %-15s %9s %s\n", "PROTO",
			"CLIENT (pid comm endpoint)", "SERVER (pid comm endpoint)", "TO SERVER",
			"TO CLIENT", "START", "DURATION", "NOTE");
	}
	for (size_t i = 0; i < fl->n; i++) {
		const struct ss_flow *w = &fl->v[i];
		int a = ss_flow_agree(fl, w);
		fprintf(f, "%-5s %-36s %-36s %9s %9s %-15s %9s %s\n", ss_flow_proto_name(w->proto),
			end_text(m, fl, w, 0, c, sizeof(c)), end_text(m, fl, w, 1, s, sizeof(s)),
			bytes(ss_flow_to_server(fl, w), up, sizeof(up)),
			bytes(ss_flow_to_client(fl, w), down, sizeof(down)),
			clock_text(w->start, at, sizeof(at)), dur(w->duration, d, sizeof(d)),
			a < 0 ? (w->client == SS_NO_END ? "client not recorded" : "server not recorded") :
			a ? "" : untraced(fl, w) ? "DISAGREE (a holder stopped being traced: sandbox)" :
			"DISAGREE (unread at close, lost events?)");
	}
	hosts(m, fl, f);
}

/* A latency, "-" where it does not apply. */
static const char *lat(int64_t ns, char *buf, size_t size)
{
	return ns < 0 ? "-" : dur((uint64_t)ns, buf, size);
}

/* The connections with a latency: connect, first byte, turns. */
static void lat_line(const struct ss_conn_row *r, void *arg)
{
	struct conn_ctx *x = arg;
	char pid[96], c[16], t[16], p50[16], p99[16], mx[16];
	int turns = r->exchanges > 0;

	if (r->connect_ns < 0 && r->ttfb_ns < 0 && !turns)
		return;
	if (!x->n++)
		fprintf(x->f, "\nLATENCY (connect: until the program knew; ttfb: to the first byte; "
			      "response: request's end to its answer)\n"
			      "%-7s %-15s %-8s %-22s %9s %-11s %9s %7s %9s %9s %9s\n",
			"PID", "COMM", "ROLE", "PEER", "CONNECT", "VIA", "TTFB", "TURNS", "RESP P50",
			"RESP P99", "RESP MAX");
	/* Who talked: a forked child serving what its parent accepted. */
	fprintf(x->f, "%-7s %-15.15s %-8s %-22s %9s %-11s %9s %7llu %9s %9s %9s%s%s\n",
		pid_text(x->m, r->talker, pid, sizeof(pid)), r->talker_comm, r->role,
		*r->remote ? r->remote : "-", lat(r->connect_ns, c, sizeof(c)),
		r->connect_via ? r->connect_via : "-", lat(r->ttfb_ns, t, sizeof(t)),
		(unsigned long long)r->exchanges, lat(turns ? (int64_t)r->resp_p50 : -1, p50, sizeof(p50)),
		lat(turns ? (int64_t)r->resp_p99 : -1, p99, sizeof(p99)),
		lat(turns ? (int64_t)r->resp_max : -1, mx, sizeof(mx)), r->error ? " " : "",
		r->error ? r->error : "");
}

/* Per service: its connections and response times, and the histograms of
 * the busiest. */
static void services(struct ss_model *m, FILE *f)
{
	size_t n;
	struct ss_service **v = ss_model_services(m, &n);
	char p50[16], p99[16], mx[16];

	if (n)
		fprintf(f, "\nSERVICES (server: the endpoint accepted on; client: the endpoint "
			   "reached)\n%-6s %-40s %7s %9s %9s %9s %9s\n",
			"SIDE", "ENDPOINT", "CONNS", "TURNS", "RESP P50", "RESP P99", "RESP MAX");
	for (size_t i = 0; i < n; i++) {
		const struct ss_hist *h = &v[i]->h;
		fprintf(f, "%-6s %-40s %7llu %9llu %9s %9s %9s\n", v[i]->server ? "server" : "client",
			v[i]->endpoint, (unsigned long long)v[i]->conns, (unsigned long long)h->count,
			lat(h->count ? (int64_t)ss_hist_percentile(h, 50) : -1, p50, sizeof(p50)),
			lat(h->count ? (int64_t)ss_hist_percentile(h, 99) : -1, p99, sizeof(p99)),
			lat(h->count ? (int64_t)h->max : -1, mx, sizeof(mx)));
	}
	for (size_t i = 0, drawn = 0; i < n && drawn < 4; i++) {
		if (v[i]->h.count < 2)
			continue;
		fprintf(f, "\n%s %s response time (%llu turns)\n", v[i]->server ? "server" : "client",
			v[i]->endpoint, (unsigned long long)v[i]->h.count);
		ss_hist_draw(&v[i]->h, f);
		drawn++;
	}
	free(v);
}

void ss_out_text(struct ss_report *r, FILE *f)
{
	struct ss_model *m = r->m;
	struct ss_call_stat **v = ss_model_calls_sorted(m);

	header(r, f);
	syscalls(v, m->ncalls, f);
	struct ss_flows fl = { 0 };
	struct conn_ctx x = { m, f, 0, &fl };
	ss_model_each_conn(m, conn_line, &x);
	errors(m, f);
	lookups(m, f);
	library(m, f);
	flows(m, &fl, f);
	ss_flows_free(&fl);
	struct conn_ctx lx = { m, f, 0, NULL };
	ss_model_each_conn(m, lat_line, &lx);
	services(m, f);
	for (size_t i = 0; r->hist && i < m->ncalls && i < 4; i++) {
		if (v[i]->h.count < 2)
			continue;
		fprintf(f, "\n%s latency (%llu calls)\n", v[i]->name, (unsigned long long)v[i]->h.count);
		ss_hist_draw(&v[i]->h, f);
	}
	free(v);
}
