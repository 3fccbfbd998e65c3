// SPDX-License-Identifier: MIT
/*
 * Flows: the connection rows of every process and recording read, their
 * client and server ends paired into one conversation (report.h).  The
 * ends are taken from the rows as the outputs print them; the pairing
 * sorts them by their key and start, so n connections cost O(n log n).
 */
#include "report.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

const char *ss_flow_proto_name(enum ss_flow_proto p)
{
	return p == SS_FLOW_TCP ? "tcp" : "unix";
}

/* A row that is one end of a connection: collect it.  (A row's type is
 * without its flags.) */
void ss_flows_take(struct ss_flows *f, const struct ss_conn_row *r)
{
	int stream = !strcmp(r->type, "SOCK_STREAM");
	int tcp = (!strcmp(r->family, "AF_INET") || !strcmp(r->family, "AF_INET6")) && stream;
	int unx = !strcmp(r->family, "AF_UNIX") && stream;
	int pair = !strcmp(r->role, "pair");
	int side = !strcmp(r->role, "server") ? 1 : !strcmp(r->role, "client") ? 0 : -1;

	if (!pair && (!(tcp || unx) || side < 0 || !r->local || !r->remote))
		return;
	if (f->nends == f->capends) {
		f->capends = f->capends ? 2 * f->capends : 256;
		f->ends = ss_xrealloc(f->ends, f->capends * sizeof(*f->ends));
	}
	struct ss_end *e = &f->ends[f->nends++];
	*e = (struct ss_end){ .pid = r->pid, .sock = r->sock, .host = ss_host_of(r->pid),
			      .tx = r->tx, .rx = r->rx, .start = r->start,
			      .end = r->start + r->duration, .marks = r->marks,
			      .proto = tcp ? SS_FLOW_TCP : SS_FLOW_UNIX, .server = side == 1,
			      .pair = pair };
	e->comm = ss_xstrdup(r->comm ? r->comm : "?");
	e->local = ss_xstrdup(r->local ? r->local : "");
	e->remote = ss_xstrdup(r->remote ? r->remote : "");
}

static void add_flow(struct ss_flows *f, size_t *cap, size_t client, size_t server)
{
	if (f->n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		f->v = ss_xrealloc(f->v, *cap * sizeof(*f->v));
	}
	const struct ss_end *c = client != SS_NO_END ? &f->ends[client] : NULL;
	const struct ss_end *s = server != SS_NO_END ? &f->ends[server] : NULL;
	f->v[f->n++] = (struct ss_flow){ client, server, (c ? c : s)->proto, 0, 0 };
	if (c)
		f->ends[client].paired = 1;
	if (s)
		f->ends[server].paired = 1;
}

/* A flow's start and duration on the reference clock: its ends'. */
static void span(struct ss_flows *f, struct ss_flow *w)
{
	const struct ss_end *c = w->client != SS_NO_END ? &f->ends[w->client] : NULL;
	const struct ss_end *s = w->server != SS_NO_END ? &f->ends[w->server] : NULL;
	uint64_t start = c && s ? (c->at < s->at ? c->at : s->at) : c ? c->at : s->at;
	uint64_t end = c && s ? (c->until > s->until ? c->until : s->until) : c ? c->until : s->until;

	w->start = start;
	w->duration = end - start;
}

static int loopback(const char *ep)
{
	return !strncmp(ep, "127.", 4) || !strncmp(ep, "[::1]", 5) ||
	       !strncmp(ep, "[::ffff:127.", 12);
}

/* The host whose ends alone can pair with this one (-1: any host's): a
 * unix socket's, or a loopback address's, never leave their host. */
static int scope(const struct ss_end *e)
{
	return e->proto == SS_FLOW_UNIX || loopback(e->local) || loopback(e->remote) ? e->host : -1;
}

/* Sorting ends by the key that pairs them: a client by (local, remote), a
 * server by (remote, local), so that a client sorts beside its server;
 * unix: by the path, the client's remote and the server's local. */
static const struct ss_end *sort_ends;

static void key(const struct ss_end *e, const char **a, const char **b)
{
	if (e->proto == SS_FLOW_UNIX) {
		*a = e->server ? e->local : e->remote;
		*b = "";
	} else {
		*a = e->server ? e->remote : e->local;
		*b = e->server ? e->local : e->remote;
	}
}

