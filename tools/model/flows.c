// SPDX-License-Identifier: MIT
/*
 * Flows: the connection rows of every process and recording read, their
 * client and server ends paired into one conversation (report.h).  The
 * ends are taken from the rows as the outputs print them; the pairing
 * sorts them by their key and start, so n connections cost O(n log n).
 *
 * UDP has no connection: an end is one (socket, peer) of a datagram
 * socket, with the bytes its row counted for that peer (a connected
 * socket's bytes no peer took are its remote's; the peers beyond
 * SS_MAX_PEERS, summed, are no peer; a peer's address reused by another
 * socket is an episode of its own, conn.c's peer_of).  Two ends meet when
 * each one's peer is the other's own address -- a socket bound to a
 * wildcard (0.0.0.0:P, [::]:P) is met at any address of port P, since the
 * row says no more -- and their lifetimes (a socket's, an episode's)
 * overlap.  A socket whose
 * own address was never named (unbound: the kernel picked its port at the
 * first send, and the trace does not say which) is met only by its bytes:
 * a socket whose local port is its peer's, which counted from one address
 * exactly what this one sent and received, at overlapping times; its
 * endpoint is then the address the other end saw.  The client of a UDP
 * flow: the end whose address was never named, else the one not bound to
 * a wildcard and not talking with several peers, else the socket opened
 * later (a server waits for its clients); an end alone is a server when
 * it is on a wildcard or had several peers, else a client.
 */
#include "model/model.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

const char *ss_flow_proto_name(enum ss_flow_proto p)
{
	return p == SS_FLOW_TCP ? "tcp" : p == SS_FLOW_UDP ? "udp" : "unix";
}

/* The port of an endpoint "HOST:PORT" or "[HOST]:PORT", -1 if it has none;
 * *hostlen: the length of its host part. */
static long ep_port(const char *ep, size_t *hostlen)
{
	const char *c = strrchr(ep, ':');
	char *end;

	if (!c || (*ep == '[' && (c == ep || c[-1] != ']')))
		return -1;
	long port = strtol(c + 1, &end, 10);
	if (end == c + 1 || *end || port < 0)
		return -1;
	if (hostlen)
		*hostlen = (size_t)(c - ep);
	return port;
}

/* Bound to every address of its port. */
static int wildcard(const char *ep)
{
	return !strncmp(ep, "0.0.0.0:", 8) || !strncmp(ep, "[::]:", 5);
}

/* An address never named: none, or port 0 (the kernel's choice not seen). */
static int unnamed(const char *ep)
{
	return ep_port(ep, NULL) <= 0;
}

/* An IPv4 peer seen by an IPv6 socket, [::ffff:A.B.C.D]:P, is A.B.C.D:P,
 * as the peer itself names its address. */
static char *ep_dup(const char *ep)
{
	const char *v4 = "[::ffff:";
	const char *close = strchr(ep, ']');

	if (!strncmp(ep, v4, strlen(v4)) && close && strchr(ep + strlen(v4), '.'))
		return ss_xasprintf("%.*s%s", (int)(close - ep - strlen(v4)), ep + strlen(v4),
				    close + 1);
	return ss_xstrdup(ep);
}

static struct ss_end *new_end(struct ss_flows *f, const struct ss_conn_row *r)
{
	if (f->nends == f->capends) {
		f->capends = f->capends ? 2 * f->capends : 256;
		f->ends = ss_xrealloc(f->ends, f->capends * sizeof(*f->ends));
	}
	struct ss_end *e = &f->ends[f->nends++];
	*e = (struct ss_end){ .pid = r->talker, .opener = r->pid, .sock = r->sock,
			      .host = ss_host_of(r->pid),
			      .tx = r->tx, .rx = r->rx, .start = r->start,
			      .end = r->start + r->duration, .marks = r->marks,
			      .peer_pid = r->peer_pid, .untraced = r->untraced };
	e->comm = ss_xstrdup(r->talker_comm ? r->talker_comm : r->comm ? r->comm : "?");
	return e;
}

/* A datagram row: one end per peer, and its remote's for the bytes no
 * peer took (a connected socket's send and recv name none). */
