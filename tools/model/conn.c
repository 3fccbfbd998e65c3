// SPDX-License-Identifier: MIT
/*
 * Connection tracking for the report.  A connection is a socket, named by
 * (vpid, serial) where it was opened, and also by every (vpid, serial)
 * that refers to it elsewhere:
 *
 *  - dup and F_DUPFD keep the serial: another descriptor, same socket;
 *  - a forked child keeps its parent's serials: the parent's fork event
 *    (ret = the child's pid) copies the parent's descriptors to the child,
 *    so the child's calls count on the parent's connection.  The child may
 *    run before the parent's fork event is written; its calls on an
 *    unknown serial then make a guessed connection that the fork event
 *    merges into the parent's;
 *  - at exec (the new image's exec event) the descriptors that were
 *    close-on-exec end, and the process's serials start again; the preload
 *    sees the inherited sockets anew (describe, with a new serial), and the
 *    descriptor number, unchanged by exec, names the connection the process
 *    held there.
 *
 * Each process has a table of its descriptors; a connection is finished
 * (written to the spill) when no descriptor of any process holds it.
 */
#include "model/model.h"
#include "tool.h"

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ss_names.h"

#define MAX_FD (1 << 20) /* descriptor numbers beyond are not tracked */

static void set_type(struct ss_conn *c, const char *type)
{
	if (!type || !*type)
		return;
	size_t n = strcspn(type, "|");
	if (n >= sizeof(c->type))
		n = sizeof(c->type) - 1;
	memcpy(c->type, type, n);
	c->type[n] = 0;
}

static void add_key(struct ss_model *m, struct ss_conn *c, int64_t vpid, int64_t sock)
{
	ss_hmap_put(&m->conns, (uint64_t)vpid, (uint64_t)sock, c);
	c->keys = ss_xrealloc(c->keys, (size_t)(c->nkeys + 1) * sizeof(*c->keys));
	c->keys[c->nkeys][0] = vpid;
	c->keys[c->nkeys][1] = sock;
	c->nkeys++;
}

/* Process vpid held c: a row belongs to each process that opened,
 * accepted, used or closed it (the process filters select by these).
 * Returns its index in c->users. */
static int add_user(struct ss_conn *c, int64_t vpid)
{
	for (int i = 0; i < c->nusers; i++)
		if (c->users[i] == vpid)
			return i;
	c->users = ss_xrealloc(c->users, (size_t)(c->nusers + 1) * sizeof(*c->users));
	c->moved = ss_xrealloc(c->moved, (size_t)(c->nusers + 1) * sizeof(*c->moved));
	c->users[c->nusers] = vpid;
	c->moved[c->nusers] = 0;
	return c->nusers++;
}

static void link_live(struct ss_model *m, struct ss_conn *c);

static struct ss_conn *conn_new(struct ss_model *m, struct ss_proc *p, int64_t sock,
				const struct ss_ev *e)
{
	struct ss_conn *c = ss_xcalloc(1, sizeof(*c));

	c->vpid = p->vpid;
	c->sock = sock;
	c->owner = p;
	add_user(c, p->vpid);
	c->family = -1;
	c->match = !m->filtering_addr;
	c->start = c->end = e->ts;
	add_key(m, c, p->vpid, sock);
	link_live(m, c);
	return c;
}

static void unlink_live(struct ss_model *m, struct ss_conn *c);

static void conn_free(struct ss_model *m, struct ss_conn *c)
{
	unlink_live(m, c);
	ss_peers_free(m, c);
	free(c->local);
	free(c->remote);
	free(c->keys);
	free(c->users);
	free(c->moved);
	ss_lat_free(c);
	free(c);
}

static void flush_pending(struct ss_model *m, struct ss_conn *c)
{
	for (int i = 0; i < c->npending; i++) {
		const struct ss_pending *pd = &c->pending[i];
		ss_model_account(m, pd->id, pd->ts, 0, pd->err ? ss_errno_name(pd->err) : NULL,
				 pd->dur);
	}
	c->npending = 0;
}

/* An endpoint became known: with an address filter, it may select c. */
static void endpoint_known(struct ss_model *m, struct ss_conn *c, const char *ep)
{
	if (!c->match && ss_endpoint_match(&m->f, ep)) {
		c->match = 1;
		flush_pending(m, c);
	}
}

