// SPDX-License-Identifier: MIT
/*
 * `sockscope report --format json`: one object with the keys of
 * report.schema.json (events, lost_events, syscalls, connections, errors,
 * dns) and a few more (processes, api, traces).  Written as it goes, so a
 * large trace's connections and lookups stream from the spills.
 */
#include "out/json.h"
#include "model/model.h"
#include "out/out.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

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
	const struct ss_model *m;
	struct json *j;
	struct ss_flows *fl;
};

/* A latency, null where it does not apply. */
static void klat(struct json *j, const char *k, int64_t ns)
{
	if (ns >= 0) {
		kint(j, k, ns);
	} else {
		key(j, k);
		fputs("null", j->f);
	}
}

static void latency(struct json *j, const struct ss_conn_row *r)
{
	klat(j, "connect_ns", r->connect_ns);
	kstr(j, "connect_via", r->connect_via);
	klat(j, "ttfb_ns", r->ttfb_ns);
	open_obj(j, "exchanges", '{');
	kuint(j, "count", r->exchanges);
	klat(j, "p50_ns", r->exchanges ? (int64_t)r->resp_p50 : -1);
	klat(j, "p99_ns", r->exchanges ? (int64_t)r->resp_p99 : -1);
	klat(j, "max_ns", r->exchanges ? (int64_t)r->resp_max : -1);
	close_obj(j, '}');
}

/* One of a datagram socket's peers. */
static void peer_obj(struct json *j, const char *addr, uint64_t tx, uint64_t rx)
{
	open_obj(j, NULL, '{');
	kstr(j, "addr", addr);
	kuint(j, "tx_bytes", tx);
	kuint(j, "rx_bytes", rx);
	close_obj(j, '}');
}

