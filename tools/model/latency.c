// SPDX-License-Identifier: MIT
/*
 * Latency per connection, from the calls of one end alone, with no
 * protocol parser (report.h, struct ss_lat):
 *
 * - connect: from the start of a client's first connect() until the
 *   program learned the outcome: the call's end when it blocked (or failed
 *   at once); for a connect in progress (EINPROGRESS), the first of a
 *   readiness call that reported the socket (poll, select, epoll_wait...:
 *   the preload's `ready` events), getsockopt(SO_ERROR), or a send or
 *   receive that succeeded or failed for good.  `via` names that call.
 * - time to first byte: a client's, from then to the end of its first
 *   receive of data; a server's, from accept() to the start of its first
 *   send.
 * - exchanges: a request is a run of bytes one way, its response the run
 *   that follows the other way.  A client times the end of its last send
 *   of a request to the end of the first receive of its response (the
 *   network and the server); a server, the end of its last receive of a
 *   request to the start of its first send of the response (its own think
 *   time).  Pipelined requests merge into one turn: nothing but the
 *   direction of the bytes tells turns apart.
 *
 * The response times of a connection are kept exactly up to
 * SS_LAT_SAMPLES, then in a histogram; each also goes to its service, the
 * endpoint a server was reached at or a client reached.
 */
#include "model/model.h"
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Where a connection is in its turns. */
enum { TURN_NONE, TURN_REQUEST, TURN_RESPONSE };

static struct ss_service *service_of(struct ss_model *m, const struct ss_conn *c)
{
	int server = c->role == SS_ROLE_SERVER;
	const char *ep = server ? c->local : c->remote;

	if (!ep || !*ep || ss_conn_is_dgram(c) ||
	    (c->role != SS_ROLE_SERVER && c->role != SS_ROLE_CLIENT))
		return NULL;
	uint64_t h = ss_hash_str(ep);
	struct ss_service *s = ss_hmap_get(&m->services, (uint64_t)server, h);
	if (s || m->nservices >= SS_MAX_SERVICES)
		return s;
	s = ss_xcalloc(1, sizeof(*s));
	s->server = server;
	s->endpoint = ss_xstrdup(ep);
	ss_hmap_put(&m->services, (uint64_t)server, h, s);
	m->nservices++;
	return s;
}

/* The connection counts for its service once its endpoint is known. */
static void count_service(struct ss_model *m, struct ss_conn *c)
{
	if (c->lat.counted)
		return;
	struct ss_service *s = service_of(m, c);
	if (s) {
		s->conns++;
		c->lat.counted = 1;
	}
}

static void sample(struct ss_model *m, struct ss_conn *c, uint64_t v)
{
	struct ss_lat *l = &c->lat;

	if (l->n < SS_LAT_SAMPLES) {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 8;
			l->v = ss_xrealloc(l->v, l->cap * sizeof(*l->v));
		}
		l->v[l->n] = v;
	} else {
		if (!l->h) { /* from here on, a histogram of them all */
			l->h = ss_xcalloc(1, sizeof(*l->h));
			for (uint32_t i = 0; i < l->n; i++)
				ss_hist_add(l->h, l->v[i]);
		}
		ss_hist_add(l->h, v);
	}
	l->n++;
	if (v > l->max)
		l->max = v;
	struct ss_service *s = service_of(m, c);
	if (s)
		ss_hist_add(&s->h, v);
}

/* The outcome of a connect() in progress is known: at e, through its call. */
static void connected(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e)
{
	if (c->lat.connected || !c->marks.connect)
		return;
	c->lat.connected = e->ts;
	c->lat.via = e->id >= 0 && (size_t)e->id < m->ncalls ? m->calls[e->id]->name : "?";
}

void ss_lat_connect(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e)
{
	count_service(m, c);
	int err = (int)e->err;
	/* Made, or failed for good; EISCONN: made before this call. */
	if (e->ret == 0 || (err && err != EINPROGRESS && err != EALREADY && err != EINTR &&
			    err != EAGAIN))
		connected(m, c, e);
}

