// SPDX-License-Identifier: MIT
/*
 * The pictures of `report --format html` (html.c writes the rest), as
 * inline SVG with <title> elements for what a pointer over them shows:
 * the timeline of connections per process, the flow graph between
 * processes (and hosts), a latency histogram, and throughput over time.
 */
#include "out/html.h"
#include "tool.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- timeline ---- */

#define TL_LABEL 220 /* px: the processes' names */
#define TL_W 1000    /* px: the time axis */
#define TL_LANE 8    /* px: one lane of connections */
#define TL_LANES 12  /* lanes per process; beyond, connections overlap */
#define TL_BAND 14   /* px: a density band */

static double tl_x(const struct haxis *ax, uint64_t t)
{
	double d = t > ax->t0 ? (double)(t - ax->t0) : 0;

	return TL_LABEL + fmin(d / (double)ax->span, 1.0) * TL_W;
}

/* The lanes of one process's rows (sorted by start), greedy: each row
 * goes to the first lane free at its start.  Returns the lanes used. */
static int tl_lanes(const struct haxis *ax, const struct hrow *rows, size_t n, int *lane)
{
	uint64_t end[TL_LANES];
	int used = 0;
	uint64_t px = ax->span / TL_W + 1; /* a row is at least a pixel wide */

	for (size_t i = 0; i < n; i++) {
		int l = 0;
		while (l < used && end[l] > rows[i].start)
			l++;
		if (l == TL_LANES) { /* all busy: the one free soonest */
			l = 0;
			for (int k = 1; k < TL_LANES; k++)
				if (end[k] < end[l])
					l = k;
		}
		if (l == used)
			used++;
		uint64_t e = rows[i].start + (rows[i].dur > px ? rows[i].dur : px);
		end[l] = e;
		lane[i] = l;
	}
	return used;
}

static void tl_row(FILE *f, const struct ss_model *m, const struct haxis *ax, const struct hrow *w,
		   double y)
{
	char a[64], b[64], tx[64], rx[64], hn[80];
	double x = tl_x(ax, w->start), x2 = tl_x(ax, w->start + w->dur);

	fprintf(f, "<rect data-sock=\"%lld:%lld\" class=\"", (long long)ss_id_of(w->pid),
		(long long)w->sock);
	html_esc(f, w->role);
	fprintf(f, "%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"><title>",
		w->error ? " err" : "", x, y, fmax(x2 - x, 1.0), TL_LANE - 2);
	if (m->nhosts > 1) {
		html_esc(f, ss_host_name(m, ss_host_of(w->pid), hn, sizeof(hn)));
		fputc('/', f);
	}
	fprintf(f, "%lld ", (long long)ss_id_of(w->pid));
	html_esc(f, w->comm);
	fprintf(f, " sock %lld, ", (long long)w->sock);
	html_esc(f, w->role);
	fputs("\n", f);
	html_esc(f, w->local ? w->local : "-");
	fputs(" \u2192 ", f);
	html_esc(f, w->remote ? w->remote : "-");
	fprintf(f, "\nat %s, for %s%s\nsent %s, received %s",
		html_dur(w->start > ax->origin ? w->start - ax->origin : 0, a, sizeof(a)),
		html_dur(w->dur, b, sizeof(b)), w->open ? " (still open)" : "",
		html_bytes(w->tx, tx, sizeof(tx)), html_bytes(w->rx, rx, sizeof(rx)));
	if (w->error) {
		fputs("\nerror ", f);
		html_esc(f, w->error);
	}
	fputs("</title></rect>\n", f);
}

