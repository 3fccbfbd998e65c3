// SPDX-License-Identifier: MIT
/*
 * Wrappers of the name-service calls.  Each records what was asked (query)
 * and what came back (result): every answer, distinct ones once, then
 * their number, e.g. "127.0.0.1 127.0.0.2 (2)" (bounded: the answers that
 * fit in SS_TEXT, then "..." and still the number of all), or the
 * failure's name ("HOST_NOT_FOUND", "EAI_NONAME").  Calls returning a pointer record ret 0 for an answer and
 * -1 for none; the others their own return value.  The wrappers are one
 * table (SS_DNS_MAP); the functions above it say how to put a query and a
 * result into words.
 */
#include "preload.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SS_TEXT 320

static void textf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void textf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, SS_TEXT, fmt, ap);
	va_end(ap);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/*
 * A list of answers in a result text: each added while it fits with room
 * left for the tail (" ... (N)"), then "..." once; all are counted.
 */
struct answers {
	char *buf;
	size_t len;
	int n, cut;
};

#define SS_TAIL 20 /* " ... (" + a count + ")" */

static void answer_add(struct answers *a, const char *text)
{
	size_t t = strlen(text);

	a->n++;
	if (a->cut || a->len + (a->len > 0) + t + SS_TAIL >= SS_TEXT) {
		a->cut = 1;
		return;
	}
	if (a->len)
		a->buf[a->len++] = ' ';
	memcpy(a->buf + a->len, text, t + 1);
	a->len += t;
}

static void answers_end(struct answers *a)
{
	snprintf(a->buf + a->len, SS_TEXT - a->len, "%s (%d)", a->cut ? " ..." : "", a->n);
}

/* A hostent as its addresses and their count, or the h_errno name. */
static void hostent_text(char *buf, const struct hostent *h, int herr)
{
	char ip[SS_ADDR_TEXT];
	struct answers a = { buf, 0, 0, 0 };

	if (!h || !h->h_addr_list || !h->h_addr_list[0]) {
		const char *name = ss_herrno_name(herr);
		if (name)
			textf(buf, "%s", name);
		else
			textf(buf, "h_errno %d", herr);
		return;
	}
	buf[0] = '\0';
	for (char **p = h->h_addr_list; *p; p++) {
		ss_ip_format(h->h_addrtype, *p, ip);
		answer_add(&a, ip);
	}
	answers_end(&a);
}

/* The query of gethostbyaddr: the address alone.  A failed lookup's is
 * as worth knowing, so the address is read then too, safely (trusted:
 * the call succeeded, so it was readable). */
static void addr_query(char *buf, const void *addr, socklen_t len, int type, int trusted)
{
	unsigned char copy[16];
	size_t need = type == AF_INET ? 4 : type == AF_INET6 ? 16 : 0;
	char ip[SS_ADDR_TEXT];

	if (!addr || len < need || (need && ss_peek(copy, addr, need, trusted) != need)) {
		textf(buf, "(invalid)");
		return;
	}
	ss_ip_format(type, copy, ip);
	textf(buf, "%s", ip);
}

/* The result of a _r call: its error, or the hostent and its h_errno. */
static void host_r_text(char *buf, int r, struct hostent **result, const int *herrp)
{
	if (r)
		textf(buf, "%s", nz(ss_errno_name(r)));
	else
		hostent_text(buf, result ? *result : NULL, herrp ? *herrp : 0);
}

/* gethostbyaddr's result: the name found and its aliases, or why none
 * was. */
static void byaddr_text(char *buf, const struct hostent *h, int r, int herr)
{
	struct answers a = { buf, 0, 0, 0 };

	if (h) {
		buf[0] = '\0';
		answer_add(&a, nz(h->h_name));
		for (char **p = h->h_aliases; p && *p; p++)
			answer_add(&a, *p);
		answers_end(&a);
	} else if (r)
		textf(buf, "%s", nz(ss_errno_name(r)));
	else
		hostent_text(buf, NULL, herr);
}

