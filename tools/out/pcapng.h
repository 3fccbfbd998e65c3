/* SPDX-License-Identifier: MIT */
/*
 * The pcapng writer of `report --format pcapng` (pcapng_file.c): blocks
 * (section header, one interface per host, enhanced packets with a
 * comment) and the IPv4/IPv6, TCP and UDP headers of the packets that
 * pcapng.c synthesizes from the calls.  Packets carry their headers and
 * the payload bytes recorded (record --payload), if any; the original
 * length counts the whole payload.
 */
#ifndef SS_OUT_PCAPNG_H
#define SS_OUT_PCAPNG_H

#include <stdint.h>
#include <stdio.h>

#include "model/model.h"

/* An IP endpoint, parsed from the model's text ("1.2.3.4:80", "[::1]:80"). */
struct pcap_ep {
	int v6;
	uint8_t a[16]; /* IPv4: the first 4 */
	uint16_t port;
};

/* Parse an endpoint; 0, or -1 when it is not an IP one (unix, "?"). */
int pcap_ep_parse(const char *text, struct pcap_ep *ep);
/* Whether its address is the wildcard (0.0.0.0, ::) or a loopback one. */
int pcap_ep_wildcard(const struct pcap_ep *ep);
int pcap_ep_loopback(const struct pcap_ep *ep);

struct pcap_w {
	FILE *f;
	const struct ss_model *m;
	int ifid[SS_MAX_HOSTS]; /* by host: its interface, -1 until written */
	int nif;
	uint64_t last_ts;
	uint16_t ipid;
};

/* TCP flags. */
#define PCAP_FIN 0x01
#define PCAP_SYN 0x02
#define PCAP_RST 0x04
#define PCAP_PSH 0x08
#define PCAP_ACK 0x10

/* The largest TCP payload (IPv4: its total length is 16 bits) and UDP one. */
#define PCAP_TCP_MAX 65495
#define PCAP_UDP_MAX 65507

/* Start the file: its section header. */
void pcap_w_begin(struct pcap_w *w, FILE *f, const struct ss_model *m);
/* A TCP segment of len bytes, of which the first ndata are data (the rest
 * not captured), from src to dst, seen on the interface of host, at ts
 * (kept in order), with a comment. */
void pcap_w_tcp(struct pcap_w *w, int host, uint64_t ts, const struct pcap_ep *src,
		const struct pcap_ep *dst, uint32_t seq, uint32_t ack, int flags, uint64_t len,
		const uint8_t *data, size_t ndata, const char *comment);
/* A UDP datagram of len bytes, the first ndata of them data. */
void pcap_w_udp(struct pcap_w *w, int host, uint64_t ts, const struct pcap_ep *src,
		const struct pcap_ep *dst, uint64_t len, const uint8_t *data, size_t ndata,
		const char *comment);

#endif
