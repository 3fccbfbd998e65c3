// SPDX-License-Identifier: MIT
/*
 * Sockets of the families that are not IP nor unix, for the tests of the
 * address decoder on real calls:
 *
 *   netlink   a NETLINK_ROUTE socket bound with the link group, its port
 *             id read back (getsockname), a link dump asked of the kernel
 *             (sendto port id 0) and read to its end
 *   packet    a packet socket bound to the loopback interface for IPv4
 *             (needs CAP_NET_RAW: prints "packet EPERM" otherwise)
 *   alg       a kernel crypto API socket bound to hash:sha256 (on a
 *             kernel without AF_ALG, the address given to a UDP socket's
 *             bind, which refuses it)
 *   vsock     a non-blocking socket bound to any cid and port, then a
 *             connect to cid 1 port 1024 (VMADDR_CID_LOCAL); on a kernel
 *             without vsock, the same addresses given to a UDP socket,
 *             which refuses them: either way the calls carry them
 *
 * Prints what the kernel gave ("portid P", "ifindex I") and each call's
 * errno name when it failed ("vsock connect ECONNRESET").
 */
#include <errno.h>
#include <linux/if_alg.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vm_sockets.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ss_names.h"

static int do_netlink(void)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(nl);
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} req = { .h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		  .g = { .rtgen_family = AF_UNSPEC } };
	char buf[32768];

	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0 || bind(s, (struct sockaddr *)&nl, sizeof(nl)) < 0 ||
	    getsockname(s, (struct sockaddr *)&nl, &len) < 0)
		return perror("netlink"), 1;
	printf("portid %u\n", nl.nl_pid);
	if (sendto(s, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return perror("netlink sendto"), 1;
	for (int done = 0; !done;) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		if (n <= 0)
			return perror("netlink recv"), 1;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n))
			done |= h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR;
	}
	close(s);
	return 0;
}

static int do_packet(void)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = (int)if_nametoindex("lo") };

	int s = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));
	if (s < 0) {
		printf("packet %s\n", ss_errno_name(errno));
		return 0;
	}
	if (bind(s, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		return perror("packet bind"), 1;
	printf("ifindex %d\n", ll.sll_ifindex);
	close(s);
	return 0;
}

static int do_alg(void)
{
	struct sockaddr_alg alg = { .salg_family = AF_ALG, .salg_type = "hash",
				    .salg_name = "sha256" };

	int s = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return perror("socket"), 1;
	if (bind(s, (struct sockaddr *)&alg, sizeof(alg)) < 0)
		printf("alg bind %s\n", ss_errno_name(errno));
	close(s);
	return 0;
}

static int do_vsock(void)
{
	struct sockaddr_vm any = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY,
				   .svm_port = VMADDR_PORT_ANY };
	struct sockaddr_vm vm = { .svm_family = AF_VSOCK, .svm_cid = 1, .svm_port = 1024 };

	int s = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return perror("socket"), 1;
	if (bind(s, (struct sockaddr *)&any, sizeof(any)) < 0)
		printf("vsock bind %s\n", ss_errno_name(errno));
	if (connect(s, (struct sockaddr *)&vm, sizeof(vm)) < 0)
		printf("vsock connect %s\n", ss_errno_name(errno));
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ss-families netlink|packet|vsock|alg\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "netlink"))
		return do_netlink();
	if (!strcmp(argv[1], "packet"))
		return do_packet();
	if (!strcmp(argv[1], "vsock"))
		return do_vsock();
	if (!strcmp(argv[1], "alg"))
		return do_alg();
	fprintf(stderr, "ss-families: unknown mode %s\n", argv[1]);
	return 2;
}
