/* SPDX-License-Identifier: MIT */
/*
 * The model of `sockscope report` and `top`: the reader (read/) decodes
 * each event of the traces into a struct ss_ev and hands it to the model
 * (model.c, conn.c), which keeps only aggregates and live connections;
 * the outputs (out/) print the model at the end.
 *
 * Memory is bounded by what is live, not by the number of events: a
 * syscall is a fixed histogram, a finished connection or a name lookup is
 * written to a temporary file (the spill) and read back only to print.
 */
#ifndef SS_MODEL_H
#define SS_MODEL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/hist.h"
#include "model/hmap.h"

/* What the model does with an event, from its name. */
enum ss_kind {
	SS_K_OTHER, /* not ours: counted only */
	SS_K_CALL,  /* a call with no effect on connections */
	SS_K_SOCKET, SS_K_PAIR, SS_K_BIND, SS_K_CONNECT, SS_K_SOCKNAME, SS_K_PEERNAME,
	SS_K_ACCEPT, SS_K_LISTEN, SS_K_TX, SS_K_RX, SS_K_TX_MMSG, SS_K_RX_MMSG,
	SS_K_GETSOCKOPT, SS_K_CLOSE, SS_K_CLOSEFROM, SS_K_CLOSE_RANGE, SS_K_CTL, SS_K_DUP,
	SS_K_DNS, SS_K_DESCRIBE, SS_K_FORK, SS_K_EXEC,
	SS_K_COMM, /* sockscope:comm: the process's name, no call */
	SS_K_SHUTDOWN,
	SS_K_READY, /* a readiness call reported a socket whose connect was in progress */
	SS_K_STOP, /* sockscope:stop: the process is traced no further */
	SS_K_PEERCRED, /* sockscope:peercred: a unix connection's peer pid, no call */
	SS_K_API, /* a sockscope_api:* method */
	SS_K_PAYLOAD, /* sockscope:payload: bytes of the call before it on its thread, no call */
};

/*
 * One decoded event.  Fields the event does not have are 0 (strings
 * NULL, family -1); the strings live only during ss_model_event().
 */
struct ss_ev {
	int kind, id;  /* id: syscall or method number in the model */
	int host;      /* its trace's host (struct ss_host), whose bits vpid and vtid carry */
	uint64_t ts;   /* ns from the clock's origin */
	int64_t vpid, vtid;
	int64_t fd, sock, ret, err, dur, family, fd2, sock2, newsock, newfd, bytes, optval, last,
		flags, start, level, optnum, how, revents;
	int64_t peer_pid;  /* peercred: the peer's pid */
	int64_t cloexec;   /* 1/0 set, -1 untouched or not in the event */
	int64_t listening; /* describe: 1 a listening socket */
	uint64_t span; /* a method's window: [ts - span, ts] (its start_ns, else its dur) */
	const char *comm, *addr, *type, *query, *result, *peer, *optname, *local, *why;
	int64_t offset;      /* payload: where data starts among its call's bytes */
	const uint8_t *data; /* payload: ndata bytes */
	uint64_t ndata;
};

/*
 * Hosts.  Traces are grouped by host: a host name (the trace
 * environment's hostname) with one clock (its UUID, new at each boot), so
 * that recordings of one machine read together share a host and traces of
 * several machines, through a relay or copied, keep theirs apart.  The
 * model names a process, a thread, by a key that holds its host's index
 * above the id, so that pids of two hosts never meet; host 0's keys are
 * its ids, and so are those of every report of one host.
 */
#define SS_MAX_HOSTS 256

struct ss_host {
	char name[64];
	unsigned char clock[16]; /* the clock's UUID, zero when it has none */
	int dup; /* the n-th host of this name (1, 2...) */
};

static inline int64_t ss_id_key(int host, int64_t id)
{
	return host ? (int64_t)((uint64_t)host << 32 | (uint32_t)id) : id;
}
static inline int ss_host_of(int64_t key)
{
	return key > 0xffffffffll ? (int)(key >> 32) : 0;
}
static inline int64_t ss_id_of(int64_t key)
{
	return key > 0xffffffffll ? (int64_t)(uint32_t)key : key;
}

/* What is selected: empty lists select everything.  The process filters
 * (pids, comms) select connection rows by the processes that held them
 * and calls by the process that made them; comm is the process's name. */