void html_timeline(FILE *f, const struct ss_model *m, const struct haxis *ax, struct hproc **procs,
		   size_t nprocs, struct hrow *rows, size_t nrows, int agg)
{
	int *lane = ss_xcalloc(nrows + 1, sizeof(*lane));
	int *lanes = ss_xcalloc(nprocs + 1, sizeof(*lanes));
	size_t *first = ss_xcalloc(nprocs + 1, sizeof(*first));
	double height = 24;
	int32_t most = 1;
	char b[64], hn[80];
	uint64_t total = 0;

	/* Lay out first: the picture's height comes before its elements. */
	for (size_t p = 0, i = 0; p < nprocs; p++) {
		while (i < nrows && rows[i].pid < procs[p]->pid)
			i++;
		first[p] = i;
		size_t k = i;
		while (k < nrows && rows[k].pid == procs[p]->pid)
			k++;
		lanes[p] = tl_lanes(ax, rows + i, k - i, lane + i);
		height += fmax(16, (agg ? TL_BAND + 2 : 0) + lanes[p] * TL_LANE) + 6;
		for (int j = 0; j < SS_HTML_BINS; j++)
			if (procs[p]->bins[j] > most)
				most = procs[p]->bins[j];
		total += procs[p]->n;
		i = k;
	}

	fputs("<h2 id=timeline>Connections over time, per process</h2>\n", f);
	fputs("<p>One bar per connection, from its opening to its close, coloured by role: "
	      "<svg width=12 height=10><rect class=client width=10 height=10 /></svg> client "
	      "<svg width=12 height=10><rect class=server width=10 height=10 /></svg> server "
	      "<svg width=12 height=10><rect class=listener width=10 height=10 /></svg> listener "
	      "<svg width=12 height=10><rect class=datagram width=10 height=10 /></svg> datagram "
	      "<svg width=12 height=10><rect class=pair width=10 height=10 /></svg> socketpair "
	      "<svg width=12 height=10><rect class=err width=10 height=10 /></svg> failed. "
	      "Point at one for its details, click it to copy them below.</p>\n",
	      f);
	if (agg)
		fprintf(f,
			"<p class=note>%llu connections: too many to draw one by one, so each "
			"process has a band whose darkness is how many of its connections were "
			"open at that time, and only the %d longest and the %d biggest connections "
			"of all (%zu) are drawn as bars with data-sock.</p>\n",
			(unsigned long long)total, SS_HTML_TOP, SS_HTML_TOP, nrows);
	if (m->nhosts > 1)
		fputs("<p class=note>Each host's connections are on its own clock.</p>\n", f);
	if (!nprocs) {
		fputs("<p class=note>No connection.</p>\n", f);
		goto out;
	}
	fprintf(f,
		"<svg class=timeline width=\"%d\" height=\"%.0f\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n",
		TL_LABEL + TL_W + 10, height);
	for (int k = 0; k <= 4; k++) {
		double x = TL_LABEL + k * TL_W / 4.0;
		fprintf(f,
			"<line x1=\"%.0f\" y1=\"14\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#eee\"/>"
			"<text x=\"%.0f\" y=\"11\" text-anchor=\"%s\">%s</text>\n",
			x, x, height, x,
			k == 4 ? "end"
			: k    ? "middle"
			       : "start",
			html_dur((ax->t0 > ax->origin ? ax->t0 - ax->origin : 0) +
				     (uint64_t)((double)ax->span * k / 4),
				 b, sizeof(b)));
	}
	double y = 24;
	for (size_t p = 0; p < nprocs; p++) {
		const struct hproc *pr = procs[p];
		double h = fmax(16, (agg ? TL_BAND + 2 : 0) + lanes[p] * TL_LANE);
		fprintf(f, "<g><text x=\"0\" y=\"%.0f\">", y + 11);
		if (m->nhosts > 1) {
			html_esc(f, ss_host_name(m, ss_host_of(pr->pid), hn, sizeof(hn)));
			fputc('/', f);
		}
		fprintf(f, "%lld ", (long long)ss_id_of(pr->pid));
		html_esc(f, pr->comm);
		fprintf(f, " (%llu)</text>\n", (unsigned long long)pr->n);
		double ly = y;
		if (agg) {
			for (int j = 0; j < SS_HTML_BINS; j++) {
				if (!pr->bins[j])
					continue;
				fprintf(f,
					"<rect class=band x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" "
					"height=\"%d\" fill-opacity=\"%.2f\"><title>%d "
					"open</title></rect>\n",
					TL_LABEL + (double)j * TL_W / SS_HTML_BINS, y,
					(double)TL_W / SS_HTML_BINS + 0.5, TL_BAND,
					0.15 + 0.85 * pr->bins[j] / most, pr->bins[j]);
			}
			ly += TL_BAND + 2;
		}
		for (size_t i = first[p]; i < nrows && rows[i].pid == pr->pid; i++)
			tl_row(f, m, ax, &rows[i], ly + lane[i] * TL_LANE);
		fputs("</g>\n", f);
		y += h + 6;
	}
	fputs("</svg>\n<p>Clicked: <span id=detail></span></p>\n", f);
out:
	free(lane);
	free(lanes);
	free(first);
}

/* ---- flow graph ---- */

