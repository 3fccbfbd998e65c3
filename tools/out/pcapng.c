// SPDX-License-Identifier: MIT
/*
 * `sockscope report --format pcapng`: packets synthesized from the calls,
 * for Wireshark, written as the calls are read (the model's tap) in time
 * order.  Memory: the state of each live TCP connection and of recent UDP
 * directions, no packet kept.
 *
 * TCP: a three-way handshake when a connect() succeeds or an accept()
 * returns; a segment per send, split at the largest a packet holds; an ACK
 * from the receiver when its receive takes bytes; FIN from shutdown(SHUT_WR
 * or RDWR) or the last close().  UDP: a datagram per send or receive.
 * Unix sockets have no IP endpoints: they are not in the capture.
 *
 * The bytes (record --payload) come in sockscope:payload events after
 * their call, on its thread: a send or receive waits (one per thread)
 * until the thread's next call, its payload events putting their bytes in
 * segments on the way, and then the bytes not recorded go out as segments
 * without data.
 *
 * Both ends of a connection in the traces describe the same bytes twice
 * (the client's send and the server's receive).  A connection is keyed by
 * its two endpoints, the same from either end (mirrored), and each
 * direction counts the bytes its packets carried: a send emits what goes
 * past that count, and so does a receive, for the receiver may be read
 * before the sender (the sender's event is written when its call returns,
 * and the receiver's can return first): so the bytes are in the capture
 * once, whichever end was read first, and with one end alone the other's
 * segments are synthesized from its receives.  UDP directions count
 * datagrams the same way.
 */
#include "out/pcapng.h"
#include "out/out.h"
#include "tool.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_DONE 256 /* finished connections kept for their late events */
#define MAX_UDP 4096 /* UDP directions kept (their datagram counts) */

struct tcp_conn {
	char *key;
	struct pcap_ep ep[2]; /* the ends, in the key's order */
	uint32_t isn[2];
	uint64_t emitted[2]; /* bytes sent by end i in segments */
	uint64_t sent[2];    /* bytes end i's sends gave */
	uint64_t rcvd[2];    /* bytes end i's receives took */
	uint64_t acked[2];   /* the acknowledgement end i sent last (relative) */
	int syn, fin[2], closed[2], seen[2], done, in_ring;
};

/* A send or receive waiting for its bytes (one per thread). */
struct pending {
	int active, udp;
	int tx, end;    /* TCP: the end that called, and the one whose bytes they are */
	int64_t sock;   /* its payload events name it */
	char *key;      /* TCP: the connection's; UDP: the direction's */
	struct pcap_ep src, dst; /* UDP */
	uint64_t base, n; /* TCP: the call's bytes are [base, base + n) of its direction */
	int host;
	uint64_t ts;
	char comment[256];
	uint8_t *buf; /* UDP: the datagram's recorded bytes, got of them */
	size_t got;
};

struct udp_dir {
	char *key;
	uint64_t sent, rcvd, emitted; /* datagrams */
};

struct pcap_state {
	struct pcap_w w;
	struct ss_model *m;
	struct ss_hmap tcp, udp;
	struct tcp_conn *done[MAX_DONE]; /* a ring: the oldest leaves first */
	size_t ndone, done_head;
	struct udp_dir *udp_ring[MAX_UDP];
	size_t nudp, udp_head;
	struct ss_hmap pending; /* vtid -> struct pending */
	char comment[256];
};

/* ---- the call, in each packet's comment ---- */

static void note(struct pcap_state *s, const struct ss_ev *e, const struct ss_proc *p,
		 const char *what)
{
	const char *call =
		e->id >= 0 && (size_t)e->id < s->m->ncalls ? s->m->calls[e->id]->name : "?";

	snprintf(s->comment, sizeof(s->comment), "pid %lld comm %s: %s() = %lld%s%s",
		 (long long)ss_id_of(e->vpid), p->comm[0] ? p->comm : "?", call, (long long)e->ret,
		 what ? "; " : "", what ? what : "");
}

/* ---- calls waiting for their payload ---- */

/* Thread e->vtid's waiting call, made anew. */
static struct pending *pend(struct pcap_state *s, const struct ss_ev *e, int udp, const char *key)
{
	struct pending *pd = ss_hmap_get(&s->pending, (uint64_t)e->vtid, 0);

	if (!pd) {
		pd = ss_xcalloc(1, sizeof(*pd));
		ss_hmap_put(&s->pending, (uint64_t)e->vtid, 0, pd);
	}
	free(pd->key);
	pd->key = ss_xstrdup(key);
	pd->active = 1;
	pd->udp = udp;
	pd->sock = e->sock;
	pd->host = e->host;
	pd->ts = e->ts;
	pd->got = 0;
	memcpy(pd->comment, s->comment, sizeof(pd->comment));
	return pd;
}

