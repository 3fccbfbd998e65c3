// SPDX-License-Identifier: MIT
/*
 * The sockets a name lookup made, nested under it in the report as a
 * library method's calls are: per thread, the sockets used in the last
 * moments (a few, with the bytes moved since the thread first used them);
 * when a lookup's event comes (at its return), those the thread first
 * used inside the lookup's span [start_ns, ts] are the lookup's own and
 * leave the list.  What this can see is what the preload sees: sockets an
 * NSS module or a resolver library makes through libc's public functions;
 * glibc's own DNS client (in libc since 2.34) calls its internal aliases,
 * which no interposer reaches.
 */
#include "model/model.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

#include "ss_names.h"

/* The recent sockets of one thread. */
struct recent {
	struct ss_lookup_sock s[SS_LOOKUP_SOCKS];
	int n;
};

static struct recent *recent_of(struct ss_model *m, int64_t vtid)
{
	if (m->lk_last && m->lk_last_vtid == vtid)
		return m->lk_last;
	struct recent *r = ss_hmap_get(&m->lk_recent, (uint64_t)vtid, 0);
	if (!r) {
		r = ss_xcalloc(1, sizeof(*r));
		ss_hmap_put(&m->lk_recent, (uint64_t)vtid, 0, r);
	}
	m->lk_last_vtid = vtid;
	m->lk_last = r;
	return r;
}

/* The entry of c in r, made (in place of the least recently used when
 * full) on first sight. */
static struct ss_lookup_sock *entry(struct recent *r, const struct ss_conn *c, uint64_t ts)
{
	int old = 0;

	for (int i = 0; i < r->n; i++) {
		if (r->s[i].pid == c->vpid && r->s[i].sock == c->sock)
			return &r->s[i];
		if (r->s[i].last < r->s[old].last)
			old = i;
	}
	struct ss_lookup_sock *s = &r->s[r->n < SS_LOOKUP_SOCKS ? r->n++ : old];
	memset(s, 0, sizeof(*s));
	s->pid = c->vpid;
	s->sock = c->sock;
	s->first = ts;
	return s;
}

void ss_lookup_note(struct ss_model *m, const struct ss_ev *e, const struct ss_conn *c)
{
	struct ss_lookup_sock *s = entry(recent_of(m, e->vtid), c, e->ts);

	s->last = e->ts;
	/* Texts copied once known: this runs for every socket event. */
	if (!s->type[0]) {
		snprintf(s->family, sizeof(s->family), "%s",
			 c->family >= 0 && ss_af_name(c->family) ? ss_af_name(c->family) : "");
		snprintf(s->type, sizeof(s->type), "%s", c->type);
	}
	const char *peer = c->remote ? c->remote : c->npeers ? c->peers[0].addr : NULL;
	if (peer && !s->remote[0])
		snprintf(s->remote, sizeof(s->remote), "%s", peer);
	int64_t n = e->kind == SS_K_TX_MMSG || e->kind == SS_K_RX_MMSG ? e->bytes : e->ret;
	if (n > 0 && (e->kind == SS_K_TX || e->kind == SS_K_TX_MMSG))
		s->tx += (uint64_t)n;
	else if (n > 0 && (e->kind == SS_K_RX || e->kind == SS_K_RX_MMSG))
		s->rx += (uint64_t)n;
}

int ss_lookup_take(struct ss_model *m, const struct ss_ev *e, struct ss_lookup_sock *out)
{
	struct recent *r = ss_hmap_get(&m->lk_recent, (uint64_t)e->vtid, 0);
	uint64_t from = e->ts - e->span; /* from its start_ns (older traces: dur) */
	int n = 0, k = 0;

	if (!r)
		return 0;
	for (int i = 0; i < r->n; i++) {
		if (r->s[i].first >= from && r->s[i].first <= e->ts)
			out[n++] = r->s[i];
		else
			r->s[k++] = r->s[i];
	}
	r->n = k;
	return n;
}

void ss_lookup_free(struct ss_model *m)
{
	const struct ss_hmap_slot *s;

	for (size_t i = 0; ss_hmap_next(&m->lk_recent, &i, &s);)
		free(s->v);
	ss_hmap_free(&m->lk_recent);
}
