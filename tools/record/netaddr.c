// SPDX-License-Identifier: MIT
/*
 * The HOST[:PORT] arguments of `record --relay` and `relay --listen`, in
 * the form LTTng's URLs take them (an IPv6 address in brackets, RFC 2732),
 * and a TCP connect bounded in time.  record connects to the relay itself
 * before asking the session daemon to: the daemon's own connect has no
 * timeout of its own (only LTTNG_NETWORK_SOCKET_TIMEOUT in the daemon's
 * environment, which is not ours to set), so a relay that does not answer
 * would hang the recording where this gives one clear line instead.
 */
#include "record/netaddr.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int ss_parse_hostport(const char *s, unsigned def, unsigned ports, struct ss_hostport *hp,
		      char *why, size_t size)
{
	const char *end, *rest;

	memset(hp, 0, sizeof(*hp));
	hp->port = def;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end || end == s + 1) {
			snprintf(why, size, "'%s': an IPv6 address goes in brackets: [ADDR]:PORT",
				 s);
			return -1;
		}
		s++;
		rest = end + 1;
		hp->bracketed = 1;
	} else {
		end = strchr(s, ':');
		if (end && strchr(end + 1, ':')) {
			snprintf(why, size, "'%s': put an IPv6 address in brackets: [%s]", s, s);
			return -1;
		}
		rest = end ? end : s + strlen(s);
		end = rest;
	}
	if (end == s || (size_t)(end - s) >= sizeof(hp->host)) {
		snprintf(why, size, "'%s': no host name or address", s);
		return -1;
	}
	memcpy(hp->host, s, (size_t)(end - s));
	if (*rest == ':') {
		char *e;
		errno = 0;
		unsigned long v = strtoul(rest + 1, &e, 10);
		if (!rest[1] || *e || errno || rest[1] == '-' || rest[1] == '+' || v == 0 ||
		    v + ports - 1 > 65535) {
			snprintf(why, size, "'%s': not a port from 1 to %u", rest + 1,
				 65536 - ports);
			return -1;
		}
		hp->port = (unsigned)v;
	} else if (*rest) {
		snprintf(why, size, "'%s': expected ':PORT' after the address", rest);
		return -1;
	}
	return 0;
}

/* Connect fd to a within timeout_ms: 0, or an errno value. */
static int connect_within(int fd, const struct addrinfo *a, int timeout_ms)
{
	int err = 0;
	socklen_t len = sizeof(err);
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	int n;
	while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (n == 0)
		return ETIMEDOUT;
	if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

int ss_tcp_probe(const char *host, unsigned port, int timeout_ms, char *num, size_t numsize,
		 int *v6, char *why, size_t size)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	char service[16];
	int err = 0;

	snprintf(service, sizeof(service), "%u", port);
	int rc = getaddrinfo(host, service, &hints, &res);
	if (rc) {
		snprintf(why, size, "%s: %s", host,
			 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err = errno;
			continue;
		}
		err = connect_within(fd, a, timeout_ms);
		close(fd);
		if (!err) {
			getnameinfo(a->ai_addr, a->ai_addrlen, num, (socklen_t)numsize, NULL, 0,
				    NI_NUMERICHOST);
			*v6 = a->ai_family == AF_INET6;
			freeaddrinfo(res);
			return 0;
		}
	}
	freeaddrinfo(res);
	if (err == ETIMEDOUT)
		snprintf(why, size, "no answer within %d s", timeout_ms / 1000);
	else
		snprintf(why, size, "%s", strerror(err));
	return -1;
}