/* ---- TCP ---- */

/* End i's next sequence number: the SYN and the FIN take one each. */
static uint32_t seq_of(const struct tcp_conn *t, int i)
{
	return t->isn[i] + 1 + (uint32_t)t->emitted[i] + (uint32_t)t->fin[i];
}

static uint32_t ack_of(const struct tcp_conn *t, int i)
{
	return seq_of(t, !i);
}

static uint64_t ack_rel(const struct tcp_conn *t, int i)
{
	return 1 + t->emitted[!i] + (uint64_t)t->fin[!i];
}

static void seg_data(struct pcap_state *s, const struct ss_ev *e, struct tcp_conn *t, int i,
		     int flags, uint64_t len, const uint8_t *data, size_t ndata)
{
	uint32_t seq = flags & PCAP_SYN ? t->isn[i] : seq_of(t, i);

	if (flags & PCAP_ACK)
		t->acked[i] = ack_rel(t, i);
	pcap_w_tcp(&s->w, e->host, e->ts, &t->ep[i], &t->ep[!i], seq, ack_of(t, i), flags, len,
		   data, ndata, s->comment);
}

static void seg(struct pcap_state *s, const struct ss_ev *e, struct tcp_conn *t, int i, int flags,
		uint64_t len)
{
	seg_data(s, e, t, i, flags, len, NULL, 0);
}

static void handshake(struct pcap_state *s, const struct ss_ev *e, struct tcp_conn *t, int client)
{
	uint64_t ts = e->ts;

	t->syn = 1;
	pcap_w_tcp(&s->w, e->host, ts, &t->ep[client], &t->ep[!client], t->isn[client], 0, PCAP_SYN,
		   0, NULL, 0, s->comment);
	pcap_w_tcp(&s->w, e->host, ts, &t->ep[!client], &t->ep[client], t->isn[!client],
		   t->isn[client] + 1, PCAP_SYN | PCAP_ACK, 0, NULL, 0, s->comment);
	t->acked[!client] = 1;
	seg(s, e, t, client, PCAP_ACK, 0);
}

/* End i's bytes [from, to) in segments, past what was emitted already;
 * bytes: their data (those before it first, without), or NULL. */
static void data_range(struct pcap_state *s, const struct ss_ev *e, struct tcp_conn *t, int i,
		       uint64_t from, uint64_t to, const uint8_t *bytes)
{
	uint64_t max = t->ep[i].v6 ? PCAP_TCP_MAX - 20 : PCAP_TCP_MAX;

	if (bytes && from > t->emitted[i])
		data_range(s, e, t, i, 0, from, NULL);
	while (!t->fin[i] && t->emitted[i] < to) {
		uint64_t at = t->emitted[i];
		uint64_t len = to - at < max ? to - at : max;
		const uint8_t *d = bytes && at >= from ? bytes + (at - from) : NULL;
		seg_data(s, e, t, i, PCAP_ACK | PCAP_PSH, len, d, d ? (size_t)len : 0);
		t->emitted[i] += len;
	}
}

/* End i acknowledges what it has seen, when that is more than before. */
static void ack(struct pcap_state *s, const struct ss_ev *e, struct tcp_conn *t, int i)
{
	if (t->acked[i] != ack_rel(t, i))
		seg(s, e, t, i, PCAP_ACK, 0);
}

static void fin(struct pcap_state *s, const struct ss_ev *e, struct tcp_conn *t, int i)
{
	if (t->fin[i])
		return;
	seg(s, e, t, i, PCAP_FIN | PCAP_ACK, 0);
	t->fin[i] = 1;
	if (t->fin[!i]) /* the other end, closed already, acknowledges */
		ack(s, e, t, !i);
}

static void tcp_forget(struct pcap_state *s, struct tcp_conn *t)
{
	if (ss_hmap_get(&s->tcp, ss_hash_str(t->key), 0) == t)
		ss_hmap_del(&s->tcp, ss_hash_str(t->key), 0);
	free(t->key);
	free(t);
}

/* A connection with nothing more to say is kept a while for events of
 * its other end read late, then forgotten. */