static void hostname_text(char *buf, int r, const char *name, size_t len, int err)
{
	if (r == 0)
		textf(buf, "%.*s", (int)strnlen(name, len), name);
	else
		textf(buf, "%s", nz(ss_errno_name(err)));
}

/* A servent as what was not asked: the port of a name, the name of a
 * port; or the failure. */
static void servent_text(char *buf, const struct servent *s, int by_port)
{
	if (!s)
		textf(buf, "not found");
	else if (by_port)
		textf(buf, "%s", nz(s->s_name));
	else
		textf(buf, "%d", ntohs((uint16_t)s->s_port));
}

/* The result of a getserv*_r call: its error, or the servent. */
static void servent_r_text(char *buf, int r, struct servent **result, int by_port)
{
	if (r)
		textf(buf, "%s", nz(ss_errno_name(r)));
	else
		servent_text(buf, result ? *result : NULL, by_port);
}

static void eai_text(char *buf, int r)
{
	if (ss_eai_name(r))
		textf(buf, "%s", ss_eai_name(r));
	else
		textf(buf, "EAI %d", r);
}

/* Whether ai's address came earlier in the list (getaddrinfo gives one
 * entry per socket type: the same address two or three times). */
static int addr_seen(const struct addrinfo *first, const struct addrinfo *ai)
{
	for (const struct addrinfo *p = first; p != ai; p = p->ai_next)
		if (p->ai_addrlen == ai->ai_addrlen && p->ai_addr && ai->ai_addr &&
		    !memcmp(p->ai_addr, ai->ai_addr, ai->ai_addrlen))
			return 1;
	return 0;
}

/* getaddrinfo's answers: each address as an endpoint, and their number. */
static void addrinfo_text(char *buf, int r, struct addrinfo **res)
{
	struct ss_endpoint ep;
	struct answers a = { buf, 0, 0, 0 };

	if (r || !res || !*res) {
		eai_text(buf, r);
		return;
	}
	buf[0] = '\0';
	for (const struct addrinfo *ai = *res; ai; ai = ai->ai_next) {
		if (addr_seen(*res, ai))
			continue;
		ss_addr_format(ai->ai_addr, ai->ai_addrlen, &ep);
		answer_add(&a, ep.text);
	}
	answers_end(&a);
}

/* getnameinfo's query is the address it was given. */
static void nameinfo_query(char *buf, const struct sockaddr *sa, socklen_t salen, int trusted)
{
	struct ss_ep ep;

	textf(buf, "%s", ss_ep_decode(&ep, sa, salen, trusted)->text);
}

static void nameinfo_text(char *buf, int r, const char *host, socklen_t hostlen,
			  const char *serv, socklen_t servlen)
{
	if (r) {
		eai_text(buf, r);
		return;
	}
	textf(buf, "%s%s%s", host && hostlen ? host : "", serv && servlen ? " " : "",
	      serv && servlen ? serv : "");
}

/*
 * A name-service wrapper: the real call's result is `r`; the event records
 * `ret` and, when `failed`, errno; `query` and `result` are expressions
 * (parenthesised) that fill the texts q and res.  errno and h_errno reach
 * the caller as the call left them.
 */
#define SS_DNS_WRAPPER(type, fn, params, args, ret, failed, query, result) \
	SS_WRAPPER(type, fn, params, args, SS_ENABLED(fn))                \
	{                                                                 \
		struct ss_call c;                                         \
		char q[SS_TEXT], res[SS_TEXT];                            \
		ss_call_begin(&c, -1, 0);                                 \
		type r = REAL(fn) args;                                   \
		ss_call_end(&c, (ret), (failed));                         \
		uint64_t end = c.on ? ss_now() : 0;                       \
		int herr = h_errno;                                       \
		query;                                                    \
		result;                                                   \
		SS_EMIT(&c, fn, q, res, end - c.b.start_ns);              \
		h_errno = herr;                                           \
		return r;                                                 \
	}

#define SS_HOSTENT_R struct hostent *ret, char *buf, size_t buflen, struct hostent **result, \
	int *herrp
