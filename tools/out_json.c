// SPDX-License-Identifier: MIT
/*
 * `sockscope report --format json`: one object with the keys of
 * report.schema.json (events, lost_events, syscalls, connections, errors,
 * dns) and a few more (processes, api, traces).  Written as it goes, so a
 * large trace's connections and lookups stream from the spills.
 */
#include "report.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

struct json {
	FILE *f;
	int first; /* no comma before the next member or element */
};

static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void key(struct json *j, const char *k)
{
	fputs(j->first ? "" : ", ", j->f);
	j->first = 0;
	if (!k)
		return; /* an element of an array */
	str(j->f, k);
	fputs(": ", j->f);
}

static void kstr(struct json *j, const char *k, const char *v)
{
	key(j, k);
	if (v)
		str(j->f, v);
	else
		fputs("null", j->f);
}

static void kint(struct json *j, const char *k, int64_t v)
{
	key(j, k);
	fprintf(j->f, "%lld", (long long)v);
}

static void kuint(struct json *j, const char *k, uint64_t v)
{
	key(j, k);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

static void open_obj(struct json *j, const char *k, char c)
{
	if (k)
		key(j, k);
	else
		fputs(j->first ? "" : ", ", j->f);
	fputc(c, j->f);
	j->first = 1;
}

static void close_obj(struct json *j, char c)
{
	fputc(c, j->f);
	j->first = 0;
}

static void stats(struct json *j, const struct ss_hist *h, uint64_t errors)
{
	kuint(j, "calls", h->count);
	kuint(j, "errors", errors);
	kuint(j, "total_ns", h->total);
	kuint(j, "p50_ns", ss_hist_percentile(h, 50));
	kuint(j, "p99_ns", ss_hist_percentile(h, 99));
	kuint(j, "max_ns", h->max);
}

/* The connections as they are written, and their ends kept for the flows. */
struct conn_ctx {
	struct json *j;
	struct ss_flows *fl;
};

static void conn_row(const struct ss_conn_row *r, void *arg)
{
	struct conn_ctx *x = arg;
	struct json *j = x->j;

	ss_flows_take(x->fl, r);
	open_obj(j, NULL, '{');
	kint(j, "pid", r->pid);
	kstr(j, "comm", r->comm);
	kint(j, "sock", r->sock);
	kstr(j, "family", r->family);
	kstr(j, "type", r->type);
	kstr(j, "role", r->role);
	kstr(j, "local", r->local);
	kstr(j, "remote", r->remote);
	kuint(j, "tx_bytes", r->tx);
	kuint(j, "rx_bytes", r->rx);
	kuint(j, "start_ns", r->start);
	kuint(j, "duration_ns", r->duration);
	kstr(j, "error", r->error);
	key(j, "open");
	fputs(r->open ? "true" : "false", j->f);
	open_obj(j, "pids", '[');
	for (int i = 0; i < r->npids; i++)
		kint(j, NULL, r->pids[i]);
	close_obj(j, ']');
	if (r->peer_pid)
		kint(j, "peer_pid", r->peer_pid);
	if (r->npeers) {
		open_obj(j, "peers", '[');
		for (int i = 0; i < r->npeers; i++) {
			open_obj(j, NULL, '{');
			kstr(j, "addr", r->peers[i].addr);
			kuint(j, "tx_bytes", r->peers[i].tx);
			kuint(j, "rx_bytes", r->peers[i].rx);
			close_obj(j, '}');
		}
		close_obj(j, ']');
	}
	close_obj(j, '}');
}

static void dns_row(const struct ss_dns_row *r, void *arg)
{
	struct json *j = arg;

	open_obj(j, NULL, '{');
	kstr(j, "call", r->call);
	kstr(j, "query", r->query);
	kstr(j, "result", r->result);
	kuint(j, "dur_ns", r->dur);
	kint(j, "pid", r->pid);
	kuint(j, "ts_ns", r->ts);
	open_obj(j, "sockets", '[');
	for (int i = 0; i < r->nsocks; i++) {
		const struct ss_lookup_sock *s = &r->socks[i];
		open_obj(j, NULL, '{');
		kint(j, "pid", s->pid);
		kint(j, "sock", s->sock);
		kstr(j, "family", s->family);
		kstr(j, "type", s->type);
		kstr(j, "remote", s->remote);
		kuint(j, "tx_bytes", s->tx);
		kuint(j, "rx_bytes", s->rx);
		close_obj(j, '}');
	}
	close_obj(j, ']');
	close_obj(j, '}');
}

static void errors(struct json *j, struct ss_model *m)
{
	size_t n;
	struct ss_err **v = ss_model_errors_sorted(m, &n);

	open_obj(j, "errors", '[');
	for (size_t i = 0; i < n; i++) {
		open_obj(j, NULL, '{');
		kstr(j, "call", m->calls[v[i]->id]->name);
		kstr(j, "err", v[i]->name);
		kuint(j, "count", v[i]->count);
		close_obj(j, '}');
	}
	close_obj(j, ']');
	free(v);
}

static void processes(struct json *j, struct ss_model *m)
{
	const struct ss_hmap_slot *s;

	open_obj(j, "processes", '[');
	for (size_t i = 0; ss_hmap_next(&m->procs, &i, &s);) {
		const struct ss_proc *p = s->v;
		if (!p->events)
			continue;
		open_obj(j, NULL, '{');
		kint(j, "pid", p->vpid);
		kint(j, "ppid", p->ppid);
		kstr(j, "comm", p->comm);
		kuint(j, "events", p->events);
		close_obj(j, '}');
	}
	close_obj(j, ']');
}

/* The processes whose tracing stopped (sockscope:stop), and why. */
static void stopped(struct json *j, struct ss_model *m)
{
	const struct ss_hmap_slot *s;

	open_obj(j, "stopped", '[');
	for (size_t i = 0; ss_hmap_next(&m->procs, &i, &s);) {
		const struct ss_proc *p = s->v;
		if (!p->events || !p->stopped[0])
			continue;
		open_obj(j, NULL, '{');
		kint(j, "pid", p->vpid);
		kstr(j, "comm", p->comm);
		kstr(j, "why", p->stopped);
		close_obj(j, '}');
	}
	close_obj(j, ']');
}

static void api(struct json *j, struct ss_model *m)
{
	open_obj(j, "api", '[');
	for (size_t i = 0; i < m->napi; i++) {
		const struct ss_api_stat *a = m->api[i];
		if (!a->h.count)
			continue;
		open_obj(j, NULL, '{');
		kstr(j, "method", a->name);
		stats(j, &a->h, a->errors);
		open_obj(j, "syscalls", '{');
		for (size_t k = 0; k < a->ncaused; k++)
			if (a->caused[k])
				kuint(j, m->calls[k]->name, a->caused[k]);
		close_obj(j, '}');
		close_obj(j, '}');
	}
	close_obj(j, ']');
}

static void end(struct json *j, const char *k, const struct ss_model *m,
		const struct ss_flows *fl, size_t i)
{
	if (i == SS_NO_END) {
		kstr(j, k, NULL);
		return;
	}
	const struct ss_end *e = &fl->ends[i];
	open_obj(j, k, '{');
	kstr(j, "host", m->host[0] ? m->host : NULL);
	kint(j, "pid", e->pid);
	kstr(j, "comm", e->comm);
	kint(j, "sock", e->sock);
	kstr(j, "endpoint", e->local);
	close_obj(j, '}');
}

/* flows, and the hosts whose clocks they are on (one host: offset 0). */
static void flows(struct json *j, struct ss_model *m, struct ss_flows *fl)
{
	ss_flows_pair(fl);
	open_obj(j, "flows", '[');
	for (size_t i = 0; i < fl->n; i++) {
		const struct ss_flow *w = &fl->v[i];
		open_obj(j, NULL, '{');
		kstr(j, "proto", ss_flow_proto_name(w->proto));
		end(j, "client", m, fl, w->client);
		end(j, "server", m, fl, w->server);
		/* One end: whom it talked to, as it knew the other's address. */
		kstr(j, "peer_endpoint",
		     w->client == SS_NO_END ? fl->ends[w->server].remote :
		     w->server == SS_NO_END ? fl->ends[w->client].remote : NULL);
		kuint(j, "bytes_to_server", ss_flow_to_server(fl, w));
		kuint(j, "bytes_to_client", ss_flow_to_client(fl, w));
		kuint(j, "start_ns", w->start);
		kuint(j, "duration_ns", w->duration);
		int a = ss_flow_agree(fl, w);
		key(j, "agree");
		fputs(a < 0 ? "null" : a ? "true" : "false", j->f);
		close_obj(j, '}');
	}
	close_obj(j, ']');
	open_obj(j, "hosts", '[');
	open_obj(j, NULL, '{');
	kstr(j, "name", m->host[0] ? m->host : NULL);
	kint(j, "offset_ns", 0);
	kint(j, "offset_min_ns", 0);
	kint(j, "offset_max_ns", 0);
	close_obj(j, '}');
	close_obj(j, ']');
}

void ss_out_json(const struct ss_report *r, FILE *f)
{
	struct ss_model *m = r->m;
	struct json j = { f, 1 };

	fputc('{', f);
	kuint(&j, "events", m->events);
	kuint(&j, "lost_events", m->lost);
	kuint(&j, "lost_packets", m->lost_packets);
	kuint(&j, "events_read", m->read);
	kuint(&j, "duration_ns", m->last_ts - m->first_ts);
	open_obj(&j, "traces", '[');
	for (size_t i = 0; i < r->ndirs; i++) {
		open_obj(&j, NULL, '{');
		kstr(&j, "dir", r->dirs[i]);
		const struct ss_info *in = &r->info[i];
		kstr(&j, "command", in->command);
		if (in->pid >= 0)
			kint(&j, "pid", in->pid);
		if (in->status >= 0)
			kint(&j, "exit_status", in->status);
		close_obj(&j, '}');
	}
	close_obj(&j, ']');
	processes(&j, m);
	stopped(&j, m);

	struct ss_call_stat **calls = ss_model_calls_sorted(m);
	open_obj(&j, "syscalls", '[');
	for (size_t i = 0; i < m->ncalls; i++) {
		if (!calls[i]->h.count)
			continue;
		open_obj(&j, NULL, '{');
		kstr(&j, "name", calls[i]->name);
		stats(&j, &calls[i]->h, calls[i]->errors);
		close_obj(&j, '}');
	}
	close_obj(&j, ']');
	free(calls);

	struct ss_flows fl = { 0 };
	struct conn_ctx x = { &j, &fl };
	open_obj(&j, "connections", '[');
	ss_model_each_conn(m, conn_row, &x);
	close_obj(&j, ']');
	flows(&j, m, &fl);
	ss_flows_free(&fl);
	errors(&j, m);
	open_obj(&j, "dns", '[');
	ss_model_each_dns(m, dns_row, &j);
	close_obj(&j, ']');
	api(&j, m);
	fputs("}\n", f);
}