static void set_addr(struct ss_model *m, struct ss_conn *c, char **field, const char *addr)
{
	if (!addr || !*addr || (*field && !strcmp(*field, addr)))
		return;
	free(*field);
	*field = ss_xstrdup(addr);
	endpoint_known(m, c, addr);
	if (field == &c->local)
		ss_peer_owner(m, c);
}

static struct ss_fdent *fd_slot(struct ss_proc *p, int64_t fd, int create)
{
	if (fd < 0 || fd >= MAX_FD)
		return NULL;
	if (fd >= p->nfds) {
		if (!create)
			return NULL;
		int64_t n = p->nfds ? p->nfds : 16;
		while (n <= fd)
			n *= 2;
		p->fds = ss_xrealloc(p->fds, (size_t)n * sizeof(*p->fds));
		memset(p->fds + p->nfds, 0, (size_t)(n - p->nfds) * sizeof(*p->fds));
		p->nfds = n;
	}
	return &p->fds[fd];
}

/* A guessed connection stays until the end even when closed: the fork
 * event that tells whose it was may still come. */
static void unref(struct ss_model *m, struct ss_conn *c)
{
	if (--c->refs > 0 || c->guess)
		return;
	if (m->ndying == m->capdying) {
		m->capdying = m->capdying ? 2 * m->capdying : 16;
		m->dying = ss_xrealloc(m->dying, m->capdying * sizeof(*m->dying));
	}
	m->dying[m->ndying++] = c;
}

static void fd_put(struct ss_model *m, struct ss_proc *p, int64_t fd, int64_t sock,
		   struct ss_conn *c, int cloexec)
{
	struct ss_fdent *s = fd_slot(p, fd, 1);

	if (!s)
		return;
	if (s->conn != c) {
		c->refs++;
		if (s->conn)
			unref(m, s->conn); /* dup2 onto it closed the old one */
	}
	s->sock = sock;
	s->conn = c;
	s->cloexec = cloexec;
}

static void fd_clear(struct ss_model *m, struct ss_proc *p, int64_t fd, uint64_t ts)
{
	struct ss_fdent *s = fd_slot(p, fd, 0);

	if (!s || !s->conn)
		return;
	struct ss_conn *c = s->conn;
	s->conn = NULL;
	if (s->sock) {
		p->closed[p->nclosed % SS_CLOSED_RING].sock = s->sock;
		p->closed[p->nclosed % SS_CLOSED_RING].ts = ts;
		p->nclosed++;
	}
	if (ts > c->end)
		c->end = ts;
	unref(m, c);
}

/* Whether sock was closed in p while a call on it that ends at e was in
 * flight (another thread closed the descriptor): no connection to count
 * it on any more, and none to make. */
static int closed_under(const struct ss_proc *p, const struct ss_ev *e)
{
	int n = p->nclosed < SS_CLOSED_RING ? p->nclosed : SS_CLOSED_RING;

	for (int i = 0; i < n; i++)
		if (p->closed[i].sock == e->sock && e->ts - (uint64_t)e->dur <= p->closed[i].ts)
			return 1;
	return 0;
}

/* The connection an event is about, a guessed one if never seen. */
static struct ss_conn *conn_of(struct ss_model *m, struct ss_proc *p, const struct ss_ev *e)
{
	if (!e->sock)
		return NULL;
	struct ss_conn *c = ss_hmap_get(&m->conns, (uint64_t)e->vpid, (uint64_t)e->sock);
	if (!c) {
		if (closed_under(p, e))
			return NULL;
		c = conn_new(m, p, e->sock, e);
		c->guess = 1;
		fd_put(m, p, e->fd, e->sock, c, 0);
	}
	if (e->ts > c->end)
		c->end = e->ts;
	return c;
}