static void take_udp(struct ss_flows *f, const struct ss_conn_row *r)
{
	uint64_t tx = r->tx, rx = r->rx;
	int n = r->npeers, remote_is_peer = 0;

	tx -= r->other_tx < tx ? r->other_tx : tx;
	rx -= r->other_rx < rx ? r->other_rx : rx;
	for (int i = 0; i < r->npeers; i++) {
		tx -= r->peers[i].tx < tx ? r->peers[i].tx : tx;
		rx -= r->peers[i].rx < rx ? r->peers[i].rx : rx;
		if (r->remote && !strcmp(r->peers[i].addr, r->remote))
			remote_is_peer = 1;
	}
	int rest = (tx || rx || !n) && r->remote && *r->remote && !remote_is_peer;
	for (int i = 0; i <= r->npeers; i++) {
		const char *peer = i < r->npeers ? r->peers[i].addr : rest ? r->remote : NULL;
		if (!peer)
			continue;
		const struct ss_peer *p = i < r->npeers ? &r->peers[i] : NULL;
		struct ss_end *e = new_end(f, r);
		e->proto = SS_FLOW_UDP;
		e->tx = p ? p->tx : 0;
		e->rx = p ? p->rx : 0;
		if (p && p->since) /* an episode of a port reused */
			e->start = p->since;
		if (p && p->until)
			e->end = p->until;
		/* The clocks' marks: this peer's first datagrams, not the socket's
		 * (a server's first are its first client's). */
		e->marks = (struct ss_marks){ .tx = p ? p->first_tx : 0, .rx = p ? p->first_rx : 0 };
		if (r->remote && !strcmp(peer, r->remote)) {
			/* A connected socket's bytes that named no peer, and
			 * its own marks for them. */
			e->tx += tx;
			e->rx += rx;
			if (tx || rx) {
				e->marks.tx = ss_earliest(e->marks.tx, r->marks.tx);
				e->marks.rx = ss_earliest(e->marks.rx, r->marks.rx);
			}
		}
		e->local = ep_dup(r->local ? r->local : "");
		e->remote = ep_dup(peer);
		e->many = n + rest > 1;
		e->server = wildcard(e->local) || e->many;
	}
}

/* A row that is one end of a connection: collect it.  (A row's type is
 * without its flags.) */
