// SPDX-License-Identifier: MIT
/*
 * The report's model: events in, aggregates out.  Per call (event name) a
 * fixed histogram, per (call, error) a count, per process a little state,
 * per library method the calls it caused; connections are tracked in
 * conn.c.  Finished connections and every name lookup go to temporary
 * files (the spills, spill.c), so memory follows what is live, not the trace.
 */
#include "model/model.h"
#include "tool.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "ss_names.h"

struct ss_model *ss_model_new(const struct ss_filter *f)
{
	struct ss_model *m = ss_xcalloc(1, sizeof(*m));

	m->f = *f;
	m->filtering_addr = f->naddrs || f->nports;
	m->filtering_proc = f->npids || f->ncomms;
	ss_hmap_init(&m->procs);
	ss_hmap_init(&m->conns);
	ss_hmap_init(&m->rings);
	ss_hmap_init(&m->dnsagg);
	ss_hmap_init(&m->listeners);
	ss_hmap_init(&m->services);
	ss_hmap_init(&m->peers);
	ss_hmap_init(&m->owners);
	ss_hmap_init(&m->errs);
	ss_hmap_init(&m->lk_recent);
	m->conn_spill = ss_spill_open();
	m->dns_spill = ss_spill_open();
	return m;
}

static void free_values(struct ss_hmap *h, void (*fn)(void *))
{
	const struct ss_hmap_slot *s;

	for (size_t i = 0; ss_hmap_next(h, &i, &s);)
		fn(s->v);
	ss_hmap_free(h);
}

static void free_proc(void *v)
{
	struct ss_proc *p = v;

	free(p->fds);
	free(p);
}

static void free_ring(void *v)
{
	struct ss_ring *r = v;

	free(r->ts);
	free(r->id);
	free(r);
}

static void free_dns(void *v)
{
	struct ss_dns_agg *d = v;

	free(d->query);
	free(d->result);
	free(d);
}

static void free_err(void *v)
{
	free(((struct ss_err *)v)->name);
	free(v);
}

void ss_model_free(struct ss_model *m)
{
	ss_conn_free_all(m);
	ss_lookup_free(m);
	free_values(&m->procs, free_proc);
	free_values(&m->rings, free_ring);
	free_values(&m->dnsagg, free_dns);
	free_values(&m->errs, free_err);
	ss_hmap_free(&m->listeners); /* values are flags, not allocations */
	ss_hmap_free(&m->conns);
	ss_hmap_free(&m->peers); /* values are indices */
	ss_hmap_free(&m->owners); /* and times */
	for (size_t i = 0; i < m->ncalls; i++) {
		free(m->calls[i]->name);
		free(m->calls[i]);
	}
	for (size_t i = 0; i < m->napi; i++) {
		free(m->api[i]->name);
		free(m->api[i]->caused);
		free(m->api[i]);
	}
	free(m->calls);
	free(m->api);
	free(m->dying);
	fclose(m->conn_spill);
	fclose(m->dns_spill);
	ss_lat_free_services(m);
	free(m->hosts);
	free(m);
}

int ss_model_host(struct ss_model *m, const char *name, const unsigned char *clock)
{
	static const unsigned char none[16];
	int dup = 0;

	if (!clock)
		clock = none;
	for (int i = 0; i < m->nhosts; i++) {
		if (strcmp(m->hosts[i].name, name))
			continue;
		if (!memcmp(m->hosts[i].clock, clock, 16))
			return i;
		dup++;
	}
	if (m->nhosts == SS_MAX_HOSTS)
		return m->nhosts - 1;
	m->hosts = ss_xrealloc(m->hosts, (size_t)(m->nhosts + 1) * sizeof(*m->hosts));
	struct ss_host *h = &m->hosts[m->nhosts];
	snprintf(h->name, sizeof(h->name), "%s", name);
	memcpy(h->clock, clock, 16);
	h->dup = dup + 1;
	return m->nhosts++;
}

const char *ss_host_name(const struct ss_model *m, int host, char *buf, size_t size)
{
	if (host < 0 || host >= m->nhosts)
		return "?";
	const struct ss_host *h = &m->hosts[host];
	int several = 0;
	for (int i = 0; !several && i < m->nhosts; i++)
		several = i != host && !strcmp(m->hosts[i].name, h->name);
	if (!several)
		return h->name;
	snprintf(buf, size, "%s#%d", h->name, h->dup);
	return buf;
}