#define FG_NODES 40 /* drawn; the others are listed as left out */
#define FG_W 1000
#define FG_H 640

struct fnode {
	int64_t key; /* a process's model key, or an endpoint's hash */
	int host;    /* -1: an endpoint no recorded process held */
	const char *comm, *endpoint;
	uint64_t flows, bytes;
	int kept;
	double x, y, a;
};

struct fedge {
	size_t a, b; /* client, server */
	uint64_t n, to_s, to_c;
	enum ss_flow_proto proto;
};

struct fgraph {
	struct fnode *v;
	size_t n;
	struct fedge *e;
	size_t ne;
	struct ss_hmap nodes, edges;
};

static const char *const host_colour[] = {"#2f6fd0", "#2a9d4b", "#e08a00", "#8a4fc4",
					  "#d62828", "#0a9a9a", "#9a6a00", "#555"};

static size_t fg_node(struct fgraph *g, const struct ss_flows *fl, size_t end, const char *endpoint)
{
	int ext = end == SS_NO_END;
	const struct ss_end *e = ext ? NULL : &fl->ends[end];
	uint64_t k = ext ? ss_hash_str(endpoint ? endpoint : "?") : (uint64_t)e->pid;
	uintptr_t i = (uintptr_t)ss_hmap_get(&g->nodes, (uint64_t)ext, k);

	if (i)
		return i - 1;
	g->v = ss_xrealloc(g->v, (g->n + 1) * sizeof(*g->v));
	g->v[g->n] = (struct fnode){.key = (int64_t)k,
				    .host = ext ? -1 : e->host,
				    .comm = ext ? NULL : e->comm,
				    .endpoint = ext ? (endpoint ? endpoint : "?") : NULL};
	ss_hmap_put(&g->nodes, (uint64_t)ext, k, (void *)(uintptr_t)(g->n + 1));
	return g->n++;
}

static int node_by_weight(const void *a, const void *b)
{
	const struct fnode *x = *(struct fnode *const *)a, *y = *(struct fnode *const *)b;

	if (x->flows != y->flows)
		return x->flows > y->flows ? -1 : 1;
	return x->bytes > y->bytes ? -1 : x->bytes < y->bytes;
}

