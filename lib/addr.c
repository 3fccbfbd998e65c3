// SPDX-License-Identifier: MIT
/*
 * Addresses as the socket module represents them: a path for AF_UNIX, a
 * (host, port) pair for AF_INET and AF_INET6.  Going in, a host is parsed
 * as a literal when it is one and resolved with getaddrinfo otherwise;
 * coming out, sockaddr bytes are turned into text by the shared decoder
 * (common/ss_addr.c), and host and port are read off that text.
 */
#include "lib.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

void ss__hostport(char *buf, size_t size, int family, const char *host, int port)
{
	if (!host)
		host = "";
	if (family == AF_UNIX)
		snprintf(buf, size, "%s", host);
	else if (strchr(host, ':'))
		snprintf(buf, size, "[%s]:%d", host, port);
	else
		snprintf(buf, size, "%s:%d", host, port);
}

void ss__sockaddr_set(struct ss__sockaddr *out, const void *sa, socklen_t len)
{
	struct ss_endpoint ep;

	if (len > sizeof(out->sa))
		len = sizeof(out->sa);
	memcpy(&out->sa, sa, len);
	out->len = len;
	ss_addr_format(&out->sa, len, &ep);
	memcpy(out->text, ep.text, sizeof(out->text));
}

/* A unix path, "@name" for Linux's abstract namespace; "" leaves the
 * address unnamed (bind then picks an abstract name). */
static int unix_addr(struct ss__call *c, struct ss_error *err, const char *op, const char *path,
		     struct ss__sockaddr *out)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	size_t n = path ? strlen(path) : 0;
	int abstract = n && path[0] == '@';
	socklen_t len = (socklen_t)offsetof(struct sockaddr_un, sun_path);

	/* A path needs its NUL inside sun_path; an abstract name does not. */
	if (n + !abstract > sizeof(un.sun_path))
		return ss__fail(c, err, 0, op, path, "AF_UNIX path too long");
	if (n) {
		memcpy(un.sun_path, path, n);
		if (abstract)
			un.sun_path[0] = '\0';
		len += (socklen_t)(n + !abstract);
	}
	ss__sockaddr_set(out, &un, len);
	return 0;
}

/* A literal address of family into sa, port set: 1, or 0 if host is not
 * one.  "" and NULL are the any address, "<broadcast>" INADDR_BROADCAST. */
static int literal(int family, const char *host, int port, struct sockaddr_storage *sa,
		   socklen_t *len)
{
	memset(sa, 0, sizeof(*sa));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof(*in);
		if (!host || !*host)
			in->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (!strcmp(host, "<broadcast>"))
			in->sin_addr.s_addr = htonl(INADDR_BROADCAST);
		else
			return inet_pton(AF_INET, host, &in->sin_addr) == 1;
		return 1;
	}
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons((uint16_t)port);
	*len = sizeof(*in6);
	if (!host || !*host)
		return 1; /* in6addr_any is all zeros */
	return inet_pton(AF_INET6, host, &in6->sin6_addr) == 1;
}

/* A failure of ss__resolve: code and text as ss__fail's, or eai as
 * ss__gai_fail's; the error names the place as "host:port", formatted only
 * now since a resolution that succeeds has no use for it. */
static int resolve_fail(struct ss__call *c, struct ss_error *err, const char *op, int family,
			const char *host, int port, int code, const char *text, int eai)
{
	char what[SS_HOST_MAX + 16];
	int saved = errno; /* EAI_SYSTEM's */

	ss__hostport(what, sizeof(what), family, host, port);
	errno = saved;
	if (eai)
		return ss__gai_fail(c, err, eai, op, what);
	return ss__fail(c, err, code, op, what, text);
}

