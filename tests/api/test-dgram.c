// SPDX-License-Identifier: MIT
/*
 * Datagram sockets through libsockscope in AF_INET, AF_INET6 and AF_UNIX:
 * sendto and recvfrom with the sender's address given back in the form
 * sendto takes, MSG_PEEK and MSG_TRUNC on the allocated buffer, unbound
 * unix senders, and sendto's failure paths.
 */
#include "tap.h"

#include <errno.h>

static void exchange(const char *label, int family, const char *host_a, const char *host_b)
{
	struct ss_error err;
	struct ss_address a, from, back;
	struct ss_sock *sa = ss_socket(family, SOCK_DGRAM, 0, &err);
	struct ss_sock *sb = ss_socket(family, SOCK_DGRAM, 0, &err);
	char *data = NULL;

	ok_call(sa && ss_bind(sa, host_a, 0, &err) == 0 && ss_getsockname(sa, &a, &err) == 0, err,
		"%s: bind a", label);
	ok_call(sb && ss_bind(sb, host_b, 0, &err) == 0, err, "%s: bind b", label);
	if (!sa || !sb)
		bail("sockets", &err);
	is_int(ss_sendto(sb, "ping", SS_STRLEN, 0, a.host, a.port, &err), 4,
	       "%s: sendto %s", label, a.text);
	is_int(ss_recvfrom(sa, 100, MSG_PEEK, &data, &from, &err), 4, "%s: recvfrom MSG_PEEK",
	       label);
	free(data);
	is_int(ss_recvfrom(sa, 100, 0, &data, &from, &err), 4, "%s: recvfrom after a peek",
	       label);
	is_str(data, "ping", "%s: the datagram", label);
	free(data);
	ok_call(ss_getsockname(sb, &back, &err) == 0, err, "%s: getsockname of b", label);
	is_str(from.text, back.text, "%s: the sender's address is b's name", label);
	is_int(from.family, family, "%s: sender's family", label);
	/* The address comes back in the form sendto takes: reply to it. */
	is_int(ss_sendto(sa, "pong", 4, 0, from.host, from.port, &err), 4,
	       "%s: sendto the address recvfrom gave", label);
	is_int(ss_recv(sb, 100, 0, &data, &err), 4, "%s: b receives the reply", label);
	is_str(data, "pong", "%s: ... 'pong'", label);
	free(data);

	/* MSG_TRUNC: the datagram's real size, only bufsize bytes kept. */
	ss_sendto(sb, "truncated", SS_STRLEN, 0, a.host, a.port, &err);
	is_int(ss_recv(sa, 3, MSG_TRUNC, &data, &err), 9, "%s: MSG_TRUNC gives the real size",
	       label);
	is_str(data, "tru", "%s: ... and bufsize bytes, NUL-terminated", label);
	free(data);
	ss_close(sa, NULL);
	ss_close(sb, NULL);
}

/* A unix datagram from an unbound socket has no name to reply to. */
static void unnamed_sender(void)
{
	struct ss_error err;
	struct ss_address from;
	const char *name = abstract_name("dgram-unnamed");
	struct ss_sock *r = ss_socket(AF_UNIX, SOCK_DGRAM, 0, &err);
	struct ss_sock *w = ss_socket(AF_UNIX, SOCK_DGRAM, 0, &err);
	char *data;

	ss_bind(r, name, 0, &err);
	is_int(ss_sendto(w, "x", 1, 0, name, 0, &err), 1, "unix: sendto from an unbound socket");
	is_int(ss_recvfrom(r, 10, 0, &data, &from, &err), 1, "unix: recvfrom it");
	/* Linux gives no address at all (addrlen 0) for an unbound sender. */
	is_int(from.family, AF_UNSPEC, "unix: unnamed sender has no address (AF_UNSPEC)");
	ok(!from.host[0] && !from.text[0], "unix: ... empty host and text");
	free(data);
	ss_close(r, NULL);
	ss_close(w, NULL);
}

static void failures(void)
{
	struct ss_error err;
	char want[128];
	const char *nobody = abstract_name("nobody");
	struct ss_sock *s = ss_socket(AF_INET, SOCK_DGRAM, 0, &err);

	is_int(ss_sendto(s, "x", 1, 0, "no.such.host.invalid", 9, &err), -1,
	       "sendto: unknown host");
	is_int(err.code, 0, "sendto: code 0");
	is_str(err.msg, "sendto no.such.host.invalid:9: host not found", "sendto: text");
	is_int(ss_sendto(s, "x", 1, 0, "127.0.0.1", -1, &err), -1, "sendto: port out of range");
	is_str(err.msg, "sendto 127.0.0.1:-1: port must be 0-65535", "sendto: port text");
	ss_close(s, NULL);

	s = ss_socket(AF_UNIX, SOCK_DGRAM, 0, &err);
	is_int(ss_sendto(s, "x", 1, 0, nobody, 0, &err), -1, "sendto: abstract name nobody has");
	is_int(err.code, ECONNREFUSED, "sendto: ECONNREFUSED");
	snprintf(want, sizeof(want), "sendto %s: Connection refused", nobody);
	is_str(err.msg, want, "sendto: text names the unix address");
	ss_close(s, NULL);

	s = ss_socket(AF_INET6, SOCK_DGRAM, 0, &err);
	is_int(ss_sendto(s, "x", 1, 0, "127.0.0.1", 9, &err), -1,
	       "sendto: IPv4 literal on an AF_INET6 socket");
	is_int(err.code, 0, "sendto: ... does not resolve (code 0)");
	ss_close(s, NULL);
}

int main(void)
{
	exchange("AF_INET", AF_INET, "127.0.0.1", "127.0.0.1");
	exchange("AF_INET6", AF_INET6, "::1", "::1");
	exchange("AF_UNIX", AF_UNIX, abstract_name("dgram-a"), abstract_name("dgram-b"));
	unnamed_sender();
	failures();
	return done_testing();
}