/* Fold guessed connection g into c: g was c, seen from a child first. */
static void merge(struct ss_model *m, struct ss_proc *child, struct ss_conn *g, struct ss_conn *c)
{
	c->tx += g->tx;
	c->rx += g->rx;
	c->marks.connect = ss_earliest(c->marks.connect, g->marks.connect);
	c->marks.tx = ss_earliest(c->marks.tx, g->marks.tx);
	c->marks.rx = ss_earliest(c->marks.rx, g->marks.rx);
	c->marks.fin = ss_earliest(c->marks.fin, g->marks.fin);
	c->marks.eof = ss_earliest(c->marks.eof, g->marks.eof);
	if (g->end > c->end)
		c->end = g->end;
	if (!c->remote && g->remote)
		set_addr(m, c, &c->remote, g->remote);
	for (int i = 0; i < g->nkeys; i++)
		add_key(m, c, g->keys[i][0], g->keys[i][1]);
	for (int i = 0; i < g->nusers; i++) {
		int k = add_user(c, g->users[i]); /* before c->moved moves */
		c->moved[k] += g->moved[i];
	}
	for (int i = 0; i < g->npeers; i++)
		if (ss_peer_fold(m, c, &g->peers[i]))
			endpoint_known(m, c, g->peers[i].addr);
	c->other_tx += g->other_tx;
	c->other_rx += g->other_rx;
	for (int64_t fd = 0; fd < child->nfds; fd++) {
		if (child->fds[fd].conn == g) {
			child->fds[fd].conn = c;
			c->refs++;
		}
	}
	for (int i = 0; i < g->npending; i++)
		if (c->npending < SS_MAX_PENDING)
			c->pending[c->npending++] = g->pending[i];
	if (c->match)
		flush_pending(m, c);
	conn_free(m, g);
}

/* The parent's fork event: the child holds what the parent held then.  A
 * child that already exec'd (its exec event came first) kept only what was
 * not close-on-exec, under serials it has not seen yet. */
static void forked(struct ss_model *m, struct ss_proc *parent, const struct ss_ev *e)
{
	uint64_t at = e->ts - (uint64_t)e->dur;
	struct ss_proc *child = ss_model_proc(m, ss_id_key(e->host, e->ret), 1);
	int execed = child->exec_ts > at;

	child->ppid = parent->vpid;
	if (!child->comm[0])
		memcpy(child->comm, parent->comm, sizeof(child->comm));
	for (int64_t fd = 0; fd < parent->nfds; fd++) {
		struct ss_fdent pe = parent->fds[fd];
		if (!pe.conn || pe.conn->start > at)
			continue;
		if (execed) {
			struct ss_fdent *ce = fd_slot(child, fd, 0);
			if (!pe.cloexec && !(ce && ce->conn))
				fd_put(m, child, fd, 0, pe.conn, 0);
			continue;
		}
		struct ss_fdent *ce = fd_slot(child, fd, 1);
		struct ss_conn *had = ss_hmap_get(&m->conns, (uint64_t)child->vpid, (uint64_t)pe.sock);
		if (had && had != pe.conn && had->guess && had->vpid == child->vpid) {
			merge(m, child, had, pe.conn);
		} else if (!had) {
			add_key(m, pe.conn, child->vpid, pe.sock);
		}
		if (!ce->conn) {
			ce->sock = pe.sock;
			ce->conn = pe.conn;
			ce->cloexec = pe.cloexec;
			pe.conn->refs++;
		}
	}
}

/* The serials c has in process vpid name it no more. */
static void forget_keys(struct ss_model *m, struct ss_conn *c, int64_t vpid)
{
	for (int k = 0; k < c->nkeys; k++)
		if (c->keys[k][0] == vpid &&
		    ss_hmap_get(&m->conns, (uint64_t)vpid, (uint64_t)c->keys[k][1]) == c)
			ss_hmap_del(&m->conns, (uint64_t)vpid, (uint64_t)c->keys[k][1]);
}

/* A new image in p: its close-on-exec descriptors are gone, the others
 * stay on their connections until the new image names them (describe),
 * and the serials of the old image name nothing any more. */
static void execed(struct ss_model *m, struct ss_proc *p, const struct ss_ev *e)
{
	p->exec_ts = e->ts;
	for (int64_t fd = 0; fd < p->nfds; fd++) {
		struct ss_fdent *s = &p->fds[fd];
		if (s->conn && s->cloexec)
			fd_clear(m, p, fd, e->ts);
		s->sock = 0;
	}
	p->nclosed = 0;
	for (struct ss_conn *c = m->live; c; c = c->next)
		forget_keys(m, c, p->vpid);
	for (size_t i = 0; i < m->ngrace; i++)
		forget_keys(m, m->grace[(m->grace_head + i) % SS_GRACE], p->vpid);
}

/* First sight of a socket (inherited across exec, passed, opened inside
 * libc): the connection the process held at that number, if it came
 * through an exec and looks like the same socket, else a new one.  (A
 * trace without exec events names inherited sockets by number alone.) */
static struct ss_conn *described(struct ss_model *m, struct ss_proc *p, const struct ss_ev *e)
{
	struct ss_fdent *s = fd_slot(p, e->fd, 0);
	struct ss_conn *c = s && (!s->sock || !p->exec_ts) ? s->conn : NULL;