void ss_flows_take(struct ss_flows *f, const struct ss_conn_row *r)
{
	int stream = !strcmp(r->type, "SOCK_STREAM");
	int inet = !strcmp(r->family, "AF_INET") || !strcmp(r->family, "AF_INET6");
	int tcp = inet && stream;
	int unx = !strcmp(r->family, "AF_UNIX") && stream;
	int pair = !strcmp(r->role, "pair");
	int side = !strcmp(r->role, "server") ? 1 : !strcmp(r->role, "client") ? 0 : -1;

	if (inet && !strcmp(r->type, "SOCK_DGRAM") && !strcmp(r->role, "datagram")) {
		take_udp(f, r);
		return;
	}
	if (!pair && (!(tcp || unx) || side < 0 || !r->local || !r->remote))
		return;
	struct ss_end *e = new_end(f, r);
	e->proto = tcp ? SS_FLOW_TCP : SS_FLOW_UNIX;
	e->server = side == 1;
	e->pair = pair;
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

	/* A UDP conversation is no socket's whole life (a server's socket
	 * serves many): it is while both sockets were open. */
	if (c && s && c->proto == SS_FLOW_UDP) {
		start = c->at > s->at ? c->at : s->at;
		end = c->until < s->until ? c->until : s->until;
		if (end < start)
			end = start;
	}
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

/* How well client c fits server s, beyond their key and lifetimes: the
 * peers' pids that SO_PEERCRED gave at connect and accept (unix), each
 * pointing at the other end's process, count most; bytes that agree both
 * ways next. */
static int fit(const struct ss_end *c, const struct ss_end *s)
{
	return 2 * ((s->peer_pid && s->peer_pid == ss_id_of(c->opener)) +
		    (c->peer_pid && c->peer_pid == ss_id_of(s->opener))) +
	       agree(c, s);
}

/* The best fit c can have with s: every known pid pointing right. */
static int best_fit(const struct ss_end *c, const struct ss_end *s)
{
	return 2 * ((s->peer_pid != 0) + (c->peer_pid != 0)) + 1;
}

/*
 * One group of ends with the same key, clients and servers in start order:
 * each server takes the unpaired client that overlaps it and fits it best
 * (concurrent clients of one unix path: their pids, then their bytes),
 * the earliest of those.
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
		int score = -1;
		for (size_t k = lo; k < n; k++) {
			const struct ss_end *c = &f->ends[g[k]];
			if (c->at > s->until && !overlap(f, c, s))
				break;
			if (c->server || c->paired || !overlap(f, c, s))
				continue;
			int v = fit(c, s);
			if (v > score) {
				best = g[k];
				score = v;
			}
			if (v == best_fit(c, s))
				break;
		}
		if (best != SS_NO_END)
			add_flow(f, cap, best, g[i]);
	}
}

/*
 * UDP (see the top of this file).  An end offers itself under (its own
 * port, its peer) and, when its own address is named and not a wildcard,
 * looks for its peer under (its peer's port, its own address): sorted by
 * that key and start, an end meets the ends that could be its peer in one
 * group.  Ends whose address was never named look, in a second pass,
 * under (their peer's port, their bytes) for the ends that offer
 * (their port, the bytes the other way).
 */
struct udp_key {
	size_t end;
	long port;
	const char *addr;
	uint64_t b1, b2;
	int want; /* 1: looks for its peer; 0: offers itself */
};

static int by_udp_key(const void *x, const void *y)
{
	const struct udp_key *a = x, *b = y;
	int d;

	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if ((d = strcmp(a->addr, b->addr)))
		return d;
	if (a->b1 != b->b1)
		return a->b1 < b->b1 ? -1 : 1;
	if (a->b2 != b->b2)
		return a->b2 < b->b2 ? -1 : 1;
	if (sort_ends[a->end].at != sort_ends[b->end].at)
		return sort_ends[a->end].at < sort_ends[b->end].at ? -1 : 1;
	return a->want - b->want;
}

static int same_udp_key(const struct udp_key *a, const struct udp_key *b)
{
	return a->port == b->port && !strcmp(a->addr, b->addr) && a->b1 == b->b1 && a->b2 == b->b2;
}

/* Whether o, an end that offers itself, can be the peer a looks for:
 * another socket, on the address a sent to or on a wildcard of its port,
 * at the same time. */
static int udp_meets(const struct ss_flows *f, const struct ss_end *a, const struct ss_end *o)
{
	return (a->opener != o->opener || a->sock != o->sock) && scope(a) == scope(o) &&
	       (!strcmp(o->local, a->remote) || wildcard(o->local)) && overlap(f, a, o);
}

/* Of two UDP ends that met, whether a is the client (top of the file). */
static int udp_client(const struct ss_end *a, const struct ss_end *b)
{
	if (unnamed(a->local) != unnamed(b->local))
		return unnamed(a->local);
	int sa = wildcard(a->local) || a->many, sb = wildcard(b->local) || b->many;
	if (sa != sb)
		return sb;
	return a->start >= b->start;
}

/* One group of one key: each end that looks takes the unpaired offer that
 * meets it, one whose bytes agree first (a port reused in time: the
 * earliest); blind, only one whose bytes agree (its key says they do). */
static void udp_group(struct ss_flows *f, size_t *cap, const struct udp_key *g, size_t n,
		      int blind)
{
	size_t lo = 0; /* before it, no offer can meet a later end */

	for (size_t i = 0; i < n; i++) {
		struct ss_end *a = &f->ends[g[i].end];
		if (!g[i].want || a->paired)
			continue;
		while (lo < n && (g[lo].want || f->ends[g[lo].end].paired ||
				  (f->ends[g[lo].end].until < a->at && !overlap(f, &f->ends[g[lo].end], a))))
			lo++;
		size_t best = SS_NO_END;
		for (size_t k = lo; k < n && (f->ends[g[k].end].at <= a->until ||
					      overlap(f, &f->ends[g[k].end], a)); k++) {
			const struct ss_end *o = &f->ends[g[k].end];
			if (g[k].want || o->paired || !udp_meets(f, a, o))
				continue;
			if (best == SS_NO_END || (agree(a, o) && !agree(&f->ends[best], o)))
				best = g[k].end;
			if (agree(a, o))
				break;
		}
		if (best == SS_NO_END)
			continue;
		if (blind) {
			free(a->local);
			a->local = ss_xstrdup(f->ends[best].remote);
			add_flow(f, cap, g[i].end, best);
		} else if (udp_client(a, &f->ends[best])) {
			add_flow(f, cap, g[i].end, best);
		} else {
			add_flow(f, cap, best, g[i].end);
		}
	}
}

/* The keys of the UDP ends not paired yet, sorted, into k (2 per end at
 * most): by address, or blind by bytes (top of the file).  Returns how
 * many. */
static size_t udp_keys(struct ss_flows *f, struct udp_key *k, int blind)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nends; i++) {
		const struct ss_end *e = &f->ends[i];
		if (e->proto != SS_FLOW_UDP || e->paired)
			continue;
		long own = ep_port(e->local, NULL), peer = ep_port(e->remote, NULL);
		if (own > 0)
			k[n++] = (struct udp_key){ i, own, blind ? "" : e->remote,
						   blind ? e->rx : 0, blind ? e->tx : 0, 0 };
		if (blind ? own <= 0 : own > 0 && !wildcard(e->local))
			k[n++] = (struct udp_key){ i, peer, blind ? "" : e->local,
						   blind ? e->tx : 0, blind ? e->rx : 0, 1 };
	}
	sort_ends = f->ends;
	qsort(k, n, sizeof(*k), by_udp_key);
	return n;
}