/* Around the circle: host by host, the endpoints last. */
static int node_by_place(const void *a, const void *b)
{
	const struct fnode *x = *(struct fnode *const *)a, *y = *(struct fnode *const *)b;
	int hx = x->host < 0 ? SS_MAX_HOSTS : x->host, hy = y->host < 0 ? SS_MAX_HOSTS : y->host;

	if (hx != hy)
		return hx - hy;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int edge_by_bytes(const void *a, const void *b)
{
	const struct fedge *x = a, *y = b;
	uint64_t bx = x->to_s + x->to_c, by = y->to_s + y->to_c;

	if (bx != by)
		return bx > by ? -1 : 1;
	return x->n > y->n ? -1 : x->n < y->n;
}

static void fg_name(FILE *f, const struct ss_model *m, const struct fnode *v)
{
	char hn[80];

	if (v->host < 0) {
		html_esc(f, v->endpoint);
		return;
	}
	if (m->nhosts > 1) {
		html_esc(f, ss_host_name(m, v->host, hn, sizeof(hn)));
		fputc('/', f);
	}
	fprintf(f, "%lld ", (long long)ss_id_of(v->key));
	html_esc(f, v->comm);
}

static void fg_build(struct fgraph *g, const struct ss_flows *fl)
{
	ss_hmap_init(&g->nodes);
	ss_hmap_init(&g->edges);
	for (size_t i = 0; i < fl->n; i++) {
		const struct ss_flow *w = &fl->v[i];
		const char *peer = w->client == SS_NO_END   ? fl->ends[w->server].remote
				   : w->server == SS_NO_END ? fl->ends[w->client].remote
							    : NULL;
		size_t a = fg_node(g, fl, w->client, peer), b = fg_node(g, fl, w->server, peer);
		uint64_t ts = ss_flow_to_server(fl, w), tc = ss_flow_to_client(fl, w);
		uintptr_t k = (uintptr_t)ss_hmap_get(&g->edges, a, b);
		if (!k) {
			g->e = ss_xrealloc(g->e, (g->ne + 1) * sizeof(*g->e));
			g->e[g->ne] = (struct fedge){.a = a, .b = b, .proto = w->proto};
			ss_hmap_put(&g->edges, a, b, (void *)(uintptr_t)(++g->ne));
			k = g->ne;
		}
		struct fedge *e = &g->e[k - 1];
		e->n++;
		e->to_s += ts;
		e->to_c += tc;
		g->v[a].flows++;
		g->v[b].flows++;
		g->v[a].bytes += ts + tc;
		if (b != a)
			g->v[b].bytes += ts + tc;
	}
}

/* Keep the FG_NODES busiest nodes and place them around a circle. */
static size_t fg_place(struct fgraph *g)
{
	struct fnode **order = ss_xcalloc(g->n + 1, sizeof(*order));
	size_t kept = g->n < FG_NODES ? g->n : FG_NODES;

	for (size_t i = 0; i < g->n; i++)
		order[i] = &g->v[i];
	qsort(order, g->n, sizeof(*order), node_by_weight);
	qsort(order, kept, sizeof(*order), node_by_place);
	for (size_t i = 0; i < kept; i++) {
		struct fnode *v = order[i];
		v->kept = 1;
		v->a = kept > 1 ? 2 * M_PI * (double)i / (double)kept - M_PI / 2 : 0;
		double r = kept > 1 ? FG_H / 2.0 - 70 : 0;
		v->x = FG_W / 2.0 + r * 1.3 * cos(v->a);
		v->y = FG_H / 2.0 + r * sin(v->a);
	}
	free(order);
	return kept;
}

static void fg_edge(FILE *f, const struct ss_model *m, const struct fgraph *g,
		    const struct fedge *e)
{
	const struct fnode *a = &g->v[e->a], *b = &g->v[e->b];
	char s[64], c[64];
	double w = fmin(1 + log10((double)(e->to_s + e->to_c) + 1) / 1.5, 7);

	if (a == b) { /* both ends in one process: a loop beside it */
		fprintf(
		    f, "<circle class=edge cx=\"%.1f\" cy=\"%.1f\" r=\"12\" stroke-width=\"%.1f\">",
		    a->x + 14 * cos(a->a), a->y + 14 * sin(a->a), w);
	} else {
		double dx = b->x - a->x, dy = b->y - a->y, d = fmax(hypot(dx, dy), 1);
		fprintf(f,
			"<line class=edge x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke-width=\"%.1f\" marker-end=\"url(#arrow)\">",
			a->x + dx * 9 / d, a->y + dy * 9 / d, b->x - dx * 11 / d,
			b->y - dy * 11 / d, w);
	}
	fputs("<title>", f);
	fg_name(f, m, a);
	fputs(" \u2192 ", f);
	fg_name(f, m, b);
	fprintf(f, "\n%llu %s connection%s, %s to the server, %s back</title>",
		(unsigned long long)e->n, ss_flow_proto_name(e->proto), e->n == 1 ? "" : "s",
		html_bytes(e->to_s, s, sizeof(s)), html_bytes(e->to_c, c, sizeof(c)));
	fputs(a == b ? "</circle>\n" : "</line>\n", f);
}

static void fg_tables(FILE *f, const struct ss_model *m, const struct ss_flows *fl,
		      struct fgraph *g)
{
	char s[64], c[64], hn[80];

	qsort(g->e, g->ne, sizeof(*g->e), edge_by_bytes);
	fputs("<table>\n<tr><th>client</th><th>server</th><th>proto</th><th>connections</th>"
	      "<th>to the server</th><th>back</th></tr>\n",
	      f);
	for (size_t i = 0; i < g->ne && i < 100; i++) {
		const struct fedge *e = &g->e[i];
		fputs("<tr><td>", f);
		fg_name(f, m, &g->v[e->a]);
		fputs("</td><td>", f);
		fg_name(f, m, &g->v[e->b]);
		fprintf(f,
			"</td><td>%s</td><td class=n>%llu</td><td class=n>%s</td>"
			"<td class=n>%s</td></tr>\n",
			ss_flow_proto_name(e->proto), (unsigned long long)e->n,
			html_bytes(e->to_s, s, sizeof(s)), html_bytes(e->to_c, c, sizeof(c)));
	}
	fputs("</table>\n", f);
	if (g->ne > 100)
		fprintf(f, "<p class=note>The 100 busiest of %zu pairs.</p>\n", g->ne);
	if (m->nhosts < 2)
		return;
	fputs("<h3>Hosts</h3>\n<table>\n<tr><th>host</th><th>clock offset</th>"
	      "<th>flows</th></tr>\n",
	      f);
	for (int i = 0; i < m->nhosts && i < fl->nhosts; i++) {
		const struct ss_clock *k = &fl->clocks[i];
		fprintf(f, "<tr><td style=\"color:%s\">", host_colour[i % 8]);
		html_esc(f, ss_host_name(m, i, hn, sizeof(hn)));
		if (k->known)
			fprintf(f, "</td><td class=n>%+.6f s</td>", (double)k->offset / 1e9);
		else
			fputs("</td><td>not known</td>", f);
		fprintf(f, "<td class=n>%llu</td></tr>\n", (unsigned long long)k->flows);
	}
	fputs("</table>\n", f);
}

void html_flow_graph(FILE *f, const struct ss_model *m, const struct ss_flows *fl)
{
	struct fgraph g = {0};

	fputs("<h2 id=flows>Flows between processes</h2>\n", f);
	fg_build(&g, fl);
	if (!g.n) {
		fputs("<p class=note>No flow.</p>\n", f);
		goto out;
	}
	size_t kept = fg_place(&g);
	fputs("<p>An arrow from the client to the server of each pair, as wide as the bytes "
	      "they moved; endpoints no recorded process held are hollow. "
	      "Point at one for its numbers.</p>\n",
	      f);
	if (kept < g.n)
		fprintf(f,
			"<p class=note>The %zu busiest of %zu processes and endpoints are "
			"drawn; the table lists the others' flows.</p>\n",
			kept, g.n);
	fprintf(
	    f,
	    "<svg class=flows width=\"%d\" height=\"%d\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">\n<defs><marker id=arrow viewBox=\"0 0 10 10\" "
	    "refX=\"9\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\">"
	    "<path d=\"M0,0L10,5L0,10z\" fill=\"#7a8ca8\"/></marker></defs>\n",
	    FG_W, FG_H);
	for (size_t i = 0; i < g.ne; i++)
		if (g.v[g.e[i].a].kept && g.v[g.e[i].b].kept)
			fg_edge(f, m, &g, &g.e[i]);
	for (size_t i = 0; i < g.n; i++) {
		const struct fnode *v = &g.v[i];
		char b[64];
		if (!v->kept)
			continue;
		if (v->host < 0)
			fprintf(f,
				"<g><circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"#fff\" "
				"stroke=\"#777\" stroke-width=\"2\"/>",
				v->x, v->y);
		else
			fprintf(f, "<g><circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"%s\"/>", v->x,
				v->y, host_colour[v->host % 8]);
		int right = cos(v->a) >= -1e-9;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
			v->x + (right ? 11 : -11), v->y + 4, right ? "start" : "end");
		fg_name(f, m, v);
		fputs("</text><title>", f);
		fg_name(f, m, v);
		fprintf(f, ": %llu flows, %s</title></g>\n", (unsigned long long)v->flows,
			html_bytes(v->bytes, b, sizeof(b)));
	}
	fputs("</svg>\n", f);
	fg_tables(f, m, fl, &g);
out:
	free(g.v);
	free(g.e);
	ss_hmap_free(&g.nodes);
	ss_hmap_free(&g.edges);
}

