// SPDX-License-Identifier: MIT
/*
 * record --payload: the bytes of every send and receive, as
 * sockscope:payload events after the call's own (tracepoints/sockscope-tp.h),
 * in pieces an event can hold, up to SOCKSCOPE_PAYLOAD bytes per call
 * ("all": every byte).  Off unless that variable is set: then the data
 * wrappers test one word and do nothing more.
 */
#include "preload.h"

#include <stdlib.h>
#include <string.h>

uint64_t ss_payload_max SS_HIDDEN;

void ss_payload_init(void)
{
	const char *v = secure_getenv("SOCKSCOPE_PAYLOAD");
	char *end;

	if (!v || !*v)
		return;
	if (!strcmp(v, "all")) {
		ss_payload_max = UINT64_MAX;
		return;
	}
	unsigned long long n = strtoull(v, &end, 10);
	if (!*end)
		ss_payload_max = n;
}

uint64_t ss_payload_buf(const struct ss_call *c, uint64_t off, const void *buf, uint64_t n)
{
	const uint8_t *p = buf;

	if (!SS_ENABLED(payload))
		return off + n;
	for (uint64_t done = 0; done < n && off + done < ss_payload_max;) {
		uint64_t len = n - done;
		if (len > SS_PAYLOAD_CHUNK)
			len = SS_PAYLOAD_CHUNK;
		if (len > ss_payload_max - (off + done))
			len = ss_payload_max - (off + done);
		struct ss_call pc = { .b = { .fd = c->b.fd, .sock = c->b.sock },
				      .saved_errno = c->saved_errno, .on = 1 };
		SS_EMIT(&pc, payload, (uint32_t)(off + done), p + done, (uint16_t)len);
		done += len;
	}
	return off + n;
}

uint64_t ss_payload_iov(const struct ss_call *c, uint64_t off, const struct iovec *iov,
			long niov, uint64_t n)
{
	for (long i = 0; i < niov && n && off < ss_payload_max; i++) {
		uint64_t len = iov[i].iov_len < n ? iov[i].iov_len : n;
		off = ss_payload_buf(c, off, iov[i].iov_base, len);
		n -= len;
	}
	return off;
}