static void pair_udp(struct ss_flows *f, size_t *cap)
{
	struct udp_key *k = ss_xcalloc(2 * f->nends + 1, sizeof(*k));

	for (int blind = 0; blind < 2; blind++) {
		size_t n = udp_keys(f, k, blind);
		for (size_t i = 0, j; i < n; i = j) {
			for (j = i + 1; j < n && same_udp_key(&k[i], &k[j]); j++)
				;
			udp_group(f, cap, k + i, j - i, blind);
		}
	}
	free(k);
}

static void bound(const struct ss_end *c, const struct ss_end *s);

/* Before any clock is known, the UDP ends that meet on their addresses
 * alone, across two hosts (a key with one end looking and one offering,
 * their bytes agreeing both ways), bound the clocks as TCP's do: hosts
 * that talk only UDP get one too. */
static void udp_anchors(struct ss_flows *f)
{
	struct udp_key *k = ss_xcalloc(2 * f->nends + 1, sizeof(*k));
	size_t n = udp_keys(f, k, 0);

	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_udp_key(&k[i], &k[j]); j++)
			;
		if (j - i != 2 || k[i].want == k[i + 1].want)
			continue;
		const struct ss_end *a = &f->ends[k[i].want ? k[i].end : k[i + 1].end];
		const struct ss_end *o = &f->ends[k[i].want ? k[i + 1].end : k[i].end];
		if (a->host == o->host || !agree(a, o) ||
		    (strcmp(o->local, a->remote) && !wildcard(o->local)))
			continue;
		if (udp_client(a, o))
			bound(a, o);
		else
			bound(o, a);
	}
	free(k);
}

/* The two ends of a socketpair name each other: "(pair of SERIAL)". */
static void pair_socketpairs(struct ss_flows *f, size_t *cap)
{
	struct ss_hmap by_sock;

	ss_hmap_init(&by_sock);
	for (size_t i = 0; i < f->nends; i++)
		if (f->ends[i].pair)
			ss_hmap_put(&by_sock, (uint64_t)f->ends[i].opener, (uint64_t)f->ends[i].sock,
				    (void *)(uintptr_t)(i + 1));
	for (size_t i = 0; i < f->nends; i++) {
		struct ss_end *a = &f->ends[i];
		long long other;
		if (!a->pair || a->paired || sscanf(a->remote, "(pair of %lld)", &other) != 1)
			continue;
		uintptr_t j = (uintptr_t)ss_hmap_get(&by_sock, (uint64_t)a->opener, (uint64_t)other);
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
		if (!f->ends[i].pair && f->ends[i].proto != SS_FLOW_UDP)
			ix[n++] = i;
	/* Several hosts: their clocks first, from the ends that pair on
	 * their endpoints alone, so that time can decide for the others. */
	if (f->nhosts > 1) {
		nbounds = 0;
		each_group(f, ix, n, anchor, NULL);
		udp_anchors(f);
		ss_clocks_solve(f, bounds, nbounds);
		shift(f);
	}
	pair_udp(f, &cap); /* on the reference clock, where TCP set it */
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