/* ---- histograms ---- */

#define HI_W 300
#define HI_H 70

/* One bar per power of two, from the first to the last non-empty one. */
void html_hist(FILE *f, const struct ss_hist *h)
{
	uint64_t pow2[65] = {0}, most = 1;
	int lo = 64, hi = -1;
	char a[64], b[64];

	for (unsigned i = 0; i < SS_HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		uint64_t from, to;
		ss_hist_range(i, &from, &to);
		int p = from ? 63 - __builtin_clzll(from) : 0;
		pow2[p] += h->b[i];
		if (p < lo)
			lo = p;
		if (p > hi)
			hi = p;
	}
	if (hi < 0)
		return;
	for (int p = lo; p <= hi; p++)
		if (pow2[p] > most)
			most = pow2[p];
	double w = fmin(24, (double)HI_W / (hi - lo + 1));
	fprintf(f,
		"<svg class=hist width=\"%d\" height=\"%d\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n",
		HI_W, HI_H + 14);
	for (int p = lo; p <= hi; p++) {
		double bh = pow2[p] ? fmax(1, (double)HI_H * pow2[p] / most) : 0;
		fprintf(f,
			"<rect class=client x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
			"<title>%s to %s: %llu</title></rect>\n",
			(p - lo) * w, HI_H - bh, fmax(w - 1, 1), bh,
			html_dur(p ? (uint64_t)1 << p : 0, a, sizeof(a)),
			html_dur(((uint64_t)1 << p << 1) - 1, b, sizeof(b)),
			(unsigned long long)pow2[p]);
	}
	/* The range's ends under the bars, or both in one where they are few. */
	html_dur(lo ? (uint64_t)1 << lo : 0, a, sizeof(a));
	html_dur(hi < 63 ? (uint64_t)1 << (hi + 1) : UINT64_MAX, b, sizeof(b));
	if ((hi - lo + 1) * w < 100)
		fprintf(f, "<text x=\"0\" y=\"%d\">%s to %s</text>\n</svg>\n", HI_H + 12, a, b);
	else
		fprintf(f,
			"<text x=\"0\" y=\"%d\">%s</text><text x=\"%.1f\" y=\"%d\" "
			"text-anchor=\"end\">%s</text>\n</svg>\n",
			HI_H + 12, a, (hi - lo + 1) * w, HI_H + 12, b);
}

