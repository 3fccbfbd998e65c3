// SPDX-License-Identifier: MIT
/*
 * The socket module's name-service functions: gethostbyname,
 * gethostname, gethostbyaddr and getservbyname.  All use the reentrant
 * interfaces (getaddrinfo, gethostbyaddr_r, getservbyname_r), so they are
 * safe from any thread; failures to find a name are address errors (code
 * 0, "host not found"), as the socket module reports them.
 */
#include "lib.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copy text into buf of size bytes, or record ERANGE for op on what. */
static int give_text(struct ss__call *c, struct ss_error *err, const char *op, const char *what,
		     const char *text, char *buf, size_t size)
{
	size_t n = strlen(text);

	if (n >= size) {
		errno = ERANGE;
		return ss__sys(c, err, op, what);
	}
	memcpy(buf, text, n + 1);
	return 0;
}

/* An IP address from text (a literal, else a name resolved for family):
 * its family and bytes into *family and addr (room for an in6_addr). */
static int ip_of(struct ss__call *c, struct ss_error *err, const char *op, const char *text,
		 int family, int *out_family, void *addr)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM }, *res;

	if ((family == AF_INET || family == AF_UNSPEC) && inet_pton(AF_INET, text, addr) == 1) {
		*out_family = AF_INET;
		return 0;
	}
	if ((family == AF_INET6 || family == AF_UNSPEC) && inet_pton(AF_INET6, text, addr) == 1) {
		*out_family = AF_INET6;
		return 0;
	}
	int eai = getaddrinfo(text, NULL, &hints, &res);
	if (eai)
		return ss__gai_fail(c, err, eai, op, text);
	*out_family = res->ai_family;
	if (res->ai_family == AF_INET)
		memcpy(addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, sizeof(struct in_addr));
	else
		memcpy(addr, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr,
		       sizeof(struct in6_addr));
	freeaddrinfo(res);
	return 0;
}

SS_API int ss_gethostbyname(const char *name, char *buf, size_t size, struct ss_error *err)
{
	struct ss__call c;
	struct in6_addr addr;
	char ip[SS_ADDR_TEXT];
	int family;

	ss__begin(&c, SS_M_gethostbyname);
	ss__args(&c, "%s", name ? name : "(null)");
	int r = ip_of(&c, err, "gethostbyname", name ? name : "", AF_INET, &family, &addr);
	/* A dotted quad parses and formats back to itself: "returned unchanged". */
	if (!r) {
		ss_ip_format(AF_INET, &addr, ip);
		r = give_text(&c, err, "gethostbyname", name, ip, buf, size);
	}
	return (int)ss__end(&c, NULL, r);
}

SS_API int ss_gethostname(char *buf, size_t size, struct ss_error *err)
{
	struct ss__call c;

	ss__begin(&c, SS_M_gethostname);
	ss__args(&c, "%zu", size);
	int r = gethostname(buf, size);
	if (r < 0)
		ss__sys(&c, err, "gethostname", NULL);
	return (int)ss__end(&c, NULL, r);
}

/* A hostent as one malloc()ed block: the struct, the two NULL-terminated
 * arrays, then the strings, so that free() releases it all. */
static struct ss_hostent *pack(const struct hostent *h)
{
	size_t naliases = 0, naddrs = 0, strings = strlen(h->h_name) + 1;
	char ip[SS_ADDR_TEXT];

	for (; h->h_aliases[naliases]; naliases++)
		strings += strlen(h->h_aliases[naliases]) + 1;
	for (; h->h_addr_list[naddrs]; naddrs++) {
		ss_ip_format(h->h_addrtype, h->h_addr_list[naddrs], ip);
		strings += strlen(ip) + 1;
	}
	struct ss_hostent *he = malloc(sizeof(*he) + (naliases + naddrs + 2) * sizeof(char *) +
				       strings);
	if (!he)
		return NULL;
	he->aliases = (char **)(he + 1);
	he->addrs = he->aliases + naliases + 1;
	char *p = (char *)(he->addrs + naddrs + 1);
	he->name = strcpy(p, h->h_name);
	p += strlen(p) + 1;
	for (size_t i = 0; i < naliases; i++, p += strlen(p) + 1)
		he->aliases[i] = strcpy(p, h->h_aliases[i]);
	he->aliases[naliases] = NULL;
	for (size_t i = 0; i < naddrs; i++, p += strlen(p) + 1) {
		ss_ip_format(h->h_addrtype, h->h_addr_list[i], ip);
		he->addrs[i] = strcpy(p, ip);
	}
	he->addrs[naddrs] = NULL;
	return he;
}

/* A failed gethostbyaddr_r: r is what it returned, herr its h_errno. */
static int lookup_fail(struct ss__call *c, struct ss_error *err, int r, int herr, const char *op,
		       const char *what)
{
	if (r && (herr == NETDB_INTERNAL || !herr))
		return ss__fail(c, err, r, op, what, NULL);
	if (herr == TRY_AGAIN || herr == NO_RECOVERY)
		return ss__fail(c, err, 0, op, what, hstrerror(herr));
	return ss__fail(c, err, 0, op, what, "host not found");
}

SS_API struct ss_hostent *ss_gethostbyaddr(const char *ip, struct ss_error *err)
{
	struct ss__call c;
	struct ss_hostent *result = NULL;
	struct in6_addr addr;
	int family;

	ss__begin(&c, SS_M_gethostbyaddr);
	ss__args(&c, "%s", ip ? ip : "(null)");
	if (ip_of(&c, err, "gethostbyaddr", ip ? ip : "", AF_UNSPEC, &family, &addr) == 0) {
		struct hostent h, *res = NULL;
		char *buf = NULL;
		int herr = 0, r = ERANGE;
		/* Grow the scratch buffer until the answer fits. */
		for (size_t size = 1024; r == ERANGE && size <= 1 << 20; size *= 2) {
			char *bigger = realloc(buf, size);
			if (!bigger) {
				r = ENOMEM;
				break;
			}
			buf = bigger;
			r = gethostbyaddr_r(&addr,
					    family == AF_INET ? sizeof(struct in_addr) :
								sizeof(struct in6_addr),
					    family, &h, buf, size, &res, &herr);
		}
		if (res && !(result = pack(res)))
			ss__fail(&c, err, ENOMEM, "gethostbyaddr", ip, NULL);
		else if (!res)
			lookup_fail(&c, err, r, herr, "gethostbyaddr", ip);
		free(buf);
	}
	ss__end(&c, NULL, result ? 0 : -1);
	return result;
}

SS_API int ss_getservbyname(const char *service, const char *proto, struct ss_error *err)
{
	struct ss__call c;
	struct servent se, *res = NULL;
	char buf[4096], what[256];

	ss__begin(&c, SS_M_getservbyname);
	ss__args(&c, "%s, %s", service ? service : "(null)", proto ? proto : "(null)");
	snprintf(what, sizeof(what), "%s/%s", service ? service : "", proto ? proto : "*");
	int r = service ? getservbyname_r(service, proto, &se, buf, sizeof(buf), &res) : 0;
	int port = res ? ntohs((uint16_t)se.s_port) : -1;
	if (!res)
		ss__fail(&c, err, r, "getservbyname", what, r ? NULL : "service not found");
	return (int)ss__end(&c, NULL, port);
}
