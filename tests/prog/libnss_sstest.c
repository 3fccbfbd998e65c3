// SPDX-License-Identifier: MIT
/*
 * A name-service module ("hosts: sstest" in nsswitch.conf) for the tests of
 * how lookups and the sockets they make are reported.  Like the NSS
 * modules that live outside libc (nss-mdns, sssd's, nss-resolve), it
 * reaches its server through libc's public socket functions, which the
 * preload sees: an A query over UDP to the DNS server at 127.0.0.1:53,
 * and, when the answer comes back truncated, the same query over TCP, as
 * resolvers do.  Every A record of the answer is returned.  IPv4 only;
 * other families are "not found" here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_ADDRS 64

/* The query for name, type A, recursion desired: its length, or -1. */
static int make_query(const char *name, unsigned char *q, size_t size)
{
	/* id 0x5353, recursion desired, one question */
	static const unsigned char head[12] = { 0x53, 0x53, 0x01, 0x00, 0, 1 };
	size_t pos = sizeof(head);

	memcpy(q, head, sizeof(head));
	while (*name) {
		size_t len = strcspn(name, ".");
		if (len == 0 || len > 63 || pos + len + 1 + 5 > size)
			return -1;
		q[pos++] = (unsigned char)len;
		memcpy(q + pos, name, len);
		pos += len;
		name += len + (name[len] == '.');
	}
	q[pos++] = 0;
	memcpy(q + pos, "\0\1\0\1", 4); /* type A, class IN */
	return (int)(pos + 4);
}

/* Skip a (possibly compressed) name at a[pos]; the position after it, or 0. */
static size_t skip_name(const unsigned char *a, size_t len, size_t pos)
{
	while (pos < len) {
		if ((a[pos] & 0xc0) == 0xc0)
			return pos + 2;
		if (!a[pos])
			return pos + 1;
		pos += (size_t)a[pos] + 1;
	}
	return 0;
}

/* The A records of an answer into addrs; how many, or -1 if malformed. */
static int parse_answer(const unsigned char *a, size_t len, uint32_t *addrs)
{
	if (len < 12)
		return -1;
	int qd = a[4] << 8 | a[5], an = a[6] << 8 | a[7], n = 0;
	size_t pos = 12;
	for (int i = 0; i < qd; i++)
		if (!(pos = skip_name(a, len, pos)) || (pos += 4) > len)
			return -1;
	for (int i = 0; i < an; i++) {
		if (!(pos = skip_name(a, len, pos)) || pos + 10 > len)
			return -1;
		int type = a[pos] << 8 | a[pos + 1];
		size_t rdlen = (size_t)(a[pos + 8] << 8 | a[pos + 9]);
		pos += 10;
		if (pos + rdlen > len)
			return -1;
		if (type == 1 && rdlen == 4 && n < MAX_ADDRS)
			memcpy(&addrs[n++], a + pos, 4);
		pos += rdlen;
	}
	return n;
}

static int wait_in(int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	return poll(&p, 1, 5000) == 1 ? 0 : -1;
}

/* Ask over UDP (tcp 0) or TCP (with its two-byte length); the answer's
 * length, or -1. */
static ssize_t ask(int tcp, const unsigned char *q, int qlen, unsigned char *a, size_t size)
{
	struct sockaddr_in ns = { .sin_family = AF_INET, .sin_port = htons(53) };
	ssize_t n = -1;

	ns.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int s = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&ns, sizeof(ns)) == 0) {
		if (!tcp) {
			if (send(s, q, (size_t)qlen, 0) == qlen && wait_in(s) == 0)
				n = recv(s, a, size, 0);
		} else {
			unsigned char l[2] = { (unsigned char)(qlen >> 8), (unsigned char)qlen };
			size_t got = 0, want = 0;
			if (send(s, l, 2, MSG_MORE) == 2 && send(s, q, (size_t)qlen, 0) == qlen &&
			    wait_in(s) == 0 && recv(s, l, 2, MSG_WAITALL) == 2) {
				want = (size_t)(l[0] << 8 | l[1]);
				while (want <= size && got < want && wait_in(s) == 0) {
					ssize_t r = recv(s, a + got, want - got, 0);
					if (r <= 0)
						break;
					got += (size_t)r;
				}
				n = got == want ? (ssize_t)got : -1;
			}
		}
	}
	close(s);
	return n;
}

/* glibc looks the module's functions up by name: exported. */
__attribute__((visibility("default"))) enum nss_status
_nss_sstest_gethostbyname2_r(const char *name, int af, struct hostent *h, char *buf,
			     size_t buflen, int *errnop, int *h_errnop);

enum nss_status _nss_sstest_gethostbyname2_r(const char *name, int af, struct hostent *h,
					     char *buf, size_t buflen, int *errnop, int *h_errnop)
{
	unsigned char q[300], a[65536];
	uint32_t addrs[MAX_ADDRS];
	int qlen = make_query(name, q, sizeof(q));

	if (af != AF_INET || qlen < 0) {
		*h_errnop = HOST_NOT_FOUND;
		return NSS_STATUS_NOTFOUND;
	}
	ssize_t len = ask(0, q, qlen, a, sizeof(a));
	if (len >= 3 && (a[2] & 0x02)) /* truncated: ask again over TCP */
		len = ask(1, q, qlen, a, sizeof(a));
	int n = len > 0 ? parse_answer(a, (size_t)len, addrs) : -1;
	if (n <= 0) {
		*h_errnop = n < 0 ? TRY_AGAIN : HOST_NOT_FOUND;
		return n < 0 ? NSS_STATUS_TRYAGAIN : NSS_STATUS_NOTFOUND;
	}
	/* The buffer holds the name, the addresses, then the pointer lists. */
	size_t nlen = strlen(name) + 1, need = nlen + (size_t)n * 4 + (size_t)(n + 2) * sizeof(char *) + 8;
	if (buflen < need) {
		*errnop = ERANGE;
		*h_errnop = NETDB_INTERNAL;
		return NSS_STATUS_TRYAGAIN;
	}
	char *p = buf;
	memcpy(p, name, nlen);
	h->h_name = p;
	p += nlen;
	char *ip = p;
	memcpy(ip, addrs, (size_t)n * 4);
	p += (size_t)n * 4;
	p += (sizeof(char *) - (uintptr_t)p % sizeof(char *)) % sizeof(char *);
	char **list = (char **)(void *)p;
	for (int i = 0; i < n; i++)
		list[i] = ip + 4 * i;
	list[n] = NULL;
	list[n + 1] = NULL;
	h->h_addr_list = list;
	h->h_aliases = list + n + 1;
	h->h_addrtype = AF_INET;
	h->h_length = 4;
	return NSS_STATUS_SUCCESS;
}

__attribute__((visibility("default"))) enum nss_status
_nss_sstest_gethostbyname_r(const char *name, struct hostent *h, char *buf, size_t buflen,
			    int *errnop, int *h_errnop);

enum nss_status _nss_sstest_gethostbyname_r(const char *name, struct hostent *h, char *buf,
					    size_t buflen, int *errnop, int *h_errnop)
{
	return _nss_sstest_gethostbyname2_r(name, AF_INET, h, buf, buflen, errnop, h_errnop);
}