/* ---- throughput ---- */

#define TP_LEFT 90
#define TP_W 1000
#define TP_H 160

static void tp_line(FILE *f, const struct ss_series *s, const uint64_t *v, double most,
		    const char *cls)
{
	fprintf(f, "<polyline class=%s fill=\"none\" stroke-width=\"1.5\" points=\"", cls);
	for (size_t i = 0; i < s->n; i++) {
		double x0 = TP_LEFT + (double)i * TP_W / s->n,
		       x1 = TP_LEFT + (i + 1.0) * TP_W / s->n;
		double y = 10 + TP_H - (double)v[i] / most * TP_H;
		fprintf(f, "%.1f,%.1f %.1f,%.1f ", x0, y, x1, y);
	}
	fputs("\"/>\n", f);
}

void html_throughput(FILE *f, const struct ss_model *m)
{
	const struct ss_series *s = &m->series;
	char a[64], b[64], c[64];
	uint64_t most = 1;

	fputs("<h2 id=throughput>Throughput</h2>\n", f);
	if (!s->n) {
		fputs("<p class=note>No byte sent or received.</p>\n", f);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->tx[i] > most)
			most = s->tx[i];
		if (s->rx[i] > most)
			most = s->rx[i];
	}
	fprintf(
	    f,
	    "<p>Bytes per second the processes "
	    "<svg width=20 height=10><line class=tx x1=0 y1=5 x2=20 y2=5 stroke-width=2 /></svg> "
	    "sent and <svg width=20 height=10><line class=rx x1=0 y1=5 x2=20 y2=5 "
	    "stroke-width=2 /></svg> received, counted when each call returned, in %zu steps "
	    "of %s from %s into the traces.%s</p>\n",
	    s->n, html_dur(s->width, a, sizeof(a)),
	    html_dur(s->t0 > m->first_ts ? s->t0 - m->first_ts : 0, b, sizeof(b)),
	    m->nhosts > 1 ? " Each host's on its own clock." : "");
	if (m->filtering_addr || m->filtering_proc)
		fputs("<p class=note>These count the bytes of every connection, also those "
		      "the filters leave out.</p>\n",
		      f);
	fprintf(f,
		"<svg class=throughput width=\"%d\" height=\"%d\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n",
		TP_LEFT + TP_W + 10, TP_H + 30);
	fprintf(f,
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
		"<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>\n",
		TP_LEFT, TP_H + 10, TP_LEFT + TP_W, TP_H + 10, TP_LEFT, TP_LEFT, TP_H + 10);
	fprintf(f,
		"<text x=\"%d\" y=\"14\" text-anchor=\"end\">%s/s</text>"
		"<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
		TP_LEFT - 4,
		html_bytes((uint64_t)((double)most * 1e9 / (double)s->width), c, sizeof(c)),
		TP_LEFT - 4, TP_H + 10);
	fprintf(f,
		"<text x=\"%d\" y=\"%d\">+0</text><text x=\"%d\" y=\"%d\" "
		"text-anchor=\"end\">+%s</text>\n",
		TP_LEFT, TP_H + 24, TP_LEFT + TP_W, TP_H + 24,
		html_dur(s->width * s->n, a, sizeof(a)));
	tp_line(f, s, s->tx, (double)most, "tx");
	tp_line(f, s, s->rx, (double)most, "rx");
	fputs("</svg>\n", f);
}