int ss_model_call_id(struct ss_model *m, const char *name)
{
	for (size_t i = 0; i < m->ncalls; i++)
		if (!strcmp(m->calls[i]->name, name))
			return (int)i;
	m->calls = ss_xrealloc(m->calls, (m->ncalls + 1) * sizeof(*m->calls));
	m->calls[m->ncalls] = ss_xcalloc(1, sizeof(**m->calls));
	m->calls[m->ncalls]->name = ss_xstrdup(name);
	return (int)m->ncalls++;
}

int ss_model_api_id(struct ss_model *m, const char *name)
{
	for (size_t i = 0; i < m->napi; i++)
		if (!strcmp(m->api[i]->name, name))
			return (int)i;
	m->api = ss_xrealloc(m->api, (m->napi + 1) * sizeof(*m->api));
	m->api[m->napi] = ss_xcalloc(1, sizeof(**m->api));
	m->api[m->napi]->name = ss_xstrdup(name);
	return (int)m->napi++;
}

struct ss_proc *ss_model_proc(struct ss_model *m, int64_t vpid, int create)
{
	struct ss_proc *p = ss_hmap_get(&m->procs, (uint64_t)vpid, 0);

	if (!p && create) {
		p = ss_xcalloc(1, sizeof(*p));
		p->vpid = vpid;
		ss_hmap_put(&m->procs, (uint64_t)vpid, 0, p);
	}
	return p;
}

void ss_model_lost(struct ss_model *m, uint64_t n, int packets)
{
	if (packets)
		m->lost_packets += n;
	else
		m->lost += n;
}

/* What a sockscope:* event does to connections, by its name. */
static const struct {
	const char *name;
	enum ss_kind kind;
} kinds[] = {
	{ "socket", SS_K_SOCKET }, { "socketpair", SS_K_PAIR }, { "bind", SS_K_BIND },
	{ "connect", SS_K_CONNECT }, { "getsockname", SS_K_SOCKNAME },
	{ "getpeername", SS_K_PEERNAME }, { "accept", SS_K_ACCEPT }, { "accept4", SS_K_ACCEPT },
	{ "listen", SS_K_LISTEN }, { "send", SS_K_TX }, { "sendto", SS_K_TX },
	{ "sendmsg", SS_K_TX }, { "write", SS_K_TX }, { "writev", SS_K_TX },
	{ "sendfile", SS_K_TX }, { "recv", SS_K_RX }, { "recvfrom", SS_K_RX },
	{ "recvmsg", SS_K_RX }, { "read", SS_K_RX }, { "readv", SS_K_RX },
	{ "sendmmsg", SS_K_TX_MMSG }, { "recvmmsg", SS_K_RX_MMSG },
	{ "getsockopt", SS_K_GETSOCKOPT }, { "close", SS_K_CLOSE }, { "shutdown", SS_K_SHUTDOWN },
	{ "poll", SS_K_READY }, { "ppoll", SS_K_READY }, { "select", SS_K_READY },
	{ "pselect", SS_K_READY }, { "epoll_wait", SS_K_READY }, { "epoll_pwait", SS_K_READY },
	{ "epoll_pwait2", SS_K_READY }, { "closefrom", SS_K_CLOSEFROM },
	{ "close_range", SS_K_CLOSE_RANGE }, { "fcntl", SS_K_CTL }, { "ioctl", SS_K_CTL },
	{ "dup", SS_K_DUP }, { "dup2", SS_K_DUP }, { "dup3", SS_K_DUP },
	{ "describe", SS_K_DESCRIBE }, { "fork", SS_K_FORK }, { "posix_spawn", SS_K_FORK },
	{ "posix_spawnp", SS_K_FORK }, { "exec", SS_K_EXEC }, { "stop", SS_K_STOP },
	{ "comm", SS_K_COMM }, { "peercred", SS_K_PEERCRED }, { "payload", SS_K_PAYLOAD },
};

enum ss_kind ss_kind_of(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(name, kinds[i].name))
			return kinds[i].kind;
	return SS_K_CALL;
}

/* ---- nesting calls under library methods ---- */

static struct ss_ring *ring_of(struct ss_model *m, int64_t vtid)
{
	struct ss_ring *r = ss_hmap_get(&m->rings, (uint64_t)vtid, 0);

