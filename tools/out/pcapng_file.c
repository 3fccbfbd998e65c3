// SPDX-License-Identifier: MIT
/*
 * Writing pcapng (the format of Wireshark, pcapng draft, IETF opsawg):
 * one section in host byte order, one interface per host of the traces
 * (raw IP link type, nanosecond timestamps, named after the host), written
 * the first time a packet is seen on it, and enhanced packet blocks with
 * a comment each.  A packet's IP and TCP/UDP headers are captured, and of
 * its payload what was recorded (record --payload), maybe nothing: the
 * original length counts the whole payload, so Wireshark shows the real
 * sizes and its TCP analysis follows the sequence numbers without finding
 * anything malformed.
 */
#include "out/pcapng.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0a0d0d0a
#define BT_IDB 1
#define BT_EPB 6
#define LINKTYPE_RAW 101 /* IPv4 or IPv6 by the version nibble */
#define OPT_END 0
#define OPT_COMMENT 1
#define IF_NAME 2
#define IF_TSRESOL 9

int pcap_ep_parse(const char *text, struct pcap_ep *ep)
{
	char host[64];
	const char *colon;

	memset(ep, 0, sizeof(*ep));
	if (!text)
		return -1;
	if (text[0] == '[') {
		const char *end = strchr(text, ']');
		if (!end || end[1] != ':' || (size_t)(end - text - 1) >= sizeof(host))
			return -1;
		memcpy(host, text + 1, (size_t)(end - text - 1));
		host[end - text - 1] = 0;
		host[strcspn(host, "%")] = 0; /* a scope names no address */
		colon = end + 1;
		ep->v6 = 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof(host))
			return -1;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = 0;
	}
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port > 65535)
		return -1;
	ep->port = (uint16_t)port;
	return inet_pton(ep->v6 ? AF_INET6 : AF_INET, host, ep->a) == 1 ? 0 : -1;
}

int pcap_ep_wildcard(const struct pcap_ep *ep)
{
	static const uint8_t zero[16];

	return !memcmp(ep->a, zero, ep->v6 ? 16 : 4);
}

int pcap_ep_loopback(const struct pcap_ep *ep)
{
	static const uint8_t one[16] = { [15] = 1 };

	return ep->v6 ? !memcmp(ep->a, one, 16) : ep->a[0] == 127;
}

static void put(struct pcap_w *w, const void *p, size_t n)
{
	fwrite(p, 1, n, w->f);
}

static void put32(struct pcap_w *w, uint32_t v)
{
	put(w, &v, 4);
}

static void pad(struct pcap_w *w, size_t n)
{
	static const uint8_t zero[4];

	put(w, zero, (4 - n % 4) % 4);
}

static size_t padded(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* An option: code, length, value padded to 32 bits. */
static void option(struct pcap_w *w, uint16_t code, const void *v, size_t n)
{
	uint16_t h[2] = { code, (uint16_t)n };

	put(w, h, 4);
	if (n) {
		put(w, v, n);
		pad(w, n);
	}
}

void pcap_w_begin(struct pcap_w *w, FILE *f, const struct ss_model *m)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->m = m;
	for (int i = 0; i < SS_MAX_HOSTS; i++)
		w->ifid[i] = -1;
	/* Section header: byte-order magic, version 1.0, length unknown. */
	uint32_t shb[7] = { BT_SHB, 28, 0x1a2b3c4d, 1, 0xffffffff, 0xffffffff, 28 };
	put(w, shb, sizeof(shb));
}