static void conn_row(const struct ss_conn_row *r, void *arg)
{
	struct conn_ctx *x = arg;
	struct json *j = x->j;
	char h[80];

	ss_flows_take(x->fl, r);
	open_obj(j, NULL, '{');
	kstr(j, "host", ss_host_name(x->m, ss_host_of(r->pid), h, sizeof(h)));
	kint(j, "pid", ss_id_of(r->pid));
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
	latency(j, r);
	open_obj(j, "pids", '[');
	for (int i = 0; i < r->npids; i++)
		kint(j, NULL, ss_id_of(r->pids[i]));
	close_obj(j, ']');
	kint(j, "talker", ss_id_of(r->talker));
	if (r->peer_pid)
		kint(j, "peer_pid", r->peer_pid);
	int other = r->other_tx || r->other_rx;
	if (r->npeers || other) {
		open_obj(j, "peers", '[');
		for (int i = 0; i < r->npeers; i++)
			peer_obj(j, r->peers[i].addr, r->peers[i].tx, r->peers[i].rx);
		if (other) /* the peers beyond those kept, summed */
			peer_obj(j, "(other)", r->other_tx, r->other_rx);
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
	kint(j, "pid", ss_id_of(r->pid));
	kuint(j, "ts_ns", r->ts);
	open_obj(j, "sockets", '[');
	for (int i = 0; i < r->nsocks; i++) {
		const struct ss_lookup_sock *s = &r->socks[i];
		open_obj(j, NULL, '{');
		kint(j, "pid", ss_id_of(s->pid));
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
	char h[80];

	open_obj(j, "processes", '[');
	for (size_t i = 0; ss_hmap_next(&m->procs, &i, &s);) {
		const struct ss_proc *p = s->v;
		if (!p->events)
			continue;
		open_obj(j, NULL, '{');
		kstr(j, "host", ss_host_name(m, ss_host_of(p->vpid), h, sizeof(h)));
		kint(j, "pid", ss_id_of(p->vpid));
		kint(j, "ppid", ss_id_of(p->ppid));
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
		kint(j, "pid", ss_id_of(p->vpid));
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
	char h[80];

	if (i == SS_NO_END) {
		kstr(j, k, NULL);
		return;
	}
	const struct ss_end *e = &fl->ends[i];
	open_obj(j, k, '{');
	kstr(j, "host", m->nhosts ? ss_host_name(m, e->host, h, sizeof(h)) : NULL);
	kint(j, "pid", ss_id_of(e->pid));
	kstr(j, "comm", e->comm);
	kint(j, "opener", ss_id_of(e->opener));
	kint(j, "sock", e->sock);
	kstr(j, "endpoint", e->local);
	key(j, "untraced");
	fputs(e->untraced ? "true" : "false", j->f);
	close_obj(j, '}');
}

/* An offset or one of its bounds: null where nothing bounds it. */
static void koffset(struct json *j, const char *k, int known, int64_t v)
{
	if (known && v != SS_UNBOUNDED_MIN && v != SS_UNBOUNDED_MAX) {
		kint(j, k, v);
	} else {
		key(j, k);
		fputs("null", j->f);
	}
}

/* flows, and the hosts whose clocks they are on: their offsets against
 * the first host's, on whose clock the flows' times are. */
static void flows(struct json *j, struct ss_model *m, struct ss_flows *fl)
{
	char h[80];

	ss_flows_pair(fl, m->nhosts);
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
	for (int i = 0; i < m->nhosts && i < fl->nhosts; i++) {
		const struct ss_clock *k = &fl->clocks[i];
		open_obj(j, NULL, '{');
		kstr(j, "name", ss_host_name(m, i, h, sizeof(h)));
		koffset(j, "offset_ns", k->known, k->offset);
		koffset(j, "offset_min_ns", k->known, k->min);
		koffset(j, "offset_max_ns", k->known, k->max);
		kuint(j, "flows", k->flows);
		kuint(j, "outliers", k->outliers);
		close_obj(j, '}');
	}
	close_obj(j, ']');
}

/* The services, with their response times and their histogram (the
 * histogram's non-empty buckets). */
static void services(struct json *j, struct ss_model *m)
{
	size_t n;
	struct ss_service **v = ss_model_services(m, &n);

	open_obj(j, "services", '[');
	for (size_t i = 0; i < n; i++) {
		const struct ss_service *s = v[i];
		open_obj(j, NULL, '{');
		kstr(j, "side", s->server ? "server" : "client");
		kstr(j, "endpoint", s->endpoint);
		kuint(j, "connections", s->conns);
		kuint(j, "exchanges", s->h.count);
		klat(j, "p50_ns", s->h.count ? (int64_t)ss_hist_percentile(&s->h, 50) : -1);
		klat(j, "p99_ns", s->h.count ? (int64_t)ss_hist_percentile(&s->h, 99) : -1);
		klat(j, "max_ns", s->h.count ? (int64_t)s->h.max : -1);
		open_obj(j, "histogram", '[');
		for (unsigned b = 0; b < SS_HIST_BUCKETS; b++) {
			if (!s->h.b[b])
				continue;
			uint64_t lo, hi;
			ss_hist_range(b, &lo, &hi);
			open_obj(j, NULL, '{');
			kuint(j, "from_ns", lo);
			kuint(j, "to_ns", hi);
			kuint(j, "count", s->h.b[b]);
			close_obj(j, '}');
		}
		close_obj(j, ']');
		close_obj(j, '}');
	}
	close_obj(j, ']');
	free(v);
}

void ss_out_json(struct ss_report *r, FILE *f)
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
	struct conn_ctx x = { m, &j, &fl };
	open_obj(&j, "connections", '[');
	ss_model_each_conn(m, conn_row, &x);
	close_obj(&j, ']');
	flows(&j, m, &fl);
	ss_flows_free(&fl);
	services(&j, m);
	errors(&j, m);
	open_obj(&j, "dns", '[');
	ss_model_each_dns(m, dns_row, &j);
	close_obj(&j, ']');
	api(&j, m);
	fputs("}\n", f);
}
