// SPDX-License-Identifier: MIT
/*
 * Wrappers of the name-service calls.  Each records what was asked (query)
 * and what came back (result): the first answer and the number of answers,
 * e.g. "127.0.0.1 (2)", or the failure's name ("HOST_NOT_FOUND",
 * "EAI_NONAME").  Calls returning a pointer record ret 0 for an answer and
 * -1 for none; the others their own return value.
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

/* Emit a name-service event; keeps errno and h_errno as the call left them. */
#define SS_DNS_EMIT(c, ev, query, result)                                   \
	do {                                                                \
		int herr_ = h_errno;                                        \
		SS_EMIT(c, ev, query, result);                              \
		h_errno = herr_;                                            \
	} while (0)

/* The four gethostbyname* entry points: X(name, (params), (args), family). */
SS_EXPORT struct hostent *gethostbyname(const char *name)
{
	if (!SS_ENTER(gethostbyname))
		return REAL(gethostbyname)(name);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	struct hostent *h = REAL(gethostbyname)(name);
	ss_call_end(&c, h ? 0 : -1, 0);
	textf(q, "%s", nz(name));
	hostent_text(res, h, h_errno);
	SS_DNS_EMIT(&c, gethostbyname, q, res);
	return h;
}

SS_EXPORT struct hostent *gethostbyname2(const char *name, int af)
{
	if (!SS_ENTER(gethostbyname2))
		return REAL(gethostbyname2)(name, af);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	struct hostent *h = REAL(gethostbyname2)(name, af);
	ss_call_end(&c, h ? 0 : -1, 0);
	textf(q, "%s %s", nz(name), nz(ss_af_name(af)));
	hostent_text(res, h, h_errno);
	SS_DNS_EMIT(&c, gethostbyname2, q, res);
	return h;
}

SS_EXPORT int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
			      struct hostent **result, int *herrp)
{
	if (!SS_ENTER(gethostbyname_r))
		return REAL(gethostbyname_r)(name, ret, buf, buflen, result, herrp);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(gethostbyname_r)(name, ret, buf, buflen, result, herrp);
	ss_call_end(&c, r, r != 0);
	textf(q, "%s", nz(name));
	if (r)
		textf(res, "%s", nz(ss_errno_name(r)));
	else
		hostent_text(res, result ? *result : NULL, herrp ? *herrp : 0);
	SS_DNS_EMIT(&c, gethostbyname_r, q, res);
	return r;
}

SS_EXPORT int gethostbyname2_r(const char *name, int af, struct hostent *ret, char *buf,
			       size_t buflen, struct hostent **result, int *herrp)
{
	if (!SS_ENTER(gethostbyname2_r))
		return REAL(gethostbyname2_r)(name, af, ret, buf, buflen, result, herrp);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(gethostbyname2_r)(name, af, ret, buf, buflen, result, herrp);
	ss_call_end(&c, r, r != 0);
	textf(q, "%s %s", nz(name), nz(ss_af_name(af)));
	if (r)
		textf(res, "%s", nz(ss_errno_name(r)));
	else
		hostent_text(res, result ? *result : NULL, herrp ? *herrp : 0);
	SS_DNS_EMIT(&c, gethostbyname2_r, q, res);
	return r;
}

SS_EXPORT struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type)
{
	if (!SS_ENTER(gethostbyaddr))
		return REAL(gethostbyaddr)(addr, len, type);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	struct hostent *h = REAL(gethostbyaddr)(addr, len, type);
	ss_call_end(&c, h ? 0 : -1, 0);
	addr_query(q, addr, len, type, h != NULL);
	if (h)
		textf(res, "%s", nz(h->h_name));
	else
		hostent_text(res, NULL, h_errno);
	SS_DNS_EMIT(&c, gethostbyaddr, q, res);
	return h;
}

SS_EXPORT int gethostbyaddr_r(const void *addr, socklen_t len, int type, struct hostent *ret,
			      char *buf, size_t buflen, struct hostent **result, int *herrp)
{
	if (!SS_ENTER(gethostbyaddr_r))
		return REAL(gethostbyaddr_r)(addr, len, type, ret, buf, buflen, result, herrp);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(gethostbyaddr_r)(addr, len, type, ret, buf, buflen, result, herrp);
	ss_call_end(&c, r, r != 0);
	struct hostent *h = !r && result ? *result : NULL;
	addr_query(q, addr, len, type, h != NULL);
	if (h)
		textf(res, "%s", nz(h->h_name));
	else if (r)
		textf(res, "%s", nz(ss_errno_name(r)));
	else
		hostent_text(res, NULL, herrp ? *herrp : 0);
	SS_DNS_EMIT(&c, gethostbyaddr_r, q, res);
	return r;
}

