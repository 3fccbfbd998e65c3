/* SPDX-License-Identifier: MIT */
/*
 * The one socket-address decoder of sockscope: sockaddr bytes -> text such as
 * "127.0.0.1:50007", "[::1]:80", "[fe80::1%2]:22", "[::ffff:10.0.0.1]:53",
 * "/tmp/echo.sock", "@abstract", "(unnamed)", "netlink:portid=4021,groups=0x1",
 * "packet:ifindex=1,proto=ETH_P_ALL", "vsock:2:1024", "alg:hash:sha256", or for other families
 * the name and bytes in hex, "AF_CAN:0000beef".
 */
#ifndef SS_ADDR_H
#define SS_ADDR_H

#include <stddef.h>

#define SS_ADDR_TEXT 256

struct ss_endpoint {
	int family; /* AF_* of the bytes, -1 when there were none */
	int port;   /* host order; 0 where the family has none */
	char text[SS_ADDR_TEXT];
};

/*
 * Decode len bytes at sa into ep.  Reads at most min(len, the family's
 * structure) bytes; sa may be NULL (text "(none)").  The caller guarantees
 * that those bytes are readable.  Async-signal-safe.
 */
void ss_addr_format(const void *sa, size_t len, struct ss_endpoint *ep);

/* An IPv4 or IPv6 address (in_addr / in6_addr bytes) alone as text, into
 * buf of at least SS_ADDR_TEXT bytes.  Other families: "family N". */
void ss_ip_format(int family, const void *ip, char *buf);

#endif
