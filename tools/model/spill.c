// SPDX-License-Identifier: MIT
/*
 * The report's spills: finished connections and every name lookup are
 * written to temporary files as they happen and read back, in that order,
 * when the outputs are printed, so that the model's memory follows what is
 * live, not the length of the trace.  Records are native-endian integers
 * and length-prefixed strings (a length of UINT32_MAX is NULL); the files
 * never outlive the process.
 */
#include "model/model.h"
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

FILE *ss_spill_open(void)
{
	FILE *f = tmpfile();

	if (!f)
		ss_die(2, "cannot create a temporary file: %s", strerror(errno));
	return f;
}

static void put_u64(FILE *f, uint64_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static void put_str(FILE *f, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;

	fwrite(&n, sizeof(n), 1, f);
	if (s)
		fwrite(s, 1, n, f);
}

static uint64_t get_u64(FILE *f)
{
	uint64_t v = 0;

	if (fread(&v, sizeof(v), 1, f) != 1)
		return 0;
	return v;
}

static char *get_str(FILE *f)
{
	uint32_t n;

	if (fread(&n, sizeof(n), 1, f) != 1 || n == UINT32_MAX)
		return NULL;
	char *s = ss_xmalloc((size_t)n + 1);
	if (fread(s, 1, n, f) != n)
		n = 0;
	s[n] = 0;
	return s;
}

static void check_spill(FILE *f)
{
	if (ferror(f))
		ss_die(2, "cannot write a temporary file: %s", strerror(errno));
}

void ss_model_spill_conn(struct ss_model *m, const struct ss_conn_row *r)
{
	FILE *f = m->conn_spill;
	const char *s[] = { r->comm, r->family, r->type, r->role, r->local, r->remote, r->error,
			    r->connect_via, r->talker_comm };
	const uint64_t lat[] = { (uint64_t)r->connect_ns, (uint64_t)r->ttfb_ns, r->exchanges,
				 r->resp_p50, r->resp_p99, r->resp_max };

	put_u64(f, (uint64_t)r->pid);
	put_u64(f, (uint64_t)r->sock);
	put_u64(f, r->tx);
	put_u64(f, r->rx);
	put_u64(f, r->start);
	put_u64(f, r->duration);
	put_u64(f, r->marks.connect);
	put_u64(f, r->marks.tx);
	put_u64(f, r->marks.rx);
	put_u64(f, r->marks.fin);
	put_u64(f, r->marks.eof);
	for (size_t i = 0; i < sizeof(lat) / sizeof(lat[0]); i++)
		put_u64(f, lat[i]);
	put_u64(f, (uint64_t)r->peer_pid);
	put_u64(f, (uint64_t)r->talker);
	put_u64(f, (uint64_t)r->untraced);
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		put_str(f, s[i]);
	put_u64(f, r->other_tx);
	put_u64(f, r->other_rx);
	put_u64(f, (uint64_t)r->npeers);
	for (int i = 0; i < r->npeers; i++) {
		put_str(f, r->peers[i].addr);
		put_u64(f, r->peers[i].tx);
		put_u64(f, r->peers[i].rx);
		put_u64(f, r->peers[i].since);
		put_u64(f, r->peers[i].until);
		put_u64(f, r->peers[i].first_tx);
		put_u64(f, r->peers[i].first_rx);
	}
	put_u64(f, (uint64_t)r->npids);
	for (int i = 0; i < r->npids; i++)
		put_u64(f, (uint64_t)r->pids[i]);
	check_spill(f);
	m->nconn_spilled++;
}

static void read_conn(FILE *f, struct ss_conn_row *r)
{
	const char **s[] = { &r->comm, &r->family, &r->type, &r->role, &r->local, &r->remote,
			     &r->error, &r->connect_via, &r->talker_comm };
	uint64_t *lat[] = { (uint64_t *)&r->connect_ns, (uint64_t *)&r->ttfb_ns, &r->exchanges,
			    &r->resp_p50, &r->resp_p99, &r->resp_max };

	r->pid = (int64_t)get_u64(f);
	r->sock = (int64_t)get_u64(f);
	r->tx = get_u64(f);
	r->rx = get_u64(f);
	r->start = get_u64(f);
	r->duration = get_u64(f);
	r->marks.connect = get_u64(f);
	r->marks.tx = get_u64(f);
	r->marks.rx = get_u64(f);
	r->marks.fin = get_u64(f);
	r->marks.eof = get_u64(f);
	for (size_t i = 0; i < sizeof(lat) / sizeof(lat[0]); i++)
		*lat[i] = get_u64(f);
	r->peer_pid = (int64_t)get_u64(f);
	r->talker = (int64_t)get_u64(f);
	r->untraced = (int)get_u64(f);
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		*s[i] = get_str(f);
	r->other_tx = get_u64(f);
	r->other_rx = get_u64(f);
	uint64_t npeers = get_u64(f);
	if (npeers > SS_MAX_PEERS)
		npeers = 0;
	struct ss_peer *peers = ss_xcalloc(npeers ? npeers : 1, sizeof(*peers));
	for (uint64_t i = 0; i < npeers; i++) {
		peers[i].addr = get_str(f);
		peers[i].tx = get_u64(f);
		peers[i].rx = get_u64(f);
		peers[i].since = get_u64(f);
		peers[i].until = get_u64(f);
		peers[i].first_tx = get_u64(f);
		peers[i].first_rx = get_u64(f);
	}
	r->peers = peers;
	r->npeers = (int)npeers;
	uint64_t npids = get_u64(f);
	int64_t *pids = ss_xcalloc(npids ? npids : 1, sizeof(*pids));
	for (uint64_t i = 0; i < npids; i++)
		pids[i] = (int64_t)get_u64(f);
	r->pids = pids;
	r->npids = (int)npids;
}

static void free_row(struct ss_conn_row *r)
{
	free((char *)r->comm);
	free((char *)r->family);
	free((char *)r->type);
	free((char *)r->role);
	free((char *)r->local);
	free((char *)r->remote);
	free((char *)r->error);
	free((char *)r->connect_via);
	free((char *)r->talker_comm);
	for (int i = 0; i < r->npeers; i++)
		free(r->peers[i].addr);
	free((struct ss_peer *)r->peers);
	free((int64_t *)r->pids);
}

void ss_model_each_conn(struct ss_model *m, void (*fn)(const struct ss_conn_row *, void *),
			void *arg)
{
	ss_conn_flush(m);
	fflush(m->conn_spill);
	rewind(m->conn_spill);
	for (uint64_t i = 0; i < m->nconn_spilled; i++) {
		struct ss_conn_row r;
		memset(&r, 0, sizeof(r));
		read_conn(m->conn_spill, &r);
		fn(&r, arg);
		free_row(&r);
	}
	fseek(m->conn_spill, 0, SEEK_END);
	for (const struct ss_conn *c = m->live; c; c = c->next) {
		if (!ss_conn_shown(m, c))
			continue;
		struct ss_conn_row r;
		ss_conn_row(m, c, &r);
		/* Never seen closed: it lasts until the recording's end. */
		r.open = 1;
		if (m->last_ts > r.start)
			r.duration = m->last_ts - r.start;
		fn(&r, arg);
	}
}

void ss_model_spill_dns(struct ss_model *m, const struct ss_ev *e,
			const struct ss_lookup_sock *socks, int nsocks)
{
	FILE *f = m->dns_spill;

	put_u64(f, (uint64_t)e->vpid);
	put_u64(f, e->ts);
	put_u64(f, (uint64_t)e->dur);
	put_u64(f, (uint64_t)e->id); /* the call's name stays in the model */
	put_str(f, e->query ? e->query : "");
	put_str(f, e->result ? e->result : "");
	put_u64(f, (uint64_t)nsocks);
	/* Written whole: fixed-size records, read back as they are (a short
	 * write sets the error check_spill looks at). */
	if (nsocks > 0)
		fwrite(socks, sizeof(*socks), (size_t)nsocks, f);
	check_spill(f);
	m->ndns++;
}

void ss_model_each_dns(struct ss_model *m, void (*fn)(const struct ss_dns_row *, void *),
		       void *arg)
{
	FILE *f = m->dns_spill;

	fflush(f);
	rewind(f);
	for (uint64_t i = 0; i < m->ndns; i++) {
		struct ss_dns_row r;
		r.pid = (int64_t)get_u64(f);
		r.ts = get_u64(f);
		r.dur = get_u64(f);
		uint64_t id = get_u64(f);
		r.call = id < m->ncalls ? m->calls[id]->name : "";
		/* One after the other: the order in which an initializer's
		 * expressions are evaluated is unspecified. */
		char *query = get_str(f);
		char *result = get_str(f);
		r.query = query ? query : "";
		r.result = result ? result : "";
		r.nsocks = (int)get_u64(f);
		if (r.nsocks < 0 || r.nsocks > SS_LOOKUP_SOCKS ||
		    fread(r.socks, sizeof(r.socks[0]), (size_t)r.nsocks, f) != (size_t)r.nsocks)
			r.nsocks = 0;
		fn(&r, arg);
		free(query);
		free(result);
	}
	fseek(f, 0, SEEK_END);
}