	if (!r) {
		r = ss_xcalloc(1, sizeof(*r));
		r->size = 64;
		r->ts = ss_xcalloc(r->size, sizeof(*r->ts));
		r->id = ss_xcalloc(r->size, sizeof(*r->id));
		ss_hmap_put(&m->rings, (uint64_t)vtid, 0, r);
	}
	return r;
}

static void ring_push(struct ss_ring *r, uint64_t ts, int id)
{
	r->ts[r->head] = ts;
	r->id[r->head] = id;
	r->head = (r->head + 1) % r->size;
	if (r->n < r->size)
		r->n++;
}

/* A ring that was full of calls all inside one method doubles (up to a
 * bound), so the next long method is counted whole. */
static void ring_grow(struct ss_ring *r)
{
	size_t size = r->size * 2;
	uint64_t *ts = ss_xcalloc(size, sizeof(*ts));
	int *id = ss_xcalloc(size, sizeof(*id));

	for (size_t k = 0; k < r->n; k++) {
		size_t from = (r->head + r->size - r->n + k) % r->size;
		ts[k] = r->ts[from];
		id[k] = r->id[from];
	}
	free(r->ts);
	free(r->id);
	r->ts = ts;
	r->id = id;
	r->head = r->n % size;
	r->size = size;
}

/* The calls of the method's thread inside [ts - span, ts] are its own. */
static void api_event(struct ss_model *m, const struct ss_ev *e)
{
	struct ss_api_stat *a = m->api[e->id];
	struct ss_ring *r = ring_of(m, e->vtid);
	uint64_t from = e->ts - (e->span ? e->span : (uint64_t)e->dur);
	size_t k;

	ss_hist_add(&a->h, (uint64_t)e->dur);
	if (e->err || e->ret < 0)
		a->errors++;
	if (a->ncaused < m->ncalls) {
		a->caused = ss_xrealloc(a->caused, m->ncalls * sizeof(*a->caused));
		memset(a->caused + a->ncaused, 0, (m->ncalls - a->ncaused) * sizeof(*a->caused));
		a->ncaused = m->ncalls;
	}
	for (k = 0; k < r->n; k++) {
		size_t at = (r->head + r->size - 1 - k) % r->size;
		if (r->ts[at] < from)
			break;
		a->caused[r->id[at]]++;
	}
	if (k == r->n && r->n == r->size && r->size < 65536)
		ring_grow(r);
	r->n = 0; /* a call belongs to one method at most */
}

void ss_model_account(struct ss_model *m, int id, uint64_t ts, int64_t vtid,
		      const char *errname, uint64_t dur)
{
	struct ss_call_stat *c = m->calls[id];

	ss_hist_add(&c->h, dur);
	if (errname) {
		c->errors++;
		uint64_t h = ss_hash_str(errname);
		struct ss_err *er = ss_hmap_get(&m->errs, (uint64_t)id, h);
		if (!er) {
			er = ss_xcalloc(1, sizeof(*er));
			er->id = id;
			er->name = ss_xstrdup(errname);
			ss_hmap_put(&m->errs, (uint64_t)id, h, er);
		}
		er->count++;
	}
	if (m->have_api)
		ring_push(ring_of(m, vtid), ts, id);
}

/* ---- filters ---- */

int ss_proc_selected(const struct ss_model *m, const struct ss_proc *p)
{
	int ok = !m->f.npids;

	for (size_t i = 0; i < m->f.npids && !ok; i++)
		ok = m->f.pids[i] == ss_id_of(p->vpid);
	if (!ok)
		return 0;
	if (!m->f.ncomms)
		return 1;
	for (size_t i = 0; i < m->f.ncomms; i++)
		if (fnmatch(m->f.comms[i], p->comm, 0) == 0)
			return 1;
	return 0;
}

/* The process's name is its main thread's: the comm of its exec and comm
 * events (emitted on the main thread), or in traces with the procname
 * context (the thread's name) that of main-thread events, another thread's
 * standing in only until the main thread is seen. */
static void name_proc(struct ss_proc *p, const struct ss_ev *e)
{
	if (!e->comm || (e->vtid != e->vpid && (p->comm_main || p->comm[0])))
		return;
	if (e->vtid == e->vpid)
		p->comm_main = 1;
	if (strncmp(p->comm, e->comm, sizeof(p->comm) - 1))
		snprintf(p->comm, sizeof(p->comm), "%s", e->comm);
}