static void tcp_done(struct pcap_state *s, struct tcp_conn *t)
{
	t->done = 1;
	if (t->in_ring)
		return;
	if (s->ndone == MAX_DONE) {
		struct tcp_conn *old = s->done[s->done_head];
		old->in_ring = 0;
		if (old->done) /* else revived: live again, in the table */
			tcp_forget(s, old);
		s->done_head = (s->done_head + 1) % MAX_DONE;
		s->ndone--;
	}
	t->in_ring = 1;
	s->done[(s->done_head + s->ndone++) % MAX_DONE] = t;
}

/* The connection between local and remote, and which end local is; a new
 * one when create is set (a new one replaces a finished one of the same
 * endpoints: the port was reused). */
static struct tcp_conn *tcp_find(struct pcap_state *s, const char *local, const char *remote,
				 int create, int *end)
{
	struct pcap_ep l, r;

	if (pcap_ep_parse(local, &l) < 0 || pcap_ep_parse(remote, &r) < 0 || l.v6 != r.v6)
		return NULL;
	int swap = strcmp(local, remote) > 0;
	char *key = ss_xasprintf("%s %s", swap ? remote : local, swap ? local : remote);
	uint64_t h = ss_hash_str(key);
	struct tcp_conn *t = ss_hmap_get(&s->tcp, h, 0);

	/* A finished connection: an end not seen yet is read late (its
	 * process wrote its events after the other had closed) and revives
	 * it; an end seen opening it again reused the port. */
	if (t && t->done && !strcmp(t->key, key) && !t->seen[swap])
		t->done = 0;
	if (t && (strcmp(t->key, key) || (t->done && create))) {
		ss_hmap_del(&s->tcp, h, 0); /* left to the ring of finished ones */
		if (!t->in_ring)
			tcp_forget(s, t);
		t = NULL;
	}
	if (!t && create) {
		t = ss_xcalloc(1, sizeof(*t));
		t->key = key;
		key = NULL;
		t->ep[swap] = l;
		t->ep[!swap] = r;
		/* Initial sequence numbers from the endpoints: a capture
		 * written twice is the same. */
		t->isn[0] = (uint32_t)h;
		t->isn[1] = (uint32_t)(h >> 32);
		ss_hmap_put(&s->tcp, h, 0, t);
	}
	free(key);
	*end = swap;
	return t;
}

static void tcp_event(struct pcap_state *s, const struct ss_ev *e, const struct ss_conn *c)
{
	int k = e->kind, i;
	int rx = k == SS_K_RX || k == SS_K_RX_MMSG;
	int create = (k == SS_K_CONNECT && e->ret == 0) || k == SS_K_ACCEPT ||
		     ((k == SS_K_TX || k == SS_K_TX_MMSG || rx) && e->ret > 0);
	struct tcp_conn *t = tcp_find(s, c->local, c->remote, create, &i);

	if (!t || t->done)
		return;
	t->seen[i] = 1;
	if (k == SS_K_CONNECT || k == SS_K_ACCEPT) {
		if (!t->syn && !t->emitted[0] && !t->emitted[1])
			handshake(s, e, t, k == SS_K_CONNECT ? i : !i);
		return;
	}
	uint64_t n = k == SS_K_TX_MMSG || k == SS_K_RX_MMSG ? (uint64_t)e->bytes : (uint64_t)e->ret;
	int tx = k == SS_K_TX || k == SS_K_TX_MMSG;
	if ((tx || rx) && e->ret > 0 && !(rx && (e->flags & MSG_PEEK))) {
		/* A send: this end's bytes; a receive: the other end's, whose
		 * segments it stands for when the other's sends are not read
		 * yet, or not recorded.  They wait for their payload. */
		struct pending *pd = pend(s, e, 0, t->key);
		pd->tx = tx;
		pd->end = i;
		pd->base = tx ? t->sent[i] : t->rcvd[i];
		pd->n = n;
		*(tx ? &t->sent[i] : &t->rcvd[i]) += n;
	} else if (k == SS_K_RX && e->ret == 0 && !e->err) {
		fin(s, e, t, !i); /* end of file: the other end's FIN */
		ack(s, e, t, i);
	} else if (k == SS_K_SHUTDOWN && e->ret == 0 && e->how != SHUT_RD) {
		fin(s, e, t, i);
	} else if (k == SS_K_CLOSE && c->refs == 0) {
		fin(s, e, t, i);
		t->closed[i] = 1;
	}
	if ((t->fin[0] && t->fin[1]) || (t->closed[i] && (t->closed[!i] || !t->seen[!i])))
		tcp_done(s, t);
}

/* ---- UDP ---- */

