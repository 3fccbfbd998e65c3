// SPDX-License-Identifier: MIT
/*
 * Socket address decoding, written without stdio or inet_ntop so that the
 * preload can call it from any context, including signal handlers.
 */
#include "ss_addr.h"
#include "ss_names.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/if_alg.h>
#include <linux/netlink.h>
#include <linux/vm_sockets.h>
#include <netpacket/packet.h>

struct out {
	char *buf;
	size_t pos;
};

static void out_c(struct out *o, char c)
{
	if (o->pos + 1 < SS_ADDR_TEXT)
		o->buf[o->pos++] = c;
	o->buf[o->pos] = '\0';
}

static void out_s(struct out *o, const char *s)
{
	while (*s)
		out_c(o, *s++);
}

static void out_u(struct out *o, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		out_c(o, tmp[--n]);
}

static void out_hex(struct out *o, unsigned int v, int digits)
{
	for (int i = digits - 1; i >= 0; i--)
		out_c(o, "0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}

/* IPv6 word without leading zeros, as RFC 5952 writes it. */
static void out_word(struct out *o, unsigned int w)
{
	int digits = w >= 0x1000 ? 4 : w >= 0x100 ? 3 : w >= 0x10 ? 2 : 1;

	out_hex(o, w, digits);
}

static void out_ipv4(struct out *o, const unsigned char *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			out_c(o, '.');
		out_u(o, a[i]);
	}
}

/* RFC 5952 text: longest run of >= 2 zero words as "::", IPv4-mapped tail. */
static void out_ipv6(struct out *o, const unsigned char *a)
{
	unsigned int w[8];
	int best = -1, best_len = 0, words = 8;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned int)a[2 * i] << 8 | a[2 * i + 1];
	int mapped = !w[0] && !w[1] && !w[2] && !w[3] && !w[4] && w[5] == 0xffff;
	if (mapped)
		words = 6;
	for (int i = 0; i < words;) {
		int j = i;
		while (j < words && !w[j])
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < words; i++) {
		if (i == best) {
			out_s(o, "::");
			i += best_len - 1;
			continue;
		}
		if (i && i != best + best_len)
			out_c(o, ':');
		out_word(o, w[i]);
	}
	if (mapped) {
		if (best + best_len != 6)
			out_c(o, ':');
		out_ipv4(o, a + 12);
	}
}

/* Printable bytes as they are, others as \xNN: unix paths may hold anything. */
static void out_bytes(struct out *o, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
			out_c(o, (char)p[i]);
		} else {
			out_s(o, "\\x");
			out_hex(o, p[i], 2);
		}
	}
}

static void format_unix(struct out *o, const unsigned char *sa, size_t len)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = len > sizeof(struct sockaddr_un) ? sizeof(struct sockaddr_un) : len;

	if (n <= off) {
		out_s(o, "(unnamed)");
		return;
	}
	const unsigned char *path = sa + off;
	n -= off;
	if (path[0] == '\0') {
		out_c(o, '@');
		out_bytes(o, path + 1, n - 1);
		return;
	}
	size_t plen = 0;
	while (plen < n && path[plen])
		plen++;
	out_bytes(o, path, plen);
}

/* The bytes of a structure of size need, or 0 when len holds fewer: the
 * fields these families name all lie past their first bytes. */
static int take(void *dst, const unsigned char *sa, size_t len, size_t need)
{
	if (len < need)
		return 0;
	memcpy(dst, sa, need);
	return 1;
}

/* "netlink:portid=P", and ",groups=0xG" when it joins multicast groups
 * (portid 0 is the kernel). */
static int format_netlink(struct out *o, const unsigned char *sa, size_t len)
{
	struct sockaddr_nl nl;

	if (!take(&nl, sa, len, sizeof(nl)))
		return 0;
	out_s(o, "netlink:portid=");
	out_u(o, nl.nl_pid);
	if (nl.nl_groups) {
		out_s(o, ",groups=0x");
		out_hex(o, nl.nl_groups, 8);
	}
	return 1;
}

/* "packet:ifindex=I,proto=ETH_P_IP" (0xNNNN when unnamed; proto=0 asks
 * for no protocol), and ",addr=xx:xx..." when a hardware address is given
 * (the kernel gives the loopback's, all zeros: none to show). */
static int format_packet(struct out *o, const unsigned char *sa, size_t len)
{
	struct sockaddr_ll ll;
	size_t need = offsetof(struct sockaddr_ll, sll_addr);

	memset(&ll, 0, sizeof(ll));
	if (!take(&ll, sa, len, need))
		return 0;
	unsigned int proto = ntohs(ll.sll_protocol);
	const char *name = ss_ethproto_name((int)proto);
	out_s(o, "packet:ifindex=");
	out_u(o, (unsigned long)(unsigned int)ll.sll_ifindex);
	out_s(o, ",proto=");
	if (name) {
		out_s(o, name);
	} else {
		out_s(o, "0x");
		out_hex(o, proto, 4);
	}
	size_t halen = ll.sll_halen;
	if (halen > sizeof(ll.sll_addr))
		halen = sizeof(ll.sll_addr);
	int any = 0;
	for (size_t i = 0; halen && len >= need + halen && i < halen; i++)
		any |= sa[need + i];
	if (any) {
		out_s(o, ",addr=");
		for (size_t i = 0; i < halen; i++) {
			if (i)
				out_c(o, ':');
			out_hex(o, sa[need + i], 2);
		}
	}
	return 1;
}