/* The host part of an endpoint ("127.0.0.1", "::1"), or NULL. */
static int host_equals(const char *ep, const char *want)
{
	const char *colon = strrchr(ep, ':');

	if (ep[0] == '/' || ep[0] == '@' || !colon)
		return 0;
	if (ep[0] == '[') {
		const char *close = strchr(ep, ']');
		if (!close)
			return 0;
		size_t n = (size_t)(close - ep - 1);
		if (strlen(want) == n && !strncmp(ep + 1, want, n))
			return 1;
		return strlen(want) == n + 2 && !strncmp(ep, want, n + 2);
	}
	size_t n = (size_t)(colon - ep);
	return strlen(want) == n && !strncmp(ep, want, n);
}

static long endpoint_port(const char *ep)
{
	const char *colon = strrchr(ep, ':');
	char *end;

	if (ep[0] == '/' || ep[0] == '@' || !colon || !colon[1])
		return -1;
	long p = strtol(colon + 1, &end, 10);
	return *end ? -1 : p;
}

int ss_endpoint_match(const struct ss_filter *f, const char *ep)
{
	int ok = !f->naddrs;

	if (!ep || !*ep)
		return 0;
	for (size_t i = 0; i < f->naddrs && !ok; i++)
		ok = !strcmp(ep, f->addrs[i]) || host_equals(ep, f->addrs[i]);
	if (!ok || !f->nports)
		return ok;
	long port = endpoint_port(ep);
	for (size_t i = 0; i < f->nports; i++)
		if (port == f->ports[i])
			return 1;
	return 0;
}

/* A lookup is selected by an address filter when its query or its first
 * answer names the address. */
static int dns_selected(const struct ss_model *m, const struct ss_ev *e)
{
	char first[256];

	if (!m->filtering_addr)
		return 1;
	snprintf(first, sizeof(first), "%s", e->result ? e->result : "");
	first[strcspn(first, " ")] = 0;
	for (size_t i = 0; i < m->f.naddrs; i++)
		if ((e->query && strstr(e->query, m->f.addrs[i])) || host_equals(first, m->f.addrs[i]) ||
		    !strcmp(first, m->f.addrs[i]))
			return 1;
	return m->f.nports && ss_endpoint_match(&m->f, first);
}

static void dns_event(struct ss_model *m, const struct ss_ev *e)
{
	struct ss_lookup_sock socks[SS_LOOKUP_SOCKS];
	int nsocks = ss_lookup_take(m, e, socks);

	ss_model_spill_dns(m, e, socks, nsocks);

	uint64_t h1 = ss_hash_str(e->query) ^ (uint64_t)e->id * 0x9e3779b97f4a7c15ull, h2 = ss_hash_str(e->result);
	struct ss_dns_agg *d = ss_hmap_get(&m->dnsagg, h1, h2);
	if (!d) {
		d = ss_xcalloc(1, sizeof(*d));
		d->id = e->id;
		d->query = ss_xstrdup(e->query ? e->query : "");
		d->result = ss_xstrdup(e->result ? e->result : "");
		ss_hmap_put(&m->dnsagg, h1, h2, d);
	}
	d->count++;
	for (int i = 0; i < nsocks; i++) {
		if (!d->socks++)
			snprintf(d->remote, sizeof(d->remote), "%s", socks[i].remote);
		d->tx += socks[i].tx;
		d->rx += socks[i].rx;
	}
	d->total += (uint64_t)e->dur;
	if ((uint64_t)e->dur > d->max)
		d->max = (uint64_t)e->dur;
}

/* ---- events ---- */

/* The name of a failure, NULL if the call did not fail.  Name lookups
 * fail with their own codes (ret), named in their result. */
static const char *failure(const struct ss_ev *e, char *buf, size_t size)
{
	if (e->kind == SS_K_DNS && !e->err && e->ret != 0)
		return e->result && *e->result ? e->result : "failed";
	if (!e->err)
		return NULL;
	const char *n = ss_errno_name((int)e->err);
	if (n)
		return n;
	snprintf(buf, size, "errno %lld", (long long)e->err);
	return buf;
}