struct ss_filter {
	int64_t *pids;
	size_t npids;
	char **comms; /* fnmatch patterns */
	size_t ncomms;
	char **addrs; /* a whole endpoint, or its host part */
	size_t naddrs;
	long *ports;
	size_t nports;
};

/* What a socket was used for, from what it did (see ss_role_name). */
enum ss_role { SS_ROLE_UNKNOWN, SS_ROLE_CLIENT, SS_ROLE_SERVER, SS_ROLE_LISTENER,
	       SS_ROLE_DATAGRAM, SS_ROLE_PAIR, SS_ROLE_UNUSED, SS_ROLE_BOUND, SS_ROLE_RAW,
	       SS_ROLE_NETLINK, SS_ROLE_PACKET };

#define SS_MAX_PEERS 65536 /* datagram peers kept per socket; the rest are summed */
#define SS_MAX_PENDING 8 /* calls held per socket until its address is known */
#define SS_GRACE 64      /* finished connections kept for late calls */

/* A datagram socket's peer, one entry per episode: when another socket
 * took the peer's address since its last datagram (a port reused), the
 * next datagram from it starts a new entry. */
struct ss_peer {
	char *addr;
	uint64_t tx, rx;
	uint64_t last;         /* its last datagram's time (ss_peer_bytes) */
	uint64_t first_tx, first_rx; /* its first datagram each way: a send's start, a
				      * receive's end (the clocks' marks) */
	uint64_t since, until; /* the episode, 0: from the socket's start, to its end */
};

/* A call held back until its socket's address says whether it matches. */
struct ss_pending {
	int id;
	int err;
	uint64_t dur, ts;
};

struct ss_proc;

/* When a connection's first things happened, on its host's clock (0:
 * never): each orders an event of one end before one of the other, which
 * bounds the offset between their hosts' clocks (flows.c). */
struct ss_marks {
	uint64_t connect; /* a client's first connect() started */
	uint64_t tx;      /* the first bytes left: their send started */
	uint64_t rx;      /* the first bytes arrived: their receive ended */
	uint64_t fin;     /* its sending side closed: shutdown() or its last close() started */
	uint64_t eof;     /* the peer's close was seen: a receive returning 0 ended */
};