SS_EXPORT int gethostname(char *name, size_t len)
{
	if (!SS_ENTER(gethostname))
		return REAL(gethostname)(name, len);
	struct ss_call c;
	char res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(gethostname)(name, len);
	ss_call_end(&c, r, r < 0);
	if (r == 0)
		textf(res, "%.*s", (int)strnlen(name, len), name);
	else
		textf(res, "%s", nz(ss_errno_name(c.saved_errno)));
	SS_DNS_EMIT(&c, gethostname, "", res);
	return r;
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

/* The result of a _r variant: its error, or the servent. */
static void servent_r_text(char *buf, int r, struct servent **result, int by_port)
{
	if (r)
		textf(buf, "%s", nz(ss_errno_name(r)));
	else
		servent_text(buf, result ? *result : NULL, by_port);
}

SS_EXPORT struct servent *getservbyname(const char *name, const char *proto)
{
	if (!SS_ENTER(getservbyname))
		return REAL(getservbyname)(name, proto);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	struct servent *s = REAL(getservbyname)(name, proto);
	ss_call_end(&c, s ? 0 : -1, 0);
	textf(q, "%s/%s", nz(name), proto ? proto : "*");
	servent_text(res, s, 0);
	SS_EMIT(&c, getservbyname, q, res);
	return s;
}

SS_EXPORT int getservbyname_r(const char *name, const char *proto, struct servent *ret,
			      char *buf, size_t buflen, struct servent **result)
{
	if (!SS_ENTER(getservbyname_r))
		return REAL(getservbyname_r)(name, proto, ret, buf, buflen, result);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(getservbyname_r)(name, proto, ret, buf, buflen, result);
	ss_call_end(&c, r, r != 0);
	textf(q, "%s/%s", nz(name), proto ? proto : "*");
	servent_r_text(res, r, result, 0);
	SS_EMIT(&c, getservbyname_r, q, res);
	return r;
}

/* getservbyport: the port is in network order, as in struct servent. */
SS_EXPORT struct servent *getservbyport(int port, const char *proto)
{
	if (!SS_ENTER(getservbyport))
		return REAL(getservbyport)(port, proto);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	struct servent *s = REAL(getservbyport)(port, proto);
	ss_call_end(&c, s ? 0 : -1, 0);
	textf(q, "%d/%s", ntohs((uint16_t)port), proto ? proto : "*");
	servent_text(res, s, 1);
	SS_EMIT(&c, getservbyport, q, res);
	return s;
}

SS_EXPORT int getservbyport_r(int port, const char *proto, struct servent *ret, char *buf,
			      size_t buflen, struct servent **result)
{
	if (!SS_ENTER(getservbyport_r))
		return REAL(getservbyport_r)(port, proto, ret, buf, buflen, result);
	struct ss_call c;
	char q[SS_TEXT], res[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(getservbyport_r)(port, proto, ret, buf, buflen, result);
	ss_call_end(&c, r, r != 0);
	textf(q, "%d/%s", ntohs((uint16_t)port), proto ? proto : "*");
	servent_r_text(res, r, result, 1);
	SS_EMIT(&c, getservbyport_r, q, res);
	return r;
}

SS_EXPORT int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
			  struct addrinfo **res)
{
	if (!SS_ENTER(getaddrinfo))
		return REAL(getaddrinfo)(node, service, hints, res);
	struct ss_call c;
	char q[SS_TEXT], out[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(getaddrinfo)(node, service, hints, res);
	ss_call_end(&c, r, r == EAI_SYSTEM);
	textf(q, "%s%s%s", node ? node : "", service ? " " : "", service ? service : "");
	if (r == 0 && res && *res) {
		struct ss_endpoint ep;
		int n = 0;
		for (const struct addrinfo *ai = *res; ai; ai = ai->ai_next)
			n++;
		ss_addr_format((*res)->ai_addr, (*res)->ai_addrlen, &ep);
		textf(out, "%s (%d)", ep.text, n);
	} else {
		const char *name = ss_eai_name(r);
		if (name)
			textf(out, "%s", name);
		else
			textf(out, "EAI %d", r);
	}
	SS_EMIT(&c, getaddrinfo, q, out);
	return r;
}

SS_EXPORT int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
			  socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
	if (!SS_ENTER(getnameinfo))
		return REAL(getnameinfo)(sa, salen, host, hostlen, serv, servlen, flags);
	struct ss_call c;
	struct ss_ep ep;
	char out[SS_TEXT];
	ss_call_begin(&c, -1, 0);
	int r = REAL(getnameinfo)(sa, salen, host, hostlen, serv, servlen, flags);
	ss_call_end(&c, r, r == EAI_SYSTEM);
	ss_ep_decode(&ep, sa, salen, r == 0);
	if (r == 0)
		textf(out, "%s%s%s", host && hostlen ? host : "", serv && servlen ? " " : "",
		      serv && servlen ? serv : "");
	else
		textf(out, "%s", ss_eai_name(r) ? ss_eai_name(r) : "EAI");
	SS_EMIT(&c, getnameinfo, ep.tp.text, out);
	return r;
}