/* The direction "SRC DST", made when new (the oldest goes when too many). */
static struct udp_dir *udp_dir(struct pcap_state *s, const char *key)
{
	uint64_t h = ss_hash_str(key);
	struct udp_dir *u = ss_hmap_get(&s->udp, h, 0);

	if (u && !strcmp(u->key, key))
		return u;
	if (s->nudp == MAX_UDP) { /* the oldest direction goes */
		struct udp_dir *old = s->udp_ring[s->udp_head];
		if (ss_hmap_get(&s->udp, ss_hash_str(old->key), 0) == old)
			ss_hmap_del(&s->udp, ss_hash_str(old->key), 0);
		free(old->key);
		free(old);
		s->udp_head = (s->udp_head + 1) % MAX_UDP;
		s->nudp--;
	}
	u = ss_xcalloc(1, sizeof(*u));
	u->key = ss_xstrdup(key);
	ss_hmap_put(&s->udp, h, 0, u);
	s->udp_ring[(s->udp_head + s->nudp++) % MAX_UDP] = u;
	return u;
}

/* An endpoint as text, a wildcard address made the peer's loopback one (a
 * socket bound to all addresses talking over loopback) so that both ends
 * name it alike. */
static void endpoint(const struct pcap_ep *ep, const struct pcap_ep *peer, struct pcap_ep *out,
		     char *buf, size_t size)
{
	char a[64];

	*out = *ep;
	if (pcap_ep_wildcard(ep) && pcap_ep_loopback(peer))
		memcpy(out->a, peer->a, sizeof(out->a));
	inet_ntop(out->v6 ? AF_INET6 : AF_INET, out->a, a, sizeof(a));
	snprintf(buf, size, out->v6 ? "[%s]:%u" : "%s:%u", a, out->port);
}

static void udp_event(struct pcap_state *s, const struct ss_ev *e, const struct ss_conn *c)
{
	int tx = e->kind == SS_K_TX || e->kind == SS_K_TX_MMSG;
	const char *peer = e->addr && *e->addr ? e->addr : c->remote;
	struct pcap_ep l, r, src, dst;
	char ls[80], rs[80], key[168];

	if (e->ret <= 0 || (!tx && (e->flags & MSG_PEEK)) || pcap_ep_parse(c->local, &l) < 0 ||
	    pcap_ep_parse(peer, &r) < 0 || l.v6 != r.v6)
		return;
	endpoint(&l, &r, &src, ls, sizeof(ls));
	endpoint(&r, &src, &dst, rs, sizeof(rs));
	snprintf(key, sizeof(key), "%s %s", tx ? ls : rs, tx ? rs : ls);
	struct pending *pd = pend(s, e, 1, key);
	pd->tx = tx;
	pd->src = tx ? src : dst;
	pd->dst = tx ? dst : src;
	pd->n = e->kind == SS_K_TX_MMSG || e->kind == SS_K_RX_MMSG ? (uint64_t)e->bytes
								    : (uint64_t)e->ret;
	if (pd->n > PCAP_UDP_MAX)
		pd->n = PCAP_UDP_MAX;
}

/* The datagram of a waiting call, unless the other end's put it in the
 * capture (directions count their datagrams, as TCP counts bytes). */
static void udp_flush(struct pcap_state *s, struct pending *pd)
{
	struct udp_dir *u = udp_dir(s, pd->key);

	if (pd->tx ? ++u->sent <= u->emitted : ++u->rcvd <= u->emitted)
		return;
	u->emitted++;
	pcap_w_udp(&s->w, pd->host, pd->ts, &pd->src, &pd->dst, pd->n, pd->buf, pd->got,
		   pd->comment);
}

/* ---- waiting calls: their bytes, then what is left ---- */

/* The TCP connection of key, if it is still known. */
static struct tcp_conn *tcp_of(struct pcap_state *s, const char *key)
{
	struct tcp_conn *t = ss_hmap_get(&s->tcp, ss_hash_str(key), 0);

	return t && !strcmp(t->key, key) ? t : NULL;
}

/* The TCP connection of a waiting call (NULL: no longer known), its time
 * and host into at and its comment taken back for the packets. */
static struct tcp_conn *pending_tcp(struct pcap_state *s, const struct pending *pd,
				    struct ss_ev *at)
{
	struct tcp_conn *t = tcp_of(s, pd->key);

	memset(at, 0, sizeof(*at));
	at->host = pd->host;
	at->ts = pd->ts;
	memcpy(s->comment, pd->comment, sizeof(s->comment));
	return t;
}

/* Thread vtid's waiting call, finished: the bytes not recorded go as
 * segments without data, and a receive acknowledges them. */
