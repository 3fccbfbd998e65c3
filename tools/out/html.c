// SPDX-License-Identifier: MIT
/*
 * `sockscope report --format html`: one self-contained page (inline CSS
 * and SVG, a few lines of plain JavaScript, nothing fetched) with a
 * timeline of the connections per process, the flow graph, latency
 * histograms per call and per service, throughput over time, and the
 * errors and name lookups.  The connections are read twice from the
 * model: once to count them and take their ends for the flows, once to
 * draw them.  Up to SS_HTML_MAX_CONNS each is an SVG element of its own
 * (data-sock="PID:SOCK"); beyond, a browser would crawl, so each process
 * gets a density band and only the longest and the biggest connections
 * are drawn one by one, and the page says so.
 */
#include "out/html.h"
#include "out/out.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

#define SS_HTML_MAX_FAILS 200 /* failed connections listed */
#define SS_HTML_MAX_DNS 1000  /* name lookups listed */

void html_esc(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			/* Control characters are not allowed in HTML text. */
			if (*p < 0x20 && *p != '\t' && *p != '\n')
				fputs("&#xFFFD;", f);
			else
				fputc(*p, f);
		}
	}
}

const char *html_dur(uint64_t ns, char *buf, size_t size)
{
	static const struct {
		double scale;
		const char *unit;
	} units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "\u00b5s"}};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if ((double)ns >= units[i].scale) {
			snprintf(buf, size, "%.3g %s", (double)ns / units[i].scale, units[i].unit);
			return buf;
		}
	snprintf(buf, size, "%llu ns", (unsigned long long)ns);
	return buf;
}

