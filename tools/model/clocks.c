// SPDX-License-Identifier: MIT
/*
 * The hosts' clocks against one another, from the flows between them
 * (report.h).  Nothing but causality is assumed: a server's accept()
 * returns after its client's connect() started, bytes arrive after they
 * left, and an end reads EOF after the other closed its side.  Each such
 * pair of events on two hosts bounds the difference of their clocks'
 * offsets on one side; a flow gives up to five bounds, and all flows
 * between two hosts are intersected.
 *
 * The intersection is taken robustly: a long recording drifts, and a
 * pairing can be wrong, so the offset is the point most flows agree on,
 * its bounds the intersection of those flows; the others are counted as
 * outliers, not ignored silently.  Hosts are then reached from the
 * reference host through the pairs with the most flows, their offsets and
 * uncertainties adding up along the way.
 */
#include "model/model.h"
#include "tool.h"

#include <stdlib.h>

static int64_t sub(uint64_t x, uint64_t y)
{
	return (int64_t)(x - y);
}

int ss_flow_bound(const struct ss_end *c, const struct ss_end *s, struct ss_bound *b)
{
	/* d = offset(server's host) - offset(client's host); an event at
	 * time x on the client's host before one at y on the server's means
	 * x - oc <= y - os, so d <= y - x; the other way round, d >= x - y. */
	int64_t lo = SS_UNBOUNDED_MIN, hi = SS_UNBOUNDED_MAX;

	if (c->host == s->host)
		return 0;
	if (c->marks.connect && s->start)
		hi = sub(s->start, c->marks.connect); /* accept returned after */
	if (c->marks.tx && s->marks.rx && sub(s->marks.rx, c->marks.tx) < hi)
		hi = sub(s->marks.rx, c->marks.tx);
	if (c->marks.fin && s->marks.eof && sub(s->marks.eof, c->marks.fin) < hi)
		hi = sub(s->marks.eof, c->marks.fin); /* the client's close seen */
	if (s->marks.tx && c->marks.rx)
		lo = sub(s->marks.tx, c->marks.rx);
	if (s->marks.fin && c->marks.eof && sub(s->marks.fin, c->marks.eof) > lo)
		lo = sub(s->marks.fin, c->marks.eof); /* the server's close seen */
	if (lo == SS_UNBOUNDED_MIN && hi == SS_UNBOUNDED_MAX)
		return 0;
	/* One pair of hosts, one direction: the lower index first. */
	if (c->host < s->host)
		*b = (struct ss_bound){ c->host, s->host, lo, hi };
	else
		*b = (struct ss_bound){ s->host, c->host,
					hi == SS_UNBOUNDED_MAX ? SS_UNBOUNDED_MIN : -hi,
					lo == SS_UNBOUNDED_MIN ? SS_UNBOUNDED_MAX : -lo };
	return 1;
}

static int by_pair(const void *x, const void *y)
{
	const struct ss_bound *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* A side of a bound, for the sweep: its value, and +1 opening, -1 closing. */
struct edge {
	int64_t at;
	int open;
};

static int by_at(const void *x, const void *y)
{
	const struct edge *a = x, *b = y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return b->open - a->open; /* closed bounds: open before closing */
}

/* The bounds of one pair of hosts, made one: where most of them agree. */
static struct ss_clock agree_on(const struct ss_bound *v, size_t n, struct edge *e)
{
	struct ss_clock r = { 1, 0, SS_UNBOUNDED_MIN, SS_UNBOUNDED_MAX, n, 0 };
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		e[k++] = (struct edge){ v[i].lo, 1 };
		e[k++] = (struct edge){ v[i].hi, -1 };
	}
	qsort(e, k, sizeof(*e), by_at);
	int64_t best = 0, p = e[0].at;
	for (size_t i = 0, depth = 0; i < k; i++) {
		depth += (size_t)e[i].open; /* wraps back at a closing */
		if (e[i].open > 0 && (int64_t)depth > best)
			best = (int64_t)depth, p = e[i].at;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].lo > p || v[i].hi < p) {
			r.outliers++;
			continue;
		}
		if (v[i].lo > r.min)
			r.min = v[i].lo;
		if (v[i].hi < r.max)
			r.max = v[i].hi;
	}
	/* The middle of what is bounded; one side only: that side. */
	if (r.min != SS_UNBOUNDED_MIN && r.max != SS_UNBOUNDED_MAX)
		r.offset = r.min + (r.max - r.min) / 2;
	else
		r.offset = r.min != SS_UNBOUNDED_MIN ? r.min : r.max;
	return r;
}

static int64_t add_bound(int64_t x, int64_t y, int64_t unbounded)
{
	return x == unbounded || y == unbounded ? unbounded : x + y;
}

void ss_clocks_solve(struct ss_flows *f, struct ss_bound *v, size_t n)
{
	int nh = f->nhosts;
	struct ss_clock *pair = ss_xcalloc((size_t)nh * (size_t)nh, sizeof(*pair));
	struct edge *e = ss_xcalloc(2 * n + 1, sizeof(*e));

	/* Each pair of hosts: its bounds made one. */
	if (n)
		qsort(v, n, sizeof(*v), by_pair);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !by_pair(&v[i], &v[j]); j++)
			;
		pair[v[i].a * nh + v[i].b] = agree_on(v + i, j - i, e);
	}
	free(e);
	/* From the reference, each time the unknown host with the most flows
	 * to a known one (n hosts: n rounds of n^2, hosts being few). */
	for (int h = 0; h < nh; h++)
		f->clocks[h] = (struct ss_clock){ h == 0, 0, 0, 0, 0, 0 };
	for (;;) {
		int from = -1, to = -1;
		uint64_t most = 0;
		for (int a = 0; a < nh; a++)
			for (int b = 0; b < nh; b++) {
				const struct ss_clock *p = &pair[(a < b ? a : b) * nh + (a < b ? b : a)];
				if (a != b && f->clocks[a].known && !f->clocks[b].known &&
				    p->known && p->flows > most)
					most = p->flows, from = a, to = b;
			}
		if (from < 0)
			break;
		struct ss_clock d = pair[(from < to ? from : to) * nh + (from < to ? to : from)];
		if (from > to) { /* the pair's bound is offset(from) - offset(to) */
			int64_t min = d.min;
			d.min = d.max == SS_UNBOUNDED_MAX ? SS_UNBOUNDED_MIN : -d.max;
			d.max = min == SS_UNBOUNDED_MIN ? SS_UNBOUNDED_MAX : -min;
			d.offset = -d.offset;
		}
		const struct ss_clock *k = &f->clocks[from];
		f->clocks[to] = (struct ss_clock){
			1, k->offset + d.offset, add_bound(k->min, d.min, SS_UNBOUNDED_MIN),
			add_bound(k->max, d.max, SS_UNBOUNDED_MAX), d.flows, d.outliers
		};
	}
	free(pair);
}
