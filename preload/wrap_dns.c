// SPDX-License-Identifier: MIT
/*
 * Wrappers of the name-service calls.  Each records what was asked (query)
 * and what came back (result): the first answer and the number of answers,
 * e.g. "127.0.0.1 (2)", or the failure's name ("HOST_NOT_FOUND",
 * "EAI_NONAME").  Calls returning a pointer record ret 0 for an answer and
 * -1 for none; the others their own return value.  The wrappers are one
 * table (SS_DNS_MAP); the functions above it say how to put a query and a
 * result into words.
 */
#include "preload.h"

#include <stdarg.h>
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

/* A hostent as "first-address (count)", or the h_errno name. */
static void hostent_text(char *buf, const struct hostent *h, int herr)
{
	char ip[SS_ADDR_TEXT];
	int n = 0;

	if (!h || !h->h_addr_list || !h->h_addr_list[0]) {
		const char *name = ss_herrno_name(herr);
		if (name)
			textf(buf, "%s", name);
		else
			textf(buf, "h_errno %d", herr);
		return;
	}
	while (h->h_addr_list[n])
		n++;
	ss_ip_format(h->h_addrtype, h->h_addr_list[0], ip);
	textf(buf, "%s (%d)", ip, n);
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

/* gethostbyaddr's result: the name found, or why none was. */
static void byaddr_text(char *buf, const struct hostent *h, int r, int herr)
{
	if (h)
		textf(buf, "%s", nz(h->h_name));
	else if (r)
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

/* getaddrinfo's answers: the first as an endpoint, and their number. */
static void addrinfo_text(char *buf, int r, struct addrinfo **res)
{
	struct ss_endpoint ep;
	int n = 0;

	if (r || !res || !*res) {
		eai_text(buf, r);
		return;
	}
	for (const struct addrinfo *ai = *res; ai; ai = ai->ai_next)
		n++;
	ss_addr_format((*res)->ai_addr, (*res)->ai_addrlen, &ep);
	textf(buf, "%s (%d)", ep.text, n);
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
		int herr = h_errno;                                       \
		query;                                                    \
		result;                                                   \
		SS_EMIT(&c, fn, q, res);                                  \
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