	if (c && (c->family < 0 || c->family == e->family)) {
		add_key(m, c, p->vpid, e->sock);
		s->sock = e->sock;
		if (e->cloexec >= 0)
			s->cloexec = (int)e->cloexec;
	} else {
		c = conn_new(m, p, e->sock, e);
		c->guess = 0;
		fd_put(m, p, e->fd, e->sock, c, e->cloexec == 1);
	}
	if (c->family < 0)
		c->family = (int)e->family;
	if (!c->type[0])
		set_type(c, e->type);
	if (!c->local)
		set_addr(m, c, &c->local, e->addr);
	if (!c->remote)
		set_addr(m, c, &c->remote, e->peer);
	if (e->listening == 1 && c->role == SS_ROLE_UNKNOWN)
		c->role = SS_ROLE_LISTENER;
	return c;
}

static void add_bytes(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e, int tx,
		      uint64_t n)
{
	if (tx)
		c->tx += n;
	else
		c->rx += n;
	int k = add_user(c, e->vpid); /* before c->moved moves */
	c->moved[k] += n;
	if (m->series.on)
		ss_series_add(&m->series, e->ts, tx, n);
	if (tx && !c->marks.tx)
		c->marks.tx = e->ts - (uint64_t)e->dur;
	else if (!tx && !c->marks.rx)
		c->marks.rx = e->ts;
	c->connecting = 0;
	if (!e->addr || !*e->addr || e->family < 0 || (c->remote && !ss_conn_is_dgram(c)))
		return;
	if (ss_peer_bytes(m, c, e->addr, tx ? n : 0, tx ? 0 : n,
			  tx ? e->ts - (uint64_t)e->dur : e->ts))
		endpoint_known(m, c, e->addr); /* a peer at last: the filter may want it */
}

/* Whether socket or socketpair made its descriptors close-on-exec. */
static int type_cloexec(const struct ss_ev *e)
{
	return e->type && strstr(e->type, "SOCK_CLOEXEC") != NULL;
}

static void connected(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e)
{
	int err = (int)e->err;

	if (e->family == AF_UNSPEC)
		return; /* a datagram socket dissolving its association */
	set_addr(m, c, &c->remote, e->addr);
	if (!c->marks.connect)
		c->marks.connect = e->ts - (uint64_t)e->dur;
	/* The kernel's choice replaces a wildcard or port 0 bound before. */
	if (e->local && *e->local)
		set_addr(m, c, &c->local, e->local);
	if (c->role == SS_ROLE_UNKNOWN)
		c->role = SS_ROLE_CLIENT;
	if (e->ret == 0)
		c->connecting = 0;
	else if (err == EINPROGRESS)
		c->connecting = 1;
	else if (err != EINTR && err != EALREADY && err != EAGAIN && err != EISCONN)
		c->err = err;
	ss_lat_connect(m, c, e);
}

struct ss_conn *ss_conn_event(struct ss_model *m, struct ss_proc *p, const struct ss_ev *e)
{
	struct ss_conn *c, *l;

