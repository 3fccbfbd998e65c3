// SPDX-License-Identifier: MIT
/*
 * `sockscope report --format chrome`: the Trace Event Format (JSON) that
 * Perfetto and chrome://tracing open.  Each call is a complete event
 * ("ph": "X") on its thread, written as it is read (the model's tap), so
 * memory does not grow with the trace; each connection is an async track
 * ("b"/"e", id PID:SOCK, from its row at the end); each flow whose two
 * ends were recorded is a flow event ("s" at the client's connect, "f"
 * at the server's accept); each process is named ("M").  Times are
 * microseconds, with nanoseconds as decimals, on the traces' clocks
 * (flows: on the first host's, as the flows are).  A process of a host
 * other than the first has the model's key as its pid (its host's index
 * above its pid) and its host in its name.
 */
#include "model/model.h"
#include "out/json.h"
#include "out/out.h"
#include "ss_names.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

struct chrome {
	struct json j;
	const struct ss_model *m;
};

/* A time in µs with its ns: "1796051883.701634". */
static void kus(struct json *j, const char *k, uint64_t ns)
{
	key(j, k);
	fprintf(j->f, "%llu.%03llu", (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
}

static void ids(struct json *j, int64_t pid, int64_t tid)
{
	kint(j, "pid", pid);
	kint(j, "tid", tid);
}

/* A call: a complete event on its thread, with what it returned. */
static void on_call(void *arg, const struct ss_ev *e, const struct ss_proc *p,
		    const struct ss_conn *c)
{
	struct chrome *x = arg;
	const char *err = e->err ? ss_errno_name((int)e->err) : NULL;
	uint64_t dur = (uint64_t)e->dur;

	(void)c;
	open_obj(&x->j, NULL, '{');
	kstr(&x->j, "ph", "X");
	kstr(&x->j, "name", x->m->calls[e->id]->name);
	kstr(&x->j, "cat", e->kind == SS_K_DNS ? "dns" : "call");
	kus(&x->j, "ts", e->ts >= dur ? e->ts - dur : 0);
	kus(&x->j, "dur", dur);
	ids(&x->j, p->vpid, e->vtid);
	open_obj(&x->j, "args", '{');
	if (e->sock)
		kint(&x->j, "sock", e->sock);
	kint(&x->j, "ret", e->ret);
	if (err)
		kstr(&x->j, "err", err);
	if (e->addr && *e->addr)
		kstr(&x->j, "addr", e->addr);
	if (e->query)
		kstr(&x->j, "query", e->query);
	close_obj(&x->j, '}');
	close_obj(&x->j, '}');
}

static void begin(struct ss_report *r, FILE *f)
{
	struct chrome *x = ss_xcalloc(1, sizeof(*x));

	x->j = (struct json){ f, 1 };
	x->m = r->m;
	r->state = x;
	r->m->tap = on_call;
	r->m->tap_arg = x;
	fputs("{\"displayTimeUnit\": \"ns\", \"traceEvents\": [", f);
	x->j.first = 1;
}

/* A connection: an async track from its start to its end. */
static void on_row(const struct ss_conn_row *row, void *arg)
{
	struct chrome *x = ((struct chrome **)arg)[0];
	struct ss_flows *fl = ((struct ss_flows **)arg)[1];
	char id[64], name[320];

	ss_flows_take(fl, row);
	snprintf(id, sizeof(id), "%lld:%lld", (long long)row->pid, (long long)row->sock);
	snprintf(name, sizeof(name), "%s %s%s%s", row->role, *row->local ? row->local : "-",
		 *row->remote ? " > " : "", row->remote);
	for (int edge = 0; edge < 2; edge++) {
		open_obj(&x->j, NULL, '{');
		kstr(&x->j, "ph", edge ? "e" : "b");
		kstr(&x->j, "cat", "connection");
		kstr(&x->j, "name", name);
		kstr(&x->j, "id", id);
		kus(&x->j, "ts", row->start + (edge ? row->duration : 0));
		ids(&x->j, row->pid, row->pid);
		if (!edge) {
			open_obj(&x->j, "args", '{');
			kstr(&x->j, "family", row->family);
			kstr(&x->j, "type", row->type);
			kuint(&x->j, "tx_bytes", row->tx);
			kuint(&x->j, "rx_bytes", row->rx);
			kstr(&x->j, "error", row->error);
			key(&x->j, "open");
			fputs(row->open ? "true" : "false", x->j.f);
			close_obj(&x->j, '}');
		}
		close_obj(&x->j, '}');
	}
}

/* A flow: an arrow from the client's connect to the server's accept. */
static void flow(struct chrome *x, const struct ss_flows *fl, size_t i)
{
	const struct ss_flow *w = &fl->v[i];
	const struct ss_end *c = &fl->ends[w->client], *s = &fl->ends[w->server];
	const struct ss_clock *kc = &fl->clocks[c->host], *ks = &fl->clocks[s->host];
	uint64_t from = c->marks.connect ? c->marks.connect : c->start;

	for (int edge = 0; edge < 2; edge++) {
		const struct ss_end *e = edge ? s : c;
		uint64_t at = edge ? s->start : from;
		int64_t by = (edge ? ks : kc)->known ? (edge ? ks : kc)->offset : 0;
		open_obj(&x->j, NULL, '{');
		kstr(&x->j, "ph", edge ? "f" : "s");
		if (edge)
			kstr(&x->j, "bp", "e");
		kstr(&x->j, "cat", "flow");
		kstr(&x->j, "name", ss_flow_proto_name(w->proto));
		kuint(&x->j, "id", i + 1);
		kus(&x->j, "ts", at - (uint64_t)by);
		ids(&x->j, e->pid, e->pid);
		close_obj(&x->j, '}');
	}
}

static void end(struct ss_report *r, FILE *f)
{
	struct chrome *x = r->state;
	struct ss_model *m = r->m;
	struct ss_flows fl = { 0 };
	const struct ss_hmap_slot *s;
	char h[80], name[160];

	(void)f;
	void *arg[2] = { x, &fl };
	ss_model_each_conn(m, on_row, arg);
	ss_flows_pair(&fl, m->nhosts);
	for (size_t i = 0; i < fl.n; i++)
		if (fl.v[i].client != SS_NO_END && fl.v[i].server != SS_NO_END)
			flow(x, &fl, i);
	ss_flows_free(&fl);
	for (size_t i = 0; ss_hmap_next(&m->procs, &i, &s);) {
		const struct ss_proc *p = s->v;
		if (!p->events)
			continue;
		if (m->nhosts > 1)
			snprintf(name, sizeof(name), "%s %s/%lld",
				 p->comm[0] ? p->comm : "?", ss_host_name(m, ss_host_of(p->vpid), h, sizeof(h)),
				 (long long)ss_id_of(p->vpid));
		else
			snprintf(name, sizeof(name), "%s", p->comm[0] ? p->comm : "?");
		open_obj(&x->j, NULL, '{');
		kstr(&x->j, "ph", "M");
		kstr(&x->j, "name", "process_name");
		kus(&x->j, "ts", p->first);
		ids(&x->j, p->vpid, p->vpid);
		open_obj(&x->j, "args", '{');
		kstr(&x->j, "name", name);
		close_obj(&x->j, '}');
		close_obj(&x->j, '}');
	}
	fputs("]}\n", x->j.f);
	m->tap = NULL;
	free(x);
	r->state = NULL;
}

const struct ss_format ss_format_chrome = {
	"chrome", begin, end, 0, "Trace Event Format for Perfetto and chrome://tracing"
};
