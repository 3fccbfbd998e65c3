// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the report's event handling: the model (model.c)
 * and connection tracking (conn.c) fed a sequence of events decoded from
 * the input, as the trace reader would hand them over, then both outputs
 * printed and everything freed.  Any sequence must be taken: events out of
 * order, on descriptors never opened, forks to oneself, closes of what is
 * not there, huge descriptor numbers, strings missing or odd.  ASan and
 * UBSan watch memory and arithmetic, LeakSanitizer what is left.
 *
 * Input: one byte of options (filters), then 16 bytes per event:
 *   name, vpid, vtid, fd, sock, ret, err, family, addr, type/optname,
 *   sock2/newsock, fd2/newfd, flags, dur (2 bytes), ts step.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/model.h"
#include "out/out.h"

/* Event names, with what the reader would make of them. */
static const struct {
	const char *name;
	int kind; /* -1: from ss_kind_of */
} names[] = {
	{ "socket", -1 }, { "socketpair", -1 }, { "bind", -1 }, { "connect", -1 },
	{ "getsockname", -1 }, { "getpeername", -1 }, { "accept", -1 }, { "accept4", -1 },
	{ "listen", -1 }, { "send", -1 }, { "sendto", -1 }, { "sendmsg", -1 }, { "write", -1 },
	{ "recv", -1 }, { "recvfrom", -1 }, { "recvmsg", -1 }, { "read", -1 },
	{ "sendmmsg", -1 }, { "recvmmsg", -1 }, { "getsockopt", -1 }, { "setsockopt", -1 },
	{ "shutdown", -1 }, { "close", -1 }, { "closefrom", -1 }, { "close_range", -1 },
	{ "fcntl", -1 }, { "ioctl", -1 }, { "dup", -1 }, { "dup2", -1 }, { "dup3", -1 },
	{ "describe", -1 }, { "fork", -1 }, { "getaddrinfo", SS_K_DNS },
	{ "gethostbyname", SS_K_DNS }, { "getnameinfo", SS_K_DNS }, { "connect", SS_K_API },
	{ "recv", SS_K_API }, { "lttng_ust_statedump:start", SS_K_OTHER },
};

static const char *const addrs[] = {
	NULL, "", "127.0.0.1:80", "127.0.0.1:50007", "[::1]:80", "[fe80::1%2]:22", "/tmp/s.sock",
	"@abstract", "(unnamed)", "(none)", "(truncated)", "127.0.0.1:", ":", "[", "[::1",
	"AF_NETLINK:00000000", "10.0.0.1:65535", "localhost 80", "HOST_NOT_FOUND", "1.2.3.4 (2)",
};

static const char *const strings[] = {
	NULL, "", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_STREAM|SOCK_CLOEXEC", "SO_ERROR",
	"SO_REUSEADDR", "SOCK_SEQPACKET|SOCK_NONBLOCK|SOCK_CLOEXEC|x", "python3", "ss-*",
};

static const int families[] = { -1, AF_UNSPEC, AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, 12345 };
static const int errs[] = { 0, EINPROGRESS, ECONNREFUSED, EAGAIN, EINTR, EBADF, EALREADY,
			    EISCONN, 9999 };

static int64_t fd_of(uint8_t b)
{
	static const int64_t big[] = { -1, -2, 1 << 19, (1 << 20) - 1, 1 << 20, INT32_MAX };

	return b < 240 ? b % 24 : big[b % (sizeof(big) / sizeof(big[0]))];
}

#define PICK(table, b) (table[(b) % (sizeof(table) / sizeof(table[0]))])

static void event(struct ss_model *m, const uint8_t *d, uint64_t *ts)
{
	struct ss_ev e;
	int n = d[0] % (sizeof(names) / sizeof(names[0]));

	memset(&e, 0, sizeof(e));
	e.kind = names[n].kind < 0 ? (int)ss_kind_of(names[n].name) : names[n].kind;
	if (e.kind == SS_K_API)
		e.id = ss_model_api_id(m, names[n].name);
	else if (e.kind != SS_K_DESCRIBE && e.kind != SS_K_OTHER)
		e.id = ss_model_call_id(m, names[n].name);
	/* Mostly forward in time, now and then back (traces merged). */
	*ts += d[15] < 250 ? (uint64_t)d[15] * 1000 : 0;
	e.ts = d[15] == 255 && *ts > 5000000 ? *ts - 5000000 : *ts;
	e.vpid = 100 + d[1] % 5;
	e.vtid = e.vpid + d[2] % 3;
	e.fd = fd_of(d[3]);
	e.sock = d[4] % 9;
	e.ret = e.kind == SS_K_FORK ? 100 + (int8_t)d[5] % 6 : (int8_t)d[5];
	if (d[5] == 0x7f)
		e.ret = INT64_MAX;
	e.err = PICK(errs, d[6]);
	e.family = PICK(families, d[7]);
	e.addr = PICK(addrs, d[8]);
	e.peer = PICK(addrs, d[8] >> 4);
	e.type = PICK(strings, d[9]);
	e.optname = PICK(strings, d[9] >> 4);
	e.newsock = e.sock2 = d[10] % 9;
	e.fd2 = e.newfd = fd_of(d[11]);
	e.flags = d[12] & 0x4f; /* MSG_PEEK, CLOSE_RANGE_CLOEXEC ... */
	e.last = e.fd + d[12] % 8;
	e.bytes = d[12] * 100;
	e.optval = d[6] % 2 ? ECONNREFUSED : 0;
	e.dur = (int64_t)(d[13] | d[14] << 8) * 100;
	e.comm = PICK(strings, d[2]);
	e.query = PICK(addrs, d[9]);
	e.result = PICK(addrs, d[11]);
	ss_model_event(m, &e);
	if (d[0] == 0xff)
		ss_model_lost(m, d[1], d[2] & 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t pids[] = { 101, 103 };
	char *comms[] = { "python*" };
	char *addrs_f[] = { "127.0.0.1", "/tmp/s.sock" };
	long ports[] = { 80 };
	struct ss_filter f = { 0 };
	uint64_t ts = 1000000000;

	if (size < 1 || size > 16 * 4096)
		return 0;
	if (data[0] & 1)
		f.pids = pids, f.npids = 2;
	if (data[0] & 2)
		f.comms = comms, f.ncomms = 1;
	if (data[0] & 4)
		f.addrs = addrs_f, f.naddrs = 2;
	if (data[0] & 8)
		f.ports = ports, f.nports = 1;
	struct ss_model *m = ss_model_new(&f);
	m->have_api = (data[0] & 16) != 0;
	for (size_t off = 1; off + 16 <= size; off += 16)
		event(m, data + off, &ts);

	struct ss_info info = { .dir = "fuzz", .command = "fuzz", .pid = 100, .status = 0 };
	char *dirs[] = { "fuzz" };
	struct ss_report r = { .m = m, .info = &info, .dirs = dirs, .ndirs = 1,
			       .hist = 1 };
	FILE *out = fopen("/dev/null", "w");
	if (out) {
		ss_out_json(&r, out);
		ss_out_text(&r, out);
		fclose(out);
	}
	ss_model_free(m);
	return 0;
}