	switch (e->kind) {
	case SS_K_SOCKET:
		if (e->ret < 0 || !e->sock)
			return NULL;
		c = conn_new(m, p, e->sock, e);
		c->family = (int)e->family;
		set_type(c, e->type);
		fd_put(m, p, e->ret, e->sock, c, type_cloexec(e));
		return c;
	case SS_K_PAIR:
		if (e->ret < 0 || !e->sock || !e->sock2)
			return NULL;
		l = conn_new(m, p, e->sock2, e);
		c = conn_new(m, p, e->sock, e);
		for (struct ss_conn *x = c; x; x = x == c ? l : NULL) {
			x->family = (int)e->family;
			x->role = SS_ROLE_PAIR;
			set_type(x, e->type);
			x->local = ss_xstrdup("(unnamed)");
			x->remote = ss_xasprintf("(pair of %lld)", (long long)(x == c ? e->sock2 : e->sock));
		}
		fd_put(m, p, e->fd, e->sock, c, type_cloexec(e));
		fd_put(m, p, e->fd2, e->sock2, l, type_cloexec(e));
		return c;
	case SS_K_DESCRIBE:
		return e->sock ? described(m, p, e) : NULL;
	case SS_K_FORK:
		if (e->ret > 0)
			forked(m, p, e);
		return NULL;
	case SS_K_EXEC:
		execed(m, p, e);
		return NULL;
	case SS_K_CLOSEFROM:
	case SS_K_CLOSE_RANGE:
		if (e->ret == 0) {
			/* CLOSE_RANGE_CLOEXEC closes nothing now, all at exec. */
			int cloexec = e->kind == SS_K_CLOSE_RANGE && (e->flags & 4 /* CLOEXEC */);
			int64_t last = e->kind == SS_K_CLOSE_RANGE ? e->last : p->nfds;
			for (int64_t fd = e->fd; fd >= 0 && fd <= last && fd < p->nfds; fd++) {
				if (!cloexec)
					fd_clear(m, p, fd, e->ts);
				else if (p->fds[fd].conn)
					p->fds[fd].cloexec = 1;
			}
		}
		return NULL;
	default:
		break;
	}
	if (e->kind == SS_K_CLOSE && !ss_hmap_get(&m->conns, (uint64_t)e->vpid, (uint64_t)e->sock))
		return NULL; /* never seen open here: nothing to count it on */
	c = conn_of(m, p, e);
	if (!c)
		return NULL;
	add_user(c, p->vpid);
	switch (e->kind) {
	case SS_K_BIND:
		/* What the kernel bound (port 0 made a port); a failed bind
		 * shows the address it asked for, and why. */
		if (e->ret == 0) {
			set_addr(m, c, &c->local, e->local && *e->local ? e->local : e->addr);
			if (c->bound < 0)
				c->err = 0;
			c->bound = 1;
		} else if (c->bound <= 0) {
			set_addr(m, c, &c->local, e->addr);
			c->err = (int)e->err;
			c->bound = -1;
		}
		break;
	case SS_K_SOCKNAME:
		if (e->ret == 0)
			set_addr(m, c, &c->local, e->addr);
		break;
	case SS_K_PEERNAME:
		if (e->ret == 0)
			set_addr(m, c, &c->remote, e->addr);
		break;
	case SS_K_CONNECT:
		connected(m, c, e);
		break;
	case SS_K_LISTEN:
		if (e->ret == 0) {
			c->role = SS_ROLE_LISTENER;
			set_addr(m, c, &c->local, e->local); /* the port of an unbound one */
			if (c->local)
				ss_hmap_put(&m->listeners, ss_hash_str(c->local), 0, (void *)1);
		}
		break;
	case SS_K_ACCEPT:
		if (e->ret < 0 || !e->newsock)
			break;
		if (c->role == SS_ROLE_UNKNOWN)
			c->role = SS_ROLE_LISTENER;
		l = c;
		c = conn_new(m, p, e->newsock, e);
		c->role = SS_ROLE_SERVER;
		c->family = l->family >= 0 ? l->family : (int)e->family;
		memcpy(c->type, l->type, sizeof(c->type));
		set_addr(m, c, &c->local, e->local && *e->local ? e->local : l->local);
		set_addr(m, c, &c->remote, e->addr);
		fd_put(m, p, e->ret, e->newsock, c, (e->flags & SOCK_CLOEXEC) != 0);
		ss_lat_accepted(m, c);
		break;
	case SS_K_TX:
	case SS_K_RX:
		ss_lat_io(m, c, e, e->kind == SS_K_TX,
			  e->kind == SS_K_RX && (e->flags & MSG_PEEK) ? 0 : e->ret);
		/* A peek leaves the data to be received again: count it then. */
		if (e->ret > 0 && !(e->kind == SS_K_RX && (e->flags & MSG_PEEK)))
			add_bytes(m, c, e, e->kind == SS_K_TX, (uint64_t)e->ret);
		else if (e->ret == 0 && e->kind == SS_K_RX && !ss_conn_is_dgram(c) && !c->marks.eof)
			c->marks.eof = e->ts;
		else if (e->ret < 0 && c->connecting && e->err != EAGAIN && e->err != EINTR)
			c->err = (int)e->err, c->connecting = 0;
		break;
	case SS_K_TX_MMSG:
	case SS_K_RX_MMSG:
		ss_lat_io(m, c, e, e->kind == SS_K_TX_MMSG,
			  e->kind == SS_K_RX_MMSG && (e->flags & MSG_PEEK) ? 0 : e->ret > 0 ? e->bytes : e->ret);
		if (e->ret > 0 && !(e->kind == SS_K_RX_MMSG && (e->flags & MSG_PEEK)))
			add_bytes(m, c, e, e->kind == SS_K_TX_MMSG, (uint64_t)e->bytes);
		break;
	case SS_K_GETSOCKOPT:
		if (e->ret == 0 && c->connecting && e->optname && !strcmp(e->optname, "SO_ERROR")) {
			ss_lat_sockopt(m, c, e);
			c->connecting = 0;
			if (e->optval)
				c->err = (int)e->optval;
		}
		break;
	case SS_K_CTL:
	case SS_K_DUP:
		/* dup and dup2 make a descriptor that survives exec; dup3 and
		 * F_DUPFD_CLOEXEC may not; F_SETFD and FIOCLEX change it. */
		if (e->ret >= 0 && (e->kind == SS_K_DUP || e->newfd >= 0))
			fd_put(m, p, e->kind == SS_K_DUP ? e->ret : e->newfd, e->sock, c,
			       e->kind == SS_K_DUP ? (e->flags & O_CLOEXEC) != 0 : e->cloexec == 1);
		else if (e->ret >= 0 && e->cloexec >= 0 && fd_slot(p, e->fd, 0))
			fd_slot(p, e->fd, 0)->cloexec = (int)e->cloexec;
		break;
	case SS_K_CLOSE:
		if (c->refs == 1 && !c->marks.fin)
			c->marks.fin = e->ts - (uint64_t)e->dur;
		if (e->ret == 0 || e->err != EBADF)
			fd_clear(m, p, e->fd, e->ts);
		break;
	case SS_K_READY:
		ss_lat_ready(m, c, e);
		/* An error is known from SO_ERROR or the next call. */
		if (!(e->revents & (POLLERR | POLLHUP)))
			c->connecting = 0;
		break;
	case SS_K_SHUTDOWN:
		if (e->ret == 0 && e->how != SHUT_RD && !c->marks.fin)
			c->marks.fin = e->ts - (uint64_t)e->dur;
		break;
	default:
		break;
	}
	return c;
}