/* "vsock:CID:PORT", "*" for VMADDR_CID_ANY / VMADDR_PORT_ANY. */
static int format_vsock(struct out *o, const unsigned char *sa, size_t len)
{
	struct sockaddr_vm vm;
	size_t need = offsetof(struct sockaddr_vm, svm_cid) + sizeof(vm.svm_cid);

	if (!take(&vm, sa, len, need))
		return 0;
	out_s(o, "vsock:");
	if (vm.svm_cid == VMADDR_CID_ANY)
		out_c(o, '*');
	else
		out_u(o, vm.svm_cid);
	out_c(o, ':');
	if (vm.svm_port == VMADDR_PORT_ANY)
		out_c(o, '*');
	else
		out_u(o, vm.svm_port);
	return 1;
}

/* The printable text of a NUL-padded field of at most n bytes. */
static void out_field(struct out *o, const unsigned char *p, size_t n)
{
	size_t k = 0;

	while (k < n && p[k])
		k++;
	out_bytes(o, p, k);
}

/* "alg:TYPE:NAME" of the kernel crypto API, "alg:hash:sha256". */
static int format_alg(struct out *o, const unsigned char *sa, size_t len)
{
	size_t name = offsetof(struct sockaddr_alg, salg_name);
	size_t type = offsetof(struct sockaddr_alg, salg_type);

	if (len < name)
		return 0;
	out_s(o, "alg:");
	out_field(o, sa + type, sizeof(((struct sockaddr_alg *)0)->salg_type));
	out_c(o, ':');
	out_field(o, sa + name, len - name < 64 ? len - name : 64);
	return 1;
}

void ss_addr_format(const void *addr, size_t len, struct ss_endpoint *ep)
{
	const unsigned char *sa = addr;
	struct out o = { ep->text, 0 };
	sa_family_t family;

	ep->text[0] = '\0';
	ep->port = 0;
	ep->family = -1;
	if (!sa || len < sizeof(sa_family_t)) {
		out_s(&o, sa ? "(truncated)" : "(none)");
		return;
	}
	memcpy(&family, sa, sizeof(family));
	ep->family = family;
	switch (family) {
	case AF_INET: {
		struct sockaddr_in in;
		if (len < offsetof(struct sockaddr_in, sin_addr) + sizeof(in.sin_addr))
			break;
		memcpy(&in, sa, offsetof(struct sockaddr_in, sin_addr) + sizeof(in.sin_addr));
		ep->port = ntohs(in.sin_port);
		out_ipv4(&o, (const unsigned char *)&in.sin_addr);
		out_c(&o, ':');
		out_u(&o, (unsigned long)ep->port);
		return;
	}
	case AF_INET6: {
		struct sockaddr_in6 in6;
		size_t need = offsetof(struct sockaddr_in6, sin6_addr) + sizeof(in6.sin6_addr);
		if (len < need)
			break;
		memset(&in6, 0, sizeof(in6));
		memcpy(&in6, sa, len < sizeof(in6) ? len : sizeof(in6));
		ep->port = ntohs(in6.sin6_port);
		out_c(&o, '[');
		out_ipv6(&o, in6.sin6_addr.s6_addr);
		if (len >= sizeof(in6) && in6.sin6_scope_id) {
			out_c(&o, '%');
			out_u(&o, in6.sin6_scope_id);
		}
		out_s(&o, "]:");
		out_u(&o, (unsigned long)ep->port);
		return;
	}
	case AF_UNIX:
		format_unix(&o, sa, len);
		return;
	case AF_NETLINK:
		if (format_netlink(&o, sa, len))
			return;
		break;
	case AF_PACKET:
		if (format_packet(&o, sa, len))
			return;
		break;
	case AF_VSOCK:
		if (format_vsock(&o, sa, len))
			return;
		break;
	case AF_ALG:
		if (format_alg(&o, sa, len))
			return;
		break;
	default: {
		const char *name = ss_af_name(family);
		size_t n = len - sizeof(sa_family_t);
		if (name) {
			out_s(&o, name);
		} else {
			out_s(&o, "family ");
			out_u(&o, family);
		}
		out_c(&o, ':');
		if (n > 32)
			n = 32;
		for (size_t i = 0; i < n; i++)
			out_hex(&o, sa[sizeof(sa_family_t) + i], 2);
		return;
	}
	}
	out_s(&o, "(truncated)");
}

void ss_ip_format(int family, const void *ip, char *buf)
{
	struct out o = { buf, 0 };

	buf[0] = '\0';
	if (family == AF_INET) {
		out_ipv4(&o, ip);
	} else if (family == AF_INET6) {
		out_ipv6(&o, ip);
	} else {
		out_s(&o, "family ");
		out_u(&o, (unsigned long)family);
	}
}