const char *html_bytes(uint64_t n, char *buf, size_t size)
{
	static const char *unit[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	double v = (double)n;
	int u = 0;

	while (v >= 1000 && u < 5) {
		v /= 1000;
		u++;
	}
	if (u)
		snprintf(buf, size, "%.3g %s", v, unit[u]);
	else
		snprintf(buf, size, "%llu B", (unsigned long long)n);
	return buf;
}

struct html {
	struct ss_model *m;
	struct haxis ax;
	uint64_t nconns, end; /* end: the last connection's */
	int agg;
	struct ss_flows fl;
	struct ss_hmap procs; /* pid key -> hproc */
	struct hrow *rows;    /* every row, or the longest then the biggest */
	size_t nrows;
	size_t nlong, nbig; /* aggregated: in rows[0, TOP) and rows[TOP, 2 TOP) */
	struct hrow *fails;
	size_t nfails;
};

static void copy_row(struct hrow *d, const struct ss_conn_row *r)
{
	d->pid = r->pid;
	d->sock = r->sock;
	d->start = r->start;
	d->dur = r->duration;
	d->tx = r->tx;
	d->rx = r->rx;
	d->open = r->open;
	d->comm = ss_xstrdup(r->comm ? r->comm : "");
	d->role = ss_xstrdup(r->role ? r->role : "");
	d->local = r->local ? ss_xstrdup(r->local) : NULL;
	d->remote = r->remote ? ss_xstrdup(r->remote) : NULL;
	d->error = r->error ? ss_xstrdup(r->error) : NULL;
}

static void free_row(struct hrow *d)
{
	free(d->comm);
	free(d->role);
	free(d->local);
	free(d->remote);
	free(d->error);
}

/* First pass: count the rows and take their ends for the flow graph. */
static void count_row(const struct ss_conn_row *r, void *arg)
{
	struct html *h = arg;

	if (!h->nconns++ || r->start < h->ax.t0)
		h->ax.t0 = r->start;
	if (r->start + r->duration > h->end)
		h->end = r->start + r->duration;
	ss_flows_take(&h->fl, r);
}

static unsigned bin_of(const struct haxis *ax, uint64_t t)
{
	uint64_t d = t > ax->t0 ? t - ax->t0 : 0;
	unsigned b = (unsigned)((double)d / (double)ax->span * SS_HTML_BINS);

	return b < SS_HTML_BINS ? b : SS_HTML_BINS - 1;
}

/* Keep r among the n top rows of v by key k when it beats the least. */
static void keep_top(struct hrow *v, size_t *n, const struct ss_conn_row *r, uint64_t k,
		     uint64_t (*key)(const struct hrow *))
{
	size_t at = *n;

	if (*n == SS_HTML_TOP) {
		at = 0;
		for (size_t i = 1; i < *n; i++)
			if (key(&v[i]) < key(&v[at]))
				at = i;
		if (key(&v[at]) >= k)
			return;
		free_row(&v[at]);
	} else {
		(*n)++;
	}
	copy_row(&v[at], r);
}

static uint64_t key_dur(const struct hrow *r) { return r->dur; }

static uint64_t key_bytes(const struct hrow *r) { return r->tx + r->rx; }

/* Second pass: keep what the page draws. */
static void draw_row(const struct ss_conn_row *r, void *arg)
{
	struct html *h = arg;
	struct hproc *p = ss_hmap_get(&h->procs, (uint64_t)r->pid, 0);

	if (!p) {
		p = ss_xcalloc(1, sizeof(*p));
		p->pid = r->pid;
		snprintf(p->comm, sizeof(p->comm), "%s", r->comm ? r->comm : "");
		ss_hmap_put(&h->procs, (uint64_t)r->pid, 0, p);
	}
	p->n++;
	if (r->error) {
		p->nerr++;
		if (h->nfails < SS_HTML_MAX_FAILS)
			copy_row(&h->fails[h->nfails++], r);
	}
	if (!h->agg) {
		copy_row(&h->rows[h->nrows++], r);
		return;
	}
	p->bins[bin_of(&h->ax, r->start)]++;
	p->bins[bin_of(&h->ax, r->start + r->duration) + 1]--;
	keep_top(h->rows, &h->nlong, r, r->duration, key_dur);
	keep_top(h->rows + SS_HTML_TOP, &h->nbig, r, r->tx + r->rx, key_bytes);
}

static int by_pid_start(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->sock < y->sock ? -1 : x->sock > y->sock;
}

static int by_pid(const void *a, const void *b)
{
	const struct hproc *x = *(struct hproc *const *)a, *y = *(struct hproc *const *)b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Aggregated: a row both among the longest and the biggest, drawn once. */
static void dedup(struct html *h)
{
	size_t n = 0;

	memmove(h->rows + h->nlong, h->rows + SS_HTML_TOP, h->nbig * sizeof(*h->rows));
	h->nrows = h->nlong + h->nbig;
	qsort(h->rows, h->nrows, sizeof(*h->rows), by_pid_start);
	for (size_t i = 0; i < h->nrows; i++) {
		if (n && h->rows[n - 1].pid == h->rows[i].pid &&
		    h->rows[n - 1].sock == h->rows[i].sock &&
		    h->rows[n - 1].start == h->rows[i].start) {
			free_row(&h->rows[i]);
			continue;
		}
		h->rows[n++] = h->rows[i];
	}
	h->nrows = n;
}

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}\n"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;"
    "padding:2px 6px;text-align:left;font-size:13px}th{background:#f3f3f3}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".note{color:#555;font-style:italic}.cards{display:flex;flex-wrap:wrap;gap:10px}\n"
    ".card{border:1px solid #ddd;padding:6px;width:320px}.card h3{font-size:1em;margin:0}\n"
    ".card p{margin:2px 0;font-size:12px}svg text{font-size:11px;fill:#333}\n"
    ".client{fill:#2f6fd0}.server{fill:#2a9d4b}.listener{fill:#999}.datagram{fill:#e08a00}\n"
    ".pair{fill:#8a4fc4}.bound,.unused,.unknown{fill:#bbb}.raw,.netlink,.packet{fill:#6a8}\n"
    ".err{fill:#d62828}rect[data-sock]:hover{stroke:#000;stroke-width:1}\n"
    ".band{fill:#2f6fd0}.edge{stroke:#7a8ca8;fill:none}.tx{stroke:#2f6fd0}.rx{stroke:#2a9d4b}\n"
    "#detail{font-family:monospace;white-space:pre;min-height:1.4em}\n";

/* Clicking a connection shows its details; the last line marks the page
 * as run through (a script error would leave it unset). */
static const char script[] =
    "(function(){\n"
    "var n=document.querySelectorAll('[data-sock]').length;\n"
    "var c=document.getElementById('nel');if(c)c.textContent=String(n);\n"
    "var d=document.getElementById('detail');\n"
    "document.querySelectorAll('svg.timeline').forEach(function(s){\n"
    " s.addEventListener('click',function(ev){var t=ev.target.closest('[data-sock]');\n"
    "  if(t&&d){var k=t.querySelector('title');d.textContent=k?k.textContent:'';}});});\n"
    "document.body.setAttribute('data-ready','1');\n"
    "})();\n";

static void th(FILE *f, const char *const *names)
{
	fputs("<tr>", f);
	for (; *names; names++)
		fprintf(f, "<th>%s</th>", *names);
	fputs("</tr>\n", f);
}

static void td(FILE *f, const char *s)
{
	fputs("<td>", f);
	html_esc(f, s);
	fputs("</td>", f);
}

static void tdn(FILE *f, uint64_t v) { fprintf(f, "<td class=n>%llu</td>", (unsigned long long)v); }

static void header(FILE *f, struct ss_report *r, const struct html *h)
{
	struct ss_model *m = r->m;
	char b[64];

	fputs("<h1>sockscope report</h1>\n<table>\n", f);
	for (size_t i = 0; i < r->ndirs; i++) {
		fputs("<tr><th>trace</th>", f);
		td(f, r->dirs[i]);
		td(f, r->info[i].command ? r->info[i].command : "");
		fputs("</tr>\n", f);
	}
	fprintf(
	    f,
	    "<tr><th>events</th><td class=n>%llu</td><td>%llu lost, %llu packets lost</td></tr>\n",
	    (unsigned long long)m->events, (unsigned long long)m->lost,
	    (unsigned long long)m->lost_packets);
	fprintf(f, "<tr><th>duration</th><td class=n>%s</td><td></td></tr>\n",
		html_dur(m->last_ts - m->first_ts, b, sizeof(b)));
	fprintf(f,
		"<tr><th>connections</th><td class=n>%llu</td><td>"
		"<span id=nel>?</span> drawn one by one</td></tr>\n</table>\n",
		(unsigned long long)h->nconns);
}

static void errors(FILE *f, struct html *h)
{
	struct ss_model *m = h->m;
	size_t n;
	struct ss_err **v = ss_model_errors_sorted(m, &n);
	char b[64];

	fputs("<h2 id=errors>Errors</h2>\n", f);
	if (!n && !h->nfails)
		fputs("<p class=note>No call failed.</p>\n", f);
	if (n) {
		fputs("<table>\n", f);
		th(f, (const char *const[]){"call", "error", "count", NULL});
		for (size_t i = 0; i < n; i++) {
			fputs("<tr>", f);
			td(f, m->calls[v[i]->id]->name);
			td(f, v[i]->name);
			tdn(f, v[i]->count);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	free(v);
	if (!h->nfails)
		return;
	fprintf(f, "<h3>Failed connections</h3>\n<table>\n");
	th(f, (const char *const[]){"pid", "sock", "comm", "role", "local", "remote", "error", "at",
				    NULL});
	for (size_t i = 0; i < h->nfails; i++) {
		const struct hrow *w = &h->fails[i];
		fputs("<tr>", f);
		tdn(f, (uint64_t)ss_id_of(w->pid));
		tdn(f, (uint64_t)w->sock);
		td(f, w->comm);
		td(f, w->role);
		td(f, w->local);
		td(f, w->remote);
		td(f, w->error);
		td(f,
		   html_dur(w->start > h->ax.origin ? w->start - h->ax.origin : 0, b, sizeof(b)));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	if (h->nfails == SS_HTML_MAX_FAILS)
		fprintf(f, "<p class=note>The first %d failed connections only.</p>\n",
			SS_HTML_MAX_FAILS);
}

struct dns_ctx {
	FILE *f;
	uint64_t n, t0;
};

static void dns_row(const struct ss_dns_row *r, void *arg)
{
	struct dns_ctx *x = arg;
	char b[64];

	if (x->n++ >= SS_HTML_MAX_DNS)
		return;
	FILE *f = x->f;
	fputs("<tr>", f);
	tdn(f, (uint64_t)ss_id_of(r->pid));
	td(f, r->call);
	td(f, r->query);
	td(f, r->result);
	td(f, html_dur(r->dur, b, sizeof(b)));
	td(f, html_dur(r->ts > x->t0 ? r->ts - x->t0 : 0, b, sizeof(b)));
	tdn(f, (uint64_t)r->nsocks);
	fputs("</tr>\n", f);
}

static void dns(FILE *f, struct html *h)
{
	struct dns_ctx x = {f, 0, h->ax.origin};

	fputs("<h2 id=dns>Name lookups</h2>\n<table>\n", f);
	th(f,
	   (const char *const[]){"pid", "call", "query", "result", "took", "at", "sockets", NULL});
	ss_model_each_dns(h->m, dns_row, &x);
	fputs("</table>\n", f);
	if (!x.n)
		fputs("<p class=note>No name lookup.</p>\n", f);
	else if (x.n > SS_HTML_MAX_DNS)
		fprintf(f, "<p class=note>The first %d of %llu lookups only.</p>\n",
			SS_HTML_MAX_DNS, (unsigned long long)x.n);
}

static void card(FILE *f, const char *name, const struct ss_hist *hi, uint64_t errs,
		 const char *what)
{
	char a[64], b[64], c[64];

	fputs("<div class=card><h3>", f);
	html_esc(f, name);
	fprintf(f, "</h3><p>%llu %s, %llu errors; p50 %s, p99 %s, max %s</p>\n",
		(unsigned long long)hi->count, what, (unsigned long long)errs,
		html_dur(ss_hist_percentile(hi, 50), a, sizeof(a)),
		html_dur(ss_hist_percentile(hi, 99), b, sizeof(b)),
		html_dur(hi->max, c, sizeof(c)));
	html_hist(f, hi);
	fputs("</div>\n", f);
}

static void latency(FILE *f, struct ss_model *m)
{
	struct ss_call_stat **calls = ss_model_calls_sorted(m);
	size_t n;
	struct ss_service **sv = ss_model_services(m, &n);

	fputs("<h2 id=latency>Latency of the calls</h2>\n<div class=cards>\n", f);
	for (size_t i = 0; i < m->ncalls; i++)
		if (calls[i]->h.count)
			card(f, calls[i]->name, &calls[i]->h, calls[i]->errors, "calls");
	fputs("</div>\n", f);
	free(calls);
	fputs("<h2 id=services>Response times of the services</h2>\n", f);
	if (!n)
		fputs("<p class=note>No request/response turn seen.</p>\n", f);
	fputs("<div class=cards>\n", f);
	for (size_t i = 0; i < n; i++) {
		char *name = ss_xasprintf(
		    "%s %s (%llu connections)", sv[i]->server ? "server" : "client",
		    sv[i]->endpoint ? sv[i]->endpoint : "?", (unsigned long long)sv[i]->conns);
		card(f, name, &sv[i]->h, 0, "turns");
		free(name);
	}
	fputs("</div>\n", f);
	free(sv);
}

void ss_html_begin(struct ss_report *r, FILE *f)
{
	(void)f;
	r->m->series.on = 1; /* bytes over time, for the throughput plot */
}

void ss_out_html(struct ss_report *r, FILE *f)
{
	struct html h = {.m = r->m};
	struct ss_model *m = r->m;

	ss_hmap_init(&h.procs);
	ss_model_each_conn(m, count_row, &h);
	h.ax.origin = m->first_ts;
	h.ax.span = h.end > h.ax.t0 ? h.end - h.ax.t0 : 1;
	ss_flows_pair(&h.fl, m->nhosts);
	h.agg = h.nconns > SS_HTML_MAX_CONNS;
	h.rows = ss_xcalloc(h.agg ? 2 * SS_HTML_TOP : h.nconns + 1, sizeof(*h.rows));
	h.fails = ss_xcalloc(SS_HTML_MAX_FAILS, sizeof(*h.fails));
	ss_model_each_conn(m, draw_row, &h);

	/* The processes in pid order, their bands' counts from their differences. */
	struct hproc **procs = ss_xcalloc(h.procs.used + 1, sizeof(*procs));
	size_t nprocs = 0;
	const struct ss_hmap_slot *s;
	for (size_t i = 0; ss_hmap_next(&h.procs, &i, &s);) {
		struct hproc *p = s->v;
		for (int b = 1; b < SS_HTML_BINS; b++)
			p->bins[b] += p->bins[b - 1];
		procs[nprocs++] = p;
	}
	qsort(procs, nprocs, sizeof(*procs), by_pid);
	if (h.agg)
		dedup(&h);
	else
		qsort(h.rows, h.nrows, sizeof(*h.rows), by_pid_start);

	fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
	      "<title>sockscope report</title>\n<style>\n",
	      f);
	fputs(style, f);
	fputs("</style></head>\n<body>\n", f);
	header(f, r, &h);
	fputs("<p><a href=#timeline>timeline</a> \u00b7 <a href=#flows>flows</a> \u00b7 "
	      "<a href=#latency>latency</a> \u00b7 <a href=#services>services</a> \u00b7 "
	      "<a href=#throughput>throughput</a> \u00b7 <a href=#errors>errors</a> \u00b7 "
	      "<a href=#dns>name lookups</a></p>\n",
	      f);
	html_timeline(f, m, &h.ax, procs, nprocs, h.rows, h.nrows, h.agg);
	html_flow_graph(f, m, &h.fl);
	latency(f, m);
	html_throughput(f, m);
	errors(f, &h);
	dns(f, &h);
	fputs("<script>\n", f);
	fputs(script, f);
	fputs("</script>\n</body></html>\n", f);

	for (size_t i = 0; i < nprocs; i++)
		free(procs[i]);
	free(procs);
	ss_hmap_free(&h.procs);
	for (size_t i = 0; i < h.nrows; i++)
		free_row(&h.rows[i]);
	for (size_t i = 0; i < h.nfails; i++)
		free_row(&h.fails[i]);
	free(h.rows);
	free(h.fails);
	ss_flows_free(&h.fl);
}
