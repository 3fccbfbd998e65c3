// SPDX-License-Identifier: MIT
/*
 * A datagram socket's peers (model.h, struct ss_peer): each address it
 * sent to or received from, with its bytes, found through the model's
 * peers map (one lookup per datagram, however many clients a server has),
 * up to SS_MAX_PEERS, the rest summed.  A port reused is told apart by
 * time: the model's owners map says when the socket that now has an
 * address was made, and a datagram from that address after the peer's
 * last one before then starts another entry, an episode (flows.c pairs
 * each with its own client).
 */
#include "model/model.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

/* The latest entry of peer addr of c, -1 if none. */
static int peer_find(struct ss_model *m, const struct ss_conn *c, const char *addr, uint64_t h)
{
	uintptr_t ix = (uintptr_t)ss_hmap_get(&m->peers, (uint64_t)(uintptr_t)c, h);

	if (ix && !strcmp(c->peers[ix - 1].addr, addr))
		return (int)ix - 1;
	for (int i = ix ? c->npeers - 1 : -1; i >= 0; i--) /* two addresses of one hash */
		if (!strcmp(c->peers[i].addr, addr))
			return i;
	return -1;
}

/*
 * The entry of peer addr of datagram socket c for a datagram at time at,
 * made when new, or when another socket took that address after its last
 * datagram and before this one (a port reused: time decides, as for TCP);
 * -1 once c keeps SS_MAX_PEERS.  Found through the model's peers map: one
 * lookup per datagram.
 */
static int peer_of(struct ss_model *m, struct ss_conn *c, const char *addr, uint64_t at,
		   int *fresh)
{
	uint64_t h = ss_hash_str(addr);
	int i = peer_find(m, c, addr, h);

	if (i >= 0) {
		uintptr_t taken = (uintptr_t)ss_hmap_get(&m->owners, h, 0);
		if (taken <= c->peers[i].last || at < taken)
			return i;
	}
	if (c->npeers == SS_MAX_PEERS)
		return -1;
	if (c->npeers == c->cappeers) {
		c->cappeers = c->cappeers ? 2 * c->cappeers : 2;
		c->peers = ss_xrealloc(c->peers, (size_t)c->cappeers * sizeof(*c->peers));
	}
	struct ss_peer *p = &c->peers[c->npeers];
	*p = (struct ss_peer){ .addr = ss_xstrdup(addr) };
	if (i >= 0) { /* the episode before ends at its last datagram */
		c->peers[i].until = c->peers[i].last;
		p->since = c->peers[i].last + 1;
	}
	ss_hmap_put(&m->peers, (uint64_t)(uintptr_t)c, h, (void *)(uintptr_t)(c->npeers + 1));
	*fresh = i < 0;
	return c->npeers++;
}

int ss_peer_fold(struct ss_model *m, struct ss_conn *c, const struct ss_peer *g)
{
	int fresh = 0, i = peer_of(m, c, g->addr, g->last, &fresh);

	if (i >= 0) {
		struct ss_peer *p = &c->peers[i];
		p->tx += g->tx;
		p->rx += g->rx;
		if (g->last > p->last)
			p->last = g->last;
		p->first_tx = ss_earliest(p->first_tx, g->first_tx);
		p->first_rx = ss_earliest(p->first_rx, g->first_rx);
	} else {
		c->other_tx += g->tx;
		c->other_rx += g->rx;
	}
	return fresh;
}

int ss_peer_bytes(struct ss_model *m, struct ss_conn *c, const char *addr, uint64_t tx,
		  uint64_t rx, uint64_t at)
{
	const struct ss_peer one = { .addr = (char *)addr, .tx = tx, .rx = rx, .last = at,
				     .first_tx = tx ? at : 0, .first_rx = rx ? at : 0 };

	return ss_peer_fold(m, c, &one);
}

void ss_peer_owner(struct ss_model *m, const struct ss_conn *c)
{
	if (c->local && ss_conn_is_dgram(c) && c->start)
		ss_hmap_put(&m->owners, ss_hash_str(c->local), 0, (void *)(uintptr_t)c->start);
}

void ss_peers_free(struct ss_model *m, struct ss_conn *c)
{
	for (int i = 0; i < c->npeers; i++) {
		ss_hmap_del(&m->peers, (uint64_t)(uintptr_t)c, ss_hash_str(c->peers[i].addr));
		free(c->peers[i].addr);
	}
	free(c->peers);
}
