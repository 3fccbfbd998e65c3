// SPDX-License-Identifier: MIT
/*
 * What a connection shows in the report: its role, named from what the
 * socket did (only a socket that listened is a listener; the rest get
 * honest names), whether the process filters show it (a row belongs to
 * every process that held it), and the row the outputs print.
 */
#include "model/model.h"

#include <string.h>
#include <sys/socket.h>

#include "ss_names.h"

const char *ss_role_name(enum ss_role r)
{
	static const char *const names[] = { "client", "client", "server", "listener",
					     "datagram", "pair", "unused", "bound", "raw",
					     "netlink", "packet" };
	return names[r];
}

/* Whether c has an address of its own: bound, or first seen with one
 * (a failed bind shows the address it asked for, and is not bound). */
static int looks_bound(const struct ss_conn *c)
{
	if (c->bound)
		return c->bound > 0;
	if (!c->local || !*c->local || !strcmp(c->local, "(unnamed)"))
		return 0;
	size_t n = strlen(c->local);
	return n < 2 || strcmp(c->local + n - 2, ":0") != 0;
}

/* The role, from what the socket did, or guessed from what it is.  Only a
 * socket that listened (or accepted) is a listener; raw, netlink and
 * packet sockets are named for what they are; a socket seen only in use is
 * a server's when its address is a listener's. */
static enum ss_role role_of(struct ss_model *m, const struct ss_conn *c)
{
	if (c->role == SS_ROLE_PAIR || c->role == SS_ROLE_LISTENER || c->role == SS_ROLE_SERVER)
		return c->role;
	if (c->family == AF_NETLINK)
		return SS_ROLE_NETLINK;
	if (c->family == AF_PACKET)
		return SS_ROLE_PACKET;
	if (!strcmp(c->type, "SOCK_RAW"))
		return SS_ROLE_RAW;
	if (c->role == SS_ROLE_UNKNOWN && !c->remote && !c->tx && !c->rx && !c->npeers)
		return looks_bound(c) ? SS_ROLE_BOUND : SS_ROLE_UNUSED;
	if (ss_conn_is_dgram(c))
		return SS_ROLE_DATAGRAM;
	if (c->role != SS_ROLE_UNKNOWN)
		return c->role;
	if (!c->remote)
		return SS_ROLE_CLIENT;
	if (c->local && ss_hmap_get(&m->listeners, ss_hash_str(c->local), 0))
		return SS_ROLE_SERVER;
	return SS_ROLE_CLIENT;
}

int ss_conn_shown(struct ss_model *m, const struct ss_conn *c)
{
	if (!c->match)
		return 0;
	if (!m->filtering_proc)
		return 1;
	for (int i = 0; i < c->nusers; i++) {
		const struct ss_proc *p = ss_model_proc(m, c->users[i], 0);
		if (p && ss_proc_selected(m, p))
			return 1;
	}
	return 0;
}

void ss_conn_row(struct ss_model *m, const struct ss_conn *c, struct ss_conn_row *r)
{
	memset(r, 0, sizeof(*r));
	r->pid = c->vpid;
	r->comm = c->owner->comm;
	r->sock = c->sock;
	r->family = c->family >= 0 && ss_af_name(c->family) ? ss_af_name(c->family) : "";
	r->type = c->type;
	r->role = ss_role_name(role_of(m, c));
	r->local = c->local ? c->local : "";
	r->remote = c->remote ? c->remote : "";
	r->error = c->err ? ss_errno_name(c->err) : NULL;
	if (c->err && !r->error)
		r->error = "error";
	r->tx = c->tx;
	r->rx = c->rx;
	r->pids = c->users;
	r->npids = c->nusers;
	r->talker = c->vpid;
	r->talker_comm = r->comm;
	/* Held by a process whose tracing stopped (a sandbox): what it did
	 * after is not in the counts. */
	for (int k = 0; k < c->nkeys && !r->untraced; k++) {
		const struct ss_proc *p = ss_model_proc(m, c->keys[k][0], 0);
		r->untraced = p && p->stopped[0];
	}
	uint64_t most = 0;
	for (int i = 0; i < c->nusers; i++)
		if (c->moved[i] > most) {
			const struct ss_proc *p = ss_model_proc(m, c->users[i], 0);
			most = c->moved[i];
			r->talker = c->users[i];
			r->talker_comm = p ? p->comm : "?";
		}
	r->start = c->start;
	r->duration = c->end - c->start;
	r->marks = c->marks;
	r->connect_ns = r->ttfb_ns = -1;
	ss_lat_row(c, r);
	r->peer_pid = c->peer_pid;
	r->peers = c->peers;
	r->npeers = c->npeers;
	r->other_tx = c->other_tx;
	r->other_rx = c->other_rx;
	if (!c->remote && c->npeers == 1)
		r->remote = c->peers[0].addr;
}