void ss_lat_accepted(struct ss_model *m, struct ss_conn *c)
{
	count_service(m, c);
}

void ss_lat_ready(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e)
{
	if (c->connecting)
		connected(m, c, e);
}

void ss_lat_sockopt(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e)
{
	connected(m, c, e);
}

void ss_lat_io(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e, int tx, int64_t n)
{
	struct ss_lat *l = &c->lat;

	if (c->connecting && (n > 0 || (e->err && e->err != EAGAIN && e->err != EINTR)))
		connected(m, c, e);
	if (n <= 0 || (c->role != SS_ROLE_CLIENT && c->role != SS_ROLE_SERVER))
		return;
	/* A client's requests are its sends, a server's its receives. */
	int request = tx == (c->role == SS_ROLE_CLIENT);
	if (request) {
		l->turn = TURN_REQUEST;
		l->request_end = e->ts;
		return;
	}
	if (l->turn == TURN_REQUEST) {
		uint64_t at = tx ? e->ts - (uint64_t)e->dur : e->ts;
		sample(m, c, at > l->request_end ? at - l->request_end : 0);
	}
	l->turn = TURN_RESPONSE;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile of n sorted values, nearest rank. */
static uint64_t rank(const uint64_t *v, uint32_t n, double p)
{
	uint32_t k = (uint32_t)(p / 100.0 * n + 0.999999);

	return v[k ? k - 1 : 0];
}

void ss_lat_row(const struct ss_conn *c, struct ss_conn_row *r)
{
	const struct ss_lat *l = &c->lat;

	if (c->role == SS_ROLE_CLIENT && l->connected) {
		r->connect_ns = (int64_t)(l->connected - c->marks.connect);
		r->connect_via = l->via;
		if (c->marks.rx >= l->connected && !c->err)
			r->ttfb_ns = (int64_t)(c->marks.rx - l->connected);
	} else if (c->role == SS_ROLE_SERVER && c->marks.tx >= c->start) {
		r->ttfb_ns = (int64_t)(c->marks.tx - c->start);
	}
	r->exchanges = l->n;
	r->resp_max = l->max;
	if (l->h) {
		r->resp_p50 = ss_hist_percentile(l->h, 50);
		r->resp_p99 = ss_hist_percentile(l->h, 99);
	} else if (l->n) {
		uint64_t *v = ss_xcalloc(l->n, sizeof(*v));
		memcpy(v, l->v, l->n * sizeof(*v));
		qsort(v, l->n, sizeof(*v), by_value);
		r->resp_p50 = rank(v, l->n, 50);
		r->resp_p99 = rank(v, l->n, 99);
		free(v);
	}
}

void ss_lat_free(struct ss_conn *c)
{
	free(c->lat.v);
	free(c->lat.h);
}

static int by_conns(const void *a, const void *b)
{
	const struct ss_service *x = *(const struct ss_service *const *)a;
	const struct ss_service *y = *(const struct ss_service *const *)b;

	if (x->server != y->server)
		return y->server - x->server;
	if (x->conns != y->conns)
		return x->conns > y->conns ? -1 : 1;
	return strcmp(x->endpoint, y->endpoint);
}

struct ss_service **ss_model_services(struct ss_model *m, size_t *n)
{
	const struct ss_hmap_slot *s;
	struct ss_service **v = ss_xcalloc(m->nservices + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; ss_hmap_next(&m->services, &i, &s);) {
		struct ss_service *sv = s->v;
		if (ss_endpoint_match(&m->f, sv->endpoint))
			v[(*n)++] = sv;
	}
	qsort(v, *n, sizeof(*v), by_conns);
	return v;
}

void ss_lat_free_services(struct ss_model *m)
{
	const struct ss_hmap_slot *s;

	for (size_t i = 0; ss_hmap_next(&m->services, &i, &s);) {
		struct ss_service *sv = s->v;
		free(sv->endpoint);
		free(sv);
	}
	ss_hmap_free(&m->services);
}