void ss_model_event(struct ss_model *m, const struct ss_ev *e)
{
	char buf[32];

	if (e->kind != SS_K_EXEC && e->kind != SS_K_COMM)
		m->read++;
	if (e->kind == SS_K_OTHER)
		return;
	struct ss_proc *p = ss_model_proc(m, e->vpid, 1);
	name_proc(p, e);
	if (e->kind == SS_K_COMM) /* a name, no call */
		return;
	/* The start of an image is no call: it names the process and ends
	 * its close-on-exec descriptors, and is not counted (not even as
	 * read: "read" beside "events" says what the filters left out). */
	if (e->kind == SS_K_EXEC) {
		ss_conn_event(m, p, e);
		if (m->ndying)
			ss_conn_reap(m);
		return;
	}
	/* The process filters choose the calls counted, not the events the
	 * connections are made of: every process's events build the rows,
	 * which are chosen by the processes that held them. */
	int sel = !m->filtering_proc || ss_proc_selected(m, p);
	if (sel) {
		m->events++;
		if (!m->first_ts || e->ts < m->first_ts)
			m->first_ts = e->ts;
		if (e->ts > m->last_ts)
			m->last_ts = e->ts;
		if (!p->events++)
			p->first = e->ts;
	}
	if (e->kind == SS_K_API) {
		if (sel)
			api_event(m, e);
		return;
	}
	if (e->kind == SS_K_STOP) { /* not a call: where tracing ended */
		snprintf(p->stopped, sizeof(p->stopped), "%s", e->why && *e->why ? e->why : "?");
		return;
	}
	if (e->kind == SS_K_PEERCRED) { /* not a call: whom a unix connection joins */
		struct ss_conn *c = ss_hmap_get(&m->conns, (uint64_t)e->vpid, (uint64_t)e->sock);
		if (c)
			c->peer_pid = e->peer_pid;
		return;
	}
	if (e->kind == SS_K_PAYLOAD) { /* not a call: the bytes of one */
		if (sel && m->payload)
			m->payload(m->tap_arg, e,
				   ss_hmap_get(&m->conns, (uint64_t)e->vpid, (uint64_t)e->sock));
		return;
	}
	struct ss_conn *c = ss_conn_event(m, p, e);
	/* A readiness call's event says which connecting socket it reported,
	 * not that a call was made (others go unrecorded): no call to count. */
	if (e->kind == SS_K_READY) {
		if (m->ndying)
			ss_conn_reap(m);
		return;
	}
	if (c)
		ss_lookup_note(m, e, c);
	if (e->kind == SS_K_DESCRIBE) {
		if (m->ndying)
			ss_conn_reap(m);
		return;
	}
	if (sel && (e->kind == SS_K_DNS ? dns_selected(m, e) : ss_conn_select(m, c, e))) {
		ss_model_account(m, e->id, e->ts, e->vtid, failure(e, buf, sizeof(buf)),
				 (uint64_t)e->dur);
		if (e->kind == SS_K_DNS)
			dns_event(m, e);
		if (m->tap)
			m->tap(m->tap_arg, e, p, c);
	}
	if (m->ndying)
		ss_conn_reap(m);
}

/* ---- sorted views for the outputs ---- */

static int call_by_total(const void *a, const void *b)
{
	const struct ss_call_stat *x = *(const struct ss_call_stat *const *)a;
	const struct ss_call_stat *y = *(const struct ss_call_stat *const *)b;

	return x->h.total < y->h.total ? 1 : x->h.total > y->h.total ? -1 : strcmp(x->name, y->name);
}

struct ss_call_stat **ss_model_calls_sorted(const struct ss_model *m)
{
	struct ss_call_stat **v = ss_xcalloc(m->ncalls, sizeof(*v));

	if (m->ncalls) { /* no calls: m->calls is NULL, not for memcpy */
		memcpy(v, m->calls, m->ncalls * sizeof(*v));
		qsort(v, m->ncalls, sizeof(*v), call_by_total);
	}
	return v;
}

static int err_by_count(const void *a, const void *b)
{
	const struct ss_err *x = *(const struct ss_err *const *)a;
	const struct ss_err *y = *(const struct ss_err *const *)b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : x->id - y->id;
}

struct ss_err **ss_model_errors_sorted(const struct ss_model *m, size_t *n)
{
	const struct ss_hmap_slot *s;
	struct ss_err **v = ss_xcalloc(m->errs.used, sizeof(*v));

	*n = 0;
	for (size_t i = 0; ss_hmap_next(&m->errs, &i, &s);)
		v[(*n)++] = s->v;
	qsort(v, *n, sizeof(*v), err_by_count);
	return v;
}