int ss_conn_select(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e)
{
	if (!m->filtering_addr)
		return 1;
	if (!c)
		return 0;
	if (c->match)
		return 1;
	if (c->npending < SS_MAX_PENDING)
		c->pending[c->npending++] =
			(struct ss_pending){ e->id, (int)e->err, (uint64_t)e->dur, e->ts };
	return 0;
}

static void unlink_live(struct ss_model *m, struct ss_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else if (m->live == c)
		m->live = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
}

static void link_live(struct ss_model *m, struct ss_conn *c)
{
	c->prev = NULL;
	c->next = m->live;
	if (m->live)
		m->live->prev = c;
	m->live = c;
}

/* The oldest kept connection is written out, unless a late call gave it
 * a descriptor again: then it is live once more. */
static void grace_pop(struct ss_model *m)
{
	struct ss_conn *c = m->grace[m->grace_head];

	m->grace[m->grace_head] = NULL;
	m->grace_head = (m->grace_head + 1) % SS_GRACE;
	m->ngrace--;
	c->kept = 0;
	if (c->refs > 0) {
		link_live(m, c);
		return;
	}
	for (int k = 0; k < c->nkeys; k++)
		if (ss_hmap_get(&m->conns, (uint64_t)c->keys[k][0], (uint64_t)c->keys[k][1]) == c)
			ss_hmap_del(&m->conns, (uint64_t)c->keys[k][0], (uint64_t)c->keys[k][1]);
	if (ss_conn_shown(m, c)) {
		struct ss_conn_row r;
		ss_conn_row(m, c, &r);
		ss_model_spill_conn(m, &r);
	}
	conn_free(m, c);
}

void ss_conn_reap(struct ss_model *m)
{
	for (size_t i = 0; i < m->ndying; i++) {
		struct ss_conn *c = m->dying[i];
		if (c->refs > 0 || c->kept)
			continue; /* given a descriptor again since, or kept already */
		c->kept = 1;
		unlink_live(m, c);
		if (m->ngrace == SS_GRACE)
			grace_pop(m);
		m->grace[(m->grace_head + m->ngrace++) % SS_GRACE] = c;
	}
	m->ndying = 0;
}

void ss_conn_flush(struct ss_model *m)
{
	while (m->ngrace)
		grace_pop(m);
}

void ss_conn_free_all(struct ss_model *m)
{
	while (m->ngrace) {
		struct ss_conn *c = m->grace[m->grace_head];
		m->grace_head = (m->grace_head + 1) % SS_GRACE;
		m->ngrace--;
		conn_free(m, c);
	}
	while (m->live)
		conn_free(m, m->live);
}