/* The interface of host, its description block written the first time. */
static uint32_t iface(struct pcap_w *w, int host)
{
	if (host < 0 || host >= SS_MAX_HOSTS)
		host = 0;
	if (w->ifid[host] >= 0)
		return (uint32_t)w->ifid[host];
	char name[80] = "sockscope";
	if (host < w->m->nhosts)
		ss_host_name(w->m, host, name, sizeof(name));
	size_t n = strlen(name);
	uint32_t len = (uint32_t)(16 + 4 + padded(n) + 4 + 4 + 4 + 4);
	uint32_t head[4] = { BT_IDB, len, LINKTYPE_RAW, 0 /* no snap length */ };
	uint8_t tsresol = 9; /* nanoseconds */

	put(w, head, sizeof(head));
	option(w, IF_NAME, name, n);
	option(w, IF_TSRESOL, &tsresol, 1);
	option(w, OPT_END, NULL, 0);
	put32(w, len);
	w->ifid[host] = w->nif++;
	return (uint32_t)w->ifid[host];
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The IP header before an l4 header of hlen bytes and a payload of len:
 * into buf, returning its length. */
static size_t ip_header(struct pcap_w *w, uint8_t *buf, const struct pcap_ep *src,
			const struct pcap_ep *dst, int proto, size_t hlen, uint64_t len)
{
	if (src->v6) {
		uint32_t vtc = htonl(6u << 28);
		uint16_t plen = htons((uint16_t)(hlen + len));
		memcpy(buf, &vtc, 4);
		memcpy(buf + 4, &plen, 2);
		buf[6] = (uint8_t)proto;
		buf[7] = 64; /* hop limit */
		memcpy(buf + 8, src->a, 16);
		memcpy(buf + 24, dst->a, 16);
		return 40;
	}
	uint16_t tot = htons((uint16_t)(20 + hlen + len)), id = htons(w->ipid++), df = htons(0x4000);
	memset(buf, 0, 20);
	buf[0] = 0x45;
	memcpy(buf + 2, &tot, 2);
	memcpy(buf + 4, &id, 2);
	memcpy(buf + 6, &df, 2);
	buf[8] = 64; /* ttl */
	buf[9] = (uint8_t)proto;
	memcpy(buf + 12, src->a, 4);
	memcpy(buf + 16, dst->a, 4);
	uint16_t c = htons(csum(buf, 20));
	memcpy(buf + 10, &c, 2);
	return 20;
}

/* An enhanced packet block: the headers hdr, then the first ndata bytes
 * of the payload, captured of origlen. */
static void packet(struct pcap_w *w, int host, uint64_t ts, const uint8_t *hdr, size_t hlen,
		   const uint8_t *data, size_t ndata, uint64_t origlen, const char *comment)
{
	size_t caplen = hlen + ndata;
	uint32_t id = iface(w, host);
	size_t n = comment ? strlen(comment) : 0;
	if (n > 60000)
		n = 60000;
	uint32_t len = (uint32_t)(28 + padded(caplen) + (n ? 4 + padded(n) : 0) + 4 + 4);

	/* Kept in file order: a later event of another stream may carry an
	 * earlier time by a few ns (the muxer orders by the event's time). */
	if (ts < w->last_ts)
		ts = w->last_ts;
	w->last_ts = ts;
	uint32_t head[7] = { BT_EPB, len, id, (uint32_t)(ts >> 32), (uint32_t)ts,
			     (uint32_t)caplen, (uint32_t)origlen };
	put(w, head, sizeof(head));
	put(w, hdr, hlen);
	if (ndata)
		put(w, data, ndata);
	pad(w, caplen);
	if (n)
		option(w, OPT_COMMENT, comment, n);
	option(w, OPT_END, NULL, 0);
	put32(w, len);
}

void pcap_w_tcp(struct pcap_w *w, int host, uint64_t ts, const struct pcap_ep *src,
		const struct pcap_ep *dst, uint32_t seq, uint32_t ack, int flags, uint64_t len,
		const uint8_t *data, size_t ndata, const char *comment)
{
	uint8_t buf[40 + 28];
	/* A SYN offers the MSS and a window scale (14: the window never
	 * fills, as nothing is known of the receivers' buffers). */
	size_t th = flags & PCAP_SYN ? 28 : 20;
	size_t ih = ip_header(w, buf, src, dst, 6, th, len);
	uint8_t *t = buf + ih;
	uint16_t sp = htons(src->port), dp = htons(dst->port), win = htons(0xffff);
	uint32_t s = htonl(seq), a = htonl(flags & PCAP_ACK ? ack : 0);

	memset(t, 0, th);
	memcpy(t, &sp, 2);
	memcpy(t + 2, &dp, 2);
	memcpy(t + 4, &s, 4);
	memcpy(t + 8, &a, 4);
	t[12] = (uint8_t)(th / 4 << 4);
	t[13] = (uint8_t)flags;
	memcpy(t + 14, &win, 2);
	if (th > 20) {
		uint16_t mss = htons(src->v6 ? PCAP_TCP_MAX - 20 : PCAP_TCP_MAX);
		t[20] = 2, t[21] = 4; /* MSS */
		memcpy(t + 22, &mss, 2);
		t[24] = 1; /* NOP */
		t[25] = 3, t[26] = 3, t[27] = 14; /* window scale */
	}
	packet(w, host, ts, buf, ih + th, data, ndata, ih + th + len, comment);
}

void pcap_w_udp(struct pcap_w *w, int host, uint64_t ts, const struct pcap_ep *src,
		const struct pcap_ep *dst, uint64_t len, const uint8_t *data, size_t ndata,
		const char *comment)
{
	uint8_t buf[40 + 8];
	size_t ih = ip_header(w, buf, src, dst, 17, 8, len);
	uint16_t sp = htons(src->port), dp = htons(dst->port), ul = htons((uint16_t)(8 + len));

	memcpy(buf + ih, &sp, 2);
	memcpy(buf + ih + 2, &dp, 2);
	memcpy(buf + ih + 4, &ul, 2);
	memset(buf + ih + 6, 0, 2); /* no checksum (optional over IPv4; the payload may be
				    * missing) */
	packet(w, host, ts, buf, ih + 8, data, ndata, ih + 8 + len, comment);
}