static int by_key(const void *x, const void *y)
{
	const struct ss_end *e = &sort_ends[*(const size_t *)x], *g = &sort_ends[*(const size_t *)y];
	const char *ea, *eb, *ga, *gb;
	int d;

	key(e, &ea, &eb);
	key(g, &ga, &gb);
	if ((d = (int)e->proto - (int)g->proto) || (d = scope(e) - scope(g)) ||
	    (d = strcmp(ea, ga)) || (d = strcmp(eb, gb)))
		return d;
	if (e->at != g->at)
		return e->at < g->at ? -1 : 1;
	return e->server - g->server;
}

static int same_key(const struct ss_end *e, const struct ss_end *g)
{
	const char *ea, *eb, *ga, *gb;

	key(e, &ea, &eb);
	key(g, &ga, &gb);
	return e->proto == g->proto && scope(e) == scope(g) && !strcmp(ea, ga) && !strcmp(eb, gb);
}

/* Whether two ends lived at the same time, within what is not known of
 * their hosts' clocks. */
static int overlap(const struct ss_flows *f, const struct ss_end *a, const struct ss_end *b)
{
	uint64_t slack = 0;

	for (int i = 0; a->host != b->host && i < 2; i++) {
		const struct ss_clock *k = &f->clocks[i ? b->host : a->host];
		if (k->known && k->min != SS_UNBOUNDED_MIN && k->max != SS_UNBOUNDED_MAX)
			slack += (uint64_t)(k->max - k->min);
	}
	return a->at <= b->until + slack && b->at <= a->until + slack;
}

static int agree(const struct ss_end *c, const struct ss_end *s)
{
	return c->tx == s->rx && c->rx == s->tx;
}

/*
 * One group of ends with the same key, clients and servers in start order:
 * each server takes the unpaired client that overlaps it, one whose bytes
 * agree first (concurrent clients of one unix path), else the earliest.
 */
static void pair_group(struct ss_flows *f, size_t *cap, const size_t *g, size_t n)
{
	size_t lo = 0; /* before it, no client can meet a later server */

	for (size_t i = 0; i < n; i++) {
		const struct ss_end *s = &f->ends[g[i]];
		if (!s->server)
			continue;
		while (lo < n && (f->ends[g[lo]].server || f->ends[g[lo]].paired ||
				  (f->ends[g[lo]].until < s->at && !overlap(f, &f->ends[g[lo]], s))))
			lo++;
		size_t best = SS_NO_END;
		for (size_t k = lo; k < n; k++) {
			const struct ss_end *c = &f->ends[g[k]];
			if (c->at > s->until && !overlap(f, c, s))
				break;
			if (c->server || c->paired || !overlap(f, c, s))
				continue;
			if (best == SS_NO_END || (agree(c, s) && !agree(&f->ends[best], s)))
				best = g[k];
			if (agree(c, s))
				break;
		}
		if (best != SS_NO_END)
			add_flow(f, cap, best, g[i]);
	}
}

/* The two ends of a socketpair name each other: "(pair of SERIAL)". */
static void pair_socketpairs(struct ss_flows *f, size_t *cap)
{
	struct ss_hmap by_sock;

	ss_hmap_init(&by_sock);
	for (size_t i = 0; i < f->nends; i++)
		if (f->ends[i].pair)
			ss_hmap_put(&by_sock, (uint64_t)f->ends[i].pid, (uint64_t)f->ends[i].sock,
				    (void *)(uintptr_t)(i + 1));
	for (size_t i = 0; i < f->nends; i++) {
		struct ss_end *a = &f->ends[i];
		long long other;
		if (!a->pair || a->paired || sscanf(a->remote, "(pair of %lld)", &other) != 1)
			continue;
		uintptr_t j = (uintptr_t)ss_hmap_get(&by_sock, (uint64_t)a->pid, (uint64_t)other);
		if (!j || f->ends[j - 1].paired || j - 1 == i)
			continue;
		f->ends[j - 1].server = 1;
		add_flow(f, cap, i, j - 1);
	}
	ss_hmap_free(&by_sock);
}

static int by_start(const void *x, const void *y)
{
	const struct ss_flow *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->client < b->client ? -1 : a->client > b->client;
}

/* Each end's span on the reference clock, as far as its host's is known. */
static void shift(struct ss_flows *f)
{
	for (size_t i = 0; i < f->nends; i++) {
		struct ss_end *e = &f->ends[i];
		const struct ss_clock *k = &f->clocks[e->host < f->nhosts ? e->host : 0];
		int64_t by = k->known ? k->offset : 0;
		e->at = e->start - (uint64_t)by;
		e->until = e->end - (uint64_t)by;
	}
}