int ss__resolve(struct ss__call *c, struct ss_error *err, const char *op, int family, int type,
		const char *host, int port, struct ss__sockaddr *out)
{
	struct sockaddr_storage sa;
	socklen_t len;

	if (family == AF_UNIX)
		return unix_addr(c, err, op, host, out);
	if (family != AF_INET && family != AF_INET6)
		return resolve_fail(c, err, op, family, host, port, EAFNOSUPPORT, NULL, 0);
	if (port < 0 || port > 65535)
		return resolve_fail(c, err, op, family, host, port, 0, "port must be 0-65535", 0);
	if (!literal(family, host, port, &sa, &len)) {
		/* A name, or an IPv6 literal with a scope ("fe80::1%eth0"). */
		struct addrinfo hints = { .ai_family = family, .ai_socktype = type }, *res;
		int eai = getaddrinfo(host, NULL, &hints, &res);
		if (eai)
			return resolve_fail(c, err, op, family, host, port, 0, NULL, eai);
		len = res->ai_addrlen < sizeof(sa) ? res->ai_addrlen : sizeof(sa);
		memcpy(&sa, res->ai_addr, len);
		freeaddrinfo(res);
		/* Same offset in sockaddr_in and sockaddr_in6. */
		((struct sockaddr_in *)&sa)->sin_port = htons((uint16_t)port);
	}
	ss__sockaddr_set(out, &sa, len);
	return 0;
}

/* Copy src, up to its NUL or n bytes, into dst of size bytes. */
static void copy_text(char *dst, size_t size, const char *src, size_t n)
{
	n = strnlen(src, n);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void ss__address(struct ss_address *a, const void *sa, socklen_t len)
{
	struct ss_endpoint ep;

	ss_addr_format(len ? sa : NULL, len, &ep);
	a->family = len ? ep.family : AF_UNSPEC;
	a->port = ep.port;
	copy_text(a->text, sizeof(a->text), len ? ep.text : "", sizeof(a->text));
	a->host[0] = '\0';
	switch (a->family) {
	case AF_INET: { /* "127.0.0.1:80", or "(truncated)" */
		const char *colon = strrchr(ep.text, ':');
		copy_text(a->host, sizeof(a->host), ep.text, colon ? (size_t)(colon - ep.text) : 0);
		break;
	}
	case AF_INET6: /* "[::1]:80", or "(truncated)" */
		if (ep.text[0] == '[')
			copy_text(a->host, sizeof(a->host), ep.text + 1, strcspn(ep.text + 1, "]"));
		break;
	case AF_UNIX: {
		/* The raw path, not the decoder's escaped text: a caller may
		 * pass it back to ss_connect. */
		const struct sockaddr_un *un = sa;
		size_t off = offsetof(struct sockaddr_un, sun_path);
		size_t n = len > off ? len - off : 0;
		if (n > sizeof(un->sun_path))
			n = sizeof(un->sun_path);
		if (n && un->sun_path[0] == '\0') {
			a->host[0] = '@';
			copy_text(a->host + 1, sizeof(a->host) - 1, un->sun_path + 1, n - 1);
		} else {
			copy_text(a->host, sizeof(a->host), un->sun_path, n);
		}
		break;
	}
	default:
		copy_text(a->host, sizeof(a->host), a->text, sizeof(a->text));
	}
}

int ss__split(const char *hp, char *host, size_t size, const char **port, int *family)
{
	const char *colon = NULL;
	size_t n;

	*family = AF_UNSPEC;
	*port = NULL;
	if (!hp)
		return -1;
	if (hp[0] == '/' || hp[0] == '@') {
		*family = AF_UNIX;
		n = strlen(hp);
	} else if (hp[0] == '[') {
		const char *close = strchr(hp, ']');
		if (!close || close[1] != ':')
			return -1;
		hp++;
		n = (size_t)(close - hp);
		colon = close + 1;
		*family = AF_INET6;
	} else {
		colon = strrchr(hp, ':');
		/* A bare IPv6 literal needs brackets to tell its port apart. */
		if (!colon || memchr(hp, ':', (size_t)(colon - hp)))
			return -1;
		n = (size_t)(colon - hp);
	}
	if (n >= size)
		return -1;
	memcpy(host, hp, n);
	host[n] = '\0';
	if (*family != AF_UNIX) {
		*port = colon + 1;
		if (!**port)
			return -1;
	}
	return 0;
}