/* The earlier of two marks (0: none). */
static inline uint64_t ss_earliest(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* Latency of a connection (latency.c): connect, first byte, and the
 * response times of its request/response turns. */
#define SS_LAT_SAMPLES 256 /* response times kept exactly; then a histogram */

struct ss_lat {
	uint64_t connected;  /* a client learned its connect's outcome (0: not yet) */
	const char *via;     /* through which call (the model's name) */
	int turn, counted;
	uint64_t request_end; /* the current request's last bytes */
	uint64_t *v;         /* response times, the first SS_LAT_SAMPLES */
	uint32_t n, cap;
	uint64_t max;
	struct ss_hist *h;   /* all of them, past SS_LAT_SAMPLES */
};

/* A service: the endpoint servers were reached at, or clients reached,
 * with the response times of all their turns. */
#define SS_MAX_SERVICES 1024
struct ss_service {
	int server; /* 1: a local endpoint servers accepted on; 0: a remote one */
	char *endpoint;
	uint64_t conns;
	struct ss_hist h;
};

/* A socket as seen from all the processes that hold it. */
struct ss_conn {
	int64_t vpid;     /* process that opened it (or first used it) */
	int64_t sock;     /* its serial there */
	struct ss_proc *owner; /* that process: its name is the row's comm */
	int family;       /* AF_*, -1 unknown */
	char type[24];    /* SOCK_STREAM...: the type without its flags */
	int guess;        /* first seen in use, its opening unknown */
	enum ss_role role;
	int connecting;   /* non-blocking connect in progress */
	int err;          /* why connecting or binding failed, 0 if it did not */
	int bound;        /* a bind succeeded (or its address was seen) */
	int match;        /* address filter: 1 matched (always 1 without one) */
	int refs;         /* descriptors open on it, over all processes */
	int kept;         /* finished, kept in the model's grace ring */
	char *local, *remote;
	uint64_t tx, rx, start, end;
	struct ss_marks marks;
	struct ss_lat lat;
	int64_t peer_pid; /* unix stream: the peer's process (sockscope:peercred) */
	struct ss_peer *peers; /* a datagram socket's, each with its bytes */
	int npeers, cappeers;
	uint64_t other_tx, other_rx; /* peers beyond SS_MAX_PEERS */
	struct ss_pending pending[SS_MAX_PENDING];
	int npending;
	int64_t (*keys)[2]; /* (vpid, serial) pairs that name it */
	int nkeys;
	int64_t *users;     /* processes that opened, accepted, used or closed it */
	uint64_t *moved;    /* the bytes each of them sent and received on it */
	int nusers;
	struct ss_conn *prev, *next; /* the live list */
};

/* A descriptor of a process that is a socket we know. */
struct ss_fdent {
	int64_t sock; /* its serial in this image, 0 until seen since exec */
	struct ss_conn *conn;
	int cloexec;  /* gone at the next exec */
};

#define SS_CLOSED_RING 16 /* serials a process closed last */

struct ss_proc {
	int64_t vpid, ppid; /* ppid 0: unknown */
	char comm[24];      /* the process's name: its main thread's */
	int comm_main;      /* comm came from the main thread (else from another) */
	uint64_t first, events;
	uint64_t exec_ts;   /* when its current image started, 0 unknown */
	struct ss_fdent *fds;
	int64_t nfds;
	/* Serials just finished here, so that a call another thread had in
	 * flight on one makes no row of its own. */
	struct {
		int64_t sock;
		uint64_t ts;
	} closed[SS_CLOSED_RING];
	int nclosed;
	char stopped[16]; /* why its tracing stopped (sockscope:stop), or "" */
};

/* Per libc function (event name), the strace -c line and errors by errno. */
struct ss_call_stat {
	char *name;
	struct ss_hist h;
	uint64_t errors;
};

/* Failures of one call with one error name. */
struct ss_err {
	int id;
	char *name;
	uint64_t count;
};

/* Per method of the companion library, and the libc calls it made. */
struct ss_api_stat {
	char *name;
	struct ss_hist h;
	uint64_t errors;
	uint64_t *caused; /* by syscall id */
	size_t ncaused;
};

/* Recent calls of one thread, to nest them under a library method. */
struct ss_ring {
	uint64_t *ts;
	int *id;
	size_t size, head, n;
};

/* A socket a name lookup made (its thread first used it inside the
 * lookup's span), with the bytes it moved (lookup.c). */
#define SS_LOOKUP_SOCKS 8
struct ss_lookup_sock {
	int64_t pid, sock;
	uint64_t first, last, tx, rx;
	char family[16], type[24], remote[64];
};

/* A name lookup aggregated for the text report. */
struct ss_dns_agg {
	int id;
	char *query, *result;
	uint64_t count, total, max;
	uint64_t socks, tx, rx; /* the sockets the lookups made, their bytes */
	char remote[64];        /* the first one's peer */
};

/* Bytes over time (series.c): SS_SERIES_MAX buckets of width ns from t0,
 * n of them used; kept only when an output asks (width 0: none yet). */
#define SS_SERIES_MAX 512
struct ss_series {
	int on;
	uint64_t t0, width;
	size_t n;
	uint64_t tx[SS_SERIES_MAX], rx[SS_SERIES_MAX];
};

void ss_series_add(struct ss_series *s, uint64_t ts, int tx, uint64_t n);

struct ss_model {
	struct ss_filter f;
	int filtering_addr, filtering_proc;
	uint64_t read, events, lost, lost_packets;
	uint64_t first_ts, last_ts;

	struct ss_call_stat **calls;
	size_t ncalls;
	struct ss_api_stat **api;
	size_t napi;
	int have_api;

	struct ss_hmap procs;  /* vpid -> proc */
	struct ss_hmap conns;  /* (vpid, serial) -> conn */
	struct ss_hmap rings;  /* vtid -> ring */
	struct ss_hmap dnsagg; /* (hash, hash) -> dns_agg */
	struct ss_hmap errs;   /* (call id, hash of name) -> err */
	struct ss_hmap listeners; /* hash of a listening address -> 1 */
	struct ss_hmap services;  /* (server, hash of endpoint) -> ss_service */
	struct ss_hmap peers;     /* (conn, hash of address) -> index + 1 (conn.c) */
	struct ss_hmap owners;    /* hash of a datagram socket's address -> its socket's start */
	size_t nservices;
	struct ss_conn *live;     /* every connection not finished */

	struct ss_conn **dying; /* no descriptor left: finished after the event */
	size_t ndying, capdying;
	/* Finished connections kept a while before they are written out, in
	 * the order they finished: a call another thread still had in flight
	 * when the descriptor was closed counts on its row. */
	struct ss_conn *grace[SS_GRACE];
	size_t grace_head, ngrace;

	FILE *conn_spill, *dns_spill;
	uint64_t nconn_spilled, ndns;

	struct ss_hmap lk_recent; /* vtid -> recent sockets (lookup.c) */
	int64_t lk_last_vtid;
	void *lk_last;

	struct ss_host *hosts; /* by index (struct ss_host): at least one */
	int nhosts;

	/* Called for each call counted, with its process and connection
	 * (NULL: none), as it is read: `top` counts its intervals so. */
	void (*tap)(void *arg, const struct ss_ev *e, const struct ss_proc *p,
		    const struct ss_conn *c);
	/* Called for each sockscope:payload event (record --payload) of a
	 * selected process, with its connection (NULL: none), with tap_arg. */
	void (*payload)(void *arg, const struct ss_ev *e, const struct ss_conn *c);
	void *tap_arg;

	struct ss_series series; /* bytes over time, when series.on */
};

/* The index of the host of this name and clock, added when new (at most
 * SS_MAX_HOSTS: the last one takes those beyond). */
int ss_model_host(struct ss_model *m, const char *name, const unsigned char *clock);
/* A host's name as printed: "vm", or "vm#2" for the second of that name. */
const char *ss_host_name(const struct ss_model *m, int host, char *buf, size_t size);

/* The kind of the event sockscope:<name> (SS_K_CALL for a name with no
 * effect on connections).  Events with `query` and `result` members are
 * name lookups whatever their name: the reader sees to that. */
enum ss_kind ss_kind_of(const char *name);

struct ss_model *ss_model_new(const struct ss_filter *f);
void ss_model_free(struct ss_model *m);
/* The number of a syscall or method name, registering it. */
int ss_model_call_id(struct ss_model *m, const char *name);
int ss_model_api_id(struct ss_model *m, const char *name);
void ss_model_event(struct ss_model *m, const struct ss_ev *e);
/* The tracer discarded n events (or n packets). */
void ss_model_lost(struct ss_model *m, uint64_t n, int packets);

/* The process vpid, created on first sight when create is set. */
struct ss_proc *ss_model_proc(struct ss_model *m, int64_t vpid, int create);

/* Connection tracking (conn.c), called by the model for each event;
 * returns the connection the event is about, or NULL. */
struct ss_conn *ss_conn_event(struct ss_model *m, struct ss_proc *p, const struct ss_ev *e);
/* Whether a call on connection c (NULL: none) is selected by the address
 * filter, holding the call back while that is not known.  1: count it. */
int ss_conn_select(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e);
/* Finish the connections that lost their last descriptor. */
void ss_conn_reap(struct ss_model *m);
/* Write out the finished connections still kept for late calls. */
void ss_conn_flush(struct ss_model *m);
/* Free what is left at the end (after the outputs). */
void ss_conn_free_all(struct ss_model *m);
/* Count a call (syscall summary, errors, library nesting); errname is
 * the failure's name, NULL when the call did not fail. */
void ss_model_account(struct ss_model *m, int id, uint64_t ts, int64_t vtid,
		      const char *errname, uint64_t dur);
/* Whether process p is selected by the process filters (--pid, --comm). */
int ss_proc_selected(const struct ss_model *m, const struct ss_proc *p);
/* Whether c is a datagram socket (its type, without flags). */
static inline int ss_conn_is_dgram(const struct ss_conn *c)
{
	return !strcmp(c->type, "SOCK_DGRAM");
}
/* Whether connection c is printed: its address matched, and one of the
 * processes that held it is selected. */
int ss_conn_shown(struct ss_model *m, const struct ss_conn *c);
/* Whether an endpoint's text is selected by the address and port filters. */
int ss_endpoint_match(const struct ss_filter *f, const char *ep);

/* A finished or live connection as printed. */
struct ss_conn_row {
	int64_t pid;
	const char *comm;
	int64_t sock;
	const char *family, *type, *role, *local, *remote, *error;
	uint64_t tx, rx, start, duration;
	struct ss_marks marks;
	/* Latency (latency.c): -1 when it does not apply or was not seen. */
	int64_t connect_ns, ttfb_ns;
	const char *connect_via; /* NULL with connect_ns -1 */
	uint64_t exchanges, resp_p50, resp_p99, resp_max;
	int open; /* no close seen: lasts until the end of the traces */
	int npeers;
	const struct ss_peer *peers; /* a datagram socket's, each with its bytes */
	uint64_t other_tx, other_rx; /* peers beyond SS_MAX_PEERS, summed */
	const int64_t *pids; /* the processes that held it (ss_conn users) */
	int npids;
	/* The process that moved most of its bytes (pid when none moved):
	 * a forked child that served what its parent accepted. */
	int64_t talker;
	const char *talker_comm;
	int untraced; /* a process holding it stopped being traced (sockscope:stop) */
	int64_t peer_pid; /* unix stream: the peer's process (SO_PEERCRED), 0 unknown */
};

struct ss_dns_row {
	int64_t pid;
	const char *call, *query, *result;
	uint64_t ts, dur;
	int nsocks; /* the sockets the lookup made */
	struct ss_lookup_sock socks[SS_LOOKUP_SOCKS];
};

/* Visit the connections: finished ones in the order they ended, then
 * those still open at the end of the traces. */
void ss_model_each_conn(struct ss_model *m, void (*fn)(const struct ss_conn_row *, void *),
			void *arg);
void ss_model_each_dns(struct ss_model *m, void (*fn)(const struct ss_dns_row *, void *),
		       void *arg);
/* The spills (spill.c): a temporary file, or exit 2 saying why; a
 * finished connection, a name lookup written to the model's spills. */
FILE *ss_spill_open(void);
void ss_model_spill_conn(struct ss_model *m, const struct ss_conn_row *r);
void ss_model_spill_dns(struct ss_model *m, const struct ss_ev *e,
			const struct ss_lookup_sock *socks, int nsocks);
/* Name lookups and their sockets (lookup.c): note a socket event of
 * connection c; take the sockets the lookup e made (into out, at most
 * SS_LOOKUP_SOCKS; returns how many); free what is left. */
void ss_lookup_note(struct ss_model *m, const struct ss_ev *e, const struct ss_conn *c);
int ss_lookup_take(struct ss_model *m, const struct ss_ev *e, struct ss_lookup_sock *out);
void ss_lookup_free(struct ss_model *m);
/* The calls, costliest first, and the errors, most frequent first:
 * arrays to free (the elements belong to the model). */
struct ss_call_stat **ss_model_calls_sorted(const struct ss_model *m);
struct ss_err **ss_model_errors_sorted(const struct ss_model *m, size_t *n);
/* A datagram socket's peers (peers.c): count bytes with peer addr at time
 * at (a send's start, a receive's end: when they were surely on their way;
 * returns 1 when the address is new to c); c has its local address (a
 * port reused starts its peers' next episode); free them. */
int ss_peer_bytes(struct ss_model *m, struct ss_conn *c, const char *addr, uint64_t tx,
		  uint64_t rx, uint64_t at);
/* The same for a whole peer entry g of another connection (merged). */
int ss_peer_fold(struct ss_model *m, struct ss_conn *c, const struct ss_peer *g);
void ss_peer_owner(struct ss_model *m, const struct ss_conn *c);
void ss_peers_free(struct ss_model *m, struct ss_conn *c);
/* Latency (latency.c), from the connection events of conn.c. */
void ss_lat_connect(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e);
void ss_lat_accepted(struct ss_model *m, struct ss_conn *c);
void ss_lat_ready(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e);
void ss_lat_sockopt(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e);
void ss_lat_io(struct ss_model *m, struct ss_conn *c, const struct ss_ev *e, int tx, int64_t n);
void ss_lat_row(const struct ss_conn *c, struct ss_conn_row *r);
void ss_lat_free(struct ss_conn *c);
/* The services the address filters select, servers first, the most
 * connections first: an array to free. */
struct ss_service **ss_model_services(struct ss_model *m, size_t *n);
void ss_lat_free_services(struct ss_model *m);
/* Fill a row from a live connection (conn.c). */
void ss_conn_row(struct ss_model *m, const struct ss_conn *c, struct ss_conn_row *r);

/*
 * Flows (flows.c): the two ends of each connection, paired across the
 * processes and recordings read.  TCP: a client's local and remote
 * endpoints mirror a server's, and their lifetimes overlap (a port is
 * reused only later).  UDP: per datagram socket and peer, the socket
 * whose own address is that peer (or a wildcard of its port) and that
 * exchanged with this one's address (flows.c says how the client is told).
 * Unix stream sockets: the client's peer path is the server's own,
 * lifetimes overlap, and among several candidates the one whose peer pids
 * (SO_PEERCRED) point at each other's process, then whose bytes agree both
 * ways.  Socketpairs: their two ends.  An end whose peer was not recorded
 * is a flow of one end.
 */
enum ss_flow_proto { SS_FLOW_TCP, SS_FLOW_UNIX, SS_FLOW_UDP };

struct ss_end {
	int64_t pid;       /* who talked on it (ss_conn_row talker): the model's key */
	int64_t opener, sock; /* the process that opened it, its serial there */
	int host;
	char *comm, *local, *remote;
	uint64_t tx, rx, start, end; /* on its host's clock; UDP: tx and rx with its peer alone */
	struct ss_marks marks;
	uint64_t at, until; /* start and end on the reference host's clock */
	int64_t peer_pid; /* unix: the peer's process (SO_PEERCRED), 0 unknown */
	enum ss_flow_proto proto;
	int many;   /* UDP: its socket had several peers */
	int server; /* the accept()ing end (for a socketpair: the second; UDP:
		     * one that looks it, for an end alone: flows.c) */
	int pair;   /* an end of a socketpair */
	int untraced; /* a process holding it stopped being traced: its counts may fall short */
	int paired;
};

#define SS_NO_END ((size_t)-1)

struct ss_flow {
	size_t client, server; /* indices of ends, SS_NO_END when not recorded */
	enum ss_flow_proto proto;
	uint64_t start, duration; /* on the reference host's clock */
};

/*
 * A host's clock against the reference host's (host 0, the first read):
 * it reads offset ns more than the reference's at the same instant, the
 * truth being within [min, max] (SS_UNBOUNDED_* where nothing bounds it).
 * Each flow between two hosts bounds the difference of their offsets
 * (ss_flow_bound); a host no flow links to the reference is not known.
 */
#define SS_UNBOUNDED_MIN INT64_MIN
#define SS_UNBOUNDED_MAX INT64_MAX

struct ss_clock {
	int known;
	int64_t offset, min, max;
	uint64_t flows;    /* the flows between it and the host it was reached from */
	uint64_t outliers; /* of those, the ones whose bounds disagree with the most */
};

/* A bound: host b's offset minus host a's lies within [lo, hi]. */
struct ss_bound {
	int a, b;
	int64_t lo, hi;
};

struct ss_flows {
	struct ss_end *ends;
	size_t nends, capends;
	struct ss_flow *v; /* by start */
	size_t n;
	struct ss_clock *clocks; /* by host */
	int nhosts;
};

/* The outputs hand each connection row to ss_flows_take as they print it
 * (f zeroed first), then ss_flows_pair pairs the ends taken: the rows,
 * spilled ones too, are read once. */
void ss_flows_take(struct ss_flows *f, const struct ss_conn_row *r);
void ss_flows_pair(struct ss_flows *f, int nhosts);
void ss_flows_free(struct ss_flows *f);
const char *ss_flow_proto_name(enum ss_flow_proto p);
/* What the client sent and what it received (from the server's counts
 * when the client end is missing); agree: 1, 0, or -1 with one end. */
uint64_t ss_flow_to_server(const struct ss_flows *f, const struct ss_flow *w);
uint64_t ss_flow_to_client(const struct ss_flows *f, const struct ss_flow *w);
int ss_flow_agree(const struct ss_flows *f, const struct ss_flow *w);

/* Clocks (clocks.c): the bound that client end c and server end s of one
 * connection put on their hosts' offsets (0: none: one host, or nothing
 * ordered); the clocks solved from n bounds, into f->clocks. */
int ss_flow_bound(const struct ss_end *c, const struct ss_end *s, struct ss_bound *b);
void ss_clocks_solve(struct ss_flows *f, struct ss_bound *v, size_t n);

/* Names shared by the outputs. */
const char *ss_role_name(enum ss_role r);

#endif