static void flush(struct pcap_state *s, int64_t vtid)
{
	struct pending *pd = ss_hmap_get(&s->pending, (uint64_t)vtid, 0);

	if (!pd || !pd->active)
		return;
	pd->active = 0;
	if (pd->udp) {
		udp_flush(s, pd);
		return;
	}
	struct ss_ev at;
	struct tcp_conn *t = pending_tcp(s, pd, &at);
	if (!t)
		return;
	data_range(s, &at, t, pd->tx ? pd->end : !pd->end, 0, pd->base + pd->n, NULL);
	if (!pd->tx)
		ack(s, &at, t, pd->end);
}

/* A sockscope:payload event: bytes of the call waiting on its thread. */
static void payload(void *arg, const struct ss_ev *e, const struct ss_conn *c)
{
	struct pcap_state *s = arg;
	struct pending *pd = ss_hmap_get(&s->pending, (uint64_t)e->vtid, 0);

	(void)c;
	if (!pd || !pd->active || pd->sock != e->sock || !e->data || (uint64_t)e->offset >= pd->n)
		return; /* a peek, or a call not in the capture */
	uint64_t n = e->ndata < pd->n - (uint64_t)e->offset ? e->ndata : pd->n - (uint64_t)e->offset;
	if (pd->udp) {
		if (!pd->buf)
			pd->buf = ss_xmalloc(PCAP_UDP_MAX);
		memcpy(pd->buf + e->offset, e->data, n);
		if ((size_t)e->offset + n > pd->got)
			pd->got = (size_t)e->offset + n;
		return;
	}
	struct ss_ev at;
	struct tcp_conn *t = pending_tcp(s, pd, &at);
	if (!t)
		return;
	uint64_t from = pd->base + (uint64_t)e->offset;
	data_range(s, &at, t, pd->tx ? pd->end : !pd->end, from, from + n, e->data);
}

/* ---- the format ---- */

static void tap(void *arg, const struct ss_ev *e, const struct ss_proc *p, const struct ss_conn *c)
{
	struct pcap_state *s = arg;

	flush(s, e->vtid); /* the thread's previous call has all its bytes */
	if (!c || (c->family != AF_INET && c->family != AF_INET6) || !c->local)
		return;
	switch (e->kind) {
	case SS_K_CONNECT: case SS_K_ACCEPT: case SS_K_TX: case SS_K_RX: case SS_K_TX_MMSG:
	case SS_K_RX_MMSG: case SS_K_SHUTDOWN: case SS_K_CLOSE:
		break;
	default:
		return;
	}
	note(s, e, p, NULL);
	if (!strcmp(c->type, "SOCK_STREAM") && c->remote)
		tcp_event(s, e, c);
	else if (ss_conn_is_dgram(c))
		udp_event(s, e, c);
}

void ss_out_pcapng_begin(struct ss_report *r, FILE *f)
{
	struct pcap_state *s = ss_xcalloc(1, sizeof(*s));

	s->m = r->m;
	ss_hmap_init(&s->tcp);
	ss_hmap_init(&s->udp);
	ss_hmap_init(&s->pending);
	pcap_w_begin(&s->w, f, r->m);
	r->state = s;
	r->m->tap = tap;
	r->m->payload = payload;
	r->m->tap_arg = s;
}

void ss_out_pcapng_end(struct ss_report *r, FILE *f)
{
	struct pcap_state *s = r->state;
	const struct ss_hmap_slot *slot;

	(void)f;
	r->m->tap = NULL;
	r->m->payload = NULL;
	for (size_t i = 0; ss_hmap_next(&s->pending, &i, &slot);) {
		struct pending *pd = slot->v;
		if (pd->active)
			flush(s, (int64_t)slot->a);
		free(pd->key);
		free(pd->buf);
		free(pd);
	}
	ss_hmap_free(&s->pending);
	for (size_t i = 0; i < s->ndone; i++) {
		struct tcp_conn *t = s->done[(s->done_head + i) % MAX_DONE];
		if (t->done) /* else revived: in the table */
			tcp_forget(s, t);
	}
	for (size_t i = 0; ss_hmap_next(&s->tcp, &i, &slot);) {
		struct tcp_conn *t = slot->v;
		free(t->key);
		free(t);
	}
	for (size_t i = 0; i < s->nudp; i++) {
		struct udp_dir *u = s->udp_ring[(s->udp_head + i) % MAX_UDP];
		free(u->key);
		free(u);
	}
	ss_hmap_free(&s->tcp);
	ss_hmap_free(&s->udp);
	free(s);
	r->state = NULL;
}
