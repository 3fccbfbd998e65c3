/* SPDX-License-Identifier: MIT */
/*
 * Host and port arguments of `record --relay` and `relay --listen`, and a
 * bounded TCP connect to see whether a relay answers: see netaddr.c.
 */
#ifndef SS_NETADDR_H
#define SS_NETADDR_H

#include <stddef.h>

/* LTTng's own ports (lttng-relayd's defaults): control, then data. */
#define SS_RELAY_PORT 5342

struct ss_hostport {
	char host[256]; /* a name or an address, without brackets */
	unsigned port;
	int bracketed;  /* given as [IPv6]: an IPv6 address */
};

/*
 * Parse HOST, HOST:PORT, [IPV6] or [IPV6]:PORT into *hp, the port
 * defaulting to def.  The port must leave room for the ports after it
 * (ports consecutive ports from it, 1 to 3).  Returns 0, or -1 with the
 * reason in why (size bytes).
 */
int ss_parse_hostport(const char *s, unsigned def, unsigned ports, struct ss_hostport *hp,
		      char *why, size_t size);

/*
 * Connect to TCP host:port, waiting at most timeout_ms for each of the
 * addresses the name has, and close at once.  Returns 0 with the numeric
 * address that answered in num (numsize bytes) and *v6 set when it is an
 * IPv6 address; -1 with the reason in why.
 */
int ss_tcp_probe(const char *host, unsigned port, int timeout_ms, char *num, size_t numsize,
		 int *v6, char *why, size_t size);

#endif