#define SS_SERVENT_R struct servent *ret, char *buf, size_t buflen, struct servent **result

SS_DNS_WRAPPER(struct hostent *, gethostbyname, (const char *name), (name), r ? 0 : -1, 0,
	       (textf(q, "%s", nz(name))), (hostent_text(res, r, herr)))
SS_DNS_WRAPPER(struct hostent *, gethostbyname2, (const char *name, int af), (name, af),
	       r ? 0 : -1, 0, (textf(q, "%s %s", nz(name), nz(ss_af_name(af)))),
	       (hostent_text(res, r, herr)))
SS_DNS_WRAPPER(int, gethostbyname_r, (const char *name, SS_HOSTENT_R),
	       (name, ret, buf, buflen, result, herrp), r, r != 0, (textf(q, "%s", nz(name))),
	       (host_r_text(res, r, result, herrp)))
SS_DNS_WRAPPER(int, gethostbyname2_r, (const char *name, int af, SS_HOSTENT_R),
	       (name, af, ret, buf, buflen, result, herrp), r, r != 0,
	       (textf(q, "%s %s", nz(name), nz(ss_af_name(af)))),
	       (host_r_text(res, r, result, herrp)))
SS_DNS_WRAPPER(struct hostent *, gethostbyaddr, (const void *addr, socklen_t len, int type),
	       (addr, len, type), r ? 0 : -1, 0, (addr_query(q, addr, len, type, r != NULL)),
	       (byaddr_text(res, r, 0, herr)))
SS_DNS_WRAPPER(int, gethostbyaddr_r, (const void *addr, socklen_t len, int type, SS_HOSTENT_R),
	       (addr, len, type, ret, buf, buflen, result, herrp), r, r != 0,
	       (addr_query(q, addr, len, type, !r && result && *result)),
	       (byaddr_text(res, !r && result ? *result : NULL, r, herrp ? *herrp : 0)))
SS_DNS_WRAPPER(int, gethostname, (char *name, size_t len), (name, len), r, r < 0, (q[0] = '\0'),
	       (hostname_text(res, r, name, len, c.saved_errno)))
SS_DNS_WRAPPER(struct servent *, getservbyname, (const char *name, const char *proto),
	       (name, proto), r ? 0 : -1, 0, (textf(q, "%s/%s", nz(name), proto ? proto : "*")),
	       (servent_text(res, r, 0)))
SS_DNS_WRAPPER(int, getservbyname_r, (const char *name, const char *proto, SS_SERVENT_R),
	       (name, proto, ret, buf, buflen, result), r, r != 0,
	       (textf(q, "%s/%s", nz(name), proto ? proto : "*")),
	       (servent_r_text(res, r, result, 0)))
/* getservbyport: the port is in network order, as in struct servent. */
SS_DNS_WRAPPER(struct servent *, getservbyport, (int port, const char *proto), (port, proto),
	       r ? 0 : -1, 0, (textf(q, "%d/%s", ntohs((uint16_t)port), proto ? proto : "*")),
	       (servent_text(res, r, 1)))
SS_DNS_WRAPPER(int, getservbyport_r, (int port, const char *proto, SS_SERVENT_R),
	       (port, proto, ret, buf, buflen, result), r, r != 0,
	       (textf(q, "%d/%s", ntohs((uint16_t)port), proto ? proto : "*")),
	       (servent_r_text(res, r, result, 1)))
SS_DNS_WRAPPER(int, getaddrinfo,
	       (const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **ai),
	       (node, service, hints, ai), r, r == EAI_SYSTEM,
	       (textf(q, "%s%s%s", nz(node), service ? " " : "", nz(service))),
	       (addrinfo_text(res, r, ai)))
SS_DNS_WRAPPER(int, getnameinfo,
	       (const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		char *serv, socklen_t servlen, int flags),
	       (sa, salen, host, hostlen, serv, servlen, flags), r, r == EAI_SYSTEM,
	       (nameinfo_query(q, sa, salen, r == 0)),
	       (nameinfo_text(res, r, host, hostlen, serv, servlen)))