/* The groups of ends sharing a key, in ix sorted: fn on each. */
static void each_group(struct ss_flows *f, size_t *ix, size_t n,
		       void (*fn)(struct ss_flows *, size_t *, const size_t *, size_t), size_t *arg)
{
	sort_ends = f->ends;
	qsort(ix, n, sizeof(*ix), by_key);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_key(&f->ends[ix[i]], &f->ends[ix[j]]); j++)
			;
		fn(f, arg, ix + i, j - i);
	}
}

/* The bounds gathered for the clocks (flows.c keeps them while pairing). */
static struct ss_bound *bounds;
static size_t nbounds, capbounds;

static void bound(const struct ss_end *c, const struct ss_end *s)
{
	if (nbounds == capbounds) {
		capbounds = capbounds ? 2 * capbounds : 256;
		bounds = ss_xrealloc(bounds, capbounds * sizeof(*bounds));
	}
	if (ss_flow_bound(c, s, &bounds[nbounds]))
		nbounds++;
}

/* A group of one client and one server on two hosts: a pair whatever the
 * clocks say (ports are reused only over time), which bounds them. */
static void anchor(struct ss_flows *f, size_t *unused, const size_t *g, size_t n)
{
	(void)unused;
	if (n == 2 && f->ends[g[0]].server != f->ends[g[1]].server)
		bound(&f->ends[g[f->ends[g[0]].server]], &f->ends[g[!f->ends[g[0]].server]]);
}

void ss_flows_pair(struct ss_flows *f, int nhosts)
{
	size_t cap = 0;

	f->nhosts = nhosts > 0 ? nhosts : 1;
	f->clocks = ss_xcalloc((size_t)f->nhosts, sizeof(*f->clocks));
	f->clocks[0].known = 1;
	shift(f);
	pair_socketpairs(f, &cap);
	size_t *ix = ss_xcalloc(f->nends + 1, sizeof(*ix)), n = 0;
	for (size_t i = 0; i < f->nends; i++)
		if (!f->ends[i].pair)
			ix[n++] = i;
	/* Several hosts: their clocks first, from the ends that pair on
	 * their endpoints alone, so that time can decide for the others. */
	if (f->nhosts > 1) {
		nbounds = 0;
		each_group(f, ix, n, anchor, NULL);
		ss_clocks_solve(f, bounds, nbounds);
		shift(f);
	}
	each_group(f, ix, n, pair_group, &cap);
	free(ix);
	/* Then from every flow paired. */
	if (f->nhosts > 1) {
		nbounds = 0;
		for (size_t i = 0; i < f->n; i++)
			if (f->v[i].client != SS_NO_END && f->v[i].server != SS_NO_END)
				bound(&f->ends[f->v[i].client], &f->ends[f->v[i].server]);
		ss_clocks_solve(f, bounds, nbounds);
		shift(f);
		free(bounds);
		bounds = NULL;
		nbounds = capbounds = 0;
	}
	for (size_t i = 0; i < f->nends; i++) {
		const struct ss_end *e = &f->ends[i];
		if (!e->paired)
			add_flow(f, &cap, e->server ? SS_NO_END : i, e->server ? i : SS_NO_END);
	}
	for (size_t i = 0; i < f->n; i++)
		span(f, &f->v[i]);
	if (f->n)
		qsort(f->v, f->n, sizeof(*f->v), by_start);
}

void ss_flows_free(struct ss_flows *f)
{
	for (size_t i = 0; i < f->nends; i++) {
		free(f->ends[i].comm);
		free(f->ends[i].local);
		free(f->ends[i].remote);
	}
	free(f->ends);
	free(f->v);
	free(f->clocks);
	memset(f, 0, sizeof(*f));
}

uint64_t ss_flow_to_server(const struct ss_flows *f, const struct ss_flow *w)
{
	return w->client != SS_NO_END ? f->ends[w->client].tx : f->ends[w->server].rx;
}

uint64_t ss_flow_to_client(const struct ss_flows *f, const struct ss_flow *w)
{
	return w->client != SS_NO_END ? f->ends[w->client].rx : f->ends[w->server].tx;
}

int ss_flow_agree(const struct ss_flows *f, const struct ss_flow *w)
{
	if (w->client == SS_NO_END || w->server == SS_NO_END)
		return -1;
	return agree(&f->ends[w->client], &f->ends[w->server]);
}
